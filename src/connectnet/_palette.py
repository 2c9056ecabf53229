"""The one sector palette shared by maps and plots (colour-blind-safe first colours)."""

from __future__ import annotations

from collections.abc import Hashable, Iterable

__all__: list[str] = []

# Okabe–Ito colours first (colour-blind safe), then Tableau-style extras.
PALETTE: tuple[str, ...] = (
    "#0072B2",
    "#E69F00",
    "#009E73",
    "#CC79A7",
    "#56B4E9",
    "#D55E00",
    "#F0E442",
    "#000000",
    "#8C564B",
    "#7F7F7F",
    "#BCBD22",
    "#17BECF",
    "#9467BD",
    "#AEC7E8",
    "#FFBB78",
    "#98DF8A",
)
UNKNOWN_COLOUR = "#BBBBBB"
UNKNOWN_LABELS = frozenset({"unknown", "", None})


def is_unknown(label: Hashable) -> bool:
    """True for labels drawn grey as ``unknown``: ``"unknown"``, ``None``, NaN, blank text."""
    if isinstance(label, str):
        return label == "unknown" or not label.strip()
    if label is None:
        return True
    try:
        return bool(label != label)  # NaN (float, numpy); bool(pd.NA) raises: caught
    except (TypeError, ValueError):
        return True


def group_colours(labels: Iterable[Hashable]) -> dict[Hashable, str]:
    """Map group labels to colours: sorted labels take palette colours in order.

    The same set of labels always gets the same colours, in maps and plots alike;
    ``"unknown"``/missing (``None``, NaN, blank text) is grey. Beyond the palette, colours
    repeat.
    """
    labels = list(labels)
    unique = {label for label in labels if not is_unknown(label)}
    try:
        ordered = sorted(unique)  # type: ignore[type-var]
    except TypeError:
        ordered = sorted(unique, key=str)
    colours: dict[Hashable, str] = {
        label: PALETTE[i % len(PALETTE)] for i, label in enumerate(ordered)
    }
    for label in labels:
        if is_unknown(label):
            colours[label] = UNKNOWN_COLOUR
    return colours
