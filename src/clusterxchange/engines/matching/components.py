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
import scipy.sparse as sp

from .compatibility import ANSWERING_OFFER_KINDS
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

OFFER, REQUEST = Direction.OFFER, Direction.REQUEST
MUTUAL_SHARE = 0.3
# Cosines below this best value are not scaled up: an asker with nothing close gets nothing close.
RELATIVE_SEMANTIC_MINIMUM = 0.3
SECTION_ONLY_CREDIT = 0.5
UNKNOWN_LANGUAGE_CREDIT = 0.5


def text_relevance(index: MatchingIndex, texts: list[dict[str, str]]) -> np.ndarray:
    shape = (len(texts), index.slot_count)
    from_requests, from_offers = np.zeros(shape), np.zeros(shape)
    query_counts: dict[str, sp.csr_matrix | None] = {}

    def scores(query_field: str, target_field: str) -> np.ndarray | None:
        if query_field not in query_counts:
            queries = [text[query_field] for text in texts]
            query_counts[query_field] = term_counts(queries) if any(q.strip() for q in queries) else None
        counts = query_counts[query_field]
        return None if counts is None else index.text_fields[target_field].scores(counts)

    for request_kind in OpportunityKind:
        for offer_kind in ANSWERING_OFFER_KINDS[request_kind]:
            found = scores(opportunity_field(request_kind, REQUEST), opportunity_field(offer_kind, OFFER))
            from_requests = from_requests if found is None else np.maximum(from_requests, found)
            found = scores(opportunity_field(offer_kind, OFFER), opportunity_field(request_kind, REQUEST))
            from_offers = from_offers if found is None else np.maximum(from_offers, found)
    better, other = np.maximum(from_requests, from_offers), np.minimum(from_requests, from_offers)
    return (1 - MUTUAL_SHARE) * better + MUTUAL_SHARE * other


def relative_semantic(
    index: MatchingIndex, queries: Sequence[OrganisationProfile], semantic: np.ndarray
) -> np.ndarray:
    """Each asker's cosines over its best one among the other live profiles (at least 0.3), in [0, 1].

    Cosines of one model are on different scales for different texts (a short, general request is
    close to nothing; a long, specific one to many); the lexical score is normalised by the
    query's best possible score for the same reason. Relative to the asker's best candidate, the
    semantic part weighs the same for every asker against the other components.
    """
    alive = np.broadcast_to(index.arrays()["alive"], semantic.shape).copy()
    for row, profile in enumerate(queries):
        own = index.slot_of(profile.id)
        if own is not None:
            alive[row, own] = False
    best = np.where(alive, semantic, 0.0).max(axis=1, initial=0.0)
    return np.minimum(semantic / np.maximum(best, RELATIVE_SEMANTIC_MINIMUM)[:, None], 1.0)


def blended_text_relevance(
    index: MatchingIndex, queries: Sequence[OrganisationProfile], lexical: np.ndarray, policy: MatchingPolicy
) -> np.ndarray:
    """Lexical text relevance mixed with the semantic one (policy.text_blend); lexical alone without a model."""
    if index.semantic is None:
        return lexical
    blend = policy.text_blend
    cosines = index.semantic.scores(queries, index.slot_count, blend.hub_correction)
    semantic = relative_semantic(index, queries, cosines)
    rescaled = np.clip((semantic - blend.semantic_floor) / (1 - blend.semantic_floor), 0.0, 1.0)
    return (1 - blend.semantic_share) * lexical + blend.semantic_share * rescaled


def all_requests_text(profile: OrganisationProfile) -> str:
    return " \n ".join(opportunity.full_text for opportunity in profile.opportunities_of(Direction.REQUEST))


def capability_fit(index: MatchingIndex, queries: Sequence[OrganisationProfile]) -> np.ndarray:
    texts = [all_requests_text(profile) for profile in queries]
    if not any(text.strip() for text in texts):
        return np.zeros((len(queries), index.slot_count))
    return index.text_fields[CAPABILITY_FIELD].scores(term_counts(texts))


def shared_label_counts(index: MatchingIndex, family: str, label_lists: list[tuple[str, ...]]) -> np.ndarray:
    return index.label_families[family].products(label_rows(label_lists))


def _overlap(shared: np.ndarray, asking_counts: np.ndarray, candidate_counts: np.ndarray) -> np.ndarray:
    """shared / min(count of asker, count of candidate), 0 where nothing is shared.

    Computed densely: listing the shared cells first (`np.nonzero`) cost more than the arithmetic
    it saved, most of all for labels most profiles share (English).
    """
    smaller = np.minimum(asking_counts[:, None], candidate_counts[None, :])
    return np.where(shared > 0, np.minimum(shared / np.maximum(smaller, 1), 1.0), 0.0)


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
        "text_relevance": blended_text_relevance(index, queries, text_relevance(index, texts), policy),
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
    total = np.zeros_like(components[COMPONENTS[0]])
    for name, weight in policy.weights.as_dict().items():
        if weight:
            total += weight * components[name]
    return total
