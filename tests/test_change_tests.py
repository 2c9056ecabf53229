"""Tests for the issue-16 change tests: per-group and weighted E-I, tests over more than
two waves (consecutive pairs and trend), multiple-testing adjustment, tie_changes p-values."""

from __future__ import annotations

import itertools

import networkx as nx
import numpy as np
import pytest

import connectnet as cn
from connectnet._stats import adjust_pvalues

SECTORS4 = {0: "prison", 1: "prison", 2: "NHS", 3: "NHS"}


def waves3() -> list[nx.Graph]:
    """before: 0-1, 2-3 (I), 0-2 (E); middle adds 0-3 (E); after adds 1-3, 1-2 (E).

    E-I: (1-2)/3 = -1/3, (2-2)/4 = 0, (4-2)/6 = 1/3 -> slope 1/3 per wave."""
    edges = [(0, 1), (2, 3), (0, 2)]
    out = [nx.Graph(edges), nx.Graph([*edges, (0, 3)]), nx.Graph([*edges, (0, 3), (1, 3), (1, 2)])]
    for G in out:
        nx.set_node_attributes(G, SECTORS4, "sector")
    return out


def test_group_ei_hand_values_and_exact_null():
    before, _, after = waves3()
    # prison's ties: 0-1 internal; 0-2 (+ 0-3, 1-3, 1-2 after) external
    # before E = 1 (0-2), I = 1 (0-1): E-I 0; after E = 4, I = 1: 3/5
    res = cn.ei_change_test(before, after, group="prison", n_permutations=2000, seed=1)
    assert res.statistic == "E-I index of prison (sector)"
    assert (res.before, res.after) == (pytest.approx(0.0), pytest.approx(0.6))
    assert res.n_changed_dyads == 3
    # k of the 3 new external ties swapped back: after (4-k-1)/(5-k), before (1+k-1)/(2+k)
    # change 0.6, 0.5-1/3, 1/3-1/2, -0.6 for k = 0..3 with prob 1/8, 3/8, 3/8, 1/8
    support = [0.6, 0.5 - 1 / 3, 1 / 3 - 0.5, -0.6]
    assert np.isin(np.round(res.null_distribution, 12), np.round(support, 12)).all()
    assert res.p_greater == pytest.approx(1 / 8, abs=0.02)
    table = cn.group_ei_change_test(before, after, n_permutations=500, seed=2)
    assert list(table.index) == ["NHS", "prison"]
    assert table.loc["prison", "change"] == pytest.approx(0.6)
    assert table.attrs["adjust"] == "holm"
    np.testing.assert_allclose(
        table["p_adjusted"], adjust_pvalues(table["p_value"].to_numpy(), "holm")
    )
    assert (table["p_adjusted"] >= table["p_value"]).all()
    # group E-I equals the library's group_ei_index in each wave
    np.testing.assert_allclose(table["after"], cn.group_ei_index(after).loc[table.index])
    none = cn.group_ei_change_test(before, after, adjust=None, n_permutations=50, seed=2)
    np.testing.assert_array_equal(none["p_adjusted"], none["p_value"])


def test_weighted_ei_change():
    before, _, after = waves3()
    for G, w in ((before, 1), (after, 2)):
        nx.set_edge_attributes(G, w, "freq")
    after[0][1]["freq"] = 5  # the internal prison tie gets stronger
    # weighted after: E = 4 ties x 2 = 8, I = 5 (0-1) + 2 (2-3) = 7 -> 1/15
    # weighted before: E = 1, I = 2 -> -1/3
    res = cn.ei_change_test(before, after, weight="freq", n_permutations=300, seed=4)
    assert res.statistic == "E-I index (sector, weighted by freq)"
    assert res.after == pytest.approx(1 / 15)
    assert res.before == pytest.approx(-1 / 3)
    # every dyad's weight changed, so all 5 dyads are exchangeable (0-2, 2-3 and 0-1 too)
    assert res.n_changed_dyads == 6
    # swapping every dyad exchanges the waves: the null is symmetric
    assert res.expected == pytest.approx(0, abs=0.05)
    unweighted = cn.ei_change_test(before, after, n_permutations=10, seed=4)
    assert unweighted.n_changed_dyads == 3


def test_trend_hand_values_and_enumerated_null():
    waves = waves3()
    res = cn.change_trend_test(waves, n_permutations=3000, seed=5)
    np.testing.assert_allclose(res.values.to_numpy(), [-1 / 3, 0, 1 / 3])
    assert res.slope == pytest.approx(1 / 3)
    assert list(res.pairs.index) == ["0→1", "1→2"]
    np.testing.assert_allclose(res.pairs["change"], [1 / 3, 1 / 3])
    # exact null: the 3 varying dyads (0-3 present in waves 1, 2; 1-3 and 1-2 in wave 2)
    # each take a random order of their 3 values; enumerate the 3! ** 3 = 216 orders
    V = {"0-3": (0, 1, 1), "1-3": (0, 0, 1), "1-2": (0, 0, 1)}
    slopes = []
    for orders in itertools.product(itertools.permutations(range(3)), repeat=3):
        ext = np.array([1.0, 1.0, 1.0])  # 0-2 in every wave
        for (_, vals), order in zip(V.items(), orders, strict=True):
            ext += np.array(vals)[list(order)]
        ei = (ext - 2) / (ext + 2)  # internal ties 0-1, 2-3 in every wave
        slopes.append(np.polyfit([0, 1, 2], ei, 1)[0])
    slopes = np.array(slopes)
    exact = np.mean(slopes >= 1 / 3 - 1e-9)
    assert res.p_greater == pytest.approx(exact, abs=0.02)
    assert res.expected == pytest.approx(slopes.mean(), abs=0.01)
    assert "slope +0.3333 per wave" in repr(res)
    assert list(res.to_frame().index) == ["0→1", "1→2", "trend"]


def test_trend_is_calibrated_when_waves_are_exchangeable():
    """Three waves drawn from one model (independent dyads): the trend's two-sided
    p-value rejects about 10 % of the time at the 10 % level (100 replications)."""
    rng = np.random.default_rng(8)
    reps, hits = 100, 0
    groups = {v: v % 3 for v in range(15)}
    for _ in range(reps):
        waves = []
        for _ in range(3):
            G = nx.gnp_random_graph(15, 0.25, seed=int(rng.integers(1 << 30)))
            nx.set_node_attributes(G, groups, "sector")
            waves.append(G)
        res = cn.change_trend_test(waves, n_permutations=99, seed=rng)
        hits += res.p_two_sided <= 0.1
    assert abs(hits / reps - 0.1) <= 3 * np.sqrt(0.09 / reps)


def test_trend_block_density_directed_and_errors():
    waves = [
        nx.DiGraph([(0, 2)]),
        nx.DiGraph([(0, 2), (1, 3)]),
        nx.DiGraph([(0, 2), (1, 3), (2, 0)]),
    ]
    for G in waves:
        G.add_nodes_from(range(4))
        nx.set_node_attributes(G, SECTORS4, "sector")
    res = cn.change_trend_test(
        {"a": waves[0], "b": waves[1], "c": waves[2]},
        source="prison",
        target="NHS",
        nodes="union",
        n_permutations=50,
        seed=1,
    )
    # prison->NHS arcs over 4 possible: 1/4, 2/4, 2/4 (2->0 is NHS->prison)
    np.testing.assert_allclose(res.values.to_numpy(), [0.25, 0.5, 0.5])
    assert res.slope == pytest.approx(0.125)
    with pytest.raises(ValueError, match="at least 2"):
        cn.change_trend_test(waves[:1])
    with pytest.raises(ValueError, match="`adjust`"):
        cn.change_trend_test(waves, adjust="bonferroni")
    with pytest.raises(TypeError, match="mix directed"):
        cn.change_trend_test([waves[0], nx.Graph(waves[1])])


def test_tie_changes_exact_pair_tests_and_adjustment():
    before, _, after = waves3()
    table = cn.tie_changes(before, after, "sector")
    # NHS-prison: 3 new, 0 lost -> P(X >= 3 | Bin(3, 1/2)) = 1/8, two-sided 1/4
    assert table.loc[("NHS", "prison"), "p_value"] == pytest.approx(0.25)
    assert table.loc[("NHS", "NHS"), "p_value"] == 1.0  # nothing changed
    # Holm over the 3 pairs: 0.25 * 3 = 0.75
    assert table.loc[("NHS", "prison"), "p_adjusted"] == pytest.approx(0.75)
    assert table.attrs["adjust"] == "holm"
    raw = cn.tie_changes(before, after, "sector", adjust=None)
    np.testing.assert_array_equal(raw["p_adjusted"], raw["p_value"])
    bh = cn.tie_changes(before, after, "sector", adjust="fdr_bh")
    assert bh.loc[("NHS", "prison"), "p_adjusted"] == pytest.approx(0.75)
    by_node = cn.tie_changes(before, after, "sector", by="node")
    # person 1 gained 2 ties (1-3, 1-2), lost none: two-sided 2 * 1/4 = 1/2
    assert by_node.loc[1, "p_value"] == pytest.approx(0.5)


def survey() -> tuple[nx.DiGraph, nx.DiGraph]:
    """a, b prison; c, d nhs; d never answered (respondents a, b, c).

    before: a->b (I), c->d (I), a->c (E)             E-I (1-2)/3 = -1/3
    after : + a->d, b->d (E)                         E-I (3-2)/5 = 1/5
    reconstructed: d returns every tie reported with them:
      before + d->c (I): (1-3)/4 = -1/2;  after + d->c (I), d->a, d->b (E): (5-3)/8 = 1/4
    """
    sectors = {"a": "prison", "b": "prison", "c": "nhs", "d": "nhs"}
    before = nx.DiGraph([("a", "b"), ("c", "d"), ("a", "c")])
    after = nx.DiGraph([("a", "b"), ("c", "d"), ("a", "c"), ("a", "d"), ("b", "d")])
    for G in (before, after):
        nx.set_node_attributes(G, sectors, "sector")
    return before, after


def test_nonresponse_sensitivity_hand_values():
    before, after = survey()
    table = cn.nonresponse_sensitivity(
        before, after, respondents=["a", "b", "c"], n_permutations=200, seed=1
    )
    no_tie, rebuilt = table.index
    assert table.loc[no_tie, ["before", "after"]].tolist() == pytest.approx([-1 / 3, 1 / 5])
    assert table.loc[rebuilt, ["before", "after"]].tolist() == pytest.approx([-1 / 2, 1 / 4])
    assert table.loc[rebuilt, ["reconstructed_before", "reconstructed_after"]].tolist() == [1, 3]
    assert table.attrs["non_respondents_after"] == 1
    # density: 3 and 5 of 12 ordered pairs; reconstructed 4 and 8
    dens = cn.nonresponse_sensitivity(
        before, after, statistic="density", respondents=["a", "b", "c"], n_permutations=20
    )
    assert dens["change"].tolist() == pytest.approx([2 / 12, 4 / 12])
    assert dens.attrs["statistic"] == "density"
    # the callers' graphs are untouched
    assert before.number_of_edges() == 3
    assert "__connectnet_all__" not in before.nodes["a"]
    # the recorded respondents (or, failing that, who named anyone) are the default
    before.graph["respondents"] = after.graph["respondents"] = ["a", "b", "c"]
    same = cn.nonresponse_sensitivity(before, after, n_permutations=200, seed=1)
    np.testing.assert_allclose(same["change"], table["change"])


def test_nonresponse_sensitivity_errors():
    before, after = survey()
    with pytest.raises(TypeError, match="directed contact graphs"):
        cn.nonresponse_sensitivity(before.to_undirected(), after.to_undirected())
    with pytest.raises(ValueError, match="`statistic`"):
        cn.nonresponse_sensitivity(before, after, statistic="reach")
    # a block density needs both groups (before, it silently tested the E-I index)
    with pytest.raises(ValueError, match="needs `source` and `target`"):
        cn.nonresponse_sensitivity(before, after, statistic="block_density")
