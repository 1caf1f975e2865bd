"""Term and vocabulary counts summed per label (a period, a group, a split of the corpus) as a
reduction: each partition's per-document counts are summed into a small (labels, terms) matrix on
the worker that counted them, and those matrices are summed on the workers too
(`Engine.reduce`), so only the (labels, terms) totals come back, never a row per document. Each
partition carries its documents' `Tokens.shard` and their label rows; what every task shares is
only the patterns, the learned phrases and the number of labels.

`term_totals` counts given terms (the `count_terms` matching), `vocabulary_totals` every token
(the `count_vocabulary` token view). Both give the occurrences and the documents with the term per
label; the numbers equal the column sums of the per-document matrices of `count_terms` and
`count_vocabulary` over the documents of each label (tested).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from scipy import sparse

from analysis.preprocess import Tokens
from analysis.preprocess.engine import Lazy, chunks, engine_for
from analysis.trends.terms import (
    Failure,
    Progress,
    TermPattern,
    _count_partition,
    _vocabulary_partition,
    parse_terms,
)

ALL = "all"


@dataclass
class Totals:
    """Counts per label and term: `count` and `n_docs` are (labels, terms) int64 CSR matrices,
    `labels` and `terms` their row and column names, `failures` the documents that raised (left out)."""

    labels: list[str]
    terms: list[str]
    count: sparse.csr_matrix
    n_docs: sparse.csr_matrix
    failures: list[Failure]

    def table(self) -> pd.DataFrame:
        """One row per label and term that occurs: label, term, count, n_docs (by label, then term)."""
        c = self.count.tocoo()
        d = self.n_docs.tocsr()
        out = pd.DataFrame({"label": np.asarray(self.labels, dtype=object)[c.row],
                            "term": np.asarray(self.terms, dtype=object)[c.col],
                            "count": c.data.astype("int64"),
                            "n_docs": np.asarray(d[c.row, c.col]).ravel().astype("int64")})
        return out.sort_values(["label", "term"], kind="mergesort").reset_index(drop=True)

    def totals(self) -> pd.Series:
        """Each term's count over every label."""
        return pd.Series(np.asarray(self.count.sum(axis=0)).ravel(), index=self.terms, name="count")


def _labels(tokens: Tokens, by: pd.Series | None) -> tuple[list[str], dict[str, int]]:
    """The label names (sorted) and each document's label row; documents without a label are left out."""
    if by is None:
        return [ALL], dict.fromkeys(tokens.ids, 0)
    values = by.reindex(tokens.metadata.index)
    names = sorted({str(v) for v in values.dropna()})
    row = {n: i for i, n in enumerate(names)}
    return names, {d: row[str(v)] for d, v in values.dropna().items()}


def _by_label(matrix: sparse.csr_matrix, rows: np.ndarray, n_labels: int) -> tuple[sparse.csr_matrix, sparse.csr_matrix]:
    """(labels, terms) sums and document counts of a (documents, terms) matrix; `rows`: each
    document's label row (-1: left out)."""
    keep = rows >= 0
    ind = sparse.csr_matrix((np.ones(int(keep.sum()), dtype=np.int64), (rows[keep], np.flatnonzero(keep))),
                            shape=(n_labels, matrix.shape[0]))
    present = matrix.copy()
    present.data = (present.data > 0).astype(np.int64)
    return (ind @ matrix.astype(np.int64)).tocsr(), (ind @ present).tocsr()


def _add(parts: list[tuple]) -> tuple:
    """Sum of partial totals (count, n_docs, failures), in order."""
    if not parts:
        return None
    count, n_docs, failures = parts[0]
    for c, d, f in parts[1:]:
        count, n_docs, failures = count + c, n_docs + d, failures + f
    return count, n_docs, failures


def _partitions(tokens: Tokens, label_of: dict[str, int], batch_size: int) -> Lazy[tuple[Tokens, dict[str, int]]]:
    """Each partition's `Tokens.shard` (without the learned phrases) and its documents' label rows."""
    return Lazy(chunks(tokens.ids, batch_size),
                lambda ids: (tokens.shard(ids, phrases=False), {d: label_of[d] for d in ids if d in label_of}))


def _terms_partition(part: tuple[Tokens, dict[str, int]], shared: tuple) -> tuple:
    """One partition's (labels, terms) totals of the patterns (shared: phrases, patterns, view, labels)."""
    shard, label_of = part
    phraser, patterns, within_mwe, n_labels = shared
    matrix, failures = _count_partition(shard, (phraser, patterns, within_mwe))
    failed = {f.doc_id for f in failures}
    rows = np.array([label_of.get(d, -1) for d in shard.ids if d not in failed], dtype=np.int64)
    count, n_docs = _by_label(matrix, rows, n_labels)
    return count, n_docs, failures


def term_totals(tokens: Tokens, terms: str | Sequence[str] | Sequence[TermPattern], *,
                by: pd.Series | None = None, within_mwe: bool = True, scheduler: Any = None,
                batch_size: int = 256, progress: Progress | None = None) -> Totals:
    """Occurrences and documents of each term per label of `by` (a Series of labels by document
    id; None: one label, "all"), reduced on the workers (module docstring)."""
    if isinstance(terms, str) or (terms and not isinstance(next(iter(terms)), TermPattern)):
        patterns = parse_terms(terms, tokens.params)
    else:
        patterns = list(terms)
    labels, label_of = _labels(tokens, by)
    parts = _partitions(tokens, label_of, batch_size)
    reduced = engine_for(scheduler).reduce(_terms_partition, parts,
                                           (tokens.phraser, patterns, within_mwe, len(labels)), _add,
                                           sizes=parts.sizes, progress=progress)
    if reduced is None:
        empty = sparse.csr_matrix((len(labels), len(patterns)), dtype=np.int64)
        reduced = (empty, empty, [])
    count, n_docs, failures = reduced
    return Totals(labels, [p.label for p in patterns], count.tocsr(), n_docs.tocsr(), failures)


def _vocabulary_part(part: tuple[Tokens, dict[str, int]], shared: tuple) -> tuple:
    """One partition's (labels, terms) totals in its own vocabulary, its terms sorted (shared:
    the learned phrases, the number of labels)."""
    shard, label_of = part
    phraser, n_labels = shared
    names, matrix, failures = _vocabulary_partition(shard, phraser)
    failed = {f.doc_id for f in failures}
    rows = np.array([label_of.get(d, -1) for d in shard.ids if d not in failed], dtype=np.int64)
    count, n_docs = _by_label(matrix, rows, n_labels)
    order = np.argsort(np.asarray(names, dtype=object), kind="stable") if names else np.zeros(0, dtype=np.int64)
    return np.asarray(names, dtype=object)[order], count[:, order].tocsr(), n_docs[:, order].tocsr(), failures


def _merge_vocabularies(parts: list[tuple]) -> tuple | None:
    """Sum of partial vocabulary totals: the union of their (sorted) terms, counts summed."""
    if not parts:
        return None
    names = np.unique(np.concatenate([p[0] for p in parts])) if parts else np.zeros(0, dtype=object)
    n_labels = parts[0][1].shape[0]
    rows, cols, counts, docs, failures = [], [], [], [], []
    for part_names, count, n_docs, failed in parts:
        columns = np.searchsorted(names, part_names)
        c, d = count.tocoo(), n_docs.tocsr()
        rows.append(c.row)
        cols.append(columns[c.col])
        counts.append(c.data)
        docs.append(np.asarray(d[c.row, c.col]).ravel())
        failures += failed
    shape = (n_labels, len(names))
    r, k = np.concatenate(rows), np.concatenate(cols)
    count = sparse.csr_matrix((np.concatenate(counts).astype(np.int64), (r, k)), shape=shape)
    n_docs = sparse.csr_matrix((np.concatenate(docs).astype(np.int64), (r, k)), shape=shape)
    return names, count, n_docs, failures


def vocabulary_totals(tokens: Tokens, *, by: pd.Series | None = None, scheduler: Any = None,
                      batch_size: int = 256, progress: Progress | None = None) -> Totals:
    """Occurrences and documents of every token (the token view of `count_vocabulary`) per label
    of `by` (None: one label, "all"), reduced on the workers; terms sorted."""
    labels, label_of = _labels(tokens, by)
    parts = _partitions(tokens, label_of, batch_size)
    reduced = engine_for(scheduler).reduce(_vocabulary_part, parts, (tokens.phraser, len(labels)),
                                           _merge_vocabularies, sizes=parts.sizes, progress=progress)
    if reduced is None:
        empty = sparse.csr_matrix((len(labels), 0), dtype=np.int64)
        reduced = (np.zeros(0, dtype=object), empty, empty, [])
    names, count, n_docs, failures = reduced
    return Totals(labels, [str(t) for t in names], count, n_docs, failures)


__all__ = ["ALL", "Totals", "term_totals", "vocabulary_totals"]
