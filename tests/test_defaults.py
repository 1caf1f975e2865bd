"""Report defaults from the corpus: each chooser's rule, the demo corpus keeping the values its
committed figures were made with, and the ledger of choices and skipped sections."""

from __future__ import annotations

import pandas as pd
import pytest

from analysis import defaults as D
from analysis.corpus import Corpus, Document, load_corpus
from analysis.preprocess import preprocess


def _meta(dates, languages=None, **columns):
    n = len(dates)
    precision = [None if d is None else {4: "year", 7: "month", 10: "day"}[len(d)] for d in dates]
    frame = pd.DataFrame({"date": dates, "date_precision": precision,
                          "year": [None if d is None else int(d[:4]) for d in dates],
                          "language": languages or ["en"] * n, **columns},
                         index=[f"d{i}" for i in range(n)])
    return frame


@pytest.fixture(scope="module")
def demo_meta(demo_dir):
    return load_corpus(demo_dir).metadata


def test_the_demo_corpus_gets_the_values_its_committed_figures_were_made_with(demo_meta):
    assert D.choose_language(demo_meta).value == "en"
    assert D.choose_period(demo_meta).value == "year"
    assert D.choose_keyness_split(demo_meta).value == "after:2014"
    assert D.choose_group(demo_meta).value == "organization"
    assert D.choose_group_periods(demo_meta, "year").value == \
        "2000-2004,2005-2009,2010-2014,2015-2019,2020-2026"


def test_language_is_the_majority_and_the_others_are_named():
    meta = _meta(["2020"] * 5, ["ru", "ru", "ru", "en", "en"])
    choice = D.choose_language(meta)
    assert choice.value == "ru"
    assert "3 of 5" in choice.reason and "en: 2" in choice.reason
    tie = D.choose_language(_meta(["2020"] * 2, ["ru", "en"]))
    assert tie.value == "en"


def test_period_follows_the_span_and_density_of_the_dates():
    assert D.choose_period(_meta(["2001", "2002-03-04"])).value == "year"
    assert D.choose_period(_meta(["2001-01-01", "2010-01-01"])).value == "year"
    dense = [f"2025-{m:02d}-{d:02d}" for m in (2, 3, 4, 5) for d in range(1, 8)]
    month = D.choose_period(_meta(dense))
    assert month.value == "month" and "median of 7" in month.reason
    quarterly = [f"2025-{m:02d}-{d:02d}" for m in range(1, 13) for d in (1, 2)]
    assert D.choose_period(_meta(quarterly)).value == "quarter"
    assert D.choose_period(_meta([None, None])).value == "year"


def test_keyness_split_is_the_halves_of_the_years_or_the_median_date():
    years = [str(y) for y in range(2010, 2020)]
    assert D.choose_keyness_split(_meta(years)).value == "after:2015"
    one_year = [f"2025-{m:02d}-10" for m in range(2, 10)]
    choice = D.choose_keyness_split(_meta(one_year))
    assert choice.value == "after:2025-06-10"
    assert "4 against 4" in choice.reason


def test_keyness_split_is_dropped_when_a_side_would_be_too_small():
    assert D.choose_keyness_split(_meta(["2025-10-31"])).value is None
    lopsided = ["2001"] + ["2019"] * 9
    choice = D.choose_keyness_split(_meta(lopsided))
    assert choice.value is None and "1 documents on one side" in choice.reason


def test_group_needs_the_column_with_two_values():
    meta = _meta(["2020"] * 3, organization=["CSTO", "CSTO", "SCO"], place=["a", "b", "b"])
    assert D.choose_group(meta).value == "organization"
    one = D.choose_group(_meta(["2020"] * 2, organization=["CSTO", "CSTO"]))
    assert one.value is None and "1 value" in one.reason
    missing = D.choose_group(_meta(["2020"] * 2, place=["a", "b"]))
    assert missing.value is None and "place" in missing.reason
    assert D.choose_group(meta, None).value is None


def test_group_periods_are_five_years_for_long_spans():
    assert D.choose_group_periods(_meta(["1970", "1999"]), "year").value == \
        "1970-1974,1975-1979,1980-1984,1985-1989,1990-1994,1995-1999"
    assert D.choose_group_periods(_meta(["2001", "2004"]), "year").value == "year"


@pytest.fixture(scope="module")
def tiny_tokens():
    docs = [Document("en1", "The threat of international terrorism persists. Terrorism again and "
                     "terrorism.", "en", "2001-05-03"),
            Document("en2", "A multipolar world is emerging. Terrorism is a threat.", "en", "2005"),
            Document("ru1", "Формируется многополярный мир. Многополярный мир растёт.", "ru",
                     "2020-02-03")]
    return preprocess(Corpus.from_documents(docs, name="tiny"), cache_dir=None)


def test_terms_that_occur_are_kept_in_order_in_both_languages(tiny_tokens):
    choice = D.choose_terms(tiny_tokens, ["sovereignty|суверенитет", "multipolar world|многополярный мир",
                                          "terrorism|терроризм"])
    assert choice.value == ["multipolar world|многополярный мир", "terrorism|терроризм"]
    assert "never found: sovereignty|суверенитет" in choice.reason
    assert D.term_counts(tiny_tokens, ["multipolar world|многополярный мир"]) == \
        {"multipolar world|многополярный мир": 3}


def test_terms_fall_back_to_the_most_frequent_when_none_occurs(tiny_tokens):
    choice = D.choose_terms(tiny_tokens, ["sovereignty", "separatism"])
    assert choice.value and choice.value[0] == "terrorism"
    assert "most frequent" in choice.reason


def test_node_is_the_first_candidate_occurring_often_enough(tiny_tokens):
    node = D.choose_node(tiny_tokens, ["sovereignty", "terrorism"], min_count=3)
    assert node.value == "terrorism"
    none = D.choose_node(tiny_tokens, ["sovereignty", "multipolar world"], min_count=5)
    assert none.value is None and "5 or more" in none.reason


def test_un_corpus_is_off_unless_set_or_in_the_environment(monkeypatch):
    monkeypatch.delenv(D.UN_CORPUS_ENV, raising=False)
    assert D.un_corpus(None).value is None
    monkeypatch.setenv(D.UN_CORPUS_ENV, "/data/ungdc")
    assert D.un_corpus(None).value == "/data/ungdc"
    assert D.un_corpus("/mine").value == "/mine"


def test_ledger_keeps_a_user_value_and_records_choices_and_skips(capsys):
    meta = _meta(["2020", "2021"], ["ru", "ru"])
    ledger = D.Ledger("99_test", None)
    assert ledger.use("LANGUAGE", "en", D.choose_language, meta) == "en"
    assert ledger.use("LANGUAGE", D.AUTO, D.choose_language, meta) == "ru"
    assert [c.source for c in ledger.choices] == ["you", "corpus"]
    assert ledger.why("LANGUAGE").startswith("the majority language")
    ledger.skip("Keyness", "only one period.", "add documents")
    assert "Skipped: Keyness" in capsys.readouterr().out
    text = ledger.markdown()
    assert "| `LANGUAGE` | ru | corpus |" in text
    assert "**Keyness**: only one period. *To run it:* add documents." in text
    data = ledger.to_dict()
    assert data["skipped"] == [{"section": "Keyness", "why": "only one period",
                                "remedy": "add documents"}]


def test_ledgers_are_read_back_from_an_executed_notebook():
    from nbformat.v4 import new_code_cell, new_notebook, new_output

    cell = new_code_cell("report.show()")
    cell.outputs = [new_output("display_data", data={D.MIME: {"skipped": [], "choices": []},
                                                     "text/markdown": "x"})]
    assert D.ledgers_of(new_notebook(cells=[cell])) == [{"skipped": [], "choices": []}]
