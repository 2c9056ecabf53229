"""Tests for connectnet.build: graph construction from attendance and contacts."""

from __future__ import annotations

import logging
from fractions import Fraction

import networkx as nx
import numpy as np
import pandas as pd
import pytest
import scipy.sparse as sp
from hypothesis import given, settings
from hypothesis import strategies as st

import connectnet as cn
from connectnet import build
from connectnet.build import (
    AttendanceSummary,
    attendance_graph,
    attendance_summary,
    coattendance_edges,
    coattendance_graph,
    contact_graph,
    organisation_graph,
    sector_graph,
    snapshots,
)
from connectnet.data import Dataset

REPORT_COLUMNS = ["table", "row", "column", "value", "action", "reason"]


def make_dataset(
    people: pd.DataFrame,
    attendance: pd.DataFrame | None = None,
    *,
    events: pd.DataFrame | None = None,
    organisations: pd.DataFrame | None = None,
    contacts: pd.DataFrame | None = None,
    source: str | None = "test",
) -> Dataset:
    """A Dataset from small tables, filling the absent ones with empty tables."""
    if attendance is None:
        attendance = pd.DataFrame({"event_id": [], "person_id": []}, dtype=object)
    if events is None:
        ids = pd.unique(attendance["event_id"])
        events = pd.DataFrame(
            {"date": pd.Series(pd.NaT, index=range(len(ids)), dtype="datetime64[ns]")}
        ).set_index(pd.Index(ids, name="event_id", dtype=object))
    if organisations is None:
        organisations = pd.DataFrame(
            {"sector": pd.Series(dtype=object)},
            index=pd.Index([], name="organisation_id", dtype=object),
        )
    if contacts is None:
        contacts = pd.DataFrame(
            {c: pd.Series(dtype=object) for c in ("source", "target", "wave", "kind")}
        ).assign(date=pd.Series(dtype="datetime64[ns]"), weight=pd.Series(dtype="float64"))
    report = pd.DataFrame({c: pd.Series(dtype=object) for c in REPORT_COLUMNS})
    return Dataset(
        people=people,
        organisations=organisations,
        events=events,
        attendance=attendance,
        contacts=contacts,
        load_report=report,
        source=source,
    )


def _ids(values: list[str], name: str) -> pd.Index:
    return pd.Index(values, name=name, dtype=object)


@pytest.fixture
def small() -> Dataset:
    """Six people, two organisations (plus one with nobody), three events, contacts.

    e1 (10 Jan): p1 p2 p3      e2 (5 Mar): p1 p3 p4 p5      e3 (1 Jul): p2
    p1, p2, p6: org A (NHS); p3, p4: org B (prison); p5: no organisation (civil);
    p6 attended nothing.  The events table lists e3 first to test date ordering.
    """
    people = pd.DataFrame(
        {
            "name": ["Ann", "Bob", "Cat", "Dan", "Eve", "Fay"],
            "organisation_id": ["A", "A", "B", "B", None, "A"],
            "sector": ["NHS", "NHS", "prison", "prison", "civil", "NHS"],
            "role": ["nurse", None, "governor", "officer", "policy", np.nan],
        },
        index=_ids(["p1", "p2", "p3", "p4", "p5", "p6"], "person_id"),
    ).astype(object)
    organisations = pd.DataFrame(
        {"sector": ["NHS", "prison", "civil"], "name": ["Trust", "HMP", "Office"]},
        index=_ids(["A", "B", "C"], "organisation_id"),
    ).astype(object)
    events = pd.DataFrame(
        {
            "date": pd.to_datetime(["2024-07-01", "2024-01-10", "2024-03-05"]),
            "title": ["Follow-up", "Launch", "Regional"],
        },
        index=_ids(["e3", "e1", "e2"], "event_id"),
    )
    attendance = pd.DataFrame(
        {
            "event_id": ["e1", "e1", "e1", "e2", "e2", "e2", "e2", "e3"],
            "person_id": ["p1", "p2", "p3", "p1", "p3", "p4", "p5", "p2"],
        },
        dtype=object,
    )
    contacts = pd.DataFrame(
        {
            "source": ["p1", "p1", "p2", "p3", "p4", "p5", "p1"],
            "target": ["p2", "p2", "p1", "p1", "p4", "p3", "p3"],
            "wave": ["1", "1", "2", "1", "2", "2", None],
            "date": pd.to_datetime(
                [
                    "2024-01-15",
                    "2024-02-01",
                    "2024-06-01",
                    "2024-01-20",
                    "2024-06-02",
                    "2024-06-03",
                    "2024-04-01",
                ]
            ),
            "weight": [1.0, 2.0, 1.0, 1.0, 1.0, 3.0, 1.0],
            "kind": ["work"] * 7,
        }
    ).astype({"source": object, "target": object, "wave": object, "kind": object})
    return make_dataset(
        people, attendance, events=events, organisations=organisations, contacts=contacts
    )


def _weights(G: nx.Graph) -> dict[frozenset, float]:
    return {frozenset((u, v)): w for u, v, w in G.edges(data="weight")}


def _pairs(*items: tuple[str, str, float]) -> dict[frozenset, float]:
    return {frozenset((a, b)): w for a, b, w in items}


# --------------------------------------------------------------- co-attendance


def test_count_weights_hand_checked(small: Dataset) -> None:
    # e1 gives pairs 12 13 23; e2 gives 13 14 15 34 35 45; so 13 shares two events.
    G = coattendance_graph(small)
    assert _weights(G) == _pairs(
        ("p1", "p2", 1), ("p1", "p3", 2), ("p2", "p3", 1), ("p1", "p4", 1),
        ("p1", "p5", 1), ("p3", "p4", 1), ("p3", "p5", 1), ("p4", "p5", 1),
    )  # fmt: skip
    assert G["p1"]["p3"]["shared_events"] == 2
    assert set(G) == {"p1", "p2", "p3", "p4", "p5", "p6"}  # p6 kept as an isolate
    assert G.graph["created_with"] == "connectnet.coattendance_graph"
    assert G.graph["weight"] == "count"
    assert G.graph["source"] == "test"


def test_jaccard_weights_hand_checked(small: Dataset) -> None:
    # events attended: p1 {e1,e2}, p2 {e1,e3}, p3 {e1,e2}, p4 {e2}, p5 {e2}
    # J(1,2) = |{e1}| / |{e1,e2,e3}| = 1/3; J(1,3) = 2/2; J(1,4) = 1/2; J(4,5) = 1/1
    w = _weights(coattendance_graph(small, weight="jaccard"))
    expected = _pairs(
        ("p1", "p2", 1 / 3), ("p1", "p3", 1.0), ("p2", "p3", 1 / 3), ("p1", "p4", 0.5),
        ("p1", "p5", 0.5), ("p3", "p4", 0.5), ("p3", "p5", 0.5), ("p4", "p5", 1.0),
    )  # fmt: skip
    assert w.keys() == expected.keys()
    for k, v in expected.items():
        assert w[k] == pytest.approx(v)


def test_newman_weights_hand_checked(small: Dataset) -> None:
    # e1 has 3 attendees: 1/(3-1) = 1/2 per pair; e2 has 4: 1/3 per pair; e3 alone: none.
    w = _weights(coattendance_graph(small, weight="newman"))
    expected = _pairs(
        ("p1", "p2", 1 / 2), ("p1", "p3", 1 / 2 + 1 / 3), ("p2", "p3", 1 / 2),
        ("p1", "p4", 1 / 3), ("p1", "p5", 1 / 3), ("p3", "p4", 1 / 3),
        ("p3", "p5", 1 / 3), ("p4", "p5", 1 / 3),
    )  # fmt: skip
    assert w.keys() == expected.keys()
    for k, v in expected.items():
        assert w[k] == pytest.approx(v)


def test_edges_table_matches_graph(small: Dataset) -> None:
    edges = coattendance_edges(small, weight="newman")
    assert list(edges.columns) == ["source", "target", "weight", "shared_events"]
    G = coattendance_graph(small, weight="newman")
    assert len(edges) == G.number_of_edges()
    for s, t, w, k in edges.itertuples(index=False):
        assert G[s][t]["weight"] == pytest.approx(w)
        assert G[s][t]["shared_events"] == k
    # sorted by people order: source before target
    order = {p: i for i, p in enumerate(small.people.index)}
    pos = [(order[s], order[t]) for s, t in zip(edges["source"], edges["target"], strict=True)]
    assert pos == sorted(pos)
    assert all(a < b for a, b in pos)


def test_min_weight_events_and_isolates(small: Dataset) -> None:
    G = coattendance_graph(small, min_weight=2, include_isolates=False)
    assert set(G) == {"p1", "p3"}
    assert _weights(G) == _pairs(("p1", "p3", 2))
    # only e1: a triangle; p4, p5, p6 remain as isolates
    H = coattendance_graph(small, events=["e1"])
    assert _weights(H) == _pairs(("p1", "p2", 1), ("p1", "p3", 1), ("p2", "p3", 1))
    assert H.number_of_nodes() == 6
    assert H.graph["events"] == ["e1"]
    # a jaccard threshold keeps weights >= 0.5 only
    J = coattendance_graph(small, weight="jaccard", min_weight=0.5)
    assert min(w for _, _, w in J.edges(data="weight")) == 0.5
    assert J.number_of_edges() == 6


def test_node_attributes_skip_missing(small: Dataset) -> None:
    G = coattendance_graph(small)
    assert G.nodes["p1"] == {
        "name": "Ann",
        "organisation_id": "A",
        "organisation_name": "Trust",  # from the organisations table
        "sector": "NHS",
        "role": "nurse",
        "kind": "person",
    }
    assert "organisation_id" not in G.nodes["p5"]  # None left out
    assert "role" not in G.nodes["p2"]
    assert "role" not in G.nodes["p6"]  # nan left out, not stored as float nan
    # exports that reject nan/None attributes work
    text = "".join(nx.generate_gexf(G))
    assert "Ann" in text


def test_dataframe_input_with_people() -> None:
    att = pd.DataFrame({"event_id": ["x", "x", "y", "y"], "person_id": [3, 1, 1, 2]})
    people = pd.DataFrame({"person_id": [1, 2, 3, 4], "sector": ["a", "b", "a", "b"]})
    G = coattendance_graph(att, people=people)
    assert set(G) == {1, 2, 3, 4}
    assert _weights(G) == _pairs((1, 3, 1), (1, 2, 1))
    assert G.nodes[4] == {"sector": "b", "kind": "person"}
    assert G.graph["source"] is None


def test_repeated_rows_count_once() -> None:
    att = pd.DataFrame({"event_id": ["e", "e", "e"], "person_id": ["a", "b", "a"]})
    edges = coattendance_edges(att, weight="jaccard")
    assert edges["weight"].tolist() == [1.0]
    assert edges["shared_events"].tolist() == [1]


def test_davis_southern_women_matches_networkx() -> None:
    B = nx.davis_southern_women_graph()
    women = B.graph["top"]
    att = pd.DataFrame([(e, w) for w in women for e in B[w]], columns=["event_id", "person_id"])
    ours = coattendance_graph(att)
    ref = nx.bipartite.weighted_projected_graph(B, women)
    assert set(ours) == set(ref)
    assert _weights(ours) == _weights(ref)  # exact: integer counts
    assert ours.number_of_edges() == ref.number_of_edges() == 139


def test_pair_budget_names_largest_events(small: Dataset) -> None:
    # e2 forms 6 pairs and e1 3: 9 in all, 9 x 40 = 360 bytes, over a budget of 5 pairs.
    per_pair = build._BYTES_PER_PAIR
    with pytest.raises(ValueError, match=r"9 person pairs.*'e2' \(4 people, 6 pairs\)"):
        coattendance_edges(small, max_memory=5 * per_pair)
    with pytest.raises(ValueError, match="max_event_size"):
        coattendance_graph(small, max_memory=5 * per_pair)
    # the message says how much memory is needed and how much of it the listed events cause
    with pytest.raises(ValueError, match=r"needs about 0\.0 GB.*\(100% of the pairs\)"):
        coattendance_edges(small, max_memory=5 * per_pair)
    coattendance_edges(small, max_memory=9 * per_pair)  # exactly at the budget: fine
    # leaving out events above 3 people fits the budget
    G = coattendance_graph(small, max_memory=5 * per_pair, max_event_size=3)
    assert G.graph["dropped_events"] == ["e2"]
    assert coattendance_edges(small, max_event_size=3).attrs["dropped_events"] == ["e2"]
    assert _weights(G) == _pairs(("p1", "p2", 1), ("p1", "p3", 1), ("p2", "p3", 1))


def test_coattendance_errors(small: Dataset) -> None:
    with pytest.raises(ValueError, match="`weight` must be one of"):
        coattendance_graph(small, weight="cosine")
    with pytest.raises(ValueError, match="unknown event id"):
        coattendance_edges(small, events=["e1", "nope"])
    with pytest.raises(ValueError, match="needs columns"):
        coattendance_edges(pd.DataFrame({"event": ["e"], "person_id": ["p"]}))
    with pytest.raises(ValueError, match="no `person_id`"):
        coattendance_edges(pd.DataFrame({"event_id": ["e"], "person_id": [None]}))
    with pytest.raises(TypeError, match="`people` is taken from the Dataset"):
        coattendance_graph(small, people=small.people)
    with pytest.raises(TypeError, match="`data` must be"):
        coattendance_graph([("e", "p")])
    with pytest.raises(ValueError, match="`max_event_size` must be"):
        coattendance_graph(small, max_event_size=0)


# ------------------------------------------------------------------- bipartite


def test_attendance_graph_ids_never_merge() -> None:
    # person "1" and event "1" share an id: they must stay two nodes.
    att = pd.DataFrame({"event_id": ["1", "1", "2"], "person_id": ["1", "2", "1"]})
    B = attendance_graph(att)
    assert B.number_of_nodes() == 4
    assert B.has_edge(("person", "1"), ("event", "1"))
    assert B.nodes["person", "1"]["kind"] == "person"
    assert B.nodes["event", "1"]["kind"] == "event"
    top = {n for n, d in B.nodes(data="bipartite") if d == 0}
    assert top == {("person", "1"), ("person", "2")}
    assert nx.is_bipartite(B)


def test_attendance_graph_attributes(small: Dataset) -> None:
    B = attendance_graph(small)
    assert B.number_of_nodes() == 6 + 3
    assert B.number_of_edges() == 8
    assert B.nodes["event", "e1"] == {
        "date": "2024-01-10",
        "title": "Launch",
        "kind": "event",
        "bipartite": 1,
    }
    assert B.nodes["person", "p3"]["sector"] == "prison"
    assert B.degree[("person", "p6")] == 0
    assert ("person", "p6") not in attendance_graph(small, include_isolates=False)
    # the bipartite projection recovers the co-attendance counts
    P = nx.bipartite.weighted_projected_graph(B, [n for n in B if n[0] == "person"])
    assert {frozenset(k[1] for k in e): w for *e, w in P.edges(data="weight")} == _weights(
        coattendance_graph(small)
    )


# -------------------------------------------------------------------- contacts


def test_contact_graph_directed(small: Dataset) -> None:
    D = contact_graph(small)
    assert isinstance(D, nx.DiGraph)
    assert set(D) == set(small.people.index)
    # p1 -> p2 reported twice (weights 1 + 2); p4 -> p4 dropped
    assert D["p1"]["p2"] == {"weight": 3.0, "contacts": 2}
    assert D["p2"]["p1"]["weight"] == 1.0
    assert D["p5"]["p3"]["weight"] == 3.0
    assert D.number_of_edges() == 5
    assert D.graph["self_contacts_dropped"] == 1
    assert D.graph["wave"] is None


@pytest.mark.parametrize(
    ("rule", "expected"),
    [
        # either direction, weight 1
        ("union", {("p1", "p2"): 1.0, ("p1", "p3"): 1.0, ("p3", "p5"): 1.0}),
        # both directions reported: 1<->2 and 1<->3 (p3->p1 and p1->p3)
        ("mutual", {("p1", "p2"): 1.0, ("p1", "p3"): 1.0}),
        # larger reported weight: max(3, 1), max(1, 1), 3
        ("max", {("p1", "p2"): 3.0, ("p1", "p3"): 1.0, ("p3", "p5"): 3.0}),
        # both weights added: 3 + 1, 1 + 1, 3
        ("sum", {("p1", "p2"): 4.0, ("p1", "p3"): 2.0, ("p3", "p5"): 3.0}),
    ],
)
def test_contact_symmetrise(small: Dataset, rule: str, expected: dict) -> None:
    U = contact_graph(small, symmetrise=rule)
    assert type(U) is nx.Graph
    assert _weights(U) == {frozenset(k): v for k, v in expected.items()}
    assert U.number_of_nodes() == 6
    if rule != "mutual":
        assert U["p3"]["p5"]["reciprocated"] is False
    assert U["p1"]["p2"]["reciprocated"] is True


def test_contact_waves(small: Dataset) -> None:
    W1 = contact_graph(small, wave="1")
    assert sorted(W1.edges(data="weight")) == [("p1", "p2", 3.0), ("p3", "p1", 1.0)]
    assert W1.graph["wave"] == ["1"]
    W12 = contact_graph(small, wave=["1", "2"])
    assert W12.number_of_edges() == 4  # the contact with no wave is left out
    assert set(W1) == set(W12)
    assert contact_graph(small, wave=1).number_of_edges() == 2  # compared as strings
    with pytest.raises(ValueError, match=r"waves found: \['1', '2'\]"):
        contact_graph(small, wave="3")
    with pytest.raises(ValueError, match="`symmetrise` must be"):
        contact_graph(small, symmetrise="both")


def test_contact_dataframe_input() -> None:
    con = pd.DataFrame({"source": ["a", "b"], "target": ["b", "c"]})
    D = contact_graph(con)
    assert sorted(D.edges(data="weight")) == [("a", "b", 1.0), ("b", "c", 1.0)]
    with pytest.raises(ValueError, match="weight <= 0"):
        contact_graph(con.assign(weight=[1, 0]))
    with pytest.raises(ValueError, match="no `wave` column"):
        contact_graph(con, wave="1")


# ---------------------------------------------------------------- contraction


def test_organisation_graph_from_dataset(small: Dataset, caplog) -> None:
    # person ties (count): A-A: 12 (1); A-B: 13 (2) + 23 (1) + 14 (1) = 4; B-B: 34 (1);
    # with p5 (no organisation): 15 + 35 + 45 = 3 -> unassigned.  Total 9.
    with caplog.at_level(logging.WARNING, logger="connectnet.build"):
        H = organisation_graph(small)
    assert "p5" in caplog.text
    assert _weights(H) == _pairs(("A", "A", 1.0), ("A", "B", 4.0), ("B", "B", 1.0))
    assert H.graph["unassigned"] == ["p5"]
    assert H.graph["unassigned_weight"] == 3.0
    assert set(H) == {"A", "B", "C"}  # C has no people but is in the organisations table
    assert H.nodes["A"] == {"sector": "NHS", "name": "Trust", "kind": "organisation", "size": 3}
    assert H.nodes["C"]["size"] == 0


def test_organisation_graph_from_graph_has_ties(small: Dataset) -> None:
    G = coattendance_graph(small)
    H = organisation_graph(G)
    assert _weights(H) == _pairs(("A", "A", 1.0), ("A", "B", 4.0), ("B", "B", 1.0))
    assert H["A"]["B"]["ties"] == 3  # 13, 23, 14
    assert H["A"]["A"]["ties"] == 1
    # sector, region and name: the most common values among the organisation's people
    assert H.nodes["A"] == {"kind": "organisation", "size": 3, "sector": "NHS", "name": "Trust"}
    assert H.graph["unassigned"] == ["p5"]
    assert H.graph["unassigned_weight"] == 3.0
    assert H.graph["from_graph"] == "connectnet.coattendance_graph"


def test_sector_graph_both_routes_agree(small: Dataset) -> None:
    # NHS-prison: 13 (2) + 23 + 14 = 4; NHS-civil: 15 = 1; prison-civil: 35 + 45 = 2;
    # within NHS: 12 = 1; within prison: 34 = 1.
    expected = _pairs(
        ("NHS", "prison", 4.0), ("NHS", "civil", 1.0), ("prison", "civil", 2.0),
        ("NHS", "NHS", 1.0), ("prison", "prison", 1.0),
    )  # fmt: skip
    from_data = sector_graph(small)
    assert _weights(from_data) == expected
    assert _weights(sector_graph(coattendance_graph(small))) == expected
    assert from_data.graph["unassigned"] == []
    assert from_data.nodes["NHS"] == {"kind": "sector", "size": 3}
    # newman: the Dataset route equals contracting the newman person graph
    a = _weights(sector_graph(small, weight="newman"))
    b = _weights(sector_graph(coattendance_graph(small, weight="newman")))
    assert a.keys() == b.keys()
    for k in a:
        assert a[k] == pytest.approx(b[k])


def test_contraction_of_directed_contacts(small: Dataset) -> None:
    H = sector_graph(contact_graph(small))
    assert isinstance(H, nx.DiGraph)
    # arcs: 1->2 (3, NHS->NHS), 2->1 (1, NHS->NHS), 3->1 (1, prison->NHS),
    # 5->3 (3, civil->prison), 1->3 (1, NHS->prison)
    assert H["NHS"]["NHS"] == {"weight": 4.0, "ties": 2}
    assert H["prison"]["NHS"]["weight"] == 1.0
    assert H["NHS"]["prison"]["weight"] == 1.0
    assert H["civil"]["prison"]["weight"] == 3.0


def test_contraction_with_nobody_assigned() -> None:
    G = nx.Graph([("a", "b")])  # no organisation_id anywhere: everyone reported
    H = organisation_graph(G)
    assert H.number_of_nodes() == 0
    assert H.graph["unassigned"] == ["a", "b"]
    assert H.graph["unassigned_weight"] == 1.0


def test_contraction_errors(small: Dataset) -> None:
    with pytest.raises(ValueError, match="`weight` must be one of"):
        organisation_graph(small, weight="jaccard")
    with pytest.raises(ValueError, match="apply only to a Dataset"):
        sector_graph(coattendance_graph(small), weight="newman")
    with pytest.raises(TypeError, match=r"networkx graph or a connectnet\.Dataset"):
        sector_graph(small.people)
    with pytest.raises(TypeError, match="multigraph"):
        sector_graph(nx.MultiGraph())
    with pytest.raises(ValueError, match="not a column"):
        organisation_graph(small, by="trust")


# -------------------------------------------------------------------- snapshots


def test_contact_snapshots_by_wave(small: Dataset) -> None:
    snaps = snapshots(small, kind="contact", by="wave")
    assert list(snaps) == ["1", "2"]
    assert [G.number_of_edges() for G in snaps.values()] == [2, 2]
    cum = snapshots(small, by="wave", cumulative=True)
    assert [G.number_of_edges() for G in cum.values()] == [2, 4]
    assert all(set(G) == set(small.people.index) for G in [*snaps.values(), *cum.values()])
    assert cum["2"].graph["snapshot"] == "2"
    assert cum["2"].graph["cumulative"] is True


def test_contact_snapshots_by_period(small: Dataset) -> None:
    # dates: Jan (3 contacts), Feb... -> quarters: Q1 3 rows (2 distinct arcs),
    # Q2 4 rows (6 Apr: 1->3; June: 2->1, 4->4 dropped, 5->3)
    snaps = snapshots(small, by="QS")
    assert list(snaps) == [pd.Timestamp("2024-01-01"), pd.Timestamp("2024-04-01")]
    assert [G.number_of_edges() for G in snaps.values()] == [2, 3]
    months = snapshots(small, by="MS", symmetrise="union")
    assert len(months) == 6  # Jan..Jun, empty months included
    assert months[pd.Timestamp("2024-03-01")].number_of_edges() == 0
    assert len({frozenset(G) for G in months.values()}) == 1


def test_coattendance_snapshots_by_event(small: Dataset) -> None:
    snaps = snapshots(small, kind="coattendance", by="event")
    assert list(snaps) == ["e1", "e2", "e3"]  # date order, not table order
    assert [G.number_of_edges() for G in snaps.values()] == [3, 6, 0]
    cum = snapshots(small, kind="coattendance", by="event", cumulative=True)
    # e1 ∪ e2 = 3 + 6 - 1 shared pair (p1, p3)
    assert [G.number_of_edges() for G in cum.values()] == [3, 8, 8]
    assert cum["e2"]["p1"]["p3"]["weight"] == 2.0
    periods = snapshots(small, kind="coattendance", by="6MS")
    assert [G.number_of_edges() for G in periods.values()] == [8, 0]


def test_snapshot_errors(small: Dataset) -> None:
    with pytest.raises(ValueError, match="kind='coattendance'"):
        snapshots(small, by="event")
    with pytest.raises(ValueError, match="`wave` column in the events table"):
        snapshots(small, kind="coattendance", by="wave")
    with pytest.raises(ValueError, match="pandas offset"):
        snapshots(small, by="fortnightly")
    with pytest.raises(ValueError, match="`kind` must be"):
        snapshots(small, kind="friends")
    with pytest.raises(TypeError, match=r"connectnet\.Dataset"):
        snapshots(small.contacts)


# ---------------------------------------------------------------------- summary


def test_attendance_summary(small: Dataset) -> None:
    s = attendance_summary(small)
    assert isinstance(s, AttendanceSummary)
    ev = s.events
    assert ev.index.tolist() == ["e1", "e2", "e3"]
    assert ev["attendees"].tolist() == [3, 4, 1]
    # e1: p1 p2 p3 new; e2: p4 p5 new, p1 p3 return; e3: p2 returns
    assert ev["first_timers"].tolist() == [3, 2, 0]
    assert ev["returners"].tolist() == [0, 2, 1]
    # one series: e1 is its first event; 2 of e2's 4 were at e1; e3's only attendee was
    assert np.isnan(ev["retention"].iloc[0])
    assert ev["retention"].iloc[1:].tolist() == pytest.approx([2 / 4, 1.0])
    assert ev["sector_NHS"].tolist() == [2, 1, 1]
    assert ev["sector_prison"].tolist() == [1, 2, 0]
    assert ev["sector_civil"].tolist() == [0, 1, 0]
    ppl = s.people
    assert ppl.loc["p1", "events_attended"] == 2
    assert ppl.loc["p1", "first_event"] == "e1"
    assert ppl.loc["p2", "last_event"] == "e3"
    assert ppl.loc["p2", "last_date"] == pd.Timestamp("2024-07-01")
    assert ppl.loc["p6", "events_attended"] == 0
    assert ppl.loc["p6", "first_event"] is None
    assert pd.isna(ppl.loc["p6", "first_date"])
    assert "6 people" in repr(s)


# ------------------------------------------------------------------ properties

attendance_rows = st.lists(
    st.tuples(st.integers(0, 9), st.integers(0, 5)), min_size=0, max_size=40
)


def _frame(rows: list[tuple[int, int]]) -> pd.DataFrame:
    return pd.DataFrame(
        {"event_id": [f"e{e}" for _, e in rows], "person_id": [f"p{p}" for p, _ in rows]},
        dtype=object,
    )


def _brute_force(rows: list[tuple[int, int]]) -> dict[str, dict[frozenset, Fraction]]:
    events: dict[str, set[str]] = {}
    for p, e in rows:
        events.setdefault(f"e{e}", set()).add(f"p{p}")
    attended: dict[str, set[str]] = {}
    for e, ps in events.items():
        for p in ps:
            attended.setdefault(p, set()).add(e)
    count: dict[frozenset, Fraction] = {}
    newman: dict[frozenset, Fraction] = {}
    for _e, ps in events.items():
        for a in ps:
            for b in ps:
                if a < b:
                    k = frozenset((a, b))
                    count[k] = count.get(k, Fraction(0)) + 1
                    newman[k] = newman.get(k, Fraction(0)) + Fraction(1, len(ps) - 1)
    jaccard = {k: c / len(attended[min(k)] | attended[max(k)]) for k, c in count.items()}
    return {"count": count, "jaccard": jaccard, "newman": newman}


@settings(deadline=None, max_examples=40)
@given(rows=attendance_rows, weight=st.sampled_from(["count", "jaccard", "newman"]))
def test_weights_equal_brute_force_and_are_order_free(rows, weight) -> None:
    att = _frame(rows)
    before = att.copy()
    edges = coattendance_edges(att, weight=weight)
    pd.testing.assert_frame_equal(att, before)  # input not mutated
    got = {
        frozenset((s, t)): w
        for s, t, w in zip(edges["source"], edges["target"], edges["weight"], strict=True)
    }
    expected = _brute_force(rows)[weight]
    assert got.keys() == expected.keys()
    for k, v in expected.items():
        assert got[k] == pytest.approx(float(v))
    # symmetric: reversing the rows reverses the people order but not the weights
    rev = coattendance_edges(att.iloc[::-1], weight=weight)
    got_rev = {
        frozenset((s, t)): w
        for s, t, w in zip(rev["source"], rev["target"], rev["weight"], strict=True)
    }
    assert got_rev.keys() == got.keys()
    for k, v in got.items():
        assert got_rev[k] == pytest.approx(v)
    if weight == "jaccard":
        assert ((edges["weight"] > 0) & (edges["weight"] <= 1)).all()


@settings(deadline=None, max_examples=40)
@given(rows=attendance_rows)
def test_count_at_most_events_of_either(rows) -> None:
    att = _frame(rows)
    G = coattendance_graph(att)
    attended = att.drop_duplicates().groupby("person_id").size()
    for u, v, w in G.edges(data="weight"):
        assert w <= min(attended[u], attended[v])
    assert set(G) == set(att["person_id"])


@settings(deadline=None, max_examples=40)
@given(rows=attendance_rows, event=st.integers(0, 5))
def test_newman_weights_of_one_event_sum_to_half_attendees(rows, event) -> None:
    att = _frame([*rows, (0, event), (1, event)])  # at least two attendees
    unique = att.drop_duplicates()
    n_e = int((unique["event_id"] == f"e{event}").sum())
    edges = coattendance_edges(att, weight="newman", events=[f"e{event}"])
    assert edges["weight"].sum() == pytest.approx(n_e / 2)


@settings(deadline=None, max_examples=30)
@given(
    rows=attendance_rows,
    orgs=st.lists(st.sampled_from(["A", "B", "C", None]), min_size=10, max_size=10),
    weight=st.sampled_from(["count", "newman"]),
)
def test_contraction_preserves_total_weight(rows, orgs, weight) -> None:
    people = pd.DataFrame(
        {
            "organisation_id": orgs,
            "sector": [o.lower() if o else "unknown" for o in orgs],
        },
        index=_ids([f"p{i}" for i in range(10)], "person_id"),
    ).astype(object)
    data = make_dataset(people, _frame(rows))
    G = coattendance_graph(data, weight=weight)
    G_before = nx.to_dict_of_dicts(G)
    total = G.size(weight="weight")
    for H in (organisation_graph(G), organisation_graph(data, weight=weight)):
        assert H.size(weight="weight") + H.graph["unassigned_weight"] == pytest.approx(total)
        assert H.graph["unassigned"] == [
            p for p, o in zip(people.index, orgs, strict=True) if o is None
        ]
    assert nx.to_dict_of_dicts(G) == G_before  # input graph not mutated
    S = sector_graph(data, weight=weight)
    assert S.size(weight="weight") == pytest.approx(total)
    assert sum(d for _, d in S.nodes(data="size")) == 10
    # the two routes agree tie by tie, not only in total
    for func in (organisation_graph, sector_graph):
        a = _weights(func(data, weight=weight))
        b = _weights(func(G))
        assert a.keys() == b.keys()
        for k, v in b.items():
            assert a[k] == pytest.approx(v)


@settings(deadline=None, max_examples=30)
@given(rows=attendance_rows, cumulative=st.booleans())
def test_snapshots_share_node_set(rows, cumulative) -> None:
    people = pd.DataFrame(
        {"sector": ["x"] * 10}, index=_ids([f"p{i}" for i in range(10)], "person_id")
    ).astype(object)
    att = _frame(rows)
    ids = pd.unique(att["event_id"])
    events = pd.DataFrame(
        {"date": pd.date_range("2024-01-01", periods=len(ids), freq="20D")},
        index=pd.Index(ids, name="event_id", dtype=object),
    )
    data = make_dataset(people, att, events=events)
    for by in ("event", "2MS"):
        snaps = snapshots(data, kind="coattendance", by=by, cumulative=cumulative)
        assert all(set(G) == set(people.index) for G in snaps.values())
    if cumulative and len(ids):
        last = list(snaps.values())[-1]
        assert _weights(last) == _weights(coattendance_graph(data))


def test_dataset_tables_not_mutated(small: Dataset) -> None:
    before = {
        name: getattr(small, name).copy()
        for name in ("people", "organisations", "events", "attendance", "contacts")
    }
    attendance_graph(small)
    coattendance_graph(small, weight="newman", events=["e1", "e2"], max_event_size=3)
    contact_graph(small, wave="1", symmetrise="sum")
    organisation_graph(small)
    sector_graph(coattendance_graph(small))
    snapshots(small, by="QS", cumulative=True)
    snapshots(small, kind="coattendance", by="event")
    attendance_summary(small)
    for name, frame in before.items():
        pd.testing.assert_frame_equal(getattr(small, name), frame)


# ------------------------------------------------------------ review additions


def _davis() -> tuple[nx.Graph, list[str], pd.DataFrame]:
    B = nx.davis_southern_women_graph()
    women = B.graph["top"]
    att = pd.DataFrame([(e, w) for w in women for e in B[w]], columns=["event_id", "person_id"])
    return B, women, att


def test_davis_jaccard_and_newman_match_networkx() -> None:
    # networkx's overlap_weighted_projected_graph(jaccard=True) is |N(u) ∩ N(v)| /
    # |N(u) ∪ N(v)| and collaboration_weighted_projected_graph is Σ 1/(deg(e) − 1):
    # the same definitions as ours, computed independently by networkx in Python loops.
    B, women, att = _davis()
    refs = {
        "jaccard": nx.bipartite.overlap_weighted_projected_graph(B, women, jaccard=True),
        "newman": nx.bipartite.collaboration_weighted_projected_graph(B, women),
    }
    for weight, ref in refs.items():
        ours = _weights(coattendance_graph(att, weight=weight))
        theirs = _weights(ref)
        assert ours.keys() == theirs.keys()
        for k, v in theirs.items():
            assert ours[k] == pytest.approx(v, rel=1e-12), (weight, k)


def test_contact_respondents_directed_symmetrised_and_waves() -> None:
    # a and b name each other in wave 1; c names only themselves and d names a in wave 2.
    # respondents = people with at least one row as `source` in the selected wave(s),
    # a self-contact included (c answered the survey, badly); e never answered.
    con = pd.DataFrame(
        {
            "source": ["a", "b", "c", "d"],
            "target": ["b", "a", "c", "a"],
            "wave": ["1", "1", "2", "2"],
        }
    )
    people = pd.DataFrame({"sector": ["x"] * 5}, index=_ids(list("abcde"), "person_id"))
    for rule in (None, "union", "mutual", "max", "sum"):
        assert contact_graph(con, people=people, symmetrise=rule).graph["respondents"] == [
            "a",
            "b",
            "c",
            "d",
        ]
        assert contact_graph(con, people=people, wave="2", symmetrise=rule).graph[
            "respondents"
        ] == ["c", "d"]
    # mutual keeps only a-b, yet d (whose only tie was one-sided) still answered wave 2
    M = contact_graph(con, people=people, wave="2", symmetrise="mutual")
    assert M.number_of_edges() == 0
    assert M.graph["respondents"] == ["c", "d"]


def test_contact_snapshot_respondents(small: Dataset) -> None:
    # wave 1 sources: p1, p3; wave 2 sources: p2, p4 (self only), p5.
    snaps = snapshots(small, by="wave")
    assert snaps["1"].graph["respondents"] == ["p1", "p3"]
    assert snaps["2"].graph["respondents"] == ["p2", "p4", "p5"]
    cum = snapshots(small, by="wave", cumulative=True, symmetrise="union")
    assert cum["2"].graph["respondents"] == ["p1", "p2", "p3", "p4", "p5"]


def test_numeric_wave_labels_match_across_types() -> None:
    # A wave column of 1, 2 with a blank cell is read by pandas as 1.0, 2.0, NaN: asking
    # for wave=1 or "1" must still find wave 1.0.
    con = pd.DataFrame(
        {"source": ["a", "b", "c"], "target": ["b", "c", "a"], "wave": [1, 2, np.nan]}
    )
    assert sorted(contact_graph(con, wave=1).edges) == [("a", "b")]
    assert sorted(contact_graph(con, wave="2").edges) == [("b", "c")]
    assert contact_graph(con, wave=[1.0, "2"]).number_of_edges() == 2
    with pytest.raises(ValueError, match=r"waves found: \['1', '2'\]"):
        contact_graph(con, wave=3)


def test_contact_weights_must_be_numbers() -> None:
    # "strong" used to become weight 1 silently; a blank weight still means 1.
    con = pd.DataFrame({"source": ["a", "b"], "target": ["b", "c"], "weight": ["2", "strong"]})
    with pytest.raises(ValueError, match="not a number"):
        contact_graph(con)
    ok = contact_graph(con.assign(weight=["2", None]))
    assert sorted(ok.edges(data="weight")) == [("a", "b", 2.0), ("b", "c", 1.0)]


def test_ids_missing_from_people_table_are_reported(caplog) -> None:
    # people ids read as integers, attendance ids as text: nothing matches, so every
    # attendee becomes a second, attribute-less node. That must not pass silently.
    att = pd.DataFrame({"event_id": ["e", "e"], "person_id": ["1", "2"]})
    people = pd.DataFrame({"person_id": [1, 2, 3], "sector": ["a", "b", "c"]})
    with caplog.at_level(logging.WARNING, logger="connectnet.build"):
        G = coattendance_graph(att, people=people)
    assert G.number_of_nodes() == 5
    assert "2 person id(s)" in caplog.text
    assert "not in the people table" in caplog.text
    caplog.clear()
    con = pd.DataFrame({"source": ["1"], "target": [2]})
    with caplog.at_level(logging.WARNING, logger="connectnet.build"):
        contact_graph(con, people=people)
    assert "1 person id(s)" in caplog.text


def test_events_accepts_a_single_id() -> None:
    att = pd.DataFrame({"event_id": [1, 1, 2, 2], "person_id": ["a", "b", "b", "c"]})
    assert _weights(coattendance_graph(att, events=1)) == _pairs(("a", "b", 1.0))
    assert _weights(coattendance_graph(att, events=[2])) == _pairs(("b", "c", 1.0))


def test_snapshot_options_for_the_other_kind_are_rejected(small: Dataset) -> None:
    # weight= only means something for co-attendance, symmetrise= only for contacts;
    # silently ignoring them would hand back graphs the caller did not ask for.
    with pytest.raises(ValueError, match="`weight` applies only to kind='coattendance'"):
        snapshots(small, by="wave", weight="newman")
    with pytest.raises(ValueError, match="`symmetrise` applies only to kind='contact'"):
        snapshots(small, kind="coattendance", by="event", symmetrise="union")


def test_coattendance_snapshots_by_wave_report_unwaved_events(small: Dataset, caplog) -> None:
    events = small.events.assign(wave=["2", "1", None])  # e3, e1, e2
    data = make_dataset(
        small.people, small.attendance, events=events, organisations=small.organisations
    )
    with caplog.at_level(logging.WARNING, logger="connectnet.build"):
        snaps = snapshots(data, kind="coattendance", by="wave")
    assert list(snaps) == ["1", "2"]
    assert [G.number_of_edges() for G in snaps.values()] == [3, 0]  # e1 triangle; e3 alone
    assert "1 event(s) with no wave" in caplog.text


@pytest.fixture
def regional() -> Dataset:
    """Parallel regional meetings: the previous event in date order is another region's.

    r1 North 1 Feb: a b     r2 South 2 Feb: c d     r3 North 1 Mar: a b e
    r4 South 1 Mar: c x     (r3 and r4 share a date; r3 is listed first)
    """
    people = pd.DataFrame(
        {"sector": ["NHS", "NHS", "prison", "prison", "civil", "civil"]},
        index=_ids(["a", "b", "c", "d", "e", "x"], "person_id"),
    ).astype(object)
    events = pd.DataFrame(
        {
            "date": pd.to_datetime(["2024-02-01", "2024-02-02", "2024-03-01", "2024-03-01"]),
            "region": ["North", "South", "North", "South"],
        },
        index=_ids(["r1", "r2", "r3", "r4"], "event_id"),
    ).astype({"region": object})
    att = pd.DataFrame(
        {
            "event_id": ["r1", "r1", "r2", "r2", "r3", "r3", "r3", "r4", "r4"],
            "person_id": ["a", "b", "c", "d", "a", "b", "e", "c", "x"],
        },
        dtype=object,
    )
    return make_dataset(people, att, events=events)


def test_attendance_summary_retention_within_series(regional: Dataset) -> None:
    s = attendance_summary(regional)  # no programme column: one series
    ev = s.events
    # date order, the same-date tie in table order: r1 r2 r3 r4
    assert ev.index.tolist() == ["r1", "r2", "r3", "r4"]
    assert ev["series"].tolist() == [None] * 4
    # first_timers/returners look at every earlier event: r3 a b back, e new; r4 c back.
    assert ev["first_timers"].tolist() == [2, 2, 1, 1]
    assert ev["returners"].tolist() == [0, 0, 2, 1]
    # one series: retention = returners / attendees after the first event
    assert np.isnan(ev["retention"].iloc[0])
    assert ev["retention"].iloc[1:].tolist() == pytest.approx([0.0, 2 / 3, 1 / 2])
    r = attendance_summary(regional, series="region").events
    # r1 (North) and r2 (South) open their series; r3: a, b of 3 were at r1 (North);
    # r4: c of 2 was at r2 (South)
    assert r["series"].tolist() == ["North", "South", "North", "South"]
    assert np.isnan(r["retention"].iloc[0])
    assert np.isnan(r["retention"].iloc[1])
    assert r["retention"].iloc[2:].tolist() == pytest.approx([2 / 3, 1 / 2])
    # the series only changes retention; everything else is identical
    cols = [c for c in ev.columns if c not in ("retention", "series")]
    pd.testing.assert_frame_equal(ev[cols], r[cols])
    pd.testing.assert_frame_equal(s.people, attendance_summary(regional, series="region").people)


def test_retention_counts_returns_from_any_earlier_event_of_the_series() -> None:
    # a: e1, e3; b: e2, e3 (series X = e1, e3; Y = e2). At e3 both a and b came before,
    # but only a within series X: retention 1/2 (by date alone the previous event e2
    # holds only b).
    att = pd.DataFrame({"event_id": ["e1", "e2", "e3", "e3"], "person_id": ["a", "b", "a", "b"]})
    events = pd.DataFrame(
        {"date": pd.to_datetime(["2024-01-01", "2024-02-01", "2024-03-01"]), "s": list("XYX")},
        index=pd.Index(["e1", "e2", "e3"], name="event_id"),
    )
    data = make_dataset(
        pd.DataFrame(index=pd.Index(["a", "b"], name="person_id")), att, events=events
    )
    ev = attendance_summary(data, series="s").events
    assert ev["retention"].iloc[2] == 0.5
    assert np.isnan(ev["retention"].iloc[1])  # e2 opens series Y


def test_attendance_summary_series_errors_and_missing_labels(regional: Dataset) -> None:
    with pytest.raises(ValueError, match=r"`series='theme'` is not a column of the events table"):
        attendance_summary(regional, series="theme")
    att = regional.attendance
    with pytest.raises(ValueError, match="needs an events table"):
        attendance_summary(att, series="region")
    # an event with no series label has no retention and counts for no other event
    events = regional.events.assign(region=["North", "South", None, "North"])
    data = make_dataset(regional.people, att, events=events)
    ev = attendance_summary(data, series="region").events
    assert ev["series"].tolist() == ["North", "South", None, "North"]
    assert np.isnan(ev["retention"].iloc[2])
    assert ev["retention"].iloc[3] == 0.0  # r4 (c, x): neither was at r1 (a, b)


def test_docs_parallel_meetings_example_holds() -> None:
    # docs/building-graphs.md quotes these numbers for the prison_health sample; run the
    # page's example as written so the page cannot drift from the code.
    import re
    from pathlib import Path

    import connectnet as cn

    page = Path(__file__).resolve().parents[1] / "docs" / "building-graphs.md"
    blocks = re.findall(r"```python\n(.*?)```", page.read_text(encoding="utf-8"), re.S)
    (code,) = [b for b in blocks if "series=" in b]
    data = cn.load_sample("prison_health")
    programme = attendance_summary(data).events["retention"]  # one programme
    assert np.isnan(programme["E01"])  # the conference opens the programme
    assert programme.dropna().mean() == pytest.approx(0.99, abs=0.005)
    scope = {"cn": cn, "data": data}
    exec(compile(code, str(page), "exec"), scope)
    within = scope["s"].events["retention"]
    assert np.isnan(within["E01"])  # the conference is in no regional series
    assert within.dropna().mean() == pytest.approx(0.71, abs=0.005)


def test_respondents_table_adds_people_who_named_nobody():
    # p3 answered wave 1 but named nobody: only the respondents table can say so
    ds = cn.read_dataset(
        people=pd.DataFrame({"person_id": ["p1", "p2", "p3"], "sector": ["a", "b", "b"]}),
        contacts=pd.DataFrame(
            {"source": ["p1", "p2"], "target": ["p2", "p1"], "wave": ["1", "2"]}
        ),
        respondents=pd.DataFrame(
            {"person_id": ["p1", "p3", "p2", "p1"], "wave": ["1", "1", "2", "2"]}
        ),
    )
    waves = cn.snapshots(ds, kind="contact", by="wave")
    assert waves["1"].graph["respondents"] == ["p1", "p3"]
    assert waves["2"].graph["respondents"] == ["p1", "p2"]
    assert cn.contact_graph(ds, wave="1", symmetrise="union").graph["respondents"] == ["p1", "p3"]
    assert cn.contact_graph(ds).graph["respondents"] == ["p1", "p2", "p3"]
    # the change tests now compare p1 (answered both), not just people who named someone
    res = cn.tie_changes(waves["1"], waves["2"], "sector")
    assert res.attrs["n_nodes"] == 1
    hidden = cn.pseudonymise(ds, salt="a-long-salt")
    assert not set(hidden.respondents["person_id"]) & {"p1", "p2", "p3"}


def _reference_graph(G: nx.Graph) -> nx.Graph:
    """The same nodes and edges re-inserted with networkx's own add_edges_from."""
    H = G.__class__()
    H.add_nodes_from(G.nodes(data=True))
    H.add_edges_from((u, v, dict(d)) for u, v, d in G.edges(data=True))
    return H


def _adjacency_in_order(G: nx.Graph) -> list:
    out = [(u, list(nbrs.items())) for u, nbrs in G.adjacency()]
    if G.is_directed():
        out += [(v, list(G.pred[v].items())) for v in G]
    return out


@pytest.mark.parametrize("symmetrise", [None, "union", "sum"])
def test_person_graph_adjacency_equals_add_edges_from(small: Dataset, symmetrise) -> None:
    # the adjacency is written directly; it must be the graph add_edges_from gives, with
    # the same neighbour order (layouts and seeded heuristics depend on it) and one data
    # dict shared by both ends of an undirected edge
    graphs = [
        coattendance_graph(small),
        coattendance_graph(small, weight="newman", include_isolates=False),
        contact_graph(small, symmetrise=symmetrise),
    ]
    for G in graphs:
        H = _reference_graph(G)
        assert _adjacency_in_order(G) == _adjacency_in_order(H)
        if not G.is_directed():
            for u, v in G.edges():
                assert G[u][v] is G[v][u]
        else:
            for u, v in G.edges():
                assert G.succ[u][v] is G.pred[v][u]


@given(st.lists(st.tuples(st.integers(0, 7), st.integers(0, 4)), min_size=1, max_size=40))
@settings(deadline=None, max_examples=40)
def test_coattendance_graph_adjacency_property(rows) -> None:
    att = pd.DataFrame(
        {"event_id": [f"e{e}" for _, e in rows], "person_id": [f"p{p}" for p, _ in rows]}
    )
    G = coattendance_graph(att)
    edges = coattendance_edges(att)
    H = nx.Graph()
    H.add_nodes_from((p, {"kind": "person"}) for p in pd.unique(att["person_id"]))
    H.add_edges_from(
        (s, t, {"weight": w, "shared_events": c})
        for s, t, w, c in zip(
            edges["source"].astype(object),
            edges["target"].astype(object),
            edges["weight"],
            edges["shared_events"],
            strict=True,
        )
    )
    assert _adjacency_in_order(G) == _adjacency_in_order(H)


@given(
    st.lists(st.tuples(st.integers(0, 9), st.integers(0, 5)), min_size=1, max_size=50),
    st.integers(1, 40),
)
@settings(deadline=None, max_examples=60)
def test_blocked_upper_product_equals_scipy(rows, block) -> None:
    # any block size gives the strict upper triangle and diagonal of B·Bᵀ, sorted
    p = np.array([r[0] for r in rows])
    e = np.array([r[1] for r in rows])
    B = sp.csr_array((np.ones(p.size), (p, e)), shape=(10, 6))
    B.sum_duplicates()
    W = np.asarray(sp.csr_array(B @ B.T).todense())
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(build, "_PRODUCT_BLOCK", block)
        r, c, (vals,), (diag,) = build._upper_product([B], B)
    iu = np.triu_indices(10, k=1)
    nz = W[iu] != 0
    assert r.tolist() == iu[0][nz].tolist()
    assert c.tolist() == iu[1][nz].tolist()
    assert vals.tolist() == W[iu][nz].tolist()
    assert diag.tolist() == np.diag(W).tolist()


def test_blocked_products_give_the_same_graphs(small: Dataset, monkeypatch) -> None:
    # co-attendance and organisation graphs do not depend on the block size
    graphs = [
        coattendance_graph(small, weight="newman"),
        coattendance_graph(small, weight="jaccard"),
        cn.organisation_graph(small),
        cn.sector_graph(small, weight="newman"),
    ]
    monkeypatch.setattr(build, "_PRODUCT_BLOCK", 1)
    again = [
        coattendance_graph(small, weight="newman"),
        coattendance_graph(small, weight="jaccard"),
        cn.organisation_graph(small),
        cn.sector_graph(small, weight="newman"),
    ]
    for G, H in zip(graphs, again, strict=True):
        assert _adjacency_in_order(G) == _adjacency_in_order(H)


@pytest.mark.parametrize("sample", ["prison_health", "cancer_networks"])
def test_coattendance_network_gives_the_graphs_metrics(sample) -> None:
    # the report measures co-attendance from arrays: same nodes, attributes and ties as
    # coattendance_graph, so every metric it reads gives the same values
    data = cn.load_sample(sample)
    G = coattendance_graph(data)
    net = build._coattendance_network(data)
    assert net.nodes == list(G)
    assert net.number_of_edges() == G.number_of_edges()
    ties = {
        frozenset((net.nodes[a], net.nodes[b])): w
        for a, b, w in zip(net.src.tolist(), net.dst.tolist(), net.weight.tolist(), strict=True)
    }
    assert ties == {frozenset((u, v)): d["weight"] for u, v, d in G.edges(data=True)}
    a = cn.cohesion_summary(G, "sector", seed=0)
    b = cn.cohesion_summary(net, "sector", seed=0)
    pd.testing.assert_series_equal(a, b, check_exact=False, rtol=1e-12)
    pd.testing.assert_series_equal(
        cn.group_ei_index(G, "sector"), cn.group_ei_index(net, "sector")
    )
    groups = data.people["sector"].value_counts().index[:2].tolist()
    for within in (None, "region"):
        ra = cn.cross_sector_reach(G, "sector", groups[0], groups[1], within=within)
        rb = cn.cross_sector_reach(net, "sector", groups[0], groups[1], within=within)
        assert (ra.share, ra.reached, ra.not_reached) == (rb.share, rb.reached, rb.not_reached)


@pytest.mark.parametrize(
    "values",
    [
        [1, 2.0, np.nan, "1", None, "b"],
        [1.0, 2.0, np.nan],
        ["baseline", "follow-up", None, "baseline"],
        [True, 1, 0],  # True == 1 when hashed: computed per value
        [[1], [2]],  # unhashable labels: computed per value
    ],
)
def test_wave_texts_once_per_distinct_value_equals_per_value(values):
    from connectnet.build import _wave_text, _wave_texts

    series = pd.Series(values, index=pd.RangeIndex(10, 10 + len(values)))
    got = _wave_texts(series)
    want = series.astype(object).map(_wave_text)
    assert got.index.equals(series.index)
    assert got.isna().tolist() == want.isna().tolist()
    assert got[got.notna()].tolist() == want[want.notna()].tolist()
    if values[0] is True:
        assert got.tolist()[:2] == ["True", "1"]
