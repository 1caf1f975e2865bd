"""Periods: documents binned by year, quarter, month, decade or custom year ranges.

Every period between the first and the last (or between `start` and `end`) is listed, so a
period without documents shows up in the tables as such rather than disappearing. Documents
that cannot be placed are excluded with a stated reason and count: no date, a date coarser
than the period (a year-only date when binning by quarter), or a date outside the range.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from analysis.errors import CorpusError, ParameterError

logger = logging.getLogger(__name__)

PERIODS = ("auto", "year", "quarter", "month", "decade")
_PRECISION_RANK = {"year": 0, "month": 1, "day": 2}
_NEEDS = {"year": 0, "decade": 0, "bins": 0, "quarter": 1, "month": 1}
_BIN = re.compile(r"^\s*(\d{4})\s*(?:[-–]\s*(\d{4}))?\s*$")


@dataclass(frozen=True)
class Periods:
    """Each document's period label (None when excluded) and the full ordered period list.

    kind : 'year', 'quarter', 'month', 'decade' or 'bins'.
    labels : Series indexed by document id: the period of each document, or None.
    order : every period label in time order, including periods without documents.
    midpoints : decimal-year midpoint of each period (the time axis of the trend test).
    excluded : {reason: number of documents} for documents left out.
    notes : sentences for a reader about what was left out.
    """

    kind: str
    labels: pd.Series
    order: list[str]
    midpoints: dict[str, float]
    excluded: dict[str, int] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)

    @property
    def n_excluded(self) -> int:
        return int(sum(self.excluded.values()))


def parse_bins(spec: str) -> list[tuple[int, int]]:
    """Custom periods from "1970-1979,1980-1989" (inclusive year ranges; "2001" is one year)."""
    bins = []
    for part in str(spec).split(","):
        if not part.strip():
            continue
        m = _BIN.match(part)
        if not m:
            raise ParameterError(f"`period` bin {part.strip()!r} is not a year range like 1970-1979.")
        a = int(m.group(1))
        b = int(m.group(2) or a)
        if b < a:
            raise ParameterError(f"`period` bin {part.strip()!r} ends before it starts.")
        bins.append((a, b))
    if not bins:
        raise ParameterError("`period` bins are empty; write e.g. \"1970-1979,1980-1989\".")
    bins.sort()
    for (a1, b1), (a2, _) in zip(bins, bins[1:], strict=False):
        if a2 <= b1:
            raise ParameterError(f"`period` bins {a1}-{b1} and {a2}-... overlap.")
    return bins


def _check_period(period: str | None) -> str:
    if period is None:
        return "auto"
    if not isinstance(period, str):
        raise ParameterError(f"`period` must be a string; got {period!r}.")
    p = period.strip().lower()
    if p in PERIODS:
        return p
    parse_bins(p)  # raises with a message when it is not a bin list
    return p


def auto_period(docvars: pd.DataFrame) -> str:
    """The period the data support: 'year' when any dated document has only a year or the
    dates span 8 years or more; 'quarter' for 2-7 years of month/day dates; else 'month'."""
    dated = docvars[docvars["date"].notna()]
    if dated.empty:
        return "year"
    if (dated["date_precision"] == "year").any():
        return "year"
    years = dated["year"].astype(int)
    span = years.max() - years.min() + 1
    if span >= 8:
        return "year"
    return "quarter" if span >= 2 else "month"


def _label(kind: str, date: str, bins: list[tuple[int, int]]) -> str | None:
    y = int(date[:4])
    if kind == "year":
        return f"{y:04d}"
    if kind == "decade":
        return f"{y // 10 * 10}s"
    if kind == "month":
        return date[:7]
    if kind == "quarter":
        return f"{y:04d}-Q{(int(date[5:7]) - 1) // 3 + 1}"
    for a, b in bins:
        if a <= y <= b:
            return f"{a}" if a == b else f"{a}-{b}"
    return None


def _all_labels(kind: str, first: int, last: int, bins: list[tuple[int, int]]) -> tuple[list[str], dict[str, float]]:
    order: list[str] = []
    mids: dict[str, float] = {}
    if kind == "year":
        for y in range(first, last + 1):
            order.append(f"{y:04d}")
            mids[order[-1]] = y + 0.5
    elif kind == "decade":
        for d in range(first // 10 * 10, last + 1, 10):
            order.append(f"{d}s")
            mids[order[-1]] = d + 5.0
    elif kind == "quarter":
        for y in range(first, last + 1):
            for q in range(1, 5):
                order.append(f"{y:04d}-Q{q}")
                mids[order[-1]] = y + (q - 1) / 4 + 0.125
    elif kind == "month":
        for y in range(first, last + 1):
            for mo in range(1, 13):
                order.append(f"{y:04d}-{mo:02d}")
                mids[order[-1]] = y + (mo - 1) / 12 + 1 / 24
    else:
        for a, b in bins:
            lab = f"{a}" if a == b else f"{a}-{b}"
            order.append(lab)
            mids[lab] = (a + b + 1) / 2
    return order, mids


def assign_periods(docvars: pd.DataFrame, period: str | None = "auto", *, start: int | None = None,
                   end: int | None = None) -> Periods:
    """Place each document in a period.

    Parameters
    ----------
    docvars : document metadata with `date`, `date_precision` and `year` (as `Corpus.metadata`).
    period : 'auto' (see `auto_period`), 'year', 'quarter', 'month', 'decade', or custom bins
        such as "1970-1979,1980-1989".
    start, end : first and last year to include (default: the data's range; with custom bins
        the bins' range). Periods inside the range without documents are listed all the same.

    Raises CorpusError when no document has a date or none can be placed.
    """
    p = _check_period(period)
    if start is not None and end is not None and end < start:
        raise ParameterError(f"`end` ({end}) is before `start` ({start}).")
    n = len(docvars)
    dates = docvars["date"].where(docvars["date"].notna(), None)
    is_dated = dates.map(lambda d: isinstance(d, str) and bool(d))
    n_undated = int((~is_dated).sum())
    if n and n_undated == n:
        raise CorpusError(f"none of the {n} documents has a date; keyword trends need `date:` "
                          "(YYYY, YYYY-MM or YYYY-MM-DD) in the documents' front matter.")
    if n == 0:
        raise CorpusError("the corpus has no documents.")
    kind = auto_period(docvars) if p == "auto" else (p if p in PERIODS else "bins")
    bins = parse_bins(p) if kind == "bins" else []
    excluded: dict[str, int] = {}
    notes: list[str] = []
    if n_undated:
        excluded["undated"] = n_undated
        notes.append(f"{n_undated} of {n} documents have no date and are excluded.")

    precision = docvars["date_precision"].map(lambda v: _PRECISION_RANK.get(v, -1))
    too_coarse = is_dated & (precision < _NEEDS[kind])
    if too_coarse.any():
        k = int(too_coarse.sum())
        excluded["date coarser than period"] = k
        notes.append(f"{k} documents are dated to the year only and cannot be placed in {kind}s; "
                     "they are excluded (use period='year').")
    usable = is_dated & ~too_coarse
    labels = pd.Series([None] * n, index=docvars.index, dtype=object)
    years = pd.Series(np.nan, index=docvars.index)
    years[usable] = [int(d[:4]) for d in dates[usable]]
    for doc_id in docvars.index[usable.to_numpy()]:
        labels[doc_id] = _label(kind, dates[doc_id], bins)
    if kind == "bins":
        outside = usable & labels.isna()
        if outside.any():
            k = int(outside.sum())
            excluded["outside the bins"] = k
            notes.append(f"{k} dated documents fall outside the bins {p!r} and are excluded.")
    lo = start if start is not None else (bins[0][0] if bins else int(years[usable].min()))
    hi = end if end is not None else (bins[-1][1] if bins else int(years[usable].max()))
    in_range = usable & labels.notna() & (years >= lo) & (years <= hi)
    outside_range = usable & labels.notna() & ~in_range
    if outside_range.any():
        k = int(outside_range.sum())
        excluded["outside start-end"] = k
        notes.append(f"{k} documents dated outside {lo}-{hi} are excluded.")
    labels[~in_range] = None
    order, mids = _all_labels(kind, lo, hi, [b for b in bins if b[1] >= lo and b[0] <= hi])
    if not in_range.any():
        raise CorpusError(f"no document can be placed in a {kind} period between {lo} and {hi} "
                          f"({'; '.join(notes) or 'check the dates'}).")
    for note in notes:
        logger.warning(note)
    return Periods(kind, labels, order, mids, excluded, notes)
