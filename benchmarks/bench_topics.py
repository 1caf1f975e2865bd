"""Benchmark: our LDA (analysis.topics) against plain gensim, scikit-learn and tomotopy on the UN
General Debate speeches since 1992 (k=20, documents as units, the same bag of words).

    .venv/bin/python benchmarks/bench_topics.py [--corpus /tmp/ungdc] [--since 1992] [--k 20]

Each system runs in a fresh child process: time from after its data are loaded, and peak
resident memory (VmHWM) of that process alone, with the peak after loading the data beside it
(`base_rss_mb`). "ours" starts from the preprocessing cache and builds its units and dictionary
inside the timing; the others start from the saved bag of words. Coherence (c_npmi, c_v; gensim
CoherenceModel on the texts of the same units, top 10 terms) is computed afterwards for all
systems' topics in one pass per measure, outside the timings. Results go to
benchmarks/results/topics.json and a table is printed.

The corpus: an imported UNGDC folder (`python -m analysis corpus import ungdc
../shared/corpora/ungdc/UNGDC_1946-2024.tgz --out /tmp/ungdc`); when absent, it is imported to
a temporary folder first.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))
from _measure import vm_hwm_mb  # noqa: E402

WORK = Path(tempfile.gettempdir()) / "bench_topics"
SYSTEMS = ("ours", "gensim_lda", "gensim_multicore", "sklearn_lda", "tomotopy_lda")


def _load_tokens(corpus_dir: str, since: int):
    from analysis.corpus import load_corpus
    from analysis.preprocess import preprocess

    corpus = load_corpus(corpus_dir)
    corpus = corpus.subset(corpus.metadata["year"].fillna(0).astype(int) >= since)
    tokens = preprocess(corpus)
    return corpus, tokens


def _load_bow():
    from scipy import sparse

    dtm = sparse.load_npz(WORK / "dtm.npz").tocsr()
    vocab = json.loads((WORK / "vocab.json").read_text(encoding="utf-8"))
    return dtm, vocab


def _top(tt: np.ndarray, vocab: list[str], n: int = 10) -> list[list[str]]:
    return [[vocab[j] for j in np.argsort(-row, kind="stable")[:n]] for row in tt]


def child(system: str, args: argparse.Namespace) -> dict:
    """Run one system; return its timings, memory and top terms."""
    k, seed = args.k, 0
    if system == "ours":
        from analysis import topics as T

        _, tokens = _load_tokens(args.corpus, args.since)  # from the preprocessing cache
        base = vm_hwm_mb()
        t0 = time.perf_counter()
        model = T.TopicModel(k=k, seed=seed).fit(tokens, cache=False)  # the fit itself, not a stored one
        seconds = time.perf_counter() - t0
        return {"seconds": seconds, "maxrss_mb": vm_hwm_mb(), "base_rss_mb": base,
                "top": _top(model.topic_term_, list(model.vocab_)),
                "settings": f"CsrLda (gensim LdaModel, compiled E-step) online VB, passes={model.passes_}, chunksize=2000, "
                            "iterations=50, alpha=auto, eta=symmetric, float64; incl. units + "
                            "dictionary from the token cache and the doc-topic inference pass"}
    dtm, vocab = _load_bow()
    base = vm_hwm_mb()
    if system in ("gensim_lda", "gensim_multicore"):
        from gensim.corpora import Dictionary
        from gensim.matutils import Sparse2Corpus
        from gensim.models import LdaModel, LdaMulticore

        id2word = Dictionary.from_corpus([[(i, 1)] for i in range(len(vocab))],
                                         id2word=dict(enumerate(vocab)))
        corpus = Sparse2Corpus(dtm, documents_columns=False)
        t0 = time.perf_counter()
        if system == "gensim_lda":
            m = LdaModel(corpus, num_topics=k, id2word=id2word, random_state=seed, passes=10,
                         chunksize=2000, iterations=50, alpha="auto", eval_every=None,
                         dtype=np.float64)
            settings = "gensim LdaModel, same settings as ours"
        else:
            m = LdaMulticore(corpus, num_topics=k, id2word=id2word, random_state=seed, passes=10,
                             chunksize=2000, iterations=50, alpha="symmetric", eval_every=None,
                             dtype=np.float64)
            settings = (f"gensim LdaMulticore, workers={max(1, os.cpu_count() - 1)} (default), "
                        "passes=10, chunksize=2000, iterations=50, alpha=symmetric (auto unsupported)")
        gamma, _ = m.inference(list(corpus))
        seconds = time.perf_counter() - t0
        tt = m.get_topics()
    elif system == "sklearn_lda":
        from sklearn.decomposition import LatentDirichletAllocation

        t0 = time.perf_counter()
        m = LatentDirichletAllocation(n_components=k, learning_method="online", batch_size=2000,
                                      max_iter=10, random_state=seed, n_jobs=1)
        m.fit_transform(dtm)
        seconds = time.perf_counter() - t0
        tt = m.components_ / m.components_.sum(axis=1, keepdims=True)
        settings = "sklearn LatentDirichletAllocation online, batch_size=2000, max_iter=10, n_jobs=1"
    elif system == "tomotopy_lda":
        import tomotopy as tp

        t0 = time.perf_counter()
        m = tp.LDAModel(k=k, seed=seed)
        for i in range(dtm.shape[0]):
            start, stop = dtm.indptr[i], dtm.indptr[i + 1]
            words = [vocab[j] for j, c in zip(dtm.indices[start:stop], dtm.data[start:stop], strict=True)
                     for _ in range(int(c))]
            m.add_doc(words)
        m.train(args.tomotopy_iterations, workers=1)
        _ = [d.get_topic_dist() for d in m.docs]
        seconds = time.perf_counter() - t0
        used = list(m.used_vocabs)
        pos = {w: i for i, w in enumerate(used)}
        tt = np.zeros((k, len(vocab)))
        for t in range(k):
            dist = m.get_topic_word_dist(t)
            for j, w in enumerate(vocab):
                if w in pos:
                    tt[t, j] = dist[pos[w]]
        settings = (f"tomotopy LDAModel collapsed Gibbs, {args.tomotopy_iterations} iterations, "
                    "workers=1, alpha=0.1, eta=0.01 (defaults)")
    else:
        raise SystemExit(f"unknown system {system}")
    return {"seconds": seconds, "maxrss_mb": vm_hwm_mb(), "base_rss_mb": base,
            "top": _top(tt, vocab), "settings": settings}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", default="/tmp/ungdc")
    parser.add_argument("--since", type=int, default=1992)
    parser.add_argument("--k", type=int, default=20)
    parser.add_argument("--tomotopy-iterations", type=int, default=500)
    parser.add_argument("--systems", default=",".join(SYSTEMS))
    parser.add_argument("--child", default=None, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(child(args.child, args)))
        return 0

    from analysis import topics as T

    WORK.mkdir(parents=True, exist_ok=True)
    corpus_dir = Path(args.corpus)
    if not (corpus_dir / "corpus.yml").exists():
        src = ROOT.parent / "shared" / "corpora" / "ungdc" / "UNGDC_1946-2024.tgz"
        corpus_dir = WORK / "ungdc"
        if not (corpus_dir / "corpus.yml").exists():
            subprocess.run([sys.executable, "-m", "analysis", "corpus", "import", "ungdc", str(src),
                            "--out", str(corpus_dir)], check=True, cwd=ROOT)
        args.corpus = str(corpus_dir)
    t0 = time.perf_counter()
    corpus, tokens = _load_tokens(args.corpus, args.since)
    prep_seconds = time.perf_counter() - t0
    t0 = time.perf_counter()
    units = T.prepare_units(tokens, cache=False)
    units_seconds = time.perf_counter() - t0
    from scipy import sparse

    sparse.save_npz(WORK / "dtm.npz", units.dtm)
    (WORK / "vocab.json").write_text(json.dumps(units.vocab), encoding="utf-8")
    info = {"corpus": corpus_dir.name, "documents": len(tokens), "since": args.since,
            "tokens": int(tokens.metadata["n_tokens"].sum()), "units": len(units),
            "terms": units.dtm.shape[1], "bow_tokens": int(units.dtm.sum()),
            "preprocess_seconds": round(prep_seconds, 1), "units_seconds": round(units_seconds, 1),
            "k": args.k, "machine": f"{platform.machine()}, {os.cpu_count()} cores",
            "python": platform.python_version()}
    print(json.dumps(info), flush=True)

    results = {}
    for system in args.systems.split(","):
        t0 = time.perf_counter()
        out = subprocess.run([sys.executable, __file__, "--child", system, "--corpus", args.corpus,
                              "--since", str(args.since), "--k", str(args.k),
                              "--tomotopy-iterations", str(args.tomotopy_iterations)],
                             capture_output=True, text=True, cwd=ROOT)
        if out.returncode != 0:
            print(f"{system} failed:\n{out.stderr[-2000:]}", file=sys.stderr)
            continue
        results[system] = json.loads(out.stdout.strip().splitlines()[-1])
        print(f"{system}: {results[system]['seconds']:.1f} s, peak RSS "
              f"{results[system]['maxrss_mb']:.0f} MB ({time.perf_counter() - t0:.0f} s wall)", flush=True)

    # Coherence of every system's topics, one accumulator pass per measure.
    t0 = time.perf_counter()
    all_topics = [t for r in results.values() for t in r["top"]]
    coh = T.coherence(all_topics, units, topn=10)
    coherence_seconds = time.perf_counter() - t0
    start = 0
    for r in results.values():
        part = coh.iloc[start : start + len(r["top"])]
        r["c_npmi"] = float(part["c_npmi"].mean())
        r["c_v"] = float(part["c_v"].mean())
        start += len(r["top"])
    base = results.get("gensim_lda") or results.get("gensim_multicore")
    for r in results.values():
        r["time_ratio_vs_gensim_lda"] = r["seconds"] / base["seconds"] if base else None
    info["coherence_seconds"] = round(coherence_seconds, 1)
    record = {"info": info, "results": results}
    out_file = ROOT / "benchmarks" / "results" / "topics.json"
    out_file.parent.mkdir(parents=True, exist_ok=True)
    out_file.write_text(json.dumps(record, indent=1), encoding="utf-8")

    print(f"\nUN General Debate since {args.since}: {info['documents']} speeches, {info['units']} units, "
          f"{info['terms']} terms, {info['bow_tokens']} tokens in the bag of words; k={args.k}")
    print(f"{'system':<18}{'seconds':>9}{'x gensim':>10}{'peak MB':>9}{'c_npmi':>8}{'c_v':>7}")
    for name, r in results.items():
        ratio = r["time_ratio_vs_gensim_lda"]
        print(f"{name:<18}{r['seconds']:>9.1f}{ratio:>10.2f}{r['maxrss_mb']:>9.0f}"
              f"{r['c_npmi']:>8.3f}{r['c_v']:>7.3f}")
    print(f"(coherence computed in {coherence_seconds:.0f} s; written to {out_file.relative_to(ROOT)})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
