"""Context rules of a term: the pattern sets tested around it and how a sentence is prepared for them.

Context rules on a term (all optional): `near` (one list of patterns: any of them; a list of
lists: one of each list) within `window` tokens either side (0: anywhere in the sentence),
`not_near` (none of them within the window), `not_prev` / `not_next` (the token just before /
after the term is none of them), `capitalized` (the term's first word starts with a capital).
`rules_hold` is the definition; `analysis.framing.matcher` tests the same rules with per-form bit masks.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from operator import itemgetter
from typing import Any

from analysis.framing.elements import Element, Lemmatizer, element_ok, glob_ok, term_elements

_SEP = "\x1f"  # joins a sentence's lemma keys for prefix tests (never inside a token)
_KEY, _LOWER = itemgetter(0), itemgetter(1)


class Sentence:
    """One sentence prepared for matching: word forms, (lemma key, lower form) per token, and
    where each lemma key and lower form occurs, so context rules test sets, not token loops."""

    __slots__ = ("words", "infos", "n", "_key_pos", "_low_pos", "_spans", "_keys", "_lows", "_joined")

    def __init__(self, words: Sequence[str], infos: Sequence[tuple[str, str]]) -> None:
        self.words = words
        self.infos = infos
        self.n = len(words)
        self._key_pos: dict[str, list[int]] | None = None
        self._low_pos: dict[str, list[int]] | None = None
        self._spans: dict[int, list[tuple[int, int]]] = {}
        self._keys: set[str] | None = None
        self._lows: set[str] | None = None
        self._joined: str | None = None

    def key_set(self) -> set[str]:
        """The sentence's lemma keys (built on first use)."""
        if self._keys is None:
            self._keys = set(map(_KEY, self.infos))
        return self._keys

    def low_set(self) -> set[str]:
        """The sentence's lower-cased forms (built on first use)."""
        if self._lows is None:
            self._lows = set(map(_LOWER, self.infos))
        return self._lows

    def joined_keys(self) -> str:
        """The lemma keys and lower forms joined by a separator, each preceded by it: a prefix `p`
        starts some key or form exactly when `_SEP + p` occurs in this string."""
        if self._joined is None:
            self._joined = _SEP + _SEP.join(map(_KEY, self.infos)) + _SEP + _SEP.join(map(_LOWER, self.infos))
        return self._joined

    def key_positions(self) -> dict[str, list[int]]:
        """Lemma key -> token positions (built on first use)."""
        if self._key_pos is None:
            pos: dict[str, list[int]] = {}
            for j, info in enumerate(self.infos):
                k = info[0]
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
            for j, info in enumerate(self.infos):
                w = info[1]
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
    globs: tuple[str, ...] = ()
    _memo: dict = field(default_factory=dict, compare=False, hash=False, repr=False)
    # lemma keys, lower forms, (separator +) prefixes and globs that can begin a match, for `could_match`
    _first_keys: frozenset = field(default=frozenset(), init=False, compare=False, hash=False, repr=False)
    _first_lows: frozenset = field(default=frozenset(), init=False, compare=False, hash=False, repr=False)
    _first_prefixes: tuple = field(default=(), init=False, compare=False, hash=False, repr=False)
    _first_globs: tuple = field(default=(), init=False, compare=False, hash=False, repr=False)

    def __post_init__(self) -> None:
        keys, lows, prefixes, globs = set(self.lemmas), set(self.surfaces), list(self.prefixes), list(self.globs)
        for phrase in self.phrases:
            kind, value = phrase[0]
            {"l": keys.add, "s": lows.add, "p": prefixes.append, "g": globs.append}[kind](value)
        object.__setattr__(self, "_first_keys", frozenset(keys))
        object.__setattr__(self, "_first_lows", frozenset(lows))
        object.__setattr__(self, "_first_prefixes", tuple(dict.fromkeys(_SEP + p for p in prefixes)))
        object.__setattr__(self, "_first_globs", tuple(dict.fromkeys(globs)))

    @classmethod
    def build(cls, words: Iterable[str], lemmatizer: Lemmatizer) -> PatternSet:
        lemmas, prefixes, surfaces, phrases, globs = set(), [], set(), [], []
        for word in words:
            for elements in term_elements(str(word), lemmatizer):
                if len(elements) > 1:
                    phrases.append(elements)
                    continue
                for kind, value in elements:
                    if kind == "l":
                        lemmas.add(value)
                    elif kind == "p":
                        prefixes.append(value)
                    elif kind == "g":
                        globs.append(value)
                    else:
                        surfaces.add(value)
        return cls(frozenset(lemmas), tuple(prefixes), frozenset(surfaces), tuple(phrases), tuple(globs))

    def test(self, key: str, lower: str) -> bool:
        """Whether one token (lemma key, lower-cased form) is one of the one-word patterns."""
        return key in self.lemmas or lower in self.surfaces or (
            bool(self.prefixes) and (key.startswith(self.prefixes) or lower.startswith(self.prefixes))) or (
            bool(self.globs) and any(glob_ok(g, key, lower) for g in self.globs))

    def could_match(self, sent: Sentence) -> bool:
        """False when no pattern can match anywhere in the sentence (a cheap necessary test:
        the first element of some pattern occurs); True means `spans` may find something."""
        if self._first_keys and not self._first_keys.isdisjoint(sent.key_set()):
            return True
        if self._first_lows and not self._first_lows.isdisjoint(sent.low_set()):
            return True
        if self._first_prefixes:
            joined = sent.joined_keys()
            for p in self._first_prefixes:
                if p in joined:
                    return True
        if self._first_globs:
            return any(glob_ok(g, info[0], info[1]) for g in self._first_globs for info in sent.infos)
        return False

    def starts_at(self, sent: Sentence, k: int) -> bool:
        """Whether some match (one word or a phrase) starts at token `k` (0 <= k < n)."""
        infos = sent.infos
        if self.test(infos[k][0], infos[k][1]):
            return True
        if self.phrases:
            n = sent.n
            return any(k + len(ph) <= n and self._phrase_at_one(ph, infos, k) for ph in self.phrases)
        return False

    def ends_at(self, sent: Sentence, e: int) -> bool:
        """Whether some match (one word or a phrase) ends just before token `e` (0 < e <= n)."""
        infos = sent.infos
        if self.test(infos[e - 1][0], infos[e - 1][1]):
            return True
        if self.phrases:
            return any(e - len(ph) >= 0 and self._phrase_at_one(ph, infos, e - len(ph)) for ph in self.phrases)
        return False

    @staticmethod
    def _phrase_at_one(phrase: tuple[Element, ...], infos: Sequence[tuple[str, str]], k: int) -> bool:
        for j, element in enumerate(phrase):
            if not element_ok(element, infos[k + j]):
                return False
        return True

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
        if self.prefixes:  # forms the lemma does not start with a prefix (simplemma misses)
            low = sent.low_positions()
            for w, js in low.items():
                if w.startswith(self.prefixes):
                    out.extend((j, j + 1) for j in js)
        if self.surfaces:
            low = sent.low_positions()
            for w in self.surfaces.intersection(low):
                out.extend((j, j + 1) for j in low[w])
        if self.globs:
            out.extend((j, j + 1) for j, info in enumerate(sent.infos)
                       if any(glob_ok(g, info[0], info[1]) for g in self.globs))
        if self.phrases:
            out.extend(self.phrase_spans(sent))
        return out

    def phrase_spans(self, sent: Sentence) -> list[tuple[int, int]]:
        """(start, end) spans of the phrases (patterns of two or more words) in a sentence."""
        out: list[tuple[int, int]] = []
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
                    starts = sorted({j for j, info in enumerate(infos) if element_ok(phrase[0], info)})
                for k in starts:
                    if k + m <= n and all(element_ok(phrase[j], infos[k + j]) for j in range(1, m)):
                        out.append((k, k + m))
        return out

    def __bool__(self) -> bool:
        return bool(self.lemmas or self.prefixes or self.surfaces or self.phrases or self.globs)


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


def rules_hold(rules: Rules, sent: Sentence, start: int, end: int) -> bool:
    """Whether a term found at tokens [start, end) of a sentence satisfies its context rules.

    The conditions are pure tests joined by "and", so the cheapest go first: a `near` group
    whose words do not occur in the sentence at all fails without computing any span.
    """
    near = rules.near
    for group in near:
        if not group.could_match(sent):
            return False
    if rules.capitalized and not sent.words[start][:1].isupper():
        return False
    if rules.not_prev is not None and start > 0 and rules.not_prev.ends_at(sent, start):
        return False
    if rules.not_next is not None and end < sent.n and rules.not_next.starts_at(sent, end):
        return False
    not_near = rules.not_near
    if not_near is not None and not not_near.could_match(sent):
        not_near = None
    if not near and not_near is None:
        return True
    if rules.window:
        lo, hi = start - rules.window, end + rules.window
    else:
        lo, hi = 0, sent.n
    if not_near is not None:
        for s, _ in sent.spans(not_near):
            if lo <= s < hi and not start <= s < end:
                return False
    for group in near:
        for s, _ in sent.spans(group):
            if lo <= s < hi and not start <= s < end:
                break
        else:
            return False
    return True
