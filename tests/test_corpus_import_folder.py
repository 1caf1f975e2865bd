"""Importing a folder of plain texts with front matter and a sidecar metadata table."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from analysis.cli import main
from analysis.corpus import load_corpus
from analysis.corpus.importers import import_folder, import_table
from analysis.errors import CorpusError

EN = ("The security of one state cannot be built at the expense of the security of others, "
      "and we call on all partners to work together in the framework of the United Nations.")
RU = ("Безопасность одного государства не может обеспечиваться за счёт безопасности других, "
      "и мы призываем всех партнёров работать вместе в рамках Организации Объединённых Наций.")
FR = ("La sécurité d'un État ne peut pas être assurée aux dépens de la sécurité des autres, "
      "et nous appelons tous nos partenaires à travailler ensemble dans le cadre des Nations unies.")


def write(folder: Path, name: str, content: str | bytes) -> Path:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    return path


def run(folder: Path, **options):
    result = import_folder(folder, **options)
    docs = {d.id: d for d in result.documents}
    return result, docs


@pytest.fixture()
def texts(tmp_path: Path) -> Path:
    folder = tmp_path / "texts"
    write(folder, "a.txt", f"---\ndate: 2020-05-01\ntitle: From front matter\n---\n{EN}")
    write(folder, "b.txt", EN)
    write(folder, "sub/c.txt", RU)
    write(folder, "d.txt", f"---\ncountry: KAZ\n---\n{EN}")
    return folder


@pytest.fixture()
def sidecar(tmp_path: Path) -> Path:
    path = tmp_path / "meta.csv"
    pd.DataFrame([
        {"file": "a.txt", "date": "1999", "title": "From sidecar", "country": "RUS"},
        {"file": "b.txt", "date": "2021-03", "title": "B", "country": "CHN "},
        {"file": "sub/c.txt", "date": "2022-01-02", "title": "", "country": "BLR"},
        {"file": "d.txt", "date": "2023", "title": "D", "country": "UZB"},
        {"file": "gone.txt", "date": "2024", "title": "Gone", "country": "TJK"},
    ]).to_csv(path, index=False)
    return path


def test_sidecar_fills_keys_the_front_matter_lacks(texts, sidecar):
    result, docs = run(texts, metadata=sidecar)
    assert sorted(docs) == ["a", "b", "c", "d"]
    a = docs["a"]
    assert (a.date, a.meta["title"], a.meta["country"]) == ("2020-05-01", "From front matter", "RUS")
    assert (docs["b"].date, docs["b"].meta["country"]) == ("2021-03", "CHN")  # cells trimmed
    assert docs["c"].date == "2022-01-02" and "title" not in docs["c"].meta  # empty cell: no value
    assert docs["c"].language == "ru" and docs["b"].language == "en"
    assert docs["d"].meta["country"] == "KAZ"  # front matter wins
    assert [(s.source, s.reason) for s in result.skipped] == [("meta.csv row 6", "unmatched metadata row")]
    assert "gone.txt" in result.skipped[0].detail


def test_sidecar_keyed_by_filename_column_and_bare_names(texts, tmp_path):
    path = tmp_path / "meta.csv"
    path.write_text("Filename,date\nc.txt,2001\nb.txt,2002\na.txt,2003\nd.txt,2004\n", encoding="utf-8")
    _, docs = run(texts, metadata=path)
    assert {k: d.date for k, d in docs.items()} == {"a": "2020-05-01", "b": "2002", "c": "2001",
                                                    "d": "2004"}


def test_sidecar_as_excel(texts, sidecar, tmp_path):
    xlsx = tmp_path / "meta.xlsx"
    pd.read_csv(sidecar, dtype=str, keep_default_na=False).to_excel(xlsx, index=False)
    assert run(texts, metadata=xlsx)[1] == run(texts, metadata=sidecar)[1]


def test_dates_are_required_unless_allowed(texts):
    result, docs = run(texts)
    assert sorted(docs) == ["a"]
    assert sorted((s.source, s.reason) for s in result.skipped) == [
        ("b.txt", "missing date"), ("d.txt", "missing date"), ("sub/c.txt", "missing date")]
    _, docs = run(texts, allow_undated=True)
    assert sorted(docs) == ["a", "b", "c", "d"] and docs["b"].date is None


def test_bad_files_are_skipped_each_with_a_reason(tmp_path):
    folder = tmp_path / "bad"
    write(folder, "good.txt", f"---\ndate: 2020\n---\n{EN}")
    write(folder, "binary.txt", b"%PDF-1.4\x00\x00\x01")
    write(folder, "cp1251.txt", RU.encode("cp1251"))
    write(folder, "empty.txt", "---\ndate: 2020\n---\n\n")
    write(folder, "sub/good.txt", f"---\ndate: 2021\n---\n{EN}")
    write(folder, "baddate.txt", f"---\ndate: 12/05/2020\n---\n{EN}")
    write(folder, "nodate.txt", EN)
    write(folder, "french.txt", f"---\ndate: 2020\n---\n{FR}")
    write(folder, "front.txt", f"---\ndate: [2020\n---\n{EN}")
    write(folder, "photo.jpg", b"\xff\xd8\xff\xe0")
    write(folder, "README.md", "About the corpus.")
    write(folder, ".git/config", "[core]")
    result, docs = run(folder)
    assert sorted(docs) == ["good"]
    assert sorted((s.source, s.reason) for s in result.skipped) == [
        ("baddate.txt", "malformed date"), ("binary.txt", "binary file"),
        ("cp1251.txt", "undecodable bytes"), ("empty.txt", "empty document"),
        ("french.txt", "unknown language"), ("front.txt", "malformed front matter"),
        ("nodate.txt", "missing date"), ("sub/good.txt", "duplicate id")]
    assert sorted((s.source, s.reason) for s in result.ignored) == [
        ("README.md", "ignored"), ("photo.jpg", "ignored")]
    assert "PDF" in next(s.detail for s in result.skipped if s.reason == "binary file")


def test_language_option_is_a_default_not_an_override(tmp_path):
    write(tmp_path / "f", "x.txt", f"---\ndate: 2020\n---\n{FR}")
    write(tmp_path / "f", "y.txt", f"---\ndate: 2020\nlanguage: ru\n---\n{RU}")
    _, docs = run(tmp_path / "f", language="en")
    assert (docs["x"].language, docs["y"].language) == ("en", "ru")


def test_sidecar_without_file_column_is_a_corpus_error(texts, tmp_path):
    path = write(tmp_path, "meta.csv", "name,date\na.txt,2020\n")
    with pytest.raises(CorpusError, match="needs a column 'file' or 'filename'"):
        import_folder(texts, metadata=path)


def test_sidecar_naming_a_file_twice_is_a_corpus_error(texts, tmp_path):
    path = write(tmp_path, "meta.csv", "file,date\na.txt,2020\na.txt,2021\n")
    with pytest.raises(CorpusError, match=r"described twice: 'a.txt' \(rows 2 and 3\)"):
        import_folder(texts, metadata=path)


def test_missing_folder_is_a_corpus_error(tmp_path):
    with pytest.raises(CorpusError, match="not a folder"):
        import_folder(tmp_path / "nope")


def test_imported_folder_loads_back_unchanged(texts, sidecar, tmp_path):
    result, docs = run(texts, metadata=sidecar)
    result = import_folder(texts, metadata=sidecar)
    result.write(tmp_path / "out")
    corpus = load_corpus(tmp_path / "out")
    assert sorted(corpus.ids) == sorted(docs)
    for doc_id, doc in docs.items():
        again = corpus.document(doc_id)
        assert (again.text, again.date, again.language) == (doc.text, doc.date, doc.language)
        assert again.meta["country"] == doc.meta["country"]
    assert result.n_imported == 4


# --- the command line ---------------------------------------------------------------------

def test_cli_folder_import_prints_skips_and_summary(texts, sidecar, tmp_path, capsys):
    out = tmp_path / "out"
    assert main(["corpus", "import", "folder", str(texts), "--metadata", str(sidecar),
                 "--out", str(out)]) == 0
    printed = capsys.readouterr().out
    assert "skipped meta.csv row 6: unmatched metadata row" in printed
    assert "imported 4, skipped 1 (unmatched metadata row: 1)" in printed
    assert len(load_corpus(out)) == 4


def test_cli_strict_turns_a_skip_into_exit_status_1(texts, tmp_path, capsys):
    code = main(["corpus", "import", "folder", str(texts), "--out", str(tmp_path / "o"), "--strict"])
    assert code == 1
    assert "--strict: 3 files were skipped" in capsys.readouterr().err
    assert main(["corpus", "import", "folder", str(texts), "--out", str(tmp_path / "o2"),
                 "--strict", "--allow-undated"]) == 0


def test_cli_refuses_to_write_into_the_source(texts, capsys):
    assert main(["corpus", "import", "folder", str(texts), "--out", str(texts / "out"),
                 "--allow-undated"]) == 2
    assert "must not be the source" in capsys.readouterr().err


def test_cli_overwrite_never_deletes_a_folder_that_is_not_an_imported_corpus(texts, tmp_path, capsys):
    notes = tmp_path / "notes"
    write(notes, "mine.txt", "My own notes.")
    code = main(["corpus", "import", "folder", str(texts), "--out", str(notes), "--allow-undated",
                 "--overwrite"])
    assert code == 2
    assert "not a corpus written by an import" in capsys.readouterr().err
    assert (notes / "mine.txt").exists()


def test_cli_without_kind_prints_help(capsys):
    assert main(["corpus", "import"]) == 2
    assert "SOURCE_KIND" in capsys.readouterr().err


# --- tables -------------------------------------------------------------------------------

def test_table_import_skips_undated_rows_unless_allowed(tmp_path):
    path = tmp_path / "t.jsonl"
    pd.DataFrame([{"id": "x", "date": "2025-02-01", "text": RU}, {"id": "y", "date": "", "text": RU},
                  {"id": "z", "date": "2025-13-01", "text": RU}]).to_json(path, orient="records",
                                                                        lines=True, force_ascii=False)
    result = import_table(path)
    assert [d.id for d in result.documents] == ["x"]
    assert sorted((s.source, s.reason) for s in result.skipped) == [
        ("t.jsonl id y", "missing date"), ("t.jsonl row 3", "malformed date")]
    assert [d.id for d in import_table(path, allow_undated=True).documents] == ["x", "y"]


def test_cli_table_import(tmp_path, capsys):
    path = tmp_path / "t.csv"
    pd.DataFrame([{"id": "x", "date": "2025", "body": EN}, {"id": "y", "date": "", "body": EN}]).to_csv(
        path, index=False)
    assert main(["corpus", "import", "table", str(path), "--out", str(tmp_path / "o")]) == 0
    assert "imported 1, skipped 1 (missing date: 1)" in capsys.readouterr().out


def test_kremlin_ru_jsonl_imports_and_skips_the_undated_announcements(shared_dir):
    result = import_table(shared_dir / "corpora" / "kremlin-ru-2025" / "kremlin_ru_2025.jsonl")
    docs = list(result.documents)
    assert len(docs) == 191
    assert [s.reason for s in result.skipped] == ["missing date"] * 9
    assert {d.language for d in docs} == {"ru"}
