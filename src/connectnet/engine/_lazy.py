"""Private: :func:`scan_dataset` and :class:`LazyDataset`, results as pandas/networkx."""

from __future__ import annotations

import logging
from collections.abc import Hashable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import networkx as nx
import numpy as np
import pandas as pd

from connectnet import data as _data
from connectnet._arrays import report_unassigned
from connectnet._limits import _BYTES_PER_PAIR, DEFAULT_MAX_MEMORY
from connectnet.data import _SCHEMAS, ABSENT_STATUSES, DataError, Dataset
from connectnet.engine import _queries as q
from connectnet.engine._backends import Backend, make_backend
from connectnet.engine._validate import _expose, _Validator

__all__ = ["LazyContacts", "LazyDataset", "scan_dataset"]

logger = logging.getLogger(__name__)

_LISTED = 5  # ids named in a message
#: Group pairs aggregated per query (about 0.2 GB of DuckDB hash table).
_PAIRS_PER_QUERY = 4_000_000


# ---------------------------------------------------------------------- scanning


def scan_dataset(
    source: str | Path | Mapping[str, Any],
    *,
    engine: Literal["duckdb", "spark"] = "duckdb",
    connection: Any = None,
    spark: Any = None,
    columns: Mapping[str, Mapping[str, str]] | None = None,
    on_unknown: Literal["error", "add", "drop"] = "error",
    absent_statuses: Iterable[str] = ABSENT_STATUSES,
    memory_limit: str | None = None,
) -> LazyDataset:
    """Open a dataset too large for pandas, validated and aggregated in a SQL engine.

    The tables stay in the engine: :func:`scan_dataset` checks them with the rules of
    :func:`connectnet.read_dataset` that apply at scale, and the aggregations
    (:func:`connectnet.organisation_graph`, :func:`connectnet.sector_graph`,
    :func:`connectnet.coattendance_edges`, :func:`connectnet.attendance_summary`, and
    :func:`connectnet.mixing_matrix`, :func:`connectnet.block_density`,
    :func:`connectnet.ei_index`, :func:`connectnet.group_ei_index` of contacts) run as
    SQL when given the result. Nothing is read into pandas until a result is asked for.

    Parameters
    ----------
    source
        A folder holding the tables (``people``, ``organisations``, ``events``,
        ``attendance``, ``contacts``, ``respondents``) as ``.parquet`` or ``.csv`` files,
        or as folders of Parquet/CSV parts (``attendance/part-0.parquet``, ...); a DuckDB
        database file (``.duckdb``) with tables of those names; or a mapping from table
        name to a table name in the engine, a DuckDB relation or a Spark DataFrame.
    engine
        ``"duckdb"`` (default: embedded, out of core) or ``"spark"``.
    connection
        A DuckDB connection to use (set its ``memory_limit`` and ``threads`` there);
        default a new in-memory connection.
    spark
        The :class:`pyspark.sql.SparkSession` to use with ``engine="spark"``.
    memory_limit
        DuckDB's memory limit, e.g. ``"3GB"``: beyond it DuckDB spills to disk. Default
        for the connection made here: half the machine's memory
        (``connectnet.engine._backends.MEMORY_SHARE``; DuckDB's own default, 80 %, leaves
        too little for the results). It spills into a private temporary folder, removed
        when the :class:`LazyDataset` is gone. A ``connection=`` you pass keeps its own
        settings unless ``memory_limit`` is given too. Not used by Spark (set
        ``spark.driver.memory`` in the session).
    columns
        Per-table header mappings, as in :func:`connectnet.read_dataset`.
    on_unknown
        Rows naming people, events or organisations missing from their tables:
        ``"error"``, ``"add"`` or ``"drop"``, as in :func:`connectnet.read_dataset`.
    absent_statuses
        Attendance ``status`` values meaning "did not attend" (dropped and reported).

    Returns
    -------
    LazyDataset
        The validated tables, still in the engine, with :attr:`LazyDataset.load_report`
        and :attr:`LazyDataset.counts`.

    Raises
    ------
    DataError
        Any validation failure, worded as :func:`connectnet.read_dataset` words it.
    FileNotFoundError
        If ``source`` is not a folder, database file or mapping.

    Examples
    --------
    >>> import connectnet as cn
    >>> lazy = cn.scan_dataset(cn.sample_path("prison_health"))
    >>> lazy.counts.loc["attendance"].tolist()  # read, kept, dropped, added
    [308, 307, 1, 0]
    >>> S = cn.sector_graph(lazy)
    >>> S.edges["nhs", "prison"] == cn.sector_graph(cn.load_sample("prison_health")).edges[
    ...     "nhs", "prison"]
    True
    >>> round(cn.ei_index(lazy.contact_graph(wave="baseline", symmetrise="union")), 4)
    -0.4949
    """
    if on_unknown not in ("error", "add", "drop"):
        msg = f"`on_unknown` must be 'error', 'add' or 'drop', not {on_unknown!r}."
        raise ValueError(msg)
    backend = make_backend(engine, connection, spark, memory_limit)
    labels = _expose(backend, source)
    label = str(source) if not isinstance(source, Mapping) else None
    if "people" not in labels:
        msg = f"no people table in {source}: people.parquet (or .csv) is required."
        raise DataError(msg)
    if "attendance" not in labels and "contacts" not in labels:
        msg = (
            "no attendance or contacts table: at least one of attendance and contacts is required."
        )
        raise DataError(msg)
    columns = dict(columns or {})
    unused = sorted(set(columns) - set(labels))
    if unused:
        msg = (
            f"`columns` gives header mappings for {unused}, but there is no such table in "
            f"{source}. Check the file names or remove those mappings."
        )
        raise DataError(msg)
    absent = tuple(absent_statuses)
    checker = _Validator(backend, labels, columns, on_unknown, list(absent))
    checker.run()
    return LazyDataset(
        backend=backend,
        tables=tuple(labels),
        load_report=checker.report_frame(),
        counts=checker.counts_frame(),
        source=label,
        waves=checker.waves(),
        _columns={t: list(checker.tables[t].mapping) for t in checker.tables},
        _read_options={"columns": columns, "on_unknown": on_unknown, "absent_statuses": absent},
    )


def _float_ratio(num: np.ndarray, den: np.ndarray) -> np.ndarray:
    """``num / den`` with NaN where ``den == 0``."""
    num, den = np.asarray(num, dtype=np.float64), np.asarray(den, dtype=np.float64)
    out = np.full(np.broadcast(num, den).shape, np.nan)
    np.divide(num, den, out=out, where=den != 0)
    return out


def _label_order(labels: Iterable[Hashable]) -> list[Hashable]:
    """Group labels in the order the in-memory path uses (sorted; as text if mixed)."""
    unique = list(dict.fromkeys(v for v in labels if v is not None and not pd.isna(v)))
    try:
        return sorted(unique)  # type: ignore[type-var]
    except TypeError:
        return sorted(unique, key=str)


def _wave_label(value: object) -> str:
    if isinstance(value, (int, np.integer)) or (isinstance(value, float) and value.is_integer()):
        return str(int(value))
    return str(value)


@dataclass(frozen=True, eq=False)
class LazyDataset:
    """A validated dataset that stays in a SQL engine (from :func:`scan_dataset`).

    Pass it to :func:`connectnet.organisation_graph`, :func:`connectnet.sector_graph`,
    :func:`connectnet.coattendance_edges`, :func:`connectnet.attendance_summary` and the
    group-level bridging functions (:func:`connectnet.mixing_matrix`,
    :func:`connectnet.block_density`, :func:`connectnet.ei_index`,
    :func:`connectnet.group_ei_index`): each runs as SQL in the engine and returns the
    same object the in-memory path returns for :func:`connectnet.read_dataset`'s
    :class:`~connectnet.Dataset`.

    Attributes
    ----------
    backend
        The engine running the queries (DuckDB connection or Spark session inside).
    tables
        The tables found, in :func:`connectnet.read_dataset`'s order.
    load_report
        One row per validation finding: ``table``, ``column``, ``action`` (``dropped``,
        ``flagged``, ``normalised``, ``trimmed``, ``filled``, ``added``, ``renamed
        column``), ``reason``, ``rows`` (how many rows), ``first_rows`` (the first of them,
        as spreadsheet rows: header = 1) and ``values`` (their values, or the added ids).
    counts
        Per table: ``read``, ``kept``, ``dropped`` (``read = kept + dropped``) and
        ``added`` (rows created by ``on_unknown="add"``), as :attr:`Dataset.counts`.
    source
        The folder or file scanned (``None`` for a mapping of tables).
    waves
        Contact-survey waves in order, as :attr:`Dataset.waves`.
    """

    backend: Backend
    tables: tuple[str, ...]
    load_report: pd.DataFrame
    counts: pd.DataFrame
    source: str | None
    waves: list[str]
    _columns: dict[str, list[str]] = field(repr=False)
    _read_options: dict[str, Any] = field(repr=False)

    def __repr__(self) -> str:
        n = self.counts["kept"] + self.counts["added"]
        return (
            f"<LazyDataset {self.backend.name} {self.source or ''}: {int(n['people'])} people, "
            f"{int(n['attendance'])} attendance rows, {int(n['contacts'])} contacts, "
            f"{len(self.load_report)} load-report entries>"
        )

    def _sql(self, sql: str) -> pd.DataFrame:
        return self.backend.query(sql)

    # --------------------------------------------------------------------- tables
    def collect(self) -> Dataset:
        """Read every table into pandas: the :class:`~connectnet.Dataset` that
        :func:`connectnet.read_dataset` gives for the same data.

        Only for data that fits in memory; the tables are validated again by
        :func:`connectnet.read_dataset` (with the likely-duplicate-people check, which
        the engine does not run).

        Returns
        -------
        Dataset

        Examples
        --------
        >>> import connectnet as cn
        >>> ds = cn.scan_dataset(cn.sample_path("chief_executives")).collect()
        >>> len(ds.people), len(ds.attendance)
        (79, 299)
        """
        frames = {
            t: self._sql(f"SELECT * FROM {self.backend.ident('cn_in_' + t)}") for t in self.tables
        }
        return _data.read_dataset(**frames, **self._read_options, source=self.source)

    def _people_column(self, attr: str) -> None:
        found = [c for c in self._columns["people"] if c != "person_id"]
        if attr not in found:
            msg = f"`{attr}` is not a column of the people table (found {found})."
            raise ValueError(msg)

    def _events_view(self, events: Iterable[Hashable] | None) -> tuple[str, list | None]:
        """The attendance pairs of the selected events (all when ``None``)."""
        if events is None:
            return "cn_att", None
        if isinstance(events, (str, bytes)) or not isinstance(events, Iterable):
            events = [events]
        wanted = [str(e) for e in events]
        known = self._sql(
            f"SELECT event_id, _i FROM cn_events WHERE event_id IN {q.in_list(wanted)}"
        )
        unknown = [e for e in wanted if e not in set(known["event_id"])]
        if unknown:
            msg = (
                f"`events` names {len(unknown)} unknown event id(s) (first: {unknown[:5]}); "
                "use ids from the events or attendance table."
            )
            raise ValueError(msg)
        known = known.sort_values("_i")
        codes = ", ".join(str(int(i)) for i in known["_i"])
        return f"(SELECT * FROM cn_att WHERE e IN ({codes}))", known["event_id"].tolist()

    def _group_codes(self, attr: str, extra: Iterable[Hashable] = ()) -> tuple[list, pd.Series]:
        """The groups of ``attr`` in the in-memory path's order (with ``extra`` groups),
        registered in the engine as ``cn_groups(label, code)``; and people per group."""
        sizes = self._sql(q.group_sizes(self.backend, attr))
        labelled = sizes[sizes["g"].notna()]
        groups = _label_order([*labelled["g"].tolist(), *extra])
        self.backend.frame(
            "cn_groups", pd.DataFrame({"label": groups, "code": np.arange(len(groups))})
        )
        size = pd.Series(labelled["n"].to_numpy(dtype=np.int64), index=labelled["g"].tolist())
        return groups, size

    # -------------------------------------------------------------- group graphs
    def _group_weights(
        self, att: str, attr: str, newman: bool, k: int, min_weight: float | None
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Group pairs ``(u <= v)`` by code and their summed weight, from the group x
        event counts materialised once; the pairs are aggregated in parts of about
        ``_PAIRS_PER_QUERY`` (by first group), so no aggregate spills to disk, and only
        those reaching ``min_weight`` are fetched."""
        d = self.backend
        d.table("cn_counts", q.group_counts(d, att, attr, newman))
        try:
            bound = min(int(self._sql(q.pair_rows("cn_counts"))["n"].iloc[0] or 0), k * k // 2)
            parts = max(1, -(-bound // _PAIRS_PER_QUERY))
            queries = [q.group_loops("cn_counts")]
            queries += [q.group_pairs("cn_counts", i, parts) for i in range(parts)]
            if min_weight is not None:  # light ties stay in the engine
                cut = f"{float(min_weight)!r}"
                queries = [f"SELECT * FROM ({sql}) w WHERE weight >= {cut}" for sql in queries]
            found = [d.arrays(sql) for sql in queries]
        finally:
            d.drop("cn_counts")
        return tuple(  # type: ignore[return-value]
            np.concatenate([f[c].astype(dtype) for f in found])
            for c, dtype in (("u", np.int64), ("v", np.int64), ("weight", np.float64))
        )

    def _group_graph(
        self,
        attr: str,
        kind: str,
        func: str,
        weight: str,
        events: Iterable[Hashable] | None,
        min_weight: float | None = None,
    ) -> nx.Graph:
        from connectnet.build import _add_edges, _node_attrs, _object_index

        if weight not in ("count", "newman"):
            msg = f"`weight` must be one of ['count', 'newman']; got {weight!r}."
            raise ValueError(msg)
        self._people_column(attr)
        d = self.backend
        att, chosen = self._events_view(events)
        newman = weight == "newman"
        table = None
        if kind == "organisation" and attr == "organisation_id":
            table = self._sql("SELECT * FROM cn_orgs ORDER BY _pos").drop(columns="_pos")
            table = table.set_index("organisation_id")
        groups, size = self._group_codes(attr, [] if table is None else table.index)
        totals = self._sql(q.pair_totals(d, att, attr, newman))
        total, assigned = (float(totals[c].iloc[0] or 0.0) for c in ("total", "assigned"))
        a, b, w = self._group_weights(att, attr, newman, len(groups), min_weight)
        keep = w > 1e-12 * max(1.0, float(np.abs(w).max(initial=0)))
        a, b, w = a[keep], b[keep], w[keep]
        if not newman:
            w = np.rint(w)
        order = np.lexsort((b, a))
        missing = self._sql(
            f"SELECT person_id FROM cn_people WHERE {d.ident(attr)} IS NULL ORDER BY _i"
        )
        unassigned = missing["person_id"].tolist()
        H = nx.Graph()
        H.graph.update(
            created_with=f"connectnet.{func}",
            by=attr,
            weight=weight,
            events=chosen,
            source=self.source,
            unassigned=unassigned,
            unassigned_weight=max(0.0, total - assigned),
        )
        if min_weight is not None:
            H.graph["min_weight"] = min_weight
        gindex = _object_index(groups)
        attrs = _node_attrs(table, gindex)
        for node, g in zip(attrs, groups, strict=True):
            node.update(kind=kind, size=int(size.get(g, 0)))
        H.add_nodes_from(zip(groups, attrs, strict=True))
        gids = np.empty(len(groups), dtype=object)
        gids[:] = groups
        _add_edges(H, gids, a[order], b[order], [{"weight": x} for x in w[order].tolist()])
        report_unassigned(logger, unassigned, attr, func)
        return H

    def organisation_graph(
        self,
        *,
        by: str = "organisation_id",
        weight: str = "count",
        events: Iterable[Hashable] | None = None,
        min_weight: float | None = None,
    ) -> nx.Graph:
        """:func:`connectnet.organisation_graph` of this dataset, computed in the engine.

        ``min_weight`` keeps the edges with ``weight >= min_weight``, as for a
        :class:`~connectnet.Dataset`: every pair is summed in the engine and only the
        heavy ones are brought into networkx (at national scale most organisation pairs
        share one or two meetings). ``G.graph["min_weight"]`` records it;
        ``unassigned_weight`` still counts every tie.
        """
        return self._group_graph(
            by, "organisation", "organisation_graph", weight, events, min_weight
        )

    def sector_graph(
        self,
        *,
        attr: str = "sector",
        weight: str = "count",
        events: Iterable[Hashable] | None = None,
    ) -> nx.Graph:
        """:func:`connectnet.sector_graph` of this dataset, computed in the engine."""
        return self._group_graph(attr, "sector", "sector_graph", weight, events)

    # -------------------------------------------------------------- person pairs
    def coattendance_edges(
        self,
        *,
        weight: str = "count",
        min_weight: float | None = None,
        events: Iterable[Hashable] | None = None,
        max_event_size: int | None = None,
        max_memory: int | None = DEFAULT_MAX_MEMORY,
    ) -> pd.DataFrame:
        """:func:`connectnet.coattendance_edges` of this dataset, computed in the engine
        (pairs below ``min_weight`` never leave it). ``max_memory`` bounds the memory of
        the pairs brought into pandas (all of them when ``min_weight`` is None)."""
        if weight not in ("count", "jaccard", "newman"):
            msg = f"`weight` must be one of ['count', 'jaccard', 'newman']; got {weight!r}."
            raise ValueError(msg)
        att, _ = self._events_view(events)
        dropped: list[Hashable] = []
        if max_event_size is not None:
            if max_event_size < 1:
                msg = (
                    f"`max_event_size` must be a positive number of people; got {max_event_size}."
                )
                raise ValueError(msg)
            big = self._sql(q.events_larger_than(att, max_event_size))
            dropped = big["event_id"].tolist()
            if dropped:
                logger.warning(
                    "%d event(s) with more than %d attendees left out of the co-attendance "
                    "projection: %s",
                    len(dropped),
                    max_event_size,
                    ", ".join(map(repr, dropped[:10])),
                )
                codes = ", ".join(str(int(i)) for i in big["_i"])
                att = f"(SELECT * FROM {att} a WHERE a.e NOT IN ({codes}))"
        if max_memory is not None and min_weight is None:
            pairs = int(self._sql(q.pair_budget(att))["pairs"].iloc[0] or 0)
            if pairs * _BYTES_PER_PAIR > max_memory:
                top = self._sql(q.largest_events(att, 5))
                largest = ", ".join(
                    f"{e!r} ({n} people, {n * (n - 1) // 2:,} pairs)"
                    for e, n in zip(top["event_id"], top["n"].astype(int), strict=True)
                )
                msg = (
                    f"co-attendance would bring {pairs:,} person pairs into memory, about "
                    f"{pairs * _BYTES_PER_PAIR / 2**30:.1f} GiB, over the budget `max_memory` "
                    f"= {max_memory / 2**30:.1f} GiB. Largest events: {largest}. Pass "
                    "`min_weight` (pairs below it stay in the engine), `max_event_size=N`, "
                    "select events with `events=`, or use organisation_graph / sector_graph "
                    "(no person pairs)."
                )
                raise ValueError(msg)
        found = self.backend.arrays(q.person_pairs(att, weight, min_weight))
        i, j = found["i"].astype(np.int64), found["j"].astype(np.int64)
        order = np.lexsort((j, i))  # by first person, then second, in table order
        ids = self.backend.arrays("SELECT person_id FROM cn_people ORDER BY _i")["person_id"]
        people = pd.Index(ids.astype(object), dtype=object, name="person_id")
        cats = pd.CategoricalDtype(people, ordered=False)
        edges = pd.DataFrame(
            {
                "source": pd.Categorical.from_codes(i[order], dtype=cats),
                "target": pd.Categorical.from_codes(j[order], dtype=cats),
                "weight": found["weight"].astype(np.float64)[order],
                "shared_events": found["shared_events"].astype(np.int64)[order],
            }
        )
        edges.attrs.update(
            created_with="connectnet.coattendance_edges",
            weight=weight,
            dropped_events=dropped,
            source=self.source,
        )
        return edges

    # ---------------------------------------------------------------- attendance
    def attendance_summary(self, *, series: str | None = "programme"):  # type: ignore[no-untyped-def]
        """:func:`connectnet.attendance_summary` of this dataset, computed in the engine."""
        from connectnet.build import AttendanceSummary, _people_attendance

        # a Dataset always has an events table (derived from attendance when not given)
        columns = self._columns.get("events") or [*_SCHEMAS["events"][0], *_SCHEMAS["events"][1]]
        found = [c for c in columns if c != "event_id"]
        if series == "programme" and (
            series not in found
            or not self._sql(f"SELECT count({self.backend.ident(series)}) AS n FROM cn_events")[
                "n"
            ].iloc[0]
        ):
            series = None  # the default column is optional (absent or blank: one series)
        if series is not None and series not in found:
            msg = f"`series={series!r}` is not a column of the events table (found {found})."
            raise ValueError(msg)
        d = self.backend
        ev = self._sql(q.attendance_events(d, series))
        ids = ev["event_id"].to_numpy(dtype=object)
        dates = pd.to_datetime(ev["date"]).astype("datetime64[ns]").to_numpy()
        attendees = ev["attendees"].to_numpy(dtype=np.int64)
        first_timers = ev["first_timers"].to_numpy(dtype=np.int64)
        labelled = ev["s"].notna().to_numpy()
        ok = labelled & (ev["opens"].to_numpy() == 0) & (attendees > 0)
        retention = np.full(len(ids), np.nan)
        retention[ok] = ev["back"].to_numpy(dtype=np.float64)[ok] / attendees[ok]
        labels = np.full(len(ids), None, dtype=object)
        if series is not None:
            labels[labelled] = ev["s"].to_numpy(dtype=object)[labelled]
        eindex = pd.Index(ids, name="event_id", dtype=object)
        out = pd.DataFrame(
            {
                "date": pd.to_datetime(dates),
                "attendees": attendees,
                "first_timers": first_timers,
                "returners": attendees - first_timers,
                "series": pd.Series(labels, index=eindex, dtype=object),
                "retention": retention,
            },
            index=eindex,
        )
        people = self._sql(q.attendance_people(d))
        by_sector = self._sql(q.attendance_by_sector(d))
        for label in _label_order(people["sector"]):
            counts = np.zeros(len(ids), dtype=np.int64)
            rows = by_sector[by_sector["sector"] == label]
            counts[rows["rk"].to_numpy(dtype=np.int64)] = rows["n"].to_numpy(dtype=np.int64)
            out[f"sector_{label}"] = counts
        ppl = _people_attendance(
            people["person_id"].to_numpy(dtype=object),
            people["sector"].to_numpy(dtype=object),
            people["n"].to_numpy(dtype=np.int64),
            people["f"].to_numpy(dtype=np.int64),
            people["l"].to_numpy(dtype=np.int64),
            ids,
            dates,
        )
        return AttendanceSummary(out, ppl)

    # ------------------------------------------------------------------ contacts
    def contact_graph(
        self, *, wave: str | int | Iterable[str | int] | None = None, symmetrise: str | None = None
    ) -> LazyContacts:
        """The contact graph that :func:`connectnet.contact_graph` would build, kept in
        the engine for the group-level bridging functions.

        Parameters
        ----------
        wave, symmetrise
            As :func:`connectnet.contact_graph`.

        Returns
        -------
        LazyContacts

        Examples
        --------
        >>> import connectnet as cn
        >>> lazy = cn.scan_dataset(cn.sample_path("prison_health"))
        >>> ties = lazy.contact_graph(wave="baseline", symmetrise="union")
        >>> round(cn.ei_index(ties, "sector"), 12) == round(cn.ei_index(
        ...     cn.contact_graph(cn.load_sample("prison_health"), wave="baseline",
        ...                      symmetrise="union"), "sector"), 12)
        True
        """
        if symmetrise is not None and symmetrise not in ("union", "mutual", "max", "sum"):
            msg = (
                "`symmetrise` must be None or one of ['union', 'mutual', 'max', 'sum']; "
                f"got {symmetrise!r}."
            )
            raise ValueError(msg)
        waves = None
        if wave is not None:
            given = (
                [wave]
                if isinstance(wave, (str, bytes)) or not isinstance(wave, Iterable)
                else list(wave)
            )
            waves = [_wave_label(w) for w in given]
            known = self.waves
            unknown = [w for w in waves if w not in known]
            if unknown:
                msg = f"`wave` {unknown} not in the contacts table; waves found: {known}."
                raise ValueError(msg)
        return LazyContacts(self, tuple(waves) if waves is not None else None, symmetrise)

    # A LazyDataset given to a bridging function stands for its directed contact graph.
    def mixing_matrix(
        self, attr: str = "sector", *, weight: str | None = None, normalise: bool = False
    ) -> pd.DataFrame:
        """:func:`connectnet.mixing_matrix` of every contact (directed), in the engine."""
        return self.contact_graph().mixing_matrix(attr, weight=weight, normalise=normalise)

    def block_density(self, attr: str = "sector") -> pd.DataFrame:
        """:func:`connectnet.block_density` of every contact (directed), in the engine."""
        return self.contact_graph().block_density(attr)

    def ei_index(self, attr: str = "sector", *, weight: str | None = None) -> float:
        """:func:`connectnet.ei_index` of every contact (directed), in the engine."""
        return self.contact_graph().ei_index(attr, weight=weight)

    def group_ei_index(
        self, attr: str = "sector", *, weight: str | None = None, count: str = "ties"
    ) -> pd.Series:
        """:func:`connectnet.group_ei_index` of every contact (directed), in the engine."""
        return self.contact_graph().group_ei_index(attr, weight=weight, count=count)


@dataclass(frozen=True)
class LazyContacts:
    """A contact graph kept in the engine (from :meth:`LazyDataset.contact_graph`).

    :func:`connectnet.mixing_matrix`, :func:`connectnet.block_density`,
    :func:`connectnet.ei_index` and :func:`connectnet.group_ei_index` accept it (and a
    :class:`LazyDataset`, meaning its directed graph of every contact) and return what
    they return for the graph :func:`connectnet.contact_graph` builds: nodes are every
    person, ties are arcs (summed ``weight``) or, when symmetrised, pairs.
    """

    data: LazyDataset
    wave: tuple[str, ...] | None = None
    symmetrise: str | None = None

    @property
    def directed(self) -> bool:
        return self.symmetrise is None

    def _table(self, attr: str, weight: str | None) -> tuple[np.ndarray, np.ndarray, pd.Index]:
        """Group x group ties (or summed weights) and group sizes, in label order."""
        if weight not in (None, "weight"):
            msg = (
                "`weight` must be None or 'weight' for a contact graph in the engine; "
                f"got {weight!r}."
            )
            raise ValueError(msg)
        lazy = self.data
        lazy._people_column(attr)
        d = lazy.backend
        missing = lazy._sql(q.missing_group(d, attr, _LISTED))
        if len(missing):
            first = ", ".join(repr(v) for v in missing["person_id"])
            msg = (
                f"{int(missing['_total'].iloc[0])} node(s) have no `{attr}` attribute (first: "
                f"{first}). Give every person a `{attr}` in the people table."
            )
            raise ValueError(msg)
        groups, size = lazy._group_codes(attr)
        k = len(groups)
        ties = lazy._sql(q.group_ties(d, q.contact_ties(self.wave, self.symmetrise), attr))
        values = ties["weight" if weight else "ties"].to_numpy(dtype=np.float64)
        table = np.zeros((k, k))
        np.add.at(
            table,
            (ties["gu"].to_numpy(dtype=np.int64), ties["gv"].to_numpy(dtype=np.int64)),
            values,
        )
        n = size.reindex(groups).to_numpy(dtype=np.float64)
        index = pd.Index(np.asarray(groups, dtype=object), name=attr, tupleize_cols=False)
        return table, n, index

    def mixing_matrix(
        self, attr: str = "sector", *, weight: str | None = None, normalise: bool = False
    ) -> pd.DataFrame:
        """:func:`connectnet.mixing_matrix` of this graph, computed in the engine."""
        table, _, index = self._table(attr, weight)
        if not self.directed:
            table = table + table.T
        if normalise:
            table = _float_ratio(table, table.sum())
        return pd.DataFrame(table, index=index, columns=index.copy())

    def block_density(self, attr: str = "sector") -> pd.DataFrame:
        """:func:`connectnet.block_density` of this graph, computed in the engine."""
        table, sizes, index = self._table(attr, None)
        if not self.directed:
            table = table + table.T
        pairs = np.outer(sizes, sizes)
        np.fill_diagonal(pairs, sizes * (sizes - 1))
        out = pd.DataFrame(_float_ratio(table, pairs), index=index, columns=index.copy())
        diagonal = np.eye(len(index), dtype=bool)
        out.attrs["within"] = float(_float_ratio(table[diagonal].sum(), pairs[diagonal].sum()))
        out.attrs["between"] = float(_float_ratio(table[~diagonal].sum(), pairs[~diagonal].sum()))
        return out

    def ei_index(self, attr: str = "sector", *, weight: str | None = None) -> float:
        """:func:`connectnet.ei_index` of this graph, computed in the engine."""
        table, _, _ = self._table(attr, weight)
        internal = float(np.trace(table))
        external = float(table.sum()) - internal
        total = external + internal
        return float((external - internal) / total) if total else float("nan")

    def group_ei_index(
        self, attr: str = "sector", *, weight: str | None = None, count: str = "ties"
    ) -> pd.Series:
        """:func:`connectnet.group_ei_index` of this graph, computed in the engine."""
        if count not in ("ties", "members"):
            msg = f"`count` must be one of 'ties', 'members'; found {count!r}."
            raise ValueError(msg)
        table, _, index = self._table(attr, weight)
        internal = np.diag(table).copy()
        off = table - np.diag(internal)
        external = off.sum(axis=1) + off.sum(axis=0)
        if count == "members":
            internal = 2.0 * internal
        values = _float_ratio(external - internal, external + internal)
        return pd.Series(values, index=index, name="group_ei_index")
