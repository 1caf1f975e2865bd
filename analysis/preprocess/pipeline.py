"""The per-document preprocessing step: a pure function from documents to processed documents."""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from functools import lru_cache

import simplemma

from analysis.corpus import Document
from analysis.errors import check_choice
from analysis.preprocess.lexicon import data_hash, default_mwe, stopwords
from analysis.preprocess.text import split_sentences, tokenize

# Bump when the output of `preprocess_batch` changes for the same input and parameters.
PIPELINE_VERSION = "2"
NUMBER_HANDLING = ("drop", "keep", "replace")
NUMBER_TOKEN = "<num>"


@dataclass(frozen=True)
class PreprocessParams:
    """Every preprocessing choice, recorded with the output and used as the cache key.

    Parameters
    ----------
    lowercase : lower-case tokens (acronyms are always kept whole).
    lemmatize : replace words by their lemma (simplemma, English and Russian).
    remove_stopwords : drop the shipped stop words and `extra_stopwords`.
    min_length : drop tokens shorter than this many characters.
    numbers : 'drop' tokens with digits, 'keep' them, or 'replace' them by `<num>`.
    mwe : join protected multi-word expressions (`analysis/data/mwe.yml`, plus `extra_mwe`)
        into one token such as `multipolar_world`.
    phrases : learn frequent phrases from the corpus with gensim `Phrases` (corpus-level).
    """

    lowercase: bool = True
    lemmatize: bool = True
    remove_stopwords: bool = True
    extra_stopwords: tuple[str, ...] = ()
    min_length: int = 2
    numbers: str = "drop"
    mwe: bool = True
    extra_mwe: tuple[str, ...] = ()
    phrases: bool = False
    phrases_min_count: int = 20
    phrases_threshold: float = 10.0

    def __post_init__(self) -> None:
        check_choice("numbers", self.numbers, NUMBER_HANDLING)
        object.__setattr__(self, "extra_stopwords", tuple(self.extra_stopwords))
        object.__setattr__(self, "extra_mwe", tuple(self.extra_mwe))

    def to_dict(self) -> dict:
        return asdict(self)

    def doc_key(self) -> str:
        """Hash of everything that shapes one document's output (phrases are corpus-level)."""
        record = {k: v for k, v in self.to_dict().items() if not k.startswith("phrases")}
        record["version"] = PIPELINE_VERSION
        record["data"] = data_hash("stopwords_en.txt", "stopwords_ru.txt", "mwe.yml")
        return hashlib.sha1(json.dumps(record, sort_keys=True).encode()).hexdigest()[:16]


@dataclass(frozen=True)
class ProcessedDoc:
    """A document's sentences as written and, for each, its processed tokens.

    `n_words` counts the running words before any filtering (the denominator for rates).
    """

    id: str
    sentences: list[str]
    tokens: list[list[str]] = field(repr=False)
    n_words: int = 0

    @property
    def n_tokens(self) -> int:
        return sum(len(t) for t in self.tokens)

    def flat(self) -> list[str]:
        """All tokens of the document in order."""
        return [t for sent in self.tokens for t in sent]


@lru_cache(maxsize=500_000)
def lemma(word: str, language: str) -> str:
    """Lemma of one lower-cased word (simplemma; the word itself when unknown)."""
    return simplemma.lemmatize(word, lang=language)


def _normalise(token: str, language: str, params: PreprocessParams) -> str:
    if _is_acronym(token):  # CSTO, ОДКБ, U.S.
        token = token.replace(".", "")
        return token.lower() if params.lowercase else token
    if params.lemmatize:
        base = lemma(token.lower(), language)
        return base.lower() if params.lowercase else base
    return token.lower() if params.lowercase else token


@lru_cache(maxsize=64)
def _mwe_index(language: str, lemmatize: bool, extra: tuple[str, ...]) -> dict[str, list[tuple[tuple[str, ...], str]]]:
    """First word -> [(word sequence, joined token)], longest first."""
    entries = list(default_mwe(language))
    entries += [(e.strip().lower().replace(" ", "_"), (e,)) for e in extra]
    params = PreprocessParams(lemmatize=lemmatize, mwe=False)
    index: dict[str, list[tuple[tuple[str, ...], str]]] = {}
    for canonical, variants in entries:
        for variant in variants:
            seq = tuple(_normalise(w, language, params) for w in tokenize(variant))
            if len(seq) > 1:
                index.setdefault(seq[0], []).append((seq, canonical.lower()))
    for first in index:
        index[first].sort(key=lambda e: -len(e[0]))
    return index


@lru_cache(maxsize=64)
def _stops(language: str, extra: tuple[str, ...]) -> frozenset[str]:
    return stopwords(language) | {w.lower() for w in extra}


def _join_mwe(words: Sequence[str], outputs: Sequence[str | None], index: dict) -> list[str | None]:
    """`outputs` with each protected multi-word expression of `words` (normalised forms) joined
    into its one token (always kept), left to right, the longest expression at a position first;
    the other positions keep their own output. Only positions whose word begins some expression
    are tried."""
    out: list[str | None] = []
    done = 0  # outputs[:done] are settled
    for i in [j for j, w in enumerate(words) if w in index]:
        if i < done:  # inside an expression already joined
            continue
        for seq, joined in index[words[i]]:
            if tuple(words[i : i + len(seq)]) == seq:
                out.extend(outputs[done:i])
                out.append(joined)
                done = i + len(seq)
                break
    out.extend(outputs[done:])
    return out


def _is_acronym(token: str) -> bool:
    return len(token) > 1 and token.isupper()


_DIGIT = re.compile(r"\d")


def _has_digit(word: str) -> bool:
    return _DIGIT.search(word) is not None


class _Forms(dict):
    """Raw token -> its output outside a multi-word expression under one language and parameter
    set (the normalised form, `NUMBER_TOKEN`, or None when dropped), decided once per distinct
    word form (running text is mostly a few thousand forms) and then one dict lookup a token.

    `norm` holds each seen form's normalised word and `mwe_forms` the forms whose normalised
    word can begin a protected multi-word expression, so a sentence without one skips joining.
    Acronyms (CSTO, US, ОДКБ) are never lemmatized nor taken for stop words.
    """

    MAX_FORMS = 2_000_000  # forgotten (and recomputed on sight) beyond this many distinct forms

    def __init__(self, language: str, params: PreprocessParams) -> None:
        super().__init__()
        self.language = language
        self.params = params
        self.stops = _stops(language, params.extra_stopwords) if params.remove_stopwords else frozenset()
        self.mwe = _mwe_index(language, params.lemmatize, params.extra_mwe) if params.mwe else {}
        self.norm: dict[str, str] = {}
        self.mwe_forms: set[str] = set()

    def __missing__(self, token: str) -> str | None:
        params = self.params
        word = _normalise(token, self.language, params)
        if _is_acronym(token):
            out: str | None = word
        elif _has_digit(word):
            out = word if params.numbers == "keep" else NUMBER_TOKEN if params.numbers == "replace" else None
        elif len(word) >= params.min_length and word not in self.stops:
            out = word
        else:
            out = None
        if len(self) >= self.MAX_FORMS:
            self.clear()
            self.norm.clear()
            self.mwe_forms.clear()
        self[token] = out
        self.norm[token] = word
        if word in self.mwe:
            self.mwe_forms.add(token)
        return out

    def process(self, words: Sequence[str]) -> list[str]:
        """Tokens kept from one sentence's word tokens (as `tokenize` gives them)."""
        outputs = list(map(self.__getitem__, words))
        if self.mwe_forms and not self.mwe_forms.isdisjoint(words):
            norm = self.norm
            outputs = _join_mwe([norm[w] for w in words], outputs, self.mwe)
        return [w for w in outputs if w is not None]


@lru_cache(maxsize=64)
def _forms(language: str, params: PreprocessParams) -> _Forms:
    return _Forms(language, params)


def process_sentence(sentence: str, language: str, params: PreprocessParams) -> list[str]:
    """Tokens of one sentence under `params` (the core of `preprocess_batch`).

    Acronyms (CSTO, US, ОДКБ) are never lemmatized nor taken for stop words.
    """
    return _forms(language, params).process(tokenize(sentence))


def preprocess_batch(documents: Sequence[Document], params: PreprocessParams) -> list[ProcessedDoc]:
    """Split, tokenize, lemmatize and filter a batch of documents. Pure: no I/O, no shared state."""
    out = []
    for doc in documents:
        forms = _forms(doc.language, params)
        sentences = split_sentences(doc.text)
        words = [tokenize(s) for s in sentences]  # one tokenizing pass: kept tokens and running words
        tokens = [forms.process(w) for w in words]
        out.append(ProcessedDoc(doc.id, sentences, tokens, sum(map(len, words))))
    return out
