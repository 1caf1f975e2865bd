"""A batch of sentences matched in one compiled pass: `PhraseIndex.find`'s matches, faster.

`CompiledIndex.match(sentences)` tokenizes a batch (`analysis.preprocess.forms.FormTable`), looks up
each new word form's record once (`PhraseIndex.records`: lemma key, lower form, anchored entries,
rule masks), and runs every entry's elements and context rules over the forms' numbers in a numba
loop: the same entries tried at the same anchors in the same order, the same rules tested with the
same bit masks as `PhraseIndex.find` and `_RuleTest.holds`, phrases in context rules (word
sequences) looked for as `PatternSet` does. Prefix and glob elements are tested once a form (its
"features"). Every sentence's matches are those of `PhraseIndex.find`, in the same order
(``tests/test_framing_matcher_equality.py`` on real text, ``tests/test_framing_compiled.py`` on
phrase rules).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import NamedTuple

import numpy as np
from numba import njit

from analysis.framing.elements import any_glob, glob_ok
from analysis.framing.matcher import PatternSet, PhraseIndex, _Prefixes
from analysis.preprocess.forms import FormTable

_L, _S, _FEATURE = 0, 1, 2  # element checks: lemma key, lower form, a prefix or glob feature
_U1 = np.uint64(1)


@njit(cache=True, inline="always")
def _has(row: np.ndarray, b: int) -> bool:
    return (row[b >> 6] >> np.uint64(b & 63)) & _U1 != 0


@njit(cache=True, inline="always")
def _check(kind: int, v: int, g: int, f_lemma: np.ndarray, f_lower: np.ndarray, f_feat: np.ndarray) -> bool:
    """`element_ok` of one element (kind, value number) on form `g`."""
    if kind == 0:
        return f_lemma[g] == v
    if kind == 1:
        return f_lower[g] == v
    return _has(f_feat[g], v)


@njit(cache=True)
def _phrase_at_one(ph, k, lo, n, ids, forms, phrases):
    """`PatternSet._phrase_at_one`: phrase `ph` occurs at token k (and fits in the sentence).
    forms: (lemma, lower, feature) tables; phrases: (set -> phrase range, phrase -> element range,
    element kind, element value)."""
    _, ph_off, e_kind, e_val = phrases
    f_lemma, f_lower, f_feat = forms
    a, z = ph_off[ph], ph_off[ph + 1]
    if k < 0 or k + (z - a) > n:
        return False
    for e in range(a, z):
        if not _check(e_kind[e], e_val[e], ids[lo + k + e - a], f_lemma, f_lower, f_feat):
            return False
    return True


@njit(cache=True)
def _phrase_at(ps, k, lo, n, ids, forms, phrases):
    """Whether some phrase of pattern set `ps` occurs at token k."""
    ps_off = phrases[0]
    for ph in range(ps_off[ps], ps_off[ps + 1]):
        if _phrase_at_one(ph, k, lo, n, ids, forms, phrases):
            return True
    return False


@njit(cache=True)
def _phrase_near(ps, t0, t1, start, end, lo, n, ids, forms, phrases):
    """`_RuleTest._phrase_near`: a phrase of `ps` starts in [t0, t1) outside [start, end)."""
    for k in range(t0, t1):
        if (k < start or k >= end) and _phrase_at(ps, k, lo, n, ids, forms, phrases):
            return True
    return False


@njit(cache=True)
def _ends_at(ps, e, lo, n, ids, forms, phrases):
    """The phrase half of `PatternSet.ends_at`: a phrase of `ps` ends just before token e."""
    ps_off, ph_off = phrases[0], phrases[1]
    for ph in range(ps_off[ps], ps_off[ps + 1]):
        m = ph_off[ph + 1] - ph_off[ph]
        if e - m >= 0 and _phrase_at_one(ph, e - m, lo, n, ids, forms, phrases):
            return True
    return False


@njit(cache=True)
def _holds(r, start, end, lo, n, ids, forms, f_word, f_cap, first_or, around, rules_i, near_bit, near_ps,  # noqa: PLR0913, C901
           phrases):
    """`_RuleTest.holds` for rules `r` of a term at [start, end). rules_i[r]: near range, not_near
    bit and phrase set (-1: none), window, not_prev bit and set, not_next bit and set, capitalized."""
    row = rules_i[r]
    a, z, nn, nn_ps, window = row[0], row[1], row[2], row[3], row[4]
    pb, p_ps, xb, x_ps, cap = row[5], row[6], row[7], row[8], row[9]
    for k in range(a, z):
        if not _has(first_or, near_bit[k]):
            return False
    if cap and not f_cap[ids[lo + start]]:
        return False
    if pb >= 0 and start > 0:
        if _has(f_word[ids[lo + start - 1]], pb) or (p_ps >= 0 and _ends_at(p_ps, start, lo, n, ids, forms, phrases)):
            return False
    if xb >= 0 and end < n:
        if _has(f_word[ids[lo + end]], xb) or (x_ps >= 0 and _phrase_at(x_ps, end, lo, n, ids, forms, phrases)):
            return False
    if nn >= 0 and not _has(first_or, nn):
        nn = -1
    if a == z and nn < 0:
        return True
    t0, t1 = (max(0, start - window), min(n, end + window)) if window else (0, n)
    around[:] = 0
    for t in range(t0, start):
        around |= f_word[ids[lo + t]]
    for t in range(end, t1):
        around |= f_word[ids[lo + t]]
    if nn >= 0 and (_has(around, nn) or (nn_ps >= 0 and _phrase_near(nn_ps, t0, t1, start, end, lo, n, ids,
                                                                     forms, phrases))):
        return False
    for k in range(a, z):
        if not (_has(around, near_bit[k]) or (near_ps[k] >= 0 and _phrase_near(
                near_ps[k], t0, t1, start, end, lo, n, ids, forms, phrases))):
            return False
    return True


@njit(cache=True)
def _find(ids, first, forms, f_first, f_word, f_cap, f_plans, plan_order,  # noqa: PLR0913, C901
          p_len, p_anchor, p_checks, p_rule, c_rel, c_kind, c_val, rules_i, near_bit, near_ps, phrases):
    """Matches (start, end, entry) of every sentence ids[first[k]:first[k+1]], sentence k's at
    [m_off[k], m_off[k+1])."""
    f_lemma, f_lower, f_feat = forms
    n_sent = first.size - 1
    size = ids.size // 8 + 16
    m_start = np.empty(size, dtype=np.int64)
    m_end = np.empty(size, dtype=np.int64)
    m_entry = np.empty(size, dtype=np.int64)
    m_off = np.empty(n_sent + 1, dtype=np.int64)
    first_or = np.zeros(f_first.shape[1], dtype=np.uint64)
    around = np.zeros(f_word.shape[1], dtype=np.uint64)
    nm = 0
    for k in range(n_sent):
        m_off[k] = nm
        lo, n = first[k], first[k + 1] - first[k]
        have_or = False
        for i in range(n):
            f = ids[lo + i]
            for q in range(f_plans[f, 0], f_plans[f, 1]):
                p = plan_order[q]
                m, start = p_len[p], i
                if m > 1:
                    start = i - p_anchor[p]
                    if start < 0 or start + m > n:
                        continue
                    ok = True
                    for c in range(p_checks[p], p_checks[p + 1]):
                        g = ids[lo + i + c_rel[c]]
                        ok = _check(c_kind[c], c_val[c], g, f_lemma, f_lower, f_feat)
                        if not ok:
                            break
                    if not ok:
                        continue
                r = p_rule[p]
                if r >= 0:
                    if not have_or:
                        first_or[:] = 0
                        for t in range(n):
                            first_or |= f_first[ids[lo + t]]
                        have_or = True
                    if not _holds(r, start, start + m, lo, n, ids, forms, f_word, f_cap, first_or, around,
                                  rules_i, near_bit, near_ps, phrases):
                        continue
                if nm == m_start.size:
                    m_start = np.concatenate((m_start, np.empty(nm, dtype=np.int64)))
                    m_end = np.concatenate((m_end, np.empty(nm, dtype=np.int64)))
                    m_entry = np.concatenate((m_entry, np.empty(nm, dtype=np.int64)))
                m_start[nm], m_end[nm], m_entry[nm] = start, start + m, p
                nm += 1
    m_off[n_sent] = nm
    return m_off, m_start[:nm], m_end[:nm], m_entry[:nm]


class Batch(NamedTuple):
    """What `CompiledIndex.match` finds in a batch: token form numbers (`ids`) with each sentence's
    first token (`first`, plus the end), matches per sentence (`m_off`) as start, end and entry
    number (`PhraseIndex.entries`)."""

    ids: np.ndarray
    first: np.ndarray
    m_off: np.ndarray
    m_start: np.ndarray
    m_end: np.ndarray
    m_entry: np.ndarray


def _bit_index(bit: int) -> int:
    return bit.bit_length() - 1


def _mask_rows(masks: list[int], n: int) -> np.ndarray:
    """Integer bit masks as rows of `n` 64-bit words, lowest first."""
    rows = np.zeros((len(masks), n), dtype=np.uint64)
    for w in range(n):
        rows[:, w] = [(m >> (64 * w)) & 0xFFFF_FFFF_FFFF_FFFF for m in masks]
    return rows


class _Grown:
    """A NumPy array of rows grown by doubling (the per-form tables)."""

    def __init__(self, width: int, dtype: type) -> None:
        self.array = np.zeros((1024, width), dtype=dtype)
        self.n = 0

    def extend(self, rows: np.ndarray) -> None:
        need = self.n + len(rows)
        if need > len(self.array):
            bigger = np.zeros((max(need, 2 * len(self.array)), self.array.shape[1]), dtype=self.array.dtype)
            bigger[: self.n] = self.array[: self.n]
            self.array = bigger
        self.array[self.n:need] = rows
        self.n = need


class CompiledIndex:
    """A `PhraseIndex` as arrays for `_find`, and the forms seen so far (one a process and language)."""

    def __init__(self, index: PhraseIndex) -> None:
        self.index = index
        self.forms = FormTable()
        self.records: list[tuple] = []  # form number -> its record (`PhraseIndex.records`)
        entries = index.entries
        self._entry_no = {id(e): j for j, e in enumerate(entries)}
        masks = index._masks
        self._n_mask = max(1, (len(masks.bits) + 63) // 64)
        self._values: dict[str, int] = {}  # lemma keys and lower forms the elements compare with
        self._features: dict[tuple[str, str], int] = {}  # prefixes and globs the elements test
        self._sets: dict[int, int] = {}  # id(phrase pattern set) -> its number
        p_len, p_anchor, p_checks, p_rule = [], [], [0], []
        c_rel, c_kind, c_val = [], [], []
        rules_i, near_bit, near_ps = [], [], []
        self._ps_off, self._ph_off, self._e_kind, self._e_val = [0], [0], [], []
        for e in entries:
            _, m, anchor, checks, rules = index._plans[id(e)]
            p_len.append(m)
            p_anchor.append(anchor)
            for off, kind, value in checks:
                c_rel.append(off)
                code, v = self._element(kind, value)
                c_kind.append(code)
                c_val.append(v)
            p_checks.append(len(c_rel))
            if rules is None:
                p_rule.append(-1)
                continue
            near, not_near, window, not_prev, not_next, capitalized = rules
            a = len(near_bit)
            for bit, ps in near:
                near_bit.append(_bit_index(bit))
                near_ps.append(self._phrase_set(ps))
            p_rule.append(len(rules_i))
            rules_i.append((a, len(near_bit), *self._set_bit(not_near), window, *self._set_bit(not_prev),
                            *self._set_bit(not_next), int(capitalized)))
        features = self._features
        self._n_feat = max(1, (len(features) + 63) // 64)
        self._prefix_features = _Prefixes((v, j) for (k, v), j in features.items() if k == "p")
        self._glob_features = [(v, j) for (k, v), j in features.items() if k == "g"]
        self._any_glob = any_glob(v for v, _ in self._glob_features)
        i64 = np.int64
        self._static = (np.array(p_len, i64), np.array(p_anchor, i64), np.array(p_checks, i64),
                        np.array(p_rule, i64), np.array(c_rel, i64), np.array(c_kind, i64), np.array(c_val, i64),
                        np.array(rules_i, i64).reshape(-1, 10), np.array(near_bit, i64), np.array(near_ps, i64))
        self._phrases = tuple(np.array(x, i64) for x in (self._ps_off, self._ph_off, self._e_kind, self._e_val))
        self._lemma = _Grown(1, np.int64)
        self._lower = _Grown(1, np.int64)
        self._feat = _Grown(self._n_feat, np.uint64)
        self._first = _Grown(self._n_mask, np.uint64)
        self._word = _Grown(self._n_mask, np.uint64)
        self._cap = _Grown(1, np.uint8)
        self._plans = _Grown(2, np.int64)
        self._order = _Grown(1, np.int64)

    def _element(self, kind: str, value: str) -> tuple[int, int]:
        """A pattern element as (check kind, value number)."""
        if kind in "pg":
            return _FEATURE, self._features.setdefault((kind, value), len(self._features))
        return (_L if kind == "l" else _S), self._values.setdefault(value, len(self._values))

    def _phrase_set(self, ps: PatternSet | None) -> int:
        """The number of a pattern set with phrases (its phrases compiled on first sight); -1 for None."""
        if ps is None:
            return -1
        if id(ps) not in self._sets:
            self._sets[id(ps)] = len(self._sets)
            for phrase in ps.phrases:
                for kind, value in phrase:
                    code, v = self._element(kind, value)
                    self._e_kind.append(code)
                    self._e_val.append(v)
                self._ph_off.append(len(self._e_kind))
            self._ps_off.append(len(self._ph_off) - 1)
        return self._sets[id(ps)]

    def _set_bit(self, sb: tuple[int, PatternSet | None] | None) -> tuple[int, int]:
        """(bit number, phrase set number) of a compiled rule's pattern set, (-1, -1) for none."""
        return (-1, -1) if sb is None else (_bit_index(sb[0]), self._phrase_set(sb[1]))

    def _feature_mask(self, key: str, lower: str) -> int:
        """The prefix and glob features (element checks) a form with this key and lower form passes."""
        mask = 0
        for j in self._prefix_features.hits(key, lower):
            mask |= 1 << j
        if self._any_glob is not None and (self._any_glob.match(key) or self._any_glob.match(lower)):
            for g, j in self._glob_features:
                if glob_ok(g, key, lower):
                    mask |= 1 << j
        return mask

    def _add_forms(self, forms: Sequence[str]) -> None:
        """The records and per-form rows of forms seen for the first time."""
        recs = list(map(self.index.records.__getitem__, forms))
        self.records.extend(recs)
        values, entry_no = self._values, self._entry_no
        counts = np.fromiter((len(r[2]) for r in recs), dtype=np.int64, count=len(recs))
        ends = self._order.n + np.cumsum(counts)
        for table, rows in (
                (self._lemma, np.array([values.get(r[0], -1) for r in recs], dtype=np.int64)[:, None]),
                (self._lower, np.array([values.get(r[1], -1) for r in recs], dtype=np.int64)[:, None]),
                (self._feat, _mask_rows([self._feature_mask(r[0], r[1]) for r in recs], self._n_feat)),
                (self._first, _mask_rows([r[3] for r in recs], self._n_mask)),
                (self._word, _mask_rows([r[4] for r in recs], self._n_mask)),
                (self._cap, np.array([f[:1].isupper() for f in forms], dtype=np.uint8)[:, None]),
                (self._plans, np.stack((ends - counts, ends), axis=1)),
                (self._order, np.array([entry_no[id(p[0])] for r in recs for p in r[2]], dtype=np.int64)[:, None])):
            table.extend(rows)

    def match(self, sentences: Sequence[str]) -> Batch:
        """Tokens and matches of every sentence of a batch (see `Batch`)."""
        seen = len(self.forms)
        ids, first = self.forms.encode(sentences)
        if len(self.forms) > seen:
            self._add_forms(self.forms.forms[seen:])
        forms = (self._lemma.array[:, 0], self._lower.array[:, 0], self._feat.array)
        out = _find(ids, first, forms, self._first.array, self._word.array, self._cap.array[:, 0],
                    self._plans.array, self._order.array[:, 0], *self._static, self._phrases)
        return Batch(ids, first, *out)


__all__ = ["Batch", "CompiledIndex"]
