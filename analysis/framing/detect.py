"""Frame detection per sentence: THREAT, MULTIPOLARITY, COOPERATION and the partners named.

Dictionary method with context rules over lemmas (cf. Laver and Garry 2000; Young and Soroka
2012 for lexicon-based coding of political text), following the project codebook
(`docs/codebook.md`). `FrameDetector.detect` is the definition (one sentence, Python); `detect_processed_batch`,
the pure per-batch step (documents -> sentence table), gets the same in compiled passes (`detect_many`);
`detect_frames` runs it over the `Tokens` of a corpus and aggregates (see `analysis.framing.aggregate`).
"""

from __future__ import annotations

import logging
import shutil
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

import numpy as np
import pandas as pd

from analysis.errors import ParameterError, check_choice, check_int
from analysis.framing.elements import Lemmatizer
from analysis.framing.gazetteer import Gazetteer, load_gazetteer
from analysis.framing.lexicon import CORE_FRAMES, LANGUAGES, PARTNER_SEP, Lexicon, load_lexicon
from analysis.framing.matcher import Match, PatternSet, PhraseIndex
from analysis.framing.sentences import (
    SENTENCE_COLUMNS,
    SentenceTable,
    load_sentence_frames,
    partition_counts,
    rows_frame,
    scratch_folder,
    write_part,
)
from analysis.preprocess import ProcessedDoc, Tokens
from analysis.preprocess.cache import PARTS
from analysis.preprocess.engine import Engine, Lazy, chunks, engine_for, per_document
from analysis.preprocess.periods import check_period
from analysis.preprocess.text import tokenize
from analysis.results import Result, cache_key, cached, output_folder, result_params
from analysis.stats import CI_LEVEL, N_BOOT

if TYPE_CHECKING:
    from analysis.framing.compiled import CompiledIndex
    from analysis.framing.compiled_resolve import BatchResolver

logger = logging.getLogger(__name__)

DETECTORS = ("lexicon", "supervised", "both")
TOKENS_COLUMNS = ("n_sentences", "n_words", "n_tokens")  # added by `preprocess` to the corpus metadata

Progress = Callable[[int, int], None]
_CONJUNCTIONS = frozenset({"and", "or", "и", "или"})


@dataclass(frozen=True)
class SentenceFrames:
    """What the lexicon finds in one sentence.

    `flags`: one bool per frame (detector order); `candidates`: partners named as counterparts
    (reported only when the sentence is COOPERATION); `terms`: "frame.subframe:term" matched.
    """

    flags: tuple[bool, ...]
    candidates: tuple[str, ...] = ()
    terms: tuple[str, ...] = ()
    n_tokens: int = 0

    def partners(self, cooperation: bool) -> tuple[str, ...]:
        return self.candidates if cooperation else ()


@dataclass
class _Compiled:
    lemmatizer: Lemmatizer
    index: PhraseIndex
    source_cues: PatternSet
    locative_cues: PatternSet
    skip_words: PatternSet
    view_cues: PatternSet
    holder_words: PatternSet
    batch: CompiledIndex | None = None  # the index and the resolution as arrays, for `detect_many`
    resolver: BatchResolver | None = None  # (built on first use)


class FrameDetector:
    """The lexicon and gazetteer compiled for matching, one index per language.

    Parameters
    ----------
    lexicon : a `Lexicon` (default: the shipped one; see `load_lexicon` to add your own terms).
    gazetteer : a `Gazetteer` (default: the shipped one).

    Examples
    --------
    >>> d = FrameDetector()
    >>> r = d.detect("We held joint exercises with the CSTO against terrorism.")
    >>> dict(zip(d.frames, r.flags)), r.candidates
    ({'threat': True, 'multipolarity': False, 'cooperation': True}, ('CSTO',))
    """

    def __init__(self, lexicon: Lexicon | None = None, gazetteer: Gazetteer | None = None) -> None:
        self.lexicon = lexicon or load_lexicon()
        self.gazetteer = gazetteer or load_gazetteer()
        self.frames: list[str] = self.lexicon.frame_names
        self._frame_pos = {f: i for i, f in enumerate(self.frames)}
        self._compiled: dict[str, _Compiled] = {}
        self._empty = SentenceFrames(tuple(False for _ in self.frames))
        self._nothing: dict[int, SentenceFrames] = {0: self._empty}  # no frame, by token count
        self._labels: dict[int, str] = {}  # id(entry) -> "frame.subframe:term"
        self._marks: list[tuple[bool, ...]] = []  # frame bits -> flags, for `detect_many`

    def compiled(self, language: str) -> _Compiled:
        """The index for one language, built on first use."""
        if language not in self._compiled:
            check_choice("language", language, LANGUAGES)
            lem = Lemmatizer(language)
            entries = self.lexicon.entries(language, lem) + self.gazetteer.entries(lem)
            index = PhraseIndex(entries, lem)
            self._labels.update((id(e), f"{e.payload[0]}.{e.payload[1]}:{e.payload[2]}")
                                for e in index.entries if e.payload[0] != "partner")
            self._compiled[language] = _Compiled(
                lem, index, self.gazetteer.cues("source_cues", lem),
                self.gazetteer.cues("locative_cues", lem), self.gazetteer.cues("skip_words", lem),
                self.gazetteer.cues("view_cues", lem), self.gazetteer.cues("holder_words", lem))
            logger.info("compiled %d frame terms and partner aliases for %r", len(entries), language)
        return self._compiled[language]

    def lemmas(self, sentence: str, language: str = "en") -> list[str]:
        """The lemma keys of a sentence as the detector sees them (stop words kept)."""
        lem = self.compiled(language).lemmatizer
        return [lem[w][0] for w in tokenize(sentence)]

    def detect(self, sentence: str, language: str = "en") -> SentenceFrames:
        """Frames, partner candidates and matched terms of one sentence."""
        c = self._compiled.get(language) or self.compiled(language)
        words = tokenize(sentence)
        if not words:
            return self._empty
        index = c.index
        infos = list(map(index.records.__getitem__, words))  # `index.lookup`: each word's record
        if index.triggers.isdisjoint(words):
            return self._nothing.get(len(words)) or self._no_frame(len(words))
        matches = index.find(words, infos)
        if not matches:
            return self._nothing.get(len(words)) or self._no_frame(len(words))
        return self._resolve(matches, words, infos, c)

    def detect_many(self, sentences: Sequence[str], language: str = "en") -> list[SentenceFrames]:
        """`detect` of each sentence: the batch tokenized and matched in one compiled pass
        (`analysis.framing.compiled`), the matches resolved as `detect` resolves them."""
        n_tokens, marks, found = self.found(sentences, language)
        flags = self._flag_tuples()
        out = []
        for k, n in enumerate(n_tokens.tolist()):
            hit = found.get(k)
            out.append(self._nothing.get(n) or self._no_frame(n) if hit is None else
                       SentenceFrames(flags[int(marks[k])], hit[1], hit[0], n))
        return out

    def found(self, sentences: Sequence[str], language: str = "en") -> tuple[np.ndarray, np.ndarray, dict]:
        """What `detect_many` finds, as arrays: each sentence's token count, its frames as bits
        (bit j: `frames[j]`), and for the sentences with a match, sentence number -> (terms, partner
        candidates)."""
        c = self._compiled.get(language) or self.compiled(language)
        if c.batch is None:
            # numba: loaded by the stage that needs it
            from analysis.framing.compiled import CompiledIndex
            from analysis.framing.compiled_resolve import BatchResolver

            c.batch = CompiledIndex(c.index)
            c.resolver = BatchResolver(c.batch, self.frames, self.gazetteer, {
                "skip_words": c.skip_words, "source_cues": c.source_cues, "locative_cues": c.locative_cues,
                "view_cues": c.view_cues, "holder_words": c.holder_words})
        b = c.batch.match(sentences)
        r = c.resolver.resolve(b)
        labels, names = c.resolver.labels, c.resolver.names
        t_off, c_off, t_lab, c_nam = r.t_off.tolist(), r.c_off.tolist(), r.t_lab.tolist(), r.c_nam.tolist()
        as_terms, as_names, found = {}, {}, {}  # the same few combinations again and again: one tuple each
        for k in np.flatnonzero(np.diff(b.m_off)).tolist():
            t, n = tuple(t_lab[t_off[k]:t_off[k + 1]]), tuple(c_nam[c_off[k]:c_off[k + 1]])
            found[k] = (as_terms.get(t) or as_terms.setdefault(t, tuple(map(labels.__getitem__, t))),
                        as_names.get(n) or as_names.setdefault(n, tuple(map(names.__getitem__, n))))
        return np.diff(b.first), r.marks, found

    def _flag_tuples(self) -> list[tuple[bool, ...]]:  # frame bits -> the flags tuple (shared)
        if len(self._marks) != 1 << len(self.frames):
            self._marks = [tuple(bool(m >> j & 1) for j in range(len(self.frames)))
                           for m in range(1 << len(self.frames))]
        return self._marks

    def _no_frame(self, n_tokens: int) -> SentenceFrames:
        """The (shared, immutable) result of a sentence of `n_tokens` tokens without any match."""
        got = self._nothing.get(n_tokens)
        if got is None:
            got = self._nothing[n_tokens] = SentenceFrames(self._empty.flags, n_tokens=n_tokens)
        return got

    def _resolve(self, matches: list[Match], words: Sequence[str], infos: Sequence[tuple[str, str]],
                 c: _Compiled) -> SentenceFrames:
        partner_m: list[Match] = []
        frame_m: list[Match] = []
        for m in matches:
            (partner_m if m.entry.payload[0] == "partner" else frame_m).append(m)
        if partner_m:
            partner_m = _outermost(partner_m)
            # a word that is a partner's own alias is not also read as a compound of others
            # ("Guinea-Bissau" is not Guinea; "Timor-Leste" is one state): exact beats a compound glob
            whole = {(p.start, p.end) for p in partner_m if p.entry.elements[0][0] != "g"}
            if whole:
                partner_m = [p for p in partner_m if p.entry.elements[0][0] != "g" or (p.start, p.end) not in whole]
            # a frame word inside a longer name ("Shanghai Cooperation Organisation") is not a frame cue
            frame_m = [m for m in frame_m if not any(
                p.start <= m.start and m.end <= p.end and (p.end - p.start) > (m.end - m.start)
                for p in partner_m)]
        flags = [False] * len(self.frames)
        terms: dict[str, None] = {}
        spans: set[tuple[str, int, int]] = set()
        for m in _outermost(frame_m, same_frame=True):
            fname, sub, term = m.entry.payload
            if (fname, m.start, m.end) in spans:  # one term per frame and span
                continue
            spans.add((fname, m.start, m.end))
            flags[self._frame_pos[fname]] = True
            label = self._labels.get(id(m.entry))
            terms[label if label is not None else f"{fname}.{sub}:{term}"] = None
        candidates: dict[str, None] = {}
        if partner_m:
            threat_m = [m for m in frame_m if m.entry.payload[0] == "threat"]
            coop_m = [m for m in frame_m if m.entry.payload[0] == "cooperation"]
            for p in partner_m:
                name = p.entry.payload[1]
                if name in candidates:
                    continue
                if self._is_threat_source(p, threat_m, coop_m, infos, c):
                    continue
                if self.gazetteer.kind_of(name) == "state" and (
                        self._is_place(p, words, infos, c) or self._is_view_holder(p, infos, c)):
                    continue
                candidates[name] = None
        return SentenceFrames(tuple(flags), tuple(candidates), tuple(terms), len(words))

    def _is_threat_source(self, p: Match, threats: list[Match], coops: list[Match],
                          infos: Sequence[tuple[str, str]], c: _Compiled) -> bool:
        """A name right after a source cue ("from", "in", "territory of") that follows a THREAT
        term closely ("threats emanating from Afghanistan"), or a name directly followed by a
        THREAT term ("Afghan drug trafficking")."""
        window = self.gazetteer.source_window
        k = self._previous_word(p.start, infos, c)
        cue = k >= 0 and c.source_cues.test(infos[k][0], infos[k][1])
        for t in threats:
            if cue and t.end <= k and p.start - t.end <= window and not any(
                    t.end <= m.start < p.start for m in coops):
                return True
            if t.start == p.end or (t.start == p.end + 1 and infos[p.end][1] == "s"):
                return True
        if cue and threats:
            # "penetration from Afghanistan ... of militants": the nearest frame term is a threat
            def gap(m: Match) -> int:
                return p.start - m.end if m.end <= p.start else m.start - p.end
            nearest = min((*coops, *threats), key=gap)  # a tie goes to cooperation
            return nearest.entry.payload[0] == "threat" and gap(nearest) <= window
        return False

    @staticmethod
    def _previous_word(start: int, infos: Sequence[tuple[str, str]], c: _Compiled) -> int:
        """Index of the word before `start`, skipping the gazetteer's skip words; -1 if none."""
        k = start - 1
        while k >= 0 and c.skip_words.test(infos[k][0], infos[k][1]):
            k -= 1
        return k

    @staticmethod
    def _is_view_holder(p: Match, infos: Sequence[tuple[str, str]], c: _Compiled) -> bool:
        """A state named only as the holder of a view: "the opinion of the Government of Iceland",
        "in the view of the Icelandic Government", "the Indonesian delegation is of the opinion",
        "по мнению правительства Исландии"."""
        k = p.start - 1
        while k >= 0 and (c.skip_words.test(infos[k][0], infos[k][1])
                          or c.holder_words.test(infos[k][0], infos[k][1])):
            k -= 1
        if k >= 0 and c.view_cues.test(infos[k][0], infos[k][1]):
            return True
        j = p.end
        while j < len(infos) and c.holder_words.test(infos[j][0], infos[j][1]):
            j += 1
        # "... is of the opinion": a form of "to be", "of", at most one more word, the cue
        return (j + 2 < len(infos) and infos[j][0] == "be" and infos[j + 1][1] == "of"
                and any(c.view_cues.test(infos[i][0], infos[i][1])
                        for i in range(j + 2, min(j + 4, len(infos)))))

    def _is_place(self, p: Match, words: Sequence[str], infos: Sequence[tuple[str, str]], c: _Compiled) -> bool:
        """A state right after a locative cue ("in", "в"), also as a later conjunct of a place
        ("in Central Asia and Afghanistan"; not "in assisting Afghanistan and Iraq")."""
        k = self._previous_word(p.start, infos, c)
        if k >= 0 and infos[k][1] in _CONJUNCTIONS:
            # the conjunct before: capitalized words (or skip words) right after a locative cue
            j = k - 1
            while j >= 0 and j >= k - 4 and (words[j][:1].isupper()
                                              or c.skip_words.test(infos[j][0], infos[j][1])):
                j -= 1
            return j >= 0 and j < k - 1 and c.locative_cues.test(infos[j][0], infos[j][1])
        return k >= 0 and c.locative_cues.test(infos[k][0], infos[k][1])


def _outermost(matches: list[Match], *, same_frame: bool = False) -> list[Match]:
    """Drop matches lying inside a longer match (of the same frame, when `same_frame`)."""
    if len(matches) < 2:
        return matches
    out = []
    for m in matches:
        start, end, entry = m
        for o in matches:
            if (o.start <= start and end <= o.end and (o.end - o.start) > (end - start)
                    and (not same_frame or o.entry.payload[0] == entry.payload[0])):
                break  # (a match is never strictly longer than itself)
        else:
            out.append(m)
    return out


# --- the per-batch step ----------------------------------------------------------------------

def detect_processed_batch(documents: Sequence[ProcessedDoc], languages: Sequence[str],
                           detector: FrameDetector, *, model: Any | None = None,
                           mode: str = "lexicon") -> pd.DataFrame:
    """The pure per-batch step: preprocessed documents -> their sentence table (one row a sentence,
    in the order `preprocess` split them: doc_id, sentence_index, text, one 0/1 column per frame,
    partners, matched_terms); the sentences of each language matched and resolved as one compiled
    batch (`FrameDetector.found`)."""
    frames = detector.frames
    counts = [len(d.sentences) for d in documents]
    sentences = [s for d in documents for s in d.sentences]
    if not sentences:
        return rows_frame([], frames)
    marks = np.zeros(len(sentences), dtype=np.int64)
    found: dict[int, tuple] = {}
    at = np.repeat(np.arange(len(documents)), counts)
    for language in dict.fromkeys(languages):
        mine = np.flatnonzero(np.isin(at, [j for j, lang in enumerate(languages) if lang == language]))
        _, marks[mine], hits = detector.found([sentences[i] for i in mine.tolist()], language)
        found.update((int(mine[k]), hit) for k, hit in hits.items())
    flags = ((marks[:, None] >> np.arange(len(frames))) & 1).astype(np.int8)
    if mode != "lexicon":  # the model's lexicon features are the hits of this run's detector
        start = 0
        for doc, language, n in zip(documents, languages, counts, strict=True):
            if n:
                predicted = np.asarray(model.predict(list(doc.sentences), language, frames=frames, terms=[
                    found.get(i, ((), ()))[0] for i in range(start, start + n)]), dtype=bool)
                mine = flags[start:start + n]
                mine[:] = predicted if mode == "supervised" else mine.astype(bool) | predicted
            start += n
    coop = flags[:, frames.index("cooperation")].tolist()
    partners, terms = [""] * len(sentences), [""] * len(sentences)
    joined: dict[tuple[str, ...], str] = {}
    for i, (t, c) in found.items():
        if t or c:
            partners[i] = (joined.get(c) or joined.setdefault(c, PARTNER_SEP.join(c))) if coop[i] else ""
            terms[i] = joined.get(t) or joined.setdefault(t, PARTNER_SEP.join(t))
    return pd.DataFrame({"doc_id": [d.id for d, n in zip(documents, counts, strict=True) for _ in range(n)],
                         "sentence_index": [i for n in counts for i in range(n)], "text": sentences,
                         **{f: flags[:, j] for j, f in enumerate(frames)},
                         "partners": partners, "matched_terms": terms})


# Each worker process (and this one) builds a detector once per lexicon and gazetteer, not once
# per batch: a memo of compiled detectors, keyed by their content hashes (computed once a run).
_detectors: dict[tuple[str, str], FrameDetector] = {}


def _detector(lexicon: Lexicon, gazetteer: Gazetteer, key: tuple[str, str]) -> FrameDetector:
    if key not in _detectors:
        _detectors[key] = FrameDetector(lexicon, gazetteer)
    return _detectors[key]


def _batch_table(tokens: Tokens, det: FrameDetector, model: Any | None, mode: str) -> tuple[pd.DataFrame, list]:
    """One batch's sentence table and the documents that raised: the documents of `tokens` (a
    partition's shard: their sentences as preprocessed, their languages)."""
    ids = tokens.ids
    batch = list(zip(ids, tokens.metadata["language"].astype(str), strict=True))

    def step(items: list) -> list[pd.DataFrame]:
        docs = [ProcessedDoc(doc_id, tokens.sentences_of(doc_id), []) for doc_id, _ in items]
        return [detect_processed_batch(docs, [lang for _, lang in items], det, model=model, mode=mode)]

    tables, failures = per_document(step, batch, ids)  # one table, or one a document that worked
    tables = [t for t in tables if len(t)] or [rows_frame([], det.frames)]
    return (tables[0] if len(tables) == 1 else pd.concat(tables, ignore_index=True)), failures


def _work(task: tuple[int, Tokens], shared: tuple) -> tuple[str | None, int, pd.DataFrame, list]:
    """The task of one partition (its index and `Tokens.shard`), the same in process and on a Dask
    worker: its sentence table written as part `index` of the parts folder; back come the part's
    name and rows, the per-document counts and the documents that raised. Shared: the lexicon,
    gazetteer, their hashes, model, detector mode and the parts folder."""
    lexicon, gazetteer, hashes, model, mode, folder = shared
    index, shard = task
    det = _detector(lexicon, gazetteer, hashes)
    table, failures = _batch_table(shard, det, model, mode)
    return write_part(folder, index, table), len(table), partition_counts(table, det.frames), failures


def _sentence_table(tokens: Tokens, batch_size: int, det: FrameDetector, setup: tuple,
                    engine: Engine, progress: Progress | None, folder: str) -> tuple[SentenceTable, pd.DataFrame, list]:
    """Detect every batch of `batch_size` documents wherever `engine` runs them (each carries its
    `Tokens.shard`; setup: lexicon, gazetteer, their hashes, model, detector mode): the sentence table as parts in
    `folder` (written by the workers), the per-document counts (index doc_id, corpus order) and the
    documents that raised. No sentence row comes here."""
    names: list[str] = []
    rows: list[int] = []
    counts: list[pd.DataFrame] = []
    failures: list = []
    parts = Lazy(list(enumerate(chunks(tokens.ids, batch_size))),
                 lambda task: (task[0], tokens.shard(task[1], phrases=False)))  # sentences: no phrases
    for name, n, part_counts, failed in engine.map(_work, parts, (*setup, folder),
                                                   sizes=[len(ids) for _, ids in parts.items], progress=progress):
        if name is not None:
            names.append(name)
            rows.append(n)
        counts.append(part_counts)
        failures.extend(failed)
    columns = [*SENTENCE_COLUMNS, *det.frames, "partners", "matched_terms"]
    empty = partition_counts(rows_frame([], det.frames), det.frames)
    return (SentenceTable(folder, names, rows, columns),
            pd.concat(counts) if counts else empty, failures)


# --- the corpus-level method -----------------------------------------------------------------

@dataclass
class FrameResult(Result):
    """Frames per sentence, per document and per period and group, with the parameters.

    table : the sentence table on storage (`framing.sentences.SentenceTable`: Parquet parts written
        by the workers); `sentences` loads it: one row per sentence: doc_id, sentence_index, text,
        one 0/1 column per frame, partners (";"-joined canonical names), matched_terms (";"-joined
        "frame.subframe:term").
    documents : one row per document (index doc_id): its metadata, n_sentences, and per frame
        `n_<frame>` (sentences with the frame) and `share_<frame>`.
    shares : period, group, frame, share, low, high, n_documents, n_sentences.
    """

    table: SentenceTable
    documents: pd.DataFrame
    shares: pd.DataFrame
    frames: list[str]
    params: dict[str, Any] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    parquet: ClassVar[tuple[str, ...]] = ("sentence_frames",)

    @cached_property
    def sentences(self) -> pd.DataFrame:
        """The sentence table in memory (read from its parts on first use)."""
        return self.table.load()

    def _small_tables(self) -> dict[str, pd.DataFrame]:
        doc_cols = [c for c in self.documents.columns if c in ("date", "year", "language", "country",
                                                                 "organization", "group")
                    or c == "n_sentences" or c.startswith(("n_", "share_"))]
        return {"frame_shares": self.shares,
                "document_frames": self.documents[doc_cols].rename_axis("doc_id").reset_index()}

    def tables(self) -> dict[str, pd.DataFrame]:
        """sentence_frames (Parquet: a million rows for a large corpus; `write(csv=True)` also
        writes it as CSV; `load_sentence_frames` reads it back, only the columns asked for),
        frame_shares and document_frames."""
        return {"sentence_frames": self.sentences, **self._small_tables()}

    def write(self, out_dir: str | Path, *, csv: bool = False) -> list[Path]:
        """As `Result.write`; the sentence table is copied part by part, never held in memory."""
        paths = self.table.write(output_folder(out_dir), "sentence_frames", csv=csv)
        return [*paths, *_Tables(self._small_tables(), self.params, self.notes).write(out_dir, csv=csv)]


@dataclass
class _Tables(Result):
    """Some tables with a result's params and notes (how `FrameResult.write` writes the small ones)."""

    small: dict[str, pd.DataFrame]
    params: dict[str, Any]
    notes: list[str]

    def tables(self) -> dict[str, pd.DataFrame]:
        return self.small


def detect_frames(tokens: Tokens, *, lexicon: Lexicon | str | Path | None = None,
                  gazetteer: Gazetteer | str | Path | None = None, detector: str = "lexicon",
                  model: Any | None = None, period: str = "year", group: str | pd.Series | None = None,
                  ci: str = "bootstrap", n_boot: int = N_BOOT, level: float = CI_LEVEL, seed: int = 0,
                  batch_size: int = 256, n_jobs: int | None = None, progress: Progress | None = None,
                  cache: bool = True, scheduler: Any = None) -> FrameResult:
    """Detect frames in every sentence of a corpus and aggregate them.

    Parameters
    ----------
    tokens : the `Tokens` of a corpus from `analysis.preprocess.preprocess`: their sentences (as
        `analysis.preprocess.split_sentences` split the texts) are used as cached, so nothing is
        split again, and sentence indices agree with the `preprocess` output.
    lexicon, gazetteer : objects or YAML paths merged over the shipped files (default: shipped).
    detector : "lexicon", "supervised" (needs `model`, a fitted `SupervisedFrames`) or "both"
        (a frame is marked when either marks it).
    period : a period of `analysis.preprocess.periods` ("year", "quarter", "month", "decade",
        bins "1990-1999,2000-2009", "all" or "auto"); group : a metadata column, a Series of group
        labels indexed by document id, or None.
    ci : "bootstrap" (percentile bootstrap over documents, `n_boot`, `seed`) or "wilson"
        (Wilson interval over sentences).
    batch_size : documents per batch (a unit of work for a worker process).
    n_jobs : with no `scheduler`, more than 1 runs on a local Dask cluster of that many workers,
        1 in this process; None (default): all cores for a large corpus (`engine.Auto`).
    scheduler : where the batches run (`analysis.preprocess.engine`): None (`Auto`, or
        `$ANALYSIS_SCHEDULER`), "local", "local:N", "tcp://HOST:PORT" or a `distributed.Client`.
        The rows are the same wherever they ran; a document whose detection raises is left out,
        logged and listed in `params["skipped"]`.
    cache : with `Tokens` from the on-disk cache and the lexicon detector, store the sentence table
        beside them and reuse it for the same tokens, lexicon, gazetteer and code (aggregation is
        redone). Detection with a supervised model is never stored.

    The workers write each partition's sentence table as Parquet (beside the stored result, or in a
    scratch folder under the tokens' cache that goes with the result; `framing.sentences`) and send
    back only per-document counts: this process holds one row per document, never one per sentence,
    until `FrameResult.sentences` is read.
    """
    from analysis.framing.aggregate import shares_from_counts, stat_frame_share

    check_choice("detector", detector, DETECTORS)
    check_period(period)  # before the detection pass
    if not isinstance(tokens, Tokens):
        raise ParameterError("`tokens` must be the Tokens of a corpus (analysis.preprocess.preprocess(corpus)); "
                             f"got {type(tokens).__name__}.")
    batch_size = check_int("batch_size", batch_size, minimum=1)
    if detector != "lexicon" and model is None:
        raise ParameterError(f"detector={detector!r} needs a fitted supervised model (`model`); train "
                             "one with analysis.framing.supervised.SupervisedFrames().fit(gold).")
    if not isinstance(lexicon, Lexicon):
        lexicon = load_lexicon(lexicon)
    if not isinstance(gazetteer, Gazetteer):
        gazetteer = load_gazetteer(gazetteer)
    det = FrameDetector(lexicon, gazetteer)
    if model is not None and list(getattr(model, "frames", det.frames)) != det.frames[: len(model.frames)]:
        logger.warning("the supervised model knows frames %s; the lexicon has %s", model.frames, det.frames)
    metadata = tokens.metadata.drop(columns=[c for c in TOKENS_COLUMNS if c in tokens.metadata.columns])
    if n_jobs is not None:
        n_jobs = check_int("n_jobs", n_jobs, minimum=1)
    engine = engine_for(scheduler, n_jobs=n_jobs if len(tokens) > batch_size else 1)
    failures: list = []
    # Stored only for the lexicon detector: a fitted supervised model has no stable fingerprint.
    store = tokens.results if cache and model is None else None
    record = {"tokens": tokens.fingerprint, "lexicon": lexicon.hash,
              "gazetteer": gazetteer.hash, "frames": det.frames, "detector": detector}

    def compute() -> dict[str, Any]:
        if store is not None:  # parts of an earlier, unfinished or superseded run go
            shutil.rmtree(folder, ignore_errors=True)
        Path(folder).mkdir(parents=True, exist_ok=True)
        setup = (lexicon, gazetteer, (record["lexicon"], record["gazetteer"]), model, detector)
        table, counts, failed = _sentence_table(tokens, batch_size, det, setup, engine, progress, folder)
        failures.extend(failed)
        return {"counts": counts, "table": table.to_record()}

    scratch = None
    if store is not None:  # the parts go beside the stored entry (a folder every worker sees)
        entry = store.path("frame-sentences", cache_key(store, "frame-sentences", record, compute))
        folder = str(entry.with_suffix(PARTS))
    else:
        results = tokens.results
        folder, scratch = scratch_folder(results.root if results is not None else None)
    stored = cached(store, "frame-sentences", record, compute, complete=lambda: not failures)
    table = SentenceTable.from_record(folder, stored["table"])
    if store is not None and not table.check():  # a stored part is gone or damaged: detect again
        logger.warning("frames: the stored sentence table in %s is incomplete; detecting again", folder)
        entry.unlink(missing_ok=True)
        stored = cached(store, "frame-sentences", record, compute, complete=lambda: not failures)
        table = SentenceTable.from_record(folder, stored["table"])
    table._scratch = scratch  # a scratch folder lives as long as the table
    for f in failures:
        logger.warning("frames: skipped document %s (%s)", f.doc_id, f.reason)
    documents = shares_from_counts(stored["counts"], det.frames, metadata)
    shares = stat_frame_share(documents, det.frames, period=period, group=group, ci=ci, n_boot=n_boot,
                              level=level, seed=seed)
    params = result_params(tokens, {
        "detector": detector, "period": period,
        "group": group if isinstance(group, str) or group is None else getattr(group, "name", "custom"),
        "ci": ci, "n_boot": n_boot, "level": level, "seed": seed, "frames": det.frames,
        "lexicon": {"name": lexicon.name, "version": lexicon.version, "hash": lexicon.hash,
                    "sources": lexicon.sources},
        "gazetteer": {"version": gazetteer.version, "hash": gazetteer.hash, "sources": gazetteer.sources},
    })
    if failures:  # documents whose detection raised: left out, with the reason
        params["skipped"] = [{"doc_id": f.doc_id, "reason": f.reason} for f in failures]
    logger.info("frames: %d documents, %d sentences", len(documents), table.n_rows)
    return FrameResult(table, documents, shares, det.frames, params)



__all__ = ["CORE_FRAMES", "DETECTORS", "FrameDetector", "FrameResult", "SentenceFrames",
           "detect_frames", "detect_processed_batch", "load_sentence_frames", "rows_frame"]
