"""Keyness: which terms are characteristic of one part of the corpus against another.

Log-likelihood G² (Dunning 1993; Rayson and Garside 2000) for significance, log ratio
(Hardie 2014) for effect size, both directions, Benjamini-Hochberg over all terms tested.

A split names the target and the reference:

- ``"after:2014"`` / ``"before:2014-03-18"``: documents dated from (before) a date against
  the rest of the dated documents (undated documents are excluded and counted);
- ``"country=RUS"`` (or ``"country=RUS|BLR"``): one group against all other documents;
- ``"2000-2009 vs 2015-2024"``: two year ranges; ``"country=RUS vs country=CHN"``: two
  groups; any two selectors joined by ``vs``.

G² treats tokens as independent draws, which they are not (a term repeated in one speech
inflates G²); the `docs_*` columns and `min_docs` guard against terms carried by a handful of
documents.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from analysis.corpus.dates import parse_date
from analysis.errors import CorpusError, ParameterError, check_int
from analysis.preprocess import Tokens
from analysis.results import Result, result_params
from analysis.stats import benjamini_hochberg, g2_keyness, g2_p_value
from analysis.trends.terms import PER, Progress, count_vocabulary, form_of

logger = logging.getLogger(__name__)

_YEARS = re.compile(r"^\s*(\d{4})\s*[-–]\s*(\d{4})\s*$")
_YEAR = re.compile(r"^\s*(\d{4})\s*$")
KEYNESS_COLUMNS = ["term", "key_for", "g2", "log_ratio", "p_value", "q_value", "count_target",
                   "count_reference", "rate_target", "rate_reference", "docs_target", "docs_reference"]


@dataclass
class KeynessResult(Result):
    """Keyness of every term with at least `min_count` occurrences, both directions.

    table : term, key_for ('target', 'reference' or '' when q >= alpha), g2, log_ratio
        (log2 of the ratio of rates, positive = more frequent in the target), p_value,
        q_value, counts, rates per 10,000 tokens and documents in each part; sorted by key_for
        then G².
    target, reference : what each part is (labels) and its documents and tokens in `sizes`.
    """

    table: pd.DataFrame
    target: str
    reference: str
    sizes: dict[str, int]
    params: dict[str, Any]
    notes: list[str] = field(default_factory=list)

    def top(self, side: str = "target", n: int = 20) -> pd.DataFrame:
        """The `n` terms most key for one side, by G²."""
        return self.table[self.table["key_for"] == side].head(n)

    def tables(self) -> dict[str, pd.DataFrame]:
        return {"keyness": self.table}


def _date_key(value: str) -> str:
    try:
        date, _ = parse_date(value.strip())
    except ValueError as exc:
        raise ParameterError(f"keyness split: {exc}.") from None
    return date


def _select(metadata: pd.DataFrame, selector: str) -> tuple[np.ndarray, str, np.ndarray | None]:
    """(mask, label, placeable) for one selector; `placeable` (None for a metadata selector)
    marks the documents whose date can be compared with the selector."""
    s = selector.strip()
    if "=" in s:
        key, _, vals = s.partition("=")
        key = key.strip()
        if key not in metadata.columns:
            raise ParameterError(f"keyness split {selector!r}: {key!r} is not a metadata column; "
                                 f"available: {', '.join(map(str, metadata.columns))}.")
        wanted = {v.strip() for v in vals.split("|") if v.strip()}
        if not wanted:
            raise ParameterError(f"keyness split {selector!r}: no value after '='.")
        mask = metadata[key].map(lambda v: v is not None and str(v) in wanted).to_numpy(dtype=bool)
        return mask, f"{key}={'|'.join(sorted(wanted))}", None
    dates = metadata["date"].map(lambda d: d if isinstance(d, str) else None)
    dated = dates.notna().to_numpy(dtype=bool)
    m = _YEARS.match(s) or _YEAR.match(s)
    if m:
        a = int(m.group(1))
        b = int(m.group(2)) if m.lastindex and m.lastindex > 1 else a
        if b < a:
            raise ParameterError(f"keyness split {selector!r} ends before it starts.")
        mask = dates.map(lambda d: d is not None and a <= int(d[:4]) <= b).to_numpy(dtype=bool)
        return mask, (f"{a}-{b}" if a != b else str(a)), dated
    for prefix, after in (("after:", True), (">=", True), ("before:", False), ("<", False)):
        if s.lower().startswith(prefix):
            cut = _date_key(s[len(prefix):])
            # "2014" splits by year; "2014-03-18" by day, and a document dated only "2014"
            # (or "2014-03") cannot be placed on either side of it
            placeable = np.array([d is not None and not (len(d) < len(cut) and cut.startswith(d))
                                  for d in dates], dtype=bool)
            later = np.array([d is not None and d[:len(cut)] >= cut for d in dates], dtype=bool)
            if after:
                return later & placeable, f"from {cut}", placeable
            return ~later & placeable, f"before {cut}", placeable
    raise ParameterError(
        f"keyness split {selector!r} is not understood; write 'after:2014', 'before:2014-03-18', "
        "'country=RUS', '2000-2009 vs 2015-2024' or 'country=RUS vs country=CHN'.")


def parse_split(metadata: pd.DataFrame, split: str) -> tuple[np.ndarray, np.ndarray, str, str, list[str]]:
    """Target and reference masks over `metadata` for a split specification (module docstring)."""
    if not isinstance(split, str) or not split.strip():
        raise ParameterError("`split` is empty; write e.g. 'after:2014' or 'country=RUS'.")
    parts = re.split(r"\s+vs\.?\s+", split.strip())
    if len(parts) > 2:
        raise ParameterError(f"keyness split {split!r}: at most two sides joined by 'vs'.")
    target, t_label, t_place = _select(metadata, parts[0])
    notes: list[str] = []
    if len(parts) == 2:
        reference, r_label, r_place = _select(metadata, parts[1])
        overlap = target & reference
        if overlap.any():
            raise ParameterError(f"keyness split {split!r}: {int(overlap.sum())} documents are on both sides.")
    else:
        r_place = t_place
        if t_place is not None:
            reference = t_place & ~target
            inverse = {"from": "before", "before": "from"}
            word, _, rest = t_label.partition(" ")
            r_label = f"{inverse[word]} {rest}" if word in inverse else "other dated documents"
        else:
            reference = ~target
            r_label = "all other documents"
    dated = metadata["date"].map(lambda d: isinstance(d, str)).to_numpy(dtype=bool)
    if (t_place is not None or r_place is not None) and (~dated).any():
        notes.append(f"{int((~dated).sum())} undated documents are excluded from a date split.")
    for place in (t_place, r_place):
        if place is not None and (dated & ~place).any():
            notes.append(f"{int((dated & ~place).sum())} documents are dated too coarsely to fall on "
                         "one side of the split date and are excluded.")
            break
    if not target.any():
        raise CorpusError(f"keyness split {split!r}: no document in the target ({t_label}).")
    if not reference.any():
        raise CorpusError(f"keyness split {split!r}: no document in the reference ({r_label}).")
    return target, reference, t_label, r_label, notes


def keyness(tokens: Tokens, split: str, *, min_count: int = 10, min_docs: int = 3, alpha: float = 0.05,
            progress: Progress | None = None) -> KeynessResult:
    """Keyness of each token between two parts of the corpus (module docstring).

    Parameters
    ----------
    tokens : the preprocessed corpus (lemmas or written forms, as it was made).
    split : the target and reference, e.g. 'after:2014', 'country=RUS', '2000-2009 vs 2015-2024'.
    min_count : a term needs this many occurrences in the two parts together.
    min_docs : ... and must occur in at least this many documents of the two parts together.
    alpha : q-value threshold for calling a term key.
    """
    min_count = check_int("min_count", min_count, minimum=1)
    min_docs = check_int("min_docs", min_docs, minimum=1)
    if not 0 < alpha < 1:
        raise ParameterError(f"`alpha` must be between 0 and 1; got {alpha}.")
    dv = tokens.metadata
    target, reference, t_label, r_label, notes = parse_split(dv, split)
    sizes = {"docs_target": int(target.sum()), "docs_reference": int(reference.sum()),
             "tokens_target": 0, "tokens_reference": 0}
    counts = count_vocabulary(tokens, progress=progress)  # every token, unfiltered (stored with the tokens)
    matrix = counts.matrix
    part_a, part_b = matrix[np.asarray(target, dtype=bool)], matrix[np.asarray(reference, dtype=bool)]
    a = np.asarray(part_a.sum(axis=0), dtype=float).ravel()
    b = np.asarray(part_b.sum(axis=0), dtype=float).ravel()
    da = np.diff(part_a.tocsc().indptr).astype(int)
    db = np.diff(part_b.tocsc().indptr).astype(int)
    ta, tb = a.sum(), b.sum()
    sizes["tokens_target"], sizes["tokens_reference"] = int(ta), int(tb)
    if ta == 0 or tb == 0:
        raise CorpusError(f"keyness split {split!r}: the {'target' if ta == 0 else 'reference'} has no tokens.")
    ok = (a + b >= min_count) & (da + db >= min_docs)
    terms = [w for w, k in zip(counts.terms, ok, strict=True) if k]
    a, b, da, db = a[ok], b[ok], da[ok], db[ok]
    g2, lr = g2_keyness(a, b, ta, tb)
    p = g2_p_value(g2)
    q = benjamini_hochberg(p)
    key_for = np.where(q < alpha, np.where(lr > 0, "target", "reference"), "")
    table = pd.DataFrame({"term": terms, "key_for": key_for, "g2": g2, "log_ratio": lr, "p_value": p,
                          "q_value": q, "count_target": a.astype(int), "count_reference": b.astype(int),
                          "rate_target": a / ta * PER, "rate_reference": b / tb * PER,
                          "docs_target": da, "docs_reference": db})
    order = table["key_for"].map({"target": 0, "reference": 1, "": 2})
    table = (table.assign(_o=order, _g=-table["g2"]).sort_values(["_o", "_g", "term"], kind="mergesort")
             .drop(columns=["_o", "_g"]).reset_index(drop=True))
    for note in notes:
        logger.warning(note)
    params = result_params(tokens, {"split": split, "target": t_label, "reference": r_label, "sizes": sizes,
                                    "min_count": min_count, "min_docs": min_docs, "alpha": alpha,
                                    "form": form_of(tokens.params)})
    logger.info("keyness %s vs %s: %d terms tested, %d key for the target, %d for the reference",
                t_label, r_label, len(table), int((key_for == "target").sum()),
                int((key_for == "reference").sum()))
    return KeynessResult(table[KEYNESS_COLUMNS], t_label, r_label, sizes, params, notes)
