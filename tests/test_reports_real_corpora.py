"""The whole report, defaults only, on small samples of real corpora from ../shared: the
kremlin.ru table (Russian), the two seed texts with a metadata CSV, a UN General Debate import
restricted to one decade, and a single document. Every notebook must complete, each section a
corpus cannot support must say why in the HTML, the reports must open in headless Chromium
without an error cell or a broken image, and one PDF is printed without LaTeX.

The report is run from a folder outside the project, without --out/--figures, so the notebooks
are found from the package and the output lands beside each corpus (never in figures/).
"""

from __future__ import annotations

import hashlib
import json
import tarfile
import time
from pathlib import Path

import pytest
from browser import browser_check

from analysis import reports
from analysis.cli import main

pytestmark = [pytest.mark.shared, pytest.mark.slow]

ROOT = Path(__file__).resolve().parents[1]
KREMLIN_DOCS = 24
UN_COUNTRIES = ("RUS", "CHN")  # one decade (2010-2019): 20 speeches
# Few topic fits keep the test short; every other parameter is the notebooks' default ("auto")
FAST = {"K_RANGE": "4,6", "N_SEEDS": 2}


def _tree_hash(folder: Path) -> str:
    digest = hashlib.sha256()
    for p in sorted(folder.rglob("*")):
        if p.is_file():
            digest.update(str(p.relative_to(folder)).encode() + p.read_bytes())
    return digest.hexdigest()


def _import(args: list[str]) -> None:
    assert main(["corpus", "import", *args]) == 0


def _corpora(shared: Path, base: Path) -> dict[str, Path]:
    out: dict[str, Path] = {}
    # kremlin.ru 2025, Russian: the first items of the table
    lines = (shared / "corpora/kremlin-ru-2025/kremlin_ru_2025.jsonl").read_text(encoding="utf-8")
    sample = base / "kremlin_sample.jsonl"
    sample.write_text("\n".join(lines.splitlines()[:KREMLIN_DOCS]) + "\n", encoding="utf-8")
    _import(["table", str(sample), "--out", str(base / "kremlin")])
    out["kremlin"] = base / "kremlin"
    # the two seed texts, dated and described by a metadata CSV
    seeds = sorted((shared / "seeds").glob("*.txt"))
    if len(seeds) != 2:
        pytest.skip(f"expected the two seed texts in {shared / 'seeds'}, found {len(seeds)}")
    src = base / "seeds-src"
    src.mkdir()
    rows = ["file,date,title,organization"]
    for seed, date in zip(seeds, ("2025-10-31", "2026-01-15"), strict=True):
        (src / seed.name).write_bytes(seed.read_bytes())
        rows.append(f"{seed.name},{date},CSTO text {seed.stem},CSTO")
    (src / "meta.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    _import(["folder", str(src), "--metadata", str(src / "meta.csv"), "--out", str(base / "seeds")])
    out["seeds"] = base / "seeds"
    # one document
    one = base / "one-src"
    one.mkdir()
    (one / seeds[0].name).write_bytes(seeds[0].read_bytes())
    (one / "meta.csv").write_text(f"file,date\n{seeds[0].name},2025-10-31\n", encoding="utf-8")
    _import(["folder", str(one), "--metadata", str(one / "meta.csv"), "--out", str(base / "one")])
    out["one"] = base / "one"
    # the UN General Debate, 2010-2019, three states: extracted from the archive, then imported
    wanted = {f"{c}_{s}_{y}.txt" for c in UN_COUNTRIES for s, y in zip(range(65, 75), range(2010, 2020),
                                                                      strict=True)}
    un_src = base / "ungdc-src"
    with tarfile.open(shared / "corpora/ungdc/UNGDC_1946-2024.tgz", "r|gz") as archive:
        for member in archive:
            if Path(member.name).name in wanted:
                archive.extract(member, un_src, filter="data")
    _import(["ungdc", str(un_src), "--speakers", str(shared / "corpora/ungdc/Speakers_by_session.csv"),
             "--out", str(base / "ungdc-2010s")])
    out["ungdc"] = base / "ungdc-2010s"
    return out


@pytest.fixture(scope="module")
def real_reports(shared_dir, tmp_path_factory):
    base = tmp_path_factory.mktemp("real")
    corpora = _corpora(shared_dir, base)
    elsewhere = base / "elsewhere"
    elsewhere.mkdir()
    figures_before = _tree_hash(ROOT / "figures")
    mp = pytest.MonkeyPatch()
    mp.chdir(elsewhere)
    mp.setenv("ANALYSIS_CACHE_DIR", str(base / "cache"))
    runs, seconds = {}, {}
    try:
        for name, corpus in corpora.items():
            start = time.perf_counter()
            pdf = "chromium" if name == "one" and reports.chromium_path() else False
            runs[name] = reports.run_notebooks(corpus=corpus, pdf=pdf, parameters=FAST)
            seconds[name] = time.perf_counter() - start
            seconds.update({f"{name}/{r.name[:2]}": r.seconds for r in runs[name]})
    finally:
        mp.undo()
    print("report seconds:", json.dumps({k: round(v, 1) for k, v in seconds.items()}))
    return {"runs": runs, "corpora": corpora, "figures_before": figures_before}


def _choice(runs, notebook: str, name: str):
    run = next(r for r in runs if r.name == notebook)
    return next(c for c in reversed(run.choices) if c["name"] == name)


def _skipped(runs, notebook: str) -> dict[str, str]:
    run = next(r for r in runs if r.name == notebook)
    return {s["section"]: s["why"] for s in run.skipped}


def test_every_notebook_completes_with_html_beside_the_corpus(real_reports):
    for name, runs in real_reports["runs"].items():
        corpus = real_reports["corpora"][name]
        assert [r.name for r in runs] == reports.available_notebooks(), name
        for r in runs:
            assert r.ok, (name, r.name, r.error)
            assert r.html.parent == corpus.parent / f"{corpus.name}-report", (name, r.html)
            assert r.html.exists()


def test_the_projects_committed_figures_are_untouched(real_reports):
    assert _tree_hash(ROOT / "figures") == real_reports["figures_before"]


def test_defaults_come_from_each_corpus(real_reports):
    runs = real_reports["runs"]
    assert _choice(runs["kremlin"], "02_topics", "LANGUAGE")["value"] == "ru"
    assert _choice(runs["kremlin"], "03_keyword_trends", "PERIOD")["value"] in ("month", "quarter")
    assert _choice(runs["kremlin"], "03_keyword_trends", "KEYNESS")["value"].startswith("after:2025-")
    assert _choice(runs["seeds"], "02_topics", "UNIT")["value"] in ("paragraph", "chunk")
    assert _choice(runs["ungdc"], "03_keyword_trends", "PERIOD")["value"] == "year"
    assert _choice(runs["ungdc"], "03_keyword_trends", "KEYNESS")["value"] == "after:2015"
    assert _choice(runs["ungdc"], "02_topics", "LANGUAGE")["value"] == "en"


def test_each_skipped_section_says_why_in_the_html(real_reports):
    runs = real_reports["runs"]
    one = _skipped(runs["one"], "02_topics")
    assert "Topics (sections 2-5)" in one and "a topic model needs at least 10" in one["Topics (sections 2-5)"]
    assert "Keyness" in _skipped(runs["one"], "03_keyword_trends")
    assert "Grouped rates" in _skipped(runs["kremlin"], "03_keyword_trends")
    for name, group in runs.items():
        for r in group:
            page = r.html.read_text(encoding="utf-8")
            assert "Corpus info: what was analysed" in page, (name, r.name)
            for s in r.skipped:
                assert f"Skipped: {s['section']}." in page, (name, r.name, s)


def test_reports_open_in_chromium_without_errors_or_broken_images(real_reports):
    if reports.chromium_path() is None:
        pytest.skip("headless Chromium is not installed (Debian: `apt-get install chromium`)")
    for name, group in real_reports["runs"].items():
        for r in group:
            seen = browser_check(r.html)
            assert seen["errors"] == [] and seen["broken"] == [], (name, r.name, seen)
            assert seen["cells"] > 3


def test_a_pdf_is_printed_without_latex(real_reports):
    if reports.chromium_path() is None:
        pytest.skip("headless Chromium is not installed (Debian: `apt-get install chromium`)")
    pdfs = [r.pdf for r in real_reports["runs"]["one"]]
    assert all(p is not None and p.read_bytes()[:5] == b"%PDF-" for p in pdfs)
    assert all(p.stat().st_size > 10_000 for p in pdfs)
