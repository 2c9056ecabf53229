"""The plain result object of a report: every figure computed once, with its definition.

The compute functions (``_compute.py``) fill a :class:`ReportData`; the renderers
(``_render.py``) only format it. A number shown twice is read twice from here, so the same
label never carries two values.
"""

from __future__ import annotations

from collections.abc import Hashable
from dataclasses import dataclass, field
from typing import Any

import networkx as nx
import pandas as pd

from connectnet._arrays import ArrayNetwork
from connectnet.data import Dataset

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
    progress: bool = False  # progress bars on stderr (inner loops read it too)


@dataclass(frozen=True)
class Figure:
    """One reported number with what it is, whom it covers and what a tie is.

    ``table`` names the table in ``tables/`` the number can be read from.
    """

    label: str
    value: float | int | None
    population: str = ""
    ties: str = ""
    table: str | None = None

    def as_dict(self) -> dict[str, Any]:
        return {
            "label": self.label,
            "value": self.value,
            "population": self.population,
            "ties": self.ties,
            "table": self.table,
        }


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
        The focal groups of ``options.attr``.
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
        The label of the main network (the last one: the latest wave).
    drawn
        What the map and the network figure show: the main network, or its organisation
        view when it has more people than ``_limits.MAX_PERSON_MAP_NODES``.
    drawn_note
        The sentence saying so ("" for a person map).
    tables
        Every table behind the report, written to ``tables/<name>.csv``.
    figures
        Every headline number with its definition, keyed by a stable id (``--json``).
    results
        What each section computed, keyed by section key (read by its renderer).
    unavailable
        Section key → the sentence saying why it could not be computed.
    """

    options: ReportOptions
    original: Dataset
    data: Dataset
    source_group: Hashable
    target_group: Hashable
    waves: dict[Hashable, nx.Graph]
    graphs: dict[str, nx.Graph | ArrayNetwork]
    undirected: dict[str, nx.Graph | ArrayNetwork]
    main_label: str
    drawn: nx.Graph | None = None
    drawn_note: str = ""
    tables: dict[str, pd.DataFrame] = field(default_factory=dict)
    figures: dict[str, Figure] = field(default_factory=dict)
    results: dict[str, Any] = field(default_factory=dict)
    unavailable: dict[str, str] = field(default_factory=dict)

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
