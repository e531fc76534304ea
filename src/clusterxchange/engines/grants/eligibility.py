"""Eligibility rules that depend on who takes part, not on the dates: one function per rule.

Each check returns every reason it finds (an empty list when the rule is met), so that the
assessment can report all problems at once instead of the first one.
"""

from __future__ import annotations

from .countries import is_known_country
from .messages import Reason, ReasonCode
from .parties import OrganisationType, Party
from .rules import GrantRules

VISITOR = "visitor"
HOST = "host"


def _roles(visitor: Party, host: Party) -> tuple[tuple[str, Party], tuple[str, Party]]:
    return (VISITOR, visitor), (HOST, host)


def country_reasons(visitor: Party, host: Party, rules: GrantRules) -> list[Reason]:
    """Both countries must exist and take part in the programme, and they must differ."""
    reasons = []
    for role, party in _roles(visitor, host):
        if not is_known_country(party.country):
            reasons.append(Reason(ReasonCode.UNKNOWN_COUNTRY, {"role": role, "country": party.country}))
        elif party.country not in rules.eligible_countries:
            reasons.append(Reason(ReasonCode.COUNTRY_NOT_ELIGIBLE, {"role": role, "country": party.country}))
    if visitor.country == host.country:
        reasons.append(Reason(ReasonCode.SAME_COUNTRY, {"country": visitor.country}))
    if visitor.organisation_id == host.organisation_id:
        reasons.append(Reason(ReasonCode.SAME_ORGANISATION, {"organisation_id": visitor.organisation_id}))
    return reasons


def organisation_type_reasons(visitor: Party, host: Party, rules: GrantRules) -> list[Reason]:
    """Each role admits its own types: large companies, public authorities, training providers host only."""
    reasons = []
    if visitor.organisation_type not in rules.visitor_types:
        reasons.append(
            Reason(
                ReasonCode.VISITOR_TYPE_NOT_ELIGIBLE, {"organisation_type": visitor.organisation_type.value}
            )
        )
    if host.organisation_type not in rules.host_types:
        reasons.append(
            Reason(ReasonCode.HOST_TYPE_NOT_ELIGIBLE, {"organisation_type": host.organisation_type.value})
        )
    return reasons


def membership_reasons(visitor: Party, host: Party, rules: GrantRules) -> list[Reason]:
    """SMEs, support organisations and host-only types take part through their cluster membership."""
    reasons = []
    for role, party in _roles(visitor, host):
        if party.organisation_type in rules.membership_required_types and not party.is_cluster_member:
            reasons.append(
                Reason(
                    ReasonCode.NOT_CLUSTER_MEMBER,
                    {"role": role, "organisation_type": party.organisation_type.value},
                )
            )
        if party.organisation_type is OrganisationType.SME and not party.counts_as_sme:
            reasons.append(Reason(ReasonCode.NOT_SME, {"role": role}))
    return reasons


def prior_visit_reasons(prior_visits: int, rules: GrantRules) -> list[Reason]:
    """A participant may visit only once in the scheme; hosting is unlimited, so hosts are not checked."""
    if rules.visit_once and prior_visits > 0:
        return [Reason(ReasonCode.ALREADY_VISITED, {"prior_visits": prior_visits})]
    return []


def location_reasons(visitor: Party, host: Party) -> list[Reason]:
    """Without both locations the distance, and so the grant, cannot be decided."""
    return [
        Reason(ReasonCode.MISSING_COORDINATES, {"role": role})
        for role, party in _roles(visitor, host)
        if party.coordinates is None
    ]


def country_cap_reasons(host: Party, rules: GrantRules) -> list[Reason]:
    """An eligible host country still needs an amount entered by the coordinator."""
    if host.country in rules.eligible_countries and host.country not in rules.country_caps:
        return [Reason(ReasonCode.NO_COUNTRY_CAP, {"country": host.country})]
    return []
