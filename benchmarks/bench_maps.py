"""Benchmark connectnet maps: layout, build and write time; pyvis ``from_nx`` baseline.

Usage::

    python benchmarks/bench_maps.py                      # 20k nodes / 100k edges
    python benchmarks/bench_maps.py --nodes 2000 --edges 10000 --browser

Prints, for the main size: seeded layout time (reported separately), the time to build
the map and write the offline HTML with that layout (goal: under 2 s at 20k/100k), file
size and peak traced memory of the write. Then, at ``--compare-nodes`` (default 2,000,
where pyvis is still feasible), our ``write_map`` against pyvis ``Network.from_nx`` +
``write_html`` measured in the same process. ``--browser`` also opens the written map in
headless Chromium (network blocked) and reports when it was first drawn.
"""

from __future__ import annotations

import argparse
import os
import shutil
import tempfile
import time
import tracemalloc
from pathlib import Path

import networkx as nx
import numpy as np

from connectnet.maps import map_layout, network_map, write_map


def clustered_graph(n: int, m: int, seed: int = 0) -> nx.Graph:
    """n people in 5 sectors, about m ties, 85 % inside a sector, weights 1-5."""
    rng = np.random.default_rng(seed)
    sectors = np.array(["NHS", "prison", "civil service", "local authority", "academic"])
    group = rng.integers(0, 5, n)
    order = np.argsort(group, kind="stable")
    starts = np.searchsorted(group[order], np.arange(6))
    src = rng.integers(0, n, m)
    g = group[src]
    inside = order[starts[g] + (rng.random(m) * (starts[g + 1] - starts[g])).astype(np.int64)]
    dst = np.where(rng.random(m) < 0.85, inside, rng.integers(0, n, m))
    weight = rng.integers(1, 6, m).astype(float)
    G = nx.Graph()
    G.add_nodes_from(
        (i, {"kind": "person", "name": f"Person {i}", "sector": str(sectors[k]), "role": "x"})
        for i, k in enumerate(group)
    )
    G.add_weighted_edges_from(
        (int(a), int(b), float(w)) for a, b, w in zip(src, dst, weight, strict=True) if a != b
    )
    return G


def timed(fn, *args, **kw):
    t0 = time.perf_counter()
    out = fn(*args, **kw)
    return out, time.perf_counter() - t0


def browser_draw_ms(path: Path) -> float | None:
    chromium = shutil.which("chromium")
    if chromium is None:
        print("  browser: chromium not found, skipped")
        return None
    from playwright.sync_api import sync_playwright

    args = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=chromium, args=args)
        page = browser.new_page(viewport={"width": 1280, "height": 800})
        page.route(
            "**/*",
            lambda r: r.continue_() if r.request.url.startswith("file:") else r.abort(),
        )
        t0 = time.perf_counter()
        page.goto(path.resolve().as_uri())
        page.wait_for_function("() => window.cnMap && window.cnMap.drawn", timeout=120_000)
        wall = time.perf_counter() - t0
        drawn = page.evaluate("cnMap.drawnAtMs")
        browser.close()
    print(f"  browser: first drawn {drawn / 1000:.2f} s after navigation (wall {wall:.2f} s)")
    return drawn


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--nodes", type=int, default=20_000)
    parser.add_argument("--edges", type=int, default=100_000)
    parser.add_argument("--compare-nodes", type=int, default=2_000)
    parser.add_argument("--browser", action="store_true", help="also time drawing in Chromium")
    parser.add_argument("--seed", type=int, default=1)
    opts = parser.parse_args()
    out_dir = Path(tempfile.mkdtemp(prefix="bench_maps_"))

    G = clustered_graph(opts.nodes, opts.edges, seed=opts.seed)
    n, m = G.number_of_nodes(), G.number_of_edges()
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(
        f"graph: {n:,} nodes, {m:,} edges  (1-min load average {load:.1f}, {os.cpu_count()} CPUs)"
    )
    pos, t_layout = timed(map_layout, G, seed=opts.seed)
    print(f"  layout (map_layout, seeded):          {t_layout:6.2f} s")
    net, t_build = timed(network_map, G, layout=pos, size_by="degree", seed=opts.seed)
    path = out_dir / "map.html"
    _, t_write = timed(write_map, net, path)
    print(f"  build network_map (layout given):     {t_build:6.2f} s")
    print(f"  write offline HTML:                   {t_write:6.2f} s")
    total = t_build + t_write
    verdict = "OK" if total < 2.0 else "over goal"
    print(f"  build + write (goal < 2 s):           {total:6.2f} s  [{verdict}]")
    print(f"  file size:                            {path.stat().st_size / 1e6:6.1f} MB")
    tracemalloc.start()
    write_map(G, out_dir / "traced.html", layout=pos, size_by="degree", seed=opts.seed)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    print(f"  peak traced memory, build + write:    {peak / 1e6:6.0f} MB")
    if opts.browser:
        browser_draw_ms(path)

    # baseline at a size where pyvis is feasible
    k = opts.compare_nodes
    H = clustered_graph(k, 5 * k, seed=opts.seed)
    print(f"\ncomparison: {H.number_of_nodes():,} nodes, {H.number_of_edges():,} edges")
    _, t_ours = timed(write_map, H, out_dir / "ours.html", physics=True, seed=opts.seed)
    print(f"  connectnet write_map (browser physics, incl. Python start layout): {t_ours:6.2f} s")
    pos_h = map_layout(H, seed=opts.seed)
    _, t_nolayout = timed(write_map, H, out_dir / "ours2.html", layout=pos_h, physics=True)
    print(f"  connectnet write_map (layout given):    {t_nolayout:6.2f} s")
    from pyvis.network import Network

    def pyvis_baseline():
        net = Network(cdn_resources="in_line")
        net.from_nx(H.copy())  # from_nx mutates its input: hand it a copy
        net.write_html(str(out_dir / "pyvis.html"))

    _, t_pyvis = timed(pyvis_baseline)
    print(f"  pyvis from_nx + write_html:             {t_pyvis:6.2f} s")
    print(
        f"  speed-up:                               {t_pyvis / t_ours:6.1f}x "
        f"({t_pyvis / t_nolayout:.1f}x without our layout step)"
    )
    if opts.browser:
        browser_draw_ms(out_dir / "ours.html")
    shutil.rmtree(out_dir, ignore_errors=True)


if __name__ == "__main__":
    main()
