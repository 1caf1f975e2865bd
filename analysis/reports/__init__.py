"""Reports people read: run the notebooks with papermill, convert them to self-contained HTML
(with a table of contents, optionally without the code) and PDF (LaTeX where installed, else the
HTML printed by headless Chromium).

`run_notebooks()` executes the notebooks (the project's `notebooks/`, or the ones beside the
installed package when run from another folder) on a fresh kernel with the parameters `CORPUS`,
`FIGURES` and `SEED` injected into each notebook's `parameters` cell, and writes
`<out>/<name>.ipynb` (the executed notebook) and `<out>/<name>.html`; `<out>` defaults to the
project's `reports/` for the demo corpus and to `<corpus>-report/` beside any other corpus
(`default_outputs`). What each notebook chose from the corpus and skipped (`analysis.defaults`)
comes back in `NotebookRun.choices` / `.skipped`. A notebook that fails is kept (executed up to
the failing cell, with its HTML) for inspection, and the run ends with a `UserError` naming the
notebook and the error.

Modules: `notebooks` (which notebooks, their parameters, output folders), `run` (executing
them), `convert` (HTML, PDF, headless Chromium). The summary notebook's gallery of saved
figures is `analysis.figures.figure_gallery`.
"""

from __future__ import annotations

from analysis.reports.convert import (
    add_toc,
    chromium_path,
    html_pdf,
    latex_engine,
    notebook_html,
    notebook_pdf,
    pdf_engine,
)
from analysis.reports.notebooks import (
    available_notebooks,
    default_outputs,
    is_demo,
    notebook_parameters,
    notebooks_dir,
    select_notebooks,
)
from analysis.reports.run import NotebookRun, run_notebook, run_notebooks

__all__ = ["NotebookRun", "add_toc", "available_notebooks", "chromium_path", "default_outputs", "html_pdf",
           "is_demo", "latex_engine", "notebook_html", "notebook_parameters", "notebook_pdf", "notebooks_dir",
           "pdf_engine", "run_notebook", "run_notebooks", "select_notebooks"]
