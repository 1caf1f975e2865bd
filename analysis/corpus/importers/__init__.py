"""Importers: turn a source as distributed (an archive, saved web pages, a folder of texts, a
table) into documents of the corpus format, with every file left out listed with its reason.

Each importer is a function `import_<kind>(source, ...) -> ImportResult`:

- `import_ungdc`: the UN General Debate Corpus (`.tgz` or its extracted `TXT/` folders);
- `import_html`: saved web pages (a folder of `.html` files or an archive of them);
- `import_folder`: plain `.txt` files with or without front matter, plus a sidecar CSV;
- `import_table`: one CSV, JSON Lines or Parquet table.

`ImportResult.documents` is a one-shot iterator: archives are streamed, not extracted, and the
skip list is complete only once the documents have been consumed (`ImportResult.write` does that).
"""

from __future__ import annotations

import bz2
import gzip
import io
import logging
import lzma
import re
import tarfile
import zipfile
import zlib
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any, BinaryIO

import pandas as pd
import yaml

from analysis.corpus.io import CORPUS_FILE, dedupe, document_files, load_table, write_corpus
from analysis.corpus.model import Document
from analysis.corpus.skips import IGNORED, SKIP_LIST_NAME, Skip, summarize_skips, write_skip_list
from analysis.errors import CorpusError, UserError, check_choice

FORMATS = ("folder", "parquet")  # how `ImportResult.write` stores the documents

logger = logging.getLogger(__name__)


ARCHIVE_SUFFIXES = (".tar", ".tar.gz", ".tgz", ".tar.bz2", ".tbz2", ".tar.xz", ".txz", ".zip")

# File signatures of binary formats one meets in corpora, to say what a binary file is.
_MAGIC = (
    (b"\x00\x00\x00\x01Bud1", "an Apple Desktop Services Store (.DS_Store) file"),
    (b"%PDF", "a PDF file"),
    (b"\x89PNG", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF8", "a GIF image"),
    (b"PK\x03\x04", "a ZIP container (e.g. .docx, .xlsx)"),
    (b"\xd0\xcf\x11\xe0", "an MS Office 97-2003 file"),
    (b"\x1f\x8b", "a gzip archive"),
    (b"{\\rtf", "an RTF file"),
)


@dataclass
class ImportResult:
    """What an importer produced: documents (streamed), the skip list and the corpus info.

    `skipped` lists inputs that should have been documents but could not be (with reasons);
    `ignored` lists files that are not documents of this source. Both fill up while
    `documents` is consumed.
    """

    documents: Iterable[Document]
    skipped: list[Skip]
    info: dict[str, Any]
    ignored: list[Skip] = field(default_factory=list)
    n_imported: int = 0

    def _counted(self) -> Iterator[Document]:
        for doc in self.documents:
            self.n_imported += 1
            yield doc

    def summary(self) -> dict[str, Any]:
        """Counts: imported, skipped (by reason), ignored (by file type)."""
        return {
            "imported": self.n_imported,
            "skipped": len(self.skipped),
            "skipped_by_reason": summarize_skips(self.skipped),
            "ignored": len(self.ignored),
            "ignored_by_type": ignored_by_type(self.ignored),
        }

    def write(self, out_dir: str | Path, *, format: str = "folder") -> Path:
        """Write the corpus folder: `<id>.txt` files (`format="folder"`) or `part-NNNNN.parquet`
        files (`format="parquet"`, `analysis.corpus.dataset`), `corpus.yml` (with the import
        summary) and `skipped.csv` (skipped, then ignored inputs). Consumes `documents`."""
        out = Path(out_dir)
        check_choice("format", format, FORMATS)
        if format == "parquet":
            from analysis.corpus.dataset import write_dataset

            write_dataset(self._counted(), out)
        else:
            write_corpus(self._counted(), out)
        # The skip list and the summary are complete only now that the documents are written.
        write_skip_list(out / SKIP_LIST_NAME, [*self.skipped, *self.ignored])
        info = dict(self.info)
        info["import"] = {**info.get("import", {}), **self.summary()}
        (out / CORPUS_FILE).write_text(
            yaml.safe_dump(info, allow_unicode=True, sort_keys=False, width=100), encoding="utf-8")
        logger.info("wrote %d documents to %s (%d skipped, %d ignored)", self.n_imported, out,
                    len(self.skipped), len(self.ignored))
        if self.skipped:
            logger.warning("%d inputs skipped (%s); listed in %s", len(self.skipped),
                           ", ".join(f"{k}: {v}" for k, v in summarize_skips(self.skipped).items()),
                           out / SKIP_LIST_NAME)
        return out


def ignored_by_type(ignored: list[Skip]) -> dict[str, int]:
    """Count ignored files by file type (their suffix, or the name for dot files)."""
    return dict(Counter(file_type(s.source) for s in ignored).most_common())


def file_type(source: str) -> str:
    name = PurePosixPath(source.replace("\\", "/")).name
    if name.startswith("."):
        return name  # .Rhistory, .DS_Store
    suffix = PurePosixPath(name).suffix.lower()
    return suffix or "(no suffix)"


def collect(items: Iterable[tuple[str, Document | Skip]], skipped: list[Skip],
            ignored: list[Skip] | None = None) -> Iterator[Document]:
    """Yield the documents of (source, document-or-skip) pairs, appending skips to `skipped`
    (and `IGNORED` ones to `ignored`); a later document with an id already taken is skipped."""
    for item in dedupe(items):
        if isinstance(item, Skip):
            logger.info("%s", item)
            (ignored if item.reason == IGNORED and ignored is not None else skipped).append(item)
        else:
            yield item[1]


def clean_text(text: str) -> str:
    """Normalise line ends to `\\n` and drop trailing spaces on lines; the words are untouched."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return "\n".join(line.rstrip(" \t\u00a0") for line in text.split("\n")).strip()


def describe_binary(data: bytes) -> str:
    """What a binary file probably is, from its first bytes ('' when unknown)."""
    for magic, what in _MAGIC:
        if data.startswith(magic):
            return what
    return ""


def binary_detail(data: bytes, detail: str) -> str:
    what = describe_binary(data)
    return f"{detail}; looks like {what}" if what else detail


def sanitize_id(stem: str, prefix: str = "") -> str:
    """A document id from a file name: letters, digits, `_`, `-` and `.`; other runs become `_`."""
    cleaned = re.sub(r"[^\w.-]+", "_", stem).strip("._-")
    return f"{prefix}{cleaned}" if cleaned else ""


def _check_source(source: Path) -> None:
    if not source.exists():
        raise CorpusError(f"{source}: no such file or folder")
    if not source.is_dir() and not source.name.lower().endswith(ARCHIVE_SUFFIXES):
        raise CorpusError(f"{source}: expected a folder or an archive "
                          f"({', '.join(ARCHIVE_SUFFIXES)})")


def iter_source_files(source: Path) -> Iterator[tuple[str, bytes | None, str]]:
    """Yield (name, data, problem) for every regular file in a folder (recursively, sorted)
    or an archive (tar, tar.gz, tgz, tar.bz2, tar.xz, zip: streamed, in archive order).

    `data` is None when the entry could not be read; `problem` then says why. Names use `/`.
    A truncated or corrupt archive raises CorpusError (after the entries read before the damage).
    """
    source = Path(source)
    _check_source(source)
    if source.is_dir():
        for path in sorted(source.rglob("*")):
            rel = path.relative_to(source).as_posix()
            if path.is_symlink() and not path.exists():
                yield rel, None, "broken symbolic link"
            elif path.is_file():
                try:
                    yield rel, path.read_bytes(), ""
                except OSError as exc:
                    yield rel, None, f"unreadable: {exc.strerror or exc}"
    elif source.name.lower().endswith(".zip"):
        yield from _iter_zip(source)
    else:
        for member, data in _tar_entries(source, read=True):
            if member.isfile():
                yield member.name, data, ""
            else:
                yield member.name, None, "not a regular file (link or device) in the archive"


def list_source_names(source: Path) -> list[str]:
    """The names of the regular files in a folder or archive, without keeping their contents
    (an archive is still decompressed once to walk it)."""
    source = Path(source)
    _check_source(source)
    if source.is_dir():
        return [p.relative_to(source).as_posix() for p in sorted(source.rglob("*")) if p.is_file()]
    if source.name.lower().endswith(".zip"):
        try:
            with zipfile.ZipFile(source) as archive:
                return [i.filename for i in archive.infolist() if not i.is_dir()]
        except (zipfile.BadZipFile, OSError) as exc:
            raise CorpusError(f"{source}: cannot be read as a zip archive ({exc})") from None
    return [member.name for member, _ in _tar_entries(source, read=False) if member.isfile()]


def _open_compressed(source: Path) -> BinaryIO:
    """The archive's decompressed byte stream (gzip, bzip2, xz or none, from its first bytes)."""
    with source.open("rb") as fh:
        head = fh.read(6)
    if head.startswith(b"\x1f\x8b"):
        return gzip.open(source, "rb")
    if head.startswith(b"BZh"):
        return bz2.open(source, "rb")
    if head.startswith(b"\xfd7zXZ"):
        return lzma.open(source, "rb")
    return source.open("rb")


def _tar_entries(source: Path, *, read: bool) -> Iterator[tuple[tarfile.TarInfo, bytes | None]]:
    """Stream a tar archive's members (directories left out), with their data when `read`.

    The decompressed stream is read to its end, so a truncated archive or a bad checksum
    raises CorpusError instead of ending the listing early without a word.
    """
    count = 0
    try:
        with _open_compressed(source) as raw, tarfile.open(fileobj=raw, mode="r|") as archive:
            for member in archive:
                if member.isdir():
                    continue
                data = None
                if read and member.isfile():
                    handle = archive.extractfile(member)
                    data = handle.read() if handle is not None else b""
                count += 1
                yield member, data
            while raw.read(1 << 20):  # the rest: end-of-archive padding, compression trailer
                pass
    except (tarfile.TarError, EOFError, OSError, zlib.error, lzma.LZMAError) as exc:
        where = f" after {count} files" if count else ""
        raise CorpusError(f"{source}: cannot be read as a tar archive{where} "
                          f"({exc.__class__.__name__}: {exc}); is it complete?") from None


def _iter_zip(source: Path) -> Iterator[tuple[str, bytes | None, str]]:
    try:
        archive = zipfile.ZipFile(source)
    except (zipfile.BadZipFile, OSError) as exc:
        raise CorpusError(f"{source}: cannot be read as a zip archive ({exc})") from None
    with archive:
        for info in archive.infolist():
            if info.is_dir():
                continue
            try:
                yield info.filename, archive.read(info), ""
            except (zipfile.BadZipFile, OSError, RuntimeError) as exc:
                yield info.filename, None, f"unreadable in the archive ({exc})"


def load_metadata_table(path: str | Path) -> pd.DataFrame:
    """A metadata table (CSV or Excel) as strings, cells stripped and inner whitespace collapsed.

    CSV is read as UTF-8 (with or without BOM); a file that is not UTF-8 is read as Windows-1252
    with a warning, as Excel on Windows saves it.
    """
    path = Path(path)
    if not path.is_file():
        raise CorpusError(f"{path}: no such metadata table")
    suffix = path.suffix.lower()
    try:
        if suffix in (".xlsx", ".xlsm", ".xls"):
            table = pd.read_excel(path, dtype=str, keep_default_na=False)
        elif suffix in (".csv", ".tsv", ".txt"):
            sep = "\t" if suffix == ".tsv" else ","
            data = path.read_bytes()
            try:
                text = data.decode("utf-8-sig")
            except UnicodeDecodeError:
                logger.warning("%s is not UTF-8; reading it as Windows-1252", path)
                text = data.decode("cp1252", errors="replace")
            table = pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False, sep=sep)
        else:
            raise CorpusError(f"{path}: metadata must be a .csv, .tsv or .xlsx table")
    except (ValueError, OSError, pd.errors.ParserError) as exc:
        raise CorpusError(f"{path}: cannot be read as a table ({exc})") from None
    except ImportError as exc:
        raise CorpusError(f"{path}: reading Excel needs openpyxl ({exc})") from None
    table.columns = [" ".join(str(c).split()) for c in table.columns]
    return table.apply(lambda col: col.map(_clean_cell))


def _clean_cell(value: Any) -> str:
    if value is None or (isinstance(value, float) and value != value):
        return ""
    return " ".join(str(value).split())


def import_table(source: str | Path, *, text_column: str | None = None,
                 allow_undated: bool = False, name: str | None = None) -> ImportResult:
    """Import one CSV, JSON Lines or Parquet table (a text column plus metadata columns).

    Rows the loader cannot use are skipped with its reasons; rows without a date are skipped
    with reason "missing date" unless `allow_undated`.
    """
    path = Path(source)
    if not path.is_file():
        raise CorpusError(f"{path}: no such table file")
    corpus = load_table(path, text_column=text_column)
    skipped = list(corpus.skipped)
    documents: list[Document] = []
    for doc in corpus:
        if doc.date is None and not allow_undated:
            skipped.append(Skip(f"{path.name} id {doc.id}", "missing date",
                                "no date in the row; use --allow-undated to keep undated rows"))
        else:
            documents.append(doc)
    for skip in skipped[len(corpus.skipped):]:
        logger.warning("%s", skip)
    info = {
        "name": name or path.stem,
        "description": f"Imported from the table {path.name}.",
        "import": {"kind": "table", "source": str(path), "text_column": text_column,
                   "allow_undated": allow_undated},
    }
    return ImportResult(documents, skipped, info)


def check_output_folder(out_dir: str | Path, source: str | Path, *, overwrite: bool = False) -> Path:
    """Refuse to write a corpus over an existing one (unless `overwrite`) or into its source.

    With `overwrite`, the document files, `corpus.yml` and `skipped.csv` of a corpus folder
    (one with a `corpus.yml`) are removed first; other folders with text files are refused.
    """
    out = Path(out_dir)
    src = Path(source).resolve()
    res = out.resolve()
    if src.is_dir() and (res == src or src in res.parents or res in src.parents):
        raise UserError(f"--out {out}: must not be the source folder {source}, inside it or "
                        "contain it")
    if out.exists() and not out.is_dir():
        raise UserError(f"--out {out}: exists and is not a folder")
    if not out.exists():
        return out
    existing = document_files(out)
    extra = [out / CORPUS_FILE, out / SKIP_LIST_NAME]
    if not existing and not any(p.exists() for p in extra):
        return out
    if not overwrite:
        raise UserError(f"--out {out}: already holds a corpus ({len(existing)} documents); "
                        "choose another folder or add --overwrite to replace it")
    if not (out / CORPUS_FILE).exists():  # never delete text files of a folder we did not write
        raise UserError(f"--out {out}: holds {len(existing)} text files but no {CORPUS_FILE}, so "
                        "it is not a corpus written by an import; choose an empty folder")
    for path in [*existing, *extra]:
        if path.exists():
            path.unlink()
    return out


# The importers, imported last: they use the helpers above.
from analysis.corpus.importers.folder import import_folder  # noqa: E402
from analysis.corpus.importers.html import import_html  # noqa: E402
from analysis.corpus.importers.ungdc import import_ungdc  # noqa: E402

IMPORTERS: dict[str, Callable[..., ImportResult]] = {
    "ungdc": import_ungdc,
    "html": import_html,
    "folder": import_folder,
    "table": import_table,
}

__all__ = [
    "IGNORED", "IMPORTERS", "ImportResult", "check_output_folder", "import_folder", "import_html",
    "import_table", "import_ungdc", "load_metadata_table",
]
