"""Goodness of fit of SAOMs (sienaGOF): auxiliary statistics by hand and against
networkx, the Mahalanobis p-value by hand and its calibration, agreement with RSiena,
and the plot."""

from __future__ import annotations

import matplotlib
import networkx as nx
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import connectnet as cn
from connectnet.saom.gof import _TRIAD_TYPES, _auxiliary, mahalanobis_p, triad_census
from saom_reference import at_rsiena_estimate, rsiena

matplotlib.use("Agg")

# 0->1, 1->0, 0->2, 1->2, 2->0; actor 3 isolated (as in test_saom.py)
SMALL = np.zeros((4, 4), dtype=np.int8)
for _i, _j in [(0, 1), (1, 0), (0, 2), (1, 2), (2, 0)]:
    SMALL[_i, _j] = 1
ALL = np.ones(4, dtype=bool)


def test_auxiliary_statistics_by_hand():
    # indegrees (2, 1, 2, 0): actors with indegree <= 0, 1, 2, ...: 1, 2, 4, 4, ...
    assert _auxiliary("indegree", SMALL, ALL).tolist() == [1, 2, 4, 4, 4, 4, 4, 4, 4]
    # outdegrees (2, 2, 1, 0)
    assert _auxiliary("outdegree", SMALL, ALL).tolist() == [1, 2, 4, 4, 4, 4, 4, 4, 4]
    # undirected: 0-1, 0-2, 1-2 a triangle, 3 isolated: 6 ordered pairs at distance 1
    assert _auxiliary("geodesic", SMALL, ALL).tolist() == [6, 6, 6, 6, 6]
    # triads {0,1,2}: 0<->1, 0<->2, 1->2: 210; the three triads with 3: 102, 102, 012
    census = dict(zip(_TRIAD_TYPES, _auxiliary("triad_census", SMALL, ALL), strict=True))
    assert census["210"] == 1
    assert census["102"] == 2
    assert census["012"] == 1
    assert sum(census.values()) == 4
    # only actors taking part count: without actor 3 there is one triad, 210
    assert _auxiliary("triad_census", SMALL, np.array([1, 1, 1, 0], bool)).sum() == 1


@settings(deadline=None, max_examples=40)
@given(n=st.integers(0, 12), p=st.floats(0, 1), seed=st.integers(0, 10_000))
def test_triad_census_equals_networkx(n, p, seed):
    rng = np.random.default_rng(seed)
    a = (rng.random((n, n)) < p).astype(np.int8)
    np.fill_diagonal(a, 0)
    ref = nx.triadic_census(nx.from_numpy_array(a, create_using=nx.DiGraph))
    ours = triad_census(a)
    assert [ref[t] for t in _TRIAD_TYPES] == ours.tolist()
    assert ours.sum() == n * (n - 1) * (n - 2) // 6


def test_mahalanobis_p_by_hand():
    # one level, simulated values 0, 2, 4 (mean 2, variance 4): distances 1, 0, 1;
    # an observation of 5 is at (5 - 2)^2 / 4 = 2.25, beyond every simulation -> p = 0;
    # an observation of 3 is at 0.25: two of three simulations are at least as far
    obs_d, sim_d, p = mahalanobis_p(np.array([5.0]), np.array([[0.0], [2.0], [4.0]]))
    assert obs_d == pytest.approx(2.25)
    assert sim_d.tolist() == pytest.approx([1.0, 0.0, 1.0])
    assert p == 0.0
    assert mahalanobis_p(np.array([3.0]), np.array([[0.0], [2.0], [4.0]]))[2] == pytest.approx(
        2 / 3
    )
    # a level that never varies drops out (pseudo-inverse), as in sienaGOF
    sims = np.column_stack([[0.0, 2.0, 4.0], [7.0, 7.0, 7.0]])
    assert mahalanobis_p(np.array([3.0, 7.0]), sims)[2] == pytest.approx(2 / 3)


def test_mahalanobis_p_is_uniform_when_the_model_is_true():
    # an observation drawn from the simulating distribution has P(p <= a) ~ a
    rng = np.random.default_rng(8)
    cov = np.array([[2.0, 0.8, 0.0], [0.8, 1.0, 0.3], [0.0, 0.3, 0.5]])
    ps = []
    for _ in range(400):
        draws = rng.multivariate_normal([5.0, 3.0, 1.0], cov, size=201)
        ps.append(mahalanobis_p(draws[0], draws[1:])[2])
    ps = np.array(ps)
    # binomial(400, a) +- 3.5 sd
    for a in (0.05, 0.1, 0.5):
        sd = np.sqrt(a * (1 - a) / len(ps))
        assert abs((ps <= a).mean() - a) < 3.5 * sd


@pytest.mark.slow
@pytest.mark.parametrize("statistic", ["indegree", "outdegree", "triad_census", "geodesic"])
def test_gof_agrees_with_rsiena(statistic):
    # at RSiena's own estimates, so only simulation noise separates the two
    fx = rsiena("three_wave_main")["gof"][statistic]
    gof = cn.saom_gof(at_rsiena_estimate("three_wave_main"), statistic, n_sim=500, seed=3)
    expected = np.array(fx["observed"], dtype=float)
    mean_r = np.array(fx["simulated_mean"], dtype=float)
    sd_r = np.array(fx["simulated_sd"], dtype=float)
    if statistic == "geodesic":
        # RSiena's example also counts the 50 pairs (i, i) per period (two periods) and has
        # a constant last level Inf (every pair)
        expected, mean_r, sd_r = expected[:5] - 100, mean_r[:5] - 100, sd_r[:5]
    assert gof.observed.tolist() == expected.tolist()  # observed statistics: exact
    varies = sd_r > 0
    diff = np.abs(gof.simulated.mean(axis=0) - mean_r)[varies]
    assert np.all(diff < 0.25 * sd_r[varies] + 0.05)
    assert gof.simulated.std(axis=0, ddof=1)[varies] == pytest.approx(sd_r[varies], rel=0.2)
    assert abs(gof.p_value - fx["p"]) < 0.12
    assert gof.n_sim == 500


def test_gof_result_reproducible_table_and_plot():
    rng = np.random.default_rng(1)
    w1 = (rng.random((16, 16)) < 0.2).astype(float)
    w2 = np.where(rng.random((16, 16)) < 0.2, 1 - w1, w1)
    np.fill_diagonal(w2, 0)
    res = cn.fit_saom([w1, w2], ["density", "recip"], n_phase3=50, seed=1)
    gof = cn.saom_gof(res, "outdegree", n_sim=60, seed=4)
    again = cn.saom_gof(res, "outdegree", n_sim=60, seed=4)
    assert np.array_equal(gof.simulated, again.simulated)
    assert gof.p_value == again.p_value
    # the observed outdegrees of wave 2
    outdeg = w2.sum(axis=1)
    assert gof.observed.tolist() == [float((outdeg <= k).sum()) for k in range(9)]
    frame = gof.to_frame()
    assert list(frame.index) == [str(k) for k in range(9)]
    assert list(frame.columns) == [
        "observed", "simulated_mean", "simulated_sd", "simulated_5%", "simulated_95%",
    ]  # fmt: skip
    assert (frame["simulated_5%"] <= frame["simulated_95%"]).all()
    assert "p = " in repr(gof)
    ax = cn.plot_saom_gof(gof)
    assert ax.get_title() == f"outdegree: p = {gof.p_value:.3f}"
    assert [t.get_text() for t in ax.get_xticklabels()] == [str(k) for k in range(9)]
    observed_line = ax.get_lines()[-1]
    assert observed_line.get_ydata().tolist() == gof.observed.tolist()
    with pytest.raises(TypeError, match="SAOMGOF"):
        cn.plot_saom_gof(frame)
    with pytest.raises(ValueError, match="statistic"):
        cn.saom_gof(res, "degree")
    with pytest.raises(ValueError, match="n_sim"):
        cn.saom_gof(res, "indegree", n_sim=5)
    with pytest.raises(ValueError, match="fit_saom"):
        cn.saom_gof(object(), "indegree")
