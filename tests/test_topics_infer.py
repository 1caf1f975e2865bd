"""Topic shares of a fitted model inferred partition by partition: the same numbers in process and
on a Dask cluster, and close to the shares of the fit."""

from __future__ import annotations

import numpy as np
import pytest

from analysis.corpus import load_corpus
from analysis.errors import ParameterError
from analysis.preprocess import preprocess
from analysis.topics import TopicModel
from analysis.topics.infer import infer_topics


@pytest.fixture(scope="module")
def fitted(demo_dir):
    corpus = load_corpus(demo_dir)
    tokens = preprocess(corpus.subset([i < 80 for i in range(len(corpus))]), cache_dir=None, n_jobs=1)
    return tokens, TopicModel(k=3, seed=0, passes=5, no_below=2).fit(tokens, cache=False)


def test_inferred_shares_sum_to_one_and_follow_the_fit(fitted):
    tokens, model = fitted
    shares = infer_topics(model, tokens, batch_size=16, scheduler="inprocess")
    assert list(shares.index) == list(model.doc_topic_.index)
    assert np.allclose(shares.sum(axis=1), 1.0)
    assert np.abs(shares.to_numpy() - model.doc_topic_.to_numpy()).max() < 0.05
    again = infer_topics(model, tokens, batch_size=16, scheduler="inprocess")
    assert np.array_equal(again.to_numpy(), shares.to_numpy())


def test_a_local_cluster_infers_the_same_shares(fitted):
    pytest.importorskip("distributed")
    from analysis.preprocess.engine import close_engine

    tokens, model = fitted
    here = infer_topics(model, tokens, batch_size=16, scheduler="inprocess")
    try:
        there = infer_topics(model, tokens, batch_size=16, scheduler="local:2")
    finally:
        close_engine("local:2")
    assert list(there.index) == list(here.index)
    assert np.array_equal(there.to_numpy(), here.to_numpy())


def test_an_unfitted_model_is_refused(fitted):
    with pytest.raises(ParameterError, match="fitted model"):
        infer_topics(TopicModel(k=3), fitted[0])
