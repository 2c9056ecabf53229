"""Privacy: stable salted pseudonyms for people and name-free copies of data and graphs.

Shared outputs (maps, plots, exports, reports) about prison, NHS or civil-service staff
should not carry names. :func:`pseudonymise` replaces every person id with a short code
derived from the id and a secret *salt* (HMAC-SHA256), so the same person gets the same
code in every wave and file made with the same salt, and codes made with different salts
cannot be linked. :func:`drop_names` removes free-text name fields without recoding ids,
and :func:`pseudonym_codes` gives the id → code key table the analyst keeps private.
"""

from __future__ import annotations

import dataclasses
import hashlib
import hmac
import re
from collections.abc import Hashable, Iterable, Sequence
from typing import TypeVar

import networkx as nx
import pandas as pd

__all__ = ["drop_names", "pseudonym_codes", "pseudonymise", "suppress_small_counts"]

_MIN_SALT = 8
_T = TypeVar("_T")

# Columns of the Dataset tables that hold person ids.
_PERSON_ID_COLUMNS = {
    "attendance": ("person_id",),
    "contacts": ("source", "target"),
    "respondents": ("person_id",),
}
# Columns of the link tables that are not about a person (kept by `keep_columns`); any
# other column (a sign-in sheet's name, e-mail or phone) is dropped with the names.
_LINK_COLUMNS = {
    "attendance": ("event_id", "person_id", "status", "date"),
    "contacts": ("source", "target", "wave", "date", "weight", "kind"),
    "respondents": ("person_id", "wave"),
}
# People columns always kept by `keep_columns`: what the analysis groups people by.
_ALWAYS_KEPT = ("sector", "organisation_id")
# Graph attributes (set by connectnet.build) that list person ids.
_PERSON_LIST_GRAPH_KEYS = ("respondents", "unassigned")


def _salt_bytes(salt: str | bytes) -> bytes:
    if isinstance(salt, str):
        key = salt.encode("utf-8")
    elif isinstance(salt, bytes | bytearray):
        key = bytes(salt)
    else:
        msg = f"`salt` must be a str or bytes, not {type(salt).__name__}."
        raise TypeError(msg)
    if len(key) < _MIN_SALT:
        msg = (
            f"`salt` must be at least {_MIN_SALT} characters long, got {len(key)}. Use a long "
            "random secret, e.g. secrets.token_hex(16), keep it out of shared outputs and "
            "reuse it for every wave that must link up."
        )
        raise ValueError(msg)
    return key


def _check_code_options(prefix: str, length: int) -> None:
    if not isinstance(prefix, str):
        msg = f"`prefix` must be a str, not {type(prefix).__name__}."
        raise TypeError(msg)
    if isinstance(length, bool) or not isinstance(length, int) or not 4 <= length <= 64:
        msg = f"`length` must be an int between 4 and 64 (hex digits), got {length!r}."
        raise ValueError(msg)


def _code(key: bytes, ident: Hashable, prefix: str, length: int) -> str:
    digest = hmac.new(key, str(ident).encode("utf-8"), hashlib.sha256).hexdigest()
    return prefix + digest[:length].upper()


def _code_map(
    ids: Iterable[Hashable], salt: str | bytes, prefix: str, length: int
) -> dict[Hashable, str]:
    """id → code for unique ids; raise if two different ids share a code."""
    _check_code_options(prefix, length)
    key = _salt_bytes(salt)
    mapping: dict[Hashable, str] = {}
    seen: dict[str, Hashable] = {}
    for ident in ids:
        if ident in mapping:
            continue
        code = _code(key, ident, prefix, length)
        if code in seen:
            msg = (
                f"ids {seen[code]!r} and {ident!r} get the same code {code!r}: their text "
                f"forms are equal or the {length}-digit codes collide. Make the ids distinct "
                "or pass a larger `length` (and use it for every wave)."
            )
            raise ValueError(msg)
        seen[code] = ident
        mapping[ident] = code
    return mapping


def pseudonym_codes(
    ids: Iterable[Hashable], *, salt: str | bytes, prefix: str = "P-", length: int = 8
) -> pd.Series:
    """Stable salted codes for a list of ids: the private key table.

    Parameters
    ----------
    ids
        Person ids (any hashable; the code is computed from the id's text form,
        so ``7`` and ``"7"`` get the same code). Repeated ids appear once.
    salt
        Secret key (str or bytes, at least 8 characters). Same salt → same codes.
    prefix
        Text put before the hexadecimal digits.
    length
        Number of hexadecimal digits (4 to 64).

    Returns
    -------
    pandas.Series
        Named ``"code"``, indexed by id (first-appearance order), values like
        ``"P-3F9A1C2B"``. Keep it private: it links codes back to people.

    Raises
    ------
    TypeError
        If `salt` is not str or bytes.
    ValueError
        If `salt` is shorter than 8 characters, `length` is out of range, or two
        different ids get the same code.

    Examples
    --------
    >>> codes = pseudonym_codes(["p1", "p2"], salt="keep-this-secret")
    >>> codes.name, len(codes), bool(codes.str.match(r"P-[0-9A-F]{8}$").all())
    ('code', 2, True)
    >>> codes["p1"] == pseudonym_codes(["p0", "p1"], salt="keep-this-secret")["p1"]
    True
    >>> codes["p1"] == pseudonym_codes(["p1"], salt="another-secret")["p1"]
    False

    Notes
    -----
    The code is the first `length` hexadecimal digits of HMAC-SHA256(salt, id). With
    8 digits (32 bits) the chance that two of 20,000 people collide is about 5 %;
    a collision is detected and raises rather than silently merging people.
    """
    mapping = _code_map(ids, salt, prefix, length)
    index = pd.Index(list(mapping), dtype=object, tupleize_cols=False)
    return pd.Series(list(mapping.values()), index=index, name="code", dtype=object)


def _is_person(attrs: dict) -> bool:
    return attrs.get("kind", "person") == "person"


def _is_bipartite_person(node: Hashable) -> bool:
    return isinstance(node, tuple) and len(node) == 2 and node[0] == "person"


def _node_codes(
    G: nx.Graph, salt: str | bytes, prefix: str = "P-", length: int = 8
) -> dict[Hashable, str]:
    """Person node → code. A bipartite key ``("person", id)`` is coded from ``id``, so a
    person gets the same code in attendance, co-attendance and contact graphs."""
    persons = [n for n, attrs in G.nodes(data=True) if _is_person(attrs)]
    ids = [n[1] if _is_bipartite_person(n) else n for n in persons]
    by_id = _code_map(ids, salt, prefix, length)
    return {node: by_id[ident] for node, ident in zip(persons, ids, strict=True)}


def _check_fields(fields: Sequence[str]) -> tuple[str, ...]:
    if isinstance(fields, str):
        return (fields,)
    out = tuple(fields)
    if not all(isinstance(f, str) for f in out):
        msg = f"`fields` must be a sequence of attribute/column names (str), got {fields!r}."
        raise TypeError(msg)
    return out


def _dataset_type():
    from connectnet.data import Dataset

    return Dataset


def _graph_without(G: nx.Graph, fields: tuple[str, ...]) -> nx.Graph:
    H = G.copy()
    for _, attrs in H.nodes(data=True):
        if _is_person(attrs):
            for field in fields:
                attrs.pop(field, None)
    return H


def _token_pattern(tokens: Iterable[str]) -> re.Pattern[str] | None:
    """Whole-token matches of `tokens` (longest first); digit-only tokens only in quotes,
    so an id ``12`` does not replace the row number in "row 12"."""
    bare: list[str] = []
    quoted: list[str] = []
    for token in sorted(set(tokens), key=len, reverse=True):
        if token:
            (quoted if token.isdigit() else bare).append(re.escape(token))
    parts = []
    if bare:
        parts.append(r"(?<!\w)(?:" + "|".join(bare) + r")(?!\w)")
    if quoted:
        parts.append(r"(?<=['\"])(?:" + "|".join(quoted) + r")(?=['\"])")
    return re.compile("|".join(parts)) if parts else None


def _redact_report(
    data: object,
    fields: tuple[str, ...],
    id_codes: dict[Hashable, str],
    dropped: dict[str, tuple[str, ...]] | None = None,
) -> pd.DataFrame:
    """The load report with ``value`` blanked and ids/removed fields taken out of ``reason``.

    In the reasons, person ids become their codes (when `id_codes` is given), values of
    the removed `fields` (names) become ``(name hidden)``, and the raw value of a row about
    a person id or a removed field becomes ``(hidden)``.
    """
    report = data.load_report.copy()  # type: ignore[attr-defined]
    people = data.people  # type: ignore[attr-defined]
    if "reason" in report and len(report):
        swap: dict[str, str] = {}
        for field in fields:
            if field in people.columns:
                hidden = "(name hidden)" if field == "name" else f"({field} hidden)"
                for value in people[field].dropna():
                    swap.setdefault(str(value).strip(), hidden)
        for table, columns in (dropped or {}).items():
            frame = getattr(data, table)
            for column in columns:
                hidden = "(name hidden)" if column == "name" else f"({column} hidden)"
                for value in frame[column].dropna():
                    if str(value).strip():
                        swap.setdefault(str(value).strip(), hidden)
        swap.update({str(ident): code for ident, code in id_codes.items()})
        sensitive = set(fields).union(
            *_PERSON_ID_COLUMNS.values(), *(dropped or {}).values(), {"person_id"}
        )
        reasons = []
        pattern = _token_pattern(swap)
        for row in report.itertuples(index=False):
            text = row.reason
            if not isinstance(text, str):
                reasons.append(text)
                continue
            value = getattr(row, "value", None)
            own = None
            if getattr(row, "column", None) in sensitive and isinstance(value, str):
                own = _token_pattern([value.strip()])
            if pattern is not None:
                text = pattern.sub(lambda m: swap[m.group(0)], text)
            if own is not None:
                text = own.sub("(hidden)", text)
            reasons.append(text)
        report["reason"] = pd.Series(reasons, index=report.index, dtype=object)
    if "value" in report:
        report["value"] = pd.Series(pd.NA, index=report.index, dtype=object)
    return report


def _removed_columns(
    data: object, fields: tuple[str, ...], keep_columns: Sequence[str] | None
) -> tuple[tuple[str, ...], dict[str, tuple[str, ...]]]:
    """People columns to remove, and per link table the extra columns to remove."""
    people = data.people  # type: ignore[attr-defined]
    if keep_columns is None:
        return tuple(f for f in fields if f in people.columns), {}
    keep = set(_check_fields(keep_columns)) - set(fields)
    removed = tuple(str(c) for c in people.columns if c not in keep and c not in _ALWAYS_KEPT)
    dropped = {}
    for table, own in _LINK_COLUMNS.items():
        frame = getattr(data, table)
        extra = tuple(c for c in frame.columns if c not in own and c not in keep)
        if extra:
            dropped[table] = extra
    return removed, dropped


def suppress_small_counts(
    table: pd.DataFrame, *, below: int = 5, columns: Sequence[str] | None = None
) -> pd.DataFrame:
    """Hide counts of fewer than `below` people in a table meant for publication.

    Parameters
    ----------
    table
        A table of counts. Never modified.
    below
        Counts ``1 <= n < below`` are suppressed (default 5, common NHS statistical
        disclosure practice); ``0`` is kept (an empty cell discloses nobody). ``below=0``
        or ``1`` suppresses nothing.
    columns
        The columns holding counts of people; default every integer column (and every
        float column whose values are all whole numbers).

    Returns
    -------
    pandas.DataFrame
        A copy with each suppressed count replaced by the text ``"<5"`` (``"<below"``);
        ``attrs["suppressed"]`` holds how many cells were suppressed.

    Raises
    ------
    ValueError
        If `below` is negative or a column in `columns` is missing.

    Examples
    --------
    >>> import pandas as pd
    >>> t = pd.DataFrame({"people": [12, 3, 0], "share": [0.8, 0.2, 0.0]}, index=["a", "b", "c"])
    >>> out = suppress_small_counts(t)
    >>> out["people"].tolist(), out["share"].tolist(), out.attrs["suppressed"]
    ([12, '<5', 0], [0.8, 0.2, 0.0], 1)

    Notes
    -----
    This is primary suppression only: a total printed beside the cells can still reveal
    a suppressed cell by subtraction. Publish totals with care.
    """
    if isinstance(below, bool) or not isinstance(below, int) or below < 0:
        msg = f"`below` must be a whole number >= 0, got {below!r}."
        raise ValueError(msg)
    if columns is None:
        columns = [
            c
            for c in table.columns
            if pd.api.types.is_integer_dtype(table[c])
            or (
                pd.api.types.is_float_dtype(table[c])
                and bool(((table[c].dropna() % 1) == 0).all())
                and len(table[c].dropna())
            )
        ]
    missing = [c for c in columns if c not in table.columns]
    if missing:
        msg = f"`columns` {missing} are not in the table; its columns are {list(table.columns)}."
        raise ValueError(msg)
    out = table.copy()
    count = 0
    for column in columns:
        values = pd.to_numeric(out[column], errors="coerce")
        small = (values >= 1) & (values < below)
        if small.any():
            whole = out[column].map(lambda v: int(v) if isinstance(v, float) and v % 1 == 0 else v)
            out[column] = whole.astype(object).where(~small, f"<{below}")
            count += int(small.sum())
    out.attrs["suppressed"] = count
    return out


def pseudonymise(
    data_or_graph: _T,
    *,
    salt: str | bytes,
    fields: Sequence[str] = ("name",),
    keep_columns: Sequence[str] | None = None,
    prefix: str = "P-",
    length: int = 8,
) -> _T:
    """Replace person ids by stable salted codes and remove free-text name fields.

    Parameters
    ----------
    data_or_graph
        A :class:`connectnet.Dataset` or a networkx graph. Never modified.
    salt
        Secret key (str or bytes, at least 8 characters). The same person gets the same
        code in every wave and file pseudonymised with the same salt; codes made with
        different salts cannot be linked. Keep it out of anything you share.
    fields
        Person attributes (graph) or ``people`` columns (Dataset) to remove, by default
        the ``name``.
    keep_columns
        *Dataset only.* When given, a keep-list instead: every ``people`` column is removed
        except ``sector``, ``organisation_id`` and these (so e-mail addresses, phone
        numbers, roles and notes never reach an output unless asked for), and every column
        of attendance, contacts and respondents that is not connectnet's own (a sign-in
        sheet's names or e-mails) is removed too, unless listed. `fields` are then removed
        even if listed here.
    prefix, length
        Code format, see :func:`pseudonym_codes`.

    Returns
    -------
    Dataset or networkx.Graph
        The same type as the input: a new object.

        *Graph*: person nodes (``kind="person"`` or no ``kind``) are relabelled to their
        codes (``("person", id)`` keys of attendance graphs become ``("person", code)``,
        with the code of ``id``) and lose the `fields` attributes; organisation and event
        nodes and all edge data are kept; the person-id lists that
        :mod:`connectnet.build` records in ``G.graph["respondents"]`` and
        ``G.graph["unassigned"]`` hold the codes too (so the change tests still find the
        respondents, and no raw id is left in a GraphML export);
        ``G.graph["pseudonymised"]`` is set to ``True``.

        *Dataset*: the ``people`` index, ``attendance.person_id`` and
        ``contacts.source``/``target`` hold codes; the `fields` columns of ``people`` are
        dropped; the load report's ``value`` column (which can quote names from rejected
        rows) is blanked, and in its ``reason`` text person ids become their codes, names
        (values of the removed `fields`) become ``(name hidden)`` and the raw value of a
        row about a person id or a name becomes ``(hidden)``. Organisations and events are
        unchanged (organisations are not people: their names are kept).

    Raises
    ------
    TypeError
        If `data_or_graph` is neither a Dataset nor a networkx graph, or `salt` has the
        wrong type.
    ValueError
        If `salt` is too short, two ids get the same code, or a code equals the id of a
        non-person node.

    Examples
    --------
    >>> import networkx as nx
    >>> G = nx.Graph()
    >>> G.add_node("p1", name="Ann Smith", sector="NHS")
    >>> G.add_node("p2", name="Bob Jones", sector="prison")
    >>> G.add_edge("p1", "p2", weight=2)
    >>> H = pseudonymise(G, salt="keep-this-secret")
    >>> code = pseudonym_codes(["p1"], salt="keep-this-secret")["p1"]
    >>> code
    'P-1805A1FC'
    >>> dict(H.nodes[code]), H.number_of_edges()
    ({'sector': 'NHS'}, 1)
    >>> "p1" in G and "p1" not in H
    True

    Notes
    -----
    Codes are pseudonyms, not anonymity: anyone holding the salt and a list of ids can
    recompute them, and a person can still be recognised from their organisation, role
    or position in a small network (see ``docs/privacy.md``). Other columns that may
    identify people (e-mail, free-text notes) must be listed in `fields`.
    """
    fields = _check_fields(fields)
    if isinstance(data_or_graph, nx.Graph):
        G = data_or_graph
        codes = _node_codes(G, salt, prefix, length)
        mapping = {
            node: (("person", code) if _is_bipartite_person(node) else code)
            for node, code in codes.items()
        }
        others = {n for n in G if n not in mapping}
        clash = others.intersection(mapping.values())
        if clash:
            msg = (
                f"codes {sorted(map(str, clash))} equal ids of non-person nodes; pass a "
                "different `prefix`."
            )
            raise ValueError(msg)
        H = nx.relabel_nodes(_graph_without(G, fields), mapping, copy=True)
        key = _salt_bytes(salt)
        for name in _PERSON_LIST_GRAPH_KEYS:
            listed = G.graph.get(name)
            if isinstance(listed, list | tuple | set | frozenset):
                coded = [
                    mapping[p] if p in mapping else _code(key, p, prefix, length) for p in listed
                ]
                H.graph[name] = type(listed)(coded)
        H.graph["pseudonymised"] = True
        return H
    Dataset = _dataset_type()
    if isinstance(data_or_graph, Dataset):
        data = data_or_graph
        ids: list[Hashable] = list(data.people.index)
        for table, columns in _PERSON_ID_COLUMNS.items():
            frame = getattr(data, table)
            for column in columns:
                if column in frame:
                    ids.extend(frame[column].dropna().tolist())
        id_codes = _code_map(ids, salt, prefix, length)
        removed, dropped = _removed_columns(data, fields, keep_columns)
        people = data.people.drop(columns=list(removed)).rename(index=id_codes)
        changes: dict[str, pd.DataFrame] = {"people": people}
        for table, columns in _PERSON_ID_COLUMNS.items():
            frame = getattr(data, table).drop(columns=list(dropped.get(table, ())))
            for column in columns:
                if column in frame:
                    frame[column] = frame[column].map(id_codes, na_action="ignore")
            changes[table] = frame
        changes["load_report"] = _redact_report(data, removed, id_codes, dropped)
        return dataclasses.replace(data, **changes)
    msg = (
        "`data_or_graph` must be a connectnet.Dataset or a networkx graph, not "
        f"{type(data_or_graph).__name__}."
    )
    raise TypeError(msg)


def drop_names(data_or_graph: _T, *, fields: Sequence[str] = ("name",)) -> _T:
    """A copy without free-text name fields; ids are kept (use before name-free exports).

    Parameters
    ----------
    data_or_graph
        A :class:`connectnet.Dataset` or a networkx graph. Never modified.
    fields
        Person attributes (graph) or ``people`` columns (Dataset) to remove.

    Returns
    -------
    Dataset or networkx.Graph
        The same type as the input. In a graph only person nodes (``kind="person"`` or no
        ``kind``) lose the fields, so organisation names stay. In a Dataset the ``people``
        columns are dropped, the load report's ``value`` column is blanked and names in its
        ``reason`` text become ``(name hidden)``.

    Raises
    ------
    TypeError
        If `data_or_graph` is neither a Dataset nor a networkx graph.

    Examples
    --------
    >>> import networkx as nx
    >>> G = nx.Graph()
    >>> G.add_node("p1", name="Ann Smith", sector="NHS")
    >>> dict(drop_names(G).nodes["p1"]), G.nodes["p1"]["name"]
    ({'sector': 'NHS'}, 'Ann Smith')

    Notes
    -----
    Ids stay as they are, so the result is only name-free if the ids themselves are not
    names or staff numbers; otherwise use :func:`pseudonymise`.
    """
    fields = _check_fields(fields)
    if isinstance(data_or_graph, nx.Graph):
        return _graph_without(data_or_graph, fields)
    Dataset = _dataset_type()
    if isinstance(data_or_graph, Dataset):
        data = data_or_graph
        people = data.people.drop(columns=[f for f in fields if f in data.people.columns])
        report = _redact_report(data, fields, {})
        return dataclasses.replace(data, people=people, load_report=report)
    msg = (
        "`data_or_graph` must be a connectnet.Dataset or a networkx graph, not "
        f"{type(data_or_graph).__name__}."
    )
    raise TypeError(msg)
