"""Word forms of many sentences in one compiled pass: `tokenize`'s tokens, each numbered by its form.

`FormTable.encode(sentences)` splits a batch of sentences into the tokens `analysis.preprocess.tokenize`
gives (its regular expression, `text._TOKEN`, followed rule for rule by a numba loop over the
batch's code points: an acronym of two or more "letter." pairs not followed by a word character,
else a run of word characters joined by inner hyphens) and gives each token the number of its
form, counted from 0 in order of first sight and kept across batches. What a form stands for
(its lemma, the frame terms it anchors) is then looked up once a form, not once a token.
``tests/test_preprocess_forms.py`` pins equality with `tokenize` on real and random text.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache

import numpy as np
from numba import njit

from analysis.preprocess.text import _TOKEN

WORD, LETTER, HYPHEN, DOT = 1, 2, 4, 8  # character classes, as bits of `char_classes()`
_N_CODES = 0x110000


@lru_cache(maxsize=1)
def char_classes() -> np.ndarray:
    """One byte a code point: WORD for `[^\\W_]`, LETTER for `[^\\W\\d_]`, HYPHEN for `[-‐]`, DOT
    for "." (read off the regular expressions themselves, so they agree with `_TOKEN`)."""
    if _TOKEN.pattern != r"(?:[^\W\d_]\.){2,}(?![^\W_])|[^\W_]+(?:[-‐][^\W_]+)*":
        raise RuntimeError("text._TOKEN changed: forms._token_end must follow it (tests/test_preprocess_forms.py)")
    every = "".join(map(chr, range(_N_CODES)))
    classes = np.zeros(_N_CODES, dtype=np.uint8)
    for bit, pattern in ((WORD, r"[^\W_]"), (LETTER, r"[^\W\d_]"), (HYPHEN, r"[-‐]"), (DOT, r"\.")):
        at = np.fromiter((m.start() for m in re.finditer(pattern, every)), dtype=np.int64)
        classes[at] |= bit
    return classes


@njit(cache=True)
def _token_end(cps: np.ndarray, classes: np.ndarray, i: int, n: int) -> int:
    """End of the token that starts at `i` (a WORD character), as `_TOKEN` matches it."""
    if classes[cps[i]] & LETTER:  # an acronym: (letter "."){2,} not followed by a word character
        j, pairs = i, 0
        while j + 1 < n and classes[cps[j]] & LETTER and classes[cps[j + 1]] & DOT:
            j += 2
            pairs += 1
        if pairs >= 2 and not (j < n and classes[cps[j]] & WORD):
            return j
    j = i
    while j < n and classes[cps[j]] & WORD:
        j += 1
    while j + 1 < n and classes[cps[j]] & HYPHEN and classes[cps[j + 1]] & WORD:
        j += 1
        while j < n and classes[cps[j]] & WORD:
            j += 1
    return j


@njit(cache=True)
def _hash(cps: np.ndarray, start: int, end: int) -> np.uint64:
    h = np.uint64(14695981039346656037)
    for k in range(start, end):
        h = (h ^ np.uint64(cps[k])) * np.uint64(1099511628211)
    return h


@njit(cache=True)
def _same(cps: np.ndarray, start: int, end: int, arena: np.ndarray, offset: int, length: int) -> bool:
    if end - start != length:
        return False
    for k in range(length):
        if cps[start + k] != arena[offset + k]:
            return False
    return True


_HASH, _FORM, _OFFSET, _LENGTH = 0, 1, 2, 3  # a slot of the table: one cache line for a lookup
_NONE = np.uint64(0xFFFF_FFFF_FFFF_FFFF)  # the form number of an empty slot


@njit(cache=True)
def _rehash(slots: np.ndarray) -> np.ndarray:
    """The table at twice the size, every form in its new slot."""
    new = np.full((2 * slots.shape[0], 4), 0xFFFF_FFFF_FFFF_FFFF, dtype=np.uint64)
    mask = np.uint64(new.shape[0] - 1)
    for old in range(slots.shape[0]):
        if slots[old, 1] != _NONE:
            s = slots[old, 0] & mask
            while new[s, 1] != _NONE:
                s = (s + np.uint64(1)) & mask
            new[s] = slots[old]
    return new


@njit(cache=True)
def _encode(cps, classes, bounds, slots, arena, n_forms, used):  # noqa: PLR0913
    """Tokens of the sentences cps[bounds[k]:bounds[k+1]] as form numbers, new forms added to the
    table (open addressing on `slots`: hash, form, offset and length of its code points in `arena`).
    Returns the form numbers, each sentence's first token, where and how long each new form first
    occurs, and the grown table."""
    n_sent = bounds.size - 1
    ids = np.empty(cps.size // 2 + 1, dtype=np.int64)
    first = np.empty(n_sent + 1, dtype=np.int64)
    seen_at = np.empty(cps.size // 2 + 1, dtype=np.int64)
    seen_len = np.empty(cps.size // 2 + 1, dtype=np.int64)
    n_tok, n_new = 0, 0
    mask = np.uint64(slots.shape[0] - 1)
    for k in range(n_sent):
        first[k] = n_tok
        i, n = bounds[k], bounds[k + 1]
        while i < n:
            if not classes[cps[i]] & WORD:
                i += 1
                continue
            j = _token_end(cps, classes, i, n)
            h = _hash(cps, i, j)
            s = h & mask
            while True:
                f = slots[s, 1]
                if f == _NONE or (slots[s, 0] == h and _same(cps, i, j, arena, slots[s, 2], slots[s, 3])):
                    break
                s = (s + np.uint64(1)) & mask
            if f == _NONE:  # a new form
                if used + (j - i) > arena.size:
                    arena = np.concatenate((arena, np.empty(max(arena.size, j - i), dtype=np.uint32)))
                f = np.uint64(n_forms)
                slots[s, 0], slots[s, 1], slots[s, 2], slots[s, 3] = h, f, used, j - i
                arena[used:used + j - i] = cps[i:j]
                used += j - i
                n_forms += 1
                seen_at[n_new], seen_len[n_new] = i, j - i
                n_new += 1
                if 2 * n_forms > slots.shape[0]:
                    slots = _rehash(slots)
                    mask = np.uint64(slots.shape[0] - 1)
            ids[n_tok] = f
            n_tok += 1
            i = j
    first[n_sent] = n_tok
    return ids[:n_tok].copy(), first, seen_at[:n_new].copy(), seen_len[:n_new].copy(), slots, arena, n_forms, used


class FormTable:
    """Distinct word forms numbered in order of first sight, grown batch by batch (one a process)."""

    def __init__(self) -> None:
        self.forms: list[str] = []
        self._slots = np.full((1 << 12, 4), _NONE, dtype=np.uint64)
        self._arena = np.empty(1 << 14, dtype=np.uint32)
        self._used = 0

    def __len__(self) -> int:
        return len(self.forms)

    def encode(self, sentences: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
        """(form numbers of all tokens, index of each sentence's first token plus the end): the
        tokens of sentence k are `ids[first[k]:first[k + 1]]`, and `forms[ids[t]]` equals
        `tokenize(sentences[k])` token for token. New forms are appended to `forms`."""
        text = "\n".join(sentences)  # a line break is no word character: no token spans two sentences
        cps = np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
        lengths = np.fromiter(map(len, sentences), dtype=np.int64, count=len(sentences))
        bounds = np.zeros(len(sentences) + 1, dtype=np.int64)  # sentence k: cps[bounds[k]:bounds[k+1]]
        np.cumsum(lengths + 1, out=bounds[1:])  # (with its line break: it ends no token differently)
        bounds[-1] = cps.size
        ids, first, seen_at, seen_len, self._slots, self._arena, _, self._used = _encode(
            cps, char_classes(), bounds, self._slots, self._arena, len(self.forms), self._used)
        self.forms.extend(text[a:a + n] for a, n in zip(seen_at.tolist(), seen_len.tolist(), strict=True))
        return ids, first


__all__ = ["FormTable", "char_classes"]
