"""The one sector palette shared by maps and plots (colour-blind-safe first colours)."""

from __future__ import annotations

from collections.abc import Hashable, Iterable

from connectnet._labels import loose_key

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

# Common sector labels keep one colour in every dataset, plot and map (matched ignoring
# case, spacing, "_" and "-"). Other labels take the colours left, in sorted order.
FIXED_COLOURS: dict[str, str] = {
    "nhs": "#0072B2",
    "prison": "#D55E00",
    "civil service": "#009E73",
    "local authority": "#E69F00",
    "police": "#56B4E9",
    "voluntary": "#CC79A7",
    "academia": "#8C564B",
    "department of health": "#000000",
    "commissioner": "#BCBD22",
    "patient rep": "#17BECF",
}
# the colours left for other labels (none of the fixed ones), in the order they are taken
_FREE: tuple[str, ...] = (
    "#9467BD",
    "#7F7F7F",
    "#98DF8A",
    "#FFBB78",
    "#AEC7E8",
    "#F0E442",
    "#C49C94",
    "#F7B6D2",
    "#DBDB8D",
    "#9EDAE5",
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


def fixed_colour(label: Hashable) -> str | None:
    """The fixed colour of a common sector label ("NHS", "local_authority"), else None."""
    if not isinstance(label, str):
        return None
    return FIXED_COLOURS.get(loose_key(label))


def group_colours(labels: Iterable[Hashable]) -> dict[Hashable, str]:
    """Map group labels to colours, the same in maps and plots alike.

    Common sector labels (:data:`FIXED_COLOURS`: nhs, prison, civil_service,
    local_authority, police, voluntary, academia, ...) always get their fixed colour, so a
    sector has the same colour in every dataset; the other labels take the remaining
    colours in sorted order (repeating beyond them). ``"unknown"``/missing (``None``,
    NaN, blank text) is grey. The dict lists the labels in sorted order.

    Examples
    --------
    >>> group_colours(["prison", "NHS", "zebra"])
    {'NHS': '#0072B2', 'prison': '#D55E00', 'zebra': '#9467BD'}
    """
    labels = list(labels)
    unique = {label for label in labels if not is_unknown(label)}
    try:
        ordered = sorted(unique)  # type: ignore[type-var]
    except TypeError:
        ordered = sorted(unique, key=str)
    others = iter(range(len(ordered)))
    colours: dict[Hashable, str] = {}
    for label in ordered:
        fixed = fixed_colour(label)
        colours[label] = fixed if fixed is not None else _FREE[next(others) % len(_FREE)]
    for label in labels:
        if is_unknown(label):
            colours[label] = UNKNOWN_COLOUR
    return colours
