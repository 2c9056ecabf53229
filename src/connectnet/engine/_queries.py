"""Private: every validation rule and aggregation of the engine as one SQL query.

The queries are written once, in the SQL that DuckDB and Spark share; the few functions
spelled differently (whitespace trimming, regular expressions, dates, row numbers) come
from the backend's dialect methods (``d.strip(...)`` and so on). Views used below:

``cn_in_<t>``
    the source as given (original headers);
``cn_all_<t>``
    one text column per connectnet column, cells trimmed, every row;
``cn_r_<t>``
    ``cn_all_<t>`` with ``_row``, the spreadsheet row (header = 1) of each row;
``cn_people``, ``cn_orgs``, ``cn_events``, ``cn_att``, ``cn_con``, ``cn_resp``
    the kept rows after validation, with ``_pos`` (table order) on the entity tables;
    ``cn_att`` holds each (event, person) pair once.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from connectnet.engine._backends import Backend, _literal

__all__: list[str] = []


def in_list(values: Sequence[str]) -> str:
    return "(" + ", ".join(_literal(v) for v in values) + ")"


# ----------------------------------------------------------------------- reading


def cells(d: Backend, source: str, mapping: Mapping[str, str | None]) -> str:
    """Every connectnet column as trimmed text ('' when missing); ``mapping`` maps our
    column to the source's header (``None``: the optional column is absent)."""
    parts = []
    for ours, theirs in mapping.items():
        if theirs is None:
            parts.append(f"'' AS {d.ident(ours)}")
        else:
            text = d.strip(f"CAST({d.ident(theirs)} AS STRING)")
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
    cols = ", ".join(d.ident(c) for c in columns)
    return f"SELECT _row, {cols} FROM {d.ident(view)} WHERE {condition} ORDER BY _row LIMIT {n}"


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


def group_of_people(d: Backend, attr: str) -> str:
    """Each person's group label (NULL when missing)."""
    return f"SELECT person_id, _pos, {d.ident(attr)} AS g FROM cn_people"


def event_sizes(att: str) -> str:
    return f"SELECT event_id, count(*) AS n FROM {att} GROUP BY event_id"


def group_weights(d: Backend, att: str, attr: str, newman: bool) -> str:
    """Summed co-attendance weight between and within groups, never forming person
    pairs: W_AB = Σ_e w_e C_Ae C_Be and W_AA = Σ_e w_e C_Ae (C_Ae − 1) / 2 (C_Ae: members
    of A at event e; w_e = 1, or 1/(n_e − 1) for newman)."""
    we = (
        "CASE WHEN ev.n > 1 THEN CAST(1 AS DOUBLE) / (ev.n - 1) ELSE CAST(0 AS DOUBLE) END"
        if newman
        else "1"
    )
    return f"""
    WITH ev AS ({event_sizes(att)}),
    cg AS (
        SELECT a.event_id, p.g, count(*) AS c
        FROM {att} a JOIN ({group_of_people(d, attr)}) p ON a.person_id = p.person_id
        WHERE p.g IS NOT NULL GROUP BY a.event_id, p.g
    ),
    w AS (SELECT cg.event_id, cg.g, cg.c, {we} AS we FROM cg JOIN ev ON cg.event_id = ev.event_id)
    SELECT a.g AS u, b.g AS v, sum(a.we * a.c * b.c) AS weight
    FROM w a JOIN w b ON a.event_id = b.event_id AND a.g < b.g GROUP BY a.g, b.g
    UNION ALL
    SELECT g AS u, g AS v, sum(we * c * (c - 1) / 2) AS weight FROM w GROUP BY g"""


def total_pair_weight(att: str, newman: bool) -> str:
    we = (
        "CASE WHEN n > 1 THEN CAST(1 AS DOUBLE) / (n - 1) ELSE CAST(0 AS DOUBLE) END"
        if newman
        else "1"
    )
    return f"SELECT coalesce(sum({we} * n * (n - 1) / 2), 0) AS total FROM ({event_sizes(att)}) e"


def group_sizes(d: Backend, attr: str) -> str:
    return f"SELECT g, count(*) AS n FROM ({group_of_people(d, attr)}) p GROUP BY g"


def person_pairs(att: str, weight: str, min_weight: float | None) -> str:
    """Person pairs sharing an event (``pi < pj`` in people order) with their weight."""
    if weight == "count":
        w = "CAST(count(*) AS DOUBLE)"
    elif weight == "newman":
        w = "sum(CAST(1 AS DOUBLE) / (ev.n - 1))"
    else:  # jaccard: shared / (d_i + d_j - shared)
        w = "count(*) / (max(di.d) + max(dj.d) - count(*))"
    jaccard_joins = (
        "JOIN deg di ON di._pos = a._pos JOIN deg dj ON dj._pos = b._pos"
        if weight == "jaccard"
        else ""
    )
    having = "" if min_weight is None else f"HAVING {w} >= {float(min_weight)!r}"
    return f"""
    WITH ap AS (SELECT a.event_id, p._pos FROM {att} a JOIN cn_people p
                ON a.person_id = p.person_id),
    ev AS ({event_sizes(att)}),
    deg AS (SELECT _pos, count(*) AS d FROM ap GROUP BY _pos),
    multi AS (SELECT ap.event_id, ap._pos FROM ap JOIN ev ON ap.event_id = ev.event_id
              WHERE ev.n > 1)
    SELECT a._pos AS i, b._pos AS j, {w} AS weight, count(*) AS shared_events
    FROM multi a JOIN multi b ON a.event_id = b.event_id AND a._pos < b._pos
    JOIN ev ON ev.event_id = a.event_id {jaccard_joins}
    GROUP BY a._pos, b._pos {having}
    ORDER BY i, j"""


def pair_budget(att: str) -> str:
    return f"""
    SELECT coalesce(sum(n * (n - 1) / 2), 0) AS pairs FROM ({event_sizes(att)}) e"""


def largest_events(att: str, n: int) -> str:
    return f"""
    SELECT e.event_id, e.n FROM ({event_sizes(att)}) e JOIN cn_events x
    ON e.event_id = x.event_id ORDER BY e.n DESC, x._pos LIMIT {n}"""


def event_rank(d: Backend, series: str | None) -> str:
    """Events in date order (undated last, then table order), with the rank of the event
    retention is measured from (the one before, or the one before in the same series)."""
    order = "date IS NULL, date, _pos"
    if series is None:
        prev = "rk - 1"
        part = ""
    else:
        s = d.ident(series)
        prev = f"CASE WHEN {s} IS NULL THEN -1 ELSE coalesce(lag(rk) OVER (PARTITION BY {s} ORDER BY rk), -1) END"  # noqa: E501
        part = f", {s}"
    return f"""
    SELECT event_id, date, rk, {prev} AS prev FROM (
        SELECT event_id, date{part}, row_number() OVER (ORDER BY {order}) - 1 AS rk
        FROM cn_events
    ) e"""


def attendance_events(d: Backend, series: str | None) -> str:
    """Per event (by rank): attendees, first-timers, overlap with the previous event and
    attendees by sector."""
    return f"""
    WITH ev AS ({event_rank(d, series)}),
    ar AS (SELECT a.person_id, ev.rk FROM cn_att a JOIN ev ON a.event_id = ev.event_id),
    firsts AS (SELECT person_id, min(rk) AS f FROM ar GROUP BY person_id),
    size AS (SELECT rk, count(*) AS attendees FROM ar GROUP BY rk),
    ft AS (SELECT f AS rk, count(*) AS first_timers FROM firsts GROUP BY f),
    ov AS (
        SELECT ev.rk, count(*) AS overlap FROM ev
        JOIN ar cur ON cur.rk = ev.rk
        JOIN ar pre ON pre.rk = ev.prev AND pre.person_id = cur.person_id
        GROUP BY ev.rk
    )
    SELECT ev.event_id, ev.date, ev.rk, ev.prev, coalesce(size.attendees, 0) AS attendees,
           coalesce(ft.first_timers, 0) AS first_timers, coalesce(ov.overlap, 0) AS overlap
    FROM ev LEFT JOIN size ON size.rk = ev.rk LEFT JOIN ft ON ft.rk = ev.rk
    LEFT JOIN ov ON ov.rk = ev.rk ORDER BY ev.rk"""


def attendance_by_sector(d: Backend) -> str:
    return f"""
    WITH ev AS ({event_rank(d, None)})
    SELECT ev.rk, coalesce(p.sector, 'unknown') AS sector, count(*) AS n
    FROM cn_att a JOIN ev ON a.event_id = ev.event_id
    JOIN cn_people p ON p.person_id = a.person_id GROUP BY ev.rk, coalesce(p.sector, 'unknown')"""


def attendance_people(d: Backend) -> str:
    return f"""
    WITH ev AS ({event_rank(d, None)}),
    ar AS (SELECT a.person_id, ev.rk FROM cn_att a JOIN ev ON a.event_id = ev.event_id),
    pp AS (SELECT person_id, count(*) AS n, min(rk) AS f, max(rk) AS l FROM ar
           GROUP BY person_id)
    SELECT p.person_id, coalesce(p.sector, 'unknown') AS sector, coalesce(pp.n, 0) AS n,
           coalesce(pp.f, -1) AS f, coalesce(pp.l, -1) AS l
    FROM cn_people p LEFT JOIN pp ON pp.person_id = p.person_id ORDER BY p._pos"""


def contact_ties(waves: Sequence[str] | None, symmetrise: str | None) -> str:
    """Ties of the contact graph: arcs (summed weight) or undirected pairs by rule."""
    where = "" if waves is None else f"WHERE wave IN {in_list(waves)}"
    arcs = f"""SELECT source AS u, target AS v, sum(weight) AS w FROM cn_con {where}
               GROUP BY source, target"""
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
    SELECT CASE WHEN u < v THEN u ELSE v END AS u, CASE WHEN u < v THEN v ELSE u END AS v,
           {pair} AS w
    FROM ({arcs}) a GROUP BY CASE WHEN u < v THEN u ELSE v END,
                             CASE WHEN u < v THEN v ELSE u END {having}"""


def group_ties(d: Backend, ties: str, attr: str) -> str:
    """Ties and summed weight from group to group (rows: first end / sender)."""
    people = group_of_people(d, attr)
    return f"""
    SELECT pu.g AS gu, pv.g AS gv, count(*) AS ties, sum(t.w) AS weight
    FROM ({ties}) t JOIN ({people}) pu ON pu.person_id = t.u
    JOIN ({people}) pv ON pv.person_id = t.v GROUP BY pu.g, pv.g"""


def missing_group(d: Backend, attr: str, n: int) -> str:
    return f"""
    SELECT person_id, count(*) OVER () AS _total FROM cn_people
    WHERE {d.ident(attr)} IS NULL ORDER BY _pos LIMIT {n}"""
