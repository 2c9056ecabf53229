"""The fitted stochastic actor-oriented model: :class:`SAOMResult`."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

__all__ = ["SAOMResult"]

# RSiena's rule of thumb (manual, section 6.3): every |t_conv| < 0.1 and the overall
# maximum convergence ratio < 0.25.
T_CONV_LIMIT = 0.1
MAX_CONV_LIMIT = 0.25


@dataclass(frozen=True)
class SAOMResult:
    """A stochastic actor-oriented model estimated by the method of moments.

    Attributes
    ----------
    effects
        Effect labels in model order (``"density"``, ``"recip"``, ``"simX smoke1"``).
    estimate, se, t_conv
        Parameter estimates, standard errors and convergence t-ratios (arrays in effect
        order; see :meth:`to_frame`).
    rates
        One row per period (``"1-2"``, ``"2-3"``...): columns ``rate``, ``se`` and
        ``t_conv`` (``nan`` for conditional fits, where the rate is the mean simulated
        time and its ``se`` the standard deviation of that time, as RSiena reports).
    targets
        Observed target statistics, summed over periods, indexed by effect label.
    max_convergence
        RSiena's overall maximum convergence ratio.
    converged
        ``True`` when every ``|t_conv| < 0.1`` and ``max_convergence < 0.25``.
    conditional
        Whether estimation conditioned on the observed number of changes.
    n_actors, n_waves
        Data size.
    n_iterations
        Simulations in phases 1, 2 and 3.
    ministeps
        Ministeps simulated in all phases.
    cov
        Covariance matrix of the estimates (effects; for unconditional fits the rates too).
    nodes
        Actor order of the simulated networks.
    """

    effects: tuple[str, ...]
    estimate: np.ndarray
    se: np.ndarray
    t_conv: np.ndarray
    rates: pd.DataFrame
    targets: pd.Series
    max_convergence: float
    conditional: bool
    n_actors: int
    n_waves: int
    n_iterations: tuple[int, int, int]
    ministeps: int
    cov: pd.DataFrame
    nodes: list = field(repr=False)
    descriptions: tuple[str, ...] = field(repr=False, default=())
    meanings: tuple[str, ...] = field(repr=False, default=())
    _model: Any = field(repr=False, compare=False, default=None)

    @property
    def converged(self) -> bool:
        """RSiena's criterion: all ``|t_conv| < 0.1`` (effects, and rates when they were
        estimated by moments) and overall ratio ``< 0.25``."""
        rate_t = self.rates["t_conv"].dropna().to_numpy()
        t_all = np.concatenate([self.t_conv, rate_t])
        return bool(np.all(np.abs(t_all) < T_CONV_LIMIT) and self.max_convergence < MAX_CONV_LIMIT)

    @property
    def p(self) -> np.ndarray:
        """Two-sided Wald p-values ``2 (1 - Phi(|estimate / se|))``."""
        z = np.abs(self.estimate / self.se)
        return np.array([math.erfc(v / math.sqrt(2)) if np.isfinite(v) else np.nan for v in z])

    def to_frame(self) -> pd.DataFrame:
        """Estimates as a table indexed by effect label.

        Returns
        -------
        pandas.DataFrame
            Columns ``estimate``, ``se``, ``t_conv`` (convergence t-ratio) and ``p``
            (two-sided Wald test of the parameter being 0).
        """
        frame = pd.DataFrame(
            {"estimate": self.estimate, "se": self.se, "t_conv": self.t_conv, "p": self.p},
            index=pd.Index(list(self.effects), name="effect"),
        )
        return frame

    def interpretation(self) -> pd.Series:
        """One plain-words sentence per effect, indexed by effect label.

        Says the effect in words, whether the data distinguish it from 0 (two-sided Wald
        test at 5 %), what a positive value means, and the odds ratio ``exp(estimate)``
        of a ministep choice that raises the statistic by one. When the fit has not
        converged, every sentence says so first.
        """
        out = {}
        caution = "" if self.converged else "NOT CONVERGED, do not report. "
        rows = zip(
            self.effects,
            self.descriptions,
            self.meanings,
            self.estimate,
            self.se,
            self.p,
            strict=True,
        )
        for label, description, meaning, est, se, p in rows:
            direction = "positive" if est > 0 else "negative"
            if not np.isfinite(p):
                evidence = "its standard error could not be estimated"
            elif p < 0.05:
                evidence = f"clearly {direction} (p = {_p(p)})"
            else:
                evidence = f"not distinguishable from 0 (p = {_p(p)})"
            odds = math.exp(est) if abs(est) < 50 else float("inf")
            out[label] = (
                f"{caution}{label} ({description}): {est:+.3f} (se {se:.3f}), {evidence}. "
                f"A positive value means {meaning}. Other things equal, a change that adds "
                f"one to this statistic is {odds:.2f} times as likely to be chosen."
            )
        return pd.Series(out, name="interpretation")

    def __repr__(self) -> str:
        lines = [
            (
                f"SAOMResult: {self.n_actors} actors, {self.n_waves} waves, "
                f"{'conditional' if self.conditional else 'unconditional'} method of moments"
            ),
            "",
            f"{'effect':<24}{'estimate':>10}{'se':>9}{'t_conv':>9}{'p':>9}",
        ]
        for period, row in self.rates.iterrows():
            t = "" if np.isnan(row["t_conv"]) else f"{row['t_conv']:>9.3f}"
            lines.append(f"{'rate ' + str(period):<24}{row['rate']:>10.4f}{row['se']:>9.4f}{t}")
        for label, row in self.to_frame().iterrows():
            lines.append(
                f"{label:<24}{row['estimate']:>10.4f}{row['se']:>9.4f}"
                f"{row['t_conv']:>9.3f}{_p(row['p']):>9}"
            )
        verdict = (
            "converged"
            if self.converged
            else "NOT converged: estimates unreliable; refit with another seed or a simpler model"
        )
        lines += [
            "",
            f"overall maximum convergence ratio {self.max_convergence:.3f} ({verdict})",
        ]
        return "\n".join(lines)


def _p(p: float) -> str:
    if not np.isfinite(p):
        return "nan"
    return "<0.001" if p < 0.001 else f"{p:.3f}"
