"""The grant: a lump sum for travel and accommodation, capped per host country and halved once."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from .messages import AppliedRule, AppliedRuleCode
from .rules import GrantRules


@dataclass(frozen=True)
class LumpSum:
    amount: Decimal
    applied_rules: tuple[AppliedRule, ...]


def _full_amount(
    host_country: str, working_days: int, rules: GrantRules
) -> tuple[Decimal, list[AppliedRule]]:
    """The amount before any reduction: the country's lump sum, or days x rate up to the country's cap."""
    cap = rules.country_caps[host_country]
    if rules.daily_rate is None:
        return cap, [AppliedRule(AppliedRuleCode.COUNTRY_LUMP_SUM, {"country": host_country, "amount": cap})]
    by_days = rules.daily_rate * working_days
    applied = [
        AppliedRule(
            AppliedRuleCode.DAILY_RATE,
            {"working_days": working_days, "rate": rules.daily_rate, "amount": by_days},
        )
    ]
    if by_days > cap:
        applied.append(AppliedRule(AppliedRuleCode.CAPPED_COUNTRY, {"cap": cap, "country": host_country}))
        return cap, applied
    return by_days, applied


def _reductions(working_days: int, distance_km: float, rules: GrantRules) -> list[AppliedRule]:
    """Which halving conditions hold; both together still halve only once ("and/or")."""
    reductions = []
    if working_days < rules.full_rate_min_working_days:
        reductions.append(
            AppliedRule(
                AppliedRuleCode.HALVED_SHORT_STAY,
                {"minimum": rules.full_rate_min_working_days, "working_days": working_days},
            )
        )
    if distance_km < rules.full_rate_min_distance_km:
        reductions.append(
            AppliedRule(
                AppliedRuleCode.HALVED_DISTANCE,
                {"minimum_km": rules.full_rate_min_distance_km, "distance_km": distance_km},
            )
        )
    return reductions


def compute_lump_sum(host_country: str, working_days: int, distance_km: float, rules: GrantRules) -> LumpSum:
    """The grant for an eligible stay; the host country must have a cap in ``rules``.

    The cap is applied before halving, so a reduced grant is always below the country's
    maximum; rounding (half up, to ``rules.amount_precision``) happens once, at the end.
    """
    if host_country not in rules.country_caps:
        raise ValueError(f"The programme has no grant amount for host country {host_country}.")
    amount, applied = _full_amount(host_country, working_days, rules)
    reductions = _reductions(working_days, distance_km, rules)
    if reductions:
        amount = amount * rules.halving_factor
    amount = amount.quantize(rules.amount_precision, rounding=ROUND_HALF_UP)
    if reductions:
        applied += reductions
        applied.append(
            AppliedRule(AppliedRuleCode.HALVED, {"factor": rules.halving_factor, "amount": amount})
        )
    return LumpSum(amount, tuple(applied))
