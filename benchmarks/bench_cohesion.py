"""Benchmark connectnet.cohesion on a large graph.

Times every part of :func:`connectnet.cohesion_summary` (the target is under 60 s for
100,000 nodes and 1,000,000 ties on 2 cores, with sampled shortest paths; betweenness,
triangles and k-cores run in compiled numba kernels, built once per machine), plus
``communities`` (igraph Louvain vs networkx's) and ``core_periphery`` at growing sizes
(near-linear with the default restarts), and compares each part with
networkx (and igraph when installed) measured in the same process on the same graph.
Sampled networkx/igraph parts (betweenness, path lengths) are timed on a few sources and
scaled to the same number of sources as connectnet.

Usage::

    python benchmarks/bench_cohesion.py                      # 100k nodes, ~1M ties
    python benchmarks/bench_cohesion.py --nodes 20000        # quicker
    python benchmarks/bench_cohesion.py --baseline none      # connectnet only
"""

from __future__ import annotations

import argparse
import resource
import time

import networkx as nx
import numpy as np

import connectnet as cn
from connectnet import cohesion


def _peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _timed(fn, *args, **kwargs):
    t = time.perf_counter()
    out = fn(*args, **kwargs)
    return out, time.perf_counter() - t


def _row(name: str, ours: float, base: float | None, label: str) -> None:
    if base is None:
        print(f"  {name:<26} {ours:8.2f} s")
    else:
        print(f"  {name:<26} {ours:8.2f} s   {label} {base:8.2f} s   ratio {base / ours:7.1f}x")


def networkx_baseline(G: nx.Graph, n_sources: int, probe: int, seed: int) -> dict[str, float]:
    """Seconds networkx needs for each part (per-source parts scaled to ``n_sources``)."""
    rng = np.random.default_rng(seed)
    nodes = list(G)
    sample = [nodes[i] for i in rng.choice(len(nodes), size=probe, replace=False)]
    out: dict[str, float] = {}
    _, out["components"] = _timed(nx.number_connected_components, G)
    _, t1 = _timed(nx.transitivity, G)
    _, t2 = _timed(nx.average_clustering, G)
    out["clustering"] = t1 + t2
    _, out["k_core"] = _timed(nx.core_number, G)
    _, t = _timed(nx.betweenness_centrality_subset, G, sample, nodes, normalized=False)
    out["betweenness"] = t * n_sources / probe
    t = time.perf_counter()
    for s in sample:
        nx.single_source_shortest_path_length(G, s)
    out["paths"] = (time.perf_counter() - t) * n_sources / probe
    return out


def igraph_baseline(G: nx.Graph, n_sources: int, probe: int, seed: int) -> dict[str, float]:
    import igraph as ig

    rng = np.random.default_rng(seed)
    out: dict[str, float] = {}
    H, out["convert"] = _timed(ig.Graph.from_networkx, G)
    sample = rng.choice(H.vcount(), size=probe, replace=False).tolist()
    _, out["components"] = _timed(H.connected_components)
    _, t1 = _timed(H.transitivity_undirected)
    _, t2 = _timed(H.transitivity_avglocal_undirected, mode="zero")
    out["clustering"] = t1 + t2
    _, out["k_core"] = _timed(H.coreness)
    _, t = _timed(H.betweenness, directed=False, sources=sample)
    out["betweenness"] = t * n_sources / probe
    _, t = _timed(H.distances, source=sample)
    out["paths"] = t * n_sources / probe
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--nodes", type=int, default=100_000)
    parser.add_argument("--ties-per-node", type=int, default=10, help="Barabási–Albert m")
    parser.add_argument("--sources", type=int, default=128, help="sampled BFS sources")
    parser.add_argument("--probe", type=int, default=4, help="sources timed in baselines")
    parser.add_argument("--baseline", choices=["networkx", "igraph", "both", "none"])
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    baseline = args.baseline or "both"

    print(f"generating Barabási–Albert graph n={args.nodes:,} m={args.ties_per_node}")
    G, t = _timed(nx.barabasi_albert_graph, args.nodes, args.ties_per_node, seed=args.seed)
    print(f"  {G.number_of_nodes():,} nodes, {G.number_of_edges():,} ties in {t:.1f} s")

    # the compiled kernels (numba) are built on first use and cached on disk: time that
    # once on a tiny graph, so the parts below measure the kernels themselves
    _, t = _timed(cn.cohesion_summary, nx.barabasi_albert_graph(3000, 2, seed=args.seed))
    print(f"  first use of the compiled kernels (compiling or loading them): {t:.2f} s")

    print("\ncohesion_summary parts (connectnet):")
    (values, info, timings), total = _timed(
        cohesion._summary_parts,
        G,
        None,
        exact_max_nodes=cohesion._EXACT_MAX_NODES,
        n_sources=args.sources,
        seed=args.seed,
    )
    for part, secs in timings.items():
        if part != "total":
            _row(part, secs, None, "")
    print(f"  {'TOTAL':<26} {total:8.2f} s   (target < 60 s)")
    print(f"  peak RSS so far: {_peak_rss_mb():,.0f} MB", flush=True)

    bases: dict[str, dict[str, float]] = {}
    if baseline in ("networkx", "both"):
        print("\n(timing networkx baseline: slow on large graphs ...)", flush=True)
        bases["networkx"] = networkx_baseline(G, args.sources, args.probe, args.seed)
    if baseline in ("igraph", "both"):
        try:
            bases["igraph"] = igraph_baseline(G, args.sources, args.probe, args.seed)
        except ImportError:
            print("  (igraph not installed: no igraph comparison)")
    if bases:
        print("\ncomparison (same graph, same process; ratio = baseline / connectnet):")
        for part, secs in timings.items():
            for label, base in bases.items():
                if part in base:
                    _row(part, secs, base[part], f"{label:<8}")
    print("\nvalues:")
    for key, value in values.items():
        print(f"  {key:<28} {value:.6g}")
    print("attrs:", info)

    print("\npublic cohesion_summary end to end:")
    s, t = _timed(cn.cohesion_summary, G, seed=args.seed, n_sources=args.sources)
    print(f"  {t:.2f} s, paths={s.attrs['paths']}, betweenness={s.attrs['betweenness']}")

    small_n = min(args.nodes, 10_000)
    S = nx.barabasi_albert_graph(small_n, 5, seed=args.seed)
    print(f"\ncommunities (Louvain) on n={small_n:,}, {S.number_of_edges():,} ties:")
    com, t = _timed(cn.communities, S, seed=args.seed)
    print(f"  connectnet ({com.attrs['backend']})    {t:6.2f} s   Q={com.attrs['modularity']:.4f}")
    if baseline in ("networkx", "both"):
        parts, t_nx = _timed(nx.community.louvain_communities, S, seed=args.seed)
        q = nx.community.modularity(S, parts)
        print(f"  networkx louvain        {t_nx:6.2f} s   Q={q:.4f}   ratio {t_nx / t:5.1f}x")
    print("\ncore_periphery (default restarts: 20 up to 5,000 nodes, then fewer):")
    for n in sorted({min(args.nodes, k) for k in (5_000, 20_000, 100_000)}):
        H = S if n == small_n else nx.barabasi_albert_graph(n, 5, seed=args.seed)
        cp, t = _timed(cn.core_periphery, H, seed=args.seed)
        print(
            f"  n={n:>7,}, {H.number_of_edges():>9,} ties: {t:6.2f} s   "
            f"restarts={cp.attrs['restarts']}, fit={cp.attrs['fit']:.3f}"
        )
    _, t = _timed(cn.centralization, S, "closeness")
    print(f"  centralization closeness n={small_n:,}  {t:6.2f} s   (exact, all sources)")
    print(f"\npeak RSS: {_peak_rss_mb():,.0f} MB")


if __name__ == "__main__":
    main()
