"""Group labels as people type them: one rule for matching case- and space-insensitively.

The loader makes labels differing only in case or spacing one label (``label_key``); the
API and CLI accept a label typed in any case or spacing (``match_label``), so
``--source Prison`` finds ``prison``.
"""

from __future__ import annotations

import re
from collections.abc import Hashable, Iterable

__all__: list[str] = []


def label_key(value: str) -> str:
    """``value`` with runs of white space made one space, trimmed and case-folded."""
    return re.sub(r"\s+", " ", value).strip().casefold()


def loose_key(value: str) -> str:
    """As :func:`label_key`, with ``_`` and ``-`` read as spaces ("local authority")."""
    return label_key(re.sub(r"[_\-]+", " ", value))


def find_label(label: Hashable, present: Iterable[Hashable]) -> Hashable | None:
    """The label of ``present`` meant by ``label``, or None.

    An exact match wins; then a match ignoring case and spacing; then one also reading
    ``_`` and ``-`` as spaces. A typed label matching two present labels matches neither
    (None), so nothing is guessed.

    Examples
    --------
    >>> find_label("Prison ", ["prison", "nhs"])
    'prison'
    >>> find_label("local authority", ["local_authority"])
    'local_authority'
    >>> find_label("police", ["prison", "nhs"]) is None
    True
    """
    labels = list(dict.fromkeys(present))
    if label in labels:
        return label
    if not isinstance(label, str):
        return None
    for key in (label_key, loose_key):
        hits = [p for p in labels if isinstance(p, str) and key(p) == key(label)]
        if len(hits) == 1:
            return hits[0]
        if hits:
            return None
    return None


def match_label(
    label: Hashable, present: Iterable[Hashable], *, what: str, column: str
) -> Hashable:
    """As :func:`find_label`, raising ValueError listing the labels when none matches.

    ``what`` names the argument and ``column`` the attribute in the message, e.g.
    "`source` group 'police' is not a value of 'sector'; the values are 'nhs', 'prison'".
    """
    labels = list(dict.fromkeys(present))
    found = find_label(label, labels)
    if found is None:
        known = ", ".join(map(repr, sorted(labels, key=str))) or "none"
        msg = (
            f"{what} {label!r} is not a value of {column!r} (case and spacing aside); "
            f"the values are {known}."
        )
        raise ValueError(msg)
    return found
