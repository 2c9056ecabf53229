"""Reading and validating study data: the five tables, the Dataset and the load report.

Every input row is either kept in a table or named in the load report with the reason;
problems that cannot be fixed safely raise :class:`DataError` naming the file, the row
(as a spreadsheet shows it: the header is row 1) and the column, and what to do.
"""

from __future__ import annotations

import difflib
import io
import logging
import re
import unicodedata
from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Literal, TypeAlias

import numpy as np
import pandas as pd

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
_TITLES = frozenset(
    [
        "dr",
        "mr",
        "mrs",
        "ms",
        "miss",
        "mx",
        "prof",
        "professor",
        "sir",
        "dame",
        "rev",
        "revd",
        "cllr",
        "lord",
        "lady",
    ]
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
        Columns ``event_id``, ``person_id`` (str), ``status`` and extras.
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


def _decode(raw: bytes, label: str) -> str:
    """UTF-8 (with or without BOM), UTF-16 with a BOM (Excel's "Unicode Text"), else
    Windows-1252 as saved by Excel."""
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return raw.decode("utf-16")
        except UnicodeDecodeError as exc:
            msg = f"{label}: the file starts like UTF-16 but cannot be read as UTF-16."
            raise DataError(msg) from exc
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        text = raw.decode("cp1252")
    except UnicodeDecodeError as exc:
        msg = (
            f"{label}: cannot read the file as UTF-8 or Windows-1252 (byte {exc.start}). "
            "Save it from your spreadsheet as 'CSV UTF-8' and load it again."
        )
        raise DataError(msg) from exc
    logger.info("%s: read as Windows-1252 (not valid UTF-8)", label)
    return text


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
        else:
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


def _load_raw(source: Source, table: str) -> tuple[pd.DataFrame, str]:
    """Read ``source`` into an all-text DataFrame; return it with a label for messages."""
    if isinstance(source, pd.DataFrame):
        label = f"<{table} DataFrame>"
        frame = source
        named = [n for n in frame.index.names if n is not None]
        if named and not any(str(n) in {str(c) for c in frame.columns} for n in named):
            # a table indexed by its id (as read_people returns it): keep the index
            frame = frame.reset_index()
        return _frame_text(frame), label
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
        sheet = pd.read_excel(path, dtype=object, na_filter=False, engine="openpyxl", header=None)
        return _header_from_first_row(_frame_text(sheet, excel=True), label), label
    if suffix not in {".csv", ".txt", ".tsv"}:
        msg = f"{label}: unsupported file type {suffix!r}; use .csv or .xlsx."
        raise DataError(msg)
    text = _decode(path.read_bytes(), label)
    header = text.split("\n", 1)[0]
    tabbed = suffix == ".tsv" or (suffix == ".txt" and "\t" in header and "," not in header)
    try:
        raw = pd.read_csv(
            io.StringIO(text),
            dtype=str,
            keep_default_na=False,
            na_filter=False,
            skip_blank_lines=False,
            sep="\t" if tabbed else ",",
            header=None,  # headers are checked by _tidy_header, not renamed 'x.1'
        )
    except pd.errors.EmptyDataError as exc:
        msg = f"{label}: the file is empty; it needs a header row naming the columns."
        raise DataError(msg) from exc
    except pd.errors.ParserError as exc:
        msg = f"{label}: cannot parse the file as CSV ({exc}). Check quotes and separators."
        raise DataError(msg) from exc
    return _header_from_first_row(raw.astype(object), label), label


def _header_from_first_row(raw: pd.DataFrame, label: str) -> pd.DataFrame:
    if raw.empty:
        msg = f"{label}: the file is empty; it needs a header row naming the columns."
        raise DataError(msg)
    out = raw.iloc[1:].reset_index(drop=True)
    out.columns = raw.iloc[0].tolist()
    return out


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
    # headers that differ from ours only by case are accepted and reported
    ours = set(required) | set(optional)
    renames = {}
    for col in raw.columns:
        key = col.casefold()
        if col not in ours and key in ours and key not in raw.columns:
            renames[col] = key
    for old, new in renames.items():
        report.add(table, None, new, old, "renamed column", f"header {old!r} read as {new!r}")
    raw = raw.rename(columns=renames)
    duplicated = raw.columns[raw.columns.duplicated()].unique().tolist()
    if duplicated:
        msg = (
            f"{label}: column(s) {duplicated} appear more than once (after applying "
            "`columns=`). Rename or remove the extra column."
        )
        raise DataError(msg)
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


def _clean_cells(raw: pd.DataFrame, table: str, report: _Report) -> pd.DataFrame:
    """Strip whitespace in every cell (reported per column) and drop blank rows."""
    out = raw.copy()
    for col in out.columns:
        values = out[col].astype(str)
        stripped = values.str.strip()
        changed = int((stripped != values).sum())
        if changed:
            report.add(
                table,
                None,
                col,
                changed,
                "trimmed",
                f"{changed} cell(s) had spaces before or after the text, removed",
            )
        out[col] = stripped.astype(object)
    blank = (out == "").all(axis=1).to_numpy()
    for pos in np.flatnonzero(blank):
        report.add(table, _spreadsheet_row(int(pos)), None, None, "dropped", "blank row")
    out["_row"] = np.arange(len(out)) + 2
    return out[~blank]


def _check_ids(df: pd.DataFrame, table: str, label: str, id_cols: list[str]) -> list[str]:
    problems = []
    for col in id_cols:
        for row in df.loc[df[col] == "", "_row"]:
            problems.append(f"row {row}, column {col!r}: empty id")
    return problems


def _duplicate_ids(df: pd.DataFrame, id_col: str) -> list[str]:
    """One line per id given on more than one row (empty ids are reported separately)."""
    dup = df[df[id_col].duplicated(keep=False) & (df[id_col] != "")]
    return [
        f"{id_col} {key!r} appears in rows {', '.join(str(r) for r in grp['_row'])}"
        for key, grp in dup.groupby(id_col, sort=False)
    ]


_UK_DATE = re.compile(r"^\d{1,2}/\d{1,2}/\d{4}$")
_TZ_OFFSET = re.compile(r"(\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)\s*(?:Z|[+-]\d{2}:?\d{2})$")


def _parse_dates(df: pd.DataFrame, label: str, problems: list[str]) -> pd.Series:
    """ISO dates (``2024-01-31``, with optional time) or UK day-first ``31/01/2024``.

    A time-zone offset after a time (``10:00+01:00``, ``10:00Z``, as survey tools export)
    is ignored: the local date and time are kept, so a meeting keeps its calendar day.
    """
    text = df["date"]
    given = text.where(text != "", None).str.replace(_TZ_OFFSET, r"\1", regex=True)
    parsed = pd.to_datetime(given, format="ISO8601", errors="coerce")
    uk = given.fillna("").str.match(_UK_DATE).astype(bool)
    if uk.any():
        parsed[uk] = pd.to_datetime(given[uk], format="%d/%m/%Y", errors="coerce")
    bad = (text != "") & parsed.isna()
    for row, value in zip(df.loc[bad, "_row"], text[bad], strict=True):
        problems.append(
            f"row {row}, column 'date': {value!r} is not a date (write YYYY-MM-DD, or DD/MM/YYYY)"
        )
    return parsed.astype("datetime64[ns]")


def _to_missing(df: pd.DataFrame, cols: list[str]) -> pd.DataFrame:
    for col in cols:
        df[col] = df[col].where(df[col] != "", None).astype(object)
    return df


def _label_key(value: str) -> str:
    return re.sub(r"\s+", " ", value).strip().casefold()


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


_APOSTROPHES = re.compile(r"['\u2018\u2019`\u00b4]")


def _name_tokens(name: str) -> list[str]:
    """Name words ignoring case, accents, apostrophes, other punctuation and leading titles.

    ``"Dr. Siân O'Connor"`` -> ``["sian", "oconnor"]``. Titles are removed only at the
    start, so a surname such as Lord or Miss is kept.
    """
    text = unicodedata.normalize("NFKD", name)
    text = "".join(ch for ch in text if not unicodedata.combining(ch)).casefold()
    text = _APOSTROPHES.sub("", text)
    tokens = re.sub(r"[\W_]+", " ", text).split()
    while len(tokens) > 1 and tokens[0] in _TITLES:
        tokens.pop(0)
    return tokens


def _compatible_given(a: str, b: str) -> bool:
    """Given names that may be one person's: equal, or one of them only an initial."""
    return a == b or ((len(a) == 1 or len(b) == 1) and a[0] == b[0])


def _flag_duplicate_people(people: pd.DataFrame, report: _Report) -> None:
    """Flag (never merge) likely duplicates within one organisation.

    Two rules, checked only among rows that share an organisation and a name key with
    another row, so the work grows with the candidates, not with all pairs: the same
    name once case, accents, titles, punctuation and spacing are ignored; or the same
    surname and compatible given names (the same, or one is the other's initial:
    ``J. Smith`` / ``Jane Smith``, but not ``Jane Smith`` / ``John Smith``).
    """
    named = people[people["name"].notna() & (people["name"] != "")]
    if named.empty:
        return
    uniq = pd.unique(named["name"])
    tokens = dict(zip(uniq, map(_name_tokens, uniq), strict=True))
    tok = named["name"].map(tokens)
    frame = pd.DataFrame(
        {
            "pid": named["person_id"].to_numpy(),
            "row": named["_row"].to_numpy(),
            "name": named["name"].to_numpy(),
            "org": named["organisation_id"].fillna("").to_numpy(),
            "full": tok.map("".join).to_numpy(),
            "given": tok.map(lambda t: t[0] if len(t) > 1 else "").to_numpy(),
            "surname": tok.map(lambda t: t[-1] if len(t) > 1 else "").to_numpy(),
        }
    )
    frame["short"] = frame["surname"].where(frame["surname"] == "", frame["given"].str[0])
    frame["short"] = frame["short"] + " " + frame["surname"]
    candidates = frame[
        (frame["full"] != "") & frame.duplicated(["org", "full"], keep=False)
        | (frame["surname"] != "") & frame.duplicated(["org", "short"], keep=False)
    ]
    if candidates.empty:
        return
    why_full = "same name once case, accents, titles, punctuation and spacing are ignored"
    why_short = "same initial and surname (one given name is only an initial, or both match)"
    for _, grp in candidates.groupby("org", sort=False):
        rows = list(grp.itertuples(index=False))
        for i, other in enumerate(rows):
            for first in rows[:i]:
                if other.full != "" and other.full == first.full:
                    why = why_full
                elif (
                    other.surname != ""
                    and other.surname == first.surname
                    and _compatible_given(first.given, other.given)
                ):
                    why = why_short
                else:
                    continue
                where = f"organisation {first.org!r}" if first.org else "no organisation"
                report.add(
                    "people",
                    other.row,
                    "name",
                    other.name,
                    "flagged",
                    f"possible duplicate of person_id {first.pid!r} "
                    f"({first.name!r}, row {first.row}): {why}, {where}; "
                    "not merged — check and fix the ids if they are one person",
                )
                break


# --------------------------------------------------------------------------- tables


def _prepare(
    source: Source, table: str, columns: Mapping[str, str] | None, report: _Report
) -> tuple[pd.DataFrame, str]:
    raw, label = _load_raw(source, table)
    report.read[table] = len(raw)
    raw = _tidy_header(raw, table, label, report)
    raw = _apply_columns(raw, table, label, columns, report)
    df = _clean_cells(raw, table, report)
    return df, label


def _finish_entity(df: pd.DataFrame, table: str, label: str, problems: list[str]) -> None:
    """Raise once for every bad cell and duplicated id of an entity table."""
    id_col = _SCHEMAS[table][2] or ""
    duplicates = _duplicate_ids(df, id_col)
    if not problems and not duplicates:
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


def _people(source: Source, columns: Mapping[str, str] | None, report: _Report) -> pd.DataFrame:
    df, label = _prepare(source, "people", columns, report)
    problems = _check_ids(df, "people", label, ["person_id"])
    _finish_entity(df, "people", label, problems)
    text_cols = [c for c in df.columns if c not in ("person_id", "_row")]
    return _to_missing(df, text_cols)


def _organisations(
    source: Source, columns: Mapping[str, str] | None, report: _Report
) -> pd.DataFrame:
    df, label = _prepare(source, "organisations", columns, report)
    problems = _check_ids(df, "organisations", label, ["organisation_id"])
    for row in df.loc[df["sector"] == "", "_row"]:
        problems.append(f"row {row}, column 'sector': empty (every organisation needs a sector)")
    _finish_entity(df, "organisations", label, problems)
    text_cols = [c for c in df.columns if c not in ("organisation_id", "_row")]
    return _to_missing(df, text_cols)


def _events(source: Source, columns: Mapping[str, str] | None, report: _Report) -> pd.DataFrame:
    df, label = _prepare(source, "events", columns, report)
    problems = _check_ids(df, "events", label, ["event_id"])
    dates = _parse_dates(df, label, problems)
    _finish_entity(df, "events", label, problems)
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
) -> pd.DataFrame:
    df, label = _prepare(source, "attendance", columns, report)
    problems = _check_ids(df, "attendance", label, ["event_id", "person_id"])
    if problems:
        raise _list_problems(label, problems, "Fill in or remove these rows and load again.")
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
    for row, orig, value in _repeats(df, ["event_id", "person_id"]):
        report.add(
            "attendance",
            row,
            None,
            value,
            "flagged",
            f"person listed again for this event (first at row {orig}, other columns "
            "differ); kept, but graphs count one attendance per person and event",
        )
    return _to_missing(df, [c for c in data_cols if c not in ("event_id", "person_id")])


def _person_waves(
    source: Source, columns: Mapping[str, str] | None, report: _Report, *, table: str
) -> pd.DataFrame:
    """A (person, wave) list: who answered each survey wave (``respondents``, including
    people who named nobody) or who belonged to the network at each wave (``roster``)."""
    df, label = _prepare(source, table, columns, report)
    problems = _check_ids(df, table, label, list(_SCHEMAS[table][0]))
    if problems:
        raise _list_problems(label, problems, "Fill in or remove these rows and load again.")
    dup = _repeats(df, ["person_id", "wave"])
    for row, orig, value in dup:
        report.add(table, row, None, value, "dropped", f"same person and wave as row {orig}")
    df = df[~df["_row"].isin([row for row, _, _ in dup])]
    return _to_missing(df, [c for c in df.columns if c not in ("person_id", "_row")])


def _contacts(source: Source, columns: Mapping[str, str] | None, report: _Report) -> pd.DataFrame:
    df, label = _prepare(source, "contacts", columns, report)
    problems = _check_ids(df, "contacts", label, ["source", "target"])
    text = df["weight"]
    weight = pd.to_numeric(text.where(text != "", "1"), errors="coerce")
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
    """Loose id key for hints only: case ignored, leading zeros of numbers removed (Excel
    turns ``007`` into ``7``)."""
    return ids.astype(str).str.casefold().str.replace(r"^0+(?=\d+$)", "", regex=True)


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


# --------------------------------------------------------------------------- public


def read_people(source: Source, *, columns: Mapping[str, str] | None = None) -> pd.DataFrame:
    """Read and validate a people table.

    Parameters
    ----------
    source
        Path to a ``.csv`` (UTF-8 with or without BOM, or Windows-1252) or ``.xlsx`` file,
        or a DataFrame.
    columns
        Mapping from your headers to connectnet's, e.g. ``{"Attendee ID": "person_id"}``.

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
    df = _people(source, columns, report)
    _normalise_labels([("people", df)], "sector", report)
    _flag_duplicate_people(df, report)
    out = _finalise(df, "person_id")
    out.attrs["load_report"] = report.frame()
    return out


def read_organisations(
    source: Source, *, columns: Mapping[str, str] | None = None
) -> pd.DataFrame:
    """Read and validate an organisations table.

    Parameters
    ----------
    source
        Path to a ``.csv``/``.xlsx`` file or a DataFrame.
    columns
        Mapping from your headers to connectnet's.

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
    df = _organisations(source, columns, report)
    _normalise_labels([("organisations", df)], "sector", report)
    out = _finalise(df, "organisation_id")
    out.attrs["load_report"] = report.frame()
    return out


def read_events(source: Source, *, columns: Mapping[str, str] | None = None) -> pd.DataFrame:
    """Read and validate an events table.

    Parameters
    ----------
    source
        Path to a ``.csv``/``.xlsx`` file or a DataFrame.
    columns
        Mapping from your headers to connectnet's.

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
    out = _finalise(_events(source, columns, report), "event_id")
    out.attrs["load_report"] = report.frame()
    return out


def read_attendance(
    source: Source,
    *,
    columns: Mapping[str, str] | None = None,
    absent_statuses: Collection[str] = ABSENT_STATUSES,
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
    out = _finalise(_attendance(source, columns, report, absent_statuses), None)
    out.attrs["load_report"] = report.frame()
    return out


def read_contacts(source: Source, *, columns: Mapping[str, str] | None = None) -> pd.DataFrame:
    """Read and validate contact data (``source`` reported a tie to ``target``).

    Self-contacts are reported and excluded. A blank weight means 1.

    Parameters
    ----------
    source
        Path to a ``.csv``/``.xlsx`` file or a DataFrame.
    columns
        Mapping from your headers to connectnet's.

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
    out = _finalise(_contacts(source, columns, report), None)
    out.attrs["load_report"] = report.frame()
    return out


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

    Parameters
    ----------
    folder
        Dataset folder, or ``None`` when every table is passed directly.
    people, organisations, events, attendance, contacts, respondents, roster
        Optional per-table sources (path or DataFrame).
    columns
        Per-table header mappings, e.g. ``{"people": {"Attendee ID": "person_id"}}``.
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
    if given["people"] is None:
        where = f"in {folder}" if folder is not None else "(pass `people=`)"
        msg = f"no people table {where}: people.csv (or .xlsx) is required."
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
            frames[table] = reader(src, columns.get(table), report)
            labels[table] = src.name if isinstance(src, Path) else f"<{table} DataFrame>"
            if isinstance(src, str):
                labels[table] = Path(src).name

    ppl, orgs, evs = frames["people"], frames["organisations"], frames["events"]
    att, con, resp = frames["attendance"], frames["contacts"], frames["respondents"]

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
