"""Tests for connectnet._stats: the one p-value rule and multiple-testing adjustment."""

from __future__ import annotations

import itertools

import networkx as nx
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import connectnet as cn
from connectnet._stats import adjust_pvalues, check_permutations, permutation_pvalues


def test_pvalues_hand_counted():
    # null 1..9, observed 7: b_ge = 3 (7, 8, 9), b_le = 7 (1..7), R = 9
    # p_ge = 4/10, p_le = 8/10, two-sided = min(1, 2 * 0.4) = 0.8
    pg, pl, p2 = permutation_pvalues(np.arange(1.0, 10.0), 7.0)
    assert (pg, pl, p2) == (pytest.approx(0.4), pytest.approx(0.8), pytest.approx(0.8))
    # observed beyond every draw: p_ge = 1/10, two-sided 2/10
    assert permutation_pvalues(np.arange(1.0, 10.0), 99.0) == pytest.approx((0.1, 1.0, 0.2))
    # the two-sided value is capped at 1 (observed at the median)
    assert permutation_pvalues(np.array([0.0, 1.0, 2.0]), 1.0)[2] == 1.0


def test_nan_draws_count_as_extreme_and_nan_observed_gives_nan():
    pg, pl, _ = permutation_pvalues(np.array([np.nan, 0.0, 0.0]), 5.0)
    # b_ge = 1 (the nan), b_le = 3
    assert (pg, pl) == (pytest.approx(2 / 4), pytest.approx(1.0))
    assert all(np.isnan(permutation_pvalues(np.zeros(3), float("nan"))))


def test_enumerated_sign_flip_null():
    """Exact null of a paired test by enumerating all 2^5 sign flips of 5 differences.

    Differences d = (3, 1, 2, 5, 4), observed sum 15 = the largest of the 32 flip sums, so
    b_ge = 1 (only itself) and b_le = 32 over R = 32 draws: p_ge = 2/33, two-sided 4/33.
    """
    d = np.array([3.0, 1.0, 2.0, 5.0, 4.0])
    null = np.array([np.dot(s, d) for s in itertools.product((1, -1), repeat=5)])
    pg, pl, p2 = permutation_pvalues(null, float(d.sum()))
    assert pg == pytest.approx(2 / 33)
    assert pl == pytest.approx(1.0)
    assert p2 == pytest.approx(4 / 33)


def test_exact_level_when_observed_is_exchangeable_with_the_null():
    """If the observed value is one more draw from the null, its rank among the R + 1
    values is uniform, so P(p_ge <= a) = a and P(two-sided <= a) <= a exactly for
    a = k / (R + 1); enumerate every rank of R = 19 continuous draws."""
    draws = np.arange(20.0)
    p_ge, p_two = [], []
    for k in range(20):
        pg, _, p2 = permutation_pvalues(np.delete(draws, k), draws[k])
        p_ge.append(pg)
        p_two.append(p2)
    for a in (0.05, 0.1, 0.25, 0.5):
        assert np.mean(np.array(p_ge) <= a + 1e-12) == pytest.approx(a)
        assert np.mean(np.array(p_two) <= a + 1e-12) <= a + 1e-12
    # at a = 0.1 the two-sided test rejects the top and bottom ranks: exactly 10 %
    assert np.mean(np.array(p_two) <= 0.1 + 1e-12) == pytest.approx(0.1)


@settings(deadline=None, max_examples=50)
@given(st.lists(st.floats(-5, 5), min_size=1, max_size=30), st.floats(-5, 5))
def test_two_sided_is_twice_the_smaller_tail(null, observed):
    pg, pl, p2 = permutation_pvalues(np.array(null), observed)
    assert 0 < pg <= 1
    assert 0 < pl <= 1
    assert p2 == min(1.0, 2 * min(pg, pl))
    assert pg + pl >= 1  # every draw is in at least one tail


def test_ei_test_uses_the_rule():
    G = nx.karate_club_graph()
    res = cn.ei_test(G, "club", n_permutations=99, seed=2)
    counts = (res.distribution * res.n_ties + res.n_ties) / 2
    observed = (res.observed * res.n_ties + res.n_ties) / 2
    assert (res.p_external, res.p_internal, res.p_value) == pytest.approx(
        permutation_pvalues(counts, observed)
    )


def test_adjust_hand_values_equal_r_p_adjust():
    p = np.array([0.01, 0.04, 0.03, 0.005])
    # Holm: sorted .005 .01 .03 .04 times 4 3 2 1 = .02 .03 .06 .04, running max
    # .02 .03 .06 .06 (R: p.adjust(c(.01, .04, .03, .005), "holm"))
    np.testing.assert_allclose(adjust_pvalues(p, "holm"), [0.03, 0.06, 0.06, 0.02])
    # BH: sorted times 4/1 4/2 4/3 4/4 = .02 .02 .04 .04, running min from the top
    np.testing.assert_allclose(adjust_pvalues(p, "fdr_bh"), [0.02, 0.04, 0.04, 0.02])
    np.testing.assert_array_equal(adjust_pvalues(p, None), p)
    # nan stays nan and is not counted in the family; capped at 1
    out = adjust_pvalues(np.array([np.nan, 0.6, 0.7]), "holm")
    assert np.isnan(out[0])
    np.testing.assert_allclose(out[1:], [1.0, 1.0])


@settings(deadline=None, max_examples=50)
@given(st.lists(st.floats(0, 1), min_size=1, max_size=20))
def test_adjusted_at_least_raw_and_holm_at_least_bh(p):
    p = np.array(p)
    holm = adjust_pvalues(p, "holm")
    bh = adjust_pvalues(p, "fdr_bh")
    assert (holm >= p - 1e-12).all()
    assert (bh >= p - 1e-12).all()
    assert (holm >= bh - 1e-12).all()
    assert (holm <= 1).all()


def test_bad_arguments():
    with pytest.raises(ValueError, match="`adjust`"):
        adjust_pvalues([0.1], "bonferroni")
    for bad in (0, 2.5, True, "9"):
        with pytest.raises(ValueError, match="`n_permutations`"):
            check_permutations(bad)


def test_sign_test_exact_values():
    from connectnet._stats import sign_test

    # 5 gained, 1 lost: P(X >= 5 | Bin(6, 1/2)) = (6 + 1) / 64; two-sided doubles it
    pg, pl, p2 = sign_test([5, 0, 2], [1, 0, 2])
    assert pg[0] == pytest.approx(7 / 64)
    assert pl[0] == pytest.approx(63 / 64)
    assert p2[0] == pytest.approx(14 / 64)
    assert (pg[1], pl[1], p2[1]) == (1.0, 1.0, 1.0)  # nothing changed
    assert p2[2] == 1.0  # 2 and 2: the middle of the null
