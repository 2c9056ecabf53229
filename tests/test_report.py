"""`connectnet report`: the whole pipeline, its files, escaping, privacy and errors."""

from __future__ import annotations

import dataclasses
import re
import shutil
from pathlib import Path

import networkx as nx
import pandas as pd
import pytest

import connectnet as cn
from connectnet.cli import main

SECTIONS = (
    "findings",
    "overview",
    "load-report",
    "attendance",
    "metrics",
    "focal",
    "bridgers",
    "structure",
    "change",
    "files",
)


@pytest.fixture(scope="module")
def prison_report(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("prison")
    assert (
        main(
            [
                "report",
                "--sample",
                "prison_health",
                "--out",
                str(out),
                "--permutations",
                "99",
                "--quiet",
                "--within",
                "region",
            ]
        )
        == 0
    )
    return out


def test_report_writes_every_file(prison_report):
    for name in ("index.html", "map.html", "graph.gexf"):
        assert (prison_report / name).stat().st_size > 0
    assert not list(prison_report.glob("map-*.html"))  # one explorer holds every wave
    csvs = {p.stem for p in (prison_report / "tables").glob("*.csv")}
    assert {
        "load_report",
        "row_counts",
        "cohesion",
        "group_ei",
        "mixing",
        "compare",
        "tie_changes",
        "change_tests",
        "bridging_table",
        "bridging_risk",
        "exposure_dose_response",
        "attendance_events",
    } <= csvs


def test_report_map_is_the_explorer_with_every_wave(prison_report):
    import json

    page = (prison_report / "map.html").read_text(encoding="utf-8")
    block = re.search(r'id="cn-data">(.*?)</script>', page, re.S).group(1)
    people, orgs = json.loads(block)["views"]
    data = cn.load_sample("prison_health")
    assert [w["label"] for w in people["waves"]] == list(data.waves)
    for w in people["waves"]:
        G = cn.contact_graph(data, wave=w["label"], symmetrise="union")
        assert len(w["src"]) == G.number_of_edges()
    assert orgs["noun"] == "organisations"
    assert "HMP" in " ".join(orgs["names"])  # organisations by name
    bridging = pd.read_csv(prison_report / "tables" / "bridging_table.csv", index_col=0)
    shown = [m["name"] for m in people["metrics"]]
    # the side panel's metrics: the measures (name, organisation, sector and region are
    # already shown), each saying it is of the follow-up network, since the panel shows
    # a wave's connections beside them (a bare "degree" would show two values)
    details = {"group", "name", "organisation", "sector", "region"}
    assert shown == [f"{c} (follow-up)" for c in bridging.columns if c not in details]
    assert shown[0] == "degree (follow-up)"
    # the title says the map holds every wave, not only the follow-up
    title = json.loads(block)["title"]
    assert title == "contacts network at baseline and follow-up — sample:prison_health"


def test_index_has_its_sections_and_plain_words(prison_report):
    page = (prison_report / "index.html").read_text(encoding="utf-8")
    for anchor in SECTIONS:
        assert f"id='{anchor}'" in page
    assert "Focal question: prison → nhs" in page
    findings = page[page.index("id='findings'") : page.index("id='overview'")]
    assert "tie density within the same region changed from" in findings
    assert "unlikely to be chance" in findings  # the planted within-region rise (99 perms)
    assert "paired permutation test" in page
    assert "answered both waves" in page
    assert page.count("data:image/png;base64,") >= 4
    assert "href='map.html'" in page


def test_index_is_self_contained(prison_report):
    page = (prison_report / "index.html").read_text(encoding="utf-8")
    assert "<script" not in page
    assert not re.search(r"""(src|href)\s*=\s*['"]?(https?:)?//""", page)


def test_report_tables_agree_with_the_library(prison_report):
    data = cn.load_sample("prison_health")
    waves = cn.snapshots(data, kind="contact", by="wave")
    last = list(waves.values())[-1]
    tests = pd.read_csv(prison_report / "tables" / "change_tests.csv", index_col=0)
    before, after = waves.values()
    direct = cn.ei_change_test(before, after, "sector", n_permutations=99, seed=0)
    row = tests[tests["test"] == "E-I index"].iloc[0]
    assert row["before"] == pytest.approx(direct.before)
    assert row["after"] == pytest.approx(direct.after)
    assert row["p_value"] == pytest.approx(direct.p_value)
    counts = pd.read_csv(prison_report / "tables" / "row_counts.csv", index_col=0)
    assert (counts["read"] == counts["kept"] + counts["dropped"]).all()
    assert last.number_of_nodes() == len(data.people)


def test_report_runs_on_every_sample(tmp_path):
    for name in cn.list_samples():
        out = tmp_path / name
        index = cn.run_report(cn.load_sample(name), out, n_permutations=49, model=False)
        assert index == out / "index.html"
        assert "id='metrics'" in index.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def hostile(tmp_path_factory) -> Path:
    """A small dataset whose names and labels try to inject HTML and scripts."""
    folder = tmp_path_factory.mktemp("hostile")
    people = pd.DataFrame(
        {
            "person_id": [f"p{i}" for i in range(8)],
            "name": [
                "<img src=x onerror=alert(1)>",
                "</script><script>alert(1)</script>",
                "<a href='https://evil.example'>x</a>",
                "Ann Lee",
                "Bob Roe",
                "Cy Poe",
                "Di Fox",
                "ann  lee",  # a likely duplicate of Ann Lee: named in the load report
            ],
            "sector": [
                "prison",
                "prison",
                "nhs",
                "nhs",
                "<b>bold</b>",
                "prison",
                "nhs",
                "<b>bold</b>",
            ],
        }
    )
    people.to_csv(folder / "people.csv", index=False)
    contacts = pd.DataFrame(
        {
            "source": ["p0", "p1", "p2", "p3", "p4", "p0", "p1", "p2", "p3", "p4", "p5"],
            "target": ["p1", "p2", "p3", "p4", "p0", "p3", "p4", "p5", "p1", "p2", "p0"],
            "wave": ["1", "1", "1", "1", "1", "2", "2", "2", "2", "2", "2"],
        }
    )
    contacts.to_csv(folder / "contacts.csv", index=False)
    return folder


def test_names_and_labels_are_escaped_everywhere(hostile, tmp_path):
    out = tmp_path / "rep"
    assert (
        main(
            [
                "report",
                str(hostile),
                "--out",
                str(out),
                "--permutations",
                "19",
                "--quiet",
                "--source",
                "prison",
                "--target",
                "nhs",
            ]
        )
        == 0
    )
    page = (out / "index.html").read_text(encoding="utf-8")
    assert "<img src=x" not in page
    assert "<b>bold</b>" not in page
    assert "&lt;b&gt;bold&lt;/b&gt;" in page
    assert "<script" not in page
    map_page = (out / "map.html").read_text(encoding="utf-8")
    assert "<img src=x onerror" not in map_page
    assert "</script><script>alert(1)" not in map_page


def test_hide_names_removes_names_from_every_output(hostile, tmp_path):
    out = tmp_path / "private"
    assert (
        main(
            [
                "report",
                str(hostile),
                "--out",
                str(out),
                "--permutations",
                "19",
                "--quiet",
                "--hide-names",
                "--salt",
                "s3cret-salt-for-tests",
            ]
        )
        == 0
    )
    for path in out.rglob("*"):
        if path.is_file():
            text = path.read_text(encoding="utf-8", errors="replace")
            for name in ("Ann Lee", "Bob Roe", "Di Fox"):
                assert name not in text, f"{name} found in {path.name}"


def test_bad_input_exits_nonzero_with_one_line(tmp_path, capsys):
    data = Path(__file__).parent / "data" / "bad"
    shutil.copy(data / "people_duplicate_ids.csv", tmp_path / "people.csv")
    (tmp_path / "contacts.csv").write_text("source,target\np1,p2\n")
    assert main(["report", str(tmp_path), "--out", str(tmp_path / "o")]) == 2
    err = capsys.readouterr().err.strip()
    assert "\n" not in err
    assert "people.csv" in err
    assert "Traceback" not in err


def test_unknown_focal_group_is_a_clear_error(capsys, tmp_path):
    assert (
        main(
            [
                "report",
                "--sample",
                "prison_health",
                "--out",
                str(tmp_path),
                "--source",
                "police",
                "--quiet",
            ]
        )
        == 2
    )
    err = capsys.readouterr().err
    assert "`source` group 'police'" in err
    assert "prison" in err


@pytest.mark.parametrize(
    ("files", "expect"),
    [
        (["people", "organisations", "events", "attendance"], "need contact data from two"),
        (["people", "contacts"], "has 1."),
    ],
)
def test_report_with_attendance_only_or_one_contact_wave(tmp_path, files, expect):
    sample = cn.sample_path("cancer_networks")
    folder = tmp_path / "data"
    folder.mkdir()
    for name in files:
        frame = pd.read_csv(sample / f"{name}.csv", dtype=str, keep_default_na=False)
        if name == "contacts":
            frame = frame[["source", "target"]]  # no wave column: one contact network
        frame.to_csv(folder / f"{name}.csv", index=False)
    index = cn.run_report(cn.read_dataset(folder), tmp_path / "out", n_permutations=19)
    page = index.read_text(encoding="utf-8")
    assert expect in page
    assert (tmp_path / "out" / "map.html").is_file()


def test_changing_roster_gets_a_caution(tmp_path):
    # chief executives: local others join between waves, so most people answer one wave only
    index = cn.run_report(
        cn.load_sample("chief_executives"), tmp_path, n_permutations=19, model=False
    )
    assert "Caution: more people were left out" in index.read_text(encoding="utf-8")
    index = cn.run_report(
        cn.load_sample("prison_health"), tmp_path / "p", n_permutations=19, model=False
    )
    assert "Caution: more people were left out" not in index.read_text(encoding="utf-8")


def test_change_section_gives_intervals_adjustment_and_non_response(prison_report):
    page = (prison_report / "index.html").read_text(encoding="utf-8")
    change = page[page.index("id='change'") :]
    assert "95% confidence interval" in change
    assert "adjusted by Holm&#x27;s method for the 2 tests" in change
    assert "after adjusting for the 2 change tests" in change
    assert "Non-response check" in change
    tests = pd.read_csv(prison_report / "tables" / "change_tests.csv", index_col=0)
    assert (tests["p_adjusted"] >= tests["p_value"]).all()
    assert (tests["ci_low"] <= tests["observed"]).all()
    assert (tests["observed"] <= tests["ci_high"]).all()
    # the interval is the library's, for the same people and seed
    data = cn.load_sample("prison_health")
    before, after = cn.snapshots(data, kind="contact", by="wave").values()
    ci = cn.bootstrap_ci(before, "ei", after=after, attr="sector", n_boot=99, seed=0)
    row = tests[tests["test"] == "E-I index"].iloc[0]
    assert (row["ci_low"], row["ci_high"]) == (pytest.approx(ci.low), pytest.approx(ci.high))
    sens = pd.read_csv(prison_report / "tables" / "nonresponse_sensitivity.csv")
    assert set(sens["non-response"]) == set(cn.change.sensitivity.TREATMENTS)
    assert set(sens["test"]) == set(tests["test"])


def test_large_network_map_shows_the_organisation_view(tmp_path, monkeypatch):
    # above MAX_PERSON_MAP_NODES people the map and the network figure show organisations,
    # with one sentence saying so; every person-level table is still computed
    import connectnet._limits

    data = cn.load_sample("prison_health")
    monkeypatch.setattr(connectnet._limits, "MAX_PERSON_MAP_NODES", 20)
    index = cn.run_report(data, tmp_path, n_permutations=19, model=False)
    page = index.read_text(encoding="utf-8")
    assert "more than the 20 a person-level map can show usefully" in page
    assert "organisation view of the" in page
    html_map = (tmp_path / "map.html").read_text(encoding="utf-8")
    org_ids = data.organisations.index.astype(str).tolist()
    assert sum(org in html_map for org in org_ids) >= len(org_ids) // 2
    person_ids = data.people.index.astype(str).tolist()
    assert not any(f'"{p}"' in html_map for p in person_ids)
    bridgers = pd.read_csv(tmp_path / "tables" / "bridging_table.csv")
    assert len(bridgers) > 20  # people, not organisations


def test_co_attendance_is_measured_without_a_networkx_graph(tmp_path):
    # with contact waves, the co-attendance network is only measured: it is held as
    # arrays, and its cohesion column equals the one measured on coattendance_graph
    from connectnet._arrays import ArrayNetwork
    from connectnet.report._compute import build_graphs, compute_metrics, prepare
    from connectnet.report._data import ReportOptions

    data = cn.load_sample("prison_health")
    rd = prepare(data, ReportOptions(), salt=None)
    build_graphs(rd)
    assert isinstance(rd.undirected["co-attendance"], ArrayNetwork)
    summary = compute_metrics(rd).summary["co-attendance"]
    expected = cn.cohesion_summary(cn.coattendance_graph(data), "sector", seed=0)
    expected = expected.rename({"ties": "undirected ties", "density": "density (undirected ties)"})
    pd.testing.assert_series_equal(
        summary[expected.index], expected, check_names=False, check_exact=False, rtol=1e-12
    )


def test_progress_bars_when_asked_and_step_timings(tmp_path, capsys, caplog):
    import logging

    data = cn.load_sample("prison_health")
    with caplog.at_level(logging.DEBUG, logger="connectnet.report"):
        cn.run_report(data, tmp_path / "on", n_permutations=19, progress=True, model=False)
    err = capsys.readouterr().err
    for what in ("cohesion per network", "E-I permutations", "writing the map"):
        assert what in err
    steps = [r.report_step for r in caplog.records if hasattr(r, "report_step")]
    names = [name for name, _, _ in steps]
    assert names[:2] == ["checking the data", "building graphs"]
    assert names[-5:] == [
        "maps",
        "plots and sections",
        "tables",
        "graph.gexf",
        "index.html",
    ]
    assert all(wall >= 0 and cpu >= 0 for _, wall, cpu in steps)
    # off by default in the library, and on the command line when stderr is no terminal
    cn.run_report(data, tmp_path / "off", n_permutations=19, model=False)
    assert (
        main(
            [
                "report",
                "--sample",
                "prison_health",
                "--out",
                str(tmp_path / "cli"),
                "--permutations",
                "19",
                "--no-model",
            ]
        )
        == 0
    )
    err = capsys.readouterr().err
    assert "permutations" not in err
    assert "report" not in err


# ------------------------------------------------------------------ the SAOM section


def test_model_section_states_the_coattendance_effect_and_fit(prison_report):
    page = (prison_report / "index.html").read_text(encoding="utf-8")
    assert "id='model'" in page
    assert "Did taking part predict new ties?" in page
    table = pd.read_csv(prison_report / "tables" / "saom_estimates.csv", index_col=0)
    # the default model: structure, same sector, same region (--within) and co-attendance
    assert list(table.index) == [
        "density", "recip", "transTrip", "sameX sector", "sameX region", "X coattendance",
    ]  # fmt: skip
    est, se, p = table.loc["X coattendance", ["estimate", "se", "p"]]
    assert se > 0
    # the verdict quotes the estimate and its standard error as the table has them
    assert f"estimate {est:.3f}, standard error {se:.3f}" in page
    expected = "more likely to form a tie" if (p < 0.05 and est > 0) else "no clear evidence"
    assert expected in page
    allowing = (
        "allowing for reciprocity, transitivity, being in the same sector and working in "
        "the same region"
    )
    assert allowing in page
    gof = pd.read_csv(prison_report / "tables" / "saom_gof.csv", index_col=0)
    assert list(gof.index) == ["indegree", "outdegree", "triad_census", "geodesic"]
    assert gof["p_value"].between(0, 1).all()
    for name, row in gof.iterrows():
        assert f"{name.replace('_', ' ')}: p = {row['p_value']:.3f}" in page
    missing = pd.read_csv(prison_report / "tables" / "saom_missing.csv")
    assert (missing.loc[missing["variable"] == "ties", "missing"] > 0).all()


def test_model_section_says_why_it_was_not_fitted(monkeypatch):
    from connectnet.report import _compute as c
    from connectnet.report._data import ReportOptions, SectionUnavailable

    data = cn.load_sample("prison_health")

    def report_data(**options):
        rd = c.prepare(data, ReportOptions(**options), salt=None)
        c.build_graphs(rd)
        return rd

    with pytest.raises(SectionUnavailable, match="--no-model"):
        c.compute_model(report_data(model=False))
    monkeypatch.setattr(c, "MODEL_MAX_ACTORS", 100)
    with pytest.raises(SectionUnavailable, match="140 actors exceed the 100"):
        c.compute_model(report_data())
    one_wave = dataclasses.replace(
        data, contacts=data.contacts[data.contacts["wave"] == "baseline"]
    )
    rd = c.prepare(one_wave, ReportOptions(), salt=None)
    c.build_graphs(rd)
    with pytest.raises(SectionUnavailable, match="two or more survey waves"):
        c.compute_model(rd)
    # --model-effects: RSiena short names, covariate after a colon
    rd = report_data(model_effects=("density", "recip", "sameX:region", "X:coattendance"))
    assert c.model_effects(rd) == ["density", "recip", ("sameX", "region"), ("X", "coattendance")]
    assert c.model_effects(report_data(within="region"))[-2:] == [
        ("sameX", "region"), ("X", "coattendance"),
    ]  # fmt: skip


@pytest.mark.slow
def test_model_section_uses_the_roster_of_joiners(tmp_path):
    # chief_executives ships roster.csv: local others join, so the model is estimated
    # unconditionally with only the members of each period taking part
    from connectnet.report import _compute as c
    from connectnet.report._data import ReportOptions

    rd = c.prepare(cn.load_sample("chief_executives"), ReportOptions(), salt=None)
    c.build_graphs(rd)
    result = c.compute_model(rd)
    assert not result.fit.conditional
    assert result.waves == ("2021", "2022", "2023")
    taking_part = result.fit._model.data.present.sum(axis=1)
    assert taking_part.tolist() == [63, 78]  # the 2022 and 2023 rosters
    assert "X coattendance" in result.table.index


def test_union_equals_adding_arcs_one_by_one():
    # the vectorised union is the graph the arc-by-arc loop builds, in the same order
    from connectnet.report._compute import union

    data = cn.load_sample("prison_health")
    for G in cn.snapshots(data, kind="contact", by="wave").values():
        H = nx.Graph()
        H.add_nodes_from(G.nodes(data=True))
        for u, v, w in G.edges(data="weight", default=1.0):
            if H.has_edge(u, v):
                H[u][v]["weight"] += w
            else:
                H.add_edge(u, v, weight=w)
        U = union(G)
        assert [(u, list(n.items())) for u, n in U.adjacency()] == [
            (u, list(n.items())) for u, n in H.adjacency()
        ]
        assert list(U.nodes(data=True)) == list(H.nodes(data=True))
        assert U.graph["symmetrise"] == "union"


def test_without_attrs_shares_the_data_and_leaves_the_caller_alone():
    from connectnet.report._html import without_attrs

    frame = pd.DataFrame({"a": [1.0, 2.0]}, index=["x", "y"])
    frame.attrs["people"] = list(range(1000))
    bare = without_attrs(frame)
    assert bare.attrs == {}
    assert frame.attrs["people"] == list(range(1000))
    pd.testing.assert_frame_equal(bare, frame, check_flags=False)
    plain = pd.DataFrame({"a": [1.0]})
    assert without_attrs(plain) is plain  # nothing to drop: the frame itself


@pytest.mark.parametrize("legend_outside", [False, True])
def test_figures_are_the_same_png_as_tight_layout_and_tight_savefig(legend_outside):
    # the report's single-draw save must give the bytes of the two-draw matplotlib idiom
    import io

    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from connectnet.report._html import _save

    def draw():
        fig, axes = plt.subplots(1, 2, figsize=(6.8, 2.4))
        for i, ax in enumerate(axes):
            ax.plot([0, 1, 2], [i, 2 * i + 1, 0.5], marker="o", label=f"line {i}")
            ax.set_title(f"panel {i}")
            if legend_outside:
                ax.legend(loc="upper left", bbox_to_anchor=(1.0, 1.0))
        return fig

    fig = draw()
    ours = _save(fig)
    plt.close(fig)
    fig = draw()
    fig.tight_layout()
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=100, bbox_inches="tight")
    plt.close(fig)
    assert ours == buf.getvalue()
