"""Reading and writing corpora: a folder of front-matter texts, or one table (CSV, JSONL, Parquet)."""

from __future__ import annotations

import logging
import os
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd
import yaml

from analysis.corpus import index
from analysis.corpus.dates import parse_date
from analysis.corpus.frontmatter import FrontMatterError, render_document, split_front_matter
from analysis.corpus.language import LANGUAGES, detect_language
from analysis.corpus.model import Corpus, Document, metadata_frame, metadata_row
from analysis.corpus.skips import SKIP_LIST_NAME, Skip, write_skip_list
from analysis.errors import CorpusError
from analysis.paths import default_cache_dir, local_path

logger = logging.getLogger(__name__)

DOC_SUFFIXES = (".txt", ".md")
TABLE_SUFFIXES = (".csv", ".jsonl", ".parquet")
CORPUS_FILE = "corpus.yml"
# Files in a corpus folder that are about the corpus, not documents in it.
_NOT_DOCUMENTS = re.compile(r"^(readme|license|licence|changelog)(\.\w+)?$", re.IGNORECASE)
_ID_RE = re.compile(r"^[^/\\\s][^/\\]*$")
_URL = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]+:/")


@dataclass(frozen=True)
class Decoded:
    """A file's text or the reason it could not be read as text."""

    text: str | None
    reason: str = ""
    detail: str = ""


def decode_bytes(data: bytes) -> Decoded:
    """UTF-8 text of `data`, or why not (binary file, undecodable bytes)."""
    if b"\x00" in data[:8192]:
        return Decoded(None, "binary file", "contains NUL bytes; not a text file")
    try:
        return Decoded(data.decode("utf-8-sig"))
    except UnicodeDecodeError as exc:
        return Decoded(None, "undecodable bytes",
                       f"not UTF-8 (byte 0x{data[exc.start]:02x} at offset {exc.start}); re-save as UTF-8")


def make_document(
    source: str, meta: dict[str, Any], body: str, *, default_id: str,
    defaults: dict[str, Any] | None = None, require_date: bool = False,
) -> Document | Skip:
    """Validate one document's metadata and text; return the Document or a Skip with the reason."""
    given = {k: v for k, v in meta.items() if not (v is None or (isinstance(v, str) and v == ""))}
    meta = {**(defaults or {}), **given}
    doc_id = str(meta.pop("id", default_id)).strip()
    # `<id>.txt` must be a file the loader reads: no slashes, no leading dot or underscore
    if not doc_id or not _ID_RE.match(doc_id) or doc_id.startswith((".", "_")):
        return Skip(source, "bad id", f"id {doc_id!r} must be non-empty, without slashes or a "
                                      "leading dot or underscore")
    text = body.strip()
    if not text:
        return Skip(source, "empty document", "no text after the front matter")
    date = meta.pop("date", None)
    if date is None:
        if require_date:
            return Skip(source, "missing date", "no `date:`; give YYYY, YYYY-MM or YYYY-MM-DD")
    else:
        try:
            date, _ = parse_date(date)
        except ValueError as exc:
            return Skip(source, "malformed date", str(exc))
    language = meta.pop("language", None)
    if language is None:
        language = detect_language(text)
        if language is None:
            return Skip(source, "unknown language",
                        "could not tell English from Russian; set `language: en` or `language: ru`")
    language = str(language).strip().lower()
    if language not in LANGUAGES:
        return Skip(source, "unsupported language", f"language {language!r}; supported: {', '.join(LANGUAGES)}")
    meta = {k: _plain(v) for k, v in meta.items()}
    return Document(doc_id, text, language, date, meta)


def _plain(value: Any) -> Any:
    """A metadata value as a plain Python value (dates as ISO strings, numpy scalars and arrays
    as numbers and lists), so it can be written as YAML and hashed."""
    if hasattr(value, "isoformat"):
        return value.isoformat()
    if hasattr(value, "tolist"):  # numpy scalar or array (Parquet list columns)
        return value.tolist()
    return value


def load_document_file(path: Path, *, root: Path | None = None, defaults: dict[str, Any] | None = None,
                       require_date: bool = False) -> Document | Skip:
    """Read one front-matter text file into a Document, or a Skip naming the file and reason."""
    source = str(path.relative_to(root)) if root else str(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        return Skip(source, "unreadable file", exc.strerror or str(exc))
    decoded = decode_bytes(data)
    if decoded.text is None:
        return Skip(source, decoded.reason, decoded.detail)
    try:
        meta, body = split_front_matter(decoded.text)
    except FrontMatterError as exc:
        return Skip(source, "malformed front matter", str(exc))
    return make_document(source, meta, body, default_id=path.stem, defaults=defaults,
                         require_date=require_date)


def dedupe(items: Iterable[tuple[str, Document | Skip]]) -> Iterable[tuple[str, Document] | Skip]:
    """Yield (source, document) pairs and skips; a later document with a taken id is skipped."""
    first: dict[str, str] = {}
    for source, item in items:
        if isinstance(item, Skip):
            yield item
        elif item.id in first:
            yield Skip(source, "duplicate id", f"id {item.id!r} already used by {first[item.id]}")
        else:
            first[item.id] = source
            yield source, item


def load_corpus_info(folder: Path) -> dict[str, Any]:
    """The folder's `corpus.yml` (name, description, license, citation, defaults), or {}."""
    path = Path(folder) / CORPUS_FILE
    if not path.exists():
        return {}
    try:
        info = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        raise CorpusError(f"{path}: not valid YAML ({exc.__class__.__name__})") from None
    if not isinstance(info, dict):
        raise CorpusError(f"{path}: must be a mapping (name:, description:, license:, citation:, defaults:)")
    return info


def document_files(folder: Path) -> list[Path]:
    """The document files below a corpus folder, sorted; hidden and README-like files excluded
    (names starting with "." or "_", and what is below such folders; linked folders not followed)."""
    found: list[tuple[tuple[str, ...], Path]] = []

    def walk(directory: Path, rel: tuple[str, ...]) -> None:
        with os.scandir(directory) as entries:
            for entry in entries:
                name = entry.name
                if name.startswith((".", "_")):
                    continue
                if entry.is_dir(follow_symlinks=False):
                    walk(directory / name, (*rel, name))
                elif (entry.is_file() and os.path.splitext(name)[1].lower() in DOC_SUFFIXES
                      and not _NOT_DOCUMENTS.match(name)):
                    found.append(((*rel, name), directory / name))

    walk(Path(folder), ())
    return [path for _, path in sorted(found, key=lambda item: item[0])]


class FolderTexts:
    """Texts of a corpus folder by document id: each read from its file (`sources`: id -> path
    below `root`) when it is asked for."""

    def __init__(self, root: Path, sources: dict[str, str], defaults: dict[str, Any]) -> None:
        self.root = root
        self.sources = sources
        self.defaults = defaults

    def __call__(self, doc_id: str) -> str:
        path = self.root / self.sources[doc_id]
        doc = load_document_file(path, root=self.root, defaults=self.defaults)
        if isinstance(doc, Skip):
            raise CorpusError(f"{path} changed since the corpus was loaded: {doc}")
        return doc.text

    def restrict(self, ids: Iterable[str]) -> FolderTexts:
        """The texts of the documents `ids` only (`Corpus.shard`)."""
        return FolderTexts(self.root, {i: self.sources[i] for i in ids if i in self.sources}, self.defaults)


def load_folder(folder: Path, *, cache_dir: str | Path | None = None) -> Corpus:
    """Load a corpus folder; unreadable or invalid files are listed in `corpus.skipped`.

    Texts are read once for their metadata and hash, then again on demand. With `cache_dir`, the
    metadata are kept there (`analysis.corpus.index`) and read back while no document file, nor
    `corpus.yml`, nor the loading code has changed: then no text is read until one is asked for.
    """
    folder = Path(folder)
    info = load_corpus_info(folder)
    defaults = info.get("defaults") or {}
    files = document_files(folder)
    stored = key = where = None
    if cache_dir is not None and not _URL.match(str(cache_dir)):  # a URL: refused where the cache is used
        key, newest = index.signature(folder, files, info)
        where = index.index_path(cache_dir, folder)
        stored = index.read_index(where, key)
    if stored is not None:
        rows, sources, skips = stored["rows"], stored["sources"], stored["skipped"]
        for skip in skips:
            logger.warning("%s", skip)
    else:
        items = ((str(p.relative_to(folder)), load_document_file(p, root=folder, defaults=defaults))
                 for p in files)
        rows, skips, sources = [], [], {}
        for item in dedupe(items):
            if isinstance(item, Skip):
                logger.warning("%s", item)
                skips.append(item)
            else:
                source, doc = item
                sources[doc.id] = source
                rows.append(metadata_row(doc))
    frame = metadata_frame(rows)
    frame["path"] = [sources[i] for i in frame.index]

    # texts are read where they are asked for: a worker in another folder
    texts = FolderTexts(folder.absolute(), dict(sources), defaults)
    corpus = Corpus(frame, texts, name=str(info.get("name") or folder.name), info=info,
                    skipped=skips, location=str(folder), content_hash=stored["hash"] if stored else None)
    if stored is None and where is not None and rows:
        index.write_index(where, key, newest, rows, sources, skips, corpus.hash)
    return corpus


TEXT_COLUMNS = ("text", "body", "content")
# Metadata columns the loader computes; `Corpus.document()` returns them, `write_corpus` drops them.
DERIVED_COLUMNS = ("date_precision", "year", "n_chars", "text_hash", "path")


def load_table_file(path: Path) -> pd.DataFrame:
    """Read a CSV, JSON Lines or Parquet table as strings-or-values."""
    path = Path(path)
    suffix = path.suffix.lower()
    try:
        if suffix == ".csv":
            return pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")
        if suffix == ".jsonl":
            return pd.read_json(path, lines=True, dtype=False)
        if suffix == ".parquet":
            return pd.read_parquet(path)
    except UnicodeDecodeError as exc:
        raise CorpusError(f"{path}: not UTF-8 ({exc.reason} at byte {exc.start}); re-save it as UTF-8") from None
    except ValueError as exc:
        raise CorpusError(f"{path}: cannot be read as {suffix[1:]} ({exc})") from None
    raise CorpusError(f"{path}: unknown table format {suffix!r}; use one of {', '.join(TABLE_SUFFIXES)}")


def load_table(path: Path, *, text_column: str | None = None, id_column: str = "id",
               info: dict[str, Any] | None = None) -> Corpus:
    """Load a one-table corpus: a text column plus metadata columns (id, date, language, ...)."""
    path = Path(path)
    table = load_table_file(path)
    if text_column is None:
        text_column = next((c for c in TEXT_COLUMNS if c in table.columns), None)
        if text_column is None:
            raise CorpusError(f"{path}: no text column (looked for {', '.join(TEXT_COLUMNS)}); "
                              f"columns are {', '.join(map(str, table.columns))}")
    elif text_column not in table.columns:
        raise CorpusError(f"{path}: no column {text_column!r}; columns are {', '.join(map(str, table.columns))}")
    info = dict(info or {})
    defaults = info.get("defaults") or {}
    width = len(str(len(table)))

    def items():
        for i, rec in enumerate(table.to_dict("records")):
            source = f"{path.name} row {i + 1}"
            text = rec.pop(text_column)
            meta = {k: v for k, v in rec.items() if not _is_missing(v)}
            if id_column != "id" and id_column in meta:
                meta["id"] = meta.pop(id_column)
            if not isinstance(text, str):
                yield source, Skip(source, "empty document", f"no text in column {text_column!r}")
                continue
            yield source, make_document(source, meta, text, default_id=f"row{i + 1:0{width}d}",
                                        defaults=defaults)

    docs, skips = [], []
    for item in dedupe(items()):
        if isinstance(item, Skip):
            logger.warning("%s", item)
            skips.append(item)
        else:
            docs.append(item[1])
    corpus = Corpus.from_documents(docs, name=str(info.get("name") or path.stem), info=info, skipped=skips)
    corpus.location = str(path)
    return corpus


def _is_missing(value: Any) -> bool:
    if value is None:
        return True
    if isinstance(value, str):
        return not value.strip()
    try:
        return bool(value != value)  # NaN, pandas NaT and NA
    except (TypeError, ValueError):  # arrays and other values without a truth value
        return False


def load_corpus(path: str | Path, *, text_column: str | None = None,
                cache_dir: str | Path | None = "default") -> Corpus:
    """Load a corpus from a folder of front-matter texts, a folder of Parquet parts
    (`analysis.corpus.dataset`, read lazily) or one table file (`path` may be a file:// URL). A folder's metadata are kept in
    `cache_dir` ("default": `analysis.paths.default_cache_dir()`, as preprocessing's; None: not
    kept) and read back while its files are unchanged (`analysis.corpus.index`)."""
    path = local_path(path, "the corpus")
    if not path.exists():
        raise CorpusError(f"{path}: no such corpus folder or table")
    if cache_dir == "default":
        cache_dir = default_cache_dir()
    if path.is_dir():
        from analysis.corpus.dataset import dataset_parts, load_dataset

        corpus = load_dataset(path) if dataset_parts(path) else load_folder(path, cache_dir=cache_dir)
    elif path.suffix.lower() in TABLE_SUFFIXES:
        corpus = load_table(path, text_column=text_column, info=load_corpus_info(path.parent)
                            if (path.parent / CORPUS_FILE).exists() else None)
    else:
        raise CorpusError(f"{path}: a corpus is a folder or a table ({', '.join(TABLE_SUFFIXES)})")
    if len(corpus) == 0:
        reasons = ", ".join(sorted({s.reason for s in corpus.skipped})) or "no .txt or .md files"
        raise CorpusError(f"{path}: no documents could be loaded ({reasons})")
    return corpus


def write_corpus(documents: Iterable[Document], folder: Path, *, info: dict[str, Any] | None = None,
                 skipped: Iterable[Skip] = ()) -> Path:
    """Write documents as `<id>.txt` front-matter files, with `corpus.yml` and the skip list."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    for doc in documents:
        # Columns the loader derives (year, n_chars, text_hash, ...) are not written back.
        meta = {"id": doc.id, "date": doc.date, "language": doc.language,
                **{k: v for k, v in doc.meta.items() if k not in DERIVED_COLUMNS}}
        (folder / f"{doc.id}.txt").write_text(render_document(meta, doc.text), encoding="utf-8")
    if info is not None:
        (folder / CORPUS_FILE).write_text(
            yaml.safe_dump(info, allow_unicode=True, sort_keys=False, width=100), encoding="utf-8")
    write_skip_list(folder / SKIP_LIST_NAME, list(skipped))
    return folder
