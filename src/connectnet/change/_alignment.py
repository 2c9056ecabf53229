"""Alignment of waves on one node set, and the tie/attribute arrays built on it (see the
package notes on alignment)."""

from __future__ import annotations

import warnings
from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import networkx as nx
import numpy as np
import pandas as pd

from connectnet._arrays import _object_index, factorise, graph_arrays, object_array
from connectnet._labels import find_label
from connectnet.change._common import _unique_keys


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


def _warn_symmetrised(graphs: Sequence[nx.Graph], stacklevel: int) -> None:
    """Warn that a symmetrised contact graph hides who answered (see the module notes)."""
    if any(_symmetrised_survey(G) for G in graphs):
        msg = (
            "a symmetrised contact graph does not show who answered the survey, so "
            "every node is treated as a respondent and non-respondents count as "
            "having no ties. Pass `respondents=` (e.g. the people with out-arcs in "
            "the directed contact graph of each wave), or set G.graph['respondents']."
        )
        warnings.warn(msg, UserWarning, stacklevel=stacklevel)


def _given_respondents(graphs: Sequence[nx.Graph], respondents: Any) -> list[set[Hashable]]:
    """Per-wave respondent sets from a ``respondents=`` argument, validated."""
    if _is_pair(respondents):
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
    present = {v for G in graphs for v in G}
    unknown = [v for v in dict.fromkeys(v for p in parts for v in p) if v not in present]
    if unknown:
        first = ", ".join(repr(v) for v in unknown[:5])
        msg = (
            f"{len(unknown)} `respondents` are not nodes of any wave (first: {first}). "
            "Add them to the graphs as isolated nodes (with their attributes) or "
            "leave them out."
        )
        raise ValueError(msg)
    return parts


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
        if nodes == "both":
            _warn_symmetrised(graphs, stacklevel + 1)
    else:
        parts = _given_respondents(graphs, respondents)
    if isinstance(nodes, str):
        if nodes == "both":
            every = set.intersection(*map(set, parts)) if parts else set()
            keep = [v for v in all_nodes if v in every]
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
    pos = index.get_indexer(object_array(ga.nodes)).astype(np.int64)
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
    return _unique_keys(u * n + v)


def _node_values(graphs: Sequence[nx.Graph], nodes: Sequence[Hashable], attr: str) -> np.ndarray:
    """Attribute per node, taken from the latest wave that has it (object array)."""
    out = np.empty(len(nodes), dtype=object)
    todo = dict(zip(nodes, range(len(nodes)), strict=True))  # nodes still without a value
    for G in reversed(graphs):
        if not todo:
            break
        for v, value in G.nodes(data=attr):
            if v in todo and not (value is None or (isinstance(value, float) and np.isnan(value))):
                out[todo.pop(v)] = value
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
    """Position of the group ``label`` names, matched in any case or spacing
    (``"Prison"`` finds ``"prison"``); a label naming no group lists the groups."""
    found = find_label(label, groups)
    if found is None:
        msg = f"`{name}`={label!r} is not a group; groups found: {groups}."
        raise ValueError(msg)
    return groups.index(found)
