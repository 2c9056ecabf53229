"""Write connectnet's own seeded synthetic panel networks for the SAOM fixtures.

The data sets are ours (no RSiena data): each is simulated here by a small actor-oriented
process (density, reciprocity, transitive triplets, same sex, similarity of a changing
activity score and co-attendance), so that RSiena's estimates on them are stable. They are
written as JSON to ``tests/fixtures/saom/data/<name>.json``; ``scripts/saom_fixtures.R``
fits RSiena models on them and writes the results beside them. Run::

    python scripts/saom_fixture_data.py           # (re)write the data files
    python scripts/saom_fixture_data.py --check   # exit 1 if a file differs

Schema of a data file (all matrices are lists of rows; ``null`` is a missing value)::

    name, seed, n_actors, n_waves      identification and the generator's seed
    waves        n_waves matrices n x n of 0/1/null: x[i][j] = 1 if actor i named j;
                 a non-respondent's row is null at that wave; an absent actor's row and
                 column are null at the waves when it is absent
    constant     {name: [n values or null]}          constant actor covariates (coCovar)
    changing     {name: [n rows of n_waves values]}  changing covariates (varCovar: the
                 value at wave m holds during period m; the last column is unused)
    dyadic       {name: n x n matrix}                constant dyadic covariates (coDyadCovar)
    present      n rows of n_waves 0/1: actor i belongs to the network at wave m
    composition  n lists of [start, end] presence intervals in RSiena's time scale (wave
                 m is time m), or null when the composition is constant. connectnet's rule
                 for a wave roster: an actor takes part in period m (waves m to m+1) when it
                 is on the roster at wave m+1, so a joiner joins at the start of the period
                 (RSiena time m + 0.001) and a leaver leaves at the start of the period after
                 its last wave (its last wave + 0.001: RSiena drops a change at an exact
                 wave time, so a leaver given its last wave would stay active)
    non_respondents  n_waves lists of 0-based actors whose rows are missing at that wave
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "tests" / "fixtures" / "saom" / "data"

# Parameters of the generating process (objective function weights and rate per period).
_WEIGHTS = {
    "density": -2.8,
    "recip": 2.0,
    "transTrip": 0.2,
    "same_sex": 0.6,
    "sim_act": 0.9,
    "coatt": 0.5,
}
_RATE = 5.0


def _objective_change(x: np.ndarray, i: int, sex, act, coatt, active) -> np.ndarray:
    """Change in actor i's objective function for toggling each tie i -> j."""
    sign = 1.0 - 2.0 * x[i]
    two_paths = x[i] @ x  # i -> h -> j
    out_shared = x @ x[i]  # i -> h <- j
    act_range = max(float(act.max() - act.min()), 1.0)
    sim = 1.0 - np.abs(act - act[i]) / act_range
    gain = (
        _WEIGHTS["density"]
        + _WEIGHTS["recip"] * x[:, i]
        + _WEIGHTS["transTrip"] * (two_paths + out_shared)
        + _WEIGHTS["same_sex"] * (sex == sex[i])
        + _WEIGHTS["sim_act"] * (sim - 0.5)
        + _WEIGHTS["coatt"] * coatt[i]
    )
    delta = sign * gain
    delta[i] = -np.inf
    delta[~active] = -np.inf
    return delta


def _simulate(x, n_steps, rng, sex, act, coatt, active) -> np.ndarray:
    """Run ``n_steps`` ministeps of the generating process on a copy of ``x``."""
    x = x.copy()
    candidates = np.flatnonzero(active)
    for _ in range(n_steps):
        i = int(rng.choice(candidates))
        delta = _objective_change(x, i, sex, act, coatt, active)
        options = np.append(delta, 0.0)  # last option: no change
        p = np.exp(options - options.max())
        j = int(rng.choice(len(options), p=p / p.sum()))
        if j < len(x):
            x[i, j] = 1 - x[i, j]
    return x


def _make(
    name: str,
    *,
    seed: int,
    n: int,
    n_waves: int,
    non_response: float = 0.0,
    covariate_missing: float = 0.0,
    composition: bool = False,
) -> dict:
    rng = np.random.default_rng(seed)
    sex = rng.integers(1, 3, size=n)
    act = np.empty((n, n_waves), dtype=int)
    act[:, 0] = rng.integers(1, 6, size=n)
    for m in range(1, n_waves):
        step = rng.choice([-1, 0, 1], size=n, p=[0.15, 0.7, 0.15])
        act[:, m] = np.clip(act[:, m - 1] + step, 1, 5)
    coatt = np.triu(rng.poisson(0.5, size=(n, n)), 1)
    coatt = np.minimum(coatt + coatt.T, 3)

    # Who belongs to the network when. An actor takes part in a period when it is there at
    # the period's end wave: joiners join at the start of the period, leavers leave at the
    # start of the period after their last wave (RSiena's time scale: wave m is time m).
    present = np.ones((n, n_waves), dtype=bool)
    intervals: list[list[float]] | None = None
    if composition:
        intervals = [[1.0, float(n_waves)] for _ in range(n)]
        actors = rng.permutation(n)
        joiners_1, joiners_2, leavers = actors[:8], actors[8:12], actors[12:16]
        for a in joiners_1:
            present[a, 0] = False
            intervals[a] = [1.001, float(n_waves)]
        for a in joiners_2:
            present[a, :2] = False
            intervals[a] = [2.001, float(n_waves)]
        for a in leavers:
            present[a, 2:] = False
            intervals[a] = [1.0, 2.001]

    # Wave 1 is the end of a long burn-in from the empty network among the wave-1 members.
    x = np.zeros((n, n), dtype=np.int8)
    x = _simulate(x, 40 * n, rng, sex, act[:, 0], coatt, present[:, 0])
    waves = [x]
    for m in range(1, n_waves):
        steps = int(_RATE * present[:, m].sum())
        x = _simulate(x, steps, rng, sex, act[:, m - 1], coatt, present[:, m])
        waves.append(x)

    matrices = []
    non_respondents = []
    for m, w in enumerate(waves):
        values = w.astype(float)
        missing_rows = np.zeros(n, dtype=bool)
        if non_response:
            missing_rows = rng.random(n) < non_response
        missing_rows &= present[:, m]
        values[missing_rows, :] = np.nan
        absent = ~present[:, m]
        values[absent, :] = np.nan
        values[:, absent] = np.nan
        np.fill_diagonal(values, 0.0)
        matrices.append(values)
        non_respondents.append(np.flatnonzero(missing_rows).tolist())

    sex_values: list[float | None] = sex.astype(float).tolist()
    act_values = act.astype(float)
    if covariate_missing:
        for a in np.flatnonzero(rng.random(n) < covariate_missing):
            sex_values[a] = None
        act_values[rng.random(act.shape) < covariate_missing] = np.nan

    return {
        "name": name,
        "seed": seed,
        "generator": "scripts/saom_fixture_data.py",
        "generating_weights": _WEIGHTS,
        "generating_rate": _RATE,
        "n_actors": n,
        "n_waves": n_waves,
        "waves": [_rows(v) for v in matrices],
        "constant": {"sex": sex_values},
        "changing": {"act": _rows(act_values)},
        "dyadic": {"coatt": coatt.astype(int).tolist()},
        "present": present.astype(int).tolist(),
        "composition": intervals,
        "non_respondents": non_respondents,
    }


def _rows(values: np.ndarray) -> list[list[float | None]]:
    return [[None if np.isnan(v) else int(v) for v in row] for row in values]


DATASETS = {
    "two_wave": {"seed": 20261201, "n": 40, "n_waves": 2},
    "three_wave": {"seed": 20261202, "n": 50, "n_waves": 3},
    "missing": {
        "seed": 20261203,
        "n": 60,
        "n_waves": 3,
        "non_response": 0.25,
        "covariate_missing": 0.08,
    },
    "composition": {"seed": 20261204, "n": 50, "n_waves": 3, "composition": True},
}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--check", action="store_true", help="exit 1 if a data file is out of date"
    )
    args = parser.parse_args(argv)
    OUT.mkdir(parents=True, exist_ok=True)
    stale = []
    for name, spec in DATASETS.items():
        text = json.dumps(_make(name, **spec), separators=(",", ":")) + "\n"
        path = OUT / f"{name}.json"
        if args.check:
            if not path.exists() or path.read_text() != text:
                stale.append(path.name)
        else:
            path.write_text(text)
    if stale:
        print("out of date: " + ", ".join(stale), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
