"""Shared pieces of :mod:`connectnet.change`: the result base class, argument checks,
p-values, random generators and progress bars."""

from __future__ import annotations

from collections.abc import Hashable, Mapping
from dataclasses import fields
from typing import Any

import networkx as nx
import numpy as np

from connectnet._progress import progress_bar

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


# --------------------------------------------------------------------------------------
# Small shared helpers
# --------------------------------------------------------------------------------------
def _rng(seed: Any) -> np.random.Generator:
    return seed if isinstance(seed, np.random.Generator) else np.random.default_rng(seed)


def _check_alternative(alternative: str) -> str:
    if alternative not in _ALTERNATIVES:
        msg = f"`alternative` must be one of {_ALTERNATIVES}, got {alternative!r}."
        raise ValueError(msg)
    return alternative


def _progress(total: int, progress: bool | None, desc: str) -> Any:
    """A tqdm bar (connectnet._progress), shown only when asked (``progress=True``)."""
    return progress_bar(total=total, desc=desc, enabled=bool(progress), unit="perm")


def _pick(alternative: str, pg: Any, pl: Any, p2: Any) -> Any:
    return {"greater": pg, "less": pl, "two-sided": p2}[alternative]


def _unique_keys(keys: np.ndarray) -> np.ndarray:
    """Sorted distinct values of an integer array, by sorting (numpy 2's default
    hash-based ``np.unique`` is about ten times slower on 10^5 dyad keys)."""
    keys = np.sort(keys)
    if keys.size:
        keys = keys[np.concatenate(([True], keys[1:] != keys[:-1]))]
    return keys


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


def _waves(graphs: Any, minimum: int) -> tuple[list[Hashable], list[nx.Graph]]:
    """Wave labels and graphs from a mapping label → graph or a sequence of graphs
    (labelled ``G.graph["wave"]`` or ``0, 1, ...``), checked: at least ``minimum``
    waves, unique labels, networkx graphs of one directedness."""
    if isinstance(graphs, Mapping):
        labels, glist = list(graphs.keys()), list(graphs.values())
    else:
        glist = list(graphs)
        labels = [
            G.graph.get("wave", i) if isinstance(G, nx.Graph) else i for i, G in enumerate(glist)
        ]
    if len(glist) < minimum:
        msg = f"`graphs` has {len(glist)} wave(s) (is it empty?); give at least {minimum}."
        raise ValueError(msg)
    if len(set(map(str, labels))) != len(labels):
        msg = f"wave labels must be unique, got {labels}; pass a dict label → graph."
        raise ValueError(msg)
    for i, G in enumerate(glist):
        _require_graph(G, f"graphs[{labels[i]!r}]")
    if len({G.is_directed() for G in glist}) > 1:
        msg = "`graphs` mix directed and undirected graphs; build all waves the same way."
        raise TypeError(msg)
    return labels, glist
