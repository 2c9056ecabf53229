"""Cohesion and structure: network summary, fragmentation, centralization, communities,
core–periphery.

Is the network one connected community, a few cliques, or a hub with spokes?

Every function converts its graph once with :func:`connectnet._arrays.graph_arrays` and works
on a binary sparse adjacency matrix (scipy CSR); betweenness with path lengths (a batch of
breadth-first searches at a time), triangles and k-cores run in the compiled kernels of
:mod:`connectnet._kernels` (numba), other path measures in ``scipy.sparse.csgraph``.

Conventions shared by every function here
-----------------------------------------
* Structure is binary: a *tie* is a pair of distinct nodes joined by at least one edge
  (undirected graph) or an ordered pair joined by at least one arc (directed graph).
  Edge weights are ignored, parallel edges of a multigraph count once and self-loops
  are dropped (R sna's ``diag=FALSE``) — except by :func:`communities` and the
  modularities of :func:`partition_comparison`, which use the graph as networkx does.
* Directed graphs: *components* are **weak** components (a tie in either direction
  connects); path lengths, diameter, clustering, transitivity, k-cores and the
  core–periphery model use the undirected view (direction ignored). Reciprocity,
  centralization (as R sna ``mode="digraph"``) and fragmentation (directed reachability)
  respect direction.
* Undefined values are NaN (for example density of a graph with fewer than two nodes).
"""

from __future__ import annotations

import logging
import math
import random
import time
from collections.abc import Hashable
from typing import Literal

import networkx as nx
import numpy as np
import pandas as pd
import scipy.sparse as sp
from scipy.sparse import csgraph

from connectnet._arrays import (
    GraphArrays,
    binary_csr,
    check_choice,
    check_graph,
    graph_arrays,
    has_node_attribute,
    igraph_graph,
    require_groups,
)

__all__ = [
    "centralization",
    "cohesion_summary",
    "communities",
    "core_periphery",
    "fragmentation",
    "partition_comparison",
]

logger = logging.getLogger(__name__)

#: Above this many nodes, cohesion_summary samples shortest-path sources.
_EXACT_MAX_NODES = 2000
#: Sources per compiled Brandes batch (columns of its dependency and distance matrices).
_BATCH = 64
#: Distance-matrix cells computed per scipy csgraph call (memory bound).
_CHUNK_CELLS = 4_000_000


# ---------------------------------------------------------------------------
# private helpers: validation and the binary adjacency
# ---------------------------------------------------------------------------


def _check_positive_int(name: str, value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < 1:
        msg = f"`{name}` must be a positive integer; found {value!r}."
        raise ValueError(msg)
    return int(value)


class _Structure:
    """Binary adjacency of a graph: ``A`` (arcs, or symmetric for a graph) and ``U``
    (undirected view), both CSR without self-loops or duplicate ties."""

    def __init__(self, ga: GraphArrays) -> None:
        self.ga = ga
        self.n = ga.n
        self.directed = ga.directed
        keep = ~ga.loops
        self.self_loops = int(ga.loops.sum())
        src, dst = ga.src[keep], ga.dst[keep]
        n = self.n
        if self.directed:
            self.A = binary_csr(src, dst, n)
            self.U = binary_csr(np.concatenate([src, dst]), np.concatenate([dst, src]), n)
            self.ties = int(self.A.nnz)
        else:
            self.A = binary_csr(np.concatenate([src, dst]), np.concatenate([dst, src]), n)
            self.U = self.A
            self.ties = int(self.A.nnz // 2)
        self.degree = np.diff(self.U.indptr).astype(np.int64)


def _structure(G: nx.Graph) -> _Structure:
    check_graph(G)
    return _Structure(graph_arrays(G))


def _grouped_arrays(G: nx.Graph, attr: str, *, weight: str | None = None) -> GraphArrays:
    """``graph_arrays`` with group codes; every node must have ``attr``."""
    if not isinstance(attr, str):
        msg = f"`attr` must be the name of a node attribute (a str); found {type(attr).__name__}."
        raise TypeError(msg)
    if len(G) and not has_node_attribute(G, attr):
        msg = (
            f"no node has a `{attr}` attribute. Set it for every node, e.g. with "
            f"nx.set_node_attributes(G, values, {attr!r}), or pass another attribute name."
        )
        raise ValueError(msg)
    ga = graph_arrays(G, attr, weight=weight)
    require_groups(ga, attr)
    return ga


def _rng(seed: int | np.random.Generator | None) -> np.random.Generator:
    if seed is not None and not isinstance(seed, (int, np.integer, np.random.Generator)):
        msg = f"`seed` must be None, an int or a numpy Generator; found {type(seed).__name__}."
        raise TypeError(msg)
    return np.random.default_rng(seed)


def _neighbours(A: sp.csr_array, nodes: np.ndarray) -> np.ndarray:
    """Concatenated CSR rows of ``nodes`` (neighbour positions, with repeats)."""
    starts = A.indptr[nodes].astype(np.int64)
    lens = A.indptr[nodes + 1].astype(np.int64) - starts
    total = int(lens.sum())
    if total == 0:
        return np.empty(0, dtype=np.int64)
    offsets = np.repeat(starts - (np.cumsum(lens) - lens), lens)
    return A.indices[offsets + np.arange(total)].astype(np.int64)


# ---------------------------------------------------------------------------
# private helpers: paths, betweenness, cores
# ---------------------------------------------------------------------------


def _distance_rows(A: sp.csr_array, sources: np.ndarray, *, directed: bool):
    """Yield ``(sources_chunk, distances)`` blocks of unweighted shortest-path lengths
    (``inf`` where unreachable), bounded in memory."""
    n = A.shape[0]
    step = max(1, _CHUNK_CELLS // max(n, 1))
    for i in range(0, sources.size, step):
        chunk = sources[i : i + step]
        d = csgraph.shortest_path(A, method="D", directed=directed, unweighted=True, indices=chunk)
        yield chunk, np.atleast_2d(d)


def _brandes(
    A: sp.csr_array, sources: np.ndarray, *, directed: bool
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Brandes' dependency accumulation from ``sources``, a batch of sources at a time.

    Returns the summed dependencies per node (betweenness over ordered pairs whose source
    is in ``sources``) and, per source, the number of nodes it reaches (itself excluded),
    the sum of distances to them, its eccentricity among them and one farthest node (the
    first in node order). Each source costs one breadth-first search and one backward
    pass, :math:`O(n + m)`, in compiled code (:mod:`connectnet._kernels`).
    """
    from connectnet._kernels import brandes_batch

    n = A.shape[0]
    total = np.zeros(n)
    k = sources.size
    reached, dsum = np.zeros(k, dtype=np.int64), np.zeros(k)
    ecc, far = np.zeros(k, dtype=np.int64), sources.astype(np.int64).copy()
    if k == 0 or n == 0:
        return total, reached, dsum, ecc, far
    AT = A.T.tocsr() if directed else A
    rows = [M.indptr.astype(np.int64, copy=False) for M in (A, AT)]
    cols = [M.indices.astype(np.int32, copy=False) for M in (A, AT)]
    step = max(1, min(_BATCH, _CHUNK_CELLS // n))
    for start in range(0, k, step):
        batch = sources[start : start + step].astype(np.int64)
        delta, dist = brandes_batch(rows[0], cols[0], rows[1], cols[1], batch)
        delta[batch, np.arange(batch.size)] = 0.0
        total += delta.sum(axis=1)
        part = slice(start, start + batch.size)
        reached[part] = (dist > 0).sum(axis=0)
        dsum[part] = np.where(dist > 0, dist, 0).sum(axis=0, dtype=np.float64)
        ecc[part] = dist.max(axis=0)
        far[part] = dist.argmax(axis=0)
    return total, reached, dsum, ecc, far


def _core_numbers(st: _Structure) -> np.ndarray:
    """k-core number of every node of the undirected view (linear-time
    Batagelj–Zaversnik peeling, compiled)."""
    from connectnet._kernels import core_numbers

    if st.n == 0:
        return np.zeros(0, dtype=np.int64)
    return core_numbers(st.U.indptr.astype(np.int64), st.U.indices.astype(np.int64))


#: Threads' shares of the nodes in the triangle kernel (each has its own counts).
_TRIANGLE_CHUNKS = 16


def _triangle_rows(st: _Structure) -> np.ndarray:
    r"""Per node, twice the number of triangles through it (the row sums of (U·U)∘U).

    Each tie is oriented from the end of lower degree (ties: lower position) to the
    other, so every triangle is counted once, from its lowest-ranked corner, in compiled
    code; the work is :math:`O(m^{3/2})` at worst (Chiba and Nishizeki's bound).
    """
    from connectnet._kernels import triangles_per_node

    if st.U.nnz == 0:
        return np.zeros(st.n)
    U = st.U.tocoo()
    rank = np.empty(st.n, dtype=np.int64)
    rank[np.lexsort((np.arange(st.n), st.degree))] = np.arange(st.n)
    keep = rank[U.row] < rank[U.col]
    rows, cols = U.row[keep].astype(np.int64), U.col[keep].astype(np.int64)
    indptr = np.zeros(st.n + 1, dtype=np.int64)
    np.cumsum(np.bincount(rows, minlength=st.n), out=indptr[1:])
    chunks = min(_TRIANGLE_CHUNKS, st.n)
    return 2.0 * triangles_per_node(indptr, cols, chunks).astype(np.float64)


def _components(U: sp.csr_array) -> tuple[int, np.ndarray]:
    return csgraph.connected_components(U, directed=False)


def _reach_fraction_exact(st: _Structure) -> tuple[float, float]:
    """Sum over ordered pairs of reachability and of 1/distance (directed if ``st`` is)."""
    reach = 0.0
    inv = 0.0
    sources = np.arange(st.n)
    for _, d in _distance_rows(st.A, sources, directed=st.directed):
        finite = np.isfinite(d) & (d > 0)
        reach += float(finite.sum())
        inv += float(np.divide(1.0, d, out=np.zeros_like(d), where=finite).sum())
    return reach, inv


def _tmaxdev(measure: str, n: int, directed: bool) -> float:
    """sna's theoretical maximum deviation (``tmaxdev=TRUE``, ``diag=FALSE``)."""
    if measure == "degree":
        return float((n - 1) * (2 * (n - 1) - 2)) if directed else float((n - 1) * (n - 2))
    if measure == "betweenness":
        return float((n - 1) ** 2 * (n - 2)) if directed else (n - 1) ** 2 * (n - 2) / 2
    # closeness
    return (n - 1) * (1 - 1 / n) if directed else (n - 2) * (n - 1) / (2 * n - 3)


def _node_scores(st: _Structure, measure: str) -> np.ndarray:
    """The node-level scores sna's ``centralization`` uses (default ``cmode``)."""
    n = st.n
    if measure == "degree":
        if st.directed:
            return (np.diff(st.A.indptr) + np.bincount(st.A.indices, minlength=n)).astype(float)
        return st.degree.astype(float)
    if measure == "betweenness":
        bc = _brandes(st.A, np.arange(n), directed=st.directed)[0]
        return bc if st.directed else bc / 2.0
    scores = np.zeros(n)
    for chunk, d in _distance_rows(st.A, np.arange(n), directed=st.directed):
        total = d.sum(axis=1)  # inf when some node is unreachable: sna gives 0
        scores[chunk] = np.divide(n - 1, total, out=np.zeros_like(total), where=total > 0)
    return scores


def _centralization(scores: np.ndarray, measure: str, n: int, directed: bool) -> float:
    if n == 0:
        return float("nan")
    tmax = _tmaxdev(measure, n, directed)
    if tmax == 0:
        return float("nan")
    return float((scores.max() - scores).sum() / tmax)


# ---------------------------------------------------------------------------
# fragmentation and centralization
# ---------------------------------------------------------------------------


def fragmentation(G: nx.Graph, *, distance_weighted: bool = False) -> float:
    r"""Borgatti's fragmentation: the share of pairs of nodes that cannot reach each other.

    .. math::

        F = 1 - \frac{\sum_{i \ne j} r_{ij}}{n(n-1)}, \qquad
        F^{d} = 1 - \frac{\sum_{i \ne j} 1/d_{ij}}{n(n-1)}

    where :math:`r_{ij} = 1` if :math:`j` can be reached from :math:`i` and :math:`d_{ij}`
    is the shortest-path length (:math:`1/\infty = 0`). For an undirected graph
    :math:`F = 1 - \sum_k s_k(s_k - 1) / (n(n-1))` over component sizes :math:`s_k`.

    Parameters
    ----------
    G
        Undirected or directed graph.
    distance_weighted
        Return the distance-weighted variant :math:`F^{d}`, which also counts how far apart
        reachable people are (1 for an empty graph, 0 only for a complete graph).

    Returns
    -------
    float
        A value in :math:`[0, 1]`: 0 when everyone can reach everyone, 1 when nobody is
        connected; NaN for a graph with fewer than two nodes.

    Raises
    ------
    TypeError
        If ``G`` is not a networkx graph.

    Examples
    --------
    >>> import networkx as nx
    >>> import connectnet as cn
    >>> G = nx.disjoint_union(nx.complete_graph(3), nx.complete_graph(3))
    >>> cn.fragmentation(G)  # 9 of the 15 pairs cannot reach each other
    0.6
    >>> round(cn.fragmentation(nx.path_graph(3), distance_weighted=True), 4)
    0.1667

    Notes
    -----
    Isolates are unreachable from everyone. Self-loops and weights are ignored. For a
    directed graph reachability follows the arcs and ordered pairs are counted (UCINET's
    convention), so a directed path :math:`a \to b \to c` has :math:`F = 0.5`. The
    undirected, unweighted case costs :math:`O(n + m)`; the directed or distance-weighted
    cases need a breadth-first search from every node, :math:`O(nm)`
    (:func:`cohesion_summary` samples sources on large graphs).

    References
    ----------
    Borgatti, S. P. (2006). Identifying sets of key players in a social network.
    *Computational and Mathematical Organization Theory* 12(1), 21-34.
    """
    st = _structure(G)
    n = st.n
    if n < 2:
        return float("nan")
    pairs = n * (n - 1)
    if not st.directed and not distance_weighted:
        _, labels = _components(st.U)
        sizes = np.bincount(labels).astype(np.float64)
        return float(1.0 - (sizes * (sizes - 1)).sum() / pairs)
    reach, inv = _reach_fraction_exact(st)
    return float(1.0 - (inv if distance_weighted else reach) / pairs)


def centralization(
    G: nx.Graph, measure: Literal["degree", "betweenness", "closeness"] = "degree"
) -> float:
    r"""Freeman centralization, normalised exactly as R sna's ``centralization(normalize=TRUE)``.

    .. math::

        C = \frac{\sum_i \left(\max_j c_j - c_i\right)}{T(n)}

    where :math:`c_i` is the node score and :math:`T(n)` sna's theoretical maximum of the
    numerator over graphs with :math:`n` nodes (``tmaxdev=TRUE``):

    ============ ================================ ==================================
    measure      graph (``mode="graph"``)           digraph (``mode="digraph"``)
    ============ ================================ ==================================
    degree       :math:`(n-1)(n-2)`                 :math:`(n-1)(2(n-1)-2)`, in + out
    betweenness  :math:`(n-1)^2(n-2)/2`             :math:`(n-1)^2(n-2)`
    closeness    :math:`(n-1)(n-2)/(2n-3)`          :math:`(n-1)(1-1/n)`
    ============ ================================ ==================================

    Parameters
    ----------
    G
        Undirected graph (sna ``mode="graph"``) or directed graph (``mode="digraph"``).
    measure
        ``"degree"`` (directed: in- plus out-degree, sna ``cmode="freeman"``),
        ``"betweenness"`` (unnormalised Freeman betweenness; directed paths for a
        DiGraph) or ``"closeness"`` (:math:`(n-1)/\sum_j d_{ij}`, out-distances for a
        DiGraph).

    Returns
    -------
    float
        1 for a star, 0 when every node scores the same (complete graph, cycle); NaN for a
        graph where sna's maximum is 0 (fewer than three nodes, except directed closeness).

    Raises
    ------
    TypeError
        If ``G`` is not a networkx graph.
    ValueError
        If ``measure`` is not one of the three names.

    Examples
    --------
    >>> import networkx as nx
    >>> import connectnet as cn
    >>> cn.centralization(nx.star_graph(5))
    1.0
    >>> cn.centralization(nx.complete_graph(5), "betweenness")
    0.0
    >>> cn.centralization(nx.path_graph(6), "betweenness")  # sna: 0.32
    0.32

    Notes
    -----
    Binary and loop-free, as sna's defaults (``diag=FALSE``; betweenness and closeness
    ignore edge values; degree would sum them, so weights are deliberately dropped here).
    **Closeness in disconnected graphs** follows sna: a node that cannot reach everyone
    has a distance sum of infinity and closeness 0, so an undirected graph with an
    isolate has closeness centralization 0. For a directed graph sna's maximum assumes
    every node reaches every other, so the value can exceed 1 (an out-star of six nodes
    gives 1.2, as in sna). Prefer degree or betweenness centralization for disconnected
    or directed networks. Exact betweenness and closeness cost :math:`O(nm)`.

    References
    ----------
    Freeman, L. C. (1979). Centrality in social networks: conceptual clarification.
    *Social Networks* 1(3), 215-239.

    Butts, C. T. (2008). Social network analysis with sna. *Journal of Statistical
    Software* 24(6). (R package ``sna``, functions ``centralization``, ``degree``,
    ``betweenness``, ``closeness``.)
    """
    check_choice("measure", measure, ("degree", "betweenness", "closeness"))
    st = _structure(G)
    if st.n == 0:
        return float("nan")
    return _centralization(_node_scores(st, measure), measure, st.n, st.directed)


# ---------------------------------------------------------------------------
# cohesion summary
# ---------------------------------------------------------------------------

_SUMMARY_INDEX = [
    "nodes",
    "ties",
    "density",
    "average_degree",
    "components",
    "largest_component_share",
    "isolates",
    "transitivity",
    "average_clustering",
    "average_shortest_path",
    "diameter",
    "degree_centralization",
    "betweenness_centralization",
    "reciprocity",
    "fragmentation",
    "max_k_core",
]


def _summary_parts(
    G: nx.Graph,
    attr: str | None,
    *,
    exact_max_nodes: int,
    n_sources: int,
    seed: int | np.random.Generator | None,
) -> tuple[dict[str, float], dict[str, object], dict[str, float]]:
    """Values, provenance (``attrs``) and per-part timings of :func:`cohesion_summary`."""
    timings: dict[str, float] = {}
    t0 = time.perf_counter()
    check_graph(G)
    ga = graph_arrays(G) if attr is None else _grouped_arrays(G, attr)
    st = _Structure(ga)
    rng = _rng(seed)
    timings["convert"] = time.perf_counter() - t0
    nan = float("nan")
    n, m = st.n, st.ties
    out: dict[str, float] = dict.fromkeys(_SUMMARY_INDEX, nan)
    info: dict[str, object] = {
        "directed": st.directed,
        "components": "weak" if st.directed else "connected",
        "self_loops_ignored": st.self_loops,
        "exact_max_nodes": exact_max_nodes,
        "seed": seed if not isinstance(seed, np.random.Generator) else "Generator",
    }
    pairs = n * (n - 1) if st.directed else n * (n - 1) / 2
    out["nodes"] = float(n)
    out["ties"] = float(m)
    out["density"] = m / pairs if pairs else nan
    out["isolates"] = float((st.degree == 0).sum())
    out["components"] = 0.0
    if n == 0:
        info.update(paths="none", betweenness="none", fragmentation_method="none")
        return out, info, timings
    out["average_degree"] = (m if st.directed else 2 * m) / n
    if st.directed:
        mutual = st.A.multiply(st.A.T).nnz
        out["reciprocity"] = mutual / m if m else nan

    t = time.perf_counter()
    ncomp, labels = _components(st.U)
    sizes = np.bincount(labels)
    out["components"] = float(ncomp)
    out["largest_component_share"] = float(sizes.max() / n)
    timings["components"] = time.perf_counter() - t

    t = time.perf_counter()
    tri = _triangle_rows(st)
    triples = st.degree * (st.degree - 1.0)
    # no connected triple: clustering is undefined (NaN), not 0 (docs/metrics.md)
    out["transitivity"] = float(tri.sum() / triples.sum()) if triples.sum() else float("nan")
    clust = np.divide(tri, triples, out=np.zeros(n), where=triples > 0)
    out["average_clustering"] = float(clust.mean()) if triples.sum() else float("nan")
    timings["clustering"] = time.perf_counter() - t

    t = time.perf_counter()
    out["max_k_core"] = float(_core_numbers(st).max())
    timings["k_core"] = time.perf_counter() - t

    t = time.perf_counter()
    out["degree_centralization"] = _centralization(
        _node_scores(st, "degree"), "degree", n, st.directed
    )
    timings["degree_centralization"] = time.perf_counter() - t

    # betweenness (and directed reachability) from all or sampled sources
    t = time.perf_counter()
    exact = n <= exact_max_nodes
    sources = (
        np.arange(n) if exact else np.sort(rng.choice(n, size=min(n_sources, n), replace=False))
    )
    bc, reached, dsum, ecc, far = _brandes(st.A, sources, directed=st.directed)
    bc *= n / sources.size
    if not st.directed:
        bc /= 2.0
    out["betweenness_centralization"] = _centralization(bc, "betweenness", n, st.directed)
    info["betweenness"] = "exact" if exact else "sampled"
    info["betweenness_sources"] = int(sources.size)
    timings["betweenness"] = time.perf_counter() - t

    t = time.perf_counter()
    if n >= 2:
        if st.directed:
            out["fragmentation"] = float(1.0 - reached.sum() / (sources.size * (n - 1)))
            info["fragmentation_method"] = "exact" if exact else "sampled"
        else:
            sz = sizes.astype(np.float64)
            out["fragmentation"] = float(1.0 - (sz * (sz - 1)).sum() / (n * (n - 1)))
            info["fragmentation_method"] = "exact"
    else:
        info["fragmentation_method"] = "none"
    timings["fragmentation"] = time.perf_counter() - t

    # path lengths on the largest (weak) component, undirected view
    t = time.perf_counter()
    giant = np.flatnonzero(labels == int(np.argmax(sizes)))
    ng = giant.size
    giant_label = int(np.argmax(sizes))
    in_giant = labels[sources] == giant_label
    reuse = not st.directed and (exact or ng > exact_max_nodes) and bool(in_giant.any())
    if ng >= 2 and reuse:
        # undirected: the betweenness searches already measured every distance from the
        # sampled sources; those in the largest component are a uniform sample of it
        # (searches from a node of the largest component stay in it: no need to cut it out)
        sub = st.U
        exact_paths = exact
        psrc = sources[in_giant]
        total = float(dsum[in_giant].sum())
        diameter = float(ecc[in_giant].max())
        far_node = int(far[in_giant][int(np.argmax(ecc[in_giant]))])
    elif ng >= 2:
        sub = st.U[giant][:, giant].tocsr()
        exact_paths = ng <= exact_max_nodes
        if exact_paths:
            psrc = np.arange(ng)
        else:
            psrc = np.sort(rng.choice(ng, size=min(n_sources, ng), replace=False))
        total = 0.0
        diameter = 0.0
        far_node, far_dist = 0, -1.0
        for chunk, d in _distance_rows(sub, psrc, directed=False):
            total += float(d.sum())
            row_max = d.max(axis=1)
            diameter = max(diameter, float(row_max.max()))
            i = int(np.argmax(row_max))
            if row_max[i] > far_dist:
                far_dist = float(row_max[i])
                far_node = int(np.argmax(d[i]))
            del chunk
    if ng >= 2:
        out["average_shortest_path"] = total / (psrc.size * (ng - 1))
        if not exact_paths:
            # double sweep: a breadth-first search from the farthest node found so far
            for _ in range(2):
                d = csgraph.shortest_path(
                    sub, method="D", directed=False, unweighted=True, indices=[far_node]
                ).ravel()
                d[np.isinf(d)] = -1.0  # other components (when sub is the whole graph)
                if d.max() > diameter:
                    diameter = float(d.max())
                far_node = int(np.argmax(d))
        out["diameter"] = diameter
        info["paths"] = "exact" if exact_paths else "sampled"
        info["path_sources"] = int(psrc.size)
        info["diameter_method"] = (
            "exact" if exact_paths else "lower bound (sampled sources and double sweep)"
        )
    else:
        info["paths"] = "none"
    timings["paths"] = time.perf_counter() - t

    if attr is not None:
        t = time.perf_counter()
        out.update(_group_densities(st))
        timings["group_density"] = time.perf_counter() - t
    timings["total"] = time.perf_counter() - t0
    return out, info, timings


def _group_densities(st: _Structure) -> dict[str, float]:
    codes = st.ga.codes
    assert codes is not None
    A = st.A.tocoo()
    same = codes[A.row] == codes[A.col]
    within_ties = float(same.sum())
    between_ties = float(A.nnz - within_ties)
    if not st.directed:
        within_ties /= 2
        between_ties /= 2
    sizes = np.bincount(codes).astype(np.float64)
    n = float(st.n)
    within_pairs = float((sizes * (sizes - 1)).sum())
    between_pairs = n * (n - 1) - within_pairs
    if not st.directed:
        within_pairs /= 2
        between_pairs /= 2
    nan = float("nan")
    return {
        "within_group_density": within_ties / within_pairs if within_pairs else nan,
        "between_group_density": between_ties / between_pairs if between_pairs else nan,
    }


def cohesion_summary(
    G: nx.Graph,
    attr: str | None = None,
    *,
    exact_max_nodes: int = _EXACT_MAX_NODES,
    n_sources: int = 128,
    seed: int | np.random.Generator | None = None,
) -> pd.Series:
    r"""One-table summary of how cohesive a network is.

    ========================== ===========================================================
    entry                      definition
    ========================== ===========================================================
    nodes, ties                :math:`n`; :math:`m` distinct ties (arcs for a DiGraph)
    density                    :math:`m / \binom{n}{2}` (DiGraph: :math:`m / n(n-1)`)
    average_degree             :math:`2m/n` (DiGraph: :math:`m/n`, mean out-degree)
    components                 number of connected (DiGraph: weak) components
    largest_component_share    share of nodes in the largest component
    isolates                   nodes with no tie
    transitivity               :math:`3 \times` triangles / connected triples
    average_clustering         mean local clustering (0 for nodes of degree < 2; NaN
                               with no connected triple anywhere)
    average_shortest_path      mean distance over ordered pairs of the largest component
    diameter                   longest shortest path in the largest component
    degree_centralization      :func:`centralization` ``(G, "degree")``
    betweenness_centralization :func:`centralization` ``(G, "betweenness")``
    reciprocity                share of arcs whose reverse arc exists (DiGraph only)
    fragmentation              :func:`fragmentation` ``(G)``
    max_k_core                 largest :math:`k` with a non-empty k-core
    within_group_density       (with ``attr``) ties within groups / pairs within groups
    between_group_density      (with ``attr``) ties across groups / pairs across groups
    ========================== ===========================================================

    Parameters
    ----------
    G
        Undirected or directed graph.
    attr
        Optional node attribute (e.g. ``"sector"``) for within- and between-group density.
    exact_max_nodes
        Graphs (for betweenness and directed fragmentation) and largest components (for
        path lengths) with at most this many nodes are measured exactly; larger ones from
        ``n_sources`` randomly chosen breadth-first-search sources.
    n_sources
        Number of sampled sources above ``exact_max_nodes``.
    seed
        Seed or numpy Generator for the source sample.

    Returns
    -------
    pandas.Series
        Float values named ``"cohesion"`` indexed by the entries above (counts are whole
        numbers stored as floats). ``attrs`` states how each part was computed:
        ``paths``/``betweenness``/``fragmentation_method`` (``"exact"`` or
        ``"sampled"``), ``path_sources``, ``betweenness_sources``, ``diameter_method``,
        ``components`` (``"weak"`` for a DiGraph), ``self_loops_ignored``, ``seed``.

    Raises
    ------
    TypeError
        If ``G`` is not a networkx graph or ``seed`` has the wrong type.
    ValueError
        If a node lacks ``attr``, or ``exact_max_nodes``/``n_sources`` is not a positive
        integer.

    Examples
    --------
    >>> import networkx as nx
    >>> import connectnet as cn
    >>> s = cn.cohesion_summary(nx.star_graph(4))
    >>> s[["nodes", "ties", "density", "diameter", "degree_centralization"]].tolist()
    [5.0, 4.0, 0.4, 2.0, 1.0]
    >>> s.attrs["paths"]
    'exact'

    Notes
    -----
    Binary structure: weights are ignored, multigraph edges count once, self-loops are
    dropped (their number is in ``attrs``). For a DiGraph, components are weak and path
    lengths, diameter, clustering and k-cores use the undirected view; degree and
    betweenness centralization follow sna's ``mode="digraph"``; fragmentation uses
    directed reachability; reciprocity is NaN for an undirected graph.

    Edge cases: an empty graph gives 0 nodes, ties, components and isolates and NaN
    elsewhere; density and fragmentation are NaN below two nodes; average path length and
    diameter are NaN when the largest component has one node; transitivity and average
    clustering are NaN without a connected triple (networkx gives 0; nothing can be
    closed, so there is no share to report). When several components tie for largest, path
    length and diameter describe the one holding the earliest node in graph order.

    **Sampling.** Above ``exact_max_nodes``, betweenness is Brandes' estimator from
    uniformly sampled sources scaled by :math:`n/k` (so betweenness centralization is an
    estimate, typically slightly high because the maximum of noisy scores is taken);
    average path length is the mean over the sampled sources' distances (unbiased) and the
    diameter a lower bound from the sampled sources plus a two-step double sweep. For an
    undirected graph the path statistics reuse the betweenness searches: the path sources
    are the sampled sources that fall in the largest component (``attrs["path_sources"]``
    says how many). The same ``seed`` gives the same values.

    References
    ----------
    Wasserman, S. and Faust, K. (1994). *Social Network Analysis: Methods and
    Applications*. Cambridge University Press.

    Brandes, U. and Pich, C. (2007). Centrality estimation in large networks.
    *International Journal of Bifurcation and Chaos* 17(7), 2303-2318.

    Seidman, S. B. (1983). Network structure and minimum degree. *Social Networks* 5(3),
    269-287.
    """
    exact_max_nodes = _check_positive_int("exact_max_nodes", exact_max_nodes)
    n_sources = _check_positive_int("n_sources", n_sources)
    values, info, timings = _summary_parts(
        G, attr, exact_max_nodes=exact_max_nodes, n_sources=n_sources, seed=seed
    )
    logger.debug("cohesion_summary timings (s): %s", timings)
    index = list(values)
    out = pd.Series([values[k] for k in index], index=index, name="cohesion", dtype=float)
    out.attrs.update(info)
    return out


# ---------------------------------------------------------------------------
# communities
# ---------------------------------------------------------------------------


def _part_codes(parts: list[set], nodes: list[Hashable]) -> np.ndarray:
    """Block code per node position from a list of node sets."""
    pos = {v: i for i, v in enumerate(nodes)}
    codes = np.empty(len(nodes), dtype=np.int64)
    for c, part in enumerate(parts):
        codes[np.fromiter((pos[v] for v in part), dtype=np.int64, count=len(part))] = c
    return codes


def _relabel(codes: np.ndarray) -> np.ndarray:
    """Community ids by size: largest community 0, ties by the earliest node."""
    if codes.size == 0:
        return codes.astype(np.int64)
    _, codes = np.unique(codes, return_inverse=True)
    sizes = np.bincount(codes)
    first = np.full(sizes.size, codes.size, dtype=np.int64)
    np.minimum.at(first, codes, np.arange(codes.size))
    rank = np.empty(sizes.size, dtype=np.int64)
    rank[np.lexsort((first, -sizes))] = np.arange(sizes.size)
    return rank[codes]


def _modularity(ga: GraphArrays, codes: np.ndarray, resolution: float) -> float:
    """Modularity of the partition ``codes`` (block per node position), exactly as
    :func:`networkx.community.modularity` defines it on the same weighted graph: a
    self-loop counts once in its block's internal weight and twice in the degree of an
    undirected graph; parallel edges add up; a DiGraph uses Leicht and Newman's form."""
    w = ga.weight
    total = float(w.sum())
    if ga.n == 0 or total == 0:
        return float("nan")
    k = int(codes.max()) + 1
    a, b = codes[ga.src], codes[ga.dst]
    same = a == b
    internal = np.bincount(a[same], weights=w[same], minlength=k)
    out_w = np.bincount(a, weights=w, minlength=k)
    in_w = np.bincount(b, weights=w, minlength=k)
    if ga.directed:
        expected = out_w * in_w / total**2
    else:
        expected = ((out_w + in_w) / (2 * total)) ** 2
    return float((internal / total - resolution * expected).sum())


def _louvain_igraph(ga: GraphArrays, resolution: float, seed: int) -> np.ndarray:
    """Louvain on an undirected graph with igraph's C implementation, seeded through a
    private :class:`random.Random` (igraph's global generator is restored afterwards)."""
    import igraph as ig

    g = igraph_graph(ga.n, ga.src, ga.dst)
    weights = None if bool((ga.weight == 1.0).all()) else ga.weight.tolist()
    ig.set_random_number_generator(random.Random(seed))
    try:
        found = g.community_multilevel(weights=weights, resolution=resolution)
    finally:
        ig.set_random_number_generator(random)
    return np.asarray(found.membership, dtype=np.int64)


def _check_resolution(resolution: object) -> float:
    if isinstance(resolution, bool) or not isinstance(resolution, (int, float, np.number)):
        msg = f"`resolution` must be a positive number; found {resolution!r}."
        raise TypeError(msg)
    if not (resolution > 0 and math.isfinite(resolution)):
        msg = f"`resolution` must be a positive finite number; found {resolution!r}."
        raise ValueError(msg)
    return float(resolution)


def communities(
    G: nx.Graph,
    *,
    method: Literal["louvain", "greedy"] = "louvain",
    resolution: float = 1.0,
    weight: str | None = "weight",
    seed: int | np.random.Generator | None = None,
) -> pd.Series:
    r"""Detect communities by maximising modularity.

    .. math::

        Q = \frac{1}{2m} \sum_{ij} \left(A_{ij} - \gamma \frac{k_i k_j}{2m}\right)
            \delta(c_i, c_j)

    with resolution :math:`\gamma` (directed graphs: Leicht and Newman's directed form).

    Parameters
    ----------
    G
        Undirected or directed graph.
    method
        ``"louvain"`` (Blondel et al.; randomised, fast) or ``"greedy"`` (Clauset–
        Newman–Moore agglomeration; deterministic).
    resolution
        :math:`\gamma`; above 1 favours smaller communities, below 1 larger ones.
    weight
        Edge attribute used as tie strength (``None``: every tie weighs 1).
    seed
        Seed or numpy Generator for Louvain's node order (ignored by ``"greedy"``).

    Returns
    -------
    pandas.Series
        Integer community id per node, named ``"community"``, indexed by node in graph
        order. Ids are relabelled by size: the largest community is 0 (ties: the community
        holding the earliest node comes first). ``attrs`` holds ``modularity``,
        ``method``, ``resolution``, ``n_communities``, ``backend`` (``"igraph"`` or
        ``"networkx"``) and ``seed``.

    Raises
    ------
    TypeError
        If ``G`` is not a networkx graph, or ``resolution``/``seed`` has the wrong type.
    ValueError
        If ``method`` is unknown or ``resolution`` is not positive.

    Examples
    --------
    >>> import networkx as nx
    >>> import connectnet as cn
    >>> G = nx.disjoint_union(nx.complete_graph(4), nx.complete_graph(3))
    >>> G.add_edge(0, 4)
    >>> c = cn.communities(G, method="greedy")
    >>> c.tolist()
    [0, 0, 0, 0, 1, 1, 1]
    >>> round(c.attrs["modularity"], 4)
    0.355

    Notes
    -----
    Louvain on an undirected graph runs igraph's C implementation
    (``Graph.community_multilevel``, near-linear in ties: seconds for a million ties,
    where networkx's pure-Python version takes minutes); on a DiGraph it runs
    :func:`networkx.community.louvain_communities` (igraph has no directed Louvain).
    ``"greedy"`` wraps :func:`networkx.community.greedy_modularity_communities`.
    ``attrs["backend"]`` says which ran. On graphs whose modularity optimum is unique
    (for example a ring of cliques) both Louvains return that partition; elsewhere both
    are heuristics and can stop in different, about equally good, local optima, and
    igraph keeps the best level of its hierarchy where networkx keeps the last. The same
    ``seed`` on the same graph (same node order) gives the same result; different seeds
    can give different, equally good partitions, so report the modularity and consider
    several seeds. Modularity is computed from arrays with exactly networkx's definition.
    Isolates form their own communities. A graph without ties has
    modularity NaN; an empty graph gives an empty Series. Unlike the binary measures of
    this module, the graph is used as networkx uses it: a multigraph's parallel edges add
    their weights and self-loops count towards degree (remove them first with
    ``G.remove_edges_from(nx.selfloop_edges(G))`` if they are data errors). Modularity
    has a resolution limit: communities smaller than about :math:`\sqrt{2m}` ties may be
    merged.

    References
    ----------
    Newman, M. E. J. and Girvan, M. (2004). Finding and evaluating community structure in
    networks. *Physical Review E* 69, 026113.

    Blondel, V. D., Guillaume, J.-L., Lambiotte, R. and Lefebvre, E. (2008). Fast
    unfolding of communities in large networks. *J. Stat. Mech.* P10008.

    Clauset, A., Newman, M. E. J. and Moore, C. (2004). Finding community structure in
    very large networks. *Physical Review E* 70, 066111.
    """
    check_graph(G)
    check_choice("method", method, ("louvain", "greedy"))
    gamma = _check_resolution(resolution)
    rng = _rng(seed)
    ga = graph_arrays(G, weight=weight)
    nodes = ga.nodes
    if not nodes:
        codes = np.zeros(0, dtype=np.int64)
    elif method == "louvain":
        louvain_seed = int(rng.integers(2**31 - 1))
        if ga.directed:
            parts = nx.community.louvain_communities(
                G, weight=weight, resolution=gamma, seed=louvain_seed
            )
            codes = _part_codes(parts, nodes)
        else:
            codes = _louvain_igraph(ga, gamma, louvain_seed)
    else:
        parts = nx.community.greedy_modularity_communities(G, weight=weight, resolution=gamma)
        codes = _part_codes([set(c) for c in parts], nodes)
    labels = _relabel(codes)
    out = pd.Series(labels, index=ga.index, name="community", dtype=np.int64)
    out.attrs.update(
        modularity=_modularity(ga, labels, gamma),
        method=method,
        resolution=gamma,
        n_communities=int(labels.max()) + 1 if labels.size else 0,
        backend="igraph" if method == "louvain" and not ga.directed else "networkx",
        seed=seed if not isinstance(seed, np.random.Generator) else "Generator",
    )
    return out


def _contingency(
    a: np.ndarray, b: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Sparse contingency table of two labelings: non-zero counts ``nij`` with their row
    and column codes, then the row sums ``ai`` and column sums ``bj``."""
    _, ai = np.unique(a, return_inverse=True)
    _, bi = np.unique(b, return_inverse=True)
    nb = int(bi.max()) + 1
    keys, nij = np.unique(ai.astype(np.int64) * nb + bi, return_counts=True)
    row_sums = np.bincount(ai).astype(np.float64)
    col_sums = np.bincount(bi).astype(np.float64)
    return nij.astype(np.float64), keys // nb, keys % nb, row_sums, col_sums


def _adjusted_rand(a: np.ndarray, b: np.ndarray) -> float:
    """Hubert and Arabie's adjusted Rand index (1 for identical partitions)."""
    n = a.size
    if n < 2:
        return float("nan")
    nij, _, _, ai, bj = _contingency(a, b)
    index = (nij * (nij - 1) / 2).sum()
    sum_a = (ai * (ai - 1) / 2).sum()
    sum_b = (bj * (bj - 1) / 2).sum()
    expected = sum_a * sum_b / (n * (n - 1) / 2)
    maximum = (sum_a + sum_b) / 2
    if maximum == expected:  # both partitions trivial (one block, or all singletons)
        return 1.0
    return float((index - expected) / (maximum - expected))


def _nmi(a: np.ndarray, b: np.ndarray) -> float:
    """Normalised mutual information, arithmetic-mean normalisation (in [0, 1])."""
    n = a.size
    if n == 0:
        return float("nan")
    nij, row, col, ai, bj = _contingency(a, b)
    ha = -float((ai / n * np.log(ai / n)).sum())
    hb = -float((bj / n * np.log(bj / n)).sum())
    if ha == 0 and hb == 0:
        return 1.0
    mi = float((nij / n * np.log(nij * n / (ai[row] * bj[col]))).sum())
    return float(min(max(mi / ((ha + hb) / 2), 0.0), 1.0))


def partition_comparison(
    G: nx.Graph,
    attr: str,
    communities: pd.Series,
    *,
    weight: str | None = "weight",
    resolution: float = 1.0,
) -> pd.Series:
    r"""Do real groupings follow sector lines? Compare an attribute partition with
    detected communities.

    Parameters
    ----------
    G
        The graph the communities were detected on.
    attr
        Node attribute giving the reference partition, e.g. ``"sector"``.
    communities
        Community id per node (as returned by :func:`communities`); its index must hold
        every node of ``G`` exactly once (any order).
    weight
        Edge attribute for the modularities (``None``: unweighted).
    resolution
        Modularity resolution :math:`\gamma`.

    Returns
    -------
    pandas.Series
        Named ``"partition_comparison"``, with

        * ``attribute_modularity``: modularity :math:`Q` of the ``attr`` partition;
        * ``community_modularity``: modularity of ``communities``;
        * ``adjusted_rand_index``: Hubert–Arabie ARI, 1 for identical partitions, about
          0 for chance agreement, negative below chance;
        * ``normalised_mutual_information``: :math:`I(X;Y) / \tfrac12(H(X) + H(Y))`
          in [0, 1];
        * ``attribute_groups``, ``communities``: number of blocks in each partition.

    Raises
    ------
    TypeError
        If ``G`` is not a networkx graph or ``communities`` is not a Series.
    ValueError
        If a node lacks ``attr``, or the Series' index is not exactly the node set.

    Examples
    --------
    >>> import networkx as nx
    >>> import connectnet as cn
    >>> G = nx.disjoint_union(nx.complete_graph(3), nx.complete_graph(3))
    >>> G.add_edge(0, 3)
    >>> nx.set_node_attributes(G, {i: "NHS" if i < 3 else "prison" for i in G}, "sector")
    >>> c = cn.communities(G, method="greedy")
    >>> r = cn.partition_comparison(G, "sector", c)
    >>> r[["adjusted_rand_index", "normalised_mutual_information"]].tolist()
    [1.0, 1.0]

    Notes
    -----
    When the sector partition's modularity is close to the detected one and ARI/NMI are
    high, communities follow sector lines (little bridging); low agreement with high
    community modularity means groups form across sectors. ARI and NMI ignore the
    graph: they compare only the two labelings. Both are 1 when the two partitions are
    identical, including the trivial case of one block each; NMI is 0 when one partition
    is a single block and the other is not. Below two nodes ARI is NaN; an empty graph
    gives NaN throughout. Modularity is NaN for a graph without ties.

    References
    ----------
    Hubert, L. and Arabie, P. (1985). Comparing partitions. *Journal of Classification*
    2(1), 193-218.

    Danon, L., Díaz-Guilera, A., Duch, J. and Arenas, A. (2005). Comparing community
    structure identification. *J. Stat. Mech.* P09008.

    Newman, M. E. J. and Girvan, M. (2004). Finding and evaluating community structure in
    networks. *Physical Review E* 69, 026113.
    """
    check_graph(G)
    if not isinstance(communities, pd.Series):
        msg = (
            "`communities` must be a pandas Series of community ids indexed by node (as "
            f"returned by cn.communities); found {type(communities).__name__}."
        )
        raise TypeError(msg)
    gamma = _check_resolution(resolution)
    ga = _grouped_arrays(G, attr, weight=weight)
    index = ga.index
    if communities.index.has_duplicates or len(communities) != ga.n:
        msg = (
            f"`communities` must have one entry per node of `G` ({ga.n} nodes); found "
            f"{len(communities)} entries"
            + (" with duplicated nodes" if communities.index.has_duplicates else "")
            + ". Pass the Series returned by cn.communities(G)."
        )
        raise ValueError(msg)
    pos = communities.index.get_indexer(index)
    if (pos < 0).any():
        missing = [repr(index[i]) for i in np.flatnonzero(pos < 0)[:5]]
        msg = (
            f"`communities` has no entry for {int((pos < 0).sum())} node(s) of `G` "
            f"(first: {', '.join(missing)}). Pass the Series returned by cn.communities(G)."
        )
        raise ValueError(msg)
    comm = communities.to_numpy()[pos]
    if pd.isna(comm).any():
        msg = "`communities` must not contain missing values; give every node a community."
        raise ValueError(msg)
    codes = ga.codes
    assert codes is not None
    comm_codes = pd.factorize(pd.Series(comm, dtype=object))[0]
    values = {
        "attribute_modularity": _modularity(ga, codes, gamma),
        "community_modularity": _modularity(ga, comm_codes, gamma),
        "adjusted_rand_index": _adjusted_rand(codes, comm_codes),
        "normalised_mutual_information": _nmi(codes, comm_codes),
        "attribute_groups": float(len(ga.groups or [])),
        "communities": float(int(comm_codes.max()) + 1 if comm_codes.size else 0),
    }
    return pd.Series(values, name="partition_comparison", dtype=float)


# ---------------------------------------------------------------------------
# core–periphery
# ---------------------------------------------------------------------------


#: Graphs up to this many nodes get the best-improvement local search (each step scores
#: every move); larger ones the sweep search, near-linear in ties.
_CP_BEST_MOVE_MAX_NODES = 5000
#: Default restarts: this many up to _CP_BEST_MOVE_MAX_NODES nodes, then fewer
#: (20 × 5,000 / n, at least _CP_MIN_RESTARTS) so the total cost stays near-linear.
_CP_RESTARTS = 20
_CP_MIN_RESTARTS = 2
#: Sweeps of the large-graph local search (each O(n log n + moved ties)).
_CP_MAX_SWEEPS = 50


def _cp_num_den(c, m_cc, m_pp, n: int, m: int, pattern: str):
    """Numerator and squared denominator of the core–periphery correlation from block
    counts (plain arithmetic: works on Python numbers and on numpy arrays alike)."""
    p = n - c
    if pattern == "ignore":
        cells = c * (c - 1) / 2 + p * (p - 1) / 2
        s_a = m_cc + m_pp
        s_d = c * (c - 1) / 2
        s_ad = m_cc
    else:
        cells = n * (n - 1) / 2
        s_a = m
        s_d = cells - p * (p - 1) / 2
        s_ad = m - m_pp
    return cells * s_ad - s_a * s_d, (cells * s_a - s_a**2) * (cells * s_d - s_d**2)


def _cp_corr(
    c: np.ndarray, m_cc: np.ndarray, m_pp: np.ndarray, n: int, m: int, pattern: str
) -> np.ndarray:
    """Pearson correlation between adjacency and the ideal pattern, from block counts
    (``-inf`` where undefined)."""
    c = np.asarray(c, dtype=np.float64)
    num, den = _cp_num_den(
        c, np.asarray(m_cc, dtype=np.float64), np.asarray(m_pp, dtype=np.float64), n, m, pattern
    )
    num, den = np.broadcast_to(num, c.shape), np.broadcast_to(den, c.shape)
    out = np.full(c.shape, -np.inf)
    ok = den > 0
    out[ok] = num[ok] / np.sqrt(den[ok])
    return out


def _cp_state(U: sp.csr_array, x: np.ndarray, m: int) -> tuple[np.ndarray, int, int, int]:
    """Core neighbours per node, core size, core–core ties and periphery ties."""
    kc = (U @ x.astype(np.float64)).astype(np.int64)
    m_cc = int(kc[x].sum() // 2)
    return kc, int(x.sum()), m_cc, m - m_cc - int(kc[~x].sum())


def _cp_greedy(
    U: sp.csr_array, deg: np.ndarray, x: np.ndarray, m: int, pattern: str, max_steps: int
) -> tuple[np.ndarray, float]:
    """Best-improvement single-node moves from ``x`` until no move raises the fit."""
    n = x.size
    x = x.copy()
    kc, c, m_cc, m_pp = _cp_state(U, x, m)
    fit = float(_cp_corr(np.array([c]), np.array([m_cc]), np.array([m_pp]), n, m, pattern)[0])
    sign = np.where(x, -1, 1)
    for _ in range(max_steps):
        new_c = c + sign
        new_cc = m_cc + sign * kc
        new_pp = m_pp - sign * (deg - kc)
        cand = _cp_corr(new_c, new_cc, new_pp, n, m, pattern)
        v = int(np.argmax(cand))
        if not cand[v] > fit + 1e-12:
            break
        fit = float(cand[v])
        c, m_cc, m_pp = int(new_c[v]), int(new_cc[v]), int(new_pp[v])
        nb = U.indices[U.indptr[v] : U.indptr[v + 1]]
        kc[nb] += sign[v]
        x[v] = not x[v]
        sign[v] = -sign[v]
    return x, fit


def _cp_sweeps(
    U: sp.csr_array, deg: np.ndarray, x: np.ndarray, m: int, pattern: str, max_steps: int
) -> tuple[np.ndarray, float]:
    """Local search for large graphs, near-linear in ties.

    Each sweep scores every single-node move once (vectorised, :math:`O(n)`), then visits
    the improving ones from best to worst, re-scoring each against the current split in
    :math:`O(1)` and applying it if it still raises the fit (updating the core-neighbour
    counts of its neighbours). It stops when a sweep starts with no improving move, so
    the result is a local optimum under single moves, as :func:`_cp_greedy`'s.
    """
    n = x.size
    x = x.copy()
    kc, c, m_cc, m_pp = _cp_state(U, x, m)
    fit = float(_cp_corr(np.array([c]), np.array([m_cc]), np.array([m_pp]), n, m, pattern)[0])
    indptr, indices = U.indptr, U.indices
    steps = 0
    for _ in range(_CP_MAX_SWEEPS):
        sign = np.where(x, -1, 1)
        cand = _cp_corr(c + sign, m_cc + sign * kc, m_pp - sign * (deg - kc), n, m, pattern)
        better = np.flatnonzero(cand > fit + 1e-12)
        if better.size == 0 or steps >= max_steps:
            break
        for v in better[np.argsort(-cand[better], kind="stable")].tolist():
            s = -1 if x[v] else 1
            k = int(kc[v])
            new = (c + s, m_cc + s * k, m_pp - s * (int(deg[v]) - k))
            num, den = _cp_num_den(*new, n, m, pattern)
            if den > 0 and num / math.sqrt(den) > fit + 1e-12:
                fit = num / math.sqrt(den)
                c, m_cc, m_pp = new
                kc[indices[indptr[v] : indptr[v + 1]]] += s
                x[v] = not x[v]
                steps += 1
    return x, float(fit)


def _cp_restarts(n: int) -> int:
    """The default number of restarts for a graph of ``n`` nodes."""
    if n <= _CP_BEST_MOVE_MAX_NODES:
        return _CP_RESTARTS
    return max(_CP_MIN_RESTARTS, _CP_RESTARTS * _CP_BEST_MOVE_MAX_NODES // n)


def core_periphery(
    G: nx.Graph,
    *,
    pattern: Literal["ignore", "present"] = "ignore",
    restarts: int | None = None,
    seed: int | np.random.Generator | None = None,
) -> pd.DataFrame:
    r"""k-core numbers and a discrete core/periphery split (Borgatti and Everett 1999).

    The discrete model assigns each node to the core or the periphery and measures fit as
    the Pearson correlation :math:`\rho` between the observed adjacency :math:`a_{ij}`
    and an ideal pattern :math:`\delta_{ij}` over unordered pairs :math:`i < j`:
    core–core pairs are tied (:math:`\delta = 1`), periphery–periphery pairs are not
    (:math:`\delta = 0`), and core–periphery pairs are either left out of the correlation
    (``pattern="ignore"``, Borgatti and Everett's recommended variant, as UCINET) or
    expected to be tied (``pattern="present"``, :math:`\delta_{ij} = 1` if either end is
    in the core).

    Parameters
    ----------
    G
        Undirected or directed graph (a DiGraph is fitted on its undirected view).
    pattern
        How core–periphery pairs enter the ideal pattern: ``"ignore"`` or ``"present"``.
    restarts
        Number of seeded perturbation restarts of the local search (0 for none). Default
        ``None``: 20 up to 5,000 nodes, then :math:`\max(2, 20 \times 5000 / n)` (10 at
        10,000 nodes, 2 from 50,000), so the cost stays near-linear in ties.
    seed
        Seed or numpy Generator for the restarts.

    Returns
    -------
    pandas.DataFrame
        Indexed by node (graph order) with ``k_core`` (int: the largest :math:`k` such
        that the node belongs to the k-core) and ``core`` (bool). ``attrs`` holds
        ``fit`` (the correlation :math:`\rho`), ``pattern``, ``core_size``,
        ``core_density``, ``periphery_density``, ``restarts`` and ``seed``.

    Raises
    ------
    TypeError
        If ``G`` is not a networkx graph or ``seed`` has the wrong type.
    ValueError
        If ``pattern`` is unknown or ``restarts`` is negative.

    Examples
    --------
    >>> import networkx as nx
    >>> import connectnet as cn
    >>> G = nx.complete_graph(4)  # a core of four ...
    >>> G.add_edges_from([(0, 4), (1, 5), (2, 6), (3, 7)])  # ... each with one contact
    >>> cp = cn.core_periphery(G, seed=1)
    >>> cp["core"].tolist()
    [True, True, True, True, False, False, False, False]
    >>> cp["k_core"].tolist()
    [3, 3, 3, 3, 1, 1, 1, 1]
    >>> cp.attrs["fit"]
    1.0

    Notes
    -----
    **Heuristic.** Finding the best split is NP-hard, so it is fitted by (1) ordering
    nodes by k-core number, then degree, then graph order, and taking the best prefix of
    that order as the core (every prefix is scored in :math:`O(n + m)`); (2) a
    best-improvement local search that moves one node at a time between core and
    periphery while the correlation rises (each step scores all :math:`n` moves in
    :math:`O(n)`); (3) ``restarts`` times, flipping a random 5–30% of the nodes of the
    best assignment so far and searching again, keeping the best. The result is a local
    optimum: at least as good as the best k-core/degree prefix, reproducible under a
    ``seed``, and on small test graphs within a few hundredths of the exhaustive optimum.

    **Cost.** Up to 5,000 nodes step (2) is best-improvement: each move is the best of
    all :math:`n`, so a search costs up to :math:`O(n)` moves of :math:`O(n)`. Larger
    graphs use sweeps instead: every move is scored once per sweep (:math:`O(n)`,
    vectorised), then the improving ones are applied from best to worst, each re-scored
    against the current split in :math:`O(1)` and kept only if it still raises the fit;
    the search stops when a sweep finds no improving move (a local optimum under single
    moves, as before) or after 50 sweeps. A search then costs
    :math:`O(\text{sweeps} \cdot n \log n + m)`, and with the default number of
    restarts (fewer as :math:`n` grows) the whole fit stays near-linear in ties. The two
    searches can stop in different local optima; both start from the same prefix and
    neither ends below it.

    Self-loops, weights and parallel edges are ignored. When the correlation is undefined
    for every split — a graph without ties, a complete graph (no variation in
    :math:`a_{ij}`), or too few pairs (a path of three nodes with ``"ignore"``) — there is
    no core (all ``False``) and the fit is NaN; an empty graph gives an empty frame. With
    ``pattern="ignore"`` a core needs two or more nodes. A high fit (say above 0.5) means
    a dense core and a sparse periphery; compare the k-core numbers, which need no
    fitting, for a graded view.

    References
    ----------
    Borgatti, S. P. and Everett, M. G. (1999). Models of core/periphery structures.
    *Social Networks* 21(4), 375-395.

    Seidman, S. B. (1983). Network structure and minimum degree. *Social Networks* 5(3),
    269-287.
    """
    check_choice("pattern", pattern, ("ignore", "present"))
    if restarts is not None and (
        isinstance(restarts, bool) or not isinstance(restarts, (int, np.integer)) or restarts < 0
    ):
        msg = f"`restarts` must be None or a non-negative integer; found {restarts!r}."
        raise ValueError(msg)
    rng = _rng(seed)
    st = _structure(G)
    n, U, deg = st.n, st.U, st.degree
    if restarts is None:
        restarts = _cp_restarts(n)
    search = _cp_greedy if n <= _CP_BEST_MOVE_MAX_NODES else _cp_sweeps
    m = int(U.nnz // 2)
    kcore = _core_numbers(st)
    x = np.zeros(n, dtype=bool)
    fit = float("nan")
    if n >= 2 and m > 0:
        # (1) best prefix of the k-core / degree ordering
        order = np.lexsort((np.arange(n), -deg, -kcore))
        rank = np.empty(n, dtype=np.int64)
        rank[order] = np.arange(n)
        Uc = sp.triu(U, k=1).tocoo()
        hi = np.maximum(rank[Uc.row], rank[Uc.col])
        lo = np.minimum(rank[Uc.row], rank[Uc.col])
        cum_hi = np.concatenate([[0], np.cumsum(np.bincount(hi, minlength=n))])
        cum_lo = np.concatenate([[0], np.cumsum(np.bincount(lo, minlength=n))])
        sizes = np.arange(n + 1)
        scores = _cp_corr(sizes, cum_hi, m - cum_lo, n, m, pattern)
        best_c = int(np.argmax(scores))
        x[order[:best_c]] = True
        # (2) local search, (3) perturbation restarts
        max_steps = 4 * n
        x, fit = search(U, deg, x, m, pattern, max_steps)
        for _ in range(restarts):
            flip = rng.random(n) < rng.uniform(0.05, 0.3)
            if not flip.any():
                flip[int(rng.integers(n))] = True
            y, f = search(U, deg, x ^ flip, m, pattern, max_steps)
            if f > fit + 1e-12:
                x, fit = y, f
        if not np.isfinite(fit):
            x[:] = False
            fit = float("nan")
    out = pd.DataFrame({"k_core": kcore.astype(np.int64), "core": x}, index=st.ga.index)
    c = int(x.sum())
    Uc_all = sp.triu(U, k=1).tocoo()
    in_core = x[Uc_all.row] & x[Uc_all.col] if n else np.zeros(0, dtype=bool)
    in_per = ~x[Uc_all.row] & ~x[Uc_all.col] if n else np.zeros(0, dtype=bool)
    p = n - c
    out.attrs.update(
        fit=float(round(fit, 12)) if np.isfinite(fit) else float("nan"),
        pattern=pattern,
        core_size=c,
        core_density=float(in_core.sum() / (c * (c - 1) / 2)) if c >= 2 else float("nan"),
        periphery_density=float(in_per.sum() / (p * (p - 1) / 2)) if p >= 2 else float("nan"),
        restarts=int(restarts),
        seed=seed if not isinstance(seed, np.random.Generator) else "Generator",
    )
    return out
