"""`save`: a figure as PNG (300 dpi), SVG and PDF with the table behind it as CSV, recorded in the
folder's manifest and gallery; the same figure saved twice gives the same bytes."""

from __future__ import annotations

import csv
import hashlib
import io
import logging
import math
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import matplotlib
import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.layout_engine import ConstrainedLayoutEngine

from analysis import __version__
from analysis.errors import ParameterError, UserError
from analysis.figures.gallery import write_readme
from analysis.figures.manifest import (
    DATA_DIR,
    TOOLKIT_NAME,
    describe_source,
    jsonable,
    label_caption,
    load_manifest,
    write_if_changed,
    write_manifest,
)
from analysis.figures.style import PNG_DPI, RC
from analysis.paths import resolve
from analysis.provenance import git_state
from analysis.results import Result

logger = logging.getLogger(__name__)

FORMATS = ("png", "svg", "pdf")
SYNTHETIC_MARK = "SYNTHETIC DATA"
_MARK_GID = "analysis-synthetic-mark"

# Keys applied around every save whatever the caller did to rcParams: they decide file bytes.
_SAVE_RC = {k: RC[k] for k in ("svg.fonttype", "svg.hashsalt", "pdf.fonttype", "savefig.dpi",
                               "savefig.facecolor")}

_METADATA = {
    "png": {"Software": None},
    "svg": {"Date": None, "Creator": None},
    "pdf": {"Creator": None, "Producer": None, "CreationDate": None, "ModDate": None},
}

_ID_PATTERN = re.compile(r"^[a-z0-9][a-z0-9_.-]*$")


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
    source : the result behind the data (a method's `analysis.results.Result`: its corpus and
        its `method_params` are recorded), or the Corpus or Tokens (or a dict {"name", "hash",
        "synthetic"}).
    params : the parameters that made the data (JSON-able values), e.g. {"k": 12, "seed": 0};
        with a result as `source`, what to add to (or change in) the result's parameters.
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
    if isinstance(source, Result):
        params = {**source.method_params, **(params or {})}
    params_json = jsonable(dict(params or {}), "params")
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
        write_if_changed(out / f"{figure_id}.{fmt}", content)
        files[fmt] = f"{figure_id}.{fmt}"
        hashes[fmt] = hashlib.sha256(content).hexdigest()
    data_bytes = table.encode("utf-8")
    write_if_changed(out / DATA_DIR / f"{figure_id}.csv", data_bytes)
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


__all__ = ["FORMATS", "SYNTHETIC_MARK", "data_csv", "save"]
