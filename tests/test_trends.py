"""Keyword trends: term normalisation, periods, rates with intervals, the trend test with FDR,
planted-truth recovery on the demo corpus, and the `trends` / `kwic` command line."""

from __future__ import annotations

import json
import logging
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from scipy import sparse

from analysis.cli import main
from analysis.corpus import Corpus, Document, write_corpus
from analysis.errors import ParameterError, UserError
from analysis.preprocess import PreprocessParams, preprocess
from analysis.preprocess.periods import assign_periods
from analysis.stats import benjamini_hochberg, bootstrap_ratio_ci
from analysis.trends import (
    TermCounts,
    TrendSettings,
    count_terms,
    params_for_form,
    parse_term,
    pearson_dispersion,
    poisson_trend,
    quasi_poisson_rate_ci,
    rate_table,
    term_trends,
    trend_tests,
)
from analysis.trends.rates import _cell_seed


def tokens_of(docs: list[Document], params: PreprocessParams | None = None):
    return preprocess(Corpus.from_documents(docs, name="t"), params, cache_dir=None, n_jobs=1)


def counts_frame(years: list[str], n_tokens: list[int], y: np.ndarray, terms: list[str]) -> TermCounts:
    """TermCounts built directly from arrays (no preprocessing), for the statistics tests."""
    ids = [f"d{i}" for i in range(len(years))]
    metadata = pd.DataFrame({"date": years, "date_precision": "year",
                            "year": pd.array([int(v[:4]) for v in years], dtype="Int64"),
                            "n_tokens": n_tokens}, index=pd.Index(ids, name="id"))
    y = np.asarray(y).reshape(len(years), -1)
    return TermCounts(metadata, terms, sparse.csr_matrix(y.astype(np.int64)), list(terms),
                      {"form": "lemma", "within_mwe": True, "vocabulary": False})


# --- terms as the user writes them ---------------------------------------------------------

def test_phrase_is_normalised_to_the_multi_word_token():
    p = parse_term("multipolar world", PreprocessParams())
    assert p.pattern == "multipolar_world"
    assert p.words == ("multipolar", "world")


def test_inflected_russian_term_normalises_to_its_lemma_mwe():
    assert parse_term("многополярного мира", PreprocessParams()).pattern == "многополярный_мир"
    assert parse_term("Многополярный мир", PreprocessParams()).pattern == "многополярный_мир"


def test_stop_word_term_is_refused_with_its_name():
    with pytest.raises(ParameterError, match="term 'the' is empty after preprocessing"):
        parse_term("the", PreprocessParams())


def test_counts_match_lemmas_globs_words_inside_mwes_and_alternatives():
    docs = [
        Document("a", "A multipolar world is emerging. Multipolarity grows. International terrorism and "
                      "terrorism persist.", "en", "2001"),
        Document("b", "Формируется многополярный мир. Основы многополярного мира крепнут.", "ru", "2002"),
    ]
    tokens = tokens_of(docs)
    terms = ["multipolar world", "multipolar*", "terrorism", "многополярный мир",
             "multipolar world|многополярный мир"]
    counts = count_terms(tokens, terms)
    table = pd.DataFrame(counts.matrix.toarray(), index=counts.metadata.index, columns=counts.terms)
    assert table.loc["a"].to_dict() == {"multipolar world": 1, "multipolar*": 2, "terrorism": 2,
                                        "многополярный мир": 0, "multipolar world|многополярный мир": 1}
    assert table.loc["b", "многополярный мир"] == 2
    assert table.loc["b", "multipolar world|многополярный мир"] == 2
    whole = count_terms(tokens, ["terrorism"], within_mwe=False)
    assert whole.matrix.toarray()[:, 0].tolist() == [1, 0]  # international_terrorism not counted


def test_a_phrase_does_not_match_across_a_sentence_boundary():
    docs = [Document("a", "We want a world that is multipolar. World peace matters. Cold war ended.", "en", "2001")]
    counts = count_terms(tokens_of(docs), ["multipolar world", "peace matter", "cold war"])
    assert counts.matrix.toarray().tolist() == [[0, 1, 1]]


def test_written_form_does_not_merge_inflections():
    docs = [Document("b", "Формируется многополярный мир. Основы многополярного мира крепнут.", "ru", "2002")]
    written = tokens_of(docs, params_for_form("written"))
    counts = count_terms(written, ["многополярный мир", "многополярного мира"])
    assert counts.matrix.toarray().tolist() == [[1, 1]]


# --- rates and intervals ------------------------------------------------------------------

def test_rate_and_quasi_poisson_interval_on_a_hand_computed_cell():
    # one period, three documents: counts 2, 0, 1 in 4, 8, 4 tokens
    counts = counts_frame(["2000"] * 3, [4, 8, 4], np.array([2, 0, 1]), ["apple"])
    periods = assign_periods(counts.metadata, "year")
    table = rate_table(counts, periods, ci="quasi-poisson")
    row = table.iloc[0]
    assert (row["count"], row["tokens"], row["n_docs"]) == (3, 16, 3)
    assert row["rate_per_10k"] == pytest.approx(3 / 16 * 10_000)
    # Pearson X2 around the pooled rate 3/16: 1.25^2/.75 + 1.5^2/1.5 + .25^2/.75 = 11/3, df 2
    phi = pearson_dispersion(np.array([[2], [0], [1]]), np.array([4, 8, 4]), np.zeros(3, dtype=int))
    assert phi[0] == pytest.approx(11 / 6)
    low, high = quasi_poisson_rate_ci(3, 16, 11 / 6)
    assert (row["low"], row["high"]) == pytest.approx((low * 1e4, high * 1e4))


def test_exact_poisson_interval_matches_the_published_table():
    # Garwood (1936) 95% limits for 3 events: 0.619 and 8.767
    low, high = quasi_poisson_rate_ci(3, 1, 1.0)
    assert (float(low), float(high)) == pytest.approx((0.6187, 8.7673), abs=1e-4)
    low0, high0 = quasi_poisson_rate_ci(0, 1, 1.0)
    assert float(low0) == 0 and float(high0) == pytest.approx(3.6889, abs=1e-4)


def test_bootstrap_interval_is_the_shared_document_bootstrap():
    counts = counts_frame(["2000"] * 12, [50 + i for i in range(12)], np.arange(12) % 4, ["apple"])
    periods = assign_periods(counts.metadata, "year")
    row = rate_table(counts, periods, ci="bootstrap", n_boot=500, seed=3).iloc[0]
    est, lo, hi = bootstrap_ratio_ci(np.arange(12) % 4, np.array([50 + i for i in range(12)], dtype=float),
                                     n_boot=500, seed=_cell_seed(3, None, "2000"))
    assert (row["rate_per_10k"], row["low"], row["high"]) == pytest.approx((est * 1e4, lo * 1e4, hi * 1e4))
    auto = rate_table(counts, periods, ci="auto", n_boot=500, seed=3).iloc[0]
    assert auto["ci_method"] == "bootstrap"  # 12 documents and a non-zero count


def test_intervals_are_reproducible_and_do_not_depend_on_the_other_terms():
    rng = np.random.default_rng(4)
    y = rng.poisson(1.0, size=(40, 2))
    counts = counts_frame([str(2000 + i % 2) for i in range(40)], [100] * 40, y, ["a", "b"])
    periods = assign_periods(counts.metadata, "year")
    both = rate_table(counts, periods, ci="bootstrap", seed=7)
    again = rate_table(counts, periods, ci="bootstrap", seed=7)
    pd.testing.assert_frame_equal(both, again)
    alone = rate_table(counts.select(["a"]), periods, ci="bootstrap", seed=7)
    pd.testing.assert_frame_equal(both[both["term"] == "a"].reset_index(drop=True), alone)
    other_seed = rate_table(counts, periods, ci="bootstrap", seed=8)
    assert not np.allclose(both["low"], other_seed["low"])


def test_period_without_documents_is_listed_with_nan_rate_and_a_note():
    counts = counts_frame(["2000", "2000", "2002"], [10, 10, 10], np.array([1, 0, 2]), ["apple"])
    result_rates = rate_table(counts, assign_periods(counts.metadata, "year"))
    gap = result_rates.set_index("period").loc["2001"]
    assert gap["tokens"] == 0 and gap["count"] == 0 and gap["n_docs"] == 0
    assert np.isnan(gap["rate_per_10k"]) and gap["note"] == "no documents"


def test_undated_documents_are_excluded_and_counted(caplog):
    docs = [Document("a", "Terrorism persists. Terrorism again.", "en", "2001"),
            Document("b", "Terrorism is a threat.", "en", "2003"),
            Document("c", "Terrorism without a date.", "en", None)]
    with caplog.at_level(logging.WARNING):
        result = term_trends(tokens_of(docs), "terrorism", TrendSettings(period="year"))
    assert result.excluded == {"undated": 1}
    assert any("1 of 3 documents have no date" in n for n in result.notes)
    assert "no date" in caplog.text
    assert result.rates["count"].sum() == 3  # the undated document's occurrence is not counted
    assert any("1 periods have no documents" in n and "2002" in n for n in result.notes)


def test_term_that_never_occurs_is_kept_with_zero_counts_and_a_warning(caplog):
    docs = [Document("a", "Terrorism persists.", "en", "2001"), Document("b", "Terrorism grows.", "en", "2002")]
    with caplog.at_level(logging.WARNING):
        result = term_trends(tokens_of(docs), ["terrorism", "piracy"], TrendSettings(period="year"))
    assert "'piracy'" in caplog.text and "never occurs" in caplog.text
    piracy = result.rates[result.rates["term"] == "piracy"]
    assert piracy["count"].tolist() == [0, 0]
    assert result.tests.set_index("term").loc["piracy", "note"] == "never occurs"
    assert np.isnan(result.tests.set_index("term").loc["piracy", "p_value"])


def test_no_term_occurring_at_all_is_a_user_error_naming_the_terms():
    docs = [Document("a", "Terrorism persists.", "en", "2001")]
    with pytest.raises(UserError, match="none of the terms occurs.*'piracy'.*'smuggling'"):
        term_trends(tokens_of(docs), "piracy,smuggling", TrendSettings(period="year"))


# --- the trend test -----------------------------------------------------------------------

def test_benjamini_hochberg_on_a_hand_computed_example():
    q = benjamini_hochberg(np.array([0.01, 0.04, 0.03, 0.20]))
    assert q == pytest.approx([0.04, 0.16 / 3, 0.16 / 3, 0.20])


def test_poisson_slope_equals_a_document_level_poisson_regression():
    from sklearn.linear_model import PoissonRegressor

    rng = np.random.default_rng(5)
    years = rng.integers(2000, 2010, size=200)
    tok = rng.integers(50, 400, size=200)
    y = rng.poisson(tok * 0.01 * np.exp(0.08 * (years - 2005)))
    time = np.arange(2000, 2010) + 0.5
    P = len(time)
    pidx = years - 2000
    Y = np.bincount(pidx, weights=y, minlength=P)[None]
    T = np.bincount(pidx, weights=tok, minlength=P)[None]
    S2 = np.bincount(pidx, weights=y**2 / tok, minlength=P)[None]
    ND = np.bincount(pidx, minlength=P)[None]
    fit = poisson_trend(Y, T, S2, ND, time)
    ref = PoissonRegressor(alpha=0, tol=1e-12, max_iter=10_000).fit(
        (years + 0.5 - time.mean())[:, None], y / tok, sample_weight=tok)
    assert fit["slope"][0] == pytest.approx(ref.coef_[0], rel=1e-6)
    # the dispersion is the document-level Pearson statistic
    mu = tok * np.exp(ref.intercept_ + ref.coef_[0] * (years + 0.5 - time.mean()))
    phi = max(1.0, ((y - mu) ** 2 / mu).sum() / (200 - 2))
    assert fit["dispersion"][0] == pytest.approx(phi, rel=1e-5)


def test_period_robust_variance_is_the_cluster_sandwich():
    rng = np.random.default_rng(8)
    time = np.arange(2000, 2012) + 0.5
    T = rng.integers(2000, 5000, size=12).astype(float)
    Y = rng.poisson(T * 0.002 * np.exp(0.05 * (time - time.mean()))).astype(float)
    fit = poisson_trend(Y[None], T[None], (Y**2 / T)[None], np.full((1, 12), 5.0), time, test="period-robust")
    x = np.column_stack([np.ones(12), time - time.mean()])
    b = np.array([np.log(Y.sum() / T.sum()), 0.0])
    for _ in range(50):  # plain Newton, matrices written out
        mu = T * np.exp(x @ b)
        b = b + np.linalg.solve(x.T @ (mu[:, None] * x), x.T @ (Y - mu))
    mu = T * np.exp(x @ b)
    bread = np.linalg.inv(x.T @ (mu[:, None] * x))
    meat = (x * (Y - mu)[:, None]).T @ (x * (Y - mu)[:, None])
    se = np.sqrt((bread @ meat @ bread)[1, 1] * 12 / 11)
    assert fit["slope"][0] == pytest.approx(b[1], rel=1e-8)
    assert fit["se"][0] == pytest.approx(se, rel=1e-6)


def test_quasi_poisson_test_holds_its_level_for_overdispersed_flat_terms():
    # 300 flat terms, counts clustered in documents (negative binomial, variance ~ 4x mean)
    rng = np.random.default_rng(11)
    n_docs, n_terms = 400, 300
    years = np.repeat(np.arange(2000, 2020), n_docs // 20)
    tok = rng.integers(200, 600, size=n_docs)
    mean = tok[:, None] * 0.004
    y = rng.negative_binomial(n=mean / 3, p=0.25, size=(n_docs, n_terms))  # mean stays `mean`, var = 4 * mean
    counts = counts_frame([str(v) for v in years], tok.tolist(), y, [f"t{i}" for i in range(n_terms)])
    tests = trend_tests(counts, assign_periods(counts.metadata, "year"))
    false_pos = (tests["p_value"] < 0.05).mean()
    assert 0.01 <= false_pos <= 0.09, false_pos
    assert tests["dispersion"].median() == pytest.approx(4.0, rel=0.25)
    assert (tests["direction"] != "none").sum() <= 3


def test_trend_table_ranks_rising_then_falling_and_uses_bh_q_values():
    rng = np.random.default_rng(2)
    years = np.repeat(np.arange(2000, 2016), 15)
    tok = np.full(len(years), 300)
    t = (years - 2000) / 15
    y = np.column_stack([rng.poisson(300 * 0.004 * np.exp(1.5 * t)), rng.poisson(300 * 0.004 * np.exp(-1.5 * t)),
                         rng.poisson(np.full(len(years), 1.2))])
    counts = counts_frame([str(v) for v in years], tok.tolist(), y, ["up", "down", "flat"])
    tests = trend_tests(counts, assign_periods(counts.metadata, "year"))
    assert tests["term"].tolist() == ["up", "down", "flat"]
    assert tests["direction"].tolist() == ["rising", "falling", "none"]
    assert tests["q_value"].to_numpy() == pytest.approx(benjamini_hochberg(tests["p_value"].to_numpy()))
    assert tests.loc[0, "slope"] == pytest.approx(0.1, abs=0.03)
    assert tests.loc[0, "pct_per_decade"] == pytest.approx(100 * (np.exp(10 * tests.loc[0, "slope"]) - 1))


# --- planted truth on the demo corpus -----------------------------------------------------

@pytest.fixture(scope="module")
def demo_tokens(demo_dir: Path):
    from analysis.corpus import load_corpus

    return preprocess(load_corpus(demo_dir), cache_dir=None)


def test_demo_planted_rising_and_falling_terms_are_found_and_flat_terms_are_not(demo_tokens, demo_dir):
    truth = json.loads((demo_dir / "truth.json").read_text(encoding="utf-8"))["terms"]
    # each planted term with its Russian counterpart, so the Russian documents count too
    terms = {d: [f"{en}|{ru}" for en, ru in zip(truth[d], truth[f"{d}_ru"], strict=True)]
             for d in ("rising", "falling", "flat")}
    result = term_trends(demo_tokens, sum(terms.values(), []), TrendSettings(period="year"))
    tests = result.tests.set_index("term")
    for direction in ("rising", "falling"):
        for term in terms[direction]:
            assert tests.loc[term, "q_value"] < 0.05, (term, tests.loc[term].to_dict())
            assert tests.loc[term, "direction"] == direction, term
    for term in terms["flat"]:
        assert tests.loc[term, "q_value"] >= 0.05, (term, tests.loc[term].to_dict())
        assert tests.loc[term, "direction"] == "none"


def test_demo_grouped_rates_cover_every_group_and_year(demo_tokens):
    result = term_trends(demo_tokens, ["multipolar*|многополярн*"],
                         TrendSettings(period="year", group="organization", values=("CSTO", "SCO"), start=2000,
                                       end=2026))
    rates = result.rates
    assert set(rates["group"]) == {"CSTO", "SCO", "others"}
    assert len(rates) == 3 * 27
    assert rates["count"].sum() == result.terms["count"].sum()
    assert set(result.tests["group"]) == {"CSTO", "SCO", "others"}


def test_counts_give_the_same_trends_as_the_tokens_they_were_counted_from(demo_tokens):
    settings = TrendSettings(period="decade", group="organization", values="CSTO,SCO", n_boot=50)
    from_tokens = term_trends(demo_tokens, ["terrorism"], settings)
    from_counts = term_trends(count_terms(demo_tokens, ["terrorism"]), None, settings)
    pd.testing.assert_frame_equal(from_tokens.rates, from_counts.rates)
    pd.testing.assert_frame_equal(from_tokens.tests, from_counts.tests)
    assert from_counts.params["values"] == ["CSTO", "SCO"]


def test_settings_refuse_values_without_a_group_and_counts_with_terms(demo_tokens):
    with pytest.raises(ParameterError, match="`values` needs `group`"):
        TrendSettings(values=("RUS",))
    with pytest.raises(ParameterError, match="counts already hold their terms"):
        term_trends(count_terms(demo_tokens, ["terrorism"]), ["terrorism"])


def test_settings_refuse_a_level_or_bootstrap_count_out_of_range():
    with pytest.raises(ParameterError, match="`level` must be between 0 and 1; got 2"):
        TrendSettings(level=2)
    with pytest.raises(ParameterError, match="`n_boot` must be an int >= 1; got -1"):
        TrendSettings(n_boot=-1)


def test_cli_refuses_a_negative_bootstrap_count_with_a_message(demo_dir, capsys, tmp_path):
    assert main(["trends", str(demo_dir), "--terms", "terrorism", "--n-boot", "-1", "--out",
                 str(tmp_path / "o")]) == 2
    assert "error: `n_boot` must be an int >= 1; got -1." in capsys.readouterr().err


# --- command line -------------------------------------------------------------------------

@pytest.fixture()
def small_corpus_dir(tmp_path: Path) -> Path:
    rng = np.random.default_rng(0)
    docs = []
    for i in range(60):
        year = 2010 + i % 6
        n_up = rng.poisson(0.4 * (year - 2009))
        text = " ".join(["Cooperation and stability in the region."] * 3
                        + ["A multipolar world is emerging."] * int(n_up)
                        + ["Terrorism remains a threat."] * int(rng.poisson(1.5)))
        docs.append(Document(f"d{i:02d}", text, "en", f"{year}-0{1 + i % 9}-1{i % 10}",
                             {"country": ["RUS", "CHN", "KAZ"][i % 3]}))
    folder = tmp_path / "corpus"
    write_corpus(docs, folder, info={"name": "small"})
    return folder


def test_cli_trends_writes_the_contract_files(small_corpus_dir: Path, tmp_path: Path, capsys):
    out = tmp_path / "out"
    code = main(["trends", str(small_corpus_dir), "--terms", "multipolar world,terrorism", "--period", "year",
                 "--out", str(out), "--group", "country", "--cache-dir", "none", "--keyness", "country=RUS"])
    assert code == 0
    trends = pd.read_csv(out / "trends.csv")
    assert list(trends.columns[:8]) == ["term", "group", "period", "count", "tokens", "rate_per_10k", "low", "high"]
    assert set(trends["group"]) == {"RUS", "CHN", "KAZ"} and len(trends) == 2 * 3 * 6
    rf = pd.read_csv(out / "rising_falling.csv")
    assert {"term", "slope", "p_value", "q_value", "direction"} <= set(rf.columns)
    assert (out / "keyness" / "keyness.csv").exists()
    info = json.loads((out / "params.json").read_text())
    assert info["period"] == "year" and info["group"] == "country"


def test_cli_trends_without_group_has_the_plain_columns(small_corpus_dir: Path, tmp_path: Path):
    out = tmp_path / "plain"
    assert main(["trends", str(small_corpus_dir), "--terms", "multipolar world", "--period", "year",
                 "--form", "written", "--out", str(out), "--cache-dir", "none"]) == 0
    cols = list(pd.read_csv(out / "trends.csv").columns)
    assert cols[:7] == ["term", "period", "count", "tokens", "rate_per_10k", "low", "high"]
    rf = pd.read_csv(out / "rising_falling.csv")
    assert rf.loc[0, "direction"] == "rising"


def test_cli_trends_compares_chosen_groups_with_the_rest(small_corpus_dir: Path, tmp_path: Path):
    out = tmp_path / "groups"
    assert main(["trends", str(small_corpus_dir), "--terms", "multipolar*", "--group", "country",
                 "--values", "RUS,CHN", "--period", "year", "--out", str(out), "--cache-dir", "none"]) == 0
    trends = pd.read_csv(out / "trends.csv")
    assert sorted(set(trends["group"])) == ["CHN", "RUS", "others"]


def test_cli_kwic_prints_a_concordance(small_corpus_dir: Path, capsys):
    assert main(["kwic", str(small_corpus_dir), "multipolar world", "--width", "3", "--limit", "2",
                 "--cache-dir", "none"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0].split()[:2] == ["d02", "2012-03-12"]  # d00 and d01 have no multipolar sentence
    assert out[0].endswith("the region. A | multipolar world | is emerging. A")
    assert out[-1].startswith("-- 2 lines") and "more exist" in out[-1]


def test_cli_reports_a_bad_term_without_a_traceback(small_corpus_dir: Path, tmp_path: Path, capsys):
    code = main(["trends", str(small_corpus_dir), "--terms", "the", "--out", str(tmp_path / "x"),
                 "--cache-dir", "none"])
    assert code == 2
    assert "term 'the' is empty after preprocessing" in capsys.readouterr().err


# --- stored counts: a rerun on the same cached tokens reuses them ----------------------------

def test_counts_on_cached_tokens_are_stored_and_equal_fresh_counts(tmp_path, monkeypatch):
    from analysis.trends import count_vocabulary, keyness
    from analysis.trends import terms as terms_module

    docs = [Document(f"d{i}", f"Terrorism threatens us. A multipolar world {'and terrorism ' * (i % 3)}emerges.",
                     "en", f"{2000 + i}", {"country": "RUS" if i % 2 else "CHN"}) for i in range(12)]
    corpus = Corpus.from_documents(docs, name="t")
    memory = preprocess(corpus, cache_dir=None, n_jobs=1)
    cached = preprocess(corpus, cache_dir=tmp_path, n_jobs=1)
    want_terms = count_terms(memory, ["terrorism", "multipolar*"])
    want_vocab = count_vocabulary(memory, min_count=2)
    want_key = keyness(memory, "after:2005", min_count=1, min_docs=1)
    for _ in range(2):  # computed and stored, then read back
        got = count_terms(cached, ["terrorism", "multipolar*"])
        assert (got.matrix != want_terms.matrix).nnz == 0 and got.terms == want_terms.terms
        vocab = count_vocabulary(cached, min_count=2)
        assert (vocab.matrix != want_vocab.matrix).nnz == 0 and vocab.terms == want_vocab.terms
    assert {e["kind"] for e in cached.results.entries()} == {"term-counts", "vocabulary-counts"}

    def recount(*args, **kwargs):
        raise AssertionError("counted again")

    monkeypatch.setattr(terms_module, "_count_patterns", recount)
    monkeypatch.setattr(terms_module, "_vocabulary_matrix", recount)
    rerun = preprocess(corpus, cache_dir=tmp_path, n_jobs=1)
    count_terms(rerun, "terrorism, multipolar*")
    count_vocabulary(rerun, min_count=5, min_docs=3)  # other filters reuse the stored matrix
    pd.testing.assert_frame_equal(keyness(rerun, "after:2005", min_count=1, min_docs=1).table, want_key.table)
    with pytest.raises(AssertionError, match="counted again"):
        count_terms(rerun, ["sovereignty"])  # other terms are counted
