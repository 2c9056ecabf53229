"""The explorer: offline, searchable network maps for one network or several waves.

:func:`network_map` turns a graph, or a mapping/sequence of graphs (waves), into a
:class:`NetworkMap` on one seeded layout; :func:`write_map` writes it as one
self-contained HTML file (its drawing code ``explorer.js`` and style ``explorer.css``
ship in this package and are inlined; no CDN, no external URL, strict CSP) and
:func:`show_map` shows it inline in a notebook as a sandboxed ``srcdoc`` iframe.
:func:`map_layout` gives the seeded positions on their own.
"""

from __future__ import annotations

from connectnet.maps._build import NetworkMap, network_map
from connectnet.maps._layout import map_layout
from connectnet.maps._page import MapView, show_map, write_map

__all__ = ["MapView", "NetworkMap", "map_layout", "network_map", "show_map", "write_map"]
