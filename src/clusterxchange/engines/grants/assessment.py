"""The grant engine's entry point: one exchange request in, one complete assessment out."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from .distance import geodesic_km
from .eligibility import (
    country_cap_reasons,
    country_reasons,
    location_reasons,
    membership_reasons,
    organisation_type_reasons,
    prior_visit_reasons,
)
from .lump_sum import compute_lump_sum
from .messages import AppliedRule, Reason
from .parties import Party
from .rules import GrantRules
from .stay import check_stay
from .working_days import PublicHoliday


@dataclass(frozen=True)
class GrantRequest:
    """A proposed exchange: ``start`` and ``end`` are the first and last day, both included.

    ``visitor_prior_visits`` counts the visitor's earlier approved or completed visits in the
    scheme (the caller knows them; the engine has no database).
    """

    visitor: Party
    host: Party
    start: date
    end: date
    visitor_prior_visits: int = 0

    def __post_init__(self) -> None:
        if not isinstance(self.start, date) or not isinstance(self.end, date):
            raise ValueError(f"Start and end must be dates, got {self.start!r} and {self.end!r}.")
        if self.visitor_prior_visits < 0:
            raise ValueError(f"Prior visits cannot be negative, got {self.visitor_prior_visits}.")


@dataclass(frozen=True)
class GrantAssessment:
    """Everything decided about a request.

    ``working_days`` is 0 and ``distance_km`` None when they cannot be computed (reversed
    dates, missing coordinates); ``lump_sum`` is 0 unless the exchange is eligible.
    """

    eligible: bool
    reasons: tuple[Reason, ...]
    working_days: int
    public_holidays: tuple[PublicHoliday, ...]
    distance_km: float | None
    lump_sum: Decimal
    applied_rules: tuple[AppliedRule, ...]

    @property
    def reason_codes(self) -> tuple[str, ...]:
        return tuple(reason.code.value for reason in self.reasons)

    @property
    def applied_rule_codes(self) -> tuple[str, ...]:
        return tuple(rule.code.value for rule in self.applied_rules)


def _distance(visitor: Party, host: Party) -> float | None:
    if visitor.coordinates is None or host.coordinates is None:
        return None
    return geodesic_km(visitor.coordinates, host.coordinates)


def assess_grant(request: GrantRequest, rules: GrantRules) -> GrantAssessment:
    """Check every rule, count working days, measure the distance and compute the lump sum."""
    visitor, host = request.visitor, request.host
    stay = check_stay(request.start, request.end, host, rules)
    reasons = [
        *stay.reasons,
        *country_reasons(visitor, host, rules),
        *organisation_type_reasons(visitor, host, rules),
        *membership_reasons(visitor, host, rules),
        *prior_visit_reasons(request.visitor_prior_visits, rules),
        *location_reasons(visitor, host),
        *country_cap_reasons(host, rules),
    ]
    working_days = stay.working_days.working_days if stay.working_days else 0
    distance_km = _distance(visitor, host)
    applied_rules = list(stay.applied_rules)
    lump_sum = Decimal(0).quantize(rules.amount_precision)
    if not reasons and distance_km is not None:
        grant = compute_lump_sum(host.country, working_days, distance_km, rules)
        lump_sum = grant.amount
        applied_rules += grant.applied_rules
    return GrantAssessment(
        eligible=not reasons,
        reasons=tuple(reasons),
        working_days=working_days,
        public_holidays=stay.working_days.public_holidays if stay.working_days else (),
        distance_km=distance_km,
        lump_sum=lump_sum,
        applied_rules=tuple(applied_rules),
    )
