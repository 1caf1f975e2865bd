"""Term rates per period (and group) with document-aware intervals, and rising/falling terms.

Rates are occurrences per 10,000 tokens, where tokens are the processed tokens of the
documents (after stop-word removal, multi-word expressions counting as one): the same units
the terms are counted in. Intervals respect that occurrences cluster in documents:

- `ci="bootstrap"`: percentile bootstrap over the documents of a cell (Efron and Tibshirani
  1993), `analysis.stats.bootstrap_ratio_ci`; needs several documents per cell, and gives
  [0, 0] for a zero count.
- `ci="quasi-poisson"`: exact Poisson interval on the count deflated by the term's
  document-level dispersion (see `models.quasi_poisson_rate_ci`); works with one document
  per cell and gives an upper bound for a zero count.
- `ci="auto"` (default): bootstrap where a cell has at least `BOOTSTRAP_MIN_DOCS` documents
  and a non-zero count, quasi-Poisson otherwise; the `ci_method` column says which.
"""

from __future__ import annotations

import logging
import zlib
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
from scipy import sparse

from analysis.errors import ParameterError, UserError, check_choice, check_int
from analysis.preprocess import Tokens
from analysis.preprocess.periods import Periods, assign_periods, check_period, group_labels
from analysis.provenance import versions
from analysis.results import Result
from analysis.stats import CI_LEVEL, N_BOOT, benjamini_hochberg, bootstrap_ratio_ci
from analysis.trends.models import TESTS, pearson_dispersion, poisson_trend, quasi_poisson_rate_ci
from analysis.trends.terms import PER, Progress, TermCounts, count_terms, count_vocabulary

logger = logging.getLogger(__name__)

CI_METHODS = ("auto", "bootstrap", "quasi-poisson")
BOOTSTRAP_MIN_DOCS = 10
RATE_COLUMNS = ["term", "period", "count", "tokens", "rate_per_10k", "low", "high", "n_docs", "time",
                "ci_method", "note"]
TEST_COLUMNS = ["term", "slope", "p_value", "q_value", "direction", "pct_per_decade", "slope_low",
                "slope_high", "count", "n_docs", "n_periods", "dispersion", "note"]


@dataclass
class TrendResult(Result):
    """Rates per period (and group) and the rising/falling test of each term.

    rates : one row per term x period (x group): count, tokens, rate_per_10k with its
        interval (low, high), n_docs, time (period midpoint, years), ci_method, note.
    tests : one row per term (x group): slope (log-rate per year), p_value, q_value (BH over
        all rows), direction ('rising', 'falling' or 'none' at q < alpha), pct_per_decade,
        slope interval, count, n_docs, n_periods, dispersion, note.
    terms : one row per term: its normalised pattern, total count, documents, note.
    params : everything that made the result (corpus, versions, the settings), and `excluded`.
    notes : what a reader must know (excluded documents, terms never found, empty periods).
    Written as trends.csv, rising_falling.csv, terms.csv and params.json.
    """

    rates: pd.DataFrame
    tests: pd.DataFrame
    terms: pd.DataFrame
    params: dict[str, Any]
    notes: list[str] = field(default_factory=list)

    @property
    def excluded(self) -> dict[str, int]:
        """{reason: number of documents left out}."""
        return dict(self.params.get("excluded") or {})

    def rising(self) -> pd.DataFrame:
        return self.tests[self.tests["direction"] == "rising"]

    def falling(self) -> pd.DataFrame:
        return self.tests[self.tests["direction"] == "falling"]

    def tables(self) -> dict[str, pd.DataFrame]:
        return {"trends": self.rates, "rising_falling": self.tests, "terms": self.terms}


# --- rates -------------------------------------------------------------------------------

def _cell_seed(seed: int, group: Any, period: str) -> int:
    """The bootstrap seed of one cell, from the user's seed and the cell's labels (so a cell's
    interval does not change when other terms, groups or periods are added)."""
    key = zlib.crc32(f"{group}\x00{period}".encode())
    return int(np.random.SeedSequence([int(seed), key]).generate_state(1)[0])


def rate_table(counts: TermCounts, periods: Periods, groups: pd.Series | None = None, *, ci: str = "auto",
               level: float = CI_LEVEL, n_boot: int = N_BOOT, seed: int = 0) -> pd.DataFrame:
    """Rate per 10,000 tokens of each term in each period (and group), with an interval.

    Every period of `periods.order` appears for every term (and group): a period without
    documents has tokens 0, rate NaN and the note 'no documents'.
    """
    check_choice("ci", ci, CI_METHODS)
    dv = counts.metadata
    label = periods.labels.reindex(dv.index)
    keep = np.array(label.notna(), dtype=bool)
    if groups is not None:
        g = groups.reindex(dv.index)
        keep &= g.notna().to_numpy()
        group_order = sorted(g[keep].unique(), key=_group_key)
        group_of = g.to_numpy()
    else:
        group_order = [None]
        group_of = np.array([None] * len(dv), dtype=object)
    y = counts.matrix[keep].toarray().astype(float)
    tok = counts.n_tokens[keep]
    lab = label.to_numpy()[keep]
    grp = group_of[keep]
    pidx = {p: i for i, p in enumerate(periods.order)}
    gidx = {gname: i for i, gname in enumerate(group_order)}
    cell = np.array([gidx[gg] * len(pidx) + pidx[pp] for gg, pp in zip(grp, lab, strict=True)], dtype=int)
    phi = pearson_dispersion(y, tok, cell)
    by_cell = np.argsort(cell, kind="stable")
    bounds = np.searchsorted(cell[by_cell], np.arange(len(group_order) * len(pidx) + 1))
    rows = []
    for gname in group_order:
        for p in periods.order:
            cid = gidx[gname] * len(pidx) + pidx[p]
            members = by_cell[bounds[cid]:bounds[cid + 1]]
            nd = len(members)
            t_sum = float(tok[members].sum())
            cell_seed = _cell_seed(seed, gname, p)
            for j, term in enumerate(counts.terms):
                c = float(y[members, j].sum())
                row = {"term": term, "group": gname, "period": p, "count": int(c), "tokens": int(t_sum),
                       "n_docs": nd, "time": periods.midpoints[p]}
                if nd == 0 or t_sum <= 0:
                    row.update(rate_per_10k=np.nan, low=np.nan, high=np.nan, ci_method="",
                               note="no documents" if nd == 0 else "no tokens")
                else:
                    method = ci
                    if ci == "auto":
                        method = "bootstrap" if (nd >= BOOTSTRAP_MIN_DOCS and c > 0) else "quasi-poisson"
                    if method == "bootstrap":
                        est, lo, hi = bootstrap_ratio_ci(y[members, j], tok[members], n_boot=n_boot,
                                                         level=level, seed=cell_seed)
                    else:
                        est = c / t_sum
                        lo_a, hi_a = quasi_poisson_rate_ci(c, t_sum, phi[j], level=level)
                        lo, hi = float(lo_a), float(hi_a)
                    row.update(rate_per_10k=est * PER, low=lo * PER, high=hi * PER, ci_method=method,
                               note="")
                rows.append(row)
    table = pd.DataFrame(rows)
    cols = RATE_COLUMNS if groups is None else ["term", "group", *RATE_COLUMNS[1:]]
    if table.empty:
        return pd.DataFrame(columns=cols)
    return table[cols]


def _group_key(v: Any) -> tuple[int, str]:
    # named groups first (alphabetically), the catch-all label last
    return (1 if str(v) in ("others", "all other", "rest") else 0, str(v))


# --- rising and falling ------------------------------------------------------------------

def trend_tests(counts: TermCounts, periods: Periods, groups: pd.Series | None = None, *,
                test: str = "quasi-poisson", alpha: float = 0.05, level: float = CI_LEVEL) -> pd.DataFrame:
    """Log-linear trend of each term (x group) over the periods' midpoints, with BH q-values.

    See `analysis.trends.models` for the model and the two tests. Rows are ranked: rising
    terms by slope (steepest first), then falling terms (steepest first), then the rest by q.
    """
    check_choice("test", test, TESTS)
    if not 0 < alpha < 1:
        raise ParameterError(f"`alpha` must be between 0 and 1; got {alpha}.")
    dv = counts.metadata
    label = periods.labels.reindex(dv.index)
    keep = np.array(label.notna(), dtype=bool)
    if groups is not None:
        g = groups.reindex(dv.index)
        keep &= g.notna().to_numpy()
        group_order = sorted(g[keep].unique(), key=_group_key)
        grp = g.to_numpy()[keep]
    else:
        group_order = [None]
        grp = np.array([None] * int(keep.sum()), dtype=object)
    X = counts.matrix[keep].tocsr().astype(float)
    tok = counts.n_tokens[keep]
    lab = label.to_numpy()[keep]
    pidx = {p: i for i, p in enumerate(periods.order)}
    P = len(periods.order)
    pcol = np.array([pidx[p] for p in lab], dtype=int)
    time = np.array([periods.midpoints[p] for p in periods.order])
    inv_t = np.where(tok > 0, 1.0 / np.where(tok > 0, tok, 1.0), 0.0)
    frames = []
    for gname in group_order:
        in_g = np.flatnonzero(grp == gname) if gname is not None else np.arange(len(grp))
        # period indicator (P x docs) to sum document rows into period rows
        ind = sparse.csr_matrix((np.ones(len(in_g)), (pcol[in_g], np.arange(len(in_g)))),
                                shape=(P, len(in_g)))
        Xg = X[in_g]
        Y = np.asarray((ind @ Xg).todense()).T  # (terms, P)
        S2 = np.asarray((ind @ Xg.power(2).multiply(inv_t[in_g][:, None]).tocsr()).todense()).T
        T = np.broadcast_to(np.bincount(pcol[in_g], weights=tok[in_g], minlength=P), Y.shape)
        ND = np.broadcast_to(np.bincount(pcol[in_g], weights=(tok[in_g] > 0).astype(float), minlength=P),
                             Y.shape)
        fit = poisson_trend(Y, T, S2, ND, time, test=test, level=level)
        frame = pd.DataFrame({
            "term": counts.terms, "group": gname, "slope": fit["slope"], "p_value": fit["p_value"],
            "slope_low": fit["low"], "slope_high": fit["high"], "count": Y.sum(axis=1).astype(int),
            "n_docs": np.asarray((Xg > 0).sum(axis=0)).ravel(), "n_periods": fit["n_periods"],
            "dispersion": fit["dispersion"],
            "note": [{"ok": "", "never occurs": "never occurs",
                      "one period": "occurs in one period only; no trend estimate"}[s] for s in fit["status"]],
        })
        not_conv = ~fit["converged"]
        if not_conv.any():  # no test from an unfinished fit
            frame.loc[not_conv, ["slope", "p_value", "slope_low", "slope_high"]] = np.nan
            frame.loc[not_conv, "note"] = "fit did not converge"
        frames.append(frame)
    table = pd.concat(frames, ignore_index=True)
    table["q_value"] = benjamini_hochberg(table["p_value"].to_numpy())
    table["pct_per_decade"] = 100 * (np.exp(10 * table["slope"]) - 1)
    sig = table["q_value"] < alpha
    table["direction"] = np.where(sig & (table["slope"] > 0), "rising",
                                  np.where(sig & (table["slope"] < 0), "falling", "none"))
    rank = np.where(table["direction"] == "rising", 0, np.where(table["direction"] == "falling", 1, 2))
    sort_key = np.where(rank == 2, table["q_value"].fillna(2.0), -table["slope"].abs())
    table = table.assign(_r=rank, _k=sort_key).sort_values(["_r", "_k", "term"], kind="mergesort")
    table = table.drop(columns=["_r", "_k"]).reset_index(drop=True)
    cols = TEST_COLUMNS if groups is None else ["term", "group", *TEST_COLUMNS[1:]]
    return table[cols]


# --- the whole pass ----------------------------------------------------------------------

def _term_table(counts: TermCounts) -> tuple[pd.DataFrame, list[str]]:
    totals = counts.totals()
    dfreq = counts.doc_freq()
    notes = []
    rows = []
    for term, pattern in zip(counts.terms, counts.patterns or counts.terms, strict=True):
        n = int(totals[term])
        note = ""
        if n == 0:
            note = "never occurs"
            notes.append(f"term {term!r} (pattern {pattern!r}, {counts.params.get('form')} form) never "
                         "occurs in the corpus; it is kept with zero counts.")
        rows.append({"term": term, "pattern": pattern, "count": n, "n_docs": int(dfreq[term]),
                     "note": note})
    return pd.DataFrame(rows), notes


@dataclass(frozen=True)
class TrendSettings:
    """Everything `term_trends` computes with besides the data and the terms.

    period : 'auto', 'year', 'quarter', 'month', 'decade', 'all' or bins "1970-1979,1980-1989".
    start, end : first and last year.
    group : a metadata column (e.g. 'country'): rates and tests per group.
    values : with `group`, the groups to compare (a list or "RUS,CHN"); every other document
        with a value is in the group `others`.
    within_mwe : count words inside multi-word tokens ("terrorism" in international_terrorism).
    ci : 'auto', 'bootstrap' or 'quasi-poisson' (module docstring); level : its coverage.
    n_boot, seed : bootstrap draws and seed.
    test : 'quasi-poisson' or 'period-robust' (`analysis.trends.models`).
    alpha : q-value threshold for calling a term rising or falling (Benjamini and Hochberg 1995).
    min_count, min_docs, n_top : without terms, every token with at least `min_count`
        occurrences in at least `min_docs` documents is a candidate; the tests cover all
        candidates and the rate table the `n_top` steepest rising and falling ones.
    """

    period: str | None = "auto"
    start: int | None = None
    end: int | None = None
    group: str | None = None
    values: tuple[str, ...] | None = None
    others: str = "others"
    within_mwe: bool = True
    ci: str = "auto"
    level: float = CI_LEVEL
    n_boot: int = N_BOOT
    seed: int = 0
    test: str = "quasi-poisson"
    alpha: float = 0.05
    min_count: int = 20
    min_docs: int = 5
    n_top: int = 10

    def __post_init__(self) -> None:
        check_period(self.period)  # refused here, before any counting pass
        check_choice("ci", self.ci, CI_METHODS)
        check_choice("test", self.test, TESTS)
        if not 0 < self.alpha < 1:
            raise ParameterError(f"`alpha` must be between 0 and 1; got {self.alpha}.")
        if not 0 < self.level < 1:
            raise ParameterError(f"`level` must be between 0 and 1; got {self.level}.")
        check_int("n_boot", self.n_boot, minimum=1)
        if self.values is not None:
            values = self.values
            if isinstance(values, str):
                values = [v.strip() for v in values.split(",") if v.strip()]
            values = tuple(str(v) for v in values)
            if not values:
                raise ParameterError("`values` is empty; name the groups to compare, e.g. ['RUS', 'CHN'].")
            if self.group is None:
                raise ParameterError("`values` needs `group` (the metadata column the values belong to).")
            object.__setattr__(self, "values", values)


def term_trends(data: Tokens | TermCounts, terms: str | Sequence[str] | None = None,
                settings: TrendSettings = TrendSettings(), *, progress: Progress | None = None,
                scheduler: Any = None) -> TrendResult:
    """Keyword trends: rates per period (and group) with intervals, and rising/falling terms.

    Parameters
    ----------
    data : the preprocessed corpus (lemmas, or words as written: see `params_for_form`), or
        counts made from it (`count_terms`, `count_vocabulary`), to reuse one counting pass
        for several settings.
    terms : with tokens, terms or glob patterns ("multipolar world", "terrorism",
        "многополярный мир", "multipolar*"), as a list or a comma-separated string; None: the
        vocabulary (see `TrendSettings.min_count`). With counts: None (the counted terms).
    settings : periods, groups, intervals and the test (`TrendSettings`).
    scheduler : where the counting pass runs (`analysis.preprocess.engine`; default `Auto`: all
        cores for a large corpus); progress : called with (done, total) during it.

    For example the rate of every form of "multipolar" by year for `country` RUS and CHN
    against all other states: `term_trends(tokens, ["multipolar*|multi-polar*"],
    TrendSettings(period="year", group="country", values=("RUS", "CHN"), start=1970, end=2024))`.

    Undated documents are excluded and counted in `result.excluded` and `result.notes`; a term
    that never occurs is kept with zero counts and a note (a warning is logged); if no term
    occurs at all a `UserError` is raised.
    """
    s = settings
    if isinstance(data, TermCounts):
        if terms is not None:
            raise ParameterError("counts already hold their terms; pass `terms=None` with counts, or "
                                 "the tokens with the terms.")
        group_labels(data.metadata, s.group)  # check the column
        counts = data
    else:
        group_labels(data.metadata, s.group)  # check the column before the counting pass
        if terms is None:
            counts = count_vocabulary(data, min_count=s.min_count, min_docs=s.min_docs, progress=progress,
                                      scheduler=scheduler)
            if not counts.terms:
                raise UserError(f"no token occurs at least {s.min_count} times in {s.min_docs} documents; "
                                "lower `min_count` / `min_docs` or give `terms`.")
        else:
            counts = count_terms(data, terms, within_mwe=s.within_mwe, progress=progress, scheduler=scheduler)
    groups, group_notes = group_labels(counts.metadata, s.group, s.values, s.others)
    vocabulary = bool(counts.params.get("vocabulary"))
    params: dict[str, Any] = {"candidates": "vocabulary" if vocabulary else "terms"}
    if vocabulary:
        params["n_top"] = s.n_top
    if s.values is not None:
        params.update(values=list(s.values), others=s.others)
    return _trends(counts, s, groups, rate_terms=s.n_top if vocabulary else None, extra_notes=group_notes,
                   params=params)


def _trends(counts: TermCounts, s: TrendSettings, groups: pd.Series | None, *, rate_terms: int | None,
            extra_notes: Sequence[str], params: dict[str, Any]) -> TrendResult:
    """Rates and trend tests from per-document counts.

    `rate_terms`: None tabulates rates for all terms; an int n takes the n steepest rising
    and the n steepest falling terms of the tests (for a whole vocabulary).
    """
    periods = assign_periods(counts.metadata, s.period, start=s.start, end=s.end)
    notes = list(periods.notes) + list(extra_notes)
    terms_table, term_notes = _term_table(counts)
    if not counts.params.get("vocabulary") and (terms_table["count"] == 0).all():
        raise UserError("none of the terms occurs in the corpus: "
                        + ", ".join(f"{t!r} (as {p!r})" for t, p in zip(terms_table["term"], terms_table["pattern"], strict=True))
                        + f"; counted in {counts.params.get('form')} form. Check the spelling, try a "
                          "glob such as 'multipolar*', or the other form (--form written/lemma).")
    for note in term_notes:
        logger.warning(note)
    notes += term_notes
    tests = trend_tests(counts, periods, groups, test=s.test, alpha=s.alpha, level=s.level)
    rate_counts = counts
    if rate_terms is not None:
        top = list(dict.fromkeys(list(tests.loc[tests["direction"] == "rising", "term"][:rate_terms])
                                 + list(tests.loc[tests["direction"] == "falling", "term"][:rate_terms])))
        terms_table = terms_table[terms_table["term"].isin(top)].reset_index(drop=True)
        rate_counts = counts.select(top)
    rates = rate_table(rate_counts, periods, groups, ci=s.ci, level=s.level, n_boot=s.n_boot, seed=s.seed)
    empty = rates.loc[rates["note"] == "no documents"]
    if len(empty):
        key = ["group", "period"] if "group" in rates.columns else ["period"]
        cells = empty[key].drop_duplicates()
        shown = ", ".join("/".join(map(str, r)) for r in cells.itertuples(index=False))
        if len(cells) > 12:
            shown = ", ".join("/".join(map(str, r)) for r in cells.head(12).itertuples(index=False)) + ", ..."
        notes.append(f"{len(cells)} {'group-' if groups is not None else ''}periods have no documents "
                     f"(rate NaN, tokens 0): {shown}.")
    all_params = {"corpus": counts.params.get("corpus"), "versions": versions(), "period": periods.kind,
                  "period_spec": s.period, "start": s.start, "end": s.end, "group": s.group, "ci": s.ci,
                  "level": s.level, "n_boot": s.n_boot, "seed": s.seed, "test": s.test, "alpha": s.alpha,
                  **counts.params, **params,
                  "excluded": dict(periods.excluded)}
    logger.info("trends: %d terms, %d periods, %d documents excluded", len(counts.terms),
                len(periods.order), periods.n_excluded)
    return TrendResult(rates, tests, terms_table, all_params, notes)
