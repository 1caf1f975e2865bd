"""Keyword trends, reading side: keyness (G², log ratio), KWIC, collocations, lexical
dispersion and the plots."""

from __future__ import annotations

import math

import matplotlib
import numpy as np
import pandas as pd
import pytest

matplotlib.use("Agg")

from analysis.corpus import Corpus, Document  # noqa: E402
from analysis.errors import CorpusError, ParameterError, UserError  # noqa: E402
from analysis.figures.plots.trends import (  # noqa: E402
    plot_dispersion,
    plot_heatmap,
    plot_keyness,
    plot_trends,
)
from analysis.preprocess import preprocess  # noqa: E402
from analysis.trends import (  # noqa: E402
    TrendSettings,
    collocation_scores,
    collocations,
    keyness,
    kwic,
    params_for_form,
    parse_split,
    term_dispersion,
    term_trends,
)


def tokens_of(docs, params=None):
    return preprocess(Corpus.from_documents(docs, name="t"), params, cache_dir=None, n_jobs=1)


@pytest.fixture()
def mixed_tokens():
    docs = [
        Document("en1", "The threat of international terrorism persists. We held joint exercises with the CSTO.",
                 "en", "2001-05-03", {"country": "RUS"}),
        Document("en2", "A multipolar world is emerging. Cooperation with the SCO grows. Multipolarity is the "
                        "future of a multipolar world.", "en", "2005", {"country": "CHN"}),
        Document("ru1", "Угроза международного терроризма сохраняется. Мы провели совместные учения с ОДКБ.",
                 "ru", "2020-02-03", {"country": "RUS"}),
        Document("ru2", "Формируется многополярный мир. Основы многополярного мира крепнут.", "ru", "2024",
                 {"country": "BLR"}),
    ]
    return tokens_of(docs)


# --- keyness ------------------------------------------------------------------------------

def test_g2_and_log_ratio_match_a_hand_computed_value():
    # target: 10 x apple in 40 tokens; reference: 5 x apple in 80 tokens
    docs = [Document("t1", "apple " * 10 + "pear " * 30, "en", "2010", {"side": "t"}),
            Document("r1", "apple " * 5 + "plum " * 75, "en", "2020", {"side": "r"})]
    result = keyness(tokens_of(docs), "side=t", min_count=1, min_docs=1)
    apple = result.table.set_index("term").loc["apple"]
    # expected counts 40*15/120 = 5 and 80*15/120 = 10: G2 = 2 (10 ln 2 + 5 ln 0.5) = 10 ln 2
    assert apple["g2"] == pytest.approx(10 * math.log(2))
    assert apple["log_ratio"] == pytest.approx(2.0)  # log2((10/40) / (5/80))
    assert (apple["count_target"], apple["count_reference"]) == (10, 5)
    assert apple["rate_target"] == pytest.approx(10 / 40 * 10_000)
    assert result.sizes == {"docs_target": 1, "docs_reference": 1, "tokens_target": 40, "tokens_reference": 80}


def test_keyness_reports_both_directions_with_bh_q_values():
    docs = [Document(f"a{i}", "sovereignty sovereignty cooperation partner " * 5, "en", "2015") for i in range(6)]
    docs += [Document(f"b{i}", "terrorism terrorism cooperation partner " * 5, "en", "2005") for i in range(6)]
    result = keyness(tokens_of(docs), "after:2010")
    table = result.table.set_index("term")
    assert table.loc["sovereignty", "key_for"] == "target"
    assert table.loc["terrorism", "key_for"] == "reference"
    assert table.loc["cooperation", "key_for"] == ""
    assert (result.target, result.reference) == ("from 2010", "before 2010")
    assert result.table["key_for"].tolist()[:2] == ["target", "reference"]


def test_keyness_min_count_and_min_docs_filter_terms():
    docs = [Document("a", "sovereignty " * 20 + "partner", "en", "2015"),
            Document("b", "terrorism partner", "en", "2005")]
    result = keyness(tokens_of(docs), "after:2010", min_count=2, min_docs=2)
    assert result.table["term"].tolist() == ["partner"]  # sovereignty is in one document only


def test_split_specifications(mixed_tokens):
    dv = mixed_tokens.metadata
    t, r, tl, rl, _ = parse_split(dv, "country=RUS")
    assert dv.index[t].tolist() == ["en1", "ru1"] and dv.index[r].tolist() == ["en2", "ru2"]
    t, r, tl, rl, _ = parse_split(dv, "2000-2009 vs 2020-2024")
    assert dv.index[t].tolist() == ["en1", "en2"] and dv.index[r].tolist() == ["ru1", "ru2"]
    assert (tl, rl) == ("2000-2009", "2020-2024")
    t, r, tl, rl, _ = parse_split(dv, "country=RUS vs country=CHN")
    assert dv.index[r].tolist() == ["en2"]
    # a day cut leaves a year-only date (2005 against 2005-06-01) on neither side
    t, r, tl, rl, notes = parse_split(dv, "before:2005-06-01")
    assert dv.index[t].tolist() == ["en1"] and dv.index[r].tolist() == ["ru1", "ru2"]
    assert (tl, rl) == ("before 2005-06-01", "from 2005-06-01")
    assert any("1 documents are dated too coarsely" in n for n in notes)
    with pytest.raises(ParameterError, match="not understood"):
        parse_split(dv, "after 2014")
    with pytest.raises(ParameterError, match="'region' is not a metadata column"):
        parse_split(dv, "region=Asia")
    with pytest.raises(CorpusError, match="no document in the target"):
        parse_split(dv, "country=USA")


# --- KWIC ---------------------------------------------------------------------------------

def test_kwic_shows_original_words_for_a_lemmatised_russian_phrase(mixed_tokens):
    conc = kwic(mixed_tokens, "многополярный мир", width=3)
    assert conc.lines[["doc_id", "date", "left", "node", "right"]].values.tolist() == [
        ["ru2", "2024", "Формируется", "многополярный мир", ". Основы многополярного мира"],
        ["ru2", "2024", "многополярный мир. Основы", "многополярного мира", "крепнут."],
    ]
    assert conc.pattern == "многополярный_мир" and conc.complete


def test_kwic_glob_width_in_characters_limit_and_format(mixed_tokens):
    conc = kwic(mixed_tokens, "multipolar*", width=2)
    assert conc.lines["node"].tolist() == ["multipolar", "Multipolarity", "multipolar"]
    chars = kwic(mixed_tokens, "multipolar world", width=6, unit="chars")
    assert chars.lines["left"].tolist() == ["A", "of a"]  # " of a " is 6 characters
    assert chars.lines["right"].tolist() == ["is em", "."]
    limited = kwic(mixed_tokens, "multipolar*", width=2, limit=1, meta=("country",))
    assert len(limited.lines) == 1 and not limited.complete
    assert limited.lines.loc[0, "country"] == "CHN"
    text = limited.format()
    assert text.splitlines()[0] == "en2  2005  A | multipolar | world is"
    assert "(more exist)" in text.splitlines()[-1]


def test_kwic_in_written_form_matches_only_that_form(mixed_tokens):
    docs = [Document("ru2", "Формируется многополярный мир. Основы многополярного мира крепнут.", "ru", "2024")]
    written = tokens_of(docs, params_for_form("written"))
    assert kwic(written, "многополярного мира").lines["node"].tolist() == ["многополярного мира"]
    assert kwic(written, "многополярный мир").lines["node"].tolist() == ["многополярный мир"]


def test_kwic_without_a_match_says_so(mixed_tokens):
    conc = kwic(mixed_tokens, "piracy")
    assert conc.lines.empty and conc.format() == "no match for 'piracy' (pattern 'piracy')"


# --- collocations -------------------------------------------------------------------------

def test_collocation_scores_on_a_tiny_example():
    # node alpha twice, each followed by beta; window 1; 9 tokens in all; beta occurs twice
    docs = [Document("a", "Alpha beta gamma. Alpha beta delta. Gamma delta epsilon.", "en", "2000")]
    result = collocations(tokens_of(docs), "alpha", window=1, min_count=1)
    beta = result.table.set_index("collocate").loc["beta"]
    assert (result.node_freq, result.window_tokens, result.corpus_tokens) == (2, 2, 9)
    assert beta["observed"] == 2 and beta["expected"] == pytest.approx(2 * 2 / 9)
    assert beta["mi"] == pytest.approx(math.log2(4.5))
    assert beta["t_score"] == pytest.approx((2 - 4 / 9) / math.sqrt(2))
    assert beta["ll"] == pytest.approx(2 * 2 * math.log(2 / (4 / 9)))  # beta never occurs outside the windows
    assert (beta["left"], beta["right"]) == (0, 2)
    assert result.table["collocate"].tolist() == ["beta"]


def test_collocation_scores_function_matches_formulas():
    s = collocation_scores(np.array([3.0]), np.array([10.0]), 50, 1000)
    assert s["expected"][0] == pytest.approx(0.5)
    assert s["mi"][0] == pytest.approx(math.log2(6))
    assert s["t_score"][0] == pytest.approx(2.5 / math.sqrt(3))


def test_collocations_of_an_absent_node_is_a_user_error(mixed_tokens):
    with pytest.raises(UserError, match="node 'piracy'.*never occurs"):
        collocations(mixed_tokens, "piracy")


# --- dispersion and plots -----------------------------------------------------------------

def test_dispersion_offsets_follow_date_order(mixed_tokens):
    disp = term_dispersion(mixed_tokens, ["multipolar*", "terrorism"])
    assert disp.documents["doc_id"].tolist() == ["en1", "en2", "ru1", "ru2"]
    multi = disp.positions[disp.positions["term"] == "multipolar*"]
    start_en2 = int(disp.documents.set_index("doc_id").loc["en2", "start"])
    assert multi["doc_id"].tolist() == ["en2"] * 3
    assert (multi["offset"] >= start_en2).all()
    assert disp.positions[disp.positions["term"] == "terrorism"]["offset"].tolist() == [1]


def test_plots_return_axes_and_handle_gaps(mixed_tokens):
    import matplotlib.pyplot as plt

    result = term_trends(mixed_tokens, "multipolar world|многополярный мир,terrorism", TrendSettings(period="year"))
    assert result.rates["rate_per_10k"].isna().any()  # years without documents
    ax = plot_trends(result.rates)
    assert ax.get_ylabel() == "per 10,000 tokens" and len(ax.get_lines()) == 2
    ax = plot_heatmap(result.rates)
    assert [t.get_text() for t in ax.get_yticklabels()] == ["multipolar world|многополярный мир", "terrorism"]
    docs = [Document(f"a{i}", "sovereignty sovereignty partner " * 5, "en", "2015") for i in range(4)]
    docs += [Document(f"b{i}", "terrorism terrorism partner " * 5, "en", "2005") for i in range(4)]
    key = keyness(tokens_of(docs), "after:2010")
    ax = plot_keyness(key.table, n=5)
    assert {t.get_text() for t in ax.get_yticklabels()} == {"sovereignty", "terrorism"}
    disp = term_dispersion(mixed_tokens, ["multipolar*", "terrorism"])
    ax = plot_dispersion(disp.positions, disp.documents)
    assert [t.get_text() for t in ax.get_yticklabels()] == ["multipolar*", "terrorism"]
    with pytest.raises(ParameterError, match="missing rate_per_10k"):
        plot_trends(pd.DataFrame({"term": [], "time": [], "low": [], "high": []}))
    plt.close("all")
