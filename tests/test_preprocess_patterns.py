"""One term-pattern syntax (`analysis.preprocess.patterns`): one parser, and trends and framing
giving each kind of word the same meaning on their own view of the text."""

from __future__ import annotations

from analysis.corpus import Corpus, Document
from analysis.framing.elements import Lemmatizer, parse_term, term_elements
from analysis.framing.matcher import PatternSet, Sentence
from analysis.preprocess import PreprocessParams, preprocess, process_sentence, tokenize
from analysis.preprocess.patterns import (
    EXACT,
    GLOB,
    PLAIN,
    PREFIX,
    Word,
    glob_regex,
    parse_pattern,
    parse_word,
    split_alternatives,
)
from analysis.trends import count_terms
from analysis.trends import parse_term as trends_term


def test_each_written_word_has_one_kind():
    assert parse_word("threat") == Word(PLAIN, "threat", "threat")
    assert parse_word("terror*") == Word(PREFIX, "terror", "terror*")
    assert parse_word("secur?ty") == Word(GLOB, "secur?ty", "secur?ty")
    assert parse_word("co[-]operation").kind == GLOB
    assert parse_word("*polar").kind == GLOB
    assert parse_word("=meeting") == Word(EXACT, "meeting", "=meeting")
    assert parse_word("CSTO").acronym and not parse_word("Csto").acronym and not parse_word("A").acronym
    assert parse_word("*").kind == GLOB and parse_word("=").kind == PLAIN


def test_alternatives_are_split_at_bars_with_spaces_normalised():
    assert split_alternatives(" multipolar  world |многополярный мир") == ["multipolar world", "многополярный мир"]
    assert split_alternatives("a||b") == ["a", "", "b"]
    assert [[w.kind for w in alt] for alt in parse_pattern("terror* threat|=threats")] == [[PREFIX, PLAIN], [EXACT]]


def test_framing_compiles_each_kind_of_word():
    lem = Lemmatizer("en")
    assert parse_term("threats", lem) == (("l", "threat"),)
    assert parse_term("Terror*", lem) == (("p", "terror"),)
    assert parse_term("=Meeting", lem) == (("s", "meeting"),)
    assert parse_term("secur?ty", lem) == (("g", "secur?ty"),)
    assert parse_term("CSTO", lem) == (("l", "CSTO"),)
    assert parse_term("* ?", lem) == ()
    assert term_elements("terrorism|=terror", lem) == [(("l", "terrorism"),), (("s", "terror"),)]
    assert term_elements("co-operation", lem, hyphens=True) == [
        (("l", "co-operation"),), (("l", "cooperation"),), (("l", "co"), ("l", "operation"))]
    assert parse_term("Объединённ*", Lemmatizer("ru")) == (("p", "объединенн"),)


def _spans(patterns: list[str], sentence: str, language: str = "en") -> list[tuple[int, int]]:
    lem = Lemmatizer(language)
    words = tokenize(sentence)
    return sorted(set(PatternSet.build(patterns, lem).spans(Sentence(words, [lem[w] for w in words]))))


def test_framing_globs_and_alternatives_match_by_lemma_or_form():
    sentence = "Security and securities, the secretary met the Secretary-General."
    assert _spans(["secur?ty"], sentence) == [(0, 1), (2, 3)]  # "securities" by its lemma
    assert _spans(["=securities"], sentence) == [(2, 3)]
    assert _spans(["secur*"], sentence) == [(0, 1), (2, 3)]
    assert _spans(["secre[xy]ary"], sentence) == []
    assert _spans(["secre[tx]ary"], sentence) == [(4, 5)]
    assert _spans(["*-general"], sentence) == [(7, 8)]
    assert _spans(["security|=secretary"], sentence) == [(0, 1), (2, 3), (4, 5)]
    assert _spans(["the secretary|met"], sentence) == [(3, 5), (5, 6)]


def _tokens(tmp_path, form: str):
    from analysis.trends import params_for_form

    docs = [Document("a", "The meeting on terrorism and terrorist threats. We meet terrorists. Security first.",
                     "en", "2001", {"title": "a"}),
            Document("b", "Meetings about securities. The WHO and who else met.", "en", "2002", {"title": "b"})]
    return preprocess(Corpus.from_documents(docs, name="p"), params_for_form(form), cache_dir=tmp_path, n_jobs=1)


def test_trends_reads_the_same_syntax(tmp_path):
    params = PreprocessParams()
    assert trends_term("terror* threat", params).pattern == "terror* threat"
    assert trends_term("=Meetings", params).pattern == "meetings"  # as written, lower-cased, not lemmatised
    assert trends_term("meetings", params).pattern == "meeting"
    assert not trends_term("=meeting", params).glob and trends_term("secur?ty", params).glob
    terms = ["terror*", "=meetings", "meetings", "secur?ty", "WHO"]
    # written form: terrorism, terrorist, terrorists; "Meetings" as written; "Security" only; the
    # acronym, not the pronoun (a stop word)
    written = count_terms(_tokens(tmp_path / "w", "written"), terms, cache=False).totals().to_dict()
    assert written == {"terror*": 3, "=meetings": 1, "meetings": 1, "secur?ty": 1, "WHO": 1}
    # lemma form: a prefix, a glob and =word are compared with the lemmas (simplemma: "Meetings"
    # -> meeting, "securities" -> security), so `=meetings` finds no lemma written so
    lemma = count_terms(_tokens(tmp_path / "l", "lemma"), terms, cache=False).totals().to_dict()
    assert lemma == {"terror*": 3, "=meetings": 0, "meetings": 1, "secur?ty": 2, "WHO": 1}


def test_a_prefix_means_the_same_in_trends_and_framing():
    # the words trends counts for `terror*` (lemma form) are those framing matches by lemma
    text = "Terrorism, terrorists and terror; the territory of a terrible error."
    lem = Lemmatizer("en")
    words = tokenize(text)
    framing = {lem[words[s]][0] for s, _ in _spans(["terror*"], text)}
    matcher = trends_term("terror*", PreprocessParams())
    trends = {u for u in process_sentence(text, "en", PreprocessParams()) if glob_regex(matcher.tokens[0]).match(u)}
    assert framing == trends == {"terrorism", "terrorist", "terror"}
