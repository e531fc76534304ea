"""Plain-English reasons for a suggestion, naming the features the two profiles really share.

Every reason is a message id (a `str.format` template with named parameters) plus its
parameters, so the Django layer can translate: `gettext(reason.message).format(**reason.params)`.
All message ids are listed in `REASON_MESSAGES` for the translation catalogue. Quoted phrases
are the candidate's (or the asker's) own words, never the engine's stemmed keys.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import lru_cache

from .compatibility import can_match
from .components import SECTION_ONLY_CREDIT, all_requests_text
from .policy import MatchingPolicy
from .profiles import Direction, Opportunity, OrganisationProfile, OrganisationType
from .reference import fold, language_name, parse_nace
from .text import key_set, word_spans

MAX_PHRASE_WORDS = 6
MAX_PHRASE_CHARACTERS = 70
MIN_TEXT_SCORE = 0.05

THEY_OFFER = "they offer '{phrase}', which you request"
THEY_REQUEST = "they request '{phrase}', which you offer"
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

_PHRASE_BREAK = re.compile(r"[.,;:!?()\[\]\n|]")


@dataclass(frozen=True)
class Reason:
    """One reason: which component it explains, its message id and parameters, and its weight in the score."""

    component: str
    message: str
    params: Mapping[str, str] = field(default_factory=dict)
    contribution: float = 0.0

    @property
    def text(self) -> str:
        return self.message.format(**self.params)


def join_names(names: list[str]) -> str:
    if len(names) <= 1:
        return "".join(names)
    return ", ".join(names[:-1]) + " and " + names[-1]


@lru_cache(maxsize=100_000)
def matching_phrase(text: str, keys: frozenset[str]) -> str:
    """The longest run of `text` whose content words all carry one of `keys`, in the original words.

    Stop words may sit inside a run ("testing of power electronics"); punctuation ends it.
    """
    best: tuple[int, int, int] | None = None
    run_start = run_end = None
    matched: set[str] = set()
    last_end = 0
    for start, end, key in [*word_spans(text), (len(text), len(text), None)]:
        gap_breaks = run_start is not None and bool(_PHRASE_BREAK.search(text, last_end, start))
        if key is None or gap_breaks or (key and key not in keys):
            if run_start is not None and run_end is not None and (best is None or len(matched) > best[0]):
                best = (len(matched), run_start, run_end)
            run_start, run_end, matched = None, None, set()
        if key and key in keys:
            if run_start is None:
                run_start = start
            run_end = end
            matched.add(key)
        last_end = end
    if best is None:
        return ""
    return _shorten(text[best[1] : best[2]])


def _shorten(phrase: str) -> str:
    words = phrase.split()
    shortened = " ".join(words[:MAX_PHRASE_WORDS])
    return (
        shortened
        if len(shortened) <= MAX_PHRASE_CHARACTERS
        else shortened[:MAX_PHRASE_CHARACTERS].rsplit(" ", 1)[0]
    )


def _best_opportunity_pair(
    asking: OrganisationProfile, candidate: OrganisationProfile
) -> tuple[Opportunity, Opportunity, frozenset[str]] | None:
    """The compatible (asking, candidate) opportunity pair sharing most keys, with the shared keys."""
    best = None
    candidate_keys = [
        (opportunity, key_set(opportunity.full_text)) for opportunity in candidate.opportunities
    ]
    for own in asking.opportunities:
        own_keys = key_set(own.full_text)
        for theirs, their_keys in candidate_keys:
            if not can_match((own.kind, own.direction), (theirs.kind, theirs.direction)):
                continue
            shared = own_keys & their_keys
            if shared and (best is None or len(shared) > len(best[2])):
                best = (own, theirs, shared)
    return best


def text_reason(
    asking: OrganisationProfile, candidate: OrganisationProfile, contribution: float
) -> Reason | None:
    pair = _best_opportunity_pair(asking, candidate)
    if pair is None:
        return None
    _, theirs, shared = pair
    phrase = matching_phrase(theirs.full_text, shared)
    if not phrase:
        return None
    message = THEY_OFFER if theirs.direction == Direction.OFFER else THEY_REQUEST
    return Reason("text_relevance", message, {"phrase": phrase}, contribution)


def capability_reason(
    asking: OrganisationProfile, candidate: OrganisationProfile, contribution: float
) -> Reason | None:
    shared = key_set(all_requests_text(asking)) & key_set(candidate.capability_text)
    phrase = matching_phrase(candidate.capability_text, shared) if shared else ""
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
    return Reason("shared_ecosystems", BOTH_IN_ECOSYSTEMS, {"ecosystems": join_names(shared)}, contribution)


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
    names = join_names([language_name(language) for language in shared[:3]])
    return Reason("language_overlap", message, {"languages": names}, contribution)


def explain(
    asking: OrganisationProfile,
    candidate: OrganisationProfile,
    components: Mapping[str, float],
    policy: MatchingPolicy,
) -> tuple[Reason, ...]:
    """The strongest reasons (at most `policy.max_reasons`), most important first; never empty."""
    weights = policy.weights.as_dict()

    def share(name: str) -> float:
        return weights[name] * components[name]

    candidates = [
        text_reason(asking, candidate, share("text_relevance"))
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
