"""Shared statistics: bootstrap over documents, proportions, Benjamini-Hochberg, G² keyness,
precision / recall / F1."""

from __future__ import annotations

import math

import numpy as np

CI_LEVEL = 0.95
N_BOOT = 1000


def _check_level(level: float) -> float:
    if not 0 < level < 1:
        raise ValueError(f"`level` must be between 0 and 1; got {level}.")
    return level


def bootstrap_ratio_ci(numerators: np.ndarray, denominators: np.ndarray, *, n_boot: int = N_BOOT,
                       level: float = CI_LEVEL, seed: int = 0) -> tuple[float, float, float]:
    """Ratio of sums (e.g. term count / tokens) with a percentile bootstrap over documents.

    Resampling whole documents respects that tokens cluster in documents. Returns
    (estimate, low, high); NaNs when the denominators sum to zero.
    """
    _check_level(level)
    num = np.asarray(numerators, dtype=float)
    den = np.asarray(denominators, dtype=float)
    if num.shape != den.shape:
        raise ValueError("numerators and denominators must have the same shape")
    total = den.sum()
    if len(den) == 0 or total <= 0:
        return (float("nan"),) * 3
    est = num.sum() / total
    rng = np.random.default_rng(seed)
    idx = rng.integers(0, len(num), size=(n_boot, len(num)))
    boot_den = den[idx].sum(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        boot = num[idx].sum(axis=1) / boot_den
    boot = boot[np.isfinite(boot)]
    alpha = (1 - level) / 2
    low, high = np.quantile(boot, [alpha, 1 - alpha]) if len(boot) else (np.nan, np.nan)
    return float(est), float(low), float(high)


def bootstrap_mean_ci(values: np.ndarray, *, n_boot: int = N_BOOT, level: float = CI_LEVEL,
                      seed: int = 0) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Column means of `values` (n_docs, k) with percentile bootstrap intervals over rows (documents)."""
    _check_level(level)
    x = np.asarray(values, dtype=float)
    if x.ndim == 1:
        x = x[:, None]
    n = x.shape[0]
    if n == 0:
        nan = np.full(x.shape[1], np.nan)
        return nan, nan, nan
    mean = x.mean(axis=0)
    rng = np.random.default_rng(seed)
    step = max(1, 4_000_000 // max(1, n * x.shape[1]))  # resamples per block, bounded memory
    boot = np.empty((n_boot, x.shape[1]))
    for start in range(0, n_boot, step):
        b = min(step, n_boot - start)
        boot[start : start + b] = x[rng.integers(0, n, size=(b, n))].mean(axis=1)
    alpha = (1 - level) / 2
    low, high = np.quantile(boot, [alpha, 1 - alpha], axis=0)
    return mean, low, high


def wilson_ci(successes: int, trials: int, *, level: float = CI_LEVEL) -> tuple[float, float, float]:
    """Proportion with the Wilson score interval (Wilson 1927); NaNs for zero trials."""
    _check_level(level)
    if trials <= 0:
        return (float("nan"),) * 3
    from scipy import stats as _st  # here, not at the top: scipy.stats takes a second to import

    z = _st.norm.ppf(1 - (1 - level) / 2)
    p = successes / trials
    denom = 1 + z**2 / trials
    centre = (p + z**2 / (2 * trials)) / denom
    half = z * np.sqrt(p * (1 - p) / trials + z**2 / (4 * trials**2)) / denom
    # the interval always holds p; clamping removes rounding error at p = 0 or 1 (e.g. 5.6e-17 > 0)
    return float(p), float(min(p, max(0.0, centre - half))), float(max(p, min(1.0, centre + half)))


def benjamini_hochberg(p_values: np.ndarray) -> np.ndarray:
    """False-discovery-rate q-values (Benjamini and Hochberg 1995); NaNs stay NaN."""
    p = np.asarray(p_values, dtype=float)
    q = np.full_like(p, np.nan)
    ok = np.isfinite(p)
    pv = p[ok]
    m = len(pv)
    if m == 0:
        return q
    order = np.argsort(pv)
    ranked = pv[order] * m / np.arange(1, m + 1)
    ranked = np.minimum.accumulate(ranked[::-1])[::-1]
    out = np.empty(m)
    out[order] = np.minimum(ranked, 1.0)
    q[ok] = out
    return q


def g2_keyness(a: np.ndarray, b: np.ndarray, total_a: float, total_b: float) -> tuple[np.ndarray, np.ndarray]:
    """Log-likelihood G² (Dunning 1993; Rayson and Garside 2000) and log ratio (Hardie 2014).

    `a`, `b`: a term's frequency in the target and the reference; totals: their token counts.
    Log ratio is log2 of the ratio of relative frequencies, with 0.5 added to zero counts.
    Positive log ratio: more frequent in the target.
    """
    a = np.asarray(a, dtype=float)
    b = np.asarray(b, dtype=float)
    n = total_a + total_b
    e1 = total_a * (a + b) / n
    e2 = total_b * (a + b) / n
    with np.errstate(divide="ignore", invalid="ignore"):
        t1 = np.where(a > 0, a * np.log(a / e1), 0.0)
        t2 = np.where(b > 0, b * np.log(b / e2), 0.0)
    g2 = 2 * (t1 + t2)
    ratio = np.log2(((np.where(a > 0, a, 0.5)) / total_a) / ((np.where(b > 0, b, 0.5)) / total_b))
    return g2, ratio


def g2_p_value(g2: np.ndarray) -> np.ndarray:
    """p-value of G² against chi-square with one degree of freedom."""
    from scipy import stats as _st

    return _st.chi2.sf(np.asarray(g2, dtype=float), df=1)


def krippendorff_alpha_nominal(values: np.ndarray) -> float:
    """Krippendorff's alpha for nominal data (Krippendorff 2004, ch. 11; Hayes and Krippendorff 2007).

    `values`: (n_coders, n_units), codes as numbers, NaN where a coder left a unit uncoded. Units
    coded by fewer than two coders are left out. alpha = 1 - D_o / D_e from the coincidence matrix;
    NaN when fewer than two values are pairable or all pairable values are one category.
    """
    x = np.asarray(values, dtype=float)
    if x.ndim != 2:
        raise ValueError("`values` must be 2-D: (coders, units)")
    cats = np.unique(x[np.isfinite(x)])
    if len(cats) == 0:
        return float("nan")
    index = {c: i for i, c in enumerate(cats)}
    o = np.zeros((len(cats), len(cats)))
    for u in range(x.shape[1]):
        col = x[:, u]
        col = col[np.isfinite(col)]
        m = len(col)
        if m < 2:
            continue
        counts = np.zeros(len(cats))
        for v in col:
            counts[index[v]] += 1
        # ordered pairs of values from different coders within the unit, weighted 1 / (m - 1)
        o += (np.outer(counts, counts) - np.diag(counts)) / (m - 1)
    n_c = o.sum(axis=1)
    n = n_c.sum()
    if n < 2:
        return float("nan")
    d_o = (o.sum() - np.trace(o)) / n
    d_e = (n * n - (n_c**2).sum()) / (n * (n - 1))
    if d_e == 0:
        return float("nan")
    return float(1 - d_o / d_e)


def prf(y_true: np.ndarray, y_pred: np.ndarray) -> dict[str, float]:
    """Precision, recall and F1 of binary labels (0 where a denominator is zero; NaN when there
    are neither gold nor predicted positives)."""
    t = np.asarray(y_true, dtype=bool)
    p = np.asarray(y_pred, dtype=bool)
    tp = int((t & p).sum())
    fp = int((~t & p).sum())
    fn = int((t & ~p).sum())
    return prf_counts(tp, fp, fn)


def prf_counts(tp: int, fp: int, fn: int) -> dict[str, float]:
    """`prf` from counts of true positives, false positives and false negatives."""
    if tp + fp + fn == 0:
        ratios = {"precision": math.nan, "recall": math.nan, "f1": math.nan}
    else:
        ratios = {"precision": tp / (tp + fp) if tp + fp else 0.0,
                  "recall": tp / (tp + fn) if tp + fn else 0.0,
                  "f1": 2 * tp / (2 * tp + fp + fn)}
    return {"tp": tp, "fp": fp, "fn": fn, **ratios}
