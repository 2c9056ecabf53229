"""Tests for connectnet.maps: offline, escaped HTML maps built without mutating the graph."""

from __future__ import annotations

import copy
import html
import json
import re
from html.parser import HTMLParser

import networkx as nx
import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from connectnet._palette import UNKNOWN_COLOUR, group_colours
from connectnet.maps import MapView, map_layout, network_map, show_map, write_map
from connectnet.privacy import pseudonym_codes

PAYLOADS = [
    "<img src=x onerror=alert(1)>",
    "</script><script>alert(1)</script>",
    '<a href="javascript:alert(1)">x</a>',
    "<!--<script>",
]
SALT = "test-salt-123456"


def _graph() -> nx.Graph:
    G = nx.Graph(source="test")
    G.add_node(
        "a", kind="person", name="Ann", sector="NHS", role="nurse", organisation_id="Trust A"
    )
    G.add_node("b", kind="person", name="Bob", sector="prison", role="governor")
    G.add_node("c", kind="person", name="Cat", sector="prison")
    G.add_node("d", kind="person", name="Dan")  # no sector → "unknown"
    G.add_node("o", kind="organisation", name="HMP Example", sector="prison")
    G.add_edge("a", "b", weight=4.0)
    G.add_edge("b", "c", weight=1.0)
    G.add_edge("b", "d")  # missing weight counts as 1
    G.add_edge("c", "o", weight=2.5)
    return G


def _data_block(page: str) -> str:
    match = re.search(r'<script type="application/json" id="cn-data">(.*?)</script>', page, re.S)
    assert match is not None
    return match.group(1)


def _data(page: str) -> dict:
    return json.loads(_data_block(page))


class _Collect(HTMLParser):
    def __init__(self):
        super().__init__()
        self.tags: list[tuple[str, dict]] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))


def _tags(page: str) -> list[tuple[str, dict]]:
    parser = _Collect()
    parser.feed(page)
    return parser.tags


# ---------------------------------------------------------------- offline and escaping


def test_page_is_self_contained(tmp_path):
    page = write_map(_graph(), tmp_path / "m.html", seed=1).read_text(encoding="utf-8")
    tags = _tags(page)
    scripts = [a for t, a in tags if t == "script"]
    links = [a for t, a in tags if t == "link"]
    assert links == []  # styles are in-line
    assert all("src" not in a for a in scripts)  # scripts are in-line
    for _, attrs in tags:
        for key in ("src", "href"):
            assert not re.match(r"\s*(https?:)?//", attrs.get(key) or "")
    assert not re.search(r"<(script|link)[^>]*(src|href)\s*=\s*[\"']?\s*(https?:)?//", page)
    # nor in CSS (vis-network's own style sheet included): only data: URLs, no @import
    assert not re.search(r"url\(\s*[\"']?\s*(https?:|//)", page, re.IGNORECASE)
    assert "@import" not in page
    assert "vis.Network" in page
    assert len(page) > 500_000  # vis-network really is inside
    assert "Content-Security-Policy" in page
    assert "default-src 'none'" in page
    assert sorted(p.name for p in tmp_path.iterdir()) == ["m.html"]  # no lib/ folder


def test_pyvis_methods_also_write_the_offline_page(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    net = network_map(_graph(), seed=1)
    net.write_html("p.html")
    text = (tmp_path / "p.html").read_text(encoding="utf-8")
    assert text == write_map(net, tmp_path / "w.html").read_text(encoding="utf-8")
    assert not (tmp_path / "lib").exists()
    assert "cdn" not in text.split("<body>")[1].lower()


def test_payloads_only_escaped(tmp_path):
    G = _graph()
    for node, payload in zip("abcd", PAYLOADS, strict=True):
        G.nodes[node]["name"] = payload
    G.nodes["a"]["role"] = PAYLOADS[1]
    G.nodes["b"]["sector"] = PAYLOADS[0]
    page = write_map(G, tmp_path / "m.html", title=PAYLOADS[1], seed=1).read_text("utf-8")
    for payload in PAYLOADS:
        assert payload not in page
    assert html.escape(PAYLOADS[1]) in page  # title and legend text escaped
    assert html.escape(PAYLOADS[0]) in page
    block = _data_block(page)
    assert "<" not in block
    assert ">" not in block
    assert "&" not in block
    data = json.loads(block)
    labels = {n["id"]: n["label"] for n in data["nodes"]}
    assert [labels[k] for k in "abcd"] == PAYLOADS  # the browser gets the exact text
    tips = {n["id"]: n["title"] for n in data["nodes"]}
    assert tips["a"].startswith(PAYLOADS[0] + "\n")
    assert f"Role: {PAYLOADS[1]}" in tips["a"]
    # exactly the vendored vis script, our init script and the JSON block
    assert [t for t, _ in _tags(page)].count("script") == 3
    assert page.lower().count("</script") == 3


def test_titles_are_plain_text_for_vis():
    # vis-network shows string titles with innerText; an href in a title must not switch
    # anything to HTML (pyvis' own template then uses innerHTML).
    G = _graph()
    G.nodes["a"]["name"] = '<a href="https://example.org">link</a>'
    net = network_map(G, seed=1)
    assert all(isinstance(n["title"], str) for n in net.nodes)
    page = net.generate_html()
    assert "innerHTML" not in page.split("</head>")[1]
    assert "htmlTitle" not in page
    # the link is data inside the escaped JSON block, never a link or attribute in the page
    assert '\\u003ca href=\\"https://example.org\\"' in _data_block(page)
    assert not any("example.org" in str(attrs) for _, attrs in _tags(page))


@settings(deadline=None, max_examples=40)
@given(st.lists(st.text(max_size=20), min_size=1, max_size=6))
def test_property_unicode_names_never_unescaped(names):
    G = nx.Graph()
    for i, name in enumerate(names):
        G.add_node(i, name=name, sector=name, role=name)
    G.add_edges_from((i, i + 1) for i in range(len(names) - 1))
    page = network_map(G, seed=1, title=names[0]).generate_html()
    block = _data_block(page)
    assert "<" not in block
    assert "</script" not in block.lower()
    data = json.loads(block)
    # names reach the browser exactly (blank names fall back to the node id)
    expected = [name if name.strip() else str(i) for i, name in enumerate(names)]
    assert [n["label"] for n in data["nodes"]] == expected
    assert all(
        n["title"].startswith(e + "\n") for n, e in zip(data["nodes"], expected, strict=True)
    )
    # no name adds an element: only the page's own tags, its two scripts, and the title
    # as escaped text (a name such as "<" is a substring of any page, so test structure)
    tags = _tags(page.split("</head>")[1])
    assert {t for t, _ in tags} <= {"body", "h1", "div", "h2", "ul", "li", "span", "br", "script"}
    assert [t for t, _ in tags].count("script") == 2
    if names[0].strip():
        assert f'<h1 id="cn-title">{html.escape(names[0])}</h1>' in page


# ---------------------------------------------------------------- content


def test_nodes_edges_and_tooltips():
    G = _graph()
    net = network_map(G, seed=1, size_by="degree")
    assert [n["id"] for n in net.nodes] == list(G)
    assert len(net.edges) == G.number_of_edges()
    by_id = {n["id"]: n for n in net.nodes}
    assert by_id["a"]["label"] == "Ann"
    assert by_id["a"]["title"].split("\n") == [
        "Ann",
        "Organisation: Trust A",
        "Sector: NHS",
        "Role: nurse",
        "Connections: 1",
        "degree: 1",
    ]
    assert by_id["o"]["title"].split("\n")[:2] == ["HMP Example", "Kind: organisation"]
    assert by_id["d"]["title"].split("\n")[0] == "Dan"
    edge = {(e["from"], e["to"]): e for e in net.edges}
    assert edge["a", "b"]["weight"] == 4.0
    assert edge["a", "b"]["title"] == "weight: 4"
    assert edge["b", "d"]["weight"] == 1.0
    assert net.options["edges"]["arrows"]["to"]["enabled"] is False


def test_edge_width_linear_in_weight():
    # weights 4, 1, 1, 2.5 → widths 1 + 7·(w − 1)/3: 8, 1, 1, 4.5
    net = network_map(_graph(), seed=1)
    widths = {(e["from"], e["to"]): e["width"] for e in net.edges}
    assert widths == {("a", "b"): 8.0, ("b", "c"): 1.0, ("b", "d"): 1.0, ("c", "o"): 4.5}
    same = network_map(nx.path_graph(3), seed=1)
    assert [e["width"] for e in same.edges] == [1.0, 1.0]


def test_legend_uses_shared_palette(tmp_path):
    G = _graph()
    page = write_map(G, tmp_path / "m.html", seed=1).read_text("utf-8")
    legend = page.split('<div id="cn-legend">')[1].split("</div></div>")[0]
    expected = group_colours(["NHS", "prison", "prison", "unknown", "prison"])
    items = re.findall(r'background:(#[0-9A-Fa-f]{6})"></span><span>([^<]*)</span>', legend)
    assert items == [
        (expected["NHS"], "NHS"),
        (expected["prison"], "prison"),
        (UNKNOWN_COLOUR, "unknown"),
    ]
    net = network_map(G, seed=1)
    colours = {n["id"]: n["color"] for n in net.nodes}
    assert colours == {
        "a": expected["NHS"],
        "b": expected["prison"],
        "c": expected["prison"],
        "d": UNKNOWN_COLOUR,
        "o": expected["prison"],
    }
    assert "<h2>Sector</h2>" in legend


def test_colour_by_series_and_none():
    G = _graph()
    groups = pd.Series({"a": 1, "b": 1, "c": 2, "d": 2, "o": 3}, name="community")
    net = network_map(G, color_by=groups, seed=1)
    pal = group_colours([1, 2, 3])
    assert [n["color"] for n in net.nodes] == [pal[1], pal[1], pal[2], pal[2], pal[3]]
    assert net.connectnet["legend_title"] == "Community"
    assert "Group: 1" in net.nodes[0]["title"]
    plain = network_map(G, color_by=None, seed=1)
    assert len({n["color"] for n in plain.nodes}) == 1
    assert plain.connectnet["legend"] == []


def test_node_sizes_follow_metric():
    G = _graph()
    values = pd.Series({"a": 0.0, "b": 1.0, "c": 0.25, "d": np.nan, "o": 0.5}, name="score")
    net = network_map(G, size_by=values, seed=1)
    size = {n["id"]: n["size"] for n in net.nodes}
    # √-scaled between 8 and 40: 8 + 32·√v
    assert size["a"] == pytest.approx(8.0)
    assert size["b"] == pytest.approx(40.0)
    assert size["c"] == pytest.approx(8.0 + 32.0 * 0.5)
    assert size["o"] == pytest.approx(8.0 + 32.0 * np.sqrt(0.5))
    assert size["d"] == pytest.approx(6.0)  # missing value
    assert "score: n/a" in net.node_map["d"]["title"]
    assert "score: 0.25" in net.node_map["c"]["title"]
    degree = network_map(G, size_by="degree", seed=1)
    order = sorted(G, key=G.degree)
    sizes = [degree.node_map[v]["size"] for v in order]
    assert sizes == sorted(sizes)
    assert degree.node_map["b"]["size"] == max(sizes)
    strength = network_map(G, size_by="strength", seed=1).node_map
    # strengths: a 4, b 6, c 3.5, d 1, o 2.5 → b largest, d smallest
    assert strength["b"]["size"] == pytest.approx(40.0)
    assert strength["d"]["size"] == pytest.approx(8.0)


@pytest.mark.parametrize("metric", ["betweenness", "closeness", "pagerank"])
def test_builtin_metrics_match_networkx(metric):
    G = _graph()
    expected = {
        "betweenness": nx.betweenness_centrality,
        "closeness": nx.closeness_centrality,
        "pagerank": nx.pagerank,
    }[metric](G)
    net = network_map(G, size_by=metric, seed=1)
    for v in G:
        line = next(x for x in net.node_map[v]["title"].split("\n") if x.startswith(metric))
        assert float(line.split(": ")[1]) == pytest.approx(expected[v], rel=1e-3)


def test_node_attribute_metric_and_extra_metrics():
    G = _graph()
    nx.set_node_attributes(G, {"a": 3, "b": 1, "c": 2, "d": 2, "o": 0}, "visits")
    net = network_map(
        G, size_by="visits", metrics=pd.DataFrame({"ei": [0.5, -1.0]}, index=["a", "b"]), seed=1
    )
    assert net.node_map["a"]["size"] == pytest.approx(40.0)
    assert net.node_map["o"]["size"] == pytest.approx(8.0)
    assert "ei: 0.5" in net.node_map["a"]["title"]
    assert "ei: n/a" in net.node_map["c"]["title"]


def test_bad_arguments():
    G = _graph()
    with pytest.raises(ValueError, match="`size_by` 'nope'"):
        network_map(G, size_by="nope")
    with pytest.raises(TypeError, match="`G` must be a networkx graph"):
        network_map({"a": 1})
    with pytest.raises(TypeError, match="`metrics`"):
        network_map(G, metrics=[1, 2])
    with pytest.raises(TypeError, match="`size_by` values"):
        network_map(G, size_by={"a": "big"})
    with pytest.raises(ValueError, match="`salt` must be at least 8"):
        network_map(G, hide_names=True, salt="short")
    with pytest.raises(TypeError, match="already a map"):
        write_map(network_map(G), "x.html", seed=1)
    with pytest.raises(ValueError, match="`layout` position"):
        network_map(G, layout={"a": (0.0, float("nan")), "b": (1.0, 1.0)})


# ---------------------------------------------------------------- pyvis pitfalls


def test_input_graph_not_mutated():
    G = _graph()
    before = copy.deepcopy(G)
    network_map(G, size_by="degree", seed=1)
    write_map(G, "/dev/null", size_by="betweenness", hide_names=True, salt=SALT, seed=1)
    assert nx.utils.graphs_equal(G, before)
    assert dict(G.nodes(data=True)) == dict(before.nodes(data=True))
    assert list(G.edges(data=True)) == list(before.edges(data=True))
    assert all("size" not in d and "title" not in d for _, d in G.nodes(data=True))
    assert all("width" not in d and "value" not in d for *_, d in G.edges(data=True))


def test_numpy_ids_and_values_become_plain_python():
    G = nx.Graph()
    G.add_node(np.int64(1), sector=np.str_("NHS"), score=np.float32(0.5))
    G.add_node((2, "x"), sector="prison", score=np.int64(3))
    G.add_edge(np.int64(1), (2, "x"), weight=np.float64(2.0))
    net = network_map(G, size_by="score", seed=np.int64(3))
    ids = [n["id"] for n in net.nodes]
    assert ids == [1, "(2, 'x')"]
    assert type(ids[0]) is int
    assert net.edges[0]["from"] == 1
    assert type(net.edges[0]["weight"]) is float
    for node in net.nodes:
        for value in node.values():
            assert type(value) in (int, float, str)
    json.dumps({"n": net.nodes, "e": net.edges, "o": net.options})  # plain JSON types


def test_ids_colliding_as_text_get_positional_ids():
    G = nx.Graph([(1, "1")])
    net = network_map(G, seed=1)
    assert [n["id"] for n in net.nodes] == [0, 1]
    assert [n["label"] for n in net.nodes] == ["1", "1"]
    assert (net.edges[0]["from"], net.edges[0]["to"]) == (0, 1)


def test_directed_graph_gets_arrows():
    net = network_map(nx.DiGraph([("a", "b"), ("b", "a")]), seed=1)
    assert net.directed
    assert len(net.edges) == 2
    assert net.options["edges"]["arrows"]["to"]["enabled"] is True


def test_empty_and_single_node_graphs(tmp_path):
    for G in (nx.Graph(), nx.Graph([("a", "a")])):
        page = write_map(G, tmp_path / "e.html", size_by="degree", seed=1).read_text("utf-8")
        data = _data(page)
        assert len(data["nodes"]) == G.number_of_nodes()
    empty = network_map(nx.Graph(), physics=False, seed=1)
    assert empty.nodes == []


# ---------------------------------------------------------------- layout and physics


def test_small_graph_uses_browser_physics_large_graph_fixed_positions():
    small = network_map(_graph(), seed=1)
    assert small.options["physics"]["enabled"] is True
    assert small.options["layout"]["randomSeed"] == 1
    assert all("x" not in n for n in small.nodes)
    G = nx.gnm_random_graph(1600, 3000, seed=1)
    big = network_map(G, seed=1)
    assert big.options["physics"] == {"enabled": False}
    assert big.options["layout"]["improvedLayout"] is False
    assert all(np.isfinite([n["x"], n["y"]]).all() for n in big.nodes)
    forced = network_map(_graph(), physics=False, seed=1)
    assert forced.options["physics"] == {"enabled": False}
    assert all("x" in n for n in forced.nodes)


def test_map_layout_seeded_and_deterministic():
    G = nx.connected_caveman_graph(4, 5)
    a, b, c = map_layout(G, seed=1), map_layout(G, seed=1), map_layout(G, seed=2)
    assert a == b
    assert a != c
    assert set(a) == set(G)
    xy = np.array(list(a.values()))
    assert np.isfinite(xy).all()
    assert all(type(v) is float for p in a.values() for v in p)
    # caves stay together: mean within-cave distance < mean between-cave distance
    cave = {v: v // 5 for v in G}
    d = np.linalg.norm(xy[:, None] - xy[None], axis=2)
    same = np.equal.outer([cave[v] for v in a], [cave[v] for v in a])
    np.fill_diagonal(same, False)
    other = ~np.equal.outer([cave[v] for v in a], [cave[v] for v in a])
    assert d[same].mean() < 0.5 * d[other].mean()
    assert map_layout(nx.Graph(), seed=1) == {}
    assert map_layout(nx.Graph([(1, 1)]), seed=1) == {1: (0.0, 0.0)}
    with pytest.raises(ValueError, match="`iterations`"):
        map_layout(G, iterations=0)


def test_matched_layouts_keep_people_in_place():
    G1 = nx.connected_caveman_graph(3, 4)
    G2 = G1.copy()
    G2.remove_edge(*next(iter(G1.edges())))
    G2.add_edge(0, 11, weight=3.0)
    G2.add_edge("new", 5)  # newcomer next to node 5
    G2.add_edge("x", "y")  # a pair with no known position
    before = network_map(G1, physics=False, seed=4)
    after = network_map(G2, layout=before, seed=4)
    assert after.options["physics"] == {"enabled": False}
    pos1 = before.connectnet["positions"]
    pos2 = after.connectnet["positions"]
    for v in G1:
        assert pos2[v] == pos1[v]
    assert set(pos2) == set(G2)
    span = np.ptp(np.array(list(pos1.values())), axis=0).max()
    assert np.linalg.norm(np.subtract(pos2["new"], pos1[5])) < span / 2
    assert all(np.isfinite(pos2[v]).all() for v in ("new", "x", "y"))
    # the same via a graph or a positions dict
    from_graph = network_map(G2, layout=G1, seed=4).connectnet["positions"]
    assert all(from_graph[v] == pos1[v] for v in G1)
    fixed = {v: (float(i), float(-i)) for i, v in enumerate(G1)}
    a = network_map(G1, layout=fixed, seed=1).connectnet["positions"]
    b = network_map(G2, layout=fixed, seed=1).connectnet["positions"]
    assert all(a[v] == b[v] for v in G1)
    with pytest.raises(ValueError, match="browser physics"):
        network_map(G2, layout=network_map(G1, seed=1))
    with pytest.raises(TypeError, match="`layout` must be"):
        network_map(G2, layout=[1, 2])


def test_same_seed_same_page():
    G = nx.connected_caveman_graph(3, 4)
    one = network_map(G, physics=False, seed=9).generate_html()
    two = network_map(G, physics=False, seed=9).generate_html()
    assert one == two


# ---------------------------------------------------------------- privacy


def test_hide_names_uses_pseudonym_codes(tmp_path):
    G = _graph()
    page = write_map(G, tmp_path / "m.html", hide_names=True, salt=SALT, seed=1).read_text("utf-8")
    data = _data(page)
    codes = pseudonym_codes(["a", "b", "c", "d"], salt=SALT)
    labels = [n["label"] for n in data["nodes"]]
    assert labels == [*codes.tolist(), "HMP Example"]
    body = page.split("</head>")[1]  # (the vendored CSS has base64 that spells 'Bob')
    for name in ("Ann", "Bob", "Cat", "Dan"):
        assert name not in body
    assert [n["id"] for n in data["nodes"]] == [0, 1, 2, 3, 4]
    assert data["nodes"][0]["title"].split("\n")[0] == codes["a"]
    assert "pseudonymous codes" in page
    # no salt: a fresh random one, so codes are valid but unlinkable to other outputs
    unsalted = [n["label"] for n in network_map(G, hide_names=True, seed=1).nodes][:4]
    assert all(re.fullmatch(r"P-[0-9A-F]{8}", label) for label in unsalted)
    assert set(unsalted).isdisjoint(codes.tolist())
    role_labels = network_map(G, hide_names=True, salt=SALT, label_by="role", seed=1)
    assert [n["label"] for n in role_labels.nodes][:3] == ["nurse", "governor", codes["c"]]


# ---------------------------------------------------------------- inline display


def test_show_map_renders_srcdoc_iframe_without_files(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    G = _graph()
    G.nodes["a"]["name"] = PAYLOADS[1]
    view = show_map(G, seed=1, height="500px")
    assert isinstance(view, MapView)
    out = view._repr_html_()
    assert out.startswith('<iframe srcdoc="')
    assert 'sandbox="allow-scripts"' in out
    assert "height: 500px" in out
    srcdoc = out.split('srcdoc="')[1].split('" style=')[0]
    assert "<" not in srcdoc
    assert '"' not in srcdoc
    assert html.unescape(srcdoc) == view.html
    assert list(tmp_path.iterdir()) == []
    assert "5 nodes, 4 edges" in repr(view)
    assert view.save(tmp_path / "v.html").read_text("utf-8") == view.html


def test_any_pyvis_network_written_offline_with_text_tooltips(tmp_path):
    from pyvis.network import Network

    net = Network(heading="<i>made by pyvis</i>")
    net.add_node(1, label="one", title='<a href="x">link</a>')
    net.add_node(2, label=PAYLOADS[0], title=PAYLOADS[1])
    net.add_edge(1, 2, value=np.float64(3.0))
    page = write_map(net, tmp_path / "p.html").read_text("utf-8")
    assert not any(t == "link" or "src" in a for t, a in _tags(page))
    assert "&lt;i&gt;made by pyvis&lt;/i&gt;" in page
    data = _data(page)
    assert [n["title"] for n in data["nodes"]] == ['<a href="x">link</a>', PAYLOADS[1]]
    assert data["edges"][0]["value"] == 3.0
    assert "<" not in _data_block(page)


def test_lone_surrogates_in_title_and_legend_do_not_break_writing(tmp_path):
    # JSON escapes them, but the escaped-HTML title and legend used to raise
    # UnicodeEncodeError when the page was written as UTF-8
    G = nx.Graph()
    G.add_node(1, sector="a\udc80", name="\ud800")
    page = write_map(G, tmp_path / "s.html", title="t\ud800", seed=1).read_text("utf-8")
    assert "<title>t\ufffd</title>" in page
    assert "<span>a\ufffd</span>" in page
    assert _data(page)["nodes"][0]["label"] == "\ud800"  # the data keeps the exact text


@pytest.mark.parametrize("payload", PAYLOADS)
def test_payloads_in_every_field_stay_text(payload):
    # node id, organisation, colour group and its name (legend title), size metric name
    # (caption), tooltip metric names: none may reach the page as markup
    G = nx.Graph()
    G.add_node(payload, name=payload, organisation_id=payload, sector=payload, role=payload)
    G.add_node("b", sector="x")
    G.add_edge(payload, "b")
    named = {"color_by": pd.Series({payload: payload, "b": "y"}, name=payload)}
    sized = {"size_by": pd.Series({payload: 1.0, "b": 2.0}, name=payload)}
    extra = {"metrics": pd.DataFrame({payload: [1.0, 2.0]}, index=[payload, "b"])}
    for kw in ({}, named, sized, extra, {"color_by": "organisation_id"}):
        page = network_map(G, seed=1, title=payload, **kw).generate_html()
        body = page.split("</head>")[1]
        assert payload not in page
        assert [t for t, _ in _tags(body)].count("script") == 2  # JSON block + init
        assert {t for t, _ in _tags(body)} <= {
            "body",
            "h1",
            "div",
            "h2",
            "ul",
            "li",
            "span",
            "br",
            "script",
        }
        data = json.loads(_data_block(page))
        assert payload in data["nodes"][0]["title"]
