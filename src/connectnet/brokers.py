"""Brokers and bridges: brokerage roles, structural holes, cross-sector reach, key bridgers.

Each measure converts its graph once with :func:`connectnet._arrays.graph_arrays` and works
on integer-coded edge arrays and ``scipy.sparse`` matrices (``bridging_table`` combines
several measures, so it reads the graph once per measure).
"""

from __future__ import annotations

import logging
from collections.abc import Hashable, Iterable
from dataclasses import dataclass, field
from typing import Literal

import networkx as nx
import numpy as np
import pandas as pd
import scipy.sparse as sp
from scipy.special import erfc

from connectnet._arrays import (
    GraphArrays,
    binary_csr,
    check_choice,
    check_graph,
    graph_arrays,
    group_codes,
    has_node_attribute,
    igraph_graph,
    require_groups,
)
from connectnet._labels import find_label
from connectnet._stats import adjust_pvalues, check_adjust
from connectnet.cohesion import _brandes as brandes_dependencies  # one Brandes kernel

__all__ = [
    "BrokerageResult",
    "CrossSectorReach",
    "bridging_risk",
    "bridging_table",
    "brokerage",
    "cross_sector_reach",
    "structural_holes",
]

logger = logging.getLogger(__name__)

#: Brokerage roles in the column order of R sna's ``brokerage()``
#: (``w_I``, ``w_O``, ``b_IO``, ``b_OI``, ``b_O``, ``t``).
_ROLES: tuple[str, ...] = (
    "coordinator",
    "itinerant",
    "representative",
    "gatekeeper",
    "liaison",
    "total",
)
_SNA_NAMES = dict(zip(_ROLES, ("w_I", "w_O", "b_IO", "b_OI", "b_O", "t"), strict=True))

#: Target number of stored entries per chunk of row-wise sparse products.
_CHUNK_NNZ = 1_000_000


# ---------------------------------------------------------------------------
# private helpers
# ---------------------------------------------------------------------------


def _check_attr(attr: object, name: str = "attr") -> None:
    if not isinstance(attr, str):
        msg = f"`{name}` must be the name of a node attribute (a str); found {attr!r}."
        raise TypeError(msg)


def _grouped(G: nx.Graph, attr: str) -> GraphArrays:
    """``graph_arrays`` with group codes; every node must have ``attr``."""
    check_graph(G)
    _check_attr(attr)
    if G.number_of_nodes() and not any(attr in d for _, d in G.nodes(data=True)):
        msg = (
            f"no node has a `{attr}` attribute. Set it for every node, e.g. with "
            f"nx.set_node_attributes(G, values, {attr!r}), or pass the right `attr`."
        )
        raise ValueError(msg)
    ga = graph_arrays(G, attr)
    require_groups(ga, attr)
    return ga


def _arcs(ga: GraphArrays) -> tuple[np.ndarray, np.ndarray]:
    """Distinct arcs without self-loops; an undirected edge gives both arcs."""
    keep = ~ga.loops
    src, dst = ga.src[keep], ga.dst[keep]
    if not ga.directed:
        src, dst = np.concatenate([src, dst]), np.concatenate([dst, src])
    n = max(ga.n, 1)
    key = _sorted_unique(src * n + dst)
    return key // n, key % n


def _sorted_unique(key: np.ndarray) -> np.ndarray:
    """``np.unique`` for int64 keys by sorting (faster than numpy 2's hash-based path)."""
    key = np.sort(key)
    if key.size:
        key = key[np.concatenate(([True], key[1:] != key[:-1]))]
    return key


def _row_chunks(A: sp.csr_array, rows: np.ndarray) -> Iterable[slice]:
    """Slices of ``rows`` so that ``A[rows[s]]`` holds about ``_CHUNK_NNZ`` entries."""
    if rows.size == 0:
        return
    cost = np.cumsum(np.diff(A.indptr)[rows])
    start = 0
    while start < rows.size:
        base = cost[start - 1] if start else 0
        stop = int(np.searchsorted(cost, base + _CHUNK_NNZ, side="right"))
        stop = max(stop, start + 1)
        yield slice(start, stop)
        start = stop


def _common_entries(
    X: sp.csr_array, Y: sp.csr_array, rows: np.ndarray, cols: np.ndarray
) -> Iterable[tuple[slice, np.ndarray, np.ndarray, np.ndarray]]:
    """For each pair ``(rows[e], cols[e])``, the columns ``w`` where both rows are non-zero.

    Yields ``(chunk, e, w, value)`` with ``e`` the pair position inside the chunk and
    ``value = X[rows[e], w] * Y[cols[e], w]``. Memory is bounded by chunking the pairs.
    """
    for chunk in _row_chunks(X, rows):
        P = X[rows[chunk]].multiply(Y[cols[chunk]]).tocsr()
        P.eliminate_zeros()
        e = np.repeat(np.arange(P.shape[0]), np.diff(P.indptr))
        yield chunk, e, P.indices.astype(np.int64, copy=False), P.data


def _count(idx: np.ndarray, n: int, weights: np.ndarray | None = None) -> np.ndarray:
    """``np.bincount`` as ``float64`` of length ``n`` (also for empty input)."""
    return np.bincount(idx, weights=weights, minlength=n).astype(np.float64, copy=False)


def _nan_ratio(num: np.ndarray | float, den: np.ndarray | float) -> np.ndarray:
    num = np.asarray(num, dtype=np.float64)
    den = np.asarray(den, dtype=np.float64)
    out = np.full(np.broadcast(num, den).shape, np.nan)
    np.divide(num, den, out=out, where=den != 0)
    return out


# ---------------------------------------------------------------------------
# brokerage
# ---------------------------------------------------------------------------


@dataclass(frozen=True, repr=False, eq=False)
class BrokerageResult:
    """Gould-Fernandez brokerage counts, expectations and z-scores.

    Node-level tables are indexed by node with one column per role (``coordinator``,
    ``itinerant``, ``representative``, ``gatekeeper``, ``liaison``, ``total``), in the order
    of R sna's ``w_I``, ``w_O``, ``b_IO``, ``b_OI``, ``b_O``, ``t``.

    Attributes
    ----------
    observed
        Role counts per node (sna ``raw.nli``).
    expected
        Expected counts per node under a Bernoulli graph of the same density with the
        node's group size (sna ``exp.nli``).
    sd
        Standard deviations per node (sna ``sd.nli``).
    z
        ``(observed - expected) / sd`` per node (sna ``z.nli``; NaN where ``sd`` is 0).
    network
        One row per role with columns ``observed``, ``expected``, ``sd``, ``z``,
        ``p_value`` (sna ``raw.gli``, ``exp.gli``, ``sd.gli``, ``z.gli``; the p-value is
        the two-sided normal approximation) and ``p_adjusted`` (``adjust`` over the six
        roles).
    groups
        Expected counts and standard deviations per group (sna ``exp.grp``, ``sd.grp``):
        columns ``(statistic, role)``.
    density
        Arc density used for the expectations, arcs / (n (n - 1)).
    node_p_value, node_p_adjusted
        Two-sided normal p-values of the node z-scores (node x role), and the same
        adjusted by ``adjust`` over the nodes, role by role: testing every node at once
        finds some "significant broker" by chance unless adjusted.
    adjust
        ``"holm"``, ``"fdr_bh"`` or ``None``.
    """

    observed: pd.DataFrame
    expected: pd.DataFrame
    sd: pd.DataFrame
    z: pd.DataFrame
    network: pd.DataFrame
    groups: pd.DataFrame
    density: float
    node_p_value: pd.DataFrame
    node_p_adjusted: pd.DataFrame
    adjust: str | None
    attr: str = "sector"

    @property
    def p_value(self) -> pd.Series:
        """Two-sided normal-approximation p-value of each network-level z-score."""
        return self.network["p_value"]

    def to_frame(self) -> pd.DataFrame:
        """Node table: the role counts, then one ``<role>_z`` column per role."""
        z = self.z.add_suffix("_z")
        return pd.concat([self.observed, z], axis=1)

    def __repr__(self) -> str:
        n = len(self.observed)
        lines = [
            f"BrokerageResult(attr={self.attr!r}, nodes={n}, density={self.density:.4g})",
            self.network.to_string(float_format=lambda v: f"{v:.4g}"),
        ]
        return "\n".join(lines)


def _brokerage_counts(src: np.ndarray, dst: np.ndarray, cl: np.ndarray, n: int) -> np.ndarray:
    """Open 2-path role counts per broker, an ``n x 6`` array in :data:`_ROLES` order.

    A 2-path ``i -> j -> k`` (``i != k``) with no arc ``i -> k`` makes ``j`` a broker.
    Counts are all 2-paths through ``j`` minus the reciprocated ones (``i == k``) minus the
    closed ones (arc ``i -> k``), split by the groups of ``i``, ``j`` and ``k``.
    """
    A = binary_csr(src, dst, n)
    ci, cj = cl[src], cl[dst]  # arc e = (i -> j): groups of its tail and head
    indeg = _count(dst, n).astype(np.float64)
    outdeg = _count(src, n).astype(np.float64)
    same = ci == cj
    # in-arcs of j from j's own group; out-arcs of i to i's own group
    ein_c = _count(dst, n, same)
    eout_c = _count(src, n, same)
    # reciprocated arcs i -> j with j -> i, counted at the head j
    recip = np.isin(dst * n + src, src * n + dst, assume_unique=True, kind="sort")
    r_all = _count(dst, n, recip)
    r_c = _count(dst, n, recip & same)
    # sum over groups a of Ein[j, a] * Eout[j, a]
    G = int(cl.max()) + 1 if cl.size else 1
    Ein = sp.csr_array((np.ones(src.size), (dst, ci)), shape=(n, G))
    Eout = sp.csr_array((np.ones(src.size), (src, cj)), shape=(n, G))
    prod_all = np.asarray(Ein.multiply(Eout).sum(axis=1)).ravel()
    # closed 2-paths: for arc e = (i -> j), common out-neighbours k of i and j
    closed_cc = np.zeros(n)  # i, k in j's group
    closed_cn = np.zeros(n)  # i in j's group, k not
    closed_nc = np.zeros(n)  # k in j's group, i not
    closed_aa = np.zeros(n)  # i, k in the same group, not j's
    closed_all = np.zeros(n)
    for chunk, e, k, _ in _common_entries(A, A, src, dst):
        heads = dst[chunk][e]
        gk = cl[k]
        k_in_j = gk == cl[heads]
        i_in_j = same[chunk][e]
        k_in_i = gk == ci[chunk][e]
        closed_all += _count(heads, n)
        closed_cc += _count(heads, n, k_in_j & i_in_j)
        closed_cn += _count(heads, n, ~k_in_j & i_in_j)
        closed_nc += _count(heads, n, k_in_j & ~i_in_j)
        closed_aa += _count(heads, n, k_in_i & ~i_in_j)
    out = np.empty((n, 6))
    out[:, 0] = ein_c * eout_c - r_c - closed_cc
    out[:, 1] = (prod_all - ein_c * eout_c) - (r_all - r_c) - closed_aa
    out[:, 2] = ein_c * (outdeg - eout_c) - closed_cn
    out[:, 3] = (indeg - ein_c) * eout_c - closed_nc
    out[:, 5] = indeg * outdeg - r_all - closed_all
    out[:, 4] = out[:, 5] - out[:, :4].sum(axis=1)
    return out


def _brokerage_expectations(
    sizes: np.ndarray, N: float, d: float
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Per-group and network expectations and variances, as R sna 2.7 computes them."""
    n = sizes.astype(np.float64)
    g = n.size
    base = d**2 * (1 - d)
    c3 = d**3 * (1 - d) ** 3
    c4 = d**4 * (1 - d) ** 2
    c5 = d**5 * (1 - d)
    others = ~np.eye(g, dtype=bool)

    def choose2(x: np.ndarray | float) -> np.ndarray:
        x = np.asarray(x, dtype=np.float64)
        return np.where(x >= 2, x * (x - 1) / 2, 0.0)

    ebr = np.zeros((g, 6))
    vbr = np.zeros((g, 6))
    for i in range(g):
        ni, nj = n[i], n[others[i]]
        ebr[i, 0] = base * (ni - 1) * (ni - 2)
        vbr[i, 0] = ebr[i, 0] * (1 - base) + 2 * (ni - 1) * (ni - 2) * (ni - 3) * c3
        ebr[i, 1] = base * np.sum(nj * (nj - 1))
        vbr[i, 1] = ebr[i, 1] * (1 - base) + 2 * np.sum(nj * (nj - 1) * (nj - 2)) * c3
        ebr[i, 2] = base * (N - ni) * (ni - 1)
        vbr[i, 2] = (
            ebr[i, 2] * (1 - base)
            + 2 * ((ni - 1) * choose2(N - ni) + (N - ni) * choose2(ni - 1)) * c3
        )
        ebr[i, 3] = ebr[i, 2]
        vbr[i, 3] = vbr[i, 2]
        ebr[i, 4] = base * (np.sum(np.outer(nj, nj)) - np.sum(nj**2))
        vbr[i, 4] = ebr[i, 4] * (1 - base) + 4 * np.sum(nj * choose2(N - nj - ni) * c3)
        ebr[i, 5] = base * (N - 1) * (N - 2)
        vbr[i, 5] = ebr[i, 5] * (1 - base) + 2 * (N - 1) * (N - 2) * (N - 3) * c3

    egbr = np.zeros(6)
    vgbr = np.zeros(6)
    egbr[0] = base * np.sum(n * (n - 1) * (n - 2))
    vgbr[0] = egbr[0] * (1 - base) + np.sum(
        n * (n - 1) * (n - 2) * ((4 * n - 10) * c3 - 4 * (n - 3) * c4 + (n - 3) * c5)
    )
    egbr[1] = base * np.sum(n * (N - n) * (n - 1))
    x, y = n[:, None], n[None, :]
    outer = x * y * (x - 1) * ((2 * x + 2 * y - 6) * c3 + (N - x - 1) * c5)
    vgbr[1] = egbr[1] * (1 - base) + (
        np.sum(outer) - np.sum(n * n * (n - 1) * ((4 * n - 6) * c3 + (N - n - 1) * c5))
    )
    egbr[2] = base * np.sum(n * (N - n) * (n - 1))
    vgbr[2] = egbr[2] * (1 - base) + np.sum(n * (N - n) * (n - 1) * ((N - 3) * c3 + (n - 2) * c5))
    egbr[3] = egbr[2]
    vgbr[3] = vgbr[2]
    egbr[4] = base * (np.sum(x * y * (N - x - y)) - np.sum(n * n * (N - 2 * n)))
    # triple sum over distinct groups i, j, k
    ni_, nj_, nk_ = n[:, None, None], n[None, :, None], n[None, None, :]
    distinct = others[:, :, None] & others[None, :, :] & others[:, None, :]
    terms = (
        ni_
        * nj_
        * nk_
        * (
            (4 * (N - nj_) - 2 * (ni_ + nk_ + 1)) * c3
            - (4 * (N - nk_) - 2 * (ni_ + nj_ + 1)) * c4
            + (N - (ni_ + nk_ + 1)) * c5
        )
    )
    vgbr[4] = egbr[4] * (1 - base) + np.sum(np.where(distinct, terms, 0.0))
    egbr[5] = base * N * (N - 1) * (N - 2)
    vgbr[5] = egbr[5] * (1 - base) + N * (N - 1) * (N - 2) * (
        (4 * N - 10) * c3 - 4 * (N - 3) * c4 + (N - 3) * c5
    )
    return ebr, vbr, egbr, vgbr


def _sqrt(v: np.ndarray) -> np.ndarray:
    """Square root with NaN for negative values (as R gives), without a warning."""
    v = np.asarray(v, dtype=np.float64)
    out = np.full(v.shape, np.nan)
    np.sqrt(v, out=out, where=v >= 0)
    return out


def _normal_p(z: np.ndarray) -> np.ndarray:
    """Two-sided normal p-values ``erfc(|z| / sqrt 2)``; ``nan`` where ``z`` is not finite."""
    z = np.asarray(z, dtype=np.float64)
    out = np.full(z.shape, np.nan)
    ok = np.isfinite(z)
    out[ok] = erfc(np.abs(z[ok]) / np.sqrt(2))
    return out


def brokerage(
    G: nx.Graph, attr: str = "sector", *, adjust: str | None = "holm"
) -> BrokerageResult:
    r"""Gould and Fernandez brokerage roles of every node, with expectations and z-scores.

    A node :math:`j` *brokers* for the ordered pair :math:`(i, k)` when there are arcs
    :math:`i \to j` and :math:`j \to k` but no arc :math:`i \to k` (:math:`i \ne k`). With
    :math:`g(\cdot)` the group of a node, each such open 2-path gives :math:`j` one role:

    ==============  ===========================  =====
    role            groups                       sna
    ==============  ===========================  =====
    coordinator     :math:`g(i) = g(j) = g(k)`   w_I
    itinerant       :math:`g(i) = g(k) \ne g(j)` w_O
    representative  :math:`g(i) = g(j) \ne g(k)` b_IO
    gatekeeper      :math:`g(i) \ne g(j) = g(k)` b_OI
    liaison         all three groups differ      b_O
    total           sum of the five              t
    ==============  ===========================  =====

    Expected counts and variances are those of R sna's ``brokerage()`` under a Bernoulli
    graph with the observed arc density :math:`d = m / (n (n - 1))`, where each path
    contributes :math:`d^2 (1 - d)`; e.g. a node in a group of size :math:`n_g` expects
    :math:`d^2 (1 - d) (n_g - 1)(n_g - 2)` coordinator paths, and the network
    :math:`d^2(1-d) n (n-1)(n-2)` open 2-paths in all.

    Parameters
    ----------
    G
        Directed or undirected graph. Edge weights are ignored.
    attr
        Node attribute holding each node's group (every node must have one).
    adjust
        Multiple-testing adjustment of the p-values (roles, and nodes within a role):
        ``"holm"`` (default), ``"fdr_bh"`` or ``None``.

    Returns
    -------
    BrokerageResult
        ``observed``, ``expected``, ``sd``, ``z`` (node x role DataFrames), ``network``
        (role x statistic DataFrame), ``groups`` and ``density``; ``to_frame()`` gives
        the node counts with z-scores.

    Raises
    ------
    TypeError
        If ``G`` is not a networkx graph or ``attr`` is not a string.
    ValueError
        If a node lacks ``attr`` or the graph has fewer than 3 nodes.

    Examples
    --------
    >>> import networkx as nx
    >>> import connectnet as cn
    >>> G = nx.DiGraph([("gov", "nurse"), ("nurse", "gp")])
    >>> nx.set_node_attributes(G, {"gov": "prison", "nurse": "prison", "gp": "nhs"}, "sector")
    >>> res = cn.brokerage(G)
    >>> float(res.observed.loc["nurse", "representative"])
    1.0
    >>> int(res.network.loc["total", "observed"])
    1

    Notes
    -----
    Counts agree exactly, and expectations and z-scores to rounding, with
    ``sna::brokerage(g, cl)`` (sna 2.7) on the same graph.

    * **Undirected graphs** are treated as reciprocated arcs, exactly as sna treats a
      symmetric adjacency matrix: each edge is two arcs (so :math:`m = 2|E|` in the
      density), and each open 2-path :math:`i - j - k` is counted twice, once per
      direction. Representative and gatekeeper counts are then equal.
    * Self-loops and edge weights are ignored; parallel edges of a multigraph count once.
      (sna counts self-loops in the density, so compare on loop-free graphs.)
    * A group with one or two members cannot host coordinator paths: its expectation
      and standard deviation are 0 and the z-score is NaN (0/0), as in sna. The same
      holds for every role in an empty or complete graph. With a single group only
      coordinator roles exist.
    * The z-scores use a normal approximation to counts of dependent paths; treat them as
      descriptive (Gould and Fernandez 1989), especially in small or sparse graphs.

    References
    ----------
    Gould, R. V. and Fernandez, R. M. (1989). Structures of mediation: a formal approach
    to brokerage in transaction networks. *Sociological Methodology* 19, 89-126.

    Butts, C. T. (2008). Social network analysis with sna. *Journal of Statistical
    Software* 24(6).
    """
    check_adjust(adjust)
    ga = _grouped(G, attr)
    n = ga.n
    if n < 3:
        msg = f"`brokerage` needs a graph with at least 3 nodes; found {n}."
        raise ValueError(msg)
    assert ga.codes is not None
    assert ga.groups is not None
    cl = ga.codes
    src, dst = _arcs(ga)
    raw = _brokerage_counts(src, dst, cl, n)

    N = float(n)
    d = src.size / (N * (N - 1))
    sizes = np.bincount(cl, minlength=len(ga.groups))
    present = sizes > 0
    ebr, vbr, egbr, vgbr = _brokerage_expectations(sizes[present], N, d)
    # map each node's code to its row among the present groups
    row_of = np.cumsum(present) - 1
    exp_nli = ebr[row_of[cl]]
    sd_nli = _sqrt(vbr[row_of[cl]])
    with np.errstate(divide="ignore", invalid="ignore"):
        z_nli = (raw - exp_nli) / sd_nli
        gbr = raw.sum(axis=0)
        sd_gli = _sqrt(vgbr)
        z_gli = (gbr - egbr) / sd_gli
    # two-sided normal p-value, 2 * (1 - Phi(|z|)) = erfc(|z| / sqrt 2)
    p = _normal_p(z_gli)
    p_nodes = _normal_p(z_nli)
    p_nodes_adj = (
        np.column_stack([adjust_pvalues(p_nodes[:, k], adjust) for k in range(p_nodes.shape[1])])
        if p_nodes.size
        else p_nodes
    )

    cols = pd.Index(_ROLES, name="role")
    index = ga.index

    def frame(values: np.ndarray) -> pd.DataFrame:
        return pd.DataFrame(values, index=index, columns=cols)

    network = pd.DataFrame(
        {
            "observed": gbr,
            "expected": egbr,
            "sd": sd_gli,
            "z": z_gli,
            "p_value": p,
            "p_adjusted": adjust_pvalues(p, adjust),
        },
        index=cols,
    )
    labels = [ga.groups[i] for i in np.flatnonzero(present)]
    gindex = pd.Index(labels, name=attr, dtype=object)
    groups = pd.concat(
        {
            "expected": pd.DataFrame(ebr, index=gindex, columns=cols),
            "sd": pd.DataFrame(_sqrt(vbr), index=gindex, columns=cols),
        },
        axis=1,
        names=["statistic", "role"],
    )
    return BrokerageResult(
        observed=frame(raw),
        expected=frame(exp_nli),
        sd=frame(sd_nli),
        z=frame(z_nli),
        network=network,
        groups=groups,
        density=float(d),
        node_p_value=frame(p_nodes),
        node_p_adjusted=frame(p_nodes_adj),
        adjust=adjust,
        attr=attr,
    )


# ---------------------------------------------------------------------------
# structural holes
# ---------------------------------------------------------------------------


def _collapsed(ga: GraphArrays) -> GraphArrays:
    """``ga`` with parallel edges merged into one edge of weight 1 (arcs kept apart)."""
    key = ga.src * max(ga.n, 1) + ga.dst
    if not ga.directed:
        key = np.minimum(ga.src, ga.dst) * max(ga.n, 1) + np.maximum(ga.src, ga.dst)
    _, first = np.unique(key, return_index=True)
    first.sort()
    return GraphArrays(
        ga.nodes,
        ga.src[first],
        ga.dst[first],
        np.ones(first.size),
        ga.directed,
        ga.codes,
        ga.groups,
    )


def _mutual(ga: GraphArrays) -> sp.csr_array:
    """Symmetric mutual-weight matrix ``M = W + W^T`` without self-loops."""
    keep = ~ga.loops
    src, dst, w = ga.src[keep], ga.dst[keep], ga.weight[keep]
    if w.size and not (np.all(np.isfinite(w)) and np.all(w > 0)):
        bad = int(np.sum(~(np.isfinite(w) & (w > 0))))
        msg = (
            f"edge weights must be positive finite numbers; found {bad} edge(s) with a "
            "zero, negative or missing weight. Drop those edges or pass `weight=None`."
        )
        raise ValueError(msg)
    rows = np.concatenate([src, dst])
    cols = np.concatenate([dst, src])
    data = np.concatenate([w, w])
    M = sp.csr_array((data, (rows, cols)), shape=(ga.n, ga.n))
    M.sum_duplicates()
    M.sort_indices()
    return M


def structural_holes(G: nx.Graph, *, weight: str | None = None) -> pd.DataFrame:
    r"""Burt's structural-hole measures for every node: effective size, efficiency,
    constraint and hierarchy.

    With mutual weights :math:`a_{ij} = w_{ij} + w_{ji}` (ties in either direction),
    proportional tie strength :math:`p_{ij} = a_{ij} / \sum_k a_{ik}` and
    :math:`m_{jq} = a_{jq} / \max_k a_{jk}`, for node :math:`i` with contacts
    :math:`N(i)`:

    .. math::

        \mathrm{effective\_size}_i = \sum_{j \in N(i)}
            \Bigl(1 - \sum_{q} p_{iq} m_{jq}\Bigr), \qquad
        \mathrm{efficiency}_i = \frac{\mathrm{effective\_size}_i}{|N(i)|}

        c_{ij} = \Bigl(p_{ij} + \sum_{q} p_{iq} p_{qj}\Bigr)^2, \qquad
        \mathrm{constraint}_i = \sum_{j \in N(i)} c_{ij}

        \mathrm{hierarchy}_i = \frac{\sum_{j \in N(i)} r_{ij} \ln r_{ij}}
            {|N(i)| \ln |N(i)|}, \qquad r_{ij} = \frac{c_{ij}}{\mathrm{constraint}_i / |N(i)|}

    Parameters
    ----------
    G
        Directed or undirected graph; a directed tie in either direction makes a contact.
    weight
        Edge attribute with positive tie strengths (``None``: every tie weighs 1).

    Returns
    -------
    pandas.DataFrame
        Indexed by node (graph order), columns ``effective_size``, ``efficiency``,
        ``constraint``, ``hierarchy``.

    Raises
    ------
    TypeError
        If ``G`` is not a networkx graph.
    ValueError
        If a weight is zero, negative, missing (NaN) or not numeric.

    Examples
    --------
    >>> import networkx as nx
    >>> import connectnet as cn
    >>> holes = cn.structural_holes(nx.star_graph(3))
    >>> holes.loc[0].round(3).to_dict()
    {'effective_size': 3.0, 'efficiency': 1.0, 'constraint': 0.333, 'hierarchy': 0.0}

    Notes
    -----
    Constraint equals networkx's ``constraint`` and effective size equals networkx's
    per-node ``effective_size(G, nodes=list(G))`` (to rounding), which follow Burt.
    networkx's default all-nodes ``effective_size`` (no ``nodes=``) divides by column
    instead of row maxima, so it differs on weighted or directed graphs (networkx
    PR #8906); networkx also gives NaN to a directed node with in-arcs only, where Burt's
    measures are defined (every contact counts, in either direction). Efficiency divides
    by the number of distinct contacts.

    * Reading: constraint runs from about :math:`1/|N(i)|` (many unconnected contacts,
      a broker spanning holes) up to 1 and beyond (one contact, or contacts all tied to
      each other). Effective size is the number of non-redundant contacts; efficiency is
      its share of all contacts. Hierarchy is 0 when constraint is spread evenly over
      contacts and approaches 1 when it comes from one contact.
    * Isolates (including nodes with only self-loops) get NaN for every measure.
      Hierarchy is NaN for nodes with one contact (:math:`0 / 0`).
    * Self-loops are ignored. Parallel edges of a multigraph count once (binary ties,
      as in cohesion) unless ``weight`` is given, when their weights are summed.
    * Pitfall: constraint grows with density and falls with degree, so compare nodes of
      similar degree or report effective size alongside.

    References
    ----------
    Burt, R. S. (1992). *Structural Holes: The Social Structure of Competition*. Harvard
    University Press.

    Borgatti, S. P. (1997). Structural holes: unpacking Burt's redundancy measures.
    *Connections* 20(1), 35-38.
    """
    check_graph(G)
    ga = graph_arrays(G, weight=weight)
    # without weights a tie is a tie: a multigraph's parallel edges count once
    M = _mutual(_collapsed(ga) if weight is None and G.is_multigraph() else ga)
    n = ga.n
    s = np.asarray(M.sum(axis=1)).ravel()  # row sums
    deg = np.diff(M.indptr).astype(np.float64)
    mx = M.max(axis=1).toarray().ravel() if n else np.zeros(0)
    # one pass over each undirected pair {i, j} (i < j) for the shared-contact sums
    U = sp.triu(M, k=1, format="coo")
    ui, uj = U.row.astype(np.int64), U.col.astype(np.int64)
    s0 = np.zeros(ui.size)  # sum_q a_iq a_jq
    s1 = np.zeros(ui.size)  # sum_q a_iq a_jq / s_q
    inv_s = _nan_ratio(1.0, s)
    for chunk, e, q, val in _common_entries(M, M, ui, uj):
        size = chunk.stop - chunk.start
        s0[chunk] += _count(e, size, val)
        s1[chunk] += _count(e, size, val * inv_s[q])
    # both directions of every pair: (i, j) and (j, i)
    rows = np.concatenate([ui, uj])
    cols = np.concatenate([uj, ui])
    a = np.concatenate([U.data, U.data])
    S0 = np.concatenate([s0, s0])
    S1 = np.concatenate([s1, s1])
    with np.errstate(divide="ignore", invalid="ignore"):
        local = ((a + S1) / s[rows]) ** 2
        redundancy = S0 / (s[rows] * mx[cols])
    constraint = _count(rows, n, local)
    eff = deg - _count(rows, n, redundancy)
    efficiency = _nan_ratio(eff, deg)
    # hierarchy: Coleman-Theil disorder of the local constraints
    mean_c = _nan_ratio(constraint, deg)
    r = _nan_ratio(local, mean_c[rows])
    rlogr = np.zeros_like(r)
    np.multiply(r, np.log(r, out=np.zeros_like(r), where=r > 0), out=rlogr, where=r > 0)
    num = _count(rows, n, rlogr)
    den = deg * np.log(np.where(deg > 0, deg, 1.0))
    hierarchy = _nan_ratio(num, den)
    isolated = deg == 0
    for arr in (constraint, eff):
        arr[isolated] = np.nan
    out = pd.DataFrame(
        {
            "effective_size": eff,
            "efficiency": efficiency,
            "constraint": constraint,
            "hierarchy": hierarchy,
        },
        index=ga.index,
    )
    return out


# ---------------------------------------------------------------------------
# cross-sector reach
# ---------------------------------------------------------------------------


@dataclass(frozen=True, repr=False, eq=False)
class CrossSectorReach:
    """Which ``source``-group nodes reach a ``target``-group node, and how far away.

    Attributes
    ----------
    share
        Share of source nodes that reach an eligible target in at most ``max_steps``.
    reached, not_reached
        Source nodes (graph order) that do and do not reach one.
    distance
        Steps from each source node to its nearest eligible target (NaN if none within
        ``max_steps``), indexed by source node.
    source, target, within, max_steps, direction
        The question asked.
    """

    share: float
    reached: list[Hashable]
    not_reached: list[Hashable]
    distance: pd.Series = field(repr=False)
    source: tuple[Hashable, ...] = ()
    target: tuple[Hashable, ...] = ()
    attr: str = "sector"
    within: str | None = None
    max_steps: int | None = 1
    direction: str = "all"

    @property
    def n_source(self) -> int:
        """Number of source-group nodes."""
        return len(self.reached) + len(self.not_reached)

    def to_frame(self) -> pd.DataFrame:
        """One row per source node: ``reached`` (bool) and ``distance`` (float)."""
        return pd.DataFrame({"reached": self.distance.notna(), "distance": self.distance})

    def __repr__(self) -> str:
        steps = "any number of" if self.max_steps is None else f"<= {self.max_steps}"
        src = "/".join(map(str, self.source))
        tgt = "/".join(map(str, self.target))
        where = f" in the same `{self.within}`" if self.within else ""
        return (
            f"CrossSectorReach(share={self.share:.3f}: {len(self.reached)} of "
            f"{self.n_source} {src!r} nodes reach a {tgt!r} node{where} in {steps} steps)"
        )


def _present_label(label: Hashable, groups: list[Hashable]) -> Hashable:
    """The group ``label`` means, ignoring case and spacing (itself when none matches)."""
    found = find_label(label, groups)
    return label if found is None else found


def _labels(value: object, name: str) -> tuple[Hashable, ...]:
    if isinstance(value, (list, tuple, set, frozenset)):
        labels = tuple(value)
        if not labels:
            msg = f"`{name}` must name at least one group; found an empty collection."
            raise ValueError(msg)
        return labels
    return (value,)  # type: ignore[return-value]


@dataclass(frozen=True, eq=False)
class _ReachSetup:
    ga: GraphArrays
    prop: sp.csr_array  # prop[v, w] = 1 if v can step to w
    sources: np.ndarray  # node positions of source nodes
    seeds: np.ndarray  # (n x R) bool: eligible targets per region column
    src_col: np.ndarray  # region column of each source node
    source: tuple[Hashable, ...]
    target: tuple[Hashable, ...]


def _reach_setup(
    G: nx.Graph,
    attr: str,
    source: object,
    target: object,
    within: str | None,
    max_steps: int | None,
    direction: str,
) -> _ReachSetup:
    check_graph(G)
    _check_attr(attr)
    if within is not None:
        _check_attr(within, "within")
    check_choice("direction", direction, ("all", "out", "in"))
    if max_steps is not None and (
        isinstance(max_steps, bool) or not isinstance(max_steps, (int, np.integer))
    ):
        msg = f"`max_steps` must be a positive int or None; found {max_steps!r}."
        raise TypeError(msg)
    if max_steps is not None and max_steps < 1:
        msg = f"`max_steps` must be at least 1 (or None for any distance); found {max_steps}."
        raise ValueError(msg)
    src_labels = _labels(source, "source")
    tgt_labels = _labels(target, "target")
    overlap = set(src_labels) & set(tgt_labels)
    if overlap:
        both = sorted(overlap, key=str)
        msg = f"`source` and `target` must name different groups; both include {both!r}."
        raise ValueError(msg)
    if not has_node_attribute(G, attr):
        msg = f"no node has a `{attr}` attribute; pass the node attribute holding the groups."
        raise ValueError(msg)
    ga = graph_arrays(G, attr)
    assert ga.codes is not None
    assert ga.groups is not None
    # labels typed in another case or spacing ("Prison") name the group ("prison")
    src_labels, tgt_labels = (
        tuple(dict.fromkeys(_present_label(lab, ga.groups) for lab in labels))
        for labels in (src_labels, tgt_labels)
    )
    overlap = set(src_labels) & set(tgt_labels)
    if overlap:
        both = sorted(overlap, key=str)
        msg = f"`source` and `target` must name different groups; both include {both!r}."
        raise ValueError(msg)
    present = set(ga.groups)
    for name, labels in (("source", src_labels), ("target", tgt_labels)):
        missing = [lab for lab in labels if lab not in present]
        if len(missing) == len(labels):
            known = ", ".join(repr(g) for g in ga.groups)
            msg = (
                f"no node has `{attr}` equal to {missing[0]!r} (`{name}`); "
                f"groups present: {known or 'none'}."
            )
            raise ValueError(msg)
        if missing:  # a list of groups, some absent here (e.g. not yet invited in a wave)
            logger.warning(
                "`%s` groups with no members in this graph, counted as empty: %s",
                name,
                ", ".join(map(repr, missing)),
            )
    lookup = {g: i for i, g in enumerate(ga.groups)}
    is_src = np.isin(ga.codes, [lookup[g] for g in src_labels if g in lookup])
    is_tgt = np.isin(ga.codes, [lookup[g] for g in tgt_labels if g in lookup])
    n = ga.n
    if within is None:
        region = np.zeros(n, dtype=np.int64)
    else:
        region, _ = group_codes(G, ga.nodes, within)
        lacking = np.flatnonzero((is_src | is_tgt) & (region < 0))
        if lacking.size:
            first = ", ".join(repr(ga.nodes[i]) for i in lacking[:5])
            msg = (
                f"{lacking.size} source or target node(s) have no `{within}` attribute "
                f"(first: {first}); set it for them or pass `within=None`."
            )
            raise ValueError(msg)
    sources = np.flatnonzero(is_src)
    R = int(region.max()) + 1 if n else 1
    seeds = np.zeros((n, max(R, 1)), dtype=bool)
    tg = np.flatnonzero(is_tgt)
    seeds[tg, region[tg]] = True
    src, dst = _arcs(ga)
    if direction == "in":
        src, dst = dst, src
    elif direction == "all" and ga.directed:
        src, dst = np.concatenate([src, dst]), np.concatenate([dst, src])
    prop = binary_csr(src, dst, n)
    return _ReachSetup(ga, prop, sources, seeds, region[sources], src_labels, tgt_labels)


def _reach_distance(
    setup: _ReachSetup, max_steps: int | None, removed: np.ndarray | None = None
) -> np.ndarray:
    """Steps from each source node to its nearest eligible target (inf if none).

    ``removed``: boolean mask of nodes deleted from the graph (they neither reach nor
    relay, and their own distance is reported as inf).
    """
    X = setup.seeds.copy()
    if removed is not None:
        X[removed] = False
    dist = np.full(setup.sources.size, np.inf)
    limit = max_steps if max_steps is not None else setup.ga.n
    Xf = X.astype(np.float32)
    for step in range(1, limit + 1):
        grown = (setup.prop @ Xf) > 0
        if removed is not None:
            grown[removed] = False
        new = grown & ~X
        if not new.any():
            break
        X |= new
        hit = new[setup.sources, setup.src_col] & ~np.isfinite(dist)
        dist[hit] = step
        Xf = X.astype(np.float32)
    if removed is not None:
        dist[removed[setup.sources]] = np.inf
    return dist


def cross_sector_reach(
    G: nx.Graph,
    attr: str,
    source: Hashable | Iterable[Hashable],
    target: Hashable | Iterable[Hashable],
    *,
    within: str | None = None,
    max_steps: int | None = 1,
    direction: Literal["all", "out", "in"] = "all",
) -> CrossSectorReach:
    r"""Share of ``source``-group nodes linked to a ``target``-group node within a few steps.

    .. math::

        \mathrm{reach} = \frac{|\{s \in S : \exists t \in T_s,\ d(s, t) \le k\}|}{|S|}

    where :math:`S` is the set of source-group nodes, :math:`T_s` the target-group nodes
    (with the same value of ``within`` as :math:`s` when ``within`` is given), :math:`d`
    the shortest-path length (any intermediaries allowed) and :math:`k` = ``max_steps``.

    Parameters
    ----------
    G
        Person or organisation graph, directed or undirected.
    attr
        Node attribute holding the group (e.g. ``"sector"``).
    source, target
        Group label, or a list of labels, for the two sides; they must not overlap.
    within
        Node attribute (e.g. ``"region"``): only targets with the source's value count.
    max_steps
        Longest path allowed (1 = direct ties); ``None`` for any distance.
    direction
        On a directed graph: ``"all"`` ignores arc direction, ``"out"`` follows arcs from
        source to target, ``"in"`` from target to source. Ignored for undirected graphs.

    Returns
    -------
    CrossSectorReach
        ``share`` (float), ``reached`` and ``not_reached`` (lists of source nodes),
        ``distance`` (Series) and ``to_frame()``.

    Raises
    ------
    TypeError
        If ``G`` is not a networkx graph, or ``max_steps`` is not an int or None.
    ValueError
        If no node has a ``source`` or ``target`` label, the two overlap, ``max_steps``
        is below 1, a source or target node lacks ``within``, or ``direction`` is unknown.

    Examples
    --------
    >>> import networkx as nx
    >>> import connectnet as cn
    >>> G = nx.Graph([("HMP A", "Trust A"), ("HMP B", "CCG")])
    >>> sector = {"HMP A": "prison", "HMP B": "prison", "Trust A": "nhs", "CCG": "nhs"}
    >>> region = {"HMP A": "north", "HMP B": "south", "Trust A": "north", "CCG": "north"}
    >>> nx.set_node_attributes(G, sector, "sector")
    >>> nx.set_node_attributes(G, region, "region")
    >>> cn.cross_sector_reach(G, "sector", "prison", "nhs").share
    1.0
    >>> r = cn.cross_sector_reach(G, "sector", "prison", "nhs", within="region")
    >>> r.share, r.not_reached
    (0.5, ['HMP B'])

    Notes
    -----
    * Paths may pass through any node, including nodes of other groups or without
      ``attr``; nodes without ``attr`` are never sources or targets.
    * With ``within``, a target in another region does not count even if it is adjacent.
    * Removing a node never increases reach (tested), which :func:`bridging_risk` uses.
    * Pitfall: with ``max_steps`` >= 2 almost every node of a connected graph reaches
      every sector; reach is most informative at 1 (direct links) or 2 (one introduction).

    References
    ----------
    Granovetter, M. S. (1973). The strength of weak ties. *American Journal of Sociology*
    78(6), 1360-1380 (reach through intermediaries).
    """
    setup = _reach_setup(G, attr, source, target, within, max_steps, direction)
    dist = _reach_distance(setup, max_steps)
    nodes = setup.ga.nodes
    ok = np.isfinite(dist)
    reached = [nodes[i] for i in setup.sources[ok]]
    not_reached = [nodes[i] for i in setup.sources[~ok]]
    share = float(ok.mean()) if ok.size else float("nan")
    index = setup.ga.index[setup.sources]
    distance = pd.Series(np.where(ok, dist, np.nan), index=index, name="distance")
    return CrossSectorReach(
        share=share,
        reached=reached,
        not_reached=not_reached,
        distance=distance,
        source=setup.source,
        target=setup.target,
        attr=attr,
        within=within,
        max_steps=max_steps,
        direction=direction,
    )


def bridging_risk(
    G: nx.Graph,
    attr: str,
    source: Hashable | Iterable[Hashable],
    target: Hashable | Iterable[Hashable],
    *,
    within: str | None = None,
    max_steps: int | None = 1,
    direction: Literal["all", "out", "in"] = "all",
) -> pd.DataFrame:
    r"""How much cross-sector reach each node holds up: the succession risk if it leaves.

    For each node :math:`v`, the reach question of :func:`cross_sector_reach` is asked again
    on :math:`G - v`:

    .. math::

        \mathrm{sources\_cut\_off}_v = |\{s \in S \setminus \{v\} :
            s \text{ reaches } T_s \text{ in } G \text{ but not in } G - v\}|

        \mathrm{reach\_drop}_v = \mathrm{reach}(G) - \mathrm{reach}(G - v)

    Parameters
    ----------
    G
        Person or organisation graph, directed or undirected.
    attr, source, target, within, max_steps, direction
        As in :func:`cross_sector_reach`.

    Returns
    -------
    pandas.DataFrame
        One row per node, columns ``sources_cut_off`` (int), ``reach_drop`` (float) and
        ``share_without`` (reach in :math:`G - v`), sorted by ``sources_cut_off`` then
        ``reach_drop``, both descending (ties keep graph order). ``attrs["share"]`` holds
        the reach of the whole graph.

    Raises
    ------
    TypeError, ValueError
        As :func:`cross_sector_reach`.

    Examples
    --------
    >>> import networkx as nx
    >>> import connectnet as cn
    >>> G = nx.Graph([("HMP A", "Trust"), ("HMP B", "Trust"), ("HMP C", "GP")])
    >>> sector = {"HMP A": "prison", "HMP B": "prison", "HMP C": "prison",
    ...           "Trust": "nhs", "GP": "nhs"}
    >>> nx.set_node_attributes(G, sector, "sector")
    >>> risk = cn.bridging_risk(G, "sector", "prison", "nhs")
    >>> risk.loc["Trust"].round(3).to_dict()
    {'sources_cut_off': 2.0, 'reach_drop': 0.667, 'share_without': 0.333}

    Notes
    -----
    * A source node that leaves is not "cut off" itself, but ``reach_drop`` also reflects
      its departure from the denominator, so it can be negative (an unlinked source
      leaving raises the share). ``share_without`` is NaN when the only source leaves.
    * With ``max_steps=1`` the computation is a closed form (a source is cut off by
      :math:`v` exactly when :math:`v` is its only eligible target neighbour). With more
      steps each node that lies on a short enough source-target path is removed in turn:
      cost about (candidates x ``max_steps`` x edges).
    * Pitfall: a value of 0 means no single departure cuts a link; two people leaving
      together may still do so.

    References
    ----------
    Burt, R. S. (2005). *Brokerage and Closure*. Oxford University Press (brokers as
    single points of contact between groups).
    """
    setup = _reach_setup(G, attr, source, target, within, max_steps, direction)
    n = setup.ga.n
    base = _reach_distance(setup, max_steps)
    ok = np.isfinite(base)
    n_src = setup.sources.size
    cut = np.zeros(n, dtype=np.int64)
    if max_steps == 1:
        # a source s is cut off by v iff v is its only eligible target neighbour
        P = setup.prop.tocoo()
        u, w = P.row.astype(np.int64), P.col.astype(np.int64)
        pos = np.full(n, -1, dtype=np.int64)
        pos[setup.sources] = np.arange(n_src)
        is_s = pos[u] >= 0
        u, w = u[is_s], w[is_s]
        elig = setup.seeds[w, setup.src_col[pos[u]]]
        u, w = u[elig], w[elig]
        count = _count(u, n)
        only = count[u] == 1
        cut += _count(w[only], n).astype(np.int64)
    else:
        # candidates: nodes on some path of length <= max_steps from a reached source to
        # an eligible target; every other removal leaves each shortest link intact
        limit = max_steps if max_steps is not None else n
        back = setup.prop.T.tocsr()
        to_target = _levels(setup.prop, np.asarray(setup.seeds.any(axis=1)), limit)
        from_source = _levels(back, np.isin(np.arange(n), setup.sources[ok]), limit)
        cand = np.flatnonzero(to_target + from_source <= limit)
        removed = np.zeros(n, dtype=bool)
        for v in cand:
            removed[v] = True
            dist = _reach_distance(setup, max_steps, removed)
            lost = ok & ~np.isfinite(dist)
            lost[setup.sources == v] = False
            cut[v] = int(lost.sum())
            removed[v] = False
    is_source = np.zeros(n, dtype=bool)
    is_source[setup.sources] = True
    src_ok = np.zeros(n, dtype=bool)
    src_ok[setup.sources[ok]] = True
    share = float(ok.mean()) if n_src else float("nan")
    remaining = n_src - is_source.astype(np.int64)
    still = ok.sum() - src_ok.astype(np.int64) - cut
    share_without = _nan_ratio(still, remaining)
    out = pd.DataFrame(
        {
            "sources_cut_off": cut,
            "reach_drop": share - share_without,
            "share_without": share_without,
        },
        index=setup.ga.index,
    )
    order = np.lexsort(
        (np.arange(n), -np.nan_to_num(out["reach_drop"].to_numpy(), nan=-np.inf), -cut)
    )
    out = out.iloc[order]
    out.attrs["share"] = share
    return out


def _levels(prop: sp.csr_array, start: np.ndarray, limit: int) -> np.ndarray:
    """Steps from each node to the nearest ``start`` node following ``prop`` (inf if > limit)."""
    n = start.size
    dist = np.full(n, np.inf)
    dist[start] = 0
    seen = start.copy()
    frontier = start.astype(np.float32)
    for step in range(1, limit + 1):
        new = ((prop @ frontier) > 0) & ~seen
        if not new.any():
            break
        dist[new] = step
        seen |= new
        frontier = new.astype(np.float32)
    return dist


# ---------------------------------------------------------------------------
# betweenness (unweighted Brandes, batched over sources)
# ---------------------------------------------------------------------------


def _betweenness(
    ga: GraphArrays,
    *,
    exact_max_nodes: int,
    k: int,
    seed: int | np.random.Generator | None,
    backend: str,
) -> tuple[np.ndarray, dict[str, object]]:
    """Normalised hop-count betweenness, exact or from ``k`` sampled sources."""
    n = ga.n
    if n <= exact_max_nodes or k >= n:
        sources = np.arange(n)
    else:
        rng = np.random.default_rng(seed)
        sources = np.sort(rng.choice(n, size=k, replace=False))
    return _betweenness_from(ga, sources, backend=backend)


def _betweenness_from(
    ga: GraphArrays, sources: np.ndarray, *, backend: str
) -> tuple[np.ndarray, dict[str, object]]:
    """Betweenness from the given source positions, scaled as networkx scales it.

    All sources: :math:`b_v / ((n-1)(n-2))` over ordered pairs. A sample of ``K`` sources:
    a sampled source's sum is divided by :math:`(K-1)(n-2)`, any other node's by
    :math:`K(n-2)` (networkx 3.5+ with ``k``).
    """
    n = ga.n
    src, dst = _arcs(ga)
    use_igraph = False
    if backend in ("auto", "igraph"):
        try:
            import igraph  # noqa: F401
        except ImportError:
            if backend == "igraph":
                msg = (
                    "`backend='igraph'` needs python-igraph (a connectnet dependency); "
                    "reinstall it with `pip install python-igraph` or use `backend='numpy'`."
                )
                raise ImportError(msg) from None
        else:
            use_igraph = True
    raw = (
        _igraph_raw(n, src, dst, sources)
        if use_igraph
        else brandes_dependencies(binary_csr(src, dst, n), sources, directed=True)[0]
    )
    K = sources.size
    method = "exact" if n == K else "sampled"
    out = np.zeros(n)
    if n > 2 and K:
        if method == "exact":
            out = raw / ((n - 1) * (n - 2))
        else:
            is_s = np.zeros(n, dtype=bool)
            is_s[sources] = True
            s_scale = 1 / ((K - 1) * (n - 2)) if K > 1 else np.nan
            out = raw * np.where(is_s, s_scale, 1 / (K * (n - 2)))
    info: dict[str, object] = {
        "betweenness": method,
        "betweenness_sources": int(K),
        "betweenness_backend": "igraph" if use_igraph else "numpy",
    }
    return out, info


def _igraph_raw(n: int, src: np.ndarray, dst: np.ndarray, sources: np.ndarray) -> np.ndarray:
    """Ordered-pair dependency sums from python-igraph (same quantity as the numpy path)."""
    g = igraph_graph(n, src, dst, directed=True)
    if sources.size == n:
        values = g.betweenness(directed=True)
    else:
        values = g.betweenness(directed=True, sources=sources.tolist())
    return np.asarray(values, dtype=np.float64)


# ---------------------------------------------------------------------------
# bridging table
# ---------------------------------------------------------------------------


def bridging_table(
    G: nx.Graph,
    attr: str = "sector",
    *,
    exact_max_nodes: int = 2000,
    k: int = 256,
    seed: int | np.random.Generator | None = None,
    backend: Literal["auto", "numpy", "igraph"] = "auto",
) -> pd.DataFrame:
    r"""One row per node with the measures that identify key cross-sector bridgers.

    Columns:

    * ``group`` - the node's ``attr`` value;
    * ``degree`` - number of distinct neighbours (either direction);
    * ``cross_sector_degree`` - distinct neighbours in another group;
    * ``node_ei`` - :func:`connectnet.node_ei_index` (tie counts);
    * ``participation`` - :func:`connectnet.participation_coefficient`;
    * ``betweenness`` - normalised shortest-path betweenness (hop counts, arcs followed on
      a directed graph), as ``networkx.betweenness_centrality``; exact up to
      ``exact_max_nodes`` nodes, else estimated from ``k`` sampled sources;
    * ``constraint`` - Burt's constraint (:func:`structural_holes`);
    * ``coordinator`` ... ``liaison``, ``brokerage_total`` - Gould-Fernandez role counts
      (:func:`brokerage`);
    * ``articulation_point`` - removing the node splits its component (ties taken as
      undirected);
    * ``bridges`` - incident ties whose removal splits a component;
    * ``local_bridges`` - incident ties whose ends share no neighbour.

    Parameters
    ----------
    G
        Directed or undirected graph.
    attr
        Node attribute holding each node's group (every node must have one).
    exact_max_nodes
        Largest graph for exact betweenness.
    k
        Number of sampled sources above ``exact_max_nodes``.
    seed
        Seed or numpy Generator for the source sample (only used above the threshold).
    backend
        ``"auto"`` uses python-igraph (a connectnet dependency) for betweenness when it
        can be imported, else numpy; ``"numpy"`` or ``"igraph"`` force
        one.

    Returns
    -------
    pandas.DataFrame
        Indexed by node, sorted by ``betweenness``, then ``cross_sector_degree``, then
        ``brokerage_total`` (all descending; ties keep graph order). ``attrs`` records
        ``betweenness`` (``"exact"`` or ``"sampled"``), ``betweenness_sources``,
        ``betweenness_backend``, ``seed`` and ``sort``.

    Raises
    ------
    TypeError
        If ``G`` is not a networkx graph or ``attr`` is not a string.
    ValueError
        If a node lacks ``attr``, the graph has fewer than 3 nodes, ``backend`` is
        unknown, ``k`` is not a positive integer or ``exact_max_nodes`` is negative.
    ImportError
        If ``backend="igraph"`` and python-igraph is not installed.

    Examples
    --------
    >>> import networkx as nx
    >>> import connectnet as cn
    >>> G = nx.Graph([("a", "b"), ("b", "c"), ("c", "d")])
    >>> nx.set_node_attributes(G, {"a": "prison", "b": "prison", "c": "nhs", "d": "nhs"},
    ...                        "sector")
    >>> table = cn.bridging_table(G, backend="numpy")
    >>> list(table.index[:2]), table.attrs["betweenness"]
    (['b', 'c'], 'exact')
    >>> row = table.loc["b"]
    >>> int(row["cross_sector_degree"]), bool(row["articulation_point"]), int(row["bridges"])
    (1, True, 2)

    Notes
    -----
    * Betweenness ignores weights (tie strength is not a distance). The sampled estimate
      scales each node's dependency sum as networkx does for ``k`` sources (a sampled
      source's own value is scaled by ``k - 1``, so with ``k=1`` that source's value is
      NaN, as in networkx); it is unbiased but noisy for small ``k``: pass ``seed`` for
      reproducible tables.
    * Isolates have ``node_ei``, ``participation`` and ``constraint`` NaN, degree 0.
    * Pitfall: high betweenness in a small or star-like network often reflects the
      meeting organiser, not a sector bridger; read it with ``cross_sector_degree``.

    References
    ----------
    Brandes, U. (2001). A faster algorithm for betweenness centrality. *Journal of
    Mathematical Sociology* 25(2), 163-177.

    Brandes, U. and Pich, C. (2007). Centrality estimation in large networks.
    *International Journal of Bifurcation and Chaos* 17(7), 2303-2318.

    Granovetter, M. S. (1973). The strength of weak ties. *American Journal of Sociology*
    78(6), 1360-1380 (local bridges).
    """
    from connectnet.bridging import node_ei_index, participation_coefficient

    check_choice("backend", backend, ("auto", "numpy", "igraph"))
    for name, value, low in (("exact_max_nodes", exact_max_nodes, 0), ("k", k, 1)):
        if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < low:
            msg = f"`{name}` must be an integer of at least {low}; found {value!r}."
            raise ValueError(msg)
    ga = _grouped(G, attr)
    n = ga.n
    if n < 3:
        msg = f"`bridging_table` needs a graph with at least 3 nodes; found {n}."
        raise ValueError(msg)
    assert ga.codes is not None
    assert ga.groups is not None
    cl = ga.codes
    # undirected simple skeleton
    src, dst = _arcs(ga)
    und = src < dst
    us, ud = src[und], dst[und]
    if ga.directed:  # an arc one way only still makes an undirected tie
        lo, hi = np.minimum(src, dst), np.maximum(src, dst)
        key = _sorted_unique(lo * n + hi)
        us, ud = key // n, key % n
    S = binary_csr(np.concatenate([us, ud]), np.concatenate([ud, us]), n)
    degree = np.diff(S.indptr).astype(np.int64)
    other = cl[us] != cl[ud]
    cross = _count(us, n, other) + _count(ud, n, other)
    # local bridges: ties whose ends share no neighbour
    shared = np.zeros(us.size)
    for chunk, e, _, _ in _common_entries(S, S, us, ud):
        shared[chunk] += _count(e, chunk.stop - chunk.start)
    lb = shared == 0
    local_bridges = _count(us[lb], n) + _count(ud[lb], n)
    H = nx.Graph()
    H.add_nodes_from(range(n))
    H.add_edges_from(zip(us.tolist(), ud.tolist(), strict=True))
    art = np.zeros(n, dtype=bool)
    art[list(nx.articulation_points(H))] = True
    bridge_count = np.zeros(n, dtype=np.int64)
    for a, b in nx.bridges(H):
        bridge_count[a] += 1
        bridge_count[b] += 1

    bet, info = _betweenness(ga, exact_max_nodes=exact_max_nodes, k=k, seed=seed, backend=backend)
    holes = structural_holes(G)
    roles = brokerage(G, attr).observed
    ei = node_ei_index(G, attr)
    part = participation_coefficient(G, attr)

    table = pd.DataFrame(
        {
            "group": pd.Series([ga.groups[c] for c in cl], index=ga.index, dtype=object),
            "degree": degree,
            "cross_sector_degree": cross.astype(np.int64),
            "node_ei": ei.to_numpy(dtype=np.float64),
            "participation": part.to_numpy(dtype=np.float64),
            "betweenness": bet,
            "constraint": holes["constraint"].to_numpy(),
        },
        index=ga.index,
    )
    for role in _ROLES[:-1]:
        table[role] = roles[role].to_numpy()
    table["brokerage_total"] = roles["total"].to_numpy()
    table["articulation_point"] = art
    table["bridges"] = bridge_count
    table["local_bridges"] = local_bridges.astype(np.int64)
    order = np.lexsort(
        (
            np.arange(n),
            -table["brokerage_total"].to_numpy(),
            -table["cross_sector_degree"].to_numpy(),
            -table["betweenness"].to_numpy(),
        )
    )
    table = table.iloc[order]
    table.attrs.update(info)
    table.attrs["seed"] = (
        seed if isinstance(seed, (int, np.integer)) or seed is None else "Generator"
    )
    table.attrs["sort"] = "betweenness, cross_sector_degree, brokerage_total (descending)"
    return table
