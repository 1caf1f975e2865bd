"""The committed figures/ folder: every figure names what made it, the files are the bytes the
manifest records, and the demo report run afresh reproduces them byte for byte (a refactor that
changes a figure, its data or its layout fails here)."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from analysis import figures, reports
from analysis.paths import package_root

ROOT = package_root()
FIGURES = ROOT / "figures"
DEMO = ROOT / "corpus" / "demo"
METHOD_NOTEBOOKS = ["01_corpus_overview", "02_topics", "03_keyword_trends", "04_framing"]
UN_CORPUS = "ungdc"  # its figures need the UN General Debate corpus, off in the demo report

COMMITTED = figures.load_manifest(FIGURES)


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_every_committed_figure_names_the_notebook_or_script_that_made_it():
    makers = {p.stem for p in (ROOT / "notebooks").glob("*.ipynb")}
    for entry in COMMITTED["figures"]:
        maker = entry.get("notebook")
        assert maker, f"{entry['id']}: the manifest names no notebook or script"
        assert maker in makers or (ROOT / maker).is_file(), f"{entry['id']}: {maker!r} does not exist"


def test_committed_files_are_the_bytes_the_manifest_records():
    for entry in COMMITTED["figures"]:
        for kind, name in entry["files"].items():
            assert _sha256(FIGURES / name) == entry["sha256"][kind], f"{entry['id']}: {name}"


@pytest.fixture(scope="module")
def fresh_figures(tmp_path_factory):
    """The demo report's method notebooks run afresh into an empty figures folder."""
    libraries = ("matplotlib", "numpy", "pandas")
    made, here = COMMITTED["generated_with"], figures.generated_with()
    if any(made.get(k) != here.get(k) for k in libraries):
        pytest.skip("the committed figures were made with " + ", ".join(f"{k} {made.get(k)}" for k in libraries)
                    + "; this environment has " + ", ".join(f"{k} {here.get(k)}" for k in libraries))
    base = tmp_path_factory.mktemp("demo-report")
    reports.run_notebooks(METHOD_NOTEBOOKS, corpus=DEMO, out_dir=base / "reports",
                          figures_dir=base / "figures", parameters={"CACHE_DIR": None})
    return base / "figures"


def test_the_demo_report_reproduces_the_committed_figures_byte_for_byte(fresh_figures):
    fresh = {e["id"]: e for e in figures.load_manifest(fresh_figures)["figures"]}
    committed = {e["id"]: e for e in COMMITTED["figures"] if e.get("notebook") in METHOD_NOTEBOOKS}
    assert set(fresh) <= set(committed), f"new figures not committed: {sorted(set(fresh) - set(committed))}"
    not_made = [i for i in set(committed) - set(fresh) if committed[i]["corpus"]["name"] != UN_CORPUS]
    assert not not_made, f"committed demo figures the report no longer makes: {sorted(not_made)}"
    changed = [f"{figure_id}: {name}" for figure_id, entry in sorted(fresh.items())
               for name in entry["files"].values()
               if _sha256(fresh_figures / name) != _sha256(FIGURES / name)]
    assert not changed, "figures whose bytes changed (rerun `make report` only for an intended change): " \
        + ", ".join(changed)
    for figure_id, entry in fresh.items():  # params and git are provenance that may grow or move
        for key in ("caption", "corpus", "notebook", "title"):
            assert entry[key] == committed[figure_id][key], f"{figure_id}: manifest {key} changed"
