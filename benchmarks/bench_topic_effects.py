"""The UN General Debate 1970-2024 at k=18, paragraph units: topics, their FREX terms and the
effect of time on each (`analysis.topics.effects.effect`, formula "s(year)").

    nice -n 10 .venv/bin/python benchmarks/bench_topic_effects.py [--corpus /work/data/ungdc]
        [--first 1970] [--last 2024] [--k 18] [--draws 50]

Stages (wall and CPU seconds each, CPU = user + system of this process): preprocess (from the
preprocessing cache when it is filled), fit (LDA on 5-sentence paragraphs, online VB, 10 passes;
read back from the results cache on a rerun), describe (terms, FREX, coherence on the training
units), effect with the method of composition, and the same contrast by a document bootstrap
for comparison. Results: benchmarks/results/topic_effects.json and a Markdown table on stdout.
The corpus: an imported UNGDC folder (`python -m analysis corpus import ungdc ...`).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))
from _measure import RESULTS, machine, vm_hwm_mb  # noqa: E402


def _cpu() -> float:
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime


class Stage:
    """Wall and CPU seconds of a block."""

    def __init__(self, name: str, log: dict) -> None:
        self.name, self.log = name, log

    def __enter__(self) -> Stage:
        self.wall, self.cpu = time.perf_counter(), _cpu()
        return self

    def __exit__(self, *exc: object) -> None:
        self.log[self.name] = {"wall_s": round(time.perf_counter() - self.wall, 1),
                               "cpu_s": round(_cpu() - self.cpu, 1)}
        print(f"{self.name}: {self.log[self.name]}", flush=True)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--corpus", default="/work/data/ungdc")
    ap.add_argument("--first", type=int, default=1970)
    ap.add_argument("--last", type=int, default=2024)
    ap.add_argument("--k", type=int, default=18)
    ap.add_argument("--draws", type=int, default=50)
    ap.add_argument("--seed", type=int, default=0)
    args = ap.parse_args()

    from analysis import topics as T
    from analysis.corpus import load_corpus
    from analysis.preprocess import preprocess
    from analysis.topics import effects as E

    stages: dict = {}
    wall0, cpu0 = time.perf_counter(), _cpu()
    load = os.getloadavg()
    with Stage("preprocess", stages):
        corpus = load_corpus(args.corpus)
        year = corpus.metadata["year"].fillna(0).astype(int)
        corpus = corpus.subset(((year >= args.first) & (year <= args.last)).tolist())
        tokens = preprocess(corpus)
    with Stage("fit", stages):
        model = T.TopicModel(k=args.k, unit="paragraph", seed=args.seed).fit(tokens)
    with Stage("describe", stages):
        result = T.describe_topics(model, period="year", n_boot=200)
    with Stage("effect_composition", stages):
        comp = E.effect(model, "s(year)", uncertainty="composition", n_draws=args.draws, n_coef=10)
    with Stage("effect_bootstrap", stages):
        boot = E.effect(model, "s(year)", uncertainty="bootstrap", n_boot=500)
    total = {"wall_s": round(time.perf_counter() - wall0, 1), "cpu_s": round(_cpu() - cpu0, 1)}

    c = comp.effects[comp.effects["contrast"] == E.FIRST_TO_LAST].set_index("topic")
    b = boot.effects[boot.effects["contrast"] == E.FIRST_TO_LAST].set_index("topic")
    rows = []
    for row in result.topics.itertuples(index=False):
        t = int(row.topic)
        rows.append({"topic": t, "prevalence": round(float(row.prevalence), 4),
                     "frex": row.frex_terms.split(", ")[:7], "c_npmi": round(float(row.c_npmi), 3),
                     "first_to_last": round(float(c.loc[t, "estimate"]), 4),
                     "ci_low": round(float(c.loc[t, "ci_low"]), 4),
                     "ci_high": round(float(c.loc[t, "ci_high"]), 4),
                     "boot_ci_low": round(float(b.loc[t, "ci_low"]), 4),
                     "boot_ci_high": round(float(b.loc[t, "ci_high"]), 4)})
    record = {"corpus": args.corpus, "years": [args.first, args.last], "k": args.k, "unit": "paragraph",
              "seed": args.seed, "n_documents": int(model.doc_topic_.shape[0]), "n_units": len(model.units_),
              "n_terms": int(model.topic_term_.shape[1]), "passes": int(model.passes_),
              "effect": comp.params, "interval": comp.interval, "bootstrap_interval": boot.interval,
              "stages": stages, "total": total, "load_average_before": [round(v, 2) for v in load],
              "peak_mb": round(vm_hwm_mb(), 1), "topics": rows, "machine": machine()}
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "topic_effects.json").write_text(json.dumps(record, indent=1, default=str), encoding="utf-8")

    print()
    print("| topic | mean share | FREX terms | c_npmi | first-to-last (1970→2024), 95% composition | document bootstrap |")
    print("|---|---|---|---|---|---|")
    for r in sorted(rows, key=lambda r: -r["first_to_last"]):
        print(f"| {r['topic']} | {r['prevalence']:.1%} | {', '.join(r['frex'])} | {r['c_npmi']:.3f} | "
              f"{r['first_to_last']:+.3f} [{r['ci_low']:+.3f}, {r['ci_high']:+.3f}] | "
              f"[{r['boot_ci_low']:+.3f}, {r['boot_ci_high']:+.3f}] |")
    print(f"\n{record['n_documents']} speeches, {record['n_units']} paragraph units, {record['n_terms']} terms; "
          f"total {total['wall_s']} s wall, {total['cpu_s']} s CPU; peak {record['peak_mb']} MB")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
