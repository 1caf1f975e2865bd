"""Plots of the methods' result tables, one module per method (`corpus`, `topics`, `trends`,
`framing`), and the one helper set they share.

Every plot function takes a result table and an optional Axes (or array of Axes), draws in the
house style and returns what it drew on; none saves (notebooks and the CLI call
`analysis.figures.save`). Call them as `analysis.figures.plots.<method>.<plot_fn>`.
"""

from __future__ import annotations

import math
import textwrap
from collections.abc import Sequence
from typing import Any

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.axes import Axes

from analysis.errors import ParameterError
from analysis.figures.style import PALETTE, figure, style

# Line styles that tell series of one colour apart (after the colours run out, or per group).
LINESTYLES = ("-", "--", ":", "-.")


def get_axes(ax: Axes | None, width: str = "single", height: float | None = None) -> Axes:
    """`ax`, or the Axes of a new house-style figure of that width and height."""
    if ax is not None:
        return ax
    _, ax = figure(width, height)
    return ax


def series_colour(i: int) -> str:
    """The i-th colour of the palette, starting over when it runs out."""
    return PALETTE[i % len(PALETTE)]


def require_columns(table: pd.DataFrame, cols: Sequence[str], what: str) -> None:
    """A ParameterError naming the columns `what` needs that `table` lacks."""
    missing = [c for c in cols if c not in table.columns]
    if missing:
        raise ParameterError(f"{what} needs a table with columns {', '.join(cols)}; missing {', '.join(missing)}.")


def band(ax: Axes, x: Any, low: Any, high: Any, colour: str, alpha: float = 0.18) -> None:
    """An interval drawn as a translucent band without an outline."""
    ax.fill_between(x, low, high, color=colour, alpha=alpha, linewidth=0)


def wrap(text: str, width: int = 30) -> str:
    """`text` broken into lines of at most `width` characters (for titles and tick labels)."""
    return "\n".join(textwrap.wrap(str(text), width)) or str(text)


def grid_shape(n: int, ncols: int = 4) -> tuple[int, int]:
    """Rows and columns of a small-multiple grid for `n` panels."""
    ncols = max(1, min(ncols, n))
    return math.ceil(n / ncols), ncols


def axes_grid(n: int, axes: Any, ncols: int = 4, panel: tuple[float, float] = (2.2, 1.8)) -> np.ndarray:
    """`n` panels as a flat array: the given axes (the unused ones hidden), or a new house-style
    grid of `panel`-sized (width, height in inches) panels sharing the x axis."""
    if axes is None:
        nrows, ncols = grid_shape(n, ncols)
        style()
        _, axes = plt.subplots(nrows, ncols, figsize=(panel[0] * ncols, panel[1] * nrows),
                               squeeze=False, sharex=True)
    flat = np.atleast_1d(np.asarray(axes, dtype=object)).ravel()
    if len(flat) < n:
        raise ParameterError(f"{n} panels need at least {n} axes; got {len(flat)}.")
    for ax in flat[n:]:
        ax.set_visible(False)
    return flat


__all__ = ["LINESTYLES", "axes_grid", "band", "get_axes", "grid_shape",
           "require_columns", "series_colour", "wrap"]
