"""Preprocessing, term counts and frame detection on a local Dask cluster, on the UN General Debate
corpus replicated R times.

    nice -n 10 python benchmarks/bench_distributed.py [--corpus /work/data/ungdc]
        [--runs "0.25:1:64,0.25:2:64,0.25:2:16,0.25:2:256,1:2:64,2:2:64,8:2:64"] [--frames-max 8]

Each run is `REPLICATION:WORKERS:BATCH` and goes in a fresh Python process with a fresh cluster
(`LocalCluster`, one thread a worker) and an empty cache: a replication below 1 takes the first
share of the corpus; above 1, every speech appears R times, copy r with " Copy r." appended to its
text (so every copy is a document of its own for the cache, and the counts differ by that word).
The stages are the library calls the CLI makes, with `scheduler=` the cluster:

- preprocess: `preprocess(corpus, cache_dir=..., batch_size=BATCH)` (workers read the files and
  write the document cache; counts come back);
- counts: `count_terms(tokens, TERMS, cache=False)` (per-partition sparse counts, stacked);
- frames: `detect_frames(tokens, cache=False, n_boot=100)` (per-partition sentence tables,
  concatenated in the client, then aggregated there), up to replication `--frames-max`.

For each stage: wall time, the client's CPU time, every worker's CPU time and peak resident memory
(`client.run(getrusage)`, cumulative within a run) and the client's peak (VmHWM). Writes
`benchmarks/results/distributed.json` after each run (so a stopped series keeps what it measured).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _measure import RESULTS, machine, run_stage, vm_hwm_mb  # noqa: E402

TERMS = ["multipolar*", "terrorism", "multipolar world", "sovereignty", "cold war", "disarmament",
         "climate change", "sustainable development", "apartheid", "human rights"]
DEFAULT_RUNS = "0.25:1:64,0.25:2:64,0.25:2:16,0.25:2:256,1:2:64,2:2:64,8:2:64"
OUT = RESULTS / "distributed.json"


class ReplicaTexts:
    """Text of document `<id>~<r>`: the text of `<id>`, with " Copy r." appended when r > 0."""

    def __init__(self, base) -> None:
        self.base = base

    def __call__(self, doc_id: str) -> str:
        orig, r = doc_id.rsplit("~", 1)
        text = self.base(orig)
        return text if r == "0" else f"{text}\n\nCopy {r}."


def replicated(path: str, replication: float):
    """The corpus at `path`, its first share (replication < 1) or every document R times."""
    import pandas as pd

    from analysis.corpus import Corpus, load_corpus
    from analysis.corpus.model import text_hash

    base = load_corpus(path)
    if replication <= 1:
        n = max(1, int(len(base) * replication))
        return base.subset([i < n for i in range(len(base))]) if n < len(base) else base
    texts = ReplicaTexts(base._text_source)
    frames = []
    for r in range(int(replication)):
        meta = base.metadata.copy()
        meta.index = [f"{i}~{r}" for i in base.metadata.index]
        meta.index.name = base.metadata.index.name
        if r:
            meta["text_hash"] = [text_hash(texts(i)) for i in meta.index]
            meta["n_chars"] = meta["n_chars"] + len(f"\n\nCopy {r}.")
        frames.append(meta)
    return Corpus(pd.concat(frames), texts, name=f"{base.name}-x{int(replication)}", info=base.info,
                  location=base.location)


def _cpu(usage) -> float:
    return usage.ru_utime + usage.ru_stime


def _worker_usage() -> dict:
    u = resource.getrusage(resource.RUSAGE_SELF)
    return {"cpu_s": u.ru_utime + u.ru_stime, "peak_mb": vm_hwm_mb()}


def stage(path: str, replication: float, workers: int, batch: int, frames: bool) -> None:
    import cloudpickle
    from distributed import Client, LocalCluster

    from analysis.framing import detect_frames
    from analysis.preprocess import preprocess
    from analysis.trends import count_terms

    cloudpickle.register_pickle_by_value(sys.modules["_measure"])  # workers cannot import it
    record: dict = {"replication": replication, "workers": workers, "batch_size": batch, "stages": {}}
    t = time.perf_counter()
    c0 = _cpu(resource.getrusage(resource.RUSAGE_SELF))
    corpus = replicated(path, replication)
    record["documents"] = len(corpus)
    record["load_s"] = round(time.perf_counter() - t, 2)
    record["load_cpu_s"] = round(_cpu(resource.getrusage(resource.RUSAGE_SELF)) - c0, 2)
    cluster = LocalCluster(n_workers=workers, threads_per_worker=1, processes=True, host="127.0.0.1",
                           dashboard_address=None)
    client = Client(cluster)
    try:
        with tempfile.TemporaryDirectory(prefix="bench-dask-") as cache:
            steps = [("preprocess", lambda: preprocess(corpus, cache_dir=cache, scheduler=client,
                                                       batch_size=batch))]
            tokens = None
            before = {w: u["cpu_s"] for w, u in client.run(_worker_usage).items()}
            for name, call in steps + [("counts", None), ("frames", None)]:
                if name == "frames" and not frames:
                    continue
                t = time.perf_counter()
                c0 = _cpu(resource.getrusage(resource.RUSAGE_SELF))
                if name == "preprocess":
                    tokens = call()
                    record["words"] = int(tokens.metadata["n_words"].sum())
                    record["tokens"] = int(tokens.metadata["n_tokens"].sum())
                    record["sentences"] = int(tokens.metadata["n_sentences"].sum())
                elif name == "counts":
                    counts = count_terms(tokens, TERMS, scheduler=client, cache=False, batch_size=batch)
                    record["multipolar_count"] = int(counts.totals()["multipolar*"])
                    del counts
                else:
                    result = detect_frames(tokens, scheduler=client, cache=False, n_boot=100,
                                           batch_size=batch)
                    record["frame_sentences"] = len(result.sentences)
                    record["threat_share"] = round(float(result.sentences["threat"].mean()), 4)
                    del result
                wall = time.perf_counter() - t
                usage = client.run(_worker_usage)
                record["stages"][name] = {
                    "wall_s": round(wall, 2),
                    "client_cpu_s": round(_cpu(resource.getrusage(resource.RUSAGE_SELF)) - c0, 2),
                    "workers_cpu_s": round(sum(u["cpu_s"] - before.get(w, 0.0) for w, u in usage.items()), 2),
                    "worker_peak_mb": sorted(round(u["peak_mb"], 1) for u in usage.values()),
                    "client_peak_mb": round(vm_hwm_mb(), 1),
                    "words_per_s": round(record["words"] / wall),
                }
                before = {w: u["cpu_s"] for w, u in usage.items()}
                print(name, json.dumps(record["stages"][name]), file=sys.stderr, flush=True)
    finally:
        client.close()
        cluster.close()
    print("RESULT " + json.dumps(record), flush=True)


def summary(results: dict, nodes: int = 100) -> str:
    """Markdown tables of the runs and the projection to `nodes` workers: per stage, the workers'
    rate (words per worker CPU second) and the client's cost (client CPU seconds per million words:
    scheduling, gathering and combining the partitions' results), from the largest 2-worker run."""
    lines = ["| replication | workers | batch | documents | words | stage | wall s | workers CPU s | "
             "client CPU s | words/s (wall) | words per worker-CPU s | worker peak MB | client peak MB |",
             "|---|---|---|---|---|---|---|---|---|---|---|---|---|"]
    runs = sorted(results["runs"], key=lambda r: (r["replication"], r["workers"], r["batch_size"]))
    for r in runs:
        for name, st in r["stages"].items():
            lines.append(f"| {r['replication']:g} | {r['workers']} | {r['batch_size']} | {r['documents']:,} | "
                         f"{r['words']:,} | {name} | {st['wall_s']} | {st['workers_cpu_s']} | {st['client_cpu_s']} | "
                         f"{st['words_per_s']:,} | {round(r['words'] / st['workers_cpu_s']):,} | "
                         f"{' / '.join(str(x) for x in st['worker_peak_mb'])} | {st['client_peak_mb']} |")
    base = max((r for r in runs if r["workers"] == 2 and r["batch_size"] == 64), key=lambda r: r["replication"])
    lines += ["", f"Projection to {nodes} workers (one a node, as fast as the measured workers), from the "
              f"{base['replication']:g}× run ({base['words']:,} words): time for the 8× corpus "
              "(250 M words) = words / (workers × rate) + client CPU per word × words.", "",
              "| stage | words per worker-CPU s | client CPU s per M words | 8× on 2 workers (s) | "
              f"8× on {nodes} workers (s) | ceiling set by the client (M words/s) |", "|---|---|---|---|---|---|"]
    words8 = 250e6
    for name, st in base["stages"].items():
        rate = base["words"] / st["workers_cpu_s"]
        client = st["client_cpu_s"] / base["words"] * 1e6
        t2 = words8 / (2 * rate) + client * words8 / 1e6
        tn = words8 / (nodes * rate) + client * words8 / 1e6
        lines.append(f"| {name} | {round(rate):,} | {client:.3f} | {t2:,.0f} | {tn:,.0f} | {1 / client:.1f} |")
    return "\n".join(lines)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--corpus", default="/work/data/ungdc")
    ap.add_argument("--runs", default=DEFAULT_RUNS)
    ap.add_argument("--frames-max", type=float, default=8.0,
                    help="run frame detection up to this replication (its sentence table is in the client)")
    ap.add_argument("--stage", default=None, help=argparse.SUPPRESS)
    ap.add_argument("--summary", action="store_true", help="print the tables of results/distributed.json")
    a = ap.parse_args()
    if a.summary:
        print(summary(json.loads(OUT.read_text())))
        return
    if a.stage:
        r, w, b = a.stage.split(":")
        stage(a.corpus, float(r), int(w), int(b), float(r) <= a.frames_max)
        return
    results = json.loads(OUT.read_text()) if OUT.exists() else {"runs": []}
    results.update(command="nice -n 10 python benchmarks/bench_distributed.py " + " ".join(sys.argv[1:]),
                   corpus=a.corpus, machine=machine(), niceness=os.nice(0))
    for spec in a.runs.split(","):
        load0 = os.getloadavg()
        rec = run_stage(Path(__file__), "--corpus", a.corpus, "--stage", spec, "--frames-max", str(a.frames_max))
        rec["load_average_before"] = [round(x, 2) for x in load0]
        rec["load_average_after"] = [round(x, 2) for x in os.getloadavg()]
        results["runs"] = [x for x in results["runs"] if (x["replication"], x["workers"], x["batch_size"])
                           != (rec["replication"], rec["workers"], rec["batch_size"])] + [rec]
        OUT.write_text(json.dumps(results, indent=1) + "\n")
        print(spec, json.dumps(rec), flush=True)


if __name__ == "__main__":
    main()
