"""A programme's grant rules as data: the coordinator enters them, the engine never hard-codes them.

The defaults are the ClusterXchange scheme's published rules (DESIGN.md §2). Country lists and
caps have no defaults: they differ per programme and are not public.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from types import MappingProxyType

from .parties import OrganisationType

_HOST_ONLY_TYPES = frozenset(
    {
        OrganisationType.LARGE_COMPANY,
        OrganisationType.PUBLIC_AUTHORITY,
        OrganisationType.TRAINING_PROVIDER,
    }
)

DEFAULT_VISITOR_TYPES = frozenset(OrganisationType) - _HOST_ONLY_TYPES
"""Cluster and business network organisations, scaling-up support organisations (incl. research), SMEs."""

DEFAULT_HOST_TYPES = frozenset(OrganisationType)
"""All visitor types plus the host-only ones: large companies, public authorities, training providers."""

DEFAULT_MEMBERSHIP_REQUIRED_TYPES = frozenset(OrganisationType) - {
    OrganisationType.CLUSTER_ORGANISATION,
    OrganisationType.BUSINESS_NETWORK,
}
"""Everyone except cluster and business network organisations takes part as a cluster member."""


def _to_decimal(value: object, what: str) -> Decimal:
    """Accept Decimal, int or str; a float goes through ``str`` so 0.1 stays 0.1."""
    try:
        amount = Decimal(str(value)) if isinstance(value, float) else Decimal(value)
    except (ArithmeticError, TypeError, ValueError) as error:
        raise ValueError(f"{what} must be a number, got {value!r}.") from error
    if not amount.is_finite() or amount < 0:
        raise ValueError(f"{what} must be a finite amount of zero or more, got {value!r}.")
    return amount


def _country_codes(codes: Iterable[str]) -> frozenset[str]:
    return frozenset(code.strip().upper() for code in codes)


@dataclass(frozen=True)
class GrantRules:
    """Everything that decides eligibility and the lump sum of one programme.

    Lump sum (see docs/grants.md): the full amount is ``country_caps[host]``, or, when
    ``daily_rate`` is set, ``daily_rate * working days`` capped at ``country_caps[host]``.
    It is multiplied once by ``halving_factor`` when the stay has fewer than
    ``full_rate_min_working_days`` working days and/or the distance is under
    ``full_rate_min_distance_km``, then rounded to ``amount_precision``.

    Maximum duration: ``max_stay_months`` calendar months from the first day (1 March → 31 March;
    None switches it off) and, optionally, ``max_working_days``.
    """

    eligible_countries: frozenset[str]
    country_caps: Mapping[str, Decimal]
    daily_rate: Decimal | None = None
    halving_factor: Decimal = Decimal("0.5")
    full_rate_min_working_days: int = 5
    full_rate_min_distance_km: float = 200.0
    min_working_days: int = 3
    max_stay_months: int | None = 1
    max_working_days: int | None = None
    dates_include_travel_days: bool = False
    visit_once: bool = True
    visitor_types: frozenset[OrganisationType] = DEFAULT_VISITOR_TYPES
    host_types: frozenset[OrganisationType] = DEFAULT_HOST_TYPES
    membership_required_types: frozenset[OrganisationType] = DEFAULT_MEMBERSHIP_REQUIRED_TYPES
    amount_precision: Decimal = field(default=Decimal("0.01"))

    def __post_init__(self) -> None:
        object.__setattr__(self, "eligible_countries", _country_codes(self.eligible_countries))
        caps = {
            code.strip().upper(): _to_decimal(cap, f"The cap for {code}")
            for code, cap in self.country_caps.items()
        }
        object.__setattr__(self, "country_caps", MappingProxyType(caps))
        if self.daily_rate is not None:
            object.__setattr__(self, "daily_rate", _to_decimal(self.daily_rate, "The daily rate"))
        factor = _to_decimal(self.halving_factor, "The halving factor")
        if factor > 1:
            raise ValueError(f"The halving factor must be between 0 and 1, got {factor}.")
        object.__setattr__(self, "halving_factor", factor)
        precision = _to_decimal(self.amount_precision, "The amount precision")
        if precision <= 0:
            raise ValueError("The amount precision must be positive, e.g. 0.01 or 1.")
        object.__setattr__(self, "amount_precision", precision)
        for role in ("visitor_types", "host_types", "membership_required_types"):
            object.__setattr__(self, role, frozenset(OrganisationType(kind) for kind in getattr(self, role)))
        self._check_limits()

    def _check_limits(self) -> None:
        if self.min_working_days < 0 or self.full_rate_min_working_days < 0:
            raise ValueError("Working-day thresholds cannot be negative.")
        if self.full_rate_min_distance_km < 0:
            raise ValueError("The full-rate distance cannot be negative.")
        if self.max_stay_months is not None and self.max_stay_months < 1:
            raise ValueError("The maximum stay must be at least one month, or None for no limit.")
        if self.max_working_days is not None and self.max_working_days < self.min_working_days:
            raise ValueError(
                f"The maximum of {self.max_working_days} working days is below the minimum of "
                f"{self.min_working_days}."
            )
