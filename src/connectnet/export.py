"""Exports: graphs for Gephi (GEXF, GraphML) and tables for spreadsheets (CSV, XLSX).

Graph files hold only what the formats can: plain, consistently typed attribute values
(see :func:`write_gexf`). Table files are safe to open in Excel or LibreOffice: text that a
spreadsheet would run as a formula is made inert (see :func:`write_tables`).
"""

from __future__ import annotations

import datetime as _dt
import json
import math
import os
import re
import secrets
from collections.abc import Hashable, Iterable, Mapping
from pathlib import Path
from typing import Any

import networkx as nx
import numpy as np
import pandas as pd

from connectnet._arrays import check_graph

__all__ = ["neutralise_cell", "write_gexf", "write_graphml", "write_tables"]

# ---------------------------------------------------------------------------------------
# graph attribute cleaning
# ---------------------------------------------------------------------------------------

_MISSING = object()
# Characters XML 1.0 cannot hold (control characters, lone surrogates, U+FFFE/U+FFFF).
_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_REPLACEMENT = "\ufffd"
_INT64_MAX = 2**63 - 1

# Attribute names the networkx GEXF writer gives a special meaning (ids, time spells,
# hierarchy, drawing). User attributes with these names are renamed with a suffix.
_GEXF_NODE_RESERVED = frozenset(
    {"id", "label", "pid", "start", "end", "parents", "slices", "spells", "viz", "key"}
)
_GEXF_EDGE_RESERVED = frozenset(
    {"id", "label", "type", "start", "end", "slices", "spells", "viz", "key", "weight"}
)
# Graph attributes the networkx GraphML writer reads as settings.
_GRAPHML_GRAPH_RESERVED = frozenset({"id", "node_default", "edge_default"})
_RENAME_SUFFIX = "_value"


def _clean_text(text: str) -> str:
    return _XML_ILLEGAL.sub(_REPLACEMENT, text)


def _jsonable(value: Any) -> Any:
    if isinstance(value, np.ndarray):
        return [_jsonable(v) for v in value.tolist()]
    if isinstance(value, Mapping):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, set | frozenset):
        return sorted((_jsonable(v) for v in value), key=str)
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    if isinstance(value, np.generic):
        return value.item()
    if isinstance(value, float) and not math.isfinite(value):
        return str(value)
    if value is None or isinstance(value, bool | int | float | str):
        return value
    return str(value)


def _scalar(value: Any) -> Any:
    """A plain Python ``bool``/``int``/``float``/``str`` for XML, or ``_MISSING``."""
    if value is None:
        return _MISSING
    if isinstance(value, bool | np.bool_):
        return bool(value)
    if isinstance(value, int | np.integer):
        return int(value)
    if isinstance(value, float | np.floating):
        number = float(value)
        return _MISSING if math.isnan(number) else number
    if isinstance(value, str):
        return _clean_text(value)
    if isinstance(value, Mapping | list | tuple | set | frozenset | np.ndarray):
        return _clean_text(json.dumps(_jsonable(value), ensure_ascii=False))
    try:
        if pd.isna(value):
            return _MISSING
    except (TypeError, ValueError):  # pragma: no cover - exotic objects
        pass
    if isinstance(value, np.datetime64):
        value = pd.Timestamp(value)
    if isinstance(value, _dt.date | _dt.time):
        return value.isoformat()
    return _clean_text(str(value))


def _unify(records: list[dict[str, Any]]) -> None:
    """Give every attribute one type across ``records`` (modified in place).

    bool only → bool; int only → int (str if beyond 64 bits); int and float → float;
    any other mix → str.
    """
    kinds: dict[str, set[type]] = {}
    for record in records:
        for key, value in record.items():
            kinds.setdefault(key, set()).add(type(value))
    for key, types in kinds.items():
        convert: Any = None
        if types == {int}:
            if any(abs(r[key]) > _INT64_MAX for r in records if key in r):
                convert = str
        elif types == {int, float}:
            convert = float
        elif len(types) > 1:
            convert = str
        if convert is not None:
            for record in records:
                if key in record:
                    record[key] = convert(record[key])


class _Cleaner:
    """:func:`_scalar` of attribute values and the cleaned text of their names, with the
    text of names and of repeated string values (sectors, regions, ...) cleaned once."""

    def __init__(self) -> None:
        self.keys: dict[Any, str] = {}
        self.texts: dict[str, str] = {}

    def attrs(self, data: Mapping[Any, Any]) -> dict[str, Any]:
        out: dict[str, Any] = {}
        keys, texts = self.keys, self.texts
        for key, value in data.items():
            kind = type(value)
            if kind is str:
                clean = texts.get(value)
                if clean is None:
                    clean = texts[value] = _clean_text(value)
            elif kind is int:  # bool is not int here: its type is bool
                clean = value
            else:
                clean = _scalar(value)
                if clean is _MISSING:
                    continue
            name = keys.get(key)
            if name is None:
                name = keys[key] = _clean_text(str(key))
            out[name] = clean
        return out


def _export_id(node: Hashable) -> str | int:
    if isinstance(node, bool | np.bool_):
        return str(bool(node))
    if isinstance(node, int | np.integer):
        return int(node)
    if isinstance(node, str):
        return _clean_text(node)
    return _clean_text(str(node))


def _rename_reserved(records: list[dict[str, Any]], reserved: Iterable[str]) -> None:
    reserved = set(reserved)
    names = {key for record in records for key in record}
    renames: dict[str, str] = {}
    for key in names & reserved:
        new = key + _RENAME_SUFFIX
        while new in names or new in reserved:
            new += "_"
        renames[key] = new
    if renames:
        for record in records:
            for old, new in renames.items():
                if old in record:
                    record[new] = record.pop(old)


_CONTACT_DETAIL = re.compile(r"e-?mail|phone|mobile|tel\b|address|postcode", re.IGNORECASE)


def _hide_names(G: nx.Graph, salt: str | bytes | None) -> nx.Graph:
    from connectnet.privacy import pseudonymise

    # "label" too: Gephi users often copy the name there, and GEXF shows it as the label;
    # and any contact detail a sign-in sheet brought in (e-mail, phone, address)
    details = {
        str(key)
        for _, attrs in G.nodes(data=True)
        for key in attrs
        if _CONTACT_DETAIL.search(str(key))
    }
    return pseudonymise(
        G,
        salt=secrets.token_hex(16) if salt is None else salt,
        fields=("name", "label", *sorted(details)),
    )


def _clean_graph(G: nx.Graph, *, gexf: bool, color_by: str | None) -> nx.Graph:
    """A new graph with string/int ids and typed, XML-safe attributes (``G`` untouched)."""
    nodes = list(G)
    ids = [_export_id(n) for n in nodes]
    if len(set(map(str, ids))) != len(ids):
        seen: dict[str, Hashable] = {}
        for node, ident in zip(nodes, ids, strict=True):
            if str(ident) in seen:
                msg = (
                    f"nodes {seen[str(ident)]!r} and {node!r} would both be written with id "
                    f"{str(ident)!r}. Relabel one of them (nx.relabel_nodes) so the ids' text "
                    "forms differ."
                )
                raise ValueError(msg)
            seen[str(ident)] = node
    id_of = dict(zip(nodes, ids, strict=True))

    clean = _Cleaner().attrs
    node_records = [clean(d) for _, d in G.nodes(data=True)]
    if G.is_multigraph():
        edges = list(G.edges(keys=True, data=True))
        edge_keys = [_export_id(k) for _, _, k, _ in edges]
        edge_records = [clean(d) for _, _, _, d in edges]
        ends = [(u, v) for u, v, _, _ in edges]
    else:
        edge_list = list(G.edges(data=True))
        edge_keys = []
        edge_records = [clean(d) for _, _, d in edge_list]
        ends = [(u, v) for u, v, _ in edge_list]

    labels: list[str] = []
    if gexf:
        user_label = [r.pop("label", None) for r in node_records]
        for ident, record, given in zip(ids, node_records, user_label, strict=True):
            name = record.get("name")
            labels.append(str(given if given is not None else name if name else ident))
        _rename_reserved(node_records, _GEXF_NODE_RESERVED)
        weights = [r.pop("weight", None) for r in edge_records]
        numeric = all(
            w is None or (isinstance(w, int | float) and not isinstance(w, bool)) for w in weights
        )
        if not numeric:  # a text weight is kept as an ordinary attribute, renamed
            for record, w in zip(edge_records, weights, strict=True):
                if w is not None:
                    record["weight"] = w
        _rename_reserved(edge_records, _GEXF_EDGE_RESERVED)
        if numeric:
            for record, w in zip(edge_records, weights, strict=True):
                if w is not None:
                    record["weight"] = float(w)
    _unify(node_records)
    _unify(edge_records)

    H = G.__class__()
    if gexf:
        name = G.graph.get("name")
        if name is not None:
            H.graph["name"] = _clean_text(str(name))
        colours = _viz_colours(G, color_by)
        for i, record in enumerate(node_records):
            record["label"] = labels[i]
            if colours is not None:
                record["viz"] = {"color": colours[i]}
    else:
        graph_record = [clean(G.graph)]
        _rename_reserved(graph_record, _GRAPHML_GRAPH_RESERVED)
        H.graph.update(graph_record[0])
    H.add_nodes_from(zip(ids, node_records, strict=True))
    if G.is_multigraph():
        H.add_edges_from(
            (id_of[u], id_of[v], key, record)
            for (u, v), key, record in zip(ends, edge_keys, edge_records, strict=True)
        )
    else:
        H.add_edges_from(
            (id_of[u], id_of[v], record) for (u, v), record in zip(ends, edge_records, strict=True)
        )
    return H


def _viz_colours(G: nx.Graph, color_by: str | None) -> list | None:
    if color_by is None:
        return None
    values = [value for _, value in G.nodes(data=color_by)]
    if all(v is None for v in values):
        return None
    from connectnet._palette import UNKNOWN_COLOUR, group_colours

    labels = [v if isinstance(v, Hashable) and not _is_nan(v) else None for v in values]
    palette = group_colours(labels)
    out = []
    for label in labels:
        hexcode = palette.get(label, UNKNOWN_COLOUR).lstrip("#")
        r, g, b = (int(hexcode[i : i + 2], 16) for i in (0, 2, 4))
        out.append({"r": r, "g": g, "b": b, "a": 1.0})
    return out


def _is_nan(value: Any) -> bool:
    return isinstance(value, float | np.floating) and math.isnan(value)


def _prepare_path(path: str | os.PathLike[str]) -> Path:
    out = Path(path)
    out.parent.mkdir(parents=True, exist_ok=True)
    return out


def write_gexf(
    G: nx.Graph,
    path: str | os.PathLike[str],
    *,
    hide_names: bool = False,
    salt: str | bytes | None = None,
    color_by: str | None = "sector",
) -> Path:
    """Write a graph to a GEXF file that Gephi opens with typed attributes and colours.

    Parameters
    ----------
    G
        Any networkx graph (directed, undirected, multigraph). Never modified.
    path
        Output file (``.gexf``); missing parent folders are created.
    hide_names
        Replace person ids by pseudonymous codes and drop their ``name`` and ``label``
        attributes, and any attribute named like a contact detail (``email``, ``phone``,
        ``mobile``, ``address``, ``postcode``), with :func:`connectnet.pseudonymise` before
        writing (people are then labelled by their codes).
    salt
        Secret for the codes when `hide_names` is true. With the same salt a person gets
        the same code in every file; ``None`` uses a fresh random salt, so the codes cannot
        be linked to any other output.
    color_by
        Node attribute coloured with the sector palette shared with maps and plots (GEXF
        ``viz:color``); ``None`` writes no colours.

    Returns
    -------
    pathlib.Path
        The file written.

    Raises
    ------
    TypeError
        If `G` is not a networkx graph.
    ValueError
        If two nodes have the same text form (e.g. ``1`` and ``"1"``): GEXF ids are text.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> import networkx as nx
    >>> G = nx.Graph()
    >>> G.add_node("p1", name="Ann", sector="NHS", score=np.float64(0.5))
    >>> G.add_node("p2", name="Bob", sector="prison", score=None)
    >>> G.add_edge("p1", "p2", weight=2)
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     path = write_gexf(G, pathlib.Path(tmp) / "graph.gexf")
    ...     H = nx.read_gexf(path)
    >>> H.nodes["p1"]["label"], H.nodes["p1"]["score"], "score" in H.nodes["p2"]
    ('Ann', 0.5, False)
    >>> H.edges["p1", "p2"]["weight"]
    2.0

    Notes
    -----
    What is written, and why (GEXF and Gephi accept only plain typed values):

    - numpy numbers become Python numbers; dates become ISO text; lists, tuples, sets and
      dicts become JSON text (``["a", "b"]``);
    - missing values (``None``, NaN, ``pd.NA``, ``NaT``) are left out for that node or edge
      (GEXF has no missing value), so Gephi shows an empty cell;
    - each attribute gets one type across all nodes (and across all edges): integers mixed
      with floats become floats; any other mix (e.g. numbers and text) becomes text;
      integers beyond 64 bits become text;
    - characters XML cannot hold (control characters) are replaced by U+FFFD;
    - node ids are written as text by GEXF (read back as ``str``); the node ``label`` is the
      ``label`` attribute, else the ``name``, else the id;
    - attributes whose names GEXF reserves (``id``, ``pid``, ``start``, ``end``,
      ``parents``, ``spells``, ``slices``, ``viz``, ``key``; on edges also ``label``,
      ``type`` and a non-numeric ``weight``) are written with the suffix ``_value``;
    - graph attributes other than ``name`` are not written (use :func:`write_graphml`
      to keep provenance).

    References
    ----------
    GEXF File Format, https://gexf.net/
    """
    check_graph(G)
    source = _hide_names(G, salt) if hide_names else G
    H = _clean_graph(source, gexf=True, color_by=color_by)
    out = _prepare_path(path)
    nx.write_gexf(H, out)
    return out


def write_graphml(
    G: nx.Graph,
    path: str | os.PathLike[str],
    *,
    hide_names: bool = False,
    salt: str | bytes | None = None,
) -> Path:
    """Write a graph to a GraphML file with typed attributes (Gephi, yEd, igraph, R).

    Parameters
    ----------
    G
        Any networkx graph (directed, undirected, multigraph). Never modified.
    path
        Output file (``.graphml``); missing parent folders are created.
    hide_names
        Replace person ids by pseudonymous codes and drop their ``name`` and ``label``
        attributes and contact details (as :func:`write_gexf`) with
        :func:`connectnet.pseudonymise` before writing.
    salt
        Secret for the codes when `hide_names` is true; ``None`` uses a fresh random salt
        (codes not linkable to any other output).

    Returns
    -------
    pathlib.Path
        The file written.

    Raises
    ------
    TypeError
        If `G` is not a networkx graph.
    ValueError
        If two nodes have the same text form (e.g. ``1`` and ``"1"``).

    Examples
    --------
    >>> import tempfile, pathlib
    >>> import networkx as nx
    >>> G = nx.DiGraph(created_with="contact_graph")
    >>> G.add_node("p1", sector="NHS", events=3)
    >>> G.add_node("p2", sector="prison", events="unknown")
    >>> G.add_edge("p1", "p2", weight=1.5)
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     H = nx.read_graphml(write_graphml(G, pathlib.Path(tmp) / "g.graphml"))
    >>> H.nodes["p1"]["events"], H.nodes["p2"]["events"], H.graph["created_with"]
    ('3', 'unknown', 'contact_graph')

    Notes
    -----
    Values are cleaned as for :func:`write_gexf` (plain types, missing values left out,
    one type per attribute, JSON text for lists and dicts, control characters replaced).
    Graph attributes (``G.graph``, e.g. provenance) are written too, cleaned the same way.
    Node ids are written as text. In the example, ``events`` mixes a number and text, so
    both are written as text.

    References
    ----------
    The GraphML File Format, http://graphml.graphdrawing.org/
    """
    check_graph(G)
    source = _hide_names(G, salt) if hide_names else G
    H = _clean_graph(source, gexf=False, color_by=None)
    out = _prepare_path(path)
    nx.write_graphml(H, out)
    return out


# ---------------------------------------------------------------------------------------
# tables
# ---------------------------------------------------------------------------------------

_DANGEROUS_FIRST = frozenset("=+-@\t\r")
# A formula character (or its full-width form, which spreadsheets may fold to ASCII) after
# any leading whitespace, including no-break and ideographic spaces and zero-width ones.
_FORMULA_START = re.compile(
    "^[\\s\u00a0\u1680\u2000-\u200b\u2028\u2029\u202f\u205f\u3000\ufeff]*"
    "[=+\\-@\uff1d\uff0b\uff0d\uff20\u2212]"
)
_PLAIN_NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?\Z|[+-]?inf\Z")
_XLSX_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f]")
# Lone surrogates (e.g. text decoded with errors="surrogateescape") cannot be UTF-8 encoded.
_SURROGATE = re.compile("[\ud800-\udfff]")
_SHEET_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")
_FILE_FORBIDDEN = re.compile(r'[<>:"/\\|?*\x00-\x1f]')
# RFC 4180 line ends: with "\r\n" as terminator the csv module quotes any cell holding a
# CR or LF, so a lone CR inside a cell cannot break a row in two.
_CSV_OPTIONS: dict[str, Any] = {"encoding": "utf-8", "lineterminator": "\r\n"}
_OTHER_SUFFIXES = {".xls", ".xlsm", ".ods", ".tsv", ".txt", ".json", ".parquet"}


def neutralise_cell(text: str) -> str:
    """Make a text cell inert in spreadsheets: prefix ``'`` if it could run as a formula.

    Parameters
    ----------
    text
        The cell text.

    Returns
    -------
    str
        `text` with a leading ``'`` when it starts with ``=``, ``+``, ``-``, ``@``, a tab
        or a carriage return, or with any whitespace (also no-break, ideographic and
        zero-width spaces) followed by one of ``=+-@`` or their full-width forms
        (``＝＋－＠``) or the minus sign ``−``, and is not a plain number; otherwise `text`
        unchanged.

    Raises
    ------
    TypeError
        If `text` is not a str.

    Examples
    --------
    >>> neutralise_cell("=HYPERLINK(\\"http://x\\")")
    '\\'=HYPERLINK("http://x")'
    >>> neutralise_cell("-5"), neutralise_cell("-5+cmd"), neutralise_cell("NHS")
    ('-5', "'-5+cmd", 'NHS')
    >>> neutralise_cell("\\u00a0=1+2"), neutralise_cell("\\uff1dSUM(A1)")
    ("'\\xa0=1+2", "'＝SUM(A1)")
    >>> neutralise_cell(" a = b")
    ' a = b'

    Notes
    -----
    Follows the OWASP guidance on CSV injection. A *plain number* (optional sign, digits,
    optional decimals and exponent, or ``inf``) such as ``"-5"`` or ``"+1.5e3"`` cannot
    call a function, so it is left as it is, and a spreadsheet reads it as the number.

    References
    ----------
    OWASP, "CSV Injection", https://owasp.org/www-community/attacks/CSV_Injection
    """
    if not isinstance(text, str):
        msg = f"`text` must be a str, not {type(text).__name__}."
        raise TypeError(msg)
    if _PLAIN_NUMBER.match(text):
        return text
    if text and (text[0] in _DANGEROUS_FIRST or _FORMULA_START.match(text)):
        return "'" + text
    return text


def _safe_value(value: Any, xlsx: bool) -> Any:
    if isinstance(value, str):
        text = value
    elif value is None or isinstance(
        value, bool | int | float | complex | np.generic | _dt.date | _dt.time | _dt.timedelta
    ):
        return value
    else:
        try:
            if pd.isna(value):
                return value
        except (TypeError, ValueError):
            pass
        text = str(value)
    text = _SURROGATE.sub(_REPLACEMENT, text)
    if xlsx:
        text = _XLSX_ILLEGAL.sub(_REPLACEMENT, text)
    return neutralise_cell(text)


def _safe_series(values: pd.Series, xlsx: bool) -> pd.Series:
    dtype = values.dtype
    if isinstance(dtype, pd.DatetimeTZDtype):
        if xlsx:  # Excel has no time zones: keep the zone as ISO text
            return values.map(lambda v: v.isoformat() if pd.notna(v) else None).astype(object)
        return values
    if (
        pd.api.types.is_bool_dtype(dtype)
        or pd.api.types.is_numeric_dtype(dtype)
        or pd.api.types.is_datetime64_any_dtype(dtype)
        or pd.api.types.is_timedelta64_dtype(dtype)
    ) and not isinstance(dtype, pd.CategoricalDtype):
        return values
    obj = values.astype(object)
    return pd.Series(
        [_safe_value(v, xlsx) for v in obj], index=values.index, name=values.name, dtype=object
    )


def _safe_index(index: pd.Index, xlsx: bool) -> pd.Index:
    if isinstance(index, pd.MultiIndex):
        arrays = [
            _safe_series(index.get_level_values(i).to_series(index=None), xlsx).to_numpy()
            for i in range(index.nlevels)
        ]
        names = [_safe_name(n, xlsx) for n in index.names]
        return pd.MultiIndex.from_arrays(arrays, names=names)
    safe = _safe_series(pd.Series(index, dtype=index.dtype), xlsx)
    if safe.dtype == object:
        return pd.Index(safe.to_numpy(), dtype=object, name=_safe_name(index.name, xlsx))
    return index.rename(_safe_name(index.name, xlsx))


def _safe_name(name: Any, xlsx: bool) -> Any:
    return _safe_value(name, xlsx) if isinstance(name, str) else name


def _safe_frame(frame: pd.DataFrame, xlsx: bool, index: bool) -> pd.DataFrame:
    columns = {
        i: _safe_series(frame.iloc[:, i], xlsx).reset_index(drop=True)
        for i in range(frame.shape[1])
    }
    out = pd.DataFrame(columns, index=pd.RangeIndex(frame.shape[0]))
    out.index = frame.index
    out.columns = _safe_index(frame.columns, xlsx)
    if index:
        out.index = _safe_index(frame.index, xlsx)
    return out


def _as_tables(tables: Any) -> dict[str, pd.DataFrame]:
    if isinstance(tables, pd.Series):
        tables = tables.to_frame()
    if isinstance(tables, pd.DataFrame):
        return {"table": tables}
    if not isinstance(tables, Mapping):
        msg = (
            "`tables` must be a DataFrame or a dict mapping table names to DataFrames, not "
            f"{type(tables).__name__}."
        )
        raise TypeError(msg)
    out: dict[str, pd.DataFrame] = {}
    problems = []
    for name, table in tables.items():
        if isinstance(table, pd.Series):
            table = table.to_frame()
        if not isinstance(name, str):
            problems.append(f"name {name!r} is a {type(name).__name__}, not a str")
        elif not isinstance(table, pd.DataFrame):
            problems.append(f"{name!r} is a {type(table).__name__}, not a DataFrame")
        else:
            out[name] = table
    if problems:
        msg = "`tables` has problems: " + "; ".join(problems) + "."
        raise TypeError(msg)
    if not out:
        msg = "`tables` is empty: pass at least one DataFrame."
        raise ValueError(msg)
    return out


def _check_names(names: list[str], xlsx: bool) -> None:
    problems = []
    seen: dict[str, str] = {}
    for name in names:
        if xlsx:
            if not 1 <= len(name) <= 31:
                problems.append(f"{name!r} must have 1 to 31 characters (Excel sheet name)")
            if _SHEET_FORBIDDEN.search(name) or name.startswith("'") or name.endswith("'"):
                problems.append(f"{name!r} may not contain any of []:*?/\\ or start/end with '")
            key = name.casefold()
        else:
            if not name or name in {".", ".."} or _FILE_FORBIDDEN.search(name):
                problems.append(
                    f'{name!r} is not a safe file name (no <>:"/\\|?*, control characters, '
                    "or '.'/'..')"
                )
            key = name.casefold()
        if key in seen:
            problems.append(f"{seen[key]!r} and {name!r} differ only in letter case")
        seen[key] = name
    if problems:
        msg = "table names cannot be used: " + "; ".join(problems) + ". Rename the dict keys."
        raise ValueError(msg)


def write_tables(
    tables: Mapping[str, pd.DataFrame] | pd.DataFrame,
    path: str | os.PathLike[str],
    *,
    index: bool = True,
) -> Path:
    """Write tables to CSV files or one Excel workbook, safe to open in a spreadsheet.

    Parameters
    ----------
    tables
        A DataFrame (or Series), or a dict mapping table names to DataFrames. Never
        modified.
    path
        Where to write, chosen by its ending:

        - ``*.xlsx``: one workbook with one sheet per table (named by the dict keys;
          a single DataFrame goes to sheet ``"table"``);
        - ``*.csv``: one CSV file (only for a single table);
        - anything else: a folder (created if needed) with one ``<name>.csv`` per table
          (a single DataFrame is written as ``table.csv``).
    index
        Write the row index (its values and name are made safe like any other cell).

    Returns
    -------
    pathlib.Path
        The workbook, CSV file or folder written.

    Raises
    ------
    TypeError
        If `tables` is not a DataFrame or a dict of DataFrames with str keys.
    ValueError
        If `path` ends in another spreadsheet suffix (``.xls``, ``.ods``...), several
        tables are given for one ``.csv`` file, or table names cannot be file or sheet
        names (Excel: at most 31 characters, none of ``[]:*?/\\``, unique ignoring case).

    Examples
    --------
    >>> import tempfile, pathlib
    >>> table = pd.DataFrame({"name": ["=1+2", "Ann"], "change": [-5, 3]})
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     folder = write_tables({"people": table}, pathlib.Path(tmp) / "tables")
    ...     back = pd.read_csv(folder / "people.csv", index_col=0)
    >>> back["name"].tolist(), back["change"].tolist()
    (["'=1+2", 'Ann'], [-5, 3])

    Notes
    -----
    **Formula injection.** A spreadsheet runs a cell that begins with ``=``, ``+``, ``-``
    or ``@`` (and some run one beginning with a tab or carriage return) as a formula, which
    can leak data or start programs when a shared file is opened. Every *text* cell that
    begins with one of these characters gets a leading ``'`` (OWASP guidance), which makes
    it plain text; this covers data cells, index values, index names and column names.

    - Numbers stay numbers: integer, float and boolean columns are written unchanged, so
      genuine negative numbers (``-5``) are still numbers in the file.
    - Text that is a *plain number* (``"-5"``, ``"+1.5"``, ``"-2e3"``) is left unprefixed:
      it cannot call a function, and a spreadsheet shows the number. Anything else that
      starts with a sign (``"-5+A1"``, ``"- item"``) is prefixed.
    - Other objects in text columns (lists, custom objects) are written as their text and
      made safe the same way; dates are written as dates.
    - A leading ``'`` written by this function is part of the cell text when the file is
      read back (``pd.read_csv`` gives ``"'=1+2"``): it marks text that was neutralised.

    **Names.** Tables are written as given (there is no `hide_names`: a table cannot tell
    a person id from a group label). For shareable node-level tables, compute them on
    ``connectnet.pseudonymise(G, salt=...)`` so the index holds codes.

    Lone surrogate code points (which UTF-8 cannot encode) are replaced by U+FFFD. In
    workbooks, characters Excel cannot store (control characters other than tab, line
    feed and carriage return) are replaced by U+FFFD too, and time-zone-aware dates are written
    as ISO text because Excel has no time zones. CSV files are UTF-8 with CRLF line
    ends (RFC 4180); cells holding line breaks are quoted.

    References
    ----------
    OWASP, "CSV Injection", https://owasp.org/www-community/attacks/CSV_Injection
    """
    named = _as_tables(tables)
    out = Path(path)
    suffix = out.suffix.lower()
    if suffix in _OTHER_SUFFIXES:
        msg = (
            f"`path` ends in {out.suffix!r}; write_tables writes '.xlsx' workbooks, '.csv' "
            "files or a folder of CSV files (a path without one of these endings)."
        )
        raise ValueError(msg)
    if suffix == ".xlsx":
        _check_names(list(named), xlsx=True)
        out.parent.mkdir(parents=True, exist_ok=True)
        with pd.ExcelWriter(out, engine="openpyxl") as writer:
            for name, table in named.items():
                _safe_frame(table, True, index).to_excel(writer, sheet_name=name, index=index)
        return out
    if suffix == ".csv":
        if len(named) != 1:
            msg = (
                f"`path` is one CSV file but {len(named)} tables were given; pass a folder "
                "path (no suffix) or an '.xlsx' path to write several tables."
            )
            raise ValueError(msg)
        out.parent.mkdir(parents=True, exist_ok=True)
        (table,) = named.values()
        _safe_frame(table, False, index).to_csv(out, index=index, **_CSV_OPTIONS)
        return out
    _check_names(list(named), xlsx=False)
    out.mkdir(parents=True, exist_ok=True)
    for name, table in named.items():
        _safe_frame(table, False, index).to_csv(out / f"{name}.csv", index=index, **_CSV_OPTIONS)
    return out
