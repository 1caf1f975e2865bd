"""`python -m analysis trends CORPUS --terms ... --out DIR` and `python -m analysis kwic CORPUS TERM`."""

from __future__ import annotations

import argparse
import logging
from pathlib import Path

from analysis.corpus import load_corpus
from analysis.errors import ParameterError
from analysis.preprocess import Tokens, preprocess
from analysis.preprocess.periods import PERIOD_HELP
from analysis.stats import N_BOOT
from analysis.trends import (
    CI_METHODS,
    FORMS,
    TrendSettings,
    keyness,
    kwic,
    params_for_form,
    term_trends,
)
from analysis.trends.models import TESTS

from .progress import SCHEDULER_HELP, open_scheduler, progress_bar

logger = logging.getLogger(__name__)


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "trends", help="term rates per period/group with intervals, rising/falling terms, keyness",
        description="Rates per 10,000 tokens of terms per period (and group) with document-aware "
                    "intervals, and a trend test per term with Benjamini-Hochberg q-values. Writes "
                    "OUT/trends.csv, OUT/rising_falling.csv, OUT/terms.csv, OUT/params.json "
                    "(and OUT/keyness/keyness.csv with its params.json with --keyness).")
    p.add_argument("corpus", help="corpus folder or table")
    p.add_argument("--terms", default=None,
                   help='comma-separated terms or globs, e.g. "multipolar world,terrorism,multipolar*"; '
                        "'a|b' sums alternatives. Default: every token above --min-count")
    p.add_argument("--period", default="auto", help=PERIOD_HELP + " (default: auto)")
    p.add_argument("--group", default=None, help="metadata column to group by, e.g. country")
    p.add_argument("--values", default=None,
                   help="with --group: the groups to keep (comma-separated); all others become 'others'")
    p.add_argument("--start", type=int, default=None, help="first year")
    p.add_argument("--end", type=int, default=None, help="last year")
    p.add_argument("--form", default="lemma", choices=FORMS, help="count lemmas or words as written")
    p.add_argument("--whole-tokens", action="store_true",
                   help="do not match words inside multi-word tokens (terrorism in international_terrorism)")
    p.add_argument("--ci", default="auto", choices=CI_METHODS)
    p.add_argument("--test", default="quasi-poisson", choices=TESTS)
    p.add_argument("--alpha", type=float, default=0.05)
    p.add_argument("--min-count", type=int, default=20, help="candidate terms without --terms")
    p.add_argument("--min-docs", type=int, default=5, help="candidate terms without --terms")
    p.add_argument("--n-boot", type=int, default=N_BOOT)
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--keyness", default=None, metavar="SPLIT",
                   help="also write keyness/keyness.csv for a split: 'after:2014', 'country=RUS', "
                        "'2000-2009 vs 2015-2024'")
    p.add_argument("--out", required=True, help="output folder")
    p.add_argument("--cache-dir", default="default", help="preprocessing cache ('none': in memory)")
    p.add_argument("--jobs", type=int, default=None, help="a local Dask cluster of N workers (same as --scheduler local:N)")
    p.add_argument("--scheduler", default=None, help=SCHEDULER_HELP)
    p.set_defaults(handler=run_trends)

    k = sub.add_parser("kwic", help="keyword-in-context concordance of a term or phrase",
                       description="Print a concordance: doc id, date, left | node | right.")
    k.add_argument("corpus", help="corpus folder or table")
    k.add_argument("term", help='a word, phrase or glob: "multipolar world", "многополярный мир", "multipolar*"')
    k.add_argument("--width", type=int, default=8, help="context on each side")
    k.add_argument("--unit", default="tokens", choices=("tokens", "chars"), help="unit of --width")
    k.add_argument("--limit", type=int, default=50, help="at most this many lines (0: all)")
    k.add_argument("--form", default="lemma", choices=FORMS, help="match lemmas or words as written")
    k.add_argument("--meta", default="", help="metadata columns to show, comma-separated (e.g. country)")
    k.add_argument("--out", default=None, help="also write OUT/kwic.csv and OUT/params.json")
    k.add_argument("--cache-dir", default="default", help="preprocessing cache ('none': in memory)")
    k.add_argument("--jobs", type=int, default=None)
    k.add_argument("--scheduler", default=None, help=SCHEDULER_HELP)
    k.set_defaults(handler=run_kwic)


def _tokens(path: str, form: str, cache_dir: str, engine) -> Tokens:
    cache = None if str(cache_dir).lower() == "none" else cache_dir
    corpus = load_corpus(path, cache_dir=cache)
    params = params_for_form(form)
    return preprocess(corpus, params, cache_dir=cache, scheduler=engine, progress=progress_bar("preprocess"))


def run_trends(args: argparse.Namespace) -> int:
    if args.values and not args.group:
        raise ParameterError("--values needs --group (the metadata column the values belong to).")
    terms = args.terms
    if args.values:
        terms = [t for t in (args.terms or "").split(",") if t.strip()]
        if len(terms) != 1:
            raise ParameterError("--values compares groups for one term; give exactly one in --terms.")
    settings = TrendSettings(period=args.period, start=args.start, end=args.end, group=args.group,
                             values=args.values, within_mwe=not args.whole_tokens, ci=args.ci,
                             n_boot=args.n_boot, seed=args.seed, test=args.test, alpha=args.alpha,
                             min_count=args.min_count, min_docs=args.min_docs)
    engine = open_scheduler(args.scheduler, jobs=args.jobs)
    tokens = _tokens(args.corpus, args.form, args.cache_dir, engine)
    result = term_trends(tokens, terms, settings, progress=progress_bar("count"), scheduler=engine)
    paths = result.write(args.out)
    for note in result.notes:
        print(f"note: {note}")
    tests = result.tests
    print(f"{len(tests)} trend tests: {int((tests['direction'] == 'rising').sum())} rising, "
          f"{int((tests['direction'] == 'falling').sum())} falling at q < {args.alpha}")
    if args.keyness:
        k = keyness(tokens, args.keyness, alpha=args.alpha)
        paths += k.write(Path(args.out) / "keyness")
        print(f"keyness {k.target} vs {k.reference}: {int((k.table['key_for'] == 'target').sum())} "
              f"terms key for the target, {int((k.table['key_for'] == 'reference').sum())} for the reference")
    print("wrote " + ", ".join(map(str, paths)))
    return 0


def run_kwic(args: argparse.Namespace) -> int:
    tokens = _tokens(args.corpus, args.form, args.cache_dir, open_scheduler(args.scheduler, jobs=args.jobs))
    meta = tuple(m.strip() for m in args.meta.split(",") if m.strip())
    conc = kwic(tokens, args.term, width=args.width, unit=args.unit, limit=args.limit or None, meta=meta)
    if conc.lines.empty:
        print(f"no match for {args.term!r} (as {conc.pattern!r}, {args.form} form)")
        return 1
    lines = conc.lines
    if meta:
        # show the metadata in front of the date column
        ids = lines["doc_id"].astype(str)
        for m in meta:
            ids = ids + " " + lines[m].astype(str)
        conc.lines = lines.assign(doc_id=ids)
    print(conc.format())
    conc.lines = lines
    if args.out:
        print("wrote " + ", ".join(map(str, conc.write(args.out))))
    return 0
