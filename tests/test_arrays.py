"""The private graph-to-arrays helper shared by every vectorised metric."""

from __future__ import annotations

import networkx as nx
import numpy as np
import pytest

from connectnet._arrays import graph_arrays, require_groups


def test_codes_follow_sorted_labels_and_missing_is_minus_one():
    G = nx.Graph()
    G.add_nodes_from([("a", {"s": "nhs"}), ("b", {"s": "prison"}), ("c", {})])
    G.add_edge("a", "b", weight=2.5)
    ga = graph_arrays(G, "s", weight="weight")
    assert ga.groups == ["nhs", "prison"]
    assert ga.codes.tolist() == [0, 1, -1]
    assert ga.weight.tolist() == [2.5]
    with pytest.raises(ValueError, match="1 node"):
        require_groups(ga, "s")


def test_no_node_has_the_attribute():
    G = nx.path_graph(3)
    ga = graph_arrays(G, "sector")
    assert ga.groups == []
    assert ga.codes.tolist() == [-1, -1, -1]


def test_adjacency_is_symmetric_for_undirected_graphs():
    G = nx.Graph([(0, 1), (1, 2), (2, 2)])
    A = graph_arrays(G).adjacency().toarray()
    assert np.array_equal(A, nx.to_numpy_array(G, nodelist=[0, 1, 2]))
