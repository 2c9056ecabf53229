"""Static plots with matplotlib: network pictures, mixing heatmaps, E-I bars, change, attendance.

Every function takes ``ax=None`` (draw into a new figure when not given) and returns the
:class:`matplotlib.axes.Axes` it drew on. Nothing is shown or saved: call
``ax.figure.savefig(...)`` or let Jupyter display the figure. Sector colours come from the
one palette shared with the interactive maps, so a sector has the same colour everywhere.
matplotlib is imported inside the functions, which keeps ``import connectnet`` light.
"""

from __future__ import annotations

import math
import secrets
from collections.abc import Callable, Hashable, Mapping, Sequence
from typing import TYPE_CHECKING, Any, Literal

import networkx as nx
import numpy as np
import pandas as pd

from connectnet._arrays import check_graph
from connectnet._palette import PALETTE, UNKNOWN_COLOUR, group_colours, is_unknown

if TYPE_CHECKING:  # pragma: no cover
    from matplotlib.axes import Axes

__all__ = [
    "plot_attendance",
    "plot_change",
    "plot_ei",
    "plot_mixing",
    "plot_network",
    "plot_saom_gof",
]

#: Legends sit outside the axes, framed, so they never hide bars or nodes.
_LEGEND: dict[str, Any] = {
    "loc": "upper left",
    "bbox_to_anchor": (1.01, 1.0),
    "frameon": True,
    "fontsize": "small",
}

_EDGE_COLOUR = "#9A9A9A"
_UNKNOWN = "unknown"
_LAYOUTS = ("spring", "kamada_kawai", "circular", "spectral")


def _new_axes(ax: Axes | None) -> Axes:
    if ax is not None:
        return ax
    import matplotlib.pyplot as plt

    _, ax = plt.subplots()
    return ax


def _is_missing(value: Any) -> bool:
    if value is None or value is pd.NA or value is pd.NaT:
        return True
    return isinstance(value, float | np.floating) and math.isnan(value)


def _plain(value: Any) -> str:
    """Text from the data as matplotlib should show it: ``$`` escaped, so ``£5$ fund`` or
    ``$ cost`` is drawn as written instead of being read as mathtext (which can fail)."""
    return str(value).replace("$", r"\$")


def _group_label(value: Any) -> Hashable:
    if isinstance(value, np.generic):
        value = value.item()
    if not isinstance(value, Hashable):
        return str(value)
    if is_unknown(value):  # None, NaN, blank text: the maps' rule too
        return _UNKNOWN
    return value


def _ordered_colours(labels: Sequence[Hashable]) -> dict[Hashable, str]:
    """Palette colours for ``labels`` in legend order (sorted, ``unknown`` last)."""
    colours = group_colours(labels)
    known = [label for label in colours if not is_unknown(label)]
    out = {label: colours[label] for label in known}
    if any(is_unknown(label) for label in colours):
        out[_UNKNOWN] = UNKNOWN_COLOUR
    return out


def _lookup(values: Mapping | pd.Series, node: Hashable) -> Any:
    try:
        return values[node]
    except (KeyError, IndexError, TypeError):
        return None


# ---------------------------------------------------------------------------------------
# plot_network
# ---------------------------------------------------------------------------------------


def _int_seed(seed: int | np.random.Generator | None) -> int | None:
    """networkx layouts take an int seed (a numpy Generator fails inside spring_layout)."""
    if isinstance(seed, np.random.Generator):
        return int(seed.integers(2**32))
    return seed


def _layout(
    G: nx.Graph,
    layout: Mapping[Hashable, Sequence[float]] | Callable | str | None,
    seed: int | np.random.Generator | None,
) -> dict[Hashable, np.ndarray]:
    if len(G) == 0:
        return {}
    seed = _int_seed(seed)
    given: dict[Hashable, Any]
    if layout is None:  # the maps' layout (y flipped: screens count down), so both agree
        from connectnet.maps import map_layout

        return {n: np.array([x, -y]) for n, (x, y) in map_layout(G, seed=seed).items()}
    if layout == "spring":
        return nx.spring_layout(G, seed=seed)
    if isinstance(layout, str):
        if layout not in _LAYOUTS:
            msg = f"`layout` must be one of {_LAYOUTS}, positions or a function; got {layout!r}."
            raise ValueError(msg)
        if layout == "circular":
            return nx.circular_layout(G)
        if layout == "spectral":
            return nx.spectral_layout(G) if len(G) > 2 else nx.circular_layout(G)
        return nx.kamada_kawai_layout(G)
    if callable(layout):
        given = dict(layout(G))
    elif isinstance(layout, Mapping):
        given = dict(layout)
    else:
        msg = (
            "`layout` must be None, a layout name, a dict node → (x, y) or a function "
            f"G → dict; got {type(layout).__name__}."
        )
        raise TypeError(msg)
    known = [n for n in G if n in given]
    pos = {n: np.asarray(given[n], dtype=float).reshape(-1)[:2] for n in known}
    if any(p.size != 2 or not np.isfinite(p).all() for p in pos.values()):
        msg = "`layout` positions must be pairs of finite numbers (x, y)."
        raise ValueError(msg)
    if len(known) < len(G):
        if known:  # place the others around the fixed ones (e.g. people new in this wave)
            return nx.spring_layout(G, pos=pos, fixed=known, seed=seed)
        return nx.spring_layout(G, seed=seed)
    return pos


_METRICS = ("degree", "strength", "betweenness", "closeness", "pagerank")


def _metric(G: nx.Graph, nodes: list[Hashable], name: str, seed: Any) -> list[Any]:
    """A built-in node metric by name, computed exactly as the maps compute it."""
    from connectnet._arrays import graph_arrays
    from connectnet.maps._build import _metric_values

    return _metric_values(G, graph_arrays(G, weight="weight", nodes=nodes), name, seed).tolist()


def _node_sizes(
    G: nx.Graph,
    nodes: list[Hashable],
    size_by: str | Mapping | pd.Series | None,
    node_size: tuple[float, float],
    seed: Any = None,
) -> np.ndarray:
    smin, smax = (float(s) for s in node_size)
    if size_by is None:
        return np.full(len(nodes), (smin + smax) / 4 if smax > smin else smin)
    if isinstance(size_by, str) and size_by in _METRICS:
        raw = _metric(G, nodes, size_by, seed)
    elif isinstance(size_by, str):
        raw = [G.nodes[n].get(size_by) for n in nodes]
        if nodes and all(_is_missing(v) for v in raw):
            msg = (
                f"`size_by` {size_by!r} is neither a built-in metric ({', '.join(_METRICS)}) "
                "nor a node attribute of this graph; pass one of those, or a Series of "
                "values indexed by node."
            )
            raise ValueError(msg)
    elif isinstance(size_by, Mapping | pd.Series):
        raw = [_lookup(size_by, n) for n in nodes]
    else:
        msg = (
            f"`size_by` must be None, an attribute name or a Series, not {type(size_by).__name__}."
        )
        raise TypeError(msg)
    values = pd.to_numeric(pd.Series(raw, dtype=object), errors="coerce").to_numpy(float)
    bad = [v for v, x in zip(raw, values, strict=True) if np.isnan(x) and not _is_missing(v)]
    if bad:
        msg = f"`size_by` values must be numbers; found {bad[:3]!r}."
        raise ValueError(msg)
    sizes = np.full(len(nodes), smin)
    finite = np.isfinite(values)
    if finite.any():
        lo, hi = values[finite].min(), values[finite].max()
        if hi > lo:
            sizes[finite] = smin + (values[finite] - lo) / (hi - lo) * (smax - smin)
        else:
            sizes[finite] = (smin + smax) / 2
    return sizes


def _node_labels(
    G: nx.Graph, nodes: list[Hashable], hide_names: bool, salt: str | bytes | None
) -> list[str]:
    def shown(n: Hashable) -> str:
        name = G.nodes[n].get("name")
        blank = isinstance(name, str) and not name.strip()
        return str(n if blank or _is_missing(name) else name)

    if hide_names:  # the maps' codes: a ("person", id) node is labelled by the bare code
        from connectnet.privacy import _node_codes

        codes = _node_codes(G, secrets.token_hex(16) if salt is None else salt)
        return [codes[n] if n in codes else shown(n) for n in nodes]
    return [shown(n) for n in nodes]


def plot_network(
    G: nx.Graph,
    *,
    color_by: str | Mapping | pd.Series | None = "sector",
    size_by: str | Mapping | pd.Series | None = None,
    layout: Mapping[Hashable, Sequence[float]] | Callable | str | None = None,
    seed: int | np.random.Generator | None = None,
    ax: Axes | None = None,
    hide_names: bool = False,
    labels: bool = False,
    salt: str | bytes | None = None,
    node_size: tuple[float, float] = (20.0, 300.0),
) -> Axes:
    """Draw a network with nodes coloured by sector (the maps' palette) and a legend.

    Parameters
    ----------
    G
        Any networkx graph. Never modified.
    color_by
        Node attribute to colour by (default ``"sector"``), or a Series/dict node → group
        (e.g. communities). Nodes without a value (missing, NaN, blank text) are grey and
        listed as ``unknown``, as in the maps. ``None``: one colour, no legend.
    size_by
        A built-in metric (``"degree"``, ``"strength"`` = weighted degree,
        ``"betweenness"``, ``"closeness"``, ``"pagerank"``; the names the maps accept), a
        node attribute, or a Series/dict node → number (e.g. a centrality). Values are scaled
        linearly so the smallest gets ``node_size[0]`` and the largest ``node_size[1]``
        (marker area, points²); nodes without a value get the smallest size.
    layout
        ``None`` (default): the seeded force-directed layout of the interactive maps
        (:func:`~connectnet.map_layout` with the same `seed`, y negated because maps count
        y downwards), so the plot matches the map of the same graph and isolates stay
        close; ``"spring"``
        (networkx's spring layout), ``"kamada_kawai"``, ``"circular"``, ``"spectral"``; a
        dict node → (x, y), y upwards (e.g. from a previous wave, so two pictures put
        everyone in the same place; for positions from ``map_layout`` pass
        ``{v: (x, -y) ...}`` to keep the map's orientation); or a function ``G → dict``.
        Nodes missing from a dict are placed by a seeded spring layout around the fixed
        ones.
    seed
        Seed (int or numpy Generator) for the layout; the same seed gives the same
        picture. ``None`` gives a different layout each time.
    ax
        Axes to draw on; a new figure when ``None``.
    hide_names
        Label people with pseudonymous codes (:func:`connectnet.pseudonymise`) instead
        of names. Only matters with ``labels=True``.
    labels
        Write each node's ``name`` (else its id) next to it.
    salt
        Secret for the codes when `hide_names` is true; ``None`` uses a fresh random salt.
    node_size
        Smallest and largest marker area in points².

    Returns
    -------
    matplotlib.axes.Axes
        The axes drawn on: one scatter collection per group (legend order), the edges as
        one line collection, the legend titled `color_by`.

    Raises
    ------
    TypeError
        If `G` is not a graph, or `layout`/`size_by` has the wrong type.
    ValueError
        If `size_by` is neither a metric nor an attribute of any node, or holds
        non-numbers, or `layout`
        is an unknown name or holds invalid positions.

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> import networkx as nx
    >>> G = nx.Graph([("a", "b"), ("b", "c")])
    >>> nx.set_node_attributes(G, {"a": "nhs", "b": "nhs", "c": "prison"}, "sector")
    >>> ax = plot_network(G, seed=1)
    >>> [t.get_text() for t in ax.get_legend().get_texts()]
    ['nhs', 'prison']
    >>> len(ax.collections)  # edges + one scatter per sector
    3

    Notes
    -----
    Edge width grows with the ``weight`` attribute (0.5 to 3 points); directed graphs are
    drawn without arrows. An empty graph gives empty axes without a legend. For the same
    set of sector labels the colours equal those of :func:`connectnet.network_map`.
    """
    check_graph(G)
    ax = _new_axes(ax)
    nodes = list(G)
    pos = _layout(G, layout, seed)
    xy = np.array([pos[n] for n in nodes], dtype=float).reshape(-1, 2)
    sizes = _node_sizes(G, nodes, size_by, node_size, seed)
    _draw_edges(G, nodes, xy, ax)
    if color_by is None:
        groups: list[Hashable] = [None] * len(nodes)
        colours: dict[Hashable, str] = {None: PALETTE[0]}
    else:
        if isinstance(color_by, str):
            groups = [_group_label(G.nodes[n].get(color_by)) for n in nodes]
        elif isinstance(color_by, Mapping | pd.Series):
            groups = [_group_label(_lookup(color_by, n)) for n in nodes]
        else:
            msg = (
                "`color_by` must be None, an attribute name or a Series, not "
                f"{type(color_by).__name__}."
            )
            raise TypeError(msg)
        colours = _ordered_colours(groups)
    position = {label: i for i, label in enumerate(colours)}
    codes = np.fromiter((position[g] for g in groups), dtype=np.int64, count=len(groups))
    for i, (label, colour) in enumerate(colours.items()):
        mask = codes == i
        if not mask.any():
            continue
        ax.scatter(
            xy[mask, 0],
            xy[mask, 1],
            s=sizes[mask],
            color=colour,
            edgecolors="white",
            linewidths=0.5,
            zorder=2,
            label=_plain(label),
        )
    if color_by is not None and nodes:
        from matplotlib.lines import Line2D

        handles = [
            Line2D(
                [],
                [],
                marker="o",
                linestyle="",
                markerfacecolor=colour,
                markeredgecolor=colour,
                markersize=8,
                label=_plain(label),
            )
            for label, colour in colours.items()
        ]
        title = color_by if isinstance(color_by, str) else getattr(color_by, "name", None)
        ax.legend(handles=handles, title=None if title is None else _plain(title), **_LEGEND)
    if labels and nodes:
        for text, (x, y) in zip(_node_labels(G, nodes, hide_names, salt), xy, strict=True):
            ax.annotate(
                _plain(text),
                (x, y),
                xytext=(4, 4),
                textcoords="offset points",
                fontsize=7,
                zorder=3,
            )
    ax.set_aspect("equal", adjustable="datalim")
    ax.set_axis_off()
    ax.autoscale_view()
    return ax


def _draw_edges(G: nx.Graph, nodes: list[Hashable], xy: np.ndarray, ax: Axes) -> None:
    if G.number_of_edges() == 0:
        return
    from matplotlib.collections import LineCollection

    from connectnet._arrays import graph_arrays

    arrays = graph_arrays(G, weight="weight", nodes=nodes)
    keep = ~arrays.loops
    src, dst, weight = arrays.src[keep], arrays.dst[keep], arrays.weight[keep]
    if src.size == 0:
        return
    segments = np.stack([xy[src], xy[dst]], axis=1)
    lo, hi = weight.min(), weight.max()
    widths = 0.5 + 2.5 * (weight - lo) / (hi - lo) if hi > lo else np.full(weight.size, 1.0)
    ax.add_collection(
        LineCollection(list(segments), colors=_EDGE_COLOUR, linewidths=widths, alpha=0.6, zorder=1)
    )


# ---------------------------------------------------------------------------------------
# plot_mixing
# ---------------------------------------------------------------------------------------


def _format_value(value: float, fmt: str | None, integral: bool) -> str:
    if not np.isfinite(value):
        return "–"
    if fmt is not None:
        return format(value, fmt)
    return f"{value:.0f}" if integral else f"{value:.2f}"


def plot_mixing(
    matrix_or_graph: pd.DataFrame | nx.Graph,
    attr: str = "sector",
    *,
    weight: str | None = None,
    normalise: bool = False,
    ax: Axes | None = None,
    fmt: str | None = None,
    cmap: str = "Blues",
) -> Axes:
    """Annotated heatmap of a mixing matrix or block densities between groups.

    Parameters
    ----------
    matrix_or_graph
        A group × group DataFrame (e.g. from :func:`connectnet.mixing_matrix` or
        :func:`connectnet.block_density`), or a graph whose mixing matrix is computed
        with :func:`connectnet.mixing_matrix`.
    attr
        Group attribute, used when a graph is given.
    weight, normalise
        Passed to :func:`connectnet.mixing_matrix` when a graph is given.
    ax
        Axes to draw on; a new figure when ``None``.
    fmt
        Format spec for the cell text (e.g. ``".1%"``); by default whole numbers when
        every value is whole, else two decimals.
    cmap
        matplotlib colour map name.

    Returns
    -------
    matplotlib.axes.Axes
        One image (``ax.images[0]``) with a colour bar, one text per cell, tick labels
        from the table's rows and columns, axis labels from their names (rows: "from"
        for a directed graph's matrix).

    Raises
    ------
    TypeError
        If the input is neither a DataFrame nor a graph.
    ValueError
        If the table is empty or holds non-numbers.

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> table = pd.DataFrame([[2, 1], [1, 4]], index=["nhs", "prison"],
    ...                      columns=["nhs", "prison"])
    >>> ax = plot_mixing(table)
    >>> [t.get_text() for t in ax.texts]
    ['2', '1', '1', '4']

    Notes
    -----
    Missing values (e.g. the within-group density of a one-person group) are left blank
    and marked "–". Text is white on dark cells and black on light ones.
    """
    ax = _new_axes(ax)
    if isinstance(matrix_or_graph, nx.Graph):
        from connectnet.bridging import mixing_matrix

        table = mixing_matrix(matrix_or_graph, attr, weight=weight, normalise=normalise)
        row_name = table.index.name or attr
        col_name = table.columns.name or attr
        if matrix_or_graph.is_directed():
            row_name, col_name = f"{row_name} (from)", f"{col_name} (to)"
    elif isinstance(matrix_or_graph, pd.DataFrame):
        table = matrix_or_graph
        row_name, col_name = table.index.name, table.columns.name
    else:
        msg = (
            "`matrix_or_graph` must be a DataFrame (group × group) or a networkx graph, "
            f"not {type(matrix_or_graph).__name__}."
        )
        raise TypeError(msg)
    if table.size == 0:
        msg = "the mixing table is empty: there are no groups to draw."
        raise ValueError(msg)
    try:
        values = table.to_numpy(dtype=float, na_value=np.nan)
    except (TypeError, ValueError) as exc:
        msg = "the mixing table must hold numbers only."
        raise ValueError(msg) from exc
    finite = np.isfinite(values)
    masked = np.ma.masked_invalid(values)
    image = ax.imshow(masked, cmap=cmap, aspect="auto")
    ax.figure.colorbar(image, ax=ax)
    integral = bool(np.all(np.mod(values[finite], 1) == 0)) if finite.any() else True
    lo = np.nanmin(values) if finite.any() else 0.0
    hi = np.nanmax(values) if finite.any() else 0.0
    for i in range(values.shape[0]):
        for j in range(values.shape[1]):
            value = values[i, j]
            dark = np.isfinite(value) and hi > lo and (value - lo) / (hi - lo) > 0.6
            ax.text(
                j,
                i,
                _format_value(value, fmt, integral),
                ha="center",
                va="center",
                color="white" if dark else "black",
                fontsize=9,
            )
    ax.set_xticks(
        range(values.shape[1]),
        [_plain(c) for c in table.columns],
        rotation=30,
        ha="right",
        rotation_mode="anchor",
    )
    ax.set_yticks(range(values.shape[0]), [_plain(r) for r in table.index])
    if row_name:
        ax.set_ylabel(_plain(row_name))
    if col_name:
        ax.set_xlabel(_plain(col_name))
    return ax


# ---------------------------------------------------------------------------------------
# plot_ei
# ---------------------------------------------------------------------------------------


def plot_ei(
    group_ei: pd.Series,
    *,
    expected: float | pd.Series | Mapping | None = None,
    ax: Axes | None = None,
) -> Axes:
    """Bar chart of each group's E-I index, with the value expected by chance.

    Parameters
    ----------
    group_ei
        E-I index per group, e.g. from :func:`connectnet.group_ei_index`.
    expected
        Value expected under random mixing: one number for all groups (a dashed line,
        e.g. ``connectnet.ei_test(G).expected``) or a Series per group (a short dashed
        line over each bar).
    ax
        Axes to draw on; a new figure when ``None``.

    Returns
    -------
    matplotlib.axes.Axes
        One bar per group coloured with the sector palette, labelled with its value; the
        y axis runs from −1 (all ties inside the group) to +1 (all ties outside).

    Raises
    ------
    TypeError
        If `group_ei` is not a Series.
    ValueError
        If a value lies outside [−1, 1].

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> ei = pd.Series({"nhs": -0.5, "prison": 0.25}, name="group_ei_index")
    >>> ax = plot_ei(ei, expected=0.1)
    >>> [float(p.get_height()) for p in ax.patches]
    [-0.5, 0.25]

    Notes
    -----
    A group with no ties has E-I NaN: its bar is left out but its label stays on the
    axis. E-I = (external − internal) / (external + internal) (Krackhardt and Stern 1988).

    References
    ----------
    Krackhardt, D. and Stern, R. N. (1988). Informal networks and organizational crises:
    an experimental simulation. *Social Psychology Quarterly* 51(2), 123-140.
    """
    if not isinstance(group_ei, pd.Series):
        msg = f"`group_ei` must be a pandas Series (group → E-I), not {type(group_ei).__name__}."
        raise TypeError(msg)
    values = pd.to_numeric(group_ei, errors="coerce").to_numpy(dtype=float)
    if np.any(np.abs(values[np.isfinite(values)]) > 1 + 1e-9):
        msg = "`group_ei` values must lie between -1 and 1 (E-I index)."
        raise ValueError(msg)
    ax = _new_axes(ax)
    labels = [_group_label(g) for g in group_ei.index]
    colours = group_colours(labels)
    x = np.arange(len(values))
    heights = np.where(np.isfinite(values), values, 0.0)
    bars = ax.bar(x, heights, color=[colours[g] for g in labels], width=0.7, zorder=2)
    for bar, value in zip(bars, values, strict=True):
        if not np.isfinite(value):
            bar.set_visible(False)
    ax.bar_label(
        bars, labels=[f"{v:.2f}" if np.isfinite(v) else "" for v in values], padding=2, fontsize=8
    )
    ax.axhline(0.0, color="black", linewidth=0.8, zorder=1)
    if expected is not None:
        if isinstance(expected, Mapping | pd.Series):
            exp = pd.Series(expected, dtype=float).reindex(group_ei.index).to_numpy(float)
            ax.hlines(
                exp,
                x - 0.4,
                x + 0.4,
                colors="black",
                linestyles="dashed",
                zorder=3,
                label="expected by chance",
            )
        else:
            ax.axhline(
                float(expected),
                color="black",
                linestyle="--",
                zorder=3,
                label="expected by chance",
            )
        ax.legend(**_LEGEND)
    ax.set_xticks(x, [_plain(g) for g in group_ei.index])
    ax.set_ylim(-1.1, 1.1)
    ax.set_ylabel("E-I index")
    ax.set_xlabel(_plain(group_ei.index.name) if group_ei.index.name else "group")
    return ax


# ---------------------------------------------------------------------------------------
# plot_change
# ---------------------------------------------------------------------------------------


def _is_change_column(column: Hashable) -> bool:
    text = str(column)
    return text.startswith(("change ", "relative change "))


def plot_change(
    table: pd.DataFrame,
    *,
    metrics: Sequence[Hashable] | None = None,
    waves: Sequence[Hashable] | None = None,
    ax: Axes | None = None,
) -> Axes:
    """Line chart of network metrics across waves (one line per metric).

    Parameters
    ----------
    table
        Rows = metrics, columns = waves: the output of :func:`connectnet.compare` (its
        ``change ...`` and ``relative change ...`` columns are ignored) or any DataFrame
        of metrics × waves.
    metrics
        Rows to draw. By default the metrics whose values all lie between −1 and 1
        (densities, shares, E-I, transitivity, centralization), so they share one scale;
        counts such as people and ties, and the per-pair ``block density A–B`` rows of
        :func:`connectnet.compare` (one per pair of groups), are left out unless named
        here. If no metric qualifies, all are drawn.
    waves
        Columns to use as waves, in order; by default every column except the change
        columns.
    ax
        Axes to draw on; a new figure when ``None``.

    Returns
    -------
    matplotlib.axes.Axes
        One line with markers per metric (legend = metric names), x ticks = wave labels.

    Raises
    ------
    TypeError
        If `table` is not a DataFrame.
    ValueError
        If a named metric or wave is not in the table, or there is nothing to draw.

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> table = pd.DataFrame({"baseline": [140, 0.10, -0.40], "follow-up": [140, 0.15, -0.20]},
    ...                      index=["people", "density", "E-I index"])
    >>> ax = plot_change(table)
    >>> [t.get_text() for t in ax.get_legend().get_texts()]
    ['density', 'E-I index']

    Notes
    -----
    Missing values break the line at that wave.
    """
    if not isinstance(table, pd.DataFrame):
        msg = f"`table` must be a DataFrame (metrics × waves), not {type(table).__name__}."
        raise TypeError(msg)
    # without its attrs (e.g. the people lists of compare()), which pandas would otherwise
    # deep-copy at every step below; the data are not copied
    table = pd.DataFrame(table, copy=False)
    if waves is None:
        wave_cols = [c for c in table.columns if not _is_change_column(c)]
    else:
        wave_cols = list(waves)
        missing = [w for w in wave_cols if w not in table.columns]
        if missing:
            msg = f"`waves` {missing!r} are not columns of `table` ({list(table.columns)!r})."
            raise ValueError(msg)
    values = table[wave_cols].apply(pd.to_numeric, errors="coerce").astype(float)
    if metrics is None:
        within = values.abs().le(1 + 1e-12) | values.isna()
        chosen = [
            m
            for m in values.index
            if within.loc[m].all()
            and values.loc[m].notna().any()
            and not str(m).startswith("block density ")
        ]
        if not chosen:
            chosen = [m for m in values.index if values.loc[m].notna().any()]
    else:
        chosen = list(metrics)
        missing = [m for m in chosen if m not in values.index]
        if missing:
            msg = f"`metrics` {missing!r} are not rows of `table`; rows are {list(table.index)!r}."
            raise ValueError(msg)
    if not chosen or not wave_cols:
        msg = "`table` has no metric values to draw (no numeric rows or no wave columns)."
        raise ValueError(msg)
    ax = _new_axes(ax)
    x = np.arange(len(wave_cols))
    for i, metric in enumerate(chosen):
        ax.plot(
            x,
            values.loc[metric].to_numpy(),
            marker="o",
            color=PALETTE[i % len(PALETTE)],
            label=_plain(metric),
        )
    ax.set_xticks(x, [_plain(w) for w in wave_cols])
    ax.set_xlabel("wave")
    ax.set_ylabel("value")
    ax.legend(**_LEGEND)
    ax.grid(axis="y", alpha=0.3)
    return ax


# ---------------------------------------------------------------------------------------
# plot_attendance
# ---------------------------------------------------------------------------------------


def _attendance_events(data: Any) -> tuple[pd.DataFrame, list[Hashable] | None]:
    """The per-event summary table and (for a Dataset) every sector label in the data."""
    from connectnet.data import Dataset

    if isinstance(data, Dataset):
        from connectnet.build import attendance_summary

        sectors = list(pd.unique(data.people["sector"].astype(object)))
        events = attendance_summary(data).events
        if "title" in data.events.columns and "title" not in events.columns:
            events = events.assign(title=data.events["title"].reindex(events.index))
        return events, sectors
    events = getattr(data, "events", None)
    if isinstance(events, pd.DataFrame) and not isinstance(data, pd.DataFrame):
        return events, None
    if isinstance(data, pd.DataFrame):
        return data, None
    msg = (
        "`summary_events` must be a Dataset, an AttendanceSummary or its per-event "
        f"DataFrame, not {type(data).__name__}."
    )
    raise TypeError(msg)


_MAX_BARS = 30  # more events than this are summed per month


def _event_name(event: Hashable, row: pd.Series) -> str:
    """Tick label of an event: its title and date when known, else its id."""
    title = row.get("title")
    name = str(title) if isinstance(title, str) and title.strip() else str(event)
    if len(name) > 26:
        name = name[:25].rstrip() + "…"
    date = row.get("date")
    return f"{name}, {date:%d %b %Y}" if isinstance(date, pd.Timestamp) else name


def _per_month(events: pd.DataFrame) -> pd.DataFrame | None:
    """Counts summed per calendar month (index: "Mar 2023 (4 events)"), or None without
    dates."""
    if "date" not in events.columns:
        return None
    dates = pd.to_datetime(events["date"], errors="coerce")
    if dates.isna().all():
        return None
    counts = events.select_dtypes("number").drop(columns=["retention"], errors="ignore")
    month = dates.dt.to_period("M")
    summed = counts.groupby(month).sum()
    n = month.value_counts().reindex(summed.index)
    summed.index = [f"{m:%b %Y} ({k} events)" for m, k in zip(summed.index, n, strict=True)]
    summed.index.name = "month"
    return summed


#: plot_attendance draws a bar per event up to this many events; above, a bar per run of
#: consecutive events (their mean), so that many events cost no more to draw.
_MAX_BAR_EVENTS = 200
#: Labelled bars on the x axis when bars stand for runs of events.
_MAX_TICKS = 20


def plot_attendance(
    summary_events: Any,
    *,
    by: Literal["sector", "first_time"] = "sector",
    ax: Axes | None = None,
) -> Axes:
    r"""Stacked bars of attendees per event, by sector or first-timers vs returners.

    Parameters
    ----------
    summary_events
        A :class:`connectnet.Dataset`, the result of :func:`connectnet.attendance_summary`,
        or its ``events`` table (one row per event, in order; ``sector_<label>`` count
        columns, ``first_timers``, ``returners``).
    by
        ``"sector"``: one bar segment per sector (palette colours), with a black line
        marking how many attendees were first-timers. ``"first_time"``: two segments,
        first-timers and returners (people who came to an earlier event).
    ax
        Axes to draw on; a new figure when ``None``.

    Returns
    -------
    matplotlib.axes.Axes
        One bar container per segment (``ax.containers``) in legend order, y = attendees;
        x ticks = each event's title and date (its id when the table has neither), or,
        with more than 30 dated events, one bar per month ("Mar 2023 (4 events)"). Above
        200 bars without dates each bar stands for a run of
        :math:`k = \lceil \text{events} / 200 \rceil` consecutive events and shows their
        mean attendees per event (the axis labels say so), and 20 bars are labelled with
        their first event, so the cost of drawing does not grow with the number of events.

    Raises
    ------
    TypeError
        If `summary_events` has the wrong type.
    ValueError
        If `by` is unknown or the needed columns are missing.

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> events = pd.DataFrame({"first_timers": [3, 1], "returners": [0, 2],
    ...                        "sector_nhs": [2, 2], "sector_prison": [1, 1]},
    ...                       index=pd.Index(["e1", "e2"], name="event_id"))
    >>> ax = plot_attendance(events)
    >>> [t.get_text() for t in ax.get_legend().get_texts()]
    ['nhs', 'prison', 'first-timers']
    >>> ax = plot_attendance(events, by="first_time")
    >>> [[float(p.get_height()) for p in c] for c in ax.containers]
    [[3.0, 1.0], [0.0, 2.0]]

    Notes
    -----
    Events are drawn in the order of the table (date order for
    :func:`connectnet.attendance_summary`); titles come from a ``title`` column (a Dataset's
    events table). For a Dataset the colours are taken over every
    sector in ``data.people``, matching maps of graphs built from the same data.
    """
    if by not in ("sector", "first_time"):
        msg = f"`by` must be 'sector' or 'first_time', got {by!r}."
        raise ValueError(msg)
    events, all_sectors = _attendance_events(summary_events)
    axis_label = str(events.index.name) if events.index.name else "event"
    names: list[str] | None = None  # tick labels, from the events when None
    monthly = _per_month(events) if len(events) > _MAX_BARS else None
    if monthly is not None:
        events, names, axis_label = monthly, list(monthly.index), "month"
    if by == "sector":
        columns = [c for c in events.columns if str(c).startswith("sector_")]
        if not columns:
            msg = (
                "no `sector_<label>` count columns to stack; pass a Dataset or the output "
                "of connectnet.attendance_summary."
            )
            raise ValueError(msg)
        labels = [_group_label(str(c)[len("sector_") :]) for c in columns]
        colours = group_colours([_group_label(s) for s in all_sectors] if all_sectors else labels)
        order = sorted(
            range(len(columns)),
            key=lambda i: (is_unknown(labels[i]), str(labels[i])),
        )
        segments = [
            (_plain(labels[i]), events[columns[i]], colours.get(labels[i], UNKNOWN_COLOUR))
            for i in order
        ]
    else:
        missing = [c for c in ("first_timers", "returners") if c not in events.columns]
        if missing:
            msg = f"the events table has no {missing} column(s); pass attendance_summary output."
            raise ValueError(msg)
        segments = [
            ("first-timers", events["first_timers"], PALETTE[0]),
            ("returners", events["returners"], PALETTE[1]),
        ]
    ax = _new_axes(ax)
    per_bar = max(1, math.ceil(len(events) / _MAX_BAR_EVENTS))
    bins = np.arange(len(events)) // per_bar
    x = np.arange(int(bins[-1]) + 1 if len(events) else 0)

    def heights(column: pd.Series) -> np.ndarray:
        """Attendees per event, or the mean per event of each run of ``per_bar`` events."""
        values = pd.to_numeric(column, errors="coerce").fillna(0).to_numpy(dtype=float)
        if per_bar == 1:
            return values
        return np.bincount(bins, weights=values) / np.bincount(bins)

    bottom = np.zeros(x.size)
    handles: list[Any] = []
    for label, column, colour in segments:
        h = heights(column)
        handles.append(ax.bar(x, h, bottom=bottom, color=colour, label=label, width=0.8, zorder=2))
        bottom += h
    if by == "sector" and "first_timers" in events.columns:
        (line,) = ax.plot(
            x,
            heights(events["first_timers"]),
            color="black",
            marker="o" if per_bar == 1 else None,
            markersize=3,
            linewidth=1,
            label="first-timers",
            zorder=3,
        )
        handles.append(line)
    bar_names = (
        names[::per_bar]
        if names is not None
        else [_event_name(e, row) for e, row in events.iloc[::per_bar].iterrows()]
    )
    first_of_bar = [_plain(n) for n in bar_names]
    ticks = x if per_bar == 1 else np.unique(np.linspace(0, x.size - 1, _MAX_TICKS).astype(int))
    long = len(ticks) > 6 or max(map(len, first_of_bar), default=0) > 12
    ax.set_xticks(
        ticks,
        [first_of_bar[i] for i in ticks],
        rotation=60 if long else 0,
        ha="right" if long else "center",
    )
    name = _plain(axis_label)
    if per_bar == 1:
        ax.set_xlabel(name)
        ax.set_ylabel("attendees")
    else:
        ax.set_xlabel(f"{name} (each bar: {per_bar} consecutive events, labelled by the first)")
        ax.set_ylabel(f"attendees per event (mean of {per_bar})")
    ax.legend(handles=handles, **_LEGEND)
    ax.grid(axis="y", alpha=0.3)
    return ax


# ---------------------------------------------------------------------------------------
# plot_saom_gof
# ---------------------------------------------------------------------------------------


def plot_saom_gof(gof: Any, *, ax: Axes | None = None) -> Axes:
    """Goodness of fit of a SAOM: the simulated distribution of a statistic against the
    observed values (RSiena's sienaGOF plot).

    Parameters
    ----------
    gof
        A :class:`connectnet.SAOMGOF` from :func:`connectnet.saom_gof`.
    ax
        Axes to draw on; a new figure when ``None``.

    Returns
    -------
    matplotlib.axes.Axes
        One box per level (the simulated values: box = quartiles, whiskers = 5% and 95%),
        the simulated 5%–95% band as a grey line pair, the observed values as a red line
        with markers; the title gives the statistic and the Mahalanobis p-value.

    Raises
    ------
    TypeError
        If `gof` is not a :class:`connectnet.SAOMGOF`.

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> import numpy as np, connectnet as cn
    >>> rng = np.random.default_rng(1)
    >>> w1 = (rng.random((20, 20)) < 0.15).astype(float)
    >>> w2 = np.where(rng.random((20, 20)) < 0.2, 1 - w1, w1)
    >>> np.fill_diagonal(w2, 0)
    >>> res = cn.fit_saom([w1, w2], ["density", "recip"], n_phase3=100, seed=1)
    >>> ax = cn.plot_saom_gof(cn.saom_gof(res, "indegree", n_sim=100, seed=2))
    >>> ax.get_xlabel()
    'indegree at most'
    """
    from connectnet.saom.gof import SAOMGOF

    if not isinstance(gof, SAOMGOF):
        msg = f"`gof` must be a SAOMGOF from `cn.saom_gof`, not {type(gof).__name__}."
        raise TypeError(msg)
    ax = _new_axes(ax)
    frame = gof.to_frame()
    x = np.arange(1, len(frame) + 1)
    ax.boxplot(
        gof.simulated,
        positions=x,
        whis=(5, 95),
        showfliers=False,
        widths=0.6,
        patch_artist=True,
        boxprops={"facecolor": "#E6E6E6", "edgecolor": _EDGE_COLOUR},
        medianprops={"color": _EDGE_COLOUR},
        whiskerprops={"color": _EDGE_COLOUR},
        capprops={"color": _EDGE_COLOUR},
    )
    for column in ("simulated_5%", "simulated_95%"):
        ax.plot(x, frame[column], color="#7A7A7A", linestyle="--", linewidth=0.8)
    ax.plot(x, frame["observed"], color="#D62728", marker="o", label="observed")
    ax.set_xticks(x, list(frame.index))
    labels = {
        "indegree": "indegree at most",
        "outdegree": "outdegree at most",
        "triad_census": "triad type",
        "geodesic": "undirected distance at most",
    }
    ax.set_xlabel(labels[gof.statistic])
    if gof.statistic == "triad_census":
        ax.tick_params(axis="x", labelrotation=90)
    ax.set_ylabel("count (summed over periods)")
    ax.set_title(f"{gof.statistic.replace('_', ' ')}: p = {gof.p_value:.3f}")
    ax.legend(**_LEGEND)
    ax.grid(axis="y", alpha=0.3)
    return ax
