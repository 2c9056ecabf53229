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


MODELS = [
    "two_wave_covariates",
    "three_wave_main",
    "three_wave_degree",
    "three_wave_unconditional",
    "missing_main",
]


@pytest.mark.slow
@pytest.mark.parametrize("model", MODELS)
def test_estimates_agree_with_rsiena(fits, model):
    fx, res = fits(model)
    assert res.max_convergence < 0.25  # RSiena's overall criterion (t-ratios are noisier)
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


# ------------------------------------------------ RSiena's own example data (s50, vdb)
# RSiena's data may not be stored in this repository, so these tests run only where R's
# RSiena package is installed (they export its matrices to a temporary folder); the
# numbers they compare with are in rsiena_examples.json (numbers only, no data).

_EXPORT_R = """
suppressMessages(library(RSiena))
out <- commandArgs(trailingOnly = TRUE)[1]
objs <- list("s50-network1" = s501, "s50-network2" = s502, "s50-network3" = s503,
             "s50-alcohol" = s50a, "s50-smoke" = s50s, "vdb-t3" = tmp3, "vdb-t4" = tmp4)
for (nm in names(objs)) write.table(objs[[nm]], file.path(out, paste0(nm, ".txt")),
                                    row.names = FALSE, col.names = FALSE)
"""


@pytest.fixture(scope="module")
def rsiena_data(tmp_path_factory):
    import shutil
    import subprocess

    if not (FIXTURES / "rsiena_examples.json").exists():
        pytest.skip("rsiena_examples.json not written yet (scripts/saom_fixtures.R)")
    if shutil.which("Rscript") is None:
        pytest.skip("R is not installed: RSiena's example data are not available")
    out = tmp_path_factory.mktemp("rsiena_data")
    script = out / "export.R"
    script.write_text(_EXPORT_R)
    proc = subprocess.run(["Rscript", str(script), str(out)], capture_output=True, check=False)
    if proc.returncode != 0:
        pytest.skip("R's RSiena package is not installed: its example data are not available")

    def load(name: str) -> np.ndarray:
        return np.genfromtxt(out / f"{name}.txt", missing_values="NA", filling_values=np.nan)

    return load


def _s50(load):
    waves = [load(f"s50-network{m}") for m in (1, 2, 3)]
    return waves, {"smoke1": load("s50-smoke")[:, 0], "alcohol": load("s50-alcohol")}


def _examples() -> dict:
    return _fixture("rsiena_examples")["models"]


def test_s50_targets_equal_rsiena(rsiena_data):
    fx = _examples()["s50_targets"]
    waves, covariates = _s50(rsiena_data)
    spec = [_effect_spec(e) for e in fx["effects"]]
    ours = target_statistics(prepare(waves, spec, covariates=covariates))
    for k, effect in enumerate(fx["effects"]):
        np.testing.assert_allclose(
            ours[:, k], effect["target_by_period"], rtol=1e-9, atol=1e-9, err_msg=effect["label"]
        )


def _check_fit(res, fx):
    frame = res.to_frame()
    for effect in fx["effects"]:
        label = effect["label"]
        assert res.targets[label] == pytest.approx(effect["target"], rel=1e-9), label
        assert abs(frame.loc[label, "estimate"] - effect["estimate"]) < 0.5 * effect["se"], label
        assert frame.loc[label, "se"] == pytest.approx(effect["se"], rel=0.3), label
    for m, rate in enumerate(fx["rates"]):
        assert abs(res.rates["rate"].iloc[m] - rate["estimate"]) < 0.5 * rate["se"]


@pytest.mark.slow
def test_s50_model_agrees_with_rsiena(rsiena_data):
    fx = _examples()["s50_8effects"]
    waves, covariates = _s50(rsiena_data)
    spec = [_effect_spec(e) for e in fx["effects"]]
    res = cn.fit_saom(waves, spec, covariates=covariates, seed=7)
    assert res.max_convergence < 0.25  # RSiena's overall criterion (t-ratios are noisier)
    _check_fit(res, fx)


@pytest.mark.slow
def test_van_de_bunt_model_with_missing_ties_agrees_with_rsiena(rsiena_data):
    fx = _examples()["vdb_structural"]
    waves = [rsiena_data("vdb-t3"), rsiena_data("vdb-t4")]
    assert np.isnan(waves[0]).any()  # the freshmen data have missing tie variables
    res = cn.fit_saom(waves, [_effect_spec(e) for e in fx["effects"]], seed=7)
    assert res.max_convergence < 0.25  # RSiena's overall criterion (t-ratios are noisier)
    _check_fit(res, fx)
