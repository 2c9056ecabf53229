"""The report at organisation level, for a :class:`~connectnet.LazyDataset` with more
people than the person-level report handles (``_limits.MAX_PERSON_MAP_NODES``).

Every figure is an aggregation the engine computes (organisation and sector graphs,
contact mixing by group per wave), so the tables never hold a row per person. The page
says, first, why it is at organisation level.
"""

from __future__ import annotations

from pathlib import Path

import networkx as nx
import pandas as pd

from connectnet._limits import MAX_PERSON_MAP_NODES
from connectnet._output import report_folder
from connectnet.engine import LazyDataset
from connectnet.report._html import Section, ei_words, fmt, page

__all__: list[str] = []

#: Organisations listed by tie strength on the page (all are in tables/organisations.csv).
_TOP = 20


def too_many_people(lazy: LazyDataset) -> bool:
    """Whether the person level is beyond the report's limit."""
    return _people(lazy) > MAX_PERSON_MAP_NODES


def _people(lazy: LazyDataset) -> int:
    counts = lazy.counts
    return int(counts.loc["people", "kept"] + counts.loc["people", "added"])


def _ei_of_group_graph(H: nx.Graph) -> float:
    """E-I of the person ties a group graph sums: loops are ties inside a group."""
    internal = sum(w for u, v, w in H.edges(data="weight") if u == v)
    total = sum(w for _, _, w in H.edges(data="weight"))
    external = total - internal
    return float((external - internal) / total) if total else float("nan")


def _load_report(lazy: LazyDataset) -> pd.DataFrame:
    out = lazy.load_report.copy()
    for col in ("first_rows", "values"):
        out[col] = out[col].map(lambda v: ", ".join(map(str, v)))
    return out


def _organisation_table(H: nx.Graph) -> pd.DataFrame:
    rows = []
    for node, attrs in H.nodes(data=True):
        strength = sum(w for _, v, w in H.edges(node, data="weight") if v != node)
        rows.append(
            {
                "organisation_id": node,
                "name": attrs.get("name"),
                "sector": attrs.get("sector"),
                "region": attrs.get("region"),
                "people": attrs.get("size", 0),
                "partners": sum(1 for v in H[node] if v != node),
                "shared attendance": strength,
            }
        )
    table = pd.DataFrame(rows).set_index("organisation_id")
    return table.sort_values(["shared attendance", "people"], ascending=False, kind="stable")


def organisation_report(
    lazy: LazyDataset, out: str | Path, *, attr: str = "sector", force: bool = False
) -> Path:
    """Write the organisation-level report of ``lazy`` into ``out``; return index.html."""
    n_people = _people(lazy)
    tables: dict[str, pd.DataFrame] = {}
    sections: list[Section] = []

    scale = Section("Why organisation level", "scale")
    scale.text(
        f"This dataset has {n_people:,} people, more than the {MAX_PERSON_MAP_NODES:,} the "
        "person-level report draws and analyses, so this report is made at organisation "
        f"level: every figure below aggregates people to organisations and {attr} groups, "
        f"computed in {lazy.backend.name} without loading the rows into memory. "
        "Person-level networks, brokers, maps and change tests are not computed; run them "
        "on a subset (one region, one programme) with read_dataset."
    )
    sections.append(scale)

    load = Section("Load report: what was fixed, flagged or dropped", "load-report")
    tables["rows_per_table"] = lazy.counts
    load.table(lazy.counts, "Rows per table (read = kept + dropped).")
    tables["load_report"] = _load_report(lazy)
    if lazy.load_report.empty:
        load.text("Nothing to report: every row was read as it is.")
    else:
        load.table(tables["load_report"], "Every rule that found rows: how many, the first.")
    sections.append(load)

    H = lazy.organisation_graph()
    S = lazy.sector_graph(attr=attr) if attr != "sector" else lazy.sector_graph()
    orgs = Section("Organisations: who meets whom", "organisations")
    organisations = _organisation_table(H)
    tables["organisations"] = organisations
    orgs.text(
        f"{H.number_of_nodes():,} organisations; {H.number_of_edges():,} pairs of "
        "organisations whose people attended at least one event together (tie weight: the "
        "number of person pairs that shared an event, summed over events)."
    )
    orgs.table(
        organisations.head(_TOP),
        f"The {_TOP} organisations with the most shared attendance with other organisations.",
    )
    sections.append(orgs)

    mixing = Section(f"Co-attendance between {attr} groups", "sector-mixing")
    ties = pd.DataFrame(
        [(u, v, w) for u, v, w in S.edges(data="weight")], columns=["group", "with", "weight"]
    )
    tables["group_coattendance"] = ties
    ei = _ei_of_group_graph(S)
    mixing.text(
        f"E-I index of co-attendance ties between {attr} groups: {fmt(ei)} ({ei_words(ei)}). "
        "Each pair of people at the same event is one tie; a row with a group paired with "
        "itself counts the ties inside it."
    )
    mixing.table(ties.sort_values("weight", ascending=False), "Co-attendance ties by group.")
    sections.append(mixing)

    contacts = Section(f"Contacts between {attr} groups, per wave", "contacts")
    if int(lazy.counts.loc["contacts", "kept"]) == 0:
        contacts.text("No contacts table, so there are no reported ties to compare.")
    waves: list[str | None] = list(lazy.waves)
    if not waves and int(lazy.counts.loc["contacts", "kept"]):
        waves = [None]  # contacts without waves: one graph of them all
    for wave in waves:
        G = lazy.contact_graph(wave=wave, symmetrise="union")
        matrix = G.mixing_matrix(attr)
        name = "all" if wave is None else str(wave)
        tables[f"contact_mixing_{name}"] = matrix
        ei = G.ei_index(attr)
        group = G.group_ei_index(attr)
        tables[f"contact_group_ei_{name}"] = group.to_frame()
        contacts.text(
            f"Wave {name}: E-I index of reported ties (either person named the other) "
            f"{fmt(ei)} ({ei_words(ei)})."
        )
        contacts.table(
            matrix, f"Ties between groups, wave {name} (diagonal: twice the ties inside)."
        )
        contacts.table(group.to_frame(), f"E-I index of each group, wave {name}.")
    sections.append(contacts)

    from connectnet import export

    with report_folder(out, force=force) as tmp:
        export.write_tables(tables, tmp / "tables")
        export.write_gexf(H, tmp / "graph.gexf")
        links = [
            ("tables/", "every table behind this report (CSV)"),
            ("graph.gexf", "the organisation network for Gephi"),
        ]
        index = tmp / "index.html"
        source = f"{lazy.source or 'your data'} (organisation level)"
        index.write_text(
            page(source, sections, links, "organisations (co-attendance)"), encoding="utf-8"
        )
    return Path(out) / "index.html"
