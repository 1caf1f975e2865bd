"""Term words as pattern elements: the lemmatizer and parser behind frames and partners.

A term is written in the toolkit's one pattern syntax (`analysis.preprocess.patterns`): plain
words (`drug trafficking`, `Организация Договора о коллективной безопасности`), `a|b` for
alternatives. Each word becomes one pattern element:

- a plain word matches by lemma (`threats` in a text matches the term word `threat`);
- `word*` matches any word whose lemma or lower-cased form starts with `word` (`terror*`:
  terrorism, terrorist, ...; the form as well, because a lemmatizer can miss: simplemma gives
  "объединить" for "Объединенных", which `Объединенн*` still matches by its form);
- a glob (`secur?ty`, `co[-]operat*`) matches a word whose lemma or lower-cased form it matches;
- `=word` matches the lower-cased word exactly as written, no lemma (`=meeting` but not `meet`);
- an all-capital word (`CSTO`, `US`, `ОДКБ`) matches only an all-capital token, so the acronym
  `WHO` is not the pronoun `who`.

A hyphenated term word also matches written together and apart (`co-operation`: cooperation,
co operation; `term_variants`), in lexicon terms and partner aliases.

Lemmas come from `analysis.preprocess` (simplemma, tokens as `analysis.preprocess.tokenize`
splits them, stop words kept, no multi-word joining), looked up through a per-language dict
cache so each distinct word form is lemmatized once. Russian `ё` is read as `е`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from analysis.preprocess.patterns import (
    EXACT,
    GLOB,
    PREFIX,
    Word,
    glob_regex,
    parse_words,
    split_alternatives,
)
from analysis.preprocess.pipeline import lemma as _simplemma
from analysis.preprocess.text import tokenize

# An element of a pattern: (kind, value) with kind "l" lemma, "p" lemma or form prefix, "g" glob on
# the lemma or form, "s" exact surface (lower-cased form).
Element = tuple[str, str]


class Lemmatizer(dict):
    """Word form as written -> (lemma key, lower-cased form), filled on first sight.

    The lemma key is the lower-cased simplemma lemma, or the acronym itself in capitals
    (dots removed) for all-capital tokens of two or more letters.
    """

    def __init__(self, language: str) -> None:
        super().__init__()
        self.language = language

    def __missing__(self, token: str) -> tuple[str, str]:
        lower = token.lower()
        if self.language == "ru":
            lower = lower.replace("ё", "е")
        if len(token) > 1 and token.isupper():
            key = token.replace(".", "").upper().replace("Ё", "Е")
        else:
            key = _simplemma(lower, self.language).lower()
            if self.language == "ru":
                key = key.replace("ё", "е")
        value = (key, lower)
        self[token] = value
        return value


def _fold(text: str, language: str) -> str:
    """Lower-cased, Russian `ё` read as `е`."""
    lower = text.lower()
    return lower.replace("ё", "е") if language == "ru" else lower


def parse_word(word: str, lemmatizer: Lemmatizer) -> list[Element]:
    """One written word of a term -> its pattern elements (a hyphenated word stays one token)."""
    return _elements(parse_words(word), lemmatizer)


def _elements(words: Iterable[Word], lemmatizer: Lemmatizer) -> list[Element]:
    out: list[Element] = []
    for w in words:
        if w.kind == EXACT:
            out.extend(("s", t.lower()) for t in tokenize(_fold(w.value, lemmatizer.language)))
        elif w.kind == PREFIX:
            out.append(("p", _fold(w.value, lemmatizer.language)))
        elif w.kind == GLOB:
            if any(c.isalnum() for c in w.value):  # a bare wildcard matches no word
                out.append(("g", _fold(w.value, lemmatizer.language)))
        else:
            out.extend(("l", lemmatizer[t][0]) for t in tokenize(w.value))
    return out


def parse_term(text: str, lemmatizer: Lemmatizer) -> tuple[Element, ...]:
    """One alternative of a term as written -> its element sequence (empty when it has no word
    characters)."""
    return tuple(_elements(parse_words(text), lemmatizer))


def term_elements(text: str, lemmatizer: Lemmatizer, *, hyphens: bool = False) -> list[tuple[Element, ...]]:
    """Every element sequence a term stands for: one per alternative (`a|b`) and, with
    `hyphens`, per hyphen variant (`term_variants`); empty ones left out, repeats once."""
    out: dict[tuple[Element, ...], None] = {}
    for alt in split_alternatives(text):
        for variant in term_variants(alt) if hyphens else [alt]:
            elements = parse_term(variant, lemmatizer)
            if elements:
                out[elements] = None
    return list(out)


def term_variants(text: str) -> list[str]:
    """The term plus its hyphen variants: `co-operation` also as `cooperation` and `co operation`."""
    variants = [text]
    words = text.split()
    if any("-" in w.strip("-*=") for w in words):
        joined = " ".join(w if w.startswith("=") and "-" not in w else w.replace("-", "") for w in words)
        spaced = " ".join(w.replace("-", " ") for w in words)
        for v in (joined, spaced):
            if v not in variants:
                variants.append(v)
    return variants


def element_ok(element: Element, info: tuple[str, str]) -> bool:
    kind, value = element
    if kind == "l":
        return info[0] == value
    if kind == "p":
        return info[0].startswith(value) or info[1].startswith(value)
    if kind == "g":
        return glob_ok(value, info[0], info[1])
    return info[1] == value


def any_glob(patterns: Iterable[str]) -> re.Pattern | None:
    """One compiled alternation of globs: `.match(unit)` is not None when some glob matches the
    unit (a test before trying them one by one); None when there are none."""
    parts = [glob_regex(g).pattern for g in dict.fromkeys(patterns)]
    return re.compile("|".join(f"(?:{p})" for p in parts)) if parts else None


def glob_ok(pattern: str, key: str, lower: str) -> bool:
    """Whether a glob matches a word's lemma key or lower-cased form."""
    match = glob_regex(pattern).match
    return match(key) is not None or match(lower) is not None
