"""Galleries of saved figures, read from the manifest alone: the figures folder's README.md (one
section per figure with its caption and citation line) and the report's summary notebook (the
figures of each method notebook shown again, with notes on missing or stale ones)."""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from analysis import __version__
from analysis.figures.manifest import DATA_DIR, TOOLKIT_NAME, load_manifest, write_if_changed
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


__all__ = ["README_NAME", "citation", "readme_text", "write_readme"]
