"""Tests for connectnet.plots: what is drawn (legend, colours, counts, values)."""

from __future__ import annotations

import copy
import io

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import networkx as nx
import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from matplotlib.collections import LineCollection, PathCollection
from matplotlib.colors import to_hex

import connectnet as cn
from connectnet._palette import FIXED_COLOURS, PALETTE, UNKNOWN_COLOUR, group_colours
from connectnet.plots import (
    plot_attendance,
    plot_change,
    plot_ei,
    plot_mixing,
    plot_network,
)
from connectnet.privacy import pseudonym_codes

SALT = "plots-test-salt"


@pytest.fixture(autouse=True)
def _close_figures():
    plt.close("all")  # figures left open by earlier tests (e.g. doctests) in this process
    yield
    plt.close("all")


def _snapshot(G):
    return (
        copy.deepcopy(dict(G.graph)),
        [(n, copy.deepcopy(d)) for n, d in G.nodes(data=True)],
        [(u, v, copy.deepcopy(d)) for u, v, d in G.edges(data=True)],
    )


def _small_graph() -> nx.Graph:
    """Five people in two sectors plus one person with no sector and one organisation."""
    G = nx.Graph()
    G.add_node("a", name="Ann", sector="nhs", kind="person", events=1)
    G.add_node("b", name="Bob", sector="nhs", kind="person", events=3)
    G.add_node("c", name="Cat", sector="prison", kind="person", events=5)
    G.add_node("d", name="Dan", sector="prison", kind="person", events=2)
    G.add_node("e", name="Eve", kind="person", events=4)  # no sector → unknown
    G.add_node("o", name="HMP Example", sector="prison", kind="organisation")
    G.add_edge("a", "b", weight=1)
    G.add_edge("b", "c", weight=3)
    G.add_edge("c", "d", weight=2)
    G.add_edge("d", "e", weight=1)
    G.add_edge("c", "c", weight=5)  # self-loop: not drawn
    return G


def _scatter(ax):
    return [c for c in ax.collections if isinstance(c, PathCollection)]


def _edges(ax):
    return [c for c in ax.collections if isinstance(c, LineCollection)]


# ----------------------------------------------------------------------------- network


def test_plot_network_legend_colours_and_counts():
    G = _small_graph()
    before = _snapshot(G)
    fig, given_ax = plt.subplots()
    ax = plot_network(G, seed=3, ax=given_ax)
    assert ax is given_ax
    assert plt.get_fignums() == [fig.number]  # drew into the given axes only
    assert _snapshot(G) == before
    legend = ax.get_legend()
    assert [t.get_text() for t in legend.get_texts()] == ["nhs", "prison", "unknown"]
    assert legend.get_title().get_text() == "sector"
    palette = group_colours(["nhs", "prison"])
    expected = {"nhs": palette["nhs"], "prison": palette["prison"], "unknown": UNKNOWN_COLOUR}
    assert expected["nhs"] == FIXED_COLOURS["nhs"]  # fixed sector colours
    assert expected["prison"] == FIXED_COLOURS["prison"]
    handles = legend.legend_handles
    assert [to_hex(h.get_markerfacecolor()) for h in handles] == [
        c.lower() for c in expected.values()
    ]
    scatters = _scatter(ax)
    assert [s.get_label() for s in scatters] == ["nhs", "prison", "unknown"]
    assert [len(s.get_offsets()) for s in scatters] == [2, 3, 1]  # a,b | c,d,o | e
    for s in scatters:
        colours = {to_hex(c) for c in s.get_facecolors()}
        assert colours == {expected[s.get_label()].lower()}
    (edges,) = _edges(ax)
    assert len(edges.get_segments()) == 4  # the self-loop is left out
    assert not ax.axison


def test_plot_network_layout_is_seeded_and_positions_are_used():
    G = _small_graph()
    first = plot_network(G, seed=7)
    second = plot_network(G, seed=7)
    for s1, s2 in zip(_scatter(first), _scatter(second), strict=True):
        np.testing.assert_array_equal(s1.get_offsets(), s2.get_offsets())
    by_generator = [
        plot_network(G, seed=np.random.default_rng(5)),
        plot_network(G, seed=np.random.default_rng(5)),
    ]
    for s1, s2 in zip(*(_scatter(ax) for ax in by_generator), strict=True):
        np.testing.assert_array_equal(s1.get_offsets(), s2.get_offsets())
    pos = {n: (float(i), float(i * i)) for i, n in enumerate(G)}
    ax = plot_network(G, layout=pos)
    drawn = np.vstack([s.get_offsets() for s in _scatter(ax)])
    expected = np.array([pos[n] for n in ["a", "b", "c", "d", "o", "e"]])
    np.testing.assert_array_equal(drawn, expected)
    # edge b–c goes from pos[b] to pos[c]
    segments = [np.asarray(s) for s in _edges(ax)[0].get_segments()]
    assert any(np.array_equal(s, [pos["b"], pos["c"]]) for s in segments)


def test_plot_network_partial_layout_keeps_fixed_nodes():
    G = _small_graph()
    pos = {"a": (0.0, 0.0), "b": (1.0, 0.0), "c": (2.0, 1.0)}  # d, e, o are new
    ax = plot_network(G, layout=pos, seed=1)
    nhs = _scatter(ax)[0].get_offsets()
    np.testing.assert_allclose(nhs, [[0.0, 0.0], [1.0, 0.0]])
    assert sum(len(s.get_offsets()) for s in _scatter(ax)) == 6
    with pytest.raises(ValueError, match="pairs of finite numbers"):
        plot_network(G, layout={"a": (0.0, np.nan)})
    with pytest.raises(ValueError, match="must be one of"):
        plot_network(G, layout="hairball")
    with pytest.raises(TypeError, match="`layout` must be"):
        plot_network(G, layout=42)


def test_plot_network_size_by_attribute_and_series():
    G = _small_graph()
    ax = plot_network(G, seed=1, size_by="events", node_size=(10.0, 50.0))
    sizes = {s.get_label(): list(s.get_sizes()) for s in _scatter(ax)}
    # events 1..5 map linearly onto 10..50: a=1→10, b=3→30, c=5→50, d=2→20, e=4→40;
    # the organisation has no value → smallest size 10
    assert sizes == {"nhs": [10.0, 30.0], "prison": [50.0, 20.0, 10.0], "unknown": [40.0]}
    degree = pd.Series(dict(G.degree()), name="degree")
    ax = plot_network(G, seed=1, size_by=degree, node_size=(0.0, 1.0))
    offsets = {s.get_label(): list(s.get_sizes()) for s in _scatter(ax)}
    # degrees a1 b2 c4 (self-loop counts 2) d2 e1 o0 → scaled by /4
    assert offsets == {"nhs": [0.25, 0.5], "prison": [1.0, 0.5, 0.0], "unknown": [0.25]}
    by_name = plot_network(G, seed=1, size_by="degree", node_size=(0.0, 1.0))
    assert {s.get_label(): list(s.get_sizes()) for s in _scatter(by_name)} == offsets
    strength = plot_network(G, seed=1, size_by="strength", node_size=(0.0, 14.0))
    # weighted degree a1 b4 c15 (loop 5 twice) d3 e1 o0 → scaled by 14/15
    drawn = np.concatenate([s.get_sizes() for s in _scatter(strength)])  # nhs, prison, unknown
    assert drawn == pytest.approx([14 / 15, 56 / 15, 14.0, 42 / 15, 0.0, 14 / 15])
    with pytest.raises(ValueError, match="neither a built-in metric"):
        plot_network(G, size_by="nope")
    with pytest.raises(ValueError, match="must be numbers"):
        plot_network(G, size_by="name")
    with pytest.raises(TypeError, match="`size_by` must be"):
        plot_network(G, size_by=3)


def test_plot_network_colour_options_and_edge_widths():
    G = _small_graph()
    ax = plot_network(G, seed=1, color_by=None)
    (only,) = _scatter(ax)
    assert len(only.get_offsets()) == 6
    assert {to_hex(c) for c in only.get_facecolors()} == {PALETTE[0].lower()}
    assert ax.get_legend() is None
    groups = pd.Series({"a": 1, "b": 1, "c": 2}, name="community")
    ax = plot_network(G, seed=1, color_by=groups)
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["1", "2", "unknown"]
    assert ax.get_legend().get_title().get_text() == "community"
    widths = sorted(_edges(ax)[0].get_linewidths())
    # weights 1, 1, 2, 3 → 0.5 + 2.5 * (w - 1) / 2
    assert widths == pytest.approx([0.5, 0.5, 1.75, 3.0])
    with pytest.raises(TypeError, match="`color_by` must be"):
        plot_network(G, color_by=5)
    with pytest.raises(TypeError, match="`G` must be a networkx graph"):
        plot_network({"a": 1})


def test_plot_network_labels_and_hidden_names():
    G = _small_graph()
    ax = plot_network(G, seed=1, labels=True)
    assert sorted(t.get_text() for t in ax.texts) == sorted(
        ["Ann", "Bob", "Cat", "Dan", "Eve", "HMP Example"]
    )
    ax = plot_network(G, seed=1, labels=True, hide_names=True, salt=SALT)
    texts = sorted(t.get_text() for t in ax.texts)
    codes = pseudonym_codes(["a", "b", "c", "d", "e"], salt=SALT)
    assert texts == sorted([*codes.tolist(), "HMP Example"])  # organisations keep names
    ax = plot_network(G, seed=1, labels=True, hide_names=True)  # random salt
    assert not {"Ann", "Bob", "a", "b"} & {t.get_text() for t in ax.texts}
    assert not plot_network(G, seed=1, hide_names=True).texts  # nothing to hide without labels


def test_plot_network_empty_graph():
    ax = plot_network(nx.Graph())
    assert not ax.collections
    assert ax.get_legend() is None


@settings(deadline=None, max_examples=20)
@given(
    n=st.integers(1, 12),
    p=st.floats(0, 1),
    sectors=st.lists(st.sampled_from(["nhs", "prison", "civil", None]), min_size=12, max_size=12),
    seed=st.integers(0, 10),
)
def test_plot_network_draws_every_node_once_in_its_palette_colour(n, p, sectors, seed):
    G = nx.gnp_random_graph(n, p, seed=seed)
    for node in G:
        if sectors[node] is not None:
            G.nodes[node]["sector"] = sectors[node]
    before = _snapshot(G)
    ax = plot_network(G, seed=seed)
    assert _snapshot(G) == before
    scatters = _scatter(ax)
    assert sum(len(s.get_offsets()) for s in scatters) == n
    labels = [G.nodes[v].get("sector", "unknown") for v in G]
    known = sorted({x for x in labels if x != "unknown"})
    legend = known + (["unknown"] if "unknown" in labels else [])
    assert [t.get_text() for t in ax.get_legend().get_texts()] == legend
    palette = group_colours(labels)
    for s in scatters:
        assert {to_hex(c) for c in s.get_facecolors()} == {palette[s.get_label()].lower()}
        assert len(s.get_offsets()) == labels.count(s.get_label())
    plt.close("all")


# ----------------------------------------------------------------------------- mixing


def test_plot_mixing_dataframe_annotations_ticks_labels():
    table = pd.DataFrame(
        [[4, 1, 0], [1, 6, 2], [0, 2, 0]],
        index=pd.Index(["civil", "nhs", "prison"], name="sector"),
        columns=pd.Index(["civil", "nhs", "prison"], name="sector"),
    )
    before = table.copy()
    ax = plot_mixing(table)
    pd.testing.assert_frame_equal(table, before)
    assert [t.get_text() for t in ax.texts] == [str(v) for v in table.to_numpy().ravel()]
    assert [t.get_text() for t in ax.get_xticklabels()] == ["civil", "nhs", "prison"]
    assert [t.get_text() for t in ax.get_yticklabels()] == ["civil", "nhs", "prison"]
    assert ax.get_xlabel() == "sector"
    assert ax.get_ylabel() == "sector"
    np.testing.assert_array_equal(ax.images[0].get_array(), table.to_numpy())
    # the darkest cell (6) has white text, the lightest (0) black
    assert ax.texts[4].get_color() == "white"
    assert ax.texts[2].get_color() == "black"


def test_plot_mixing_graph_uses_mixing_matrix_and_marks_missing():
    G = _small_graph()
    G.remove_node("o")
    G.nodes["e"]["sector"] = "civil"
    expected = cn.mixing_matrix(G, "sector")
    ax = plot_mixing(G, "sector")
    assert [t.get_text() for t in ax.texts] == [
        f"{v:.0f}" for v in expected.to_numpy(float).ravel()
    ]
    D = G.to_directed()
    ax = plot_mixing(D)
    assert ax.get_ylabel() == "sector (from)"
    assert ax.get_xlabel() == "sector (to)"
    density = pd.DataFrame([[np.nan, 0.5], [0.5, 1 / 3]], index=["a", "b"], columns=["a", "b"])
    ax = plot_mixing(density)
    assert [t.get_text() for t in ax.texts] == ["–", "0.50", "0.50", "0.33"]
    assert ax.images[0].get_array().mask[0, 0]
    ax = plot_mixing(density, fmt=".0%")
    assert [t.get_text() for t in ax.texts][1:] == ["50%", "50%", "33%"]
    with pytest.raises(TypeError, match="`matrix_or_graph` must be"):
        plot_mixing([[1, 2], [3, 4]])
    with pytest.raises(ValueError, match="empty"):
        plot_mixing(pd.DataFrame())
    with pytest.raises(ValueError, match="numbers only"):
        plot_mixing(pd.DataFrame([["x"]]))


# ----------------------------------------------------------------------------- E-I


def test_plot_ei_bars_colours_expected():
    ei = pd.Series(
        {"civil": 0.5, "nhs": -0.25, "prison": np.nan},
        name="group_ei_index",
    ).rename_axis("sector")
    before = ei.copy()
    ax = plot_ei(ei, expected=-0.1)
    pd.testing.assert_series_equal(ei, before)
    bars = ax.patches
    assert len(bars) == 3
    assert [float(b.get_height()) for b in bars[:2]] == [0.5, -0.25]
    assert not bars[2].get_visible()  # NaN: no bar
    palette = group_colours(["civil", "nhs", "prison"])
    assert [to_hex(b.get_facecolor()) for b in bars] == [
        palette[g].lower() for g in ["civil", "nhs", "prison"]
    ]
    assert [t.get_text() for t in ax.get_xticklabels()] == ["civil", "nhs", "prison"]
    assert ax.get_xlabel() == "sector"
    assert ax.get_ylabel() == "E-I index"
    expected_lines = [line for line in ax.lines if line.get_label() == "expected by chance"]
    assert len(expected_lines) == 1
    assert list(expected_lines[0].get_ydata()) == [-0.1, -0.1]
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["expected by chance"]
    assert ax.get_ylim() == (-1.1, 1.1)


def test_plot_ei_expected_per_group_and_errors():
    ei = pd.Series({"nhs": -0.5, "prison": 0.2})
    ax = plot_ei(ei, expected=pd.Series({"prison": 0.4, "nhs": 0.1}))
    (lines,) = [c for c in ax.collections if c.get_label() == "expected by chance"]
    segments = lines.get_segments()
    assert [s[0][1] for s in segments] == [0.1, 0.4]  # reordered to the bars' groups
    assert plot_ei(ei).get_legend() is None
    with pytest.raises(ValueError, match="between -1 and 1"):
        plot_ei(pd.Series({"a": 1.5}))
    with pytest.raises(TypeError, match="`group_ei` must be a pandas Series"):
        plot_ei({"a": 0.1})


# ----------------------------------------------------------------------------- change


def _two_waves():
    before = nx.Graph([(0, 1), (2, 3), (0, 2)])
    after = nx.Graph([(0, 1), (2, 3), (0, 2), (1, 3)])
    for G in (before, after):
        nx.set_node_attributes(G, {0: "prison", 1: "prison", 2: "nhs", 3: "nhs"}, "sector")
    return cn.compare({"baseline": before, "follow-up": after})


def test_plot_change_from_compare_table():
    table = _two_waves()
    before = table.copy()
    ax = plot_change(table)
    pd.testing.assert_frame_equal(table, before)
    assert table.attrs  # compare() records its people lists there
    assert table.attrs == before.attrs  # and plot_change leaves them alone
    assert [t.get_text() for t in ax.get_xticklabels()] == ["baseline", "follow-up"]
    waves = table[["baseline", "follow-up"]].astype(float)
    on_scale = [
        m
        for m in waves.index
        if (waves.loc[m].abs() <= 1).all() and not m.startswith("block density ")
    ]
    assert "ties" not in on_scale
    assert "density" in on_scale
    assert [line.get_label() for line in ax.lines] == [str(m) for m in on_scale]
    assert [t.get_text() for t in ax.get_legend().get_texts()] == [str(m) for m in on_scale]
    for line, metric in zip(ax.lines, on_scale, strict=True):
        np.testing.assert_allclose(line.get_ydata(), waves.loc[metric].to_numpy())
    ax = plot_change(table, metrics=["ties", "block density nhs–prison"])
    ties, between = ax.lines
    assert list(ties.get_ydata()) == [3.0, 4.0]
    # 1 of 4 possible nhs–prison pairs before, 2 of 4 after
    assert list(between.get_ydata()) == [0.25, 0.5]


def test_plot_change_plain_table_and_errors():
    table = pd.DataFrame(
        {"w1": [100.0, 0.1], "w2": [120.0, np.nan], "w3": [90.0, 0.3]}, index=["people", "density"]
    )
    ax = plot_change(table)
    (line,) = ax.lines
    assert line.get_label() == "density"
    assert np.isnan(line.get_ydata()[1])
    ax = plot_change(table.loc[["people"]])  # nothing on the -1..1 scale: draw all
    assert [line.get_label() for line in ax.lines] == ["people"]
    ax = plot_change(table, waves=["w3", "w1"])
    assert [t.get_text() for t in ax.get_xticklabels()] == ["w3", "w1"]
    with pytest.raises(ValueError, match="are not rows"):
        plot_change(table, metrics=["nope"])
    with pytest.raises(ValueError, match="are not columns"):
        plot_change(table, waves=["w9"])
    with pytest.raises(TypeError, match="`table` must be a DataFrame"):
        plot_change(table.iloc[0])


# ----------------------------------------------------------------------------- attendance


def _expected_attendance(data):
    """Independent pandas computation: sector counts and first-timers per event."""
    att = data.attendance.merge(
        data.people[["sector"]], left_on="person_id", right_index=True, how="left"
    )
    order = data.events.sort_values("date", kind="stable").index
    counts = pd.crosstab(att["event_id"], att["sector"]).reindex(order, fill_value=0)
    rank = pd.Series(np.arange(len(order)), index=order)
    att["rank"] = att["event_id"].map(rank)
    first = att.groupby("person_id")["rank"].min()
    first_timers = first.value_counts().reindex(np.arange(len(order)), fill_value=0)
    return counts, first_timers.to_numpy()


def test_plot_attendance_from_dataset_by_sector():
    data = cn.load_sample("prison_health")
    people_before = data.people.copy()
    ax = plot_attendance(data)
    pd.testing.assert_frame_equal(data.people, people_before)
    counts, first_timers = _expected_attendance(data)
    sectors = sorted(counts.columns)
    assert [t.get_text() for t in ax.get_legend().get_texts()] == [*sectors, "first-timers"]
    palette = group_colours(data.people["sector"])
    assert len(ax.containers) == len(sectors)
    for container, sector in zip(ax.containers, sectors, strict=True):
        assert [float(b.get_height()) for b in container] == counts[sector].tolist()
        assert {to_hex(b.get_facecolor()) for b in container} == {palette[sector].lower()}
    (line,) = ax.lines
    assert line.get_ydata().tolist() == first_timers.tolist()
    ticks = [t.get_text() for t in ax.get_xticklabels()]
    assert len(ticks) == len(counts.index)
    # each bar is named by its event's title and date, not its id
    assert ticks[0] == "National Prison Health Ne…, 14 Mar 2023"
    assert ticks[1] == "East Midlands regional fo…, 03 Apr 2023"
    assert ax.get_ylabel() == "attendees"


def test_plot_attendance_sums_many_events_per_month():
    events = pd.DataFrame(
        {
            "date": pd.date_range("2024-01-01", periods=40, freq="D"),
            "attendees": 2,
            "first_timers": 1,
            "returners": 1,
            "sector_nhs": 2,
        },
        index=pd.Index([f"e{i}" for i in range(40)], name="event_id"),
    )
    ax = plot_attendance(events)
    # 31 events in January, 9 in February: two bars
    assert [t.get_text() for t in ax.get_xticklabels()] == [
        "Jan 2024 (31 events)",
        "Feb 2024 (9 events)",
    ]
    assert [float(b.get_height()) for b in ax.containers[0]] == [62.0, 18.0]


def test_plot_attendance_many_events_cost_bounded():
    # 1,000 events x 3 sectors would be 3,000 rectangles and 1,000 tick labels; above 200
    # events each bar is the mean of k = ceil(1000 / 200) = 5 consecutive events
    n = 1000
    rng = np.random.default_rng(0)
    events = pd.DataFrame(
        {f"sector_{s}": rng.integers(0, 30, n) for s in ("nhs", "prison", "police")},
        index=pd.Index([f"e{i:04d}" for i in range(n)], name="event_id"),
    )
    events["first_timers"] = rng.integers(0, 10, n)
    ax = plot_attendance(events)
    assert [len(c) for c in ax.containers] == [200, 200, 200]
    nhs = events["sector_nhs"].to_numpy().reshape(200, 5).mean(axis=1)
    assert [float(b.get_height()) for b in ax.containers[0]] == pytest.approx(nhs.tolist())
    (line,) = ax.lines
    ft = events["first_timers"].to_numpy().reshape(200, 5).mean(axis=1)
    assert line.get_ydata().tolist() == pytest.approx(ft.tolist())
    labels = [t.get_text() for t in ax.get_xticklabels()]
    assert len(labels) == 20
    assert labels[0] == "e0000"  # each bar is labelled with its first event
    assert labels[-1] == "e0995"
    assert ax.get_ylabel() == "attendees per event (mean of 5)"
    assert "5 consecutive events" in ax.get_xlabel()
    # at the limit, still one bar per event and sector, every event labelled
    ax = plot_attendance(events.iloc[:200])
    assert [len(c) for c in ax.containers] == [200, 200, 200]
    assert len(ax.get_xticklabels()) == 200
    assert ax.get_ylabel() == "attendees"


def test_plot_attendance_first_time_and_summary_inputs():
    data = cn.load_sample("prison_health")
    summary = cn.attendance_summary(data)
    ax = plot_attendance(summary, by="first_time")
    first, returners = ax.containers
    assert [float(b.get_height()) for b in first] == summary.events["first_timers"].tolist()
    assert [float(b.get_height()) for b in returners] == summary.events["returners"].tolist()
    tops = [b.get_y() + b.get_height() for b in returners]
    assert tops == summary.events["attendees"].astype(float).tolist()
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["first-timers", "returners"]
    ax = plot_attendance(summary.events)
    assert len(ax.containers) == sum(c.startswith("sector_") for c in summary.events.columns)
    with pytest.raises(ValueError, match="`by` must be"):
        plot_attendance(summary, by="role")
    with pytest.raises(ValueError, match="sector_<label>"):
        plot_attendance(pd.DataFrame({"attendees": [1]}))
    with pytest.raises(ValueError, match="first_timers"):
        plot_attendance(pd.DataFrame({"attendees": [1]}), by="first_time")
    with pytest.raises(TypeError, match="`summary_events` must be"):
        plot_attendance([1, 2])


# ----------------------------------------------------------------------------- plots match maps


def _node_colours_in_plot(ax, G, layout_xy):
    """node → hex colour drawn, matched through the drawn positions."""
    colour_at = {}
    for s in _scatter(ax):
        (colour,) = {to_hex(c) for c in s.get_facecolors()}  # one colour per group
        for x, y in s.get_offsets():
            colour_at[round(float(x), 6), round(float(y), 6)] = colour
    return {v: colour_at[round(layout_xy[v][0], 6), round(layout_xy[v][1], 6)] for v in G}


def test_plot_network_default_layout_is_the_map_layout_y_flipped():
    # The maps draw in screen coordinates (y down); plots have y up, so the plot's default
    # layout is the map's positions with y negated: the two pictures look the same.
    G = nx.connected_caveman_graph(3, 4)
    nx.set_node_attributes(G, {v: ["nhs", "prison", "civil"][v % 3] for v in G}, "sector")
    map_xy = cn.network_map(G, seed=5).positions()
    ax = plot_network(G, seed=5)
    drawn = {tuple(np.round(p, 6)) for s in _scatter(ax) for p in s.get_offsets()}
    expected = {(round(x, 6), round(-y, 6)) for x, y in map_xy.values()}
    assert drawn == expected
    pos = cn.map_layout(G, seed=5)
    assert all(pos[v] == pytest.approx(map_xy[v]) for v in G)


def test_map_and_plot_give_every_group_the_same_colour():
    # blank text, NaN, None and "unknown" are all the grey "unknown" group in both, so
    # they do not shift the palette colours of the real sectors
    G = nx.path_graph(7)
    sectors = ["nhs", "  ", "prison", np.nan, None, "unknown", "civil"]
    for v, sector in zip(G, sectors, strict=True):
        if sector is not None:
            G.nodes[v]["sector"] = sector
    nodes = cn.network_map(G, seed=2).nodes
    map_colour = {v: c.lower() for v, c in nodes["colour"].items()}
    ax = plot_network(G, seed=2)
    xy = {v: (x, -y) for v, x, y in zip(nodes.index, nodes["x"], nodes["y"], strict=True)}
    assert _node_colours_in_plot(ax, G, xy) == map_colour
    palette = group_colours(["civil", "nhs", "prison"])
    assert map_colour[0] == palette["nhs"].lower()
    assert map_colour[2] == palette["prison"].lower()
    assert {map_colour[v] for v in (1, 3, 4, 5)} == {UNKNOWN_COLOUR.lower()}
    assert [t.get_text() for t in ax.get_legend().get_texts()] == [
        "civil",
        "nhs",
        "prison",
        "unknown",
    ]


def test_plot_network_hidden_names_in_attendance_graph_are_bare_codes():
    # people in attendance graphs are ("person", id) nodes: labelled by the same code as
    # in the maps, not by the text of a tuple; a missing name falls back to the id
    B = nx.Graph()
    B.add_node(("person", "p1"), kind="person", name="Ann Smith")
    B.add_node(("event", "e1"), kind="event", name=np.nan)
    B.add_edge(("person", "p1"), ("event", "e1"))
    ax = plot_network(B, seed=1, labels=True, hide_names=True, salt=SALT)
    code = pseudonym_codes(["p1"], salt=SALT)["p1"]
    assert sorted(t.get_text() for t in ax.texts) == sorted([code, "('event', 'e1')"])
    nodes = cn.network_map(B, seed=1, hide_names=True, salt=SALT).nodes
    assert nodes["label"].iloc[0] == code


def test_empty_inputs_give_empty_axes_or_a_clear_error():
    ax = plot_ei(pd.Series([], dtype=float, name="group_ei_index"))
    assert len(ax.patches) == 0
    assert ax.get_legend() is None
    empty_events = pd.DataFrame(
        {"first_timers": [], "returners": [], "sector_nhs": []},
        index=pd.Index([], name="event_id"),
    )
    for by in ("sector", "first_time"):
        ax = plot_attendance(empty_events, by=by)
        assert all(len(c) == 0 for c in ax.containers)
    with pytest.raises(ValueError, match="no metric values"):
        plot_change(pd.DataFrame())
    with pytest.raises(ValueError, match="empty"):
        plot_mixing(pd.DataFrame())


def test_dollar_signs_in_labels_are_drawn_as_written_not_as_mathtext():
    # "$\nhs$" would be parsed as mathtext and fail to draw (unknown symbol \nhs)
    odd = "Fund $\\nhs$ grant"
    G = nx.Graph()
    G.add_node("a", sector=odd, name="A $x$")
    G.add_node("b", sector="nhs")
    G.add_edge("a", "b", weight=1)
    ax = plot_network(G, color_by="sector", seed=1, labels=True)
    legend = [t.get_text() for t in ax.get_legend().get_texts()]
    assert "Fund \\$\\nhs\\$ grant" in legend
    assert "A \\$x\\$" in [t.get_text() for t in ax.texts]
    ax.figure.savefig(io.BytesIO(), format="png")  # draws without a mathtext error
    ax = plot_ei(cn.group_ei_index(G, "sector"))
    ax.figure.savefig(io.BytesIO(), format="png")
    plt.close("all")


def test_sector_colours_are_fixed_by_label_across_datasets():
    from connectnet._palette import fixed_colour

    one = group_colours(["nhs", "prison"])
    two = group_colours(["Local Authority", "NHS", "police", "voluntary", "zoo", "aardvark"])
    assert one["nhs"] == two["NHS"] == fixed_colour("nhs ")
    assert two["Local Authority"] == FIXED_COLOURS["local authority"]
    assert fixed_colour("local_authority") == FIXED_COLOURS["local authority"]
    # other labels take the free colours in sorted order, never a fixed one
    assert two["aardvark"] != two["zoo"]
    assert {two["aardvark"], two["zoo"]}.isdisjoint(FIXED_COLOURS.values())
    assert list(group_colours(["b", "a", None])) == ["a", "b", None]  # sorted, unknown last
