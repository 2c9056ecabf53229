"""The ``connectnet`` command: ``info`` (dataset summary and load report) and ``report``."""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Sequence

__all__ = ["main"]

_EXAMPLES_INFO = """\
examples:
  connectnet info --sample prison_health
  connectnet info path/to/my_study        (a folder with people.csv, attendance.csv, ...)
"""

_EXAMPLES_REPORT = """\
examples:
  connectnet samples                         (the shipped samples, one line each)
  connectnet report --sample prison_health --out report-prison --within region
  connectnet report my_study --out my_report --source Prison --target NHS --within region
  connectnet report my_study --out my_report --on-unknown drop   (rows naming unknown people)
  connectnet report my_study --out my_report --max-event-size 60  (leave out a conference)
  connectnet report my_study --out my_report --exclude-events E01,E02 --json
  connectnet report my_study --out shared_report --hide-names --salt-file ~/.connectnet-salt
  CONNECTNET_SALT=... connectnet report my_study --out shared_report --hide-names
  connectnet report register --out rep --columns mapping.json --header-row 3

Group labels match whatever their case or spacing (--source prison = --source " Prison").
The report folder holds index.html (open it in any browser, no internet needed; print it
to PDF for a board paper), map.html (the interactive network map), tables/*.csv,
graph.gexf (for Gephi) and, with --json, report.json (every headline figure with its
definition). The last line printed is the path of index.html.
"""

_SAMPLES = {
    "cancer_networks": "34 local cancer networks at six day meetings and three workshops; "
    "contact survey before and after (125 people)",
    "chief_executives": "48 NHS trust chief executives joined by 'significant local others' "
    "from councils, police and voluntary sector; three yearly survey waves",
    "prison_health": "prisons and NHS organisations after a national conference and regional "
    "meetings; baseline and follow-up contact survey (141 people)",
}


def _add_data_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "data_dir",
        nargs="?",
        help="folder holding people.csv plus attendance.csv and/or contacts.csv "
        "(organisations.csv and events.csv optional; .xlsx works too)",
    )
    parser.add_argument(
        "--sample",
        metavar="NAME",
        help="use a shipped synthetic sample instead of DATA_DIR "
        "(cancer_networks, prison_health, chief_executives)",
    )
    parser.add_argument(
        "--on-unknown",
        choices=["error", "add", "drop"],
        default="error",
        help="attendance/contacts naming people or events missing from their tables: "
        "stop with an error (default), add them with sector 'unknown', or drop those rows; "
        "every addition or drop is listed in the load report",
    )
    parser.add_argument(
        "--columns",
        metavar="MAPPING.json",
        help="JSON file mapping your headers to connectnet's, per table, e.g. "
        '{"people": {"Attendee ID": "person_id"}} (common headers are mapped without it)',
    )
    parser.add_argument(
        "--header-row",
        type=int,
        default=1,
        metavar="N",
        help="spreadsheet row holding the headers in every file (default 1); rows above "
        "are skipped and reported",
    )
    parser.add_argument(
        "--engine",
        choices=["duckdb", "spark"],
        default=None,
        help="read DATA_DIR (Parquet or CSV, any size) with a SQL engine instead of pandas: "
        "validation and aggregation run in the engine; above 20,000 people the report is "
        "made at organisation level and says so (spark: the session from "
        "SparkSession.builder.getOrCreate(), e.g. under spark-submit)",
    )
    parser.add_argument(
        "--debug",
        action="store_true",
        help="when the data has problems, list every one of them (not just the first)",
    )
    parser.add_argument(
        "--traceback",
        action="store_true",
        help="show the Python traceback when something fails (for bug reports)",
    )


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="connectnet",
        description="Stakeholder network analysis: attendance and contact data to "
        "cross-sector bridging, cohesion, change tests and offline maps.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {_version()}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    info = sub.add_parser(
        "info",
        help="load and validate a dataset; print its summary and load report",
        description="Load and validate a dataset and print its summary, the rows read, "
        "kept and dropped per table, and the load report (every fix, flag and drop).",
        epilog=_EXAMPLES_INFO,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    _add_data_arguments(info)

    samples = sub.add_parser(
        "samples",
        help="list the shipped synthetic samples (or --regenerate / --check them)",
        description="List the synthetic sample datasets, one line each (use one with "
        "`connectnet report --sample NAME`). With --regenerate write them again from the "
        "seeded generator; with --check verify the shipped files are reproduced byte for byte.",
    )
    samples.add_argument("--regenerate", action="store_true", help="write the sample files")
    samples.add_argument("--check", action="store_true", help="compare a fresh generation")
    samples.add_argument("--out", metavar="DIR", help="target folder (default: data/samples)")

    report = sub.add_parser(
        "report",
        help="run the whole analysis and write an HTML report folder",
        description="Run the whole pipeline - load and validate, build graphs, cohesion "
        "and bridging metrics, change tests across contact waves, map, plots and tables - "
        "and write a self-contained report folder.",
        epilog=_EXAMPLES_REPORT,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    _add_data_arguments(report)
    report.add_argument("--out", required=True, metavar="OUT", help="folder to write (created)")
    report.add_argument(
        "--attr",
        default="sector",
        help="node attribute defining the groups to bridge (default: sector)",
    )
    report.add_argument(
        "--source",
        metavar="GROUP",
        help="focal source group for cross-sector reach, e.g. prison (default: the largest)",
    )
    report.add_argument(
        "--target",
        metavar="GROUP",
        help="focal target group, e.g. nhs (default: the second largest)",
    )
    report.add_argument(
        "--within",
        metavar="ATTR",
        help="count reach only to targets sharing this attribute, e.g. region",
    )
    report.add_argument(
        "--hide-names",
        action="store_true",
        help="replace people's names with pseudonymous codes in every output",
    )
    report.add_argument(
        "--salt",
        default=None,
        help="secret salt for --hide-names codes: the same salt gives the same codes across "
        "runs and files (it shows in the process list: prefer --salt-file or the "
        "CONNECTNET_SALT environment variable); default: a random salt, so codes cannot be "
        "linked between runs",
    )
    report.add_argument(
        "--salt-file",
        metavar="PATH",
        help="read the --hide-names salt from this file (surrounding spaces and line ends "
        "ignored)",
    )
    report.add_argument(
        "--keep-columns",
        metavar="COL,COL",
        default="",
        help="with --hide-names, person columns to keep besides sector, organisation_id, "
        "--attr and --within (every other person column, e.g. e-mail or phone, is removed)",
    )
    report.add_argument(
        "--suppress-below",
        type=int,
        default=5,
        metavar="N",
        help="with --hide-names, counts of fewer than N people in published tables are "
        "shown as '<N' (default 5; 0 turns it off)",
    )
    report.add_argument(
        "--force",
        action="store_true",
        help="replace the contents of --out even if it is a non-empty folder that is not "
        "a connectnet report",
    )
    report.add_argument(
        "--max-event-size",
        type=int,
        metavar="N",
        help="leave events with more than N attendees out of the co-attendance network "
        "(a conference everyone attended links everyone; the report shows both)",
    )
    report.add_argument(
        "--exclude-events",
        metavar="ID,...",
        type=_id_list,
        default=(),
        help="comma-separated event ids to leave out of the co-attendance network",
    )
    report.add_argument(
        "--json",
        action="store_true",
        help="also write report.json: every headline figure with its definition",
    )
    report.add_argument(
        "--model",
        action=argparse.BooleanOptionalAction,
        default=True,
        help="with two or more contact waves, fit a stochastic actor-oriented model of "
        "tie formation (default: on; skipped above 2,000 actors)",
    )
    report.add_argument(
        "--model-effects",
        metavar="EFFECT,...",
        type=_id_list,
        default=(),
        help="the model's effects as RSiena short names, name or name:covariate "
        "(default: density,recip,transTrip,sameX:<attr>,sameX:<within>,X:coattendance)",
    )
    report.add_argument("--seed", type=int, default=0, help="random seed (default: 0)")
    report.add_argument(
        "--permutations",
        type=int,
        default=1000,
        metavar="N",
        help="permutations for the statistical tests (default: 1000)",
    )
    report.add_argument(
        "--quiet",
        action="store_true",
        help="no progress bars (they are shown only when stderr is a terminal anyway)",
    )
    return parser


def _id_list(text: str) -> tuple[str, ...]:
    return tuple(part.strip() for part in text.split(",") if part.strip())


def _version() -> str:
    from connectnet import __version__

    return __version__


def _load(args: argparse.Namespace):
    from connectnet.data import read_dataset
    from connectnet.samples import load_sample

    if args.sample and args.data_dir:
        msg = "give either DATA_DIR or --sample, not both"
        raise SystemExit(f"connectnet: error: {msg}")
    if args.sample:
        return load_sample(args.sample)
    if not args.data_dir:
        msg = "give a DATA_DIR or --sample NAME (see --help)"
        raise SystemExit(f"connectnet: error: {msg}")
    if args.engine is not None:
        return _scan(args)
    return read_dataset(
        args.data_dir,
        on_unknown=args.on_unknown,
        columns=_columns_file(args.columns),
        header_row=args.header_row,
    )


def _scan(args: argparse.Namespace):
    """DATA_DIR through a SQL engine (``--engine``)."""
    from connectnet.engine import scan_dataset

    options = {"on_unknown": args.on_unknown, "columns": _columns_file(args.columns)}
    if args.engine == "spark":
        from pyspark.sql import SparkSession

        spark = SparkSession.builder.appName("connectnet").getOrCreate()
        return scan_dataset(args.data_dir, engine="spark", spark=spark, **options)
    # DuckDB spills to a private temporary folder beyond the limit (not ./.tmp)
    return scan_dataset(args.data_dir, memory_limit="4GB", **options)


def _columns_file(path: str | None) -> dict | None:
    """The --columns JSON file: {table: {your header: our column}}."""
    import json
    from pathlib import Path

    from connectnet.data import DataError

    if path is None:
        return None
    text = Path(path).read_text(encoding="utf-8-sig")
    try:
        mapping = json.loads(text)
    except json.JSONDecodeError as exc:
        msg = f"{path}: not valid JSON ({exc.msg} at line {exc.lineno}, column {exc.colno})."
        raise DataError(msg) from exc
    ok = isinstance(mapping, dict) and all(
        isinstance(m, dict)
        and all(isinstance(k, str) and isinstance(v, str) for k, v in m.items())
        for m in mapping.values()
    )
    if not ok:
        msg = (
            f'{path}: --columns needs {{"table": {{"your header": "our column"}}}}, e.g. '
            '{"people": {"Attendee ID": "person_id"}}.'
        )
        raise DataError(msg)
    return mapping


def _salt(args: argparse.Namespace) -> str | None:
    """The --hide-names salt: --salt-file, else --salt, else CONNECTNET_SALT; blank salts
    are refused (they would make codes anyone can recompute)."""
    import os
    from pathlib import Path

    if args.salt_file and args.salt is not None:
        raise ValueError("give the salt once: --salt or --salt-file, not both")
    if args.salt_file:
        salt, where = Path(args.salt_file).read_text(encoding="utf-8-sig").strip(), args.salt_file
    elif args.salt is not None:
        salt, where = args.salt, "--salt"
    elif "CONNECTNET_SALT" in os.environ:
        salt, where = os.environ["CONNECTNET_SALT"], "CONNECTNET_SALT"
    else:
        return None
    if not salt.strip():
        msg = f"the salt from {where} is blank; use a long random secret (e.g. 32 hex digits)"
        raise ValueError(msg)
    return salt


def _info(args: argparse.Namespace) -> int:
    import pandas as pd

    from connectnet.data import Dataset

    data = _load(args)
    if not isinstance(data, Dataset):  # a LazyDataset from --engine
        with pd.option_context("display.width", 160, "display.max_colwidth", 90):
            print(repr(data))
            print("\nRows per table (read = kept + dropped):")
            print(data.counts.to_string())
            print("\nLoad report:")
            report = data.load_report
            print(report.to_string() if len(report) else "  nothing to report")
        return 0
    with pd.option_context("display.width", 160, "display.max_colwidth", 90):
        print(data.summary().to_string())
        print("\nRows per table (read = kept + dropped):")
        print(data.counts.to_string())
        print("\nLoad report:")
        if data.load_report.empty:
            print("  nothing to report: every row was read as it is")
        else:
            for entry in data.load_report.itertuples(index=False):
                where = entry.table + (f" row {entry.row}" if entry.row is not None else "")
                if entry.column is not None:
                    where += f", column {entry.column!r}"
                print(f"  {where}: {entry.action} - {entry.reason}")
    return 0


def _report(args: argparse.Namespace) -> int:
    from connectnet._progress import interactive
    from connectnet.report import run_report

    data = _load(args)
    index = run_report(
        data,
        args.out,
        attr=args.attr,
        source=args.source,
        target=args.target,
        within=args.within,
        hide_names=args.hide_names,
        salt=_salt(args),
        keep_columns=tuple(c.strip() for c in args.keep_columns.split(",") if c.strip()),
        suppress_below=args.suppress_below,
        force=args.force,
        seed=args.seed,
        n_permutations=args.permutations,
        max_event_size=args.max_event_size,
        exclude_events=args.exclude_events,
        model=args.model,
        model_effects=args.model_effects,
        json=args.json,
        progress=not args.quiet and interactive(),
    )
    print(index)
    return 0


def _samples(args: argparse.Namespace) -> int:
    from connectnet.samples import _main as samples_main
    from connectnet.samples import list_samples, sample_path

    rest = [f"--{flag}" for flag in ("regenerate", "check") if getattr(args, flag)]
    if rest:
        return samples_main(rest + (["--out", args.out] if args.out else []))
    width = max(map(len, list_samples()))
    for name in list_samples():
        print(f"{name:<{width}}  {_SAMPLES.get(name, '')}")
    print(
        f"\nfiles in {sample_path(list_samples()[0]).parent}; try: "
        f"connectnet report --sample {list_samples()[-1]} --out report"
    )
    return 0


def _one_line(exc: Exception) -> str:
    """The error as one line: the headline plus the first listed problem."""
    lines = [line.strip() for line in str(exc).strip().splitlines() if line.strip()]
    if not lines:
        return type(exc).__name__
    problems = [line for line in lines[1:] if line.startswith("row ")]
    if not problems:
        return " ".join(lines)
    rest = len(lines) - 2
    more = f" (+{rest} more lines: add --debug to see them all)" if rest > 0 else ""
    return f"{lines[0]} {problems[0]}{more}"


def _file_system_line(exc: OSError) -> str:
    """A file-system error as one line: what and where, and what to do."""
    import errno

    if type(exc) is FileNotFoundError and not exc.filename:  # our own messages
        return _one_line(exc)
    if exc.filename is None:
        return _one_line(exc)
    where = str(exc.filename)
    if len(where) > 80:
        where = where[:40] + "..." + where[-20:]
    advice = {
        errno.ENAMETOOLONG: "the name is too long for the file system: choose a shorter "
        "--out path",
        errno.ENOTDIR: "a file is in the way where a folder is needed: choose another --out",
        errno.EISDIR: "a folder is in the way where a file is needed: choose another --out",
        errno.EEXIST: "a file is in the way where a folder is needed: choose another --out",
        errno.EACCES: "permission denied: choose a folder you can write to, or close the "
        "files if another program (e.g. Excel) has them open",
        errno.ENOSPC: "the disk is full",
        errno.ENOENT: "not found: check the path",
    }.get(exc.errno or 0, exc.strerror or type(exc).__name__)
    return f"{where}: {advice}"


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``connectnet`` command.

    Parameters
    ----------
    argv
        Arguments (default: ``sys.argv[1:]``).

    Returns
    -------
    int
        Exit status: 0 on success, 2 when the input data or options are at fault.
    """
    from connectnet.data import DataError

    args = _parser().parse_args(argv)
    args.debug = getattr(args, "debug", False)
    args.traceback = getattr(args, "traceback", False)
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s: %(message)s")
    try:
        if args.command == "info":
            return _info(args)
        if args.command == "samples":
            return _samples(args)
        return _report(args)
    except (DataError, OSError, ValueError) as exc:
        if args.traceback:
            raise
        if isinstance(exc, OSError):
            line = _file_system_line(exc)
        else:
            line = str(exc).strip() if args.debug else _one_line(exc)
        if "on_unknown='add'" in str(exc):  # the Python advice, said the command's way
            line += " To load anyway, add --on-unknown add (or drop); both are reported."
        print(f"connectnet: error: {line}", file=sys.stderr)
        return 2


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
