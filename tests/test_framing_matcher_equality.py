"""The index's matcher (per-form anchor plans, the lemma prefilter, the rules' shortcuts) finds
exactly what the plain Python matcher (`framing_reference`) finds, match for match and in the same
order, on real text: the Russian kremlin.ru table and a slice of the UN General Debate. A faster
matcher must keep these passing."""

from __future__ import annotations

import tarfile
from pathlib import Path

import pytest
from framing_reference import PythonMatcher

from analysis.framing import FrameDetector
from analysis.preprocess import split_sentences, tokenize

pytestmark = pytest.mark.shared


def _assert_same_matches(sentences: list[str], language: str) -> int:
    det = FrameDetector()
    index = det.compiled(language).index
    reference = PythonMatcher(index)
    found = 0
    for text in sentences:
        words = tokenize(text)
        if not words:
            continue
        infos = index.lookup(words)
        got = index.find(words, infos)
        assert got == reference.find(words, infos), text
        found += bool(got)
    return found


def test_matcher_equals_the_plain_python_matcher_on_the_kremlin_ru_table(shared_dir):
    from analysis.corpus.importers import import_table

    path = shared_dir / "corpora" / "kremlin-ru-2025" / "kremlin_ru_2025.jsonl"
    if not path.exists():
        pytest.skip(f"needs the kremlin.ru table at {path}")
    docs = list(import_table(path).documents)
    sentences = [s for d in docs for s in split_sentences(d.text)]
    assert len(sentences) > 15_000
    assert _assert_same_matches(sentences, "ru") > 3_000


def test_matcher_equals_the_plain_python_matcher_on_a_un_general_debate_slice(shared_dir):
    path = shared_dir / "corpora" / "ungdc" / "UNGDC_1946-2024.tgz"
    if not path.exists():
        pytest.skip(f"needs the UN General Debate archive at {path}")
    texts = []
    with tarfile.open(path, "r|gz") as archive:  # the first 120 speeches in the archive
        for member in archive:
            name = Path(member.name).name
            if member.isfile() and name.endswith(".txt") and not name.startswith("."):
                texts.append(archive.extractfile(member).read().decode("utf-8", errors="replace"))
                if len(texts) == 120:
                    break
    sentences = [s for t in texts for s in split_sentences(t)]
    assert len(sentences) > 9_000
    assert _assert_same_matches(sentences, "en") > 4_000
