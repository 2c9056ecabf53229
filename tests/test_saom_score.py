"""Score-type tests of SAOMs: the statistic by hand, its calibration under the null,
agreement with RSiena (an effect fixed at 0; time heterogeneity with three waves)."""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np
import pytest

import connectnet as cn
from connectnet.saom import _simulate
from connectnet.saom._data import prepare
from connectnet.saom.score import _score_statistic
from saom_reference import at_rsiena_estimate, rsiena


def test_score_statistic_by_hand():
    # D = I and Sigma = I: nothing to orthogonalise, c = z2^2 and the one-sided
    # statistic is -z2 (simulated above observed -> the effect would be negative)
    c, one = _score_statistic(np.eye(2), np.eye(2), np.array([0.3, 2.0]), np.array([0, 1], bool))
    assert c == pytest.approx(4.0)
    assert one == pytest.approx(-2.0)
    # correlated with the estimated statistic: D = [[1, 0], [0.5, 1]] so the tested
    # deviation loses 0.5 * z1: o = 2 - 0.5 * 1 = 1.5; V = 1 - 0.5 * 0 - (0 - 0.5) * 0.5
    # = 1.25 with Sigma = I -> c = 1.5^2 / 1.25 = 1.8
    D = np.array([[1.0, 0.0], [0.5, 1.0]])
    c, one = _score_statistic(D, np.eye(2), np.array([1.0, 2.0]), np.array([0, 1], bool))
    assert c == pytest.approx(1.8)
    assert one == pytest.approx(-1.5 / np.sqrt(1.25))


def _null_result(rng, n=18):
    """Data simulated from density + recip (true parameters known) and a stand-in result
    at those parameters, conditional like a default fit."""
    x0 = (rng.random((n, n)) < 0.15).astype(float)
    np.fill_diagonal(x0, 0)
    theta = np.array([-1.6, 1.2])
    waves = [x0]
    for _ in range(2):
        data = prepare([waves[-1], waves[-1]], ["density", "recip"])
        run = _simulate.simulate_once(data, theta, np.array([3.0]), conditional=False, rng=rng)
        waves.append(run.ends[0].astype(float))
    data = prepare(waves, ["density", "recip"])
    model = _simulate.SimulationModel(data=data, theta=theta, rates=np.ones(2), conditional=True)
    return SimpleNamespace(_model=model)


@pytest.mark.slow
def test_score_and_time_tests_are_calibrated_under_the_null():
    # transTrip is not in the generating model and the parameters do not change between
    # periods: both tests' p-values should be (roughly) uniform
    rng = np.random.default_rng(12)
    score_p, time_p = [], []
    for k in range(60):
        res = _null_result(rng)
        score_p.append(cn.saom_score_test(res, ["transTrip"], n_sim=100, seed=k).p_value)
        time_p.append(cn.saom_time_test(res, n_sim=100, seed=k).p_value)
    for ps in (np.array(score_p), np.array(time_p)):
        assert np.isfinite(ps).all()
        # P(p <= 0.1) ~ 0.1 (binomial(60): sd 0.039), and the median near 1/2
        assert (ps <= 0.1).mean() < 0.1 + 3 * 0.039
        assert 0.3 < np.median(ps) < 0.7


def test_score_test_detects_a_left_out_effect_and_gives_its_sign():
    res = at_rsiena_estimate("three_wave_main")
    with pytest.raises(ValueError, match="listed twice"):
        cn.saom_score_test(res, ["transTrip"], n_sim=20, seed=1)
    with pytest.raises(ValueError, match="at least one"):
        cn.saom_score_test(res, [], n_sim=20, seed=1)
    with pytest.raises(ValueError, match="n_sim"):
        cn.saom_score_test(res, ["transTies"], n_sim=5)
    # the three_wave data were generated with strong reciprocity (recip 2.0): a model
    # of density and transTrip only (near their values without recip) misses it
    data = res._model.data
    no_recip = prepare([np.nan_to_num(w) for w in data.observed], ["density", "transTrip"])
    fake = SimpleNamespace(
        _model=_simulate.SimulationModel(
            data=no_recip, theta=np.array([-1.9, 0.45]), rates=np.ones(2), conditional=True
        )
    )
    test = cn.saom_score_test(fake, ["recip"], n_sim=200, seed=2)
    assert test.effects == ("recip",)
    assert test.df == 1
    assert test.p_value < 0.001
    assert test.one_sided > 3  # reciprocity would be positive
    assert test.one_step[0] > 0
    assert test.observed[0] > test.expected[0]
    assert list(test.to_frame().columns) == ["observed", "expected", "one_step"]


@pytest.mark.slow
def test_score_test_agrees_with_rsiena():
    fx = rsiena("three_wave_score")["score_test"]
    res = at_rsiena_estimate("three_wave_score")
    test = cn.saom_score_test(res, [("egoX", "act")], n_sim=1000, seed=3)
    assert test.effects == (fx["effects"],)
    # RSiena: c = 0.005, p = 0.95, one-sided -0.07 (no evidence for egoX act)
    assert test.p_value > 0.5
    assert abs(test.one_sided - fx["one_sided"]) < 0.4
    assert abs(test.one_step[0] - fx["one_step"]) < 0.05


@pytest.mark.slow
def test_time_heterogeneity_test_agrees_with_rsiena():
    fx = rsiena("three_wave_main")["time_test"]
    test = cn.saom_time_test(at_rsiena_estimate("three_wave_main"), n_sim=1000, seed=4)
    assert test.df == fx["joint"]["df"] == 8
    # RSiena: chi-squared 5.87 on 8 df, p = 0.66
    assert abs(test.chi_squared - fx["joint"]["chi_squared"]) < 2.0
    assert abs(test.p_value - fx["joint"]["p"]) < 0.2
    ours = test.by_effect["chi_squared"].to_numpy()
    theirs = np.array([e["chi_squared"] for e in fx["by_effect"]])
    assert np.all(np.abs(ours - theirs) < 1.0)
    assert list(test.dummies["period"]) == ["2-3"] * 8


def test_time_test_needs_three_waves():
    rng = np.random.default_rng(1)
    w = [(rng.random((12, 12)) < 0.2).astype(float) for _ in range(2)]
    data = prepare(w, ["density"])
    fake = SimpleNamespace(
        _model=_simulate.SimulationModel(
            data=data, theta=np.array([-1.0]), rates=np.ones(1), conditional=True
        )
    )
    with pytest.raises(ValueError, match="three or more waves"):
        cn.saom_time_test(fake, n_sim=20)
