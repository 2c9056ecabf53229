"""Tests for connectnet.bridging (E-I, mixing, assortativity, segregation, participation)."""

from __future__ import annotations

import math

import networkx as nx
import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import connectnet as cn
from connectnet import bridging

# ---------------------------------------------------------------------------
# fixtures
# ---------------------------------------------------------------------------


def path4() -> nx.Graph:
    """a-b-c-d with a,b in NHS and c,d in prison: 1 external tie (b-c), 2 internal."""
    G = nx.Graph([("a", "b"), ("b", "c"), ("c", "d")])
    nx.set_node_attributes(G, {"a": "NHS", "b": "NHS", "c": "prison", "d": "prison"}, "sector")
    return G


def karate() -> nx.Graph:
    return nx.karate_club_graph()


def two_triangles() -> nx.Graph:
    """Two triangles joined by one edge; plus an isolate 'z' and a self-loop on 'a'.

    Groups: a,b,c = A; d,e,f = B; z = A.  Edges: ab, bc, ca (A-A), de, ef, fd (B-B),
    c-d (A-B), self-loop a-a (ignored).
    """
    G = nx.Graph()
    G.add_edges_from([("a", "b"), ("b", "c"), ("c", "a"), ("d", "e"), ("e", "f"), ("f", "d")])
    G.add_edge("c", "d")
    G.add_edge("a", "a")
    G.add_node("z")
    groups = dict.fromkeys("abcz", "A") | dict.fromkeys("def", "B")
    nx.set_node_attributes(G, groups, "sector")
    return G


@st.composite
def grouped_graphs(draw, directed: bool | None = None, weighted: bool = False):
    """Small random graphs with a 'sector' attribute on every node (1-4 groups)."""
    n = draw(st.integers(min_value=1, max_value=12))
    is_directed = draw(st.booleans()) if directed is None else directed
    G = nx.DiGraph() if is_directed else nx.Graph()
    G.add_nodes_from(range(n))
    pairs = [(u, v) for u in range(n) for v in range(n) if u != v]
    if not is_directed:
        pairs = [(u, v) for u, v in pairs if u < v]
    chosen = draw(st.lists(st.sampled_from(pairs), unique=True) if pairs else st.just([]))
    for u, v in chosen:
        w = draw(st.integers(min_value=1, max_value=5)) if weighted else 1
        G.add_edge(u, v, weight=w)
    n_groups = draw(st.integers(min_value=1, max_value=4))
    labels = draw(st.lists(st.sampled_from("PNCU"[:n_groups]), min_size=n, max_size=n))
    nx.set_node_attributes(G, dict(enumerate(labels)), "sector")
    return G


def relabelled(G: nx.Graph, seed: int) -> nx.Graph:
    nodes = list(G)
    rng = np.random.default_rng(seed)
    perm = rng.permutation(len(nodes))
    mapping = {u: f"n{perm[i]}" for i, u in enumerate(nodes)}
    return nx.relabel_nodes(G, mapping)


def snapshot(G: nx.Graph):
    return (
        sorted(map(repr, G.nodes(data=True))),
        sorted(map(repr, G.edges(data=True))),
        G.is_directed(),
    )


# ---------------------------------------------------------------------------
# ei_index, group_ei_index, node_ei_index
# ---------------------------------------------------------------------------


def test_ei_index_path():
    # E = 1 (b-c), I = 2 (a-b, c-d): (1 - 2) / 3
    assert cn.ei_index(path4()) == pytest.approx(-1 / 3)


def test_ei_index_weighted():
    G = path4()
    G["b"]["c"]["weight"] = 4
    # E = 4, I = 1 + 1: (4 - 2) / 6
    assert cn.ei_index(G, weight="weight") == pytest.approx(1 / 3)
    assert cn.ei_index(G) == pytest.approx(-1 / 3)  # weight ignored unless asked


def test_ei_index_ignores_self_loops_and_isolates():
    # 7 ties: 6 internal (two triangles), 1 external (c-d); loop a-a ignored
    assert cn.ei_index(two_triangles()) == pytest.approx((1 - 6) / 7)


def test_ei_index_directed_counts_each_arc():
    G = nx.DiGraph([("a", "b"), ("b", "a"), ("b", "c")])
    nx.set_node_attributes(G, {"a": 1, "b": 1, "c": 2}, "sector")
    # arcs a->b, b->a internal (2), b->c external (1): (1 - 2) / 3
    assert cn.ei_index(G) == pytest.approx(-1 / 3)


def test_ei_index_multigraph_parallel_edges_are_ties():
    G = nx.MultiGraph([("a", "b"), ("a", "b"), ("b", "c")])
    nx.set_node_attributes(G, {"a": 1, "b": 1, "c": 2}, "sector")
    assert cn.ei_index(G) == pytest.approx(-1 / 3)


def test_ei_index_edge_cases():
    G = nx.Graph()
    assert math.isnan(cn.ei_index(G))
    G.add_nodes_from([1, 2], sector="A")
    assert math.isnan(cn.ei_index(G))  # no ties
    G.add_edge(1, 2)
    assert cn.ei_index(G) == -1.0  # one group with ties
    assert isinstance(cn.ei_index(G), float)


def test_missing_attribute_raises():
    G = path4()
    G.add_node("x")
    with pytest.raises(ValueError, match="`sector`"):
        cn.ei_index(G)
    with pytest.raises(ValueError, match="`sector`"):
        cn.node_ei_index(G)


def test_bad_arguments():
    with pytest.raises(TypeError, match="`G`"):
        cn.ei_index({"a": 1})
    with pytest.raises(ValueError, match="`count`"):
        cn.group_ei_index(path4(), count="people")
    with pytest.raises(ValueError, match="`direction`"):
        cn.node_ei_index(path4(), direction="both")


def test_karate_group_ei_two_conventions():
    # Zachary's karate club, 78 edges split by "club": counted from the edge list below,
    # 35 ties inside Mr. Hi's group, 32 inside the Officer's, 11 across.
    #   ties:    Mr. Hi (11 - 35) / (11 + 35) = -0.5217;  Officer (11 - 32) / 43 = -0.4884
    #   members: Mr. Hi (11 - 70) / (11 + 70) = -0.7284;  Officer (11 - 64) / 75 = -0.7067
    G = karate()
    clubs = nx.get_node_attributes(G, "club")
    internal = {"Mr. Hi": 0, "Officer": 0}
    external = 0
    for u, v in G.edges():
        if clubs[u] == clubs[v]:
            internal[clubs[u]] += 1
        else:
            external += 1
    assert internal == {"Mr. Hi": 35, "Officer": 32}
    assert external == 11
    ties = cn.group_ei_index(G, "club")
    members = cn.group_ei_index(G, "club", count="members")
    assert ties["Mr. Hi"] == pytest.approx(-24 / 46)
    assert ties["Officer"] == pytest.approx(-21 / 43)
    assert members["Mr. Hi"] == pytest.approx(-59 / 81)
    assert members["Officer"] == pytest.approx(-53 / 75)
    # the figures quoted in the issue (Mr. Hi's group)
    assert round(ties["Mr. Hi"], 2) == -0.52
    assert round(members["Mr. Hi"], 2) == -0.73
    # whole network: (11 - 67) / 78
    assert cn.ei_index(G, "club") == pytest.approx(-56 / 78)
    assert list(ties.index) == ["Mr. Hi", "Officer"]
    assert ties.index.name == "club"
    assert ties.name == "group_ei_index"


def test_group_ei_index_hand():
    G = two_triangles()
    # A: 3 internal, 1 external -> -0.5; B the same. members: (1 - 6) / 7
    ties = cn.group_ei_index(G)
    assert ties.to_dict() == pytest.approx({"A": -0.5, "B": -0.5})
    members = cn.group_ei_index(G, count="members")
    assert members.to_dict() == pytest.approx({"A": -5 / 7, "B": -5 / 7})


def test_group_ei_index_group_without_ties_is_nan():
    G = path4()
    G.add_node("x", sector="council")
    out = cn.group_ei_index(G)
    assert list(out.index) == ["NHS", "council", "prison"]
    assert math.isnan(out["council"])


def test_group_ei_directed_arcs_either_direction():
    G = nx.DiGraph([("a", "b"), ("c", "a"), ("a", "c")])
    nx.set_node_attributes(G, {"a": "X", "b": "X", "c": "Y"}, "sector")
    # X: I = 1 (a->b), E = 2 (c->a, a->c) -> 1/3; Y: I = 0, E = 2 -> 1
    assert cn.group_ei_index(G).to_dict() == pytest.approx({"X": 1 / 3, "Y": 1.0})


def test_node_ei_index_hand():
    G = two_triangles()
    out = cn.node_ei_index(G)
    # a: b, c internal (loop ignored) -> -1; c: a, b internal, d external -> -1/3
    expected = {"a": -1, "b": -1, "c": -1 / 3, "d": -1 / 3, "e": -1, "f": -1}
    assert out.drop("z").to_dict() == pytest.approx(expected)
    assert math.isnan(out["z"])
    assert list(out.index) == list(G)
    assert out.name == "node_ei_index"


def test_node_ei_index_directed():
    G = nx.DiGraph([("a", "b"), ("a", "c"), ("c", "a"), ("d", "a")])
    nx.set_node_attributes(G, {"a": "X", "b": "X", "c": "Y", "d": "Y"}, "sector")
    out = cn.node_ei_index(G, direction="out")
    # a sends to b (I) and c (E) -> 0; b sends nothing -> NaN; c -> a (E) -> 1; d -> a -> 1
    assert out["a"] == 0.0
    assert math.isnan(out["b"])
    assert out[["c", "d"]].tolist() == [1.0, 1.0]
    inn = cn.node_ei_index(G, direction="in")
    # a receives from c, d (E, E) -> 1; b from a (I) -> -1; c from a (E) -> 1; d none
    assert inn[["a", "b", "c"]].tolist() == [1.0, -1.0, 1.0]
    assert math.isnan(inn["d"])
    both = cn.node_ei_index(G)
    # a: out b(I), c(E); in c(E), d(E) -> (3 - 1) / 4
    assert both["a"] == pytest.approx(0.5)


def test_node_ei_index_weighted():
    G = path4()
    G["a"]["b"]["weight"] = 3
    out = cn.node_ei_index(G, weight="weight")
    # b: internal weight 3 (a-b), external 1 (b-c) -> (1 - 3) / 4
    assert out["b"] == pytest.approx(-0.5)


# ---------------------------------------------------------------------------
# participation
# ---------------------------------------------------------------------------


def test_participation_star():
    G = nx.star_graph(4)
    nx.set_node_attributes(G, {0: "N", 1: "N", 2: "N", 3: "P", 4: "C"}, "sector")
    out = cn.participation_coefficient(G)
    # hub: 1 - (2/4)^2 - (1/4)^2 - (1/4)^2 = 1 - 6/16
    assert out[0] == pytest.approx(0.625)
    assert (out.drop(0) == 0).all()
    assert out.name == "participation_coefficient"


def test_participation_weighted_isolate_and_loop():
    G = two_triangles()
    G["c"]["d"]["weight"] = 2.0
    out = cn.participation_coefficient(G, weight="weight")
    # c: to A weight 2 (a, b), to B weight 2 (d) -> 1 - 1/4 - 1/4 = 0.5
    assert out["c"] == pytest.approx(0.5)
    # unweighted: c has 2 ties to A, 1 to B -> 1 - 4/9 - 1/9 = 4/9
    assert cn.participation_coefficient(G)["c"] == pytest.approx(4 / 9)
    assert math.isnan(out["z"])
    assert out["a"] == 0.0  # self-loop ignored


def _participation_loop(G):
    out = {}
    for u in G:
        k = G.degree(u)
        if k == 0:
            out[u] = np.nan
            continue
        counts = pd.Series([G.nodes[v]["sector"] for v in G[u]]).value_counts()
        out[u] = 1 - ((counts / k) ** 2).sum()
    return pd.Series(out, name="participation_coefficient")


def test_participation_dense_and_sparse_branches_agree_with_loop(monkeypatch):
    G = nx.gnm_random_graph(60, 200, seed=3)
    rng = np.random.default_rng(1)
    nx.set_node_attributes(G, {u: int(rng.integers(0, 7)) for u in G}, "sector")
    expected = _participation_loop(G)
    dense = cn.participation_coefficient(G)
    pd.testing.assert_series_equal(dense, expected, check_index_type=False)
    monkeypatch.setattr(bridging, "_DENSE_LIMIT", 10)  # force the many-groups branch
    sparse = cn.participation_coefficient(G)
    pd.testing.assert_series_equal(sparse, expected, check_index_type=False)


# ---------------------------------------------------------------------------
# properties
# ---------------------------------------------------------------------------


@settings(deadline=None, max_examples=40)
@given(grouped_graphs(weighted=True), st.integers(0, 1000))
def test_property_ei_bounds_relabelling_and_no_mutation(G, seed):
    before = snapshot(G)
    for weight in (None, "weight"):
        ei = cn.ei_index(G, weight=weight)
        assert math.isnan(ei) or -1 <= ei <= 1
        H = relabelled(G, seed)
        assert cn.ei_index(H, weight=weight) == pytest.approx(ei, nan_ok=True)
        node = cn.node_ei_index(G, weight=weight)
        assert list(node.index) == list(G)
        assert ((node.dropna() >= -1) & (node.dropna() <= 1)).all()
        grp = cn.group_ei_index(G, weight=weight)
        assert ((grp.dropna() >= -1) & (grp.dropna() <= 1)).all()
        members = cn.group_ei_index(G, weight=weight, count="members")
        assert (members.dropna() <= grp.dropna() + 1e-12).all()
    assert snapshot(G) == before


@settings(deadline=None, max_examples=40)
@given(grouped_graphs())
def test_property_renaming_groups_permutes_group_results(G):
    rename = {"P": "z-prison", "N": "a-nhs", "C": "m-council", "U": "b-uni"}
    H = G.copy()
    nx.set_node_attributes(H, {u: rename[s] for u, s in G.nodes(data="sector")}, "sector")
    for count in ("ties", "members"):
        a = cn.group_ei_index(G, count=count)
        b = cn.group_ei_index(H, count=count)
        assert sorted(b.index) == list(b.index)
        b_back = b.rename(index={v: k for k, v in rename.items()}).sort_index()
        pd.testing.assert_series_equal(a, b_back, check_names=False)
    # node-level values do not depend on the labels at all
    pd.testing.assert_series_equal(cn.node_ei_index(G), cn.node_ei_index(H))
    pd.testing.assert_series_equal(
        cn.participation_coefficient(G), cn.participation_coefficient(H)
    )


@settings(deadline=None, max_examples=40)
@given(grouped_graphs(weighted=True))
def test_property_participation_bounds(G):
    n_groups = len(set(nx.get_node_attributes(G, "sector").values()))
    for weight in (None, "weight"):
        out = cn.participation_coefficient(G, weight=weight)
        assert list(out.index) == list(G)
        vals = out.dropna()
        assert (vals >= 0).all()
        assert (vals <= 1 - 1 / n_groups + 1e-12).all()
        isolates = [u for u in G if G.degree(u) == 0]
        assert out[isolates].isna().all()
