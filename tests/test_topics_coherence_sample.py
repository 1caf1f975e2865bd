"""Coherence on a seeded sample of units (the default of `describe_topics`, `select_k` and the
`topics` command): the sample's rows, the same numbers as gensim on those texts, stated in the
params, the notes and topics.json; every unit when asked or when there are fewer."""

from __future__ import annotations

import json

import numpy as np
import pytest
from gensim.models.coherencemodel import CoherenceModel

from analysis import topics as T
from analysis.cli import main
from analysis.corpus import Corpus, Document, write_corpus
from analysis.errors import ParameterError
from analysis.preprocess import preprocess

# three topics of 20 made-up words each (kept as written by the lemmatizer)
WORDS = {name: [f"{name}{a}{b}" for a in "kmpt" for b in "aeiou"] for name in ("zorv", "quill", "brant")}


def _documents(n: int = 60, seed: int = 0) -> list[Document]:
    rng = np.random.default_rng(seed)
    names = list(WORDS)
    docs = []
    for i in range(n):
        main_topic = names[i % 3]
        words = [WORDS[main_topic if rng.random() < 0.7 else names[rng.integers(3)]][rng.integers(20)]
                 for _ in range(60)]
        text = " ".join(" ".join(words[j : j + 10]).capitalize() + "." for j in range(0, 60, 10))
        docs.append(Document(f"d{i:03d}", text, "en", f"{2000 + i % 10}-05-01", {"title": f"Doc {i}"}))
    return docs


@pytest.fixture(scope="module")
def model():
    tokens = preprocess(Corpus.from_documents(_documents(), name="sample-test"), cache_dir=None)
    return T.TopicModel(k=3, seed=1, passes=5).fit(tokens)


def test_the_sample_is_seeded_sorted_and_all_units_when_there_are_fewer():
    rows = T.coherence_sample(100, 30, seed=4)
    assert len(rows) == 30 and np.all(np.diff(rows) > 0)
    np.testing.assert_array_equal(rows, T.coherence_sample(100, 30, seed=4))
    assert not np.array_equal(rows, T.coherence_sample(100, 30, seed=5))
    assert T.coherence_sample(100, None) is None and T.coherence_sample(100, 100) is None
    with pytest.raises(ParameterError):
        T.coherence_sample(100, 0)


def test_sampled_coherence_is_gensims_on_the_sampled_texts(model):
    top = [[w for w, _ in t] for t in model.top_terms(10)]
    got = T.coherence(top, model.units_, measures=["c_npmi"], n_units=25, seed=1)
    texts = list(model.units_.texts())
    rows = T.coherence_sample(len(texts), 25, seed=1)
    want = CoherenceModel(topics=top, texts=[texts[i] for i in rows], dictionary=model.units_.dictionary,
                          coherence="c_npmi", topn=10, processes=1).get_coherence_per_topic()
    np.testing.assert_array_equal(got["c_npmi"].to_numpy(), np.asarray(want, dtype=float))
    everything = T.coherence(top, model.units_, measures=["c_npmi"], n_units=None)
    assert not np.array_equal(everything["c_npmi"].to_numpy(), got["c_npmi"].to_numpy())


def test_describe_states_the_sample_in_params_notes_and_topics_json(model, tmp_path):
    result = T.describe_topics(model, coherence_units=25)
    assert result.params["coherence"] == {"measures": ["c_v", "c_npmi"], "topn": 10, "reference_units": 25,
                                          "of_units": 60, "sampled": True, "seed": 1}
    assert any("sample of 25 of the 60 units (seed 1)" in n for n in result.notes)
    result.write(tmp_path)
    records = json.loads((tmp_path / "topics.json").read_text(encoding="utf-8"))
    assert [r["c_npmi"] for r in records] == result.topics["c_npmi"].tolist()
    whole = T.describe_topics(model, coherence_units=None)
    assert whole.params["coherence"]["sampled"] is False and whole.params["coherence"]["reference_units"] == 60
    assert not any("sample" in n for n in whole.notes)
    assert T.describe_topics(model).params["coherence"]["sampled"] is False  # 60 units < the default 2,000


def test_the_command_takes_a_sample_size_or_all(tmp_path, capsys):
    corpus = tmp_path / "c"
    write_corpus(_documents(), corpus, info={"name": "sample-test"})
    out = tmp_path / "out"
    args = ["topics", str(corpus), "--k", "3", "--seed", "1", "--passes", "5", "--cache-dir", "none", "--out"]
    assert main([*args, str(out), "--coherence-units", "20"]) == 0
    printed = capsys.readouterr().out
    assert "coherence on a seeded sample of 20 of 60 units (seed 1)" in printed
    assert json.loads((out / "params.json").read_text(encoding="utf-8"))["coherence"]["reference_units"] == 20
    assert main([*args, str(tmp_path / "all"), "--coherence-units", "all"]) == 0
    assert "coherence on all 60 units" in capsys.readouterr().out
    assert main([*args, str(tmp_path / "bad"), "--coherence-units", "none"]) == 2
    assert "--coherence-units" in capsys.readouterr().err
