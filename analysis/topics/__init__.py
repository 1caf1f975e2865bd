"""Topic models on a preprocessed corpus: fit, choose k, describe, prevalence over time, topic map,
topics against covariates.

Two methods share one interface:

- ``"lda"``: latent Dirichlet allocation (Blei, Ng and Jordan 2003) fitted by online variational
  Bayes (Hoffman, Blei and Bach 2010) with gensim's single-process ``LdaModel`` and a fixed
  ``random_state``; its per-document E-step is compiled (`analysis.topics.lda.CsrLda`, numba, on
  fixed blocks of documents over the cores), the same numbers as gensim's to about 1e-10. gensim's ``LdaMulticore`` is not used: with a fixed seed two runs still differ
  (its workers merge updates in the order they finish), and exact reruns are a requirement here.
- ``"nmf"``: non-negative matrix factorisation of the TF-IDF matrix (scikit-learn ``NMF``,
  NNDSVDa start, Frobenius loss).

Units of analysis (``unit=``): whole documents, "paragraphs" (consecutive groups of
``paragraph_size`` sentences: the blank-line paragraphs of the source are not kept by
preprocessing, so a paragraph here is a fixed number of sentences), or chunks of ``chunk_size``
tokens (long UN speeches). Unit topic shares go back to documents as a token-weighted mean.

The estimator follows scikit-learn habits: ``TopicModel(k=..., seed=...)`` stores settings, ``fit``
returns ``self``, learned state ends in ``_``. ``describe_topics`` turns a fitted model into one
``TopicsResult`` (tables + parameters, ``write(out_dir)``); ``fit_topics`` does both in one call;
``select_k`` fits a range of k and ``choose_k`` applies a stated rule to its table.

Modules: `units` (units of analysis, vocabulary, counts), `model` (`TopicModel`, FREX), `describe`
(labels, exemplars, coherence, stability, topic map), `prevalence` (shares over time), `select`
(choosing k, unit fallback), `result` (`TopicsResult`, `describe_topics`, `fit_topics`), `effects`
(prevalence regression on covariates, as stm's ``estimateEffect``), `evaluation` (held-out
perplexity, reference coherence).
The plots of these results are in `analysis.figures.plots.topics`.
"""

from analysis.topics.describe import (
    COHERENCE_MEASURES,
    COHERENCE_UNITS,
    auto_labels,
    classical_mds,
    coherence,
    coherence_sample,
    compare_with_key_terms,
    js_distances,
    match_topics,
    representative_documents,
    representative_sentences,
    stability,
    stored_coherence,
    terms_table,
    top_term_sets,
    topic_given_term,
    topic_map,
)
from analysis.topics.effects import EffectsResult, effect
from analysis.topics.evaluation import (
    HeldoutSplit,
    document_completion_perplexity,
    heldout_split,
    reference_coherence,
)
from analysis.topics.model import METHODS, TopicModel, frex
from analysis.topics.prevalence import Prevalence, prevalence_over_time
from analysis.topics.result import TopicsResult, describe_topics, fit_topics
from analysis.topics.select import (
    DEFAULT_RULE,
    MIN_STABILITY,
    SELECTION_RULES,
    ModelSelection,
    UnitPlan,
    choose_k,
    parse_k,
    plan_units,
    select_k,
)
from analysis.topics.units import (
    MIN_UNITS,
    UNITS,
    Progress,
    Units,
    UnitTexts,
    prepare_units,
    split_units,
)

__all__ = [
    "COHERENCE_MEASURES", "COHERENCE_UNITS", "DEFAULT_RULE", "METHODS", "MIN_STABILITY", "MIN_UNITS", "SELECTION_RULES",
    "UNITS",
    "EffectsResult", "HeldoutSplit", "ModelSelection", "Prevalence", "Progress", "TopicModel",
    "TopicsResult", "UnitPlan", "UnitTexts", "Units",
    "auto_labels", "choose_k", "classical_mds", "coherence", "coherence_sample",
    "compare_with_key_terms",
    "describe_topics", "document_completion_perplexity", "effect", "fit_topics", "frex",
    "heldout_split", "js_distances", "match_topics", "parse_k", "plan_units", "prepare_units",
    "prevalence_over_time", "reference_coherence", "representative_documents",
    "representative_sentences", "select_k", "split_units", "stability", "stored_coherence",
    "terms_table", "top_term_sets", "topic_given_term", "topic_map",
]
