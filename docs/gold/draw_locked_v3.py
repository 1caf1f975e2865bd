"""Draw a fresh locked test sample for the frame detector (issue 15) from documents no gold set has used.

English sentences from UN General Debate speeches and Russian sentences from kremlin.ru items,
stratified by the codebook cue words of `draw_sample.py` (its `CUES`, `candidates`, `usable` and
`ru_body` are reused), plus a plain random stratum. The frame detector is not run: nothing in the
draw depends on its lexicon or output. Writes, per language, the full file (with doc, date,
stratum, source), a blind file for the coders (id, text, previous only) and a README with the
counts and the exclusion checks.

    python docs/gold/draw_locked_v3.py UNGDC_IMPORT KREMLIN_RU_IMPORT OUT_DIR GOLD_DIR DEV_DIR SEEDS_DIR

GOLD_DIR holds the shipped gold (gold-en.jsonl, gold-ru.jsonl), DEV_DIR the development gold
(gold-dev.jsonl, gold-dev-ru.jsonl), SEEDS_DIR the seed texts the development gold's `seed:` docs
name. Same inputs and seed -> same files.
"""

from __future__ import annotations

import json
import random
import re
import sys
from collections import Counter, defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import draw_sample as ds  # noqa: E402

from analysis.corpus import load_corpus  # noqa: E402
from analysis.preprocess.text import normalize_text, split_sentences  # noqa: E402

SEED = 20261215
TOTAL = {"en": 320, "ru": 130}
# Cue strata, drawn in this order; the random stratum fills up to TOTAL.
CUE_TARGETS = {
    "en": {"multipolarity": 120, "threat": 65, "cooperation": 55},
    "ru": {"multipolarity": 15, "threat": 45, "cooperation": 40},
}
PER_DOC = {"en": 2, "ru": 3}
# CSTO/CIS states (draw_sample's set) and the other SCO members; speeches from 1992 on.
SCO_OTHER = {"CHN", "IND", "PAK", "IRN"}
BLOC = ds.CSTO_CIS | SCO_OTHER
BLOC_FROM = 1992
# Speeches pooled per decade: before 1992 from all states; from the 1990s on, general plus one
# speech of each bloc state (dated 1992 or later).
POOL_EARLY, POOL_LATE = 14, 34
SOURCE_EN = "UN General Debate Corpus v13 (Jankin, Baturo and Dasandi), CC0"
SOURCE_RU = "«Президент России», kremlin.ru, CC BY 4.0, {url}"

# draw_sample's cue words, with three fixes to Russian danger cues that matched inside other
# words: `удар` (strike) in `государств-` (state), `опасн` (danger) in `безопасност-` (security,
# which the English cues do not count either) and `войн` (war) in `двойн-` (double).
CUES = {lang: dict(cues) for lang, cues in ds.CUES.items()}
for cue, fixed in (("|удар", "|(?<!гос)удар"), ("|опасн", "|(?<!без)опасн"), ("|войн", "|(?<!д)войн")):
    assert cue in CUES["ru"]["threat"], cue
    CUES["ru"]["threat"] = CUES["ru"]["threat"].replace(cue, fixed)

_MONTHS_RU = "января|февраля|марта|апреля|мая|июня|июля|августа|сентября|октября|ноября|декабря"
_DATELINE_RU = re.compile(rf"^\d{{1,2}} (?:{_MONTHS_RU}) \d{{4}} года(?: \d{{1,2}}:\d{{2}})?\s*")
_RU_FOOTER = re.compile(r"\s*(?:<…>\s*)?(?:Смотрите также|География|Дополнительно|Темы|Лица)\s.*$")
_EN_BOILERPLATE = re.compile(r"^\(?(?:spoke in|interpretation from)\b|^(?:address|statement) by\b", re.I)
_EN_CITATION = re.compile(r"^\((?:A|S)/[^)]{0,60}\)\s*")  # "(A/PV.1693, para. 150) ..."
_YEAR = re.compile(r"\b(19[4-9]\d|20[0-3]\d)\b")


def norm(text: str) -> str:
    """A sentence or text for exact comparison: normalized, single spaces, lower case."""
    return " ".join(normalize_text(text).replace("\ufeff", "").split()).lower()


def read_jsonl(path: Path) -> list[dict]:
    """The records of a JSONL file; a clear message naming the file and line when one is bad."""
    if not path.is_file():
        raise SystemExit(f"{path}: file not found")
    rows = []
    for n, line in enumerate(path.open(encoding="utf-8"), 1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
        except json.JSONDecodeError as exc:
            raise SystemExit(f"{path}:{n}: not JSON ({exc.msg})") from None
        if "doc" not in row or "text" not in row:
            raise SystemExit(f"{path}:{n}: a gold record needs 'doc' and 'text'")
        rows.append(row)
    return rows


def map_dev_docs(dev_rows: list[dict], un, seeds_dir: Path, un_texts: dict[str, str]) -> tuple[set[str], list[str], int]:
    """UN speech ids to exclude for the development gold, a line per dev doc not matched to its UN id, how many were.

    A dev doc named by a UN id whose sentences occur in that speech is that speech. Any other doc
    is searched for in every speech (its English sentences, verbatim); if found, those speeches are
    excluded, and if not, the doc cannot be mapped and every speech of a state it names in a year it
    names (its country-years) is excluded.
    """
    by_doc: dict[str, list[str]] = defaultdict(list)
    for r in dev_rows:
        if not str(r.get("id", "")).endswith("-ru"):  # English originals; the -ru rows are translations
            by_doc[r["doc"]].append(norm(r["text"]))
        by_doc.setdefault(r["doc"], [])
    meta = un.metadata
    names = {iso: norm(name) for iso, name in meta.groupby("country")["country_name"].first().items()}
    excluded: set[str] = set()
    notes: list[str] = []
    matched = 0
    for doc in sorted(by_doc):
        sents = [s for s in by_doc[doc] if len(s.split()) >= 8]
        if doc in meta.index:
            found = sum(s in un_texts[doc] for s in sents)
            excluded.add(doc)
            if found == len(sents):
                matched += 1
                continue
            notes.append(f"{doc}: UN id, {found} of {len(sents)} dev sentences found in it; its country-year excluded")
            cy = (meta.loc[doc, "country"], int(meta.loc[doc, "year"]))
            excluded |= set(meta.index[(meta["country"] == cy[0]) & (meta["year"] == cy[1])])
            continue
        hits = sorted({i for i, t in un_texts.items() for s in sents if s in t})
        if hits:
            excluded |= set(hits)
            notes.append(f"{doc}: not a UN id; its sentences occur in {', '.join(hits)} (excluded)")
            continue
        path = seeds_dir / doc.removeprefix("seed:")
        if not path.is_file():
            raise SystemExit(f"{path}: the seed text of dev doc {doc} is missing; cannot map it")
        text = norm(path.read_text(encoding="utf-8"))
        years = {int(y) for y in _YEAR.findall(text)}
        states = {iso for iso, name in names.items() if re.search(rf"\b{re.escape(name)}\b", text)}
        if "RUS" in names and re.search(r"\brussia\b", text):
            states.add("RUS")
        cy_ids = set(meta.index[meta["country"].isin(states) & meta["year"].isin(years)])
        excluded |= cy_ids
        notes.append(f"{doc}: not a UN speech ({len(sents)} of its sentences searched in all {len(un_texts)} "
                     f"speeches, none found); country-years excluded: states {sorted(states)} x years "
                     f"{sorted(years)} -> {len(cy_ids)} speeches ({', '.join(sorted(cy_ids)) or 'none'})")
    return excluded, notes, matched


def en_pool(meta, excluded: set[str], rng: random.Random) -> list[str]:
    """Speech ids to draw from: every decade, more from the 1990s on, each bloc state in each decade from 1992."""
    meta = meta[~meta.index.isin(excluded)]
    year = meta["year"].astype(int)
    bloc = meta["country"].isin(BLOC) & (year >= BLOC_FROM)
    decade = (year // 10) * 10
    picked: list[str] = []
    for d in sorted(decade.unique()):
        general = sorted(meta.index[(decade == d) & ~bloc])
        members = sorted(meta.index[(decade == d) & bloc])
        late = d + 9 >= BLOC_FROM
        picked += rng.sample(general, min(len(general), POOL_LATE if late else POOL_EARLY))
        if late:
            by_state = defaultdict(list)
            for i in members:
                by_state[meta.loc[i, "country"]].append(i)
            picked += [rng.choice(by_state[state]) for state in sorted(by_state)]
    return picked


def strip_ru_header(sentence: str, meta) -> str:
    """A kremlin.ru sentence without a leading dateline, place and repeated title."""
    out = _DATELINE_RU.sub("", sentence)
    if out != sentence:
        for part in (meta.get("place"), meta.get("title")):
            if isinstance(part, str) and part and out.startswith(part):
                out = out[len(part):].lstrip()
    return out.removeprefix("События ").removeprefix("Текст Указа:").strip()


def strip_ru_footer(sentence: str) -> str:
    """A kremlin.ru sentence without the page footer (see also, geography, topics) it runs into."""
    return _RU_FOOTER.sub("", sentence).strip()


def strip_boilerplate(sentence: str, language: str, meta) -> str:
    """A sentence without page or record boilerplate at its edges."""
    if language == "ru":
        return strip_ru_footer(strip_ru_header(sentence, meta))
    return _EN_CITATION.sub("", sentence)


def clean(cands: list[dict], corpus, language: str, gold_texts: set[str]) -> tuple[list[dict], Counter]:
    """Candidates without boilerplate or sentences already in a gold set; previous = last real sentence."""
    cues = {k: re.compile(v, re.IGNORECASE) for k, v in CUES[language].items()}
    sents_of: dict[str, list[str]] = {}
    out, dropped = [], Counter()
    for c in cands:
        meta = corpus.metadata.loc[c["doc"]]
        text = strip_boilerplate(c["text"], language, meta)
        if _EN_BOILERPLATE.search(text) or (text != c["text"] and not ds.usable(text)):
            dropped["boilerplate (" + ("header or footer" if language == "ru" else "record note") + ")"] += 1
            continue
        if norm(text) in gold_texts:
            dropped["text in a gold set"] += 1
            continue
        if c["doc"] not in sents_of:
            body = corpus.text(c["doc"])
            sents_of[c["doc"]] = split_sentences(ds.ru_body(body) if language == "ru" else body)
        sents = sents_of[c["doc"]]
        j = c["i"] - 1
        while j >= 0 and not re.search(r"[^\W\d_]{2}", sents[j]):  # paragraph numbers and the like
            j -= 1
        previous = strip_boilerplate(sents[j], language, meta) if j >= 0 else ""
        out.append(dict(c, text=text, previous=previous, cues=[k for k, rx in cues.items() if rx.search(text)]))
    return out, dropped


def draw_strata(cands: list[dict], language: str, rng: random.Random) -> list[dict]:
    """Cue strata in order, then a random stratum up to TOTAL; at most PER_DOC a document, no repeats."""
    cands = list(cands)
    rng.shuffle(cands)
    per_doc: Counter = Counter()
    seen: set[str] = set()
    chosen: list[dict] = []
    plan = list(CUE_TARGETS[language].items()) + [("random", None)]
    for stratum, need in plan:
        if need is None:
            need = TOTAL[language] - len(chosen)
        for c in cands:
            if need <= 0:
                break
            if norm(c["text"]) in seen or per_doc[c["doc"]] >= PER_DOC[language]:
                continue
            if stratum != "random" and stratum not in c["cues"]:
                continue
            chosen.append(dict(c, stratum=stratum))
            seen.add(norm(c["text"]))
            per_doc[c["doc"]] += 1
            need -= 1
    return chosen


def records(rows: list[dict], corpus, language: str, prefix: str, rng: random.Random) -> list[dict]:
    """Output records in a seeded shuffled order, ids numbered after the shuffle."""
    rows = sorted(rows, key=lambda r: (r["doc"], r["i"]))
    rng.shuffle(rows)
    out = []
    for n, r in enumerate(rows):
        m = corpus.metadata.loc[r["doc"]]
        out.append({
            "id": f"{prefix}-{n:04d}",
            "doc": r["doc"],
            "language": language,
            "date": str(m["date"]),
            "stratum": r["stratum"],
            "text": r["text"],
            "previous": r["previous"],
            "source": SOURCE_EN if language == "en" else SOURCE_RU.format(url=m.get("url") or "item address unknown"),
        })
    return out


def write_jsonl(path: Path, rows: list[dict], fields: tuple[str, ...] | None = None) -> None:
    with path.open("w", encoding="utf-8") as fh:
        for r in rows:
            fh.write(json.dumps({k: r[k] for k in fields} if fields else r, ensure_ascii=False) + "\n")


def _counts(counter: Counter, sep: str = ", ") -> str:
    return sep.join(f"{k} {v}" for k, v in sorted(counter.items()))


def readme(en: list[dict], ru: list[dict], un, kr, info: dict) -> str:
    """The sample's README: how drawn, counts, exclusions and checks."""
    meta = un.metadata
    en_docs = sorted({r["doc"] for r in en})
    dec = Counter(f"{int(meta.loc[d, 'year']) // 10 * 10}s" for d in en_docs)
    dec_s = Counter(f"{int(r['date']) // 10 * 10}s" for r in en)
    states = Counter(meta.loc[d, "country"] for d in en_docs)
    bloc_docs = [d for d in en_docs if meta.loc[d, "country"] in BLOC and int(meta.loc[d, "year"]) >= BLOC_FROM]
    post = [r for r in en if int(r["date"]) >= BLOC_FROM]
    bloc_s = [r for r in en if r["doc"] in set(bloc_docs)]
    ru_docs = sorted({r["doc"] for r in ru})
    month = Counter(r["date"][:7] for r in ru)
    lines = [
        "# Locked test sample v3 for the frame detector (issue 15)",
        "",
        f"Drawn by `docs/gold/draw_locked_v3.py` (seed {SEED}) from the imported corpora `{info['ungdc']}` and `{info['kremlin']}`. "
        "Not yet coded. The frame detector was not run on these sentences and its output was not "
        "looked at; the strata use the codebook cue words of `docs/gold/draw_sample.py` (written from "
        "the codebook, not from the detector's lexicon), with three fixes to Russian danger cues that "
        "matched inside other words: `удар` in `государств-`, `опасн` in `безопасност-` (security; the "
        "English cues do not count security either), `войн` in `двойн-`.",
        "",
        "| file | what |",
        "|---|---|",
        "| `to-code-en.jsonl`, `to-code-ru.jsonl` | id, doc, language, date, stratum, text, previous, source |",
        "| `to-code-en.blind.jsonl`, `to-code-ru.blind.jsonl` | what the coders get: id, text, previous |",
        "",
        "`previous` is the sentence before in the document (paragraph numbers skipped), for resolving "
        "pronouns only. Rows are in a seeded shuffled order and numbered after the shuffle, so neither "
        "the order nor the id shows the stratum.",
        "",
        "## How drawn",
        "",
        f"- English: a pool of speeches per decade, {POOL_EARLY} a decade before {BLOC_FROM} (all states), "
        f"and from the 1990s on {POOL_LATE} a decade from all other speeches plus one speech a decade of each CSTO/CIS/SCO "
        f"state ({', '.join(sorted(BLOC))}) dated {BLOC_FROM} or later; {info['en_pool']} speeches pooled. "
        f"Sentences of 8-70 words, at most {PER_DOC['en']} a speech; cue strata drawn in the order "
        f"world order (multipolarity) {CUE_TARGETS['en']['multipolarity']}, danger (threat) "
        f"{CUE_TARGETS['en']['threat']}, joint work (cooperation) {CUE_TARGETS['en']['cooperation']}, "
        f"then a plain random stratum up to {TOTAL['en']}.",
        f"- Russian: every dated kremlin.ru item not in the shipped Russian gold ({info['ru_pool']} items), "
        f"sentences of 8-70 words without the page header (title, lead, dateline, place), at most "
        f"{PER_DOC['ru']} an item; cue strata multipolarity {CUE_TARGETS['ru']['multipolarity']}, threat "
        f"{CUE_TARGETS['ru']['threat']}, cooperation {CUE_TARGETS['ru']['cooperation']}, then random up to "
        f"{TOTAL['ru']}.",
        "- Boilerplate skipped: English `(spoke in ...)`/`Address by` lines, paragraph numbers and leading "
        "record citations `(A/PV...)`; Russian datelines are cut from the sentence they open (with the "
        "place and repeated title, and a `Текст Указа:` label), page footers (`Смотрите также`, "
        "`География`, `Дополнительно`, `Темы`, `Лица`) from the sentence they end, and the sentence is "
        "dropped if what is left is under 8 words. Dropped candidates: "
        f"EN {_counts(info['en_dropped']) or 'none'}; RU {_counts(info['ru_dropped']) or 'none'}.",
        "",
        "Cue sentences available after exclusions and caps limit the Russian strata: "
        + "; ".join(f"{k} {v}" for k, v in info["ru_available"].items()) + ".",
        "",
        "## Counts",
        "",
        "| | sentences | documents | " + " | ".join(["multipolarity", "threat", "cooperation", "random"]) + " |",
        "|---|---|---|---|---|---|---|",
    ]
    for name, rows in (("English", en), ("Russian", ru)):
        st = Counter(r["stratum"] for r in rows)
        lines.append(f"| {name} | {len(rows)} | {len({r['doc'] for r in rows})} | "
                     + " | ".join(str(st.get(k, 0)) for k in ("multipolarity", "threat", "cooperation", "random"))
                     + " |")
    lines += [
        "",
        f"Sentences carrying each frame's cue words (any stratum): EN {_counts(info['en_cues'])}; "
        f"RU {_counts(info['ru_cues'])}. Expected positives, from the shipped gold's positive rate per "
        f"stratum and frame applied to these stratum counts (an estimate, not a measurement): "
        f"EN {_counts(info['en_expected'])}; RU {_counts(info['ru_expected'])}.",
        "",
        "English speeches per decade (sentences): "
        + ", ".join(f"{d} {dec[d]} ({dec_s[d]})" for d in sorted(dec)) + ".",
        f"From {BLOC_FROM} on: {len(post)} of {len(en)} sentences; CSTO/CIS/SCO states from {BLOC_FROM} on: "
        f"{len(bloc_s)} sentences from {len(bloc_docs)} speeches "
        f"({_counts(Counter(meta.loc[d, 'country'] for d in bloc_docs))}).",
        "",
        f"English speeches per state ({len(states)} states): {_counts(states)}.",
        "",
        f"Russian items: {len(ru_docs)}, per month (sentences): {_counts(month)}.",
        "",
        "## Exclusions and how they were checked",
        "",
        f"- Shipped gold: {info['n_gold_en']} English speeches (`gold-en.jsonl`, field doc) and "
        f"{info['n_gold_ru']} kremlin.ru items (`gold-ru.jsonl`) left out.",
        f"- Development gold (`gold-dev.jsonl`, `gold-dev-ru.jsonl`, {info['n_dev_docs']} docs): "
        f"{info['n_dev_un']} docs are UN speech ids, each checked by finding its English dev sentences "
        f"verbatim in that speech ({info['n_dev_matched']} matched in full, so each is its speech); the others:",
        *[f"  - {note}" for note in info["dev_notes"]],
        f"- In all {info['n_excluded_en']} UN speeches excluded; also every candidate sentence whose "
        "normalized text equals a sentence in any gold file, and speeches whose text hash equals an "
        f"excluded speech's ({info['hash_dupes']} such).",
        "- The script asserts, after the draw, that no sampled doc is a doc of any gold file or an "
        "excluded speech, and that no sampled sentence's text is in any gold file.",
        "",
        "## Attribution",
        "",
        f"- English: {SOURCE_EN}. Baturo, Dasandi and Mikhaylov (2017), *Research & Politics* 4(2), "
        "https://doi.org/10.1177/2053168017712821.",
        "- Russian: «Президент России», kremlin.ru, CC BY 4.0 (kremlin.ru/about/copyrights); each "
        "sentence's `source` names its item's address.",
        "",
    ]
    return "\n".join(lines)


def expected(rows: list[dict], gold: list[dict]) -> dict[str, float]:
    """Expected positives per frame from the shipped gold's rate per stratum (ru2 strata folded in)."""
    rate: dict[tuple[str, str], float] = {}
    by = defaultdict(list)
    for g in gold:
        by[g["stratum"].removesuffix("-strong")].append(g)
    for stratum, gs in by.items():
        for f in ("threat", "multipolarity", "cooperation"):
            rate[(stratum, f)] = sum(g[f] for g in gs) / len(gs)
    st = Counter(r["stratum"] for r in rows)
    return {f: round(sum(n * rate.get((s, f), 0.0) for s, n in st.items())) for f in
            ("threat", "multipolarity", "cooperation")}


def main(ungdc: str, kremlin: str, out: str, gold_dir: str, dev_dir: str, seeds_dir: str) -> None:
    out_dir = Path(out)
    out_dir.mkdir(parents=True, exist_ok=True)
    gold_en = read_jsonl(Path(gold_dir) / "gold-en.jsonl")
    gold_ru = read_jsonl(Path(gold_dir) / "gold-ru.jsonl")
    dev = read_jsonl(Path(dev_dir) / "gold-dev.jsonl") + read_jsonl(Path(dev_dir) / "gold-dev-ru.jsonl")
    gold_texts = {norm(r["text"]) for r in gold_en + gold_ru + dev}

    un = load_corpus(ungdc)
    kr = load_corpus(kremlin)
    un_texts = {i: norm(un.text(i)) for i in un.ids}
    dev_excl, dev_notes, dev_matched = map_dev_docs(dev, un, Path(seeds_dir), un_texts)
    # the dev docs that are not UN speeches must not be kremlin.ru items either
    kr_texts = {i: norm(kr.text(i)) for i in kr.ids}
    for r in dev:
        if r["doc"] not in un.metadata.index and len(norm(r["text"]).split()) >= 8:
            assert not any(norm(r["text"]) in t for t in kr_texts.values()), f"dev sentence {r['id']} is in a kremlin.ru item"
    gold_en_docs = {r["doc"] for r in gold_en}
    excluded_en = gold_en_docs | dev_excl
    hashes = set(un.metadata.loc[sorted(excluded_en & set(un.ids)), "text_hash"])
    dupes = set(un.metadata.index[un.metadata["text_hash"].isin(hashes)]) - excluded_en
    excluded_en |= dupes

    rng = random.Random(SEED)
    pool = en_pool(un.metadata, excluded_en, rng)
    en_c, en_dropped = clean(ds.candidates(un, "en", pool), un, "en", gold_texts)
    en = draw_strata(en_c, "en", rng)

    gold_ru_docs = {r["doc"] for r in gold_ru}
    ru_ids = sorted(set(kr.ids) - gold_ru_docs)
    ru_c, ru_dropped = clean(ds.candidates(kr, "ru", ru_ids), kr, "ru", gold_texts)
    ru = draw_strata(ru_c, "ru", rng)

    all_gold_docs = gold_en_docs | gold_ru_docs | {r["doc"] for r in dev}
    for rows in (en, ru):
        assert not {r["doc"] for r in rows} & (all_gold_docs | excluded_en), "a sampled doc is in a gold set"
        assert not {norm(r["text"]) for r in rows} & gold_texts, "a sampled sentence is in a gold set"
        assert all(8 <= len(r["text"].split()) <= 70 for r in rows)

    en_rec = records(en, un, "en", "en3", random.Random(SEED + 1))
    ru_rec = records(ru, kr, "ru", "ru3", random.Random(SEED + 2))
    for name, rec in (("en", en_rec), ("ru", ru_rec)):
        write_jsonl(out_dir / f"to-code-{name}.jsonl", rec)
        write_jsonl(out_dir / f"to-code-{name}.blind.jsonl", rec, ("id", "text", "previous"))

    def avail(cands: list[dict]) -> dict[str, int]:
        return {f: sum(min(v, PER_DOC["ru"]) for v in Counter(c["doc"] for c in cands if f in c["cues"]).values())
                for f in ("multipolarity", "threat", "cooperation")}

    info = {
        "ungdc": ungdc, "kremlin": kremlin, "en_pool": len(pool), "ru_pool": len(ru_ids),
        "en_dropped": en_dropped, "ru_dropped": ru_dropped, "ru_available": avail(ru_c),
        "en_cues": Counter(f for r in en for f in r["cues"]), "ru_cues": Counter(f for r in ru for f in r["cues"]),
        "en_expected": expected(en, gold_en), "ru_expected": expected(ru, gold_ru),
        "n_gold_en": len(gold_en_docs), "n_gold_ru": len(gold_ru_docs),
        "n_dev_docs": len({r["doc"] for r in dev}), "n_dev_un": len({r["doc"] for r in dev} & set(un.ids)),
        "dev_notes": dev_notes, "n_dev_matched": dev_matched, "n_excluded_en": len(excluded_en), "hash_dupes": len(dupes),
    }
    (out_dir / "README.md").write_text(readme(en_rec, ru_rec, un, kr, info), encoding="utf-8")
    for name, rec in (("en", en_rec), ("ru", ru_rec)):
        print(name, len(rec), "sentences from", len({r["doc"] for r in rec}), "documents",
              dict(sorted(Counter(r["stratum"] for r in rec).items())))
    for note in dev_notes:
        print(note)


if __name__ == "__main__":
    if len(sys.argv) != 7:
        raise SystemExit(__doc__)
    main(*sys.argv[1:7])
