"""Benchmark connectnet.brokers against networkx, python-igraph and plain Python loops.

Run:  python benchmarks/bench_brokers.py [--scale 1.0] [--skip-nx]

At ``--scale 1`` (the issue's sizes): structural_holes and brokerage on 100k nodes /
1M edges (arcs for brokerage), bridging_table on 10k nodes / 100k edges. Every ratio is
measured in this one process; fast calls take the best of 3 (the machine is shared).
Peak memory is traced with tracemalloc (numpy and scipy report their buffers to it) in a
separate, untimed call.
"""

from __future__ import annotations

import argparse
import time
import tracemalloc

import networkx as nx
import numpy as np

import connectnet as cn
from connectnet._arrays import graph_arrays
from connectnet.brokers import _betweenness

try:
    import igraph as ig
except ImportError:  # pragma: no cover - optional
    ig = None


def timed(fn, *args, repeat: int = 1, **kwargs):
    """Result and best wall time of ``repeat`` calls (the machine is shared: take the min)."""
    best = float("inf")
    for _ in range(repeat):
        t0 = time.perf_counter()
        out = fn(*args, **kwargs)
        best = min(best, time.perf_counter() - t0)
    return out, best


def peak_mb(fn, *args, **kwargs) -> float:
    tracemalloc.start()
    tracemalloc.reset_peak()
    fn(*args, **kwargs)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return peak / 2**20


def random_graph(n: int, m: int, *, directed: bool, seed: int, groups: int = 4) -> nx.Graph:
    """Random graph with ``m`` distinct edges/arcs and a ``sector`` attribute."""
    rng = np.random.default_rng(seed)
    over = int(m * 1.1) + 10
    u = rng.integers(0, n, over)
    v = rng.integers(0, n, over)
    keep = u != v
    u, v = u[keep], v[keep]
    if not directed:
        u, v = np.minimum(u, v), np.maximum(u, v)
    key = np.unique(u * n + v)
    key = rng.permutation(key)[:m]
    G = nx.DiGraph() if directed else nx.Graph()
    sectors = np.array(["prison", "nhs", "civil", "academic", "charity"])[:groups]
    labels = sectors[rng.integers(0, groups, n)]
    G.add_nodes_from((i, {"sector": str(s)}) for i, s in enumerate(labels))
    G.add_edges_from(zip((key // n).tolist(), (key % n).tolist(), strict=True))
    return G


def loop_brokerage(G: nx.DiGraph, attr: str = "sector") -> dict:
    """Baseline: per-node Python loop over 2-paths i -> j -> k (sna's algorithm)."""
    cl = nx.get_node_attributes(G, attr)
    succ = {v: set(G.successors(v)) for v in G}
    out = {}
    for j in G:
        cj = cl[j]
        counts = [0, 0, 0, 0, 0]
        for i in G.predecessors(j):
            ci = cl[i]
            si = succ[i]
            for k in succ[j]:
                if k == i or k in si:
                    continue
                ck = cl[k]
                if ci == cj:
                    counts[0 if ck == cj else 2] += 1
                elif ck == cj:
                    counts[3] += 1
                elif ci == ck:
                    counts[1] += 1
                else:
                    counts[4] += 1
        out[j] = counts
    return out


def bench_structural_holes(n: int, m: int, skip_nx: bool) -> None:
    print(f"\n== structural_holes: {n:,} nodes, {m:,} undirected edges")
    G = random_graph(n, m, directed=False, seed=1)
    holes, t_ours = timed(cn.structural_holes, G, repeat=3)
    _, t_arr = timed(graph_arrays, G, repeat=3)
    print(f"connectnet.structural_holes   {t_ours:8.2f} s  (4 measures, incl. graph conversion)")
    print(f"  of which nx -> arrays        {t_arr:8.2f} s")
    if ig is not None:
        g, t_conv = timed(lambda: ig.Graph(n=n, edges=list(G.edges())))
        c_ig, t_ig = timed(g.constraint, repeat=3)
        print(f"igraph constraint             {t_ig:8.2f} s  (+{t_conv:.2f} s nx -> igraph)")
        print(f"  ratio ours / igraph          {t_ours / t_ig:8.2f} x  (target <= 2)")
        print(f"  ratio ours / igraph+convert  {t_ours / (t_ig + t_conv):8.2f} x")
        print(f"  compute only: ours / igraph  {(t_ours - t_arr) / t_ig:8.2f} x")
        diff = np.nanmax(np.abs(holes["constraint"].to_numpy() - np.asarray(c_ig)))
        print(f"  max |difference| vs igraph   {diff:.2e}")
    if not skip_nx:
        _, t_nx = timed(nx.constraint, G)
        print(f"networkx constraint           {t_nx:8.2f} s")
        print(f"  speed-up vs nx.constraint    {t_nx / t_ours:8.2f} x  (target >= 5)")
        nx_peak = peak_mb(nx.constraint, G)
        print(f"  nx.constraint peak memory    {nx_peak:8.0f} MB")
    peak = peak_mb(cn.structural_holes, G)
    print(f"structural_holes peak memory  {peak:8.0f} MB  (target < 1024)")


def bench_brokerage(n: int, m: int, skip_loop: bool) -> None:
    print(f"\n== brokerage: {n:,} nodes, {m:,} arcs")
    G = random_graph(n, m, directed=True, seed=2)
    res, t_ours = timed(cn.brokerage, G, repeat=3)
    print(f"connectnet.brokerage          {t_ours:8.2f} s  (counts + expectations + z)")
    if not skip_loop:
        base, t_loop = timed(loop_brokerage, G)
        print(f"per-node Python 2-path loop   {t_loop:8.2f} s  (counts only)")
        print(f"  speed-up                     {t_loop / t_ours:8.2f} x  (target >= 4)")
        obs = res.observed.to_numpy()[:, [0, 1, 2, 3, 4]]
        ref = np.array([base[v] for v in G])[:, [0, 1, 2, 3, 4]]
        print(f"  counts identical             {bool(np.array_equal(obs, ref))}")
    peak = peak_mb(cn.brokerage, G)
    print(f"brokerage peak memory         {peak:8.0f} MB")


def bench_bridging_table(n: int, m: int) -> None:
    print(f"\n== bridging_table: {n:,} nodes, {m:,} undirected edges")
    G = random_graph(n, m, directed=False, seed=3)
    for backend in ("numpy", "igraph"):
        if backend == "igraph" and ig is None:
            print("igraph backend                (python-igraph not installed)")
            continue
        table, t = timed(cn.bridging_table, G, seed=1, backend=backend, repeat=2)
        a = table.attrs
        print(
            f"bridging_table backend={backend:6s} {t:8.2f} s  (target < 10; betweenness "
            f"{a['betweenness']}, {a['betweenness_sources']} sources)"
        )
    ga = graph_arrays(G)
    _, t_bet = timed(_betweenness, ga, exact_max_nodes=0, k=256, seed=1, backend="numpy")
    print(f"  numpy sampled betweenness    {t_bet:8.2f} s  (256 sources)")
    rng = np.random.default_rng(1)
    nodes = list(G)
    sample = [nodes[i] for i in rng.choice(len(nodes), 32, replace=False)]
    _, t_nx = timed(nx.betweenness_centrality_subset, G, sample, nodes)
    print(f"  networkx 32 sources (x8)     {8 * t_nx:8.2f} s  (extrapolated to 256)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--scale", type=float, default=1.0, help="fraction of issue sizes")
    parser.add_argument("--skip-nx", action="store_true", help="skip the networkx baseline")
    parser.add_argument("--skip-loop", action="store_true", help="skip the Python loop baseline")
    parser.add_argument(
        "--only", choices=["holes", "brokerage", "table"], default=None, help="one benchmark"
    )
    args = parser.parse_args()
    s = args.scale
    if args.only in (None, "holes"):
        bench_structural_holes(int(100_000 * s), int(1_000_000 * s), args.skip_nx)
    if args.only in (None, "brokerage"):
        bench_brokerage(int(100_000 * s), int(1_000_000 * s), args.skip_loop)
    if args.only in (None, "table"):
        bench_bridging_table(int(10_000 * s), int(100_000 * s))


if __name__ == "__main__":
    main()
