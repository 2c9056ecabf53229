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


def group_colours(labels: Iterable[Hashable]) -> dict[Hashable, str]:
    """Map group labels to colours: sorted labels take palette colours in order.

    The same set of labels always gets the same colours, in maps and plots alike;
    ``"unknown"``/missing is grey. Beyond the palette, colours repeat.
    """
    unique = {label for label in labels if label not in UNKNOWN_LABELS}
    try:
        ordered = sorted(unique)  # type: ignore[type-var]
    except TypeError:
        ordered = sorted(unique, key=str)
    colours: dict[Hashable, str] = {
        label: PALETTE[i % len(PALETTE)] for i, label in enumerate(ordered)
    }
    for label in labels:
        if label in UNKNOWN_LABELS:
            colours[label] = UNKNOWN_COLOUR
    return colours
