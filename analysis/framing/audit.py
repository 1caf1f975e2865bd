"""The rule audit: for every lexicon rule, how often it fires on a corpus and how precise it is on
coded sentences, so that rules fitted to one sentence can be found and removed.

A rule is one term of the lexicon as written (`frame.subframe:term`, with its context rules). On
the corpus the audit counts the sentences and documents where the rule matched; on the gold it
counts the sentences where it matched, how many of them carry the rule's frame (its precision),
and how many carry the frame and are found by no other rule of that frame (what the rule alone
adds). `verdict` marks rules that fire on at most `min_corpus` sentences of the corpus
("rare": fitted to a sentence, or dead) and rules whose gold precision is below `min_precision`
on at least `min_gold` gold sentences ("imprecise").
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from analysis.framing.detect import FrameDetector, detect_frames
from analysis.framing.gazetteer import Gazetteer, load_gazetteer
from analysis.framing.lexicon import LANGUAGES, Lexicon, load_lexicon
from analysis.preprocess import Tokens
from analysis.provenance import versions
from analysis.results import Result, corpus_identity

AUDIT_COLUMNS = ("language", "frame", "subframe", "term", "rule", "context", "corpus_sentences", "corpus_documents",
                 "gold_sentences", "gold_correct", "gold_precision", "gold_only_rule", "verdict")


@dataclass
class RuleAudit(Result):
    """The rule audit: `table` (AUDIT_COLUMNS), one row per rule and language. Written as
    audit.csv and params.json (the corpus, the lexicon and gazetteer versions, the thresholds)."""

    table: pd.DataFrame
    params: dict[str, Any] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)

    def tables(self) -> dict[str, pd.DataFrame]:
        return {"audit": self.table}


def _rule_label(frame: str, sub: str, term: str) -> str:
    return f"{frame}.{sub}:{term}"


def audit_rules(tokens: Tokens | None, gold: pd.DataFrame | None = None, *,
                lexicon: Lexicon | str | Path | None = None, gazetteer: Gazetteer | str | Path | None = None,
                max_documents: int | None = None, n_jobs: int | None = None, progress: Any = None,
                min_corpus: int = 1, min_gold: int = 3, min_precision: float = 0.5) -> RuleAudit:
    """The audit (its `table`: AUDIT_COLUMNS), one row per rule and language, sorted by frame and
    firing count.

    tokens : the corpus (its `Tokens`) where firing is counted (all of it, or its first
        `max_documents`); None: skip.
    gold : coded sentences (`load_gold`) for the precision columns; None: skip.
    n_jobs : as `detect_frames` (None: all cores for a large corpus; 1: this process).
    """
    if not isinstance(lexicon, Lexicon):
        lexicon = load_lexicon(lexicon)
    if not isinstance(gazetteer, Gazetteer):
        gazetteer = load_gazetteer(gazetteer)
    det = FrameDetector(lexicon, gazetteer)
    rules = []
    for f in lexicon.frame_names:
        for lang in LANGUAGES:
            for sub, spec in lexicon.frames[f].terms(lang):
                context = {k: v for k, v in spec.items() if k != "term"}
                rules.append({"language": lang, "frame": f, "subframe": sub, "term": spec["term"],
                              "rule": _rule_label(f, sub, spec["term"]),
                              "context": "; ".join(f"{k}={v}" for k, v in context.items())})
    table = pd.DataFrame(rules)
    sent_hits: Counter = Counter()
    doc_hits: Counter = Counter()
    if tokens is not None:
        if max_documents is not None:
            tokens = tokens.subset([i < max_documents for i in range(len(tokens))])
        result = detect_frames(tokens, lexicon=lexicon, gazetteer=gazetteer, n_boot=1, n_jobs=n_jobs,
                               progress=progress)
        langs = tokens.metadata["language"].to_dict()
        s = result.sentences
        s = s[s["matched_terms"] != ""]
        seen_doc: set = set()
        for doc_id, terms in zip(s["doc_id"], s["matched_terms"], strict=True):
            lang = langs.get(doc_id, "en")
            for t in set(terms.split(";")):
                sent_hits[(lang, t)] += 1
                if (lang, t, doc_id) not in seen_doc:
                    seen_doc.add((lang, t, doc_id))
                    doc_hits[(lang, t)] += 1
    table["corpus_sentences"] = [sent_hits.get((lang, r), 0) for lang, r in zip(table["language"], table["rule"],
                                                                                  strict=True)]
    table["corpus_documents"] = [doc_hits.get((lang, r), 0) for lang, r in zip(table["language"], table["rule"],
                                                                                 strict=True)]
    g_n: Counter = Counter()
    g_ok: Counter = Counter()
    g_only: Counter = Counter()
    if gold is not None and len(gold):
        for text, lang, *labels in zip(gold["text"], gold["language"], *(gold[f] for f in det.frames
                                                                        if f in gold.columns), strict=True):
            terms = det.detect(text, lang).terms
            truth = dict(zip([f for f in det.frames if f in gold.columns], labels, strict=True))
            by_frame: dict[str, list[str]] = {}
            for t in terms:
                by_frame.setdefault(t.split(".", 1)[0], []).append(t)
            for t in set(terms):
                frame = t.split(".", 1)[0]
                g_n[(lang, t)] += 1
                if truth.get(frame):
                    g_ok[(lang, t)] += 1
                    if len(set(by_frame[frame])) == 1:
                        g_only[(lang, t)] += 1
    keys = list(zip(table["language"], table["rule"], strict=True))
    table["gold_sentences"] = [g_n.get(k, 0) for k in keys]
    table["gold_correct"] = [g_ok.get(k, 0) for k in keys]
    table["gold_precision"] = [g_ok[k] / g_n[k] if g_n.get(k) else float("nan") for k in keys]
    table["gold_only_rule"] = [g_only.get(k, 0) for k in keys]
    verdict = []
    for c, n, p in zip(table["corpus_sentences"], table["gold_sentences"], table["gold_precision"], strict=True):
        if tokens is not None and c <= min_corpus:
            verdict.append("rare")
        elif n >= min_gold and p < min_precision:
            verdict.append("imprecise")
        else:
            verdict.append("")
    table["verdict"] = verdict
    if tokens is not None:
        # a corpus in one language says nothing of the other language's rules
        present = set(tokens.metadata["language"])
        table.loc[~table["language"].isin(present), "verdict"] = ""
    table = table.sort_values(["language", "frame", "corpus_sentences", "rule"],
                              ascending=[True, True, False, True]).reset_index(drop=True)
    params = {
        "corpus": corpus_identity(tokens) if tokens is not None else None,
        "versions": versions(),
        "max_documents": max_documents, "n_gold": 0 if gold is None else len(gold),
        "min_corpus": min_corpus, "min_gold": min_gold, "min_precision": min_precision,
        "lexicon": {"name": lexicon.name, "version": lexicon.version, "hash": lexicon.hash},
        "gazetteer": {"version": gazetteer.version, "hash": gazetteer.hash},
    }
    notes = [] if tokens is not None else ["no corpus: firing counts and 'rare' verdicts left out"]
    return RuleAudit(table[list(AUDIT_COLUMNS)], params, notes)
