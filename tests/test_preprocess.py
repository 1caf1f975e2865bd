"""Preprocessing: sentences, tokens, lemmas, stop words, MWEs, numbers, phrases and the cache."""

from __future__ import annotations

import pytest

from analysis.corpus import Corpus, Document
from analysis.errors import ParameterError
from analysis.preprocess import (
    PreprocessParams,
    preprocess,
    preprocess_batch,
    process_sentence,
    split_sentences,
    tokenize,
)


def test_split_sentences_keeps_abbreviations_and_initials_inside_a_sentence():
    text = "Mr. Smith met Dr. Jones in the U.S. on Monday. V.V. Putin spoke! Was it 5 p.m. yet? Yes."
    assert split_sentences(text) == [
        "Mr. Smith met Dr. Jones in the U.S. on Monday.",
        "V.V. Putin spoke!",
        "Was it 5 p.m. yet?",
        "Yes.",
    ]


def test_split_sentences_joins_wrapped_lines_and_splits_paragraphs():
    text = "The democratic movement has\nprevailed in the cold war\n\nA new paragraph starts here"
    assert split_sentences(text) == [
        "The democratic movement has prevailed in the cold war",
        "A new paragraph starts here",
    ]


def test_split_sentences_russian_with_guillemets_and_abbreviations():
    text = "Встреча прошла в г. Москве. Он заявил: «Мы готовы». Итоги подведены."
    assert split_sentences(text) == ["Встреча прошла в г. Москве.", "Он заявил: «Мы готовы».", "Итоги подведены."]


def test_tokenize_drops_punctuation_and_keeps_hyphenated_words_and_acronyms():
    assert tokenize("The post-communist U.S. and ОДКБ, (again)!") == ["The", "post-communist", "U.S.", "and", "ОДКБ", "again"]


def test_process_sentence_lemmatizes_removes_stop_words_and_joins_mwes_in_english():
    tokens = process_sentence("The threats of international terrorism and drug trafficking persist.", "en",
                              PreprocessParams())
    assert tokens == ["threat", "international_terrorism", "drug_trafficking", "persist"]


def test_process_sentence_matches_inflected_russian_mwes_through_lemmas():
    tokens = process_sentence("Мы строим многополярного мира основы вместе с ОДКБ.", "ru", PreprocessParams())
    assert "многополярный_мир" in tokens
    assert "одкб" in tokens


def test_acronyms_are_not_lemmatized():
    # "US" must not become the pronoun "we"; CSTO stays one token
    assert process_sentence("The US and the CSTO.", "en", PreprocessParams(mwe=False)) == ["us", "csto"]


@pytest.mark.parametrize(("numbers", "expected"), [
    ("drop", ["troop"]), ("keep", ["troop", "1500"]), ("replace", ["troop", "<num>"]),
])
def test_number_handling_is_a_parameter(numbers, expected):
    assert process_sentence("Troops 1500", "en", PreprocessParams(numbers=numbers)) == expected


def test_written_forms_when_lemmatization_is_off():
    assert process_sentence("Threats persisted", "en", PreprocessParams(lemmatize=False)) == ["threats", "persisted"]


def test_extra_stopwords_and_extra_mwe():
    params = PreprocessParams(extra_stopwords=("persist",), extra_mwe=("border security",))
    assert process_sentence("Border security threats persist", "en", params) == ["border_security", "threat"]


def test_bad_parameter_names_the_choices():
    with pytest.raises(ParameterError, match="`numbers` must be one of 'drop', 'keep', 'replace'"):
        PreprocessParams(numbers="round")


def test_params_key_changes_with_any_per_document_choice():
    assert PreprocessParams().doc_key() != PreprocessParams(lemmatize=False).doc_key()
    assert PreprocessParams().doc_key() == PreprocessParams().doc_key()


def test_preprocess_batch_is_pure_and_keeps_sentence_alignment(tiny_corpus):
    docs = list(tiny_corpus)
    first = preprocess_batch(docs, PreprocessParams())
    second = preprocess_batch(docs, PreprocessParams())
    assert first == second
    for doc in first:
        assert len(doc.sentences) == len(doc.tokens)


def test_preprocess_in_memory_equals_cached_and_records_counts(tiny_corpus, tmp_path):
    mem = preprocess(tiny_corpus, cache_dir=None, n_jobs=1)
    cached = preprocess(tiny_corpus, cache_dir=tmp_path, n_jobs=1)
    assert [d.tokens for d in mem] == [d.tokens for d in cached]
    assert list(cached.metadata["n_tokens"]) == [d.n_tokens for d in mem]
    assert cached.metadata["n_sentences"].sum() == 11


def test_second_run_reads_the_cache_and_a_changed_document_invalidates_only_itself(tiny_corpus, tmp_path):
    calls = []
    preprocess(tiny_corpus, cache_dir=tmp_path, n_jobs=1)
    preprocess(tiny_corpus, cache_dir=tmp_path, n_jobs=1, progress=lambda d, t: calls.append((d, t)))
    assert calls[0] == (6, 6)  # everything came from the cache
    docs = list(tiny_corpus)
    docs[0] = Document(docs[0].id, docs[0].text + " Extremism grows.", "en", docs[0].date, docs[0].meta)
    changed = Corpus.from_documents(docs, name="tiny")
    calls.clear()
    tokens = preprocess(changed, cache_dir=tmp_path, n_jobs=1, progress=lambda d, t: calls.append((d, t)))
    assert calls[0] == (5, 6)  # only the changed document is processed again
    assert "extremism" in tokens.get("en1").flat()


def test_parallel_workers_give_the_same_tokens_as_one_process(tiny_corpus):
    one = preprocess(tiny_corpus, cache_dir=None, n_jobs=1, batch_size=2)
    two = preprocess(tiny_corpus, cache_dir=None, n_jobs=2, batch_size=2)
    assert [d.tokens for d in one] == [d.tokens for d in two]


def test_learned_phrases_join_frequent_pairs():
    text = "Regional stability matters. " * 30
    docs = [Document(f"d{i}", text + f"Item {i} differs.", "en", "2020") for i in range(5)]
    corpus = Corpus.from_documents(docs)
    tokens = preprocess(corpus, PreprocessParams(phrases=True, phrases_min_count=5, phrases_threshold=0.01),
                        cache_dir=None, n_jobs=1)
    assert "regional_stability" in tokens.get("d0").flat()


def test_tokens_subset_keeps_metadata_aligned(tiny_corpus):
    tokens = preprocess(tiny_corpus, cache_dir=None, n_jobs=1)
    ru = tokens.subset(tokens.metadata["language"] == "ru")
    assert ru.ids == ["ru1", "ru2"]
    assert [d.id for d in ru] == ["ru1", "ru2"]


def test_tokens_carry_the_synthetic_flag_of_their_corpus(tiny_corpus):
    assert preprocess(tiny_corpus, cache_dir=None, n_jobs=1).is_synthetic is False
    demo = Corpus.from_documents(list(tiny_corpus), info={"synthetic": True})
    tokens = preprocess(demo, cache_dir=None, n_jobs=1)
    assert tokens.is_synthetic is True
    assert tokens.subset(tokens.metadata["language"] == "en").is_synthetic is True


def test_cached_run_takes_counts_from_the_index_without_reading_documents(tiny_corpus, tmp_path, monkeypatch):
    from analysis.preprocess.cache import DocCache

    first = preprocess(tiny_corpus, cache_dir=tmp_path, n_jobs=1)

    def no_reads(self, key, doc_id):
        raise AssertionError("a cached run should not read documents to count them")

    monkeypatch.setattr(DocCache, "get", no_reads)
    second = preprocess(tiny_corpus, cache_dir=tmp_path, n_jobs=1)
    cols = ["n_sentences", "n_words", "n_tokens"]
    assert second.metadata[cols].equals(first.metadata[cols])
