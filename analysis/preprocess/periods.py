"""The one period and group axis of every method (topics, trends, framing).

Vocabulary: 'year', 'quarter', 'month', 'decade', custom bins of years ("1970-1979,1980-1989";
"2001" is one year), 'all' (one period holding every document, dated or not), and 'auto'.
Labels are strings: '2001', '2001-Q2', '2001-05', '1990s', '1970-1979', 'all'.

The auto rule (`auto_period`): 'year' when any dated document has only a year or the dates span
`AUTO_YEARS` (8) years or more; otherwise the finer of 'month' and 'quarter' whose periods hold
a median of at least `MIN_PERIOD_DOCS` (5) documents; else 'year'. It joins the span rule of the
old trends axis (a decade of months is unreadable) with the density rule of the old topics axis
(a monthly series of one or two documents a month says little); the report defaults
(`analysis.defaults.choose_period`) already applied both.

`assign_periods` lists every period between the first and the last (or `start`/`end`), so a
period without documents shows up as such. Documents that cannot be placed are excluded with a
stated reason and count: no date, a date coarser than the period (a year-only date when binning
by quarter), or a date outside the range. `period_position` puts a label on a numeric time axis
for plotting (the start of the period); `Periods.midpoints` are the centres (the time axis of the
trend test).
"""

from __future__ import annotations

import logging
import re
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from analysis.errors import CorpusError, ParameterError

logger = logging.getLogger(__name__)

PERIODS = ("auto", "year", "quarter", "month", "decade", "all")
PERIOD_HELP = "auto, year, quarter, month, decade, all, or year ranges like 1970-1979,1980-1989"
AUTO_YEARS = 8
MIN_PERIOD_DOCS = 5
_PRECISION_RANK = {"year": 0, "month": 1, "day": 2}
_NEEDS = {"year": 0, "decade": 0, "bins": 0, "all": 0, "quarter": 1, "month": 1}
_BIN = re.compile(r"^\s*(\d{4})\s*(?:[-–]\s*(\d{4}))?\s*$")
_LABEL = re.compile(r"^(\d{4})(?:(s)|-Q([1-4])|-(\d{2})|-(\d{4}))?$")


@dataclass(frozen=True)
class Periods:
    """Each document's period label (None when excluded) and the full ordered period list.

    kind : 'year', 'quarter', 'month', 'decade', 'bins' or 'all'.
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


def check_period(period: str | None) -> str:
    """The period spec normalised ('auto' for None), or a ParameterError naming the choices."""
    if period is None:
        return "auto"
    if not isinstance(period, str):
        raise ParameterError(f"`period` must be a string; got {period!r}.")
    p = period.strip().lower()
    if p in PERIODS:
        return p
    if not any(ch.isdigit() for ch in p):
        raise ParameterError(f"`period` must be one of {', '.join(map(repr, PERIODS))} or year ranges "
                             f"like \"1970-1979,1980-1989\"; got {period!r}, which is not a year range.")
    parse_bins(p)  # raises with a message when it is not a bin list
    return p


def _dates(metadata: pd.DataFrame) -> tuple[pd.Series, pd.Series]:
    """Each document's date string (None when undated) and its precision ('year', 'month',
    'day' or None). Without a `date` column the `year` column gives year-only dates; without
    `date_precision` the precision follows the date's length."""
    if "date" in metadata.columns:
        raw = metadata["date"]
    elif "year" in metadata.columns:
        year = pd.to_numeric(metadata["year"], errors="coerce")
        raw = year.map(lambda y: None if pd.isna(y) else f"{int(y):04d}")
    else:
        raise ParameterError("periods need a `date` (or `year`) column in the document metadata.")
    dates = pd.Series([d if isinstance(d, str) and d else None for d in raw], index=metadata.index,
                      dtype=object)
    if "date_precision" in metadata.columns:
        values = [None if d is None else p for d, p in zip(dates, metadata["date_precision"], strict=True)]
    else:
        values = [None if d is None else {4: "year", 7: "month"}.get(len(d), "day") for d in dates]
    precision = pd.Series(values, index=metadata.index, dtype=object)
    return dates, precision


def explain_auto_period(metadata: pd.DataFrame, *, min_docs: int = MIN_PERIOD_DOCS) -> tuple[str, str]:
    """The auto period (module docstring) and a sentence saying why."""
    dates, precision = _dates(metadata)
    dated = dates[dates.notna()]
    if dated.empty:
        return "year", "no document has a date (by year, by default)"
    if (precision[dates.notna()] == "year").any():
        return "year", "some documents are dated to the year only"
    years = dated.str[:4].astype(int)
    span = int(years.max() - years.min() + 1)
    if span >= AUTO_YEARS:
        return "year", f"the dates span {span} years"
    for kind in ("month", "quarter"):
        median = float(dated.map(lambda d, k=kind: period_label(d, k)).value_counts().median())
        if median >= min_docs:
            return kind, f"the dates span {span} year(s) and a {kind} holds a median of {median:g} documents"
    return "year", (f"the dates span {span} year(s), too thinly for months or quarters (fewer than "
                    f"{min_docs} documents in the median one)")


def auto_period(metadata: pd.DataFrame, *, min_docs: int = MIN_PERIOD_DOCS) -> str:
    """The period the span and density of the dates support (module docstring)."""
    return explain_auto_period(metadata, min_docs=min_docs)[0]


def period_label(date: str, kind: str, bins: Sequence[tuple[int, int]] = ()) -> str | None:
    """The period a date (``YYYY[-MM[-DD]]``) falls in, or None (outside the bins)."""
    y = int(date[:4])
    if kind == "year":
        return f"{y:04d}"
    if kind == "decade":
        return f"{y // 10 * 10}s"
    if kind == "month":
        return date[:7]
    if kind == "quarter":
        return f"{y:04d}-Q{(int(date[5:7]) - 1) // 3 + 1}"
    if kind == "all":
        return "all"
    for a, b in bins:
        if a <= y <= b:
            return f"{a}" if a == b else f"{a}-{b}"
    return None


def period_position(label: str) -> float:
    """A period label on a numeric time axis, at the period's start: '2001' -> 2001,
    '2001-Q2' -> 2001.25, '2001-05' -> 2001 + 4/12, '1990s' and '1990-1999' -> 1990; NaN for
    'all' or a label that is not a period."""
    m = _LABEL.match(str(label))
    if not m:
        return float("nan")
    year, _, quarter, month, _ = m.groups()
    if quarter:
        return int(year) + (int(quarter) - 1) / 4
    if month:
        return int(year) + (int(month) - 1) / 12
    return float(year)


def is_yearly(labels: pd.Series) -> bool:
    """Whether every label is a year or a decade (plots place these on a numeric axis)."""
    return bool(len(labels)) and all(re.fullmatch(r"\d{4}s?", str(v)) is not None for v in labels)


def coarser_than(metadata: pd.DataFrame, kind: str) -> pd.Series:
    """True for each dated document whose date is too coarse for `kind` (a year-only date for
    quarters or months)."""
    dates, precision = _dates(metadata)
    rank = precision.map(lambda v: _PRECISION_RANK.get(v, -1))
    return dates.notna() & (rank < _NEEDS.get(kind, 0))


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
    elif kind == "all":
        order.append("all")
        mids["all"] = (first + last + 1) / 2
    else:
        for a, b in bins:
            lab = f"{a}" if a == b else f"{a}-{b}"
            order.append(lab)
            mids[lab] = (a + b + 1) / 2
    return order, mids


def assign_periods(metadata: pd.DataFrame, period: str | None = "auto", *, start: int | None = None,
                   end: int | None = None, empty_ok: bool = False) -> Periods:
    """Place each document in a period.

    Parameters
    ----------
    metadata : document metadata with `date` (and `date_precision`; or only `year`).
    period : 'auto' (see `auto_period`), 'year', 'quarter', 'month', 'decade', 'all', or custom
        bins such as "1970-1979,1980-1989".
    start, end : first and last year to include (default: the data's range; with custom bins
        the bins' range). Periods inside the range without documents are listed all the same.
        'all' without `start` and `end` holds every document, dated or not.
    empty_ok : return a `Periods` without placed documents (and an empty `order`) instead of
        raising CorpusError when no document has a date or none can be placed.
    """
    p = check_period(period)
    if start is not None and end is not None and end < start:
        raise ParameterError(f"`end` ({end}) is before `start` ({start}).")
    n = len(metadata)
    if n == 0 and not empty_ok:
        raise CorpusError("the corpus has no documents.")
    dates, _ = _dates(metadata)
    is_dated = dates.notna()
    n_undated = int((~is_dated).sum())
    kind = auto_period(metadata) if p == "auto" else (p if p in PERIODS else "bins")
    if kind == "all" and start is None and end is None:
        years = dates[is_dated].str[:4].astype(int)
        mid = (int(years.min()) + int(years.max()) + 1) / 2 if len(years) else float("nan")
        labels = pd.Series(["all"] * n, index=metadata.index, dtype=object)
        return Periods(kind, labels, ["all"] if n else [], {"all": mid} if n else {})
    if n_undated == n and not empty_ok:
        raise CorpusError(f"none of the {n} documents has a date; periods need `date:` "
                          "(YYYY, YYYY-MM or YYYY-MM-DD) in the documents' front matter.")
    bins = parse_bins(p) if kind == "bins" else []
    excluded: dict[str, int] = {}
    notes: list[str] = []
    if n_undated:
        excluded["undated"] = n_undated
        notes.append(f"{n_undated} of {n} documents have no date and are excluded.")
    too_coarse = coarser_than(metadata, kind)
    if too_coarse.any():
        k = int(too_coarse.sum())
        excluded["date coarser than period"] = k
        notes.append(f"{k} documents are dated to the year only and cannot be placed in {kind}s; "
                     "they are excluded (use period='year').")
    usable = is_dated & ~too_coarse
    labels = pd.Series([None] * n, index=metadata.index, dtype=object)
    years = pd.Series(np.nan, index=metadata.index)
    for doc_id, date in dates[usable].items():
        years[doc_id] = int(date[:4])
        labels[doc_id] = period_label(date, kind, bins)
    if kind == "bins":
        outside = usable & labels.isna()
        if outside.any():
            k = int(outside.sum())
            excluded["outside the bins"] = k
            notes.append(f"{k} dated documents fall outside the bins {p!r} and are excluded.")
    placed = labels.notna()
    if placed.any() or bins or (start is not None and end is not None):
        lo = start if start is not None else (bins[0][0] if bins else int(years[placed].min()))
        hi = end if end is not None else (bins[-1][1] if bins else int(years[placed].max()))
        in_range = placed & (years >= lo) & (years <= hi)
        outside_range = placed & ~in_range
        if outside_range.any():
            k = int(outside_range.sum())
            excluded["outside start-end"] = k
            notes.append(f"{k} documents dated outside {lo}-{hi} are excluded.")
        labels[~in_range] = None
        order, mids = _all_labels(kind, lo, hi, [b for b in bins if b[1] >= lo and b[0] <= hi])
        where = f" between {lo} and {hi}"
    else:
        order, mids, where = [], {}, ""
    if not labels.notna().any():
        if not empty_ok:
            raise CorpusError(f"no document can be placed in a {kind} period{where} "
                              f"({'; '.join(notes) or 'check the dates'}).")
        order, mids = [], {}
    for note in notes:
        logger.warning(note)
    return Periods(kind, labels, order, mids, excluded, notes)


def group_labels(metadata: pd.DataFrame, group: str | pd.Series | None, values: Sequence[str] | None = None,
                 others: str | None = "others") -> tuple[pd.Series | None, list[str]]:
    """Each document's group as a string (None when it has none) and notes about documents
    without one; None for no grouping.

    `group` is a metadata column or a Series indexed by document id. With `values`, documents
    whose group is among them keep it and all others get the label `others` (or None when
    `others` is None).
    """
    if group is None:
        return None, []
    if isinstance(group, pd.Series):
        raw, name = group.reindex(metadata.index), group.name or "group"
    elif group in metadata.columns:
        raw, name = metadata[group], group
    else:
        cols = [c for c in metadata.columns if c != "text_hash" and not str(c).startswith(("n_", "share_"))]
        raise ParameterError(f"`group`={group!r} is not a document metadata column; available: "
                             f"{', '.join(map(str, cols))}.")
    labels = pd.Series([None if _missing(v) else str(v) for v in raw], index=metadata.index, dtype=object)
    notes = []
    missing = int(labels.isna().sum())
    if missing:
        notes.append(f"{missing} documents have no {name!r} and are excluded from the grouped table.")
    if values is not None:
        wanted = [str(v) for v in values]
        absent = [v for v in wanted if not (labels == v).any()]
        if absent:
            notes.append(f"no document has {name} = {', '.join(absent)}.")
        labels = pd.Series([v if v is None or v in wanted else others for v in labels], index=labels.index,
                           dtype=object)
    return labels, notes


def _missing(value: object) -> bool:
    return value is None or value is pd.NA or value is pd.NaT or (isinstance(value, float) and value != value)
