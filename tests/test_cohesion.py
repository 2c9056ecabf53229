"""Tests for connectnet.cohesion: hand-worked values, R sna fixtures, networkx agreement,
hypothesis properties and edge cases."""

from __future__ import annotations

import itertools
import math
from pathlib import Path

import networkx as nx
import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import connectnet as cn
from connectnet import cohesion

FIXTURES = Path(__file__).parent / "fixtures"

# ---------------------------------------------------------------------------
# helpers
# ---------------------------------------------------------------------------


def _fixture_graphs() -> dict[str, nx.Graph]:
    graphs = pd.read_csv(FIXTURES / "centralization_graphs.csv")
    edges = pd.read_csv(FIXTURES / "centralization_edges.csv")
    out = {}
    for row in graphs.itertuples():
        G = nx.DiGraph() if row.directed else nx.Graph()
        G.add_nodes_from(range(row.n_nodes))
        e = edges[edges["graph"] == row.graph]
        G.add_edges_from(zip(e["source"].tolist(), e["target"].tolist(), strict=True))
        out[row.graph] = G
    return out


FIXTURE_GRAPHS = _fixture_graphs()
SNA = pd.read_csv(FIXTURES / "centralization_sna.csv")
SNA_NODES = pd.read_csv(FIXTURES / "centralization_sna_nodes.csv")


@st.composite
def graphs(draw, max_nodes: int = 12, directed: bool | None = None) -> nx.Graph:
    n = draw(st.integers(0, max_nodes))
    is_directed = draw(st.booleans()) if directed is None else directed
    G = nx.DiGraph() if is_directed else nx.Graph()
    G.add_nodes_from(range(n))
    if n:
        pairs = st.tuples(st.integers(0, n - 1), st.integers(0, n - 1))
        G.add_edges_from(draw(st.lists(pairs, max_size=3 * n)))
    return G


def _snapshot(G: nx.Graph) -> tuple:
    return (
        list(G.nodes(data=True)),
        [(u, v, dict(d)) for u, v, d in G.edges(data=True)],
        dict(G.graph),
    )


def _relabel(G: nx.Graph) -> nx.Graph:
    """Same graph with string node names in reversed insertion order."""
    nodes = list(G)[::-1]
    H = G.__class__()
    H.add_nodes_from((f"n{v}", G.nodes[v]) for v in nodes)
    H.add_edges_from((f"n{u}", f"n{v}", d) for u, v, d in reversed(list(G.edges(data=True))))
    return H


def _planted(n: int, k: int, p_core: float, p_cp: float, p_per: float, seed: int) -> nx.Graph:
    """Nodes 0..k-1 form the core."""
    rng = np.random.default_rng(seed)
    iu = np.triu_indices(n, 1)
    p = np.where(iu[1] < k, p_core, np.where(iu[0] < k, p_cp, p_per))
    keep = rng.random(p.size) < p
    G = nx.Graph()
    G.add_nodes_from(range(n))
    G.add_edges_from(zip(iu[0][keep].tolist(), iu[1][keep].tolist(), strict=True))
    return G


def _same(a: float, b: float) -> bool:
    return (math.isnan(a) and math.isnan(b)) or a == pytest.approx(b, rel=1e-9, abs=1e-12)


# ---------------------------------------------------------------------------
# fragmentation
# ---------------------------------------------------------------------------


def test_fragmentation_two_triangles():
    # n = 6 -> 15 unordered pairs; each triangle has 3 internal pairs -> 6 reachable,
    # 9 unreachable: F = 9/15 = 0.6
    G = nx.disjoint_union(nx.complete_graph(3), nx.complete_graph(3))
    assert cn.fragmentation(G) == pytest.approx(9 / 15)


def test_fragmentation_distance_weighted_path():
    # P3: distances 1, 1, 2 (each twice as ordered pairs): sum 1/d = 2 * 2.5 = 5 of 6
    assert cn.fragmentation(nx.path_graph(3), distance_weighted=True) == pytest.approx(1 / 6)
    assert cn.fragmentation(nx.path_graph(3)) == 0.0


def test_fragmentation_directed_reachability():
    # a -> b -> c: ordered pairs reachable (a,b), (a,c), (b,c) = 3 of 6 -> 0.5;
    # weighted: 1/1 + 1/2 + 1/1 = 2.5 of 6 -> 7/12
    D = nx.DiGraph([("a", "b"), ("b", "c")])
    assert cn.fragmentation(D) == pytest.approx(0.5)
    assert cn.fragmentation(D, distance_weighted=True) == pytest.approx(7 / 12)
    # a directed cycle: everyone reaches everyone
    assert cn.fragmentation(nx.cycle_graph(4, create_using=nx.DiGraph)) == 0.0


def test_fragmentation_edge_cases():
    assert math.isnan(cn.fragmentation(nx.Graph()))
    assert math.isnan(cn.fragmentation(nx.empty_graph(1)))
    assert cn.fragmentation(nx.empty_graph(4)) == 1.0
    assert cn.fragmentation(nx.empty_graph(4), distance_weighted=True) == 1.0
    assert cn.fragmentation(nx.complete_graph(4), distance_weighted=True) == 0.0
    # self-loops and an isolate: 3 of 6 unordered pairs reachable... only (0, 1) -> 5/6
    G = nx.Graph([(0, 1), (2, 2)])
    G.add_node(3)
    assert cn.fragmentation(G) == pytest.approx(5 / 6)


@given(graphs())
@settings(deadline=None, max_examples=40)
def test_fragmentation_matches_bruteforce(G):
    n = G.number_of_nodes()
    if n < 2:
        assert math.isnan(cn.fragmentation(G))
        return
    reach = inv = 0.0
    for s, lengths in nx.all_pairs_shortest_path_length(G):
        for t, d in lengths.items():
            if t != s:
                reach += 1
                inv += 1 / d
    assert cn.fragmentation(G) == pytest.approx(1 - reach / (n * (n - 1)))
    assert cn.fragmentation(G, distance_weighted=True) == pytest.approx(1 - inv / (n * (n - 1)))


# ---------------------------------------------------------------------------
# centralization
# ---------------------------------------------------------------------------


def test_centralization_star_and_complete():
    # star, n = 6: degrees 5,1,1,1,1,1 -> sum(5 - d) = 20; sna max (n-1)(n-2) = 20 -> 1
    star = nx.star_graph(5)
    assert cn.centralization(star) == 1.0
    assert cn.centralization(star, "betweenness") == pytest.approx(1.0)
    assert cn.centralization(star, "closeness") == pytest.approx(1.0)
    for measure in ("degree", "betweenness", "closeness"):
        assert cn.centralization(nx.complete_graph(5), measure) == 0.0


def test_centralization_path_betweenness_by_hand():
    # P6 betweenness 0,4,6,6,4,0 -> sum(6 - b) = 16; max (n-1)^2 (n-2) / 2 = 50 -> 0.32
    assert cn.centralization(nx.path_graph(6), "betweenness") == pytest.approx(0.32)
    # degrees 1,2,2,2,2,1 -> sum(2 - d) = 2; (n-1)(n-2) = 20 -> 0.1
    assert cn.centralization(nx.path_graph(6)) == pytest.approx(0.1)


@pytest.mark.parametrize(
    ("graph", "measure", "value"),
    list(SNA.itertuples(index=False, name=None)),
)
def test_centralization_matches_sna(graph, measure, value):
    assert cn.centralization(FIXTURE_GRAPHS[graph], measure) == pytest.approx(
        value, rel=1e-12, abs=1e-12
    )


@pytest.mark.parametrize(
    ("graph", "measure"),
    sorted(set(SNA_NODES[["graph", "measure"]].itertuples(index=False, name=None))),
)
def test_node_scores_match_sna(graph, measure):
    ref = SNA_NODES[(SNA_NODES["graph"] == graph) & (SNA_NODES["measure"] == measure)]
    got = cohesion._node_scores(cohesion._structure(FIXTURE_GRAPHS[graph]), measure)
    np.testing.assert_allclose(got, ref["value"].to_numpy(), rtol=1e-12, atol=1e-12)


def test_sna_fixtures_cover_required_cases():
    directed = {name for name, G in FIXTURE_GRAPHS.items() if G.is_directed()}
    disconnected = {
        name for name, G in FIXTURE_GRAPHS.items() if not nx.is_weakly_connected(G.to_directed())
    }
    assert len(directed) >= 3
    assert disconnected - directed
    assert disconnected & directed
    assert set(SNA["measure"]) == {"degree", "betweenness", "closeness"}


@pytest.mark.parametrize("directed", [False, True])
def test_betweenness_matches_networkx(directed):
    G = nx.gnp_random_graph(40, 0.12, seed=4, directed=directed)
    got = cohesion._node_scores(cohesion._structure(G), "betweenness")
    ref = nx.betweenness_centrality(G, normalized=False)
    np.testing.assert_allclose(got, [ref[v] for v in G], atol=1e-9)


def test_centralization_ignores_self_loops_weights_and_multiedges():
    G = nx.MultiGraph(nx.star_graph(4))
    G.add_edge(1, 1)
    G.add_edge(0, 1, weight=7)
    assert cn.centralization(G) == 1.0


def test_centralization_small_graphs_nan():
    assert math.isnan(cn.centralization(nx.Graph()))
    assert math.isnan(cn.centralization(nx.empty_graph(1), "closeness"))
    assert math.isnan(cn.centralization(nx.path_graph(2)))


def test_centralization_errors():
    with pytest.raises(ValueError, match="`measure`"):
        cn.centralization(nx.path_graph(3), "eigenvector")
    with pytest.raises(TypeError, match="`G`"):
        cn.centralization([(0, 1)])


@given(graphs())
@settings(deadline=None, max_examples=30)
def test_centralization_relabelling_invariant(G):
    before = _snapshot(G)
    H = _relabel(G)
    for measure in ("degree", "betweenness", "closeness"):
        value = cn.centralization(G, measure)
        assert _same(value, cn.centralization(H, measure))
        if measure != "closeness" and not math.isnan(value):  # sna closeness may exceed 1
            assert -1e-12 <= value <= 1 + 1e-12
    for weighted in (False, True):
        f = cn.fragmentation(G, distance_weighted=weighted)
        assert _same(f, cn.fragmentation(H, distance_weighted=weighted))
        assert math.isnan(f) or 0.0 <= f <= 1.0
    assert _snapshot(G) == before


# ---------------------------------------------------------------------------
# cohesion_summary
# ---------------------------------------------------------------------------


def test_summary_matches_networkx_karate():
    G = nx.karate_club_graph()
    s = cn.cohesion_summary(G)
    assert s.name == "cohesion"
    assert s["nodes"] == 34
    assert s["ties"] == 78
    assert s["density"] == pytest.approx(nx.density(G))
    assert s["average_degree"] == pytest.approx(2 * 78 / 34)
    assert s["transitivity"] == pytest.approx(nx.transitivity(G))
    assert s["average_clustering"] == pytest.approx(nx.average_clustering(G))
    assert s["average_shortest_path"] == pytest.approx(nx.average_shortest_path_length(G))
    assert s["diameter"] == nx.diameter(G)
    assert s["max_k_core"] == max(nx.core_number(G).values())
    # sna fixture values
    assert s["degree_centralization"] == pytest.approx(0.399621212121212)
    assert s["betweenness_centralization"] == pytest.approx(0.405557195329923)
    assert s["fragmentation"] == 0.0
    assert math.isnan(s["reciprocity"])
    assert s.attrs["paths"] == "exact"
    assert s.attrs["betweenness"] == "exact"


def test_summary_disconnected_with_isolates():
    G = nx.disjoint_union(nx.complete_graph(4), nx.path_graph(3))
    G.add_nodes_from(["x", "y"])
    s = cn.cohesion_summary(G)
    giant = G.subgraph(range(4))
    assert s["components"] == 4
    assert s["isolates"] == 2
    assert s["largest_component_share"] == pytest.approx(4 / 9)
    assert s["average_shortest_path"] == pytest.approx(nx.average_shortest_path_length(giant))
    assert s["diameter"] == 1
    # reachable pairs 4*3 + 3*2 = 18 of 72 ordered -> F = 54/72
    assert s["fragmentation"] == pytest.approx(54 / 72)
    assert s["average_clustering"] == pytest.approx(nx.average_clustering(G))


def test_summary_directed():
    # arcs 0->1, 1->0, 1->2 and a self-loop on 2; node 5 isolated
    D = nx.DiGraph([(0, 1), (1, 0), (1, 2), (2, 2)])
    D.add_node(5)
    s = cn.cohesion_summary(D)
    assert s["ties"] == 3  # self-loop dropped
    assert s.attrs["self_loops_ignored"] == 1
    assert s.attrs["components"] == "weak"
    assert s["density"] == pytest.approx(3 / 12)
    assert s["average_degree"] == pytest.approx(3 / 4)
    assert s["reciprocity"] == pytest.approx(2 / 3)  # 2 of 3 arcs reciprocated
    assert s["components"] == 2  # weak components {0,1,2}, {5}
    # directed reachability: 0->1,2; 1->0,2; none from 2 or 5: 4 of 12 ordered pairs
    assert s["fragmentation"] == pytest.approx(1 - 4 / 12)
    assert s["fragmentation"] == pytest.approx(cn.fragmentation(D))
    assert s["degree_centralization"] == pytest.approx(cn.centralization(D))
    assert s["betweenness_centralization"] == pytest.approx(cn.centralization(D, "betweenness"))
    # undirected view of the giant component is the path 0-1-2
    assert s["average_shortest_path"] == pytest.approx(4 / 3)
    assert s["diameter"] == 2


def test_summary_reciprocity_matches_networkx():
    D = nx.gnp_random_graph(30, 0.15, seed=3, directed=True)
    assert cn.cohesion_summary(D)["reciprocity"] == pytest.approx(nx.overall_reciprocity(D))


def test_summary_group_densities():
    # two triangles joined by one edge; sectors follow the triangles:
    # within: 6 ties / 6 pairs = 1; between: 1 tie / 9 pairs
    G = nx.disjoint_union(nx.complete_graph(3), nx.complete_graph(3))
    G.add_edge(0, 3)
    nx.set_node_attributes(G, {i: "NHS" if i < 3 else "prison" for i in G}, "sector")
    s = cn.cohesion_summary(G, "sector")
    assert s["within_group_density"] == 1.0
    assert s["between_group_density"] == pytest.approx(1 / 9)
    D = G.to_directed()
    s = cn.cohesion_summary(D, "sector")
    assert s["within_group_density"] == 1.0
    assert s["between_group_density"] == pytest.approx(2 / 18)
    with pytest.raises(ValueError, match="`region`"):
        cn.cohesion_summary(G, "region")


def test_summary_edge_cases():
    s = cn.cohesion_summary(nx.Graph())
    assert s[["nodes", "ties", "components", "isolates"]].tolist() == [0, 0, 0, 0]
    assert s.drop(["nodes", "ties", "components", "isolates"]).isna().all()
    s = cn.cohesion_summary(nx.empty_graph(1))
    assert s["isolates"] == 1
    assert s["components"] == 1
    assert math.isnan(s["density"])
    assert math.isnan(s["average_shortest_path"])
    assert s["max_k_core"] == 0
    s = cn.cohesion_summary(nx.empty_graph(3))
    assert s["density"] == 0.0
    # no connected triple: nothing can close, so transitivity and clustering are NaN
    assert math.isnan(s["transitivity"])
    assert math.isnan(s["average_clustering"])
    assert s["fragmentation"] == 1.0


def test_summary_ignores_self_loops_and_multiedges():
    G = nx.karate_club_graph()
    M = nx.MultiGraph(G)
    M.add_edges_from([(0, 0), (5, 5), (0, 1), (2, 3)])
    a, b = cn.cohesion_summary(G), cn.cohesion_summary(M)
    pd.testing.assert_series_equal(a, b)
    assert b.attrs["self_loops_ignored"] == 2


def test_summary_sampling_with_every_source_is_exact():
    # above the threshold but with as many sources as nodes: the "sample" is everything,
    # so sampled estimates equal the exact values
    G = nx.connected_watts_strogatz_graph(120, 4, 0.2, seed=2)
    exact = cn.cohesion_summary(G)
    sampled = cn.cohesion_summary(G, exact_max_nodes=10, n_sources=10_000, seed=0)
    assert sampled.attrs["paths"] == "sampled"
    assert sampled.attrs["betweenness"] == "sampled"
    pd.testing.assert_series_equal(exact, sampled)


def test_summary_sampling_disconnected_with_every_source_is_exact():
    G = nx.disjoint_union(nx.connected_watts_strogatz_graph(80, 4, 0.2, seed=5), nx.path_graph(5))
    G.add_nodes_from(["a", "b"])
    exact = cn.cohesion_summary(G)
    sampled = cn.cohesion_summary(G, exact_max_nodes=10, n_sources=10_000, seed=0)
    assert sampled.attrs["path_sources"] == 80  # sources in the largest component
    pd.testing.assert_series_equal(exact, sampled)
    nx_path = nx.average_shortest_path_length(G.subgraph(range(80)))
    assert sampled["average_shortest_path"] == pytest.approx(nx_path)


def test_summary_sampling_is_seeded_and_close():
    G = nx.connected_watts_strogatz_graph(400, 6, 0.1, seed=3)
    kw = {"exact_max_nodes": 100, "n_sources": 60}
    a = cn.cohesion_summary(G, seed=7, **kw)
    b = cn.cohesion_summary(G, seed=7, **kw)
    pd.testing.assert_series_equal(a, b)
    assert a.attrs["path_sources"] == 60
    assert a.attrs["seed"] == 7
    assert "lower bound" in a.attrs["diameter_method"]
    exact = cn.cohesion_summary(G)
    assert a["average_shortest_path"] == pytest.approx(exact["average_shortest_path"], rel=0.05)
    assert exact["diameter"] - 1 <= a["diameter"] <= exact["diameter"]
    assert a["betweenness_centralization"] == pytest.approx(
        exact["betweenness_centralization"], rel=0.5
    )
    # parts that never sample are identical
    for key in ("density", "transitivity", "average_clustering", "max_k_core"):
        assert a[key] == exact[key]


def test_summary_directed_sampled_fragmentation():
    D = nx.gnp_random_graph(300, 0.004, seed=1, directed=True)
    exact = cn.cohesion_summary(D)
    full = cn.cohesion_summary(D, exact_max_nodes=10, n_sources=10_000, seed=0)
    assert full.attrs["fragmentation_method"] == "sampled"
    assert full["fragmentation"] == pytest.approx(exact["fragmentation"])
    assert exact["fragmentation"] == pytest.approx(cn.fragmentation(D))


def test_summary_argument_errors():
    with pytest.raises(ValueError, match="`n_sources`"):
        cn.cohesion_summary(nx.path_graph(3), n_sources=0)
    with pytest.raises(ValueError, match="`exact_max_nodes`"):
        cn.cohesion_summary(nx.path_graph(3), exact_max_nodes=2.5)
    with pytest.raises(TypeError, match="`seed`"):
        cn.cohesion_summary(nx.path_graph(3), seed="x")
    with pytest.raises(TypeError, match="`G`"):
        cn.cohesion_summary(pd.DataFrame())


def test_summary_in_small_batches(monkeypatch):
    # 500 cells: one Brandes source per batch on 300 nodes
    G = nx.barabasi_albert_graph(300, 4, seed=1)
    monkeypatch.setattr(cohesion, "_CHUNK_CELLS", 500)
    s = cn.cohesion_summary(G)
    assert s["transitivity"] == pytest.approx(nx.transitivity(G))
    assert s["average_clustering"] == pytest.approx(nx.average_clustering(G))


@given(graphs())
@settings(deadline=None, max_examples=40)
def test_summary_properties(G):
    before = _snapshot(G)
    s = cn.cohesion_summary(G)
    assert _snapshot(G) == before
    for key in ("density", "fragmentation", "transitivity", "average_clustering"):
        assert math.isnan(s[key]) or 0.0 <= s[key] <= 1.0
    H = _relabel(G)
    t = cn.cohesion_summary(H)
    for key in s.index:
        assert _same(s[key], t[key]), key
    U = nx.Graph(G.to_undirected())
    U.remove_edges_from(nx.selfloop_edges(U))
    if U.number_of_nodes():
        assert s["components"] == nx.number_connected_components(U)
        assert s["max_k_core"] == max(nx.core_number(U).values())
        if any(d >= 2 for _, d in U.degree()):
            assert s["transitivity"] == pytest.approx(nx.transitivity(U))
            assert s["average_clustering"] == pytest.approx(nx.average_clustering(U))
        else:  # networkx gives 0 without a connected triple; connectnet NaN
            assert math.isnan(s["transitivity"])
            assert math.isnan(s["average_clustering"])


# ---------------------------------------------------------------------------
# communities and partition comparison
# ---------------------------------------------------------------------------


def test_communities_greedy_two_cliques():
    G = nx.disjoint_union(nx.complete_graph(4), nx.complete_graph(3))
    G.add_edge(0, 4)
    c = cn.communities(G, method="greedy")
    assert c.name == "community"
    assert c.tolist() == [0, 0, 0, 0, 1, 1, 1]  # largest community relabelled 0
    parts = [set(range(4)), {4, 5, 6}]
    assert c.attrs["modularity"] == pytest.approx(nx.community.modularity(G, parts))
    assert c.attrs["n_communities"] == 2


def test_communities_louvain_karate():
    G = nx.karate_club_graph()
    c = cn.communities(G, seed=3)
    assert list(c.index) == list(G)
    sizes = c.value_counts().sort_index()
    assert sizes.is_monotonic_decreasing
    parts = [set(c.index[c == k]) for k in sizes.index]
    assert c.attrs["modularity"] == pytest.approx(nx.community.modularity(G, parts))
    assert c.attrs["modularity"] > 0.38  # karate's best partitions reach about 0.42-0.44


@given(graphs(max_nodes=15), st.integers(0, 2**31 - 1))
@settings(deadline=None, max_examples=30)
def test_communities_reproducible_under_seed(G, seed):
    before = _snapshot(G)
    a = cn.communities(G, seed=seed)
    b = cn.communities(G, seed=seed)
    assert _snapshot(G) == before
    pd.testing.assert_series_equal(a, b)
    assert set(a.index) == set(G)
    counts = np.bincount(a.to_numpy()) if len(a) else np.array([])
    assert (np.diff(counts) <= 0).all()


def test_communities_generator_seed_and_edge_cases():
    G = nx.karate_club_graph()
    a = cn.communities(G, seed=np.random.default_rng(5))
    b = cn.communities(G, seed=np.random.default_rng(5))
    pd.testing.assert_series_equal(a, b)
    empty = cn.communities(nx.Graph())
    assert empty.empty
    assert math.isnan(empty.attrs["modularity"])
    iso = cn.communities(nx.empty_graph(3), method="greedy")
    assert sorted(iso.tolist()) == [0, 1, 2]
    assert math.isnan(iso.attrs["modularity"])
    D = nx.DiGraph(nx.disjoint_union(nx.complete_graph(3), nx.complete_graph(3)))
    assert cn.communities(D, method="greedy").tolist() == [0, 0, 0, 1, 1, 1]


def test_communities_errors():
    with pytest.raises(ValueError, match="`method`"):
        cn.communities(nx.path_graph(3), method="leiden")
    with pytest.raises(ValueError, match="`resolution`"):
        cn.communities(nx.path_graph(3), resolution=0)
    with pytest.raises(TypeError, match="`resolution`"):
        cn.communities(nx.path_graph(3), resolution="1")


def _ring_of_cliques(k: int, size: int) -> nx.Graph:
    """k cliques of ``size`` nodes, clique i joined to clique i+1 by one edge. For k >= 3
    and size >= 4 the partition into the cliques is the unique modularity optimum."""
    return nx.ring_of_cliques(k, size)


@pytest.mark.parametrize(("k", "size"), [(4, 5), (6, 4), (8, 6)])
def test_louvain_igraph_equals_networkx_where_the_optimum_is_unique(k, size):
    G = _ring_of_cliques(k, size)
    ours = cn.communities(G, seed=1)
    assert ours.attrs["backend"] == "igraph"
    for nx_seed in (1, 2, 3):
        parts = nx.community.louvain_communities(G, seed=nx_seed)
        theirs = cohesion._relabel(cohesion._part_codes(parts, list(G)))
        assert ours.tolist() == theirs.tolist()
    # the cliques themselves, relabelled by size then earliest node: clique i is block i
    assert ours.tolist() == [i // size for i in range(k * size)]
    assert ours.attrs["modularity"] == pytest.approx(
        nx.community.modularity(G, [set(range(i * size, (i + 1) * size)) for i in range(k)])
    )


def test_louvain_igraph_weighted_matches_networkx_modularity():
    # two triangles joined by a heavy edge: weight decides the split
    G = nx.Graph()
    G.add_weighted_edges_from(
        [(0, 1, 5), (1, 2, 5), (0, 2, 5), (3, 4, 5), (4, 5, 5), (3, 5, 5), (2, 3, 1)]
    )
    c = cn.communities(G, seed=0)
    assert c.tolist() == [0, 0, 0, 1, 1, 1]
    best = nx.community.modularity(G, [{0, 1, 2}, {3, 4, 5}], weight="weight")
    assert c.attrs["modularity"] == pytest.approx(best)
    nx_parts = nx.community.louvain_communities(G, weight="weight", seed=0)
    assert sorted(map(sorted, nx_parts)) == [[0, 1, 2], [3, 4, 5]]
    # unweighted, the heavy edge no longer matters: same split here
    assert cn.communities(G, weight=None, seed=0).tolist() == [0, 0, 0, 1, 1, 1]


@given(graphs(max_nodes=14), st.integers(0, 2**31 - 1))
@settings(deadline=None, max_examples=40)
def test_louvain_quality_close_to_networkx(G, seed):
    # Louvain is a heuristic in both libraries: on arbitrary small graphs the two can stop
    # in different local optima, so the property is about quality, not identity: igraph's
    # result is never much worse than networkx's, and our modularity is networkx's.
    U = nx.Graph(G)
    c = cn.communities(U, seed=seed)
    parts = [set(c.index[c == k]) for k in range(int(c.max()) + 1)] if len(c) else []
    if U.number_of_edges():
        assert c.attrs["modularity"] == pytest.approx(nx.community.modularity(U, parts))
        nx_q = nx.community.modularity(U, nx.community.louvain_communities(U, seed=seed))
        assert c.attrs["modularity"] >= nx_q - 0.1
    else:
        assert math.isnan(c.attrs["modularity"])


@given(graphs(max_nodes=12), st.integers(0, 5))
@settings(deadline=None, max_examples=60)
def test_modularity_equals_networkx_including_loops_and_direction(G, k):
    # self-loops count once inside a block and twice in an undirected degree
    G = G.copy()
    for i, (u, v) in enumerate(G.edges()):
        G[u][v]["weight"] = 1 + i % 3
    nodes = list(G)
    codes = np.array([hash(v) % (k + 1) for v in nodes], dtype=np.int64)
    parts = [set(np.array(nodes, dtype=object)[codes == c]) for c in np.unique(codes)]
    ga = cohesion.graph_arrays(G, weight="weight")
    got = cohesion._modularity(ga, codes, 1.3)
    if G.size(weight="weight") == 0:
        assert math.isnan(got)
    else:
        want = nx.community.modularity(G, parts, weight="weight", resolution=1.3)
        assert got == pytest.approx(want, abs=1e-12)


def test_communities_directed_uses_networkx_louvain():
    D = nx.DiGraph(nx.ring_of_cliques(4, 4))
    c = cn.communities(D, seed=2)
    assert c.attrs["backend"] == "networkx"
    assert c.tolist() == [i // 4 for i in range(16)]


def test_louvain_leaves_igraph_global_generator_alone():
    import random

    import igraph as ig

    G = nx.karate_club_graph()
    random.seed(11)
    expected = random.random()
    random.seed(11)
    cn.communities(G, seed=4)
    assert random.random() == expected  # our seeded run did not draw from `random`
    ig.set_random_number_generator(random)


@pytest.mark.parametrize(
    ("a", "b", "ari", "nmi"),
    [
        # scikit-learn documentation: adjusted_rand_score([0,0,1,2],[0,0,1,1]) = 0.5714...
        # NMI by hand: H(a) = 1.5 ln 2, H(b) = ln 2, I = ln 2 -> ln2 / 1.25 ln2 = 0.8
        ([0, 0, 1, 2], [0, 0, 1, 1], 4 / 7, 0.8),
        # scikit-learn documentation: ARI = -0.5; independent labelings have I = 0
        ([0, 0, 1, 1], [0, 1, 0, 1], -0.5, 0.0),
        # identical up to relabelling
        ([0, 0, 1, 1, 2], [5, 5, 3, 3, 9], 1.0, 1.0),
        # one block vs all singletons: ARI (0 - 0) / (3 - 0) = 0, NMI 0
        ([0, 0, 0, 0], [0, 1, 2, 3], 0.0, 0.0),
        # both one block: identical trivial partitions
        ([1, 1, 1], [2, 2, 2], 1.0, 1.0),
    ],
)
def test_ari_nmi_known_values(a, b, ari, nmi):
    a, b = np.array(a), np.array(b)
    assert cohesion._adjusted_rand(a, b) == pytest.approx(ari)
    assert cohesion._nmi(a, b) == pytest.approx(nmi, abs=1e-12)


def test_ari_hand_worked_larger():
    # a = [0,0,0,1,1,1], b = [0,0,1,1,2,2]: contingency [[2,1,0],[0,1,2]]
    # sum C(nij,2) = 1 + 1 = 2; rows C(3,2)*2 = 6; cols C(2,2)*3 = 3; C(6,2) = 15
    # expected = 6*3/15 = 1.2; max = 4.5 -> ARI = (2 - 1.2) / (4.5 - 1.2) = 0.8/3.3
    a = np.array([0, 0, 0, 1, 1, 1])
    b = np.array([0, 0, 1, 1, 2, 2])
    assert cohesion._adjusted_rand(a, b) == pytest.approx(0.8 / 3.3)
    # MI = sum p log(p/(pa pb)): (2/6)ln(2/6/(1/2*1/3))*2 + (1/6)ln((1/6)/(1/2*1/3))*2
    mi = 2 * (2 / 6) * math.log(2) + 2 * (1 / 6) * math.log(1.0)
    ha, hb = math.log(2), math.log(3)
    assert cohesion._nmi(a, b) == pytest.approx(mi / ((ha + hb) / 2))


@given(st.lists(st.tuples(st.integers(0, 3), st.integers(0, 4)), min_size=2, max_size=30))
@settings(deadline=None, max_examples=50)
def test_ari_nmi_properties(pairs):
    a = np.array([p[0] for p in pairs])
    b = np.array([p[1] for p in pairs])
    ari, nmi = cohesion._adjusted_rand(a, b), cohesion._nmi(a, b)
    assert ari <= 1 + 1e-12
    assert 0.0 <= nmi <= 1.0
    assert cohesion._adjusted_rand(b, a) == pytest.approx(ari)
    assert cohesion._nmi(b, a) == pytest.approx(nmi)
    # invariant to renaming the labels
    assert cohesion._adjusted_rand(a * 7 + 100, b) == pytest.approx(ari)
    assert cohesion._nmi(a, 3 - b) == pytest.approx(nmi)
    # a partition against itself
    assert cohesion._adjusted_rand(a, a) == 1.0
    assert cohesion._nmi(a, a) == pytest.approx(1.0)


def test_partition_comparison_sector_lines():
    G = nx.disjoint_union(nx.complete_graph(3), nx.complete_graph(3))
    G.add_edge(0, 3)
    nx.set_node_attributes(G, {i: "NHS" if i < 3 else "prison" for i in G}, "sector")
    c = cn.communities(G, method="greedy")
    r = cn.partition_comparison(G, "sector", c)
    assert r.name == "partition_comparison"
    assert r["attribute_modularity"] == pytest.approx(r["community_modularity"])
    assert r["adjusted_rand_index"] == 1.0
    assert r["normalised_mutual_information"] == 1.0
    assert r["attribute_groups"] == 2
    assert r["communities"] == 2
    # sectors across the cliques: modularity of the sector partition falls, agreement 0
    nx.set_node_attributes(G, {i: "NHS" if i % 2 else "prison" for i in G}, "sector")
    r2 = cn.partition_comparison(G, "sector", c.sample(frac=1, random_state=1))
    sectors = [{i for i in G if i % 2}, {i for i in G if not i % 2}]
    assert r2["attribute_modularity"] == pytest.approx(nx.community.modularity(G, sectors))
    assert r2["attribute_modularity"] < r["attribute_modularity"]
    assert r2["adjusted_rand_index"] < 0.1


def test_partition_comparison_errors():
    G = nx.path_graph(4)
    nx.set_node_attributes(G, "NHS", "sector")
    c = pd.Series([0, 0, 1, 1], index=list(G))
    with pytest.raises(ValueError, match="`communities`"):
        cn.partition_comparison(G, "sector", c.iloc[:3])
    with pytest.raises(ValueError, match="no entry"):
        cn.partition_comparison(G, "sector", pd.Series([0, 0, 1, 1], index=[0, 1, 2, 9]))
    with pytest.raises(TypeError, match="`communities`"):
        cn.partition_comparison(G, "sector", {0: 0})
    with pytest.raises(ValueError, match="`role`"):
        cn.partition_comparison(G, "role", c)
    r = cn.partition_comparison(G, "sector", c)
    assert r["normalised_mutual_information"] == 0.0  # one sector vs two communities


# ---------------------------------------------------------------------------
# core-periphery
# ---------------------------------------------------------------------------


def test_core_periphery_clique_with_pendants():
    G = nx.complete_graph(4)
    G.add_edges_from([(0, 4), (1, 5), (2, 6), (3, 7)])
    cp = cn.core_periphery(G, seed=0)
    assert list(cp.columns) == ["k_core", "core"]
    assert cp["core"].tolist() == [True] * 4 + [False] * 4
    assert cp.attrs["fit"] == 1.0  # core block complete, periphery block empty
    assert cp.attrs["core_density"] == 1.0
    assert cp.attrs["periphery_density"] == 0.0
    assert cp["k_core"].tolist() == [3, 3, 3, 3, 1, 1, 1, 1]


def test_core_periphery_planted_recovered():
    G = _planted(80, 12, 0.9, 0.2, 0.02, seed=5)
    cp = cn.core_periphery(G, seed=1)
    assert cp.index[cp["core"]].tolist() == list(range(12))
    truth = np.arange(80) < 12
    # the 'present' pattern (core-periphery pairs expected tied) is stricter about the
    # off-diagonal blocks; it must find at least as good a fit as the planted split
    cp2 = cn.core_periphery(G, pattern="present", seed=1)
    assert (cp2["core"].to_numpy() != truth).sum() <= 2
    assert cp2.attrs["fit"] >= _fit(G, truth, "present")


def _fit(G: nx.Graph, x: np.ndarray, pattern: str) -> float:
    st_ = cohesion._structure(G)
    m = int(st_.U.nnz // 2)
    return cohesion._cp_greedy(st_.U, st_.degree, x, m, pattern, 0)[1]


@pytest.mark.parametrize("pattern", ["ignore", "present"])
@pytest.mark.parametrize("seed", range(4))
def test_core_periphery_at_least_planted_fit(pattern, seed):
    G = _planted(60, 10, 0.9, 0.3, 0.04, seed=seed)
    cp = cn.core_periphery(G, pattern=pattern, seed=0)
    truth = np.arange(60) < 10
    assert cp.attrs["fit"] >= _fit(G, truth, pattern) - 1e-9
    assert cp.attrs["fit"] == pytest.approx(_fit(G, cp["core"].to_numpy(), pattern))


@pytest.mark.parametrize("pattern", ["ignore", "present"])
def test_core_periphery_optimal_on_small_graphs(pattern):
    # exhaustive search over all 2^n splits of small random graphs
    for seed in range(6):
        G = nx.gnp_random_graph(9, 0.4, seed=seed)
        best = max(
            _fit(G, np.array(bits, dtype=bool), pattern)
            for bits in itertools.product([False, True], repeat=9)
        )
        cp = cn.core_periphery(G, pattern=pattern, seed=seed)
        assert cp.attrs["fit"] <= best + 1e-9
        assert cp.attrs["fit"] >= best - 0.05


@pytest.fixture
def sweep_search(monkeypatch):
    """Run core_periphery's large-graph (sweep) search on small graphs."""
    monkeypatch.setattr(cohesion, "_CP_BEST_MOVE_MAX_NODES", 0)


def _no_improving_move(G: nx.Graph, x: np.ndarray, pattern: str, fit: float) -> bool:
    st_ = cohesion._structure(G)
    m = int(st_.U.nnz // 2)
    kc, c, m_cc, m_pp = cohesion._cp_state(st_.U, x, m)
    sign = np.where(x, -1, 1)
    cand = cohesion._cp_corr(
        c + sign, m_cc + sign * kc, m_pp - sign * (st_.degree - kc), st_.n, m, pattern
    )
    return bool((cand <= fit + 1e-12).all())


@pytest.mark.parametrize("pattern", ["ignore", "present"])
@pytest.mark.parametrize("seed", range(4))
def test_core_periphery_sweeps_reach_a_local_optimum(sweep_search, pattern, seed):
    G = _planted(120, 15, 0.9, 0.25, 0.03, seed=seed)
    cp = cn.core_periphery(G, pattern=pattern, seed=seed, restarts=0)
    x = cp["core"].to_numpy()
    assert cp.attrs["fit"] == pytest.approx(_fit(G, x, pattern))
    assert _no_improving_move(G, x, pattern, cp.attrs["fit"])
    truth = np.arange(120) < 15
    assert cp.attrs["fit"] >= _fit(G, truth, pattern) - 1e-9


@pytest.mark.parametrize("pattern", ["ignore", "present"])
def test_core_periphery_sweeps_as_good_as_best_improvement(pattern):
    # on the exhaustive-search graphs the sweep search is within 0.05 of the optimum too,
    # and on planted graphs it finds the same split as the best-improvement search
    for seed in range(6):
        G = nx.gnp_random_graph(9, 0.4, seed=seed)
        best = max(
            _fit(G, np.array(bits, dtype=bool), pattern)
            for bits in itertools.product([False, True], repeat=9)
        )
        with pytest.MonkeyPatch.context() as mp:
            mp.setattr(cohesion, "_CP_BEST_MOVE_MAX_NODES", 0)
            cp = cn.core_periphery(G, pattern=pattern, seed=seed, restarts=20)
        assert best - 0.05 <= cp.attrs["fit"] <= best + 1e-9
    G = _planted(80, 12, 0.9, 0.2, 0.02, seed=5)
    exact = cn.core_periphery(G, pattern=pattern, seed=1)
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(cohesion, "_CP_BEST_MOVE_MAX_NODES", 0)
        sweeps = cn.core_periphery(G, pattern=pattern, seed=1, restarts=20)
    assert sweeps["core"].tolist() == exact["core"].tolist()
    assert sweeps.attrs["fit"] == pytest.approx(exact.attrs["fit"])


def test_core_periphery_default_restarts_shrink_with_size():
    assert cohesion._cp_restarts(100) == 20
    assert cohesion._cp_restarts(5000) == 20
    assert cohesion._cp_restarts(10_000) == 10
    assert cohesion._cp_restarts(50_000) == 2
    assert cohesion._cp_restarts(1_000_000) == 2
    assert cn.core_periphery(nx.karate_club_graph(), seed=0).attrs["restarts"] == 20
    assert cn.core_periphery(nx.karate_club_graph(), seed=0, restarts=3).attrs["restarts"] == 3


def test_core_periphery_edge_cases():
    empty = cn.core_periphery(nx.Graph())
    assert empty.empty
    assert list(empty.columns) == ["k_core", "core"]
    assert math.isnan(empty.attrs["fit"])
    edgeless = cn.core_periphery(nx.empty_graph(3))
    assert not edgeless["core"].any()
    assert math.isnan(edgeless.attrs["fit"])
    assert edgeless["k_core"].tolist() == [0, 0, 0]
    single = cn.core_periphery(nx.empty_graph(1))
    assert single["core"].tolist() == [False]
    # a DiGraph is fitted on its undirected view; self-loops ignored
    G = _planted(40, 8, 0.9, 0.2, 0.02, seed=2)
    D = G.to_directed()
    D.add_edge(0, 0)
    a = cn.core_periphery(G, seed=1)
    b = cn.core_periphery(D, seed=1)
    pd.testing.assert_frame_equal(a, b)
    assert a.attrs["fit"] == b.attrs["fit"]


def test_core_periphery_errors():
    with pytest.raises(ValueError, match="`pattern`"):
        cn.core_periphery(nx.path_graph(3), pattern="ideal")
    with pytest.raises(ValueError, match="`restarts`"):
        cn.core_periphery(nx.path_graph(3), restarts=-1)


@given(graphs(max_nodes=14), st.integers(0, 1000))
@settings(deadline=None, max_examples=30)
def test_core_periphery_properties(G, seed):
    before = _snapshot(G)
    cp = cn.core_periphery(G, seed=seed)
    assert _snapshot(G) == before
    assert list(cp.index) == list(G)
    assert cp["core"].dtype == bool
    U = nx.Graph(G.to_undirected())
    U.remove_edges_from(nx.selfloop_edges(U))
    core = nx.core_number(U)
    assert cp["k_core"].tolist() == [core[v] for v in G]
    fit = cp.attrs["fit"]
    assert math.isnan(fit) or -1.0 <= fit <= 1.0
    again = cn.core_periphery(G, seed=seed)
    pd.testing.assert_frame_equal(cp, again)
    # relabelling keeps the k-cores exactly; the fitted split is a heuristic's local optimum
    # and may depend on node order (its quality is tested against exhaustive search below)
    other = cn.core_periphery(_relabel(G), seed=seed)
    assert other["k_core"].tolist() == cp["k_core"].tolist()[::-1] or len(G) == 0


def test_core_numbers_match_networkx_on_long_path():
    # peeling a path removes two nodes per round: exercises many rounds
    G = nx.path_graph(2001)
    G.add_edges_from(nx.complete_graph(5).edges())
    got = cohesion._core_numbers(cohesion._structure(G))
    ref = nx.core_number(G)
    assert got.tolist() == [ref[v] for v in G]


def _previous_brandes(A, sources, *, directed):
    """The sparse-times-dense Brandes the compiled kernel replaced (64 sources a batch),
    kept here as the reference the kernel must equal to the last bit."""
    n, k = A.shape[0], sources.size
    total = np.zeros(n)
    reached, dsum = np.zeros(k, dtype=np.int64), np.zeros(k)
    ecc, far = np.zeros(k, dtype=np.int64), sources.astype(np.int64).copy()
    AT = A.T.tocsr() if directed else A
    for start in range(0, k, 64):
        batch = sources[start : start + 64]
        b, cols = batch.size, np.arange(batch.size)
        sigma = np.zeros((n, b))
        sigma[batch, cols] = 1.0
        dist = np.full((n, b), -1, dtype=np.int32)
        dist[batch, cols] = 0
        frontier, depth = sigma.copy(), 0
        while True:
            nxt = AT @ frontier
            nxt[dist >= 0] = 0.0
            new = nxt > 0
            if not new.any():
                break
            depth += 1
            dist[new] = depth
            sigma += nxt
            frontier = nxt
        delta = np.zeros((n, b))
        for d in range(depth, 0, -1):
            coef = np.zeros((n, b))
            np.divide(1.0 + delta, sigma, out=coef, where=dist == d)
            contrib = A @ coef
            at_prev = dist == d - 1
            delta[at_prev] += sigma[at_prev] * contrib[at_prev]
        delta[batch, cols] = 0.0
        total += delta.sum(axis=1)
        part = slice(start, start + b)
        reached[part] = (dist > 0).sum(axis=0)
        dsum[part] = np.where(dist > 0, dist, 0).sum(axis=0, dtype=np.float64)
        ecc[part] = dist.max(axis=0)
        far[part] = dist.argmax(axis=0)
    return total, reached, dsum, ecc, far


@pytest.mark.parametrize("directed", [False, True])
@pytest.mark.parametrize(("n", "p", "seed"), [(90, 0.05, 1), (150, 0.02, 2), (200, 0.15, 3)])
def test_brandes_kernel_equals_previous_implementation_bit_for_bit(directed, n, p, seed):
    # 90 and 150 nodes: sparse, several components and long paths; 200: dense, depth 2-3;
    # sources sampled (batches of 64 and a partial one), every output compared exactly
    G = nx.gnp_random_graph(n, p, seed=seed, directed=directed)
    st = cohesion._structure(G)
    sample = np.sort(np.random.default_rng(seed).choice(n, 70, replace=False))
    for sources in (np.arange(n), sample):
        got = cohesion._brandes(st.A, sources, directed=directed)
        ref = _previous_brandes(st.A, sources, directed=directed)
        for a, b in zip(got, ref, strict=True):
            np.testing.assert_array_equal(a, b)


@pytest.mark.parametrize("directed", [False, True])
@pytest.mark.parametrize("chunk_cells", [50, 4_000_000])
def test_brandes_agrees_with_networkx(monkeypatch, directed, chunk_cells):
    # 50 cells: one source per batch; the default: every source in one batch
    monkeypatch.setattr(cohesion, "_CHUNK_CELLS", chunk_cells)
    G = nx.gnp_random_graph(50, 0.07, seed=8, directed=directed)
    G.add_edges_from([(50, 51), (51, 52)])  # a separate small component
    got = cohesion._node_scores(cohesion._structure(G), "betweenness")
    ref = nx.betweenness_centrality(G, normalized=False)
    np.testing.assert_allclose(got, [ref[v] for v in G], atol=1e-9)


@given(graphs(max_nodes=30, directed=False), st.integers(1, 20))
@settings(deadline=None, max_examples=60)
def test_triangles_and_cores_equal_networkx(G, chunks):
    # any split of the nodes between threads gives the same whole-number counts
    structure = cohesion._structure(G)
    H = nx.Graph(G)
    H.remove_edges_from(nx.selfloop_edges(H))
    tri = nx.triangles(H)
    old = cohesion._TRIANGLE_CHUNKS
    try:
        cohesion._TRIANGLE_CHUNKS = chunks
        got = cohesion._triangle_rows(structure)
    finally:
        cohesion._TRIANGLE_CHUNKS = old
    assert got.tolist() == [2.0 * tri[v] for v in G]
    core = nx.core_number(H)
    assert cohesion._core_numbers(structure).tolist() == [core[v] for v in G]


def test_long_path_betweenness_centralization():
    # P_n: b_i = i(n-1-i); max at the middle; closed form checked against networkx
    G = nx.path_graph(301)
    ref = nx.betweenness_centrality(G, normalized=False)
    b = np.array([ref[v] for v in G])
    n = 301
    expected = (b.max() - b).sum() / ((n - 1) ** 2 * (n - 2) / 2)
    assert cn.centralization(G, "betweenness") == pytest.approx(expected)


def test_summary_tied_largest_components_use_the_first_in_graph_order():
    # a path 10-11-12 (mean distance (1 + 1 + 2) / 3 = 4/3, diameter 2) and a triangle
    # (mean 1, diameter 1), both of three nodes: the component listed first is described
    path_first = nx.Graph([(10, 11), (11, 12), (0, 1), (1, 2), (2, 0)])
    s = cn.cohesion_summary(path_first)
    assert s["average_shortest_path"] == pytest.approx(4 / 3)
    assert s["diameter"] == 2.0
    triangle_first = nx.Graph([(0, 1), (1, 2), (2, 0), (10, 11), (11, 12)])
    t = cn.cohesion_summary(triangle_first)
    assert t["average_shortest_path"] == 1.0
    assert t["diameter"] == 1.0
    assert s["largest_component_share"] == t["largest_component_share"] == 0.5


def test_core_periphery_undefined_fit_for_complete_graph_and_short_path():
    # K4: every pair tied, a_ij has no variance -> correlation undefined for every split
    for G in (nx.complete_graph(4), nx.path_graph(3)):
        cp = cn.core_periphery(G, seed=1)
        assert not cp["core"].any()
        assert math.isnan(cp.attrs["fit"])
        assert cp.attrs["core_size"] == 0
    # with "present" the path's middle node is a perfect core (its two ties, no 0-2 tie)
    cp = cn.core_periphery(nx.path_graph(3), pattern="present", seed=1)
    assert cp["core"].tolist() == [False, True, False]
    assert cp.attrs["fit"] == 1.0
