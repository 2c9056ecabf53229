"""Benchmark graph construction (connectnet.build) against baselines in the same process.

Synthetic attendance: meetings of 10-60 people drawn from ``rows / 10`` people (so 2M rows
give 200k people, ~57k events, ~40M person pairs); the "conference" variant adds a few
events of several thousand people. Times are wall-clock seconds (best of ``--repeat``),
peak memory is the ``tracemalloc`` peak of a separate run (numpy/scipy/pandas buffers).

Claims checked (issue 3):

- large: ``coattendance_edges`` within 1.5x of bare ``scipy.sparse`` B·Bᵀ + upper
  triangle, in time and peak memory; at least 5x faster than a pandas self-merge.
- small: ``coattendance_edges`` at least 100x faster than
  ``networkx.bipartite.weighted_projected_graph``; ``coattendance_graph`` at most 1.3x the
  cost of building the ``nx.Graph`` from the edge arrays alone.
- ``organisation_graph``/``sector_graph`` from a Dataset at least 10x faster than
  project-then-aggregate; the large table *with* conferences under 30 s and 4 GB.

Usage::

    python benchmarks/bench_build.py                 # full size (2M / 200k rows)
    python benchmarks/bench_build.py --scale 0.1     # quick run while developing
"""

from __future__ import annotations

import argparse
import gc
import time
import tracemalloc
from collections.abc import Callable

import networkx as nx
import numpy as np
import pandas as pd
import scipy.sparse as sp

import connectnet as cn
from connectnet.data import Dataset

SECTORS = ["NHS", "prison", "civil service", "local authority", "academic", "voluntary"]


def make_data(
    rows: int,
    *,
    conferences: int = 0,
    conference_size: int = 3000,
    people_per_org: int = 100,
    seed: int = 1,
):
    """Attendance of 10-60-person meetings (+ optional conferences) as a Dataset."""
    rng = np.random.default_rng(seed)
    n_people = max(rows // 10, 100)
    sizes = rng.integers(10, 61, size=rows // 35 + 100)
    sizes = sizes[np.cumsum(sizes) <= rows]
    sizes = np.concatenate([sizes, np.full(conferences, min(conference_size, n_people))])
    parts = [rng.choice(n_people, s, replace=False) for s in sizes]
    p = np.concatenate(parts)
    e = np.repeat(np.arange(sizes.size), sizes)
    pid = np.array([f"P{i:07d}" for i in range(n_people)], dtype=object)
    eid = np.array([f"E{i:06d}" for i in range(sizes.size)], dtype=object)
    n_orgs = max(n_people // people_per_org, 6)
    org_of = rng.integers(0, n_orgs, n_people)
    org_ids = np.array([f"O{i:05d}" for i in range(n_orgs)], dtype=object)
    org_sector = np.array(SECTORS, dtype=object)[rng.integers(0, len(SECTORS), n_orgs)]
    people = pd.DataFrame(
        {
            "organisation_id": org_ids[org_of],
            "sector": org_sector[org_of],
        },
        index=pd.Index(pid, name="person_id", dtype=object),
    )
    organisations = pd.DataFrame(
        {"sector": org_sector},
        index=pd.Index(org_ids, name="organisation_id", dtype=object),
    )
    events = pd.DataFrame(
        {"date": pd.date_range("2020-01-01", periods=sizes.size, freq="h")},
        index=pd.Index(eid, name="event_id", dtype=object),
    )
    attendance = pd.DataFrame(
        {"event_id": pd.Series(eid[e], dtype=object), "person_id": pd.Series(pid[p], dtype=object)}
    )
    empty = pd.DataFrame({c: pd.Series(dtype=object) for c in ("source", "target", "wave")})
    data = Dataset(
        people=people,
        organisations=organisations,
        events=events,
        attendance=attendance,
        contacts=empty,
        load_report=pd.DataFrame(
            {
                c: pd.Series(dtype=object)
                for c in ("table", "row", "column", "value", "action", "reason")
            }
        ),
        source=f"synthetic {rows} rows",
    )
    pairs = int((sizes * (sizes - 1) // 2).sum())
    return data, pairs


def timed(fn: Callable[[], object], repeat: int = 1) -> tuple[float, object]:
    best, out = float("inf"), None
    for _ in range(repeat):
        out = None
        gc.collect()
        t = time.perf_counter()
        out = fn()
        best = min(best, time.perf_counter() - t)
    return best, out


def peak_mb(fn: Callable[[], object]) -> float:
    gc.collect()
    tracemalloc.start()
    tracemalloc.reset_peak()
    out = fn()
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    del out
    return peak / 2**20


def bare_scipy(data: Dataset) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Baseline: integer codes, B·Bᵀ, upper triangle (no ids, no weights, no checks)."""
    att = data.attendance
    p, _ = pd.factorize(att["person_id"])
    e, _ = pd.factorize(att["event_id"])
    B = sp.csr_array((np.ones(p.size, dtype=np.int32), (p, e)))
    T = sp.triu(B @ B.T, k=1).tocoo()
    return T.row, T.col, T.data


def pandas_merge(data: Dataset) -> pd.DataFrame:
    """Baseline: self-merge of the attendance table on event, count pairs."""
    att = data.attendance[["event_id", "person_id"]]
    m = att.merge(att, on="event_id")
    m = m[m["person_id_x"] < m["person_id_y"]]
    return m.groupby(["person_id_x", "person_id_y"], sort=False).size().reset_index()


def graph_from_arrays(edges: pd.DataFrame) -> nx.Graph:
    """The floor for returning networkx: nx.Graph from edge arrays alone."""
    G = nx.Graph()
    G.add_weighted_edges_from(
        zip(
            edges["source"].tolist(),
            edges["target"].tolist(),
            edges["weight"].tolist(),
            strict=True,
        )
    )
    return G


def project_then_aggregate_arrays(data: Dataset, by: str) -> pd.DataFrame:
    """Array baseline: person pairs, then sum per group pair (no networkx)."""
    edges = cn.coattendance_edges(data, max_memory=None)
    group = data.people[by]
    a = group.reindex(edges["source"].astype(object)).to_numpy()
    b = group.reindex(edges["target"].astype(object)).to_numpy()
    lo, hi = np.where(a <= b, a, b), np.where(a <= b, b, a)
    return (
        pd.DataFrame({"a": lo, "b": hi, "w": edges["weight"].to_numpy()})
        .groupby(["a", "b"])["w"]
        .sum()
    )


def line(label: str, seconds: float, mb: float | None = None) -> None:
    mem = f"  peak {mb:8.0f} MB" if mb is not None else ""
    print(f"  {label:<52s} {seconds:8.2f} s{mem}", flush=True)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--scale", type=float, default=1.0, help="multiply every size (0.1: quick)")
    ap.add_argument("--large-rows", type=int, default=2_000_000)
    ap.add_argument("--small-rows", type=int, default=200_000)
    ap.add_argument(
        "--merge-rows",
        type=int,
        default=500_000,
        help="rows for the pandas self-merge comparison (it needs ~4x more memory)",
    )
    ap.add_argument("--conferences", type=int, default=20, help="conferences of 3,000 people")
    ap.add_argument(
        "--people-per-org",
        type=int,
        default=100,
        help="organisation size (2M rows: 2,000 organisations)",
    )
    ap.add_argument("--no-networkx", action="store_true", help="skip the networkx projection")
    ap.add_argument("--repeat", type=int, default=3, help="best of N for the timings")
    args = ap.parse_args()
    large = int(args.large_rows * args.scale)
    small = int(args.small_rows * args.scale)
    merge_rows = int(args.merge_rows * args.scale)
    r = args.repeat

    # ---------------------------------------------------------------- small
    data, pairs = make_data(small, people_per_org=args.people_per_org)
    print(
        f"\nsmall: {len(data.attendance):,} rows, {len(data.people):,} people, "
        f"{len(data.events):,} events, {pairs:,} pairs"
    )
    t_edges, edges = timed(lambda: cn.coattendance_edges(data), r)
    line("coattendance_edges", t_edges)
    t_floor, _ = timed(lambda edges=edges: graph_from_arrays(edges), r)
    line("nx.Graph from the edge arrays (floor)", t_floor)
    t_graph, G = timed(lambda: cn.coattendance_graph(data), r)
    line("coattendance_graph", t_graph)
    print(f"  -> coattendance_graph / floor: {t_graph / t_floor:.2f}x (target <= 1.30x)")
    if not args.no_networkx:
        B = cn.attendance_graph(data)
        people_nodes = [n for n in B if n[0] == "person"]
        t_nx, _ = timed(lambda: nx.bipartite.weighted_projected_graph(B, people_nodes))
        line("networkx weighted_projected_graph", t_nx)
        print(f"  -> networkx / coattendance_edges: {t_nx / t_edges:.0f}x (target >= 100x)")
        del B
    t_org, _ = timed(lambda: cn.organisation_graph(data), r)
    line("organisation_graph(Dataset)", t_org)
    t_pta, _ = timed(lambda: cn.organisation_graph(cn.coattendance_graph(data)))
    line("organisation_graph(coattendance_graph(data))", t_pta)
    t_pta2, _ = timed(lambda: project_then_aggregate_arrays(data, "organisation_id"))
    line("coattendance_edges + pandas groupby", t_pta2)
    print(f"  -> project-then-aggregate (networkx) / direct: {t_pta / t_org:.0f}x (target >= 10x)")
    print(f"  -> project-then-aggregate (arrays) / direct: {t_pta2 / t_org:.0f}x")
    t_sec, _ = timed(lambda: cn.sector_graph(data), r)
    line("sector_graph(Dataset)", t_sec)
    del data, edges, G
    gc.collect()

    # ---------------------------------------------------------------- merge
    data, pairs = make_data(merge_rows)
    print(f"\nmerge: {len(data.attendance):,} rows, {pairs:,} pairs")
    t_e, _ = timed(lambda: cn.coattendance_edges(data), r)
    line("coattendance_edges", t_e)
    t_m, _ = timed(lambda: pandas_merge(data))
    line("pandas self-merge + groupby", t_m)
    print(f"  -> pandas / coattendance_edges: {t_m / t_e:.1f}x (target >= 5x)")
    del data
    gc.collect()

    # ---------------------------------------------------------------- large
    data, pairs = make_data(large)
    print(
        f"\nlarge: {len(data.attendance):,} rows, {len(data.people):,} people, "
        f"{len(data.events):,} events, {pairs:,} pairs"
    )
    t_bare, _ = timed(lambda: bare_scipy(data), r)
    line("bare scipy B·Bᵀ + triu", t_bare)
    t_ours, _ = timed(lambda: cn.coattendance_edges(data), r)
    line("coattendance_edges", t_ours)
    m_bare = peak_mb(lambda: bare_scipy(data))
    m_ours = peak_mb(lambda: cn.coattendance_edges(data))
    print(f"  peak memory: bare {m_bare:.0f} MB, coattendance_edges {m_ours:.0f} MB")
    print(
        f"  -> time ratio {t_ours / t_bare:.2f}x, memory ratio {m_ours / m_bare:.2f}x "
        "(target <= 1.5x)"
    )
    del data
    gc.collect()

    data, pairs = make_data(
        large, conferences=args.conferences, people_per_org=args.people_per_org
    )
    print(
        f"\nlarge + {args.conferences} conferences: {len(data.attendance):,} rows, {pairs:,} pairs"
    )
    try:
        cn.coattendance_edges(data)
    except ValueError as exc:
        print(f"  coattendance_edges refuses: {str(exc)[:160]}...")
    for name, fn in (
        ("organisation_graph", cn.organisation_graph),
        ("sector_graph", cn.sector_graph),
    ):
        t, H = timed(lambda fn=fn: fn(data))
        mb = peak_mb(lambda fn=fn: fn(data))
        line(f"{name}(Dataset), {H.number_of_nodes()} nodes", t, mb)
    print("  (targets: under 30 s and 4 GB each)")


if __name__ == "__main__":
    main()
