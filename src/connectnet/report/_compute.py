"""The report's compute pipeline: data → graphs → one result per section, into ReportData.

Each ``compute_<section>(rd)`` computes its section's figures once, stores its tables and
headline numbers in ``rd`` and returns a plain result for its renderer. It raises
:class:`SectionUnavailable` (one sentence) when the data cannot support the section.
Nothing here formats HTML.
"""

from __future__ import annotations

import secrets
from collections.abc import Hashable, Iterator
from dataclasses import dataclass
from typing import Any

import networkx as nx
import pandas as pd

from connectnet._arrays import ArrayNetwork
from connectnet._progress import progress_bar
from connectnet.change import ChangeTestResult, ExposureResult
from connectnet.data import Dataset
from connectnet.report._data import Figure, ReportData, ReportOptions, SectionUnavailable

__all__: list[str] = []


# --------------------------------------------------------------------------- preparation


def focal_groups(
    people: pd.DataFrame, attr: str, source: Hashable | None, target: Hashable | None
) -> tuple[Hashable, Hashable]:
    """The source and target groups: given, or prison → nhs, or the two largest groups."""
    if attr not in people.columns:
        msg = (
            f"`attr` {attr!r} is not a column of the people table; choose one of "
            f"{sorted(map(str, people.columns))}."
        )
        raise ValueError(msg)
    sizes = people[attr].dropna().value_counts()
    groups = list(sizes.index)
    if source is None and target is None and {"prison", "nhs"} <= set(groups):
        source, target = "prison", "nhs"
    ranked = [g for g in groups if g not in ("unknown",)]
    if source is None:
        source = next((g for g in ranked if g != target), None)
    if target is None:
        target = next((g for g in ranked if g != source), None)
    for name, value in (("source", source), ("target", target)):
        if value is None or value not in set(groups):
            msg = (
                f"`{name}` group {value!r} is not a value of {attr!r}; the groups are "
                f"{', '.join(map(str, groups))}."
            )
            raise ValueError(msg)
    return source, target


def union(G: nx.Graph | ArrayNetwork) -> nx.Graph | ArrayNetwork:
    """An undirected copy of ``G``: one tie per pair, weights of both arcs summed."""
    if not G.is_directed():
        return G
    assert isinstance(G, nx.Graph)
    H = nx.Graph()
    H.add_nodes_from(G.nodes(data=True))
    for u, v, w in G.edges(data="weight", default=1.0):
        if H.has_edge(u, v):
            H[u][v]["weight"] += w
        else:
            H.add_edge(u, v, weight=w)
    H.graph.update(G.graph)
    H.graph["symmetrise"] = "union"
    return H


def union_all(main: nx.Graph, waves: dict[Hashable, nx.Graph]) -> nx.Graph:
    """All nodes and ties of every wave, so one layout serves every map."""
    H = nx.Graph(main)
    for G in waves.values():
        H.add_nodes_from(G.nodes(data=True))
        H.add_edges_from(G.to_undirected(as_view=True).edges())
    return H


def prepare(data: Dataset, options: ReportOptions, *, salt: str | None) -> ReportData:
    """Check the options against the data and pseudonymise when names are hidden."""
    original = data
    if options.hide_names:
        from connectnet.privacy import pseudonymise

        data = pseudonymise(data, salt=salt if salt is not None else secrets.token_hex(16))
    if options.within is not None and options.within not in data.people.columns:
        msg = (
            f"`within` {options.within!r} is not a column of the people table; choose one "
            f"of {sorted(map(str, data.people.columns))}."
        )
        raise ValueError(msg)
    source, target = focal_groups(data.people, options.attr, options.source, options.target)
    return ReportData(
        options=options,
        original=original,
        data=data,
        source_group=source,
        target_group=target,
        waves={},
        graphs={},
        undirected={},
        main_label="",
    )


def build_graphs(rd: ReportData) -> None:
    """The co-attendance network and one contact graph per wave, each symmetrised once,
    and the view the map draws.

    The co-attendance network is an ``nx.Graph`` only when it is the main network (no
    contact waves), i.e. when it is drawn; otherwise it is measured from arrays.
    """
    from connectnet import build

    data = rd.data
    if not data.contacts.empty:
        if data.waves:
            rd.waves = dict(build.snapshots(data, kind="contact", by="wave"))
        else:
            rd.waves = {"all contacts": build.contact_graph(data)}
    if not data.attendance.empty:
        rd.graphs["co-attendance"] = (
            build._coattendance_network(data) if rd.waves else build.coattendance_graph(data)
        )
    for label, G in rd.waves.items():
        rd.graphs[f"contacts {label}"] = G
    rd.main_label = list(rd.graphs)[-1]
    rd.undirected = {label: union(G) for label, G in rd.graphs.items()}
    rd.drawn, rd.drawn_note = drawn_view(rd.main, rd.main_label, rd.attr)


def drawn_view(main: nx.Graph, label: str, attr: str) -> tuple[nx.Graph, str]:
    """The main network, or above ``MAX_PERSON_MAP_NODES`` people its organisation view
    (people contracted to their organisations, ties summed; the ``attr`` groups when
    people have no organisation) and the sentence saying so."""
    from connectnet import build
    from connectnet._arrays import has_node_attribute
    from connectnet._limits import MAX_PERSON_MAP_NODES

    n = main.number_of_nodes()
    if n <= MAX_PERSON_MAP_NODES:
        return main, ""
    if has_node_attribute(main, "organisation_id"):
        view, what = build.organisation_graph(main), "organisations"
    else:
        view, what = build.sector_graph(main, attr=attr), f"{attr} groups"
    note = (
        f"The {label} network has {n:,} people, more than the {MAX_PERSON_MAP_NODES:,} a "
        "person-level map can show usefully, so the map and the network figure show the "
        f"organisation view: {view.number_of_nodes():,} {what}, each tie between people "
        "counted between their groups. Every table and figure of this report is still "
        "computed for each person."
    )
    return view, note


def _each_network(rd: ReportData, desc: str) -> Iterator[tuple[str, nx.Graph | ArrayNetwork]]:
    """The networks analysed, with a progress bar over them when asked for."""
    yield from progress_bar(
        rd.undirected.items(), total=len(rd.undirected), desc=desc, enabled=rd.options.progress
    )


# --------------------------------------------------------------------------- sections


def compute_overview(rd: ReportData) -> dict[str, pd.DataFrame]:
    return {
        "summary": rd.original.summary().to_frame("value"),
        "group_sizes": rd.data.people[rd.attr].value_counts().rename("people").to_frame(),
    }


def compute_load_report(rd: ReportData) -> pd.DataFrame | None:
    """The load report (pseudonymised when names are hidden), or None when empty."""
    rd.tables["row_counts"] = rd.original.counts
    if rd.original.load_report.empty:
        return None
    # pseudonymise() already replaced ids and names in the reasons
    table = rd.data.load_report if rd.options.hide_names else rd.original.load_report
    rd.tables["load_report"] = table
    return table


def compute_attendance(rd: ReportData) -> pd.DataFrame:
    from connectnet import build

    if rd.data.attendance.empty:
        raise SectionUnavailable("There is no attendance data.")
    summary = build.attendance_summary(rd.data)
    rd.tables["attendance_events"] = summary.events
    rd.tables["attendance_people"] = summary.people
    return summary.events


@dataclass(frozen=True)
class MetricsResult:
    summary: pd.DataFrame
    group_ei: pd.DataFrame
    ei_test: Any
    mixing: pd.DataFrame
    block_density: pd.DataFrame


def compute_metrics(rd: ReportData) -> MetricsResult:
    from connectnet import bridging, cohesion

    attr, seed = rd.attr, rd.options.seed
    summaries, eis = {}, {}
    for label, U in _each_network(rd, "cohesion and E-I per network"):
        summaries[label] = cohesion.cohesion_summary(U, attr, seed=seed)
        eis[label] = bridging.group_ei_index(U, attr)
    summary = pd.DataFrame(summaries)
    group_ei = pd.DataFrame(eis)
    group_ei.index.name = attr
    ei_test = bridging.ei_test(
        rd.main,
        attr,
        n_permutations=rd.options.n_permutations,
        seed=seed,
        progress=rd.options.progress,
    )
    mixing = bridging.mixing_matrix(rd.main, attr)
    density = bridging.block_density(rd.main, attr)
    rd.tables.update(
        cohesion=summary,
        group_ei=group_ei,
        ei_test=ei_test.to_frame(),
        mixing=mixing,
        block_density=density,
    )
    rd.add_figure(
        "ei.main",
        Figure(
            f"E-I index by {attr}",
            ei_test.observed,
            population=f"everyone in the {rd.main_label} network",
            table="ei_test",
        ),
    )
    return MetricsResult(summary, group_ei, ei_test, mixing, density)


@dataclass(frozen=True)
class FocalResult:
    reach_table: pd.DataFrame
    main_reach: Any


def compute_focal(rd: ReportData) -> FocalResult:
    from connectnet import brokers

    reaches = {
        label: brokers.cross_sector_reach(
            U, rd.attr, rd.source_group, rd.target_group, within=rd.within
        )
        for label, U in _each_network(rd, "reach per network")
    }
    table = pd.DataFrame(
        {
            label: {
                "share reached": reach.share,
                "reached": len(reach.reached),
                "not reached": len(reach.not_reached),
            }
            for label, reach in reaches.items()
        }
    ).T
    rd.tables["reach"] = table
    main_reach = reaches[rd.main_label]
    rd.add_figure(
        "reach.main",
        Figure(
            "share reached",
            main_reach.share,
            population=f"the {rd.source_group} people of the {rd.main_label} network",
            table="reach",
        ),
    )
    return FocalResult(table, main_reach)


@dataclass(frozen=True)
class BridgersResult:
    table: pd.DataFrame
    risk: pd.DataFrame


def compute_bridgers(rd: ReportData) -> BridgersResult:
    from connectnet import brokers

    table = brokers.bridging_table(rd.main, rd.attr, seed=rd.options.seed)
    risk = brokers.bridging_risk(
        rd.main, rd.attr, rd.source_group, rd.target_group, within=rd.within
    )
    rd.tables["bridging_table"] = table
    rd.tables["bridging_risk"] = risk
    return BridgersResult(table, risk)


@dataclass(frozen=True)
class StructureResult:
    comparison: pd.Series
    core_periphery: pd.DataFrame
    n_core: int


def compute_structure(rd: ReportData) -> StructureResult:
    from connectnet import cohesion

    seed = rd.options.seed
    comm = cohesion.communities(rd.main, seed=seed)
    comparison = cohesion.partition_comparison(rd.main, rd.attr, comm)
    cp = cohesion.core_periphery(rd.main, seed=seed)
    rd.tables["core_periphery"] = cp
    rd.tables["communities"] = comm.to_frame()
    n_core = int(cp["core"].sum()) if "core" in cp else 0
    return StructureResult(comparison, cp, n_core)


@dataclass(frozen=True)
class ChangeTest:
    name: str
    result: ChangeTestResult | None  # None when the test could not be run
    error: str = ""


@dataclass(frozen=True)
class ChangeResult:
    first_label: Hashable
    last_label: Hashable
    compare: pd.DataFrame
    n_compared: int
    n_left_out: int
    tie_changes: pd.DataFrame
    tests: list[ChangeTest]
    exposure: ExposureResult | None

    def run(self) -> list[tuple[str, ChangeTestResult]]:
        """The tests that could be run, as (name, result)."""
        return [(t.name, t.result) for t in self.tests if t.result is not None]


def compute_change(rd: ReportData) -> ChangeResult:
    from connectnet import change

    labels = list(rd.waves)
    if len(labels) < 2:
        raise SectionUnavailable(
            "Change tests need contact data from two or more survey waves; this dataset "
            f"has {len(labels)}."
        )
    attr, within = rd.attr, rd.within
    src, tgt = rd.source_group, rd.target_group
    perms, seed = rd.options.n_permutations, rd.options.seed
    first, last = rd.waves[labels[0]], rd.waves[labels[-1]]
    comp = change.compare(rd.waves, attr, source=src, target=tgt, within=within)
    ties = change.tie_changes(first, last, attr)
    rd.tables["compare"] = comp
    rd.tables["tie_changes"] = ties
    specs: list[tuple[str, str, dict[str, Any]]] = [
        ("ei", "E-I index", {}),
        (
            "density",
            f"{src}–{tgt} tie density" + (f" within the same {within}" if within else ""),
            {"source": src, "target": tgt, "within": within},
        ),
    ]
    tests = []
    for key, name, options in specs:
        try:
            res = change.ei_change_test(
                first,
                last,
                attr,
                n_permutations=perms,
                seed=seed,
                progress=rd.options.progress,
                **options,
            )
        except ValueError as exc:
            tests.append(ChangeTest(name, None, str(exc)))
            continue
        tests.append(ChangeTest(name, res))
        population = f"the {res.n_nodes} people who answered both waves"
        for when, value in ((labels[0], res.before), (labels[-1], res.after)):
            rd.add_figure(
                f"change.{key}.{when}",
                Figure(f"{name}, {when}", value, population=population, table="change_tests"),
            )
    run = [(t.name, t.result) for t in tests if t.result is not None]
    if run:
        rd.tables["change_tests"] = pd.concat([res.to_frame().assign(test=n) for n, res in run])
    exposure = None
    if not rd.data.attendance.empty:
        exposure = change.exposure_effect(
            rd.data,
            first,
            last,
            attr,
            src,
            tgt,
            within=within,
            n_permutations=perms,
            seed=seed,
            progress=rd.options.progress,
        )
        rd.tables["exposure_people"] = exposure.people
        rd.tables["exposure_dose_response"] = exposure.dose_response
    return ChangeResult(
        labels[0],
        labels[-1],
        comp,
        int(comp.attrs.get("n_nodes", 0)),
        int(comp.attrs.get("n_excluded", 0)),
        ties,
        tests,
        exposure,
    )
