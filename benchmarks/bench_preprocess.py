"""Preprocessing speed and memory on a corpus (default: the UN General Debate Corpus import).

    python benchmarks/bench_preprocess.py [--corpus /tmp/ungdc] [--fraction 1.0]

Stages, each in a fresh process: ours cold (empty cache), ours cached (second run), and a plain NLTK
baseline (RegexpTokenizer + Snowball stemmer + stop words, the same documents, one process).
`seconds` is the stage itself; `wall_seconds` adds interpreter start and loading the corpus.
Tokens per second count running words (before stop words are removed).
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _measure import RESULTS, emit, first_share, machine, run_stage, table  # noqa: E402


def stage_ours(path: str, fraction: float, cache_dir: str, label: str) -> None:
    from analysis.preprocess import preprocess

    corpus = first_share(path, fraction)
    start = time.perf_counter()
    tokens = preprocess(corpus, cache_dir=cache_dir)
    n_tokens_kept = int(tokens.metadata["n_tokens"].sum())
    # Read everything back, as a method would: iteration streams from the cache.
    read = sum(doc.n_tokens for doc in tokens)
    seconds = time.perf_counter() - start
    emit({"stage": label, "documents": len(corpus), "tokens": int(tokens.metadata["n_words"].sum()),
          "tokens_kept": n_tokens_kept, "tokens_read": read, "seconds": round(seconds, 2)})


def stage_nltk(path: str, fraction: float) -> None:
    from nltk.stem.snowball import SnowballStemmer
    from nltk.tokenize import RegexpTokenizer

    from analysis.preprocess.lexicon import stopwords

    corpus = first_share(path, fraction)
    tokenizer = RegexpTokenizer(r"\w+")
    stemmer = SnowballStemmer("english")
    stops = stopwords("en")
    start = time.perf_counter()
    kept = words = 0
    for doc in corpus:
        raw = tokenizer.tokenize(doc.text.lower())
        words += len(raw)
        kept += len([stemmer.stem(t) for t in raw if t not in stops and len(t) > 1])
    seconds = time.perf_counter() - start
    emit({"stage": "nltk baseline (1 process)", "documents": len(corpus), "tokens": words, "tokens_kept": kept,
          "seconds": round(seconds, 2)})


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--corpus", default="/tmp/ungdc")
    ap.add_argument("--fraction", type=float, default=1.0)
    ap.add_argument("--stage", choices=["cold", "cached", "nltk"])
    ap.add_argument("--cache-dir")
    args = ap.parse_args()
    if args.stage == "nltk":
        return stage_nltk(args.corpus, args.fraction)
    if args.stage:
        return stage_ours(args.corpus, args.fraction, args.cache_dir, f"ours {args.stage}")

    script = Path(__file__).resolve()
    cache = tempfile.mkdtemp(prefix="bench-preprocess-")
    common = ["--corpus", args.corpus, "--fraction", str(args.fraction)]
    try:
        rows = [run_stage(script, *common, "--stage", "cold", "--cache-dir", cache),
                run_stage(script, *common, "--stage", "cached", "--cache-dir", cache),
                run_stage(script, *common, "--stage", "nltk")]
    finally:
        shutil.rmtree(cache, ignore_errors=True)
    for r in rows:
        r["docs_per_s"] = round(r["documents"] / r["seconds"], 1)
        r["tokens_per_s"] = round(r["tokens"] / r["seconds"])
    print(table(rows, ["stage", "documents", "tokens", "tokens_kept", "seconds", "wall_seconds", "docs_per_s",
                       "tokens_per_s", "peak_mb", "peak_children_mb"]))
    RESULTS.mkdir(parents=True, exist_ok=True)
    out = RESULTS / "preprocess.json"
    out.write_text(json.dumps({"corpus": args.corpus, "fraction": args.fraction, "machine": machine(),
                               "rows": rows}, indent=2) + "\n")
    print(f"written {out}")


if __name__ == "__main__":
    main()
