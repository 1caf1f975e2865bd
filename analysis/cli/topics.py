"""`python -m analysis topics CORPUS --k K --seed S --out OUT`: fit and describe a topic model.

With a range for `--k` (e.g. `5:30:5`, stop included, or `5,10,20`) it first fits every k with
several seeds, writes `model_selection.csv` and goes on with the k the rule picks.
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

from analysis.corpus import load_corpus
from analysis.errors import ParameterError
from analysis.preprocess import PreprocessParams, preprocess
from analysis.preprocess.periods import PERIOD_HELP, check_period

from .progress import progress_bar


def register(sub: argparse._SubParsersAction) -> None:
    from analysis import topics as T

    p = sub.add_parser("topics", help="fit a topic model (LDA or NMF) and describe its topics",
                       description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("corpus", help="corpus folder or table")
    p.add_argument("--k", required=True,
                   help="number of topics, or a range start:stop:step (stop included) or list a,b,c "
                        "to choose from")
    p.add_argument("--seed", type=int, default=0, help="random seed (default 0)")
    p.add_argument("--out", required=True, help="output folder")
    p.add_argument("--method", default="lda", choices=T.METHODS)
    p.add_argument("--unit", default="document", choices=T.UNITS)
    p.add_argument("--chunk-size", type=int, default=200, help="tokens per chunk (unit=chunk)")
    p.add_argument("--paragraph-size", type=int, default=5,
                   help="sentences per 'paragraph' unit (unit=paragraph)")
    p.add_argument("--period", default="auto",
                   help=f"period for prevalence over time: {PERIOD_HELP} (default: auto, from the dates)")
    p.add_argument("--group", default=None, help="metadata column to split prevalence by (e.g. country)")
    p.add_argument("--language", default=None, choices=["en", "ru"],
                   help="fit on the documents in this language only")
    p.add_argument("--no-below", type=int, default=5, help="keep terms in at least this many units")
    p.add_argument("--no-above", type=float, default=0.5,
                   help="keep terms in at most this fraction of units")
    p.add_argument("--keep-n", type=int, default=20000, help="keep at most this many terms")
    p.add_argument("--passes", type=int, default=None, help="LDA passes (default: 40 batch / 10 online)")
    p.add_argument("--seeds", type=int, default=3, help="seeds per k when choosing k (default 3)")
    p.add_argument("--rule", default=T.DEFAULT_RULE, choices=T.SELECTION_RULES,
                   help="how to choose k from a range (default: highest c_npmi among k with "
                        "stability >= --min-stability)")
    p.add_argument("--min-stability", type=float, default=T.MIN_STABILITY)
    p.add_argument("--labels", default=None,
                   help="topic labels: a JSON file {\"0\": \"name\", ...} or 0=name,3=name")
    p.add_argument("--no-coherence", action="store_true", help="skip per-topic coherence")
    p.add_argument("--coherence-units", default=str(T.COHERENCE_UNITS), metavar="N|all",
                   help="count coherence (c_v, c_npmi) on a seeded random sample of N training units "
                        f"(the --seed; default {T.COHERENCE_UNITS}, every unit when there are fewer) or on "
                        "'all' of them; params.json records which")
    p.add_argument("--effect", default=None, metavar="FORMULA",
                   help="regress topic shares on covariates and write effects/effects.csv (and its "
                        "params.json), e.g. \"year\", "
                        "\"s(year) + organization\" (s(): B-spline), \"s(year) * organization\"")
    p.add_argument("--effect-uncertainty", default="composition", choices=("composition", "none", "bootstrap"),
                   help="intervals of --effect: 'composition' (shares drawn from the LDA posterior; "
                        "default), 'none' (regression only), 'bootstrap' (documents resampled; NMF)")
    p.add_argument("--effect-draws", type=int, default=50,
                   help="posterior draws of the shares for --effect (default 50)")
    p.add_argument("--reference-corpus", default=None, metavar="CORPUS",
                   help="also compute each topic's c_npmi on this corpus (reference_coherence.csv); "
                        "coherence is otherwise counted on the training units")
    p.add_argument("--cache-dir", default="default", help="preprocessing cache ('none': in memory)")
    p.add_argument("--jobs", type=int, default=None, help="preprocessing worker processes")
    p.set_defaults(handler=run)


def parse_labels(text: str | None) -> dict[int, str] | None:
    """Labels from a JSON file or `0=name,3=name`."""
    if not text:
        return None
    path = Path(text)
    if path.suffix == ".json" or path.exists():
        try:
            raw = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise ParameterError(f"`--labels` file {text}: cannot read JSON ({exc}).") from None
        if not isinstance(raw, dict):
            raise ParameterError(f"`--labels` file {text} must hold an object {{\"0\": \"name\"}}.")
    else:
        raw = {}
        for part in text.split(","):
            key, sep, value = part.partition("=")
            if not sep:
                raise ParameterError(f"`--labels` must look like 0=name,3=name; got {text!r}.")
            raw[key.strip()] = value.strip()
    try:
        return {int(k): str(v) for k, v in raw.items()}
    except ValueError:
        raise ParameterError(f"`--labels` keys must be topic numbers; got {list(raw)}.") from None


def parse_coherence_units(text: str) -> int | None:
    """`--coherence-units`: a number of units >= 1, or 'all' (None)."""
    if str(text).strip().lower() == "all":
        return None
    try:
        n = int(text)
    except ValueError:
        n = 0
    if n < 1:
        raise ParameterError(f"`--coherence-units` must be a number of units >= 1 or 'all'; got {text!r}.")
    return n


def run(args: argparse.Namespace) -> int:
    from analysis import topics as T

    ks = T.parse_k(args.k)
    coherence_units = parse_coherence_units(args.coherence_units)
    labels = parse_labels(args.labels)
    check_period(args.period)  # before the fits, not after them
    cache = None if str(args.cache_dir).lower() == "none" else args.cache_dir
    corpus = load_corpus(args.corpus, cache_dir=cache)
    start = time.perf_counter()
    tokens = preprocess(corpus, PreprocessParams(), cache_dir=cache, n_jobs=args.jobs,
                        progress=progress_bar("preprocess"))
    if args.language:
        mask = tokens.metadata["language"] == args.language
        if not mask.any():
            raise ParameterError(f"`--language` {args.language!r}: no document in {args.corpus} has it.")
        tokens = tokens.subset(mask)
    settings = {"method": args.method, "unit": args.unit, "chunk_size": args.chunk_size,
                "paragraph_size": args.paragraph_size, "no_below": args.no_below,
                "no_above": args.no_above, "keep_n": args.keep_n, "passes": args.passes,
                "seed": args.seed}
    selection = None
    data = tokens
    if len(ks) > 1:
        selection = T.select_k(tokens, ks, n_seeds=args.seeds, rule=args.rule,
                               min_stability=args.min_stability, coherence_units=coherence_units,
                               progress=progress_bar("choosing k"), **settings)
        print(selection.table.to_string(index=False, float_format=lambda v: f"{v:.3f}"))
        print(f"chose k={selection.chosen_k} by rule {args.rule!r} "
              f"(min stability {args.min_stability}); fitting it")
        k = selection.chosen_k
        data = selection.units
    else:
        k = ks[0]
    if selection is not None:
        model = selection.model(k)
        result = T.describe_topics(model, labels=labels, period=args.period, group=args.group,
                                   with_coherence=not args.no_coherence, selection=selection,
                                   coherence_units=coherence_units)
    else:
        result = T.fit_topics(data, k=k, labels=labels, period=args.period, group=args.group,
                              with_coherence=not args.no_coherence, coherence_units=coherence_units,
                              progress=progress_bar("units"), **settings)
    written = result.write(args.out)
    if args.effect:
        from analysis.topics import effects as E

        effects = E.effect(result.model, args.effect, uncertainty=args.effect_uncertainty,
                           n_draws=args.effect_draws)
        written += effects.write(Path(args.out) / "effects")
        first = effects.effects[effects.effects["contrast"] == E.FIRST_TO_LAST]
        print(f"effects of {args.effect!r}: {effects.interval}")
        for row in (first if not first.empty else effects.effects).itertuples(index=False):
            print(f"  {row.topic:>3}  {row.contrast}  {row.estimate:+.3f} [{row.ci_low:+.3f}, {row.ci_high:+.3f}]")
        for note in effects.notes:
            print(f"note: {note}")
    if args.reference_corpus:
        from analysis.topics.evaluation import reference_coherence

        ref = preprocess(load_corpus(args.reference_corpus, cache_dir=cache), PreprocessParams(), cache_dir=cache,
                         n_jobs=args.jobs)
        top = result.topics["top_terms"].str.split(", ").tolist()
        table = reference_coherence(top, ref, unit=args.unit, chunk_size=args.chunk_size,
                                    paragraph_size=args.paragraph_size)
        path = Path(args.out) / "reference_coherence.csv"
        table.to_csv(path, index=False, float_format="%.6g")
        written.append(path)
        print(f"c_npmi on {args.reference_corpus}: mean {table['c_npmi_reference'].mean():.3f} "
              f"(on the training units: {result.topics['c_npmi'].mean():.3f})"
              if "c_npmi" in result.topics else
              f"c_npmi on {args.reference_corpus}: mean {table['c_npmi_reference'].mean():.3f}")
    seconds = time.perf_counter() - start
    print(f"{result.k} topics ({args.method}, unit={args.unit}) on {result.params['n_documents']} "
          f"documents, {result.params['n_units']} units, {result.params['n_terms']} terms "
          f"in {seconds:.1f} s")
    coh = result.params.get("coherence")
    if coh:
        on = (f"a seeded sample of {coh['reference_units']:,} of {coh['of_units']:,} units (seed {coh['seed']})"
              if coh["sampled"] else f"all {coh['of_units']:,} units")
        print(f"coherence on {on}: mean c_v {result.topics['c_v'].mean():.3f}, "
              f"c_npmi {result.topics['c_npmi'].mean():.3f}")
    for row in result.topics.itertuples(index=False):
        print(f"  {row.topic:>3}  {row.prevalence:6.1%}  {row.label}")
    for note in result.notes:
        print(f"note: {note}")
    print(f"wrote {len(written)} files to {args.out}")
    return 0
