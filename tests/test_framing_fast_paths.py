"""The fast paths of frame detection give what the plain definitions give: frames from cached
`Tokens` equal frames from the corpus, worker processes change nothing, and the matcher's
shortcuts (anchor plans, the lemma prefilter, positional rule tests, `could_match`) agree with
matching every element and testing rules on the full list of spans (`framing_reference`)."""

from __future__ import annotations

import pandas as pd
import pytest
from framing_reference import PythonMatcher

from analysis.corpus import load_corpus
from analysis.framing import FrameDetector, detect_frames
from analysis.framing.matcher import Sentence
from analysis.preprocess import preprocess, split_sentences, tokenize

HARD = [
    "The United Nations Organization and the Association of Southeast Asian Nations met in Jakarta.",
    "We will not bend to the will of others who impose their will on us.",
    "Nuclear weapons tests in the Pacific threaten the security of small island States.",
    "Terrorism emanating from Afghanistan, drug trafficking and organized crime are threats to Central Asia.",
    "The Security Council, the Secretary-General and the General Assembly must work together.",
    "Мы провели совместные учения с ОДКБ и ШОС против терроризма.",
    "Формируется многополярный мир, и однополярный миропорядок уходит в прошлое.",
]


@pytest.fixture(scope="module")
def demo(demo_dir):
    return load_corpus(demo_dir)


@pytest.fixture(scope="module")
def det() -> FrameDetector:
    return FrameDetector()


def _sentences(demo) -> list[tuple[str, str]]:
    out = [(s, "ru" if any("а" <= ch <= "я" for ch in s.lower()) else "en") for s in HARD]
    for doc in demo:
        out += [(s, doc.language) for s in split_sentences(doc.text)]
    return out


def test_matcher_shortcuts_find_what_the_plain_definition_finds(det, demo):
    checked = 0
    reference = {}
    for text, language in _sentences(demo)[::2]:
        c = det.compiled(language)
        ref = reference.setdefault(language, PythonMatcher(c.index))
        words = tokenize(text)
        if not words:
            continue
        infos = c.index.lookup(words)
        assert [i[:2] for i in infos] == [c.lemmatizer[w] for w in words]
        got = c.index.find(words, infos)
        assert got == ref.find(words, infos), text
        checked += bool(got)
    assert checked > 500  # the demo corpus has many sentences with matches


def test_pattern_set_positional_tests_agree_with_its_spans(det, demo):
    sets = []
    for language in ("en", "ru"):
        c = det.compiled(language)
        sets += [(language, p) for p in (c.source_cues, c.locative_cues, c.skip_words)]
        for e in c.index.entries:
            r = e.rules
            sets += [(language, p) for p in (*r.near, r.not_near, r.not_prev, r.not_next) if p is not None]
    by_lang = {"en": [], "ru": []}
    for text, language in _sentences(demo)[:600]:
        words = tokenize(text)
        if words:
            lem = det.compiled(language).lemmatizer
            by_lang[language].append(Sentence(words, [lem[w] for w in words]))
    assert by_lang["en"] and by_lang["ru"]
    for language, patterns in sets[::7]:  # a spread of the pattern sets keeps this quick
        for sent in by_lang[language]:
            spans = patterns.spans(sent)
            if not patterns.could_match(sent):
                assert spans == []
            for k in range(sent.n):
                assert patterns.starts_at(sent, k) == any(s == k for s, _ in spans)
                assert patterns.ends_at(sent, k + 1) == any(e == k + 1 for _, e in spans)


def test_frames_from_cached_tokens_and_worker_processes_equal_frames_from_tokens_in_memory(demo, tmp_path):
    in_memory = preprocess(demo, cache_dir=None)
    expected = detect_frames(in_memory, n_boot=20, seed=2)
    assert len(expected.sentences) == sum(len(split_sentences(d.text)) for d in demo)  # every sentence, as split
    cached = preprocess(demo, cache_dir=tmp_path, n_jobs=1)  # iterating reads the cache back
    for source, jobs in ((cached, 1), (cached, 2), (in_memory, 2)):
        got = detect_frames(source, n_boot=20, seed=2, n_jobs=jobs, batch_size=40, cache=False)
        pd.testing.assert_frame_equal(got.sentences, expected.sentences)
        pd.testing.assert_frame_equal(got.documents, expected.documents)
        pd.testing.assert_frame_equal(got.shares, expected.shares)
        assert got.params == expected.params


def test_detect_frames_rejects_a_source_that_is_not_tokens(demo):
    from analysis.errors import ParameterError

    for source in (["a text"], demo):
        with pytest.raises(ParameterError, match="must be the Tokens of a corpus"):
            detect_frames(source)


def test_frames_command_from_the_preprocessing_cache_writes_the_same_files(tmp_path, tiny_corpus):
    from analysis.cli import main
    from analysis.corpus import write_corpus

    folder = write_corpus(list(tiny_corpus), tmp_path / "tiny", info={"name": "tiny"})
    common = ["--n-boot", "20", "--group", "country"]
    assert main(["frames", str(folder), "--out", str(tmp_path / "split"), "--cache-dir", "none", "--csv",
                 *common]) == 0
    assert main(["frames", str(folder), "--out", str(tmp_path / "cached"), "--cache-dir",
                 str(tmp_path / "cache"), "--jobs", "2", "--csv", *common]) == 0
    assert any((tmp_path / "cache").rglob("*.json"))  # the sentences came through the cache
    for name in ("sentence_frames.parquet", "sentence_frames.csv", "frame_shares.csv", "document_frames.csv",
                 "params.json"):
        assert (tmp_path / "split" / name).read_bytes() == (tmp_path / "cached" / name).read_bytes(), name


def test_frames_on_cached_tokens_are_stored_and_a_rerun_reuses_them(demo, tmp_path, monkeypatch):
    from analysis.framing import detect as detect_module
    from analysis.framing import load_lexicon

    small = demo.subset([i < 40 for i in range(len(demo))])
    tokens = preprocess(small, cache_dir=tmp_path, n_jobs=1)
    first = detect_frames(tokens, n_boot=20, seed=2)
    fresh = detect_frames(tokens, n_boot=20, seed=2, cache=False)
    pd.testing.assert_frame_equal(first.sentences, fresh.sentences)

    def redetect(*args, **kwargs):
        raise AssertionError("detected again")

    monkeypatch.setattr(detect_module, "_sentence_table", redetect)
    again = detect_frames(preprocess(small, cache_dir=tmp_path, n_jobs=1), n_boot=20, seed=3, period="decade")
    pd.testing.assert_frame_equal(again.sentences, first.sentences)  # aggregation is redone
    assert again.params["seed"] == 3
    lexicon = load_lexicon()
    lexicon.frames.pop(next(iter(lexicon.frames)))  # another lexicon is another detection
    with pytest.raises(AssertionError, match="detected again"):
        detect_frames(tokens, lexicon=lexicon, n_boot=20)


def test_stored_sentence_tables_follow_the_frame_order_and_skip_supervised_models(tiny_corpus, tmp_path):
    from analysis.framing.supervised import SupervisedFrames

    tokens = preprocess(tiny_corpus, cache_dir=tmp_path, n_jobs=1)
    energy = {"subframes": {"supply": {"en": ["pipeline"], "ru": ["трубопровод*"]}}}
    migration = {"subframes": {"flows": {"en": ["migrant*"], "ru": ["мигрант*"]}}}
    one = {"format": 1, "version": "a", "frames": {"energy": energy, "migration": migration}}
    two = {"format": 1, "version": "a", "frames": {"migration": migration, "energy": energy}}
    first = detect_frames(tokens, lexicon=one, n_boot=10)
    second = detect_frames(tokens, lexicon=two, n_boot=10)  # same content, other order: not the same table
    assert first.frames[-2:] == ["energy", "migration"] and second.frames[-2:] == ["migration", "energy"]
    assert list(second.sentences.columns) == list(detect_frames(tokens, lexicon=two, n_boot=10, cache=False)
                                                  .sentences.columns)
    stored = len(tokens.results.entries())
    texts = ["Terrorism threatens us.", "A multipolar world emerges.", "We cooperate with partners."] * 3
    gold = pd.DataFrame([{"id": f"g{i}", "text": t, "language": "en", "threat": int(i % 3 == 0),
                          "multipolarity": int(i % 3 == 1), "cooperation": int(i % 3 == 2), "partners": []}
                         for i, t in enumerate(texts)])
    detect_frames(tokens, detector="both", model=SupervisedFrames(seed=0).fit(gold), n_boot=10)
    assert len(tokens.results.entries()) == stored  # a supervised model's detection is never stored


def test_the_combined_glob_test_passes_a_word_exactly_when_some_glob_matches_it(det):
    from analysis.framing.elements import any_glob, glob_ok

    globs = [g for g, _ in det.compiled("en").index._by_glob] + ["*ism", "co?operat*", "[ab]c*"]
    combined = any_glob(globs)
    words = ["российско-китайский", "китайско-российского", "российский", "terrorism", "cooperation",
             "co-operation", "abc", "bc", "cc", "-", "", "узбекско-", "анти-российск"]
    for w in words:
        assert (combined.match(w) is not None) == any(glob_ok(g, w, w) for g in globs), w
    assert any_glob([]) is None



def test_the_glob_candidates_of_a_word_are_those_of_trying_every_glob_hyphenated_or_not(det):
    from analysis.framing.elements import glob_ok
    from analysis.framing.matcher import _needs_hyphen

    assert _needs_hyphen("российско-*") and _needs_hyphen("*-chinese") and not _needs_hyphen("[a-z]*")
    index = det.compiled("en").index
    assert any(_needs_hyphen(g) for g, _ in index._by_glob)
    for w in ["Russian-Chinese", "US-Taliban", "Sino-Soviet", "российско-китайский", "Russian", "co-operation",
              "terrorism", "well-known", "Anglo-Saxon", "x-"]:
        key, lower = index.lemmatizer[w]
        want = {id(e) for g, e in index._by_glob if glob_ok(g, key, lower)}
        plans = {id(p) for p in index._candidates_of(w)}
        got = {id(e) for _, e in index._by_glob if id(index._plans[id(e)]) in plans}
        assert got == want, w
    assert index._candidates_of("Russian-Chinese")  # the compound names two states


def test_a_hyphenated_state_name_is_one_partner_and_a_compound_names_both(det):
    def partners(s: str) -> tuple[str, ...]:
        r = det.detect(s, "en")
        return r.partners(True)

    assert partners("We value our cooperation with Guinea-Bissau.") == ("Guinea-Bissau",)
    assert set(partners("The leaders discussed Russian-Chinese cooperation.")) == {"Russia", "China"}
    assert set(partners("Russia-US talks resumed.")) == {"Russia", "United States"}
