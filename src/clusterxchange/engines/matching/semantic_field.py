"""The index's semantic part: one embedding per opportunity, by slot, kept current like the rest.

Each opportunity (title and text) is one row: its vector, the slot of its profile and its
(kind, direction) code. A query compares the asker's opportunities with every stored
opportunity of a compatible kind and opposite direction and keeps, per candidate, the best
cosine. Rows of replaced or removed profiles stay until compaction; their slots are masked by
the index's filters, so they are never suggested.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from .compatibility import can_match
from .profiles import OrganisationProfile
from .semantic import EmbeddingStore, sentences

OPPORTUNITY_CODES: tuple[tuple[str, str], ...] = tuple(
    (kind, direction) for kind in ("business", "technology", "research") for direction in ("offer", "request")
)
COMPATIBLE = np.array(
    [[can_match(first, second) for second in OPPORTUNITY_CODES] for first in OPPORTUNITY_CODES], dtype=bool
)


def opportunity_code(opportunity) -> int:
    return OPPORTUNITY_CODES.index((opportunity.kind.value, opportunity.direction.value))


def opportunity_rows(profiles: Sequence[OrganisationProfile]) -> tuple[list[str], list[int], list[int]]:
    """Texts, profile positions and codes of every opportunity of `profiles`."""
    texts, owners, codes = [], [], []
    for position, profile in enumerate(profiles):
        for opportunity in profile.opportunities:
            texts.append(opportunity.full_text)
            owners.append(position)
            codes.append(opportunity_code(opportunity))
    return texts, owners, codes


def encode_sentences(store: EmbeddingStore, profiles: Sequence[OrganisationProfile]) -> None:
    """Encode now the single sentences of multi-sentence opportunities, so explanations never wait."""
    split = [
        sentence
        for profile in profiles
        for opportunity in profile.opportunities
        if len(parts := sentences(opportunity.full_text)) > 1
        for sentence in parts
    ]
    if split:
        store.vectors(split)


class SemanticField:
    """Opportunity vectors with their slots and codes; appended on upsert, rebuilt on compaction."""

    def __init__(self, store: EmbeddingStore, profiles: Sequence[OrganisationProfile], first_slot: int = 0):
        self.store = store
        texts, owners, codes = opportunity_rows(profiles)
        self._vectors = [store.vectors(texts)] if texts else []
        self._slots = [np.asarray(owners, dtype=np.int64) + first_slot]
        self._codes = [np.asarray(codes, dtype=np.int8)]
        self._matrix: tuple[np.ndarray, np.ndarray, np.ndarray] | None = None
        encode_sentences(store, profiles)

    def append(self, profile: OrganisationProfile, slot: int) -> None:
        texts, _, codes = opportunity_rows([profile])
        if texts:
            self._vectors.append(self.store.vectors(texts))
            self._slots.append(np.full(len(texts), slot, dtype=np.int64))
            self._codes.append(np.asarray(codes, dtype=np.int8))
            self._matrix = None
        encode_sentences(self.store, [profile])

    def arrays(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        if self._matrix is None:
            dimensions = self.store.encoder.dimensions
            vectors = np.vstack(self._vectors) if self._vectors else np.zeros((0, dimensions), np.float32)
            self._matrix = (vectors, np.concatenate(self._slots), np.concatenate(self._codes))
            self._vectors, self._slots, self._codes = [vectors], [self._matrix[1]], [self._matrix[2]]
        return self._matrix

    def compacted(self, keep: np.ndarray) -> SemanticField:
        """The rows of the kept slots, renumbered to their new slots (no text is re-encoded)."""
        vectors, slots, codes = self.arrays()
        new_slot = np.full(int(slots.max(initial=-1)) + 1, -1, dtype=np.int64)
        new_slot[keep[keep < new_slot.size]] = np.flatnonzero(keep < new_slot.size)
        kept = new_slot[slots] >= 0 if slots.size else np.zeros(0, dtype=bool)
        field = SemanticField.__new__(SemanticField)
        field.store = self.store
        field._vectors, field._slots, field._codes = [vectors[kept]], [new_slot[slots[kept]]], [codes[kept]]
        field._matrix = None
        return field

    def scores(self, queries: Sequence[OrganisationProfile], slot_count: int) -> np.ndarray:
        """Best cosine (clipped at 0) between each query's opportunities and each slot's compatible ones."""
        result = np.zeros((len(queries), slot_count), dtype=np.float64)
        texts, owners, codes = opportunity_rows(queries)
        vectors, slots, stored_codes = self.arrays()
        if not texts or not slots.size:
            return result
        query_vectors = self.store.vectors(texts)
        owners_array, codes_array = np.asarray(owners), np.asarray(codes)
        for code in np.unique(stored_codes):
            rows = np.flatnonzero(stored_codes == code)
            compatible = np.flatnonzero(COMPATIBLE[codes_array, code])
            if not compatible.size:
                continue
            similarity = query_vectors[compatible] @ vectors[rows].T
            for owner in np.unique(owners_array[compatible]):
                best = similarity[owners_array[compatible] == owner].max(axis=0)
                np.maximum.at(result[owner], slots[rows], np.maximum(best, 0.0))
        return result
