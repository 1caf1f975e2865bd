"""The estimator: `TopicModel` (gensim LDA or scikit-learn NMF on TF-IDF) with scikit-learn habits,
and the term scores its top terms are ranked by (probability, FREX).
"""

from __future__ import annotations

import logging
import warnings
from dataclasses import dataclass, fields
from typing import Any

import numpy as np
import pandas as pd
from scipy import sparse
from scipy.stats import rankdata

from analysis.errors import CorpusError, ParameterError, check_choice, check_int
from analysis.preprocess import Tokens
from analysis.results import cached
from analysis.topics.units import (
    MIN_UNITS,
    UNITS,
    Progress,
    Units,
    _bow_rows,
    prepare_units,
)

logger = logging.getLogger(__name__)

METHODS = ("lda", "nmf")


@dataclass(kw_only=True, eq=False)
class TopicModel:
    """A topic model with scikit-learn habits: settings in the constructor, ``fit`` returns self.

    Parameters
    ----------
    k : number of topics, default=10.
    method : ``"lda"`` (gensim ``LdaModel`` with a compiled E-step, `CsrLda`) or ``"nmf"`` (scikit-learn ``NMF`` on TF-IDF), default="lda".
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
        record = {"units": units.fingerprint, "params": self.get_params()}
        state = cached(store, "topic-model", record, lambda: self._learn(units))
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
            from analysis.topics.lda import CsrLda, RowCorpus

            self.batch_ = dtm.shape[0] <= self.chunksize
            self.passes_ = self.passes if self.passes is not None else (40 if self.batch_ else 10)
            self.model_ = CsrLda(
                RowCorpus(dtm), num_topics=self.k, id2word=units.dictionary,
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
            from analysis.topics.lda import lda_gamma

            # Inference draws its starting point from the model's random state: reseeded, so that
            # the shares do not depend on what was inferred before.
            gamma = lda_gamma(self.model_, dtm, self.seed)
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


def _model_from(settings: dict) -> TopicModel:
    names = {f.name for f in fields(TopicModel)}
    unknown = sorted(set(settings) - names)
    if unknown:
        raise ParameterError(f"unknown topic-model setting(s) {', '.join(unknown)}; "
                             f"valid: {', '.join(sorted(names))}.")
    return TopicModel(**settings)
