"""One BM25-scored text field of the index (e.g. all technology offers of each profile).

Terms are the keys of `text.analyse`, hashed by scikit-learn's `HashingVectorizer` so the
feature space is fixed: adding a profile never needs a refit. Document frequencies are kept
as counts and updated on every add/remove, so IDF is always exact. The length normalisation
uses the average document length measured at the last compaction (it drifts slowly; the index
re-measures it when it compacts).

Scores are normalised by the query's best possible score (every query term that occurs in the
field at all, present with saturated frequency), so a text score is in [0, 1] and comparable
across queries; words nobody uses cannot lower it.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import scipy.sparse as sp
from sklearn.feature_extraction.text import HashingVectorizer

from .sparse_rows import SparseRows
from .text import analyse

N_TEXT_FEATURES = 2**20
BM25_K1 = 1.2
BM25_B = 0.75

HASHER = HashingVectorizer(
    n_features=N_TEXT_FEATURES, analyzer=analyse, alternate_sign=False, norm=None, dtype=np.float32
)


def term_counts(texts: Sequence[str]) -> sp.csr_matrix:
    """Hashed term counts, one row per text (scikit-learn refuses an empty list, so that is handled here)."""
    if not texts:
        return sp.csr_matrix((0, N_TEXT_FEATURES), dtype=np.float32)
    return HASHER.transform(texts).tocsr()


def row_sums(matrix: sp.csr_matrix) -> np.ndarray:
    """Sum of each row (scipy's own sum multiplies by a dense vector as long as the feature space)."""
    rows = np.repeat(np.arange(matrix.shape[0]), np.diff(matrix.indptr))
    return np.bincount(rows, weights=matrix.data, minlength=matrix.shape[0]).astype(np.float64)


class TextField:
    def __init__(self, counts: sp.csr_matrix | None = None) -> None:
        counts = counts if counts is not None else sp.csr_matrix((0, N_TEXT_FEATURES), dtype=np.float32)
        self._counts = SparseRows(N_TEXT_FEATURES, counts)
        lengths = row_sums(counts)
        non_empty = lengths[lengths > 0]
        self.average_length = float(non_empty.mean()) if non_empty.size else 1.0
        self._weights = SparseRows(N_TEXT_FEATURES, self._saturate(counts, lengths))
        self.document_frequency = np.bincount(counts.indices, minlength=N_TEXT_FEATURES)
        self.non_empty_documents = int(non_empty.size)

    def _saturate(self, counts: sp.csr_matrix, lengths: np.ndarray) -> sp.csr_matrix:
        """BM25's term-frequency part, tf (k1 + 1) / (tf + k1 (1 - b + b |d| / avgdl)), per cell."""
        saturated = counts.astype(np.float32, copy=True)
        row_of_cell = np.repeat(np.arange(counts.shape[0]), np.diff(counts.indptr))
        norm = BM25_K1 * (1 - BM25_B + BM25_B * lengths[row_of_cell] / self.average_length)
        saturated.data = (counts.data * (BM25_K1 + 1) / (counts.data + norm)).astype(np.float32)
        return saturated

    def __len__(self) -> int:
        return len(self._counts)

    def prepare(self) -> None:
        """Build the posting lists now rather than on the first query."""
        self._weights.main_transposed()

    @property
    def appended_count(self) -> int:
        return self._counts.appended_count

    def append(self, counts_row: sp.csr_matrix) -> None:
        counts_row = counts_row.tocsr().astype(np.float32)
        length = row_sums(counts_row)
        self._counts.append(counts_row)
        self._weights.append(self._saturate(counts_row, length))
        self.document_frequency[counts_row.indices] += 1
        self.non_empty_documents += int(counts_row.nnz > 0)

    def forget(self, slot: int) -> None:
        """Remove a row's terms from the document frequencies (the row itself is masked by the index)."""
        row = self._counts.row(slot)
        self.document_frequency[row.indices] -= 1
        self.non_empty_documents -= int(row.nnz > 0)

    def compacted(self, keep: np.ndarray) -> TextField:
        return TextField(self._counts.compacted(keep).matrix())

    def idf(self, features: np.ndarray) -> np.ndarray:
        """BM25 inverse document frequency (the non-negative Lucene form) of hashed features."""
        frequency = self.document_frequency[features].astype(np.float64)
        documents = max(self.non_empty_documents, 1)
        return np.log1p((documents - frequency + 0.5) / (frequency + 0.5))

    def scores(self, query_counts: sp.csr_matrix) -> np.ndarray:
        """Normalised BM25 of each query row against every stored row: (n_queries x n_rows) in [0, 1]."""
        queries = query_counts.tocsr().astype(np.float64, copy=True)
        queries.data = self.idf(queries.indices)
        known = queries.copy()
        known.data = np.where(self.document_frequency[queries.indices] > 0, known.data, 0.0)
        best_possible = row_sums(known) * (BM25_K1 + 1)
        scale = np.divide(1.0, best_possible, out=np.zeros_like(best_possible), where=best_possible > 0)
        return np.clip(self._weights.products(queries) * scale[:, None], 0.0, 1.0)
