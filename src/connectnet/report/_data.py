"""The plain result object of a report: every figure computed once, with its definition.

The compute functions (``_compute.py``) fill a :class:`ReportData`; the renderers
(``_render.py``) only format it. A number shown twice is read twice from here, so the same
label never carries two values.
"""

from __future__ import annotations

import math
from collections.abc import Hashable
from dataclasses import dataclass, field, fields
from typing import Any

import networkx as nx
import numpy as np
import pandas as pd

from connectnet._arrays import ArrayNetwork
from connectnet.data import Dataset
from connectnet.report._html import format_value, number, p_text

#: table columns holding p-values, written as sentences write them ("< 0.001", "0.204")
P_COLUMNS = frozenset({"p", "p_value", "p_adjusted", "p_two_sided"})

__all__: list[str] = []


@dataclass(frozen=True)
class ReportOptions:
    """The options a report was run with (recorded in its provenance)."""

    attr: str = "sector"
    source: Hashable | None = None
    target: Hashable | None = None
    within: str | None = None
    hide_names: bool = False
    seed: int = 0
    n_permutations: int = 1000
    keep_columns: tuple[str, ...] = ()
    suppress_below: int = 5
    max_event_size: int | None = None
    exclude_events: tuple[str, ...] = ()
    progress: bool = False  # progress bars on stderr (inner loops read it too)
    model: bool = True
    model_effects: tuple[str, ...] = ()

    def as_dict(self) -> dict[str, Any]:
        return {f.name: getattr(self, f.name) for f in fields(self)}


@dataclass(frozen=True)
class Figure:
    """One reported number with what it is, whom it covers and what a tie is.

    ``table``, ``row`` and ``column`` say where in ``tables/`` the number can be read;
    ``str(figure)`` is how it is written everywhere in the report: as its table cell shows
    it when it comes from a table (so a sentence and the table never read differently),
    else ``digits`` decimals, or a whole percentage when ``percent``.
    """

    label: str
    value: float | int | None
    population: str
    ties: str = ""
    table: str | None = None
    row: Hashable | None = None
    column: Hashable | None = None
    digits: int = 2
    percent: bool = False

    def __str__(self) -> str:
        defined = self.value is not None and not (
            isinstance(self.value, float | np.floating) and np.isnan(self.value)
        )
        if defined and self.column in P_COLUMNS:
            return p_text(float(self.value)).removeprefix("p = ").removeprefix("p ")  # type: ignore[arg-type]
        if self.table is not None and not self.percent and defined:
            return number(float(self.value))  # type: ignore[arg-type]
        return format_value(self.value, digits=self.digits, percent=self.percent)

    def as_dict(self) -> dict[str, Any]:
        return {
            "label": self.label,
            "value": _plain(self.value),
            "shown": str(self),
            "population": self.population,
            "ties": self.ties,
            "table": self.table,
            "row": None if self.row is None else str(self.row),
            "column": None if self.column is None else str(self.column),
        }


@dataclass(frozen=True)
class Finding:
    """A key-finding sentence and the ids of the figures it quotes."""

    text: str
    figures: tuple[str, ...] = ()


def _plain(value: Any) -> Any:
    """A JSON-ready Python number (NaN becomes None)."""
    if value is None:
        return None
    number = float(value)
    if math.isnan(number):
        return None
    return int(number) if isinstance(value, (int, np.integer)) else number


class SectionUnavailable(Exception):
    """Raised by a compute function when its section cannot be computed on this data.

    The message is one sentence saying why; the report shows it in place of the section.
    """


@dataclass
class ReportData:
    """Everything a report shows, computed once.

    Attributes
    ----------
    options
        The options of the run.
    original
        The dataset as loaded (real names; only counts and the load report are read
        from it).
    data
        The dataset the analysis uses (pseudonymised when names are hidden).
    source_group, target_group
        The focal groups of ``options.attr`` (None when the data has only one group).
    waves
        Contact graph per survey wave (as built: directed).
    graphs
        Every network analysed, by label ("co-attendance", "contacts <wave>").
    undirected
        The same networks symmetrised once (union of arcs), which every metric uses. A
        network the report does not draw (co-attendance, when there are contact waves)
        is an :class:`~connectnet._arrays.ArrayNetwork`: measured from arrays, never
        built as an ``nx.Graph``.
    main_label
        The label of the main network: the latest contact wave, else co-attendance.
    drawn
        What the map and the network figure show: the main network, or its organisation
        view when it has more people than ``_limits.MAX_PERSON_MAP_NODES``.
    drawn_note
        The sentence saying so ("" for a person map).
    dominant_events
        Events attended by more than half of the people (kept in "co-attendance"; a
        second network "co-attendance without ..." leaves them out).
    tables
        Every table behind the report, written to ``tables/<name>.csv``.
    figures
        Every headline number with its definition, keyed by a stable id (``--json``).
    results
        What each section computed, keyed by section key (read by its renderer).
    unavailable
        Section key → the sentence saying why it could not be computed.
    findings
        The key findings, in the order shown (filled when the report is rendered).
    """

    options: ReportOptions
    original: Dataset
    data: Dataset
    source_group: Hashable | None
    target_group: Hashable | None
    waves: dict[Hashable, nx.Graph]
    graphs: dict[str, nx.Graph | ArrayNetwork]
    undirected: dict[str, nx.Graph | ArrayNetwork]
    main_label: str
    drawn: nx.Graph | None = None
    drawn_note: str = ""
    dominant_events: list[Hashable] = field(default_factory=list)
    tables: dict[str, pd.DataFrame] = field(default_factory=dict)
    figures: dict[str, Figure] = field(default_factory=dict)
    results: dict[str, Any] = field(default_factory=dict)
    unavailable: dict[str, str] = field(default_factory=dict)
    findings: list[Finding] = field(default_factory=list)

    @property
    def main(self) -> nx.Graph:
        """The main network, undirected (always a networkx graph)."""
        main = self.undirected[self.main_label]
        assert isinstance(main, nx.Graph)
        return main

    @property
    def attr(self) -> str:
        return self.options.attr

    @property
    def within(self) -> str | None:
        return self.options.within

    def add_figure(self, key: str, figure: Figure) -> Figure:
        """Record a headline number once; a second figure under the same key is a bug."""
        if key in self.figures:
            msg = f"report figure {key!r} computed twice"
            raise RuntimeError(msg)
        self.figures[key] = figure
        return figure

    def to_json(self) -> dict[str, Any]:
        """The figures with their definitions, the key findings and the provenance (no
        graphs, no person tables) as a JSON-ready dict; what ``--json`` writes."""
        from connectnet import __version__

        networks = {
            label: {
                "people": U.number_of_nodes(),
                "undirected ties": U.number_of_edges(),
                "reported arcs": self.graphs[label].number_of_edges()
                if self.graphs[label].is_directed()
                else None,
            }
            for label, U in self.undirected.items()
        }
        provenance = self.tables.get("provenance_inputs")
        return {
            "connectnet": __version__,
            "source": self.original.source,
            "options": {k: _jsonable(v) for k, v in self.options.as_dict().items()},
            "groups": {
                "source": _jsonable(self.source_group),
                "target": _jsonable(self.target_group),
            },
            "main_network": self.main_label,
            "networks": networks,
            "figures": {key: fig.as_dict() for key, fig in self.figures.items()},
            "findings": [{"text": f.text, "figures": list(f.figures)} for f in self.findings],
            "unavailable": dict(self.unavailable),
            "inputs": []
            if provenance is None or provenance.empty
            else provenance.reset_index().to_dict(orient="records"),
            "tables": sorted(self.tables),
        }


def _jsonable(value: Any) -> Any:
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    if isinstance(value, (list, tuple)):
        return [_jsonable(v) for v in value]
    return str(value)
