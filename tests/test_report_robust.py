"""The report on thin and awkward data: it never crashes, and says why a section is missing."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import connectnet as cn
from connectnet.cli import main

ANCHORS = ("findings", "overview", "metrics", "focal", "bridgers", "change", "provenance")


def _cut(name: str, folder: Path, share: float, seed: int = 1) -> Path:
    """The sample with a random ``share`` of its people (and only their rows) kept."""
    src = cn.sample_path(name)
    folder.mkdir(parents=True)
    people = pd.read_csv(src / "people.csv", dtype=str, keep_default_na=False)
    rng = np.random.default_rng(seed)
    keep = set(people["person_id"][rng.random(len(people)) < share])
    for path in src.glob("*.csv"):
        table = pd.read_csv(path, dtype=str, keep_default_na=False)
        if "person_id" in table.columns:
            table = table[table["person_id"].isin(keep)]
        if "source" in table.columns:
            table = table[table["source"].isin(keep) & table["target"].isin(keep)]
        table.to_csv(folder / path.name, index=False)
    return folder


@pytest.mark.parametrize("name", cn.list_samples())
@pytest.mark.parametrize("share", [0.1, 0.02])
def test_every_sample_cut_to_a_few_people_gives_a_report(tmp_path, name, share):
    data = cn.read_dataset(_cut(name, tmp_path / "data", share))
    index = cn.run_report(data, tmp_path / "out", n_permutations=9)
    page = index.read_text(encoding="utf-8")
    for anchor in ANCHORS:
        assert f"id='{anchor}'" in page
    assert (tmp_path / "out" / "map.html").is_file()


def test_a_missing_section_is_one_sentence_saying_why(tmp_path):
    # 2 % of prison_health leaves 2 people: too few for the bridgers table
    data = cn.read_dataset(_cut("prison_health", tmp_path / "data", 0.02))
    assert len(data.people) == 2
    page = cn.run_report(data, tmp_path / "out", n_permutations=9).read_text(encoding="utf-8")
    bridgers = page[page.index("id='bridgers'") : page.index("id='structure'")]
    assert "This section could not be computed: `bridging_table` needs a graph with at" in bridgers


@pytest.fixture
def small_survey(tmp_path) -> Path:
    """Six people, two waves; the contacts name p9, who is not in the people table, and the
    only NHS person answers the first wave only."""
    folder = tmp_path / "survey"
    folder.mkdir()
    pd.DataFrame(
        {
            "person_id": ["p1", "p2", "p3", "p4", "p5", "p6"],
            "name": ["Ann", "Bob", "Cy", "Di", "Ed", "Flo"],
            "sector": ["Prison", "prison", "NHS", "prison", "Police", "police"],
            "region": ["North", "North", "North", "South", "South", "North"],
        }
    ).to_csv(folder / "people.csv", index=False)
    pd.DataFrame(
        {
            "source": ["p1", "p2", "p3", "p4", "p1", "p2", "p4", "p5", "p1"],
            "target": ["p3", "p9", "p1", "p5", "p2", "p4", "p5", "p6", "p9"],
            "wave": ["1", "1", "1", "1", "2", "2", "2", "2", "2"],
        }
    ).to_csv(folder / "contacts.csv", index=False)
    return folder


@pytest.mark.parametrize("on_unknown", ["drop", "add"])
def test_on_unknown_drop_and_add_give_a_report(small_survey, tmp_path, on_unknown, capsys):
    out = tmp_path / on_unknown
    argv = ["report", str(small_survey), "--out", str(out), "--on-unknown", on_unknown]
    assert (
        main([*argv, "--permutations", "19", "--quiet", "--source", "Prison", "--target", "NHS"])
        == 0
    )
    page = (out / "index.html").read_text(encoding="utf-8")
    assert "Focal question: prison → NHS" in page
    change = page[page.index("id='change'") : page.index("id='provenance'")]
    assert "Cross-sector reach is left out of the table" in change  # NHS: wave 1 only
    assert "<img" in change  # the small multiples skip metrics undefined in every wave
    assert capsys.readouterr().out.strip().endswith(str(out / "index.html"))


@pytest.mark.parametrize("typed", ["Prison", " PRISON ", "prison"])
def test_group_labels_match_any_case_and_spacing(small_survey, tmp_path, typed):
    data = cn.read_dataset(small_survey, on_unknown="drop")
    index = cn.run_report(
        data, tmp_path / "out", source=typed, target="nhs ", n_permutations=9, json=True
    )
    assert "Focal question: prison → NHS" in index.read_text(encoding="utf-8")


def test_an_unknown_label_lists_the_labels(small_survey, tmp_path, capsys):
    argv = ["report", str(small_survey), "--out", str(tmp_path / "o"), "--on-unknown", "drop"]
    assert main([*argv, "--source", "probation", "--quiet"]) == 2
    err = capsys.readouterr().err
    assert "`source` group 'probation' is not a value of 'sector'" in err
    assert "'NHS', 'Police', 'prison'" in err


def test_one_group_only_has_no_focal_question(tmp_path):
    folder = tmp_path / "one"
    folder.mkdir()
    pd.DataFrame({"person_id": ["a", "b", "c"], "sector": ["nhs"] * 3}).to_csv(
        folder / "people.csv", index=False
    )
    pd.DataFrame({"source": ["a", "b"], "target": ["b", "c"]}).to_csv(
        folder / "contacts.csv", index=False
    )
    index = cn.run_report(cn.read_dataset(folder), tmp_path / "out", n_permutations=9)
    page = index.read_text(encoding="utf-8")
    focal = page[page.index("id='focal'") : page.index("id='bridgers'")]
    assert "There is no focal question: the data has only one sector group (nhs)" in focal
    assert "No succession-risk table" in page


def test_hidden_names_give_codes_and_keep_organisation_names(tmp_path):
    data = cn.load_sample("prison_health")
    index = cn.run_report(
        data, tmp_path, hide_names=True, salt="a-long-test-salt", n_permutations=9, json=True
    )
    page = index.read_text(encoding="utf-8")
    findings = page[page.index("id='findings'") : page.index("id='overview'")]
    code = findings.split("The leading bridger is ")[1].split(" (")[0]
    assert code.startswith("P-")
    assert findings.count(code) == 1  # the code once, not "code (org), code"
    assert "HMP " in page  # organisations keep their names
    for name in data.people["name"].dropna().head(20):
        assert name not in page


def _findings(page: str) -> str:
    return page[page.index("id='findings'") : page.index("id='overview'")]


def test_an_event_attended_by_most_people_is_flagged_and_shown_without(tmp_path):
    data = cn.load_sample("prison_health")  # 140 of 141 people attended the conference E01
    page = cn.run_report(data, tmp_path / "a", n_permutations=9).read_text(encoding="utf-8")
    findings = _findings(page)
    assert "National Prison Health Network Conference (E01) was attended by 140 of" in findings
    assert "--max-event-size 70 or --exclude-events E01" in findings
    cohesion = pd.read_csv(tmp_path / "a" / "tables" / "cohesion.csv", index_col=0)
    assert {"co-attendance", "co-attendance without E01"} <= set(cohesion.columns)
    assert cohesion.at["density (undirected ties)", "co-attendance"] > 0.9
    assert cohesion.at["density (undirected ties)", "co-attendance without E01"] < 0.1
    # with the option the conference is left out, listed, and no longer flagged
    index = cn.run_report(data, tmp_path / "b", n_permutations=9, max_event_size=70)
    page = index.read_text(encoding="utf-8")
    assert "was attended by" not in _findings(page)
    left_out = pd.read_csv(tmp_path / "b" / "tables" / "events_left_out.csv", index_col=0)
    assert left_out.index.tolist() == ["E01"]
    assert left_out.at["E01", "why"] == "more than 70 attendees"


def test_when_every_event_is_large_co_attendance_is_not_duplicated(tmp_path):
    data = cn.load_sample("chief_executives")  # every meeting holds most of the people
    page = cn.run_report(data, tmp_path, n_permutations=9).read_text(encoding="utf-8")
    assert "every event is that large" in _findings(page)
    cohesion = pd.read_csv(tmp_path / "tables" / "cohesion.csv", index_col=0)
    assert not any(c.startswith("co-attendance without") for c in cohesion.columns)


def test_people_without_a_region_take_their_organisations_region(tmp_path):
    # An analyst's folder often has the region on the organisations only. Person a (prison,
    # North) knows b (NHS, North) and c (NHS, South); so within the region the prison has a
    # tie through a to an NHS organisation in its region. Before the fix every person lacked
    # `region` and the focal section and organisation answer were left out.
    folder = tmp_path / "orgs_only"
    folder.mkdir()
    pd.DataFrame(
        {
            "organisation_id": ["P1", "N1", "N2"],
            "name": ["HMP North", "North Trust", "South Trust"],
            "sector": ["Prison", "NHS", "NHS"],
            "region": ["North", "North", "South"],
        }
    ).to_csv(folder / "organisations.csv", index=False)
    pd.DataFrame(
        {
            "person_id": ["a", "b", "c"],
            "name": ["Ann", "Bob", "Cy"],
            "organisation_id": ["P1", "N1", "N2"],
        }
    ).to_csv(folder / "people.csv", index=False)
    pd.DataFrame({"source": ["a", "a"], "target": ["b", "c"]}).to_csv(
        folder / "contacts.csv", index=False
    )
    data = cn.read_dataset(folder)
    before = data.people.copy()
    out = tmp_path / "out"
    cn.run_report(data, out, n_permutations=9, within="region", source="prison", target="nhs")
    pd.testing.assert_frame_equal(data.people, before)  # the caller's data is not changed
    orgs = pd.read_csv(out / "tables" / "organisation_reach.csv")
    assert orgs["name"].tolist() == ["HMP North"]
    assert orgs.filter(like="people with a tie").iloc[0].tolist() == [1]
