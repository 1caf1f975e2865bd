"""Shared fixtures: tiny EN/RU corpora, the demo corpus, and `../shared` when it is there."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from analysis.corpus import Corpus, Document

ROOT = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("ANALYSIS_SHARED_DIR") or ROOT.parent / "shared")  # a worktree elsewhere sets it
DEMO = ROOT / "corpus" / "demo"


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    """`../shared` beside the project; tests that need it skip with the reason when absent."""
    if not SHARED.is_dir():
        pytest.skip(f"needs the shared data folder at {SHARED} (not part of a user's clone)")
    return SHARED


@pytest.fixture(scope="session")
def demo_dir() -> Path:
    return DEMO


@pytest.fixture()
def tiny_corpus() -> Corpus:
    """Six short dated documents, four English and two Russian."""
    docs = [
        Document("en1", "The threat of international terrorism persists. We held joint exercises with the CSTO.",
                 "en", "2001-05-03", {"title": "One", "country": "RUS"}),
        Document("en2", "A multipolar world is emerging. Cooperation with the SCO grows.", "en", "2005",
                 {"title": "Two", "country": "CHN"}),
        Document("en3", "Drug trafficking from Afghanistan remains a danger. Peace and stability are our goals.",
                 "en", "2010-07", {"title": "Three", "country": "KAZ"}),
        Document("en4", "The United Nations remains our main partner in collective security.", "en", "2015-01-02",
                 {"title": "Four", "country": "RUS"}),
        Document("ru1", "Угроза международного терроризма сохраняется. Мы провели совместные учения с ОДКБ.",
                 "ru", "2020-02-03", {"title": "Пять", "country": "RUS"}),
        Document("ru2", "Формируется многополярный мир. Сотрудничество с ШОС расширяется.", "ru", "2024",
                 {"title": "Шесть", "country": "BLR"}),
    ]
    return Corpus.from_documents(docs, name="tiny")


@pytest.fixture()
def tiny_tokens(tiny_corpus):
    """`tiny_corpus` preprocessed in memory (what the framing methods take)."""
    from analysis.preprocess import preprocess

    return preprocess(tiny_corpus, cache_dir=None, n_jobs=1)
