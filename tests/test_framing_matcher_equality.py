"""The index's matcher (per-form anchor plans, the lemma prefilter, the rules' shortcuts) and the
compiled batch matcher (`framing.compiled`) find exactly what the plain Python matcher
(`framing_reference`) finds, match for match and in the same order, and `detect_many` (compiled
matching and resolution) gives what `detect` gives, sentence for sentence, on real text: the Russian
kremlin.ru table and a slice of the UN General Debate. A faster matcher must keep these passing."""

from __future__ import annotations

import tarfile
from pathlib import Path

import pytest
from framing_reference import PythonMatcher

from analysis.framing import FrameDetector
from analysis.framing.compiled import CompiledIndex
from analysis.preprocess import split_sentences, tokenize

pytestmark = pytest.mark.shared


def _assert_same_matches(sentences: list[str], language: str) -> int:
    det = FrameDetector()
    index = det.compiled(language).index
    reference = PythonMatcher(index)
    half = len(sentences) // 2  # two batches: the second meets forms the first numbered
    compiled = CompiledIndex(index)
    batches = [(compiled.match(part), base) for part, base in ((sentences[:half], 0), (sentences[half:], half))]
    found = 0
    for b, base in batches:
        for k in range(len(b.first) - 1):
            text = sentences[base + k]
            words = tokenize(text)
            infos = index.lookup(words)
            got = index.find(words, infos) if words else []
            assert got == reference.find(words, infos), text
            fast = [(int(b.m_start[j]), int(b.m_end[j]), index.entries[b.m_entry[j]])
                    for j in range(b.m_off[k], b.m_off[k + 1])]
            assert fast == [(m.start, m.end, m.entry) for m in got], text
            found += bool(got)
    assert det.detect_many(sentences, language) == [det.detect(s, language) for s in sentences]
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
