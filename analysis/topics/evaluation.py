"""How well a topic model fits text it was not fitted on: held-out perplexity by document
completion, and coherence on a reference corpus.

- `HeldoutSplit` / `document_completion_perplexity`: the "document completion" estimate of
  held-out likelihood (Wallach, Murray, Salakhutdinov and Mimno 2009, sec. 4; Rosen-Zvi et al.
  2004). The vocabulary is built from the training units only (same filter settings); each
  held-out unit's in-vocabulary tokens are cut into a first and a second half in text order;
  the unit's topic shares θ are inferred from the first half only (gensim's variational
  inference with the fitted topics), and the second half is scored:
  log p(w) = log Σ_k θ_k β_kw. Perplexity is exp(−Σ log p / number of scored tokens): a per
  held-out word quantity without the topic-word prior term that gensim's ``bound`` adds. θ is the
  plug-in posterior mean (the simple estimator, not Wallach et al.'s left-to-right sampler), so
  the numbers compare k with k on the same split, not with other software's perplexities.
- `reference_coherence`: c_npmi of a model's top terms counted on a reference corpus the user
  names (its own units and windows), instead of the training units `analysis.topics.describe.coherence`
  uses; top terms missing from the reference corpus are left out and counted.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass, replace

import numpy as np
import pandas as pd
from scipy import sparse

from analysis.errors import CorpusError, ParameterError
from analysis.preprocess import Tokens
from analysis.preprocess.dtm import dtm_from_counts
from analysis.topics.model import TopicModel
from analysis.topics.units import Units, split_units

logger = logging.getLogger(__name__)


@dataclass(eq=False)
class HeldoutSplit:
    """Training units (vocabulary and counts from them alone) and held-out first/second halves.

    train : `Units` of the training units, with a dictionary built from them only.
    first : csr_matrix (n_heldout, n_terms): counts of each held-out unit's first half.
    second : csr_matrix (n_heldout, n_terms): counts of its second half (the scored words).
    n_heldout : held-out units asked for; n_skipped : of them, units with fewer than 2 tokens
        in the training vocabulary (nothing to condition on or to score); n_oov : held-out tokens
        outside the training vocabulary (not scored).
    """

    train: Units
    first: sparse.csr_matrix
    second: sparse.csr_matrix
    n_heldout: int
    n_skipped: int
    n_oov: int

    @property
    def n_scored(self) -> int:
        return int(self.second.sum())


def heldout_split(units: Units, heldout: float = 0.1, *, seed: int = 0) -> HeldoutSplit:
    """Split `units` at random (seeded) into training units and `heldout` (a fraction) held-out
    units, rebuild the vocabulary on the training units alone and cut each held-out unit's
    in-vocabulary tokens into first and second halves."""
    from gensim.corpora import Dictionary

    if not 0 < heldout < 0.5:
        raise ParameterError(f"`heldout` must be a fraction in (0, 0.5); got {heldout!r}.")
    n = len(units)
    rng = np.random.default_rng(seed)
    perm = rng.permutation(n)
    n_test = max(1, round(heldout * n))
    is_test = np.zeros(n, dtype=bool)
    is_test[perm[:n_test]] = True
    s = units.settings
    train_texts, test_texts = [], []
    for i, toks in enumerate(units.texts()):
        (test_texts if is_test[i] else train_texts).append(toks)
    dictionary = Dictionary(train_texts)
    dictionary.filter_extremes(no_below=s["no_below"], no_above=s["no_above"], keep_n=s["keep_n"])
    if len(dictionary) == 0:
        raise CorpusError("the training units leave an empty vocabulary after filtering; "
                          "use more units or lower `no_below`.")
    keep, train_bows = [], []
    for i, toks in zip(np.flatnonzero(~is_test), train_texts, strict=True):
        bow = dictionary.doc2bow(toks)
        if bow:
            keep.append(i)
            train_bows.append(bow)
    frame = units.frame.iloc[keep].reset_index(drop=True)
    frame = frame.assign(n_terms=[int(sum(c for _, c in b)) for b in train_bows])
    train = Units(frame, dtm_from_counts(train_bows, len(dictionary), np.int32), dictionary, dict(s), units.tokens,
                  n_dropped=len(train_texts) - len(keep))
    token2id = dictionary.token2id
    first, second, n_skipped, n_oov = [], [], 0, 0
    for toks in test_texts:
        ids = [token2id[t] for t in toks if t in token2id]
        n_oov += len(toks) - len(ids)
        if len(ids) < 2:
            n_skipped += 1
            continue
        half = len(ids) // 2
        for part, out in ((ids[:half], first), (ids[half:], second)):
            out.append(sorted(pd.Series(part).value_counts().items()))
    if not first:
        raise CorpusError("no held-out unit has two or more tokens in the training vocabulary; "
                          "held-out perplexity cannot be computed.")
    split = HeldoutSplit(train, dtm_from_counts(first, len(dictionary), np.int32),
                         dtm_from_counts(second, len(dictionary), np.int32),
                         n_test, n_skipped, n_oov)
    logger.info("held-out split: %d training units (%d terms), %d held-out units (%d skipped), "
                "%d scored tokens, %d out-of-vocabulary", len(train), len(dictionary), n_test,
                n_skipped, split.n_scored, n_oov)
    return split


def document_completion_perplexity(model: TopicModel, split: HeldoutSplit) -> float:
    """Fit a copy of `model`'s settings on ``split.train`` and return the document-completion
    perplexity of the held-out second halves (see the module docstring). LDA only."""
    if model.method != "lda":
        raise ParameterError("held-out perplexity is defined for method='lda' only.")
    m = replace(model)
    m._check_size(split.train)
    m._fit_units(split.train, split.train.dtm)
    theta = m._shares(split.first)  # θ from the first halves only (seeded inference)
    beta = m.topic_term_
    second = split.second.tocoo()
    p = np.einsum("ik,ik->i", theta[second.row], beta[:, second.col].T)
    loglik = float(np.sum(second.data * np.log(np.maximum(p, 1e-300))))
    return float(np.exp(-loglik / split.n_scored))


def reference_coherence(topics: Sequence[Sequence[str]], reference: Tokens, *, unit: str = "document",
                        topn: int = 10, chunk_size: int = 200, paragraph_size: int = 5) -> pd.DataFrame:
    """c_npmi (10-token windows, gensim ``CoherenceModel`` as `analysis.topics.windows.coherence_per_topic`
    counts it) of each topic's first `topn` terms,
    counted on the texts of a reference corpus (its units as `unit` cuts them), not on the
    training units. Terms the reference corpus lacks are left out; a topic with fewer than two
    terms left gets NaN. Columns: topic, c_npmi_reference, n_terms_used, n_terms_missing."""
    from gensim.corpora import Dictionary

    from analysis.topics.windows import coherence_per_topic

    if not isinstance(reference, Tokens):
        raise ParameterError("`reference` must be preprocessed Tokens of the reference corpus "
                             f"(analysis.preprocess.preprocess); got {type(reference).__name__}.")
    texts = [u for doc in reference for u in split_units(doc, unit, chunk_size=chunk_size,
                                                         paragraph_size=paragraph_size)]
    if not texts:
        raise CorpusError(f"the reference corpus {reference.name!r} has no tokens.")
    dictionary = Dictionary(texts)
    lists = [[w for w in list(t)[:topn] if w in dictionary.token2id] for t in topics]
    usable = [i for i, t in enumerate(lists) if len(t) >= 2]
    scores = np.full(len(lists), np.nan)
    if usable:
        scores[usable] = coherence_per_topic([lists[i] for i in usable], texts, dictionary, "c_npmi")
    return pd.DataFrame({"topic": range(len(lists)), "c_npmi_reference": scores,
                         "n_terms_used": [len(t) for t in lists],
                         "n_terms_missing": [min(topn, len(list(t))) - len(lt)
                                             for t, lt in zip(topics, lists, strict=True)]})


__all__ = ["HeldoutSplit", "heldout_split", "document_completion_perplexity", "reference_coherence"]
