"""Galleries of saved figures, read from the manifest alone: the figures folder's README.md (one
section per figure with its caption and citation line) and the report's summary notebook (the
figures of each method notebook shown again, with notes on missing or stale ones)."""

from __future__ import annotations

import base64
import html as html_lib
import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from analysis import __version__
from analysis.figures.manifest import (
    DATA_DIR,
    TOOLKIT_NAME,
    describe_source,
    figure_entries,
    load_manifest,
    write_if_changed,
)
from analysis.figures.style import PNG_DPI
from analysis.paths import resolve

README_NAME = "README.md"


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
    write_if_changed(path, readme_text(load_manifest(out)).encode("utf-8"))
    return path


# --- the report's summary notebook: figures shown again from the manifest -------------------

@dataclass(frozen=True)
class GallerySection:
    """The saved figures of one notebook, and a note when there are none or some are stale."""

    notebook: str
    entries: list[dict[str, Any]]
    note: str | None


def figure_gallery(figures_dir: str | Path = "figures", *, notebooks: Sequence[str],
                   corpus: Any = None, ids: Sequence[str] | None = None,
                   ) -> list[GallerySection]:
    """Saved figures grouped by the notebook that made them, read from the manifest (nothing
    is recomputed). A notebook without figures, a missing PNG, or a figure drawn from an
    earlier version of `corpus` (same name, other content hash) gets a note saying what to
    run; figures a notebook drew from another corpus on purpose are named in a note."""
    described = describe_source(corpus)
    name, content_hash = described["name"], described["hash"]
    entries = list(figure_entries(figures_dir))
    if ids is not None:
        unknown = sorted(set(ids) - {e["id"] for e in entries})
        entries = [e for e in entries if e["id"] in set(ids)]
    else:
        unknown = []
    sections = []
    if not notebooks:
        sections.append(GallerySection("(method notebooks)", [], "There are no method notebooks "
                                       "(02 topics, 03 trends, 04 framing) in notebooks/ yet, so "
                                       "there are no headline figures to show."))
    for nb in notebooks:
        mine = [e for e in entries if e.get("notebook") == nb]
        number = nb.split("_", 1)[0]
        rerun = f"`python -m analysis report --notebooks {number}`"
        notes = []
        if not mine:
            notes.append(f"Notebook {nb} has saved no figures in this figures folder yet: it has "
                         f"not run, or its method is still being written. Run {rerun}.")
        missing = [e["id"] for e in mine if e["png_path"] is None]
        if missing:
            notes.append(f"Listed in the manifest but missing on disk: {', '.join(missing)}. "
                         f"Run {rerun}.")
        if content_hash:
            other = [e for e in mine if (e.get("corpus") or {}).get("hash") != content_hash]
            stale = [e["id"] for e in other if (e.get("corpus") or {}).get("name") == name]
            foreign = [f"{e['id']} ({(e.get('corpus') or {}).get('name') or 'unnamed corpus'})"
                       for e in other if e["id"] not in stale]
            if stale:
                notes.append(f"Made from an earlier version of the corpus “{name}” (its "
                             f"content hash differs): {', '.join(stale)}. Run {rerun} to redraw "
                             "them.")
            if foreign:
                notes.append(f"Made from another corpus on purpose by the notebook: "
                             f"{', '.join(foreign)}.")
        sections.append(GallerySection(nb, [e for e in mine if e["png_path"] is not None],
                                       " ".join(notes) or None))
    if unknown:
        sections.append(GallerySection("(requested)", [], "Not in the manifest: "
                                       + ", ".join(unknown) + "."))
    return sections


def figure_table(figures_dir: str | Path = "figures", *, corpus: Any = None) -> pd.DataFrame:
    """One row per saved figure: id, notebook, corpus name and short hash, whether it was made
    from `corpus` (a Corpus, its Tokens or {"name", "hash"}; None: not asked), the commit, and
    whether its PNG is on disk."""
    content_hash = describe_source(corpus)["hash"]
    rows = []
    for e in figure_entries(figures_dir):
        made_from = e.get("corpus") or {}
        git = e.get("git") or {}
        rows.append({
            "figure": e["id"], "notebook": e.get("notebook"), "corpus": made_from.get("name"),
            "corpus hash": (made_from.get("hash") or "")[:12],
            "same corpus": None if content_hash is None else made_from.get("hash") == content_hash,
            "commit": (git.get("commit") or "")[:12] + ("+changes" if git.get("dirty") else ""),
            "file": "yes" if e["png_path"] else "missing"})
    columns = ["figure", "notebook", "corpus", "corpus hash", "same corpus", "commit", "file"]
    return pd.DataFrame(rows, columns=columns)


def show_gallery(sections: Sequence[GallerySection]) -> None:
    """Display gallery sections in a notebook: heading, note, then each PNG with its caption
    and citation line (the images are embedded in the executed notebook)."""
    from IPython.display import HTML, Markdown, display

    for section in sections:
        display(Markdown(f"### {section.notebook}"))
        if section.note:
            display(Markdown(f"> **Note.** {section.note}"))
        for e in section.entries:
            data = Path(e["png_path"]).read_bytes()
            png = base64.b64encode(data).decode("ascii")
            caption = e.get("caption", "")
            display(HTML(f"<p><strong>{html_lib.escape(e['id'])}</strong>: "
                         f"{html_lib.escape(e.get('title') or '')}</p>"
                         f'<img src="data:image/png;base64,{png}" width="{_display_width(data)}" '
                         f'style="max-width: 100%; height: auto;" '
                         f'alt="{html_lib.escape(caption, quote=True)}">'))
            display(Markdown(f"{caption}\n\n*Cite as:* {citation(e)}"))


def _display_width(png: bytes, pixels_per_inch: int = 140) -> int:
    """On-screen width of a saved figure that keeps its printed size (so a single-column figure
    is not blown up to the width of a double-column one): width from the PNG header."""
    width = int.from_bytes(png[16:20], "big") if png[:8] == b"\x89PNG\r\n\x1a\n" else 0
    return round(width / PNG_DPI * pixels_per_inch) if width else 720


__all__ = ["README_NAME", "GallerySection", "citation", "figure_gallery", "figure_table", "readme_text",
           "show_gallery", "write_readme"]
