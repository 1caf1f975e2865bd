"""Plots of the trend tables: each takes a result table and an optional Axes and returns the
Axes (no saving; notebooks call `analysis.figures.save`)."""

from __future__ import annotations

from collections.abc import Sequence

import matplotlib as mpl
import numpy as np
import pandas as pd
from matplotlib.axes import Axes

from analysis.errors import ParameterError
from analysis.figures.plots import band, get_axes, require_columns, series_colour, wrap


def plot_trends(rates: pd.DataFrame, terms: Sequence[str] | None = None, *, group: str | None = None,
                bands: bool = True, ax: Axes | None = None) -> Axes:
    """Rate per 10,000 tokens over time, one line per term (or, for one term of a grouped
    table, one line per group), with the interval as a band. Periods without documents are
    gaps, not zeros."""
    require_columns(rates, ["term", "time", "rate_per_10k", "low", "high"], "plot_trends")
    ax = get_axes(ax)
    table = rates
    if terms is not None:
        table = table[table["term"].isin(list(terms))]
    if group is not None:
        if "group" not in table.columns:
            raise ParameterError("`group` given but the rates table has no group column.")
        table = table[table["group"] == group]
    grouped = "group" in table.columns and table["group"].nunique() > 1
    keys = ["term", "group"] if grouped else ["term"]
    order = list(dict.fromkeys(map(tuple, table[keys].itertuples(index=False, name=None))))
    for i, key in enumerate(order):
        sel = np.ones(len(table), dtype=bool)
        for col, val in zip(keys, key, strict=True):
            sel &= (table[col] == val).to_numpy()
        part = table[sel].sort_values("time")
        colour = series_colour(i)
        label = " / ".join(str(k) for k in key) if len(order) > 1 else str(key[-1])
        if grouped and table["term"].nunique() == 1:
            label = str(key[1])
        ax.plot(part["time"], part["rate_per_10k"], color=colour, label=label, marker="o", markersize=2)
        if bands:
            band(ax, part["time"], part["low"], part["high"], colour)
    ax.set_ylabel("per 10,000 tokens")
    ax.set_xlabel("year")
    ax.set_ylim(bottom=0)
    if len(order) > 1:
        ax.legend(loc="best")
    elif order:
        ax.set_title(wrap(str(order[0][0]).replace("|", " | "), 36), fontsize="small")
    return ax


def plot_keyness(table: pd.DataFrame, *, n: int = 12, target: str = "target", reference: str = "reference",
                 ax: Axes | None = None) -> Axes:
    """Two-sided keyness chart: the `n` terms most key for each side (by G²), bars of their
    log ratio (right: more frequent in the target; left: in the reference)."""
    require_columns(table, ["term", "key_for", "g2", "log_ratio"], "plot_keyness")
    top_t = table[table["key_for"] == "target"].nlargest(n, "g2")
    top_r = table[table["key_for"] == "reference"].nlargest(n, "g2")
    both = pd.concat([top_r.sort_values("log_ratio"), top_t.sort_values("log_ratio")])
    ax = get_axes(ax, "single", max(2.0, 0.16 * len(both) + 0.8))
    y = np.arange(len(both))
    ax.barh(y, both["log_ratio"], color=[series_colour(0 if v > 0 else 1) for v in both["log_ratio"]])
    ax.set_yticks(y, both["term"])
    ax.axvline(0, color="#333333", linewidth=0.6)
    ax.set_xlabel(f"log2 ratio of rates\n← {reference} | {target} →")
    ax.grid(axis="x", visible=True)
    ax.grid(axis="y", visible=False)
    return ax


def plot_heatmap(rates: pd.DataFrame, terms: Sequence[str] | None = None, *, group: str | None = None,
                 ax: Axes | None = None) -> Axes:
    """Term x period heat map of the rate per 10,000 tokens; periods without documents are
    hatched grey (missing, not zero)."""
    require_columns(rates, ["term", "period", "rate_per_10k"], "plot_heatmap")
    table = rates
    if group is not None:
        table = table[table["group"] == group]
    elif "group" in table.columns and table["group"].nunique() > 1:
        raise ParameterError("the rates table has several groups; choose one with `group=`.")
    if terms is not None:
        table = table[table["term"].isin(list(terms))]
    term_order = list(dict.fromkeys(table["term"])) if terms is None else [t for t in terms if t in set(table["term"])]
    period_order = list(dict.fromkeys(table["period"]))
    grid = table.pivot(index="term", columns="period", values="rate_per_10k").reindex(
        index=term_order, columns=period_order)
    ax = get_axes(ax, "double", max(1.6, 0.22 * len(term_order) + 1.0))
    values = np.ma.masked_invalid(grid.to_numpy(dtype=float))
    cmap = mpl.colormaps["viridis"].with_extremes(bad="#DDDDDD")
    im = ax.imshow(values, aspect="auto", cmap=cmap, interpolation="nearest")
    missing = np.argwhere(np.ma.getmaskarray(values))
    for r, c in missing:
        ax.add_patch(mpl.patches.Rectangle((c - 0.5, r - 0.5), 1, 1, fill=False, hatch="///",
                                           edgecolor="#AAAAAA", linewidth=0))
    ax.set_yticks(np.arange(len(term_order)), term_order)
    step = max(1, len(period_order) // 14)
    ax.set_xticks(np.arange(0, len(period_order), step), period_order[::step], rotation=90)
    ax.grid(False)
    ax.figure.colorbar(im, ax=ax, label="per 10,000 tokens", shrink=0.9)
    return ax


def plot_dispersion(positions: pd.DataFrame, documents: pd.DataFrame | None = None, *,
                    terms: Sequence[str] | None = None, ax: Axes | None = None) -> Axes:
    """Lexical dispersion plot: a tick for each occurrence of each term along the corpus in
    date order (x: token offset; year labels when `documents` is given)."""
    require_columns(positions, ["term", "offset"], "plot_dispersion")
    order = list(terms) if terms is not None else list(dict.fromkeys(positions["term"]))
    ax = get_axes(ax, "double", max(1.4, 0.25 * len(order) + 0.8))
    for i, term in enumerate(order):
        x = positions.loc[positions["term"] == term, "offset"].to_numpy()
        ax.plot(x, np.full(len(x), i), linestyle="none", marker="|", markersize=8,
                color=series_colour(i))
    ax.set_yticks(np.arange(len(order)), order)
    ax.set_ylim(-0.7, len(order) - 0.3)
    ax.invert_yaxis()
    if documents is not None and len(documents):
        require_columns(documents, ["year", "start", "n_tokens"], "plot_dispersion documents")
        dated = documents.dropna(subset=["year"])
        first = dated.groupby("year")["start"].min()
        step = max(1, len(first) // 10)
        ticks = first.iloc[::step]
        ax.set_xticks(ticks.to_numpy(), [str(int(y)) for y in ticks.index])
        ax.set_xlim(0, float(documents["start"].iloc[-1] + documents["n_tokens"].iloc[-1]))
        ax.set_xlabel("corpus in date order (token offset; labels: first document of the year)")
    else:
        ax.set_xlabel("token offset in the corpus (date order)")
    ax.grid(axis="x", visible=True)
    ax.grid(axis="y", visible=False)
    return ax
