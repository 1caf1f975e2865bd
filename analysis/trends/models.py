"""Count models behind the trend tables: quasi-Poisson rate intervals and the log-linear
trend test, fitted without statsmodels (Newton/IRLS in numpy, vectorised over terms).

The trend model for one term (McCullagh and Nelder 1989, ch. 6; Wedderburn 1974):

    y_d ~ quasi-Poisson(mean = T_d * exp(a + b * t_d),  variance = phi * mean)

with y_d the term's count in document d, T_d the document's tokens (the offset), t_d the
midpoint of the document's period in years. Because t_d is constant within a period, the
Poisson maximum-likelihood fit depends on the documents only through period totals, so the
fit runs on (series x period) arrays; the dispersion phi is still the document-level Pearson
statistic, which is what makes the test respect that occurrences cluster in documents (a
term used ten times in one speech counts as one noisy document, not ten independent
tokens). phi is floored at 1 (never claim less noise than Poisson).

`test="quasi-poisson"`: quasi-likelihood F test of b = 0, F = (D0 - D1) / phi on (1, n - 2)
degrees of freedom (a likelihood-ratio test; better behaved than the Wald test for sparse
counts). `test="period-robust"`: Wald test with a sandwich variance clustered by period
(Liang and Zeger 1986; CR1 small-sample factor, t on G - 1 df), which also allows for shocks
shared by all documents of a period (an event that every speech of one year mentions). With
few periods or sparse counts the sandwich is itself noisy and can be too small: on the demo
corpus it called one of four planted flat terms falling (q = 0.043) where the quasi-Poisson
test called none, so it is an option for checking, not the default.
"""

from __future__ import annotations

import numpy as np
from scipy import stats as _st

from analysis.stats import CI_LEVEL

TESTS = ("quasi-poisson", "period-robust")


def pearson_dispersion(y: np.ndarray, tokens: np.ndarray, cells: np.ndarray) -> np.ndarray:
    """Quasi-Poisson dispersion of document counts around their cell's pooled rate.

    y : (n_docs, n_terms) counts; tokens : (n_docs,); cells : (n_docs,) integer cell ids.
    Returns phi per term: Pearson X^2 / (documents - cells), over cells where the term occurs,
    floored at 1 (1 when there are no degrees of freedom).
    """
    y = np.asarray(y, dtype=float)
    if y.ndim == 1:
        y = y[:, None]
    t = np.asarray(tokens, dtype=float)
    ok = t > 0
    y, t, cells = y[ok], t[ok], np.asarray(cells)[ok]
    if len(t) == 0:
        return np.ones(y.shape[1])
    _, inv = np.unique(cells, return_inverse=True)
    n_cells = inv.max() + 1
    cell_y = np.zeros((n_cells, y.shape[1]))
    np.add.at(cell_y, inv, y)
    cell_t = np.bincount(inv, weights=t, minlength=n_cells)
    rate = cell_y / cell_t[:, None]
    mu = t[:, None] * rate[inv]
    with np.errstate(divide="ignore", invalid="ignore"):
        contrib = np.where(mu > 0, (y - mu) ** 2 / mu, 0.0)
    x2 = contrib.sum(axis=0)
    docs = (rate[inv] > 0).sum(axis=0)
    used_cells = (rate > 0).sum(axis=0)
    df = docs - used_cells
    with np.errstate(divide="ignore", invalid="ignore"):
        phi = np.where(df > 0, x2 / np.maximum(df, 1), 1.0)
    return np.maximum(phi, 1.0)


def quasi_poisson_rate_ci(count: np.ndarray, tokens: np.ndarray, dispersion: np.ndarray | float = 1.0,
                          *, level: float = CI_LEVEL) -> tuple[np.ndarray, np.ndarray]:
    """Interval for a rate count/tokens under quasi-Poisson variance phi * mean.

    The exact Poisson (Garwood 1936) interval applied to the effective count count/phi over
    effective exposure tokens/phi; with phi = 1 it is the exact Poisson interval. Unlike the
    percentile bootstrap it gives a non-zero upper bound for a zero count and a real width
    for a period with a single document. NaN where tokens are 0.
    """
    if not 0 < level < 1:
        raise ValueError(f"`level` must be between 0 and 1; got {level}.")
    y = np.asarray(count, dtype=float)
    t = np.asarray(tokens, dtype=float)
    phi = np.broadcast_to(np.asarray(dispersion, dtype=float), np.broadcast(y, t).shape)
    alpha = 1 - level
    y_eff = y / phi
    with np.errstate(divide="ignore", invalid="ignore"):
        t_eff = t / phi
        low = np.where(y > 0, _st.chi2.ppf(alpha / 2, 2 * np.maximum(y_eff, 1e-300)) / 2, 0.0) / t_eff
        high = _st.chi2.ppf(1 - alpha / 2, 2 * (y_eff + 1)) / 2 / t_eff
    bad = ~(t > 0)
    low = np.where(bad, np.nan, low)
    high = np.where(bad, np.nan, high)
    return low, high


def poisson_trend(counts: np.ndarray, tokens: np.ndarray, sq_over_tokens: np.ndarray, n_docs: np.ndarray,
                  time: np.ndarray, *, test: str = "quasi-poisson", level: float = CI_LEVEL,
                  max_iter: int = 100, tol: float = 1e-10) -> dict[str, np.ndarray]:
    """Fit log(rate) = a + b * time for many series at once; test b = 0.

    Parameters
    ----------
    counts : (S, P) a series' term count in each period.
    tokens : (S, P) tokens in each period (0 for a period without documents).
    sq_over_tokens : (S, P) sum over the period's documents of y_d^2 / T_d (for the
        document-level Pearson dispersion).
    n_docs : (S, P) documents with tokens in each period.
    time : (P,) period midpoints in years.
    test : 'quasi-poisson' or 'period-robust' (see the module docstring).

    Returns a dict of (S,) arrays: slope, se, low, high, p_value, dispersion, n_periods,
    converged, and `status` ('ok', 'never occurs', 'one period').
    """
    if test not in TESTS:
        raise ValueError(f"`test` must be one of {TESTS}; got {test!r}.")
    y = np.atleast_2d(np.asarray(counts, dtype=float))
    t = np.atleast_2d(np.asarray(tokens, dtype=float))
    s2 = np.atleast_2d(np.asarray(sq_over_tokens, dtype=float))
    nd = np.atleast_2d(np.asarray(n_docs, dtype=float))
    x = np.asarray(time, dtype=float)
    use = t > 0
    xc = np.broadcast_to(x - x.mean(), y.shape)
    ysum = (y * use).sum(axis=1)
    tsum = (t * use).sum(axis=1)
    periods_with = ((y > 0) & use).sum(axis=1)
    n_periods = use.sum(axis=1)
    status = np.where(ysum <= 0, "never occurs", np.where(periods_with < 2, "one period", "ok"))
    fit = status == "ok"
    S = y.shape[0]
    a = np.zeros(S)
    b = np.zeros(S)
    with np.errstate(divide="ignore", invalid="ignore"):
        a[fit] = np.log(ysum[fit] / tsum[fit])
    converged = np.zeros(S, dtype=bool)
    active = fit.copy()
    for _ in range(max_iter):
        if not active.any():
            break
        ia = np.flatnonzero(active)
        mu = np.where(use[ia], t[ia] * np.exp(a[ia, None] + b[ia, None] * xc[ia]), 0.0)
        r = (y[ia] - mu) * use[ia]
        g1, g2 = r.sum(axis=1), (r * xc[ia]).sum(axis=1)
        h11, h12, h22 = mu.sum(axis=1), (mu * xc[ia]).sum(axis=1), (mu * xc[ia] ** 2).sum(axis=1)
        det = h11 * h22 - h12**2
        with np.errstate(divide="ignore", invalid="ignore"):
            da = (h22 * g1 - h12 * g2) / det
            db = (h11 * g2 - h12 * g1) / det
        da = np.nan_to_num(da)
        db = np.nan_to_num(db)
        scale = np.minimum(1.0, 0.5 / np.maximum(np.abs(db), 1e-300))  # at most 0.5 log-units a year a step
        a[ia] += da * scale
        b[ia] += db * scale
        done = (np.abs(da) < tol * (1 + np.abs(a[ia]))) & (np.abs(db) < tol) & (scale == 1)
        converged[ia[done]] = True
        active[ia[done]] = False

    mu1 = np.where(use, t * np.exp(a[:, None] + b[:, None] * xc), 0.0)
    h11, h12, h22 = mu1.sum(axis=1), (mu1 * xc).sum(axis=1), (mu1 * xc**2).sum(axis=1)
    det = h11 * h22 - h12**2
    lam = np.exp(a[:, None] + b[:, None] * xc)
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        x2 = np.where(use, s2 / lam, 0.0).sum(axis=1) - ysum
        df = nd.sum(axis=1) - 2
        phi = np.maximum(np.where(df > 0, x2 / np.maximum(df, 1), 1.0), 1.0)
        mu0 = t * (ysum / tsum)[:, None]
        dev = 2 * np.where(use & (y > 0), y * np.log(mu1 / mu0), 0.0).sum(axis=1) - 2 * (mu1 - mu0).sum(axis=1)
        dev = np.maximum(dev, 0.0)
        inv22 = h11 / det
    alpha = 1 - level
    slope = np.where(fit, b, np.nan)
    if test == "quasi-poisson":
        se = np.sqrt(phi * inv22)
        dfe = np.maximum(df, 1)
        p = _st.f.sf(dev / phi, 1, dfe)
        crit = _st.t.ppf(1 - alpha / 2, dfe)
    else:
        r = np.where(use, y - mu1, 0.0)
        b11, b12, b22 = (r**2).sum(axis=1), (r**2 * xc).sum(axis=1), (r**2 * xc**2).sum(axis=1)
        g = n_periods.astype(float)
        with np.errstate(divide="ignore", invalid="ignore"):
            v22 = (h12**2 * b11 - 2 * h12 * h11 * b12 + h11**2 * b22) / det**2 * g / np.maximum(g - 1, 1)
            se = np.sqrt(v22)
            tstat = b / se
        dfe = np.maximum(g - 1, 1)
        p = 2 * _st.t.sf(np.abs(tstat), dfe)
        crit = _st.t.ppf(1 - alpha / 2, dfe)
    se = np.where(fit, se, np.nan)
    p = np.where(fit & np.isfinite(p), p, np.nan)
    return {
        "slope": slope, "se": se, "low": slope - crit * se, "high": slope + crit * se,
        "p_value": p, "dispersion": np.where(fit, phi, np.nan), "n_periods": n_periods,
        "converged": converged | ~fit, "status": status,
    }
