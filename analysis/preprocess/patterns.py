"""One term-pattern syntax for every method: the terms trends counts and shows in context, and
framing's lexicon terms, partner aliases and context-rule words.

A pattern is one or more words separated by spaces; `a|b` gives alternatives, any of which
matches (trends sums their counts; e.g. "multipolar world|многополярный мир"). Each word is:

- a plain word (`threat`, `многополярного`): matched by its normal form, the lemma;
- `stem*`: a prefix, any unit that starts with `stem` (`terror*`: terrorism, terrorist, ...);
- a glob (`secur?ty`, `co[-]operation`, `*polar`: a `?`, a `[...]` or a `*` anywhere but at the
  end): matched as a shell glob (`fnmatch`) against the unit, as written, not lemmatised;
- `=word`: the word exactly as written (lower-cased), not lemmatised (`=meeting`, not `meet`);
- an ACRONYM, all capitals and two or more letters (`CSTO`, `WHO`, `ОДКБ`): the acronym only,
  never the lower-case word (`WHO` is not the pronoun `who`).

What a unit is depends on how the method sees a text, and the two views agree on the meaning:

- trends matches the processed tokens (`process_sentence` with the tokens' `PreprocessParams`):
  the plain words of a pattern are processed like the text, so "multipolar world" becomes
  `multipolar_world` and stop words drop out of both; a prefix, a glob or `=word` is compared
  with each processed token (a lemma in the lemma form, the word in the written form).
  Processing keeps acronyms whole and drops `who` as a stop word, so `WHO` counts the acronym.
- framing matches words with their lemma and lower-cased form (stop words kept): a plain word
  by lemma, a prefix or glob by lemma or form (a lemmatizer can miss an inflected form: simplemma
  gives "объединить" for "Объединенных", which `Объединенн*` still matches by its form), `=word`
  by form, an acronym only an all-capital token. Russian `ё` is read as `е` there.

A word that ends in `*` and has glob characters before it (`государств*-член*`, "member
states" in any case: государства-члены, государств-членов) is a glob, in framing as in trends.

This module parses; each method compiles the words into its own matcher
(`analysis.trends.terms`, `analysis.framing.matcher`).
"""

from __future__ import annotations

import fnmatch
import re
from functools import lru_cache
from typing import NamedTuple

PLAIN, PREFIX, GLOB, EXACT = "plain", "prefix", "glob", "exact"
GLOB_CHARS = frozenset("*?[")


class Word(NamedTuple):
    """One written word of a pattern.

    kind : PLAIN, PREFIX, GLOB or EXACT.
    value : the word without its mark: the stem of `stem*` (everything before the last `*`),
        the word of `=word`, a plain word or a glob as written.
    written : the word as written.
    """

    kind: str
    value: str
    written: str

    @property
    def acronym(self) -> bool:
        """Whether the word is an acronym (all capitals, two or more letters)."""
        return self.kind == PLAIN and len(self.value) > 1 and self.value.isupper()


def is_glob(word: str) -> bool:
    """Whether a written word (or a unit of a parsed term) has a glob character `*`, `?` or `[`."""
    return any(c in GLOB_CHARS for c in word)


def parse_word(word: str) -> Word:
    """A written word -> its kind and value (see the module docstring)."""
    if len(word) > 1 and word.startswith("="):
        return Word(EXACT, word[1:], word)
    if len(word) > 1 and word.endswith("*") and not is_glob(word[:-1]):
        return Word(PREFIX, word[:-1], word)
    if is_glob(word):
        return Word(GLOB, word, word)
    return Word(PLAIN, word, word)


def split_alternatives(text: str) -> list[str]:
    """The alternatives of a pattern (`a|b`), spaces normalised; an empty one is kept as ""."""
    return [" ".join(alt.split()) for alt in " ".join(text.split()).split("|")]


def parse_words(alternative: str) -> list[Word]:
    """The words of one alternative."""
    return [parse_word(w) for w in alternative.split()]


def parse_pattern(text: str) -> list[list[Word]]:
    """A pattern as written -> the words of each alternative (empty alternatives left out)."""
    return [parse_words(alt) for alt in split_alternatives(text) if alt]


@lru_cache(maxsize=4096)
def glob_regex(pattern: str) -> re.Pattern:
    """The compiled shell glob (`fnmatch`): `.match(unit)` tests one whole unit."""
    return re.compile(fnmatch.translate(pattern))


__all__ = ["EXACT", "GLOB", "GLOB_CHARS", "PLAIN", "PREFIX", "Word", "glob_regex", "is_glob", "parse_pattern",
           "parse_word", "parse_words", "split_alternatives"]
