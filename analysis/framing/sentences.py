"""The sentence table of a frame detection run, kept on storage as Parquet parts.

Each partition's table (one row per sentence, `detect.rows_frame`) is written by the process that
detected it (a Dask worker, or this one) as one part, `part-NNNNN.parquet`, into a folder every
worker sees: beside the tokens' cache when the result is stored (`<cache>/results/frame-sentences/
<key[:2]>/<key>.parts/`), else a scratch folder deleted with the result. What comes back from a
partition is only its per-document counts (`partition_counts`). A `SentenceTable` names the parts
in corpus order; it loads them (all, or some columns) only when asked, and writes them into one
Parquet file (a row group a part) and, on request, one CSV, part by part.
"""

from __future__ import annotations

import logging
import os
import shutil
import tempfile
import threading
import weakref
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from analysis.errors import CorpusError

logger = logging.getLogger(__name__)

COMPRESSION = "zstd"
SENTENCE_COLUMNS = ("doc_id", "sentence_index", "text")  # then one column per frame, partners, matched_terms
SENTENCE_TABLE = "sentence_frames.parquet"


def part_name(index: int) -> str:
    return f"part-{index:05d}.parquet"


def write_part(folder: str, index: int, table: pd.DataFrame) -> str | None:
    """Write one partition's sentence table as part `index` of `folder`; its file name (None for
    a partition without sentences: nothing is written)."""
    if not len(table):
        return None
    name = part_name(index)
    path = Path(folder) / name
    tmp = path.with_name(f".{name}.{os.getpid()}.{threading.get_ident()}.tmp")  # one a writer
    table.to_parquet(tmp, index=False, compression=COMPRESSION, engine="pyarrow")
    tmp.replace(path)
    return name


def partition_counts(table: pd.DataFrame, frames: Sequence[str]) -> pd.DataFrame:
    """Per document of one partition's sentence table (index doc_id, in order of first sentence):
    n_sentences and one column per frame (sentences with it), int64."""
    grouped = table.groupby("doc_id", sort=False)
    out = grouped[list(frames)].sum().astype("int64")
    out.insert(0, "n_sentences", grouped.size().astype("int64"))
    out.index.name = "doc_id"
    return out


@dataclass
class SentenceTable:
    """Parts of a sentence table in corpus order (see the module docstring).

    folder : where the parts are; parts : their file names; rows : the rows of each part;
    columns : the table's columns (for an empty table).
    """

    folder: str
    parts: list[str]
    rows: list[int]
    columns: list[str]
    _scratch: Any = field(default=None, repr=False, compare=False)

    @property
    def n_rows(self) -> int:
        return int(sum(self.rows))

    def __len__(self) -> int:
        return self.n_rows

    def to_record(self) -> dict[str, Any]:
        """What is stored with the result: the parts' names and rows (the folder is the key's)."""
        return {"parts": list(self.parts), "rows": [int(r) for r in self.rows], "columns": list(self.columns)}

    @classmethod
    def from_record(cls, folder: str | Path, record: dict[str, Any]) -> SentenceTable:
        return cls(str(folder), list(record["parts"]), [int(r) for r in record["rows"]], list(record["columns"]))

    def check(self) -> bool:
        """Every part is there, reads as Parquet and has its rows (a stored table is never trusted
        unread)."""
        import pyarrow.parquet as pq

        for name, n in zip(self.parts, self.rows, strict=True):
            try:
                if pq.read_metadata(Path(self.folder) / name).num_rows != n:
                    return False
            except (OSError, ValueError) as exc:
                logger.warning("%s: a part of a stored sentence table does not read (%s)", name, exc)
                return False
        return True

    def iter_parts(self, columns: Sequence[str] | None = None) -> Iterator[pd.DataFrame]:
        """The parts one at a time, as tables (only `columns`, default all)."""
        for name in self.parts:
            path = Path(self.folder) / name
            try:
                yield pd.read_parquet(path, columns=list(columns) if columns is not None else None,
                                      engine="pyarrow")
            except (OSError, ValueError) as exc:
                raise CorpusError(f"{path}: cannot read this part of the sentence table ({exc}); "
                                  "run the frame detection again") from None

    def load(self, columns: Sequence[str] | None = None) -> pd.DataFrame:
        """The whole table (or some columns) in memory."""
        parts = list(self.iter_parts(columns))
        if not parts:
            frames = self.columns[3:-2]
            empty = rows_frame([], frames)
            return empty[list(columns)] if columns is not None else empty
        return pd.concat(parts, ignore_index=True) if len(parts) > 1 else parts[0]

    def write(self, out: Path, stem: str, *, csv: bool = False) -> list[Path]:
        """`out/<stem>.parquet` (a row group a part) and, with `csv`, `out/<stem>.csv`, part by part."""
        import pyarrow as pa
        import pyarrow.parquet as pq

        path = out / f"{stem}.parquet"
        paths = [path]
        if not self.parts:
            self.load().to_parquet(path, index=False, compression=COMPRESSION)
        else:
            writer = None
            try:
                for name in self.parts:
                    table = pq.read_table(Path(self.folder) / name)
                    if writer is None:
                        writer = pq.ParquetWriter(path, table.schema, compression=COMPRESSION)
                    writer.write_table(table.cast(writer.schema) if table.schema != writer.schema else table)
            except (OSError, ValueError, pa.ArrowInvalid) as exc:
                raise CorpusError(f"{self.folder}: cannot read a part of the sentence table ({exc}); "
                                  "run the frame detection again") from None
            finally:
                if writer is not None:
                    writer.close()
        if csv:
            paths.append(out / f"{stem}.csv")
            first = True
            for part in (self.iter_parts() if self.parts else [self.load()]):
                part.to_csv(paths[-1], index=False, header=first, mode="w" if first else "a")
                first = False
        return paths


def rows_frame(rows: list[tuple], frames: Sequence[str]) -> pd.DataFrame:
    """Rows as the sentence table: doc_id, sentence_index, text, one 0/1 (int8) column per frame,
    partners, matched_terms."""
    table = pd.DataFrame(rows, columns=[*SENTENCE_COLUMNS, *frames, "partners", "matched_terms"])
    for f in frames:
        table[f] = table[f].astype("int8")
    return table


def load_sentence_frames(path: str | Path, columns: Sequence[str] | None = None) -> pd.DataFrame:
    """The sentence table that `FrameResult.write` wrote (a folder, or the .parquet or .csv file),
    reading only `columns` (default: all); empty texts come back as "" as written."""
    path = Path(path)
    if path.is_dir():
        path = path / SENTENCE_TABLE if (path / SENTENCE_TABLE).exists() else path / "sentence_frames.csv"
    if not path.exists():
        raise CorpusError(f"{path}: no sentence table here (written by `python -m analysis frames`).")
    cols = list(columns) if columns is not None else None
    try:
        if path.suffix == ".csv":
            return pd.read_csv(path, usecols=cols, keep_default_na=False)
        return pd.read_parquet(path, columns=cols)
    except (ValueError, KeyError, OSError) as exc:
        raise CorpusError(f"{path}: cannot read the sentence table ({exc}).") from None


def scratch_folder(root: Path | None) -> tuple[str, Any]:
    """A new folder for the parts of a result that is not stored: under `root/tmp/` (beside the
    tokens' cache, which every worker sees) or, without one, this machine's temporary folder;
    and an object whose collection deletes it."""
    if root is not None:
        (root / "tmp").mkdir(parents=True, exist_ok=True)
    folder = tempfile.mkdtemp(prefix="frames-", dir=str(root / "tmp") if root is not None else None)

    class _Owner:
        pass

    owner = _Owner()
    weakref.finalize(owner, shutil.rmtree, folder, True)
    return folder, owner


__all__ = ["SENTENCE_COLUMNS", "SENTENCE_TABLE", "SentenceTable", "load_sentence_frames", "partition_counts",
           "rows_frame", "scratch_folder", "write_part"]
