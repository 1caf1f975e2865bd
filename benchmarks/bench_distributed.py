"""Preprocessing, term counts and frame detection on a local Dask cluster, on the UN General Debate
corpus replicated R times as a Parquet corpus.

    nice -n 10 python benchmarks/bench_distributed.py --root /tmp/sdt-bench \\
        [--runs "preprocess:1:2:64,counts:1:2:256,frames:1:2:256,..."]
    python benchmarks/bench_distributed.py --summary

The replica is built once under `--root` (never in the repository): copy r of every speech is the
speech with " Copy r." appended (r > 0), so every copy is a document of its own for the cache; copy r
is written as Parquet parts of 1,000 documents (`write_dataset`) in `ROOT/parts/copy-r/`, and the
corpus `ROOT/xR/` is a folder of links to the parts of copies 0..R-1 (so 1x, 2x, 4x, 8x share files).

Each run is `STAGE:R:WORKERS:BATCH` and goes in a fresh Python process with a fresh cluster
(`LocalCluster`, one thread a worker), so every peak is the stage's own. The counts and frames
stages read the stored tokens of the 8x run when it finished (the documents of 1x..4x are among them,
with the same cache keys), else those of xR's own preprocess run:

- preprocess: `preprocess(corpus, cache_dir=ROOT/cache-xR, batch_size=BATCH)` with that cache emptied
  first (cold: the workers read the Parquet parts and write the document cache; counts come back);
- counts: `term_totals(tokens, TERMS)` and `vocabulary_totals(tokens)` on the stored tokens of xR
  (per-partition sparse counts summed on the workers), then `count_terms(tokens, TERMS, cache=False)`
  (the per-document term matrix the trends use);
- frames: `detect_frames(tokens, cache=False, n_boot=100)` on the stored tokens of xR (the workers
  write their partition's sentence table as Parquet; per-document counts come back).

Recorded: wall time, the client's CPU time (and its CPU time a second while idle, measured for 15 s
before the stage: the scheduler of a `LocalCluster` runs in the client and costs CPU however long
the stage takes), the workers' CPU time and peak resident memory
(`client.run(getrusage)`, VmHWM), the client's peak (VmHWM) and the load average (`uptime`) before and
after. Each run is appended to `benchmarks/results/distributed.json` as it ends.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _measure import RESULTS, machine, run_stage, vm_hwm_mb  # noqa: E402

TERMS = ["multipolar*", "terrorism", "multipolar world", "sovereignty", "cold war", "disarmament",
         "climate change", "sustainable development", "apartheid", "human rights"]
DEFAULT_RUNS = ("preprocess:1:2:64,preprocess:8:2:64,frames:1:2:256,counts:1:2:256,frames:8:2:256,"
                "counts:8:2:256,frames:2:2:256,counts:2:2:256,frames:4:2:256,counts:4:2:256,"
                "preprocess:2:2:64,preprocess:4:2:64,counts:1:1:256,counts:1:2:64,counts:1:2:1024,"
                "frames:1:1:256,frames:1:2:64,frames:1:2:1024")
OUT = RESULTS / "distributed.json"
PART_SIZE = 1000
IDLE_SECONDS = 15


def build_replica(source: str, root: Path, replication: int) -> Path:
    """`root/x<replication>`: the corpus at `source` replicated as Parquet parts (module docstring)."""
    from analysis.corpus import load_corpus
    from analysis.corpus.dataset import dataset_parts, write_dataset
    from analysis.corpus.model import Document

    folder = root / f"x{replication}"
    base = None
    for r in range(replication):
        out = root / "parts" / f"copy-{r}"
        if (out / "done").exists():
            continue
        base = base or load_corpus(source)
        docs = (Document(f"{d.id}~{r}", d.text if r == 0 else f"{d.text}\n\nCopy {r}.", d.language, d.date,
                         dict(d.meta)) for d in base)
        write_dataset(docs, out, part_size=PART_SIZE)
        (out / "done").touch()
    if folder.exists() and len(dataset_parts(folder)) == sum(
            len(dataset_parts(root / "parts" / f"copy-{r}")) for r in range(replication)):
        return folder
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    info = Path(source) / "corpus.yml"
    name = f"name: {Path(source).name}-x{replication}\n"
    (folder / "corpus.yml").write_text(name + "".join(
        line for line in (info.read_text(encoding="utf-8").splitlines(keepends=True) if info.exists() else [])
        if not line.startswith("name:")), encoding="utf-8")
    k = 0
    for r in range(replication):
        for part in dataset_parts(root / "parts" / f"copy-{r}"):
            os.symlink(part, folder / f"part-{k:05d}.parquet")
            k += 1
    return folder


def _cpu() -> float:
    u = resource.getrusage(resource.RUSAGE_SELF)
    return u.ru_utime + u.ru_stime


def _worker_usage() -> dict:
    u = resource.getrusage(resource.RUSAGE_SELF)
    return {"cpu_s": u.ru_utime + u.ru_stime, "peak_mb": vm_hwm_mb()}


def stage(name: str, root: Path, replication: int, workers: int, batch: int) -> None:
    import cloudpickle
    from distributed import Client, LocalCluster

    from analysis.corpus import load_corpus
    from analysis.preprocess import preprocess

    cloudpickle.register_pickle_by_value(sys.modules["_measure"])  # workers cannot import it
    record: dict = {"stage": name, "replication": replication, "workers": workers, "batch_size": batch}
    cache = root / f"cache-x{replication}"
    if name == "preprocess":
        shutil.rmtree(cache, ignore_errors=True)
    elif (root / "cache-x8" / "complete").exists():  # x1..x4 are documents of x8: the same cache entries
        cache = root / "cache-x8"
    record["cache"] = cache.name
    t, c0 = time.perf_counter(), _cpu()
    corpus = load_corpus(root / f"x{replication}")
    record["documents"] = len(corpus)
    cluster = LocalCluster(n_workers=workers, threads_per_worker=1, processes=True, host="127.0.0.1",
                           dashboard_address=None)
    client = Client(cluster)
    try:
        tokens = None
        if name != "preprocess":  # the stored tokens (nothing to do on the workers)
            tokens = preprocess(corpus, cache_dir=cache, scheduler=client, batch_size=batch)
        record["load_s"] = round(time.perf_counter() - t, 2)
        record["load_cpu_s"] = round(_cpu() - c0, 2)
        # what the client spends doing nothing (the LocalCluster's scheduler and nannies live in it)
        c0 = _cpu()
        time.sleep(IDLE_SECONDS)
        record["client_idle_cpu_per_s"] = round((_cpu() - c0) / IDLE_SECONDS, 4)
        before = client.run(_worker_usage)
        t, c0 = time.perf_counter(), _cpu()
        if name == "preprocess":
            tokens = preprocess(corpus, cache_dir=cache, scheduler=client, batch_size=batch)
            if not tokens.skipped:
                (cache / "complete").touch()
        elif name == "counts":
            from analysis.trends import count_terms
            from analysis.trends.totals import term_totals, vocabulary_totals

            totals = term_totals(tokens, TERMS, scheduler=client, batch_size=batch).totals()
            record["multipolar_count"] = int(totals["multipolar*"])
            vocab = vocabulary_totals(tokens, scheduler=client, batch_size=batch)
            record["vocabulary_terms"] = len(vocab.terms)
            record["vocabulary_tokens"] = int(vocab.count.sum())
            del vocab
            counts = count_terms(tokens, TERMS, scheduler=client, cache=False, batch_size=batch)
            assert int(counts.totals()["multipolar*"]) == record["multipolar_count"]
            del counts
        elif name == "frames":
            from analysis.framing import detect_frames

            result = detect_frames(tokens, scheduler=client, cache=False, n_boot=100, batch_size=batch)
            docs = result.documents
            record["frame_sentences"] = int(docs["n_sentences"].sum())
            record["threat_share"] = round(float(docs["n_threat"].sum() / docs["n_sentences"].sum()), 4)
            del result, docs
        else:
            raise SystemExit(f"unknown stage {name!r}")
        wall = time.perf_counter() - t
        usage = client.run(_worker_usage)
        record["words"] = int(tokens.metadata["n_words"].sum())
        record.update({
            "wall_s": round(wall, 2),
            "client_cpu_s": round(_cpu() - c0, 2),
            "workers_cpu_s": round(sum(u["cpu_s"] - before.get(w, {"cpu_s": 0.0})["cpu_s"]
                                       for w, u in usage.items()), 2),
            "worker_peak_mb": sorted(round(u["peak_mb"], 1) for u in usage.values()),
            "client_peak_mb": round(vm_hwm_mb(), 1),
            "words_per_s": round(record["words"] / wall),
        })
    finally:
        client.close()
        cluster.close()
    print("RESULT " + json.dumps(record), flush=True)


def summary(results: dict, nodes: int = 100) -> str:
    """Markdown tables: the runs (with the load average of each), and the projection to `nodes`
    one-core workers from the largest 2-worker run of each stage: the workers' rate (words per worker
    CPU second) and the client's cost (client CPU seconds per million words: scheduling, in a
    `LocalCluster` also the scheduler itself, receiving the partitions' summaries and reducing them;
    less what the client spends idle in the same wall time, where that was measured)."""
    lines = ["| stage | R | workers | batch | documents | words | wall s | workers CPU s | client CPU s | "
             "words/s (wall) | words per worker-CPU s | worker peak MB | client peak MB | load before / after |",
             "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|"]
    order = {"preprocess": 0, "counts": 1, "frames": 2}
    runs = sorted(results["runs"], key=lambda r: (order[r["stage"]], r["replication"], r["workers"], r["batch_size"]))
    for r in runs:
        lines.append(f"| {r['stage']} | {r['replication']} | {r['workers']} | {r['batch_size']} | "
                     f"{r['documents']:,} | {r['words']:,} | {r['wall_s']} | {r['workers_cpu_s']} | "
                     f"{r['client_cpu_s']} | {r['words_per_s']:,} | {round(r['words'] / r['workers_cpu_s']):,} | "
                     f"{' / '.join(str(x) for x in r['worker_peak_mb'])} | {r['client_peak_mb']} | "
                     f"{r['load_before'][0]} / {r['load_after'][0]} |")
    words = 256e6  # the 8x corpus
    lines += ["", f"Projection to {nodes} one-core workers of the measured speed, for the 8x corpus (256 M words): "
              "words / (workers x rate) + client CPU per word x words.", "",
              "| stage | from run | words per worker-CPU s | client CPU s per M words | 8x on 2 workers (s) | "
              f"8x on {nodes} workers (s) | ceiling set by the client (M words/s) |", "|---|---|---|---|---|---|---|"]
    for name in ("preprocess", "counts", "frames"):
        two = [r for r in runs if r["stage"] == name and r["workers"] == 2]
        if not two:
            continue
        base = max(two, key=lambda r: (r["replication"], r["batch_size"] in (64, 256)))
        rate = base["words"] / base["workers_cpu_s"]
        work = base["client_cpu_s"] - base.get("client_idle_cpu_per_s", 0.0) * base["wall_s"]
        client = max(work, 0.0) / base["words"] * 1e6
        t2 = words / (2 * rate) + client * words / 1e6
        tn = words / (nodes * rate) + client * words / 1e6
        lines.append(f"| {name} | {base['replication']}x, batch {base['batch_size']} | {round(rate):,} | "
                     f"{client:.3f} | {t2:,.0f} | {tn:,.0f} | {1 / client:.1f} |")
    return "\n".join(lines)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--corpus", default="/work/data/ungdc")
    ap.add_argument("--root", type=Path, default=Path("/tmp/sdt-bench-distributed"),
                    help="where the replica and its caches go (outside the repository)")
    ap.add_argument("--runs", default=DEFAULT_RUNS)
    ap.add_argument("--stage", default=None, help=argparse.SUPPRESS)
    ap.add_argument("--summary", action="store_true", help="print the table of results/distributed.json")
    a = ap.parse_args()
    if a.summary:
        print(summary(json.loads(OUT.read_text())))
        return
    if a.stage:
        name, r, w, b = a.stage.split(":")
        stage(name, a.root, int(r), int(w), int(b))
        return
    results = json.loads(OUT.read_text()) if OUT.exists() else {}
    if "runs" not in results or results.get("format") != 2:
        results = {"format": 2, "runs": []}
    results.update(command="nice -n 10 python benchmarks/bench_distributed.py " + " ".join(sys.argv[1:]),
                   corpus=a.corpus, machine=machine(), niceness=os.nice(0))
    for spec in a.runs.split(","):
        name, r, w, b = spec.split(":")
        build_replica(a.corpus, a.root, int(r))
        load0 = os.getloadavg()
        started = time.strftime("%Y-%m-%d %H:%M:%S", time.gmtime())
        try:
            rec = run_stage(Path(__file__), "--corpus", a.corpus, "--root", str(a.root), "--stage", spec)
        except RuntimeError as exc:
            print(spec, "failed:", exc, flush=True)
            continue
        rec.update(started_utc=started, load_before=[round(x, 2) for x in load0],
                   load_after=[round(x, 2) for x in os.getloadavg()])
        key = (rec["stage"], rec["replication"], rec["workers"], rec["batch_size"])
        results["runs"] = [x for x in results["runs"]
                           if (x["stage"], x["replication"], x["workers"], x["batch_size"]) != key] + [rec]
        OUT.write_text(json.dumps(results, indent=1) + "\n")
        print(spec, json.dumps(rec), flush=True)


if __name__ == "__main__":
    main()
