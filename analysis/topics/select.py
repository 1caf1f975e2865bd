"""Choosing k: fits over a range of k scored by coherence, held-out perplexity and stability
(`select_k`), the stated rule that picks one (`choose_k`), and the unit fallback for small
corpora (`plan_units`).
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np
import pandas as pd

from analysis.errors import CorpusError, ParameterError, check_choice, check_int
from analysis.preprocess import Tokens
from analysis.results import Result, result_params
from analysis.topics.describe import (
    COHERENCE_MEASURES,
    COHERENCE_UNITS,
    coherence,
    coherence_note,
    coherence_reference,
    stability,
)
from analysis.topics.evaluation import document_completion_perplexity, heldout_split
from analysis.topics.model import TopicModel, _model_from
from analysis.topics.units import MIN_UNITS, UNITS, Progress, Units, prepare_units, split_units

logger = logging.getLogger(__name__)

SELECTION_RULES = ("npmi_stable", "c_npmi", "c_v", "stability", "perplexity")
DEFAULT_RULE = "npmi_stable"
MIN_STABILITY = 0.6


@dataclass(frozen=True)
class UnitPlan:
    """Which units a small corpus can be fitted on: `unit` (None: none has enough), the
    candidate `ks` that fit (2 units per topic), the number of units of each kind counted, and
    a sentence for the reader."""

    unit: str | None
    ks: list[int]
    n_units: dict[str, int]
    reason: str


def plan_units(tokens: Tokens, unit: str = "document", ks: str | Sequence[int] = "5:11:3", *,
               chunk_size: int = 200, paragraph_size: int = 5) -> UnitPlan:
    """Fall back from `unit` to paragraphs, then chunks, when a corpus has too few units.

    The first of `unit`, "paragraph", "chunk" (in that order, from the one asked for) with at
    least ``max(MIN_UNITS, 2 * min(ks))`` units is used, and the candidate ks are cut to those
    with two units per topic (when none is left, the largest k that fits). Counting paragraphs
    and chunks reads the tokens once; it happens only when the asked-for unit is too few. When
    the units are few, they are counted after the vocabulary filter (`prepare_units`, cached),
    which drops units without a kept term.
    """
    check_choice("unit", unit, UNITS)
    wanted = sorted(set(parse_k(ks) if isinstance(ks, str) else [int(k) for k in ks]))
    need = max(MIN_UNITS, 2 * wanted[0])
    counts: dict[str, int] = {}
    for kind in UNITS[UNITS.index(unit):]:
        if kind == "document":
            counts[kind] = int((tokens.metadata["n_tokens"] > 0).sum())
        else:
            counts[kind] = sum(len(split_units(doc, kind, chunk_size=chunk_size,
                                               paragraph_size=paragraph_size)) for doc in tokens)
        if counts[kind] >= need:
            break
    usable = [k for k in counts if counts[k] >= MIN_UNITS]
    if not usable:
        shown = ", ".join(f"{v} {k} units" for k, v in counts.items())
        return UnitPlan(None, [], counts, f"only {shown}; a topic model needs at least {MIN_UNITS}")
    kind = next((k for k in usable if counts[k] >= need), max(usable, key=counts.get))
    n = counts[kind]
    if kind != unit or n < 2 * wanted[-1]:
        # few units: count those left after the vocabulary filter (units without a kept term go)
        try:
            n = len(prepare_units(tokens, unit=kind, chunk_size=chunk_size,
                                  paragraph_size=paragraph_size))
        except CorpusError as exc:
            return UnitPlan(None, [], counts, str(exc).rstrip("."))
    fit = [k for k in wanted if 2 * k <= n] or ([n // 2] if n >= MIN_UNITS else [])
    if not fit:
        return UnitPlan(None, [], counts, f"only {n} {kind} units keep a term of the vocabulary; "
                        f"a topic model needs at least {MIN_UNITS}")
    why = (f"{n} {kind} units" if kind == unit else
           f"{counts[unit]} {unit} units are too few (need {need}); {n} {kind} units instead")
    if fit != wanted:
        why += f"; k cut to {', '.join(map(str, fit))} (two units per topic)"
    return UnitPlan(kind, fit, counts, why)


@dataclass(eq=False)
class ModelSelection(Result):
    """Fits over a range of k: coherence, perplexity and stability per k, and the chosen k.

    table columns: k, c_v, c_npmi (mean over topics and seed runs; counted on the training
    units), perplexity (LDA: document completion on `heldout` units left out of a separate fit,
    see `analysis.topics.evaluation`; NaN for NMF), reconstruction_err (NMF), stability,
    stability_sd (over seed pairs), n_runs. Written as model_selection.csv (with a `chosen`
    column) and params.json.
    """

    table: pd.DataFrame
    chosen_k: int
    rule: str
    min_stability: float
    params: dict
    models: dict[int, TopicModel] = field(repr=False, default_factory=dict)
    units: Units | None = field(repr=False, default=None)
    notes: list[str] = field(default_factory=list)

    def model(self, k: int | None = None) -> TopicModel:
        """The fitted model (first seed) for `k` (default: the chosen k)."""
        k = self.chosen_k if k is None else k
        if k not in self.models:
            raise ParameterError(f"no model was fitted for k={k}; fitted: {sorted(self.models)}.")
        return self.models[k]

    def tables(self) -> dict[str, pd.DataFrame]:
        return {"model_selection": self.table.assign(chosen=self.table["k"] == self.chosen_k)}


def parse_k(value: str | int | Sequence[int]) -> list[int]:
    """k as given on a command line: '12', '5:30:5' (start:stop:step, stop included), '5,10,20'."""
    if isinstance(value, int):
        return [value]
    if not isinstance(value, str):
        return [int(v) for v in value]
    text = value.strip()
    try:
        if ":" in text:
            parts = [int(p) for p in text.split(":")]
            if len(parts) not in (2, 3) or (len(parts) == 3 and parts[2] < 1):
                raise ValueError
            start, stop = parts[0], parts[1]
            step = parts[2] if len(parts) == 3 else 1
            ks = list(range(start, stop + 1, step))
        else:
            ks = [int(p) for p in text.split(",") if p.strip()]
    except ValueError:
        raise ParameterError(f"`k` must be a number, a range start:stop:step (e.g. 5:30:5) or a "
                             f"list (e.g. 5,10,20); got {value!r}.") from None
    if not ks:
        raise ParameterError(f"`k` {value!r} names no number of topics.")
    return ks


def select_k(data: Tokens | Units, ks: Sequence[int] | str, *, n_seeds: int = 3, heldout: float = 0.1,
             top_n: int = 10, rule: str = DEFAULT_RULE, min_stability: float = MIN_STABILITY,
             progress: Progress | None = None, coherence_units: int | None = COHERENCE_UNITS,
             **settings: Any) -> ModelSelection:
    """Fit each k with `n_seeds` seeds (seed, seed+1, ...) and tabulate coherence (c_v, c_npmi,
    gensim, on the units' texts: a seeded sample of `coherence_units` of them, every unit with
    None), held-out perplexity (LDA) and stability across seeds; then apply `choose_k`.
    `settings` are `TopicModel` settings (method, unit, seed, ...).
    """
    ks = sorted(set(parse_k(ks) if isinstance(ks, str) else [int(k) for k in ks]))
    for k in ks:
        check_int("k", k, minimum=2)
    n_seeds = check_int("n_seeds", n_seeds, minimum=2)
    if not 0 <= heldout < 0.5:
        raise ParameterError(f"`heldout` must be a fraction in [0, 0.5); got {heldout!r}.")
    check_choice("rule", rule, SELECTION_RULES)
    template = _model_from(settings)
    template._check_params()
    if isinstance(data, Units):
        units = data
        if units.settings != template.unit_settings():
            raise ParameterError(f"the units were prepared with {units.settings}, but the settings "
                                 f"ask for {template.unit_settings()}.")
    else:
        units = prepare_units(data, **template.unit_settings())
    template = replace(template, k=max(ks))
    template._check_size(units)
    lda = template.method == "lda"
    n_steps = len(ks) * (n_seeds + (1 if lda and heldout > 0 else 0)) + 1
    step = 0
    rows, all_topics, owner, models = [], [], [], {}
    split = None
    if lda and heldout > 0:
        split = heldout_split(units, heldout, seed=template.seed)
    for k in ks:
        runs = []
        for s in range(n_seeds):
            m = replace(template, k=k, seed=template.seed + s).fit(units)
            runs.append(m.topic_term_)
            if s == 0:
                models[k] = m
            for terms in m.top_terms(top_n):
                all_topics.append([w for w, _ in terms])
                owner.append(k)
            step += 1
            if progress:
                progress(step, n_steps)
        stab, stab_sd = stability(runs, top_n)
        row = {"k": k, "stability": stab, "stability_sd": stab_sd, "n_runs": n_seeds,
               "perplexity": float("nan"), "reconstruction_err": float("nan")}
        if split is not None:
            row["perplexity"] = document_completion_perplexity(replace(template, k=k), split)
            step += 1
            if progress:
                progress(step, n_steps)
        elif not lda:
            row["reconstruction_err"] = float(models[k].model_.reconstruction_err_)
        rows.append(row)
    coh = coherence(all_topics, units, topn=top_n, n_units=coherence_units, seed=template.seed)
    reference = {"measures": list(COHERENCE_MEASURES), "topn": top_n,
                 **coherence_reference(units, coherence_units, template.seed)}
    coh["k"] = owner
    means = coh.groupby("k")[list(COHERENCE_MEASURES)].mean()
    if progress:
        progress(n_steps, n_steps)
    table = pd.DataFrame(rows).merge(means, left_on="k", right_index=True)
    table = table[["k", "c_v", "c_npmi", "perplexity", "reconstruction_err", "stability",
                   "stability_sd", "n_runs"]]
    chosen = choose_k(table, rule=rule, min_stability=min_stability)
    params = {**result_params(units.tokens, template.get_params()), "chosen_k": chosen, "ks": ks, "n_seeds": n_seeds, "heldout": heldout,
              "top_n": top_n, "rule": rule, "min_stability": min_stability, "coherence": reference,
              "perplexity": ("document completion (Wallach et al. 2009): vocabulary from the training "
                             "units, theta from each held-out unit's first half, exp(-mean log "
                             "likelihood) of its second half's tokens" if split is not None else None)}
    params.pop("k")
    logger.info("model selection over k=%s: chose k=%d by rule %r", ks, chosen, rule)
    notes = [coherence_note(reference)] if coherence_note(reference) else []
    return ModelSelection(table, chosen, rule, min_stability, params, models, units, notes)


def choose_k(selection_table: pd.DataFrame, rule: str = DEFAULT_RULE, *,
             min_stability: float = MIN_STABILITY) -> int:
    """Pick k from a `select_k` table by a stated rule (ties go to the smaller k).

    - ``"npmi_stable"`` (default): the highest c_npmi among k whose stability >= `min_stability`;
      when no k is that stable, the most stable k (with a warning).
    - ``"c_npmi"``, ``"c_v"``, ``"stability"``: the highest value; ``"perplexity"``: the lowest.
    """
    check_choice("rule", rule, SELECTION_RULES)
    t = selection_table.sort_values("k", kind="stable").reset_index(drop=True)
    if t.empty:
        raise ParameterError("the model-selection table is empty.")

    def best(frame: pd.DataFrame, col: str, largest: bool = True) -> int:
        vals = frame[col].to_numpy(dtype=float)
        if np.all(np.isnan(vals)):
            raise ParameterError(f"rule {rule!r} needs {col!r}, which is missing from the table "
                                 "(perplexity exists for LDA with held-out units only).")
        idx = np.nanargmax(vals) if largest else np.nanargmin(vals)
        return int(frame["k"].iloc[idx])

    if rule == "npmi_stable":
        stable = t[t["stability"] >= min_stability]
        if stable.empty:
            k = best(t, "stability")
            logger.warning("no k has stability >= %.2f; taking the most stable k=%d", min_stability, k)
            return k
        return best(stable, "c_npmi")
    if rule == "perplexity":
        return best(t, "perplexity", largest=False)
    return best(t, rule)
