"""`python -m analysis report`: run the notebooks, write figures and HTML reports."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from analysis.errors import ParameterError
from analysis.paths import project_root


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "report", help="run the notebooks and write figures and HTML reports",
        description="Run the notebooks on a corpus (papermill), save their figures with provenance "
                    "and convert each executed notebook to a self-contained HTML report. "
                    "Parameters left at \"auto\" are chosen from the corpus; sections the corpus "
                    "cannot support are skipped with a note saying why.")
    p.add_argument("--corpus", default="corpus/demo",
                   help="corpus folder or table (default: the synthetic demo corpus)")
    p.add_argument("--notebooks", default=None, metavar="LIST",
                   help="comma-separated notebook names or numbers, e.g. 01,05 (default: all)")
    p.add_argument("--out", default=None,
                   help="folder for executed notebooks and HTML (default: reports/ for the demo "
                        "corpus, else <corpus name>-report/ beside the corpus, or in the current "
                        "folder when that is not writable)")
    p.add_argument("--figures", default=None,
                   help="folder for figures and their manifest (default: figures/ for the demo "
                        "corpus, else figures/ inside the --out folder)")
    p.add_argument("--seed", type=int, default=0, help="random seed passed to every notebook")
    p.add_argument("--param", "-p", action="append", default=[], metavar="NAME=VALUE",
                   help="override a notebook parameter; VALUE is read as JSON when it parses "
                        "(e.g. -p K=12 -p 'TERMS=[\"terrorism\"]'), else as a string")
    p.add_argument("--pdf", nargs="?", const="auto", default=None, choices=("auto", "latex", "chromium"),
                   help="also write PDF reports: through LaTeX where xelatex and pandoc are "
                        "installed, else by printing the HTML with headless Chromium (auto, the "
                        "default); or name the route")
    p.add_argument("--no-input", action="store_true",
                   help="hide the code cells in the HTML/PDF reports (for readers)")
    p.add_argument("--no-toc", action="store_true",
                   help="leave out the table of contents at the top of each report")
    p.set_defaults(handler=run)


def _user_path(value: str | None) -> str | None:
    """A relative path that exists from the working directory is taken from there; any other
    relative path from the project root (as the notebooks take it)."""
    if value is None:
        return None
    path = Path(value).expanduser()
    if not path.is_absolute() and (path.exists() or project_root() == Path.cwd().resolve()):
        return str(path.resolve())
    return value


def parse_params(items: list[str]) -> dict[str, Any]:
    params: dict[str, Any] = {}
    for item in items:
        name, sep, raw = item.partition("=")
        name = name.strip()
        if not sep or not name.isidentifier():
            raise ParameterError(f"`--param` takes NAME=VALUE with a Python name; got {item!r}.")
        try:
            params[name] = json.loads(raw)
        except json.JSONDecodeError:
            params[name] = raw
    return params


def run(args: argparse.Namespace) -> int:
    from analysis.reports import run_notebooks

    def line(text: str) -> None:
        print(text, file=sys.stderr, flush=True)

    runs = run_notebooks(
        args.notebooks, corpus=_user_path(args.corpus), out_dir=_user_path(args.out),
        figures_dir=_user_path(args.figures), parameters=parse_params(args.param), progress=line,
        seed=args.seed, pdf=args.pdf or False, no_input=args.no_input, toc=not args.no_toc)
    root = project_root()
    for r in runs:
        target = r.html or r.notebook
        try:
            shown = target.relative_to(root)
        except ValueError:
            shown = target
        print(f"{r.name}\t{r.seconds:.1f} s\t{shown}" + (f"\t{r.pdf.name}" if r.pdf else ""))
    chosen = [(r.name, c) for r in runs for c in r.choices if c["source"] == "corpus"]
    if chosen:
        line("chosen from the corpus (set with -p NAME=VALUE to override):")
        for name, c in chosen:
            value = c["value"] if c["value"] is not None else "(not used)"
            if isinstance(value, list):
                value = ", ".join(map(str, value))
            line(f"  {name.split('_', 1)[0]} {c['name']} = {value}: {c['reason']}")
    skipped = [(r.name, s) for r in runs for s in r.skipped]
    if skipped:
        line("skipped sections (the reports say why):")
        for name, s in skipped:
            line(f"  {name.split('_', 1)[0]} {s['section']}: {s['why']}")
    return 0
