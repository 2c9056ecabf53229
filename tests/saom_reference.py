"""Loading the RSiena reference fixtures of tests/fixtures/saom (written by
scripts/saom_fixture_data.py and scripts/saom_fixtures.R; the schema is at the top of the
R script) as inputs for connectnet's SAOM functions."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import numpy as np

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "saom"


@cache
def rsiena(model: str) -> dict[str, Any]:
    """RSiena's results for one model (``three_wave_main``, ``missing_main``, ...)."""
    return json.loads((FIXTURES / f"{model}.json").read_text())


def _array(rows: list) -> np.ndarray:
    return np.array([[np.nan if v is None else v for v in row] for row in rows], dtype=float)


@cache
def _dataset(name: str) -> dict[str, Any]:
    return json.loads((FIXTURES / "data" / f"{name}.json").read_text())


def inputs(model: str) -> dict[str, Any]:
    """Keyword arguments for ``cn.fit_saom`` reproducing RSiena's model ``model``."""
    fx = rsiena(model)
    d = _dataset(fx["dataset"])
    sex = np.array([np.nan if v is None else v for v in d["constant"]["sex"]], dtype=float)
    act = _array(d["changing"]["act"])
    kinds = fx["covariates"]
    covariates = {"sex": sex, "act": act if kinds["act"]["kind"] == "varCovar" else act[:, 0]}
    effects = [
        e["shortName"] if not e["interaction1"] else (e["shortName"], e["interaction1"])
        for e in fx["effects"]
        if not e["fixed"]
    ]
    present = None
    if fx["composition"]:
        members = np.array(d["present"], dtype=bool)
        present = {m: np.flatnonzero(members[:, m]).tolist() for m in range(d["n_waves"])}
    return {
        "waves": [_array(w) for w in d["waves"]],
        "effects": effects,
        "covariates": covariates,
        "dyadic": {"coatt": np.array(d["dyadic"]["coatt"], dtype=float)},
        "present": present,
        "conditional": fx["conditional"],
    }


def estimates(model: str) -> tuple[list[str], np.ndarray, np.ndarray]:
    """RSiena's labels, estimates and standard errors of the estimated effects."""
    effects = [e for e in rsiena(model)["effects"] if not e["fixed"]]
    return (
        [e["label"] for e in effects],
        np.array([e["estimate"] for e in effects]),
        np.array([e["se"] for e in effects]),
    )


def at_rsiena_estimate(model: str) -> SimpleNamespace:
    """A stand-in for a fitted result whose parameters are RSiena's estimates, so tests
    of goodness of fit and score tests compare with RSiena free of estimation noise."""
    from connectnet.saom._data import prepare
    from connectnet.saom._simulate import SimulationModel

    kw = inputs(model)
    data = prepare(
        kw["waves"], kw["effects"], covariates=kw["covariates"], dyadic=kw["dyadic"],
        present=kw["present"],
    )  # fmt: skip
    _, theta, _ = estimates(model)
    rates = np.array([r["estimate"] for r in rsiena(model)["rates"]])
    model_ = SimulationModel(data=data, theta=theta, rates=rates, conditional=kw["conditional"])
    return SimpleNamespace(_model=model_)
