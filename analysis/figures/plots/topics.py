"""Plots of topic-model results: model selection, top terms, prevalence over time, the topic map,
and topics against covariates (expected shares over time, contrasts)."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from analysis.errors import ParameterError, check_choice
from analysis.figures.plots import axes_grid, band, get_axes, series_colour, wrap
from analysis.preprocess.periods import period_position


def plot_model_selection(table: pd.DataFrame, *, chosen_k: int | None = None,
                         min_stability: float | None = None, axes: Any = None) -> np.ndarray:
    """Coherence (c_npmi, c_v), held-out perplexity and stability against k, in three panels;
    `chosen_k` as a dashed line, `min_stability` (the selection's threshold, e.g.
    ``selection.min_stability``) as a dotted line on the stability panel."""
    flat = axes_grid(3, axes, ncols=3, panel=(2.4, 2.0))
    t = table.sort_values("k")
    ax = flat[0]
    ax.plot(t["k"], t["c_npmi"], marker="o", label="c_npmi")
    ax.plot(t["k"], t["c_v"], marker="s", label="c_v")
    ax.set_title("Coherence")
    ax.legend(frameon=False, fontsize="small")
    ax = flat[1]
    if t["perplexity"].notna().any():
        ax.plot(t["k"], t["perplexity"], marker="o", color=series_colour(2))
        ax.set_title("Held-out perplexity")
    else:
        ax.plot(t["k"], t["reconstruction_err"], marker="o", color=series_colour(2))
        ax.set_title("NMF reconstruction error")
    ax = flat[2]
    ax.errorbar(t["k"], t["stability"], yerr=t["stability_sd"], marker="o", color=series_colour(3), capsize=2)
    if min_stability is not None:
        ax.axhline(min_stability, color="grey", lw=0.8, ls=":")
    ax.set_ylim(0, 1.02)
    ax.set_title("Stability across seeds")
    for ax in flat[:3]:
        ax.set_xlabel("k (topics)")
        if chosen_k is not None:
            ax.axvline(chosen_k, color="black", lw=0.8, ls="--")
    return flat[:3]


def plot_top_terms(terms: pd.DataFrame, *, labels: dict[int, str] | None = None, n: int = 10,
                   by: str = "prob", axes: Any = None) -> np.ndarray:
    """Small multiples: each topic's top `n` terms as horizontal bars (probability, or FREX order)."""
    check_choice("by", by, ("prob", "frex"))
    sel = terms[(terms["by"] == by) & (terms["rank"] <= n)]
    topics = sorted(sel["topic"].unique())
    flat = axes_grid(len(topics), axes, panel=(2.2, 0.22 * n + 0.6))
    for ax, t in zip(flat, topics, strict=False):
        d = sel[sel["topic"] == t].sort_values("rank")
        ax.barh(range(len(d))[::-1], d["prob"], color=series_colour(0))
        ax.set_yticks(range(len(d))[::-1], d["term"], fontsize="x-small")
        ax.set_title(wrap(f"{t}: {labels[t]}" if labels else f"Topic {t}"), fontsize="small")
        ax.tick_params(axis="x", labelsize="x-small", labelbottom=True)
    return flat[: len(topics)]


def plot_prevalence(prevalence: pd.DataFrame, *, labels: dict[int, str] | None = None,
                    group: str | None = None, max_groups: int = 5, axes: Any = None) -> np.ndarray:
    """Small multiples: each topic's mean share per period with its bootstrap band (or, with
    `group`, one line per group for the `max_groups` groups with most documents)."""
    if prevalence.empty:
        raise ParameterError("the prevalence table is empty (no dated documents).")
    topics = sorted(prevalence["topic"].unique())
    flat = axes_grid(len(topics), axes)
    p = prevalence.assign(x=prevalence["period"].map(period_position))
    single = p["period"].nunique() == 1
    groups = [None]
    if group is not None:
        size = p[p["topic"] == topics[0]].groupby(group)["n_docs"].sum().sort_values(ascending=False, kind="stable")
        groups = list(size.index[:max_groups])
    for ax, t in zip(flat, topics, strict=False):
        for g_idx, g in enumerate(groups):
            d = p[(p["topic"] == t) & ((p[group] == g) if g is not None else True)].sort_values("x")
            colour = series_colour(g_idx)
            if single:
                ax.errorbar(d["x"], d["share"], yerr=[d["share"] - d["low"], d["high"] - d["share"]],
                            fmt="o", color=colour, capsize=3, label=g)
            else:
                band(ax, d["x"], d["low"], d["high"], colour, alpha=0.2)
                ax.plot(d["x"], d["share"], color=colour, lw=1.2, label=g)
        name = labels.get(t) if labels else (p.loc[p["topic"] == t, "label"].iloc[0] if "label" in p else None)
        ax.set_title(wrap(f"{t}: {name}" if name else f"Topic {t}"), fontsize="small")
        ax.set_ylim(bottom=0)
        ax.tick_params(labelsize="x-small", labelbottom=True)
        if single:
            ax.text(0.5, 0.95, "one period only: no trend", transform=ax.transAxes, ha="center",
                    va="top", fontsize="x-small", color="grey")
    if group is not None:
        flat[0].legend(frameon=False, fontsize="xx-small")
    return flat[: len(topics)]


def plot_topic_map(topic_map_table: pd.DataFrame, *, ax: Any = None, max_size: float = 2500.0):
    """Topics placed by classical MDS of Jensen-Shannon distances, area proportional to prevalence."""
    ax = get_axes(ax, "single", height=3.5)
    m = topic_map_table
    size = max_size * m["prevalence"] / m["prevalence"].max()
    ax.scatter(m["x"], m["y"], s=size, alpha=0.35, color=series_colour(0), edgecolor=series_colour(0),
               linewidth=0.8)
    for row in m.itertuples(index=False):
        ax.annotate(wrap(f"{row.topic}: {row.label}", 18), (row.x, row.y), ha="center",
                    va="center", fontsize="x-small")
    span = max(np.ptp(m["x"]), np.ptp(m["y"]), 1e-9)
    pad = 0.25 * span
    ax.set_xlim(m["x"].min() - pad, m["x"].max() + pad)
    ax.set_ylim(m["y"].min() - pad, m["y"].max() + pad)
    ax.set_xlabel("MDS dimension 1 (Jensen-Shannon distance)")
    ax.set_ylabel("MDS dimension 2")
    ax.set_aspect("equal", adjustable="datalim")
    ax.axhline(0, color="grey", lw=0.4)
    ax.axvline(0, color="grey", lw=0.4)
    return ax


def plot_effect_over_time(over_time: pd.DataFrame, *, labels: dict[int, str] | None = None,
                          time: str = "year", max_groups: int = 5, axes: Any = None) -> np.ndarray:
    """Small multiples: each topic's expected share over time with its interval band, one line
    per group (the `max_groups` first levels)."""
    if over_time is None or over_time.empty:
        raise ParameterError("there is no expected share over time (the formula has no time term).")
    topics = sorted(over_time["topic"].unique())
    flat = axes_grid(len(topics), axes)
    groups = list(dict.fromkeys(over_time["group"]))[:max_groups]
    for ax, t in zip(flat, topics, strict=False):
        for g_idx, g in enumerate(groups):
            d = over_time[(over_time["topic"] == t) & (over_time["group"] == g)].sort_values(time)
            colour = series_colour(g_idx)
            band(ax, d[time], d["ci_low"], d["ci_high"], colour, alpha=0.2)
            ax.plot(d[time], d["estimate"], color=colour, lw=1.2, label=g)
        name = labels.get(t) if labels else None
        ax.set_title(wrap(f"{t}: {name}" if name else f"Topic {t}"), fontsize="small")
        ax.tick_params(labelsize="x-small", labelbottom=True)
    if len(groups) > 1 or groups != ["all"]:
        flat[0].legend(frameon=False, fontsize="xx-small")
    return flat[: len(topics)]


def plot_contrasts(effects: pd.DataFrame, *, contrasts: list[str] | None = None,
                   labels: dict[int, str] | None = None, ax: Any = None):
    """Coefficient plot: each topic's contrast estimate with its interval, topics down the side,
    one marker colour per contrast, and a line at zero."""
    names = list(dict.fromkeys(effects["contrast"])) if contrasts is None else list(contrasts)
    unknown = [c for c in names if c not in set(effects["contrast"])]
    if unknown:
        raise ParameterError(f"no contrast {unknown[0]!r} in the table; it has: "
                             f"{', '.join(dict.fromkeys(effects['contrast']))}.")
    topics = sorted(effects["topic"].unique())
    ax = get_axes(ax, "single", height=0.32 * len(topics) + 1.0)
    step = 0.7 / max(1, len(names))
    for c_idx, c in enumerate(names):
        d = effects[effects["contrast"] == c].set_index("topic").reindex(topics)
        y = np.arange(len(topics))[::-1] - (c_idx - (len(names) - 1) / 2) * step
        ax.errorbar(d["estimate"], y, xerr=[d["estimate"] - d["ci_low"], d["ci_high"] - d["estimate"]],
                    fmt="o", color=series_colour(c_idx), capsize=2, ms=3, lw=1, label=c)
    ax.axvline(0, color="grey", lw=0.8, ls="--")
    ticks = [wrap(f"{t}: {labels[t]}" if labels and t in labels else f"Topic {t}", 34) for t in topics]
    ax.set_yticks(np.arange(len(topics))[::-1], ticks, fontsize="x-small")
    ax.set_xlabel("difference in expected topic share")
    ax.grid(axis="x", color="#E3E3E3", lw=0.5)
    if len(names) > 1:
        ax.legend(frameon=False, fontsize="xx-small", loc="lower left", bbox_to_anchor=(0.0, 1.0),
                  borderaxespad=0.2)
    return ax
