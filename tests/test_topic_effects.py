"""Topic effects (analysis.topics.effects) and held-out fit (analysis.topics.evaluation): planted
shares recovered with honest intervals, composition against bootstrap, document completion on a
corpus drawn from a known LDA model, the output contract and the messages."""

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
from analysis.corpus import Document, write_corpus
from analysis.errors import ParameterError
from analysis.figures.plots import topics as TP
from analysis.preprocess import PreprocessParams, ProcessedDoc, Tokens
from analysis.topics import effects as E
from analysis.topics import evaluation as V

# --------------------------------------------------------------------------------------------
# Corpora with planted shares, as preprocessing would give them (tokens built directly: fast)
# --------------------------------------------------------------------------------------------

SYL = ["ka", "lo", "mi", "ru", "ze", "po", "ta", "vi", "no", "se", "du", "fa"]
N_WORDS = 12
FIRST, LAST = 2000, 2011


def topic_words(t: int) -> list[str]:
    """Twelve made-up words of planted topic `t` (disjoint between topics)."""
    return [SYL[t] + SYL[(t + j) % 12] + SYL[(3 * t + 2 * j + 1) % 12] + "x" for j in range(N_WORDS)]


def planted_mean(f: float, group_b: bool = False) -> np.ndarray:
    """Expected shares at time fraction f in [0, 1]: topic 0 rises 0.05 -> 0.5, topic 1 falls
    0.5 -> 0.05, topics 2 and 3 stay at 0.225 (group B: topic 2 +0.1, topic 3 -0.1)."""
    m = np.array([0.05 + 0.45 * f, 0.5 - 0.45 * f, 0.225, 0.225])
    if group_b:
        m[2] += 0.1
        m[3] -= 0.1
    return m


TRUE_FIRST_TO_LAST = planted_mean(1.0) - planted_mean(0.0)  # [+0.45, -0.45, 0, 0]


def make_tokens(records: list[tuple[str, list[list[str]], dict]], name: str = "planted") -> Tokens:
    """In-memory `Tokens` from (id, sentences of tokens, metadata) records."""
    docs, rows = {}, []
    for doc_id, sents, meta in records:
        docs[doc_id] = ProcessedDoc(doc_id, [" ".join(s) for s in sents], sents, sum(map(len, sents)))
        rows.append({"id": doc_id, "date": meta["date"], "date_precision": "year",
                     "year": int(meta["date"][:4]), "language": "en",
                     "n_tokens": sum(map(len, sents)), **{k: v for k, v in meta.items() if k != "date"}})
    metadata = pd.DataFrame(rows).set_index("id")
    return Tokens(metadata, PreprocessParams(), name=name, hash=name, cache=None, keys={},
                  memory=docs)


def planted_tokens(seed: int, n_docs: int = 120, doc_len: int = 40, conc: float = 2.0,
                   groups: bool = False) -> Tokens:
    """Documents of a random year in FIRST..LAST with shares θ ~ Dirichlet(conc · planted_mean)."""
    rng = np.random.default_rng(seed)
    words = [topic_words(t) for t in range(4)]
    records = []
    for i in range(n_docs):
        year = int(rng.integers(FIRST, LAST + 1))
        group = "AB"[i % 2]
        theta = rng.dirichlet(conc * planted_mean((year - FIRST) / (LAST - FIRST), groups and group == "B"))
        z = rng.choice(4, size=doc_len, p=theta)
        toks = [words[t][rng.integers(N_WORDS)] for t in z]
        records.append((f"d{i:03d}", [toks[j : j + 8] for j in range(0, doc_len, 8)],
                        {"date": str(year), "org": group}))
    return make_tokens(records)


def fit_planted(tokens: Tokens, seed: int, passes: int = 30) -> tuple[T.TopicModel, np.ndarray]:
    """A k=4 LDA fit and, for each planted topic, the fitted topic matched to it (Hungarian
    assignment on the fitted probability of the planted topic's words)."""
    model = T.TopicModel(k=4, seed=seed, passes=passes, no_below=2, no_above=1.0).fit(tokens, cache=False)
    vocab = {w: j for j, w in enumerate(model.vocab_)}
    mass = np.array([[model.topic_term_[f, [vocab[w] for w in topic_words(p) if w in vocab]].sum()
                      for f in range(4)] for p in range(4)])
    rows, cols = linear_sum_assignment(-mass)
    return model, cols[np.argsort(rows)]


def first_to_last(result: E.EffectsResult) -> pd.DataFrame:
    return result.effects[result.effects["contrast"] == E.FIRST_TO_LAST].set_index("topic")


# --------------------------------------------------------------------------------------------
# Planted rise and fall: signs, flat topics and the coverage of the true contrast
# --------------------------------------------------------------------------------------------

N_SIMULATED = 40


@pytest.fixture(scope="module")
def simulated():
    """Composition intervals of first-to-last on 40 simulated corpora: per corpus, per planted
    topic (estimate, ci_low, ci_high)."""
    out = []
    for seed in range(N_SIMULATED):
        model, match = fit_planted(planted_tokens(seed, n_docs=160), seed)
        e = first_to_last(E.effect(model, "year", n_draws=20, n_coef=5))
        out.append([tuple(e.loc[match[p], ["estimate", "ci_low", "ci_high"]]) for p in range(4)])
    return np.array(out)  # (corpora, planted topic, 3)


def test_planted_rise_and_fall_are_found_with_the_right_sign_in_every_corpus(simulated):
    low, high = simulated[:, :, 1], simulated[:, :, 2]
    assert (low[:, 0] > 0).all(), "the rising topic's interval must lie above 0"
    assert (high[:, 1] < 0).all(), "the falling topic's interval must lie below 0"


def test_flat_topics_include_zero_in_at_least_90_percent_of_corpora(simulated):
    low, high = simulated[:, 2:, 1], simulated[:, 2:, 2]
    assert ((low <= 0) & (high >= 0)).mean() >= 0.9


def test_nominal_95_percent_intervals_cover_the_true_contrast_in_90_percent_of_corpora(simulated):
    truth = TRUE_FIRST_TO_LAST[None, :]
    covered = (simulated[:, :, 1] <= truth) & (truth <= simulated[:, :, 2])
    assert covered.mean() >= 0.9
    assert (covered.mean(axis=0) >= 0.85).all(), covered.mean(axis=0)


def test_estimates_are_close_to_the_planted_contrast_on_average(simulated):
    np.testing.assert_allclose(simulated[:, :, 0].mean(axis=0), TRUE_FIRST_TO_LAST, atol=0.05)


# --------------------------------------------------------------------------------------------
# Topic-model uncertainty widens the intervals
# --------------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def short_docs():
    tokens = planted_tokens(101, n_docs=150, doc_len=8, conc=2.0)  # short: a wide posterior
    model, _ = fit_planted(tokens, 0)
    return model


def _width(result: E.EffectsResult) -> np.ndarray:
    e = first_to_last(result)
    return (e["ci_high"] - e["ci_low"]).to_numpy()


def test_composition_intervals_are_wider_than_the_document_bootstrap_on_the_same_corpus(short_docs):
    comp = E.effect(short_docs, "year", uncertainty="composition", n_draws=50)
    boot = E.effect(short_docs, "year", uncertainty="bootstrap", n_boot=500)
    none = E.effect(short_docs, "year", uncertainty="none", n_draws=50)
    assert (_width(comp) > _width(boot)).all(), (_width(comp), _width(boot))
    assert _width(comp).mean() > 1.1 * _width(boot).mean()
    assert (_width(comp) > _width(none)).all()
    assert "include the topic model's uncertainty" in comp.interval
    assert "leave out the topic model's uncertainty" in boot.interval


def test_unit_gamma_is_the_posterior_behind_the_unit_shares(short_docs):
    gamma = E.unit_gamma(short_docs)
    np.testing.assert_allclose(gamma / gamma.sum(axis=1, keepdims=True), short_docs.unit_topic_, atol=1e-12)


def test_same_model_formula_and_seed_give_identical_effects(short_docs):
    a = E.effect(short_docs, "s(year, 4)", n_draws=5, seed=3)
    b = E.effect(short_docs, "s(year, 4)", n_draws=5, seed=3)
    c = E.effect(short_docs, "s(year, 4)", n_draws=5, seed=4)
    pd.testing.assert_frame_equal(a.effects, b.effects)
    pd.testing.assert_frame_equal(a.over_time, b.over_time)
    assert not a.effects["ci_low"].equals(c.effects["ci_low"])


# --------------------------------------------------------------------------------------------
# Smooth time, groups and their interaction; the output contract
# --------------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def grouped():
    tokens = planted_tokens(7, n_docs=240, doc_len=40, groups=True)
    model, match = fit_planted(tokens, 0)
    return model, match


def test_smooth_time_and_group_give_each_level_minus_the_reference_and_bands_per_group(grouped):
    model, match = grouped
    res = E.effect(model, "s(year) + org", n_draws=20)
    names = list(dict.fromkeys(res.effects["contrast"]))
    assert names == [E.FIRST_TO_LAST, "org: B - A"]
    g = res.effects[res.effects["contrast"] == "org: B - A"].set_index("topic")
    assert g.loc[match[2], "ci_low"] > 0 and g.loc[match[3], "ci_high"] < 0  # planted +0.1 / -0.1
    assert g.loc[match[2], "ci_low"] < 0.1 < g.loc[match[2], "ci_high"]
    f = first_to_last(res)
    assert f.loc[match[0], "ci_low"] > 0 and f.loc[match[1], "ci_high"] < 0
    ot = res.over_time
    assert sorted(ot["group"].unique()) == ["A", "B"]
    assert ot["year"].min() == FIRST and ot["year"].max() == LAST
    assert len(ot) == 2 * (LAST - FIRST + 1) * 4
    assert (ot["ci_low"] <= ot["estimate"]).all() and (ot["estimate"] <= ot["ci_high"]).all()
    # expected shares over time sum to one across topics (a linear model of shares that do)
    sums = ot.groupby(["group", "year"])["estimate"].sum()
    np.testing.assert_allclose(sums, 1.0, atol=1e-9)
    assert res.params["reference_levels"] == {"org": "A"}
    assert res.params["patsy_formula"] == "bs(year, df=5, degree=3) + org"


def test_an_interaction_gives_first_to_last_per_group(grouped):
    model, _ = grouped
    res = E.effect(model, "s(year, 4) * org", n_draws=5)
    names = set(res.effects["contrast"])
    assert {E.FIRST_TO_LAST, f"{E.FIRST_TO_LAST} | org=A", f"{E.FIRST_TO_LAST} | org=B", "org: B - A"} <= names
    assert len(res.effects) == len(names) * 4


def test_write_gives_effects_csv_with_the_contract_columns_and_the_interval_kind(grouped, tmp_path):
    model, _ = grouped
    res = E.effect(model, "year + org", uncertainty="bootstrap", n_boot=50)
    written = res.write(tmp_path)
    table = pd.read_csv(tmp_path / "effects.csv")
    assert table.columns.tolist() == ["topic", "contrast", "estimate", "ci_low", "ci_high"]
    assert len(table) == 2 * 4
    params = json.loads((tmp_path / "params.json").read_text(encoding="utf-8"))
    assert params["uncertainty"] == "bootstrap" and "resampling documents" in params["interval"]
    assert (tmp_path / "effects_over_time.csv") in written


def test_plots_draw_from_the_result_tables(grouped):
    import matplotlib.pyplot as plt

    model, _ = grouped
    res = E.effect(model, "s(year) + org", n_draws=3)
    axes = TP.plot_effect_over_time(res.over_time, labels={0: "zero"})
    assert len(axes) == 4
    ax = TP.plot_contrasts(res.effects, labels={0: "zero"})
    assert len(ax.get_yticklabels()) == 4
    plt.close("all")


# --------------------------------------------------------------------------------------------
# NMF and bad input
# --------------------------------------------------------------------------------------------

def test_nmf_has_no_posterior_so_composition_is_refused_and_the_bootstrap_is_labelled(grouped):
    model, _ = grouped
    nmf = T.TopicModel(k=4, method="nmf", seed=0, no_below=2, no_above=1.0).fit(model.units_)
    with pytest.raises(ParameterError, match="method='nmf' has none; use uncertainty='bootstrap'"):
        E.effect(nmf, "year")
    res = E.effect(nmf, "year", uncertainty="bootstrap", n_boot=50)
    assert res.params["method"] == "nmf" and res.params["uncertainty"] == "bootstrap"


@pytest.mark.parametrize(("formula", "message"), [
    ("s(year) + region", "names 'region', which is not a document metadata column; available: "),
    ("topic ~ year", "gives the covariates only"),
    ("s(year, 2)", "needs df >= 3"),
    ("", "non-empty string"),
    ("year + ", "cannot be read"),
])
def test_bad_formulas_get_a_message_naming_the_problem(grouped, formula, message):
    model, _ = grouped
    with pytest.raises(ParameterError, match=message):
        E.effect(model, formula, n_draws=2)


def test_bad_settings_are_refused(grouped):
    model, _ = grouped
    with pytest.raises(ParameterError, match="`uncertainty` must be one of"):
        E.effect(model, "year", uncertainty="global")
    with pytest.raises(ParameterError, match="not fitted"):
        E.effect(T.TopicModel(k=3), "year")


def test_formula_variables_skip_patsy_words_and_quoted_levels():
    assert E.formula_variables("s(year) * C(org, Treatment('B')) + np.log(size)") == ["year", "org", "size"]
    assert E.translate_formula("s(year, 4) + s(n)") == "bs(year, df=4, degree=3) + bs(n, df=5, degree=3)"


# --------------------------------------------------------------------------------------------
# Held-out fit by document completion, on a corpus drawn from a known LDA model
# --------------------------------------------------------------------------------------------

def lda_tokens(seed: int, k_true: int = 5, n_docs: int = 200, doc_len: int = 50, n_terms: int = 150,
               alpha: float = 0.2, eta: float = 0.05) -> Tokens:
    """Documents drawn from LDA: β_k ~ Dirichlet(eta), θ_d ~ Dirichlet(alpha), words from them."""
    rng = np.random.default_rng(seed)
    vocab = [f"w{chr(97 + i // 26)}{chr(97 + i % 26)}" for i in range(n_terms)]
    beta = rng.dirichlet(np.full(n_terms, eta), size=k_true)
    records = []
    for d in range(n_docs):
        theta = rng.dirichlet(np.full(k_true, alpha))
        z = rng.choice(k_true, size=doc_len, p=theta)
        toks = [vocab[rng.choice(n_terms, p=beta[t])] for t in z]
        records.append((f"d{d:03d}", [toks[i : i + 10] for i in range(0, doc_len, 10)], {"date": "2000"}))
    return make_tokens(records, name="lda")


@pytest.mark.parametrize("seed", [0, 1])
def test_document_completion_perplexity_is_lowest_near_the_true_k(seed):
    units = T.prepare_units(lda_tokens(seed, n_docs=100), no_below=2, cache=False)
    split = V.heldout_split(units, 0.2, seed=seed)
    ppl = {k: V.document_completion_perplexity(T.TopicModel(k=k, seed=seed, no_below=2, passes=15), split)
           for k in (2, 5, 25)}
    assert ppl[5] < ppl[2] and ppl[5] < ppl[25], ppl


def test_heldout_vocabulary_comes_from_the_training_units_only():
    records = [(f"d{i:02d}", [["alpha", "beta", "gamma", f"only{i}", f"only{i}"], ["delta", "alpha"]],
                {"date": "2000"}) for i in range(40)]
    units = T.prepare_units(make_tokens(records), no_below=1, no_above=1.0, cache=False)
    assert {f"only{i}" for i in range(40)} <= set(units.vocab)
    split = V.heldout_split(units, 0.25, seed=0)
    held = set(range(40)) - {int(d[1:]) for d in split.train.frame["doc_id"]}
    assert len(held) == 10
    vocab = set(split.train.vocab)
    assert not {f"only{i}" for i in held} & vocab
    assert {f"only{i}" for i in set(range(40)) - held} <= vocab
    # each held-out unit: 5 of its 7 tokens are in the training vocabulary; halves of 2 and 3
    assert split.n_oov == 2 * len(held)
    assert split.first.sum() == 2 * len(held) and split.second.sum() == 3 * len(held)


def test_select_k_reports_document_completion_perplexity():
    sel = T.select_k(lda_tokens(3, n_docs=80), [2, 5], n_seeds=2, passes=5, no_below=2)
    assert sel.table["perplexity"].gt(1).all()
    assert sel.params["perplexity"].startswith("document completion")


def test_reference_coherence_counts_on_the_reference_corpus_and_reports_missing_terms():
    tokens = planted_tokens(5, n_docs=60)
    together = [topic_words(0)[:6], topic_words(1)[:6]]
    mixed = [topic_words(0)[:3] + topic_words(1)[:3]]
    out = V.reference_coherence(together + mixed + [["nowhere", "absent", topic_words(2)[0]]], tokens)
    assert out["c_npmi_reference"].iloc[0] > out["c_npmi_reference"].iloc[2]
    assert out["n_terms_missing"].tolist() == [0, 0, 0, 2]
    assert np.isnan(out["c_npmi_reference"].iloc[3])


# --------------------------------------------------------------------------------------------
# The command line
# --------------------------------------------------------------------------------------------

def test_cli_writes_effects_csv_for_an_effect_formula(tmp_path, capsys):
    rng = np.random.default_rng(0)
    docs = []
    for i in range(60):
        year = 2000 + i % 10
        w = [topic_words(int(rng.random() < 0.1 + 0.08 * (year - 2000)))[rng.integers(N_WORDS)]
             for _ in range(40)]
        text = " ".join(" ".join(w[j : j + 8]).capitalize() + "." for j in range(0, 40, 8))
        docs.append(Document(f"d{i:02d}", text, "en", str(year), {"organization": "XY"[i % 2]}))
    write_corpus(docs, tmp_path / "corpus", info={"name": "planted", "synthetic": True})
    out = tmp_path / "out"
    code = main(["topics", str(tmp_path / "corpus"), "--k", "2", "--out", str(out), "--cache-dir", "none",
                 "--no-below", "2", "--no-above", "1.0", "--passes", "10", "--no-coherence", "--effect", "s(year, 3) + organization",
                 "--effect-draws", "5"])
    assert code == 0
    printed = capsys.readouterr().out
    assert "first-to-last" in printed and "method of composition" in printed
    table = pd.read_csv(out / "effects" / "effects.csv")
    assert table.columns.tolist() == ["topic", "contrast", "estimate", "ci_low", "ci_high"]
    assert set(table["contrast"]) == {E.FIRST_TO_LAST, "organization: Y - X"}
    assert (out / "effects" / "effects_over_time.csv").exists()


def test_topics_effect_is_the_same_call(short_docs):
    a = T.effect(short_docs, "year", n_draws=3)
    b = E.effect(short_docs, "year", n_draws=3)
    pd.testing.assert_frame_equal(a.effects, b.effects)
