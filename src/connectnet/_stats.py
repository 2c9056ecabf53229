"""Private: the one p-value rule for permutation tests, and multiple-testing adjustment.

Every permutation or Monte Carlo test in connectnet (``ei_test``, ``ei_change_test``,
QAP, exposure, CUG) turns its null distribution into p-values here, so the rule is the
same everywhere (docs/metrics.md, "p-values"):

* one-sided p-values :math:`p_{\\ge} = (b_{\\ge} + 1)/(R + 1)` and
  :math:`p_{\\le} = (b_{\\le} + 1)/(R + 1)`, with :math:`b` the number of the :math:`R`
  null draws at least (at most) as large as the observed value (Davison & Hinkley 1997);
* two-sided :math:`p = \\min(1, 2\\min(p_{\\ge}, p_{\\le}))` — doubling the smaller tail,
  which needs no centring of the null and is valid for asymmetric nulls.

References
----------
Davison, A. C. & Hinkley, D. V. (1997). *Bootstrap Methods and their Application*,
Cambridge University Press, section 4.2.
Holm, S. (1979). A simple sequentially rejective multiple test procedure. *Scandinavian
Journal of Statistics* 6(2), 65-70.
Benjamini, Y. & Hochberg, Y. (1995). Controlling the false discovery rate. *Journal of
the Royal Statistical Society B* 57(1), 289-300.
"""

from __future__ import annotations

from typing import Any

import numpy as np

ADJUST_METHODS = ("holm", "fdr_bh")


def check_permutations(n_permutations: Any, name: str = "n_permutations") -> int:
    """A positive integer number of permutations, or ``ValueError``."""
    if (
        isinstance(n_permutations, bool)
        or not isinstance(n_permutations, (int, np.integer))
        or n_permutations < 1
    ):
        msg = f"`{name}` must be a positive integer (999 is usual); found {n_permutations!r}."
        raise ValueError(msg)
    return int(n_permutations)


def permutation_pvalues(null: np.ndarray, observed: float) -> tuple[float, float, float]:
    """``(p_greater, p_less, p_two_sided)`` of ``observed`` against the draws ``null``.

    Each one-sided p-value is ``(b + 1) / (R + 1)``; the two-sided one is
    ``min(1, 2 * min(p_greater, p_less))``. Draws within ``1e-9 * max(1, |observed|)`` of
    the observed value count as ties (so floating-point noise in a recomputed statistic
    cannot turn a tie into a miss), and ``nan`` draws count as extreme in both tails
    (conservative).
    """
    null = np.asarray(null, dtype=np.float64)
    r = null.size
    if np.isnan(observed):
        nan = float("nan")
        return nan, nan, nan
    tol = 1e-9 * max(1.0, abs(observed))
    bad = np.isnan(null)
    greater = int(np.count_nonzero((null >= observed - tol) | bad))
    less = int(np.count_nonzero((null <= observed + tol) | bad))
    pg = (greater + 1) / (r + 1)
    pl = (less + 1) / (r + 1)
    return pg, pl, two_sided(pg, pl)


def two_sided(p_greater: Any, p_less: Any) -> Any:
    """``min(1, 2 * min(p_greater, p_less))``, elementwise for arrays."""
    p = np.minimum(1.0, 2.0 * np.minimum(p_greater, p_less))
    return float(p) if np.ndim(p) == 0 else p


def check_adjust(adjust: Any) -> str | None:
    """``None``, ``"holm"`` or ``"fdr_bh"``, or ``ValueError``."""
    if adjust is not None and adjust not in ADJUST_METHODS:
        msg = f'`adjust` must be "holm", "fdr_bh" or None, got {adjust!r}.'
        raise ValueError(msg)
    return adjust


def adjust_pvalues(p: Any, method: str | None) -> np.ndarray:
    """Adjusted p-values for a family of tests (``nan`` entries are left out and stay nan).

    ``"holm"``: Holm's step-down adjustment (controls the family-wise error rate);
    ``"fdr_bh"``: Benjamini–Hochberg step-up (controls the false discovery rate under
    independence or positive dependence); ``None``: unchanged. Both equal R's
    ``p.adjust(p, "holm")`` and ``p.adjust(p, "BH")``.
    """
    check_adjust(adjust=method)
    p = np.asarray(p, dtype=np.float64).copy()
    if method is None:
        return p
    ok = ~np.isnan(p)
    q = p[ok]
    m = q.size
    if m == 0:
        return p
    order = np.argsort(q, kind="stable")
    sorted_p = q[order]
    if method == "holm":
        stepped = np.maximum.accumulate((m - np.arange(m)) * sorted_p)
    else:
        ranks = np.arange(1, m + 1)
        stepped = np.minimum.accumulate((m / ranks * sorted_p)[::-1])[::-1]
    out = np.empty(m)
    out[order] = np.minimum(stepped, 1.0)
    p[ok] = out
    return p


def sign_test(gained: Any, lost: Any) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Exact paired test of ``gained`` new against ``lost`` old ties (elementwise).

    Under exchangeable waves each changed dyad is equally likely to be a gain or a loss,
    so ``gained ~ Binomial(gained + lost, 1/2)``; this is the exact null of the dyad-swap
    permutation test of a tie count. Returns ``(p_greater, p_less, p_two_sided)`` with
    the same two-sided rule as :func:`permutation_pvalues`; 1 where nothing changed.
    """
    from scipy.stats import binom

    k = np.asarray(gained, dtype=np.int64)
    m = k + np.asarray(lost, dtype=np.int64)
    pg = np.where(m > 0, binom.sf(k - 1, m, 0.5), 1.0)
    pl = np.where(m > 0, binom.cdf(k, m, 0.5), 1.0)
    return pg, pl, np.minimum(1.0, 2.0 * np.minimum(pg, pl))
