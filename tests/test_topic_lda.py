"""CsrLda: gensim's LDA with the compiled E-step gives gensim's numbers, the same bits on a rerun,
and survives the code-free store."""

from __future__ import annotations

import io

import numpy as np
import pytest
from gensim.models import LdaModel
from gensim.utils import get_random_state
from scipy import sparse

from analysis.preprocess import store
from analysis.topics.lda import CsrLda, RowCorpus, lda_gamma


def _counts(n_docs: int = 120, n_terms: int = 60, seed: int = 3) -> sparse.csr_matrix:
    """A count matrix with topic structure (three blocks of terms) and empty-ish rows."""
    rng = np.random.default_rng(seed)
    rows = []
    for d in range(n_docs):
        block = d % 3
        p = np.full(n_terms, 0.2)
        p[block * 20 : block * 20 + 20] = 3.0
        rows.append(rng.multinomial(rng.integers(1, 80), p / p.sum()))
    return sparse.csr_matrix(np.array(rows, dtype=np.int32))


def _bows(dtm: sparse.csr_matrix) -> list[list[tuple[int, float]]]:
    return [list(zip(r.indices.tolist(), r.data.astype(float).tolist(), strict=True)) for r in dtm]


SETTINGS = dict(num_topics=4, id2word={i: f"w{i}" for i in range(60)}, random_state=7, passes=3, iterations=50, alpha="auto", chunksize=50,
                update_every=1, decay=0.5, eval_every=None, dtype=np.float64)


def test_inference_gives_gensims_gamma_and_sstats():
    dtm = _counts()
    reference = LdaModel(_bows(dtm), **SETTINGS)
    ours = CsrLda.__new__(CsrLda)
    ours.__dict__.update(vars(reference))
    for collect in (False, True):
        reference.random_state = get_random_state(11)
        ours.random_state = get_random_state(11)
        g_ref, s_ref = reference.inference(_bows(dtm), collect_sstats=collect)
        g_csr, s_csr = ours.inference_csr(dtm, collect_sstats=collect)
        np.testing.assert_allclose(g_csr, g_ref, rtol=1e-8, atol=0)
        if collect:
            np.testing.assert_allclose(s_csr, s_ref, rtol=1e-8, atol=1e-300)
        ours.random_state = get_random_state(11)
        g_bow, _ = ours.inference(_bows(dtm))  # bags of words take the same path
        np.testing.assert_allclose(g_bow, g_ref, rtol=1e-8, atol=0)


def test_fit_is_gensims_fit():
    dtm = _counts()
    reference = LdaModel(_bows(dtm), **SETTINGS)
    ours = CsrLda(RowCorpus(dtm), **SETTINGS)
    np.testing.assert_allclose(ours.get_topics(), reference.get_topics(), rtol=1e-8, atol=1e-12)
    np.testing.assert_allclose(ours.alpha, reference.alpha, rtol=1e-8)


def test_same_seed_same_bits():
    dtm = _counts()
    a = CsrLda(RowCorpus(dtm), **SETTINGS)
    b = CsrLda(RowCorpus(dtm), **SETTINGS)
    assert np.array_equal(a.get_topics(), b.get_topics())
    assert np.array_equal(lda_gamma(a, dtm, 0), lda_gamma(b, dtm, 0))


def test_gamma_does_not_depend_on_chunking_or_row_order_of_calls():
    dtm = _counts(n_docs=30)
    model = CsrLda(RowCorpus(dtm), **SETTINGS)
    first = lda_gamma(model, dtm, 5)
    model.inference_csr(dtm[:7])  # moves the random state
    assert np.array_equal(lda_gamma(model, dtm, 5), first)


def test_stored_model_loads_and_infers_the_same():
    dtm = _counts(n_docs=40)
    model = CsrLda(RowCorpus(dtm), **SETTINGS)
    buf = io.BytesIO()
    store.dump(model, buf)
    buf.seek(0)
    back = store.load(buf)
    assert type(back) is CsrLda
    assert np.array_equal(lda_gamma(back, dtm, 2), lda_gamma(model, dtm, 2))


@pytest.mark.parametrize("chunk", [[], [[]]])
def test_empty_chunks(chunk):
    model = CsrLda(RowCorpus(_counts(n_docs=20)), **SETTINGS)
    gamma, _ = model.inference(chunk)
    assert gamma.shape == (len(chunk), 4)
