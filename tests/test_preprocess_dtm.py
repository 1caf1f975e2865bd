"""The one document-term matrix builder (analysis.preprocess.dtm): what it stores and what it refuses."""

from __future__ import annotations

import numpy as np
import pytest
from scipy import sparse

from analysis.preprocess.dtm import DTMStack, dtm_from_counts


def arrays(m: sparse.csr_matrix) -> tuple[list, list, list]:
    return m.data.tolist(), m.indices.tolist(), m.indptr.tolist()


def test_mappings_and_pairs_give_the_same_matrix():
    a = dtm_from_counts([{0: 2, 3: 1}, {1: 5}], 4)
    b = dtm_from_counts([[(0, 2), (3, 1)], ((1, 5),)], 4)
    assert arrays(a) == arrays(b) == ([2, 1, 5], [0, 3, 1], [0, 2, 3])
    assert a.toarray().tolist() == [[2, 0, 0, 1], [0, 5, 0, 0]]


def test_empty_rows_are_rows_of_zeros_and_trailing_terms_are_empty_columns():
    m = dtm_from_counts([{}, [(1, 3)], [], {}], 6)
    assert m.shape == (4, 6)
    assert m.toarray().tolist() == [[0] * 6, [0, 3, 0, 0, 0, 0], [0] * 6, [0] * 6]
    assert dtm_from_counts([], 3).shape == (0, 3)
    assert dtm_from_counts([{}, {}], 0).shape == (2, 0)


def test_values_have_the_dtype_asked_for_and_indices_are_int32_when_they_fit():
    assert dtm_from_counts([{0: 1}], 2).dtype == np.int64  # the default
    m = dtm_from_counts([{0: 1}], 2, np.int32)
    assert m.dtype == np.int32 and m.indices.dtype == np.int32 and m.indptr.dtype == np.int32
    w = dtm_from_counts([{1: 0.5}], 2, np.float64)
    assert w.dtype == np.float64 and w[0, 1] == 0.5
    assert isinstance(m, sparse.csr_matrix)


def test_entries_keep_the_order_given_and_explicit_zeros_stay():
    m = dtm_from_counts([{4: 1, 0: 2, 2: 0}], 5)
    assert arrays(m) == ([1, 2, 0], [4, 0, 2], [0, 3])
    assert m.nnz == 3 and m[0, 2] == 0


def test_a_generator_of_rows_is_read_once_in_order():
    seen = []

    def rows():
        for i in range(3):
            seen.append(i)
            yield [(i, i + 1)]

    m = dtm_from_counts(rows(), 3)
    assert seen == [0, 1, 2]
    assert m.diagonal().tolist() == [1, 2, 3]


def test_a_term_id_twice_in_a_row_is_refused_not_summed():
    with pytest.raises(ValueError, match="row 1 gives a term id twice"):
        dtm_from_counts([[(0, 1)], [(2, 1), (0, 1), (2, 4)]], 3)
    # the same id in different rows is fine
    assert dtm_from_counts([[(0, 1)], [(0, 2)]], 1).toarray().tolist() == [[1], [2]]


@pytest.mark.parametrize("bad", [3, -1])
def test_term_ids_outside_the_matrix_are_refused(bad):
    with pytest.raises(ValueError, match=f"term id {bad} is outside the matrix's 3 terms"):
        dtm_from_counts([{0: 1}, {bad: 1}], 3)


def test_stack_puts_batches_below_each_other():
    stack = DTMStack()
    stack.add(dtm_from_counts([{0: 1}, {}], 3))
    stack.add(dtm_from_counts([], 3))  # an empty batch adds no rows
    stack.add(dtm_from_counts([[(2, 7)]], 3))
    assert stack.n_rows == 3
    m = stack.matrix(3)
    assert m.toarray().tolist() == [[1, 0, 0], [0, 0, 0], [0, 0, 7]]
    assert m.dtype == np.int64


def test_stack_maps_a_batch_vocabulary_onto_the_matrix_terms_without_reordering():
    stack = DTMStack()
    stack.add(dtm_from_counts([{0: 1, 1: 2}], 2), columns=np.array([0, 1]))  # terms a, b
    stack.add(dtm_from_counts([{0: 3, 1: 4}], 2), columns=np.array([2, 0]))  # terms c, a
    m = stack.matrix(3)
    assert arrays(m) == ([1, 2, 3, 4], [0, 1, 2, 0], [0, 2, 4])
    assert m.toarray().tolist() == [[1, 2, 0], [4, 0, 3]]


def test_stack_with_no_batches_is_an_empty_matrix_of_the_dtype():
    m = DTMStack().matrix(4, np.int32)
    assert m.shape == (0, 4) and m.dtype == np.int32 and m.nnz == 0


def test_stack_refuses_bad_column_maps_and_too_few_terms():
    batch = dtm_from_counts([{0: 1, 1: 1}], 2)
    with pytest.raises(ValueError, match="two of the batch's columns to one term"):
        DTMStack().add(batch, columns=np.array([5, 5]))
    with pytest.raises(ValueError, match="maps 1 columns; the batch has 2"):
        DTMStack().add(batch, columns=np.array([0]))
    stack = DTMStack()
    stack.add(batch, columns=np.array([0, 4]))
    with pytest.raises(ValueError, match="term id 4 is outside the matrix's 3 terms"):
        stack.matrix(3)


def test_stacked_batches_equal_one_build_of_all_rows():
    rng = np.random.default_rng(0)
    rows = [{int(j): int(rng.integers(1, 9)) for j in rng.choice(50, size=rng.integers(0, 8), replace=False)}
            for _ in range(40)]
    whole = dtm_from_counts(rows, 50)
    stack = DTMStack()
    for start in range(0, 40, 7):
        stack.add(dtm_from_counts(rows[start : start + 7], 50))
    parts = stack.matrix(50)
    assert arrays(parts) == arrays(whole)
    assert parts.indices.dtype == whole.indices.dtype and parts.indptr.dtype == whole.indptr.dtype
