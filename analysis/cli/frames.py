"""`python -m analysis frames ...`: frame detection, validation against gold, lexicon suggestions.

    python -m analysis frames CORPUS_DIR --out OUT_DIR [--period year] [--group country]
                              [--jobs N] [--cache-dir DIR|none] [--model MODEL_DIR]
    python -m analysis frames sample CORPUS --n 300 --out to_code      (to_code/sample.csv + .jsonl to code)
    python -m analysis frames evaluate --gold CODED.jsonl [--split test] [--model MODEL_DIR] [--json]
    python -m analysis frames train --gold CODED.jsonl --out MODEL_DIR
    python -m analysis frames agreement coder_a.csv coder_b.csv
    python -m analysis frames audit CORPUS --gold GOLD.jsonl --split train --out audit/
    python -m analysis frames suggest CORPUS --frame threat [--top 30]
    python -m analysis frames vectors build CORPUS [CORPUS ...]        (reference word vectors)

(A corpus folder literally named like an action is given as `./evaluate`.)
"""

from __future__ import annotations

import argparse
import json
import sys

from analysis.preprocess.periods import PERIOD_HELP

from .progress import SCHEDULER_HELP, open_scheduler, progress_bar

ACTIONS = ("evaluate", "suggest", "sample", "train", "agreement", "audit", "vectors")
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
    from analysis.stats import N_BOOT

    p = argparse.ArgumentParser(prog="python -m analysis frames",
                                description="Detect frames in every sentence of a corpus and write "
                                            "sentence_frames.parquet (--csv: also as CSV) and frame_shares.csv.")
    p.add_argument("corpus", help="corpus folder or table")
    p.add_argument("--out", required=True, help="output folder")
    p.add_argument("--period", default="year", help=PERIOD_HELP + " (default: year)")
    p.add_argument("--group", default=None, help="metadata column to group by (e.g. country); "
                                                 "'csto' groups the CSTO member states against all others")
    p.add_argument("--ci", default="bootstrap", choices=["bootstrap", "wilson"])
    p.add_argument("--n-boot", type=int, default=N_BOOT)
    p.add_argument("--detector", default="lexicon", choices=["lexicon", "supervised", "both"])
    p.add_argument("--train", help="gold JSONL to train the supervised detector on")
    p.add_argument("--model", help="a model folder from `frames train`, or 'shipped' (implies --detector "
                                   "supervised unless --detector both is given)")
    p.add_argument("--jobs", type=int, default=None,
                   help="a local Dask cluster of N workers (default: all cores for a large corpus; 1: in process)")
    p.add_argument("--scheduler", default=None, help=SCHEDULER_HELP)
    p.add_argument("--csv", action="store_true", help="also write the sentence table as sentence_frames.csv")
    _cache_dir(p, "and store the sentence table there for a rerun; ")
    _common(p)
    return p


def _cache_dir(p: argparse.ArgumentParser, also: str = "") -> None:
    p.add_argument("--cache-dir", default="default", metavar="DIR",
                   help="take the sentences from the preprocessing cache in DIR (default: the usual cache, "
                        f"as topics and trends use it), preprocessing first what is not cached, {also}"
                        "'none': preprocess in memory, store nothing (the same rows)")


def _tokens(corpus, cache_dir: str, engine=None):
    """The corpus (a `Corpus` or its path) preprocessed with the default parameters: the tokens
    every framing method reads its sentences from."""
    from analysis.corpus import load_corpus
    from analysis.preprocess import PreprocessParams, preprocess

    cache = None if str(cache_dir).lower() == "none" else cache_dir
    if isinstance(corpus, str):
        corpus = load_corpus(corpus, cache_dir=cache)
    return preprocess(corpus, PreprocessParams(), cache_dir=cache, scheduler=engine,
                      progress=progress_bar("preprocess"))


def evaluate_parser() -> argparse.ArgumentParser:
    from analysis.stats import N_BOOT

    p = argparse.ArgumentParser(prog="python -m analysis frames evaluate",
                                description="Score the detector on hand-coded gold sentences.")
    p.add_argument("--gold", required=True, help="gold JSON Lines file (codebook format)")
    p.add_argument("--json", action="store_true", help="print the scores as JSON")
    p.add_argument("--detector", default="lexicon", choices=["lexicon", "supervised", "both"],
                   help="supervised/both use out-of-fold cross-validated labels on the gold itself")
    p.add_argument("--n-boot", type=int, default=N_BOOT)
    p.add_argument("--folds", type=int, default=5)
    p.add_argument("--max-errors", type=int, default=None, help="errors listed per frame and kind")
    p.add_argument("--split", choices=["train", "validation", "test"],
                   help="score only this split of a gold file with a `split` field")
    p.add_argument("--model", help="a model folder from `frames train`, or 'shipped' (implies --detector "
                                   "supervised)")
    p.add_argument("--out", help="also write scores.json, errors.csv, predictions.csv and params.json to this folder")
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
    p.add_argument("--vectors", default="auto", choices=["auto", "corpus", "reference"],
                   help="word vectors: the corpus's own, the reference vectors (`frames vectors build`), or "
                        "auto (reference below --min-tokens content tokens)")
    p.add_argument("--min-tokens", type=int, default=1_000_000)
    p.add_argument("--out", help="write suggestions.csv and params.json to this folder")
    _cache_dir(p)
    _common(p)
    return p


def sample_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="python -m analysis frames sample",
                                description="Write a stratified sample of sentences to code by hand (CSV and JSONL "
                                            "with blank labels and the coding rules on top).")
    p.add_argument("corpus", help="corpus folder or table")
    p.add_argument("--n", type=int, default=300, help="sentences to draw (default 300)")
    p.add_argument("--out", required=True, help="output folder (writes OUT/sample.csv, OUT/sample.jsonl and "
                                                "OUT/params.json)")
    p.add_argument("--per-document", type=int, default=3, help="at most this many sentences per document")
    _cache_dir(p)
    _common(p)
    return p


def train_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="python -m analysis frames train",
                                description="Train the supervised detector on coded sentences and save it "
                                            "(model.json + model.npz, no pickle).")
    p.add_argument("--gold", required=True, action="append",
                   help="coded file (JSONL or CSV); repeat to add files. With a `split` field: fit on "
                        "train, choose each frame's rule on validation, never use test")
    p.add_argument("--out", required=True, help="model folder to write")
    p.add_argument("--folds", type=int, default=5, help="grouped folds when there is no validation split")
    p.add_argument("--lexicon-features", action="store_true",
                   help="add the lexicon's frame and subframe hits as features")
    p.add_argument("--seed", type=int, default=0)
    return p


def agreement_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="python -m analysis frames agreement",
                                description="Agreement of two coders: Krippendorff's alpha per frame and "
                                            "partner Jaccard, matched by sentence id.")
    p.add_argument("a", help="coder A's file (CSV or JSONL)")
    p.add_argument("b", help="coder B's file (CSV or JSONL)")
    p.add_argument("--out", help="write agreement.csv, disagreements.csv and params.json to this folder")
    p.add_argument("--json", action="store_true")
    return p


def audit_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="python -m analysis frames audit",
                                description="For every lexicon rule: how often it fires on a corpus, and its "
                                            "precision on gold sentences.")
    p.add_argument("corpus", help="corpus folder or table (e.g. an import of the UN General Debate Corpus)")
    p.add_argument("--gold", action="append", default=[], help="coded file(s) for the precision column")
    p.add_argument("--split", choices=["train", "validation", "test"], default=None,
                   help="use only this split of the gold (default: all of it)")
    p.add_argument("--out", required=True, help="folder to write audit.csv and params.json into")
    p.add_argument("--max-documents", type=int, default=None)
    p.add_argument("--jobs", type=int, default=None,
                   help="a local Dask cluster of N workers (default: all cores for a large corpus; 1: in process)")
    _cache_dir(p)
    _common(p)
    return p


def vectors_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="python -m analysis frames vectors",
                                description="Build the reference word vectors that `frames suggest` uses on "
                                            "small corpora (cached; word2vec binary format, no pickle).")
    p.add_argument("action", choices=["build", "info"])
    p.add_argument("corpora", nargs="*", help="corpus folders or tables to learn from (build)")
    p.add_argument("--max-documents", type=int, default=None, help="per corpus")
    p.add_argument("--cache-dir", default=None, help="where to store them (default: the toolkit cache)")
    p.add_argument("--tokens-cache-dir", default="default", metavar="DIR",
                   help="the preprocessing cache the corpora's sentences come from (default: the usual cache; "
                        "'none': preprocess in memory)")
    p.add_argument("--seed", type=int, default=0)
    return p


def run(args: argparse.Namespace) -> int:
    argv = list(args.argv)
    if getattr(args, "show_help", False) or not argv or argv[0] in ("-h", "--help"):
        print(USAGE + "\n")
        for parser in (run_parser(), sample_parser(), evaluate_parser(), train_parser(), agreement_parser(),
                       audit_parser(), suggest_parser(), vectors_parser()):
            print(parser.format_usage(), end="")
        print("\nUse `python -m analysis frames evaluate --help` (or suggest, or CORPUS --help) for the options.")
        return 0
    if argv[0] == "evaluate":
        return _evaluate(evaluate_parser().parse_args(argv[1:]))
    if argv[0] == "suggest":
        return _suggest(suggest_parser().parse_args(argv[1:]))
    if argv[0] == "sample":
        return _sample(sample_parser().parse_args(argv[1:]))
    if argv[0] == "train":
        return _train(train_parser().parse_args(argv[1:]))
    if argv[0] == "agreement":
        return _agreement(agreement_parser().parse_args(argv[1:]))
    if argv[0] == "audit":
        return _audit(audit_parser().parse_args(argv[1:]))
    if argv[0] == "vectors":
        return _vectors(vectors_parser().parse_args(argv[1:]))
    return _detect(run_parser().parse_args(argv))


def _detect(a: argparse.Namespace) -> int:
    from analysis.corpus import load_corpus
    from analysis.errors import ParameterError
    from analysis.framing import detect_frames, load_gold, membership
    from analysis.framing.supervised import SHIPPED_MODEL, SupervisedFrames

    corpus = load_corpus(a.corpus, cache_dir=None if str(a.cache_dir).lower() == "none" else a.cache_dir)
    model = None
    detector = a.detector
    if a.model:
        model = SupervisedFrames.load(SHIPPED_MODEL if a.model == "shipped" else a.model)
        if detector == "lexicon":
            detector = "supervised"
    elif detector != "lexicon":
        if not a.train:
            raise ParameterError(f"--detector {a.detector} needs --model MODEL_DIR or --train GOLD.jsonl.")
        model = SupervisedFrames(seed=a.seed).fit(load_gold(a.train))
    engine = open_scheduler(a.scheduler, jobs=a.jobs)
    tokens = _tokens(corpus, a.cache_dir, engine)
    group = a.group
    if group == "csto":
        group = membership(tokens.metadata)
    result = detect_frames(tokens, lexicon=a.lexicon, gazetteer=a.gazetteer, detector=detector, model=model,
                           period=a.period, group=group, ci=a.ci, n_boot=a.n_boot, seed=a.seed,
                           scheduler=engine, progress=progress_bar("frames"))
    paths = result.write(a.out, csv=a.csv)
    docs = result.documents  # the per-document counts: the sentence table stays on storage
    n = int(docs["n_sentences"].sum())
    shares = ", ".join(f"{f} {docs[f'n_{f}'].sum() / n:.3f}" for f in result.frames) if n else "no sentences"
    print(f"{len(docs)} documents, {n} sentences; share of sentences: {shares}")
    for p in paths:
        print(f"wrote {p}")
    return 0


def _evaluate(a: argparse.Namespace) -> int:
    from analysis.framing import evaluate_frames, load_gold

    gold = load_gold(a.gold, skip_uncoded=True)
    if gold.attrs.get("skipped"):
        print(f"{a.gold}: {gold.attrs['skipped']} sentence(s) not fully coded, left out", file=sys.stderr)
    detector = "supervised" if a.model and a.detector == "lexicon" else a.detector
    from analysis.framing.supervised import SHIPPED_MODEL

    model = SHIPPED_MODEL if a.model == "shipped" else a.model
    ev = evaluate_frames(gold, detector=detector, lexicon=a.lexicon, gazetteer=a.gazetteer, model=model,
                         split=a.split, n_folds=a.folds, n_boot=a.n_boot, seed=a.seed)
    if a.out:
        ev.write(a.out)
    if a.json:
        print(json.dumps(ev.to_dict(), indent=2))
    else:
        print(ev.report(max_errors=a.max_errors))
    return 0


def _suggest(a: argparse.Namespace) -> int:
    import pandas as pd

    from analysis.framing import suggest_terms

    sug = suggest_terms(_tokens(a.corpus, a.cache_dir), a.frame, language=a.language, lexicon=a.lexicon, gazetteer=a.gazetteer,
                        top=a.top, min_count=a.min_count, seed=a.seed, max_documents=a.max_documents,
                        vectors=a.vectors, min_tokens=a.min_tokens)
    pr = sug.params
    print(f"{pr['tokens']} content tokens; vectors: {pr['vectors']} (median cosine of random word pairs "
          f"{pr['collapse']:.3f}; near 1 means collapsed)", file=sys.stderr)
    paths = sug.write(a.out) if a.out else []
    with pd.option_context("display.max_rows", None, "display.width", 140):
        print(sug.table.drop(columns="decision").round(3).to_string(index=False))
    if paths:
        print(f"wrote {paths[0]} (fill the decision column with accept/reject) and {paths[-1]}", file=sys.stderr)
    return 0


def _sample(a: argparse.Namespace) -> int:
    from analysis.framing import FrameDetector, load_gazetteer, load_lexicon, sample_sentences

    det = FrameDetector(load_lexicon(a.lexicon), load_gazetteer(a.gazetteer))
    sample = sample_sentences(_tokens(a.corpus, a.cache_dir), a.n, detector=det, seed=a.seed, per_document=a.per_document)
    paths = sample.write(a.out)
    strata = ", ".join(f"{k} {v}" for k, v in sample.params["strata"].items())
    print(f"{len(sample.table)} sentences from {sample.table['doc'].nunique()} documents (strata: {strata})")
    for p in paths:
        print(f"wrote {p}")
    return 0


def _train(a: argparse.Namespace) -> int:
    import pandas as pd

    from analysis.framing import load_gold, train_frames

    tables = [load_gold(g) for g in a.gold]
    gold = pd.concat(tables, ignore_index=True)
    model, _ = train_frames(gold, n_folds=a.folds, seed=a.seed, lexicon_features=a.lexicon_features)
    paths = model.save(a.out)
    info = model.info_
    print(f"trained on {info['n_train']} sentences ({info['n_features']} features); rules chosen on "
          f"{info.get('rules_chosen_on')} ({info.get('n_validation', 0)} validation sentences; "
          f"{info.get('n_test_unused', 0)} test sentences not used)")
    for f, r in model.rules_.items():
        extra = {k: v for k, v in r.items() if k.startswith("f1_")}
        print(f"  {f}: {r['rule']} (threshold {r['threshold']:.2f})"
              + "".join(f", {k.replace('f1_', 'F1 on ')} {v:.3f}" for k, v in extra.items()))
    for p in paths:
        print(f"wrote {p}")
    return 0


def _agreement(a: argparse.Namespace) -> int:
    from analysis.framing import coder_agreement

    ag = coder_agreement(a.a, a.b)
    if a.out:
        ag.write(a.out)
    if a.json:
        table = ag.table.astype(object).where(ag.table.notna(), None)
        print(json.dumps({"n_common": ag.params["n_common"], **table.to_dict(orient="index")}, indent=2))
    else:
        print(ag.report())
    return 0


def _audit(a: argparse.Namespace) -> int:
    import pandas as pd

    from analysis.framing import audit_rules, load_gold

    gold = pd.concat([load_gold(g) for g in a.gold], ignore_index=True) if a.gold else None
    if gold is not None and a.split:
        gold = gold[gold["split"] == a.split].reset_index(drop=True)
    audit = audit_rules(_tokens(a.corpus, a.cache_dir), gold, lexicon=a.lexicon, gazetteer=a.gazetteer,
                        max_documents=a.max_documents, n_jobs=a.jobs, progress=progress_bar("audit"))
    table = audit.table
    paths = audit.write(a.out)
    fired = table[table["corpus_sentences"] > 0]
    print(f"{len(table)} rules; {len(fired)} fire on the corpus; {int((table['corpus_sentences'] <= 1).sum())} "
          f"fire at most once; wrote {', '.join(map(str, paths))}")
    return 0


def _vectors(a: argparse.Namespace) -> int:
    from analysis.framing import build_reference_vectors, reference_vectors_info

    if a.action == "info":
        print(json.dumps(reference_vectors_info(a.cache_dir), indent=2))
        return 0
    from analysis.errors import ParameterError

    if not a.corpora:
        raise ParameterError("`frames vectors build` needs one or more corpora to learn from.")
    corpora = [_tokens(c, a.tokens_cache_dir) for c in a.corpora]
    info = build_reference_vectors(corpora, cache_dir=a.cache_dir, max_documents=a.max_documents, seed=a.seed,
                                   progress=progress_bar("vectors"))
    for lang, d in info["languages"].items():
        print(f"{lang}: {d['vocabulary']} words from {d['sentences']} sentences -> {d['path']}")
    return 0
