"""Importing saved web pages: main text, title, date, language; junk and bad files."""

from __future__ import annotations

import re
import shutil
import tarfile
from pathlib import Path

import pytest

from analysis.cli import main
from analysis.corpus import load_corpus
from analysis.corpus.importers import import_html
from analysis.corpus.importers.html import extract_page, normalise_date
from analysis.corpus.skips import Skip, load_skip_list
from analysis.errors import ParameterError

FIXTURES = Path(__file__).parent / "fixtures" / "html"
KREMLIN = "corpora/kremlin-en-html/en.kremlin.ru_news_html_7235.tar.gz"
# Page chrome that must not reach a document's text.
JUNK = ["Share", "Direct link", "Publication status", "Text version", "Send by email", "Print",
        "Videos and Photos", "Search", "Last updated", "All content on this site", "Facebook",
        "Published in section"]


def page(name: str):
    return extract_page(name, (FIXTURES / name).read_bytes())


@pytest.fixture(scope="module")
def fixture_import():
    result = import_html(FIXTURES)
    docs = {d.id: d for d in result.documents}
    return result, docs


def test_news_item_has_title_date_url_and_body():
    doc = page("news_item.html")
    assert doc.id == "news_item"
    assert (doc.date, doc.language) == ("2021-03-12", "en")  # from article:published_time
    assert doc.meta["title"] == "Ministers agree on a joint border monitoring plan"
    assert doc.meta["url"] == "https://mfa.freedonia.example/news/2021/03/border-plan"
    assert doc.meta["source"] == "Ministry of Foreign Affairs of Freedonia"
    assert doc.text.startswith("The foreign ministers of Freedonia and Sylvania met")
    assert doc.text.endswith("thirty days after signature.")
    for junk in ("The Minister", "Contacts", "All rights reserved", "Privacy"):
        assert junk not in doc.text


def test_speech_body_has_no_navigation_share_or_status_junk():
    doc = page("speech_with_junk.html")
    assert doc.date == "2019-06-14"  # datePublished, not the 'Last updated' time
    assert doc.meta["title"] == "Address by the President at the Regional Security Forum"
    # the lead paragraph opens the text; the speech follows, whole
    assert doc.text.startswith("The President spoke at the opening of the Regional Security Forum")
    assert "Distinguished guests, friends," in doc.text
    assert doc.text.endswith("Thank you.")
    for junk in JUNK + ["Events", "Structure", "At the Regional Security Forum.", "June 14, 2019"]:
        assert junk not in doc.text, junk


def test_interview_keeps_questions_and_answers_and_dates_from_json_ld():
    doc = page("interview.html")
    assert doc.date == "2018-11-02"
    assert doc.meta["title"] == "Interview of the Secretary General to the Northern Herald"
    assert doc.text.count("Question:") == 3 and doc.text.count("Secretary General:") == 3
    assert "RSS" not in doc.text and "Home" not in doc.text


def test_page_without_a_date_is_skipped_not_guessed_from_its_text():
    skip = page("no_date.html")  # the text mentions 'the spring of 2019'
    assert isinstance(skip, Skip)
    assert (skip.source, skip.reason) == ("no_date.html", "missing date")


def test_binary_and_non_html_files_are_skipped_with_reasons():
    binary, text = page("scan.html"), page("notes.html")
    assert (binary.reason, text.reason) == ("binary file", "not HTML")
    assert "PNG image" in binary.detail


def test_russian_page_is_detected_as_russian():
    doc = page("russian_page.html")
    assert (doc.language, doc.date) == ("ru", "2020-02-03")
    assert doc.text.startswith("Министры иностранных дел")
    assert "Главная" not in doc.text and "Все права защищены" not in doc.text


def test_language_option_overrides_detection():
    doc = extract_page("r.html", (FIXTURES / "russian_page.html").read_bytes(), language="en")
    assert doc.language == "en"


def test_folder_import_lists_every_file(fixture_import):
    result, docs = fixture_import
    assert sorted(docs) == ["interview", "news_item", "russian_page", "speech_with_junk"]
    assert sorted((s.source, s.reason) for s in result.skipped) == [
        ("no_date.html", "missing date"), ("notes.html", "not HTML"), ("scan.html", "binary file")]
    assert [(s.source, s.reason) for s in result.ignored] == [("style.css", "ignored")]


def test_tar_gz_of_pages_gives_the_same_documents_as_the_folder(fixture_import, tmp_path):
    _, from_folder = fixture_import
    archive = tmp_path / "pages.tar.gz"
    with tarfile.open(archive, "w:gz") as tar:
        for path in sorted(FIXTURES.iterdir()):
            tar.add(path, arcname=path.name)
    result = import_html(archive)
    from_tar = {d.id: d for d in result.documents}
    assert from_tar == from_folder
    assert len(result.skipped) == 3


def test_ids_come_from_sanitised_file_names_with_optional_prefix(tmp_path):
    shutil.copy(FIXTURES / "news_item.html", tmp_path / "Заявление (final) №2.html")
    shutil.copy(FIXTURES / "interview.html", tmp_path / ".._interview.htm")
    docs = {d.id for d in import_html(tmp_path, id_prefix="mfa-").documents}
    assert docs == {"mfa-Заявление_final_2", "mfa-interview"}


def test_same_file_name_in_two_folders_is_a_duplicate_id(tmp_path):
    for sub in ("a", "b"):
        (tmp_path / sub).mkdir()
        shutil.copy(FIXTURES / "news_item.html", tmp_path / sub / "item.html")
    result = import_html(tmp_path)
    assert [d.id for d in result.documents] == ["item"]
    assert [(s.source, s.reason) for s in result.skipped] == [("b/item.html", "duplicate id")]


def test_limit_reads_only_the_first_files():
    result = import_html(FIXTURES, limit=2)  # interview.html, news_item.html (sorted)
    assert [d.id for d in result.documents] == ["interview", "news_item"]


def test_two_processes_give_the_same_documents_as_one(fixture_import):
    _, one = fixture_import
    result = import_html(FIXTURES, n_jobs=2)
    assert {d.id: d for d in result.documents} == one
    assert len(result.skipped) == 3 and len(result.ignored) == 1


def test_bad_parameters_are_parameter_errors():
    with pytest.raises(ParameterError, match="language"):
        import_html(FIXTURES, language="fr")
    with pytest.raises(ParameterError, match="limit"):
        import_html(FIXTURES, limit=0)


@pytest.mark.parametrize("value, expected", [
    ("2019-06-14", "2019-06-14"), ("2011-05-20T12:00:00+04:00", "2011-05-20"),
    ("2011-05-20 12:00", "2011-05-20"), ("2020-02", "2020-02"), ("2020", "2020"),
    ("May 20, 2011", None), ("2020-02-30", None), ("", None), (None, None),
])
def test_normalise_date(value, expected):
    assert normalise_date(value) == expected


def test_cli_imports_pages_and_lists_skips(tmp_path, capsys):
    out = tmp_path / "pages"
    assert main(["corpus", "import", "html", str(FIXTURES), "--out", str(out)]) == 0
    printed = capsys.readouterr().out
    assert "skipped no_date.html: missing date" in printed
    assert "imported 4, skipped 3 (" in printed and "ignored 1 files that are not documents (.css: 1)" in printed
    corpus = load_corpus(out)
    assert len(corpus) == 4 and corpus.metadata.loc["russian_page", "language"] == "ru"
    assert {s.source for s in load_skip_list(out / "skipped.csv")} == {
        "no_date.html", "notes.html", "scan.html", "style.css"}


# --- the real pages (../shared) --------------------------------------------------------------

def test_kremlin_sample_imports_with_title_date_and_clean_body(shared_dir):
    result = import_html(shared_dir / KREMLIN, limit=200)
    docs = list(result.documents)
    assert len(docs) + len(result.skipped) + len(result.ignored) == 200
    assert len(docs) >= 190
    for doc in docs:
        assert doc.meta.get("title"), doc.id
        assert doc.date and len(doc.date) == 10 and "1999-12-31" <= doc.date <= "2020-08-31", doc.id
        assert doc.language == "en"
        assert doc.meta["url"].startswith("http://en.kremlin.ru/events/president/news/")
        assert len(doc.text.split()) >= 5, doc.id
        for junk in JUNK + ["Official Internet Resources", "Version for People with Disabilities"]:
            assert not re.search(rf"\b{re.escape(junk)}\b", doc.text), (doc.id, junk)  # not 'Shared'
    # pages whose article holds no text (headline, photo captions, 'See also' links) are skipped
    assert {s.reason for s in result.skipped} <= {"no main text"}
