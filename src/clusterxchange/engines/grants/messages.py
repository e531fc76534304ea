"""Codes and English message templates for reasons of ineligibility and for the rules applied.

Templates are ``str.format`` strings with named parameters, so that the Django layer can look up
a translation of the template by its code and format it with the same parameters.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum


class ReasonCode(StrEnum):
    DATES_REVERSED = "dates_reversed"
    UNKNOWN_COUNTRY = "unknown_country"
    COUNTRY_NOT_ELIGIBLE = "country_not_eligible"
    SAME_COUNTRY = "same_country"
    SAME_ORGANISATION = "same_organisation"
    VISITOR_TYPE_NOT_ELIGIBLE = "visitor_type_not_eligible"
    HOST_TYPE_NOT_ELIGIBLE = "host_type_not_eligible"
    NOT_CLUSTER_MEMBER = "not_cluster_member"
    NOT_SME = "not_sme"
    ALREADY_VISITED = "already_visited"
    TOO_SHORT = "too_short"
    TOO_LONG = "too_long"
    TOO_MANY_WORKING_DAYS = "too_many_working_days"
    MISSING_COORDINATES = "missing_coordinates"
    NO_COUNTRY_CAP = "no_country_cap"


class AppliedRuleCode(StrEnum):
    WEEKENDS_EXCLUDED = "weekends_excluded"
    PUBLIC_HOLIDAYS_EXCLUDED = "public_holidays_excluded"
    TRAVEL_DAYS_EXCLUDED = "travel_days_excluded"
    NO_HOLIDAY_CALENDAR = "no_holiday_calendar"
    UNKNOWN_SUBDIVISION = "unknown_subdivision"
    COUNTRY_LUMP_SUM = "country_lump_sum"
    DAILY_RATE = "daily_rate"
    CAPPED_COUNTRY = "capped_country"
    HALVED_SHORT_STAY = "halved_short_stay"
    HALVED_DISTANCE = "halved_distance"
    HALVED = "halved"


REASON_TEMPLATES: Mapping[ReasonCode, str] = {
    ReasonCode.DATES_REVERSED: "The end date {end} is before the start date {start}.",
    ReasonCode.UNKNOWN_COUNTRY: (
        "The {role}'s country code '{country}' is not an ISO 3166-1 alpha-2 code (use GR, not EL)."
    ),
    ReasonCode.COUNTRY_NOT_ELIGIBLE: "The {role}'s country {country} is not eligible in this programme.",
    ReasonCode.SAME_COUNTRY: "The host must be in another country than the visitor (both are in {country}).",
    ReasonCode.SAME_ORGANISATION: "The visitor and the host are the same organisation.",
    ReasonCode.VISITOR_TYPE_NOT_ELIGIBLE: (
        "An organisation of type '{organisation_type}' cannot visit in this programme."
    ),
    ReasonCode.HOST_TYPE_NOT_ELIGIBLE: "An organisation of type '{organisation_type}' cannot host in this programme.",
    ReasonCode.NOT_CLUSTER_MEMBER: (
        "The {role} ('{organisation_type}') must be a member of a cluster to take part."
    ),
    ReasonCode.NOT_SME: "The {role} is registered as an SME but does not meet the SME definition.",
    ReasonCode.ALREADY_VISITED: (
        "The visitor has already visited in the scheme ({prior_visits} earlier visit(s)); "
        "a participant may visit only once."
    ),
    ReasonCode.TOO_SHORT: "The stay has {working_days} working day(s); the minimum is {minimum}.",
    ReasonCode.TOO_LONG: (
        "The stay from {start} to {end} is longer than {months} month(s): it must end by {last_allowed_day}."
    ),
    ReasonCode.TOO_MANY_WORKING_DAYS: "The stay has {working_days} working days; the maximum is {maximum}.",
    ReasonCode.MISSING_COORDINATES: "The {role}'s location is missing, so the distance cannot be measured.",
    ReasonCode.NO_COUNTRY_CAP: "The programme has no grant amount for host country {country}.",
}

APPLIED_RULE_TEMPLATES: Mapping[AppliedRuleCode, str] = {
    AppliedRuleCode.WEEKENDS_EXCLUDED: "{weekend_days} weekend day(s) not counted as working days.",
    AppliedRuleCode.PUBLIC_HOLIDAYS_EXCLUDED: (
        "{count} public holiday(s) in {calendar} not counted as working days: {names}."
    ),
    AppliedRuleCode.TRAVEL_DAYS_EXCLUDED: "The first and last day ({start}, {end}) are travel days, not counted.",
    AppliedRuleCode.NO_HOLIDAY_CALENDAR: (
        "No public-holiday calendar is known for {country}; only weekends were excluded."
    ),
    AppliedRuleCode.UNKNOWN_SUBDIVISION: (
        "No public-holiday calendar is known for region {subdivision} of {country}; "
        "the national holidays were used."
    ),
    AppliedRuleCode.COUNTRY_LUMP_SUM: "Lump sum for host country {country}: EUR {amount}.",
    AppliedRuleCode.DAILY_RATE: "{working_days} working day(s) at EUR {rate} per day: EUR {amount}.",
    AppliedRuleCode.CAPPED_COUNTRY: "Capped at EUR {cap}, the maximum for host country {country}.",
    AppliedRuleCode.HALVED_SHORT_STAY: (
        "Fewer than {minimum} working days ({working_days}): the grant is reduced."
    ),
    AppliedRuleCode.HALVED_DISTANCE: "Distance under {minimum_km} km ({distance_km} km): the grant is reduced.",
    AppliedRuleCode.HALVED: "Reduced once by the factor {factor}: EUR {amount}.",
}


@dataclass(frozen=True)
class Reason:
    """Why an exchange is not eligible: a stable code for programs and a message for people."""

    code: ReasonCode
    params: Mapping[str, object] = field(default_factory=dict)

    @property
    def template(self) -> str:
        return REASON_TEMPLATES[self.code]

    @property
    def message(self) -> str:
        return self.template.format(**self.params)


@dataclass(frozen=True)
class AppliedRule:
    """A rule that shaped the working days or the lump sum, with the figures it used."""

    code: AppliedRuleCode
    params: Mapping[str, object] = field(default_factory=dict)

    @property
    def template(self) -> str:
        return APPLIED_RULE_TEMPLATES[self.code]

    @property
    def message(self) -> str:
        return self.template.format(**self.params)
