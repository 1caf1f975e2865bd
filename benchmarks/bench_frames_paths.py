"""Frame detection on the whole corpus by the two paths into `detect_frames`, one and N processes.

    .venv/bin/python benchmarks/bench_frames_paths.py [--corpus /tmp/ungdc] [--jobs 2] [--fraction 1.0]

Each stage runs `detect_frames` (detection, the sentence table and the aggregation, default
settings) in a fresh process, after the corpus is loaded and its preprocessing cache is warm
(neither timed):

- split: `detect_frames(corpus)`: every text is split into sentences again;
- tokens: `detect_frames(preprocess(corpus))`: the cached sentences, nothing split.

Tokens are running words (`n_words` of the preprocessed corpus: the words
`analysis.preprocess.tokenize` finds, stop words included). Per wall second with N processes,
and per CPU second (the stage process plus its workers). Every stage's sentence table must be
identical (its SHA-256 is compared). Writes benchmarks/results/frames_paths.json.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _measure import RESULTS, machine, run_stage, table  # noqa: E402
from run import _cpu, _emit  # noqa: E402


def stage(corpus_dir: str, fraction: float, source: str, jobs: int) -> None:
    from run import _corpus

    from analysis.framing import detect_frames
    from analysis.preprocess import preprocess

    corpus = _corpus(corpus_dir, fraction)
    tokens = preprocess(corpus)  # warm cache: $ANALYSIS_CACHE_DIR
    words = int(tokens.docvars["n_words"].sum())
    t0, c0 = time.perf_counter(), _cpu()
    result = detect_frames(tokens if source == "tokens" else corpus, n_jobs=jobs, cache=False)  # detection, not a stored table
    seconds, cpu = time.perf_counter() - t0, _cpu() - c0
    digest = hashlib.sha256(result.sentences.to_csv(index=False).encode("utf-8")).hexdigest()
    _emit({"stage": f"{source}, {jobs} process{'es' if jobs > 1 else ''}", "documents": len(corpus),
           "sentences": len(result.sentences), "words": words, "seconds": round(seconds, 2),
           "cpu_s": round(cpu, 2), "tokens_per_s": round(words / seconds), "tokens_per_cpu_s": round(words / cpu),
           "sha256": digest})


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--corpus", default="/tmp/ungdc")
    ap.add_argument("--fraction", type=float, default=1.0)
    ap.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    ap.add_argument("--cache-dir", help="a preprocessing cache to use (default: a new temporary one)")
    ap.add_argument("--stage", choices=["split", "tokens", "warm"], help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.stage == "warm":
        from run import _corpus

        from analysis.preprocess import preprocess

        preprocess(_corpus(args.corpus, args.fraction))
        print("RESULT {}")
        return 0
    if args.stage:
        stage(args.corpus, args.fraction, args.stage, args.jobs)
        return 0

    script = Path(__file__).resolve()
    cache = args.cache_dir or tempfile.mkdtemp(prefix="bench-frames-")
    env = {"ANALYSIS_CACHE_DIR": cache}
    common = ["--corpus", args.corpus, "--fraction", str(args.fraction)]
    load = os.getloadavg()
    try:
        run_stage(script, *common, "--stage", "warm", env=env)
        rows = [run_stage(script, *common, "--stage", s, "--jobs", str(j), env=env)
                for s, j in (("split", 1), ("tokens", 1), ("split", args.jobs), ("tokens", args.jobs))]
    finally:
        if not args.cache_dir:
            shutil.rmtree(cache, ignore_errors=True)
    same = len({r["sha256"] for r in rows}) == 1
    print(table(rows, ["stage", "documents", "sentences", "words", "seconds", "cpu_s", "tokens_per_s",
                       "tokens_per_cpu_s", "peak_mb", "workers_peak_mb"]))
    print(f"identical sentence tables: {same} ({rows[0]['sha256'][:16]}...); load average before "
          f"{load[0]:.2f}, after {os.getloadavg()[0]:.2f}")
    RESULTS.mkdir(parents=True, exist_ok=True)
    out = RESULTS / "frames_paths.json"
    out.write_text(json.dumps({"corpus": args.corpus, "fraction": args.fraction, "jobs": args.jobs,
                               "load_average_before": load, "identical": same, "machine": machine(),
                               "rows": rows}, indent=2) + "\n")
    print(f"written {out}")
    return 0 if same else 1


if __name__ == "__main__":
    raise SystemExit(main())
