"""Evaluation against gold: metrics on a hand-computed example, the gold reader, bootstrap
intervals, error lists, and the thresholds on the shared gold sets."""

from __future__ import annotations

import json

import numpy as np
import pytest

from analysis.errors import UserError
from analysis.framing import evaluate_frames, load_gold, partner_scores


def test_partner_scores_are_micro_over_sentence_partner_pairs():
    gold = [["UN", "CSTO"], ["SCO"], []]
    pred = [["UN"], ["SCO", "CIS"], ["EU"]]
    s = partner_scores(gold, pred)
    # tp: UN, SCO = 2; fp: CIS, EU = 2; fn: CSTO = 1
    assert (s["tp"], s["fp"], s["fn"]) == (2, 2, 1)
    assert s["precision"] == 0.5 and s["recall"] == pytest.approx(2 / 3)


def write_gold(path, rows):
    path.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows) + "\n", encoding="utf-8")
    return path


TINY = [
    {"id": "a", "text": "The threat of terrorism persists.", "threat": 1, "multipolarity": 0, "cooperation": 0,
     "partners": []},
    {"id": "b", "text": "We signed an agreement with the SCO.", "threat": 0, "multipolarity": 0,
     "cooperation": 1, "partners": ["SCO"]},
    {"id": "c", "text": "A multipolar world is emerging.", "threat": 0, "multipolarity": 1, "cooperation": 0,
     "partners": []},
    {"id": "d", "text": "The weather was fine.", "threat": 1, "multipolarity": 0, "cooperation": 0,
     "partners": []},  # labelled threat on purpose: a false negative
    {"id": "e", "language": "ru", "text": "Сотрудничество с ОДКБ растёт.", "threat": 0, "multipolarity": 0,
     "cooperation": 1, "partners": ["CSTO", "Russia"]},
]


def test_evaluate_frames_scores_errors_and_json_shape(tmp_path):
    ev = evaluate_frames(write_gold(tmp_path / "g.jsonl", TINY), n_boot=200, seed=0)
    assert ev.scores.loc["threat", "tp"] == 1 and ev.scores.loc["threat", "fn"] == 1
    assert ev.scores.loc["threat", "recall"] == 0.5 and ev.scores.loc["threat", "precision"] == 1.0
    assert ev.scores.loc["cooperation", "f1"] == 1.0
    assert ev.macro_f1 == pytest.approx(np.mean([2 / 3, 1.0, 1.0]))
    errs = ev.errors
    assert errs[["frame", "error", "id"]].values.tolist() == [["threat", "FN", "d"]]
    assert (ev.partners["tp"], ev.partners["fp"], ev.partners["fn"]) == (2, 0, 1)
    d = ev.to_dict()
    assert set(d) >= {"threat", "multipolarity", "cooperation", "macro_f1", "partners"}
    assert set(d["threat"]) >= {"precision", "recall", "f1", "f1_low", "f1_high"}
    assert d["threat"]["f1_low"] <= d["threat"]["f1"] <= d["threat"]["f1_high"]
    text = ev.report()
    assert "threat FN (1)" in text and "The weather was fine." in text
    ev.write(tmp_path / "out")
    assert json.loads((tmp_path / "out" / "scores.json").read_text())["macro_f1"] == d["macro_f1"]


def test_bootstrap_intervals_repeat_with_the_seed(tmp_path):
    path = write_gold(tmp_path / "g.jsonl", TINY)
    a = evaluate_frames(path, n_boot=100, seed=5).scores
    b = evaluate_frames(path, n_boot=100, seed=5).scores
    assert a.equals(b)


@pytest.mark.parametrize(("line", "message"), [
    ('{"text": "x", "threat": 1, "multipolarity": 0}', "missing field"),
    ('{"text": "x", "threat": 2, "multipolarity": 0, "cooperation": 0}', "must be 0 or 1"),
    ('{"text": "x", "threat": 1, "multipolarity": 0, "cooperation": 0, "language": "de"}', "language"),
    ("not json", "not valid JSON"),
])
def test_read_gold_names_the_line_and_problem(tmp_path, line, message):
    path = tmp_path / "bad.jsonl"
    path.write_text(line + "\n", encoding="utf-8")
    with pytest.raises(UserError, match=message) as err:
        load_gold(path)
    assert "line 1" in str(err.value)


@pytest.mark.shared
@pytest.mark.parametrize("name", ["gold-dev.jsonl", "gold-dev-ru.jsonl"])
def test_lexicon_detector_meets_the_thresholds_on_the_shared_gold(shared_dir, name):
    ev = evaluate_frames(shared_dir / "framing" / name, n_boot=50)
    assert ev.macro_f1 >= 0.80, ev.scores
    for frame in ("threat", "multipolarity", "cooperation"):
        assert ev.scores.loc[frame, "f1"] >= 0.75, (frame, ev.scores)


def test_the_locked_test_is_read_from_its_record_not_rescored(tmp_path):
    import json

    from analysis.framing import load_gazetteer, load_lexicon, load_locked_test
    from analysis.framing.evaluate import LOCKED_TEST

    locked = load_locked_test()
    record = json.loads(LOCKED_TEST.read_text(encoding="utf-8"))
    row = locked.summary.set_index(["gold", "detector"]).loc[("en", "lexicon")]
    assert row["macro_f1"] == record["scores"]["en-lexicon"]["macro_f1"]
    assert row["partners_f1"] == record["scores"]["en-lexicon"]["partners"]["f1"]
    assert locked.scores["ru-lexicon"].at["threat", "f1"] == record["scores"]["ru-lexicon"]["threat"]["f1"]
    assert set(locked.summary["split"]) == {"test"}
    lexicon, gazetteer = load_lexicon(), load_gazetteer()
    changed = locked.changed_since(lexicon, gazetteer)
    assert (str(gazetteer.version) != locked.gazetteer_version) == any(c.startswith("gazetteer") for c in changed)
    broken = tmp_path / "locked.json"
    broken.write_text("{", encoding="utf-8")
    with pytest.raises(UserError, match="locked-test record"):
        load_locked_test(broken)
