"""Term and vocabulary totals per label, reduced partition by partition, equal the column sums of
the per-document count matrices; the tree of the reduction does not change them."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from analysis.corpus import load_corpus
from analysis.preprocess import preprocess
from analysis.preprocess.engine import InProcess
from analysis.trends import count_terms, count_vocabulary
from analysis.trends.totals import term_totals, vocabulary_totals

TERMS = "multipolar world,terrorism,information security,multipolar*"


@pytest.fixture(scope="module")
def demo_tokens(demo_dir):
    corpus = load_corpus(demo_dir)
    return preprocess(corpus.subset([i < 120 for i in range(len(corpus))]), cache_dir=None, n_jobs=1)


def _sums(matrix, metadata, by):
    out = {}
    for label in sorted(by.dropna().astype(str).unique()):
        rows = (by.reindex(metadata.index).astype("string") == label).fillna(False).to_numpy()
        part = matrix[rows]
        out[label] = (np.asarray(part.sum(axis=0)).ravel(), np.diff(part.tocsc().indptr))
    return out


def test_term_totals_by_decade_are_the_column_sums_of_the_document_matrix(demo_tokens):
    by = (demo_tokens.metadata["year"] // 10 * 10).astype("Int64").astype("string")
    totals = term_totals(demo_tokens, TERMS, by=by, batch_size=7)
    counts = count_terms(demo_tokens, TERMS, cache=False)
    assert totals.terms == counts.terms
    for label, (count, docs) in _sums(counts.matrix, demo_tokens.metadata, by).items():
        i = totals.labels.index(label)
        assert totals.count[i].toarray().ravel().tolist() == count.tolist()
        assert totals.n_docs[i].toarray().ravel().tolist() == docs.tolist()
    assert totals.totals().tolist() == counts.totals().tolist()
    assert totals.totals()["multipolar*"] > 0


def test_vocabulary_totals_are_the_column_sums_of_the_vocabulary_matrix(demo_tokens):
    vocab = count_vocabulary(demo_tokens, cache=False)
    totals = vocabulary_totals(demo_tokens, batch_size=9)
    assert totals.terms == sorted(vocab.terms)
    expected = vocab.totals().reindex(totals.terms)
    assert totals.totals().tolist() == expected.tolist()
    assert totals.n_docs.toarray().ravel().tolist() == vocab.doc_freq().reindex(totals.terms).tolist()
    table = totals.table()
    assert list(table.columns) == ["label", "term", "count", "n_docs"] and set(table["label"]) == {"all"}


@pytest.mark.parametrize("split_every", [2, 3, 100])
def test_the_tree_of_the_reduction_does_not_change_the_totals(demo_tokens, split_every, monkeypatch):
    base = vocabulary_totals(demo_tokens, batch_size=5)
    original = InProcess.reduce

    def reduce(self, *args, **kwargs):
        return original(self, *args, **{**kwargs, "split_every": split_every})

    monkeypatch.setattr(InProcess, "reduce", reduce)
    other = vocabulary_totals(demo_tokens, batch_size=5)
    assert other.terms == base.terms
    assert (other.count != base.count).nnz == 0 and (other.n_docs != base.n_docs).nnz == 0


def test_documents_without_a_label_are_left_out(demo_tokens):
    by = pd.Series("a", index=demo_tokens.ids[:10])
    totals = term_totals(demo_tokens, TERMS, by=by)
    counts = count_terms(demo_tokens, TERMS, cache=False)
    assert totals.labels == ["a"]
    assert totals.count.toarray().ravel().tolist() == np.asarray(counts.matrix[:10].sum(axis=0)).ravel().tolist()
