"""`python -m analysis frames ...`: frame detection, validation against gold, lexicon suggestions.

    python -m analysis frames CORPUS_DIR --out OUT_DIR [--period year] [--group country]
                              [--jobs N] [--cache-dir default]
    python -m analysis frames evaluate --gold GOLD.jsonl [--json]
    python -m analysis frames suggest CORPUS --frame threat [--top 30]

(A corpus folder literally named `evaluate` or `suggest` is given as `./evaluate`.)
"""

from __future__ import annotations

import argparse
import json
import sys

from .progress import SCHEDULER_HELP, open_scheduler, progress_bar

ACTIONS = ("evaluate", "suggest")
USAGE = __doc__.split("\n\n")[1]


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("frames", help="detect threat, multipolarity and cooperation frames; evaluate; suggest terms",
                       description=USAGE, formatter_class=argparse.RawDescriptionHelpFormatter, add_help=False)
    p.add_argument("-h", "--help", action="store_true", dest="show_help", help="show the forms and options")
    p.add_argument("argv", nargs=argparse.REMAINDER, help="CORPUS_DIR ... | evaluate ... | suggest ...")
    p.set_defaults(handler=run)


def _common(p: argparse.ArgumentParser) -> None:
    p.add_argument("--lexicon", help="your lexicon YAML, merged over the shipped one")
    p.add_argument("--gazetteer", help="your partner gazetteer YAML, merged over the shipped one")
    p.add_argument("--seed", type=int, default=0, help="random seed (default 0)")


def run_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="python -m analysis frames",
                                description="Detect frames in every sentence of a corpus and write "
                                            "sentence_frames.csv and frame_shares.csv.")
    p.add_argument("corpus", help="corpus folder or table")
    p.add_argument("--out", required=True, help="output folder")
    p.add_argument("--period", default="year", choices=["year", "decade", "month", "all"])
    p.add_argument("--group", default=None, help="metadata column to group by (e.g. country); "
                                                 "'csto' groups the CSTO member states against all others")
    p.add_argument("--ci", default="bootstrap", choices=["bootstrap", "wilson"])
    p.add_argument("--n-boot", type=int, default=1000)
    p.add_argument("--detector", default="lexicon", choices=["lexicon", "supervised", "both"])
    p.add_argument("--train", help="gold JSONL to train the supervised detector on")
    p.add_argument("--jobs", type=int, default=1, help="a local Dask cluster of N workers (default 1: in process)")
    p.add_argument("--scheduler", default=None, help=SCHEDULER_HELP)
    p.add_argument("--cache-dir", default=None, metavar="DIR",
                   help="take the sentences from the preprocessing cache in DIR ('default': the usual "
                        "cache, as topics and trends use it), preprocessing first what is not cached; "
                        "the same rows as splitting the texts, faster on a rerun (default: split)")
    _common(p)
    return p


def evaluate_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="python -m analysis frames evaluate",
                                description="Score the detector on hand-coded gold sentences.")
    p.add_argument("--gold", required=True, help="gold JSON Lines file (codebook format)")
    p.add_argument("--json", action="store_true", help="print the scores as JSON")
    p.add_argument("--detector", default="lexicon", choices=["lexicon", "supervised", "both"],
                   help="supervised/both use out-of-fold cross-validated labels on the gold itself")
    p.add_argument("--n-boot", type=int, default=1000)
    p.add_argument("--folds", type=int, default=5)
    p.add_argument("--max-errors", type=int, default=None, help="errors listed per frame and kind")
    p.add_argument("--out", help="also write scores.json, errors.csv, predictions.csv here")
    _common(p)
    return p


def suggest_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="python -m analysis frames suggest",
                                description="Suggest candidate terms for a frame from a corpus "
                                            "(word2vec neighbours and G2 keyness).")
    p.add_argument("corpus", help="corpus folder or table")
    p.add_argument("--frame", required=True)
    p.add_argument("--language", default="en", choices=["en", "ru"])
    p.add_argument("--top", type=int, default=30)
    p.add_argument("--min-count", type=int, default=5)
    p.add_argument("--max-documents", type=int, default=None)
    p.add_argument("--out", help="write the table as CSV here")
    _common(p)
    return p


def run(args: argparse.Namespace) -> int:
    argv = list(args.argv)
    if getattr(args, "show_help", False) or not argv or argv[0] in ("-h", "--help"):
        print(USAGE + "\n")
        for parser in (run_parser(), evaluate_parser(), suggest_parser()):
            print(parser.format_usage(), end="")
        print("\nUse `python -m analysis frames evaluate --help` (or suggest, or CORPUS --help) for the options.")
        return 0
    if argv[0] == "evaluate":
        return _evaluate(evaluate_parser().parse_args(argv[1:]))
    if argv[0] == "suggest":
        return _suggest(suggest_parser().parse_args(argv[1:]))
    return _detect(run_parser().parse_args(argv))


def _detect(a: argparse.Namespace) -> int:
    from analysis.corpus import load_corpus
    from analysis.errors import ParameterError
    from analysis.framing import detect_frames, membership, read_gold
    from analysis.framing.supervised import SupervisedFrames

    corpus = load_corpus(a.corpus)
    model = None
    if a.detector != "lexicon":
        if not a.train:
            raise ParameterError(f"--detector {a.detector} needs --train GOLD.jsonl to train the classifier on.")
        model = SupervisedFrames(seed=a.seed).fit(read_gold(a.train))
    group = a.group
    if group == "csto":
        group = membership(corpus.metadata)
    engine = open_scheduler(a.scheduler, jobs=a.jobs)
    source = corpus
    if a.cache_dir is not None:
        from analysis.preprocess import PreprocessParams, preprocess

        source = preprocess(corpus, PreprocessParams(), cache_dir=a.cache_dir, scheduler=engine,
                            progress=progress_bar("preprocess"))
    result = detect_frames(source, lexicon=a.lexicon, gazetteer=a.gazetteer, detector=a.detector, model=model,
                           period=a.period, group=group, ci=a.ci, n_boot=a.n_boot, seed=a.seed,
                           scheduler=engine, progress=progress_bar("frames"))
    paths = result.write(a.out)
    s = result.sentences
    shares = ", ".join(f"{f} {s[f].mean():.3f}" for f in result.frames) if len(s) else "no sentences"
    print(f"{len(result.documents)} documents, {len(s)} sentences; share of sentences: {shares}")
    for p in paths:
        print(f"wrote {p}")
    return 0


def _evaluate(a: argparse.Namespace) -> int:
    from analysis.framing import evaluate_frames

    ev = evaluate_frames(a.gold, detector=a.detector, lexicon=a.lexicon, gazetteer=a.gazetteer,
                         n_folds=a.folds, n_boot=a.n_boot, seed=a.seed)
    if a.out:
        ev.write(a.out)
    if a.json:
        print(json.dumps(ev.to_dict(), indent=2))
    else:
        print(ev.report(max_errors=a.max_errors))
    return 0


def _suggest(a: argparse.Namespace) -> int:
    import pandas as pd

    from analysis.corpus import load_corpus
    from analysis.framing import suggest_terms

    corpus = load_corpus(a.corpus)
    sug = suggest_terms(corpus, a.frame, language=a.language, lexicon=a.lexicon, gazetteer=a.gazetteer,
                        top=a.top, min_count=a.min_count, seed=a.seed, max_documents=a.max_documents)
    if a.out:
        sug.write(a.out)
    with pd.option_context("display.max_rows", None, "display.width", 140):
        print(sug.table.drop(columns="decision").round(3).to_string(index=False))
    if a.out:
        print(f"wrote {a.out} (fill the decision column with accept/reject)", file=sys.stderr)
    return 0
