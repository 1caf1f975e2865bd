"""Validation against hand-coded gold sentences: precision, recall, F1 with bootstrap intervals.

Scores per frame with percentile bootstrap intervals over documents (Efron and Tibshirani 1993;
whole documents are resampled, since sentences of one speech are not independent; Field and
Welsh 2007 on the cluster bootstrap),
macro-F1 over the three codebook frames, partner precision and recall micro-averaged over
(sentence, partner) pairs, and the error lists (false positives and negatives per frame).
"""

from __future__ import annotations

import json
import math
import warnings
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from analysis.errors import UserError, check_choice, check_int
from analysis.framing.detect import DETECTORS, FrameDetector
from analysis.framing.gazetteer import Gazetteer
from analysis.framing.lexicon import CORE_FRAMES, Lexicon
from analysis.provenance import versions
from analysis.results import Result
from analysis.stats import CI_LEVEL, N_BOOT, prf, prf_counts


def load_gold(path: str | Path, *, skip_uncoded: bool = False) -> pd.DataFrame:
    """Gold sentences from a coded file, JSON Lines or CSV (`analysis.framing.coding.load_coded`).

    Columns: id, doc, language ('en' when absent), date, split, stratum, text, threat,
    multipolarity, cooperation (0/1), partners (list of canonical names). With `skip_uncoded`,
    sentences with a blank label are left out (`attrs["skipped"]` counts them); otherwise a blank
    is an error naming the line.
    """
    from analysis.framing.coding import load_coded

    table = load_coded(path, require_labels=not skip_uncoded)
    skipped = 0
    if skip_uncoded:
        coded = table[list(CORE_FRAMES)].notna().all(axis=1)
        skipped = int((~coded).sum())
        table = table[coded].reset_index(drop=True)
        if table.empty:
            raise UserError(f"{path}: no sentence is fully coded yet (threat, multipolarity, cooperation).")
        for f in CORE_FRAMES:
            table[f] = table[f].astype(int)
    table.attrs["skipped"] = skipped
    return table


def partner_scores(gold: list[list[str]], predicted: list[list[str]]) -> dict[str, Any]:
    """Micro precision, recall and F1 over (sentence, partner) pairs."""
    tp = fp = fn = 0
    for g, p in zip(gold, predicted, strict=True):
        gs, ps = set(g), set(p)
        tp += len(gs & ps)
        fp += len(ps - gs)
        fn += len(gs - ps)
    return prf_counts(tp, fp, fn)


@dataclass
class Evaluation(Result):
    """Scores of a detector on gold sentences.

    scores : one row per frame: precision, recall, f1 and their `_low`/`_high` bootstrap bounds,
        tp, fp, fn, support (gold positives).
    macro_f1 : mean F1 over the codebook frames, with `macro_f1_ci` (low, high).
    partners : micro scores over (sentence, partner) pairs, with `errors` listing FP/FN pairs.
    errors : frame, error ("FP"/"FN"), id, language, text, matched_terms.
    predictions : the gold table with predicted columns `pred_<frame>`, `pred_partners`, matched_terms.
    Written as scores.json, errors.csv, predictions.csv and params.json.
    """

    scores: pd.DataFrame
    macro_f1: float
    macro_f1_ci: tuple[float, float]
    partners: dict[str, Any]
    errors: pd.DataFrame
    predictions: pd.DataFrame
    params: dict[str, Any] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)

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
        out["split"] = self.params.get("split")
        out["n_documents"] = self.params.get("n_documents")
        out["bootstrap"] = self.params.get("bootstrap")
        return out

    def report(self, max_errors: int | None = None) -> str:
        """A plain-text report: the score table, partners, and the errors per frame."""
        split = self.params.get("split")
        lines = [f"Gold sentences: {len(self.predictions)}" + (f" (split {split})" if split else "")
                 + f"  documents: {self.params.get('n_documents')}  detector: {self.params.get('detector')}"
                 f"  (bootstrap over {self.params.get('bootstrap')}, {self.params.get('n_boot')} resamples, "
                 f"seed {self.params.get('seed')})", ""]
        lines.append(f"{'frame':<15}{'precision':>22}{'recall':>22}{'F1':>22}{'support':>9}")
        for frame, r in self.scores.iterrows():
            cells = [f"{r[m]:.3f} [{r[m + '_low']:.3f}, {r[m + '_high']:.3f}]" for m in ("precision", "recall", "f1")]
            lines.append(f"{frame:<15}" + "".join(f"{c:>22}" for c in cells) + f"{int(r['support']):>9}")
        lines.append(f"{'macro-F1':<15}{'':>44}{self.macro_f1:>8.3f} [{self.macro_f1_ci[0]:.3f}, "
                     f"{self.macro_f1_ci[1]:.3f}]")
        pa = self.partners
        ci = (f" [{pa['f1_low']:.3f}, {pa['f1_high']:.3f}]" if "f1_low" in pa else "")
        lines += ["", f"partners (micro over sentence-partner pairs): precision {pa['precision']:.3f}  "
                      f"recall {pa['recall']:.3f}  F1 {pa['f1']:.3f}{ci}  (tp {pa['tp']}, fp {pa['fp']}, "
                      f"fn {pa['fn']})"]
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

    def tables(self) -> dict[str, pd.DataFrame]:
        pred = self.predictions.copy()
        for col in ("partners", "pred_partners"):
            pred[col] = pred[col].map(";".join)
        return {"errors": self.errors, "predictions": pred}

    def extra_files(self, out: Path) -> list[Path]:
        path = out / "scores.json"
        path.write_text(json.dumps(self.to_dict(), indent=2) + "\n", encoding="utf-8")
        return [path]


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


def _clusters(gold: pd.DataFrame) -> np.ndarray:
    """Cluster index per sentence: its document, or the sentence itself when `doc` is absent."""
    if "doc" not in gold.columns:
        return np.arange(len(gold))
    keys = [d if isinstance(d, str) and d else f"_sentence{i}" for i, d in enumerate(gold["doc"])]
    _, inverse = np.unique(np.array(keys, dtype=object).astype(str), return_inverse=True)
    return inverse


def _cluster_counts(per_sentence: np.ndarray, cluster: np.ndarray, n_clusters: int) -> np.ndarray:
    return np.bincount(cluster, weights=per_sentence.astype(float), minlength=n_clusters)


def _boot_prf(tp: np.ndarray, fp: np.ndarray, fn: np.ndarray, idx: np.ndarray) -> tuple[np.ndarray, ...]:
    """Bootstrap precision, recall, F1 from per-cluster counts resampled by `idx` (n_boot, n)."""
    btp, bfp, bfn = tp[idx].sum(axis=1), fp[idx].sum(axis=1), fn[idx].sum(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        precision = np.where(btp + bfp > 0, btp / (btp + bfp), 0.0)
        recall = np.where(btp + bfn > 0, btp / (btp + bfn), 0.0)
        f1 = np.where(2 * btp + bfp + bfn > 0, 2 * btp / (2 * btp + bfp + bfn), np.nan)
    none = (btp + bfp + bfn) == 0
    precision[none] = np.nan
    recall[none] = np.nan
    return precision, recall, f1


def _interval(b: np.ndarray, alpha: float) -> tuple[float, float]:
    if not np.isfinite(b).any():
        return (math.nan, math.nan)
    lo, hi = np.nanquantile(b, [alpha, 1 - alpha])
    return float(lo), float(hi)


def load_model(model: Any):
    """A `SupervisedFrames` from an object or the folder of a saved model."""
    from analysis.framing.supervised import SupervisedFrames

    if isinstance(model, SupervisedFrames):
        return model
    if isinstance(model, str | Path):
        return SupervisedFrames.load(model)
    raise UserError("`model` must be a fitted SupervisedFrames or the folder of a saved one.")


def evaluate_frames(gold: pd.DataFrame | str | Path, *, detector: str = "lexicon",
                    lexicon: Lexicon | str | Path | None = None, gazetteer: Gazetteer | str | Path | None = None,
                    model: Any | None = None, split: str | None = None, n_folds: int = 5, n_boot: int = N_BOOT,
                    level: float = CI_LEVEL, seed: int = 0) -> Evaluation:
    """Score a detector on gold sentences.

    Parameters
    ----------
    gold : a table from `load_gold` or the path of a coded file (JSONL or CSV).
    detector : "lexicon", "supervised" (the model's labels, by each frame's decision rule, which
        may itself combine model and lexicon) or "both" (a frame marked by the lexicon or the
        model). For "supervised" and "both" without a `model`, the labels are out-of-fold
        predictions of a `n_folds`-fold cross-validation on the gold itself, grouped by document.
    model : a fitted `SupervisedFrames` or the folder of a saved one.
    split : score only the sentences of this split ("train", "validation", "test") of a gold
        file with a `split` field.
    n_boot, level, seed : percentile bootstrap intervals over documents (the `doc` field; each
        sentence is its own cluster when it has none): whole documents are resampled, so
        sentences of one speech count as one unit of evidence. Partners get intervals too.
    """
    from analysis.framing.coding import SPLITS, check_splits
    from analysis.framing.detect import FrameDetector
    from analysis.framing.gazetteer import load_gazetteer
    from analysis.framing.lexicon import load_lexicon

    check_choice("detector", detector, DETECTORS)
    n_boot = check_int("n_boot", n_boot, minimum=1)
    source = str(gold) if not isinstance(gold, pd.DataFrame) else "the gold table"
    if not isinstance(gold, pd.DataFrame):
        gold = load_gold(gold)
    gold = gold.reset_index(drop=True)
    if "split" in gold.columns:
        check_splits(gold, source)
    if split is not None:
        check_choice("split", split, SPLITS)
        if "split" not in gold.columns or gold["split"].isna().all():
            raise UserError(f"{source}: has no `split` field; score it whole (without --split).")
        gold = gold[gold["split"] == split].reset_index(drop=True)
        if gold.empty:
            raise UserError(f"{source}: no sentence in split {split!r}.")
    if not isinstance(lexicon, Lexicon):
        lexicon = load_lexicon(lexicon)
    if not isinstance(gazetteer, Gazetteer):
        gazetteer = load_gazetteer(gazetteer)
    det = FrameDetector(lexicon, gazetteer)
    pred = predict_gold(gold, det)
    if detector != "lexicon":
        from analysis.framing.supervised import cross_val_labels

        terms = [tuple(t for t in m.split(";") if t) for m in pred["matched_terms"]]
        if model is None:
            sup = cross_val_labels(gold, n_folds=n_folds, seed=seed, frames=CORE_FRAMES)
        else:
            model = load_model(model)
            sup = pd.DataFrame(0, index=gold.index, columns=list(CORE_FRAMES))
            for lang, part in gold.groupby("language"):
                labels = model.predict(list(part["text"]), lang, frames=CORE_FRAMES,
                                       terms=[terms[i] for i in part.index])
                for j, f in enumerate(CORE_FRAMES):
                    sup.loc[part.index, f] = [row[j] for row in labels]
        for f in CORE_FRAMES:
            lex = pred[f"pred_{f}"].astype(bool)
            s = sup[f].astype(bool)
            pred[f"pred_{f}"] = (s if detector == "supervised" else (lex | s)).astype(int)
        coop = pred["pred_cooperation"].astype(bool)
        pred["pred_partners"] = [c if k else [] for c, k in zip(pred["candidates"], coop, strict=True)]
    table = pd.concat([gold, pred], axis=1)

    cluster = _clusters(gold)
    n_clusters = int(cluster.max()) + 1 if len(cluster) else 0
    rng = np.random.default_rng(seed)
    idx = rng.integers(0, n_clusters, size=(n_boot, n_clusters))
    alpha = (1 - level) / 2
    rows, boot_f1 = {}, []
    for f in CORE_FRAMES:
        t = gold[f].to_numpy(bool)
        p = table[f"pred_{f}"].to_numpy(bool)
        point = prf(t, p)
        counts = [_cluster_counts(x, cluster, n_clusters) for x in (t & p, ~t & p, t & ~p)]
        bp, br, bf = _boot_prf(*counts, idx)
        boot_f1.append(bf)
        row = {"precision": point["precision"], "recall": point["recall"], "f1": point["f1"]}
        for name, b in (("precision", bp), ("recall", br), ("f1", bf)):
            row[f"{name}_low"], row[f"{name}_high"] = _interval(b, alpha)
        row.update(tp=point["tp"], fp=point["fp"], fn=point["fn"], support=int(t.sum()))
        rows[f] = row
    scores = pd.DataFrame.from_dict(rows, orient="index")
    scores = scores[["precision", "precision_low", "precision_high", "recall", "recall_low", "recall_high",
                     "f1", "f1_low", "f1_high", "tp", "fp", "fn", "support"]]
    macro = float(np.mean([rows[f]["f1"] for f in CORE_FRAMES]))
    with warnings.catch_warnings():  # a resample where no frame has a case: NaN, left out of the interval
        warnings.simplefilter("ignore", RuntimeWarning)
        macro_boot = np.nanmean(np.vstack(boot_f1), axis=0)
    macro_ci = _interval(macro_boot, alpha)

    partners = partner_scores(list(gold["partners"]), list(table["pred_partners"]))
    per = np.array([(len(set(g) & set(p)), len(set(p) - set(g)), len(set(g) - set(p)))
                    for g, p in zip(gold["partners"], table["pred_partners"], strict=True)], dtype=float)
    if len(per):
        pcounts = [np.bincount(cluster, weights=per[:, j], minlength=n_clusters) for j in range(3)]
        pb, pr, pf = _boot_prf(*pcounts, idx)
        for name, b in (("precision", pb), ("recall", pr), ("f1", pf)):
            partners[f"{name}_low"], partners[f"{name}_high"] = _interval(b, alpha)
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
    params = {"versions": versions(), "detector": detector, "n_boot": n_boot, "level": level, "seed": seed,
              "n_folds": n_folds,
              "split": split, "bootstrap": "documents" if "doc" in gold.columns and gold["doc"].notna().any()
              else "sentences", "n_documents": n_clusters,
              "model": (model.rules_ if model is not None and hasattr(model, "rules_") else None),
              "lexicon": {"version": lexicon.version, "hash": lexicon.hash, "sources": lexicon.sources},
              "gazetteer": {"version": gazetteer.version, "sources": gazetteer.sources}}
    return Evaluation(scores, macro, macro_ci, partners, errors_df, table, params)


SCORE_COLUMNS = ("precision", "precision_low", "precision_high", "recall", "recall_low", "recall_high",
                 "f1", "f1_low", "f1_high", "tp", "fp", "fn", "support")
LOCKED_TEST = Path(__file__).resolve().parents[1] / "data" / "framing" / "model" / "locked-test.json"


@dataclass(frozen=True)
class LockedTest:
    """The locked test split of the shipped gold as it was scored, once: read from its record,
    never recomputed (a rerun with a changed lexicon or gazetteer would be a second look at it).

    scores : "en-lexicon", "en-supervised", "ru-lexicon", "ru-supervised" -> one row per frame,
        the columns of `Evaluation.scores`.
    summary : one row per scored detector: gold language, detector, sentences, documents,
        macro-F1 with its interval, partner F1 with its interval.
    what, lexicon_version, gazetteer_version : what was scored, with which lexicon and gazetteer.
    """

    scores: dict[str, pd.DataFrame]
    summary: pd.DataFrame
    what: str
    lexicon_version: str
    gazetteer_version: str

    def changed_since(self, lexicon: Lexicon, gazetteer: Gazetteer) -> list[str]:
        """What differs between the detector scored and `lexicon` / `gazetteer` (empty: the same)."""
        out = []
        if str(lexicon.version) != self.lexicon_version:
            out.append(f"lexicon {lexicon.version} (scored: {self.lexicon_version})")
        if str(gazetteer.version) != self.gazetteer_version:
            out.append(f"gazetteer {gazetteer.version} (scored: {self.gazetteer_version})")
        return out


def load_locked_test(path: str | Path = LOCKED_TEST) -> LockedTest:
    """The record of the locked test split's one scoring (`LockedTest`)."""
    path = Path(path)
    try:
        record = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        raise UserError(f"{path}: cannot read the locked-test record ({exc}).") from None
    scores, rows = {}, []
    for key, entry in record["scores"].items():
        language, detector = key.split("-", 1)
        scores[key] = pd.DataFrame([{c: entry[f][c] for c in SCORE_COLUMNS} for f in CORE_FRAMES],
                                   index=list(CORE_FRAMES))
        partners = entry["partners"]
        rows.append({"gold": language, "detector": detector, "split": entry["split"],
                     "sentences": entry["n_sentences"], "documents": entry["n_documents"],
                     "macro_f1": entry["macro_f1"], "macro_f1_low": entry["macro_f1_low"],
                     "macro_f1_high": entry["macro_f1_high"], "partners_f1": partners["f1"],
                     "partners_f1_low": partners["f1_low"], "partners_f1_high": partners["f1_high"]})
    return LockedTest(scores, pd.DataFrame(rows), record["what"], str(record["lexicon_version"]),
                      str(record["gazetteer_version"]))

