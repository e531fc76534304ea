"""Row storage that grows without rebuilding: an immutable main segment plus appended rows.

This is how the index is updated incrementally. Features are hashed (no vocabulary to refit),
so a new or changed profile is simply appended as a new row; the row it replaces is left in
place and masked out by the index. `compact()` (run by the index when the appended part grows
large) folds the appended rows into a new main segment and drops masked rows.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import scipy.sparse as sp


def empty_rows(n_features: int) -> sp.csr_matrix:
    return sp.csr_matrix((0, n_features), dtype=np.float32)


class SparseRows:
    """A growing sparse matrix with rows appended one at a time and a cached transpose."""

    def __init__(self, n_features: int, main: sp.csr_matrix | None = None) -> None:
        self.n_features = n_features
        self._main = (main if main is not None else empty_rows(n_features)).tocsr().astype(np.float32)
        self._appended: list[sp.csr_matrix] = []
        self._appended_matrix: sp.csr_matrix | None = empty_rows(n_features)
        self._main_transposed: sp.csr_matrix | None = None
        self._appended_transposed: sp.csr_matrix | None = None

    def __len__(self) -> int:
        return self._main.shape[0] + sum(row.shape[0] for row in self._appended)

    @property
    def appended_count(self) -> int:
        return len(self._appended)

    def append(self, row: sp.csr_matrix) -> None:
        self._appended.append(row.tocsr().astype(np.float32))
        self._appended_matrix = None
        self._appended_transposed = None

    def appended(self) -> sp.csr_matrix:
        if self._appended_matrix is None:
            self._appended_matrix = (
                sp.vstack(self._appended, format="csr") if self._appended else empty_rows(self.n_features)
            )
        return self._appended_matrix

    def row(self, slot: int) -> sp.csr_matrix:
        main_rows = self._main.shape[0]
        return self._main[slot] if slot < main_rows else self._appended[slot - main_rows]

    def matrix(self) -> sp.csr_matrix:
        """All rows (main then appended) as one CSR matrix."""
        if not self._appended:
            return self._main
        return sp.vstack([self._main, self.appended()], format="csr")

    def main_transposed(self) -> sp.csr_matrix:
        """The main segment as features x rows: its posting lists, built once."""
        if self._main_transposed is None:
            self._main_transposed = self._main.T.tocsr()
        return self._main_transposed

    def appended_transposed(self) -> sp.csr_matrix:
        """The appended rows as features x rows, for batch queries; rebuilt after each append."""
        if self._appended_transposed is None:
            self._appended_transposed = self.appended().T.tocsr()
        return self._appended_transposed

    def compacted(self, keep: Sequence[int] | np.ndarray) -> SparseRows:
        """A new store holding only the rows `keep`, all in the main segment."""
        return SparseRows(self.n_features, self.matrix()[np.asarray(keep, dtype=np.int64)])

    def sparse_products(self, queries: sp.csr_matrix) -> sp.csr_matrix:
        """Sparse (n_queries x n_rows) matrix of dot products between query rows and stored rows.

        Only the posting lists of features the queries use are touched, so the cost does not
        depend on the size of the (hashed) feature space.
        """
        queries = queries.tocsr()
        features = np.unique(queries.indices)
        if features.size == 0:
            return sp.csr_matrix((queries.shape[0], len(self)))
        narrowed = sp.csr_matrix(
            (queries.data, np.searchsorted(features, queries.indices), queries.indptr),
            shape=(queries.shape[0], features.size),
        )
        parts = []
        if self._main.shape[0]:
            parts.append(narrowed @ self.main_transposed()[features])
        if self._appended:
            parts.append(narrowed @ self.appended_transposed()[features])
        return sp.hstack(parts, format="csr") if len(parts) > 1 else parts[0].tocsr()

    def products(self, queries: sp.csr_matrix) -> np.ndarray:
        """The same products as a dense float64 array.

        One query (the interactive case) skips scipy's sparse product, whose per-call overhead
        dominates: the rows of the query's posting lists are summed directly with `bincount`.
        """
        queries = queries.tocsr()
        if queries.shape[0] != 1:
            return self.sparse_products(queries).toarray().astype(np.float64, copy=False)
        parts = []
        if self._main.shape[0]:
            parts.append(
                _accumulate(self.main_transposed(), queries.indices, queries.data, self._main.shape[0])
            )
        if self._appended:
            parts.append(_row_products(self.appended(), queries.indices, queries.data))
        return np.concatenate(parts)[None, :] if parts else np.zeros((1, 0))


def _row_products(rows: sp.csr_matrix, features: np.ndarray, weights: np.ndarray) -> np.ndarray:
    """Dot product of each row with one sparse query, without transposing (for the few appended rows)."""
    order = np.argsort(features)
    sorted_features, sorted_weights = features[order], np.asarray(weights, dtype=np.float64)[order]
    if sorted_features.size == 0 or rows.nnz == 0:
        return np.zeros(rows.shape[0])
    position = np.minimum(np.searchsorted(sorted_features, rows.indices), sorted_features.size - 1)
    hit = sorted_features[position] == rows.indices
    row_of_cell = np.repeat(np.arange(rows.shape[0]), np.diff(rows.indptr))
    values = rows.data[hit] * sorted_weights[position[hit]]
    return np.bincount(row_of_cell[hit], weights=values, minlength=rows.shape[0])


def _accumulate(
    postings: sp.csr_matrix, features: np.ndarray, weights: np.ndarray, n_rows: int
) -> np.ndarray:
    """Sum over `features` of weight x posting list (rows of `postings`), as a dense vector."""
    starts = postings.indptr[features]
    lengths = postings.indptr[features + 1] - starts
    total = int(lengths.sum())
    if total == 0:
        return np.zeros(n_rows)
    cells = np.arange(total) + np.repeat(starts - (np.cumsum(lengths) - lengths), lengths)
    values = postings.data[cells] * np.repeat(np.asarray(weights, dtype=np.float64), lengths)
    return np.bincount(postings.indices[cells], weights=values, minlength=n_rows)
