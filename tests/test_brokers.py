"""Tests for connectnet.brokers: brokerage, structural holes, reach, bridging table, risk."""

from __future__ import annotations

import copy
import math
import random
from pathlib import Path

import networkx as nx
import numpy as np
import pandas as pd
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

import connectnet as cn
from connectnet._arrays import graph_arrays
from connectnet._stats import adjust_pvalues
from connectnet.brokers import _ROLES, _SNA_NAMES, _betweenness_from

FIXTURES = Path(__file__).parent / "fixtures"


# ---------------------------------------------------------------------------
# helpers
# ---------------------------------------------------------------------------


def labelled(edges, groups, *, directed=False, attr="sector"):
    G = nx.DiGraph() if directed else nx.Graph()
    G.add_nodes_from(groups)
    G.add_edges_from(edges)
    nx.set_node_attributes(G, groups, attr)
    return G


def brute_brokerage(G, attr="sector"):
    """sna's algorithm as a plain loop: open 2-paths i -> j -> k, classified at j."""
    D = G if G.is_directed() else G.to_directed()
    cl = nx.get_node_attributes(G, attr)
    out = {v: [0] * 6 for v in G}
    for j in D:
        for i in D.predecessors(j):
            for k in D.successors(j):
                if i in (j, k) or k == j or D.has_edge(i, k):
                    continue
                gi, gj, gk = cl[i], cl[j], cl[k]
                if gi == gj == gk:
                    role = 0
                elif gi == gk:
                    role = 1
                elif gi == gj:
                    role = 2
                elif gj == gk:
                    role = 3
                else:
                    role = 4
                out[j][role] += 1
                out[j][5] += 1
    return pd.DataFrame.from_dict(out, orient="index", columns=list(_ROLES), dtype=float)


def snapshot(G):
    return (
        type(G),
        list(G.nodes(data=True)),
        [(u, v, dict(d)) for u, v, d in G.edges(data=True)],
        dict(G.graph),
    )


@st.composite
def grouped_graphs(draw, *, min_nodes=3, max_nodes=12, directed=None, regions=False):
    n = draw(st.integers(min_nodes, max_nodes))
    is_directed = draw(st.booleans()) if directed is None else directed
    pairs = draw(
        st.lists(
            st.tuples(st.integers(0, n - 1), st.integers(0, n - 1)).filter(lambda p: p[0] != p[1]),
            max_size=3 * n,
        )
    )
    groups = draw(st.lists(st.sampled_from("abc"), min_size=n, max_size=n))
    G = nx.DiGraph() if is_directed else nx.Graph()
    for i, g in enumerate(groups):
        G.add_node(i, sector=g)
        if regions:
            G.nodes[i]["region"] = draw(st.sampled_from(["north", "south"]))
    G.add_edges_from(pairs)
    return G


# ---------------------------------------------------------------------------
# brokerage: hand-worked graphs
# ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("groups", "role"),
    [
        # i -> j -> k, no arc i -> k: j brokers one ordered pair (i, k).
        ("aaa", "coordinator"),  # all in one group
        ("aba", "itinerant"),  # i and k share a group, j is an outsider
        ("aab", "representative"),  # j represents its own group i to k's group
        ("abb", "gatekeeper"),  # j admits i into its own group (k)
        ("abc", "liaison"),  # three different groups
    ],
)
def test_brokerage_single_path_each_role(groups, role):
    G = labelled([("i", "j"), ("j", "k")], dict(zip("ijk", groups, strict=True)), directed=True)
    res = cn.brokerage(G)
    expected = pd.Series(0.0, index=list(_ROLES))
    expected[role] = 1.0
    expected["total"] = 1.0
    pd.testing.assert_series_equal(
        res.observed.loc["j"], expected, check_names=False, check_index_type=False
    )
    assert res.observed.drop(index="j").to_numpy().sum() == 0


def test_brokerage_closed_and_reciprocated_paths_are_not_brokered():
    # i -> j -> k with the shortcut i -> k: closed, no brokerage.
    # j <-> m only: the 2-path m -> j -> m returns to its start, no brokerage.
    G = labelled(
        [("i", "j"), ("j", "k"), ("i", "k"), ("j", "m"), ("m", "j")],
        {"i": "a", "j": "a", "k": "a", "m": "b"},
        directed=True,
    )
    obs = cn.brokerage(G).observed
    # Open 2-paths through j: i -> j -> m (a, a, b: representative) and m -> j -> k
    # (b, a, a: gatekeeper); i -> j -> k is closed and m -> j -> m returns to m.
    assert obs.loc["j", "representative"] == 1
    assert obs.loc["j", "gatekeeper"] == 1
    assert obs.loc["j", "total"] == 2
    assert obs.loc[["i", "k", "m"], "total"].sum() == 0


def test_brokerage_undirected_counts_each_path_in_both_directions():
    # Undirected a - b - c with groups (x, x, y): the open path is counted as a -> b -> c
    # (representative) and c -> b -> a (gatekeeper), so total = 2 at b.
    G = labelled([("a", "b"), ("b", "c")], {"a": "x", "b": "x", "c": "y"})
    obs = cn.brokerage(G).observed
    assert obs.loc["b"].tolist() == [0, 0, 1, 1, 0, 2]
    # density uses both arcs per edge: 4 arcs / (3 * 2)
    assert cn.brokerage(G).density == pytest.approx(4 / 6)


def test_brokerage_expectation_formula_small_case():
    # Directed path i -> j -> k, groups (a, a, b): n = 3 nodes, m = 2 arcs, d = 2/6 = 1/3.
    # Per-path probability d^2 (1 - d) = 2/27. Network expectation of total open 2-paths:
    # d^2 (1 - d) N (N - 1)(N - 2) = 2/27 * 6 = 4/9.
    G = labelled([("i", "j"), ("j", "k")], {"i": "a", "j": "a", "k": "b"}, directed=True)
    res = cn.brokerage(G)
    assert res.density == pytest.approx(1 / 3)
    assert res.network.loc["total", "expected"] == pytest.approx(4 / 9)
    # representative expectation for a node of group a (size 2): d^2(1-d)(N - n_a)(n_a - 1)
    assert res.expected.loc["i", "representative"] == pytest.approx(2 / 27 * 1 * 1)
    # coordinator in a group of size 2 needs (n_a - 1)(n_a - 2) = 0: sd 0, z NaN (as sna)
    assert res.expected.loc["i", "coordinator"] == 0
    assert math.isnan(res.z.loc["i", "coordinator"])


def test_brokerage_result_api():
    G = labelled([("i", "j"), ("j", "k")], {"i": "a", "j": "a", "k": "b"}, directed=True)
    res = cn.brokerage(G)
    frame = res.to_frame()
    assert list(frame.columns) == list(_ROLES) + [f"{r}_z" for r in _ROLES]
    assert list(frame.index) == list(G)
    assert list(res.network.columns) == [
        "observed",
        "expected",
        "sd",
        "z",
        "p_value",
        "p_adjusted",
    ]
    assert res.p_value.between(0, 1).all() or res.p_value.isna().any()
    assert "BrokerageResult" in repr(res)
    assert "total" in repr(res)
    with pytest.raises(AttributeError):
        res.density = 0.5  # frozen


# ---------------------------------------------------------------------------
# brokerage: agreement with R sna fixtures (tests/fixtures/r/brokerage.R)
# ---------------------------------------------------------------------------


def _fixture_tables():
    graphs = pd.read_csv(FIXTURES / "brokerage_graphs.csv")
    nodes = pd.read_csv(FIXTURES / "brokerage_nodes.csv")
    edges = pd.read_csv(FIXTURES / "brokerage_edges.csv")
    nli = pd.read_csv(FIXTURES / "brokerage_sna_nli.csv")
    gli = pd.read_csv(FIXTURES / "brokerage_sna_gli.csv")
    return graphs, nodes, edges, nli, gli


SNA_GRAPHS = list(pd.read_csv(FIXTURES / "brokerage_graphs.csv")["graph"])
TO_ROLE = {v: k for k, v in _SNA_NAMES.items()}


@pytest.mark.parametrize("name", SNA_GRAPHS)
def test_brokerage_matches_sna(name):
    graphs, nodes, edges, nli, gli = _fixture_tables()
    info = graphs.set_index("graph").loc[name]
    G = nx.DiGraph() if bool(info["directed"]) else nx.Graph()
    for row in nodes[nodes["graph"] == name].itertuples():
        G.add_node(int(row.node), sector=row.group)
    ed = edges[edges["graph"] == name]
    G.add_edges_from(zip(ed["source"].tolist(), ed["target"].tolist(), strict=True))
    assert G.number_of_nodes() == info["n"]
    res = cn.brokerage(G)
    for stat, got in [("raw", res.observed), ("exp", res.expected), ("sd", res.sd), ("z", res.z)]:
        sub = nli[(nli["graph"] == name) & (nli["statistic"] == stat)]
        want = sub.pivot(index="node", columns="role", values="value").rename(columns=TO_ROLE)
        want = want[list(_ROLES)].to_numpy()
        have = got.loc[sorted(G)].to_numpy()
        if stat == "raw":
            np.testing.assert_array_equal(have, want)
        else:
            np.testing.assert_allclose(have, want, rtol=0, atol=1e-8, equal_nan=True)
    for stat, col in [("raw", "observed"), ("exp", "expected"), ("sd", "sd"), ("z", "z")]:
        sub = gli[(gli["graph"] == name) & (gli["statistic"] == stat)]
        want = sub.set_index("role")["value"].rename(index=TO_ROLE).loc[list(_ROLES)].to_numpy()
        have = res.network[col].to_numpy()
        if stat == "raw":
            np.testing.assert_array_equal(have, want)
        else:
            np.testing.assert_allclose(have, want, rtol=0, atol=1e-8, equal_nan=True)


def test_sna_fixtures_include_nan_cases():
    # the singleton group and the one-group graph give NaN z-scores: the test above must
    # be checking NaN positions, not only finite values
    nli = pd.read_csv(FIXTURES / "brokerage_sna_nli.csv")
    assert nli.loc[nli["statistic"] == "z", "value"].isna().sum() > 0
    assert set(SNA_GRAPHS) >= {"random30_directed", "random30_undirected"}


# ---------------------------------------------------------------------------
# brokerage: properties
# ---------------------------------------------------------------------------


@settings(deadline=None, max_examples=40)
@given(grouped_graphs())
def test_brokerage_counts_equal_brute_force(G):
    before = snapshot(G)
    res = cn.brokerage(G)
    want = brute_brokerage(G)
    pd.testing.assert_frame_equal(
        res.observed,
        want.loc[list(G)],
        check_names=False,
        check_column_type=False,
        check_index_type=False,
    )
    assert snapshot(G) == before  # input not mutated
    assert list(res.observed.index) == list(G)
    assert np.array_equal(res.network["observed"].to_numpy(), res.observed.sum().to_numpy())


@settings(deadline=None, max_examples=30)
@given(grouped_graphs(), st.randoms(use_true_random=False))
def test_brokerage_relabelling_invariance(G, rnd):
    nodes = list(G)
    perm = nodes[:]
    rnd.shuffle(perm)
    mapping = {u: f"n{v}" for u, v in zip(nodes, perm, strict=True)}
    H = nx.relabel_nodes(G, mapping)
    a, b = cn.brokerage(G), cn.brokerage(H)
    pd.testing.assert_frame_equal(a.network, b.network)
    pd.testing.assert_frame_equal(
        a.observed.rename(index=mapping).loc[list(H)],
        b.observed,
        check_names=False,
        check_index_type=False,
    )


def test_brokerage_errors():
    G = labelled([("a", "b"), ("b", "c")], {"a": "x", "b": "x", "c": "y"})
    with pytest.raises(TypeError, match="`G`"):
        cn.brokerage({"a": "b"})
    with pytest.raises(ValueError, match="`region`"):
        cn.brokerage(G, "region")
    with pytest.raises(ValueError, match="at least 3 nodes"):
        cn.brokerage(labelled([("a", "b")], {"a": "x", "b": "y"}))


# ---------------------------------------------------------------------------
# structural holes
# ---------------------------------------------------------------------------


def test_structural_holes_star_and_triangle():
    # Star K_{1,3}, centre 0: p_0j = 1/3, leaves unconnected, so constraint
    # 3 * (1/3)^2 = 1/3, effective size 3 - 0 = 3, efficiency 1, hierarchy 0 (all c_0j equal).
    # A leaf has one contact: p = 1, constraint 1, effective size 1, hierarchy 0/0 = NaN.
    holes = cn.structural_holes(nx.star_graph(3))
    assert holes.loc[0].tolist() == pytest.approx([3.0, 1.0, 1 / 3, 0.0])
    assert holes.loc[1, ["effective_size", "efficiency", "constraint"]].tolist() == [1, 1, 1]
    assert math.isnan(holes.loc[1, "hierarchy"])
    # Triangle: p = 1/2, indirect p_iq p_qj = 1/4, c_ij = (3/4)^2 = 9/16, constraint 9/8;
    # Borgatti: effective size = n - 2t/n = 2 - 2*1/2 = 1, efficiency 1/2.
    tri = cn.structural_holes(nx.complete_graph(3))
    assert tri["constraint"].tolist() == pytest.approx([9 / 8] * 3)
    assert tri["effective_size"].tolist() == pytest.approx([1.0] * 3)
    assert tri["efficiency"].tolist() == pytest.approx([0.5] * 3)


def test_structural_holes_hierarchy_kite():
    # b has contacts a, c, d; c - d tied. p_b* = 1/3; p_dc = p_cd = 1/2.
    # c_ba = (1/3)^2 = 1/9; c_bc = (1/3 + p_bd p_dc)^2 = (1/3 + 1/6)^2 = 1/4 = c_bd.
    # C = 11/18, mean C/N = 11/54, r_a = 6/11, r_c = r_d = 27/22,
    # H = (r_a ln r_a + 2 r_c ln r_c) / (3 ln 3).
    G = nx.Graph([("b", "a"), ("b", "c"), ("b", "d"), ("c", "d")])
    h = cn.structural_holes(G).loc["b"]
    ra, rc = 6 / 11, 27 / 22
    assert h["constraint"] == pytest.approx(11 / 18)
    assert h["hierarchy"] == pytest.approx(
        (ra * math.log(ra) + 2 * rc * math.log(rc)) / (3 * math.log(3))
    )
    # effective size: 3 - (2 * 1 tie among contacts) / 3 = 7/3
    assert h["effective_size"] == pytest.approx(7 / 3)


def test_structural_holes_isolates_and_loops():
    G = nx.path_graph(3)
    G.add_edge(7, 7)  # only a self-loop: isolate
    G.add_node(9)
    holes = cn.structural_holes(G)
    assert holes.loc[[7, 9]].isna().all().all()
    assert list(holes.index) == list(G)
    assert list(holes.columns) == ["effective_size", "efficiency", "constraint", "hierarchy"]
    empty = cn.structural_holes(nx.Graph())
    assert empty.empty
    assert list(empty.columns) == list(holes.columns)


def _random_weighted(seed, directed):
    G = nx.gnp_random_graph(40, 0.12, seed=seed, directed=directed)
    rng = np.random.default_rng(seed)
    for u, v in G.edges:
        G[u][v]["weight"] = float(rng.integers(1, 6))
    G.add_node("isolate")
    return G


@pytest.mark.parametrize("directed", [False, True])
@pytest.mark.parametrize("weight", [None, "weight"])
@pytest.mark.parametrize("seed", [1, 2])
def test_structural_holes_match_networkx(directed, weight, seed):
    G = _random_weighted(seed, directed)
    holes = cn.structural_holes(G, weight=weight)
    nodes = list(G)
    con = pd.Series(nx.constraint(G, weight=weight))[nodes]
    np.testing.assert_allclose(holes["constraint"], con, rtol=0, atol=1e-9, equal_nan=True)
    # networkx's per-node effective_size path implements Burt's definition; its sparse
    # all-nodes path divides by column maxima for weighted/directed graphs (networkx
    # PR #8906), so compare with the per-node path, and with the default when unaffected.
    # The per-node path also returns NaN for a directed node with in-arcs only (it tests
    # G[v], the successors); Burt's measure is defined there, so skip those nodes.
    eff = pd.Series(nx.effective_size(G, nodes=nodes, weight=weight))[nodes]
    no_succ = pd.Series({v: len(G[v]) == 0 for v in nodes})[nodes]
    has_nbr = pd.Series({v: len(set(nx.all_neighbors(G, v))) > 0 for v in nodes})[nodes]
    comparable = ~(no_succ & has_nbr)
    assert comparable.sum() >= len(nodes) - 5
    np.testing.assert_allclose(
        holes["effective_size"][comparable.to_numpy()],
        eff[comparable],
        rtol=0,
        atol=1e-9,
        equal_nan=True,
    )
    assert holes["effective_size"][has_nbr.to_numpy()].notna().all()
    if not directed and weight is None:
        default = pd.Series(nx.effective_size(G))[nodes]
        np.testing.assert_allclose(holes["effective_size"], default, atol=1e-9, equal_nan=True)
    deg = pd.Series({v: len(set(nx.all_neighbors(G, v))) for v in nodes})[nodes]
    np.testing.assert_allclose(
        holes["efficiency"], holes["effective_size"] / deg.replace(0, np.nan), atol=1e-12
    )


def test_structural_holes_bad_weights():
    G = nx.Graph()
    G.add_edge("a", "b", weight=-1.0)
    G.add_edge("b", "c", weight=1.0)
    with pytest.raises(ValueError, match="positive"):
        cn.structural_holes(G, weight="weight")
    with pytest.raises(TypeError, match="`G`"):
        cn.structural_holes([("a", "b")])


@settings(deadline=None, max_examples=30)
@given(grouped_graphs())
def test_structural_holes_properties(G):
    before = snapshot(G)
    holes = cn.structural_holes(G)
    assert snapshot(G) == before
    assert list(holes.index) == list(G)
    ok = holes.dropna(subset=["constraint"])
    assert (ok["efficiency"] <= 1 + 1e-12).all()
    assert (ok["efficiency"] > 0).all()
    assert (ok["constraint"] > 0).all()
    h = holes["hierarchy"].dropna()
    assert ((h >= -1e-12) & (h <= 1 + 1e-12)).all()


# ---------------------------------------------------------------------------
# cross-sector reach
# ---------------------------------------------------------------------------


@pytest.fixture
def prison_graph():
    # Prisons P1 (north), P2 (north), P3 (south), P4 (south); NHS N1 (north), N2 (south);
    # civil servant C (north).
    #   P1 - N1           direct, same region
    #   P2 - C - N1       two steps via a civil servant
    #   P3 - N1           direct, but N1 is in the north
    #   P4                isolated
    G = nx.Graph([("P1", "N1"), ("P2", "C"), ("C", "N1"), ("P3", "N1"), ("N2", "C")])
    G.add_node("P4")
    sector = {"P1": "prison", "P2": "prison", "P3": "prison", "P4": "prison"}
    sector |= {"N1": "nhs", "N2": "nhs", "C": "civil"}
    region = {"P1": "north", "P2": "north", "P3": "south", "P4": "south", "N1": "north"}
    region |= {"N2": "south", "C": "north"}
    nx.set_node_attributes(G, sector, "sector")
    nx.set_node_attributes(G, region, "region")
    return G


def test_reach_hand_worked(prison_graph):
    G = prison_graph
    r1 = cn.cross_sector_reach(G, "sector", "prison", "nhs")
    # direct ties: P1 and P3 -> 2 of 4
    assert r1.share == 0.5
    assert r1.reached == ["P1", "P3"]
    assert r1.not_reached == ["P2", "P4"]
    r2 = cn.cross_sector_reach(G, "sector", "prison", "nhs", max_steps=2)
    # P2 reaches N1 via C: 3 of 4
    assert r2.share == 0.75
    assert r2.distance.to_dict() == pytest.approx(
        {"P1": 1.0, "P2": 2.0, "P3": 1.0, "P4": np.nan}, nan_ok=True
    )
    # same region only: P3 (south) reaches N1 (north) only; at 3 steps P3 - N1 - C - N2
    w1 = cn.cross_sector_reach(G, "sector", "prison", "nhs", within="region")
    assert w1.reached == ["P1"]
    w3 = cn.cross_sector_reach(G, "sector", "prison", "nhs", within="region", max_steps=3)
    assert w3.reached == ["P1", "P2", "P3"]
    assert w3.distance["P3"] == 3
    anywhere = cn.cross_sector_reach(G, "sector", "prison", "nhs", max_steps=None)
    assert anywhere.share == 0.75
    frame = w3.to_frame()
    assert list(frame.columns) == ["reached", "distance"]
    assert frame["reached"].tolist() == [True, True, True, False]
    assert "3 of 4" in repr(w3)
    assert w3.n_source == 4


def test_reach_group_lists_and_direction():
    # A -> B arcs: prison reports the NHS contact, not vice versa.
    G = labelled(
        [("p1", "n1"), ("n2", "p2"), ("p3", "g1")],
        {"p1": "prison", "p2": "prison", "p3": "prison", "n1": "nhs", "n2": "nhs", "g1": "gp"},
        directed=True,
    )
    assert cn.cross_sector_reach(G, "sector", "prison", "nhs").reached == ["p1", "p2"]
    assert cn.cross_sector_reach(G, "sector", "prison", "nhs", direction="out").reached == ["p1"]
    assert cn.cross_sector_reach(G, "sector", "prison", "nhs", direction="in").reached == ["p2"]
    both = cn.cross_sector_reach(G, "sector", "prison", ["nhs", "gp"])
    assert both.share == 1.0
    assert both.target == ("nhs", "gp")


def test_reach_errors(prison_graph):
    G = prison_graph
    with pytest.raises(ValueError, match=r"'police'.*groups present: .*'prison'"):
        cn.cross_sector_reach(G, "sector", "prison", "police")
    with pytest.raises(ValueError, match="different groups"):
        cn.cross_sector_reach(G, "sector", "prison", ["prison", "nhs"])
    with pytest.raises(ValueError, match="`max_steps`"):
        cn.cross_sector_reach(G, "sector", "prison", "nhs", max_steps=0)
    with pytest.raises(TypeError, match="`max_steps`"):
        cn.cross_sector_reach(G, "sector", "prison", "nhs", max_steps=1.5)
    with pytest.raises(ValueError, match="`direction`"):
        cn.cross_sector_reach(G, "sector", "prison", "nhs", direction="up")
    with pytest.raises(TypeError, match="source"):
        cn.cross_sector_reach(G, "sector")  # source and target are required
    H = G.copy()
    del H.nodes["P1"]["region"]
    with pytest.raises(ValueError, match="`region`"):
        cn.cross_sector_reach(H, "sector", "prison", "nhs", within="region")


def test_reach_labels_match_case_and_space_insensitively(prison_graph):
    exact = cn.cross_sector_reach(prison_graph, "sector", "prison", "nhs")
    typed = cn.cross_sector_reach(prison_graph, "sector", " Prison", ["NHS  "])
    assert typed.source == ("prison",)
    assert typed.target == ("nhs",)
    assert typed.reached == exact.reached
    risk = cn.bridging_risk(prison_graph, "sector", "PRISON", "Nhs")
    pd.testing.assert_frame_equal(risk, cn.bridging_risk(prison_graph, "sector", "prison", "nhs"))


def _brute_reach(G, source, target, within, max_steps, direction="all"):
    H = G.to_undirected(as_view=True) if direction == "all" else G
    if direction == "in" and G.is_directed():
        H = G.reverse(copy=False)
    ok = set()
    srcs = [v for v in G if G.nodes[v].get("sector") == source]
    for s in srcs:
        dist = nx.single_source_shortest_path_length(H, s, cutoff=max_steps)
        for t in dist:
            if (
                t != s
                and G.nodes[t].get("sector") == target
                and (within is None or G.nodes[t][within] == G.nodes[s][within])
            ):
                ok.add(s)
                break
    return srcs, ok


@settings(deadline=None, max_examples=40)
@given(
    grouped_graphs(regions=True),
    st.sampled_from([1, 2, 3, None]),
    st.sampled_from([None, "region"]),
    st.sampled_from(["all", "out", "in"]),
)
def test_reach_matches_brute_force(G, max_steps, within, direction):
    groups = {d["sector"] for _, d in G.nodes(data=True)}
    assume({"a", "b"} <= groups)
    before = snapshot(G)
    r = cn.cross_sector_reach(
        G, "sector", "a", "b", within=within, max_steps=max_steps, direction=direction
    )
    assert snapshot(G) == before
    srcs, ok = _brute_reach(G, "a", "b", within, max_steps, direction)
    assert set(r.reached) == ok
    assert r.reached + r.not_reached == [v for v in G if v in set(srcs)] or sorted(
        r.reached + r.not_reached
    ) == sorted(srcs)
    assert r.share == pytest.approx(len(ok) / len(srcs))
    assert list(r.distance.index) == srcs


@settings(deadline=None, max_examples=40)
@given(grouped_graphs(regions=True), st.data())
def test_removing_a_node_never_increases_reach(G, data):
    groups = [d["sector"] for _, d in G.nodes(data=True)]
    assume(groups.count("a") >= 2 and "b" in groups)
    v = data.draw(st.sampled_from(list(G)))
    H = G.copy()
    H.remove_node(v)
    assume("b" in {d["sector"] for _, d in H.nodes(data=True)})
    for steps in (1, 2, None):
        before = set(cn.cross_sector_reach(G, "sector", "a", "b", max_steps=steps).reached)
        after = set(cn.cross_sector_reach(H, "sector", "a", "b", max_steps=steps).reached)
        assert after <= before - {v}


@settings(deadline=None, max_examples=30)
@given(grouped_graphs(regions=True), st.randoms(use_true_random=False))
def test_reach_relabelling_invariance(G, rnd):
    groups = {d["sector"] for _, d in G.nodes(data=True)}
    assume({"a", "b"} <= groups)
    nodes = list(G)
    perm = nodes[:]
    rnd.shuffle(perm)
    mapping = dict(zip(nodes, perm, strict=True))
    H = nx.relabel_nodes(G, mapping)
    a = cn.cross_sector_reach(G, "sector", "a", "b", within="region", max_steps=2)
    b = cn.cross_sector_reach(H, "sector", "a", "b", within="region", max_steps=2)
    assert a.share == b.share
    assert {mapping[v] for v in a.reached} == set(b.reached)


# ---------------------------------------------------------------------------
# bridging risk
# ---------------------------------------------------------------------------


def test_bridging_risk_hand_worked(prison_graph):
    G = prison_graph
    risk = cn.bridging_risk(G, "sector", "prison", "nhs")
    # direct reach 2/4 (P1, P3 via N1). N1 leaving cuts both off: share 0/4.
    assert risk.index[0] == "N1"
    assert risk.loc["N1"].tolist() == [2, 0.5, 0.0]
    # P1 leaving: nobody else loses; share becomes 1/3 (P3 of P2, P3, P4): drop 0.5 - 1/3
    assert risk.loc["P1", "sources_cut_off"] == 0
    assert risk.loc["P1", "reach_drop"] == pytest.approx(0.5 - 1 / 3)
    # P4 (unlinked) leaving raises the share: drop is negative
    assert risk.loc["P4", "reach_drop"] == pytest.approx(0.5 - 2 / 3)
    assert risk.attrs["share"] == 0.5
    assert set(risk.index) == set(G)
    # two steps: the civil servant C carries both of P2's routes (to N1 and N2); N1 still
    # carries P1's and P3's only links
    risk2 = cn.bridging_risk(G, "sector", "prison", "nhs", max_steps=2)
    assert risk2.loc["C", "sources_cut_off"] == 1
    assert risk2.loc["N1", "sources_cut_off"] == 2
    assert risk2.loc["N2", "sources_cut_off"] == 0


@settings(deadline=None, max_examples=30)
@given(
    grouped_graphs(regions=True, max_nodes=10),
    st.sampled_from([1, 2, None]),
    st.sampled_from([None, "region"]),
    st.sampled_from(["all", "out"]),
)
def test_bridging_risk_matches_removal(G, max_steps, within, direction):
    groups = {d["sector"] for _, d in G.nodes(data=True)}
    assume({"a", "b"} <= groups)
    before = snapshot(G)
    risk = cn.bridging_risk(
        G, "sector", "a", "b", within=within, max_steps=max_steps, direction=direction
    )
    assert snapshot(G) == before
    assert set(risk.index) == set(G)
    _, ok = _brute_reach(G, "a", "b", within, max_steps, direction)
    for v in G:
        H = G.copy()
        H.remove_node(v)
        srcs2, ok2 = _brute_reach(H, "a", "b", within, max_steps, direction)
        assert risk.loc[v, "sources_cut_off"] == len((ok - {v}) - ok2)
        if srcs2:
            assert risk.loc[v, "share_without"] == pytest.approx(len(ok2) / len(srcs2))
        else:
            assert math.isnan(risk.loc[v, "share_without"])
    cut = risk["sources_cut_off"].to_numpy()
    assert (np.diff(cut) <= 0).all()  # sorted


# ---------------------------------------------------------------------------
# bridging table and betweenness
# ---------------------------------------------------------------------------


@pytest.mark.parametrize("directed", [False, True])
def test_betweenness_exact_and_sampled_match_networkx(directed):
    G = nx.gnp_random_graph(40, 0.1, seed=4, directed=directed)
    nodes = list(G)
    ga = graph_arrays(G)
    exact, info = _betweenness_from(ga, np.arange(len(nodes)), backend="numpy")
    assert info["betweenness"] == "exact"
    ref = nx.betweenness_centrality(G)
    np.testing.assert_allclose(exact, [ref[v] for v in nodes], atol=1e-12)
    # networkx samples k sources with random.Random(seed).sample(list(G), k)
    sample = random.Random(11).sample(nodes, 8)
    pos = np.sort([nodes.index(v) for v in sample])
    est, info = _betweenness_from(ga, pos, backend="numpy")
    assert info == {
        "betweenness": "sampled",
        "betweenness_sources": 8,
        "betweenness_backend": "numpy",
    }
    ref = nx.betweenness_centrality(G, k=8, seed=11)
    np.testing.assert_allclose(est, [ref[v] for v in nodes], atol=1e-12)


@pytest.mark.parametrize("directed", [False, True])
def test_betweenness_igraph_agrees_with_numpy(directed):
    pytest.importorskip("igraph")
    G = nx.gnp_random_graph(60, 0.08, seed=5, directed=directed)
    ga = graph_arrays(G)
    for sources in (np.arange(60), np.array([1, 5, 9, 30, 44])):
        a, _ = _betweenness_from(ga, sources, backend="numpy")
        b, ib = _betweenness_from(ga, sources, backend="igraph")
        assert ib["betweenness_backend"] == "igraph"
        np.testing.assert_allclose(a, b, atol=1e-12)


def test_bridging_table_hand_worked():
    # a - b - c - d with sectors (p, p, n, n): b and c are cut points; every edge a bridge.
    G = labelled([("a", "b"), ("b", "c"), ("c", "d")], {"a": "p", "b": "p", "c": "n", "d": "n"})
    t = cn.bridging_table(G, backend="numpy")
    assert list(t.index) == ["b", "c", "a", "d"]  # betweenness 2/3, 2/3, 0, 0; ties by order
    assert t.loc["b", "betweenness"] == pytest.approx(2 / 3)
    assert t.loc["b", "degree"] == 2
    assert t.loc["b", "cross_sector_degree"] == 1
    assert t.loc["b", "node_ei"] == 0  # one external, one internal tie
    assert bool(t.loc["b", "articulation_point"])
    assert not t.loc["a", "articulation_point"]
    assert t.loc["b", "bridges"] == 2
    assert t.loc["b", "local_bridges"] == 2
    # b brokers a -> b -> c (representative) and c -> b -> a (gatekeeper)
    assert t.loc["b", ["representative", "gatekeeper", "brokerage_total"]].tolist() == [1, 1, 2]
    assert t.attrs["betweenness"] == "exact"
    assert t.attrs["betweenness_backend"] == "numpy"
    assert "betweenness" in t.attrs["sort"]


def test_bridging_table_bridges_versus_local_bridges():
    # Two triangles abc and def joined by the bridge c-d; f-g is a second bridge to the
    # square g-h-i-j. The square's edges lie on a cycle (not bridges) but in no triangle
    # (local bridges); triangle edges are neither.
    #   articulation points: c, d, f, g
    #   bridges per node:    c 1, d 1, f 1, g 1
    #   local bridges:       c 1 (cd), d 1 (cd), f 1 (fg), g 3 (fg, gh, gj), h, i, j 2 each
    edges = [("a", "b"), ("b", "c"), ("c", "a"), ("d", "e"), ("e", "f"), ("f", "d")]
    edges += [("c", "d"), ("f", "g"), ("g", "h"), ("h", "i"), ("i", "j"), ("j", "g")]
    groups = dict.fromkeys("abc", "prison") | dict.fromkeys("def", "nhs")
    groups |= dict.fromkeys("ghij", "council")
    for directed in (False, True):  # a DiGraph's arcs are read as undirected ties here
        t = cn.bridging_table(labelled(edges, groups, directed=directed), backend="numpy")
        art = set(t.index[t["articulation_point"]])
        assert art == {"c", "d", "f", "g"}
        assert t["bridges"].to_dict() == dict.fromkeys("abehij", 0) | dict.fromkeys("cdfg", 1)
        local = dict.fromkeys("abe", 0) | {"c": 1, "d": 1, "f": 1, "g": 3}
        assert t["local_bridges"].to_dict() == local | dict.fromkeys("hij", 2)
        assert t.loc["g", "cross_sector_degree"] == 1  # f is NHS, h and j council


@pytest.mark.parametrize("directed", [False, True])
def test_bridging_table_matches_components(directed):
    G = nx.gnp_random_graph(50, 0.06, seed=8, directed=directed)
    rng = np.random.default_rng(8)
    nx.set_node_attributes(G, {v: str(rng.choice(["p", "n", "c"])) for v in G}, "sector")
    before = snapshot(G)
    t = cn.bridging_table(G, backend="numpy")
    assert snapshot(G) == before
    assert set(t.index) == set(G)
    assert len(t) == G.number_of_nodes()
    U = nx.Graph(G.to_undirected())
    assert set(t.index[t["articulation_point"]]) == set(nx.articulation_points(U))
    bridges = pd.Series(0, index=list(G))
    for u, v in nx.bridges(U):
        bridges[u] += 1
        bridges[v] += 1
    pd.testing.assert_series_equal(
        t["bridges"].loc[list(G)], bridges, check_names=False, check_index_type=False
    )
    local = pd.Series(0, index=list(G))
    for u, v in nx.local_bridges(U, with_span=False):
        local[u] += 1
        local[v] += 1
    pd.testing.assert_series_equal(
        t["local_bridges"].loc[list(G)],
        local,
        check_names=False,
        check_dtype=False,
        check_index_type=False,
    )
    bet = pd.Series(nx.betweenness_centrality(G))
    np.testing.assert_allclose(t["betweenness"].loc[list(G)], bet[list(G)], atol=1e-12)
    np.testing.assert_allclose(
        t["node_ei"].loc[list(G)], cn.node_ei_index(G), equal_nan=True, atol=1e-12
    )
    np.testing.assert_allclose(
        t["participation"].loc[list(G)],
        cn.participation_coefficient(G),
        equal_nan=True,
        atol=1e-12,
    )
    np.testing.assert_allclose(
        t["constraint"].loc[list(G)], pd.Series(nx.constraint(G))[list(G)], equal_nan=True
    )
    cross = pd.Series(
        {v: sum(G.nodes[v]["sector"] != G.nodes[u]["sector"] for u in U[v]) for v in G}
    )
    pd.testing.assert_series_equal(
        t["cross_sector_degree"].loc[list(G)],
        cross,
        check_names=False,
        check_dtype=False,
        check_index_type=False,
    )
    # sorted by betweenness, then cross-sector degree, then total brokerage (descending)
    keys = t[["betweenness", "cross_sector_degree", "brokerage_total"]].to_numpy()
    assert all(tuple(keys[i]) >= tuple(keys[i + 1]) for i in range(len(keys) - 1))


def test_bridging_table_sampling_is_seeded_and_recorded():
    G = nx.gnp_random_graph(60, 0.08, seed=2)
    nx.set_node_attributes(G, {v: "ab"[v % 2] for v in G}, "sector")
    a = cn.bridging_table(G, exact_max_nodes=10, k=12, seed=5, backend="numpy")
    b = cn.bridging_table(G, exact_max_nodes=10, k=12, seed=5, backend="numpy")
    pd.testing.assert_frame_equal(a, b)
    assert a.attrs["betweenness"] == "sampled"
    assert a.attrs["betweenness_sources"] == 12
    assert a.attrs["seed"] == 5
    other = cn.bridging_table(G, exact_max_nodes=10, k=12, seed=6, backend="numpy")
    assert not np.allclose(
        other["betweenness"].loc[list(G)], a["betweenness"].loc[list(G)]
    )  # a different seed samples different sources


def test_bridging_table_igraph_backend_agrees():
    pytest.importorskip("igraph")
    G = nx.gnp_random_graph(60, 0.08, seed=2, directed=True)
    nx.set_node_attributes(G, {v: "ab"[v % 2] for v in G}, "sector")
    for kwargs in ({}, {"exact_max_nodes": 10, "k": 12, "seed": 5}):
        a = cn.bridging_table(G, backend="numpy", **kwargs)
        b = cn.bridging_table(G, backend="auto", **kwargs)
        assert b.attrs["betweenness_backend"] == "igraph"
        np.testing.assert_allclose(
            b["betweenness"].loc[list(G)], a["betweenness"].loc[list(G)], atol=1e-12
        )


def test_bridging_table_errors():
    G = labelled([("a", "b"), ("b", "c")], {"a": "x", "b": "x", "c": "y"})
    with pytest.raises(ValueError, match="`backend`"):
        cn.bridging_table(G, backend="gpu")
    with pytest.raises(ValueError, match="`sector`"):
        cn.bridging_table(nx.path_graph(4))
    with pytest.raises(ValueError, match="at least 3"):
        cn.bridging_table(labelled([("a", "b")], {"a": "x", "b": "y"}))


def test_bridging_table_rejects_bad_sample_sizes():
    # k=0 used to give an all-zero "sampled" betweenness column, and k=-1 a numpy error
    G = nx.gnp_random_graph(12, 0.3, seed=1)
    nx.set_node_attributes(G, {v: "ab"[v % 2] for v in G}, "sector")
    for bad in (0, -1, 2.5, True, "8"):
        with pytest.raises(ValueError, match="`k` must be an integer of at least 1"):
            cn.bridging_table(G, exact_max_nodes=5, k=bad, backend="numpy")
    for bad in (-1, 1.5, None):
        with pytest.raises(ValueError, match="`exact_max_nodes`"):
            cn.bridging_table(G, exact_max_nodes=bad, backend="numpy")
    # k=1: the one sampled source cannot estimate its own betweenness (NaN, as networkx)
    t = cn.bridging_table(G, exact_max_nodes=5, k=1, seed=3, backend="numpy")
    assert t.attrs["betweenness_sources"] == 1
    assert t["betweenness"].isna().sum() == 1
    assert (
        cn.bridging_table(G, exact_max_nodes=0, k=np.int64(12), backend="numpy").attrs[
            "betweenness"
        ]
        == "exact"
    )


def test_inputs_are_not_mutated_weighted_directed():
    G = _random_weighted(3, True)
    nx.set_node_attributes(G, {v: "xy"[hash(str(v)) % 2] for v in G}, "sector")
    original = copy.deepcopy(G)
    cn.structural_holes(G, weight="weight")
    cn.brokerage(G)
    cn.bridging_table(G, backend="numpy")
    assert snapshot(G) == snapshot(original)


def test_reach_to_a_list_of_groups_tolerates_absent_ones(caplog):
    # chief executives reach "other sectors": police may not be in every wave
    G = nx.Graph([("a", "b"), ("a", "c"), ("d", "e")])
    nx.set_node_attributes(
        G, {"a": "nhs", "b": "police", "c": "nhs", "d": "nhs", "e": "la"}, "sector"
    )
    res = cn.cross_sector_reach(G, "sector", "nhs", ["police", "voluntary"])
    assert res.reached == ["a"]
    assert res.share == pytest.approx(1 / 3)
    assert "voluntary" in caplog.text
    with pytest.raises(ValueError, match="no node has `sector` equal to 'voluntary'"):
        cn.cross_sector_reach(G, "sector", "nhs", ["voluntary"])


def test_brokerage_p_values_adjusted_for_roles_and_nodes():
    G = nx.gnp_random_graph(30, 0.12, seed=3, directed=True)
    nx.set_node_attributes(G, {v: f"g{v % 3}" for v in G}, "sector")
    res = cn.brokerage(G)
    assert res.adjust == "holm"
    p = res.network["p_value"].to_numpy()
    np.testing.assert_allclose(res.network["p_adjusted"], adjust_pvalues(p, "holm"))
    # node p-values: two-sided normal, erfc(|z| / sqrt 2), adjusted within each role
    z = res.z["total"].to_numpy()
    np.testing.assert_allclose(
        res.node_p_value["total"], [math.erfc(abs(v) / math.sqrt(2)) for v in z]
    )
    np.testing.assert_allclose(
        res.node_p_adjusted["total"], adjust_pvalues(res.node_p_value["total"], "holm")
    )
    assert (res.node_p_adjusted.fillna(1) >= res.node_p_value.fillna(1) - 1e-12).all().all()
    raw = cn.brokerage(G, adjust=None)
    pd.testing.assert_frame_equal(raw.node_p_adjusted, raw.node_p_value)
    with pytest.raises(ValueError, match="`adjust`"):
        cn.brokerage(G, adjust="sidak")
