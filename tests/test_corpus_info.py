"""`corpus_info` and `python -m analysis corpus info`."""

from __future__ import annotations

import json

from analysis.cli import main
from analysis.corpus import Corpus, Document, write_corpus
from analysis.corpus.info import corpus_info, format_info
from analysis.corpus.skips import Skip


def test_info_counts_documents_tokens_languages_and_dates(tiny_corpus):
    info = corpus_info(tiny_corpus)
    assert info["documents"] == 6
    assert info["tokens"] == sum(len(d.text.split()) for d in tiny_corpus)
    assert info["tokens_note"] == "whitespace-separated words"
    assert info["characters"] == sum(len(d.text) for d in tiny_corpus)
    assert info["languages"] == {"en": 4, "ru": 2}
    assert info["date_range"] == ["2001-05-03", "2024"]
    assert info["date_precision"] == {"day": 3, "year": 2, "month": 1}
    assert info["documents_per_year"] == {"2001": 1, "2005": 1, "2010": 1, "2015": 1, "2020": 1, "2024": 1}
    assert info["metadata_keys"] == ["title", "country"]
    assert info["undated"] == 0 and info["skipped"] == 0
    assert info["hash"] == tiny_corpus.hash
    json.dumps(info)  # plain JSON values only


def test_info_counts_undated_documents_and_skips():
    docs = [Document("a", "one two three", "en", None, {}), Document("b", "four five", "en", "2020", {})]
    corpus = Corpus.from_documents(docs, skipped=[Skip("x.txt", "binary file")])
    imports = [Skip("y.txt", "missing date"), Skip("z.txt", "missing date"), Skip(".Rhistory", "ignored")]
    info = corpus_info(corpus, imports)
    assert (info["undated"], info["date_range"], info["documents_per_year"]) == (1, ["2020", "2020"], {"2020": 1})
    assert info["tokens"] == 5
    assert info["skipped"] == 3
    assert info["skipped_at_import_by_reason"] == {"missing date": 2}
    assert info["skipped_on_load_by_reason"] == {"binary file": 1}
    assert info["ignored_at_import"] == 1


def test_info_of_a_corpus_without_dates():
    info = corpus_info(Corpus.from_documents([Document("a", "text", "en")]))
    assert info["date_range"] is None and info["documents_per_year"] == {}
    assert "dates       none" in format_info(info)


def test_readable_table_names_every_figure(tiny_corpus):
    text = format_info(corpus_info(tiny_corpus))
    assert "documents   6" in text
    assert "languages   en 4, ru 2" in text
    assert "dates       2001-05-03 to 2024 (day: 3, year: 2, month: 1)" in text
    assert "metadata    title, country" in text
    assert "2001     1" in text


def test_cli_info_reads_the_import_skip_list(tiny_corpus, tmp_path, capsys):
    write_corpus(tiny_corpus, tmp_path / "c", skipped=[Skip("bad.txt", "binary file"),
                                                       Skip(".DS_Store", "ignored", "not a text")])
    assert main(["corpus", "info", str(tmp_path / "c"), "--json"]) == 0
    info = json.loads(capsys.readouterr().out)
    assert (info["documents"], info["skipped_at_import"], info["ignored_at_import"]) == (6, 1, 1)
    assert main(["corpus", "info", str(tmp_path / "c")]) == 0
    assert "skipped     1 at import (binary file: 1), 0 on load" in capsys.readouterr().out


def test_cli_info_on_a_missing_corpus_is_a_message(tmp_path, capsys):
    assert main(["corpus", "info", str(tmp_path / "none")]) == 2
    assert "no such corpus folder or table" in capsys.readouterr().err
