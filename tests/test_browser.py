"""Real-browser tests of written maps: headless Chromium via Playwright, network off.

Each test opens a map written by :func:`connectnet.write_map` from a ``file://`` URL with
every non-file request aborted (and recorded), reads the node and edge counts from the
page's vis.js DataSets, and checks that nothing ran from the data (no dialog), nothing
was fetched and nothing was logged as an error. Screenshots go to the test's temporary
folder; with ``CONNECTNET_DOCS_IMAGES=1`` the documentation screenshots are written to
``docs/img/`` instead. The report written by ``connectnet report`` is opened here too.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import networkx as nx
import numpy as np
import pytest

from connectnet.maps import map_layout, network_map, write_map

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


def _shots(tmp_path: Path) -> Path:
    """Where documentation screenshots go: docs/img only when asked for."""
    return DOCS_IMG if os.environ.get("CONNECTNET_DOCS_IMAGES") == "1" else tmp_path


PAYLOADS = [
    "<img src=x onerror=alert(1)>",
    "</script><script>alert(1)</script>",
    '<a href="javascript:alert(1)">click me</a>',  # "href" in a title: pyvis' innerHTML trap
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
        self.context = browser.new_context(viewport={"width": size[0], "height": size[1]})
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
        self.page.wait_for_function("() => window.cnMap && window.cnMap.drawn", timeout=timeout_ms)

    def counts(self) -> tuple[int, int]:
        n, m = self.page.evaluate("[cnMap.nodes.length, cnMap.edges.length]")
        return int(n), int(m)

    def assert_clean(self) -> None:
        assert self.dialogs == []
        assert self.blocked == []
        assert self.errors == []
        bad = [(t, x) for t, x in self.console if t in ("error", "warning")]
        assert bad == []

    def close(self) -> None:
        self.context.close()


def _sample_graph(seed: int = 3) -> nx.Graph:
    """A small stakeholder-like graph: 4 sectors, 36 people, weighted ties."""
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
            role=["governor", "nurse", "manager"][i % 3],
            organisation_id=f"{sector[:3].upper()}-{i % 5}",
        )
    for i in range(36):
        for j in range(i + 1, 36):
            p = 0.35 if i % 4 == j % 4 else 0.04
            if rng.random() < p:
                G.add_edge(f"p{i}", f"p{j}", weight=float(rng.integers(1, 5)))
    return G


def test_payloads_shown_as_text_and_nothing_runs(browser, tmp_path):
    G = _sample_graph()
    for i, payload in enumerate(PAYLOADS):
        G.nodes[f"p{i}"]["name"] = payload
        G.nodes[f"p{i + 4}"]["role"] = payload
    G.nodes["p8"]["sector"] = "<b>sector</b>"
    path = write_map(G, tmp_path / "payloads.html", size_by="degree", seed=1, title=PAYLOADS[1])
    page = _Page(browser)
    try:
        page.open(path)
        assert page.counts() == (G.number_of_nodes(), G.number_of_edges())
        # the title and legend show the payload as text
        assert page.page.inner_text("#cn-title") == PAYLOADS[1]
        assert "<b>sector</b>" in page.page.inner_text("#cn-legend")
        assert page.page.evaluate("document.querySelectorAll('img, svg, a, b').length") == 0
        # hover each payload node: the tooltip holds the payload as text, not markup
        for i, payload in enumerate(PAYLOADS):
            xy = page.page.evaluate(
                "id => { const p = cnMap.network.getPosition(id);"
                " return cnMap.network.canvasToDOM(p); }",
                f"p{i}",
            )
            box = page.page.locator("#cn-map").bounding_box()
            page.page.mouse.move(box["x"] + xy["x"], box["y"] + xy["y"])
            page.page.wait_for_function(
                "t => { const e = document.querySelector('div.vis-tooltip');"
                " return e && e.style.visibility !== 'hidden' && e.innerText.includes(t); }",
                arg=payload,
                timeout=10_000,
            )
            tip = page.page.locator("div.vis-tooltip")
            # text only: innerText makes line breaks (<br>) and nothing else
            tags = tip.evaluate("e => Array.from(e.querySelectorAll('*')).map(c => c.tagName)")
            assert set(tags) <= {"BR"}
            assert payload in tip.inner_text()
            page.page.mouse.move(1, 1)
        page.page.wait_for_timeout(200)
        page.page.screenshot(path=str(tmp_path / "payloads.png"))
        page.assert_clean()
    finally:
        page.close()


def test_sample_map_counts_and_screenshot(browser, tmp_path):
    G = _sample_graph()
    path = write_map(G, tmp_path / "sample.html", size_by="betweenness", seed=7, title="Sample")
    page = _Page(browser, size=(1000, 700))
    try:
        page.open(path)
        assert page.counts() == (36, G.number_of_edges())
        legend = page.page.inner_text("#cn-legend")
        for sector in ("NHS", "prison", "civil service", "local authority"):
            assert sector in legend
        shot = tmp_path / "sample.png"
        page.page.screenshot(path=str(shot))
        page.assert_clean()
    finally:
        page.close()
    assert shot.stat().st_size > 10_000


def test_hidden_names_never_reach_the_page(browser, tmp_path):
    G = _sample_graph()
    path = write_map(G, tmp_path / "hidden.html", hide_names=True, salt="test-salt-123", seed=2)
    page = _Page(browser)
    try:
        page.open(path)
        text = page.page.evaluate("JSON.stringify(cnMap.nodes.get())")
        assert "Person" not in text
        assert '"p1"' not in text
        labels = page.page.evaluate("cnMap.nodes.get().map(n => n.label)")
        assert all(label.startswith("P-") for label in labels)
        page.assert_clean()
    finally:
        page.close()


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


def test_large_map_has_fixed_positions_and_draws(browser, tmp_path):
    # 5,000 nodes: positions computed in Python, physics off. The 10 s bound is generous
    # (well under a second here); timings are measured in benchmarks/bench_maps.py.
    G = _clustered_graph(5000, 15000)
    path = write_map(G, tmp_path / "large.html", seed=1, size_by="degree", title="5,000 people")
    page = _Page(browser)
    try:
        page.open(path, timeout_ms=10_000)
        assert page.counts() == (5000, G.number_of_edges())
        assert page.page.evaluate("cnMap.network.physics.physicsEnabled") is False
        assert page.page.evaluate("cnMap.drawnAtMs") < 10_000
        DOCS_IMG.mkdir(parents=True, exist_ok=True)
        page.page.screenshot(path=str(_shots(tmp_path) / "map-large.png"))
        page.assert_clean()
    finally:
        page.close()


def test_matched_layout_keeps_people_in_place(browser, tmp_path):
    G1 = _sample_graph(seed=3)
    G2 = _sample_graph(seed=4)  # a later wave: other ties, one newcomer
    G2.add_node("new", kind="person", name="Newcomer", sector="prison")
    G2.add_edge("new", "p1", weight=2.0)
    before = network_map(G1, physics=False, seed=5, title="Wave 1")
    after = network_map(G2, layout=before, seed=5, title="Wave 2")
    positions = []
    for name, net in (("map-wave1", before), ("map-wave2", after)):
        path = write_map(net, tmp_path / f"{name}.html")
        page = _Page(browser, size=(800, 600))
        try:
            page.open(path)
            positions.append(page.page.evaluate("cnMap.network.getPositions()"))
            page.assert_clean()
        finally:
            page.close()
    first, second = positions
    assert set(first) == set(G1)
    assert set(second) == set(G2)
    for node in G1:
        assert first[node]["x"] == pytest.approx(second[node]["x"], abs=1e-6)
        assert first[node]["y"] == pytest.approx(second[node]["y"], abs=1e-6)


def test_prison_health_sample_maps_for_docs(browser, tmp_path):
    # The screenshots in docs/maps-and-plots.md: the prison_health sample's contact
    # network at baseline and follow-up, same positions, names hidden.
    import connectnet as cn

    data = cn.load_sample("prison_health")
    graphs = {w: cn.contact_graph(data, wave=w, symmetrise="union") for w in data.waves}
    union = nx.compose_all(list(graphs.values()))
    pos = map_layout(union, seed=1)
    DOCS_IMG.mkdir(parents=True, exist_ok=True)
    for wave, G in graphs.items():
        path = tmp_path / f"map-{wave}.html"
        write_map(
            G,
            path,
            layout=pos,
            size_by="degree",
            hide_names=True,
            salt="docs-example-salt",
            title=f"Prison health network: contacts at {wave}",
        )
        page = _Page(browser, size=(1000, 750))
        try:
            page.open(path)
            assert page.counts() == (G.number_of_nodes(), G.number_of_edges())
            page.page.screenshot(path=str(_shots(tmp_path) / f"map-{wave}.png"))
            page.assert_clean()
        finally:
            page.close()
    G = graphs[data.waves[-1]]
    path = write_map(
        G, tmp_path / "physics.html", size_by="degree", seed=3, hide_names=True, salt="docs-salt"
    )
    page = _Page(browser, size=(1000, 750))
    try:
        page.open(path)
        page.page.wait_for_timeout(300)
        page.page.screenshot(path=str(_shots(tmp_path) / "map-sample.png"))
        page.assert_clean()
    finally:
        page.close()


def test_show_map_iframe_renders_inline(browser, tmp_path):
    # What Jupyter does with MapView._repr_html_: put the iframe into a page.
    from connectnet.maps import show_map

    G = _sample_graph()
    G.nodes["p0"]["name"] = PAYLOADS[0]
    notebook = tmp_path / "notebook.html"
    notebook.write_text(
        "<!DOCTYPE html><html><body><p>cell output:</p>"
        + show_map(G, seed=1, height="500px")._repr_html_()
        + "</body></html>",
        encoding="utf-8",
    )
    page = _Page(browser)
    try:
        page.page.goto(notebook.resolve().as_uri())
        frame = page.page.locator("iframe").element_handle().content_frame()
        frame.wait_for_function("() => window.cnMap && window.cnMap.drawn", timeout=60_000)
        n, m = frame.evaluate("[cnMap.nodes.length, cnMap.edges.length]")
        assert (n, m) == (36, G.number_of_edges())
        assert frame.evaluate("cnMap.nodes.get('p0').label") == PAYLOADS[0]
        page.assert_clean()
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
        page.assert_clean()
        page.open(out / "map.html")
        data = cn.load_sample("prison_health")
        assert page.counts()[0] == len(data.people)
        page.assert_clean()
    finally:
        page.close()
