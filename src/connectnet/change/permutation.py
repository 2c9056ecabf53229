"""Paired dyad-swap permutation test of a change in E-I index or block density."""

from __future__ import annotations

import itertools
from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass, field
from typing import Any

import networkx as nx
import numba
import numpy as np
import pandas as pd

from connectnet._stats import adjust_pvalues, check_adjust, check_permutations, permutation_pvalues
from connectnet.change._alignment import (
    _align,
    _Alignment,
    _codes,
    _edges_on,
    _group_position,
    _node_values,
    _within_codes,
)
from connectnet.change._common import (
    _BATCH_CELLS,
    _QUANTILES,
    _check_alternative,
    _check_pair,
    _fmt,
    _pick,
    _progress,
    _Result,
    _rng,
    _unique_keys,
    _waves,
)


@dataclass(frozen=True, eq=False, repr=False)
class ChangeTestResult(_Result):
    """Result of :func:`ei_change_test` (paired dyad-swap permutation test).

    Attributes
    ----------
    statistic
        What was compared, e.g. ``"E-I index"`` or ``"block density prison→NHS"``.
    before, after
        The statistic in each wave.
    observed
        ``after - before``.
    expected
        Mean change over the permutations (0 in expectation: the null is symmetric).
    p_value
        p-value for the chosen ``alternative``.
    alternative
        ``"two-sided"``, ``"greater"`` (a rise) or ``"less"`` (a fall).
    p_greater, p_less, p_two_sided
        All three p-values: each one-sided ``(b + 1) / (R + 1)``, two-sided
        ``min(1, 2 * min(p_greater, p_less))`` (docs/metrics.md, "p-values").
    null_sd
        Standard deviation of the permutation distribution.
    null_quantiles
        Quantiles (2.5, 5, 50, 95, 97.5 %) of the permutation distribution.
    n_permutations
        Number of permutations ``R``.
    n_nodes
        People compared.
    n_changed_dyads
        Dyads whose tie state differs between the waves (only these can be swapped with
        any effect).
    ties_before, ties_after
        Ties counted by the statistic in each wave.
    n_excluded
        Nodes of either wave left out by the alignment.
    only_before, only_after
        People taking part in only one wave (see the module notes on alignment).
    null_distribution
        The ``R`` permuted changes.
    """

    statistic: str
    before: float
    after: float
    observed: float
    expected: float
    p_value: float
    alternative: str
    p_greater: float
    p_less: float
    p_two_sided: float
    null_sd: float
    null_quantiles: pd.Series = field(compare=False)
    n_permutations: int
    n_nodes: int
    n_changed_dyads: int
    ties_before: int
    ties_after: int
    n_excluded: int
    only_before: tuple[Hashable, ...]
    only_after: tuple[Hashable, ...]
    null_distribution: np.ndarray = field(compare=False)

    def __repr__(self) -> str:
        lo, hi = self.null_quantiles.loc[0.025], self.null_quantiles.loc[0.975]
        return (
            f"ChangeTestResult({self.statistic}: before {_fmt(self.before)}, "
            f"after {_fmt(self.after)}, change {self.observed:+.4g}\n"
            f"  expected {_fmt(self.expected)} (null SD {_fmt(self.null_sd)}, "
            f"95% of null in [{_fmt(lo)}, {_fmt(hi)}])\n"
            f"  p = {_fmt(self.p_value)} ({self.alternative}); "
            f"greater {_fmt(self.p_greater)}, less {_fmt(self.p_less)}, "
            f"two-sided {_fmt(self.p_two_sided)}\n"
            f"  {self.n_permutations} dyad-swap permutations, {self.n_nodes} people compared "
            f"({self.n_excluded} excluded: {len(self.only_before)} only before, "
            f"{len(self.only_after)} only after), {self.n_changed_dyads} changed dyads)"
        )

    def to_frame(self) -> pd.DataFrame:
        """One-row DataFrame of the scalar fields (people lists as counts ``n_...``),
        indexed by the statistic's name."""
        row = self._scalars()
        name = row.pop("statistic")
        for q, v in self.null_quantiles.items():
            row[f"null_q{q:g}"] = float(v)
        return pd.DataFrame([row], index=pd.Index([name], name="statistic"))


# --------------------------------------------------------------------------------------
# ei_change_test
# --------------------------------------------------------------------------------------
def ei_change_test(
    before: nx.Graph,
    after: nx.Graph,
    attr: str = "sector",
    *,
    source: Hashable | None = None,
    target: Hashable | None = None,
    group: Hashable | None = None,
    within: str | None = None,
    weight: str | None = None,
    nodes: str | Sequence[Hashable] = "both",
    respondents: Any = None,
    alternative: str = "two-sided",
    n_permutations: int = 1000,
    seed: int | np.random.Generator | None = None,
    progress: bool | None = None,
) -> ChangeTestResult:
    """Paired permutation test of a change in E-I index (or in one block density).

    The waves are aligned on one node set, every dyad's tie states in the two waves are
    swapped at random (independently per dyad, probability 1/2), and the statistic's
    change is recomputed; the permutation distribution is the change expected if the two
    waves were exchangeable — if nothing happened between them.

    Parameters
    ----------
    before, after
        The two waves, both ``nx.Graph`` or both ``nx.DiGraph``. Ties are binary unless
        ``weight`` is given.
    attr
        Node attribute with each person's group (sector), taken from the later wave when
        both have it.
    source, target
        Give both to test the density of ``source``→``target`` ties instead of E-I (for a
        ``DiGraph`` the arcs from ``source`` to ``target`` people; undirected: ties between
        the two groups, or within the group when equal).
    group
        Test the E-I index of one group instead (its members' ties: external ties leave
        the group, internal ones stay in it; as :func:`connectnet.group_ei_index`). See
        :func:`group_ei_change_test` for every group at once.
    within
        Optional node attribute (e.g. ``"region"``): only dyads whose two people share a
        value count (missing values never match) — "prison–NHS ties within a region".
    weight
        Edge attribute with tie strengths (e.g. contact frequency): the weighted E-I
        index :math:`(E_w - I_w)/(E_w + I_w)` with :math:`E_w`, :math:`I_w` the summed
        weights, or the weighted block density. A swap then exchanges a dyad's two
        weights. Parallel edges' weights add up. ``None``: every tie counts 1.
    nodes, respondents
        Wave alignment; see the module notes. Default: people who took part in both waves.
    alternative
        Which p-value is ``p_value``: ``"two-sided"``, ``"greater"`` (a rise) or
        ``"less"``.
    n_permutations
        Number of random dyad swaps ``R``.
    seed
        Seed or ``numpy.random.Generator``.
    progress
        Show a progress bar (default: no bar, as in every library call).

    Returns
    -------
    ChangeTestResult
        Observed change ``after - before``, its null mean, SD and quantiles, and one-
        sided p-values ``(b + 1) / (R + 1)`` and the two-sided ``min(1, 2 min(...))``.

    Raises
    ------
    TypeError
        If the waves are not networkx graphs of the same directedness.
    ValueError
        If a node has no ``attr``; ``source``/``target`` are not groups or only one is
        given; no compared person has ``within``; no tie is counted in a wave; bad
        ``nodes``/``respondents``/``alternative``.

    Examples
    --------
    >>> import networkx as nx
    >>> import connectnet as cn
    >>> before = nx.Graph([(0, 1), (2, 3), (0, 2)])
    >>> after = nx.Graph([(0, 1), (2, 3), (0, 2), (0, 3), (1, 3), (1, 2)])
    >>> for G in (before, after):
    ...     nx.set_node_attributes(G, {0: "prison", 1: "prison", 2: "NHS", 3: "NHS"}, "sector")
    >>> res = cn.ei_change_test(before, after, "sector", n_permutations=99, seed=1)
    >>> round(res.before, 3), round(res.after, 3), round(res.observed, 3)
    (-0.333, 0.333, 0.667)
    >>> res.n_changed_dyads
    3

    Notes
    -----
    E-I index (Krackhardt & Stern 1988): :math:`(E - I) / (E + I)` with :math:`E` the ties
    between groups and :math:`I` the ties within, each undirected tie or each arc counted
    once. Block density: ties counted / possible dyads.

    Only dyads whose state changed carry information; the null distribution of
    ``after - before`` is exactly symmetric about 0 (swapping every dyad swaps the
    waves). The test is exact when dyads are exchangeable between waves — both waves drawn
    from the same model with dyads independent given the people (any heterogeneity that
    is the same in both waves is allowed). For a ``DiGraph`` the two arcs of a pair are
    swapped together, which keeps reciprocity. The test does not model dependence
    *between* dyads (e.g. one respondent who names many more people in the second wave);
    check ``tie_changes(..., by="node")`` for such people. A permutation that leaves a
    wave with no counted tie gives an undefined E-I; it is counted as at least as extreme
    as the observed change (conservative).

    Edge cases: isolates are compared people with no ties (they add possible pairs to a
    block density, nothing to E-I); with a single group E-I is -1 in both waves, so the
    change is 0 and every p-value 1; identical waves give change 0 and p = 1; with few
    changed dyads the null is discrete and the test conservative (report
    ``n_changed_dyads``). Self-loops are ignored.

    Permutations are batched and cost about one machine operation per 64 changed dyads:
    each permutation's swaps are random bits, 64 to a word (one per changed dyad), and the
    counts they move are population counts of those bits over the dyads that share a
    per-dyad change (for binary ties a handful: a tie gained or lost in one category).
    (Earlier versions drew one integer per swap, so p-values for a given seed differ
    from theirs; the permutation distribution is the same.)

    References
    ----------
    Krackhardt, D. & Stern, R. N. (1988). Informal networks and organizational crises: an
    experimental simulation. *Social Psychology Quarterly* 51(2), 123-140.
    Good, P. (2005). *Permutation, Parametric, and Bootstrap Tests of Hypotheses*, 3rd
    ed., Springer (paired permutation tests).
    """
    _check_pair(before, after)
    R = check_permutations(n_permutations)
    _check_alternative(alternative)
    table = _dyad_table(
        [before, after], attr, source, target, group, within, weight, nodes, respondents
    )
    rng = _rng(seed)
    with _progress(R, progress, "dyad swaps") as bar:
        return _swap_test(table, 0, ("before", "after"), alternative, R, rng, bar.update)


def _swap_test(
    table: _DyadTable,
    a: int,
    labels: tuple[str, str],
    alternative: str,
    R: int,
    rng: np.random.Generator,
    tick: Callable[[int], object],
) -> ChangeTestResult:
    """The dyad-swap test of the change from wave ``a`` to ``a + 1`` of ``table``."""
    counts = table.counts()
    counts_b, counts_a = counts[a], counts[a + 1]
    if table.n_cat == 2:
        for label, c in zip(labels, (counts_b, counts_a), strict=True):
            if c.sum() == 0:
                msg = f"no ties are counted in the `{label}` wave, so its E-I index is undefined."
                raise ValueError(msg)
    changed = table.changed(a)
    cat = table.category[changed]
    per_dyad = np.zeros((cat.size, table.n_cat))
    per_dyad[np.arange(cat.size), cat] = table.values[changed, a + 1] - table.values[changed, a]
    D = cat.size
    obs_b, obs_a = float(table.stat(counts_b)), float(table.stat(counts_a))
    observed = obs_a - obs_b
    null = np.empty(R)
    n_words = (D + 63) // 64
    shifts = _Shifts(per_dyad, n_words)
    batch = max(1, min(R, _BATCH_CELLS // max(n_words, 1)))
    for start in range(0, R, batch):
        b = min(batch, R - start)
        # one random bit per dyad and permutation: swap its two waves when it is 1
        words = np.frombuffer(rng.bytes(8 * b * n_words), dtype=np.uint64).reshape(b, n_words)
        shift = shifts(words)  # (b, n_cat): counts moved from after to before
        null[start : start + b] = table.stat(counts_a - shift) - table.stat(counts_b + shift)
        tick(b)
    pg, pl, p2 = permutation_pvalues(null, observed)
    finite = null[~np.isnan(null)]
    quant = np.quantile(finite, _QUANTILES) if finite.size else np.full(5, np.nan)
    al = table.alignment
    return ChangeTestResult(
        statistic=table.name,
        before=obs_b,
        after=obs_a,
        observed=float(observed),
        expected=float(finite.mean()) if finite.size else float("nan"),
        p_value=float(_pick(alternative, pg, pl, p2)),
        alternative=alternative,
        p_greater=float(pg),
        p_less=float(pl),
        p_two_sided=float(p2),
        null_sd=float(finite.std(ddof=1)) if finite.size > 1 else float("nan"),
        null_quantiles=pd.Series(
            quant, index=pd.Index(_QUANTILES, name="quantile"), name="null_change"
        ),
        n_permutations=R,
        n_nodes=len(al.nodes),
        n_changed_dyads=int(D),
        ties_before=table.ties[a],
        ties_after=table.ties[a + 1],
        n_excluded=len(al.excluded),
        only_before=al.only_first,
        only_after=al.only_last,
        null_distribution=null,
    )


class _Shifts:
    """The counts a set of dyad swaps moves from one wave to the other: ``shift[r] =
    sum of per_dyad[d]`` over the dyads ``d`` whose bit is set in row ``r`` of ``words``
    (bit ``d % 64`` of word ``d // 64``).

    Dyads with the same per-dyad change (for binary ties a few values: a tie gained or
    lost in one category) are counted together with one population count per word;
    weighted ties with many distinct changes are added dyad by dyad."""

    def __init__(self, per_dyad: np.ndarray, n_words: int) -> None:
        self.values, inverse = np.unique(per_dyad, axis=0, return_inverse=True)
        self.by_value = self.values.shape[0] <= _MAX_SHIFT_VALUES
        self.per_dyad = per_dyad
        if self.by_value:
            bits = np.zeros((self.values.shape[0], n_words * 64), dtype=np.uint8)
            bits[inverse.ravel(), np.arange(per_dyad.shape[0])] = 1
            self.masks = np.packbits(bits, axis=1, bitorder="little").view(np.uint64)

    def __call__(self, words: np.ndarray) -> np.ndarray:
        if self.by_value:
            return _masked_counts(words, self.masks) @ self.values
        return _bit_sums(words, self.per_dyad)


# Above this many distinct per-dyad changes, swaps are added dyad by dyad.
_MAX_SHIFT_VALUES = 32


@numba.njit(cache=True)
def _popcount(x: np.uint64) -> np.uint64:  # pragma: no cover - compiled
    x = x - ((x >> np.uint64(1)) & np.uint64(0x5555555555555555))
    x = (x & np.uint64(0x3333333333333333)) + ((x >> np.uint64(2)) & np.uint64(0x3333333333333333))
    x = (x + (x >> np.uint64(4))) & np.uint64(0x0F0F0F0F0F0F0F0F)
    return (x * np.uint64(0x0101010101010101)) >> np.uint64(56)


@numba.njit(parallel=True, cache=True)
def _masked_counts(words: np.ndarray, masks: np.ndarray) -> np.ndarray:  # pragma: no cover
    """``out[r, g]``: set bits of ``words[r] & masks[g]``."""
    out = np.zeros((words.shape[0], masks.shape[0]))
    for r in numba.prange(words.shape[0]):
        for g in range(masks.shape[0]):
            c = np.uint64(0)
            for k in range(words.shape[1]):
                c += _popcount(words[r, k] & masks[g, k])
            out[r, g] = c
    return out


@numba.njit(parallel=True, cache=True)
def _bit_sums(words: np.ndarray, per_dyad: np.ndarray) -> np.ndarray:  # pragma: no cover
    """``out[r] = sum of per_dyad[d]`` over the set bits ``d`` of ``words[r]``."""
    out = np.zeros((words.shape[0], per_dyad.shape[1]))
    for r in numba.prange(words.shape[0]):
        for d in range(per_dyad.shape[0]):
            if (words[r, d >> 6] >> np.uint64(d & 63)) & np.uint64(1):
                out[r] += per_dyad[d]
    return out


@dataclass(frozen=True, eq=False)
class _DyadTable:
    """The counted dyads of aligned waves: per dyad (unordered pair; for a ``DiGraph``
    both arcs together) and wave, the value it adds to its category's count (ties or
    summed weights of its counted arcs), and the statistic of the category counts."""

    name: str
    values: np.ndarray  # (dyads, waves)
    arc_changed: np.ndarray  # (dyads, waves - 1): some arc differs from the next wave
    category: np.ndarray  # (dyads,): 0 external / 1 internal (E-I), 0 (block density)
    n_cat: int
    ties: list[int]  # counted ties (arcs) per wave
    stat: Callable[[np.ndarray], np.ndarray]
    alignment: _Alignment

    def counts(self) -> list[np.ndarray]:
        return [
            np.bincount(self.category, weights=self.values[:, w], minlength=self.n_cat)
            for w in range(self.values.shape[1])
        ]

    def changed(self, a: int) -> np.ndarray:
        """Dyads with some arc that differs between waves ``a`` and ``a + 1``."""
        return (self.values[:, a] != self.values[:, a + 1]) | self.arc_changed[:, a]


def _tie_values(
    G: nx.Graph, index: pd.Index, directed: bool, weight: str | None
) -> tuple[np.ndarray, np.ndarray]:
    """Sorted arc keys ``u * n + v`` of ``G``'s ties (undirected: ``u < v``) and their
    values: 1, or the summed ``weight`` of parallel edges."""
    n = max(len(index), 1)
    u, v, w = _edges_on(G, index, weight=weight)
    if not directed:
        u, v = np.minimum(u, v), np.maximum(u, v)
    keys, inverse = np.unique(u * n + v, return_inverse=True)
    if weight is None:
        return keys, np.ones(keys.size)
    return keys, np.bincount(inverse, weights=w, minlength=keys.size)


def _dyad_table(
    graphs: Sequence[nx.Graph],
    attr: str,
    source: Hashable | None,
    target: Hashable | None,
    group: Hashable | None,
    within: str | None,
    weight: str | None,
    nodes: Any,
    respondents: Any,
    stacklevel: int = 5,
) -> _DyadTable:
    """Build the dyad table for E-I (whole network or one ``group``) or one block
    density, on the aligned waves."""
    if (source is None) != (target is None):
        msg = "give both `source` and `target` (block density) or neither (E-I index)."
        raise ValueError(msg)
    if group is not None and source is not None:
        msg = "give `group` (one group's E-I) or `source`/`target` (block density), not both."
        raise ValueError(msg)
    directed = graphs[0].is_directed()
    al = _align(graphs, nodes, respondents, stacklevel=stacklevel)
    codes, groups = _codes(_node_values(graphs, al.nodes, attr), attr, al.nodes)
    per_wave = [_tie_values(G, al.index, directed, weight) for G in graphs]
    wcodes = None if within is None else _within_codes(graphs, al.nodes, within)
    return _table_from_ties(
        per_wave, al, codes, groups, directed, attr, source, target, group, within, weight, wcodes
    )


def _table_from_ties(
    per_wave: list[tuple[np.ndarray, np.ndarray]],
    al: _Alignment,
    codes: np.ndarray,
    groups: list[Hashable],
    directed: bool,
    attr: str,
    source: Hashable | None,
    target: Hashable | None,
    group: Hashable | None,
    within: str | None,
    weight: str | None,
    wcodes: np.ndarray | None,
) -> _DyadTable:
    """The dyad table from each wave's sorted arc keys and values (:func:`_tie_values`)
    on the aligned nodes, their group ``codes`` and ``within`` codes."""
    n = len(al.nodes)
    keys = _unique_keys(np.concatenate([k for k, _ in per_wave]))
    arcs = np.zeros((keys.size, len(per_wave)))
    for w, (k, val) in enumerate(per_wave):
        arcs[np.searchsorted(keys, k), w] = val
    u, v = keys // max(n, 1), keys % max(n, 1)
    cu, cv = codes[u], codes[v]
    mask = np.ones(keys.size, dtype=bool)
    if wcodes is not None:
        mask = (wcodes[u] >= 0) & (wcodes[u] == wcodes[v])
    suffix = "" if within is None else f", within {within}"
    w_label = "" if weight is None else f", weighted by {weight}"
    if source is None:
        category = np.where(cu != cv, 0, 1)  # 0 = external, 1 = internal
        n_cat = 2
        name = f"E-I index ({attr}{suffix}{w_label})"
        if group is not None:
            g = _group_position(groups, group, "group")
            mask &= (cu == g) | (cv == g)
            name = f"E-I index of {group} ({attr}{suffix}{w_label})"

        def stat(counts: np.ndarray) -> np.ndarray:
            e, i = counts[..., 0], counts[..., 1]
            tot = e + i
            with np.errstate(invalid="ignore", divide="ignore"):
                return np.where(tot > 0, (e - i) / np.where(tot > 0, tot, 1), np.nan)

    else:
        s = _group_position(groups, source, "source")
        t = _group_position(groups, target, "target")
        arrow = "→" if directed else "–"
        name = f"block density {source}{arrow}{target}"
        if within is not None or weight is not None:
            name += f" ({suffix[2:]}{', ' if suffix and w_label else ''}{w_label[2:]})"
        hit = (cu == s) & (cv == t)
        if not directed:
            hit |= (cu == t) & (cv == s)
        mask &= hit
        category = np.zeros(keys.size, dtype=np.int64)
        n_cat = 1
        possible = _possible_pairs(codes, s, t, directed, wcodes)
        if possible == 0:
            msg = f"there are no possible {source}–{target} dyads to compare."
            raise ValueError(msg)

        def stat(counts: np.ndarray) -> np.ndarray:
            return counts[..., 0] / possible

    keys, u, v, arcs, category = keys[mask], u[mask], v[mask], arcs[mask], category[mask]
    dyad = np.minimum(u, v) * n + np.maximum(u, v)
    dyad_ids, inverse = np.unique(dyad, return_inverse=True)
    values = np.zeros((dyad_ids.size, len(per_wave)))
    np.add.at(values, inverse, arcs)
    arc_changed = np.zeros((dyad_ids.size, len(per_wave) - 1), dtype=bool)
    np.logical_or.at(arc_changed, inverse, arcs[:, 1:] != arcs[:, :-1])
    dyad_cat = np.zeros(dyad_ids.size, dtype=np.int64)
    dyad_cat[inverse] = category  # both arcs of a dyad share a category
    ties = [int(np.count_nonzero(arcs[:, w])) for w in range(len(per_wave))]
    return _DyadTable(name, values, arc_changed, dyad_cat, n_cat, ties, stat, al)


def _possible_pairs(
    codes: np.ndarray, s: int, t: int, directed: bool, wcodes: np.ndarray | None
) -> float:
    """Number of dyads between groups ``s`` and ``t`` (ordered ``s``→``t`` if directed),
    optionally only pairs sharing a ``within`` value."""
    if wcodes is None:
        ns, nt = np.count_nonzero(codes == s), np.count_nonzero(codes == t)
        if s != t:
            return float(ns * nt)
        return float(ns * (ns - 1) if directed else ns * (ns - 1) / 2)
    ok = wcodes >= 0
    size = int(wcodes.max()) + 1 if ok.any() else 0
    ms = np.bincount(wcodes[ok & (codes == s)], minlength=size).astype(np.float64)
    mt = np.bincount(wcodes[ok & (codes == t)], minlength=size).astype(np.float64)
    if s != t:
        return float(ms @ mt)
    pairs = float((ms * (ms - 1)).sum())
    return pairs if directed else pairs / 2


def group_ei_change_test(
    before: nx.Graph,
    after: nx.Graph,
    attr: str = "sector",
    *,
    within: str | None = None,
    weight: str | None = None,
    nodes: str | Sequence[Hashable] = "both",
    respondents: Any = None,
    alternative: str = "two-sided",
    adjust: str | None = "holm",
    n_permutations: int = 1000,
    seed: int | np.random.Generator | None = None,
    progress: bool | None = None,
) -> pd.DataFrame:
    """Dyad-swap test of the change in every group's E-I index, adjusted for testing
    several groups at once.

    Parameters
    ----------
    before, after, attr, within, weight, nodes, respondents, alternative
        As in :func:`ei_change_test` (each group's E-I as its ``group=`` option).
    adjust
        ``"holm"`` (default), ``"fdr_bh"`` or ``None``: adjustment of the groups'
        p-values for the number of groups tested.
    n_permutations, seed, progress
        As in :func:`ei_change_test`; one random stream serves every group.

    Returns
    -------
    pandas.DataFrame
        One row per group (indexed by group): ``before``, ``after``, ``change``,
        ``p_greater``, ``p_less``, ``p_two_sided``, ``p_value`` (for ``alternative``),
        ``p_adjusted``, ``n_changed_dyads``, ``ties_before``, ``ties_after``. A group with
        no counted tie in a wave has ``nan`` values and p-values (left out of the
        adjustment). ``DataFrame.attrs`` records ``adjust``, ``alternative``,
        ``n_permutations`` and ``n_nodes``.

    Raises
    ------
    TypeError, ValueError
        As :func:`ei_change_test`, and for an unknown ``adjust``.

    Examples
    --------
    >>> import networkx as nx
    >>> import connectnet as cn
    >>> before = nx.Graph([(0, 1), (2, 3), (0, 2)])
    >>> after = nx.Graph([(0, 1), (2, 3), (0, 2), (0, 3), (1, 3), (1, 2)])
    >>> for G in (before, after):
    ...     nx.set_node_attributes(G, {0: "prison", 1: "prison", 2: "NHS", 3: "NHS"}, "sector")
    >>> table = cn.group_ei_change_test(before, after, n_permutations=99, seed=1)
    >>> table["before"].to_dict(), table["after"].to_dict()  # E = 1, I = 1 -> E = 4, I = 1
    ({'NHS': 0.0, 'prison': 0.0}, {'NHS': 0.6, 'prison': 0.6})

    Notes
    -----
    Group :math:`g`'s E-I index is :math:`(E_g - I_g)/(E_g + I_g)` over the ties that
    touch :math:`g` (:func:`connectnet.group_ei_index`). The groups' tests share ties (a
    prison–NHS tie is external for both), so they are dependent; Holm's adjustment is
    valid under any dependence, Benjamini–Hochberg under positive dependence.
    """
    _check_pair(before, after)
    R = check_permutations(n_permutations)
    _check_alternative(alternative)
    check_adjust(adjust)
    base = _dyad_table([before, after], attr, None, None, None, within, weight, nodes, respondents)
    groups = list(_codes(_node_values([before, after], base.alignment.nodes, attr), attr, [])[1])
    rng = _rng(seed)
    rows = []
    nan = float("nan")
    with _progress(R * len(groups), progress, "dyad swaps") as bar:
        for g in groups:
            table = _dyad_table(
                [before, after], attr, None, None, g, within, weight, nodes, respondents
            )
            try:
                res = _swap_test(table, 0, ("before", "after"), alternative, R, rng, bar.update)
            except ValueError:  # no tie touches the group in one wave: E-I undefined
                rows.append({"before": nan, "after": nan, "change": nan})
                continue
            rows.append(
                {
                    "before": res.before,
                    "after": res.after,
                    "change": res.observed,
                    "p_greater": res.p_greater,
                    "p_less": res.p_less,
                    "p_two_sided": res.p_two_sided,
                    "p_value": res.p_value,
                    "n_changed_dyads": res.n_changed_dyads,
                    "ties_before": res.ties_before,
                    "ties_after": res.ties_after,
                }
            )
    out = pd.DataFrame(rows, index=pd.Index(groups, name=attr, dtype=object))
    cols = ["before", "after", "change", "p_greater", "p_less", "p_two_sided", "p_value"]
    out = out.reindex(columns=[*cols, "n_changed_dyads", "ties_before", "ties_after"])
    out.insert(7, "p_adjusted", adjust_pvalues(out["p_value"].to_numpy(dtype=float), adjust))
    out.attrs.update(
        {
            "adjust": adjust,
            "alternative": alternative,
            "n_permutations": R,
            "n_nodes": len(base.alignment.nodes),
        }
    )
    return out


@dataclass(frozen=True, eq=False, repr=False)
class TrendTestResult(_Result):
    """Result of :func:`change_trend_test`.

    Attributes
    ----------
    statistic
        What was tested, as in :class:`ChangeTestResult`.
    values
        The statistic in each wave (Series indexed by wave label).
    slope
        OLS slope of the statistic on the wave order ``0, 1, ...`` (change per wave).
    expected, null_sd
        Mean and SD of the slope when each dyad's values are permuted across waves.
    p_value, alternative, p_greater, p_less, p_two_sided
        Permutation p-values of the slope (docs/metrics.md, "p-values").
    pairs
        One row per consecutive pair ``A→B``: ``before``, ``after``, ``change``,
        ``p_greater``, ``p_less``, ``p_two_sided``, ``p_value``, ``p_adjusted`` (the
        pairs' p-values adjusted by ``adjust``), ``n_changed_dyads``.
    adjust
        The adjustment used for ``pairs``.
    n_permutations, n_nodes, n_waves
        Permutations, people compared (present in every wave by default), waves.
    null_distribution
        The permuted slopes.
    """

    statistic: str
    values: pd.Series = field(compare=False)
    slope: float
    expected: float
    null_sd: float
    p_value: float
    alternative: str
    p_greater: float
    p_less: float
    p_two_sided: float
    pairs: pd.DataFrame = field(compare=False)
    adjust: str | None
    n_permutations: int
    n_nodes: int
    n_waves: int
    null_distribution: np.ndarray = field(compare=False)

    def __repr__(self) -> str:
        waves = ", ".join(f"{k}: {_fmt(float(v))}" for k, v in self.values.items())
        return (
            f"TrendTestResult({self.statistic}: {waves}\n"
            f"  slope {self.slope:+.4g} per wave, p = {_fmt(self.p_value)} "
            f"({self.alternative}); {self.n_permutations} permutations of each dyad "
            f"across {self.n_waves} waves, {self.n_nodes} people\n"
            f"  consecutive pairs (p adjusted: {self.adjust}):\n"
            f"{self.pairs[['change', 'p_value', 'p_adjusted']].to_string()})"
        )

    def to_frame(self) -> pd.DataFrame:
        """The consecutive-pair table with the trend as a last row ``"trend"``."""
        trend = pd.DataFrame(
            {"change": [self.slope], "p_value": [self.p_value]}, index=pd.Index(["trend"])
        )
        return pd.concat([self.pairs, trend])


def change_trend_test(
    graphs: Any,
    attr: str = "sector",
    *,
    source: Hashable | None = None,
    target: Hashable | None = None,
    group: Hashable | None = None,
    within: str | None = None,
    weight: str | None = None,
    nodes: str | Sequence[Hashable] = "both",
    respondents: Any = None,
    alternative: str = "two-sided",
    adjust: str | None = "holm",
    n_permutations: int = 1000,
    seed: int | np.random.Generator | None = None,
    progress: bool | None = None,
) -> TrendTestResult:
    """Change in E-I (or a block density) over three or more waves: a dyad-swap test
    for each consecutive pair, and a test of the overall trend.

    Parameters
    ----------
    graphs
        The waves in order: a mapping label → graph, or a sequence of graphs (labelled
        ``G.graph["wave"]`` or ``0, 1, ...``); all directed or all undirected.
    attr, source, target, group, within, weight
        The statistic, as in :func:`ei_change_test`.
    nodes, respondents
        Alignment across all waves (see the :mod:`connectnet.change` notes): by default
        people who took part in every wave.
    alternative
        For the trend and the pairs: ``"greater"`` (rising), ``"less"`` or
        ``"two-sided"``.
    adjust
        Adjustment of the consecutive pairs' p-values: ``"holm"`` (default),
        ``"fdr_bh"`` or ``None``.
    n_permutations, seed, progress
        As in :func:`ei_change_test`.

    Returns
    -------
    TrendTestResult
        Per-wave values, the slope and its p-values, and the table of pairs.

    Raises
    ------
    TypeError
        If ``graphs`` are not networkx graphs of one directedness.
    ValueError
        If fewer than two waves are given, labels repeat, or as :func:`ei_change_test`.

    Examples
    --------
    >>> import networkx as nx
    >>> import connectnet as cn
    >>> sectors = {0: "prison", 1: "prison", 2: "NHS", 3: "NHS"}
    >>> waves = [nx.Graph([(0, 1), (2, 3), (0, 2)]),
    ...          nx.Graph([(0, 1), (2, 3), (0, 2), (0, 3)]),
    ...          nx.Graph([(0, 1), (2, 3), (0, 2), (0, 3), (1, 3), (1, 2)])]
    >>> for G in waves:
    ...     nx.set_node_attributes(G, sectors, "sector")
    >>> res = cn.change_trend_test(waves, n_permutations=99, seed=1)
    >>> res.values.round(3).tolist()
    [-0.333, 0.0, 0.333]
    >>> round(res.slope, 3)
    0.333

    Notes
    -----
    The trend is the OLS slope :math:`b = \\sum_t (t - \\bar t)(s_t - \\bar s) /
    \\sum_t (t - \\bar t)^2` of the statistic :math:`s_t` on the wave order. Its null
    permutes each dyad's states across the waves, independently per dyad (for a
    ``DiGraph`` both arcs of a pair move together): if nothing changed over time the
    waves are exchangeable for every dyad, and the test is exact. The consecutive pairs
    are tested by swapping dyads between the two waves (:func:`ei_change_test`) on the
    node set aligned across all waves, so their values can differ slightly from a test
    of that pair alone.
    """
    labels, glist = _waves(graphs, minimum=2)
    R = check_permutations(n_permutations)
    _check_alternative(alternative)
    check_adjust(adjust)
    table = _dyad_table(glist, attr, source, target, group, within, weight, nodes, respondents)
    T = len(glist)
    rng = _rng(seed)
    pair_rows = []
    with _progress(R * T, progress, "permutations") as bar:
        for a in range(T - 1):
            res = _swap_test(
                table, a, (str(labels[a]), str(labels[a + 1])), alternative, R, rng, bar.update
            )
            pair_rows.append(
                {
                    "before": res.before,
                    "after": res.after,
                    "change": res.observed,
                    "p_greater": res.p_greater,
                    "p_less": res.p_less,
                    "p_two_sided": res.p_two_sided,
                    "p_value": res.p_value,
                    "n_changed_dyads": res.n_changed_dyads,
                }
            )
        values = np.array([float(table.stat(c)) for c in table.counts()])
        slope = _slopes(values[None, :])[0]
        null = _trend_null(table, R, rng, bar.update)
    pairs = pd.DataFrame(
        pair_rows,
        index=pd.Index([f"{a}→{b}" for a, b in itertools.pairwise(labels)], name="waves"),
    )
    pairs.insert(7, "p_adjusted", adjust_pvalues(pairs["p_value"].to_numpy(float), adjust))
    pg, pl, p2 = permutation_pvalues(null, slope)
    finite = null[~np.isnan(null)]
    return TrendTestResult(
        statistic=table.name,
        values=pd.Series(values, index=pd.Index(labels, dtype=object), name=table.name),
        slope=float(slope),
        expected=float(finite.mean()) if finite.size else float("nan"),
        null_sd=float(finite.std(ddof=1)) if finite.size > 1 else float("nan"),
        p_value=float(_pick(alternative, pg, pl, p2)),
        alternative=alternative,
        p_greater=pg,
        p_less=pl,
        p_two_sided=p2,
        pairs=pairs,
        adjust=adjust,
        n_permutations=R,
        n_nodes=len(table.alignment.nodes),
        n_waves=T,
        null_distribution=null,
    )


def _slopes(values: np.ndarray) -> np.ndarray:
    """OLS slope of each row of ``values`` (..., T) on ``0..T-1``."""
    t = np.arange(values.shape[-1], dtype=np.float64)
    t -= t.mean()
    return (values @ t) / (t @ t)


def _trend_null(
    table: _DyadTable, R: int, rng: np.random.Generator, tick: Callable[[int], object]
) -> np.ndarray:
    """Slopes with each dyad's values permuted across the waves (``R`` times)."""
    V = table.values
    T = V.shape[1]
    varies = (V[:, :1] != V).any(axis=1)
    fixed = np.stack(
        [np.bincount(table.category[~varies], V[~varies, w], table.n_cat) for w in range(T)]
    )
    Vv, cat = V[varies], table.category[varies]
    onehot = np.eye(table.n_cat)[cat]  # (dyads, categories)
    out = np.empty(R)
    batch = max(1, min(R, _BATCH_CELLS // max(Vv.size, 1)))
    rows = np.arange(Vv.shape[0])[:, None]
    for start in range(0, R, batch):
        b = min(batch, R - start)
        order = np.argsort(rng.random((b, Vv.shape[0], T)), axis=2)
        moved = Vv[rows, order]  # (b, dyads, T): each dyad's values in a random wave order
        counts = fixed[None] + np.einsum("bdt,dc->btc", moved, onehot)
        out[start : start + b] = _slopes(table.stat(counts))
        tick(b)
    return out
