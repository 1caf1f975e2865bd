"""What the per-document stages do when something goes wrong: a document that raises, a damaged cache
entry, a bad scheduler address or cache folder. Nothing partial is stored, nothing is dropped
silently, and the user gets a message, not a traceback."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

from analysis.cli import main
from analysis.corpus import load_corpus
from analysis.errors import ParameterError
from analysis.preprocess import Tokens, preprocess
from analysis.preprocess.cache import DocCache
from analysis.preprocess.engine import engine_for

DEMO = Path(__file__).resolve().parents[1] / "corpus" / "demo"
TERMS = "multipolar world,terrorism,information security"


def _failing_get(monkeypatch, victim: str) -> None:
    """Make reading the document `victim` from the tokens raise (a document that breaks a stage)."""
    original = Tokens.get

    def get(self, doc_id):
        if doc_id == victim:
            raise ValueError(f"{doc_id} is broken")
        return original(self, doc_id)

    monkeypatch.setattr(Tokens, "get", get)


def test_a_frames_table_with_failed_documents_is_never_stored(tiny_corpus, tmp_path, monkeypatch):
    from analysis.framing import detect, detect_frames

    tokens = preprocess(tiny_corpus, cache_dir=tmp_path)
    whole = detect_frames(tokens, n_boot=10, cache=False)
    original = detect.detect_processed_batch

    def detect_batch(docs, *args, **kwargs):
        if any(d.id == "en3" for d in docs):
            raise ValueError("en3 cannot be read now")
        return original(docs, *args, **kwargs)

    with monkeypatch.context() as m:
        m.setattr(detect, "detect_processed_batch", detect_batch)
        for _ in range(2):  # the skip list is the same on a rerun: the partial table was not stored
            partial = detect_frames(tokens, n_boot=10, batch_size=2)
            assert [s["doc_id"] for s in partial.params["skipped"]] == ["en3"]
            assert "en3" not in set(partial.sentences["doc_id"])
    assert tokens.results.entries() == []
    again = detect_frames(tokens, n_boot=10, batch_size=2)  # the document reads again: all of it
    assert "skipped" not in again.params
    assert again.sentences.equals(whole.sentences)
    assert [e["kind"] for e in tokens.results.entries()] == ["frame-sentences"]


def test_a_damaged_document_cache_entry_is_processed_again_not_trusted(tmp_path, capsys):
    clean, damaged = tmp_path / "clean", tmp_path / "damaged"
    for folder in (clean, damaged):
        assert main(["preprocess", str(DEMO), "--cache-dir", str(folder / "cache")]) == 0
    corpus = load_corpus(DEMO)
    tokens = preprocess(corpus, cache_dir=damaged / "cache")
    victim = tokens.ids[3]
    entry = tokens._cache.path(tokens._keys[victim])
    good = entry.read_bytes()
    entry.write_text('{"s": [', encoding="utf-8")  # cut short (a full disk, a killed writer)
    capsys.readouterr()
    for folder in (clean, damaged):
        assert main(["trends", str(DEMO), "--terms", TERMS, "--out", str(folder / "out"), "--cache-dir",
                     str(folder / "cache"), "--n-boot", "20"]) == 0
    assert "Traceback" not in capsys.readouterr().err
    assert entry.read_bytes() == good  # processed again and stored again
    entry.write_text('{"s": [', encoding="utf-8")  # frames read only the sentences of the entry
    for folder in (clean, damaged):
        assert main(["frames", str(DEMO), "--out", str(folder / "out" / "frames"), "--cache-dir",
                     str(folder / "cache"), "--n-boot", "20"]) == 0
    assert entry.read_bytes() == good
    outputs = sorted(p.relative_to(clean / "out") for p in (clean / "out").rglob("*") if p.is_file())
    assert outputs
    for name in outputs:
        assert (damaged / "out" / name).read_bytes() == (clean / "out" / name).read_bytes(), name


def test_a_document_whose_counting_raises_is_skipped_with_its_reason(tiny_corpus, tmp_path, monkeypatch):
    from analysis.trends import count_terms, count_vocabulary

    tokens = preprocess(tiny_corpus, cache_dir=tmp_path)
    whole_terms = count_terms(tokens, "terrorism, multipolar*", cache=False)
    whole_vocab = count_vocabulary(tokens, cache=False)
    keep = [i != "en2" for i in tokens.ids]
    with monkeypatch.context() as m:
        _failing_get(m, "en2")
        for _ in range(2):  # not stored: the skip list is the same on a rerun
            terms = count_terms(tokens, "terrorism, multipolar*", batch_size=4)
            vocab = count_vocabulary(tokens, batch_size=4)
            for counts in (terms, vocab):
                assert counts.params["skipped"] == [{"doc_id": "en2", "reason": "ValueError: en2 is broken"}]
                assert list(counts.metadata.index) == [i for i in tokens.ids if i != "en2"]
                assert counts.matrix.shape[0] == len(tokens) - 1
            assert (terms.matrix != whole_terms.matrix[keep]).nnz == 0
            assert vocab.totals().sum() == whole_vocab.matrix[keep].sum()
    assert tokens.results.entries() == []
    again = count_terms(tokens, "terrorism, multipolar*")
    assert "skipped" not in again.params and (again.matrix != whole_terms.matrix).nnz == 0


@pytest.mark.parametrize("address", ["tcp://127.0.0.1", "udp://127.0.0.1:1"])
def test_a_scheduler_address_that_is_not_one_is_a_message(address, monkeypatch, tmp_path, capsys):
    pytest.importorskip("distributed")
    monkeypatch.delenv("ANALYSIS_SCHEDULER", raising=False)
    with pytest.raises(ParameterError, match="is not a Dask scheduler address"):
        engine_for(address)
    assert main(["preprocess", str(DEMO), "--cache-dir", str(tmp_path), "--scheduler", address]) == 2
    err = capsys.readouterr().err
    assert "is not a Dask scheduler address" in err and "Traceback" not in err
    monkeypatch.setenv("ANALYSIS_SCHEDULER", "tcp://localhost")
    with pytest.raises(ParameterError, match=r"from \$ANALYSIS_SCHEDULER"):
        engine_for(None)


def test_scheduler_and_jobs_together_are_refused(tmp_path, capsys):
    assert main(["preprocess", str(DEMO), "--cache-dir", str(tmp_path), "--scheduler", "inprocess",
                 "--jobs", "3"]) == 2
    assert "--jobs 3 and --scheduler inprocess" in capsys.readouterr().err


@pytest.mark.parametrize("url", ["s3://bucket/cache", "gs://bucket/cache", "memory://cache"])
def test_a_cache_url_of_no_mounted_file_system_is_refused_not_written_to_a_folder_named_after_it(
        url, tiny_corpus, tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    with pytest.raises(ParameterError, match="the cache folder"):
        preprocess(tiny_corpus, cache_dir=url)
    assert main(["trends", str(DEMO), "--terms", TERMS, "--out", str(tmp_path / "out"), "--cache-dir",
                 url]) == 2
    assert "the cache folder" in capsys.readouterr().err
    assert list(tmp_path.iterdir()) == []  # no folder named `s3:` or `memory:`


def test_a_file_url_is_read_through_fsspec_as_its_folder(tiny_corpus, tmp_path):
    pytest.importorskip("fsspec")
    from analysis.framing import detect_frames

    by_path = preprocess(tiny_corpus, cache_dir=tmp_path / "a", n_jobs=1)
    by_url = preprocess(tiny_corpus, cache_dir=(tmp_path / "b").as_uri(), n_jobs=1)
    assert [d.tokens for d in by_url] == [d.tokens for d in by_path]
    assert (tmp_path / "b").is_dir() and by_url.results.root == tmp_path / "b"
    frames = detect_frames(by_url, n_boot=10)  # the sentence parts go beside the stored result
    assert list((tmp_path / "b" / "results" / "frame-sentences").glob("*/*.parts/part-*.parquet"))
    assert frames.sentences.equals(detect_frames(by_path, n_boot=10).sentences)
    assert len(load_corpus(DEMO.as_uri())) == len(load_corpus(DEMO))


def test_counts_index_writers_in_one_process_do_not_collide(tmp_path):
    cache = DocCache(tmp_path, "0123456789abcdef")
    errors: list[BaseException] = []

    def write(n: int) -> None:
        try:
            for i in range(30):
                cache.add_counts({f"{n}-{i}": [1, 2, 3]})
        except BaseException as exc:  # noqa: BLE001 - collected for the assertion
            errors.append(exc)

    threads = [threading.Thread(target=write, args=(n,)) for n in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert list(cache.dir.glob("*.tmp")) == [] and list(cache.dir.glob(".*.tmp")) == []
    assert len(cache.load_counts()) >= 30  # a lost race loses entries (re-read later), never the file


def test_a_parquet_document_that_fails_is_named_and_its_part_neighbours_are_kept(tmp_path):
    pytest.importorskip("pyarrow")
    from analysis.corpus import Corpus
    from analysis.corpus.dataset import write_dataset

    folder = tmp_path / "parquet"
    write_dataset(iter(load_corpus(DEMO)), folder, part_size=100)
    (folder / "corpus.yml").write_bytes((DEMO / "corpus.yml").read_bytes())
    corpus = load_corpus(folder)
    cache = tmp_path / "cache"
    tokens = preprocess(corpus, cache_dir=cache)
    bad, neighbour = tokens.ids[5], tokens.ids[6]  # two documents of the first part
    part = corpus.metadata.at[bad, "path"]
    assert corpus.metadata.at[neighbour, "path"] == part
    want = tokens.get(neighbour).tokens
    tokens._cache.path(tokens._keys[bad]).unlink()  # to be processed again: its text raises
    tokens._cache.path(tokens._keys[neighbour]).write_text("{", encoding="utf-8")  # damaged
    tokens._cache.index_path.unlink()  # and no counts index: the neighbour's entry must be read

    def text(doc_id: str) -> str:
        if doc_id == bad:
            raise KeyError(doc_id)
        return corpus.text(doc_id)

    broken = Corpus(corpus.metadata, text, name=corpus.name)
    again = preprocess(broken, cache_dir=cache)
    assert [s.source for s in again.skipped] == [f"{part}#{bad}"]
    assert again.ids == [i for i in tokens.ids if i != bad]  # the neighbour is rebuilt, not dropped
    assert again.get(neighbour).tokens == want
