"""One definition per number: each key-finding figure is the figure of its table.

For every sample the report is run with ``json=True``; each key finding shown in
index.html must be a finding of report.json, quote each of its figures as written there,
and each figure's value must be the cell of the table (tables/<name>.csv) it names.
"""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from pathlib import Path

import pandas as pd
import pytest

import connectnet as cn


class _Findings(HTMLParser):
    """Text of each <li> inside <section id='findings'>."""

    def __init__(self) -> None:
        super().__init__()
        self.inside = False
        self.item: list[str] | None = None
        self.items: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag == "section":
            self.inside = dict(attrs).get("id") == "findings"
        elif tag == "li" and self.inside:
            self.item = []

    def handle_endtag(self, tag):
        if tag == "li" and self.item is not None:
            self.items.append("".join(self.item))
            self.item = None
        elif tag == "section":
            self.inside = False

    def handle_data(self, data):
        if self.item is not None:
            self.item.append(data)


def _findings(page: str) -> list[str]:
    parser = _Findings()
    parser.feed(page)
    return parser.items


@pytest.fixture(scope="module", params=cn.list_samples())
def report(request, tmp_path_factory) -> tuple[Path, dict]:
    out = tmp_path_factory.mktemp(request.param)
    within = "region" if request.param == "prison_health" else None
    cn.run_report(cn.load_sample(request.param), out, n_permutations=19, within=within, json=True)
    return out, json.loads((out / "report.json").read_text(encoding="utf-8"))


def test_every_key_finding_is_in_the_json_with_its_figures(report):
    out, doc = report
    shown = _findings((out / "index.html").read_text(encoding="utf-8"))
    assert [f["text"] for f in doc["findings"]] == shown
    quoted = [f for f in doc["findings"] if f["figures"]]
    assert len(quoted) >= 3  # reach, E-I and at least one more carry figures
    for finding in quoted:
        for key in finding["figures"]:
            assert doc["figures"][key]["shown"] in finding["text"], (key, finding["text"])


def test_every_figure_is_the_cell_of_its_table(report):
    out, doc = report
    for key, fig in doc["figures"].items():
        assert fig["population"], key  # every figure says whom it covers
        if fig["table"] is None:
            continue
        table = pd.read_csv(out / "tables" / f"{fig['table']}.csv", index_col=0)
        cell = table.loc[fig["row"], fig["column"]]
        if fig["value"] is None:
            assert pd.isna(cell), key
        else:
            assert float(cell) == pytest.approx(fig["value"], rel=1e-12, abs=1e-12), key


def test_a_figure_reads_as_its_table_cell_reads(report):
    # A key finding quoting "0.08" beside a table cell "0.0756" (sentences to 2 decimals,
    # tables to 3 significant figures) reads as two values for one label: a figure from a
    # table is written as the report writes that table's cells.
    from connectnet.report._html import number

    out, doc = report
    for key, fig in doc["figures"].items():
        p_value = fig["column"] in {"p", "p_value", "p_adjusted", "p_two_sided"}
        if fig["table"] and fig["value"] is not None and "%" not in fig["shown"] and not p_value:
            table = pd.read_csv(out / "tables" / f"{fig['table']}.csv", index_col=0)
            assert fig["shown"] == number(float(table.loc[fig["row"], fig["column"]])), key


def test_one_label_one_value(report):
    _, doc = report
    seen: dict[tuple[str, str, str], object] = {}
    for key, fig in doc["figures"].items():
        name = (fig["label"], fig["population"], fig["ties"])
        assert seen.setdefault(name, fig["value"]) == fig["value"], key
    page = (report[0] / "index.html").read_text(encoding="utf-8")
    assert not re.search(r"(?<![\w.])-0(\.0+)?(?![\d.])", page)  # no "-0.00" or "-0"


def test_the_tie_heatmap_counts_each_undirected_tie_once(report):
    out, doc = report
    ties = pd.read_csv(out / "tables" / "mixing.csv", index_col=0)
    main = doc["networks"][doc["main_network"]]
    # upper triangle with the diagonal: every undirected tie of the main network once
    upper = sum(ties.iloc[i, j] for i in range(len(ties)) for j in range(i, len(ties)))
    assert upper == main["undirected ties"]


def test_the_docs_recipe_reproduces_the_report(tmp_path):
    page = Path(__file__).resolve().parents[1] / "docs" / "evaluating-a-network.md"
    text = page.read_text(encoding="utf-8")
    section = text[text.index("### The report's numbers in Python") :]
    code = re.search(r"```python\n(.*?)```", section, re.S).group(1)
    scope: dict = {}
    exec(compile(code, str(page), "exec"), scope)
    cn.run_report(
        cn.load_sample("prison_health"), tmp_path, within="region", n_permutations=19, json=True
    )
    figures = json.loads((tmp_path / "report.json").read_text(encoding="utf-8"))["figures"]
    assert scope["ei"] == pytest.approx(figures["ei.contacts follow-up"]["value"])
    assert scope["everyone"].number_of_edges() == figures["ties.contacts follow-up"]["value"]
    share = figures["reach.contacts follow-up.share reached"]["value"]
    assert scope["reach"].share == pytest.approx(share)
    assert scope["test"].before == pytest.approx(figures["change.ei.before"]["value"])
    assert scope["test"].after == pytest.approx(figures["change.ei.after"]["value"])
    assert f"the {scope['test'].n_nodes} people" in figures["change.ei.before"]["population"]


def test_provenance_names_each_input_file_with_its_sha256_and_rows(report):
    import hashlib

    out, doc = report
    sample = Path(cn.sample_path(doc["source"].removeprefix("sample:")))
    inputs = {row["table"]: row for row in doc["inputs"]}
    assert {"people", "contacts"} <= set(inputs)
    for table, row in inputs.items():
        digest = hashlib.sha256((sample / row["file"]).read_bytes()).hexdigest()
        assert row["sha256"] == digest, table
        assert row["rows read"] >= row["rows kept"]
    assert doc["options"]["seed"] == 0
    assert doc["connectnet"] == cn.__version__
    page = (out / "index.html").read_text(encoding="utf-8")
    provenance = page[page.index("id='provenance'") :]
    assert inputs["people"]["sha256"] in provenance
    assert "@media print" in page  # prints cleanly: a print stylesheet
