"""Boolean sliding-window counts for topic coherence, compiled: gensim's counts, faster.

gensim's ``CoherenceModel`` counts, for ``c_v`` (window 110) and ``c_npmi`` (window 10), in how
many sliding windows each topic word occurs and each pair of them co-occurs
(``WordOccurrenceAccumulator``); it does so one window at a time in Python, which was about half of
`python -m analysis topics` on the UN corpus. `window_accumulator` computes the same integers in one
compiled pass (numba) that follows gensim's rules exactly, quirk included: a window's set of words
is the previous one's with the token that left at the edge taken out and the one that came in
added, so a word that still occurs elsewhere in the window counts as absent until it comes in again.
A text shorter than the window is one window, an empty text one window without words. The result
is a gensim accumulator, so gensim's own confirmation measures score it: `coherence_per_topic` is
``CoherenceModel(...).get_coherence_per_topic()`` with these counts (`analysis.topics.describe.coherence`,
`analysis.topics.evaluation.reference_coherence`); ``tests/test_topic_windows.py`` pins equality with gensim.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import numpy as np
from numba import njit
from scipy import sparse


@njit(cache=True)
def _leave(w: int, k: int, present: np.ndarray, n_present: int, where: np.ndarray, enter: np.ndarray,
           occ: np.ndarray, co: np.ndarray) -> int:
    """Word `w` is absent from window `k` on: add the windows it shared with each present word."""
    occ[w] += k - enter[w]
    for j in range(n_present):
        y = present[j]
        if y != w:
            shared = k - max(enter[w], enter[y])
            if w < y:
                co[w, y] += shared
            else:
                co[y, w] += shared
    last = present[n_present - 1]
    present[where[w]] = last
    where[last] = where[w]
    where[w] = -1
    return n_present - 1


@njit(cache=True)
def _counts(tokens: np.ndarray, starts: np.ndarray, n_words: int, window: int,
            occ: np.ndarray, co: np.ndarray) -> int:
    """Occurrences (`occ`) and co-occurrences (upper triangle of `co`) of words 0..n_words-1 over
    the sliding windows of each text tokens[starts[d]:starts[d+1]] (id n_words: any other word).
    Returns the number of windows."""
    present = np.empty(n_words, dtype=np.int64)  # the words of the current window, unordered
    where = np.full(n_words, -1, dtype=np.int64)  # a word's place in `present`, -1 if absent
    enter = np.zeros(n_words, dtype=np.int64)  # the window from which a present word is present
    n_windows = 0
    for d in range(len(starts) - 1):
        lo, hi = starts[d], starts[d + 1]
        n = hi - lo
        n_present = 0
        first = n if n < window else window
        for t in range(lo, lo + first):
            w = tokens[t]
            if w < n_words and where[w] < 0:
                where[w] = n_present
                present[n_present] = w
                enter[w] = 0
                n_present += 1
        k_end = 1 if n < window else n - window + 1  # windows of this text
        for k in range(1, k_end):
            out, into = tokens[lo + k - 1], tokens[lo + k + window - 1]
            if out < n_words and where[out] >= 0:
                n_present = _leave(out, k, present, n_present, where, enter, occ, co)
            if into < n_words and where[into] < 0:
                where[into] = n_present
                present[n_present] = into
                enter[into] = k
                n_present += 1
        while n_present > 0:
            n_present = _leave(present[n_present - 1], k_end, present, n_present, where, enter, occ, co)
        n_windows += k_end
    return n_windows


def window_counts(texts: Iterable[Sequence[int]], n_words: int, window: int) -> tuple[np.ndarray, np.ndarray, int]:
    """(occurrences (n_words,), co-occurrences (n_words, n_words) symmetric with the occurrences on
    the diagonal, number of windows) of words 0..n_words-1 in the boolean sliding windows of
    `window` tokens over texts of word ids (an id outside 0..n_words-1 is any other word)."""
    if window < 1:
        raise ValueError(f"`window` must be 1 or more; got {window}.")
    arrays = [np.asarray(t, dtype=np.int64) for t in texts]
    tokens = np.concatenate(arrays) if arrays else np.zeros(0, dtype=np.int64)
    tokens = np.where((tokens < 0) | (tokens > n_words), n_words, tokens)
    starts = np.zeros(len(arrays) + 1, dtype=np.int64)
    np.cumsum([len(a) for a in arrays], out=starts[1:])
    occ = np.zeros(n_words, dtype=np.int64)
    co = np.zeros((n_words, n_words), dtype=np.int64)
    n_windows = _counts(tokens, starts, n_words, window, occ, co) if n_words else len(arrays)
    co = co + co.T
    co[np.diag_indices(n_words)] = occ
    return occ, co, int(n_windows)


def window_accumulator(texts: Iterable[Sequence[str]], relevant_ids: set[int], dictionary, window: int):
    """gensim's ``WordOccurrenceAccumulator`` for these word ids, filled as its ``accumulate(texts,
    window)`` fills it (the same counts), for gensim's confirmation measures."""
    from gensim.topic_coherence.text_analysis import WordOccurrenceAccumulator

    acc = WordOccurrenceAccumulator(relevant_ids, dictionary)
    contiguous = {dictionary[i]: n for i, n in acc.id2contiguous.items()}
    other = len(contiguous)
    ids = [np.fromiter((contiguous.get(w, other) for w in text), dtype=np.int64, count=len(text))
           for text in texts]
    occ, co, n_windows = window_counts(ids, other, window)
    acc._occurrences = occ.astype(np.uint32)
    acc._co_occurrences = sparse.csr_matrix(co.astype(np.uint32))
    acc._num_docs = n_windows
    return acc


def coherence_per_topic(topics: Sequence[Sequence[str]], texts: Iterable[Sequence[str]], dictionary, measure: str,
                        topn: int = 10) -> list[float]:
    """gensim's ``CoherenceModel(topics=..., texts=..., dictionary=..., coherence=measure,
    topn=...).get_coherence_per_topic()`` for a sliding-window measure (``c_v``, ``c_npmi``,
    ``c_uci``), its windows counted by `window_accumulator` (`texts` is read once)."""
    from gensim.models.coherencemodel import SLIDING_WINDOW_SIZES, CoherenceModel
    from gensim.topic_coherence.probability_estimation import unique_ids_from_segments

    if measure not in ("c_v", "c_npmi", "c_uci"):
        raise ValueError(f"`measure` must be a sliding-window measure (c_v, c_npmi, c_uci); got {measure!r}.")
    cm = CoherenceModel(topics=[list(t) for t in topics], texts=texts, dictionary=dictionary, coherence=measure,
                        topn=topn, processes=1)
    segmented = cm.measure.seg(cm.topics)
    cm._accumulator = window_accumulator(texts, unique_ids_from_segments(segmented), dictionary,
                                         SLIDING_WINDOW_SIZES[measure])
    return list(cm.get_coherence_per_topic(segmented))
