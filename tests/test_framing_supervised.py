"""The supervised option: TF-IDF + logistic regression per frame, cross-validated with a seed."""

from __future__ import annotations

import pandas as pd
import pytest

from analysis.corpus import Corpus, Document
from analysis.errors import UserError
from analysis.framing import (
    SupervisedFrames,
    cross_val_labels,
    cross_validate_frames,
    detect_frames,
    evaluate_frames,
)
from analysis.preprocess import preprocess

THREAT = ["Terrorism threatens the region.", "Drug trafficking is a danger.", "Extremists attacked the border.",
          "The threat of war grows.", "Militants crossed the frontier.", "Nuclear weapons endanger everyone.",
          "Угроза терроризма растёт.", "Наркотрафик опасен."]
MULTI = ["A multipolar world is emerging.", "Hegemony of one power is over.", "The unipolar order collapsed.",
         "New centres of power appear.", "Многополярный мир формируется.", "Гегемония Запада закончилась."]
COOP = ["We signed an agreement with partners.", "Joint exercises were held.", "Cooperation with the SCO grows.",
        "Partnership with China deepens.", "Сотрудничество с ОДКБ растёт.", "Подписано соглашение о партнёрстве.",
        "Consultations with Kazakhstan took place.", "Dialogue with neighbours continues."]
NONE = ["The weather was fine.", "Our museum opened a new hall.", "Students passed their exams.",
        "The river is long.", "Погода была хорошей.", "Студенты сдали экзамены.", "Bread prices rose.",
        "The concert was beautiful."]


def gold_table() -> pd.DataFrame:
    rows = []
    for texts, frame in ((THREAT, "threat"), (MULTI, "multipolarity"), (COOP, "cooperation"), (NONE, None)):
        for t in texts:
            lang = "ru" if any("а" <= c <= "я" for c in t.lower()) else "en"
            rows.append({"id": f"s{len(rows)}", "text": t, "language": lang,
                         "threat": int(frame == "threat"), "multipolarity": int(frame == "multipolarity"),
                         "cooperation": int(frame == "cooperation"), "partners": []})
    return pd.DataFrame(rows)


def test_fit_and_predict_recovers_training_sentences_in_both_languages():
    gold = gold_table()
    model = SupervisedFrames(seed=0).fit(gold)
    pred = model.predict(["The threat of terrorism grows.", "Сотрудничество с партнёрами растёт."], ["en", "ru"])
    assert pred[0][0] == 1 and pred[1][2] == 1
    proba = model.predict_proba(list(gold["text"]), list(gold["language"]))
    assert list(proba.columns) == ["threat", "multipolarity", "cooperation"]
    assert ((proba.to_numpy() >= 0) & (proba.to_numpy() <= 1)).all()
    assert model.predict(["x"], "en", frames=["threat", "energy"])[0][1] == 0  # unknown frame -> 0


def test_cross_validation_is_out_of_fold_and_repeats_with_the_seed():
    gold = gold_table()
    a = cross_validate_frames(gold, n_folds=3, seed=1)
    b = cross_validate_frames(gold, n_folds=3, seed=1)
    pd.testing.assert_frame_equal(a, b)
    assert set(a.columns) >= {"precision", "recall", "f1", "f1_fold_mean", "f1_fold_sd", "n_folds"}
    assert (a["n_folds"] == 3).all()
    labels = cross_val_labels(gold, n_folds=3, seed=1)
    assert labels.shape == (len(gold), 3) and set(labels.to_numpy().ravel()) <= {0, 1}


def test_a_frame_without_positive_gold_cannot_be_trained():
    gold = gold_table().assign(multipolarity=0)
    with pytest.raises(UserError, match="all negative"):
        SupervisedFrames().fit(gold)


def test_supervised_and_both_detectors_on_a_corpus_and_on_gold():
    gold = gold_table()
    model = SupervisedFrames().fit(gold)
    corpus = Corpus.from_documents([Document("d1", "Terrorism threatens the region. The river is long.", "en", "2020")])
    tokens = preprocess(corpus, cache_dir=None, n_jobs=1)
    sup = detect_frames(tokens, detector="supervised", model=model, n_boot=10)
    both = detect_frames(tokens, detector="both", model=model, n_boot=10)
    assert sup.sentences["threat"].tolist() == [1, 0]
    assert (both.sentences["threat"] >= sup.sentences["threat"]).all()
    ev = evaluate_frames(gold, detector="supervised", n_folds=3, n_boot=20)
    assert ev.params["detector"] == "supervised" and 0 <= ev.macro_f1 <= 1
