"""The HTML reports as a reader's browser shows them (headless Chromium): every image loads,
no cell shows an error, and the summary page renders to a non-blank screenshot."""

from __future__ import annotations

import base64

import matplotlib.image
import matplotlib.pyplot as plt
import pandas as pd
import pytest
from browser import browser_check, screenshot

from analysis import figures, reports
from analysis.corpus import Document, load_corpus, write_corpus

pytestmark = pytest.mark.browser

if reports.chromium_path() is None:
    pytest.skip("headless Chromium is not installed (Debian: `apt-get install chromium`; "
                "`make test` installs it when run as root)", allow_module_level=True)

DOCS = [
    Document("en1", "The threat of international terrorism persists. We held joint exercises.",
             "en", "2003-05-03", {"title": "One"}),
    Document("en2", "A multipolar world is emerging. Cooperation with the SCO grows.", "en", "2008",
             {"title": "Two"}),
    Document("ru1", "Формируется многополярный мир. Сотрудничество с ШОС расширяется.", "ru",
             "2019-02-03", {"title": "Три"}),
]


@pytest.fixture(scope="module")
def html_reports(tmp_path_factory):
    base = tmp_path_factory.mktemp("browser")
    corpus_dir = write_corpus(DOCS, base / "corpus", info={"name": "browser-test", "synthetic": True})
    figs = base / "figures"
    table = pd.DataFrame({"year": [2003, 2008, 2019], "share": [0.2, 0.5, 0.4]})
    fig, ax = figures.figure()
    ax.plot(table["year"], table["share"])
    figures.save(fig, "method-share", caption="Share per year.", data=table,
                 source=load_corpus(corpus_dir), notebook="09_method", out_dir=figs)
    plt.close(fig)
    runs = reports.run_notebooks(["01", "05"], corpus=corpus_dir, out_dir=base / "reports",
                                 figures_dir=figs,
                                 parameters={"CACHE_DIR": None, "NOTEBOOKS": ["09_method"]})
    return {r.name: r.html for r in runs}


@pytest.mark.parametrize(("name", "min_images"), [("01_corpus_overview", 2), ("05_summary", 1)])
def test_report_images_load_and_no_cell_shows_an_error(html_reports, name, min_images):
    result = browser_check(html_reports[name])
    assert result["cells"] > 3
    assert result["images"] >= min_images
    assert result["broken"] == []
    assert result["errors"] == []


def test_the_check_sees_a_broken_image_and_a_traceback(tmp_path):
    pixel = base64.b64encode(bytes.fromhex(
        "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
        "1f15c4890000000d49444154789c6360000002000100ffff03000006000557bfabd40000000049454e44ae426082"
    )).decode()
    page = tmp_path / "bad.html"
    page.write_text(
        "<html><body><div class='jp-Cell'>"
        f"<img src='data:image/png;base64,{pixel}'><img src='missing.png'>"
        "<div class='jp-OutputArea-output' data-mime-type='application/vnd.jupyter.stderr'>"
        "Traceback (most recent call last): ValueError: boom</div></div></body></html>",
        encoding="utf-8")
    result = browser_check(page)
    assert result["images"] == 2
    assert result["broken"] == ["missing.png"]
    assert len(result["errors"]) == 1 and "ValueError: boom" in result["errors"][0]


def test_summary_report_renders_to_a_non_blank_screenshot(html_reports, tmp_path):
    png = screenshot(html_reports["05_summary"], tmp_path / "summary.png", height=1600)
    image = matplotlib.image.imread(png)
    assert image.shape[:2] == (1600, 1280)
    assert image[..., :3].std() > 0.05  # text and a figure, not an empty page
