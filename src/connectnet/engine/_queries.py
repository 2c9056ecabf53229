"""Private: every validation rule and aggregation of the engine as one SQL query.

The queries are written once, in the SQL that DuckDB and Spark share; the few functions
spelled differently (whitespace trimming, regular expressions, dates, row numbers) come
from the backend's dialect methods (``d.strip(...)`` and so on). Views used below:

``cn_in_<t>``
    the source as given (original headers);
``cn_cells_<t>``
    one text column per connectnet column, cells trimmed, every row;
``cn_all_<t>``
    the same without exact repeats once they are dropped: counts run here, so they
    never number rows;
``cn_r_<t>``
    the same with ``_row``, the spreadsheet row (header = 1) of each row: read only to
    list the first rows a rule found;
``cn_people``, ``cn_orgs``, ``cn_events``, ``cn_att``, ``cn_con``
    the kept rows after validation, materialised once as tables when the scan ends (so
    no aggregation recomputes the cleaning): ``_pos`` (table order) on the entity
    tables, and on people and events ``_i``, a dense integer code (0, 1, ... in table
    order); ``cn_att(e, p)`` holds each (event, person) pair once as codes, and
    ``cn_con(u, v, wave, weight)`` the contacts with people codes.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence

from connectnet.engine._backends import Backend, _literal

__all__: list[str] = []


def in_list(values: Sequence[str]) -> str:
    return "(" + ", ".join(_literal(v) for v in values) + ")"


# ----------------------------------------------------------------------- reading


def cells(
    d: Backend, source: str, mapping: Mapping[str, str | None], padded: Collection[str]
) -> str:
    """Every connectnet column as text ('' when missing), trimmed where some cells of the
    column are ``padded``; ``mapping`` maps our column to the source's header (``None``:
    the optional column is absent)."""
    parts = []
    for ours, theirs in mapping.items():
        if theirs is None:
            parts.append(f"'' AS {d.ident(ours)}")
        else:
            text = f"CAST({d.ident(theirs)} AS STRING)"
            if ours in padded:
                text = d.strip(text)
            parts.append(f"coalesce({text}, '') AS {d.ident(ours)}")
    return f"SELECT {', '.join(parts)} FROM {d.ident(source)}"


def numbered(d: Backend, view: str) -> str:
    return f"SELECT *, {d.row_index()} + 1 AS _row FROM {d.ident(view)}"


def not_blank(d: Backend, columns: Sequence[str]) -> str:
    return "NOT (" + " AND ".join(f"{d.ident(c)} = ''" for c in columns) + ")"


def trimmed_counts(d: Backend, source: str, mapping: Mapping[str, str | None]) -> str:
    """Cells per column with spaces before or after the text."""
    sums = []
    for ours, theirs in mapping.items():
        if theirs is None:
            continue
        raw = f"CAST({d.ident(theirs)} AS STRING)"
        sums.append(f"sum(CASE WHEN {raw} <> {d.strip(raw)} THEN 1 ELSE 0 END) AS {d.ident(ours)}")
    return f"SELECT count(*) AS _read, {', '.join(sums)} FROM {d.ident(source)}"


def count_where(d: Backend, view: str, condition: str) -> str:
    return f"SELECT count(*) AS n FROM {d.ident(view)} WHERE {condition}"


def first_where(d: Backend, view: str, condition: str, columns: Sequence[str], n: int) -> str:
    cols = ", ".join(["_row", *(d.ident(c) for c in columns)])
    return f"SELECT {cols} FROM {d.ident(view)} WHERE {condition} ORDER BY _row LIMIT {n}"


def repeated(d: Backend, view: str, keys: Sequence[str], condition: str, n: int) -> str:
    """Rows repeating an earlier row on ``keys`` (first ``n`` by row), with the first row
    of their group; plus, in ``_total``, how many such rows there are."""
    k = ", ".join(d.ident(c) for c in keys)
    return f"""
    WITH r AS (
        SELECT _row, {k},
               row_number() OVER (PARTITION BY {k} ORDER BY _row) AS _rank,
               min(_row) OVER (PARTITION BY {k}) AS _first
        FROM {d.ident(view)} WHERE {condition}
    )
    SELECT _row, _first, {k}, count(*) OVER () AS _total FROM r WHERE _rank > 1
    ORDER BY _row LIMIT {n}"""


def repeated_count(d: Backend, view: str, keys: Sequence[str], condition: str) -> str:
    k = ", ".join(d.ident(c) for c in keys)
    return f"""
    SELECT coalesce(sum(n - 1), 0) AS n FROM (
        SELECT count(*) AS n FROM {d.ident(view)} WHERE {condition} GROUP BY {k}
    ) g WHERE n > 1"""


def duplicate_keys(d: Backend, view: str, key: str, n: int) -> str:
    """Ids given on more than one row, with their rows (first ``n`` ids by first row)."""
    k = d.ident(key)
    return f"""
    WITH g AS (
        SELECT {k} AS id, min(_row) AS first_row, count(*) AS n FROM {d.ident(view)}
        WHERE {k} <> '' GROUP BY {k} HAVING count(*) > 1
    ), top AS (SELECT id, first_row, count(*) OVER () AS _total FROM g
               ORDER BY first_row LIMIT {n})
    SELECT top.id, top._total, r._row FROM top JOIN {d.ident(view)} r ON r.{k} = top.id
    ORDER BY top.first_row, r._row"""


def unknown_refs(d: Backend, view: str, column: str, known: str, key: str, cond: str) -> str:
    """Rows of ``view`` naming an id (in ``column``) missing from ``known``'s ``key``."""
    c = d.ident(column)
    return f"""
    SELECT x.* FROM {d.ident(view)} x LEFT JOIN (SELECT DISTINCT {d.ident(key)} AS k
    FROM {d.ident(known)}) y ON x.{c} = y.k
    WHERE {cond} AND x.{c} <> '' AND y.k IS NULL"""


def unknown_summary(d: Backend, refs: str, column: str, n: int) -> str:
    c = d.ident(column)
    return f"""
    WITH u AS ({refs})
    SELECT _row, {c} AS value, count(*) OVER () AS _rows,
           (SELECT count(DISTINCT {c}) FROM u) AS _ids
    FROM u ORDER BY _row LIMIT {n}"""


def distinct_new_ids(d: Backend, refs: Sequence[tuple[str, str]]) -> str:
    """Distinct ids from several (query, column) reference sets, in first-seen order."""
    parts = [
        f"SELECT {d.ident(col)} AS id, {i} AS src, _row FROM ({q}) q{i}"
        for i, (q, col) in enumerate(refs)
    ]
    union = " UNION ALL ".join(parts)
    return f"""
    SELECT id, row_number() OVER (ORDER BY src, _row) - 1 AS _order FROM (
        SELECT id, src, _row, row_number() OVER (PARTITION BY id ORDER BY src, _row) AS k
        FROM ({union}) a
    ) b WHERE k = 1"""


def near_id_candidates(d: Backend, view: str, key: str, wanted: Sequence[str]) -> str:
    """Known ids that may be a wanted id up to case or leading zeros (for hints)."""
    k = d.ident(key)
    condition = f"lower({k}) IN {in_list([w.casefold() for w in wanted])}"
    numbers = sorted({str(int(w)) for w in wanted if w.isdigit()})
    if numbers:
        condition += f" OR TRY_CAST({k} AS BIGINT) IN ({', '.join(numbers)})"
    return f"SELECT DISTINCT {k} AS id FROM {d.ident(view)} WHERE {condition}"


def label_spellings(d: Backend, sources: Sequence[tuple[str, str]], column: str) -> str:
    """Each spelling of a label column across tables: its count and where it is first
    seen (table order, then row)."""
    c = d.ident(column)
    parts = [
        f"SELECT {c} AS value, {i} AS src, {pos} AS pos FROM {d.ident(view)} WHERE {c} <> ''"
        for i, (view, pos) in enumerate(sources)
    ]
    return f"""
    SELECT value, count(*) AS n, min(src * 1000000000000 + pos) AS first_seen
    FROM ({" UNION ALL ".join(parts)}) s GROUP BY value"""


# ------------------------------------------------------------------- aggregations
#
# The kept tables are materialised once at scan time (see _validate.clean_views), with
# dense integer codes: ``cn_people._i`` and ``cn_events._i`` number people and events in
# table order from 0, and ``cn_att(e, p)`` / ``cn_con(u, v, wave, weight)`` hold those
# codes, so every join below is on integers and no view is recomputed.


def newman_weight(n: str) -> str:
    """``1 / (n - 1)``, the newman weight of an event of ``n`` attendees (0 when alone)."""
    return f"CASE WHEN {n} > 1 THEN CAST(1 AS DOUBLE) / ({n} - 1) ELSE CAST(0 AS DOUBLE) END"


def group_codes(d: Backend, attr: str) -> str:
    """Each person's group code (``cn_groups`` maps the labels to codes in the order the
    in-memory path uses); people with no label are left out."""
    return f"""
    SELECT p._i AS p, CAST(m.code AS INT) AS g FROM cn_people p
    JOIN cn_groups m ON p.{d.ident(attr)} = m.label"""


def event_sizes(att: str) -> str:
    return f"SELECT e, count(*) AS n FROM {att} GROUP BY e"


def group_counts(d: Backend, att: str, attr: str, newman: bool) -> str:
    """``(e, g, c, we)``: ``c`` members of group ``g`` at event ``e``, ``we`` the event's
    weight (1, or 1/(n_e − 1) for newman)."""
    cg = f"""SELECT a.e, pg.g, count(*) AS c FROM {att} a JOIN ({group_codes(d, attr)}) pg
             ON a.p = pg.p GROUP BY a.e, pg.g"""
    if newman:
        return f"""SELECT cg.e, cg.g, cg.c, {newman_weight("ev.n")} AS we FROM ({cg}) cg
                   JOIN ({event_sizes(att)}) ev ON cg.e = ev.e"""
    return f"SELECT e, g, c, 1 AS we FROM ({cg}) cg"


def pair_rows(counts: str) -> str:
    """How many rows the self-join of the group counts yields: Σ_e k_e (k_e − 1) / 2
    with k_e the groups at event e (a bound on the group pairs)."""
    return f"""
    SELECT coalesce(sum(k * (k - 1) / 2), 0) AS n FROM
    (SELECT e, count(*) AS k FROM {counts} GROUP BY e) x"""


def group_loops(counts: str) -> str:
    """Summed co-attendance weight within each group: W_AA = Σ_e w_e C_Ae (C_Ae − 1) / 2."""
    return f"""
    SELECT g AS u, g AS v, sum(we * c * (c - 1)) / 2 AS weight FROM {counts}
    WHERE c > 1 GROUP BY g"""


def group_pairs(counts: str, part: int, parts: int) -> str:
    """Summed co-attendance weight between groups, W_AB = Σ_e w_e C_Ae C_Be (A < B),
    never forming person pairs; only the pairs whose first group ``A`` has
    ``A % parts = part``, so each query's aggregate holds one part of the pairs (at
    national scale all of them at once would spill tens of GB to disk)."""
    only = "" if parts == 1 else f"WHERE a.g % {int(parts)} = {int(part)}"
    return f"""
    SELECT a.g AS u, b.g AS v, sum(a.we * a.c * b.c) AS weight
    FROM {counts} a JOIN {counts} b ON a.e = b.e AND a.g < b.g {only}
    GROUP BY a.g, b.g"""


def pair_totals(d: Backend, att: str, attr: str, newman: bool) -> str:
    """Summed weight of every person pair (``total``) and of the pairs whose two people
    have a group (``assigned``): Σ_e w_e n_e (n_e − 1) / 2 with n_e all attendees, or
    only those with a group."""
    we = newman_weight("n") if newman else "1"
    return f"""
    WITH ev AS (SELECT a.e, count(*) AS n, count(pg.g) AS m FROM {att} a
                LEFT JOIN ({group_codes(d, attr)}) pg ON a.p = pg.p GROUP BY a.e)
    SELECT coalesce(sum({we} * n * (n - 1)) / 2, 0) AS total,
           coalesce(sum({we} * m * (m - 1)) / 2, 0) AS assigned FROM ev"""


def group_sizes(d: Backend, attr: str) -> str:
    """People per group label (NULL: no label)."""
    return f"SELECT {d.ident(attr)} AS g, count(*) AS n FROM cn_people GROUP BY {d.ident(attr)}"


def person_pairs(att: str, weight: str, min_weight: float | None) -> str:
    """Person pairs sharing an event (``i < j``: people codes) with their weight."""
    if weight == "count":
        w = "CAST(count(*) AS DOUBLE)"
    elif weight == "newman":
        w = "sum(CAST(1 AS DOUBLE) / (ev.n - 1))"
    else:  # jaccard: shared / (d_i + d_j - shared)
        w = "count(*) / (max(di.d) + max(dj.d) - count(*))"
    jaccard_joins = (
        "JOIN deg di ON di.p = a.p JOIN deg dj ON dj.p = b.p" if weight == "jaccard" else ""
    )
    having = "" if min_weight is None else f"HAVING {w} >= {float(min_weight)!r}"
    return f"""
    WITH ev AS ({event_sizes(att)}),
    deg AS (SELECT p, count(*) AS d FROM {att} GROUP BY p),
    multi AS (SELECT a.e, a.p FROM {att} a JOIN ev ON a.e = ev.e WHERE ev.n > 1)
    SELECT a.p AS i, b.p AS j, {w} AS weight, count(*) AS shared_events
    FROM multi a JOIN multi b ON a.e = b.e AND a.p < b.p
    JOIN ev ON ev.e = a.e {jaccard_joins}
    GROUP BY a.p, b.p {having}"""


def pair_budget(att: str) -> str:
    return f"""
    SELECT coalesce(sum(n * (n - 1) / 2), 0) AS pairs FROM ({event_sizes(att)}) e"""


def largest_events(att: str, n: int) -> str:
    return f"""
    SELECT x.event_id, e.n FROM ({event_sizes(att)}) e JOIN cn_events x
    ON e.e = x._i ORDER BY e.n DESC, x._i LIMIT {n}"""


def events_larger_than(att: str, n: int) -> str:
    """Events (codes and ids, table order) with more than ``n`` attendees."""
    return f"""
    SELECT x._i, x.event_id FROM ({event_sizes(att)}) e JOIN cn_events x ON e.e = x._i
    WHERE e.n > {int(n)} ORDER BY x._i"""


def event_rank(d: Backend, series: str | None) -> str:
    """Events in date order (undated last, then table order) with their series label
    ``s`` (a constant when ``series`` is ``None``: one series)."""
    label = "'-'" if series is None else d.ident(series)
    return f"""
    SELECT _i, event_id, date, {label} AS s,
           row_number() OVER (ORDER BY date IS NULL, date, _i) - 1 AS rk
    FROM cn_events"""


def attendance_events(d: Backend, series: str | None) -> str:
    """Per event (by rank): attendees, first-timers, and attendees who came to an
    earlier event of the same series (``back``); whether it opens its series."""
    return f"""
    WITH ev AS ({event_rank(d, series)}),
    ar AS (SELECT a.p, ev.rk, ev.s FROM cn_att a JOIN ev ON a.e = ev._i),
    firsts AS (SELECT p, min(rk) AS f FROM ar GROUP BY p),
    size AS (SELECT rk, count(*) AS attendees FROM ar GROUP BY rk),
    ft AS (SELECT f AS rk, count(*) AS first_timers FROM firsts GROUP BY f),
    again AS (
        SELECT rk, count(*) AS back FROM (
            SELECT rk, row_number() OVER (PARTITION BY p, s ORDER BY rk) AS k
            FROM ar WHERE s IS NOT NULL
        ) x WHERE k > 1 GROUP BY rk
    ),
    opens AS (SELECT min(rk) AS rk FROM ev WHERE s IS NOT NULL GROUP BY s)
    SELECT ev.event_id, ev.date, ev.rk, ev.s, coalesce(size.attendees, 0) AS attendees,
           coalesce(ft.first_timers, 0) AS first_timers, coalesce(again.back, 0) AS back,
           CASE WHEN opens.rk IS NULL THEN 0 ELSE 1 END AS opens
    FROM ev LEFT JOIN size ON size.rk = ev.rk LEFT JOIN ft ON ft.rk = ev.rk
    LEFT JOIN again ON again.rk = ev.rk LEFT JOIN opens ON opens.rk = ev.rk
    ORDER BY ev.rk"""


def attendance_by_sector(d: Backend) -> str:
    return f"""
    WITH ev AS ({event_rank(d, None)})
    SELECT ev.rk, coalesce(p.sector, 'unknown') AS sector, count(*) AS n
    FROM cn_att a JOIN ev ON a.e = ev._i
    JOIN cn_people p ON p._i = a.p GROUP BY ev.rk, coalesce(p.sector, 'unknown')"""


def attendance_people(d: Backend) -> str:
    return f"""
    WITH ev AS ({event_rank(d, None)}),
    ar AS (SELECT a.p, ev.rk FROM cn_att a JOIN ev ON a.e = ev._i),
    pp AS (SELECT p, count(*) AS n, min(rk) AS f, max(rk) AS l FROM ar GROUP BY p)
    SELECT p.person_id, coalesce(p.sector, 'unknown') AS sector, coalesce(pp.n, 0) AS n,
           coalesce(pp.f, -1) AS f, coalesce(pp.l, -1) AS l
    FROM cn_people p LEFT JOIN pp ON pp.p = p._i ORDER BY p._i"""


def contact_ties(waves: Sequence[str] | None, symmetrise: str | None) -> str:
    """Ties of the contact graph (people codes): arcs (summed weight) or undirected pairs
    by rule."""
    where = "" if waves is None else f"WHERE wave IN {in_list(waves)}"
    arcs = f"""SELECT u, v, sum(weight) AS w FROM cn_con {where} GROUP BY u, v"""
    if symmetrise is None:
        return arcs
    pair = {
        "union": "CAST(1 AS DOUBLE)",
        "mutual": "CAST(1 AS DOUBLE)",
        "max": "max(w)",
        "sum": "sum(w)",
    }[symmetrise]
    having = "HAVING count(*) > 1" if symmetrise == "mutual" else ""
    return f"""
    SELECT least(u, v) AS u, greatest(u, v) AS v, {pair} AS w
    FROM ({arcs}) a GROUP BY least(u, v), greatest(u, v) {having}"""


def group_ties(d: Backend, ties: str, attr: str) -> str:
    """Ties and summed weight from group to group (rows: first end / sender), by code."""
    people = group_codes(d, attr)
    return f"""
    SELECT pu.g AS gu, pv.g AS gv, count(*) AS ties, sum(t.w) AS weight
    FROM ({ties}) t JOIN ({people}) pu ON pu.p = t.u
    JOIN ({people}) pv ON pv.p = t.v GROUP BY pu.g, pv.g"""


def missing_group(d: Backend, attr: str, n: int) -> str:
    return f"""
    SELECT person_id, count(*) OVER () AS _total FROM cn_people
    WHERE {d.ident(attr)} IS NULL ORDER BY _i LIMIT {n}"""
