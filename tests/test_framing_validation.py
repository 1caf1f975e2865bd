"""The shipped gold and model: splits by document, train/validation scores (never the test split),
grouped folds, the rule audit, word-form prefixes, and suggestions with reference vectors."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from analysis.corpus import Corpus, Document
from analysis.errors import ParameterError, UserError
from analysis.framing import (
    FrameDetector,
    SupervisedFrames,
    audit_rules,
    build_reference_vectors,
    check_splits,
    evaluate_frames,
    load_gold,
    load_lexicon,
    partner_scores,
    reference_vectors_info,
    suggest_terms,
)
from analysis.framing.supervised import SHIPPED_MODEL, folds
from analysis.preprocess import preprocess

ROOT = Path(__file__).resolve().parents[1]
GOLD = ROOT / "analysis" / "data" / "framing" / "gold"


@pytest.fixture(scope="module")
def shipped_gold() -> dict[str, pd.DataFrame]:
    return {lang: load_gold(GOLD / f"gold-{lang}.jsonl") for lang in ("en", "ru")}


def test_the_shipped_gold_is_split_by_document(shipped_gold):
    for lang, gold in shipped_gold.items():
        counts = check_splits(gold, lang)  # raises when a document is in two splits
        assert all(counts[s] > 0 for s in ("train", "validation", "test")), counts
        assert gold.groupby("doc")["split"].nunique().max() == 1
        assert set(gold["language"]) == {lang}
    assert len(shipped_gold["en"]) >= 600 and len(shipped_gold["ru"]) >= 250


# floors just under the scores measured with lexicon 4.0 (macro-F1 EN train 0.822, EN validation 0.789,
# RU train 0.779; 3.0 had 0.825 / 0.794 / 0.781; the Russian validation split, 9/3/6 positives, is too
# small to pin)
@pytest.mark.parametrize(("lang", "split", "floor"), [("en", "train", 0.81), ("en", "validation", 0.78),
                                                       ("ru", "train", 0.76)])
def test_lexicon_scores_on_train_and_validation(shipped_gold, lang, split, floor):
    # in-sample numbers (the lexicon was tuned on train); the locked test split is not scored here
    ev = evaluate_frames(shipped_gold[lang], split=split, n_boot=20)
    assert ev.params["split"] == split and ev.params["bootstrap"] == "documents"
    assert ev.macro_f1 >= floor, ev.scores


@pytest.mark.parametrize(("lang", "split", "overall", "given_cooperation"), [
    # measured with gazetteer 2.2 (issue #15): overall 0.574 / 0.612 / 0.704, given cooperation
    # 0.770 / 0.800 / 0.793; the floors sit a little below, since the lexicon's frames move the overall
    ("en", "train", 0.55, 0.75), ("en", "validation", 0.58, 0.77), ("ru", "train", 0.68, 0.77)])
def test_partner_scores_on_train_and_validation(shipped_gold, lang, split, overall, given_cooperation):
    ev = evaluate_frames(shipped_gold[lang], split=split, n_boot=20)
    assert ev.partners["f1"] >= overall, ev.partners
    # partner extraction alone: sentences that the gold and the detector both code COOPERATION
    both = ev.predictions[(ev.predictions["cooperation"] == 1) & (ev.predictions["pred_cooperation"] == 1)]
    scores = partner_scores(list(both["partners"]), list(both["pred_partners"]))
    assert scores["f1"] >= given_cooperation, scores


def test_the_shipped_model_loads_never_saw_the_test_split_and_holds_on_validation(shipped_gold):
    model = SupervisedFrames.load(SHIPPED_MODEL)
    n_test = sum(int((g["split"] == "test").sum()) for g in shipped_gold.values())
    assert model.info_["n_test_unused"] == n_test and model.info_["rules_chosen_on"] == "validation"
    assert set(model.rules_) == {"threat", "multipolarity", "cooperation"}
    gold = pd.concat(shipped_gold.values(), ignore_index=True)
    lex = evaluate_frames(gold, split="validation", n_boot=20)
    sup = evaluate_frames(gold, split="validation", detector="supervised", model=SHIPPED_MODEL, n_boot=20)
    assert sup.macro_f1 >= lex.macro_f1 - 0.01, (sup.scores, lex.scores)


def test_evaluate_split_needs_a_split_field(tmp_path):
    p = tmp_path / "g.jsonl"
    p.write_text('{"text": "Terrorism is a threat.", "threat": 1, "multipolarity": 0, "cooperation": 0}\n',
                 encoding="utf-8")
    with pytest.raises(UserError, match="no `split` field"):
        evaluate_frames(p, split="test")


def test_document_bootstrap_resamples_documents_not_sentences():
    # 4 documents of 5 identical sentences each: a sentence bootstrap would see 20 units
    rows = [{"id": f"{d}{i}", "doc": d, "language": "en", "text": t, "threat": y, "multipolarity": 0,
             "cooperation": 0, "partners": []}
            for d, t, y in (("a", "Terrorism is a threat.", 1), ("b", "Terrorism is a threat.", 0),
                            ("c", "The weather is fine.", 0), ("d", "The weather is fine.", 1))
            for i in range(5)]
    gold = pd.DataFrame(rows)
    by_doc = evaluate_frames(gold, n_boot=400, seed=0)
    by_sentence = evaluate_frames(gold.assign(doc=None), n_boot=400, seed=0)
    assert by_doc.params["n_documents"] == 4 and by_sentence.params["n_documents"] == 20
    width = lambda ev: ev.scores.at["threat", "f1_high"] - ev.scores.at["threat", "f1_low"]  # noqa: E731
    assert width(by_doc) > width(by_sentence)


def test_grouped_folds_keep_each_document_on_one_side():
    y = np.array([1, 0] * 20)
    groups = np.array([f"d{i // 4}" for i in range(40)])
    for train, test in folds(y, groups, 5, seed=0):
        assert not set(groups[train]) & set(groups[test])


def test_prefixes_match_the_word_form_when_the_lemmatizer_misses():
    det = FrameDetector()
    r = det.detect("Мы поддерживаем центральную роль Организации Объединенных Наций.", "ru")
    assert "cooperation.un_support:Организаци* Объединенн* Наци*" in r.terms and "UN" in r.candidates
    r = det.detect("Соединенных Штатов гегемония и односторонние санкции.", "ru")
    assert any(t.startswith("multipolarity.hegemony_west:Соединенн* Штат*") for t in r.terms)


def test_rules_fitted_to_single_sentences_are_gone():
    lex = load_lexicon()
    bare = {s["term"] for f in lex.frame_names for lang in ("en", "ru") for _, s in lex.frames[f].terms(lang)
            if not set(s) - {"term"}}  # terms without context rules
    every = {s["term"] for f in lex.frame_names for lang in ("en", "ru") for _, s in lex.frames[f].terms(lang)}
    for gone in ("world have change", "мир измени*", "ammunition", "=bandits", "Semipalatinsk", "chair"):
        assert gone not in every, gone
    assert "tectonic" not in bare and "тектоническ*" not in bare
    det = FrameDetector()
    assert not det.detect("The ammunition depot was closed for the holidays.").flags[0]
    assert det.detect("Bandit groups attacked the villages.").flags[0]


def test_the_audit_counts_firing_and_gold_precision():
    corpus = Corpus.from_documents([
        Document("a", "Terrorism is a threat. Terrorism grows. The weather is fine.", "en", "2020"),
        Document("b", "A multipolar world is emerging.", "en", "2021")])
    gold = pd.DataFrame([{"text": "Terrorism is a threat.", "language": "en", "threat": 1, "multipolarity": 0,
                          "cooperation": 0},
                         {"text": "Terrorism studies are a field.", "language": "en", "threat": 0,
                          "multipolarity": 0, "cooperation": 0}])
    t = audit_rules(preprocess(corpus, cache_dir=None, n_jobs=1), gold).table
    row = t[(t["rule"] == "threat.terrorism_extremism:terror*") & (t["language"] == "en")].iloc[0]
    assert (row["corpus_sentences"], row["corpus_documents"]) == (2, 1)
    assert (row["gold_sentences"], row["gold_correct"], row["gold_precision"]) == (2, 1, 0.5)
    multi = t[(t["rule"] == "multipolarity.multipolar_order:multipolar*") & (t["language"] == "en")].iloc[0]
    assert multi["corpus_sentences"] == 1 and multi["verdict"] == "rare"
    assert (t.loc[t["language"] == "ru", "verdict"] == "").all()  # no Russian text: no verdict on Russian rules


def test_suggestions_use_reference_vectors_on_a_small_corpus_and_say_so(demo_dir, tmp_path):
    from analysis.corpus import load_corpus

    demo = preprocess(load_corpus(demo_dir), cache_dir=None)
    with pytest.raises(ParameterError, match="no reference vectors"):
        suggest_terms(demo, "threat", vectors="reference", cache_dir=tmp_path / "empty", min_count=2)
    info = build_reference_vectors([demo], cache_dir=tmp_path, min_count=2, epochs=2, max_documents=None)
    assert set(info["languages"]) == {"en", "ru"}
    assert reference_vectors_info(tmp_path)["built"]
    auto = suggest_terms(demo, "threat", cache_dir=tmp_path, min_count=2)  # small: the reference is used
    assert auto.params["vectors"].startswith("reference")
    own = suggest_terms(demo, "threat", vectors="corpus", cache_dir=tmp_path, min_count=2)
    assert own.params["vectors"] == "corpus" and 0 <= own.params["collapse"] <= 1
    assert (auto.table["n_frame"] >= 2).all()


def test_agreement_on_the_double_coded_gold_matches_its_documentation():
    # docs/gold.md: alpha threat 0.889, multipolarity 0.943, cooperation 0.903; partner Jaccard 0.818
    import json

    rows = [json.loads(line) for line in (GOLD / "double-coded.jsonl").read_text(encoding="utf-8").splitlines()]

    def coder(key: str) -> pd.DataFrame:
        return pd.DataFrame([{"id": r["id"], "text": "", **r[key]} for r in rows])

    from analysis.framing import coder_agreement

    ag = coder_agreement(coder("coder1"), coder("coder2"))
    assert ag.params["n_common"] == 250
    for frame, alpha in (("threat", 0.889), ("multipolarity", 0.943), ("cooperation", 0.903)):
        assert ag.table.loc[frame, "alpha"] == pytest.approx(alpha, abs=5e-4)
    assert ag.table.loc["partners", "jaccard"] == pytest.approx(0.818, abs=5e-4)
