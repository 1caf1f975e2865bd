"""The result contract: every method's result writes its tables and one params.json the same way."""

from __future__ import annotations

import inspect
import json

import pandas as pd
import pytest

import analysis.framing
import analysis.topics
import analysis.trends
from analysis import __version__
from analysis.corpus import Corpus, Document
from analysis.framing import coder_agreement, detect_frames, evaluate_frames, sample_sentences
from analysis.preprocess import PreprocessParams, preprocess
from analysis.results import Result, cached, corpus_identity
from analysis.topics import effects as E
from analysis.topics import fit_topics, prevalence_over_time, select_k
from analysis.trends import TrendSettings, collocations, keyness, kwic, term_dispersion, term_trends

assert analysis.framing and analysis.topics and analysis.trends  # every result class is defined now


def _subclasses(cls: type) -> set[type]:
    out = set()
    for sub in cls.__subclasses__():
        out |= {sub, *_subclasses(sub)}
    return out


def test_every_result_class_writes_with_the_same_signature():
    classes = _subclasses(Result)
    names = {c.__name__ for c in classes}
    assert {"TrendResult", "KeynessResult", "Concordance", "CollocationResult", "Dispersion", "FrameResult",
            "Evaluation", "Suggestions", "CodingSample", "Agreement", "TopicsResult", "ModelSelection",
            "Prevalence", "EffectsResult", "RuleAudit"} <= names
    expected = inspect.signature(Result.write)
    for cls in classes:
        assert inspect.signature(cls.write) == expected, cls.__name__
        assert {"params", "notes"} <= set(cls.__dataclass_fields__), cls.__name__


def _coded(tiny_tokens) -> pd.DataFrame:
    sample = sample_sentences(tiny_tokens, 6, seed=0, per_document=2, min_words=3).table
    return sample.assign(threat=[1, 0] * 3, multipolarity=0, cooperation=[0, 1] * 3,
                         partners=[[] for _ in range(len(sample))])


WORDS = [["alpha", "bravo", "charlie", "delta", "echo", "foxtrot"],
         ["golf", "hotel", "india", "juliet", "kilo", "lima"]]


def _planted() -> Corpus:
    """Forty dated documents, each mostly of one of two word sets (tokens: the words as written)."""
    docs = []
    for i in range(40):
        main, other = WORDS[i % 2], WORDS[1 - i % 2]
        words = [main[(i + j) % 6] for j in range(30)] + other[: i % 3]
        text = " ".join(" ".join(words[j : j + 8]).capitalize() + "." for j in range(0, len(words), 8))
        docs.append(Document(f"d{i:02d}", text, "en", str(2000 + i % 8), {"organization": "XY"[i % 2]}))
    return Corpus.from_documents(docs, name="tiny")


TOPICS = dict(k=2, seed=0, no_below=1, no_above=1.0, passes=5, with_coherence=False)


def _topics(corpus: Corpus):
    return fit_topics(preprocess(corpus, PreprocessParams(), cache_dir=None), **TOPICS)


RESULTS = {
    "trends": lambda c, t: term_trends(t, ["terrorism", "multipolar world"], TrendSettings(period="decade", n_boot=20)),
    "keyness": lambda c, t: keyness(t, "after:2009", min_count=1, min_docs=1),
    "kwic": lambda c, t: kwic(t, "terrorism"),
    "collocations": lambda c, t: collocations(t, "terrorism", min_count=1),
    "dispersion": lambda c, t: term_dispersion(t, ["terrorism"]),
    "frames": lambda c, t: detect_frames(t, n_boot=20),
    "evaluation": lambda c, t: evaluate_frames(_coded(t), n_boot=20),
    "coding sample": lambda c, t: sample_sentences(t, 6, seed=0, per_document=2, min_words=3),
    "agreement": lambda c, t: coder_agreement(_coded(t), _coded(t)),
    "topics": lambda c, t: _topics(c),
    "prevalence": lambda c, t: prevalence_over_time(_topics(c).doc_topics, t.metadata, n_boot=20),
    "model selection": lambda c, t: select_k(t, [2, 3], n_seeds=2, no_below=1, no_above=1.0, passes=5),
    "topic effects": lambda c, t: E.effect(_topics(c).model, "year + organization", n_draws=5),
}
PLANTED = {"topics", "prevalence", "model selection", "topic effects"}


@pytest.mark.parametrize("name", sorted(RESULTS))
def test_every_result_writes_its_tables_and_one_params_json(name, tiny_corpus, tmp_path):
    corpus = _planted() if name in PLANTED else tiny_corpus
    tokens = preprocess(corpus, PreprocessParams(), cache_dir=None)
    result = RESULTS[name](corpus, tokens)
    assert isinstance(result, Result)
    paths = result.write(tmp_path / "out")
    assert all(p.is_file() and p.parent == tmp_path / "out" for p in paths)
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == sorted(p.name for p in paths)
    assert paths[-1].name == "params.json" and [p.name for p in paths].count("params.json") == 1
    record = json.loads(paths[-1].read_text(encoding="utf-8"))
    assert record["versions"]["analysis"] == __version__ and record["notes"] == result.notes
    if name not in ("evaluation", "agreement", "prevalence"):  # made from gold or a table, not a corpus
        assert record["corpus"] == {"name": "tiny", "hash": corpus.hash, "synthetic": False}
        assert result.corpus == corpus_identity(corpus) == corpus_identity(tokens)
    stems = {p.name.split(".")[0] for p in paths}
    assert set(result.tables()) <= stems


def test_big_tables_are_parquet_and_csv_on_request(tiny_tokens, tmp_path):
    result = detect_frames(tiny_tokens, n_boot=20)
    names = {p.name for p in result.write(tmp_path / "a")}
    assert "sentence_frames.parquet" in names and "sentence_frames.csv" not in names
    names = {p.name for p in result.write(tmp_path / "b", csv=True)}
    assert {"sentence_frames.parquet", "sentence_frames.csv"} <= names


def test_cached_computes_without_a_store_and_reuses_with_one(tmp_path):
    from analysis.preprocess.cache import ResultCache

    calls = []

    def compute():
        calls.append(1)
        return [1, 2]

    compute.__module__ = "analysis.stats"  # keyed on the code of the method it belongs to

    assert cached(None, "demo", {"k": 1}, compute) == [1, 2]
    store = ResultCache(tmp_path)
    assert cached(store, "demo", {"k": 1}, compute) == [1, 2]
    assert cached(store, "demo", {"k": 1}, compute) == [1, 2]
    assert len(calls) == 2  # once without a store, once stored, then read back
    assert cached(store, "demo", {"k": 2}, compute, complete=lambda: False) == [1, 2]
    assert cached(store, "demo", {"k": 2}, compute) == [1, 2] and len(calls) == 4  # partial: not stored


def test_method_params_leave_out_the_corpus_and_the_versions(tiny_tokens):
    result = detect_frames(tiny_tokens, n_boot=20)
    assert "corpus" in result.params and "versions" in result.params
    assert result.method_params == {k: v for k, v in result.params.items() if k not in ("corpus", "versions")}
    assert result.method_params["seed"] == 0


def test_a_figure_takes_its_corpus_and_params_from_the_result(tmp_path):
    import matplotlib.pyplot as plt

    from analysis import figures

    corpus = _planted()
    result = term_trends(preprocess(corpus, PreprocessParams(), cache_dir=None), ["alpha"],
                         TrendSettings(period="year", n_boot=20))
    fig, ax = figures.figure("single")
    ax.plot([0, 1], [1, 2])
    entry = figures.save(fig, "from-result", caption="c", data=result.rates, source=result,
                         params={"language": "en", "seed": 5}, out_dir=tmp_path)
    plt.close(fig)
    assert entry["corpus"] == result.corpus == {"name": "tiny", "hash": corpus.hash, "synthetic": False}
    assert "versions" not in entry["params"] and "corpus" not in entry["params"]
    assert entry["params"]["period"] == "year" and entry["params"]["terms"] == ["alpha"]
    assert entry["params"]["language"] == "en" and entry["params"]["seed"] == 5  # given params win
