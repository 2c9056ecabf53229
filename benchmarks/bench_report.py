"""Benchmark the whole report (``connectnet report``) on synthetic national programmes.

The data come from the one shared generator, ``benchmarks/_national.py`` (people in
organisations in sectors and regions, regional meetings of 10-60 people, three national
conferences of a fixed size, two contact-survey waves), written as CSV files; each size
runs in its own process so its peak memory is its own. For each size it prints, per step
(reading the CSV files, then each step of the report), wall-clock and CPU seconds and the
step's ratio to reading the data (absolute times vary on a shared machine; ratios less),
then the total, the peak resident memory (RSS) and the growth exponent of the total time
between sizes (``log(t2/t1) / log(n2/n1)``; 1 is linear).

Targets (issue 17, 2 cores, 24 GB): 50k people within 60 s; 200k people within 5 minutes
and 8 GB; growth exponent at most 1.15 from 10k to 200k.

Usage::

    python benchmarks/bench_report.py                     # 10k, 50k and 200k people
    python benchmarks/bench_report.py --sizes 10000       # one quick size
    python benchmarks/bench_report.py --sizes 2000 10000 --permutations 199
"""

from __future__ import annotations

import argparse
import itertools
import json
import logging
import math
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

TARGETS = {50_000: (60.0, None), 200_000: (300.0, 8.0)}  # seconds, GB
GROWTH_TARGET = 1.15


def run_one(n_people: int, permutations: int, keep: Path | None) -> dict:
    """Generate, write, read and report one size in this process; return the timings."""
    from _national import NationalSpec, national_tables

    import connectnet as cn

    spec = NationalSpec(n_people=n_people)
    tables = national_tables(spec)
    folder = Path(tempfile.mkdtemp(prefix=f"national-{n_people}-"))
    for name, frame in tables.items():
        frame.to_csv(folder / f"{name}.csv", index=False)
    rows = {name: len(frame) for name, frame in tables.items()}
    del tables
    steps: list[tuple[str, float, float]] = []

    class Steps(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            if hasattr(record, "report_step"):
                steps.append(record.report_step)

    logger = logging.getLogger("connectnet.report")
    logger.setLevel(logging.DEBUG)
    logger.addHandler(Steps())
    wall, cpu = time.perf_counter(), time.process_time()
    data = cn.read_dataset(folder)
    read = ("reading the data", time.perf_counter() - wall, time.process_time() - cpu)
    out = keep / f"report-{n_people}" if keep else folder / "report"
    wall, cpu = time.perf_counter(), time.process_time()
    cn.run_report(data, out, n_permutations=permutations, force=True)
    total = (time.perf_counter() - wall, time.process_time() - cpu)
    peak_gb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 2**20  # KiB on Linux
    return {
        "n_people": n_people,
        "rows": rows,
        "steps": [read, *steps],
        "report_wall": total[0],
        "report_cpu": total[1],
        "peak_gb": peak_gb,
    }


def print_size(result: dict) -> None:
    rows = result["rows"]
    print(
        f"\n{result['n_people']:,} people: {rows['attendance']:,} attendance rows, "
        f"{rows['events']:,} events, {rows['contacts']:,} contacts (two waves)"
    )
    read_wall = result["steps"][0][1]
    print(f"  {'step':<44s} {'wall s':>8s} {'CPU s':>8s} {'x read':>7s}")
    for name, wall, cpu in result["steps"]:
        print(f"  {name:<44s} {wall:8.2f} {cpu:8.2f} {wall / read_wall:7.1f}")
    total = read_wall + result["report_wall"]
    print(
        f"  {'total (read + report)':<44s} {total:8.2f} "
        f"{result['steps'][0][2] + result['report_cpu']:8.2f} {total / read_wall:7.1f}"
    )
    print(f"  peak RSS {result['peak_gb']:.2f} GB")
    target = TARGETS.get(result["n_people"])
    if target:
        seconds, gb = target
        verdict = (
            "met" if total <= seconds and (gb is None or result["peak_gb"] <= gb) else ("MISSED")
        )
        limit = f"{seconds:.0f} s" + (f" and {gb:.0f} GB" if gb else "")
        print(f"  -> target {limit}: {verdict}")


def growth(results: list[dict]) -> None:
    pts = sorted((r["n_people"], r["steps"][0][1] + r["report_wall"]) for r in results)
    if len(pts) < 2:
        return
    print("\ngrowth exponent of the total time, log(t2/t1) / log(n2/n1):")
    for (n1, t1), (n2, t2) in itertools.pairwise(pts):
        print(f"  {n1:,} -> {n2:,} people: {math.log(t2 / t1) / math.log(n2 / n1):.2f}")
    (n1, t1), (n2, t2) = pts[0], pts[-1]
    e = math.log(t2 / t1) / math.log(n2 / n1)
    verdict = "met" if e <= GROWTH_TARGET else "MISSED"
    print(f"  {n1:,} -> {n2:,} people: {e:.2f} (target <= {GROWTH_TARGET}: {verdict})")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", type=int, nargs="+", default=[10_000, 50_000, 200_000])
    ap.add_argument("--permutations", type=int, default=1000)
    ap.add_argument("--keep", type=Path, default=None, help="write the reports here")
    ap.add_argument("--one", type=int, default=None, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.one is not None:  # child process: one size, JSON on stdout
        print(json.dumps(run_one(args.one, args.permutations, args.keep)))
        return
    results = []
    for n in sorted(args.sizes):
        cmd = [sys.executable, __file__, "--one", str(n), "--permutations", str(args.permutations)]
        if args.keep:
            cmd += ["--keep", str(args.keep)]
        done = subprocess.run(cmd, capture_output=True, text=True, check=False)
        if done.returncode:
            print(f"\n{n:,} people: failed\n{done.stderr[-2000:]}")
            continue
        result = json.loads(done.stdout.strip().splitlines()[-1])
        print_size(result)
        results.append(result)
        sys.stdout.flush()
    growth(results)


if __name__ == "__main__":
    main()
