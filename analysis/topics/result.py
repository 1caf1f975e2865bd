"""The result of a topic model: `TopicsResult` (tables, parameters, notes, ``write(out_dir)``),
made by `describe_topics` from a fitted model or by `fit_topics` in one call.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, ClassVar

import pandas as pd

from analysis.errors import ParameterError, check_int
from analysis.preprocess import Tokens
from analysis.preprocess.periods import check_period
from analysis.results import Result, result_params
from analysis.stats import CI_LEVEL, N_BOOT
from analysis.topics.describe import (
    COHERENCE_MEASURES,
    COHERENCE_UNITS,
    _resolve_labels,
    coherence_note,
    coherence_reference,
    representative_documents,
    representative_sentences,
    stored_coherence,
    terms_table,
    topic_map,
)
from analysis.topics.model import TopicModel, _model_from
from analysis.topics.prevalence import prevalence_over_time
from analysis.topics.select import ModelSelection
from analysis.topics.units import Progress, Units

logger = logging.getLogger(__name__)


@dataclass(eq=False)
class TopicsResult(Result):
    """A fitted topic model described: tables plus the parameters that made them.

    topics : one row per topic: topic, label, prevalence (mean document share), c_v, c_npmi
        (on the training units, or the seeded sample of them that params["coherence"] names),
        top_terms, frex_terms (top 10 as text).
    terms : top terms per topic by probability and by FREX (see `terms_table`).
    doc_topics : documents x topics (index ``id``; token-weighted mean of their units' shares).
    prevalence : period, topic, share, low, high, label, n_docs (see `prevalence_over_time`).
    prevalence_by_group : the same per group, or None.
    representative_docs, representative_sentences, topic_map : see the functions of those names.
    selection : the `ModelSelection` when k was chosen from a range.
    params : the model's settings, corpus, versions, preprocessing, period, group, n_undated and
        chosen_k (None unless k was chosen from a range).
    """

    params: dict
    topics: pd.DataFrame
    terms: pd.DataFrame
    doc_topics: pd.DataFrame
    prevalence: pd.DataFrame
    prevalence_by_group: pd.DataFrame | None
    representative_docs: pd.DataFrame
    representative_sentences: pd.DataFrame
    topic_map: pd.DataFrame
    period: str | None
    group: str | None
    n_undated: int
    notes: list[str]
    selection: ModelSelection | None = field(default=None, repr=False)
    model: TopicModel | None = field(default=None, repr=False)
    float_format: ClassVar[str | None] = "%.6g"

    @property
    def labels(self) -> dict[int, str]:
        return dict(zip(self.topics["topic"], self.topics["label"], strict=True))

    @property
    def k(self) -> int:
        return len(self.topics)

    def relabel(self, labels: dict[int, str]) -> TopicsResult:
        """A copy with some topics renamed (``{topic_id: "name"}``); other labels stay."""
        new = self.labels
        for key, value in labels.items():
            t = int(key)
            if t not in new:
                raise ParameterError(f"`labels` names topic {t}, but the topics are 0..{self.k - 1}.")
            new[t] = str(value)

        def lab(frame: pd.DataFrame | None) -> pd.DataFrame | None:
            if frame is None or "label" not in frame:
                return frame
            return frame.assign(label=frame["topic"].map(new))

        return replace(self, topics=lab(self.topics), prevalence=lab(self.prevalence),
                       prevalence_by_group=lab(self.prevalence_by_group), topic_map=lab(self.topic_map),
                       params={**self.params, "labels": {str(t): v for t, v in new.items()}})

    def topics_json(self, n: int = 20) -> list[dict]:
        """The ``topics.json`` records: id, label, prevalence, c_v and c_npmi (when coherence was
        counted; params["coherence"] says on which units), terms [[term, prob]], frex [[term, score]]."""
        out = []
        measures = [m for m in COHERENCE_MEASURES if m in self.topics.columns]
        for _, row in self.topics.iterrows():
            t = int(row["topic"])
            sel = self.terms[self.terms["topic"] == t]
            prob = sel[sel["by"] == "prob"].sort_values("rank").head(n)
            fx = sel[sel["by"] == "frex"].sort_values("rank").head(n)
            out.append({"id": t, "label": row["label"], "prevalence": float(row["prevalence"]),
                        **{m: float(row[m]) for m in measures},
                        "terms": [[w, float(p)] for w, p in zip(prob["term"], prob["prob"], strict=True)],
                        "frex": [[w, float(s)] for w, s in zip(fx["term"], fx["frex"], strict=True)]})
        return out

    def tables(self) -> dict[str, pd.DataFrame]:
        """doc_topics, prevalence (+ by group), terms, representative_docs, representative_sentences
        and topic_map (numbers with 6 significant digits); topics.json and model_selection.csv
        (when k was chosen) are written beside them."""
        out = {"doc_topics": self.doc_topics.reset_index(), "prevalence": self.prevalence}
        if self.prevalence_by_group is not None:
            out["prevalence_by_group"] = self.prevalence_by_group
        return {**out, "terms": self.terms, "representative_docs": self.representative_docs,
                "representative_sentences": self.representative_sentences, "topic_map": self.topic_map}

    def extra_files(self, out: Path) -> list[Path]:
        path = out / "topics.json"
        path.write_text(json.dumps(self.topics_json(), ensure_ascii=False, indent=1), encoding="utf-8")
        written = [path]
        if self.selection is not None:
            for stem, table in self.selection.tables().items():
                written += self.selection._write_table(stem, table, out, False)
        return written


def describe_topics(model: TopicModel, *, labels: dict | None = None, period: str | None = "auto",
                    group: str | None = None, n_terms: int = 20, n_docs: int = 5, n_sentences: int = 5,
                    with_coherence: bool = True, n_boot: int = N_BOOT, level: float = CI_LEVEL,
                    selection: ModelSelection | None = None,
                    coherence_units: int | None = COHERENCE_UNITS) -> TopicsResult:
    """Describe a fitted `TopicModel`: terms (probability and FREX), labels (top 3 FREX terms unless
    given in `labels`), coherence, exemplar documents and sentences, prevalence over time (by
    `period` and `group`, bootstrap CIs with the model's seed) and the topic map.

    Coherence is counted on a seeded random sample of `coherence_units` training units (the
    model's seed; every unit when there are fewer, or with None), which params["coherence"] and
    a note state."""
    if not hasattr(model, "topic_term_"):
        raise ParameterError("the topic model is not fitted; call `fit(tokens)` first.")
    n_terms = check_int("n_terms", n_terms, minimum=1)
    lab = _resolve_labels(model, labels)
    terms = terms_table(model, n_terms)
    top = [[w for w, _ in t] for t in model.top_terms(10)]
    top_frex = [[w for w, _ in t] for t in model.top_terms(10, by="frex")]
    topics = pd.DataFrame({"topic": range(model.k), "label": [lab[t] for t in range(model.k)],
                           "prevalence": model.prevalence_})
    reference = None
    if with_coherence:
        coh = stored_coherence(top, model.units_, n_units=coherence_units, seed=model.seed)
        for m in COHERENCE_MEASURES:
            topics[m] = coh[m].to_numpy()
        reference = {"measures": list(COHERENCE_MEASURES), "topn": 10,
                     **coherence_reference(model.units_, coherence_units, model.seed)}
    topics["top_terms"] = [", ".join(t) for t in top]
    topics["frex_terms"] = [", ".join(t) for t in top_frex]
    tokens = model.units_.tokens
    prev = prevalence_over_time(model.doc_topic_, tokens.metadata, period=period, group=group, labels=lab,
                                n_boot=n_boot, level=level, seed=model.seed)
    notes = list(prev.notes)
    if reference is not None and coherence_note(reference):
        notes.append(coherence_note(reference))
    n_no_units = len(tokens) - model.doc_topic_.shape[0]
    if n_no_units:
        notes.insert(0, f"{n_no_units} of {len(tokens)} documents have no tokens in the vocabulary "
                        "and get no topic shares.")
    params = {**result_params(tokens, model.get_params()),
              "preprocess": tokens.params.to_dict(), "n_documents": int(model.doc_topic_.shape[0]),
              "n_units": len(model.units_), "n_units_dropped": model.units_.n_dropped,
              "n_terms": int(model.topic_term_.shape[1]), "period": prev.period, "group": group,
              "n_boot": n_boot, "level": level, "labels": {str(t): v for t, v in lab.items()},
              "n_undated": prev.n_undated, "chosen_k": selection.chosen_k if selection is not None else None,
              "coherence": reference}
    return TopicsResult(
        params=params, topics=topics, terms=terms, doc_topics=model.doc_topic_, prevalence=prev.table,
        prevalence_by_group=prev.by_group, representative_docs=representative_documents(model, n_docs),
        representative_sentences=representative_sentences(model, n_sentences),
        topic_map=topic_map(model, lab), period=prev.period, group=group, n_undated=prev.n_undated,
        notes=notes, selection=selection, model=model)


def fit_topics(data: Tokens | Units, *, labels: dict | None = None, period: str | None = "auto",
               group: str | None = None, n_terms: int = 20, with_coherence: bool = True,
               n_boot: int = N_BOOT, selection: ModelSelection | None = None,
               progress: Progress | None = None, coherence_units: int | None = COHERENCE_UNITS,
               **settings: Any) -> TopicsResult:
    """Fit a `TopicModel` with `settings` (k, method, unit, seed, ...) and describe it
    (`describe_topics`, coherence on `coherence_units` units)."""
    check_period(period)  # before the fit, not after it
    model = _model_from(settings).fit(data, progress=progress)
    return describe_topics(model, labels=labels, period=period, group=group, n_terms=n_terms,
                           with_coherence=with_coherence, n_boot=n_boot, selection=selection,
                           coherence_units=coherence_units)
