"""The Python matcher the compiled one must equal: every entry tried at every word whose form its
anchor element matches, all its elements checked one by one, context rules on the full lists of
spans, matches in the documented order (anchor position; then longest entry, lemma, form,
prefix and glob anchors, entry order)."""

from __future__ import annotations

from analysis.framing.elements import element_ok
from analysis.framing.matcher import Match, PhraseIndex, Sentence

_GROUP = {"l": 0, "s": 1, "p": 2, "g": 3}


def reference_rules_hold(rules, sent: Sentence, start: int, end: int) -> bool:
    """Context rules tested on every span of every pattern set (the plain definition)."""
    if rules.capitalized and not sent.words[start][:1].isupper():
        return False
    if rules.not_prev is not None and start > 0 and any(e == start for _, e in rules.not_prev.spans(sent)):
        return False
    if rules.not_next is not None and end < sent.n and any(s == end for s, _ in rules.not_next.spans(sent)):
        return False
    lo, hi = (start - rules.window, end + rules.window) if rules.window else (0, sent.n)

    def around(s: int) -> bool:
        return lo <= s < hi and not start <= s < end

    if rules.not_near is not None and any(around(s) for s, _ in rules.not_near.spans(sent)):
        return False
    return all(any(around(s) for s, _ in group.spans(sent)) for group in rules.near)


class PythonMatcher:
    """The reference matcher over a compiled index's entries (one per index)."""

    def __init__(self, index: PhraseIndex) -> None:
        self.index = index
        self.by_lemma: dict[str, list[tuple[int, object]]] = {}
        self.others: list[tuple[int, object]] = []
        for j, e in enumerate(index.entries):
            kind, value = e.elements[e.anchor]
            (self.by_lemma.setdefault(value, []) if kind == "l" else self.others).append((j, e))
        self._candidates: dict[tuple[str, str], list] = {}

    def candidates(self, info: tuple[str, str]) -> list:
        """The entries a word anchors, in the order they are tried."""
        key = (info[0], info[1])
        got = self._candidates.get(key)
        if got is None:
            found = list(self.by_lemma.get(info[0], ()))
            found += [(j, e) for j, e in self.others if element_ok(e.elements[e.anchor], key)]
            found.sort(key=lambda je: (-len(je[1].elements), _GROUP[je[1].elements[je[1].anchor][0]], je[0]))
            got = self._candidates[key] = [e for _, e in found]
        return got

    def find(self, words: list[str], infos: list[tuple]) -> list[Match]:
        sent = Sentence(words, infos)
        out = []
        for i, info in enumerate(infos):
            for entry in self.candidates(info):
                m, start = len(entry.elements), i - entry.anchor
                if start < 0 or start + m > len(words):
                    continue
                if not all(element_ok(el, infos[start + j]) for j, el in enumerate(entry.elements)):
                    continue
                if entry.rules.empty or reference_rules_hold(entry.rules, sent, start, start + m):
                    out.append(Match(start, start + m, entry))
        return out
