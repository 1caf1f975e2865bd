"""Terms as the user writes them, normalised through the preprocessing pipeline, and counted
per document in one streamed pass over `Tokens`.

A term is written in the toolkit's one pattern syntax (`analysis.preprocess.patterns`): text
("multipolar world", "terrorism", "многополярный мир"), a prefix or glob ("multipolar*"),
`=word` for a word as written, `a|b` for alternatives. Its plain words go through
`process_sentence` with the same `PreprocessParams` that made the tokens, so "multipolar world"
becomes `multipolar_world` and inflected Russian matches its lemma. A prefix or glob is matched
as written against the processed units (it is not lemmatised: `multipolar*` matches multipolar,
multipolarity and the `multipolar` in `multipolar_world`); so is `=word`, lower-cased.

Matching happens on one of two views of a sentence's processed tokens:

- the *word* view (``within_mwe=True``, the default): tokens joined into multi-word expressions
  are split back at ``_``, so "terrorism" also counts the `terrorism` inside
  `international_terrorism` and "multipolar world" counts `multipolar_world`;
- the *token* view (``within_mwe=False``): whole tokens only, so "terrorism" does not count
  `international_terrorism`.

A multi-word term matches a contiguous run of units (stop words are already gone from both
the term and the text, so "threat of terrorism" matches "threat ... terrorism" with only stop
words between).
"""

from __future__ import annotations

import logging
import re
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from itertools import chain
from typing import Any

import numpy as np
import pandas as pd
from scipy import sparse

from analysis.errors import ParameterError
from analysis.preprocess import PreprocessParams, Tokens, process_sentence
from analysis.preprocess.dtm import DTMStack, dtm_from_counts
from analysis.preprocess.engine import Failure, engine_for, per_document
from analysis.preprocess.patterns import EXACT, PLAIN, glob_regex, is_glob, parse_words
from analysis.preprocess.text import tokenize
from analysis.results import cached, corpus_identity

logger = logging.getLogger(__name__)

FORMS = ("lemma", "written")
_CYRILLIC = re.compile(r"[\u0400-\u04FF]")

Progress = Callable[[int, int], None]
PER = 10_000  # rates are per this many tokens


def params_for_form(form: str, base: PreprocessParams | None = None) -> PreprocessParams:
    """Preprocessing parameters for counting lemmas (`form="lemma"`) or words as written
    (`form="written"`: `lemmatize=False`, everything else as in `base`)."""
    if form not in FORMS:
        raise ParameterError(f"`form` must be one of {', '.join(map(repr, FORMS))}; got {form!r}.")
    base = base or PreprocessParams()
    from dataclasses import replace

    return replace(base, lemmatize=(form == "lemma"))


def form_of(params: PreprocessParams) -> str:
    """'lemma' or 'written': how tokens made with `params` represent words."""
    return "lemma" if params.lemmatize else "written"


def term_language(text: str) -> str:
    """'ru' when the term has Cyrillic letters, else 'en' (the languages the toolkit reads)."""
    return "ru" if _CYRILLIC.search(text) else "en"


@dataclass(frozen=True)
class TermPattern:
    """One term: the text the user gave and the units it matches.

    label : the text as given (spaces normalised), used as the `term` in result tables.
    alternatives : for each alternative (written `a|b`, e.g. "multipolar world|многополярный
        мир"), the units to match in the token view and in the word view, e.g.
        (('multipolar_world',), ('multipolar', 'world')). Counts of alternatives are summed.
    glob : True when some unit is a glob pattern.
    """

    label: str
    alternatives: tuple[tuple[tuple[str, ...], tuple[str, ...]], ...]
    glob: bool = False

    @property
    def tokens(self) -> tuple[str, ...]:
        """Token-view units of the first alternative."""
        return self.alternatives[0][0]

    @property
    def words(self) -> tuple[str, ...]:
        """Word-view units of the first alternative."""
        return self.alternatives[0][1]

    @property
    def pattern(self) -> str:
        """The normalised form, e.g. 'multipolar_world' or 'multipolar*' ('a | b' for alternatives)."""
        return " | ".join(" ".join(tokens) for tokens, _ in self.alternatives)

    def units(self, within_mwe: bool) -> list[tuple[str, ...]]:
        """The units of each alternative in the word view (within_mwe) or the token view."""
        return [words if within_mwe else tokens for tokens, words in self.alternatives]


def _parse_alternative(text: str, label: str, params: PreprocessParams) -> tuple[tuple[str, ...], bool]:
    language = term_language(text)
    words = parse_words(text)
    if any(w.kind != PLAIN for w in words):  # word by word: a prefix, glob or =word is not processed
        units: list[str] = []
        for w in words:
            if w.kind == PLAIN:
                units.extend(process_sentence(w.value, language, params))
            elif w.kind == EXACT:
                units.extend(t.lower() if params.lowercase else t for t in tokenize(w.value))
            else:
                units.append(w.written.lower() if params.lowercase else w.written)
        glob = any(is_glob(u) for u in units)
    else:
        units = process_sentence(text, language, params)
        glob = False
    if not units or all(u.strip("*?") == "" for u in units):
        what = f"term {label!r}" if text == label else f"alternative {text!r} of term {label!r}"
        raise ParameterError(
            f"{what} is empty after preprocessing (stop words, numbers and words shorter "
            f"than {params.min_length} characters are removed); choose a content word or phrase.")
    return tuple(units), glob


def parse_term(text: str, params: PreprocessParams) -> TermPattern:
    """Normalise one term through `process_sentence` (see the module docstring).

    `a|b` gives alternatives whose counts are summed (e.g. an English and a Russian form).
    Raises ParameterError when nothing is left (a stop word, a number, a one-letter word).
    """
    if not isinstance(text, str) or not text.strip():
        raise ParameterError(f"a term must be non-empty text; got {text!r}.")
    label = " ".join(text.split())
    alts = []
    any_glob = False
    for alt in label.split("|"):
        alt = alt.strip()
        if not alt:
            raise ParameterError(f"term {label!r} has an empty alternative around '|'.")
        tokens, glob = _parse_alternative(alt, label, params)
        any_glob |= glob
        words = tuple(p for u in tokens for p in u.split("_") if p)
        if (tokens, words) not in alts:
            alts.append((tokens, words))
    return TermPattern(label.replace(" | ", "|"), tuple(alts), any_glob)


def parse_terms(terms: str | Sequence[str], params: PreprocessParams) -> list[TermPattern]:
    """Terms from a list or a comma-separated string; duplicates (same label) are dropped."""
    if isinstance(terms, str):
        terms = [t for t in terms.split(",")]
    items = [t for t in terms if isinstance(t, str) and t.strip()]
    if not items:
        raise ParameterError("`terms` is empty; give one or more terms, e.g. \"multipolar world,terrorism\".")
    out: dict[str, TermPattern] = {}
    for t in items:
        p = parse_term(t, params)
        out.setdefault(p.label, p)
    return list(out.values())


# --- matching ----------------------------------------------------------------------------

class _Matcher:
    """Counts one pattern's occurrences in a sequence of units; caches glob decisions."""

    def __init__(self, units: tuple[str, ...]) -> None:
        self.units = units
        self.k = len(units)
        self.is_glob = tuple(is_glob(u) for u in units)
        self._regex = tuple(glob_regex(u) if g else None for u, g in zip(units, self.is_glob, strict=True))
        self._cache: tuple[dict[str, bool], ...] = tuple({} for _ in units)

    def unit_matches(self, i: int, unit: str) -> bool:
        if not self.is_glob[i]:
            return unit == self.units[i]
        cache = self._cache[i]
        hit = cache.get(unit)
        if hit is None:
            hit = cache[unit] = self._regex[i].match(unit) is not None
        return hit

    def first_in(self, counter: Counter) -> int:
        """Occurrences of the first unit in a document's unit counts (a cheap filter)."""
        if not self.is_glob[0]:
            return counter.get(self.units[0], 0)
        cache, regex = self._cache[0], self._regex[0]
        total = 0
        for u, n in counter.items():
            hit = cache.get(u)
            if hit is None:
                hit = cache[u] = regex.match(u) is not None
            if hit:
                total += n
        return total

    def count(self, units: Sequence[str], counter: Counter) -> int:
        """Occurrences in a document's units (`flat_units`) whose counts are `counter`."""
        first = self.first_in(counter)
        if self.k == 1 or first == 0:
            return first
        return len(self.spans(units))

    def _starts(self, units: Sequence[str]) -> list[int]:
        if self.is_glob[0]:
            return [i for i, u in enumerate(units) if self.unit_matches(0, u)]
        first = self.units[0]
        out: list[int] = []
        i = -1
        index = units.index
        while True:
            try:
                i = index(first, i + 1)
            except ValueError:
                return out
            out.append(i)

    def spans(self, units: Sequence[str]) -> list[tuple[int, int]]:
        """(start, end) index pairs of matches in one unit sequence."""
        k = self.k
        last = len(units) - k
        return [(i, i + k) for i in self._starts(units)
                if i <= last and all(self.unit_matches(j, units[i + j]) for j in range(1, k))]


def spans_any(matchers: Sequence[_Matcher], units: Sequence[str]) -> list[tuple[int, int]]:
    """Matches of any of several alternatives in one unit sequence, sorted, duplicates merged."""
    if len(matchers) == 1:
        return matchers[0].spans(units)
    return sorted({span for m in matchers for span in m.spans(units)})


def word_view(tokens: list[str]) -> list[str]:
    """Processed tokens with multi-word expressions split back into words."""
    joined = " ".join(tokens)
    if "_" not in joined:
        return tokens
    return joined.replace("_", " ").split()


SENTENCE_BREAK = "\x00"  # between sentences in a flattened document; matches no unit


def flat_units(sentences: list[list[str]], within_mwe: bool) -> list[str]:
    """A document's units in one list, sentences separated by `SENTENCE_BREAK` (so a phrase
    never matches across a sentence boundary), in the word view when `within_mwe`."""
    text = f" {SENTENCE_BREAK} ".join(" ".join(s) for s in sentences)
    if within_mwe:
        text = text.replace("_", " ")
    return text.split()


# --- counting ----------------------------------------------------------------------------

@dataclass
class TermCounts:
    """Per-document counts of terms: a sparse (n_docs, n_terms) matrix aligned with `metadata`.

    metadata : the tokens' document metadata (index: document id) with `n_tokens`.
    terms : the term labels (matrix columns).
    matrix : scipy CSR matrix of int64 counts.
    patterns : the normalised pattern of each term (same order as `terms`).
    params : how the counts were made (form, within_mwe, preprocessing).
    """

    metadata: pd.DataFrame
    terms: list[str]
    matrix: sparse.csr_matrix
    patterns: list[str] = field(default_factory=list)
    params: dict[str, Any] = field(default_factory=dict)

    @property
    def n_tokens(self) -> np.ndarray:
        return self.metadata["n_tokens"].to_numpy(dtype=float)

    def totals(self) -> pd.Series:
        """Each term's count over the corpus."""
        return pd.Series(np.asarray(self.matrix.sum(axis=0)).ravel(), index=self.terms, name="count")

    def doc_freq(self) -> pd.Series:
        """Number of documents each term occurs in."""
        return pd.Series(np.asarray((self.matrix > 0).sum(axis=0)).ravel(), index=self.terms,
                         name="n_docs")

    def column(self, term: str) -> np.ndarray:
        return self.matrix[:, self.terms.index(term)].toarray().ravel()

    def select(self, terms: Sequence[str]) -> TermCounts:
        """The counts of some terms only."""
        idx = [self.terms.index(t) for t in terms]
        return TermCounts(self.metadata, [self.terms[i] for i in idx], self.matrix[:, idx].tocsr(),
                          [self.patterns[i] for i in idx] if self.patterns else [], dict(self.params))

    def subset(self, mask: np.ndarray | pd.Series) -> TermCounts:
        """The rows (documents) where `mask` is true."""
        m = np.asarray(mask, dtype=bool)
        return TermCounts(self.metadata[m], list(self.terms), self.matrix[m].tocsr(),
                          list(self.patterns), dict(self.params))


def count_terms(tokens: Tokens, terms: str | Sequence[str] | Sequence[TermPattern], *,
                within_mwe: bool = True, progress: Progress | None = None, cache: bool = True,
                scheduler: Any = None, batch_size: int = 256) -> TermCounts:
    """Count each term in each document, streaming over `tokens` one document at a time.

    Parameters
    ----------
    tokens : the preprocessed corpus; its `params` normalise the terms.
    terms : term texts (a list or a comma-separated string) or parsed `TermPattern`s.
    within_mwe : match words inside multi-word tokens (see the module docstring).
    progress : called with (documents done, documents in all).
    cache : store the counts beside the tokens' cache and reuse them for the same tokens and
        terms (tokens held in memory are never stored).
    scheduler : where the partitions of `batch_size` documents are counted
        (`analysis.preprocess.engine`): in process by default, or on a Dask cluster; the same counts.
    """
    if isinstance(terms, str) or (terms and not isinstance(next(iter(terms)), TermPattern)):
        patterns = parse_terms(terms, tokens.params)
    else:
        patterns = list(terms)
        if not patterns:
            raise ParameterError("`terms` is empty; give one or more terms.")
    failures: list[Failure] = []

    def compute() -> sparse.csr_matrix:
        matrix, failed = _count_patterns(tokens, patterns, within_mwe, progress, scheduler, batch_size)
        failures.extend(failed)
        return matrix

    record = {"tokens": tokens.fingerprint, "within_mwe": within_mwe,
              "terms": [[p.label, p.pattern, p.units(within_mwe)] for p in patterns]}
    matrix = cached(tokens.results if cache else None, "term-counts", record, compute,
                    complete=lambda: not failures)
    params = {"corpus": corpus_identity(tokens), "form": form_of(tokens.params), "within_mwe": within_mwe,
              "vocabulary": False, "terms": [p.label for p in patterns]}
    return TermCounts(_kept_metadata(tokens, failures, params), [p.label for p in patterns], matrix,
                      [p.pattern for p in patterns], params)


def _kept_metadata(tokens: Tokens, failures: list[Failure], params: dict[str, Any]) -> pd.DataFrame:
    """The documents whose counting worked; those that raised are logged and listed in
    `params["skipped"]` (left out, like documents whose preprocessing raised)."""
    if not failures:
        return tokens.metadata
    for f in failures:
        logger.warning("counting: skipped document %s (%s)", f.doc_id, f.reason)
    params["skipped"] = [{"doc_id": f.doc_id, "reason": f.reason} for f in failures]
    failed = {f.doc_id for f in failures}
    return tokens.metadata[[i not in failed for i in tokens.metadata.index]]


def _count_patterns(tokens: Tokens, patterns: Sequence[TermPattern], within_mwe: bool,
                    progress: Progress | None, scheduler: Any = None,
                    batch_size: int = 256) -> tuple[sparse.csr_matrix, list[Failure]]:
    """`count_terms`' work: the (documents, patterns) count matrix, partition by partition, of the
    documents whose counting worked, and the documents that raised."""
    parts = tokens.partitions(batch_size)
    engine = engine_for(scheduler)
    stack = DTMStack()
    failures: list[Failure] = []
    for batch, failed in engine.map(_count_partition, parts, (tokens.phraser, list(patterns), within_mwe),
                                    sizes=parts.sizes, progress=progress):
        stack.add(batch)
        failures.extend(failed)
    if progress and not parts:
        progress(0, 0)
    return stack.matrix(len(patterns), np.int64), failures


def _count_partition(shard: Tokens, shared: tuple) -> tuple[sparse.csr_matrix, list[Failure]]:
    """One partition's term counts (its `Tokens.shard`; shared: the learned phrases, the patterns,
    the view): the (documents whose counting worked, patterns) matrix, and the documents whose
    counting raised (left out)."""
    phraser, patterns, within_mwe = shared
    tokens, ids = shard.with_phraser(phraser), shard.ids
    matchers = [[_Matcher(u) for u in p.units(within_mwe)] for p in patterns]

    def step(doc_ids: list[str]) -> list[list[tuple[int, int]]]:
        out = []
        for doc_id in doc_ids:
            units = flat_units(tokens.get(doc_id).tokens, within_mwe)
            counter = Counter(units)
            found = []
            for j, ms in enumerate(matchers):
                n = sum(m.count(units, counter) for m in ms)
                if n:
                    found.append((j, n))
            out.append(found)
        return out

    counted, failures = per_document(step, ids, ids)
    return dtm_from_counts(counted, len(patterns), np.int64), failures


def count_vocabulary(tokens: Tokens, *, min_count: int = 1, min_docs: int = 1,
                     progress: Progress | None = None, cache: bool = True, scheduler: Any = None,
                     batch_size: int = 256) -> TermCounts:
    """A document-term matrix of every processed token (token view), streamed.

    Terms with fewer than `min_count` occurrences or found in fewer than `min_docs`
    documents are dropped; columns are sorted by descending frequency, then alphabetically.
    With `cache`, the unfiltered matrix is stored beside the tokens' cache, so every later call
    on the same tokens (any `min_count`, `min_docs`) only filters it. `scheduler` is where the
    partitions are counted (see `count_terms`); the matrix is the same.
    """
    failures: list[Failure] = []

    def compute() -> tuple[sparse.csr_matrix, np.ndarray]:
        matrix, names, failed = _vocabulary_matrix(tokens, progress, scheduler, batch_size)
        failures.extend(failed)
        return matrix, names

    matrix, names = cached(tokens.results if cache else None, "vocabulary-counts", {"tokens": tokens.fingerprint},
                           compute, complete=lambda: not failures)
    totals = np.asarray(matrix.sum(axis=0)).ravel()
    dfreq = np.diff(matrix.tocsc().indptr)
    keep = np.flatnonzero((totals >= min_count) & (dfreq >= min_docs))
    order = keep[np.lexsort((names[keep].astype(str), -totals[keep]))]
    matrix = matrix[:, order].tocsr()
    terms = [str(t) for t in names[order]]
    logger.info("vocabulary: %d terms kept of %d (min_count=%d, min_docs=%d)", len(terms), len(names),
                min_count, min_docs)
    params = {"corpus": corpus_identity(tokens), "form": form_of(tokens.params), "within_mwe": False,
              "vocabulary": True,
              "min_count": min_count, "min_docs": min_docs}
    return TermCounts(_kept_metadata(tokens, failures, params), terms, matrix, list(terms), params)


def _vocabulary_matrix(tokens: Tokens, progress: Progress | None, scheduler: Any = None,
                       batch_size: int = 256) -> tuple[sparse.csr_matrix, np.ndarray, list[Failure]]:
    """`count_vocabulary`'s work: the unfiltered (documents, terms) matrix of the documents whose
    counting worked and the term names (columns in order of first occurrence), merged from the
    partitions' own vocabularies; and the documents that raised."""
    parts = tokens.partitions(batch_size)
    engine = engine_for(scheduler)
    vocab: dict[str, int] = {}
    stack = DTMStack()
    failures: list[Failure] = []
    for names, batch, failed in engine.map(_vocabulary_partition, parts, tokens.phraser,
                                           sizes=parts.sizes, progress=progress):
        stack.add(batch, columns=np.fromiter((vocab.setdefault(t, len(vocab)) for t in names),
                                             dtype=np.int64, count=len(names)))
        failures.extend(failed)
    if progress and not parts:
        progress(0, 0)
    return stack.matrix(len(vocab), np.int64), np.array(list(vocab), dtype=object), failures


def _vocabulary_partition(shard: Tokens, phraser: Any) -> tuple[list[str], sparse.csr_matrix, list[Failure]]:
    """One partition's document-term counts in its own vocabulary (terms in order of first
    occurrence; shared: the learned phrases): the terms and the (documents whose counting worked,
    terms) matrix, and the documents that raised (left out)."""
    tokens, ids = shard.with_phraser(phraser), shard.ids
    counters, failures = per_document(
        lambda doc_ids: [Counter(chain.from_iterable(tokens.get(d).tokens)) for d in doc_ids], ids, ids)
    vocab: dict[str, int] = {}
    rows = []
    for counter in counters:
        row = {}
        for term, n in counter.items():
            j = vocab.get(term)
            if j is None:
                j = vocab[term] = len(vocab)
            row[j] = n
        rows.append(row)
    return list(vocab), dtm_from_counts(rows, len(vocab), np.int64), failures
