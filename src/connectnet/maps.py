"""Interactive network maps: offline, escaped HTML built on pyvis / vis-network.

:func:`network_map` turns a graph into a pyvis ``Network`` (nodes coloured by sector with a
legend, sized by a metric, edges as wide as their weight, plain-text tooltips).
:func:`write_map` writes it as **one self-contained HTML file** (vis-network's script and
style in-lined from the copy that ships inside pyvis; no CDN, no ``lib/`` folder, no
external URL), and :func:`show_map` shows it inline in Jupyter / VS Code without writing
files. :func:`map_layout` gives seeded positions so maps of two waves can share them.

Design notes (pyvis pitfalls avoided): the caller's graph is never handed to pyvis'
``from_nx`` (which mutates it and is quadratic); node ids and attributes are coerced to plain
Python types; every data string travels as JSON inside an inert
``<script type="application/json">`` block with ``<``, ``>`` and ``&`` escaped, and is
shown with ``innerText`` (tooltips) or drawn on the canvas (labels), never parsed as HTML;
large graphs get fixed positions computed in Python with physics off.
"""

from __future__ import annotations

import base64
import functools
import hashlib
import html
import json
import math
import numbers
import re
from collections.abc import Hashable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import networkx as nx
import numpy as np
import pandas as pd

from connectnet._arrays import GraphArrays, check_graph, graph_arrays
from connectnet._palette import PALETTE, UNKNOWN_COLOUR, group_colours

__all__ = ["MapView", "map_layout", "network_map", "show_map", "write_map"]

#: Above this many nodes the layout is computed in Python and browser physics is off.
PHYSICS_NODE_LIMIT = 1500
_MIN_SIZE, _MAX_SIZE, _DEFAULT_SIZE, _MISSING_SIZE = 8.0, 40.0, 14.0, 6.0
_MIN_WIDTH, _MAX_WIDTH = 1.0, 8.0
_METRICS = ("degree", "strength", "betweenness", "closeness", "pagerank")
_NEIGHBOUR_PX = 50.0
#: Above this many nodes browser physics starts from a Python layout.
_BROWSER_START_LIMIT = 200
_HEX = re.compile(r"#[0-9A-Fa-f]{6}")
_MAX_SAFE_INT = 2**53
_SURROGATE = re.compile("[\ud800-\udfff]")


def _esc(value: Any) -> str:
    """HTML-escaped text; lone surrogates (not encodable as UTF-8) become U+FFFD."""
    return html.escape(_SURROGATE.sub("\ufffd", str(value)))


# --------------------------------------------------------------------------- layout


def _force_layout(
    n: int,
    src: np.ndarray,
    dst: np.ndarray,
    weight: np.ndarray,
    *,
    rng: np.random.Generator,
    iterations: int,
) -> np.ndarray:
    """ForceAtlas2-style layout with grid (particle-mesh) repulsion: O(n + m) per step.

    Attraction is linear along edges (scaled by the square root of the relative weight),
    repulsion between all node pairs is ``m_i m_j / d`` with masses ``1 + degree``, computed
    on a 2-D grid by FFT convolution (cloud-in-cell deposit and interpolation), and a
    weak linear gravity keeps components together. Steps are capped by a temperature that
    cools geometrically.
    """
    import scipy.fft as sfft

    keep = src != dst
    src, dst, weight = src[keep], dst[keep], weight[keep]
    w = np.sqrt(weight / weight.mean()) if weight.size else weight
    mass = 1.0 + np.bincount(src, minlength=n) + np.bincount(dst, minlength=n)
    pos = rng.uniform(-1.0, 1.0, (n, 2)) * math.sqrt(n)
    grid = int(min(256, max(32, 2 ** math.ceil(math.log2(2 * math.sqrt(n))))))
    size = 2 * grid
    off = np.arange(size, dtype=float)
    off = np.where(off < grid, off, off - size)
    dx, dy = np.meshgrid(off, off, indexing="ij")
    r2 = dx * dx + dy * dy + 1.0  # softened at one cell
    kx, ky = sfft.rfft2(dx / r2), sfft.rfft2(dy / r2)
    mass4 = np.tile(mass, 4)
    t_start, t_end = 0.1, 0.002
    for it in range(iterations):
        lo = pos.min(axis=0)
        span = max(float(np.ptp(pos, axis=0).max()), 1e-9)
        h = span / (grid - 1) * (1 + 1e-9)
        g = (pos - lo) / h
        i0 = np.minimum(g.astype(np.int64), grid - 2)
        f = g - i0
        fx, fy = f[:, 0], f[:, 1]
        base = i0[:, 0] * size + i0[:, 1]
        idx = np.concatenate([base, base + size, base + 1, base + size + 1])
        wts = np.concatenate([(1 - fx) * (1 - fy), fx * (1 - fy), (1 - fx) * fy, fx * fy])
        rho = np.bincount(idx, weights=wts * mass4, minlength=size * size).reshape(size, size)
        spec = sfft.rfft2(rho)
        ex = sfft.irfft2(spec * kx, s=(size, size)).ravel()
        ey = sfft.irfft2(spec * ky, s=(size, size)).ravel()
        force = np.empty((n, 2))
        force[:, 0] = (ex[idx] * wts).reshape(4, n).sum(axis=0)
        force[:, 1] = (ey[idx] * wts).reshape(4, n).sum(axis=0)
        force *= mass[:, None] / h
        d = (pos[dst] - pos[src]) * w[:, None]
        for k in (0, 1):
            force[:, k] += np.bincount(src, d[:, k], n) - np.bincount(dst, d[:, k], n)
        force -= 0.1 * mass[:, None] * (pos - pos.mean(axis=0))
        disp = force / mass[:, None]
        norm = np.linalg.norm(disp, axis=1, keepdims=True) + 1e-12
        temp = span * t_start * (t_end / t_start) ** (it / max(iterations - 1, 1))
        pos += disp * np.minimum(1.0, temp / norm)
    return pos - pos.mean(axis=0)


def _fit(pos: np.ndarray) -> np.ndarray:
    """Centre and scale positions to map units: median nearest-neighbour distance 50 px."""
    k = len(pos)
    if k == 0:
        return pos
    pos = pos - pos.mean(axis=0)
    if k == 1:
        return pos
    from scipy.spatial import cKDTree

    dist = cKDTree(pos).query(pos, k=2)[0][:, 1]
    dist = dist[dist > 0]
    if dist.size:
        return pos * (_NEIGHBOUR_PX / float(np.median(dist)))
    return pos  # all positions equal


def _layout_arrays(arrays: GraphArrays, seed: Any, iterations: int | None) -> np.ndarray:
    n = arrays.n
    rng = np.random.default_rng(seed)
    if n <= 1:
        return np.zeros((n, 2))
    if iterations is None:
        iterations = 300 if n <= 2000 else 150
    return _fit(
        _force_layout(n, arrays.src, arrays.dst, arrays.weight, rng=rng, iterations=iterations)
    )


def map_layout(
    G: nx.Graph, *, seed: int | np.random.Generator | None = None, iterations: int | None = None
) -> dict[Hashable, tuple[float, float]]:
    """Seeded node positions for maps (and plots), in map units (pixels).

    Parameters
    ----------
    G
        Any networkx graph (edge attribute ``weight`` pulls nodes closer, missing = 1).
    seed
        Seed or ``numpy.random.Generator`` for the starting positions; the same seed and
        graph give the same positions.
    iterations
        Force-directed steps (default 300 up to 2,000 nodes, 150 above).

    Returns
    -------
    dict
        ``{node: (x, y)}`` with plain Python floats, centred on ``(0, 0)`` and scaled so
        the median distance from a node to its nearest neighbour is 50 pixels.

    Raises
    ------
    TypeError
        If `G` is not a networkx graph.
    ValueError
        If an edge weight is not numeric or `iterations` is not positive.

    Examples
    --------
    >>> import networkx as nx
    >>> pos = map_layout(nx.path_graph(4), seed=1)
    >>> sorted(pos) == [0, 1, 2, 3], pos == map_layout(nx.path_graph(4), seed=1)
    (True, True)

    Notes
    -----
    A ForceAtlas2-style model (linear attraction along edges, ``1/d`` repulsion between
    all nodes weighted by ``1 + degree``, weak gravity so isolates and small components
    stay in view) with repulsion computed on a grid by FFT, so each step costs
    ``O(n + m)``: about 1.5 s for 20,000 nodes and 100,000 edges. Pass the result as
    ``layout=`` to :func:`network_map` for several graphs to keep people in place.

    References
    ----------
    Jacomy M, Venturini T, Heymann S, Bastian M (2014). ForceAtlas2, a continuous graph
    layout algorithm for handy network visualization designed for the Gephi software.
    PLoS ONE 9(6): e98679.
    """
    check_graph(G)
    if iterations is not None and (isinstance(iterations, bool) or int(iterations) < 1):
        msg = f"`iterations` must be a positive int, got {iterations!r}."
        raise ValueError(msg)
    arrays = graph_arrays(G, weight="weight")
    pos = _layout_arrays(arrays, seed, None if iterations is None else int(iterations))
    return {node: (float(x), float(y)) for node, (x, y) in zip(arrays.nodes, pos, strict=True)}


def _pair(node: Hashable, xy: Any) -> tuple[float, float]:
    try:
        x, y = float(xy[0]), float(xy[1])
    except (TypeError, ValueError, IndexError, KeyError) as exc:
        msg = f"`layout` position of node {node!r} must be an (x, y) pair, got {xy!r}."
        raise ValueError(msg) from exc
    if not (math.isfinite(x) and math.isfinite(y)):
        msg = f"`layout` position of node {node!r} is not finite: {xy!r}."
        raise ValueError(msg)
    return x, y


def _matched_positions(
    arrays: GraphArrays, known: Mapping[Hashable, Any], rng: np.random.Generator
) -> np.ndarray:
    """Use known positions; put each other node at the mean of its placed neighbours."""
    n = arrays.n
    pos = np.zeros((n, 2))
    placed = np.zeros(n, dtype=bool)
    for i, node in enumerate(arrays.nodes):
        if node in known:
            pos[i] = _pair(node, known[node])
            placed[i] = True
    if placed.all():
        return pos
    if not placed.any():
        return _layout_arrays(arrays, rng, None)
    src, dst = arrays.src, arrays.dst
    keep = src != dst
    src, dst = np.concatenate([src[keep], dst[keep]]), np.concatenate([dst[keep], src[keep]])
    span = float(np.ptp(pos[placed], axis=0).max()) if placed.sum() > 1 else 100.0
    jitter = max(span / math.sqrt(max(placed.sum(), 1)), 10.0)
    while True:
        ok = placed[src] & ~placed[dst]
        if not ok.any():
            break
        targets = dst[ok]
        count = np.bincount(targets, minlength=n)
        sx = np.bincount(targets, pos[src[ok], 0], n)
        sy = np.bincount(targets, pos[src[ok], 1], n)
        new = np.flatnonzero(count)
        pos[new, 0] = sx[new] / count[new]
        pos[new, 1] = sy[new] / count[new]
        pos[new] += rng.normal(0.0, jitter / 2, (new.size, 2))
        placed[new] = True
    rest = np.flatnonzero(~placed)
    if rest.size:  # components with no known position: lay out apart, to the right
        sub = arrays.nodes
        mask = ~placed
        remap = -np.ones(n, dtype=np.int64)
        remap[rest] = np.arange(rest.size)
        both = mask[arrays.src] & mask[arrays.dst]
        sub_arrays = GraphArrays(
            [sub[i] for i in rest],
            remap[arrays.src[both]],
            remap[arrays.dst[both]],
            arrays.weight[both],
            arrays.directed,
        )
        extra = _layout_arrays(sub_arrays, rng, None)
        if rest.size > 1:
            extra -= extra.min(axis=0)
        right = pos[placed, 0].max() + 2 * jitter
        top = pos[placed, 1].min()
        pos[rest] = extra + np.array([right, top])
    return pos


# --------------------------------------------------------------------------- attributes


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
    """numpy scalars → Python scalars (for JSON and for pyvis)."""
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


def _vis_ids(nodes: list[Hashable]) -> tuple[list[int | str], bool]:
    """Plain str/int ids for vis; positional ints if text forms would collide."""
    ids: list[int | str] = []
    for node in nodes:
        if type(node) is str:
            ids.append(node)
        elif isinstance(node, numbers.Integral) and not isinstance(node, bool | np.bool_):
            value = int(node)
            ids.append(value if abs(value) < _MAX_SAFE_INT else str(value))
        else:
            ids.append(str(node))
    # vis keys nodes by their text form: 1 and "1" would be one node in the browser.
    if len({str(i) for i in ids}) == len(ids):
        return ids, False
    return list(range(len(nodes))), True


def _metric_values(
    G: nx.Graph, arrays: GraphArrays, name: str, seed: Any
) -> tuple[np.ndarray, str]:
    n = arrays.n
    if name == "degree":
        vals = np.bincount(arrays.src, minlength=n) + np.bincount(arrays.dst, minlength=n)
        return vals.astype(float), name
    if name == "strength":
        w = arrays.weight
        vals = np.bincount(arrays.src, w, n) + np.bincount(arrays.dst, w, n)
        return vals, name
    if name in ("betweenness", "closeness", "pagerank"):
        if name == "betweenness":
            k = None if n <= 2000 else 500
            rs = None if seed is None else int(np.random.default_rng(seed).integers(2**31))
            res = nx.betweenness_centrality(G, k=k, seed=rs)
        elif name == "closeness":
            res = nx.closeness_centrality(G)
        else:
            res = nx.pagerank(G, weight="weight") if n else {}
        return np.array([res[v] for v in arrays.nodes], dtype=float), name
    values = [G.nodes[v].get(name) for v in arrays.nodes]
    present = [v for v in values if not _missing(v)]
    if not present:
        msg = (
            f"`size_by` {name!r} is neither a built-in metric ({', '.join(_METRICS)}) nor a "
            "node attribute of this graph. Pass one of those, or a Series indexed by node."
        )
        raise ValueError(msg)
    return _numeric([np.nan if _missing(v) else v for v in values], name), name


def _numeric(values: list[Any], name: str) -> np.ndarray:
    try:
        return np.asarray([_plain(v) for v in values], dtype=float)
    except (TypeError, ValueError) as exc:
        msg = f"`size_by` values ({name!r}) must be numeric."
        raise TypeError(msg) from exc


def _by_node(obj: Mapping | pd.Series, nodes: list[Hashable]) -> list[Any]:
    if isinstance(obj, pd.Series):
        lookup = obj.to_dict()
    else:
        lookup = obj
    return [lookup.get(v) for v in nodes]


def _sizes(values: np.ndarray) -> np.ndarray:
    """Area-proportional dot sizes: √ scaling between the smallest and largest value."""
    out = np.full(values.shape, _MISSING_SIZE)
    ok = np.isfinite(values)
    if not ok.any():
        return np.full(values.shape, _DEFAULT_SIZE)
    lo, hi = float(values[ok].min()), float(values[ok].max())
    if hi > lo:
        rel = (values[ok] - lo) / (hi - lo)
        out[ok] = _MIN_SIZE + (_MAX_SIZE - _MIN_SIZE) * np.sqrt(rel)
    else:
        out[ok] = _DEFAULT_SIZE
    return out


def _widths(weight: np.ndarray) -> np.ndarray:
    if weight.size == 0:
        return weight
    lo, hi = float(weight.min()), float(weight.max())
    if hi <= lo:
        return np.full(weight.shape, _MIN_WIDTH)
    return _MIN_WIDTH + (_MAX_WIDTH - _MIN_WIDTH) * (weight - lo) / (hi - lo)


def _metrics_table(metrics: Any, nodes: list[Hashable]) -> list[tuple[str, list[Any]]]:
    if metrics is None:
        return []
    if isinstance(metrics, pd.Series):
        metrics = metrics.to_frame(name=metrics.name if metrics.name is not None else "value")
    if isinstance(metrics, pd.DataFrame):
        return [(str(c), _by_node(metrics[c], nodes)) for c in metrics.columns]
    if isinstance(metrics, Mapping):
        return [(str(k), _by_node(v, nodes)) for k, v in metrics.items()]
    msg = (
        "`metrics` must be a DataFrame or Series indexed by node, or a dict of Series, "
        f"not {type(metrics).__name__}."
    )
    raise TypeError(msg)


# --------------------------------------------------------------------------- network


@functools.cache
def _network_class() -> type:
    from pyvis.network import Network

    class OfflineNetwork(Network):
        """A pyvis ``Network`` whose HTML output is connectnet's offline, escaped page."""

        def generate_html(self, name: str = "index.html", local: bool = True, notebook=False):
            self.html = _render_html(self)
            return self.html

        def write_html(self, name, local=True, notebook=False, open_browser=False):
            Path(name).write_text(self.generate_html(), encoding="utf-8")
            if open_browser:  # pragma: no cover - interactive only
                import webbrowser

                webbrowser.open(Path(name).resolve().as_uri())

    OfflineNetwork.__name__ = OfflineNetwork.__qualname__ = "Network"
    return OfflineNetwork


def network_map(
    G: nx.Graph,
    *,
    color_by: str | Mapping | pd.Series | None = "sector",
    size_by: str | Mapping | pd.Series | None = None,
    label_by: str | None = "name",
    title: str | None = None,
    physics: bool | None = None,
    seed: int | np.random.Generator | None = None,
    hide_names: bool = False,
    salt: str | bytes | None = None,
    layout: Mapping | nx.Graph | Any | None = None,
    metrics: pd.DataFrame | pd.Series | Mapping | None = None,
    height: str = "750px",
):
    """An interactive map of a network as a pyvis ``Network`` (offline when written).

    Parameters
    ----------
    G
        Any networkx graph; never modified. Node attributes ``name``, ``organisation_id``
        (or ``organisation``/``organisation_name``), ``sector``, ``role`` and ``kind`` are
        shown in tooltips; edge attribute ``weight`` (missing = 1) sets edge width.
    color_by
        Node attribute giving the colour group (default ``"sector"``), or a Series/dict
        node → group, or ``None`` for one colour. Missing values are ``"unknown"`` (grey).
        Colours come from the palette shared with :mod:`connectnet.plots`.
    size_by
        Node size: a built-in metric (``"degree"``, ``"strength"`` = weighted degree,
        ``"betweenness"``, ``"closeness"``, ``"pagerank"``), a numeric node attribute, a
        Series/dict node → value, or ``None`` (all equal). Dot area grows with the value.
    label_by
        Node attribute used as the label (missing → the node id), or ``None`` for none.
    title
        Heading shown above the map (plain text).
    physics
        ``None`` (default): without `layout`, physics in the browser up to 1,500 nodes
        (from 201 nodes starting from a Python layout, so stabilising is short), above
        that positions computed in Python (:func:`map_layout`) and physics off; with
        `layout`, physics off. ``True``/``False`` force it.
    seed
        Seed for the layout (Python) and for vis-network's physics start.
    hide_names
        Label people (``kind="person"`` or no ``kind``) with pseudonymous codes from
        :func:`connectnet.pseudonymise` and leave names and ids out of the page.
    salt
        Secret salt for the codes when `hide_names` is true (at least 8 characters). Pass
        the same salt for every wave so a person keeps their code; ``None`` uses a fresh
        random salt, so codes then differ from map to map.
    layout
        Fixed positions: a dict ``{node: (x, y)}``, a graph (laid out with
        :func:`map_layout` and `seed`) or a previous map from this function. People
        present there keep their place; others go next to their neighbours.
    metrics
        Extra values for the tooltips: DataFrame (one column per metric) or Series
        indexed by node, or a dict ``{name: Series}``.
    height
        Height of the map in the page and in :func:`show_map` (CSS length).

    Returns
    -------
    pyvis.network.Network
        With ``nodes`` (dicts with ``id``, ``label``, ``color``, ``size``, ``title``, and
        ``x``/``y`` when positions are fixed), ``edges`` (``from``, ``to``, ``width``,
        ``title``, ``weight``) and ``options`` (a dict). Its ``write_html`` and
        ``generate_html`` produce the same offline page as :func:`write_map`.

    Raises
    ------
    TypeError
        If `G` is not a networkx graph, or size or metric values are not numeric.
    ValueError
        If `size_by` names nothing known, `salt` is too short, an edge weight is not
        numeric, or a `layout` position is not a finite pair.

    Examples
    --------
    >>> import networkx as nx
    >>> G = nx.Graph()
    >>> G.add_node("a", name="Ann", sector="NHS")
    >>> G.add_node("b", name="Bob", sector="prison")
    >>> G.add_edge("a", "b", weight=2)
    >>> net = network_map(G, size_by="degree", seed=1)
    >>> [n["label"] for n in net.nodes], len(net.edges)
    (['Ann', 'Bob'], 1)
    >>> net.nodes[0]["title"]
    'Ann\\nSector: NHS\\nConnections: 1\\ndegree: 1'

    Notes
    -----
    Edge width grows linearly from 1 to 8 pixels between the smallest and largest weight.
    Node sizes run from 8 to 40 pixels (√-scaled so the dot *area* follows the value);
    nodes with a missing value get a 6-pixel dot and ``n/a`` in the tooltip. An empty
    graph gives an empty map. In a directed graph edges get arrows and ``degree`` counts
    in- plus out-arcs. ``betweenness`` is exact up to 2,000 nodes and estimated from
    500 seeded sources above.
    """
    check_graph(G)
    arrays = graph_arrays(G, weight="weight")
    nodes = arrays.nodes
    n = arrays.n
    attrs = [G.nodes[v] for v in nodes]
    rng = np.random.default_rng(seed)

    # colour groups
    if color_by is None:
        groups: list[Any] = [None] * n
        colours = [PALETTE[0]] * n
        legend: list[tuple[str, str]] = []
    else:
        if isinstance(color_by, str):
            raw = [a.get(color_by) for a in attrs]
        elif isinstance(color_by, pd.Series | Mapping):
            raw = _by_node(color_by, nodes)
        else:
            msg = f"`color_by` must be an attribute name, a Series or a dict, not {color_by!r}."
            raise TypeError(msg)
        groups = [
            "unknown" if _missing(g) else g if isinstance(g, Hashable) else str(g)
            for g in map(_plain, raw)
        ]
        palette = group_colours(groups)
        colours = [palette[g] for g in groups]
        order = sorted(
            palette, key=lambda g: (palette[g] == UNKNOWN_COLOUR, list(palette).index(g))
        )
        legend = [(_text(g), palette[g]) for g in order]

    # sizes
    size_name = None
    size_vals: np.ndarray | None = None
    if size_by is None:
        sizes = np.full(n, _DEFAULT_SIZE)
    else:
        if isinstance(size_by, str):
            size_vals, size_name = _metric_values(G, arrays, size_by, seed)
        elif isinstance(size_by, pd.Series | Mapping):
            size_name = str(getattr(size_by, "name", None) or "size")
            size_vals = _numeric(
                [np.nan if _missing(v) else v for v in _by_node(size_by, nodes)], size_name
            )
        else:
            msg = f"`size_by` must be a metric name, a Series or a dict, not {size_by!r}."
            raise TypeError(msg)
        sizes = _sizes(size_vals)
    degree = np.bincount(arrays.src, minlength=n) + np.bincount(arrays.dst, minlength=n)
    extra = _metrics_table(metrics, nodes)

    # names, codes, ids
    codes: dict[Hashable, str] = {}
    if hide_names:
        import secrets

        from connectnet.privacy import _node_codes

        codes = _node_codes(G, secrets.token_hex(16) if salt is None else salt)
        ids: list[int | str] = list(range(n))
    else:
        ids, _ = _vis_ids(nodes)

    # positions
    positions: np.ndarray | None = None
    if layout is not None:
        known = _layout_positions(layout, seed)
        positions = _matched_positions(arrays, known, rng)
        use_physics = bool(physics)
    elif physics is None:
        use_physics = n <= PHYSICS_NODE_LIMIT
    else:
        use_physics = bool(physics)
    if positions is None and (not use_physics or n > _BROWSER_START_LIMIT):
        # physics off: final positions; physics on for a mid-size graph: a Python start
        # so the browser needs only a short stabilisation before the first drawing
        positions = _layout_arrays(arrays, rng, None)

    degree_list = degree.tolist()
    size_list = sizes.tolist()
    xy = None if positions is None else positions.tolist()
    size_text = None
    if size_vals is not None:
        size_text = [_text(x) if math.isfinite(x) else "n/a" for x in size_vals.tolist()]
    group_caption = None
    if isinstance(color_by, str) and color_by not in ("sector", "role"):
        group_caption = color_by
    elif color_by is not None and not isinstance(color_by, str):
        group_caption = "Group"
    node_dicts = []
    for i, (v, a) in enumerate(zip(nodes, attrs, strict=True)):
        code = codes.get(v) if codes else None
        if code is not None:
            shown = code
        else:
            name = a.get("name")
            shown = _text(v if _missing(name) else name)
        label: Any
        if label_by is None:
            label = ""
        else:
            label = a.get(label_by)
            if code is not None and (label_by == "name" or _missing(label)):
                label = code
            elif _missing(label):
                label = v
        lines = [shown]
        kind = a.get("kind")
        if kind is not None and kind != "person" and not _missing(kind):
            lines.append(f"Kind: {_text(kind)}")
        for key in ("organisation_name", "organisation", "organisation_id"):
            if not _missing(a.get(key)):
                lines.append(f"Organisation: {_text(a[key])}")
                break
        for key, caption in (("sector", "Sector"), ("role", "Role")):
            if not _missing(a.get(key)):
                lines.append(f"{caption}: {_text(a[key])}")
        if group_caption is not None:
            lines.append(f"{group_caption}: {_text(groups[i])}")
        lines.append(f"Connections: {degree_list[i]}")
        if size_text is not None:
            lines.append(f"{size_name}: {size_text[i]}")
        for col, values in extra:
            value = values[i]
            lines.append(f"{col}: {'n/a' if _missing(value) else _text(value)}")
        node = {
            "id": ids[i],
            "label": _text(label),
            "color": colours[i],
            "size": size_list[i],
            "title": "\n".join(lines),
        }
        if xy is not None:
            node["x"], node["y"] = xy[i]
        node_dicts.append(node)

    weights = arrays.weight.tolist()
    titles = {w: f"weight: {w:g}" for w in set(weights)}
    edge_dicts = [
        {"from": ids[s], "to": ids[t], "width": wd, "weight": w, "title": titles[w]}
        for s, t, w, wd in zip(
            arrays.src.tolist(),
            arrays.dst.tolist(),
            weights,
            _widths(arrays.weight).tolist(),
            strict=True,
        )
    ]

    Network = _network_class()
    net = Network(
        height=str(height),
        width="100%",
        directed=bool(arrays.directed),
        heading=html.escape(str(title)) if title is not None else "",
        cdn_resources="in_line",
    )
    net.nodes = node_dicts
    net.node_ids = [d["id"] for d in node_dicts]
    net.node_map = dict(zip(net.node_ids, node_dicts, strict=True))
    net.edges = edge_dicts
    net.options = _options(n, use_physics, positions is not None, arrays.directed, seed)
    net.connectnet = {
        "title": None if title is None else str(title),
        "legend": legend,
        "legend_title": None if color_by is None else _legend_title(color_by),
        "size_by": size_name,
        "hide_names": bool(hide_names),
        "positions": (
            None
            if xy is None or use_physics
            else {v: (x, y) for v, (x, y) in zip(nodes, xy, strict=True)}
        ),
    }
    return net


def _legend_title(color_by: Any) -> str:
    if isinstance(color_by, str):
        return color_by.replace("_", " ").capitalize()
    name = getattr(color_by, "name", None)
    return str(name).replace("_", " ").capitalize() if name is not None else "Group"


def _layout_positions(layout: Any, seed: Any) -> Mapping[Hashable, Any]:
    if isinstance(layout, nx.Graph):
        return map_layout(layout, seed=seed)
    meta = getattr(layout, "connectnet", None)
    if isinstance(meta, dict) and "positions" in meta:
        if meta["positions"] is None:
            msg = (
                "`layout` is a map drawn with browser physics, so it has no fixed positions. "
                "Make it with `physics=False` (or pass the graph or map_layout(G, seed=...))."
            )
            raise ValueError(msg)
        return meta["positions"]
    if isinstance(layout, Mapping):
        keys = list(layout)
        arr = np.array([_pair(k, layout[k]) for k in keys]).reshape(-1, 2)
        fitted = _fit(arr) if len(keys) > 1 else np.zeros((len(keys), 2))
        return {k: (float(x), float(y)) for k, (x, y) in zip(keys, fitted, strict=True)}
    msg = (
        "`layout` must be a dict {node: (x, y)}, a networkx graph or a map from "
        f"network_map, not {type(layout).__name__}."
    )
    raise TypeError(msg)


def _options(n: int, physics: bool, fixed: bool, directed: bool, seed: Any) -> dict:
    big = n > PHYSICS_NODE_LIMIT
    options: dict[str, Any] = {
        "nodes": {"shape": "dot", "font": {"size": 14, "face": "sans-serif"}},
        "edges": {
            "color": {"color": "#8a8a8a", "highlight": "#333333", "opacity": 0.55},
            "smooth": False if (big or not physics) else {"type": "continuous"},
            "arrows": {"to": {"enabled": bool(directed), "scaleFactor": 0.5}},
        },
        "interaction": {
            "hover": not big,
            "tooltipDelay": 150,
            "hideEdgesOnDrag": big,
            "hideEdgesOnZoom": big,
            "navigationButtons": False,
        },
        "layout": {"improvedLayout": (not fixed) and n <= 200},
    }
    if isinstance(seed, numbers.Integral) and not isinstance(seed, bool):
        options["layout"]["randomSeed"] = int(seed)
    if physics:
        options["physics"] = {
            "enabled": True,
            "solver": "forceAtlas2Based",
            "forceAtlas2Based": {"gravitationalConstant": -50, "springLength": 80},
            "stabilization": {
                "enabled": True,
                "iterations": 300 if n <= _BROWSER_START_LIMIT else 60,
                "fit": True,
            },
        }
    else:
        options["physics"] = {"enabled": False}
    return options


# --------------------------------------------------------------------------- HTML


@functools.cache
def _vis_assets() -> tuple[str, str]:
    """vis-network's JS and CSS from the copy shipped inside the pyvis package."""
    import pyvis

    lib = Path(pyvis.__file__).parent / "templates" / "lib"
    found = sorted(
        lib.glob("vis-*/vis-network.min.js"),
        key=lambda p: tuple(int(x) for x in re.findall(r"\d+", p.parent.name)),
    )
    if not found:  # pragma: no cover - broken pyvis install
        msg = f"vis-network files not found under {lib}; reinstall pyvis (>= 0.3.2)."
        raise RuntimeError(msg)
    js = found[-1].read_text(encoding="utf-8")
    css = (found[-1].parent / "vis-network.css").read_text(encoding="utf-8")
    # Keep the library from closing or confusing its <script>/<style> element.
    js = re.sub(r"</(script)", r"<\\/\1", js, flags=re.IGNORECASE).replace("<!--", "<\\!--")
    css = re.sub(r"</(style)", r"<\\/\1", css, flags=re.IGNORECASE)
    return js, css


def _json_default(value: Any) -> Any:
    if isinstance(value, np.generic):
        return value.item()
    if isinstance(value, tuple | set | frozenset):
        return list(value)
    if hasattr(value, "__dict__"):  # pyvis Options objects
        return value.__dict__
    return str(value)


def _script_json(obj: Any) -> str:
    """JSON safe inside an HTML <script> element: no '<', '>' or '&' left unescaped."""
    text = json.dumps(
        obj, ensure_ascii=True, allow_nan=False, default=_json_default, separators=(",", ":")
    )
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def _csp_hash(script: str) -> str:
    digest = hashlib.sha256(script.encode("utf-8")).digest()
    return "'sha256-" + base64.b64encode(digest).decode("ascii") + "'"


_PAGE_CSS = """
html, body { margin: 0; padding: 0; height: 100%; font-family: system-ui, sans-serif; }
body { display: flex; flex-direction: column; background: #ffffff; color: #222222; }
#cn-title { font-size: 1.25rem; margin: 0.5rem 0.75rem 0.25rem; font-weight: 600; }
#cn-wrap { position: relative; flex: 1 1 auto; min-height: 300px; }
#cn-map { position: absolute; inset: 0; }
#cn-legend { position: absolute; left: 0.5rem; bottom: 0.5rem; z-index: 2;
  background: rgba(255,255,255,0.9); border: 1px solid #cccccc; border-radius: 4px;
  padding: 0.4rem 0.6rem; font-size: 0.8rem; max-height: 45%; overflow-y: auto; }
#cn-legend h2 { font-size: 0.85rem; margin: 0 0 0.25rem; }
#cn-legend ul { list-style: none; margin: 0; padding: 0; }
#cn-legend li { display: flex; align-items: center; gap: 0.4rem; margin: 0.1rem 0; }
.cn-swatch { display: inline-block; width: 0.8rem; height: 0.8rem; border-radius: 50%;
  border: 1px solid #555555; }
#cn-caption { margin-top: 0.3rem; color: #555555; }
div.vis-tooltip { white-space: pre-line; max-width: 28rem; font-family: system-ui, sans-serif;
  font-size: 0.8rem; }
"""

_INIT_JS = """
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("cn-data").textContent);
  var nodes = new vis.DataSet(data.nodes);
  var edges = new vis.DataSet(data.edges);
  var container = document.getElementById("cn-map");
  var network = new vis.Network(container, {nodes: nodes, edges: edges}, data.options);
  var state = {network: network, nodes: nodes, edges: edges, drawn: false, drawnAtMs: null};
  window.cnMap = state;
  network.once("afterDrawing", function () {
    state.drawn = true;
    state.drawnAtMs = performance.now();
    document.documentElement.setAttribute("data-cn-drawn", "1");
  });
  network.once("stabilizationIterationsDone", function () {
    network.setOptions({physics: {enabled: false}});
  });
})();
"""


def _render_html(net: Any) -> str:
    """The offline page for a pyvis Network (legend and title when made by network_map)."""
    js, css = _vis_assets()
    meta = getattr(net, "connectnet", None) or {}
    options = net.options if isinstance(net.options, dict) else json.loads(net.options.to_json())
    data = _script_json({"nodes": net.nodes, "edges": net.edges, "options": options})
    title = meta.get("title")
    heading = getattr(net, "heading", None)
    if title is None and not meta and heading:
        title = heading
    parts = []
    if title:
        parts.append(f'<h1 id="cn-title">{_esc(title)}</h1>')
    legend_items = [
        f'<li><span class="cn-swatch" style="background:{colour}"></span>'
        f"<span>{_esc(label)}</span></li>"
        for label, colour in meta.get("legend", [])
        if _HEX.fullmatch(colour)
    ]
    caption = []
    if meta.get("size_by"):
        caption.append(f"Node size: {_esc(meta['size_by'])}")
    if meta.get("hide_names"):
        caption.append("People shown by pseudonymous codes")
    caption.append(f"{len(net.nodes):,} nodes, {len(net.edges):,} edges")
    legend = (
        '<div id="cn-legend">'
        + (
            f"<h2>{_esc(meta.get('legend_title') or 'Group')}</h2><ul>{''.join(legend_items)}</ul>"
            if legend_items
            else ""
        )
        + f'<div id="cn-caption">{"<br>".join(caption)}</div></div>'
    )
    csp = (
        "default-src 'none'; "
        f"script-src {_csp_hash(js)} {_csp_hash(_INIT_JS)}; "
        "style-src 'unsafe-inline'; img-src data:; font-src data:; "
        "connect-src 'none'; form-action 'none'; base-uri 'none'"
    )
    page_title = _esc(title) if title else "connectnet map"
    return (
        "<!DOCTYPE html>\n"
        '<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        f'<meta http-equiv="Content-Security-Policy" content="{csp}">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        '<meta name="generator" content="connectnet">\n'
        f"<title>{page_title}</title>\n"
        f"<style>{css}</style>\n<style>{_PAGE_CSS}</style>\n"
        f"<script>{js}</script>\n"
        "</head>\n<body>\n"
        + "".join(parts)
        + f'\n<div id="cn-wrap"><div id="cn-map"></div>{legend}</div>\n'
        f'<script type="application/json" id="cn-data">{data}</script>\n'
        f"<script>{_INIT_JS}</script>\n"
        "</body>\n</html>\n"
    )


def _as_network(G: Any, kw: dict[str, Any]) -> Any:
    if isinstance(G, nx.Graph):
        return network_map(G, **kw)
    if hasattr(G, "nodes") and hasattr(G, "edges") and hasattr(G, "options"):
        if kw:
            msg = f"options {sorted(kw)} apply to graphs; this is already a map."
            raise TypeError(msg)
        return G
    msg = f"`G` must be a networkx graph or a map from network_map, not {type(G).__name__}."
    raise TypeError(msg)


def write_map(G: Any, path: str | Path, **kw: Any) -> Path:
    """Write an interactive map as one self-contained, offline HTML file.

    Parameters
    ----------
    G
        A networkx graph (passed to :func:`network_map` with `kw`) or a pyvis
        ``Network`` made by :func:`network_map`.
    path
        File to write (UTF-8); its folder must exist. Nothing else is written.
    **kw
        Keyword options of :func:`network_map`.

    Returns
    -------
    pathlib.Path
        The path written.

    Raises
    ------
    TypeError
        If `G` is neither a graph nor a map, or options are given with a map.
    ValueError
        As :func:`network_map`.

    Examples
    --------
    >>> import networkx as nx, tempfile, pathlib
    >>> out = pathlib.Path(tempfile.mkdtemp()) / "map.html"
    >>> write_map(nx.path_graph(3), out, seed=1).name
    'map.html'
    >>> text = out.read_text(encoding="utf-8")
    >>> "vis.Network" in text, "https://" in text.split("<body>")[1]
    (True, False)

    Notes
    -----
    The page embeds vis-network (about 0.7 MB) from the pyvis package, a
    Content-Security-Policy that forbids any network request and any script other than
    the two in the page, and the data as escaped JSON. It opens from a file, an e-mail
    attachment or a shared drive with no internet access.
    """
    net = _as_network(G, kw)
    out = Path(path)
    out.write_text(_render_html(net), encoding="utf-8")
    return out


@dataclass(frozen=True, eq=False)
class MapView:
    """An inline map for Jupyter / VS Code: an ``<iframe srcdoc=...>``, no files written.

    Attributes
    ----------
    html
        The full offline page.
    network
        The pyvis ``Network`` it was made from.
    height
        Height of the frame (CSS length).
    """

    html: str
    network: Any
    height: str = "750px"

    def _repr_html_(self) -> str:
        doc = html.escape(self.html, quote=True)
        height = html.escape(self.height, quote=True)
        return (
            f'<iframe srcdoc="{doc}" style="width: 100%; height: {height}; border: 0;" '
            'sandbox="allow-scripts" title="connectnet map"></iframe>'
        )

    def __repr__(self) -> str:
        return (
            f"MapView({len(self.network.nodes)} nodes, {len(self.network.edges)} edges; "
            "display it in a notebook, or use write_map to save a file)"
        )

    def save(self, path: str | Path) -> Path:
        """Write the page to `path` (UTF-8) and return the path."""
        out = Path(path)
        out.write_text(self.html, encoding="utf-8")
        return out


def show_map(G: Any, **kw: Any) -> MapView:
    """Show an interactive map inline in Jupyter or VS Code (nothing written to disk).

    Parameters
    ----------
    G
        A networkx graph or a map from :func:`network_map`.
    **kw
        Keyword options of :func:`network_map`.

    Returns
    -------
    MapView
        Renders as a sandboxed ``<iframe srcdoc=...>`` holding the offline page
        (``_repr_html_``); ``.html`` is the page, ``.network`` the pyvis ``Network``.

    Raises
    ------
    TypeError, ValueError
        As :func:`write_map`.

    Examples
    --------
    >>> import networkx as nx
    >>> view = show_map(nx.path_graph(3), seed=1)
    >>> view
    MapView(3 nodes, 2 edges; display it in a notebook, or use write_map to save a file)
    >>> view._repr_html_().startswith("<iframe srcdoc=")
    True

    Notes
    -----
    The frame is sandboxed (scripts allowed, no access to the notebook page), and the
    whole page is attribute-escaped into ``srcdoc``, so it also works where notebooks
    are viewed offline.
    """
    net = _as_network(G, kw)
    return MapView(_render_html(net), net, str(getattr(net, "height", "750px")))
