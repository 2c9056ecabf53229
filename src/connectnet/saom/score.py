"""Score-type tests for a fitted SAOM: an effect left out, and effects that differ by period.

Both tests need no new estimation. The fitted model is simulated ``n_sim`` times at its
estimate, and the statistics of the model's effects and of the tested ones are compared
with their observed values (the method-of-moments score test of Schweinberger 2012, as
RSiena computes it when an effect is fixed at 0 with ``test=TRUE``):

* ``z = mean simulated - observed`` for every statistic, split into the model's own
  ``z1`` and the tested ``z2``; ``D`` the derivative matrix of the expected statistics
  (score-function estimate, as in estimation) and ``Σ`` the covariance of the simulated
  statistics, partitioned the same way.
* The tested deviations are made orthogonal to the estimated ones,
  ``o = z2 - D21 D11⁻¹ z1``, with variance
  ``V = Σ22 - D21 D11⁻¹ Σ12 - (Σ21 - D21 D11⁻¹ Σ11) D11⁻ᵀ D21ᵀ``.
* ``c = oᵀ V⁻¹ o`` is approximately chi-squared with as many degrees of freedom as
  tested parameters. For one parameter the signed ``-o / sqrt(V)`` is a standard normal
  whose sign says in which direction the left-out effect would go, and the one-step
  estimate ``-(D⁻¹ z)`` approximates its value.

**Time heterogeneity** (Lospinoso et al. 2011): with three or more waves, each effect
``k`` gets a dummy parameter for every period after the first, whose statistic is the
effect's statistic in that period only; all dummies fixed at 0 are tested jointly (do the
effects change between periods?) and per effect.

References
----------
Schweinberger, M. (2012). Statistical modelling of network panel data: goodness of fit.
*British Journal of Mathematical and Statistical Psychology* 65, 263–281.

Lospinoso, J. A., Schweinberger, M., Snijders, T. A. B. & Ripley, R. M. (2011).
Assessing and accounting for time heterogeneity in stochastic actor oriented models.
*Advances in Data Analysis and Classification* 5, 147–176.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd
from scipy.stats import chi2

if TYPE_CHECKING:  # pragma: no cover
    from connectnet.saom.result import SAOMResult

__all__ = ["SAOMScoreTest", "SAOMTimeTest", "saom_score_test", "saom_time_test"]


@dataclass(frozen=True)
class SAOMScoreTest:
    """Score-type test of effects fixed at 0 (see :func:`saom_score_test`).

    Attributes
    ----------
    effects
        Labels of the tested effects.
    observed, expected
        Observed target statistics of the tested effects and their mean in the
        simulations of the fitted model (which leaves them out).
    chi_squared, df, p_value
        The joint test statistic, its degrees of freedom and p-value.
    one_sided
        For one tested effect: the signed standard normal statistic (positive: the
        effect would be positive); ``nan`` for several.
    one_step
        One-step estimates of the tested parameters.
    """

    effects: tuple[str, ...]
    observed: np.ndarray
    expected: np.ndarray
    chi_squared: float
    df: int
    p_value: float
    one_sided: float
    one_step: np.ndarray

    def to_frame(self) -> pd.DataFrame:
        """One row per tested effect: observed, expected and the one-step estimate."""
        return pd.DataFrame(
            {"observed": self.observed, "expected": self.expected, "one_step": self.one_step},
            index=pd.Index(list(self.effects), name="effect"),
        )

    def __repr__(self) -> str:
        side = "" if math.isnan(self.one_sided) else f", one-sided z = {self.one_sided:+.2f}"
        return (
            f"SAOMScoreTest({', '.join(self.effects)} = 0: chi-squared {self.chi_squared:.3f}"
            f" on {self.df} df, p = {self.p_value:.3f}{side})"
        )


@dataclass(frozen=True)
class SAOMTimeTest:
    """Test of time heterogeneity: do the effects differ between periods?

    Attributes
    ----------
    chi_squared, df, p_value
        Joint test of all period dummies.
    by_effect
        One row per effect: ``chi_squared``, ``df``, ``p_value`` of that effect's dummies.
    dummies
        One row per dummy (effect, period): the one-step estimate of the difference
        between the effect in that period and in the first.
    """

    chi_squared: float
    df: int
    p_value: float
    by_effect: pd.DataFrame = field(repr=False)
    dummies: pd.DataFrame = field(repr=False)

    @property
    def observed(self) -> float:
        """The joint chi-squared statistic (alias for the common test interface)."""
        return self.chi_squared

    @property
    def expected(self) -> float:
        """Its expectation under homogeneity: the degrees of freedom."""
        return float(self.df)

    def to_frame(self) -> pd.DataFrame:
        """The per-effect tests (see :attr:`by_effect`)."""
        return self.by_effect.copy()

    def __repr__(self) -> str:
        verdict = "effects differ between periods" if self.p_value < 0.05 else "no evidence"
        return (
            f"SAOMTimeTest(chi-squared {self.chi_squared:.3f} on {self.df} df, "
            f"p = {self.p_value:.3f}: {verdict})"
        )


def saom_score_test(
    result: SAOMResult,
    effects: Sequence[str | tuple[str, str]],
    *,
    n_sim: int = 1000,
    seed: int | np.random.Generator | None = None,
) -> SAOMScoreTest:
    """Score-type test of adding effects to a fitted SAOM (parameters fixed at 0).

    Tells whether an effect left out of the model would improve it, without estimating
    the larger model (Schweinberger 2012; RSiena's ``test=TRUE``).

    Parameters
    ----------
    result
        A fitted model from :func:`~connectnet.fit_saom`.
    effects
        Effects to test, named as for :func:`~connectnet.fit_saom` (covariate effects
        may use any covariate given to the fit).
    n_sim
        Simulations at the estimate (RSiena uses its 1000 phase-3 runs).
    seed
        Seed or generator.

    Returns
    -------
    SAOMScoreTest
        Chi-squared statistic, degrees of freedom, p-value, the one-sided statistic for
        one effect and one-step estimates.

    Raises
    ------
    ValueError
        An effect already in the model, unknown, or without its covariate; ``n_sim``
        below 10.

    Examples
    --------
    >>> import numpy as np, connectnet as cn
    >>> rng = np.random.default_rng(1)
    >>> w1 = (rng.random((20, 20)) < 0.15).astype(float)
    >>> w2 = np.where(rng.random((20, 20)) < 0.2, 1 - w1, w1)
    >>> np.fill_diagonal(w2, 0)
    >>> res = cn.fit_saom([w1, w2], ["density", "recip"], n_phase3=100, seed=1)
    >>> test = cn.saom_score_test(res, ["transTrip"], n_sim=100, seed=2)
    >>> test.df, 0 <= test.p_value <= 1
    (1, True)

    References
    ----------
    Schweinberger, M. (2012). Statistical modelling of network panel data: goodness of
    fit. *British Journal of Mathematical and Statistical Psychology* 65, 263–281.
    """
    from connectnet.saom._data import with_effects
    from connectnet.saom._estimate import _derivative

    model = _model_of(result, n_sim)
    own = len(model.data.terms)
    if not list(effects):
        msg = "`effects` must name at least one effect to test."
        raise ValueError(msg)
    data = with_effects(model.data, effects)
    theta = np.concatenate([model.theta, np.zeros(len(data.terms) - own)])
    stats, scores, targets = _simulate_moments(data, model, theta, n_sim, seed)
    n_rates = 0 if model.conditional else data.n_periods
    statistic = stats.sum(axis=1)
    tested = np.zeros(statistic.shape[1], dtype=bool)
    tested[n_rates + own :] = True
    z = statistic.mean(axis=0) - targets
    D = _derivative(stats, scores)
    sigma = np.atleast_2d(np.cov(statistic, rowvar=False, ddof=1))
    c, one_sided = _score_statistic(D, sigma, z, tested)
    one_step = _one_step(D, z)[tested]
    labels = tuple(t.label for t in data.terms[own:])
    df = int(tested.sum())
    return SAOMScoreTest(
        effects=labels,
        observed=targets[tested],
        expected=statistic.mean(axis=0)[tested],
        chi_squared=c,
        df=df,
        p_value=float(chi2.sf(c, df)) if np.isfinite(c) else float("nan"),
        one_sided=one_sided if df == 1 else float("nan"),
        one_step=one_step,
    )


def saom_time_test(
    result: SAOMResult,
    *,
    n_sim: int = 1000,
    seed: int | np.random.Generator | None = None,
) -> SAOMTimeTest:
    """Test whether a fitted SAOM's effects differ between periods (three or more waves).

    Each effect gets a dummy for every period after the first; the score-type test of the
    dummies fixed at 0 says whether a model with period-specific parameters would fit
    better (Lospinoso et al. 2011; RSiena's ``sienaTimeTest``).

    Parameters
    ----------
    result
        A fitted model from :func:`~connectnet.fit_saom` with three or more waves.
    n_sim
        Simulations at the estimate.
    seed
        Seed or generator.

    Returns
    -------
    SAOMTimeTest
        The joint test, one test per effect and one-step estimates of the dummies.

    Raises
    ------
    ValueError
        Fewer than three waves, ``n_sim`` below 10.

    Examples
    --------
    >>> import numpy as np, connectnet as cn
    >>> rng = np.random.default_rng(1)
    >>> w = [(rng.random((20, 20)) < 0.15).astype(float)]
    >>> for _ in range(2):
    ...     nxt = np.where(rng.random((20, 20)) < 0.2, 1 - w[-1], w[-1])
    ...     np.fill_diagonal(nxt, 0)
    ...     w.append(nxt)
    >>> res = cn.fit_saom(w, ["density", "recip"], n_phase3=100, seed=1)
    >>> cn.saom_time_test(res, n_sim=100, seed=2).df
    2

    References
    ----------
    Lospinoso, J. A., Schweinberger, M., Snijders, T. A. B. & Ripley, R. M. (2011).
    Assessing and accounting for time heterogeneity in stochastic actor oriented models.
    *Advances in Data Analysis and Classification* 5, 147–176.
    """
    from connectnet.saom._estimate import _derivative

    model = _model_of(result, n_sim)
    data = model.data
    P, K = data.n_periods, len(data.terms)
    if P < 2:
        msg = (
            f"the time heterogeneity test needs three or more waves (two or more periods); "
            f"this model has {P + 1} waves."
        )
        raise ValueError(msg)
    stats, scores, targets_by_period = _simulate_moments(
        data, model, model.theta, n_sim, seed, by_period=True
    )
    n_rates = 0 if model.conditional else P
    own = n_rates + K
    # dummy (k, m) for m = 1..P-1: statistic and score of effect k in period m only
    cols = [(k, m) for m in range(1, P) for k in range(K)]
    n_dummies = len(cols)
    N = stats.shape[0]
    ext_stats = np.zeros((N, P, own + n_dummies))
    ext_scores = np.zeros_like(ext_stats)
    ext_stats[:, :, :own] = stats
    ext_scores[:, :, :own] = scores
    for d, (k, m) in enumerate(cols):
        ext_stats[:, m, own + d] = stats[:, m, n_rates + k]
        ext_scores[:, m, own + d] = scores[:, m, n_rates + k]
    observed = np.concatenate(
        [targets_by_period.sum(axis=0), [targets_by_period[m, n_rates + k] for k, m in cols]]
    )
    statistic = ext_stats.sum(axis=1)
    z = statistic.mean(axis=0) - observed
    D = _derivative(ext_stats, ext_scores)
    sigma = np.atleast_2d(np.cov(statistic, rowvar=False, ddof=1))
    tested = np.zeros(own + n_dummies, dtype=bool)
    tested[own:] = True
    c, _ = _score_statistic(D, sigma, z, tested)
    one_step = _one_step(D, z)[own:]
    labels = [t.label for t in data.terms]
    periods = [f"{m + 1}-{m + 2}" for m in range(P)]
    rows = []
    for k, label in enumerate(labels):
        mine = np.zeros_like(tested)
        mine[[own + d for d, (kk, _) in enumerate(cols) if kk == k]] = True
        keep = ~tested | mine
        ck, _ = _score_statistic(
            D[np.ix_(keep, keep)], sigma[np.ix_(keep, keep)], z[keep], mine[keep]
        )
        rows.append(
            {"effect": label, "chi_squared": ck, "df": P - 1, "p_value": _chi2_p(ck, P - 1)}
        )
    dummies = pd.DataFrame(
        {
            "effect": [labels[k] for k, _ in cols],
            "period": [periods[m] for _, m in cols],
            "one_step": one_step,
        }
    )
    return SAOMTimeTest(
        chi_squared=c,
        df=n_dummies,
        p_value=_chi2_p(c, n_dummies),
        by_effect=pd.DataFrame(rows).set_index("effect"),
        dummies=dummies,
    )


# ------------------------------------------------------------------------------ helpers


def _model_of(result: Any, n_sim: int) -> Any:
    if int(n_sim) < 10:
        msg = f"`n_sim` must be at least 10 (RSiena uses 1000); got {n_sim}."
        raise ValueError(msg)
    model = getattr(result, "_model", None)
    if model is None:
        msg = "`result` holds no fitted model to simulate; pass what `cn.fit_saom` returned."
        raise ValueError(msg)
    return model


def _simulate_moments(data, model, theta, n_sim, seed, *, by_period: bool = False):
    """Per-period statistics and scores ``(n_sim, P, pp)`` at ``theta`` and the observed
    targets (summed over periods, or ``(P, pp)`` with ``by_period``)."""
    from connectnet.saom._data import target_statistics
    from connectnet.saom._estimate import _batch, _Moments, _progress

    rng = np.random.default_rng(seed)
    sims = _Moments(data, model.conditional, rng)
    full = theta if model.conditional else np.concatenate([model.rates, theta])
    with _progress(int(n_sim), False) as bar:
        stats, scores, _ = _batch(sims, full, int(n_sim), bar)
    by = target_statistics(data)
    if not model.conditional:
        rates = np.diag(data.distance.astype(float))
        by = np.concatenate([rates, by], axis=1)
    return stats, scores, (by if by_period else by.sum(axis=0))


def _score_statistic(
    D: np.ndarray, sigma: np.ndarray, z: np.ndarray, tested: np.ndarray
) -> tuple[float, float]:
    """RSiena's ``EvaluateTestStatistic`` (method of moments): ``(c, one-sided)``."""
    est = ~tested
    d11 = D[np.ix_(est, est)]
    d21 = D[np.ix_(tested, est)]
    s11 = sigma[np.ix_(est, est)]
    s22 = sigma[np.ix_(tested, tested)]
    s12 = sigma[np.ix_(est, tested)]
    try:
        id11 = np.linalg.inv(d11)
    except np.linalg.LinAlgError:
        return float("nan"), float("nan")
    rg = d21 @ id11
    ov = z[tested] - rg @ z[est]
    v2 = s12.T - rg @ s11
    v9 = s22 - rg @ s12 - v2 @ id11.T @ d21.T
    try:
        vav = np.linalg.inv(v9)
    except np.linalg.LinAlgError:
        return float("nan"), float("nan")
    c = max(float(ov @ vav @ ov), 0.0)
    one_sided = -float(ov[0] * math.sqrt(vav[0, 0])) if vav[0, 0] > 0 else 0.0
    return c, one_sided


def _one_step(D: np.ndarray, z: np.ndarray) -> np.ndarray:
    try:
        return -np.linalg.solve(D, z)
    except np.linalg.LinAlgError:
        return np.full(z.shape, np.nan)


def _chi2_p(c: float, df: int) -> float:
    return float(chi2.sf(c, df)) if np.isfinite(c) else float("nan")
