"""Readers, validation rules and the load report (data.py)."""

from __future__ import annotations

import string
import tempfile
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import connectnet as cn
from connectnet.data import _EDGE_SPACE, _cell_text, _frame_text, _wave_order

DATA = Path(__file__).parent / "data"
GOOD = DATA / "good"
BAD = DATA / "bad"


@pytest.fixture(scope="module")
def good() -> cn.Dataset:
    return cn.read_dataset(GOOD)


def _report(ds: cn.Dataset, action: str, table: str | None = None) -> pd.DataFrame:
    rep = ds.load_report
    rep = rep[rep["action"] == action]
    return rep if table is None else rep[rep["table"] == table]


# --- missing columns ----------------------------------------------------------------


def test_missing_column_names_file_found_columns_and_close_match():
    with pytest.raises(cn.DataError) as err:
        cn.read_people(BAD / "people_missing_column.csv")
    msg = str(err.value)
    assert "people_missing_column.csv" in msg
    assert "missing required column 'person_id'" in msg
    assert "'Person Ref', 'name', 'sector'" in msg
    assert "Did you mean 'Person Ref'? Pass columns={'Person Ref': 'person_id'}" in msg


def test_columns_mapping_fixes_missing_column():
    people = cn.read_people(BAD / "people_missing_column.csv", columns={"Person Ref": "person_id"})
    assert people.index.tolist() == ["p1"]
    assert people.index.name == "person_id"


def test_header_differing_only_in_case_is_accepted_and_reported():
    people = cn.read_people(pd.DataFrame({"Person_ID": ["a"], "Sector": ["nhs"]}))
    assert people.loc["a", "sector"] == "nhs"
    rep = people.attrs["load_report"]
    assert set(rep.loc[rep["action"] == "renamed column", "column"]) == {"person_id", "sector"}


def test_datasets_require_people_and_a_link_table(tmp_path):
    with pytest.raises(cn.DataError, match=r"people\.csv"):
        cn.read_dataset(tmp_path)
    (tmp_path / "people.csv").write_text("person_id\np1\n")
    with pytest.raises(cn.DataError, match=r"attendance\.csv and contacts\.csv"):
        cn.read_dataset(tmp_path)


# --- ids --------------------------------------------------------------------------


def test_duplicate_ids_listed_with_their_rows():
    with pytest.raises(cn.DataError) as err:
        cn.read_people(BAD / "people_duplicate_ids.csv")
    msg = str(err.value)
    # header is row 1, so p1 is on rows 2 and 4, p2 on rows 3 and 5
    assert "person_id 'p1' appears in rows 2, 4" in msg
    assert "person_id 'p2' appears in rows 3, 5" in msg


def test_empty_id_names_file_row_and_column():
    with pytest.raises(cn.DataError) as err:
        cn.read_people(BAD / "people_empty_id.csv")
    assert "people_empty_id.csv" in str(err.value)
    assert "row 3, column 'person_id': empty id" in str(err.value)


def test_ids_stay_exact_strings(good):
    assert "007" in good.people.index
    assert "NA" in good.people.index
    assert all(isinstance(i, str) for i in good.people.index)


# --- values -------------------------------------------------------------------------


def test_bad_weights_listed_together_first_20_and_a_count():
    with pytest.raises(cn.DataError) as err:
        cn.read_contacts(BAD / "contacts_bad_weights.csv")
    msg = str(err.value)
    assert "contacts_bad_weights.csv: 25 problems" in msg
    assert "row 2, column 'weight': '-1' is not a positive number" in msg
    assert "row 3, column 'weight': 'abc' is not a positive number" in msg
    assert "row 4, column 'weight': '0' is not a positive number" in msg
    assert "... and 5 more" in msg
    assert msg.count("is not a positive number") == 20


def test_unparseable_dates_named():
    with pytest.raises(cn.DataError) as err:
        cn.read_events(BAD / "events_bad_dates.csv")
    msg = str(err.value)
    assert "2 problems" in msg  # 31/01/2024 (row 5) is a valid UK date
    assert "row 3, column 'date': '32/01/2024' is not a date" in msg
    assert "row 4, column 'date': 'next tuesday' is not a date" in msg


def test_iso_and_uk_day_first_dates():
    events = cn.read_events(
        pd.DataFrame({"event_id": ["a", "b", "c"], "date": ["2024-02-03", "03/02/2024", ""]})
    )
    assert events["date"].dt.strftime("%Y-%m-%d").tolist()[:2] == ["2024-02-03"] * 2
    assert pd.isna(events.loc["c", "date"])


def test_blank_weight_means_one(good):
    row = good.contacts[(good.contacts["source"] == "p4")].iloc[0]
    assert row["weight"] == 1.0
    assert good.contacts["weight"].dtype == "float64"


# --- unknown references ----------------------------------------------------------------


def _unknown(on_unknown):
    return cn.read_dataset(
        people=BAD / "people_small.csv",
        events=BAD / "events_small.csv",
        attendance=BAD / "attendance_unknown.csv",
        on_unknown=on_unknown,
    )


def test_unknown_ids_error_lists_count_ids_and_rows():
    with pytest.raises(cn.DataError) as err:
        _unknown("error")
    msg = str(err.value)
    assert "attendance_unknown.csv: 2 unknown people id(s) in 2 row(s)" in msg
    assert "row 3, column 'person_id': 'ghost1'" in msg
    assert "row 4, column 'person_id': 'ghost2'" in msg
    assert "on_unknown='add'" in msg


def test_unknown_ids_added_with_sector_unknown_and_reported():
    ds = _unknown("add")
    assert ds.people.loc["ghost1", "sector"] == "unknown"
    assert set(_report(ds, "added", "people")["value"]) == {"ghost1", "ghost2"}
    assert set(_report(ds, "added", "events")["value"]) == {"e2"}
    assert len(ds.attendance) == 3
    assert ds.counts.loc["people", "added"] == 2


def test_unknown_ids_dropped_and_reported():
    ds = _unknown("drop")
    assert ds.attendance["person_id"].tolist() == ["p1"]
    dropped = _report(ds, "dropped", "attendance")
    # ghost1 is reported once (unknown person); ghost2's row is dropped for the person id
    assert sorted(dropped["row"]) == [3, 4]
    assert ds.counts.loc["attendance"].tolist() == [3, 1, 2, 0]


def test_on_unknown_validated():
    with pytest.raises(ValueError, match="`on_unknown`"):
        _unknown("ignore")


# --- duplicates and self contacts -----------------------------------------------------


def test_exact_duplicate_attendance_kept_once_and_reported(good):
    att = good.attendance
    assert int(((att["event_id"] == "e1") & (att["person_id"] == "p2")).sum()) == 1
    rep = _report(good, "dropped", "attendance")
    assert rep["row"].tolist() == [4]
    assert rep["reason"].tolist() == ["exact duplicate of row 3, kept once"]


def test_self_contacts_reported_and_excluded(good):
    assert not (good.contacts["source"] == good.contacts["target"]).any()
    rep = _report(good, "dropped", "contacts")
    assert rep["row"].tolist() == [3]
    assert "self-contact" in rep["reason"].iloc[0]


# --- sectors --------------------------------------------------------------------------


def test_sector_case_and_space_variants_become_one_label(good):
    assert set(good.people["sector"]) == {"NHS", "prison", "civil_service"}
    assert set(good.organisations["sector"]) == {"NHS", "prison"}
    rep = _report(good, "normalised")
    assert set(zip(rep["table"], rep["row"], strict=True)) == {("people", 4), ("organisations", 3)}


def test_sector_inherited_from_organisation(good):
    # p1 has no sector of their own; organisation o1 is a prison
    assert good.people.loc["p1", "sector"] == "prison"


def test_sector_unknown_when_no_source_is_reported():
    ds = cn.read_dataset(
        people=pd.DataFrame({"person_id": ["a", "b"], "sector": ["nhs", ""]}),
        contacts=pd.DataFrame({"source": ["a"], "target": ["b"]}),
    )
    assert ds.people.loc["b", "sector"] == "unknown"
    assert _report(ds, "filled")["row"].tolist() == [3]


# --- encodings ------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["people_bom.csv", "people_cp1252.csv"])
def test_bom_and_windows_1252_read_correctly(name):
    people = cn.read_people(DATA / name)
    assert people.columns[0] == "name"  # no BOM glued to the first header
    assert people.loc["p1", "name"] == "Siân O'Connor"


def test_cp1252_second_name_intact():
    assert cn.read_people(DATA / "people_cp1252.csv").loc["p2", "name"] == "Zoë Ní Bhriain"


def test_xlsx_reads_like_csv(tmp_path):
    frame = pd.read_csv(GOOD / "people.csv", dtype=str, keep_default_na=False)
    path = tmp_path / "people.xlsx"
    frame.to_excel(path, index=False)
    assert cn.read_people(path).equals(cn.read_people(GOOD / "people.csv"))


# --- likely duplicate people -------------------------------------------------------------


def test_likely_duplicate_people_flagged_not_merged(good):
    assert {"p2", "p3"} <= set(good.people.index)
    flagged = _report(good, "flagged", "people")
    assert flagged["row"].tolist() == [4]
    assert "possible duplicate of person_id 'p2'" in flagged["reason"].iloc[0]


def test_initial_and_surname_match_flagged_only_within_organisation():
    people = cn.read_people(
        pd.DataFrame(
            {
                "person_id": ["a", "b", "c"],
                "name": ["J. Smith", "Jane Smith", "Jane Smith"],
                "organisation_id": ["o1", "o1", "o2"],
            }
        )
    )
    rep = people.attrs["load_report"]
    assert rep["value"].tolist() == ["Jane Smith"]
    assert "initial matches the given name" in rep["reason"].iloc[0]


# --- reconciliation ---------------------------------------------------------------------


def test_every_row_is_kept_or_reported_dropped(good):
    counts = good.counts
    assert (counts["read"] == counts["kept"] + counts["dropped"]).all()
    dropped = good.load_report[good.load_report["action"] == "dropped"]["table"].value_counts()
    for table, n in counts["dropped"].items():
        assert dropped.get(table, 0) == n
    assert counts.loc["people", "kept"] == len(good.people)
    assert counts.loc["attendance", "kept"] == len(good.attendance)
    assert counts.loc["contacts", "kept"] == len(good.contacts)


def test_inputs_not_mutated():
    frame = pd.DataFrame({"person_id": [" a", "b"], "sector": ["NHS", "nhs"]})
    before = frame.copy()
    cn.read_people(frame)
    pd.testing.assert_frame_equal(frame, before)


def test_absent_tables_are_empty_with_columns():
    ds = cn.read_dataset(
        people=pd.DataFrame({"person_id": ["a", "b"]}),
        contacts=pd.DataFrame({"source": ["a"], "target": ["b"]}),
    )
    assert ds.attendance.empty
    assert list(ds.attendance.columns) == ["event_id", "person_id", "status"]
    assert ds.events.empty
    assert ds.events.index.name == "event_id"


def test_wave_order_numeric_then_first_appearance():
    assert _wave_order(pd.Series(["10", "2", "1", None])) == ["1", "2", "10"]
    assert _wave_order(pd.Series(["before", "after", "before"])) == ["before", "after"]


# --- round trip property ------------------------------------------------------------------

_ID_CHARS = string.ascii_letters + string.digits + "-_. éâ'"
_ids = st.one_of(
    st.sampled_from(["007", "1e3", "NA", "None", "nan", "TRUE", "0", "-1", "1.0", "null"]),
    st.text(_ID_CHARS, min_size=1, max_size=8).map(str.strip).filter(bool),
)


@settings(deadline=None, max_examples=40)
@given(ids=st.lists(_ids, min_size=1, max_size=25, unique=True), data=st.data())
def test_random_tables_round_trip_without_loss(ids, data):
    names = data.draw(
        st.lists(st.text(min_size=0, max_size=12), min_size=len(ids), max_size=len(ids))
    )
    names = [n.replace("\r", " ").replace("\x00", " ") for n in names]
    people = pd.DataFrame({"person_id": ids, "name": names, "sector": "nhs"})
    pairs = data.draw(st.lists(st.tuples(st.sampled_from(ids), st.sampled_from(ids)), max_size=40))
    contacts = pd.DataFrame(pairs, columns=["source", "target"], dtype=object)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        people.to_csv(folder / "people.csv", index=False)
        contacts.to_csv(folder / "contacts.csv", index=False)
        ds = cn.read_dataset(folder)
    assert ds.people.index.tolist() == ids
    kept = [(s, t) for s, t in pairs if s != t]
    assert list(zip(ds.contacts["source"], ds.contacts["target"], strict=True)) == kept
    assert ds.counts.loc["contacts", "read"] == len(pairs)
    assert ds.counts.loc["contacts", "dropped"] == len(pairs) - len(kept)


def test_absent_statuses_dropped_and_reported():
    att = cn.read_attendance(
        pd.DataFrame(
            {
                "event_id": ["e1", "e1", "e1", "e1"],
                "person_id": ["a", "b", "c", "d"],
                "status": ["Attended", "Apologies ", "DNA", ""],
            }
        )
    )
    assert att["person_id"].tolist() == ["a", "d"]
    rep = att.attrs["load_report"]
    dropped = rep[rep["action"] == "dropped"]
    assert dropped["row"].tolist() == [3, 4]
    assert "did not attend" in dropped["reason"].iloc[0]
    kept = cn.read_attendance(
        pd.DataFrame({"event_id": ["e1"], "person_id": ["a"], "status": ["dna"]}),
        absent_statuses=(),
    )
    assert len(kept) == 1


def test_person_listed_twice_for_an_event_is_flagged():
    att = cn.read_attendance(
        pd.DataFrame(
            {"event_id": ["e1", "e1"], "person_id": ["a", "a"], "status": ["attended", "late"]}
        )
    )
    assert len(att) == 2
    rep = att.attrs["load_report"]
    assert rep["action"].tolist() == ["flagged"]
    assert "first at row 2" in rep["reason"].iloc[0]


# --- review round: rules for every table, messy inputs ---------------------------------


@pytest.mark.parametrize(
    ("reader", "name", "expected"),
    [
        (cn.read_organisations, "organisations_duplicate_ids.csv", "'o1' appears in rows 2, 4"),
        (cn.read_events, "events_duplicate_ids.csv", "event_id 'e1' appears in rows 2, 3"),
    ],
)
def test_duplicate_organisation_and_event_ids_listed_with_rows(reader, name, expected):
    with pytest.raises(cn.DataError) as err:
        reader(BAD / name)
    assert name in str(err.value)
    assert expected in str(err.value)


def test_organisation_without_sector_names_row():
    with pytest.raises(cn.DataError, match=r"row 3, column 'sector': empty"):
        cn.read_organisations(BAD / "organisations_empty_sector.csv")


def test_empty_attendance_ids_listed_together():
    with pytest.raises(cn.DataError) as err:
        cn.read_attendance(BAD / "attendance_empty_ids.csv")
    msg = str(err.value)
    assert "attendance_empty_ids.csv: 2 problems" in msg
    assert "row 3, column 'event_id': empty id" in msg
    assert "row 4, column 'person_id': empty id" in msg


def test_pandas_missing_values_are_blank_not_text():
    # nullable dtypes hold pd.NA, which must not become the id '<NA>' or a bad weight
    people = pd.DataFrame({"person_id": pd.array(["a", None], dtype="string"), "name": ["A", "B"]})
    with pytest.raises(cn.DataError, match=r"row 3, column 'person_id': empty id"):
        cn.read_people(people)
    contacts = cn.read_contacts(
        pd.DataFrame(
            {"source": ["a"], "target": ["b"], "weight": pd.array([None], dtype="Float64")}
        )
    )
    assert contacts["weight"].tolist() == [1.0]
    ids = cn.read_people(pd.DataFrame({"person_id": pd.array([7, 8], dtype="Int64")}))
    assert ids.index.tolist() == ["7", "8"]


def test_dataframe_indexed_by_its_id_is_read_back():
    # a table as read_people returns it (indexed by person_id) can be passed straight in
    first = cn.read_people(pd.DataFrame({"person_id": ["a", "b"], "sector": ["nhs", "prison"]}))
    again = cn.read_people(first)
    pd.testing.assert_frame_equal(again, first)


def test_dataframe_with_non_default_index_keeps_every_row():
    frame = pd.DataFrame(
        {"event_id": ["e1", "e1", "e1", ""], "person_id": ["a", "a", "b", ""]},
        index=[40, 10, 30, 20],
    )
    ds = cn.read_dataset(
        people=pd.DataFrame({"person_id": ["a", "b"]}, index=[5, 3]), attendance=frame
    )
    # rows are numbered by position (row 2 = first row), whatever the index says
    dropped = _report(ds, "dropped", "attendance")
    assert sorted(dropped["row"]) == [3, 5]  # the exact duplicate and the blank row
    assert ds.counts.loc["attendance"].tolist() == [4, 2, 2, 0]


def test_dataframe_with_repeated_column_names_is_a_data_error():
    frame = pd.DataFrame([["a", "x", "y"]], columns=["person_id", "name", "name"])
    with pytest.raises(cn.DataError, match=r"given more than once: 'name' in columns B, C"):
        cn.read_people(frame)


def test_repeated_header_in_a_file_is_a_data_error_not_renamed():
    # pandas would silently rename the second 'person_id' to 'person_id.1'
    with pytest.raises(cn.DataError) as err:
        cn.read_people(BAD / "people_repeated_header.csv")
    assert "people_repeated_header.csv: header(s) given more than once" in str(err.value)
    assert "'person_id' in columns A, C" in str(err.value)


def test_columns_without_header_dropped_when_empty_else_named_by_letter():
    # Excel leaves trailing commas: an empty unnamed column is removed, reported
    people = cn.read_people(DATA / "people_blank_headers.csv")
    assert list(people.columns)[-1] == "column C"
    assert people["column C"].tolist() == [None, "x"]
    rep = people.attrs["load_report"]
    assert rep[["column", "action"]].values.tolist() == [
        ["column C", "renamed column"],
        ["column D", "removed column"],
    ]


def test_columns_mapping_for_a_header_not_in_the_file_is_an_error():
    # an optional column mapped from a misspelt header must not be silently left empty
    frame = pd.DataFrame({"person_id": ["a"], "Organisation": ["o1"]})
    with pytest.raises(cn.DataError) as err:
        cn.read_people(frame, columns={"Organisations": "organisation_id"})
    msg = str(err.value)
    assert "`columns` maps 'Organisations' (did you mean 'Organisation'?)" in msg
    assert "Columns found: 'person_id', 'Organisation'" in msg
    # a mapping whose target is already there is harmless (one mapping for many files)
    people = cn.read_people(frame, columns={"Person Ref": "person_id"})
    assert people.index.tolist() == ["a"]


def test_columns_mapping_for_a_table_that_is_not_there_is_an_error():
    with pytest.raises(cn.DataError, match=r"header mappings for \['events'\]"):
        cn.read_dataset(
            people=pd.DataFrame({"person_id": ["a", "b"]}),
            contacts=pd.DataFrame({"source": ["a"], "target": ["b"]}),
            columns={"events": {"Meeting": "event_id"}},
        )


def _flags(names, orgs="o1"):
    people = cn.read_people(
        pd.DataFrame(
            {
                "person_id": [f"p{i}" for i in range(len(names))],
                "name": names,
                "organisation_id": orgs,
            }
        )
    )
    rep = people.attrs["load_report"]
    rep = rep[rep["action"] == "flagged"]
    return [(v, r.split("'")[1]) for v, r in zip(rep["value"], rep["reason"], strict=True)]


def test_different_given_names_with_one_surname_are_not_flagged():
    assert _flags(["Jane Smith", "John Smith", "Jo Ng", "Jon Ng"]) == []


def test_titles_removed_only_at_the_start_of_a_name():
    # 'Lord' is Emma's surname, not a title: 'Emma Lord' and 'Emma' are not one name
    assert _flags(["Emma Lord", "Emma", "Miss Ann Lady"]) == []
    assert _flags(["Prof Sir Alan Jones", "Alan Jones"]) == [("Alan Jones", "p0")]


def test_accents_apostrophes_and_spacing_ignored_in_duplicate_names():
    names = ["Siân O'Connor", "Sian OConnor", "Mary-Jane Brown", "Mary Jane  Brown"]
    assert _flags(names) == [("Sian OConnor", "p0"), ("Mary Jane  Brown", "p2")]


def test_initial_matches_every_compatible_given_name_but_reports_one():
    flags = _flags(["Jane Smith", "John Smith", "Dr. J. Smith"])
    assert flags == [("Dr. J. Smith", "p0")]


def test_unknown_sector_is_one_label_with_the_datas_spelling():
    ds = cn.read_dataset(
        people=pd.DataFrame({"person_id": ["a", "b"], "sector": ["Unknown", "nhs"]}),
        contacts=pd.DataFrame({"source": ["a", "b"], "target": ["b", "ghost"]}),
        on_unknown="add",
    )
    assert set(ds.people["sector"]) == {"Unknown", "nhs"}


def test_rows_added_for_unknown_ids_have_none_not_nan():
    ds = cn.read_dataset(
        people=pd.DataFrame({"person_id": ["a"], "name": ["A"]}),
        events=pd.DataFrame({"event_id": ["e1"], "title": ["Launch"]}),
        attendance=pd.DataFrame({"event_id": ["e1", "e2"], "person_id": ["a", "z"]}),
        on_unknown="add",
    )
    assert ds.people.loc["z", "name"] is None
    assert ds.events.loc["e2", "title"] is None


def test_xlsx_ids_stay_exact_including_excel_true(tmp_path):
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["person_id", "name"])
    for pid in ["007", "1e3", "NA", "None", "nan", "null"]:  # text cells
        sheet.append([pid, f"n{pid}"])
    sheet.append([True, "typed TRUE in Excel: a TRUE/FALSE cell, shown as TRUE"])
    sheet.append([12, "a number cell"])
    sheet.append([None, None])  # a blank row in the middle: later row numbers stay right
    sheet.append(["", "no id"])
    book.save(tmp_path / "people.xlsx")
    with pytest.raises(cn.DataError, match=r"row 11, column 'person_id': empty id"):
        cn.read_people(tmp_path / "people.xlsx")
    sheet["A11"] = "last"
    book.save(tmp_path / "people.xlsx")
    people = cn.read_people(tmp_path / "people.xlsx")
    ids = ["007", "1e3", "NA", "None", "nan", "null", "TRUE", "12", "last"]
    assert people.index.tolist() == ids
    assert people.attrs["load_report"]["row"].tolist() == [10]  # the blank row


def test_utf16_text_export_from_excel_reads_correctly():
    # Excel's "Unicode Text" export: UTF-16 with a BOM, tab separated
    people = cn.read_people(DATA / "people_utf16.txt")
    assert people.loc["p1", "name"] == "Siân O'Connor"


def test_old_xls_files_get_a_clear_error(tmp_path):
    (tmp_path / "people.xls").write_bytes(b"\xd0\xcf\x11\xe0")
    with pytest.raises(cn.DataError, match=r"people\.xls: old Excel '\.xls' files"):
        cn.read_people(tmp_path / "people.xls")


_cells = st.sampled_from(["p1", "p2", "ghost", "", " p1 "])


@settings(deadline=None, max_examples=40)
@given(
    att=st.lists(
        st.tuples(
            st.sampled_from(["e1", "e2", "", "e9"]),
            _cells,
            st.sampled_from(["", "attended", "Apologies", "DNA "]),
        ),
        max_size=12,
    ),
    con=st.lists(st.tuples(_cells, _cells), max_size=10),
    on_unknown=st.sampled_from(["add", "drop"]),
    with_events=st.booleans(),
    offset=st.integers(0, 50),
)
def test_reconciliation_holds_on_every_path(att, con, on_unknown, with_events, offset):
    # read = kept + dropped for every table, every dropped row is in the report, and the
    # tables hold kept + added rows, whatever is blank, absent, unknown or duplicated
    # keep rows with both ids, or fully blank rows (dropped as blank); empty ids are errors
    att = [r for r in att if (r[0] and r[1].strip()) or not "".join(r).strip()]
    con = [r for r in con if (r[0].strip() and r[1].strip()) or not "".join(r).strip()]
    attendance = pd.DataFrame(att, columns=["event_id", "person_id", "status"], dtype=object)
    attendance.index = attendance.index * 7 + offset  # not a default RangeIndex
    contacts = pd.DataFrame(con, columns=["source", "target"], dtype=object)
    ds = cn.read_dataset(
        people=pd.DataFrame({"person_id": ["p1", "p2", ""], "name": ["A", "B", ""]}),
        events=pd.DataFrame({"event_id": ["e1", "e2"]}) if with_events else None,
        attendance=attendance,
        contacts=contacts,
        on_unknown=on_unknown,
    )
    counts, rep = ds.counts, ds.load_report
    read = {"people": 3, "events": 2 if with_events else 0, "organisations": 0}
    read |= {"attendance": len(att), "contacts": len(con), "respondents": 0, "roster": 0}
    for table, row in counts.iterrows():
        entries = rep[rep["table"] == table]["action"]
        assert row["read"] == read[table]
        assert row["read"] == row["kept"] + row["dropped"]
        assert row["dropped"] == (entries == "dropped").sum()
        assert row["added"] == (entries == "added").sum()
    for table in ("people", "attendance", "contacts"):
        assert len(getattr(ds, table)) == counts.loc[table, "kept"] + counts.loc[table, "added"]


def test_bad_dates_and_duplicate_ids_reported_in_one_error():
    # both kinds of problem in one run, and the advice fits the problem (no 'ids' advice)
    with pytest.raises(cn.DataError) as err:
        cn.read_events(
            pd.DataFrame({"event_id": ["e1", "e1", "e2"], "date": ["2024-01-01", "", "soon"]})
        )
    msg = str(err.value)
    assert "2 problems" in msg
    assert "row 4, column 'date': 'soon' is not a date" in msg
    assert "event_id 'e1' appears in rows 2, 3" in msg
    assert "Fix these cells in the file and load again." in msg
    assert "ids must not be empty" not in msg


def _message(call) -> str:
    with pytest.raises(cn.DataError) as err:
        call()
    return str(err.value)


def test_error_examples_in_the_docs_are_real():
    doc = (Path(__file__).parents[1] / "docs" / "data-format.md").read_text(encoding="utf-8")
    messages = [
        _message(lambda: cn.read_people(BAD / "people_missing_column.csv")),
        _message(lambda: cn.read_people(BAD / "people_duplicate_ids.csv")),
        _message(lambda: cn.read_events(BAD / "events_bad_dates.csv")),
        _message(lambda: _unknown("error")),
        _message(
            lambda: cn.read_people(
                pd.read_csv(BAD / "people_missing_column.csv"), columns={"Person Rf": "person_id"}
            )
        ),
    ]
    messages += [
        _message(lambda name=name: cn.read_people(BAD / name))
        for name in (
            "people_ambiguous_headers.csv",
            "people_header_only.csv",
            "people_fake.xlsx",
            "people_corrupt.xlsx",
        )
    ]
    messages.append(_message(lambda: cn.read_events(BAD / "events_loose_dates.csv")))
    messages.append(
        _message(
            lambda: cn.read_dataset(
                attendance=pd.DataFrame({"event_id": ["e1", "e1"], "name": ["Ann Lee", ""]})
            )
        )
    )
    for msg in messages:
        assert msg in doc
    scores = [
        cn.match_people(pd.DataFrame({"name": pair, "organisation_id": "o"}), threshold=0)
        for pair in (["J. Smith", "Jane Smith"], ["Jane Smith", "John Smith"])
    ]
    assert "`Jane Smith`/`John Smith` 0.091" in doc.replace("\n", " ")
    assert [round(p["score"].iloc[0], 3) for p in scores] == [0.956, 0.091]
    weights = _message(lambda: cn.read_contacts(BAD / "contacts_bad_weights.csv")).splitlines()
    assert "\n".join(weights[:4]) in doc
    assert weights[-1] in doc


def _org_dataset(on_unknown):
    return cn.read_dataset(
        people=pd.DataFrame(
            {"person_id": ["a", "b", "c"], "organisation_id": ["o1", "o9", ""], "sector": ""}
        ),
        organisations=pd.DataFrame({"organisation_id": ["o1"], "sector": ["prison"]}),
        contacts=pd.DataFrame({"source": ["a"], "target": ["b"]}),
        on_unknown=on_unknown,
    )


def test_people_naming_an_unknown_organisation():
    msg = _message(lambda: _org_dataset("error"))
    assert "1 unknown organisations id(s) in 1 row(s)" in msg
    assert "row 3, column 'organisation_id': 'o9' is not in the organisations table" in msg
    for mode in ("add", "drop"):  # organisations are added, never dropped: nobody is lost
        ds = _org_dataset(mode)
        assert ds.people.index.tolist() == ["a", "b", "c"]
        assert ds.people["sector"].tolist() == ["prison", "unknown", "unknown"]
        assert ds.organisations.loc["o9", "sector"] == "unknown"
        assert ds.counts.loc["organisations"].tolist() == [1, 1, 0, 1]
        assert _report(ds, "added", "organisations")["value"].tolist() == ["o9"]


def test_unknown_id_error_suggests_ids_differing_in_case_or_leading_zeros():
    msg = _message(
        lambda: cn.read_dataset(
            people=pd.DataFrame({"person_id": ["007", "Ann", "ann2", "ANN2"]}),
            contacts=pd.DataFrame({"source": ["7", "ann", "Ann2"], "target": ["Ann"] * 3}),
        )
    )
    assert "row 2, column 'source': '7' is not in the people table (did you mean '007'?)" in msg
    assert "'ann' is not in the people table (did you mean 'Ann'?)" in msg
    # 'ann2' and 'ANN2' are both known: no guess between them
    assert "row 4, column 'source': 'Ann2' is not in the people table\n" in msg


def test_time_zone_offsets_keep_the_local_date_and_time():
    # survey exports write offsets; a half-past-midnight meeting stays on its own day
    events = cn.read_events(
        pd.DataFrame(
            {
                "event_id": ["a", "b", "c"],
                "date": ["2024-01-01T00:30:00+01:00", "2024-01-02T10:00:00Z", "2024-01-03"],
            }
        )
    )
    assert events["date"].dt.strftime("%Y-%m-%d %H:%M").tolist() == [
        "2024-01-01 00:30",
        "2024-01-02 10:00",
        "2024-01-03 00:00",
    ]
    aware = pd.to_datetime(["2024-06-01 00:30"]).tz_localize("Europe/London")
    contacts = cn.read_contacts(pd.DataFrame({"source": ["a"], "target": ["b"], "date": aware}))
    assert str(contacts.loc[0, "date"]) == "2024-06-01 00:30:00"


def test_folder_with_two_files_for_one_table_is_an_error(tmp_path):
    # a stale people.csv beside an updated people.xlsx must not be picked silently
    (tmp_path / "people.csv").write_text("person_id\np1\n")
    pd.DataFrame({"person_id": ["p1", "p2"]}).to_excel(tmp_path / "people.xlsx", index=False)
    (tmp_path / "contacts.csv").write_text("source,target\np1,p2\n")
    with pytest.raises(cn.DataError, match=r"both people\.csv and people\.xlsx"):
        cn.read_dataset(tmp_path)
    ds = cn.read_dataset(tmp_path, people=tmp_path / "people.xlsx")
    assert ds.people.index.tolist() == ["p1", "p2"]


def test_headers_below_a_title_row_are_pointed_out():
    with pytest.raises(cn.DataError) as err:
        cn.read_attendance(BAD / "attendance_title_row.csv")
    msg = str(err.value)
    assert "missing required column 'event_id'" in msg
    assert "The headers seem to be on row 3: delete the rows above them" in msg


def test_respondents_table_read_validated_and_reconciled(tmp_path):
    # who answered each wave, including p3 who named nobody
    (tmp_path / "people.csv").write_text("person_id,sector\np1,nhs\np2,prison\np3,prison\n")
    (tmp_path / "contacts.csv").write_text("source,target,wave\np1,p2,1\np2,p1,2\n")
    (tmp_path / "respondents.csv").write_text(
        "person_id,wave\np1,1\np2,1\np3,1\np2,2\np2,2\nghost,2\n"
    )
    with pytest.raises(cn.DataError, match="row 7, column 'person_id': 'ghost'"):
        cn.read_dataset(tmp_path)
    ds = cn.read_dataset(tmp_path, on_unknown="drop")
    assert sorted(zip(ds.respondents["person_id"], ds.respondents["wave"], strict=True)) == [
        ("p1", "1"),
        ("p2", "1"),
        ("p2", "2"),
        ("p3", "1"),
    ]
    assert ds.counts.loc["respondents"].tolist() == [6, 4, 2, 0]
    reasons = ds.load_report[ds.load_report["table"] == "respondents"]["reason"].tolist()
    assert reasons == ["same person and wave as row 5", "unknown people id"]


def test_dataset_without_respondents_has_an_empty_table(good):
    assert good.respondents.empty
    assert list(good.respondents.columns) == ["person_id", "wave"]


# --- issue 12: real spreadsheets -----------------------------------------------------


def _entries(frame_or_ds, action: str) -> pd.DataFrame:
    rep = (
        frame_or_ds.load_report
        if isinstance(frame_or_ds, cn.Dataset)
        else frame_or_ds.attrs["load_report"]
    )
    return rep[rep["action"] == action]


def test_common_headers_are_mapped_and_reported():
    people = cn.read_people(BAD / "people_synonyms.csv")
    assert people.index.tolist() == ["p1", "p2"]
    assert people["name"].tolist() == ["Ann Smith", "Bob Jones"]
    assert people["organisation_id"].tolist() == ["o1", "o2"]
    renamed = _entries(people, "renamed column")
    assert dict(zip(renamed["value"], renamed["column"], strict=True)) == {
        "Attendee ID": "person_id",
        "Full name": "name",
        "Trust": "organisation_id",
        "Sector": "sector",
    }
    assert "header 'Trust' read as 'organisation_id' (a common header for it)" in set(
        renamed["reason"]
    )


def test_two_headers_that_could_be_one_column_propose_columns():
    with pytest.raises(cn.DataError) as err:
        cn.read_people(BAD / "people_ambiguous_headers.csv")
    msg = str(err.value)
    assert msg.startswith("people_ambiguous_headers.csv: 'Attendee ID' (column A) and 'ID'")
    assert "columns={'Attendee ID': 'person_id'}" in msg
    assert '--columns mapping.json holding {"people": {"Attendee ID": "person_id"}}' in msg
    people = cn.read_people(BAD / "people_ambiguous_headers.csv", columns={"ID": "person_id"})
    assert people.index.tolist() == ["1"]
    assert "Attendee ID" in people.columns  # the other one is kept as an extra column


def test_an_existing_column_wins_over_synonyms():
    people = cn.read_people(pd.DataFrame({"person_id": ["a"], "ID": ["7"], "Name": ["Ann"]}))
    assert people.index.tolist() == ["a"]
    assert people.loc["a", "ID"] == "7"
    assert people.loc["a", "name"] == "Ann"


def test_organisations_named_by_name_in_people_get_the_id():
    ds = cn.read_dataset(
        people=pd.DataFrame({"ID": ["p1", "p2"], "Organisation": ["HMP Leeds", "o2"]}),
        organisations=pd.DataFrame(
            {
                "Organisation ID": ["o1", "o2"],
                "Organisation name": ["HMP Leeds", "NHS"],
                "Sector": ["prison", "nhs"],
            }
        ),
        contacts=pd.DataFrame({"source": ["p1"], "target": ["p2"]}),
    )
    assert ds.people["organisation_id"].tolist() == ["o1", "o2"]
    assert ds.people["sector"].tolist() == ["prison", "nhs"]
    note = _entries(ds, "normalised")
    assert "organisation 'HMP Leeds' is the name of organisation_id 'o1'" in note["reason"].iloc[0]


def test_organisations_table_with_only_an_organisation_column():
    orgs = cn.read_organisations(
        pd.DataFrame({"Organisation": ["HMP Leeds"], "Sector": ["prison"]})
    )
    assert orgs.index.tolist() == ["HMP Leeds"]


def test_header_row_skips_title_rows_and_keeps_row_numbers(tmp_path):
    people = cn.read_people(BAD / "people_title_row.csv", header_row=2)
    assert people.index.tolist() == ["p1"]
    rep = people.attrs["load_report"]
    assert rep.loc[rep["action"] == "skipped", "row"].tolist() == [1]
    with pytest.raises(cn.DataError, match="row 3, column 'person_id': empty id"):
        cn.read_people(_write(tmp_path, "p.csv", "Title\nperson_id,name\n,Ann\n"), header_row=2)
    with pytest.raises(ValueError, match="whole number"):
        cn.read_people(BAD / "people_title_row.csv", header_row=0)
    with pytest.raises(cn.DataError, match="only 3 row"):
        cn.read_people(BAD / "people_title_row.csv", header_row=9)


def _write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("name", "word"), [("people_semicolon.csv", "semicolon"), ("people_tab.csv", "tab")]
)
def test_delimiter_is_sniffed_from_the_header(name, word):
    people = cn.read_people(BAD / name)
    assert people.index.tolist() == ["p1", "p2"]  # not one id 'p1;Alice Smith;nhs'
    assert people.loc["p1", "name"] == "Alice Smith"
    assert f"read as {word}-separated" in _entries(people, "noted")["reason"].iloc[0]


def test_commas_inside_quotes_do_not_fool_the_sniffer(tmp_path):
    path = _write(tmp_path, "p.csv", '"person_id;x",name\np1,"Smith; Ann"\n')
    assert cn.read_people(path, columns={"person_id;x": "person_id"}).index.tolist() == ["p1"]


def test_loose_and_out_of_range_dates_are_named_or_read():
    with pytest.raises(cn.DataError) as err:
        cn.read_events(BAD / "events_loose_dates.csv")
    msg = str(err.value)
    assert "row 2, column 'date': '3024-01-15' has year 3024, outside 1678-2261" in msg
    assert "row 3, column 'date': '-1' is not a date" in msg
    assert "row 4, column 'date': '2024' is only a year or a month" in msg
    assert "row 5, column 'date': '2024-01' is only a year or a month" in msg
    assert "row 6" not in msg  # 20240131 is compact ISO 8601, read as a date
    events = cn.read_events(pd.DataFrame({"event_id": ["e5"], "date": ["20240131"]}))
    assert str(events.loc["e5", "date"].date()) == "2024-01-31"


def test_bare_carriage_return_in_a_cell_is_not_a_new_row():
    people = cn.read_people(BAD / "people_bare_cr.csv")
    assert people.index.tolist() == ["p1", "p2"]  # no phantom person 'Smith'
    assert people.loc["p1", "name"] == "Alice Smith"
    note = _entries(people, "normalised")
    assert note["column"].tolist() == ["name"]
    assert "carriage return" in note["reason"].iloc[0]
    assert "(rows 2)" in note["reason"].iloc[0]


def test_one_windows_1252_byte_in_utf8_is_read_per_cell_and_flagged():
    people = cn.read_people(BAD / "people_mixed_cp1252.csv")
    assert people["name"].tolist() == ["Siân Evans", "Ann O\u2019Connor", "Zoë Hill"]
    flag = _entries(people, "flagged")
    assert flag[["row", "column"]].values.tolist() == [[3, "name"]]
    assert "read as Windows-1252 '\u2019'" in flag["reason"].iloc[0]


def test_a_whole_windows_1252_file_is_noted_once_not_flagged_per_row():
    people = cn.read_people(DATA / "people_cp1252.csv")
    assert _entries(people, "flagged").empty
    assert "read as Windows-1252" in _entries(people, "noted")["reason"].iloc[0]


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("people_header_only.csv", "people_header_only.csv: no people — the file has a header"),
        ("people_blank.csv", "people_blank.csv: the file is empty"),
        ("people_fake.xlsx", "people_fake.xlsx: not an Excel workbook; it holds plain text"),
        ("people_corrupt.xlsx", "people_corrupt.xlsx: cannot be opened as an Excel workbook"),
    ],
)
def test_empty_and_broken_people_files_name_the_file(name, expected):
    with pytest.raises(cn.DataError) as err:
        cn.read_people(BAD / name)
    assert str(err.value).startswith(expected)
    with pytest.raises(cn.DataError, match=name.replace(".", r"\.")):
        cn.read_dataset(
            people=BAD / name, contacts=pd.DataFrame({"source": ["a"], "target": ["b"]})
        )


def test_workbook_quirks_are_flagged_with_row_and_column():
    people = cn.read_people(BAD / "people_workbook_quirks.xlsx")
    assert people.index.tolist() == ["p1", "p2", "p3", "p4", "p5"]
    rep = people.attrs["load_report"]
    by_reason = {
        r.split(" ")[0] + " " + r.split(" ")[1]: (row, col)
        for r, row, col in zip(rep["reason"], rep["row"], rep["column"], strict=True)
    }
    assert by_reason['formula \'=CONCAT("Dan",'] == (5, "name")
    assert by_reason["hidden row"] == (6, None)
    assert by_reason["merged cells"] == (3, "region")
    assert by_reason["Excel error"] == (6, "sector")
    noted = _entries(people, "noted")["reason"].iloc[0]
    assert noted.startswith("read sheet 'People' only; the workbook also has 'Notes'")
    assert "has no saved value" in rep.loc[rep["row"] == 5, "reason"].iloc[0]


def test_lookalike_ids_are_flagged_not_merged():
    people = cn.read_people(BAD / "people_lookalike_ids.csv")
    assert len(people) == 8
    flag = _entries(people, "flagged")
    assert flag["row"].tolist() == [3, 5, 7, 9]
    reasons = flag["reason"].tolist()
    assert "person_id 'p1' (row 2): the ids differ only in capitals" in reasons[0]
    assert "invisible characters" in reasons[1]
    assert "look-alike letters" in reasons[2]
    assert "Unicode form" in reasons[3]


def test_unknown_id_hint_sees_through_lookalikes():
    with pytest.raises(
        cn.DataError, match=r"'\u0440 1' is not in the people table \(did you mean 'p 1'\?\)"
    ):
        cn.read_dataset(
            people=pd.DataFrame({"person_id": ["p 1", "p2"]}),
            contacts=pd.DataFrame({"source": ["\u0440 1"], "target": ["p2"]}),
        )


# --- names-only sign-in sheets --------------------------------------------------------


def test_names_only_sign_in_sheet_loads_without_a_people_table():
    ds = cn.read_dataset(attendance=BAD / "attendance_names_only.csv")
    # Dr Jane Smith / jane smith of HMP Leeds are one person (name within organisation);
    # Bob Lee and Robert Lee give one e-mail (case ignored), so they are one person too
    assert len(ds.people) == 3
    att = ds.attendance
    assert att["person_id"].nunique() == 3
    jane = att.loc[att["name"].str.casefold().str.contains("jane"), "person_id"]
    assert jane.nunique() == 1
    bob = att.loc[att["name"].str.contains("Lee"), "person_id"]
    assert bob.nunique() == 1
    assert ds.people.loc[bob.iloc[0], "email"] == "bob.lee@nhs.net"
    assert ds.people.loc[jane.iloc[0], "email"] is None
    added = _entries(ds, "added")
    assert (added["table"] == "people").sum() == 3
    reasons = added["reason"].tolist()
    assert any(
        r.startswith("new person from the sign-in sheet (rows 2, 4): 'Dr Jane Smith' of 'HMP")
        for r in reasons
    )
    assert any("(rows 3, 5)" in r for r in reasons)
    assert ds.counts.loc["people", "added"] == 3
    flagged = _entries(ds, "flagged")
    # dates: m1 filled; m2 has 2024-04-02 twice and 2024-04-03 once: the most common kept
    assert ds.events["date"].dt.strftime("%Y-%m-%d").to_dict() == {
        "m1": "2024-03-01",
        "m2": "2024-04-02",
    }
    conflict = flagged[flagged["column"] == "date"]["reason"].iloc[0]
    assert "event 'm2' has conflicting dates: 2024-04-02 (rows 4, 6), 2024-04-03 (rows 5)" in (
        conflict
    )


def test_generated_ids_are_stable_under_reordering_and_rereading():
    frame = pd.read_csv(BAD / "attendance_names_only.csv", dtype=str, keep_default_na=False)
    first = cn.read_dataset(attendance=frame)
    again = cn.read_dataset(attendance=frame.iloc[::-1])
    assert sorted(first.people.index) == sorted(again.people.index)
    assert all(pid.startswith("n-") and len(pid) == 10 for pid in first.people.index)


def test_sign_in_sheet_matches_people_by_email_then_name_within_organisation():
    people = pd.DataFrame(
        {
            "person_id": ["p1", "p2", "p3"],
            "name": ["Jane Smith", "Jane Smith", "Bob Lee"],
            "organisation_id": ["o1", "o2", "o1"],
            "email": [None, None, "bob@nhs.net"],
        }
    )
    att = pd.DataFrame(
        {
            "event_id": ["e1", "e1", "e1", "e1"],
            "name": ["Dr. Jane  Smith", "Robert Lee", "Jane Smith", "Zed Ox"],
            "organisation_id": ["o2", "o1", "", "o1"],
            "email": ["", "BOB@nhs.net", "", ""],
        }
    )
    ds = cn.read_dataset(people=people, attendance=att)
    ids = ds.attendance["person_id"].tolist()
    assert ids[:2] == ["p2", "p3"]
    # 'Jane Smith' with no organisation is two people's name: not guessed, a new person
    assert ids[2] not in {"p1", "p2"}
    assert ids[2].startswith("n-")
    matched = _entries(ds, "matched")["reason"].tolist()
    assert (
        "sign-in sheet row(s) 2 matched person_id 'p2' by name within the organisation" in matched
    )
    assert "sign-in sheet row(s) 3 matched person_id 'p3' by e-mail" in matched


def test_generated_id_collisions_get_more_digits():
    from connectnet.data import _generated_ids

    key = ("jane smith", "o1")
    plain = _generated_ids([key], set())[key]
    longer = _generated_ids([key], {plain})[key]
    assert len(plain) == 10
    assert len(longer) == 14
    assert longer.startswith(plain)


def test_attendance_rows_naming_nobody_are_an_error():
    att = pd.DataFrame({"event_id": ["e1", "e1"], "name": ["Ann Lee", ""]})
    with pytest.raises(cn.DataError, match="row 3, column 'person_id': empty id") as err:
        cn.read_dataset(attendance=att)
    assert "Give each row a person_id, a name or an e-mail" in str(err.value)


def test_people_table_required_when_attendance_has_ids_only():
    with pytest.raises(cn.DataError, match="gives person ids, not names"):
        cn.read_dataset(attendance=pd.DataFrame({"event_id": ["e1"], "person_id": ["p1"]}))


def test_attendance_date_without_event_identifies_the_meeting():
    ds = cn.read_dataset(
        attendance=pd.DataFrame({"Date": ["01/03/2024", "01/03/2024"], "Name": ["Ann", "Bo"]})
    )
    assert ds.events.index.tolist() == ["2024-03-01"]
    assert str(ds.events["date"].iloc[0].date()) == "2024-03-01"


@pytest.mark.parametrize("name", ["contacts_wide.csv", "contacts_grid.csv"])
def test_wide_surveys_are_reshaped_and_names_matched(name):
    people = pd.DataFrame(
        {"person_id": ["p1", "p2", "p3", "p4"], "name": ["Ann", "Bo", "Cy", "Carol Diaz"]}
    )
    ds = cn.read_dataset(people=people, contacts=BAD / name)
    ties = sorted(map(tuple, ds.contacts[["source", "target"]].values.tolist()))
    assert ties == [("p1", "p2"), ("p1", "p4"), ("p2", "p1")]
    assert set(ds.contacts["wave"]) == {"1"}
    reshaped = _entries(ds, "reshaped")["reason"].iloc[0]
    assert "3 respondent row(s) gave 3 contact(s)" in reshaped
    matched = _entries(ds, "matched")
    assert matched[["column", "value"]].values.tolist()[0][1] == "Carol Diaz"
    assert "is the name of person_id 'p4'" in matched["reason"].iloc[0]
    assert ds.counts.loc["contacts", "read"] == 3  # contacts after reshaping


def test_cli_columns_file_and_header_row(tmp_path, capsys):
    from connectnet.cli import main

    study = tmp_path / "study"
    study.mkdir()
    (study / "people.csv").write_text("Register\nRef,Who,sector\na1,Ann,nhs\na2,Bo,prison\n")
    (study / "contacts.csv").write_text("Title\nsource,target\na1,a2\n")
    mapping = tmp_path / "mapping.json"
    mapping.write_text('{"people": {"Ref": "person_id", "Who": "name"}}')
    assert main(["info", str(study), "--columns", str(mapping), "--header-row", "2"]) == 0
    out = capsys.readouterr().out
    assert "people row 1: skipped" in out
    assert "header 'Ref' read as 'person_id'" not in out  # a mapping you gave, not a guess
    mapping.write_text('{"people": ["Ref"]}')
    assert main(["info", str(study), "--columns", str(mapping), "--header-row", "2"]) == 2
    assert '--columns needs {"table": {"your header": "our column"}}' in capsys.readouterr().err
    mapping.write_text("{oops")
    assert main(["info", str(study), "--columns", str(mapping)]) == 2
    assert "mapping.json: not valid JSON" in capsys.readouterr().err


def test_header_row_per_table_in_read_dataset():
    ds = cn.read_dataset(
        people=BAD / "people_title_row.csv",
        contacts=pd.DataFrame({"source": ["p1"], "target": ["p1"]}),
        header_row={"people": 2},
    )
    assert ds.people.index.tolist() == ["p1"]
    with pytest.raises(ValueError, match="table names"):
        cn.read_dataset(
            people=BAD / "people_title_row.csv", attendance=BAD / "x", header_row={"peple": 2}
        )


def test_read_dataset_flags_fuzzy_duplicates_and_never_merges():
    people = pd.DataFrame(
        {
            "person_id": ["p1", "p2", "p3", "p4"],
            "name": ["Jane Smith", "Jane Smyth", "Bob Lee", "Jane Smyth"],
            "organisation_id": ["o1", "o1", "o1", "o2"],
        }
    )
    ds = cn.read_dataset(
        people=people, contacts=pd.DataFrame({"source": ["p1"], "target": ["p2"]})
    )
    assert ds.people.index.tolist() == ["p1", "p2", "p3", "p4"]  # nothing merged
    flagged = _entries(ds, "flagged")
    assert flagged[["row", "value"]].values.tolist() == [[3, "Jane Smyth"]]  # not o2's
    reason = flagged["reason"].iloc[0]
    assert reason.startswith("possible duplicate of person_id 'p1' ('Jane Smith', row 2)")
    assert "surnames differ by one letter" in reason
    assert "match score 0.99" in reason


@settings(deadline=None, max_examples=25)
@given(
    st.lists(
        st.tuples(
            st.sampled_from(["Ann Lee", "ann  lee", "Dr Bo Wu", "Cy Day", "Di Fox"]),
            st.sampled_from(["", "o1", "O1 ", "o2"]),
        ),
        min_size=1,
        max_size=8,
    ),
    st.randoms(use_true_random=False),
)
def test_generated_ids_do_not_depend_on_row_order(rows, rnd):
    frame = pd.DataFrame(rows, columns=["name", "organisation"]).assign(event_id="e1")
    shuffled = frame.sample(frac=1, random_state=rnd.randint(0, 10**6))
    ids = [
        dict(zip(ds.attendance["_key"], ds.attendance["person_id"], strict=True))
        for ds in (
            cn.read_dataset(attendance=f.assign(_key=f["name"] + "|" + f["organisation"]))
            for f in (frame, shuffled)
        )
    ]
    assert ids[0] == ids[1]


def test_sign_in_organisations_differing_in_case_are_one_organisation():
    att = pd.DataFrame(
        {
            "event_id": ["e1", "e2", "e3"],
            "name": ["Ann Lee", "ann lee", "Ann Lee"],
            "organisation": ["HMP Leeds", "hmp leeds ", "HMP Leeds"],
        }
    )
    ds = cn.read_dataset(attendance=att)
    assert len(ds.people) == 1
    assert ds.people["organisation_id"].tolist() == ["HMP Leeds"]  # the most common spelling


_CELLS = st.one_of(
    st.sampled_from(["p1", "p1 ", "", "1", "True", "é"]),
    st.sampled_from([None, float("nan"), pd.NA, pd.NaT, 1, 1.0, True, 2.5]),
)


@settings(deadline=None, max_examples=100)
@given(st.lists(_CELLS, max_size=12), st.booleans())
def test_frame_text_equals_the_cell_by_cell_text(values, excel):
    # text columns are converted once per distinct value; a column mixing 1, 1.0 and True
    # (equal to pandas' hashing, different as text) or other objects goes cell by cell
    frame = pd.DataFrame({"a": pd.Series(values, dtype=object)})
    strings = [v for v in values if isinstance(v, str)]
    frame["b"] = pd.Series(strings + [None] * (len(values) - len(strings)), dtype=object)
    frame["c"] = frame["b"].astype("str")
    got = _frame_text(frame, excel=excel)
    for col in range(3):
        want = [_cell_text(v, excel=excel) for v in frame.iloc[:, col].tolist()]
        assert got.iloc[:, col].tolist() == want


def test_edge_space_finds_exactly_what_strip_removes():
    # _clean_cells skips stripping a column when _EDGE_SPACE finds no text starting or
    # ending in whitespace: its \s must be str.strip's whitespace (checked over the Basic
    # Multilingual Plane, which holds every Unicode whitespace character)
    for code in range(0x10000):
        char = chr(code)
        assert bool(_EDGE_SPACE.search(f"a\x00{char}")) == (char.strip() == ""), hex(code)
    assert _EDGE_SPACE.search("\x00".join(["ab", "c d", "e"])) is None
    assert _EDGE_SPACE.search("\x00".join(["ab", "cd ", "e"])) is not None
