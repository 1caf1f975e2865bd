"""The compiled batch path (`FrameDetector.detect_many`) gives what `detect` gives, sentence for
sentence, also for context rules with phrases (word sequences in near / not_near / not_prev /
not_next), windows and capitals, and the index's glob lookup finds what trying every glob finds."""

from __future__ import annotations

import pytest

from analysis.corpus import load_corpus
from analysis.framing import FrameDetector, load_lexicon
from analysis.framing.elements import glob_ok
from analysis.preprocess import split_sentences, tokenize

_RULES = {"format": 1, "version": "test-phrases", "frames": {"threat": {"subframes": {"test": {"en": [
    {"term": "fighter", "not_prev": ["freedom", "civil war"]},
    {"term": "crime", "not_next": ["against humanity", "rate"]},
    {"term": "attack", "near": [["armed group", "militant*"]], "window": 3},
    {"term": "bomb", "not_near": ["nuclear test", "testing"]},
    {"term": "shadow", "capitalized": True},
    {"term": "raid", "near": [["night time", "dawn"], ["police force", "army"]]},
    "drug traffick*",
]}}}}}

_SENTENCES = [
    "The civil war fighter returned.", "A freedom fighter spoke.", "The war fighter left.", "fighter",
    "This crime against humanity must end.", "The crime rate fell.", "A crime was committed.", "crime",
    "The armed group will attack.", "The attack came long after the armed group had gone.",
    "Militants attack.", "An attack armed group.", "The armed group and others, then one more attack.",
    "The bomb was a nuclear test device.", "The bomb exploded.", "Nuclear test: bomb.", "bomb nuclear test",
    "Shadow moved.", "The shadow moved.", "A night time raid by the police force.", "A dawn raid.",
    "A raid by the army at dawn.", "Drug trafficking and drug traffickers.", "", "...",
    "Attack, bomb, crime and fighter: armed group nuclear test civil war crime against humanity.",
]


@pytest.fixture(scope="module")
def rules_detector() -> FrameDetector:
    return FrameDetector(load_lexicon(_RULES, base=False))


def test_phrase_rules_windows_and_capitals_give_the_same_frames_in_the_compiled_batch(rules_detector):
    det = rules_detector
    many = det.detect_many(_SENTENCES, "en")
    assert many == [det.detect(s, "en") for s in _SENTENCES]
    terms = {s: set(r.terms) for s, r in zip(_SENTENCES, many, strict=True)}
    assert "threat.test:fighter" in terms["The war fighter left."]
    assert "threat.test:fighter" not in terms["The civil war fighter returned."]
    assert "threat.test:crime" not in terms["This crime against humanity must end."]
    assert "threat.test:crime" in terms["A crime was committed."]
    assert "threat.test:attack" in terms["The armed group will attack."]
    assert "threat.test:attack" not in terms["The attack came long after the armed group had gone."]
    assert "threat.test:bomb" not in terms["The bomb was a nuclear test device."]
    assert "threat.test:shadow" in terms["Shadow moved."] and "threat.test:shadow" not in terms["The shadow moved."]
    assert "threat.test:raid" in terms["A night time raid by the police force."]
    assert "threat.test:raid" not in terms["A dawn raid."]


def test_the_compiled_batch_equals_detect_on_the_demo_corpus_in_two_batches(demo_dir):
    corpus = load_corpus(demo_dir, cache_dir=None)
    det = FrameDetector()
    for language in sorted(set(corpus.metadata["language"])):
        ids = [i for i, lang in zip(corpus.ids, corpus.metadata["language"], strict=True) if lang == language]
        sentences = [s for i in ids for s in split_sentences(corpus.text(i))]
        half = len(sentences) // 2
        many = det.detect_many(sentences[:half], language) + det.detect_many(sentences[half:], language)
        assert many == [det.detect(s, language) for s in sentences]
        assert sum(bool(r.terms) for r in many) > 10


def _demo_words(demo_dir) -> set[str]:
    corpus = load_corpus(demo_dir, cache_dir=None)
    return {w for i in corpus.ids for w in tokenize(corpus.text(i))}


def test_the_glob_lookup_finds_every_glob_that_matches_a_word(demo_dir):
    for language in ("en", "ru"):
        index = FrameDetector().compiled(language).index
        globs = index._by_glob
        words = _demo_words(demo_dir)
        odd = [g for g, _ in globs if "[" in g or "?" in g or g.startswith("*") and g.endswith("*")]
        words |= {g.replace("*", fill).replace("?", "e").replace("[-]", "-")
                  for g in [g for g, _ in globs[:200]] + odd[:200] for fill in ("", "abc", "-x-")}
        for w in sorted(words):
            key, lower = index.lemmatizer[w]
            assert index._globs.hits(key, lower) == [e for g, e in globs if glob_ok(g, key, lower)], w


def test_the_prefix_lookup_finds_every_prefix_that_begins_a_words_lemma_or_form(demo_dir):
    for language in ("en", "ru"):
        index = FrameDetector().compiled(language).index
        prefixes = index._by_prefix
        words = _demo_words(demo_dir)
        words |= {v + fill for v, _ in prefixes for fill in ("", "ами", "s")} | {v[:-1] for v, _ in prefixes}
        for w in sorted(words):
            key, lower = index.lemmatizer[w]
            expected = [e for v, e in prefixes if key.startswith(v) or lower.startswith(v)]
            assert index._prefixes.hits(key, lower) == expected, w
