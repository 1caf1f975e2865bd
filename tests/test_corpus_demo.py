"""The synthetic demo corpus: reproducible byte for byte, loadable, and carrying its planted truth."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest
import yaml
from scipy.stats import spearmanr

from analysis.corpus import load_corpus
from analysis.demo import (
    TERM_DESIGN,
    TOPICS,
    make_demo_documents,
    topic_shares,
    write_demo,
)
from analysis.preprocess import PreprocessParams, process_sentence, split_sentences


def _files(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir()) if p.is_file()}


@pytest.fixture(scope="module")
def demo() -> tuple[list, dict]:
    return make_demo_documents()


@pytest.fixture(scope="module")
def truth(demo_dir: Path) -> dict:
    return json.loads((demo_dir / "truth.json").read_text(encoding="utf-8"))


def test_regenerating_reproduces_committed_folder_byte_for_byte(tmp_path: Path, demo_dir: Path) -> None:
    out = write_demo(tmp_path / "demo")
    committed, fresh = _files(demo_dir), _files(out)
    assert sorted(committed) == sorted(fresh)
    differing = [name for name in committed if committed[name] != fresh[name]]
    assert differing == [], f"regenerate with `python -m analysis.demo`: {differing[:5]}"


def test_same_seed_same_documents_other_seed_other_documents(demo) -> None:
    docs, truth = demo
    again, truth_again = make_demo_documents()
    assert [(d.id, d.text, d.meta) for d in docs] == [(d.id, d.text, d.meta) for d in again]
    assert truth == truth_again
    other, _ = make_demo_documents(seed=7)
    assert [d.text for d in other] != [d.text for d in docs]


def test_rewriting_over_an_old_run_leaves_no_stale_documents(tmp_path: Path) -> None:
    out = tmp_path / "demo"
    out.mkdir()
    (out / "doc1999_99.txt").write_text("---\nid: doc1999_99\n---\nOld text.\n", encoding="utf-8")
    write_demo(out)
    assert not (out / "doc1999_99.txt").exists()


def test_corpus_loads_with_expected_size_languages_and_dates(demo_dir: Path) -> None:
    corpus = load_corpus(demo_dir)
    assert corpus.skipped == []
    assert 300 <= len(corpus) <= 400
    meta = corpus.metadata
    assert set(meta["language"]) == {"en", "ru"}
    assert 0.7 <= (meta["language"] == "en").mean() <= 0.9
    assert int(meta["year"].min()) == 2000 and int(meta["year"].max()) == 2026
    assert meta.groupby("year").size().min() >= 10
    precision = Counter(meta["date_precision"])
    assert precision["day"] > precision["month"] > precision["year"] > 0
    for column in ("title", "organization", "country", "speaker", "genre"):
        assert meta[column].notna().all(), column
    assert set(meta["organization"]) == {"CSTO", "SCO", "CIS"}
    assert set(meta["genre"]) == {"statement", "speech", "interview", "communique"}


def test_corpus_says_it_is_synthetic_and_texts_do_not(demo_dir: Path) -> None:
    info = yaml.safe_load((demo_dir / "corpus.yml").read_text(encoding="utf-8"))
    assert info["synthetic"] is True and info["name"] == "demo"
    assert info["license"] and info["citation"] and info["description"]
    assert load_corpus(demo_dir).is_synthetic
    assert "synthetic" in (demo_dir / "README.md").read_text(encoding="utf-8").lower()
    docs, _ = make_demo_documents()
    assert not [d.id for d in docs if "synthetic" in d.text.lower()]


def test_truth_frame_sentences_match_split_sentences_of_their_documents(demo_dir: Path, truth) -> None:
    corpus = load_corpus(demo_dir)
    rows = truth["frames"]["sentences"]
    docs = {r["doc"] for r in rows}
    assert len(docs) >= 50
    assert {corpus.metadata.loc[d, "language"] for d in docs} == {"en", "ru"}
    by_doc: dict[str, list[dict]] = {}
    for r in rows:
        by_doc.setdefault(r["doc"], []).append(r)
    for doc_id, doc_rows in by_doc.items():
        sentences = split_sentences(corpus.text(doc_id))
        assert [r["sentence_index"] for r in doc_rows] == list(range(len(sentences))), doc_id
        assert [r["text"] for r in doc_rows] == sentences, doc_id


def test_truth_frame_labels_follow_the_codebook_conventions(truth) -> None:
    rows = truth["frames"]["sentences"]
    for r in rows:
        assert {r["threat"], r["multipolarity"], r["cooperation"]} <= {0, 1}
        if not r["cooperation"]:
            assert r["partners"] == [], r["text"]
    for frame in ("threat", "multipolarity", "cooperation"):
        positives = sum(r[frame] for r in rows)
        assert 0.05 * len(rows) < positives < 0.7 * len(rows), frame
    # states named only as a source of danger are never partners
    for r in rows:
        if "Afghanistan" in r["text"] and r["threat"] and not r["cooperation"]:
            assert "Afghanistan" not in r["partners"]


def _rates(docs, language: str, lemmas: list[str]) -> dict[str, dict[int, float]]:
    params = PreprocessParams()
    tokens: Counter = Counter()
    counts: dict[str, Counter] = {t: Counter() for t in lemmas}
    for d in docs:
        if d.language != language:
            continue
        year = int(d.date[:4])
        for sentence in split_sentences(d.text):
            toks = process_sentence(sentence, language, params)
            tokens[year] += len(toks)
            for t in lemmas:
                counts[t][year] += toks.count(t)
    return {t: {y: 1e4 * counts[t][y] / tokens[y] for y in sorted(tokens)} for t in lemmas}


def _mean(rates: dict[int, float], years: range) -> float:
    return sum(rates[y] for y in years) / len(years)


EARLY, LATE = range(2000, 2009), range(2018, 2027)


def test_planted_rising_and_falling_terms_move_in_the_generated_text(demo) -> None:
    docs, truth = demo
    rising, falling = truth["terms"]["rising"], truth["terms"]["falling"]
    assert len(rising) >= 4 and len(falling) >= 4 and len(truth["terms"]["flat"]) >= 4
    rates = _rates(docs, "en", rising + falling)
    years = list(range(2000, 2027))
    for t in rising:
        assert _mean(rates[t], LATE) > 3 * _mean(rates[t], EARLY) + 5, t
        assert spearmanr(years, [rates[t][y] for y in years]).statistic > 0.5, t
    for t in falling:
        assert _mean(rates[t], EARLY) > 2 * _mean(rates[t], LATE) + 5, t
        assert spearmanr(years, [rates[t][y] for y in years]).statistic < -0.5, t
    ru = _rates(docs, "ru", truth["terms"]["rising_ru"] + truth["terms"]["falling_ru"])
    for t in truth["terms"]["rising_ru"]:
        assert _mean(ru[t], LATE) > 2 * _mean(ru[t], EARLY), t
    for t in truth["terms"]["falling_ru"]:
        assert _mean(ru[t], EARLY) > 1.5 * _mean(ru[t], LATE), t


def test_flat_terms_have_the_same_planted_probability_every_year(demo) -> None:
    docs, truth = demo
    for t in truth["terms"]["flat"]:
        assert len(set(truth["terms"]["planted"][t]["doc_probability_by_year"].values())) == 1
    rates = _rates(docs, "en", truth["terms"]["flat"])
    for t in truth["terms"]["flat"]:
        early, late = _mean(rates[t], EARLY), _mean(rates[t], LATE)
        assert 0.5 < early / late < 2, (t, early, late)


def test_truth_terms_match_default_preprocessing_and_planted_design(truth) -> None:
    assert set(truth["terms"]["planted"]) == set(TERM_DESIGN)
    for t, spec in truth["terms"]["planted"].items():
        assert sum(spec["count_en_by_year"].values()) > 0, t
        assert sum(spec["count_ru_by_year"].values()) > 0, spec["lemma_ru"]


def test_topic_key_terms_survive_preprocessing_and_belong_to_their_topic(demo) -> None:
    docs, truth = demo
    params = PreprocessParams()
    by_topic = {lang: {t: Counter() for t in TOPICS} for lang in ("en", "ru")}
    templates_text = {d.id: d for d in docs}
    for doc_id, info in truth["documents"].items():
        d = templates_text[doc_id]
        lang = d.language
        for sentence in split_sentences(d.text):
            toks = process_sentence(sentence, lang, params)
            for t in info["topics"]:
                by_topic[lang][t].update(toks)
    for topic in TOPICS:
        spec = truth["topics"][topic]
        assert 12 <= len(spec["key_terms"]) <= 15
        for lang, key in (("en", "key_terms"), ("ru", "key_terms_ru")):
            missing = [w for w in spec[key] if by_topic[lang][topic][w] == 0]
            assert missing == [], (topic, lang, missing)


def test_topic_shares_drift_as_documented() -> None:
    for year in range(2000, 2027):
        assert sum(topic_shares(year).values()) == pytest.approx(1.0, abs=1e-3)
    assert topic_shares(2026)["information_security"] > 5 * topic_shares(2010)["information_security"]
    assert topic_shares(2005)["terrorism"] > 3 * topic_shares(2026)["terrorism"]
    assert topic_shares(2000)["military_exercises"] == topic_shares(2026)["military_exercises"]


def test_realized_topic_shares_follow_the_planted_drift(truth) -> None:
    info = truth["topics"]["information_security"]["realized_share_by_year"]
    terror = truth["topics"]["terrorism"]["realized_share_by_year"]
    early = [str(y) for y in EARLY]
    late = [str(y) for y in LATE]
    assert sum(info[y] for y in late) > 3 * sum(info[y] for y in early)
    assert sum(terror[y] for y in early) > 1.5 * sum(terror[y] for y in late)
