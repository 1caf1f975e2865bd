"""Keyword trends: term rates per period and group with document-aware intervals,
rising/falling terms (quasi-Poisson trend test with Benjamini-Hochberg), keyness (G², log
ratio), KWIC concordance, collocations and lexical dispersion. Their plots are in
`analysis.figures.plots.trends`.

Typical use::

    from analysis.corpus import load_corpus
    from analysis.preprocess import preprocess
    from analysis import trends

    tokens = preprocess(load_corpus("corpus/demo"))                 # lemmas
    result = trends.term_trends(tokens, "multipolar world,terrorism", trends.TrendSettings(period="year"))
    result.rates, result.tests                                      # tables
    trends.keyness(tokens, "after:2014").top("target")
    print(trends.kwic(tokens, "multipolar world"))
"""

from analysis.trends.concordance import (
    CollocationResult,
    Concordance,
    Dispersion,
    collocation_scores,
    collocations,
    kwic,
    term_dispersion,
)
from analysis.trends.keyness import KeynessResult, keyness, parse_split
from analysis.trends.models import pearson_dispersion, poisson_trend, quasi_poisson_rate_ci
from analysis.trends.rates import (
    BOOTSTRAP_MIN_DOCS,
    CI_METHODS,
    TrendResult,
    TrendSettings,
    rate_table,
    term_trends,
    trend_tests,
)
from analysis.trends.terms import (
    FORMS,
    TermCounts,
    TermPattern,
    count_terms,
    count_vocabulary,
    params_for_form,
    parse_term,
    parse_terms,
)
from analysis.trends.totals import Totals, term_totals, vocabulary_totals

__all__ = [
    "BOOTSTRAP_MIN_DOCS", "CI_METHODS", "FORMS",
    "CollocationResult", "Concordance", "Dispersion", "KeynessResult", "TermCounts",
    "TermPattern", "Totals", "TrendResult", "TrendSettings",
    "collocation_scores", "collocations", "count_terms",
    "count_vocabulary", "keyness", "kwic", "params_for_form",
    "parse_split", "parse_term", "parse_terms", "pearson_dispersion",
    "poisson_trend", "quasi_poisson_rate_ci",
    "rate_table", "term_dispersion", "term_totals", "term_trends", "trend_tests", "vocabulary_totals",
]

