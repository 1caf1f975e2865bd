"""LDA by gensim's online variational Bayes with a compiled E-step over a count matrix.

`CsrLda` is gensim's ``LdaModel`` (Hoffman, Blei and Bach 2010: the same M-step, α learning,
schedule and random starts) whose per-document inference (the E-step, where the fit spends its
time) runs as one compiled loop (numba) over the rows of a CSR count matrix instead of a NumPy
call per document and iteration. It computes what gensim's ``inference`` computes, in the same
order per document; only the summation order inside a dot product differs, so γ and the
sufficient statistics agree with gensim's to about 1e-10 relative (1e-8 pinned in
``tests/test_topic_lda.py``) and the same seed gives the same bits on every run.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

import numpy as np
from gensim.models import LdaModel
from gensim.utils import get_random_state
from numba import njit, prange
from scipy import sparse

from analysis.topics.units import _bow_rows

CHUNK = 2000  # units per inference call outside the fit (bounded memory for γ's start)
BLOCKS = 8  # a chunk's documents in this many fixed blocks, run on the cores there are; the sums are
# added block by block in order, so the result does not depend on the number of cores


@njit(cache=True, fastmath=False)
def _digamma(x: float) -> float:
    """ψ(x) for x > 0, as gensim's ``_matutils._digamma`` computes it (shift by 6, asymptotic series)."""
    x = x + 6.0
    f = 1.0 / (x * x)
    t = f * (-1.0 / 12.0 + f * (1.0 / 120.0 + f * (-1.0 / 252.0 + f * (1.0 / 240.0 + f * (-1.0 / 132.0)))))
    return (np.log(x) - 0.5 / x + t - 1.0 / (x - 1.0) - 1.0 / (x - 2.0) - 1.0 / (x - 3.0)
            - 1.0 / (x - 4.0) - 1.0 / (x - 5.0) - 1.0 / (x - 6.0))


@njit(cache=True)
def _exp_elog_theta(gammad: np.ndarray, out: np.ndarray) -> None:
    """exp(E[log θ]) of one document's Dirichlet γ, into `out`."""
    total = 0.0
    for t in range(gammad.shape[0]):
        total += gammad[t]
    psi_total = _digamma(total)
    for t in range(gammad.shape[0]):
        out[t] = np.exp(_digamma(gammad[t]) - psi_total)


@njit(cache=True)
def _estep_rows(lo: int, hi: int, indptr: np.ndarray, indices: np.ndarray, data: np.ndarray, gamma: np.ndarray,
           exp_elog_beta_t: np.ndarray, alpha: np.ndarray, iterations: int, threshold: float,
           collect: bool, sstats_t: np.ndarray) -> int:
    """gensim's per-document variational inference (Lee-Seung form) over CSR rows; updates
    `gamma` (n_docs, k) in place and, when `collect`, adds each document's φ-statistics to
    `sstats_t` (n_terms, k; before the final multiplication by exp E[log β]). exp E[log β] comes
    transposed (n_terms, k), so that a document's columns are contiguous rows. Returns how many
    documents converged."""
    k = gamma.shape[1]
    eps = np.finfo(np.float64).eps
    exp_theta = np.empty(k)
    last = np.empty(k)
    acc = np.empty(k)
    converged = 0
    for d in range(lo, hi):
        start, stop = indptr[d], indptr[d + 1]
        m = stop - start
        beta_d = np.empty((m, k))
        for j in range(m):
            beta_d[j, :] = exp_elog_beta_t[indices[start + j], :]
        cts = data[start:stop]
        gammad = gamma[d]
        _exp_elog_theta(gammad, exp_theta)
        phinorm = np.empty(m)
        ratio = np.empty(m)
        for j in range(m):
            total = 0.0
            for t in range(k):
                total += exp_theta[t] * beta_d[j, t]
            phinorm[j] = total + eps
        for _ in range(iterations):
            for t in range(k):
                last[t] = gammad[t]
                acc[t] = 0.0
            for j in range(m):
                ratio[j] = cts[j] / phinorm[j]
            for j in range(m):
                r = ratio[j]
                for t in range(k):
                    acc[t] += r * beta_d[j, t]
            for t in range(k):
                gammad[t] = alpha[t] + exp_theta[t] * acc[t]
            _exp_elog_theta(gammad, exp_theta)
            for j in range(m):
                total = 0.0
                for t in range(k):
                    total += exp_theta[t] * beta_d[j, t]
                phinorm[j] = total + eps
            change = 0.0
            for t in range(k):
                change += abs(gammad[t] - last[t])
            if change / k < threshold:
                converged += 1
                break
        if collect:
            for j in range(m):
                r = cts[j] / phinorm[j]
                row = indices[start + j]
                for t in range(k):
                    sstats_t[row, t] += exp_theta[t] * r
    return converged


@njit(cache=True, parallel=True)
def _estep(indptr: np.ndarray, indices: np.ndarray, data: np.ndarray, gamma: np.ndarray,
           exp_elog_beta_t: np.ndarray, alpha: np.ndarray, iterations: int, threshold: float,
           collect: bool, sstats_t: np.ndarray) -> int:
    """`_estep_rows` over `BLOCKS` fixed blocks of documents in parallel; each block's statistics
    in its own buffer, added in block order (deterministic whatever the number of threads)."""
    n_docs = gamma.shape[0]
    bounds = np.linspace(0, n_docs, BLOCKS + 1).astype(np.int64)
    shape = (BLOCKS, sstats_t.shape[0], sstats_t.shape[1])
    parts = np.zeros(shape) if collect else np.zeros((BLOCKS, 0, 0))
    done = np.zeros(BLOCKS, dtype=np.int64)
    for b in prange(BLOCKS):
        done[b] = _estep_rows(bounds[b], bounds[b + 1], indptr, indices, data, gamma, exp_elog_beta_t,
                              alpha, iterations, threshold, collect, parts[b])
    if collect:
        for b in range(BLOCKS):
            sstats_t += parts[b]
    return done.sum()


class _Row:
    """One row of a count matrix, as a corpus item `CsrLda` reads without a bag-of-words list."""

    __slots__ = ("dtm", "i")

    def __init__(self, dtm: sparse.csr_matrix, i: int) -> None:
        self.dtm, self.i = dtm, i


class RowCorpus:
    """A re-iterable corpus over the rows of a CSR count matrix, for `CsrLda`."""

    def __init__(self, dtm: sparse.csr_matrix) -> None:
        self.dtm = sparse.csr_matrix(dtm)

    def __len__(self) -> int:
        return self.dtm.shape[0]

    def __iter__(self) -> Iterator[_Row]:
        dtm = self.dtm
        return (_Row(dtm, i) for i in range(dtm.shape[0]))


def _as_csr(chunk: Sequence[Any], n_terms: int) -> sparse.csr_matrix:
    """The rows of a chunk (`_Row` items, or gensim bags of words) as one float64 CSR matrix."""
    if len(chunk) and isinstance(chunk[0], _Row):
        dtm = chunk[0].dtm
        rows = np.fromiter((r.i for r in chunk), dtype=np.int64, count=len(chunk))
        if all(r.dtm is dtm for r in chunk):
            return dtm[rows].astype(np.float64)
        return sparse.vstack([r.dtm[r.i] for r in chunk], format="csr").astype(np.float64)
    lengths = [len(doc) for doc in chunk]
    indptr = np.zeros(len(chunk) + 1, dtype=np.int64)
    np.cumsum(lengths, out=indptr[1:])
    nnz = int(indptr[-1])
    indices = np.fromiter((int(i) for doc in chunk for i, _ in doc), dtype=np.int64, count=nnz)
    data = np.fromiter((c for doc in chunk for _, c in doc), dtype=np.float64, count=nnz)
    return sparse.csr_matrix((data, indices, indptr), shape=(len(chunk), n_terms))


class CsrLda(LdaModel):
    """gensim's ``LdaModel`` with the E-step compiled over CSR rows (see the module docstring).

    Takes the same arguments; train it on a `RowCorpus` (any gensim corpus works, more slowly).
    """

    def inference(self, chunk: Sequence[Any], collect_sstats: bool = False) -> tuple[np.ndarray, np.ndarray | None]:
        """γ (n_docs, k) of the documents of `chunk` and, with `collect_sstats`, the M-step's statistics."""
        if not isinstance(chunk, Sequence):
            chunk = list(chunk)
        return self.inference_csr(_as_csr(chunk, self.num_terms), collect_sstats=collect_sstats)

    def inference_csr(self, dtm: sparse.csr_matrix, collect_sstats: bool = False) -> tuple[np.ndarray, np.ndarray | None]:
        """`inference` on the rows of a CSR count matrix; draws γ's start from ``random_state``."""
        dtm = sparse.csr_matrix(dtm)
        gamma = self.random_state.gamma(100., 1. / 100., (dtm.shape[0], self.num_topics)).astype(np.float64)
        exp_elog_beta = np.asarray(self.expElogbeta, dtype=np.float64)
        sstats_t = np.zeros(exp_elog_beta.shape[::-1]) if collect_sstats else np.zeros((0, 0))
        alpha = np.ascontiguousarray(np.broadcast_to(np.asarray(self.alpha, dtype=np.float64), (self.num_topics,)))
        _estep(dtm.indptr.astype(np.int64), dtm.indices.astype(np.int64), dtm.data.astype(np.float64),
               gamma, np.ascontiguousarray(exp_elog_beta.T), alpha, int(self.iterations),
               float(self.gamma_threshold), collect_sstats, sstats_t)
        if not collect_sstats:
            return gamma, None
        sstats = sstats_t.T * exp_elog_beta
        return gamma, sstats


def lda_gamma(model: LdaModel, dtm: sparse.csr_matrix, seed: int) -> np.ndarray:
    """γ (n_rows, k) of the rows of `dtm`, the inference's random start reseeded with `seed` so that
    the result does not depend on what was inferred before; in chunks of `CHUNK` rows."""
    model.random_state = get_random_state(seed)
    dtm = sparse.csr_matrix(dtm)
    out = []
    for start in range(0, dtm.shape[0], CHUNK):
        rows = dtm[start : start + CHUNK]
        if isinstance(model, CsrLda):
            gamma, _ = model.inference_csr(rows)
        else:  # a model fitted before CsrLda existed
            gamma, _ = model.inference(list(_bow_rows(rows)))
        out.append(gamma)
    return np.vstack(out) if out else np.zeros((0, model.num_topics))


__all__ = ["CsrLda", "RowCorpus", "lda_gamma"]
