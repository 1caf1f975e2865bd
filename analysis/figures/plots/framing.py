"""Plots of the framing tables: each takes a result table (or graph) and an optional Axes and
returns the Axes; notebooks save them with `analysis.figures.save`."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd
from matplotlib.axes import Axes

from analysis.errors import ParameterError
from analysis.figures.plots import LINESTYLES, band, get_axes, require_columns, series_colour
from analysis.figures.style import PALETTE
from analysis.preprocess.periods import is_yearly, period_position


def plot_frame_shares(shares: pd.DataFrame, ax: Axes | None = None, *, frames: Sequence[str] | None = None,
                      by: str = "frame", bands: bool = True) -> Axes:
    """Share of sentences with each frame over time, with the interval as a band.

    by="frame": one colour per frame, one line style per group; by="group": one colour per
    group, one line style per frame (for one frame and several groups).
    """
    require_columns(shares, ["period", "group", "frame", "share", "low", "high"], "plot_frame_shares")
    if by not in ("frame", "group"):
        raise ParameterError(f"`by` must be 'frame' or 'group'; got {by!r}.")
    ax = get_axes(ax, "double")
    table = shares if frames is None else shares[shares["frame"].isin(list(frames))]
    colour_key, style_key = ("frame", "group") if by == "frame" else ("group", "frame")
    colour_order = list(dict.fromkeys(table[colour_key]))
    style_order = list(dict.fromkeys(table[style_key]))
    for i, c in enumerate(colour_order):
        for j, st in enumerate(style_order):
            part = table[(table[colour_key] == c) & (table[style_key] == st)].sort_values("period")
            if part.empty:
                continue
            x = _x(part["period"])
            label = str(c) if len(style_order) == 1 else f"{c} / {st}"
            colour = series_colour(i)
            ax.plot(x, part["share"], color=colour, linestyle=LINESTYLES[j % len(LINESTYLES)],
                    label=label, marker="o", markersize=1.5)
            if bands:
                band(ax, x, part["low"], part["high"], colour, alpha=0.15)
    ax.set_ylabel("share of sentences")
    ax.set_xlabel("period")
    ax.set_ylim(bottom=0)
    if colour_order:
        ax.legend(loc="best", ncol=2 if len(colour_order) * len(style_order) > 4 else 1)
    return ax


def _x(periods: pd.Series) -> Any:
    """Years and decades on a numeric time axis (at the period's start), other periods
    (months, bins, 'all') as categories."""
    if is_yearly(periods):
        return periods.map(period_position).to_numpy(float)
    return periods.astype(str)


def plot_partner_trends(mentions: pd.DataFrame, ax: Axes | None = None, *, top: int = 6,
                        group: Any = None, value: str = "n_sentences") -> Axes:
    """Mentions of the `top` partners (most named over all periods) per period, one line each."""
    require_columns(mentions, ["period", "group", "partner", value], "plot_partner_trends")
    ax = get_axes(ax, "double")
    table = mentions if group is None else mentions[mentions["group"] == group]
    totals = table.groupby("partner")[value].sum().sort_values(ascending=False)
    names = list(totals.index[:top])
    wide = table[table["partner"].isin(names)].pivot_table(index="period", columns="partner", values=value,
                                                           aggfunc="sum", fill_value=0)
    periods = sorted(table["period"].unique())
    wide = wide.reindex(periods, fill_value=0)
    x = _x(pd.Series(wide.index))
    for i, name in enumerate(names):
        ax.plot(x, wide[name], color=series_colour(i), label=name, marker="o", markersize=1.5,
                linestyle=LINESTYLES[(i // len(PALETTE)) % len(LINESTYLES)])
    ax.set_ylabel("sentences naming the partner" if value == "n_sentences" else value)
    ax.set_xlabel("period")
    ax.set_ylim(bottom=0)
    if names:
        ax.legend(loc="best", ncol=2)
    return ax


def plot_partner_network(graph, ax: Axes | None = None, *, top: int = 25, seed: int = 0) -> Axes:
    """The co-mention network of the `top` most named partners: node size by mentions, edge
    width by co-mentions; spring layout (Fruchterman and Reingold 1991) with a fixed `seed` on
    log-scaled edge weights. Partners never named with another are left out of the drawing."""
    import networkx as nx

    ax = get_axes(ax, "double", 4.5)
    nodes = sorted(graph.nodes, key=lambda n: (-graph.nodes[n].get("count", 0), n))[:top]
    sub = graph.subgraph(nodes)
    if sub.number_of_edges():
        sub = sub.subgraph([n for n in sub.nodes if sub.degree(n) > 0])
    if sub.number_of_nodes() == 0:
        ax.text(0.5, 0.5, "no partners", ha="center", va="center", transform=ax.transAxes)
        ax.set_axis_off()
        return ax
    ordered = nx.Graph()
    ordered.add_nodes_from(sorted(sub.nodes(data=True)))
    ordered.add_edges_from(sorted((min(a, b), max(a, b), {**d, "layout": float(np.log1p(d.get("weight", 1)))})
                                  for a, b, d in sub.edges(data=True)))
    pos = nx.spring_layout(ordered, seed=seed, weight="layout", k=2.5 / np.sqrt(max(1, len(ordered))),
                           iterations=200)
    counts = np.array([ordered.nodes[n].get("count", 1) for n in ordered.nodes], dtype=float)
    sizes = 30 + 420 * np.sqrt(counts / counts.max())
    weights = np.array([d.get("weight", 1) for _, _, d in ordered.edges(data=True)], dtype=float)
    widths = 0.2 + 2.5 * weights / weights.max() if len(weights) else []
    colour = series_colour(0)
    nx.draw_networkx_edges(ordered, pos, ax=ax, width=widths, edge_color="#9A9A9A", alpha=0.5)
    nx.draw_networkx_nodes(ordered, pos, ax=ax, node_size=sizes, node_color=colour, alpha=0.8)
    nx.draw_networkx_labels(ordered, pos, ax=ax, font_size=6.5)
    ax.set_axis_off()
    return ax


def plot_evaluation(scores: pd.DataFrame, ax: Axes | None = None) -> Axes:
    """Precision, recall and F1 per frame with bootstrap intervals (an `Evaluation.scores` table)."""
    require_columns(scores, ["precision", "recall", "f1", "precision_low", "precision_high", "recall_low",
                             "recall_high", "f1_low", "f1_high"], "plot_evaluation")
    ax = get_axes(ax)
    metrics = ("precision", "recall", "f1")
    x = np.arange(len(scores))
    width = 0.26
    for j, m in enumerate(metrics):
        vals = scores[m].to_numpy(float)
        err = np.vstack([vals - scores[f"{m}_low"].to_numpy(float), scores[f"{m}_high"].to_numpy(float) - vals])
        ax.bar(x + (j - 1) * width, vals, width, yerr=np.clip(err, 0, None), color=series_colour(j),
               label=m if m != "f1" else "F1", capsize=2, error_kw={"linewidth": 0.6})
    ax.set_xticks(x)
    ax.set_xticklabels([str(i) for i in scores.index])
    ax.set_ylim(0, 1.05)
    ax.set_ylabel("score")
    ax.legend(loc="lower right", ncol=3)
    return ax
