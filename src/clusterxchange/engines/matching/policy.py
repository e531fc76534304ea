"""What to optimise and what never to suggest, per use of the engine.

A `MatchingPolicy` bundles the component weights, the hard filters and the role-fit table of one
use (exchange host search, event meetings, tandem partners, training courses, open partner
search). `default_policy(use)` gives the reviewed defaults; `policy.with_weights(...)` swaps in
learned weights without touching the filters. A `MatchingContext` carries the per-request facts
the filters need and only the caller knows (the programme's eligible countries, the validated
participants of an event, ids to leave out).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, fields, replace
from enum import StrEnum

import numpy as np

from .profiles import OrganisationType

COMPONENTS: tuple[str, ...] = (
    "text_relevance",
    "capability_fit",
    "shared_ecosystems",
    "shared_sectors",
    "complementary_roles",
    "language_overlap",
)
NEUTRAL_ROLE_FIT = 0.5

T = OrganisationType


class MatchingUse(StrEnum):
    PARTNER_SEARCH = "partner_search"
    EXCHANGE_HOST = "exchange_host"
    EVENT_MEETING = "event_meeting"
    TANDEM_PARTNER = "tandem_partner"
    TRAINING_COURSE = "training_course"


@dataclass(frozen=True)
class ComponentWeights:
    """Non-negative weight of each score component; the total score is the weighted sum."""

    text_relevance: float = 0.0
    capability_fit: float = 0.0
    shared_ecosystems: float = 0.0
    shared_sectors: float = 0.0
    complementary_roles: float = 0.0
    language_overlap: float = 0.0

    def __post_init__(self) -> None:
        for weight in fields(self):
            value = getattr(self, weight.name)
            if not isinstance(value, int | float) or not np.isfinite(value) or value < 0:
                raise ValueError(f"weight {weight.name} must be a finite number >= 0, got {value!r}")
            object.__setattr__(self, weight.name, float(value))

    @classmethod
    def from_mapping(cls, weights: Mapping[str, float]) -> ComponentWeights:
        unknown = set(weights) - set(COMPONENTS)
        if unknown:
            raise ValueError(
                f"unknown score components {sorted(unknown)}: expected some of {list(COMPONENTS)}"
            )
        return cls(**weights)

    def as_dict(self) -> dict[str, float]:
        return {name: getattr(self, name) for name in COMPONENTS}

    def as_array(self) -> np.ndarray:
        return np.array([getattr(self, name) for name in COMPONENTS], dtype=np.float64)


@dataclass(frozen=True)
class MatchingContext:
    """Facts of one request: eligible countries (ISO codes), validated event participants, exclusions."""

    eligible_countries: frozenset[str] | None = None
    participant_ids: frozenset[str] | None = None
    excluded_ids: frozenset[str] = frozenset()

    def __post_init__(self) -> None:
        if self.eligible_countries is not None:
            countries = frozenset(str(country).strip().upper() for country in self.eligible_countries)
            object.__setattr__(self, "eligible_countries", countries)
        if self.participant_ids is not None:
            object.__setattr__(self, "participant_ids", frozenset(map(str, self.participant_ids)))
        object.__setattr__(self, "excluded_ids", frozenset(map(str, self.excluded_ids)))


@dataclass(frozen=True)
class TextBlend:
    """How text relevance mixes the lexical score with the semantic one (when a model is loaded).

    The semantic score is the best cosine between compatible opportunities relative to the
    asker's best candidate (`components.relative_semantic`), rescaled so that `semantic_floor`
    maps to 0 and 1 to 1; each cosine is first lowered by `hub_correction` x the candidate
    opportunity's hub score (how close it is to everything, `semantic_field`); text relevance is
    `semantic_share` x that + (1 - `semantic_share`) x the lexical score. Chosen by
    cross-validation across labelled sets (docs/matching.md), never on the set reported.
    """

    semantic_share: float = 0.5
    semantic_floor: float = 0.2
    hub_correction: float = 0.75

    def __post_init__(self) -> None:
        if not 0 <= self.semantic_share <= 1 or not 0 <= self.semantic_floor < 1:
            raise ValueError("semantic_share must be in [0, 1] and semantic_floor in [0, 1)")
        if not 0 <= self.hub_correction <= 2:
            raise ValueError("hub_correction must be in [0, 2]")


@dataclass(frozen=True)
class MatchingPolicy:
    """Weights, hard filters and role fit of one use.

    `role_fit[(asking type, candidate type)]` is in [0, 1]; missing pairs count as neutral (0.5).
    `asking_types` None means anyone may ask; `candidate_types` None means any type may be suggested.
    """

    use: MatchingUse
    weights: ComponentWeights
    candidate_types: frozenset[OrganisationType] | None = None
    asking_types: frozenset[OrganisationType] | None = None
    require_other_country: bool = False
    require_eligible_country: bool = False
    require_event_participation: bool = False
    require_answering_opportunity: bool = False
    require_shared_language: bool = False
    role_fit: Mapping[tuple[OrganisationType, OrganisationType], float] = field(default_factory=dict)
    max_reasons: int = 3
    text_blend: TextBlend = field(default_factory=TextBlend)

    def with_text_blend(self, text_blend: TextBlend) -> MatchingPolicy:
        return replace(self, text_blend=text_blend)

    def with_weights(self, weights: ComponentWeights | Mapping[str, float]) -> MatchingPolicy:
        if not isinstance(weights, ComponentWeights):
            weights = ComponentWeights.from_mapping(weights)
        return replace(self, weights=weights)

    def role_matrix(self, types: tuple[OrganisationType, ...]) -> np.ndarray:
        """role_fit as a dense (asking type x candidate type) matrix in the order of `types`."""
        matrix = np.full((len(types), len(types)), NEUTRAL_ROLE_FIT)
        for (asking, candidate), value in self.role_fit.items():
            matrix[types.index(asking), types.index(candidate)] = value
        return matrix


VISITOR_TYPES = frozenset(
    {T.CLUSTER_ORGANISATION, T.BUSINESS_NETWORK, T.SCALE_UP_SUPPORT, T.RESEARCH_ORGANISATION, T.SME}
)
"""ClusterXchange: who may visit. Large companies, public authorities and training providers host only."""
HOST_TYPES = VISITOR_TYPES | {T.LARGE_COMPANY, T.PUBLIC_AUTHORITY, T.TRAINING_PROVIDER}
CLUSTER_TYPES = frozenset({T.CLUSTER_ORGANISATION, T.BUSINESS_NETWORK})
ORGANISATION_TYPES_WITHOUT_COURSES = frozenset(OrganisationType) - {T.TRAINING_COURSE}

_SUPPORT = (T.SCALE_UP_SUPPORT, T.RESEARCH_ORGANISATION)

_HOST_FIT: dict[tuple[OrganisationType, OrganisationType], float] = {
    **{(T.SME, host): 1.0 for host in (T.CLUSTER_ORGANISATION, T.BUSINESS_NETWORK, *_SUPPORT)},
    (T.SME, T.LARGE_COMPANY): 0.9,
    (T.SME, T.SME): 0.7,
    **{(staff, host): 1.0 for staff in CLUSTER_TYPES for host in CLUSTER_TYPES},
    **{(staff, host): 0.8 for staff in CLUSTER_TYPES for host in _SUPPORT},
    **{(support, host): 1.0 for support in _SUPPORT for host in _SUPPORT},
    **{(support, host): 0.9 for support in _SUPPORT for host in (*CLUSTER_TYPES, T.LARGE_COMPANY)},
}

_BUSINESS_FIT_PAIRS: dict[tuple[OrganisationType, OrganisationType], float] = {
    (T.SME, T.LARGE_COMPANY): 1.0,
    (T.SME, T.RESEARCH_ORGANISATION): 1.0,
    (T.SME, T.SCALE_UP_SUPPORT): 0.9,
    (T.SME, T.SME): 0.8,
    (T.LARGE_COMPANY, T.RESEARCH_ORGANISATION): 0.9,
    (T.RESEARCH_ORGANISATION, T.RESEARCH_ORGANISATION): 0.8,
    (T.CLUSTER_ORGANISATION, T.CLUSTER_ORGANISATION): 0.8,
}
_BUSINESS_FIT = {**_BUSINESS_FIT_PAIRS, **{(b, a): value for (a, b), value in _BUSINESS_FIT_PAIRS.items()}}

CROSS_VALIDATED_WEIGHTS = ComponentWeights(0.6, 0.2, 0.08, 0.04, 0.04, 0.04)
"""Partner search and event meetings: chosen by cross-validation across three labelled sets
(`benchmarks.matching.crossvalidate`, docs/matching.md); text relevance carries most of the signal."""

_DEFAULT_POLICIES: dict[MatchingUse, MatchingPolicy] = {
    MatchingUse.PARTNER_SEARCH: MatchingPolicy(
        use=MatchingUse.PARTNER_SEARCH,
        weights=CROSS_VALIDATED_WEIGHTS,
        candidate_types=ORGANISATION_TYPES_WITHOUT_COURSES,
        require_answering_opportunity=True,
        role_fit=_BUSINESS_FIT,
    ),
    MatchingUse.EXCHANGE_HOST: MatchingPolicy(
        use=MatchingUse.EXCHANGE_HOST,
        weights=ComponentWeights(0.30, 0.20, 0.20, 0.10, 0.10, 0.10),
        candidate_types=HOST_TYPES,
        asking_types=VISITOR_TYPES,
        require_other_country=True,
        require_eligible_country=True,
        role_fit=_HOST_FIT,
    ),
    MatchingUse.EVENT_MEETING: MatchingPolicy(
        use=MatchingUse.EVENT_MEETING,
        weights=CROSS_VALIDATED_WEIGHTS,
        candidate_types=ORGANISATION_TYPES_WITHOUT_COURSES,
        require_event_participation=True,
        require_answering_opportunity=True,
        role_fit=_BUSINESS_FIT,
    ),
    MatchingUse.TANDEM_PARTNER: MatchingPolicy(
        use=MatchingUse.TANDEM_PARTNER,
        weights=ComponentWeights(0.25, 0.25, 0.25, 0.05, 0.0, 0.20),
        candidate_types=CLUSTER_TYPES,
        asking_types=CLUSTER_TYPES,
        require_other_country=True,
    ),
    MatchingUse.TRAINING_COURSE: MatchingPolicy(
        use=MatchingUse.TRAINING_COURSE,
        weights=ComponentWeights(0.20, 0.50, 0.15, 0.0, 0.0, 0.15),
        candidate_types=frozenset({T.TRAINING_COURSE}),
        require_shared_language=True,
    ),
}


def default_policy(use: MatchingUse | str) -> MatchingPolicy:
    try:
        return _DEFAULT_POLICIES[MatchingUse(use)]
    except ValueError:
        raise ValueError(
            f"unknown matching use {use!r}: expected one of {[u.value for u in MatchingUse]}"
        ) from None
