"""The corpus index: a folder's metadata read back from the cache while its files are unchanged,
the same frame, hash and skips as a full load, and never used after a file, corpus.yml or the
loading code changed."""

from __future__ import annotations

import os
from pathlib import Path

import pandas as pd
import pytest

from analysis.corpus import index, io, load_corpus

EN = ("The security of one state cannot be built at the expense of the security of others, "
      "and we call on all partners to work together in the framework of the United Nations.")


def _doc(folder: Path, name: str, date: str, text: str = EN, **meta) -> Path:
    lines = ["---", f"date: {date}", "language: en", *(f"{k}: {v}" for k, v in meta.items()), "---", text, ""]
    path = folder / name
    path.write_text("\n".join(lines), encoding="utf-8")
    return path


@pytest.fixture()
def folder(tmp_path: Path) -> Path:
    corpus = tmp_path / "c"
    corpus.mkdir()
    _doc(corpus, "a.txt", "2001-05-03", country="RUS", session=56)
    _doc(corpus, "b.txt", "2005", title="Two", tags="[x, y]")
    (corpus / "broken.txt").write_bytes(b"\x00\x01binary")
    return corpus


@pytest.fixture()
def no_racy_wait(monkeypatch):
    """Files written by a test are seconds old; let the index be written anyway."""
    monkeypatch.setattr(index, "RACY_SECONDS", 0.0)


def _forbid_reading(monkeypatch) -> None:
    def fail(*args, **kwargs):
        raise AssertionError("a document file was read although the index describes the folder")

    monkeypatch.setattr(io, "load_document_file", fail)


def test_a_second_load_reads_the_index_and_gives_the_same_corpus(folder, tmp_path, monkeypatch, no_racy_wait):
    plain = load_corpus(folder, cache_dir=None)
    first = load_corpus(folder, cache_dir=tmp_path / "cache")
    assert index.index_path(tmp_path / "cache", folder).exists()
    _forbid_reading(monkeypatch)
    again = load_corpus(folder, cache_dir=tmp_path / "cache")
    pd.testing.assert_frame_equal(again.metadata, plain.metadata, check_exact=True)
    assert again.hash == first.hash == plain.hash
    assert [str(s) for s in again.skipped] == [str(s) for s in plain.skipped]  # the binary file, still listed
    monkeypatch.undo()
    assert again.text("a") == plain.text("a")  # texts are read when asked for


def test_without_a_cache_folder_no_index_is_written(folder, tmp_path, no_racy_wait):
    load_corpus(folder, cache_dir=None)
    assert not (tmp_path / "cache").exists()


def test_a_changed_file_is_read_again(folder, tmp_path, no_racy_wait):
    cache = tmp_path / "cache"
    load_corpus(folder, cache_dir=cache)
    path = folder / "a.txt"
    st = path.stat()
    path.write_text(path.read_text(encoding="utf-8").replace("RUS", "CHN"), encoding="utf-8")  # same size
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns))  # and the old modification time
    again = load_corpus(folder, cache_dir=cache)
    assert again.metadata.at["a", "country"] == "CHN"
    assert again.hash == load_corpus(folder, cache_dir=None).hash


def test_added_and_removed_files_and_corpus_yml_count(folder, tmp_path, no_racy_wait):
    cache = tmp_path / "cache"
    load_corpus(folder, cache_dir=cache)
    _doc(folder, "c.txt", "2010-07")
    assert list(load_corpus(folder, cache_dir=cache).metadata.index) == ["a", "b", "c"]
    (folder / "b.txt").unlink()
    assert list(load_corpus(folder, cache_dir=cache).metadata.index) == ["a", "c"]
    (folder / "corpus.yml").write_text("name: mine\ndefaults:\n  organization: CSTO\n", encoding="utf-8")
    loaded = load_corpus(folder, cache_dir=cache)
    assert loaded.name == "mine" and set(loaded.metadata["organization"]) == {"CSTO"}


def test_an_index_is_not_written_right_after_a_change(folder, tmp_path):
    load_corpus(folder, cache_dir=tmp_path / "cache")  # the files are younger than RACY_SECONDS
    assert not index.index_path(tmp_path / "cache", folder).exists()


def test_changed_loading_code_is_not_served_from_an_old_index(folder, tmp_path, monkeypatch, no_racy_wait):
    cache = tmp_path / "cache"
    load_corpus(folder, cache_dir=cache)
    monkeypatch.setattr(index, "_code", lambda: "other code")
    calls = []
    real = io.load_document_file
    monkeypatch.setattr(io, "load_document_file", lambda *a, **k: calls.append(a) or real(*a, **k))
    load_corpus(folder, cache_dir=cache)
    assert len(calls) == 3  # every file read again


def test_a_damaged_index_is_ignored(folder, tmp_path, no_racy_wait):
    cache = tmp_path / "cache"
    want = load_corpus(folder, cache_dir=cache)
    index.index_path(cache, folder).write_text("{not json", encoding="utf-8")
    assert load_corpus(folder, cache_dir=cache).hash == want.hash


def test_values_json_would_change_keep_the_folder_unindexed(folder, tmp_path, no_racy_wait):
    _doc(folder, "d.txt", "2011", score=".nan")  # a NaN does not come back from JSON as equal
    load_corpus(folder, cache_dir=tmp_path / "cache")
    assert not index.index_path(tmp_path / "cache", folder).exists()
