"""Build networks from a :class:`~connectnet.Dataset`: who attended what, who met whom.

Every builder works on integer-coded arrays and ``scipy.sparse`` matrices; a networkx
graph is created only at the end, when the caller asked for one.

- :func:`attendance_graph` — the bipartite person–event graph.
- :func:`coattendance_edges` / :func:`coattendance_graph` — people linked by shared events
  (``count``, ``jaccard`` or ``newman`` weights), from the sparse product ``B·Bᵀ``.
- :func:`contact_graph` — reported contacts (directed, or symmetrised).
- :func:`organisation_graph` / :func:`sector_graph` — people contracted to their groups.
- :func:`snapshots` — one graph per wave, event or period over one node set.
- :func:`attendance_summary` — per-event and per-person attendance tables.
"""

from __future__ import annotations

import itertools
import logging
from collections.abc import Hashable, Iterable, Iterator, Sequence
from dataclasses import dataclass

import networkx as nx
import numpy as np
import pandas as pd
import scipy.sparse as sp

from connectnet._arrays import ArrayNetwork, factorise, graph_arrays, report_unassigned
from connectnet._limits import _BYTES_PER_PAIR, DEFAULT_MAX_MEMORY
from connectnet.data import Dataset
from connectnet.engine import LazyDataset

__all__ = [
    "DEFAULT_MAX_MEMORY",
    "AttendanceSummary",
    "attendance_graph",
    "attendance_summary",
    "coattendance_edges",
    "coattendance_graph",
    "contact_graph",
    "organisation_graph",
    "sector_graph",
    "snapshots",
]

logger = logging.getLogger(__name__)

_WEIGHTS = ("count", "jaccard", "newman")
_SYMMETRISE = ("union", "mutual", "max", "sum")


# ----------------------------------------------------------------------------- inputs


@dataclass(frozen=True, eq=False)
class _Incidence:
    """Attendance as a people × events 0/1 CSR matrix with the id indexes."""

    people: pd.Index
    events: pd.Index
    B: sp.csr_array
    people_table: pd.DataFrame | None
    events_table: pd.DataFrame | None
    source: str | None

    @property
    def sizes(self) -> np.ndarray:
        """Attendees per event (``int64``)."""
        return np.bincount(self.B.indices, minlength=len(self.events)).astype(np.int64)


def _object_index(values: Iterable[Hashable], name: str | None = None) -> pd.Index:
    arr = np.empty(0, dtype=object) if values is None else np.asarray(list(values), dtype=object)
    return pd.Index(arr, dtype=object, name=name, tupleize_cols=False)


def _index_codes(base: pd.Index, values: pd.Series, name: str) -> tuple[pd.Index, np.ndarray]:
    """``base`` extended by the values not in it (first-appearance order), and the codes
    of ``values`` in it. One hash pass over ``values`` when they are all in ``base``."""
    vals = values.to_numpy(dtype=object)
    if not len(base):
        codes, uniques = pd.factorize(vals, use_na_sentinel=False)
        return pd.Index(np.asarray(uniques, dtype=object), dtype=object, name=name), codes
    base = pd.Index(base.to_numpy(dtype=object), dtype=object, name=name)
    codes = base.get_indexer(vals)
    miss = codes < 0
    if miss.any():
        extra_codes, extra = pd.factorize(vals[miss], use_na_sentinel=False)
        codes[miss] = len(base) + extra_codes
        base = base.append(pd.Index(np.asarray(extra, dtype=object), dtype=object, name=name))
    return base, codes


def _report_unknown_people(base: pd.Index, extended: pd.Index, ids: pd.Series, func: str) -> None:
    """Log the person ids that were not in the people table (added without attributes)."""
    if len(extended) == len(base):
        return
    extra = extended[len(base) :]
    types = sorted({type(v).__name__ for v in base.tolist()})
    used = sorted({type(v).__name__ for v in ids.dropna().tolist()})
    hint = ""
    if len(base) and not set(used) & set(types):
        hint = (
            f" The people ids are {'/'.join(types)} but these are {'/'.join(used)}: "
            "convert one of them (e.g. .astype(str)) so the ids match."
        )
    logger.warning(
        "%s: %d person id(s) are not in the people table and are added as people with no "
        "attributes (first: %s).%s",
        func,
        len(extra),
        ", ".join(map(repr, extra[:5].tolist())),
        hint,
    )


def _named_people(data: Dataset) -> pd.DataFrame:
    """The people table with ``organisation_name`` (from the organisations table) beside
    ``organisation_id``, so person nodes carry their organisation's name."""
    people, orgs = data.people, data.organisations
    if (
        "organisation_id" not in people.columns
        or "name" not in orgs.columns
        or "organisation_name" in people.columns
    ):
        return people
    names = people["organisation_id"].map(orgs["name"]).astype(object)
    position = people.columns.get_loc("organisation_id") + 1
    out = people.copy()
    out.insert(position, "organisation_name", names.where(names.notna(), None))
    return out


def _people_table(people: pd.DataFrame | None) -> pd.DataFrame | None:
    if people is None:
        return None
    if not isinstance(people, pd.DataFrame):
        msg = f"`people` must be a pandas DataFrame indexed by person_id; got {type(people)}."
        raise TypeError(msg)
    if people.index.name != "person_id" and "person_id" in people.columns:
        people = people.set_index("person_id")
    if not people.index.is_unique:
        dup = people.index[people.index.duplicated()].unique()[:5].tolist()
        msg = f"`people` has repeated person ids (first: {dup}); each person needs one row."
        raise ValueError(msg)
    return people


def _check_columns(df: pd.DataFrame, needed: tuple[str, ...], arg: str) -> None:
    missing = [c for c in needed if c not in df.columns]
    if missing:
        msg = (
            f"`{arg}` needs columns {list(needed)}; missing {missing} "
            f"(found {list(df.columns)}). Rename them, or read the file with "
            "connectnet.read_dataset(..., columns={...})."
        )
        raise ValueError(msg)
    for col in needed:
        bad = int(df[col].isna().sum())
        if bad:
            msg = (
                f"`{arg}` has {bad} row(s) with no `{col}`; drop or fill them first "
                "(connectnet.read_dataset reports such rows in the load report)."
            )
            raise ValueError(msg)


def _attendance_input(data: object, people: pd.DataFrame | None, func: str) -> _Incidence:
    """Normalise a Dataset or an attendance DataFrame (+ people) to an incidence matrix."""
    if isinstance(data, Dataset):
        if people is not None:
            msg = (
                f"`people` is taken from the Dataset; pass `people` to {func} only with "
                "an attendance DataFrame."
            )
            raise TypeError(msg)
        att, ppl, evs, source = data.attendance, _named_people(data), data.events, data.source
    elif isinstance(data, pd.DataFrame):
        att, ppl, evs, source = data, _people_table(people), None, None
    else:
        msg = (
            f"`data` must be a connectnet.Dataset or an attendance DataFrame with columns "
            f"event_id and person_id; got {type(data).__name__}."
        )
        raise TypeError(msg)
    _check_columns(att, ("event_id", "person_id"), "data")
    base_p = ppl.index if ppl is not None else _object_index([])
    base_e = evs.index if evs is not None else _object_index([])
    pidx, pc = _index_codes(base_p, att["person_id"], "person_id")
    if ppl is not None:
        _report_unknown_people(base_p, pidx, att["person_id"], func)
    eidx, ec = _index_codes(base_e, att["event_id"], "event_id")
    B = sp.csr_array((np.ones(pc.size, dtype=np.int32), (pc, ec)), shape=(len(pidx), len(eidx)))
    B.sum_duplicates()
    if B.nnz < pc.size:
        logger.info(
            "%d repeated attendance row(s) (same person, same event) counted once.",
            pc.size - B.nnz,
        )
        B.data[:] = 1
    return _Incidence(pidx, eidx, B, ppl, evs, source)


def _event_mask(inc: _Incidence, events: Iterable[Hashable] | None) -> np.ndarray:
    """Boolean mask over ``inc.events`` for the selected event ids (all when ``None``)."""
    if events is None:
        return np.ones(len(inc.events), dtype=bool)
    if isinstance(events, (str, bytes)) or not isinstance(events, Iterable):
        events = [events]
    wanted = _object_index(events)
    pos = inc.events.get_indexer(wanted.to_numpy(dtype=object))
    if (pos < 0).any():
        unknown = wanted[pos < 0][:5].tolist()
        msg = (
            f"`events` names {int((pos < 0).sum())} unknown event id(s) (first: {unknown}); "
            "use ids from the events or attendance table."
        )
        raise ValueError(msg)
    mask = np.zeros(len(inc.events), dtype=bool)
    mask[pos] = True
    return mask


def _keep_columns(B: sp.csr_array, keep: np.ndarray) -> sp.csr_array:
    """Zero out (remove) the entries of the columns not kept, keeping the shape."""
    if keep.all():
        return B
    entry = keep[B.indices]
    rows = np.repeat(np.arange(B.shape[0]), np.diff(B.indptr))
    indptr = np.zeros(B.shape[0] + 1, dtype=np.int64)
    np.cumsum(np.bincount(rows[entry], minlength=B.shape[0]), out=indptr[1:])
    return sp.csr_array((B.data[entry], B.indices[entry], indptr), shape=B.shape)


def _iso_dates(s: pd.Series) -> pd.Series:
    """datetime Series as ISO strings (date only when every time is midnight)."""
    valid = s.dropna()
    if len(valid) and (valid.dt.normalize() == valid).all():
        out = s.dt.strftime("%Y-%m-%d")
    else:
        out = s.map(lambda t: t.isoformat() if pd.notna(t) else None)
    return out.astype(object).where(s.notna(), None)


def _node_attrs(table: pd.DataFrame | None, keys: pd.Index) -> list[dict]:
    """One attribute dict per key from ``table`` (indexed by id), missing values skipped.

    Missing values (NaN, None, NaT) are left out rather than stored as float ``nan`` so
    that GEXF/GraphML exports and maps work; datetimes become ISO strings.
    """
    dicts: list[dict] = [{} for _ in range(len(keys))]
    if table is None or table.shape[1] == 0 or not len(keys):
        return dicts
    sub = table.reindex(keys)
    for col in sub.columns:
        s = sub[col]
        if pd.api.types.is_datetime64_any_dtype(s):
            s = _iso_dates(s)
        ok = s.notna().to_numpy().tolist()
        for d, v, keep in zip(dicts, s.tolist(), ok, strict=True):
            if keep:
                d[str(col)] = v
    return dicts


# ----------------------------------------------------------------------- bipartite


def attendance_graph(
    data: Dataset | pd.DataFrame,
    *,
    people: pd.DataFrame | None = None,
    include_isolates: bool = True,
) -> nx.Graph:
    """Bipartite person–event graph: an edge for each person at each event.

    Parameters
    ----------
    data
        A :class:`~connectnet.Dataset`, or an attendance DataFrame with columns
        ``event_id`` and ``person_id``.
    people
        Optional people table (indexed by, or with a column, ``person_id``) for node
        attributes when ``data`` is a DataFrame.
    include_isolates
        Keep people who attended nothing and events nobody attended (default), else only
        nodes with at least one edge.

    Returns
    -------
    networkx.Graph
        Nodes ``("person", person_id)`` with ``kind="person"``, ``bipartite=0`` and the
        people-table columns; nodes ``("event", event_id)`` with ``kind="event"``,
        ``bipartite=1`` and the events-table columns (dates as ISO strings). Every edge
        has ``weight=1``. ``G.graph`` records ``created_with``, ``source``.

    Raises
    ------
    TypeError
        If ``data`` is neither a Dataset nor a DataFrame.
    ValueError
        If the attendance table lacks ``event_id``/``person_id`` or has missing ids.

    Examples
    --------
    >>> import pandas as pd
    >>> import connectnet as cn
    >>> att = pd.DataFrame({"event_id": ["1", "1", "2"], "person_id": ["1", "a", "a"]})
    >>> B = cn.attendance_graph(att)
    >>> sorted(B.nodes, key=str)
    [('event', '1'), ('event', '2'), ('person', '1'), ('person', 'a')]
    >>> B.nodes["person", "1"]["kind"], B.nodes["event", "1"]["kind"]
    ('person', 'event')

    Notes
    -----
    Node keys are ``(kind, id)`` tuples so that a person and an event with the same id
    (``"1"`` above) never merge; ``G.nodes[n]["bipartite"]`` makes
    ``networkx.algorithms.bipartite`` functions work directly. A person listed twice for
    the same event gets one edge. Missing attribute values are left out, not stored as
    ``nan``.
    """
    inc = _attendance_input(data, people, "attendance_graph")
    coo = inc.B.tocoo()
    pmask = np.ones(len(inc.people), dtype=bool)
    emask = np.ones(len(inc.events), dtype=bool)
    if not include_isolates:
        pmask = np.diff(inc.B.indptr) > 0
        emask = inc.sizes > 0
    G = nx.Graph()
    G.graph.update(created_with="connectnet.attendance_graph", source=inc.source)
    pkeys = inc.people[pmask]
    for key, attrs in zip(pkeys, _node_attrs(inc.people_table, pkeys), strict=True):
        attrs.update(kind="person", bipartite=0)
        G.add_node(("person", key), **attrs)
    ekeys = inc.events[emask]
    for key, attrs in zip(ekeys, _node_attrs(inc.events_table, ekeys), strict=True):
        attrs.update(kind="event", bipartite=1)
        G.add_node(("event", key), **attrs)
    pv = inc.people.to_numpy(dtype=object)[coo.row].tolist()
    ev = inc.events.to_numpy(dtype=object)[coo.col].tolist()
    G.add_edges_from(
        ((("person", p), ("event", e), {"weight": 1}) for p, e in zip(pv, ev, strict=True))
    )
    return G


# ------------------------------------------------------------------ co-attendance


@dataclass(frozen=True, eq=False)
class _Pairs:
    rows: np.ndarray
    cols: np.ndarray
    weight: np.ndarray
    shared: np.ndarray
    dropped: list[Hashable]


def _gigabytes(n_bytes: float) -> str:
    return f"{n_bytes / 2**30:,.1f} GB"


def _pairs_error(
    inc: _Incidence, sizes: np.ndarray, keep: np.ndarray, pairs: int, budget: int
) -> ValueError:
    order = np.argsort(-np.where(keep, sizes, -1), kind="stable")[:5]
    largest = ", ".join(
        f"{inc.events[i]!r} ({sizes[i]} people, {sizes[i] * (sizes[i] - 1) // 2:,} pairs)"
        for i in order
        if keep[i]
    )
    big = sizes[keep]
    top = np.sort(big * (big - 1) // 2)[::-1]
    share = float(top[: min(5, top.size)].sum() / pairs) if pairs else 0.0
    msg = (
        f"co-attendance would form {pairs:,} person pairs (summed over events), which "
        f"needs about {_gigabytes(pairs * _BYTES_PER_PAIR)} of memory "
        f"({_BYTES_PER_PAIR} bytes per pair), over the budget `max_memory` = "
        f"{_gigabytes(budget)}. The largest events ({100 * share:.0f}% of the pairs): "
        f"{largest}. Pass `max_event_size=N` to leave out events above N people, select "
        "events with `events=`, build organisation_graph(data) or sector_graph(data) (no "
        "person pairs), or raise `max_memory` (bytes) if the machine has the memory."
    )
    return ValueError(msg)


def _check_weight(weight: str, allowed: tuple[str, ...] = _WEIGHTS) -> None:
    if weight not in allowed:
        msg = f"`weight` must be one of {list(allowed)}; got {weight!r}."
        raise ValueError(msg)


def _project(
    inc: _Incidence,
    keep: np.ndarray,
    *,
    weight: str,
    min_weight: float | None,
    max_event_size: int | None,
    max_memory: int | None,
) -> _Pairs:
    """Person pairs sharing a kept event, from the upper triangle of ``B·Bᵀ``."""
    sizes = inc.sizes
    keep = keep.copy()
    dropped: list[Hashable] = []
    if max_event_size is not None:
        if max_event_size < 1:
            msg = f"`max_event_size` must be a positive number of people; got {max_event_size}."
            raise ValueError(msg)
        big = keep & (sizes > max_event_size)
        if big.any():
            dropped = inc.events[big].tolist()
            logger.warning(
                "%d event(s) with more than %d attendees left out of the co-attendance "
                "projection: %s",
                len(dropped),
                max_event_size,
                ", ".join(map(repr, dropped[:10])),
            )
            keep &= ~big
    pairs = int((sizes[keep] * (sizes[keep] - 1) // 2).sum())
    if max_memory is not None and pairs * _BYTES_PER_PAIR > max_memory:
        raise _pairs_error(inc, sizes, keep, pairs, max_memory)
    B = _keep_columns(inc.B, keep)
    degree = np.diff(B.indptr)  # events attended (for jaccard), singletons included
    B = _keep_columns(B, keep & (sizes > 1))  # singleton events form no pairs
    lefts = [B]
    if weight == "newman":
        inv = np.zeros(len(inc.events))
        multi = sizes > 1
        inv[multi] = 1.0 / (sizes[multi] - 1)
        # same structure as B, positive values: the two products share their pattern
        lefts.append(sp.csr_array((inv[B.indices], B.indices, B.indptr), shape=B.shape))
    r, c, products, _ = _upper_product(lefts, B)
    shared = products[0].astype(np.int64)
    if weight == "count":
        w = products[0].astype(np.float64)
    elif weight == "jaccard":
        w = shared / (degree[r] + degree[c] - shared)
    else:  # newman
        w = products[1]
    del products
    if min_weight is not None:
        ok = w >= min_weight
        r, c, w, shared = r[ok], c[ok], w[ok], shared[ok]
    return _Pairs(r, c, w, shared, dropped)


#: Multiply-adds per block of the blocked product in :func:`_upper_product` (bounds
#: the temporary memory of one block to about 100 MB whatever the size of the result).
_PRODUCT_BLOCK = 8_000_000


def _upper_product(
    lefts: Sequence[sp.csr_array], right: sp.csr_array
) -> tuple[np.ndarray, np.ndarray, list[np.ndarray], list[np.ndarray]]:
    r"""Strict upper triangle and diagonal of :math:`L R^\top` for each ``L`` in ``lefts``.

    Every ``L`` must have the structure of ``right`` (rows × events, non-negative values),
    so the products share one sparsity pattern. The product is formed in blocks of rows
    (each about :data:`_PRODUCT_BLOCK` multiply-adds), keeping from each block only the
    entries above the diagonal: the full symmetric matrix (twice the result) is never
    held. Returns ``rows``, ``cols`` (``int32`` when they fit, sorted by row then column),
    the upper values and the diagonal of each product.
    """
    n = right.shape[0]
    RT = right.T.tocsr()
    per_event = np.diff(RT.indptr).astype(np.float64)
    pattern = sp.csr_array((np.ones(right.nnz), right.indices, right.indptr), shape=right.shape)
    work = np.cumsum(pattern @ per_event) if n else np.zeros(0)
    total = float(work[-1]) if n else 0.0
    cuts = np.searchsorted(work, np.arange(_PRODUCT_BLOCK, total, _PRODUCT_BLOCK)) + 1
    bounds = np.unique(np.concatenate([[0], np.minimum(cuts, n), [n]])).tolist()
    index_type = np.int32 if n < 2**31 else np.int64
    rows, cols = [], []
    values: list[list[np.ndarray]] = [[] for _ in lefts]
    diagonals = [np.zeros(n) for _ in lefts]
    for lo, hi in itertools.pairwise(bounds):
        r = None
        for k, L in enumerate(lefts):
            T = sp.csr_array(L[lo:hi] @ RT)
            T.sort_indices()
            if r is None:
                r = np.repeat(np.arange(lo, hi, dtype=index_type), np.diff(T.indptr))
                upper = T.indices > r
                on_diagonal = T.indices == r
                rows.append(r[upper])
                cols.append(T.indices[upper].astype(index_type))
            values[k].append(T.data[upper])
            diagonals[k][r[on_diagonal]] = T.data[on_diagonal]

    def joined(parts: list[np.ndarray], dtype: type) -> np.ndarray:
        return np.concatenate(parts) if parts else np.zeros(0, dtype=dtype)

    return (
        joined(rows, index_type),
        joined(cols, index_type),
        [joined(v, np.float64) for v in values],
        diagonals,
    )


def coattendance_edges(
    data: Dataset | pd.DataFrame,
    *,
    people: pd.DataFrame | None = None,
    weight: str = "count",
    min_weight: float | None = None,
    events: Iterable[Hashable] | None = None,
    max_event_size: int | None = None,
    max_memory: int | None = DEFAULT_MAX_MEMORY,
) -> pd.DataFrame:
    r"""Co-attendance ties as an edge table: people who attended the same events.

    Parameters
    ----------
    data
        A :class:`~connectnet.Dataset`, or an attendance DataFrame with columns
        ``event_id`` and ``person_id``.
    people
        Optional people table when ``data`` is a DataFrame (fixes the person order).
    weight
        ``"count"`` (shared events), ``"jaccard"`` (shared / events attended by either) or
        ``"newman"`` (Σ over shared events of 1/(attendees − 1)).
    min_weight
        Keep only pairs with ``weight >= min_weight``; ``None`` (default) keeps every pair
        that shared at least one event.
    events
        Event ids to use (default: all events).
    max_event_size
        Leave out events with more than this many attendees (logged, and listed in
        ``G.graph["dropped_events"]`` by :func:`coattendance_graph`).
    max_memory
        Memory budget in bytes: raise instead of computing when the person pairs,
        Σ_e n_e(n_e − 1)/2 over the used events, would need more peak memory than this
        (about 40 bytes per pair; ``None``: no limit). The default,
        :data:`DEFAULT_MAX_MEMORY`, is 8 GiB (about 210 million pairs).

    Returns
    -------
    pandas.DataFrame
        One row per unordered pair: ``source``, ``target`` (categoricals over the person
        ids, ``source`` before ``target`` in the people order), ``weight`` (float) and
        ``shared_events`` (int), sorted by source then target. ``edges.attrs`` records
        ``created_with``, ``weight``, ``dropped_events`` (by ``max_event_size``) and
        ``source``.

    Raises
    ------
    ValueError
        If ``weight`` is unknown, an event id is unknown, ``max_event_size`` < 1, or the
        pairs would need more than ``max_memory`` (checked before any work; the message
        says how much memory is needed and names the largest events).
    TypeError
        If ``data`` is neither a Dataset nor a DataFrame.

    Examples
    --------
    >>> import pandas as pd
    >>> import connectnet as cn
    >>> att = pd.DataFrame(
    ...     {"event_id": ["e1", "e1", "e1", "e2", "e2"], "person_id": ["a", "b", "c", "a", "b"]}
    ... )
    >>> cn.coattendance_edges(att)
      source target  weight  shared_events
    0      a      b     2.0              2
    1      a      c     1.0              1
    2      b      c     1.0              1
    >>> cn.coattendance_edges(att, weight="newman")["weight"].round(2).tolist()
    [1.5, 0.5, 0.5]

    Notes
    -----
    With :math:`B` the people × events 0/1 matrix, the shared-event counts are the
    off-diagonal entries of :math:`C = BB^\top`. Weights for people :math:`i, j`:

    .. math::

        w^{count}_{ij} = C_{ij}, \quad
        w^{jaccard}_{ij} = \frac{C_{ij}}{d_i + d_j - C_{ij}}, \quad
        w^{newman}_{ij} = \sum_{e \ni i, j} \frac{1}{n_e - 1}

    where :math:`d_i` is the number of events person :math:`i` attended among those used
    (after ``events=`` and ``max_event_size=``; events they attended alone included) and
    :math:`n_e` the attendees of event :math:`e`. Newman weights share one unit of tie
    strength per attendee across the others at the event, so an event's weights sum to
    :math:`n_e/2` and large conferences do not swamp small meetings.

    Cost is set by Σ_e n_e(n_e − 1)/2, not by the number of rows: one 2,000-person
    conference forms two million pairs. The pair count is checked before any work.
    Repeated (person, event) rows count once. ``source``/``target`` are categoricals
    sharing one category list, so comparisons between them and ``nx.from_pandas_edgelist``
    work; use ``.astype(str)`` for plain strings.

    References
    ----------
    .. [1] Newman, M. E. J. (2001). Scientific collaboration networks. II. Shortest paths,
       weighted networks, and centrality. Physical Review E, 64, 016132.
    .. [2] Breiger, R. L. (1974). The duality of persons and groups. Social Forces, 53(2).
    """
    if isinstance(data, LazyDataset) and people is None:  # computed in the engine
        return data.coattendance_edges(
            weight=weight,
            min_weight=min_weight,
            events=events,
            max_event_size=max_event_size,
            max_memory=max_memory,
        )
    _check_weight(weight)
    inc = _attendance_input(data, people, "coattendance_edges")
    pairs = _project(
        inc,
        _event_mask(inc, events),
        weight=weight,
        min_weight=min_weight,
        max_event_size=max_event_size,
        max_memory=max_memory,
    )
    cats = pd.CategoricalDtype(inc.people, ordered=False)
    edges = pd.DataFrame(
        {
            "source": pd.Categorical.from_codes(pairs.rows, dtype=cats),
            "target": pd.Categorical.from_codes(pairs.cols, dtype=cats),
            "weight": pairs.weight,
            "shared_events": pairs.shared,
        },
        copy=False,
    )
    edges.attrs.update(
        created_with="connectnet.coattendance_edges",
        weight=weight,
        dropped_events=pairs.dropped,
        source=inc.source,
    )
    return edges


def _person_graph(
    people: pd.Index,
    people_table: pd.DataFrame | None,
    pairs: _Pairs,
    graph: dict,
    *,
    include_isolates: bool,
    directed: bool = False,
    edge_attr: tuple[str, np.ndarray],
) -> nx.Graph:
    """Person graph from integer pairs: attributes from the people table, then edges
    with ``weight`` and one more attribute ``edge_attr = (name, values)``."""
    G: nx.Graph = nx.DiGraph() if directed else nx.Graph()
    G.graph.update(graph)
    keys = people
    if not include_isolates:
        used = np.zeros(len(keys), dtype=bool)
        used[pairs.rows] = True
        used[pairs.cols] = True
        keys = keys[used]
    attrs = _node_attrs(people_table, keys)
    for a in attrs:
        a["kind"] = "person"
    G.add_nodes_from(zip(keys.tolist(), attrs, strict=True))
    name, values = edge_attr
    dicts = [
        {"weight": w, name: x} for w, x in zip(pairs.weight.tolist(), values.tolist(), strict=True)
    ]
    _add_edges(G, people.to_numpy(dtype=object), pairs.rows, pairs.cols, dicts)
    return G


def _add_edges(
    G: nx.Graph, ids: np.ndarray, rows: np.ndarray, cols: np.ndarray, dicts: list[dict]
) -> None:
    """``G.add_edges_from`` for edges ``ids[rows[k]] – ids[cols[k]]`` with data
    ``dicts[k]`` (every end point already a node), without a Python step per edge."""
    if G.is_directed():
        _fill_adjacency(G._succ, ids, rows, cols, dicts)
        _fill_adjacency(G._pred, ids, cols, rows, dicts)
    else:  # both ends share one data dict, in the order add_edges_from would insert
        ends = np.column_stack([rows, cols]).ravel()
        other = np.column_stack([cols, rows]).ravel()
        _fill_adjacency(G._adj, ids, ends, other, dicts, repeat=2)


def _fill_adjacency(
    adj: dict,
    ids: np.ndarray,
    own: np.ndarray,
    nbr: np.ndarray,
    dicts: list[dict],
    *,
    repeat: int = 1,
) -> None:
    """Write edges straight into a networkx adjacency (``G._adj``, ``_succ`` or ``_pred``).

    Entry ``k`` links ``ids[own[k]]`` to ``ids[nbr[k]]`` with data ``dicts[k // repeat]``.
    Neighbours are added per node in the order of ``k`` (a stable sort), which is the
    order ``G.add_edges_from`` would give, so the graph is the same one, dict for dict; but
    each node's neighbours go in with one C-level ``dict.update`` instead of a Python
    step per edge, and no second dict per edge is made.
    """
    if own.size == 0:
        return
    order = np.argsort(own, kind="stable")
    own_sorted = own[order]
    nbr_ids = ids[nbr[order]].tolist()
    data = list(map(dicts.__getitem__, (order // repeat).tolist()))
    cuts = np.flatnonzero(np.diff(own_sorted)) + 1
    starts = np.concatenate([[0], cuts]).tolist()
    ends = np.concatenate([cuts, [own_sorted.size]]).tolist()
    for node, a, b in zip(ids[own_sorted[starts]].tolist(), starts, ends, strict=True):
        adj[node].update(zip(nbr_ids[a:b], data[a:b], strict=True))


def coattendance_graph(
    data: Dataset | pd.DataFrame,
    *,
    people: pd.DataFrame | None = None,
    weight: str = "count",
    min_weight: float | None = None,
    events: Iterable[Hashable] | None = None,
    include_isolates: bool = True,
    max_event_size: int | None = None,
    max_memory: int | None = DEFAULT_MAX_MEMORY,
) -> nx.Graph:
    """Person graph: an edge between people who attended at least one event together.

    Parameters
    ----------
    data
        A :class:`~connectnet.Dataset`, or an attendance DataFrame with columns
        ``event_id`` and ``person_id``.
    people
        Optional people table (node attributes) when ``data`` is a DataFrame.
    weight
        ``"count"``, ``"jaccard"`` or ``"newman"``; see :func:`coattendance_edges`.
    min_weight
        Keep only ties with ``weight >= min_weight`` (default: every co-attending pair).
    events
        Event ids to use (default: all).
    include_isolates
        Keep every person in the people table (and every attendee), even without ties
        (default). ``False`` keeps only people with at least one tie.
    max_event_size, max_memory
        Size limits; see :func:`coattendance_edges`.

    Returns
    -------
    networkx.Graph
        Nodes keyed by ``person_id`` with ``kind="person"`` and the people-table columns
        (``sector``, ``organisation_id``, ``name``, ``role``, ``region``, extras; missing
        values left out). Edges have ``weight`` (float) and ``shared_events`` (int).
        ``G.graph`` records ``created_with``, ``weight``, ``min_weight``, ``events``
        (the selected ids, or ``None`` for all), ``max_event_size``, ``dropped_events``
        and ``source``.

    Raises
    ------
    ValueError
        As :func:`coattendance_edges`.
    TypeError
        If ``data`` is neither a Dataset nor a DataFrame.

    Examples
    --------
    >>> import pandas as pd
    >>> import connectnet as cn
    >>> att = pd.DataFrame(
    ...     {"event_id": ["e1", "e1", "e1", "e2", "e2"], "person_id": ["a", "b", "c", "a", "b"]}
    ... )
    >>> G = cn.coattendance_graph(att)
    >>> G["a"]["b"]
    {'weight': 2.0, 'shared_events': 2}
    >>> round(cn.coattendance_graph(att, weight="jaccard")["a"]["c"]["weight"], 3)
    0.5

    Notes
    -----
    Computed from the sparse product ``B·Bᵀ`` (see :func:`coattendance_edges`), not from
    networkx's bipartite projection, which is hundreds of times slower. Building the
    networkx graph itself (about 1–2 s per million edges) is the floor for any function
    that returns a networkx graph; when you only need the ties, use
    :func:`coattendance_edges`.

    References
    ----------
    .. [1] Newman, M. E. J. (2001). Scientific collaboration networks. II. Physical
       Review E, 64, 016132.
    """
    _check_weight(weight)
    inc = _attendance_input(data, people, "coattendance_graph")
    mask = _event_mask(inc, events)
    pairs = _project(
        inc,
        mask,
        weight=weight,
        min_weight=min_weight,
        max_event_size=max_event_size,
        max_memory=max_memory,
    )
    graph = {
        "created_with": "connectnet.coattendance_graph",
        "weight": weight,
        "min_weight": min_weight,
        "events": None if events is None else inc.events[mask].tolist(),
        "max_event_size": max_event_size,
        "dropped_events": pairs.dropped,
        "source": inc.source,
    }
    return _person_graph(
        inc.people,
        inc.people_table,
        pairs,
        graph,
        include_isolates=include_isolates,
        edge_attr=("shared_events", pairs.shared),
    )


def _coattendance_network(
    data: Dataset,
    *,
    weight: str = "count",
    events: Iterable[Hashable] | None = None,
    max_event_size: int | None = None,
) -> ArrayNetwork:
    """The network :func:`coattendance_graph` returns (same nodes, order, attributes,
    ties and provenance) held as arrays, for callers that measure it without drawing it
    (the report): no ``nx.Graph`` and no Python object per tie."""
    _check_weight(weight)
    inc = _attendance_input(data, None, "coattendance_graph")
    mask = _event_mask(inc, events)
    pairs = _project(
        inc,
        mask,
        weight=weight,
        min_weight=None,
        max_event_size=max_event_size,
        max_memory=DEFAULT_MAX_MEMORY,
    )
    table = inc.people_table
    attributes = table.reindex(inc.people) if table is not None else pd.DataFrame(index=inc.people)
    return ArrayNetwork(
        nodes=inc.people.tolist(),
        src=pairs.rows.astype(np.int64),
        dst=pairs.cols.astype(np.int64),
        weight=pairs.weight,
        directed=False,
        attributes=attributes,
        graph={
            "created_with": "connectnet.coattendance_graph",
            "weight": weight,
            "events": None if events is None else inc.events[mask].tolist(),
            "max_event_size": max_event_size,
            "dropped_events": pairs.dropped,
            "source": inc.source,
        },
    )


# ----------------------------------------------------------------------- contacts


@dataclass(frozen=True, eq=False)
class _Contacts:
    people: pd.Index
    people_table: pd.DataFrame | None
    src: np.ndarray
    dst: np.ndarray
    weight: np.ndarray
    wave: pd.Series | None
    date: pd.Series | None
    source: str | None
    respondents: pd.DataFrame | None = None  # a Dataset's survey response list


def _contacts_input(data: object, people: pd.DataFrame | None) -> _Contacts:
    if isinstance(data, Dataset):
        if people is not None:
            msg = "`people` is taken from the Dataset; pass it only with a contacts DataFrame."
            raise TypeError(msg)
        con, ppl, source = data.contacts, _named_people(data), data.source
    elif isinstance(data, pd.DataFrame):
        con, ppl, source = data, _people_table(people), None
    else:
        msg = (
            "`data` must be a connectnet.Dataset or a contacts DataFrame with columns "
            f"source and target; got {type(data).__name__}."
        )
        raise TypeError(msg)
    _check_columns(con, ("source", "target"), "data")
    base = ppl.index if ppl is not None else _object_index([])
    pidx, src = _index_codes(base, con["source"], "person_id")
    pidx, dst = _index_codes(pidx, con["target"], "person_id")
    if ppl is not None and len(pidx) > len(base):
        ids = pd.concat([con["source"], con["target"]], ignore_index=True)
        _report_unknown_people(base, pidx, ids, "contact_graph")
    if "weight" in con.columns:
        raw = con["weight"]
        num = pd.to_numeric(raw, errors="coerce")
        bad = num.isna() & raw.notna()
        if bad.any():
            first = raw[bad].unique()[:5].tolist()
            msg = (
                f"`data` has {int(bad.sum())} contact(s) whose `weight` is not a number "
                f"(first: {first}); use positive numbers, or leave the cell blank for 1."
            )
            raise ValueError(msg)
        w = num.fillna(1.0).to_numpy(dtype=np.float64)
        if (w <= 0).any():
            msg = (
                f"`data` has {int((w <= 0).sum())} contact(s) with weight <= 0; "
                "weights must be positive (drop the row to record no contact)."
            )
            raise ValueError(msg)
    else:
        w = np.ones(src.size)
    wave = con["wave"].reset_index(drop=True) if "wave" in con.columns else None
    date = con["date"].reset_index(drop=True) if "date" in con.columns else None
    listed = None
    if isinstance(data, Dataset) and not data.respondents.empty:
        listed = data.respondents
    return _Contacts(pidx, ppl, src, dst, w, wave, date, source, listed)


def _wave_text(value: object) -> str | None:
    """A wave label as text for matching: ``None`` when missing; whole numbers without
    a decimal part, so a column read as ``1.0, 2.0`` (numbers with a blank cell) matches
    ``wave=1`` and ``wave="1"``."""
    try:
        missing = value is None or bool(pd.isna(value))
    except (TypeError, ValueError):  # list-like labels: not missing
        missing = False
    if missing:
        return None
    if isinstance(value, (float, np.floating)) and float(value).is_integer():
        return str(int(value))
    if isinstance(value, np.integer):
        return str(int(value))
    return str(value)


def _wave_texts(waves: pd.Series) -> pd.Series:
    """:func:`_wave_text` of each value, computed once per distinct value."""
    values = waves.astype(object)
    try:
        codes, uniques = pd.factorize(values, use_na_sentinel=True)
    except TypeError:  # unhashable (list-like) labels
        return values.map(_wave_text)
    if any(isinstance(u, (bool, np.bool_)) for u in uniques):  # True == 1 would merge
        return values.map(_wave_text)
    texts = np.array([_wave_text(u) for u in uniques] + [np.nan], dtype=object)
    return pd.Series(texts[codes], index=waves.index, dtype=object)


def _wave_mask(
    con: _Contacts, wave: str | int | Iterable[str | int] | None
) -> tuple[np.ndarray, list[str] | None]:
    if wave is None:
        return np.ones(con.src.size, dtype=bool), None
    given = (
        [wave] if isinstance(wave, (str, bytes)) or not isinstance(wave, Iterable) else list(wave)
    )
    wanted = [_wave_text(w) for w in given]
    if con.wave is None:
        msg = "`wave` was given but the contacts table has no `wave` column."
        raise ValueError(msg)
    labels = _wave_texts(con.wave)
    known = set(labels.dropna().unique())
    unknown = [w for w in wanted if w not in known]
    if unknown:
        msg = (
            f"`wave` {unknown} not in the contacts table; waves found: "
            f"{sorted(known, key=_natural_key)}."
        )
        raise ValueError(msg)
    mask = labels.isin(wanted).to_numpy(dtype=bool)
    return mask, [w for w in wanted if w is not None]


def _natural_key(label: str) -> tuple[int, float, str]:
    """Sort numeric labels as numbers, before any text label."""
    try:
        return (0, float(label), label)
    except ValueError:
        return (1, 0.0, label)


def _listed_respondents(con: _Contacts, mask: np.ndarray, waves: list[str] | None) -> np.ndarray:
    """Positions of people the respondents table lists for the waves in this graph (a row
    without a wave counts for every wave)."""
    if con.respondents is None:
        return np.empty(0, dtype=np.int64)
    resp = con.respondents
    listed_wave = _wave_texts(resp["wave"]) if "wave" in resp else pd.Series([None] * len(resp))
    if con.wave is None:
        keep = np.ones(len(resp), dtype=bool)
    else:
        selected = set(_wave_texts(con.wave[mask]).dropna()) | set(waves or ())
        keep = (listed_wave.isna() | listed_wave.isin(selected)).to_numpy(dtype=bool)
    pos = con.people.get_indexer(resp["person_id"].to_numpy(dtype=object)[keep])
    return pos[pos >= 0].astype(np.int64)


def _contact_graph(
    con: _Contacts, mask: np.ndarray, symmetrise: str | None, graph: dict
) -> nx.Graph:
    answered = np.union1d(con.src[mask], _listed_respondents(con, mask, graph.get("wave")))
    respondents = [con.people[i] for i in answered.tolist()]
    loops = mask & (con.src == con.dst)
    if loops.any():
        logger.warning("%d contact(s) of a person with themselves left out.", int(loops.sum()))
    mask = mask & ~loops
    n = len(con.people)
    s, t, w = con.src[mask], con.dst[mask], con.weight[mask]
    A = sp.csr_array((w, (s, t)), shape=(n, n))
    A.sum_duplicates()
    N = sp.csr_array((np.ones(s.size), (s, t)), shape=(n, n))
    N.sum_duplicates()
    graph = {**graph, "self_contacts_dropped": int(loops.sum()), "respondents": respondents}
    if symmetrise is None:
        coo, cnt = A.tocoo(), N.tocoo()
        pairs = _Pairs(coo.row, coo.col, coo.data, cnt.data.astype(np.int64), [])
        return _person_graph(
            con.people,
            con.people_table,
            pairs,
            graph,
            include_isolates=True,
            directed=True,
            edge_attr=("contacts", pairs.shared),
        )
    arcs = A.tocoo()
    lo = np.minimum(arcs.row, arcs.col)
    hi = np.maximum(arcs.row, arcs.col)

    def upper(values: np.ndarray) -> sp.csr_array:
        M = sp.csr_array((values, (lo, hi)), shape=(n, n))
        M.sum_duplicates()  # canonical: every matrix below has the same sorted structure
        M.sort_indices()
        return M

    R = upper(np.ones(lo.size))  # directions reported: 1 or 2
    if symmetrise == "max":
        S = sp.triu(A.maximum(A.T), k=1).tocsr()
        S.sort_indices()
        w = S.data
    elif symmetrise == "sum":
        w = upper(arcs.data).data
    else:  # union, mutual: binary
        w = np.ones(R.nnz)
    coo = R.tocoo()
    rep = coo.data.astype(np.int64)
    keep = rep > 1 if symmetrise == "mutual" else np.ones(rep.size, dtype=bool)
    coo_row, coo_col, w, rep = coo.row[keep], coo.col[keep], w[keep], rep[keep]
    pairs = _Pairs(coo_row, coo_col, w, rep, [])
    return _person_graph(
        con.people,
        con.people_table,
        pairs,
        graph,
        include_isolates=True,
        edge_attr=("reciprocated", rep > 1),
    )


def contact_graph(
    data: Dataset | pd.DataFrame,
    *,
    people: pd.DataFrame | None = None,
    wave: str | int | Iterable[str | int] | None = None,
    symmetrise: str | None = None,
) -> nx.Graph:
    """Graph of reported contacts: an arc from the person who reported to the contact.

    Parameters
    ----------
    data
        A :class:`~connectnet.Dataset`, or a contacts DataFrame with ``source`` and
        ``target`` (and optionally ``weight``, ``wave``).
    people
        Optional people table (node attributes) when ``data`` is a DataFrame.
    wave
        One wave label or a list of them (compared as text, see Notes); ``None`` uses
        every contact, including those with no wave.
    symmetrise
        ``None`` (default) returns a ``DiGraph``. Otherwise an undirected ``Graph``:
        ``"union"`` — tie when either person reported the other, weight 1;
        ``"mutual"`` — tie only when both did, weight 1; ``"max"`` — tie when either did,
        weight the larger of the two reported weights; ``"sum"`` — tie when either did,
        weight the sum of both.

    Returns
    -------
    networkx.DiGraph or networkx.Graph
        Nodes: every person in the people table and in the contacts (all waves, so graphs
        of different waves share one node set), ``kind="person"`` and people-table
        attributes. Directed arcs have ``weight`` (sum over repeated reports) and
        ``contacts`` (number of reports); undirected edges have ``weight`` and
        ``reciprocated`` (both directions reported). ``G.graph`` records
        ``created_with``, ``wave``, ``symmetrise``, ``self_contacts_dropped``, ``source``
        and ``respondents`` (people who reported at least one contact in the selected
        wave(s): the change tests use it to compare only people who answered).

    Raises
    ------
    ValueError
        If ``symmetrise`` or a wave is unknown, columns are missing, or a weight is not a
        number or is <= 0.
    TypeError
        If ``data`` is neither a Dataset nor a DataFrame.

    Examples
    --------
    >>> import pandas as pd
    >>> import connectnet as cn
    >>> con = pd.DataFrame(
    ...     {"source": ["a", "a", "b", "c"], "target": ["b", "b", "a", "a"],
    ...      "weight": [1, 2, 1, 1]}
    ... )
    >>> D = cn.contact_graph(con)
    >>> D["a"]["b"]
    {'weight': 3.0, 'contacts': 2}
    >>> U = cn.contact_graph(con, symmetrise="mutual")
    >>> sorted(U.edges)
    [('a', 'b')]
    >>> cn.contact_graph(con, symmetrise="sum")["a"]["b"]["weight"]
    4.0

    Notes
    -----
    A person naming themselves is left out (logged, counted in
    ``G.graph["self_contacts_dropped"]``). "union" and "mutual" are the weak and strong
    symmetrisation rules of social network analysis; they give binary ties (weight 1) so
    that who-knows-whom is compared without the strength scale.

    ``G.graph["respondents"]`` lists, in people order, everyone who is the ``source`` of
    at least one row in the selected wave(s), whatever ``symmetrise`` (so a ``"mutual"``
    graph still knows who answered) and including someone whose only row named
    themselves. A contacts table cannot show people who answered the survey but named
    nobody: they look like non-respondents; pass ``respondents=`` to the change functions
    when you have the list of who answered. Wave labels are matched as text, with whole
    numbers written without a decimal part (``1``, ``1.0`` and ``"1"`` are one wave).

    References
    ----------
    .. [1] Wasserman, S. and Faust, K. (1994). Social Network Analysis: Methods and
       Applications. Cambridge University Press, §4.
    """
    if symmetrise is not None and symmetrise not in _SYMMETRISE:
        msg = f"`symmetrise` must be None or one of {list(_SYMMETRISE)}; got {symmetrise!r}."
        raise ValueError(msg)
    con = _contacts_input(data, people)
    mask, waves = _wave_mask(con, wave)
    graph = {
        "created_with": "connectnet.contact_graph",
        "wave": waves,
        "symmetrise": symmetrise,
        "source": con.source,
    }
    return _contact_graph(con, mask, symmetrise, graph)


# ------------------------------------------------------------- groups (contraction)


def _group_graph_from_arrays(
    k: int,
    a: np.ndarray,
    b: np.ndarray,
    w: np.ndarray,
    ties: np.ndarray | None,
    directed: bool,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray | None]:
    if not directed:
        a, b = np.minimum(a, b), np.maximum(a, b)
    W = sp.coo_array((w, (a, b)), shape=(k, k)).tocsr()
    W.sum_duplicates()
    W.sort_indices()
    Wc = W.tocoo()
    t = None
    if ties is not None:
        T = sp.coo_array((ties, (a, b)), shape=(k, k)).tocsr()
        T.sum_duplicates()
        T.sort_indices()
        t = T.tocoo().data.astype(np.int64)
    return Wc.row, Wc.col, Wc.data, t


# person attribute → organisation attribute carried by organisation_graph(person graph)
_ORGANISATION_ATTRS = (("sector", "sector"), ("region", "region"), ("organisation_name", "name"))


def _contract_graph(G: nx.Graph, attr: str, kind: str, func: str) -> nx.Graph:
    if not isinstance(G, nx.Graph):
        msg = f"`G_or_data` must be a networkx graph or a connectnet.Dataset; got {type(G)}."
        raise TypeError(msg)
    if G.is_multigraph():
        msg = f"{func} needs a simple Graph or DiGraph; convert the multigraph with nx.Graph(G)."
        raise TypeError(msg)
    arr = graph_arrays(G, weight="weight")
    codes, groups = factorise(pd.Series([G.nodes[n].get(attr) for n in arr.nodes], dtype=object))
    k = len(groups)
    unassigned = [arr.nodes[i] for i in np.flatnonzero(codes < 0)]
    ok = (codes[arr.src] >= 0) & (codes[arr.dst] >= 0)
    rows, cols, w, t = _group_graph_from_arrays(
        k,
        codes[arr.src][ok],
        codes[arr.dst][ok],
        arr.weight[ok],
        np.ones(int(ok.sum()), dtype=np.int64),
        arr.directed,
    )
    size = np.bincount(codes[codes >= 0], minlength=k)
    H: nx.Graph = nx.DiGraph() if arr.directed else nx.Graph()
    H.graph.update(
        created_with=f"connectnet.{func}",
        by=attr,
        weight="summed edge `weight` of the person graph",
        from_graph=G.graph.get("created_with"),
        source=G.graph.get("source"),
        unassigned=unassigned,
        unassigned_weight=float(arr.weight[~ok].sum()),
    )
    node_attrs: list[dict] = [{"kind": kind, "size": int(s)} for s in size]
    if kind == "organisation":  # each organisation's most common value among its people
        for person_attr, org_attr in _ORGANISATION_ATTRS:
            values = pd.Series([G.nodes[n].get(person_attr) for n in arr.nodes], dtype=object)
            has = (codes >= 0) & values.notna().to_numpy()
            if not has.any():
                continue
            mode = (
                pd.DataFrame({"g": codes[has], "s": values[has].to_numpy()})
                .value_counts(sort=True)
                .reset_index()
                .drop_duplicates("g")
            )
            for g, s in zip(mode["g"].tolist(), mode["s"].tolist(), strict=True):
                node_attrs[g][org_attr] = s
    H.add_nodes_from(zip(groups, node_attrs, strict=True))
    assert t is not None
    H.add_edges_from(
        (groups[a], groups[b], {"weight": x, "ties": y})
        for a, b, x, y in zip(rows.tolist(), cols.tolist(), w.tolist(), t.tolist(), strict=True)
    )
    report_unassigned(logger, unassigned, attr, func)
    return H


def _group_pairs(
    M: sp.csr_array, B: sp.csr_array, we: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    r"""Group pairs ``a <= b`` (sorted) with their summed person-tie weight, by sparse
    aggregation: never a person pair.

    ``C = MB`` counts each group's members at each event; :math:`W = C\,\mathrm{diag}(w)
    C^\top` sums, for groups :math:`a \ne b`, the weight of every person pair between
    them, and its diagonal minus :math:`\sum_e w_e C_{ae}` is twice the weight inside a
    group. The product is formed in blocks by :func:`_upper_product`, which keeps only the
    strict upper triangle and the diagonal.
    """
    C = sp.csr_array(M @ B.astype(np.float64))  # groups × events: members at each event
    C.sort_indices()
    Cw = sp.csr_array((C.data * we[C.indices], C.indices, C.indptr), shape=C.shape)
    r, c, (w,), (diagonal,) = _upper_product([Cw], C)
    within = (diagonal - Cw @ np.ones(C.shape[1])) / 2.0  # Σ_e w_e C_ae (C_ae - 1) / 2
    del C, Cw
    loops = np.flatnonzero(within > 0)
    # merge the self-loops into the sorted order: (a, a) goes before every (a, b > a)
    at = np.searchsorted(r, loops, side="left")
    rows, cols = np.insert(r, at, loops), np.insert(c, at, loops)
    ws = np.insert(w, at, within[loops])
    del r, c, w
    nz = ws > 1e-12 * max(1.0, float(np.abs(ws).max(initial=0)))
    return rows[nz], cols[nz], ws[nz]


def _contract_dataset(
    data: Dataset,
    attr: str,
    kind: str,
    func: str,
    *,
    weight: str,
    events: Iterable[Hashable] | None,
    min_weight: float | None = None,
) -> nx.Graph:
    _check_weight(weight, ("count", "newman"))
    inc = _attendance_input(data, None, func)
    keep = _event_mask(inc, events)
    B = _keep_columns(inc.B, keep)
    if attr not in data.people.columns:
        msg = f"`{attr}` is not a column of the people table (found {list(data.people.columns)})."
        raise ValueError(msg)
    labels = data.people[attr].reindex(inc.people)
    extra_groups: list[Hashable] = []
    if kind == "organisation" and attr == "organisation_id":
        extra_groups = data.organisations.index.tolist()
    values = pd.concat([labels.astype(object), pd.Series(extra_groups, dtype=object)])
    codes_all, groups = factorise(values)
    codes = codes_all[: len(labels)]
    k = len(groups)
    person = np.flatnonzero(codes >= 0)
    M = sp.csr_array((np.ones(person.size), (codes[person], person)), shape=(k, len(inc.people)))
    sizes = np.bincount(B.indices, minlength=B.shape[1]).astype(np.float64)
    if weight == "count":
        we = np.ones(B.shape[1])
    else:
        we = np.zeros(B.shape[1])
        multi = sizes > 1
        we[multi] = 1.0 / (sizes[multi] - 1)
    rows, cols, w = _group_pairs(M, B, we)
    if weight == "count":
        w = np.rint(w)
    total = float((we * sizes * (sizes - 1) / 2.0).sum())
    unassigned = inc.people[codes < 0].tolist()
    size = np.bincount(codes[person], minlength=k)
    H = nx.Graph()
    H.graph.update(
        created_with=f"connectnet.{func}",
        by=attr,
        weight=weight,
        events=None if events is None else inc.events[keep].tolist(),
        source=inc.source,
        unassigned=unassigned,
        unassigned_weight=max(0.0, total - float(w.sum())),
    )
    if min_weight is not None:  # the summed pairs below it are left out
        H.graph["min_weight"] = min_weight
        heavy = w >= min_weight
        rows, cols, w = rows[heavy], cols[heavy], w[heavy]
    table = data.organisations if (kind == "organisation" and attr == "organisation_id") else None
    gindex = _object_index(groups)
    attrs = _node_attrs(table, gindex)
    for a, s in zip(attrs, size.tolist(), strict=True):
        a.update(kind=kind, size=int(s))
    H.add_nodes_from(zip(groups, attrs, strict=True))
    gids = np.empty(len(groups), dtype=object)
    gids[:] = groups
    _add_edges(H, gids, rows, cols, [{"weight": x} for x in w.tolist()])
    report_unassigned(logger, unassigned, attr, func)
    return H


_CONTRACT_DOC = """

    Parameters
    ----------
    G_or_data
        A person graph (e.g. from :func:`coattendance_graph` or :func:`contact_graph`)
        to contract, or a :class:`~connectnet.Dataset` whose attendance is aggregated
        straight to groups (no person graph is built, so conferences cost nothing extra).
    {argdoc}
    weight
        Only for a Dataset: ``"count"`` (default) or ``"newman"`` person-tie weights to
        sum (``"jaccard"`` does not add up over groups: contract a jaccard person graph
        instead). For a graph, the edges' ``weight`` attribute is summed (missing = 1).
    events
        Only for a Dataset: event ids to use (default all).

    Returns
    -------
    networkx.Graph or networkx.DiGraph
        One node per group with ``kind`` and ``size`` (people in the group){extra_nodes}.
        Edge ``weight`` = summed person-tie weight between the groups; from a graph also
        ``ties`` = number of person ties. Ties within a group are kept as a self-loop
        (``G[g][g]``). A directed person graph gives a ``DiGraph``. ``G.graph`` records
        ``created_with``, ``by``, ``weight``, ``source``, ``unassigned`` (people with no
        group) and ``unassigned_weight`` (weight of their ties).

    Raises
    ------
    TypeError
        If ``G_or_data`` is neither a graph nor a Dataset, or is a multigraph.
    ValueError
        If ``weight`` is not allowed, an event id is unknown, or the attribute is not a
        people-table column.

    Examples
    --------
    >>> import networkx as nx
    >>> import connectnet as cn
    >>> P = nx.Graph()
    >>> P.add_nodes_from(["a", "b", "c"])
    >>> nx.set_node_attributes(P, {{"a": "X", "b": "X", "c": "Y"}}, "{attr}")
    >>> P.add_weighted_edges_from([("a", "b", 2.0), ("a", "c", 1.0), ("b", "c", 3.0)])
    >>> H = cn.{func}(P)
    >>> H["X"]["Y"], H["X"]["X"]
    ({{'weight': 4.0, 'ties': 2}}, {{'weight': 2.0, 'ties': 1}})
    >>> H.nodes["X"]["size"]
    2

    Notes
    -----
    For groups :math:`A \\ne B`, :math:`W_{{AB}} = \\sum_{{i \\in A, j \\in B}} w_{{ij}}`;
    the self-loop :math:`W_{{AA}}` sums the ties inside :math:`A` (counted once). So the
    total weight is preserved: Σ group weights + ``unassigned_weight`` = Σ person
    weights. Note that networkx's weighted degree counts a self-loop twice.

    From a Dataset the weights come from the group × event count matrix
    :math:`C = MB` (:math:`M` the group membership matrix):
    :math:`W_{{AB}} = \\sum_e w_e C_{{Ae}} C_{{Be}}` and
    :math:`W_{{AA}} = \\sum_e w_e C_{{Ae}}(C_{{Ae}} - 1)/2`, with :math:`w_e = 1`
    (count) or :math:`1/(n_e - 1)` (newman, :math:`n_e` counting every attendee). This
    equals contracting :func:`coattendance_graph` with the same weight, without forming
    person pairs; ``ties`` is not available this way (it needs the person pairs).
    People without a group are reported in ``G.graph["unassigned"]`` and a logged
    warning, not silently lost.
"""


def organisation_graph(
    G_or_data: nx.Graph | Dataset,
    *,
    by: str = "organisation_id",
    weight: str = "count",
    events: Iterable[Hashable] | None = None,
    min_weight: float | None = None,
) -> nx.Graph:
    if isinstance(G_or_data, LazyDataset):  # computed in the engine
        return G_or_data.organisation_graph(
            by=by, weight=weight, events=events, min_weight=min_weight
        )
    return _contract(
        G_or_data, by, "organisation", "organisation_graph", weight, events, min_weight
    )


def sector_graph(
    G_or_data: nx.Graph | Dataset,
    *,
    attr: str = "sector",
    weight: str = "count",
    events: Iterable[Hashable] | None = None,
) -> nx.Graph:
    if isinstance(G_or_data, LazyDataset):  # computed in the engine
        return G_or_data.sector_graph(attr=attr, weight=weight, events=events)
    return _contract(G_or_data, attr, "sector", "sector_graph", weight, events)


def _contract(
    G_or_data: nx.Graph | Dataset,
    attr: str,
    kind: str,
    func: str,
    weight: str,
    events: Iterable[Hashable] | None,
    min_weight: float | None = None,
) -> nx.Graph:
    """Shared body of organisation_graph and sector_graph."""
    if isinstance(G_or_data, Dataset):
        return _contract_dataset(
            G_or_data, attr, kind, func, weight=weight, events=events, min_weight=min_weight
        )
    if weight != "count" or events is not None or min_weight is not None:
        msg = (
            "`weight`, `events` and `min_weight` apply only to a Dataset; a graph's edge "
            "weights are summed."
        )
        raise ValueError(msg)
    return _contract_graph(G_or_data, attr, kind, func)


organisation_graph.__doc__ = (
    "Contract people to organisations: a node per organisation, edges summing ties."
    + _CONTRACT_DOC.format(
        argdoc="by\n        Person attribute naming the organisation (default "
        "``organisation_id``).\n    min_weight\n        Only for a Dataset: keep the edges "
        "(self-loops too) whose summed\n        ``weight`` is at least this (default all; "
        "``G.graph['min_weight']`` records it,\n        ``unassigned_weight`` still counts "
        "every tie). At national scale most pairs share\n        one or two meetings; "
        "with a :class:`~connectnet.LazyDataset` the light pairs never\n        leave the "
        "engine.",
        extra_nodes="; from a Dataset also the organisations-table columns (every "
        "organisation in the table is a node, even with no people); from a person graph "
        "the most common ``sector``, ``region`` and ``organisation_name`` (as ``name``) of "
        "its people",
        attr="organisation_id",
        func="organisation_graph",
    )
)
sector_graph.__doc__ = "Contract people to sectors: a node per sector, edges summing ties." + (
    _CONTRACT_DOC.format(
        argdoc="attr\n        Person attribute naming the group (default ``sector``).",
        extra_nodes="",
        attr="sector",
        func="sector_graph",
    )
)


# ----------------------------------------------------------------------- snapshots


def _periods(dates: pd.Series, by: str) -> list[tuple[Hashable, np.ndarray]]:
    """(bin start, row positions) for every period of offset ``by``, empty ones included."""
    ok = dates.notna().to_numpy()
    if (~ok).any():
        logger.warning("%d row(s) with no date left out of the snapshots.", int((~ok).sum()))
    s = pd.Series(np.flatnonzero(ok), index=pd.DatetimeIndex(dates[ok]))
    try:
        grouped = s.sort_index().resample(by)
    except (ValueError, TypeError) as exc:
        msg = f"`by` must be 'wave', 'event' or a pandas offset such as '6MS' or 'QS'; got {by!r}."
        raise ValueError(msg) from exc
    return [(label, grp.to_numpy()) for label, grp in grouped]


def snapshots(
    data: Dataset,
    *,
    kind: str = "contact",
    by: str = "wave",
    cumulative: bool = False,
    weight: str = "count",
    symmetrise: str | None = None,
) -> dict[Hashable, nx.Graph]:
    """One graph per wave, event or period, over the same node set.

    Parameters
    ----------
    data
        A :class:`~connectnet.Dataset`.
    kind
        ``"contact"`` (:func:`contact_graph`) or ``"coattendance"``
        (:func:`coattendance_graph`).
    by
        ``"wave"`` — contact waves in ``data.waves`` order (for co-attendance, the events
        table's ``wave`` column); ``"event"`` — each event in date order (co-attendance
        only); or a pandas offset alias such as ``"6MS"`` or ``"QS"`` — periods of contact
        or event dates, empty periods included.
    cumulative
        Each graph includes everything up to and including its label (default: only the
        label's own contacts or events).
    weight
        Co-attendance weight (``"count"``, ``"jaccard"``, ``"newman"``).
    symmetrise
        Contact symmetrisation, as in :func:`contact_graph`.

    Returns
    -------
    dict
        Label (wave, event id or period start ``Timestamp``) → graph, in time order. Every
        graph has the same nodes (all people), so waves compare; ``G.graph["snapshot"]``
        holds the label and ``G.graph["cumulative"]`` the flag. Contact snapshots also
        record ``G.graph["respondents"]`` as :func:`contact_graph` does: the people who
        reported at least one contact in that wave or period (with ``cumulative=True``,
        in it or any earlier one), directed or symmetrised alike.

    Raises
    ------
    TypeError
        If ``data`` is not a Dataset.
    ValueError
        If ``kind`` or ``by`` is unknown, there are no waves, ``by="event"`` is asked
        for contacts, ``weight`` is given for contacts or ``symmetrise`` for
        co-attendance.

    Examples
    --------
    >>> import pandas as pd
    >>> import connectnet as cn
    >>> con = pd.DataFrame({"source": ["a", "b", "a"], "target": ["b", "c", "c"],
    ...                     "wave": ["1", "2", "2"]})
    >>> people = pd.DataFrame({"sector": ["NHS", "NHS", "prison"]},
    ...                       index=pd.Index(["a", "b", "c"], name="person_id"))
    >>> empty = pd.DataFrame()
    >>> data = cn.Dataset(people, empty, empty, pd.DataFrame(columns=["event_id", "person_id"]),
    ...                   con)
    >>> snaps = cn.snapshots(data, by="wave", cumulative=True)
    >>> {label: G.number_of_edges() for label, G in snaps.items()}
    {'1': 1, '2': 3}

    Notes
    -----
    Rows without a wave (or date, for offsets) are left out with a logged warning. With
    ``by="event"`` events are ordered by date (events without a date last, then table
    order).
    """
    if not isinstance(data, Dataset):
        msg = f"`data` must be a connectnet.Dataset; got {type(data).__name__}."
        raise TypeError(msg)
    if kind not in ("contact", "coattendance"):
        msg = f"`kind` must be 'contact' or 'coattendance'; got {kind!r}."
        raise ValueError(msg)
    if not isinstance(by, str):
        msg = f"`by` must be 'wave', 'event' or a pandas offset string; got {by!r}."
        raise TypeError(msg)
    if kind == "contact":
        if weight != "count":
            msg = (
                f"`weight` applies only to kind='coattendance' (got weight={weight!r} with "
                "kind='contact'); contact weights are the reported ones."
            )
            raise ValueError(msg)
        return _contact_snapshots(data, by, cumulative, symmetrise)
    if symmetrise is not None:
        msg = (
            f"`symmetrise` applies only to kind='contact' (got symmetrise={symmetrise!r} "
            "with kind='coattendance'); co-attendance graphs are undirected already."
        )
        raise ValueError(msg)
    _check_weight(weight)
    return _coattendance_snapshots(data, by, cumulative, weight)


def _steps(
    labels: Sequence[Hashable], members: Sequence[np.ndarray], n: int, cumulative: bool
) -> Iterator[tuple[Hashable, np.ndarray]]:
    seen = np.zeros(n, dtype=bool)
    for label, idx in zip(labels, members, strict=True):
        mask = seen if cumulative else np.zeros(n, dtype=bool)
        mask[idx] = True
        yield label, mask.copy()


def _contact_snapshots(data: Dataset, by: str, cumulative: bool, symmetrise: str | None):
    if symmetrise is not None and symmetrise not in _SYMMETRISE:
        msg = f"`symmetrise` must be None or one of {list(_SYMMETRISE)}; got {symmetrise!r}."
        raise ValueError(msg)
    con = _contacts_input(data, None)
    n = con.src.size
    if by == "event":
        msg = "`by='event'` needs kind='coattendance'; contacts are grouped by 'wave' or date."
        raise ValueError(msg)
    if by == "wave":
        waves = data.waves
        if not waves:
            msg = "the contacts table has no waves; use by='6MS' (dates) or contact_graph."
            raise ValueError(msg)
        labels_s = con.wave.astype(object) if con.wave is not None else None
        assert labels_s is not None
        missing = int(labels_s.isna().sum())
        if missing:
            logger.warning("%d contact(s) with no wave left out of the snapshots.", missing)
        text = _wave_texts(labels_s)
        labels: list[Hashable] = list(waves)
        members = [np.flatnonzero((text == _wave_text(w)).to_numpy()) for w in waves]
    else:
        if con.date is None:
            msg = "the contacts table has no `date` column to group by period."
            raise ValueError(msg)
        periods = _periods(con.date, by)
        labels = [p[0] for p in periods]
        members = [p[1] for p in periods]
    out: dict[Hashable, nx.Graph] = {}
    for label, mask in _steps(labels, members, n, cumulative):
        graph = {
            "created_with": "connectnet.snapshots",
            "kind": "contact",
            "snapshot": label,
            "by": by,
            "cumulative": cumulative,
            "symmetrise": symmetrise,
            "source": con.source,
        }
        out[label] = _contact_graph(con, mask, symmetrise, graph)
    return out


def _event_order(inc: _Incidence) -> np.ndarray:
    """Event positions by date (NaT last), ties in table order."""
    if inc.events_table is not None and "date" in inc.events_table.columns:
        dates = inc.events_table["date"].reindex(inc.events)
        dates = pd.to_datetime(dates)
        key = pd.DataFrame({"d": dates.to_numpy(), "i": np.arange(len(inc.events))})
        return key.sort_values(["d", "i"], na_position="last")["i"].to_numpy()
    return np.arange(len(inc.events))


def _coattendance_snapshots(data: Dataset, by: str, cumulative: bool, weight: str):
    inc = _attendance_input(data, None, "snapshots")
    ne = len(inc.events)
    evs = inc.events_table
    if by == "event":
        order = _event_order(inc)
        labels = inc.events[order].tolist()
        members = [np.array([i]) for i in order]
    elif by == "wave":
        if evs is None or "wave" not in evs.columns:
            msg = (
                "co-attendance snapshots by wave need a `wave` column in the events table; "
                "use by='event' or a period such as by='6MS'."
            )
            raise ValueError(msg)
        wave = evs["wave"].reindex(inc.events)
        from connectnet.data import _wave_order

        labels = list(_wave_order(wave))
        text = _wave_texts(wave)
        unwaved = int(text.isna().sum())
        if unwaved:
            logger.warning(
                "%d event(s) with no wave left out of the snapshots: %s",
                unwaved,
                ", ".join(map(repr, inc.events[text.isna().to_numpy()][:10].tolist())),
            )
        members = [np.flatnonzero((text == _wave_text(w)).to_numpy()) for w in labels]
    else:
        if evs is None or "date" not in evs.columns:
            msg = "the events table has no `date` column to group by period."
            raise ValueError(msg)
        dates = pd.to_datetime(evs["date"].reindex(inc.events)).reset_index(drop=True)
        periods = _periods(dates, by)
        labels = [p[0] for p in periods]
        members = [p[1] for p in periods]
    out: dict[Hashable, nx.Graph] = {}
    for label, mask in _steps(labels, members, ne, cumulative):
        pairs = _project(
            inc,
            mask,
            weight=weight,
            min_weight=None,
            max_event_size=None,
            max_memory=DEFAULT_MAX_MEMORY,
        )
        graph = {
            "created_with": "connectnet.snapshots",
            "kind": "coattendance",
            "snapshot": label,
            "by": by,
            "cumulative": cumulative,
            "weight": weight,
            "events": inc.events[mask].tolist(),
            "source": inc.source,
        }
        out[label] = _person_graph(
            inc.people,
            inc.people_table,
            pairs,
            graph,
            include_isolates=True,
            edge_attr=("shared_events", pairs.shared),
        )
    return out


# ------------------------------------------------------------------------ summary


def _series_codes(inc: _Incidence, order: np.ndarray, series: str | None) -> np.ndarray:
    """Series code of each event in ``order`` (ranked positions): 0 for every event
    without ``series`` (or when the default ``"programme"`` column is absent or blank), else a
    code per label of the events-table column (``-1`` for an event with no label)."""
    ne = len(order)
    table = inc.events_table
    if series is None or (
        series == _DEFAULT_SERIES
        and (table is None or series not in table.columns or table[series].isna().all())
    ):
        return np.zeros(ne, dtype=np.int64)
    if table is None:
        msg = (
            f"`series={series!r}` needs an events table with that column; pass a Dataset "
            "(or `series=None`)."
        )
        raise ValueError(msg)
    if series not in table.columns:
        msg = (
            f"`series={series!r}` is not a column of the events table "
            f"(found {list(table.columns)})."
        )
        raise ValueError(msg)
    labels = table[series].reindex(inc.events[order]).astype(object)
    codes, _ = factorise(labels.reset_index(drop=True))
    return codes.astype(np.int64)


def _series_labels(
    inc: _Incidence, ev_ids: pd.Index, codes: np.ndarray, series: str | None
) -> np.ndarray:
    """Each ranked event's series label (None with one series or no label)."""
    out = np.full(len(ev_ids), None, dtype=object)
    table = inc.events_table
    if series is not None and table is not None and series in table.columns:
        labels = table[series].reindex(ev_ids).to_numpy(dtype=object)
        out[codes >= 0] = labels[codes >= 0]
    return out


def _series_retention(Bo: sp.csr_array, codes: np.ndarray, attendees: np.ndarray) -> np.ndarray:
    """Per ranked event: the share of its attendees who attended an earlier event of the
    same series (NaN for the first event of a series, an unlabelled or an empty event)."""
    ne = len(codes)
    people = np.repeat(np.arange(Bo.shape[0]), np.diff(Bo.indptr))
    events = Bo.indices
    labelled = codes[events] >= 0
    people, events = people[labelled], events[labelled]
    series = codes[events]
    by = np.lexsort((events, series, people))  # each person's events per series, in order
    people, series, events = people[by], series[by], events[by]
    again = np.zeros(len(events), dtype=bool)
    again[1:] = (people[1:] == people[:-1]) & (series[1:] == series[:-1])
    back = np.bincount(events[again], minlength=ne)
    first_of_series = np.zeros(ne, dtype=bool)
    valid = np.flatnonzero(codes >= 0)
    if valid.size:
        first_of_series[valid[np.unique(codes[valid], return_index=True)[1]]] = True
    retention = np.full(ne, np.nan)
    ok = (codes >= 0) & ~first_of_series & (attendees > 0)
    retention[ok] = back[ok] / attendees[ok]
    return retention


@dataclass(frozen=True)
class AttendanceSummary:
    """Attendance tables from :func:`attendance_summary`.

    Attributes
    ----------
    events
        One row per event in date order (index ``event_id``): ``date``, ``attendees``,
        ``first_timers``, ``returners``, ``series``, ``retention`` and
        ``sector_<label>`` counts.
    people
        One row per person (index ``person_id``): ``sector``, ``events_attended``,
        ``first_event``, ``last_event``, ``first_date``, ``last_date``.
    """

    events: pd.DataFrame
    people: pd.DataFrame

    def __repr__(self) -> str:
        n_att = int((self.people["events_attended"] > 0).sum()) if len(self.people) else 0
        return (
            f"AttendanceSummary({len(self.events)} events, {len(self.people)} people, "
            f"{n_att} attended at least once)"
        )


_DEFAULT_SERIES = "programme"


def attendance_summary(
    data: Dataset | pd.DataFrame,
    *,
    people: pd.DataFrame | None = None,
    series: str | None = _DEFAULT_SERIES,
) -> AttendanceSummary:
    r"""Who came to each event, and each person's attendance record.

    Parameters
    ----------
    data
        A :class:`~connectnet.Dataset`, or an attendance DataFrame (``event_id``,
        ``person_id``).
    people
        Optional people table (for ``sector``) when ``data`` is a DataFrame.
    series
        Events-table column naming each event's series (default ``"programme"``, used
        when the events table has it; otherwise, or with ``None``, all events are one
        series). Pass e.g. ``"region"`` for parallel regional meetings. Retention is
        measured within a series.

    Returns
    -------
    AttendanceSummary
        ``events``: one row per event in date order (undated events last; events on the
        same date in table order), with

        - ``date``, ``attendees`` (distinct people);
        - ``first_timers``: attendees for whom this is the first event in that order;
        - ``returners``: ``attendees − first_timers``, people who attended *any* earlier
          event (of any series);
        - ``series``: the event's series label (``None`` with one series);
        - ``retention``: the share of the event's attendees who attended an earlier
          event of the same series, :math:`|A_e \cap \bigcup_{f < e,\, s(f) = s(e)}
          A_f| / |A_e|`; ``nan`` for the first event of a series, an event with no
          series label or no attendees;
        - one ``sector_<label>`` count column per sector.

        ``people``: per person — ``sector``, ``events_attended``, ``first_event``,
        ``last_event``, ``first_date``, ``last_date`` (``None``/``NaT`` for people who
        attended nothing).

    Raises
    ------
    TypeError
        If ``data`` is neither a Dataset nor a DataFrame.
    ValueError
        If the attendance table lacks ``event_id``/``person_id``, or ``series`` is not a
        column of the events table (or there is no events table).

    Examples
    --------
    >>> import pandas as pd
    >>> import connectnet as cn
    >>> att = pd.DataFrame({"event_id": ["e1", "e1", "e2", "e2", "e2"],
    ...                     "person_id": ["a", "b", "a", "c", "d"]})
    >>> s = cn.attendance_summary(att)
    >>> s.events[["attendees", "first_timers", "returners", "retention"]].reset_index()
      event_id  attendees  first_timers  returners  retention
    0       e1          2             2          0        NaN
    1       e2          3             2          1   0.333333

    Notes
    -----
    Without an events table, events are taken in order of first appearance in the
    attendance table. People with no sector are counted under ``sector_unknown``.

    ``retention`` answers "how many of the people here have been to this series
    before?": it counts returns from any earlier event of the series, not only the one
    just before, so parallel meetings (one per region, interleaved in time) do not look
    like a loss. With one series it is ``returners / attendees``. An event with no
    ``series`` label has no retention and counts for no other event. Events on the same
    date are ordered as in the table, so someone at two same-day meetings counts as a
    first-timer at the one listed first and a returner at the other.
    """
    if isinstance(data, LazyDataset) and people is None:  # computed in the engine
        return data.attendance_summary(series=series)
    inc = _attendance_input(data, people, "attendance_summary")
    order = _event_order(inc)
    ne, n = len(inc.events), len(inc.people)
    rank = np.empty(ne, dtype=np.int64)
    rank[order] = np.arange(ne)
    B = inc.B
    Bo = sp.csr_array((B.data, rank[B.indices], B.indptr), shape=B.shape)
    Bo.sort_indices()
    attendees = np.bincount(Bo.indices, minlength=ne)
    counts = np.diff(Bo.indptr)
    has = counts > 0
    starts = Bo.indptr[:-1][has]
    first = np.full(n, -1, dtype=np.int64)
    last = np.full(n, -1, dtype=np.int64)
    if Bo.nnz:
        first[has] = np.minimum.reduceat(Bo.indices, starts)
        last[has] = np.maximum.reduceat(Bo.indices, starts)
    first_timers = np.bincount(first[has], minlength=ne)
    series_codes = _series_codes(inc, order, series)
    retention = _series_retention(Bo, series_codes, attendees)
    if inc.people_table is not None and "sector" in inc.people_table.columns:
        sector = inc.people_table["sector"].reindex(inc.people).astype(object)
    else:
        sector = pd.Series([None] * n, index=inc.people, dtype=object)
    sector = sector.where(sector.notna(), "unknown")
    codes, labels = factorise(sector)
    S = sp.csr_array((np.ones(n), (codes, np.arange(n))), shape=(len(labels), n))
    by_sector = (S @ Bo).toarray().astype(np.int64) if n else np.zeros((len(labels), ne))
    ev_ids = inc.events[order]

    if inc.events_table is not None and "date" in inc.events_table.columns:
        dates = pd.to_datetime(inc.events_table["date"].reindex(ev_ids)).to_numpy()
    else:
        dates = np.full(ne, np.datetime64("NaT"), dtype="datetime64[ns]")
    eindex = pd.Index(ev_ids.to_numpy(dtype=object), name="event_id", dtype=object)
    ev = pd.DataFrame(
        {
            "date": pd.to_datetime(dates),
            "attendees": attendees.astype(np.int64),
            "first_timers": first_timers.astype(np.int64),
            "returners": (attendees - first_timers).astype(np.int64),
            "series": pd.Series(
                _series_labels(inc, ev_ids, series_codes, series), index=eindex, dtype=object
            ),
            "retention": retention,
        },
        index=eindex,
    )
    for i, label in enumerate(labels):
        ev[f"sector_{label}"] = by_sector[i]
    ppl = _people_attendance(
        inc.people.to_numpy(dtype=object),
        sector.to_numpy(dtype=object),
        counts,
        first,
        last,
        ev_ids.to_numpy(dtype=object),
        pd.to_datetime(dates),
    )
    return AttendanceSummary(ev, ppl)


def _people_attendance(
    people: np.ndarray,
    sector: np.ndarray,
    counts: np.ndarray,
    first: np.ndarray,
    last: np.ndarray,
    event_ids: np.ndarray,
    dates: object,
) -> pd.DataFrame:
    """The per-person table of :class:`AttendanceSummary` (shared with the engine):
    ``first``/``last`` are positions into ``event_ids`` and ``dates`` (``-1``: none)."""

    def pick(at: np.ndarray, values: np.ndarray, fill: object) -> np.ndarray:
        got = np.empty(len(at), dtype=object)
        got[:] = fill
        got[at >= 0] = values[at[at >= 0]]
        return got

    pindex = pd.Index(people, name="person_id", dtype=object)
    date_obj = pd.to_datetime(dates).to_numpy(dtype=object)
    return pd.DataFrame(
        {
            "sector": pd.Series(sector, index=pindex, dtype=object),
            "events_attended": pd.Series(counts.astype(np.int64), index=pindex),
            "first_event": pd.Series(pick(first, event_ids, None), index=pindex, dtype=object),
            "last_event": pd.Series(pick(last, event_ids, None), index=pindex, dtype=object),
            "first_date": pd.Series(pd.to_datetime(pick(first, date_obj, pd.NaT)), index=pindex),
            "last_date": pd.Series(pd.to_datetime(pick(last, date_obj, pd.NaT)), index=pindex),
        },
        index=pindex,
    )
