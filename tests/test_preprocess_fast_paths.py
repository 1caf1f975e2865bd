"""The fast paths of preprocessing give what the plain definitions give: the decisions made once
per distinct word form, the one tokenizing pass per sentence, the multi-word joining tried only at
candidate positions and the sentence splitter without a regex search per boundary produce exactly
the sentences, tokens and word counts of the straightforward code they replaced (kept here as the
reference)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from analysis.corpus import load_corpus
from analysis.preprocess import (
    PreprocessParams,
    preprocess_batch,
    process_sentence,
    split_sentences,
    tokenize,
)
from analysis.preprocess.pipeline import NUMBER_TOKEN, _mwe_index, _normalise, _stops
from analysis.preprocess.text import _BOUNDARY, _INITIALS, _MARKUP, _PARAGRAPH, ABBREVIATIONS

UNGDC = Path("/work/data/ungdc")  # the imported UN General Debate Corpus on the project machine
PARAMS = [
    PreprocessParams(),
    PreprocessParams(lemmatize=False, lowercase=False),
    PreprocessParams(numbers="keep", min_length=3, extra_stopwords=("nations",)),
    PreprocessParams(numbers="replace", mwe=False, remove_stopwords=False),
    PreprocessParams(extra_mwe=("united nations", "security council", "nations security")),
]

HARD = [
    "Mr. Smith of the U.S. met Dr. J. R. Jones at 10 a.m. on 3 Nov. 1999. Then he left!",
    "The *United* Nations_ and the **Security Council** met (again). \"Why?\" she asked. 'Yes.'",
    "Border security threats persist.\n\nThe United Nations Security Council, the CSTO and the US agreed.",
    "Peace-keeping, co-operation and 1,500 troops in 2024; the U.N. and the E.U. … Next sentence.",
    "Мы строим многополярного мира основы вместе с ОДКБ. Г-н Иванов, т.е. др. лица, и т.д. Всё.",
    "«Нет!» — сказал он.   Это   конец…  2025 год. США и КНР.",
    "A # heading\r\nwith\u00a0spaces and\r\n\r\nanother paragraph. A. B. C. Done.",
    "United United Nations Nations Security Council Council. security security council.",
]


def _reference_split(text: str) -> list[str]:
    """The sentence splitter as it was: a regex search for the last word at every boundary."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\u00a0", " ")
    text = _MARKUP.sub("", text)
    last_word = re.compile(r"(\S+)\s*$")
    out: list[str] = []
    for para in _PARAGRAPH.split(text):
        para = " ".join(para.split())
        if not para:
            continue
        start = 0
        for m in _BOUNDARY.finditer(para):
            last = last_word.search(para[start : m.start()])
            word = last.group(1).rstrip(".!?…\"'”’»)]").lower() if last else ""
            word = word.lstrip("\"'“‘«([")
            if para[m.start() - 1] == "." and (word in ABBREVIATIONS or _INITIALS.fullmatch(word)):
                continue
            sentence = para[start : m.end()].strip()
            if sentence:
                out.append(sentence)
            start = m.end()
        tail = para[start:].strip()
        if tail:
            out.append(tail)
    return out


def _reference_sentence(sentence: str, language: str, params: PreprocessParams) -> list[str]:
    """Tokens of a sentence as they were computed: every token normalised and tested in turn."""
    raw = tokenize(sentence)
    words = [_normalise(t, language, params) for t in raw]
    keep = [len(t) > 1 and t.isupper() for t in raw]
    if params.mwe:
        index = _mwe_index(language, params.lemmatize, params.extra_mwe)
        joined, joined_keep, i = [], [], 0
        while i < len(words):
            for seq, token in index.get(words[i], ()):
                if tuple(words[i : i + len(seq)]) == seq:
                    joined.append(token)
                    joined_keep.append(True)
                    i += len(seq)
                    break
            else:
                joined.append(words[i])
                joined_keep.append(keep[i])
                i += 1
        words, keep = joined, joined_keep
    stops = _stops(language, params.extra_stopwords) if params.remove_stopwords else frozenset()
    out = []
    for w, protected in zip(words, keep, strict=True):
        if protected:
            out.append(w)
        elif re.search(r"\d", w):
            if params.numbers == "keep":
                out.append(w)
            elif params.numbers == "replace":
                out.append(NUMBER_TOKEN)
        elif len(w) >= params.min_length and w not in stops:
            out.append(w)
    return out


def _language(text: str) -> str:
    return "ru" if any("а" <= ch <= "я" for ch in text.lower()) else "en"


@pytest.fixture(scope="module")
def demo(demo_dir):
    return load_corpus(demo_dir)


def test_sentences_equal_the_reference_splitter_on_hard_cases_and_the_demo_corpus(demo):
    for text in HARD + [doc.text for doc in demo]:
        assert split_sentences(text) == _reference_split(text)


@pytest.mark.parametrize("params", PARAMS, ids=range(len(PARAMS)))
def test_processed_documents_equal_the_reference_on_the_demo_corpus(demo, params):
    docs = list(demo)
    for doc in preprocess_batch(docs, params):
        text = next(d.text for d in docs if d.id == doc.id)
        language = next(d.language for d in docs if d.id == doc.id)
        sentences = _reference_split(text)
        assert doc.sentences == sentences
        assert doc.tokens == [_reference_sentence(s, language, params) for s in sentences]
        assert doc.n_words == sum(len(tokenize(s)) for s in sentences)


@pytest.mark.parametrize("params", PARAMS, ids=range(len(PARAMS)))
def test_hard_sentences_equal_the_reference(params):
    for text in HARD:
        for s in _reference_split(text):
            assert process_sentence(s, _language(s), params) == _reference_sentence(s, _language(s), params)


PIECES = ["United", "Nations", "united", "nations", "Security", "Council", "security", "border", "threats",
          "Mr.", "U.S.", "e.g.", "J.", "CSTO", "US", "1,500", "2024", "co-operation", "the", "of", "and",
          "Многополярного", "мира", "ОДКБ", "г.", "т.е.", "в", ".", "!", "?", "…", ",", "\"", "«", "»",
          "(", ")", "*", "_", "#", "**", " ", "  ", "\n", "\n\n", "\r\n", "\u00a0", "A.", "Б."]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(PIECES), max_size=40).map(" ".join),
       st.sampled_from(range(len(PARAMS))))
def test_generated_texts_equal_the_reference(text, which):
    params = PARAMS[which]
    sentences = split_sentences(text)
    assert sentences == _reference_split(text)
    for s in sentences:
        assert process_sentence(s, _language(s), params) == _reference_sentence(s, _language(s), params)


@pytest.mark.shared
def test_un_speeches_equal_the_reference():
    """A slice of the UN General Debate import (the corpus the benchmark runs on)."""
    path = UNGDC
    if not path.is_dir():
        pytest.skip(f"needs the UN General Debate import at {path}")
    corpus = load_corpus(path)
    ids = list(corpus.metadata.index)[:: max(1, len(corpus) // 40)][:40]
    docs = [corpus.document(i) for i in ids]
    for doc, out in zip(docs, preprocess_batch(docs, PARAMS[0]), strict=True):
        sentences = _reference_split(doc.text)
        assert out.sentences == sentences
        assert out.tokens == [_reference_sentence(s, doc.language, PARAMS[0]) for s in sentences]
