"""Tests for the synthetic sample datasets and their loader (connectnet.samples)."""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import connectnet as cn
from connectnet import samples
from connectnet.samples import list_samples, load_sample, sample_path

REPO_SAMPLES = Path(__file__).resolve().parents[1] / "data" / "samples"
NAMES = ["cancer_networks", "chief_executives", "prison_health"]
CSV_FILES = [
    "attendance.csv",
    "contacts.csv",
    "events.csv",
    "organisations.csv",
    "people.csv",
    "respondents.csv",
]


@pytest.fixture(scope="module")
def loaded() -> dict[str, cn.Dataset]:
    return {name: load_sample(name) for name in NAMES}


def raw(name: str, table: str) -> pd.DataFrame:
    """A sample table as written (all text, blanks as ''), independent of the readers."""
    return pd.read_csv(
        REPO_SAMPLES / name / f"{table}.csv", dtype=str, keep_default_na=False, encoding="utf-8"
    )


def union_ties(contacts: pd.DataFrame, wave: str) -> set[tuple[str, str]]:
    rows = contacts[contacts["wave"] == wave]
    return {(min(s, t), max(s, t)) for s, t in zip(rows["source"], rows["target"], strict=True)}


# --------------------------------------------------------------------------- generator


def test_regenerate_reproduces_committed_files_byte_for_byte(tmp_path):
    assert samples._main(["--regenerate", "--out", str(tmp_path)]) == 0
    for name in NAMES:
        committed = sorted(p.name for p in (REPO_SAMPLES / name).iterdir())
        fresh = sorted(p.name for p in (tmp_path / name).iterdir())
        optional = [f"{t}.csv" for t in samples._OPTIONAL_TABLES if name == "chief_executives"]
        assert fresh == committed == sorted([*CSV_FILES, *optional, "README.md"])
        for fname in fresh:
            assert (tmp_path / name / fname).read_bytes() == (
                REPO_SAMPLES / name / fname
            ).read_bytes(), f"{name}/{fname} differs from a fresh generation"


def test_check_flags_a_changed_file(tmp_path, capsys):
    samples._regenerate(tmp_path, ["prison_health"])
    assert samples._main(["--check", "--out", str(tmp_path)]) == 1  # other samples missing
    samples._regenerate(tmp_path)
    assert samples._main(["--check", "--out", str(tmp_path)]) == 0
    people = tmp_path / "prison_health" / "people.csv"
    people.write_bytes(people.read_bytes().replace(b"\n", b"\r\n"))
    assert samples._main(["--check", "--out", str(tmp_path)]) == 1
    assert "prison_health/people.csv" in capsys.readouterr().err.replace("\\", "/")


@pytest.mark.parametrize("name", NAMES)
def test_files_are_plain_utf8_with_unix_newlines_and_small(name):
    total = 0
    for fname in [*CSV_FILES, "README.md"]:
        data = (REPO_SAMPLES / name / fname).read_bytes()
        total += len(data)
        assert not data.startswith(b"\xef\xbb\xbf"), f"{fname} has a BOM"
        assert b"\r" not in data
        assert data.endswith(b"\n")
        data.decode("utf-8")  # raises if not UTF-8
    assert total < 1_000_000


@pytest.mark.parametrize("name", NAMES)
def test_readme_documents_scenario_columns_planting_and_synthetic_status(name):
    text = (REPO_SAMPLES / name / "README.md").read_text(encoding="utf-8")
    assert "Every person and organisation in this dataset is invented" in text
    for heading in ("## Scenario", "## Files and columns", "## What is planted", "messiness"):
        assert heading in text
    for table, columns in samples._COLUMNS.items():
        shipped = (REPO_SAMPLES / name / f"{table}.csv").exists()
        if table in samples._OPTIONAL_TABLES and not shipped:
            continue
        assert list(raw(name, table).columns) == list(columns)
        assert f"`{table}.csv`" in text


def test_chief_executives_roster_lists_members_who_join():
    # every chief executive belongs at every wave; local others join (never leave), so
    # the roster grows and each wave's members include the previous wave's
    data = cn.load_sample("chief_executives")
    members = {w: set(g["person_id"]) for w, g in data.roster.groupby("wave")}
    assert list(members) == data.waves
    ces = set(data.people.index[data.people["sector"] == "nhs"])
    assert all(ces <= m for m in members.values())
    sizes = [len(members[w]) for w in data.waves]
    assert sizes == sorted(sizes)
    assert sizes[0] < sizes[-1]
    assert members["2021"] <= members["2022"] <= members["2023"]
    # nobody answers the survey in a wave before joining
    for wave, group in data.respondents.groupby("wave"):
        assert set(group["person_id"]) <= members[wave]


# --------------------------------------------------------------------------- lookup


def test_list_samples_matches_the_shipped_folders():
    assert list_samples() == NAMES
    assert cn.list_samples() == NAMES
    assert sorted(p.name for p in REPO_SAMPLES.iterdir() if p.is_dir()) == NAMES


def test_sample_path_points_at_the_csv_files():
    folder = sample_path("cancer_networks")
    assert sorted(p.name for p in folder.glob("*.csv")) == CSV_FILES
    assert folder.resolve() == (REPO_SAMPLES / "cancer_networks").resolve()


def test_unknown_name_lists_available_samples():
    with pytest.raises(ValueError, match="'prison' is not a sample") as err:
        load_sample("prison")
    for name in NAMES:
        assert name in str(err.value)
    with pytest.raises(ValueError, match="cancer_networks"):
        sample_path("Cancer_Networks")


def test_non_string_name_is_a_type_error():
    with pytest.raises(TypeError, match="`name` must be a sample name"):
        load_sample(3)


def test_missing_data_folder_is_reported(monkeypatch, tmp_path):
    monkeypatch.setattr(samples, "_packaged_root", lambda: tmp_path / "nope")
    monkeypatch.setattr(samples, "_repo_root", lambda: tmp_path / "nope2")
    with pytest.raises(FileNotFoundError, match="sample data not found"):
        sample_path("prison_health")


def test_packaged_data_is_preferred_over_the_source_tree(monkeypatch, tmp_path):
    samples._regenerate(tmp_path, ["chief_executives"])
    monkeypatch.setattr(samples, "_packaged_root", lambda: tmp_path)
    assert sample_path("chief_executives") == tmp_path / "chief_executives"
    with pytest.raises(FileNotFoundError, match=r"people\.csv is missing"):
        sample_path("prison_health")  # not in the (fake) packaged folder


# --------------------------------------------------------------------------- loading


@pytest.mark.parametrize("name", NAMES)
def test_load_sample_returns_dataset_with_planted_messiness_reported(loaded, name):
    data = loaded[name]
    assert isinstance(data, cn.Dataset)
    assert data.source == f"sample:{name}"
    report = data.load_report
    assert not report.empty
    # no unknown ids: nothing added or dropped apart from the planted problems
    assert not (report["action"] == "added").any()
    normalised = report[(report["action"] == "normalised") & (report["column"] == "sector")]
    assert len(normalised) == 1
    assert normalised["table"].tolist() == ["people"]
    dup_att = report[(report["table"] == "attendance") & (report["action"] == "dropped")]
    assert len(dup_att) == 1
    assert "duplicate" in dup_att["reason"].iloc[0]
    self_contact = report[(report["table"] == "contacts") & (report["action"] == "dropped")]
    assert len(self_contact) == 1
    assert "self-contact" in self_contact["reason"].iloc[0]
    flagged = report[(report["table"] == "people") & (report["action"] == "flagged")]
    assert len(flagged) == 1
    assert "possible duplicate" in flagged["reason"].iloc[0]
    # the loaded tables hold exactly the rows written minus the two dropped ones
    assert len(data.attendance) == len(raw(name, "attendance")) - 1
    assert len(data.contacts) == len(raw(name, "contacts")) - 1
    assert len(data.people) == len(raw(name, "people"))
    assert (data.contacts["source"] != data.contacts["target"]).all()
    assert not data.attendance.duplicated().any()


@pytest.mark.parametrize("name", NAMES)
def test_readme_cites_the_rows_the_load_report_names(loaded, name):
    text = (REPO_SAMPLES / name / "README.md").read_text(encoding="utf-8")
    messy = text.split("## Deliberate messiness")[1].split("## Regenerating")[0]
    lines = [line for line in messy.splitlines() if line.startswith("- ")]
    assert len(lines) == 4
    report = loaded[name].load_report
    report = report[report["row"].notna()]
    assert len(report) == 4
    for table, row in zip(report["table"], report["row"], strict=True):
        cited = [line for line in lines if line.startswith(f"- `{table}.csv` row")]
        assert any(re.search(rf"\b{int(row)}\b", line) for line in cited), (table, row)


@pytest.mark.parametrize("name", NAMES)
def test_raw_files_carry_exactly_the_documented_messiness(name):
    people, orgs = raw(name, "people"), raw(name, "organisations")
    codes = set(orgs["sector"])
    assert all(c == c.strip().lower() and " " not in c for c in codes)  # snake-case
    odd = people[(people["sector"] != "") & ~people["sector"].isin(codes)]
    assert len(odd) == 1
    assert odd["sector"].iloc[0].strip().lower() in codes
    assert raw(name, "attendance").duplicated().sum() == 1
    contacts = raw(name, "contacts")
    assert (contacts["source"] == contacts["target"]).sum() == 1
    # every id used is known (the readers' default on_unknown="error" must pass)
    assert set(raw(name, "attendance")["person_id"]) <= set(people["person_id"])
    assert set(raw(name, "attendance")["event_id"]) <= set(raw(name, "events")["event_id"])
    assert set(contacts["source"]) | set(contacts["target"]) <= set(people["person_id"])
    assert set(people["organisation_id"]) <= set(orgs["organisation_id"])
    # some people leave sector blank and inherit their organisation's
    assert (people["sector"] == "").sum() > 0


def test_accented_and_apostrophe_names_survive_loading(loaded):
    names = set(loaded["cancer_networks"].people["name"])
    assert {"Siân O'Connor", "Zoë Ní Bhriain", "Dr Jane Smith", "jane smith"} <= names
    assert "Gareth Llewellyn" in set(loaded["prison_health"].people["name"])


@pytest.mark.parametrize("name", NAMES)
def test_contacts_list_waves_in_order(loaded, name):
    expected = {
        "cancer_networks": ["before", "after"],
        "prison_health": ["baseline", "follow-up"],
        "chief_executives": ["2021", "2022", "2023"],
    }[name]
    waves = raw(name, "contacts")["wave"]
    # each wave's rows form one block, in survey order
    blocks = waves[waves != waves.shift()].tolist()
    assert blocks == expected
    assert loaded[name].waves == expected


# --------------------------------------------------------------------------- cancer networks


def test_cancer_networks_structure(loaded):
    data = loaded["cancer_networks"]
    orgs, people = data.organisations, data.people
    networks = orgs.index[orgs["type"] == "cancer_network"]
    assert len(networks) == 34
    assert (orgs.loc[networks, "sector"] == "nhs").all()
    assert orgs.loc[networks, "region"].notna().all()
    core = people[people["organisation_id"].isin(networks)]
    roles = core.groupby("organisation_id")["role"].apply(sorted)
    assert len(roles) == 34
    assert all(r == ["lead_doctor", "lead_nurse", "manager"] for r in roles)
    assert set(people["sector"]) == {
        "nhs",
        "department_of_health",
        "commissioner",
        "patient_rep",
    }


def test_cancer_networks_meetings_workshops_and_guests(loaded):
    data = loaded["cancer_networks"]
    events, att, people = data.events, data.attendance, data.people
    meetings = events[events["theme"] == "day_meeting"].sort_values("date")
    assert len(meetings) == 6
    gaps = meetings["date"].diff().dt.days.dropna()
    assert gaps.between(49, 70).all()  # every two months
    assert (meetings["date"].max() - meetings["date"].min()).days < 366
    workshops = events.index[events["theme"] != "day_meeting"]
    assert len(workshops) == 3
    sector = att["person_id"].map(people["sector"])
    at_meeting = att["event_id"].isin(meetings.index)
    # guests come to workshops only; the centre comes to every day meeting
    guests = sector.isin(["commissioner", "patient_rep"])
    assert not (guests & at_meeting).any()
    assert (guests & ~at_meeting).sum() >= 10
    centre = att[at_meeting & (sector == "department_of_health")]
    assert set(centre["event_id"]) == set(meetings.index)
    # core membership stable with ~15% absences
    core = people.index[people["organisation_id"].str.startswith("CN")]
    seats = at_meeting & att["person_id"].isin(core)
    assert 0.78 < seats.sum() / (len(core) * 6) < 0.92


def test_cancer_networks_cross_network_ties_rise(loaded):
    data = loaded["cancer_networks"]
    org = data.people["organisation_id"]

    def cross(wave):
        ties = union_ties(data.contacts, wave)
        return sum(
            org[a] != org[b] and org[a].startswith("CN") and org[b].startswith("CN")
            for a, b in ties
        )

    before, after = cross("before"), cross("after")
    assert after > 2 * before > 0


# --------------------------------------------------------------------------- prison health


def test_prison_health_structure(loaded):
    data = loaded["prison_health"]
    orgs, people, events = data.organisations, data.people, data.events
    regions = orgs.loc[orgs["sector"] == "prison", "region"]
    assert regions.nunique() == 10
    per_region = orgs.groupby(["region", "sector"]).size().unstack(fill_value=0)
    local = per_region.drop(index="National")
    assert local["prison"].between(2, 3).all()
    assert (local["nhs"] == 2).all()
    assert people["region"].notna().all()
    assert orgs["region"].notna().all()
    assert set(people["sector"]) == {"prison", "nhs", "civil_service"}
    assert len(people) == 141  # 140 people + the planted duplicate record
    conference = events.index[events["theme"] == "conference"]
    assert len(conference) == 1
    assert data.attendance["event_id"].eq(conference[0]).sum() == 140
    follow_up = events[events["theme"] == "regional_follow_up"]
    per_region_meetings = follow_up["title"].str.replace(r" regional follow-up.*", "", regex=True)
    assert per_region_meetings.value_counts().between(2, 3).all()
    assert (follow_up["date"] > events.loc[conference[0], "date"]).all()


def _follow_up_dose(data: cn.Dataset) -> pd.Series:
    att = data.attendance.join(data.events["theme"], on="event_id")
    att = att[att["theme"] == "regional_follow_up"]
    return att.groupby("person_id").size().reindex(data.people.index, fill_value=0)


def test_prison_health_follow_up_attendance_is_partial_and_regional(loaded):
    data = loaded["prison_health"]
    att = data.attendance.join(data.events[["theme", "title"]], on="event_id")
    att = att[att["theme"] == "regional_follow_up"]
    region = att["person_id"].map(data.people["region"])
    # people attend their own region's meetings
    assert all(t.startswith(r) for t, r in zip(att["title"], region, strict=True))
    dose = _follow_up_dose(data)
    assert dose.min() == 0
    assert dose.max() == 3
    assert 0.8 < dose.mean() < 1.6


def test_prison_health_non_response(loaded):
    data = loaded["prison_health"]
    people = data.people.index.drop("P141")  # the planted duplicate is never surveyed
    for wave in data.waves:
        rows = data.contacts[data.contacts["wave"] == wave]
        silent = people.difference(rows["source"])
        assert 0.08 <= len(silent) / len(people) <= 0.2
        # non-respondents can still be named by others
        assert silent.isin(rows["target"]).any()


def _within_region_prison_nhs_degree(data: cn.Dataset, wave: str) -> pd.Series:
    sector, region = data.people["sector"], data.people["region"]
    focal = data.people.index[sector.isin(["prison", "nhs"])]
    degree = pd.Series(0, index=focal)
    for a, b in union_ties(data.contacts, wave):
        if {sector[a], sector[b]} == {"prison", "nhs"} and region[a] == region[b]:
            degree[a] += 1
            degree[b] += 1
    return degree


def test_prison_health_planted_rise_is_detectable_noisy_and_dose_dependent(loaded):
    data = loaded["prison_health"]
    change = _within_region_prison_nhs_degree(
        data, "follow-up"
    ) - _within_region_prison_nhs_degree(data, "baseline")
    # paired sign-flip permutation test of the mean change per person
    rng = np.random.default_rng(0)
    diff = change.to_numpy(dtype=float)
    flips = rng.choice([-1.0, 1.0], size=(5000, diff.size))
    null = (flips * diff).mean(axis=1)
    p_value = (1 + np.sum(np.abs(null) >= abs(diff.mean()))) / (1 + len(null))
    assert diff.mean() > 0
    assert p_value < 0.01
    # realistic noise: most people see no change, some lose ties
    assert (diff == 0).mean() > 0.5
    assert (diff < 0).any()
    # dose-response: more follow-up meetings, larger rise
    dose = _follow_up_dose(data).reindex(change.index)
    by_dose = change.groupby(dose.clip(upper=2)).mean()
    assert by_dose[0] < by_dose[1] < by_dose[2]


def test_prison_health_cross_region_and_within_sector_ties_stable(loaded):
    data = loaded["prison_health"]
    sector, region = data.people["sector"], data.people["region"]

    def counts(wave):
        ties = union_ties(data.contacts, wave)
        cross = sum(
            {sector[a], sector[b]} == {"prison", "nhs"} and region[a] != region[b] for a, b in ties
        )
        same = sum(sector[a] == sector[b] for a, b in ties)
        return cross, same

    (cross0, same0), (cross1, same1) = counts("baseline"), counts("follow-up")
    assert abs(cross1 - cross0) <= 8
    assert abs(same1 - same0) / same0 < 0.15


# --------------------------------------------------------------------------- chief executives


def test_chief_executives_structure(loaded):
    data = loaded["chief_executives"]
    orgs, people, events = data.organisations, data.people, data.events
    trusts = orgs[orgs["sector"] == "nhs"]
    assert set(trusts["type"]) == {"ambulance", "acute", "mental_health", "primary_care"}
    ces = people[people["sector"] == "nhs"]
    assert len(ces) == len(trusts) == 48
    assert (ces["role"] == ces["organisation_id"].map(orgs["type"]) + "_chief_executive").all()
    assert set(people["sector"]) == {"nhs", "local_authority", "police", "voluntary"}
    assert len(events) == 6
    years = events["date"].dt.year.value_counts()
    assert years.to_dict() == {2021: 2, 2022: 2, 2023: 2}


def test_chief_executives_share_of_other_sectors_grows(loaded):
    data = loaded["chief_executives"]
    att = data.attendance.assign(
        other=data.attendance["person_id"].map(data.people["sector"]) != "nhs",
        date=data.attendance["event_id"].map(data.events["date"]),
    )
    share = att.groupby("date")["other"].mean()
    assert share.iloc[0] < 0.1  # few at first
    assert (share.diff().dropna() > 0).all()  # more at each meeting
    assert share.iloc[-1] > 0.3


def test_chief_executives_local_others_surveyed_once_invited(loaded):
    data = loaded["chief_executives"]
    others = data.people.index[data.people["sector"] != "nhs"]
    respondents = [
        set(data.contacts.loc[data.contacts["wave"] == w, "source"]) & set(others)
        for w in data.waves
    ]
    assert len(respondents[0]) < len(respondents[1]) < len(respondents[2])
