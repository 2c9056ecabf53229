"""The `connectnet` command line: info and error handling (report has its own tests)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from connectnet.cli import main

DATA = Path(__file__).parent / "data"


def test_info_on_sample_prints_summary_counts_and_report(capsys):
    assert main(["info", "--sample", "prison_health"]) == 0
    out = capsys.readouterr().out
    assert "people" in out
    assert "Rows per table (read = kept + dropped):" in out
    assert "exact duplicate of row" in out


def test_info_on_folder(capsys):
    assert main(["info", str(DATA / "good")]) == 0
    out = capsys.readouterr().out
    assert "people row 7: dropped - blank row" in out


def test_bad_input_exits_2_with_one_line_naming_file_row_column(tmp_path, capsys):
    shutil.copy(DATA / "bad" / "contacts_bad_weights.csv", tmp_path / "contacts.csv")
    shutil.copy(DATA / "bad" / "people_small.csv", tmp_path / "people.csv")
    assert main(["info", str(tmp_path)]) == 2
    err = capsys.readouterr().err.strip()
    assert "\n" not in err
    assert "Traceback" not in err
    assert err.startswith("connectnet: error: contacts.csv: 25 problems: row 2, column 'weight'")


def test_debug_shows_the_exception(tmp_path):
    shutil.copy(DATA / "bad" / "people_duplicate_ids.csv", tmp_path / "people.csv")
    (tmp_path / "contacts.csv").write_text("source,target\np1,p2\n")
    from connectnet import DataError

    with pytest.raises(DataError, match="appears in rows 2, 4"):
        main(["info", str(tmp_path), "--debug"])


def test_unknown_sample_lists_the_available_ones(capsys):
    assert main(["info", "--sample", "nope"]) == 2
    err = capsys.readouterr().err
    assert "prison_health" in err


def test_data_dir_and_sample_are_exclusive():
    with pytest.raises(SystemExit, match="not both"):
        main(["info", "somewhere", "--sample", "prison_health"])


def test_report_help_explains_options_with_example(capsys):
    with pytest.raises(SystemExit):
        main(["report", "--help"])
    out = capsys.readouterr().out
    for option in (
        "--out",
        "--attr",
        "--source",
        "--target",
        "--within",
        "--hide-names",
        "--seed",
        "--permutations",
    ):
        assert option in out
    assert "connectnet report --sample prison_health --out" in out


def test_samples_check_reproduces_shipped_files(capsys):
    assert main(["samples", "--check"]) == 0
    assert "samples up to date" in capsys.readouterr().out


def test_unknown_ids_error_points_to_the_on_unknown_option(tmp_path, capsys):
    shutil.copy(DATA / "bad" / "people_small.csv", tmp_path / "people.csv")
    shutil.copy(DATA / "bad" / "events_small.csv", tmp_path / "events.csv")
    shutil.copy(DATA / "bad" / "attendance_unknown.csv", tmp_path / "attendance.csv")
    assert main(["info", str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert "row 3, column 'person_id': 'ghost1' is not in the people table" in err
    assert "add --on-unknown add (or drop)" in err
    assert main(["info", str(tmp_path), "--on-unknown", "add"]) == 0
    out = capsys.readouterr().out
    assert "people, column 'person_id': added - named in attendance or contacts" in out
    assert main(["info", str(tmp_path), "--on-unknown", "drop"]) == 0
    assert "attendance row 3, column 'person_id': dropped - unknown people id" in (
        capsys.readouterr().out
    )
