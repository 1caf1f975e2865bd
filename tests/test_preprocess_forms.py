"""`FormTable.encode` gives `tokenize`'s tokens, numbered by form, on real and random text."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from analysis.corpus import load_corpus
from analysis.preprocess import split_sentences, tokenize
from analysis.preprocess.forms import FormTable


def _tokens(table: FormTable, sentences: list[str]) -> list[list[str]]:
    ids, first = table.encode(sentences)
    return [[table.forms[i] for i in ids[first[k]:first[k + 1]]] for k in range(len(sentences))]


def test_forms_are_tokenizes_tokens_on_the_demo_corpus_and_numbered_in_order_of_first_sight(demo_dir):
    corpus = load_corpus(demo_dir, cache_dir=None)
    sentences = [s for i in corpus.ids for s in split_sentences(corpus.text(i))]
    table = FormTable()
    assert _tokens(table, sentences) == [tokenize(s) for s in sentences]
    order = list(dict.fromkeys(w for s in sentences for w in tokenize(s)))
    assert table.forms == order
    ids, _ = table.encode(sentences)  # a second batch: the same numbers, no new form
    assert table.forms == order
    assert [table.forms[i] for i in ids] == [w for s in sentences for w in tokenize(s)]


_ALPHABET = "aZzя Ё.-‐_–'’1٣²U.S.éе\u0301\t\n,;()\u00a0\ud800\U0001d400ſß"


@settings(max_examples=400, deadline=None)
@given(st.lists(st.text(alphabet=_ALPHABET, max_size=30), max_size=6))
def test_forms_equal_tokenize_on_random_text_with_acronyms_hyphens_digits_and_surrogates(sentences):
    table = FormTable()
    assert _tokens(table, sentences) == [tokenize(s) for s in sentences]


@settings(max_examples=100, deadline=None)
@given(st.lists(st.text(max_size=40), max_size=5))
def test_forms_equal_tokenize_on_any_unicode_text(sentences):
    assert _tokens(FormTable(), sentences) == [tokenize(s) for s in sentences]


def test_a_batch_without_sentences_or_words_gives_no_tokens():
    table = FormTable()
    ids, first = table.encode([])
    assert len(ids) == 0 and list(first) == [0]
    ids, first = table.encode(["", " ... ", "—"])
    assert len(ids) == 0 and list(first) == [0, 0, 0, 0]
    assert table.forms == []


def test_many_forms_grow_the_table_and_keep_their_numbers():
    table = FormTable()
    words = [f"w{i}x" for i in range(20_000)]  # past the first table and arena sizes
    ids, _ = table.encode([" ".join(words[:9_000]), " ".join(words)])
    assert table.forms == words
    assert list(ids) == [*range(9_000), *range(20_000)]
