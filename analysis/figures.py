"""Figures people cite: the house style, `save` with byte-identical reruns, and the manifest.

The one way to make a figure in the toolkit:

>>> fig, ax = figure("single")
>>> ax.plot(table["year"], table["share"])                       # doctest: +SKIP
>>> save(fig, "topic-shares", caption="...", data=table, source=corpus,
...      params={"k": 12, "seed": 0}, notebook="02_topics")       # doctest: +SKIP

`save` writes `<out_dir>/<id>.png` (300 dpi), `.svg` and `.pdf`, the data behind the figure as
`<out_dir>/data/<id>.csv`, and records the figure in `<out_dir>/manifest.json` (corpus name and
content hash, parameters, toolkit version, git commit) from which `<out_dir>/README.md` (a
gallery with captions and a citation line per figure) is regenerated. The same figure saved
twice gives the same bytes: no dates or software versions in the files, a fixed SVG hash salt.

Plot functions in the method modules take a result table and an optional `ax` and return the
Axes; only notebooks and the CLI call `save`.
"""

from __future__ import annotations

import contextlib
import csv
import hashlib
import io
import json
import logging
import math
import os
import re
import subprocess
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import matplotlib
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.layout_engine import ConstrainedLayoutEngine
from matplotlib.ticker import MaxNLocator

from analysis import __version__
from analysis.errors import ParameterError, UserError
from analysis.paths import resolve

logger = logging.getLogger(__name__)

TOOLKIT_NAME = "Security Discourse Toolkit"
MANIFEST_NAME = "manifest.json"
README_NAME = "README.md"
DATA_DIR = "data"
FORMATS = ("png", "svg", "pdf")
PNG_DPI = 300
SYNTHETIC_CAPTION = "(synthetic demo corpus)"
SYNTHETIC_MARK = "SYNTHETIC DATA"
_MARK_GID = "analysis-synthetic-mark"

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

# Keys applied around every save whatever the caller did to rcParams: they decide file bytes.
_SAVE_RC = {k: RC[k] for k in ("svg.fonttype", "svg.hashsalt", "pdf.fonttype", "savefig.dpi",
                               "savefig.facecolor")}

_METADATA = {
    "png": {"Software": None},
    "svg": {"Date": None, "Creator": None},
    "pdf": {"Creator": None, "Producer": None, "CreationDate": None, "ModDate": None},
}

_ID_PATTERN = re.compile(r"^[a-z0-9][a-z0-9_.-]*$")


class _Style(contextlib.AbstractContextManager):
    """House style applied on creation; as a context manager, the old rcParams come back on exit."""

    def __init__(self) -> None:
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


def plot_counts(table: pd.DataFrame, ax: Axes | None = None, *, stacked: bool = True,
                xlabel: str | None = None, ylabel: str = "documents",
                legend_title: str | None = None) -> Axes:
    """Bars of counts: one bar per row (e.g. a year), one colour per column (e.g. a language),
    stacked by default. Numeric row labels (years) are placed on a numeric axis, so gaps in
    the index show as gaps."""
    if not isinstance(table, pd.DataFrame) or table.empty:
        raise ParameterError("`table` must be a non-empty DataFrame of counts (rows: periods, "
                             "columns: groups).")
    if ax is None:
        _, ax = figure("single")
    numeric = pd.api.types.is_numeric_dtype(table.index)
    x = table.index.to_numpy(dtype=float) if numeric else np.arange(len(table))
    n = table.shape[1]
    width = 0.8 if stacked or n == 1 else 0.8 / n
    bottom = np.zeros(len(table))
    for i, column in enumerate(table.columns):
        values = table[column].fillna(0).to_numpy(dtype=float)
        colour = PALETTE[i % len(PALETTE)]
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
    if ax is None:
        _, ax = figure("single")
    edges = np.histogram_bin_edges(values.dropna().to_numpy(dtype=float), bins=bins)
    groups = [(None, values)] if by is None else \
        [(str(g), values[frame[by] == g]) for g in sorted(frame[by].dropna().unique(), key=str)]
    for i, (label, v) in enumerate(groups):
        v = v.dropna().to_numpy(dtype=float)
        colour = PALETTE[i % len(PALETTE)]
        ax.hist(v, bins=edges, histtype="stepfilled", color=colour, alpha=0.25, linewidth=0)
        ax.hist(v, bins=edges, histtype="step", color=colour, linewidth=1.1,
                label=None if label is None else f"{label} (n={len(v)})")
    ax.set_xlabel(xlabel if xlabel is not None else column)
    ax.set_ylabel(ylabel)
    ax.yaxis.set_major_locator(MaxNLocator(integer=True))
    if by is not None and len(groups) > 1:
        ax.legend(title=by)
    return ax


def _positive_int(name: str, value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int | np.integer) or value < 1:
        raise ParameterError(f"`{name}` must be an int >= 1; got {value!r}.")
    return int(value)


# --- sources: where the data came from ---------------------------------------------------

def describe_source(source: Any) -> dict[str, Any]:
    """Name, content hash and synthetic flag of what a figure was made from.

    Accepts a `Corpus`, a `Tokens` (or any object with `corpus_name` / `corpus_hash`), a plain
    dict `{"name", "hash", "synthetic"}`, or None.
    """
    if source is None:
        return {"name": None, "hash": None, "synthetic": False}
    if isinstance(source, Mapping):
        unknown = set(source) - {"name", "hash", "synthetic"}
        if unknown:
            raise ParameterError(f"`source` dict takes the keys 'name', 'hash', 'synthetic'; "
                                 f"got also {', '.join(sorted(map(str, unknown)))}.")
        return {"name": _opt_str(source.get("name")), "hash": _opt_str(source.get("hash")),
                "synthetic": bool(source.get("synthetic", False))}
    if hasattr(source, "corpus_hash"):  # Tokens, or a result object that carries its corpus
        return {"name": _opt_str(getattr(source, "corpus_name", None)),
                "hash": _opt_str(source.corpus_hash), "synthetic": _synthetic_flag(source)}
    if hasattr(source, "hash") and hasattr(source, "name"):  # Corpus
        return {"name": _opt_str(source.name), "hash": _opt_str(source.hash),
                "synthetic": _synthetic_flag(source)}
    raise ParameterError("`source` must be a Corpus, Tokens, a dict {'name', 'hash', 'synthetic'} "
                         f"or None; got {type(source).__name__}.")


def _opt_str(value: Any) -> str | None:
    return None if value is None else str(value)


def _synthetic_flag(source: Any) -> bool:
    """`is_synthetic` when the object has it; else `info["synthetic"]`; else a `synthetic`
    column of the metadata (`docvars`/`metadata`) that is true for every document."""
    flag = getattr(source, "is_synthetic", None)
    if flag is not None:
        return bool(flag)
    info = getattr(source, "info", None)
    if isinstance(info, Mapping) and "synthetic" in info:
        return bool(info["synthetic"])
    for attr in ("docvars", "metadata"):
        frame = getattr(source, attr, None)
        if isinstance(frame, pd.DataFrame) and "synthetic" in frame.columns and len(frame):
            values = frame["synthetic"]
            return bool(values.map(lambda v: str(v).strip().lower() in ("true", "1", "yes")).all())
    return False


def label_caption(caption: str, synthetic: bool) -> str:
    """The caption, with "(synthetic demo corpus)" appended when the data are synthetic."""
    caption = caption.strip()
    if synthetic and SYNTHETIC_CAPTION not in caption:
        caption = f"{caption} {SYNTHETIC_CAPTION}"
    return caption


# --- provenance --------------------------------------------------------------------------

def toolkit_root() -> Path:
    """The folder that holds the `analysis` package (the project root in a checkout)."""
    return Path(__file__).resolve().parents[1]


# What a figure depends on: dirty means one of these differs from the commit. Output folders
# (figures/, reports/) are left out, or saving the first figure would make the tree dirty.
_DIRTY_PATHS = ("analysis", "notebooks", "corpus", "pyproject.toml")


def git_state(root: Path | None = None) -> dict[str, Any]:
    """`{"commit": sha or None, "dirty": bool or None}` of the toolkit's checkout.

    dirty is true when the code, notebooks or corpora have changes that are not committed
    (untracked files included); both are None outside a git checkout or without git.
    """
    root = Path(root or toolkit_root())
    try:
        commit = subprocess.run(["git", "rev-parse", "--verify", "-q", "HEAD"], cwd=root,
                                capture_output=True, text=True, timeout=30)
        if commit.returncode != 0:
            inside = subprocess.run(["git", "rev-parse", "--is-inside-work-tree"], cwd=root,
                                    capture_output=True, text=True, timeout=30)
            if inside.returncode != 0:
                return {"commit": None, "dirty": None}
            sha = None  # a repository without commits yet
        else:
            sha = commit.stdout.strip() or None
        status = subprocess.run(["git", "status", "--porcelain", "--", *_DIRTY_PATHS], cwd=root,
                                capture_output=True, text=True, timeout=60)
    except (OSError, subprocess.SubprocessError):
        return {"commit": None, "dirty": None}
    if status.returncode != 0:
        return {"commit": sha, "dirty": None}
    return {"commit": sha, "dirty": bool(status.stdout.strip())}


def _jsonable(value: Any, where: str = "params") -> Any:
    """Plain JSON values (sorted dict keys happen at dump time); refuses what JSON cannot hold."""
    if value is None or isinstance(value, bool | str):
        return value
    if isinstance(value, np.bool_):
        return bool(value)
    if isinstance(value, int | np.integer):
        return int(value)
    if isinstance(value, float | np.floating):
        value = float(value)
        return value if math.isfinite(value) else None
    if isinstance(value, Path):
        return value.as_posix()
    if isinstance(value, Mapping):
        return {str(k): _jsonable(v, f"{where}[{k!r}]") for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset | np.ndarray | pd.Index):
        items = list(value)
        if isinstance(value, set | frozenset):
            items = sorted(items, key=repr)
        return [_jsonable(v, where) for v in items]
    if hasattr(value, "__dataclass_fields__"):
        import dataclasses

        return _jsonable(dataclasses.asdict(value), where)
    raise ParameterError(f"`{where}` holds a {type(value).__name__} ({value!r:.60}), which a JSON "
                         "manifest cannot record; pass numbers, strings, lists or dicts.")


# --- data tables -------------------------------------------------------------------------

def _format_cell(value: Any) -> str:
    if value is None or value is pd.NA or value is pd.NaT:
        return ""
    if isinstance(value, bool | np.bool_):
        return "true" if value else "false"
    if isinstance(value, float | np.floating):
        if math.isnan(value):
            return ""
        if math.isinf(value):
            return "inf" if value > 0 else "-inf"
        return repr(round(float(value), 12))
    if isinstance(value, int | np.integer):
        return str(int(value))
    if isinstance(value, pd.Timestamp):
        return value.isoformat()
    return str(value)


def data_csv(data: pd.DataFrame | pd.Series) -> str:
    """The table as CSV text, byte-stable: a named or non-default index becomes columns,
    floats are written with `repr` after rounding to 12 decimals, missing values are empty."""
    if isinstance(data, pd.Series):
        data = data.to_frame(name=data.name if data.name is not None else "value")
    if not isinstance(data, pd.DataFrame):
        raise ParameterError(f"`data` must be the pandas DataFrame the figure shows; got "
                             f"{type(data).__name__}.")
    frame = data
    if not (isinstance(frame.index, pd.RangeIndex) and frame.index.start == 0
            and frame.index.step == 1 and all(n is None for n in frame.index.names)):
        frame = frame.reset_index()
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow([str(c) for c in frame.columns])
    for row in frame.itertuples(index=False, name=None):
        writer.writerow([_format_cell(v) for v in row])
    return buffer.getvalue()


# --- saving ------------------------------------------------------------------------------

def _check_id(figure_id: str) -> str:
    if not isinstance(figure_id, str) or not _ID_PATTERN.match(figure_id):
        raise ParameterError(
            f"`figure_id` must be lower-case letters, digits, '-', '_' or '.', starting with a "
            f"letter or digit (it names files); got {figure_id!r}.")
    return figure_id


def _mark_synthetic(fig: Figure) -> None:
    """A small grey "SYNTHETIC DATA" in the bottom-right corner, in a strip the layout keeps
    free (with constrained layout, the default), so it never covers a label."""
    if any(t.get_gid() == _MARK_GID for t in fig.texts):
        return
    size = 5.5
    strip = (size + 2.5) / 72 / fig.get_size_inches()[1]
    engine = fig.get_layout_engine()
    if isinstance(engine, ConstrainedLayoutEngine):
        left, bottom, width, height = engine.get()["rect"]
        if bottom < strip:
            engine.set(rect=(left, strip, width, height - (strip - bottom)))
    fig.text(0.995, 0.004, SYNTHETIC_MARK, ha="right", va="bottom", fontsize=size,
             color="#8C8C8C", gid=_MARK_GID, zorder=10)


def _figure_bytes(fig: Figure, fmt: str, figure_id: str) -> bytes:
    buffer = io.BytesIO()
    with matplotlib.rc_context(_SAVE_RC):
        fig.savefig(buffer, format=fmt, dpi=PNG_DPI, metadata=_METADATA[fmt])
    content = buffer.getvalue()
    return _stable_svg_ids(content, figure_id) if fmt == "svg" else content


# Element ids matplotlib's SVG writer derives from a hash of the element's full-precision
# coordinates (clip rectangles, markers, images): a layout that differs in the last bit of a
# float (constrained layout does, from one process to the next) changes them although nothing
# visible changes. They are renumbered in order of appearance, prefixed with the figure id so
# that several figures can be inlined in one page.
_SVG_HASH_ID = re.compile(r'id="([A-Za-z]+)([0-9a-f]{10})"')


def _stable_svg_ids(svg: bytes, figure_id: str) -> bytes:
    text = svg.decode("utf-8")
    found = list(dict.fromkeys(m.group(1) + m.group(2) for m in _SVG_HASH_ID.finditer(text)))
    if not found:
        return svg
    slug = re.sub(r"[^A-Za-z0-9_-]", "-", figure_id)
    mapping = {}
    for i, old in enumerate(found):
        mapping[old] = f"{old[:-10]}-{slug}-{i}"
    pattern = re.compile(r"(?<![0-9A-Za-z])(" + "|".join(map(re.escape, found)) + r")(?![0-9a-f])")
    return pattern.sub(lambda m: mapping[m.group(1)], text).encode("utf-8")


def _write_if_changed(path: Path, content: bytes) -> None:
    """Write atomically, and not at all when the file already holds these bytes."""
    if path.exists() and path.read_bytes() == content:
        return
    tmp = path.with_name(f".{path.name}.tmp-{os.getpid()}")
    tmp.write_bytes(content)
    os.replace(tmp, path)


def save(fig: Figure, figure_id: str, *, caption: str, data: pd.DataFrame, title: str | None = None,
         source: Any = None, params: Mapping[str, Any] | None = None, notebook: str | None = None,
         out_dir: str | Path = "figures") -> dict[str, Any]:
    """Save a figure as PNG (300 dpi), SVG and PDF with its data and provenance.

    Parameters
    ----------
    fig : the matplotlib figure (make it with `figure()`).
    figure_id : the file name stem, e.g. "topic-prevalence"; one manifest entry per id.
    caption : the caption a reader sees; "(synthetic demo corpus)" is appended when the
        source is synthetic, and the figure gets a small "SYNTHETIC DATA" mark.
    data : the table the figure shows, written to `<out_dir>/data/<id>.csv`.
    title : a short title for the gallery (default: the id).
    source : the Corpus or Tokens (or a dict {"name", "hash", "synthetic"}) behind the data.
    params : the parameters that made the data (JSON-able values), e.g. {"k": 12, "seed": 0}.
    notebook : the notebook that made it, e.g. "02_topics".
    out_dir : the figures folder; relative paths are taken from the project root.

    Returns
    -------
    The manifest entry (a dict) recorded for this figure.
    """
    figure_id = _check_id(figure_id)
    if not isinstance(fig, Figure):
        raise ParameterError(f"`fig` must be a matplotlib Figure; got {type(fig).__name__}.")
    if not isinstance(caption, str) or not caption.strip():
        raise ParameterError(f"`caption` for figure {figure_id!r} must be a non-empty string; "
                             "a figure people cite needs one.")
    if title is not None and not isinstance(title, str):
        raise ParameterError(f"`title` must be a string or None; got {type(title).__name__}.")
    table = data_csv(data)
    src = describe_source(source)
    params_json = _jsonable(dict(params or {}), "params")
    out = resolve(out_dir)
    try:
        (out / DATA_DIR).mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise UserError(f"{out}: cannot create the figures folder ({exc.strerror}).") from None

    if src["synthetic"]:
        _mark_synthetic(fig)
    files: dict[str, str] = {}
    hashes: dict[str, str] = {}
    for fmt in FORMATS:
        content = _figure_bytes(fig, fmt, figure_id)
        _write_if_changed(out / f"{figure_id}.{fmt}", content)
        files[fmt] = f"{figure_id}.{fmt}"
        hashes[fmt] = hashlib.sha256(content).hexdigest()
    data_bytes = table.encode("utf-8")
    _write_if_changed(out / DATA_DIR / f"{figure_id}.csv", data_bytes)
    files["data"] = f"{DATA_DIR}/{figure_id}.csv"
    hashes["data"] = hashlib.sha256(data_bytes).hexdigest()

    entry = {
        "id": figure_id,
        "title": title if title is not None else figure_id,
        "caption": label_caption(caption, src["synthetic"]),
        "notebook": notebook,
        "corpus": src,
        "params": params_json,
        "toolkit": {"name": TOOLKIT_NAME, "version": __version__},
        "git": git_state(),
        "files": files,
        "sha256": hashes,
    }
    manifest = load_manifest(out)
    figures = {e["id"]: e for e in manifest["figures"] if e.get("id") != figure_id}
    figures[figure_id] = entry
    write_manifest(out, [figures[k] for k in sorted(figures)])
    write_readme(out)
    logger.info("saved figure %s to %s", figure_id, out)
    return entry


# --- the manifest and the gallery --------------------------------------------------------

def generated_with() -> dict[str, Any]:
    """What made the files: versions that decide their bytes (no dates, no host names)."""
    return {"toolkit": TOOLKIT_NAME, "version": __version__, "matplotlib": matplotlib.__version__,
            "pandas": pd.__version__, "numpy": np.__version__}


def load_manifest(out_dir: str | Path = "figures") -> dict[str, Any]:
    """The manifest of a figures folder (an empty one when the folder has none yet)."""
    path = resolve(out_dir) / MANIFEST_NAME
    if not path.exists():
        return {"generated_with": generated_with(), "figures": []}
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        raise UserError(f"{path}: not a readable figures manifest ({exc}); delete it and run "
                        "the notebooks again to rebuild it.") from None
    if not isinstance(manifest, dict) or not isinstance(manifest.get("figures"), list) or \
            not all(isinstance(e, dict) and isinstance(e.get("id"), str)
                    for e in manifest["figures"]):
        raise UserError(f"{path}: not a figures manifest (a 'figures' list of entries with an "
                        "'id'); delete it and run the notebooks again to rebuild it.")
    return manifest


def manifest_json(entries: list[dict[str, Any]]) -> str:
    """The manifest text: entries sorted by id, keys sorted, two-space indents, final newline."""
    body = {"generated_with": generated_with(),
            "figures": sorted(entries, key=lambda e: e["id"])}
    return json.dumps(body, sort_keys=True, indent=2, ensure_ascii=False) + "\n"


def write_manifest(out_dir: str | Path, entries: list[dict[str, Any]]) -> Path:
    """Write `manifest.json` for these entries."""
    path = resolve(out_dir) / MANIFEST_NAME
    _write_if_changed(path, manifest_json(entries).encode("utf-8"))
    return path


def figure_entries(out_dir: str | Path = "figures", *, notebook: str | None = None,
                   ) -> Iterator[dict[str, Any]]:
    """Manifest entries (sorted by id), optionally only those one notebook made, each with
    `png_path`: the absolute path of its PNG, or None when the file is missing."""
    out = resolve(out_dir)
    for entry in load_manifest(out)["figures"]:
        if notebook is not None and entry.get("notebook") != notebook:
            continue
        png = out / entry.get("files", {}).get("png", f"{entry['id']}.png")
        yield {**entry, "png_path": png if png.exists() else None}


def citation(entry: Mapping[str, Any]) -> str:
    """A citation line for one figure: toolkit, version, figure id, corpus, commit."""
    toolkit = entry.get("toolkit") or {}
    corpus = entry.get("corpus") or {}
    git = entry.get("git") or {}
    parts = [f"{toolkit.get('name', TOOLKIT_NAME)} {toolkit.get('version', __version__)}",
             f"figure \"{entry['id']}\""]
    if corpus.get("name") or corpus.get("hash"):
        short = (corpus.get("hash") or "")[:12]
        label = corpus.get("name") or "unnamed"
        parts.append(f"corpus \"{label}\"" + (f" (sha256 {short})" if short else "")
                     + (", synthetic" if corpus.get("synthetic") else ""))
    if git.get("commit"):
        parts.append(f"commit {git['commit'][:12]}" + (" with uncommitted changes"
                                                       if git.get("dirty") else ""))
    else:
        parts.append("commit unknown")
    return ", ".join(parts) + "."


def readme_text(manifest: Mapping[str, Any]) -> str:
    """The gallery page for a figures folder, made from its manifest alone."""
    entries = sorted(manifest.get("figures", []), key=lambda e: e["id"])
    gen = manifest.get("generated_with", {})
    lines = [
        "# Figures",
        "",
        f"Made with the {gen.get('toolkit', TOOLKIT_NAME)} {gen.get('version', '')} "
        f"(matplotlib {gen.get('matplotlib', '?')}). This page is generated from `manifest.json`; "
        "do not edit it by hand. Each figure comes as PNG (300 dpi), SVG and PDF, with the data "
        f"behind it in `{DATA_DIR}/<id>.csv`.",
        "",
    ]
    if not entries:
        lines += ["No figures yet: run `python -m analysis report`.", ""]
    else:
        lines += ["| figure | made by | corpus |", "|---|---|---|"]
        for e in entries:
            corpus = e.get("corpus") or {}
            name = corpus.get("name") or "—"
            if corpus.get("synthetic"):
                name += " (synthetic)"
            lines.append(f"| [{e['id']}](#{_anchor(e['id'])}) | {e.get('notebook') or '—'} | {name} |")
        lines.append("")
    for e in entries:
        files = e.get("files", {})
        lines += [
            f"## {e['id']}",
            "",
            f"**{e.get('title') or e['id']}**",
            "",
            f"![{e['id']}]({files.get('png', e['id'] + '.png')})",
            "",
            e.get("caption", ""),
            "",
            "Files: " + ", ".join(f"[{k}]({v})" for k, v in sorted(files.items())),
            "",
            f"Cite as: {citation(e)}",
            "",
        ]
        if e.get("params"):
            lines += ["Parameters: `" + json.dumps(e["params"], sort_keys=True, ensure_ascii=False)
                      + "`", ""]
    return "\n".join(lines).rstrip("\n") + "\n"


def _anchor(figure_id: str) -> str:
    return re.sub(r"[^a-z0-9_-]", "", figure_id.lower())


def write_readme(out_dir: str | Path = "figures") -> Path:
    """Regenerate `<out_dir>/README.md` from `<out_dir>/manifest.json`."""
    out = resolve(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    path = out / README_NAME
    _write_if_changed(path, readme_text(load_manifest(out)).encode("utf-8"))
    return path


__all__ = ["FORMATS", "GREY", "PALETTE", "PALETTE_NAMES", "RC", "citation", "data_csv",
           "describe_source", "figure", "figure_entries", "generated_with", "git_state",
           "label_caption", "plot_counts", "plot_distribution", "load_manifest", "readme_text", "save", "style", "write_manifest",
           "write_readme"]
