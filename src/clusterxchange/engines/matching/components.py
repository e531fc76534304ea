"""The named score components, each in [0, 1], computed for a batch of asking profiles at once.

text_relevance       BM25 of what one side requests against what the other offers (compatible
                     kinds only, both directions): 0.7 x the better direction + 0.3 x the other,
                     so a mutual fit beats a one-sided one.
capability_fit       BM25 of everything the asking side requests against the candidate's own
                     description, keywords and technologies (what they do, even if unpublished).
shared_ecosystems    shared industrial ecosystems / the smaller number of ecosystems of the two.
shared_sectors       the same for NACE divisions; a shared NACE section alone counts half.
complementary_roles  the policy's role-fit table (e.g. SME visitor -> cluster host = 1).
language_overlap     1 if they share a language, 0 if both list languages and share none,
                     0.5 (unknown) if either lists none.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from .compatibility import ANSWERING_OFFER_KINDS, answers
from .index import (
    CAPABILITY_FIELD,
    ORGANISATION_TYPES,
    MatchingIndex,
    label_rows,
    opportunity_field,
    profile_labels,
    profile_texts,
)
from .policy import COMPONENTS, MatchingPolicy
from .profiles import Direction, OpportunityKind, OrganisationProfile
from .text_field import term_counts

MUTUAL_SHARE = 0.3
SECTION_ONLY_CREDIT = 0.5
UNKNOWN_LANGUAGE_CREDIT = 0.5


def _field_scores(index: MatchingIndex, field: str, query_texts: list[str]) -> np.ndarray | None:
    if not any(text.strip() for text in query_texts):
        return None
    return index.text_fields[field].scores(term_counts(query_texts))


def _best(current: np.ndarray, new: np.ndarray | None) -> np.ndarray:
    return current if new is None else np.maximum(current, new)


def text_relevance(index: MatchingIndex, texts: list[dict[str, str]]) -> np.ndarray:
    shape = (len(texts), index.slot_count)
    from_requests, from_offers = np.zeros(shape), np.zeros(shape)
    for request_kind in OpportunityKind:
        queries = [text[opportunity_field(request_kind, Direction.REQUEST)] for text in texts]
        for offer_kind in ANSWERING_OFFER_KINDS[request_kind]:
            scores = _field_scores(index, opportunity_field(offer_kind, Direction.OFFER), queries)
            from_requests = _best(from_requests, scores)
    for offer_kind in OpportunityKind:
        queries = [text[opportunity_field(offer_kind, Direction.OFFER)] for text in texts]
        for request_kind in OpportunityKind:
            if answers(offer_kind, request_kind):
                scores = _field_scores(index, opportunity_field(request_kind, Direction.REQUEST), queries)
                from_offers = _best(from_offers, scores)
    better, other = np.maximum(from_requests, from_offers), np.minimum(from_requests, from_offers)
    return (1 - MUTUAL_SHARE) * better + MUTUAL_SHARE * other


def all_requests_text(profile: OrganisationProfile) -> str:
    return " \n ".join(opportunity.full_text for opportunity in profile.opportunities_of(Direction.REQUEST))


def capability_fit(index: MatchingIndex, queries: Sequence[OrganisationProfile]) -> np.ndarray:
    scores = _field_scores(index, CAPABILITY_FIELD, [all_requests_text(profile) for profile in queries])
    return scores if scores is not None else np.zeros((len(queries), index.slot_count))


def shared_label_counts(index: MatchingIndex, family: str, label_lists: list[tuple[str, ...]]) -> np.ndarray:
    return index.label_families[family].products(label_rows(label_lists))


def _overlap(shared: np.ndarray, asking_counts: np.ndarray, candidate_counts: np.ndarray) -> np.ndarray:
    smaller = np.minimum(asking_counts[:, None], candidate_counts[None, :])
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(smaller > 0, np.minimum(shared / smaller, 1.0), 0.0)


def compute_components(
    index: MatchingIndex, queries: Sequence[OrganisationProfile], policy: MatchingPolicy
) -> tuple[dict[str, np.ndarray], np.ndarray]:
    """Each component as an (n_queries x n_slots) array, plus the shared-language counts.

    The shared-language counts are returned too because a hard filter of the training use needs them.
    """
    texts = [profile_texts(profile) for profile in queries]
    labels = [profile_labels(profile) for profile in queries]
    arrays = index.arrays()

    def overlap(family: str) -> np.ndarray:
        shared = shared_label_counts(index, family, [label[family] for label in labels])
        asking = np.array([len(label[family]) for label in labels], dtype=np.float64)
        return _overlap(shared, asking, arrays[f"count:{family}"])

    shared_languages = shared_label_counts(index, "languages", [label["languages"] for label in labels])
    asking_languages = np.array([len(label["languages"]) for label in labels])
    candidate_languages = arrays["count:languages"]
    unknown = (asking_languages[:, None] == 0) | (candidate_languages[None, :] == 0)
    language = np.where(shared_languages > 0, 1.0, np.where(unknown, UNKNOWN_LANGUAGE_CREDIT, 0.0))

    role_matrix = policy.role_matrix(ORGANISATION_TYPES)
    asking_types = np.array([ORGANISATION_TYPES.index(profile.organisation_type) for profile in queries])
    roles = role_matrix[asking_types][:, arrays["type"]]

    components = {
        "text_relevance": text_relevance(index, texts),
        "capability_fit": capability_fit(index, queries),
        "shared_ecosystems": overlap("ecosystems"),
        "shared_sectors": np.maximum(
            overlap("nace_divisions"), SECTION_ONLY_CREDIT * overlap("nace_sections")
        ),
        "complementary_roles": roles,
        "language_overlap": language,
    }
    return components, shared_languages


def weighted_total(components: dict[str, np.ndarray], policy: MatchingPolicy) -> np.ndarray:
    weights = policy.weights.as_dict()
    return sum(
        (weights[name] * components[name] for name in COMPONENTS), np.zeros_like(components[COMPONENTS[0]])
    )
