"""The partitioned Parquet corpus format: same corpus (hash, texts, tokens) as the folder it came
from, metadata read without the texts, texts read a part at a time."""

from __future__ import annotations

import pandas as pd
import pytest

from analysis.cli import main
from analysis.corpus import load_corpus
from analysis.corpus.dataset import PartTexts, dataset_parts, write_dataset
from analysis.errors import CorpusError
from analysis.preprocess import preprocess


def test_a_parquet_dataset_is_the_same_corpus_as_its_folder(demo_dir, tmp_path, monkeypatch):
    demo = load_corpus(demo_dir)
    assert write_dataset(iter(demo), tmp_path / "pq", part_size=50) == len(demo)
    (tmp_path / "pq" / "corpus.yml").write_bytes((demo_dir / "corpus.yml").read_bytes())
    assert len(dataset_parts(tmp_path / "pq")) == 8
    reads = []
    original = pd.read_parquet

    def counted(path, columns=None, **kw):
        reads.append((path.name, tuple(columns or ())))
        return original(path, columns=columns, **kw)

    monkeypatch.setattr(pd, "read_parquet", counted)
    corpus = load_corpus(tmp_path / "pq")
    assert all("text" not in cols for _, cols in reads)  # loading reads no text
    assert corpus.hash == demo.hash and corpus.ids == demo.ids
    reads.clear()
    ours, theirs = preprocess(corpus, cache_dir=None), preprocess(demo, cache_dir=None)
    assert [d.tokens for d in ours] == [d.tokens for d in theirs]
    assert len(reads) == 8  # each part's texts read once, in corpus order


def test_corpus_import_writes_parquet_parts(demo_dir, tmp_path):
    assert main(["corpus", "import", "folder", str(demo_dir), "--out", str(tmp_path / "c"),
                 "--format", "parquet"]) == 0
    assert [p.name for p in dataset_parts(tmp_path / "c")] == ["part-00000.parquet"]
    assert (tmp_path / "c" / "skipped.csv").exists() and (tmp_path / "c" / "corpus.yml").exists()
    assert load_corpus(tmp_path / "c").hash == load_corpus(demo_dir).hash


def test_a_part_without_the_core_columns_is_named(tmp_path):
    pd.DataFrame({"id": ["a"], "body": ["x"]}).to_parquet(tmp_path / "part-00000.parquet")
    with pytest.raises(CorpusError, match=r"part-00000.parquet: no column date"):
        load_corpus(tmp_path)


def test_part_texts_hold_no_text_after_reading_so_a_held_shard_does_not_keep_its_part(tmp_path):
    import pickle

    pd.DataFrame({"id": ["a"], "text": ["Hello. " * 1000]}).to_parquet(tmp_path / "part-00000.parquet")
    texts = PartTexts(tmp_path, {"a": "part-00000.parquet"})
    before = len(pickle.dumps(texts))
    assert texts("a") == "Hello. " * 1000
    assert len(pickle.dumps(texts)) == before  # the part read stays with the process, not the object
    assert "Hello." not in repr(vars(texts))


def test_texts_are_found_from_another_working_folder(demo_dir, tmp_path, monkeypatch):
    """A worker runs elsewhere: a corpus loaded from a relative path still finds its texts."""
    write_dataset(iter(load_corpus(demo_dir)), tmp_path / "pq", part_size=100)
    monkeypatch.chdir(demo_dir.parent)
    folder = load_corpus(demo_dir.name)
    monkeypatch.chdir(tmp_path)
    parts = load_corpus("pq")
    monkeypatch.chdir(tmp_path.parent)
    first = folder.ids[0]
    assert folder.text(first) == parts.text(first) == load_corpus(demo_dir).text(first)
