"""Method-of-moments estimation by Robbins–Monro stochastic approximation, as RSiena does.

The estimate solves ``E_theta[S] = s_obs`` (simulated statistics equal the observed
targets, summed over periods). Following RSiena's ``siena07`` with its default
algorithm settings (``sienaAlgorithmCreate()``: ``nsub=4``, ``firstg=0.2``,
``reduceg=0.5``, ``diagonalize=0.2``, ``truncation=5``, ``dolby=TRUE``, ``n3=1000``):

* **Phase 1** (``max(7 + 3p, 50)`` simulations at the start values): the derivative
  matrix ``D = dE[S]/dtheta`` from the scores (``D = sum over periods of
  Cov(S_m, score_m)``), then a damped quasi-Newton step
  ``theta -= 0.1 * D^{-1} (mean S - s_obs)``; phase 2 uses
  ``D_v = 0.8 D + 0.2 diag(D)``.
* **Phase 2** (four subphases, gain ``0.2, 0.1, 0.05, 0.025``): after each simulation
  ``theta -= a * D_v^{-1} (S - s_obs - b * score)`` (``b``: the regression of the
  statistics on the scores from phase 1, RSiena's variance-reducing ``dolby``), each
  component scaled down so the step has standard deviation at most 1, and the whole
  deviation truncated at a Mahalanobis length of 5; with RSiena's ``doubleAveraging
  = 0`` the deviation is the sum over the subphase so far and the step starts from the
  subphase's running average of ``theta``. A
  subphase ends when every parameter's deviations are negatively autocorrelated (after at least
  ``n2min = (7 + p) 2.52^k`` steps) or after ``n2min + 200``; its estimate is the
  average over the subphase.
* **Phase 3** (``n3`` simulations at the estimate): convergence t-ratios
  ``(mean S - s_obs) / sd(S)``, the overall maximum convergence ratio
  ``sqrt(d' Cov(S)^{-1} d)`` and the covariance ``D^{-1} Cov(S) D^{-T}``.

Conditional estimation leaves the rates out of ``theta``: each period is simulated until
the observed number of changes is reached, and the rate estimate is the mean simulated
time at rate 1 (with the standard deviation as its standard error, as RSiena reports).

References
----------
Snijders, T. A. B. (2001). The statistical evaluation of social network dynamics.
*Sociological Methodology* 31, 361–395.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from typing import Any

import numpy as np

from connectnet.saom._data import Prepared
from connectnet.saom._simulate import simulate_once

__all__: list[str] = []

FIRSTG = 0.2
REDUCEG = 0.5
DIAGONALIZE = 0.2
TRUNCATION = 5.0
NSUB = 4
SCALE = 0.1
THETA_BOUND = 50.0  # RSiena's thetaBound: larger values mean a diverging estimate


@dataclass(frozen=True)
class Estimate:
    theta: np.ndarray  # (K,) evaluation parameters
    cov: np.ndarray  # (pp, pp) covariance of the estimated parameters (rates first if any)
    rates: np.ndarray  # (P,)
    rate_se: np.ndarray  # (P,)
    t_conv: np.ndarray  # (pp,)
    max_convergence: float
    targets: np.ndarray  # (pp,)
    phase3_mean: np.ndarray  # (pp,) mean simulated statistics in phase 3
    n_iterations: tuple[int, int, int]
    ministeps: int


def _progress(total: int, progress: bool | None) -> Any:
    from tqdm import tqdm

    if progress is None:
        disable = not (hasattr(sys.stderr, "isatty") and sys.stderr.isatty())
    else:
        disable = not progress
    return tqdm(total=total, desc="SAOM phase 1", unit="sim", disable=disable, leave=False)


def start_values(data: Prepared) -> tuple[np.ndarray, np.ndarray]:
    """RSiena's default start values: rates from the distances, outdegree from the
    0→1 and 1→0 change proportions (``getNetworkStartingVals``); other effects 0."""
    n = data.n
    alphas, precs, rates = [], [], []
    for m in range(data.n_periods):
        ok = ~data.miss_either[m]
        np.fill_diagonal(ok, False)
        a, b = data.imputed[m][ok], data.imputed[m + 1][ok]
        c00, c01 = float(((a == 0) & (b == 0)).sum()), float(((a == 0) & (b == 1)).sum())
        c10, c11 = float(((a == 1) & (b == 0)).sum()), float(((a == 1) & (b == 1)).sum())
        count = float(ok.sum())  # tie variables observed at both ends, diagonal excluded
        rates.append(min(100.0, max(0.1, n * (0.2 + 2 * data.distance[m]) / (count + 1))))
        p01 = np.clip(c01 / (c00 + c01) if c00 + c01 >= 1 else 0.5, 0.02, 0.98)
        p10 = np.clip(c10 / (c10 + c11) if c10 + c11 >= 1 else 0.5, 0.02, 0.98)
        p00 = np.clip(c00 / (c00 + c01) if c00 + c01 >= 1 else 0.0, 0.02, 0.98)
        p11 = np.clip(c11 / (c10 + c11) if c10 + c11 >= 1 else 0.0, 0.02, 0.98)
        alphas.append(0.5 * np.log(p01 / p10))
        precs.append(4 / (p00 / c01 + p11 / c10) if c01 * c10 >= 1 else 1e-6)
    prec = np.array(precs)
    density = float(np.clip((np.array(alphas) * prec / prec.sum()).sum(), -3, 3))
    theta = np.zeros(len(data.terms))
    theta[[t.label for t in data.terms].index("density")] = density
    return theta, np.array(rates)


class _Moments:
    """Simulated statistics, scores and times for the full parameter vector.

    Conditional: ``theta`` = evaluation parameters. Unconditional: rates first, then the
    evaluation parameters; rate ``m``'s statistic is the simulated distance of period m.
    """

    def __init__(self, data: Prepared, conditional: bool, rng: np.random.Generator):
        self.data, self.conditional, self.rng = data, conditional, rng
        self.P, self.K = data.n_periods, len(data.terms)
        self.n_rates = 0 if conditional else self.P
        self.ministeps = 0

    def split(self, theta: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        if self.conditional:
            return theta, np.ones(self.P)
        return theta[self.P :], theta[: self.P]

    def simulate(self, theta: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Per-period statistics and scores ``(P, pp)`` and times ``(P,)``."""
        beta, rates = self.split(theta)
        run = simulate_once(self.data, beta, rates, conditional=self.conditional, rng=self.rng)
        self.ministeps += int(run.steps.sum())
        if self.conditional:
            return run.stats, run.scores, run.times
        P = self.P
        stats = np.zeros((P, P + self.K))
        scores = np.zeros((P, P + self.K))
        stats[:, P:], scores[:, P:] = run.stats, run.scores
        present = self.data.present.sum(axis=1)
        for m in range(P):
            stats[m, m] = run.distances[m]
            scores[m, m] = run.steps[m] / rates[m] - present[m]
        return stats, scores, run.times


def _derivative(stats: np.ndarray, scores: np.ndarray) -> np.ndarray:
    """``D[a, b] = dE[S_a]/dtheta_b = sum_m Cov(S_ma, score_mb)`` from (N, P, pp) arrays."""
    n = stats.shape[0]
    ds = stats - stats.mean(axis=0)
    return np.einsum("nma,nmb->ab", ds, scores - scores.mean(axis=0)) / n


def _positivity(fchange: np.ndarray, theta: np.ndarray, n_rates: int) -> np.ndarray:
    """Rates stay positive: a step that would cross zero halves the rate instead."""
    out = fchange.copy()
    r = slice(0, n_rates)
    over = out[r] > theta[r]
    out[r] = np.where(over, 0.5 * theta[r], out[r])
    return out


def robbins_monro(
    data: Prepared,
    targets_by_period: np.ndarray,
    *,
    conditional: bool,
    n_phase3: int,
    rng: np.random.Generator,
    progress: bool | None,
) -> Estimate:
    """Estimate the model (see the module docstring)."""
    sims = _Moments(data, conditional, rng)
    beta0, rate0 = start_values(data)
    theta = beta0 if conditional else np.concatenate([rate0, beta0])
    pp = theta.size
    targets = targets_by_period.sum(axis=0)
    if not conditional:
        targets = np.concatenate([data.distance.astype(float), targets])
    n1 = max(7 + 3 * pp, 50)
    n2min = [int((7 + pp) * 2.52)]
    for _ in range(NSUB - 1):
        n2min.append(int(n2min[-1] * 2.52))
    n2max = [m + 200 for m in n2min]
    with _progress(n1 + sum(n2max) + n_phase3, progress) as bar:
        theta, dinvv, regr, sd_scale, invcov, n1_done = _phase1(sims, theta, targets, n1, bar)
        theta, n2_done = _phase2(
            sims, theta, targets, dinvv, regr, sd_scale, invcov, n2min, n2max, bar
        )
        bar.set_description("SAOM phase 3")
        bar.total = n1_done + n2_done + n_phase3
        stats, scores, times = _batch(sims, theta, n_phase3, bar)
    sf = stats.sum(axis=1) - targets
    D = _derivative(stats, scores)
    msf = np.atleast_2d(np.cov(sf, rowvar=False))
    mean_dev = sf.mean(axis=0)
    sd = np.sqrt(np.diag(msf))
    t_conv = np.where(sd > 1e-10, mean_dev / np.where(sd > 0, sd, 1.0), 0.0)
    try:
        max_conv = float(np.sqrt(mean_dev @ np.linalg.solve(msf, mean_dev)))
    except np.linalg.LinAlgError:
        max_conv = float("nan")
    try:
        dinv = np.linalg.inv(D)
        cov = dinv @ msf @ dinv.T
    except np.linalg.LinAlgError:
        cov = np.full((pp, pp), np.nan)
    beta, rates = sims.split(theta)
    if conditional:
        rates = times.mean(axis=0)
        rate_se = times.std(axis=0, ddof=1)
    else:
        rate_se = np.sqrt(np.diag(cov)[: sims.P])
    return Estimate(
        theta=beta.copy(),
        cov=cov,
        rates=np.asarray(rates, dtype=float).copy(),
        rate_se=np.asarray(rate_se, dtype=float),
        t_conv=t_conv,
        max_convergence=max_conv,
        targets=targets,
        phase3_mean=stats.sum(axis=1).mean(axis=0),
        n_iterations=(n1_done, n2_done, n_phase3),
        ministeps=sims.ministeps,
    )


def _batch(sims: _Moments, theta: np.ndarray, n: int, bar: Any):
    P, pp = sims.P, theta.size
    stats = np.zeros((n, P, pp))
    scores = np.zeros((n, P, pp))
    times = np.zeros((n, P))
    for r in range(n):
        stats[r], scores[r], times[r] = sims.simulate(theta)
        bar.update(1)
    return stats, scores, times


def _phase1(sims: _Moments, theta, targets, n1, bar):
    stats, scores, _ = _batch(sims, theta, n1, bar)
    D = _derivative(stats, scores)
    # RSiena lengthens phase 1 when the derivative is unreliable (a non-positive diagonal)
    while np.any(np.diag(D) <= 0) and stats.shape[0] < 200:
        more_s, more_c, _ = _batch(sims, theta, stats.shape[0], bar)
        stats = np.concatenate([stats, more_s])
        scores = np.concatenate([scores, more_c])
        D = _derivative(stats, scores)
    diag = np.diag(D).copy()
    diag[diag < 1e-8] = 1e-3
    np.fill_diagonal(D, diag)
    sf = stats.sum(axis=1) - targets
    total_scores = scores.sum(axis=1)
    regr = np.zeros(theta.size)
    for a in range(theta.size):
        vs, vf = total_scores[:, a].var(ddof=1), sf[:, a].var(ddof=1)
        if vs > 0 and vf > 0:
            regr[a] = np.cov(sf[:, a], total_scores[:, a])[0, 1] / vs
    dv = (1 - DIAGONALIZE) * D + DIAGONALIZE * np.diag(np.diag(D))
    dinvv = np.linalg.inv(dv)
    # RSiena 1.6.2's step after phase 1 is the full Newton direction D^{-1} (phase 2 uses
    # the partly diagonalised D_v^{-1})
    fchange = 0.5 * FIRSTG * np.linalg.solve(D, sf.mean(axis=0))
    maxrat = np.max(np.abs(fchange / SCALE))
    if maxrat > 10:
        fchange = 10 * fchange / maxrat
    theta = theta - _positivity(fchange, theta, sims.n_rates)
    msf = np.atleast_2d(np.cov(sf, rowvar=False))
    sd_scale = 1 / np.sqrt(np.maximum(np.diag(dinvv @ msf @ dinvv.T), 0))
    invcov = np.linalg.inv(msf + 1e-4 * np.eye(theta.size))
    return theta, dinvv, regr, sd_scale, invcov, stats.shape[0]


def _check_bound(theta: np.ndarray, sims: _Moments) -> None:
    big = np.abs(theta[sims.n_rates :]) > THETA_BOUND
    if big.any():
        labels = [t.label for t in sims.data.terms]
        names = ", ".join(f"`{labels[k]}`" for k in np.flatnonzero(big))
        msg = (
            f"the estimate of {names} passed {THETA_BOUND:g} in absolute value and is "
            "diverging: the data cannot identify it (e.g. its statistic is at its smallest "
            "or largest possible value). Leave it out of `effects`."
        )
        raise RuntimeError(msg)


def _phase2(sims: _Moments, theta, targets, dinvv, regr, sd_scale, invcov, n2min, n2max, bar):
    gain = FIRSTG
    done = 0
    pp = theta.size
    for k in range(NSUB):
        bar.set_description(f"SAOM phase 2.{k + 1}")
        thav, thavn = theta.copy(), 1
        sumfra = np.zeros(pp)
        prod0, prod1 = np.zeros(pp), np.zeros(pp)
        prev = np.zeros(pp)
        maxacor = -1.0
        nit = 0
        while True:
            nit += 1
            stats, scores, _ = sims.simulate(theta)
            fra = stats.sum(axis=0) - targets - regr * scores.sum(axis=0)
            if nit % 2 == 1:
                prev = fra
            else:
                prod0 += fra * fra
                prod1 += fra * prev
                ac = np.where(prod0 > 1e-12, prod1 / np.where(prod0 > 1e-12, prod0, 1), -2.0)
                maxacor = float(ac.max())
            ratio = float(np.sqrt(max(fra @ invcov @ fra, 0) / pp))
            if np.isfinite(ratio) and ratio > TRUNCATION:
                fra = TRUNCATION * fra / ratio
            # RSiena's default doubleAveraging = 0 (from subphase 1 on): the step is the
            # sum of the subphase's deviations so far, taken from their running average
            sumfra += fra
            step = (dinvv @ sumfra) * np.minimum(sd_scale, 1.0)
            fchange = np.nan_to_num(gain * step)
            theta = thav / thavn - _positivity(fchange, theta, sims.n_rates)
            _check_bound(theta, sims)
            thav += theta
            thavn += 1
            bar.update(1)
            if (nit >= n2min[k] and maxacor < 1e-10) or nit >= n2max[k]:
                break
        done += nit
        theta = thav / thavn
        gain *= REDUCEG
    return theta, done
