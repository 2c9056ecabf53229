"""Tests for connectnet.maps: the explorer's content, its compact page, escaping, layouts."""

from __future__ import annotations

import base64
import copy
import hashlib
import html
import json
import math
import re
import subprocess
import sys
import textwrap
from html.parser import HTMLParser
from pathlib import Path

import networkx as nx
import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from connectnet._palette import UNKNOWN_COLOUR, group_colours
from connectnet.export import neutralise_cell
from connectnet.maps import MapView, NetworkMap, map_layout, network_map, show_map, write_map
from connectnet.maps._page import render_html
from connectnet.privacy import pseudonym_codes

PAYLOADS = [
    "<img src=x onerror=alert(1)>",
    "</script><script>alert(1)</script>",
    '<a href="javascript:alert(1)">x</a>',
    "<!--<script>",
]
SALT = "test-salt-123456"
PAGE_TAGS = {
    "body", "header", "h1", "div", "label", "input", "ul", "fieldset", "legend", "span",
    "select", "button", "main", "aside", "p", "canvas", "script",
}  # fmt: skip


def _graph() -> nx.Graph:
    G = nx.Graph(source="test")
    G.add_node(
        "a", kind="person", name="Ann", sector="NHS", role="nurse", organisation_id="Trust A"
    )
    G.add_node("b", kind="person", name="Bob", sector="prison", role="governor", region="N")
    G.add_node("c", kind="person", name="Cat", sector="prison", region="S")
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


def _view(page: str, k: int = 0) -> dict:
    return _data(page)["views"][k]


def _attr(view: dict, name: str) -> list[str]:
    (a,) = (a for a in view["attrs"] if a["name"] == name)
    return [a["values"][c] for c in a["codes"]]


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


def _sha(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode()).digest()).decode() + "'"


# ---------------------------------------------------------------- offline and escaping


def test_page_is_self_contained_under_a_strict_csp(tmp_path):
    page = write_map(_graph(), tmp_path / "m.html", seed=1).read_text(encoding="utf-8")
    tags = _tags(page)
    assert [t for t, _ in tags if t == "link"] == []
    for _, attrs in tags:  # no element loads or links anything
        assert "src" not in attrs
        assert "href" not in attrs
    assert "://" not in page
    assert "@import" not in page
    assert "url(" not in page
    (csp,) = (a["content"] for t, a in tags if a.get("http-equiv") == "Content-Security-Policy")
    scripts = re.findall(r"<script>(.*?)</script>", page, re.S)
    styles = re.findall(r"<style>(.*?)</style>", page, re.S)
    assert len(scripts) == 1
    assert len(styles) == 1
    assert csp == (
        f"default-src 'none'; script-src {_sha(scripts[0])}; style-src {_sha(styles[0])}; "
        "img-src data:; connect-src 'none'; form-action 'none'; base-uri 'none'"
    )
    assert "unsafe" not in csp
    assert "window.connectnet" in scripts[0]
    assert "innerHTML" not in scripts[0]  # data text only ever goes to textContent
    assert sorted(p.name for p in tmp_path.iterdir()) == ["m.html"]


def test_payloads_only_escaped(tmp_path):
    G = _graph()
    for node, payload in zip("abcd", PAYLOADS, strict=True):
        G.nodes[node]["name"] = payload
    G.nodes["a"]["role"] = PAYLOADS[1]
    G.nodes["b"]["sector"] = PAYLOADS[0]
    waves = {PAYLOADS[2]: G, PAYLOADS[3]: G.copy()}
    metrics = pd.DataFrame({PAYLOADS[0]: [1.0, 2.0], "role": PAYLOADS[:2]}, index=["a", "b"])
    page = write_map(
        waves, tmp_path / "m.html", title=PAYLOADS[1], seed=1, metrics=metrics
    ).read_text("utf-8")
    for payload in PAYLOADS:
        assert payload not in page
    assert f'<h1 id="cn-title">{html.escape(PAYLOADS[1])}</h1>' in page
    block = _data_block(page)
    assert "<" not in block
    assert ">" not in block
    assert "&" not in block
    view = _data(page)["views"][0]
    assert view["names"][:4] == PAYLOADS  # the browser gets the exact text
    assert _attr(view, "role")[0] == PAYLOADS[1]
    assert [w["label"] for w in view["waves"]] == PAYLOADS[2:]
    assert [m["name"] for m in view["metrics"]] == [PAYLOADS[0], "role"]
    body = page.split("</head>")[1]
    assert {t for t, _ in _tags(body)} <= PAGE_TAGS
    assert [t for t, _ in _tags(body)].count("script") == 2  # the JSON block and the code


@settings(deadline=None, max_examples=40)
@given(st.lists(st.text(max_size=20), min_size=1, max_size=6))
def test_property_unicode_names_never_unescaped(names):
    G = nx.Graph()
    for i, name in enumerate(names):
        G.add_node(i, name=name, sector=name, role=name)
    G.add_edges_from((i, i + 1) for i in range(len(names) - 1))
    page = render_html(network_map(G, seed=1, title=names[0]))
    block = _data_block(page)
    assert "<" not in block
    view = json.loads(block)["views"][0]
    clean = [re.sub("[\ud800-\udfff]", "\ufffd", s) for s in names]
    expected = [name if name.strip() else str(i) for i, name in enumerate(clean)]
    assert view["names"] == expected
    tags = _tags(page.split("</head>")[1])
    assert {t for t, _ in tags} <= PAGE_TAGS
    assert [t for t, _ in tags].count("script") == 2
    if names[0].strip():
        assert f'<h1 id="cn-title">{html.escape(clean[0])}</h1>' in page


@settings(deadline=None, max_examples=30)
@given(
    st.lists(st.text(min_size=1, max_size=12).filter(str.strip), min_size=1, max_size=4,
             unique=True),
    st.text(max_size=12),
)  # fmt: skip
def test_property_wave_labels_and_attributes_reach_the_page_as_data(labels, value):
    G = nx.Graph()
    G.add_node("a", sector=value, region=value)
    G.add_node("b", sector="x")
    G.add_edge("a", "b")
    page = render_html(network_map(dict.fromkeys(labels, G), seed=1))
    block = _data_block(page)
    assert "<" not in block
    view = json.loads(block)["views"][0]
    clean = [re.sub("[\ud800-\udfff]", "\ufffd", w) for w in labels]
    assert [w["label"] for w in view["waves"]] == clean
    shown = re.sub("[\ud800-\udfff]", "\ufffd", value) if value.strip() else "unknown"
    assert _attr(view, "sector")[0] == shown
    tags = _tags(page.split("</head>")[1])
    assert {t for t, _ in tags} <= PAGE_TAGS
    assert [t for t, _ in tags].count("script") == 2


def test_csv_export_strings_use_the_export_neutraliser():
    G = _graph()
    G.nodes["a"]["name"] = "=HYPERLINK(1)"
    G.nodes["b"]["sector"] = "+cmd"
    G.nodes["c"]["name"] = "-5"  # a plain number: left as it is
    data = _data(render_html(network_map(G, seed=1)))
    assert data["csv"] == [
        ["+cmd", neutralise_cell("+cmd")],
        ["=HYPERLINK(1)", neutralise_cell("=HYPERLINK(1)")],
    ]


def test_lone_surrogates_do_not_break_writing(tmp_path):
    G = nx.Graph()
    G.add_node(1, sector="a\udc80", name="\ud800")
    page = write_map(G, tmp_path / "s.html", title="t\ud800", seed=1).read_text("utf-8")
    assert "<title>t\ufffd</title>" in page
    view = _view(page)
    assert view["names"] == ["\ufffd"]
    assert _attr(view, "sector") == ["a\ufffd"]


# ---------------------------------------------------------------- content


def test_nodes_attributes_and_compact_tables():
    G = _graph()
    G.nodes["b"]["email"] = "bob@example.org"  # free text of one person: a filter value
    G.add_node("e", kind="person", name="Eve", note="long free text")
    G.nodes["e"]["organisation_name"] = "Eve's Trust"
    for i in range(60):  # an attribute with 61 distinct values is not a filter
        G.add_node(f"x{i}", kind="person", note=f"note {i}")
    m = network_map(
        G, seed=1, organisations=pd.DataFrame({"name": ["Trust A Hospital"]}, index=["Trust A"])
    )
    nodes = m.nodes
    assert nodes.loc["a", "organisation"] == "Trust A Hospital"  # the name, not the id
    assert nodes.loc["b", "organisation"] == "unknown"
    assert nodes.loc["e", "organisation"] == "Eve's Trust"  # organisation_name shown as is
    assert nodes.loc["d", "sector"] == "unknown"
    assert nodes.loc["a", "name"] == "Ann"
    assert nodes.loc["x1", "name"] == "x1"  # no name: the id
    assert "note" not in nodes.columns
    assert "email" in m.filters
    assert set(m.filters) == {"organisation", "sector", "region", "role", "kind", "email"}
    view = _data(render_html(m))["views"][0]
    sector = next(a for a in view["attrs"] if a["name"] == "sector")
    # distinct values sorted, unknown last; codes index them; no per-node dicts anywhere
    assert sector["values"] == ["NHS", "prison", "unknown"]
    assert sector["codes"][:5] == [0, 1, 1, 2, 1]
    assert view["ids"][:5] == ["a", "b", "c", "d", "o"]
    assert all(isinstance(x, int | float) for x in view["x"])
    assert all(round(x, 1) == x for x in view["x"])


def test_edges_weights_and_widths():
    G = _graph()
    m = network_map(G, seed=1)
    e = m.edges.set_index(["source", "target"])
    # widths 1 → 8 px linear in weight between min 1 and max 4: 2.5 → 1 + 7·1.5/3 = 4.5
    assert e.loc[("a", "b"), "width"] == pytest.approx(8.0)
    assert e.loc[("b", "c"), "width"] == pytest.approx(1.0)
    assert e.loc[("c", "o"), "width"] == pytest.approx(4.5)
    assert e.loc[("b", "d"), "weight"] == 1.0
    wave = _view(render_html(m))["waves"][0]
    view = _view(render_html(m))
    assert view["weights"] == [1.0, 2.5, 4.0]
    assert view["widths"] == [1.0, 4.5, 8.0]
    pairs = {
        (view["ids"][s], view["ids"][t]) for s, t in zip(wave["src"], wave["dst"], strict=False)
    }
    assert pairs == set(G.edges())
    assert [view["weights"][c] for c in wave["w"]] == [
        G.edges[p].get("weight", 1.0) for p in G.edges()
    ]


def test_node_sizes_are_the_documented_diameters():
    G = nx.star_graph(4)  # degrees 4, 1, 1, 1, 1
    G.add_node(9)  # degree 0
    m = network_map(G, size_by="degree", seed=1)
    # diameter 8 + 32·√((v − 0)/(4 − 0)): 40 for the hub, 8 + 16 = 24 for a leaf, 8 for 0
    assert m.sizes["network"].tolist() == pytest.approx([40, 24, 24, 24, 24, 8])
    assert _view(render_html(m))["waves"][0]["sizes"] == [40, 24, 24, 24, 24, 8]
    flat = network_map(G, seed=1)
    assert _view(render_html(flat))["waves"][0]["sizes"] == 14.0  # one size for all
    s = pd.Series({0: 2.0, 1: np.nan}, name="score")
    sized = network_map(G, size_by=s, seed=1)
    assert sized.sizes["network"].tolist() == [14, 6, 6, 6, 6, 6]  # one value: 14; n/a: 6


@pytest.mark.parametrize("metric", ["betweenness", "closeness", "pagerank"])
def test_builtin_metrics_match_networkx(metric):
    G = _graph()
    expected = {
        "betweenness": nx.betweenness_centrality,
        "closeness": nx.closeness_centrality,
        "pagerank": nx.pagerank,
    }[metric](G)
    m = network_map(G, size_by=metric, seed=1)
    assert m.size_values["network"].to_dict() == pytest.approx(expected)


def test_metrics_for_the_side_panel():
    G = _graph()
    metrics = pd.DataFrame(
        {"ei": [0.5, -1.0], "role": ["liaison", "coordinator"]}, index=["a", "b"]
    )
    m = network_map(G, metrics=metrics, seed=1)
    assert m.metrics.loc["a", "ei"] == 0.5
    assert pd.isna(m.metrics.loc["c", "ei"])
    view = _view(render_html(m))
    ei, role = view["metrics"]
    assert ei == {"name": "ei", "values": [0.5, -1.0, None, None, None]}
    assert [role["values"][c] for c in role["codes"]] == [
        "liaison", "coordinator", "n/a", "n/a", "n/a"
    ]  # fmt: skip


def test_colours_use_the_shared_palette():
    m = network_map(_graph(), seed=1)
    palette = group_colours(["NHS", "prison", "unknown"])
    assert m.nodes["colour"].tolist() == [
        palette["NHS"], palette["prison"], palette["prison"], UNKNOWN_COLOUR, palette["prison"]
    ]  # fmt: skip
    assert m.legend == (("NHS", palette["NHS"]), ("prison", palette["prison"]),
                        ("unknown", UNKNOWN_COLOUR))  # fmt: skip
    view = _view(render_html(m))
    assert view["colour"]["attr"] == "sector"
    assert view["colour"]["colours"] == [c for _, c in m.legend]
    one = _view(render_html(network_map(_graph(), seed=1, color_by=None)))
    assert one["colour"] is None
    series = pd.Series({"a": "x", "b": "y"}, name="community")
    grouped = _view(render_html(network_map(_graph(), seed=1, color_by=series)))
    assert grouped["colour"]["attr"] == "group"
    assert _attr(grouped, "group") == ["x", "y", "unknown", "unknown", "unknown"]
    assert next(a for a in grouped["attrs"] if a["name"] == "group")["filter"] is True
    # a Series of more than 50 groups colours the dots but gets no checkboxes, as any
    # attribute with more than 50 values (the issue: filters for at most 50)
    many = pd.Series({v: f"community {i}" for i, v in enumerate(nx.path_graph(51))})
    view = _view(render_html(network_map(nx.path_graph(51), seed=1, color_by=many)))
    (group,) = (a for a in view["attrs"] if a["name"] == "group")
    assert len(group["values"]) == 51
    assert group["filter"] is False


# ---------------------------------------------------------------- waves


def _waves():
    G1 = _graph()
    G2 = _graph()
    G2.remove_edge("a", "b")
    G2.add_node("n", kind="person", name="New", sector="NHS")
    G2.add_edge("n", "a", weight=1.0)
    G2.remove_node("d")
    return G1, G2


def test_waves_share_one_layout_and_keep_each_graphs_ties():
    G1, G2 = _waves()
    m = network_map({"baseline": G1, "follow-up": G2}, size_by="degree", seed=3)
    assert isinstance(m, NetworkMap)
    assert m.waves == ("baseline", "follow-up")
    assert m.nodes.index.tolist() == ["a", "b", "c", "d", "o", "n"]
    for label, G in (("baseline", G1), ("follow-up", G2)):
        ties = m.edges[m.edges["wave"] == label]
        assert {frozenset(p) for p in zip(ties["source"], ties["target"], strict=False)} == {
            frozenset(e) for e in G.edges()
        }
    # a node absent from a wave has no size there; degree is counted in each wave
    assert math.isnan(m.sizes.loc["n", "baseline"])
    assert math.isnan(m.sizes.loc["d", "follow-up"])
    assert m.size_values.loc["b", "baseline"] == 3
    assert m.size_values.loc["b", "follow-up"] == 1  # a-b and b-d gone
    view = _view(render_html(m))
    assert view["waves"][0]["nodes"] == [0, 1, 2, 3, 4]
    assert view["waves"][1]["nodes"] == [0, 1, 2, 4, 5]
    # one graph or a list gives the same type
    single = network_map(G1, seed=3)
    listed = network_map([G1, G2], seed=3)
    assert type(single) is type(listed) is NetworkMap
    assert listed.waves == ("wave 1", "wave 2")
    G1.graph["wave"], G2.graph["wave"] = "spring", "autumn"
    assert network_map([G1, G2], seed=3).waves == ("spring", "autumn")
    assert network_map(G1, seed=3).waves == ("spring",)
    # years as numbers label the waves too (not "wave 1", "wave 2"); True is no label
    G1.graph["wave"], G2.graph["wave"] = 2021, np.int64(2022)
    assert network_map([G1, G2], seed=3).waves == ("2021", "2022")
    assert network_map(G2, seed=3).waves == ("2022",)
    G1.graph["wave"] = True
    assert network_map([G1, G2], seed=3).waves == ("wave 1", "wave 2")


def test_wave_arguments_checked():
    G1, G2 = _waves()
    with pytest.raises(ValueError, match="no graphs"):
        network_map({})
    with pytest.raises(TypeError, match="wave 'x' must be a networkx graph"):
        network_map({"x": 1})
    with pytest.raises(ValueError, match="unique"):
        network_map({1: G1, "1": G2})
    with pytest.raises(ValueError, match="directed"):
        network_map([G1, nx.DiGraph(G2)])
    with pytest.raises(TypeError, match="`G` must be a networkx graph"):
        network_map("graph")


def test_organisation_view_sized_by_people_with_their_members():
    import connectnet as cn

    data = cn.load_sample("prison_health")
    G = cn.contact_graph(data, wave=data.waves[0], symmetrise="union")
    orgs = cn.organisation_graph(data)
    m = network_map(G, seed=1, organisations=orgs)
    org = m.organisations
    assert org is not None
    assert org.noun == "organisations"
    assert org.size_by == "people"
    sizes = pd.Series({v: d["size"] for v, d in orgs.nodes(data=True)}, dtype=float)
    assert org.size_values["network"].to_dict() == sizes.to_dict()
    assert org.nodes["name"].to_dict() == {v: d["name"] for v, d in orgs.nodes(data=True)}
    # members: the people of the map, by their organisation_id
    expected: dict = {}
    for v, d in G.nodes(data=True):
        expected.setdefault(d["organisation_id"], []).append(v)
    assert org.members == expected
    people = m.nodes
    one = next(iter(G))
    assert people.loc[one, "organisation"] == orgs.nodes[G.nodes[one]["organisation_id"]]["name"]
    page = render_html(m)
    data_ = _data(page)
    assert len(data_["views"]) == 2
    members = data_["views"][1]["members"]
    ids = data_["views"][0]["ids"]
    k = data_["views"][1]["ids"].index(G.nodes[one]["organisation_id"])
    assert one in [ids[p] for p in members[k]]


# ---------------------------------------------------------------- layouts


def test_map_layout_seeded_and_deterministic():
    G = nx.les_miserables_graph()
    a, b = map_layout(G, seed=4), map_layout(G, seed=4)
    assert a == b
    assert a != map_layout(G, seed=5)
    xy = np.array(list(a.values()))
    assert np.allclose(xy.mean(axis=0), 0, atol=1e-6)
    m = network_map(G, seed=4, color_by=None)
    assert m.positions() == a


def test_layout_from_an_earlier_map_keeps_people_in_place():
    G1, G2 = _waves()
    before = network_map(G1, seed=5)
    after = network_map(G2, layout=before, seed=5)
    for v in G1:
        if v in G2:
            assert after.positions()[v] == pytest.approx(before.positions()[v])
    # the newcomer is placed next to its neighbour
    d_new = np.subtract(after.positions()["n"], after.positions()["a"])
    assert np.hypot(*d_new) < 200
    with pytest.raises(TypeError, match="`layout` must be"):
        network_map(G1, layout=3)
    with pytest.raises(ValueError, match='"force" or "grouped"'):
        network_map(G1, layout="circle")


def test_grouped_layout_puts_each_group_in_its_own_area():
    G = nx.relabel_nodes(nx.connected_caveman_graph(4, 6), str)
    regions = ["N", "S", "E", "W"]
    for v in G:
        G.nodes[v]["region"] = regions[(int(v) * 7) % 4]  # groups cut across the caves
    m = network_map(G, layout="grouped", group_by="region", seed=2)
    boxes = {}
    for region, rows in m.nodes.groupby("region"):
        boxes[region] = (rows["x"].min(), rows["x"].max(), rows["y"].min(), rows["y"].max())
    for r1 in regions:
        for r2 in regions:
            if r1 < r2:
                a, b = boxes[r1], boxes[r2]
                overlap = a[0] <= b[1] and b[0] <= a[1] and a[2] <= b[3] and b[2] <= a[3]
                assert not overlap, (r1, r2)


def test_layout_identical_under_any_pythonhashseed(tmp_path):
    # Issue 12 item 5: string node ids hash differently per process; the picture must not.
    script = textwrap.dedent(
        """
        import json, networkx as nx
        from connectnet.maps import network_map
        from connectnet.maps._page import render_html
        G = nx.Graph()
        names = ["ann", "bob", "cat", "dan", "eve", "fay", "gus", "hal"]
        for i, a in enumerate(names):
            G.add_node(a, sector=["x", "y"][i % 2], region={"n", "s"}.pop())
        G.add_edges_from(zip(names, names[1:] + names[:1]))
        H = G.copy(); H.remove_edge("ann", "bob")
        for layout in ("force", "grouped"):
            m = network_map({"w1": G, "w2": H}, seed=1, layout=layout, size_by="degree")
            print(json.dumps(m.positions()))
        print(len(render_html(m)))
        """
    )
    outs = set()
    for hash_seed in ("0", "1", "12345"):
        env = {"PYTHONHASHSEED": hash_seed, "PYTHONPATH": str(Path(__file__).parents[1] / "src")}
        done = subprocess.run(
            [sys.executable, "-c", script], capture_output=True, text=True, env=env, check=False
        )
        assert done.returncode == 0, done.stderr
        outs.add(done.stdout)
    assert len(outs) == 1


# ---------------------------------------------------------------- privacy, API, misc


def test_hide_names_uses_pseudonym_codes(tmp_path):
    G = _graph()
    page = write_map(G, tmp_path / "h.html", hide_names=True, salt=SALT, seed=1).read_text("utf-8")
    codes = pseudonym_codes(["a", "b", "c", "d"], salt=SALT)
    view = _view(page)
    assert view["ids"][:4] == [codes[k] for k in "abcd"]
    assert view["names"][:4] == [codes[k] for k in "abcd"]
    assert view["names"][4] == "HMP Example"  # organisations keep their names
    assert _data(page)["hideNames"] is True
    for name in ("Ann", "Bob", "Cat", "Dan"):
        assert name not in page
    assert '"a"' not in _data_block(page)
    # other attributes (an e-mail, a phone number) are filters in an ordinary map but
    # never reach a page with hidden names; the known ones and the colour attribute do
    H = _graph()
    for v, email in zip("abc", ("ann@x.org", "bob@x.org", "cat@x.org"), strict=True):
        H.nodes[v]["email"] = email
        H.nodes[v]["team"] = "blue"
    assert "email" in network_map(H, seed=1).filters
    hidden = render_html(network_map(H, seed=1, hide_names=True, salt=SALT, color_by="team"))
    assert "@x.org" not in hidden
    assert [a["name"] for a in _view(hidden)["attrs"]] == [
        "organisation", "sector", "region", "role", "kind", "team"
    ]  # fmt: skip


def test_show_map_renders_a_sandboxed_srcdoc_iframe(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    G = _graph()
    G.nodes["a"]["name"] = PAYLOADS[0]
    view = show_map({"w1": G, "w2": G}, seed=1, height="500px")
    assert isinstance(view, MapView)
    frame = view._repr_html_()
    assert frame.startswith('<iframe srcdoc="')
    assert 'sandbox="allow-scripts allow-downloads"' in frame
    assert "height: 500px" in frame
    (attrs,) = [a for t, a in _tags(frame) if t == "iframe"]
    assert attrs["srcdoc"] == view.html  # the attribute decodes to the exact page
    assert PAYLOADS[0] not in frame
    assert list(tmp_path.iterdir()) == []  # nothing written
    assert view.save(tmp_path / "v.html").read_text("utf-8") == view.html
    assert view.map._repr_html_() == frame


def test_input_graph_not_mutated():
    G1, G2 = _waves()
    before = (copy.deepcopy(dict(G1.nodes(data=True))), copy.deepcopy(list(G1.edges(data=True))))
    write = network_map({"a": G1, "b": G2}, size_by="betweenness", seed=1, hide_names=True)
    assert write is not None
    assert (dict(G1.nodes(data=True)), list(G1.edges(data=True))) == before


def test_ids_numpy_collisions_and_directed():
    G = nx.Graph()
    G.add_node(np.int64(1), name=np.str_("A"), sector="x")
    G.add_node("b", sector="y")
    G.add_edge(np.int64(1), "b", weight=np.float64(2))
    view = _view(render_html(network_map(G, seed=1)))
    assert view["ids"] == [1, "b"]
    H = nx.Graph([(1, "1")])  # the same text: positional ids
    assert _view(render_html(network_map(H, seed=1)))["ids"] == [0, 1]
    D = nx.DiGraph([("a", "b")])
    assert _view(render_html(network_map(D, seed=1)))["directed"] is True


def test_empty_and_single_node_graphs(tmp_path):
    page = write_map(nx.Graph(), tmp_path / "e.html").read_text("utf-8")
    assert _view(page)["ids"] == []
    one = nx.Graph()
    one.add_node("x", name="X")
    assert network_map(one, seed=1).positions() == {"x": (0.0, 0.0)}


def test_bad_arguments():
    G = _graph()
    with pytest.raises(ValueError, match="`size_by` 'nope'"):
        network_map(G, size_by="nope")
    with pytest.raises(TypeError, match="numeric"):
        network_map(G, size_by="name")
    with pytest.raises(TypeError, match="`metrics` must be"):
        network_map(G, metrics=[1, 2])
    with pytest.raises(TypeError, match="`color_by` must be"):
        network_map(G, color_by=3)
    with pytest.raises(TypeError, match="already a map"):
        write_map(network_map(G), "x.html", seed=1)
    with pytest.raises(ValueError, match="`layout` position"):
        network_map(G, layout={"a": (0, math.inf)})
    # a Series or table indexed by something else (names; "1" for node 1) would show
    # nothing at all: an error, not a map without sizes, colours or metrics
    by_name = pd.Series({"Ann": 3.0, "Bob": 1.0})
    for option in ("size_by", "color_by", "metrics"):
        with pytest.raises(ValueError, match=f"`{option}` is indexed by something other"):
            network_map(G, **{option: by_name})
    with pytest.raises(ValueError, match=r"first '1'\).*first node 1\)"):
        network_map(nx.path_graph([1, 2]), metrics=pd.DataFrame({"x": [1.0]}, index=["1"]))
    with pytest.raises(ValueError, match="`metrics` is indexed"):
        network_map(G, metrics={"ei": {"Ann": 1.0}})
    partial = network_map(G, metrics=pd.Series({"a": 1.0}, name="ei"))  # some nodes: fine
    assert partial.metrics["ei"].isna().sum() == len(G) - 1
