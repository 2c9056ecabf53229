"""Simulating the actor-oriented process by ministeps (compiled with numba).

One *ministep*: an actor ``i`` (every actor has the same rate within a period) gets the
opportunity to change one outgoing tie. With ``c_kj`` the change statistic of effect
``k`` for toggling ``i -> j`` (0 for ``j = i``, "no change"), ``i`` chooses ``j`` with
the multinomial-logit probability

.. math:: p_j = \\exp(\\sum_k \\beta_k c_{kj}) / \\sum_h \\exp(\\sum_k \\beta_k c_{kh}).

All alters' change statistics are computed at once (one pass over ``i``'s neighbours per
effect). Each period starts from the imputed observed start network. *Unconditional*
simulation waits exponential times with rate ``n λ_m`` and stops at time 1; *conditional*
simulation (RSiena's default) uses rate 1 and stops when the number of changed tie
variables observed at both ends of the period reaches the observed number; the time it
took estimates ``λ_m``. The simulation also returns the *score* of each parameter,
``sum over ministeps of c_k(chosen) - sum_j p_j c_kj`` (and for a rate
``N_m / λ_m - n``), from which the estimator gets its derivative matrix as RSiena does.

Interface for goodness of fit and composition change (issue 15)
---------------------------------------------------------------
:func:`simulate_periods` re-simulates a fitted model: ``result._model`` (a
:class:`SimulationModel`) holds the prepared data (``Prepared``: start networks,
missing masks, dyadic weights per period, ``present`` mask) and the estimated
parameters. Composition change plugs in through ``Prepared.present`` — a ``(periods,
n)`` boolean mask. The kernel never picks an absent actor as ego and gives absent
alters probability 0, and the rate is per present actor, so joiners and leavers only
need that mask filled (:mod:`connectnet.saom._composition`). As in RSiena, actors not
taking part have no ties while the period runs, and their start-of-period ties are put
back at its end, so they add nothing to the observed-minus-simulated statistics.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numba import njit

from connectnet.saom import effects as fx
from connectnet.saom._data import Prepared

__all__ = ["SimulationModel", "simulate_periods"]

MAX_STEPS = 1_000_000  # per period, as RSiena ("Unlikely to terminate this epoch")


@dataclass(frozen=True)
class SimulationModel:
    """What is needed to simulate a fitted model again (kept in ``SAOMResult._model``)."""

    data: Prepared
    theta: np.ndarray  # (K,) evaluation parameters in effect order
    rates: np.ndarray  # (P,) rate per period (estimated)
    conditional: bool


# ---------------------------------------------------------------------------- kernels


@njit(cache=True)
def _contribution(code, x, xt, i, indeg, outdeg, w, out):
    if code == fx.DENSITY:
        fx._c_density(x, xt, i, indeg, outdeg, w, out)
    elif code == fx.RECIP:
        fx._c_recip(x, xt, i, indeg, outdeg, w, out)
    elif code == fx.TRANS_TRIP:
        fx._c_trans_trip(x, xt, i, indeg, outdeg, w, out)
    elif code == fx.TRANS_TIES:
        fx._c_trans_ties(x, xt, i, indeg, outdeg, w, out)
    elif code == fx.CYCLE3:
        fx._c_cycle3(x, xt, i, indeg, outdeg, w, out)
    elif code == fx.IN_POP:
        fx._c_in_pop(x, xt, i, indeg, outdeg, w, out)
    elif code == fx.OUT_POP:
        fx._c_out_pop(x, xt, i, indeg, outdeg, w, out)
    elif code == fx.OUT_ACT:
        fx._c_out_act(x, xt, i, indeg, outdeg, w, out)
    elif code == fx.IN_ACT:
        fx._c_in_act(x, xt, i, indeg, outdeg, w, out)
    else:
        fx._c_dyadic(x, xt, i, indeg, outdeg, w, out)


@njit(cache=True)
def _statistic(code, x, indeg, outdeg, w):
    if code == fx.DENSITY:
        return fx._s_density(x, indeg, outdeg, w)
    if code == fx.RECIP:
        return fx._s_recip(x, indeg, outdeg, w)
    if code == fx.TRANS_TRIP:
        return fx._s_trans_trip(x, indeg, outdeg, w)
    if code == fx.TRANS_TIES:
        return fx._s_trans_ties(x, indeg, outdeg, w)
    if code == fx.CYCLE3:
        return fx._s_cycle3(x, indeg, outdeg, w)
    if code == fx.IN_POP:
        return fx._s_in_pop(x, indeg, outdeg, w)
    if code == fx.OUT_POP:
        return fx._s_out_pop(x, indeg, outdeg, w)
    if code == fx.OUT_ACT:
        return fx._s_out_act(x, indeg, outdeg, w)
    if code == fx.IN_ACT:
        return fx._s_out_pop(x, indeg, outdeg, w)  # the same target statistic
    return fx._s_dyadic(x, indeg, outdeg, w)


@njit(cache=True)
def _period(
    x, start, miss, present, codes, widx, weights, theta, rate, conditional, target, rng, sc
):
    """Simulate one period in place on ``x``; returns (time, ministeps, distance).

    ``sc`` (K,) accumulates the evaluation scores.
    """
    n = x.shape[0]
    K = codes.shape[0]
    xt = np.ascontiguousarray(x.T)
    indeg = np.zeros(n)
    outdeg = np.zeros(n)
    for a in range(n):
        for b in range(n):
            outdeg[a] += x[a, b]
            indeg[b] += x[a, b]
    actors = np.flatnonzero(present)
    n_act = actors.shape[0]
    delta = np.zeros((K, n))
    buf = np.zeros(n)
    none = np.zeros((1, 1))
    u = np.zeros(n)
    p = np.zeros(n)
    time = 0.0
    steps = 0
    dist = 0
    if n_act == 0:
        return time, steps, dist
    while True:
        tau = rng.standard_exponential() / (n_act * rate)
        if not conditional and time + tau >= 1.0:
            break
        time += tau
        i = actors[rng.integers(0, n_act)]
        for k in range(K):
            w = weights[widx[k]] if widx[k] >= 0 else none
            _contribution(codes[k], x, xt, i, indeg, outdeg, w, buf)
            for j in range(n):
                delta[k, j] = buf[j] * (1.0 - 2.0 * x[i, j])
            delta[k, i] = 0.0
        umax = 0.0
        for j in range(n):
            s = 0.0
            if j != i:
                for k in range(K):
                    s += theta[k] * delta[k, j]
            u[j] = s
            if present[j] and s > umax:
                umax = s
        total = 0.0
        for j in range(n):
            if present[j] or j == i:
                p[j] = np.exp(u[j] - umax)
            else:
                p[j] = 0.0
            total += p[j]
        r = rng.random() * total
        choice = i
        acc = 0.0
        for j in range(n):
            acc += p[j]
            if p[j] > 0.0 and r < acc:
                choice = j
                break
        for k in range(K):
            expected = 0.0
            for j in range(n):
                expected += p[j] * delta[k, j]
            sc[k] += delta[k, choice] - expected / total
        steps += 1
        if choice != i:
            j = choice
            new = 1 - x[i, j]
            x[i, j] = new
            xt[j, i] = new
            d = 1.0 if new else -1.0
            outdeg[i] += d
            indeg[j] += d
            if not miss[i, j]:
                dist += 1 if new != start[i, j] else -1
        if conditional and dist >= target:
            break
        if steps >= MAX_STEPS:
            break
    return time, steps, dist


@njit(cache=True)
def _run(
    imputed,
    miss_either,
    present,
    codes,
    widx,
    weights,
    target_w,
    theta,
    rates,
    conditional,
    targets,
    rng,
):
    """Simulate every period once. Returns per-period statistics (P, K), evaluation
    scores (P, K), times, ministep counts, simulated distances and end networks."""
    P = miss_either.shape[0]
    n = imputed.shape[1]
    K = codes.shape[0]
    stats = np.zeros((P, K))
    scores = np.zeros((P, K))
    times = np.zeros(P)
    steps = np.zeros(P, dtype=np.int64)
    dists = np.zeros(P, dtype=np.int64)
    ends = np.zeros((P, n, n), dtype=np.int8)
    none = np.zeros((1, 1))
    for m in range(P):
        x = imputed[m].copy()
        # Actors not taking part have no ties while the period runs (RSiena clears a
        # leaver's ties); their start values are put back before the statistics.
        for a in range(n):
            if not present[m, a]:
                for b in range(n):
                    x[a, b] = 0
                    x[b, a] = 0
        t, s, d = _period(
            x,
            imputed[m],
            miss_either[m],
            present[m],
            codes,
            widx,
            weights[m],
            theta,
            rates[m],
            conditional,
            targets[m],
            rng,
            scores[m],
        )
        for a in range(n):
            if not present[m, a]:
                for b in range(n):
                    x[a, b] = imputed[m, a, b]
                    x[b, a] = imputed[m, b, a]
        times[m] = t
        steps[m] = s
        dists[m] = d
        ends[m] = x
        for a in range(n):
            for b in range(n):
                if miss_either[m, a, b]:
                    x[a, b] = 0
        indeg = np.zeros(n)
        outdeg = np.zeros(n)
        for a in range(n):
            for b in range(n):
                outdeg[a] += x[a, b]
                indeg[b] += x[a, b]
        for k in range(K):
            w = target_w[m, widx[k]] if widx[k] >= 0 else none
            stats[m, k] = _statistic(codes[k], x, indeg, outdeg, w)
    return stats, scores, times, steps, dists, ends


# ---------------------------------------------------------------------------- Python


@dataclass(frozen=True)
class Run:
    """One simulation of all periods."""

    stats: np.ndarray  # (P, K)
    scores: np.ndarray  # (P, K)
    times: np.ndarray  # (P,)
    steps: np.ndarray  # (P,)
    distances: np.ndarray  # (P,)
    ends: np.ndarray  # (P, n, n) int8, the simulated networks (missing not zeroed)


def simulate_once(
    data: Prepared,
    theta: np.ndarray,
    rates: np.ndarray,
    *,
    conditional: bool,
    rng: np.random.Generator,
) -> Run:
    """Simulate every period of ``data`` once at ``theta`` (and ``rates`` if unconditional)."""
    out = _run(
        data.imputed,
        data.miss_either,
        data.present,
        data.codes,
        data.weight_index,
        data.weights,
        data.target_weights,
        np.ascontiguousarray(theta, dtype=np.float64),
        np.ascontiguousarray(
            rates if not conditional else np.ones(data.n_periods), dtype=np.float64
        ),
        conditional,
        data.distance.astype(np.int64),
        rng,
    )
    run = Run(*out)
    if (run.steps >= MAX_STEPS).any():
        period = int(np.argmax(run.steps >= MAX_STEPS)) + 1
        msg = (
            f"the simulation of period {period} did not end within {MAX_STEPS:,} ministeps "
            f"(parameters {np.round(theta, 3).tolist()}): the model cannot reproduce the "
            "observed change; drop effects whose estimates grow without bound."
        )
        raise RuntimeError(msg)
    return run


def simulate_periods(result, *, n_sim: int, seed: int | np.random.Generator | None = None) -> list:
    """Simulate a fitted model again: the network at the end of each period.

    Parameters
    ----------
    result
        A :class:`~connectnet.SAOMResult`.
    n_sim
        Number of simulations.
    seed
        Seed or generator.

    Returns
    -------
    list
        ``n_sim`` lists, one n×n ``int8`` array per period (the simulated network at the
        end of the period, node order ``result.nodes``; tie variables missing in the data
        keep their simulated values).
    """
    model: SimulationModel = result._model
    rng = np.random.default_rng(seed)
    out = []
    for _ in range(int(n_sim)):
        run = simulate_once(
            model.data, model.theta, model.rates, conditional=model.conditional, rng=rng
        )
        out.append([run.ends[m].copy() for m in range(model.data.n_periods)])
    return out
