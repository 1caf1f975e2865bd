"""Validation against hand-coded gold sentences: precision, recall, F1 with bootstrap intervals.

Scores per frame with percentile bootstrap intervals over sentences (Efron and Tibshirani 1993),
macro-F1 over the three codebook frames, partner precision and recall micro-averaged over
(sentence, partner) pairs, and the error lists (false positives and negatives per frame).
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from analysis.errors import UserError, check_choice, check_int
from analysis.framing.detect import DETECTORS, FrameDetector
from analysis.framing.gazetteer import Gazetteer
from analysis.framing.lexicon import CORE_FRAMES, LANGUAGES, Lexicon

GOLD_FIELDS = ("text", *CORE_FRAMES)


def read_gold(path: str | Path) -> pd.DataFrame:
    """Gold sentences from a JSON Lines file in the codebook format.

    Columns: id, doc, language ('en' when absent), text, threat, multipolarity, cooperation (0/1),
    partners (list of canonical names).
    """
    p = Path(path)
    if not p.is_file():
        raise UserError(f"{p}: no such gold file.")
    rows = []
    with p.open(encoding="utf-8") as fh:
        for n, line in enumerate(fh, 1):
            if not line.strip():
                continue
            try:
                rec = json.loads(line)
            except json.JSONDecodeError as exc:
                raise UserError(f"{p}, line {n}: not valid JSON ({exc.msg}).") from None
            if not isinstance(rec, dict):
                raise UserError(f"{p}, line {n}: each line must be a JSON object.")
            missing = [f for f in GOLD_FIELDS if f not in rec]
            if missing:
                raise UserError(f"{p}, line {n}: missing field(s) {', '.join(missing)}.")
            labels = {}
            for f in CORE_FRAMES:
                if rec[f] not in (0, 1, True, False):
                    raise UserError(f"{p}, line {n}: `{f}` must be 0 or 1; got {rec[f]!r}.")
                labels[f] = int(rec[f])
            language = rec.get("language") or "en"
            if language not in LANGUAGES:
                raise UserError(f"{p}, line {n}: `language` must be one of {', '.join(LANGUAGES)}; "
                                f"got {language!r}.")
            partners = rec.get("partners") or []
            if not isinstance(partners, list) or not all(isinstance(x, str) for x in partners):
                raise UserError(f"{p}, line {n}: `partners` must be a list of names.")
            rows.append({"id": str(rec.get("id") or f"line{n}"), "doc": rec.get("doc"), "language": language,
                         "text": str(rec["text"]), **labels, "partners": list(partners)})
    if not rows:
        raise UserError(f"{p}: no gold sentences.")
    return pd.DataFrame(rows)


def prf(y_true: np.ndarray, y_pred: np.ndarray) -> dict[str, float]:
    """Precision, recall and F1 of binary labels (0 where a denominator is zero; NaN when there
    are neither gold nor predicted positives)."""
    t = np.asarray(y_true, dtype=bool)
    p = np.asarray(y_pred, dtype=bool)
    tp = int((t & p).sum())
    fp = int((~t & p).sum())
    fn = int((t & ~p).sum())
    return {"tp": tp, "fp": fp, "fn": fn, **_ratios(tp, fp, fn)}


def _ratios(tp: float, fp: float, fn: float) -> dict[str, float]:
    if tp + fp + fn == 0:
        return {"precision": math.nan, "recall": math.nan, "f1": math.nan}
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * tp / (2 * tp + fp + fn)
    return {"precision": precision, "recall": recall, "f1": f1}


def _boot_counts(t: np.ndarray, p: np.ndarray, idx: np.ndarray) -> tuple[np.ndarray, ...]:
    tp = (t & p).astype(float)[idx].sum(axis=1)
    fp = (~t & p).astype(float)[idx].sum(axis=1)
    fn = (t & ~p).astype(float)[idx].sum(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        precision = np.where(tp + fp > 0, tp / (tp + fp), 0.0)
        recall = np.where(tp + fn > 0, tp / (tp + fn), 0.0)
        f1 = np.where(2 * tp + fp + fn > 0, 2 * tp / (2 * tp + fp + fn), np.nan)
    none = (tp + fp + fn) == 0
    precision[none] = np.nan
    recall[none] = np.nan
    return precision, recall, f1


def partner_scores(gold: list[list[str]], predicted: list[list[str]]) -> dict[str, Any]:
    """Micro precision, recall and F1 over (sentence, partner) pairs."""
    tp = fp = fn = 0
    for g, p in zip(gold, predicted, strict=True):
        gs, ps = set(g), set(p)
        tp += len(gs & ps)
        fp += len(ps - gs)
        fn += len(gs - ps)
    return {"tp": tp, "fp": fp, "fn": fn, **_ratios(tp, fp, fn)}


@dataclass
class Evaluation:
    """Scores of a detector on gold sentences.

    scores : one row per frame: precision, recall, f1 and their `_low`/`_high` bootstrap bounds,
        tp, fp, fn, support (gold positives).
    macro_f1 : mean F1 over the codebook frames, with `macro_f1_ci` (low, high).
    partners : micro scores over (sentence, partner) pairs, with `errors` listing FP/FN pairs.
    errors : frame, error ("FP"/"FN"), id, language, text, matched_terms.
    predictions : the gold table with predicted columns `pred_<frame>`, `pred_partners`, matched_terms.
    """

    scores: pd.DataFrame
    macro_f1: float
    macro_f1_ci: tuple[float, float]
    partners: dict[str, Any]
    errors: pd.DataFrame
    predictions: pd.DataFrame
    params: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        """The `--json` shape: one mapping per frame, macro_f1, partners."""
        out: dict[str, Any] = {}
        for frame in self.scores.index:
            out[frame] = {k: _clean(self.scores.at[frame, k]) for k in self.scores.columns}
        out["macro_f1"] = _clean(self.macro_f1)
        out["macro_f1_low"], out["macro_f1_high"] = (_clean(x) for x in self.macro_f1_ci)
        out["partners"] = {k: _clean(v) for k, v in self.partners.items() if k != "errors"}
        out["n_sentences"] = len(self.predictions)
        out["detector"] = self.params.get("detector")
        return out

    def report(self, max_errors: int | None = None) -> str:
        """A plain-text report: the score table, partners, and the errors per frame."""
        lines = [f"Gold sentences: {len(self.predictions)}  detector: {self.params.get('detector')}"
                 f"  (bootstrap {self.params.get('n_boot')} resamples, seed {self.params.get('seed')})", ""]
        lines.append(f"{'frame':<15}{'precision':>22}{'recall':>22}{'F1':>22}{'support':>9}")
        for frame, r in self.scores.iterrows():
            cells = [f"{r[m]:.3f} [{r[m + '_low']:.3f}, {r[m + '_high']:.3f}]" for m in ("precision", "recall", "f1")]
            lines.append(f"{frame:<15}" + "".join(f"{c:>22}" for c in cells) + f"{int(r['support']):>9}")
        lines.append(f"{'macro-F1':<15}{'':>44}{self.macro_f1:>8.3f} [{self.macro_f1_ci[0]:.3f}, "
                     f"{self.macro_f1_ci[1]:.3f}]")
        pa = self.partners
        lines += ["", f"partners (micro over sentence-partner pairs): precision {pa['precision']:.3f}  "
                      f"recall {pa['recall']:.3f}  F1 {pa['f1']:.3f}  (tp {pa['tp']}, fp {pa['fp']}, fn {pa['fn']})"]
        for frame in self.scores.index:
            for kind in ("FP", "FN"):
                errs = self.errors[(self.errors["frame"] == frame) & (self.errors["error"] == kind)]
                if errs.empty:
                    continue
                lines += ["", f"{frame} {kind} ({len(errs)}):"]
                shown = errs if max_errors is None else errs.head(max_errors)
                for _, e in shown.iterrows():
                    terms = f"  [{e['matched_terms']}]" if e["matched_terms"] else ""
                    lines.append(f"  - {e['id']} ({e['language']}): {e['text']}{terms}")
                if max_errors is not None and len(errs) > max_errors:
                    lines.append(f"  ... {len(errs) - max_errors} more")
        if pa.get("errors"):
            lines += ["", "partner errors (id: FP / FN):"]
            for e in pa["errors"][: max_errors or None]:
                lines.append(f"  - {e['id']}: FP {e['fp']} / FN {e['fn']}")
        return "\n".join(lines)

    def write(self, out_dir: str | Path) -> list[Path]:
        """Write scores.json, errors.csv and predictions.csv."""
        out = Path(out_dir)
        out.mkdir(parents=True, exist_ok=True)
        paths = [out / "scores.json", out / "errors.csv", out / "predictions.csv"]
        paths[0].write_text(json.dumps(self.to_dict(), indent=2) + "\n", encoding="utf-8")
        self.errors.to_csv(paths[1], index=False)
        pred = self.predictions.copy()
        for col in ("partners", "pred_partners"):
            pred[col] = pred[col].map(";".join)
        pred.to_csv(paths[2], index=False)
        return paths


def _clean(v: Any) -> Any:
    if isinstance(v, np.integer | int) and not isinstance(v, bool):
        return int(v)
    if isinstance(v, np.floating | float):
        return None if math.isnan(v) else round(float(v), 4)
    return v


def predict_gold(gold: pd.DataFrame, detector: FrameDetector) -> pd.DataFrame:
    """The lexicon detector's labels, partners and matched terms for each gold sentence
    (each gold text is one unit, not split again)."""
    coop = detector.frames.index("cooperation")
    rows = []
    for text, lang in zip(gold["text"], gold["language"], strict=True):
        r = detector.detect(text, lang)
        rows.append({**{f"pred_{f}": int(r.flags[i]) for i, f in enumerate(detector.frames)},
                     "candidates": list(r.candidates), "pred_partners": list(r.partners(r.flags[coop])),
                     "matched_terms": ";".join(r.terms)})
    return pd.DataFrame(rows, index=gold.index)


def evaluate_frames(gold: pd.DataFrame | str | Path, *, detector: str = "lexicon",
                    lexicon: Lexicon | str | Path | None = None, gazetteer: Gazetteer | str | Path | None = None,
                    model: Any | None = None, n_folds: int = 5, n_boot: int = 1000, level: float = 0.95,
                    seed: int = 0) -> Evaluation:
    """Score a detector on gold sentences.

    Parameters
    ----------
    gold : a table from `read_gold` or the path of a gold JSONL file.
    detector : "lexicon", "supervised" or "both" (a frame marked by either). For "supervised" and
        "both" without a fitted `model`, the supervised labels are out-of-fold predictions of a
        stratified `n_folds`-fold cross-validation on the gold itself (never its own training data).
    n_boot, level, seed : percentile bootstrap over sentences for the intervals.
    """
    from analysis.framing.detect import FrameDetector
    from analysis.framing.gazetteer import load_gazetteer
    from analysis.framing.lexicon import load_lexicon

    check_choice("detector", detector, DETECTORS)
    n_boot = check_int("n_boot", n_boot, minimum=1)
    if not isinstance(gold, pd.DataFrame):
        gold = read_gold(gold)
    gold = gold.reset_index(drop=True)
    if not isinstance(lexicon, Lexicon):
        lexicon = load_lexicon(lexicon)
    if not isinstance(gazetteer, Gazetteer):
        gazetteer = load_gazetteer(gazetteer)
    det = FrameDetector(lexicon, gazetteer)
    pred = predict_gold(gold, det)
    if detector != "lexicon":
        from analysis.framing.supervised import SupervisedFrames, cross_val_labels

        if model is None:
            sup = cross_val_labels(gold, n_folds=n_folds, seed=seed, frames=CORE_FRAMES)
        elif isinstance(model, SupervisedFrames):
            sup = pd.DataFrame(index=gold.index)
            for lang, part in gold.groupby("language"):
                labels = model.predict(list(part["text"]), lang, frames=CORE_FRAMES)
                for j, f in enumerate(CORE_FRAMES):
                    sup.loc[part.index, f] = [row[j] for row in labels]
        else:
            raise UserError("`model` must be a fitted SupervisedFrames.")
        for f in CORE_FRAMES:
            lex = pred[f"pred_{f}"].astype(bool)
            s = sup[f].astype(bool)
            pred[f"pred_{f}"] = (s if detector == "supervised" else (lex | s)).astype(int)
        coop = pred["pred_cooperation"].astype(bool)
        pred["pred_partners"] = [c if k else [] for c, k in zip(pred["candidates"], coop, strict=True)]
    table = pd.concat([gold, pred], axis=1)

    rng = np.random.default_rng(seed)
    n = len(gold)
    idx = rng.integers(0, n, size=(n_boot, n))
    alpha = (1 - level) / 2
    rows, boot_f1 = {}, []
    for f in CORE_FRAMES:
        t = gold[f].to_numpy(bool)
        p = table[f"pred_{f}"].to_numpy(bool)
        point = prf(t, p)
        bp, br, bf = _boot_counts(t, p, idx)
        boot_f1.append(bf)
        row = {"precision": point["precision"], "recall": point["recall"], "f1": point["f1"]}
        for name, b in (("precision", bp), ("recall", br), ("f1", bf)):
            lo, hi = (np.nanquantile(b, [alpha, 1 - alpha]) if np.isfinite(b).any() else (np.nan, np.nan))
            row[f"{name}_low"], row[f"{name}_high"] = float(lo), float(hi)
        row.update(tp=point["tp"], fp=point["fp"], fn=point["fn"], support=int(t.sum()))
        rows[f] = row
    scores = pd.DataFrame.from_dict(rows, orient="index")
    scores = scores[["precision", "precision_low", "precision_high", "recall", "recall_low", "recall_high",
                     "f1", "f1_low", "f1_high", "tp", "fp", "fn", "support"]]
    macro = float(np.mean([rows[f]["f1"] for f in CORE_FRAMES]))
    macro_boot = np.nanmean(np.vstack(boot_f1), axis=0)
    macro_ci = tuple(float(x) for x in np.nanquantile(macro_boot, [alpha, 1 - alpha]))

    partners = partner_scores(list(gold["partners"]), list(table["pred_partners"]))
    partners["errors"] = [
        {"id": i, "fp": sorted(set(p) - set(g)), "fn": sorted(set(g) - set(p))}
        for i, g, p in zip(gold["id"], gold["partners"], table["pred_partners"], strict=True)
        if set(g) != set(p)]

    errors = []
    for f in CORE_FRAMES:
        t = gold[f].astype(bool)
        p = table[f"pred_{f}"].astype(bool)
        for kind, mask in (("FP", ~t & p), ("FN", t & ~p)):
            for _, r in table[mask].iterrows():
                errors.append({"frame": f, "error": kind, "id": r["id"], "language": r["language"],
                               "text": r["text"], "matched_terms": r["matched_terms"]})
    errors_df = pd.DataFrame(errors, columns=["frame", "error", "id", "language", "text", "matched_terms"])
    params = {"detector": detector, "n_boot": n_boot, "level": level, "seed": seed, "n_folds": n_folds,
              "lexicon": {"version": lexicon.version, "hash": lexicon.hash, "sources": lexicon.sources},
              "gazetteer": {"version": gazetteer.version, "sources": gazetteer.sources}}
    return Evaluation(scores, macro, macro_ci, partners, errors_df, table, params)
