"""Benchmark the explorer: 20k people / 100k ties in two waves, against pyvis.

Usage::

    python benchmarks/bench_maps.py                         # 20k nodes / 100k edges
    python benchmarks/bench_maps.py --nodes 2000 --edges 10000
    python benchmarks/bench_maps.py --legacy-nodes 50000    # compact encoding vs bce2708

Prints, for two waves (the follow-up keeps 80 % of the baseline ties and adds as many new
ones): layout, build and write time, file size, and in headless Chromium (network
blocked) the time of the first drawing after navigation, ``connectnet.search`` response
(median of 7 queries) and the time the search box takes to show suggestions. Then pyvis
on the baseline graph: ``Network.from_nx`` + ``write_html`` (``from_nx`` checks every new
undirected edge against all earlier ones, so it is timed on growing prefixes of the ties
and, when the whole graph would exceed ``--pyvis-budget`` seconds, extrapolated with the
fitted quadratic), the size of its page and its construction time in Chromium.
``--legacy-nodes N`` writes the same one-wave map with the map module of commit
``bce2708`` (per-node dicts, vis-network inlined) and compares file sizes. Targets: file
≤ 15 MB, first drawing ≤ 5 s, search ≤ 200 ms; compact file ≤ half the legacy one.
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import networkx as nx
import numpy as np

from connectnet.maps import network_map, write_map

REPO = Path(__file__).resolve().parents[1]


def clustered_graph(n: int, m: int, seed: int = 0) -> nx.Graph:
    """n people in 5 sectors and 9 regions, about m ties, 85 % inside a sector, weights 1-5."""
    rng = np.random.default_rng(seed)
    sectors = np.array(["NHS", "prison", "civil service", "local authority", "academic"])
    regions = np.array([f"Region {k}" for k in range(9)])
    group = rng.integers(0, 5, n)
    region = rng.integers(0, 9, n)
    order = np.argsort(group, kind="stable")
    starts = np.searchsorted(group[order], np.arange(6))
    src = rng.integers(0, n, m)
    g = group[src]
    inside = order[starts[g] + (rng.random(m) * (starts[g + 1] - starts[g])).astype(np.int64)]
    dst = np.where(rng.random(m) < 0.85, inside, rng.integers(0, n, m))
    weight = rng.integers(1, 6, m).astype(float)
    G = nx.Graph()
    G.add_nodes_from(
        (
            i,
            {
                "kind": "person",
                "name": f"Person {i}",
                "sector": str(sectors[k]),
                "region": str(regions[region[i]]),
                "role": "x",
                "organisation_id": f"ORG{i % 400:03d}",
            },
        )
        for i, k in enumerate(group)
    )
    G.add_weighted_edges_from(
        (int(a), int(b), float(w)) for a, b, w in zip(src, dst, weight, strict=True) if a != b
    )
    return G


def follow_up(G: nx.Graph, seed: int) -> nx.Graph:
    """G with 20 % of its ties dropped and as many random new ones."""
    rng = np.random.default_rng(seed)
    H = G.copy()
    edges = list(H.edges())
    drop = rng.random(len(edges)) < 0.2
    H.remove_edges_from(e for e, d in zip(edges, drop, strict=True) if d)
    n = H.number_of_nodes()
    k = int(drop.sum())
    H.add_weighted_edges_from(
        (int(a), int(b), 1.0)
        for a, b in zip(rng.integers(0, n, k), rng.integers(0, n, k), strict=True)
        if a != b
    )
    return H


def timed(fn, *args, **kw):
    t0 = time.perf_counter()
    out = fn(*args, **kw)
    return out, time.perf_counter() - t0


def _browser(pw):
    args = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
    return pw.chromium.launch(executable_path=shutil.which("chromium"), args=args)


def _page(browser):
    page = browser.new_page(viewport={"width": 1280, "height": 800})
    page.route("**/*", lambda r: r.continue_() if r.request.url.startswith("file:") else r.abort())
    return page


def browser_explorer(path: Path, queries: list[str]) -> None:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = _browser(pw)
        page = _page(browser)
        t0 = time.perf_counter()
        page.goto(path.resolve().as_uri())
        page.wait_for_function(
            "() => document.documentElement.hasAttribute('data-cn-drawn')", timeout=120_000
        )
        wall = time.perf_counter() - t0
        drawn = float(page.evaluate("document.documentElement.getAttribute('data-cn-drawn')"))
        print(f"  first drawing (target ≤ 5 s):         {drawn / 1000:6.2f} s (wall {wall:.2f} s)")
        api = page.evaluate(
            """qs => qs.map(q => { const t = performance.now(); const r = connectnet.search(q);
                 return [performance.now() - t, r.length]; })""",
            queries,
        )
        ms = sorted(a for a, _ in api)
        print(
            f"  connectnet.search, median of {len(ms)} (target ≤ 200 ms): "
            f"{ms[len(ms) // 2]:6.1f} ms (max {ms[-1]:.1f} ms)"
        )
        ui = page.evaluate(
            """qs => qs.map(q => { const box = document.getElementById('cn-search');
                 const t = performance.now(); box.value = q;
                 box.dispatchEvent(new Event('input'));
                 const n = document.querySelectorAll('#cn-suggest li').length;
                 return [performance.now() - t, n]; })""",
            queries,
        )
        ms = sorted(a for a, _ in ui)
        print(f"  search box to suggestions, median:    {ms[len(ms) // 2]:6.1f} ms")
        t = page.evaluate(
            """() => new Promise(done => { const t = performance.now();
                 connectnet.focus(connectnet.search('Person 7')[0]);
                 requestAnimationFrame(() => requestAnimationFrame(
                   () => done(performance.now() - t))); })"""
        )
        print(f"  focus a person and redraw:            {t:6.1f} ms")
        t = page.evaluate(
            """() => new Promise(done => { const t = performance.now();
                 connectnet.showChanges(true);
                 requestAnimationFrame(() => requestAnimationFrame(
                   () => done(performance.now() - t))); })"""
        )
        print(f"  changes view and redraw:              {t:6.1f} ms")
        browser.close()


def browser_pyvis(path: Path, timeout_s: float) -> None:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = _browser(pw)
        page = _page(browser)
        t0 = time.perf_counter()
        try:
            page.goto(path.resolve().as_uri(), wait_until="commit")
            page.wait_for_function(
                "() => typeof network !== 'undefined' && network.body", timeout=timeout_s * 1000
            )
            print(f"  pyvis page: vis Network built after   {time.perf_counter() - t0:6.2f} s")
        except Exception:
            print(f"  pyvis page: vis Network not built within {timeout_s:.0f} s")
        browser.close()


def pyvis_baseline(G: nx.Graph, out: Path, budget: float) -> None:
    from pyvis.network import Network

    edges = list(G.edges(data=True))
    m = len(edges)

    def run(k: int, path: Path | None) -> float:
        H = nx.Graph()
        H.add_nodes_from(G.nodes(data=True))
        H.add_edges_from(edges[:k])
        t0 = time.perf_counter()
        net = Network(cdn_resources="in_line")
        net.from_nx(H)  # a fresh graph: from_nx mutates its input
        if path is not None:
            net.write_html(str(path))
        return time.perf_counter() - t0

    sizes, times = [], []
    k = max(500, m // 128)
    spent = 0.0
    while k < m and spent < budget / 3:
        t = run(k, None)
        spent += t
        sizes.append(k)
        times.append(t)
        print(f"  pyvis from_nx, {k:7,} ties:            {t:6.2f} s")
        k *= 2
    if k >= m:
        t = run(m, out)
        print(f"  pyvis from_nx + write_html, all ties: {t:6.2f} s")
    else:
        # each edge scans the node list (linear) and, undirected, all earlier edges
        # (quadratic): least squares t = a·k + b·k², both non-negative
        ks = np.array(sizes, dtype=float)
        coef = np.linalg.lstsq(np.c_[ks, ks**2], np.array(times), rcond=None)[0].clip(0)
        print(
            f"  pyvis from_nx, all {m:,} ties:       ≈ {coef[0] * m + coef[1] * m * m:,.0f} s "
            f"(extrapolated from {len(sizes)} prefixes, t = a·k + b·k²)"
        )
        # its page for the same graph, written without from_nx's quadratic duplicate check
        net = Network(cdn_resources="in_line")
        net.add_nodes(
            list(G.nodes()),
            label=[str(d.get("name", v)) for v, d in G.nodes(data=True)],
            title=[str(d.get("name", v)) for v, d in G.nodes(data=True)],
        )
        net.edges = [{"from": a, "to": b, "width": d.get("weight", 1)} for a, b, d in edges]
        net.write_html(str(out))
    print(f"  pyvis page size:                      {out.stat().st_size / 1e6:6.1f} MB")


def legacy_sizes(n: int, seed: int, out_dir: Path) -> None:
    """The same one-wave map written by the map module of commit bce2708 and by ours."""
    old = out_dir / "legacy_maps.py"
    text = subprocess.run(
        ["git", "-C", str(REPO), "show", "bce2708:src/connectnet/maps.py"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    old.write_text(text, encoding="utf-8")
    spec = importlib.util.spec_from_file_location("legacy_maps", old)
    assert spec is not None
    assert spec.loader is not None
    legacy = importlib.util.module_from_spec(spec)
    sys.modules["legacy_maps"] = legacy
    spec.loader.exec_module(legacy)
    G = clustered_graph(n, 5 * n, seed=seed)
    ours = network_map(G, size_by="degree", seed=seed)
    pos = ours.positions()
    _, t_new = timed(write_map, ours, out_dir / "compact.html")
    _, t_old = timed(legacy.write_map, G, out_dir / "legacy.html", layout=pos, size_by="degree")
    a, b = (out_dir / "compact.html").stat().st_size, (out_dir / "legacy.html").stat().st_size
    print(f"\ncompact encoding, {n:,} nodes / {G.number_of_edges():,} ties, one wave:")
    print(f"  bce2708 page (per-node dicts + vis):  {b / 1e6:6.1f} MB, written in {t_old:.2f} s")
    print(f"  explorer page:                        {a / 1e6:6.1f} MB, written in {t_new:.2f} s")
    print(f"  ratio (target ≤ 0.5):                 {a / b:6.2f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--nodes", type=int, default=20_000)
    parser.add_argument("--edges", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--no-browser", action="store_true")
    parser.add_argument("--pyvis-budget", type=float, default=120.0)
    parser.add_argument("--legacy-nodes", type=int, default=0)
    opts = parser.parse_args()
    out_dir = Path(tempfile.mkdtemp(prefix="bench_maps_"))
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    G1 = clustered_graph(opts.nodes, opts.edges, seed=opts.seed)
    G2 = follow_up(G1, opts.seed + 1)
    print(
        f"two waves: {G1.number_of_nodes():,} nodes, {G1.number_of_edges():,} and "
        f"{G2.number_of_edges():,} ties (1-min load {load:.1f}, {os.cpu_count()} CPUs)"
    )
    waves = {"baseline": G1, "follow-up": G2}
    m, t_build = timed(network_map, waves, size_by="degree", seed=opts.seed)
    path = out_dir / "explorer.html"
    _, t_write = timed(write_map, m, path)
    print(f"  network_map (layout included):        {t_build:6.2f} s")
    print(f"  write_map:                            {t_write:6.2f} s")
    print(f"  file size (target ≤ 15 MB):           {path.stat().st_size / 1e6:6.1f} MB")
    if not opts.no_browser and shutil.which("chromium"):
        browser_explorer(path, ["Person 1", "person 42", "ORG01", "19999", "zzz", "Per", "7"])
    print("\npyvis on the baseline graph:")
    pyvis_path = out_dir / "pyvis.html"
    pyvis_baseline(G1, pyvis_path, opts.pyvis_budget)
    if not opts.no_browser and shutil.which("chromium"):
        browser_pyvis(pyvis_path, 60.0)
    if opts.legacy_nodes:
        legacy_sizes(opts.legacy_nodes, opts.seed, out_dir)
    shutil.rmtree(out_dir, ignore_errors=True)


if __name__ == "__main__":
    main()
