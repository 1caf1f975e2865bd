"""The one period and group axis (analysis.preprocess.periods): the auto rule, labels, positions,
exclusions with stated counts, custom bins, decades, 'all', groups."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from analysis.errors import CorpusError, ParameterError
from analysis.preprocess.periods import (
    assign_periods,
    auto_period,
    check_period,
    explain_auto_period,
    group_labels,
    period_label,
    period_position,
)


def frame(dates, precision=None):
    precision = precision or [{4: "year", 7: "month"}.get(len(d), "day") for d in dates]
    return pd.DataFrame({"date": dates, "date_precision": precision, "year": [int(d[:4]) for d in dates]})


def test_auto_period_follows_date_precision_span_and_density():
    assert auto_period(frame(["2000", "2003-05"])) == "year"  # a bare year
    decade_of_months = [f"{y}-{m:02d}-01" for y in range(2010, 2020) for m in range(1, 13) for _ in range(5)]
    assert auto_period(frame(decade_of_months)) == "year"  # 10 years: too long for months
    two_a_month = [f"{y}-{m:02d}-0{d}" for y in (2019, 2020) for m in range(1, 13) for d in (1, 2)]
    assert auto_period(frame(two_a_month)) == "quarter"  # 6 a quarter, 2 a month
    five_a_month = [f"2021-{m:02d}-0{d}" for m in (1, 2, 3) for d in range(1, 6)]
    assert auto_period(frame(five_a_month)) == "month"
    kind, reason = explain_auto_period(frame(["2019-01-02", "2021-05"]))
    assert kind == "year" and "too thinly" in reason  # two documents: neither months nor quarters
    assert auto_period(pd.DataFrame({"date": [None], "date_precision": [None]})) == "year"
    assert assign_periods(frame(five_a_month)).kind == "month"


def test_quarters_exclude_year_only_dates_with_a_stated_count():
    dv = pd.DataFrame({"date": ["2020-02-01", "2020", "2021-11"], "date_precision": ["day", "year", "month"],
                       "year": [2020, 2020, 2021]}, index=["a", "b", "c"])
    periods = assign_periods(dv, "quarter")
    assert periods.labels.to_dict() == {"a": "2020-Q1", "b": None, "c": "2021-Q4"}
    assert periods.excluded == {"date coarser than period": 1}
    assert periods.order[0] == "2020-Q1" and periods.order[-1] == "2021-Q4" and len(periods.order) == 8


def test_custom_bins_and_decades():
    dv = pd.DataFrame({"date": ["1971", "1985", "1999"], "date_precision": "year", "year": [1971, 1985, 1999]})
    bins = assign_periods(dv, "1970-1979,1980-1989")
    assert bins.labels.tolist() == ["1970-1979", "1980-1989", None]
    assert bins.excluded == {"outside the bins": 1}
    assert bins.midpoints["1970-1979"] == 1975.0
    assert assign_periods(dv, "decade").order == ["1970s", "1980s", "1990s"]
    with pytest.raises(ParameterError, match="not a year range"):
        assign_periods(dv, "seventies")


def test_all_undated_documents_is_a_user_error():
    dv = pd.DataFrame({"date": [None, None], "date_precision": [None, None], "year": [None, None]})
    with pytest.raises(CorpusError, match="none of the 2 documents has a date"):
        assign_periods(dv, "year")
    empty = assign_periods(dv, "year", empty_ok=True)
    assert empty.labels.isna().all() and empty.order == [] and empty.excluded == {"undated": 2}


def test_all_holds_every_document_dated_or_not():
    dv = pd.DataFrame({"date": ["2001", None, "2005-03"]}, index=["a", "b", "c"])
    periods = assign_periods(dv, "all")
    assert periods.labels.tolist() == ["all"] * 3 and periods.order == ["all"] and not periods.excluded


def test_labels_are_strings_and_positions_start_the_period():
    assert [period_label("2001-05-17", k) for k in ("year", "quarter", "month", "decade", "all")] == \
        ["2001", "2001-Q2", "2001-05", "2000s", "all"]
    assert period_label("2001-05", "bins", [(1990, 1999), (2000, 2009)]) == "2000-2009"
    assert period_position("2001") == 2001.0
    assert period_position("2001-Q2") == 2001.25
    assert period_position("2001-05") == pytest.approx(2001 + 4 / 12)
    assert period_position("1990s") == period_position("1990-1999") == 1990.0
    assert np.isnan(period_position("all"))


def test_year_only_metadata_and_missing_precision_are_placed():
    by_year = pd.DataFrame({"year": pd.array([1995, None, 2004], dtype="Int64")}, index=["a", "b", "c"])
    periods = assign_periods(by_year, "decade")
    assert periods.labels.tolist() == ["1990s", None, "2000s"] and periods.excluded == {"undated": 1}
    no_precision = pd.DataFrame({"date": ["2001-03", "2001", "2015-06-01"]})
    assert assign_periods(no_precision, "month").labels.tolist() == ["2001-03", None, "2015-06"]


def test_unknown_periods_name_the_choices():
    assert check_period(None) == "auto" and check_period(" Decade ") == "decade"
    with pytest.raises(ParameterError, match="`period` must be one of 'auto', 'year', 'quarter', 'month', "
                                             "'decade', 'all' or year ranges"):
        check_period("week")
    with pytest.raises(ParameterError, match="ends before it starts"):
        check_period("1990-1980")


def test_group_labels_are_strings_with_others_and_notes():
    dv = pd.DataFrame({"country": ["RUS", "CHN", None, "KAZ"], "n_tokens": 1}, index=list("abcd"))
    labels, notes = group_labels(dv, "country", ["RUS", "USA"])
    assert labels.tolist() == ["RUS", "others", None, "others"]
    assert notes == ["1 documents have no 'country' and are excluded from the grouped table.",
                     "no document has country = USA."]
    series, _ = group_labels(dv, pd.Series({"a": "west", "d": "east"}, name="bloc"))
    assert series.tolist() == ["west", None, None, "east"]
    assert group_labels(dv, None) == (None, [])
    with pytest.raises(ParameterError, match=r"`group`='region' is not a document metadata column; "
                                             r"available: country\.$"):
        group_labels(dv, "region")


# --- one axis for every method ------------------------------------------------------------

WORDS = {"threat": "terrorism extremism threat danger attack border drugs crime",
         "partner": "cooperation partnership agreement joint exercise dialogue trade investment"}


@pytest.fixture(scope="module")
def one_corpus():
    """24 dated statements over 2010-2017 (three a year, in three quarters) and one undated."""
    from analysis.corpus import Corpus, Document
    from analysis.preprocess import preprocess

    rng = np.random.default_rng(0)
    docs = []
    for year in range(2010, 2018):
        for j, month in enumerate((2, 6, 10)):
            sentences = []
            for _ in range(12):
                words = rng.choice(WORDS["threat" if rng.random() < 0.3 + 0.05 * (year - 2010) else "partner"].split(), 6)
                sentences.append(" ".join(words).capitalize() + ".")
            docs.append(Document(f"d{year}_{j}", " ".join(sentences), "en", f"{year}-{month:02d}-15",
                                 {"country": ["RUS", "KAZ", "CHN"][j]}))
    docs.append(Document("undated", docs[0].text, "en", None, {"country": "RUS"}))
    from analysis import topics as T

    corpus = Corpus.from_documents(docs, name="one-axis")
    tokens = preprocess(corpus, cache_dir=None, n_jobs=1)
    return corpus, tokens, T.TopicModel(k=2, seed=0, passes=2, no_below=2, no_above=1.0).fit(tokens)


@pytest.mark.parametrize("period", ["auto", "year", "quarter", "decade", "2010-2013,2014-2017", "all"])
def test_topics_trends_and_framing_get_the_same_period_labels(one_corpus, period):
    from analysis import topics as T
    from analysis.framing import detect_frames
    from analysis.trends import TrendSettings, term_trends

    corpus, tokens, model = one_corpus
    topics = T.prevalence_over_time(model.doc_topic_, tokens.metadata, period=period, n_boot=20)
    trends = term_trends(tokens, "terrorism|cooperation", TrendSettings(period=period, n_boot=20))
    frames = detect_frames(tokens, period=period, n_boot=20, n_jobs=1)
    dated = tokens.metadata[tokens.metadata["date"].notna()]
    expected = sorted(set(assign_periods(dated, period).labels))
    assert sorted(set(topics.table["period"])) == expected
    assert sorted(set(trends.rates.loc[trends.rates["n_docs"] > 0, "period"])) == expected
    assert sorted(set(frames.shares["period"])) == expected
    assert all(isinstance(p, str) for p in expected)
    if period == "auto":
        assert expected[0] == "2010" and topics.period == trends.params["period"] == "year"


def test_a_bad_period_is_refused_before_any_fit_or_pass(one_corpus, monkeypatch):
    from analysis import topics as T
    from analysis.framing import detect_frames
    from analysis.trends import TrendSettings, term_trends

    corpus, tokens, _ = one_corpus
    monkeypatch.setattr(T.TopicModel, "fit", lambda *a, **k: pytest.fail("fitted before the check"))
    for call in (lambda: T.fit_topics(tokens, k=2, period="week"),
                 lambda: term_trends(tokens, "terrorism", TrendSettings(period="week")),
                 lambda: detect_frames(tokens, period="week", lexicon=object())):
        with pytest.raises(ParameterError, match="`period` must be one of"):
            call()
