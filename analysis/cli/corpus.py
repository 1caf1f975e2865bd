"""`python -m analysis corpus import KIND SOURCE --out DIR` and `corpus info DIR`."""

from __future__ import annotations

import argparse
import csv
import json
import logging
import os
import sys
from pathlib import Path
from typing import Any

from analysis.corpus.skips import SKIP_LIST_NAME, Skip, load_skip_list
from analysis.errors import CorpusError

# Ignored files are listed one per line up to this many; beyond it, by file type.
MAX_IGNORED_LINES = 20


def register(subparsers: argparse._SubParsersAction) -> None:
    corpus = subparsers.add_parser("corpus", help="import a corpus from its source; describe a corpus",
                                   description="Import corpora and describe them.")
    actions = corpus.add_subparsers(dest="corpus_action", metavar="ACTION")
    corpus.set_defaults(handler=_help(corpus))

    imp = actions.add_parser(
        "import", help="import a source into a corpus folder",
        description="Import a source into a corpus folder of front-matter .txt files, with "
                    "corpus.yml and skipped.csv (every file left out, with its reason).")
    imp.set_defaults(handler=_help(imp))
    kinds = imp.add_subparsers(dest="kind", metavar="SOURCE_KIND")
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--out", required=True, metavar="DIR", help="corpus folder to write")
    common.add_argument("--strict", action="store_true",
                        help="exit with status 1 when any file was skipped")
    common.add_argument("--overwrite", action="store_true",
                        help="replace a corpus already in --out")
    common.add_argument("--name", help="corpus name written to corpus.yml")
    common.add_argument("--format", default="folder", choices=("folder", "parquet"),
                        help="folder: one .txt file a document (default); parquet: part-NNNNN.parquet "
                             "files of 1000 documents, read lazily (corpora larger than memory, clusters)")

    p = kinds.add_parser("ungdc", parents=[common], help="UN General Debate Corpus (.tgz or TXT folder)")
    p.add_argument("source", metavar="SOURCE", help="UNGDC_1946-2024.tgz or its extracted folder")
    p.add_argument("--speakers", metavar="FILE", help="Speakers_by_session.csv or .xlsx")
    p.set_defaults(handler=run_import)

    p = kinds.add_parser("html", parents=[common], help="saved web pages (folder or archive)")
    p.add_argument("source", metavar="SOURCE", help="folder of .html files, or .tar.gz/.zip of them")
    p.add_argument("--language", choices=("en", "ru"), help="language of all pages (else detected)")
    p.add_argument("--id-prefix", default="", help="prefix for document ids (ids are file names)")
    p.add_argument("--limit", type=int, metavar="N", help="read only the first N files (trial run)")
    p.add_argument("--jobs", type=int, default=os.cpu_count() or 1, metavar="N",
                   help="extract in N processes (default: all cores)")
    p.set_defaults(handler=run_import)

    p = kinds.add_parser("folder", parents=[common], help="plain .txt files, front matter optional")
    p.add_argument("source", metavar="SOURCE", help="folder of .txt files")
    p.add_argument("--metadata", metavar="FILE",
                   help="sidecar CSV/XLSX with a column 'file' (or 'filename') and one per key")
    p.add_argument("--allow-undated", action="store_true", help="keep texts without a date")
    p.add_argument("--language", choices=("en", "ru"), help="default language (else detected)")
    p.set_defaults(handler=run_import)

    p = kinds.add_parser("table", parents=[common], help="one CSV, JSON Lines or Parquet table")
    p.add_argument("source", metavar="SOURCE", help="table file (.csv, .jsonl, .parquet)")
    p.add_argument("--text-column", help="column holding the text (default: text, body or content)")
    p.add_argument("--allow-undated", action="store_true", help="keep rows without a date")
    p.set_defaults(handler=run_import)

    info = actions.add_parser("info", help="documents, tokens, languages, dates, metadata keys",
                              description="Describe a corpus folder or table.")
    info.add_argument("corpus", metavar="CORPUS", help="corpus folder or table file")
    info.add_argument("--json", action="store_true", help="print JSON instead of a table")
    info.set_defaults(handler=run_info)


def _help(parser: argparse.ArgumentParser):
    def show(args: argparse.Namespace) -> int:
        parser.print_help(sys.stderr)
        return 2
    return show


def _importer_options(args: argparse.Namespace) -> dict[str, Any]:
    options: dict[str, Any] = {}
    if args.name:
        options["name"] = args.name
    if args.kind == "ungdc":
        options["speakers"] = args.speakers
    elif args.kind == "html":
        options.update(language=args.language, id_prefix=args.id_prefix, limit=args.limit,
                       n_jobs=args.jobs)
    elif args.kind == "folder":
        options.update(metadata=args.metadata, allow_undated=args.allow_undated,
                       language=args.language)
    elif args.kind == "table":
        options.update(text_column=args.text_column, allow_undated=args.allow_undated)
    return options


def run_import(args: argparse.Namespace) -> int:
    """Import, write the corpus and its skip list, print each skip and a summary."""
    from analysis.corpus.importers import IMPORTERS, check_output_folder

    out = check_output_folder(args.out, args.source, overwrite=args.overwrite)
    if not args.verbose:  # trafilatura warns about every page part it discards
        logging.getLogger("trafilatura").setLevel(logging.ERROR)
    result = IMPORTERS[args.kind](args.source, **_importer_options(args))
    result.write(out, format=args.format)
    for skip in result.skipped:
        print(f"skipped {skip.source}: {skip.reason}" + (f" ({skip.detail})" if skip.detail else ""))
    _print_ignored(result.ignored)
    report = result.info.get("import", {}).get("speaker_table")
    if report:
        print(_speaker_summary(report))
    summary = result.summary()
    by_reason = ", ".join(f"{k}: {v}" for k, v in summary["skipped_by_reason"].items())
    line = f"imported {summary['imported']}, skipped {summary['skipped']}"
    line += f" ({by_reason})" if by_reason else ""
    if summary["ignored"]:
        by_type = ", ".join(f"{k}: {v}" for k, v in summary["ignored_by_type"].items())
        line += f"; ignored {summary['ignored']} files that are not documents ({by_type})"
    print(f"wrote {out} (skip list: {out / SKIP_LIST_NAME})")
    print(line)
    if args.strict and result.skipped:
        print(f"error: --strict: {len(result.skipped)} files were skipped", file=sys.stderr)
        return 1
    return 0


def _print_ignored(ignored: list[Skip]) -> None:
    shown = ignored if len(ignored) <= MAX_IGNORED_LINES else ignored[:MAX_IGNORED_LINES // 2]
    for skip in shown:
        print(f"ignored {skip.source}: {skip.detail}")
    if len(shown) < len(ignored):
        print(f"... and {len(ignored) - len(shown)} more ignored files, listed in {SKIP_LIST_NAME}")


def _speaker_summary(report: dict[str, Any]) -> str:
    by_session = report["speeches_without_speaker_by_session"]
    worst = sorted(by_session.items(), key=lambda kv: -kv[1])[:3]
    sessions = ", ".join(f"session {s}: {n}" for s, n in worst)
    return (
        f"speakers table: {report['rows']} rows; {report['speeches_with_speaker']} speeches with a "
        f"speaker, {report['speeches_without_speaker']} without"
        + (f" (most in {sessions})" if sessions else "")
        + f"; {report['duplicate_rows_merged']} duplicate rows merged"
        f" ({len(report['rows_naming_several_speakers'])} keys name several speakers)"
        f"; {len(report['rows_reassigned'])} rows matched by country name or code"
        f"; {len(report['rows_without_speech'])} rows match no speech"
        f"; {len(report['rows_not_used'])} rows unusable (details: corpus.yml, import.speaker_table)"
    )


def run_info(args: argparse.Namespace) -> int:
    """Print `corpus_info` for a corpus folder or table (JSON with --json)."""
    from analysis.corpus import load_corpus
    from analysis.corpus.info import corpus_info, format_info

    corpus = load_corpus(args.corpus)
    skip_list = Path(args.corpus) / SKIP_LIST_NAME
    try:
        import_skips = load_skip_list(skip_list) if skip_list.is_file() else []
    except (KeyError, csv.Error, UnicodeDecodeError) as exc:
        raise CorpusError(f"{skip_list}: not a skip list with columns source, reason, detail "
                          f"({exc.__class__.__name__}: {exc})") from None
    info = corpus_info(corpus, import_skips)
    if args.json:
        print(json.dumps(info, indent=2, ensure_ascii=False))
    else:
        print(format_info(info))
    return 0
