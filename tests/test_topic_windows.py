"""The compiled sliding-window counts give gensim's counts, and so gensim's coherence; the one-pass
units builder gives gensim's dictionary, count matrix and frame (the demo corpus, the kremlin.ru items)."""

from __future__ import annotations

import numpy as np
import pytest
from gensim.corpora import Dictionary
from gensim.models.coherencemodel import CoherenceModel
from gensim.topic_coherence.text_analysis import WordOccurrenceAccumulator

from analysis import topics as T
from analysis.cli import main
from analysis.corpus import load_corpus
from analysis.preprocess import preprocess
from analysis.topics import units as U
from analysis.topics.describe import coherence, coherence_sample
from analysis.topics.windows import coherence_per_topic, window_accumulator, window_counts


def _random_texts(seed: int) -> list[list[str]]:
    """Texts of 0-60 words from 40 (so words repeat inside a window), two of them empty."""
    rng = np.random.default_rng(seed)
    vocab = [f"w{i}" for i in range(40)]
    texts = [[vocab[j] for j in rng.integers(0, 40, rng.integers(0, 60))] for _ in range(200)]
    return [[], *texts[:3], [], *texts[3:]]


@pytest.mark.parametrize("window", [1, 2, 5, 10, 110])
@pytest.mark.parametrize("relevant", ["every third", "all", "one"])
def test_window_counts_equal_gensims_accumulator_repeated_words_short_and_empty_texts(window, relevant):
    texts = _random_texts(window)
    dictionary = Dictionary(texts)
    ids = {"every third": set(range(0, len(dictionary), 3)), "all": set(range(len(dictionary))), "one": {5}}[relevant]
    theirs = WordOccurrenceAccumulator(ids, dictionary).accumulate(texts, window)
    ours = window_accumulator(texts, ids, dictionary, window)
    assert ours.num_docs == theirs.num_docs
    assert np.array_equal(ours._occurrences, theirs._occurrences)
    assert np.array_equal(ours._co_occurrences.toarray(), theirs._co_occurrences.toarray())


def test_a_word_that_leaves_at_the_edge_is_absent_until_it_comes_in_again_as_in_gensim():
    # "a" twice in the first window of 3; when the first "a" leaves, gensim marks it absent
    occ, co, n = window_counts([[0, 0, 1, 2, 2]], 3, 3)
    assert n == 3
    assert occ.tolist() == [1, 3, 2]  # "a" only in window 0, though window 1 holds it too
    assert co[0, 1] == 1 and co[1, 2] == 2


def test_window_counts_refuse_a_window_below_one():
    with pytest.raises(ValueError, match="window"):
        window_counts([[0, 1]], 2, 0)


def _gensim_coherence(topics, units, n_units):
    texts = units.texts(rows=coherence_sample(len(units), n_units, 0))
    return {m: np.asarray(CoherenceModel(topics=topics, texts=texts, dictionary=units.dictionary, coherence=m,
                                         topn=10, processes=1).get_coherence_per_topic(), dtype=float)
            for m in ("c_v", "c_npmi")}


def test_coherence_of_fitted_topics_equals_gensims_on_the_demo_corpus(demo_dir):
    tokens = preprocess(load_corpus(demo_dir), cache_dir=None)
    tokens = tokens.subset(tokens.metadata["language"] == "en")
    model = T.TopicModel(k=6, seed=0, passes=3).fit(tokens)
    topics = [[w for w, _ in t][:10] for t in model.top_terms(10)]
    units = model.units_
    ours = coherence(topics, units, n_units=150)
    theirs = _gensim_coherence(topics, units, 150)
    for m in theirs:
        assert np.array_equal(ours[m].to_numpy(), theirs[m], equal_nan=True), m


def _build_both(tokens, unit):
    settings = {"unit": unit, "chunk_size": 200, "paragraph_size": 5, "no_below": 5, "no_above": 0.5,
                "keep_n": 20_000}
    return U._build_units(tokens, settings, None), U._build_units_gensim(tokens, settings, None)


def _assert_same_units(ours, theirs):
    (frame, dtm, dictionary, dropped), (frame_g, dtm_g, dictionary_g, dropped_g) = ours, theirs
    assert frame.equals(frame_g) and dropped == dropped_g
    for name in ("indptr", "indices", "data"):
        a, b = getattr(dtm, name), getattr(dtm_g, name)
        assert a.dtype == b.dtype and np.array_equal(a, b), name
    assert dtm.shape == dtm_g.shape
    assert list(dictionary.token2id.items()) == list(dictionary_g.token2id.items())
    assert list(dictionary.dfs.items()) == list(dictionary_g.dfs.items())  # the order the store writes too
    assert list(dictionary.cfs.items()) == list(dictionary_g.cfs.items())
    assert ((dictionary.num_docs, dictionary.num_pos, dictionary.num_nnz)
            == (dictionary_g.num_docs, dictionary_g.num_pos, dictionary_g.num_nnz))


@pytest.mark.parametrize("unit", ["document", "paragraph", "chunk"])
def test_units_equal_gensims_dictionary_and_doc2bow_on_the_demo_corpus(demo_dir, unit):
    tokens = preprocess(load_corpus(demo_dir), cache_dir=None)
    ours, theirs = _build_both(tokens, unit)
    _assert_same_units(ours, theirs)
    if unit == "paragraph":
        assert ours[3] >= 1  # a unit without kept terms is left out and counted, as before


@pytest.mark.shared
@pytest.mark.parametrize("unit", ["document", "paragraph"])
def test_units_equal_gensims_on_the_russian_kremlin_items(shared_dir, tmp_path, unit):
    table = shared_dir / "corpora/kremlin-ru-2025/kremlin_ru_2025.jsonl"
    assert main(["corpus", "import", "table", str(table), "--out", str(tmp_path / "kremlin")]) == 0
    tokens = preprocess(load_corpus(tmp_path / "kremlin"), cache_dir=None)
    ours, theirs = _build_both(tokens, unit)
    _assert_same_units(ours, theirs)
    assert ours[1].shape[0] > 100


def test_a_vocabulary_past_gensims_pruning_size_is_built_by_gensim(demo_dir, monkeypatch):
    tokens = preprocess(load_corpus(demo_dir), cache_dir=None)
    assert len({w for doc in tokens for w in doc.flat()}) > 500
    monkeypatch.setattr(U, "PRUNE_AT", 500)  # the demo has more words than that: gensim prunes
    ours, theirs = _build_both(tokens, "document")
    _assert_same_units(ours, theirs)
    assert len(ours[2]) <= 500


@pytest.mark.parametrize("measure", ["c_v", "c_npmi", "c_uci"])
def test_coherence_per_topic_equals_gensims_coherence_model(measure):
    texts = _random_texts(7)
    dictionary = Dictionary(texts)
    topics = [[f"w{i}" for i in range(j, 40, 4)][:6] for j in range(4)]
    theirs = CoherenceModel(topics=topics, texts=texts, dictionary=dictionary, coherence=measure, topn=6,
                            processes=1).get_coherence_per_topic()
    assert np.array_equal(coherence_per_topic(topics, texts, dictionary, measure, 6), theirs, equal_nan=True)


def test_coherence_per_topic_refuses_a_measure_without_windows():
    with pytest.raises(ValueError, match="sliding-window"):
        coherence_per_topic([["w1", "w2"]], [["w1", "w2"]], Dictionary([["w1", "w2"]]), "u_mass")
