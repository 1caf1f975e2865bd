"""Topic models on a preprocessed corpus: fit, choose k, describe, prevalence over time, topic map.

Two methods share one interface:

- ``"lda"``: latent Dirichlet allocation (Blei, Ng and Jordan 2003) fitted by online variational
  Bayes (Hoffman, Blei and Bach 2010) with gensim's single-process ``LdaModel`` and a fixed
  ``random_state``. gensim's ``LdaMulticore`` is not used: with a fixed seed two runs still differ
  (its workers merge updates in the order they finish), and exact reruns are a requirement here.
- ``"nmf"``: non-negative matrix factorisation of the TF-IDF matrix (scikit-learn ``NMF``,
  NNDSVDa start, Frobenius loss).

Units of analysis (``unit=``): whole documents, "paragraphs" (consecutive groups of
``paragraph_size`` sentences: the blank-line paragraphs of the source are not kept by
preprocessing, so a paragraph here is a fixed number of sentences), or chunks of ``chunk_size``
tokens (long UN speeches). Unit topic shares go back to documents as a token-weighted mean.

The estimator follows scikit-learn habits: ``TopicModel(k=..., seed=...)`` stores settings, ``fit``
returns ``self``, learned state ends in ``_``. ``describe_topics`` turns a fitted model into one
``TopicsResult`` (tables + parameters, ``write(out_dir)``); ``fit_topics`` does both in one call;
``select_k`` fits a range of k and ``choose_k`` applies a stated rule to its table.
"""

from __future__ import annotations

import json
import logging
import math
import warnings
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field, fields, replace
from itertools import combinations
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from scipy import sparse
from scipy.optimize import linear_sum_assignment
from scipy.spatial.distance import jensenshannon
from scipy.stats import rankdata

from analysis.errors import CorpusError, ParameterError, check_choice, check_int
from analysis.preprocess import ProcessedDoc, Tokens
from analysis.stats import CI_LEVEL, N_BOOT, bootstrap_mean_ci

logger = logging.getLogger(__name__)

Progress = Callable[[int, int], None]  # (steps done, steps in all)

METHODS = ("lda", "nmf")
UNITS = ("document", "paragraph", "chunk")
PERIODS = ("year", "quarter", "month")
COHERENCE_MEASURES = ("c_v", "c_npmi")
SELECTION_RULES = ("npmi_stable", "c_npmi", "c_v", "stability", "perplexity")
DEFAULT_RULE = "npmi_stable"
MIN_STABILITY = 0.6
MIN_UNITS = 10  # and at least 2 units per topic
_PRECISION_RANK = {"year": 0, "month": 1, "day": 2}
_PERIOD_NEEDS = {"year": "year", "quarter": "month", "month": "month"}


# --------------------------------------------------------------------------------------------
# Units: documents, paragraphs or chunks, and their bag of words
# --------------------------------------------------------------------------------------------

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
    """Re-iterable token lists of the kept units, in unit order (for gensim's coherence)."""

    def __init__(self, units: Units) -> None:
        self._units = units

    def __len__(self) -> int:
        return len(self._units.frame)

    def __iter__(self) -> Iterator[list[str]]:
        u = self._units
        frame = u.frame
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

    def texts(self) -> UnitTexts:
        return UnitTexts(self)

    @property
    def doc_ids(self) -> list[str]:
        """Documents with at least one kept unit, in corpus order."""
        return list(pd.unique(self.frame["doc_id"]))

    def __len__(self) -> int:
        return len(self.frame)


UNIT_SETTINGS = ("unit", "chunk_size", "paragraph_size", "no_below", "no_above", "keep_n")


TOPICS_CODE = ("analysis.topics", "analysis.preprocess")  # the code whose results the cache keys on


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
    if store is None:
        frame, dtm, dictionary, n_dropped = _build_units(tokens, settings, progress)
        return Units(frame, dtm, dictionary, settings, tokens, n_dropped)
    record = {"tokens": tokens.fingerprint, **settings}
    frame, dtm, dictionary, n_dropped = store.get_or_compute(
        "units", record, lambda: _build_units(tokens, settings, progress), code=TOPICS_CODE)
    fingerprint = store.key("units", record, TOPICS_CODE)[0]
    return Units(frame, dtm, dictionary, settings, tokens, n_dropped, fingerprint)


def _build_units(tokens: Tokens, settings: dict, progress: Progress | None
                 ) -> tuple[pd.DataFrame, sparse.csr_matrix, Any, int]:
    """`prepare_units`' work: (frame, dtm, dictionary, n_dropped)."""
    from gensim.corpora import Dictionary

    unit, chunk_size, paragraph_size = settings["unit"], settings["chunk_size"], settings["paragraph_size"]
    no_below, no_above, keep_n = settings["no_below"], settings["no_above"], settings["keep_n"]

    def pieces(doc: ProcessedDoc) -> list[list[str]]:
        return split_units(doc, unit, chunk_size=chunk_size, paragraph_size=paragraph_size)

    n_docs = len(tokens)
    dictionary = Dictionary()
    for i, doc in enumerate(tokens, 1):
        dictionary.add_documents(pieces(doc))
        if progress and (i % 200 == 0 or i == n_docs):
            progress(i, 2 * n_docs)
    if len(dictionary) == 0:
        raise CorpusError(f"the corpus {tokens.corpus_name!r} has no tokens left after "
                          "preprocessing; check the language and the stop-word settings.")
    if dictionary.num_docs < MIN_UNITS:
        raise CorpusError(
            f"only {dictionary.num_docs} units (unit={unit!r}) in {tokens.corpus_name!r}; need at least "
            f"{MIN_UNITS} (10 units, and 2 per topic). Use smaller units (unit='paragraph' or "
            "'chunk') or a larger corpus.")
    n_before = len(dictionary)
    dictionary.filter_extremes(no_below=no_below, no_above=float(no_above), keep_n=keep_n)
    if len(dictionary) == 0:
        raise CorpusError(
            f"the vocabulary is empty after filtering: none of {n_before} terms occurs in at least "
            f"no_below={no_below} units and at most no_above={no_above:g} of the "
            f"{dictionary.num_docs} units. Lower `no_below`, raise `no_above`, or use more documents.")

    rows: list[tuple[str, int, int, int]] = []
    indptr, indices, data = [0], [], []
    n_dropped = 0
    for i, doc in enumerate(tokens, 1):
        for part, toks in enumerate(pieces(doc)):
            bow = dictionary.doc2bow(toks)
            if not bow:
                n_dropped += 1
                continue
            ids, counts = zip(*bow, strict=True)
            indices.extend(ids)
            data.extend(counts)
            indptr.append(len(indices))
            rows.append((doc.id, part, len(toks), int(sum(counts))))
        if progress and (i % 200 == 0 or i == n_docs):
            progress(n_docs + i, 2 * n_docs)
    frame = pd.DataFrame(rows, columns=["doc_id", "part", "n_tokens", "n_terms"])
    dtm = sparse.csr_matrix((np.asarray(data, dtype=np.int32), np.asarray(indices, dtype=np.int32),
                             np.asarray(indptr, dtype=np.int64)), shape=(len(rows), len(dictionary)))
    logger.info("%d %s units from %d documents, %d terms kept of %d (%d units without kept terms)",
                len(rows), unit, frame["doc_id"].nunique(), len(dictionary), n_before, n_dropped)
    return frame, dtm, dictionary, n_dropped


@dataclass(frozen=True)
class UnitPlan:
    """Which units a small corpus can be fitted on: `unit` (None: none has enough), the
    candidate `ks` that fit (2 units per topic), the number of units of each kind counted, and
    a sentence for the reader."""

    unit: str | None
    ks: list[int]
    n_units: dict[str, int]
    reason: str


def plan_units(tokens: Tokens, unit: str = "document", ks: str | Sequence[int] = "5:11:3", *,
               chunk_size: int = 200, paragraph_size: int = 5) -> UnitPlan:
    """Fall back from `unit` to paragraphs, then chunks, when a corpus has too few units.

    The first of `unit`, "paragraph", "chunk" (in that order, from the one asked for) with at
    least ``max(MIN_UNITS, 2 * min(ks))`` units is used, and the candidate ks are cut to those
    with two units per topic (when none is left, the largest k that fits). Counting paragraphs
    and chunks reads the tokens once; it happens only when the asked-for unit is too few. When
    the units are few, they are counted after the vocabulary filter (`prepare_units`, cached),
    which drops units without a kept term.
    """
    check_choice("unit", unit, UNITS)
    wanted = sorted(set(parse_k(ks) if isinstance(ks, str) else [int(k) for k in ks]))
    need = max(MIN_UNITS, 2 * wanted[0])
    counts: dict[str, int] = {}
    for kind in UNITS[UNITS.index(unit):]:
        if kind == "document":
            counts[kind] = int((tokens.docvars["n_tokens"] > 0).sum())
        else:
            counts[kind] = sum(len(split_units(doc, kind, chunk_size=chunk_size,
                                               paragraph_size=paragraph_size)) for doc in tokens)
        if counts[kind] >= need:
            break
    usable = [k for k in counts if counts[k] >= MIN_UNITS]
    if not usable:
        shown = ", ".join(f"{v} {k} units" for k, v in counts.items())
        return UnitPlan(None, [], counts, f"only {shown}; a topic model needs at least {MIN_UNITS}")
    kind = next((k for k in usable if counts[k] >= need), max(usable, key=counts.get))
    n = counts[kind]
    if kind != unit or n < 2 * wanted[-1]:
        # few units: count those left after the vocabulary filter (units without a kept term go)
        try:
            n = len(prepare_units(tokens, unit=kind, chunk_size=chunk_size,
                                  paragraph_size=paragraph_size))
        except CorpusError as exc:
            return UnitPlan(None, [], counts, str(exc).rstrip("."))
    fit = [k for k in wanted if 2 * k <= n] or ([n // 2] if n >= MIN_UNITS else [])
    if not fit:
        return UnitPlan(None, [], counts, f"only {n} {kind} units keep a term of the vocabulary; "
                        f"a topic model needs at least {MIN_UNITS}")
    why = (f"{n} {kind} units" if kind == unit else
           f"{counts[unit]} {unit} units are too few (need {need}); {n} {kind} units instead")
    if fit != wanted:
        why += f"; k cut to {', '.join(map(str, fit))} (two units per topic)"
    return UnitPlan(kind, fit, counts, why)


def _bow_rows(dtm: sparse.csr_matrix) -> Iterator[list[tuple[int, float]]]:
    """gensim bag-of-words rows of a count matrix."""
    for i in range(dtm.shape[0]):
        start, stop = dtm.indptr[i], dtm.indptr[i + 1]
        yield list(zip(dtm.indices[start:stop].tolist(), dtm.data[start:stop].astype(float).tolist(),
                       strict=True))


class _BowCorpus:
    """A re-iterable gensim corpus over the rows of a count matrix."""

    def __init__(self, dtm: sparse.csr_matrix) -> None:
        self.dtm = dtm

    def __len__(self) -> int:
        return self.dtm.shape[0]

    def __iter__(self) -> Iterator[list[tuple[int, float]]]:
        return _bow_rows(self.dtm)


# --------------------------------------------------------------------------------------------
# The estimator
# --------------------------------------------------------------------------------------------

@dataclass(kw_only=True, eq=False)
class TopicModel:
    """A topic model with scikit-learn habits: settings in the constructor, ``fit`` returns self.

    Parameters
    ----------
    k : number of topics, default=10.
    method : ``"lda"`` (gensim ``LdaModel``) or ``"nmf"`` (scikit-learn ``NMF`` on TF-IDF), default="lda".
    unit : ``"document"``, ``"paragraph"`` or ``"chunk"``, default="document".
    chunk_size : tokens per chunk, default=200.
    paragraph_size : sentences per "paragraph" unit, default=5.
    no_below, no_above, keep_n : vocabulary filter (see `prepare_units`), defaults 5, 0.5, 20000.
    passes : LDA passes over the corpus; default None: 40 when all units fit in one chunk (then
        each pass is a full batch variational EM step, Blei, Ng and Jordan 2003: gensim with
        ``decay=0``, so the update weight is 1), else 10 passes of online variational Bayes
        (Hoffman, Blei and Bach 2010; gensim defaults decay=0.5, offset=1). The value used is
        ``passes_``. Both depend on the seed: batch and online VB start from a random topic-term
        matrix, and a different start can end in a different local optimum (the stability
        check of `select_k` measures how much); online VB with few updates more so.
    chunksize : units per LDA update, default=2000.
    iterations : LDA per-document inference iterations, default=50.
    alpha, eta : LDA priors as gensim takes them; default alpha="auto" (learned, asymmetric;
        Wallach, Mimno and McCallum 2009), eta="symmetric" (1/k).
    max_iter : NMF iterations, default=500.
    seed : the random seed (gensim ``random_state``, scikit-learn ``random_state``), default=0.

    Learned state (after ``fit``): ``units_`` (`Units`), ``vocab_`` (array of terms),
    ``topic_term_`` (k, n_terms; rows sum to 1), ``unit_topic_`` (n_units, k; rows sum to 1),
    ``doc_topic_`` (DataFrame, documents x topics, token-weighted mean of their units),
    ``prevalence_`` (k,; mean document share), ``term_frequency_`` (n_terms,), ``model_``.
    For NMF the term weights are the rows of H (TF-IDF space) scaled to sum to 1, not probabilities.
    """

    k: int = 10
    method: str = "lda"
    unit: str = "document"
    chunk_size: int = 200
    paragraph_size: int = 5
    no_below: int = 5
    no_above: float = 0.5
    keep_n: int | None = 20_000
    passes: int | None = None
    chunksize: int = 2000
    iterations: int = 50
    alpha: str | float = "auto"
    eta: str | float = "symmetric"
    max_iter: int = 500
    seed: int = 0

    def _check_params(self) -> None:
        check_int("k", self.k, minimum=2)
        check_choice("method", self.method, METHODS)
        check_choice("unit", self.unit, UNITS)
        if self.passes is not None:
            check_int("passes", self.passes, minimum=1)
        check_int("chunksize", self.chunksize, minimum=1)
        check_int("iterations", self.iterations, minimum=1)
        check_int("max_iter", self.max_iter, minimum=1)
        check_int("seed", self.seed, minimum=0)

    def unit_settings(self) -> dict:
        return {"unit": self.unit, "chunk_size": int(self.chunk_size),
                "paragraph_size": int(self.paragraph_size), "no_below": int(self.no_below),
                "no_above": float(self.no_above),
                "keep_n": None if self.keep_n is None else int(self.keep_n)}

    def get_params(self) -> dict:
        """The settings as a plain dict (JSON-ready)."""
        return {f.name: getattr(self, f.name) for f in fields(self)}

    def fit(self, data: Tokens | Units, *, progress: Progress | None = None, cache: bool = True) -> TopicModel:
        """Fit on preprocessed tokens (or on `Units` already prepared with the same settings).

        With ``cache`` (and tokens from the on-disk cache), the fitted state is stored beside the
        tokens and a later fit with the same units, settings, seed and code reuses it: a rerun
        gives the same model without fitting again.
        """
        self._check_params()
        if isinstance(data, Units):
            units = data
            if units.settings != self.unit_settings():
                raise ParameterError(
                    f"the units were prepared with {units.settings}, but this model asks for "
                    f"{self.unit_settings()}; prepare them again or change the model's settings.")
        elif isinstance(data, Tokens):
            units = prepare_units(data, **self.unit_settings(), progress=progress, cache=cache)
        else:
            raise ParameterError(f"`fit` takes Tokens (from analysis.preprocess) or Units; got {type(data).__name__}.")
        self._check_size(units)
        store = units.tokens.results if cache and units.fingerprint else None
        if store is None:
            state = self._learn(units)
        else:
            record = {"units": units.fingerprint, "params": self.get_params()}
            state = store.get_or_compute("topic-model", record, lambda: self._learn(units), code=TOPICS_CODE)
        self.__dict__.update(state)
        self.units_ = units
        return self

    def _learn(self, units: Units) -> dict[str, Any]:
        """Fit on `units` and return the learned state (the attributes ending in ``_``)."""
        self._fit_units(units, units.dtm)
        self.vocab_ = np.array(units.vocab, dtype=object)
        self.term_frequency_ = np.asarray(units.dtm.sum(axis=0)).ravel()
        self.unit_topic_ = self._shares(units.dtm)
        self.doc_topic_ = _aggregate(self.unit_topic_, units.frame)
        self.prevalence_ = self.doc_topic_.to_numpy().mean(axis=0)
        return {name: value for name, value in vars(self).items() if name.endswith("_") and name != "units_"}

    def _check_size(self, units: Units) -> None:
        need = max(MIN_UNITS, 2 * self.k)
        if len(units) < need:
            raise CorpusError(
                f"only {len(units)} units (unit={units.settings['unit']!r}) for k={self.k} topics; "
                f"need at least {need} (10 units, and 2 per topic). Use a smaller `k`, smaller "
                "units (unit='paragraph' or 'chunk'), or a larger corpus.")
        n_terms = units.dtm.shape[1]
        if n_terms < self.k:
            raise CorpusError(f"the vocabulary has {n_terms} terms, fewer than k={self.k} topics; "
                              "lower `no_below` or use a smaller `k`.")

    def _fit_units(self, units: Units, dtm: sparse.csr_matrix) -> None:
        """Fit on the rows of `dtm` (all units, or a training split of them)."""
        if self.method == "lda":
            from gensim.models import LdaModel

            self.batch_ = dtm.shape[0] <= self.chunksize
            self.passes_ = self.passes if self.passes is not None else (40 if self.batch_ else 10)
            self.model_ = LdaModel(
                _BowCorpus(dtm), num_topics=self.k, id2word=units.dictionary,
                random_state=self.seed, passes=self.passes_, iterations=self.iterations,
                alpha=self.alpha, eta=self.eta, chunksize=self.chunksize, update_every=1,
                decay=0.0 if self.batch_ else 0.5, eval_every=None, dtype=np.float64)
            self.topic_term_ = np.asarray(self.model_.get_topics(), dtype=float)
        else:
            from sklearn.decomposition import NMF
            from sklearn.exceptions import ConvergenceWarning
            from sklearn.feature_extraction.text import TfidfTransformer

            self.tfidf_ = TfidfTransformer().fit(dtm)
            self.model_ = NMF(n_components=self.k, init="nndsvda", random_state=self.seed,
                              max_iter=self.max_iter)
            with warnings.catch_warnings(record=True) as caught:
                warnings.simplefilter("always", ConvergenceWarning)
                self.model_.fit(self.tfidf_.transform(dtm.astype(float)))
            if any(issubclass(w.category, ConvergenceWarning) for w in caught):
                logger.warning("NMF did not converge in max_iter=%d iterations", self.max_iter)
            h = self.model_.components_
            sums = h.sum(axis=1, keepdims=True)
            self.topic_term_ = np.divide(h, sums, out=np.full_like(h, 1 / h.shape[1]), where=sums > 0)

    def _shares(self, dtm: sparse.csr_matrix) -> np.ndarray:
        """Topic shares of the rows of `dtm` (n_rows, k), rows summing to 1; deterministic."""
        if self.method == "lda":
            from gensim.utils import get_random_state

            # Inference draws its starting point from the model's random state: reseed it so that
            # the shares do not depend on what was inferred before.
            self.model_.random_state = get_random_state(self.seed)
            out = []
            for start in range(0, dtm.shape[0], 2000):
                gamma, _ = self.model_.inference(list(_bow_rows(dtm[start : start + 2000])))
                out.append(gamma)
            gamma = np.vstack(out) if out else np.zeros((0, self.k))
            return gamma / gamma.sum(axis=1, keepdims=True)
        w = self.model_.transform(self.tfidf_.transform(dtm.astype(float)))
        sums = w.sum(axis=1, keepdims=True)
        zero = int((sums.ravel() <= 0).sum())
        if zero:
            logger.info("%d units have all-zero NMF weights; they get equal shares 1/k", zero)
        return np.divide(w, sums, out=np.full_like(w, 1 / self.k), where=sums > 0)

    def log_perplexity(self, dtm: sparse.csr_matrix) -> float:
        """LDA per-word variational bound (gensim ``log_perplexity``, nats) of the rows of `dtm`."""
        if self.method != "lda":
            raise ParameterError("perplexity is defined for method='lda' only.")
        from gensim.utils import get_random_state

        self.model_.random_state = get_random_state(self.seed)
        return float(self.model_.log_perplexity(list(_bow_rows(dtm))))

    def top_terms(self, n: int = 20, *, by: str = "prob") -> list[list[tuple[str, float]]]:
        """Each topic's top `n` terms with weights, by probability (``"prob"``) or FREX (``"frex"``)."""
        check_choice("by", by, ("prob", "frex"))
        score = self.topic_term_ if by == "prob" else frex(self.topic_term_)
        order = _top_order(score, n)
        return [[(str(self.vocab_[j]), float(score[t, j])) for j in order[t]] for t in range(self.k)]


def _top_order(score: np.ndarray, n: int) -> np.ndarray:
    """Column indices of the `n` highest scores per row, ties broken by column (stable)."""
    return np.argsort(-score, axis=1, kind="stable")[:, :n]


def _aggregate(unit_topic: np.ndarray, frame: pd.DataFrame) -> pd.DataFrame:
    """Document topic shares: the token-weighted mean of their units' shares."""
    w = frame["n_terms"].to_numpy(dtype=float)
    codes, doc_ids = pd.factorize(frame["doc_id"], sort=False)
    num = np.zeros((len(doc_ids), unit_topic.shape[1]))
    np.add.at(num, codes, unit_topic * w[:, None])
    den = np.bincount(codes, weights=w, minlength=len(doc_ids))
    out = pd.DataFrame(num / den[:, None], index=pd.Index(list(doc_ids), name="id"),
                       columns=range(unit_topic.shape[1]))
    out.columns.name = "topic"
    return out


# --------------------------------------------------------------------------------------------
# Describing topics: FREX, labels, exemplars, coherence, stability, map
# --------------------------------------------------------------------------------------------

def frex(topic_term: np.ndarray, weight: float = 0.5) -> np.ndarray:
    """FREX scores (k, n_terms): the weighted harmonic mean of a term's frequency rank and
    exclusivity rank within each topic (Roberts, Stewart and Airoldi 2016; STM's ``calcfrex``).

    Frequency is the topic-term probability; exclusivity is that probability divided by the
    term's sum over topics. Each is turned into its empirical CDF within the topic (average
    rank / n_terms), and FREX = 1 / (weight / F + (1 - weight) / E). STM's optional James-Stein
    shrinkage of exclusivity is not applied.
    """
    beta = np.asarray(topic_term, dtype=float)
    if not 0 <= weight <= 1:
        raise ParameterError(f"`weight` must be between 0 and 1; got {weight}.")
    col = beta.sum(axis=0, keepdims=True)
    excl = np.divide(beta, col, out=np.zeros_like(beta), where=col > 0)
    n_terms = beta.shape[1]
    f = rankdata(beta, axis=1, method="average") / n_terms
    e = rankdata(excl, axis=1, method="average") / n_terms
    return 1.0 / (weight / f + (1 - weight) / e)


def auto_labels(model: TopicModel, n: int = 3) -> dict[int, str]:
    """A readable label per topic: its top `n` FREX terms joined by ", "."""
    return {t: ", ".join(term for term, _ in terms) for t, terms in enumerate(model.top_terms(n, by="frex"))}


def _resolve_labels(model: TopicModel, labels: dict | None) -> dict[int, str]:
    out = auto_labels(model)
    for key, value in (labels or {}).items():
        try:
            t = int(key)
        except (TypeError, ValueError):
            raise ParameterError(f"`labels` keys must be topic ids 0..{model.k - 1}; got {key!r}.") from None
        if not 0 <= t < model.k:
            raise ParameterError(f"`labels` names topic {t}, but the model has topics 0..{model.k - 1}.")
        out[t] = str(value)
    return out


def terms_table(model: TopicModel, n: int = 20) -> pd.DataFrame:
    """Top `n` terms per topic, long format: topic, by ('prob'|'frex'), rank, term, prob, frex."""
    fx = frex(model.topic_term_)
    rows = []
    for by, score in (("prob", model.topic_term_), ("frex", fx)):
        order = _top_order(score, n)
        for t in range(model.k):
            for rank, j in enumerate(order[t], 1):
                rows.append((t, by, rank, str(model.vocab_[j]), float(model.topic_term_[t, j]),
                             float(fx[t, j])))
    return pd.DataFrame(rows, columns=["topic", "by", "rank", "term", "prob", "frex"])


def representative_documents(model: TopicModel, n: int = 5) -> pd.DataFrame:
    """The `n` documents with the highest share of each topic (ties: longer, then by id)."""
    dt = model.doc_topic_
    docvars = model.units_.tokens.docvars
    length = model.units_.frame.groupby("doc_id", sort=False)["n_terms"].sum().reindex(dt.index)
    rows = []
    for t in range(model.k):
        frame = pd.DataFrame({"share": dt[t].to_numpy(), "n_terms": length.to_numpy(),
                              "doc_id": dt.index.to_numpy()})
        frame = frame.sort_values(["share", "n_terms", "doc_id"], ascending=[False, False, True],
                                  kind="stable").head(n)
        for rank, row in enumerate(frame.itertuples(index=False), 1):
            meta = docvars.loc[row.doc_id]
            rows.append((t, rank, row.doc_id, float(row.share), _clean(meta.get("title")),
                         _clean(meta.get("date"))))
    return pd.DataFrame(rows, columns=["topic", "rank", "doc_id", "share", "title", "date"])


def _clean(value: Any) -> Any:
    return None if value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NA else value


def topic_given_term(model: TopicModel) -> np.ndarray:
    """p(topic | term) (k, n_terms): topic-term weights times topic prevalence, normalised per term."""
    joint = model.topic_term_ * model.prevalence_[:, None]
    col = joint.sum(axis=0, keepdims=True)
    return np.divide(joint, col, out=np.zeros_like(joint), where=col > 0)


def representative_sentences(model: TopicModel, n: int = 5, *, from_docs: int = 20,
                             min_terms: int = 5) -> pd.DataFrame:
    """The `n` sentences most typical of each topic.

    Candidates are the sentences of the topic's `from_docs` most representative documents with at
    least `min_terms` vocabulary tokens; a sentence's score is the mean over its vocabulary tokens
    of p(topic | term) (see `topic_given_term`). Identical sentences are shown once.
    """
    post = topic_given_term(model)
    token2id = model.units_.dictionary.token2id
    tokens = model.units_.tokens
    dt = model.doc_topic_
    rows = []
    for t in range(model.k):
        order = np.argsort(-dt[t].to_numpy(), kind="stable")[:from_docs]
        cands = []
        for doc_id in dt.index[order]:
            doc = tokens.get(doc_id)
            for s_idx, (sent, toks) in enumerate(zip(doc.sentences, doc.tokens, strict=True)):
                ids = [token2id[w] for w in toks if w in token2id]
                if len(ids) >= min_terms:
                    cands.append((float(post[t, ids].mean()), doc_id, s_idx, sent))
        cands.sort(key=lambda c: (-c[0], c[1], c[2]))
        seen: set[str] = set()
        rank = 0
        for score, doc_id, s_idx, sent in cands:
            if sent in seen:
                continue
            seen.add(sent)
            rank += 1
            rows.append((t, rank, doc_id, s_idx, sent, score))
            if rank >= n:
                break
    return pd.DataFrame(rows, columns=["topic", "rank", "doc_id", "sentence_index", "sentence", "score"])


def coherence(topics: Sequence[Sequence[str]], units: Units, *, measures: Sequence[str] = COHERENCE_MEASURES,
              topn: int = 10) -> pd.DataFrame:
    """Per-topic coherence (gensim ``CoherenceModel``; Röder, Both and Hinneburg 2015), computed on
    the texts of the same units the model was fitted on, over each topic's first `topn` terms.

    ``c_v``: boolean sliding window of 110 tokens, NPMI-based context vectors, cosine.
    ``c_npmi``: sliding window of 10 tokens, mean normalised PMI of term pairs (Bouma 2009).
    Returns one row per topic list, one column per measure.
    """
    from gensim.models.coherencemodel import CoherenceModel

    out = {}
    lists = [list(t)[:topn] for t in topics]
    for m in measures:
        check_choice("measure", m, COHERENCE_MEASURES)
        cm = CoherenceModel(topics=lists, texts=units.texts(), dictionary=units.dictionary,
                            coherence=m, topn=topn, processes=1)
        out[m] = np.asarray(cm.get_coherence_per_topic(), dtype=float)
    return pd.DataFrame(out)


def stored_coherence(topics: Sequence[Sequence[str]], units: Units, *, topn: int = 10) -> pd.DataFrame:
    """`coherence` of these topic lists (all measures) on these units, stored beside the tokens
    they come from and read back for the same topics and units (a rerun does not recount the
    texts); computed afresh for units not made by `prepare_units` on cached tokens."""
    store = units.tokens.results if units.fingerprint is not None else None
    lists = [list(t)[:topn] for t in topics]
    if store is None:
        return coherence(lists, units, topn=topn)
    record = {"units": units.fingerprint, "topics": lists, "measures": list(COHERENCE_MEASURES), "topn": topn}
    return store.get_or_compute("coherence", record, lambda: coherence(lists, units, topn=topn), code=TOPICS_CODE)


def compare_with_key_terms(model: TopicModel, key_terms: dict[str, Sequence[str]], *,
                           n_top: int = 20) -> pd.DataFrame:
    """Match known topics (name -> key terms, as the preprocessing writes them) one-to-one to
    fitted topics by the share of their key terms among the fitted topic's top `n_top` terms
    (Hungarian assignment). Key terms missing from the vocabulary are left out and counted.
    Columns: name, topic, overlap, found, n_key_terms, n_missing."""
    vocab = set(model.vocab_.tolist())
    names = list(key_terms)
    keys = [set(key_terms[n]) & vocab for n in names]
    tops = [{w for w, _ in t} for t in model.top_terms(n_top)]
    overlap = np.array([[len(k & t) / len(k) if k else 0.0 for t in tops] for k in keys])
    rows, cols = linear_sum_assignment(-overlap)
    out = [(names[r], int(c), float(overlap[r, c]), ", ".join(sorted(keys[r] & tops[c])),
            len(keys[r]), len(set(key_terms[names[r]]) - vocab)) for r, c in zip(rows, cols, strict=True)]
    return pd.DataFrame(out, columns=["name", "topic", "overlap", "found", "n_key_terms", "n_missing"])


def top_term_sets(topic_term: np.ndarray, n: int = 10) -> list[frozenset[int]]:
    return [frozenset(row.tolist()) for row in _top_order(topic_term, n)]


def match_topics(a: Sequence[frozenset], b: Sequence[frozenset]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """One-to-one matching of two topic sets by Jaccard similarity of their top-term sets
    (Hungarian assignment, scipy ``linear_sum_assignment``). Returns (rows, cols, similarities)."""
    sim = np.array([[len(x & y) / len(x | y) if x | y else 0.0 for y in b] for x in a])
    rows, cols = linear_sum_assignment(-sim)
    return rows, cols, sim[rows, cols]


def stability(topic_terms: Sequence[np.ndarray], n: int = 10) -> tuple[float, float]:
    """Agreement of runs with different seeds (Greene, O'Callaghan and Cunningham 2014, in spirit):
    for each pair of runs, topics are matched one-to-one by the Jaccard similarity of their top-`n`
    term sets; the pair's score is the mean matched similarity. Returns (mean, sd) over pairs."""
    sets = [top_term_sets(tt, n) for tt in topic_terms]
    scores = [float(match_topics(a, b)[2].mean()) for a, b in combinations(sets, 2)]
    if not scores:
        return float("nan"), float("nan")
    return float(np.mean(scores)), float(np.std(scores))


def js_distances(topic_term: np.ndarray) -> np.ndarray:
    """Pairwise Jensen-Shannon distances (base 2, in [0, 1]) between topic-term distributions."""
    k = topic_term.shape[0]
    d = np.zeros((k, k))
    for i, j in combinations(range(k), 2):
        d[i, j] = d[j, i] = jensenshannon(topic_term[i], topic_term[j], base=2)
    return np.nan_to_num(d)


def classical_mds(distances: np.ndarray, n_components: int = 2) -> np.ndarray:
    """Classical (Torgerson) multidimensional scaling: deterministic coordinates (n, n_components);
    each axis' sign is fixed so that its largest absolute coordinate is positive."""
    d = np.asarray(distances, dtype=float)
    n = d.shape[0]
    j = np.eye(n) - np.full((n, n), 1.0 / n)
    b = -0.5 * j @ (d**2) @ j
    vals, vecs = np.linalg.eigh(b)
    order = np.argsort(-vals, kind="stable")[:n_components]
    coords = vecs[:, order] * np.sqrt(np.clip(vals[order], 0, None))
    for c in range(coords.shape[1]):
        if coords[np.argmax(np.abs(coords[:, c])), c] < 0:
            coords[:, c] = -coords[:, c]
    return coords


def topic_map(model: TopicModel, labels: dict[int, str] | None = None) -> pd.DataFrame:
    """Topic positions from Jensen-Shannon distances and classical MDS (as LDAvis; Sievert and
    Shirley 2014), with each topic's prevalence (mean document share) and label."""
    coords = classical_mds(js_distances(model.topic_term_), 2)
    labels = labels or auto_labels(model)
    return pd.DataFrame({"topic": range(model.k), "x": coords[:, 0], "y": coords[:, 1],
                         "prevalence": model.prevalence_, "label": [labels[t] for t in range(model.k)]})


# --------------------------------------------------------------------------------------------
# Prevalence over time
# --------------------------------------------------------------------------------------------

def default_period(docvars: pd.DataFrame, *, min_docs: int = 5) -> str:
    """The period the dates allow: the coarsest date precision among dated documents, so 'year'
    if any has only a year; else 'month' (day dates are binned by month), unless months hold a
    median of fewer than `min_docs` documents, then 'quarter', then 'year' (a monthly series of
    one or two documents a month says little)."""
    dated = docvars[docvars["date_precision"].notna()]
    if dated.empty:
        return "year"
    coarsest = min(dated["date_precision"], key=lambda p: _PRECISION_RANK[p])
    if coarsest == "year":
        return "year"
    for period in ("month", "quarter"):
        counts = dated["date"].map(lambda d, p=period: period_label(d, p)).value_counts()
        if counts.median() >= min_docs:
            return period
    return "year"


def period_label(date: str, period: str) -> str:
    """The period a date (``YYYY[-MM[-DD]]``) falls in: '2001', '2001-Q2' or '2001-05'."""
    if period == "year":
        return date[:4]
    if period == "quarter":
        return f"{date[:4]}-Q{(int(date[5:7]) - 1) // 3 + 1}"
    return date[:7]


def period_position(label: str) -> float:
    """A period label on a numeric time axis (year, year + quarter/4, year + month/12)."""
    if "-Q" in label:
        y, q = label.split("-Q")
        return int(y) + (int(q) - 1) / 4
    if "-" in label:
        y, m = label.split("-")
        return int(y) + (int(m) - 1) / 12
    return float(label)


@dataclass(eq=False)
class Prevalence:
    """Mean topic share per period (and group) with bootstrap intervals over documents."""

    table: pd.DataFrame
    by_group: pd.DataFrame | None
    period: str | None
    group: str | None
    n_dated: int
    n_undated: int
    notes: list[str]


def prevalence_over_time(doc_topics: pd.DataFrame, docvars: pd.DataFrame, *, period: str | None = None,
                         group: str | None = None, labels: dict[int, str] | None = None,
                         n_boot: int = N_BOOT, level: float = CI_LEVEL, seed: int = 0) -> Prevalence:
    """Mean topic share per period (each document counts once) with percentile bootstrap
    intervals over documents (`analysis.stats.bootstrap_mean_ci`), optionally per group.

    ``period`` None picks `default_period`. Undated documents are left out and counted. Asking
    for a finer period than some documents' dates allow (e.g. 'month' with year-only dates) is an
    error. With one period only, the table has that period and a note says change over time
    cannot be shown.
    """
    if period is not None:
        check_choice("period", period, PERIODS)
    dv = docvars.reindex(doc_topics.index)
    dated = dv["date"].map(lambda d: isinstance(d, str) and bool(d))
    n_undated = int((~dated).sum())
    notes: list[str] = []
    if n_undated:
        msg = f"{n_undated} of {len(dv)} documents have no date and are left out of prevalence over time"
        logger.warning(msg)
        notes.append(msg + ".")
    dt = doc_topics[dated.to_numpy()]
    dv = dv[dated.to_numpy()]
    k = doc_topics.shape[1]
    labels = labels or {}
    if dt.empty:
        notes.append("no dated documents: prevalence over time is empty.")
        cols = ["period", "topic", "share", "low", "high", "label", "n_docs"]
        return Prevalence(pd.DataFrame(columns=cols), None, period, group, 0, n_undated, notes)
    if period is None:
        period = default_period(dv)
    need = _PERIOD_NEEDS[period]
    too_coarse = dv["date_precision"].map(lambda p: _PRECISION_RANK[p] < _PRECISION_RANK[need])
    if too_coarse.any():
        counts = dv.loc[too_coarse.to_numpy(), "date_precision"].value_counts().to_dict()
        raise ParameterError(
            f"`period`={period!r} needs dates with a month, but {int(too_coarse.sum())} dated "
            f"documents have a coarser date ({counts}); use period='year'.")
    periods = dv["date"].map(lambda d: period_label(d, period)).to_numpy()
    table = _prevalence_table(dt.to_numpy(), periods, k, labels, n_boot, level, seed)
    n_periods = table["period"].nunique()
    if n_periods == 1:
        msg = (f"all dated documents fall in one {period} ({table['period'].iloc[0]}): the table "
               "gives that period's shares, but no change over time can be shown")
        logger.warning(msg)
        notes.append(msg + ".")
    by_group = None
    if group is not None:
        if group not in docvars.columns:
            avail = ", ".join(c for c in docvars.columns if c not in ("n_chars", "text_hash"))
            raise ParameterError(f"`group`={group!r} is not a document metadata column; available: {avail}.")
        gv = dv[group]
        has = gv.notna().to_numpy()
        if (~has).any():
            notes.append(f"{int((~has).sum())} dated documents have no {group!r} and are left out of "
                         "prevalence by group.")
        parts = []
        for g_idx, g in enumerate(sorted(pd.unique(gv[has]).tolist(), key=str)):
            mask = (gv == g).to_numpy() & has
            part = _prevalence_table(dt.to_numpy()[mask], periods[mask], k, labels, n_boot, level,
                                     seed + 7919 * (g_idx + 1))
            part.insert(0, group, g)
            parts.append(part)
        by_group = pd.concat(parts, ignore_index=True) if parts else None
    logger.info("prevalence over %d %s periods from %d dated documents", n_periods, period, len(dt))
    return Prevalence(table, by_group, period, group, len(dt), n_undated, notes)


def _prevalence_table(values: np.ndarray, periods: np.ndarray, k: int, labels: dict[int, str],
                      n_boot: int, level: float, seed: int) -> pd.DataFrame:
    rows = []
    for p_idx, p in enumerate(sorted(set(periods.tolist()))):
        x = values[periods == p]
        mean, low, high = bootstrap_mean_ci(x, n_boot=n_boot, level=level, seed=seed + p_idx)
        for t in range(k):
            rows.append((p, t, float(mean[t]), float(low[t]), float(high[t]), labels.get(t, str(t)), len(x)))
    return pd.DataFrame(rows, columns=["period", "topic", "share", "low", "high", "label", "n_docs"])


# --------------------------------------------------------------------------------------------
# Choosing k
# --------------------------------------------------------------------------------------------

@dataclass(eq=False)
class ModelSelection:
    """Fits over a range of k: coherence, perplexity and stability per k, and the chosen k.

    table columns: k, c_v, c_npmi (mean over topics and seed runs; counted on the training
    units), perplexity (LDA: document completion on `heldout` units left out of a separate fit,
    see `analysis.topic_evaluation`; NaN for NMF), reconstruction_err (NMF), stability,
    stability_sd (over seed pairs), n_runs.
    """

    table: pd.DataFrame
    chosen_k: int
    rule: str
    min_stability: float
    params: dict
    models: dict[int, TopicModel] = field(repr=False, default_factory=dict)
    units: Units | None = field(repr=False, default=None)

    def model(self, k: int | None = None) -> TopicModel:
        """The fitted model (first seed) for `k` (default: the chosen k)."""
        k = self.chosen_k if k is None else k
        if k not in self.models:
            raise ParameterError(f"no model was fitted for k={k}; fitted: {sorted(self.models)}.")
        return self.models[k]

    def write(self, out_dir: str | Path) -> list[Path]:
        out = Path(out_dir)
        out.mkdir(parents=True, exist_ok=True)
        path = out / "model_selection.csv"
        self.table.assign(chosen=self.table["k"] == self.chosen_k).to_csv(path, index=False)
        return [path]


def parse_k(value: str | int | Sequence[int]) -> list[int]:
    """k as given on a command line: '12', '5:30:5' (start:stop:step, stop included), '5,10,20'."""
    if isinstance(value, int):
        return [value]
    if not isinstance(value, str):
        return [int(v) for v in value]
    text = value.strip()
    try:
        if ":" in text:
            parts = [int(p) for p in text.split(":")]
            if len(parts) not in (2, 3) or (len(parts) == 3 and parts[2] < 1):
                raise ValueError
            start, stop = parts[0], parts[1]
            step = parts[2] if len(parts) == 3 else 1
            ks = list(range(start, stop + 1, step))
        else:
            ks = [int(p) for p in text.split(",") if p.strip()]
    except ValueError:
        raise ParameterError(f"`k` must be a number, a range start:stop:step (e.g. 5:30:5) or a "
                             f"list (e.g. 5,10,20); got {value!r}.") from None
    if not ks:
        raise ParameterError(f"`k` {value!r} names no number of topics.")
    return ks


def select_k(data: Tokens | Units, ks: Sequence[int] | str, *, n_seeds: int = 3, heldout: float = 0.1,
             top_n: int = 10, rule: str = DEFAULT_RULE, min_stability: float = MIN_STABILITY,
             progress: Progress | None = None, **settings: Any) -> ModelSelection:
    """Fit each k with `n_seeds` seeds (seed, seed+1, ...) and tabulate coherence (c_v, c_npmi,
    gensim, on the units' texts), held-out perplexity (LDA) and stability across seeds; then
    apply `choose_k`. `settings` are `TopicModel` settings (method, unit, seed, ...).
    """
    ks = sorted(set(parse_k(ks) if isinstance(ks, str) else [int(k) for k in ks]))
    for k in ks:
        check_int("k", k, minimum=2)
    n_seeds = check_int("n_seeds", n_seeds, minimum=2)
    if not 0 <= heldout < 0.5:
        raise ParameterError(f"`heldout` must be a fraction in [0, 0.5); got {heldout!r}.")
    check_choice("rule", rule, SELECTION_RULES)
    template = _model_from(settings)
    template._check_params()
    if isinstance(data, Units):
        units = data
        if units.settings != template.unit_settings():
            raise ParameterError(f"the units were prepared with {units.settings}, but the settings "
                                 f"ask for {template.unit_settings()}.")
    else:
        units = prepare_units(data, **template.unit_settings())
    template = replace(template, k=max(ks))
    template._check_size(units)
    lda = template.method == "lda"
    n_steps = len(ks) * (n_seeds + (1 if lda and heldout > 0 else 0)) + 1
    step = 0
    rows, all_topics, owner, models = [], [], [], {}
    split = None
    if lda and heldout > 0:
        from analysis.topic_evaluation import heldout_split

        split = heldout_split(units, heldout, seed=template.seed)
    for k in ks:
        runs = []
        for s in range(n_seeds):
            m = replace(template, k=k, seed=template.seed + s).fit(units)
            runs.append(m.topic_term_)
            if s == 0:
                models[k] = m
            for terms in m.top_terms(top_n):
                all_topics.append([w for w, _ in terms])
                owner.append(k)
            step += 1
            if progress:
                progress(step, n_steps)
        stab, stab_sd = stability(runs, top_n)
        row = {"k": k, "stability": stab, "stability_sd": stab_sd, "n_runs": n_seeds,
               "perplexity": float("nan"), "reconstruction_err": float("nan")}
        if split is not None:
            from analysis.topic_evaluation import document_completion_perplexity

            row["perplexity"] = document_completion_perplexity(replace(template, k=k), split)
            step += 1
            if progress:
                progress(step, n_steps)
        elif not lda:
            row["reconstruction_err"] = float(models[k].model_.reconstruction_err_)
        rows.append(row)
    coh = coherence(all_topics, units, topn=top_n)
    coh["k"] = owner
    means = coh.groupby("k")[list(COHERENCE_MEASURES)].mean()
    if progress:
        progress(n_steps, n_steps)
    table = pd.DataFrame(rows).merge(means, left_on="k", right_index=True)
    table = table[["k", "c_v", "c_npmi", "perplexity", "reconstruction_err", "stability",
                   "stability_sd", "n_runs"]]
    chosen = choose_k(table, rule=rule, min_stability=min_stability)
    params = {**template.get_params(), "ks": ks, "n_seeds": n_seeds, "heldout": heldout,
              "top_n": top_n, "rule": rule, "min_stability": min_stability,
              "perplexity": ("document completion (Wallach et al. 2009): vocabulary from the training "
                             "units, theta from each held-out unit's first half, exp(-mean log "
                             "likelihood) of its second half's tokens" if split is not None else None)}
    params.pop("k")
    logger.info("model selection over k=%s: chose k=%d by rule %r", ks, chosen, rule)
    return ModelSelection(table, chosen, rule, min_stability, params, models, units)


def choose_k(selection_table: pd.DataFrame, rule: str = DEFAULT_RULE, *,
             min_stability: float = MIN_STABILITY) -> int:
    """Pick k from a `select_k` table by a stated rule (ties go to the smaller k).

    - ``"npmi_stable"`` (default): the highest c_npmi among k whose stability >= `min_stability`;
      when no k is that stable, the most stable k (with a warning).
    - ``"c_npmi"``, ``"c_v"``, ``"stability"``: the highest value; ``"perplexity"``: the lowest.
    """
    check_choice("rule", rule, SELECTION_RULES)
    t = selection_table.sort_values("k", kind="stable").reset_index(drop=True)
    if t.empty:
        raise ParameterError("the model-selection table is empty.")

    def best(frame: pd.DataFrame, col: str, largest: bool = True) -> int:
        vals = frame[col].to_numpy(dtype=float)
        if np.all(np.isnan(vals)):
            raise ParameterError(f"rule {rule!r} needs {col!r}, which is missing from the table "
                                 "(perplexity exists for LDA with held-out units only).")
        idx = np.nanargmax(vals) if largest else np.nanargmin(vals)
        return int(frame["k"].iloc[idx])

    if rule == "npmi_stable":
        stable = t[t["stability"] >= min_stability]
        if stable.empty:
            k = best(t, "stability")
            logger.warning("no k has stability >= %.2f; taking the most stable k=%d", min_stability, k)
            return k
        return best(stable, "c_npmi")
    if rule == "perplexity":
        return best(t, "perplexity", largest=False)
    return best(t, rule)


def _model_from(settings: dict) -> TopicModel:
    names = {f.name for f in fields(TopicModel)}
    unknown = sorted(set(settings) - names)
    if unknown:
        raise ParameterError(f"unknown topic-model setting(s) {', '.join(unknown)}; "
                             f"valid: {', '.join(sorted(names))}.")
    return TopicModel(**settings)


# --------------------------------------------------------------------------------------------
# The result
# --------------------------------------------------------------------------------------------

@dataclass(eq=False)
class TopicsResult:
    """A fitted topic model described: tables plus the parameters that made them.

    topics : one row per topic: topic, label, prevalence (mean document share), c_v, c_npmi,
        top_terms, frex_terms (top 10 as text).
    terms : top terms per topic by probability and by FREX (see `terms_table`).
    doc_topics : documents x topics (index ``id``; token-weighted mean of their units' shares).
    prevalence : period, topic, share, low, high, label, n_docs (see `prevalence_over_time`).
    prevalence_by_group : the same per group, or None.
    representative_docs, representative_sentences, topic_map : see the functions of those names.
    selection : the `ModelSelection` when k was chosen from a range.
    """

    params: dict
    topics: pd.DataFrame
    terms: pd.DataFrame
    doc_topics: pd.DataFrame
    prevalence: pd.DataFrame
    prevalence_by_group: pd.DataFrame | None
    representative_docs: pd.DataFrame
    representative_sentences: pd.DataFrame
    topic_map: pd.DataFrame
    period: str | None
    group: str | None
    n_undated: int
    notes: list[str]
    selection: ModelSelection | None = field(default=None, repr=False)
    model: TopicModel | None = field(default=None, repr=False)

    @property
    def labels(self) -> dict[int, str]:
        return dict(zip(self.topics["topic"], self.topics["label"], strict=True))

    @property
    def k(self) -> int:
        return len(self.topics)

    def relabel(self, labels: dict[int, str]) -> TopicsResult:
        """A copy with some topics renamed (``{topic_id: "name"}``); other labels stay."""
        new = self.labels
        for key, value in labels.items():
            t = int(key)
            if t not in new:
                raise ParameterError(f"`labels` names topic {t}, but the topics are 0..{self.k - 1}.")
            new[t] = str(value)

        def lab(frame: pd.DataFrame | None) -> pd.DataFrame | None:
            if frame is None or "label" not in frame:
                return frame
            return frame.assign(label=frame["topic"].map(new))

        return replace(self, topics=lab(self.topics), prevalence=lab(self.prevalence),
                       prevalence_by_group=lab(self.prevalence_by_group), topic_map=lab(self.topic_map),
                       params={**self.params, "labels": {str(t): v for t, v in new.items()}})

    def topics_json(self, n: int = 20) -> list[dict]:
        """The ``topics.json`` records: id, label, prevalence, terms [[term, prob]], frex [[term, score]]."""
        out = []
        for row in self.topics.itertuples(index=False):
            t = int(row.topic)
            sel = self.terms[self.terms["topic"] == t]
            prob = sel[sel["by"] == "prob"].sort_values("rank").head(n)
            fx = sel[sel["by"] == "frex"].sort_values("rank").head(n)
            out.append({"id": t, "label": row.label, "prevalence": float(row.prevalence),
                        "terms": [[w, float(p)] for w, p in zip(prob["term"], prob["prob"], strict=True)],
                        "frex": [[w, float(s)] for w, s in zip(fx["term"], fx["frex"], strict=True)]})
        return out

    def write(self, out_dir: str | Path) -> list[Path]:
        """Write the output contract: topics.json, doc_topics.csv, prevalence.csv (+ by group),
        model_selection.csv (when k was chosen), terms.csv, representative_*.csv, topic_map.csv,
        topics_params.json (parameters, provenance, notes)."""
        out = Path(out_dir)
        out.mkdir(parents=True, exist_ok=True)
        written = []

        def put(name: str, frame: pd.DataFrame, **kw: Any) -> None:
            path = out / name
            frame.to_csv(path, **kw)
            written.append(path)

        path = out / "topics.json"
        path.write_text(json.dumps(self.topics_json(), ensure_ascii=False, indent=1), encoding="utf-8")
        written.append(path)
        put("doc_topics.csv", self.doc_topics, index=True, float_format="%.6g")
        put("prevalence.csv", self.prevalence, index=False, float_format="%.6g")
        if self.prevalence_by_group is not None:
            put("prevalence_by_group.csv", self.prevalence_by_group, index=False, float_format="%.6g")
        put("terms.csv", self.terms, index=False, float_format="%.6g")
        put("representative_docs.csv", self.representative_docs, index=False, float_format="%.6g")
        put("representative_sentences.csv", self.representative_sentences, index=False, float_format="%.6g")
        put("topic_map.csv", self.topic_map, index=False, float_format="%.6g")
        if self.selection is not None:
            written += self.selection.write(out)
        path = out / "topics_params.json"
        record = {"params": self.params, "period": self.period, "group": self.group,
                  "n_undated": self.n_undated, "notes": self.notes,
                  "chosen_k": self.selection.chosen_k if self.selection is not None else None}
        path.write_text(json.dumps(record, ensure_ascii=False, indent=1, default=str), encoding="utf-8")
        written.append(path)
        logger.info("wrote %d files to %s", len(written), out)
        return written


def describe_topics(model: TopicModel, *, labels: dict | None = None, period: str | None = None,
                    group: str | None = None, n_terms: int = 20, n_docs: int = 5, n_sentences: int = 5,
                    with_coherence: bool = True, n_boot: int = N_BOOT, level: float = CI_LEVEL,
                    selection: ModelSelection | None = None) -> TopicsResult:
    """Describe a fitted `TopicModel`: terms (probability and FREX), labels (top 3 FREX terms unless
    given in `labels`), coherence, exemplar documents and sentences, prevalence over time (by
    `period` and `group`, bootstrap CIs with the model's seed) and the topic map."""
    if not hasattr(model, "topic_term_"):
        raise ParameterError("the topic model is not fitted; call `fit(tokens)` first.")
    n_terms = check_int("n_terms", n_terms, minimum=1)
    lab = _resolve_labels(model, labels)
    terms = terms_table(model, n_terms)
    top = [[w for w, _ in t] for t in model.top_terms(10)]
    top_frex = [[w for w, _ in t] for t in model.top_terms(10, by="frex")]
    topics = pd.DataFrame({"topic": range(model.k), "label": [lab[t] for t in range(model.k)],
                           "prevalence": model.prevalence_})
    if with_coherence:
        coh = stored_coherence(top, model.units_)
        for m in COHERENCE_MEASURES:
            topics[m] = coh[m].to_numpy()
    topics["top_terms"] = [", ".join(t) for t in top]
    topics["frex_terms"] = [", ".join(t) for t in top_frex]
    tokens = model.units_.tokens
    prev = prevalence_over_time(model.doc_topic_, tokens.docvars, period=period, group=group, labels=lab,
                                n_boot=n_boot, level=level, seed=model.seed)
    notes = list(prev.notes)
    n_no_units = len(tokens) - model.doc_topic_.shape[0]
    if n_no_units:
        notes.insert(0, f"{n_no_units} of {len(tokens)} documents have no tokens in the vocabulary "
                        "and get no topic shares.")
    params = {**model.get_params(), "corpus": tokens.corpus_name, "corpus_hash": tokens.corpus_hash,
              "preprocess": tokens.params.to_dict(), "n_documents": int(model.doc_topic_.shape[0]),
              "n_units": len(model.units_), "n_units_dropped": model.units_.n_dropped,
              "n_terms": int(model.topic_term_.shape[1]), "period": prev.period, "group": group,
              "n_boot": n_boot, "level": level, "labels": {str(t): v for t, v in lab.items()},
              "versions": _versions()}
    return TopicsResult(
        params=params, topics=topics, terms=terms, doc_topics=model.doc_topic_, prevalence=prev.table,
        prevalence_by_group=prev.by_group, representative_docs=representative_documents(model, n_docs),
        representative_sentences=representative_sentences(model, n_sentences),
        topic_map=topic_map(model, lab), period=prev.period, group=group, n_undated=prev.n_undated,
        notes=notes, selection=selection, model=model)


def fit_topics(data: Tokens | Units, *, labels: dict | None = None, period: str | None = None,
               group: str | None = None, n_terms: int = 20, with_coherence: bool = True,
               n_boot: int = N_BOOT, selection: ModelSelection | None = None,
               progress: Progress | None = None, **settings: Any) -> TopicsResult:
    """Fit a `TopicModel` with `settings` (k, method, unit, seed, ...) and describe it."""
    model = _model_from(settings).fit(data, progress=progress)
    return describe_topics(model, labels=labels, period=period, group=group, n_terms=n_terms,
                           with_coherence=with_coherence, n_boot=n_boot, selection=selection)


def _versions() -> dict[str, str]:
    import gensim
    import sklearn

    from analysis import __version__

    return {"analysis": __version__, "gensim": gensim.__version__, "scikit-learn": sklearn.__version__,
            "numpy": np.__version__, "pandas": pd.__version__}


# --------------------------------------------------------------------------------------------
# Plots (take a result table, optional axes; return the axes; no saving)
# --------------------------------------------------------------------------------------------

def _wrap(text: str, width: int = 30) -> str:
    import textwrap

    return "\n".join(textwrap.wrap(str(text), width)) or str(text)


def grid_shape(n: int, ncols: int = 4) -> tuple[int, int]:
    """Rows and columns of a small-multiple grid for `n` panels."""
    ncols = max(1, min(ncols, n))
    return math.ceil(n / ncols), ncols


def _axes_grid(n: int, axes: Any, ncols: int = 4, panel: tuple[float, float] = (2.2, 1.8)) -> np.ndarray:
    if axes is None:
        import matplotlib.pyplot as plt

        nrows, ncols = grid_shape(n, ncols)
        _, axes = plt.subplots(nrows, ncols, figsize=(panel[0] * ncols, panel[1] * nrows),
                               squeeze=False, sharex=True)
    flat = np.atleast_1d(np.asarray(axes, dtype=object)).ravel()
    if len(flat) < n:
        raise ParameterError(f"{n} panels need at least {n} axes; got {len(flat)}.")
    for ax in flat[n:]:
        ax.set_visible(False)
    return flat


def plot_model_selection(table: pd.DataFrame, *, chosen_k: int | None = None,
                         min_stability: float | None = MIN_STABILITY, axes: Any = None) -> np.ndarray:
    """Coherence (c_npmi, c_v), held-out perplexity and stability against k, in three panels."""
    flat = _axes_grid(3, axes, ncols=3, panel=(2.4, 2.0))
    t = table.sort_values("k")
    ax = flat[0]
    ax.plot(t["k"], t["c_npmi"], marker="o", label="c_npmi")
    ax.plot(t["k"], t["c_v"], marker="s", label="c_v")
    ax.set_title("Coherence")
    ax.legend(frameon=False, fontsize="small")
    ax = flat[1]
    if t["perplexity"].notna().any():
        ax.plot(t["k"], t["perplexity"], marker="o", color="C2")
        ax.set_title("Held-out perplexity")
    else:
        ax.plot(t["k"], t["reconstruction_err"], marker="o", color="C2")
        ax.set_title("NMF reconstruction error")
    ax = flat[2]
    ax.errorbar(t["k"], t["stability"], yerr=t["stability_sd"], marker="o", color="C3", capsize=2)
    if min_stability is not None:
        ax.axhline(min_stability, color="grey", lw=0.8, ls=":")
    ax.set_ylim(0, 1.02)
    ax.set_title("Stability across seeds")
    for ax in flat[:3]:
        ax.set_xlabel("k (topics)")
        if chosen_k is not None:
            ax.axvline(chosen_k, color="black", lw=0.8, ls="--")
    return flat[:3]


def plot_top_terms(terms: pd.DataFrame, *, labels: dict[int, str] | None = None, n: int = 10,
                   by: str = "prob", axes: Any = None) -> np.ndarray:
    """Small multiples: each topic's top `n` terms as horizontal bars (probability, or FREX order)."""
    check_choice("by", by, ("prob", "frex"))
    sel = terms[(terms["by"] == by) & (terms["rank"] <= n)]
    topics = sorted(sel["topic"].unique())
    flat = _axes_grid(len(topics), axes, panel=(2.2, 0.22 * n + 0.6))
    for ax, t in zip(flat, topics, strict=False):
        d = sel[sel["topic"] == t].sort_values("rank")
        ax.barh(range(len(d))[::-1], d["prob"], color="C0")
        ax.set_yticks(range(len(d))[::-1], d["term"], fontsize="x-small")
        ax.set_title(_wrap(f"{t}: {labels[t]}" if labels else f"Topic {t}"), fontsize="small")
        ax.tick_params(axis="x", labelsize="x-small", labelbottom=True)
    return flat[: len(topics)]


def plot_prevalence(prevalence: pd.DataFrame, *, labels: dict[int, str] | None = None,
                    group: str | None = None, max_groups: int = 5, axes: Any = None) -> np.ndarray:
    """Small multiples: each topic's mean share per period with its bootstrap band (or, with
    `group`, one line per group for the `max_groups` groups with most documents)."""
    if prevalence.empty:
        raise ParameterError("the prevalence table is empty (no dated documents).")
    topics = sorted(prevalence["topic"].unique())
    flat = _axes_grid(len(topics), axes)
    p = prevalence.assign(x=prevalence["period"].map(period_position))
    single = p["period"].nunique() == 1
    groups = [None]
    if group is not None:
        size = p[p["topic"] == topics[0]].groupby(group)["n_docs"].sum().sort_values(ascending=False, kind="stable")
        groups = list(size.index[:max_groups])
    for ax, t in zip(flat, topics, strict=False):
        for g_idx, g in enumerate(groups):
            d = p[(p["topic"] == t) & ((p[group] == g) if g is not None else True)].sort_values("x")
            colour = f"C{g_idx}"
            if single:
                ax.errorbar(d["x"], d["share"], yerr=[d["share"] - d["low"], d["high"] - d["share"]],
                            fmt="o", color=colour, capsize=3, label=g)
            else:
                ax.fill_between(d["x"], d["low"], d["high"], color=colour, alpha=0.2, lw=0)
                ax.plot(d["x"], d["share"], color=colour, lw=1.2, label=g)
        name = labels.get(t) if labels else (p.loc[p["topic"] == t, "label"].iloc[0] if "label" in p else None)
        ax.set_title(_wrap(f"{t}: {name}" if name else f"Topic {t}"), fontsize="small")
        ax.set_ylim(bottom=0)
        ax.tick_params(labelsize="x-small", labelbottom=True)
        if single:
            ax.text(0.5, 0.95, "one period only: no trend", transform=ax.transAxes, ha="center",
                    va="top", fontsize="x-small", color="grey")
    if group is not None:
        flat[0].legend(frameon=False, fontsize="xx-small")
    return flat[: len(topics)]


def plot_topic_map(topic_map_table: pd.DataFrame, *, ax: Any = None, max_size: float = 2500.0):
    """Topics placed by classical MDS of Jensen-Shannon distances, area proportional to prevalence."""
    if ax is None:
        import matplotlib.pyplot as plt

        _, ax = plt.subplots(figsize=(5, 5))
    m = topic_map_table
    size = max_size * m["prevalence"] / m["prevalence"].max()
    ax.scatter(m["x"], m["y"], s=size, alpha=0.35, color="C0", edgecolor="C0", linewidth=0.8)
    for row in m.itertuples(index=False):
        ax.annotate(_wrap(f"{row.topic}: {row.label}", 18), (row.x, row.y), ha="center",
                    va="center", fontsize="x-small")
    span = max(np.ptp(m["x"]), np.ptp(m["y"]), 1e-9)
    pad = 0.25 * span
    ax.set_xlim(m["x"].min() - pad, m["x"].max() + pad)
    ax.set_ylim(m["y"].min() - pad, m["y"].max() + pad)
    ax.set_xlabel("MDS dimension 1 (Jensen-Shannon distance)")
    ax.set_ylabel("MDS dimension 2")
    ax.set_aspect("equal", adjustable="datalim")
    ax.axhline(0, color="grey", lw=0.4)
    ax.axvline(0, color="grey", lw=0.4)
    return ax


# --------------------------------------------------------------------------------------------
# Topics against covariates (the code lives in analysis.topic_effects)
# --------------------------------------------------------------------------------------------

def effect(model: TopicModel, formula: str, **options: Any):
    """Regress a fitted model's topic shares on document covariates (``"year"``, ``"s(year) +
    organization"``, ...) with intervals by the method of composition: see
    `analysis.topic_effects.effect`, which takes the same arguments and returns an `EffectsResult`."""
    from analysis.topic_effects import effect as _effect

    return _effect(model, formula, **options)
