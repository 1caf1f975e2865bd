"""The UN General Debate Corpus as distributed: `UNGDC_1946-2024.tgz` (or its extracted
`TXT/Session NN - YYYY/ISO_NN_YYYY.txt` folders) and the `Speakers_by_session` table.

Source: Jankin, Baturo and Dasandi, UN General Debate Corpus v13 (Harvard Dataverse); described
in Baturo, Dasandi and Mikhaylov (2017), Research & Politics 4(2).
"""

from __future__ import annotations

import logging
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any

import pandas as pd

from analysis.corpus.importers import (
    IGNORED,
    ImportResult,
    binary_detail,
    clean_text,
    collect,
    iter_source_files,
    list_source_names,
    load_metadata_table,
)
from analysis.corpus.io import decode_bytes, make_document
from analysis.corpus.model import Document
from analysis.corpus.skips import Skip
from analysis.errors import CorpusError

logger = logging.getLogger(__name__)

SOURCE = "UN General Debate Corpus v13 (Jankin, Baturo and Dasandi)"
CITATION = (
    "Baturo, A., Dasandi, N. and Mikhaylov, S. J. (2017). Understanding state preferences with "
    "text as data: Introducing the UN General Debate corpus. Research & Politics 4(2). "
    "https://doi.org/10.1177/2053168017712821"
)
# Session N of the General Assembly opened in year 1945 + N (session 1: 1946).
SESSION_YEAR_OFFSET = 1945

_NAME = re.compile(r"^(?P<country>[A-Z]{2,4})_(?P<session>\d{1,3})_(?P<year>\d{4})\.txt$")
_SESSION_DIR = re.compile(r"^Session\s+(?P<session>\d+)\s*-\s*(?P<year>\d{4})$")
_KNOWN_FILES = {
    ".rhistory": "an R command history",
    ".rapp.history": "an R.app command history",
    ".ds_store": "an Apple Desktop Services Store file",
}
# Column names of the speakers table (after lower-casing), first match wins.
_COLUMNS = {
    "country": ("iso code", "iso", "iso3", "country code", "code"),
    "session": ("session",),
    "year": ("year",),
    "country_name": ("country", "country name"),
    "speaker": ("name of person speaking", "speaker", "name"),
    "post": ("post", "position"),
}

Key = tuple[str, int]  # (ISO code, session)


@dataclass(frozen=True)
class SpeechName:
    """What a speech file's name says: `RUS_79_2024.txt` -> (RUS, 79, 2024)."""

    id: str
    country: str
    session: int
    year: int


def parse_speech_name(path: str) -> SpeechName | str:
    """Parse `…/Session NN - YYYY/ISO_NN_YYYY.txt`; return a reason string when it does not fit."""
    parts = PurePosixPath(path.replace("\\", "/"))
    m = _NAME.match(parts.name)
    if not m:
        return (f"file name {parts.name!r} is not ISO_NN_YYYY.txt "
                "(country code, session, year; e.g. RUS_79_2024.txt)")
    country, session, year = m["country"], int(m["session"]), int(m["year"])
    if session + SESSION_YEAR_OFFSET != year:
        return f"session {session} was held in {session + SESSION_YEAR_OFFSET}, not {year}"
    folder = _SESSION_DIR.match(parts.parent.name)
    if folder and (int(folder["session"]), int(folder["year"])) != (session, year):
        return f"file is in folder {parts.parent.name!r} but its name says session {session}, {year}"
    return SpeechName(parts.stem, country, session, year)


def _not_a_speech(name: str) -> str:
    base = PurePosixPath(name).name
    what = _KNOWN_FILES.get(base.lower()) or (
        f"a {PurePosixPath(base).suffix} file" if PurePosixPath(base).suffix else "a file without suffix")
    return f"not a speech file ({what}); speeches are ISO_NN_YYYY.txt files"


def speech_item(name: str, data: bytes | None, problem: str,
                speakers: dict[Key, dict[str, str]]) -> Document | Skip:
    """One archive entry as a speech Document, or a Skip (IGNORED for non-.txt files)."""
    if not PurePosixPath(name).name.lower().endswith(".txt"):
        return Skip(name, IGNORED, _not_a_speech(name))
    if data is None:
        return Skip(name, "unreadable file", problem)
    decoded = decode_bytes(data)
    if decoded.text is None:
        return Skip(name, decoded.reason, binary_detail(data, decoded.detail))
    parsed = parse_speech_name(name)
    if isinstance(parsed, str):
        return Skip(name, "unexpected file name", parsed)
    meta: dict[str, Any] = {
        "date": str(parsed.year), "language": "en", "country": parsed.country,
        "session": parsed.session, "source": SOURCE,
    }
    meta.update(speakers.get((parsed.country, parsed.session), {}))
    return make_document(name, meta, clean_text(decoded.text), default_id=parsed.id)


# --- the speakers table -----------------------------------------------------------------

@dataclass(frozen=True)
class SpeakerRow:
    """One usable row of the speakers table (`row` counts the header as line 1)."""

    row: int
    country: str
    session: int
    country_name: str
    speaker: str
    post: str


def speaker_rows(table: pd.DataFrame, *, source: str = "speakers table") -> tuple[list[SpeakerRow], list[str]]:
    """Normalise the speakers table; return its usable rows and a note for each unusable one."""
    lower = {c.lower(): c for c in table.columns}
    cols = {key: next((lower[n] for n in names if n in lower), None) for key, names in _COLUMNS.items()}
    if cols["country"] is None or cols["speaker"] is None or (cols["session"] is None and cols["year"] is None):
        raise CorpusError(
            f"{source}: needs columns 'ISO Code', 'Session' (or 'Year') and 'Name of Person Speaking'; "
            f"it has {', '.join(map(repr, table.columns))}")
    rows, problems = [], []
    for i, rec in enumerate(table.to_dict("records")):
        line = i + 2

        def get(key: str, rec: dict = rec) -> str:
            return str(rec[cols[key]]).strip() if cols[key] else ""

        code, name = get("country").upper(), get("country_name")
        session_text, year_text = get("session"), get("year")
        label = f"row {line} ({name or '?'}, {year_text or session_text or '?'})"
        if not re.fullmatch(r"[A-Z]{2,4}", code):
            problems.append(f"{label}: ISO code {code!r} is not 2-4 letters; row not used")
            continue
        try:
            session = int(session_text) if session_text else int(year_text) - SESSION_YEAR_OFFSET
        except ValueError:
            problems.append(f"{label}: session {session_text!r} / year {year_text!r} is not a number; "
                            "row not used")
            continue
        if session_text and year_text.isdigit() and int(year_text) != session + SESSION_YEAR_OFFSET:
            problems.append(f"{label}: year {year_text} does not match session {session}; "
                            "the session is used")
        speaker = get("speaker").rstrip(",;").strip()
        rows.append(SpeakerRow(line, code, session, name, speaker, get("post").rstrip(",;").strip()))
    return rows, problems


def _norm_name(name: str) -> str:
    name = name.casefold().replace("’", "'").replace("`", "'")
    name = re.sub(r"^the\s+", "", " ".join(name.split()))
    return name


def _merge(group: list[SpeakerRow]) -> tuple[dict[str, str], str]:
    """One key's rows as speaker fields; and a note when the rows name different speakers."""
    speakers: dict[str, str] = {}
    posts: dict[str, str] = {}
    for r in group:
        if r.speaker:
            speakers.setdefault(r.speaker.casefold(), r.speaker)
        if r.post:
            posts.setdefault(r.post.casefold(), r.post)
    fields = {}
    if speakers:
        fields["speaker"] = "; ".join(speakers.values())
    if posts:
        fields["post"] = "; ".join(posts.values())
    name = next((r.country_name for r in group if r.country_name), "")
    if name:
        fields["country_name"] = name
    note = ""
    if len(speakers) > 1:
        note = (f"{group[0].country} session {group[0].session}: rows "
                f"{', '.join(str(r.row) for r in group)} name {len(speakers)} speakers "
                f"({fields['speaker']}); all kept, separated by ';'")
    return fields, note


def match_speakers(rows: Iterable[SpeakerRow], speeches: dict[Key, str]) -> tuple[dict[Key, dict[str, str]], dict[str, Any]]:
    """Join speaker rows to speeches by (ISO code, session); return the lookup and a report.

    Rows whose code matches no speech are re-assigned only on clear evidence, and each such
    repair is reported: (a) the row's country name is, in other sessions, the name of exactly
    one code that has a speech without a speaker in this session (e.g. `POR` 'Portugal' -> `PRT`);
    or (b) the code matches no speech at all, appears in two or more sessions, and exactly one
    code has speeches without a speaker in all of them (e.g. `YDYE` -> `YMD`).
    """
    groups: dict[Key, list[SpeakerRow]] = defaultdict(list)
    n_rows = 0
    for r in rows:
        groups[(r.country, r.session)].append(r)
        n_rows += 1
    duplicates = sum(len(g) - 1 for g in groups.values())
    lookup: dict[Key, dict[str, str]] = {}
    ambiguous: list[str] = []
    unmatched: dict[Key, dict[str, str]] = {}
    codes_by_name: dict[str, set[str]] = defaultdict(set)
    matched_codes: set[str] = set()
    for key, group in groups.items():
        fields, note = _merge(group)
        if note:
            ambiguous.append(note)
        if key in speeches:
            lookup[key] = fields
            matched_codes.add(key[0])
            if fields.get("country_name"):
                codes_by_name[_norm_name(fields["country_name"])].add(key[0])
        else:
            unmatched[key] = fields
    speechless0 = {k for k in speeches if k not in lookup}
    speechless = set(speechless0)
    sessions_of: dict[str, set[int]] = defaultdict(set)
    for code, session in unmatched:
        sessions_of[code].add(session)
    repaired, unused = [], []
    for (code, session), fields in unmatched.items():
        name = fields.get("country_name", "")
        label = (f"{code} session {session} ({session + SESSION_YEAR_OFFSET}, {name or 'no country name'}, "
                 f"{fields.get('speaker', 'no speaker name')})")
        candidates = {c for c in codes_by_name.get(_norm_name(name), ()) if (c, session) in speechless}
        how = f"the country name {name!r} belongs to that code in other sessions"
        if len(candidates) != 1 and code not in matched_codes and len(sessions_of[code]) >= 2:
            sessions = sessions_of[code]
            candidates = {c for c, s in speechless if s == session
                          and all((c, s2) in speechless0 for s2 in sessions)}
            how = (f"code {code} matches no speech, and only that code lacks a speaker in all "
                   f"{len(sessions)} sessions of {code}")
        if len(candidates) == 1:
            target = (candidates.pop(), session)
            lookup[target] = fields
            speechless.discard(target)
            repaired.append(f"{label} -> {speeches[target]}: {how}")
        else:
            unused.append(f"{label}: no speech {code}_{session}_{session + SESSION_YEAR_OFFSET}")
    without = sorted(speeches[k] for k in speechless)
    by_session = Counter(s for _, s in speechless)
    report = {
        "rows": n_rows,
        "speeches_with_speaker": len(speeches) - len(without),
        "speeches_without_speaker": len(without),
        "speeches_without_speaker_by_session": {int(s): n for s, n in sorted(by_session.items())},
        "speeches_without_speaker_ids": without,
        "duplicate_rows_merged": duplicates,
        "rows_naming_several_speakers": ambiguous,
        "rows_reassigned": repaired,
        "rows_without_speech": unused,
    }
    return lookup, report


# --- the importer -------------------------------------------------------------------------

def import_ungdc(source: str | Path, *, speakers: str | Path | None = None,
                 name: str = "ungdc") -> ImportResult:
    """Import the UN General Debate Corpus from its `.tgz` (streamed) or extracted folders.

    Each `ISO_NN_YYYY.txt` becomes a document with id the file stem, date the year, `country`
    (ISO code), `session`, `language: en` and `source`; with `speakers` (the CSV or XLSX
    `Speakers_by_session` table) also `speaker`, `post` and `country_name`. Files that are not
    speeches (`.Rhistory`, ...) are listed as ignored; unreadable or misnamed `.txt` files are
    skipped with the reason.
    """
    source = Path(source)
    if not source.exists():
        raise CorpusError(f"{source}: no such file or folder (expected UNGDC_1946-2024.tgz "
                          "or its extracted TXT folder)")
    info: dict[str, Any] = {
        "name": name,
        "description": "Statements in the general debate of the UN General Assembly, "
                       "one document per country and session.",
        "source": SOURCE,
        "citation": CITATION,
        "import": {"kind": "ungdc", "source": str(source),
                   "speakers": str(speakers) if speakers else None},
    }
    lookup: dict[Key, dict[str, str]] = {}
    if speakers is not None:
        table = load_metadata_table(speakers)
        rows, problems = speaker_rows(table, source=str(speakers))
        speeches: dict[Key, str] = {}
        for entry in list_source_names(source):
            parsed = parse_speech_name(entry)
            if isinstance(parsed, SpeechName):
                speeches.setdefault((parsed.country, parsed.session), parsed.id)
        lookup, report = match_speakers(rows, speeches)
        report = {"rows": len(table), "rows_used": report.pop("rows"), **report,
                  "rows_not_used": problems}
        for line in [*problems, *report["rows_reassigned"], *report["rows_naming_several_speakers"],
                     *report["rows_without_speech"]]:
            logger.info("speakers table: %s", line)
        info["import"]["speaker_table"] = report
    skipped: list[Skip] = []
    ignored: list[Skip] = []

    def items() -> Iterator[tuple[str, Document | Skip]]:
        for entry, data, problem in iter_source_files(source):
            yield entry, speech_item(entry, data, problem, lookup)

    def documents() -> Iterator[Document]:
        without: list[Document] = []
        n = 0
        for doc in collect(items(), skipped, ignored):
            n += 1
            if "speaker" not in doc.meta:
                without.append(doc)
            yield doc
        if speakers is not None:  # counted over the speeches imported, not the file names
            report = info["import"]["speaker_table"]
            report["speeches_with_speaker"] = n - len(without)
            report["speeches_without_speaker"] = len(without)
            by_session = Counter(int(d.meta["session"]) for d in without)
            report["speeches_without_speaker_by_session"] = dict(sorted(by_session.items()))
            report["speeches_without_speaker_ids"] = sorted(d.id for d in without)

    return ImportResult(documents(), skipped, info, ignored)
