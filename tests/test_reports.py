"""The report runner: notebooks run twice give identical figures and manifest; failures name
the notebook and keep it; HTML is self-contained; the CLI prints a line per notebook."""

from __future__ import annotations

import contextlib
import hashlib
import io
import json
from pathlib import Path

import matplotlib.pyplot as plt
import nbformat
import pandas as pd
import pytest
from nbformat.v4 import new_code_cell, new_notebook

from analysis import figures, reports
from analysis.cli import main
from analysis.corpus import Document, write_corpus
from analysis.errors import ParameterError, UserError
from analysis.paths import package_root
from analysis.reports import convert, notebooks

NOTEBOOKS = ["01_corpus_overview", "05_summary"]
SUMMARY_PARAMS = {"NOTEBOOKS": ["09_method", "08_absent"], "CACHE_DIR": None}

DOCS = [
    Document("en1", "The threat of international terrorism persists. We held joint exercises with "
             "the CSTO.", "en", "2001-05-03", {"title": "One", "country": "RUS"}),
    Document("en2", "A multipolar world is emerging. Cooperation with the SCO grows.", "en", "2005",
             {"title": "Two", "country": "CHN"}),
    Document("en3", "Drug trafficking from Afghanistan remains a danger. Peace and stability are "
             "our goals.", "en", "2010-07", {"title": "Three", "country": "KAZ"}),
    Document("ru1", "Угроза международного терроризма сохраняется. Мы провели совместные учения с "
             "ОДКБ.", "ru", "2020-02-03", {"title": "Пять", "country": "RUS"}),
]


def _seed_method_figure(figures_dir: Path, corpus_dir: Path) -> None:
    """A figure as a method notebook (here "09_method") would have saved it."""
    from analysis.corpus import load_corpus

    corpus = load_corpus(corpus_dir)
    table = pd.DataFrame({"year": [2001, 2005, 2010], "rate": [1.0, 2.5, 0.5]})
    fig, ax = figures.figure()
    ax.plot(table["year"], table["rate"])
    figures.save(fig, "method-rate", caption="Rate per year.", data=table, source=corpus,
                 params={"seed": 0}, notebook="09_method", out_dir=figures_dir)
    plt.close(fig)


def _hashes(folder: Path) -> dict[str, str]:
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def two_runs(tmp_path_factory):
    """The same notebooks on the same corpus, once through the CLI and once through
    `run_notebooks`, into two figures folders."""
    base = tmp_path_factory.mktemp("runs")
    corpus_dir = write_corpus(DOCS, base / "corpus", info={"name": "tiny-test", "synthetic": True})
    out = {}
    for label in ("a", "b"):
        figs = base / f"figures-{label}"
        _seed_method_figure(figs, corpus_dir)
        out[label] = {"figures": figs, "reports": base / f"reports-{label}"}
    stderr, stdout = io.StringIO(), io.StringIO()
    with contextlib.redirect_stderr(stderr), contextlib.redirect_stdout(stdout):
        code = main(["report", "--corpus", str(corpus_dir), "--notebooks", "01,05",
                     "--out", str(out["a"]["reports"]), "--figures", str(out["a"]["figures"]),
                     "-p", "CACHE_DIR=null", "-p", 'NOTEBOOKS=["09_method", "08_absent"]'])
    out["a"].update(code=code, stderr=stderr.getvalue(), stdout=stdout.getvalue())
    out["b"]["runs"] = reports.run_notebooks(
        NOTEBOOKS, corpus=corpus_dir, out_dir=out["b"]["reports"], figures_dir=out["b"]["figures"],
        parameters=SUMMARY_PARAMS)
    return out


def test_running_twice_gives_identical_figures_data_and_manifest(two_runs):
    a, b = _hashes(two_runs["a"]["figures"]), _hashes(two_runs["b"]["figures"])
    assert a == b
    expected = {f"corpus-{k}.{ext}" for k in ("documents-per-year", "tokens-per-document")
                for ext in ("png", "svg", "pdf")}
    assert expected | {"manifest.json", "README.md", "data/corpus-documents-per-year.csv"} <= set(a)


def test_notebook_figures_are_in_the_manifest_with_the_synthetic_label(two_runs):
    manifest = figures.load_manifest(two_runs["b"]["figures"])
    by_id = {e["id"]: e for e in manifest["figures"]}
    entry = by_id["corpus-documents-per-year"]
    assert entry["notebook"] == "01_corpus_overview"
    assert entry["corpus"]["name"] == "tiny-test" and entry["corpus"]["synthetic"] is True
    assert entry["caption"].endswith("(synthetic demo corpus)")
    table = pd.read_csv(two_runs["b"]["figures"] / entry["files"]["data"])
    assert table.set_index("year").loc[2001, "en"] == 1 and table["ru"].sum() == 1
    assert list(table["year"]) == list(range(2001, 2021))
    lengths = pd.read_csv(two_runs["b"]["figures"] / "data" / "corpus-tokens-per-document.csv")
    assert sorted(lengths["id"]) == ["en1", "en2", "en3", "ru1"]


def test_reports_are_written_for_each_notebook(two_runs):
    runs = two_runs["b"]["runs"]
    assert [r.name for r in runs] == NOTEBOOKS and all(r.ok for r in runs)
    for r in runs:
        assert r.notebook.exists() and r.html.exists() and r.pdf is None
        executed = nbformat.read(r.notebook, as_version=4)
        assert any(c.get("outputs") for c in executed.cells if c.cell_type == "code")


def test_summary_shows_saved_figures_and_notes_missing_ones(two_runs):
    page = (two_runs["b"]["reports"] / "05_summary.html").read_text(encoding="utf-8")
    assert "Rate per year. (synthetic demo corpus)" in page
    assert "Cite as:" in page and 'figure "method-rate"' in page
    assert "Notebook 08_absent has saved no figures" in page
    assert page.count('src="data:image/png;base64,') >= 1


def test_html_reports_load_nothing_from_the_network(two_runs):
    for name in NOTEBOOKS:
        page = (two_runs["b"]["reports"] / f"{name}.html").read_text(encoding="utf-8")
        assert '<script src="http' not in page
        assert '<link rel="stylesheet" href="http' not in page
        assert "data:image/png;base64," in page


def test_cli_prints_a_progress_line_per_notebook(two_runs):
    a = two_runs["a"]
    assert a["code"] == 0
    for i, name in enumerate(NOTEBOOKS, 1):
        assert f"[{i}/2] {name}: running" in a["stderr"]
        assert f"[{i}/2] {name}: done in" in a["stderr"]
    assert "05_summary" in a["stdout"]


def test_readme_is_regenerated_from_the_manifest(two_runs):
    folder = two_runs["b"]["figures"]
    readme = (folder / "README.md").read_text(encoding="utf-8")
    assert readme == figures.readme_text(json.loads((folder / "manifest.json").read_text()))
    assert "## corpus-documents-per-year" in readme


def test_a_failing_notebook_raises_a_user_error_and_is_kept(tmp_path):
    folder = tmp_path / "nbs"
    folder.mkdir()
    book = new_notebook(cells=[
        new_code_cell('CORPUS = "x"\nFIGURES = "figures"\nSEED = 0',
                      metadata={"tags": ["parameters"]}),
        new_code_cell("raise ValueError('the planted failure')"),
    ], metadata={"kernelspec": {"name": "python3", "display_name": "Python 3",
                                "language": "python"}})
    nbformat.write(book, folder / "07_broken.ipynb")
    corpus_dir = write_corpus(DOCS[:1], tmp_path / "corpus")
    with pytest.raises(UserError, match=r"07_broken: .*ValueError: the planted failure"):
        reports.run_notebooks(corpus=corpus_dir, out_dir=tmp_path / "out",
                              figures_dir=tmp_path / "figs", notebook_dir=folder)
    kept = nbformat.read(tmp_path / "out" / "07_broken.ipynb", as_version=4)
    errors = [o for c in kept.cells if c.cell_type == "code" for o in c.get("outputs", [])
              if o.get("output_type") == "error"]
    assert errors and errors[0]["ename"] == "ValueError"
    assert (tmp_path / "out" / "07_broken.html").exists()


def test_gallery_notes_stale_foreign_missing_and_absent_figures(tmp_path):
    table = pd.DataFrame({"x": [1, 2], "y": [3.0, 4.0]})
    saved = [("current", {"name": "demo", "hash": "new"}), ("stale", {"name": "demo", "hash": "old"}),
             ("foreign", {"name": "ungdc", "hash": "un"}), ("gone", {"name": "demo", "hash": "new"})]
    for figure_id, source in saved:
        fig, _ = figures.figure()
        figures.save(fig, figure_id, caption="c", data=table, source=source,
                     notebook="03_trends", out_dir=tmp_path)
        plt.close(fig)
    (tmp_path / "gone.png").unlink()
    sections = figures.figure_gallery(tmp_path, notebooks=["02_topics", "03_trends"],
                                      corpus={"name": "demo", "hash": "new"})
    topics, trends = sections
    assert topics.entries == [] and "02_topics has saved no figures" in topics.note
    assert [e["id"] for e in trends.entries] == ["current", "foreign", "stale"]
    assert "earlier version of the corpus “demo”" in trends.note and "stale." in trends.note
    assert "on purpose by the notebook: foreign (ungdc)" in trends.note
    assert "missing on disk: gone" in trends.note
    assert "--notebooks 03" in trends.note


def test_notebooks_are_chosen_by_name_or_number():
    available = ["01_corpus_overview", "02_topics", "05_summary"]
    assert reports.select_notebooks("05,01", available) == ["01_corpus_overview", "05_summary"]
    assert reports.select_notebooks(["02_topics.ipynb"], available) == ["02_topics"]
    assert reports.select_notebooks(None, available) == available
    with pytest.raises(ParameterError, match="'09' matches no notebook; choose from 01_corpus"):
        reports.select_notebooks("09", available)


def test_unknown_parameter_is_refused_before_any_kernel_starts(tmp_path):
    corpus_dir = write_corpus(DOCS[:1], tmp_path / "corpus")
    with pytest.raises(ParameterError, match="no selected notebook takes TOPICS"):
        reports.run_notebooks(["05"], corpus=corpus_dir, out_dir=tmp_path / "out",
                              figures_dir=tmp_path / "figs", parameters={"TOPICS": 3})
    assert not (tmp_path / "out" / "05_summary.ipynb").exists()


def test_missing_corpus_is_a_user_error(tmp_path):
    with pytest.raises(UserError, match="no such corpus folder or table"):
        reports.run_notebooks(["01"], corpus=tmp_path / "nowhere", out_dir=tmp_path / "out")


def test_pdf_without_latex_says_how_to_get_it(tmp_path, monkeypatch):
    monkeypatch.setattr(convert, "latex_engine", lambda: None)
    corpus_dir = write_corpus(DOCS[:1], tmp_path / "corpus")
    with pytest.raises(UserError, match="xelatex.*apt-get install texlive-xetex"):
        reports.run_notebooks(["01"], corpus=corpus_dir, out_dir=tmp_path / "out", pdf="latex")
    monkeypatch.setattr(convert, "chromium_path", lambda: None)
    with pytest.raises(UserError, match="Chromium.*or.*xelatex"):
        reports.run_notebooks(["01"], corpus=corpus_dir, out_dir=tmp_path / "out", pdf=True)


def test_pdf_route_is_latex_where_installed_else_chromium(monkeypatch):
    monkeypatch.setattr(convert, "latex_engine", lambda: "/usr/bin/xelatex")
    assert reports.pdf_engine(True) == "latex"
    monkeypatch.setattr(convert, "chromium_path", lambda: "/usr/bin/chromium")
    assert reports.pdf_engine("chromium") == "chromium"
    monkeypatch.setattr(convert, "latex_engine", lambda: None)
    assert reports.pdf_engine("auto") == "chromium"
    assert reports.pdf_engine(False) is None
    with pytest.raises(ParameterError, match="`pdf` must be one of"):
        reports.pdf_engine("word")


def test_outputs_default_beside_a_users_corpus_and_to_the_project_for_the_demo(tmp_path, monkeypatch):
    root = package_root()
    assert reports.default_outputs(root / "corpus" / "demo") == (root / "reports", root / "figures")
    corpus_dir = write_corpus(DOCS[:1], tmp_path / "mine")
    assert reports.default_outputs(corpus_dir) == (tmp_path / "mine-report",
                                                   tmp_path / "mine-report" / "figures")
    table = tmp_path / "statements.csv"
    table.write_text("text,date\nA text.,2020\n", encoding="utf-8")
    assert reports.default_outputs(table)[0] == tmp_path / "statements-report"
    monkeypatch.setattr(notebooks.os, "access", lambda path, mode: False)
    monkeypatch.chdir(tmp_path / "mine")
    assert reports.default_outputs(corpus_dir)[0] == tmp_path / "mine" / "mine-report"


def test_notebooks_are_found_from_the_package_in_any_folder(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    folder = reports.notebooks_dir()
    assert folder == package_root() / "notebooks"
    assert "01_corpus_overview" in reports.available_notebooks()


def test_toc_lists_the_headings_under_the_title():
    page = ('<html><body><h1 id="t">Title</h1><p>x</p><h2 id="a-b">A &amp; B<a class="anchor-link" '
            'href="#a-b">¶</a></h2><h3>Sub part</h3><h2 id="c">C</h2></body></html>')
    out = reports.add_toc(page)
    nav = out[out.index("<nav"):out.index("</nav>")]
    assert out.index("<nav") > out.index("</h1>")
    assert '<a href="#a-b">A &amp; B</a>' in nav and '<li class="h3"><a href="#sub-part">Sub part' in nav
    assert '<h3 id="sub-part">' in out
    assert reports.add_toc("<body><p>no headings</p></body>") == "<body><p>no headings</p></body>"


def test_html_without_input_hides_the_code(tmp_path):
    nb = new_notebook(cells=[new_code_cell("secret_code_line = 1\nprint('shown output')")])
    nb.cells[0].outputs = [nbformat.v4.new_output("stream", name="stdout", text="shown output\n")]
    with_code = reports.notebook_html(nb, name="x", base=tmp_path)
    hidden = reports.notebook_html(nb, name="x", base=tmp_path, no_input=True)
    assert "secret_code_line" in with_code
    assert "secret_code_line" not in hidden and "shown output" in hidden
