"""Private: the validation of :func:`connectnet.scan_dataset`, rule by rule in the engine.

The rules and messages are :func:`connectnet.read_dataset`'s (imported from
:mod:`connectnet.data`, not copied); each rule is a count query and, when it finds rows,
a query for the first of them. Clean views of the kept rows are defined at the end (see
:mod:`connectnet.engine._queries` for their names).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from connectnet import data as _data
from connectnet.data import DataError
from connectnet.engine import _queries as q
from connectnet.engine._backends import Backend, _literal

__all__: list[str] = []

#: The tables a dataset folder may hold, as :func:`connectnet.read_dataset` reads them
#: (``roster`` too once the readers know it).
TABLES: tuple[str, ...] = tuple(_data._SCHEMAS)
_LISTED = _data._MAX_LISTED
_ENTITY = {"people": "person_id", "organisations": "organisation_id", "events": "event_id"}
#: Tables listing people per wave: kept once per (person, wave).
_PER_WAVE = ("respondents", "roster")
LOAD_REPORT_COLUMNS = ["table", "column", "action", "reason", "rows", "first_rows", "values"]


def _count(value: object) -> int:
    """A count from a query (a sum over no rows is NULL)."""
    return 0 if value is None or pd.isna(value) else int(value)  # type: ignore[call-overload]


class _Shown(list[str]):
    """The first problem lines of a rule, with ``len`` the number of all of them, so
    data.py's message builder lists the first lines and says "... and N more"."""

    def __init__(self, lines: list[str], total: int) -> None:
        super().__init__(lines)
        self.total = max(total, len(lines))

    def __len__(self) -> int:
        return self.total

    def __add__(self, other: list[str]) -> _Shown:  # type: ignore[override]
        return _Shown([*self[:], *other[: len(other)]], self.total + len(other))


@dataclass
class _Table:
    name: str
    label: str
    mapping: dict[str, str | None]  # our column -> source header (None: absent optional)


# ----------------------------------------------------------------------- sources


def _parts(folder: Path, stem: str) -> tuple[list[Path], str] | None:
    """The file(s) holding table ``stem`` in ``folder``: ``stem.parquet``, ``stem.csv``
    or a folder ``stem/`` of Parquet or CSV parts."""
    found = [
        folder / f"{stem}{ext}"
        for ext in (".parquet", ".csv")
        if (folder / f"{stem}{ext}").exists()
    ]
    part_dir = folder / stem
    if part_dir.is_dir():
        for ext in (".parquet", ".csv"):
            parts = sorted(part_dir.glob(f"*{ext}"))
            if parts:
                found.append(part_dir)
                break
    if len(found) > 1:
        names = " and ".join(p.name for p in found)
        msg = (
            f"{folder}: both {names} are there, so it is not clear which holds the {stem} "
            "table. Move one out of the folder."
        )
        raise DataError(msg)
    if not found:
        return None
    path = found[0]
    if path.is_dir():
        parquet = sorted(path.glob("*.parquet"))
        return (parquet, "parquet") if parquet else (sorted(path.glob("*.csv")), "csv")
    return [path], path.suffix[1:]


def _expose(backend: Backend, source: object) -> dict[str, str]:
    """Register each table of ``source`` as view ``cn_in_<table>``; return the labels
    (file names) used in messages."""
    labels: dict[str, str] = {}
    if isinstance(source, Mapping):
        unknown = sorted(set(source) - set(TABLES))
        if unknown:
            msg = f"`source` keys must be table names {list(TABLES)}, not {unknown}."
            raise ValueError(msg)
        for table, obj in source.items():
            backend.relation(f"cn_in_{table}", obj)
            labels[table] = obj if isinstance(obj, str) else f"<{table} table>"
        return labels
    root = Path(str(source))
    if root.suffix in {".duckdb", ".db"} and root.is_file():
        if backend.name != "duckdb":
            msg = f"{root}: a DuckDB database is read with engine='duckdb'."
            raise ValueError(msg)
        backend.con.execute(f"ATTACH {_literal(str(root))} AS cn_source (READ_ONLY)")  # type: ignore[union-attr]
        names = set(
            backend.query(
                "SELECT table_name FROM duckdb_tables() WHERE database_name = 'cn_source'"
            )["table_name"]
        )
        for table in TABLES:
            if table in names:
                backend.relation(f"cn_in_{table}", f"cn_source.{table}")
                labels[table] = f"{root.name}:{table}"
        return labels
    if not root.is_dir():
        msg = (
            f"{root}: not a folder. Pass the folder holding people.parquet (or .csv) and "
            "attendance.parquet, a DuckDB database file, or a mapping of tables."
        )
        raise FileNotFoundError(msg)
    for table in TABLES:
        found = _parts(root, table)
        if found is None:
            continue
        paths, fmt = found
        backend.files(f"cn_in_{table}", paths, fmt)
        labels[table] = (
            paths[0].name if len(paths) == 1 and paths[0].parent == root else f"{table}/"
        )
    return labels


def _sql_regex(pattern: str) -> str:
    r"""A Python regular expression of data.py in the syntax both engines read inside a
    SQL string (Spark's literals treat ``\`` as an escape): ``\d``, ``\s``, ``\.`` spelled
    as classes."""
    return pattern.replace(r"\d", "[0-9]").replace(r"\s", "[ \t]").replace(r"\.", "[.]")


def _date_problem(value: str) -> str:
    """Why a date cell was not read, in data.py's words (its form and year found as
    data.py finds them)."""
    given = _data._TZ_OFFSET.sub(r"\1", value)
    forms = (
        ("iso", _data._ISO_DATE),
        ("uk", _data._UK_DATE),
        ("compact", _data._COMPACT_DATE),
        ("partial", _data._PARTIAL_DATE),
    )
    form = next((name for name, pattern in forms if pattern.match(given)), None)
    digits = given[-4:] if form == "uk" else given[:4]
    year = int(digits) if digits.isdigit() and len(digits) == 4 else None
    return _data._date_problem(value, form, year)


def _coded(sql: str) -> str:
    """An entity table with ``_i``, its dense integer code in table order (``_pos``)."""
    return f"SELECT x.*, CAST(row_number() OVER (ORDER BY _pos) - 1 AS INT) AS _i FROM ({sql}) x"


class _Validator:
    """Runs every validation rule as a query and builds the clean views."""

    def __init__(
        self,
        backend: Backend,
        labels: dict[str, str],
        columns: dict[str, Mapping[str, str]],
        on_unknown: str,
        absent: list[str],
    ) -> None:
        self.d = backend
        self.labels = labels
        self.columns = columns
        self.on_unknown = on_unknown
        self.absent = absent
        self.entries: list[dict[str, object]] = []
        self.read: dict[str, int] = {}
        self.dropped: dict[str, int] = {}
        self.added: dict[str, int] = {}
        self.tables: dict[str, _Table] = {}
        #: condition (on cn_r_/cn_all_ views) of the rows kept so far, per table
        self.keep: dict[str, list[str]] = {}

    # --- bookkeeping --------------------------------------------------------------
    def note(
        self,
        table: str,
        column: str | None,
        action: str,
        reason: str,
        rows: int,
        first: pd.DataFrame | None = None,
        value: str | None = None,
    ) -> None:
        if rows == 0:
            return
        listed = [] if first is None else [int(r) for r in first["_row"]]
        values = [] if first is None or value is None else first[value].tolist()
        self.entries.append(
            {
                "table": table,
                "column": column,
                "action": action,
                "reason": reason,
                "rows": int(rows),
                "first_rows": listed,
                "values": values,
            }
        )
        if action == "dropped":
            self.dropped[table] = self.dropped.get(table, 0) + int(rows)
        elif action == "added":
            self.added[table] = self.added.get(table, 0) + int(rows)

    def scalar(self, sql: str) -> int:
        return _count(self.d.query(sql).iloc[0, 0])

    def where(self, table: str, *extra: str) -> str:
        return " AND ".join([*self.keep[table], *extra]) or "TRUE"

    # --- reading ------------------------------------------------------------------
    def header(self, table: str) -> None:
        """Map the source headers to ours with data.py's header rules and messages."""
        label = self.labels[table]
        found = [str(c) for c in self.d.columns(f"cn_in_{table}")]
        head = self.d.query(f"SELECT * FROM {self.d.ident(f'cn_in_{table}')} LIMIT 10")
        head = _data._frame_text(head)
        head.columns = [_data._norm_header(c) for c in found]
        scratch = _data._Report()
        _data._apply_columns(head, table, label, self.columns.get(table), scratch)
        for entry in scratch.rows:  # renamed headers (case, synonyms) as data.py reports them
            self.note(table, str(entry["column"]), str(entry["action"]), str(entry["reason"]), 1)
        names = pd.DataFrame([found], columns=[_data._norm_header(c) for c in found])
        mapped = _data._apply_columns(
            names, table, label, self.columns.get(table), _data._Report()
        )
        mapping = {str(c): (v if v != "" else None) for c, v in mapped.iloc[0].items()}
        self.tables[table] = _Table(table, label, mapping)
        self.keep[table] = [q.not_blank(self.d, list(mapping))]

    def clean_cells(self, table: str) -> None:
        d = self.d
        mapping = self.tables[table].mapping
        sums = d.query(q.trimmed_counts(d, f"cn_in_{table}", mapping))
        self.read[table] = int(sums["_read"].iloc[0])
        padded = set()
        for col in sums.columns[1:]:
            n = _count(sums[col].iloc[0])
            reason = f"{n} cell(s) had spaces before or after the text, removed"
            self.note(table, str(col), "trimmed", reason, n)
            if n:
                padded.add(str(col))
        # only the columns with padded cells are trimmed: every rule below reads these
        # views again, and trimming each cell each time is most of a scan's work
        d.view(f"cn_cells_{table}", q.cells(d, f"cn_in_{table}", mapping, padded))
        d.view(f"cn_all_{table}", f"SELECT * FROM cn_cells_{table}")
        d.view(f"cn_r_{table}", q.numbered(d, f"cn_cells_{table}"))
        blank = f"NOT ({q.not_blank(d, list(self.tables[table].mapping))})"
        n = self.scalar(q.count_where(d, f"cn_all_{table}", blank))
        first = d.query(q.first_where(d, f"cn_r_{table}", blank, [], _LISTED)) if n else None
        self.note(table, None, "dropped", "blank row", n, first)

    def problems(self, table: str, condition: str, line: str, columns: list[str]) -> _Shown:
        """Problem lines (first rows) of a rule whose rows must be fixed."""
        d = self.d
        cond = self.where(table, condition)
        n = self.scalar(q.count_where(d, f"cn_all_{table}", cond))  # no row numbers
        if not n:
            return _Shown([], 0)
        first = d.query(q.first_where(d, f"cn_r_{table}", cond, columns, _LISTED))
        lines = [line.format(**rec) for rec in first.to_dict("records")]
        return _Shown(lines, n)

    def empty_ids(self, table: str, id_cols: list[str]) -> _Shown:
        out = _Shown([], 0)
        for col in id_cols:
            c = self.d.ident(col)
            out = out + self.problems(
                table, f"{c} = ''", f"row {{_row}}, column {col!r}: empty id", [col]
            )
        return out

    def duplicates(self, table: str, id_col: str) -> _Shown:
        d = self.d
        found = d.query(q.duplicate_keys(d, f"cn_r_{table}", id_col, _LISTED))
        if found.empty:
            return _Shown([], 0)
        frame = found.rename(columns={"id": id_col})
        lines = _data._duplicate_ids(frame, id_col)
        return _Shown(lines, int(found["_total"].iloc[0]))

    def entity(self, table: str, extra: _Shown, *, raise_now: bool = True) -> None:
        id_col = _ENTITY[table]
        cells = self.empty_ids(table, [id_col]) + extra
        dups = self.duplicates(table, id_col)
        if len(cells) or len(dups):
            advice = []
            if len(cells):
                advice.append("Fix these cells in the file and load again.")
            if len(dups):
                advice.append(
                    f"Each {id_col} must be unique: give the duplicates distinct ids or "
                    "remove them."
                )
            label = self.labels[table]
            headline = label if len(cells) else f"{label}: duplicate ids"
            raise _data._list_problems(headline, cells + dups, " ".join(advice))

    def date_expr(self, col: str) -> str:
        """A date cell as a timestamp, read as :func:`connectnet.read_dataset` reads it
        (NULL: blank or not a date): ISO (a time-zone offset after the time dropped, so
        the local time is kept), UK day-first or compact ``YYYYMMDD``, years 1678-2261."""
        d = self.d
        c = d.ident(col)
        v = d.keep_group(c, _sql_regex(_data._TZ_OFFSET.pattern))
        low, high = _data._YEARS

        def year_ok(text: str) -> str:
            return f"TRY_CAST({text} AS INT) BETWEEN {low} AND {high}"

        forms = [
            (_data._ISO_DATE, f"substr({v}, 1, 4)", d.iso_timestamp(v)),
            (_data._UK_DATE, f"right({v}, 4)", d.uk_date(v)),
            (_data._COMPACT_DATE, f"substr({v}, 1, 4)", d.compact_date(v)),
        ]
        cases = " ".join(
            f"WHEN {d.matches(v, _sql_regex(pattern.pattern))} THEN "
            f"CASE WHEN {year_ok(year)} THEN {parsed} END"
            for pattern, year, parsed in forms
        )
        return f"CASE WHEN {c} = '' THEN NULL {cases} END"

    def bad_dates(self, table: str) -> _Shown:
        d = self.d
        cond = self.where(table, f"date <> '' AND ({self.date_expr('date')}) IS NULL")
        n = self.scalar(q.count_where(d, f"cn_all_{table}", cond))
        if not n:
            return _Shown([], 0)
        first = d.query(q.first_where(d, f"cn_r_{table}", cond, ["date"], _LISTED))
        lines = [
            f"row {row}, column 'date': {_date_problem(str(value))}"
            for row, value in zip(first["_row"], first["date"], strict=True)
        ]
        return _Shown(lines, n)

    def weight_expr(self) -> str:
        return "CASE WHEN weight = '' THEN CAST(1 AS DOUBLE) ELSE TRY_CAST(weight AS DOUBLE) END"

    def drop_rule(
        self, table: str, condition: str, column: str | None, reason: str, value: str | None
    ) -> None:
        """Rows matching ``condition`` are dropped and reported."""
        d = self.d
        cond = self.where(table, condition)
        n = self.scalar(q.count_where(d, f"cn_all_{table}", cond))
        if n:
            cols = [value] if value else []
            first = d.query(q.first_where(d, f"cn_r_{table}", cond, cols, _LISTED))
            self.note(table, column, "dropped", reason, n, first, value)
        self.keep[table].append(f"NOT ({condition})")

    def repeats(self, table: str, keys: list[str], action: str, reason: str) -> None:
        d = self.d
        cond = self.where(table)
        n = self.scalar(q.repeated_count(d, f"cn_all_{table}", keys, cond))
        if not n:
            return
        first = d.query(q.repeated(d, f"cn_r_{table}", keys, cond, _LISTED))
        self.note(table, None, action, reason, n, first, keys[-1])
        if action == "dropped":
            # keep one row of each repeated group: DISTINCT for counts, the first row
            # (by spreadsheet row) where rows are listed
            k = ", ".join(d.ident(c) for c in keys)
            d.view(f"cn_all_{table}", f"SELECT DISTINCT * FROM cn_cells_{table}")
            d.view(
                f"cn_r_{table}",
                f"SELECT * FROM (SELECT *, row_number() OVER (PARTITION BY {k} ORDER BY _row) "
                f"AS _rep FROM ({q.numbered(d, f'cn_cells_{table}')}) x) y WHERE _rep = 1",
            )

    # --- tables -------------------------------------------------------------------
    def run(self) -> None:
        d = self.d
        for table in self.labels:
            self.header(table)
            self.clean_cells(table)
        if "people" in self.labels:
            self.entity("people", _Shown([], 0))
        if "organisations" in self.labels:
            sector = self.problems(
                "organisations",
                "sector = ''",
                "row {_row}, column 'sector': empty (every organisation needs a sector)",
                [],
            )
            self.entity("organisations", sector)
        if "events" in self.labels:
            self.entity("events", self.bad_dates("events"))
        if "attendance" in self.labels:
            self.attendance()
        if "contacts" in self.labels:
            self.contacts()
        for table in _PER_WAVE:
            if table in self.labels:
                self.per_wave(table)
        self.references()
        self.labels_and_sectors()
        self.clean_views()
        del d

    def attendance(self) -> None:
        ids = self.empty_ids("attendance", ["event_id", "person_id"])
        if len(ids):
            label = self.labels["attendance"]
            raise _data._list_problems(label, ids, "Fill in or remove these rows and load again.")
        keys = sorted({_data._label_key(a) for a in self.absent})
        if keys:
            status = f"lower({self.d.ident('status')})"
            # whitespace runs inside a status are rare; compare the trimmed, lower-case text
            cond = f"{status} IN {q.in_list(keys)}"
            self.drop_rule(
                "attendance", cond, "status", "status means the person did not attend", "status"
            )
        pair = ["event_id", "person_id"]
        d = self.d
        if not self.scalar(
            q.repeated_count(d, "cn_all_attendance", pair, self.where("attendance"))
        ):
            return  # no (event, person) repeat, so no exact repeat either: one pass, not two
        data_cols = list(self.tables["attendance"].mapping)
        self.repeats(
            "attendance", data_cols, "dropped", "exact duplicate of an earlier row, kept once"
        )
        self.repeats(
            "attendance",
            pair,
            "flagged",
            "person listed again for this event (other columns differ); kept, but graphs "
            "count one attendance per person and event",
        )

    def contacts(self) -> None:
        problems = self.empty_ids("contacts", ["source", "target"])
        w = self.weight_expr()
        bad_weight = f"NOT coalesce(({w}) > 0 AND ({w}) < CAST('Infinity' AS DOUBLE), FALSE)"
        problems = problems + self.problems(
            "contacts",
            bad_weight,
            "row {_row}, column 'weight': {weight!r} is not a positive number",
            ["weight"],
        )
        problems = problems + self.bad_dates("contacts")
        if len(problems):
            raise _data._list_problems(
                self.labels["contacts"], problems, "Fix these cells in the file and load again."
            )
        self.drop_rule(
            "contacts",
            "source = target",
            "target",
            "self-contact (source and target are the same person)",
            "target",
        )

    def per_wave(self, table: str) -> None:
        ids = self.empty_ids(table, list(_data._SCHEMAS[table][0]))
        if len(ids):
            raise _data._list_problems(
                self.labels[table], ids, "Fill in or remove these rows and load again."
            )
        self.repeats(
            table, ["person_id", "wave"], "dropped", "same person and wave as an earlier row"
        )

    # --- references ---------------------------------------------------------------
    def unknown(
        self, table: str, column: str, known: str, key: str, what: str, mode: str
    ) -> str | None:
        """Check one reference; return the query of the unknown rows when ids are added."""
        d = self.d
        plain = q.unknown_refs(d, f"cn_all_{table}", column, known, key, self.where(table))
        if not self.scalar(f"SELECT count(*) FROM ({plain}) u"):
            return None
        refs = q.unknown_refs(d, f"cn_r_{table}", column, known, key, self.where(table))
        found = d.query(q.unknown_summary(d, refs, column, _LISTED))
        n_rows, n_ids = int(found["_rows"].iloc[0]), int(found["_ids"].iloc[0])
        if mode == "error":
            wanted = [str(v) for v in pd.unique(found["value"])]
            near = d.query(q.near_id_candidates(d, known, key, wanted))["id"]
            hints = _data._near_ids(wanted, pd.Index(near.astype(str), dtype=object))
            lines = [
                f"row {row}, column {column!r}: {value!r} is not in the {what} table"
                + (f" (did you mean {hints[value]!r}?)" if value in hints else "")
                for row, value in zip(found["_row"], found["value"], strict=True)
            ]
            raise _data._list_problems(
                f"{self.labels[table]}: {n_ids} unknown {what} id(s) in {n_rows} row(s)",
                _Shown(lines, n_rows),
                f"Add them to the {what} table, correct the ids, or load with "
                "on_unknown='add' (add them with sector 'unknown') or on_unknown='drop'.",
            )
        if mode == "drop":
            c = d.ident(column)
            cond = f"{c} <> '' AND {c} NOT IN (SELECT {d.ident(key)} FROM {d.ident(known)})"
            self.drop_rule(table, cond, column, f"unknown {what} id", column)
            return None
        return refs

    def references(self) -> None:
        d = self.d
        mode = self.on_unknown
        # organisations named by people (never dropped: unknown ones are added)
        org_refs = None
        if "organisations" in self.labels:
            org_refs = self.unknown(
                "people",
                "organisation_id",
                "cn_all_organisations",
                "organisation_id",
                "organisations",
                "add" if mode == "drop" else mode,
            )
        self.view_ids("cn_new_orgs", [(org_refs, "organisation_id")] if org_refs else [])
        self.note_added(
            "organisations",
            "cn_new_orgs",
            "organisation_id",
            "named by people but not in the organisations table; sector 'unknown'",
        )
        d.view(
            "cn_ids_people", f"SELECT person_id FROM cn_all_people WHERE {self.where('people')}"
        )
        person_refs = [("attendance", "person_id"), ("contacts", "source"), ("contacts", "target")]
        person_refs += [(t, "person_id") for t in _PER_WAVE]
        added = []
        for table, column in person_refs:
            if table in self.labels:
                refs = self.unknown(table, column, "cn_ids_people", "person_id", "people", mode)
                if refs:
                    added.append((refs, column))
        self.view_ids("cn_new_people", added)
        if "attendance" in self.labels and "events" in self.labels:
            refs = self.unknown(
                "attendance", "event_id", "cn_all_events", "event_id", "events", mode
            )
            self.view_ids("cn_new_events", [(refs, "event_id")] if refs else [])
            self.note_added(
                "events",
                "cn_new_events",
                "event_id",
                "named in attendance but not in the events table",
            )
        elif "attendance" in self.labels:
            refs = f"SELECT * FROM cn_r_attendance WHERE {self.where('attendance')}"
            self.view_ids("cn_new_events", [(refs, "event_id")])
        else:
            self.view_ids("cn_new_events", [])
        self.note_added(
            "people",
            "cn_new_people",
            "person_id",
            "named in attendance or contacts but not in the people table; sector 'unknown'",
        )

    def view_ids(self, name: str, refs: list[tuple[str, str]]) -> None:
        if refs:
            self.d.view(name, q.distinct_new_ids(self.d, refs))
        else:
            self.d.view(
                name, "SELECT CAST(NULL AS STRING) AS id, CAST(0 AS BIGINT) AS _order WHERE 1 = 0"
            )

    def note_added(self, table: str, view: str, column: str, reason: str) -> None:
        n = self.scalar(f"SELECT count(*) FROM {view}")
        if n:
            first = self.d.query(f"SELECT id FROM {view} ORDER BY _order LIMIT {_LISTED}")
            self.note(table, column, "added", reason, n)
            self.entries[-1]["values"] = first["id"].tolist()

    # --- labels and sectors -------------------------------------------------------
    def labels_and_sectors(self) -> None:
        d = self.d
        sources = [("cn_r_people", "_row")]
        if "organisations" in self.labels:
            sources.append(("cn_r_organisations", "_row"))
        spellings = d.query(q.label_spellings(d, sources, "sector"))
        n_new_orgs = self.scalar("SELECT count(*) FROM cn_new_orgs")
        if n_new_orgs:  # added organisations carry sector 'unknown', as in read_dataset
            extra = pd.DataFrame(
                {"value": ["unknown"], "n": [n_new_orgs], "first_seen": [2 * 10**12]}
            )
            spellings = (
                pd.concat([spellings, extra])
                .groupby("value", as_index=False)
                .agg(n=("n", "sum"), first_seen=("first_seen", "min"))
            )
        best: dict[str, tuple[int, int, str]] = {}
        for value, n, first in spellings[["value", "n", "first_seen"]].itertuples(index=False):
            key = _data._label_key(str(value))
            rank = (-int(n), int(first), str(value))
            if key not in best or rank < best[key]:
                best[key] = rank
        canon = {str(v): best[_data._label_key(str(v))][2] for v in spellings["value"]}
        unknown = best.get("unknown", (0, 0, "unknown"))[2]
        self.unknown_label = unknown
        d.frame(
            "cn_sector_map", pd.DataFrame({"value": list(canon), "canon": list(canon.values())})
        )
        for table in ("people", "organisations"):
            if table not in self.labels:
                continue
            cond = self.where(
                table,
                "sector IN (SELECT value FROM cn_sector_map WHERE value <> canon)",
            )
            n = self.scalar(q.count_where(d, f"cn_all_{table}", cond))
            if n:
                first = d.query(q.first_where(d, f"cn_r_{table}", cond, ["sector"], _LISTED))
                self.note(
                    table,
                    "sector",
                    "normalised",
                    "labels differing only in case or spacing are one label; written in "
                    "their most common spelling",
                    n,
                    first,
                    "sector",
                )

    def clean_views(self) -> None:
        d = self.d
        unk = _literal(self.unknown_label)

        def text(table: str, skip: Sequence[str]) -> list[str]:
            return (
                [
                    f"CASE WHEN x.{d.ident(c)} = '' THEN NULL ELSE x.{d.ident(c)} END "
                    f"AS {d.ident(c)}"
                    for c in self.tables[table].mapping
                    if c not in skip
                ]
                if table in self.tables
                else []
            )

        def canon(expr: str) -> str:  # with `LEFT JOIN cn_sector_map m ON m.value = x.sector`
            return f"coalesce(m.canon, {expr})"

        sector_map = "LEFT JOIN cn_sector_map m ON m.value = x.sector"

        # organisations
        if "organisations" in self.labels:
            cols = text("organisations", ("organisation_id", "sector"))
            orgs = (
                f"SELECT x.organisation_id, x._row AS _pos, "
                f"{canon('x.sector')} AS sector{''.join(', ' + c for c in cols)} "
                f"FROM {self.kept('organisations')} x {sector_map}"
            )
            nulls = "".join(
                f", NULL AS {d.ident(c)}"
                for c in self.tables["organisations"].mapping
                if c not in ("organisation_id", "sector")
            )
            orgs += f" UNION ALL SELECT id, 1000000000000 + _order, {unk}{nulls} FROM cn_new_orgs"
        else:
            orgs = (
                "SELECT organisation_id, min(_row) AS _pos, CAST(NULL AS STRING) AS sector "
                f"FROM {self.kept('people')} x WHERE organisation_id <> '' "
                "GROUP BY organisation_id"
            )
        d.table("cn_orgs", orgs)
        # people: own sector, else their organisation's, else the unknown label
        cols = text("people", ("person_id", "sector"))
        own = f"CASE WHEN x.sector = '' THEN NULL ELSE {canon('x.sector')} END"
        people = (
            f"SELECT x.person_id, x._row AS _pos, coalesce({own}, o.sector, {unk}) AS sector"
            f"{''.join(', ' + c for c in cols)} FROM {self.kept('people')} x {sector_map} "
            f"LEFT JOIN cn_orgs o ON o.organisation_id = x.organisation_id"
        )
        nulls = "".join(
            f", NULL AS {d.ident(c)}"
            for c in self.tables["people"].mapping
            if c not in ("person_id", "sector")
        )
        people += f" UNION ALL SELECT id, 1000000000000 + _order, {unk}{nulls} FROM cn_new_people"
        d.table("cn_people", _coded(people))
        filled = self.scalar(
            f"SELECT count(*) FROM {self.kept('people')} x LEFT JOIN cn_orgs o "
            "ON o.organisation_id = x.organisation_id WHERE x.sector = '' AND o.sector IS NULL"
        )
        if filled:
            self.note(
                "people",
                "sector",
                "filled",
                "no sector and no organisation sector: set to 'unknown'",
                filled,
            )
        # events
        if "events" in self.labels:
            cols = text("events", ("event_id", "date"))
            nulls = "".join(
                f", NULL AS {d.ident(c)}"
                for c in self.tables["events"].mapping
                if c not in ("event_id", "date")
            )
            events = (
                f"SELECT x.event_id, x._row AS _pos, {self.date_expr('date')} AS date"
                f"{''.join(', ' + c for c in cols)} FROM {self.kept('events')} x"
                " UNION ALL SELECT id, 1000000000000 + _order, CAST(NULL AS TIMESTAMP)"
                f"{nulls} FROM cn_new_events"
            )
        else:
            optional = [c for c in _data._SCHEMAS["events"][1] if c != "date"]
            nulls = "".join(f", CAST(NULL AS STRING) AS {d.ident(c)}" for c in optional)
            events = (
                "SELECT id AS event_id, _order AS _pos, CAST(NULL AS TIMESTAMP) AS date"
                f"{nulls} FROM cn_new_events"
            )
        d.table("cn_events", _coded(events))
        # attendance pairs (each once), contacts, per-wave lists
        if "attendance" in self.labels:
            d.table(
                "cn_att",
                "SELECT DISTINCT e._i AS e, p._i AS p FROM (SELECT event_id, person_id "
                f"FROM cn_all_attendance WHERE {self.where('attendance')}) a "
                "JOIN cn_events e ON e.event_id = a.event_id "
                "JOIN cn_people p ON p.person_id = a.person_id",
            )
        else:
            d.table("cn_att", "SELECT CAST(NULL AS INT) AS e, CAST(NULL AS INT) AS p WHERE 1 = 0")
        if "contacts" in self.labels:
            d.table(
                "cn_con",
                "SELECT s._i AS u, t._i AS v, c.wave, c.weight FROM (SELECT source, target, "
                f"CASE WHEN wave = '' THEN NULL ELSE wave END AS wave, {self.weight_expr()} "
                f"AS weight FROM cn_all_contacts WHERE {self.where('contacts')}) c "
                "JOIN cn_people s ON s.person_id = c.source "
                "JOIN cn_people t ON t.person_id = c.target",
            )
        else:
            d.table(
                "cn_con",
                "SELECT CAST(NULL AS INT) AS u, CAST(NULL AS INT) AS v, "
                "CAST(NULL AS STRING) AS wave, CAST(NULL AS DOUBLE) AS weight WHERE 1 = 0",
            )

    def waves(self) -> list[str]:
        """Contact waves in order of first appearance (rows are numbered only here)."""
        if "contacts" not in self.labels:
            return []
        first = self.d.query(
            f"SELECT wave, min(_row) AS r FROM {self.kept('contacts')} x WHERE wave <> '' "
            "GROUP BY wave ORDER BY r"
        )
        return _data._wave_order(pd.Series(first["wave"].tolist(), dtype=object))

    def kept(self, table: str) -> str:
        """The kept rows of ``table`` (with ``_row``) as a subquery."""
        return f"(SELECT * FROM cn_r_{table} WHERE {self.where(table)})"

    # --- results ------------------------------------------------------------------
    def report_frame(self) -> pd.DataFrame:
        if not self.entries:
            return pd.DataFrame({c: pd.Series(dtype=object) for c in LOAD_REPORT_COLUMNS})
        out = pd.DataFrame(self.entries, columns=LOAD_REPORT_COLUMNS)
        return out.astype({"rows": "int64"})

    def counts_frame(self) -> pd.DataFrame:
        tables = list(TABLES)  # every table, absent ones with zeros, as Dataset.counts
        read = {t: self.read.get(t, 0) for t in tables}
        out = pd.DataFrame(
            {
                "read": [read[t] for t in tables],
                "kept": [read[t] - self.dropped.get(t, 0) for t in tables],
                "dropped": [self.dropped.get(t, 0) for t in tables],
                "added": [self.added.get(t, 0) for t in tables],
            },
            index=pd.Index(tables, name="table", dtype=object),
        ).astype("int64")
        return out

    def raw_views(self) -> dict[str, str]:
        return {t: f"cn_r_{t}" for t in self.tables}
