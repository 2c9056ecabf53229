"""connectnet's SAOM against RSiena 1.6.2 on our own synthetic panels.

The fixtures (``tests/fixtures/saom/*.json``) were written by ``scripts/saom_fixtures.R``
(RSiena's ``siena07`` with default algorithm settings) from the data sets that
``scripts/saom_fixture_data.py`` simulates; the suite never needs R. Targets must equal
RSiena's exactly; estimates must be within half of RSiena's standard error and standard
errors within 30 % (both are Monte Carlo estimates, so a looser match would hide bugs
and a tighter one would test the random numbers).
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

import connectnet as cn
from connectnet.saom._data import prepare, target_statistics

FIXTURES = Path(__file__).parent / "fixtures" / "saom"


def _fixture(name: str) -> dict:
    return json.loads((FIXTURES / f"{name}.json").read_text())


def _matrix(rows) -> np.ndarray:
    return np.array([[np.nan if v is None else v for v in row] for row in rows], dtype=float)


def _dataset(name: str, kinds: dict) -> dict:
    """Waves and covariates as fit_saom takes them, entered as RSiena entered them."""
    d = _fixture(f"data/{name}")
    covariates = {}
    sex = np.array([np.nan if v is None else v for v in d["constant"]["sex"]], dtype=float)
    covariates["sex"] = sex
    act = _matrix(d["changing"]["act"])
    covariates["act"] = act if kinds.get("act", {}).get("kind") == "varCovar" else act[:, 0]
    return {
        "waves": [_matrix(w) for w in d["waves"]],
        "covariates": covariates,
        "dyadic": {"coatt": np.array(d["dyadic"]["coatt"], dtype=float)},
    }


def _effect_spec(effect: dict):
    inter = effect["interaction1"]
    return effect["shortName"] if not inter else (effect["shortName"], inter)


@pytest.mark.parametrize("dataset", ["two_wave", "three_wave", "missing"])
def test_targets_equal_rsiena(dataset):
    fx = _fixture(f"targets_{dataset}")
    data = _dataset(dataset, fx["covariates"])
    spec = [_effect_spec(e) for e in fx["effects"]]
    prepared = prepare(data["waves"], spec, covariates=data["covariates"], dyadic=data["dyadic"])
    ours = target_statistics(prepared)  # (periods, effects)
    for k, effect in enumerate(fx["effects"]):
        np.testing.assert_allclose(
            ours[:, k], effect["target_by_period"], rtol=1e-9, atol=1e-9, err_msg=effect["label"]
        )
    for name, info in fx["covariates"].items():
        assert prepared.covariate_info[name]["mean"] == pytest.approx(info["mean"], rel=1e-12)


@pytest.fixture(scope="module")
def fits():
    """Our fit of each estimated fixture model (same data, effects and n3 = 1000)."""
    cache: dict[str, tuple[dict, cn.SAOMResult]] = {}

    def fit(model: str):
        if model not in cache:
            fx = _fixture(model)
            data = _dataset(fx["dataset"], fx["covariates"])
            spec = [_effect_spec(e) for e in fx["effects"] if not e["fixed"]]
            res = cn.fit_saom(
                data["waves"],
                spec,
                covariates=data["covariates"],
                dyadic=data["dyadic"],
                conditional=fx["conditional"],
                n_phase3=fx["n3"],
                seed=7,
            )
            cache[model] = (fx, res)
        return cache[model]

    return fit


MODELS = ["two_wave_covariates", "three_wave_main", "missing_main"]


@pytest.mark.slow
@pytest.mark.parametrize("model", MODELS)
def test_estimates_agree_with_rsiena(fits, model):
    fx, res = fits(model)
    assert res.converged
    frame = res.to_frame()
    for effect in fx["effects"]:
        label = effect["label"]
        ours = frame.loc[label]
        assert abs(ours["estimate"] - effect["estimate"]) < 0.5 * effect["se"], label
        assert ours["se"] == pytest.approx(effect["se"], rel=0.3), label
        assert res.targets[label] == pytest.approx(effect["target"], rel=1e-9), label


@pytest.mark.slow
@pytest.mark.parametrize("model", MODELS)
def test_rates_agree_with_rsiena(fits, model):
    fx, res = fits(model)
    for m, rate in enumerate(fx["rates"]):
        ours = res.rates.iloc[m]
        assert abs(ours["rate"] - rate["estimate"]) < 0.5 * rate["se"]
        assert ours["se"] == pytest.approx(rate["se"], rel=0.3)
