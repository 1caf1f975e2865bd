"""`python -m analysis preprocess CORPUS`: fill the preprocessing cache and report counts."""

from __future__ import annotations

import argparse
import json
import time

from analysis.corpus import load_corpus
from analysis.preprocess import PreprocessParams, preprocess

from .progress import SCHEDULER_HELP, open_scheduler, progress_bar


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("preprocess", help="tokenize, lemmatize and cache a corpus")
    p.add_argument("corpus", help="corpus folder or table")
    p.add_argument("--no-lemmas", action="store_true", help="keep words as written")
    p.add_argument("--keep-stopwords", action="store_true")
    p.add_argument("--numbers", default="drop", choices=["drop", "keep", "replace"])
    p.add_argument("--no-mwe", action="store_true", help="do not join protected multi-word expressions")
    p.add_argument("--phrases", action="store_true", help="learn frequent phrases (gensim Phrases)")
    p.add_argument("--jobs", type=int, default=None, help="a local Dask cluster of N workers (same as --scheduler local:N)")
    p.add_argument("--scheduler", default=None, help=SCHEDULER_HELP)
    p.add_argument("--cache-dir", default="default", help="the cache folder ('none': in memory, nothing kept)")
    p.add_argument("--json", action="store_true", help="print the summary as JSON")
    p.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    cache = None if str(args.cache_dir).lower() == "none" else args.cache_dir
    corpus = load_corpus(args.corpus, cache_dir=cache)
    params = PreprocessParams(lemmatize=not args.no_lemmas, remove_stopwords=not args.keep_stopwords,
                              numbers=args.numbers, mwe=not args.no_mwe, phrases=args.phrases)
    start = time.perf_counter()
    engine = open_scheduler(args.scheduler, jobs=args.jobs)
    tokens = preprocess(corpus, params, cache_dir=cache, scheduler=engine,
                        progress=progress_bar("preprocess"))
    seconds = time.perf_counter() - start
    summary = {
        "corpus": corpus.name, "corpus_hash": corpus.hash, "documents": len(tokens),
        "sentences": int(tokens.metadata["n_sentences"].sum()),
        "tokens": int(tokens.metadata["n_tokens"].sum()), "seconds": round(seconds, 2),
        "params": params.to_dict(),
    }
    if tokens.skipped:
        summary["skipped"] = [{"source": k.source, "reason": k.reason, "detail": k.detail} for k in tokens.skipped]
    if args.json:
        print(json.dumps(summary, indent=2, ensure_ascii=False))
    else:
        print(f"{summary['documents']} documents, {summary['sentences']} sentences, "
              f"{summary['tokens']} tokens kept in {seconds:.1f} s")
        for skip in tokens.skipped:
            print(skip)
    return 0
