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


def _join_mwe(words: list[str], keep: list[bool], index: dict) -> tuple[list[str], list[bool]]:
    out: list[str] = []
    out_keep: list[bool] = []
    i = 0
    n = len(words)
    while i < n:
        for seq, joined in index.get(words[i], ()):
            if tuple(words[i : i + len(seq)]) == seq:
                out.append(joined)
                out_keep.append(True)
                i += len(seq)
                break
        else:
            out.append(words[i])
            out_keep.append(keep[i])
            i += 1
    return out, out_keep


def _is_acronym(token: str) -> bool:
    return len(token) > 1 and token.isupper()


@lru_cache(maxsize=1_000_000)
def _token_info(token: str, language: str, params: PreprocessParams) -> tuple[str, bool, bool]:
    """(normalised form, is an acronym, has a digit) of one raw token, cached."""
    return _normalise(token, language, params), _is_acronym(token), any(c.isdigit() for c in token)


def process_sentence(sentence: str, language: str, params: PreprocessParams) -> list[str]:
    """Tokens of one sentence under `params` (the core of `preprocess_batch`).

    Acronyms (CSTO, US, ОДКБ) are never lemmatized nor taken for stop words.
    """
    info = [_token_info(t, language, params) for t in tokenize(sentence)]
    words = [i[0] for i in info]
    keep = [i[1] for i in info]
    if params.mwe:
        words, keep = _join_mwe(words, keep, _mwe_index(language, params.lemmatize, params.extra_mwe))
    stops = _stops(language, params.extra_stopwords) if params.remove_stopwords else frozenset()
    min_length = params.min_length
    numbers = params.numbers
    out = []
    for w, protected in zip(words, keep, strict=True):
        if protected:
            out.append(w)
        elif _has_digit(w):
            if numbers == "keep":
                out.append(w)
            elif numbers == "replace":
                out.append(NUMBER_TOKEN)
        elif len(w) >= min_length and w not in stops:
            out.append(w)
    return out


_DIGIT = re.compile(r"\d")


def _has_digit(word: str) -> bool:
    return _DIGIT.search(word) is not None


def preprocess_batch(documents: Sequence[Document], params: PreprocessParams) -> list[ProcessedDoc]:
    """Split, tokenize, lemmatize and filter a batch of documents. Pure: no I/O, no shared state."""
    out = []
    for doc in documents:
        sentences = split_sentences(doc.text)
        tokens = [process_sentence(s, doc.language, params) for s in sentences]
        n_words = sum(len(tokenize(s)) for s in sentences)
        out.append(ProcessedDoc(doc.id, sentences, tokens, n_words))
    return out
