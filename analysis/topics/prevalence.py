"""Topic prevalence over time: mean document share per period (and group) with bootstrap
intervals, on the one period axis of every method (`analysis.preprocess.periods`).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import Any, ClassVar

import numpy as np
import pandas as pd

from analysis.errors import ParameterError
from analysis.preprocess.periods import (
    assign_periods,
    auto_period,
    check_period,
    coarser_than,
    group_labels,
)
from analysis.provenance import versions
from analysis.results import Result
from analysis.stats import CI_LEVEL, N_BOOT, bootstrap_mean_ci

logger = logging.getLogger(__name__)

@dataclass(eq=False)
class Prevalence(Result):
    """Mean topic share per period (and group) with bootstrap intervals over documents; written
    as prevalence.csv (and prevalence_by_group.csv) and params.json."""

    table: pd.DataFrame
    by_group: pd.DataFrame | None
    period: str | None
    group: str | None
    n_dated: int
    n_undated: int
    notes: list[str]
    params: dict[str, Any] = field(default_factory=dict)
    float_format: ClassVar[str | None] = "%.6g"

    def tables(self) -> dict[str, pd.DataFrame]:
        out = {"prevalence": self.table}
        if self.by_group is not None:
            out["prevalence_by_group"] = self.by_group
        return out


def prevalence_over_time(doc_topics: pd.DataFrame, metadata: pd.DataFrame, *, period: str | None = "auto",
                         group: str | None = None, labels: dict[int, str] | None = None,
                         n_boot: int = N_BOOT, level: float = CI_LEVEL, seed: int = 0) -> Prevalence:
    """Mean topic share per period (each document counts once) with percentile bootstrap
    intervals over documents (`analysis.stats.bootstrap_mean_ci`), optionally per group.

    ``period``: a period of `analysis.preprocess.periods` ('auto' or None: `auto_period`; 'year',
    'quarter', 'month', 'decade', bins "1990-1999,2000-2009", 'all'). Undated documents are left out and counted. Asking
    for a finer period than some documents' dates allow (e.g. 'month' with year-only dates) is an
    error. With one period only, the table has that period and a note says change over time
    cannot be shown.
    """
    spec = check_period(period)
    dv = metadata.reindex(doc_topics.index)
    dated = dv["date"].map(lambda d: isinstance(d, str) and bool(d))
    n_undated = int((~dated).sum())
    notes: list[str] = []
    if n_undated:
        msg = f"{n_undated} of {len(dv)} documents have no date and are left out of prevalence over time"
        logger.warning(msg)
        notes.append(msg + ".")
    dt = doc_topics[dated.to_numpy()]
    dv = dv[dated.to_numpy()]
    k = doc_topics.shape[1]
    labels = labels or {}
    if dt.empty:
        notes.append("no dated documents: prevalence over time is empty.")
        cols = ["period", "topic", "share", "low", "high", "label", "n_docs"]
        return Prevalence(pd.DataFrame(columns=cols), None, period, group, 0, n_undated, notes,
                          _params(period, group, n_boot, level, seed, 0, n_undated))
    kind = auto_period(dv) if spec == "auto" else spec
    too_coarse = coarser_than(dv, kind)
    if too_coarse.any():
        counts = dv.loc[too_coarse.to_numpy(), "date_precision"].value_counts().to_dict()
        raise ParameterError(
            f"`period`={kind!r} needs dates with a month, but {int(too_coarse.sum())} dated "
            f"documents have a coarser date ({counts}); use period='year'.")
    placed = assign_periods(dv, kind, empty_ok=True)
    notes += placed.notes
    keep = placed.labels.notna().to_numpy()
    dt, dv = dt[keep], dv[keep]
    period = placed.kind if placed.kind != "bins" else spec
    periods = placed.labels[keep].to_numpy()
    table = _prevalence_table(dt.to_numpy(), periods, k, labels, n_boot, level, seed)
    n_periods = table["period"].nunique()
    if n_periods == 1:
        msg = (f"all dated documents fall in one {period} ({table['period'].iloc[0]}): the table "
               "gives that period's shares, but no change over time can be shown")
        logger.warning(msg)
        notes.append(msg + ".")
    by_group = None
    if group is not None:
        gv = group_labels(metadata, group)[0].reindex(dv.index)
        has = gv.notna().to_numpy()
        if (~has).any():
            notes.append(f"{int((~has).sum())} dated documents have no {group!r} and are left out of "
                         "prevalence by group.")
        parts = []
        for g_idx, g in enumerate(sorted(pd.unique(gv[has]).tolist(), key=str)):
            mask = (gv == g).to_numpy() & has
            part = _prevalence_table(dt.to_numpy()[mask], periods[mask], k, labels, n_boot, level,
                                     seed + 7919 * (g_idx + 1))
            part.insert(0, group, g)
            parts.append(part)
        by_group = pd.concat(parts, ignore_index=True) if parts else None
    logger.info("prevalence over %d %s periods from %d dated documents", n_periods, period, len(dt))
    return Prevalence(table, by_group, period, group, len(dt), n_undated, notes,
                      _params(period, group, n_boot, level, seed, len(dt), n_undated))


def _params(period: str | None, group: str | None, n_boot: int, level: float, seed: int, n_dated: int,
            n_undated: int) -> dict[str, Any]:
    return {"versions": versions(), "period": period, "group": group, "n_boot": n_boot, "level": level,
            "seed": seed, "n_dated": n_dated, "n_undated": n_undated}


def _prevalence_table(values: np.ndarray, periods: np.ndarray, k: int, labels: dict[int, str],
                      n_boot: int, level: float, seed: int) -> pd.DataFrame:
    rows = []
    for p_idx, p in enumerate(sorted(set(periods.tolist()))):
        x = values[periods == p]
        mean, low, high = bootstrap_mean_ci(x, n_boot=n_boot, level=level, seed=seed + p_idx)
        for t in range(k):
            rows.append((p, t, float(mean[t]), float(low[t]), float(high[t]), labels.get(t, str(t)), len(x)))
    return pd.DataFrame(rows, columns=["period", "topic", "share", "low", "high", "label", "n_docs"])
