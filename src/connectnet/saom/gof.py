"""Goodness of fit of a SAOM: observed against simulated network statistics (RSiena's sienaGOF).

A fitted model is simulated again ``n_sim`` times; for each period an *auxiliary
statistic* — a vector such as the indegree distribution — is computed on the observed
network at the end of the period and on each simulated one. The periods' vectors are
added up, as sienaGOF does with ``join=TRUE``. The fit is judged by the
Mahalanobis distance of a vector ``s`` from the simulated mean ``m``,

.. math:: d(s) = (s - m)^\\top \\Sigma^{+} (s - m),

with ``Σ⁺`` the Moore–Penrose inverse of the simulated statistics' covariance matrix
(levels that never vary drop out). The p-value is the share of simulations whose
distance is at least the observed one: a small p (say below 0.05) says the model does
not reproduce that feature of the network.

Tie variables missing at either end of a period are set to 0 in the observed and in
every simulated network alike (as in RSiena's targets). With composition change only
the actors taking part in the period are counted.

Auxiliary statistics (levels as in sienaGOF's standard functions)
-----------------------------------------------------------------
``"indegree"``, ``"outdegree"``
    Number of actors with in- (out-)degree at most ``k`` for ``k = 0, ..., 8``
    (cumulative, as RSiena's ``IndegreeDistribution``/``OutdegreeDistribution``).
``"triad_census"``
    The 16 Holland–Leinhardt triad types, in the order 003, 012, 102, 021D, 021U, 021C,
    111D, 111U, 030T, 030C, 201, 120D, 120U, 120C, 210, 300 (RSiena's ``TriadCensus``).
``"geodesic"``
    Number of ordered pairs ``(i, j)``, ``i != j``, at distance at most ``k`` in the
    network with every tie taken as undirected, for ``k = 1, ..., 5``: RSiena's
    ``GeodesicDistribution`` example, which also counts the ``n`` pairs ``(i, i)`` and
    has a last level ``Inf`` counting every pair; those constants change no distance.

References
----------
Lospinoso, J. & Snijders, T. A. B. (2019). Goodness of fit for stochastic actor-oriented
models. *Methodological Innovations* 12(3).

Ripley, R. M., Snijders, T. A. B. et al. *Manual for RSiena*, section on sienaGOF.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Literal

import numpy as np
import pandas as pd
from scipy.sparse import csr_matrix
from scipy.sparse.csgraph import shortest_path

if TYPE_CHECKING:  # pragma: no cover
    from connectnet.saom.result import SAOMResult

__all__ = ["SAOMGOF", "saom_gof"]

Statistic = Literal["indegree", "outdegree", "triad_census", "geodesic"]

_DEGREE_LEVELS = tuple(str(k) for k in range(9))
_TRIAD_TYPES = (
    "003", "012", "102", "021D", "021U", "021C", "111D", "111U",
    "030T", "030C", "201", "120D", "120U", "120C", "210", "300",
)  # fmt: skip
_GEODESIC_LEVELS = ("1", "2", "3", "4", "5")
_LEVELS: dict[str, tuple[str, ...]] = {
    "indegree": _DEGREE_LEVELS,
    "outdegree": _DEGREE_LEVELS,
    "triad_census": _TRIAD_TYPES,
    "geodesic": _GEODESIC_LEVELS,
}
_TITLES = {
    "indegree": "actors with indegree at most k",
    "outdegree": "actors with outdegree at most k",
    "triad_census": "triads of each type",
    "geodesic": "ordered pairs within undirected distance k",
}


@dataclass(frozen=True)
class SAOMGOF:
    """Goodness of fit of a SAOM for one auxiliary statistic (see :func:`saom_gof`).

    Attributes
    ----------
    statistic
        ``"indegree"``, ``"outdegree"``, ``"triad_census"`` or ``"geodesic"``.
    levels
        Label of each entry of the statistic vector (``"0"`` ... ``"8"``, triad types,
        ``"1"`` ... ``"5"``, ``"inf"``).
    observed
        The observed statistic vector, summed over periods.
    simulated
        ``(n_sim, len(levels))``: the statistic in each simulation.
    observed_distance, simulated_distance
        Mahalanobis distances of the observed and of each simulated vector.
    p_value
        Share of simulations at least as far from the simulated mean as the observation.
    """

    statistic: str
    levels: tuple[str, ...]
    observed: np.ndarray
    simulated: np.ndarray = field(repr=False)
    observed_distance: float
    simulated_distance: np.ndarray = field(repr=False)
    p_value: float

    @property
    def n_sim(self) -> int:
        """Number of simulations."""
        return int(self.simulated.shape[0])

    def to_frame(self) -> pd.DataFrame:
        """One row per level: observed value and the simulated mean, sd, 5% and 95%.

        Returns
        -------
        pandas.DataFrame
            Indexed by level label; columns ``observed``, ``simulated_mean``,
            ``simulated_sd``, ``simulated_5%``, ``simulated_95%``.
        """
        sims = self.simulated
        return pd.DataFrame(
            {
                "observed": self.observed,
                "simulated_mean": sims.mean(axis=0),
                "simulated_sd": sims.std(axis=0, ddof=1) if len(sims) > 1 else np.nan,
                "simulated_5%": np.percentile(sims, 5, axis=0),
                "simulated_95%": np.percentile(sims, 95, axis=0),
            },
            index=pd.Index(list(self.levels), name="level"),
        )

    def __repr__(self) -> str:
        verdict = (
            "the model reproduces it"
            if self.p_value >= 0.05
            else "the model does NOT reproduce it (p < 0.05)"
        )
        return (
            f"SAOMGOF({self.statistic}: {_TITLES[self.statistic]}; Mahalanobis distance "
            f"{self.observed_distance:.2f}, p = {self.p_value:.3f} from {self.n_sim} "
            f"simulations: {verdict})"
        )


def saom_gof(
    result: SAOMResult,
    statistic: Statistic = "indegree",
    *,
    n_sim: int = 1000,
    seed: int | np.random.Generator | None = None,
) -> SAOMGOF:
    """Goodness of fit of a fitted SAOM for one auxiliary statistic, as RSiena's sienaGOF.

    Parameters
    ----------
    result
        A fitted model from :func:`~connectnet.fit_saom`.
    statistic
        ``"indegree"`` or ``"outdegree"`` (cumulative degree distributions, levels 0–8),
        ``"triad_census"`` (16 triad types) or ``"geodesic"`` (pairs within undirected
        distance 1–5); see the module notes.
    n_sim
        Number of simulations of the fitted model (RSiena uses its 1000 phase-3 runs).
    seed
        Seed or generator for the simulations.

    Returns
    -------
    SAOMGOF
        Observed and simulated statistic vectors (summed over periods), the Mahalanobis
        distances and the p-value; :meth:`SAOMGOF.to_frame` for a table and
        :func:`~connectnet.plot_saom_gof` for the picture.

    Raises
    ------
    ValueError
        Unknown ``statistic``, ``n_sim`` below 10, or a result without its model.

    Examples
    --------
    >>> import numpy as np, connectnet as cn
    >>> rng = np.random.default_rng(1)
    >>> w1 = (rng.random((20, 20)) < 0.15).astype(float)
    >>> w2 = np.where(rng.random((20, 20)) < 0.2, 1 - w1, w1)
    >>> np.fill_diagonal(w2, 0)
    >>> res = cn.fit_saom([w1, w2], ["density", "recip"], n_phase3=100, seed=1)
    >>> gof = cn.saom_gof(res, "outdegree", n_sim=100, seed=2)
    >>> 0 <= gof.p_value <= 1, len(gof.levels)
    (True, 9)

    References
    ----------
    Lospinoso, J. & Snijders, T. A. B. (2019). Goodness of fit for stochastic
    actor-oriented models. *Methodological Innovations* 12(3).
    """
    from connectnet.saom._simulate import simulate_periods

    if statistic not in _LEVELS:
        msg = f"`statistic` must be one of {sorted(_LEVELS)}, not {statistic!r}."
        raise ValueError(msg)
    if int(n_sim) < 10:
        msg = f"`n_sim` must be at least 10 (RSiena uses 1000); got {n_sim}."
        raise ValueError(msg)
    model = getattr(result, "_model", None)
    if model is None:
        msg = "`result` holds no fitted model to simulate; pass what `cn.fit_saom` returned."
        raise ValueError(msg)
    data = model.data

    def summed(ends: list[np.ndarray]) -> np.ndarray:
        return sum(
            _auxiliary(statistic, data.end_network(x, m), data.present[m])
            for m, x in enumerate(ends)
        )

    observed = summed([np.nan_to_num(data.observed[m + 1]) for m in range(data.n_periods)])
    sims = simulate_periods(result, n_sim=int(n_sim), seed=seed)
    simulated = np.array([summed(run) for run in sims])
    obs_d, sim_d, p = mahalanobis_p(observed, simulated)
    return SAOMGOF(
        statistic=statistic,
        levels=_LEVELS[statistic],
        observed=observed,
        simulated=simulated,
        observed_distance=obs_d,
        simulated_distance=sim_d,
        p_value=p,
    )


def mahalanobis_p(observed: np.ndarray, simulated: np.ndarray) -> tuple[float, np.ndarray, float]:
    """sienaGOF's test: Mahalanobis distances from the simulated mean (pseudo-inverse of
    the simulated covariance, ``ddof=1``) and the share of simulated distances at least
    the observed one."""
    sims = np.asarray(simulated, dtype=np.float64)
    centred = sims - sims.mean(axis=0)
    cov = np.atleast_2d(np.cov(sims, rowvar=False, ddof=1))
    # MASS::ginv's tolerance: singular values below sqrt(eps) times the largest are 0
    inv = np.linalg.pinv(cov, rcond=math.sqrt(np.finfo(float).eps))
    sim_d = np.einsum("ij,jk,ik->i", centred, inv, centred)
    dev = np.asarray(observed, dtype=np.float64) - sims.mean(axis=0)
    obs_d = float(dev @ inv @ dev)
    # RSiena compares obs <= sim exactly; a relative tolerance keeps ties tied
    p = float(np.mean(sim_d >= obs_d - 1e-9 * max(abs(obs_d), 1.0)))
    return obs_d, sim_d, p


def _auxiliary(statistic: str, x: np.ndarray, present: np.ndarray) -> np.ndarray:
    """The auxiliary statistic of one network (actors taking part only)."""
    keep = np.flatnonzero(present)
    a = np.asarray(x, dtype=np.int64)[np.ix_(keep, keep)]
    if statistic in ("indegree", "outdegree"):
        degree = a.sum(axis=0 if statistic == "indegree" else 1)
        return np.array([(degree <= k).sum() for k in range(9)], dtype=np.float64)
    if statistic == "triad_census":
        return triad_census(a)
    return _geodesic_counts(a)


def _geodesic_counts(a: np.ndarray) -> np.ndarray:
    n = a.shape[0]
    sym = csr_matrix(((a + a.T) > 0).astype(np.float64))
    dist = shortest_path(sym, method="D", directed=False, unweighted=True)
    off = ~np.eye(n, dtype=bool)
    d = dist[off]
    return np.array([(d <= k).sum() for k in range(1, 6)], dtype=np.float64)


# Triad type (index into _TRIAD_TYPES) of each of the 64 states of a triple (i, j, k),
# coded by the six arcs ij, ji, ik, ki, jk, kj as bits 0..5.
def _triad_table() -> np.ndarray:
    table = np.zeros(64, dtype=np.int64)
    for code in range(64):
        ij, ji, ik, ki, jk, kj = ((code >> b) & 1 for b in range(6))
        table[code] = _TRIAD_TYPES.index(_classify(ij, ji, ik, ki, jk, kj))
    return table


def _classify(ij: int, ji: int, ik: int, ki: int, jk: int, kj: int) -> str:
    """Holland–Leinhardt MAN type of one triad from its six arcs."""
    dyads = [(ij, ji), (ik, ki), (jk, kj)]
    m = sum(1 for a, b in dyads if a and b)
    asym = sum(1 for a, b in dyads if a != b)
    null = 3 - m - asym
    base = f"{m}{asym}{null}"
    if base not in ("021", "111", "030", "120"):
        return base
    out = {"i": ij + ik, "j": ji + jk, "k": ki + kj}
    inn = {"i": ji + ki, "j": ij + kj, "k": ik + jk}
    if base == "021":
        # D: one node sends both asymmetric arcs; U: one receives both; C: a path
        if max(out.values()) == 2:
            return "021D"
        if max(inn.values()) == 2:
            return "021U"
        return "021C"
    if base == "030":
        # T: transitive (a node sends two arcs); C: a cycle
        return "030T" if max(out.values()) == 2 else "030C"
    # 111 and 120: one mutual dyad; look at the asymmetric arc(s) and the third node
    mutual = next(n for n, (a, b) in zip(("ij", "ik", "jk"), dyads, strict=True) if a and b)
    third = ({"i", "j", "k"} - set(mutual)).pop()
    sends = {"i": ij + ik, "j": ji + jk, "k": ki + kj}[third]
    receives = {"i": ji + ki, "j": ij + kj, "k": ik + jk}[third]
    if base == "111":
        # 111D is A<->B<-C (the third node sends), 111U is A<->B->C (it receives)
        return "111D" if sends else "111U"
    if sends == 2:
        return "120D"
    if receives == 2:
        return "120U"
    return "120C"


_TRIAD_OF = _triad_table()


def triad_census(a: np.ndarray) -> np.ndarray:
    """The 16 triad type counts of a 0/1 directed adjacency matrix (sna's order)."""
    from connectnet.saom._triads import census

    x = np.ascontiguousarray((np.asarray(a) > 0).astype(np.int64))
    return census(x, _TRIAD_OF).astype(np.float64)
