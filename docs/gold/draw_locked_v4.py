"""Draw the locked test sample v4 for the frame detector (issue 15): English sentences from UN
General Debate speeches and from en.kremlin.ru pages that no gold set, development set or
earlier locked test has used.

v3 was scored once and is development data since; v4 replaces it as the held-out test. The draw
reuses v3's machinery (`draw_locked_v3.py`: cue strata from the codebook's cue words, boilerplate
cleaning, at most two sentences a document, seeded shuffles). The detector is not run: nothing in
the draw depends on its lexicon. The Russian part of v4 is translations of these sentences (only
8 kremlin.ru items of the 2025 table are unused by a gold set, too few for a native draw).

    python docs/gold/draw_locked_v4.py UNGDC_IMPORT KREMLIN_RU_IMPORT KREMLIN_EN_IMPORT OUT_DIR GOLD_DIR DEV_DIR SEEDS_DIR

KREMLIN_EN_IMPORT is `corpus import html` of ../shared/corpora/kremlin-en-html; GOLD_DIR holds the
shipped gold (gold-en.jsonl, gold-ru.jsonl, locked-v3/). Same inputs -> same files.
"""

from __future__ import annotations

import random
import sys
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import draw_locked_v3 as v3  # noqa: E402
import draw_sample as ds  # noqa: E402

from analysis.corpus import load_corpus  # noqa: E402

SEED = 20261203
PARTS = {  # name: (prefix, total, cue targets)
    "un": ("en4u", 230, {"multipolarity": 90, "threat": 45, "cooperation": 40}),
    "kremlin-en": ("en4k", 120, {"multipolarity": 35, "threat": 25, "cooperation": 25}),
}
SOURCE_KE = "«President of Russia», en.kremlin.ru, CC BY 4.0, {url}"


def draw(cands: list[dict], total: int, targets: dict[str, int], rng: random.Random) -> list[dict]:
    """v3's stratified draw with this part's totals."""
    v3.TOTAL["en"], v3.CUE_TARGETS["en"] = total, targets
    return v3.draw_strata(cands, "en", rng)


def main(ungdc: str, kremlin_ru: str, kremlin_en: str, out: str, gold_dir: str, dev_dir: str, seeds_dir: str) -> None:
    out_dir = Path(out)
    out_dir.mkdir(parents=True, exist_ok=True)
    gold = Path(gold_dir)
    shipped = (v3.read_jsonl(gold / "gold-en.jsonl") + v3.read_jsonl(gold / "gold-ru.jsonl")
               + v3.read_jsonl(gold / "locked-v3" / "locked-v3-en.jsonl")
               + v3.read_jsonl(gold / "locked-v3" / "locked-v3-ru.jsonl"))
    dev = v3.read_jsonl(Path(dev_dir) / "gold-dev.jsonl") + v3.read_jsonl(Path(dev_dir) / "gold-dev-ru.jsonl")
    gold_texts = {v3.norm(r["text"]) for r in shipped + dev}

    un = load_corpus(ungdc)
    ke = load_corpus(kremlin_en)
    load_corpus(kremlin_ru)  # only checked to load: no native Russian part (see the docstring)
    un_texts = {i: v3.norm(un.text(i)) for i in un.ids}
    dev_excl, dev_notes, _ = v3.map_dev_docs(dev, un, Path(seeds_dir), un_texts)
    excluded = {r["doc"] for r in shipped} | dev_excl
    hashes = set(un.metadata.loc[sorted(excluded & set(un.ids)), "text_hash"])
    excluded |= set(un.metadata.index[un.metadata["text_hash"].isin(hashes)])

    rng = random.Random(SEED)
    pool = v3.en_pool(un.metadata, excluded, rng)
    un_c, un_dropped = v3.clean(ds.candidates(un, "en", pool), un, "en", gold_texts)
    # kremlin-en pages: none may hold a gold or development sentence (the seeds and dev are CSTO texts)
    long_gold = [t for t in gold_texts if len(t.split()) >= 8]
    ke_norm = {i: v3.norm(ke.text(i)) for i in sorted(ke.ids)}
    ke_ids = [i for i, text in ke_norm.items() if not any(t in text for t in long_gold)]
    ke_c, ke_dropped = v3.clean(ds.candidates(ke, "en", ke_ids), ke, "en", gold_texts)

    parts = {}
    for name, cands, corpus in (("un", un_c, un), ("kremlin-en", ke_c, ke)):
        prefix, total, targets = PARTS[name]
        rows = draw(cands, total, targets, rng)
        assert not {r["doc"] for r in rows} & excluded, "a sampled doc is in a gold set"
        assert not {v3.norm(r["text"]) for r in rows} & gold_texts, "a sampled sentence is in a gold set"
        rec = v3.records(rows, corpus, "en", prefix, random.Random(SEED + len(parts) + 1))
        if name == "kremlin-en":
            for r in rec:
                r["source"] = SOURCE_KE.format(url=corpus.metadata.loc[r["doc"]].get("url") or r["doc"])
        parts[name] = rec
        v3.write_jsonl(out_dir / f"to-code-{name}.jsonl", rec)
        v3.write_jsonl(out_dir / f"to-code-{name}.blind.jsonl", rec, ("id", "text", "previous"))
        print(name, len(rec), "sentences from", len({r["doc"] for r in rec}), "documents",
              dict(sorted(Counter(r["stratum"] for r in rec).items())))
    lines = ["# Locked test v4: the draw", "",
             f"Seed {SEED}; UN pool {len(pool)} speeches, kremlin-en pool {len(ke_ids)} pages "
             f"({len(ke.ids) - len(ke_ids)} left out: they hold a gold sentence).",
             f"Excluded UN speeches (gold, dev, locked v3 and their text duplicates): {len(excluded)}.",
             f"Dropped UN candidates: {dict(un_dropped)}; kremlin-en: {dict(ke_dropped)}.", ""]
    for name, rec in parts.items():
        lines.append(f"- {name}: {len(rec)} sentences from {len({r['doc'] for r in rec})} documents, strata "
                     f"{dict(sorted(Counter(r['stratum'] for r in rec).items()))}")
    lines += [""] + dev_notes
    (out_dir / "README.md").write_text("\n".join(lines) + "\n", encoding="utf-8")


if __name__ == "__main__":
    if len(sys.argv) != 8:
        raise SystemExit(__doc__)
    main(*sys.argv[1:8])
