"""The results cache: stored once, reused for the same key, recomputed for a new key, damaged
entries or changed code; the tokens' fingerprint; the `cache` command."""

from __future__ import annotations

import logging

import pytest

from analysis.cli import main
from analysis.corpus import Corpus, Document
from analysis.preprocess import preprocess
from analysis.preprocess import store as stored
from analysis.preprocess.cache import ResultCache
from analysis.provenance import code_fingerprint

CODE = ("analysis.stats",)


def counting(value):
    calls = []

    def compute():
        calls.append(1)
        return value

    return compute, calls


def test_a_result_is_computed_once_and_then_read_back(tmp_path):
    store = ResultCache(tmp_path)
    compute, calls = counting({"a": [1, 2, 3]})
    first = store.get_or_compute("demo", {"input": "x", "k": 3}, compute, code=CODE)
    second = store.get_or_compute("demo", {"k": 3, "input": "x"}, compute, code=CODE)
    assert first == second == {"a": [1, 2, 3]}
    assert len(calls) == 1
    [entry] = store.entries()
    assert entry["kind"] == "demo" and entry["record"]["k"] == 3 and entry["record"]["code"]
    assert entry["record"]["libraries"]["numpy"]  # numerical library versions are part of the key


def test_other_parameters_or_other_code_give_a_new_result(tmp_path):
    store = ResultCache(tmp_path)
    compute, calls = counting(1)
    store.get_or_compute("demo", {"k": 3}, compute, code=CODE)
    store.get_or_compute("demo", {"k": 4}, compute, code=CODE)
    store.get_or_compute("demo", {"k": 3}, compute, code=("analysis.errors",))
    assert len(calls) == 3


def test_an_entry_made_by_other_code_for_the_same_input_is_replaced(tmp_path):
    store = ResultCache(tmp_path)
    compute, _ = counting(1)
    store.get_or_compute("demo", {"k": 3}, compute, code=CODE)
    store.get_or_compute("demo", {"k": 4}, compute, code=CODE)
    store.get_or_compute("demo", {"k": 3}, compute, code=("analysis.errors",))  # "a new version"
    kept = sorted((e["record"]["k"], e["record"]["code"]) for e in store.entries())
    assert kept == [(3, code_fingerprint("analysis.errors")), (4, code_fingerprint(*CODE))]


def test_a_damaged_entry_is_recomputed_with_a_warning(tmp_path, caplog):
    store = ResultCache(tmp_path)
    compute, calls = counting([1])
    store.get_or_compute("demo", {"k": 1}, compute, code=CODE)
    key, _ = store.key("demo", {"k": 1}, CODE)
    store.path("demo", key).write_bytes(b"not a stored result")
    with caplog.at_level(logging.WARNING):
        assert store.get_or_compute("demo", {"k": 1}, compute, code=CODE) == [1]
    assert len(calls) == 2
    assert "unreadable" in caplog.text
    with store.path("demo", key).open("rb") as fh:  # and stored again
        assert stored.load(fh) == [1]


def test_an_error_in_the_computation_is_raised_and_nothing_is_stored(tmp_path):
    store = ResultCache(tmp_path)

    def fails():
        raise ValueError("too small")

    with pytest.raises(ValueError, match="too small"):
        store.get_or_compute("demo", {"k": 1}, fails, code=CODE)
    assert store.entries() == []


def test_code_fingerprint_changes_with_the_source(tmp_path, monkeypatch):
    pkg = tmp_path / "fp_pkg"
    pkg.mkdir()
    (pkg / "__init__.py").write_text("X = 1\n")
    (pkg / "part.py").write_text("Y = 1\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    before = code_fingerprint("fp_pkg")
    (pkg / "part.py").write_text("Y = 2\n")
    assert code_fingerprint("fp_pkg") != before  # read afresh: an edit in a running session counts


def docs(text: str = "Terrorism is a threat.", date: str = "2001-01-01") -> list[Document]:
    return [Document("a", text, "en", date, {"country": "RUS"}),
            Document("b", "Cooperation with the SCO grows.", "en", "2002", {"country": "CHN"})]


def test_tokens_fingerprint_follows_texts_metadata_and_parameters(tmp_path):
    from analysis.preprocess import PreprocessParams

    base = preprocess(Corpus.from_documents(docs(), name="c"), cache_dir=tmp_path, n_jobs=1)
    again = preprocess(Corpus.from_documents(docs(), name="c"), cache_dir=tmp_path, n_jobs=1)
    assert base.fingerprint == again.fingerprint
    assert base.results is not None and base.results.root == tmp_path
    other_text = preprocess(Corpus.from_documents(docs("Extremism is a threat."), name="c"),
                            cache_dir=tmp_path, n_jobs=1)
    other_date = preprocess(Corpus.from_documents(docs(date="2003-01-01"), name="c"), cache_dir=tmp_path, n_jobs=1)
    other_params = preprocess(Corpus.from_documents(docs(), name="c"), PreprocessParams(lemmatize=False),
                              cache_dir=tmp_path, n_jobs=1)
    prints = {t.fingerprint for t in (base, other_text, other_date, other_params)}
    assert len(prints) == 4
    subset = base.subset(base.metadata["country"] == "RUS")
    assert subset.fingerprint != base.fingerprint
    before = base.fingerprint
    base.metadata.loc["a", "country"] = "KAZ"  # an edit in place changes the key
    assert base.fingerprint != before


def test_tokens_fingerprint_includes_the_learned_phrases(tmp_path):
    from gensim.models.phrases import Phrases

    from analysis.preprocess import PreprocessParams

    texts = ["Energy security matters. Energy market reform.", "Energy price rose. Energy market fell.",
             "Energy market talks. Energy price caps.", "Energy security first. Energy market open."] * 3
    corpus = Corpus.from_documents([Document(f"d{i}", t, "en", f"{2000 + i}", {}) for i, t in enumerate(texts)],
                                   name="p")
    params = PreprocessParams(phrases=True, phrases_min_count=2, phrases_threshold=0.1)
    tokens = preprocess(corpus, params, cache_dir=tmp_path, n_jobs=1)
    assert tokens.phraser.phrasegrams  # phrases were learned
    learned = tokens.fingerprint
    tokens.phraser = Phrases([["energy", "security"]] * 5, min_count=1, threshold=0.01).freeze()
    other = tokens.fingerprint
    tokens.phraser = None
    assert len({learned, other, tokens.fingerprint}) == 3


def test_tokens_held_in_memory_store_no_results(tiny_corpus):
    assert preprocess(tiny_corpus, cache_dir=None, n_jobs=1).results is None


def test_cache_command_lists_and_clears_stored_results(tmp_path, capsys):
    tokens = preprocess(Corpus.from_documents(docs(), name="c"), cache_dir=tmp_path, n_jobs=1)
    tokens.results.get_or_compute("demo", {"k": 1}, lambda: [1], code=CODE)
    assert main(["cache", "--cache-dir", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    assert "processed documents" in out and "stored results, demo: 1 entries" in out
    assert main(["cache", "--cache-dir", str(tmp_path), "--clear"]) == 0
    assert tokens.results.entries() == []
    assert (tmp_path / tokens.params.doc_key()).is_dir()  # processed documents stay without --all
    assert main(["cache", "--cache-dir", str(tmp_path), "--clear", "--all"]) == 0
    assert not (tmp_path / tokens.params.doc_key()).exists()


def test_cache_command_pointed_at_another_folder_deletes_nothing_of_its_own(tmp_path):
    """A mistaken --cache-dir (a project folder) loses nothing: only files the caches write go."""
    (tmp_path / ".git").mkdir()
    (tmp_path / ".git" / "HEAD").write_text("ref")
    (tmp_path / "results" / "tables").mkdir(parents=True)
    (tmp_path / "results" / "tables" / "model.pkl").write_text("mine")
    (tmp_path / "0123456789abcdef").mkdir()  # a parameter-key-like name, but not a document cache
    (tmp_path / "0123456789abcdef" / "notes.txt").write_text("mine")
    assert main(["cache", "--cache-dir", str(tmp_path), "--clear", "--all"]) == 0
    assert (tmp_path / ".git" / "HEAD").read_text() == "ref"
    assert (tmp_path / "results" / "tables" / "model.pkl").read_text() == "mine"
    assert (tmp_path / "0123456789abcdef" / "notes.txt").read_text() == "mine"


def test_a_result_that_cannot_be_stored_is_returned_with_a_warning_and_leaves_no_files(tmp_path, caplog):
    store = ResultCache(tmp_path)
    value = {"f": lambda x: x}  # not picklable
    with caplog.at_level(logging.WARNING):
        assert store.get_or_compute("demo", {"k": 1}, lambda: value, code=CODE) is value
    assert "could not store" in caplog.text
    assert not [p for p in (tmp_path / "results").rglob("*") if p.is_file()]
