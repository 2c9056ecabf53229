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


def test_debug_lists_every_problem_and_traceback_raises(tmp_path, capsys):
    shutil.copy(DATA / "bad" / "contacts_bad_weights.csv", tmp_path / "contacts.csv")
    shutil.copy(DATA / "bad" / "people_small.csv", tmp_path / "people.csv")
    assert main(["info", str(tmp_path), "--debug"]) == 2
    err = capsys.readouterr().err
    assert "Traceback" not in err
    assert len([line for line in err.splitlines() if "row " in line]) >= 10  # every problem
    from connectnet import DataError

    with pytest.raises(DataError, match="25 problems"):
        main(["info", str(tmp_path), "--traceback"])


def test_samples_lists_each_sample_on_one_line(capsys):
    assert main(["samples"]) == 0
    lines = capsys.readouterr().out.splitlines()
    for name in ("cancer_networks", "chief_executives", "prison_health"):
        (line,) = [x for x in lines if x.startswith(name)]
        assert len(line) > len(name) + 20  # a description follows the name


def test_report_prints_the_path_of_index_html_last(tmp_path, capsys):
    out = tmp_path / "rep"
    argv = ["report", "--sample", "cancer_networks", "--out", str(out), "--json"]
    argv += ["--no-model"]
    assert main([*argv, "--permutations", "9", "--quiet", "--exclude-events", "E01"]) == 0
    assert capsys.readouterr().out.strip().splitlines()[-1] == str(out / "index.html")
    assert (out / "report.json").is_file()


def test_report_rejects_an_unknown_excluded_event(tmp_path, capsys):
    argv = ["report", "--sample", "cancer_networks", "--out", str(tmp_path), "--quiet"]
    assert main([*argv, "--exclude-events", "E01,NOPE"]) == 2
    err = capsys.readouterr().err
    assert "'NOPE' is not an event id" in err
    assert "E02" in err


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
        "--max-event-size",
        "--exclude-events",
        "--json",
        "--traceback",
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


def test_python_dash_m_connectnet_runs_the_command_line():
    # The briefs and docs say `python -m connectnet ...`; without a __main__ module Python
    # refuses with "No module named connectnet.__main__".
    import subprocess
    import sys

    done = subprocess.run(
        [sys.executable, "-m", "connectnet", "samples"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert "prison_health" in done.stdout
