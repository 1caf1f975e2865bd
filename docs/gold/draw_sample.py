"""Draw the sentences of the shipped framing gold set (English UN speeches, Russian kremlin.ru items).

Stratified by cue words written from the codebook's frame definitions (not from the detector's
lexicon), plus a plain random stratum; at most a few sentences per document so that the
set spans many documents (it is split by document later). Writes one JSONL of candidates per
language with the stratum each sentence was drawn for (kept away from the coders).

    python docs/gold/draw_sample.py UNGDC_IMPORT KREMLIN_RU_IMPORT OUT_DIR [EXCLUDE.jsonl]

UNGDC_IMPORT and KREMLIN_RU_IMPORT are corpus folders made by `python -m analysis corpus import
ungdc ...` and `corpus import table ...kremlin_ru_2025.jsonl`; EXCLUDE.jsonl, when given, is a gold
file whose documents are left out (the development gold in ../shared/framing/gold-dev.jsonl was).
A second Russian draw (ids ru2-*) adds sentences with strong world-order cues, since the first
draw found few multipolarity positives in the Russian items.
"""

from __future__ import annotations

import json
import random
import re
import sys
from collections import defaultdict
from pathlib import Path

from analysis.corpus import load_corpus
from analysis.preprocess.text import split_sentences

SEED = 20261202

CUES = {
    "en": {
        "threat": r"\b(threat|terroris|extremis|danger|war\b|wars\b|conflict|weapon|nuclear|arms\b|drug|traffick"
                  r"|violen|aggressi|attack|militar|insurgen|pandemic|epidemic|missile|instabilit|crime|criminal)",
        "multipolarity": r"(multipolar|polycentric|unipolar|hegemon|world order|international order|new order"
                         r"|international system|balance of power|\bblocs?\b|superpower|great powers?|centres? of power"
                         r"|centers? of power|dominat|diktat|dictat|unilateral|sovereign equality|indivisib"
                         r"|security architecture|spheres? of influence|imperialis|colonialis|cold war|the west\b"
                         r"|western|power politics|equal security|democrati[sz]ation of international)",
        "cooperation": r"(cooperat|co-operat|partner|joint|agreement|dialogue|coordinat|collaborat|treaty"
                       r"|assistance|consultation|memorandum|summit|integration)",
    },
    "ru": {
        "threat": r"(угроз|террор|экстремис|опасн|войн|конфликт|оружи|ядерн|наркот|насили|агресс|атак|санкц"
                  r"|диверс|боевик|нацис|неонацис|преступн|дестабилиз|удар|обстрел)",
        "multipolarity": r"(многополяр|полицентр|однополяр|гегемон|миропоряд|мирово\w* порядк|международн\w* порядк"
                         r"|архитектур|неделим|суверенн\w* равенств|запад|\bблок|диктат|односторонн|центр\w* сил"
                         r"|больш\w* евраз|доминир|колониал|глобальн\w* большинств|равн\w* безопасност|мирово\w* больш)",
        "cooperation": r"(сотруднич|партн[её]р|совместн|соглашени|диалог|координац|взаимодейств|договор|вместе"
                       r"|меморандум|саммит|интеграц|переговор)",
    },
}

# How many sentences each language takes from each stratum.
TARGETS = {
    "en": {"multipolarity": 250, "threat": 170, "cooperation": 140, "random": 160},
    "ru": {"multipolarity": 95, "threat": 70, "cooperation": 65, "random": 70},
}
PER_DOC = {"en": 2, "ru": 3}
CSTO_CIS = {"RUS", "BLR", "KAZ", "KGZ", "TJK", "ARM", "UZB", "AZE", "MDA", "TKM", "GEO", "UKR"}


def usable(sentence: str) -> bool:
    words = sentence.split()
    return 8 <= len(words) <= 70 and not re.search(r"https?://|kremlin\.ru/d/", sentence)


def ru_body(text: str) -> str:
    """A kremlin.ru item's text without the page's header and footer lines."""
    for marker in ("Темы ", "Статус материала", "Дата публикации:"):
        cut = text.rfind(marker)
        if cut > len(text) * 0.5:
            text = text[:cut]
    return text


def candidates(corpus, language: str, doc_ids: list[str]) -> list[dict]:
    cues = {k: re.compile(v, re.IGNORECASE) for k, v in CUES[language].items()}
    out = []
    for doc_id in doc_ids:
        text = corpus.text(doc_id)
        if language == "ru":
            text = ru_body(text)
        sents = split_sentences(text)
        for i, s in enumerate(sents):
            if language == "ru" and i == 0:
                continue  # the page header line
            if not usable(s):
                continue
            hits = [k for k, rx in cues.items() if rx.search(s)]
            out.append({"doc": doc_id, "i": i, "text": s, "context": sents[i - 1] if i else "", "cues": hits})
    return out


def draw(cands: list[dict], language: str, rng: random.Random) -> list[dict]:
    rng.shuffle(cands)
    per_doc: dict[str, int] = defaultdict(int)
    seen_text: set[str] = set()
    chosen: list[dict] = []
    for stratum in ("multipolarity", "threat", "cooperation", "random"):
        need = TARGETS[language][stratum]
        for c in cands:
            if need == 0:
                break
            if c["text"] in seen_text or per_doc[c["doc"]] >= PER_DOC[language]:
                continue
            if stratum != "random" and stratum not in c["cues"]:
                continue
            c = dict(c, stratum=stratum)
            chosen.append(c)
            seen_text.add(c["text"])
            per_doc[c["doc"]] += 1
            need -= 1
    return chosen


STRONG_RU = re.compile(
    r"(многополяр|полицентр|однополяр|гегемон|миропоряд|мирово\w* порядк|международн\w* порядк"
    r"|архитектур\w* безопасност|неделим|суверенн\w* равенств|\bзапад|диктат|односторонн|центр\w* сил"
    r"|больш\w* евраз|доминир|колониал|глобальн\w* (большинств|юг)|мирово\w* большинств|блоков|нато\b"
    r"|расширени\w* нато)", re.IGNORECASE)


def draw_more_ru(cands: list[dict], first: list[dict], rng: random.Random) -> list[dict]:
    """The second Russian draw: strong world-order cues, then threat and cooperation cues."""
    taken = {r["text"] for r in first}
    per_doc: dict[str, int] = defaultdict(int)
    for r in first:
        per_doc[r["doc"]] += 1
    cands = [c for c in cands if c["text"] not in taken]
    rng.shuffle(cands)
    out = []
    for stratum, need, test in (("multipolarity-strong", 90, lambda c: STRONG_RU.search(c["text"])),
                                ("threat", 20, lambda c: "threat" in c["cues"]),
                                ("cooperation", 20, lambda c: "cooperation" in c["cues"])):
        for c in cands:
            if need == 0:
                break
            if c["text"] in taken or per_doc[c["doc"]] >= 6 or not test(c):
                continue
            out.append(dict(c, stratum=stratum))
            taken.add(c["text"])
            per_doc[c["doc"]] += 1
            need -= 1
    return out


def main(ungdc: str, kremlin: str, out: str, exclude: str | None = None) -> None:
    rng = random.Random(SEED)
    out_dir = Path(out)
    out_dir.mkdir(parents=True, exist_ok=True)
    excluded = ({json.loads(line)["doc"] for line in Path(exclude).open(encoding="utf-8")}
                if exclude else set())

    un = load_corpus(ungdc)
    meta = un.metadata
    meta = meta[~meta.index.isin(excluded)]
    decade = (meta["year"].astype(int) // 10) * 10
    picked: list[str] = []
    for d in sorted(decade.unique()):
        ids = sorted(meta.index[decade == d])
        csto = [i for i in ids if meta.loc[i, "country"] in CSTO_CIS]
        other = [i for i in ids if i not in set(csto)]
        picked += rng.sample(other, min(len(other), 34))
        picked += rng.sample(csto, min(len(csto), 12))
    en = draw(candidates(un, "en", picked), "en", rng)

    kr = load_corpus(kremlin)
    ru_cands = candidates(kr, "ru", sorted(kr.ids))
    ru = draw(list(ru_cands), "ru", rng)
    ru2 = draw_more_ru(candidates(kr, "ru", sorted(kr.ids)), ru, random.Random(SEED + 1))

    for language, prefix, rows, corpus in (("en", "en", en, un), ("ru", "ru", ru, kr), ("ru", "ru2", ru2, kr)):
        with (out_dir / f"sample_{prefix}.jsonl").open("w", encoding="utf-8") as fh:
            for n, r in enumerate(sorted(rows, key=lambda r: (r["doc"], r["i"]))):
                m = corpus.metadata.loc[r["doc"]]
                rec = {
                    "id": f"{prefix}-{n:04d}",
                    "doc": r["doc"],
                    "language": language,
                    "date": str(m["date"]),
                    "context": r["context"],
                    "text": r["text"],
                    "stratum": r["stratum"],
                    "source": ("UN General Debate Corpus v13 (Jankin, Baturo and Dasandi), CC0" if language == "en"
                               else f"Президент России, kremlin.ru, {m['url']} (CC BY 4.0)"),
                }
                fh.write(json.dumps(rec, ensure_ascii=False) + "\n")
        docs = len({r["doc"] for r in rows})
        print(prefix, len(rows), "sentences from", docs, "documents",
              {s: sum(r["stratum"] == s for r in rows) for s in sorted({r["stratum"] for r in rows})})


if __name__ == "__main__":
    main(*sys.argv[1:5])
