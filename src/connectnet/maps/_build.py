"""network_map: one graph or several waves → :class:`NetworkMap`, the explorer's content."""

from __future__ import annotations

import math
import numbers
from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

import networkx as nx
import numpy as np
import pandas as pd

from connectnet._arrays import GraphArrays, check_graph, graph_arrays
from connectnet._palette import PALETTE, UNKNOWN_COLOUR, group_colours
from connectnet.maps._layout import (
    _fit,
    _grouped_positions,
    _layout_arrays,
    _matched_positions,
    _pair,
    map_layout,
)

__all__ = ["NetworkMap", "network_map"]

_MIN_SIZE, _MAX_SIZE, _DEFAULT_SIZE, _MISSING_SIZE = 8.0, 40.0, 14.0, 6.0
_MIN_WIDTH, _MAX_WIDTH = 1.0, 8.0
_METRICS = ("degree", "strength", "betweenness", "closeness", "pagerank")
#: Attributes with at most this many distinct values get filter checkboxes.
MAX_FILTER_VALUES = 50
#: Shown in tooltips and the side panel, in this order, whatever their number of values.
_SHOWN = ("organisation", "sector", "region", "role", "kind")
#: Where a person's organisation is found: its id (matching organisation graph nodes) first.
_ORGANISATION_KEYS = ("organisation_id", "organisation", "organisation_name")
_NOT_ATTRIBUTES = frozenset({"name", "label", "title", "bipartite", "x", "y", "size", "weight"})
_MAX_SAFE_INT = 2**53
_AUTO = "auto"


# --------------------------------------------------------------------------- values


def _missing(value: Any) -> bool:
    """None, NaN/NA and blank strings count as missing."""
    if value is None:
        return True
    if type(value) is str:
        return not value or value.isspace()
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


def _plain(value: Any) -> Any:
    """numpy scalars → Python scalars."""
    if isinstance(value, np.generic):
        return value.item()
    return value


def _text(value: Any) -> str:
    if type(value) is str:
        return value
    value = _plain(value)
    if isinstance(value, float):
        return f"{value:.4g}"
    return str(value)


def _round4(value: float) -> float | None:
    """Four significant digits for the page; NaN/inf → None (JSON null)."""
    return float(f"{value:.4g}") if math.isfinite(value) else None


def _by_node(obj: Mapping | pd.Series, nodes: Sequence[Hashable], what: str) -> list[Any]:
    """The values of `obj` (keyed by node) in `nodes` order; ``None`` where absent.

    Raises ValueError if `obj` has values but none for a node of the map (an index of
    names, or of text where the nodes are numbers), which would otherwise show nothing.
    """
    lookup = obj.to_dict() if isinstance(obj, pd.Series) else obj
    values = [lookup.get(v) for v in nodes]
    if len(lookup) and nodes and all(v not in lookup for v in nodes):
        first = next(iter(lookup))
        msg = (
            f"`{what}` is indexed by something other than the graph's nodes: none of its "
            f"{len(lookup)} keys (first {first!r}) is a node (first node {nodes[0]!r}). "
            "Index it by node id."
        )
        raise ValueError(msg)
    return values


def _page_ids(nodes: list[Hashable], codes: Mapping[Hashable, str]) -> list[int | str]:
    """Plain str/int ids for the page (codes for people when names are hidden);
    positional ints if the text forms would collide (1 and "1", a code and an event id)."""
    ids: list[int | str] = []
    for node in nodes:
        if node in codes:
            ids.append(codes[node])
        elif codes and isinstance(node, tuple) and len(node) == 2:
            ids.append(_text(node[1]))  # ("event", id) in an attendance graph
        elif type(node) is str:
            ids.append(node)
        elif isinstance(node, numbers.Integral) and not isinstance(node, bool | np.bool_):
            value = int(node)
            ids.append(value if abs(value) < _MAX_SAFE_INT else str(value))
        else:
            ids.append(str(node))
    if len({str(i) for i in ids}) == len(ids):
        return ids
    return list(range(len(nodes)))


# --------------------------------------------------------------------------- waves


def _wave_label(g: Any) -> str | None:
    """``g.graph["wave"]`` as text when it is non-blank text or a whole number (2021)."""
    wave = g.graph.get("wave") if isinstance(g, nx.Graph) else None
    if isinstance(wave, str):
        return wave if wave.strip() else None
    if isinstance(wave, numbers.Integral) and not isinstance(wave, bool | np.bool_):
        return str(int(wave))
    return None


def _as_waves(G: Any) -> list[tuple[str, nx.Graph]]:
    """`G` as ``[(label, graph), ...]``: one graph, a mapping or a sequence of graphs."""
    if isinstance(G, nx.Graph):
        return [(_wave_label(G) or "network", G)]
    if isinstance(G, Mapping):
        waves = [(str(k), g) for k, g in G.items()]
    elif isinstance(G, Sequence) and not isinstance(G, str | bytes):
        graphs = list(G)
        labels: list[Any] = [_wave_label(g) for g in graphs]
        if None in labels or len(set(labels)) < len(labels):
            labels = [f"wave {i}" for i in range(1, len(graphs) + 1)]
        waves = list(zip(labels, graphs, strict=True))
    else:
        msg = (
            "`G` must be a networkx graph, a mapping {wave label: graph} or a sequence of "
            f"graphs, not {type(G).__name__}."
        )
        raise TypeError(msg)
    if not waves:
        msg = "`G` holds no graphs: pass at least one wave."
        raise ValueError(msg)
    for label, g in waves:
        if not isinstance(g, nx.Graph):
            msg = f"wave {label!r} must be a networkx graph, not {type(g).__name__}."
            raise TypeError(msg)
        if not label.strip():
            msg = "wave labels must be non-blank text."
            raise ValueError(msg)
    if len({label for label, _ in waves}) < len(waves):
        msg = f"wave labels must be unique as text: {[label for label, _ in waves]}."
        raise ValueError(msg)
    if len({g.is_directed() for _, g in waves}) > 1:
        msg = "all waves must be directed or all undirected (symmetrise the contact graphs)."
        raise ValueError(msg)
    return waves


@dataclass
class _Union:
    """All nodes of all waves (first-seen order) and each wave's ties on those indices."""

    nodes: list[Hashable]
    attrs: list[dict[str, Any]]
    waves: list[tuple[str, nx.Graph, GraphArrays, np.ndarray]]  # label, graph, arrays, index
    directed: bool

    def arrays(self) -> GraphArrays:
        """The union graph as arrays (each tie once, its largest weight) for the layout."""
        n = len(self.nodes)
        if not self.waves or n == 0:
            return GraphArrays(
                self.nodes,
                np.zeros(0, np.int64),
                np.zeros(0, np.int64),
                np.zeros(0),
                self.directed,
            )
        src = np.concatenate([idx[a.src] for _, _, a, idx in self.waves])
        dst = np.concatenate([idx[a.dst] for _, _, a, idx in self.waves])
        weight = np.concatenate([a.weight for _, _, a, _ in self.waves])
        key = src * n + dst if self.directed else np.minimum(src, dst) * n + np.maximum(src, dst)
        order = np.lexsort((-weight, key))
        first = np.ones(order.size, dtype=bool)
        first[1:] = key[order][1:] != key[order][:-1]
        keep = np.sort(order[first])
        return GraphArrays(self.nodes, src[keep], dst[keep], weight[keep], self.directed)


def _union(waves: list[tuple[str, nx.Graph]]) -> _Union:
    index: dict[Hashable, int] = {}
    nodes: list[Hashable] = []
    attrs: list[dict[str, Any]] = []
    out = []
    for label, g in waves:
        check_graph(g)
        arrays = graph_arrays(g, weight="weight")
        idx = np.empty(arrays.n, dtype=np.int64)
        for i, v in enumerate(arrays.nodes):
            j = index.get(v)
            if j is None:
                j = index[v] = len(nodes)
                nodes.append(v)
                attrs.append({})
            attrs[j].update(g.nodes[v])  # the latest wave's attributes win
            idx[i] = j
        out.append((label, g, arrays, idx))
    return _Union(nodes, attrs, out, waves[0][1].is_directed())


# --------------------------------------------------------------------------- sizes


def _metric_values(G: nx.Graph, arrays: GraphArrays, name: str, seed: Any) -> np.ndarray:
    n = arrays.n
    if name == "degree":
        vals = np.bincount(arrays.src, minlength=n) + np.bincount(arrays.dst, minlength=n)
        return vals.astype(float)
    if name == "strength":
        w = arrays.weight
        return np.bincount(arrays.src, w, n) + np.bincount(arrays.dst, w, n)
    if name == "betweenness":
        k = None if n <= 2000 else 500
        rs = None if seed is None else int(np.random.default_rng(seed).integers(2**31))
        res = nx.betweenness_centrality(G, k=k, seed=rs)
    elif name == "closeness":
        res = nx.closeness_centrality(G)
    else:
        res = nx.pagerank(G, weight="weight") if n else {}
    return np.array([res[v] for v in arrays.nodes], dtype=float)


def _numeric(values: list[Any], name: str) -> np.ndarray:
    try:
        return np.asarray([np.nan if _missing(v) else _plain(v) for v in values], dtype=float)
    except (TypeError, ValueError) as exc:
        msg = f"`size_by` values ({name!r}) must be numeric."
        raise TypeError(msg) from exc


def _sizes(values: np.ndarray) -> np.ndarray:
    """Dot diameters in pixels: 8 + 32·√((v − min)/(max − min)); missing → 6, all equal → 14."""
    out = np.full(values.shape, _MISSING_SIZE)
    ok = np.isfinite(values)
    if not ok.any():
        return np.full(values.shape, _DEFAULT_SIZE)
    lo, hi = float(values[ok].min()), float(values[ok].max())
    if hi > lo:
        out[ok] = _MIN_SIZE + (_MAX_SIZE - _MIN_SIZE) * np.sqrt((values[ok] - lo) / (hi - lo))
    else:
        out[ok] = _DEFAULT_SIZE
    return out


def _size_table(u: _Union, size_by: Any, seed: Any) -> tuple[str | None, pd.DataFrame]:
    """Values of the size metric per node (rows) and wave (columns); NaN where absent."""
    n = len(u.nodes)
    labels = [label for label, *_ in u.waves]
    if size_by is None:
        return None, pd.DataFrame(np.nan, index=range(n), columns=labels)
    table = np.full((n, len(labels)), np.nan)
    if isinstance(size_by, str) and size_by in _METRICS:
        name = size_by
        for k, (_, g, arrays, idx) in enumerate(u.waves):
            table[idx, k] = _metric_values(g, arrays, size_by, seed)
    elif isinstance(size_by, str):
        name = "people" if size_by == "size" else size_by
        values = [a.get(size_by) for a in u.attrs]
        if all(_missing(v) for v in values):
            msg = (
                f"`size_by` {size_by!r} is neither a built-in metric ({', '.join(_METRICS)}) "
                "nor a node attribute of this graph. Pass one of those, or a Series indexed "
                "by node."
            )
            raise ValueError(msg)
        column = _numeric(values, size_by)
        for k, (_, _, _, idx) in enumerate(u.waves):
            table[idx, k] = column[idx]
    elif isinstance(size_by, pd.Series | Mapping):
        name = str(getattr(size_by, "name", None) or "size")
        column = _numeric(_by_node(size_by, u.nodes, "size_by"), name)
        for k, (_, _, _, idx) in enumerate(u.waves):
            table[idx, k] = column[idx]
    else:
        msg = f"`size_by` must be a metric name, a Series or a dict, not {size_by!r}."
        raise TypeError(msg)
    return name, pd.DataFrame(table, index=range(n), columns=labels)


def _widths(weight: np.ndarray) -> np.ndarray:
    """Edge widths in pixels: 1 to 8, linear in weight between the smallest and largest."""
    if weight.size == 0:
        return weight
    lo, hi = float(weight.min()), float(weight.max())
    if hi <= lo:
        return np.full(weight.shape, _MIN_WIDTH)
    return _MIN_WIDTH + (_MAX_WIDTH - _MIN_WIDTH) * (weight - lo) / (hi - lo)


# --------------------------------------------------------------------------- attributes


def _organisation_names(organisations: Any) -> dict[Hashable, str]:
    """Organisation id → name, from organisation graphs or a table with a ``name`` column."""
    names: dict[Hashable, str] = {}
    if organisations is None:
        return names
    if isinstance(organisations, pd.DataFrame):
        if "name" in organisations.columns:
            for key, name in organisations["name"].items():
                if not _missing(name):
                    names[key] = _text(name)
        return names
    for _, g in _as_waves(organisations):
        for v, a in g.nodes(data=True):
            if not _missing(a.get("name")):
                names[v] = _text(a["name"])
    return names


def _organisation_key(a: Mapping[str, Any]) -> Any:
    """A person's organisation id (or, failing that, its name)."""
    for key in _ORGANISATION_KEYS:
        if not _missing(a.get(key)):
            return a[key]
    return None


def _attribute_columns(
    attrs: list[dict[str, Any]],
    org_names: Mapping[Hashable, str],
    colour_attr: str | None,
    *,
    hide_names: bool,
) -> dict[str, list[str]]:
    """Display text per node for each categorical attribute (``"unknown"`` where missing).

    ``organisation`` shows ``organisation_name`` when the node has one, else
    ``organisation_id`` (or ``organisation``) by its name when the organisations are known;
    then sector, region, role, kind; then (unless names are hidden) any other text
    attribute with at most 50 distinct values; and the colour attribute, whatever its
    number of values. Other attributes (free text) stay out of the page; with hidden
    names so do all others (an e-mail or phone attribute of a small network would
    otherwise be listed in full among the filters).
    """

    def shown(value: Any) -> str:
        return "unknown" if _missing(value) else _text(value)

    columns: dict[str, list[str]] = {}
    org = [_organisation_key(a) for a in attrs]
    if any(k is not None for k in org):
        columns["organisation"] = [
            shown(a["organisation_name"])
            if not _missing(a.get("organisation_name"))
            else shown(org_names.get(k, k) if isinstance(k, Hashable) else k)
            for a, k in zip(attrs, org, strict=True)
        ]
    present = {key for a in attrs for key in a}
    for key in _SHOWN[1:]:
        if key in present:
            columns[key] = [shown(a.get(key)) for a in attrs]
    others = sorted(
        k for k in present if isinstance(k, str) and k not in columns and k not in _NOT_ATTRIBUTES
    )
    if hide_names:
        others = []
    for key in [*others, *([colour_attr] if colour_attr else [])]:
        if key in columns or key in _ORGANISATION_KEYS:
            continue
        raw = [a.get(key) for a in attrs]
        texty = all(_missing(v) or isinstance(v, str | bool | np.bool_) for v in raw)
        values = [shown(v) for v in raw]
        if key == colour_attr or (texty and len(set(values)) <= MAX_FILTER_VALUES):
            columns[key] = values
    return columns


def _metric_columns(metrics: Any, nodes: list[Hashable]) -> pd.DataFrame | None:
    """`metrics` aligned to the map's nodes (NaN for nodes it does not cover)."""
    if metrics is None:
        return None
    if isinstance(metrics, pd.Series):
        metrics = metrics.to_frame(name=metrics.name if metrics.name is not None else "value")
    if isinstance(metrics, Mapping) and not isinstance(metrics, pd.DataFrame):
        metrics = pd.DataFrame(
            {str(k): pd.Series(_by_node(v, nodes, "metrics")) for k, v in metrics.items()}
        )
        metrics.index = pd.Index(nodes, dtype=object, tupleize_cols=False)
        return metrics
    if not isinstance(metrics, pd.DataFrame):
        msg = (
            "`metrics` must be a DataFrame or Series indexed by node, or a dict of Series, "
            f"not {type(metrics).__name__}."
        )
        raise TypeError(msg)
    out = pd.DataFrame(
        {str(c): _by_node(metrics[c], nodes, "metrics") for c in metrics.columns},
        index=pd.Index(nodes, dtype=object, tupleize_cols=False),
    )
    return out


# --------------------------------------------------------------------------- the map


@dataclass(frozen=True, eq=False, repr=False)
class NetworkMap:
    """The explorer's content: nodes on one layout, the ties of each wave, their styling.

    Made by :func:`network_map` for one graph or several waves alike; written by
    :func:`write_map`, shown by :func:`show_map`.

    Attributes
    ----------
    nodes
        One row per node of any wave, indexed by node: ``id`` (the id the page and
        ``window.connectnet`` use: the node itself, or a pseudonymous code when names
        are hidden), ``name`` (shown name), ``label`` (drawn label, ``""`` for none),
        ``x``, ``y`` (pixels), ``colour``, ``group`` (colour group) and one column per
        categorical attribute (``organisation`` by name, ``sector``, ``region``, ...).
    sizes
        Dot diameter in pixels per node (rows, as `nodes`) and wave (columns); NaN where
        the node is not in that wave.
    size_values
        The value of the size metric behind `sizes` (NaN where missing or absent).
    edges
        One row per tie per wave: ``wave``, ``source``, ``target`` (nodes), ``weight``,
        ``width`` (pixels).
    waves
        Wave labels in order.
    directed
        Whether the waves are directed graphs (ties drawn with arrowheads).
    title
        The heading shown above the map, or ``None``.
    size_by
        The name of the size metric (``"people"`` for organisations), or ``None``.
    legend, legend_title
        ``(group, colour)`` pairs in legend order, and the legend's heading.
    colour_attr
        The `nodes` column the colours follow (``"group"`` for a Series/dict), or ``None``.
    filters
        The `nodes` columns that get filter checkboxes (2 to 50 distinct values).
    hide_names
        Whether people are shown by pseudonymous codes.
    height
        The height of the map in :func:`show_map` (CSS length).
    metrics
        The `metrics=` table aligned to `nodes`, or ``None``.
    organisations
        The organisation view (a ``NetworkMap`` of organisations), or ``None``.
    members
        In an organisation view: organisation → the people of the people map in it.
    noun
        What the nodes are called on the page: ``"people"``, ``"organisations"`` or
        ``"nodes"``.
    """

    nodes: pd.DataFrame
    sizes: pd.DataFrame
    size_values: pd.DataFrame
    edges: pd.DataFrame
    waves: tuple[str, ...]
    directed: bool
    title: str | None = None
    size_by: str | None = None
    legend: tuple[tuple[str, str], ...] = ()
    legend_title: str | None = None
    colour_attr: str | None = None
    filters: tuple[str, ...] = ()
    hide_names: bool = False
    height: str = "750px"
    metrics: pd.DataFrame | None = None
    organisations: NetworkMap | None = None
    members: dict[Hashable, list[Hashable]] = field(default_factory=dict)
    noun: str = "people"

    def positions(self) -> dict[Hashable, tuple[float, float]]:
        """``{node: (x, y)}``: pass as ``layout=`` to keep everyone in place in a new map."""
        xy = zip(self.nodes["x"].tolist(), self.nodes["y"].tolist(), strict=True)
        return dict(zip(self.nodes.index, xy, strict=True))

    def __repr__(self) -> str:
        waves = ", ".join(repr(w) for w in self.waves)
        n = self.edges.groupby("wave", sort=False).size().reindex(list(self.waves), fill_value=0)
        extra = "; with an organisation view" if self.organisations is not None else ""
        return f"NetworkMap({len(self.nodes)} nodes; waves {waves} with {n.tolist()} ties{extra})"

    def _repr_html_(self) -> str:
        from connectnet.maps._page import _iframe, render_html

        return _iframe(render_html(self), self.height)


def _legend_title(color_by: Any) -> str:
    if isinstance(color_by, str):
        return color_by.replace("_", " ").capitalize()
    name = getattr(color_by, "name", None)
    return str(name).replace("_", " ").capitalize() if name is not None else "Group"


def _layout_positions(layout: Any, seed: Any) -> Mapping[Hashable, Any]:
    if isinstance(layout, NetworkMap):
        return layout.positions()
    if isinstance(layout, nx.Graph):
        return map_layout(layout, seed=seed)
    if isinstance(layout, Mapping):
        keys = list(layout)
        arr = np.array([_pair(k, layout[k]) for k in keys]).reshape(-1, 2)
        fitted = _fit(arr) if len(keys) > 1 else np.zeros((len(keys), 2))
        return {k: (float(x), float(y)) for k, (x, y) in zip(keys, fitted, strict=True)}
    msg = (
        '`layout` must be "force", "grouped", a dict {node: (x, y)}, a networkx graph or a '
        f"map from network_map, not {type(layout).__name__}."
    )
    raise TypeError(msg)


def _positions(
    u: _Union, layout: Any, group_by: str | None, seed: Any, rng: np.random.Generator
) -> np.ndarray:
    arrays = u.arrays()
    if layout is None or (isinstance(layout, str) and layout == "force"):
        return _layout_arrays(arrays, rng, None)
    if isinstance(layout, str) and layout == "grouped":
        key = group_by or "sector"
        groups = ["unknown" if _missing(a.get(key)) else _text(a.get(key)) for a in u.attrs]
        return _grouped_positions(arrays, groups, rng)
    if isinstance(layout, str):
        msg = f'`layout` must be "force" or "grouped" when text, not {layout!r}.'
        raise ValueError(msg)
    return _matched_positions(arrays, _layout_positions(layout, seed), rng)


def _colours(
    color_by: Any, u: _Union, columns: dict[str, list[str]]
) -> tuple[list[str], list[str], list[tuple[str, str]]]:
    """Group label and colour per node, and the legend (palette order, unknown last)."""
    n = len(u.nodes)
    if color_by is None:
        return ["all"] * n, [PALETTE[0]] * n, []
    if isinstance(color_by, str):
        groups = columns[color_by]
    elif isinstance(color_by, pd.Series | Mapping):
        by_node = _by_node(color_by, u.nodes, "color_by")
        groups = ["unknown" if _missing(g) else _text(g) for g in by_node]
    else:
        msg = f"`color_by` must be an attribute name, a Series or a dict, not {color_by!r}."
        raise TypeError(msg)
    palette = group_colours(groups)
    order = sorted(palette, key=lambda g: (palette[g] == UNKNOWN_COLOUR, list(palette).index(g)))
    return groups, [palette[g] for g in groups], [(str(g), palette[g]) for g in order]


def network_map(
    G: nx.Graph | Mapping[str, nx.Graph] | Sequence[nx.Graph],
    *,
    color_by: str | Mapping | pd.Series | None = "sector",
    size_by: str | Mapping | pd.Series | None = _AUTO,
    label_by: str | None = "name",
    title: str | None = None,
    seed: int | np.random.Generator | None = None,
    hide_names: bool = False,
    salt: str | bytes | None = None,
    layout: str | Mapping | nx.Graph | NetworkMap | None = None,
    group_by: str | None = None,
    metrics: pd.DataFrame | pd.Series | Mapping | None = None,
    organisations: Any = None,
    height: str = "750px",
) -> NetworkMap:
    """The explorer for one network or several waves of it, on one shared layout.

    Parameters
    ----------
    G
        A networkx graph, a mapping ``{wave label: graph}`` (``{"baseline": G1,
        "follow-up": G2}``) or a sequence of graphs (labelled by ``G.graph["wave"]``, text
        or a whole number such as 2021, when every graph has a distinct one, else
        ``wave 1``, ``wave 2``, ...). Never modified. Node attributes ``name``,
        ``organisation_id`` (or ``organisation`` / ``organisation_name``), ``sector``,
        ``region``, ``role`` and ``kind`` are shown in tooltips and the side panel; edge
        attribute ``weight`` (missing = 1) sets width.
    color_by
        Node attribute giving the colour group (default ``"sector"``), a Series/dict node
        → group, or ``None`` for one colour. Missing values are ``"unknown"`` (grey).
        Colours come from the palette shared with :mod:`connectnet.plots`.
    size_by
        A built-in metric (``"degree"``, ``"strength"`` = weighted degree,
        ``"betweenness"``, ``"closeness"``, ``"pagerank"``; computed in each wave), a
        numeric node attribute, a Series/dict node → value, or ``None`` (all equal). The
        default sizes organisations (from :func:`connectnet.organisation_graph`) by their
        number of people (attribute ``size``) and anything else equally.
    label_by
        Node attribute used as the label (missing → the node id), or ``None`` for none.
    title
        Heading shown above the map (plain text).
    seed
        Seed for the layout; the same graphs and seed give the same positions.
    hide_names
        Show people (``kind="person"`` or no ``kind``) by pseudonymous codes from
        :func:`connectnet.pseudonymise` and leave their names and ids out of the page,
        and of the node attributes only organisation, sector, region, role, kind and the
        `color_by` attribute (no e-mail, phone or other free attribute).
    salt
        Secret salt for the codes when `hide_names` is true (at least 8 characters);
        ``None`` uses a fresh random salt, so codes then differ from map to map.
    layout
        ``None`` or ``"force"``: the seeded force layout of all waves together
        (:func:`map_layout`); ``"grouped"``: one cluster per value of `group_by`; or
        positions from earlier: a dict ``{node: (x, y)}``, a graph (laid out with
        `seed`) or an earlier ``NetworkMap``. People present there keep their place;
        others go next to their neighbours.
    group_by
        Attribute the ``"grouped"`` layout clusters by (default ``"sector"``; ``"region"``
        is the other usual choice).
    metrics
        Values for the side panel: a DataFrame (one column per metric, e.g.
        :func:`connectnet.bridging_table`) or Series indexed by node, or ``{name: Series}``.
    organisations
        An organisation graph from :func:`connectnet.organisation_graph`, or one per wave
        (mapping or sequence, like `G`): adds the organisation view (switch in the page)
        and shows people's organisations by name. A DataFrame of organisations indexed by
        id with a ``name`` column gives the names only.
    height
        Height of the map in :func:`show_map` (CSS length).

    Returns
    -------
    NetworkMap
        The same type for one graph or several; see its attributes.

    Raises
    ------
    TypeError
        If `G` is not a graph or a collection of graphs, or size or metric values are not
        numeric.
    ValueError
        If `size_by` names nothing known, `salt` is too short, an edge weight is not
        numeric, wave labels repeat, a `layout` position is not a finite pair, or a
        Series/dict given as `color_by`, `size_by` or `metrics` has no value for any node
        (indexed by names, say, or by text where the nodes are numbers).

    Examples
    --------
    >>> import networkx as nx
    >>> G = nx.Graph()
    >>> G.add_node("a", name="Ann", sector="NHS")
    >>> G.add_node("b", name="Bob", sector="prison")
    >>> G.add_edge("a", "b", weight=2)
    >>> m = network_map(G, size_by="degree", seed=1)
    >>> m.nodes["name"].tolist(), m.waves, len(m.edges)
    (['Ann', 'Bob'], ('network',), 1)
    >>> H = G.copy()
    >>> H.remove_edge("a", "b")
    >>> network_map({"baseline": G, "follow-up": H}, seed=1)
    NetworkMap(2 nodes; waves 'baseline', 'follow-up' with [1, 0] ties)

    Notes
    -----
    Dot diameters run from 8 to 40 pixels (at 100 % zoom), √-scaled so the dot *area*
    follows the value; missing values get 6 pixels and ``n/a``. Edge widths run from 1 to
    8 pixels, linear in weight. Positions are computed in Python (no physics in the
    browser), so a page always opens with the same picture. ``betweenness`` is exact up
    to 2,000 nodes and estimated from 500 seeded sources above.
    """
    waves = _as_waves(G)
    u = _union(waves)
    rng = np.random.default_rng(seed)
    nodes = u.nodes
    n = len(nodes)
    is_org_graph = all(
        g.graph.get("created_with") == "connectnet.organisation_graph" for _, g in waves
    )
    if isinstance(size_by, str) and size_by == _AUTO:
        size_by = "size" if is_org_graph and any("size" in a for a in u.attrs) else None

    org_names = _organisation_names(organisations)
    colour_attr = color_by if isinstance(color_by, str) else None
    columns = _attribute_columns(u.attrs, org_names, colour_attr, hide_names=hide_names)
    if colour_attr is not None and colour_attr not in columns:
        columns[colour_attr] = ["unknown"] * n
    groups, colours, legend = _colours(color_by, u, columns)
    size_name, values = _size_table(u, size_by, seed)
    sizes = values.apply(lambda c: pd.Series(_sizes(c.to_numpy()), index=c.index))
    for k, (_, _, _, idx) in enumerate(u.waves):
        absent = np.ones(n, dtype=bool)
        absent[idx] = False
        sizes.iloc[absent, k] = np.nan

    codes = _codes(waves, salt) if hide_names else {}
    ids = _page_ids(nodes, codes)
    names, labels = _names_and_labels(u, codes, label_by)

    xy = _positions(u, layout, group_by, seed, rng) if n else np.zeros((0, 2))
    index = pd.Index(nodes, dtype=object, tupleize_cols=False)
    table = pd.DataFrame(
        {
            "id": ids,
            "name": names,
            "label": labels,
            "x": xy[:, 0].astype(float),
            "y": xy[:, 1].astype(float),
            "colour": colours,
            "group": groups,
            **columns,
        },
        index=index,
    )
    sizes.index = values.index = index

    filters = tuple(k for k, col in columns.items() if 2 <= len(set(col)) <= MAX_FILTER_VALUES)
    org_map = None
    if organisations is not None and not isinstance(organisations, pd.DataFrame):
        org_map = _organisation_view(organisations, u, seed, height)
    kinds = columns.get("kind", [])
    noun = (
        "organisations"
        if is_org_graph
        else "people"
        if all(k in ("person", "unknown") for k in kinds)
        else "nodes"
    )
    return NetworkMap(
        nodes=table,
        sizes=sizes,
        size_values=values,
        edges=_edge_table(u),
        waves=tuple(label for label, _ in waves),
        directed=u.directed,
        title=None if title is None else str(title),
        size_by=size_name,
        legend=tuple(legend),
        legend_title=None if color_by is None else _legend_title(color_by),
        colour_attr=None if color_by is None else colour_attr or "group",
        filters=filters,
        hide_names=bool(hide_names),
        height=str(height),
        metrics=_metric_columns(metrics, nodes),
        organisations=org_map,
        noun=noun,
    )


def _codes(waves: list[tuple[str, nx.Graph]], salt: str | bytes | None) -> dict[Hashable, str]:
    """Person node → pseudonymous code, one salt for every wave (random when not given)."""
    import secrets

    from connectnet.privacy import _node_codes

    used_salt = secrets.token_hex(16) if salt is None else salt
    codes: dict[Hashable, str] = {}
    for _, g in waves:
        codes.update(_node_codes(g, used_salt))
    return codes


def _names_and_labels(
    u: _Union, codes: Mapping[Hashable, str], label_by: str | None
) -> tuple[list[str], list[str]]:
    """Shown name (code, name or id) and drawn label of each node."""
    names, labels = [], []
    for v, a in zip(u.nodes, u.attrs, strict=True):
        code = codes.get(v)
        raw_name = a.get("name")
        names.append(code if code is not None else _text(v if _missing(raw_name) else raw_name))
        if label_by is None:
            labels.append("")
        elif code is not None and (label_by == "name" or _missing(a.get(label_by))):
            labels.append(code)
        else:
            value = a.get(label_by)
            labels.append(_text(v if _missing(value) else value))
    return names, labels


def _edge_table(u: _Union) -> pd.DataFrame:
    nodes = u.nodes
    parts = [
        pd.DataFrame(
            {
                "wave": label,
                "source": pd.Series([nodes[i] for i in idx[arrays.src]], dtype=object),
                "target": pd.Series([nodes[i] for i in idx[arrays.dst]], dtype=object),
                "weight": arrays.weight,
            }
        )
        for label, _, arrays, idx in u.waves
    ]
    edges = pd.concat(parts, ignore_index=True)
    edges["width"] = _widths(edges["weight"].to_numpy(dtype=float))
    return edges


def _organisation_view(organisations: Any, u: _Union, seed: Any, height: str) -> NetworkMap:
    """The organisation map, with the people of this map listed per organisation."""
    org_map = network_map(organisations, color_by="sector", label_by="name", seed=seed,
                          height=height)  # fmt: skip
    members: dict[Hashable, list[Hashable]] = {}
    for v, a in zip(u.nodes, u.attrs, strict=True):
        key = _organisation_key(a)  # the id first: organisation graphs are keyed by id
        if key is not None and key in org_map.nodes.index:
            members.setdefault(key, []).append(v)
    return replace(org_map, members=members)
