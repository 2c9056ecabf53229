"""Private: size limits shared by the report, the maps and the engine.

One place for the thresholds above which connectnet changes how it presents a network,
so the report, the explorer and the engine's switch to organisation-level reports agree.
"""

from __future__ import annotations

__all__: list[str] = []

#: Largest person network the report draws as a person-level map (nodes). Above it the
#: map shows the organisation view, and the report says so in one sentence; person-level
#: metrics are still computed for everyone. 20,000 nodes is what the explorer draws in a
#: few seconds in a browser (benchmarks/bench_maps.py: 3 s in Chromium) and is already
#: more people than anyone can read on one map: the organisation view answers the same
#: questions for larger programmes.
#: The engine (``scan_dataset``) switches to organisation-level reports at the same size.
MAX_PERSON_MAP_NODES = 20_000

#: Default memory budget of :func:`coattendance_edges` (bytes of peak memory for the
#: person pairs): 8 GiB, enough for a 4-million-row register of 10-60-person meetings
#: (about 80 million pairs).
DEFAULT_MAX_MEMORY = 8 * 2**30
#: Peak bytes per person pair (summed over events) while the pairs are formed: the upper
#: triangle of B·Bᵀ built block by block (row, column and value: 16 bytes), joined once
#: (twice that for a moment), plus the result columns. Measured with tracemalloc: 34 bytes
#: at 10 million pairs (benchmarks/bench_build.py).
_BYTES_PER_PAIR = 40
