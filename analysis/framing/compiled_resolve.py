"""A batch's matches resolved in one compiled pass: frames, terms and partners as `FrameDetector._resolve` gives them.

`BatchResolver.resolve(batch)` takes what `analysis.framing.compiled.CompiledIndex.match` found and
applies the detector's rules sentence by sentence in a numba loop, step for step as
`FrameDetector._resolve`: partner names inside a longer name dropped, an exact alias beating a
compound glob on the same words, frame words inside a partner's name dropped, one term per frame and
span (`_outermost`), and a partner kept as a counterpart unless it is a threat's source
(`_is_threat_source`), or a state named as a place (`_is_place`) or as the holder of a view
(`_is_view_holder`). The gazetteer's cue words are tested once a word form (`PatternSet.test`).
``tests/test_framing_matcher_equality.py`` (real text) and ``tests/test_framing_compiled.py`` pin equality
with `FrameDetector.detect`.
"""

from __future__ import annotations

from typing import Any, NamedTuple

import numpy as np
from numba import njit

from analysis.framing.compiled import Batch, CompiledIndex

# the per-form flags the rules read
SKIP, SOURCE, LOCATIVE, VIEW, HOLDER, CONJUNCTION, BE, OF, CAPITAL, S = 1, 2, 4, 8, 16, 32, 64, 128, 256, 512
_CONJUNCTIONS = frozenset({"and", "or", "и", "или"})


@njit(cache=True, inline="always")
def _inside(s: int, e: int, os: int, oe: int) -> bool:
    """[s, e) lies in the strictly longer [os, oe)."""
    return os <= s and e <= oe and (oe - os) > (e - s)


@njit(cache=True)
def _outside(src, n, outer, n_outer, m_start, m_end, dst) -> int:
    """Copies to `dst` (which may be `src`) the matches of src[:n] that lie inside no strictly longer
    match of outer[:n_outer], in order; returns how many."""
    q = 0
    for x in range(n):
        j, inner = src[x], False
        for y in range(n_outer):
            if _inside(m_start[j], m_end[j], m_start[outer[y]], m_end[outer[y]]):
                inner = True
                break
        if not inner:
            dst[q] = j
            q += 1
    return q


@njit(cache=True)
def _previous_word(start: int, lo: int, ids: np.ndarray, ff: np.ndarray) -> int:
    k = start - 1
    while k >= 0 and ff[ids[lo + k]] & SKIP:
        k -= 1
    return k


@njit(cache=True)
def _threat_source(p, lo, ids, ff, m_start, m_end, threats, n_t, coops, n_c, window):  # noqa: PLR0913
    """`FrameDetector._is_threat_source` of partner match p (threats, coops: match numbers)."""
    ps, pe = m_start[p], m_end[p]
    k = _previous_word(ps, lo, ids, ff)
    cue = k >= 0 and ff[ids[lo + k]] & SOURCE != 0
    for x in range(n_t):
        t = threats[x]
        if cue and m_end[t] <= k and ps - m_end[t] <= window:
            between = False
            for y in range(n_c):
                c = coops[y]
                if m_end[t] <= m_start[c] < ps:
                    between = True
                    break
            if not between:
                return True
        if m_start[t] == pe or (m_start[t] == pe + 1 and ff[ids[lo + pe]] & S != 0):
            return True
    if cue and n_t:
        best, best_gap, best_threat = -1, 0, False
        for x in range(n_c + n_t):  # coops first: a tie goes to cooperation
            m = coops[x] if x < n_c else threats[x - n_c]
            gap = ps - m_end[m] if m_end[m] <= ps else m_start[m] - pe
            if best < 0 or gap < best_gap:
                best, best_gap, best_threat = m, gap, x >= n_c
        return best_threat and best_gap <= window
    return False


@njit(cache=True)
def _view_holder(ps, pe, lo, n, ids, ff) -> bool:
    """`FrameDetector._is_view_holder` of a partner at [ps, pe)."""
    k = ps - 1
    while k >= 0 and ff[ids[lo + k]] & (SKIP | HOLDER):
        k -= 1
    if k >= 0 and ff[ids[lo + k]] & VIEW:
        return True
    j = pe
    while j < n and ff[ids[lo + j]] & HOLDER:
        j += 1
    if j + 2 < n and ff[ids[lo + j]] & BE and ff[ids[lo + j + 1]] & OF:
        for i in range(j + 2, min(j + 4, n)):
            if ff[ids[lo + i]] & VIEW:
                return True
    return False


@njit(cache=True)
def _place(ps, lo, ids, ff) -> bool:
    """`FrameDetector._is_place` of a partner starting at ps."""
    k = _previous_word(ps, lo, ids, ff)
    if k >= 0 and ff[ids[lo + k]] & CONJUNCTION:
        j = k - 1
        while j >= 0 and j >= k - 4 and ff[ids[lo + j]] & (CAPITAL | SKIP):
            j -= 1
        return j >= 0 and j < k - 1 and ff[ids[lo + j]] & LOCATIVE != 0
    return k >= 0 and ff[ids[lo + k]] & LOCATIVE != 0


@njit(cache=True)
def _resolve(ids, first, m_off, m_start, m_end, m_entry, e_frame, e_glob, e_label, e_name, e_state,  # noqa: PLR0913, C901
             ff, window, threat, coop):
    """Per sentence: the frames marked (a bit each), the term labels and the partner names kept
    (numbers, in order of first occurrence: sentence k's at [t_off[k], t_off[k+1]), [c_off[k], ...))."""
    n_sent = first.size - 1
    marks = np.zeros(n_sent, dtype=np.int64)
    t_off = np.empty(n_sent + 1, dtype=np.int64)
    c_off = np.empty(n_sent + 1, dtype=np.int64)
    t_lab = np.empty(m_start.size, dtype=np.int64)
    c_nam = np.empty(m_start.size, dtype=np.int64)
    most = 1
    for k in range(n_sent):
        most = max(most, m_off[k + 1] - m_off[k])
    part, part2, frame = np.empty(most, dtype=np.int64), np.empty(most, dtype=np.int64), np.empty(most, dtype=np.int64)
    kept, threats, coops = np.empty(most, dtype=np.int64), np.empty(most, dtype=np.int64), np.empty(most, dtype=np.int64)
    nt = nc = 0
    for k in range(n_sent):
        t_off[k], c_off[k] = nt, nc
        a, z = m_off[k], m_off[k + 1]
        if a == z:
            continue
        lo, n = first[k], first[k + 1] - first[k]
        n_p = n_f = 0
        for j in range(a, z):
            if e_frame[m_entry[j]] < 0:
                part[n_p] = j
                n_p += 1
            else:
                frame[n_f] = j
                n_f += 1
        if n_p:
            q = _outside(part, n_p, part, n_p, m_start, m_end, part2)  # the outermost partner names
            n_p = 0  # an exact alias beats a compound glob on the same words
            for x in range(q):
                j, beaten = part2[x], False
                if e_glob[m_entry[j]]:
                    for y in range(q):
                        o = part2[y]
                        if not e_glob[m_entry[o]] and m_start[o] == m_start[j] and m_end[o] == m_end[j]:
                            beaten = True
                            break
                if not beaten:
                    part[n_p] = j
                    n_p += 1
            n_f = _outside(frame, n_f, part, n_p, m_start, m_end, frame)  # a frame word in a name is no cue
        n_k = 0  # one term per frame and span, the outermost of each frame
        for x in range(n_f):
            j, inner = frame[x], False
            for y in range(n_f):
                o = frame[y]
                if e_frame[m_entry[o]] == e_frame[m_entry[j]] and _inside(m_start[j], m_end[j], m_start[o], m_end[o]):
                    inner = True
                    break
            if inner:
                continue
            repeat = False
            for y in range(n_k):
                o = kept[y]
                if e_frame[m_entry[o]] == e_frame[m_entry[j]] and m_start[o] == m_start[j] and m_end[o] == m_end[j]:
                    repeat = True
                    break
            if repeat:
                continue
            kept[n_k] = j
            n_k += 1
            marks[k] |= 1 << e_frame[m_entry[j]]
            label, known = e_label[m_entry[j]], False
            for y in range(t_off[k], nt):
                if t_lab[y] == label:
                    known = True
                    break
            if not known:
                t_lab[nt] = label
                nt += 1
        if n_p:
            n_t = n_c = 0
            for x in range(n_f):
                j = frame[x]
                if e_frame[m_entry[j]] == threat:
                    threats[n_t] = j
                    n_t += 1
                elif e_frame[m_entry[j]] == coop:
                    coops[n_c] = j
                    n_c += 1
            for x in range(n_p):
                p = part[x]
                name, known = e_name[m_entry[p]], False
                for y in range(c_off[k], nc):
                    if c_nam[y] == name:
                        known = True
                        break
                if known or _threat_source(p, lo, ids, ff, m_start, m_end, threats, n_t, coops, n_c, window):
                    continue
                if e_state[m_entry[p]] and (_place(m_start[p], lo, ids, ff)
                                            or _view_holder(m_start[p], m_end[p], lo, n, ids, ff)):
                    continue
                c_nam[nc] = name
                nc += 1
    t_off[n_sent], c_off[n_sent] = nt, nc
    return marks, t_off, t_lab[:nt], c_off, c_nam[:nc]


class Resolved(NamedTuple):
    """A batch resolved: per sentence the frames marked (bit j: frame j), and the numbers of its
    term labels (`labels`) and partner names (`names`) in CSR form."""

    marks: np.ndarray
    t_off: np.ndarray
    t_lab: np.ndarray
    c_off: np.ndarray
    c_nam: np.ndarray


class BatchResolver:
    """The detector's resolution rules as arrays for one language (built with its `CompiledIndex`)."""

    def __init__(self, index: CompiledIndex, frames: list[str], gazetteer: Any, cues: dict[str, Any]) -> None:
        self.index = index
        self.labels: list[str] = []
        self.names: list[str] = []
        label_no: dict[str, int] = {}
        name_no: dict[str, int] = {}
        e_frame, e_glob, e_label, e_name, e_state = [], [], [], [], []
        for e in index.index.entries:
            kind = e.payload[0]
            e_glob.append(e.elements[0][0] == "g")
            if kind == "partner":
                name = e.payload[1]
                e_frame.append(-1)
                e_label.append(-1)
                e_name.append(name_no.setdefault(name, len(name_no)))
                e_state.append(gazetteer.kind_of(name) == "state")
            else:
                e_frame.append(frames.index(kind))
                e_label.append(label_no.setdefault(f"{kind}.{e.payload[1]}:{e.payload[2]}", len(label_no)))
                e_name.append(-1)
                e_state.append(False)
        self.labels = list(label_no)
        self.names = list(name_no)
        i64 = np.int64
        self._entries = (np.array(e_frame, i64), np.array(e_glob, np.bool_), np.array(e_label, i64),
                         np.array(e_name, i64), np.array(e_state, np.bool_))
        self._cues = [(bit, cues[name]) for bit, name in ((SKIP, "skip_words"), (SOURCE, "source_cues"),
                                                           (LOCATIVE, "locative_cues"), (VIEW, "view_cues"),
                                                           (HOLDER, "holder_words"))]
        self._window = int(gazetteer.source_window)
        self._threat = frames.index("threat") if "threat" in frames else -2
        self._coop = frames.index("cooperation") if "cooperation" in frames else -2
        self._flags = np.zeros(0, dtype=np.int64)

    def _update(self) -> None:
        """Flags of the forms the index met since the last batch."""
        seen = len(self._flags)
        forms, records = self.index.forms.forms, self.index.records
        if len(forms) == seen:
            return
        new = []
        for form, rec in zip(forms[seen:], records[seen:], strict=True):
            key, lower = rec[0], rec[1]
            f = 0
            for bit, ps in self._cues:
                if ps.test(key, lower):
                    f |= bit
            f |= (CONJUNCTION if lower in _CONJUNCTIONS else 0) | (BE if key == "be" else 0)
            f |= (OF if lower == "of" else 0) | (S if lower == "s" else 0)
            f |= CAPITAL if form[:1].isupper() else 0
            new.append(f)
        self._flags = np.concatenate((self._flags, np.array(new, dtype=np.int64)))

    def resolve(self, b: Batch) -> Resolved:
        self._update()
        return Resolved(*_resolve(b.ids, b.first, b.m_off, b.m_start, b.m_end, b.m_entry, *self._entries,
                                  self._flags, self._window, self._threat, self._coop))


__all__ = ["BatchResolver", "Resolved"]
