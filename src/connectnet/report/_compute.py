"""The report's compute pipeline: data → graphs → one result per section, into ReportData.

Each ``compute_<section>(rd)`` computes its section's figures once, stores its tables and
headline numbers in ``rd`` and returns a plain result for its renderer. It raises
:class:`SectionUnavailable` (one sentence) when the data cannot support the section.
Nothing here formats HTML.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Hashable, Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import networkx as nx
import numpy as np
import pandas as pd

from connectnet._arrays import ArrayNetwork, has_node_attribute
from connectnet._labels import match_label
from connectnet._progress import progress_bar
from connectnet._stats import adjust_pvalues
from connectnet.change import BootstrapResult, ChangeTestResult, ExposureResult
from connectnet.data import Dataset
from connectnet.report._data import Figure, ReportData, ReportOptions, SectionUnavailable

__all__: list[str] = []


# --------------------------------------------------------------------------- preparation


def focal_groups(
    people: pd.DataFrame, attr: str, source: Hashable | None, target: Hashable | None
) -> tuple[Hashable | None, Hashable | None]:
    """The source and target groups: given (in any case or spacing), or prison → nhs, or
    the two largest groups; (None, None) when the data has fewer than two groups.

    Raises ValueError when ``attr`` is not a column or a given label matches no group.
    """
    if attr not in people.columns:
        msg = (
            f"`attr` {attr!r} is not a column of the people table; choose one of "
            f"{sorted(map(str, people.columns))}."
        )
        raise ValueError(msg)
    groups = list(people[attr].dropna().value_counts().index)
    if source is not None:
        source = match_label(source, groups, what="`source` group", column=attr)
    if target is not None:
        target = match_label(target, groups, what="`target` group", column=attr)
    if source is None and target is None and {"prison", "nhs"} <= set(groups):
        source, target = "prison", "nhs"
    ranked = [g for g in groups if g != "unknown"]
    if source is None:
        source = next((g for g in ranked if g != target), None)
    if target is None:
        target = next((g for g in ranked if g != source), None)
    if source is None or target is None:
        return None, None  # one group only: no focal question (the sections say so)
    if source == target:
        msg = f"`source` and `target` are the same group ({source!r}); choose two groups."
        raise ValueError(msg)
    return source, target


def union(G: nx.Graph | ArrayNetwork) -> nx.Graph | ArrayNetwork:
    """An undirected copy of ``G``: one tie per pair, weights of both arcs summed.

    Vectorised; the ties go in in the order of their first arc, as adding them one by one
    would, so the graph (and every layout or seeded heuristic run on it) is the same.
    """
    if not G.is_directed():
        return G
    assert isinstance(G, nx.Graph)
    from connectnet._arrays import graph_arrays
    from connectnet.build import _add_edges

    ga = graph_arrays(G, weight="weight")
    lo, hi = np.minimum(ga.src, ga.dst), np.maximum(ga.src, ga.dst)
    _, first, pair = np.unique(lo * max(ga.n, 1) + hi, return_index=True, return_inverse=True)
    summed = np.bincount(pair, weights=ga.weight, minlength=first.size)
    order = np.argsort(first, kind="stable")
    H = nx.Graph()
    H.add_nodes_from(G.nodes(data=True))
    ids = np.empty(ga.n, dtype=object)
    ids[:] = ga.nodes
    arcs = first[order]
    dicts = [{"weight": w} for w in summed[order].tolist()]
    _add_edges(H, ids, ga.src[arcs], ga.dst[arcs], dicts)
    H.graph.update(G.graph)
    H.graph["symmetrise"] = "union"
    return H


def _within_from_organisations(data: Dataset, within: str | None) -> Dataset:
    """People without their own ``within`` value (e.g. ``region``) take their organisation's,
    so a people table without a region column still answers "in the same region"."""
    people, orgs = data.people, data.organisations
    if within is None or within not in orgs.columns or "organisation_id" not in people.columns:
        return data
    own = people[within] if within in people.columns else pd.Series(None, index=people.index)
    inherited = people["organisation_id"].map(orgs[within].to_dict())
    filled = own.astype(object).where(own.notna(), inherited)
    if int(filled.notna().sum()) == int(own.notna().sum()):
        return data
    return replace(data, people=people.assign(**{within: filled}))


def prepare(data: Dataset, options: ReportOptions, *, salt: str | None) -> ReportData:
    """Check the options against the data and pseudonymise when names are hidden."""
    data = _within_from_organisations(data, options.within)
    original = data
    if options.hide_names:
        from connectnet.privacy import pseudonymise

        keep = (options.attr, *([options.within] if options.within else []), *options.keep_columns)
        secret = salt if salt is not None else secrets.token_hex(16)
        data = pseudonymise(data, salt=secret, keep_columns=keep)
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
    r"""The co-attendance network (and one without dominant events) and one contact graph
    per wave, each symmetrised once, and the view the map draws.

    With contact waves the co-attendance networks are measured but never drawn, so they
    are :class:`~connectnet._arrays.ArrayNetwork`\ s (no ``nx.Graph``, no Python object
    per tie); without waves co-attendance is the main network, an ``nx.Graph``.
    """
    from connectnet import build

    data = rd.data
    if not data.contacts.empty:
        if data.waves:
            rd.waves = dict(build.snapshots(data, kind="contact", by="wave"))
        else:
            rd.waves = {"all contacts": build.contact_graph(data)}
    if not data.attendance.empty:
        coattendance = build._coattendance_network if rd.waves else build.coattendance_graph
        events = kept_events(rd)
        size = rd.options.max_event_size
        rd.graphs["co-attendance"] = coattendance(data, events=events, max_event_size=size)
        rd.dominant_events = dominant_events(rd, events)
        without = [e for e in events if e not in set(rd.dominant_events)]
        if rd.dominant_events and without:  # else every event is large: nothing to compare
            rd.graphs[without_label(rd)] = coattendance(data, events=without)
    for wave, G in rd.waves.items():
        rd.graphs[f"contacts {wave}"] = G
    if not rd.graphs:
        msg = "there is neither attendance nor contact data to build a network from."
        raise ValueError(msg)
    rd.main_label = f"contacts {list(rd.waves)[-1]}" if rd.waves else "co-attendance"
    rd.undirected = {label: union(G) for label, G in rd.graphs.items()}
    rd.drawn, rd.drawn_note = drawn_view(rd.main, rd.main_label, rd.attr)


def drawn_view(main: nx.Graph, label: str, attr: str) -> tuple[nx.Graph, str]:
    """The main network, or above ``MAX_PERSON_MAP_NODES`` people its organisation view
    (people contracted to their organisations, ties summed; the ``attr`` groups when
    people have no organisation) and the sentence saying so."""
    from connectnet import _limits, build

    n, limit = main.number_of_nodes(), _limits.MAX_PERSON_MAP_NODES
    if n <= limit:
        return main, ""
    if has_node_attribute(main, "organisation_id"):
        view, what = build.organisation_graph(main), "organisations"
    else:
        view, what = build.sector_graph(main, attr=attr), f"{attr} groups"
    note = (
        f"The {label} network has {n:,} people, more than the {limit:,} a person-level "
        "map can show usefully, so the map and the network figure show the organisation "
        f"view: {view.number_of_nodes():,} {what}, each tie between people counted "
        "between their groups. Every table and figure of this report is still computed "
        "for each person."
    )
    return view, note


def each_network(rd: ReportData, desc: str) -> Iterator[tuple[str, nx.Graph | ArrayNetwork]]:
    """The networks analysed, with a progress bar over them when asked for."""
    yield from progress_bar(
        rd.undirected.items(), total=len(rd.undirected), desc=desc, enabled=rd.options.progress
    )


def without_label(rd: ReportData) -> str:
    """The label of the co-attendance network without the dominant events."""
    if len(rd.dominant_events) <= 2:
        return "co-attendance without " + " and ".join(map(str, rd.dominant_events))
    return f"co-attendance without the {len(rd.dominant_events)} large events"


def kept_events(rd: ReportData) -> list[Hashable]:
    """Event ids of the attendance table less ``exclude_events`` (an unknown id is an
    error naming the known ones)."""
    attended = list(dict.fromkeys(rd.data.attendance["event_id"]))
    known = set(attended) | set(rd.data.events.index)
    unknown = [e for e in rd.options.exclude_events if e not in known]
    if unknown:
        listed = ", ".join(map(str, sorted(known, key=str)[:30]))
        msg = (
            f"`exclude_events`: {', '.join(map(repr, unknown))} is not an event id; the "
            f"events are {listed}."
        )
        raise ValueError(msg)
    excluded = set(rd.options.exclude_events)
    return [e for e in attended if e not in excluded]


def dominant_events(rd: ReportData, events: list[Hashable]) -> list[Hashable]:
    """Kept events (within ``max_event_size``) attended by more than half of the people."""
    att = rd.data.attendance
    sizes = att[att["event_id"].isin(events)].groupby("event_id")["person_id"].nunique()
    if rd.options.max_event_size is not None:
        sizes = sizes[sizes <= rd.options.max_event_size]
    return sizes[sizes > len(rd.data.people) / 2].index.tolist()


# --------------------------------------------------------------------------- helpers


def person_details(rd: ReportData, ids: list[Hashable]) -> pd.DataFrame:
    """Name, organisation name, group and region of each person id (columns the data has).

    With names hidden the ids are codes and there is no name column; organisations keep
    their names (they are not people).
    """
    people = rd.data.people.reindex(ids)
    columns: dict[str, pd.Series] = {}
    if "name" in people.columns:
        columns["name"] = people["name"]
    if "organisation_id" in people.columns:
        org_names = rd.data.organisations.get("name")
        org = people["organisation_id"]
        named = org.map(org_names) if org_names is not None else org
        columns["organisation"] = named.astype(object).where(named.notna(), org.astype(object))
    for col in dict.fromkeys([rd.attr, "region", rd.within or "region"]):
        if col in people.columns:
            columns[col] = people[col]
    frame = pd.DataFrame(columns, index=people.index)
    frame.index.name = "person"
    return frame


def with_details(rd: ReportData, table: pd.DataFrame) -> pd.DataFrame:
    """``table`` (indexed by person) with name, organisation, group and region first."""
    details = person_details(rd, list(table.index))
    rest = table.drop(columns=[c for c in details.columns if c in table.columns])
    out = pd.concat([details, rest.set_axis(details.index)], axis=1)
    return out


def group_ties(mixing: pd.DataFrame) -> pd.DataFrame:
    """Undirected ties within and between groups, each counted once, from the mixing
    matrix of an undirected graph (whose diagonal counts each tie inside a group twice)."""
    ties = mixing.copy()
    values = ties.to_numpy(dtype=float, copy=True)
    np.fill_diagonal(values, np.diag(values) / 2)
    ties.loc[:, :] = values
    return ties


def tie_words(G: nx.Graph, U: nx.Graph) -> str:
    """What a tie is in network ``G`` (and its undirected version ``U``), with counts."""
    if G.is_directed():
        return (
            f"{U.number_of_edges():,} undirected ties from {G.number_of_edges():,} reported arcs"
        )
    return f"{U.number_of_edges():,} ties"


def network_words(rd: ReportData, label: str) -> str:
    """Whom a network covers: "all 141 people of the contacts follow-up network"."""
    return f"all {rd.undirected[label].number_of_nodes():,} people of the {label} network"


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


@dataclass(frozen=True)
class AttendanceResult:
    events: pd.DataFrame
    series: str | None  # the events column retention is measured within
    left_out: pd.DataFrame  # events left out of co-attendance by the options, and why
    dominant: pd.DataFrame  # events attended by more than half of the people


def compute_attendance(rd: ReportData) -> AttendanceResult:
    from connectnet import build

    if rd.data.attendance.empty:
        raise SectionUnavailable("There is no attendance data, so there is no attendance section.")
    series = "programme" if "programme" in rd.data.events.columns else None
    summary = build.attendance_summary(rd.data, series=series)
    events = summary.events
    if "title" in rd.data.events.columns:
        events.insert(0, "title", rd.data.events["title"].reindex(events.index))
    rd.tables["attendance_events"] = events
    rd.tables["attendance_people"] = summary.people
    dropped = rd.graphs["co-attendance"].graph.get("dropped_events", [])
    reasons = dict.fromkeys(rd.options.exclude_events, "--exclude-events")
    reasons.update(dict.fromkeys(dropped, f"more than {rd.options.max_event_size} attendees"))
    left_out = _event_rows(rd, events, reasons)
    dominant = _event_rows(rd, events, dict.fromkeys(rd.dominant_events, "more than half"))
    if not left_out.empty:
        rd.tables["events_left_out"] = left_out
    n_people = len(rd.data.people)
    for event in rd.dominant_events:
        rd.add_figure(
            f"attendance.{event}.attendees",
            Figure(
                f"attendees of event {event}",
                int(events.at[event, "attendees"]),
                population=f"the {n_people:,} people of the people table",
                table="attendance_events",
                row=event,
                column="attendees",
            ),
        )
    return AttendanceResult(events, series, left_out, dominant)


def _event_rows(rd: ReportData, events: pd.DataFrame, reasons: dict) -> pd.DataFrame:
    """Title, date and attendees of the events in ``reasons``, with the reason."""
    rows = [e for e in reasons if e in events.index]
    cols = [c for c in ("title", "date", "attendees") if c in events.columns]
    table = events.loc[rows, cols].copy()
    table["why"] = [reasons[e] for e in rows]
    return table


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
    ei_test = bridging.ei_test(
        rd.main,
        attr,
        n_permutations=rd.options.n_permutations,
        seed=seed,
        progress=rd.options.progress,
    )
    columns = {}
    for label, U in each_network(rd, "cohesion per network"):
        column = dict(cohesion.cohesion_summary(U, attr, seed=seed))
        column["undirected ties"] = column.pop("ties")
        column["density (undirected ties)"] = column.pop("density")
        G = rd.graphs[label]
        column["reported arcs"] = G.number_of_edges() if G.is_directed() else float("nan")
        column["E-I index"] = (
            ei_test.observed if label == rd.main_label else bridging.ei_index(U, attr)
        )
        columns[label] = column
    summary = pd.DataFrame(columns)
    first = ["nodes", "undirected ties", "reported arcs", "density (undirected ties)", "E-I index"]
    summary = summary.reindex(first + [r for r in summary.index if r not in first])
    group_ei = pd.DataFrame(
        {label: bridging.group_ei_index(U, attr) for label, U in rd.undirected.items()}
    )
    group_ei.index.name = attr
    mixing = group_ties(bridging.mixing_matrix(rd.main, attr))
    density = bridging.block_density(rd.main, attr)
    rd.tables.update(
        cohesion=summary,
        group_ei=group_ei,
        ei_test=ei_test.to_frame(),
        mixing=mixing,
        block_density=density,
    )
    for label in rd.undirected:
        ties = tie_words(rd.graphs[label], rd.undirected[label])
        rd.add_figure(
            f"ei.{label}",
            Figure(
                f"E-I index by {attr}",
                summary.at["E-I index", label],
                population=network_words(rd, label),
                ties=ties,
                table="cohesion",
                row="E-I index",
                column=label,
            ),
        )
        rd.add_figure(
            f"density.{label}",
            Figure(
                "density (undirected ties)",
                summary.at["density (undirected ties)", label],
                population=network_words(rd, label),
                ties=ties,
                table="cohesion",
                row="density (undirected ties)",
                column=label,
            ),
        )
        rd.add_figure(
            f"ties.{label}",
            Figure(
                "undirected ties",
                int(summary.at["undirected ties", label]),
                population=network_words(rd, label),
                ties=ties,
                table="cohesion",
                row="undirected ties",
                column=label,
            ),
        )
    rd.add_figure(
        "ei.expected",
        Figure(
            f"E-I index by {attr} expected if ties were formed at random",
            ei_test.expected,
            population=network_words(rd, rd.main_label),
            table="ei_test",
            row=ei_test.to_frame().index[0],
            column="expected",
        ),
    )
    return MetricsResult(summary, group_ei, ei_test, mixing, density)


@dataclass(frozen=True)
class FocalResult:
    reach_table: pd.DataFrame
    reaches: dict[str, Any]
    not_reached: pd.DataFrame
    organisations: pd.DataFrame | None
    organisation_summary: pd.DataFrame | None
    answer_networks: list[str]


def _answer_networks(rd: ReportData) -> list[str]:
    """The networks the focal question is answered for: each contact wave, else all."""
    waves = [f"contacts {w}" for w in rd.waves]
    return waves or list(rd.undirected)


def require_focal(rd: ReportData) -> tuple[Hashable, Hashable]:
    """The focal groups, or SectionUnavailable saying why there are none."""
    if rd.source_group is None or rd.target_group is None:
        groups = rd.data.people[rd.attr].dropna().unique().tolist()
        raise SectionUnavailable(
            f"There is no focal question: the data has only one {rd.attr} group "
            f"({', '.join(map(str, groups)) or 'none'}), and reach needs two."
        )
    return rd.source_group, rd.target_group


def compute_focal(rd: ReportData) -> FocalResult:
    from connectnet import brokers

    (src, tgt), within = require_focal(rd), rd.within
    reaches = {
        label: brokers.cross_sector_reach(U, rd.attr, src, tgt, within=within)
        for label, U in each_network(rd, "reach per network")
    }
    table = pd.DataFrame(
        {
            label: {
                "people": reach.n_source,
                "reached": len(reach.reached),
                "not reached": len(reach.not_reached),
                "share reached": reach.share,
            }
            for label, reach in reaches.items()
        }
    ).T
    table.index.name = "network"
    table[["people", "reached", "not reached"]] = table[
        ["people", "reached", "not reached"]
    ].astype(int)
    rd.tables["reach"] = table
    for label, reach in reaches.items():
        population = f"the {reach.n_source:,} {src} people of the {label} network"
        for column, percent in (("share reached", True), ("reached", False)):
            value = reach.share if percent else len(reach.reached)
            rd.add_figure(
                f"reach.{label}.{column}",
                Figure(
                    ("share of " if percent else "")
                    + f"{src} people with a direct tie to {tgt}"
                    + (f" in the same {within}" if within else ""),
                    value,
                    population=population,
                    ties="undirected ties",
                    table="reach",
                    row=label,
                    column=column,
                    percent=percent,
                ),
            )
    main_reach = reaches[rd.main_label]
    not_reached = person_details(rd, list(main_reach.not_reached))
    rd.tables["not_reached"] = not_reached
    networks = _answer_networks(rd)
    orgs, org_summary = _organisation_answer(rd, {n: reaches[n] for n in networks})
    return FocalResult(table, reaches, not_reached, orgs, org_summary, networks)


def _organisation_answer(
    rd: ReportData, reaches: dict[str, Any]
) -> tuple[pd.DataFrame | None, pd.DataFrame | None]:
    """Each source organisation: does any of its people have a tie to the target group
    (in the same ``within``), and through how many of them, per network."""
    people, src = rd.data.people, rd.source_group
    if "organisation_id" not in people.columns:
        return None, None
    members = people[people[rd.attr] == src]["organisation_id"].dropna()
    if members.empty:
        return None, None
    orgs = rd.data.organisations
    ids = sorted(members.unique(), key=str)
    table = pd.DataFrame(index=pd.Index(ids, name="organisation_id"))
    for col in ("name", "sector", "type", "region"):
        if col in orgs.columns:
            table[col] = orgs[col].reindex(ids)
    table[f"{src} people"] = members.value_counts().reindex(ids).astype(int)
    labels = list(reaches)
    for label in labels:
        reached = members[members.index.isin(reaches[label].reached)]
        table[f"people with a tie, {label}"] = (
            reached.value_counts().reindex(ids, fill_value=0).astype(int)
        )
    if len(labels) >= 2:
        first, last = labels[0], labels[-1]
        table[f"change {first}→{last}"] = (
            table[f"people with a tie, {last}"] - table[f"people with a tie, {first}"]
        )
    summary = pd.DataFrame(
        {
            label: {
                "organisations": len(ids),
                "with a tie": int((table[f"people with a tie, {label}"] > 0).sum()),
                "without a tie": int((table[f"people with a tie, {label}"] == 0).sum()),
            }
            for label in labels
        }
    ).T
    summary.index.name = "network"
    rd.tables["organisation_reach"] = table
    rd.tables["organisation_reach_summary"] = summary
    target = f"a {rd.target_group} person" + (f" in the same {rd.within}" if rd.within else "")
    for label in labels:
        for column in ("without a tie", "organisations"):
            rd.add_figure(
                f"organisations.{label}.{column}",
                Figure(
                    f"{src} organisations {column} to {target}",
                    int(summary.at[label, column]),
                    population=f"the {len(ids):,} organisations with {src} people",
                    ties=f"undirected ties of the {label} network",
                    table="organisation_reach_summary",
                    row=label,
                    column=column,
                ),
            )
    return table, summary


@dataclass(frozen=True)
class BridgersResult:
    table: pd.DataFrame
    risk: pd.DataFrame | None  # None without a focal question
    no_risk: str = ""  # why there is no risk table


def compute_bridgers(rd: ReportData) -> BridgersResult:
    from connectnet import brokers

    table = brokers.bridging_table(rd.main, rd.attr, seed=rd.options.seed)
    table = with_details(rd, table.drop(columns=["group", "kind"], errors="ignore"))
    rd.tables["bridging_table"] = table
    try:
        src, tgt = require_focal(rd)
    except SectionUnavailable as why:
        return BridgersResult(table, None, str(why))
    risk = brokers.bridging_risk(rd.main, rd.attr, src, tgt, within=rd.within)
    risk = with_details(rd, risk)
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
    rd.tables["core_periphery"] = with_details(rd, cp)
    rd.tables["communities"] = with_details(rd, comm.to_frame())
    n_core = int(cp["core"].sum()) if "core" in cp else 0
    return StructureResult(comparison, cp, n_core)


@dataclass(frozen=True)
class ChangeTest:
    key: str
    name: str
    result: ChangeTestResult | None  # None when the test could not be run
    error: str = ""
    p_adjusted: float = float("nan")  # Holm-adjusted over the tests that were run
    ci: BootstrapResult | None = None  # node-bootstrap interval for the change


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
    notes: list[str]  # what had to be left out, and why
    sensitivity: pd.DataFrame | None  # the tests' changes under two treatments of non-response
    adjust: str = "holm"  # how the change tests' p-values are adjusted

    def run(self) -> list[ChangeTest]:
        """The tests that could be run."""
        return [t for t in self.tests if t.result is not None]


# The change tests and compare table count reported arcs among the people compared; the
# cohesion table counts undirected ties among everyone. Their rows say so.
_ARC_ROWS = {"ties": "reported arcs", "density": "arc density", "E-I index": "E-I index (arcs)"}


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
    notes = []
    try:
        comp = change.compare(rd.waves, attr, source=src, target=tgt, within=within)
    except ValueError as exc:  # e.g. a focal group absent among the people compared
        if src is None:
            raise
        notes.append(f"Cross-sector reach is left out of the table: {exc}")
        comp = change.compare(rd.waves, attr)
    if first.is_directed():
        comp = comp.rename(index=_ARC_ROWS)
    ties = change.tie_changes(first, last, attr)
    rd.tables["compare"] = comp
    rd.tables["tie_changes"] = ties
    specs: list[tuple[str, str, dict[str, Any]]] = [("ei", "E-I index", {})]
    if src is not None:
        specs.append(
            (
                "density",
                f"{src}–{tgt} tie density" + (f" within the same {within}" if within else ""),
                {"source": src, "target": tgt, "within": within},
            )
        )
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
            tests.append(ChangeTest(key, name, None, str(exc)))
            continue
        tests.append(
            ChangeTest(key, name, res, ci=_change_ci(first, last, attr, key, options, rd))
        )
        population = f"the {res.n_nodes:,} people who answered both waves"
        arcs = "reported arcs" if first.is_directed() else "ties"
        row = res.to_frame().index[0]
        for column, value in (("before", res.before), ("after", res.after)):
            rd.add_figure(
                f"change.{key}.{column}",
                Figure(
                    f"{name}, {labels[0] if column == 'before' else labels[-1]}",
                    value,
                    population=population,
                    ties=arcs,
                    table="change_tests",
                    row=row,
                    column=column,
                    digits=3,
                ),
            )
        rd.add_figure(
            f"change.{key}.p_value",
            Figure(
                f"p-value of the change in {name}",
                res.p_value,
                population=population,
                ties=arcs,
                table="change_tests",
                row=row,
                column="p_value",
                digits=3,
            ),
        )
    # several change tests at once: Holm-adjust their p-values (and say so on the page)
    ran = [i for i, t in enumerate(tests) if t.result is not None]
    adjusted = adjust_pvalues([tests[i].result.p_value for i in ran], "holm")  # type: ignore[union-attr]
    for i, p in zip(ran, adjusted, strict=True):
        tests[i] = replace(tests[i], p_adjusted=float(p))
    run = [t for t in tests if t.result is not None]
    if run:
        rd.tables["change_tests"] = pd.concat([_test_row(t) for t in run])
    sensitivity = _sensitivity(first, last, attr, specs, rd, notes)
    if sensitivity is not None:
        rd.tables["nonresponse_sensitivity"] = sensitivity
    exposure = None
    if src is not None and not rd.data.attendance.empty:
        try:
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
        except ValueError as exc:
            notes.append(f"The attendance–exposure test could not be run: {exc}")
        else:
            rd.tables["exposure_people"] = with_details(rd, exposure.people)
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
        notes,
        sensitivity,
    )


def _change_ci(
    first: nx.Graph, last: nx.Graph, attr: str, key: str, options: dict[str, Any], rd: ReportData
) -> BootstrapResult | None:
    """Node-bootstrap interval for the change a test measures (paired across waves)."""
    from connectnet import change

    statistic = "ei" if key == "ei" else "block_density"
    try:
        return change.bootstrap_ci(
            first,
            statistic,
            after=last,
            attr=attr,
            n_boot=rd.options.n_permutations,
            seed=rd.options.seed,
            progress=rd.options.progress,
            **options,
        )
    except ValueError:  # undefined on these data (e.g. no possible dyad)
        return None


def _test_row(test: ChangeTest) -> pd.DataFrame:
    """One row of change_tests.csv: the test, its adjusted p-value and its interval."""
    assert test.result is not None
    row = test.result.to_frame().assign(test=test.name, p_adjusted=test.p_adjusted)
    row["adjust"] = "holm"
    ci = test.ci
    row["ci_low"] = ci.low if ci else float("nan")
    row["ci_high"] = ci.high if ci else float("nan")
    row["ci_level"] = ci.level if ci else float("nan")
    return row


def _sensitivity(
    first: nx.Graph,
    last: nx.Graph,
    attr: str,
    specs: list[tuple[str, str, dict[str, Any]]],
    rd: ReportData,
    notes: list[str],
) -> pd.DataFrame | None:
    """Each change test's change under "missing = no tie" and "reconstructed", side by
    side (contact surveys only: an undirected graph no longer shows who reported whom)."""
    from connectnet import change

    if not first.is_directed():
        return None
    frames = {}
    for key, name, options in specs:
        statistic = "ei" if key == "ei" else "block_density"
        try:
            frames[name] = change.nonresponse_sensitivity(
                first,
                last,
                attr,
                statistic=statistic,
                n_permutations=rd.options.n_permutations,
                seed=rd.options.seed,
                **options,
            )
        except ValueError as exc:
            notes.append(f"The non-response check of the {name} could not be run: {exc}")
    if not frames:
        return None
    return pd.concat(frames, names=["test"])


# --------------------------------------------------------------------------- provenance


def _data_folder(source: str | None) -> Path | None:
    """The folder the dataset was read from, when ``Dataset.source`` names one."""
    if not source:
        return None
    if source.startswith("sample:"):
        from connectnet.samples import sample_path

        try:
            return sample_path(source.removeprefix("sample:"))
        except (ValueError, FileNotFoundError):
            return None
    folder = Path(source)
    return folder if folder.is_dir() else None


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


@dataclass(frozen=True)
class ProvenanceResult:
    version: str
    options: pd.DataFrame
    inputs: pd.DataFrame


def compute_provenance(rd: ReportData) -> ProvenanceResult:
    """connectnet version, the options of the run and each input file's SHA-256 and rows."""
    from connectnet import __version__
    from connectnet.data import _find_file

    options = pd.DataFrame(
        {"value": [_option_text(v) for v in rd.options.as_dict().values()]},
        index=pd.Index(list(rd.options.as_dict()), name="option"),
    )
    folder = _data_folder(rd.original.source)
    rows = []
    counts = rd.original.counts
    for table in counts.index:
        path = _find_file(folder, str(table)) if folder is not None else None
        if path is None and not counts.at[table, "read"]:
            continue  # a table that was not given
        rows.append(
            {
                "table": table,
                "file": path.name if path is not None else "(given as a table, not a file)",
                "sha256": _sha256(path) if path is not None else "–",
                "rows read": int(counts.at[table, "read"]),
                "rows kept": int(counts.at[table, "kept"]),
            }
        )
    inputs = pd.DataFrame(rows).set_index("table") if rows else pd.DataFrame()
    rd.tables["provenance_inputs"] = inputs
    rd.tables["provenance_options"] = options
    return ProvenanceResult(__version__, options, inputs)


def _option_text(value: object) -> str:
    if value is None:
        return "–"
    if isinstance(value, (list, tuple)):
        return ", ".join(map(str, value)) or "–"
    return str(value)


# ------------------------------------------------------------------------------ model

#: Above this many actors the report does not fit the SAOM (it would take minutes).
MODEL_MAX_ACTORS = 2000
#: Phase-3 simulations of the report's SAOM fit and simulations of its goodness of fit.
MODEL_PHASE3 = 500
MODEL_GOF_SIMS = 200
GOF_STATISTICS = ("indegree", "outdegree", "triad_census", "geodesic")
COATTENDANCE = "coattendance"


@dataclass(frozen=True)
class ModelResult:
    """The report's stochastic actor-oriented model of tie formation between waves."""

    fit: Any  # SAOMResult
    table: pd.DataFrame
    effects: tuple[str, ...]
    n_actors: int
    waves: tuple[str, ...]
    events: tuple[Hashable, ...]
    gof: dict[str, Any]
    notes: tuple[str, ...]


def model_effects(rd: ReportData) -> list[str | tuple[str, str]]:
    """The model's effects: ``--model-effects`` (``name`` or ``name:covariate``), else
    density, recip, transTrip, ``sameX`` of the grouping attribute and of ``--within``
    and ``X`` of co-attendance."""
    if rd.options.model_effects:
        out: list[str | tuple[str, str]] = []
        for item in rd.options.model_effects:
            name, _, cov = item.partition(":")
            out.append((name.strip(), cov.strip()) if cov else name.strip())
        return out
    default: list[str | tuple[str, str]] = ["density", "recip", "transTrip", ("sameX", rd.attr)]
    if rd.within:
        default.append(("sameX", rd.within))
    default.append(("X", COATTENDANCE))
    return default


def _events_between(rd: ReportData, labels: list[Hashable]) -> tuple[list[Hashable], str | None]:
    """Events held after the first wave's survey and before the last wave's (by the
    contacts' response dates), and a note when dates do not allow that choice."""
    data = rd.data
    attended = list(dict.fromkeys(data.attendance["event_id"]))
    dates = data.events["date"].reindex(attended) if "date" in data.events else None
    contacts = data.contacts.dropna(subset=["date"]) if "date" in data.contacts else None
    if dates is None or dates.isna().all() or contacts is None or contacts.empty:
        return attended, "Events or survey responses have no dates, so every event is used."
    first = contacts.loc[contacts["wave"] == str(labels[0]), "date"].max()
    last = contacts.loc[contacts["wave"] == str(labels[-1]), "date"].min()
    between = [e for e in attended if pd.notna(dates[e]) and first < dates[e] < last]
    undated = int(dates.isna().sum())
    note = f"{undated} events without a date are left out." if undated else None
    return between, note


def compute_model(rd: ReportData) -> ModelResult:
    from connectnet import build
    from connectnet.saom import fit_saom, saom_missing
    from connectnet.saom.gof import saom_gofs

    if not rd.options.model:
        raise SectionUnavailable("The model was not fitted (the report was run with --no-model).")
    labels = list(rd.waves)
    if len(labels) < 2 or not rd.original.waves:
        raise SectionUnavailable(
            "A model of tie formation needs contact data from two or more survey waves; "
            f"this dataset has {len(rd.original.waves)}."
        )
    data = rd.data
    actors = set(data.respondents["person_id"]) | set(data.roster["person_id"])
    for G in rd.waves.values():
        actors |= {v for e in G.edges for v in e}
    if len(actors) > MODEL_MAX_ACTORS:
        raise SectionUnavailable(
            f"The model was not fitted: its {len(actors):,} actors exceed the "
            f"{MODEL_MAX_ACTORS:,} above which the report leaves it out to keep its time "
            "budget (fit it with cn.fit_saom, which has no such limit)."
        )
    order = [v for v in rd.waves[labels[0]] if v in actors]
    waves = {w: G.subgraph(order).copy() for w, G in rd.waves.items()}
    notes: list[str] = []
    effects = model_effects(rd)
    dyadic = {}
    events: list[Hashable] = []
    if ("X", COATTENDANCE) in effects:
        events, note = _events_between(rd, labels) if not data.attendance.empty else ([], None)
        if note:
            notes.append(note)
        if events:
            edges = build.coattendance_edges(data, events=events)
            dyadic[COATTENDANCE] = _coattendance_matrix(edges, order)
        else:
            effects.remove(("X", COATTENDANCE))
            notes.append(
                "No programme events were held between the first and the last wave, so "
                "co-attendance is not in the model."
            )
    effects = _varying(effects, waves[labels[0]], order, notes)
    try:
        fit = fit_saom(
            waves,
            effects,
            covariates={e[1]: e[1] for e in effects if isinstance(e, tuple) and e[0] != "X"},
            dyadic=dyadic,
            present=data.roster if not data.roster.empty else None,
            n_phase3=MODEL_PHASE3,
            seed=rd.options.seed,
        )
    except RuntimeError as exc:  # estimation diverged: too little data for the model
        raise SectionUnavailable(
            f"The model could not be estimated on these {len(order)} actors: {exc}"
        ) from exc
    table = fit.to_frame()
    table["meaning"] = list(fit.meanings)
    rd.tables["saom_estimates"] = table
    rd.tables["saom_rates"] = fit.rates
    rd.tables["saom_missing"] = saom_missing(fit)
    gof = saom_gofs(fit, list(GOF_STATISTICS), n_sim=MODEL_GOF_SIMS, seed=rd.options.seed)
    rd.tables["saom_gof"] = pd.DataFrame(
        {
            "p_value": [g.p_value for g in gof.values()],
            "mahalanobis_distance": [g.observed_distance for g in gof.values()],
            "simulations": [g.n_sim for g in gof.values()],
        },
        index=pd.Index(list(gof), name="statistic"),
    )
    population = f"the {len(order):,} actors of the model"
    for label in table.index:
        for column in ("estimate", "se", "p"):
            rd.add_figure(
                f"model.{label}.{column}",
                Figure(
                    f"{label} ({'estimate' if column == 'estimate' else column})",
                    float(table.at[label, column]),
                    population=population,
                    ties="reported arcs",
                    table="saom_estimates",
                    row=label,
                    column=column,
                    digits=3,
                ),
            )
    rd.add_figure(
        "model.max_convergence",
        Figure(
            "overall maximum convergence ratio",
            float(fit.max_convergence),
            population=population,
            digits=3,
        ),
    )
    for name, g in gof.items():
        rd.add_figure(
            f"model.gof.{name}.p_value",
            Figure(
                f"goodness of fit p-value, {name.replace('_', ' ')}",
                g.p_value,
                population=population,
                ties="reported arcs",
                table="saom_gof",
                row=name,
                column="p_value",
                digits=3,
            ),
        )
    return ModelResult(
        fit=fit,
        table=table,
        effects=tuple(table.index),
        n_actors=len(order),
        waves=tuple(map(str, labels)),
        events=tuple(events),
        gof=gof,
        notes=tuple(notes),
    )


def _coattendance_matrix(edges: pd.DataFrame, order: list[Hashable]) -> Any:
    """Actors × actors count of events attended together (0 for actors who attended none)."""
    import numpy as np

    index = {v: k for k, v in enumerate(order)}
    w = np.zeros((len(order), len(order)))
    src = edges["source"].astype(object).map(index)
    tgt = edges["target"].astype(object).map(index)
    keep = src.notna() & tgt.notna()
    i, j = src[keep].astype(int).to_numpy(), tgt[keep].astype(int).to_numpy()
    shared = edges.loc[keep, "shared_events"].to_numpy(dtype=float)
    w[i, j] = shared
    w[j, i] = shared
    return w


def _varying(effects: list, G: nx.Graph, order: list[Hashable], notes: list[str]) -> list:
    """Drop covariate effects whose attribute does not vary among the actors."""
    kept = []
    for effect in effects:
        if isinstance(effect, tuple) and effect[0] != "X":
            values = {G.nodes[v].get(effect[1]) for v in order} - {None}
            if len(values) < 2:
                notes.append(
                    f"{effect[0]} {effect[1]} is left out: every actor has the same "
                    f"{effect[1]} (or none)."
                )
                continue
        kept.append(effect)
    return kept
