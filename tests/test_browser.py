"""Real-browser tests of the explorer: headless Chromium via Playwright, network blocked.

Each test opens a map written by :func:`connectnet.write_map` from a ``file://`` URL with
every non-file request aborted (and recorded), uses each control through the page (typing,
clicking, selecting, keys) and through ``window.connectnet``, and compares what the page
shows with the graphs. Every test also checks that nothing ran from the data (no dialog),
nothing was fetched and nothing was logged as an error. Screenshots go to the test's
temporary folder; with ``CONNECTNET_DOCS_IMAGES=1`` the documentation screenshots are
written to ``docs/img/`` instead.
"""

from __future__ import annotations

import base64
import csv
import io
import os
import shutil
from pathlib import Path

import networkx as nx
import numpy as np
import pandas as pd
import pytest

from connectnet.export import neutralise_cell
from connectnet.maps import network_map, write_map

pytestmark = pytest.mark.browser

CHROMIUM = shutil.which("chromium")
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]
DOCS_IMG = Path(__file__).resolve().parents[1] / "docs" / "img"
DRAWN = "() => document.documentElement.hasAttribute('data-cn-drawn')"


def _shots(tmp_path: Path) -> Path:
    """Where documentation screenshots go: docs/img only when asked for."""
    return DOCS_IMG if os.environ.get("CONNECTNET_DOCS_IMAGES") == "1" else tmp_path


PAYLOADS = [
    "<img src=x onerror=alert(1)>",
    "</script><script>alert(1)</script>",
    '<a href="javascript:alert(1)">click me</a>',
    "'\"--><svg onload=alert(1)>",
]


@pytest.fixture(scope="module")
def browser():
    if CHROMIUM is None:
        pytest.skip("chromium not installed: apt-get install chromium (CI installs it)")
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        yield b
        b.close()


class _Page:
    """A page with network blocked and console/dialog/request logs."""

    def __init__(self, browser, size=(1280, 800)):
        self.context = browser.new_context(
            viewport={"width": size[0], "height": size[1]}, accept_downloads=True
        )
        self.page = self.context.new_page()
        self.console: list[tuple[str, str]] = []
        self.dialogs: list[str] = []
        self.blocked: list[str] = []
        self.errors: list[str] = []
        self.page.on("console", lambda m: self.console.append((m.type, m.text)))
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))

        def on_dialog(dialog):
            self.dialogs.append(dialog.message)
            dialog.dismiss()

        self.page.on("dialog", on_dialog)

        def route(r):
            if r.request.url.startswith("file://"):
                r.continue_()
            else:
                self.blocked.append(r.request.url)
                r.abort()

        self.context.route("**/*", route)

    def open(self, path: Path, timeout_ms: int = 60_000) -> None:
        self.page.goto(path.resolve().as_uri())
        self.page.wait_for_function(DRAWN, timeout=timeout_ms)

    def js(self, expr: str, arg=None):
        return self.page.evaluate(expr, arg)

    def shown(self) -> str:
        return self.page.inner_text("#cn-shown")

    def assert_clean(self) -> None:
        assert self.dialogs == []
        assert self.blocked == []
        assert self.errors == []
        bad = [(t, x) for t, x in self.console if t in ("error", "warning")]
        assert bad == []
        # no element from the data: only the page's own kinds of element
        tags = self.js(
            "Array.from(new Set(Array.from(document.querySelectorAll('*'), e => e.tagName)))"
        )
        assert set(tags) <= {
            "HTML", "HEAD", "META", "TITLE", "STYLE", "BODY", "HEADER", "H1", "H2", "H3", "DIV",
            "LABEL", "INPUT", "UL", "LI", "FIELDSET", "LEGEND", "SPAN", "SELECT", "OPTION",
            "BUTTON", "MAIN", "ASIDE", "P", "CANVAS", "SCRIPT", "STRONG", "DL", "DT", "DD",
        }  # fmt: skip

    def close(self) -> None:
        self.context.close()


def _sample_graph(seed: int = 3) -> nx.Graph:
    """A small stakeholder-like graph: 4 sectors, 3 regions, 36 people, weighted ties."""
    rng = np.random.default_rng(seed)
    sectors = ["NHS", "prison", "civil service", "local authority"]
    G = nx.Graph()
    for i in range(36):
        sector = sectors[i % 4]
        G.add_node(
            f"p{i}",
            kind="person",
            name=f"Person {i}",
            sector=sector,
            region=["North", "South", "Wales"][i % 3],
            role=["governor", "nurse", "manager"][i % 3],
            organisation_id=f"{sector[:3].upper()}-{i % 5}",
        )
    for i in range(36):
        for j in range(i + 1, 36):
            p = 0.35 if i % 4 == j % 4 else 0.04
            if rng.random() < p:
                G.add_edge(f"p{i}", f"p{j}", weight=float(rng.integers(1, 5)))
    return G


def _two_waves() -> tuple[nx.Graph, nx.Graph]:
    G1 = _sample_graph(3)
    G2 = _sample_graph(4)
    G2.add_node("new", kind="person", name="Newcomer", sector="prison", region="North")
    G2.add_edge("new", "p1", weight=2.0)
    return G1, G2


def _ties(G: nx.Graph, keep: set | None = None) -> set[frozenset]:
    return {frozenset(e) for e in G.edges() if keep is None or set(e) <= keep}


# ---------------------------------------------------------------- controls


def test_search_focus_panel_and_escape_through_the_ui(browser, tmp_path):
    G = _sample_graph()
    orgs = pd.DataFrame(
        {"name": [f"Org {k}" for k in ("NHS-0", "PRI-1")]}, index=["NHS-0", "PRI-1"]
    )
    metrics = pd.DataFrame({"ei_index": {"p12": -0.25}, "broker": {"p12": "liaison"}})
    path = write_map(G, tmp_path / "s.html", seed=1, organisations=orgs, metrics=metrics)
    page = _Page(browser)
    try:
        page.open(path)
        box = page.page.locator("#cn-search")
        box.click()
        box.type("person 1")
        options = page.page.locator("#cn-suggest li")
        # names starting with "Person 1": 1, 10..19 — ten suggestions, "Person 1" first
        assert options.count() == 10
        assert options.nth(0).inner_text().startswith("Person 1")
        page.page.keyboard.press("ArrowDown")
        page.page.keyboard.press("ArrowDown")
        page.page.keyboard.press("ArrowDown")
        page.page.keyboard.press("Enter")  # the third suggestion: Person 11
        panel = page.page.locator("#cn-panel")
        assert panel.is_visible()
        assert panel.locator("h2").inner_text() == "Person 11"
        # contacts: name, organisation, sector and region of each neighbour
        items = panel.locator(".cn-contacts li").all_inner_texts()
        expected = sorted(G.nodes[v]["name"] for v in G["p11"])
        assert [t.split("\n")[0] for t in items] == expected
        nb = sorted(G["p11"], key=lambda v: G.nodes[v]["name"])[0]
        org = G.nodes[nb]["organisation_id"]
        org_text = {"NHS-0": "Org NHS-0", "PRI-1": "Org PRI-1"}.get(org, org)
        assert items[0].split("\n")[1] == (
            f"{org_text} · {G.nodes[nb]['sector']} · {G.nodes[nb]['region']}"
        )
        page.page.keyboard.press("Escape")
        assert not panel.is_visible()
        # metrics in the side panel, clicking a contact moves the focus
        page.js("connectnet.focus('p12')")
        text = panel.inner_text()
        assert "ei_index\n-0.25" in text
        assert "broker\nliaison" in text
        first = panel.locator(".cn-contacts button").first
        name = first.inner_text()
        first.click()
        assert panel.locator("h2").inner_text() == name
        # the API: ids of every node whose name, id or organisation matches
        assert page.js("connectnet.search('PERSON 3')") == ["p3", "p30", "p31", "p32", "p33",
                                                              "p34", "p35"]  # fmt: skip
        assert set(page.js("connectnet.search('org nhs-0')")) == {
            v for v in G if G.nodes[v]["organisation_id"] == "NHS-0"
        }
        assert page.js("connectnet.search('')") == []
        page.assert_clean()
    finally:
        page.close()


def test_filters_counts_legend_and_shown_line(browser, tmp_path):
    G = _sample_graph()
    path = write_map(G, tmp_path / "f.html", seed=1)
    page = _Page(browser)
    try:
        page.open(path)
        assert page.shown() == "36 of 36 people shown"
        # counts beside each checkbox equal the data
        for attr in ("sector", "region", "role"):
            labels = page.page.locator(f'fieldset[data-attr="{attr}"] label').all_inner_texts()
            counts = pd.Series([d[attr] for _, d in G.nodes(data=True)]).value_counts()
            assert {t.rsplit(" (", 1)[0]: int(t.rsplit("(", 1)[1][:-1]) for t in labels} == (
                counts.to_dict()
            )
        # the UI: untick "prison" (click), then keep only Wales in the region filter
        page.page.locator('fieldset[data-attr="sector"] label', has_text="prison").click()
        keep = {v for v, d in G.nodes(data=True) if d["sector"] != "prison"}
        assert set(page.js("connectnet.visibleNodes()")) == keep
        assert page.shown() == f"{len(keep)} of 36 people shown"
        assert page.js("connectnet.visibleEdges()") == len(_ties(G, keep))
        for region in ("North", "South"):
            page.page.locator('fieldset[data-attr="region"] label', has_text=region).click()
        keep = {v for v in keep if G.nodes[v]["region"] == "Wales"}
        assert set(page.js("connectnet.visibleNodes()")) == keep
        # the legend toggles the sector filter too, and shows what is off
        legend = page.page.locator("#cn-legend button", has_text="NHS")
        legend.click()
        assert legend.get_attribute("aria-pressed") == "false"
        keep = {v for v in keep if G.nodes[v]["sector"] != "NHS"}
        assert set(page.js("connectnet.visibleNodes()")) == keep
        box = page.page.locator('fieldset[data-attr="sector"] input[value="NHS"]')
        assert not box.is_checked()  # the checkboxes follow
        page.page.locator("#cn-clear").click()
        assert page.shown() == "36 of 36 people shown"
        assert box.is_checked()
        # the API: a region's prisons and NHS organisations
        page.js("connectnet.filter({region: ['North'], sector: ['prison', 'NHS']})")
        keep = {
            v for v, d in G.nodes(data=True)
            if d["region"] == "North" and d["sector"] in ("prison", "NHS")
        }  # fmt: skip
        assert set(page.js("connectnet.visibleNodes()")) == keep
        assert page.js("connectnet.visibleEdges()") == len(_ties(G, keep))
        error = page.js("() => { try { connectnet.filter({sector: ['nope']}); } catch (e) "
                        "{ return e.message; } }")  # fmt: skip
        assert "not a value of sector" in error
        page.js("connectnet.clearFilters()")
        assert len(page.js("connectnet.visibleNodes()")) == 36
        page.page.screenshot(path=str(tmp_path / "map-filters.png"))
        page.assert_clean()
    finally:
        page.close()


def test_filtering_brings_the_nodes_shown_into_view(browser, tmp_path):
    # Two groups 5,000 pixels apart: after focusing someone in one (the view zooms in on
    # them) and clearing the focus, filtering to the other group shows it on the map.
    from PIL import Image

    G = nx.Graph()
    G.add_nodes_from(["a1", "a2"], sector="NHS")
    G.add_nodes_from(["b1", "b2"], sector="prison")
    layout = {"a1": (0, 0), "a2": (1, 0), "b1": (100, 0), "b2": (101, 0)}
    path = write_map(G, tmp_path / "far.html", layout=layout, label_by=None)
    page = _Page(browser, size=(900, 700))

    def has(colour: str) -> bool:
        png = page.js("connectnet.exportPNG()")
        img = Image.open(io.BytesIO(base64.b64decode(png.split(",", 1)[1]))).convert("RGB")
        rgb = np.array([int(colour[k : k + 2], 16) for k in (1, 3, 5)])
        return bool((np.abs(np.asarray(img).astype(int) - rgb).sum(axis=2) < 40).any())

    try:
        page.open(path)
        page.js("connectnet.focus('a1')")
        page.page.keyboard.press("Escape")
        assert has("#0072B2")
        assert not has("#D55E00")
        page.page.locator('fieldset[data-attr="sector"] label', has_text="NHS").click()
        assert page.js("connectnet.visibleNodes()") == ["b1", "b2"]
        assert has("#D55E00")  # the prison pair, now the only nodes shown, is in view
        page.js("connectnet.focus('b1')")  # with a focus the view stays on the person
        page.js("connectnet.clearFilters()")
        assert has("#D55E00")
        assert not has("#0072B2")
        page.assert_clean()
    finally:
        page.close()


def test_waves_selector_changes_view_and_side_by_side(browser, tmp_path):
    G1, G2 = _two_waves()
    path = write_map({"baseline": G1, "follow-up": G2}, tmp_path / "w.html", seed=2,
                     size_by="degree", title="Two waves")  # fmt: skip
    page = _Page(browser)
    try:
        page.open(path)
        assert page.js("connectnet.waves()") == ["baseline", "follow-up"]
        assert page.js("connectnet.visibleEdges()") == G1.number_of_edges()
        assert page.shown() == "36 of 36 people shown"
        page.page.select_option("#cn-wave", label="follow-up")  # the UI
        assert page.js("connectnet.visibleEdges()") == G2.number_of_edges()
        assert page.shown() == "37 of 37 people shown"
        page.js("connectnet.setWave('baseline')")  # the API
        assert page.page.locator("#cn-wave option:checked").inner_text() == "baseline"
        assert page.js("connectnet.visibleEdges()") == G1.number_of_edges()
        # changes: new ties solid, lost dashed, kept grey, with counts
        page.page.locator("#cn-changes").check()
        new, lost = _ties(G2) - _ties(G1), _ties(G1) - _ties(G2)
        kept = _ties(G1) & _ties(G2)
        counts = page.js(
            "Object.fromEntries(Array.from(document.querySelectorAll('#cn-key [data-kind]'),"
            " e => [e.dataset.kind, Number(e.dataset.count)]))"
        )
        assert counts == {"new": len(new), "lost": len(lost), "kept": len(kept)}
        assert page.js("connectnet.visibleEdges()") == len(new | lost | kept)
        assert "Changes from baseline to follow-up" in page.page.inner_text("#cn-key")
        page.page.screenshot(path=str(tmp_path / "map-changes.png"))
        # filtered, the counts follow the people shown
        page.js("connectnet.filter({sector: ['prison']})")
        keep = {v for G in (G1, G2) for v, d in G.nodes(data=True) if d["sector"] == "prison"}
        got = page.js("Number(document.querySelector('#cn-key [data-kind=new]').dataset.count)")
        assert got == len({e for e in new if e <= keep})
        page.js("connectnet.clearFilters()")
        page.js("connectnet.showChanges(false)")
        assert not page.page.locator("#cn-changes").is_checked()
        assert page.js("connectnet.visibleEdges()") == G1.number_of_edges()
        page.page.locator("#cn-side").check()
        page.page.screenshot(path=str(tmp_path / "map-side-by-side.png"))
        page.assert_clean()
    finally:
        page.close()


def test_organisation_view_switch_and_tooltip_lists_people(browser, tmp_path):
    import connectnet as cn

    data = cn.load_sample("prison_health")
    graphs = {w: cn.contact_graph(data, wave=w, symmetrise="union") for w in data.waves}
    orgs = {w: cn.organisation_graph(g) for w, g in graphs.items()}
    for org_graph in orgs.values():  # contracted from a person graph: names from the table
        nx.set_node_attributes(org_graph, data.organisations["name"].to_dict(), "name")
    path = write_map(graphs, tmp_path / "o.html", seed=1, organisations=orgs)
    page = _Page(browser)
    try:
        page.open(path)
        page.page.locator("#cn-views label", has_text="Organisations").click()
        n_orgs = len(set().union(*orgs.values()))
        assert (
            page.shown() == f"{orgs[data.waves[0]].number_of_nodes()} of "
            f"{orgs[data.waves[0]].number_of_nodes()} organisations shown"
        )
        assert len(page.js("connectnet.visibleNodes()")) <= n_orgs
        org = page.js("connectnet.search('HMP')[0]")
        page.js("id => connectnet.focus(id)", org)
        people = sorted(
            d["name"] for _, d in graphs[data.waves[0]].nodes(data=True)
            if d["organisation_id"] == org
        )  # fmt: skip
        panel = page.page.inner_text("#cn-panel")
        assert f"People ({len(people)})" in panel
        assert all(p in panel for p in people)
        # hover the organisation: the tooltip lists its people
        page.page.keyboard.press("Escape")
        page.js("id => connectnet.focus(id)", org)  # centres it
        page.page.keyboard.press("Escape")
        box = page.page.locator("#cn-canvas").bounding_box()
        page.page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
        tip = page.page.locator("#cn-tip")
        assert tip.is_visible()
        assert f"People ({len(people)}): " in tip.inner_text()
        page.page.screenshot(path=str(tmp_path / "map-organisations.png"))
        page.page.locator("#cn-views label", has_text="People").click()
        assert page.shown() == "141 of 141 people shown"
        page.assert_clean()
    finally:
        page.close()


def test_png_and_csv_export_formula_safe(browser, tmp_path):
    G = _sample_graph()
    G.nodes["p0"]["name"] = '=HYPERLINK("x")'
    G.nodes["p4"]["name"] = "+1+cmd"
    path = write_map(G, tmp_path / "e.html", seed=1)
    page = _Page(browser)
    try:
        page.open(path)
        png = page.js("connectnet.exportPNG()")
        assert png.startswith("data:image/png;base64,")
        with page.page.expect_download() as info:
            page.page.locator("#cn-png").click()
        assert info.value.suggested_filename == "map.png"
        page.js("connectnet.filter({sector: ['NHS']})")
        with page.page.expect_download() as info:
            page.page.locator("#cn-csv").click()
        text = Path(info.value.path()).read_text(encoding="utf-8-sig")
        rows = list(csv.DictReader(io.StringIO(text)))
        nhs = [v for v, d in G.nodes(data=True) if d["sector"] == "NHS"]
        assert [r["id"] for r in rows] == nhs
        names = {r["id"]: r["name"] for r in rows}
        assert names["p0"] == neutralise_cell('=HYPERLINK("x")')
        assert names["p4"] == neutralise_cell("+1+cmd")
        assert rows[1]["connections"] == str(G.degree("p4"))
        page.assert_clean()
    finally:
        page.close()


def test_node_sizes_drawn_exactly_as_documented(browser, tmp_path):
    # Two dots 50 map units apart (two given positions are fitted to the 50-pixel median
    # nearest-neighbour distance) with diameters 40 and 8: on the exported PNG the dots
    # measure 40/50 and 8/50 of the distance between their centres.
    from PIL import Image

    G = nx.Graph()
    G.add_nodes_from(["a", "b"])
    m = network_map(G, layout={"a": (0, 0), "b": (1, 0)}, color_by=None, label_by=None,
                    size_by=pd.Series({"a": 1.0, "b": 0.0}))  # fmt: skip
    assert m.sizes["network"].tolist() == [40.0, 8.0]
    path = write_map(m, tmp_path / "z.html")
    page = _Page(browser, size=(900, 700))
    try:
        page.open(path)
        png = page.js("connectnet.exportPNG()")
        img = Image.open(io.BytesIO(base64.b64decode(png.split(",", 1)[1]))).convert("RGB")
        arr = np.asarray(img).astype(int)
        blue = np.abs(arr - np.array([0x00, 0x72, 0xB2])).sum(axis=2) < 60
        row = int(np.argmax(blue.sum(axis=1)))
        xs = np.flatnonzero(blue[row])
        runs = np.split(xs, np.flatnonzero(np.diff(xs) > 1) + 1)
        assert len(runs) == 2
        centres = [r.mean() for r in runs]
        unit = (centres[1] - centres[0]) / 50
        assert len(runs[0]) / unit == pytest.approx(40, abs=1.5)
        assert len(runs[1]) / unit == pytest.approx(8, abs=1.5)
        page.assert_clean()
    finally:
        page.close()


def test_keyboard_operable(browser, tmp_path):
    G = _sample_graph()
    path = write_map(G, tmp_path / "k.html", seed=1)
    page = _Page(browser)
    try:
        page.open(path)
        page.page.keyboard.press("Tab")  # first control: the search box
        assert page.js("document.activeElement.id") == "cn-search"
        page.page.keyboard.type("Person 7")
        page.page.keyboard.press("Enter")
        assert page.page.locator("#cn-panel h2").inner_text() == "Person 7"
        page.page.keyboard.press("Escape")
        assert not page.page.locator("#cn-panel").is_visible()
        # a click on a dot focuses it (focus centres the person; clear, then click there)
        page.js("connectnet.focus('p7')")
        page.page.keyboard.press("Escape")
        box = page.page.locator("#cn-canvas").bounding_box()
        page.page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
        assert page.page.locator("#cn-panel h2").inner_text() == "Person 7"
        page.page.mouse.click(box["x"] + 3, box["y"] + 3)  # empty space clears
        assert not page.page.locator("#cn-panel").is_visible()
        page.page.locator("#cn-canvas").focus()
        before = page.js("connectnet.exportPNG()")
        for key in ("+", "+", "ArrowLeft", "ArrowUp"):
            page.page.keyboard.press(key)
        assert page.js("connectnet.exportPNG()") != before  # the view moved
        page.page.keyboard.press("0")
        page.assert_clean()
    finally:
        page.close()


# ---------------------------------------------------------------- escaping and privacy


def test_payloads_in_names_attributes_and_wave_labels_stay_inert(browser, tmp_path):
    G1, G2 = _two_waves()
    for G in (G1, G2):
        for i, payload in enumerate(PAYLOADS):
            G.nodes[f"p{i}"]["name"] = payload
            G.nodes[f"p{i + 4}"]["role"] = payload
            G.nodes[f"p{i + 8}"]["region"] = payload
        G.nodes["p12"]["sector"] = "<b>sector</b>"
    waves = {PAYLOADS[0]: G1, PAYLOADS[3]: G2}
    metrics = pd.DataFrame({PAYLOADS[2]: {"p0": 1.0}})
    path = write_map(waves, tmp_path / "x.html", size_by="degree", seed=1,
                     title=PAYLOADS[1], metrics=metrics)  # fmt: skip
    page = _Page(browser)
    try:
        page.open(path)
        assert page.page.inner_text("#cn-title") == PAYLOADS[1]
        assert "<b>sector</b>" in page.page.inner_text("#cn-legend")
        assert page.js("connectnet.waves()") == [PAYLOADS[0], PAYLOADS[3]]
        assert page.page.locator("#cn-wave option").all_inner_texts() == [PAYLOADS[0], PAYLOADS[3]]
        for i, payload in enumerate(PAYLOADS):
            page.page.locator("#cn-search").fill(payload[:12])
            assert payload in page.page.inner_text("#cn-suggest")
            page.js("id => connectnet.focus(id)", f"p{i}")
            panel = page.page.inner_text("#cn-panel")
            assert payload in panel
            # hover: the tooltip holds the payload as text
            box = page.page.locator("#cn-canvas").bounding_box()
            page.page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
            assert page.page.inner_text("#cn-tip").split("\n")[0] == payload
            page.page.keyboard.press("Escape")
        page.js("connectnet.focus('p0')")
        assert PAYLOADS[2] in page.page.inner_text("#cn-panel")
        page.page.locator("#cn-changes").check()
        page.page.locator("#cn-side").check()
        assert PAYLOADS[3] in page.page.inner_text("#cn-key")
        page.page.screenshot(path=str(tmp_path / "payloads.png"))
        page.assert_clean()
    finally:
        page.close()


def test_attribute_names_like_object_properties_filter_as_any_other(browser, tmp_path):
    # Attribute names are data: "__proto__" or "toString" must be ordinary filter keys
    # (a plain {} in the page would treat them as its prototype and methods).
    G = nx.Graph()
    for i in range(6):
        G.add_node(
            f"n{i}",
            name=f"N{i}",
            sector="ab"[i % 2],
            __proto__="x" if i < 3 else "y",
            toString="p" if i < 2 else "q",
        )
    G.add_edges_from([("n0", "n1"), ("n2", "n3")])
    path = write_map(G, tmp_path / "proto.html", seed=1)
    page = _Page(browser)
    try:
        page.open(path)
        page.page.locator('fieldset[data-attr="__proto__"] label', has_text="x").click()
        assert page.js("connectnet.visibleNodes()") == ["n3", "n4", "n5"]
        page.page.locator('fieldset[data-attr="toString"] label', has_text="q").click()
        assert page.js("connectnet.visibleNodes()") == []
        assert page.shown() == "0 of 6 people shown"
        page.js("connectnet.clearFilters()")
        page.js("connectnet.filter({toString: ['p']})")
        assert page.js("connectnet.visibleNodes()") == ["n0", "n1"]
        error = page.js("() => { try { connectnet.filter({hasOwnProperty: ['a']}); } "
                        "catch (e) { return e.message; } }")  # fmt: skip
        assert error.startswith('no attribute "hasOwnProperty"')
        page.assert_clean()
    finally:
        page.close()


def test_very_long_values_wrap_inside_the_panels(browser, tmp_path):
    # A 3,000-character name, sector and wave label: every box that shows them (search
    # suggestions, side panel, legend, changes key, wave selector) stays on the page.
    long = "W" * 3000
    G1, G2 = _two_waves()
    for G in (G1, G2):
        G.nodes["p1"]["name"] = long
        G.nodes["p2"]["sector"] = long
    path = write_map({"baseline": G1, long: G2}, tmp_path / "long.html", seed=1)
    page = _Page(browser, size=(1280, 800))
    try:
        page.open(path)
        page.page.locator("#cn-search").fill("WWW")
        page.js("connectnet.focus('p1')")
        page.js("connectnet.showChanges(true)")
        for box in ("#cn-suggest", "#cn-panel", "#cn-legend", "#cn-key", "#cn-wave"):
            right = page.js(f"document.querySelector('{box}').getBoundingClientRect().right")
            assert right <= 1280, box
        legend = page.js("document.querySelector('#cn-legend').getBoundingClientRect().width")
        assert legend <= 0.5 * page.js("document.querySelector('#cn-wrap').clientWidth")
        page.assert_clean()
    finally:
        page.close()
    # on the map a label is cut to 40 characters ("…" last): about 40 × 12 px at most
    from PIL import Image

    one = nx.Graph()
    one.add_node("a", name=long)
    page = _Page(browser, size=(1280, 800))
    try:
        page.open(write_map(one, tmp_path / "label.html", color_by=None))
        png = page.js("connectnet.exportPNG()")
        img = Image.open(io.BytesIO(base64.b64decode(png.split(",", 1)[1]))).convert("L")
        dark = np.flatnonzero((np.asarray(img) < 80).any(axis=0))  # text is #222222
        assert 100 < dark.max() - dark.min() < 40 * 12
        page.assert_clean()
    finally:
        page.close()


def test_hidden_names_never_reach_the_page(browser, tmp_path):
    G = _sample_graph()
    path = write_map(G, tmp_path / "h.html", hide_names=True, salt="test-salt-123", seed=2)
    page = _Page(browser)
    try:
        page.open(path)
        ids = page.js("connectnet.visibleNodes()")
        assert all(i.startswith("P-") for i in ids)
        assert page.js("document.documentElement.outerHTML").count("Person") == 0
        page.js("id => connectnet.focus(id)", ids[0])
        assert page.page.inner_text("#cn-panel h2").startswith("P-")
        assert "pseudonymous" in page.page.inner_text("#cn-legend")
        page.assert_clean()
    finally:
        page.close()


# ---------------------------------------------------------------- scale, notebooks, report


def _clustered_graph(n: int, m: int, seed: int = 0) -> nx.Graph:
    """n people in 5 sectors; 85 % of ties inside a sector (so the picture has clusters)."""
    rng = np.random.default_rng(seed)
    sectors = np.array(["NHS", "prison", "civil service", "local authority", "academic"])
    group = rng.integers(0, 5, n)
    G = nx.Graph()
    G.add_nodes_from(
        (i, {"sector": str(sectors[g]), "name": f"Person {i}"}) for i, g in enumerate(group)
    )
    members = [np.flatnonzero(group == g) for g in range(5)]
    src = rng.integers(0, n, m)
    inside = rng.random(m) < 0.85
    dst = np.array(
        [
            rng.choice(members[group[a]]) if ins else rng.integers(0, n)
            for a, ins in zip(src, inside, strict=True)
        ]
    )
    G.add_edges_from((int(a), int(b)) for a, b in zip(src, dst, strict=True) if a != b)
    return G


def test_large_map_draws(browser, tmp_path):
    # 5,000 nodes. The 10 s bound is generous (well under a second here); timings are
    # measured in benchmarks/bench_maps.py.
    G = _clustered_graph(5000, 15000)
    path = write_map(G, tmp_path / "large.html", seed=1, size_by="degree", title="5,000 people")
    page = _Page(browser)
    try:
        page.open(path, timeout_ms=10_000)
        assert len(page.js("connectnet.visibleNodes()")) == 5000
        assert page.js("connectnet.visibleEdges()") == G.number_of_edges()
        assert float(page.js("document.documentElement.dataset.cnDrawn")) < 10_000
        DOCS_IMG.mkdir(parents=True, exist_ok=True)
        page.page.screenshot(path=str(_shots(tmp_path) / "map-large.png"))
        page.assert_clean()
    finally:
        page.close()


def test_prison_health_explorer_for_docs(browser, tmp_path):
    # The screenshots in docs/maps-and-plots.md: the prison_health sample's contact
    # network at both waves in one explorer, names hidden.
    import connectnet as cn

    data = cn.load_sample("prison_health")
    graphs = {w: cn.contact_graph(data, wave=w, symmetrise="union") for w in data.waves}
    path = write_map(graphs, tmp_path / "sample.html", size_by="degree", hide_names=True,
                     salt="docs-example-salt", title="Prison health network",
                     organisations=cn.organisation_graph(data))  # fmt: skip
    page = _Page(browser, size=(1200, 800))
    try:
        page.open(path)
        for wave, G in graphs.items():
            page.js("w => connectnet.setWave(w)", wave)
            assert page.js("connectnet.visibleEdges()") == G.number_of_edges()
            assert len(page.js("connectnet.visibleNodes()")) == G.number_of_nodes()
        page.page.screenshot(path=str(_shots(tmp_path) / "map-sample.png"))
        page.page.locator("#cn-changes").check()
        page.page.screenshot(path=str(_shots(tmp_path) / "map-sample-changes.png"))
        page.assert_clean()
    finally:
        page.close()


def test_show_map_iframe_in_an_executed_notebook_stays_interactive_offline(browser, tmp_path):
    # Execute a notebook whose cell calls show_map, then put its saved text/html output
    # into a page the way JupyterLab, Notebook 7 and nbconvert insert an HTML output, and
    # use the map inside the iframe with the network blocked.
    nbformat = pytest.importorskip("nbformat")
    nbclient = pytest.importorskip("nbclient")
    pytest.importorskip("ipykernel")
    code = (
        "import networkx as nx, connectnet as cn\n"
        "G = nx.Graph()\n"
        "G.add_node('a', name=" + repr(PAYLOADS[0]) + ", sector='NHS')\n"
        "G.add_node('b', name='Bob', sector='prison')\n"
        "G.add_edge('a', 'b')\n"
        "H = G.copy(); H.add_node('c', name='Cat', sector='prison'); H.add_edge('b', 'c')\n"
        "cn.show_map({'before': G, 'after': H}, seed=1, height='450px')"
    )
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(code)])
    nbclient.NotebookClient(nb, timeout=120, kernel_name="python3").execute()
    (output,) = nb.cells[0].outputs
    assert output["output_type"] == "execute_result"
    frame_html = output["data"]["text/html"]
    assert frame_html.startswith("<iframe srcdoc=")
    notebook = tmp_path / "notebook.html"
    notebook.write_text(
        "<!DOCTYPE html><html><body><p>Out[1]:</p>" + frame_html + "</body></html>",
        encoding="utf-8",
    )
    page = _Page(browser)
    try:
        page.page.goto(notebook.resolve().as_uri())
        frame = page.page.frame_locator("iframe")
        handle = page.page.locator("iframe").element_handle().content_frame()
        handle.wait_for_function(DRAWN, timeout=60_000)
        assert handle.evaluate("connectnet.waves()") == ["before", "after"]
        frame.locator("#cn-search").fill("bo")
        frame.locator("#cn-suggest li").first.click()
        assert frame.locator("#cn-panel h2").inner_text() == "Bob"
        assert PAYLOADS[0] in frame.locator("#cn-panel").inner_text()
        frame.locator("#cn-wave").select_option(label="after")
        assert handle.evaluate("connectnet.visibleEdges()") == 2
        assert page.dialogs == []
        assert page.blocked == []
        assert page.errors == []
    finally:
        page.close()


def test_report_index_and_map_open_offline(browser, tmp_path):
    # Issue: the browser test also opens the report written by `connectnet report`.
    import connectnet as cn
    from connectnet.cli import main

    out = tmp_path / "report"
    assert (
        main(
            [
                "report",
                "--sample",
                "prison_health",
                "--out",
                str(out),
                "--permutations",
                "199",
                "--within",
                "region",
                "--quiet",
            ]
        )
        == 0
    )
    page = _Page(browser, size=(1200, 900))
    try:
        page.page.goto((out / "index.html").resolve().as_uri())
        page.page.wait_for_load_state("load")
        headings = page.page.eval_on_selector_all("h2", "els => els.map(e => e.textContent)")
        assert "Overview" in headings
        assert any(h.startswith("Change between waves") for h in headings)
        images = page.page.eval_on_selector_all(
            "figure img", "els => els.map(e => e.complete && e.naturalWidth > 0)"
        )
        assert len(images) >= 4
        assert all(images)  # every embedded plot decodes
        page.page.screenshot(path=str(_shots(tmp_path) / "report-index.png"))
        assert page.dialogs == page.blocked == page.errors == []
        page.open(out / "map.html")
        data = cn.load_sample("prison_health")
        assert len(page.js("connectnet.visibleNodes()")) <= len(data.people)
        page.assert_clean()
    finally:
        page.close()
