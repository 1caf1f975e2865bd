"""The partitioned Parquet format: a corpus too large for memory, read one part at a time.

A corpus folder holding `part-00000.parquet`, `part-00001.parquet`, ... (and `corpus.yml`,
`skipped.csv` as in the folder format). Each part has the columns `id`, `date`, `language`,
`text`, `text_hash`, `n_chars` and the other metadata keys. Loading reads every column but the
text (so the corpus's metadata and hash need no text); a text is read with its part, when a
document of that part is first asked for, and each process (a Dask worker) keeps only the part it
read last. Partitions of the corpus in corpus order therefore read each part about once.

Write one with `python -m analysis corpus import ... --format parquet` or `write_dataset`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import pandas as pd

from analysis.corpus.dates import parse_date
from analysis.corpus.io import _is_missing, load_corpus_info
from analysis.corpus.model import Corpus, Document, metadata_frame, text_hash
from analysis.errors import CorpusError

PART = re.compile(r"^part-(\d{5,})\.parquet$")
PART_SIZE = 1000  # documents a part
_CORE = ("id", "date", "language", "text", "text_hash", "n_chars")


def dataset_parts(folder: Path) -> list[Path]:
    """The part files of a Parquet dataset folder, in order (empty when it is not one)."""
    return sorted(p for p in Path(folder).iterdir() if PART.match(p.name) and p.is_file())


def write_dataset(documents: Iterable[Document], folder: Path, *, part_size: int = PART_SIZE) -> int:
    """Write documents as `part-NNNNN.parquet` files of `part_size` documents; the number written."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    for old in dataset_parts(folder):
        old.unlink()
    rows: list[dict[str, Any]] = []
    n = part = 0

    def flush() -> None:
        nonlocal part
        if rows:
            pd.DataFrame(rows).to_parquet(folder / f"part-{part:05d}.parquet", engine="pyarrow", index=False)
            part += 1
            rows.clear()

    from analysis.corpus.io import DERIVED_COLUMNS

    for doc in documents:
        rows.append({"id": doc.id, "date": doc.date, "language": doc.language, "text": doc.text,
                     "text_hash": text_hash(doc.text), "n_chars": len(doc.text),
                     **{k: v for k, v in doc.meta.items() if k not in DERIVED_COLUMNS and k not in _CORE}})
        n += 1
        if len(rows) >= part_size:
            flush()
    flush()
    return n


# The part this process read last, for every `PartTexts` of it (the shards of one corpus that the
# partitions carry are separate objects): (path, modification time and size) -> texts by id.
_last_part: tuple[tuple[str, int, int], dict[str, str]] | None = None


class PartTexts:
    """Texts of a Parquet dataset by document id, read a part at a time (the last part read is
    kept by the process, not by this object: the next shard of the same part reads it no more)."""

    def __init__(self, folder: Path, part_of: dict[str, str]) -> None:
        self.folder = Path(folder)
        self.part_of = part_of

    def restrict(self, ids: Iterable[str]) -> PartTexts:
        """The texts of the documents `ids` only (`Corpus.shard`): where those are, not where every
        document is."""
        return PartTexts(self.folder, {i: self.part_of[i] for i in ids if i in self.part_of})

    def __call__(self, doc_id: str) -> str:
        # The part's texts are kept by the process only, never on this object: a shard is part of
        # its task, which a Dask worker may hold until the result is fetched, and shards holding
        # their parts' texts kept a worker's whole share of the corpus in memory.
        global _last_part
        path = self.folder / self.part_of[doc_id]
        try:
            stat = path.stat()
            key = (str(path), stat.st_mtime_ns, stat.st_size)
            last = _last_part  # one read: another thread may replace it
            if last is not None and last[0] == key:
                texts = last[1]
            else:
                table = pd.read_parquet(path, columns=["id", "text"], engine="pyarrow")
                texts = dict(zip(table["id"].astype(str), table["text"], strict=True))
                _last_part = (key, texts)
        except (OSError, ValueError) as exc:
            raise CorpusError(f"{path}: cannot be read ({exc})") from None
        return texts[doc_id]


def load_dataset(folder: Path) -> Corpus:
    """Load a Parquet dataset folder: metadata now (no text read), texts by part on demand."""
    folder = Path(folder)
    info = load_corpus_info(folder)
    defaults = info.get("defaults") or {}
    rows: list[dict[str, Any]] = []
    part_of: dict[str, str] = {}
    for path in dataset_parts(folder):
        import pyarrow.parquet as pq

        try:
            names = pq.read_schema(path).names
            missing = [c for c in _CORE if c not in names]
            if missing:
                raise CorpusError(f"{path}: no column {', '.join(missing)}; a part of a Parquet corpus has "
                                  f"{', '.join(_CORE)} and metadata columns")
            frame = pd.read_parquet(path, columns=[c for c in names if c != "text"], engine="pyarrow")
        except (OSError, ValueError) as exc:
            raise CorpusError(f"{path}: cannot be read as Parquet ({exc})") from None
        for rec in frame.to_dict("records"):
            doc_id = str(rec.pop("id"))
            if doc_id in part_of:
                raise CorpusError(f"{path}: duplicate id {doc_id!r} (also in {part_of[doc_id]})")
            part_of[doc_id] = path.name
            meta = {**defaults, **{k: v for k, v in rec.items() if not _is_missing(v)}}
            date = meta.pop("date", None)
            row: dict[str, Any] = {"id": doc_id}
            if date:
                value, precision = parse_date(str(date))
                row.update(date=value, date_precision=precision, year=int(value[:4]))
            else:
                row.update(date=None, date_precision=None, year=None)
            row.update(language=meta.pop("language"), title=meta.pop("title", None),
                       n_chars=int(meta.pop("n_chars")), text_hash=meta.pop("text_hash"))
            row.update({k: v.tolist() if hasattr(v, "tolist") else v for k, v in meta.items()})
            rows.append(row)
    frame = metadata_frame(rows)
    frame["path"] = [part_of[i] for i in frame.index]
    return Corpus(frame, PartTexts(folder.absolute(), part_of), name=str(info.get("name") or folder.name), info=info,
                  location=str(folder))
