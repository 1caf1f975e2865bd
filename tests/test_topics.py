"""Topic models: planted topics recovered on the demo corpus, exact reruns, errors, the CLI contract."""

from __future__ import annotations

import json

import matplotlib

matplotlib.use("Agg")

import numpy as np
import pandas as pd
import pytest
from scipy.optimize import linear_sum_assignment

from analysis import topics as T
from analysis.cli import main
from analysis.corpus import Corpus, Document, load_corpus, write_corpus
from analysis.errors import CorpusError, ParameterError
from analysis.figures.plots import topics as TP
from analysis.preprocess import PreprocessParams, ProcessedDoc, preprocess, process_sentence
from analysis.preprocess.periods import auto_period
from analysis.stats import bootstrap_mean_ci
from analysis.topics.model import _aggregate

# --------------------------------------------------------------------------------------------
# A small synthetic corpus for the mechanics (fast); the demo corpus for recovery
# --------------------------------------------------------------------------------------------

SYNTH_TOPICS = {
    "terror": ["terrorism", "extremism", "militant", "insurgent", "hostage", "bombing", "jihadist",
               "radical", "recruitment", "attack"],
    "trade": ["tariff", "export", "import", "commerce", "investment", "customs", "market",
              "currency", "merchant", "logistics"],
    "army": ["exercise", "troop", "brigade", "artillery", "drill", "battalion", "airborne", "rifle",
             "tank", "garrison"],
    "climate": ["climate", "emission", "glacier", "drought", "flood", "carbon", "forest",
                "renewable", "rainfall", "temperature"],
}
BACKGROUND = ["cooperation", "member", "meeting", "council", "region", "partner", "minister",
              "summit", "development", "agreement", "government", "people", "question", "effort"]


def synthetic_documents(n_per_year: int = 8, years: range = range(2005, 2020), doc_len: int = 100,
                        seed: int = 0, undated: int = 0, year_only: bool = True) -> list[Document]:
    """Documents mixing four word lists; 'terror' rises over the years."""
    rng = np.random.default_rng(seed)
    names = list(SYNTH_TOPICS)
    weights = 1 / np.arange(1, 11) ** 0.8
    weights /= weights.sum()
    docs = []
    for y_idx, year in enumerate(years):
        base = np.ones(len(names))
        base[0] = 0.2 + 3 * y_idx / max(1, len(years) - 1)
        base /= base.sum()
        for j in range(n_per_year):
            theta = rng.dirichlet(base * 1.5)
            words = []
            for _ in range(doc_len):
                if rng.random() < 0.25:
                    words.append(BACKGROUND[rng.integers(len(BACKGROUND))])
                else:
                    words.append(SYNTH_TOPICS[names[rng.choice(len(names), p=theta)]][rng.choice(10, p=weights)])
            text = " ".join(" ".join(words[i : i + 10]).capitalize() + "." for i in range(0, doc_len, 10))
            date = str(year) if (year_only and j == 0) else f"{year}-{1 + j % 12:02d}-15"
            docs.append(Document(f"d{year}_{j:02d}", text, "en", date,
                                 {"title": f"Statement {year}/{j}", "country": ["RUS", "CHN", "KAZ"][j % 3]}))
    for i in range(undated):
        docs.append(Document(f"undated{i}", docs[i].text, "en", None, {"title": "undated", "country": "RUS"}))
    return docs


def synthetic_tokens(**kw):
    corpus = Corpus.from_documents(synthetic_documents(**kw), name="synthetic", info={"synthetic": True})
    return preprocess(corpus, cache_dir=None)


@pytest.fixture(scope="module")
def synth():
    return synthetic_tokens(undated=3)


@pytest.fixture(scope="module")
def synth_result(synth):
    return T.fit_topics(synth, k=4, seed=0, passes=10)


@pytest.fixture(scope="module")
def demo(demo_dir):
    """The demo corpus and its planted truth (built in memory when corpus/demo is absent)."""
    if (demo_dir / "truth.json").exists():
        corpus = load_corpus(demo_dir)
        truth = json.loads((demo_dir / "truth.json").read_text(encoding="utf-8"))
    else:
        from analysis.demo import make_demo_documents

        docs, truth = make_demo_documents()
        corpus = Corpus.from_documents(docs, name="demo", info={"synthetic": True})
    tokens = preprocess(corpus, cache_dir=None)
    # Topic models do not align languages (Russian documents form topics of their own), so the
    # planted English key terms are checked on the English documents.
    return tokens.subset(tokens.metadata["language"] == "en"), truth


DEMO_K = 8  # 5 planted topics + room for the template's non-topical sentences (greetings, names)


@pytest.fixture(scope="module")
def demo_lda(demo):
    tokens, _ = demo
    return T.fit_topics(tokens, k=DEMO_K, seed=0)


@pytest.fixture(scope="module")
def demo_nmf(demo):
    tokens, _ = demo
    return T.fit_topics(tokens, k=DEMO_K, seed=0, method="nmf", with_coherence=False)


def _lemma(term: str) -> str:
    toks = process_sentence(term.replace("_", " "), "en", PreprocessParams())
    return "_".join(toks) if toks else term


def planted_match(result: T.TopicsResult, truth: dict, n_top: int = 20):
    """Key-term overlap of each planted topic with its one-to-one matched fitted topic.

    Measure: share of a planted topic's key terms (lemmatised as the default preprocessing does,
    and only those left in the model's vocabulary: a term dropped by the vocabulary filter cannot
    be in any topic) found among the fitted topic's top `n_top` terms by probability. Planted and
    fitted topics are matched one-to-one by the Hungarian assignment on that overlap.
    """
    vocab = set(result.model.vocab_)
    names = list(truth["topics"])
    keys = [{_lemma(w) for w in truth["topics"][n]["key_terms"]} & vocab for n in names]
    assert all(len(k) >= 8 for k in keys), "too few planted key terms survive the vocabulary filter"
    tops = [{w for w, _ in t} for t in result.model.top_terms(n_top)]
    overlap = np.array([[len(k & t) / len(k) for t in tops] for k in keys])
    rows, cols = linear_sum_assignment(-overlap)
    return dict(zip([names[r] for r in rows], cols.tolist(), strict=True)), overlap[rows, cols]


# Chance level: a topic's top 20 of ~600 terms holds a given key term with probability ~3%.
# A planted topic counts as recovered when its matched topic holds >= 40% of its key terms;
# all planted topics must be recovered, with >= 60% on average.
MIN_OVERLAP, MIN_MEAN_OVERLAP = 0.4, 0.6


@pytest.mark.parametrize("which", ["demo_lda", "demo_nmf"])
def test_planted_topics_are_recovered_one_to_one_on_demo_corpus(which, demo, request):
    _, truth = demo
    result = request.getfixturevalue(which)
    match, overlap = planted_match(result, truth)
    assert len(set(match.values())) == len(truth["topics"])
    assert overlap.min() >= MIN_OVERLAP, dict(zip(match, overlap.round(2), strict=True))
    assert overlap.mean() >= MIN_MEAN_OVERLAP, dict(zip(match, overlap.round(2), strict=True))


def _window_ci(result, tokens, topic: int, years: list[int]):
    dt = result.doc_topics
    year = tokens.metadata.loc[dt.index, "year"].astype(int)
    mean, low, high = bootstrap_mean_ci(dt.loc[year.isin(years).to_numpy(), topic].to_numpy(), seed=0)
    return mean[0], low[0], high[0]


def test_planted_drift_shows_in_prevalence_over_time(demo, demo_lda):
    """The planted rising topic's mean document share in the last five years lies above the first
    five years' (bootstrap 95% CIs do not overlap); the falling topic's lies below."""
    tokens, truth = demo
    match, _ = planted_match(demo_lda, truth)
    change = {n: list(t["share_by_year"].values())[-1] - list(t["share_by_year"].values())[0]
              for n, t in truth["topics"].items()}
    rising, falling = max(change, key=change.get), min(change, key=change.get)
    years = sorted(int(y) for y in truth["topics"][rising]["share_by_year"])
    first, last = years[:5], years[-5:]
    r0, r1 = _window_ci(demo_lda, tokens, match[rising], first), _window_ci(demo_lda, tokens, match[rising], last)
    assert r1[1] > r0[2], (rising, r0, r1)
    f0, f1 = _window_ci(demo_lda, tokens, match[falling], first), _window_ci(demo_lda, tokens, match[falling], last)
    assert f1[2] < f0[1], (falling, f0, f1)
    # The prevalence table is by year (the demo has year-only dates) and its bands hold the means.
    prev = demo_lda.prevalence
    assert demo_lda.period == "year"
    assert prev["period"].nunique() == len(years)
    assert ((prev["low"] <= prev["share"] + 1e-12) & (prev["share"] <= prev["high"] + 1e-12)).all()


def test_representative_sentences_of_planted_topics_use_their_key_terms(demo, demo_lda):
    _, truth = demo
    match, _ = planted_match(demo_lda, truth)
    sents = demo_lda.representative_sentences
    for name, topic in match.items():
        keys = {_lemma(w) for w in truth["topics"][name]["key_terms"]}
        top = sents[sents["topic"] == topic].sort_values("rank").head(3)
        hits = [bool(keys & set(process_sentence(s, "en", PreprocessParams()))) for s in top["sentence"]]
        assert sum(hits) >= 2, (name, top["sentence"].tolist())


# --------------------------------------------------------------------------------------------
# Exact reruns
# --------------------------------------------------------------------------------------------

@pytest.mark.parametrize("method", ["lda", "nmf"])
def test_same_corpus_parameters_and_seed_give_identical_numbers(synth, method):
    a = T.fit_topics(synth, k=4, seed=3, method=method, passes=5, n_boot=200)
    b = T.fit_topics(synth, k=4, seed=3, method=method, passes=5, n_boot=200)
    assert np.array_equal(a.model.topic_term_, b.model.topic_term_)
    assert np.array_equal(a.model.unit_topic_, b.model.unit_topic_)
    pd.testing.assert_frame_equal(a.doc_topics, b.doc_topics, check_exact=True)
    pd.testing.assert_frame_equal(a.prevalence, b.prevalence, check_exact=True)
    pd.testing.assert_frame_equal(a.topics, b.topics, check_exact=True)
    pd.testing.assert_frame_equal(a.topic_map, b.topic_map, check_exact=True)
    pd.testing.assert_frame_equal(a.representative_sentences, b.representative_sentences, check_exact=True)


def test_inferring_shares_twice_gives_the_same_shares(synth_result):
    model = synth_result.model
    assert np.array_equal(model._shares(model.units_.dtm), model.unit_topic_)


def test_different_seeds_give_different_lda_fits(synth):
    a = T.TopicModel(k=4, seed=0, passes=3).fit(synth)
    b = T.TopicModel(k=4, seed=1, passes=3).fit(synth)
    assert not np.array_equal(a.topic_term_, b.topic_term_)


# --------------------------------------------------------------------------------------------
# Units and aggregation
# --------------------------------------------------------------------------------------------

def _doc(n_tokens: int, per_sentence: int = 5) -> ProcessedDoc:
    toks = [f"w{i}" for i in range(n_tokens)]
    sents = [toks[i : i + per_sentence] for i in range(0, n_tokens, per_sentence)]
    return ProcessedDoc("d", [" ".join(s) for s in sents], sents)


@pytest.mark.parametrize(("n_tokens", "sizes"), [(25, [10, 10, 5]), (14, [14]), (24, [10, 14]), (26, [10, 10, 6]), (7, [7])])
def test_chunks_have_chunk_size_tokens_and_a_short_tail_joins_the_last_chunk(n_tokens, sizes):
    chunks = T.split_units(_doc(n_tokens), "chunk", chunk_size=10)
    assert [len(c) for c in chunks] == sizes
    assert [t for c in chunks for t in c] == _doc(n_tokens).flat()


def test_paragraph_units_are_fixed_groups_of_sentences():
    units = T.split_units(_doc(35), "paragraph", paragraph_size=3)  # 7 sentences of 5 tokens
    assert [len(u) for u in units] == [15, 15, 5]
    assert T.split_units(_doc(35), "document") == [_doc(35).flat()]


def test_document_shares_are_the_token_weighted_mean_of_their_units():
    frame = pd.DataFrame({"doc_id": ["a", "a", "b"], "part": [0, 1, 0], "n_tokens": [1, 3, 2],
                          "n_terms": [1, 3, 2]})
    shares = np.array([[1.0, 0.0], [0.0, 1.0], [0.5, 0.5]])
    out = _aggregate(shares, frame)
    assert out.index.tolist() == ["a", "b"]
    np.testing.assert_allclose(out.to_numpy(), [[0.25, 0.75], [0.5, 0.5]])


def test_chunk_units_aggregate_back_to_every_document(synth):
    model = T.TopicModel(k=4, unit="chunk", chunk_size=30, passes=3).fit(synth)
    assert (model.units_.frame.groupby("doc_id").size() > 1).all()
    assert model.doc_topic_.shape == (len(synth), 4)
    np.testing.assert_allclose(model.doc_topic_.sum(axis=1), 1.0)


# --------------------------------------------------------------------------------------------
# FREX, stability, map
# --------------------------------------------------------------------------------------------

def test_frex_matches_a_hand_computed_example():
    beta = np.array([[0.40, 0.35, 0.25],
                     [0.60, 0.10, 0.30]])
    # Topic 0: frequency ECDF [1, 2/3, 1/3]; exclusivity .4/1, .35/.45, .25/.55 -> ECDF [1/3, 1, 2/3]
    # FREX = 1 / (0.5/F + 0.5/E): [1/(0.5+1.5), 1/(0.75+0.5), 1/(1.5+0.75)] = [0.5, 0.8, 0.444..]
    # Topic 1: F = [1, 1/3, 2/3], E = [1, 1/3, 2/3] -> FREX = [1, 1/3, 2/3]
    expected = np.array([[0.5, 0.8, 1 / 2.25], [1.0, 1 / 3, 2 / 3]])
    np.testing.assert_allclose(T.frex(beta), expected)
    # weight 1 is pure frequency rank, weight 0 pure exclusivity rank
    np.testing.assert_allclose(T.frex(beta, weight=1.0)[0], [1, 2 / 3, 1 / 3])
    np.testing.assert_allclose(T.frex(beta, weight=0.0)[0], [1 / 3, 1, 2 / 3])


def test_auto_labels_are_the_top_three_frex_terms_and_can_be_overridden(synth_result):
    model = synth_result.model
    frex_top = [[w for w, _ in t] for t in model.top_terms(3, by="frex")]
    assert synth_result.labels == {t: ", ".join(ws) for t, ws in enumerate(frex_top)}
    renamed = synth_result.relabel({1: "Trade"})
    assert renamed.labels[1] == "Trade" and renamed.labels[0] == synth_result.labels[0]
    assert set(renamed.prevalence.loc[renamed.prevalence["topic"] == 1, "label"]) == {"Trade"}
    assert synth_result.labels[1] != "Trade"  # the original result is unchanged
    described = T.describe_topics(model, labels={2: "Army"}, with_coherence=False, n_boot=50)
    assert described.labels[2] == "Army"


def test_stability_is_one_for_identical_runs_and_matching_is_one_to_one():
    rng = np.random.default_rng(0)
    tt = rng.dirichlet(np.ones(50), size=5)
    assert T.stability([tt, tt, tt])[0] == 1.0
    assert T.stability([tt, tt[::-1]])[0] == 1.0  # order of topics does not matter
    sets = T.top_term_sets(tt, 10)
    rows, cols, sim = T.match_topics(sets, sets[::-1])
    assert cols.tolist() == [4, 3, 2, 1, 0] and np.all(sim == 1.0)
    assert T.stability([tt, rng.dirichlet(np.ones(50), size=5)])[0] < 0.6


def test_classical_mds_recovers_distances_of_points_on_a_plane():
    pts = np.array([[0.0, 0.0], [3.0, 0.0], [0.0, 4.0], [1.0, 1.0]])
    d = np.linalg.norm(pts[:, None] - pts[None], axis=-1)
    xy = T.classical_mds(d)
    np.testing.assert_allclose(np.linalg.norm(xy[:, None] - xy[None], axis=-1), d, atol=1e-9)
    np.testing.assert_array_equal(T.classical_mds(d), xy)


def test_topic_map_places_every_topic_with_its_prevalence(synth_result):
    m = synth_result.topic_map
    assert m["topic"].tolist() == list(range(4))
    np.testing.assert_allclose(m["prevalence"].sum(), 1.0)
    d = T.js_distances(synth_result.model.topic_term_)
    assert np.all(d[~np.eye(4, dtype=bool)] > 0) and np.all(d <= 1)


# --------------------------------------------------------------------------------------------
# Prevalence over time
# --------------------------------------------------------------------------------------------

def test_undated_documents_are_left_out_with_a_stated_count(synth_result, synth):
    assert synth_result.n_undated == 3
    assert any("3 of" in n and "no date" in n for n in synth_result.notes)
    per_period = synth_result.prevalence.drop_duplicates("period")["n_docs"].sum()
    assert per_period == len(synth) - 3


def test_default_period_is_the_coarsest_date_precision(synth_result):
    assert synth_result.period == "year"  # one document a year has only a year
    metadata = pd.DataFrame({"date": ["2020-01-05", "2020-01-20"] * 5 + ["2020-02-03"] * 10,
                            "date_precision": ["day"] * 20})
    assert auto_period(metadata) == "month"
    sparse_months = pd.DataFrame({"date": [f"2020-{m:02d}-01" for m in range(1, 13)],
                                  "date_precision": ["day"] * 12})
    assert auto_period(sparse_months) == "year"  # months and quarters too thin


def test_prevalence_by_group_has_one_series_per_group(synth_result):
    model = synth_result.model
    prev = T.prevalence_over_time(model.doc_topic_, model.units_.tokens.metadata, group="country", n_boot=50)
    assert set(prev.by_group["country"]) == {"RUS", "CHN", "KAZ"}
    assert list(prev.by_group.columns[:6]) == ["country", "period", "topic", "share", "low", "high"]


def test_one_period_only_gives_the_single_period_table_and_says_so():
    docs = [Document(d.id, d.text, "en", "2021", d.meta) for d in synthetic_documents(n_per_year=30, years=range(2021, 2022))]
    tokens = preprocess(Corpus.from_documents(docs, name="one-year"), cache_dir=None)
    result = T.fit_topics(tokens, k=3, passes=3, n_boot=100, with_coherence=False)
    assert result.prevalence["period"].unique().tolist() == ["2021"]
    assert len(result.prevalence) == 3
    assert any("one year" in n and "no change over time" in n for n in result.notes)
    axes = TP.plot_prevalence(result.prevalence)
    assert any("one period only" in t.get_text() for t in axes[0].texts)


# --------------------------------------------------------------------------------------------
# Choosing k
# --------------------------------------------------------------------------------------------

def test_select_k_reports_coherence_perplexity_and_stability_and_reuses_the_fit(synth):
    sel = T.select_k(synth, [3, 4], n_seeds=2, passes=4, seed=0)
    t = sel.table
    assert t["k"].tolist() == [3, 4]
    assert t[["c_v", "c_npmi", "perplexity", "stability"]].notna().all().all()
    assert (t["perplexity"] > 1).all() and t["stability"].between(0, 1).all()
    assert sel.chosen_k == T.choose_k(t, rule="npmi_stable")
    fresh = T.TopicModel(k=sel.chosen_k, passes=4, seed=0).fit(synth)
    assert np.array_equal(sel.model().topic_term_, fresh.topic_term_)


def test_choose_k_applies_the_stated_rule():
    table = pd.DataFrame({"k": [5, 10, 15, 20], "c_npmi": [0.05, 0.08, 0.12, 0.10],
                          "c_v": [0.50, 0.55, 0.52, 0.60], "stability": [0.9, 0.7, 0.5, 0.65],
                          "perplexity": [900.0, 800.0, 850.0, 870.0]})
    assert T.choose_k(table) == 20  # best c_npmi among k with stability >= 0.6 (15 is unstable)
    assert T.choose_k(table, min_stability=0.8) == 5
    assert T.choose_k(table, min_stability=0.95) == 5  # none that stable: the most stable
    assert T.choose_k(table, rule="c_npmi") == 15
    assert T.choose_k(table, rule="c_v") == 20
    assert T.choose_k(table, rule="perplexity") == 10
    with pytest.raises(ParameterError, match="needs 'perplexity'"):
        T.choose_k(table.assign(perplexity=np.nan), rule="perplexity")


@pytest.mark.parametrize(("text", "ks"), [("5:30:5", [5, 10, 15, 20, 25, 30]), ("12", [12]),
                                          ("5,10,20", [5, 10, 20]), ("3:5", [3, 4, 5])])
def test_parse_k_reads_numbers_ranges_with_stop_included_and_lists(text, ks):
    assert T.parse_k(text) == ks


# --------------------------------------------------------------------------------------------
# Errors
# --------------------------------------------------------------------------------------------

def test_k_below_two_is_refused(synth):
    with pytest.raises(ParameterError, match=r"`k` must be an int >= 2; got 1"):
        T.TopicModel(k=1).fit(synth)


def test_too_few_units_for_k_is_refused():
    tokens = synthetic_tokens(n_per_year=2, years=range(2010, 2016))  # 12 documents
    with pytest.raises(CorpusError, match=r"only 12 units \(unit='document'\) for k=8 topics; need at least 16"):
        T.TopicModel(k=8).fit(tokens)
    with pytest.raises(CorpusError, match="only 12 units .* need at least 14"):
        T.TopicModel(k=7).fit(tokens)
    assert T.TopicModel(k=6, passes=2).fit(tokens).k == 6  # 12 units are enough for 6 topics


def test_fewer_than_ten_units_are_refused_whatever_k():
    tokens = synthetic_tokens(n_per_year=3, years=range(2010, 2013))  # 9 documents
    with pytest.raises(CorpusError, match="only 9 units .* need at least 10"):
        T.TopicModel(k=2).fit(tokens)


def test_corpus_without_tokens_after_preprocessing_is_refused():
    docs = [Document(f"s{i}", "The and of. It is what it is.", "en", "2020") for i in range(12)]
    tokens = preprocess(Corpus.from_documents(docs), cache_dir=None)
    with pytest.raises(CorpusError, match="no tokens left after preprocessing"):
        T.TopicModel(k=2).fit(tokens)


def test_empty_vocabulary_after_filtering_is_refused():
    words = ["alpha", "bravo", "charlie", "delta", "echo", "foxtrot", "golf", "hotel", "india",
             "juliet", "kilo", "lima"]
    docs = [Document(f"s{i}", f"{w.capitalize()} {w}.", "en", "2020") for i, w in enumerate(words)]
    tokens = preprocess(Corpus.from_documents(docs), cache_dir=None)
    with pytest.raises(CorpusError, match=r"vocabulary is empty after filtering.*no_below=5"):
        T.TopicModel(k=2).fit(tokens)


def test_month_periods_with_year_only_dates_are_refused(synth_result):
    model = synth_result.model
    with pytest.raises(ParameterError, match=r"`period`='month' needs dates with a month.*use period='year'"):
        T.prevalence_over_time(model.doc_topic_, model.units_.tokens.metadata, period="month")


@pytest.mark.parametrize(("call", "message"), [
    (lambda tok: T.fit_topics(tok, k=3, method="lsa"), r"`method` must be one of 'lda', 'nmf'; got 'lsa'"),
    (lambda tok: T.fit_topics(tok, k=3, unit="page"), r"`unit` must be one of"),
    (lambda tok: T.fit_topics(tok, k=3, topics=3), r"unknown topic-model setting\(s\) topics"),
    (lambda tok: T.fit_topics(tok, k=3, no_above=1.5), r"`no_above` must be a fraction"),
    (lambda tok: T.parse_k("5:x"), r"`k` must be a number, a range start:stop:step"),
])
def test_bad_settings_get_a_message_naming_them(synth, call, message):
    with pytest.raises(ParameterError, match=message):
        call(synth)


def test_bad_group_and_labels_are_refused(synth_result):
    model = synth_result.model
    with pytest.raises(ParameterError, match=r"`group`='region' is not a document metadata column; available: .*country"):
        T.prevalence_over_time(model.doc_topic_, model.units_.tokens.metadata, group="region")
    with pytest.raises(ParameterError, match="names topic 9, but the model has topics 0..3"):
        T.describe_topics(model, labels={9: "x"}, with_coherence=False)
    with pytest.raises(ParameterError, match="not fitted"):
        T.describe_topics(T.TopicModel(k=3))


# --------------------------------------------------------------------------------------------
# Plots and the output contract
# --------------------------------------------------------------------------------------------

def test_plots_draw_from_the_result_tables(synth_result):
    import matplotlib.pyplot as plt

    r = synth_result
    assert len(TP.plot_top_terms(r.terms, labels=r.labels)) == 4
    assert len(TP.plot_prevalence(r.prevalence)) == 4
    assert len(TP.plot_prevalence(T.prevalence_over_time(r.doc_topics, r.model.units_.tokens.metadata,
                                                        group="country", n_boot=20).by_group,
                                 group="country")) == 4
    ax = TP.plot_topic_map(r.topic_map)
    assert len(ax.texts) == 4
    table = pd.DataFrame({"k": [3, 4], "c_v": [0.5, 0.6], "c_npmi": [0.1, 0.0],
                          "perplexity": [100.0, 90.0], "reconstruction_err": [np.nan] * 2,
                          "stability": [0.9, 0.7], "stability_sd": [0.0, 0.1]})
    assert len(TP.plot_model_selection(table, chosen_k=3)) == 3
    plt.close("all")


def test_model_selection_plot_draws_the_stability_threshold_it_is_given():
    import matplotlib.pyplot as plt

    table = pd.DataFrame({"k": [3, 4], "c_v": [0.5, 0.6], "c_npmi": [0.1, 0.0],
                          "perplexity": [100.0, 90.0], "reconstruction_err": [np.nan] * 2,
                          "stability": [0.9, 0.7], "stability_sd": [0.0, 0.1]})
    stability = TP.plot_model_selection(table, min_stability=T.MIN_STABILITY)[2]
    assert [list(line.get_ydata()) for line in stability.get_lines() if line.get_linestyle() == ":"] == \
        [[T.MIN_STABILITY, T.MIN_STABILITY]]
    stability = TP.plot_model_selection(table)[2]
    assert not [line for line in stability.get_lines() if line.get_linestyle() == ":"]
    plt.close("all")


def test_cli_writes_the_output_contract_with_a_k_range(tmp_path, capsys):
    corpus_dir = tmp_path / "corpus"
    write_corpus(synthetic_documents(n_per_year=5, years=range(2010, 2020)), corpus_dir,
                 info={"name": "synthetic", "synthetic": True})
    out = tmp_path / "out"
    code = main(["topics", str(corpus_dir), "--k", "3:4", "--seed", "0", "--out", str(out),
                 "--passes", "4", "--seeds", "2", "--cache-dir", "none", "--group", "country",
                 "--labels", "0=First"])
    assert code == 0
    printed = capsys.readouterr().out
    assert "chose k=" in printed
    topics = json.loads((out / "topics.json").read_text(encoding="utf-8"))
    selection = pd.read_csv(out / "model_selection.csv")
    k = int(selection.loc[selection["chosen"], "k"].iloc[0])
    assert [t["id"] for t in topics] == list(range(k))
    assert topics[0]["label"] == "First"
    assert all(len(t["terms"]) >= 20 and isinstance(t["terms"][0][0], str) for t in topics)
    doc_topics = pd.read_csv(out / "doc_topics.csv")
    assert doc_topics.columns.tolist() == ["id", *[str(i) for i in range(k)]]
    assert len(doc_topics) == 50
    np.testing.assert_allclose(doc_topics.iloc[:, 1:].sum(axis=1), 1.0, atol=1e-5)
    prevalence = pd.read_csv(out / "prevalence.csv")
    assert prevalence.columns.tolist()[:5] == ["period", "topic", "share", "low", "high"]
    assert (out / "prevalence_by_group.csv").exists()
    assert selection["k"].tolist() == [3, 4]
    params = json.loads((out / "params.json").read_text(encoding="utf-8"))
    assert params["chosen_k"] == k and params["seed"] == 0


def test_cli_prints_a_user_error_without_traceback(tmp_path, capsys):
    corpus_dir = tmp_path / "corpus"
    write_corpus(synthetic_documents(n_per_year=2, years=range(2010, 2016)), corpus_dir)
    code = main(["topics", str(corpus_dir), "--k", "1", "--out", str(tmp_path / "o"), "--cache-dir", "none"])
    err = capsys.readouterr().err
    assert code == 2
    assert err.startswith("error: `k` must be an int >= 2; got 1.")
    assert "Traceback" not in err


# --------------------------------------------------------------------------------------------
# Stored fits: a rerun on the same cached tokens reuses the model
# --------------------------------------------------------------------------------------------

def test_a_fit_on_cached_tokens_is_stored_and_a_rerun_reuses_it(tmp_path, monkeypatch):
    corpus = Corpus.from_documents(synthetic_documents(), name="synthetic")
    tokens = preprocess(corpus, cache_dir=tmp_path, n_jobs=1)
    first = T.TopicModel(k=4, seed=0, passes=5).fit(tokens)
    fresh = T.TopicModel(k=4, seed=0, passes=5).fit(tokens, cache=False)
    np.testing.assert_array_equal(first.topic_term_, fresh.topic_term_)

    def refit(*args, **kwargs):
        raise AssertionError("fitted again")

    monkeypatch.setattr(T.TopicModel, "_fit_units", refit)
    monkeypatch.setattr("analysis.topics.units._build_units", refit)
    rerun_tokens = preprocess(corpus, cache_dir=tmp_path, n_jobs=1)
    again = T.TopicModel(k=4, seed=0, passes=5).fit(rerun_tokens)
    np.testing.assert_array_equal(again.topic_term_, first.topic_term_)
    np.testing.assert_array_equal(again.unit_topic_, first.unit_topic_)
    pd.testing.assert_frame_equal(again.doc_topic_, first.doc_topic_)
    assert again.units_.tokens is rerun_tokens  # the stored model is joined to the tokens in hand
    described = T.describe_topics(again, with_coherence=True)
    assert len(described.topics) == 4
    with pytest.raises(AssertionError, match="fitted again"):
        T.TopicModel(k=4, seed=1, passes=5).fit(rerun_tokens)  # another seed is another model
    with pytest.raises(AssertionError, match="fitted again"):
        T.TopicModel(k=4, seed=0, passes=5).fit(rerun_tokens, cache=False)


def test_coherence_of_a_stored_fit_is_stored_and_read_back(tmp_path, monkeypatch):
    corpus = Corpus.from_documents(synthetic_documents(), name="synthetic")
    model = T.TopicModel(k=4, seed=0, passes=5).fit(preprocess(corpus, cache_dir=tmp_path, n_jobs=1))
    first = T.describe_topics(model, with_coherence=True).topics

    def recount(*args, **kwargs):
        raise AssertionError("coherence computed again")

    monkeypatch.setattr("analysis.topics.describe.coherence", recount)
    again = T.describe_topics(model, with_coherence=True).topics
    pd.testing.assert_frame_equal(again, first)
    with pytest.raises(AssertionError, match="computed again"):  # other topic lists: computed
        T.stored_coherence([["a", "b"]], model.units_)


def test_units_of_tokens_held_in_memory_are_not_stored(synth):
    units = T.prepare_units(synth)
    assert units.fingerprint is None
