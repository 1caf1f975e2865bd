"""Shared statistics: bootstrap intervals, Wilson, Benjamini-Hochberg, G² and log ratio."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from analysis.stats import (
    benjamini_hochberg,
    bootstrap_mean_ci,
    bootstrap_ratio_ci,
    g2_keyness,
    g2_p_value,
    prf,
    wilson_ci,
)


def test_benjamini_hochberg_matches_a_hand_computed_example():
    # p sorted: .01 .03 .04 .5 -> p*m/rank: .04 .06 .0533 .5 -> running min from the top
    q = benjamini_hochberg(np.array([0.01, 0.04, 0.03, 0.5]))
    assert q == pytest.approx([0.04, 0.0533333, 0.0533333, 0.5], rel=1e-5)


def test_benjamini_hochberg_keeps_nans_in_place():
    q = benjamini_hochberg(np.array([np.nan, 0.02, 0.04]))
    assert np.isnan(q[0])
    assert q[1:] == pytest.approx([0.04, 0.04])


def test_g2_and_log_ratio_match_a_hand_computed_example():
    # a=10 of 1000, b=2 of 1000: E1=E2=6; G2 = 2*(10 ln(10/6) + 2 ln(2/6))
    g2, lr = g2_keyness(np.array([10]), np.array([2]), 1000, 1000)
    assert g2[0] == pytest.approx(2 * (10 * np.log(10 / 6) + 2 * np.log(2 / 6)))
    assert lr[0] == pytest.approx(np.log2(5))
    assert g2_p_value(g2)[0] == pytest.approx(0.0161, abs=1e-3)


def test_log_ratio_is_finite_for_a_zero_count():
    _, lr = g2_keyness(np.array([0]), np.array([4]), 100, 100)
    assert lr[0] == pytest.approx(np.log2(0.5 / 4))


def test_wilson_interval_matches_a_published_value():
    # 3 of 10 at 95%: Wilson interval 0.108-0.603 (Newcombe 1998, method 3)
    p, low, high = wilson_ci(3, 10)
    assert (p, round(low, 3), round(high, 3)) == (0.3, 0.108, 0.603)


def test_wilson_interval_of_zero_trials_is_nan():
    assert all(np.isnan(v) for v in wilson_ci(0, 0))


def test_bootstrap_ratio_is_the_ratio_of_sums_and_reproducible():
    num, den = np.array([1, 2, 0, 5]), np.array([100, 200, 50, 300])
    first = bootstrap_ratio_ci(num, den, seed=3)
    assert first[0] == pytest.approx(8 / 650)
    assert first == bootstrap_ratio_ci(num, den, seed=3)


def test_bootstrap_ratio_of_empty_input_is_nan():
    assert all(np.isnan(v) for v in bootstrap_ratio_ci(np.array([]), np.array([])))


def test_bootstrap_level_outside_zero_one_is_refused():
    with pytest.raises(ValueError, match="`level` must be between 0 and 1"):
        bootstrap_mean_ci(np.ones((3, 2)), level=1.5)


@settings(max_examples=40, deadline=None)
@given(st.lists(st.floats(0, 1), min_size=2, max_size=40), st.integers(0, 10_000))
def test_bootstrap_mean_interval_contains_the_mean(values, seed):
    mean, low, high = bootstrap_mean_ci(np.array(values)[:, None], n_boot=200, seed=seed)
    assert low[0] - 1e-12 <= mean[0] <= high[0] + 1e-12


@settings(max_examples=40, deadline=None)
@given(st.integers(0, 50), st.integers(1, 50))
def test_wilson_interval_contains_the_proportion(successes, extra):
    p, low, high = wilson_ci(successes, successes + extra)
    assert 0 <= low <= p <= high <= 1


def test_wilson_interval_at_zero_and_all_successes_holds_the_proportion_exactly():
    # rounding once put the lower bound at 5.6e-17 above p = 0 (found by hypothesis)
    for trials in (1, 7, 100, 12345):
        p, low, high = wilson_ci(0, trials)
        assert p == low == 0.0 < high
        p, low, high = wilson_ci(trials, trials)
        assert low < high == p == 1.0


def test_prf_on_a_hand_computed_example():
    # gold 1 1 1 0 0 0 / predicted 1 1 0 1 0 0: tp 2, fp 1, fn 1 -> P 2/3, R 2/3, F1 2/3
    s = prf([1, 1, 1, 0, 0, 0], [1, 1, 0, 1, 0, 0])
    assert (s["tp"], s["fp"], s["fn"]) == (2, 1, 1)
    assert s["precision"] == pytest.approx(2 / 3) and s["recall"] == pytest.approx(2 / 3)
    assert s["f1"] == pytest.approx(2 / 3)
    # gold 1 1 1 1 / predicted 1 0 0 0: P 1, R 1/4, F1 = 2*1*0.25/1.25 = 0.4
    s = prf([1, 1, 1, 1], [1, 0, 0, 0])
    assert (s["precision"], s["recall"], s["f1"]) == (1.0, 0.25, pytest.approx(0.4))
    # nothing predicted: precision 0 by convention; nothing at all: undefined
    assert prf([1, 0], [0, 0])["precision"] == 0.0
    assert math.isnan(prf([0, 0], [0, 0])["f1"])
