"""Matching terms over lemma sequences: the compiled index behind frames and partners.

Terms are parsed into pattern elements by `analysis.framing.elements` (the toolkit's one pattern
syntax, `analysis.preprocess.patterns`, read over lemmas and word forms); their context rules
are `analysis.framing.rules`. Each word form's record holds, besides its lemma key, lower form
and the entries it anchors, a bit mask of the rule pattern sets it can begin (`could_match`)
and of those it matches as one word, so rules are tested with integer ANDs and ORs.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from functools import reduce
from itertools import accumulate, compress
from operator import itemgetter, or_
from typing import Any, NamedTuple

from analysis.framing.elements import Element, Lemmatizer, any_glob, glob_ok
from analysis.framing.rules import (
    _SEP,
    RULE_KEYS,
    PatternSet,
    Rules,
    Sentence,
    compile_rules,
    rules_hold,
)
from analysis.preprocess.lexicon import stopwords

__all__ = ["RULE_KEYS", "Entry", "Match", "PatternSet", "PhraseIndex", "Rules", "Sentence", "compile_rules",
           "rules_hold"]


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


class Match(NamedTuple):
    """A term found at tokens [start, end) of a sentence."""

    start: int
    end: int
    entry: Entry


# The context rules of a term as the index tests them: each pattern set as (its bit in the word
# forms' masks, the set itself when it has phrases, else None); see `_RuleTest`.
_SetBit = tuple[int, "PatternSet | None"]
_Compiled = tuple[tuple[_SetBit, ...], "_SetBit | None", int, "_SetBit | None", "_SetBit | None", bool]

# How the index tries one entry at an anchor token: (entry, length, anchor, the other elements
# as (offset from the anchor, kind, value), its compiled rules or None).
_Plan = tuple[Entry, int, int, tuple[tuple[int, str, str], ...], _Compiled | None]
# A word form's record: (lemma key, lower form, match plans, first mask, word mask, gate); the masks
# hold the bit of every rule pattern set that can begin a match at the form (`could_match`) and
# that matches the form as one word (`PatternSet.test`).
# The multi-word plans of a form sorted by a lemma they need next to it: (the plans always tried
# and their ranks, ((offset, lemma key there -> ranked plans), ...)), or None (try every plan).
_Gate = tuple[tuple[tuple[int, _Plan], ...], tuple[_Plan, ...], tuple[tuple[int, dict], ...]]
_Record = tuple[str, str, tuple[_Plan, ...], int, int, "_Gate | None"]
_PLANS, _RANK = itemgetter(2), itemgetter(0)
_WORD_MASK = itemgetter(4)


class _Prefixes:
    """Prefixes (each with a payload, in the order given) found for a word by one dict lookup per
    prefix length that occurs among the prefixes beginning with the word's first letters, not one
    `startswith` per prefix."""

    def __init__(self, items: Iterable[tuple[str, Any]]) -> None:
        self._table: dict[str, list[tuple[int, Any]]] = {}
        for pos, (prefix, payload) in enumerate(items):
            self._table.setdefault(prefix, []).append((pos, payload))
        lengths = sorted({len(p) for p in self._table})
        self._k = min(lengths[0], 3) if lengths else 0
        # a word's first k letters -> the lengths of the prefixes that begin with them
        heads: dict[str, set[int]] = {}
        for p in self._table:
            heads.setdefault(p[:self._k], set()).add(len(p))
        self._heads = {h: tuple(sorted(ns)) for h, ns in heads.items()}

    def __bool__(self) -> bool:
        return bool(self._table)

    def hits(self, key: str, lower: str) -> list[Any]:
        """The payloads of the prefixes that begin `key` or `lower`, in the order given."""
        k, heads, table, found = self._k, self._heads, self._table, []
        for word in (key, lower) if key != lower else (key,):
            lengths = heads.get(word[:k])  # most words: none, after one lookup
            if lengths is not None:
                for n in lengths:
                    if len(word) >= n:
                        got = table.get(word[:n])
                        if got is not None:
                            found.extend(got)
        if not found:
            return []
        return [payload for _, payload in sorted(dict(found).items())] if len(found) > 1 else [found[0][1]]


class _Globs:
    """Globs (each with a payload, in the order given) that match a word: `[e for g, e in items if
    glob_ok(g, key, lower)]` with fewer tests. A glob is tried only where the word has its literal
    head (the text before its first wildcard), else its literal tail, else its longest literal
    piece; a glob with a literal hyphen only on a word with a hyphen."""

    def __init__(self, items: Iterable[tuple[str, Any]]) -> None:
        self._items = list(items)
        self._parts = []  # (heads, tails, tail lengths, pieces) of the globs without / with a hyphen
        for hyphen in (False, True):
            heads, tails, pieces = [], {}, []
            for pos, (glob, _) in enumerate(self._items):
                if _needs_hyphen(glob) != hyphen:
                    continue
                head = re.split(r"[*?\[]", glob, maxsplit=1)[0]
                tail = re.split(r"[*?\[\]]", glob)[-1]
                if head:
                    heads.append((head, pos))
                elif tail:
                    tails.setdefault(tail, []).append(pos)
                else:
                    literal = max(re.split(r"\[[^\]]*\]|[*?]", glob), key=len)
                    pieces.append((literal, pos))
            self._parts.append((_Prefixes(heads), tails, sorted({len(t) for t in tails}), pieces))

    def __bool__(self) -> bool:
        return bool(self._items)

    def hits(self, key: str, lower: str) -> list[Any]:
        """The payloads of the globs that match `key` or `lower`, in the order given."""
        tried: set[int] = set()
        for heads, tails, lengths, pieces in self._parts[:2 if "-" in key or "-" in lower else 1]:
            tried.update(heads.hits(key, lower))
            for n in lengths:
                for word in (key, lower):
                    if len(word) >= n:
                        tried.update(tails.get(word[-n:], ()))
            tried.update(pos for literal, pos in pieces if literal in key or literal in lower)
        items = self._items
        return [items[pos][1] for pos in sorted(tried) if glob_ok(items[pos][0], key, lower)]


class _Masks:
    """Rule pattern sets numbered by bit, and the inverted tables that give a form its masks."""

    def __init__(self, sets: Iterable[PatternSet]) -> None:
        self.bits: dict[PatternSet, int] = {}
        first: tuple[dict, dict, list, list] = ({}, {}, [], [])  # lemma keys, lower forms, prefixes, globs
        word: tuple[dict, dict, list, list] = ({}, {}, [], [])
        for ps in sets:
            if ps in self.bits:
                continue
            bit = self.bits[ps] = 1 << len(self.bits)
            for table, keys, lows, prefixes, globs in (
                    (first, ps._first_keys, ps._first_lows, [p[len(_SEP):] for p in ps._first_prefixes],
                     ps._first_globs),
                    (word, ps.lemmas, ps.surfaces, ps.prefixes, ps.globs)):
                for k in keys:
                    table[0][k] = table[0].get(k, 0) | bit
                for w in lows:
                    table[1][w] = table[1].get(w, 0) | bit
                table[2].extend((p, bit) for p in prefixes)
                table[3].extend((g, bit) for g in globs)
        self._tables = tuple((keys, lows, _Prefixes(prefixes), tuple(globs), any_glob(g for g, _ in globs))
                             for keys, lows, prefixes, globs in (first, word))

    def of(self, key: str, lower: str) -> tuple[int, int]:
        """(first mask, word mask) of a form with this lemma key and lower form."""
        out = []
        for keys, lows, prefixes, globs, some_glob in self._tables:
            mask = keys.get(key, 0) | lows.get(lower, 0)
            if prefixes:
                for bit in prefixes.hits(key, lower):
                    mask |= bit
            if some_glob is not None and (some_glob.match(key) or some_glob.match(lower)):
                for g, bit in globs:
                    if glob_ok(g, key, lower):
                        mask |= bit
            out.append(mask)
        return out[0], out[1]

    def compile(self, rules: Rules) -> _Compiled:
        def one(ps: PatternSet | None) -> _SetBit | None:
            return None if ps is None else (self.bits[ps], ps if ps.phrases else None)
        return (tuple(one(g) for g in rules.near), one(rules.not_near), rules.window,
                one(rules.not_prev), one(rules.not_next), rules.capitalized)


def _needs_hyphen(glob: str) -> bool:
    """A glob that can only match a word with a hyphen: a literal "-" outside any [...] class."""
    depth = 0
    for ch in glob:
        if ch == "[":
            depth += 1
        elif ch == "]":
            depth = max(depth - 1, 0)
        elif ch == "-" and depth == 0:
            return True
    return False


def _rule_sets(entries: Iterable[Entry]) -> list[PatternSet]:
    return [ps for e in entries for ps in (*e.rules.near, e.rules.not_near, e.rules.not_prev, e.rules.not_next)
            if ps is not None]


def _plan(entry: Entry, masks: _Masks) -> _Plan:
    a = entry.anchor
    checks = tuple((j - a, kind, value) for j, (kind, value) in enumerate(entry.elements) if j != a)
    return (entry, len(entry.elements), a, checks, None if entry.rules.empty else masks.compile(entry.rules))


class PhraseIndex:
    """Entries indexed by their anchor element; finds all entries in a token sequence.

    The lemma key, lower form, the entries a written word form can anchor (as match plans,
    longest entry first) and the form's rule masks are computed once per form (`records`), and
    `triggers` holds every form that anchors some entry, so a sentence with no trigger is skipped
    with one set test.
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
        self._by_glob: list[tuple[str, Entry]] = []
        for entry in self.entries:
            kind, value = entry.elements[entry.anchor]
            if kind == "l":
                self._by_lemma.setdefault(value, []).append(entry)
            elif kind == "s":
                self._by_surface.setdefault(value, []).append(entry)
            elif kind == "g":
                self._by_glob.append((value, entry))
            else:
                self._by_prefix.append((value, entry))
        self._prefixes = _Prefixes(self._by_prefix)
        self._globs = _Globs(self._by_glob)
        self._masks = _Masks(_rule_sets(self.entries))
        self._plans = {id(e): _plan(e, self._masks) for e in self.entries}
        # the order of plans at one word (longest first, then lemma, form, prefix, glob anchor, entry order)
        group = {"l": 0, "s": 1, "p": 2, "g": 3}
        order = sorted(range(len(self.entries)), key=lambda j: (
            -len(self.entries[j]), group[self.entries[j].elements[self.entries[j].anchor][0]], j))
        self._rank = {id(self.entries[j]): r for r, j in enumerate(order)}
        # word form as written -> (lemma key, lower form, plans of the entries it anchors, masks)
        self.records = _Records(self)
        self.triggers: set[str] = set()

    def _candidates_of(self, token: str) -> tuple[_Plan, ...]:
        key, lower = self.lemmatizer[token]
        found = list(self._by_lemma.get(key, ()))
        found += self._by_surface.get(lower, ())
        if self._prefixes:
            found += self._prefixes.hits(key, lower)
        if self._globs:
            found += self._globs.hits(key, lower)
        # longest first, so the longest term at a position is reported first
        found.sort(key=len, reverse=True)
        return tuple(self._plans[id(e)] for e in found)

    def record(self, token: str) -> _Record:
        """(lemma key, lower form, match plans, first mask, word mask) of one word form, computed once."""
        return self.records[token]

    def _record(self, token: str) -> _Record:
        key, lower = self.lemmatizer[token]
        plans = self._candidates_of(token)
        if plans:
            self.triggers.add(token)
        return (key, lower, plans, *self._masks.of(key, lower), self._gate(plans))

    def _gate(self, plans: tuple[_Plan, ...]) -> _Gate | None:
        """The plans that need a lemma at some offset from the anchor, filed by it (the first such
        check of each plan), so a word tries only those whose neighbour has it."""
        always: list[tuple[int, _Plan]] = []
        gates: dict[int, dict[str, list]] = {}
        for plan in plans:
            ranked = (self._rank[id(plan[0])], plan)
            need = next(((off, value) for off, kind, value in plan[3] if kind == "l"), None)
            if need is None:
                always.append(ranked)
            else:
                gates.setdefault(need[0], {}).setdefault(need[1], []).append(ranked)
        if not gates:
            return None
        return (tuple(always), tuple(p for _, p in always),
                tuple((off, {v: tuple(ps) for v, ps in table.items()}) for off, table in gates.items()))

    def lookup(self, words: Sequence[str]) -> list[_Record]:
        """The record of every word (one dict lookup a word once its form has been seen). A
        record starts with (lemma key, lower form), so it serves as the word's `infos` entry."""
        return list(map(self.records.__getitem__, words))

    def find(self, words: Sequence[str], infos: Sequence[_Record]) -> list[Match]:
        """Every entry whose elements match at some position and whose rules hold, in order of
        position, longest entry first. `infos` are the words' records from `lookup`."""
        matches: list[Match] = []
        n = len(words)
        test: _RuleTest | None = None
        for i in compress(range(n), map(_PLANS, infos)):  # the words that anchor some entry
            rec = infos[i]
            gate = rec[5]
            if gate is None:
                plans = rec[2]
            else:
                ranked, plans, gates = gate
                for off, table in gates:
                    j = i + off
                    if 0 <= j < n:
                        hit = table.get(infos[j][0])
                        if hit is not None:
                            ranked = ranked + hit
                if len(ranked) != len(plans):
                    plans = [p for _, p in sorted(ranked, key=_RANK)]
            for entry, m, anchor, checks, rules in plans:
                start = i
                if m > 1:
                    start = i - anchor
                    if start < 0 or start + m > n:
                        continue
                    for off, kind, value in checks:
                        other = infos[i + off]
                        if kind == "l":
                            if other[0] != value:
                                break
                        elif kind == "p":
                            if not (other[0].startswith(value) or other[1].startswith(value)):
                                break
                        elif kind == "g":
                            if not glob_ok(value, other[0], other[1]):
                                break
                        elif other[1] != value:
                            break
                    else:
                        if rules is None:
                            matches.append(Match(start, start + m, entry))
                        else:
                            if test is None:
                                test = _RuleTest(words, infos)
                            if test.holds(rules, start, start + m):
                                matches.append(Match(start, start + m, entry))
                    continue
                if rules is None:
                    matches.append(Match(start, start + 1, entry))
                else:
                    if test is None:
                        test = _RuleTest(words, infos)
                    if test.holds(rules, start, start + 1):
                        matches.append(Match(start, start + 1, entry))
        return matches


class _RuleTest:
    """Context rules tested on one sentence's records: a pattern set occurs somewhere when its bit
    is in the OR of the forms' first masks (`could_match`); a one-word pattern occurs in a token
    range when its bit is in the OR of those tokens' word masks (kept only for the tokens whose
    mask is not 0, with their positions); phrases are looked for as spans."""

    __slots__ = ("words", "infos", "n", "_first", "_pos", "_masks", "_before", "_after", "_sent", "_phrases")

    def __init__(self, words: Sequence[str], infos: Sequence[_Record]) -> None:
        self.words = words
        self.infos = infos
        self.n = len(words)
        self._first = reduce(or_, filter(None, map(_FIRST_MASK, infos)), 0)
        self._pos: list[int] | None = None  # positions of the tokens with a word mask, ascending
        self._masks: list[int] = []  # their word masks
        self._before: list[int] = []  # _before[k]: OR of _masks[:k]
        self._after: list[int] = []  # _after[k]: OR of _masks[k:]
        self._sent: Sentence | None = None
        self._phrases: dict[int, list[tuple[int, int]]] = {}

    def sentence(self) -> Sentence:
        if self._sent is None:
            self._sent = Sentence(self.words, self.infos)
        return self._sent

    def _phrase_near(self, ps: PatternSet, lo: int, hi: int, start: int, end: int) -> bool:
        got = self._phrases.get(id(ps))
        if got is None:
            got = self._phrases[id(ps)] = ps.phrase_spans(self.sentence())
        return any(lo <= s < hi and not start <= s < end for s, _ in got)

    def _around(self, lo: int, start: int, end: int, hi: int) -> int:
        """OR of the word masks of tokens [lo, start) and [end, hi)."""
        pos = self._pos
        if pos is None:
            word = list(map(_WORD_MASK, self.infos))
            pos = self._pos = list(compress(range(self.n), word))
            self._masks = list(filter(None, word))
            self._before = list(accumulate(self._masks, or_, initial=0))
            self._after = list(accumulate(reversed(self._masks), or_, initial=0))[::-1]
        if not pos:
            return 0
        a, b = bisect_left(pos, start), bisect_left(pos, end)
        if lo == 0 and hi == self.n:
            return self._before[a] | self._after[b]
        masks = self._masks
        return reduce(or_, masks[bisect_left(pos, lo):a], 0) | reduce(or_, masks[b:bisect_left(pos, hi)], 0)

    def holds(self, rules: _Compiled, start: int, end: int) -> bool:
        """Whether a term at tokens [start, end) satisfies its rules (as `rules_hold`)."""
        near, not_near, window, not_prev, not_next, capitalized = rules
        first = self._first
        for bit, _ in near:
            if not first & bit:
                return False
        if capitalized and not self.words[start][:1].isupper():
            return False
        infos = self.infos
        if not_prev is not None and start > 0:
            bit, ps = not_prev
            if infos[start - 1][4] & bit or (ps is not None and ps.ends_at(self.sentence(), start)):
                return False
        if not_next is not None and end < self.n:
            bit, ps = not_next
            if infos[end][4] & bit or (ps is not None and ps.starts_at(self.sentence(), end)):
                return False
        if not_near is not None and not first & not_near[0]:
            not_near = None
        if not near and not_near is None:
            return True
        lo, hi = (max(0, start - window), min(self.n, end + window)) if window else (0, self.n)
        around = self._around(lo, start, end, hi)
        if not_near is not None:
            bit, ps = not_near
            if around & bit or (ps is not None and self._phrase_near(ps, lo, hi, start, end)):
                return False
        for bit, ps in near:
            if not (around & bit or (ps is not None and self._phrase_near(ps, lo, hi, start, end))):
                return False
        return True


_FIRST_MASK = itemgetter(3)


class _Records(dict):
    """Word form -> its record, computed by the index on first sight."""

    def __init__(self, index: PhraseIndex) -> None:
        super().__init__()
        self.index = index

    def __missing__(self, token: str) -> _Record:
        rec = self[token] = self.index._record(token)
        return rec


def _anchored(entry: Entry, common: frozenset[str]) -> Entry:
    """The entry with its anchor set to its last element that is not a stop word (in names and
    phrases the last content word, "Council" of "Security Council", is usually the rarer one)."""
    for j in range(len(entry.elements) - 1, -1, -1):
        if entry.elements[j][1].lower() not in common:
            return replace(entry, anchor=j) if j else entry
    return entry
