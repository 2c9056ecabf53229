"""The engine at national scale: 10⁷-10⁸ attendance rows through DuckDB, Spark and pandas.

Data: the shared seeded generator (``_national.py``, ``NationalSpec.for_rows``): 10k
organisations in 6 sectors and 10 regions, meetings of 10-60 people drawn mostly within
one region, three 500-person national conferences, two contact waves; written once as
Parquet (attendance and events in parts).

Steps timed for each engine, each engine in its own process (its peak RSS, the JVM
included for Spark, is sampled from outside every 0.1 s):

- ``scan``: :func:`connectnet.scan_dataset`, i.e. every validation rule (pandas: reading
  the Parquet into DataFrames and :func:`connectnet.read_dataset`);
- ``organisation_graph``: every organisation pair that shares a meeting (networkx graph);
- ``organisation_graph(min_weight)``: only pairs sharing at least ``--min-weight``
  meetings (pandas: the full graph, then filtered);
- ``sector_graph``: co-attendance mixing between the six sectors;
- ``sector mixing (contacts)``: ``mixing_matrix`` and ``ei_index`` of the follow-up
  wave's contacts by sector, symmetrised by union.

Usage::

    python benchmarks/bench_engine.py --rows 1e6                       # quick check
    python benchmarks/bench_engine.py --rows 1e7 --engines duckdb,spark,pandas
    python benchmarks/bench_engine.py --rows 1e8 --engines duckdb --memory-limit 3GB

The data is written to ``--data`` (default ``/tmp/connectnet-bench-<rows>``) and deleted
afterwards unless ``--keep`` is given.
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from _national import NationalSpec, write_national


def _timed(steps: list[dict], name: str, fn):
    start = time.perf_counter()
    out = fn()
    steps.append({"step": name, "seconds": round(time.perf_counter() - start, 2)})
    return out


def _engine_steps(engine: str, folder: str, args: argparse.Namespace) -> list[dict]:
    import connectnet as cn

    steps: list[dict] = []
    options: dict = {}
    if engine == "duckdb":
        import duckdb

        con = duckdb.connect()
        con.execute(f"SET memory_limit = '{args.memory_limit}'")
        con.execute(f"SET threads = {args.threads}")
        con.execute("SET preserve_insertion_order = false")
        options["connection"] = con
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
    steps[-1]["rows"] = int(lazy.counts.loc["attendance", "read"])
    G = _timed(steps, "organisation_graph", lambda: cn.organisation_graph(lazy))
    steps[-1]["edges"] = G.number_of_edges()
    H = _timed(
        steps,
        "organisation_graph(min_weight)",
        lambda: lazy.organisation_graph(min_weight=args.min_weight),
    )
    steps[-1]["edges"] = H.number_of_edges()
    S = _timed(steps, "sector_graph", lambda: cn.sector_graph(lazy))
    steps[-1]["edges"] = S.number_of_edges()
    ties = lazy.contact_graph(wave="follow_up", symmetrise="union")
    ei = _timed(
        steps,
        "sector mixing (contacts)",
        lambda: (cn.mixing_matrix(ties, "sector"), cn.ei_index(ties, "sector"))[1],
    )
    steps[-1]["ei"] = round(ei, 6)
    return steps


def _pandas_steps(folder: str, args: argparse.Namespace) -> list[dict]:
    import duckdb

    import connectnet as cn

    steps: list[dict] = []
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
    steps[-1]["rows"] = int(ds.counts.loc["attendance", "read"])
    G = _timed(steps, "organisation_graph", lambda: cn.organisation_graph(ds))
    steps[-1]["edges"] = G.number_of_edges()

    def heavy():
        full = cn.organisation_graph(ds)
        light = [(u, v) for u, v, w in full.edges(data="weight") if w < args.min_weight]
        full.remove_edges_from(light)
        return full

    H = _timed(steps, "organisation_graph(min_weight)", heavy)
    steps[-1]["edges"] = H.number_of_edges()
    S = _timed(steps, "sector_graph", lambda: cn.sector_graph(ds))
    steps[-1]["edges"] = S.number_of_edges()

    def mixing() -> float:
        U = cn.contact_graph(ds, wave="follow_up", symmetrise="union")
        cn.mixing_matrix(U, "sector")
        return cn.ei_index(U, "sector")

    ei = _timed(steps, "sector mixing (contacts)", mixing)
    steps[-1]["ei"] = round(ei, 6)
    return steps


def _child(args: argparse.Namespace) -> None:
    if args.child == "pandas":
        steps = _pandas_steps(args.data, args)
    else:
        steps = _engine_steps(args.child, args.data, args)
    print("RESULT " + json.dumps(steps), flush=True)


def _run_engine(engine: str, args: argparse.Namespace) -> tuple[list[dict] | None, float, str]:
    """Run one engine in a child process; return its steps, peak RSS (GB) and status."""
    import psutil

    cmd = [sys.executable, __file__, "--child", engine, "--data", str(args.data)]
    cmd += ["--min-weight", str(args.min_weight), "--memory-limit", args.memory_limit]
    cmd += ["--threads", str(args.threads), "--spark-memory", args.spark_memory]
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    peak = 0
    done = threading.Event()

    def sample() -> None:
        nonlocal peak
        parent = psutil.Process(proc.pid)
        while not done.is_set():
            try:
                tree = [parent, *parent.children(recursive=True)]
                peak = max(peak, sum(p.memory_info().rss for p in tree))
            except psutil.Error:
                pass
            time.sleep(0.1)

    thread = threading.Thread(target=sample, daemon=True)
    thread.start()
    try:
        out, err = proc.communicate(timeout=args.timeout)
        status = "ok" if proc.returncode == 0 else f"failed ({err.strip().splitlines()[-1:]})"
    except subprocess.TimeoutExpired:
        proc.kill()
        out, _ = proc.communicate()
        status = f"stopped after {args.timeout} s"
    done.set()
    thread.join()
    steps = None
    for line in out.splitlines():
        if line.startswith("RESULT "):
            steps = json.loads(line[len("RESULT ") :])
    return steps, peak / 1e9, status


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rows", type=float, default=1e6, help="attendance rows (about)")
    parser.add_argument("--engines", default="duckdb,spark,pandas")
    parser.add_argument("--data", type=Path, default=None)
    parser.add_argument("--keep", action="store_true", help="keep the generated Parquet")
    parser.add_argument("--min-weight", type=float, default=5)
    parser.add_argument("--memory-limit", default="3GB", help="DuckDB memory_limit")
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--spark-memory", default="6g", help="spark.driver.memory")
    parser.add_argument("--timeout", type=float, default=3600, help="per engine, seconds")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        _child(args)
        return
    rows = int(args.rows)
    args.data = args.data or Path(f"/tmp/connectnet-bench-{rows:.0e}")
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
    print(f"data: {args.data} ({size / 1e9:.2f} GB of Parquet)\n")
    try:
        for engine in args.engines.split(","):
            steps, peak, status = _run_engine(engine, args)
            print(f"{engine}: {status}, peak RSS {peak:.2f} GB")
            for step in steps or []:
                extra = {k: v for k, v in step.items() if k not in ("step", "seconds")}
                print(f"  {step['step']:<34} {step['seconds']:>8.2f} s  {extra or ''}")
    finally:
        if not args.keep:
            shutil.rmtree(args.data, ignore_errors=True)


if __name__ == "__main__":
    main()
