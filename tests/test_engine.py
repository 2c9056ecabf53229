"""The engine path (scan_dataset + DuckDB) gives exactly what the pandas path gives."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import duckdb
import networkx as nx
import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import connectnet as cn

SAMPLES = cn.list_samples()


# ----------------------------------------------------------------------- helpers


def assert_same_graph(G: nx.Graph, H: nx.Graph, *, same_source: bool = True) -> None:
    """Same nodes and attributes, same edges; integers exactly, floats to 1e-12."""
    assert dict(G.nodes(data=True)) == dict(H.nodes(data=True))
    assert list(G.nodes) == list(H.nodes)
    eg = {frozenset((u, v)): d for u, v, d in G.edges(data=True)}
    eh = {frozenset((u, v)): d for u, v, d in H.edges(data=True)}
    assert eg.keys() == eh.keys()
    for key, attrs in eg.items():
        assert attrs.keys() == eh[key].keys()
        for name, value in attrs.items():
            assert eh[key][name] == pytest.approx(value, rel=1e-12, abs=1e-12)
    graph, other = dict(G.graph), dict(H.graph)
    # the in-memory path subtracts two sums, so its remainder carries rounding noise
    assert other.pop("unassigned_weight") == pytest.approx(
        graph.pop("unassigned_weight"), abs=1e-9
    )
    if not same_source:
        graph.pop("source"), other.pop("source")
    assert graph == other


def assert_same_results(ds: cn.Dataset | cn.LazyDataset, lazy: cn.LazyDataset) -> None:
    """Every aggregation the engine runs, compared with the same call on ``ds``."""
    for weight in ("count", "newman"):
        assert_same_graph(
            cn.organisation_graph(ds, weight=weight), cn.organisation_graph(lazy, weight=weight)
        )
        assert_same_graph(cn.sector_graph(ds, weight=weight), cn.sector_graph(lazy, weight=weight))
        assert_same_graph(
            cn.organisation_graph(ds, by="region", weight=weight),
            cn.organisation_graph(lazy, by="region", weight=weight),
        )
        for by in ("organisation_id", "region"):
            assert_same_graph(
                cn.organisation_graph(ds, by=by, weight=weight, min_weight=2),
                cn.organisation_graph(lazy, by=by, weight=weight, min_weight=2),
            )
    for weight in ("count", "jaccard", "newman"):
        for min_weight in (None, 2):
            a = cn.coattendance_edges(ds, weight=weight, min_weight=min_weight)
            b = cn.coattendance_edges(lazy, weight=weight, min_weight=min_weight)
            pd.testing.assert_frame_equal(a, b, check_exact=False, rtol=1e-12, atol=0)
            assert {**a.attrs, "source": None} == {**b.attrs, "source": None}
    plain, engine = cn.attendance_summary(ds), cn.attendance_summary(lazy)
    pd.testing.assert_frame_equal(plain.events, engine.events, rtol=1e-12)
    pd.testing.assert_frame_equal(plain.people, engine.people)
    waves = ds.waves
    assert lazy.waves == waves
    for wave in [None, *waves]:
        for symmetrise in (None, "union", "mutual", "max", "sum"):
            if isinstance(ds, cn.Dataset):
                G = cn.contact_graph(ds, wave=wave, symmetrise=symmetrise)
            else:
                G = ds.contact_graph(wave=wave, symmetrise=symmetrise)
            L = lazy.contact_graph(wave=wave, symmetrise=symmetrise)
            assert_same_bridging(G, L)


def assert_same_bridging(G, L) -> None:
    for weight in (None, "weight"):
        pd.testing.assert_frame_equal(
            cn.mixing_matrix(G, weight=weight), cn.mixing_matrix(L, weight=weight), rtol=1e-12
        )
        pd.testing.assert_frame_equal(
            cn.mixing_matrix(G, weight=weight, normalise=True),
            cn.mixing_matrix(L, weight=weight, normalise=True),
            rtol=1e-12,
        )
        a, b = cn.ei_index(G, weight=weight), cn.ei_index(L, weight=weight)
        assert (np.isnan(a) and np.isnan(b)) or b == pytest.approx(a, abs=1e-12)
        for count in ("ties", "members"):
            pd.testing.assert_series_equal(
                cn.group_ei_index(G, weight=weight, count=count),
                cn.group_ei_index(L, weight=weight, count=count),
                rtol=1e-12,
            )
    a, b = cn.block_density(G), cn.block_density(L)
    pd.testing.assert_frame_equal(a, b, rtol=1e-12)
    assert b.attrs == pytest.approx(a.attrs, nan_ok=True)


def write_tables(folder: Path, tables: dict[str, pd.DataFrame], fmt: str = "csv") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name, frame in tables.items():
        if fmt == "csv":
            frame.to_csv(folder / f"{name}.csv", index=False)
        else:
            con = duckdb.connect()
            con.register("frame", frame)
            con.execute(f"COPY frame TO '{folder / name}.parquet' (FORMAT PARQUET)")
            con.close()
    return folder


def sample_tables(name: str) -> dict[str, pd.DataFrame]:
    root = cn.sample_path(name)
    return {
        p.stem: pd.read_csv(p, dtype=str, keep_default_na=False)
        for p in sorted(root.glob("*.csv"))
    }


@pytest.fixture(scope="module", params=SAMPLES)
def sample(request):
    name = request.param
    return cn.read_dataset(cn.sample_path(name)), cn.scan_dataset(cn.sample_path(name))


# ------------------------------------------------------------------- the samples


def test_samples_aggregate_exactly_as_pandas(sample):
    ds, lazy = sample
    assert_same_results(ds, lazy)


def test_counts_reconcile_exactly_as_read_dataset(sample):
    ds, lazy = sample
    pd.testing.assert_frame_equal(lazy.counts, ds.counts)
    assert (lazy.counts["read"] == lazy.counts["kept"] + lazy.counts["dropped"]).all()


def test_load_report_counts_match_read_dataset(sample):
    ds, lazy = sample
    plain = ds.load_report[ds.load_report["action"] != "flagged"]  # duplicate-name flags
    expected = plain.groupby(["table", "action"]).size().to_dict()
    engine = lazy.load_report.groupby(["table", "action"])["rows"].sum().to_dict()
    # read_dataset reports trimmed cells as one entry per column holding the count
    trimmed = plain[plain["action"] == "trimmed"]
    for (table, action), n in engine.items():
        if action == "trimmed":
            assert n == trimmed[trimmed["table"] == table]["value"].astype(int).sum()
        else:
            assert n == expected[(table, action)]
    assert set(expected) == set(engine)


def test_load_report_names_first_rows():
    lazy = cn.scan_dataset(cn.sample_path("prison_health"))
    report = lazy.load_report.set_index(["table", "action"])
    # attendance.csv row 203 repeats row 202 exactly (read_dataset says the same);
    # contacts.csv row 169 is P067 naming themselves
    assert report.loc[("attendance", "dropped"), "first_rows"] == [203]
    assert report.loc[("contacts", "dropped"), "first_rows"] == [169]
    assert report.loc[("contacts", "dropped"), "values"] == ["P067"]
    assert report.loc[("people", "normalised"), "values"] == ["Prison"]


def test_collect_is_read_dataset(sample):
    ds, lazy = sample
    got = lazy.collect()
    for table in ("people", "organisations", "events", "attendance", "contacts", "respondents"):
        pd.testing.assert_frame_equal(getattr(got, table), getattr(ds, table))
    pd.testing.assert_frame_equal(got.counts, ds.counts)


@pytest.mark.parametrize("layout", ["parquet", "parts", "duckdb"])
def test_parquet_parts_and_duckdb_database_read_alike(tmp_path, layout):
    tables = sample_tables("chief_executives")
    if layout == "parquet":
        source = write_tables(tmp_path / "pq", tables, "parquet")
    elif layout == "parts":  # attendance split in two files, as writers of big data do
        source = write_tables(tmp_path / "pq", tables, "parquet")
        (source / "attendance.parquet").unlink()
        (source / "attendance").mkdir()
        att = tables["attendance"]
        for i, part in enumerate((att.iloc[:100], att.iloc[100:])):
            write_tables(source / "attendance", {f"part-{i}": part}, "parquet")
    else:
        source = tmp_path / "study.duckdb"
        con = duckdb.connect(str(source))
        for name, frame in tables.items():
            con.register("frame", frame)
            con.execute(f"CREATE TABLE {name} AS SELECT * FROM frame")
        con.close()
    lazy = cn.scan_dataset(source)
    ds = cn.read_dataset(cn.sample_path("chief_executives"))
    pd.testing.assert_frame_equal(lazy.counts, ds.counts)
    assert_same_graph(cn.organisation_graph(ds), cn.organisation_graph(lazy), same_source=False)
    pd.testing.assert_series_equal(
        cn.group_ei_index(cn.contact_graph(ds, wave="2021", symmetrise="union")),
        cn.group_ei_index(lazy.contact_graph(wave="2021", symmetrise="union")),
        rtol=1e-12,
    )


def test_tables_of_a_connection_and_memory_limit():
    con = duckdb.connect()
    con.execute("SET memory_limit = '1GB'")
    settings_before = con.sql(
        "SELECT current_setting('memory_limit'), current_setting('temp_directory')"
    ).fetchall()[0]
    for name, frame in sample_tables("prison_health").items():
        con.register(f"src_{name}", frame)
    tables = {name: f"src_{name}" for name in sample_tables("prison_health")}
    lazy = cn.scan_dataset(tables, connection=con)
    assert lazy.backend.con is con
    assert (
        settings_before
        == con.sql(  # the caller's settings stand
            "SELECT current_setting('memory_limit'), current_setting('temp_directory')"
        ).fetchall()[0]
    )
    ds = cn.read_dataset(cn.sample_path("prison_health"))
    assert_same_graph(cn.sector_graph(ds), cn.sector_graph(lazy), same_source=False)


def test_new_connection_spills_into_a_private_folder_removed_afterwards():
    lazy = cn.scan_dataset(cn.sample_path("prison_health"), memory_limit="512MB")
    limit, spill = lazy.backend.con.sql(
        "SELECT current_setting('memory_limit'), current_setting('temp_directory')"
    ).fetchall()[0]
    assert limit == "488.2 MiB"  # DuckDB writes 512 MB (10^6 bytes) in MiB
    folder = Path(spill)
    assert folder.is_dir()
    assert folder.parent == Path(tempfile.gettempdir())
    assert folder.name.startswith("connectnet-duckdb-")
    del lazy
    import gc

    gc.collect()
    assert not folder.exists()


def test_default_memory_limit_is_half_the_memory():
    from connectnet.engine._backends import MEMORY_SHARE, default_memory_limit

    lazy = cn.scan_dataset(cn.sample_path("prison_health"))
    limit = lazy.backend.con.sql("SELECT current_setting('memory_limit')").fetchall()[0][0]
    total = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    assert default_memory_limit() == f"{int(total * MEMORY_SHARE) // 2**20}MiB"
    value, unit = limit.split()
    assert unit == "GiB"
    # DuckDB shows one decimal, cut (not rounded); its own default would be 80 %
    assert float(value) == pytest.approx(total * MEMORY_SHARE / 2**30, abs=0.1)


def test_hand_checked_organisation_weights(tmp_path):
    # e1: a, b (org X) and c (org Y); e2: a and c. Count weights:
    # X-Y = 2*1 (e1) + 1*1 (e2) = 3; X-X = 2*1/2 = 1 (a-b at e1); Y has one member: no loop.
    write_tables(
        tmp_path,
        {
            "people": pd.DataFrame(
                {
                    "person_id": ["a", "b", "c"],
                    "organisation_id": ["X", "X", "Y"],
                    "sector": ["nhs", "nhs", "prison"],
                }
            ),
            "attendance": pd.DataFrame(
                {
                    "event_id": ["e1", "e1", "e1", "e2", "e2"],
                    "person_id": ["a", "b", "c", "a", "c"],
                }
            ),
        },
    )
    H = cn.organisation_graph(cn.scan_dataset(tmp_path))
    assert sorted(H.edges(data="weight")) == [("X", "X", 1.0), ("X", "Y", 3.0)]
    assert H.nodes["X"] == {"kind": "organisation", "size": 2}
    # min_weight=2 keeps X-Y (3) and leaves out the X-X loop (1), on both paths; the
    # tie left out is still a tie between assigned people, so unassigned_weight stays 0
    for data in (cn.read_dataset(tmp_path), cn.scan_dataset(tmp_path)):
        H = cn.organisation_graph(data, min_weight=2)
        assert sorted(H.edges(data="weight")) == [("X", "Y", 3.0)]
        assert H.graph["min_weight"] == 2
        assert H.graph["unassigned_weight"] == 0.0
        assert sorted(H.nodes) == ["X", "Y"]
    P = cn.coattendance_graph(cn.read_dataset(tmp_path))
    with pytest.raises(ValueError, match="`min_weight` apply only to a Dataset"):
        cn.organisation_graph(P, min_weight=2)


def test_group_pairs_aggregated_in_parts_as_in_one(monkeypatch):
    # at national scale the pairs are summed in parts (by first group): with 3 pairs per
    # part the sample's organisation pairs take many parts, and must come out the same
    from connectnet.engine import _lazy

    ds = cn.read_dataset(cn.sample_path("prison_health"))
    lazy = cn.scan_dataset(cn.sample_path("prison_health"))
    monkeypatch.setattr(_lazy, "_PAIRS_PER_QUERY", 3)
    for weight in ("count", "newman"):
        for min_weight in (None, 2):
            assert_same_graph(
                cn.organisation_graph(ds, weight=weight, min_weight=min_weight),
                cn.organisation_graph(lazy, weight=weight, min_weight=min_weight),
            )


def test_min_weight_keeps_pairs_in_the_engine(sample):
    ds, lazy = sample
    edges = cn.coattendance_edges(lazy, min_weight=3)
    assert (edges["weight"] >= 3).all()
    assert len(edges) == int((cn.coattendance_edges(ds)["weight"] >= 3).sum())


def test_pair_budget_and_event_size_limits(sample):
    ds, lazy = sample
    with pytest.raises(ValueError, match="over the budget `max_memory`"):
        cn.coattendance_edges(lazy, max_memory=100)
    a = cn.coattendance_edges(ds, max_event_size=20)
    b = cn.coattendance_edges(lazy, max_event_size=20)
    pd.testing.assert_frame_equal(a, b)
    assert a.attrs["dropped_events"] == b.attrs["dropped_events"]


def test_events_and_series_options(sample):
    ds, lazy = sample
    events = ds.events.index[:3].tolist()
    assert_same_graph(
        cn.organisation_graph(ds, events=events), cn.organisation_graph(lazy, events=events)
    )
    plain = cn.attendance_summary(ds, series="theme")
    engine = cn.attendance_summary(lazy, series="theme")
    pd.testing.assert_frame_equal(plain.events, engine.events)
    with pytest.raises(ValueError, match="unknown event id"):
        cn.organisation_graph(lazy, events=["no such event"])
    with pytest.raises(ValueError, match="not a column of the events table"):
        cn.attendance_summary(lazy, series="nope")


def test_unknown_wave_and_attribute_named():
    lazy = cn.scan_dataset(cn.sample_path("prison_health"))
    with pytest.raises(ValueError, match=r"`wave` \['later'\] not in the contacts table"):
        lazy.contact_graph(wave="later")
    with pytest.raises(ValueError, match="`colour` is not a column of the people table"):
        cn.mixing_matrix(lazy, "colour")
    with pytest.raises(ValueError, match="`weight` must be one of"):
        cn.sector_graph(lazy, weight="jaccard")


def test_nothing_is_read_into_pandas_by_scanning(tmp_path):
    # a million attendance rows in Parquet: scanning and the sector graph return small
    # results only (the engine's answer is three nodes)
    n = 1_000_000
    con = duckdb.connect()
    people = pd.DataFrame(
        {"person_id": [f"p{i}" for i in range(300)], "sector": ["a", "b", "c"] * 100}
    )
    con.register("people", people)
    con.execute(f"COPY people TO '{tmp_path}/people.parquet' (FORMAT PARQUET)")
    con.execute(
        f"COPY (SELECT 'e' || (range // 30) AS event_id, 'p' || (range % 300) AS person_id "
        f"FROM range({n})) TO '{tmp_path}/attendance.parquet' (FORMAT PARQUET)"
    )
    lazy = cn.scan_dataset(tmp_path)
    assert lazy.counts.loc["attendance", "read"] == n
    H = cn.sector_graph(lazy)
    assert sorted(H.nodes) == ["a", "b", "c"]


# --------------------------------------------------------------------- validation


def _both(tmp_path: Path, tables: dict[str, pd.DataFrame], **options):
    """The DataError messages of read_dataset and scan_dataset on the same folder."""
    folder = write_tables(tmp_path / "study", tables)
    messages = []
    for reader in (cn.read_dataset, cn.scan_dataset):
        with pytest.raises(cn.DataError) as info:
            reader(folder, **options)
        messages.append(str(info.value))
    return messages


PEOPLE = pd.DataFrame({"person_id": ["p1", "p2", "p3"], "sector": ["nhs", "prison", "nhs"]})
ATT = pd.DataFrame({"event_id": ["e1", "e1", "e2"], "person_id": ["p1", "p2", "p3"]})


def test_missing_required_column_worded_as_read_dataset(tmp_path):
    plain, engine = _both(
        tmp_path, {"people": PEOPLE.rename(columns={"person_id": "Person"}), "attendance": ATT}
    )
    assert engine == plain
    assert "missing required column 'person_id'" in engine


def test_duplicate_and_empty_ids_worded_as_read_dataset(tmp_path):
    people = pd.DataFrame({"person_id": ["p1", "p1", "", "p2"], "sector": ["nhs"] * 4})
    plain, engine = _both(tmp_path, {"people": people, "attendance": ATT})
    assert engine == plain
    assert "row 4, column 'person_id': empty id" in engine
    assert "person_id 'p1' appears in rows 2, 3" in engine


def test_bad_weights_and_dates_worded_as_read_dataset(tmp_path):
    contacts = pd.DataFrame(
        {
            "source": ["p1", "p2", "p1"],
            "target": ["p2", "p3", "p3"],
            "weight": ["1", "-2", "lots"],
            "date": ["2024-01-31", "31/01/2024", "someday"],
        }
    )
    plain, engine = _both(tmp_path, {"people": PEOPLE, "contacts": contacts})
    assert engine == plain
    assert "row 3, column 'weight': '-2' is not a positive number" in engine
    assert "row 4, column 'date': 'someday' is not a date" in engine


def test_dates_with_offsets_and_compact_dates_read_as_read_dataset(tmp_path):
    # the offset is dropped (local time kept: e1 stays on 31 January at 10:00, not 09:00
    # UTC); 20240215 is compact ISO; the UK date is day-first
    events = pd.DataFrame(
        {
            "event_id": ["e1", "e2", "e3", "e4"],
            "date": ["2024-01-31T10:00+01:00", "20240215", "01/03/2024", "2024-03-02 09:30Z"],
        }
    )
    attendance = pd.DataFrame(
        {"event_id": ["e1", "e2", "e3", "e4"], "person_id": ["p1", "p2", "p3", "p1"]}
    )
    folder = write_tables(
        tmp_path / "study", {"people": PEOPLE, "events": events, "attendance": attendance}
    )
    ds, lazy = cn.read_dataset(folder), cn.scan_dataset(folder)
    # read_dataset drops an offset without a report entry; so does the engine
    assert ds.load_report.empty
    assert lazy.load_report.empty
    pd.testing.assert_frame_equal(lazy.counts, ds.counts)
    dates = cn.attendance_summary(lazy).events["date"]
    pd.testing.assert_series_equal(dates, cn.attendance_summary(ds).events["date"])
    assert dates.tolist() == [
        pd.Timestamp("2024-01-31 10:00"),
        pd.Timestamp("2024-02-15"),
        pd.Timestamp("2024-03-01"),
        pd.Timestamp("2024-03-02 09:30"),
    ]


def test_partial_and_out_of_range_dates_worded_as_read_dataset(tmp_path):
    events = pd.DataFrame(
        {
            "event_id": ["e1", "e2", "e3", "e4", "e5"],
            "date": ["2024", "2024-01", "1500-01-01", "31/01/2400", "2024-02-30"],
        }
    )
    plain, engine = _both(tmp_path, {"people": PEOPLE, "events": events, "attendance": ATT})
    assert engine == plain
    assert "row 2, column 'date': '2024' is only a year or a month" in engine
    assert "row 4, column 'date': '1500-01-01' has year 1500, outside 1678-2261" in engine
    assert "row 6, column 'date': '2024-02-30' is not a date" in engine


def test_many_problems_list_twenty_and_count_the_rest(tmp_path):
    contacts = pd.DataFrame({"source": ["p1"] * 30, "target": ["p2"] * 30, "weight": ["x"] * 30})
    plain, engine = _both(tmp_path, {"people": PEOPLE, "contacts": contacts})
    assert engine == plain
    assert "... and 10 more" in engine


def test_unknown_references_worded_as_read_dataset(tmp_path):
    att = pd.DataFrame({"event_id": ["e1", "e1", "e1"], "person_id": ["p1", "P2", "zz"]})
    plain, engine = _both(tmp_path, {"people": PEOPLE, "attendance": att})
    assert engine == plain
    assert "'P2' is not in the people table (did you mean 'p2'?)" in engine


@pytest.mark.parametrize("on_unknown", ["add", "drop"])
def test_unknown_references_added_or_dropped_as_read_dataset(tmp_path, on_unknown):
    att = pd.DataFrame({"event_id": ["e1", "e1", "e9"], "person_id": ["p1", "zz", "p2"]})
    events = pd.DataFrame({"event_id": ["e1"], "date": ["2024-01-01"]})
    people = PEOPLE.assign(organisation_id=["o1", "o2", "o9"])
    orgs = pd.DataFrame({"organisation_id": ["o1", "o2"], "sector": ["nhs", "prison"]})
    folder = write_tables(
        tmp_path / "s",
        {"people": people, "attendance": att, "events": events, "organisations": orgs},
    )
    ds = cn.read_dataset(folder, on_unknown=on_unknown)
    lazy = cn.scan_dataset(folder, on_unknown=on_unknown)
    pd.testing.assert_frame_equal(lazy.counts, ds.counts)
    assert_same_results(ds, lazy)


def test_blank_rows_absent_statuses_and_label_variants(tmp_path):
    people = pd.DataFrame(
        {
            "person_id": ["p1", "p2", "", "p3", "p4"],
            "sector": ["NHS", "nhs ", "", " nhs", "Prison"],
            "region": ["N", "N", "", "S", ""],
        }
    )
    att = pd.DataFrame(
        {
            "event_id": ["e1", "e1", "e1", "e2", "e2", "e2"],
            "person_id": ["p1", "p2", "p3", "p1", "p4", "p4"],
            "status": ["attended", "Apologies", "attended", "attended", "attended", "DNA"],
        }
    )
    folder = write_tables(tmp_path / "s", {"people": people, "attendance": att})
    ds, lazy = cn.read_dataset(folder), cn.scan_dataset(folder)
    pd.testing.assert_frame_equal(lazy.counts, ds.counts)
    report = lazy.load_report.set_index(["table", "action", "reason"])["rows"]
    assert report[("people", "dropped", "blank row")] == 1
    assert report[("attendance", "dropped", "status means the person did not attend")] == 2
    # 'nhs' is the most common spelling once spaces are trimmed: 'NHS' becomes 'nhs'
    assert (
        sorted(cn.sector_graph(lazy).nodes)
        == sorted(cn.sector_graph(ds).nodes)
        == ["Prison", "nhs"]
    )
    assert_same_results(ds, lazy)


def test_options_checked():
    with pytest.raises(ValueError, match="`engine` must be 'duckdb' or 'spark'"):
        cn.scan_dataset(cn.sample_path("prison_health"), engine="polars")
    with pytest.raises(TypeError, match="needs `spark=`"):
        cn.scan_dataset(cn.sample_path("prison_health"), engine="spark")
    with pytest.raises(FileNotFoundError, match="not a folder"):
        cn.scan_dataset("/no/such/folder")
    with pytest.raises(ValueError, match="`on_unknown` must be"):
        cn.scan_dataset(cn.sample_path("prison_health"), on_unknown="keep")


# ----------------------------------------------------------------------- property


@st.composite
def datasets(draw):
    n_people = draw(st.integers(2, 12))
    n_orgs = draw(st.integers(1, 4))
    sectors = st.sampled_from(["nhs", "NHS", "prison", "police", ""])
    people = pd.DataFrame(
        {
            "person_id": [f"p{i}" for i in range(n_people)],
            "organisation_id": draw(
                st.lists(
                    st.sampled_from([f"o{i}" for i in range(n_orgs)] + [""]),
                    min_size=n_people,
                    max_size=n_people,
                )
            ),
            "sector": draw(st.lists(sectors, min_size=n_people, max_size=n_people)),
            "region": draw(
                st.lists(st.sampled_from(["N", "S", "E"]), min_size=n_people, max_size=n_people)
            ),
        }
    )
    organisations = pd.DataFrame(
        {
            "organisation_id": [f"o{i}" for i in range(n_orgs)],
            "sector": draw(
                st.lists(
                    st.sampled_from(["nhs", "prison", "Prison"]), min_size=n_orgs, max_size=n_orgs
                )
            ),
        }
    )
    pid = st.sampled_from(people["person_id"].tolist())
    att = draw(
        st.lists(
            st.tuples(st.sampled_from(["e1", "e2", "e3", "e4"]), pid), min_size=1, max_size=40
        )
    )
    con = draw(
        st.lists(
            st.tuples(pid, pid, st.sampled_from(["1", "2"]), st.sampled_from(["1", "2", "0.5"])),
            max_size=40,
        )
    )
    events = pd.DataFrame(
        {
            "event_id": ["e1", "e2", "e3", "e4"],
            "date": draw(
                st.lists(st.sampled_from(["2024-01-01", "2024-02-01", ""]), min_size=4, max_size=4)
            ),
        }
    )
    return {
        "people": people,
        "organisations": organisations,
        "events": events,
        "attendance": pd.DataFrame(att, columns=["event_id", "person_id"]),
        "contacts": pd.DataFrame(con, columns=["source", "target", "wave", "weight"]),
    }


@settings(max_examples=15, deadline=None)
@given(
    tables=datasets(),
    weight=st.sampled_from(["count", "jaccard", "newman"]),
    min_weight=st.sampled_from([None, 1, 2, 0.75]),
    symmetrise=st.sampled_from([None, "union", "mutual", "max", "sum"]),
    wave=st.sampled_from([None, "1", "2"]),
)
def test_random_datasets_aggregate_exactly_as_pandas(tables, weight, min_weight, symmetrise, wave):
    with tempfile.TemporaryDirectory() as tmp:
        folder = write_tables(Path(tmp), tables)
        ds, lazy = cn.read_dataset(folder), cn.scan_dataset(folder)
    pd.testing.assert_frame_equal(lazy.counts, ds.counts)
    group_weight = "count" if weight == "jaccard" else weight
    assert_same_graph(
        cn.organisation_graph(ds, weight=group_weight),
        cn.organisation_graph(lazy, weight=group_weight),
    )
    assert_same_graph(
        cn.sector_graph(ds, weight=group_weight), cn.sector_graph(lazy, weight=group_weight)
    )
    a = cn.coattendance_edges(ds, weight=weight, min_weight=min_weight)
    b = cn.coattendance_edges(lazy, weight=weight, min_weight=min_weight)
    pd.testing.assert_frame_equal(a, b, check_exact=False, rtol=1e-12, atol=0)
    plain, engine = cn.attendance_summary(ds), cn.attendance_summary(lazy)
    pd.testing.assert_frame_equal(plain.events, engine.events, rtol=1e-12)
    pd.testing.assert_frame_equal(plain.people, engine.people)
    if wave is not None and wave not in ds.waves:
        wave = None
    assert_same_bridging(
        cn.contact_graph(ds, wave=wave, symmetrise=symmetrise),
        lazy.contact_graph(wave=wave, symmetrise=symmetrise),
    )


# ------------------------------------------------------------------ the report


def test_cli_report_with_engine_reads_small_data_at_person_level(tmp_path, capsys):
    from connectnet.cli import main

    out = tmp_path / "report"
    code = main(
        [
            "report",
            str(cn.sample_path("chief_executives")),
            "--engine",
            "duckdb",
            "--out",
            str(out),
            "--permutations",
            "19",
        ]
    )
    assert code == 0
    assert (out / "map.html").exists()  # a person-level report: the explorer is there
    assert "organisation level" not in (out / "index.html").read_text(encoding="utf-8")


def test_report_at_organisation_level_when_too_many_people(tmp_path, monkeypatch):
    import connectnet.report._organisations as organisations

    # the limit is MAX_PERSON_MAP_NODES (20,000); 50 makes the 141-person sample too large
    monkeypatch.setattr(organisations, "MAX_PERSON_MAP_NODES", 50)
    lazy = cn.scan_dataset(cn.sample_path("prison_health"))
    index = cn.run_report(lazy, tmp_path / "report")
    text = index.read_text(encoding="utf-8")
    assert "This dataset has 141 people, more than the 50" in text
    assert "made at organisation level" in text
    tables = {p.stem for p in (index.parent / "tables").iterdir()}
    assert {"organisations", "group_coattendance", "rows_per_table", "load_report"} <= tables
    assert {"contact_mixing_baseline", "contact_mixing_follow-up"} <= tables
    written = pd.read_csv(index.parent / "tables" / "organisations.csv", index_col=0)
    H = cn.organisation_graph(cn.read_dataset(cn.sample_path("prison_health")))
    assert len(written) == H.number_of_nodes()
    assert not (index.parent / "map.html").exists()  # no person-level map


def test_cli_info_with_engine(capsys):
    from connectnet.cli import main

    assert main(["info", str(cn.sample_path("prison_health")), "--engine", "duckdb"]) == 0
    shown = capsys.readouterr().out
    assert "Rows per table (read = kept + dropped)" in shown
    assert "self-contact" in shown
