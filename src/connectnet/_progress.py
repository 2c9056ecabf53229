"""Private: the one way connectnet shows progress (tqdm bars on stderr).

Library functions show a bar only when called with ``progress=True``; the command line
asks for bars when stderr is an interactive terminal and ``--quiet`` is not given
(:func:`interactive`). Bars are transient (``leave=False``) so a finished run leaves only
its own output.
"""

from __future__ import annotations

import sys
from collections.abc import Iterable
from typing import Any

__all__: list[str] = []


def interactive() -> bool:
    """Whether stderr is a terminal (where a progress bar can redraw itself)."""
    return bool(getattr(sys.stderr, "isatty", lambda: False)())


def progress_bar(
    iterable: Iterable[Any] | None = None,
    *,
    total: int | None = None,
    desc: str,
    enabled: bool,
    unit: str = "it",
) -> Any:
    """A tqdm bar on stderr, or a silent one (same API) when ``enabled`` is false."""
    from tqdm import tqdm

    return tqdm(
        iterable,
        total=total,
        desc=desc,
        unit=unit,
        disable=not enabled,
        leave=False,
        file=sys.stderr,
        dynamic_ncols=True,
    )
