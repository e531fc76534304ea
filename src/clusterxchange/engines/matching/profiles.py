"""The engine's input: organisation profiles and their cooperation opportunities.

Plain frozen dataclasses; the Django layer builds them from its models (the string values of
the enums equal the `OpportunityType.Kind` / `Direction` choices in `core.models`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import TypeVar

from .reference import normalise_ecosystem, normalise_language

MAX_TEXT_CHARACTERS = 20_000
"""Longer texts are truncated: a pasted brochure must not dominate the index or the latency."""

E = TypeVar("E", bound=StrEnum)


class OpportunityKind(StrEnum):
    BUSINESS = "business"
    TECHNOLOGY = "technology"
    RESEARCH = "research"


class Direction(StrEnum):
    OFFER = "offer"
    REQUEST = "request"


class OrganisationType(StrEnum):
    """Who an organisation is, as far as ClusterXchange eligibility and role fit are concerned."""

    CLUSTER_ORGANISATION = "cluster_organisation"
    BUSINESS_NETWORK = "business_network"
    SCALE_UP_SUPPORT = "scale_up_support"
    RESEARCH_ORGANISATION = "research_organisation"
    SME = "sme"
    LARGE_COMPANY = "large_company"
    PUBLIC_AUTHORITY = "public_authority"
    TRAINING_PROVIDER = "training_provider"
    TRAINING_COURSE = "training_course"
    OTHER = "other"


class OrganisationSize(StrEnum):
    MICRO = "micro"
    SMALL = "small"
    MEDIUM = "medium"
    LARGE = "large"
    UNKNOWN = "unknown"


def _parse_enum(enum_type: type[E], value: object, what: str) -> E:
    try:
        return enum_type(str(value).strip().lower())
    except ValueError:
        allowed = ", ".join(member.value for member in enum_type)
        raise ValueError(f"unknown {what} {value!r}: expected one of {allowed}") from None


def _clean_text(value: object, what: str) -> str:
    if value is None:
        return ""
    if not isinstance(value, str):
        raise ValueError(f"{what} must be text, got {type(value).__name__}")
    return value.strip()[:MAX_TEXT_CHARACTERS]


def _clean_strings(values: object, what: str) -> tuple[str, ...]:
    if values is None:
        return ()
    if isinstance(values, str):
        raise ValueError(f"{what} must be a list of strings, not one string")
    cleaned = []
    for value in values:  # type: ignore[attr-defined]
        if not isinstance(value, str):
            raise ValueError(f"{what} must contain strings, got {type(value).__name__}")
        if value.strip():
            cleaned.append(value.strip())
    return tuple(dict.fromkeys(cleaned))


@dataclass(frozen=True)
class Opportunity:
    """One cooperation opportunity (EEN profile): what is offered or requested, in free text."""

    kind: OpportunityKind
    direction: Direction
    text: str
    title: str = ""

    def __post_init__(self) -> None:
        object.__setattr__(self, "kind", _parse_enum(OpportunityKind, self.kind, "opportunity kind"))
        object.__setattr__(self, "direction", _parse_enum(Direction, self.direction, "direction"))
        object.__setattr__(self, "text", _clean_text(self.text, "opportunity text"))
        object.__setattr__(self, "title", _clean_text(self.title, "opportunity title"))

    @property
    def full_text(self) -> str:
        return f"{self.title}. {self.text}" if self.title else self.text


@dataclass(frozen=True)
class OrganisationProfile:
    """Everything the engine knows about one organisation (or one training course).

    `id` is the stable key (the Django primary key as a string). `country` is an ISO 3166-1
    alpha-2 code. Lists are de-duplicated; languages accept codes ('de') or English names
    ('German'); ecosystems accept the 14 labels in any case, other labels match only themselves.
    `parent_id` names an organisation this one belongs to (e.g. a cluster's own staff profile),
    so that an exchange never pairs an organisation with itself under another id.
    """

    id: str
    name: str = ""
    organisation_type: OrganisationType = OrganisationType.OTHER
    country: str = ""
    description: str = ""
    keywords: tuple[str, ...] = ()
    ecosystems: tuple[str, ...] = ()
    nace_codes: tuple[str, ...] = ()
    technologies: tuple[str, ...] = ()
    size: OrganisationSize = OrganisationSize.UNKNOWN
    languages: tuple[str, ...] = ()
    opportunities: tuple[Opportunity, ...] = field(default_factory=tuple)
    parent_id: str = ""

    def __post_init__(self) -> None:
        identifier = str(self.id).strip() if self.id is not None else ""
        if not identifier:
            raise ValueError("an organisation profile needs a non-empty id")
        object.__setattr__(self, "id", identifier)
        object.__setattr__(self, "name", _clean_text(self.name, "name") or identifier)
        object.__setattr__(
            self,
            "organisation_type",
            _parse_enum(OrganisationType, self.organisation_type, "organisation type"),
        )
        object.__setattr__(self, "country", _clean_text(self.country, "country").upper())
        object.__setattr__(self, "description", _clean_text(self.description, "description"))
        object.__setattr__(self, "keywords", _clean_strings(self.keywords, "keywords"))
        ecosystems = _clean_strings(self.ecosystems, "ecosystems")
        object.__setattr__(self, "ecosystems", tuple(dict.fromkeys(map(normalise_ecosystem, ecosystems))))
        object.__setattr__(self, "nace_codes", _clean_strings(self.nace_codes, "NACE codes"))
        object.__setattr__(self, "technologies", _clean_strings(self.technologies, "technologies"))
        object.__setattr__(self, "size", _parse_enum(OrganisationSize, self.size, "organisation size"))
        languages = _clean_strings(self.languages, "languages")
        object.__setattr__(self, "languages", tuple(dict.fromkeys(map(normalise_language, languages))))
        opportunities = tuple(self.opportunities or ())
        for opportunity in opportunities:
            if not isinstance(opportunity, Opportunity):
                raise ValueError(
                    f"opportunities must be Opportunity objects, got {type(opportunity).__name__}"
                )
        object.__setattr__(self, "opportunities", opportunities)
        object.__setattr__(self, "parent_id", str(self.parent_id or "").strip())

    def opportunities_of(self, direction: Direction) -> tuple[Opportunity, ...]:
        return tuple(opportunity for opportunity in self.opportunities if opportunity.direction == direction)

    @property
    def capability_text(self) -> str:
        """What the organisation does, from its profile fields (not from its opportunities)."""
        return " . ".join(
            part
            for part in (self.description, " , ".join(self.keywords), " , ".join(self.technologies))
            if part
        )

    @property
    def owner_id(self) -> str:
        """The organisation that stands behind this profile (itself unless `parent_id` is set)."""
        return self.parent_id or self.id


def training_course_profile(
    course_id: str,
    title: str,
    description: str,
    topics: tuple[str, ...] = (),
    languages: tuple[str, ...] = (),
    ecosystems: tuple[str, ...] = (),
) -> OrganisationProfile:
    """A training course as a candidate for the training use: its syllabus is its capability and offer."""
    return OrganisationProfile(
        id=course_id,
        name=title,
        organisation_type=OrganisationType.TRAINING_COURSE,
        description=description,
        keywords=topics,
        languages=languages,
        ecosystems=ecosystems,
        opportunities=(Opportunity(OpportunityKind.BUSINESS, Direction.OFFER, description, title),),
    )
