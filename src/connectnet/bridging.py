"""Cross-sector bridging: E-I indices, mixing, assortativity, segregation, participation.

Every function converts its graph once with :func:`connectnet._arrays.graph_arrays` and
works on integer-coded edge arrays, so the cost is one pass over ``G.edges`` plus a few
numpy operations.

Conventions shared by every function here
-----------------------------------------
* ``attr`` names a node attribute holding the group (sector) of each node. Every node must
  have it, otherwise ``ValueError`` names the nodes that lack it.
* A *tie* is an edge of an undirected graph or an arc of a directed graph, each counted
  once. Parallel edges of a multigraph are separate ties.
* With ``weight=`` (an edge attribute name), tie counts become weight sums; edges without
  the attribute weigh 1. Weights must be finite and non-negative (``ValueError``
  otherwise: a negative weight would push E-I outside [−1, 1]).
* Self-loops are not ties between people: they are ignored by every function in this
  module except :func:`assortativity`, which reproduces networkx exactly (networkx counts a
  self-loop once on the diagonal of the mixing matrix).
* Groups are reported in sorted label order (string order when labels do not sort).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

import networkx as nx
import numpy as np
import pandas as pd

from connectnet._arrays import GraphArrays, check_choice, check_graph, graph_arrays, require_groups
from connectnet._progress import progress_bar
from connectnet._stats import check_permutations, permutation_pvalues
from connectnet.engine import LazyContacts, LazyDataset

__all__ = [
    "EITestResult",
    "assortativity",
    "block_density",
    "ei_index",
    "ei_test",
    "group_ei_index",
    "homophily",
    "mixing_matrix",
    "node_ei_index",
    "participation_coefficient",
    "segregation",
]


# ---------------------------------------------------------------------------
# private helpers
# ---------------------------------------------------------------------------

#: Largest node x group table built densely (participation); above it, sort-based sums.
_DENSE_LIMIT = 1 << 24


def _grouped(G: nx.Graph, attr: str, weight: str | None = None) -> GraphArrays:
    """Convert ``G`` once, with group codes for ``attr``; every node must have a group."""
    check_graph(G)
    if not isinstance(attr, str):
        msg = f"`attr` must be the name of a node attribute (a str); found {type(attr).__name__}."
        raise TypeError(msg)
    ga = graph_arrays(G, attr, weight=weight)
    require_groups(ga, attr)
    if weight is not None:
        _check_weights(ga, weight)
    return ga


def _check_weights(ga: GraphArrays, weight: str) -> None:
    """Weights must be finite and non-negative (else E-I leaves [-1, 1], or is NaN)."""
    bad = ~(np.isfinite(ga.weight) & (ga.weight >= 0))
    if bad.any():
        i = int(np.flatnonzero(bad)[0])
        u, v = ga.nodes[ga.src[i]], ga.nodes[ga.dst[i]]
        msg = (
            f"edge attribute `{weight}` must be a finite, non-negative number on every edge; "
            f"found {int(bad.sum())} edge(s) with a negative, NaN or infinite value (first: "
            f"{u!r}-{v!r} with {ga.weight[i]!r}). Fix or drop those edges, or pass `weight=None`."
        )
        raise ValueError(msg)


def _ties(ga: GraphArrays) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Edge arrays without self-loops: ``src``, ``dst``, ``weight``."""
    loops = ga.loops
    if loops.any():
        keep = ~loops
        return ga.src[keep], ga.dst[keep], ga.weight[keep]
    return ga.src, ga.dst, ga.weight


def _ratio(num: np.ndarray | float, den: np.ndarray | float) -> np.ndarray:
    """``num / den`` with NaN where ``den == 0`` (no warnings)."""
    num = np.asarray(num, dtype=np.float64)
    den = np.asarray(den, dtype=np.float64)
    out = np.full(np.broadcast(num, den).shape, np.nan)
    np.divide(num, den, out=out, where=den != 0)
    return out


def _ei(external: float, internal: float) -> float:
    total = external + internal
    if total == 0:
        return float("nan")
    return float((external - internal) / total)


def _group_index(ga: GraphArrays, attr: str) -> pd.Index:
    assert ga.groups is not None
    arr = np.empty(len(ga.groups), dtype=object)
    arr[:] = ga.groups
    try:
        return pd.Index(arr, name=attr, tupleize_cols=False)
    except (TypeError, ValueError):  # pragma: no cover - exotic labels
        return pd.Index(arr, dtype=object, name=attr, tupleize_cols=False)


# ---------------------------------------------------------------------------
# E-I indices
# ---------------------------------------------------------------------------


def ei_index(G: nx.Graph, attr: str = "sector", *, weight: str | None = None) -> float:
    r"""Krackhardt and Stern's E-I index of a whole network.

    .. math::

        \mathrm{EI} = \frac{E - I}{E + I}

    where :math:`E` is the number of external ties (ends in different groups) and
    :math:`I` the number of internal ties (both ends in the same group). Each undirected
    tie, or each arc of a directed graph, is counted once.

    Parameters
    ----------
    G
        Undirected or directed graph (multigraphs: parallel edges are separate ties).
    attr
        Node attribute holding each node's group, e.g. ``"sector"``.
    weight
        Edge attribute to sum instead of counting ties (missing values count as 1).

    Returns
    -------
    float
        A value in :math:`[-1, 1]`: −1 when every tie is internal, +1 when every tie
        crosses groups, NaN when the graph has no ties.

    Raises
    ------
    TypeError
        If ``G`` is not a networkx graph or ``attr`` is not a string.
    ValueError
        If a node has no ``attr`` value, or a weight is not numeric, negative or NaN.

    Examples
    --------
    >>> import networkx as nx
    >>> import connectnet as cn
    >>> G = nx.Graph([("a", "b"), ("b", "c"), ("c", "d")])
    >>> nx.set_node_attributes(G, {"a": "NHS", "b": "NHS", "c": "prison", "d": "prison"}, "sector")
    >>> round(cn.ei_index(G), 4)  # 1 external, 2 internal ties
    -0.3333

    Notes
    -----
    Self-loops are ignored. A graph with a single group has :math:`E = 0`, so its E-I is
    −1 whenever it has ties. The index depends on group sizes: with one large and one small
    group even random ties are mostly internal for the large group; compare with the
    expected value and permutation test of :func:`ei_test`.

    References
    ----------
    Krackhardt, D. and Stern, R. N. (1988). Informal networks and organizational crises:
    an experimental simulation. *Social Psychology Quarterly* 51(2), 123-140.
    """
    if isinstance(G, (LazyDataset, LazyContacts)):  # computed in the engine
        return G.ei_index(attr, weight=weight)
    ga = _grouped(G, attr, weight)
    src, dst, w = _ties(ga)
    codes = ga.codes
    assert codes is not None
    ext = codes[src] != codes[dst]
    external = float(w[ext].sum())
    internal = float(w.sum()) - external
    return _ei(external, internal)


def group_ei_index(
    G: nx.Graph,
    attr: str = "sector",
    *,
    weight: str | None = None,
    count: Literal["ties", "members"] = "ties",
) -> pd.Series:
    r"""E-I index of each group.

    With ``count="ties"`` (default), for group :math:`g`

    .. math::

        \mathrm{EI}_g = \frac{E_g - I_g}{E_g + I_g}

    where :math:`I_g` is the number of ties with both ends in :math:`g` and :math:`E_g` the
    number of ties with exactly one end in :math:`g`, each tie counted once (arcs in either
    direction). With ``count="members"`` the counts are the sums of the members' own tie
    counts, so each internal tie is counted twice (once per member):
    :math:`(E_g - 2I_g)/(E_g + 2I_g)`. Both conventions are in use; the second is always
    the lower (more internal) of the two.

    Parameters
    ----------
    G
        Undirected or directed graph.
    attr
        Node attribute holding each node's group.
    weight
        Edge attribute to sum instead of counting ties.
    count
        ``"ties"`` (each tie once) or ``"members"`` (sum over members' ties).

    Returns
    -------
    pandas.Series
        Named ``"group_ei_index"``, indexed by group label (index name ``attr``), sorted.
        NaN for a group with no ties.

    Raises
    ------
    TypeError
        If ``G`` is not a networkx graph.
    ValueError
        If a node has no ``attr`` value, a weight is negative or NaN, or ``count`` is not
        ``"ties"``/``"members"``.

    Examples
    --------
    >>> import networkx as nx
    >>> import connectnet as cn
    >>> G = nx.Graph([("a", "b"), ("b", "c"), ("c", "d")])
    >>> nx.set_node_attributes(G, {"a": "NHS", "b": "NHS", "c": "prison", "d": "prison"}, "sector")
    >>> cn.group_ei_index(G)  # each group: 1 internal, 1 external tie
    sector
    NHS       0.0
    prison    0.0
    Name: group_ei_index, dtype: float64
    >>> cn.group_ei_index(G, count="members").round(4)  # internal tie counted twice
    sector
    NHS      -0.3333
    prison   -0.3333
    Name: group_ei_index, dtype: float64

    Notes
    -----
    On Zachary's karate club split by ``"club"`` the two conventions give −0.52 and −0.73
    for the "Mr. Hi" group. Self-loops are ignored.

    References
    ----------
    Krackhardt, D. and Stern, R. N. (1988). Informal networks and organizational crises:
    an experimental simulation. *Social Psychology Quarterly* 51(2), 123-140.
    """
    if isinstance(G, (LazyDataset, LazyContacts)):  # computed in the engine
        return G.group_ei_index(attr, weight=weight, count=count)
    check_choice("count", count, ("ties", "members"))
    ga = _grouped(G, attr, weight)
    src, dst, w = _ties(ga)
    codes = ga.codes
    assert codes is not None
    assert ga.groups is not None
    k = len(ga.groups)
    cs, cd = codes[src], codes[dst]
    ext = cs != cd
    internal = np.bincount(cs[~ext], weights=w[~ext], minlength=k).astype(np.float64)
    we = w[ext]
    external = np.bincount(cs[ext], weights=we, minlength=k) + np.bincount(
        cd[ext], weights=we, minlength=k
    )
    if count == "members":
        internal = 2.0 * internal
    values = _ratio(external - internal, external + internal)
    return pd.Series(values, index=_group_index(ga, attr), name="group_ei_index")


def node_ei_index(
    G: nx.Graph,
    attr: str = "sector",
    *,
    weight: str | None = None,
    direction: Literal["all", "out", "in"] = "all",
) -> pd.Series:
    r"""E-I index of each node's own ties.

    .. math::

        \mathrm{EI}_i = \frac{E_i - I_i}{E_i + I_i}

    where :math:`E_i` counts node :math:`i`'s ties to other groups and :math:`I_i` its ties
    to its own group.

    Parameters
    ----------
    G
        Undirected or directed graph.
    attr
        Node attribute holding each node's group.
    weight
        Edge attribute to sum instead of counting ties.
    direction
        Directed graphs only: ``"out"`` uses arcs sent, ``"in"`` arcs received, ``"all"``
        both (an arc in each direction between the same pair counts twice). Ignored for
        undirected graphs.

    Returns
    -------
    pandas.Series
        Named ``"node_ei_index"``, indexed by node in graph order; NaN for nodes with no
        ties (isolates, or no arcs in the requested direction).

    Raises
    ------
    TypeError
        If ``G`` is not a networkx graph.
    ValueError
        If a node has no ``attr`` value, a weight is negative or NaN, or ``direction`` is
        not ``"all"``/``"out"``/``"in"``.

    Examples
    --------
    >>> import networkx as nx
    >>> import connectnet as cn
    >>> G = nx.Graph([("a", "b"), ("b", "c"), ("c", "d")])
    >>> G.add_node("e")
    >>> groups = {"a": "NHS", "b": "NHS", "c": "prison", "d": "prison", "e": "NHS"}
    >>> nx.set_node_attributes(G, groups, "sector")
    >>> cn.node_ei_index(G)
    a   -1.0
    b    0.0
    c    0.0
    d   -1.0
    e    NaN
    Name: node_ei_index, dtype: float64

    Notes
    -----
    Self-loops are ignored, so a node whose only tie is a self-loop gets NaN. Node E-I
    says nothing about how many ties a node has: a node with one external tie scores +1,
    the same as one with fifty; read it next to degree.

    References
    ----------
    Krackhardt, D. and Stern, R. N. (1988). Informal networks and organizational crises:
    an experimental simulation. *Social Psychology Quarterly* 51(2), 123-140.
    """
    check_choice("direction", direction, ("all", "out", "in"))
    ga = _grouped(G, attr, weight)
    src, dst, w = _ties(ga)
    codes = ga.codes
    assert codes is not None
    signed = np.where(codes[src] != codes[dst], w, -w)  # +w external, -w internal
    if not ga.directed or direction == "all":
        ends = np.concatenate([src, dst])
        signed = np.concatenate([signed, signed])
        w = np.concatenate([w, w])
    else:
        ends = src if direction == "out" else dst
    num = np.bincount(ends, weights=signed, minlength=ga.n)
    den = np.bincount(ends, weights=w, minlength=ga.n)
    return ga.series(_ratio(num, den), "node_ei_index")


# ---------------------------------------------------------------------------
# participation
# ---------------------------------------------------------------------------


def participation_coefficient(
    G: nx.Graph, attr: str = "sector", *, weight: str | None = None
) -> pd.Series:
    r"""Guimerà-Amaral participation coefficient of each node.

    .. math::

        P_i = 1 - \sum_{s=1}^{S} \left(\frac{k_{is}}{k_i}\right)^2

    where :math:`k_{is}` is the number of node :math:`i`'s ties to nodes of group
    :math:`s` and :math:`k_i` its total number of ties.

    Parameters
    ----------
    G
        Undirected or directed graph (directed: arcs sent and received both count).
    attr
        Node attribute holding each node's group.
    weight
        Edge attribute to sum instead of counting ties (strength-based coefficient).

    Returns
    -------
    pandas.Series
        Named ``"participation_coefficient"``, indexed by node in graph order; values in
        :math:`[0, 1 - 1/S]` for :math:`S` groups, NaN for nodes with no ties.

    Raises
    ------
    TypeError
        If ``G`` is not a networkx graph.
    ValueError
        If a node has no ``attr`` value, or a weight is negative or NaN.

    Examples
    --------
    >>> import networkx as nx
    >>> import connectnet as cn
    >>> G = nx.star_graph(4)  # hub 0 with leaves 1-4
    >>> groups = {0: "NHS", 1: "NHS", 2: "NHS", 3: "prison", 4: "council"}
    >>> nx.set_node_attributes(G, groups, "sector")
    >>> cn.participation_coefficient(G).round(4)  # hub: 1 - (2/4)^2 - (1/4)^2 - (1/4)^2
    0    0.625
    1    0.000
    2    0.000
    3    0.000
    4    0.000
    Name: participation_coefficient, dtype: float64

    Notes
    -----
    :math:`P_i = 0` when all of a node's ties go to one group (its own or another), and
    approaches :math:`1 - 1/S` when they are spread evenly over all :math:`S` groups of
    the graph. Unlike node E-I it does not distinguish the node's own group from others.
    Self-loops are ignored; isolates get NaN. A node with few ties cannot reach high values
    (one tie always gives 0).

    References
    ----------
    Guimerà, R. and Amaral, L. A. N. (2005). Functional cartography of complex metabolic
    networks. *Nature* 433, 895-900.
    """
    ga = _grouped(G, attr, weight)
    src, dst, w = _ties(ga)
    codes = ga.codes
    assert codes is not None
    assert ga.groups is not None
    n, k = ga.n, max(len(ga.groups), 1)
    ends = np.concatenate([src, dst])
    other = np.concatenate([codes[dst], codes[src]])
    ww = np.concatenate([w, w])
    strength = np.bincount(ends, weights=ww, minlength=n)
    key = ends * k + other
    if n * k <= _DENSE_LIMIT:
        per_group = np.bincount(key, weights=ww, minlength=n * k)
        squares = np.einsum("ij,ij->i", per_group.reshape(n, k), per_group.reshape(n, k))
    else:  # many groups: sum only the (node, group) pairs that occur
        uniq, inverse = np.unique(key, return_inverse=True)
        sums = np.bincount(inverse, weights=ww)
        squares = np.bincount(uniq // k, weights=sums * sums, minlength=n)
    values = 1.0 - _ratio(squares, strength * strength)
    np.clip(values, 0.0, 1.0 - 1.0 / k, out=values)  # rounding only; NaN stays NaN
    return ga.series(values, "participation_coefficient")


# ---------------------------------------------------------------------------
# E-I permutation test
# ---------------------------------------------------------------------------


@dataclass(frozen=True, repr=False)
class EITestResult:
    """Result of :func:`ei_test`.

    Attributes
    ----------
    observed
        Observed E-I index (each tie or arc once, self-loops ignored).
    expected
        E-I expected under random ties, :math:`(P_E - P_I)/(P_E + P_I)`.
    p_value
        Two-sided p-value, ``min(1, 2 * min(p_external, p_internal))``.
    p_external
        Permutation p-value for "more external ties than chance", :math:`(b+1)/(R+1)`
        with :math:`b` the number of permutations with at least as many external ties.
    p_internal
        Permutation p-value for "more internal ties than chance" (at most as many
        external ties).
    minimum, maximum
        Smallest and largest E-I possible with the observed number of ties.
    rescaled
        Observed E-I rescaled from ``[minimum, maximum]`` to ``[-1, 1]``.
    permutation_mean, permutation_sd
        Mean and standard deviation (``ddof=1``) of the permutation distribution.
    n_ties
        Number of ties :math:`T` (arcs for a directed graph).
    possible_internal, possible_external
        :math:`P_I` and :math:`P_E`: possible within- and between-group pairs (ordered
        pairs for a directed graph).
    n_permutations
        Number of permutations :math:`R`.
    distribution
        The :math:`R` permuted E-I values (read-only array; not shown in ``repr``).
    """

    observed: float
    expected: float
    p_value: float
    p_external: float
    p_internal: float
    minimum: float
    maximum: float
    rescaled: float
    permutation_mean: float
    permutation_sd: float
    n_ties: int
    possible_internal: int
    possible_external: int
    n_permutations: int
    distribution: np.ndarray = field(repr=False, compare=False)

    def __repr__(self) -> str:
        return (
            f"EITestResult(observed={self.observed:.4g}, expected={self.expected:.4g}, "
            f"rescaled={self.rescaled:.4g}, p_external={self.p_external:.4g}, "
            f"p_internal={self.p_internal:.4g}, p_value={self.p_value:.4g}, "
            f"n_ties={self.n_ties}, n_permutations={self.n_permutations})"
        )

    def to_frame(self) -> pd.DataFrame:
        """One-row table of every statistic (not the permutation distribution).

        Rows of several results (e.g. one per wave) can be stacked with ``pd.concat``.
        """
        row = {
            name: getattr(self, name)
            for name in self.__dataclass_fields__
            if name != "distribution"
        }
        return pd.DataFrame([row], index=pd.Index(["ei_index"], name="statistic"))


def _small_codes(codes: np.ndarray, n_groups: int) -> np.ndarray:
    """Group codes in the narrowest integer type (less memory traffic per gather)."""
    for dtype in (np.int8, np.int16, np.int32):
        if n_groups <= np.iinfo(dtype).max:
            return codes.astype(dtype)
    return codes  # pragma: no cover - more than 2**31 groups


def _count_lanes(packed: np.ndarray, src: np.ndarray, dst: np.ndarray) -> np.ndarray:
    """External-tie counts for 8 permutations packed one byte each into ``uint64`` codes.

    ``packed[i]`` holds node ``i``'s code under 8 shuffles. One gather per end point and
    an XOR compare all 8 shuffles at once; a byte of the XOR is non-zero exactly when
    that shuffle makes the tie external. The 0/1 bytes are then summed as ``uint64``
    words in runs of 255 edges (so no byte lane can carry into the next) and the lanes
    are split apart at the end.
    """
    diff = packed[src]
    diff ^= packed[dst]
    nonzero = diff.view(np.uint8) != 0  # 8 bytes (lanes) per edge
    words = nonzero.view(np.uint64)
    full = (words.size // 255) * 255
    lanes = np.zeros(8, dtype=np.int64)
    if full:
        runs = words[:full].reshape(-1, 255).sum(axis=1, dtype=np.uint64)
        lanes += runs.view(np.uint8).reshape(-1, 8).sum(axis=0, dtype=np.int64)
    lanes += nonzero[full * 8 :].reshape(-1, 8).sum(axis=0, dtype=np.int64)
    return lanes


def _permuted_external(
    codes: np.ndarray,
    src: np.ndarray,
    dst: np.ndarray,
    n_groups: int,
    n_permutations: int,
    rng: np.random.Generator,
    progress: bool = False,
) -> np.ndarray:
    """External-tie count for each of ``n_permutations`` shuffles of the group codes.

    Shuffles are drawn as a (batch x n) code matrix, one row per shuffle
    (``rng.permuted(..., axis=1)``, row by row, so results do not depend on the batch
    size). With at most 127 groups, 8 rows at a time are packed into one ``uint64`` per
    node and counted by :func:`_count_lanes` (two gathers per 8 shuffles); otherwise
    each batch is counted with ``rows[:, src] != rows[:, dst]``.
    """
    out = np.zeros(n_permutations, dtype=np.int64)
    if src.size == 0:
        return out
    codes = _small_codes(codes, n_groups)
    if codes.size < np.iinfo(np.int32).max:
        src = src.astype(np.int32)
        dst = dst.astype(np.int32)
    bar = progress_bar(total=n_permutations, desc="E-I permutations", enabled=progress)
    with bar:
        if codes.dtype == np.int8:
            template = np.broadcast_to(codes, (8, codes.size))
            for start in range(0, n_permutations, 8):
                size = min(8, n_permutations - start)
                rows = np.empty((8, codes.size), dtype=np.int8)
                rows[:size] = rng.permuted(template[:size], axis=1)
                rows[size:] = 0  # unused lanes
                packed = np.ascontiguousarray(rows.T).view(np.uint64).ravel()
                out[start : start + size] = _count_lanes(packed, src, dst)[:size]
                bar.update(size)
            return out
        # ~8M gathered codes per batch keeps temporaries around 25 MB
        batch = int(max(1, min(n_permutations, (1 << 23) // src.size)))
        template = np.broadcast_to(codes, (batch, codes.size))
        for start in range(0, n_permutations, batch):
            size = min(batch, n_permutations - start)
            rows = rng.permuted(template[:size], axis=1)
            out[start : start + size] = np.count_nonzero(rows[:, src] != rows[:, dst], axis=1)
            bar.update(size)
    return out


def ei_test(
    G: nx.Graph,
    attr: str = "sector",
    *,
    n_permutations: int = 1000,
    seed: int | np.random.Generator | None = None,
    progress: bool = False,
) -> EITestResult:
    r"""Is the E-I index more external (or internal) than chance?

    With :math:`T` ties, :math:`E` of them external, group sizes :math:`n_g` and
    :math:`N = \sum_g n_g` nodes:

    * observed :math:`\mathrm{EI} = (2E - T)/T`;
    * possible internal pairs :math:`P_I = \sum_g n_g(n_g-1)/2` and external pairs
      :math:`P_E = \sum_{g<h} n_g n_h` (both doubled for a directed graph);
    * expected under random ties :math:`(P_E - P_I)/(P_E + P_I)`, which is also the exact
      mean of the permutation distribution;
    * maximum E-I given :math:`T`: :math:`E_{max} = \min(T, P_E)` ties external, the rest
      internal, :math:`(2E_{max} - T)/T`; minimum: :math:`I_{max} = \min(T, P_I)` ties
      internal, :math:`(T - 2I_{max})/T`;
    * rescaled E-I: the observed value mapped linearly from [minimum, maximum] to
      [−1, 1], :math:`2(\mathrm{EI} - \min)/(\max - \min) - 1`;
    * permutation distribution: group labels are shuffled across nodes (group sizes kept,
      graph fixed) :math:`R` times; with :math:`b` the number of shuffles with at least
      (at most) as many external ties as observed, the p-value for "more external
      (internal) than chance" is :math:`(b + 1)/(R + 1)`. The two-sided ``p_value`` is
      twice the smaller one-sided value, capped at 1.

    Parameters
    ----------
    G
        Undirected or directed graph; weights are not used.
    attr
        Node attribute holding each node's group.
    n_permutations
        Number of label permutations :math:`R`.
    seed
        Seed or ``numpy.random.Generator`` for the permutations.
    progress
        Show a progress bar of the permutations on stderr.

    Returns
    -------
    EITestResult
        Frozen dataclass with ``observed``, ``expected``, ``p_value`` and the other
        statistics above; ``to_frame()`` gives them as a one-row DataFrame.

    Raises
    ------
    TypeError
        If ``G`` is not a networkx graph.
    ValueError
        If a node has no ``attr`` value or ``n_permutations`` is not a positive integer.

    Examples
    --------
    >>> import networkx as nx
    >>> import connectnet as cn
    >>> G = nx.karate_club_graph()
    >>> result = cn.ei_test(G, "club", n_permutations=199, seed=1)
    >>> round(result.observed, 4), round(result.expected, 4)
    (-0.7179, 0.0303)
    >>> result.p_internal  # no shuffle is as internal as the real split
    0.005
    >>> result.to_frame()[["observed", "expected", "p_internal"]].round(4)
    ... # doctest: +NORMALIZE_WHITESPACE
               observed  expected  p_internal
    statistic
    ei_index    -0.7179    0.0303       0.005

    Notes
    -----
    Self-loops are ignored; parallel edges of a multigraph are separate ties, and since one
    pair can then carry any number of them, a multigraph's :math:`E_{max}` is :math:`T`
    (:math:`0` if :math:`P_E = 0`) and its :math:`I_{max}` likewise. With no ties
    every statistic except ``expected`` is NaN. With a single group every tie is internal:
    observed, expected, minimum and maximum are all −1, ``rescaled`` is NaN (the range is
    empty) and both one-sided p-values are 1. With fewer than two nodes ``expected`` is NaN.
    The expected value and the permutation null both assume any pair of people could be
    tied; in programme networks where ties form inside events, compare like with like.

    References
    ----------
    Krackhardt, D. and Stern, R. N. (1988). Informal networks and organizational crises:
    an experimental simulation. *Social Psychology Quarterly* 51(2), 123-140.

    Borgatti, S. P., Everett, M. G. and Johnson, J. C. (2018). *Analyzing Social
    Networks*, 2nd ed., Sage (E-I index and its permutation test, as in UCINET).
    """
    n_perm = check_permutations(n_permutations)
    ga = _grouped(G, attr)
    src, dst, _ = _ties(ga)
    codes = ga.codes
    assert codes is not None
    assert ga.groups is not None
    k = len(ga.groups)
    sizes = np.bincount(codes, minlength=k).astype(np.int64)
    n = ga.n
    same = int((sizes * (sizes - 1)).sum())  # ordered within-group pairs
    cross = n * n - int((sizes * sizes).sum())  # ordered between-group pairs
    if not ga.directed:
        same //= 2
        cross //= 2
    ties = int(src.size)
    external = int(np.count_nonzero(codes[src] != codes[dst]))
    nan = float("nan")
    observed = _ei(external, ties - external)
    expected = _ei(cross, same)
    minimum = maximum = rescaled = nan
    if ties:
        if G.is_multigraph():  # one pair can carry any number of parallel ties
            e_max = ties if cross else 0
            i_max = ties if same else 0
        else:
            e_max = min(ties, cross)
            i_max = min(ties, same)
        maximum = (2 * e_max - ties) / ties
        minimum = (ties - 2 * i_max) / ties
        if maximum > minimum:
            rescaled = 2 * (observed - minimum) / (maximum - minimum) - 1
    rng = np.random.default_rng(seed)
    if ties:
        perm_external = _permuted_external(codes, src, dst, k, n_perm, rng, progress)
        distribution = (2.0 * perm_external - ties) / ties
        p_external, p_internal, p_value = permutation_pvalues(perm_external, external)
        counts = perm_external.astype(np.float64)  # exact integers: a constant gives SD 0
        mean = float((2.0 * counts.mean() - ties) / ties)
        sd = float(2.0 * counts.std(ddof=1) / ties) if n_perm > 1 else nan
    else:
        distribution = np.full(n_perm, np.nan)
        p_external = p_internal = p_value = mean = sd = nan
    distribution.setflags(write=False)
    return EITestResult(
        observed=observed,
        expected=expected,
        p_value=float(p_value),
        p_external=float(p_external),
        p_internal=float(p_internal),
        minimum=float(minimum),
        maximum=float(maximum),
        rescaled=float(rescaled),
        permutation_mean=mean,
        permutation_sd=sd,
        n_ties=ties,
        possible_internal=same,
        possible_external=cross,
        n_permutations=n_perm,
        distribution=distribution,
    )


# ---------------------------------------------------------------------------
# mixing, densities, assortativity
# ---------------------------------------------------------------------------


def _contact(ga: GraphArrays, src: np.ndarray, dst: np.ndarray, w: np.ndarray) -> np.ndarray:
    """Group x group table of ties (rows: tie sender / first end), each tie once."""
    assert ga.codes is not None
    assert ga.groups is not None
    k = len(ga.groups)
    key = ga.codes[src] * k + ga.codes[dst]
    table = np.bincount(key, weights=w, minlength=k * k).reshape(k, k)
    return table.astype(np.float64, copy=False)  # bincount of no edges is int64


def _frame(values: np.ndarray, ga: GraphArrays, attr: str) -> pd.DataFrame:
    return pd.DataFrame(values, index=_group_index(ga, attr), columns=_group_index(ga, attr))


def mixing_matrix(
    G: nx.Graph,
    attr: str = "sector",
    *,
    weight: str | None = None,
    normalise: bool = False,
) -> pd.DataFrame:
    r"""Group-by-group table of ties.

    For a directed graph :math:`M_{gh}` is the number of arcs from group :math:`g` to
    group :math:`h`. For an undirected graph each tie is entered from both ends:
    :math:`M_{gh} = M_{hg}` is the number of ties between :math:`g` and :math:`h`, and
    the diagonal :math:`M_{gg}` is *twice* the number of ties inside :math:`g`, so row
    sums are the groups' total degrees and the grand total is :math:`2T`.

    Parameters
    ----------
    G
        Undirected or directed graph.
    attr
        Node attribute holding each node's group.
    weight
        Edge attribute to sum instead of counting ties.
    normalise
        Divide by the grand total so entries sum to 1 (Newman's :math:`e_{gh}`).

    Returns
    -------
    pandas.DataFrame
        Square table, rows and columns the sorted group labels (both named ``attr``);
        rows are senders for a directed graph.

    Raises
    ------
    TypeError
        If ``G`` is not a networkx graph.
    ValueError
        If a node has no ``attr`` value, or a weight is negative or NaN.

    Examples
    --------
    >>> import networkx as nx
    >>> import connectnet as cn
    >>> G = nx.Graph([("a", "b"), ("b", "c"), ("c", "d")])
    >>> nx.set_node_attributes(G, {"a": "NHS", "b": "NHS", "c": "prison", "d": "prison"}, "sector")
    >>> cn.mixing_matrix(G)  # doctest: +NORMALIZE_WHITESPACE
    sector  NHS  prison
    sector
    NHS     2.0     1.0
    prison  1.0     2.0

    Notes
    -----
    Self-loops are ignored. Groups with no ties appear as rows and columns of zeros. With
    ``normalise=True`` and no ties every entry is NaN. Counts grow with group size; use
    :func:`block_density` to compare groups of different sizes.

    References
    ----------
    Newman, M. E. J. (2003). Mixing patterns in networks. *Physical Review E* 67, 026126.
    """
    if isinstance(G, (LazyDataset, LazyContacts)):  # computed in the engine
        return G.mixing_matrix(attr, weight=weight, normalise=normalise)
    ga = _grouped(G, attr, weight)
    src, dst, w = _ties(ga)
    table = _contact(ga, src, dst, w)
    if not ga.directed:
        table = table + table.T
    if normalise:
        table = _ratio(table, table.sum())
    return _frame(table, ga, attr)


def block_density(G: nx.Graph, attr: str = "sector") -> pd.DataFrame:
    r"""Density of ties within and between groups.

    .. math::

        d_{gh} = \frac{T_{gh}}{n_g n_h} \quad (g \ne h), \qquad
        d_{gg} = \frac{T_{gg}}{n_g (n_g - 1) / 2}

    where :math:`T_{gh}` counts ties between groups :math:`g` and :math:`h` and
    :math:`T_{gg}` ties inside :math:`g`. For a directed graph :math:`T_{gh}` counts arcs
    from :math:`g` to :math:`h` and the within-group denominator is :math:`n_g(n_g-1)`.

    Parameters
    ----------
    G
        Undirected or directed graph; weights are not used.
    attr
        Node attribute holding each node's group.

    Returns
    -------
    pandas.DataFrame
        Square table of densities, rows and columns the sorted group labels. ``attrs``
        holds ``"within"`` (all within-group ties / possible within-group pairs) and
        ``"between"`` (all between-group ties / possible between-group pairs) as floats.

    Raises
    ------
    TypeError
        If ``G`` is not a networkx graph.
    ValueError
        If a node has no ``attr`` value.

    Examples
    --------
    >>> import networkx as nx
    >>> import connectnet as cn
    >>> G = nx.Graph([("a", "b"), ("b", "c"), ("c", "d")])
    >>> nx.set_node_attributes(G, {"a": "NHS", "b": "NHS", "c": "prison", "d": "prison"}, "sector")
    >>> cn.block_density(G)  # doctest: +NORMALIZE_WHITESPACE
    sector   NHS  prison
    sector
    NHS     1.00    0.25
    prison  0.25    1.00
    >>> density = cn.block_density(G)
    >>> density.attrs["within"], density.attrs["between"]
    (1.0, 0.25)

    Notes
    -----
    Self-loops are ignored. A one-member group has no within-group pairs, so its diagonal
    entry is NaN. Parallel edges of a multigraph count separately, so densities can exceed
    1; collapse them first with ``nx.Graph(G)``. Densities remove the size effect that
    raw counts and the E-I index carry: a small group can have few ties yet be dense.

    References
    ----------
    Wasserman, S. and Faust, K. (1994). *Social Network Analysis: Methods and
    Applications*, ch. 10 (density tables of blockmodels). Cambridge University Press.
    """
    if isinstance(G, (LazyDataset, LazyContacts)):  # computed in the engine
        return G.block_density(attr)
    ga = _grouped(G, attr)
    src, dst, _ = _ties(ga)
    assert ga.codes is not None
    table = _contact(ga, src, dst, np.ones(src.size))
    if not ga.directed:
        table = table + table.T  # diagonal: twice the internal ties
    sizes = np.bincount(ga.codes, minlength=table.shape[0]).astype(np.float64)
    pairs = np.outer(sizes, sizes)
    np.fill_diagonal(pairs, sizes * (sizes - 1))  # ordered pairs; matches doubled diagonal
    out = _frame(_ratio(table, pairs), ga, attr)
    diagonal = np.eye(table.shape[0], dtype=bool)
    out.attrs["within"] = float(_ratio(table[diagonal].sum(), pairs[diagonal].sum()))
    out.attrs["between"] = float(_ratio(table[~diagonal].sum(), pairs[~diagonal].sum()))
    return out


def assortativity(G: nx.Graph, attr: str = "sector") -> float:
    r"""Newman's attribute assortativity coefficient.

    .. math::

        r = \frac{\sum_g e_{gg} - \sum_g a_g b_g}{1 - \sum_g a_g b_g}

    where :math:`e_{gh}` is the share of tie ends from group :math:`g` to group :math:`h`
    (the normalised mixing matrix), :math:`a_g = \sum_h e_{gh}` and
    :math:`b_g = \sum_h e_{hg}`.

    Parameters
    ----------
    G
        Undirected or directed graph; weights are not used.
    attr
        Node attribute holding each node's group.

    Returns
    -------
    float
        1 when every tie is within a group, 0 when mixing is as random, negative when
        groups tie across more than at random (minimum above −1 in general); NaN with no
        ties or when all ties fall in one group's row and column (e.g. a single group).

    Raises
    ------
    TypeError
        If ``G`` is not a networkx graph.
    ValueError
        If a node has no ``attr`` value.

    Examples
    --------
    >>> import networkx as nx
    >>> import connectnet as cn
    >>> G = nx.karate_club_graph()
    >>> round(cn.assortativity(G, "club"), 4)
    0.7175

    Notes
    -----
    Equal to ``networkx.attribute_assortativity_coefficient(G, attr)`` (to rounding),
    including its treatment of self-loops (entered once on the diagonal, unlike the other
    functions in this module which ignore them) and of directed graphs (arcs from sender
    to receiver). Unlike networkx, a node without the attribute is an error rather than a
    group called ``None``.

    References
    ----------
    Newman, M. E. J. (2003). Mixing patterns in networks. *Physical Review E* 67, 026126.
    """
    ga = _grouped(G, attr)
    table = _contact(ga, ga.src, ga.dst, np.ones(ga.m))
    if not ga.directed:
        assert ga.codes is not None
        loops = np.bincount(ga.codes[ga.src[ga.loops]], minlength=table.shape[0])
        table = table + table.T - np.diag(loops)
    total = table.sum()
    if total == 0:
        return float("nan")
    e = table / total
    s = float((e @ e).sum())
    if s == 1.0:
        return float("nan")
    return float((np.trace(e) - s) / (1.0 - s))


# ---------------------------------------------------------------------------
# homophily and segregation (netseg definitions)
# ---------------------------------------------------------------------------


def homophily(G: nx.Graph, attr: str = "sector") -> pd.Series:
    r"""Coleman's homophily index of each group.

    With :math:`m_{gg}` the ties sent by members of group :math:`g` to members of
    :math:`g`, :math:`m_g` all ties sent by members of :math:`g`, and the number expected
    if they chose partners at random among the other :math:`N - 1` nodes

    .. math::

        w_g = m_g \frac{n_g - 1}{N - 1},

    the index is

    .. math::

        H_g = \frac{m_{gg} - w_g}{m_g - w_g} \text{ if } m_{gg} > w_g, \qquad
        H_g = \frac{m_{gg} - w_g}{w_g} \text{ otherwise.}

    This is the definition of ``coleman()`` in the R package netseg.

    Parameters
    ----------
    G
        Directed graph, or undirected graph (each tie read as two arcs, one each way, as
        netseg's examples do with ``as.directed(g, "mutual")``).
    attr
        Node attribute holding each node's group.

    Returns
    -------
    pandas.Series
        Named ``"homophily"``, indexed by sorted group label (index name ``attr``); values
        in :math:`[-1, 1]`: 1 when all of a group's ties stay inside it, 0 when as
        expected by chance, −1 when none do. NaN for a group that sends no ties, has one
        member, or holds every node (a single group: nothing else to choose).

    Raises
    ------
    TypeError
        If ``G`` is not a networkx graph.
    ValueError
        If a node has no ``attr`` value.

    Examples
    --------
    >>> import networkx as nx
    >>> import connectnet as cn
    >>> G = nx.DiGraph([(1, 2), (2, 3), (3, 4), (4, 5), (5, 6), (6, 1)])  # ring
    >>> nx.set_node_attributes(G, {1: "a", 2: "a", 3: "b", 4: "b", 5: "c", 6: "c"}, "sector")
    >>> cn.homophily(G)  # each group: 1 of 2 arcs inside, 0.4 expected
    sector
    a    0.375
    b    0.375
    c    0.375
    Name: homophily, dtype: float64

    Notes
    -----
    The expected count uses the exact :math:`(n_g - 1)/(N - 1)`, not the approximation in
    Coleman's paper (so his example gives 0.38125 and 0.175, not 0.375 and 0.167).
    Self-loops are ignored. Unlike the E-I index the index is corrected for group size,
    so a large group is not called homophilous just because most people are in it.

    References
    ----------
    Coleman, J. S. (1958). Relational analysis: the study of social organizations with
    survey methods. *Human Organization* 17(4), 28-36.

    Bojanowski, M. and Corten, R. (2014). Measuring segregation in social networks.
    *Social Networks* 38, 14-32.
    """
    ga = _grouped(G, attr)
    src, dst, _ = _ties(ga)
    assert ga.codes is not None
    table = _contact(ga, src, dst, np.ones(src.size))
    if not ga.directed:
        table = table + table.T
    sizes = np.bincount(ga.codes, minlength=table.shape[0]).astype(np.float64)
    sent = table.sum(axis=1)
    inside = np.diag(table).copy()
    expected = sent * _ratio(sizes - 1.0, float(ga.n - 1))
    above = _ratio(inside - expected, sent - expected)
    below = _ratio(inside - expected, expected)
    values = np.where(inside > expected, above, below)
    # one group holding everyone: every tie must stay inside, so there is no choice to
    # measure (0 / 0 in substance, though the formula gives 0)
    values = np.where(sizes == ga.n, np.nan, values)
    return pd.Series(values, index=_group_index(ga, attr), name="homophily")


def segregation(G: nx.Graph, attr: str = "sector") -> pd.Series:
    r"""Network segregation indices: Freeman, odds ratio of within-group ties, Gupta-Anderson-May.

    With :math:`T` ties, :math:`E` of them between groups, :math:`I = T - E`, :math:`N`
    nodes in groups of sizes :math:`n_g`, :math:`S` groups, and :math:`P_I`, :math:`P_E`
    the possible within- and between-group pairs (see :func:`ei_test`):

    ``freeman``
        Freeman's segregation index generalised to any number of groups,
        :math:`(E^* - E)/E^*` with :math:`E^* = T (N^2 - \sum_g n_g^2) / (N(N-1))` the
        between-group ties expected at random. 0: as random; 1: no between-group ties;
        negative: more between-group ties than random (netseg no longer truncates at 0).
    ``orwg``
        Moody's odds ratio of within-group ties: the odds that a within-group pair is
        tied over the odds that a between-group pair is tied,
        :math:`\frac{I/(P_I - I)}{E/(P_E - E)}`. 1: no preference; above 1: within-group
        ties more likely; ``inf`` when there are no between-group ties.
    ``gamix``
        Gupta, Anderson and May's index: with the symmetric mixing matrix :math:`M`
        (between-group ties off the diagonal, twice the within-group ties on it, as
        :func:`mixing_matrix`) row-normalised to :math:`p`, the eigenvalue sum (= trace)
        of :math:`p` less 1, over :math:`S - 1`: :math:`(\sum_g p_{gg} - 1)/(S - 1)`.
        0: proportionate mixing; 1: all ties within groups.

    These are the definitions of ``freeman()``, ``orwg()`` and ``gamix()`` in the R
    package netseg (version 1.0-2).

    Parameters
    ----------
    G
        Undirected or directed simple graph (no parallel edges); weights are not used.
    attr
        Node attribute holding each node's group.

    Returns
    -------
    pandas.Series
        Named ``"segregation"`` with index ``["freeman", "orwg", "gamix"]`` (floats; NaN
        where undefined, see Notes).

    Raises
    ------
    TypeError
        If ``G`` is not a networkx graph.
    ValueError
        If a node has no ``attr`` value, or ``G`` is a multigraph (pairs are tied or not,
        so the odds ratio needs a simple graph; collapse with ``nx.Graph(G)``).

    Examples
    --------
    >>> import networkx as nx
    >>> import connectnet as cn
    >>> G = nx.karate_club_graph()
    >>> cn.segregation(G, "club").round(4)
    freeman    0.7262
    orwg       8.2599
    gamix      0.7175
    Name: segregation, dtype: float64

    Notes
    -----
    Self-loops are ignored (netseg would count them as within-group ties when the graph
    has any). For a directed graph ties are arcs and pairs are ordered pairs (netseg's
    ``freeman()`` accepts only undirected graphs; the same formula applies to arcs), and
    ``gamix`` uses the mixing matrix with arcs counted in both directions (netseg
    symmetrises by copying the upper triangle, which depends on the order of the group
    labels). Undefined values: all three are NaN with a single group or no ties;
    ``gamix`` is NaN when some group has no ties; ``orwg`` is ``inf`` with no
    between-group ties and NaN when a denominator and numerator are both zero.

    References
    ----------
    Freeman, L. C. (1978). Segregation in social networks. *Sociological Methods &
    Research* 6(4), 411-429.

    Moody, J. (2001). Race, school integration, and friendship segregation in America.
    *American Journal of Sociology* 107(3), 679-716.

    Gupta, S., Anderson, R. M. and May, R. M. (1989). Networks of sexual contacts:
    implications for the pattern of spread of HIV. *AIDS* 3(12), 807-817.

    Bojanowski, M. and Corten, R. (2014). Measuring segregation in social networks.
    *Social Networks* 38, 14-32.
    """
    check_graph(G)
    if G.is_multigraph():
        msg = (
            "`G` is a multigraph; segregation indices need a simple graph (a pair is tied "
            "or not). Collapse parallel edges first, e.g. segregation(nx.Graph(G), attr)."
        )
        raise ValueError(msg)
    ga = _grouped(G, attr)
    src, dst, _ = _ties(ga)
    assert ga.codes is not None
    table = _contact(ga, src, dst, np.ones(src.size))
    k = table.shape[0]
    sizes = np.bincount(ga.codes, minlength=k).astype(np.float64)
    n = float(ga.n)
    ties = float(src.size)
    inside = float(np.trace(table))
    between = ties - inside
    # Freeman
    expected_between = _ratio(ties * (n * n - float((sizes * sizes).sum())), n * (n - 1.0))
    freeman = float(_ratio(expected_between - between, expected_between))
    # Moody's odds ratio of within-group ties (R semantics: x/0 = inf, 0/0 = NaN)
    pairs_within = float((sizes * (sizes - 1.0)).sum())
    pairs_between = n * n - float((sizes * sizes).sum())
    if not ga.directed:
        pairs_within /= 2.0
        pairs_between /= 2.0
    with np.errstate(divide="ignore", invalid="ignore"):
        orwg = float(
            np.float64((pairs_between - between) * inside)
            / np.float64((pairs_within - inside) * between)
        )
    # Gupta-Anderson-May
    mixing = table + table.T
    rows = mixing.sum(axis=1)
    if k > 1 and ties > 0 and (rows > 0).all():
        gamix = float((np.trace(mixing / rows[:, None]) - 1.0) / (k - 1))
    else:
        gamix = float("nan")
    return pd.Series(
        [freeman, orwg, gamix], index=["freeman", "orwg", "gamix"], name="segregation"
    )
