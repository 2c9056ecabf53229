"""The explorer page: compact JSON data + explorer.js/.css inlined, under a strict CSP.

Every data string travels inside an inert ``<script type="application/json">`` block with
``<``, ``>`` and ``&`` escaped and is shown with ``textContent`` or drawn on the canvas,
never parsed as HTML. The page makes no request: the CSP allows only the page's own script
and style (by hash) and ``data:`` images.
"""

from __future__ import annotations

import base64
import functools
import hashlib
import html
import json
import math
import re
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from connectnet.export import neutralise_cell
from connectnet.maps._build import MAX_FILTER_VALUES, NetworkMap, _round4, network_map

__all__ = ["MapView", "show_map", "write_map"]

_SURROGATE = re.compile("[\ud800-\udfff]")


def _esc(value: Any) -> str:
    """HTML-escaped text; lone surrogates (not encodable as UTF-8) become U+FFFD."""
    return html.escape(_SURROGATE.sub("\ufffd", str(value)))


def _clean(text: str) -> str:
    return _SURROGATE.sub("\ufffd", text)


@functools.cache
def _asset(name: str) -> str:
    """explorer.js / explorer.css, shipped next to this module."""
    text = resources.files("connectnet.maps").joinpath(name).read_text(encoding="utf-8")
    if re.search(r"</(script|style)|<!--", text, re.IGNORECASE):  # pragma: no cover
        msg = f"{name} must not contain '</script', '</style' or '<!--'."
        raise RuntimeError(msg)
    return text


def _script_json(obj: Any) -> str:
    """JSON safe inside an HTML <script> element: no '<', '>' or '&' left unescaped."""
    text = json.dumps(obj, ensure_ascii=True, allow_nan=False, separators=(",", ":"))
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def _csp_hash(text: str) -> str:
    digest = hashlib.sha256(text.encode("utf-8")).digest()
    return "'sha256-" + base64.b64encode(digest).decode("ascii") + "'"


# --------------------------------------------------------------------------- data


def _table(values: list[str]) -> dict[str, Any]:
    """Distinct values (sorted, ``unknown`` last) and one code per node."""
    distinct = sorted(set(values), key=lambda v: (v == "unknown", v))
    code = {v: i for i, v in enumerate(distinct)}
    return {"values": [_clean(v) for v in distinct], "codes": [code[v] for v in values]}


def _numbers(values: Any, digits: int | None = None) -> list[float | None]:
    arr = np.asarray(values, dtype=float)
    if digits is None:
        return [_round4(v) for v in arr.tolist()]
    return [round(v, digits) if math.isfinite(v) else None for v in arr.tolist()]


def _title(key: str) -> str:
    return key.replace("_", " ").capitalize()


def _encode(m: NetworkMap, people: NetworkMap | None = None) -> dict[str, Any]:
    """One view of the page: attribute tables and integer-coded ties (no per-node dicts)."""
    nodes = m.nodes
    len(nodes)
    position = {v: i for i, v in enumerate(nodes.index)}
    names = [_clean(s) for s in nodes["name"].tolist()]
    labels = [_clean(s) for s in nodes["label"].tolist()]
    reserved = {"id", "name", "label", "x", "y", "colour", "group"}
    attr_keys = [c for c in nodes.columns if c not in reserved]
    colour_key = m.colour_attr
    if colour_key == "group":
        attr_keys.append("group")
    attrs: list[dict[str, Any]] = []
    for key in attr_keys:
        entry: dict[str, Any] = {
            "name": _clean(key),
            "title": _clean(_title(key)),
            "filter": key in m.filters,
        }
        entry.update(_table(nodes[key].tolist()))
        if key == "group":
            entry["title"] = _clean(m.legend_title or "Group")
            entry["filter"] = 2 <= len(entry["values"]) <= MAX_FILTER_VALUES
        attrs.append(entry)
    colours = dict(m.legend)
    colour = None
    if colour_key is not None:
        (entry,) = (a for a in attrs if a["name"] == _clean(colour_key))
        colour = {
            "attr": entry["name"],
            "title": _clean(m.legend_title or "Group"),
            "colours": [colours.get(v, "#BBBBBB") for v in entry["values"]],
        }
    edges = m.edges
    weights = edges["weight"].to_numpy(dtype=float)
    distinct_w, weight_code = np.unique(weights, return_inverse=True)
    widths = edges["width"].groupby(weight_code).first().reindex(range(len(distinct_w))).to_numpy()
    waves = []
    for label in m.waves:
        rows = (edges["wave"] == label).to_numpy()
        sizes = m.sizes[label].to_numpy(dtype=float)
        present = np.isfinite(sizes)
        finite = sizes[present]
        waves.append(
            {
                "label": _clean(label),
                "nodes": None if present.all() else np.flatnonzero(present).tolist(),
                "src": [position[v] for v in edges["source"][rows]],
                "dst": [position[v] for v in edges["target"][rows]],
                "w": weight_code[rows].tolist() if len(distinct_w) > 1 else None,
                "sizes": (
                    float(finite[0])
                    if finite.size and (finite == finite[0]).all()
                    else _numbers(sizes, 1)
                ),
                "values": None if m.size_by is None else _numbers(m.size_values[label]),
            }
        )
    metrics = []
    if m.metrics is not None:
        for col in m.metrics.columns:
            series = m.metrics[col]
            numeric = pd.to_numeric(series, errors="coerce")
            if (
                series.isna().equals(numeric.isna())
                and not series.map(lambda v: isinstance(v, bool)).any()
            ):
                metrics.append({"name": _clean(str(col)), "values": _numbers(numeric)})
            else:
                text = ["n/a" if pd.isna(v) else str(v) for v in series.tolist()]
                metrics.append({"name": _clean(str(col)), **_table(text)})
    ids = [_clean(i) if isinstance(i, str) else i for i in nodes["id"].tolist()]
    view: dict[str, Any] = {
        "noun": m.noun,
        "ids": ids,
        "names": names,
        "labels": None if labels == names else labels,
        "x": _numbers(nodes["x"], 1),
        "y": _numbers(nodes["y"], 1),
        "attrs": attrs,
        "colour": colour,
        "sizeBy": None if m.size_by is None else _clean(m.size_by),
        "weights": [_round4(w) for w in distinct_w.tolist()],
        "widths": _numbers(widths, 2),
        "waves": waves,
        "metrics": metrics,
        "directed": m.directed,
        "members": None,
    }
    if people is not None and m.members:
        where = {v: i for i, v in enumerate(people.nodes.index)}
        view["members"] = [[where[p] for p in m.members.get(v, [])] for v in nodes.index]
    return view


def _csv_fixes(views: list[dict[str, Any]]) -> list[list[str]]:
    """``[text, neutralised]`` for each page string a spreadsheet could run as a formula,
    so the CSV export uses :func:`connectnet.export.neutralise_cell`'s rule exactly."""
    texts: set[str] = set()
    for v in views:
        texts.update(s for s in v["ids"] if isinstance(s, str))
        texts.update(v["names"])
        for a in v["attrs"]:
            texts.update([a["name"], a["title"], *a["values"]])
        for mt in v["metrics"]:
            texts.add(mt["name"])
            texts.update(mt.get("values", []) if "codes" in mt else [])
        if v["sizeBy"]:
            texts.add(v["sizeBy"])
    return sorted([t, neutralise_cell(t)] for t in texts if neutralise_cell(t) != t)


def _payload(m: NetworkMap) -> dict[str, Any]:
    views = [_encode(m)]
    if m.organisations is not None:
        views.append(_encode(m.organisations, people=m))
    return {
        "title": None if m.title is None else _clean(m.title),
        "hideNames": m.hide_names,
        "views": views,
        "csv": _csv_fixes(views),
    }


# --------------------------------------------------------------------------- page


_BODY = """<header id="cn-bar">
{title}<div class="cn-search" role="search">
<label for="cn-search">Search</label>
<input id="cn-search" type="search" autocomplete="off" spellcheck="false" role="combobox"
 aria-autocomplete="list" aria-expanded="false" aria-controls="cn-suggest"
 placeholder="name, id or organisation">
<ul id="cn-suggest" role="listbox" aria-label="Suggestions" hidden></ul>
</div>
<fieldset id="cn-views" hidden><legend>View</legend></fieldset>
<span class="cn-group" id="cn-wave-group"><label for="cn-wave">Wave</label>
<select id="cn-wave"></select>
<label><input type="checkbox" id="cn-changes"> Changes</label>
<label><input type="checkbox" id="cn-side"> Side by side</label></span>
<span class="cn-group"><button type="button" id="cn-fit">Fit</button>
<button type="button" id="cn-png">Save PNG</button>
<button type="button" id="cn-csv">Save CSV</button></span>
</header>
<main id="cn-main">
<aside id="cn-filters" aria-label="Filters">
<p id="cn-shown" aria-live="polite"></p>
<button type="button" id="cn-clear">Clear filters</button>
<div id="cn-filter-list"></div>
</aside>
<div id="cn-wrap">
<canvas id="cn-canvas" tabindex="0" role="img" aria-label="{label}"></canvas>
<div id="cn-legend"></div>
<div id="cn-key" hidden></div>
<div id="cn-tip" role="tooltip" hidden></div>
</div>
<aside id="cn-panel" aria-label="Selected" aria-live="polite" hidden></aside>
</main>
"""


def render_html(m: NetworkMap) -> str:
    """The whole offline page for a map."""
    js, css = _asset("explorer.js"), _asset("explorer.css")
    data = _script_json(_payload(m))
    csp = (
        "default-src 'none'; "
        f"script-src {_csp_hash(js)}; style-src {_csp_hash(css)}; "
        "img-src data:; connect-src 'none'; form-action 'none'; base-uri 'none'"
    )
    title = f'<h1 id="cn-title">{_esc(m.title)}</h1>\n' if m.title else ""
    label = (
        "Network map. Arrow keys pan, + and - zoom, 0 fits, Escape clears; "
        "search to focus a person."
    )
    return (
        "<!DOCTYPE html>\n"
        '<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        f'<meta http-equiv="Content-Security-Policy" content="{csp}">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        '<meta name="generator" content="connectnet">\n'
        f"<title>{_esc(m.title) if m.title else 'connectnet map'}</title>\n"
        f"<style>{css}</style>\n</head>\n<body>\n"
        + _BODY.format(title=title, label=label)
        + f'<script type="application/json" id="cn-data">{data}</script>\n'
        f"<script>{js}</script>\n</body>\n</html>\n"
    )


def _as_map(G: Any, kw: dict[str, Any]) -> NetworkMap:
    if isinstance(G, NetworkMap):
        if kw:
            msg = f"options {sorted(kw)} apply to graphs; this is already a map."
            raise TypeError(msg)
        return G
    return network_map(G, **kw)


def write_map(G: Any, path: str | Path, **kw: Any) -> Path:
    """Write the explorer as one self-contained, offline HTML file.

    Parameters
    ----------
    G
        A graph, a mapping or sequence of graphs (waves), passed to :func:`network_map`
        with `kw`, or a :class:`NetworkMap`.
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
        If `G` is neither graphs nor a map, or options are given with a map.
    ValueError
        As :func:`network_map`.

    Examples
    --------
    >>> import networkx as nx, tempfile, pathlib
    >>> out = pathlib.Path(tempfile.mkdtemp()) / "map.html"
    >>> write_map(nx.path_graph(3), out, seed=1).name
    'map.html'
    >>> text = out.read_text(encoding="utf-8")
    >>> "window.connectnet" in text, "https://" in text
    (True, False)

    Notes
    -----
    The page holds its own drawing code (under 40 kB), a Content-Security-Policy that
    forbids any network request and any script or style other than the page's own, and
    the data as escaped JSON: positions rounded to 0.1 pixel, attributes as tables of
    distinct values with one code per node, ties as integer node positions. It opens from
    a file, an e-mail attachment or a shared drive with no internet access.
    """
    m = _as_map(G, kw)
    out = Path(path)
    out.write_text(render_html(m), encoding="utf-8")
    return out


def _iframe(page: str, height: str) -> str:
    return (
        f'<iframe srcdoc="{html.escape(page, quote=True)}" '
        f'style="width: 100%; height: {html.escape(height, quote=True)}; border: 0;" '
        'sandbox="allow-scripts allow-downloads" title="connectnet map"></iframe>'
    )


@dataclass(frozen=True, eq=False)
class MapView:
    """An inline map for Jupyter / VS Code / Colab: a sandboxed ``<iframe srcdoc=...>``.

    Attributes
    ----------
    html
        The full offline page (made once).
    map
        The :class:`NetworkMap` it shows.
    """

    html: str
    map: NetworkMap

    def _repr_html_(self) -> str:
        return _iframe(self.html, self.map.height)

    def __repr__(self) -> str:
        return f"MapView of {self.map!r}; display it in a notebook, or use .save(path)"

    def save(self, path: str | Path) -> Path:
        """Write the page to `path` (UTF-8) and return the path."""
        out = Path(path)
        out.write_text(self.html, encoding="utf-8")
        return out


def show_map(G: Any, **kw: Any) -> MapView:
    """Show the explorer inline in Jupyter, VS Code or Colab (nothing written to disk).

    Parameters
    ----------
    G
        As :func:`write_map`.
    **kw
        Keyword options of :func:`network_map`.

    Returns
    -------
    MapView
        Renders as a sandboxed ``<iframe srcdoc=...>`` holding the offline page;
        ``.html`` is the page, ``.map`` the :class:`NetworkMap`.

    Raises
    ------
    TypeError, ValueError
        As :func:`write_map`.

    Examples
    --------
    >>> import networkx as nx
    >>> view = show_map(nx.path_graph(3), seed=1)
    >>> view.map
    NetworkMap(3 nodes; waves 'network' with [2] ties)
    >>> view._repr_html_().startswith("<iframe srcdoc=")
    True

    Notes
    -----
    The frame is sandboxed (scripts and downloads allowed, no access to the notebook page
    or the network) and the whole page is attribute-escaped into ``srcdoc``: it needs
    nothing from outside, so it stays interactive in a notebook opened offline.
    """
    m = _as_map(G, kw)
    return MapView(render_html(m), m)
