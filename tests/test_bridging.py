"""Tests for connectnet.bridging (E-I, mixing, assortativity, segregation, participation)."""

from __future__ import annotations

import collections
import itertools
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
        # the code clips to [0, 1 - 1/S] for rounding, so the bounds alone cannot fail:
        # compare every value with a plain loop (arcs in and out on a DiGraph) first
        for u in G:
            strength: dict[str, float] = collections.defaultdict(float)
            for a, b, w in G.edges(data=weight, default=1):
                if u in (a, b):
                    strength[G.nodes[b if a == u else a]["sector"]] += w
            k = sum(strength.values())
            want = 1 - sum((x / k) ** 2 for x in strength.values()) if k else math.nan
            assert out[u] == pytest.approx(want, abs=1e-12, nan_ok=True)
        assert list(out.index) == list(G)
        vals = out.dropna()
        assert (vals >= 0).all()
        assert (vals <= 1 - 1 / n_groups + 1e-12).all()
        isolates = [u for u in G if G.degree(u) == 0]
        assert out[isolates].isna().all()


# ---------------------------------------------------------------------------
# ei_test
# ---------------------------------------------------------------------------


def test_ei_test_hand_values():
    G = two_triangles()
    res = cn.ei_test(G, n_permutations=99, seed=3)
    # 7 nodes: A = {a, b, c, z} (4), B = {d, e, f} (3); T = 7 ties, E = 1
    # P_I = 4*3/2 + 3*2/2 = 9, P_E = 4*3 = 12: expected (12 - 9) / 21 = 1/7
    assert res.observed == pytest.approx(-5 / 7)
    assert res.expected == pytest.approx(1 / 7)
    assert (res.possible_internal, res.possible_external, res.n_ties) == (9, 12, 7)
    # E_max = min(7, 12) = 7 -> max 1; I_max = min(7, 9) = 7 -> min -1
    assert (res.minimum, res.maximum) == (-1.0, 1.0)
    assert res.rescaled == pytest.approx(res.observed)
    assert res.n_permutations == 99
    assert res.distribution.shape == (99,)
    assert not res.distribution.flags.writeable
    assert 0 < res.p_internal <= 1
    assert 0 < res.p_external <= 1
    assert res.p_value == pytest.approx(min(1, 2 * min(res.p_internal, res.p_external)))
    # p-values are (b + 1) / (R + 1) with b counted on the permuted external counts
    perm_ext = np.rint((res.distribution * 7 + 7) / 2)
    assert res.p_internal == pytest.approx((np.sum(perm_ext <= 1) + 1) / 100)
    assert res.p_external == pytest.approx((np.sum(perm_ext >= 1) + 1) / 100)
    assert res.permutation_mean == pytest.approx(res.distribution.mean())
    assert res.permutation_sd == pytest.approx(res.distribution.std(ddof=1))


def test_ei_test_min_max_when_ties_exceed_pairs():
    # complete graph K5, groups {0,1} and {2,3,4}: T = 10, P_I = 1 + 3 = 4, P_E = 6
    G = nx.complete_graph(5)
    nx.set_node_attributes(G, {0: "A", 1: "A", 2: "B", 3: "B", 4: "B"}, "sector")
    res = cn.ei_test(G, n_permutations=20, seed=0)
    # E_max = 6 -> (6 - 4) / 10 = 0.2; I_max = 4 -> E = 6 -> (6 - 4) / 10 = 0.2 as well
    assert res.maximum == pytest.approx(0.2)
    assert res.minimum == pytest.approx(0.2)
    assert res.observed == pytest.approx(0.2)
    assert math.isnan(res.rescaled)  # empty range
    # every shuffle of a complete graph gives the same E-I: both p-values are 1
    assert res.p_internal == 1.0
    assert res.p_external == 1.0
    assert res.permutation_sd == 0.0


def test_ei_test_rescaled_on_restricted_range():
    # star with hub in A and 4 leaves: T = 4; groups A = {hub, x} (2), B = 3 leaves
    G = nx.star_graph(4)
    nx.set_node_attributes(G, {0: "A", 1: "A", 2: "B", 3: "B", 4: "B"}, "sector")
    res = cn.ei_test(G, n_permutations=10, seed=0)
    # P_I = 1 + 3 = 4, P_E = 6; E_max = 4 -> max 1; I_max = 4 -> min -1
    # observed: 3 external, 1 internal -> 0.5
    assert res.observed == 0.5
    assert (res.minimum, res.maximum) == (-1.0, 1.0)
    G.remove_edge(0, 1)
    G.add_edges_from([(2, 3), (3, 4), (2, 4), (1, 2)])
    # now T = 7: E = 3 (hub-leaves) + 1 (1-2) = 4, I = 3 (leaf triangle) -> 1/7
    res = cn.ei_test(G, n_permutations=10, seed=0)
    assert res.observed == pytest.approx(1 / 7)
    # E_max = min(7, 6) = 6 -> (6 - 1) / 7 = 5/7; I_max = min(7, 4) = 4 -> (3 - 4) / 7
    assert res.maximum == pytest.approx(5 / 7)
    assert res.minimum == pytest.approx(-1 / 7)
    # rescaled: 2 * (1/7 + 1/7) / (6/7) - 1 = 4/6 - 1 = -1/3
    assert res.rescaled == pytest.approx(-1 / 3)


def test_ei_test_karate_is_internal_and_reproducible():
    G = karate()
    a = cn.ei_test(G, "club", n_permutations=200, seed=7)
    b = cn.ei_test(G, "club", n_permutations=200, seed=7)
    np.testing.assert_array_equal(a.distribution, b.distribution)
    assert a == b
    assert a.p_internal == pytest.approx(1 / 201)
    assert a.p_external == 1.0
    # permutation mean is close to the exact expectation (1/33: 17*17 external pairs
    # against 2*136 internal -> (289 - 272) / 561)
    assert a.expected == pytest.approx(17 / 561)
    assert abs(a.permutation_mean - a.expected) < 4 * a.permutation_sd / math.sqrt(200)
    frame = a.to_frame()
    assert frame.shape == (1, 14)
    assert frame.loc["ei_index", "observed"] == a.observed
    assert "distribution" not in frame.columns
    text = repr(a)
    assert text.startswith("EITestResult(observed=-0.7179")
    assert "p_internal=0.004975" in text


def test_ei_test_directed_counts_ordered_pairs():
    G = nx.DiGraph([("a", "b"), ("b", "c")])
    nx.set_node_attributes(G, {"a": 1, "b": 1, "c": 2}, "sector")
    res = cn.ei_test(G, n_permutations=10, seed=0)
    # ordered pairs: P_I = 2 (a->b, b->a), P_E = 4
    assert (res.possible_internal, res.possible_external) == (2, 4)
    assert res.expected == pytest.approx(1 / 3)
    assert res.observed == 0.0


def test_ei_test_degenerate_graphs():
    G = nx.Graph()
    G.add_nodes_from([1, 2, 3], sector="A")
    res = cn.ei_test(G, n_permutations=5, seed=0)
    assert math.isnan(res.observed)
    assert math.isnan(res.p_value)
    assert res.expected == -1.0  # one group: random ties are all internal
    G.add_edge(1, 2)
    res = cn.ei_test(G, n_permutations=5, seed=0)
    assert res.observed == -1.0
    assert (res.minimum, res.maximum) == (-1.0, -1.0)
    assert math.isnan(res.rescaled)
    assert (res.p_internal, res.p_external) == (1.0, 1.0)
    assert math.isnan(cn.ei_test(nx.Graph(), n_permutations=3).expected)


def test_ei_test_bad_permutations():
    for bad in (0, -1, 2.5, True, "10"):
        with pytest.raises(ValueError, match="`n_permutations`"):
            cn.ei_test(path4(), n_permutations=bad)


def test_ei_test_batches_match_single_permutations(monkeypatch):
    # the batched code matrix gives the same counts as one permutation at a time
    G = nx.gnm_random_graph(40, 120, seed=1)
    rng = np.random.default_rng(0)
    nx.set_node_attributes(G, {u: "XYZ"[rng.integers(0, 3)] for u in G}, "sector")
    res = cn.ei_test(G, n_permutations=30, seed=5)
    codes = np.array([G.nodes[u]["sector"] for u in G])
    edges = np.array(list(G.edges()))
    gen = np.random.default_rng(5)
    template = np.broadcast_to(pd.factorize(codes, sort=True)[0].astype(np.int8), (30, 40))
    rows = gen.permuted(template, axis=1)
    ext = (rows[:, edges[:, 0]] != rows[:, edges[:, 1]]).sum(axis=1)
    np.testing.assert_allclose(res.distribution, (2 * ext - 120) / 120)


@pytest.mark.parametrize("directed", [False, True])
def test_ei_test_permutation_distribution_matches_exact_enumeration(directed):
    # 6 nodes, groups of 3, 2, 1: only 6!/(3!2!1!) = 60 distinct labellings, each equally
    # likely under a uniform shuffle. Enumerate them all for the exact null distribution
    # of the external-tie count, and check the sampled distribution, its mean and SD and
    # the one-sided p-values against it.
    G = nx.gnp_random_graph(6, 0.5, seed=11, directed=directed)
    labels = ("P", "P", "P", "N", "N", "C")
    nx.set_node_attributes(G, dict(zip(G, labels, strict=True)), "sector")
    edges = list(G.edges())
    T = len(edges)  # 6 edges undirected, 15 arcs directed

    def external(lab):
        return sum(lab[u] != lab[v] for u, v in edges)

    labellings = set(itertools.permutations(labels))
    assert len(labellings) == 60
    exact = collections.Counter(external(lab) for lab in labellings)
    prob = {e: c / 60 for e, c in exact.items()}
    mean = sum(e * q for e, q in prob.items())
    sd = math.sqrt(sum((e - mean) ** 2 * q for e, q in prob.items()))
    obs = external(labels)
    R = 20_000
    res = cn.ei_test(G, n_permutations=R, seed=7)
    assert res.observed == pytest.approx((2 * obs - T) / T)
    # the closed-form expected value is the exact permutation mean
    assert res.expected == pytest.approx((2 * mean - T) / T, abs=1e-12)
    counts = collections.Counter(np.rint((res.distribution * T + T) / 2).astype(int).tolist())
    assert set(counts) <= set(prob)  # never an impossible count
    for e, q in prob.items():  # each frequency within 5 binomial SEs of its probability
        assert abs(counts.get(e, 0) / R - q) <= 5 * math.sqrt(q * (1 - q) / R) + 1e-12
    se_mean = 2 * sd / T / math.sqrt(R)
    assert res.permutation_mean == pytest.approx((2 * mean - T) / T, abs=5 * se_mean)
    assert res.permutation_sd == pytest.approx(2 * sd / T, rel=0.03)
    p_ext = sum(q for e, q in prob.items() if e >= obs)
    p_int = sum(q for e, q in prob.items() if e <= obs)
    for got, want in ((res.p_external, p_ext), (res.p_internal, p_int)):
        assert got == pytest.approx(want, abs=5 * math.sqrt(want * (1 - want) / R) + 1 / R)


def test_ei_test_multigraph_range_contains_observed():
    # 3 parallel a-b ties between groups X and Y, plus one c-a tie inside X.
    # T = 4, E = 3: observed (3 - 1)/4 = 0.5. Only P_E = 2 and P_I = 1 pairs exist, but a
    # pair can carry any number of parallel ties, so the range is the full [-1, 1]
    # (capping at min(T, P_E) = 2 gave maximum 0, below the observed value).
    G = nx.MultiGraph([("a", "b"), ("a", "b"), ("a", "b"), ("c", "a")])
    nx.set_node_attributes(G, {"a": "X", "b": "Y", "c": "X"}, "sector")
    res = cn.ei_test(G, n_permutations=9, seed=0)
    assert res.observed == 0.5
    assert (res.minimum, res.maximum) == (-1.0, 1.0)
    assert res.rescaled == 0.5
    one = nx.MultiGraph([(1, 2), (1, 2)])
    nx.set_node_attributes(one, "X", "sector")
    single = cn.ei_test(one, n_permutations=5, seed=0)
    assert (single.minimum, single.maximum) == (-1.0, -1.0)  # no external pair exists


# ---------------------------------------------------------------------------
# mixing_matrix, block_density, assortativity
# ---------------------------------------------------------------------------


def test_mixing_matrix_hand():
    G = two_triangles()
    mm = cn.mixing_matrix(G)
    # A-A: 3 ties -> 6 on the diagonal; A-B: 1 tie both ways; B-B: 3 ties -> 6
    assert mm.to_numpy().tolist() == [[6.0, 1.0], [1.0, 6.0]]
    assert list(mm.index) == ["A", "B"]
    assert list(mm.columns) == ["A", "B"]
    norm = cn.mixing_matrix(G, normalise=True)
    assert norm.to_numpy().sum() == pytest.approx(1.0)
    assert norm.loc["A", "B"] == pytest.approx(1 / 14)


def test_mixing_matrix_directed_and_weighted():
    G = nx.DiGraph()
    G.add_edge("a", "c", weight=2.5)
    G.add_edge("c", "b", weight=1.0)
    G.add_edge("a", "b", weight=4.0)
    nx.set_node_attributes(G, {"a": "X", "b": "X", "c": "Y"}, "sector")
    mm = cn.mixing_matrix(G, weight="weight")
    # rows are senders: X->X 4 (a->b), X->Y 2.5 (a->c), Y->X 1 (c->b)
    assert mm.to_numpy().tolist() == [[4.0, 2.5], [1.0, 0.0]]
    assert cn.mixing_matrix(G).to_numpy().tolist() == [[1.0, 1.0], [1.0, 0.0]]


def test_mixing_matrix_empty_normalised_is_nan():
    G = nx.Graph()
    G.add_nodes_from([1, 2], sector="A")
    out = cn.mixing_matrix(G, normalise=True)
    assert out.isna().all().all()


def test_mixing_matrix_without_ties_is_float():
    # no ties: zeros, but still float64 like every other mixing matrix (bincount of no
    # edges used to give int64)
    G = nx.Graph()
    G.add_nodes_from([1, 2], sector="A")
    G.add_node(3, sector="B")
    out = cn.mixing_matrix(G)
    assert (out.dtypes == np.float64).all()
    assert out.to_numpy().tolist() == [[0.0, 0.0], [0.0, 0.0]]


@pytest.mark.parametrize("bad", [-1.0, float("nan"), float("inf")])
def test_weights_must_be_finite_and_non_negative(bad):
    # a negative weight used to give ei_index 2.0 (outside [-1, 1]) and a blank (NaN)
    # weight a silent NaN
    G = path4()
    G["a"]["b"]["weight"] = bad
    for weight in ("weight", "w"):
        nx.set_edge_attributes(G, {("c", "d"): 1.0}, weight)
    funcs = [
        cn.ei_index,
        cn.group_ei_index,
        cn.node_ei_index,
        cn.participation_coefficient,
        cn.mixing_matrix,
    ]
    for func in funcs:
        with pytest.raises(ValueError, match=r"`weight`.*'a'-'b'"):
            func(G, weight="weight")
        func(G, weight="w")  # the same graph with valid weights works
        func(G)  # and without weights
    G["a"]["b"]["weight"] = 0.0  # zero is a valid (empty) weight
    # a-b weighs 0, b-c 1 (no attribute: external), c-d 1 (internal): (1 - 1)/2 = 0
    assert cn.ei_index(G, weight="weight") == 0.0


def test_block_density_hand():
    G = two_triangles()
    bd = cn.block_density(G)
    # A has 4 members (6 pairs), 3 ties -> 0.5; B 3 members, 3 ties -> 1;
    # A-B: 1 tie of 12 pairs
    assert bd.loc["A", "A"] == pytest.approx(0.5)
    assert bd.loc["B", "B"] == pytest.approx(1.0)
    assert bd.loc["A", "B"] == pytest.approx(1 / 12)
    assert bd.loc["B", "A"] == pytest.approx(1 / 12)
    # within: 6 ties / 9 pairs; between 1 / 12
    assert bd.attrs == pytest.approx({"within": 6 / 9, "between": 1 / 12})


def test_block_density_directed_and_singleton():
    G = nx.DiGraph([("a", "b"), ("b", "a"), ("a", "c")])
    nx.set_node_attributes(G, {"a": "X", "b": "X", "c": "Y"}, "sector")
    bd = cn.block_density(G)
    # X: 2 arcs of 2 ordered pairs -> 1; X->Y: 1 of 2; Y->X: 0 of 2; Y singleton: NaN
    assert bd.loc["X", "X"] == 1.0
    assert bd.loc["X", "Y"] == 0.5
    assert bd.loc["Y", "X"] == 0.0
    assert math.isnan(bd.loc["Y", "Y"])


@pytest.mark.parametrize("make", [karate, two_triangles, path4])
def test_assortativity_matches_networkx(make):
    G = make()
    attr = "club" if "club" in next(iter(G.nodes.values())) else "sector"
    ours = cn.assortativity(G, attr)
    assert ours == pytest.approx(nx.attribute_assortativity_coefficient(G, attr), abs=1e-12)


def test_assortativity_directed_multigraph_and_loops_match_networkx():
    G = nx.MultiDiGraph([(0, 1), (0, 1), (1, 2), (2, 0), (3, 3), (3, 0), (2, 3)])
    nx.set_node_attributes(G, {0: "a", 1: "a", 2: "b", 3: "c"}, "sector")
    assert cn.assortativity(G) == pytest.approx(
        nx.attribute_assortativity_coefficient(G, "sector"), abs=1e-12
    )
    H = nx.MultiGraph(G)
    assert cn.assortativity(H) == pytest.approx(
        nx.attribute_assortativity_coefficient(H, "sector"), abs=1e-12
    )


def test_assortativity_degenerate():
    G = nx.Graph([(1, 2)])
    nx.set_node_attributes(G, "A", "sector")
    assert math.isnan(cn.assortativity(G))  # one group
    H = nx.Graph()
    H.add_nodes_from([1, 2], sector="A")
    assert math.isnan(cn.assortativity(H))  # no ties


@settings(deadline=None, max_examples=40)
@given(grouped_graphs())
def test_property_assortativity_matches_networkx(G):
    ours = cn.assortativity(G)
    if G.number_of_edges() == 0 or len(set(nx.get_node_attributes(G, "sector").values())) < 2:
        return  # networkx warns (0/0) there; covered by test_assortativity_degenerate
    M = nx.attribute_mixing_matrix(G, "sector")
    s = (M @ M).sum()
    if s == pytest.approx(1.0):
        assert math.isnan(ours)
        return
    assert ours == pytest.approx(nx.attribute_assortativity_coefficient(G, "sector"), abs=1e-9)


@settings(deadline=None, max_examples=40)
@given(grouped_graphs(directed=False, weighted=True))
def test_property_mixing_total_is_twice_ties(G):
    mm = cn.mixing_matrix(G)
    assert mm.to_numpy().sum() == 2 * G.number_of_edges()
    assert (mm.to_numpy() == mm.to_numpy().T).all()
    weighted = cn.mixing_matrix(G, weight="weight")
    assert weighted.to_numpy().sum() == pytest.approx(2 * G.size(weight="weight"))
    # row sums are the groups' total degrees
    deg = pd.Series(dict(G.degree())).groupby(nx.get_node_attributes(G, "sector")).sum()
    assert mm.sum(axis=1).to_dict() == pytest.approx(deg.astype(float).to_dict())


# ---------------------------------------------------------------------------
# homophily, segregation: the definitions of R netseg (coleman, freeman, orwg, gamix)
# ---------------------------------------------------------------------------

# White's (1975) kinship data as shipped with netseg (data-raw/WhiteKinship-*.csv).
WHITE_FEMALE = ["Mother", "Sister", "Brother's Wife", "Sister's Daughter", "Brother's Daughter"]
WHITE_EDGES = [
    ("Mother", "Sister"),
    ("Mother", "Sister's Daughter"),
    ("Mother", "Brother's Daughter"),
    ("Mother", "Father"),
    ("Mother", "Brother"),
    ("Mother", "Brother's Son"),
    ("Mother", "Sister's Son"),
    ("Sister", "Sister's Daughter"),
    ("Sister", "Brother's Daughter"),
    ("Sister", "Father"),
    ("Sister", "Sister's Son"),
    ("Brother's Wife", "Brother's Daughter"),
    ("Sister's Daughter", "Father"),
    ("Brother's Daughter", "Father"),
    ("Brother's Daughter", "Brother"),
    ("Father", "Brother"),
    ("Father", "Brother's Son"),
    ("Father", "Sister's Son"),
    ("Brother", "Brother's Son"),
    ("Brother", "Sister's Son"),
    ("Sister's Husband", "Brother's Son"),
    ("Sister's Husband", "Sister's Son"),
]


def white_kinship() -> nx.Graph:
    G = nx.Graph(WHITE_EDGES)
    nx.set_node_attributes(G, {u: "female" if u in WHITE_FEMALE else "male" for u in G}, "gender")
    return G


def test_segregation_white_kinship_matches_netseg_documentation():
    # netseg's documented outputs: freeman(WhiteKinship, "gender") 0.2636364,
    # orwg(...) 3.301587, gamix(...) 0.1801242 (tolerance 1e-7 in netseg's own tests).
    # By hand: N = 10 (5 women, 5 men), T = 22; within ties: female 6, male 7, so
    # I = 13 and E = 9.  P_I = 10 + 10 = 20 pairs, P_E = 25.
    #   freeman: E* = 22 * (100 - 50) / 90 = 12.2222; (12.2222 - 9) / 12.2222 = 0.263636
    #   orwg: (13 / (20 - 13)) / (9 / (25 - 9)) = 208 / 63 = 3.301587
    #   gamix: M = [[12, 9], [9, 14]]; (12/21 + 14/23 - 1) / (2 - 1) = 0.180124
    G = white_kinship()
    assert G.number_of_nodes() == 10
    assert G.number_of_edges() == 22
    assert cn.mixing_matrix(G, "gender").to_numpy().tolist() == [[12, 9], [9, 14]]
    seg = cn.segregation(G, "gender")
    assert seg["freeman"] == pytest.approx(0.2636364, abs=1e-7)
    assert seg["orwg"] == pytest.approx(3.301587, abs=1e-6)
    assert seg["gamix"] == pytest.approx(0.1801242, abs=1e-7)
    assert list(seg.index) == ["freeman", "orwg", "gamix"]
    assert seg.name == "segregation"
    assert seg["freeman"] == pytest.approx((22 * 50 / 90 - 9) / (22 * 50 / 90))
    assert seg["orwg"] == pytest.approx(208 / 63)
    assert seg["gamix"] == pytest.approx(12 / 21 + 14 / 23 - 1)


def test_segregation_extremes_and_degenerate():
    G = path4()
    G.remove_edge("b", "c")  # only within-group ties
    seg = cn.segregation(G)
    # no between ties: freeman 1, orwg inf (x / 0), gamix 1
    assert seg["freeman"] == 1.0
    assert seg["orwg"] == math.inf
    assert seg["gamix"] == 1.0
    # complete bipartite across groups: no within ties -> orwg 0, gamix -1 (p diagonal 0)
    K = nx.complete_bipartite_graph(2, 3)
    nx.set_node_attributes(K, {u: "AB"[K.nodes[u]["bipartite"]] for u in K}, "sector")
    seg = cn.segregation(K)
    # freeman: T = 6, E = 6, E* = 6 * (25 - 13) / 20 = 3.6 -> (3.6 - 6) / 3.6 = -2/3
    assert seg["freeman"] == pytest.approx(-2 / 3)
    assert seg["orwg"] == 0.0
    assert seg["gamix"] == pytest.approx(-1.0)
    one = nx.complete_graph(3)
    nx.set_node_attributes(one, "A", "sector")
    assert cn.segregation(one).isna().all()
    with pytest.raises(ValueError, match="multigraph"):
        cn.segregation(nx.MultiGraph(path4()))


def test_segregation_directed():
    # directed ring 1->2->...->6->1 in pairs {1,2}, {3,4}, {5,6}: T = 6 arcs, I = 3
    G = nx.DiGraph([(1, 2), (2, 3), (3, 4), (4, 5), (5, 6), (6, 1)])
    nx.set_node_attributes(G, {1: "a", 2: "a", 3: "b", 4: "b", 5: "c", 6: "c"}, "sector")
    seg = cn.segregation(G)
    # freeman: E* = 6 * (36 - 12) / 30 = 4.8; E = 3 -> (4.8 - 3) / 4.8 = 0.375
    assert seg["freeman"] == pytest.approx(0.375)
    # orwg: ordered pairs P_I = 6, P_E = 24: (3 / 3) / (3 / 21) = 7
    assert seg["orwg"] == pytest.approx(7.0)
    # gamix on M = C + C^T: each group diagonal 2, row sum 4 -> (3 * 0.5 - 1) / 2 = 0.25
    assert seg["gamix"] == pytest.approx(0.25)


def test_homophily_netseg_examples():
    # netseg test: directed ring of 6 in groups of 2 -> 0.375 each
    # (1 of 2 arcs inside; expected 2 * 1/5 = 0.4; (1 - 0.4) / (2 - 0.4))
    G = nx.DiGraph([(1, 2), (2, 3), (3, 4), (4, 5), (5, 6), (6, 1)])
    nx.set_node_attributes(G, {1: 1, 2: 1, 3: 2, 4: 2, 5: 3, 6: 3}, "sector")
    assert cn.homophily(G).tolist() == pytest.approx([0.375] * 3)
    # Coleman's own example (netseg test): 60 boys, 40 girls; boys send 45 arcs to boys
    # and 15 to girls, girls 20 to boys and 20 to girls -> 0.38125 and 0.175
    #   boys: w = 60 * 59 / 99 = 35.758; (45 - 35.758) / (60 - 35.758) = 0.38125
    #   girls: w = 40 * 39 / 99 = 15.758; (20 - 15.758) / (40 - 15.758) = 0.175
    H = nx.DiGraph()
    boys = [f"b{i}" for i in range(60)]
    girls = [f"g{i}" for i in range(40)]
    H.add_nodes_from(boys, sector="boy")
    H.add_nodes_from(girls, sector="girl")
    H.add_edges_from((boys[i], boys[i + 1]) for i in range(45))
    H.add_edges_from((boys[i], girls[i]) for i in range(15))
    H.add_edges_from((girls[i], boys[i]) for i in range(20))
    H.add_edges_from((girls[i], girls[i + 1]) for i in range(20))
    out = cn.homophily(H)
    assert out.to_dict() == pytest.approx({"boy": 0.38125, "girl": 0.175})
    assert out.name == "homophily"
    assert out.index.name == "sector"


def test_homophily_ef3_matches_netseg_documentation():
    # netseg's EF3 data (data-raw/EF3-*.csv): a 5 x 6 grid, rows A-E, columns 1-6, with
    # "race" 1 or 2. netseg documents coleman(as.directed(EF3, "mutual"), "race") as
    # 0.3337838 (race 1) and 0.1918033 (race 2); an undirected graph here is read the same
    # way (each tie two arcs).
    G = nx.grid_2d_graph(5, 6)
    G = nx.relabel_nodes(G, {(r, c): f"{'ABCDE'[r]}{c + 1}" for r, c in G})
    race_one = {"B1", "B2", "B5", "C1", "C2", "C5", "D1", "D2", "D3", "D4"}
    nx.set_node_attributes(G, {u: 1 if u in race_one else 2 for u in G}, "race")
    assert G.number_of_edges() == 49
    out = cn.homophily(G, "race")
    assert out[1] == pytest.approx(0.3337838, abs=1e-7)
    assert out[2] == pytest.approx(0.1918033, abs=1e-7)


def test_homophily_below_expectation_and_undirected():
    G = nx.complete_bipartite_graph(2, 2)  # all ties across
    nx.set_node_attributes(G, {0: "A", 1: "A", 2: "B", 3: "B"}, "sector")
    # undirected = mutual arcs: A sends 4 arcs, none inside; w = 4 * 1/3 -> (0 - w) / w = -1
    assert cn.homophily(G).tolist() == [-1.0, -1.0]
    G.add_node(9, sector="C")
    out = cn.homophily(G)
    assert math.isnan(out["C"])  # sends no ties, single member
    # undirected graph equals its mutual directed version
    W = white_kinship()
    pd.testing.assert_series_equal(
        cn.homophily(W, "gender"), cn.homophily(W.to_directed(), "gender")
    )


@settings(deadline=None, max_examples=40)
@given(grouped_graphs())
def test_property_segregation_and_homophily_bounds(G):
    before = snapshot(G)
    seg = cn.segregation(G)
    assert math.isnan(seg["freeman"]) or -math.inf < seg["freeman"] <= 1 + 1e-12
    assert math.isnan(seg["orwg"]) or seg["orwg"] >= 0
    assert math.isnan(seg["gamix"]) or -1 - 1e-12 <= seg["gamix"] <= 1 + 1e-12
    hom = cn.homophily(G).dropna()
    assert ((hom >= -1 - 1e-12) & (hom <= 1 + 1e-12)).all()
    H = relabelled(G, 1)
    pd.testing.assert_series_equal(cn.segregation(H), seg)
    pd.testing.assert_series_equal(cn.homophily(H), cn.homophily(G))
    assert snapshot(G) == before


@settings(deadline=None, max_examples=30)
@given(grouped_graphs(), st.integers(0, 2**32 - 1))
def test_property_ei_test_pvalues_and_bounds(G, seed):
    before = snapshot(G)
    res = cn.ei_test(G, n_permutations=19, seed=seed)
    if G.number_of_edges() == 0:
        assert math.isnan(res.p_value)
        return
    for p in (res.p_value, res.p_external, res.p_internal):
        assert 0 < p <= 1
    assert res.p_internal + res.p_external >= 1  # the two tails overlap at ties
    assert -1 <= res.minimum <= res.observed <= res.maximum <= 1
    assert (np.abs(res.distribution) <= 1).all()
    assert snapshot(G) == before


# ---------------------------------------------------------------------------
# the fast adjacency reader in _arrays.graph_arrays equals the public-API path
# ---------------------------------------------------------------------------


@settings(deadline=None, max_examples=40)
@given(
    st.sampled_from([nx.Graph, nx.DiGraph, nx.MultiGraph, nx.MultiDiGraph]),
    st.lists(st.tuples(st.integers(0, 7), st.integers(0, 7), st.integers(1, 4)), max_size=25),
    st.booleans(),
)
def test_property_graph_arrays_fast_path_equals_edges_api(cls, edges, reorder):
    from connectnet import _arrays

    G = cls()
    G.add_nodes_from([5, 3, 0, 7])  # adjacency order differs from sorted order
    for u, v, w in edges:
        if w == 4:
            G.add_edge(u, v)  # no weight attribute: counts as 1
        else:
            G.add_edge(u, v, weight=w)
    nodes = sorted(G) if reorder else list(G)
    fast = _arrays._edges_fast(G, nodes, "weight")
    assert fast is not None
    slow = _arrays._edges_generic(G, nodes, "weight")
    for a, b in zip(fast, slow, strict=True):
        np.testing.assert_array_equal(a, b)
    # and the edge order is networkx's own
    us = [nodes.index(u) for u, _ in G.edges()]
    np.testing.assert_array_equal(fast[0], us)
    # views take the public path and give the same arrays
    view = G.subgraph(list(G))
    assert _arrays._edges_fast(view, nodes, None) is None
    ga = _arrays.graph_arrays(view, nodes=nodes)
    np.testing.assert_array_equal(ga.src, slow[0])


def test_graph_arrays_non_numeric_weight():
    G = nx.Graph()
    G.add_edge(1, 2, weight="heavy")
    with pytest.raises(ValueError, match="`weight` must be numeric"):
        cn.ei_index(G, weight="weight")


@pytest.mark.parametrize(
    ("n", "m", "n_groups"), [(50, 300, 3), (300, 256, 2), (10, 1, 2), (500, 2000, 200)]
)
@pytest.mark.parametrize("n_perm", [1, 7, 8, 19])
def test_permuted_external_packed_and_plain_paths_match_naive(n, m, n_groups, n_perm):
    # 200 groups do not fit a byte: that case takes the plain (batch x n) path
    rng = np.random.default_rng(n + m)
    src, dst = rng.integers(0, n, m), rng.integers(0, n, m)
    codes = rng.integers(0, n_groups, n)
    got = bridging._permuted_external(codes, src, dst, n_groups, n_perm, np.random.default_rng(5))
    small = bridging._small_codes(codes, n_groups)
    rows = np.random.default_rng(5).permuted(np.broadcast_to(small, (n_perm, n)), axis=1)
    np.testing.assert_array_equal(got, (rows[:, src] != rows[:, dst]).sum(axis=1))
