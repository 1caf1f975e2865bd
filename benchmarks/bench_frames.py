"""Frame detection speed on one core (default: all 10,952 UN General Debate speeches).

    python benchmarks/bench_frames.py [--corpus /tmp/ungdc] [--fraction 1.0]

The corpus is the imported folder when it exists, else the distributed
`../shared/corpora/ungdc/UNGDC_1946-2024.tgz` read directly with the UNGDC importer. Texts are
loaded into memory first (not timed). Timed: `split_sentences` + `detect_processed_batch` (sentence split +
tokenize + lemma lookup + matching + rows) over every document in one process, after the lexicon is
compiled (compile time reported apart), as wall time and as CPU time of the process (the CPU figure is
the one that does not depend on other load on the machine). Also timed apart: sentence
splitting alone, for scale. Tokens are counted with `analysis.preprocess.tokenize`. Writes
benchmarks/results/frames.json.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _measure import RESULTS, SHARED, machine, peak_rss_mb, table  # noqa: E402

TARGET_TOKENS_PER_S = 1_000_000


def load_documents(path: str, fraction: float) -> tuple[list, str]:
    """The documents in memory, and where they came from."""
    from analysis.corpus import load_corpus

    folder = Path(path)
    if folder.is_dir():
        corpus = load_corpus(folder)
        docs = list(corpus)
        source = str(folder)
    else:
        from analysis.corpus.importers.ungdc import import_ungdc

        tgz = SHARED / "corpora" / "ungdc" / "UNGDC_1946-2024.tgz"
        if not tgz.exists():
            raise SystemExit(f"neither {folder} nor {tgz} exists")
        docs = list(import_ungdc(tgz).documents)
        source = str(tgz)
    docs.sort(key=lambda d: d.id)
    if fraction < 1.0:
        docs = docs[: max(1, int(len(docs) * fraction))]
    return docs, source


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--corpus", default="/tmp/ungdc")
    ap.add_argument("--fraction", type=float, default=1.0)
    ap.add_argument("--batch-size", type=int, default=256)
    args = ap.parse_args()

    import pandas as pd

    from analysis.framing import FrameDetector
    from analysis.framing.detect import detect_processed_batch
    from analysis.preprocess import ProcessedDoc, split_sentences, tokenize

    t0 = time.perf_counter()
    docs, source = load_documents(args.corpus, args.fraction)
    load_s = time.perf_counter() - t0

    t0 = time.perf_counter()
    det = FrameDetector()
    for lang in sorted({d.language for d in docs}):
        det.compiled(lang)
        det.detect_many(["warm up"], lang)
    compile_s = time.perf_counter() - t0

    t0, c0 = time.perf_counter(), time.process_time()
    tables = []
    for start in range(0, len(docs), args.batch_size):
        batch = docs[start : start + args.batch_size]
        tables.append(detect_processed_batch([ProcessedDoc(d.id, split_sentences(d.text), []) for d in batch],
                                             [d.language for d in batch], det))
    detect_s, detect_cpu = time.perf_counter() - t0, time.process_time() - c0

    c0 = time.process_time()
    sentences = [s for d in docs for s in split_sentences(d.text)]
    split_cpu = time.process_time() - c0
    n_tokens = sum(len(tokenize(s)) for s in sentences)
    rows = pd.concat(tables, ignore_index=True)
    if len(sentences) != len(rows):
        raise SystemExit(f"row count {len(rows)} differs from sentence count {len(sentences)}")

    shares = {f: round(float(rows[f].mean()), 4) if len(rows) else 0.0 for f in det.frames}
    with_partner = int((rows["partners"] != "").sum())
    result = {
        "corpus": source, "fraction": args.fraction, "documents": len(docs), "sentences": len(rows),
        "tokens": n_tokens, "load_seconds": round(load_s, 2), "compile_seconds": round(compile_s, 2),
        "detect_seconds": round(detect_s, 2), "tokens_per_s": round(n_tokens / detect_s),
        "detect_cpu_seconds": round(detect_cpu, 2), "tokens_per_cpu_s": round(n_tokens / detect_cpu),
        "split_only_cpu_seconds": round(split_cpu, 2), "split_only_tokens_per_cpu_s": round(n_tokens / split_cpu),
        "target_tokens_per_s": TARGET_TOKENS_PER_S,
        "meets_target": n_tokens / detect_cpu >= TARGET_TOKENS_PER_S,
        "share_of_sentences": shares, "sentences_with_partners": with_partner,
        "lexicon_version": det.lexicon.version, "lexicon_hash": det.lexicon.hash, **peak_rss_mb(),
    }
    print(table([result], ["documents", "sentences", "tokens", "detect_seconds", "detect_cpu_seconds",
                           "tokens_per_s", "tokens_per_cpu_s", "split_only_cpu_seconds", "peak_mb"]))
    print(f"frame detection: {result['tokens_per_cpu_s']:,} tokens per CPU second on one core "
          f"({result['detect_cpu_seconds']} CPU s, {result['detect_seconds']} s wall, for {len(docs)} "
          f"documents); target {TARGET_TOKENS_PER_S:,} {'met' if result['meets_target'] else 'not met'}; "
          f"sentence splitting alone: {result['split_only_tokens_per_cpu_s']:,} tokens per CPU second")
    RESULTS.mkdir(parents=True, exist_ok=True)
    out = RESULTS / "frames.json"
    out.write_text(json.dumps({"machine": machine(), "result": result}, indent=2) + "\n")
    print(f"written {out}")


if __name__ == "__main__":
    main()
