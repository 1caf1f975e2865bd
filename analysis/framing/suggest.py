"""Lexicon growth: candidate terms for a frame, from the corpus itself, for a person to accept
or reject.

Two sources: word2vec neighbours of the frame's current terms (Mikolov et al. 2013; gensim,
one worker thread and a fixed seed, so reruns agree) and lemmas over-represented in the
sentences the frame marks, by log-likelihood G² (Dunning 1993) with the log ratio (Hardie 2014).
Terms the lexicon already covers and stop words are left out.

A small corpus (a few hundred pages) is too small for word2vec of its own: its vectors collapse
(every cosine near 1). Below `min_tokens` content tokens the neighbours come from the reference
vectors (`analysis.framing.vectors`, trained once on the UN General Debate Corpus and the kremlin.ru
items) when they are built; `params["vectors"]` says which were used, and `params["collapse"]`
gives the median cosine of random word pairs of the vectors used (near 1: collapsed). Every
candidate needs evidence in the user's corpus: at least `min_count` occurrences in sentences the
frame marks, and keyness candidates a G² of at least `min_g2` (3.84: p < 0.05).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from analysis.errors import CorpusError, ParameterError, check_choice, check_int
from analysis.framing.detect import FrameDetector
from analysis.framing.gazetteer import Gazetteer, load_gazetteer
from analysis.framing.lexicon import LANGUAGES, Lexicon, load_lexicon
from analysis.framing.matcher import PatternSet
from analysis.preprocess import Tokens
from analysis.preprocess.lexicon import stopwords
from analysis.results import Result, result_params
from analysis.stats import g2_keyness

logger = logging.getLogger(__name__)

SUGGEST_COLUMNS = ("term", "source", "similarity", "nearest_term", "g2", "log_ratio", "n_frame", "n_other",
                   "decision")


@dataclass
class Suggestions(Result):
    """Candidate terms for one frame: `table` with columns term, source ('neighbour', 'keyness'
    or 'both'), similarity, nearest_term, g2, log_ratio, n_frame, n_other, decision (empty: for
    the person reviewing, 'accept' or 'reject'). Written as suggestions.csv (edit the decision
    column, then copy accepted terms to a lexicon) and params.json."""

    table: pd.DataFrame
    frame: str
    params: dict[str, Any] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)

    def tables(self) -> dict[str, pd.DataFrame]:
        return {"suggestions": self.table}


def _covered(frame: str, lexicon: Lexicon, det: FrameDetector, language: str) -> PatternSet:
    """The frame's one-word terms (lemmas and prefixes): the seeds, and what is already covered."""
    lem = det.compiled(language).lemmatizer
    words = [spec["term"] for _, spec in lexicon.frames[frame].terms(language)
             if len(spec["term"].split()) == 1 and not spec["term"].startswith("=")]
    return PatternSet.build(words, lem)


def _names(det: FrameDetector, language: str) -> PatternSet:
    """One-word partner aliases (names are not frame vocabulary)."""
    lem = det.compiled(language).lemmatizer
    words = [a["term"] for p in det.gazetteer.partners.values() for aliases in p.aliases.values()
             for a in aliases if len(a["term"].split()) == 1]
    return PatternSet.build(words, lem)


def suggest_terms(tokens: Tokens, frame: str, *, language: str = "en", lexicon: Lexicon | str | Path | None = None,
                  gazetteer: Gazetteer | str | Path | None = None, top: int = 30, min_count: int = 5,
                  vector_size: int = 100, window: int = 5, epochs: int = 5, seed: int = 0,
                  max_documents: int | None = None, vectors: str = "auto", min_tokens: int = 1_000_000,
                  min_g2: float = 3.84, cache_dir: str | Path | None = None) -> Suggestions:
    """Suggest new terms for `frame` from a corpus's `language` documents.

    Parameters
    ----------
    tokens : the corpus's `Tokens` (their sentences as preprocessing split them).
    top : candidates from each source (the table has up to 2 x top rows).
    min_count : ignore lemmas seen fewer times (word2vec vocabulary and keyness).
    vector_size, window, epochs, seed : word2vec settings (skip-gram, one worker thread).
    max_documents : use only the first documents (a quick look at a large corpus).
    vectors : "auto" (the corpus's own word2vec from `min_tokens` content tokens on, else the
        reference vectors when built), "corpus" or "reference".
    min_g2 : the smallest G² of a keyness candidate.
    cache_dir : where the reference vectors are (default: the toolkit cache).
    """
    from gensim.models import Word2Vec

    from analysis.framing.vectors import collapsed, load_reference_vectors, reference_vectors_info

    check_choice("language", language, LANGUAGES)
    check_choice("vectors", vectors, ("auto", "corpus", "reference"))
    top = check_int("top", top, minimum=1)
    min_count = check_int("min_count", min_count, minimum=1)
    if not isinstance(lexicon, Lexicon):
        lexicon = load_lexicon(lexicon)
    if not isinstance(gazetteer, Gazetteer):
        gazetteer = load_gazetteer(gazetteer)
    if frame not in lexicon.frames:
        raise ParameterError(f"`frame` must be one of {', '.join(map(repr, lexicon.frame_names))}; got {frame!r}.")
    det = FrameDetector(lexicon, gazetteer)
    pos = det.frames.index(frame)
    stops = stopwords(language)
    ids = [i for i, lang in zip(tokens.metadata.index, tokens.metadata["language"], strict=True) if lang == language]
    if max_documents is not None:
        ids = ids[: check_int("max_documents", max_documents, minimum=1)]
    if not ids:
        raise CorpusError(f"the corpus has no {language!r} documents to learn from.")
    sentences: list[list[str]] = []
    marked: list[bool] = []
    for doc_id in ids:
        for s in tokens.sentences_of(doc_id):
            lemmas = [w.lower() for w in det.lemmas(s, language)]
            kept = [w for w in lemmas if len(w) > 2 and w.isalpha() and w not in stops]
            if kept:
                sentences.append(kept)
                marked.append(det.detect(s, language).flags[pos])
    if not any(marked):
        raise CorpusError(f"no sentence of the corpus has the frame {frame!r}; nothing to learn from.")
    covered = _covered(frame, lexicon, det, language)
    names = _names(det, language)

    freq_frame: dict[str, int] = {}
    freq_other: dict[str, int] = {}
    for toks, m in zip(sentences, marked, strict=True):
        target = freq_frame if m else freq_other
        for w in toks:
            target[w] = target.get(w, 0) + 1
    n_tokens = sum(map(len, sentences))
    wv = None
    used = "corpus"
    if vectors == "reference" or (vectors == "auto" and n_tokens < min_tokens):
        wv = load_reference_vectors(language, cache_dir)
        if wv is None and vectors == "reference":
            raise ParameterError(f"no reference vectors for {language!r} are built; build them with "
                                 "`python -m analysis frames vectors build CORPUS ...`.")
        if wv is None:
            logger.warning("the corpus has %d content tokens (< %d) and no reference vectors are built: its own "
                           "word2vec may collapse (see `frames vectors build`)", n_tokens, min_tokens)
        else:
            info = reference_vectors_info(cache_dir)
            used = "reference (" + ", ".join(c["name"] for c in info.get("corpora", [])) + ")"
    if wv is None:
        wv = Word2Vec(sentences, vector_size=vector_size, window=window, min_count=min_count, workers=1,
                      seed=seed, epochs=epochs, sg=1).wv
    vocab = list(wv.index_to_key)
    is_covered = np.array([covered.test(w, w) for w in vocab])
    is_name = np.array([names.test(w, w) for w in vocab])
    seed_idx = np.flatnonzero(is_covered)
    neighbours = pd.DataFrame(columns=["term", "similarity", "nearest_term"])
    if len(seed_idx):
        vecs = wv.get_normed_vectors()
        sims = vecs @ vecs[seed_idx].T
        best = sims.argmax(axis=1)
        score = sims[np.arange(len(vocab)), best]
        in_frame = np.array([freq_frame.get(w, 0) >= min_count for w in vocab])  # evidence in this corpus
        cand = np.flatnonzero(~is_covered & ~is_name & in_frame)
        order = cand[np.lexsort((np.array(vocab, dtype=object)[cand], -score[cand]))][:top]
        neighbours = pd.DataFrame({"term": [vocab[i] for i in order], "similarity": score[order],
                                   "nearest_term": [vocab[seed_idx[best[i]]] for i in order]})

    terms = sorted(w for w in set(freq_frame) | set(freq_other)
                   if freq_frame.get(w, 0) + freq_other.get(w, 0) >= min_count and not covered.test(w, w)
                   and not names.test(w, w))
    a = np.array([freq_frame.get(w, 0) for w in terms], dtype=float)
    b = np.array([freq_other.get(w, 0) for w in terms], dtype=float)
    total_a, total_b = float(sum(freq_frame.values())), float(sum(freq_other.values()) or 1)
    g2, ratio = g2_keyness(a, b, total_a, total_b) if terms else (np.array([]), np.array([]))
    key = pd.DataFrame({"term": terms, "g2": g2, "log_ratio": ratio, "n_frame": a.astype(int), "n_other": b.astype(int)})
    key = key[(key["log_ratio"] > 0) & (key["g2"] >= min_g2) & (key["n_frame"] >= min_count)]
    key = key.sort_values(["g2", "term"], ascending=[False, True]).head(top)

    table = neighbours.merge(key, on="term", how="outer")
    in_n = table["term"].isin(neighbours["term"])
    in_k = table["term"].isin(key["term"])
    table["source"] = np.where(in_n & in_k, "both", np.where(in_n, "neighbour", "keyness"))
    # fill keyness numbers for neighbours and vice versa where known
    for col, src in (("n_frame", freq_frame), ("n_other", freq_other)):
        table[col] = [src.get(t, 0) for t in table["term"]]
    if len(table):
        fill = g2_keyness(table["n_frame"].to_numpy(float), table["n_other"].to_numpy(float), total_a, total_b)
        table["g2"], table["log_ratio"] = fill
        sim = {w: (float(s), n) for w, s, n in zip(neighbours["term"], neighbours["similarity"],
                                                    neighbours["nearest_term"], strict=True)}
        if len(seed_idx):
            for t in table["term"]:
                if t not in sim and t in wv.key_to_index:
                    j = wv.key_to_index[t]
                    sim[t] = (float(score[j]), vocab[seed_idx[best[j]]])
        table["similarity"] = [sim.get(t, (np.nan, ""))[0] for t in table["term"]]
        table["nearest_term"] = [sim.get(t, (np.nan, ""))[1] for t in table["term"]]
    table["rank"] = table["source"].map({"both": 0, "neighbour": 1, "keyness": 1})
    table = table.sort_values(["rank", "g2", "term"], ascending=[True, False, True]).drop(columns="rank")
    table["decision"] = ""
    table = table[list(SUGGEST_COLUMNS)].reset_index(drop=True)
    params = result_params(tokens, {"frame": frame, "language": language, "top": top, "min_count": min_count, "vector_size": vector_size,
              "window": window, "epochs": epochs, "seed": seed, "documents": len(ids),
              "sentences": len(sentences), "frame_sentences": int(sum(marked)),
              "tokens": n_tokens, "vectors": used, "collapse": round(collapsed(wv, seed=seed), 4),
              "min_g2": min_g2, "lexicon_version": lexicon.version})
    logger.info("suggested %d terms for %r from %d sentences", len(table), frame, len(sentences))
    return Suggestions(table, frame, params)
