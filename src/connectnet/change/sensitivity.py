"""Non-response sensitivity: does a change in E-I or density depend on how the ties of
people who did not answer the survey are treated?"""

from __future__ import annotations

from collections.abc import Hashable
from typing import Any

import networkx as nx
import numpy as np
import pandas as pd

from connectnet.change._alignment import _given_respondents, _participants
from connectnet.change._common import _check_pair, _rng
from connectnet.change.permutation import ei_change_test

TREATMENTS = ("missing = no tie", "reconstructed from the other person's report")
_ALL = "__connectnet_all__"


def _reconstructed(G: nx.DiGraph, answered: set[Hashable]) -> tuple[nx.DiGraph, int]:
    """A copy of ``G`` in which each non-respondent ``i`` also names everyone who named
    them (``j → i`` reported implies ``i → j``); and the number of arcs added."""
    H = G.copy()
    added = [(i, j) for j, i in G.edges() if i not in answered and not G.has_edge(i, j)]
    H.add_edges_from(added)
    return H, len(added)


def nonresponse_sensitivity(
    before: nx.DiGraph,
    after: nx.DiGraph,
    attr: str = "sector",
    *,
    statistic: str = "ei",
    source: Hashable | None = None,
    target: Hashable | None = None,
    respondents: Any = None,
    n_permutations: int = 1000,
    seed: int | np.random.Generator | None = None,
) -> pd.DataFrame:
    """A change in E-I, density or a block density under two treatments of non-response,
    side by side.

    In a contact survey, a person who did not answer has no reported ties of their own.
    ``"missing = no tie"`` takes the survey as it is (a non-respondent named nobody);
    ``"reconstructed from the other person's report"`` adds, for each non-respondent,
    the ties that respondents reported with them, in the other direction (reciprocity
    imputation). If the change has the same sign and a similar size under both, it does
    not hinge on who answered.

    Parameters
    ----------
    before, after
        The two waves as directed contact graphs (``source`` reported ``target``), e.g.
        :func:`connectnet.contact_graph` with ``symmetrise=None``.
    attr
        Node attribute with each person's group.
    statistic
        ``"ei"`` (E-I index of ``attr``), ``"density"`` or ``"block_density"`` (arcs
        from ``source`` to ``target`` people).
    source, target
        The groups for ``"block_density"``.
    respondents
        Who answered: a collection (answered both waves) or a pair ``(before_ids,
        after_ids)``. Default: ``G.graph["respondents"]`` of each wave, or else the
        people who reported at least one contact.
    n_permutations, seed
        For the dyad-swap test (:func:`ei_change_test`) under each treatment.

    Returns
    -------
    pandas.DataFrame
        One row per treatment: ``before``, ``after``, ``change``, ``p_two_sided`` (the
        dyad-swap test of the change), ``ties_before``, ``ties_after``,
        ``reconstructed_before``, ``reconstructed_after`` (arcs added) and ``n_nodes``.
        Every node of either wave is compared. ``DataFrame.attrs`` has ``statistic``,
        ``non_respondents_before`` and ``non_respondents_after``.

    Raises
    ------
    TypeError
        If the waves are not both directed graphs.
    ValueError
        If ``statistic`` is unknown, a needed ``attr``, ``source`` or ``target`` is
        missing, or as :func:`ei_change_test`.

    Examples
    --------
    >>> import networkx as nx
    >>> import connectnet as cn
    >>> sectors = {"a": "prison", "b": "prison", "c": "nhs", "d": "nhs"}
    >>> before = nx.DiGraph([("a", "b"), ("c", "d"), ("a", "c")])
    >>> after = nx.DiGraph([("a", "b"), ("c", "d"), ("a", "c"), ("a", "d"), ("b", "d")])
    >>> for G in (before, after):
    ...     nx.set_node_attributes(G, sectors, "sector")
    >>> table = cn.nonresponse_sensitivity(
    ...     before, after, respondents=["a", "b", "c"], n_permutations=99, seed=1)
    >>> table["change"].round(3).tolist()  # d never answered; c named d, later a and b too
    [0.533, 0.75]

    Notes
    -----
    Reconstruction (Stork & Richards 1992; Huisman 2009) assumes a non-respondent would
    have returned the ties others reported with them; it cannot recover ties between two
    non-respondents, so with many non-respondents both treatments understate density.
    Read the two rows as bounds on how much non-response could matter, not as a
    correction.

    References
    ----------
    Stork, D. & Richards, W. D. (1992). Nonrespondents in communication network studies.
    *Group & Organization Management* 17(2), 193-209.
    Huisman, M. (2009). Imputation of missing network data: some simple procedures.
    *Journal of Social Structure* 10(1).
    """
    if not (isinstance(before, nx.DiGraph) and isinstance(after, nx.DiGraph)):
        msg = (
            "non-response sensitivity needs the directed contact graphs (who reported "
            "whom), e.g. cn.contact_graph(..., symmetrise=None); a symmetrised graph no "
            "longer shows whose report a tie came from."
        )
        raise TypeError(msg)
    _check_pair(before, after)
    if statistic not in ("ei", "density", "block_density"):
        msg = f'`statistic` must be "ei", "density" or "block_density", got {statistic!r}.'
        raise ValueError(msg)
    waves = [before, after]
    if respondents is None:
        parts = [_participants(G) for G in waves]
    else:
        parts = _given_respondents(waves, respondents)
    options: dict[str, Any] = {}
    if statistic == "block_density":
        options = {"source": source, "target": target}
    rng = _rng(seed)
    rows = []
    treated = [
        [(G, 0) for G in waves],
        [_reconstructed(G, p) for G, p in zip(waves, parts, strict=True)],
    ]
    for graphs in treated:
        g_before, g_after = (G for G, _ in graphs)
        group_attr = attr
        if statistic == "density":  # a block density with everyone in one group
            g_before, g_after = g_before.copy(), g_after.copy()
            for G in (g_before, g_after):
                nx.set_node_attributes(G, "all", _ALL)
            group_attr, options = _ALL, {"source": "all", "target": "all"}
        res = ei_change_test(
            g_before,
            g_after,
            group_attr,
            nodes="union",
            n_permutations=n_permutations,
            seed=rng,
            **options,
        )
        rows.append(
            {
                "before": res.before,
                "after": res.after,
                "change": res.observed,
                "p_two_sided": res.p_two_sided,
                "ties_before": res.ties_before,
                "ties_after": res.ties_after,
                "reconstructed_before": graphs[0][1],
                "reconstructed_after": graphs[1][1],
                "n_nodes": res.n_nodes,
            }
        )
        name = res.statistic
    out = pd.DataFrame(rows, index=pd.Index(TREATMENTS, name="non-response"))
    nodes = [set(G) for G in waves]
    out.attrs.update(
        {
            "statistic": "density" if statistic == "density" else name,
            "non_respondents_before": len(nodes[0] - parts[0]),
            "non_respondents_after": len(nodes[1] - parts[1]),
        }
    )
    return out
