"""Non-response sensitivity: does a change in E-I or density depend on how the ties of
people who did not answer the survey are treated?"""

from __future__ import annotations

from collections.abc import Hashable
from typing import Any

import networkx as nx
import numpy as np
import pandas as pd

from connectnet._stats import check_permutations
from connectnet.change._alignment import (
    _align,
    _codes,
    _given_respondents,
    _node_values,
    _participants,
    _within_codes,
)
from connectnet.change._common import _check_pair, _rng, _unique_keys
from connectnet.change.permutation import _swap_test, _table_from_ties, _tie_values

TREATMENTS = ("missing = no tie", "reconstructed from the other person's report")
_ALL = "__connectnet_all__"


def _reconstructed(keys: np.ndarray, n: int, answered: np.ndarray) -> tuple[np.ndarray, int]:
    """Arc keys ``u * n + v`` of a wave in which each non-respondent ``i`` also names
    everyone who named them (``j → i`` reported implies ``i → j``); and the number of
    arcs added."""
    u, v = keys // n, keys % n
    silent = ~answered[v]
    mirrored = v[silent] * n + u[silent]  # distinct, as the reported arcs are
    added = mirrored[~np.isin(mirrored, keys, assume_unique=True)]
    return _unique_keys(np.concatenate([keys, added])), int(added.size)


def nonresponse_sensitivity(
    before: nx.DiGraph,
    after: nx.DiGraph,
    attr: str = "sector",
    *,
    statistic: str = "ei",
    source: Hashable | None = None,
    target: Hashable | None = None,
    within: str | None = None,
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
    within
        Optional node attribute: only pairs of people sharing a value count, as in
        :func:`ei_change_test`.
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
    if statistic == "block_density" and (source is None or target is None):
        msg = 'statistic="block_density" needs `source` and `target` groups.'
        raise ValueError(msg)
    R = check_permutations(n_permutations)
    waves = [before, after]
    if respondents is None:
        parts = [_participants(G) for G in waves]
    else:
        parts = _given_respondents(waves, respondents)
    al = _align(waves, "union", None)  # every node of either wave is compared
    n = max(len(al.nodes), 1)
    groups: list[Hashable]
    if statistic == "density":  # a block density with everyone in one group
        codes, groups = np.zeros(len(al.nodes), dtype=np.int64), ["all"]
        attr, source, target = _ALL, "all", "all"
    else:
        codes, groups = _codes(_node_values(waves, al.nodes, attr), attr, al.nodes)
        if statistic == "ei":
            source = target = None
    wcodes = None if within is None else _within_codes(waves, al.nodes, within)
    observed = [_tie_values(G, al.index, True, None)[0] for G in waves]
    answered = [np.fromiter((v in p for v in al.nodes), bool, len(al.nodes)) for p in parts]
    rng = _rng(seed)
    rows = []
    treated = [
        [(k, 0) for k in observed],
        [_reconstructed(k, n, a) for k, a in zip(observed, answered, strict=True)],
    ]
    for per_wave in treated:
        table = _table_from_ties(
            [(k, np.ones(k.size)) for k, _ in per_wave],
            al,
            codes,
            groups,
            True,
            attr,
            source,
            target,
            None,
            within,
            None,
            wcodes,
        )
        res = _swap_test(table, 0, ("before", "after"), "two-sided", R, rng, lambda _: None)
        rows.append(
            {
                "before": res.before,
                "after": res.after,
                "change": res.observed,
                "p_two_sided": res.p_two_sided,
                "ties_before": res.ties_before,
                "ties_after": res.ties_after,
                "reconstructed_before": per_wave[0][1],
                "reconstructed_after": per_wave[1][1],
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
