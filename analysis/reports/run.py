"""Running the notebooks: each on a fresh kernel through papermill with `CORPUS`, `FIGURES`
and `SEED` (and the caller's overrides) injected into its parameters cell, then converted to
HTML (and PDF); a failing notebook is kept for inspection and named in the error at the end."""

from __future__ import annotations

import contextlib
import logging
import os
import re
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from analysis import defaults
from analysis.errors import ParameterError, UserError
from analysis.figures import MANIFEST_NAME, write_readme
from analysis.paths import project_root, resolve
from analysis.reports.convert import html_pdf, notebook_html, notebook_pdf, pdf_engine
from analysis.reports.notebooks import (
    DEMO_CORPUS,
    available_notebooks,
    default_outputs,
    notebook_parameters,
    notebooks_dir,
    select_notebooks,
)

logger = logging.getLogger(__name__)

KERNEL_NAME = "python3"
# Every notebook's parameters cell defines at least these; run_notebooks always injects them.
REQUIRED_PARAMETERS = ("CORPUS", "FIGURES", "SEED")

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


def run_notebooks(names: Sequence[str] | str | None = None, corpus: str | Path = DEMO_CORPUS,
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
            say(f"[{i}/{total}] {name}: done in {run.seconds:.1f} s -> {_relative(target, root)}")
        else:
            say(f"[{i}/{total}] {name}: FAILED after {run.seconds:.1f} s: {run.error}")
    if (figs / MANIFEST_NAME).exists():
        write_readme(figs)
    failed = [r for r in runs if not r.ok]
    if failed:
        lines = [f"- {r.name}: {r.error} (executed notebook kept at {r.notebook})" for r in failed]
        raise UserError(f"{len(failed)} of {total} notebooks failed:\n" + "\n".join(lines))
    return runs


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


__all__ = ["KERNEL_NAME", "REQUIRED_PARAMETERS", "NotebookRun", "Progress", "run_notebook", "run_notebooks"]
