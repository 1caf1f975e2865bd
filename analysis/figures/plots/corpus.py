"""Plots of the corpus overview: documents per period and group, and distributions of per-document
numbers such as length."""

from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.ticker import MaxNLocator

from analysis.errors import ParameterError
from analysis.figures.plots import get_axes, series_colour


def plot_counts(table: pd.DataFrame, ax: Axes | None = None, *, stacked: bool = True,
                xlabel: str | None = None, ylabel: str = "documents",
                legend_title: str | None = None) -> Axes:
    """Bars of counts: one bar per row (e.g. a year), one colour per column (e.g. a language),
    stacked by default. Numeric row labels (years) are placed on a numeric axis, so gaps in
    the index show as gaps."""
    if not isinstance(table, pd.DataFrame) or table.empty:
        raise ParameterError("`table` must be a non-empty DataFrame of counts (rows: periods, "
                             "columns: groups).")
    ax = get_axes(ax)
    numeric = pd.api.types.is_numeric_dtype(table.index)
    x = table.index.to_numpy(dtype=float) if numeric else np.arange(len(table))
    n = table.shape[1]
    width = 0.8 if stacked or n == 1 else 0.8 / n
    bottom = np.zeros(len(table))
    for i, column in enumerate(table.columns):
        values = table[column].fillna(0).to_numpy(dtype=float)
        colour = series_colour(i)
        if stacked:
            ax.bar(x, values, width=width, bottom=bottom, color=colour, label=str(column),
                   linewidth=0)
            bottom = bottom + values
        else:
            ax.bar(x + (i - (n - 1) / 2) * width, values, width=width, color=colour,
                   label=str(column), linewidth=0)
    if not numeric:
        ax.set_xticks(np.arange(len(table)), [str(v) for v in table.index], rotation=45,
                      ha="right")
    ax.set_xlabel(xlabel if xlabel is not None else str(table.index.name or ""))
    ax.set_ylabel(ylabel)
    ax.margins(x=0.01)
    if np.allclose(table.fillna(0).to_numpy(dtype=float) % 1, 0):
        ax.yaxis.set_major_locator(MaxNLocator(integer=True))
    if n > 1:  # one row above the plot, where it cannot cover a bar
        title = legend_title if legend_title is not None else table.columns.name
        ax.legend(title=None if title is None else str(title), ncols=min(n, 6),
                  loc="lower left", bbox_to_anchor=(0.0, 1.0), borderaxespad=0.2,
                  handlelength=1.2, columnspacing=1.2, alignment="left")
    return ax


def plot_distribution(frame: pd.DataFrame, column: str, *, by: str | None = None,
                      ax: Axes | None = None, bins: int = 30, xlabel: str | None = None,
                      ylabel: str = "documents") -> Axes:
    """Histogram of one numeric column, one outlined histogram per group of `by` on shared
    bins (so groups of different sizes stay readable)."""
    if column not in frame.columns or (by is not None and by not in frame.columns):
        missing = column if column not in frame.columns else by
        raise ParameterError(f"`frame` has no column {missing!r}; it has "
                             f"{', '.join(map(str, frame.columns))}.")
    values = pd.to_numeric(frame[column], errors="coerce")
    if values.notna().sum() == 0:
        raise ParameterError(f"column {column!r} has no numeric values to plot.")
    ax = get_axes(ax)
    edges = np.histogram_bin_edges(values.dropna().to_numpy(dtype=float), bins=bins)
    groups = [(None, values)] if by is None else \
        [(str(g), values[frame[by] == g]) for g in sorted(frame[by].dropna().unique(), key=str)]
    for i, (label, v) in enumerate(groups):
        v = v.dropna().to_numpy(dtype=float)
        colour = series_colour(i)
        ax.hist(v, bins=edges, histtype="stepfilled", color=colour, alpha=0.25, linewidth=0)
        ax.hist(v, bins=edges, histtype="step", color=colour, linewidth=1.1,
                label=None if label is None else f"{label} (n={len(v)})")
    ax.set_xlabel(xlabel if xlabel is not None else column)
    ax.set_ylabel(ylabel)
    ax.yaxis.set_major_locator(MaxNLocator(integer=True))
    if by is not None and len(groups) > 1:
        ax.legend(title=by)
    return ax


__all__ = ["plot_counts", "plot_distribution"]
