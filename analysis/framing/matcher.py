"""Matching terms over lemma sequences: the compiled index behind frames and partners.

A term is written as plain words (`drug trafficking`, `Организация Договора о коллективной
безопасности`). Each word becomes one pattern element:

- a plain word matches by lemma (`threats` in a text matches the term word `threat`);
- `word*` matches any lemma that starts with `word` (`terror*`: terrorism, terrorist, ...);
- `=word` matches the lower-cased word exactly as written, no lemma (`=meeting` but not `meet`);
- an all-capital word (`CSTO`, `US`, `ОДКБ`) matches only an all-capital token, so the acronym
  `WHO` is not the pronoun `who`.

Lemmas come from `analysis.preprocess` (simplemma, tokens as `analysis.preprocess.tokenize`
splits them, stop words kept, no multi-word joining), looked up through a per-language dict
cache so each distinct word form is lemmatized once. Russian `ё` is read as `е`.

Context rules on a term (all optional): `near` (one list of patterns: any of them; a list of
lists: one of each list) within `window` tokens either side (0: anywhere in the sentence),
`not_near` (none of them within the window), `not_prev` / `not_next` (the token just before /
after the term is none of them), `capitalized` (the term's first word starts with a capital).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from analysis.preprocess.lexicon import stopwords
from analysis.preprocess.pipeline import lemma as _simplemma
from analysis.preprocess.text import tokenize

# An element of a pattern: (kind, value) with kind "l" lemma, "p" lemma prefix, "s" exact surface.
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


def parse_word(word: str, lemmatizer: Lemmatizer) -> list[Element]:
    """One written word of a term -> its pattern elements (a hyphenated word stays one token)."""
    if word.startswith("=") and len(word) > 1:
        lower = word[1:].lower()
        if lemmatizer.language == "ru":
            lower = lower.replace("ё", "е")
        return [("s", t.lower()) for t in tokenize(lower)]
    if word.endswith("*") and len(word) > 1:
        stem = word[:-1].lower()
        if lemmatizer.language == "ru":
            stem = stem.replace("ё", "е")
        return [("p", stem)]
    return [("l", lemmatizer[t][0]) for t in tokenize(word)]


def parse_term(text: str, lemmatizer: Lemmatizer) -> tuple[Element, ...]:
    """A term as written -> its element sequence (empty when it has no word characters)."""
    out: list[Element] = []
    for word in text.split():
        out.extend(parse_word(word, lemmatizer))
    return tuple(out)


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


def _element_ok(element: Element, info: tuple[str, str]) -> bool:
    kind, value = element
    if kind == "l":
        return info[0] == value
    if kind == "p":
        return info[0].startswith(value)
    return info[1] == value


class Sentence:
    """One sentence prepared for matching: word forms, (lemma key, lower form) per token, and
    where each lemma key and lower form occurs, so context rules test sets, not token loops."""

    __slots__ = ("words", "infos", "n", "_key_pos", "_low_pos", "_spans")

    def __init__(self, words: Sequence[str], infos: Sequence[tuple[str, str]]) -> None:
        self.words = words
        self.infos = infos
        self.n = len(words)
        self._key_pos: dict[str, list[int]] | None = None
        self._low_pos: dict[str, list[int]] | None = None
        self._spans: dict[int, list[tuple[int, int]]] = {}

    def key_positions(self) -> dict[str, list[int]]:
        """Lemma key -> token positions (built on first use)."""
        if self._key_pos is None:
            pos: dict[str, list[int]] = {}
            for j, (k, _) in enumerate(self.infos):
                if k in pos:
                    pos[k].append(j)
                else:
                    pos[k] = [j]
            self._key_pos = pos
        return self._key_pos

    def low_positions(self) -> dict[str, list[int]]:
        """Lower-cased form -> token positions (built on first use)."""
        if self._low_pos is None:
            low: dict[str, list[int]] = {}
            for j, (_, w) in enumerate(self.infos):
                if w in low:
                    low[w].append(j)
                else:
                    low[w] = [j]
            self._low_pos = low
        return self._low_pos

    def spans(self, patterns: PatternSet) -> list[tuple[int, int]]:
        """Where `patterns` match in this sentence: (start, end) token spans, computed once."""
        got = self._spans.get(id(patterns))
        if got is None:
            got = self._spans[id(patterns)] = patterns.spans(self)
        return got


@dataclass(frozen=True)
class PatternSet:
    """Words and phrases tested in a sentence's context (one-word patterns and word sequences)."""

    lemmas: frozenset[str] = frozenset()
    prefixes: tuple[str, ...] = ()
    surfaces: frozenset[str] = frozenset()
    phrases: tuple[tuple[Element, ...], ...] = ()
    _memo: dict = field(default_factory=dict, compare=False, hash=False, repr=False)

    @classmethod
    def build(cls, words: Iterable[str], lemmatizer: Lemmatizer) -> PatternSet:
        lemmas, prefixes, surfaces, phrases = set(), [], set(), []
        for word in words:
            elements = parse_term(str(word), lemmatizer)
            if len(elements) > 1:
                phrases.append(elements)
                continue
            for kind, value in elements:
                if kind == "l":
                    lemmas.add(value)
                elif kind == "p":
                    prefixes.append(value)
                else:
                    surfaces.add(value)
        return cls(frozenset(lemmas), tuple(prefixes), frozenset(surfaces), tuple(phrases))

    def test(self, key: str, lower: str) -> bool:
        """Whether one token (lemma key, lower-cased form) is one of the one-word patterns."""
        return key in self.lemmas or lower in self.surfaces or (
            bool(self.prefixes) and key.startswith(self.prefixes))

    def _key_hits(self, keys: Iterable[str]) -> list[str]:
        hits = [k for k in self.lemmas.intersection(keys)]
        if self.prefixes:
            memo = self._memo
            for k in keys:
                ok = memo.get(k)
                if ok is None:
                    ok = memo[k] = k not in self.lemmas and k.startswith(self.prefixes)
                if ok:
                    hits.append(k)
        return hits

    def spans(self, sent: Sentence) -> list[tuple[int, int]]:
        """(start, end) spans of every match in a sentence (one-word patterns and phrases)."""
        out: list[tuple[int, int]] = []
        if self.lemmas or self.prefixes:
            pos = sent.key_positions()
            for k in self._key_hits(pos):
                out.extend((j, j + 1) for j in pos[k])
        if self.surfaces:
            low = sent.low_positions()
            for w in self.surfaces.intersection(low):
                out.extend((j, j + 1) for j in low[w])
        if self.phrases:
            infos, n = sent.infos, sent.n
            pos = sent.key_positions()
            for phrase in self.phrases:
                m = len(phrase)
                kind, value = phrase[0]
                if kind == "l":
                    starts: Iterable[int] = pos.get(value, ())
                elif kind == "s":
                    starts = sent.low_positions().get(value, ())
                else:
                    starts = [j for k, js in pos.items() if k.startswith(value) for j in js]
                for k in starts:
                    if k + m <= n and all(_element_ok(phrase[j], infos[k + j]) for j in range(1, m)):
                        out.append((k, k + m))
        return out

    def __bool__(self) -> bool:
        return bool(self.lemmas or self.prefixes or self.surfaces or self.phrases)


@dataclass(frozen=True)
class Rules:
    """Compiled context rules of one term (see the module docstring)."""

    near: tuple[PatternSet, ...] = ()
    not_near: PatternSet | None = None
    window: int = 0
    not_prev: PatternSet | None = None
    not_next: PatternSet | None = None
    capitalized: bool = False

    @property
    def empty(self) -> bool:
        return not (self.near or self.not_near or self.not_prev or self.not_next or self.capitalized)


RULE_KEYS = ("near", "not_near", "window", "not_prev", "not_next", "capitalized")


def compile_rules(spec: dict[str, Any], lemmatizer: Lemmatizer) -> Rules:
    """Rules from a validated term mapping (lists of words, see `analysis.framing.lexicon`)."""
    near = spec.get("near") or []
    groups = near if near and all(isinstance(g, list | tuple) for g in near) else ([near] if near else [])
    return Rules(
        near=tuple(PatternSet.build(g, lemmatizer) for g in groups),
        not_near=PatternSet.build(spec["not_near"], lemmatizer) if spec.get("not_near") else None,
        window=int(spec.get("window") or 0),
        not_prev=PatternSet.build(spec["not_prev"], lemmatizer) if spec.get("not_prev") else None,
        not_next=PatternSet.build(spec["not_next"], lemmatizer) if spec.get("not_next") else None,
        capitalized=bool(spec.get("capitalized", False)),
    )


@dataclass(frozen=True)
class Entry:
    """One compiled term: its element sequence, what it stands for, and its rules.

    `anchor` is the element the index looks the term up by (the last that is not a stop word,
    so "the West" is found at "West", not at every "the").
    """

    elements: tuple[Element, ...]
    payload: Any
    rules: Rules = field(default_factory=Rules)
    anchor: int = 0

    def __len__(self) -> int:
        return len(self.elements)


@dataclass(frozen=True)
class Match:
    """A term found at tokens [start, end) of a sentence."""

    start: int
    end: int
    entry: Entry


class PhraseIndex:
    """Entries indexed by their first element; finds all entries in a token sequence.

    Candidate entries per written word form are cached, and `triggers` holds every form that
    starts some entry, so a sentence with no trigger is skipped with two set operations.
    """

    def __init__(self, entries: Sequence[Entry], lemmatizer: Lemmatizer) -> None:
        self.lemmatizer = lemmatizer
        # the same elements and rules for the same frame or partner (hyphen variants, repeats): keep one
        seen: set = set()
        self.entries = []
        for e in entries:
            key = (e.elements, e.payload[:2], e.rules)
            if key not in seen:
                seen.add(key)
                self.entries.append(e)
        common = stopwords(lemmatizer.language) if lemmatizer.language in ("en", "ru") else frozenset()
        self.entries = [_anchored(e, common) for e in self.entries]
        self._by_lemma: dict[str, list[Entry]] = {}
        self._by_surface: dict[str, list[Entry]] = {}
        self._by_prefix: list[tuple[str, Entry]] = []
        for entry in self.entries:
            kind, value = entry.elements[entry.anchor]
            if kind == "l":
                self._by_lemma.setdefault(value, []).append(entry)
            elif kind == "s":
                self._by_surface.setdefault(value, []).append(entry)
            else:
                self._by_prefix.append((value, entry))
        self._prefixes = tuple(p for p, _ in self._by_prefix)
        self.candidates: dict[str, tuple[Entry, ...]] = {}
        self.triggers: set[str] = set()

    def _candidates_of(self, token: str) -> tuple[Entry, ...]:
        key, lower = self.lemmatizer[token]
        found = list(self._by_lemma.get(key, ()))
        found += self._by_surface.get(lower, ())
        if self._prefixes and key.startswith(self._prefixes):
            found += [e for p, e in self._by_prefix if key.startswith(p)]
        # longest first, so the longest term at a position is reported first
        found.sort(key=len, reverse=True)
        out = tuple(found)
        self.candidates[token] = out
        if out:
            self.triggers.add(token)
        return out

    def has_trigger(self, words: Sequence[str]) -> bool:
        """Whether any word form can start an entry (fills the cache for new forms)."""
        forms = set(words)
        for token in forms.difference(self.candidates):
            self._candidates_of(token)
        return not self.triggers.isdisjoint(forms)

    def find(self, words: Sequence[str], infos: Sequence[tuple[str, str]]) -> list[Match]:
        """Every entry whose elements match at some position and whose rules hold
        (call `has_trigger` first: it fills the candidate cache for the sentence's word forms)."""
        matches: list[Match] = []
        n = len(words)
        cands = self.candidates
        sent = Sentence(words, infos)
        triggers = self.triggers.intersection(words)
        for i, word in enumerate(words):
            if word not in triggers:
                continue
            entries = cands[word]
            for entry in entries:
                m = len(entry.elements)
                start = i
                if m > 1:
                    start = i - entry.anchor
                    if start < 0 or start + m > n:
                        continue
                    els = entry.elements
                    if not all(_element_ok(els[j], infos[start + j]) for j in range(m) if j != entry.anchor):
                        continue
                if entry.rules.empty or rules_hold(entry.rules, sent, start, start + m):
                    matches.append(Match(start, start + m, entry))
        return matches


def _anchored(entry: Entry, common: frozenset[str]) -> Entry:
    """The entry with its anchor set to its last element that is not a stop word (in names and
    phrases the last content word, "Council" of "Security Council", is usually the rarer one)."""
    for j in range(len(entry.elements) - 1, -1, -1):
        if entry.elements[j][1].lower() not in common:
            return replace(entry, anchor=j) if j else entry
    return entry


def rules_hold(rules: Rules, sent: Sentence, start: int, end: int) -> bool:
    """Whether a term found at tokens [start, end) of a sentence satisfies its context rules."""
    if rules.capitalized and not sent.words[start][:1].isupper():
        return False
    if rules.not_prev is not None and start > 0 and any(e == start for _, e in sent.spans(rules.not_prev)):
        return False
    if rules.not_next is not None and end < sent.n and any(s == end for s, _ in sent.spans(rules.not_next)):
        return False
    if rules.window:
        lo, hi = start - rules.window, end + rules.window
    else:
        lo, hi = 0, sent.n

    def around(s: int) -> bool:
        return lo <= s < hi and not start <= s < end

    if rules.not_near is not None and any(around(s) for s, _ in sent.spans(rules.not_near)):
        return False
    return all(any(around(s) for s, _ in sent.spans(group)) for group in rules.near)
