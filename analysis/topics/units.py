"""Units of analysis (documents, paragraphs or chunks), their filtered vocabulary and count matrix.

`prepare_units` cuts the documents and builds the vocabulary (gensim ``Dictionary``) and the
unit-term counts once, stored beside cached tokens; `Units` holds them for the estimator.
"""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
from scipy import sparse

from analysis.errors import CorpusError, ParameterError, check_choice, check_int
from analysis.preprocess import ProcessedDoc, Tokens
from analysis.preprocess.dtm import dtm_from_arrays, dtm_from_counts
from analysis.results import cache_key, cached

logger = logging.getLogger(__name__)

Progress = Callable[[int, int], None]  # (steps done, steps in all)

UNITS = ("document", "paragraph", "chunk")
MIN_UNITS = 10  # and at least 2 units per topic


def split_units(doc: ProcessedDoc, unit: str = "document", *, chunk_size: int = 200,
                paragraph_size: int = 5) -> list[list[str]]:
    """A document's tokens cut into units (pure; units without tokens are left out).

    - ``document``: one unit with all tokens.
    - ``paragraph``: consecutive groups of ``paragraph_size`` sentences (a fixed number of
      sentences, not the source's blank-line paragraphs, which preprocessing does not keep).
    - ``chunk``: consecutive runs of ``chunk_size`` tokens across sentence boundaries; a last
      piece shorter than half a chunk joins the chunk before it.
    """
    if unit == "document":
        flat = doc.flat()
        return [flat] if flat else []
    if unit == "paragraph":
        out = []
        for start in range(0, len(doc.tokens), paragraph_size):
            toks = [t for sent in doc.tokens[start : start + paragraph_size] for t in sent]
            if toks:
                out.append(toks)
        return out
    if unit == "chunk":
        flat = doc.flat()
        pieces = [flat[i : i + chunk_size] for i in range(0, len(flat), chunk_size)]
        if len(pieces) > 1 and len(pieces[-1]) < chunk_size / 2:
            last = pieces.pop()
            pieces[-1] = pieces[-1] + last
        return pieces
    raise ParameterError(f"`unit` must be one of {', '.join(map(repr, UNITS))}; got {unit!r}.")


class UnitTexts:
    """Re-iterable token lists of the kept units, in unit order (for gensim's coherence); with
    `rows` (sorted positions), only those units."""

    def __init__(self, units: Units, rows: np.ndarray | None = None) -> None:
        self._units = units
        self._rows = rows

    def __len__(self) -> int:
        return len(self._units.frame) if self._rows is None else len(self._rows)

    def __iter__(self) -> Iterator[list[str]]:
        u = self._units
        frame = u.frame if self._rows is None else u.frame.iloc[self._rows]
        for doc_id, parts in frame.groupby("doc_id", sort=False)["part"]:
            pieces = split_units(u.tokens.get(doc_id), u.settings["unit"],
                                 chunk_size=u.settings["chunk_size"],
                                 paragraph_size=u.settings["paragraph_size"])
            for p in parts:
                yield pieces[p]


@dataclass(frozen=True, eq=False)
class Units:
    """The units of analysis and their bag of words.

    frame : one row per kept unit: ``doc_id``, ``part`` (its place in the document),
        ``n_tokens`` (preprocessed tokens) and ``n_terms`` (tokens in the vocabulary).
    dtm : csr_matrix of shape (n_units, n_terms), term counts.
    dictionary : gensim ``Dictionary`` after vocabulary filtering (term id = dtm column).
    settings : how the units and the vocabulary were made.
    tokens : the `Tokens` they come from (for texts, sentences and document metadata).
    n_dropped : units left out because none of their tokens is in the vocabulary.
    fingerprint : hash of the tokens and settings that made them (None: not from `prepare_units`
        on cached tokens); it keys the stored fits of `TopicModel.fit`.
    """

    frame: pd.DataFrame
    dtm: sparse.csr_matrix
    dictionary: Any = field(repr=False)
    settings: dict
    tokens: Tokens = field(repr=False)
    n_dropped: int = 0
    fingerprint: str | None = None

    @property
    def vocab(self) -> list[str]:
        return [self.dictionary[i] for i in range(len(self.dictionary))]

    def texts(self, rows: np.ndarray | None = None) -> UnitTexts:
        """The units' token lists (only those at the sorted positions `rows`, when given)."""
        return UnitTexts(self, rows)

    @property
    def doc_ids(self) -> list[str]:
        """Documents with at least one kept unit, in corpus order."""
        return list(pd.unique(self.frame["doc_id"]))

    def __len__(self) -> int:
        return len(self.frame)


def prepare_units(tokens: Tokens, *, unit: str = "document", chunk_size: int = 200,
                  paragraph_size: int = 5, no_below: int = 5, no_above: float = 0.5,
                  keep_n: int | None = 20_000, progress: Progress | None = None, cache: bool = True) -> Units:
    """Cut documents into units and build the filtered vocabulary and count matrix.

    Vocabulary filtering (gensim ``Dictionary.filter_extremes``): keep terms in at least
    ``no_below`` units and at most a fraction ``no_above`` of units, then the ``keep_n`` most
    frequent (by unit frequency; None keeps all). Two passes over the tokens: vocabulary, then counts.
    With ``cache`` (and tokens from the on-disk cache), the result is stored beside the tokens and
    reused by a later call with the same tokens and settings (`analysis.preprocess.cache.ResultCache`).
    """
    check_choice("unit", unit, UNITS)
    chunk_size = check_int("chunk_size", chunk_size, minimum=10)
    paragraph_size = check_int("paragraph_size", paragraph_size, minimum=1)
    no_below = check_int("no_below", no_below, minimum=1)
    if not 0 < float(no_above) <= 1:
        raise ParameterError(f"`no_above` must be a fraction in (0, 1]; got {no_above!r}.")
    if keep_n is not None:
        keep_n = check_int("keep_n", keep_n, minimum=1)
    settings = {"unit": unit, "chunk_size": chunk_size, "paragraph_size": paragraph_size,
                "no_below": no_below, "no_above": float(no_above), "keep_n": keep_n}
    if len(tokens) == 0:
        raise CorpusError("the corpus has no documents; topic models need a corpus to fit.")
    store = tokens.results if cache else None
    record = {"tokens": tokens.fingerprint, **settings}

    def build() -> tuple[pd.DataFrame, sparse.csr_matrix, Any, int]:
        return _build_units(tokens, settings, progress)

    frame, dtm, dictionary, n_dropped = cached(store, "units", record, build)
    fingerprint = cache_key(store, "units", record, build) if store is not None else None
    return Units(frame, dtm, dictionary, settings, tokens, n_dropped, fingerprint)


PRUNE_AT = 2_000_000  # gensim's ``Dictionary.add_documents`` prunes a vocabulary past this many words


def _build_units(tokens: Tokens, settings: dict, progress: Progress | None
                 ) -> tuple[pd.DataFrame, sparse.csr_matrix, Any, int]:
    """`prepare_units`' work: (frame, dtm, dictionary, n_dropped).

    One pass over the tokens counts each unit's words (`collections.Counter`) and numbers new words
    as gensim's ``Dictionary`` does (a unit's new words in sorted order); the document frequencies
    and the filtered vocabulary are then gensim's own ``filter_extremes`` on that state, so the
    dictionary, the count matrix and the frame are those of ``Dictionary.add_documents`` then
    ``doc2bow`` (`_build_units_gensim`, which is used when the vocabulary outgrows `PRUNE_AT`).
    """
    from gensim.corpora import Dictionary

    unit, chunk_size, paragraph_size = settings["unit"], settings["chunk_size"], settings["paragraph_size"]
    n_docs = len(tokens)
    token2id: dict[str, int] = {}
    first_seen: list[int] = []  # word ids in the order gensim's dfs and cfs meet them
    ids: list[np.ndarray] = []  # each unit's word ids and counts
    counts: list[np.ndarray] = []
    meta: list[tuple[str, int, int]] = []  # each unit's (doc_id, part, n_tokens)
    for i, doc in enumerate(tokens, 1):
        for part, toks in enumerate(split_units(doc, unit, chunk_size=chunk_size, paragraph_size=paragraph_size)):
            counter = Counter(toks)
            new = [w for w in counter if w not in token2id]  # in the order the unit has them
            if new:
                for w in sorted(new):
                    token2id[w] = len(token2id)
                first_seen.extend(map(token2id.__getitem__, new))
            ids.append(np.fromiter(map(token2id.__getitem__, counter), dtype=np.int64, count=len(counter)))
            counts.append(np.fromiter(counter.values(), dtype=np.int64, count=len(counter)))
            meta.append((doc.id, part, len(toks)))
        if progress and (i % 200 == 0 or i == n_docs):
            progress(i, n_docs)
    if len(token2id) > PRUNE_AT:
        return _build_units_gensim(tokens, settings, progress)

    all_ids = np.concatenate(ids) if ids else np.zeros(0, dtype=np.int64)
    all_counts = np.concatenate(counts) if counts else np.zeros(0, dtype=np.int64)
    lengths = np.fromiter(map(len, ids), dtype=np.int64, count=len(ids))
    del ids, counts
    dfs = np.bincount(all_ids, minlength=len(token2id)).tolist()
    cfs = np.bincount(all_ids, weights=all_counts, minlength=len(token2id)).astype(np.int64).tolist()
    dictionary = Dictionary()
    dictionary.token2id = dict(token2id)
    dictionary.dfs = {j: dfs[j] for j in first_seen}
    dictionary.cfs = {j: cfs[j] for j in first_seen}
    dictionary.num_docs = len(meta)
    dictionary.num_pos = sum(m[2] for m in meta)
    dictionary.num_nnz = len(all_ids)
    n_before = _filter_vocabulary(dictionary, tokens, settings)

    new_id = np.full(len(token2id), -1, dtype=np.int64)
    for w, j in dictionary.token2id.items():
        new_id[token2id[w]] = j
    row = np.repeat(np.arange(len(meta)), lengths)
    cols = new_id[all_ids]
    keep = cols >= 0
    row, cols, vals = row[keep], cols[keep], all_counts[keep]
    order = np.lexsort((cols, row))  # doc2bow's rows: ascending term id
    row, cols, vals = row[order], cols[order], vals[order]
    per_row = np.bincount(row, minlength=len(meta))
    n_terms = np.bincount(row, weights=vals, minlength=len(meta)).astype(np.int64)
    kept = per_row > 0
    indptr = np.concatenate([[0], np.cumsum(per_row[kept])])
    dtm = dtm_from_arrays(indptr, cols, vals, len(dictionary), dtype=np.int32)
    rows = [(*m, int(t)) for m, t, k in zip(meta, n_terms, kept, strict=True) if k]
    return _units_frame(rows, dtm, dictionary, int((~kept).sum()), n_before, unit)


def _filter_vocabulary(dictionary: Any, tokens: Tokens, settings: dict) -> int:
    """Check the units and vocabulary, then gensim's ``filter_extremes``; returns the number of terms before."""
    unit = settings["unit"]
    if len(dictionary) == 0:
        raise CorpusError(f"the corpus {tokens.name!r} has no tokens left after "
                          "preprocessing; check the language and the stop-word settings.")
    if dictionary.num_docs < MIN_UNITS:
        raise CorpusError(
            f"only {dictionary.num_docs} units (unit={unit!r}) in {tokens.name!r}; need at least "
            f"{MIN_UNITS} (10 units, and 2 per topic). Use smaller units (unit='paragraph' or "
            "'chunk') or a larger corpus.")
    n_before = len(dictionary)
    no_below, no_above = settings["no_below"], settings["no_above"]
    dictionary.filter_extremes(no_below=no_below, no_above=float(no_above), keep_n=settings["keep_n"])
    if len(dictionary) == 0:
        raise CorpusError(
            f"the vocabulary is empty after filtering: none of {n_before} terms occurs in at least "
            f"no_below={no_below} units and at most no_above={no_above:g} of the "
            f"{dictionary.num_docs} units. Lower `no_below`, raise `no_above`, or use more documents.")
    return n_before


def _units_frame(rows: list[tuple[str, int, int, int]], dtm: sparse.csr_matrix, dictionary: Any, n_dropped: int,
                 n_before: int, unit: str) -> tuple[pd.DataFrame, sparse.csr_matrix, Any, int]:
    frame = pd.DataFrame(rows, columns=["doc_id", "part", "n_tokens", "n_terms"])
    logger.info("%d %s units from %d documents, %d terms kept of %d (%d units without kept terms)",
                len(rows), unit, frame["doc_id"].nunique(), len(dictionary), n_before, n_dropped)
    return frame, dtm, dictionary, n_dropped


def _build_units_gensim(tokens: Tokens, settings: dict, progress: Progress | None
                        ) -> tuple[pd.DataFrame, sparse.csr_matrix, Any, int]:
    """`_build_units` by gensim itself: ``Dictionary.add_documents`` (pruning past `PRUNE_AT`
    words), ``filter_extremes``, then ``doc2bow`` in a second pass."""
    from gensim.corpora import Dictionary

    unit, chunk_size, paragraph_size = settings["unit"], settings["chunk_size"], settings["paragraph_size"]

    def pieces(doc: ProcessedDoc) -> list[list[str]]:
        return split_units(doc, unit, chunk_size=chunk_size, paragraph_size=paragraph_size)

    n_docs = len(tokens)
    dictionary = Dictionary()
    for i, doc in enumerate(tokens, 1):
        dictionary.add_documents(pieces(doc), prune_at=PRUNE_AT)
        if progress and (i % 200 == 0 or i == n_docs):
            progress(i, 2 * n_docs)
    n_before = _filter_vocabulary(dictionary, tokens, settings)

    rows: list[tuple[str, int, int, int]] = []
    n_dropped = 0

    def bows() -> Iterator[list[tuple[int, int]]]:
        """Each kept unit's bag of words; its row of `frame` goes into `rows` as it passes."""
        nonlocal n_dropped
        for i, doc in enumerate(tokens, 1):
            for part, toks in enumerate(pieces(doc)):
                bow = dictionary.doc2bow(toks)
                if not bow:
                    n_dropped += 1
                    continue
                rows.append((doc.id, part, len(toks), int(sum(c for _, c in bow))))
                yield bow
            if progress and (i % 200 == 0 or i == n_docs):
                progress(n_docs + i, 2 * n_docs)

    dtm = dtm_from_counts(bows(), len(dictionary), dtype=np.int32)
    return _units_frame(rows, dtm, dictionary, n_dropped, n_before, unit)


def _bow_rows(dtm: sparse.csr_matrix) -> Iterator[list[tuple[int, float]]]:
    """gensim bag-of-words rows of a count matrix."""
    for i in range(dtm.shape[0]):
        start, stop = dtm.indptr[i], dtm.indptr[i + 1]
        yield list(zip(dtm.indices[start:stop].tolist(), dtm.data[start:stop].astype(float).tolist(),
                       strict=True))
