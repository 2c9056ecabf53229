"""Reading and validating study data: the five tables, the Dataset and the load report.

Every input row is either kept in a table or named in the load report with the reason;
problems that cannot be fixed safely raise :class:`DataError` naming the file, the row
(as a spreadsheet shows it: the header is row 1) and the column, and what to do.
"""

from __future__ import annotations

import csv
import datetime as _dt
import difflib
import hashlib
import io
import json
import logging
import re
import unicodedata
import zipfile
from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Literal, TypeAlias

import numpy as np
import pandas as pd

from connectnet._arrays import object_array
from connectnet._labels import label_key as _label_key
from connectnet.matching import _name_tokens, match_people

__all__ = [
    "ABSENT_STATUSES",
    "DataError",
    "Dataset",
    "read_attendance",
    "read_contacts",
    "read_dataset",
    "read_events",
    "read_organisations",
    "read_people",
]

logger = logging.getLogger(__name__)

Source: TypeAlias = str | Path | pd.DataFrame
OnUnknown = Literal["error", "add", "drop"]

REPORT_COLUMNS = ["table", "row", "column", "value", "action", "reason"]
_MAX_LISTED = 20

#: Attendance ``status`` values (any case or spacing) that mean the person did **not**
#: attend: such rows are dropped and reported. Pass ``absent_statuses=`` to change it.
ABSENT_STATUSES: frozenset[str] = frozenset(
    {
        "absent",
        "apologies",
        "apology",
        "apols",
        "cancelled",
        "declined",
        "did not attend",
        "dna",
        "no show",
        "no-show",
        "not attended",
        "sent apologies",
    }
)
# table name -> (required columns, optional columns in output order, id column or None)
_SCHEMAS: dict[str, tuple[tuple[str, ...], tuple[str, ...], str | None]] = {
    "people": (
        ("person_id",),
        ("name", "organisation_id", "sector", "role", "region"),
        "person_id",
    ),
    "organisations": (
        ("organisation_id", "sector"),
        ("name", "type", "region"),
        "organisation_id",
    ),
    "events": (("event_id",), ("date", "title", "theme", "programme"), "event_id"),
    "attendance": (("event_id", "person_id"), ("status",), None),
    "contacts": (("source", "target"), ("wave", "date", "weight", "kind"), None),
    "respondents": (("person_id",), ("wave",), None),
    "roster": (("person_id", "wave"), (), None),
}


class DataError(ValueError):
    """Input data that cannot be used as it is.

    The message names the file, the row as a spreadsheet shows it (header = row 1), the
    column and the offending value, and says how to fix it.
    """


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
        Columns ``event_id``, ``person_id`` (str), ``status`` and extras; a sign-in sheet's
        ``date`` (datetime64), ``name``, ``organisation_id`` and ``email`` are kept as
        extras (``--hide-names`` removes them).
    contacts
        Columns ``source``, ``target`` (str person ids), ``wave`` (str, missing as None),
        ``date`` (datetime64), ``weight`` (float > 0), ``kind``.
    load_report
        One row per fix, flag or dropped row: ``table``, ``row`` (spreadsheet row,
        header = 1), ``column``, ``value``, ``action``, ``reason``.
    counts
        Reconciliation per table: ``read``, ``kept``, ``dropped`` (``read = kept + dropped``)
        and ``added`` (rows created by ``on_unknown="add"``).
    source
        Where the data came from (folder path or sample name), for provenance.
    respondents
        Optional survey response list: columns ``person_id`` and ``wave``, one row per person
        who answered a contact-survey wave — including people who named nobody, whom the
        contacts table cannot show. Contact graphs record it in ``G.graph["respondents"]``
        so the change tests compare the right people. Empty when not given.
    roster
        Optional membership list: columns ``person_id`` and ``wave``, one row per person
        who belonged to the network at a contact-survey wave (people join and leave:
        absent is not the same as not answering). Used by
        :func:`~connectnet.fit_saom` (``present=``) for composition change. Empty when
        not given (everyone belongs at every wave).
    """

    people: pd.DataFrame
    organisations: pd.DataFrame
    events: pd.DataFrame
    attendance: pd.DataFrame
    contacts: pd.DataFrame
    load_report: pd.DataFrame = field(default_factory=lambda: _empty_report())
    counts: pd.DataFrame = field(default_factory=lambda: _empty_counts())
    source: str | None = None
    respondents: pd.DataFrame = field(
        default_factory=lambda: pd.DataFrame(
            {"person_id": pd.Series(dtype=object), "wave": pd.Series(dtype=object)}
        )
    )
    roster: pd.DataFrame = field(
        default_factory=lambda: pd.DataFrame(
            {"person_id": pd.Series(dtype=object), "wave": pd.Series(dtype=object)}
        )
    )

    @property
    def waves(self) -> list[str]:
        """Contact-survey waves in order: numeric labels sorted as numbers, others in
        order of first appearance in the contacts table. Empty when no wave is given.

        Examples
        --------
        >>> import connectnet as cn
        >>> cn.load_sample("chief_executives").waves
        ['2021', '2022', '2023']
        """
        return _wave_order(self.contacts["wave"]) if "wave" in self.contacts else []

    def summary(self) -> pd.Series:
        """Headline counts of the dataset.

        Returns
        -------
        pandas.Series
            People, organisations, events, attendance rows, contacts, survey responses
            (rows of the respondents table), waves, sectors and the number of load-report
            entries by action; named after :attr:`source`.

        Examples
        --------
        >>> import connectnet as cn
        >>> summary = cn.load_sample("chief_executives").summary()
        >>> summary[["people", "waves", "load report: flagged"]].tolist()
        [79, '2021, 2022, 2023', 1]
        """
        actions = self.load_report["action"].value_counts()
        values: dict[str, object] = {
            "people": len(self.people),
            "organisations": len(self.organisations),
            "events": len(self.events),
            "attendance rows": len(self.attendance),
            "contacts": len(self.contacts),
            "survey responses": len(self.respondents),
            "waves": ", ".join(self.waves) or "-",
            "sectors": ", ".join(sorted(self.people["sector"].dropna().unique())) or "-",
        }
        for action, n in actions.items():
            values[f"load report: {action}"] = int(n)
        return pd.Series(values, name=self.source or "dataset", dtype=object)

    def __repr__(self) -> str:
        return (
            f"<Dataset {self.source or ''}: {len(self.people)} people, "
            f"{len(self.organisations)} organisations, {len(self.events)} events, "
            f"{len(self.attendance)} attendance rows, {len(self.contacts)} contacts, "
            f"{len(self.load_report)} load-report entries>"
        )


def _wave_order(waves: pd.Series) -> list[str]:
    """Order wave labels: numerically when all are numbers, else by first appearance."""
    labels = [w for w in pd.unique(waves.dropna()) if str(w) != ""]
    numbers = pd.to_numeric(pd.Series(labels, dtype=object), errors="coerce")
    if len(labels) and numbers.notna().all():
        return [labels[i] for i in np.argsort(numbers.to_numpy(), kind="stable")]
    return labels


# --------------------------------------------------------------------------- helpers


def _empty_report() -> pd.DataFrame:
    return pd.DataFrame({c: pd.Series(dtype=object) for c in REPORT_COLUMNS})


def _empty_counts() -> pd.DataFrame:
    return pd.DataFrame(
        {c: pd.Series(dtype="int64") for c in ("read", "kept", "dropped", "added")},
        index=pd.Index([], name="table", dtype=object),
    )


class _Report:
    """Collects load-report rows and per-table reconciliation counts."""

    def __init__(self) -> None:
        self.rows: list[dict[str, object]] = []
        self.read: dict[str, int] = {}
        self.dropped: dict[str, int] = {}
        self.added: dict[str, int] = {}

    def add(
        self, table: str, row: object, column: object, value: object, action: str, reason: str
    ) -> None:
        self.rows.append(
            {
                "table": table,
                "row": row,
                "column": column,
                "value": value,
                "action": action,
                "reason": reason,
            }
        )
        if action == "dropped":
            self.dropped[table] = self.dropped.get(table, 0) + 1
        elif action == "added":
            self.added[table] = self.added.get(table, 0) + 1

    def frame(self) -> pd.DataFrame:
        if not self.rows:
            return _empty_report()
        out = pd.DataFrame(
            {c: pd.Series([r[c] for r in self.rows], dtype=object) for c in REPORT_COLUMNS}
        )
        return out.where(out.notna(), None)

    def counts(self, kept: Mapping[str, int]) -> pd.DataFrame:
        tables = list(self.read)
        out = pd.DataFrame(
            {
                "read": [self.read[t] for t in tables],
                "kept": [kept[t] - self.added.get(t, 0) for t in tables],
                "dropped": [self.dropped.get(t, 0) for t in tables],
                "added": [self.added.get(t, 0) for t in tables],
            },
            index=pd.Index(tables, name="table", dtype=object),
        ).astype("int64")
        bad = out.index[out["read"] != out["kept"] + out["dropped"]]
        if len(bad):  # pragma: no cover - an internal bug, never a data problem
            msg = f"internal error: rows unaccounted for in {list(bad)}; please report it."
            raise RuntimeError(msg)
        return out


def _spreadsheet_row(position: int) -> int:
    """0-based data position -> spreadsheet row (header is row 1)."""
    return int(position) + 2


def _list_problems(label: str, problems: list[str], advice: str) -> DataError:
    shown = problems[:_MAX_LISTED]
    more = len(problems) - len(shown)
    lines = "\n".join(f"  {p}" for p in shown)
    tail = f"\n  ... and {more} more" if more else ""
    noun = "problem" if len(problems) == 1 else "problems"
    return DataError(f"{label}: {len(problems)} {noun}:\n{lines}{tail}\n{advice}")


def _decode(raw: bytes, label: str) -> tuple[str, list[tuple[int, str]]]:
    """Text of a CSV file and the bytes that were not UTF-8.

    UTF-8 (with or without BOM) and UTF-16 with a BOM (Excel's "Unicode Text") are read as
    such. A file that is not valid UTF-8 is read as UTF-8 wherever it can be, and each byte
    that is not UTF-8 is read as Windows-1252 (what Excel writes), so one stray ``’`` from a
    pasted e-mail does not garble every accent in the file. Returns the text and, per
    replaced byte, ``(line, character)`` with the 1-based line, for the load report.
    """
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return raw.decode("utf-16"), []
        except UnicodeDecodeError as exc:
            msg = f"{label}: the file starts like UTF-16 but cannot be read as UTF-16."
            raise DataError(msg) from exc
    try:
        return raw.decode("utf-8-sig"), []
    except UnicodeDecodeError:
        pass
    replaced: list[tuple[int, str]] = []
    body = raw[3:] if raw.startswith(b"\xef\xbb\xbf") else raw
    parts: list[str] = []
    pos = 0
    while pos < len(body):
        try:
            parts.append(body[pos:].decode("utf-8"))
            break
        except UnicodeDecodeError as exc:
            good = body[pos : pos + exc.start]
            parts.append(good.decode("utf-8"))
            bad = body[pos + exc.start : pos + exc.end]
            try:
                char = bad.decode("cp1252")
            except UnicodeDecodeError as err:
                line = body[: pos + exc.start].count(b"\n") + 1
                msg = (
                    f"{label}: line {line} holds byte 0x{bad[0]:02X}, which is neither UTF-8 nor "
                    "Windows-1252. Save the file from your spreadsheet as 'CSV UTF-8' and "
                    "load it again."
                )
                raise DataError(msg) from err
            replaced.append((body[: pos + exc.start].count(b"\n") + 1, char))
            parts.append(char)
            pos += exc.end
    logger.info("%s: %d byte(s) read as Windows-1252 (not UTF-8)", label, len(replaced))
    return "".join(parts), replaced


def _cell_text(value: object, *, excel: bool = False) -> str:
    """A cell as text: missing (None, NaN, NaT, pd.NA) -> '', whole floats -> '7' not
    '7.0'; in a spreadsheet a TRUE/FALSE cell reads as Excel shows it, 'TRUE'/'FALSE'."""
    if value is None or value is pd.NaT or value is pd.NA:
        return ""
    if isinstance(value, (bool, np.bool_)):
        return ("TRUE" if value else "FALSE") if excel else str(bool(value))
    if isinstance(value, float):
        if np.isnan(value):
            return ""
        if value.is_integer():
            return str(int(value))
    if isinstance(value, pd.Timestamp):
        return value.isoformat()
    return str(value)


def _frame_text(frame: pd.DataFrame, *, excel: bool = False) -> pd.DataFrame:
    """Every cell of ``frame`` as text (see :func:`_cell_text`); headers as text, kept as
    they are (repeated or blank headers are checked by :func:`_tidy_header`)."""
    cells = partial(_cell_text, excel=excel)
    text = {}
    for i in range(frame.shape[1]):
        column = frame.iloc[:, i]
        if isinstance(column.dtype, np.dtype) and column.dtype.kind in "iu":  # numpy ints
            text[i] = column.astype(str).tolist()
            continue
        if column.dtype == object or isinstance(column.dtype, pd.StringDtype):
            # text columns repeat their values (ids, waves): each distinct text once
            codes, uniques = pd.factorize(column)
            values = np.asarray(uniques, dtype=object)
            missing = column.to_numpy(dtype=object)[codes < 0]
            if all(type(v) is str for v in values) and all(cells(v) == "" for v in missing):
                # (1 == 1.0 == True would be one value; NaN, None, NA and NaT are all "")
                text[i] = object_array([*values, ""])[codes]  # code -1 picks ""
                continue
        text[i] = [cells(v) for v in column.tolist()]
    out = pd.DataFrame(text, index=pd.RangeIndex(len(frame)), dtype=object)
    out.columns = [cells(c) for c in frame.columns]
    return out


def _column_letter(position: int) -> str:
    """0-based column position -> spreadsheet letters (0 -> A, 26 -> AA)."""
    letters = ""
    n = position + 1
    while n:
        n, rem = divmod(n - 1, 26)
        letters = chr(ord("A") + rem) + letters
    return letters


def _tidy_header(raw: pd.DataFrame, table: str, label: str, report: _Report) -> pd.DataFrame:
    """Normalise header spacing; drop (and report) empty columns without a header, name
    filled ones after their spreadsheet letter; raise on headers given twice."""
    names = [_norm_header(c) for c in raw.columns]
    keep: list[int] = []
    for i, name in enumerate(names):
        if name == "":
            letter = _column_letter(i)
            if (raw.iloc[:, i] == "").all():
                report.add(
                    table,
                    None,
                    f"column {letter}",
                    None,
                    "removed column",
                    "no header and no values (often left by a spreadsheet)",
                )
                continue
            names[i] = f"column {letter}"
            report.add(
                table,
                None,
                names[i],
                None,
                "renamed column",
                f"no header: values kept as {names[i]!r}; give it a header to name it",
            )
        keep.append(i)
    kept = [names[i] for i in keep]
    repeated = {n: [_column_letter(i) for i in keep if names[i] == n] for n in kept}
    repeated = {n: letters for n, letters in repeated.items() if len(letters) > 1}
    if repeated:
        where = "; ".join(f"{n!r} in columns {', '.join(ls)}" for n, ls in repeated.items())
        msg = (
            f"{label}: header(s) given more than once: {where}. Rename or remove the extra "
            "column and load again."
        )
        raise DataError(msg)
    out = raw.iloc[:, keep]
    out.columns = kept
    return out


@dataclass
class _Raw:
    """A table as read: all-text cells, the label for messages, the spreadsheet row of
    its first data row, and per-cell notes (spreadsheet row or None, column position or
    -1 for a whole row, action, why)."""

    frame: pd.DataFrame
    label: str
    first_row: int = 2
    notes: list[tuple[int | None, int, str, str]] = field(default_factory=list)


def _load_raw(source: Source, table: str, report: _Report, header_row: int = 1) -> _Raw:
    """Read ``source`` into an all-text table, its headers on spreadsheet row
    ``header_row`` (rows above are skipped and reported)."""
    if isinstance(source, pd.DataFrame):
        frame = source
        named = [n for n in frame.index.names if n is not None]
        if named and not any(str(n) in {str(c) for c in frame.columns} for n in named):
            # a table indexed by its id (as read_people returns it): keep the index
            frame = frame.reset_index()
        return _Raw(_frame_text(frame), f"<{table} DataFrame>")
    path = Path(source)
    label = path.name
    if not path.exists():
        msg = f"{path}: file not found. Check the path (the current folder is {Path.cwd()})."
        raise FileNotFoundError(msg)
    suffix = path.suffix.lower()
    if suffix in {".xlsx", ".xlsm", ".xls"}:
        if suffix == ".xls":
            msg = (
                f"{label}: old Excel '.xls' files cannot be read; open it in Excel and "
                "save it as '.xlsx' or 'CSV UTF-8'."
            )
            raise DataError(msg)
        raw = _read_workbook(path, table, label, report)
    elif suffix in {".csv", ".txt", ".tsv"}:
        raw = _read_text(path, table, label, report, tab=suffix == ".tsv")
    else:
        msg = f"{label}: unsupported file type {suffix!r}; use .csv or .xlsx."
        raise DataError(msg)
    return _header_at(raw, table, report, header_row)


def _header_at(raw: _Raw, table: str, report: _Report, header_row: int) -> _Raw:
    """Take spreadsheet row ``header_row`` of ``raw`` (all rows, no header yet) as the
    header; rows above it are reported as skipped."""
    frame = raw.frame
    if isinstance(header_row, bool) or not isinstance(header_row, int) or header_row < 1:
        msg = f"`header_row` must be a whole number from 1 (the first row), got {header_row!r}."
        raise ValueError(msg)
    if frame.empty or (frame == "").all(axis=None):
        msg = f"{raw.label}: the file is empty; it needs a header row naming the columns."
        raise DataError(msg)
    if header_row > len(frame):
        msg = (
            f"{raw.label}: `header_row` is {header_row} but the file has only {len(frame)} "
            "row(s). Give the row that holds the column headers."
        )
        raise DataError(msg)
    for pos in range(header_row - 1):
        if (frame.iloc[pos] != "").any():
            report.add(
                table,
                pos + 1,
                None,
                None,
                "skipped",
                f"above the header row {header_row} (titles or notes); not read as data",
            )
    out = frame.iloc[header_row:].reset_index(drop=True)
    out.columns = frame.iloc[header_row - 1].tolist()
    notes = [n for n in raw.notes if n[0] is None or n[0] > header_row]
    return _Raw(out, raw.label, header_row + 1, notes)


_DELIMITERS = {",": "comma", ";": "semicolon", "\t": "tab", "|": "vertical bar"}


def _sniff_delimiter(header: str, *, tab: bool) -> str:
    """The separator of a CSV file, from its header line: the most frequent of comma,
    semicolon, tab and vertical bar outside quotes (comma when none appears)."""
    if tab:
        return "\t"
    unquoted = re.sub(r'"[^"]*"', "", header)
    counts = {d: unquoted.count(d) for d in _DELIMITERS}
    best = max(counts, key=lambda d: (counts[d], d == ","))
    return best if counts[best] else ","


def _read_cells(text: str, sep: str) -> pd.DataFrame:
    """The cells of delimited text, every row as wide as the widest (a title row above
    the headers has fewer cells). The C parser takes its width from the first row and
    refuses a wider row; only then is the widest row found (a slower pass) and the text
    read again with that width."""

    def read(width: int | None) -> pd.DataFrame:
        return pd.read_csv(
            io.StringIO(text),
            dtype=str,
            keep_default_na=False,
            na_filter=False,
            skip_blank_lines=False,
            sep=sep,
            lineterminator="\n",
            header=None,  # headers are checked by _tidy_header, not renamed 'x.1'
            names=list(range(width)) if width else None,
        )

    try:
        return read(None)
    except pd.errors.ParserError:
        rows = csv.reader(io.StringIO(text.replace("\r", " ")), delimiter=sep)
        return read(max((len(row) for row in rows), default=0))


def _read_text(path: Path, table: str, label: str, report: _Report, *, tab: bool) -> _Raw:
    """A delimited text file as all-text rows (the header is still row 0)."""
    text, replaced = _decode(path.read_bytes(), label)
    if "\n" not in text and "\r" in text:  # old Mac line ends
        text = text.replace("\r", "\n")
    text = text.replace("\r\n", "\n")  # a CR left now is inside a cell
    header = next((line for line in text.split("\n") if line.strip()), "")
    sep = _sniff_delimiter(header, tab=tab)
    if sep != ",":
        report.add(
            table,
            None,
            None,
            None,
            "noted",
            f"read as {_DELIMITERS[sep]}-separated (found in the header row)",
        )
    try:
        raw = _read_cells(text, sep)
    except pd.errors.EmptyDataError as exc:
        msg = f"{label}: the file is empty; it needs a header row naming the columns."
        raise DataError(msg) from exc
    except pd.errors.ParserError as exc:
        msg = f"{label}: cannot parse the file as CSV ({exc}). Check quotes and separators."
        raise DataError(msg) from exc
    raw = raw.astype(object)
    notes: list[tuple[int | None, int, str, str]] = []
    if replaced and len(replaced) == sum(ord(ch) > 127 for ch in text):
        report.add(
            table,
            None,
            None,
            None,
            "noted",
            "read as Windows-1252 (not UTF-8), as older Excel saves CSV files",
        )
    elif replaced:
        chars = sorted({c for _, c in replaced})
        for row, char in dict.fromkeys(replaced):
            found = [
                c
                for c in range(raw.shape[1])
                if row - 1 < len(raw) and char in raw.iat[row - 1, c]
            ]
            for col in found[:1]:
                notes.append(
                    (
                        row,
                        col,
                        "flagged",
                        (
                            f"a byte that is not UTF-8 read as Windows-1252 {char!r}; check the "
                            "cell and save the file as 'CSV UTF-8'"
                        ),
                    )
                )
        logger.info("%s: Windows-1252 characters %s", label, chars)
    return _Raw(raw, label, 1, notes)


_EXCEL_ERRORS = frozenset(
    {"#N/A", "#REF!", "#VALUE!", "#DIV/0!", "#NAME?", "#NUM!", "#NULL!", "#SPILL!", "#CALC!"}
)


def _open_workbook(path: Path, label: str):
    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    head = path.read_bytes()[:4]
    if head != b"PK\x03\x04":
        looks_text = head and all(32 <= b < 127 or b in (9, 10, 13) for b in head)
        what = (
            "it holds plain text, so it is probably a CSV file renamed to .xlsx: rename it to .csv"
            if looks_text
            else "it may be damaged or in another format: open it in Excel and save it "
            "again as .xlsx (or as 'CSV UTF-8')"
        )
        msg = f"{label}: not an Excel workbook; {what}."
        raise DataError(msg)
    try:
        return load_workbook(path, read_only=True, data_only=True)
    except (zipfile.BadZipFile, InvalidFileException, KeyError, OSError, ValueError) as exc:
        msg = (
            f"{label}: cannot be opened as an Excel workbook ({type(exc).__name__}: {exc}). "
            "It may be damaged: open it in Excel and save it again as .xlsx (or as "
            "'CSV UTF-8')."
        )
        raise DataError(msg) from exc


_CELL_REF = re.compile(r"([A-Z]+)(\d+)")


def _column_number(letters: str) -> int:
    """Spreadsheet letters -> 0-based column position (A -> 0, AA -> 26)."""
    n = 0
    for ch in letters:
        n = n * 26 + ord(ch) - 64
    return n - 1


_NO_SAVED_VALUE = (
    "formula {formula!r} has no saved value (the file was not saved by Excel), read as "
    "blank: open and save it in Excel, or paste the values over the formulas"
)
_MERGED = (
    "merged cells {ref}: only the first cell holds the value, the others read as blank; "
    "unmerge them and fill each cell"
)


def _sheet_notes(book: zipfile.ZipFile, part: str) -> list[tuple[int | None, int, str, str]]:
    """Hidden rows and columns, merged cells and formulas without a saved value, read
    from a worksheet's XML (openpyxl's fast read-only mode does not report them)."""
    from xml.etree.ElementTree import iterparse

    notes: list[tuple[int | None, int, str, str]] = []
    with book.open(part) as xml:
        raw = xml.read()
    if not any(mark in raw for mark in (b"<f>", b"<f ", b'hidden="', b"<mergeCell")):
        return notes  # nothing to flag: skip parsing the sheet a second time

    def at(ref: str) -> tuple[int, int] | None:
        found = _CELL_REF.match(ref)
        return (int(found.group(2)), _column_number(found.group(1))) if found else None

    for _, elem in iterparse(io.BytesIO(raw), events=("end",)):
        tag = elem.tag.rsplit("}", 1)[-1]
        hidden = elem.get("hidden") in ("1", "true")
        if tag == "c":
            parts = {child.tag.rsplit("}", 1)[-1]: child.text for child in elem}
            where = at(elem.get("r", ""))
            if "f" in parts and not parts.get("v") and where:
                formula = ("=" + (parts["f"] or ""))[:60]
                notes.append((*where, "flagged", _NO_SAVED_VALUE.format(formula=formula)))
            elem.clear()
        elif tag == "row":
            if hidden:
                row = int(elem.get("r", 0))
                notes.append((row, -1, "flagged", "hidden row in the sheet; read as data"))
            elem.clear()
        elif tag == "col" and hidden:
            for c in range(int(elem.get("min", 1)) - 1, int(elem.get("max", 1))):
                why = f"hidden column {_column_letter(c)} in the sheet; read"
                notes.append((None, c, "flagged", why))
        elif tag == "mergeCell" and (where := at(elem.get("ref", ""))):
            notes.append((*where, "flagged", _MERGED.format(ref=elem.get("ref"))))
    return notes


def _read_workbook(path: Path, table: str, label: str, report: _Report) -> _Raw:
    """The first sheet of a workbook as all-text rows (the header is still row 0), with
    notes for hidden rows and columns, merged cells, formulas without saved values and
    Excel error values; other sheets are listed in the load report."""
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # openpyxl: unsupported extensions
        book = _open_workbook(path, label)
    try:
        sheet = book.worksheets[0]
        others = book.sheetnames[1:]
        rows = [list(row) for row in sheet.iter_rows(min_row=1, values_only=True)]
        with zipfile.ZipFile(path) as archive:
            notes = _sheet_notes(archive, sheet._worksheet_path)
    finally:
        book.close()
    if others:
        report.add(
            table,
            None,
            None,
            None,
            "noted",
            f"read sheet {sheet.title!r} only; the workbook also has "
            + ", ".join(repr(n) for n in others)
            + f" (not read: put the {table} table on the first sheet)",
        )
    width = max((len(row) for row in rows), default=0)
    cells = []
    for r, row in enumerate(rows):
        texts = []
        for c, value in enumerate(row + [None] * (width - len(row))):
            if isinstance(value, _dt.datetime | _dt.date):
                value = pd.Timestamp(value)
            text = _cell_text(value, excel=True)
            if text in _EXCEL_ERRORS:
                notes.append((r + 1, c, "flagged", f"Excel error value {text!r} in the cell"))
            texts.append(text)
        cells.append(texts)
    while cells and not any(cells[-1]):  # trailing empty rows of the sheet's dimension
        cells.pop()
    frame = pd.DataFrame(cells, dtype=object) if cells else pd.DataFrame(dtype=object)
    return _Raw(frame, label, 1, sorted(notes, key=lambda n: (n[0] or 0, n[1])))


def _norm_header(name: str) -> str:
    return re.sub(r"\s+", " ", str(name)).strip()


def _header_further_down(raw: pd.DataFrame, wanted: list[str]) -> int | None:
    """Spreadsheet row (among the first ten) holding one of the ``wanted`` headers, if any:
    registers often start with a title row above the real headers."""
    keys = {_norm_header(w).casefold() for w in wanted}
    for pos in range(min(10, len(raw))):
        cells = {_norm_header(v).casefold() for v in raw.iloc[pos].tolist()}
        if cells & keys:
            return _spreadsheet_row(pos)
    return None


def _header_key(name: object) -> str:
    """A header compared loosely: case, spacing and ``_-./:#()`` ignored."""
    return " ".join(re.sub(r"[_\-./:#()]+", " ", str(name)).casefold().split())


def _synonyms(*names: str) -> frozenset[str]:
    return frozenset(_header_key(n) for n in names)


_PERSON_ID = _synonyms(
    "person id", "personid", "id", "attendee id", "participant id", "delegate id", "staff id"
)
_PERSON_NAME = _synonyms(
    "name",
    "full name",
    "attendee name",
    "attendee",
    "participant",
    "participant name",
    "delegate",
    "delegate name",
    "person name",
)
_ORGANISATION = _synonyms(
    "organisation",
    "organization",
    "organisation id",
    "organization id",
    "organisation name",
    "organization name",
    "org",
    "org id",
    "trust",
    "employer",
    "agency",
)
_EVENT = _synonyms(
    "event id", "event", "meeting", "meeting id", "session", "session id", "event code"
)
_DATE = _synonyms("date", "meeting date", "event date", "session date")
_EMAIL = _synonyms("email", "e-mail", "email address", "e-mail address")

#: Per table: connectnet column -> headers read as it (compared by :func:`_header_key`).
#: A header is renamed only when the column is not already there and exactly one header
#: of the file claims it; two claimants raise a DataError proposing ``columns=``.
HEADER_SYNONYMS: dict[str, dict[str, frozenset[str]]] = {
    "people": {
        "person_id": _PERSON_ID,
        "name": _PERSON_NAME,
        "organisation_id": _ORGANISATION,
        "sector": _synonyms("sector", "sector type"),
        "role": _synonyms("role", "job title", "job role", "position"),
        "region": _synonyms("region", "area", "locality"),
        "email": _EMAIL,
    },
    "organisations": {
        "organisation_id": _synonyms(
            "organisation id", "organization id", "org id", "id", "organisation code", "code"
        ),
        "name": _synonyms("name", "organisation name", "organization name", "org name"),
        "sector": _synonyms("sector", "sector type"),
        "type": _synonyms("type", "organisation type", "organization type", "org type"),
        "region": _synonyms("region", "area", "locality"),
    },
    "events": {
        "event_id": _EVENT,
        "date": _DATE,
        "title": _synonyms("title", "event name", "meeting name", "event title", "name"),
        "theme": _synonyms("theme", "topic"),
        "programme": _synonyms("programme", "program"),
    },
    "attendance": {
        "event_id": _EVENT,
        "person_id": _PERSON_ID,
        "status": _synonyms("status", "attendance", "attended", "attendance status"),
        "name": _PERSON_NAME,
        "organisation_id": _ORGANISATION,
        "email": _EMAIL,
        "date": _DATE,
    },
    "contacts": {
        "source": _synonyms("source", "respondent", "respondent id", "from", "ego"),
        "target": _synonyms("target", "contact", "contact id", "to", "alter"),
        "wave": _synonyms("wave", "round", "survey wave"),
        "date": _DATE,
        "weight": _synonyms("weight", "strength"),
        "kind": _synonyms("kind", "tie type", "relationship"),
    },
    "respondents": {
        "person_id": _synonyms("person id", "respondent", "respondent id", "id"),
        "wave": _synonyms("wave", "round", "survey wave"),
    },
    "roster": {
        "person_id": _synonyms("person id", "id", "member", "member id", "staff id"),
        "wave": _synonyms("wave", "round", "survey wave"),
    },
}
# Headers that also name the organisation in an organisations table without an id column.
_ORGANISATION_AS_ID = _synonyms("organisation", "organization", "organisation name", "name")


def _apply_synonyms(raw: pd.DataFrame, table: str, label: str, report: _Report) -> pd.DataFrame:
    """Rename common headers to ours (``Attendee ID`` -> ``person_id``), each reported;
    raise when two headers could both be one of our columns."""
    wanted = dict(HEADER_SYNONYMS.get(table, {}))
    if table == "organisations" and not any(
        _header_key(c) in wanted["organisation_id"] or c == "organisation_id" for c in raw.columns
    ):
        wanted = {**wanted, "organisation_id": _ORGANISATION_AS_ID}
        wanted["name"] = wanted["name"] - _ORGANISATION_AS_ID
    present = set(raw.columns)
    used: set[str] = set()
    renames: dict[str, str] = {}
    for ours, synonyms in wanted.items():
        if ours in present:
            continue
        claims = [
            c
            for c in raw.columns
            if c not in used
            and c not in renames
            and c not in wanted
            and _header_key(c) in synonyms
        ]
        if len(claims) > 1:
            letters = {c: _column_letter(list(raw.columns).index(c)) for c in claims}
            listed = " and ".join(f"{c!r} (column {letters[c]})" for c in claims)
            mapping = {table: {claims[0]: ours}}
            msg = (
                f"{label}: {listed} could each be {ours!r}. Say which one with "
                f"columns={{{claims[0]!r}: {ours!r}}} (read_dataset: columns={mapping!r}; "
                f"command line: --columns mapping.json holding {json.dumps(mapping)})."
            )
            raise DataError(msg)
        if claims:
            renames[claims[0]] = ours
            used.add(claims[0])
    for old, new in renames.items():
        how = "" if _header_key(old) == _header_key(new) else " (a common header for it)"
        report.add(table, None, new, old, "renamed column", f"header {old!r} read as {new!r}{how}")
    return raw.rename(columns=renames)


# Required columns that may be absent when others stand in for them (names-only sign-in
# sheets: people are found by name and organisation, or e-mail; an event by its date).
_ALTERNATIVES: dict[str, dict[str, tuple[str, ...]]] = {
    "attendance": {"person_id": ("name", "email"), "event_id": ("date",)},
}


def _apply_columns(
    raw: pd.DataFrame,
    table: str,
    label: str,
    columns: Mapping[str, str] | None,
    report: _Report,
) -> pd.DataFrame:
    """Rename user headers to ours; check required columns; add optional ones."""
    required, optional, _ = _SCHEMAS[table]
    if columns:
        mapping = {_norm_header(k): v for k, v in columns.items()}
        absent = [k for k, v in mapping.items() if k not in raw.columns and v not in raw.columns]
        if absent:
            found = ", ".join(repr(c) for c in raw.columns) or "none"
            lines = []
            for key in absent:
                close = difflib.get_close_matches(key, list(raw.columns), n=1, cutoff=0.6)
                hint = f" (did you mean {close[0]!r}?)" if close else ""
                lines.append(f"{key!r}{hint}")
            msg = (
                f"{label}: `columns` maps {', '.join(lines)}, but the file has no such "
                f"column. Columns found: {found}. Correct the header in `columns` (it "
                "must match the file's header, spaces and capitals included) or remove it."
            )
            raise DataError(msg)
        raw = raw.rename(columns=mapping)
    raw = _apply_synonyms(raw, table, label, report)
    duplicated = raw.columns[raw.columns.duplicated()].unique().tolist()
    if duplicated:
        msg = (
            f"{label}: column(s) {duplicated} appear more than once (after applying "
            "`columns=`). Rename or remove the extra column."
        )
        raise DataError(msg)
    for col, alternatives in _ALTERNATIVES.get(table, {}).items():
        present = [a for a in alternatives if a in raw.columns]
        if col not in raw.columns and present:
            raw = raw.assign(**{col: ""})
            report.add(
                table,
                None,
                col,
                None,
                "noted",
                f"no {col!r} column: {col} taken from {' and '.join(map(repr, present))} "
                "(see the load report for each match)",
            )
    missing = [c for c in required if c not in raw.columns]
    if missing:
        found = ", ".join(repr(c) for c in raw.columns) or "none"
        lines = []
        for col in missing:
            candidates = {c.casefold().replace("_", " "): c for c in raw.columns}
            close = difflib.get_close_matches(
                col.replace("_", " "), list(candidates), n=1, cutoff=0.6
            )
            hint = ""
            if close:
                orig = candidates[close[0]]
                hint = f" Did you mean {orig!r}? Pass columns={{{orig!r}: {col!r}}}."
            lines.append(f"missing required column {col!r}.{hint}")
        msg = f"{label}: " + " ".join(lines) + f" Columns found: {found}."
        header_row = _header_further_down(raw, [*missing, *(columns or {})])
        if header_row is not None:
            msg += (
                f" The headers seem to be on row {header_row}: delete the rows above "
                "them (titles, notes) so the headers are on row 1."
            )
        raise DataError(msg)
    for col in optional:
        if col not in raw.columns:
            raw[col] = ""
    extras = [c for c in raw.columns if c not in required and c not in optional]
    return raw[[*required, *optional, *extras]]


_RETURNS = re.compile(r"\r\n?")
# whitespace at the start or end of a text, in texts joined by NUL (a NUL inside a text can
# only add a false alarm, answered by stripping each text)
_EDGE_SPACE = re.compile(r"(?:\A|\x00)\s|\s(?:\x00|\Z)")


def _clean_cells(
    raw: pd.DataFrame, table: str, report: _Report, first_row: int = 2
) -> pd.DataFrame:
    """Strip whitespace in every cell (reported per column), replace carriage returns
    inside cells by spaces (reported per column: a bare CR is a line end to many readers)
    and drop blank rows. ``first_row`` is the spreadsheet row of the first data row."""
    out = raw.copy()
    rows = out.pop("_row").to_numpy() if "_row" in out else np.arange(len(out)) + first_row
    blank = np.ones(len(out), dtype=bool)
    for col in out.columns:
        # each distinct cell text is cleaned once (columns repeat ids, waves, dates ...)
        codes, found = pd.factorize(out[col].to_numpy(dtype=object))
        uniques = np.asarray(found, dtype=object)
        if not all(type(v) is str for v in uniques):  # text as pandas writes it
            codes, found = pd.factorize(out[col].astype(str))
            uniques = np.asarray(found, dtype=object)
        missing = codes < 0  # a missing cell stays missing (and counts as trimmed)
        values = object_array([*uniques, np.nan])  # code -1 picks the last entry
        returns = np.zeros(len(codes), dtype=bool)
        if "\r" in "\x00".join(uniques):  # one scan of all the texts, usually enough
            returns = np.fromiter(("\r" in v for v in uniques), bool, len(uniques))[codes]
            returns &= ~missing
        if returns.any():
            values = object_array([*(_RETURNS.sub(" ", v) for v in uniques), np.nan])
            where = ", ".join(str(rows[int(p)]) for p in np.flatnonzero(returns)[:10])
            report.add(
                table,
                None,
                col,
                int(returns.sum()),
                "normalised",
                f"{int(returns.sum())} cell(s) held a carriage return (a line break pasted "
                f"into the cell), replaced by a space (rows {where})",
            )
        stripped = values
        if _EDGE_SPACE.search("\x00".join(values[:-1])):  # some text starts or ends in space
            stripped = object_array([*(v.strip() for v in values[:-1]), np.nan])
        changed = int(((stripped != values)[codes] | missing).sum())
        if changed:
            report.add(
                table,
                None,
                col,
                changed,
                "trimmed",
                f"{changed} cell(s) had spaces before or after the text, removed",
            )
        out[col] = pd.Series(stripped[codes], index=out.index, dtype=object)
        blank &= (stripped == "")[codes] & ~missing
    for pos in np.flatnonzero(blank):
        report.add(table, int(rows[pos]), None, None, "dropped", "blank row")
    out["_row"] = rows
    return out[~blank]


def _check_ids(df: pd.DataFrame, table: str, label: str, id_cols: list[str]) -> list[str]:
    problems = []
    for col in id_cols:
        for row in df.loc[df[col] == "", "_row"]:
            problems.append(f"row {row}, column {col!r}: empty id")
    return problems


_INVISIBLE = re.compile("[\u00ad\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\ufeff]")
# Cyrillic and Greek letters drawn like Latin ones (the common homoglyphs in pasted ids).
_HOMOGLYPHS = str.maketrans(
    "аеорсухіјѕԁһԛԝАВЕКМНОРСТХУІЈЅαονιΑΒΕΖΗΙΚΜΝΟΡΤΥΧ",
    "aeopcyxijsdhqwABEKMHOPCTXYIJSaoviABEZHIKMNOPTYX",
)


def _lookalike_key(text: str) -> str:
    """An id as it looks: Unicode compatibility form (NFKC), invisible characters
    (zero-width spaces, soft hyphens, direction marks) removed, Cyrillic/Greek look-alike
    letters read as Latin, case ignored."""
    text = str(text)
    if text.isascii():  # nothing to normalise, remove or read as Latin
        return text.lower()
    text = _INVISIBLE.sub("", unicodedata.normalize("NFKC", text))
    return text.translate(_HOMOGLYPHS).casefold()


def _lookalike_reason(a: str, b: str) -> str:
    if a.casefold() == b.casefold():
        return "capitals"
    if unicodedata.normalize("NFKC", a) == unicodedata.normalize("NFKC", b):
        return "Unicode form (the same letters, encoded differently)"
    if (
        _INVISIBLE.sub("", a) == _INVISIBLE.sub("", b)
        or _INVISIBLE.sub("", a).casefold() == _INVISIBLE.sub("", b).casefold()
    ):
        return "invisible characters (zero-width spaces or similar)"
    return "look-alike letters (Cyrillic or Greek letters that look Latin)"


def _flag_lookalike_ids(df: pd.DataFrame, table: str, id_col: str, report: _Report) -> None:
    """Flag (never merge) ids that look the same but differ: ``p1``/``P1``, two Unicode
    forms of ``José``, an id with a zero-width space, a Cyrillic ``р`` for a Latin ``p``."""
    ids = df[id_col]
    keys = ids.map(_lookalike_key)
    clash = keys.duplicated(keep=False) & (ids != "")
    if not clash.any():
        return
    first: dict[str, tuple[str, int]] = {}
    for pid, key, row in zip(ids[clash], keys[clash], df.loc[clash, "_row"], strict=True):
        if key not in first:
            first[key] = (pid, row)
            continue
        other, other_row = first[key]
        if pid == other:
            continue
        report.add(
            table,
            row,
            id_col,
            pid,
            "flagged",
            f"possible duplicate of {id_col} {other!r} (row {other_row}): the ids differ "
            f"only in {_lookalike_reason(other, pid)}; not merged — use one id if they are "
            "the same",
        )


def _require_rows(df: pd.DataFrame, table: str, label: str) -> None:
    """A header-only (or all-blank) people file is a mistake, not an empty study."""
    if len(df) == 0:
        msg = (
            f"{label}: no {table} — the file has a header row but no data rows (or only "
            f"blank ones). Add one row per {'person' if table == 'people' else 'row'}, or "
            "leave the file out if your attendance sheet names people itself."
        )
        raise DataError(msg)


def _duplicate_ids(df: pd.DataFrame, id_col: str) -> list[str]:
    """One line per id given on more than one row (empty ids are reported separately)."""
    dup = df[df[id_col].duplicated(keep=False) & (df[id_col] != "")]
    return [
        f"{id_col} {key!r} appears in rows {', '.join(str(r) for r in grp['_row'])}"
        for key, grp in dup.groupby(id_col, sort=False)
    ]


_UK_DATE = re.compile(r"^\d{1,2}/\d{1,2}/\d{4}$")
_ISO_DATE = re.compile(r"^\d{4}-\d{1,2}-\d{1,2}(?:[T ]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?$")
_COMPACT_DATE = re.compile(r"^\d{8}$")
_PARTIAL_DATE = re.compile(r"^\d{4}(?:-\d{1,2})?$")
_TZ_OFFSET = re.compile(r"(\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)\s*(?:Z|[+-]\d{2}:?\d{2})$")
#: Years a date can have: pandas' nanosecond dates run from 1677-09-21 to 2262-04-11.
_YEARS = (1678, 2261)
_DATE_HELP = "write YYYY-MM-DD, or DD/MM/YYYY"


def _date_problem(value: str, form: str | None, year: int | None) -> str:
    """Why a date cell could not be read, said for the person fixing the file."""
    if form == "partial":
        return (
            f"{value!r} is only a year or a month; write the full date of the meeting (YYYY-MM-DD)"
        )
    if year is not None and not _YEARS[0] <= year <= _YEARS[1]:
        return f"{value!r} has year {year}, outside {_YEARS[0]}-{_YEARS[1]}; check the year"
    return f"{value!r} is not a date ({_DATE_HELP})"


def _parse_dates(
    df: pd.DataFrame, label: str, problems: list[str], column: str = "date"
) -> pd.Series:
    """Dates in ISO form (``2024-01-31``, with optional time), UK day-first ``31/01/2024``
    or compact ISO ``20240131``; anything else is a problem naming the row.

    A time-zone offset after a time (``10:00+01:00``, ``10:00Z``, as survey tools export)
    is ignored: the local date and time are kept, so a meeting keeps its calendar day.
    A year alone (``2024``) or a month (``2024-01``) is refused rather than read as the
    1st of January, and so is a year outside 1678-2261 (what pandas can hold).
    """
    text = df[column]
    # each distinct text is parsed once (a register repeats its meeting dates)
    codes, uniques = pd.factorize(text, use_na_sentinel=False)
    distinct = pd.Series(np.asarray(uniques, dtype=object), dtype=text.dtype)
    parsed_u, forms_u, year_u = _parse_date_texts(distinct)
    parsed = pd.Series(parsed_u.to_numpy()[codes], index=text.index, dtype="datetime64[ns]")
    bad = (text != "") & parsed.isna()
    where = codes[bad.to_numpy()]
    for row, value, form, y in zip(
        df.loc[bad, "_row"],
        text[bad],
        forms_u.to_numpy()[where],
        year_u.to_numpy()[where],
        strict=True,
    ):
        why = _date_problem(value, form, None if pd.isna(y) else int(y))
        problems.append(f"row {row}, column {column!r}: {why}")
    return parsed.astype("datetime64[ns]")


def _parse_date_texts(text: pd.Series) -> tuple[pd.Series, pd.Series, pd.Series]:
    """Parsed date, form (``iso``, ``uk``, ``compact``, ``partial`` or None) and year of
    each date text (see :func:`_parse_dates`)."""
    given = text.where(text != "", None).str.replace(_TZ_OFFSET, r"\1", regex=True)
    filled = given.fillna("")
    forms = pd.Series(None, index=text.index, dtype=object)
    for form, pattern in (
        ("iso", _ISO_DATE),
        ("uk", _UK_DATE),
        ("compact", _COMPACT_DATE),
        ("partial", _PARTIAL_DATE),
    ):
        forms[forms.isna() & filled.str.match(pattern).astype(bool)] = form
    year = pd.to_numeric(
        filled.str.extract(r"^(\d{4})")[0].where(forms != "uk", filled.str[-4:]),
        errors="coerce",
    )
    in_range = year.between(*_YEARS)
    parsed = pd.Series(pd.NaT, index=text.index, dtype="datetime64[ns]")
    for form, fmt in (("iso", "ISO8601"), ("uk", "%d/%m/%Y"), ("compact", "%Y%m%d")):
        rows = (forms == form) & in_range
        if rows.any():
            parsed[rows] = pd.to_datetime(given[rows], format=fmt, errors="coerce")
    return parsed, forms, year


def _to_missing(df: pd.DataFrame, cols: list[str]) -> pd.DataFrame:
    for col in cols:
        df[col] = df[col].where(df[col] != "", None).astype(object)
    return df


def _normalise_labels(
    frames: list[tuple[str, pd.DataFrame]], column: str, report: _Report
) -> None:
    """Make labels differing only in case/whitespace one label (the most common spelling)."""
    spellings = pd.concat([df[column] for _, df in frames if len(df)], ignore_index=True)
    spellings = spellings[spellings.notna() & (spellings != "")]
    if spellings.empty:
        return
    counts = spellings.value_counts(sort=False)
    first_seen = {v: i for i, v in enumerate(pd.unique(spellings))}
    best: dict[str, tuple[int, int, str]] = {}
    for value, n in counts.items():
        key = _label_key(str(value))
        rank = (-int(n), first_seen[value], str(value))
        if key not in best or rank < best[key]:
            best[key] = rank
    # one entry per distinct spelling, so the per-row work is a vectorised lookup
    canon = {v: best[_label_key(str(v))][2] for v in first_seen}
    for table, df in frames:
        values = df[column]
        target = values.map(canon).where(values.isin(list(canon)), values).astype(object)
        changed = values.notna() & (values != "") & (target != values)
        for row, old, new in zip(
            df.loc[changed, "_row"], values[changed], target[changed], strict=True
        ):
            report.add(
                table,
                row,
                column,
                old,
                "normalised",
                f"{column} {old!r} written as {new!r} (labels differing only in case or "
                "spacing are one label)",
            )
        df[column] = target


def _flag_duplicate_people(people: pd.DataFrame, report: _Report) -> None:
    """Flag (never merge) likely duplicates within one organisation.

    The pairs are :func:`connectnet.match_people`'s at its default threshold: the same
    name once case, accents, titles and punctuation are ignored, an initial for a given
    name (``J. Smith`` / ``Jane Smith``), a nickname (``Bob``/``Robert``), a swapped or
    double-barrelled name, or a one-letter typo (``Smith``/``Smyth``), all within one
    organisation (``Jane Smith`` / ``John Smith`` are not flagged). Each later row is
    flagged once, naming the earliest row it may duplicate.
    """
    named = people[people["name"].notna() & (people["name"] != "")]
    if len(named) < 2:
        return
    frame = pd.DataFrame(
        {
            "name": named["name"].to_numpy(),
            "organisation_id": named["organisation_id"].fillna("").to_numpy(),
        },
        index=pd.RangeIndex(len(named)),
    )
    pairs = match_people(frame)
    if pairs.empty:
        return
    a, b = (pairs[c].to_numpy(dtype=np.int64) for c in ("left_id", "right_id"))
    first, other = np.minimum(a, b), np.maximum(a, b)
    order = np.lexsort((first, other))  # stable: best pair first among equal (other, first)
    _, earliest = np.unique(other[order], return_index=True)
    chosen = order[earliest]
    pids, rows, names = (named[c].to_numpy() for c in ("person_id", "_row", "name"))
    orgs = frame["organisation_id"].to_numpy()
    reasons, scores = pairs["reasons"].to_numpy(), pairs["score"].to_numpy()
    has_row = pd.notna(rows)
    for k, f, o in zip(
        chosen.tolist(), first[chosen].tolist(), other[chosen].tolist(), strict=True
    ):
        where = f"organisation {orgs[f]!r}" if orgs[f] else "no organisation"
        report.add(
            "people",
            rows[o],
            "name",
            names[o],
            "flagged",
            f"possible duplicate of person_id {pids[f]!r} ({names[f]!r}"
            + (f", row {rows[f]}" if has_row[f] else "")
            + f"): {reasons[k].replace('; same organisation', '')}, {where} "
            f"(match score {scores[k]:.2f}); not merged — check and fix the ids if they "
            "are one person, or merge them with cn.apply_matches",
        )


# --------------------------------------------------------------------------- tables


def _apply_user_columns_first(frame: pd.DataFrame, columns: Mapping[str, str]) -> bool:
    """True when ``columns=`` already names the long-format columns (no reshaping)."""
    targets = set(columns.values())
    return {"source", "target"} <= targets | set(frame.columns)


def _report_notes(raw: _Raw, table: str, report: _Report) -> None:
    """Put the reader's per-cell notes (hidden rows, merged cells, ...) in the report."""
    for row, col, action, why in raw.notes:
        column = None
        if 0 <= col < raw.frame.shape[1]:
            header = _norm_header(raw.frame.columns[col])
            column = header or f"column {_column_letter(col)}"
        value = raw.frame.iat[row - raw.first_row, col] if row and column else None
        report.add(table, row, column, value or None, action, why)


def _prepare(
    source: Source,
    table: str,
    columns: Mapping[str, str] | None,
    report: _Report,
    header_row: int = 1,
    reshape: Callable[[pd.DataFrame, str, _Report, int], pd.DataFrame] | None = None,
) -> tuple[pd.DataFrame, str]:
    raw = _load_raw(source, table, report, header_row)
    report.read[table] = len(raw.frame)
    _report_notes(raw, table, report)
    frame = _tidy_header(raw.frame, table, raw.label, report)
    if reshape is not None and not (columns and _apply_user_columns_first(frame, columns)):
        frame = reshape(frame, raw.label, report, raw.first_row)
        report.read[table] = len(frame)
    frame = _apply_columns(frame, table, raw.label, columns, report)
    df = _clean_cells(frame, table, report, raw.first_row)
    return df, raw.label


def _finish_entity(
    df: pd.DataFrame, table: str, label: str, problems: list[str], report: _Report
) -> None:
    """Raise once for every bad cell and duplicated id of an entity table; flag ids that
    only look alike."""
    id_col = _SCHEMAS[table][2] or ""
    duplicates = _duplicate_ids(df, id_col)
    if not problems and not duplicates:
        _flag_lookalike_ids(df, table, id_col, report)
        return
    advice = []
    if problems:
        advice.append("Fix these cells in the file and load again.")
    if duplicates:
        advice.append(
            f"Each {id_col} must be unique: give the duplicates distinct ids or remove them."
        )
    headline = label if problems else f"{label}: duplicate ids"
    raise _list_problems(headline, problems + duplicates, " ".join(advice))


def _people(
    source: Source,
    columns: Mapping[str, str] | None,
    report: _Report,
    header_row: int = 1,
) -> pd.DataFrame:
    df, label = _prepare(source, "people", columns, report, header_row)
    problems = _check_ids(df, "people", label, ["person_id"])
    _finish_entity(df, "people", label, problems, report)
    text_cols = [c for c in df.columns if c not in ("person_id", "_row")]
    return _to_missing(df, text_cols)


def _organisations(
    source: Source,
    columns: Mapping[str, str] | None,
    report: _Report,
    header_row: int = 1,
) -> pd.DataFrame:
    df, label = _prepare(source, "organisations", columns, report, header_row)
    problems = _check_ids(df, "organisations", label, ["organisation_id"])
    for row in df.loc[df["sector"] == "", "_row"]:
        problems.append(f"row {row}, column 'sector': empty (every organisation needs a sector)")
    _finish_entity(df, "organisations", label, problems, report)
    text_cols = [c for c in df.columns if c not in ("organisation_id", "_row")]
    return _to_missing(df, text_cols)


def _events(
    source: Source,
    columns: Mapping[str, str] | None,
    report: _Report,
    header_row: int = 1,
) -> pd.DataFrame:
    df, label = _prepare(source, "events", columns, report, header_row)
    problems = _check_ids(df, "events", label, ["event_id"])
    dates = _parse_dates(df, label, problems)
    _finish_entity(df, "events", label, problems, report)
    text_cols = [c for c in df.columns if c not in ("event_id", "_row", "date")]
    df = _to_missing(df, text_cols)
    df["date"] = dates
    return df


def _repeats(df: pd.DataFrame, keys: list[str]) -> list[tuple[int, int, str]]:
    """Rows repeating an earlier row on ``keys``: (row, first row, "event/person" or id)."""
    repeat = df.duplicated(subset=keys, keep="first")
    if not repeat.any():
        return []
    first_row = df.groupby(keys, sort=False, dropna=False)["_row"].transform("first")
    if "event_id" in keys:
        values = df["event_id"].astype(str) + "/" + df["person_id"].astype(str)
    else:
        values = df["person_id"].astype(str)
    return list(
        zip(
            df.loc[repeat, "_row"].tolist(),
            first_row[repeat].tolist(),
            values[repeat].tolist(),
            strict=True,
        )
    )


def _attendance(
    source: Source,
    columns: Mapping[str, str] | None,
    report: _Report,
    absent_statuses: Collection[str] = ABSENT_STATUSES,
    header_row: int = 1,
) -> pd.DataFrame:
    df, label = _prepare(source, "attendance", columns, report, header_row)
    date_problems: list[str] = []
    dates = _parse_dates(df, label, date_problems) if "date" in df.columns else None
    no_event = df["event_id"] == ""
    if dates is not None:
        no_event &= dates.isna()
    problems = [f"row {row}, column 'event_id': empty id" for row in df.loc[no_event, "_row"]]
    problems += _check_ids(df[~_named_rows(df)], "attendance", label, ["person_id"])
    problems += date_problems
    if problems:
        advice = "Fill in or remove these rows and load again."
        if "name" in df.columns or "email" in df.columns:
            advice = "Give each row a person_id, a name or an e-mail, and load again."
        raise _list_problems(label, problems, advice)
    if dates is not None:
        df = df.assign(date=dates)
        from_date = df["event_id"] == ""
        for row, day in zip(df.loc[from_date, "_row"], dates[from_date], strict=True):
            report.add(
                "attendance",
                row,
                "event_id",
                None,
                "filled",
                f"no event given: the meeting is identified by its date {day.date()}",
            )
        df.loc[from_date, "event_id"] = dates[from_date].dt.strftime("%Y-%m-%d")
    absent_keys = {_label_key(a) for a in absent_statuses}
    statuses = pd.unique(df["status"])
    absent = df["status"].map({v: _label_key(str(v)) in absent_keys for v in statuses})
    absent = absent.astype(bool)
    for row, value in zip(df.loc[absent, "_row"], df.loc[absent, "status"], strict=True):
        report.add(
            "attendance",
            row,
            "status",
            value,
            "dropped",
            f"status {value!r} means the person did not attend",
        )
    df = df[~absent]
    data_cols = [c for c in df.columns if c != "_row"]
    dup = _repeats(df, data_cols)
    for row, orig, value in dup:
        report.add(
            "attendance", row, None, value, "dropped", f"exact duplicate of row {orig}, kept once"
        )
    df = df[~df["_row"].isin([row for row, _, _ in dup])]
    _flag_listed_again(df[df["person_id"] != ""], report)
    text_cols = [c for c in data_cols if c not in ("event_id", "person_id", "date")]
    return _to_missing(df, text_cols)


def _named_rows(att: pd.DataFrame) -> pd.Series:
    """Rows of a sign-in sheet that name a person (name or e-mail) instead of an id."""
    named = pd.Series(False, index=att.index)
    for col in ("name", "email"):
        if col in att.columns:
            named |= att[col].notna() & (att[col] != "")
    return named & ((att["person_id"] == "") | att["person_id"].isna())


def _flag_listed_again(att: pd.DataFrame, report: _Report) -> None:
    """Flag a person listed twice for one event with other columns differing."""
    for row, orig, value in _repeats(att, ["event_id", "person_id"]):
        report.add(
            "attendance",
            row,
            None,
            value,
            "flagged",
            f"person listed again for this event (first at row {orig}, other columns "
            "differ); kept, but graphs count one attendance per person and event",
        )


def _person_waves(
    source: Source,
    columns: Mapping[str, str] | None,
    report: _Report,
    header_row: int = 1,
    *,
    table: str,
) -> pd.DataFrame:
    """A (person, wave) list: who answered each survey wave (``respondents``, including
    people who named nobody) or who belonged to the network at each wave (``roster``)."""
    df, label = _prepare(source, table, columns, report, header_row)
    problems = _check_ids(df, table, label, list(_SCHEMAS[table][0]))
    if problems:
        raise _list_problems(label, problems, "Fill in or remove these rows and load again.")
    dup = _repeats(df, ["person_id", "wave"])
    for row, orig, value in dup:
        report.add(table, row, None, value, "dropped", f"same person and wave as row {orig}")
    df = df[~df["_row"].isin([row for row, _, _ in dup])]
    return _to_missing(df, [c for c in df.columns if c not in ("person_id", "_row")])


_CONTACT_N = re.compile(r"(?:contact|named contact|person|name|colleague)\s*(\d+)")
_TICKED = frozenset({"x", "✓", "✔", "y", "yes", "1", "true", "ticked"})
_UNTICKED = frozenset({"", "n", "no", "0", "false"})
_RESPONDENT = HEADER_SYNONYMS["contacts"]["source"] | _synonyms(
    "respondent name", "your name", "name", "person id", "person"
)
_CONTACT_ATTRIBUTES = frozenset(
    k for c in ("wave", "date", "weight", "kind") for k in HEADER_SYNONYMS["contacts"][c]
)


def _long_contacts(raw: pd.DataFrame, label: str, report: _Report, first_row: int) -> pd.DataFrame:
    """Reshape a wide survey layout to one row per reported tie (``source``, ``target``).

    Two layouts are recognised when the file has no target column: one row per
    respondent with columns ``Contact 1 … Contact N`` (each a person id or name), or a
    roster grid (one column per person, a tick — x, ✓, yes, 1 — for each contact).
    Other columns (wave, date, ...) are copied to every tie. Each tie keeps its
    respondent's spreadsheet row.
    """
    keys = {c: _header_key(c) for c in raw.columns}
    if any(k in HEADER_SYNONYMS["contacts"]["target"] for k in keys.values()):
        return raw
    respondent = next((c for c, k in keys.items() if k in _RESPONDENT), raw.columns[0])
    numbered = [c for c, k in keys.items() if c != respondent and _CONTACT_N.fullmatch(k)]
    if numbered:
        layout = f"{len(numbered)} 'Contact N' columns"
        kept = [c for c in raw.columns if c not in numbered and c != respondent]
        ties = [
            (pos, col, raw.iat[pos, raw.columns.get_loc(col)].strip())
            for pos in range(len(raw))
            for col in numbered
        ]
        ties = [t for t in ties if t[2]]
    else:
        grid = []
        for col in raw.columns:
            if col == respondent or keys[col] in _CONTACT_ATTRIBUTES:
                continue
            values = {str(v).strip().casefold() for v in raw[col]}
            if values <= _TICKED | _UNTICKED and values & _TICKED:
                grid.append(col)
        if len(grid) < 2:
            return raw
        layout = f"a roster grid of {len(grid)} people"
        kept = [c for c in raw.columns if c not in grid and c != respondent]
        ties = [
            (pos, col, col)
            for pos in range(len(raw))
            for col in grid
            if str(raw.iat[pos, raw.columns.get_loc(col)]).strip().casefold() in _TICKED
        ]
    positions = [pos for pos, _, _ in ties]
    out = pd.DataFrame(
        {
            "source": raw[respondent].to_numpy()[positions] if ties else [],
            "target": [target for _, _, target in ties],
            **{c: raw[c].to_numpy()[positions] if ties else [] for c in kept},
            "_row": np.asarray(positions, dtype="int64") + first_row,
        },
        dtype=object,
    )
    out["_row"] = out["_row"].astype("int64")
    answered = sum(raw.iloc[p].ne("").any() for p in range(len(raw)))
    report.add(
        "contacts",
        None,
        None,
        None,
        "reshaped",
        f"wide survey layout ({layout}; respondent column {respondent!r}) read as one row "
        f"per named contact: {answered} respondent row(s) gave {len(out)} contact(s); rows "
        "read counts the contacts",
    )
    if respondent != "source":
        report.add(
            "contacts",
            None,
            "source",
            respondent,
            "renamed column",
            f"header {respondent!r} read as 'source'",
        )
    return out


def _contacts(
    source: Source,
    columns: Mapping[str, str] | None,
    report: _Report,
    header_row: int = 1,
) -> pd.DataFrame:
    df, label = _prepare(source, "contacts", columns, report, header_row, reshape=_long_contacts)
    problems = _check_ids(df, "contacts", label, ["source", "target"])
    text = df["weight"]
    codes, uniques = pd.factorize(text, use_na_sentinel=False)  # each distinct text once
    distinct = pd.Series(np.asarray(uniques, dtype=object), dtype=object)
    numbers = pd.to_numeric(distinct.where(distinct != "", "1"), errors="coerce")
    weight = pd.Series(numbers.to_numpy()[codes], index=text.index)
    bad = weight.isna() | ~(weight > 0) | ~np.isfinite(weight.fillna(0))
    for row, value in zip(df.loc[bad, "_row"], text[bad], strict=True):
        problems.append(f"row {row}, column 'weight': {value!r} is not a positive number")
    dates = _parse_dates(df, label, problems)
    if problems:
        raise _list_problems(label, problems, "Fix these cells in the file and load again.")
    df = df.copy()
    df["weight"] = weight.astype("float64")
    df["date"] = dates
    self_loop = df["source"] == df["target"]
    for row, pid in zip(df.loc[self_loop, "_row"], df.loc[self_loop, "source"], strict=True):
        report.add(
            "contacts",
            row,
            "target",
            pid,
            "dropped",
            "self-contact (source and target are the same person)",
        )
    df = df[~self_loop]
    others = [c for c in df.columns if c not in ("source", "target", "weight", "date", "_row")]
    return _to_missing(df, others)


def _finalise(df: pd.DataFrame, index: str | None) -> pd.DataFrame:
    out = df.drop(columns="_row")
    for col in out.columns:  # rows added for unknown ids carry NaN: missing text is None
        if out[col].dtype == object and out[col].isna().any():
            out[col] = out[col].where(out[col].notna(), None)
    if index is not None:
        out = out.set_index(index)
        out.index = pd.Index(out.index.astype(object), name=index, dtype=object)
    else:
        out = out.reset_index(drop=True)
        for col in out.columns:
            if out[col].dtype != "float64" and not str(out[col].dtype).startswith("datetime"):
                out[col] = out[col].astype(object)
    return out


def _resolve_sectors(people: pd.DataFrame, organisations: pd.DataFrame, report: _Report) -> None:
    org_sector = organisations.set_index("organisation_id")["sector"]
    own = people["sector"]
    from_org = people["organisation_id"].map(org_sector)
    resolved = own.where(own.notna() & (own != ""), from_org)
    missing = resolved.isna() | (resolved == "")
    for row, pid in zip(
        people.loc[missing, "_row"], people.loc[missing, "person_id"], strict=True
    ):
        report.add(
            "people",
            row,
            "sector",
            None,
            "filled",
            f"person {pid!r} has no sector and no organisation sector: set to 'unknown'",
        )
    people["sector"] = resolved.where(~missing, "unknown").astype(object)


def _id_key(ids: pd.Series) -> pd.Series:
    """Loose id key for hints only: as :func:`_lookalike_key` (case, Unicode form,
    invisible characters, look-alike letters ignored), leading zeros of numbers removed
    (Excel turns ``007`` into ``7``)."""
    return ids.astype(str).map(_lookalike_key).str.replace(r"^0+(?=\d+$)", "", regex=True)


def _near_ids(unknown: list[str], known: pd.Index) -> dict[str, str]:
    """Known ids equal to an unknown one up to case or leading zeros (only when unique)."""
    if not unknown or not len(known):
        return {}
    keys = pd.Series(known.astype(str), dtype=object)
    keys.index = _id_key(keys).to_numpy()
    keys = keys[~keys.index.duplicated(keep=False)]
    wanted = pd.Series(unknown, dtype=object)
    found = pd.Series(_id_key(wanted).map(keys).to_numpy(), index=wanted.to_numpy())
    return found.dropna().to_dict()


def _unify_unknown_sector(people: pd.DataFrame, organisations: pd.DataFrame) -> None:
    """Write the sector ``"unknown"`` that connectnet fills in with the data's own spelling
    (e.g. ``"Unknown"``) when the data uses one, so there is one unknown group, not two."""
    labels = pd.unique(pd.concat([people["sector"], organisations["sector"]]).dropna())
    own = [v for v in labels if v != "unknown" and _label_key(str(v)) == "unknown"]
    if len(own) == 1:
        for df in (people, organisations):
            df["sector"] = df["sector"].where(df["sector"] != "unknown", own[0])


def _unknown_refs(
    df: pd.DataFrame,
    table: str,
    label: str,
    column: str,
    known: pd.Index,
    what: str,
    on_unknown: OnUnknown,
    report: _Report,
) -> tuple[pd.DataFrame, list[str]]:
    """Handle references to unknown ids; return kept rows and the unknown ids to add."""
    values = df[column]
    unknown = values.notna() & (values != "") & ~values.isin(known)
    if not unknown.any():
        return df, []
    ids = list(pd.unique(values[unknown]))
    if on_unknown == "error":
        hints = _near_ids(ids, known)
        problems = [
            f"row {row}, column {column!r}: {value!r} is not in the {what} table"
            + (f" (did you mean {hints[value]!r}?)" if value in hints else "")
            for row, value in zip(df.loc[unknown, "_row"], values[unknown], strict=True)
        ]
        raise _list_problems(
            f"{label}: {len(ids)} unknown {what} id(s) in {int(unknown.sum())} row(s)",
            problems,
            f"Add them to the {what} table, correct the ids, or load with "
            "on_unknown='add' (add them with sector 'unknown') or on_unknown='drop'.",
        )
    if on_unknown == "drop":
        for row, value in zip(df.loc[unknown, "_row"], values[unknown], strict=True):
            report.add(table, row, column, value, "dropped", f"unknown {what} id")
        return df[~unknown], []
    return df, ids


# --------------------------------------------------------------------------- sign-in sheets


def _person_key(name: object) -> str:
    """A name as matched on sign-in sheets: words without case, accents, punctuation or
    leading titles (``Dr. Siân O'Connor`` -> ``sian oconnor``)."""
    return " ".join(_name_tokens(str(name))) if isinstance(name, str) and name else ""


def _organisation_keys(orgs: pd.DataFrame) -> dict[str, str]:
    """Organisation id and name (case and spacing ignored) -> organisation id."""
    keys: dict[str, str] = {}
    for oid, name in zip(
        orgs["organisation_id"], orgs.get("name", [None] * len(orgs)), strict=True
    ):
        keys.setdefault(_label_key(str(oid)), oid)
        if isinstance(name, str) and name:
            keys.setdefault(_label_key(name), oid)
    return keys


def _organisations_by_name(ppl: pd.DataFrame, orgs: pd.DataFrame, report: _Report) -> None:
    """People whose organisation is written by its name (``HMP Leeds``) rather than its
    id get the id (each spelling reported once); ``Organisation`` headers hold either."""
    if "name" not in orgs.columns or not len(orgs):
        return
    ids = set(orgs["organisation_id"])
    keys = _organisation_keys(orgs)
    values = ppl["organisation_id"]
    for value in pd.unique(values.dropna()):
        if value in ids or _label_key(str(value)) not in keys:
            continue
        oid = keys[_label_key(str(value))]
        rows = values == value
        ppl.loc[rows, "organisation_id"] = oid
        report.add(
            "people",
            None,
            "organisation_id",
            value,
            "normalised",
            f"organisation {value!r} is the name of organisation_id {oid!r} "
            f"({int(rows.sum())} row(s)); read as that id",
        )


def _generated_ids(keys: list[tuple[str, str]], taken: set[str]) -> dict[tuple[str, str], str]:
    """Stable ids for new people: ``n-`` and 8 hex digits of SHA-256 of the normalised
    name and organisation, so the same person gets the same id whenever the sheet is read,
    in any row order. An id already taken (a hash collision, or an id in the people table)
    gets more digits until it is free."""
    out: dict[tuple[str, str], str] = {}
    used = set(taken)
    for key in sorted(set(keys)):
        digest = hashlib.sha256("\x1f".join(key).encode("utf-8")).hexdigest()
        length = 8
        while f"n-{digest[:length]}" in used:
            length += 4
        out[key] = f"n-{digest[:length]}"
        used.add(out[key])
    return out


def _people_from_sign_in(
    att: pd.DataFrame, ppl: pd.DataFrame, orgs: pd.DataFrame, report: _Report
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Give every attendance row that names a person (no id) a person id.

    The person is matched in the people table by e-mail (case ignored), else by name
    (case, accents, punctuation and titles ignored) within the organisation (written as
    its id or its name), else by name alone when exactly one person has it and the row
    gives no organisation. Anyone not found becomes a new person with an id from
    :func:`_generated_ids`. One load-report entry per person matched or added, listing
    the sheet rows.
    """
    named = _named_rows(att)
    if not named.any():
        return att, ppl
    att = att.copy()
    org_keys = _organisation_keys(orgs) if len(orgs) else {}
    column = att["organisation_id"] if "organisation_id" in att else pd.Series("", index=att.index)
    org_text = column.fillna("").astype(str)
    org_id = org_text.map(lambda o: org_keys.get(_label_key(o), o) if o else "")
    names = att["name"].fillna("") if "name" in att else pd.Series("", index=att.index)
    emails = att["email"].fillna("").str.casefold() if "email" in att else names.map(lambda _: "")
    by_email: dict[str, str] = {}
    if "email" in ppl.columns:
        for pid, mail in zip(ppl["person_id"], ppl["email"], strict=True):
            if isinstance(mail, str) and mail:
                by_email.setdefault(mail.casefold(), pid)
    by_name_org: dict[tuple[str, str], list[str]] = {}
    by_name: dict[str, list[str]] = {}
    for pid, name, oid in zip(ppl["person_id"], ppl["name"], ppl["organisation_id"], strict=True):
        key = _person_key(name)
        if key:
            by_name_org.setdefault((key, _label_key(str(oid or ""))), []).append(pid)
            by_name.setdefault(key, []).append(pid)
    found: dict[int, tuple[str, str]] = {}  # row position -> (id, how)
    new: dict[tuple[str, str], list[int]] = {}
    for pos in map(int, np.flatnonzero(named.to_numpy())):
        idx = att.index[pos]
        key, oid, mail = _person_key(names[idx]), org_id[idx], emails[idx]
        if mail and mail in by_email:
            found[pos] = (by_email[mail], "by e-mail")
            continue
        same = by_name_org.get((key, _label_key(oid)), []) if key else []
        if len(same) == 1:
            found[pos] = (same[0], "by name within the organisation")
            continue
        anywhere = by_name.get(key, []) if key and not oid else []
        if len(anywhere) == 1:
            found[pos] = (anywhere[0], "by name (the row gives no organisation)")
            continue
        new.setdefault((key or mail, _label_key(oid)), []).append(pos)
    new = _join_by_email(new, emails.iloc)
    ids = _generated_ids(list(new), set(ppl["person_id"]))
    rows_of = att["_row"].to_numpy()
    matched: dict[tuple[str, str], list[int]] = {}
    for pos, (pid, how) in found.items():
        att.iloc[pos, att.columns.get_loc("person_id")] = pid
        matched.setdefault((pid, how), []).append(int(rows_of[pos]))
    for (pid, how), rows in matched.items():
        report.add(
            "attendance",
            rows[0],
            "person_id",
            pid,
            "matched",
            f"sign-in sheet row(s) {', '.join(map(str, rows))} matched person_id {pid!r} {how}",
        )
    additions = []
    for person, positions in new.items():
        pid = ids[person]
        att.iloc[positions, att.columns.get_loc("person_id")] = pid
        spelling = _most_common(names.iloc[positions])
        organisation = _most_common(org_id.iloc[positions])
        mails = [m for m in att["email"].iloc[positions] if m] if "email" in att else []
        additions.append(
            {
                "person_id": pid,
                "name": spelling or None,
                "organisation_id": organisation or None,
                **({"email": mails[0]} if mails else {}),
                "_row": None,
            }
        )
        listed = ", ".join(str(int(rows_of[p])) for p in positions)
        longer = " (more digits: the short id was taken)" if len(pid) > 10 else ""
        report.add(
            "people",
            None,
            "person_id",
            pid,
            "added",
            f"new person from the sign-in sheet (rows {listed}): {spelling!r}"
            + (f" of {organisation!r}" if organisation else "")
            + f"; id made from the normalised name and organisation{longer}",
        )
    if additions:
        ppl = pd.concat([ppl, pd.DataFrame(additions, dtype=object)], ignore_index=True)
    _flag_listed_again(att.iloc[np.flatnonzero(named.to_numpy())], report)
    return att, ppl


def _most_common(values: pd.Series) -> str:
    """The most common spelling (ties: the first in sorted order, so row order is moot)."""
    counts = values.value_counts()
    return str(min(counts.items(), key=lambda kv: (-kv[1], str(kv[0])))[0])


def _join_by_email(
    new: dict[tuple[str, str], list[int]], emails: object
) -> dict[tuple[str, str], list[int]]:
    """New people from a sign-in sheet who give one e-mail (case ignored) are one person
    (``Bob Lee`` and ``Robert Lee``, both ``bob.lee@nhs.net``), kept under the smallest of
    their name keys, so the id does not depend on row order."""
    owner: dict[str, tuple[str, str]] = {}
    joined: dict[tuple[str, str], tuple[str, str]] = {k: k for k in new}

    def root(k: tuple[str, str]) -> tuple[str, str]:
        while joined[k] != k:
            k = joined[k]
        return k

    for key in sorted(new):
        for pos in new[key]:
            mail = emails[pos]  # type: ignore[index]
            if not mail:
                continue
            if mail in owner:
                a, b = root(owner[mail]), root(key)
                joined[max(a, b)] = min(a, b)
            else:
                owner[mail] = key
    out: dict[tuple[str, str], list[int]] = {}
    for key in sorted(new):
        out.setdefault(root(key), []).extend(new[key])
    return {k: sorted(v) for k, v in out.items()}


def _ids_from_names(
    df: pd.DataFrame, table: str, columns: tuple[str, ...], ppl: pd.DataFrame, report: _Report
) -> None:
    """Contacts (or respondents) written as names: a value that is not a person id but is
    exactly one person's name (compared as on sign-in sheets) becomes that id, reported
    once per value."""
    ids = set(ppl["person_id"])
    values = pd.unique(pd.concat([df[c] for c in columns], ignore_index=True).dropna())
    if all(v in ids or v == "" for v in np.asarray(values, dtype=object)):  # ids only
        return
    by_name: dict[str, list[str]] = {}
    for pid, name in zip(ppl["person_id"], ppl["name"], strict=True):
        key = _person_key(name)
        if key:
            by_name.setdefault(key, []).append(pid)
    if not by_name:
        return
    for column in columns:
        values = df[column]
        for value in pd.unique(values.dropna()):
            if value in ids or value == "":
                continue
            match = by_name.get(_person_key(value), [])
            if len(match) != 1:
                continue
            rows = values == value
            df.loc[rows, column] = match[0]
            listed = ", ".join(str(r) for r in df.loc[rows, "_row"].head(10))
            report.add(
                table,
                int(df.loc[rows, "_row"].iloc[0]),
                column,
                value,
                "matched",
                f"{value!r} is the name of person_id {match[0]!r}; read as that id "
                f"(rows {listed})",
            )


def _event_dates_from_attendance(
    evs: pd.DataFrame, att: pd.DataFrame, report: _Report
) -> pd.DataFrame:
    """Fill blank event dates from the attendance sheet's ``date`` column; report each
    filled date and each conflict (dates differing within one event or from the events
    table), keeping the events table's date, else the most common one."""
    if "date" not in att.columns or att["date"].isna().all():
        return evs
    evs = evs.copy()
    position = {eid: i for i, eid in enumerate(evs["event_id"])}
    for eid, grp in att[att["date"].notna()].groupby("event_id", sort=False):
        counts = grp["date"].value_counts()
        best = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[0][0]
        i = position.get(eid)
        if i is None:
            continue
        current = evs["date"].iloc[i]
        if pd.isna(current):
            evs.iloc[i, evs.columns.get_loc("date")] = best
            report.add(
                "events",
                evs["_row"].iloc[i],
                "date",
                str(best.date()),
                "filled",
                f"event {eid!r}: date taken from the attendance sheet",
            )
        if len(counts) > 1 or (pd.notna(current) and current != best):
            days = ", ".join(
                f"{d.date()} (rows {', '.join(map(str, grp.loc[grp['date'] == d, '_row']))})"
                for d in counts.index
            )
            kept = current if pd.notna(current) else best
            report.add(
                "attendance",
                int(grp["_row"].iloc[0]),
                "date",
                None,
                "flagged",
                f"event {eid!r} has conflicting dates: {days}"
                + (f"; the events table says {current.date()}" if pd.notna(current) else "")
                + f"; kept {kept.date()}. Correct the dates or give each meeting its own event",
            )
    return evs


# --------------------------------------------------------------------------- public


def _label_of(source: Source, table: str) -> str:
    return f"<{table} DataFrame>" if isinstance(source, pd.DataFrame) else Path(source).name


def read_people(
    source: Source, *, columns: Mapping[str, str] | None = None, header_row: int = 1
) -> pd.DataFrame:
    """Read and validate a people table.

    Parameters
    ----------
    source
        Path to a ``.csv`` (UTF-8 with or without BOM, or Windows-1252) or ``.xlsx`` file,
        or a DataFrame.
    columns
        Mapping from your headers to connectnet's, e.g. ``{"Attendee ID": "person_id"}``.
        Common headers (``Attendee ID``, ``Full name``, ``Organisation``, ...) are mapped
        without it and reported.
    header_row
        Spreadsheet row holding the headers (default 1); rows above are skipped and
        reported.

    Returns
    -------
    pandas.DataFrame
        Indexed by ``person_id`` (str) with columns ``name``, ``organisation_id``,
        ``sector``, ``role``, ``region`` and any extras; missing text is ``None``.
        ``attrs["load_report"]`` holds this table's load report. Sector labels are
        normalised but not yet resolved from organisations (see :func:`read_dataset`).

    Raises
    ------
    DataError
        A required column is missing, ids are empty or duplicated.

    Examples
    --------
    >>> import pandas as pd
    >>> people = read_people(pd.DataFrame({"ID": ["p1", "p2"], "sector": ["NHS", "nhs "]}),
    ...                      columns={"ID": "person_id"})
    >>> people["sector"].tolist()
    ['NHS', 'NHS']
    """
    report = _Report()
    df = _people(source, columns, report, header_row)
    _require_rows(df, "people", _label_of(source, "people"))
    _normalise_labels([("people", df)], "sector", report)
    _flag_duplicate_people(df, report)
    out = _finalise(df, "person_id")
    out.attrs["load_report"] = report.frame()
    return out


def read_organisations(
    source: Source, *, columns: Mapping[str, str] | None = None, header_row: int = 1
) -> pd.DataFrame:
    """Read and validate an organisations table.

    Parameters
    ----------
    source
        Path to a ``.csv``/``.xlsx`` file or a DataFrame.
    columns
        Mapping from your headers to connectnet's.
    header_row
        Spreadsheet row holding the headers (default 1); rows above are skipped and
        reported.

    Returns
    -------
    pandas.DataFrame
        Indexed by ``organisation_id`` with ``sector``, ``name``, ``type``, ``region`` and
        extras; ``attrs["load_report"]`` holds the load report.

    Raises
    ------
    DataError
        Missing required column, empty or duplicate ids, empty sector.

    Examples
    --------
    >>> import pandas as pd
    >>> orgs = read_organisations(pd.DataFrame({"organisation_id": ["o1"], "sector": ["prison"]}))
    >>> orgs.loc["o1", "sector"]
    'prison'
    """
    report = _Report()
    df = _organisations(source, columns, report, header_row)
    _normalise_labels([("organisations", df)], "sector", report)
    out = _finalise(df, "organisation_id")
    out.attrs["load_report"] = report.frame()
    return out


def read_events(
    source: Source, *, columns: Mapping[str, str] | None = None, header_row: int = 1
) -> pd.DataFrame:
    """Read and validate an events table.

    Parameters
    ----------
    source
        Path to a ``.csv``/``.xlsx`` file or a DataFrame.
    columns
        Mapping from your headers to connectnet's.
    header_row
        Spreadsheet row holding the headers (default 1); rows above are skipped and
        reported.

    Returns
    -------
    pandas.DataFrame
        Indexed by ``event_id``; ``date`` is datetime64 (NaT where blank; written
        ``YYYY-MM-DD`` or UK day-first ``DD/MM/YYYY``); ``title``,
        ``theme``, ``programme`` and extras; ``attrs["load_report"]``.

    Raises
    ------
    DataError
        Missing required column, empty or duplicate ids, dates that are neither
        ``YYYY-MM-DD`` nor ``DD/MM/YYYY``.

    Examples
    --------
    >>> import pandas as pd
    >>> ev = read_events(pd.DataFrame({"event_id": ["e1"], "date": ["2024-03-01"]}))
    >>> str(ev.loc["e1", "date"].date())
    '2024-03-01'
    """
    report = _Report()
    out = _finalise(_events(source, columns, report, header_row), "event_id")
    out.attrs["load_report"] = report.frame()
    return out


def read_attendance(
    source: Source,
    *,
    columns: Mapping[str, str] | None = None,
    absent_statuses: Collection[str] = ABSENT_STATUSES,
    header_row: int = 1,
) -> pd.DataFrame:
    """Read and validate an attendance register (one row per person per event).

    Exact duplicate rows are kept once and reported; rows whose ``status`` says the person
    did not attend (``absent``, ``apologies``, ``DNA``, ... see ``ABSENT_STATUSES``) are
    dropped and reported; a person listed twice for one event with different details is
    flagged. Unknown people and events are checked by :func:`read_dataset`, which sees the
    other tables.

    Parameters
    ----------
    source
        Path to a ``.csv``/``.xlsx`` file or a DataFrame.
    columns
        Mapping from your headers to connectnet's.
    header_row
        Spreadsheet row holding the headers (default 1); rows above are skipped and
        reported.
    absent_statuses
        ``status`` values (compared ignoring case and spacing) meaning "did not attend".

    Returns
    -------
    pandas.DataFrame
        Columns ``event_id``, ``person_id``, ``status`` and extras;
        ``attrs["load_report"]``.

    Raises
    ------
    DataError
        Missing required column or empty ids.

    Examples
    --------
    >>> import pandas as pd
    >>> att = read_attendance(pd.DataFrame({"event_id": ["e1", "e1"], "person_id": ["p1", "p1"]}))
    >>> len(att), att.attrs["load_report"]["reason"].iloc[0]
    (1, 'exact duplicate of row 2, kept once')
    """
    report = _Report()
    out = _finalise(_attendance(source, columns, report, absent_statuses, header_row), None)
    out.attrs["load_report"] = report.frame()
    return out


def read_contacts(
    source: Source, *, columns: Mapping[str, str] | None = None, header_row: int = 1
) -> pd.DataFrame:
    """Read and validate contact data (``source`` reported a tie to ``target``).

    Self-contacts are reported and excluded. A blank weight means 1.

    Parameters
    ----------
    source
        Path to a ``.csv``/``.xlsx`` file or a DataFrame.
    columns
        Mapping from your headers to connectnet's.
    header_row
        Spreadsheet row holding the headers (default 1); rows above are skipped and
        reported.

    Returns
    -------
    pandas.DataFrame
        Columns ``source``, ``target``, ``wave``, ``date``, ``weight`` (float > 0),
        ``kind`` and extras; ``attrs["load_report"]``.

    Raises
    ------
    DataError
        Missing required column, empty ids, non-numeric or non-positive weights,
        unparseable dates.

    Examples
    --------
    >>> import pandas as pd
    >>> c = read_contacts(pd.DataFrame({"source": ["a", "b"], "target": ["b", "b"]}))
    >>> c[["source", "target", "weight"]].values.tolist()
    [['a', 'b', 1.0]]
    """
    report = _Report()
    out = _finalise(_contacts(source, columns, report, header_row), None)
    out.attrs["load_report"] = report.frame()
    return out


def _header_rows(header_row: int | Mapping[str, int]) -> Callable[[str], int]:
    """``header_row`` of read_dataset as a per-table lookup (default 1)."""
    if isinstance(header_row, Mapping):
        unknown = set(header_row) - set(_SCHEMAS)
        if unknown:
            msg = (
                f"`header_row` keys must be table names {sorted(_SCHEMAS)}, not {sorted(unknown)}."
            )
            raise ValueError(msg)
        return lambda table: header_row.get(table, 1)
    return lambda table: header_row


_FILES = {
    "people": "people",
    "organisations": "organisations",
    "events": "events",
    "attendance": "attendance",
    "contacts": "contacts",
    "respondents": "respondents",
    "roster": "roster",
}


def _find_file(folder: Path, stem: str) -> Path | None:
    found = [folder / f"{stem}{ext}" for ext in (".csv", ".xlsx", ".tsv")]
    found = [path for path in found if path.exists()]
    if len(found) > 1:
        names = " and ".join(path.name for path in found)
        msg = (
            f"{folder}: both {names} are there, so it is not clear which holds the "
            f"{stem} table. Move one out of the folder, or pass it as `{stem}=`."
        )
        raise DataError(msg)
    return found[0] if found else None


def read_dataset(
    folder: str | Path | None = None,
    *,
    people: Source | None = None,
    organisations: Source | None = None,
    events: Source | None = None,
    attendance: Source | None = None,
    contacts: Source | None = None,
    respondents: Source | None = None,
    roster: Source | None = None,
    columns: Mapping[str, Mapping[str, str]] | None = None,
    header_row: int | Mapping[str, int] = 1,
    on_unknown: OnUnknown = "error",
    absent_statuses: Collection[str] = ABSENT_STATUSES,
    source: str | None = None,
) -> Dataset:
    """Read a study's tables, validate them together and build a :class:`Dataset`.

    A folder holds ``people.csv`` plus ``attendance.csv`` and/or ``contacts.csv``, and
    optionally ``organisations.csv``, ``events.csv``, ``respondents.csv`` (who answered
    each survey wave: ``person_id``, ``wave``) and ``roster.csv`` (who belonged to the
    network at each wave, when people join or leave: ``person_id``, ``wave``) (``.xlsx``
    works too). Tables can
    also be passed one by one as paths or DataFrames (these override the folder's files).

    Real-world sheets: common headers are mapped (``Attendee ID``, ``Full name``, ...);
    an attendance sheet may name people (``name``, organisation, ``email``) instead of
    giving ids, and then needs no people table: people are matched by e-mail or by name
    within their organisation, and anyone new gets an id made from the normalised name and
    organisation; contacts may give names, or come as ``Contact 1 … Contact N`` columns or
    a roster grid of ticks; an attendance ``date`` fills the events' dates. Every match,
    new person, reshaping and conflict is in the load report, and likely duplicates
    (:func:`connectnet.match_people`) are flagged, never merged.

    Parameters
    ----------
    folder
        Dataset folder, or ``None`` when every table is passed directly.
    people, organisations, events, attendance, contacts, respondents, roster
        Optional per-table sources (path or DataFrame).
    columns
        Per-table header mappings, e.g. ``{"people": {"Attendee ID": "person_id"}}``.
        Common headers are mapped without it (``Attendee ID``, ``Full name``,
        ``Organisation``, ``Meeting``, ... see the data-format docs), each reported.
    header_row
        Spreadsheet row holding the headers (default 1), for every file or per table
        (``{"attendance": 3}``); rows above it (titles, notes) are skipped and reported.
    on_unknown
        What to do with attendance/contacts rows naming people or events not in their
        tables, and people naming unknown organisations: ``"error"`` (default) raises a
        :class:`DataError` listing them; ``"add"`` adds them (people and organisations with
        sector ``"unknown"``) and reports each; ``"drop"`` drops the rows and reports each
        (unknown organisations are always added, never dropped, so no person is lost).
    absent_statuses
        Attendance ``status`` values meaning "did not attend" (default ``ABSENT_STATUSES``:
        absent, apologies, DNA, no show, declined, ...); those rows are dropped and reported.
    source
        Provenance label stored in :attr:`Dataset.source` (default: the folder path).

    Returns
    -------
    Dataset
        The five tables (absent ones empty with the right columns), the load report and
        per-table reconciliation counts (``read = kept + dropped``).

    Raises
    ------
    DataError
        Any validation failure (see the data-format docs); all problems of one table are
        listed together.
    FileNotFoundError
        The folder or a named file does not exist.

    Examples
    --------
    >>> import pandas as pd
    >>> ds = read_dataset(
    ...     people=pd.DataFrame({"person_id": ["p1", "p2"], "sector": ["prison", "nhs"]}),
    ...     attendance=pd.DataFrame({"event_id": ["e1", "e1"], "person_id": ["p1", "p2"]}),
    ... )
    >>> ds
    <Dataset : 2 people, 0 organisations, 1 events, 2 attendance rows, 0 contacts, 0 load-report entries>
    """  # noqa: E501
    if on_unknown not in ("error", "add", "drop"):
        msg = f"`on_unknown` must be 'error', 'add' or 'drop', not {on_unknown!r}."
        raise ValueError(msg)
    given = {
        "people": people,
        "organisations": organisations,
        "events": events,
        "attendance": attendance,
        "contacts": contacts,
        "respondents": respondents,
        "roster": roster,
    }
    if folder is not None:
        root = Path(folder)
        if not root.is_dir():
            msg = f"{root}: not a folder. Pass the folder holding people.csv and attendance.csv."
            raise FileNotFoundError(msg)
        for table, stem in _FILES.items():
            if given[table] is None:
                given[table] = _find_file(root, stem)
    if given["people"] is None and given["attendance"] is None:
        where = f"in {folder}" if folder is not None else "(pass `people=`)"
        msg = (
            f"no people table {where}: people.csv (or .xlsx) is required, unless an "
            "attendance sheet names the people itself."
        )
        raise DataError(msg)
    if given["attendance"] is None and given["contacts"] is None:
        msg = (
            "no attendance or contacts table: at least one of attendance.csv and "
            "contacts.csv is required."
        )
        raise DataError(msg)
    columns = dict(columns or {})
    unknown_tables = set(columns) - set(_SCHEMAS)
    if unknown_tables:
        msg = (
            f"`columns` keys must be table names {sorted(_SCHEMAS)}, not {sorted(unknown_tables)}."
        )
        raise ValueError(msg)
    unused = [t for t in _SCHEMAS if columns.get(t) and given[t] is None]
    if unused:
        msg = (
            f"`columns` gives header mappings for {unused}, but there is no such table "
            f"({'in ' + str(folder) if folder is not None else 'none was passed'}). "
            "Check the file names (people.csv, events.csv, ...) or remove those mappings."
        )
        raise DataError(msg)

    report = _Report()
    readers: dict[str, Callable[..., pd.DataFrame]] = {
        "people": _people,
        "organisations": _organisations,
        "events": _events,
        "attendance": partial(_attendance, absent_statuses=absent_statuses),
        "contacts": _contacts,
        "respondents": partial(_person_waves, table="respondents"),
        "roster": partial(_person_waves, table="roster"),
    }
    frames: dict[str, pd.DataFrame] = {}
    labels: dict[str, str] = {}
    rows_from = _header_rows(header_row)
    for table, reader in readers.items():
        src = given[table]
        if src is None:
            empty = pd.DataFrame(
                {c: pd.Series(dtype=object) for c in (*_SCHEMAS[table][0], *_SCHEMAS[table][1])}
            )
            report.read[table] = 0
            frames[table] = reader(empty, None, _Report())
            labels[table] = table
        else:
            frames[table] = reader(src, columns.get(table), report, header_row=rows_from(table))
            labels[table] = _label_of(src, table)

    ppl, orgs, evs = frames["people"], frames["organisations"], frames["events"]
    att, con, resp = frames["attendance"], frames["contacts"], frames["respondents"]
    if given["people"] is not None:
        _require_rows(ppl, "people", labels["people"])
    elif not _named_rows(att).any():
        msg = (
            f"no people table: people.csv (or .xlsx) is required, because "
            f"{labels['attendance']} gives person ids, not names. Add the people table, or "
            "give the attendance sheet a name (and organisation) column."
        )
        raise DataError(msg)
    if given["organisations"] is not None:
        _organisations_by_name(ppl, orgs, report)
    att, ppl = _people_from_sign_in(att, ppl, orgs, report)
    _ids_from_names(con, "contacts", ("source", "target"), ppl, report)
    _ids_from_names(resp, "respondents", ("person_id",), ppl, report)

    # organisations referenced by people
    if given["organisations"] is not None:
        _, new_orgs = _unknown_refs(
            ppl,
            "people",
            labels["people"],
            "organisation_id",
            pd.Index(orgs["organisation_id"]),
            "organisations",
            "add" if on_unknown == "drop" else on_unknown,
            report,
        )
        rows = []
        for oid in new_orgs:
            report.add(
                "organisations",
                None,
                "organisation_id",
                oid,
                "added",
                "named by people but not in the organisations table; sector 'unknown'",
            )
            rows.append({"organisation_id": oid, "sector": "unknown", "_row": None})
        if rows:
            orgs = pd.concat([orgs, pd.DataFrame(rows)], ignore_index=True)
    else:
        ids = ppl["organisation_id"].dropna().unique()
        orgs = (
            pd.concat(
                [orgs, pd.DataFrame({"organisation_id": ids, "sector": None, "_row": None})],
                ignore_index=True,
            )
            if len(ids)
            else orgs
        )

    _normalise_labels([("people", ppl), ("organisations", orgs)], "sector", report)

    # people and events referenced by attendance/contacts
    known_people = pd.Index(ppl["person_id"])
    added_people: list[str] = []
    person_refs = [
        ("attendance", "person_id"),
        ("contacts", "source"),
        ("contacts", "target"),
        ("respondents", "person_id"),
        ("roster", "person_id"),
    ]
    tables = {"attendance": att, "contacts": con, "respondents": resp, "roster": frames["roster"]}
    for table, column in person_refs:
        tables[table], new = _unknown_refs(
            tables[table], table, labels[table], column, known_people, "people", on_unknown, report
        )
        added_people += new
    att, con, resp = tables["attendance"], tables["contacts"], tables["respondents"]
    members = tables["roster"]
    events_given = given["events"] is not None
    if events_given:
        att, new_events = _unknown_refs(
            att,
            "attendance",
            labels["attendance"],
            "event_id",
            pd.Index(evs["event_id"]),
            "events",
            on_unknown,
            report,
        )
        for eid in new_events:
            report.add(
                "events",
                None,
                "event_id",
                eid,
                "added",
                "named in attendance but not in the events table",
            )
    else:
        new_events = list(pd.unique(att["event_id"]))
    if new_events:
        evs = pd.concat(
            [evs, pd.DataFrame({"event_id": new_events, "_row": None})], ignore_index=True
        )
        evs["date"] = pd.to_datetime(evs["date"]).astype("datetime64[ns]")
    evs = _event_dates_from_attendance(evs, att, report)
    for pid in dict.fromkeys(added_people):
        report.add(
            "people",
            None,
            "person_id",
            pid,
            "added",
            "named in attendance or contacts but not in the people table; sector 'unknown'",
        )
    if added_people:
        ppl = pd.concat(
            [
                ppl,
                pd.DataFrame(
                    {
                        "person_id": list(dict.fromkeys(added_people)),
                        "sector": "unknown",
                        "_row": None,
                    }
                ),
            ],
            ignore_index=True,
        )

    _resolve_sectors(ppl, orgs, report)
    _unify_unknown_sector(ppl, orgs)
    _flag_duplicate_people(ppl, report)

    kept = {
        "people": len(ppl),
        "organisations": len(orgs) if given["organisations"] is not None else 0,
        "events": len(evs) if events_given else 0,
        "attendance": len(att),
        "contacts": len(con),
        "respondents": len(resp),
        "roster": len(members),
    }
    counts = report.counts(kept)
    if given["organisations"] is None:
        orgs = orgs.assign(sector=orgs["sector"].astype(object))
    ds = Dataset(
        people=_finalise(ppl, "person_id"),
        organisations=_finalise(orgs, "organisation_id"),
        events=_finalise(evs, "event_id"),
        attendance=_finalise(att, None),
        contacts=_finalise(con, None),
        respondents=_finalise(resp, None),
        roster=_finalise(members, None),
        load_report=report.frame(),
        counts=counts,
        source=source if source is not None else (str(folder) if folder is not None else None),
    )
    logger.info("loaded %r", ds)
    return ds
