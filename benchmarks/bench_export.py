"""``write_gexf`` against networkx's own GEXF writer (issue 17).

The graph is shaped like the report's main graph at 50k people (``--people``): every person
a node with six text attributes (name, organisation id and name, sector, region, kind), and
three contact ties per person weighted 1 or 2. ``write_gexf`` first cleans the graph
(typed, XML-safe attributes, labels and colours: ``_clean_graph``) and then calls
``nx.write_gexf``; the floor is ``nx.write_gexf`` of the already cleaned graph, so

    ratio = write_gexf time / nx.write_gexf time of the cleaned graph.

Usage::

    python benchmarks/bench_export.py                 # 50,000 people
    python benchmarks/bench_export.py --people 200000
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

import networkx as nx
import numpy as np

import connectnet as cn
from connectnet.export import _clean_graph


def report_like_graph(people: int, *, seed: int = 0) -> nx.Graph:
    """A person graph with the report's node attributes and weighted contact ties."""
    rng = np.random.default_rng(seed)
    sectors = ["nhs", "prison", "local_authority", "police", "voluntary", "civil_service"]
    G = nx.Graph()
    for k in range(people):
        org = k // 20
        G.add_node(
            f"P{k:06d}",
            name=f"Person {k}",
            organisation_id=f"O{org:05d}",
            organisation_name=f"Organisation {org}",
            sector=sectors[org % len(sectors)],
            region=f"Region {org % 10:02d}",
            kind="person",
        )
    source = rng.integers(0, people, 3 * people)
    target = (source + rng.integers(1, 60, len(source))) % people
    weight = rng.integers(1, 3, len(source))
    G.add_edges_from(
        (f"P{s:06d}", f"P{t:06d}", {"weight": int(w)})
        for s, t, w in zip(source.tolist(), target.tolist(), weight.tolist(), strict=True)
    )
    return G


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--people", type=int, default=50_000)
    args = parser.parse_args()
    G = report_like_graph(args.people)
    with tempfile.TemporaryDirectory() as tmp:
        start = time.perf_counter()
        cn.write_gexf(G, Path(tmp) / "ours.gexf")
        ours = time.perf_counter() - start
        start = time.perf_counter()
        H = _clean_graph(G, gexf=True, color_by="sector")
        cleaning = time.perf_counter() - start
        start = time.perf_counter()
        nx.write_gexf(H, Path(tmp) / "floor.gexf")
        floor = time.perf_counter() - start
        same = (Path(tmp) / "ours.gexf").read_bytes() == (Path(tmp) / "floor.gexf").read_bytes()
    print(
        f"write_gexf, {G.number_of_nodes():,} nodes / {G.number_of_edges():,} edges: "
        f"{ours:.2f} s (cleaning {cleaning:.2f} s); nx.write_gexf of the cleaned graph "
        f"{floor:.2f} s; ratio {ours / floor:.2f}; files identical: {same}"
    )


if __name__ == "__main__":
    main()
