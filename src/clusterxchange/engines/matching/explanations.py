"""Plain-English reasons for a suggestion, naming the features the two profiles really share.

Every reason is a message id (a `str.format` template with named parameters) plus its
parameters, so the Django layer can translate: `gettext(reason.message).format(**reason.params)`.
All message ids are listed in `REASON_MESSAGES` for the translation catalogue.

Quotes are meaningful units in the profiles' own words, never word fragments or stemmed keys:
a text match quotes the request sentence and the offer sentence that matched best (by the
semantic model's similarity when one is loaded, else by shared keys), a capability match the
whole keyword or technology term or the whole description sentence that matched.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field

import numpy as np

from .compatibility import can_match
from .components import SECTION_ONLY_CREDIT, all_requests_text
from .policy import MatchingPolicy
from .profiles import Direction, Opportunity, OrganisationProfile, OrganisationType
from .reference import fold, language_name, parse_nace
from .semantic import EmbeddingStore, sentences
from .text import key_set

MAX_QUOTE_CHARACTERS = 160
MIN_TEXT_SCORE = 0.05
LEXICAL_TIE_BREAK = 0.1

THEY_OFFER = "their offer '{their_text}' answers your request '{your_text}'"
THEY_REQUEST = "their request '{their_text}' is answered by your offer '{your_text}'"
PROFILE_MENTIONS = "their profile mentions '{phrase}', which you request"
COURSE_COVERS = "the course covers '{phrase}', which you asked for"
BOTH_IN_ECOSYSTEMS = "both in {ecosystems}"
BOTH_IN_NACE = "both work in NACE {codes}"
BOTH_IN_NACE_SECTION = "both work in NACE section {sections}"
ROLE_FIT = "they are {their_role}, a good fit for {your_role}"
SPEAKS = "speaks {languages}"
TAUGHT_IN = "taught in {languages}"
MEETS_CRITERIA = "no strong shared feature yet; suggested because they meet the {use} criteria"
REASON_MESSAGES: tuple[str, ...] = (
    THEY_OFFER, THEY_REQUEST, PROFILE_MENTIONS, COURSE_COVERS, BOTH_IN_ECOSYSTEMS, BOTH_IN_NACE,
    BOTH_IN_NACE_SECTION, ROLE_FIT, SPEAKS, TAUGHT_IN, MEETS_CRITERIA,
)  # fmt: skip

ROLE_LABELS: dict[OrganisationType, str] = {
    OrganisationType.CLUSTER_ORGANISATION: "a cluster organisation",
    OrganisationType.BUSINESS_NETWORK: "a business network",
    OrganisationType.SCALE_UP_SUPPORT: "a scaling-up support organisation",
    OrganisationType.RESEARCH_ORGANISATION: "a research organisation",
    OrganisationType.SME: "an SME",
    OrganisationType.LARGE_COMPANY: "a large company",
    OrganisationType.PUBLIC_AUTHORITY: "a public authority",
    OrganisationType.TRAINING_PROVIDER: "a training provider",
    OrganisationType.TRAINING_COURSE: "a training course",
    OrganisationType.OTHER: "an organisation",
}
STRONG_ROLE_FIT = 0.9


@dataclass(frozen=True)
class Reason:
    """One reason: which component it explains, its message id and parameters, and its weight in the score."""

    component: str
    message: str
    params: Mapping[str, object] = field(default_factory=dict)
    contribution: float = 0.0

    @property
    def text(self) -> str:
        return self.message.format(**self.params)


def join_names(names: list[str]) -> str:
    if len(names) <= 1:
        return "".join(names)
    return ", ".join(names[:-1]) + " and " + names[-1]


def quote(text: str) -> str:
    """A sentence or term as quoted in a reason: spaces tidied, final stop dropped, long ones cut at a word."""
    tidy = " ".join(text.split()).rstrip(" .;")
    if len(tidy) <= MAX_QUOTE_CHARACTERS:
        return tidy
    return tidy[:MAX_QUOTE_CHARACTERS].rsplit(" ", 1)[0].rstrip(",;:") + " …"


def key_overlap(first: str, second: str) -> float:
    """Shared keys over the geometric mean of the key counts (0 when nothing is shared)."""
    own, theirs = key_set(first), key_set(second)
    shared = len(own & theirs)
    return shared / math.sqrt(len(own) * len(theirs)) if shared else 0.0


def matched_sentences(
    asking: OrganisationProfile, candidate: OrganisationProfile, embeddings: EmbeddingStore | None = None
) -> tuple[Opportunity, str, str] | None:
    """The candidate's opportunity and the (asking, candidate) sentence pair that match best.

    Only compatible opportunity pairs count (an offer against a request it can answer). With a
    semantic model, the pair with the highest similarity wins (shared keys break near-ties);
    without one, the pair sharing most keys, and None when no pair shares any.
    """
    units = [
        (theirs, own_sentence, their_sentence)
        for own in asking.opportunities
        for theirs in candidate.opportunities
        if can_match((own.kind, own.direction), (theirs.kind, theirs.direction))
        for own_sentence in sentences(own.full_text)
        for their_sentence in sentences(theirs.full_text)
    ]
    if not units:
        return None
    scores = np.array([key_overlap(own, theirs) for _, own, theirs in units])
    if embeddings is not None:
        vectors = embeddings.vectors([own for _, own, _ in units] + [theirs for _, _, theirs in units])
        own_vectors, their_vectors = vectors[: len(units)], vectors[len(units) :]
        scores = np.einsum("ij,ij->i", own_vectors, their_vectors) + LEXICAL_TIE_BREAK * scores
    elif not scores.any():
        return None
    return units[int(np.argmax(scores))]


def text_reason(
    asking: OrganisationProfile,
    candidate: OrganisationProfile,
    contribution: float,
    embeddings: EmbeddingStore | None = None,
) -> Reason | None:
    matched = matched_sentences(asking, candidate, embeddings)
    if matched is None:
        return None
    theirs, own_sentence, their_sentence = matched
    message = THEY_OFFER if theirs.direction == Direction.OFFER else THEY_REQUEST
    params = {"their_text": quote(their_sentence), "your_text": quote(own_sentence)}
    return Reason("text_relevance", message, params, contribution)


def capability_phrase(requests_text: str, candidate: OrganisationProfile) -> str:
    """The candidate's whole keyword or technology term sharing most keys with the requests, else
    the description sentence that does; '' when nothing is shared."""
    wanted = key_set(requests_text)
    for units in ((*candidate.keywords, *candidate.technologies), sentences(candidate.description)):
        shared = [(len(key_set(unit) & wanted), -len(unit), unit) for unit in units]
        best = max(shared, default=(0, 0, ""))
        if best[0]:
            return quote(best[2])
    return ""


def capability_reason(
    asking: OrganisationProfile, candidate: OrganisationProfile, contribution: float
) -> Reason | None:
    phrase = capability_phrase(all_requests_text(asking), candidate)
    if not phrase:
        return None
    message = (
        COURSE_COVERS if candidate.organisation_type == OrganisationType.TRAINING_COURSE else PROFILE_MENTIONS
    )
    return Reason("capability_fit", message, {"phrase": phrase}, contribution)


def ecosystem_reason(
    asking: OrganisationProfile, candidate: OrganisationProfile, contribution: float
) -> Reason | None:
    own = {fold(ecosystem) for ecosystem in asking.ecosystems}
    shared = [ecosystem for ecosystem in candidate.ecosystems if fold(ecosystem) in own]
    if not shared:
        return None
    # The names also as a list, so that a page can name them in its reader's language.
    params = {"ecosystems": join_names(shared), "ecosystem_names": tuple(shared)}
    return Reason("shared_ecosystems", BOTH_IN_ECOSYSTEMS, params, contribution)


def sector_reason(
    asking: OrganisationProfile, candidate: OrganisationProfile, contribution: float
) -> Reason | None:
    own = [parse_nace(code) for code in asking.nace_codes]
    theirs = [parse_nace(code) for code in candidate.nace_codes]
    own_divisions = {division for _, division in own if division}
    divisions = sorted({(section, division) for section, division in theirs if division in own_divisions})
    if divisions:
        codes = join_names([f"{section}{division:02d}" for section, division in divisions])
        return Reason("shared_sectors", BOTH_IN_NACE, {"codes": codes}, contribution)
    own_sections = {section for section, _ in own if section}
    sections = sorted({section for section, _ in theirs if section in own_sections})
    if sections:
        return Reason(
            "shared_sectors",
            BOTH_IN_NACE_SECTION,
            {"sections": join_names(sections)},
            contribution * SECTION_ONLY_CREDIT,
        )
    return None


def role_reason(
    asking: OrganisationProfile, candidate: OrganisationProfile, value: float, contribution: float
) -> Reason | None:
    if value < STRONG_ROLE_FIT:
        return None
    params = {
        "their_role": ROLE_LABELS[candidate.organisation_type],
        "your_role": ROLE_LABELS[asking.organisation_type],
    }
    return Reason("complementary_roles", ROLE_FIT, params, contribution)


def language_reason(
    asking: OrganisationProfile, candidate: OrganisationProfile, contribution: float
) -> Reason | None:
    shared = [language for language in candidate.languages if language in set(asking.languages)]
    if not shared:
        return None
    message = TAUGHT_IN if candidate.organisation_type == OrganisationType.TRAINING_COURSE else SPEAKS
    names = [language_name(language) for language in shared[:3]]
    params = {"languages": join_names(names), "language_names": tuple(names)}
    return Reason("language_overlap", message, params, contribution)


def explain(
    asking: OrganisationProfile,
    candidate: OrganisationProfile,
    components: Mapping[str, float],
    policy: MatchingPolicy,
    embeddings: EmbeddingStore | None = None,
) -> tuple[Reason, ...]:
    """The strongest reasons (at most `policy.max_reasons`), most important first; never empty."""
    weights = policy.weights.as_dict()

    def share(name: str) -> float:
        return weights[name] * components[name]

    candidates = [
        text_reason(asking, candidate, share("text_relevance"), embeddings)
        if components["text_relevance"] >= MIN_TEXT_SCORE else None,
        capability_reason(asking, candidate, share("capability_fit"))
        if components["capability_fit"] >= MIN_TEXT_SCORE else None,
        ecosystem_reason(asking, candidate, share("shared_ecosystems")),
        sector_reason(asking, candidate, share("shared_sectors")),
        role_reason(asking, candidate, components["complementary_roles"], share("complementary_roles")),
        language_reason(asking, candidate, share("language_overlap")),
    ]  # fmt: skip
    reasons = [reason for reason in candidates if reason is not None and weights[reason.component] > 0]
    reasons.sort(key=lambda reason: -reason.contribution)
    if not reasons:
        return (Reason("", MEETS_CRITERIA, {"use": policy.use.value.replace("_", " ")}, 0.0),)
    return tuple(reasons[: policy.max_reasons])
