"""The house style: the colour-blind-safe palette, journal column widths, the rcParams that make
figures look alike and save byte-identically, and `figure()`, the one way to start a figure."""

from __future__ import annotations

import contextlib
from pathlib import Path
from typing import Any

import matplotlib
import matplotlib.pyplot as plt
import numpy as np
from matplotlib.figure import Figure

from analysis.errors import ParameterError

PNG_DPI = 300

# Okabe & Ito (2008), "Color Universal Design": distinguishable with every common form of
# colour-vision deficiency. Ordered for plotting: yellow (weak on white) and black come last.
PALETTE_NAMES: dict[str, str] = {
    "blue": "#0072B2",
    "orange": "#E69F00",
    "bluish_green": "#009E73",
    "vermillion": "#D55E00",
    "reddish_purple": "#CC79A7",
    "sky_blue": "#56B4E9",
    "yellow": "#F0E442",
    "black": "#000000",
}
PALETTE: tuple[str, ...] = tuple(PALETTE_NAMES.values())
GREY = "#6E6E6E"

# Column widths of a typical two-column journal page, in inches.
WIDTHS = {"single": 3.5, "double": 7.2}
# Height of one row of panels when `height` is not given, in inches.
ROW_HEIGHTS = {"single": 2.4, "double": 2.9}

SVG_HASH_SALT = "security-discourse-toolkit"

RC: dict[str, Any] = {
    "font.family": "sans-serif",
    "font.sans-serif": ["DejaVu Sans"],
    "font.size": 8.0,
    "axes.titlesize": 9.0,
    "axes.titleweight": "normal",
    "axes.labelsize": 8.0,
    "xtick.labelsize": 7.5,
    "ytick.labelsize": 7.5,
    "legend.fontsize": 7.5,
    "legend.title_fontsize": 8.0,
    "legend.frameon": False,
    "figure.titlesize": 9.0,
    "axes.prop_cycle": matplotlib.cycler(color=list(PALETTE)),
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.linewidth": 0.6,
    "axes.edgecolor": "#333333",
    "axes.labelcolor": "#222222",
    "axes.grid": True,
    "axes.grid.axis": "y",
    "axes.axisbelow": True,
    "grid.color": "#E3E3E3",
    "grid.linewidth": 0.5,
    "grid.linestyle": "-",
    "xtick.color": "#333333",
    "ytick.color": "#333333",
    "xtick.major.width": 0.6,
    "ytick.major.width": 0.6,
    "xtick.major.size": 3.0,
    "ytick.major.size": 3.0,
    "lines.linewidth": 1.3,
    "lines.markersize": 3.5,
    "patch.linewidth": 0.5,
    "figure.dpi": 150,  # on screen (notebooks); files are saved at PNG_DPI
    "figure.facecolor": "white",
    "axes.facecolor": "white",
    "savefig.facecolor": "white",
    "savefig.dpi": PNG_DPI,
    "figure.constrained_layout.use": True,
    # Reproducible, editable files: text stays text in SVG and PDF (TrueType in PDF).
    "svg.fonttype": "none",
    "svg.hashsalt": SVG_HASH_SALT,
    "pdf.fonttype": 42,
    "ps.fonttype": 42,
    "path.simplify": True,
}

_FONTS_PINNED = False


def pin_bundled_fonts() -> None:
    """Use matplotlib's own DejaVu files for the house font, never a system copy of DejaVu: another
    version renders the same glyphs but embeds other bytes in PDF, so the figures' bytes would depend
    on the fonts a machine happens to have (and on which copy matplotlib's font cache lists first)."""
    global _FONTS_PINNED
    if _FONTS_PINNED:
        return
    from matplotlib import font_manager

    bundled = Path(matplotlib.get_data_path()) / "fonts" / "ttf"
    manager = font_manager.fontManager
    manager.ttflist = [f for f in manager.ttflist
                       if not (f.name.startswith("DejaVu") and Path(f.fname).parent != bundled)]
    listed = {f.fname for f in manager.ttflist}
    for path in sorted(bundled.glob("DejaVu*.ttf")):
        if str(path) not in listed:
            manager.addfont(str(path))
    font_manager.FontManager._findfont_cached.cache_clear()
    _FONTS_PINNED = True


class _Style(contextlib.AbstractContextManager):
    """House style applied on creation; as a context manager, the old rcParams come back on exit."""

    def __init__(self) -> None:
        pin_bundled_fonts()
        self._saved = dict(matplotlib.rcParams.copy())
        matplotlib.rcParams.update(RC)

    def __exit__(self, *exc: object) -> None:
        dict.update(matplotlib.rcParams, self._saved)


def style() -> _Style:
    """Apply the house style to matplotlib's rcParams.

    Call it as a function to switch the style on for the session (what `figure()` does), or
    use `with style(): ...` to restore the previous settings afterwards.
    """
    return _Style()


def figure(width: str = "single", height: float | None = None, nrows: int = 1, ncols: int = 1,
           **kw: Any) -> tuple[Figure, Any]:
    """A new figure in the house style, sized for a journal column.

    Parameters
    ----------
    width : "single" (3.5 in, one column) or "double" (7.2 in, full page width).
    height : inches; default a row height suited to the width, times `nrows`.
    nrows, ncols : the panel grid, as in `plt.subplots`.
    **kw : passed on to `plt.subplots` (e.g. `sharex=True`, `gridspec_kw=...`).

    Returns
    -------
    (fig, ax) with ax one Axes, or an array of Axes when nrows * ncols > 1.
    """
    if width not in WIDTHS:
        raise ParameterError(f"`width` must be one of {', '.join(map(repr, WIDTHS))}; got {width!r}.")
    nrows = _positive_int("nrows", nrows)
    ncols = _positive_int("ncols", ncols)
    if height is None:
        height = ROW_HEIGHTS[width] * (1 if nrows == 1 else 0.8 * nrows)
    elif not (isinstance(height, int | float) and 0 < height <= 20):
        raise ParameterError(f"`height` must be a number of inches in (0, 20]; got {height!r}.")
    style()
    fig, axes = plt.subplots(nrows, ncols, figsize=(WIDTHS[width], float(height)), **kw)
    return fig, axes


def _positive_int(name: str, value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int | np.integer) or value < 1:
        raise ParameterError(f"`{name}` must be an int >= 1; got {value!r}.")
    return int(value)


__all__ = ["GREY", "PALETTE", "PALETTE_NAMES", "PNG_DPI", "RC", "ROW_HEIGHTS", "WIDTHS", "figure", "style"]
