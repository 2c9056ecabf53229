"""Non-response and missing covariates in SAOMs: RSiena's treatment (ties imputed for
simulation and left out of the targets; covariates imputed by the mean), the report of
what was missing, and agreement with RSiena on waves with many non-respondents."""

from __future__ import annotations

import numpy as np
import pytest

import connectnet as cn
from connectnet.saom._data import prepare, target_statistics
from saom_reference import estimates, inputs, rsiena


def test_missing_report_counts_non_respondents_and_imputed_covariates():
    rng = np.random.default_rng(3)
    w1 = (rng.random((10, 10)) < 0.3).astype(float)
    w2 = (rng.random((10, 10)) < 0.3).astype(float)
    w1[[2, 5]] = np.nan  # two non-respondents at wave 1
    w2[7] = np.nan  # one at wave 2
    grade = np.array([1, 2, 3, np.nan, 5, 1, 2, 3, 4, 5])  # mean of the 9 values: 26/9
    res = cn.fit_saom(
        [w1, w2], ["density", ("egoX", "grade")], covariates={"grade": grade},
        n_phase3=20, seed=1,
    )  # fmt: skip
    table = cn.saom_missing(res)
    assert table["variable"].tolist() == ["ties", "ties", "grade"]
    assert table["when"].tolist() == [1, 2, "1-2"]
    assert table["missing"].tolist() == [2, 1, 1]
    assert table["share"].tolist() == pytest.approx([0.2, 0.1, 0.1])
    assert "mean (2.889)" in table["handling"].iloc[2]
    # the imputed value is the mean: 0 after centring
    info = res._model.data.covariate_info["grade"]
    assert info["mean"] == pytest.approx(26 / 9)
    assert info["centred"][0, 3] == 0.0


def test_missing_report_needs_a_fitted_result():
    with pytest.raises(ValueError, match="fit_saom"):
        cn.saom_missing(object())


def test_targets_with_many_non_respondents_and_missing_covariates_equal_rsiena():
    kw = inputs("targets_missing")
    fx = rsiena("targets_missing")
    data = prepare(kw["waves"], kw["effects"], covariates=kw["covariates"], dyadic=kw["dyadic"])
    ours = target_statistics(data)
    for k, effect in enumerate(fx["effects"]):
        assert ours[:, k] == pytest.approx(effect["target_by_period"], abs=1e-9), effect["label"]
    # RSiena's centring means (missing values left out) are the imputed values
    for name in ("sex", "act"):
        assert data.covariate_info[name]["mean"] == pytest.approx(fx["covariates"][name]["mean"])
        raw = data.covariate_info[name]["raw"]  # periods x actors
        constant = fx["covariates"][name]["kind"] == "coCovar"
        n_missing = int(np.isnan(raw[0] if constant else raw).sum())
        assert n_missing == fx["covariates"][name]["n_missing"] > 0
    # about a quarter of the actors do not answer at each wave
    silent = [int(np.isnan(w).any(axis=1).sum()) for w in kw["waves"]]
    assert all(s >= 10 for s in silent)


@pytest.mark.slow
def test_estimates_with_many_non_respondents_agree_with_rsiena():
    res = cn.fit_saom(**inputs("missing_main"), seed=7)
    labels, est, se = estimates("missing_main")
    frame = res.to_frame().loc[labels]
    assert np.all(np.abs(frame["estimate"] - est) < 0.5 * se), frame.assign(rsiena=est)
    assert np.all(np.abs(frame["se"] / se - 1) < 0.3)
    table = cn.saom_missing(res)
    assert (table.loc[table["variable"] == "ties", "missing"] >= 10).all()
