"""The report's renderers: each formats one section's result from ReportData, nothing more.

``render_<section>(rd, result, section)`` fills an HTML :class:`Section`;
``findings_<section>(rd, result)`` returns that section's key-finding sentences. Both only
read figures already computed (``_compute.py``); plots are drawn from those results.
"""

from __future__ import annotations

import math
from collections.abc import Hashable
from pathlib import Path
from typing import Any

import networkx as nx
import pandas as pd

from connectnet._arrays import has_node_attribute
from connectnet._progress import progress_bar
from connectnet.report._compute import (
    COATTENDANCE,
    AttendanceResult,
    BridgersResult,
    ChangeResult,
    ChangeTest,
    FocalResult,
    MetricsResult,
    ModelResult,
    ProvenanceResult,
    StructureResult,
    person_details,
    without_label,
)
from connectnet.report._data import Finding, ReportData
from connectnet.report._html import (
    Section,
    ei_words,
    fmt,
    p_text,
    png,
    png_panels,
    significance,
    without_attrs,
)

__all__: list[str] = []


def _within_words(rd: ReportData) -> str:
    return f" in the same {rd.within}" if rd.within else ""


def _a(word: object) -> str:
    """'a prison', 'an nhs' (by the first letter)."""
    text = str(word)
    initial = text[:1].lower()
    acronym = text.isalpha() and not set(text.lower()) & set("aeiouy")  # nhs: "an NHS"
    vowel_sound = initial in "aeiou" or (acronym and initial in "fhlmnrsx")
    return ("an " if vowel_sound else "a ") + text


def _names(details: pd.DataFrame) -> list[str]:
    """'Name (Organisation)' per person, or the id when names are hidden."""
    out = []
    for pid, row in details.iterrows():
        who = row.get("name")
        who = str(who) if isinstance(who, str) and who else str(pid)
        org = row.get("organisation")
        out.append(f"{who} ({org})" if isinstance(org, str) and org else who)
    return out


# --------------------------------------------------------------------------- sections


def render_overview(rd: ReportData, result: dict[str, pd.DataFrame], section: Section) -> None:
    section.table(result["summary"], "What was loaded")
    section.table(result["group_sizes"], f"People by {rd.attr}")
    if rd.source_group is None:
        question = f"There is no focal question: the data has only one {rd.attr} group."
    else:
        question = (
            f"Focal question: how well does the {rd.source_group} group connect to the "
            f"{rd.target_group} group" + _within_words(rd) + "?"
        )
    section.text(
        question
        + " Names are "
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


_EVENT_COLUMNS = ("title", "date", "attendees", "first_timers", "returners", "retention")


def render_attendance(rd: ReportData, result: AttendanceResult, section: Section) -> None:
    from connectnet import plots

    section.figure(
        png(lambda ax: plots.plot_attendance(rd.data, ax=ax), size=(10, 6)),
        "Attendance per event by sector, with first-timers (tables/attendance_events.csv)",
    )
    series = f"the same {result.series}" if result.series else "the programme"
    section.text(
        "Retention of an event is the share of its attendees who had attended an earlier "
        f"event of {series} (any earlier one, not only the last); the first event of a "
        "series has none. Returners attended any earlier event."
    )
    events = result.events
    section.table(
        events[[c for c in _EVENT_COLUMNS if c in events.columns]],
        "Attendance per event (every column, including attendees per sector, in "
        "tables/attendance_events.csv)",
        max_rows=40,
    )
    if not result.left_out.empty:
        section.table(result.left_out, "Events left out of the co-attendance network")
    if not result.dominant.empty:
        section.text(_dominant_words(rd, result))
        section.table(result.dominant, "Events attended by more than half of the people")


def _dominant_words(rd: ReportData, result: AttendanceResult) -> str:
    """What the events attended by more than half of the people do to co-attendance,
    and how to leave them out (when other events remain)."""
    n, people = len(rd.dominant_events), f"{len(rd.data.people):,}"
    density = rd.figures.get("density.co-attendance", "not computed")
    first = rd.dominant_events[0]
    if n == 1:
        title = result.dominant["title"].get(first) if "title" in result.dominant else None
        title = title if isinstance(title, str) and title.strip() else "Event"
        attendees = rd.figures[f"attendance.{first}.attendees"]
        text = f"{title} ({first}) was attended by {attendees} of the {people} people"
    else:
        text = f"{n} events were each attended by more than half of the {people} people"
    text += f", so co-attendance links nearly everyone (density {density}"
    without = without_label(rd)
    if without not in rd.graphs:
        return text + (
            "): every event is that large, so co-attendance says little more than who "
            "came; read the contact networks for who works with whom."
        )
    limit = max(1, len(rd.data.people) // 2)
    ids = ",".join(map(str, rd.dominant_events))
    them = "it" if n == 1 else "them"
    return text + (
        f"; '{without}': {rd.figures.get(f'density.{without}', 'not computed')}). Both "
        "networks are shown. "
        f"To leave {them} out, run the report with --max-event-size {limit} or "
        f"--exclude-events {ids}."
    )


def findings_attendance(rd: ReportData, result: AttendanceResult) -> list[Finding]:
    if result.dominant.empty:
        return []
    keys = ["density.co-attendance", f"density.{without_label(rd)}"]
    if len(rd.dominant_events) == 1:
        keys.append(f"attendance.{rd.dominant_events[0]}.attendees")
    return [Finding(_dominant_words(rd, result), tuple(k for k in keys if k in rd.figures))]


def render_metrics(rd: ReportData, result: MetricsResult, section: Section) -> None:
    from connectnet import plots

    attr, label, test = rd.attr, rd.main_label, result.ei_test
    ei, expected = rd.figures[f"ei.{label}"], rd.figures["ei.expected"]
    section.text(
        "One column per network, each covering everyone in it. Co-attendance links people "
        "who attended the same event (weight = shared events); contact networks link people "
        "who reported knowing each other in a survey wave. Ties are undirected: a pair "
        "counts once whoever reported it ('reported arcs' counts each report)."
    )
    section.table(result.summary, "Cohesion summary (everyone in each network)")
    section.text(
        f"E-I index by {attr} of the {label} network ({ei.population}, {ei.ties}): {ei} — "
        f"{ei_words(test.observed)}. If ties were formed at random the expected value "
        f"would be {expected}; more external ties than chance: "
        f"{p_text(test.p_external)}; more internal than chance: {p_text(test.p_internal)}."
    )
    section.table(
        result.group_ei,
        f"E-I index of each {attr} group (−1 all its ties inside, +1 all outside), "
        "everyone in each network",
    )
    group_ei_main = result.group_ei[label]
    section.figure(
        png(lambda ax: plots.plot_ei(group_ei_main, expected=test.expected, ax=ax)),
        f"E-I index of each {attr} group, {label} network, with the value expected by chance",
    )
    section.figure(
        png(lambda ax: plots.plot_mixing(result.mixing, ax=ax), size=(7, 6)),
        f"Ties within and between {attr} groups, {label} network (each undirected tie "
        "counted once; tables/mixing.csv)",
    )
    section.table(
        result.block_density,
        f"Tie density within and between groups, {label} network "
        "(undirected ties / possible pairs)",
    )


def findings_metrics(rd: ReportData, result: MetricsResult) -> list[Finding]:
    key = f"ei.{rd.main_label}"
    ei, expected = rd.figures[key], rd.figures["ei.expected"]
    text = (
        f"The E-I index by {rd.attr} of the {rd.main_label} network is {ei}: "
        f"{ei_words(result.ei_test.observed)} (random ties would give {expected}; "
        f"{ei.population}, {ei.ties})."
    )
    return [Finding(text, (key, "ei.expected"))]


def render_focal(rd: ReportData, result: FocalResult, section: Section) -> None:
    src, tgt = rd.source_group, rd.target_group
    section.text(
        f"Share of {src} people with a direct tie to someone in {tgt}"
        + _within_words(rd)
        + ", by network: everyone in each network, a tie in either direction counts."
    )
    section.table(result.reach_table, "Cross-sector reach (people)")
    reach = result.reaches[rd.main_label]
    if reach.not_reached:
        n_names = len(result.not_reached)
        names = _names(result.not_reached.head(30))  # the sentence names 30 at most
        section.text(
            f"In the {rd.main_label} network {n_names} {src} people have no direct link "
            f"to {tgt}"
            + _within_words(rd)
            + ": "
            + ", ".join(names)
            + (f" and {n_names - 30} more (tables/not_reached.csv)." if n_names > 30 else ".")
        )
    if result.organisations is None:
        section.text(
            "There is no organisation-level answer: the people table has no "
            f"organisation_id for the {src} people."
        )
        return
    section.text(
        f"The same question asked of organisations: for each organisation with {src} "
        f"people, how many of them have a direct tie to {_a(tgt)} person"
        + _within_words(rd)
        + " (0: the organisation has no such tie)."
    )
    section.table(result.organisation_summary, f"{src} organisations with and without a tie")
    table = result.organisations.sort_values(
        [f"people with a tie, {result.answer_networks[-1]}", "name"]
        if "name" in result.organisations.columns
        else [f"people with a tie, {result.answer_networks[-1]}"]
    )
    section.table(
        table.drop(columns=[c for c in ("sector", "type") if c in table.columns]),
        f"Each {src} organisation: people with a tie to {tgt}" + _within_words(rd),
        max_rows=40,
    )


def findings_focal(rd: ReportData, result: FocalResult) -> list[Finding]:
    src, tgt, main = rd.source_group, rd.target_group, rd.main_label
    share, reached = (rd.figures[f"reach.{main}.{c}"] for c in ("share reached", "reached"))
    keys = [f"reach.{main}.share reached", f"reach.{main}.reached"]
    n = result.reaches[main].n_source
    text = (
        f"In the {main} network {share} of the {n:,} {src} people have a direct tie to "
        f"someone in {tgt}" + _within_words(rd) + f" ({reached} of {n:,})"
    )
    networks = result.answer_networks
    first = networks[0]
    if len(networks) >= 2 and main == networks[-1]:
        earlier = rd.figures[f"reach.{first}.share reached"]
        keys.append(f"reach.{first}.share reached")
        text += f", against {earlier} in the {first} network"
    findings = [Finding(text + " (everyone in each network).", tuple(keys))]
    if result.organisation_summary is not None:
        last = networks[-1]
        without = rd.figures[f"organisations.{last}.without a tie"]
        total = rd.figures[f"organisations.{last}.organisations"]
        keys = [f"organisations.{last}.without a tie", f"organisations.{last}.organisations"]
        text = (
            f"{without} of {total} {src} organisations have no tie to {_a(tgt)} organisation"
            + _within_words(rd)
            + f" in the {last} network"
        )
        if len(networks) >= 2:
            keys.append(f"organisations.{first}.without a tie")
            text += f", {rd.figures[keys[-1]]} in the {first} network"
        findings.append(Finding(text + ".", tuple(keys)))
    return findings


_BRIDGER_COLUMNS = ("degree", "cross_sector_degree", "betweenness", "brokerage_total")


def render_bridgers(rd: ReportData, result: BridgersResult, section: Section) -> None:
    table = result.table
    keep = [c for c in table.columns if c in ("name", "organisation", rd.attr, "region")]
    keep += [c for c in _BRIDGER_COLUMNS if c in table.columns]
    section.text(
        "People ranked by bridging importance in the "
        f"{rd.main_label} network (cross-group ties, brokerage, betweenness, low constraint); "
        "every measure is in tables/bridging_table.csv."
    )
    section.table(table[keep], "Top bridgers", max_rows=15)
    if result.risk is None:
        section.text(f"No succession-risk table: {result.no_risk}")
        return
    section.text(
        f"Succession risk: how much {rd.source_group} → {rd.target_group} reach falls if "
        "each person left. People at the top hold links that nobody else provides."
    )
    section.table(result.risk, "Bridging risk", max_rows=10)


def findings_bridgers(rd: ReportData, result: BridgersResult) -> list[Finding]:
    table = result.table
    if not len(table):
        return []
    top = table.index[0]
    who = _names(table.iloc[:1])[0]
    named = isinstance(table.iloc[0].get("name"), str)
    label = f"{who}, {top}" if named else who  # with names hidden the code is the name
    text = (
        f"The leading bridger is {label} ({rd.attr}: {table.iloc[0].get(rd.attr, '?')}); "
        "see the bridgers section for who holds links that nobody else provides."
    )
    return [Finding(text)]


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


def _test_sentence(rd: ReportData, test: ChangeTest, first: Hashable, last: Hashable) -> str:
    res = test.result
    assert res is not None
    before, after = (rd.figures[f"change.{test.key}.{c}"] for c in ("before", "after"))
    ci = test.ci
    interval = (
        f"{ci.level:.0%} confidence interval {ci.low:+.3f} to {ci.high:+.3f}, node bootstrap; "
        if ci is not None and math.isfinite(ci.low)
        else ""
    )
    return (
        f"{test.name}: {before} in {first} → {after} in {last} "
        f"(change {res.observed:+.3f}; {interval}paired permutation test, "
        f"{res.n_permutations} permutations, {p_text(res.p_value)} two-sided, "
        f"{p_text(test.p_adjusted)} after adjusting for the {_n_tests(rd)} change tests): "
        f"{significance(test.p_adjusted)}."
    )


def _n_tests(rd: ReportData) -> int:
    table = rd.tables.get("change_tests")
    return 0 if table is None else len(table)


def _change_panel(compare: pd.DataFrame, metric: Hashable, ax: Any) -> None:
    """One small-multiple panel: a metric's value in each wave."""
    from connectnet import plots

    plots.plot_change(compare.loc[[metric]], ax=ax)
    legend = ax.get_legend()
    if legend is not None:
        legend.remove()
    ax.set_title(str(metric), fontsize="small")
    ax.set_ylabel("")


def render_change(rd: ReportData, result: ChangeResult, section: Section) -> None:
    first, last = result.first_label, result.last_label
    compare = without_attrs(result.compare)  # its people lists: not copied at every step
    shown = [m for m in compare.index if not str(m).startswith("block density")]
    waves = [c for c in compare.columns if not str(c).startswith(("change", "relative"))]
    drawn = [m for m in shown if compare.loc[m, waves].notna().any()]
    section.table(
        compare.loc[shown],
        "Metrics per wave with absolute and relative change (block densities per group "
        "pair in tables/compare.csv), for the "
        f"{result.n_compared} people who answered every wave "
        f"({result.n_left_out} left out: new, leaving or not responding); ties here are "
        "reported arcs among those people, so they differ from the cohesion table above, "
        "which counts undirected ties among everyone",
    )
    if result.n_left_out > result.n_compared:
        section.text(
            f"Caution: more people were left out ({result.n_left_out}) than compared "
            f"({result.n_compared}). If the programme deliberately brought new people in "
            "(for example 'significant local others'), the change among the people "
            "compared does not describe the whole network: read the cohesion and "
            "reach tables above, which use everyone in each wave."
        )
    for note in result.notes:
        section.text(note)
    section.figure(
        png_panels(lambda ax, m: _change_panel(compare, m, ax), drawn),
        "Metrics across waves, one panel per metric (each on its own scale), for the "
        f"{result.n_compared} people who answered every wave",
    )
    section.table(result.tie_changes, f"Ties by {rd.attr} pair: before, after, new, lost, kept")
    run = result.run()
    if run:
        res = run[0].result
        assert res is not None
        section.text(
            "The tests compare the same people in both waves, so that people who "
            "joined, left or skipped a survey do not look like lost or new ties: "
            f"the {res.n_nodes} people who answered both waves; "
            f"{res.n_excluded} were left out ({len(res.only_before)} "
            f"answered only {first}, {len(res.only_after)} only {last})."
        )
    section.bullets(
        [
            _test_sentence(rd, t, first, last)
            if t.result is not None
            else f"{t.name}: the test could not be run — {t.error}"
            for t in result.tests
        ]
    )
    if len(run) > 1:
        section.text(
            f"Several changes are tested at once, so each p-value is also given adjusted "
            f"by Holm's method for the {len(run)} tests (the chance of any false alarm "
            "stays at the nominal level); the verdicts use the adjusted values. The tie "
            f"changes by {rd.attr} pair are adjusted the same way (column p_adjusted)."
        )
    if any(t.ci is not None for t in run):
        section.text(
            "The confidence intervals resample the people compared (the same people in "
            "both waves) and show how much the change could differ with another group of "
            "people from the same population; they do not cover non-response."
        )
    if result.sensitivity is not None:
        section.table(
            result.sensitivity,
            "Non-response check: each change with non-respondents' ties missing (as "
            "surveyed) and reconstructed from the other person's report, over everyone "
            "in either wave; similar changes mean the result does not hinge on who answered",
        )
    exposure = result.exposure
    if exposure is not None:
        section.text(
            f"Did attending more events go with gaining {rd.source_group}–{rd.target_group} "
            f"contacts? Correlation {fmt(exposure.observed)} ({p_text(exposure.p_value)}, "
            f"permutation test): {significance(exposure.p_value)}."
        )
        section.table(exposure.dose_response, "Gain in cross-sector ties by events attended")


def findings_change(rd: ReportData, result: ChangeResult) -> list[Finding]:
    first, last = result.first_label, result.last_label
    findings = []
    for test in result.run():
        res = test.result
        assert res is not None
        keys = [f"change.{test.key}.before", f"change.{test.key}.after"]
        before, after = (rd.figures[k] for k in keys)
        text = (
            f"Among the {res.n_nodes:,} people who answered both waves, counting "
            f"{before.ties}, the {test.name} changed from {before} to {after} between "
            f"{first} and {last} "
            f"({p_text(test.p_adjusted)}, adjusted for {_n_tests(rd)} tests): "
            f"{significance(test.p_adjusted)}."
        )
        everyone = [f"ei.contacts {first}", f"ei.contacts {last}"]
        if test.key == "ei" and all(k in rd.figures for k in everyone):
            keys += everyone
            text += (
                f" Over everyone in each wave (undirected ties) it went from "
                f"{rd.figures[everyone[0]]} to {rd.figures[everyone[1]]}."
            )
        findings.append(Finding(text, tuple(keys)))
    return findings


def render_provenance(rd: ReportData, result: ProvenanceResult, section: Section) -> None:
    section.text(
        f"Made with connectnet {result.version} from {rd.original.source or 'tables in memory'}. "
        "The same inputs, options and seed give the same figures."
    )
    section.table(result.options, "Options of this run")
    if not result.inputs.empty:
        section.table(result.inputs, "Input files (SHA-256 of each file as read)")


def _allowing_for(rd: ReportData, effects: tuple[str, ...]) -> str:
    """The other effects of the model in words: 'reciprocity, transitivity and ...'."""
    words = {
        "recip": "reciprocity",
        "transTrip": "transitivity",
        "transTies": "transitivity",
        "cycle3": "cyclic triads",
        "inPop": "popularity",
        "outAct": "activity",
    }
    parts = []
    for label in effects:
        name, _, cov = label.partition(" ")
        if name in words and words[name] not in parts:
            parts.append(words[name])
        elif name == "sameX" and cov == rd.within:
            parts.append(f"working in the same {cov}")
        elif name == "sameX":
            parts.append(f"being in the same {cov}")
    if not parts:
        return ""
    listed = parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]
    return f", allowing for {listed}"


def model_verdict(rd: ReportData, result: ModelResult) -> str:
    """The plain-words answer: did co-attendance predict new ties?"""
    label = f"X {COATTENDANCE}"
    fit = result.fit
    if label not in result.table.index:
        return (
            "Co-attendance at programme events could not be put in the model, so the model "
            "does not say whether taking part predicted new ties."
        )
    est = rd.figures[f"model.{label}.estimate"]
    se = rd.figures[f"model.{label}.se"]
    p = float(result.table.at[label, "p"])
    allowing = _allowing_for(rd, tuple(e for e in result.effects if e != label))
    numbers = f"(estimate {est}, standard error {se}, {p_text(p)})"
    if p < 0.05 and float(result.table.at[label, "estimate"]) > 0:
        text = (
            "People who attended more events together were more likely to form a tie"
            f"{allowing} {numbers}."
        )
    elif p < 0.05:
        text = (
            "People who attended more events together were less likely to form a tie"
            f"{allowing} {numbers}."
        )
    else:
        text = (
            "There is no clear evidence that attending events together made a tie more "
            f"likely{allowing} {numbers}: {significance(p)}."
        )
    if not fit.converged:
        text += (
            " Caution: the estimation did not converge (overall maximum convergence ratio "
            f"{rd.figures['model.max_convergence']}), so these numbers are unreliable."
        )
    return text


def render_model(rd: ReportData, result: ModelResult, section: Section) -> None:
    from connectnet import plots

    fit = result.fit
    events = len(result.events)
    section.text(
        "A stochastic actor-oriented model (SAOM, as RSiena fits it) explains how the "
        f"contact network changed between the waves {', '.join(result.waves)}: each of "
        f"the {result.n_actors:,} people who answered a survey"
        + (", were named or were on the roster" if not fit.conditional else " or were named")
        + " repeatedly reconsiders one of their reported ties, weighing reciprocity, "
        "shared partners, similarity and how many programme events they attended together "
        f"({events} events held between the first and the last wave). A positive estimate "
        "means ties of that kind were more likely to be formed and kept."
    )
    section.text(model_verdict(rd, result))
    section.table(
        result.table,
        "Estimates (log-odds of a tie change), standard errors, convergence t-ratios and "
        "two-sided p-values",
    )
    rates = ", ".join(f"{p}: {r:.2f}" for p, r in fit.rates["rate"].items())
    section.text(
        f"Rates (opportunities to change a tie per person): {rates}. "
        + (
            "Composition change: people who joined or left the network (the roster) "
            "take part only while they belong to it; estimated unconditionally. "
            if not fit.conditional
            else ""
        )
        + f"Convergence: overall maximum ratio {rd.figures['model.max_convergence']} "
        + ("(converged: below 0.25, every t-ratio below 0.1)." if fit.converged
           else "(NOT converged: treat the estimates with caution).")
    )  # fmt: skip
    for note in result.notes:
        section.text(note)
    section.bullets(
        [
            f"{name.replace('_', ' ')}: p = {rd.figures[f'model.gof.{name}.p_value']} "
            + ("(the model reproduces it)" if g.p_value >= 0.05 else "(poorly reproduced)")
            for name, g in result.gof.items()
        ]
    )
    section.text(
        "Goodness of fit (RSiena's sienaGOF): each line compares the observed network with "
        f"{next(iter(result.gof.values())).n_sim} networks simulated from the model by "
        "their Mahalanobis distance; a p-value below 0.05 says the model misses that "
        "feature, so its estimates should be read with care."
    )
    section.figure(
        png(lambda ax: plots.plot_saom_gof(result.gof["indegree"], ax=ax)),
        "Indegree distribution: observed (red) against the simulated networks (boxes)",
    )
    missing = rd.tables["saom_missing"]
    silent = missing[missing["variable"] == "ties"]
    if silent["missing"].any():
        shares = ", ".join(
            f"wave {w}: {m}" for w, m in zip(silent["when"], silent["missing"], strict=True)
        )
        section.text(
            f"Non-respondents ({shares}) have their ties treated as missing, as RSiena "
            "does: imputed for the simulation and left out of the statistics."
        )


def findings_model(rd: ReportData, result: ModelResult) -> list[Finding]:
    label = f"X {COATTENDANCE}"
    keys = (
        (f"model.{label}.estimate", f"model.{label}.se", f"model.{label}.p")
        if label in result.table.index
        else ()
    )
    return [Finding("Did taking part predict new ties? " + model_verdict(rd, result), keys)]


# --------------------------------------------------------------------------- files


def write_maps(rd: ReportData, out: Path) -> list[tuple[str, str]]:
    """map.html: the explorer with every wave on one layout, people and organisations,
    the bridging table in the side panel (above ``MAX_PERSON_MAP_NODES`` people, the
    organisation view only, as the report says); returns the link."""
    from connectnet import build, maps

    data = rd.data
    person_map = rd.drawn is None or rd.drawn is rd.main
    if rd.waves:
        graphs = {str(w): rd.undirected[f"contacts {w}"] for w in rd.waves}
    else:
        graphs = {rd.main_label: rd.main}
    names = data.organisations["name"].to_dict() if "name" in data.organisations else {}
    organisations = {}
    for wave, G in graphs.items():
        if has_node_attribute(G, "organisation_id"):
            org_graph = build.organisation_graph(G)
            nx.set_node_attributes(org_graph, names, "name")
            organisations[wave] = org_graph
    metrics = rd.tables.get("bridging_table")
    if metrics is not None:  # the map shows who the person is; the table adds measures
        shown = ["group", *person_details(rd, []).columns]
        metrics = metrics.drop(columns=shown, errors="ignore")
        if len(graphs) > 1:  # measured in the main network only: say so beside each value
            last = list(graphs)[-1]
            metrics = metrics.rename(columns=lambda c: f"{c} ({last})")
    if not person_map:  # too many people to draw: the organisation view only
        graphs = organisations or {rd.main_label: rd.drawn}
        organisations, metrics = {}, None
    view = "" if person_map else "organisation view of the "
    network = f"{rd.main_label} network"
    if len(graphs) > 1:  # every wave is in the explorer, not only the main one
        labels = list(graphs)
        network = f"contacts network at {', '.join(labels[:-1])} and {labels[-1]}"
    title = f"{view}{network}" + (f" — {data.source}" if data.source else "")
    with progress_bar(total=1, desc="writing the map", enabled=rd.options.progress) as bar:
        maps.write_map(
            graphs,
            out / "map.html",
            title=title,
            color_by=rd.attr,
            size_by="degree",
            seed=rd.options.seed,
            organisations=organisations or None,
            metrics=metrics,
        )
        bar.update(1)
    what = "every wave, new and lost ties" if len(graphs) > 1 else f"the {rd.main_label} network"
    kinds = "organisations" if not person_map else "people"
    if organisations:
        kinds = "people and organisations"
    return [("map.html", f"interactive explorer: {view}{what}, {kinds}")]
