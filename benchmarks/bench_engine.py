"""The engine at national scale: 10⁷-10⁸ attendance rows through DuckDB, Spark and pandas.

Data: the shared seeded generator (``_national.py``, ``NationalSpec.for_rows``): 10k
organisations in 6 sectors and 10 regions, meetings of 10-60 people drawn mostly within
one region, three 500-person national conferences, two contact waves; written once as
Parquet (attendance and events in parts).

Steps timed for each engine, each engine in its own process; peak RSS (the process and
its children, so the JVM for Spark) is sampled every 0.1 s, for the whole run from
outside and for each step from inside:

- ``scan``: :func:`connectnet.scan_dataset`, i.e. every validation rule (pandas: reading
  the Parquet into DataFrames and :func:`connectnet.read_dataset`);
- ``organisation_graph``: every organisation pair that shares a meeting (networkx graph);
- ``organisation pairs (in the engine)``: every organisation pair summed in the engine
  and none fetched (``min_weight=1e15``): the engine's time and memory on their own;
- ``organisation_graph(min_weight)``: only pairs sharing at least ``--min-weight``
  meetings (default 5 per 10⁷ rows, so the graph keeps a similar size; pandas: the full
  graph, then filtered). Every pair is still aggregated in the engine; only the heavy ones
  reach networkx;
- ``sector_graph``: co-attendance mixing between the six sectors;
- ``sector mixing (contacts)``: ``mixing_matrix`` and ``ei_index`` of the follow-up
  wave's contacts by sector, symmetrised by union;
- ``organisation_graph``: every organisation pair as a networkx graph. Skipped above
  ``--full-graph-rows`` (default 3·10⁷) rows: networkx holds about 0.6 kB per edge, and at
  10⁸ rows nearly all 5·10⁷ pairs of 10k organisations share a meeting (tens of GB), so
  at that size the engine's result is used filtered (``min_weight``) or kept in the engine.

DuckDB runs with ``scan_dataset(memory_limit=--memory-limit)``: a connection made by
connectnet, spilling into a private temporary folder.

Usage::

    python benchmarks/bench_engine.py --rows 1e6                       # quick check
    python benchmarks/bench_engine.py --rows 1e7 --engines duckdb,spark,pandas
    python benchmarks/bench_engine.py --rows 1e8 --engines duckdb --memory-limit 3GB

The data is written to ``--data`` (default ``/tmp/connectnet-bench-<rows>``) and deleted
afterwards unless ``--keep`` is given; an existing folder is reused.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from _national import NationalSpec, write_national


def _tree_rss(proc) -> int:
    """Resident memory of ``proc`` and its children (bytes; 0 if gone)."""
    import psutil

    try:
        return sum(p.memory_info().rss for p in [proc, *proc.children(recursive=True)])
    except psutil.Error:
        return 0


class _Peak:
    """Peak RSS of this process and its children (the Spark JVM), sampled every 0.1 s
    in a thread; :meth:`reset` starts a new step."""

    def __init__(self) -> None:
        import psutil

        self.proc = psutil.Process(os.getpid())
        self.peak = 0
        threading.Thread(target=self._sample, daemon=True).start()

    def _sample(self) -> None:
        while True:
            self.peak = max(self.peak, _tree_rss(self.proc))
            time.sleep(0.1)

    def reset(self) -> None:
        self.peak = _tree_rss(self.proc)


class _Steps(list):
    """Timed steps, each printed as it ends (so a run stopped early still reports)."""

    def __init__(self) -> None:
        super().__init__()
        self.rss = _Peak()

    def add(self, **extra: object) -> None:
        self[-1].update(extra)
        print("STEP " + json.dumps(self[-1]), flush=True)


def _timed(steps: _Steps, name: str, fn):
    steps.rss.reset()
    start = time.perf_counter()
    out = fn()
    seconds = round(time.perf_counter() - start, 2)
    steps.append({"step": name, "seconds": seconds, "peak_gb": round(steps.rss.peak / 1e9, 2)})
    return out


def _organisation_graph_steps(steps: _Steps, data, args) -> _Steps:
    """The organisation graph with ``min_weight``, then (with ``--full-graph``) all of it."""
    import connectnet as cn

    H = _timed(
        steps,
        "organisation_graph(min_weight)",
        lambda: cn.organisation_graph(data, min_weight=args.min_weight),
    )
    steps.add(edges=H.number_of_edges(), min_weight=args.min_weight)
    del H
    if args.full_graph:
        G = _timed(steps, "organisation_graph", lambda: cn.organisation_graph(data))
        steps.add(edges=G.number_of_edges())
    return steps


def _engine_steps(engine: str, folder: str, args: argparse.Namespace) -> list[dict]:
    import connectnet as cn

    steps = _Steps()
    options: dict = {}
    if engine == "duckdb":
        options["memory_limit"] = args.memory_limit
    else:
        from pyspark.sql import SparkSession

        spark = (
            SparkSession.builder.master(f"local[{args.threads}]")
            .config("spark.ui.enabled", "false")
            .config("spark.ui.showConsoleProgress", "false")
            .config("spark.driver.memory", args.spark_memory)
            .config("spark.sql.shuffle.partitions", "16")
            .getOrCreate()
        )
        spark.sparkContext.setLogLevel("ERROR")
        options["engine"], options["spark"] = "spark", spark
    lazy = _timed(steps, "scan", lambda: cn.scan_dataset(folder, **options))
    steps.add(rows=int(lazy.counts.loc["attendance", "read"]))
    S = _timed(steps, "sector_graph", lambda: cn.sector_graph(lazy))
    steps.add(edges=S.number_of_edges())
    ties = lazy.contact_graph(wave="follow_up", symmetrise="union")
    ei = _timed(
        steps,
        "sector mixing (contacts)",
        lambda: (cn.mixing_matrix(ties, "sector"), cn.ei_index(ties, "sector"))[1],
    )
    steps.add(ei=round(ei, 6))
    none = _timed(  # the engine's memory on its own: no pair reaches networkx
        steps,
        "organisation pairs (in the engine)",
        lambda: cn.organisation_graph(lazy, min_weight=1e15),
    )
    steps.add(edges=none.number_of_edges())
    return _organisation_graph_steps(steps, lazy, args)


def _pandas_steps(folder: str, args: argparse.Namespace) -> list[dict]:
    import duckdb

    import connectnet as cn

    steps = _Steps()
    root = Path(folder)

    def load() -> cn.Dataset:
        con = duckdb.connect()
        frames = {}
        for name in ("people", "organisations", "events", "attendance", "contacts", "respondents"):
            path = root / name if (root / name).is_dir() else root / f"{name}.parquet"
            pattern = f"{path}/*.parquet" if path.is_dir() else str(path)
            frames[name] = con.sql(f"SELECT * FROM read_parquet('{pattern}')").df()
        return cn.read_dataset(**frames)

    ds = _timed(steps, "scan", load)
    steps.add(rows=int(ds.counts.loc["attendance", "read"]))
    S = _timed(steps, "sector_graph", lambda: cn.sector_graph(ds))
    steps.add(edges=S.number_of_edges())

    def mixing() -> float:
        U = cn.contact_graph(ds, wave="follow_up", symmetrise="union")
        cn.mixing_matrix(U, "sector")
        return cn.ei_index(U, "sector")

    ei = _timed(steps, "sector mixing (contacts)", mixing)
    steps.add(ei=round(ei, 6))

    return _organisation_graph_steps(steps, ds, args)


def _child(args: argparse.Namespace) -> None:
    if args.child == "pandas":
        steps = _pandas_steps(args.data, args)
    else:
        steps = _engine_steps(args.child, args.data, args)
    print(f"done: {len(steps)} steps", flush=True)


def _run_engine(engine: str, args: argparse.Namespace) -> tuple[list[dict] | None, float, str]:
    """Run one engine in a child process; return its steps, peak RSS (GB) and status."""
    import psutil

    cmd = [sys.executable, __file__, "--child", engine, "--data", str(args.data)]
    cmd += ["--min-weight", str(args.min_weight), "--memory-limit", args.memory_limit]
    cmd += ["--threads", str(args.threads), "--spark-memory", args.spark_memory]
    if args.full_graph:
        cmd.append("--full-graph")
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    peak = 0
    done = threading.Event()

    def sample() -> None:
        nonlocal peak
        parent = psutil.Process(proc.pid)
        while not done.is_set():
            peak = max(peak, _tree_rss(parent))
            time.sleep(0.1)

    thread = threading.Thread(target=sample, daemon=True)
    thread.start()
    try:
        out, err = proc.communicate(timeout=args.timeout)
        status = (
            "ok"
            if proc.returncode == 0
            else "failed:\n" + "\n".join(err.strip().splitlines()[-6:])
        )
    except subprocess.TimeoutExpired:
        proc.kill()
        out, _ = proc.communicate()
        status = f"stopped after {args.timeout:.0f} s (the steps listed had ended)"
    done.set()
    thread.join()
    steps = [json.loads(line[5:]) for line in (out or "").splitlines() if line.startswith("STEP ")]
    return steps, peak / 1e9, status


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rows", type=float, default=1e6, help="attendance rows (about)")
    parser.add_argument("--engines", default="duckdb,spark,pandas")
    parser.add_argument("--data", type=Path, default=None)
    parser.add_argument("--keep", action="store_true", help="keep the generated Parquet")
    parser.add_argument(
        "--min-weight", type=float, default=None, help="default 5 per 10^7 rows (at least 5)"
    )
    parser.add_argument("--memory-limit", default="3GB", help="DuckDB memory_limit")
    parser.add_argument(
        "--full-graph-rows",
        type=float,
        default=3e7,
        help="build the full organisation graph in networkx up to this many rows",
    )
    parser.add_argument("--full-graph", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--threads", type=int, default=2, help="Spark local[N]")
    parser.add_argument("--spark-memory", default="6g", help="spark.driver.memory")
    parser.add_argument("--timeout", type=float, default=3600, help="per engine, seconds")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        _child(args)
        return
    rows = int(args.rows)
    args.data = args.data or Path(f"/tmp/connectnet-bench-{rows:.0e}")
    if args.min_weight is None:
        args.min_weight = max(5.0, 5.0 * round(rows / 1e7))
    args.full_graph = rows <= args.full_graph_rows
    spec = NationalSpec.for_rows(rows)
    print(
        f"spec: {spec.n_people:,} people, {spec.organisations:,} organisations, "
        f"{spec.n_meetings:,} meetings, {spec.n_conferences} conferences"
    )
    if not (args.data / "people.parquet").exists():
        start = time.perf_counter()
        written = write_national(spec, args.data, fmt="parquet")
        print(f"generated in {time.perf_counter() - start:.0f} s: {written}")
    size = sum(f.stat().st_size for f in args.data.rglob("*") if f.is_file())
    print(f"data: {args.data} ({size / 1e9:.2f} GB of Parquet)")
    if not args.full_graph:
        print(f"full organisation_graph skipped: more than {args.full_graph_rows:.0e} rows")
    print()
    try:
        for engine in args.engines.split(","):
            load = os.getloadavg()[0]
            steps, peak, status = _run_engine(engine, args)
            print(
                f"{engine}: {status}, peak RSS {peak:.2f} GB "
                f"(load average {load:.1f} at start, {os.getloadavg()[0]:.1f} at end)"
            )
            for step in steps or []:
                extra = {k: v for k, v in step.items() if k not in ("step", "seconds", "peak_gb")}
                print(
                    f"  {step['step']:<34} {step['seconds']:>8.2f} s  "
                    f"{step['peak_gb']:>6.2f} GB  {extra or ''}"
                )
    finally:
        if not args.keep:
            shutil.rmtree(args.data, ignore_errors=True)


if __name__ == "__main__":
    main()
