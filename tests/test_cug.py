"""Tests for connectnet.cug_test against R sna cug.test, by hand and under the null."""

from __future__ import annotations

import json
from pathlib import Path

import networkx as nx
import numpy as np
import pytest

import connectnet as cn

FIXTURES = Path(__file__).parent / "fixtures"
CONDITION = {"size": "size", "edges": "edges", "dyad.census": "dyad_census"}


def sna_cug() -> dict:
    return json.loads((FIXTURES / "rigour_sna.json").read_text())["cug"]


def graph_of(fx: dict, mode: str) -> nx.Graph:
    A = np.array(fx[mode], dtype=float)
    G = nx.from_numpy_array(A, create_using=nx.DiGraph if mode == "digraph" else nx.Graph)
    nx.set_node_attributes(G, dict(enumerate(fx["groups"])), "grp")
    return G


@pytest.mark.parametrize("mode", ["digraph", "graph"])
def test_observed_values_equal_sna(mode):
    fx = sna_cug()
    G = graph_of(fx, mode)
    for row in (r for r in fx["results"] if r["graph"] == mode and r["cmode"] == "edges"):
        res = cn.cug_test(G, row["statistic"], attr="grp", condition="edges", n_permutations=2)
        assert res.observed == pytest.approx(row["obs"], abs=1e-12), row["statistic"]
    # the built-ins agree with the library's own metrics
    assert cn.cug_test(G, "centralization", n_permutations=2).observed == pytest.approx(
        cn.centralization(G, "degree")
    )
    assert cn.cug_test(G, "ei", attr="grp", n_permutations=2).observed == pytest.approx(
        cn.ei_index(G, "grp")
    )


@pytest.mark.slow
@pytest.mark.parametrize("mode", ["digraph", "graph"])
def test_null_distribution_matches_sna_cug_test(mode):
    """sna drew 5,000 random graphs per row; ours, 2,000: the means agree within 5
    standard errors, the SDs within 15 % and the tail shares within 0.04."""
    fx = sna_cug()
    G = graph_of(fx, mode)
    for row in (r for r in fx["results"] if r["graph"] == mode):
        res = cn.cug_test(
            G,
            row["statistic"],
            attr="grp",
            condition=CONDITION[row["cmode"]],
            n_permutations=2000,
            seed=11,
        )
        label = (row["statistic"], row["cmode"])
        se = np.hypot(row["sd"] / np.sqrt(5000), res.null_sd / np.sqrt(2000))
        assert abs(res.expected - row["mean"]) <= 5 * se + 1e-12, label
        if row["sd"] > 0:
            assert res.null_sd == pytest.approx(row["sd"], rel=0.15), label
        assert res.p_greater == pytest.approx(row["pgteobs"], abs=0.04), label
        assert res.p_less == pytest.approx(row["plteobs"], abs=0.04), label


def test_conditions_keep_what_they_promise():
    rng = np.random.default_rng(3)
    G = nx.gnp_random_graph(15, 0.25, directed=True, seed=4)
    G.add_edges_from([(0, 1), (1, 0), (2, 3), (3, 2)])
    m = G.number_of_edges()
    mutual = sum(1 for u, v in G.edges if u < v and G.has_edge(v, u))
    dens = cn.cug_test(G, "density", condition="edges", n_permutations=30, seed=rng)
    # every random graph has exactly m ties, so its density is the observed one
    assert np.allclose(dens.null_distribution, m / (15 * 14))
    assert dens.p_two_sided == 1.0
    # dyad census: the reciprocity (mutual dyads) is kept exactly too
    recip = cn.cug_test(
        G,
        lambda H: sum(1 for u, v in H.edges if u < v and H.has_edge(v, u)),
        condition="dyad_census",
        n_permutations=20,
        seed=rng,
    )
    assert recip.statistic == "<lambda>"
    assert np.all(recip.null_distribution == mutual)
    # size: density 1/2 on average, binomial SD sqrt(.25 / 210)
    size = cn.cug_test(G, "density", condition="size", n_permutations=400, seed=rng)
    assert size.expected == pytest.approx(0.5, abs=4 * np.sqrt(0.25 / 210 / 400))
    assert size.null_sd == pytest.approx(np.sqrt(0.25 / 210), rel=0.15)


def test_calibrated_when_the_graph_is_drawn_from_the_reference():
    """G drawn as G(n, m) and tested with condition="edges": the two-sided transitivity
    and E-I p-values reject at most about 10 % of the time at the 10 % level."""
    rng = np.random.default_rng(8)
    reps = 120
    rejections = {"transitivity": 0, "ei": 0}
    for _ in range(reps):
        G = nx.gnm_random_graph(14, 30, seed=int(rng.integers(1 << 30)))
        nx.set_node_attributes(G, {v: v % 3 for v in G}, "grp")
        for stat in rejections:
            res = cn.cug_test(G, stat, attr="grp", condition="edges", n_permutations=99, seed=rng)
            rejections[stat] += res.p_two_sided <= 0.1
    band = 3 * np.sqrt(0.1 * 0.9 / reps)
    for stat, k in rejections.items():
        assert k / reps <= 0.1 + band, stat
        assert k / reps >= 0.1 - band - 0.04, stat  # discrete nulls are a little conservative


def test_errors_and_repr():
    G = nx.path_graph(5)
    with pytest.raises(ValueError, match="`condition`"):
        cn.cug_test(G, "density", condition="degree")
    with pytest.raises(TypeError, match="`statistic`"):
        cn.cug_test(G, "modularity")
    with pytest.raises(ValueError, match="needs `attr`"):
        cn.cug_test(G, "ei")
    with pytest.raises(ValueError, match="undefined"):
        cn.cug_test(nx.empty_graph(4), "transitivity")
    res = cn.cug_test(G, "density", n_permutations=9, seed=1)
    assert repr(res).startswith("CUGResult(density = 0.4 given size")
    assert res.to_frame().loc["density", "n_permutations"] == 9
