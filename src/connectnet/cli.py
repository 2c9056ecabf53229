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
  connectnet report --sample prison_health --out report-prison
  connectnet report my_study --out my_report --source prison --target nhs --within region
  connectnet report my_study --out shared_report --hide-names --salt "$SECRET_SALT"

The report folder holds index.html (open it in any browser, no internet needed),
map.html (the interactive network map), tables/*.csv and graph.gexf (for Gephi).
"""


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
        "--debug", action="store_true", help="show the full traceback when something fails"
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
        help="regenerate (--regenerate) or check (--check) the shipped synthetic samples",
        description="With --regenerate write the synthetic sample datasets again from the "
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
        "runs and files; default: a random salt, so codes cannot be linked between runs",
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
    return read_dataset(args.data_dir, on_unknown=args.on_unknown)


def _info(args: argparse.Namespace) -> int:
    import pandas as pd

    data = _load(args)
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
    run_report(
        data,
        args.out,
        attr=args.attr,
        source=args.source,
        target=args.target,
        within=args.within,
        hide_names=args.hide_names,
        salt=args.salt,
        seed=args.seed,
        n_permutations=args.permutations,
        progress=not args.quiet and interactive(),
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
    more = f" (+{rest} more lines: run with --debug to see them all)" if rest > 0 else ""
    return f"{lines[0]} {problems[0]}{more}"


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
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s: %(message)s")
    try:
        if args.command == "info":
            return _info(args)
        if args.command == "samples":
            from connectnet.samples import _main as samples_main

            rest = [f"--{flag}" for flag in ("regenerate", "check") if getattr(args, flag)]
            return samples_main(rest + (["--out", args.out] if args.out else []))
        return _report(args)
    except (DataError, FileNotFoundError, ValueError) as exc:
        if args.debug:
            raise
        line = _one_line(exc)
        if "on_unknown='add'" in str(exc):  # the Python advice, said the command's way
            line += " To load anyway, add --on-unknown add (or drop); both are reported."
        print(f"connectnet: error: {line}", file=sys.stderr)
        return 2


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
