"""The report's renderers: each formats one section's result from ReportData, nothing more.

``render_<section>(rd, result, section)`` fills an HTML :class:`Section`;
``findings_<section>(rd, result)`` returns that section's key-finding sentences. Both only
read figures already computed (``_compute.py``); plots are drawn from those results.
"""

from __future__ import annotations

from collections.abc import Hashable
from pathlib import Path

import networkx as nx
import pandas as pd

from connectnet._progress import progress_bar
from connectnet.change import ChangeTestResult
from connectnet.report._compute import (
    BridgersResult,
    ChangeResult,
    FocalResult,
    MetricsResult,
    StructureResult,
    union_all,
)
from connectnet.report._data import ReportData
from connectnet.report._html import (
    Section,
    ei_words,
    fmt,
    p_text,
    png,
    significance,
)

__all__: list[str] = []


def _within_words(rd: ReportData) -> str:
    return f" in the same {rd.within}" if rd.within else ""


# --------------------------------------------------------------------------- sections


def render_overview(rd: ReportData, result: dict[str, pd.DataFrame], section: Section) -> None:
    section.table(result["summary"], "What was loaded")
    section.table(result["group_sizes"], f"People by {rd.attr}")
    section.text(
        f"Focal question: how well does the {rd.source_group} group connect to the "
        f"{rd.target_group} group"
        + _within_words(rd)
        + "? Names are "
        + ("replaced by pseudonymous codes." if rd.options.hide_names else "shown as loaded.")
    )


def render_load_report(rd: ReportData, result: pd.DataFrame | None, section: Section) -> None:
    section.text(
        "Every row read is either kept or listed here with the reason (rows read = rows "
        "kept + rows dropped, per table)."
    )
    section.table(rd.original.counts, "Rows per table")
    if result is None:
        section.text("Nothing to report: every row was read as it is.")
    else:
        section.table(result, "Load report", index=False, max_rows=60)


def render_attendance(rd: ReportData, result: pd.DataFrame, section: Section) -> None:
    from connectnet import plots

    section.figure(
        png(lambda ax: plots.plot_attendance(rd.data, ax=ax), size=(9, 5)),
        "Attendance per event by sector",
    )
    section.table(result, "Attendance per event", max_rows=40)


def render_metrics(rd: ReportData, result: MetricsResult, section: Section) -> None:
    from connectnet import plots

    attr, label, test = rd.attr, rd.main_label, result.ei_test
    section.text(
        "One column per network. Co-attendance links people who attended the same event "
        "(weight = shared events); contact networks link people who reported knowing each "
        "other in a survey wave."
    )
    section.table(result.summary, "Cohesion summary")
    section.text(
        f"E-I index of the {label} network: {fmt(test.observed)} — "
        f"{ei_words(test.observed)}. If ties were formed at random the expected value "
        f"would be {fmt(test.expected)}; more external ties than chance: "
        f"{p_text(test.p_external)}; more internal than chance: {p_text(test.p_internal)}."
    )
    section.table(result.group_ei, f"E-I index by {attr} (−1 all ties inside, +1 all outside)")
    group_ei_main = result.group_ei[label]
    section.figure(
        png(lambda ax: plots.plot_ei(group_ei_main, expected=test.expected, ax=ax)),
        f"E-I index by {attr}, {label} network, with the value expected by chance",
    )
    section.figure(
        png(lambda ax: plots.plot_mixing(result.mixing, ax=ax), size=(7, 6)),
        f"Ties between {attr} groups, {label} network",
    )
    section.table(
        result.block_density, "Tie density within and between groups (ties / possible pairs)"
    )


def findings_metrics(rd: ReportData, result: MetricsResult) -> list[str]:
    test = result.ei_test
    sentence = (
        f"The E-I index by {rd.attr} of the {rd.main_label} network is {fmt(test.observed)}: "
        f"{ei_words(test.observed)} (random ties would give {fmt(test.expected)})."
    )
    return [sentence]


def render_focal(rd: ReportData, result: FocalResult, section: Section) -> None:
    src, tgt, reach = rd.source_group, rd.target_group, result.main_reach
    section.text(
        f"Share of {src} people with a direct tie to someone in {tgt}"
        + _within_words(rd)
        + ", by network."
    )
    section.table(result.reach_table, "Cross-sector reach")
    if reach.not_reached:
        section.text(
            f"In the {rd.main_label} network {len(reach.not_reached)} {src} "
            f"people have no direct link to {tgt}: "
            + ", ".join(map(str, reach.not_reached[:30]))
            + (" ..." if len(reach.not_reached) > 30 else "")
        )


def findings_focal(rd: ReportData, result: FocalResult) -> list[str]:
    reach = result.main_reach
    return [
        f"In the {rd.main_label} network {fmt(100 * reach.share, 0)}% of {rd.source_group} "
        f"people have a direct tie to someone in {rd.target_group}"
        + _within_words(rd)
        + f" ({len(reach.reached)} of {len(reach.reached) + len(reach.not_reached)})."
    ]


def render_bridgers(rd: ReportData, result: BridgersResult, section: Section) -> None:
    cols = [c for c in result.table.columns if c not in ("kind",)]
    section.text(
        "People ranked by bridging importance in the "
        f"{rd.main_label} network (cross-group ties, brokerage, betweenness, low constraint)."
    )
    section.table(result.table[cols], "Top bridgers", max_rows=15)
    section.text(
        f"Succession risk: how much {rd.source_group} → {rd.target_group} reach falls if "
        "each person left. People at the top hold links that nobody else provides."
    )
    section.table(result.risk, "Bridging risk", max_rows=10)


def findings_bridgers(rd: ReportData, result: BridgersResult) -> list[str]:
    table = result.table
    if not len(table):
        return []
    top = table.index[0]
    who = rd.main.nodes[top].get("name") if top in rd.main else None
    sentence = (
        f"The leading bridger is {who + ' (' + str(top) + ')' if who else top} ({rd.attr}: "
        f"{table.iloc[0].get('group', '?')}); see the bridgers section for who holds "
        "links that nobody else provides."
    )
    return [sentence]


def render_structure(rd: ReportData, result: StructureResult, section: Section) -> None:
    from connectnet import plots

    section.table(
        result.comparison.to_frame("value"),
        f"Detected communities compared with {rd.attr} groups",
    )
    section.text(
        f"Core–periphery: {result.n_core} of {len(result.core_periphery)} people form the "
        f"core of the {rd.main_label} network."
    )
    if rd.drawn_note:
        section.text(rd.drawn_note)
    drawn = rd.drawn if rd.drawn is not None else rd.main
    view = "organisation view of the " if drawn is not rd.main else ""
    section.figure(
        png(
            lambda ax: plots.plot_network(drawn, color_by=rd.attr, seed=rd.options.seed, ax=ax),
            size=(8, 7),
        ),
        f"The {view}{rd.main_label} network, coloured by {rd.attr} (interactive version: "
        "map.html)",
    )


def _test_sentence(res: ChangeTestResult, name: str, first: Hashable, last: Hashable) -> str:
    return (
        f"{name}: {fmt(res.before, 3)} in {first} → {fmt(res.after, 3)} in {last} "
        f"(change {res.observed:+.3f}; paired permutation test, {res.n_permutations} "
        f"permutations, {p_text(res.p_value)}, two-sided): {significance(res.p_value)}."
    )


def render_change(rd: ReportData, result: ChangeResult, section: Section) -> None:
    from connectnet import plots

    first, last = result.first_label, result.last_label
    section.table(
        result.compare,
        "Metrics per wave with absolute and relative change, for the "
        f"{result.n_compared} people who answered every wave "
        f"({result.n_left_out} left out: new, leaving or not responding)",
    )
    if result.n_left_out > result.n_compared:
        section.text(
            f"Caution: more people were left out ({result.n_left_out}) than compared "
            f"({result.n_compared}). If the programme deliberately brought new people in "
            "(for example 'significant local others'), the change among the people "
            "compared does not describe the whole network: read the cohesion and "
            "reach tables above, which use everyone in each wave."
        )
    section.figure(
        png(lambda ax: plots.plot_change(result.compare, ax=ax)), "Metrics across waves"
    )
    section.table(result.tie_changes, f"Ties by {rd.attr} pair: before, after, new, lost, kept")
    run = result.run()
    if run:
        res = run[0][1]
        section.text(
            "The tests compare the same people in both waves, so that people who "
            "joined, left or skipped a survey do not look like lost or new ties: "
            f"the {res.n_nodes} people who answered both waves; "
            f"{res.n_excluded} were left out ({len(res.only_before)} "
            f"answered only {first}, {len(res.only_after)} only {last})."
        )
    section.bullets(
        [
            _test_sentence(t.result, t.name, first, last)
            if t.result is not None
            else f"{t.name}: the test could not be run — {t.error}"
            for t in result.tests
        ]
    )
    exposure = result.exposure
    if exposure is not None:
        section.text(
            f"Did attending more events go with gaining {rd.source_group}–{rd.target_group} "
            f"contacts? Correlation {fmt(exposure.observed)} ({p_text(exposure.p_value)}, "
            f"permutation test): {significance(exposure.p_value)}."
        )
        section.table(exposure.dose_response, "Gain in cross-sector ties by events attended")


def findings_change(rd: ReportData, result: ChangeResult) -> list[str]:
    return [
        f"{name} changed from {fmt(res.before, 3)} to {fmt(res.after, 3)} "
        f"between {result.first_label} and {result.last_label} "
        f"({p_text(res.p_value)}): {significance(res.p_value)}."
        for name, res in result.run()
    ]


# --------------------------------------------------------------------------- files


def write_maps(rd: ReportData, out: Path) -> list[tuple[str, str]]:
    """map.html (and map-<first wave>.html on the same layout); returns the links."""
    from connectnet import build, maps

    data, attr, seed = rd.data, rd.attr, rd.options.seed
    drawn = rd.drawn if rd.drawn is not None else rd.main
    person_map = drawn is rd.main
    view = "" if person_map else "organisation view of the "
    title = f"{view}{rd.main_label} network" + (f" — {data.source}" if data.source else "")
    first_label = next(iter(rd.waves)) if len(rd.waves) >= 2 else None
    first = None
    if first_label is not None:
        first = rd.undirected[f"contacts {first_label}"]
        assert isinstance(first, nx.Graph)
        if not person_map:
            first = build.organisation_graph(first)
    layout_waves = {first_label: first} if first is not None and not person_map else rd.waves
    bar = progress_bar(
        total=2 if first is None else 3, desc="map layout and maps", enabled=rd.options.progress
    )
    with bar:
        positions = maps.map_layout(union_all(drawn, layout_waves), seed=seed)
        bar.update(1)
        options = {"color_by": attr, "size_by": "degree", "layout": positions, "physics": False}
        maps.write_map(drawn, out / "map.html", title=title, **options)
        bar.update(1)
        links = [("map.html", f"interactive map of the {view}{rd.main_label} network")]
        if first is not None:
            safe = "".join(ch if ch.isalnum() or ch in "-_" else "-" for ch in str(first_label))
            first_map = out / f"map-{safe}.html"
            maps.write_map(first, first_map, title=f"{view}contacts {first_label}", **options)
            bar.update(1)
            links.append(
                (first_map.name, f"contacts {first_label}: same layout, to compare with map.html")
            )
    return links
