"""Assemble the locked test set v3 from the two coders' files and the adjudication.

Final labels: the coders' labels where they agree, the adjudicator's where they differ (partners
included). The Russian translations of the English sentences take the English sentence's final
labels, as the development gold's translations did. Writes, into OUT_DIR, `locked-v3-en.jsonl`,
`locked-v3-ru.jsonl` (native kremlin.ru sentences), `locked-v3-ru-translated.jsonl`,
`locked-v3-double-coded.jsonl` (both coders' labels) and `locked-v3-adjudication.jsonl`.

    python docs/gold/assemble_locked_v3.py SAMPLE_DIR OUT_DIR
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

FRAMES = ("threat", "multipolarity", "cooperation")
LABELS = (*FRAMES, "partners")
UN = "UN General Debate Corpus v13 (Jankin, Baturo and Dasandi), CC0"


def _read(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def _write(path: Path, rows: list[dict]) -> None:
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")


def _same(a: dict, b: dict) -> bool:
    return all(a[f] == b[f] for f in FRAMES) and sorted(a["partners"]) == sorted(b["partners"])


def final_labels(a: dict, b: dict, adjudicated: dict[str, dict]) -> dict:
    """The coders' labels where they agree, else the adjudicator's."""
    if _same(a, b):
        return {f: int(a[f]) for f in FRAMES} | {"partners": sorted(a["partners"])}
    d = adjudicated[a["id"]]
    return {f: int(d[f]) for f in FRAMES} | {"partners": sorted(d["partners"]) if d["cooperation"] else []}


def assemble(sample: Path, out: Path) -> dict[str, int]:
    adjudicated = {r["id"]: r for r in _read(sample / "adjudication.jsonl")}
    out.mkdir(parents=True, exist_ok=True)
    counts: dict[str, int] = {}
    final_en: dict[str, dict] = {}
    double, decisions = [], []
    for lang in ("en", "ru"):
        meta = {r["id"]: r for r in _read(sample / f"to-code-{lang}.jsonl")}
        coder_a = {r["id"]: r for r in _read(sample / f"coder-a-{lang}.jsonl")}
        coder_b = {r["id"]: r for r in _read(sample / f"coder-b-{lang}.jsonl")}
        assert set(meta) == set(coder_a) == set(coder_b), f"{lang}: the coders' ids differ from the sample's"
        rows = []
        for i, m in meta.items():
            labels = final_labels(coder_a[i], coder_b[i], adjudicated)
            rows.append({"id": i, "doc": m["doc"], "language": lang, "date": m["date"], "split": "test",
                         "stratum": m["stratum"], "text": m["text"], **labels, "source": m["source"]})
            double.append({"id": i, "language": lang,
                           "coder_a": {k: coder_a[i][k] for k in LABELS},
                           "coder_b": {k: coder_b[i][k] for k in LABELS}})
            if i in adjudicated and not _same(coder_a[i], coder_b[i]):
                decisions.append(adjudicated[i])
        rows.sort(key=lambda r: r["id"])
        _write(out / f"locked-v3-{lang}.jsonl", rows)
        counts[lang] = len(rows)
        if lang == "en":
            final_en = {r["id"]: r for r in rows}
    translated = []
    for t in _read(sample / "translated-ru.jsonl"):
        en = final_en[t["source_id"]]
        translated.append({"id": t["id"], "doc": en["doc"], "language": "ru", "date": en["date"], "split": "test",
                           "stratum": en["stratum"], "text": t["text"], "source_text": en["text"],
                           **{k: en[k] for k in LABELS},
                           "source": f"{UN}; Russian translation made for the toolkit"})
    _write(out / "locked-v3-ru-translated.jsonl", sorted(translated, key=lambda r: r["id"]))
    _write(out / "locked-v3-double-coded.jsonl", double)
    _write(out / "locked-v3-adjudication.jsonl", decisions)
    counts |= {"ru-translated": len(translated), "adjudicated": len(decisions)}
    return counts


if __name__ == "__main__":
    print(assemble(Path(sys.argv[1]), Path(sys.argv[2])))
