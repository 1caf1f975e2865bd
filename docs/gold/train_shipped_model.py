"""Train the shipped supervised frame model (analysis/data/framing/model/) for lexicon 4.0.

Training sentences: the shipped gold's train split (English and Russian), the locked test set v3
(scored once with lexicon 3.0 and development data since: its English sentences, their Russian
translations and the native kremlin.ru sentences) and, where present, the development gold of
../shared/framing (gold-dev.jsonl, gold-dev-ru.jsonl). Candidates (lexicon hits as features or
not, C = 1 or 4) are fitted on them; each frame's rule (model / lexicon / or / and and a threshold)
is chosen on the shipped gold's validation split, and the candidate with the best validation
macro-F1 is saved. The shipped gold's test split and the locked test set v4 are never read.

    python docs/gold/train_shipped_model.py [--shared ../shared] [--out analysis/data/framing/model]
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from analysis.framing import evaluate_frames, load_gold, train_frames  # noqa: E402

GOLD = ROOT / "analysis" / "data" / "framing" / "gold"
CANDIDATES = [{"lexicon_features": lf, "C": c} for lf in (False, True) for c in (1.0, 4.0)]


def training_tables(shared: Path) -> tuple[pd.DataFrame, list[pd.DataFrame], list[str]]:
    gold = pd.concat([load_gold(GOLD / f"gold-{lang}.jsonl") for lang in ("en", "ru")], ignore_index=True)
    extra, names = [], []
    for name in ("locked-v3-en.jsonl", "locked-v3-ru-translated.jsonl", "locked-v3-ru.jsonl"):
        t = load_gold(GOLD / "locked-v3" / name)
        extra.append(t.assign(split="train"))
        names.append(f"locked-v3/{name}")
    for name in ("gold-dev.jsonl", "gold-dev-ru.jsonl"):
        path = shared / "framing" / name
        if path.exists():
            t = load_gold(path)
            extra.append(t.assign(split="train", doc=t["doc"].astype(str) if "doc" in t else t["id"]))
            names.append(f"../shared/framing/{name}")
    return gold, extra, names


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--shared", default=str(ROOT.parent / "shared"))
    ap.add_argument("--out", default=str(ROOT / "analysis" / "data" / "framing" / "model"))
    a = ap.parse_args()
    gold, extra, names = training_tables(Path(a.shared))
    validation = gold[gold["split"] == "validation"]
    best = None
    for params in CANDIDATES:
        model, _ = train_frames(gold, extra=extra, **params)
        ev = evaluate_frames(validation, detector="supervised", model=model, n_boot=1)
        print(f"{params}: validation macro-F1 {ev.macro_f1:.4f}  rules "
              + ", ".join(f"{f} {r['rule']}@{r['threshold']:.2f}" for f, r in model.rules_.items()))
        if best is None or ev.macro_f1 > best[0] + 1e-9:
            best = (ev.macro_f1, params, model)
    f1, params, model = best
    model.info_.update(trained_on=names + ["gold-en.jsonl, gold-ru.jsonl: train split"],
                       candidates=[str(c) for c in CANDIDATES], chosen=str(params),
                       validation_macro_f1=round(f1, 4))
    for p in model.save(a.out):
        print("wrote", p)
    print(f"chosen {params}: validation macro-F1 {f1:.4f} (in-sample for the choice)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
