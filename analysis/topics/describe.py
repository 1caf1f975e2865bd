"""Describing a fitted model's topics: labels, top terms, exemplar documents and sentences,
coherence, stability across seeds, key-term matching and the topic map.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from itertools import combinations
from typing import Any

import numpy as np
import pandas as pd

from analysis.errors import ParameterError, check_choice
from analysis.results import cached
from analysis.topics.model import TopicModel, _top_order, frex
from analysis.topics.units import Units

COHERENCE_MEASURES = ("c_v", "c_npmi")
# Coherence is counted on a seeded sample of this many units by default (all units when there are
# fewer): on 10,952 UN speeches the whole set took minutes, the sample seconds. None: every unit.
COHERENCE_UNITS = 2000


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
    metadata = model.units_.tokens.metadata
    length = model.units_.frame.groupby("doc_id", sort=False)["n_terms"].sum().reindex(dt.index)
    rows = []
    for t in range(model.k):
        frame = pd.DataFrame({"share": dt[t].to_numpy(), "n_terms": length.to_numpy(),
                              "doc_id": dt.index.to_numpy()})
        frame = frame.sort_values(["share", "n_terms", "doc_id"], ascending=[False, False, True],
                                  kind="stable").head(n)
        for rank, row in enumerate(frame.itertuples(index=False), 1):
            meta = metadata.loc[row.doc_id]
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


def coherence_sample(n_units: int, size: int | None, seed: int = 0) -> np.ndarray | None:
    """The rows (sorted) of the seeded random sample of `size` of `n_units` units that coherence
    is counted on; None for every unit (`size` None, or not smaller than `n_units`)."""
    if size is None or size >= n_units:
        return None
    if size < 1:
        raise ParameterError(f"`coherence_units` must be a number of units >= 1 or None (all); got {size!r}.")
    return np.sort(np.random.default_rng(seed).choice(n_units, size, replace=False))


def coherence_reference(units: Units, size: int | None, seed: int = 0) -> dict[str, Any]:
    """What coherence is counted on, for params and notes: units used, units in all, seed."""
    rows = coherence_sample(len(units), size, seed)
    used = len(units) if rows is None else len(rows)
    return {"reference_units": used, "of_units": len(units), "sampled": rows is not None,
            "seed": int(seed) if rows is not None else None}


def coherence_note(reference: dict[str, Any]) -> str | None:
    """A sentence for the notes when coherence was counted on a sample; None for every unit."""
    if not reference.get("sampled"):
        return None
    return (f"coherence (c_v, c_npmi) is counted on a seeded random sample of {reference['reference_units']:,} "
            f"of the {reference['of_units']:,} units (seed {reference['seed']}); `coherence_units=None` "
            "(command line: --coherence-units all) counts it on every unit.")


def coherence(topics: Sequence[Sequence[str]], units: Units, *, measures: Sequence[str] = COHERENCE_MEASURES,
              topn: int = 10, n_units: int | None = None, seed: int = 0) -> pd.DataFrame:
    """Per-topic coherence (gensim ``CoherenceModel``; Röder, Both and Hinneburg 2015), computed on
    the texts of the same units the model was fitted on, over each topic's first `topn` terms:
    every unit, or with `n_units` a seeded random sample of that many (`coherence_sample`).

    ``c_v``: boolean sliding window of 110 tokens, NPMI-based context vectors, cosine.
    ``c_npmi``: sliding window of 10 tokens, mean normalised PMI of term pairs (Bouma 2009).
    The windows are counted by `analysis.topics.windows.coherence_per_topic` (the counts gensim's
    accumulator makes, compiled); gensim's confirmation measures score them.
    Returns one row per topic list, one column per measure.
    """
    # numba: imported by the stage that needs it
    from analysis.topics.windows import coherence_per_topic

    for m in measures:
        check_choice("measure", m, COHERENCE_MEASURES)
    lists = [list(t)[:topn] for t in topics]
    texts = units.texts(rows=coherence_sample(len(units), n_units, seed))
    out = {m: np.asarray(coherence_per_topic(lists, texts, units.dictionary, m, topn), dtype=float) for m in measures}
    return pd.DataFrame(out)


def stored_coherence(topics: Sequence[Sequence[str]], units: Units, *, topn: int = 10,
                     n_units: int | None = None, seed: int = 0) -> pd.DataFrame:
    """`coherence` of these topic lists (all measures) on these units (or a seeded sample of
    `n_units` of them), stored beside the tokens they come from and read back for the same topics
    and units (a rerun does not recount the texts); computed afresh for units not made by
    `prepare_units` on cached tokens."""
    store = units.tokens.results if units.fingerprint is not None else None
    lists = [list(t)[:topn] for t in topics]
    rows = coherence_sample(len(units), n_units, seed)
    record = {"units": units.fingerprint, "topics": lists, "measures": list(COHERENCE_MEASURES), "topn": topn,
              "reference": None if rows is None else {"n_units": len(rows), "seed": int(seed)}}
    return cached(store, "coherence", record, lambda: coherence(lists, units, topn=topn, n_units=n_units, seed=seed))


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
    # imported here, not at the top: scipy.optimize takes a second to import
    from scipy.optimize import linear_sum_assignment

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
    from scipy.optimize import linear_sum_assignment

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
    from scipy.spatial.distance import jensenshannon

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
