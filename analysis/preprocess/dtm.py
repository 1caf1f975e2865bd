"""One document-term matrix builder for every method: topics' unit counts, trends' term and
vocabulary counts, framing's lexicon-hit features.

A document-term matrix (DTM) is a scipy ``csr_matrix`` of shape (rows, terms): one row per
document (or unit, or sentence), one column per term id, the count (or weight) in the cell.

- `dtm_from_counts` builds one from rows given as ``{term id: count}`` mappings or sequences of
  ``(term id, count)`` pairs (a gensim bag of words is one).
- `dtm_from_arrays` builds one from its rows as CSR arrays (counted with NumPy).
- `DTMStack` gathers the rows batch by batch, for counting streamed over partitions: each batch
  is a DTM of its own rows (row 0 = the batch's first row), its rows go below the rows added
  before, and a batch counted in its own vocabulary brings the map from its column ids to the
  matrix's; the number of terms is given when the matrix is made, after the last batch.

What both promise: each row's entries are stored in the order given (not sorted; a mapping's
order is its insertion order), a zero count given is stored as an explicit entry, term ids are
checked against the number of terms, and a term id given twice in one row is refused
(ValueError: counts are summed by the caller, never silently here). Index arrays are int32 when
the matrix fits them (scipy's choice), int64 otherwise.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

import numpy as np
from numpy.typing import DTypeLike
from scipy import sparse

Row = Mapping[int, int | float] | Sequence[tuple[int, int | float]]


def dtm_from_counts(rows: Iterable[Row], n_terms: int, dtype: DTypeLike = np.int64) -> sparse.csr_matrix:
    """The (number of rows, n_terms) csr matrix of `rows`, its values of `dtype`.

    rows : one item per matrix row (an iterable is consumed once, so a generator may fill other
        tables as it goes): a mapping term id -> count, or a sequence of (term id, count) pairs;
        an empty one is a row of zeros.
    n_terms : the number of columns (terms beyond the last one used are empty columns).
    """
    indptr, indices, data = [0], [], []
    pairs = False  # a mapping cannot repeat a term id; pairs are checked
    for row in rows:
        if isinstance(row, Mapping):
            indices.extend(row.keys())
            data.extend(row.values())
        elif len(row):
            ids, counts = zip(*row, strict=True)
            indices.extend(ids)
            data.extend(counts)
            pairs = True
        indptr.append(len(indices))
    return _csr(np.asarray(data, dtype=dtype), np.asarray(indices, dtype=np.int64),
                np.asarray(indptr, dtype=np.int64), n_terms, check_repeats=pairs)


def dtm_from_arrays(indptr: np.ndarray, indices: np.ndarray, data: np.ndarray, n_terms: int,
                    dtype: DTypeLike = np.int64) -> sparse.csr_matrix:
    """The csr matrix of rows given as arrays (row i: term ids indices[indptr[i]:indptr[i+1]],
    counts data[...] in that order), its values of `dtype`; term ids checked as in `dtm_from_counts`."""
    indptr, indices = np.asarray(indptr, dtype=np.int64), np.asarray(indices, dtype=np.int64)
    if len(indices) != len(data) or not len(indptr) or indptr[0] != 0 or indptr[-1] != len(indices):
        raise ValueError("`indptr` must start at 0 and end at the number of entries of `indices` and `data`.")
    return _csr(np.asarray(data, dtype=dtype), indices, indptr, n_terms, check_repeats=True)


class DTMStack:
    """Rows of one document-term matrix gathered batch by batch (see the module docstring).

    >>> stack = DTMStack()
    >>> stack.add(dtm_from_counts([{0: 2}, {}], 1))
    >>> stack.add(dtm_from_counts([{0: 1}], 1), columns=np.array([3]))  # its term 0 is term 3
    >>> stack.matrix(4).toarray().tolist()
    [[2, 0, 0, 0], [0, 0, 0, 0], [0, 0, 0, 1]]
    """

    def __init__(self) -> None:
        self._indptr: list[np.ndarray] = [np.zeros(1, dtype=np.int64)]
        self._indices: list[np.ndarray] = []
        self._data: list[np.ndarray] = []
        self._nnz = 0
        self.n_rows = 0

    def add(self, batch: sparse.csr_matrix, columns: np.ndarray | None = None) -> None:
        """Put the rows of `batch` (a `dtm_from_counts` matrix) below those added so far.
        `columns`: the matrix's term id of each of the batch's columns (distinct ids), when the
        batch has its own vocabulary."""
        indices = batch.indices
        if columns is not None:
            columns = np.asarray(columns, dtype=np.int64)
            if len(columns) != batch.shape[1]:
                raise ValueError(f"`columns` maps {len(columns)} columns; the batch has {batch.shape[1]}.")
            if len(np.unique(columns)) != len(columns):
                raise ValueError("`columns` maps two of the batch's columns to one term.")
            indices = columns[indices]
        self._indices.append(indices)
        self._data.append(batch.data)
        self._indptr.append(batch.indptr[1:].astype(np.int64) + self._nnz)
        self._nnz += batch.nnz
        self.n_rows += batch.shape[0]

    def matrix(self, n_terms: int, dtype: DTypeLike = np.int64) -> sparse.csr_matrix:
        """The (n_rows, n_terms) csr matrix of every row added, its values of `dtype`."""
        data = np.concatenate(self._data).astype(dtype, copy=False) if self._data else np.zeros(0, dtype=dtype)
        indices = np.concatenate(self._indices) if self._indices else np.zeros(0, dtype=np.int64)
        # no repeats to check: dtm_from_counts checked each batch, and `columns` are distinct
        return _csr(data, indices, np.concatenate(self._indptr), n_terms, check_repeats=False)


def _csr(data: np.ndarray, indices: np.ndarray, indptr: np.ndarray, n_terms: int, *,
         check_repeats: bool) -> sparse.csr_matrix:
    """The csr matrix of the arrays, after checking term ids: in range, and (`check_repeats`)
    none twice in a row."""
    n_terms = int(n_terms)
    if n_terms < 0:
        raise ValueError(f"`n_terms` must be 0 or more; got {n_terms}.")
    if len(indices) and (indices.min() < 0 or indices.max() >= n_terms):
        bad = indices[(indices < 0) | (indices >= n_terms)][0]
        raise ValueError(f"term id {bad} is outside the matrix's {n_terms} terms.")
    matrix = sparse.csr_matrix((data, indices, indptr), shape=(len(indptr) - 1, n_terms))
    if check_repeats and not matrix.has_canonical_format:  # sorted rows without repeats: no copy
        summed = matrix.copy()
        summed.sum_duplicates()
        if summed.nnz != matrix.nnz:
            row = np.flatnonzero(np.diff(summed.indptr) != np.diff(matrix.indptr))[0]
            raise ValueError(f"row {row} gives a term id twice; sum its counts before building the matrix.")
    return matrix


__all__ = ["DTMStack", "dtm_from_arrays", "dtm_from_counts"]
