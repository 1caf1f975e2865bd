"""A folder of plain `.txt` (or `.md`) files, with or without front matter, plus an optional
sidecar table of metadata keyed by file name."""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from analysis.corpus.frontmatter import FrontMatterError, split_front_matter
from analysis.corpus.importers import (
    IGNORED,
    ImportResult,
    binary_detail,
    clean_text,
    collect,
    load_metadata_table,
)
from analysis.corpus.io import DOC_SUFFIXES, decode_bytes, make_document
from analysis.corpus.language import LANGUAGES
from analysis.corpus.model import Document
from analysis.corpus.skips import Skip
from analysis.errors import CorpusError, check_choice

logger = logging.getLogger(__name__)

KEY_COLUMNS = ("file", "filename")
_ABOUT = re.compile(r"^(readme|license|licence|changelog)(\.\w+)?$", re.IGNORECASE)


def _key(value: str) -> str:
    return value.strip().replace("\\", "/").removeprefix("./")


def load_sidecar(path: str | Path) -> dict[str, tuple[int, dict[str, str]]]:
    """The sidecar metadata table as {file name: (row number, {key: value})}; empty cells
    are left out, so they never override anything."""
    path = Path(path)
    table = load_metadata_table(path)
    lower = {c.lower(): c for c in table.columns}
    key_col = next((lower[k] for k in KEY_COLUMNS if k in lower), None)
    if key_col is None:
        raise CorpusError(f"{path}: needs a column 'file' or 'filename' naming each text file; "
                          f"columns are {', '.join(map(repr, table.columns))}")
    rows: dict[str, tuple[int, dict[str, str]]] = {}
    duplicates = []
    for i, rec in enumerate(table.to_dict("records")):
        key = _key(rec.pop(key_col))
        if not key:
            raise CorpusError(f"{path}: row {i + 2} has an empty {key_col!r}")
        if key in rows:
            duplicates.append(f"{key!r} (rows {rows[key][0]} and {i + 2})")
            continue
        rows[key] = (i + 2, {str(k).strip(): v for k, v in rec.items() if v != ""})
    if duplicates:
        raise CorpusError(f"{path}: the same file is described twice: {'; '.join(duplicates[:5])}"
                          + (f" and {len(duplicates) - 5} more" if len(duplicates) > 5 else ""))
    return rows


def folder_files(folder: Path) -> Iterator[tuple[str, Path]]:
    """(relative name, path) of every file below `folder`, sorted; hidden folders not entered."""
    for path in sorted(folder.rglob("*")):
        rel = path.relative_to(folder)
        if any(part.startswith(".") for part in rel.parts[:-1]):
            continue
        if path.is_file():
            yield rel.as_posix(), path


def text_item(name: str, data: bytes, sidecar: dict[str, str], *, language: str | None,
              require_date: bool) -> Document | Skip:
    """One text file (plus its sidecar metadata) as a Document, or a Skip with the reason."""
    decoded = decode_bytes(data)
    if decoded.text is None:
        return Skip(name, decoded.reason, binary_detail(data, decoded.detail))
    try:
        meta, body = split_front_matter(decoded.text)
    except FrontMatterError as exc:
        return Skip(name, "malformed front matter", str(exc))
    merged: dict[str, Any] = {**sidecar, **{k: v for k, v in meta.items() if v is not None and v != ""}}
    if language and "language" not in merged:
        merged["language"] = language
    stem = name.rsplit("/", 1)[-1].rsplit(".", 1)[0]
    return make_document(name, merged, clean_text(body), default_id=stem, require_date=require_date)


def import_folder(source: str | Path, *, metadata: str | Path | None = None,
                  allow_undated: bool = False, language: str | None = None,
                  name: str | None = None) -> ImportResult:
    """Import `.txt`/`.md` files below a folder; front matter keys win over sidecar values.

    `metadata` is a CSV/XLSX with a column `file` (or `filename`) holding each file's name
    (or path below the folder) and one column per key; its values fill keys the front matter
    lacks. Documents need a date unless `allow_undated`. `language` is the default language
    (else detected). Sidecar rows that match no file are skipped with reason
    "unmatched metadata row"; other files are listed as ignored.
    """
    folder = Path(source)
    if not folder.is_dir():
        raise CorpusError(f"{folder}: not a folder of text files")
    if language is not None:
        check_choice("language", language, LANGUAGES)
    sidecar = load_sidecar(metadata) if metadata is not None else {}
    sidecar_path = Path(metadata).resolve() if metadata is not None else None
    info: dict[str, Any] = {
        "name": name or folder.resolve().name,
        "description": f"Texts from the folder {folder.name}.",
        "import": {"kind": "folder", "source": str(folder),
                   "metadata": str(metadata) if metadata else None,
                   "allow_undated": allow_undated, "language": language},
    }
    skipped: list[Skip] = []
    ignored: list[Skip] = []

    def items() -> Iterator[tuple[str, Document | Skip]]:
        used: set[str] = set()
        for rel, path in folder_files(folder):
            base = path.name
            if sidecar_path is not None and path.resolve() == sidecar_path:
                continue
            if base.startswith(".") or path.suffix.lower() not in DOC_SUFFIXES or _ABOUT.match(base):
                why = ("a hidden file" if base.startswith(".") else
                       "about the corpus, not a document" if _ABOUT.match(base) else
                       f"not a text file ({path.suffix or 'no suffix'}); texts are "
                       f"{' or '.join(DOC_SUFFIXES)} files")
                yield rel, Skip(rel, IGNORED, why)
                continue
            key = rel if rel in sidecar else base if base in sidecar else None
            if key is not None:
                used.add(key)
            try:
                data = path.read_bytes()
            except OSError as exc:
                yield rel, Skip(rel, "unreadable file", exc.strerror or str(exc))
                continue
            yield rel, text_item(rel, data, sidecar[key][1] if key else {}, language=language,
                                 require_date=not allow_undated)
        label = Path(metadata).name if metadata is not None else ""
        for key, (row, _) in sidecar.items():
            if key not in used:
                yield key, Skip(f"{label} row {row}", "unmatched metadata row",
                                f"no text file {key!r} in {folder}")

    return ImportResult(collect(items(), skipped, ignored), skipped, info, ignored)
