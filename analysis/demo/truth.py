"""The planted truth of the demo corpus as data (`truth.json`): what was planted, what was realised.

Term counts and rates are measured on the generated texts after default preprocessing, so the
truth matches what the methods see.
"""

from __future__ import annotations

import json
import random
from typing import Any

from analysis.demo.design import (
    GENERATOR_NAME,
    GENERATOR_VERSION,
    HARD_CASE_PROBABILITY,
    N_LABELLED,
    TERM_DESIGN,
    TOPIC_DRIFT,
    TOPIC_KEY_TERMS,
    TOPIC_KEY_TERMS_RU,
    TOPIC_LABELS,
    TOPICS,
    YEARS,
    multipolarity_probability,
    term_probability,
    topic_shares,
)
from analysis.demo.render import Sentence
from analysis.preprocess.pipeline import PreprocessParams, process_sentence


def _sentence_record(doc_id: str, i: int, s: Sentence, language: str) -> dict[str, Any]:
    return {"doc": doc_id, "sentence_index": i, "language": language, "text": s.text,
            "threat": s.threat, "multipolarity": s.multipolarity, "cooperation": s.cooperation,
            "partners": list(s.partners), "source": s.source}


def planted_truth(raw: list[tuple[str, dict[str, Any]]], rng: random.Random,
                  seed: int) -> dict[str, Any]:
    """The truth of the generated documents `raw` ((id, document record) in corpus order).

    `rng` is the generator's stream after the documents: it draws the labelled subset.
    """
    by_year: dict[int, list[dict[str, Any]]] = {y: [] for y in YEARS}
    for doc_id, d in raw:
        by_year[int(d["date"][:4])].append({"id": doc_id, **d})

    # Topics: planted share and realised mean document share by year.
    topics: dict[str, Any] = {}
    for t in TOPICS:
        realised = {}
        for y in YEARS:
            props = [d["topics"].get(t, 0) / sum(d["topics"].values()) for d in by_year[y]]
            realised[str(y)] = round(sum(props) / len(props), 4)
        topics[t] = {"label": TOPIC_LABELS[t], "key_terms": TOPIC_KEY_TERMS[t],
                     "key_terms_ru": TOPIC_KEY_TERMS_RU[t],
                     "share_by_year": {str(y): topic_shares(y)[t] for y in YEARS},
                     "realized_share_by_year": realised}

    # Terms: planted probability; realised counts and rates after default preprocessing.
    params = PreprocessParams()
    tokens_by_year = {y: {"en": 0, "ru": 0} for y in YEARS}
    counts = {t: {y: {"en": 0, "ru": 0} for y in YEARS} for t in TERM_DESIGN}
    lemma_of = {t: {"en": t, "ru": TERM_DESIGN[t]["ru"]} for t in TERM_DESIGN}
    for y in YEARS:
        for d in by_year[y]:
            lang = d["language"]
            for s in d["sentences"]:
                toks = process_sentence(s.text, lang, params)
                tokens_by_year[y][lang] += len(toks)
                for t in TERM_DESIGN:
                    counts[t][y][lang] += toks.count(lemma_of[t][lang])
    planted = {}
    for t, spec in TERM_DESIGN.items():
        planted[t] = {
            "direction": spec["direction"], "lemma_ru": spec["ru"],
            "doc_probability_by_year": {str(y): term_probability(t, y) for y in YEARS},
            "count_en_by_year": {str(y): counts[t][y]["en"] for y in YEARS},
            "count_ru_by_year": {str(y): counts[t][y]["ru"] for y in YEARS},
            "rate_per_10k_en_by_year": {
                str(y): round(1e4 * counts[t][y]["en"] / max(tokens_by_year[y]["en"], 1), 2)
                for y in YEARS},
        }
    terms = {
        "rising": [t for t, s in TERM_DESIGN.items() if s["direction"] == "rising"],
        "falling": [t for t, s in TERM_DESIGN.items() if s["direction"] == "falling"],
        "flat": [t for t, s in TERM_DESIGN.items() if s["direction"] == "flat"],
        "rising_ru": [s["ru"] for s in TERM_DESIGN.values() if s["direction"] == "rising"],
        "falling_ru": [s["ru"] for s in TERM_DESIGN.values() if s["direction"] == "falling"],
        "flat_ru": [s["ru"] for s in TERM_DESIGN.values() if s["direction"] == "flat"],
        "planted": planted,
        "tokens_en_by_year": {str(y): tokens_by_year[y]["en"] for y in YEARS},
        "tokens_ru_by_year": {str(y): tokens_by_year[y]["ru"] for y in YEARS},
        "preprocessing": "analysis.preprocess.PreprocessParams() defaults",
        "note": ("Each planted term has its own sentences, added to a document with "
                 "doc_probability_by_year (one sentence, one occurrence). Rising and falling "
                 "probabilities change linearly between the design points; flat terms have the "
                 "same probability every year. Counts and rates are measured in the generated "
                 "texts after default preprocessing. Russian documents carry the same terms "
                 "(lemma_ru) but are few (about three a year), so their trends are weak."),
    }

    # Frames: all sentences of a labelled subset; shares over all sentences by year.
    ids = {"en": [i for i, d in raw if d["language"] == "en"],
           "ru": [i for i, d in raw if d["language"] == "ru"]}
    labelled = sorted(rng.sample(ids["en"], N_LABELLED["en"]) + rng.sample(ids["ru"], N_LABELLED["ru"]))
    docs = dict(raw)
    frame_rows = [_sentence_record(i, k, s, docs[i]["language"])
                  for i in labelled for k, s in enumerate(docs[i]["sentences"])]
    share = {}
    for frame in ("threat", "multipolarity", "cooperation"):
        share[frame] = {}
        for y in YEARS:
            sents = [s for d in by_year[y] for s in d["sentences"]]
            share[frame][str(y)] = round(sum(getattr(s, frame) for s in sents) / len(sents), 4)
    frames = {
        "labelled_docs": labelled,
        "sentences": frame_rows,
        "share_by_year": share,
        "multipolarity_sentence_probability_by_year": {str(y): multipolarity_probability(y)
                                                        for y in YEARS},
        "hard_case_probability": HARD_CASE_PROBABILITY,
        "drift": ("MULTIPOLARITY rises after 2007 (extra world-order sentences with probability "
                  "0.08 per document up to 2007, rising linearly to 0.55 in 2026, plus the rising "
                  "term 'multipolar_world' and Western 'hybrid war' sentences); THREAT is not planted "
                  "to drift: it stays between about 0.35 and 0.5 of sentences, with a mild decline "
                  "after 2014 as terrorism and drug sentences give way to information-security, "
                  "hybrid and biological threats; COOPERATION is roughly flat (about 0.3)."),
        "codebook": "shared/framing/codebook.md (THREAT, MULTIPOLARITY, COOPERATION, partners)",
        "note": ("Labels are the template's labels: every sentence of the labelled documents is "
                 "listed, sentence_index is its position in analysis.preprocess.split_sentences("
                 "text). 'source' tells which template family produced it (opening, closing, "
                 "topic:<name>, term:<lemma>, multipolarity, hard:<case>)."),
    }
    documents = {i: {"topics": d["topics"], "planted_terms": d["terms"]} for i, d in raw}
    return {
        "corpus": "demo",
        "synthetic": True,
        "generator": f"{GENERATOR_NAME} (version {GENERATOR_VERSION})",
        "seed": seed,
        "n_documents": len(raw),
        "topics": topics,
        "topic_drift": TOPIC_DRIFT,
        "terms": terms,
        "frames": frames,
        "documents": documents,
    }


def truth_json(truth: dict) -> str:
    """The planted truth as written to truth.json (sorted keys, indent 2, UTF-8, final newline)."""
    return json.dumps(truth, sort_keys=True, indent=2, ensure_ascii=False) + "\n"
