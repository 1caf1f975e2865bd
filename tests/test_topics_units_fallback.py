"""Topics on small corpora: `plan_units` falls back from documents to paragraphs or chunks and
cuts the candidate ks, or says why no unit has enough."""

from __future__ import annotations

import pytest

from analysis import topics as T
from analysis.corpus import Corpus, Document
from analysis.preprocess import preprocess

WORDS = ("treaty border security drug trafficking exercise military energy railway corridor cyber "
         "information terrorism extremism cooperation summit minister army navy pipeline tariff "
         "trade investment harbour airport election parliament court judge police customs visa "
         "migration refugee water river harvest grain wheat cotton factory mine coal steel bank "
         "currency loan budget school teacher student hospital doctor vaccine virus satellite "
         "rocket missile drone tank").split()


def _text(n_sentences: int, offset: int) -> str:
    sentences = []
    for i in range(n_sentences):
        a, b, c = (WORDS[(offset + 7 * i + 13 * j) % len(WORDS)] for j in range(3))
        sentences.append(f"The {a} meets the {b} near the {c}.")
    return " ".join(sentences)


@pytest.fixture(scope="module")
def two_long_docs():
    docs = [Document("a", _text(60, 0), "en", "2025-10-31"),
            Document("b", _text(60, 5), "en", "2026-01-15")]
    return preprocess(Corpus.from_documents(docs, name="two"), cache_dir=None)


def test_many_documents_keep_document_units_and_every_k(demo_dir):
    from analysis.corpus import load_corpus

    tokens = preprocess(load_corpus(demo_dir), cache_dir=None)
    tokens = tokens.subset(tokens.metadata["language"] == "en")
    plan = T.plan_units(tokens, "document", "5:11:3")
    assert plan.unit == "document" and plan.ks == [5, 8, 11]
    assert plan.n_units == {"document": 293}


def test_two_documents_fall_back_to_paragraphs_with_fewer_topics(two_long_docs):
    plan = T.plan_units(two_long_docs, "document", "5:11:3")
    assert plan.unit == "paragraph"
    assert plan.n_units["document"] == 2 and plan.n_units["paragraph"] == 24
    assert plan.ks == [5, 8, 11] or all(2 * k <= 24 for k in plan.ks)
    assert "2 document units are too few" in plan.reason
    selection = T.select_k(two_long_docs, plan.ks, n_seeds=2, unit=plan.unit, seed=0)
    assert selection.chosen_k in plan.ks


def test_ks_are_cut_to_two_units_per_topic(two_long_docs):
    plan = T.plan_units(two_long_docs, "document", "5,10,15")
    assert plan.unit == "paragraph" and plan.ks == [5, 10]
    assert "k cut to 5, 10" in plan.reason


def test_a_short_single_document_has_no_unit_with_enough():
    docs = [Document("only", _text(12, 0), "en", "2025-10-31")]
    tokens = preprocess(Corpus.from_documents(docs, name="one"), cache_dir=None)
    plan = T.plan_units(tokens, "document", "5:11:3")
    assert plan.unit is None and plan.ks == []
    assert "1 document units" in plan.reason and "at least 10" in plan.reason


def test_an_asked_for_unit_starts_the_fallback_there(two_long_docs):
    plan = T.plan_units(two_long_docs, "chunk", "2")
    assert list(plan.n_units) == ["chunk"]
    assert plan.unit is None or plan.unit == "chunk"
