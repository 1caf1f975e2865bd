"""Assemble the locked test set v4 from the two coders' files, the adjudication and the translations.

Final labels: the coders' labels where they agree, the adjudicator's where they differ (partners
included; `assemble_locked_v3.final_labels`). The Russian translations take their English
sentence's final labels. Writes, into OUT_DIR, `locked-v4-en.jsonl` (UN and en.kremlin.ru
sentences), `locked-v4-ru-translated.jsonl`, `locked-v4-double-coded.jsonl` (both coders' labels)
and `locked-v4-adjudication.jsonl` (the adjudicator's decisions with the rule applied).

    python docs/gold/assemble_locked_v4.py SAMPLE_DIR OUT_DIR

SAMPLE_DIR is the folder `draw_locked_v4.py` wrote, with coder-a/, coder-b/ ({part}.jsonl),
adjudication.jsonl and translation/translated-{1,2}.jsonl beside it.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from assemble_locked_v3 import LABELS, _read, _same, _write, final_labels  # noqa: E402

PARTS = ("un", "kremlin-en")


def assemble(sample: Path, out: Path) -> dict[str, int]:
    adjudicated = {r["id"]: r for r in _read(sample / "adjudication.jsonl")}
    out.mkdir(parents=True, exist_ok=True)
    rows, double, decisions = [], [], []
    for part in PARTS:
        meta = {r["id"]: r for r in _read(sample / f"to-code-{part}.jsonl")}
        coder_a = {r["id"]: r for r in _read(sample / "coder-a" / f"{part}.jsonl")}
        coder_b = {r["id"]: r for r in _read(sample / "coder-b" / f"{part}.jsonl")}
        assert set(meta) == set(coder_a) == set(coder_b), f"{part}: the coders' ids differ from the sample's"
        for i, m in meta.items():
            if not _same(coder_a[i], coder_b[i]):
                assert i in adjudicated, f"{i}: the coders differ and there is no adjudication"
                decisions.append(adjudicated[i])
            rows.append({"id": i, "doc": m["doc"], "language": "en", "date": m["date"], "split": "test",
                         "stratum": m["stratum"], "part": part, "text": m["text"],
                         **final_labels(coder_a[i], coder_b[i], adjudicated), "source": m["source"]})
            double.append({"id": i, "language": "en", "coder_a": {k: coder_a[i][k] for k in LABELS},
                           "coder_b": {k: coder_b[i][k] for k in LABELS}})
    rows.sort(key=lambda r: r["id"])
    final = {r["id"]: r for r in rows}
    translated = []
    for n in (1, 2):
        for t in _read(sample / "translation" / f"translated-{n}.jsonl"):
            en = final[t["id"]]
            translated.append({"id": t["id"].replace("en4", "ru4"), "doc": en["doc"], "language": "ru",
                               "date": en["date"], "split": "test", "stratum": en["stratum"], "part": en["part"],
                               "text": t["text_ru"], "source_text": en["text"], **{k: en[k] for k in LABELS},
                               "source": f"{en['source']}; Russian translation made for the toolkit"})
    assert len(translated) == len(rows), "every English sentence has one translation"
    _write(out / "locked-v4-en.jsonl", rows)
    _write(out / "locked-v4-ru-translated.jsonl", sorted(translated, key=lambda r: r["id"]))
    _write(out / "locked-v4-double-coded.jsonl", double)
    _write(out / "locked-v4-adjudication.jsonl", decisions)
    return {"en": len(rows), "ru-translated": len(translated), "adjudicated": len(decisions)}


if __name__ == "__main__":
    if len(sys.argv) != 3:
        raise SystemExit(__doc__)
    print(assemble(Path(sys.argv[1]), Path(sys.argv[2])))
