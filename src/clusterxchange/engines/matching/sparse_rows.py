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
        """The appended rows as features x rows, rebuilt after each append (they are few)."""
        if self._appended_transposed is None:
            self._appended_transposed = self.appended().T.tocsr()
        return self._appended_transposed

    def compacted(self, keep: Sequence[int] | np.ndarray) -> SparseRows:
        """A new store holding only the rows `keep`, all in the main segment."""
        return SparseRows(self.n_features, self.matrix()[np.asarray(keep, dtype=np.int64)])

    def products(self, queries: sp.csr_matrix) -> np.ndarray:
        """Dense (n_queries x n_rows) matrix of dot products between query rows and stored rows.

        Only the posting lists of features the queries use are touched, so the cost does not
        depend on the size of the (hashed) feature space.
        """
        queries = queries.tocsr()
        features = np.unique(queries.indices)
        result = np.zeros((queries.shape[0], len(self)))
        if features.size == 0:
            return result
        narrowed = sp.csr_matrix(
            (queries.data, np.searchsorted(features, queries.indices), queries.indptr),
            shape=(queries.shape[0], features.size),
        )
        main_rows = self._main.shape[0]
        if main_rows:
            result[:, :main_rows] = (narrowed @ self.main_transposed()[features]).toarray()
        if self._appended:
            result[:, main_rows:] = (narrowed @ self.appended_transposed()[features]).toarray()
        return result
