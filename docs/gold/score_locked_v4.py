"""Score the locked test set v4 once, with the frozen lexicon, gazetteer and shipped model, and write
the record the README and notebook 04 report (analysis/data/framing/model/locked-test.json).

Scored: the 350 English sentences (UN speeches and en.kremlin.ru pages together, and each part
alone) and their 350 Russian translations, by the lexicon and by the shipped model; 95% percentile
intervals from 2,000 bootstrap resamples of whole documents, seed 0. The record of the earlier
locked test (v3) is kept beside it as locked-test-v3.json.

    python docs/gold/score_locked_v4.py [--commit SHORT_SHA]

Run it once: a second scoring after a change to the lexicon would be a second look at the test.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from analysis.framing import evaluate_frames, load_gazetteer, load_gold, load_lexicon  # noqa: E402
from analysis.framing.evaluate import LOCKED_TEST  # noqa: E402
from analysis.framing.supervised import SHIPPED_MODEL  # noqa: E402

V4 = ROOT / "analysis" / "data" / "framing" / "gold" / "locked-v4"
N_BOOT = 2000


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--commit", default="", help="the commit of the frozen lexicon (for the record)")
    a = ap.parse_args()
    lexicon, gazetteer = load_lexicon(), load_gazetteer()
    en = load_gold(V4 / "locked-v4-en.jsonl")
    ru = load_gold(V4 / "locked-v4-ru-translated.jsonl")
    parts = {r["id"]: r["part"] for r in map(json.loads, (V4 / "locked-v4-en.jsonl").read_text(encoding="utf-8").splitlines())}
    sets = {"en": en, "ru": ru,
            "en_un": en[en["id"].map(parts) == "un"], "en_kremlin": en[en["id"].map(parts) == "kremlin-en"],
            "ru_un": ru[ru["id"].str.replace("ru4", "en4").map(parts) == "un"],
            "ru_kremlin": ru[ru["id"].str.replace("ru4", "en4").map(parts) == "kremlin-en"]}
    scores = {}
    for key, gold in sets.items():
        for detector, kw in (("lexicon", {}), ("supervised", {"model": SHIPPED_MODEL})):
            ev = evaluate_frames(gold.reset_index(drop=True), detector=detector, lexicon=lexicon, gazetteer=gazetteer,
                                 n_boot=N_BOOT, seed=0, **kw)
            d = ev.to_dict()
            d["split"] = "test"
            scores[f"{key}-{detector}"] = d
            print(f"{key:11s} {detector:10s} macro-F1 {d['macro_f1']:.3f} [{d['macro_f1_low']:.3f}, {d['macro_f1_high']:.3f}]  "
                  + "  ".join(f"{f} {d[f]['f1']:.3f}" for f in ("threat", "multipolarity", "cooperation"))
                  + f"  partners {d['partners']['f1']:.3f}")
    record = {
        "what": ("the locked test set v4 (analysis/data/framing/gold/locked-v4/: 350 English sentences, 230 from 154 UN "
                 "speeches and 120 from 111 en.kremlin.ru pages that no gold had used, and their 350 official-register "
                 "Russian translations; two independent coders, adjudicated), scored once (3 December 2026) with lexicon "
                 f"{lexicon.version}, gazetteer {gazetteer.version} and the shipped model; bootstrap over documents, "
                 f"{N_BOOT} resamples, seed 0. 'en'/'ru' are all 350 sentences, 'en_un'/'ru_un' the UN part, "
                 "'en_kremlin'/'ru_kremlin' the kremlin.ru part"),
        "lexicon_commit": a.commit,
        "lexicon_version": str(lexicon.version),
        "gazetteer_version": str(gazetteer.version),
        "scores": scores,
    }
    old = LOCKED_TEST.with_name("locked-test-v3.json")
    if not old.exists() and LOCKED_TEST.exists():
        LOCKED_TEST.rename(old)
    LOCKED_TEST.write_text(json.dumps(record, indent=1) + "\n", encoding="utf-8")
    print("wrote", LOCKED_TEST, "(the v3 record:", old.name + ")")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
