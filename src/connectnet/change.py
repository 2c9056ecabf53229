"""Did the network change? Wave comparison, tie changes, permutation tests, QAP, exposure.

Every function that takes two or more waves first *aligns* them on one explicit node set
(see "Alignment of waves" below) and reports who was left out, so that people who joined,
left or did not answer a survey wave never masquerade as lost or new ties.

Alignment of waves
------------------
``nodes="both"`` (default)
    Compare only people who took part in **every** wave. For a contact survey stored as a
    ``DiGraph`` (``source`` reported ``target``) a person took part in a wave if the graph
    lists them in ``G.graph["respondents"]`` or, failing that, if they reported at least one
    contact (out-degree > 0). For an undirected graph every node of the graph takes part.
``nodes="union"``
    Every node of any wave; a node missing from a wave has no ties in it.
a list of node ids
    Exactly these people, in this order; a listed node missing from a wave has no ties in it.

``respondents=`` overrides the inference: a collection of the people who answered every
wave, or a pair ``(before_ids, after_ids)`` of per-wave collections. A symmetrised graph
from :func:`connectnet.contact_graph` no longer shows who answered, so with
``nodes="both"`` and no ``respondents`` a ``UserWarning`` says so.
"""

from __future__ import annotations

import itertools
import sys
import warnings
from collections.abc import Callable, Collection, Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, fields
from typing import Any

import networkx as nx
import numpy as np
import pandas as pd

from connectnet._arrays import _object_index, factorise, graph_arrays

__all__ = [
    "ChangeTestResult",
    "ExposureResult",
    "QAPCorrelationResult",
    "QAPRegressionResult",
    "compare",
    "dyadic_covariate",
    "ei_change_test",
    "exposure_effect",
    "qap_correlation",
    "qap_regression",
    "tie_changes",
]

_ALTERNATIVES = ("two-sided", "greater", "less")
_QUANTILES = (0.025, 0.05, 0.5, 0.95, 0.975)
# Cells handled per permutation batch (bounds memory: a few arrays of this many float64).
_BATCH_CELLS = 4_000_000


# --------------------------------------------------------------------------------------
# Result classes
# --------------------------------------------------------------------------------------
def _fmt(x: Any) -> str:
    if isinstance(x, float):
        if np.isnan(x):
            return "nan"
        return f"{x:.4g}"
    return str(x)


class _Result:
    """Shared ``to_frame`` for the frozen result dataclasses: one row of scalar fields."""

    def _scalars(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for f in fields(self):  # type: ignore[arg-type]
            value = getattr(self, f.name)
            if isinstance(value, (int, float, str, bool, np.integer, np.floating)):
                out[f.name] = value
        for f in fields(self):  # type: ignore[arg-type]
            value = getattr(self, f.name)
            if isinstance(value, tuple) and f"n_{f.name}" not in out:
                out[f"n_{f.name}"] = len(value)
        return out


@dataclass(frozen=True, eq=False, repr=False)
class ChangeTestResult(_Result):
    """Result of :func:`ei_change_test` (paired dyad-swap permutation test).

    Attributes
    ----------
    statistic
        What was compared, e.g. ``"E-I index"`` or ``"block density prison→NHS"``.
    before, after
        The statistic in each wave.
    observed
        ``after - before``.
    expected
        Mean change over the permutations (0 in expectation: the null is symmetric).
    p_value
        p-value for the chosen ``alternative``.
    alternative
        ``"two-sided"``, ``"greater"`` (a rise) or ``"less"`` (a fall).
    p_greater, p_less, p_two_sided
        All three p-values, each ``(b + 1) / (R + 1)``.
    null_sd
        Standard deviation of the permutation distribution.
    null_quantiles
        Quantiles (2.5, 5, 50, 95, 97.5 %) of the permutation distribution.
    n_permutations
        Number of permutations ``R``.
    n_nodes
        People compared.
    n_changed_dyads
        Dyads whose tie state differs between the waves (only these can be swapped with
        any effect).
    ties_before, ties_after
        Ties counted by the statistic in each wave.
    n_excluded
        Nodes of either wave left out by the alignment.
    only_before, only_after
        People taking part in only one wave (see the module notes on alignment).
    null_distribution
        The ``R`` permuted changes.
    """

    statistic: str
    before: float
    after: float
    observed: float
    expected: float
    p_value: float
    alternative: str
    p_greater: float
    p_less: float
    p_two_sided: float
    null_sd: float
    null_quantiles: pd.Series = field(compare=False)
    n_permutations: int
    n_nodes: int
    n_changed_dyads: int
    ties_before: int
    ties_after: int
    n_excluded: int
    only_before: tuple[Hashable, ...]
    only_after: tuple[Hashable, ...]
    null_distribution: np.ndarray = field(compare=False)

    def __repr__(self) -> str:
        lo, hi = self.null_quantiles.loc[0.025], self.null_quantiles.loc[0.975]
        return (
            f"ChangeTestResult({self.statistic}: before {_fmt(self.before)}, "
            f"after {_fmt(self.after)}, change {self.observed:+.4g}\n"
            f"  expected {_fmt(self.expected)} (null SD {_fmt(self.null_sd)}, "
            f"95% of null in [{_fmt(lo)}, {_fmt(hi)}])\n"
            f"  p = {_fmt(self.p_value)} ({self.alternative}); "
            f"greater {_fmt(self.p_greater)}, less {_fmt(self.p_less)}, "
            f"two-sided {_fmt(self.p_two_sided)}\n"
            f"  {self.n_permutations} dyad-swap permutations, {self.n_nodes} people compared "
            f"({self.n_excluded} excluded: {len(self.only_before)} only before, "
            f"{len(self.only_after)} only after), {self.n_changed_dyads} changed dyads)"
        )

    def to_frame(self) -> pd.DataFrame:
        """One-row DataFrame of the scalar fields (people lists as counts ``n_...``),
        indexed by the statistic's name."""
        row = self._scalars()
        name = row.pop("statistic")
        for q, v in self.null_quantiles.items():
            row[f"null_q{q:g}"] = float(v)
        return pd.DataFrame([row], index=pd.Index([name], name="statistic"))


@dataclass(frozen=True, eq=False, repr=False)
class QAPCorrelationResult(_Result):
    """Result of :func:`qap_correlation`.

    Attributes
    ----------
    observed
        Pearson correlation of the off-diagonal cells (R sna ``gcor``).
    expected
        Mean correlation over the node permutations.
    p_value, alternative, p_greater, p_less, p_two_sided
        As in :class:`ChangeTestResult`.
    null_sd
        SD of the permutation distribution.
    n_permutations, n_nodes, n_dyads
        Permutations, nodes and off-diagonal cells used.
    n_excluded
        Nodes of the inputs left out by the alignment.
    excluded
        Those nodes.
    null_distribution
        The permuted correlations.
    """

    observed: float
    expected: float
    p_value: float
    alternative: str
    p_greater: float
    p_less: float
    p_two_sided: float
    null_sd: float
    n_permutations: int
    n_nodes: int
    n_dyads: int
    n_excluded: int
    excluded: tuple[Hashable, ...]
    null_distribution: np.ndarray = field(compare=False)

    def __repr__(self) -> str:
        return (
            f"QAPCorrelationResult(r = {_fmt(self.observed)}, expected "
            f"{_fmt(self.expected)} (null SD {_fmt(self.null_sd)})\n"
            f"  p = {_fmt(self.p_value)} ({self.alternative}); greater "
            f"{_fmt(self.p_greater)}, less {_fmt(self.p_less)}, two-sided "
            f"{_fmt(self.p_two_sided)}\n"
            f"  {self.n_permutations} node permutations, {self.n_nodes} nodes, "
            f"{self.n_dyads} dyads, {self.n_excluded} excluded)"
        )

    def to_frame(self) -> pd.DataFrame:
        """One-row DataFrame of the scalar fields."""
        return pd.DataFrame([self._scalars()], index=pd.Index(["r"], name="statistic"))


@dataclass(frozen=True, eq=False, repr=False)
class QAPRegressionResult(_Result):
    """Result of :func:`qap_regression`.

    Attributes
    ----------
    coefficients
        Table by term (``"(intercept)"`` then the predictors): ``estimate``, ``std_error``
        (OLS), ``t``, permutation p-values ``p_greater``, ``p_less``, ``p_two_sided`` (from
        the t statistics, as R sna ``netlm`` does) and ``null_mean`` (mean permuted
        estimate).
    observed
        Estimates by term (Series).
    expected
        Mean permuted estimate by term (Series).
    p_value
        p-value for the chosen ``alternative`` by term (Series).
    alternative
        ``"two-sided"``, ``"greater"`` or ``"less"``.
    r_squared, adj_r_squared
        (Adjusted) coefficient of determination.
    method
        ``"dsp"`` (Dekker double semi-partialling) or ``"y"`` (permute the outcome).
    n_permutations, n_nodes, n_dyads
        Permutations, nodes and dyads (observations) used.
    directed
        Whether ordered dyads (both cells) or unordered ones (one cell) were used.
    n_excluded, excluded
        Nodes left out by the alignment.
    """

    coefficients: pd.DataFrame = field(compare=False)
    observed: pd.Series = field(compare=False)
    expected: pd.Series = field(compare=False)
    p_value: pd.Series = field(compare=False)
    alternative: str
    r_squared: float
    adj_r_squared: float
    method: str
    n_permutations: int
    n_nodes: int
    n_dyads: int
    directed: bool
    n_excluded: int
    excluded: tuple[Hashable, ...]

    def __repr__(self) -> str:
        table = self.coefficients.to_string(float_format=lambda v: f"{v:.4g}")
        return (
            f"QAPRegressionResult(method={self.method!r}, {self.n_permutations} "
            f"permutations, {self.n_dyads} dyads on {self.n_nodes} nodes, "
            f"R² = {_fmt(self.r_squared)} (adjusted {_fmt(self.adj_r_squared)}), "
            f"{self.n_excluded} excluded\n{table})"
        )

    def to_frame(self) -> pd.DataFrame:
        """The coefficient table (a copy)."""
        return self.coefficients.copy()


@dataclass(frozen=True, eq=False, repr=False)
class ExposureResult(_Result):
    """Result of :func:`exposure_effect`.

    Attributes
    ----------
    observed
        Correlation between events attended and the gain in cross-sector ties.
    expected
        Mean correlation with events shuffled between people.
    p_value, alternative, p_greater, p_less, p_two_sided
        As in :class:`ChangeTestResult`.
    slope
        OLS slope: extra cross-sector ties gained per event attended.
    method
        ``"pearson"`` or ``"spearman"``.
    n_people
        People in the ``source`` group compared.
    n_permutations
        Permutations.
    n_excluded, only_before, only_after
        Alignment report.
    people
        Per-person table: ``events``, ``ties_before``, ``ties_after``, ``gain``.
    dose_response
        By events attended (``0``, ``1``, ``2``, ``3+``): ``people``, ``mean_before``,
        ``mean_after``, ``mean_gain``, ``share_gaining``.
    """

    observed: float
    expected: float
    p_value: float
    alternative: str
    p_greater: float
    p_less: float
    p_two_sided: float
    slope: float
    method: str
    n_people: int
    n_permutations: int
    n_excluded: int
    only_before: tuple[Hashable, ...]
    only_after: tuple[Hashable, ...]
    people: pd.DataFrame = field(compare=False)
    dose_response: pd.DataFrame = field(compare=False)

    def __repr__(self) -> str:
        return (
            f"ExposureResult({self.method} r(events, gain) = {_fmt(self.observed)}, "
            f"expected {_fmt(self.expected)}, slope {_fmt(self.slope)} ties per event\n"
            f"  p = {_fmt(self.p_value)} ({self.alternative}); greater "
            f"{_fmt(self.p_greater)}, less {_fmt(self.p_less)}, two-sided "
            f"{_fmt(self.p_two_sided)}\n"
            f"  {self.n_people} people, {self.n_permutations} permutations, "
            f"{self.n_excluded} excluded: {len(self.only_before)} only before, "
            f"{len(self.only_after)} only after)"
        )

    def to_frame(self) -> pd.DataFrame:
        """One-row DataFrame of the scalar fields (people lists as counts)."""
        return pd.DataFrame([self._scalars()], index=pd.Index(["exposure"], name="statistic"))


# --------------------------------------------------------------------------------------
# Small shared helpers
# --------------------------------------------------------------------------------------
def _rng(seed: Any) -> np.random.Generator:
    return seed if isinstance(seed, np.random.Generator) else np.random.default_rng(seed)


def _check_permutations(n_permutations: Any) -> int:
    if isinstance(n_permutations, bool) or not isinstance(n_permutations, (int, np.integer)):
        msg = f"`n_permutations` must be a positive integer, got {n_permutations!r}."
        raise TypeError(msg)
    if n_permutations < 1:
        msg = f"`n_permutations` must be at least 1, got {n_permutations}; 999 is usual."
        raise ValueError(msg)
    return int(n_permutations)


def _check_alternative(alternative: str) -> str:
    if alternative not in _ALTERNATIVES:
        msg = f"`alternative` must be one of {_ALTERNATIVES}, got {alternative!r}."
        raise ValueError(msg)
    return alternative


def _progress(total: int, progress: bool | None, desc: str) -> Any:
    """A tqdm bar, shown only when asked (``progress=True``) or, by default, when stderr
    is an interactive terminal and the run is long."""
    from tqdm import tqdm

    if progress is None:
        disable = not (hasattr(sys.stderr, "isatty") and sys.stderr.isatty()) or total < 2000
    else:
        disable = not progress
    return tqdm(total=total, desc=desc, unit="perm", disable=disable, leave=False)


def _pvalues(null: np.ndarray, observed: float) -> tuple[float, float, float]:
    """(b + 1) / (R + 1) p-values; ``nan`` permutations count as extreme (conservative)."""
    r = null.size
    tol = 1e-9 * max(1.0, abs(observed))
    bad = np.isnan(null)
    greater = int(np.count_nonzero((null >= observed - tol) | bad))
    less = int(np.count_nonzero((null <= observed + tol) | bad))
    both = int(np.count_nonzero((np.abs(null) >= abs(observed) - tol) | bad))
    return ((greater + 1) / (r + 1), (less + 1) / (r + 1), (both + 1) / (r + 1))


def _pick(alternative: str, pg: Any, pl: Any, p2: Any) -> Any:
    return {"greater": pg, "less": pl, "two-sided": p2}[alternative]


def _obj_array(keys: Iterable[Hashable]) -> np.ndarray:
    keys = list(keys)
    arr = np.empty(len(keys), dtype=object)
    arr[:] = keys
    return arr


def _require_graph(G: Any, name: str) -> nx.Graph:
    if not isinstance(G, nx.Graph):
        msg = f"`{name}` must be a networkx graph, got {type(G).__name__}."
        raise TypeError(msg)
    return G


def _check_pair(before: Any, after: Any) -> bool:
    _require_graph(before, "before")
    _require_graph(after, "after")
    if before.is_directed() != after.is_directed():
        msg = (
            "`before` and `after` must both be directed or both undirected; got a "
            f"{type(before).__name__} and a {type(after).__name__}. Symmetrise the DiGraph "
            "(e.g. G.to_undirected()) or build both waves the same way."
        )
        raise TypeError(msg)
    return before.is_directed()


# --------------------------------------------------------------------------------------
# Alignment
# --------------------------------------------------------------------------------------
@dataclass(frozen=True, eq=False)
class _Alignment:
    nodes: list[Hashable]
    index: pd.Index
    excluded: tuple[Hashable, ...]
    only_first: tuple[Hashable, ...]
    only_last: tuple[Hashable, ...]


def _participants(G: nx.Graph) -> set[Hashable]:
    """Who took part in the wave ``G`` (see the module notes)."""
    listed = G.graph.get("respondents")
    if listed is not None:
        return set(listed)
    if G.is_directed():
        return {u for u, d in G.out_degree() if d > 0}
    return set(G)


def _is_pair(respondents: Any) -> bool:
    return (
        isinstance(respondents, tuple)
        and len(respondents) == 2
        and all(
            isinstance(r, (set, frozenset, list, tuple, pd.Index, pd.Series, np.ndarray))
            for r in respondents
        )
    )


def _symmetrised_survey(G: nx.Graph) -> bool:
    return (
        not G.is_directed()
        and G.graph.get("created_with") == "connectnet.contact_graph"
        and G.graph.get("respondents") is None
    )


def _align(
    graphs: Sequence[nx.Graph],
    nodes: str | Sequence[Hashable],
    respondents: Any,
    stacklevel: int = 3,
) -> _Alignment:
    """Align waves on one node set; see the module notes."""
    all_nodes = list(dict.fromkeys(v for G in graphs for v in G))
    present = set(all_nodes)
    if respondents is None:
        parts = [_participants(G) for G in graphs]
        if nodes == "both" and any(_symmetrised_survey(G) for G in graphs):
            msg = (
                "a symmetrised contact graph does not show who answered the survey, so "
                "every node is treated as a respondent and non-respondents count as "
                "having no ties. Pass `respondents=` (e.g. the people with out-arcs in "
                "the directed contact graph of each wave), or set G.graph['respondents']."
            )
            warnings.warn(msg, UserWarning, stacklevel=stacklevel)
    elif _is_pair(respondents):
        if len(graphs) != 2:
            msg = (
                f"a pair of `respondents` lists needs exactly two waves, got {len(graphs)}; "
                "pass one collection of the people who answered every wave."
            )
            raise ValueError(msg)
        parts = [set(respondents[0]), set(respondents[1])]
    elif isinstance(respondents, (str, bytes)) or not isinstance(respondents, Iterable):
        msg = (
            "`respondents` must be a collection of node ids (people who answered every "
            f"wave) or a pair (before_ids, after_ids); got {respondents!r}."
        )
        raise TypeError(msg)
    else:
        both = set(respondents)
        parts = [both for _ in graphs]
    if respondents is not None:
        unknown = [v for v in dict.fromkeys(v for p in parts for v in p) if v not in present]
        if unknown:
            first = ", ".join(repr(v) for v in unknown[:5])
            msg = (
                f"{len(unknown)} `respondents` are not nodes of any wave (first: {first}). "
                "Add them to the graphs as isolated nodes (with their attributes) or "
                "leave them out."
            )
            raise ValueError(msg)
    if isinstance(nodes, str):
        if nodes == "both":
            keep = [v for v in all_nodes if all(v in p for p in parts)]
        elif nodes == "union":
            keep = all_nodes
        else:
            msg = f'`nodes` must be "both", "union" or a list of node ids, got {nodes!r}.'
            raise ValueError(msg)
    else:
        keep = list(nodes)
        if len(set(keep)) != len(keep):
            msg = "`nodes` lists some node more than once; give each node once."
            raise ValueError(msg)
        missing = [v for v in keep if v not in present]
        if missing:
            first = ", ".join(repr(v) for v in missing[:5])
            msg = (
                f"{len(missing)} of `nodes` are in no wave (first: {first}); add them to "
                "the graphs as isolated nodes or remove them from `nodes`."
            )
            raise ValueError(msg)
    kept = set(keep)
    excluded = tuple(v for v in all_nodes if v not in kept)
    p_first, p_last = parts[0], parts[-1]
    only_first = tuple(v for v in all_nodes if v in p_first and v not in p_last)
    only_last = tuple(v for v in all_nodes if v in p_last and v not in p_first)
    return _Alignment(keep, _object_index(keep), excluded, only_first, only_last)


def _edges_on(G: nx.Graph, index: pd.Index, *, weight: str | None = None) -> tuple:
    """Edge end positions (and weights) of ``G`` on the aligned node index, self-loops and
    edges touching excluded nodes dropped."""
    ga = graph_arrays(G, weight=weight)
    pos = index.get_indexer(_obj_array(ga.nodes)).astype(np.int64)
    u = pos[ga.src]
    v = pos[ga.dst]
    ok = (u >= 0) & (v >= 0) & (u != v)
    return u[ok], v[ok], ga.weight[ok]


def _tie_keys(G: nx.Graph, index: pd.Index, directed: bool) -> np.ndarray:
    """Sorted unique dyad keys ``u * n + v`` of the (binary) ties of ``G``."""
    n = len(index)
    u, v, _ = _edges_on(G, index)
    if not directed:
        u, v = np.minimum(u, v), np.maximum(u, v)
    return np.unique(u * n + v)


def _node_values(graphs: Sequence[nx.Graph], nodes: Sequence[Hashable], attr: str) -> np.ndarray:
    """Attribute per node, taken from the latest wave that has it (object array)."""
    out = np.empty(len(nodes), dtype=object)
    for i, v in enumerate(nodes):
        value = None
        for G in reversed(graphs):
            if v in G:
                value = G.nodes[v].get(attr)
                if value is not None and not (isinstance(value, float) and np.isnan(value)):
                    break
                value = None
        out[i] = value
    return out


def _codes(values: np.ndarray, attr: str, nodes: Sequence[Hashable]) -> tuple:
    """Factorise attribute values (sorted labels); raise if any node has none."""
    missing = np.flatnonzero(pd.isna(pd.Series(values, dtype=object)).to_numpy())
    if missing.size:
        first = ", ".join(repr(nodes[i]) for i in missing[:5])
        msg = (
            f"{missing.size} node(s) have no `{attr}` attribute in any wave (first: "
            f"{first}). Set it, e.g. nx.set_node_attributes(G, values, {attr!r}), or "
            "leave those people out with `nodes=`."
        )
        raise ValueError(msg)
    return factorise(pd.Series(values, dtype=object))


def _within_codes(graphs: Sequence[nx.Graph], nodes: Sequence[Hashable], within: str) -> Any:
    """Codes of the ``within`` attribute; ``-1`` where missing (never matches)."""
    values = pd.Series(_node_values(graphs, nodes, within), dtype=object)
    codes, _ = pd.factorize(values, use_na_sentinel=True)
    if len(nodes) and (codes < 0).all():
        msg = (
            f"no compared person has a `{within}` attribute, so `within={within!r}` would "
            "count no dyad. Check the attribute name (e.g. 'region'), or set it with "
            f"nx.set_node_attributes(G, values, {within!r})."
        )
        raise ValueError(msg)
    return codes.astype(np.int64)


def _group_position(groups: list[Hashable], label: Any, name: str) -> int:
    if label not in groups:
        msg = f"`{name}`={label!r} is not a group; groups found: {groups}."
        raise ValueError(msg)
    return groups.index(label)


# --------------------------------------------------------------------------------------
# ei_change_test
# --------------------------------------------------------------------------------------
def ei_change_test(
    before: nx.Graph,
    after: nx.Graph,
    attr: str = "sector",
    *,
    source: Hashable | None = None,
    target: Hashable | None = None,
    within: str | None = None,
    nodes: str | Sequence[Hashable] = "both",
    respondents: Any = None,
    alternative: str = "two-sided",
    n_permutations: int = 1000,
    seed: int | np.random.Generator | None = None,
    progress: bool | None = None,
) -> ChangeTestResult:
    """Paired permutation test of a change in E-I index (or in one block density).

    The waves are aligned on one node set, every dyad's tie states in the two waves are
    swapped at random (independently per dyad, probability 1/2), and the statistic's
    change is recomputed; the permutation distribution is the change expected if the two
    waves were exchangeable — if nothing happened between them.

    Parameters
    ----------
    before, after
        The two waves, both ``nx.Graph`` or both ``nx.DiGraph``. Ties are binary (any edge
        is a tie; weights are ignored).
    attr
        Node attribute with each person's group (sector), taken from the later wave when
        both have it.
    source, target
        Give both to test the density of ``source``→``target`` ties instead of E-I (for a
        ``DiGraph`` the arcs from ``source`` to ``target`` people; undirected: ties between
        the two groups, or within the group when equal).
    within
        Optional node attribute (e.g. ``"region"``): only dyads whose two people share a
        value count (missing values never match) — "prison–NHS ties within a region".
    nodes, respondents
        Wave alignment; see the module notes. Default: people who took part in both waves.
    alternative
        Which p-value is ``p_value``: ``"two-sided"``, ``"greater"`` (a rise) or
        ``"less"``.
    n_permutations
        Number of random dyad swaps ``R``.
    seed
        Seed or ``numpy.random.Generator``.
    progress
        Show a progress bar (default: only for long runs in an interactive terminal).

    Returns
    -------
    ChangeTestResult
        Observed change ``after - before``, its null mean, SD and quantiles, and one-
        and two-sided p-values ``(b + 1) / (R + 1)``.

    Raises
    ------
    TypeError
        If the waves are not networkx graphs of the same directedness.
    ValueError
        If a node has no ``attr``; ``source``/``target`` are not groups or only one is
        given; no compared person has ``within``; no tie is counted in a wave; bad
        ``nodes``/``respondents``/``alternative``.

    Examples
    --------
    >>> import networkx as nx
    >>> import connectnet as cn
    >>> before = nx.Graph([(0, 1), (2, 3), (0, 2)])
    >>> after = nx.Graph([(0, 1), (2, 3), (0, 2), (0, 3), (1, 3), (1, 2)])
    >>> for G in (before, after):
    ...     nx.set_node_attributes(G, {0: "prison", 1: "prison", 2: "NHS", 3: "NHS"}, "sector")
    >>> res = cn.ei_change_test(before, after, "sector", n_permutations=99, seed=1)
    >>> round(res.before, 3), round(res.after, 3), round(res.observed, 3)
    (-0.333, 0.333, 0.667)
    >>> res.n_changed_dyads
    3

    Notes
    -----
    E-I index (Krackhardt & Stern 1988): :math:`(E - I) / (E + I)` with :math:`E` the ties
    between groups and :math:`I` the ties within, each undirected tie or each arc counted
    once. Block density: ties counted / possible dyads.

    Only dyads whose state changed carry information; the null distribution of
    ``after - before`` is exactly symmetric about 0 (swapping every dyad swaps the
    waves). The test is exact when dyads are exchangeable between waves — both waves drawn
    from the same model with dyads independent given the people (any heterogeneity that
    is the same in both waves is allowed). For a ``DiGraph`` the two arcs of a pair are
    swapped together, which keeps reciprocity. The test does not model dependence
    *between* dyads (e.g. one respondent who names many more people in the second wave);
    check ``tie_changes(..., by="node")`` for such people. A permutation that leaves a
    wave with no counted tie gives an undefined E-I; it is counted as at least as extreme
    as the observed change (conservative).

    Edge cases: isolates are compared people with no ties (they add possible pairs to a
    block density, nothing to E-I); with a single group E-I is -1 in both waves, so the
    change is 0 and every p-value 1; identical waves give change 0 and p = 1; with few
    changed dyads the null is discrete and the test conservative (report
    ``n_changed_dyads``). Self-loops are ignored.

    Permutations are batched: each batch is one matrix product of random swap indicators
    (permutations × changed dyads) with the per-dyad change in the counts.

    References
    ----------
    Krackhardt, D. & Stern, R. N. (1988). Informal networks and organizational crises: an
    experimental simulation. *Social Psychology Quarterly* 51(2), 123-140.
    Good, P. (2005). *Permutation, Parametric, and Bootstrap Tests of Hypotheses*, 3rd
    ed., Springer (paired permutation tests).
    """
    directed = _check_pair(before, after)
    R = _check_permutations(n_permutations)
    _check_alternative(alternative)
    if (source is None) != (target is None):
        msg = "give both `source` and `target` (block density) or neither (E-I index)."
        raise ValueError(msg)
    al = _align([before, after], nodes, respondents)
    n = len(al.nodes)
    codes, groups = _codes(_node_values([before, after], al.nodes, attr), attr, al.nodes)
    kb = _tie_keys(before, al.index, directed)
    ka = _tie_keys(after, al.index, directed)
    keys = np.union1d(kb, ka)
    in_b = np.isin(keys, kb, assume_unique=True)
    in_a = np.isin(keys, ka, assume_unique=True)
    u, v = keys // max(n, 1), keys % max(n, 1)
    cu, cv = codes[u], codes[v]
    mask = np.ones(keys.size, dtype=bool)
    wcodes = None
    if within is not None:
        wcodes = _within_codes([before, after], al.nodes, within)
        mask = (wcodes[u] >= 0) & (wcodes[u] == wcodes[v])

    if source is None:
        name = f"E-I index ({attr})" if within is None else f"E-I index ({attr}, within {within})"
        category = np.where(cu != cv, 0, 1)  # 0 = external, 1 = internal
        n_cat = 2

        def stat(counts: np.ndarray) -> np.ndarray:
            e, i = counts[..., 0], counts[..., 1]
            tot = e + i
            with np.errstate(invalid="ignore", divide="ignore"):
                return np.where(tot > 0, (e - i) / np.where(tot > 0, tot, 1), np.nan)

    else:
        s = _group_position(groups, source, "source")
        t = _group_position(groups, target, "target")
        arrow = "→" if directed else "–"
        name = f"block density {source}{arrow}{target}"
        if within is not None:
            name += f" (within {within})"
        hit = (cu == s) & (cv == t)
        if not directed:
            hit |= (cu == t) & (cv == s)
        mask &= hit
        category = np.zeros(keys.size, dtype=np.int64)
        n_cat = 1
        possible = _possible_pairs(codes, s, t, directed, wcodes)
        if possible == 0:
            msg = f"there are no possible {source}–{target} dyads to compare."
            raise ValueError(msg)

        def stat(counts: np.ndarray) -> np.ndarray:
            return counts[..., 0] / possible

    keys, u, v, in_b, in_a, category = (a[mask] for a in (keys, u, v, in_b, in_a, category))
    counts_b = np.bincount(category[in_b], minlength=n_cat).astype(np.float64)
    counts_a = np.bincount(category[in_a], minlength=n_cat).astype(np.float64)
    for label, c in (("before", counts_b), ("after", counts_a)):
        if c.sum() == 0 and source is None:
            msg = f"no ties are counted in the `{label}` wave, so its E-I index is undefined."
            raise ValueError(msg)
    changed = in_b != in_a
    delta = np.where(in_a[changed], 1.0, -1.0)  # +1 new tie, -1 lost tie
    dyad = np.minimum(u[changed], v[changed]) * n + np.maximum(u[changed], v[changed])
    dyad_ids, inverse = np.unique(dyad, return_inverse=True)
    D = dyad_ids.size
    per_dyad = np.zeros((D, n_cat))
    np.add.at(per_dyad, (inverse, category[changed]), delta)
    obs_b, obs_a = float(stat(counts_b)), float(stat(counts_a))
    observed = obs_a - obs_b

    rng = _rng(seed)
    null = np.empty(R)
    batch = max(1, min(R, _BATCH_CELLS // max(D, 1)))
    with _progress(R, progress, "dyad swaps") as bar:
        for start in range(0, R, batch):
            b = min(batch, R - start)
            swaps = rng.integers(0, 2, size=(b, D)).astype(np.float64)
            shift = swaps @ per_dyad  # (b, n_cat): counts moved from after to before
            null[start : start + b] = stat(counts_a - shift) - stat(counts_b + shift)
            bar.update(b)
    pg, pl, p2 = _pvalues(null, observed)
    finite = null[~np.isnan(null)]
    quant = np.quantile(finite, _QUANTILES) if finite.size else np.full(5, np.nan)
    return ChangeTestResult(
        statistic=name,
        before=obs_b,
        after=obs_a,
        observed=float(observed),
        expected=float(finite.mean()) if finite.size else float("nan"),
        p_value=float(_pick(alternative, pg, pl, p2)),
        alternative=alternative,
        p_greater=float(pg),
        p_less=float(pl),
        p_two_sided=float(p2),
        null_sd=float(finite.std(ddof=1)) if finite.size > 1 else float("nan"),
        null_quantiles=pd.Series(
            quant, index=pd.Index(_QUANTILES, name="quantile"), name="null_change"
        ),
        n_permutations=R,
        n_nodes=n,
        n_changed_dyads=int(D),
        ties_before=int(counts_b.sum()),
        ties_after=int(counts_a.sum()),
        n_excluded=len(al.excluded),
        only_before=al.only_first,
        only_after=al.only_last,
        null_distribution=null,
    )


def _possible_pairs(
    codes: np.ndarray, s: int, t: int, directed: bool, wcodes: np.ndarray | None
) -> float:
    """Number of dyads between groups ``s`` and ``t`` (ordered ``s``→``t`` if directed),
    optionally only pairs sharing a ``within`` value."""
    if wcodes is None:
        ns, nt = np.count_nonzero(codes == s), np.count_nonzero(codes == t)
        if s != t:
            return float(ns * nt)
        return float(ns * (ns - 1) if directed else ns * (ns - 1) / 2)
    ok = wcodes >= 0
    size = int(wcodes.max()) + 1 if ok.any() else 0
    ms = np.bincount(wcodes[ok & (codes == s)], minlength=size).astype(np.float64)
    mt = np.bincount(wcodes[ok & (codes == t)], minlength=size).astype(np.float64)
    if s != t:
        return float(ms @ mt)
    pairs = float((ms * (ms - 1)).sum())
    return pairs if directed else pairs / 2


# --------------------------------------------------------------------------------------
# tie_changes
# --------------------------------------------------------------------------------------
def tie_changes(
    before: nx.Graph,
    after: nx.Graph,
    attr: str | None = None,
    *,
    by: str = "pair",
    nodes: str | Sequence[Hashable] = "both",
    respondents: Any = None,
) -> pd.DataFrame:
    """Ties before, after, new, lost and kept, by group pair or by person.

    Parameters
    ----------
    before, after
        The two waves, both ``nx.Graph`` or both ``nx.DiGraph`` (ties are binary).
    attr
        Node attribute giving each person's group; ``None`` puts everyone in one group
        ``"all"``.
    by
        ``"pair"``: one row per group pair (ordered for a ``DiGraph``: the row
        ``("prison", "NHS")`` counts arcs from prison to NHS people; unordered for a
        ``Graph``, labels sorted). ``"node"``: one row per person, counting the ties
        (either direction) that touch them.
    nodes, respondents
        Wave alignment; see the module notes. Default: people who took part in both waves.

    Returns
    -------
    pandas.DataFrame
        Columns ``before``, ``after``, ``new``, ``lost``, ``kept`` (tie counts) and
        ``stability`` = kept / (before + after - kept), the Jaccard similarity of the two
        tie sets (``nan`` with no ties in either wave). ``by="pair"`` adds ``possible``
        (dyads between the groups), ``density_before`` and ``density_after``, indexed by
        ``(group_from, group_to)``; ``by="node"`` is indexed by node and adds the
        ``attr`` column when given. ``DataFrame.attrs`` records ``n_nodes``,
        ``n_excluded``, ``only_before`` and ``only_after``.

    Raises
    ------
    TypeError
        If the waves are not networkx graphs of the same directedness.
    ValueError
        If ``by`` is unknown, a node has no ``attr``, or the alignment arguments are bad.

    Examples
    --------
    >>> import networkx as nx
    >>> import connectnet as cn
    >>> before = nx.Graph([("a", "b"), ("a", "c")])
    >>> after = nx.Graph([("a", "b"), ("b", "c")])
    >>> table = cn.tie_changes(before, after)
    >>> table.loc[("all", "all"), ["before", "after", "new", "lost", "kept"]].tolist()
    [2, 2, 1, 1, 1]
    >>> round(float(table.loc[("all", "all"), "stability"]), 3)
    0.333
    >>> cn.tie_changes(before, after, by="node")["new"].to_dict()
    {'a': 0, 'b': 1, 'c': 1}

    Notes
    -----
    Every group pair is listed, including pairs with no ties in either wave (their
    ``stability`` is ``nan``); an isolate counts in ``possible`` and has zeros in the
    by-person table; self-loops and ties to people outside the aligned set are ignored.
    Counting ties by person (``by="node"``) sums to twice the total, as each tie touches
    two people.
    """
    directed = _check_pair(before, after)
    if by not in ("pair", "node"):
        msg = f'`by` must be "pair" or "node", got {by!r}.'
        raise ValueError(msg)
    al = _align([before, after], nodes, respondents)
    n = len(al.nodes)
    kb = _tie_keys(before, al.index, directed)
    ka = _tie_keys(after, al.index, directed)
    keys = np.union1d(kb, ka)
    in_b = np.isin(keys, kb, assume_unique=True)
    in_a = np.isin(keys, ka, assume_unique=True)
    u, v = keys // max(n, 1), keys % max(n, 1)
    if attr is None:
        codes, groups = np.zeros(n, dtype=np.int64), ["all"]
    else:
        codes, groups = _codes(_node_values([before, after], al.nodes, attr), attr, al.nodes)
    columns = {
        "before": in_b,
        "after": in_a,
        "new": in_a & ~in_b,
        "lost": in_b & ~in_a,
        "kept": in_a & in_b,
    }
    meta = {
        "n_nodes": n,
        "n_excluded": len(al.excluded),
        "only_before": list(al.only_first),
        "only_after": list(al.only_last),
    }
    if by == "node":
        ends = np.concatenate([u, v])
        table = pd.DataFrame(
            {
                k: np.bincount(ends[np.concatenate([m, m])], minlength=n).astype(np.int64)
                for k, m in columns.items()
            },
            index=al.index,
        )
        if attr is not None:
            table[attr] = np.asarray(groups, dtype=object)[codes]
    else:
        g = len(groups)
        cu, cv = codes[u], codes[v]
        if not directed:
            cu, cv = np.minimum(cu, cv), np.maximum(cu, cv)
        pair = cu * g + cv
        counts = {
            k: np.bincount(pair[m], minlength=g * g).astype(np.int64) for k, m in columns.items()
        }
        sizes = np.bincount(codes, minlength=g).astype(np.float64)
        possible = np.outer(sizes, sizes) - np.diag(sizes)
        if not directed:
            possible = np.where(np.eye(g, dtype=bool), possible / 2, possible)
        rows = [(a, b) for a in range(g) for b in range(g) if directed or a <= b]
        sel = np.array([a * g + b for a, b in rows], dtype=np.int64)
        index = pd.MultiIndex.from_tuples(
            [(groups[a], groups[b]) for a, b in rows], names=["group_from", "group_to"]
        )
        table = pd.DataFrame({k: c[sel] for k, c in counts.items()}, index=index)
        table["possible"] = possible.ravel()[sel].astype(np.int64)
    union = (table["before"] + table["after"] - table["kept"]).to_numpy(dtype=np.float64)
    with np.errstate(invalid="ignore", divide="ignore"):
        table["stability"] = np.where(
            union > 0, table["kept"] / np.where(union > 0, union, 1), np.nan
        )
        if by == "pair":
            pos = table["possible"].to_numpy(dtype=np.float64)
            for col in ("before", "after"):
                table[f"density_{col}"] = np.where(
                    pos > 0, table[col] / np.where(pos > 0, pos, 1), np.nan
                )
    table.attrs.update(meta)
    return table


# --------------------------------------------------------------------------------------
# Matrices for QAP
# --------------------------------------------------------------------------------------
def _resolve_matrix_nodes(
    objs: Mapping[str, Any], nodes: Any, respondents: Any
) -> tuple[list[Hashable], tuple[Hashable, ...]]:
    graphs = [o for o in objs.values() if isinstance(o, nx.Graph)]
    frames = [o for o in objs.values() if isinstance(o, pd.DataFrame)]
    arrays = [k for k, o in objs.items() if not isinstance(o, (nx.Graph, pd.DataFrame))]
    for k in arrays:
        a = objs[k]
        if not isinstance(a, np.ndarray) or a.ndim != 2 or a.shape[0] != a.shape[1]:
            msg = (
                f"`{k}` must be a networkx graph, a square DataFrame indexed by node, or a "
                f"square numpy array; got {type(a).__name__}"
                + (f" of shape {a.shape}" if isinstance(a, np.ndarray) else "")
                + "."
            )
            raise TypeError(msg)
    if not isinstance(nodes, str):
        keep = list(nodes)
        if len(set(keep)) != len(keep):
            msg = "`nodes` lists some node more than once; give each node once."
            raise ValueError(msg)
        return keep, ()
    if arrays and (graphs or frames):
        msg = (
            f"{arrays} are numpy arrays with no node labels while other inputs are graphs "
            "or DataFrames; pass `nodes=` as the list of node ids in the arrays' order."
        )
        raise ValueError(msg)
    if arrays:
        sizes = {objs[k].shape[0] for k in arrays}
        if len(sizes) != 1:
            msg = f"the matrices have different sizes {sorted(sizes)}; they must match."
            raise ValueError(msg)
        return list(range(sizes.pop())), ()
    if graphs:
        al = _align(graphs, nodes, respondents, stacklevel=4)
        keep, excluded = al.nodes, list(al.excluded)
    else:
        keep, excluded = list(frames[0].index), []
    for f in frames:
        labels = set(f.index) & set(f.columns)
        if nodes == "union" and not set(keep) <= labels:
            miss = [v for v in keep if v not in labels]
            msg = (
                f"a DataFrame covers only {len(labels)} of the {len(keep)} nodes (missing, "
                f"first: {miss[:5]}); use nodes='both' or complete it."
            )
            raise ValueError(msg)
        excluded += [v for v in keep if v not in labels]
        keep = [v for v in keep if v in labels]
    return keep, tuple(dict.fromkeys(excluded))


def _as_matrix(obj: Any, name: str, nodes: list[Hashable], weight: str | None) -> np.ndarray:
    """Dense ``n x n`` float matrix of ``obj`` in ``nodes`` order."""
    n = len(nodes)
    if isinstance(obj, nx.Graph):
        index = _object_index(nodes)
        u, v, w = _edges_on(obj, index, weight=weight)
        M = np.zeros((n, n))
        if weight is None:  # binary: parallel edges of a multigraph are one tie
            M[u, v] = 1.0
            if not obj.is_directed():
                M[v, u] = 1.0
            return M
        np.add.at(M, (u, v), w)  # valued: parallel edges' weights add up
        if not obj.is_directed():
            np.add.at(M, (v, u), w)
        return M
    if isinstance(obj, pd.DataFrame):
        labels = _obj_array(nodes)
        missing = [x for x in nodes if x not in obj.index or x not in obj.columns]
        if missing:
            msg = (
                f"DataFrame `{name}` has no row/column for {len(missing)} node(s), "
                f"e.g. {missing[:5]}."
            )
            raise ValueError(msg)
        M = obj.loc[labels, labels].to_numpy(dtype=np.float64, copy=True)
    else:
        M = np.array(obj, dtype=np.float64, copy=True)
        if M.shape != (n, n):
            msg = f"`{name}` has shape {M.shape} but there are {n} nodes; expected ({n}, {n})."
            raise ValueError(msg)
    if not np.isfinite(M[~np.eye(n, dtype=bool)]).all():
        msg = f"`{name}` has missing or infinite off-diagonal values; fill or drop them."
        raise ValueError(msg)
    return M


def _cells(n: int, directed: bool) -> tuple[np.ndarray, np.ndarray]:
    """Row/column indices of the cells used: off-diagonal, or the upper triangle."""
    if directed:
        r, c = np.nonzero(~np.eye(n, dtype=bool))
    else:
        r, c = np.triu_indices(n, k=1)
    return r.astype(np.int64), c.astype(np.int64)


def _permuted_cells(
    rng: np.random.Generator, b: int, n: int, rows: np.ndarray, cols: np.ndarray
) -> np.ndarray:
    """Flat indices of the cells ``(pi[r], pi[c])`` for ``b`` random node permutations."""
    perms = np.argsort(rng.random((b, n)), axis=1)
    return perms[:, rows] * n + perms[:, cols]


# --------------------------------------------------------------------------------------
# QAP correlation
# --------------------------------------------------------------------------------------
def qap_correlation(
    g1: Any,
    g2: Any,
    *,
    nodes: str | Sequence[Hashable] = "both",
    respondents: Any = None,
    weight: str | None = None,
    alternative: str = "two-sided",
    n_permutations: int = 1000,
    seed: int | np.random.Generator | None = None,
    progress: bool | None = None,
) -> QAPCorrelationResult:
    """Graph correlation with a QAP (node-permutation) test.

    Parameters
    ----------
    g1, g2
        Graphs, square DataFrames indexed by node, or square numpy arrays (then in the
        same node order; with graphs or DataFrames pass ``nodes=`` as that order).
    nodes, respondents
        Alignment of graph inputs; see the module notes. DataFrames are restricted to the
        aligned nodes (``"both"`` also drops nodes a DataFrame lacks).
    weight
        Edge attribute used as the cell value of graph inputs; ``None``: 1 per tie (a
        multigraph's parallel edges count once; with ``weight`` their values add up).
    alternative
        Which p-value is ``p_value``.
    n_permutations, seed, progress
        Number of permutations, seed, progress bar (see :func:`ei_change_test`).

    Returns
    -------
    QAPCorrelationResult
        ``observed`` r, equal to R sna ``gcor(g1, g2)``; permutation p-values.

    Raises
    ------
    TypeError
        If an input is not a graph, DataFrame or square array.
    ValueError
        If the inputs do not cover the nodes, sizes differ, a matrix has missing values,
        or either has no variation off the diagonal (r undefined).

    Examples
    --------
    >>> import networkx as nx
    >>> import connectnet as cn
    >>> g1 = nx.DiGraph([(0, 1), (1, 2), (2, 0), (0, 2)])
    >>> g2 = nx.DiGraph([(0, 1), (1, 2), (2, 0)])
    >>> res = cn.qap_correlation(g1, g2, n_permutations=99, seed=1)
    >>> round(res.observed, 4)
    0.7071

    Notes
    -----
    :math:`r` is the Pearson correlation of the two matrices' off-diagonal cells (for
    symmetric matrices, the same as over one triangle). In each permutation the rows and
    columns of ``g2`` are relabelled by one random node permutation, which keeps each
    network's structure (degrees, clustering) and breaks only the alignment between the
    two — the QAP null (Krackhardt 1987). An empty or complete graph has no variation, so
    r is undefined and a ``ValueError`` is raised; isolates are rows and columns of zeros.
    Because a permutation only moves cells, the
    means and SDs stay fixed and each permuted r is one dot product over the non-zero
    cells of the sparser matrix (which is held fixed while the other is permuted — the
    same null distribution); permutations are batched as index arrays.

    References
    ----------
    Krackhardt, D. (1987). QAP partialling as a test of spuriousness. *Social Networks* 9,
    171-186. Butts, C. T. (2008). Social network analysis with sna. *Journal of
    Statistical Software* 24(6).
    """
    R = _check_permutations(n_permutations)
    _check_alternative(alternative)
    keep, excluded = _resolve_matrix_nodes({"g1": g1, "g2": g2}, nodes, respondents)
    n = len(keep)
    if n < 3:
        msg = f"QAP needs at least 3 nodes, found {n}."
        raise ValueError(msg)
    X = _as_matrix(g1, "g1", keep, weight)
    Y = _as_matrix(g2, "g2", keep, weight)
    rows, cols = _cells(n, True)
    x = X[rows, cols]
    y = Y[rows, cols]
    xc = x - x.mean()
    yc = y - y.mean()
    denom = float(np.sqrt((xc @ xc) * (yc @ yc)))
    if denom == 0:
        which = "g1" if xc @ xc == 0 else "g2"
        msg = f"`{which}` has the same value in every off-diagonal cell, so r is undefined."
        raise ValueError(msg)
    observed = float(xc @ yc / denom)
    # Permuting g2 by pi has the same distribution as permuting g1 by pi's inverse, so
    # keep the sparser matrix F fixed and sum only over its non-zero cells:
    #   sum_ij (F_ij - mean F) P[pi_i, pi_j] = sum_{F_ij != 0} F_ij P[pi_i, pi_j] - const.
    if np.count_nonzero(x) <= np.count_nonzero(y):
        fixed, pflat, total = x, Y.ravel(), y.sum()
    else:
        fixed, pflat, total = y, X.ravel(), x.sum()
    nz = fixed != 0
    fr, fc, fv = rows[nz], cols[nz], fixed[nz]
    const = fixed.mean() * total
    rng = _rng(seed)
    null = np.empty(R)
    batch = max(1, min(R, _BATCH_CELLS // max(fr.size, n)))
    with _progress(R, progress, "QAP permutations") as bar:
        for start in range(0, R, batch):
            b = min(batch, R - start)
            idx = _permuted_cells(rng, b, n, fr, fc)
            null[start : start + b] = (pflat[idx] @ fv - const) / denom
            bar.update(b)
    pg, pl, p2 = _pvalues(null, observed)
    return QAPCorrelationResult(
        observed=observed,
        expected=float(null.mean()),
        p_value=float(_pick(alternative, pg, pl, p2)),
        alternative=alternative,
        p_greater=float(pg),
        p_less=float(pl),
        p_two_sided=float(p2),
        null_sd=float(null.std(ddof=1)) if R > 1 else float("nan"),
        n_permutations=R,
        n_nodes=n,
        n_dyads=int(rows.size),
        n_excluded=len(excluded),
        excluded=excluded,
        null_distribution=null,
    )


# --------------------------------------------------------------------------------------
# QAP regression
# --------------------------------------------------------------------------------------
def qap_regression(
    y: Any,
    X: Mapping[str, Any],
    *,
    nodes: str | Sequence[Hashable] = "both",
    respondents: Any = None,
    method: str = "dsp",
    directed: bool | None = None,
    weight: str | None = None,
    alternative: str = "two-sided",
    n_permutations: int = 1000,
    seed: int | np.random.Generator | None = None,
    progress: bool | None = None,
) -> QAPRegressionResult:
    """Multiple regression of one network on others (MRQAP), with permutation p-values.

    Parameters
    ----------
    y
        Outcome: a graph, square DataFrame indexed by node, or square numpy array.
    X
        Predictors: a mapping from a name to a graph, DataFrame (e.g. from
        :func:`dyadic_covariate`) or array. An intercept is always added.
    nodes, respondents
        Alignment of graph inputs; see the module notes and :func:`qap_correlation`.
    method
        ``"dsp"`` (default): Dekker et al.'s double semi-partialling — for each term,
        permute the residuals of that predictor regressed on the others. ``"y"``:
        permute the outcome's rows and columns (simpler; anti-conservative when
        predictors are correlated and structured).
    directed
        Use ordered dyads (both off-diagonal cells) or unordered ones (one triangle).
        Default: unordered if ``y`` is an undirected ``nx.Graph``, else ordered (as R sna's
        default ``mode="digraph"``). Estimates are the same either way for symmetric data;
        standard errors and the dyad count differ.
    weight
        Edge attribute used as the cell value of graph inputs; ``None``: 1 per tie (a
        multigraph's parallel edges count once; with ``weight`` their values add up).
    alternative
        Which p-value is ``p_value``.
    n_permutations, seed, progress
        See :func:`ei_change_test`.

    Returns
    -------
    QAPRegressionResult
        Coefficient table (estimate, OLS standard error, t, permutation p-values from
        the t statistics, null mean), R², adjusted R², dyads used.

    Raises
    ------
    TypeError
        If an input is not a graph, DataFrame or square array, or ``X`` is not a mapping.
    ValueError
        If ``X`` is empty, the design is rank deficient (a constant or collinear
        predictor), inputs do not cover the nodes, or ``method`` is unknown.

    Examples
    --------
    >>> import numpy as np
    >>> import connectnet as cn
    >>> rng = np.random.default_rng(0)
    >>> x = rng.integers(0, 2, size=(8, 8)).astype(float)
    >>> y = 2.0 * x + rng.normal(size=(8, 8))
    >>> res = cn.qap_regression(y, {"x": x}, n_permutations=99, seed=1)
    >>> res.coefficients.index.tolist()
    ['(intercept)', 'x']
    >>> bool(res.coefficients.loc["x", "p_greater"] < 0.05)
    True

    Notes
    -----
    Estimates are ordinary least squares on the vectorised dyads (diagonal left out), so
    they equal R sna ``netlm`` coefficients and any OLS on those cells. Dyads are not
    independent observations (people appear in many dyads), so the OLS standard errors
    and classical p-values are not valid; use the permutation p-values, which compare
    each t statistic with its distribution over permutations (t is more nearly pivotal
    than the raw estimate; Dekker et al. 2007). Like sna, DSP is applied to every term
    including the intercept; with one predictor, the intercept's DSP null permutes that
    predictor itself. A predictor with no variation (e.g. an empty graph, or "same
    sector" with one sector) makes the design rank deficient and raises ``ValueError``.

    Both nulls are computed in closed form per batch (no refitting loop): ``"y"`` uses
    one ``(X'X)^{-1}`` for every permuted outcome; ``"dsp"`` uses the Frisch–Waugh–Lovell
    theorem with the permuted residual as the only changing column.

    References
    ----------
    Dekker, D., Krackhardt, D. & Snijders, T. A. B. (2007). Sensitivity of MRQAP tests to
    collinearity and autocorrelation conditions. *Psychometrika* 72(4), 563-581.
    Krackhardt, D. (1988). Predicting with networks: nonparametric multiple regression
    analysis of dyadic data. *Social Networks* 10, 359-381.
    """
    R = _check_permutations(n_permutations)
    _check_alternative(alternative)
    if method not in ("dsp", "y"):
        msg = f'`method` must be "dsp" or "y", got {method!r}.'
        raise ValueError(msg)
    if not isinstance(X, Mapping):
        msg = (
            f"`X` must map predictor names to graphs/DataFrames/arrays, got "
            f"{type(X).__name__}; e.g. X={{'before': G_before}}."
        )
        raise TypeError(msg)
    if len(X) == 0:
        msg = "`X` is empty; give at least one predictor."
        raise ValueError(msg)
    names = [str(k) for k in X]
    if "(intercept)" in names or len(set(names)) != len(names):
        msg = "predictor names must be unique and not '(intercept)'."
        raise ValueError(msg)
    objs = {"y": y, **{f"X[{k!r}]": v for k, v in X.items()}}
    keep, excluded = _resolve_matrix_nodes(objs, nodes, respondents)
    n = len(keep)
    if n < 3:
        msg = f"QAP needs at least 3 nodes, found {n}."
        raise ValueError(msg)
    if directed is None:
        directed = not (isinstance(y, nx.Graph) and not y.is_directed())
    mats = [_as_matrix(o, k, keep, weight) for k, o in objs.items()]
    rows, cols = _cells(n, directed)
    N = rows.size
    yv = mats[0][rows, cols]
    D = np.column_stack([np.ones(N)] + [M[rows, cols] for M in mats[1:]])
    p = D.shape[1]
    terms = ["(intercept)", *names]
    if p >= N:
        msg = f"{N} dyads are too few for {p} coefficients."
        raise ValueError(msg)
    if np.linalg.matrix_rank(D) < p:
        msg = (
            "the predictors are collinear or constant (design matrix rank "
            f"{np.linalg.matrix_rank(D)} < {p} terms: {terms}); drop or combine them."
        )
        raise ValueError(msg)
    XtX_inv = np.linalg.inv(D.T @ D)
    beta = XtX_inv @ (D.T @ yv)
    resid = yv - D @ beta
    rss = float(resid @ resid)
    df = N - p
    se = np.sqrt(np.diag(XtX_inv) * rss / df)
    with np.errstate(divide="ignore", invalid="ignore"):
        tval = beta / se
    tss = float(((yv - yv.mean()) ** 2).sum())
    r2 = 1 - rss / tss if tss > 0 else float("nan")
    adj = 1 - (1 - r2) * (N - 1) / df if tss > 0 else float("nan")

    rng = _rng(seed)
    null_t = np.empty((R, p))
    null_b = np.empty((R, p))
    batch = max(1, min(R, _BATCH_CELLS // N))
    with _progress(R * (1 if method == "y" else p), progress, "QAP permutations") as bar:
        if method == "y":
            Yfull = mats[0]
            if not directed:
                Yfull = np.triu(Yfull, 1) + np.triu(Yfull, 1).T
            yflat = Yfull.ravel()
            yy = float(yv @ yv)
            for start in range(0, R, batch):
                b = min(batch, R - start)
                yp = yflat[_permuted_cells(rng, b, n, rows, cols)]
                xty = yp @ D
                bp = xty @ XtX_inv
                rss_p = yy - np.einsum("ij,ij->i", bp, xty)
                sig = np.maximum(rss_p, 0) / df
                with np.errstate(divide="ignore", invalid="ignore"):
                    null_t[start : start + b] = bp / np.sqrt(sig[:, None] * np.diag(XtX_inv))
                null_b[start : start + b] = bp
                bar.update(b)
        else:
            for k in range(p):
                Z = np.delete(D, k, axis=1)
                ZtZ_inv = np.linalg.inv(Z.T @ Z)
                ek = D[:, k] - Z @ (ZtZ_inv @ (Z.T @ D[:, k]))
                ry = yv - Z @ (ZtZ_inv @ (Z.T @ yv))
                E = np.zeros((n, n))
                E[rows, cols] = ek
                if not directed:
                    E[cols, rows] = ek
                eflat = E.ravel()
                ee = float(ek @ ek)
                ryry = float(ry @ ry)
                for start in range(0, R, batch):
                    b = min(batch, R - start)
                    ep = eflat[_permuted_cells(rng, b, n, rows, cols)]
                    zte = ep @ Z
                    den = ee - np.einsum("ij,jk,ik->i", zte, ZtZ_inv, zte)
                    with np.errstate(divide="ignore", invalid="ignore"):
                        bk = (ep @ ry) / den
                        sig = np.maximum(ryry - bk**2 * den, 0) / df
                        null_t[start : start + b, k] = bk / np.sqrt(sig / den)
                    null_b[start : start + b, k] = bk
                    bar.update(b)
    pvals = np.array([_pvalues(null_t[:, k], float(tval[k])) for k in range(p)])
    table = pd.DataFrame(
        {
            "estimate": beta,
            "std_error": se,
            "t": tval,
            "p_greater": pvals[:, 0],
            "p_less": pvals[:, 1],
            "p_two_sided": pvals[:, 2],
            "null_mean": np.nanmean(null_b, axis=0),
        },
        index=pd.Index(terms, name="term"),
    )
    col = {"greater": "p_greater", "less": "p_less", "two-sided": "p_two_sided"}[alternative]
    return QAPRegressionResult(
        coefficients=table,
        observed=table["estimate"].rename("estimate"),
        expected=table["null_mean"].rename("expected"),
        p_value=table[col].rename("p_value"),
        alternative=alternative,
        r_squared=float(r2),
        adj_r_squared=float(adj),
        method=method,
        n_permutations=R,
        n_nodes=n,
        n_dyads=int(N),
        directed=bool(directed),
        n_excluded=len(excluded),
        excluded=excluded,
    )


# --------------------------------------------------------------------------------------
# dyadic_covariate
# --------------------------------------------------------------------------------------
def dyadic_covariate(
    people: pd.DataFrame | pd.Series | nx.Graph,
    attr: str | None = None,
    kind: str = "same",
    pair: tuple[Hashable, Hashable] | None = None,
    *,
    directed: bool = False,
    nodes: Sequence[Hashable] | None = None,
) -> pd.DataFrame:
    """A node × node covariate matrix from a person attribute, for :func:`qap_regression`.

    Parameters
    ----------
    people
        A people table indexed by ``person_id`` (e.g. ``Dataset.people``), a Series of
        attribute values indexed by person, or a graph (node attributes).
    attr
        Column / node attribute to use (ignored for a Series).
    kind
        ``"same"``: 1 where both people have the same value (same sector, same region).
        ``"pair"``: 1 where one person is in ``pair[0]`` and the other in ``pair[1]``
        (e.g. ``("prison", "NHS")``).
    pair
        The two values for ``kind="pair"``.
    directed
        For ``kind="pair"``: only cells from ``pair[0]`` (row) to ``pair[1]`` (column).
    nodes
        Row/column order (default: the table's index or the graph's node order).

    Returns
    -------
    pandas.DataFrame
        Square float matrix of 0/1 indexed and labelled by person, diagonal 0.

    Raises
    ------
    TypeError
        If ``people`` is not a DataFrame, Series or graph.
    ValueError
        If ``attr`` is missing, ``kind`` unknown, ``pair`` not given for ``kind="pair"``
        or naming a value nobody has, or ``nodes`` names unknown people.

    Examples
    --------
    >>> import pandas as pd
    >>> import connectnet as cn
    >>> people = pd.DataFrame({"sector": ["prison", "NHS", "prison"]}, index=["a", "b", "c"])
    >>> cn.dyadic_covariate(people, "sector")
         a    b    c
    a  0.0  0.0  1.0
    b  0.0  0.0  0.0
    c  1.0  0.0  0.0
    >>> cn.dyadic_covariate(people, "sector", "pair", ("prison", "NHS")).loc["a", "b"]
    np.float64(1.0)

    Notes
    -----
    A missing value never matches (a person with no region is "not in the same region" as
    anyone), and a person with a missing value is in neither side of a ``pair``.
    """
    if isinstance(people, nx.Graph):
        if attr is None:
            msg = "`attr` is required when `people` is a graph."
            raise ValueError(msg)
        order = list(people) if nodes is None else list(nodes)
        unknown = [v for v in order if v not in people]
        if unknown:
            msg = f"{len(unknown)} of `nodes` are not in the graph, e.g. {unknown[:5]}."
            raise ValueError(msg)
        values = pd.Series(
            [people.nodes[v].get(attr) for v in order], index=_object_index(order), dtype=object
        )
    elif isinstance(people, pd.Series):
        values = people.astype(object)
    elif isinstance(people, pd.DataFrame):
        if attr is None or attr not in people.columns:
            msg = f"`attr`={attr!r} is not a column of `people`; columns: {list(people.columns)}."
            raise ValueError(msg)
        values = people[attr].astype(object)
    else:
        msg = f"`people` must be a DataFrame, Series or graph, got {type(people).__name__}."
        raise TypeError(msg)
    if nodes is not None and not isinstance(people, nx.Graph):
        unknown = [v for v in nodes if v not in values.index]
        if unknown:
            msg = f"{len(unknown)} of `nodes` are not in `people`, e.g. {unknown[:5]}."
            raise ValueError(msg)
        values = values.loc[_obj_array(nodes)]
    codes, uniques = pd.factorize(values, use_na_sentinel=True)
    labels = list(uniques)
    if kind == "same":
        M = (codes[:, None] == codes[None, :]) & (codes[:, None] >= 0)
    elif kind == "pair":
        if pair is None or len(pair) != 2:
            msg = '`pair` must be two values, e.g. ("prison", "NHS"), for kind="pair".'
            raise ValueError(msg)
        absent = [x for x in pair if x not in labels]
        if absent:
            where = "`people`" if isinstance(people, pd.Series) else f"`{attr}`"
            msg = (
                f"`pair` value(s) {absent} are not values of {where}; values found: "
                f"{labels}. Check the spelling and case (e.g. 'nhs' vs 'NHS')."
            )
            raise ValueError(msg)
        a = np.isin(codes, [labels.index(x) for x in labels if x == pair[0]])
        b = np.isin(codes, [labels.index(x) for x in labels if x == pair[1]])
        M = a[:, None] & b[None, :]
        if not directed:
            M = M | M.T
    else:
        msg = f'`kind` must be "same" or "pair", got {kind!r}.'
        raise ValueError(msg)
    M = M.astype(np.float64)
    np.fill_diagonal(M, 0.0)
    index = _object_index(list(values.index))
    return pd.DataFrame(M, index=index, columns=index.copy())


# --------------------------------------------------------------------------------------
# exposure_effect
# --------------------------------------------------------------------------------------
def _cross_ties(
    G: nx.Graph,
    index: pd.Index,
    codes: np.ndarray,
    t: int,
    wcodes: np.ndarray | None,
) -> np.ndarray:
    """Per node: distinct neighbours (either direction) in group ``t`` (same ``within``)."""
    n = len(index)
    u, v, _ = _edges_on(G, index)
    a, b = np.minimum(u, v), np.maximum(u, v)
    keys = np.unique(a * n + b)
    a, b = keys // max(n, 1), keys % max(n, 1)
    if wcodes is not None:
        ok = (wcodes[a] >= 0) & (wcodes[a] == wcodes[b])
        a, b = a[ok], b[ok]
    return np.bincount(a[codes[b] == t], minlength=n) + np.bincount(b[codes[a] == t], minlength=n)


def exposure_effect(
    data: Any,
    before: nx.Graph,
    after: nx.Graph,
    attr: str = "sector",
    source: Hashable = None,
    target: Hashable = None,
    *,
    within: str | None = None,
    events: Collection[Hashable] | None = None,
    nodes: str | Sequence[Hashable] = "both",
    respondents: Any = None,
    method: str = "pearson",
    alternative: str = "two-sided",
    n_permutations: int = 1000,
    seed: int | np.random.Generator | None = None,
    progress: bool | None = None,
) -> ExposureResult:
    """Did people who attended more events gain more cross-sector contacts?

    Parameters
    ----------
    data
        A :class:`~connectnet.Dataset` (its ``attendance``) or an attendance DataFrame
        with ``person_id`` and ``event_id`` columns.
    before, after
        The two contact waves (graphs of the same directedness).
    attr
        Node attribute with each person's group (sector).
    source, target
        Whose ties are counted (``source`` people, e.g. ``"prison"``) and to whom
        (``target`` people, e.g. ``"NHS"``).
    within
        Optional node attribute: only count ``target`` contacts with the same value
        (e.g. ``"region"``: local NHS contacts).
    events
        Event ids to count (e.g. the events held between the waves); default all.
    nodes, respondents
        Wave alignment; see the module notes. Default: people who took part in both waves.
    method
        ``"pearson"`` correlation of events and gain, or ``"spearman"`` (ranks; robust to
        a few very frequent attenders).
    alternative
        Which p-value is ``p_value`` (``"greater"``: more events, more gain).
    n_permutations, seed, progress
        See :func:`ei_change_test`.

    Returns
    -------
    ExposureResult
        Correlation, slope, permutation p-values, a per-person table (``people``) and a
        dose–response table (``dose_response``: 0, 1, 2, 3+ events).

    Raises
    ------
    TypeError
        If ``data`` has no attendance table or the waves are not graphs.
    ValueError
        If ``source``/``target`` are missing or not groups, no compared person has
        ``within``, fewer than 3 ``source`` people are compared, or events or gains do not
        vary (correlation undefined).

    Examples
    --------
    >>> import networkx as nx
    >>> import pandas as pd
    >>> import connectnet as cn
    >>> sectors = {"p1": "prison", "p2": "prison", "p3": "prison", "p4": "prison",
    ...            "n1": "NHS", "n2": "NHS"}
    >>> before = nx.Graph([("p1", "p2"), ("p3", "p4"), ("n1", "n2"), ("p1", "n1")])
    >>> after = nx.Graph([("p1", "p2"), ("p3", "p4"), ("n1", "n2"), ("p1", "n1"),
    ...                   ("p2", "n1"), ("p2", "n2"), ("p3", "n2")])
    >>> for G in (before, after):
    ...     nx.set_node_attributes(G, sectors, "sector")
    >>> attendance = pd.DataFrame({"person_id": ["p2", "p2", "p3", "p4"],
    ...                            "event_id": ["e1", "e2", "e1", "e3"]})
    >>> res = cn.exposure_effect(attendance, before, after, "sector", "prison", "NHS",
    ...                          n_permutations=99, seed=1)
    >>> res.people[["events", "ties_before", "ties_after", "gain"]]
        events  ties_before  ties_after  gain
    p1       0            1           1     0
    p2       2            0           2     2
    p3       1            0           1     1
    p4       1            0           0     0
    >>> round(res.observed, 3)
    0.853

    Notes
    -----
    A ``source`` person's cross-sector ties are their distinct ``target`` neighbours,
    reported in either direction. Gain = after − before. The test shuffles the events
    counts between the compared ``source`` people (vectorised), so it asks whether the
    association is stronger than chance; it says nothing about cause — people who chose
    to attend may have been gaining contacts anyway (self-selection). Compare like with
    like (e.g. within regions or roles) before reading it as a programme effect.

    People with no ties in either wave have gain 0 and stay in the analysis; if nobody's
    events or gains vary the correlation is undefined (``ValueError``). ``events`` counts
    distinct events per person (duplicate register rows count once).
    """
    _check_pair(before, after)
    R = _check_permutations(n_permutations)
    _check_alternative(alternative)
    if method not in ("pearson", "spearman"):
        msg = f'`method` must be "pearson" or "spearman", got {method!r}.'
        raise ValueError(msg)
    if source is None or target is None:
        msg = "give `source` and `target` groups, e.g. source='prison', target='NHS'."
        raise ValueError(msg)
    attendance = data.attendance if hasattr(data, "attendance") else data
    if not isinstance(attendance, pd.DataFrame) or not {"person_id", "event_id"} <= set(
        attendance.columns
    ):
        msg = (
            "`data` must be a Dataset or an attendance DataFrame with `person_id` and "
            f"`event_id` columns; got {type(data).__name__}."
        )
        raise TypeError(msg)
    al = _align([before, after], nodes, respondents)
    codes, groups = _codes(_node_values([before, after], al.nodes, attr), attr, al.nodes)
    s = _group_position(groups, source, "source")
    t = _group_position(groups, target, "target")
    wcodes = _within_codes([before, after], al.nodes, within) if within else None
    tb = _cross_ties(before, al.index, codes, t, wcodes)
    ta = _cross_ties(after, al.index, codes, t, wcodes)
    att = attendance[["person_id", "event_id"]]
    if events is not None:
        att = att[att["event_id"].isin(list(events))]
    counts = att.drop_duplicates().groupby("person_id", sort=False).size()
    sel = np.flatnonzero(codes == s)
    index = al.index[sel]
    ev = counts.reindex(index, fill_value=0).to_numpy(dtype=np.int64)
    people = pd.DataFrame(
        {"events": ev, "ties_before": tb[sel], "ties_after": ta[sel]}, index=index
    )
    people["gain"] = people["ties_after"] - people["ties_before"]
    m = len(sel)
    if m < 3:
        msg = f"only {m} `source`={source!r} people are compared; need at least 3."
        raise ValueError(msg)
    x = ev.astype(np.float64)
    g = people["gain"].to_numpy(dtype=np.float64)
    if method == "spearman":
        x = pd.Series(x).rank().to_numpy()
        g = pd.Series(g).rank().to_numpy()
    xc, gc = x - x.mean(), g - g.mean()
    denom = float(np.sqrt((xc @ xc) * (gc @ gc)))
    if denom == 0:
        which = "events attended" if xc @ xc == 0 else "tie gains"
        msg = f"the {which} are the same for every compared person; no association to test."
        raise ValueError(msg)
    observed = float(xc @ gc / denom)
    evc = ev.astype(np.float64) - ev.mean()
    slope = float(evc @ (people["gain"].to_numpy(np.float64)) / (evc @ evc))
    rng = _rng(seed)
    null = np.empty(R)
    batch = max(1, min(R, _BATCH_CELLS // m))
    with _progress(R, progress, "permutations") as bar:
        for start in range(0, R, batch):
            b = min(batch, R - start)
            perms = np.argsort(rng.random((b, m)), axis=1)
            null[start : start + b] = (xc[perms] @ gc) / denom
            bar.update(b)
    pg, pl, p2 = _pvalues(null, observed)
    dose = np.minimum(ev, 3)
    labels = np.array(["0", "1", "2", "3+"], dtype=object)[dose]
    grouped = people.assign(dose=labels, gained=people["gain"] > 0).groupby("dose", sort=True)
    dose_response = pd.DataFrame(
        {
            "people": grouped.size(),
            "mean_before": grouped["ties_before"].mean(),
            "mean_after": grouped["ties_after"].mean(),
            "mean_gain": grouped["gain"].mean(),
            "share_gaining": grouped["gained"].mean(),
        }
    ).reindex(pd.Index(["0", "1", "2", "3+"], name="events"))
    dose_response["people"] = dose_response["people"].fillna(0).astype(np.int64)
    return ExposureResult(
        observed=observed,
        expected=float(null.mean()),
        p_value=float(_pick(alternative, pg, pl, p2)),
        alternative=alternative,
        p_greater=float(pg),
        p_less=float(pl),
        p_two_sided=float(p2),
        slope=slope,
        method=method,
        n_people=m,
        n_permutations=R,
        n_excluded=len(al.excluded),
        only_before=al.only_first,
        only_after=al.only_last,
        people=people,
        dose_response=dose_response,
    )


# --------------------------------------------------------------------------------------
# compare
# --------------------------------------------------------------------------------------
def compare(
    graphs: Mapping[Hashable, nx.Graph] | Sequence[nx.Graph],
    attr: str = "sector",
    *,
    source: Hashable | Iterable[Hashable] | None = None,
    target: Hashable | Iterable[Hashable] | None = None,
    within: str | None = None,
    nodes: str | Sequence[Hashable] = "both",
    respondents: Any = None,
) -> pd.DataFrame:
    """Side-by-side network metrics for several waves, with change between consecutive ones.

    Parameters
    ----------
    graphs
        Waves in order: a mapping label → graph, or a sequence of graphs (labelled by
        ``G.graph["wave"]`` when set, else ``0, 1, ...``). All directed or all undirected.
    attr
        Node attribute with each person's group (sector).
    source, target
        Optional groups for cross-sector reach (share of ``source`` people with a direct
        ``target`` contact, optionally ``within`` the same e.g. region): a group label or
        a list of labels (as :func:`connectnet.cross_sector_reach`; a listed group with no
        members counts as empty).
    within
        Node attribute passed to cross-sector reach.
    nodes, respondents
        Alignment across all waves (see the module notes): by default only people who
        took part in every wave.

    Returns
    -------
    pandas.DataFrame
        Rows = metrics (people, ties, density, E-I index, within- and between-group
        density, block density of each group pair, cross-sector reach, components,
        largest component share, transitivity, degree centralization); columns = the
        waves' labels, then for each consecutive pair ``change A→B`` (B − A) and
        ``relative change A→B`` ((B − A) / |A|, ``nan`` — not ``inf`` — when A is 0 or
        undefined). The reach row is named ``cross-sector reach S→T`` with listed groups
        joined by ``+`` (e.g. ``cross-sector reach nhs→local_authority+police``).
        ``DataFrame.attrs`` has ``n_nodes``, ``n_excluded``, ``excluded``,
        ``only_before`` (took part in the first wave but not the last) and
        ``only_after`` (the last but not the first).

    Raises
    ------
    TypeError
        If ``graphs`` are not networkx graphs of one directedness.
    ValueError
        If fewer than one graph is given, labels repeat, a node has no ``attr``, only one
        of ``source``/``target`` is given, or ``within`` is given without them.

    Examples
    --------
    >>> import networkx as nx
    >>> import connectnet as cn
    >>> before = nx.Graph([(0, 1), (2, 3), (0, 2)])
    >>> after = nx.Graph([(0, 1), (2, 3), (0, 2), (1, 3)])
    >>> for G in (before, after):
    ...     nx.set_node_attributes(G, {0: "prison", 1: "prison", 2: "NHS", 3: "NHS"}, "sector")
    >>> table = cn.compare({"baseline": before, "follow-up": after})
    >>> table.loc["ties"].tolist()
    [3.0, 4.0, 1.0, 0.3333333333333333]

    Notes
    -----
    Every wave is measured on the same aligned node set, so a change in density or
    components is not an artefact of who answered. Ties are binary, as in
    :func:`tie_changes` and :func:`ei_change_test`: parallel edges of a multigraph count
    once and self-loops are ignored. Block-density rows are named
    ``block density A–B`` (``A→B`` for a ``DiGraph``). Centralization and transitivity
    are computed on the undirected version of a ``DiGraph``. A metric that is undefined
    for a wave (E-I with no ties, centralization of an empty graph) is ``nan``; isolates
    count as people and as components.
    """
    if isinstance(graphs, Mapping):
        labels = list(graphs.keys())
        glist = list(graphs.values())
    else:
        glist = list(graphs)
        labels = [
            G.graph.get("wave", i) if isinstance(G, nx.Graph) else i for i, G in enumerate(glist)
        ]
    if not glist:
        msg = "`graphs` is empty; give at least one graph."
        raise ValueError(msg)
    if (source is None) != (target is None):
        msg = (
            "give both `source` and `target` (for the cross-sector reach row) or neither; "
            f"got source={source!r}, target={target!r}."
        )
        raise ValueError(msg)
    if within is not None and source is None:
        msg = (
            f"`within={within!r}` applies only to cross-sector reach; give `source` and "
            "`target` too, or leave `within` out."
        )
        raise ValueError(msg)
    if len(set(map(str, labels))) != len(labels):
        msg = f"wave labels must be unique, got {labels}; pass a dict label → graph."
        raise ValueError(msg)
    for i, G in enumerate(glist):
        _require_graph(G, f"graphs[{labels[i]!r}]")
    if len({G.is_directed() for G in glist}) > 1:
        msg = "`graphs` mix directed and undirected graphs; build all waves the same way."
        raise TypeError(msg)
    al = _align(glist, nodes, respondents)
    values = _node_values(glist, al.nodes, attr)
    _codes(values, attr, al.nodes)  # validate: every node has a group
    columns = {}
    for label, G in zip(labels, glist, strict=True):
        H = _restricted(G, al.nodes, attr, values)
        columns[label] = _wave_metrics(H, attr, source, target, within)
    table = pd.DataFrame(columns)
    table.columns = pd.Index(labels, dtype=object)
    for a, b in itertools.pairwise(labels):
        diff = table[b] - table[a]
        table[f"change {a}→{b}"] = diff
        base = table[a].abs()
        table[f"relative change {a}→{b}"] = np.where(
            base > 0, diff / base.where(base > 0, 1), np.nan
        )
    table.index.name = "metric"
    table.attrs.update(
        {
            "n_nodes": len(al.nodes),
            "n_excluded": len(al.excluded),
            "excluded": list(al.excluded),
            "only_before": list(al.only_first),
            "only_after": list(al.only_last),
        }
    )
    return table


def _restricted(G: nx.Graph, nodes: list[Hashable], attr: str, values: np.ndarray) -> nx.Graph:
    """A new simple graph on the aligned nodes (missing nodes added as isolates), with
    ``attr`` set from ``values``: parallel edges collapsed, self-loops dropped; the
    caller's graph is not touched."""
    H = nx.DiGraph() if G.is_directed() else nx.Graph()
    H.graph.update(G.graph)
    H.add_nodes_from(
        (v, {**(G.nodes[v] if v in G else {}), attr: values[i]}) for i, v in enumerate(nodes)
    )
    keep = set(nodes)
    H.add_edges_from(
        (u, v, d) for u, v, d in G.edges(data=True) if u in keep and v in keep and u != v
    )
    return H


def _groups_label(groups: Any) -> str:
    """One group, or a list of groups joined by ``+``, for a row label."""
    if isinstance(groups, (set, frozenset)):
        groups = sorted(groups, key=str)
    if isinstance(groups, (list, tuple)):
        return "+".join(map(str, groups))
    return str(groups)


def _safe(func: Callable[[], Any]) -> float:
    """Metric value, or ``nan`` when it is undefined for this graph (e.g. no ties)."""
    try:
        return float(func())
    except (ValueError, ZeroDivisionError):
        return float("nan")


def _wave_metrics(
    G: nx.Graph,
    attr: str,
    source: Hashable | Iterable[Hashable] | None,
    target: Hashable | Iterable[Hashable] | None,
    within: str | None,
) -> pd.Series:
    from connectnet.bridging import block_density, ei_index
    from connectnet.brokers import cross_sector_reach
    from connectnet.cohesion import centralization

    ga = graph_arrays(G, attr)
    n = ga.n
    directed = G.is_directed()
    und = G.to_undirected(as_view=True) if directed else G
    pairs = n * (n - 1) if directed else n * (n - 1) / 2
    out: dict[str, float] = {
        "people": float(n),
        "ties": float(ga.m),
        "density": float(ga.m / pairs) if pairs else float("nan"),
        "E-I index": _safe(lambda: ei_index(G, attr)),
    }
    bd = block_density(G, attr)
    for key in ("within", "between"):
        if key in getattr(bd, "attrs", {}):
            out[f"{key}-group density"] = float(bd.attrs[key])
    out.update(_block_rows(bd, directed))
    if source is not None and target is not None:
        reach = cross_sector_reach(G, attr, source, target, within=within)
        label = f"cross-sector reach {_groups_label(source)}→{_groups_label(target)}"
        if within is not None:
            label += f" (within {within})"
        out[label] = _reach_value(reach)
    comps = list(nx.connected_components(und)) if n else []
    out["components"] = float(len(comps))
    out["largest component share"] = (
        float(max(len(c) for c in comps) / n) if comps else float("nan")
    )
    out["transitivity"] = float(nx.transitivity(nx.Graph(und))) if n else float("nan")
    out["degree centralization"] = _safe(lambda: centralization(nx.Graph(und), "degree"))
    return pd.Series(out, dtype=np.float64)


def _block_rows(bd: Any, directed: bool) -> dict[str, float]:
    """Rows ``block density A–B`` from :func:`connectnet.block_density`'s output."""
    arrow = "→" if directed else "–"
    rows: dict[str, float] = {}
    if (
        isinstance(bd, pd.DataFrame)
        and bd.shape[0] == bd.shape[1]
        and list(bd.index) == list(bd.columns)
    ):
        labels = list(bd.index)
        for i, a in enumerate(labels):
            for j, b in enumerate(labels):
                if directed or i <= j:
                    rows[f"block density {a}{arrow}{b}"] = float(bd.iloc[i, j])
    elif isinstance(bd, pd.Series):
        for key, value in bd.items():
            label = arrow.join(map(str, key)) if isinstance(key, tuple) else str(key)
            rows[f"block density {label}"] = float(value)
    return rows


def _reach_value(reach: Any) -> float:
    """The share from :func:`connectnet.cross_sector_reach`'s result."""
    for name in ("share", "reach", "value", "observed"):
        if hasattr(reach, name):
            return float(getattr(reach, name))
    if isinstance(reach, tuple):
        return float(reach[0])
    return float(reach)
