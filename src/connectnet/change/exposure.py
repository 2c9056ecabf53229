"""Exposure effect: did people who attended more events gain more cross-sector ties?"""

from __future__ import annotations

from collections.abc import Collection, Hashable, Sequence
from dataclasses import dataclass, field
from typing import Any

import networkx as nx
import numpy as np
import pandas as pd

from connectnet._stats import check_permutations, permutation_pvalues
from connectnet.change._alignment import (
    _align,
    _codes,
    _edges_on,
    _group_position,
    _node_values,
    _within_codes,
)
from connectnet.change._common import (
    _BATCH_CELLS,
    _check_alternative,
    _check_pair,
    _fmt,
    _pick,
    _progress,
    _Result,
    _rng,
    _unique_keys,
)


@dataclass(frozen=True, eq=False, repr=False)
class ExposureResult(_Result):
    """Result of :func:`exposure_effect`.

    Attributes
    ----------
    observed
        Correlation between events attended and the gain in cross-sector ties.
    expected
        Mean correlation with events shuffled between people.
    p_value, alternative, p_greater, p_less, p_two_sided
        As in :class:`ChangeTestResult`.
    slope
        OLS slope: extra cross-sector ties gained per event attended.
    method
        ``"pearson"`` or ``"spearman"``.
    n_people
        People in the ``source`` group compared.
    n_permutations
        Permutations.
    n_excluded, only_before, only_after
        Alignment report.
    people
        Per-person table: ``events``, ``ties_before``, ``ties_after``, ``gain``.
    dose_response
        By events attended (``0``, ``1``, ``2``, ``3+``): ``people``, ``mean_before``,
        ``mean_after``, ``mean_gain``, ``share_gaining``.
    """

    observed: float
    expected: float
    p_value: float
    alternative: str
    p_greater: float
    p_less: float
    p_two_sided: float
    slope: float
    method: str
    n_people: int
    n_permutations: int
    n_excluded: int
    only_before: tuple[Hashable, ...]
    only_after: tuple[Hashable, ...]
    people: pd.DataFrame = field(compare=False)
    dose_response: pd.DataFrame = field(compare=False)

    def __repr__(self) -> str:
        return (
            f"ExposureResult({self.method} r(events, gain) = {_fmt(self.observed)}, "
            f"expected {_fmt(self.expected)}, slope {_fmt(self.slope)} ties per event\n"
            f"  p = {_fmt(self.p_value)} ({self.alternative}); greater "
            f"{_fmt(self.p_greater)}, less {_fmt(self.p_less)}, two-sided "
            f"{_fmt(self.p_two_sided)}\n"
            f"  {self.n_people} people, {self.n_permutations} permutations, "
            f"{self.n_excluded} excluded: {len(self.only_before)} only before, "
            f"{len(self.only_after)} only after)"
        )

    def to_frame(self) -> pd.DataFrame:
        """One-row DataFrame of the scalar fields (people lists as counts)."""
        return pd.DataFrame([self._scalars()], index=pd.Index(["exposure"], name="statistic"))


# --------------------------------------------------------------------------------------
# exposure_effect
# --------------------------------------------------------------------------------------
def _cross_ties(
    G: nx.Graph,
    index: pd.Index,
    codes: np.ndarray,
    t: int,
    wcodes: np.ndarray | None,
) -> np.ndarray:
    """Per node: distinct neighbours (either direction) in group ``t`` (same ``within``)."""
    n = len(index)
    u, v, _ = _edges_on(G, index)
    a, b = np.minimum(u, v), np.maximum(u, v)
    keys = _unique_keys(a * n + b)
    a, b = keys // max(n, 1), keys % max(n, 1)
    if wcodes is not None:
        ok = (wcodes[a] >= 0) & (wcodes[a] == wcodes[b])
        a, b = a[ok], b[ok]
    return np.bincount(a[codes[b] == t], minlength=n) + np.bincount(b[codes[a] == t], minlength=n)


def exposure_effect(
    data: Any,
    before: nx.Graph,
    after: nx.Graph,
    attr: str = "sector",
    source: Hashable = None,
    target: Hashable = None,
    *,
    within: str | None = None,
    events: Collection[Hashable] | None = None,
    nodes: str | Sequence[Hashable] = "both",
    respondents: Any = None,
    method: str = "pearson",
    alternative: str = "two-sided",
    n_permutations: int = 1000,
    seed: int | np.random.Generator | None = None,
    progress: bool | None = None,
) -> ExposureResult:
    """Did people who attended more events gain more cross-sector contacts?

    Parameters
    ----------
    data
        A :class:`~connectnet.Dataset` (its ``attendance``) or an attendance DataFrame
        with ``person_id`` and ``event_id`` columns.
    before, after
        The two contact waves (graphs of the same directedness).
    attr
        Node attribute with each person's group (sector).
    source, target
        Whose ties are counted (``source`` people, e.g. ``"prison"``) and to whom
        (``target`` people, e.g. ``"NHS"``).
    within
        Optional node attribute: only count ``target`` contacts with the same value
        (e.g. ``"region"``: local NHS contacts).
    events
        Event ids to count (e.g. the events held between the waves); default all.
    nodes, respondents
        Wave alignment; see the module notes. Default: people who took part in both waves.
    method
        ``"pearson"`` correlation of events and gain, or ``"spearman"`` (ranks; robust to
        a few very frequent attenders).
    alternative
        Which p-value is ``p_value`` (``"greater"``: more events, more gain).
    n_permutations, seed, progress
        See :func:`ei_change_test`.

    Returns
    -------
    ExposureResult
        Correlation, slope, permutation p-values, a per-person table (``people``) and a
        dose–response table (``dose_response``: 0, 1, 2, 3+ events).

    Raises
    ------
    TypeError
        If ``data`` has no attendance table or the waves are not graphs.
    ValueError
        If ``source``/``target`` are missing or not groups, no compared person has
        ``within``, fewer than 3 ``source`` people are compared, or events or gains do not
        vary (correlation undefined).

    Examples
    --------
    >>> import networkx as nx
    >>> import pandas as pd
    >>> import connectnet as cn
    >>> sectors = {"p1": "prison", "p2": "prison", "p3": "prison", "p4": "prison",
    ...            "n1": "NHS", "n2": "NHS"}
    >>> before = nx.Graph([("p1", "p2"), ("p3", "p4"), ("n1", "n2"), ("p1", "n1")])
    >>> after = nx.Graph([("p1", "p2"), ("p3", "p4"), ("n1", "n2"), ("p1", "n1"),
    ...                   ("p2", "n1"), ("p2", "n2"), ("p3", "n2")])
    >>> for G in (before, after):
    ...     nx.set_node_attributes(G, sectors, "sector")
    >>> attendance = pd.DataFrame({"person_id": ["p2", "p2", "p3", "p4"],
    ...                            "event_id": ["e1", "e2", "e1", "e3"]})
    >>> res = cn.exposure_effect(attendance, before, after, "sector", "prison", "NHS",
    ...                          n_permutations=99, seed=1)
    >>> res.people[["events", "ties_before", "ties_after", "gain"]]
        events  ties_before  ties_after  gain
    p1       0            1           1     0
    p2       2            0           2     2
    p3       1            0           1     1
    p4       1            0           0     0
    >>> round(res.observed, 3)
    0.853

    Notes
    -----
    A ``source`` person's cross-sector ties are their distinct ``target`` neighbours,
    reported in either direction. Gain = after − before. The test shuffles the events
    counts between the compared ``source`` people (vectorised), so it asks whether the
    association is stronger than chance; it says nothing about cause — people who chose
    to attend may have been gaining contacts anyway (self-selection). Compare like with
    like (e.g. within regions or roles) before reading it as a programme effect.

    People with no ties in either wave have gain 0 and stay in the analysis; if nobody's
    events or gains vary the correlation is undefined (``ValueError``). ``events`` counts
    distinct events per person (duplicate register rows count once).
    """
    _check_pair(before, after)
    R = check_permutations(n_permutations)
    _check_alternative(alternative)
    if method not in ("pearson", "spearman"):
        msg = f'`method` must be "pearson" or "spearman", got {method!r}.'
        raise ValueError(msg)
    if source is None or target is None:
        msg = "give `source` and `target` groups, e.g. source='prison', target='NHS'."
        raise ValueError(msg)
    attendance = data.attendance if hasattr(data, "attendance") else data
    if not isinstance(attendance, pd.DataFrame) or not {"person_id", "event_id"} <= set(
        attendance.columns
    ):
        msg = (
            "`data` must be a Dataset or an attendance DataFrame with `person_id` and "
            f"`event_id` columns; got {type(data).__name__}."
        )
        raise TypeError(msg)
    al = _align([before, after], nodes, respondents)
    codes, groups = _codes(_node_values([before, after], al.nodes, attr), attr, al.nodes)
    s = _group_position(groups, source, "source")
    t = _group_position(groups, target, "target")
    wcodes = _within_codes([before, after], al.nodes, within) if within else None
    tb = _cross_ties(before, al.index, codes, t, wcodes)
    ta = _cross_ties(after, al.index, codes, t, wcodes)
    att = attendance[["person_id", "event_id"]]
    if events is not None:
        att = att[att["event_id"].isin(list(events))]
    counts = att.drop_duplicates().groupby("person_id", sort=False).size()
    sel = np.flatnonzero(codes == s)
    index = al.index[sel]
    ev = counts.reindex(index, fill_value=0).to_numpy(dtype=np.int64)
    people = pd.DataFrame(
        {"events": ev, "ties_before": tb[sel], "ties_after": ta[sel]}, index=index
    )
    people["gain"] = people["ties_after"] - people["ties_before"]
    m = len(sel)
    if m < 3:
        msg = f"only {m} `source`={source!r} people are compared; need at least 3."
        raise ValueError(msg)
    x = ev.astype(np.float64)
    g = people["gain"].to_numpy(dtype=np.float64)
    if method == "spearman":
        x = pd.Series(x).rank().to_numpy()
        g = pd.Series(g).rank().to_numpy()
    xc, gc = x - x.mean(), g - g.mean()
    denom = float(np.sqrt((xc @ xc) * (gc @ gc)))
    if denom == 0:
        which = "events attended" if xc @ xc == 0 else "tie gains"
        msg = f"the {which} are the same for every compared person; no association to test."
        raise ValueError(msg)
    observed = float(xc @ gc / denom)
    evc = ev.astype(np.float64) - ev.mean()
    slope = float(evc @ (people["gain"].to_numpy(np.float64)) / (evc @ evc))
    rng = _rng(seed)
    null = np.empty(R)
    batch = max(1, min(R, _BATCH_CELLS // m))
    with _progress(R, progress, "permutations") as bar:
        for start in range(0, R, batch):
            b = min(batch, R - start)
            perms = np.argsort(rng.random((b, m)), axis=1)
            null[start : start + b] = (xc[perms] @ gc) / denom
            bar.update(b)
    pg, pl, p2 = permutation_pvalues(null, observed)
    dose = np.minimum(ev, 3)
    labels = np.array(["0", "1", "2", "3+"], dtype=object)[dose]
    grouped = people.assign(dose=labels, gained=people["gain"] > 0).groupby("dose", sort=True)
    dose_response = pd.DataFrame(
        {
            "people": grouped.size(),
            "mean_before": grouped["ties_before"].mean(),
            "mean_after": grouped["ties_after"].mean(),
            "mean_gain": grouped["gain"].mean(),
            "share_gaining": grouped["gained"].mean(),
        }
    ).reindex(pd.Index(["0", "1", "2", "3+"], name="events"))
    dose_response["people"] = dose_response["people"].fillna(0).astype(np.int64)
    return ExposureResult(
        observed=observed,
        expected=float(null.mean()),
        p_value=float(_pick(alternative, pg, pl, p2)),
        alternative=alternative,
        p_greater=float(pg),
        p_less=float(pl),
        p_two_sided=float(p2),
        slope=slope,
        method=method,
        n_people=m,
        n_permutations=R,
        n_excluded=len(al.excluded),
        only_before=al.only_first,
        only_after=al.only_last,
        people=people,
        dose_response=dose_response,
    )
