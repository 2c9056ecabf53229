"""Private helper: a networkx graph as integer-coded arrays and sparse matrices.

Every vectorised metric converts its graph **once per call** with :func:`graph_arrays`
and works on the result. Reading edges out of an ``nx.Graph`` is the dominant fixed cost
(about 1 s per million edges), so no metric should do it twice.
"""

from __future__ import annotations

import logging
from collections.abc import Hashable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from itertools import chain, compress, repeat
from operator import methodcaller

import networkx as nx
import numpy as np
import pandas as pd
import scipy.sparse as sp

__all__: list[str] = []


@dataclass(frozen=True, eq=False)
class GraphArrays:
    """Integer-coded view of a graph.

    Attributes
    ----------
    nodes
        Node keys in graph order; node ``i`` of the arrays is ``nodes[i]``.
    src, dst
        Edge end points as ``int64`` node positions. An undirected graph lists each
        edge once (in networkx's iteration order); a directed graph lists each arc.
    weight
        ``float64`` edge weights (all 1.0 when no weight attribute was asked for).
    directed
        Whether the graph is directed.
    codes
        ``int64`` group code per node (``-1`` where the attribute is missing), or ``None``
        when no attribute was asked for.
    groups
        Group labels in code order (sorted when sortable), or ``None``.
    """

    nodes: list[Hashable]
    src: np.ndarray
    dst: np.ndarray
    weight: np.ndarray
    directed: bool
    codes: np.ndarray | None = None
    groups: list[Hashable] | None = None

    @property
    def n(self) -> int:
        """Number of nodes."""
        return len(self.nodes)

    @property
    def m(self) -> int:
        """Number of edges (arcs for a directed graph)."""
        return int(self.src.size)

    @cached_property
    def index(self) -> pd.Index:
        """Node keys as a pandas Index (for Series results)."""
        return _object_index(self.nodes)

    @cached_property
    def loops(self) -> np.ndarray:
        """Boolean mask of self-loop edges."""
        return self.src == self.dst

    def adjacency(self, *, weighted: bool = True, symmetric: bool | None = None) -> sp.csr_array:
        """Sparse adjacency matrix in node order.

        Parameters
        ----------
        weighted
            Use edge weights (else 1 per edge).
        symmetric
            Mirror edges so ``A[i, j] == A[j, i]``. Defaults to ``not directed``. A self-loop
            appears once on the diagonal, as in ``nx.to_scipy_sparse_array``.
        """
        if symmetric is None:
            symmetric = not self.directed
        data = self.weight if weighted else np.ones(self.m)
        rows, cols = self.src, self.dst
        if symmetric:
            off = ~self.loops
            rows = np.concatenate([rows, self.dst[off]])
            cols = np.concatenate([cols, self.src[off]])
            data = np.concatenate([data, data[off]])
        return sp.csr_array((data, (rows, cols)), shape=(self.n, self.n))

    def series(self, values: np.ndarray, name: str) -> pd.Series:
        """A node-indexed Series with Python-friendly dtype."""
        return pd.Series(values, index=self.index, name=name)


@dataclass(frozen=True, eq=False)
class ArrayNetwork:
    """A network held only as arrays: what the report hands to metrics for a network it
    does not draw, so that no ``nx.Graph`` (a few hundred bytes and about a microsecond
    per tie) is built for it.

    The metric helpers of this module (:func:`check_graph`, :func:`graph_arrays`,
    :func:`group_codes`, :func:`has_node_attribute`) accept it wherever they accept a
    graph, so a metric that reaches its graph only through them works on either.

    Attributes
    ----------
    nodes
        Node keys; node ``i`` is ``nodes[i]``.
    src, dst, weight
        One entry per edge (each undirected edge once), as :class:`GraphArrays`.
    directed
        Whether edges are arcs.
    attributes
        Node attributes, one row per node in node order (missing values as NaN/None).
    graph
        Provenance, as ``G.graph``.
    """

    nodes: list[Hashable]
    src: np.ndarray
    dst: np.ndarray
    weight: np.ndarray
    directed: bool
    attributes: pd.DataFrame
    graph: dict = field(default_factory=dict)

    def __len__(self) -> int:
        return len(self.nodes)

    def number_of_nodes(self) -> int:
        return len(self.nodes)

    def number_of_edges(self) -> int:
        return int(self.src.size)

    def is_directed(self) -> bool:
        return self.directed


def has_node_attribute(G: nx.Graph | ArrayNetwork, attr: str) -> bool:
    """Whether at least one node has attribute ``attr``."""
    if isinstance(G, ArrayNetwork):
        return attr in G.attributes.columns and bool(G.attributes[attr].notna().any())
    return any(attr in d for _, d in G.nodes(data=True))


def object_array(values: Iterable[object]) -> np.ndarray:
    """A 1-d object array of ``values``: tuples stay single items (never an array of
    arrays) and ids are not coerced."""
    items = list(values)
    arr = np.empty(len(items), dtype=object)
    arr[:] = items
    return arr


def _object_index(keys: Sequence[Hashable]) -> pd.Index:
    """Index that keeps tuples as single keys and does not coerce ids."""
    arr = object_array(keys)
    if len(arr) and all(isinstance(k, str) for k in arr):
        return pd.Index(arr, dtype=object, tupleize_cols=False)
    try:
        return pd.Index(arr, tupleize_cols=False)
    except (TypeError, ValueError):  # pragma: no cover - exotic keys
        return pd.Index(arr, dtype=object, tupleize_cols=False)


def _positions(index: pd.Index, keys: list[Hashable]) -> np.ndarray:
    arr = np.empty(len(keys), dtype=object)
    arr[:] = keys
    pos = index.get_indexer(arr)
    return pos.astype(np.int64, copy=False)


def graph_arrays(
    G: nx.Graph,
    attr: str | None = None,
    *,
    weight: str | None = None,
    nodes: Sequence[Hashable] | None = None,
) -> GraphArrays:
    """Convert ``G`` to :class:`GraphArrays` once.

    Parameters
    ----------
    G
        Any networkx graph. Multigraph parallel edges are kept as separate edges.
    attr
        Node attribute to factorise into group codes (``None``: no codes).
    weight
        Edge attribute holding weights (missing values count as 1); ``None`` gives 1.0.
    nodes
        Optional node order (must be exactly the graph's nodes); default ``list(G)``.

    Raises
    ------
    ValueError
        If ``nodes`` is not a permutation of the graph's nodes, or a weight is not numeric.
    """
    if isinstance(G, ArrayNetwork):
        if nodes is not None and list(nodes) != G.nodes:
            msg = "`nodes` must be the network's own node order for an ArrayNetwork."
            raise ValueError(msg)
        w = G.weight if weight is not None else np.ones(G.src.size, dtype=np.float64)
        codes = groups = None
        if attr is not None:
            codes, groups = group_codes(G, G.nodes, attr)
        return GraphArrays(list(G.nodes), G.src, G.dst, w, G.directed, codes, groups)
    if nodes is None:
        node_list = list(G)
    else:
        node_list = list(nodes)
        if len(node_list) != G.number_of_nodes() or set(node_list) != set(G):
            msg = "`nodes` must list every node of the graph exactly once."
            raise ValueError(msg)
    fast = _edges_fast(G, node_list, weight)
    src, dst, w = fast if fast is not None else _edges_generic(G, node_list, weight)
    codes = groups = None
    if attr is not None:
        codes, groups = group_codes(G, node_list, attr)
    return GraphArrays(node_list, src, dst, w, G.is_directed(), codes, groups)


def _weights_error(weight: str) -> ValueError:
    msg = f"edge attribute `{weight}` must be numeric for every edge."
    return ValueError(msg)


def _edges_generic(
    G: nx.Graph, node_list: list[Hashable], weight: str | None
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Edge arrays through the public ``G.edges`` API (any graph, including views)."""
    index = _object_index(node_list)
    m = G.number_of_edges()
    if weight is None:
        us, vs = (list(t) for t in zip(*G.edges(), strict=True)) if m else ([], [])
        w = np.ones(m, dtype=np.float64)
    else:
        if m:
            us, vs, ws = (list(t) for t in zip(*G.edges(data=weight, default=1), strict=True))
        else:
            us, vs, ws = [], [], []
        try:
            w = np.asarray(ws, dtype=np.float64)
        except (TypeError, ValueError) as exc:
            raise _weights_error(weight) from exc
    return _positions(index, us), _positions(index, vs), w


def _edges_fast(
    G: nx.Graph, node_list: list[Hashable], weight: str | None
) -> tuple[np.ndarray, np.ndarray, np.ndarray] | None:
    """Edge arrays read straight from the adjacency dicts, or ``None`` if not possible.

    Same edges, orientation and order as ``G.edges()`` (networkx yields an undirected
    edge from the endpoint that comes first in adjacency order), but every per-edge step
    runs in C (``map``/``chain``/``np.fromiter``), which is several times faster than
    building one tuple per edge.
    """
    adj = getattr(G, "_adj", None)
    if type(adj) is not dict:  # graph views and exotic subclasses: public API
        return None
    keys = list(adj)
    n = len(keys)
    pos = dict(zip(keys, range(n), strict=True))
    if len(pos) != len(node_list):  # pragma: no cover - inconsistent graph
        return None
    deg = np.fromiter(map(len, adj.values()), dtype=np.int64, count=n)
    nbr_dicts = adj.values()
    total = int(deg.sum())
    nbr = np.fromiter(
        map(pos.__getitem__, chain.from_iterable(nbr_dicts)), dtype=np.int64, count=total
    )
    own = np.repeat(np.arange(n, dtype=np.int64), deg)
    multi = G.is_multigraph()
    if multi:  # adj[u][v] is {key: data}: one edge per key
        per_pair = np.fromiter(
            map(len, chain.from_iterable(map(dict.values, nbr_dicts))),
            dtype=np.int64,
            count=total,
        )
        nbr = np.repeat(nbr, per_pair)
        own = np.repeat(own, per_pair)
    directed = G.is_directed()
    if not directed:  # each edge appears from both ends; keep it once
        keep = own <= nbr
        own, nbr = own[keep], nbr[keep]
    if weight is None:
        w = np.ones(own.size, dtype=np.float64)
    else:
        datas: Iterator[dict] = chain.from_iterable(map(dict.values, nbr_dicts))
        if multi:
            datas = chain.from_iterable(map(dict.values, datas))
        if not directed:  # read each edge's data once
            datas = compress(datas, keep.tolist())
        try:
            w = np.fromiter(
                map(dict.get, datas, repeat(weight), repeat(1)),
                dtype=np.float64,
                count=own.size,
            )
        except (TypeError, ValueError) as exc:
            raise _weights_error(weight) from exc
    if node_list != keys:  # caller's node order differs from adjacency order
        where = dict(zip(node_list, range(n), strict=True))
        remap = np.fromiter(map(where.__getitem__, keys), dtype=np.int64, count=n)
        own, nbr = remap[own], remap[nbr]
    return own, nbr, w


def group_codes(
    G: nx.Graph, nodes: Sequence[Hashable], attr: str
) -> tuple[np.ndarray, list[Hashable]]:
    """Factorise node attribute ``attr``: codes (``-1`` = missing) and sorted labels."""
    if isinstance(G, ArrayNetwork):
        if list(nodes) != G.nodes:
            msg = "`nodes` must be the network's own node order for an ArrayNetwork."
            raise ValueError(msg)
        if attr not in G.attributes.columns:
            return np.full(len(G.nodes), -1, dtype=np.int64), []
        return factorise(G.attributes[attr].reset_index(drop=True))
    node_data = getattr(G, "_node", None)
    if type(node_data) is dict:
        raw = list(map(methodcaller("get", attr), map(node_data.__getitem__, nodes)))
    else:  # graph views: public API
        raw = [G.nodes[n].get(attr) for n in nodes]
    return factorise(pd.Series(raw, dtype=object))


def factorise(values: pd.Series) -> tuple[np.ndarray, list[Hashable]]:
    """Codes for ``values`` in sorted label order (``-1`` = missing) and the labels."""
    codes, uniques = pd.factorize(values.astype(object), sort=False, use_na_sentinel=True)
    labels = list(uniques)
    if not labels:  # every value missing (or no values)
        return np.full(len(values), -1, dtype=np.int64), []
    try:
        order = sorted(range(len(labels)), key=lambda i: labels[i])
    except TypeError:
        order = sorted(range(len(labels)), key=lambda i: str(labels[i]))
    remap = np.empty(len(labels), dtype=np.int64)
    remap[order] = np.arange(len(labels))
    out = np.where(codes >= 0, remap[np.maximum(codes, 0)], -1).astype(np.int64)
    return out, [labels[i] for i in order]


def require_groups(arrays: GraphArrays, attr: str) -> None:
    """Raise a clear ``ValueError`` if any node lacks the group attribute."""
    assert arrays.codes is not None
    missing = np.flatnonzero(arrays.codes < 0)
    if missing.size:
        first = ", ".join(repr(arrays.nodes[i]) for i in missing[:5])
        msg = (
            f"{missing.size} node(s) have no `{attr}` attribute (first: {first}). "
            f"Set it for every node, e.g. with nx.set_node_attributes(G, values, {attr!r}), "
            "or drop those nodes with G.subgraph(...)."
        )
        raise ValueError(msg)


def check_graph(G: object) -> None:
    """Raise ``TypeError`` unless ``G`` is a networkx graph (the check every metric makes;
    the report's private :class:`ArrayNetwork` passes too)."""
    if not isinstance(G, (nx.Graph, ArrayNetwork)):
        msg = f"`G` must be a networkx graph (nx.Graph or nx.DiGraph); found {type(G).__name__}."
        raise TypeError(msg)


def check_choice(name: str, value: object, choices: tuple[str, ...]) -> None:
    """Raise ``ValueError`` unless ``value`` is one of the string ``choices``."""
    if not isinstance(value, str) or value not in choices:
        allowed = ", ".join(repr(c) for c in choices)
        msg = f"`{name}` must be one of {allowed}; found {value!r}."
        raise ValueError(msg)


def igraph_graph(n: int, src: np.ndarray, dst: np.ndarray, *, directed: bool = False):
    """A python-igraph ``Graph`` on nodes ``0..n-1`` with one edge per ``(src, dst)``.

    Converting costs about 0.6 µs per edge (python-igraph reads the pairs one by one), so
    callers convert a graph once and run every igraph kernel they need on it.
    """
    import igraph as ig

    g = ig.Graph(n=int(n), directed=directed)
    if src.size:
        g.add_edges(np.column_stack([src, dst]).astype(np.int64, copy=False))
    return g


def binary_csr(rows: np.ndarray, cols: np.ndarray, n: int) -> sp.csr_array:
    """``n x n`` 0/1 CSR matrix with a one at every (row, col); duplicates collapsed,
    indices sorted."""
    A = sp.csr_array((np.ones(rows.size), (rows, cols)), shape=(n, n), dtype=np.float64)
    A.sum_duplicates()
    A.data[:] = 1.0
    A.sort_indices()
    return A


def report_unassigned(log: logging.Logger, unassigned: list, attr: str, func: str) -> None:
    """Warn on ``log`` that ``unassigned`` people (no ``attr``) were left out of a
    contraction to groups (one wording for the pandas path and the engine)."""
    if unassigned:
        log.warning(
            "%s: %d person(s) have no `%s` and are left out of the contraction "
            "(listed in G.graph['unassigned']): %s",
            func,
            len(unassigned),
            attr,
            ", ".join(map(repr, unassigned[:10])),
        )
