"""Benchmark connectnet.bridging against plain-Python baselines measured in the same run.

Targets (issue 4, at 100k nodes / 1M edges):

* single O(E) metrics (``ei_index``, ``mixing_matrix``, ``participation_coefficient``)
  under 2 s and no slower than 1.5x a plain Python loop over ``G.edges`` computing E-I;
* ``ei_test`` with 1,000 permutations under 15 s and at least 50x faster than recomputing
  E-I once per permutation (shuffle the attribute on the graph, call ``ei_index``).

Timings are the best of ``--repeats`` runs, with the baseline and the candidates
interleaved so that load from other processes affects them alike. Peak memory is measured
afterwards, one function at a time, with ``tracemalloc`` (not during timing).

Usage::

    python benchmarks/bench_bridging.py              # 100k nodes, 1M edges
    python benchmarks/bench_bridging.py --scale 0.1  # 10k nodes, 100k edges
"""

from __future__ import annotations

import argparse
import gc
import resource
import time
import tracemalloc
from collections.abc import Callable

import networkx as nx
import numpy as np

import connectnet as cn

SECTORS = ["prison", "nhs", "civil_service", "local_authority", "academia"]
SHARES = [0.4, 0.25, 0.15, 0.1, 0.1]


def make_graph(n: int, m: int, seed: int) -> nx.Graph:
    """Random simple graph with exactly ``m`` edges, weights and a skewed ``sector``."""
    rng = np.random.default_rng(seed)
    pairs = np.empty((0, 2), dtype=np.int64)
    while len(pairs) < m:
        extra = rng.integers(0, n, size=(int((m - len(pairs)) * 1.2) + 10, 2))
        extra = np.sort(extra[extra[:, 0] != extra[:, 1]], axis=1)
        pairs = np.unique(np.concatenate([pairs, extra]), axis=0)
    pairs = pairs[rng.permutation(len(pairs))[:m]]
    weights = rng.integers(1, 6, size=m).tolist()
    G = nx.Graph()
    sector = rng.choice(len(SECTORS), size=n, p=SHARES)
    G.add_nodes_from((i, {"sector": SECTORS[s]}) for i, s in enumerate(sector.tolist()))
    G.add_weighted_edges_from(
        zip(pairs[:, 0].tolist(), pairs[:, 1].tolist(), weights, strict=True)
    )
    return G


def loop_ei(G: nx.Graph, attr: str = "sector") -> float:
    """The baseline: a plain Python loop over ``G.edges``."""
    group = nx.get_node_attributes(G, attr)
    external = internal = 0
    for u, v in G.edges():
        if u == v:
            continue
        if group[u] != group[v]:
            external += 1
        else:
            internal += 1
    return (external - internal) / (external + internal)


def best_times(funcs: dict[str, Callable[[], object]], repeats: int) -> dict[str, float]:
    best = dict.fromkeys(funcs, float("inf"))
    for _ in range(repeats):
        for name, func in funcs.items():
            gc.collect()
            start = time.perf_counter()
            func()
            best[name] = min(best[name], time.perf_counter() - start)
    return best


def peak_mb(func: Callable[[], object]) -> float:
    gc.collect()
    tracemalloc.start()
    func()
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return peak / 2**20


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=1.0, help="1.0 = 100k nodes, 1M edges")
    parser.add_argument("--permutations", type=int, default=1000)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument(
        "--baseline-permutations",
        type=int,
        default=3,
        help="permutations actually run for the per-permutation baseline (extrapolated)",
    )
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()

    n, m = int(100_000 * args.scale), int(1_000_000 * args.scale)
    start = time.perf_counter()
    G = make_graph(n, m, args.seed)
    print(
        f"graph: {n:,} nodes, {G.number_of_edges():,} edges, 5 sectors "
        f"(built in {time.perf_counter() - start:.1f} s)"
    )

    # --- single O(E) metrics against the plain loop --------------------------------
    funcs: dict[str, Callable[[], object]] = {
        "plain loop E-I (baseline)": lambda: loop_ei(G),
        "ei_index": lambda: cn.ei_index(G),
        "ei_index weight=": lambda: cn.ei_index(G, weight="weight"),
        "group_ei_index": lambda: cn.group_ei_index(G),
        "node_ei_index": lambda: cn.node_ei_index(G),
        "mixing_matrix": lambda: cn.mixing_matrix(G),
        "participation_coefficient": lambda: cn.participation_coefficient(G),
        "block_density": lambda: cn.block_density(G),
        "assortativity": lambda: cn.assortativity(G),
        "homophily": lambda: cn.homophily(G),
        "segregation": lambda: cn.segregation(G),
    }
    assert abs(loop_ei(G) - cn.ei_index(G)) < 1e-12
    times = best_times(funcs, args.repeats)
    base = times["plain loop E-I (baseline)"]
    nx_start = time.perf_counter()
    nx_r = nx.attribute_assortativity_coefficient(G, "sector")
    nx_assort = time.perf_counter() - nx_start
    assert abs(nx_r - cn.assortativity(G)) < 1e-9

    print(f"\nsingle metrics (best of {args.repeats}; ratio = time / plain loop)")
    print(f"{'function':32s} {'time s':>8s} {'ratio':>7s} {'peak MB':>8s}")
    for name, t in times.items():
        mem = peak_mb(funcs[name])
        print(f"{name:32s} {t:8.3f} {t / base:7.2f} {mem:8.1f}")
    print(f"{'nx.attribute_assortativity':32s} {nx_assort:8.3f} {nx_assort / base:7.2f}")

    # --- ei_test against recomputing E-I per permutation ----------------------------
    R = args.permutations
    start = time.perf_counter()
    result = cn.ei_test(G, n_permutations=R, seed=args.seed)
    t_test = time.perf_counter() - start

    rng = np.random.default_rng(args.seed)
    nodes = list(G)
    labels = [G.nodes[u]["sector"] for u in nodes]
    H = G.copy()
    k = args.baseline_permutations
    start = time.perf_counter()
    for _ in range(k):
        shuffled = [labels[i] for i in rng.permutation(len(nodes))]
        nx.set_node_attributes(H, dict(zip(nodes, shuffled, strict=True)), "sector")
        cn.ei_index(H)
    per_perm = (time.perf_counter() - start) / k
    start = time.perf_counter()
    for _ in range(k):
        shuffled = [labels[i] for i in rng.permutation(len(nodes))]
        nx.set_node_attributes(H, dict(zip(nodes, shuffled, strict=True)), "sector")
        loop_ei(H)
    per_perm_loop = (time.perf_counter() - start) / k
    mem_test = peak_mb(lambda: cn.ei_test(G, n_permutations=min(R, 64), seed=1))

    print(
        f"\nei_test, {R} permutations: {t_test:.2f} s "
        f"(peak {mem_test:.0f} MB traced with 64 permutations)"
    )
    print(
        f"  observed {result.observed:.4f}, expected {result.expected:.4f}, "
        f"permutation mean {result.permutation_mean:.4f} (sd {result.permutation_sd:.5f})"
    )
    print(
        f"  recompute per permutation with ei_index: {per_perm:.2f} s each -> "
        f"{per_perm * R:.0f} s for {R} (extrapolated from {k}); "
        f"speed-up {per_perm * R / t_test:.0f}x"
    )
    print(
        f"  recompute per permutation with the plain loop: {per_perm_loop:.2f} s each -> "
        f"{per_perm_loop * R:.0f} s; speed-up {per_perm_loop * R / t_test:.0f}x"
    )
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"\nprocess peak RSS (graph included): {rss:.0f} MB")


if __name__ == "__main__":
    main()
