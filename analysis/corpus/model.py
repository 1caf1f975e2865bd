"""The `Document` and `Corpus` types: texts plus one metadata frame, with a content hash."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from analysis.corpus.skips import Skip

# Where a document was read from is not part of its content (same texts, same hash).
_NOT_CONTENT = frozenset({"path"})
# Columns every metadata frame has, in this order; other keys follow sorted.
META_COLUMNS = ("date", "date_precision", "year", "language", "title", "n_chars", "text_hash")


@dataclass(frozen=True)
class Document:
    """One text with its id, language, date (`YYYY[-MM[-DD]]` or None) and other metadata."""

    id: str
    text: str
    language: str
    date: str | None = None
    meta: dict[str, Any] = field(default_factory=dict)


def text_hash(text: str) -> str:
    """Hash of a document's text (hex sha1, enough to key caches)."""
    return hashlib.sha1(text.encode("utf-8")).hexdigest()


def _jsonable(value: Any) -> Any:
    if value is pd.NA or value is pd.NaT:  # missing values of nullable columns (e.g. year)
        return None
    if isinstance(value, float) and value != value:  # NaN
        return None
    if hasattr(value, "item"):
        return value.item()
    return value


class Corpus:
    """Documents plus a metadata frame indexed by document id.

    Texts are fetched on demand through `text(doc_id)`, so a corpus of files holds only its
    metadata in memory; `batches()` streams documents in order. Build one with
    `analysis.corpus.load_corpus` or `Corpus.from_documents`.
    """

    def __init__(
        self,
        metadata: pd.DataFrame,
        text_source: Callable[[str], str],
        *,
        name: str = "corpus",
        info: dict[str, Any] | None = None,
        skipped: Sequence[Skip] = (),
        location: str | None = None,
        content_hash: str | None = None,
    ) -> None:
        self.metadata = metadata
        self._text_source = text_source
        self.name = name
        self.info = dict(info or {})
        self.skipped = list(skipped)
        self.location = location
        self._hash: str | None = content_hash  # `hash`, when the loader already knows it

    @classmethod
    def from_documents(
        cls, documents: Sequence[Document], *, name: str = "corpus", info: dict[str, Any] | None = None,
        skipped: Sequence[Skip] = (),
    ) -> Corpus:
        """A corpus held in memory."""
        texts = {d.id: d.text for d in documents}
        if len(texts) != len(documents):
            seen: set[str] = set()
            dup = next(d.id for d in documents if d.id in seen or seen.add(d.id))
            raise ValueError(f"duplicate document id {dup!r}")
        frame = metadata_frame(documents)
        return cls(frame, texts.__getitem__, name=name, info=info, skipped=skipped)

    # --- size and access -------------------------------------------------
    def __len__(self) -> int:
        return len(self.metadata)

    def __repr__(self) -> str:
        return f"Corpus({self.name!r}, {len(self)} documents, hash={self.hash[:12]})"

    @property
    def ids(self) -> list[str]:
        return list(self.metadata.index)

    def text(self, doc_id: str) -> str:
        """The text of one document."""
        return self._text_source(doc_id)

    def document(self, doc_id: str) -> Document:
        """One document with its metadata."""
        row = self.metadata.loc[doc_id]
        meta = {k: _jsonable(v) for k, v in row.items() if k not in ("language", "date")}
        meta = {k: v for k, v in meta.items() if v is not None}
        date = row["date"] if isinstance(row["date"], str) else None
        return Document(doc_id, self.text(doc_id), row["language"], date, meta)

    def __iter__(self) -> Iterator[Document]:
        for doc_id in self.metadata.index:
            yield self.document(doc_id)

    def batches(self, size: int = 256) -> Iterator[list[Document]]:
        """Stream the documents in corpus order, `size` at a time."""
        batch: list[Document] = []
        for doc in self:
            batch.append(doc)
            if len(batch) >= size:
                yield batch
                batch = []
        if batch:
            yield batch

    def subset(self, mask: Sequence[bool] | pd.Series) -> Corpus:
        """A corpus of the documents where `mask` is true (texts shared, nothing copied)."""
        frame = self.metadata[list(mask) if not isinstance(mask, pd.Series) else mask.values]
        return Corpus(frame, self._text_source, name=self.name, info=self.info,
                      skipped=self.skipped, location=self.location)

    def shard(self, ids: Sequence[str]) -> Corpus:
        """The corpus of the documents `ids` only, for one partition of work on a worker: their
        metadata rows and a text source restricted to them (`restrict_texts`); no skip list, the
        name, `info` and location as here. Ids that are not in the corpus are left out."""
        index = self.metadata.index
        frame = self.metadata.loc[[i for i in ids if i in index]]
        return Corpus(frame, restrict_texts(self._text_source, frame.index), name=self.name, info=self.info,
                      location=self.location)

    # --- identity --------------------------------------------------------
    @property
    def hash(self) -> str:
        """Content hash: changes when any text or metadata value changes (hex sha256)."""
        if self._hash is None:
            h = hashlib.sha256()
            frame = self.metadata.sort_index()
            for doc_id, row in frame.iterrows():
                record = {k: _jsonable(v) for k, v in row.items() if k not in _NOT_CONTENT}
                h.update(json.dumps([doc_id, record], sort_keys=True, default=str).encode("utf-8"))
                h.update(b"\n")
            self._hash = h.hexdigest()
        return self._hash

    @property
    def is_synthetic(self) -> bool:
        """True when the corpus says it is synthetic (the demo corpus does)."""
        return bool(self.info.get("synthetic", False))


def restrict_texts(source: Callable[[str], str], ids: Iterable[str]) -> Callable[[str], str]:
    """A text source that knows the documents `ids` only: the source's own ``restrict(ids)`` (the
    folder and Parquet sources have one), a dict's ``__getitem__`` over those keys (an in-memory
    corpus), else the source as it is (a function that cannot be restricted)."""
    restrict = getattr(source, "restrict", None)
    if callable(restrict):
        return restrict(ids)
    owner = getattr(source, "__self__", None)
    if isinstance(owner, dict) and getattr(source, "__name__", "") == "__getitem__":
        return {i: owner[i] for i in ids if i in owner}.__getitem__
    return source


def metadata_row(doc: Document) -> dict[str, Any]:
    """One document's metadata as a flat record (the text reduced to its length and hash)."""
    from analysis.corpus.dates import parse_date

    row: dict[str, Any] = {"id": doc.id}
    if doc.date:
        date, precision = parse_date(doc.date)
        row.update(date=date, date_precision=precision, year=int(date[:4]))
    else:
        row.update(date=None, date_precision=None, year=None)
    row.update(language=doc.language, title=doc.meta.get("title"), n_chars=len(doc.text),
               text_hash=text_hash(doc.text))
    for k, v in doc.meta.items():
        if k not in row:
            row[k] = v
    return row


def metadata_frame(rows: Sequence[dict[str, Any]] | Sequence[Document]) -> pd.DataFrame:
    """The metadata frame indexed by id: core columns first, then other keys sorted."""
    rows = [metadata_row(r) if isinstance(r, Document) else r for r in rows]
    frame = pd.DataFrame(rows) if rows else pd.DataFrame(columns=["id", *META_COLUMNS])
    extra = sorted(c for c in frame.columns if c not in META_COLUMNS and c != "id")
    frame = frame[["id", *META_COLUMNS, *extra]].set_index("id")
    frame["year"] = frame["year"].astype("Int64")
    frame["n_chars"] = frame["n_chars"].astype("int64")
    return frame
