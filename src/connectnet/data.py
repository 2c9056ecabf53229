"""Data tables, readers with validation, and the load report (being implemented)."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

__all__ = [
    "DataError",
    "Dataset",
    "read_attendance",
    "read_contacts",
    "read_dataset",
    "read_events",
    "read_organisations",
    "read_people",
]


class DataError(ValueError):
    """Input data that cannot be used as it is: names file, row, column and the fix."""


@dataclass(frozen=True, eq=False)
class Dataset:
    """The five validated tables of a study plus the load report.

    Attributes
    ----------
    people
        Indexed by ``person_id`` (str). Columns ``name``, ``organisation_id``, ``sector``
        (always filled: the person's own sector, else their organisation's, else
        ``"unknown"``), ``role``, ``region`` and any extra columns.
    organisations
        Indexed by ``organisation_id`` (str). Columns ``sector``, ``name``, ``type``,
        ``region`` and extras.
    events
        Indexed by ``event_id`` (str). Columns ``date`` (datetime64, NaT when absent),
        ``title``, ``theme``, ``programme`` and extras.
    attendance
        Columns ``event_id``, ``person_id`` (str), ``status`` and extras.
    contacts
        Columns ``source``, ``target`` (str person ids), ``wave`` (str, missing as NA),
        ``date`` (datetime64), ``weight`` (float > 0), ``kind``.
    load_report
        One row per fix or dropped row: ``table``, ``row`` (spreadsheet row, header = 1),
        ``column``, ``value``, ``action``, ``reason``.
    source
        Where the data came from (folder path or sample name), for provenance.
    """

    people: pd.DataFrame
    organisations: pd.DataFrame
    events: pd.DataFrame
    attendance: pd.DataFrame
    contacts: pd.DataFrame
    load_report: pd.DataFrame
    source: str | None = None

    @property
    def waves(self) -> list[str]:
        """Contact-survey waves in order: numeric labels sorted as numbers, others in
        order of first appearance in the contacts table. Empty when no wave is given."""
        return wave_order(self.contacts["wave"]) if "wave" in self.contacts else []


def wave_order(waves: pd.Series) -> list[str]:
    """Order wave labels: numerically when all are numbers, else by first appearance."""
    labels = [w for w in pd.unique(waves.dropna()) if str(w) != ""]
    numbers = pd.to_numeric(pd.Series(labels, dtype=object), errors="coerce")
    if len(labels) and numbers.notna().all():
        return [labels[i] for i in numbers.argsort(kind="stable")]
    return labels


def read_people(*args, **kwargs):  # placeholder
    raise NotImplementedError


def read_organisations(*args, **kwargs):  # placeholder
    raise NotImplementedError


def read_events(*args, **kwargs):  # placeholder
    raise NotImplementedError


def read_attendance(*args, **kwargs):  # placeholder
    raise NotImplementedError


def read_contacts(*args, **kwargs):  # placeholder
    raise NotImplementedError


def read_dataset(*args, **kwargs):  # placeholder
    raise NotImplementedError
