"""The effect registry: one small object per SAOM effect, looked up by RSiena's short name.

Every effect of the evaluation function has

* a **statistic** ``s(x) = sum_i s_i(x)`` over a 0/1 adjacency matrix (the target
  statistic RSiena reports, summed over actors), and
* a **change statistic** for all alters at once: for ego ``i`` the vector
  ``c_j = s_i(x + e_ij) - s_i(x)`` of what *adding* the tie ``i -> j`` to the network
  without it would add to ``i``'s statistic. Toggling an existing tie changes
  ``s_i`` by ``-c_j``, so the ministep multiplies by ``1 - 2 x_ij``.

Structural effects (on the network alone) are compiled with numba; every covariate
effect is *linear* in the ties, ``s_i = sum_j x_ij w_ij``, so all of them share one
kernel and differ only in the dyadic weight matrix ``w`` their :meth:`Effect.weights`
builds from the prepared covariate (``egoX``: ``w_ij = v_i``; ``altX``: ``v_j``;
``simX``: ``sim_ij - mean sim``; ``sameX``: ``1[v_i = v_j]``; ``egoXaltX``: ``v_i v_j``;
``X``: the centred dyadic covariate).

References
----------
Ripley, R. M., Snijders, T. A. B., Boda, Z., Vörös, A. & Preciado, P. (2024).
*Manual for RSiena*, section 12 (effects) and the effects documentation.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from numba import njit

__all__ = ["EFFECTS", "Effect", "effect_names"]

# kernel codes: the ministep dispatches on these (see _simulate._contributions)
DENSITY, RECIP, TRANS_TRIP, TRANS_TIES, CYCLE3, IN_POP, OUT_POP, OUT_ACT, IN_ACT, DYADIC = range(
    10
)


# ---------------------------------------------------------------- change contributions
# Signature of every change function: (x, xt, i, indeg, outdeg, w, out) -> None, where
# x is the n×n int8 adjacency matrix, xt its transpose (kept in step so columns are rows),
# indeg/outdeg the current degrees, w the effect's dyadic weights (covariate effects only)
# and out[j] receives c_j for every j (out[i] is ignored by the caller).


@njit(cache=True)
def _c_density(x, xt, i, indeg, outdeg, w, out):
    out[:] = 1.0


@njit(cache=True)
def _c_recip(x, xt, i, indeg, outdeg, w, out):
    # s_i = sum_j x_ij x_ji: the tie i->j adds x_ji.
    for j in range(x.shape[0]):
        out[j] = xt[i, j]


@njit(cache=True)
def _c_trans_trip(x, xt, i, indeg, outdeg, w, out):
    # s_i = sum_{j,h} x_ij x_ih x_hj. Adding i->j closes the two-paths i->h->j (j as the
    # closing tie) and makes i->j a step of i->j->h for every h with i->h (j as broker):
    # c_j = sum_h x_ih x_hj + sum_h x_ih x_jh.
    n = x.shape[0]
    out[:] = 0.0
    for h in range(n):
        if x[i, h]:
            for j in range(n):
                out[j] += x[h, j] + xt[h, j]


@njit(cache=True)
def _c_cycle3(x, xt, i, indeg, outdeg, w, out):
    # s_i = sum_{j,h} x_ij x_jh x_hi: adding i->j closes every two-path j->h->i.
    n = x.shape[0]
    out[:] = 0.0
    for h in range(n):
        if x[h, i]:
            for j in range(n):
                out[j] += xt[h, j]


@njit(cache=True)
def _c_trans_ties(x, xt, i, indeg, outdeg, w, out):
    # s_i = sum_j x_ij 1[exists h: x_ih x_hj]. Let a_k = #two-paths i->h->k (never via
    # the tie i->k itself). Adding i->j counts j itself when a_j > 0, and makes j a
    # broker for every alter k of i with x_jk = 1 that had no two-path before (a_k = 0);
    # when i->j is already there the same k count if j was their only broker (a_k = 1).
    n = x.shape[0]
    a = np.zeros(n)
    for h in range(n):
        if x[i, h]:
            for k in range(n):
                a[k] += x[h, k]
    for j in range(n):
        c = 1.0 if a[j] > 0 else 0.0
        need = x[i, j]  # a_k value at which k depends on j alone
        for k in range(n):
            if x[i, k] and x[j, k] and a[k] == need:
                c += 1.0
        out[j] = c


@njit(cache=True)
def _c_in_pop(x, xt, i, indeg, outdeg, w, out):
    # s_i = sum_j x_ij x_+j: adding i->j adds j's in-degree counted with the new tie.
    for j in range(x.shape[0]):
        out[j] = indeg[j] - x[i, j] + 1.0


@njit(cache=True)
def _c_out_pop(x, xt, i, indeg, outdeg, w, out):
    # s_i = sum_j x_ij x_j+: adding i->j adds j's out-degree.
    for j in range(x.shape[0]):
        out[j] = outdeg[j]


@njit(cache=True)
def _c_out_act(x, xt, i, indeg, outdeg, w, out):
    # s_i = x_i+^2: (d + 1)^2 - d^2 = 2d + 1 with d the out-degree without i->j.
    d = outdeg[i]
    for j in range(x.shape[0]):
        out[j] = 2.0 * (d - x[i, j]) + 1.0


@njit(cache=True)
def _c_in_act(x, xt, i, indeg, outdeg, w, out):
    # s_i = x_i+ x_+i: adding i->j adds i's in-degree.
    out[:] = indeg[i]


@njit(cache=True)
def _c_dyadic(x, xt, i, indeg, outdeg, w, out):
    # s_i = sum_j x_ij w_ij.
    for j in range(x.shape[0]):
        out[j] = w[i, j]


# ------------------------------------------------------------------------- statistics
# Signature: (x, indeg, outdeg, w) -> float; x is the n×n int8 adjacency matrix.


@njit(cache=True)
def _s_density(x, indeg, outdeg, w):
    return float(outdeg.sum())


@njit(cache=True)
def _s_recip(x, indeg, outdeg, w):
    n, s = x.shape[0], 0.0
    for i in range(n):
        for j in range(n):
            s += x[i, j] * x[j, i]
    return s


@njit(cache=True)
def _two_paths(x, i):
    """a_k = number of two-paths i -> h -> k."""
    n = x.shape[0]
    a = np.zeros(n)
    for h in range(n):
        if x[i, h]:
            for k in range(n):
                a[k] += x[h, k]
    return a


@njit(cache=True)
def _s_trans_trip(x, indeg, outdeg, w):
    n, s = x.shape[0], 0.0
    for i in range(n):
        a = _two_paths(x, i)
        for j in range(n):
            if x[i, j]:
                s += a[j]
    return s


@njit(cache=True)
def _s_trans_ties(x, indeg, outdeg, w):
    n, s = x.shape[0], 0.0
    for i in range(n):
        a = _two_paths(x, i)
        for j in range(n):
            if x[i, j] and a[j] > 0:
                s += 1.0
    return s


@njit(cache=True)
def _s_cycle3(x, indeg, outdeg, w):
    # The number of 3-cycles: sum_i sum_{j,h} x_ij x_jh x_hi counts each once per member,
    # so RSiena's target divides by 3 (ThreeCyclesEffect::tieStatistic); the ego's change
    # statistic keeps the full count.
    n, s = x.shape[0], 0.0
    for i in range(n):
        a = _two_paths(x, i)
        for j in range(n):
            if x[j, i]:
                s += a[j]
    return s / 3.0


@njit(cache=True)
def _s_in_pop(x, indeg, outdeg, w):
    return float((indeg * indeg).sum())


@njit(cache=True)
def _s_out_pop(x, indeg, outdeg, w):
    # sum_i sum_j x_ij x_j+ = sum_j x_+j x_j+; inAct's sum_i x_i+ x_+i is the same
    # number, so inAct uses this function too (its change statistic differs).
    return float((indeg * outdeg).sum())


@njit(cache=True)
def _s_out_act(x, indeg, outdeg, w):
    return float((outdeg * outdeg).sum())


@njit(cache=True)
def _s_dyadic(x, indeg, outdeg, w):
    n, s = x.shape[0], 0.0
    for i in range(n):
        for j in range(n):
            if x[i, j]:
                s += w[i, j]
    return s


# --------------------------------------------------------------------------- registry


@dataclass(frozen=True)
class Effect:
    """One evaluation-function effect as RSiena names it.

    Attributes
    ----------
    name
        RSiena's short name (``"recip"``, ``"simX"``, ...).
    code
        Kernel code the compiled ministep dispatches on.
    covariate
        ``"actor"``, ``"dyadic"`` or ``None`` (structural effect).
    description
        RSiena's effect name in words (``"reciprocity"``).
    meaning
        What a positive parameter says, with ``{cov}`` for the covariate's name.
    formula
        The actor statistic ``s_i``.
    """

    name: str
    code: int
    covariate: str | None
    description: str
    meaning: str
    formula: str
    change_fn: Callable = _c_density
    statistic_fn: Callable = _s_density
    weights_fn: Callable | None = None
    missing_rule: str = "both"  # whose missing covariate value drops a tie from the target

    def target_weights(self, w: np.ndarray, missing: np.ndarray) -> np.ndarray:
        """``w`` with the ties RSiena leaves out of the target statistic set to 0.

        A missing actor covariate value counts as the mean (0 after centring) in the
        change statistics, but a tie whose ego (``egoX``), alter (``altX``) or either end
        (``simX``, ``sameX``, ``egoXaltX``) has a missing value is left out of the
        statistic, as in RSiena's ``tieStatistic``.
        """
        out = w.copy()
        if self.missing_rule in ("ego", "both"):
            out[missing, :] = 0.0
        if self.missing_rule in ("alter", "both"):
            out[:, missing] = 0.0
        return out

    def weights(self, values: np.ndarray, info: dict) -> np.ndarray:
        """Dyadic weights ``w_ij`` of a covariate effect for one period (diagonal 0).

        ``values`` are the prepared (centred) actor values for an actor covariate or the
        centred n×n matrix for a dyadic one; ``info`` holds ``raw``, ``range``, ``sim_mean``.
        """
        if self.weights_fn is None:
            msg = f"`{self.name}` is a structural effect and has no covariate weights."
            raise TypeError(msg)
        w = np.asarray(self.weights_fn(values, info), dtype=np.float64)
        np.fill_diagonal(w, 0.0)
        return w

    def statistic(self, x: np.ndarray, w: np.ndarray | None = None) -> float:
        """The statistic ``sum_i s_i(x)`` on a 0/1 adjacency matrix."""
        x = np.ascontiguousarray(x, dtype=np.int8)
        indeg = x.sum(axis=0, dtype=np.float64)
        outdeg = x.sum(axis=1, dtype=np.float64)
        return float(self.statistic_fn(x, indeg, outdeg, _dummy_w(w)))

    def change(self, x: np.ndarray, ego: int, w: np.ndarray | None = None) -> np.ndarray:
        """Change statistics ``s_ego(x with ego->j toggled) - s_ego(x)`` for every alter ``j``.

        Entry ``ego`` is 0 (the "no change" option of a ministep).
        """
        x = np.ascontiguousarray(x, dtype=np.int8)
        xt = np.ascontiguousarray(x.T)
        indeg = x.sum(axis=0, dtype=np.float64)
        outdeg = x.sum(axis=1, dtype=np.float64)
        out = np.empty(x.shape[0])
        self.change_fn(x, xt, ego, indeg, outdeg, _dummy_w(w), out)
        out *= 1.0 - 2.0 * x[ego]
        out[ego] = 0.0
        return out


def _dummy_w(w: np.ndarray | None) -> np.ndarray:
    return np.zeros((1, 1)) if w is None else np.ascontiguousarray(w, dtype=np.float64)


def _ego(v, info):
    return np.repeat(v[:, None], v.size, axis=1)


def _alter(v, info):
    return np.repeat(v[None, :], v.size, axis=0)


def _sim(v, info):
    # RSiena: sim_ij = 1 - |v_i - v_j| / range, centred by its mean over ordered pairs.
    return 1.0 - np.abs(v[:, None] - v[None, :]) / info["range"] - info["sim_mean"]


def _same(v, info):
    raw = info["raw"]
    ok = ~np.isnan(raw)
    return ((raw[:, None] == raw[None, :]) & ok[:, None] & ok[None, :]).astype(np.float64)


def _ego_alter(v, info):
    return v[:, None] * v[None, :]


def _dyad(w, info):
    return w.copy()


def _structural(name, code, description, meaning, formula, change_fn, statistic_fn):
    return Effect(name, code, None, description, meaning, formula, change_fn, statistic_fn)


def _covariate(name, kind, description, meaning, formula, weights_fn, missing_rule="both"):
    return Effect(
        name,
        DYADIC,
        kind,
        description,
        meaning,
        formula,
        _c_dyadic,
        _s_dyadic,
        weights_fn,
        missing_rule,
    )


EFFECTS: dict[str, Effect] = {
    e.name: e
    for e in (
        _structural(
            "density",
            DENSITY,
            "outdegree (density)",
            "ties are worth having in themselves, whatever else holds (it is usually "
            "negative: ties cost effort, and only the other effects make some worth it)",
            "sum_j x_ij",
            _c_density,
            _s_density,
        ),
        _structural(
            "recip",
            RECIP,
            "reciprocity",
            "people return ties: a tie is more attractive when the other person already "
            "named them",
            "sum_j x_ij x_ji",
            _c_recip,
            _s_recip,
        ),
        _structural(
            "transTrip",
            TRANS_TRIP,
            "transitive triplets",
            "friends of friends become friends (triadic closure), counted per two-path",
            "sum_{j,h} x_ij x_ih x_hj",
            _c_trans_trip,
            _s_trans_trip,
        ),
        _structural(
            "transTies",
            TRANS_TIES,
            "transitive ties",
            "ties to people reachable through at least one intermediary are preferred",
            "sum_j x_ij max_h x_ih x_hj",
            _c_trans_ties,
            _s_trans_ties,
        ),
        _structural(
            "cycle3",
            CYCLE3,
            "3-cycles",
            "generalised exchange (A names B, B names C, C names A); a negative value "
            "alongside positive transitive triplets means triads are hierarchical",
            "sum_{j,h} x_ij x_jh x_hi",
            _c_cycle3,
            _s_cycle3,
        ),
        _structural(
            "inPop",
            IN_POP,
            "indegree - popularity",
            "people who are already named often attract further ties (rich get richer)",
            "sum_j x_ij x_+j",
            _c_in_pop,
            _s_in_pop,
        ),
        _structural(
            "outPop",
            OUT_POP,
            "outdegree - popularity",
            "people who name many others attract ties",
            "sum_j x_ij x_j+",
            _c_out_pop,
            _s_out_pop,
        ),
        _structural(
            "outAct",
            OUT_ACT,
            "outdegree - activity",
            "people who already name many others add further ties more readily",
            "x_i+^2",
            _c_out_act,
            _s_out_act,
        ),
        _structural(
            "inAct",
            IN_ACT,
            "indegree - activity",
            "people who are named often name more others",
            "x_i+ x_+i",
            _c_in_act,
            _s_out_pop,
        ),
        _covariate(
            "egoX",
            "actor",
            "{cov} ego",
            "people with higher {cov} send more ties",
            "x_i+ v_i",
            _ego,
            "ego",
        ),
        _covariate(
            "altX",
            "actor",
            "{cov} alter",
            "people with higher {cov} receive more ties",
            "sum_j x_ij v_j",
            _alter,
            "alter",
        ),
        _covariate(
            "simX",
            "actor",
            "{cov} similarity",
            "ties form between people with similar {cov} (homophily)",
            "sum_j x_ij (sim_ij - mean sim), sim_ij = 1 - |v_i - v_j| / range",
            _sim,
        ),
        _covariate(
            "sameX",
            "actor",
            "same {cov}",
            "ties form between people with the same {cov}; a negative value means ties "
            "across {cov} groups are preferred",
            "sum_j x_ij 1[v_i = v_j]",
            _same,
        ),
        _covariate(
            "egoXaltX",
            "actor",
            "{cov} ego x {cov} alter",
            "people with high {cov} prefer others with high {cov}",
            "sum_j x_ij v_i v_j",
            _ego_alter,
        ),
        _covariate(
            "X",
            "dyadic",
            "{cov}",
            "ties are more likely between pairs with a higher {cov}",
            "sum_j x_ij w_ij",
            _dyad,
        ),
    )
}


def effect_names() -> list[str]:
    """RSiena short names of the effects :func:`~connectnet.fit_saom` knows."""
    return list(EFFECTS)
