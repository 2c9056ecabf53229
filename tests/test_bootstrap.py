"""Tests for connectnet.bootstrap_ci (node bootstrap, Snijders & Borgatti 1999)."""

from __future__ import annotations

import itertools

import networkx as nx
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import connectnet as cn
from connectnet.change import bootstrap as boot


def sectors(G: nx.Graph, k: int = 3) -> nx.Graph:
    nx.set_node_attributes(G, {v: f"g{i % k}" for i, v in enumerate(G)}, "grp")
    return G


def test_estimates_equal_the_library_metrics():
    G = sectors(nx.karate_club_graph())
    assert cn.bootstrap_ci(G, n_boot=20, seed=1).estimate == pytest.approx(nx.density(G))
    ei = cn.bootstrap_ci(G, "ei", attr="grp", n_boot=20, seed=1)
    assert ei.estimate == pytest.approx(cn.ei_index(G, "grp"))
    bd = cn.bootstrap_ci(
        G, "block_density", attr="grp", source="g0", target="g1", n_boot=20, seed=1
    )
    assert bd.estimate == pytest.approx(cn.block_density(G, "grp").loc["g0", "g1"])
    assert bd.statistic == "block density g0–g1"


def resampled(G: nx.Graph, drawn: list) -> nx.Graph:
    """The network among the people drawn, copies as separate nodes; a pair of copies
    of one person is no dyad (removed from the possible pairs via a marker)."""
    H = nx.DiGraph() if G.is_directed() else nx.Graph()
    H.add_nodes_from((a, G.nodes[x]) for a, x in enumerate(drawn))
    for a, b in itertools.permutations(range(len(drawn)), 2):
        if drawn[a] != drawn[b] and G.has_edge(drawn[a], drawn[b]):
            H.add_edge(a, b)
    return H


@settings(deadline=None, max_examples=40)
@given(st.integers(0, 10_000), st.booleans())
def test_a_replicate_is_the_statistic_of_the_resampled_network(seed, directed):
    """The people drawn (copies counted) give exactly the statistic of the explicit
    resampled network, with dyads between two copies of one person left out."""
    rng = np.random.default_rng(seed)
    G = sectors(nx.gnp_random_graph(7, 0.4, seed=seed, directed=directed), 2)
    nodes = list(G)
    drawn = list(rng.choice(nodes, size=7))
    draws = np.array([[nodes.index(v) for v in drawn]])
    H = resampled(G, drawn)
    same = sum(1 for a, b in itertools.permutations(range(7), 2) if drawn[a] == drawn[b])
    pairs = (7 * 6 - same) / (1 if directed else 2)
    index = boot._object_index(nodes)
    ties = boot._ties(G, index, directed, None)
    codes = np.array([int(G.nodes[v]["grp"][1]) for v in nodes])
    (dens,) = boot._Statistic("density", None, None, None, directed)(draws, [ties], 7)[0]
    if pairs:
        assert dens == pytest.approx(H.number_of_edges() / pairs)
    (ei,) = boot._Statistic("ei", codes, None, None, directed)(draws, [ties], 7)[0]
    if H.number_of_edges():
        assert ei == pytest.approx(cn.ei_index(H, "grp"))
    else:
        assert np.isnan(ei)


def test_paired_change_of_identical_waves_is_exactly_zero():
    G = sectors(nx.gnp_random_graph(30, 0.2, seed=2))
    res = cn.bootstrap_ci(G, "ei", attr="grp", after=G.copy(), n_boot=50, seed=3)
    assert res.paired
    assert res.statistic == "change in E-I index (grp)"
    assert (res.estimate, res.low, res.high) == (0.0, 0.0, 0.0)
    assert np.all(res.distribution == 0)


def test_intervals_and_methods():
    G = nx.gnp_random_graph(60, 0.15, seed=5)
    per = cn.bootstrap_ci(G, n_boot=400, level=0.9, seed=1)
    nor = cn.bootstrap_ci(G, n_boot=400, level=0.9, method="normal", seed=1)
    bas = cn.bootstrap_ci(G, n_boot=400, level=0.9, method="basic", seed=1)
    z = 1.6448536269514722
    assert nor.low == pytest.approx(nor.estimate - z * nor.se)
    assert per.se == nor.se == bas.se  # same seed, same replicates
    for r in (per, nor, bas):
        assert r.low < r.estimate < r.high
    # the node bootstrap's raw SD counts dyad noise three times: the reported SE is
    # smaller than the raw SD of the replicates, and never below the dyad-level SD
    raw = np.nanstd(per.distribution, ddof=1)
    assert per.se < raw
    dens = nx.density(G)
    assert per.se >= np.sqrt(dens * (1 - dens) / (60 * 59 / 2)) * 0.9
    assert "90% CI" in repr(per)
    assert per.to_frame().loc["density", "n_boot"] == 400


@pytest.mark.slow
def test_coverage_on_a_small_block_model():
    """95 % intervals from SBMs with random group membership (n = 80, 80 replications)
    cover the true density and E-I at least 88 % of the time (the full check, n = 100
    and 300 with 1,000 replications, is benchmarks/bench_change.py --coverage)."""
    rng = np.random.default_rng(11)
    pi = np.array([0.5, 0.3, 0.2])
    P = np.array([[0.12, 0.03, 0.01], [0.03, 0.15, 0.04], [0.01, 0.04, 0.2]])
    dens = pi @ P @ pi
    internal = (pi**2 * np.diag(P)).sum()
    ei = (dens - 2 * internal) / dens
    hits = np.zeros(2)
    reps = 80
    for _ in range(reps):
        g = rng.choice(3, size=80, p=pi)
        A = np.triu(rng.random((80, 80)) < P[g][:, g], 1)
        G = nx.from_numpy_array((A + A.T).astype(int))
        nx.set_node_attributes(G, dict(enumerate(g.tolist())), "grp")
        d = cn.bootstrap_ci(G, n_boot=300, seed=rng)
        e = cn.bootstrap_ci(G, "ei", attr="grp", n_boot=300, seed=rng)
        hits += [d.low <= dens <= d.high, e.low <= ei <= e.high]
    assert (hits / reps >= 0.88).all(), hits / reps


def test_errors():
    G = nx.path_graph(4)
    with pytest.raises(ValueError, match="`statistic`"):
        cn.bootstrap_ci(G, "modularity")
    with pytest.raises(ValueError, match="`method`"):
        cn.bootstrap_ci(G, method="bca")
    with pytest.raises(ValueError, match="`level`"):
        cn.bootstrap_ci(G, level=95)
    with pytest.raises(ValueError, match="needs `attr`"):
        cn.bootstrap_ci(G, "ei")
    with pytest.raises(ValueError, match="`source` and `target`"):
        cn.bootstrap_ci(sectors(G), "block_density", attr="grp")
    with pytest.raises(ValueError, match="undefined"):
        cn.bootstrap_ci(sectors(nx.empty_graph(3)), "ei", attr="grp")
    with pytest.raises(ValueError, match="`n_boot`"):
        cn.bootstrap_ci(G, n_boot=0)
    with pytest.raises(TypeError):
        cn.bootstrap_ci(G, after=nx.DiGraph(G))


def test_within_restricts_pairs_like_the_change_test():
    """Block density within regions: the estimate equals the dyad-swap test's value."""
    rng = np.random.default_rng(4)
    before = sectors(nx.gnp_random_graph(40, 0.15, seed=6, directed=True), 2)
    after = sectors(nx.gnp_random_graph(40, 0.2, seed=7, directed=True), 2)
    region = {v: f"r{int(rng.integers(3))}" for v in before}
    for G in (before, after):
        nx.set_node_attributes(G, region, "region")
    kw = {"attr": "grp", "source": "g0", "target": "g1", "within": "region"}
    test = cn.ei_change_test(
        before,
        after,
        "grp",
        source="g0",
        target="g1",
        within="region",
        nodes="union",
        n_permutations=10,
    )
    one = cn.bootstrap_ci(before, "block_density", n_boot=50, seed=1, **kw)
    assert one.estimate == pytest.approx(test.before)
    assert one.statistic == "block density g0→g1 within region"
    chg = cn.bootstrap_ci(
        before, "block_density", after=after, nodes="union", n_boot=50, seed=1, **kw
    )
    assert chg.estimate == pytest.approx(test.observed)
    assert chg.low <= chg.estimate <= chg.high
    dens = cn.bootstrap_ci(before, within="region", n_boot=20, seed=1)
    same = sum(1 for u, v in before.edges if region[u] == region[v])
    pairs = sum(1 for u in before for v in before if u != v and region[u] == region[v])
    assert dens.estimate == pytest.approx(same / pairs)


def test_one_wave_ei_interval_is_read_on_the_arcsine_scale():
    """The normal interval of one wave's E-I is sin(arcsin(EI) -/+ z SE_x), SE_x from the
    arcsine replicates less twice the dyad-level variance carried over by the delta
    method (V_d / (1 - EI^2)); the change in E-I keeps the linear scale."""
    G = sectors(nx.gnp_random_graph(50, 0.15, seed=9), 3)
    res = cn.bootstrap_ci(G, "ei", attr="grp", n_boot=400, method="normal", seed=2)
    n = G.number_of_nodes()
    codes = np.array([int(G.nodes[v]["grp"][1]) for v in G])
    stat = boot._Statistic("ei", codes, None, None, False)
    ties = [boot._ties(G, boot._object_index(list(G)), False, None)]
    dyad = boot._dyad_variance(stat, ties, n, [res.estimate])
    # E-I's dyad-level variance is (1 - EI^2) / T (module notes): T ties
    assert dyad == pytest.approx((1 - res.estimate**2) / G.number_of_edges())
    x = np.arcsin(res.distribution)
    x_var = max(x.var(ddof=1) - 2 * dyad / (1 - res.estimate**2), dyad / (1 - res.estimate**2))
    z = 1.959963984540054
    centre = np.arcsin(res.estimate)
    assert res.low == pytest.approx(np.sin(centre - z * np.sqrt(x_var)))
    assert res.high == pytest.approx(np.sin(centre + z * np.sqrt(x_var)))
    raw = res.distribution.var(ddof=1)
    assert res.se == pytest.approx(np.sqrt(max(raw - 2 * dyad, dyad)))  # SE on E-I's scale
    chg = cn.bootstrap_ci(G, "ei", attr="grp", after=G.copy(), n_boot=50, seed=2)
    assert (chg.low, chg.high) == (0.0, 0.0)


def test_ei_intervals_stay_within_minus_one_and_one():
    """Nearly every tie internal: E-I close to -1; every method's interval stays in
    [-1, 1] (the arcsine scale is bounded at -pi/2, pi/2 before transforming back)."""
    G = nx.disjoint_union_all([nx.complete_graph(6) for _ in range(4)])
    nx.set_node_attributes(G, {v: v // 6 for v in G}, "grp")
    G.add_edge(0, 6)
    for method in ("percentile", "normal", "basic"):
        res = cn.bootstrap_ci(G, "ei", attr="grp", n_boot=300, method=method, seed=1)
        assert -1 <= res.low <= res.estimate <= res.high <= 1
