"""Reading terms in context: KWIC concordance, collocations and lexical dispersion.

The concordance shows the original words: matching runs over the document's sentences as
written, each word normalised the way the tokens were (lemma or written form, stop words
skipped), so "многополярный мир" finds "многополярного мира" and the line shows the latter.
"""

from __future__ import annotations

import logging
from collections import Counter
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np
import pandas as pd

from analysis.errors import ParameterError, UserError, check_choice, check_int
from analysis.preprocess import PreprocessParams, Tokens, process_sentence, tokenize
from analysis.preprocess.patterns import is_glob
from analysis.results import Result, result_params
from analysis.stats import g2_keyness
from analysis.trends.terms import (
    TermPattern,
    _Matcher,
    form_of,
    parse_term,
    spans_any,
    word_view,
)

logger = logging.getLogger(__name__)

UNITS = ("tokens", "chars")
COLLOCATION_COLUMNS = ["collocate", "observed", "expected", "ll", "mi", "t_score", "collocate_freq",
                       "left", "right"]


# --- KWIC ---------------------------------------------------------------------------------

@dataclass
class Concordance(Result):
    """KWIC lines: doc_id, date, sentence (index in the document), left, node, right.

    n_matches : matches found (scanning stops after `limit` + 1, so with `complete` False
        there are more than shown).
    """

    lines: pd.DataFrame
    term: str
    pattern: str
    params: dict[str, Any]
    n_matches: int = 0
    complete: bool = True
    notes: list[str] = field(default_factory=list)

    def format(self, *, width: int | None = None) -> str:
        """The concordance as aligned text lines: `doc_id  date  left | node | right`."""
        if self.lines.empty:
            return f"no match for {self.term!r} (pattern {self.pattern!r})"
        ids = self.lines["doc_id"].astype(str)
        dates = self.lines["date"].fillna("").astype(str)
        w_id, w_date = ids.str.len().max(), max(dates.str.len().max(), 4)
        w_left = width or int(self.lines["left"].str.len().max())
        out = []
        for doc_id, date, left, node, right in zip(ids, dates, self.lines["left"], self.lines["node"],
                                                   self.lines["right"], strict=True):
            left = left[-w_left:] if len(left) > w_left else left
            out.append(f"{doc_id:<{w_id}}  {date:<{w_date}}  {left:>{w_left}} | {node} | {right}")
        shown = len(self.lines)
        more = "" if self.complete else " (more exist)"
        out.append(f"-- {shown} line{'s' if shown != 1 else ''} for {self.term!r}{more}")
        return "\n".join(out)

    def __str__(self) -> str:
        return self.format()

    def tables(self) -> dict[str, pd.DataFrame]:
        return {"kwic": self.lines}


def _word_params(params: PreprocessParams) -> PreprocessParams:
    return replace(params, mwe=False, extra_mwe=(), phrases=False)


def _written_units(pattern: TermPattern, params: PreprocessParams, language: str) -> list[tuple[str, ...]]:
    """Each alternative's word units without the ones preprocessing drops (stop words inside
    a multi-word expression such as commonwealth_of_independent_states)."""
    keep_params = replace(_word_params(params), lemmatize=False)
    out = []
    for words in pattern.units(within_mwe=True):
        units = tuple(w for w in words if is_glob(w) or process_sentence(w, language, keep_params))
        out.append(units or words)
    return out


def _doc_words(sentences: list[str]) -> tuple[str, list[tuple[int, int, int]]]:
    """The document text (sentences joined by spaces) and each written word's
    (start, end, sentence index)."""
    text_parts: list[str] = []
    spans: list[tuple[int, int, int]] = []
    offset = 0
    for k, sent in enumerate(sentences):
        cursor = 0
        for w in tokenize(sent):
            i = sent.find(w, cursor)
            if i < 0:
                continue
            spans.append((offset + i, offset + i + len(w), k))
            cursor = i + len(w)
        text_parts.append(sent)
        offset += len(sent) + 1
    return " ".join(text_parts), spans


def _kwic_rows(doc_id: str, dv: pd.DataFrame, meta: tuple[str, ...], text: str,
               spans: list[tuple[int, int, int]], where: list[int], matches: list[tuple[int, int]],
               width: int, unit: str) -> list[dict[str, Any]]:
    rows = []
    for s, e in matches:
        first, last = where[s], where[e - 1]
        a, b = spans[first][0], spans[last][1]
        if unit == "tokens":
            lo = spans[max(0, first - width)][0] if width else a
            hi = spans[min(len(spans) - 1, last + width)][1] if width else b
            while hi < len(text) and not text[hi].isspace() and not text[hi].isalnum():
                hi += 1  # keep the punctuation that ends the context
            left, right = text[lo:a], text[b:hi]
        else:
            left, right = text[max(0, a - width):a], text[b:b + width]
        row = {"doc_id": doc_id, "date": dv.at[doc_id, "date"] if "date" in dv.columns else None,
               "sentence": spans[first][2], "left": " ".join(left.split()), "node": text[a:b],
               "right": " ".join(right.split())}
        for m in meta:
            row[m] = dv.at[doc_id, m]
        rows.append(row)
    return rows


def kwic(tokens: Tokens, term: str, *, width: int = 8, unit: str = "tokens", limit: int | None = 50,
         meta: tuple[str, ...] = ()) -> Concordance:
    """Keyword in context for a term or phrase (lemma or written form, as the tokens were made).

    Parameters
    ----------
    tokens : the preprocessed corpus (its `params` say how words are normalised).
    term : a word, phrase or glob ("multipolar world", "многополярный мир", "multipolar*").
    width : context on each side, in written words (`unit="tokens"`) or characters ("chars").
    limit : at most this many lines (None: all), in corpus order.
    meta : metadata columns to add to each line (e.g. ("country",)).
    """
    width = check_int("width", width, minimum=0)
    check_choice("unit", unit, UNITS)
    if limit is not None:
        limit = check_int("limit", limit, minimum=1)
    missing = [m for m in meta if m not in tokens.metadata.columns]
    if missing:
        raise ParameterError(f"`meta` columns {', '.join(missing)} are not in the document metadata.")
    params = tokens.params
    pattern = parse_term(term, params)
    wparams = _word_params(params)
    dv = tokens.metadata
    languages = dv["language"] if "language" in dv.columns else pd.Series("en", index=dv.index)
    # a sentence can only match when all units of some alternative occur among its processed
    # words (a cheap check on the tokens before the written words are normalised)
    alternatives = [[_Matcher((u,)) for u in words] for words in pattern.units(within_mwe=True)]
    norm_cache: dict[tuple[str, str], str | None] = {}
    matchers: dict[str, list[_Matcher]] = {}
    rows: list[dict[str, Any]] = []
    complete = True

    def candidate(sentence_tokens: list[str]) -> bool:
        present = set(word_view(sentence_tokens))
        return any(all(any(m.unit_matches(0, w) for w in present) for m in alt) for alt in alternatives)

    for doc in tokens:
        hits = [k for k, sent in enumerate(doc.tokens) if sent and candidate(sent)]
        if not hits:
            continue
        lang = str(languages.get(doc.id, "en"))
        if lang not in matchers:
            matchers[lang] = [_Matcher(u) for u in _written_units(pattern, params, lang)]
        text, spans = _doc_words(doc.sentences)
        by_sentence: dict[int, list[int]] = {}
        for i, (_, _, k) in enumerate(spans):
            by_sentence.setdefault(k, []).append(i)
        for k in hits:
            view: list[str] = []
            where: list[int] = []
            for i in by_sentence.get(k, []):
                a, b, _ = spans[i]
                key = (text[a:b], lang)
                if key not in norm_cache:
                    out = process_sentence(key[0], lang, wparams)
                    norm_cache[key] = "_".join(out) if out else None
                norm = norm_cache[key]
                if norm is None:
                    continue
                for part in norm.split("_"):
                    view.append(part)
                    where.append(i)
            rows.extend(_kwic_rows(doc.id, dv, meta, text, spans, where,
                                   spans_any(matchers[lang], view), width, unit))
        if limit is not None and len(rows) > limit:
            complete = False
            break
    n = len(rows)
    if limit is not None:
        rows = rows[:limit]
    cols = ["doc_id", "date", "sentence", "left", "node", "right", *meta]
    lines = pd.DataFrame(rows, columns=cols)
    if n == 0:
        logger.warning("no match for %r (pattern %r) in %s form", term, pattern.pattern, form_of(params))
    return Concordance(lines, pattern.label, pattern.pattern,
                       result_params(tokens, {"term": pattern.label, "pattern": pattern.pattern, "width": width,
                                              "unit": unit, "limit": limit, "form": form_of(params)}),
                       n, complete)


# --- collocations -------------------------------------------------------------------------

@dataclass
class CollocationResult(Result):
    """Collocates of a node term within a window, with three association scores.

    table : collocate, observed (co-occurrences in the node's windows), expected, ll
        (log-likelihood G², Dunning 1993), mi (pointwise mutual information, Church and Hanks
        1990), t_score (Church et al. 1991), collocate_freq (in the corpus), left / right
        (observed to the left and right of the node); sorted by ll, only collocates that occur
        more often than expected.
    """

    table: pd.DataFrame
    node: str
    pattern: str
    node_freq: int
    window_tokens: int
    corpus_tokens: int
    params: dict[str, Any]
    notes: list[str] = field(default_factory=list)

    def tables(self) -> dict[str, pd.DataFrame]:
        return {"collocations": self.table}


def collocation_scores(observed: np.ndarray, collocate_freq: np.ndarray, window_tokens: float,
                       corpus_tokens: float) -> dict[str, np.ndarray]:
    """Expected count, G², MI and t-score of collocates (Evert 2008, "Corpora and collocations").

    observed : co-occurrences of each collocate in the node's windows (O11);
    collocate_freq : the collocate's corpus frequency (C1); window_tokens : tokens in all the
    node's windows (R1); corpus_tokens : N. Expected E11 = R1 * C1 / N; G² compares the
    collocate's rate inside the windows with its rate outside them.
    """
    o = np.asarray(observed, dtype=float)
    c = np.asarray(collocate_freq, dtype=float)
    e = window_tokens * c / corpus_tokens
    g2, _ = g2_keyness(o, c - o, window_tokens, corpus_tokens - window_tokens)
    with np.errstate(divide="ignore", invalid="ignore"):
        mi = np.log2(o / e)
        t = (o - e) / np.sqrt(o)
    return {"expected": e, "ll": g2, "mi": mi, "t_score": t}


def collocations(tokens: Tokens, node: str, *, window: int = 5, min_count: int = 3,
                 within_mwe: bool = True) -> CollocationResult:
    """Collocates of `node` within `window` processed tokens on each side, inside a sentence.

    The window counts processed tokens (stop words are already removed; a multi-word token is
    one token). A single-word node also matches inside multi-word tokens when `within_mwe`.
    Collocates need `min_count` co-occurrences. Overlapping windows of nearby node occurrences
    count a token once per node occurrence.
    """
    window = check_int("window", window, minimum=1)
    min_count = check_int("min_count", min_count, minimum=1)
    pattern = parse_term(node, tokens.params)
    matchers = [_Matcher(u) for u in pattern.units(within_mwe=False)]
    corpus_freq: Counter = Counter()
    left: Counter = Counter()
    right: Counter = Counter()
    n_tokens = 0
    node_freq = 0
    window_tokens = 0
    for doc in tokens:
        for sent in doc.tokens:
            corpus_freq.update(sent)
            n_tokens += len(sent)
            hits = set(spans_any(matchers, sent))
            if within_mwe:  # a one-word node inside a multi-word token: the token is the node
                hits |= {(i, i + 1) for i, t in enumerate(sent) if "_" in t
                         for m in matchers if m.k == 1
                         if any(m.unit_matches(0, part) for part in t.split("_"))}
            for s, e in sorted(hits):
                node_freq += 1
                lo, hi = max(0, s - window), min(len(sent), e + window)
                left.update(sent[lo:s])
                right.update(sent[e:hi])
                window_tokens += (s - lo) + (hi - e)
    notes = []
    if node_freq == 0:
        raise UserError(f"the node {node!r} (pattern {pattern.pattern!r}, {form_of(tokens.params)} form) "
                        "never occurs in the corpus; check the spelling or try a glob such as 'multipolar*'.")
    observed = left + right
    terms = sorted(t for t, n in observed.items() if n >= min_count)
    o = np.array([observed[t] for t in terms], dtype=float)
    c = np.array([corpus_freq[t] for t in terms], dtype=float)
    scores = collocation_scores(o, c, window_tokens, n_tokens)
    table = pd.DataFrame({"collocate": terms, "observed": o.astype(int), **scores,
                          "collocate_freq": c.astype(int), "left": [left[t] for t in terms],
                          "right": [right[t] for t in terms]})
    table = table[table["observed"] > table["expected"]]
    table = table.sort_values(["ll", "collocate"], ascending=[False, True], kind="mergesort")
    table = table.reset_index(drop=True)[COLLOCATION_COLUMNS]
    if table.empty:
        notes.append(f"no collocate of {node!r} reaches {min_count} co-occurrences above chance.")
    return CollocationResult(table, pattern.label, pattern.pattern, node_freq, window_tokens, n_tokens,
                             result_params(tokens, {"node": pattern.label, "pattern": pattern.pattern,
                                                    "window": window, "min_count": min_count,
                                                    "within_mwe": within_mwe, "form": form_of(tokens.params)}),
                             notes)


# --- lexical dispersion -------------------------------------------------------------------

@dataclass
class Dispersion(Result):
    """Where terms occur along the corpus in date order.

    positions : term, doc_id, date, offset (token position counted over the whole corpus in
        date order), year (written as dispersion.csv).
    documents : doc_id, date, year, start (offset of the document's first token), n_tokens
        (written as dispersion_documents.csv).
    """

    positions: pd.DataFrame
    documents: pd.DataFrame
    params: dict[str, Any]
    notes: list[str] = field(default_factory=list)

    def tables(self) -> dict[str, pd.DataFrame]:
        return {"dispersion": self.positions, "dispersion_documents": self.documents}


def term_dispersion(tokens: Tokens, terms: str | list[str], *, within_mwe: bool = True) -> Dispersion:
    """Token offsets of each term's occurrences, the corpus ordered by date (undated last)."""
    from analysis.trends.terms import parse_terms

    patterns = parse_terms(terms, tokens.params)
    matchers = [[_Matcher(u) for u in p.units(within_mwe)] for p in patterns]
    dv = tokens.metadata
    dates = dv["date"].map(lambda d: d if isinstance(d, str) else "9999")
    order = list(dates.sort_values(kind="mergesort").index)
    rows = []
    docs = []
    offset = 0
    for doc_id in order:
        doc = tokens.get(doc_id)
        date = dv.at[doc_id, "date"] if isinstance(dv.at[doc_id, "date"], str) else None
        year = int(date[:4]) if date else None
        docs.append({"doc_id": doc_id, "date": date, "year": year, "start": offset, "n_tokens": doc.n_tokens})
        pos = offset
        for sent in doc.tokens:
            units = word_view(sent) if within_mwe else sent
            # map word-view positions back to token positions
            if within_mwe and units is not sent:
                owner = [k for k, t in enumerate(sent) for _ in [p for p in t.split("_") if p]]
            else:
                owner = list(range(len(sent)))
            for p, ms in zip(patterns, matchers, strict=True):
                for s, _ in spans_any(ms, units):
                    rows.append({"term": p.label, "doc_id": doc_id, "date": date, "year": year,
                                 "offset": pos + owner[s]})
            pos += len(sent)
        offset = pos
    positions = pd.DataFrame(rows, columns=["term", "doc_id", "date", "year", "offset"])
    positions["term"] = pd.Categorical(positions["term"], categories=[p.label for p in patterns])
    positions = positions.sort_values(["term", "offset"], kind="mergesort").reset_index(drop=True)
    positions["term"] = positions["term"].astype(str)
    params = result_params(tokens, {"terms": [p.label for p in patterns], "within_mwe": within_mwe,
                                    "form": form_of(tokens.params)})
    return Dispersion(positions, pd.DataFrame(docs), params)
