"""Each speed-up of connectnet.change gives the results of the computation it replaced.

The references here are the earlier implementations, written out plainly: networkx graphs
per wave for ``compare`` and for the non-response reconstruction, dense node-weight
matrices for the bootstrap replicates, a simulated Poisson dyad bootstrap for the
dyad-level variance, and a 0/1 matrix product for the dyad swaps. Where a new random
stream replaced an old one (bootstrap draws, swap bits), the distributions are compared
instead: with the exact (enumerated) null, or with the old stream over many draws.
"""

from __future__ import annotations

import itertools
import math

import networkx as nx
import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats

import connectnet as cn
from connectnet.change import bootstrap as boot
from connectnet.change import permutation as perm
from connectnet.change._alignment import _align, _node_values
from connectnet.change._common import _unique_keys

GROUPS = ("prison", "nhs", "police")


def random_waves(seed: int, directed: bool, n: int = 12, p: float = 0.25):
    """Two waves on overlapping people (some only in one wave), with sector and region,
    a self-loop and (in the first wave) a person with another region."""
    rng = np.random.default_rng(seed)
    waves = []
    for w in range(2):
        people = [i for i in range(n) if not (w == 0 and i == n - 1) and not (w == 1 and i == 0)]
        G = nx.DiGraph() if directed else nx.Graph()
        for i in people:
            region = "R9" if (w == 0 and i == 1) else f"R{i % 2}"  # own value per wave
            G.add_node(i, sector=GROUPS[i % 3], region=region)
        pairs = [(a, b) for a in people for b in people if a != b and (directed or a < b)]
        G.add_edges_from(e for e in pairs if rng.random() < p)
        G.add_edge(people[2], people[2])
        waves.append(G)
    return waves


# ------------------------------------------------------------------------- compare
def old_wave_metrics(G, nodes, values, attr, source, target, within) -> pd.Series:
    """The earlier ``compare`` column: a networkx graph on the aligned people."""
    H = nx.DiGraph() if G.is_directed() else nx.Graph()
    H.add_nodes_from(
        (v, {**(G.nodes[v] if v in G else {}), attr: values[i]}) for i, v in enumerate(nodes)
    )
    keep = set(nodes)
    H.add_edges_from((u, v) for u, v in G.edges() if u in keep and v in keep and u != v)
    n = H.number_of_nodes()
    und = H.to_undirected(as_view=True) if H.is_directed() else H
    pairs = n * (n - 1) if H.is_directed() else n * (n - 1) / 2
    try:
        ei = cn.ei_index(H, attr)
    except (ValueError, ZeroDivisionError):
        ei = math.nan
    out = {
        "people": n,
        "ties": H.number_of_edges(),
        "density": H.number_of_edges() / pairs,
        "E-I index": ei,
    }
    bd = cn.block_density(H, attr)
    for key in ("within", "between"):
        if key in bd.attrs:
            out[f"{key}-group density"] = bd.attrs[key]
    arrow = "→" if H.is_directed() else "–"
    for i, a in enumerate(bd.index):
        for j, b in enumerate(bd.columns):
            if H.is_directed() or i <= j:
                out[f"block density {a}{arrow}{b}"] = bd.iloc[i, j]
    reach = cn.cross_sector_reach(H, attr, source, target, within=within)
    suffix = f" (within {within})" if within else ""
    out[f"cross-sector reach {source}→{target}{suffix}"] = reach.share
    comps = list(nx.connected_components(und))
    out["components"] = len(comps)
    out["largest component share"] = max(len(c) for c in comps) / n
    simple = nx.Graph(und)
    has_triple = any(d >= 2 for _, d in simple.degree())
    out["transitivity"] = nx.transitivity(simple) if has_triple else math.nan
    try:
        out["degree centralization"] = cn.centralization(nx.Graph(und), "degree")
    except (ValueError, ZeroDivisionError):
        out["degree centralization"] = math.nan
    return pd.Series(out, dtype=np.float64)


@settings(deadline=None, max_examples=30)
@given(st.integers(0, 10_000), st.booleans(), st.sampled_from(["both", "union"]))
def test_compare_on_arrays_equals_the_networkx_computation(seed, directed, nodes):
    waves = random_waves(seed, directed)
    within = "region" if nodes == "both" else None  # union: someone has no region
    table = cn.compare(waves, "sector", source="prison", target="nhs", within=within, nodes=nodes)
    al = _align(waves, nodes, None)
    values = _node_values(waves, al.nodes, "sector")
    for label, G in zip([0, 1], waves, strict=True):
        old = old_wave_metrics(G, al.nodes, values, "sector", "prison", "nhs", within)
        pd.testing.assert_series_equal(
            table[label], old.reindex(table.index), check_names=False, rtol=1e-12
        )


# ------------------------------------------------------------------------ bootstrap
def old_replicates(stat: boot._Statistic, W: np.ndarray, ties: boot._Ties) -> np.ndarray:
    """The earlier replicate computation: dense node weights ``W`` ``(B, n)``."""
    pair = W[:, ties.u] * W[:, ties.v]
    if stat.kind == "ei":
        ext = stat.codes[ties.u] != stat.codes[ties.v]
        e, tot = pair[:, ext].sum(axis=1), pair.sum(axis=1)
        with np.errstate(invalid="ignore", divide="ignore"):
            return np.where(tot > 0, (2 * e - tot) / np.where(tot > 0, tot, 1), np.nan)
    num = pair[:, stat.hits(ties.u, ties.v)].sum(axis=1)
    n = W.shape[1]
    if stat.kind == "block_density":
        in_s, in_t = stat.codes == stat.s, stat.codes == stat.t
    else:
        in_s = in_t = np.ones(n, dtype=bool)
    w = stat.wcodes if stat.wcodes is not None else np.zeros(n, dtype=np.int64)
    onehot = np.zeros((n, int(w.max()) + 1))
    onehot[np.flatnonzero(w >= 0), w[w >= 0]] = 1.0
    den = ((W * in_s) @ onehot * ((W * in_t) @ onehot)).sum(axis=1)
    if stat.kind == "density" or stat.s == stat.t:
        den = den - ((W**2 * in_s) @ onehot).sum(axis=1)
        if not stat.directed:
            den = den / 2
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(den > 0, num / np.where(den > 0, den, 1), np.nan)


@settings(deadline=None, max_examples=40)
@given(
    st.integers(0, 10_000),
    st.booleans(),
    st.sampled_from(["density", "ei", "block_density"]),
    st.sampled_from([(0, 1), (1, 1)]),
    st.booleans(),
)
def test_replicates_from_draws_equal_the_weight_matrix_formula(seed, directed, kind, st_, within):
    rng = np.random.default_rng(seed)
    n = 15
    G = nx.gnp_random_graph(n, 0.3, seed=seed, directed=directed)
    codes = rng.integers(0, 3, n)
    wcodes = np.where(rng.random(n) < 0.1, -1, rng.integers(0, 3, n)) if within else None
    if wcodes is not None and (wcodes < 0).all():
        wcodes[0] = 0
    stat = boot._Statistic(kind, codes, *st_, directed, wcodes)
    ties = boot._ties(G, boot._object_index(list(G)), directed, wcodes)
    draws = rng.integers(0, n, size=(25, n), dtype=np.int32)
    W = np.stack([np.bincount(row, minlength=n) for row in draws]).astype(np.float64)
    (new,) = stat(draws, [ties], n)
    np.testing.assert_array_equal(new, old_replicates(stat, W, ties))  # exact: whole numbers


def test_bootstrap_draws_have_the_multinomial_distribution_of_the_old_stream():
    """The replicates were computed from multinomial(n, 1/n) node weights; they are now
    counted from n uniform draws (the same distribution). Over 20,000 replicates of the
    E-I index on the karate club the two samples agree (two-sample KS test)."""
    G = nx.karate_club_graph()
    nx.set_node_attributes(G, {v: v % 3 for v in G}, "grp")
    new = cn.bootstrap_ci(G, "ei", attr="grp", n_boot=20_000, seed=4).distribution
    n = G.number_of_nodes()
    index = boot._object_index(list(G))
    stat = boot._Statistic("ei", np.array([v % 3 for v in G]), None, None, False)
    W = np.random.default_rng(5).multinomial(n, np.full(n, 1 / n), size=20_000).astype(float)
    old = old_replicates(stat, W, boot._ties(G, index, False, None))
    assert stats.ks_2samp(new, old).pvalue > 0.001
    assert np.mean(new) == pytest.approx(np.mean(old), abs=0.004)
    assert np.std(new) == pytest.approx(np.std(old), rel=0.03)


def simulated_dyad_variance(stat, ties, n, B, rng) -> float:
    """The earlier dyad-level variance: Poisson(1) weight per dyad (the same in both
    waves), the statistic recomputed, the variance of the replicates."""
    keys_w = [x.u * n + x.v for x in ties]
    keys = np.unique(np.concatenate(keys_w))
    u, v = keys // n, keys % n
    in_w = [np.isin(keys, k) for k in keys_w]
    hit = stat.hits(u, v)
    everyone = np.arange(n)[None, :]
    pairs = 0.0 if stat.kind == "ei" else float(stat.sums(everyone, ties[:1], n)[1][0])
    ext = None if stat.codes is None else stat.codes[u] != stat.codes[v]
    w = rng.poisson(1.0, size=(B, keys.size)).astype(float)
    den = w[:, hit].sum(axis=1) + rng.poisson(max(pairs - hit.sum(), 0.0), size=B)
    vals = []
    for m in in_w:
        if stat.kind == "ei":
            tot = w[:, m].sum(axis=1)
            vals.append((2 * w[:, m & ext].sum(axis=1) - tot) / tot)
        else:
            vals.append(w[:, m & hit].sum(axis=1) / den)
    out = vals[-1] - vals[0] if len(vals) > 1 else vals[0]
    return float(np.nanvar(out, ddof=1))


@pytest.mark.parametrize("kind", ["density", "ei", "block_density"])
@pytest.mark.parametrize("two_waves", [False, True])
def test_delta_method_dyad_variance_equals_the_simulated_one(kind, two_waves):
    """The dyad-level variance is now the delta-method value; the simulation it replaced
    (30,000 Poisson dyad bootstraps here) agrees within 4 % on a 40-person graph with
    228 ties (the simulation's own error is about 0.8 %; the rest is the ratio's
    curvature, of order 1/ties: about 1 % here)."""
    n = 40
    first = nx.gnp_random_graph(n, 0.3, seed=1)
    second = nx.gnp_random_graph(n, 0.32, seed=2)
    second.add_edges_from(list(first.edges())[:136])
    waves = [first, second] if two_waves else [first]
    codes = np.arange(n) % 3
    stat = boot._Statistic(kind, codes, 0, 1, False)
    index = boot._object_index(list(range(n)))
    ties = [boot._ties(G, index, False, None) for G in waves]
    values = [float(x[0]) for x in stat(np.arange(n)[None, :], ties, n)]
    analytic = boot._dyad_variance(stat, ties, n, values)
    simulated = simulated_dyad_variance(stat, ties, n, 30_000, np.random.default_rng(3))
    assert analytic == pytest.approx(simulated, rel=0.04)


# ------------------------------------------------------------------------ dyad swaps
@settings(deadline=None, max_examples=40)
@given(st.integers(0, 10_000), st.integers(1, 300), st.booleans())
def test_swap_shifts_equal_the_matrix_product_of_swap_indicators(seed, D, weighted):
    """Counting set bits per distinct per-dyad change (binary ties), or adding the
    changes dyad by dyad (many distinct weights), equals the 0/1 matrix product."""
    rng = np.random.default_rng(seed)
    n_cat = 2
    per_dyad = np.zeros((D, n_cat))
    cat = rng.integers(0, n_cat, D)
    change_ = rng.normal(size=D) if weighted else rng.choice([-2.0, -1.0, 1.0, 2.0], D)
    per_dyad[np.arange(D), cat] = change_
    n_words = (D + 63) // 64
    words = np.frombuffer(rng.bytes(8 * 7 * n_words), dtype=np.uint64).reshape(7, n_words)
    bits = np.unpackbits(words.view(np.uint8), axis=1, bitorder="little")[:, :D]
    shifts = perm._Shifts(per_dyad, n_words)
    assert shifts.by_value == (not weighted or D <= perm._MAX_SHIFT_VALUES)
    np.testing.assert_allclose(shifts(words), bits @ per_dyad, rtol=1e-12, atol=1e-12)


def test_swap_null_matches_the_enumerated_null():
    """Six changed dyads: all 2^6 swap patterns enumerated give the exact null of the
    E-I change; 40,000 random swaps (the bits stream) match it (chi-square test)."""
    before = nx.Graph([(0, 1), (2, 3), (0, 2), (4, 5), (1, 4)])
    after = nx.Graph([(0, 1), (2, 3), (0, 3), (1, 3), (1, 2), (4, 5), (0, 5), (3, 5)])
    for G in (before, after):
        nx.set_node_attributes(G, {v: "ab"[v % 2] for v in G}, "sector")
    res = cn.ei_change_test(before, after, "sector", n_permutations=40_000, seed=8)
    table = perm._dyad_table([before, after], "sector", None, None, None, None, None, "both", None)
    changed = table.changed(0)
    vals, cat = table.values[changed], table.category[changed]
    exact = []
    for swap in itertools.product([0, 1], repeat=int(changed.sum())):
        s = np.array(swap, dtype=bool)
        b = np.where(s, vals[:, 1], vals[:, 0])
        a = np.where(s, vals[:, 0], vals[:, 1])
        rest = table.values[~changed, 0]
        rest_cat = table.category[~changed]
        cb = np.bincount(np.concatenate([cat, rest_cat]), np.concatenate([b, rest]), 2)
        ca = np.bincount(np.concatenate([cat, rest_cat]), np.concatenate([a, rest]), 2)
        exact.append(float(table.stat(ca) - table.stat(cb)))
    support, counts = np.unique(np.round(exact, 12), return_counts=True)
    observed = np.array([np.sum(np.isclose(res.null_distribution, s)) for s in support])
    assert observed.sum() == 40_000
    assert stats.chisquare(observed, counts / counts.sum() * 40_000).pvalue > 0.001


# ---------------------------------------------------------------- non-response check
def old_sensitivity(before, after, attr, statistic, source, target, within, parts, R, seed):
    """The earlier computation: copy each wave, add the mirrored arcs of non-respondents
    as networkx edges, and run ei_change_test on the copies."""
    rng = np.random.default_rng(seed)
    rows = []
    for reconstruct in (False, True):
        graphs = []
        for G, p in zip((before, after), parts, strict=True):
            H = G.copy()
            if reconstruct:
                H.add_edges_from(
                    [(i, j) for j, i in G.edges() if i not in p and not G.has_edge(i, j)]
                )
            graphs.append(H)
        options = {"source": source, "target": target} if statistic == "block_density" else {}
        group = attr
        if statistic == "density":
            for H in graphs:
                nx.set_node_attributes(H, "all", "_all")
            group, options = "_all", {"source": "all", "target": "all"}
        res = cn.ei_change_test(
            *graphs, group, nodes="union", within=within, n_permutations=R, seed=rng, **options
        )
        rows.append((res.before, res.after, res.observed, res.p_two_sided, res.ties_before))
    return rows


@settings(deadline=None, max_examples=30)
@given(
    st.integers(0, 10_000),
    st.sampled_from(["ei", "density", "block_density"]),
    st.sampled_from([None, "region"]),
)
def test_sensitivity_on_arc_keys_equals_the_graph_reconstruction(seed, statistic, within):
    before, after = random_waves(seed, True, p=0.2)
    rng = np.random.default_rng(seed)
    parts = [{v for v in G if rng.random() < 0.7} for G in (before, after)]
    table = cn.nonresponse_sensitivity(
        before,
        after,
        "sector",
        statistic=statistic,
        source="prison",
        target="nhs",
        within=within,
        respondents=tuple(parts),
        n_permutations=99,
        seed=seed,
    )
    old = old_sensitivity(
        before, after, "sector", statistic, "prison", "nhs", within, parts, 99, seed
    )
    new = table[["before", "after", "change", "p_two_sided", "ties_before"]]
    np.testing.assert_array_equal(new.to_numpy(), np.array(old))
    added = [
        sum(1 for j, i in G.edges() if i not in p and i != j and not G.has_edge(i, j))
        for G, p in zip((before, after), parts, strict=True)
    ]
    assert table.iloc[1][["reconstructed_before", "reconstructed_after"]].tolist() == added


@settings(deadline=None, max_examples=50)
@given(st.lists(st.integers(-5, 10**12), max_size=60))
def test_unique_keys_equal_numpy_unique(values):
    keys = np.array(values, dtype=np.int64)
    np.testing.assert_array_equal(_unique_keys(keys), np.unique(keys))


def old_node_values(graphs, nodes, attr) -> list:
    """The earlier per-node lookup: the latest wave with a value (None, NaN: none)."""
    out = []
    for v in nodes:
        value = None
        for G in reversed(graphs):
            if v in G:
                value = G.nodes[v].get(attr)
                if value is not None and not (isinstance(value, float) and np.isnan(value)):
                    break
                value = None
        out.append(value)
    return out


@settings(deadline=None, max_examples=40)
@given(st.integers(0, 10_000), st.booleans())
def test_alignment_and_attribute_lookup_equal_the_per_node_loops(seed, directed):
    rng = np.random.default_rng(seed)
    waves = random_waves(seed, directed)
    for G in waves:  # some values missing or NaN in one wave, present in the other
        for v in G:
            if rng.random() < 0.3:
                G.nodes[v]["sector"] = [None, math.nan][int(rng.integers(2))]
    al = _align(waves, "both", None)
    parts = [{u for u, d in G.out_degree() if d > 0} if directed else set(G) for G in waves]
    every = list(dict.fromkeys(v for G in waves for v in G))
    assert al.nodes == [v for v in every if all(v in p for p in parts)]
    got = list(_node_values(waves, every, "sector"))
    want = old_node_values(waves, every, "sector")
    assert [g if g == g else "nan" for g in got] == [w if w == w else "nan" for w in want]
