"""Describing change: side-by-side wave metrics and tie changes by group pair or person."""

from __future__ import annotations

import itertools
from collections.abc import Callable, Hashable, Iterable, Mapping, Sequence
from dataclasses import replace
from typing import Any

import networkx as nx
import numpy as np
import pandas as pd

from connectnet._arrays import ArrayNetwork, graph_arrays, object_array
from connectnet._stats import adjust_pvalues, check_adjust, sign_test
from connectnet.change._alignment import _align, _Alignment, _codes, _node_values, _tie_keys
from connectnet.change._common import _check_pair, _unique_keys, _waves


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
    adjust: str | None = "holm",
) -> pd.DataFrame:
    """Ties before, after, new, lost and kept, by group pair or by person, each row with
    an exact test of whether its ties changed.

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
    adjust
        Multiple-testing adjustment of the rows' p-values, which test several pairs (or
        people) at once: ``"holm"`` (default; family-wise error), ``"fdr_bh"``
        (Benjamini–Hochberg false discovery rate) or ``None``.

    Returns
    -------
    pandas.DataFrame
        Columns ``before``, ``after``, ``new``, ``lost``, ``kept`` (tie counts) and
        ``stability`` = kept / (before + after - kept), the Jaccard similarity of the two
        tie sets (``nan`` with no ties in either wave). ``by="pair"`` adds ``possible``
        (dyads between the groups), ``density_before`` and ``density_after``, indexed by
        ``(group_from, group_to)``; ``by="node"`` is indexed by node and adds the
        ``attr`` column when given. Then ``p_value``: the exact two-sided test that new
        and lost ties are equally likely (``new ~ Binomial(new + lost, 1/2)``, the exact
        dyad-swap null of :func:`ei_change_test` for that row's tie count; 1 when
        nothing changed), and ``p_adjusted`` (``adjust`` applied over the rows).
        ``DataFrame.attrs`` records ``n_nodes``, ``n_excluded``, ``only_before``,
        ``only_after`` and ``adjust``.

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
    check_adjust(adjust)
    if by not in ("pair", "node"):
        msg = f'`by` must be "pair" or "node", got {by!r}.'
        raise ValueError(msg)
    al = _align([before, after], nodes, respondents)
    n = len(al.nodes)
    kb = _tie_keys(before, al.index, directed)
    ka = _tie_keys(after, al.index, directed)
    keys = _unique_keys(np.concatenate([kb, ka]))
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
        "adjust": adjust,
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
    _, _, table["p_value"] = sign_test(table["new"].to_numpy(), table["lost"].to_numpy())
    table["p_adjusted"] = adjust_pvalues(table["p_value"].to_numpy(), adjust)
    table.attrs.update(meta)
    return table


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
        undefined; always ``nan`` for the E-I index, which ranges over [-1, 1] and
        changes by a difference, not a percentage). The reach row is named
        ``cross-sector reach S→T`` with listed groups joined by ``+`` (e.g.
        ``cross-sector reach nhs→local_authority+police``).
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
    labels, glist = _waves(graphs, minimum=1)
    al = _align(glist, nodes, respondents)
    values = _node_values(glist, al.nodes, attr)
    _codes(values, attr, al.nodes)  # validate: every node has a group
    columns = {}
    for label, G in zip(labels, glist, strict=True):
        H = _restricted(G, al, attr, values, within)
        columns[label] = _wave_metrics(H, attr, source, target, within)
    table = pd.DataFrame(columns)
    table.columns = pd.Index(labels, dtype=object)
    for a, b in itertools.pairwise(labels):
        diff = table[b] - table[a]
        table[f"change {a}→{b}"] = diff
        base = table[a].abs()
        relative = np.where(base > 0, diff / base.where(base > 0, 1), np.nan)
        # an index on [-1, 1] changes by a difference, never a percentage
        relative[table.index.str.startswith("E-I index")] = np.nan
        table[f"relative change {a}→{b}"] = relative
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


def _restricted(
    G: nx.Graph,
    al: _Alignment,
    attr: str,
    values: np.ndarray,
    within: str | None,
) -> ArrayNetwork:
    """The wave on the aligned nodes as arrays (missing nodes as isolates), with ``attr``
    from ``values`` and ``within`` as the wave records it: parallel edges collapsed,
    self-loops dropped, no ``nx.Graph`` built; the caller's graph is not touched."""
    directed = G.is_directed()
    keys = _tie_keys(G, al.index, directed)
    n = max(len(al.nodes), 1)
    columns = {attr: values}
    if within is not None and within != attr:
        own = [G.nodes[v].get(within) if v in G else None for v in al.nodes]
        columns[within] = object_array(own)
    return ArrayNetwork(
        nodes=list(al.nodes),
        src=keys // n,
        dst=keys % n,
        weight=np.ones(keys.size),
        directed=directed,
        attributes=pd.DataFrame(columns),
        graph=dict(G.graph),
    )


def _undirected(H: ArrayNetwork) -> ArrayNetwork:
    """The undirected view of ``H`` (a pair tied in either direction, once)."""
    if not H.directed:
        return H
    n = max(len(H.nodes), 1)
    keys = _unique_keys(np.minimum(H.src, H.dst) * n + np.maximum(H.src, H.dst))
    return replace(H, src=keys // n, dst=keys % n, weight=np.ones(keys.size), directed=False)


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
    G: ArrayNetwork,
    attr: str,
    source: Hashable | Iterable[Hashable] | None,
    target: Hashable | Iterable[Hashable] | None,
    within: str | None,
) -> pd.Series:
    from connectnet.bridging import block_density, ei_index
    from connectnet.brokers import cross_sector_reach
    from connectnet.cohesion import _components, _Structure, _triangle_rows, centralization

    n, directed = len(G), G.is_directed()
    ties = G.number_of_edges()
    pairs = n * (n - 1) if directed else n * (n - 1) / 2
    out: dict[str, float] = {
        "people": float(n),
        "ties": float(ties),
        "density": float(ties / pairs) if pairs else float("nan"),
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
    und = _undirected(G)
    st = _Structure(graph_arrays(und))
    ncomp, labels = _components(st.U) if n else (0, np.zeros(0, dtype=np.int64))
    out["components"] = float(ncomp)
    out["largest component share"] = float(np.bincount(labels).max() / n) if n else float("nan")
    triples = st.degree * (st.degree - 1.0)
    # no connected triple: transitivity is undefined, not 0 (docs/metrics.md)
    out["transitivity"] = (
        float(_triangle_rows(st).sum() / triples.sum()) if triples.sum() else float("nan")
    )
    out["degree centralization"] = _safe(lambda: centralization(und, "degree"))
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
