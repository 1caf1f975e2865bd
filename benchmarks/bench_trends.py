"""The whole keyword-trends pass on a corpus (default: the UN General Debate import), timed.

    python benchmarks/bench_trends.py [--corpus /tmp/ungdc] [--fraction 1.0]

Two stages, each in a fresh process: "cold" (empty cache: preprocessing and counting included)
and "cached" (the same cache again: processed documents and the stored term and vocabulary counts
are read back, so only the statistics are computed). Each stage times its steps separately:

- preprocess: `preprocess(corpus)` (lemmas, default parameters);
- group rates: `term_trends(tokens, ["multipolar*"], TrendSettings(period="year", group="country",
  values=("RUS", "CHN"), start=1970, end=2024))`;
- term trends: `term_trends(tokens, TERMS, TrendSettings(period="year"))` (rates with intervals +
  trend tests);
- vocabulary trends: `term_trends(tokens, None, TrendSettings(period="year", ...))` (every token
  above min_count);
- keyness: `keyness(tokens, "after:1991")` (`--split`).

Prints a table and writes `benchmarks/results/trends.json`.
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

TERMS = ["multipolar*", "terrorism", "multipolar world", "sovereignty", "cold war", "disarmament",
         "climate change", "sustainable development", "apartheid", "human rights"]
STEPS = ["preprocess", "group_rates", "term_trends", "vocabulary_trends", "keyness"]


def stage(path: str, fraction: float, cache_dir: str, label: str, split: str) -> None:
    from analysis.preprocess import preprocess
    from analysis.trends import TrendSettings, keyness, term_trends

    corpus = first_share(path, fraction)
    seconds: dict[str, float] = {}
    t0 = time.perf_counter()
    tokens = preprocess(corpus, cache_dir=cache_dir)
    seconds["preprocess"] = time.perf_counter() - t0

    t = time.perf_counter()
    groups = term_trends(tokens, ["multipolar*"], TrendSettings(period="year", group="country", values=("RUS", "CHN"),
                                                           start=1970, end=2024))
    seconds["group_rates"] = time.perf_counter() - t

    t = time.perf_counter()
    terms = term_trends(tokens, TERMS, TrendSettings(period="year"))
    seconds["term_trends"] = time.perf_counter() - t

    t = time.perf_counter()
    vocab = term_trends(tokens, None, TrendSettings(period="year", min_count=50, min_docs=20))
    seconds["vocabulary_trends"] = time.perf_counter() - t

    t = time.perf_counter()
    key = keyness(tokens, split)
    seconds["keyness"] = time.perf_counter() - t

    total = sum(seconds.values())
    emit({"stage": label, "documents": len(corpus), "tokens": int(tokens.metadata["n_tokens"].sum()),
          **{f"{k}_s": round(v, 2) for k, v in seconds.items()},
          "trends_s": round(total - seconds["preprocess"], 2), "total_s": round(total, 2),
          "vocabulary_terms_tested": len(vocab.tests),
          "vocabulary_rising": int((vocab.tests["direction"] == "rising").sum()),
          "vocabulary_falling": int((vocab.tests["direction"] == "falling").sum()),
          "terms_rising": int((terms.tests["direction"] == "rising").sum()),
          "terms_falling": int((terms.tests["direction"] == "falling").sum()),
          "keyness_terms": len(key.table),
          "multipolar_count": int(groups.terms["count"].sum())})


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--corpus", default="/tmp/ungdc")
    ap.add_argument("--fraction", type=float, default=1.0)
    ap.add_argument("--stage", choices=["cold", "cached"])
    ap.add_argument("--cache-dir")
    ap.add_argument("--split", default="after:1991", help="keyness split")
    args = ap.parse_args()
    if args.stage:
        return stage(args.corpus, args.fraction, args.cache_dir, args.stage, args.split)

    if not Path(args.corpus).exists():
        sys.exit(f"no corpus at {args.corpus}; import the UN General Debate Corpus first "
                 "(python -m analysis corpus import ungdc ...; see notebooks/03_keyword_trends.ipynb)")
    script = Path(__file__).resolve()
    cache = tempfile.mkdtemp(prefix="bench-trends-")
    common = ["--corpus", args.corpus, "--fraction", str(args.fraction), "--split", args.split]
    try:
        rows = [run_stage(script, *common, "--stage", "cold", "--cache-dir", cache),
                run_stage(script, *common, "--stage", "cached", "--cache-dir", cache)]
    finally:
        shutil.rmtree(cache, ignore_errors=True)
    print(table(rows, ["stage", "documents", "tokens", *[f"{s}_s" for s in STEPS], "trends_s", "total_s",
                       "wall_seconds", "peak_mb", "peak_children_mb"]))
    print(f"vocabulary: {rows[-1]['vocabulary_terms_tested']} terms tested, "
          f"{rows[-1]['vocabulary_rising']} rising, {rows[-1]['vocabulary_falling']} falling (q < 0.05)")
    RESULTS.mkdir(parents=True, exist_ok=True)
    out = RESULTS / "trends.json"
    out.write_text(json.dumps({"corpus": args.corpus, "fraction": args.fraction, "terms": TERMS, "split": args.split,
                               "machine": machine(), "rows": rows}, indent=2) + "\n")
    print(f"written {out}")


if __name__ == "__main__":
    main()
