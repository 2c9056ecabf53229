"""Tests for connectnet.export: GEXF/GraphML typing and round trips, safe tables."""

from __future__ import annotations

import copy
import csv
import datetime as dt
import html
import json
import math
import os
from pathlib import Path

import networkx as nx
import numpy as np
import openpyxl
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from connectnet._palette import group_colours
from connectnet.export import neutralise_cell, write_gexf, write_graphml, write_tables
from connectnet.privacy import pseudonym_codes

DANGEROUS = ("=", "+", "-", "@", "\t", "\r")
SALT = "test-salt-please-keep"


def _snapshot(G: nx.Graph):
    return (
        copy.deepcopy(dict(G.graph)),
        [(n, copy.deepcopy(d)) for n, d in G.nodes(data=True)],
        [(u, v, copy.deepcopy(d)) for u, v, d in G.edges(data=True)],
        type(G),
    )


def _messy_graph() -> nx.Graph:
    G = nx.Graph(name="wave 1", created_with={"function": "coattendance_graph", "events": 3})
    G.add_node(
        "p1",
        name="Ann <Smith> & co",
        sector="nhs",
        kind="person",
        events=np.int64(3),  # numpy int → int
        score=np.float32(0.5),  # numpy float → float
        joined=dt.date(2024, 1, 31),  # date → ISO text
        roles=("nurse", "lead"),  # tuple → JSON text
        flag=np.bool_(True),  # numpy bool → bool
        start="2024",  # GEXF reserved name → start_value
        mixed=1,  # int in one node, text in another → all text
        ratio=2,  # int in one node, float in another → all float
        note="bell\x07here",  # control char → U+FFFD
    )
    G.add_node(
        "p2",
        name="Bob",
        sector="prison",
        kind="person",
        events=1,
        score=float("nan"),  # missing → left out
        joined=None,  # missing → left out
        roles=[],
        flag=False,
        mixed="many",
        ratio=0.25,
    )
    G.add_node("o1", name="HMP Example", sector="prison", kind="organisation", events=pd.NA)
    G.add_edge("p1", "p2", weight=np.int64(2), type="met", since=pd.NaT)
    G.add_edge("p2", "o1", weight=1.5, type="member")
    return G


# ----------------------------------------------------------------------------- GEXF


def test_gexf_round_trip_types_and_missing_values(tmp_path):
    G = _messy_graph()
    before = _snapshot(G)
    out = write_gexf(G, tmp_path / "sub" / "g.gexf")
    assert out == tmp_path / "sub" / "g.gexf"
    assert out.exists()
    assert _snapshot(G) == before  # input untouched
    H = nx.read_gexf(out)
    assert set(H) == {"p1", "p2", "o1"}
    p1, p2, o1 = H.nodes["p1"], H.nodes["p2"], H.nodes["o1"]
    assert p1["label"] == "Ann <Smith> & co"  # label = name; XML escaping round-trips
    assert o1["label"] == "HMP Example"
    assert p1["events"] == 3
    assert isinstance(p1["events"], int)
    assert p2["events"] == 1
    assert "events" not in o1
    assert p1["score"] == 0.5
    assert "score" not in p2
    assert p1["joined"] == "2024-01-31"
    assert "joined" not in p2
    assert p1["roles"] == '["nurse", "lead"]'
    assert p2["roles"] == "[]"
    assert p1["flag"] is True
    assert p2["flag"] is False
    assert p1["start_value"] == "2024"
    assert "start" not in p1
    assert p1["mixed"] == "1"
    assert p2["mixed"] == "many"
    assert p1["ratio"] == 2.0
    assert isinstance(p1["ratio"], float)
    assert p2["ratio"] == 0.25
    assert p1["note"] == "bell\ufffdhere"
    assert H.edges["p1", "p2"]["weight"] == 2.0
    assert H.edges["p2", "o1"]["weight"] == 1.5
    assert H.edges["p1", "p2"]["type_value"] == "met"  # GEXF edge `type` renamed
    assert "since" not in H.edges["p1", "p2"]
    assert H.graph["name"] == "wave 1"
    assert "created_with" not in H.graph  # GEXF keeps only the name


def test_gexf_colours_match_shared_palette(tmp_path):
    G = _messy_graph()
    G.add_node("x", kind="person")  # no sector → the grey "unknown" colour
    H = nx.read_gexf(write_gexf(G, tmp_path / "g.gexf"))
    palette = group_colours(["nhs", "prison", None])
    for node, sector in [("p1", "nhs"), ("p2", "prison"), ("o1", "prison"), ("x", None)]:
        colour = H.nodes[node]["viz"]["color"]
        hexcode = "#{:02X}{:02X}{:02X}".format(colour["r"], colour["g"], colour["b"])
        assert hexcode == palette[sector].upper()
    H2 = nx.read_gexf(write_gexf(G, tmp_path / "g2.gexf", color_by=None))
    assert "viz" not in H2.nodes["p1"]


@pytest.mark.parametrize("cls", [nx.Graph, nx.DiGraph, nx.MultiGraph, nx.MultiDiGraph])
def test_gexf_and_graphml_keep_graph_type_and_edges(tmp_path, cls):
    G = cls()
    G.add_edge(1, 2, weight=3)
    G.add_edge(2, 3, weight=np.float64(0.5))
    G.add_edge(2, 3, weight=1)  # a parallel edge in multigraphs, an update otherwise
    for writer, reader in [(write_gexf, nx.read_gexf), (write_graphml, nx.read_graphml)]:
        H = reader(writer(G, tmp_path / f"g.{writer.__name__}"))
        assert H.is_directed() == G.is_directed()
        assert H.is_multigraph() == G.is_multigraph()
        assert set(H) == {"1", "2", "3"}  # ids are written as text
        assert H.number_of_edges() == G.number_of_edges()
        total = sum(w for _, _, w in H.edges(data="weight"))
        assert total == pytest.approx(sum(w for _, _, w in G.edges(data="weight")))


def test_graphml_round_trip_types_and_graph_attributes(tmp_path):
    G = _messy_graph()
    G.graph["node_default"] = "not a dict"  # would break the networkx writer; renamed
    before = _snapshot(G)
    H = nx.read_graphml(write_graphml(G, tmp_path / "g.graphml"))
    assert _snapshot(G) == before
    assert H.graph["name"] == "wave 1"
    assert H.graph["created_with"] == '{"function": "coattendance_graph", "events": 3}'
    assert H.graph["node_default_value"] == "not a dict"
    p1, p2 = H.nodes["p1"], H.nodes["p2"]
    assert p1["name"] == "Ann <Smith> & co"
    assert p1["events"] == 3
    assert isinstance(p1["events"], int)
    assert p1["score"] == 0.5
    assert "score" not in p2
    assert p1["flag"] is True
    assert p2["flag"] is False
    assert p1["start"] == "2024"  # GraphML has no reserved names: kept
    assert (p1["mixed"], p2["mixed"]) == ("1", "many")
    assert isinstance(p1["ratio"], float)
    assert H.edges["p1", "p2"]["type"] == "met"
    assert H.edges["p1", "p2"]["weight"] == 2


def test_large_integers_become_text(tmp_path):
    G = nx.Graph()
    G.add_node("a", staff=2**70)
    G.add_node("b", staff=5)
    H = nx.read_graphml(write_graphml(G, tmp_path / "g.graphml"))
    assert (H.nodes["a"]["staff"], H.nodes["b"]["staff"]) == (str(2**70), "5")


def test_colliding_ids_raise(tmp_path):
    G = nx.Graph()
    G.add_nodes_from([1, "1"])
    with pytest.raises(ValueError, match="would both be written with id"):
        write_gexf(G, tmp_path / "g.gexf")
    with pytest.raises(ValueError, match="Relabel"):
        write_graphml(G, tmp_path / "g.graphml")


def test_tuple_ids_and_non_graph(tmp_path):
    G = nx.Graph()
    G.add_edge(("event", "E1"), ("person", "E1"))  # colliding raw ids kept apart
    H = nx.read_graphml(write_graphml(G, tmp_path / "g.graphml"))
    assert set(H) == {"('event', 'E1')", "('person', 'E1')"}
    with pytest.raises(TypeError, match="`G` must be a networkx graph"):
        write_gexf({"a": 1}, tmp_path / "x.gexf")


def test_hide_names_uses_stable_codes(tmp_path):
    G = _messy_graph()
    a = write_gexf(G, tmp_path / "a.gexf", hide_names=True, salt=SALT)
    b = write_graphml(G, tmp_path / "b.graphml", hide_names=True, salt=SALT)
    for path in (a, b):
        text = path.read_text(encoding="utf-8")
        assert "Ann" not in text
        assert "Bob" not in text
        assert '"p1"' not in text
        assert "HMP Example" in text  # organisation names are not personal data
    codes = pseudonym_codes(["p1", "p2"], salt=SALT)
    assert set(nx.read_gexf(a)) == {codes["p1"], codes["p2"], "o1"}
    assert set(nx.read_graphml(b)) == {codes["p1"], codes["p2"], "o1"}
    assert nx.read_gexf(a).nodes[codes["p1"]]["label"] == codes["p1"]
    # no salt: a fresh random salt, so codes are not the stable ones
    c = nx.read_gexf(write_gexf(G, tmp_path / "c.gexf", hide_names=True))
    assert codes["p1"] not in c
    assert "p1" not in c
    assert len(c) == 3


_attr_values = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**70), max_value=2**70),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=8),
    st.lists(st.integers(), max_size=3),
)


@settings(deadline=None, max_examples=40, suppress_health_check=[HealthCheck.too_slow])
@given(
    values=st.lists(
        st.dictionaries(st.sampled_from(["a", "b", "label", "id"]), _attr_values, max_size=4),
        min_size=1,
        max_size=6,
    )
)
def test_any_attribute_values_round_trip(tmp_path_factory, values):
    """Whatever the values, both files are written, read back, and typed consistently."""
    tmp = tmp_path_factory.mktemp("prop")
    G = nx.path_graph(len(values))
    for node, attrs in zip(G, values, strict=True):
        G.nodes[node].update(attrs)
    before = _snapshot(G)
    for writer, reader in [(write_gexf, nx.read_gexf), (write_graphml, nx.read_graphml)]:
        H = reader(writer(G, tmp / f"g.{writer.__name__}"))
        assert _snapshot(G) == before
        assert set(H) == {str(n) for n in G}
        assert H.number_of_edges() == G.number_of_edges()
        types: dict[str, set[type]] = {}
        for _, data in H.nodes(data=True):
            for key, value in data.items():
                if key not in {"label", "viz"}:
                    types.setdefault(key, set()).add(type(value))
        assert all(len(t) == 1 for t in types.values()), types
        for node, attrs in zip(G, values, strict=True):
            for key, value in attrs.items():
                out_key = key if writer is write_graphml or key != "id" else "id_value"
                if writer is write_gexf and key == "label":
                    continue
                missing = value is None or (isinstance(value, float) and math.isnan(value))
                assert (out_key in H.nodes[str(node)]) != missing


# ----------------------------------------------------------------------------- tables


def _raw_csv_cells(path) -> list[str]:
    with open(path, newline="", encoding="utf-8") as handle:
        return [cell for row in csv.reader(handle) for cell in row]


def _raw_xlsx_cells(path) -> list:
    book = openpyxl.load_workbook(path)
    cells = []
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", f"formula cell {cell.coordinate}: {cell.value!r}"
                cells.append(cell.value)
    return cells


def _is_inert(cell: str) -> bool:
    if not cell or cell[0] not in DANGEROUS:
        return True
    try:
        float(cell)  # a plain number such as "-5" cannot run a function
    except ValueError:
        return False
    return "(" not in cell


def _example_table() -> pd.DataFrame:
    frame = pd.DataFrame(
        {
            "=name": ['=HYPERLINK("http://evil","x")', "Ann", "+44 20", "@SUM(A1)"],
            "change": [-5, 3, 0, -1],  # genuine negatives stay numbers
            "ratio": [-0.5, 1.25, np.nan, -np.inf],
            "text_number": ["-5", "-5+1", "\tTab", "\rCR"],
            "flag": [True, False, True, False],
        },
        index=pd.Index(["-p1", "p2", "=p3", "p4"], name="@person"),
    )
    return frame


def test_neutralise_cell_rules():
    assert neutralise_cell("=1+2") == "'=1+2"
    assert neutralise_cell("+44 20") == "'+44 20"
    assert neutralise_cell("-5") == "-5"  # plain number: left as it is
    assert neutralise_cell("-1.5e3") == "-1.5e3"
    assert neutralise_cell("-5+cmd") == "'-5+cmd"
    assert neutralise_cell("@x") == "'@x"
    assert neutralise_cell("\tx") == "'\tx"
    assert neutralise_cell("\rx") == "'\rx"
    assert neutralise_cell("a=b") == "a=b"
    assert neutralise_cell("") == ""
    with pytest.raises(TypeError, match="`text` must be a str"):
        neutralise_cell(5)


def test_csv_folder_round_trip(tmp_path):
    frame = _example_table()
    before = frame.copy(deep=True)
    folder = write_tables({"people": frame, "empty": frame.iloc[:0]}, tmp_path / "tables")
    pd.testing.assert_frame_equal(frame, before)  # input untouched
    assert folder == tmp_path / "tables"
    assert sorted(p.name for p in folder.iterdir()) == ["empty.csv", "people.csv"]
    back = pd.read_csv(folder / "people.csv", index_col=0, keep_default_na=False)
    assert list(back.columns) == ["'=name", "change", "ratio", "text_number", "flag"]
    assert back.index.name == "'@person"
    assert list(back.index) == ["'-p1", "p2", "'=p3", "p4"]
    assert list(back["'=name"]) == [
        '\'=HYPERLINK("http://evil","x")',
        "Ann",
        "'+44 20",
        "'@SUM(A1)",
    ]
    assert back["change"].tolist() == [-5, 3, 0, -1]
    assert back["change"].dtype.kind == "i"
    assert back["text_number"].tolist() == ["-5", "'-5+1", "'\tTab", "'\rCR"]
    assert back["flag"].tolist() == [True, False, True, False]
    ratio = pd.read_csv(folder / "people.csv", index_col=0)["ratio"]
    assert ratio.iloc[0] == -0.5
    assert math.isnan(ratio.iloc[2])
    assert ratio.iloc[3] == -np.inf
    assert all(_is_inert(c) for c in _raw_csv_cells(folder / "people.csv"))


def test_xlsx_round_trip_and_no_formula_cells(tmp_path):
    frame = _example_table()
    frame["when"] = pd.to_datetime(["2024-01-01", "2024-02-01", None, "2024-03-01"])
    frame["when_tz"] = frame["when"].dt.tz_localize("Europe/London")
    before = frame.copy(deep=True)
    book = write_tables({"people": frame, "Other": frame[["change"]]}, tmp_path / "out.xlsx")
    pd.testing.assert_frame_equal(frame, before)
    sheets = pd.read_excel(book, sheet_name=None, index_col=0)
    assert list(sheets) == ["people", "Other"]
    back = sheets["people"]
    assert back.index.name == "'@person"
    assert list(back.index) == ["'-p1", "p2", "'=p3", "p4"]
    assert back["'=name"].iloc[0] == '\'=HYPERLINK("http://evil","x")'
    assert back["change"].tolist() == [-5, 3, 0, -1]
    assert back["ratio"].iloc[0] == -0.5
    # XML parsers turn a stored CR into LF when reading: the prefix is what matters
    assert back["text_number"].tolist() == ["-5", "'-5+1", "'\tTab", "'\nCR"]
    assert back["when"].iloc[0] == pd.Timestamp("2024-01-01")
    assert back["when_tz"].iloc[0] == "2024-01-01T00:00:00+00:00"
    cells = _raw_xlsx_cells(book)
    assert all(_is_inert(c) for c in cells if isinstance(c, str))
    assert -5 in cells  # a genuine number cell, not text


def test_single_table_paths(tmp_path):
    frame = pd.DataFrame({"x": ["=a", "b"]})
    out = write_tables(frame, tmp_path / "one.csv", index=False)
    assert out == tmp_path / "one.csv"
    assert pd.read_csv(out)["x"].tolist() == ["'=a", "b"]
    folder = write_tables(frame["x"], tmp_path / "folder")
    assert (folder / "table.csv").exists()
    book = write_tables(frame, tmp_path / "one.xlsx")
    assert openpyxl.load_workbook(book).sheetnames == ["table"]


def test_string_categorical_and_multiindex(tmp_path):
    index = pd.MultiIndex.from_tuples([("=a", 1), ("b", 2)], names=["=lvl", "n"])
    columns = pd.MultiIndex.from_tuples([("-x", "s"), ("y", "c")])
    frame = pd.DataFrame(
        {
            ("-x", "s"): pd.array(["@one", "two"], dtype="string"),
            ("y", "c"): pd.Categorical(["=cat", "dog"]),
        },
        index=index,
    )
    frame.columns = columns
    folder = write_tables({"t": frame}, tmp_path / "f")
    cells = _raw_csv_cells(folder / "t.csv")
    assert {"'@one", "'=cat", "'=a", "'-x", "'=lvl", "two", "dog"} <= set(cells)
    assert all(_is_inert(c) for c in cells)


def test_bad_arguments(tmp_path):
    frame = pd.DataFrame({"x": [1]})
    with pytest.raises(ValueError, match=r"'\.xls'"):
        write_tables(frame, tmp_path / "a.xls")
    with pytest.raises(ValueError, match="2 tables"):
        write_tables({"a": frame, "b": frame}, tmp_path / "a.csv")
    with pytest.raises(ValueError, match="31 characters") as info:
        write_tables({"x" * 32: frame, "a/b": frame, "A": frame, "a": frame}, tmp_path / "a.xlsx")
    assert "[]:*?/" in str(info.value)
    assert "letter case" in str(info.value)
    with pytest.raises(ValueError, match="safe file name"):
        write_tables({"../up": frame}, tmp_path / "folder")
    with pytest.raises(TypeError, match="`tables` must be a DataFrame"):
        write_tables([frame], tmp_path / "folder")
    with pytest.raises(TypeError, match="not a DataFrame"):
        write_tables({"a": [1, 2]}, tmp_path / "folder")
    with pytest.raises(ValueError, match="empty"):
        write_tables({}, tmp_path / "folder")
    assert not (tmp_path / "a.xlsx").exists()


_cells = st.text(
    alphabet=st.sampled_from(list("=+-@\t\r\n'\"1.e,;aZ( ")) | st.characters(), max_size=6
)


@settings(deadline=None, max_examples=30, suppress_health_check=[HealthCheck.too_slow])
@given(
    rows=st.lists(st.tuples(_cells, _cells, st.integers(-5, 5)), min_size=1, max_size=5),
    names=st.lists(_cells, min_size=3, max_size=3, unique=True),
)
def test_no_cell_can_start_a_formula(tmp_path_factory, rows, names):
    tmp = tmp_path_factory.mktemp("cells")
    frame = pd.DataFrame(
        {names[0]: [r[0] for r in rows], names[1]: [r[2] for r in rows]},
        index=pd.Index([r[1] for r in rows], dtype=object, name=names[2]),
    )
    before = frame.copy(deep=True)
    folder = write_tables({"t": frame}, tmp / "csv")
    book = write_tables({"t": frame}, tmp / "t.xlsx")
    pd.testing.assert_frame_equal(frame, before)
    assert all(_is_inert(c) for c in _raw_csv_cells(folder / "t.csv"))
    assert all(_is_inert(c) for c in _raw_xlsx_cells(book) if isinstance(c, str))
    back = pd.read_csv(folder / "t.csv", index_col=0, keep_default_na=False, dtype=str)
    assert back[back.columns[1]].astype(int).tolist() == [r[2] for r in rows]
    assert len(back) == len(rows)


def test_hide_names_drops_a_label_copied_from_the_name(tmp_path):
    G = nx.Graph()
    G.add_node("p1", kind="person", name="Ann Smith", label="Ann Smith", sector="NHS")
    G.add_node("o1", kind="organisation", name="HMP Example", label="HMP Example")
    G.add_edge("p1", "o1")
    code = pseudonym_codes(["p1"], salt=SALT)["p1"]
    for write in (write_gexf, write_graphml):
        path = write(G, tmp_path / f"g.{write.__name__}", hide_names=True, salt=SALT)
        assert "Ann" not in path.read_text(encoding="utf-8")
    back = nx.read_gexf(tmp_path / "g.write_gexf")
    assert back.nodes[code]["label"] == code
    assert back.nodes["o1"]["label"] == "HMP Example"


def test_hide_names_leaves_no_name_or_person_id_in_any_output(tmp_path):
    # Every shared output of the sample's graphs (attendance graph with ("person", id)
    # nodes, co-attendance, a contact wave with G.graph["respondents"], organisations
    # with G.graph["unassigned"]), grepped for every name and every raw person id.
    import re

    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    import connectnet as cn

    data = cn.load_sample("prison_health")
    names = {str(n) for n in data.people["name"].dropna()}
    id_pattern = re.compile(
        r"(?<![\w-])(?:" + "|".join(map(re.escape, map(str, data.people.index))) + r")(?!\w)"
    )
    graphs = {
        "attendance": cn.attendance_graph(data),
        "coattendance": cn.coattendance_graph(data),
        "contacts": cn.contact_graph(data, wave=data.waves[0]),
        "organisations": cn.organisation_graph(data),
    }
    assert graphs["contacts"].graph["respondents"]  # the lists that used to leak ids
    for key, G in graphs.items():
        outputs = [
            cn.write_map(G, tmp_path / f"{key}.html", hide_names=True, salt=SALT, seed=1),
            write_gexf(G, tmp_path / f"{key}.gexf", hide_names=True, salt=SALT),
            write_graphml(G, tmp_path / f"{key}.graphml", hide_names=True, salt=SALT),
        ]
        with matplotlib.rc_context({"svg.fonttype": "none"}):  # text stays text
            ax = cn.plot_network(G, seed=1, labels=True, hide_names=True, salt=SALT)
            ax.figure.savefig(tmp_path / f"{key}.svg")
            plt.close(ax.figure)
        outputs.append(tmp_path / f"{key}.svg")
        for path in outputs:
            text = path.read_text(encoding="utf-8")
            if path.suffix == ".html":
                body = text.split("</head>", 1)[1]  # after the vendored vis-network
                block = re.search(r'id="cn-data">(.*?)</script>', body, re.S).group(1)
                text = body + json.dumps(json.loads(block), ensure_ascii=False)
            text = html.unescape(text)
            assert not [n for n in names if n in text], path.name
            assert id_pattern.search(text) is None, (path.name, id_pattern.search(text))


def test_lone_surrogates_do_not_break_writing(tmp_path):
    # found by the property test: a lone surrogate (text decoded with surrogateescape)
    # made the CSV writer raise UnicodeEncodeError halfway through the file
    frame = pd.DataFrame({"\ud800name": ["a\udcff", "=b"]}, index=["\ud800", "x"])
    back = pd.read_csv(write_tables(frame, tmp_path / "t.csv"), index_col=0)
    assert list(back.columns) == ["\ufffdname"]
    assert back.iloc[:, 0].tolist() == ["a\ufffd", "'=b"]
    assert back.index.tolist() == ["\ufffd", "x"]
    book = openpyxl.load_workbook(write_tables(frame, tmp_path / "t.xlsx"))
    assert book["table"]["B2"].value == "a\ufffd"


@pytest.mark.parametrize(
    "text",
    [
        " =1+2",  # a space before the formula
        "\t=1+2",
        '\u00a0=HYPERLINK("http://x")',  # no-break space
        "\u3000@SUM(A1)",  # ideographic space
        "\u200b=1",  # zero-width space
        "\uff1dSUM(A1:A9)",  # full-width equals sign
        "  \uff0bcmd",  # full-width plus after spaces
        "\u2212cmd",  # minus sign
    ],
)
def test_formula_after_whitespace_or_in_full_width_is_neutralised(text, tmp_path):
    assert neutralise_cell(text) == "'" + text
    folder = write_tables({"t": pd.DataFrame({"cell": [text]})}, tmp_path / "tables")
    assert pd.read_csv(folder / "t.csv", index_col=0)["cell"].iloc[0].startswith("'")


@pytest.mark.parametrize("text", [" plain text", "\u00a0NHS", "a = b", "-5", " 12"])
def test_text_that_cannot_start_a_formula_is_unchanged(text):
    assert neutralise_cell(text) == text


# --- report folders (connectnet._output) ----------------------------------------------

from connectnet._output import MARKER, OutputFolderError, report_folder  # noqa: E402


def _write_report(out, files: dict[str, str], **options) -> None:
    with report_folder(out, **options) as tmp:
        for name, text in files.items():
            (tmp / name).parent.mkdir(parents=True, exist_ok=True)
            (tmp / name).write_text(text, encoding="utf-8")


def test_report_folder_is_written_whole_with_a_marker(tmp_path):
    out = tmp_path / "report"
    _write_report(out, {"index.html": "new", "tables/a.csv": "x"})
    assert sorted(p.name for p in out.iterdir()) == [MARKER, "index.html", "tables"]
    assert [p.name for p in tmp_path.iterdir()] == ["report"]  # no temporary folder left


def test_an_earlier_report_is_replaced_entirely(tmp_path):
    out = tmp_path / "report"
    _write_report(out, {"index.html": "old", "tables/names.csv": "Ann Smith"})
    _write_report(out, {"index.html": "new"})
    assert sorted(p.name for p in out.iterdir()) == [MARKER, "index.html"]
    assert (out / "index.html").read_text() == "new"


def test_a_folder_that_is_not_a_report_is_refused_unless_forced(tmp_path):
    out = tmp_path / "mine"
    out.mkdir()
    (out / "thesis.docx").write_text("precious")
    with pytest.raises(OutputFolderError, match=r"not empty and is not a connectnet report"):
        _write_report(out, {"index.html": "new"})
    assert (out / "thesis.docx").read_text() == "precious"
    _write_report(out, {"index.html": "new"}, force=True)
    assert sorted(p.name for p in out.iterdir()) == [MARKER, "index.html"]
    empty = tmp_path / "empty"
    empty.mkdir()
    _write_report(empty, {"index.html": "new"})  # an empty folder needs no --force


def test_a_file_in_the_way_is_refused(tmp_path):
    out = tmp_path / "report"
    out.write_text("a file")
    with pytest.raises(OutputFolderError, match="is a file, not a folder"):
        _write_report(out, {"index.html": "new"})


def test_an_interrupted_run_leaves_the_earlier_report_untouched(tmp_path):
    out = tmp_path / "report"
    _write_report(out, {"index.html": "old"})

    def interrupted() -> None:
        with report_folder(out) as tmp:
            (tmp / "index.html").write_text("half")
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        interrupted()
    assert (out / "index.html").read_text() == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["report"]


def test_move_into_place_never_renames_onto_an_existing_folder(tmp_path, monkeypatch):
    # Windows: os.replace(src, dst) fails when dst is an existing folder; the move must
    # put the old report aside first. Simulate that rule here.
    real = os.replace

    def windows_replace(src, dst):
        if Path(dst).exists():
            raise PermissionError(13, "Access is denied", str(dst))
        real(src, dst)

    out = tmp_path / "report"
    _write_report(out, {"index.html": "old"})
    monkeypatch.setattr("connectnet._output.os.replace", windows_replace)
    _write_report(out, {"index.html": "new"})
    assert (out / "index.html").read_text() == "new"
    assert [p.name for p in tmp_path.iterdir()] == ["report"]


def test_failed_final_move_puts_the_earlier_report_back(tmp_path, monkeypatch):
    out = tmp_path / "report"
    _write_report(out, {"index.html": "old"})
    real = os.replace
    calls = []

    def second_fails(src, dst):
        calls.append(dst)
        if len(calls) == 2:
            raise PermissionError(13, "file open in Excel", str(dst))
        real(src, dst)

    monkeypatch.setattr("connectnet._output.os.replace", second_fails)
    with pytest.raises(PermissionError):
        _write_report(out, {"index.html": "new"})
    assert (out / "index.html").read_text() == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["report"]


@pytest.mark.parametrize(
    ("make", "expected"),
    [
        (lambda p: p.write_text("x"), "is a file, not a folder"),
        (lambda p: (p.mkdir(), (p / "x.txt").write_text("x")), "not a connectnet report"),
        (lambda p: None, "name is too long"),
    ],
)
def test_cli_file_system_errors_are_one_line(tmp_path, capsys, make, expected):
    from connectnet.cli import main

    out = tmp_path / ("x" * 300 if expected == "name is too long" else "out")
    if expected != "name is too long":
        make(out)
    code = main(
        [
            "report",
            "--sample",
            "prison_health",
            "--out",
            str(out),
            "--quiet",
            "--permutations",
            "9",
        ]
    )
    err = capsys.readouterr().err.strip()
    assert code == 2
    assert "\n" not in err
    assert "Traceback" not in err
    assert expected in err


@pytest.mark.parametrize("write", [write_gexf, write_graphml])
def test_hide_names_also_drops_contact_details(write, tmp_path):
    G = nx.Graph()
    G.add_node("p1", name="Ann", Email="ann@x.nhs.uk", phone="07700 900123", role="nurse")
    G.add_node("p2", name="Bob", mobile_number="07700 900456", sector="nhs")
    G.add_edge("p1", "p2", weight=1)
    text = write(G, tmp_path / "g.out", hide_names=True, salt=SALT).read_text(encoding="utf-8")
    for secret in ("ann@x.nhs.uk", "07700", "Ann", "Bob", "Email", "phone", "mobile"):
        assert secret not in text
    assert "nurse" in text  # other attributes are kept


def test_gexf_cleans_every_copy_of_a_repeated_value_and_attribute_name(tmp_path):
    # _clean_graph cleans each distinct text once: every node sharing the text (and the
    # attribute name) must still get the cleaned form, and subclasses of str and int are
    # typed as before (np.str_ -> text, bool stays bool, np.int64 -> int)
    G = nx.Graph()
    for k in range(3):
        G.add_node(f"p{k}", **{"team\x01": "A\x02B", "sector": np.str_("nhs"), "n": np.int64(k)})
    G.add_node("p3", flag=True, **{"team\x01": "A\x02B"})
    G.add_edge("p0", "p1", weight=np.int64(2))
    G.add_edge("p1", "p2")
    H = nx.read_gexf(write_gexf(G, tmp_path / "g.gexf"))
    assert [H.nodes[f"p{k}"]["team\ufffd"] for k in range(4)] == ["A\ufffdB"] * 4
    assert [H.nodes[f"p{k}"]["n"] for k in range(3)] == [0, 1, 2]
    assert H.nodes["p0"]["sector"] == "nhs"
    assert H.nodes["p3"]["flag"] is True
    assert H.edges["p0", "p1"]["weight"] == 2.0
    assert H.edges["p1", "p2"] == {"id": "1"}
