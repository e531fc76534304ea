"""The index's semantic part: one embedding per opportunity, by slot, kept current like the rest.

Each opportunity (title and text) is one row: its vector, the slot of its profile and its
(kind, direction) code. A query compares the asker's opportunities with the stored opportunities
of a compatible kind and opposite direction and keeps, per candidate, the best cosine. Rows of
replaced or removed profiles stay until compaction; their slots are masked by the index's
filters, so they are never suggested.

Scanning every vector costs memory bandwidth (100,000 profiles: about 300 MB a query), so a
large main segment (at least `PARTITION_MINIMUM` rows) is partitioned, inverted-file style:
rows are grouped by their nearest of `PARTITIONS` centroids (a sample of the rows), stored
contiguously, and a query scans only the `PROBED` partitions nearest to its opportunities. A
candidate in no probed partition gets semantic relevance 0 for that query (its lexical and
other components still count). Rows appended since the last compaction are always scanned.
Small indexes (every labelled set of the harness) are scanned exactly.

Hubs: some texts are close to very many others (a short, general offer such as "turnkey charge
point networks" is near every request about networks), so they outrank the right answer for
many askers. Each row keeps its hub score: the mean of its `HUB_NEIGHBOURS` highest cosines
with the compatible opportunities of other profiles, among at most `HUB_SAMPLE` rows of the
main segment (all of them in smaller indexes), centred on the mean over rows. A query subtracts
`hub_correction` x that score from each cosine, as cross-domain similarity local scaling does
(CSLS; Conneau et al., ICLR 2018; hubness: Radovanović et al., JMLR 2010). Rows appended
between compactions are scored against the same sample and mean; compaction re-measures both.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from threadpoolctl import ThreadpoolController

from .compatibility import can_match
from .profiles import OrganisationProfile
from .semantic import EmbeddingStore, sentences

PARTITION_MINIMUM = 20_000
PARTITIONS = 128
PROBED = 16
HUB_NEIGHBOURS = 10
HUB_SAMPLE = 2_048
HUB_BLOCK = 4_096

OPPORTUNITY_CODES: tuple[tuple[str, str], ...] = tuple(
    (kind, direction) for kind in ("business", "technology", "research") for direction in ("offer", "request")
)
COMPATIBLE = np.array(
    [[can_match(first, second) for second in OPPORTUNITY_CODES] for first in OPPORTUNITY_CODES], dtype=bool
)


_blas_controller: ThreadpoolController | None = None


def one_blas_thread():
    """A context in which BLAS uses one thread (many small products: one thread is ten times
    faster than two fighting on a busy machine). The controller is made once: making one inspects
    every loaded library, which cost several milliseconds a query."""
    global _blas_controller
    if _blas_controller is None:
        _blas_controller = ThreadpoolController()
    return _blas_controller.limit(limits=1, user_api="blas")


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


class _Segment:
    """Rows in one block: vectors, slots, codes, and (when partitioned) the partition boundaries."""

    def __init__(
        self, vectors: np.ndarray, slots: np.ndarray, codes: np.ndarray, hub: np.ndarray, partition: bool
    ) -> None:
        self.centroids: np.ndarray | None = None
        self.bounds = np.array([0, len(slots)])
        if partition and len(slots) >= PARTITION_MINIMUM:
            rng = np.random.default_rng(0)
            self.centroids = np.ascontiguousarray(vectors[rng.choice(len(slots), PARTITIONS, replace=False)])
            nearest = np.concatenate(
                [
                    np.argmax(vectors[start : start + 8_192] @ self.centroids.T, axis=1)
                    for start in range(0, len(slots), 8_192)
                ]
            )
            order = np.argsort(nearest, kind="stable")
            vectors, slots, codes, hub = vectors[order], slots[order], codes[order], hub[order]
            self.bounds = np.searchsorted(nearest[order], np.arange(PARTITIONS + 1))
        self.vectors = np.ascontiguousarray(vectors, dtype=np.float32)
        self.slots, self.codes, self.hub = slots, codes, hub
        self.slot_order = np.argsort(slots, kind="stable")
        ordered = slots[self.slot_order]
        self.slot_starts = np.flatnonzero(np.r_[True, ordered[1:] != ordered[:-1]]) if len(slots) else ordered
        self.distinct_slots = ordered[self.slot_starts]

    def ranges(self, query_vectors: np.ndarray) -> list[tuple[int, int]]:
        if self.centroids is None:
            return [(0, len(self.slots))]
        nearness = (query_vectors @ self.centroids.T).max(axis=0)
        probed = np.sort(np.argsort(-nearness)[:PROBED])
        return [
            (int(self.bounds[p]), int(self.bounds[p + 1]))
            for p in probed
            if self.bounds[p + 1] > self.bounds[p]
        ]


def neighbour_means(
    vectors: np.ndarray,
    slots: np.ndarray,
    codes: np.ndarray,
    sample: tuple[np.ndarray, np.ndarray, np.ndarray],
) -> np.ndarray:
    """Each row's mean of its `HUB_NEIGHBOURS` highest cosines with the compatible sample rows of other
    profiles (NaN for a row with none)."""
    sample_vectors, sample_slots, sample_codes = sample
    means = np.full(len(slots), np.nan)
    for code in np.unique(codes):
        partners = np.flatnonzero(COMPATIBLE[code][sample_codes])
        if partners.size == 0:
            continue
        partner_vectors, partner_slots = sample_vectors[partners], sample_slots[partners]
        neighbours = min(HUB_NEIGHBOURS, partners.size)
        rows = np.flatnonzero(codes == code)
        for start in range(0, rows.size, HUB_BLOCK):
            chosen = rows[start : start + HUB_BLOCK]
            similarity = vectors[chosen] @ partner_vectors.T
            similarity[slots[chosen][:, None] == partner_slots[None, :]] = -np.inf
            top = -np.partition(-similarity, neighbours - 1, axis=1)[:, :neighbours]
            finite = np.isfinite(top)
            counts = finite.sum(axis=1)
            sums = np.where(finite, top, 0.0).sum(axis=1, dtype=np.float64)
            means[chosen] = np.where(counts > 0, sums / np.maximum(counts, 1), np.nan)
    return means


class _HubScale:
    """The sample and mean that hub scores are measured against, fixed at build and compaction."""

    def __init__(self, vectors: np.ndarray, slots: np.ndarray, codes: np.ndarray) -> None:
        chosen = np.arange(len(slots))
        if len(slots) > HUB_SAMPLE:
            chosen = np.sort(np.random.default_rng(0).choice(len(slots), HUB_SAMPLE, replace=False))
        self.sample = (np.ascontiguousarray(vectors[chosen], dtype=np.float32), slots[chosen], codes[chosen])
        self.main_means = neighbour_means(vectors, slots, codes, self.sample)
        known = self.main_means[~np.isnan(self.main_means)]
        self.mean = float(known.mean()) if known.size else 0.0

    def scores(self, means: np.ndarray) -> np.ndarray:
        """Hub scores centred on the main segment's mean; 0 (average) for rows without partners."""
        return np.where(np.isnan(means), 0.0, means - self.mean)


def _main_segment(vectors: np.ndarray, slots: np.ndarray, codes: np.ndarray) -> tuple[_Segment, _HubScale]:
    scale = _HubScale(vectors, slots, codes)
    return _Segment(vectors, slots, codes, scale.scores(scale.main_means), True), scale


class SemanticField:
    """Opportunity vectors with their slots and codes; appended on upsert, rebuilt on compaction."""

    def __init__(self, store: EmbeddingStore, profiles: Sequence[OrganisationProfile]) -> None:
        self.store = store
        texts, owners, codes = opportunity_rows(profiles)
        vectors = store.vectors(texts) if texts else np.zeros((0, store.encoder.dimensions), np.float32)
        self._main, self._hub_scale = _main_segment(
            vectors, np.asarray(owners, np.int64), np.asarray(codes, np.int8)
        )
        self._appended: list[tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]] = []
        self._appended_segment: _Segment | None = None
        encode_sentences(store, profiles)

    def append(self, profile: OrganisationProfile, slot: int) -> None:
        texts, _, codes = opportunity_rows([profile])
        if texts:
            vectors, codes = self.store.vectors(texts), np.asarray(codes, dtype=np.int8)
            slots = np.full(len(texts), slot, dtype=np.int64)
            hub = self._hub_scale.scores(neighbour_means(vectors, slots, codes, self._hub_scale.sample))
            self._appended.append((vectors, slots, codes, hub))
            self._appended_segment = None
        encode_sentences(self.store, [profile])

    def _segments(self) -> list[_Segment]:
        if self._appended and self._appended_segment is None:
            vectors, slots, codes, hub = (np.concatenate(part) for part in zip(*self._appended, strict=True))
            self._appended_segment = _Segment(vectors, slots, codes, hub, False)
        return [self._main, *([self._appended_segment] if self._appended_segment else [])]

    def compacted(self, keep: np.ndarray) -> SemanticField:
        """The rows of the kept slots, renumbered to their new slots (no text is re-encoded)."""
        segments = self._segments()
        vectors = np.concatenate([segment.vectors for segment in segments])
        slots = np.concatenate([segment.slots for segment in segments])
        codes = np.concatenate([segment.codes for segment in segments])
        new_slot = np.full(max(int(slots.max(initial=-1)), int(keep.max(initial=-1))) + 1, -1, dtype=np.int64)
        new_slot[keep] = np.arange(keep.size)
        kept = new_slot[slots] >= 0
        field = SemanticField.__new__(SemanticField)
        field.store = self.store
        field._main, field._hub_scale = _main_segment(vectors[kept], new_slot[slots[kept]], codes[kept])
        field._appended, field._appended_segment = [], None
        return field

    def scores(
        self, queries: Sequence[OrganisationProfile], slot_count: int, hub_correction: float = 0.0
    ) -> np.ndarray:
        """Best cosine between each query's opportunities and each slot's compatible ones, less
        `hub_correction` x the stored row's hub score, clipped at 0."""
        result = np.zeros((len(queries), slot_count), dtype=np.float64)
        texts, owners, codes = opportunity_rows(queries)
        if not texts:
            return result
        query_vectors = self.store.vectors(texts)
        owners_array, codes_array = np.asarray(owners), np.asarray(codes)
        with one_blas_thread():
            for segment in self._segments():
                if not len(segment.slots):
                    continue
                score = _score_whole_segment if segment.centroids is None else _score_probed_partitions
                score(result, segment, query_vectors, owners_array, codes_array, hub_correction)
        return result


def _score_whole_segment(result, segment: _Segment, query_vectors, owners, codes, hub_correction) -> None:
    """All queries against every row at once; per owner the best compatible row, per slot the best."""
    similarity = query_vectors @ segment.vectors.T
    if hub_correction:
        similarity = similarity - hub_correction * segment.hub[None, :]
    similarity = np.maximum(similarity, 0.0)
    similarity[~COMPATIBLE[codes][:, segment.codes]] = 0.0
    owner_starts = np.flatnonzero(np.r_[True, owners[1:] != owners[:-1]])
    per_owner = np.maximum.reduceat(similarity, owner_starts, axis=0)
    per_slot = np.maximum.reduceat(per_owner[:, segment.slot_order], segment.slot_starts, axis=1)
    cells = np.ix_(owners[owner_starts], segment.distinct_slots)
    result[cells] = np.maximum(result[cells], per_slot)


def _score_probed_partitions(result, segment: _Segment, query_vectors, owners, codes, hub_correction) -> None:
    """Per query profile, its opportunities against the rows of the partitions nearest to them.

    The product is taken as rows x query vectors (`rows @ queries.T`): the same numbers as
    `queries @ rows.T`, but BLAS streams the rows once instead of once per query vector. Each
    probed row's best compatible cosine goes into one buffer of the result's type, so that a single
    `np.maximum.at` keeps the best row per slot (with mixed types it takes numpy's slow path).
    """
    for owner in np.unique(owners):
        mine = owners == owner
        own_vectors, compatible_codes = query_vectors[mine], COMPATIBLE[codes[mine]].T
        ranges = segment.ranges(own_vectors)
        if not ranges:
            continue
        best = np.empty(sum(end - start for start, end in ranges), dtype=result.dtype)
        position = 0
        for start, end in ranges:
            similarity = segment.vectors[start:end] @ own_vectors.T
            if hub_correction:
                similarity = similarity - hub_correction * segment.hub[start:end, None]
            similarity[~compatible_codes[segment.codes[start:end]]] = 0.0
            best[position : position + end - start] = similarity.max(axis=1)
            position += end - start
        slots = np.concatenate([segment.slots[start:end] for start, end in ranges])
        np.maximum.at(result[owner], slots, best)
