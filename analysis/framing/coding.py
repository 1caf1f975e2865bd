"""The researcher's own validation: coded-sentence files, a sample to code, agreement of two coders.

A coded file is JSON Lines or CSV, one sentence a row, with the codebook's fields (`id`, `doc`,
`language`, `text`, `threat`, `multipolarity`, `cooperation` as 0/1, `partners` as a list in JSON
or names separated by ";" in CSV; optional `date`, `split`, `stratum`). Blank labels mean "not
coded yet". Lines at the top of a CSV that start with "#" and a JSONL record with the key
`_codebook` are the coding rules written by `sample_sentences`, and are skipped when reading.
The codebook is the project's `docs/codebook.md`.

Agreement between two coders follows Krippendorff (2004): alpha per frame (nominal, binary) and,
for partners, the mean Jaccard index of the two partner sets over sentences where either coder
names one (cf. Kroon, van der Meer and Vliegenthart 2022 on validating automated frame coding).
"""

from __future__ import annotations

import csv
import io
import json
import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from analysis.errors import CorpusError, UserError, check_int
from analysis.framing.lexicon import CORE_FRAMES, LANGUAGES, PARTNER_SEP
from analysis.preprocess import Tokens
from analysis.provenance import versions
from analysis.results import Result, result_params
from analysis.stats import krippendorff_alpha_nominal

SPLITS = ("train", "validation", "test")
CODED_COLUMNS = ("id", "doc", "language", "date", "split", "stratum", "text", *CORE_FRAMES, "partners")

CODING_RULES = """\
Coding rules (the project's codebook: docs/codebook.md). Unit: one sentence; code what the
sentence itself says. Write 1 or 0 in threat, multipolarity, cooperation; partners only when
cooperation is 1 (canonical short names separated by ";": UN, CSTO, SCO, CIS, EAEU, OSCE, EU,
NATO, BRICS, ASEAN, AU, IAEA, Russia, China, United States, ...). Leave a cell blank if undecided.
THREAT: a danger to security, stability or people is named (terrorism, extremism, drugs, crime,
  illegal migration, information/cyber/hybrid threats, WMD, arms race, armed conflict,
  instability, epidemics, sanctions or pressure as a danger). Named even when being removed
  (disarmament, settling a conflict): yes. Goals (peace, stability) or "challenges" alone: no.
MULTIPOLARITY: the structure of world order: multipolar/polycentric world, new centres of power,
  decline of the old system, criticism of hegemony, unipolarity, bloc politics or "the West"
  imposing its will, unilateral sanctions criticized as such, a new/equal/indivisible security
  architecture, sovereign equality as the principle of order, Greater Eurasia. Praise of the UN
  alone: no (that is cooperation).
COOPERATION: joint work, partnership, dialogue or coordination with another state, organization
  or community, or its absence as a loss ("contacts have been suspended"). A request that others
  support one's own initiative, or membership or a ceremony without joint work: no.
partners: every state or organization named as a party or counterpart of the cooperation
  (the speaker's own included); not a state named only as the place or source of a threat."""


def _label(value: Any, where: str, frame: str) -> float:
    """0/1 from a cell (int, bool, "0"/"1", "yes"/"no"); NaN for a blank; raises otherwise."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return math.nan
    if isinstance(value, bool):
        return float(value)
    if isinstance(value, int | float) and value in (0, 1):
        return float(value)
    if isinstance(value, str):
        v = value.strip().lower()
        if v == "":
            return math.nan
        if v in ("1", "yes", "y", "true", "1.0"):
            return 1.0
        if v in ("0", "no", "n", "false", "0.0"):
            return 0.0
    raise UserError(f"{where}: `{frame}` must be 0 or 1 (or blank when not coded); got {value!r}.")


def _partners(value: Any, where: str) -> list[str]:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return []
    if isinstance(value, str):
        return [p.strip() for p in value.split(PARTNER_SEP) if p.strip()]
    if isinstance(value, list) and all(isinstance(x, str) for x in value):
        return list(value)
    raise UserError(f"{where}: `partners` must be a list of names (CSV: names separated by ';').")


def _records(p: Path) -> list[tuple[int, dict]]:
    """(line number, raw record) pairs of a JSONL or CSV coded file."""
    text = p.read_text(encoding="utf-8")
    out: list[tuple[int, dict]] = []
    if p.suffix.lower() == ".csv":
        lines = text.splitlines(keepends=True)
        skip = 0
        while skip < len(lines) and lines[skip].startswith("#"):
            skip += 1
        reader = csv.DictReader(io.StringIO("".join(lines[skip:])))
        if reader.fieldnames is None or "text" not in reader.fieldnames:
            raise UserError(f"{p}: a coded CSV needs a header row with at least `text` and the frame columns.")
        for n, row in enumerate(reader, skip + 2):
            out.append((n, {k: v for k, v in row.items() if k is not None}))
        return out
    for n, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        try:
            rec = json.loads(line)
        except json.JSONDecodeError as exc:
            raise UserError(f"{p}, line {n}: not valid JSON ({exc.msg}).") from None
        if not isinstance(rec, dict):
            raise UserError(f"{p}, line {n}: each line must be a JSON object.")
        if "_codebook" in rec:
            continue
        out.append((n, rec))
    return out


def load_coded(path: str | Path, *, require_labels: bool = True) -> pd.DataFrame:
    """Coded sentences from a JSONL or CSV file (see the module docstring).

    Columns: id, doc, language, date, split, stratum, text, the three frames (0/1, or NaN for a
    blank when `require_labels` is false) and partners (a list). With `require_labels`, a blank
    label is an error naming the line.
    """
    p = Path(path)
    if not p.is_file():
        raise UserError(f"{p}: no such file of coded sentences.")
    rows = []
    for n, rec in _records(p):
        where = f"{p}, line {n}"
        missing = [f for f in ("text", *CORE_FRAMES) if f not in rec]
        if missing:
            raise UserError(f"{where}: missing field(s) {', '.join(missing)}.")
        labels = {f: _label(rec[f], where, f) for f in CORE_FRAMES}
        if require_labels:
            blank = [f for f, v in labels.items() if math.isnan(v)]
            if blank:
                raise UserError(f"{where}: `{blank[0]}` is blank; code every frame 0 or 1.")
        language = rec.get("language") or "en"
        if language not in LANGUAGES:
            raise UserError(f"{where}: `language` must be one of {', '.join(LANGUAGES)}; got {language!r}.")
        split = rec.get("split") or None
        if split is not None and split not in SPLITS:
            raise UserError(f"{where}: `split` must be one of {', '.join(SPLITS)}; got {split!r}.")
        doc = rec.get("doc")
        rows.append({"id": str(rec.get("id") or f"line{n}"), "doc": None if doc in (None, "") else str(doc),
                     "language": language, "date": None if rec.get("date") in (None, "") else str(rec["date"]),
                     "split": split, "stratum": rec.get("stratum") or None, "text": str(rec["text"]),
                     **{f: (int(v) if require_labels else v) for f, v in labels.items()},
                     "partners": _partners(rec.get("partners"), where)})
    if not rows:
        raise UserError(f"{p}: no coded sentences.")
    out = pd.DataFrame(rows, columns=list(CODED_COLUMNS))
    dup = out["id"][out["id"].duplicated()]
    if len(dup):
        raise UserError(f"{p}: sentence id {dup.iloc[0]!r} occurs more than once.")
    return out


def check_splits(gold: pd.DataFrame, source: str = "the gold") -> dict[str, int]:
    """Sentences per split; raises when a document has sentences in two splits (a leak)."""
    has = gold.dropna(subset=["split"])
    if has.empty:
        return {}
    if has["doc"].isna().any():
        raise UserError(f"{source}: sentences with a `split` need a `doc` (splits are by document).")
    per_doc = has.groupby("doc")["split"].nunique()
    leaking = per_doc[per_doc > 1]
    if len(leaking):
        raise UserError(f"{source}: document {leaking.index[0]!r} has sentences in more than one split; "
                        "splits must be by document.")
    return {s: int((has["split"] == s).sum()) for s in SPLITS}


# --- a sample to code --------------------------------------------------------------------------

@dataclass
class CodingSample(Result):
    """Sentences to code: `table` (CODED_COLUMNS with blank labels) and how they were drawn.
    Written as sample.csv (rules as "#" lines on top), sample.jsonl (rules as a first `_codebook`
    record) and params.json."""

    table: pd.DataFrame
    params: dict[str, Any] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)

    def tables(self) -> dict[str, pd.DataFrame]:
        return {"sample": self.table}

    def _write_table(self, stem: str, table: pd.DataFrame, out: Path, csv: bool) -> list[Path]:
        csv_path, jsonl_path = out / f"{stem}.csv", out / f"{stem}.jsonl"
        header = "".join(f"# {line}\n" for line in CODING_RULES.splitlines())
        t = table.copy()
        t["partners"] = ""
        for f in CORE_FRAMES:
            t[f] = ""
        csv_path.write_text(header + t.to_csv(index=False), encoding="utf-8")
        with jsonl_path.open("w", encoding="utf-8") as fh:
            fh.write(json.dumps({"_codebook": CODING_RULES, "sample": self.params}, ensure_ascii=False) + "\n")
            for rec in table.to_dict("records"):
                rec.update({f: None for f in CORE_FRAMES}, partners=[])
                fh.write(json.dumps(rec, ensure_ascii=False) + "\n")
        return [csv_path, jsonl_path]


def sample_sentences(tokens: Tokens, n: int = 300, *, detector: Any | None = None, seed: int = 0,
                     per_document: int = 3, min_words: int = 5) -> CodingSample:
    """A stratified sample of `n` sentences of a corpus (its `Tokens`: the sentences as
    preprocessing split them) to code by hand.

    Strata are what the lexicon detector marks: each frame (a sentence counts for its first
    marked frame), and sentences with no frame. Each stratum gets an equal share of `n` (the
    unmarked stratum too, so the misses of the lexicon can be found), at most `per_document`
    sentences come from one document, and sentences shorter than `min_words` words are left out.
    The sample is the same for the same corpus, settings and seed.
    """
    from analysis.framing.detect import FrameDetector

    n = check_int("n", n, minimum=1)
    per_document = check_int("per_document", per_document, minimum=1)
    det = detector or FrameDetector()
    frames = [f for f in det.frames if f in CORE_FRAMES]
    rows = []
    metadata = tokens.metadata
    for doc_id in metadata.index:
        language = metadata.at[doc_id, "language"]
        if language not in LANGUAGES:
            continue
        date = metadata.at[doc_id, "date"] if "date" in metadata.columns else None
        for i, s in enumerate(tokens.sentences_of(doc_id)):
            if len(s.split()) < min_words:
                continue
            flags = det.detect(s, language).flags
            marked = [f for f, on in zip(det.frames, flags, strict=True) if on and f in frames]
            rows.append((str(doc_id), i, language, None if date is None else str(date), s,
                         marked[0] if marked else "none"))
    if not rows:
        raise CorpusError(f"corpus {tokens.name!r} has no sentence of {min_words} words or more to sample.")
    table = pd.DataFrame(rows, columns=["doc", "sentence_index", "language", "date", "text", "stratum"])
    rng = np.random.default_rng(seed)
    table = table.iloc[rng.permutation(len(table))].reset_index(drop=True)
    strata = [*frames, "none"]
    quota = {s: n // len(strata) + (1 if k < n % len(strata) else 0) for k, s in enumerate(strata)}
    taken: list[int] = []
    per_doc: dict[str, int] = {}
    spare = 0
    for s in strata:  # rarer strata give their unused quota to the next ones
        want = quota[s] + spare
        got = 0
        for j in np.flatnonzero(table["stratum"].to_numpy() == s):
            if got >= want:
                break
            d = table.at[j, "doc"]
            if per_doc.get(d, 0) >= per_document:
                continue
            per_doc[d] = per_doc.get(d, 0) + 1
            taken.append(int(j))
            got += 1
        spare = want - got
    out = table.iloc[sorted(taken, key=lambda j: (table.at[j, "doc"], table.at[j, "sentence_index"]))]
    out = out.reset_index(drop=True)
    out.insert(0, "id", [f"{d}#{i}" for d, i in zip(out["doc"], out["sentence_index"], strict=True)])
    out = out.drop(columns="sentence_index").assign(split=None, partners=None, **{f: None for f in CORE_FRAMES})
    out = out[list(CODED_COLUMNS)]
    params = result_params(tokens, {"n": n, "drawn": len(out), "seed": seed, "per_document": per_document,
                                    "min_words": min_words, "strata": out["stratum"].value_counts()
                                    .reindex(strata, fill_value=0).astype(int).to_dict(),
                                    "lexicon_version": det.lexicon.version})
    return CodingSample(out, params)


# --- agreement of two coders ---------------------------------------------------------------------

@dataclass
class Agreement(Result):
    """Agreement of two coders: `table` has one row per frame (alpha, percent agreement, units
    coded by both, positives per coder) and a `partners` row (mean Jaccard, units). Written as
    agreement.csv, disagreements.csv and params.json."""

    table: pd.DataFrame
    disagreements: pd.DataFrame
    params: dict[str, Any] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)

    def report(self) -> str:
        lines = [f"Coders: {self.params.get('a')} / {self.params.get('b')}; sentences coded by both: "
                 f"{self.params.get('n_common')}", "",
                 f"{'frame':<15}{'alpha':>8}{'agree':>8}{'units':>7}{'pos A':>7}{'pos B':>7}"]
        for frame, r in self.table.iterrows():
            if frame == "partners":
                continue
            lines.append(f"{frame:<15}{r['alpha']:>8.3f}{r['agreement']:>8.3f}{int(r['units']):>7}"
                         f"{int(r['positives_a']):>7}{int(r['positives_b']):>7}")
        p = self.table.loc["partners"]
        lines.append(f"partners: mean Jaccard {p['jaccard']:.3f} over {int(p['units'])} sentences where "
                     "either coder names a partner")
        lines.append(f"disagreements: {len(self.disagreements)} (frame, id)")
        return "\n".join(lines)

    def tables(self) -> dict[str, pd.DataFrame]:
        return {"agreement": self.table.rename_axis("frame").reset_index(), "disagreements": self.disagreements}


def partner_jaccard(a: Sequence[Sequence[str]], b: Sequence[Sequence[str]]) -> tuple[float, int]:
    """Mean Jaccard index |A ∩ B| / |A ∪ B| over the pairs where either set is non-empty, and the
    number of such pairs (NaN, 0 when there are none)."""
    values = []
    for x, y in zip(a, b, strict=True):
        sx, sy = set(x), set(y)
        if sx or sy:
            values.append(len(sx & sy) / len(sx | sy))
    return (float(np.mean(values)) if values else math.nan), len(values)


def coder_agreement(a: pd.DataFrame | str | Path, b: pd.DataFrame | str | Path) -> Agreement:
    """Krippendorff's alpha per frame (nominal, two coders, blanks as missing) and partner Jaccard
    between two coded files (or tables from `load_coded`), matched by sentence `id`."""
    names = [str(x) if not isinstance(x, pd.DataFrame) else f"table {k}" for k, x in (("A", a), ("B", b))]
    ta = a if isinstance(a, pd.DataFrame) else load_coded(a, require_labels=False)
    tb = b if isinstance(b, pd.DataFrame) else load_coded(b, require_labels=False)
    common = ta.merge(tb, on="id", suffixes=("_a", "_b"))
    if common.empty:
        raise UserError(f"{names[0]} and {names[1]} have no sentence id in common.")
    rows, dis = {}, []
    for f in CORE_FRAMES:
        va = common[f"{f}_a"].astype(float).to_numpy()
        vb = common[f"{f}_b"].astype(float).to_numpy()
        both = np.isfinite(va) & np.isfinite(vb)
        rows[f] = {"alpha": krippendorff_alpha_nominal(np.vstack([va, vb])),
                   "agreement": float((va[both] == vb[both]).mean()) if both.any() else math.nan,
                   "units": int(both.sum()), "positives_a": int(np.nansum(va[both])),
                   "positives_b": int(np.nansum(vb[both])), "jaccard": math.nan}
        for j in np.flatnonzero(both & (va != vb)):
            dis.append({"frame": f, "id": common.at[j, "id"], "a": int(va[j]), "b": int(vb[j]),
                        "text": common.at[j, "text_a"]})
    jac, units = partner_jaccard(list(common["partners_a"]), list(common["partners_b"]))
    rows["partners"] = {"alpha": math.nan, "agreement": math.nan, "units": units, "positives_a": math.nan,
                        "positives_b": math.nan, "jaccard": jac}
    for j in range(len(common)):
        pa, pb = set(common.at[j, "partners_a"]), set(common.at[j, "partners_b"])
        if pa != pb:
            dis.append({"frame": "partners", "id": common.at[j, "id"], "a": ";".join(sorted(pa)),
                        "b": ";".join(sorted(pb)), "text": common.at[j, "text_a"]})
    table = pd.DataFrame.from_dict(rows, orient="index")
    return Agreement(table, pd.DataFrame(dis, columns=["frame", "id", "a", "b", "text"]),
                     {"versions": versions(), "a": names[0], "b": names[1], "n_common": len(common),
                      "only_a": int((~ta["id"].isin(tb["id"])).sum()), "only_b": int((~tb["id"].isin(ta["id"])).sum())})
