"""Speed of the SAOM checks and of the report's model (issue 15).

Printed, each after a warm-up call that loads the compiled kernels:

* the triad census (numba) against networkx's ``triadic_census`` on a random directed
  network (``--n`` actors, mean outdegree 4), and the bare numpy floor of reading the
  six arcs of every triple once;
* ``saom_gof`` for the four statistics from one set of ``--sims`` simulations of a model
  fitted to that network's two waves (simulations per second);
* the report's default model on each sample (``compute_model``: fit with 500 phase-3
  runs plus goodness of fit with 200 simulations), the figure behind the issue's
  "at most 30 s per sample" budget; wall-clock and CPU time (the kernels run on one core,
  so on a busy machine the CPU time is the better guide to a quiet machine's wall-clock).

Usage::

    python benchmarks/bench_saom_gof.py              # n = 140, 1000 simulations
    python benchmarks/bench_saom_gof.py --n 60 --sims 200 --no-report
"""

from __future__ import annotations

import argparse
import time

import networkx as nx
import numpy as np

import connectnet as cn
from connectnet.saom.gof import _TRIAD_OF, saom_gofs, triad_census


def _network(rng: np.random.Generator, n: int) -> np.ndarray:
    x = (rng.random((n, n)) < 4 / n).astype(np.int8)
    np.fill_diagonal(x, 0)
    return x


def _numpy_floor(a: np.ndarray) -> float:
    """Seconds to gather the six arcs of every triple with numpy (no classification)."""
    n = a.shape[0]
    pi, pj = np.triu_indices(n, k=1)
    reps = n - 1 - pj
    i, j = np.repeat(pi, reps), np.repeat(pj, reps)
    k = np.arange(reps.sum()) - np.repeat(np.cumsum(reps) - reps, reps) + j + 1
    t = time.perf_counter()
    code = a[i, j] | a[j, i] << 1 | a[i, k] << 2 | a[k, i] << 3 | a[j, k] << 4 | a[k, j] << 5
    np.bincount(_TRIAD_OF[code], minlength=16)
    return time.perf_counter() - t


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=140, help="actors (default 140)")
    parser.add_argument("--sims", type=int, default=1000, help="GOF simulations")
    parser.add_argument("--no-report", action="store_true", help="skip the report model")
    args = parser.parse_args()
    rng = np.random.default_rng(1)
    a = _network(rng, args.n)
    triad_census(a)  # compile
    t = time.perf_counter()
    for _ in range(20):
        triad_census(a)
    ours = (time.perf_counter() - t) / 20
    G = nx.from_numpy_array(a, create_using=nx.DiGraph)
    t = time.perf_counter()
    nx.triadic_census(G)
    theirs = time.perf_counter() - t
    floor = _numpy_floor(a.astype(np.int64))
    print(
        f"triad census, n = {args.n}: {ours * 1e3:.2f} ms (networkx {theirs * 1e3:.1f} ms, "
        f"{theirs / ours:.0f}x faster; numpy floor {floor * 1e3:.2f} ms, "
        f"{ours / floor:.2f}x the floor)"
    )

    w2 = np.where(rng.random(a.shape) < 0.05, 1 - a, a).astype(float)
    np.fill_diagonal(w2, 0)
    res = cn.fit_saom([a.astype(float), w2], ["density", "recip"], n_phase3=100, seed=1)
    saom_gofs(res, ["indegree"], n_sim=10, seed=0)  # warm-up
    stats = ["indegree", "outdegree", "triad_census", "geodesic"]
    t = time.perf_counter()
    gofs = saom_gofs(res, stats, n_sim=args.sims, seed=2)
    took = time.perf_counter() - t
    print(
        f"saom_gof, 4 statistics from {args.sims} simulations of {args.n} actors: "
        f"{took:.1f} s ({args.sims / took:.0f} simulations/s); p-values "
        + ", ".join(f"{s} {g.p_value:.3f}" for s, g in gofs.items())
    )
    if args.no_report:
        return
    from connectnet.report import _compute as c
    from connectnet.report._data import ReportOptions

    for name, within in (("prison_health", "region"), ("chief_executives", None),
                         ("cancer_networks", None)):  # fmt: skip
        rd = c.prepare(cn.load_sample(name), ReportOptions(within=within), salt=None)
        c.build_graphs(rd)
        t, cpu = time.perf_counter(), time.process_time()
        result = c.compute_model(rd)
        took, cpu = time.perf_counter() - t, time.process_time() - cpu
        print(
            f"report model, {name}: {took:.1f} s ({cpu:.1f} s CPU) for {result.n_actors} "
            f"actors, {len(result.waves)} waves, converged {result.fit.converged}"
        )


if __name__ == "__main__":
    main()
