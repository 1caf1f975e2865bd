"""Reports people read: run the notebooks with papermill, convert them to self-contained HTML
(with a table of contents, optionally without the code), PDF (LaTeX where installed, else the
HTML printed by headless Chromium), and show saved figures again in the summary.

`run_notebooks()` executes the notebooks (the project's `notebooks/`, or the ones beside the
installed package when run from another folder) on a fresh kernel with the parameters `CORPUS`,
`FIGURES` and `SEED` injected into each notebook's `parameters` cell, and writes
`<out>/<name>.ipynb` (the executed notebook) and `<out>/<name>.html`; `<out>` defaults to the
project's `reports/` for the demo corpus and to `<corpus>-report/` beside any other corpus
(`default_outputs`). What each notebook chose from the corpus and skipped (`analysis.defaults`)
comes back in `NotebookRun.choices` / `.skipped`. A notebook that fails is kept (executed up to
the failing cell, with its HTML) for inspection, and the run ends with a `UserError` naming the
notebook and the error.

The headless-Chromium helpers at the end (`browser_check`, `screenshot`) look at a report the
way a reader's browser does: they are used by the browser test and are handy by hand.
"""

from __future__ import annotations

import ast
import base64
import contextlib
import html as html_lib
import json
import logging
import os
import re
import shutil
import subprocess
import tempfile
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from analysis import defaults, figures
from analysis.errors import ParameterError, UserError
from analysis.paths import package_root, project_root, resolve

logger = logging.getLogger(__name__)

NOTEBOOK_DIR = "notebooks"
DEMO_CORPUS = "corpus/demo"
PDF_ENGINES = ("auto", "latex", "chromium")
KERNEL_NAME = "python3"
# Every notebook's parameters cell defines at least these; run_notebooks always injects them.
REQUIRED_PARAMETERS = ("CORPUS", "FIGURES", "SEED")
LATEX_HELP = (
    "PDF reports need a LaTeX engine (xelatex) and pandoc, which were not found. Install them "
    "(Debian/Ubuntu: `apt-get install texlive-xetex texlive-fonts-recommended "
    "texlive-plain-generic pandoc`; macOS: MacTeX and `brew install pandoc`; Windows: MiKTeX and "
    "pandoc), or open the HTML report in a browser and print it to PDF."
)
CHROMIUM_NAMES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")

Progress = Callable[[str], None]  # one line per notebook: started, done, failed


@dataclass(frozen=True)
class NotebookRun:
    """What one notebook run produced: the executed notebook, its HTML (and PDF), the time it
    took, and the error (None when it ran through)."""

    name: str
    notebook: Path
    html: Path | None
    pdf: Path | None
    seconds: float
    error: str | None = None
    ledgers: list[dict[str, Any]] = field(default_factory=list)  # what the notebook chose/skipped

    @property
    def skipped(self) -> list[dict[str, str]]:
        """The sections the notebook skipped, each with `section`, `why` and `remedy`."""
        return [s for ledger in self.ledgers for s in ledger.get("skipped", [])]

    @property
    def choices(self) -> list[dict[str, Any]]:
        """The parameters the notebook recorded: `name`, `value`, `source`, `reason`."""
        return [c for ledger in self.ledgers for c in ledger.get("choices", [])]

    @property
    def ok(self) -> bool:
        return self.error is None


# --- which notebooks ---------------------------------------------------------------------

def notebooks_dir(folder: str | Path | None = None) -> Path:
    """The notebooks folder: `folder`; else the project's `notebooks/` when the working
    directory is inside the project, else the one shipped beside the installed package (so the
    report runs from any folder)."""
    if folder is not None:
        path = resolve(folder)
        if not path.is_dir():
            raise UserError(f"{path}: no notebooks folder (`notebook_dir`).")
        return path
    for path in (resolve(NOTEBOOK_DIR), package_root() / NOTEBOOK_DIR):
        if path.is_dir() and any(path.glob("*.ipynb")):
            return path
    raise UserError(f"no notebooks folder: neither {resolve(NOTEBOOK_DIR)} nor "
                    f"{package_root() / NOTEBOOK_DIR} exists; reinstall the toolkit from its "
                    "checkout (`pip install -e .`).")


def is_demo(corpus: str | Path) -> bool:
    """Whether `corpus` is the project's embedded demo corpus."""
    try:
        return Path(corpus).resolve() == (package_root() / DEMO_CORPUS).resolve()
    except OSError:
        return False


def default_outputs(corpus: str | Path) -> tuple[Path, Path]:
    """Where a report goes when `--out`/`--figures` are not given: the project's `reports/`
    and `figures/` for the demo corpus; for any other corpus a folder `<name>-report/` (with
    `figures/` inside) beside the corpus when that folder is writable, else in the working
    directory. A user's corpus never writes into the project's committed `figures/`."""
    corpus = Path(corpus).resolve()
    if is_demo(corpus):
        root = package_root()
        return root / "reports", root / "figures"
    name = f"{corpus.stem if corpus.is_file() else corpus.name}-report"
    parent = corpus.parent
    base = parent if os.access(parent, os.W_OK) and not _inside(parent, package_root() / "figures") \
        else Path.cwd()
    out = base / name
    return out, out / "figures"


def _inside(path: Path, folder: Path) -> bool:
    try:
        path.resolve().relative_to(folder.resolve())
        return True
    except ValueError:
        return False


def available_notebooks(folder: Path | None = None) -> list[str]:
    """Names (file stems) of the notebooks, in file-name order."""
    folder = folder or notebooks_dir()
    return sorted(p.stem for p in folder.glob("*.ipynb") if not p.name.startswith("."))


def select_notebooks(names: Sequence[str] | str | None, available: Sequence[str]) -> list[str]:
    """Notebook names from a user's selection: full names, names with `.ipynb`, or number
    prefixes such as "01" (a comma-separated string works too); all of them for None."""
    if names is None:
        if not available:
            raise UserError("no notebooks found in notebooks/.")
        return list(available)
    if isinstance(names, str):
        names = [n for n in names.split(",")]
    chosen: list[str] = []
    for raw in names:
        name = str(raw).strip().removesuffix(".ipynb")
        name = Path(name).name
        if not name:
            continue
        matches = [a for a in available if a == name] or \
            [a for a in available if a.startswith(name + "_") or a.split("_", 1)[0] == name]
        if len(matches) != 1:
            what = "matches no notebook" if not matches else f"matches {', '.join(matches)}"
            raise ParameterError(f"`notebooks`: {raw!r} {what}; choose from "
                                 f"{', '.join(available) or '(none)'} (or their numbers, e.g. 01).")
        if matches[0] not in chosen:
            chosen.append(matches[0])
    if not chosen:
        raise ParameterError("`notebooks` selects no notebook.")
    return sorted(chosen, key=list(available).index)


# --- running -----------------------------------------------------------------------------

def notebook_parameters(path: Path) -> list[str]:
    """Names assigned in a notebook's `parameters`-tagged cell (what papermill can override)."""
    import nbformat

    try:
        nb = nbformat.read(path, as_version=4)
    except Exception as exc:  # an unreadable or invalid notebook file
        raise UserError(f"{path}: not a readable notebook ({exc}).") from None
    cells = [c for c in nb.cells
             if c.cell_type == "code" and "parameters" in c.get("metadata", {}).get("tags", [])]
    if not cells:
        raise UserError(f"{path}: no cell is tagged 'parameters'; tag the first code cell "
                        "(it defines CORPUS, FIGURES and SEED) so the report can set them.")
    try:
        tree = ast.parse(cells[0].source)
    except SyntaxError as exc:
        raise UserError(f"{path}: the parameters cell is not valid Python ({exc.msg}, line "
                        f"{exc.lineno}).") from None
    names: list[str] = []
    for node in tree.body:
        targets = node.targets if isinstance(node, ast.Assign) else \
            [node.target] if isinstance(node, ast.AnnAssign) else []
        names += [t.id for t in targets if isinstance(t, ast.Name) and t.id not in names]
    return names


@contextlib.contextmanager
def _kernel_environment(root: Path) -> Iterator[None]:
    """Environment the kernel inherits: no progress bars, a fixed hash seed (so set order, and
    with it any output, cannot vary between runs), and the project importable."""
    saved = {k: os.environ.get(k) for k in ("ANALYSIS_PROGRESS", "PYTHONHASHSEED", "PYTHONPATH")}
    os.environ["ANALYSIS_PROGRESS"] = "0"
    os.environ["PYTHONHASHSEED"] = "0"
    paths = [str(root)] + [p for p in (saved["PYTHONPATH"] or "").split(os.pathsep) if p]
    os.environ["PYTHONPATH"] = os.pathsep.join(dict.fromkeys(paths))
    try:
        yield
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


def _error_summary(exc: Exception) -> str:
    """One line: the failing cell and the error, without colour codes."""
    ename = getattr(exc, "ename", None)
    if ename is not None:
        count = getattr(exc, "exec_count", None)
        evalue = _strip_ansi(str(getattr(exc, "evalue", ""))).strip()
        where = f"cell In [{count}]" if count is not None else "a cell"
        return f"{where} raised {ename}: {evalue}" if evalue else f"{where} raised {ename}"
    return f"{type(exc).__name__}: {_strip_ansi(str(exc)).strip()}"


def _strip_ansi(text: str) -> str:
    return re.sub(r"\x1b\[[0-9;]*[A-Za-z]", "", text)


def _execute(source: Path, target: Path, parameters: dict[str, Any], root: Path,
             kernel_name: str) -> None:
    import papermill

    with _kernel_environment(root):
        papermill.execute_notebook(
            str(source), str(target), parameters=parameters, kernel_name=kernel_name,
            cwd=str(root), progress_bar=False, log_output=False, request_save_on_cell_execute=False,
            extra_arguments=["--IPKernelApp.log_level=ERROR"],
        )


def _relative(path: Path, root: Path) -> str:
    """`path` relative to the project root when it lies inside it (so executed reports do not
    carry one machine's folders), else absolute; notebooks resolve both the same way."""
    try:
        return str(path.relative_to(root))
    except ValueError:
        return str(path)


def run_notebooks(names: Sequence[str] | str | None = None, corpus: str | Path = "corpus/demo",
                  out_dir: str | Path | None = None, figures_dir: str | Path | None = None,
                  parameters: Mapping[str, Any] | None = None, progress: Progress | None = None,
                  *, seed: int = 0, pdf: bool | str = False, kernel_name: str = KERNEL_NAME,
                  notebook_dir: str | Path | None = None, no_input: bool = False,
                  toc: bool = True) -> list[NotebookRun]:
    """Execute notebooks and write `<out_dir>/<name>.ipynb` and `.html` (and `.pdf`).

    Parameters
    ----------
    names : notebook names or number prefixes ("01", "05_summary"); default: all, in order.
    corpus : the corpus folder or table every notebook analyses (injected as `CORPUS`).
    out_dir : where the executed notebooks and reports go (default: `default_outputs`).
    figures_dir : where the notebooks save figures (injected as `FIGURES`); its README.md is
        regenerated from the manifest at the end (default: `default_outputs`).
    parameters : further overrides for the notebooks' parameters cells (e.g. {"K": 12}).
    progress : called with one line of text as each notebook starts and ends.
    seed : injected as `SEED`.
    pdf : also write PDF: True or "auto" (LaTeX where xelatex and pandoc are installed, else
        the HTML printed by headless Chromium), "latex" or "chromium"; False: none.
    no_input : hide the code cells in the HTML (and PDF) for readers (nbconvert's no-input).
    toc : put a table of contents of the headings under each report's title.
    notebook_dir : where the notebooks are (default: the project's `notebooks/`).

    Returns
    -------
    One `NotebookRun` per notebook. When any failed, a `UserError` is raised after the others
    ran, naming each failed notebook and its error; the executed notebooks stay in `out_dir`.
    """
    root = project_root()
    folder = notebooks_dir(notebook_dir)
    chosen = select_notebooks(names, available_notebooks(folder))
    corpus_path = resolve(corpus)
    if not corpus_path.exists():
        raise UserError(f"{corpus_path}: no such corpus folder or table (`--corpus`).")
    engine = pdf_engine(pdf)
    default_out, default_figs = default_outputs(corpus_path)
    out = resolve(out_dir) if out_dir is not None else default_out
    figs = resolve(figures_dir) if figures_dir is not None else default_figs
    try:
        out.mkdir(parents=True, exist_ok=True)
        figs.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise UserError(f"cannot create the output folders ({exc}).") from None
    params = {"CORPUS": _relative(corpus_path, root), "FIGURES": _relative(figs, root), "SEED": int(seed)}
    for key, value in (parameters or {}).items():
        if key in params:
            raise ParameterError(f"`parameters`: set {key} through its own argument, not here.")
        params[key] = value
    declared = {name: notebook_parameters(folder / f"{name}.ipynb") for name in chosen}
    unused = sorted(set(parameters or {}) - set().union(*declared.values()))
    if unused:
        offered = sorted(set().union(*declared.values()) - set(params))
        raise ParameterError(f"`parameters`: no selected notebook takes {', '.join(unused)}; "
                             f"they take {', '.join(offered) or 'no further parameters'}.")
    say = progress or (lambda line: None)

    runs: list[NotebookRun] = []
    total = len(chosen)
    for i, name in enumerate(chosen, 1):
        say(f"[{i}/{total}] {name}: running")
        logger.info("running notebook %s with %s", name, params)
        mine = {k: v for k, v in params.items() if k in REQUIRED_PARAMETERS or k in declared[name]}
        run = run_notebook(name, folder=folder, out=out, parameters=mine, root=root,
                           kernel_name=kernel_name, pdf=engine, no_input=no_input, toc=toc)
        runs.append(run)
        if run.ok:
            target = run.html if run.html else run.notebook
            say(f"[{i}/{total}] {name}: done in {run.seconds:.1f} s -> {_show_path(target, root)}")
        else:
            say(f"[{i}/{total}] {name}: FAILED after {run.seconds:.1f} s: {run.error}")
    if (figs / figures.MANIFEST_NAME).exists():
        figures.write_readme(figs)
    failed = [r for r in runs if not r.ok]
    if failed:
        lines = [f"- {r.name}: {r.error} (executed notebook kept at {r.notebook})" for r in failed]
        raise UserError(f"{len(failed)} of {total} notebooks failed:\n" + "\n".join(lines))
    return runs


def _show_path(path: Path, root: Path) -> str:
    try:
        return str(path.relative_to(root))
    except ValueError:
        return str(path)


def run_notebook(name: str, *, folder: Path, out: Path, parameters: dict[str, Any], root: Path,
                 kernel_name: str = KERNEL_NAME, pdf: bool | str | None = None,
                 no_input: bool = False, toc: bool = True) -> NotebookRun:
    """Run one notebook and convert it; errors are returned in the `NotebookRun`, not raised.
    `pdf` is an engine ("latex", "chromium") or None/False for no PDF."""
    import nbformat

    engine = pdf_engine(pdf)
    source = folder / f"{name}.ipynb"
    target = out / f"{name}.ipynb"
    start = time.perf_counter()
    error = None
    try:
        _execute(source, target, parameters, root, kernel_name)
    except Exception as exc:  # a failing cell, a dead kernel, a missing kernel
        error = _error_summary(exc)
        logger.info("notebook %s failed: %s", name, error)
    seconds = time.perf_counter() - start
    html_path = pdf_path = None
    if target.exists():
        nb = nbformat.read(target, as_version=4)
        html_path = out / f"{name}.html"
        html_path.write_text(notebook_html(nb, name=name, base=folder, no_input=no_input, toc=toc),
                             encoding="utf-8")
        if engine and error is None:
            pdf_path = out / f"{name}.pdf"
            if engine == "chromium":
                html_pdf(html_path, pdf_path)
            else:
                pdf_path.write_bytes(notebook_pdf(nb, name=name, base=folder, no_input=no_input))
        ledgers = defaults.ledgers_of(nb)
    else:
        ledgers = []
    return NotebookRun(name, target, html_path, pdf_path, seconds, error, ledgers)


# --- converting --------------------------------------------------------------------------

# Scripts the HTML template loads from a CDN (require.js, MathJax): nothing in our reports uses
# them, and a report must open offline without waiting for the network.
_REMOTE_SCRIPT = re.compile(r'<script\s+src="https?://[^"]*"\s*>\s*</script>\s*', re.IGNORECASE)


def notebook_html(nb: Any, *, name: str, base: Path | None = None, no_input: bool = False,
                  toc: bool = True) -> str:
    """Self-contained HTML of an executed notebook: images embedded as data URIs, no scripts
    from the network; `no_input` hides the code cells (nbconvert's no-input), `toc` adds a
    table of contents of the headings under the title."""
    from nbconvert import HTMLExporter

    exporter = HTMLExporter(template_name="lab")
    exporter.embed_images = True
    if no_input:
        exporter.exclude_input = True
        exporter.exclude_input_prompt = True
        exporter.exclude_output_prompt = True
    resources = {"metadata": {"name": name, "path": str(base or notebooks_dir())}}
    quiet = _DropMessage("Alternative text is missing")  # plots get nbconvert's generic alt text
    exporter.log.addFilter(quiet)
    try:
        body, _ = exporter.from_notebook_node(nb, resources=resources)
    finally:
        exporter.log.removeFilter(quiet)
    body = _REMOTE_SCRIPT.sub("", body)
    return add_toc(body) if toc else body


_HEADING = re.compile(r"<h([1-3])(\s[^>]*)?>(.*?)</h\1>", re.DOTALL | re.IGNORECASE)
_TOC_CSS = ("<style>nav.sdt-toc{margin:0.5em 0 1.5em;padding:0.6em 1em;border-left:3px solid #ccc;"
            "font-size:0.95em}nav.sdt-toc ul{margin:0.2em 0;padding-left:1.2em}"
            "nav.sdt-toc li.h3{margin-left:1.2em}@media print{nav.sdt-toc{break-after:avoid}}</style>")


def add_toc(page: str) -> str:
    """Insert a table of contents of the h2/h3 headings after the page's first h1 (headings
    without an id get one)."""
    entries: list[tuple[int, str, str]] = []
    used: set[str] = set()

    def visit(m: re.Match) -> str:
        level, attrs, inner = int(m.group(1)), m.group(2) or "", m.group(3)
        text = html_lib.unescape(re.sub(r"<[^>]+>", "", inner)).replace("¶", "").strip()
        found = re.search(r'\sid="([^"]+)"', attrs)
        anchor = found.group(1) if found else None
        if anchor is None:
            anchor = re.sub(r"[^\w-]+", "-", text.lower()).strip("-") or f"section-{len(used)}"
            while anchor in used:
                anchor += "-x"
            attrs = f'{attrs} id="{anchor}"'
        used.add(anchor)
        if level > 1 and text:
            entries.append((level, anchor, text))
        return f"<h{level}{attrs}>{inner}</h{level}>"

    page = _HEADING.sub(visit, page)
    if not entries:
        return page
    items = "".join(f'<li class="h{lvl}"><a href="#{html_lib.escape(a, quote=True)}">'
                    f"{html_lib.escape(t)}</a></li>" for lvl, a, t in entries)
    nav = f'{_TOC_CSS}<nav class="sdt-toc" aria-label="Contents"><strong>Contents</strong><ul>{items}</ul></nav>'
    first = re.search(r"</h1>", page, re.IGNORECASE)
    if first is None:
        body = re.search(r"<body[^>]*>", page, re.IGNORECASE)
        at = body.end() if body else 0
    else:
        at = first.end()
    return page[:at] + nav + page[at:]


class _DropMessage(logging.Filter):
    def __init__(self, prefix: str) -> None:
        super().__init__()
        self.prefix = prefix

    def filter(self, record: logging.LogRecord) -> bool:
        return not str(record.msg).startswith(self.prefix)


def latex_engine() -> str | None:
    """The path of xelatex when it and pandoc (both needed by nbconvert's PDF export) exist."""
    xelatex = shutil.which("xelatex")
    return xelatex if xelatex and shutil.which("pandoc") else None


def pdf_engine(pdf: bool | str | None) -> str | None:
    """The PDF route for `pdf` (False/None: none; True/"auto": LaTeX where installed, else
    headless Chromium; "latex"; "chromium"), or a UserError saying what to install."""
    if pdf is None or pdf is False:
        return None
    choice = "auto" if pdf is True else str(pdf).lower()
    if choice not in PDF_ENGINES:
        raise ParameterError(f"`pdf` must be one of {', '.join(map(repr, PDF_ENGINES))} (or "
                             f"True/False); got {pdf!r}.")
    if choice in ("auto", "latex") and latex_engine() is not None:
        return "latex"
    if choice == "latex":
        raise UserError(LATEX_HELP)
    if chromium_path() is not None:
        return "chromium"
    if choice == "chromium":
        raise UserError("PDF through Chromium needs headless Chromium (Debian: `apt-get install "
                        "chromium`), which was not found.")
    raise UserError("PDF reports need either headless Chromium (Debian: `apt-get install "
                    "chromium`) or " + LATEX_HELP[len("PDF reports need "):])


def html_pdf(html_path: str | Path, pdf_path: str | Path, *, timeout: float = 180) -> Path:
    """Print an HTML report to PDF with headless Chromium (no LaTeX needed)."""
    pdf_path = Path(pdf_path).resolve()
    pdf_path.parent.mkdir(parents=True, exist_ok=True)
    pdf_path.unlink(missing_ok=True)
    done = _chromium(["--virtual-time-budget=10000", "--no-pdf-header-footer",
                      f"--print-to-pdf={pdf_path}", Path(html_path).resolve().as_uri()],
                     timeout=timeout)
    if not pdf_path.exists() or pdf_path.stat().st_size == 0:
        raise UserError(f"{html_path}: Chromium wrote no PDF (exit {done.returncode}; "
                        f"{done.stderr.strip()[-300:]}); the HTML report is complete.")
    return pdf_path


def notebook_pdf(nb: Any, *, name: str, base: Path | None = None, no_input: bool = False) -> bytes:
    """PDF of an executed notebook through nbconvert's LaTeX export (needs xelatex)."""
    if latex_engine() is None:
        raise UserError(LATEX_HELP)
    from nbconvert import PDFExporter

    exporter = PDFExporter()
    if no_input:
        exporter.exclude_input = True
        exporter.exclude_input_prompt = True
        exporter.exclude_output_prompt = True
    resources = {"metadata": {"name": name, "path": str(base or notebooks_dir())}}
    try:
        body, _ = exporter.from_notebook_node(nb, resources=resources)
    except Exception as exc:  # LaTeX errors come as several exception types
        raise UserError(f"PDF of {name} failed in LaTeX: {exc}; the HTML report is complete.") \
            from None
    return body


# --- the summary notebook: figures shown again from the manifest ---------------------------

@dataclass(frozen=True)
class GallerySection:
    """The saved figures of one notebook, and a note when there are none or some are stale."""

    notebook: str
    entries: list[dict[str, Any]]
    note: str | None


def figure_gallery(figures_dir: str | Path = "figures", *, notebooks: Sequence[str],
                   corpus: Any = None, ids: Sequence[str] | None = None,
                   ) -> list[GallerySection]:
    """Saved figures grouped by the notebook that made them, read from the manifest (nothing
    is recomputed). A notebook without figures, a missing PNG, or a figure drawn from an
    earlier version of `corpus` (same name, other content hash) gets a note saying what to
    run; figures a notebook drew from another corpus on purpose are named in a note."""
    described = figures.describe_source(corpus)
    corpus_name, corpus_hash = described["name"], described["hash"]
    entries = list(figures.figure_entries(figures_dir))
    if ids is not None:
        unknown = sorted(set(ids) - {e["id"] for e in entries})
        entries = [e for e in entries if e["id"] in set(ids)]
    else:
        unknown = []
    sections = []
    if not notebooks:
        sections.append(GallerySection("(method notebooks)", [], "There are no method notebooks "
                                       "(02 topics, 03 trends, 04 framing) in notebooks/ yet, so "
                                       "there are no headline figures to show."))
    for nb in notebooks:
        mine = [e for e in entries if e.get("notebook") == nb]
        number = nb.split("_", 1)[0]
        rerun = f"`python -m analysis report --notebooks {number}`"
        notes = []
        if not mine:
            notes.append(f"Notebook {nb} has saved no figures in this figures folder yet: it has "
                         f"not run, or its method is still being written. Run {rerun}.")
        missing = [e["id"] for e in mine if e["png_path"] is None]
        if missing:
            notes.append(f"Listed in the manifest but missing on disk: {', '.join(missing)}. "
                         f"Run {rerun}.")
        if corpus_hash:
            other = [e for e in mine if (e.get("corpus") or {}).get("hash") != corpus_hash]
            stale = [e["id"] for e in other if (e.get("corpus") or {}).get("name") == corpus_name]
            foreign = [f"{e['id']} ({(e.get('corpus') or {}).get('name') or 'unnamed corpus'})"
                       for e in other if e["id"] not in stale]
            if stale:
                notes.append(f"Made from an earlier version of the corpus “{corpus_name}” (its "
                             f"content hash differs): {', '.join(stale)}. Run {rerun} to redraw "
                             "them.")
            if foreign:
                notes.append(f"Made from another corpus on purpose by the notebook: "
                             f"{', '.join(foreign)}.")
        sections.append(GallerySection(nb, [e for e in mine if e["png_path"] is not None],
                                       " ".join(notes) or None))
    if unknown:
        sections.append(GallerySection("(requested)", [], "Not in the manifest: "
                                       + ", ".join(unknown) + "."))
    return sections


def figure_table(figures_dir: str | Path = "figures", *, corpus_hash: str | None = None):
    """One row per saved figure: id, notebook, corpus name and short hash, whether it was made
    from the corpus `corpus_hash`, the commit, and whether its PNG is on disk."""
    import pandas as pd

    rows = []
    for e in figures.figure_entries(figures_dir):
        corpus = e.get("corpus") or {}
        git = e.get("git") or {}
        rows.append({
            "figure": e["id"], "notebook": e.get("notebook"), "corpus": corpus.get("name"),
            "corpus hash": (corpus.get("hash") or "")[:12],
            "same corpus": None if corpus_hash is None else corpus.get("hash") == corpus_hash,
            "commit": (git.get("commit") or "")[:12] + ("+changes" if git.get("dirty") else ""),
            "file": "yes" if e["png_path"] else "missing"})
    columns = ["figure", "notebook", "corpus", "corpus hash", "same corpus", "commit", "file"]
    return pd.DataFrame(rows, columns=columns)


def show_gallery(sections: Sequence[GallerySection]) -> None:
    """Display gallery sections in a notebook: heading, note, then each PNG with its caption
    and citation line (the images are embedded in the executed notebook)."""
    from IPython.display import HTML, Markdown, display

    for section in sections:
        display(Markdown(f"### {section.notebook}"))
        if section.note:
            display(Markdown(f"> **Note.** {section.note}"))
        for e in section.entries:
            data = Path(e["png_path"]).read_bytes()
            png = base64.b64encode(data).decode("ascii")
            caption = e.get("caption", "")
            display(HTML(f"<p><strong>{html_lib.escape(e['id'])}</strong>: "
                         f"{html_lib.escape(e.get('title') or '')}</p>"
                         f'<img src="data:image/png;base64,{png}" width="{_display_width(data)}" '
                         f'style="max-width: 100%; height: auto;" '
                         f'alt="{html_lib.escape(caption, quote=True)}">'))
            display(Markdown(f"{caption}\n\n*Cite as:* {figures.citation(e)}"))


def _display_width(png: bytes, pixels_per_inch: int = 140) -> int:
    """On-screen width of a saved figure that keeps its printed size (so a single-column figure
    is not blown up to the width of a double-column one): width from the PNG header."""
    width = int.from_bytes(png[16:20], "big") if png[:8] == b"\x89PNG\r\n\x1a\n" else 0
    return round(width / figures.PNG_DPI * pixels_per_inch) if width else 720


# --- looking at a report in a real browser (headless Chromium) ------------------------------

_CHECK_ID = "sdt-browser-check"
_CHECK_SCRIPT = """
<script>
window.addEventListener("load", function () {
  var imgs = Array.prototype.slice.call(document.images);
  var broken = imgs.filter(function (i) { return !(i.complete && i.naturalWidth > 0); })
                   .map(function (i) { return (i.getAttribute("src") || "").slice(0, 80); });
  var errs = [];
  document.querySelectorAll(
      '.output_error, .jp-OutputArea-output[data-mime-type="application/vnd.jupyter.stderr"]'
  ).forEach(function (el) {
    var text = el.textContent || "";
    if (el.classList.contains("output_error") || /Traceback|Error:|Exception/.test(text)) {
      errs.push(text.trim().slice(0, 300));
    }
  });
  var out = document.createElement("pre");
  out.id = "__CHECK_ID__";
  out.textContent = JSON.stringify({images: imgs.length, broken: broken, errors: errs,
      cells: document.querySelectorAll(".jp-Cell").length});
  document.body.appendChild(out);
});
</script>
""".replace("__CHECK_ID__", _CHECK_ID)


def chromium_path() -> str | None:
    """Path of a Chromium/Chrome executable, or None."""
    for name in CHROMIUM_NAMES:
        found = shutil.which(name)
        if found:
            return found
    return None


def _chromium(args: list[str], *, timeout: float) -> subprocess.CompletedProcess:
    browser = chromium_path()
    if browser is None:
        raise UserError("headless Chromium was not found (Debian: `apt-get install chromium`).")
    with tempfile.TemporaryDirectory(prefix="sdt-chromium-") as profile:
        cmd = [browser, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
               "--no-first-run", "--disable-background-networking", "--disable-component-update",
               "--disable-sync", "--disable-extensions", "--hide-scrollbars", "--mute-audio",
               f"--user-data-dir={profile}", *args]
        try:
            return subprocess.run(cmd, capture_output=True, text=True, timeout=timeout,
                                  stdin=subprocess.DEVNULL)
        except subprocess.TimeoutExpired:
            raise UserError(f"headless Chromium did not finish within {timeout:.0f} s.") from None


def browser_check(html_path: str | Path, *, timeout: float = 120) -> dict[str, Any]:
    """Open an HTML report in headless Chromium and report what a reader would see:
    `{"images": n, "broken": [src...], "errors": [text...], "cells": n}`."""
    html_path = Path(html_path)
    page = html_path.read_text(encoding="utf-8")
    marker = "</body>"
    checked = page.replace(marker, _CHECK_SCRIPT + marker, 1) if marker in page \
        else page + _CHECK_SCRIPT
    with tempfile.TemporaryDirectory(prefix="sdt-check-") as tmp:
        # A copy beside the original would see the same relative files; a report must not need
        # any, so the copy goes to an empty folder.
        copy = Path(tmp) / html_path.name
        copy.write_text(checked, encoding="utf-8")
        done = _chromium(["--virtual-time-budget=10000", "--dump-dom", copy.as_uri()],
                         timeout=timeout)
    found = re.search(rf'<pre id="{_CHECK_ID}">(.*?)</pre>', done.stdout, re.DOTALL)
    if not found:
        raise UserError(f"{html_path}: Chromium returned no check result (exit {done.returncode}; "
                        f"{done.stderr.strip()[-300:]})")
    return json.loads(html_lib.unescape(found.group(1)))


def screenshot(html_path: str | Path, png_path: str | Path, *, width: int = 1280,
               height: int = 2400, timeout: float = 120) -> Path:
    """A PNG of the top `height` pixels of an HTML report as Chromium renders it."""
    png_path = Path(png_path).resolve()
    png_path.parent.mkdir(parents=True, exist_ok=True)
    done = _chromium([f"--window-size={width},{height}", "--virtual-time-budget=10000",
                      f"--screenshot={png_path}", Path(html_path).resolve().as_uri()],
                     timeout=timeout)
    if not png_path.exists():
        raise UserError(f"{html_path}: Chromium made no screenshot (exit {done.returncode}; "
                        f"{done.stderr.strip()[-300:]})")
    return png_path


__all__ = ["GallerySection", "NotebookRun", "add_toc", "available_notebooks", "browser_check",
           "chromium_path", "default_outputs", "figure_gallery", "figure_table", "html_pdf",
           "is_demo", "latex_engine", "notebook_html", "notebook_parameters", "notebook_pdf",
           "notebooks_dir", "pdf_engine", "run_notebook", "run_notebooks", "screenshot",
           "select_notebooks", "show_gallery"]
