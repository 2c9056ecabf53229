"""Composition change (joiners and leavers, Huisman & Snijders 2003): the roster, the
treatment of absent actors' tie variables, agreement with RSiena and the
chief_executives sample."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import connectnet as cn
from connectnet.saom import _simulate
from connectnet.saom._composition import apply_composition, period_mask, roster_mask
from connectnet.saom._data import prepare, target_statistics
from saom_reference import estimates, inputs, rsiena


def test_absent_actors_ties_are_zero_before_joining_and_frozen_after_leaving():
    # 4 actors, 3 waves. Actor 3 joins after wave 1 (absent at wave 1); actor 2 leaves
    # after wave 2 (absent at wave 3). Actor 0 did not answer at wave 2 (row missing).
    x = np.full((3, 4, 4), np.nan)
    x[0] = [[0, 1, 1, 9], [1, 0, 0, 9], [0, 1, 0, 9], [9, 9, 9, 0]]  # 9: junk for absent
    x[1] = [[0, np.nan, np.nan, np.nan], [1, 0, 1, 1], [1, 0, 0, 0], [0, 1, 1, 0]]
    x[2] = [[0, 1, 9, 1], [0, 0, 9, 1], [9, 9, 0, 9], [1, 1, 9, 0]]
    members = np.array([[1, 1, 1, 0], [1, 1, 1, 1], [1, 1, 0, 1]], dtype=bool)
    out = apply_composition(x, members)
    # wave 1: actor 3 has not joined -> its row and column are 0, whatever the data say
    assert out[0, 3].tolist() == [0, 0, 0, 0]
    assert out[0, :, 3].tolist() == [0, 0, 0, 0]
    # wave 2: everyone present; the non-respondent's missing row stays missing
    assert np.isnan(out[1, 0, 1:]).all()
    assert out[1, 1:].tolist() == x[1, 1:].tolist()
    # wave 3: actor 2 has left -> its row and column carry wave 2's values forward,
    # where 0 -> 2 was missing at wave 2: it carries wave 1's value 1 (imputation)
    assert out[2, 2].tolist() == [1, 0, 0, 0]
    assert out[2, :, 2].tolist() == [1, 1, 0, 1]
    assert not np.isnan(out[2]).any()
    # actors take part in a period when present at its end wave
    assert period_mask(members).tolist() == members[1:].tolist()
    assert np.isnan(x[1, 0, 1])  # the input is not mutated


def test_roster_as_table_or_mapping_and_its_errors():
    nodes = ["a", "b", "c"]
    table = pd.DataFrame({"person_id": ["a", "b", "a", "b", "c"], "wave": [1, 1, 2, 2, 2]})
    mask = roster_mask(table, ["1", "2"], nodes)
    assert mask.tolist() == [[True, True, False], [True, True, True]]
    # a mapping keyed like the waves, or (for a list of waves) in order
    assert roster_mask({"2": ["a", "b", "c"], "1": ["a", "b"]}, ["1", "2"], nodes).tolist() == (
        mask.tolist()
    )
    assert roster_mask({"x": ["a", "b"], "y": nodes}, [0, 1], nodes).tolist() == mask.tolist()
    with pytest.raises(cn.DataError, match="wave"):
        roster_mask({"1": ["a", "b"], "3": nodes}, ["1", "2"], nodes)
    with pytest.raises(cn.DataError, match="'zz'"):
        roster_mask({"1": ["a", "zz"], "2": nodes}, ["1", "2"], nodes)
    with pytest.raises(cn.DataError, match="fewer than two"):
        roster_mask({"1": ["a"], "2": nodes}, ["1", "2"], nodes)
    with pytest.raises(cn.DataError, match="person_id"):
        roster_mask(pd.DataFrame({"id": ["a"], "wave": [1]}), ["1", "2"], nodes)
    with pytest.raises(TypeError, match="roster"):
        roster_mask(["a", "b"], ["1", "2"], nodes)


def test_targets_and_distances_equal_rsiena_with_joiners_and_leavers():
    # every effect's observed statistic, per period, and the observed number of changes
    # (the unconditional rate targets) as RSiena computes them with composition change
    kw = inputs("targets_composition")
    data = prepare(kw["waves"], kw["effects"], covariates=kw["covariates"], dyadic=kw["dyadic"],
                   present=kw["present"])  # fmt: skip
    ours = target_statistics(data)
    for k, effect in enumerate(rsiena("targets_composition")["effects"]):
        assert ours[:, k] == pytest.approx(effect["target_by_period"], abs=1e-9), effect["label"]
    assert data.distance.tolist() == [r["target"] for r in rsiena("composition_main")["rates"]]
    members = np.array(kw["present"][1], dtype=int)
    assert data.present[0, members].all()
    assert data.present.sum(axis=1).tolist() == [46, 46]


def test_absent_actors_never_change_ties_in_simulation():
    rng = np.random.default_rng(4)
    n = 14
    waves = [(rng.random((n, n)) < 0.2).astype(float) for _ in range(3)]
    for w in waves:
        np.fill_diagonal(w, 0)
    present = {0: list(range(2, n)), 1: list(range(1, n)), 2: list(range(1, n - 1))}
    res = cn.fit_saom(waves, ["density", "recip"], present=present, n_phase3=30, seed=2)
    assert not res.conditional  # composition change is estimated unconditionally
    start = res._model.data.imputed
    for run in _simulate.simulate_periods(res, n_sim=20, seed=1):
        # actor 0 never joins: no ties in either period; actor 1 joins in period 1
        assert not run[0][0].any()
        assert not run[0][:, 0].any()
        assert not run[1][0].any()
        # actor 13 leaves after wave 2: in period 2 its ties keep their wave-2 values
        assert run[1][n - 1].tolist() == start[1][n - 1].tolist()
        assert run[1][:, n - 1].tolist() == start[1][:, n - 1].tolist()


@pytest.mark.slow
def test_composition_change_estimates_agree_with_rsiena():
    kw = inputs("composition_main")
    res = cn.fit_saom(**kw, seed=11)
    labels, est, se = estimates("composition_main")
    frame = res.to_frame().loc[labels]
    assert np.all(np.abs(frame["estimate"] - est) < 0.5 * se), frame.assign(rsiena=est)
    assert np.all(np.abs(frame["se"] / se - 1) < 0.3)
    rates = [r["estimate"] for r in rsiena("composition_main")["rates"]]
    rate_se = [r["se"] for r in rsiena("composition_main")["rates"]]
    assert np.all(np.abs(res.rates["rate"] - rates) < 0.5 * np.array(rate_se))


@pytest.mark.slow
def test_chief_executives_fits_with_joiners():
    data = cn.load_sample("chief_executives")
    waves = cn.snapshots(data, kind="contact", by="wave")
    res = cn.fit_saom(
        waves,
        ["density", "recip", "transTrip", ("sameX", "region")],
        covariates={"region": "region"},
        present=data.roster,
        n_phase3=300,
        seed=5,
    )
    prep = res._model.data
    members = data.roster.groupby("wave")["person_id"].apply(set)
    # taking part in period 2021-2022 = on the 2022 roster; local others join over time
    nodes = np.array(res.nodes)
    assert set(nodes[prep.present[0]]) == members["2022"]
    assert set(nodes[prep.present[1]]) == members["2023"]
    assert prep.present[0].sum() < prep.present[1].sum()
    assert not res.conditional
    assert res.converged
    frame = res.to_frame()
    # the generator plants many more ties within a region than across regions
    assert frame.loc["sameX region", "estimate"] > 2 * frame.loc["sameX region", "se"]
