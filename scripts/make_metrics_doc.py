"""Assemble docs/metrics.md from the per-module sections in docs/_fragments/.

Each metrics module keeps its documentation beside the others' in one fragment
(``metrics-bridging.md``, ``metrics-brokers.md``, ``metrics-cohesion.md``); this script joins
them under one introduction so readers get a single page. Run it after editing a fragment.
"""

from __future__ import annotations

from pathlib import Path

DOCS = Path(__file__).resolve().parents[1] / "docs"
PARTS = ["metrics-bridging.md", "metrics-brokers.md", "metrics-cohesion.md"]

INTRO = """\
# Metrics

Every measure connectnet computes: its formula, what it means, how to read a value, the
pitfalls, and the reference. Network-level values are Python floats; node-level values are
`pandas.Series` indexed by node; statistical tests return small result objects with
`to_frame()`. Change over time (paired permutation tests, QAP) is in
[evaluating-a-network.md](evaluating-a-network.md).

Checked against established implementations: networkx (assortativity, constraint, effective
size, betweenness, clustering, k-cores, modularity), R `sna` 2.7 (brokerage,
centralization, `gcor`, `netlm`; fixtures and the R scripts that made them are in
`tests/fixtures/`), and R `netseg`'s published values (segregation indices).

Contents:

1. [Cross-sector bridging: E-I, mixing, assortativity, segregation, participation](#cross-sector-bridging-e-i-mixing-assortativity-segregation-participation)
2. [Brokers and bridges: brokerage, structural holes, reach, bridging risk](#brokers-and-bridges)
3. [Cohesion and structure: summary, fragmentation, centralization, communities, core–periphery](#cohesion-and-structure)

"""


def main() -> None:
    body = "\n\n".join(
        (DOCS / "_fragments" / p).read_text(encoding="utf-8").strip() for p in PARTS
    )
    out = DOCS / "metrics.md"
    out.write_text(INTRO + body + "\n", encoding="utf-8")
    print(f"wrote {out}")


if __name__ == "__main__":
    main()
