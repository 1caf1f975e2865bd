"""Topic prevalence against document covariates, as stm's ``estimateEffect`` does it.

`effect(model, "s(year) + organization")` regresses each topic's document share on covariates
(ordinary least squares, statsmodels) and turns the coefficients into contrasts people read:

- ``first-to-last``: the expected share at the last year minus at the first year (time is the
  `time` column, default ``year``), averaged over the documents' other covariates;
- ``<group>: <level> - <reference>`` for a categorical covariate: each level minus the
  reference level (the first in sorted order), holding the documents' other covariates;
- ``<var>: min-to-max`` for another numeric covariate;
- with an interaction of time and a group, ``first-to-last | <group>=<level>`` per level;

plus the expected share over time per group (``over_time``) for the figure.

Formula: patsy syntax on the right-hand side, with ``s(x)`` (or ``s(x, df)``) for a smooth term:
a cubic B-spline basis with `df` degrees of freedom (default 5; patsy ``bs``), like stm's
``s()``. ``"year"``, ``"s(year)"``, ``"s(year) + organization"``, ``"s(year) * organization"``.

Intervals (``uncertainty``):

- ``"composition"`` (default, LDA only): the method of composition (Tanner 1996; stm's
  ``uncertainty="Global"``, Roberts, Stewart and Airoldi 2016). For each of `n_draws` draws,
  every unit's shares are drawn from its variational posterior θ ~ Dirichlet(γ) (gensim's γ),
  document shares are the token-weighted mean of their units' draws, the regression is fitted,
  and `n_coef` coefficient vectors are drawn from its sampling distribution N(β̂, V̂). The
  contrasts of all pooled draws give the estimate (their mean) and the percentile interval: it
  carries both the topic model's uncertainty about the shares and the regression's.
- ``"none"``: the same with the posterior-mean shares held fixed (stm's ``"None"``): regression
  uncertainty only.
- ``"bootstrap"``: the posterior-mean (or NMF) shares held fixed, documents resampled
  `n_boot` times with replacement, the regression refitted (the toolkit's prevalence bands'
  kind of interval). NMF has no posterior over shares, so for NMF only "bootstrap" and
  "none" exist and the result says which was used.

The regression is linear in the shares (as stm's); shares are bounded in [0, 1], so an
expected share outside that range can appear far from the data.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field
from typing import Any, ClassVar

import numpy as np
import pandas as pd
from scipy import sparse

from analysis.errors import ParameterError, check_choice, check_int
from analysis.results import Result, result_params
from analysis.stats import CI_LEVEL

logger = logging.getLogger(__name__)

UNCERTAINTY = ("composition", "none", "bootstrap")
FIRST_TO_LAST = "first-to-last"
DEFAULT_SPLINE_DF = 5
_SMOOTH = re.compile(r"\bs\(\s*([A-Za-z_][A-Za-z0-9_.]*)\s*(?:,\s*(?:df\s*=\s*)?(\d+)\s*)?\)")
_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_.]*")
_PATSY_WORDS = {"bs", "C", "I", "Treatment", "Sum", "Poly", "np", "center", "standardize",
                "scale", "df", "degree", "log", "cr", "cc", "te", "Q", "include_intercept"}


# --------------------------------------------------------------------------------------------
# Formula and covariates
# --------------------------------------------------------------------------------------------

def translate_formula(formula: str) -> str:
    """The patsy right-hand side for a formula with ``s(x[, df])`` smooth terms."""
    if not isinstance(formula, str) or not formula.strip():
        raise ParameterError(f"`formula` must be a non-empty string such as 's(year) + organization'; "
                             f"got {formula!r}.")
    text = formula.strip()
    if "~" in text:
        lhs, _, text = text.partition("~")
        if lhs.strip():
            raise ParameterError(f"`formula` gives the covariates only (the topic shares are the "
                                 f"response), e.g. 's(year) + organization'; got {formula!r}.")

    def smooth(m: re.Match) -> str:
        df = int(m.group(2)) if m.group(2) else DEFAULT_SPLINE_DF
        if df < 3:
            raise ParameterError(f"a smooth term needs df >= 3 (cubic B-splines); got s({m.group(1)}, {df}).")
        return f"bs({m.group(1)}, df={df}, degree=3)"

    return _SMOOTH.sub(smooth, text)


def formula_variables(formula: str) -> list[str]:
    """Metadata columns a formula names (in order of appearance)."""
    rhs = translate_formula(formula)
    rhs = re.sub(r"'[^']*'|\"[^\"]*\"", "", rhs)  # quoted levels, e.g. Treatment('CSTO')
    out: list[str] = []
    for name in _NAME.findall(rhs):
        if name.split(".")[0] not in _PATSY_WORDS and name not in out:
            out.append(name)
    return out


def covariates(metadata: pd.DataFrame, doc_ids: pd.Index, variables: list[str]) -> tuple[pd.DataFrame, list[str]]:
    """The covariate table of the documents with all `variables` known, and notes on the rest.

    ``year`` comes from the date when the metadata has no year column. Numeric-looking text
    columns stay categorical (a group); numbers are numeric."""
    dv = metadata.reindex(doc_ids)
    frame = pd.DataFrame(index=doc_ids)
    notes = []
    for v in variables:
        if v in dv.columns:
            col = dv[v]
        elif v == "year" and "date" in dv.columns:
            col = pd.to_numeric(dv["date"].astype("string").str[:4], errors="coerce")
        else:
            avail = ", ".join(c for c in metadata.columns if c not in ("n_chars", "text_hash", "path"))
            raise ParameterError(f"the formula names {v!r}, which is not a document metadata column; "
                                 f"available: {avail}.")
        if pd.api.types.is_bool_dtype(col) or not pd.api.types.is_numeric_dtype(col):
            col = col.astype("object").where(col.notna(), None)
        else:
            col = col.astype(float)
        frame[v] = col
    missing = frame.isna().any(axis=1)
    if missing.any():
        notes.append(f"{int(missing.sum())} of {len(frame)} documents lack "
                     f"{' or '.join(repr(v) for v in variables)} and are left out of the regression.")
    return frame[~missing.to_numpy()], notes


def _is_numeric(col: pd.Series) -> bool:
    return pd.api.types.is_numeric_dtype(col) and not pd.api.types.is_bool_dtype(col)


# --------------------------------------------------------------------------------------------
# The result
# --------------------------------------------------------------------------------------------

@dataclass(eq=False)
class EffectsResult(Result):
    """Contrasts of expected topic shares and expected shares over time, with their intervals.

    effects : topic, contrast, estimate, ci_low, ci_high (one row per topic and contrast).
    over_time : time, group (level or "all"), topic, estimate, ci_low, ci_high: the expected
        share at each time for each level of the first categorical covariate (other covariates
        as observed), or None when the formula has no time term.
    params : formula (as given and as patsy reads it), uncertainty, level, draws, seed, the time
        and group columns, reference levels, documents used.
    notes : what was left out and why.
    """

    effects: pd.DataFrame
    over_time: pd.DataFrame | None
    params: dict
    notes: list[str] = field(default_factory=list)
    float_format: ClassVar[str | None] = "%.6g"

    @property
    def interval(self) -> str:
        """A sentence saying which interval the tables give."""
        return self.params["interval"]

    def tables(self) -> dict[str, pd.DataFrame]:
        """effects (topic, contrast, estimate, ci_low, ci_high) and effects_over_time (when there
        is a time term); params.json has the interval kind (`interval`)."""
        out = {"effects": self.effects[["topic", "contrast", "estimate", "ci_low", "ci_high"]]}
        if self.over_time is not None:
            out["effects_over_time"] = self.over_time
        return out


INTERVAL_TEXT = {
    "composition": ("{level:.0%} intervals by the method of composition: shares drawn from the topic "
                    "model's posterior (theta ~ Dirichlet(gamma)) and regression coefficients drawn from "
                    "their sampling distribution; they include the topic model's uncertainty"),
    "none": ("{level:.0%} intervals from the regression's sampling distribution with the posterior-mean "
             "shares held fixed; they leave out the topic model's uncertainty"),
    "bootstrap": ("{level:.0%} percentile intervals from resampling documents with their estimated "
                  "shares held fixed; they leave out the topic model's uncertainty"),
}


# --------------------------------------------------------------------------------------------
# The computation
# --------------------------------------------------------------------------------------------

def unit_gamma(model: Any) -> np.ndarray:
    """The variational Dirichlet parameters γ (n_units, k) of each unit of a fitted LDA model
    (gensim ``inference``, seeded as the model's shares are: γ / Σγ equals ``unit_topic_``)."""
    from analysis.topics.lda import lda_gamma

    if model.method != "lda":
        raise ParameterError("a posterior over topic shares exists for method='lda' only.")
    return lda_gamma(model.model_, model.units_.dtm, model.seed)


def _aggregation(frame: pd.DataFrame, doc_ids: pd.Index) -> sparse.csr_matrix:
    """(n_docs, n_units) weights: a document's share is the token-weighted mean of its units'."""
    w = frame["n_terms"].to_numpy(dtype=float)
    rows = doc_ids.get_indexer(frame["doc_id"])
    keep = rows >= 0
    a = sparse.csr_matrix((w[keep], (rows[keep], np.flatnonzero(keep))),
                          shape=(len(doc_ids), len(frame)))
    total = np.asarray(a.sum(axis=1)).ravel()
    return sparse.diags(1.0 / total) @ a


class _Design:
    """The design matrix of the covariates and the contrast / prediction rows built from it."""

    def __init__(self, rhs: str, data: pd.DataFrame) -> None:
        import patsy

        try:
            self.matrix = patsy.dmatrix(rhs, data, NA_action="raise", return_type="matrix")
        except patsy.PatsyError as exc:
            raise ParameterError(f"the formula {rhs!r} cannot be read: {exc}") from None
        self.info = self.matrix.design_info
        self.x = np.asarray(self.matrix, dtype=float)
        self.data = data
        if np.linalg.matrix_rank(self.x) < self.x.shape[1]:
            raise ParameterError(
                f"the covariates of formula {rhs!r} are collinear on these documents (the design "
                f"has {self.x.shape[1]} columns but rank {np.linalg.matrix_rank(self.x)}); use "
                "fewer spline degrees of freedom or drop a covariate.")

    def mean_row(self, **values: Any) -> np.ndarray:
        """The mean design row over the documents with some covariates set to given values."""
        import patsy

        data = self.data.assign(**{k: [v] * len(self.data) for k, v in values.items()})
        (mat,) = patsy.build_design_matrices([self.info], data, NA_action="raise")
        return np.asarray(mat, dtype=float).mean(axis=0)


def _ols(x: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """OLS of every column of `y` on `x` (statsmodels): coefficients (p, k), the normalised
    covariance (X'X)^-1 (p, p) and the residual covariance between columns (k, k)."""
    import statsmodels.api as sm

    res = sm.OLS(y, x).fit()
    params = np.asarray(res.params).reshape(x.shape[1], -1)
    resid = y.reshape(len(y), -1) - x @ params
    cov = resid.T @ resid / max(1, x.shape[0] - x.shape[1])
    return params, np.asarray(res.normalized_cov_params), cov


def _sqrt_psd(a: np.ndarray) -> np.ndarray:
    """The symmetric square root of a positive semi-definite matrix."""
    vals, vecs = np.linalg.eigh((a + a.T) / 2)
    return (vecs * np.sqrt(np.clip(vals, 0, None))) @ vecs.T


def effect(model: Any, formula: str, *, uncertainty: str = "composition", time: str = "year",
           n_draws: int = 50, n_coef: int = 10, n_boot: int = 500, level: float = CI_LEVEL,
           seed: int | None = None, metadata: pd.DataFrame | None = None,
           n_grid: int = 60) -> EffectsResult:
    """Regress the topic shares of a fitted `analysis.topics.model.TopicModel` on document covariates
    (see the module docstring) and return contrasts and expected shares over time with intervals.

    `metadata` defaults to the model's document metadata; `seed` to the model's seed. `n_draws`
    posterior draws × `n_coef` coefficient draws are pooled ("composition", "none": `n_coef`
    × `n_draws` coefficient draws); `n_boot` document resamples for "bootstrap". The time grid of
    ``over_time`` is every year from first to last when time is in whole years (else `n_grid`
    points).
    """
    check_choice("uncertainty", uncertainty, UNCERTAINTY)
    if not hasattr(model, "doc_topic_"):
        raise ParameterError("the topic model is not fitted; call `fit(tokens)` first.")
    if uncertainty == "composition" and model.method != "lda":
        raise ParameterError(
            f"uncertainty='composition' draws topic shares from the model's posterior, and "
            f"method={model.method!r} has none; use uncertainty='bootstrap' (documents resampled, "
            "shares held fixed) or 'none' (regression uncertainty only), and say which.")
    n_draws = check_int("n_draws", n_draws, minimum=1)
    n_coef = check_int("n_coef", n_coef, minimum=1)
    n_boot = check_int("n_boot", n_boot, minimum=2)
    if not 0 < level < 1:
        raise ParameterError(f"`level` must be in (0, 1); got {level!r}.")
    seed = model.seed if seed is None else check_int("seed", seed, minimum=0)
    rhs = translate_formula(formula)
    variables = formula_variables(formula)
    if not variables:
        raise ParameterError(f"the formula {formula!r} names no covariate.")
    metadata = model.units_.tokens.metadata if metadata is None else metadata
    data, notes = covariates(metadata, model.doc_topic_.index, variables)
    if len(data) < 3:
        raise ParameterError(f"only {len(data)} documents have {', '.join(variables)}; the regression "
                             "needs more.")
    design = _Design(rhs, data)
    n, p = design.x.shape
    if n <= p:
        raise ParameterError(f"{n} documents for {p} regression coefficients (formula {formula!r}); "
                             "use fewer spline degrees of freedom or more documents.")
    rows, names = _contrast_rows(design, variables, time)
    grid_rows, grid_index = _grid_rows(design, variables, time, n_grid)
    rows_all = np.vstack([rows] + ([grid_rows] if grid_rows is not None else []))
    draws = _draws(model, design.x, data.index, rows_all, uncertainty, n_draws, n_coef, n_boot, seed)
    alpha = (1 - level) / 2
    est = draws.mean(axis=0)
    low, high = np.quantile(draws, [alpha, 1 - alpha], axis=0)
    k = model.k
    n_c = len(names)
    effects = pd.DataFrame([(t, names[c], est[c, t], low[c, t], high[c, t])
                            for c in range(n_c) for t in range(k)],
                           columns=["topic", "contrast", "estimate", "ci_low", "ci_high"])
    effects = effects.sort_values(["contrast", "topic"], kind="stable", key=_contrast_order(names)
                                  ).reset_index(drop=True)
    over_time = None
    if grid_rows is not None:
        recs = [(tv, g, t, est[n_c + i, t], low[n_c + i, t], high[n_c + i, t])
                for i, (tv, g) in enumerate(grid_index) for t in range(k)]
        over_time = pd.DataFrame(recs, columns=[time, "group", "topic", "estimate", "ci_low", "ci_high"])
    groups = [v for v in variables if not _is_numeric(data[v])]
    params = {**result_params(model.units_.tokens, {}), "formula": formula, "patsy_formula": rhs,
              "uncertainty": uncertainty, "level": level,
              "interval": INTERVAL_TEXT[uncertainty].format(level=level),
              "n_draws": n_draws if uncertainty != "bootstrap" else None,
              "n_coef": n_coef if uncertainty != "bootstrap" else None,
              "n_boot": n_boot if uncertainty == "bootstrap" else None, "seed": seed,
              "time": time if time in variables else None, "groups": groups,
              "reference_levels": {g: str(sorted(map(str, data[g].unique()))[0]) for g in groups},
              "n_documents": n, "n_coefficients": p, "method": model.method, "k": k,
              "model": model.get_params() if hasattr(model, "get_params") else None,
              "regression": ("OLS of each topic's document share (statsmodels); coefficient draws "
                             "from the nonrobust covariance, correlated across topics as the "
                             "residuals are")}
    logger.info("effects of %s on %d topics over %d documents (%s)", formula, k, n, uncertainty)
    return EffectsResult(effects, over_time, params, notes)


def _contrast_order(names: list[str]):
    order = {name: i for i, name in enumerate(names)}

    def key(col: pd.Series) -> pd.Series:
        return col.map(order) if col.name == "contrast" else col

    return key


def _levels(col: pd.Series) -> list:
    return sorted(col.unique().tolist(), key=str)


def _time_values(col: pd.Series, n_grid: int) -> np.ndarray:
    lo, hi = float(col.min()), float(col.max())
    if np.allclose(col, np.round(col)) and hi - lo <= 500:
        return np.arange(lo, hi + 1)
    return np.linspace(lo, hi, n_grid)


def _interacts(design: _Design, a: str, b: str) -> bool:
    """Whether some term of the design involves both variables."""
    for term in design.info.terms:
        codes = " ".join(f.name() for f in term.factors)
        found = set(_NAME.findall(codes))
        if a in found and b in found:
            return True
    return False


def _contrast_rows(design: _Design, variables: list[str], time: str) -> tuple[np.ndarray, list[str]]:
    data = design.data
    rows, names = [], []
    groups = [v for v in variables if not _is_numeric(data[v])]
    if time in variables:
        if not _is_numeric(data[time]):
            raise ParameterError(f"the time covariate {time!r} must be numeric (e.g. a year); "
                                 f"it holds {data[time].iloc[0]!r}.")
        first, last = float(data[time].min()), float(data[time].max())
        if first == last:
            raise ParameterError(f"all documents have {time}={first:g}: no change over time can be estimated.")
        rows.append(design.mean_row(**{time: last}) - design.mean_row(**{time: first}))
        names.append(FIRST_TO_LAST)
        for g in groups:
            if _interacts(design, time, g):
                for level in _levels(data[g]):
                    rows.append(design.mean_row(**{time: last, g: level})
                                - design.mean_row(**{time: first, g: level}))
                    names.append(f"{FIRST_TO_LAST} | {g}={level}")
    for g in groups:
        levels = _levels(data[g])
        if len(levels) < 2:
            continue
        ref = design.mean_row(**{g: levels[0]})
        for level in levels[1:]:
            rows.append(design.mean_row(**{g: level}) - ref)
            names.append(f"{g}: {level} - {levels[0]}")
    for v in variables:
        if v != time and _is_numeric(data[v]):
            lo, hi = float(data[v].min()), float(data[v].max())
            if lo < hi:
                rows.append(design.mean_row(**{v: hi}) - design.mean_row(**{v: lo}))
                names.append(f"{v}: min-to-max")
    if not rows:
        raise ParameterError("the formula gives no contrast: name a time column, a group with two or "
                             "more levels, or a numeric covariate that varies.")
    return np.vstack(rows), names


def _grid_rows(design: _Design, variables: list[str], time: str, n_grid: int
               ) -> tuple[np.ndarray | None, list[tuple[float, str]]]:
    data = design.data
    if time not in variables:
        return None, []
    groups = [v for v in variables if not _is_numeric(data[v])]
    levels = _levels(data[groups[0]]) if groups else [None]
    rows, index = [], []
    for level in levels:
        for tv in _time_values(data[time], n_grid):
            values = {time: float(tv)}
            if level is not None:
                values[groups[0]] = level
            rows.append(design.mean_row(**values))
            index.append((float(tv), "all" if level is None else str(level)))
    return np.vstack(rows), index


def _draws(model: Any, x: np.ndarray, doc_ids: pd.Index, rows: np.ndarray, uncertainty: str,
           n_draws: int, n_coef: int, n_boot: int, seed: int) -> np.ndarray:
    """Pooled draws of every contrast/prediction row: (n_pooled, n_rows, k)."""
    rng = np.random.default_rng([seed, 20_240_516])
    point = model.doc_topic_.loc[doc_ids].to_numpy(dtype=float)
    out = []
    if uncertainty == "bootstrap":
        n = len(point)
        for _ in range(n_boot):
            idx = rng.integers(0, n, n)
            params, _, _ = _ols(x[idx], point[idx])
            out.append(rows @ params)
        return np.stack(out)
    if uncertainty == "composition":
        gamma = unit_gamma(model)
        agg = _aggregation(model.units_.frame, doc_ids)
    for _ in range(n_draws):
        if uncertainty == "composition":
            g = rng.standard_gamma(gamma)
            theta = g / g.sum(axis=1, keepdims=True)
            y = np.asarray(agg @ theta)
        else:
            y = point
        params, xtx_inv, resid_cov = _ols(x, y)
        # vec(B) ~ N(vec(B_hat), Sigma (x) (X'X)^-1): each topic's coefficients have the usual OLS
        # covariance, and the topics' errors are correlated as their residuals are (shares sum
        # to one, so every draw's expected shares do too).
        z = rng.standard_normal((n_coef, x.shape[1], y.shape[1]))
        coefs = params[None] + np.linalg.cholesky(xtx_inv)[None] @ z @ _sqrt_psd(resid_cov)[None]
        out.append(np.einsum("rp,cpk->crk", rows, coefs))
    return np.concatenate(out)
