"""The two organisations of an exchange: the visiting (mobile) party and the host (non-travelling) party."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

Identifier = int | str


class OrganisationType(StrEnum):
    """Organisation types named by the ClusterXchange rules (DESIGN.md §2).

    ``research`` is kept apart from ``scaling_up_support`` because directories list research
    institutes separately, but the scheme counts them as scaling-up support organisations,
    so the default rules treat both alike.
    """

    CLUSTER_ORGANISATION = "cluster_organisation"
    BUSINESS_NETWORK = "business_network"
    SME = "sme"
    SCALING_UP_SUPPORT = "scaling_up_support"
    RESEARCH = "research"
    LARGE_COMPANY = "large_company"
    PUBLIC_AUTHORITY = "public_authority"
    TRAINING_PROVIDER = "training_provider"


@dataclass(frozen=True)
class Coordinates:
    """A WGS 84 position in decimal degrees; out-of-range values are a data error, not a rule breach."""

    latitude: float
    longitude: float

    def __post_init__(self) -> None:
        if not -90.0 <= self.latitude <= 90.0:
            raise ValueError(f"Latitude {self.latitude} is outside -90..90 degrees.")
        if not -180.0 <= self.longitude <= 180.0:
            raise ValueError(f"Longitude {self.longitude} is outside -180..180 degrees.")


@dataclass(frozen=True)
class Party:
    """One organisation taking part in an exchange, as the grant rules need to see it.

    ``country`` is an ISO 3166-1 alpha-2 code (``GR``, not the EU's ``EL``); it is upper-cased
    here but not validated, because an unknown code is a reason for ineligibility that the
    assessment reports, not a crash. ``coordinates`` may be missing for the same reason.
    ``subdivision`` (e.g. ``SN`` for Saxony) refines the host's public holidays when given.
    ``is_sme`` carries the result of the SME definition check (Recommendation 2003/361/EC);
    ``None`` means "not checked separately: trust the organisation type".
    """

    organisation_id: Identifier
    country: str
    organisation_type: OrganisationType
    coordinates: Coordinates | None = None
    is_cluster_member: bool = False
    is_sme: bool | None = None
    subdivision: str | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "country", self.country.strip().upper())
        object.__setattr__(self, "organisation_type", OrganisationType(self.organisation_type))
        if self.subdivision is not None:
            object.__setattr__(self, "subdivision", self.subdivision.strip().upper() or None)

    @property
    def counts_as_sme(self) -> bool:
        if self.is_sme is not None:
            return self.is_sme
        return self.organisation_type is OrganisationType.SME
