"""The conventions of issue 16 (docs/metrics.md, "Conventions"), one test each."""

from __future__ import annotations

import math

import networkx as nx
import numpy as np
import pandas as pd
import pytest

import connectnet as cn


def test_structural_holes_multigraph_collapses_unless_weighted():
    """Parallel edges count once without `weight` (as cohesion does); with `weight` their
    weights add up: two 0-1 edges of weight 1 act as one tie of strength 2."""
    M = nx.MultiGraph([(0, 1), (0, 1), (0, 2), (1, 2), (2, 3)])
    nx.set_edge_attributes(M, 1, "w")
    simple = nx.Graph(M)
    pd.testing.assert_frame_equal(cn.structural_holes(M), cn.structural_holes(simple))
    summed = nx.Graph(simple)
    nx.set_edge_attributes(summed, 1, "w")
    summed[0][1]["w"] = 2
    pd.testing.assert_frame_equal(
        cn.structural_holes(M, weight="w"), cn.structural_holes(summed, weight="w")
    )
    # node 3's only contact is 2: constraint 1 either way
    assert cn.structural_holes(M).loc[3, "constraint"] == pytest.approx(1.0)


def test_homophily_of_a_single_group_is_nan():
    G = nx.path_graph(4)
    nx.set_node_attributes(G, "a", "sector")
    assert math.isnan(cn.homophily(G).loc["a"])
    nx.set_node_attributes(G, {0: "a", 1: "a", 2: "b", 3: "b"}, "sector")
    assert not cn.homophily(G).isna().any()


def test_transitivity_without_a_connected_triple_is_nan():
    for G in (nx.empty_graph(3), nx.Graph([(0, 1), (2, 3)])):
        s = cn.cohesion_summary(G)
        assert math.isnan(s["transitivity"])
        assert math.isnan(s["average_clustering"])
        nx.set_node_attributes(G, "a", "sector")
        table = cn.compare([G, G], "sector")
        assert math.isnan(table.loc["transitivity", 0])
    # a path has a connected triple and no triangle: 0, not NaN
    assert cn.cohesion_summary(nx.path_graph(3))["transitivity"] == 0.0


def test_compare_reports_ei_change_as_a_difference():
    before = nx.Graph([(0, 1), (2, 3), (0, 2)])  # E-I -1/3
    after = nx.Graph([(0, 1), (2, 3), (0, 2), (1, 3)])  # E-I 0
    for G in (before, after):
        nx.set_node_attributes(G, {0: "p", 1: "p", 2: "n", 3: "n"}, "sector")
    table = cn.compare([before, after], "sector")
    assert table.loc["E-I index", "change 0→1"] == pytest.approx(1 / 3)
    assert np.isnan(table.loc["E-I index", "relative change 0→1"])
    assert table.loc["ties", "relative change 0→1"] == pytest.approx(1 / 3)
