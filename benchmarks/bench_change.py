"""Speed and statistical calibration of connectnet.change.

Speed (default): times the batched permutation tests against the plain approach each
replaces, measured in the same process, and prints peak memory (tracemalloc):

* ``ei_change_test`` vs. rebuilding both waves as networkx graphs and calling
  ``connectnet.ei_index`` per permutation (the obvious implementation);
* ``qap_correlation`` vs. a Python loop of ``np.corrcoef`` on each permuted matrix;
* ``qap_regression`` (DSP) vs. a Python loop refitting OLS (``np.linalg.lstsq``) for each
  permutation and term.

The loop baselines are timed on a few permutations and scaled to the same count.

Calibration (``--calibrate``): the rejection rate at alpha = 0.05 and 0.01 when the null is
true, with a 95 % binomial interval:

* E-I change, undirected waves from one dyad-independent model with node heterogeneity;
* prison→NHS block density change (directed, within region);
* QAP regression (DSP) with a predictor that is correlated with another true predictor
  and structured by node effects but has no effect of its own (Dekker et al. 2007's hard
  case), and the same under ``method="y"`` for comparison.

QAP at scale (``--qap-scale``): ``qap_regression`` DSP with 3 binary predictors (an earlier
wave at 1 % density, same sector (5 sectors), same region (10 regions)) on 2,000 nodes,
1,000 permutations (target: under 60 s), and ``qap_correlation`` at the same size, with
peak traced memory (target: no ``n x n`` array per permutation), and the old copying
computation on a few permutations for equality.

Coverage (``--coverage``): 95 % ``bootstrap_ci`` intervals for density, E-I and one block
density of one wave and of the change between two waves, from stochastic block models with
random group membership (3 groups, shares 0.5/0.3/0.2) and known values, n = 100 and 300,
1,000 replications each (target: 93-97 %).

Report step at national scale (``--national``): the functions the report's "change between
waves" step calls (``compare``, ``tie_changes``, two ``ei_change_test``, two paired
``bootstrap_ci``, two ``nonresponse_sensitivity``, ``exposure_effect``) on the graphs the
report builds from ``benchmarks/_national.py`` data, wall and CPU seconds each, then
``compute_change`` as a whole (1,000 permutations and bootstrap replicates).

Usage::

    python benchmarks/bench_change.py               # speed, scale 1
    python benchmarks/bench_change.py --scale 0.2   # quicker
    python benchmarks/bench_change.py --calibrate --pairs 4000
    python benchmarks/bench_change.py --qap-scale [--nodes 2000 --perms 1000]
    python benchmarks/bench_change.py --coverage [--reps 1000 --boot 1000 --sizes 100 300]
    python benchmarks/bench_change.py --coverage --sizes 300 --statistics ei --one-wave \
        --reps 2000 --seed 20261201        # a further, independent run of one cell
    python benchmarks/bench_change.py --national 10000 50000
"""

from __future__ import annotations

import argparse
import math
import time
import tracemalloc

import networkx as nx
import numpy as np

import connectnet as cn


# ---------------------------------------------------------------------------------------
def timed(func, *args, **kwargs):
    tracemalloc.start()
    t0 = time.perf_counter()
    out = func(*args, **kwargs)
    elapsed = time.perf_counter() - t0
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return out, elapsed, peak / 2**20


def random_waves(n: int, m: int, keep: float, rng: np.random.Generator):
    """Two undirected waves on n nodes, m ties each, a share ``keep`` of ties kept."""
    groups = rng.integers(0, 4, n)
    pairs = rng.integers(0, n, size=(3 * m, 2))
    pairs = pairs[pairs[:, 0] != pairs[:, 1]]
    pairs = np.unique(np.sort(pairs, axis=1), axis=0)
    rng.shuffle(pairs)
    first = pairs[:m]
    n_keep = int(keep * m)
    second = np.concatenate([first[:n_keep], pairs[m : m + (m - n_keep)]])
    waves = []
    for edges in (first, second):
        G = nx.Graph()
        G.add_nodes_from((i, {"sector": int(groups[i])}) for i in range(n))
        G.add_edges_from(edges.tolist())
        waves.append(G)
    return waves


def naive_ei_change(before, after, n_perm, rng):
    """Per permutation: swap dyads, rebuild the graphs, call cn.ei_index."""
    eb = {tuple(sorted(e)) for e in before.edges()}
    ea = {tuple(sorted(e)) for e in after.edges()}
    dyads = sorted(eb | ea)
    out = []
    for _ in range(n_perm):
        swap = rng.random(len(dyads)) < 0.5
        B, A = nx.Graph(), nx.Graph()
        B.add_nodes_from(before.nodes(data=True))
        A.add_nodes_from(after.nodes(data=True))
        for d, s in zip(dyads, swap, strict=True):
            inb, ina = d in eb, d in ea
            if s:
                inb, ina = ina, inb
            if inb:
                B.add_edge(*d)
            if ina:
                A.add_edge(*d)
        out.append(cn.ei_index(A, "sector") - cn.ei_index(B, "sector"))
    return np.array(out)


def naive_qap_corr(X, Y, n_perm, rng):
    n = X.shape[0]
    off = ~np.eye(n, dtype=bool)
    out = []
    for _ in range(n_perm):
        p = rng.permutation(n)
        out.append(np.corrcoef(X[off], Y[np.ix_(p, p)][off])[0, 1])
    return np.array(out)


def naive_dsp(y, Xs, n_perm, rng):
    n = y.shape[0]
    off = ~np.eye(n, dtype=bool)
    D = np.column_stack([np.ones(off.sum())] + [M[off] for M in Xs])
    yv = y[off]
    out = np.empty((n_perm, D.shape[1]))
    for k in range(D.shape[1]):
        Z = np.delete(D, k, axis=1)
        e = D[:, k] - Z @ np.linalg.lstsq(Z, D[:, k], rcond=None)[0]
        E = np.zeros((n, n))
        E[off] = e
        for r in range(n_perm):
            p = rng.permutation(n)
            W = np.column_stack([Z, E[np.ix_(p, p)][off]])
            beta, rss, *_ = np.linalg.lstsq(W, yv, rcond=None)
            sig = rss[0] / (W.shape[0] - W.shape[1])
            out[r, k] = beta[-1] / math.sqrt(sig * np.linalg.inv(W.T @ W)[-1, -1])
    return out


def speed(scale: float) -> None:
    rng = np.random.default_rng(1)
    R = 1000
    n, m = int(20_000 * scale), int(100_000 * scale)
    before, after = random_waves(n, m, 0.7, rng)
    print(f"ei_change_test: {n} nodes, {m} ties per wave, 70% kept, {R} permutations")
    res, t_fast, mem = timed(
        cn.ei_change_test, before, after, "sector", n_permutations=R, seed=1, progress=False
    )
    k = 3
    _, t_naive, _ = timed(naive_ei_change, before, after, k, np.random.default_rng(2))
    t_naive_R = t_naive / k * R
    print(
        f"  batched      {t_fast:8.2f} s   peak {mem:7.1f} MiB   "
        f"({res.n_changed_dyads} changed dyads)"
    )
    print(f"  naive loop   {t_naive_R:8.2f} s   (measured {k} permutations, scaled)")
    print(f"  speed-up     {t_naive_R / t_fast:8.1f} x")

    nq = max(20, int(300 * math.sqrt(scale)))
    X = (rng.random((nq, nq)) < 0.1).astype(float)
    Y = 0.3 * X + rng.random((nq, nq))
    print(f"qap_correlation: {nq} nodes, {R} permutations")
    _, t_fast, mem = timed(cn.qap_correlation, X, Y, n_permutations=R, seed=1, progress=False)
    k = 100
    _, t_naive, _ = timed(naive_qap_corr, X, Y, k, np.random.default_rng(2))
    print(f"  batched      {t_fast:8.2f} s   peak {mem:7.1f} MiB")
    print(f"  naive loop   {t_naive / k * R:8.2f} s   (measured {k}, scaled)")
    print(f"  speed-up     {t_naive / k * R / t_fast:8.1f} x")

    nr = max(20, int(150 * math.sqrt(scale)))
    Xs = [
        (rng.random((nr, nr)) < 0.15).astype(float),
        rng.normal(size=(nr, nr)),
        rng.normal(size=(nr, nr)),
    ]
    y = Xs[0] + 0.2 * Xs[1] + rng.normal(size=(nr, nr))
    print(f"qap_regression (dsp): {nr} nodes, 3 predictors + intercept, {R} permutations")
    X = {f"x{i}": M for i, M in enumerate(Xs)}
    _, t_fast, mem = timed(cn.qap_regression, y, X, n_permutations=R, seed=1, progress=False)
    k = 20
    _, t_naive, _ = timed(naive_dsp, y, Xs, k, np.random.default_rng(2))
    print(f"  batched      {t_fast:8.2f} s   peak {mem:7.1f} MiB")
    print(f"  naive loop   {t_naive / k * R:8.2f} s   (measured {k} per term, scaled)")
    print(f"  speed-up     {t_naive / k * R / t_fast:8.1f} x")


# ---------------------------------------------------------------------------------------
def binom_ci(k: int, n: int) -> tuple[float, float]:
    p = k / n
    half = 1.96 * math.sqrt(p * (1 - p) / n) if 0 < k < n else 1.96 * math.sqrt(0.25 / n)
    return max(0.0, p - half), min(1.0, p + half)


def report(name: str, pvals: list[float], elapsed: float) -> None:
    p = np.asarray(pvals)
    print(f"{name}: {p.size} null pairs in {elapsed:.1f} s")
    for alpha in (0.05, 0.01):
        k = int((p < alpha).sum())
        lo, hi = binom_ci(k, p.size)
        print(f"  p < {alpha}: {k / p.size:6.3f}  (95% CI {lo:.3f}-{hi:.3f}; nominal {alpha})")


def null_waves_ei(rng, n=30, directed=False):
    sector = np.repeat([0, 1], n // 2)
    region = np.tile([0, 1, 2], n // 3 + 1)[:n]
    a = rng.normal(0, 0.5, n)
    logit = -2.2 + a[:, None] + a[None, :] + 1.0 * (sector[:, None] == sector[None, :])
    prob = 1 / (1 + np.exp(-logit))
    if directed:
        rows, cols = np.nonzero(~np.eye(n, dtype=bool))
    else:
        rows, cols = np.triu_indices(n, 1)
    out = []
    for _ in range(2):
        tie = rng.random(rows.size) < prob[rows, cols]
        G = nx.DiGraph() if directed else nx.Graph()
        G.add_nodes_from(
            (i, {"sector": ["prison", "nhs"][sector[i]], "region": int(region[i])})
            for i in range(n)
        )
        G.add_edges_from(zip(rows[tie].tolist(), cols[tie].tolist(), strict=True))
        G.graph["respondents"] = list(range(n))
        out.append(G)
    return out


def calibrate(pairs: int) -> None:
    rng = np.random.default_rng(20261130)
    t0 = time.perf_counter()
    pv = []
    for _ in range(pairs):
        b, a = null_waves_ei(rng)
        pv.append(cn.ei_change_test(b, a, "sector", n_permutations=199, seed=rng).p_two_sided)
    report("E-I change (undirected, 30 people, 199 permutations)", pv, time.perf_counter() - t0)

    t0 = time.perf_counter()
    pv = []
    for _ in range(pairs):
        b, a = null_waves_ei(rng, n=60, directed=True)
        pv.append(
            cn.ei_change_test(
                b,
                a,
                "sector",
                source="prison",
                target="nhs",
                within="region",
                n_permutations=199,
                seed=rng,
            ).p_two_sided
        )
    report(
        "block density prison→nhs within region (directed, 60 people)",
        pv,
        time.perf_counter() - t0,
    )

    for method in ("dsp", "y"):
        t0 = time.perf_counter()
        pv = []
        n = 20
        for _ in range(max(pairs // 4, 1)):
            # x1 structured by node effects (row + column), x2 correlated with x1 and
            # structured by its own node effects; y depends on x1 only, plus node effects
            # of its own (autocorrelated errors): x2's true coefficient is 0.
            r = rng.normal(size=n)
            x1 = r[:, None] + r[None, :] + rng.normal(size=(n, n))
            s = rng.normal(size=n)
            x2 = 0.7 * x1 + s[:, None] + s[None, :] + rng.normal(size=(n, n))
            u = rng.normal(size=n)
            y = x1 + 2 * (u[:, None] + u[None, :]) + rng.normal(size=(n, n))
            res = cn.qap_regression(
                y, {"x1": x1, "x2": x2}, method=method, n_permutations=199, seed=rng
            )
            pv.append(res.coefficients.loc["x2", "p_two_sided"])
        report(
            f"QAP regression, null predictor x2 (method={method!r}, 20 nodes)",
            pv,
            time.perf_counter() - t0,
        )


def qap_scale(n: int, R: int) -> None:
    rng = np.random.default_rng(0)
    sector, region = rng.integers(0, 5, n), rng.integers(0, 10, n)
    earlier = (rng.random((n, n)) < 0.01).astype(float)
    same_s = (sector[:, None] == sector[None, :]).astype(float)
    same_r = (region[:, None] == region[None, :]).astype(float)
    y = ((rng.random((n, n)) < 0.01) | ((earlier > 0) & (rng.random((n, n)) < 0.5))) * 1.0
    X = {"earlier": earlier, "same_sector": same_s, "same_region": same_r}
    print(f"qap_regression (dsp): {n} nodes, 3 binary predictors, {R} permutations")
    res, t, mem = timed(cn.qap_regression, y, X, n_permutations=R, seed=1, progress=False)
    print(
        f"  {t:8.2f} s   peak traced {mem:8.1f} MiB "
        f"(one n x n float64 = {n * n * 8 / 2**20:.1f} MiB)"
    )
    print(res.coefficients[["estimate", "t", "p_two_sided"]].to_string())
    print(f"qap_correlation: {n} nodes, {R} permutations")
    _, t, mem = timed(cn.qap_correlation, earlier, y, n_permutations=R, seed=1, progress=False)
    print(f"  {t:8.2f} s   peak traced {mem:8.1f} MiB")
    # equality with the copying computation on a few permutations (smaller n)
    m = min(n, 200)
    sub = {k: v[:m, :m] for k, v in X.items()}
    fast = cn.qap_correlation(sub["earlier"], y[:m, :m], n_permutations=5, seed=3)
    perms = np.argsort(np.random.default_rng(3).random((5, m)), axis=1)
    off = ~np.eye(m, dtype=bool)
    slow = [np.corrcoef(sub["earlier"][off], y[:m, :m][np.ix_(p, p)][off])[0, 1] for p in perms]
    diff = np.max(np.abs(fast.null_distribution - np.array(slow)))
    print(
        f"  kernel vs copied permuted matrices ({m} nodes, 5 permutations): max |diff| {diff:.2e}"
    )


def _sbm_truth(pi, P, s, t):
    dens = pi @ P @ pi
    internal = (pi**2 * np.diag(P)).sum()
    return {"density": dens, "ei": (dens - 2 * internal) / dens, "block_density": P[s, t]}


def coverage(
    reps: int,
    boot: int,
    sizes: tuple[int, ...] = (100, 300),
    *,
    seed: int | None = None,
    statistics: tuple[str, ...] | None = None,
    one_wave: bool = False,
) -> None:
    """Coverage of ``bootstrap_ci`` in SBMs; ``seed`` (default: the size ``n``) starts the
    stream, ``statistics`` and ``one_wave`` run some cells only (a further, independent
    set of replications of one cell)."""
    pi = np.array([0.5, 0.3, 0.2])
    P1 = np.array([[0.10, 0.02, 0.01], [0.02, 0.12, 0.03], [0.01, 0.03, 0.15]])
    P2 = P1 + np.array([[0.0, 0.02, 0.01], [0.02, 0.0, 0.02], [0.01, 0.02, 0.0]])
    t1, t2 = _sbm_truth(pi, P1, 0, 1), _sbm_truth(pi, P2, 0, 1)
    options = {
        "density": {},
        "ei": {"attr": "g"},
        "block_density": {"attr": "g", "source": 0, "target": 1},
    }
    if statistics is not None:
        options = {k: options[k] for k in statistics}
    kinds = ("one wave",) if one_wave else ("one wave", "change")
    for n in sizes:
        rng = np.random.default_rng(n if seed is None else seed)
        hits = {(k, w): 0 for k in options for w in kinds}
        t0 = time.perf_counter()
        for _ in range(reps):
            g = rng.choice(3, size=n, p=pi)
            U = rng.random((n, n))  # one uniform per dyad: the waves are dependent
            waves = []
            for P in (P1, P2):
                A = np.triu(P[g][:, g] > U, 1)
                G = nx.from_numpy_array((A + A.T).astype(np.int8))
                nx.set_node_attributes(G, dict(enumerate(g.tolist())), "g")
                waves.append(G)
            for k, kw in options.items():
                one = cn.bootstrap_ci(waves[0], k, n_boot=boot, seed=rng, **kw)
                hits[(k, "one wave")] += one.low <= t1[k] <= one.high
                if not one_wave:
                    chg = cn.bootstrap_ci(waves[0], k, after=waves[1], n_boot=boot, seed=rng, **kw)
                    hits[(k, "change")] += chg.low <= t2[k] - t1[k] <= chg.high
        print(
            f"n = {n}: {reps} replications, {boot} bootstrap replicates, "
            f"{time.perf_counter() - t0:.0f} s"
        )
        for (k, w), h in hits.items():
            lo, hi = binom_ci(h, reps)
            print(f"  {k:14s} {w:9s} coverage {h / reps:6.1%}  (95% CI {lo:.1%}-{hi:.1%})")


def national(sizes: list[int], R: int) -> None:
    import sys
    from pathlib import Path

    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from _national import NationalSpec, national_tables

    from connectnet.report import _compute
    from connectnet.report._data import ReportOptions

    for n_people in sizes:
        data = cn.read_dataset(**national_tables(NationalSpec(n_people=n_people)))
        rd = _compute.prepare(data, ReportOptions(n_permutations=R), salt=None)
        _compute.build_graphs(rd)
        time_change_step(rd, R)


def time_change_step(rd, R: int) -> None:
    """Wall and CPU seconds of each function the report's change step calls."""
    from connectnet import change
    from connectnet.report import _compute

    labels = list(rd.waves)
    first, last = rd.waves[labels[0]], rd.waves[labels[-1]]
    attr, src, tgt, within = rd.attr, rd.source_group, rd.target_group, rd.within
    block = {"source": src, "target": tgt, "within": within}
    calls = [
        ("compare", lambda: change.compare(rd.waves, attr, **block)),
        ("tie_changes", lambda: change.tie_changes(first, last, attr)),
    ]
    for key, stat, kw in (("E-I", "ei", {}), ("block density", "block_density", block)):
        calls += [
            (
                f"ei_change_test ({key})",
                lambda kw=kw: change.ei_change_test(
                    first, last, attr, n_permutations=R, seed=0, **kw
                ),
            ),
            (
                f"bootstrap_ci ({key}, paired)",
                lambda kw=kw, stat=stat: change.bootstrap_ci(
                    first, stat, after=last, attr=attr, n_boot=R, seed=0, **kw
                ),
            ),
            (
                f"nonresponse_sensitivity ({key})",
                lambda kw=kw, stat=stat: change.nonresponse_sensitivity(
                    first, last, attr, statistic=stat, n_permutations=R, seed=0, **kw
                ),
            ),
        ]
    calls += [
        (
            "exposure_effect",
            lambda: change.exposure_effect(
                rd.data, first, last, attr, src, tgt, within=within, n_permutations=R, seed=0
            ),
        ),
        ("compute_change (whole step)", lambda: _compute.compute_change(rd)),
    ]
    print(
        f"{len(rd.data.people):,} people: waves of {first.number_of_edges():,} and "
        f"{last.number_of_edges():,} arcs, {R} permutations / replicates"
    )
    for name, call in calls:
        wall, cpu = time.perf_counter(), time.process_time()
        call()
        wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
        print(f"  {name:42s} wall {wall:7.2f} s   CPU {cpu:7.2f} s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--scale",
        type=float,
        default=1.0,
        help="size multiplier for the speed runs (1 = 20k nodes/100k ties)",
    )
    parser.add_argument("--calibrate", action="store_true", help="run the calibration study")
    parser.add_argument(
        "--pairs", type=int, default=4000, help="null pairs for calibration (QAP: a quarter)"
    )
    parser.add_argument("--qap-scale", action="store_true", help="QAP at 2,000 nodes")
    parser.add_argument("--nodes", type=int, default=2000, help="nodes for --qap-scale")
    parser.add_argument("--perms", type=int, default=1000, help="permutations, --qap-scale")
    parser.add_argument("--coverage", action="store_true", help="bootstrap CI coverage")
    parser.add_argument(
        "--national", type=int, nargs="+", help="time the report's change step at these sizes"
    )
    parser.add_argument("--reps", type=int, default=1000, help="replications, --coverage")
    parser.add_argument("--boot", type=int, default=1000, help="bootstrap replicates")
    parser.add_argument(
        "--sizes", type=int, nargs="+", default=[100, 300], help="people, --coverage"
    )
    parser.add_argument("--seed", type=int, help="--coverage: seed (default: the size)")
    parser.add_argument(
        "--statistics", nargs="+", choices=["density", "ei", "block_density"], help="--coverage"
    )
    parser.add_argument("--one-wave", action="store_true", help="--coverage: one wave only")
    args = parser.parse_args()
    if args.calibrate:
        calibrate(args.pairs)
    elif args.qap_scale:
        qap_scale(args.nodes, args.perms)
    elif args.national:
        national(args.national, args.perms)
    elif args.coverage:
        coverage(
            args.reps,
            args.boot,
            tuple(args.sizes),
            seed=args.seed,
            statistics=None if args.statistics is None else tuple(args.statistics),
            one_wave=args.one_wave,
        )
    else:
        speed(args.scale)


if __name__ == "__main__":
    main()
