"""Command line: `python -m analysis <command> ...`. The only place that talks to a terminal.

Each command lives in its own module here with a `register(subparsers)` function; a command's
handler takes the parsed arguments and returns an exit code.
"""

from __future__ import annotations

import argparse
import importlib
import logging
import sys

from analysis import __version__
from analysis.errors import UserError

COMMAND_MODULES = ("corpus", "preprocess", "topics", "trends", "frames", "report", "cache")


def build_parser(argv: list[str] | None = None) -> argparse.ArgumentParser:
    """The parser; given the arguments of a known command, only that command's module is imported
    (each pulls in its own libraries: a command does not pay for the others' imports)."""
    parser = argparse.ArgumentParser(
        prog="python -m analysis",
        description="Security Discourse Toolkit: corpora, topics, keyword trends and framing.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    parser.add_argument("-v", "--verbose", action="store_true", help="log progress details")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    words = [a for a in (argv or []) if not a.startswith("-")]
    names = [words[0]] if words and words[0] in COMMAND_MODULES else COMMAND_MODULES
    for name in names:
        try:
            module = importlib.import_module(f"analysis.cli.{name}")
        except ModuleNotFoundError as exc:
            if exc.name == f"analysis.cli.{name}":
                continue
            raise
        module.register(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run one command; user errors print a message and exit 2, never a traceback."""
    argv = sys.argv[1:] if argv is None else list(argv)
    parser = build_parser(argv)
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO if args.verbose else logging.WARNING,
                        format="%(levelname)s %(name)s: %(message)s")
    if not getattr(args, "handler", None):
        parser.print_help()
        return 2
    try:
        return int(args.handler(args) or 0)
    except UserError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0
