"""The whole pipeline on the UN General Debate Corpus, stage by stage, against the libraries a
user would call by hand; then the same pipeline on growing shares of the corpus.

    .venv/bin/python benchmarks/run.py [--corpus PATH] [--fractions 0.1,0.25,0.5,1.0]
                                       [--skip-scaling] [--skip-baselines] [--jobs N]
                                       [--baselines nltk,gensim_lda,...] [--skip-commands]
                                       [--coherence-units 2000]

First, unless `--skip-commands`, the README's commands are timed as a user runs them, defaults left
alone (`python -m analysis preprocess CORPUS`, `topics CORPUS --k 20 --seed 0 --out ...`, `trends
CORPUS --terms "multipolar world,terrorism" --period year --out ...`, `frames CORPUS --out ...`; only
the corpus and k differ from the README's lines): once on an empty cache (cold) and once more on the
filled one (rerun), each a new process, with its wall seconds, CPU seconds (its own and its
workers', from wait4), the peak of the summed resident memory of its process tree (sampled every
0.2 s) and the load average before it: results/pipeline_commands.csv. The cold pipeline and rerun
targets are the sums of these wall times. The `topics` command counts its coherence (c_v, c_npmi)
on its default seeded sample of 2,000 units, the sample the coherence stage below uses.

Without `--corpus`, the first stage imports `../shared/corpora/ungdc/UNGDC_1946-2024.tgz` with
`Speakers_by_session.csv` into a temporary folder (timed). Every stage then runs in a fresh
Python process, so its peak memory is its own:

- preprocess cold: `preprocess(corpus)` into an empty cache (`ANALYSIS_CACHE_DIR`), on the default
  scheduler (all cores: a local Dask cluster, started only when there is work) or `--jobs` workers;
- preprocess cached: the same call again (every document in the cache);
- topics: `prepare_units(tokens)` (units, vocabulary and counts from the token cache), then
  `TopicModel(k=20, seed=0).fit(units)` (LDA and the unit-topic pass: `fit_s`, the number
  compared with the other libraries, which start from the same bag of words), then
  `describe_topics(model, with_coherence=False)` and `write`;
- trends: rates with intervals for one term by group, ten terms over years with trend tests,
  every vocabulary term over years, keyness before/after 1991 (as benchmarks/bench_trends.py);
- frames: `detect_frames(tokens)` (or `n_jobs=--jobs`) on the cached sentences, then `write`;
- figures: three figures from the written tables with `analysis.figures.save` (a temporary folder);
- topics, trends, frames and figures again "(rerun)", on the caches the first pass filled: the
  methods read back their stored results (units, fitted model, counts, sentence tables:
  `analysis.preprocess.cache.ResultCache`) and redo only describing, aggregating and writing.

- coherence: c_npmi of our topics and of each baseline's (top 10 terms), all on the same seeded
  sample of `--coherence-units` units of the same bag of words, so the speed ratios are read at
  equal or better coherence;

Side by side, on the same input: the plain NLTK preprocessing baseline of
benchmarks/bench_preprocess.py (one process), and plain gensim `LdaModel` and `LdaMulticore`,
scikit-learn `LatentDirichletAllocation` and tomotopy `LDAModel` on the bag of words our topic
stage built (benchmarks/bench_topics.py's `child` runs each one).

`seconds` is the stage's work after its imports (loading the corpus or tokens included);
`wall_s` adds interpreter start and imports. `cpu_s` is the CPU time of the stage process plus
its worker processes. Tokens per second count running words (all word tokens before stop words
are removed: `n_words` of the preprocessed corpus), the same count for every stage of a row set.
`peak_mb` is the stage process's peak resident memory (VmHWM), `workers_peak_mb` the largest
worker process's. Results: benchmarks/results/pipeline.{json,csv}, pipeline_scaling.csv and
figures/bench-scaling.{png,svg,pdf}.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _measure import RESULTS, ROOT, SHARED, machine, run_stage, table, vm_hwm_mb  # noqa: E402

SCRIPT = Path(__file__).resolve()
# What the manifest names as the maker of the figures this script saves (its `notebook` field).
MADE_BY = "benchmarks/run.py"
UNGDC = SHARED / "corpora" / "ungdc"
K = 20
SEED = 0
BASELINES = ("gensim_lda", "gensim_multicore", "sklearn_lda", "tomotopy_lda")
PIPELINE = ("preprocess cold", "preprocess cached", "topics", "trends", "frames", "figures")
TARGETS = {"cold_pipeline_s": 180, "cached_rerun_s": 20, "peak_mb": 1536, "topics_vs_gensim": 0.8,
           "frames_tokens_per_s": 2_000_000, "preprocess_vs_nltk": 3.0}
# The commands of the README, as a user types them (defaults left alone), on the benchmark corpus.
COMMANDS = (
    ("preprocess", ["preprocess", "{corpus}"]),
    ("topics", ["topics", "{corpus}", "--k", str(K), "--seed", str(SEED), "--out", "{out}/topics"]),
    ("trends", ["trends", "{corpus}", "--terms", "multipolar world,terrorism", "--period", "year",
                "--out", "{out}/trends"]),
    ("frames", ["frames", "{corpus}", "--out", "{out}/frames"]),
)
COLUMNS = ["fraction", "stage", "documents", "seconds", "wall_s", "docs_per_s", "tokens_per_s", "cpu_s",
           "peak_mb", "workers_peak_mb", "x_ours"]


# --- measuring inside a stage process --------------------------------------------------------

def _cpu() -> float:
    """CPU seconds of this process and of its finished worker processes."""
    s, c = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return s.ru_utime + s.ru_stime + c.ru_utime + c.ru_stime


def _emit(record: dict[str, Any], workers: bool = False) -> None:
    """Print the stage record as the last stdout line (read by `_measure.run_stage`); with
    `workers`, also the peak of the largest worker process (ru_maxrss of finished children:
    it counts the pages a forked worker shares with its parent)."""
    record["peak_mb"] = round(vm_hwm_mb(), 1)
    if workers:
        record["workers_peak_mb"] = round(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024, 1)
    print("RESULT " + json.dumps(record, default=str), flush=True)


class _Clock:
    """Wall and CPU time of named steps."""

    def __init__(self) -> None:
        self.t0, self.c0 = time.perf_counter(), _cpu()
        self.steps: dict[str, float] = {}
        self._last = self.t0

    def step(self, name: str) -> None:
        now = time.perf_counter()
        self.steps[f"{name}_s"] = round(now - self._last, 2)
        self._last = now

    def done(self) -> dict[str, float]:
        return {"seconds": round(time.perf_counter() - self.t0, 2), "cpu_s": round(_cpu() - self.c0, 2),
                **self.steps}


def _corpus(path: str, fraction: float):
    """The corpus, or a seeded random share of its documents (nested: 10% within 25% within 50%)."""
    import numpy as np

    from analysis.corpus import load_corpus

    corpus = load_corpus(path)
    if fraction < 1.0:
        n = len(corpus)
        order = np.random.default_rng(SEED).permutation(n)
        keep = np.zeros(n, dtype=bool)
        keep[order[: max(1, round(n * fraction))]] = True
        corpus = corpus.subset(keep.tolist())
    return corpus


def _tokens(path: str, fraction: float, jobs: int | None = None):
    from analysis.preprocess import preprocess

    corpus = _corpus(path, fraction)
    return corpus, preprocess(corpus, n_jobs=jobs)  # the cache: $ANALYSIS_CACHE_DIR


# --- the stages ------------------------------------------------------------------------------

def stage_import(out: str) -> None:
    from analysis.corpus.importers.ungdc import import_ungdc

    clock = _Clock()
    result = import_ungdc(UNGDC / "UNGDC_1946-2024.tgz", speakers=UNGDC / "Speakers_by_session.csv")
    result.write(out)
    n = len(list(Path(out).glob("*.txt")))
    _emit({"stage": "import", "documents": n, "skipped": len(result.skipped), **clock.done()})


def stage_preprocess(path: str, fraction: float, label: str, jobs: int | None) -> None:
    clock = _Clock()
    corpus = _corpus(path, fraction)
    clock.step("load")
    from analysis.preprocess import preprocess

    tokens = preprocess(corpus, n_jobs=jobs)
    clock.step("preprocess")
    dv = tokens.metadata
    _emit({"stage": label, "documents": len(tokens), "words": int(dv["n_words"].sum()),
           "tokens_kept": int(dv["n_tokens"].sum()), "sentences": int(dv["n_sentences"].sum()),
           "corpus_hash": tokens.hash, "jobs": jobs or os.cpu_count(), **clock.done()},
          workers=label.endswith("cold"))


def stage_nltk(path: str) -> None:
    """benchmarks/bench_preprocess.py's plain NLTK baseline, with this script's memory measure."""
    import bench_preprocess

    c0 = _cpu()

    def emit(record: dict) -> None:
        record.update(stage="preprocess: plain NLTK (1 process)", cpu_s=round(_cpu() - c0, 2),
                      nltk_words=record.pop("tokens"))
        _emit(record)

    bench_preprocess.emit = emit
    bench_preprocess.stage_nltk(path, 1.0)


def stage_topics(path: str, fraction: float, work: str) -> None:
    from scipy import sparse

    from analysis.topics import TopicModel, describe_topics, prepare_units

    clock = _Clock()
    corpus, tokens = _tokens(path, fraction)
    clock.step("load")
    units = prepare_units(tokens)  # what `fit(tokens)` does first: units, vocabulary, counts
    clock.step("units")
    model = TopicModel(k=K, seed=SEED).fit(units)  # LDA and the unit-topic pass on that bag of words
    clock.step("fit")
    result = describe_topics(model, with_coherence=False)
    clock.step("describe")
    result.write(Path(work) / "topics")
    clock.step("write")
    _write_top(work, "ours", [[w for w, _ in t] for t in model.top_terms(10)])
    record = {"stage": "topics", "documents": len(tokens), "units": len(model.units_),
              "terms": int(model.units_.dtm.shape[1]), "bow_tokens": int(model.units_.dtm.sum()),
              "passes": model.passes_, **clock.done()}
    # the same bag of words for the other libraries (not timed)
    sparse.save_npz(Path(work) / "dtm.npz", model.units_.dtm)
    (Path(work) / "vocab.json").write_text(json.dumps(list(model.units_.vocab)), encoding="utf-8")
    _emit(record)


def stage_topics_baseline(system: str, work: str) -> None:
    """One of benchmarks/bench_topics.py's systems on the bag of words our topic stage wrote."""
    import bench_topics

    bench_topics.WORK = Path(work)
    args = argparse.Namespace(k=K, corpus=None, since=0, tomotopy_iterations=500)
    c0 = _cpu()
    got = bench_topics.child(system, args)
    _write_top(work, system, got["top"])
    _emit({"stage": f"topics: {system}", "seconds": round(got["seconds"], 2), "cpu_s": round(_cpu() - c0, 2),
           "settings": got["settings"], "rss_after_load_mb": round(got["base_rss_mb"], 1)},
          workers=system == "gensim_multicore")


def _write_top(work: str, system: str, top: list[list[str]]) -> None:
    """A system's top-10 terms per topic, for the coherence stage (not timed)."""
    (Path(work) / f"top-{system}.json").write_text(json.dumps([list(t)[:10] for t in top]), encoding="utf-8")


def stage_coherence(path: str, fraction: float, work: str, n_units: int) -> None:
    """c_npmi (window 10, Bouma 2009; gensim `CoherenceModel`, as `analysis.topics.coherence`) of every
    system's topics, all in one pass over the same reference texts: a seeded sample of `n_units`
    of the units the fits were made on (the whole set when smaller), so the systems compare on
    equal terms."""
    import numpy as np
    from gensim.models.coherencemodel import CoherenceModel

    from analysis.topics import prepare_units

    clock = _Clock()
    _, tokens = _tokens(path, fraction)
    units = prepare_units(tokens)  # stored by the topics stage
    texts = list(units.texts())
    if len(texts) > n_units:
        pick = np.sort(np.random.default_rng(SEED).choice(len(texts), n_units, replace=False))
        texts = [texts[i] for i in pick]
    systems = {f.stem[4:]: json.loads(f.read_text(encoding="utf-8")) for f in sorted(Path(work).glob("top-*.json"))}
    lists = [t for tops in systems.values() for t in tops]
    cm = CoherenceModel(topics=lists, texts=texts, dictionary=units.dictionary, coherence="c_npmi", topn=10,
                        processes=1)
    per_topic = cm.get_coherence_per_topic()
    out, start = {}, 0
    for name, tops in systems.items():
        out[name] = round(float(np.mean(per_topic[start : start + len(tops)])), 4)
        start += len(tops)
    _emit({"stage": "coherence (c_npmi)", "reference_units": len(texts), "c_npmi": out, **clock.done()})


def stage_trends(path: str, fraction: float, work: str) -> None:
    from bench_trends import TERMS

    from analysis.trends import TrendSettings, keyness, term_trends

    clock = _Clock()
    corpus, tokens = _tokens(path, fraction)
    clock.step("load")
    groups = term_trends(tokens, ["multipolar*"], TrendSettings(period="year", group="country", values=("RUS", "CHN"),
                                                        start=1970, end=2024))
    clock.step("group_rates")
    terms = term_trends(tokens, TERMS, TrendSettings(period="year"))
    clock.step("term_trends")
    vocab = term_trends(tokens, None, TrendSettings(period="year", min_count=50, min_docs=20))
    clock.step("vocabulary_trends")
    key = keyness(tokens, "after:1991")
    clock.step("keyness")
    terms.write(Path(work) / "trends")
    clock.step("write")
    _emit({"stage": "trends", "documents": len(tokens), "vocabulary_terms": len(vocab.tests),
           "keyness_terms": len(key.table), "multipolar_count": int(groups.terms["count"].sum()),
           **clock.done()})


def stage_frames(path: str, fraction: float, work: str, jobs: int | None) -> None:
    from analysis.framing import detect_frames

    clock = _Clock()
    corpus, tokens = _tokens(path, fraction)
    clock.step("load")
    c0 = _cpu()
    result = detect_frames(tokens, n_jobs=jobs)
    detect_cpu = _cpu() - c0
    clock.step("detect")
    result.write(Path(work) / "frames")
    clock.step("write")
    words = int(tokens.metadata["n_words"].sum())
    record = clock.done()
    shares = {f: round(float(result.sentences[f].mean()), 4) for f in result.frames}
    _emit({"stage": "frames", "documents": len(tokens), "sentences": len(result.sentences), "words": words,
           "jobs": jobs or os.cpu_count(), "detect_cpu_s": round(detect_cpu, 2),
           "detect_tokens_per_s": round(words / record["detect_s"]),
           "detect_tokens_per_cpu_s": round(words / detect_cpu), "shares": shares, **record}, workers=(jobs or os.cpu_count() or 1) > 1)


def stage_figures(work: str) -> None:
    import pandas as pd

    from analysis import figures
    from analysis.figures.plots.framing import plot_frame_shares
    from analysis.figures.plots.topics import plot_prevalence
    from analysis.figures.plots.trends import plot_trends

    clock = _Clock()
    out = Path(work) / "figures"
    source = json.loads((Path(work) / "frames" / "params.json").read_text(encoding="utf-8"))
    src = source["corpus"]  # the corpus identity {"name", "hash", "synthetic"} of the frames result
    saved = []
    rates = pd.read_csv(Path(work) / "trends" / "trends.csv")
    fig, ax = figures.figure("single")
    shown = ["terrorism", "disarmament", "sovereignty"]
    plot_trends(rates, [t for t in rates["term"].unique() if str(t) in shown], ax=ax)
    saved.append(figures.save(fig, "bench-trends", caption="Term rates per 10,000 tokens (benchmark run).",
                              data=rates, source=src, params={"terms": shown}, notebook=MADE_BY, out_dir=out))
    shares = pd.read_csv(Path(work) / "frames" / "frame_shares.csv")
    fig, ax = figures.figure("double")
    plot_frame_shares(shares, ax=ax)
    saved.append(figures.save(fig, "bench-frames", caption="Share of sentences with each frame (benchmark run).",
                              data=shares, source=src, params={"period": "year"}, notebook=MADE_BY, out_dir=out))
    prevalence = pd.read_csv(Path(work) / "topics" / "prevalence.csv", dtype={"period": str})
    n = prevalence["topic"].nunique()
    rows = (n + 3) // 4
    fig, axes = figures.figure("double", height=1.6 * rows, nrows=rows, ncols=4)
    plot_prevalence(prevalence, axes=axes)
    saved.append(figures.save(fig, "bench-topics", caption="Topic prevalence over time (benchmark run).",
                              data=prevalence, source=src, params={"k": K, "seed": SEED}, notebook=MADE_BY, out_dir=out))
    _emit({"stage": "figures", "figures": len(saved), **clock.done()})


def _words_axis(ax) -> None:
    """A log axis of running words labelled 3 M, 10 M, 30 M (no crowded minor labels)."""
    from matplotlib.ticker import FixedLocator, FuncFormatter, NullFormatter

    ax.xaxis.set_major_locator(FixedLocator([1e6, 3e6, 1e7, 3e7, 1e8]))
    ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{v / 1e6:g} M"))
    ax.xaxis.set_minor_formatter(NullFormatter())


def stage_scaling_figure(results_file: str, out_dir: str) -> None:
    """figures/bench-scaling: seconds per stage and preprocessing peak memory against corpus size."""
    import numpy as np
    import pandas as pd

    from analysis import figures

    record = json.loads(Path(results_file).read_text(encoding="utf-8"))
    rows = pd.DataFrame(record["scaling"])
    data = rows[["fraction", "stage", "documents", "words", "seconds", "cpu_s", "peak_mb", "workers_peak_mb"]]
    fig, (ax1, ax2) = figures.figure("double", height=2.8, ncols=2)
    colours = figures.PALETTE
    for i, stage in enumerate(PIPELINE):
        part = data[data["stage"] == stage].sort_values("words")
        if part.empty:
            continue
        ax1.plot(part["words"], part["seconds"], marker="o", markersize=3, color=colours[i % len(colours)],
                 label=stage)
    x = np.array(sorted(data["words"].unique()), dtype=float)
    if len(x) > 1:  # a guide: time proportional to size
        y0 = float(data[(data["stage"] == "preprocess cold")].sort_values("words")["seconds"].iloc[0])
        ax1.plot(x, y0 * x / x[0], color="0.6", linestyle=":", linewidth=0.8, label="proportional")
    ax1.set_xscale("log")
    ax1.set_yscale("log")
    _words_axis(ax1)
    ax1.set_xlabel("running words in the corpus")
    ax1.set_ylabel("seconds")
    ax1.legend(fontsize="x-small", loc="upper left")
    for j, (stage, col) in enumerate((("preprocess cold", "peak_mb"), ("preprocess cold", "workers_peak_mb"),
                                      ("frames", "peak_mb"), ("topics", "peak_mb"))):
        part = data[data["stage"] == stage].sort_values("words")
        label = f"{stage}: {'main process' if col == 'peak_mb' else 'largest worker'}"
        ax2.plot(part["words"], part[col], marker="o", markersize=3, color=colours[j % len(colours)],
                 label=label)
    ax2.set_xscale("log")
    _words_axis(ax2)
    ax2.set_ylim(bottom=0)
    ax2.set_xlabel("running words in the corpus")
    ax2.set_ylabel("peak resident memory (MB)")
    ax2.legend(fontsize="x-small", loc="upper left")
    info = record["machine"]
    figures.save(
        fig, "bench-scaling",
        caption=("Time and peak memory of each pipeline stage on 10%, 25%, 50% and 100% of the UN General "
                 f"Debate Corpus (seeded nested samples of speeches; {info['cores']} cores; each stage in "
                 "a fresh process). Left: seconds per stage, log-log, with a proportional-time guide. "
                 "Right: peak resident memory (log x, linear y); preprocessing streams documents in "
                 "bounded batches, so its memory stays flat as the corpus grows."),
        data=data, title="Benchmark: scaling with corpus size",
        source={"name": "ungdc", "hash": record["corpus_hash"], "synthetic": False},
        params={"fractions": sorted(data["fraction"].unique().tolist()), "k": K, "seed": SEED,
                "jobs": record["jobs"], "cores": info["cores"]},
        notebook=MADE_BY, out_dir=out_dir)
    print("RESULT " + json.dumps({"stage": "scaling figure"}), flush=True)


# --- the orchestration -----------------------------------------------------------------------

def _run(*args: str, cache: str | None = None) -> dict:
    env = {"ANALYSIS_CACHE_DIR": cache} if cache else None
    print(f"  running {' '.join(a for a in args if not a.startswith('/'))} ...", end=" ", flush=True)
    rec = run_stage(SCRIPT, *args, env=env)
    rec["wall_s"] = rec.pop("wall_seconds")
    print(f"{rec.get('seconds')} s, peak {rec.get('peak_mb')} MB", flush=True)
    return rec


def pipeline(corpus: str, fraction: float, jobs: int | None, work: Path, baselines: tuple[str, ...] = (),
             rerun: bool = False, coherence_units: int = 0) -> list[dict]:
    """All stages on one share of the corpus, each in a fresh process with a new empty cache; with
    `rerun`, then topics, trends, frames and figures once more on the filled caches."""
    cache = tempfile.mkdtemp(prefix="bench-cache-", dir=work)
    out = tempfile.mkdtemp(prefix=f"out-{fraction}-", dir=work)
    common = ["--corpus", corpus, "--fraction", str(fraction), "--work", out,
              *(["--jobs", str(jobs)] if jobs is not None else [])]
    rows = []
    try:
        rows.append(_run("--stage", "preprocess-cold", *common, cache=cache))
        rows.append(_run("--stage", "preprocess-cached", *common, cache=cache))
        if "nltk" in baselines:
            rows.append(_run("--stage", "nltk", *common, cache=cache))
        rows.append(_run("--stage", "topics", *common, cache=cache))
        for system in BASELINES:
            if system in baselines:
                rows.append(_run("--stage", "topics-baseline", "--system", system, *common, cache=cache))
        if coherence_units:  # c_npmi of our topics and of every baseline's, on the same texts
            coh = _run("--stage", "coherence", *common, "--coherence-units", str(coherence_units), cache=cache)
            for r in rows:
                name = "ours" if r["stage"] == "topics" else r["stage"].removeprefix("topics: ")
                if name in coh["c_npmi"]:
                    r["c_npmi"] = coh["c_npmi"][name]
            rows.append(coh)
        rows.append(_run("--stage", "trends", *common, cache=cache))
        rows.append(_run("--stage", "frames", *common, cache=cache))
        rows.append(_run("--stage", "figures", *common, cache=cache))
        if rerun:  # the same calls again: every stage finds its stored results
            for stage in ("topics", "trends", "frames", "figures"):
                rec = _run("--stage", stage, *common, cache=cache)
                rec["stage"] = f"{rec['stage']} (rerun)"
                rows.append(rec)
    finally:
        shutil.rmtree(cache, ignore_errors=True)
        shutil.rmtree(out, ignore_errors=True)
    words = rows[0]["words"]
    docs = rows[0]["documents"]
    ours = {"preprocess": rows[0]["seconds"], "topics": next(r for r in rows if r["stage"] == "topics")["fit_s"]}
    for r in rows:
        r["fraction"] = fraction
        r["words"] = r.get("words", words)
        r.setdefault("documents", docs)
        r["docs_per_s"] = round(r["documents"] / r["seconds"], 1) if r["seconds"] else None
        r["tokens_per_s"] = round(words / r["seconds"]) if r["seconds"] else None
        if r["stage"].startswith("topics") and not r["stage"].endswith("(rerun)"):
            base = r["fit_s"] if r["stage"] == "topics" else r["seconds"]
            r["x_ours"] = round(base / ours["topics"], 2)
        elif r["stage"].startswith("preprocess"):
            r["x_ours"] = round(r["seconds"] / ours["preprocess"], 2)
    return rows


def run_command(argv: list[str], env: dict[str, str]) -> dict:
    """`python -m analysis ARGV` in a new process: wall seconds, CPU seconds of the process and the
    worker processes it waited for (wait4), and the peak of the summed resident memory of the
    process tree (sampled every 0.2 s)."""
    import threading

    import psutil

    log = tempfile.TemporaryFile(mode="w+")
    start = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-m", "analysis", *argv], stdout=log, stderr=subprocess.STDOUT,
                            env={**os.environ, **env}, cwd=ROOT)
    peak = [0.0]
    running = threading.Event()

    def sample() -> None:
        try:
            root = psutil.Process(proc.pid)
            while not running.is_set():
                total = 0
                for q in [root, *root.children(recursive=True)]:
                    try:
                        total += q.memory_info().rss
                    except psutil.Error:
                        pass
                peak[0] = max(peak[0], total / 2**20)
                running.wait(0.2)
        except psutil.Error:
            pass

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    running.set()
    sampler.join()
    log.seek(0)
    output = log.read()
    if proc.returncode != 0:
        raise RuntimeError(f"`python -m analysis {' '.join(argv)}` failed ({proc.returncode}):\n{output[-3000:]}")
    return {"wall_s": round(wall, 2), "cpu_s": round(usage.ru_utime + usage.ru_stime, 2),
            "peak_tree_mb": round(peak[0], 1), "peak_main_mb": round(usage.ru_maxrss / 1024, 1),
            "last_line": output.strip().splitlines()[-1] if output.strip() else ""}


def commands(corpus: str, work: Path) -> list[dict]:
    """The README's commands on an empty cache (cold), then the same commands again (rerun)."""
    cache = tempfile.mkdtemp(prefix="bench-commands-cache-", dir=work)
    out = tempfile.mkdtemp(prefix="bench-commands-out-", dir=work)
    rows = []
    try:
        for run in ("cold", "rerun"):
            for name, template in COMMANDS:
                argv = [a.format(corpus=corpus, out=out) for a in template]
                print(f"  {run}: python -m analysis {' '.join(a for a in argv if not a.startswith('/'))} ...",
                      end=" ", flush=True)
                load = os.getloadavg()[0]
                rec = {"run": run, "command": "python -m analysis " + " ".join(argv), "stage": name,
                       **run_command(argv, {"ANALYSIS_CACHE_DIR": cache}), "load_before": round(load, 2)}
                print(f"{rec['wall_s']} s wall, {rec['cpu_s']} s CPU, peak {rec['peak_tree_mb']} MB", flush=True)
                rows.append(rec)
    finally:
        shutil.rmtree(cache, ignore_errors=True)
        shutil.rmtree(out, ignore_errors=True)
    return rows


def stage_peak_mb(r: dict) -> float:
    """Upper bound of a stage's memory: its process plus each worker at the largest worker's peak."""
    return round(r["peak_mb"] + (r.get("jobs") or 1) * (r.get("workers_peak_mb") or 0), 1)


def totals(rows: list[dict], import_row: dict | None) -> dict:
    """Cold pipeline (import, preprocess cold, topics, trends, frames, figures, each into empty
    caches) and the rerun with caches (preprocess cached, then topics, trends, frames and figures
    again: the stored units, model, counts and sentence tables are read back), in stage seconds
    and in process wall seconds (interpreter start and imports included: one command per stage)."""
    by = {r["stage"]: r for r in rows}
    cold = ["preprocess cold", "topics", "trends", "frames", "figures"]
    rerun = ["preprocess cached", "topics (rerun)", "trends (rerun)", "frames (rerun)", "figures (rerun)"]
    first = [import_row] if import_row else []

    def total(names: list[str], key: str, extra: list[dict]) -> float:
        return round(sum(by[n][key] for n in names) + sum(r[key] for r in extra), 1)

    stages = [by[n] for n in dict.fromkeys(cold + rerun)] + first
    return {"cold_pipeline_s": total(cold, "seconds", first), "cold_pipeline_wall_s": total(cold, "wall_s", first),
            "cached_rerun_s": total(rerun, "seconds", []), "cached_rerun_wall_s": total(rerun, "wall_s", []),
            "peak_mb": max(stage_peak_mb(r) for r in stages),
            "peak_stage": max(stages, key=stage_peak_mb)["stage"]}


def command_totals(command_rows: list[dict]) -> dict:
    """The README's commands in all: wall and CPU seconds of the cold run and of the rerun, and the
    largest process-tree peak (empty when the commands were not run)."""
    out: dict[str, float] = {}
    for run in ("cold", "rerun"):
        part = [r for r in command_rows if r["run"] == run]
        if part:
            out[f"commands_{run}_wall_s"] = round(sum(r["wall_s"] for r in part), 1)
            out[f"commands_{run}_cpu_s"] = round(sum(r["cpu_s"] for r in part), 1)
            out[f"commands_{run}_peak_mb"] = max(r["peak_tree_mb"] for r in part)
    return out


def targets(tot: dict, rows: list[dict], command_rows: list[dict]) -> dict:
    """Each target of benchmarks/README.md with the measured value. The cold pipeline and the rerun
    are the README's commands timed as a user runs them (process wall seconds, interpreter start
    and imports included) when they were run, else the sum of the stage processes' wall seconds."""
    by = {r["stage"]: r for r in rows}
    out: dict[str, tuple] = {}
    if command_rows:
        cold = round(sum(r["wall_s"] for r in command_rows if r["run"] == "cold"), 1)
        rerun = round(sum(r["wall_s"] for r in command_rows if r["run"] == "rerun"), 1)
        peak = max(tot["peak_mb"], *(r["peak_tree_mb"] for r in command_rows))
    else:
        cold, rerun, peak = tot["cold_pipeline_wall_s"], tot["cached_rerun_wall_s"], tot["peak_mb"]
    out["cold_pipeline_s"] = (cold, cold <= TARGETS["cold_pipeline_s"])
    out["cached_rerun_s"] = (rerun, rerun <= TARGETS["cached_rerun_s"])
    out["peak_mb"] = (peak, peak <= TARGETS["peak_mb"])
    if "frames" in by:
        frames = by["frames"]["detect_tokens_per_s"]
        out["frames_tokens_per_s"] = (frames, frames >= TARGETS["frames_tokens_per_s"])
    nltk = next((r for r in rows if r["stage"].startswith("preprocess: plain NLTK")), None)
    if nltk and "preprocess cold" in by:
        ratio = round(nltk["seconds"] / by["preprocess cold"]["seconds"], 2)
        out["preprocess_vs_nltk"] = (ratio, ratio >= TARGETS["preprocess_vs_nltk"])
    for name in ("gensim_lda", "gensim_multicore"):
        r = by.get(f"topics: {name}")
        if r and "topics" in by:
            ratio = round(by["topics"]["fit_s"] / r["seconds"], 2)
            ours_c, theirs_c = by["topics"].get("c_npmi"), r.get("c_npmi")
            coherent = ours_c is not None and theirs_c is not None and ours_c >= theirs_c
            out[f"topics_vs_{name}"] = (ratio, ratio <= TARGETS["topics_vs_gensim"] and coherent,
                                        {"c_npmi_ours": ours_c, "c_npmi_theirs": theirs_c})
    return {k: {"value": v[0], "target": TARGETS.get(k, TARGETS["topics_vs_gensim"]), "met": bool(v[1]),
                **(v[2] if len(v) > 2 else {})} for k, v in out.items()}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--corpus", help="an imported corpus folder (default: import the UNGDC .tgz first)")
    ap.add_argument("--fractions", default="0.1,0.25,0.5,1.0", help="shares of the corpus for scaling")
    ap.add_argument("--skip-scaling", action="store_true", help="only the whole corpus")
    ap.add_argument("--skip-baselines", action="store_true", help="no NLTK/gensim/sklearn/tomotopy runs")
    ap.add_argument("--baselines", default=",".join(("nltk", *BASELINES)),
                    help="which baselines to run (comma-separated; default: all)")
    ap.add_argument("--skip-commands", action="store_true",
                    help="do not time the README's commands (cold and rerun) as a user runs them")
    ap.add_argument("--coherence-units", type=int, default=2000,
                    help="reference units (seeded sample) for the c_npmi of every topic fit; 0: none")
    ap.add_argument("--jobs", type=int, default=None,
                    help="worker processes of the stages (default: the toolkit's default, all cores, with "
                         "a cluster started only when there is work to do)")
    ap.add_argument("--figures", default=str(ROOT / "figures"), help="where bench-scaling goes")
    ap.add_argument("--stage", help=argparse.SUPPRESS)
    ap.add_argument("--fraction", type=float, default=1.0, help=argparse.SUPPRESS)
    ap.add_argument("--work", help=argparse.SUPPRESS)
    ap.add_argument("--system", help=argparse.SUPPRESS)
    ap.add_argument("--out", help=argparse.SUPPRESS)
    args = ap.parse_args()
    baselines = () if args.skip_baselines else tuple(b for b in args.baselines.split(",") if b)
    if args.stage:
        stages = {
            "import": lambda: stage_import(args.out),
            "preprocess-cold": lambda: stage_preprocess(args.corpus, args.fraction, "preprocess cold", args.jobs),
            "preprocess-cached": lambda: stage_preprocess(args.corpus, args.fraction, "preprocess cached",
                                                          args.jobs),
            "nltk": lambda: stage_nltk(args.corpus),
            "topics": lambda: stage_topics(args.corpus, args.fraction, args.work),
            "topics-baseline": lambda: stage_topics_baseline(args.system, args.work),
            "coherence": lambda: stage_coherence(args.corpus, args.fraction, args.work, args.coherence_units),
            "trends": lambda: stage_trends(args.corpus, args.fraction, args.work),
            "frames": lambda: stage_frames(args.corpus, args.fraction, args.work, args.jobs),
            "figures": lambda: stage_figures(args.work),
            "scaling-figure": lambda: stage_scaling_figure(args.out, args.figures),
        }
        stages[args.stage]()
        return 0

    fractions = sorted({float(f) for f in args.fractions.split(",")} | {1.0})
    if args.skip_scaling:
        fractions = [1.0]
    load = os.getloadavg()
    print(f"load average before the run: {load[0]:.2f} {load[1]:.2f} {load[2]:.2f} ({os.cpu_count()} cores)")
    work = Path(tempfile.mkdtemp(prefix="bench-pipeline-"))
    started = time.perf_counter()
    try:
        import_row = None
        corpus = args.corpus
        if corpus is None:
            corpus = str(work / "ungdc")
            import_row = _run("--stage", "import", "--out", corpus)
            import_row["fraction"] = 1.0
        command_rows = [] if args.skip_commands else commands(corpus, work)
        rows = pipeline(corpus, 1.0, args.jobs, work, baselines=baselines, rerun=True,
                        coherence_units=args.coherence_units if any(b in BASELINES for b in baselines) else 0)
        if import_row:
            import_row.update(words=rows[0]["words"], docs_per_s=round(import_row["documents"] / import_row["seconds"], 1),
                              tokens_per_s=round(rows[0]["words"] / import_row["seconds"]))
        scaling = [r for r in rows if r["stage"] in PIPELINE]
        for f in fractions:
            if f < 1.0:
                print(f"scaling: {f:.0%} of the corpus")
                scaling += pipeline(corpus, f, args.jobs, work)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    tot = totals(rows, import_row)
    tot.update(command_totals(command_rows))
    met = targets(tot, rows, command_rows)
    record = {"command": "python benchmarks/run.py " + " ".join(sys.argv[1:]),
              "corpus": args.corpus or str(UNGDC / "UNGDC_1946-2024.tgz"), "corpus_hash": rows[0]["corpus_hash"],
              "jobs": args.jobs or os.cpu_count(), "load_average_before": load, "load_average_after": os.getloadavg(),
              "run_seconds": round(time.perf_counter() - started, 1), "machine": machine(),
              "totals": tot, "targets": met, "commands": command_rows,
              "rows": ([import_row] if import_row else []) + rows,
              "scaling": scaling}
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "pipeline.json").write_text(json.dumps(record, indent=2, default=str) + "\n", encoding="utf-8")
    _write_csv(RESULTS / "pipeline.csv", record["rows"], COLUMNS)
    _write_csv(RESULTS / "pipeline_scaling.csv", scaling,
               ["fraction", "stage", "documents", "words", "seconds", "wall_s", "cpu_s", "peak_mb", "workers_peak_mb"])
    if len({r["fraction"] for r in scaling}) > 1:
        run_stage(SCRIPT, "--stage", "scaling-figure", "--out", str(RESULTS / "pipeline.json"),
                  "--figures", args.figures)

    if command_rows:
        print()
        columns = ["run", "stage", "wall_s", "cpu_s", "peak_tree_mb", "peak_main_mb", "load_before", "command"]
        print(table(command_rows, columns))
        _write_csv(RESULTS / "pipeline_commands.csv", command_rows, columns)
    print()
    print(table(record["rows"], COLUMNS + ["c_npmi"]))
    print()
    for k, v in tot.items():
        print(f"{k}: {v}")
    for k, v in met.items():
        print(f"target {k}: {v['value']} (target {v['target']}): {'met' if v['met'] else 'MISSED'}")
    if len({r["fraction"] for r in scaling}) > 1:
        print()
        print(table(sorted(scaling, key=lambda r: (PIPELINE.index(r["stage"]), r["fraction"])),
                    ["stage", "fraction", "documents", "words", "seconds", "cpu_s", "peak_mb", "workers_peak_mb"]))
    print(f"\nwritten {RESULTS / 'pipeline.json'}, {RESULTS / 'pipeline.csv'}, {RESULTS / 'pipeline_scaling.csv'}")
    return 0


def _write_csv(path: Path, rows: list[dict], columns: list[str]) -> None:
    with path.open("w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(columns)
        for r in rows:
            w.writerow([r.get(c, "") for c in columns])


if __name__ == "__main__":
    raise SystemExit(main())
