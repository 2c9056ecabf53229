"""The whole job in one call: load → graphs → metrics → change tests → map, plots, tables, HTML.

:func:`run_report` is what ``connectnet report`` runs. The HTML report is self-contained
(plots embedded as images, no scripts or links to other sites) and every value from the
data is escaped.
"""

from __future__ import annotations

import base64
import html
import io
import logging
import secrets
import sys
import time
from collections.abc import Callable, Hashable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import networkx as nx
import numpy as np
import pandas as pd
from pandas.api.types import is_datetime64_any_dtype, is_numeric_dtype

from connectnet.data import Dataset

__all__ = ["run_report"]

logger = logging.getLogger(__name__)

_STEPS = (
    "checking the data",
    "building graphs",
    "cohesion and bridging metrics",
    "change between waves",
    "map and plots",
    "writing tables and the report",
)


# --------------------------------------------------------------------------- progress


class _Progress:
    """Step-by-step progress on stderr (silent when ``enabled`` is false)."""

    def __init__(self, enabled: bool) -> None:
        self.enabled = enabled
        self.step = 0

    @contextmanager
    def __call__(self, what: str) -> Iterator[None]:
        self.step += 1
        start = time.perf_counter()
        if self.enabled:
            print(f"[{self.step}/{len(_STEPS)}] {what} ...", file=sys.stderr, flush=True)
        yield
        if self.enabled:
            took = time.perf_counter() - start
            print(f"      done in {took:.1f} s", file=sys.stderr, flush=True)


# --------------------------------------------------------------------------- content


@dataclass
class _Section:
    title: str
    anchor: str
    parts: list[str] = field(default_factory=list)

    def text(self, words: str) -> None:
        self.parts.append(f"<p>{html.escape(words)}</p>")

    def bullets(self, items: list[str]) -> None:
        lis = "".join(f"<li>{html.escape(i)}</li>" for i in items)
        self.parts.append(f"<ul>{lis}</ul>")

    def table(
        self,
        frame: pd.DataFrame,
        caption: str | None = None,
        *,
        index: bool = True,
        max_rows: int = 30,
    ) -> None:
        shown = frame.head(max_rows).copy()
        for col in shown.columns:
            values = shown[col]
            if not (is_numeric_dtype(values) or is_datetime64_any_dtype(values)):
                shown[col] = values.astype(object).where(values.notna(), "–")
        body = shown.to_html(
            escape=True,
            index=index,
            na_rep="–",
            float_format=_number,
            border=0,
            classes="data",
        )
        cap = f"<p class='caption'>{html.escape(caption)}</p>" if caption else ""
        more = (
            f"<p class='note'>First {max_rows} of {len(frame)} rows; all rows are in the "
            "tables folder.</p>"
            if len(frame) > max_rows
            else ""
        )
        self.parts.append(f"{cap}<div class='scroll'>{body}</div>{more}")

    def figure(self, png: bytes | None, alt: str) -> None:
        if png is None:
            return
        data = base64.b64encode(png).decode("ascii")
        self.parts.append(
            f"<figure><img src='data:image/png;base64,{data}' alt='{html.escape(alt)}'>"
            f"<figcaption>{html.escape(alt)}</figcaption></figure>"
        )

    def raw(self, markup: str) -> None:
        """Trusted markup built in this module (never data)."""
        self.parts.append(markup)

    def render(self) -> str:
        return (
            f"<section id='{self.anchor}'><h2>{html.escape(self.title)}</h2>"
            + "".join(self.parts)
            + "</section>"
        )


def _png(draw: Callable[[Any], Any], *, size: tuple[float, float] = (8, 5)) -> bytes | None:
    """Draw with ``draw(ax)`` on a fresh figure and return PNG bytes (None if it fails)."""
    import matplotlib

    matplotlib.use("Agg", force=False)
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=size)
    try:
        draw(ax)
        fig.tight_layout()
        buf = io.BytesIO()
        fig.savefig(buf, format="png", dpi=100)
        return buf.getvalue()
    except Exception:  # a figure must never stop the report
        logger.exception("a plot could not be drawn; the report goes on without it")
        return None
    finally:
        plt.close(fig)


def _number(value: float) -> str:
    """Readable numbers in tables: whole numbers as integers, others to 3 significant
    figures (no scientific notation for counts in the thousands)."""
    if np.isnan(value):
        return "–"
    if float(value).is_integer() and abs(value) < 1e15:
        return f"{int(value):,}"
    if abs(value) >= 1000:
        return f"{value:,.0f}"
    return f"{value:.3g}"


def _fmt(value: float, digits: int = 2) -> str:
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return "not defined"
    return f"{value:.{digits}f}"


def _p(value: float) -> str:
    if value is None or np.isnan(value):
        return "p not defined"
    return "p < 0.001" if value < 0.001 else f"p = {value:.3f}"


def _ei_words(value: float) -> str:
    if np.isnan(value):
        return "not defined (no ties)"
    if value <= -0.6:
        return "ties are overwhelmingly within groups"
    if value < -0.2:
        return "ties are mostly within groups"
    if value <= 0.2:
        return "ties are roughly balanced between within- and across-group"
    if value < 0.6:
        return "ties mostly cross group lines"
    return "ties overwhelmingly cross group lines"


def _significance(p: float) -> str:
    if np.isnan(p):
        return "the test could not be run"
    if p < 0.01:
        return "very unlikely to be chance"
    if p < 0.05:
        return "unlikely to be chance"
    if p < 0.1:
        return "weak evidence, could be chance"
    return "consistent with chance"


# --------------------------------------------------------------------------- analysis


def _focal_groups(
    people: pd.DataFrame, attr: str, source: Hashable | None, target: Hashable | None
) -> tuple[Hashable, Hashable]:
    if attr not in people.columns:
        msg = (
            f"`attr` {attr!r} is not a column of the people table; choose one of "
            f"{sorted(map(str, people.columns))}."
        )
        raise ValueError(msg)
    sizes = people[attr].dropna().value_counts()
    groups = list(sizes.index)
    if source is None and target is None and {"prison", "nhs"} <= set(groups):
        source, target = "prison", "nhs"
    ranked = [g for g in groups if g not in ("unknown",)]
    if source is None:
        source = next((g for g in ranked if g != target), None)
    if target is None:
        target = next((g for g in ranked if g != source), None)
    for name, value in (("source", source), ("target", target)):
        if value is None or value not in set(groups):
            msg = (
                f"`{name}` group {value!r} is not a value of {attr!r}; the groups are "
                f"{', '.join(map(str, groups))}."
            )
            raise ValueError(msg)
    return source, target


def _union(G: nx.Graph) -> nx.Graph:
    if not G.is_directed():
        return G
    H = nx.Graph()
    H.add_nodes_from(G.nodes(data=True))
    for u, v, w in G.edges(data="weight", default=1.0):
        if H.has_edge(u, v):
            H[u][v]["weight"] += w
        else:
            H.add_edge(u, v, weight=w)
    H.graph.update(G.graph)
    H.graph["symmetrise"] = "union"
    return H


def _union_all(main: nx.Graph, waves: dict[Hashable, nx.Graph]) -> nx.Graph:
    """All nodes and ties of every wave, so one layout serves every map."""
    H = nx.Graph(main)
    for G in waves.values():
        H.add_nodes_from(G.nodes(data=True))
        H.add_edges_from(G.to_undirected(as_view=True).edges())
    return H


def run_report(
    data: Dataset,
    out: str | Path,
    *,
    attr: str = "sector",
    source: Hashable | None = None,
    target: Hashable | None = None,
    within: str | None = None,
    hide_names: bool = False,
    salt: str | None = None,
    seed: int = 0,
    n_permutations: int = 1000,
    progress: bool = False,
) -> Path:
    """Run the whole analysis on ``data`` and write a report folder.

    Steps: the load report → co-attendance graph (when there is attendance) and one contact
    graph per survey wave (when there are contacts) → cohesion and bridging metrics → change
    tests between the first and last wave (two or more waves) → map, plots and tables.

    Parameters
    ----------
    data
        A :class:`~connectnet.Dataset` (from :func:`~connectnet.read_dataset` or
        :func:`~connectnet.load_sample`).
    out
        Folder to write (created; existing report files are overwritten).
    attr
        Person attribute defining the groups (default ``"sector"``).
    source, target
        Focal groups for cross-sector reach and the change test, e.g. ``"prison"`` and
        ``"nhs"``. Default: prison → nhs when both exist, else the two largest groups.
    within
        Only count reach to targets with the same value of this attribute (e.g.
        ``"region"``).
    hide_names
        Replace person ids and names by pseudonymous codes everywhere (see
        :func:`~connectnet.pseudonymise`).
    salt
        Secret salt for the codes. Same salt, same codes across runs; by default a random
        salt is drawn, so codes differ between runs and cannot be linked.
    seed
        Seed for layouts and permutation tests.
    n_permutations
        Permutations per statistical test.
    progress
        Print each step to stderr.

    Returns
    -------
    pathlib.Path
        Path of ``OUT/index.html``. Also written: ``OUT/map.html``, ``OUT/tables/*.csv``,
        ``OUT/graph.gexf`` (and ``OUT/map-<first wave>.html`` with the same layout when
        there are two or more waves).

    Raises
    ------
    ValueError
        ``attr``, ``source``, ``target`` or ``within`` do not match the data.

    Examples
    --------
    >>> import tempfile, connectnet as cn
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     index = cn.run_report(cn.load_sample("prison_health"), tmp, n_permutations=99)
    ...     sorted(p.name for p in index.parent.iterdir())
    ['graph.gexf', 'index.html', 'map-baseline.html', 'map.html', 'tables']
    """
    from connectnet import bridging, brokers, build, change, cohesion, export, maps, plots

    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    step = _Progress(progress)
    tables: dict[str, pd.DataFrame] = {}
    sections: list[_Section] = []
    findings: list[str] = []  # the headline sentences, shown first
    rng_seed = int(seed)
    perms = int(n_permutations)

    # 1 ---------------------------------------------------------------- data
    with step(_STEPS[0]):
        original = data
        secret = salt if salt is not None else secrets.token_hex(16)
        if hide_names:
            from connectnet.privacy import pseudonymise

            data = pseudonymise(data, salt=secret)
        if within is not None and within not in data.people.columns:
            msg = (
                f"`within` {within!r} is not a column of the people table; choose one of "
                f"{sorted(map(str, data.people.columns))}."
            )
            raise ValueError(msg)
        src_group, tgt_group = _focal_groups(data.people, attr, source, target)
        overview = _Section("Overview", "overview")
        summary = original.summary()
        overview.table(summary.to_frame("value"), "What was loaded")
        group_sizes = data.people[attr].value_counts().rename("people").to_frame()
        overview.table(group_sizes, f"People by {attr}")
        overview.text(
            f"Focal question: how well does the {src_group} group connect to the "
            f"{tgt_group} group"
            + (f" in the same {within}" if within else "")
            + "? Names are "
            + ("replaced by pseudonymous codes." if hide_names else "shown as loaded.")
        )
        sections.append(overview)

        load = _Section("Load report: what was fixed, flagged or dropped", "load-report")
        load.text(
            "Every row read is either kept or listed here with the reason (rows read = rows "
            "kept + rows dropped, per table)."
        )
        load.table(original.counts, "Rows per table")
        if original.load_report.empty:
            load.text("Nothing to report: every row was read as it is.")
        else:
            # pseudonymise() already replaced ids and names in the reasons
            report_table = data.load_report if hide_names else original.load_report
            load.table(report_table, "Load report", index=False, max_rows=60)
            tables["load_report"] = report_table
        tables["row_counts"] = original.counts
        sections.append(load)

    # 2 ---------------------------------------------------------------- graphs
    with step(_STEPS[1]):
        has_attendance = not data.attendance.empty
        has_contacts = not data.contacts.empty
        G_att = build.coattendance_graph(data) if has_attendance else None
        waves: dict[Hashable, nx.Graph] = {}
        if has_contacts:
            if data.waves:
                waves = dict(build.snapshots(data, kind="contact", by="wave"))
            else:
                waves = {"all contacts": build.contact_graph(data)}
        graphs: dict[str, nx.Graph] = {}
        if G_att is not None:
            graphs["co-attendance"] = G_att
        for label, G in waves.items():
            graphs[f"contacts {label}"] = G
        main_label = list(graphs)[-1]
        undirected = {label: _union(G) for label, G in graphs.items()}  # built once
        main = undirected[main_label]

    # 3 ---------------------------------------------------------------- metrics
    with step(_STEPS[2]):
        metrics = _Section("Cohesion and bridging", "metrics")
        metrics.text(
            "One column per network. Co-attendance links people who attended the same event "
            "(weight = shared events); contact networks link people who reported knowing each "
            "other in a survey wave."
        )
        summaries = {}
        for label, U in undirected.items():
            summaries[label] = cohesion.cohesion_summary(U, attr, seed=rng_seed)
        summary_table = pd.DataFrame(summaries)
        metrics.table(summary_table, "Cohesion summary")
        tables["cohesion"] = summary_table

        ei_rows = {}
        reach_rows = {}
        reaches = {}
        for label, U in undirected.items():
            ei_rows[label] = bridging.group_ei_index(U, attr)
            reach = reaches[label] = brokers.cross_sector_reach(
                U, attr, src_group, tgt_group, within=within
            )
            reach_rows[label] = {
                "share reached": reach.share,
                "reached": len(reach.reached),
                "not reached": len(reach.not_reached),
            }
        ei_main = bridging.ei_test(main, attr, n_permutations=perms, seed=rng_seed)
        metrics.text(
            f"E-I index of the {main_label} network: {_fmt(ei_main.observed)} — "
            f"{_ei_words(ei_main.observed)}. If ties were formed at random the expected value "
            f"would be {_fmt(ei_main.expected)}; more external ties than chance: "
            f"{_p(ei_main.p_external)}; more internal than chance: {_p(ei_main.p_internal)}."
        )
        ei_table = pd.DataFrame(ei_rows)
        ei_table.index.name = attr
        metrics.table(ei_table, f"E-I index by {attr} (−1 all ties inside, +1 all outside)")
        tables["group_ei"] = ei_table
        tables["ei_test"] = ei_main.to_frame()
        group_ei_main = ei_rows[main_label]
        metrics.figure(
            _png(lambda ax: plots.plot_ei(group_ei_main, expected=ei_main.expected, ax=ax)),
            f"E-I index by {attr}, {main_label} network, with the value expected by chance",
        )
        mixing = bridging.mixing_matrix(main, attr)
        tables["mixing"] = mixing
        metrics.figure(
            _png(lambda ax: plots.plot_mixing(mixing, ax=ax), size=(7, 6)),
            f"Ties between {attr} groups, {main_label} network",
        )
        density = bridging.block_density(main, attr)
        tables["block_density"] = density
        metrics.table(density, "Tie density within and between groups (ties / possible pairs)")
        sections.append(metrics)

        focal = _Section(f"Focal question: {src_group} → {tgt_group}", "focal")
        reach_table = pd.DataFrame(reach_rows).T
        focal.text(
            f"Share of {src_group} people with a direct tie to someone in {tgt_group}"
            + (f" in the same {within}" if within else "")
            + ", by network."
        )
        focal.table(reach_table, "Cross-sector reach")
        tables["reach"] = reach_table
        main_reach = reaches[main_label]
        findings.append(
            f"In the {main_label} network {_fmt(100 * main_reach.share, 0)}% of {src_group} "
            f"people have a direct tie to someone in {tgt_group}"
            + (f" in the same {within}" if within else "")
            + f" ({len(main_reach.reached)} of "
            f"{len(main_reach.reached) + len(main_reach.not_reached)})."
        )
        findings.append(
            f"Its E-I index is {_fmt(ei_main.observed)}: {_ei_words(ei_main.observed)} "
            f"(random ties would give {_fmt(ei_main.expected)})."
        )
        if main_reach.not_reached:
            focal.text(
                f"In the {main_label} network {len(main_reach.not_reached)} {src_group} "
                f"people have no direct link to {tgt_group}: "
                + ", ".join(map(str, main_reach.not_reached[:30]))
                + (" ..." if len(main_reach.not_reached) > 30 else "")
            )
        sections.append(focal)

        bridgers = _Section("Key bridgers and succession risk", "bridgers")
        table = brokers.bridging_table(main, attr, seed=rng_seed)
        cols = [c for c in table.columns if c not in ("kind",)]
        bridgers.text(
            "People ranked by bridging importance in the "
            f"{main_label} network (cross-group ties, brokerage, betweenness, low constraint)."
        )
        bridgers.table(table[cols], "Top bridgers", max_rows=15)
        if len(table):
            top = table.index[0]
            who = main.nodes[top].get("name") if top in main else None
            findings.append(
                f"The leading bridger is {who + ' (' + str(top) + ')' if who else top} ({attr}: "
                f"{table.iloc[0].get('group', '?')}); see the bridgers section for who holds "
                "links that nobody else provides."
            )
        tables["bridging_table"] = table
        risk = brokers.bridging_risk(main, attr, src_group, tgt_group, within=within)
        bridgers.text(
            f"Succession risk: how much {src_group} → {tgt_group} reach falls if each person "
            "left. People at the top hold links that nobody else provides."
        )
        bridgers.table(risk, "Bridging risk", max_rows=10)
        tables["bridging_risk"] = risk
        sections.append(bridgers)

        structure = _Section("Structure: communities and core–periphery", "structure")
        comm = cohesion.communities(main, seed=rng_seed)
        comparison = cohesion.partition_comparison(main, attr, comm)
        structure.table(
            comparison.to_frame("value"), f"Detected communities compared with {attr} groups"
        )
        cp = cohesion.core_periphery(main, seed=rng_seed)
        tables["core_periphery"] = cp
        tables["communities"] = comm.to_frame()
        n_core = int(cp["core"].sum()) if "core" in cp else 0
        structure.text(
            f"Core–periphery: {n_core} of {len(cp)} people form the core of the "
            f"{main_label} network."
        )
        structure.figure(
            _png(
                lambda ax: plots.plot_network(main, color_by=attr, seed=rng_seed, ax=ax),
                size=(8, 7),
            ),
            f"The {main_label} network, coloured by {attr} (interactive version: map.html)",
        )
        sections.append(structure)

    # 4 ---------------------------------------------------------------- change
    with step(_STEPS[3]):
        change_section = _Section("Change between waves", "change")
        wave_labels = list(waves)
        if len(wave_labels) >= 2:
            first, last = waves[wave_labels[0]], waves[wave_labels[-1]]
            comp = change.compare(waves, attr, source=src_group, target=tgt_group, within=within)
            tables["compare"] = comp
            change_section.table(
                comp,
                "Metrics per wave with absolute and relative change, for the "
                f"{comp.attrs.get('n_nodes', '?')} people who answered every wave "
                f"({comp.attrs.get('n_excluded', 0)} left out: new, leaving or not responding)",
            )
            n_compared = int(comp.attrs.get("n_nodes", 0))
            n_left_out = int(comp.attrs.get("n_excluded", 0))
            if n_left_out > n_compared:
                change_section.text(
                    f"Caution: more people were left out ({n_left_out}) than compared "
                    f"({n_compared}). If the programme deliberately brought new people in "
                    "(for example 'significant local others'), the change among the people "
                    "compared does not describe the whole network: read the cohesion and "
                    "reach tables above, which use everyone in each wave."
                )
            change_section.figure(
                _png(lambda ax: plots.plot_change(comp, ax=ax)), "Metrics across waves"
            )
            ties = change.tie_changes(first, last, attr)
            tables["tie_changes"] = ties
            change_section.table(ties, f"Ties by {attr} pair: before, after, new, lost, kept")
            tests = []
            words = []
            specs: list[tuple[str, dict[str, Any]]] = [
                ("E-I index", {}),
                (
                    f"{src_group}–{tgt_group} tie density"
                    + (f" within the same {within}" if within else ""),
                    {"source": src_group, "target": tgt_group, "within": within},
                ),
            ]
            for name, options in specs:
                try:
                    res = change.ei_change_test(
                        first, last, attr, n_permutations=perms, seed=rng_seed, **options
                    )
                except ValueError as exc:
                    words.append(f"{name}: the test could not be run — {exc}")
                    continue
                tests.append((name, res))
                findings.append(
                    f"{name} changed from {_fmt(res.before, 3)} to {_fmt(res.after, 3)} between "
                    f"{wave_labels[0]} and {wave_labels[-1]} ({_p(res.p_value)}): "
                    f"{_significance(res.p_value)}."
                )
                words.append(
                    f"{name}: {_fmt(res.before, 3)} in {wave_labels[0]} → "
                    f"{_fmt(res.after, 3)} in {wave_labels[-1]} (change {res.observed:+.3f}; "
                    f"paired permutation test, {res.n_permutations} permutations, "
                    f"{_p(res.p_value)}, two-sided): {_significance(res.p_value)}."
                )
            if tests:
                first_res = tests[0][1]
                change_section.text(
                    "The tests compare the same people in both waves, so that people who "
                    "joined, left or skipped a survey do not look like lost or new ties: "
                    f"the {first_res.n_nodes} people who answered both waves; "
                    f"{first_res.n_excluded} were left out ({len(first_res.only_before)} "
                    f"answered only {wave_labels[0]}, {len(first_res.only_after)} only "
                    f"{wave_labels[-1]})."
                )
                tables["change_tests"] = pd.concat(
                    [res.to_frame().assign(test=name) for name, res in tests]
                )
            change_section.bullets(words)
            if has_attendance:
                exposure = change.exposure_effect(
                    data,
                    first,
                    last,
                    attr,
                    src_group,
                    tgt_group,
                    within=within,
                    n_permutations=perms,
                    seed=rng_seed,
                )
                tables["exposure_people"] = exposure.people
                tables["exposure_dose_response"] = exposure.dose_response
                change_section.text(
                    f"Did attending more events go with gaining {src_group}–{tgt_group} "
                    f"contacts? Correlation {_fmt(exposure.observed)} ({_p(exposure.p_value)}, "
                    f"permutation test): {_significance(exposure.p_value)}."
                )
                change_section.table(
                    exposure.dose_response, "Gain in cross-sector ties by events attended"
                )
        else:
            change_section.text(
                "Change tests need contact data from two or more survey waves; this dataset "
                f"has {len(wave_labels)}."
            )
        sections.append(change_section)

    # 5 ---------------------------------------------------------------- map and plots
    with step(_STEPS[4]):
        title = f"{main_label} network" + (f" — {data.source}" if data.source else "")
        positions = maps.map_layout(_union_all(main, waves), seed=rng_seed)
        size_by = "degree"
        maps.write_map(
            main,
            out / "map.html",
            color_by=attr,
            size_by=size_by,
            title=title,
            layout=positions,
            physics=False,
        )
        extra_maps = []
        if len(waves) >= 2:
            first_label = next(iter(waves))
            safe = "".join(ch if ch.isalnum() or ch in "-_" else "-" for ch in str(first_label))
            first_map = out / f"map-{safe}.html"
            maps.write_map(
                undirected[f"contacts {first_label}"],
                first_map,
                color_by=attr,
                size_by=size_by,
                title=f"contacts {first_label}",
                layout=positions,
                physics=False,
            )
            extra_maps.append(
                (first_map.name, f"contacts {first_label}: same layout, to compare with map.html")
            )
        if has_attendance:
            summary_att = build.attendance_summary(data)
            tables["attendance_events"] = summary_att.events
            tables["attendance_people"] = summary_att.people
            att_section = _Section("Attendance", "attendance")
            att_section.figure(
                _png(lambda ax: plots.plot_attendance(data, ax=ax), size=(9, 5)),
                "Attendance per event by sector",
            )
            att_section.table(summary_att.events, "Attendance per event", max_rows=40)
            sections.insert(2, att_section)

    # 6 ---------------------------------------------------------------- write
    with step(_STEPS[5]):
        export.write_tables(tables, out / "tables")
        export.write_gexf(main, out / "graph.gexf")
        links = [("map.html", f"interactive map of the {main_label} network"), *extra_maps]
        links += [
            ("tables/", "every table behind this report (CSV)"),
            ("graph.gexf", "the network for Gephi"),
        ]
        headline = _Section("Key findings", "findings")
        headline.bullets(findings)
        headline.text(
            "Each finding is explained, with its method and the people compared, in the "
            "sections below."
        )
        sections.insert(0, headline)
        index = out / "index.html"
        index.write_text(_page(data, sections, links, main_label), encoding="utf-8")
    return index


_CSS = """
body{font-family:system-ui,-apple-system,Segoe UI,Roboto,sans-serif;margin:0;color:#222;
line-height:1.45}
header{background:#0b3d62;color:#fff;padding:1.2em 2em}header h1{margin:0 0 .2em 0}
nav{background:#eef3f7;padding:.5em 2em}nav a{margin-right:1em;color:#0b3d62}
main{padding:0 2em 3em 2em;max-width:1200px}
section{border-bottom:1px solid #ddd;padding:1em 0}
table.data{border-collapse:collapse;font-size:.9em;margin:.5em 0}
table.data th,table.data td{border:1px solid #ccc;padding:.25em .5em;text-align:left;
font-variant-numeric:tabular-nums}
table.data th{background:#f3f5f7}
.scroll{overflow-x:auto}.caption{font-weight:600;margin-bottom:0}.note{color:#666}
figure{margin:1em 0}figure img{max-width:100%;height:auto;border:1px solid #eee}
figcaption{color:#555;font-size:.9em}
"""


def _page(
    data: Dataset, sections: list[_Section], links: list[tuple[str, str]], main_label: str
) -> str:
    nav = "".join(
        f"<a href='#{s.anchor}'>{html.escape(s.title.split(':')[0])}</a>" for s in sections
    )
    link_items = "".join(
        f"<li><a href='{html.escape(href)}'>{html.escape(href)}</a> — {html.escape(what)}</li>"
        for href, what in links
    )
    source = html.escape(str(data.source or "your data"))
    from connectnet import __version__

    return (
        "<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'>"
        "<meta name='viewport' content='width=device-width, initial-scale=1'>"
        f"<title>connectnet report — {source}</title><style>{_CSS}</style></head><body>"
        f"<header><h1>Network report</h1><div>{source} · made with connectnet "
        f"{html.escape(__version__)} · main network: {html.escape(main_label)}</div></header>"
        f"<nav>{nav}<a href='#files'>Files</a></nav><main>"
        + "".join(s.render() for s in sections)
        + f"<section id='files'><h2>Files</h2><ul>{link_items}</ul></section>"
        "</main></body></html>"
    )
