"""Private: size limits shared by the report, the maps and the engine.

One place for the thresholds above which connectnet changes how it presents a network,
so the report, the explorer and the engine's switch to organisation-level reports agree.
"""

from __future__ import annotations

__all__: list[str] = []

#: Largest person network the report draws as a person-level map (nodes). Above it the
#: map shows the organisation view, and the report says so in one sentence; person-level
#: metrics are still computed for everyone. A browser draws about 50,000 nodes at
#: interactive speed on an ordinary laptop, and a person map that large is already a
#: hairball nobody can read: the organisation view answers the same questions.
#: The engine (``scan_dataset``) switches to organisation-level reports at the same size.
MAX_PERSON_MAP_NODES = 50_000
