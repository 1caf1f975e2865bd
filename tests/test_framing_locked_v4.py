"""The locked test set v4: drawn from documents no other gold used (UN speeches and en.kremlin.ru
pages), coded twice, adjudicated, translated; scored once with lexicon 4.0 (its record is read, not
rescored)."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from analysis.framing import coder_agreement, load_gold

GOLD = Path(__file__).resolve().parents[1] / "analysis" / "data" / "framing" / "gold"
V4 = GOLD / "locked-v4"
LABELS = ("threat", "multipolarity", "cooperation", "partners")
DOCUMENTED_ALPHA = {"threat": 0.967, "multipolarity": 0.965, "cooperation": 0.934}


def _rows(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


@pytest.fixture(scope="module")
def locked() -> dict[str, pd.DataFrame]:
    return {"en": load_gold(V4 / "locked-v4-en.jsonl"), "ru-translated": load_gold(V4 / "locked-v4-ru-translated.jsonl")}


def test_no_v4_document_is_in_another_shipped_gold_set(locked):
    other = set()
    for path in (GOLD / "gold-en.jsonl", GOLD / "gold-ru.jsonl", *sorted((GOLD / "locked-v3").glob("locked-v3-*.jsonl"))):
        if "double-coded" not in path.name and "adjudication" not in path.name:
            other |= set(load_gold(path)["doc"])
    for key, gold in locked.items():
        assert not set(gold["doc"]) & other, key
        assert set(gold["split"]) == {"test"}


def test_no_v4_document_is_in_the_development_gold(locked, shared_dir):
    dev = {json.loads(line)["doc"] for name in ("gold-dev.jsonl", "gold-dev-ru.jsonl")
           for line in (shared_dir / "framing" / name).read_text(encoding="utf-8").splitlines() if line.strip()}
    for key, gold in locked.items():
        assert not set(gold["doc"]) & dev, key


def test_every_disagreement_is_adjudicated_and_translations_carry_the_labels():
    en = {r["id"]: r for r in _rows(V4 / "locked-v4-en.jsonl")}
    double = _rows(V4 / "locked-v4-double-coded.jsonl")
    decided = {r["id"]: r for r in _rows(V4 / "locked-v4-adjudication.jsonl")}
    assert len(en) == len(double) == 350
    for r in double:
        a, b = r["coder_a"], r["coder_b"]
        same = all(a[k] == b[k] for k in LABELS[:3]) and sorted(a["partners"]) == sorted(b["partners"])
        final = {k: en[r["id"]][k] for k in LABELS}
        if same:
            assert final == {**{k: a[k] for k in LABELS[:3]}, "partners": sorted(a["partners"])}
        else:
            assert r["id"] in decided and decided[r["id"]]["rule"]
    translated = _rows(V4 / "locked-v4-ru-translated.jsonl")
    assert len(translated) == len(en)
    for t in translated:
        source = en[t["id"].replace("ru4", "en4")]
        assert t["source_text"] == source["text"]
        assert {k: t[k] for k in LABELS} == {k: source[k] for k in LABELS}


def test_agreement_on_v4_matches_its_documentation():
    # docs/gold/locked-v4/README.md: the two coders' alpha per frame on all 350 sentences
    double = _rows(V4 / "locked-v4-double-coded.jsonl")

    def coder(key: str) -> pd.DataFrame:
        return pd.DataFrame([{"id": r["id"], "text": "", **r[key]} for r in double])

    ag = coder_agreement(coder("coder_a"), coder("coder_b"))
    assert ag.params["n_common"] == 350
    for frame, alpha in DOCUMENTED_ALPHA.items():
        assert ag.table.loc[frame, "alpha"] == pytest.approx(alpha, abs=5e-4)


def test_the_locked_test_record_is_v4_scored_with_the_shipped_lexicon():
    from analysis.framing import load_gazetteer, load_lexicon, load_locked_test

    locked = load_locked_test()
    assert "locked test set v4" in locked.what
    assert locked.changed_since(load_lexicon(), load_gazetteer()) == []
    rows = locked.summary.set_index(["gold", "detector"])
    assert rows.at[("en", "lexicon"), "sentences"] == 350 and rows.at[("ru", "lexicon"), "sentences"] == 350
    assert rows.at[("en_un", "lexicon"), "sentences"] + rows.at[("en_kremlin", "lexicon"), "sentences"] == 350
