"""Fitting engines of :func:`connectnet.qap_regression`: OLS and logistic fits on the
dyads, and their permutation nulls (Dekker DSP or permuting the outcome).

The OLS nulls never refit: every statistic is a function of the cross products of the
permuted and fixed input matrices (:class:`~connectnet.change._permute.CrossProducts`).
Under DSP the residual :math:`e_k` of predictor :math:`k` on the others and the residual
:math:`r_k` of the outcome on the others are linear combinations of the inputs,
:math:`e_k = \\sum_j c_{kj} d_j` and :math:`r_k = \\sum_l s_{kl} d_l` (with :math:`d_0 = 1`
and the outcome among the :math:`d`), so :math:`\\pi(e_k) \\cdot r_k` and
:math:`\\pi(e_k) \\cdot Z` follow from the cross products
:math:`H_{jl} = \\pi(d_j) \\cdot d_l` by the Frisch–Waugh–Lovell theorem. One set of
permutations serves every term. The logistic nulls refit by Newton–Raphson, batched.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from connectnet.change._permute import PERM_BATCH, CrossProducts

# Cells per batch of logistic refits (bounds memory: a few arrays of this many float64).
_LOGIT_CELLS = 4_000_000


@dataclass(frozen=True, eq=False)
class Fit:
    """Observed fit on the dyads."""

    beta: np.ndarray
    se: np.ndarray
    stat: np.ndarray  # t (linear) or z (logit)
    r_squared: float
    adj_r_squared: float
    deviance: float


def full_rank(D: np.ndarray) -> bool:
    """Whether the columns of ``D`` are linearly independent (from the correlation-scaled
    Gram matrix, so no pass beyond ``D'D`` over the dyads)."""
    G = D.T @ D
    scale = np.sqrt(np.diag(G))
    if (scale == 0).any():
        return False
    return bool(np.linalg.eigvalsh(G / np.outer(scale, scale)).min() > 1e-10)


def ols_fit(D: np.ndarray, yv: np.ndarray) -> Fit:
    N, p = D.shape
    XtX_inv = np.linalg.inv(D.T @ D)
    beta = XtX_inv @ (D.T @ yv)
    resid = yv - D @ beta
    rss = float(resid @ resid)
    se = np.sqrt(np.diag(XtX_inv) * rss / (N - p))
    with np.errstate(divide="ignore", invalid="ignore"):
        tval = beta / se
    tss = float(((yv - yv.mean()) ** 2).sum())
    r2 = 1 - rss / tss if tss > 0 else float("nan")
    adj = 1 - (1 - r2) * (N - 1) / (N - p) if tss > 0 else float("nan")
    return Fit(beta, se, tval, float(r2), float(adj), rss)


def _inv(M: np.ndarray) -> np.ndarray:
    """Batched inverse; a singular block (a diverging fit) gets the pseudo-inverse."""
    try:
        return np.linalg.inv(M)
    except np.linalg.LinAlgError:
        return np.linalg.pinv(M)


def _newton(X: np.ndarray, y: np.ndarray, beta: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Batched logistic maximum likelihood: ``X`` ``(B, N, p)``, ``y`` ``(B, N)``, start
    ``beta`` ``(B, p)``. Returns the estimates and the inverse information ``(B, p, p)``.
    """
    with np.errstate(over="ignore", under="ignore"):
        for _ in range(100):
            mu = 1.0 / (1.0 + np.exp(-np.einsum("bnp,bp->bn", X, beta)))
            info = np.einsum("bnp,bn,bnq->bpq", X, mu * (1.0 - mu), X)
            step = np.einsum("bpq,bq->bp", _inv(info), np.einsum("bnp,bn->bp", X, y - mu))
            beta = beta + step
            if not np.isfinite(step).all() or np.max(np.abs(step)) < 1e-10 * max(
                1.0, float(np.max(np.abs(beta)))
            ):
                break
        mu = 1.0 / (1.0 + np.exp(-np.einsum("bnp,bp->bn", X, beta)))
        info = np.einsum("bnp,bn,bnq->bpq", X, mu * (1.0 - mu), X)
    return beta, _inv(info)


def logit_fit(D: np.ndarray, yv: np.ndarray) -> Fit:
    """Logistic regression of 0/1 ``yv`` on ``D`` (R ``glm(family=binomial)``)."""
    beta, inv_info = _newton(D[None], yv[None], np.zeros((1, D.shape[1])))
    beta, inv_info = beta[0], inv_info[0]
    se2 = np.diag(inv_info)
    if not np.isfinite(beta).all() or np.max(np.abs(beta)) > 30 or not (se2 > 0).all():
        msg = (
            "the logistic fit does not converge (some predictor separates ties from "
            "non-ties perfectly, so its estimate is infinite); drop or merge that "
            "predictor, or use family='linear'."
        )
        raise ValueError(msg)
    se = np.sqrt(se2)
    eta = D @ beta
    mu = 1.0 / (1.0 + np.exp(-eta))
    with np.errstate(divide="ignore"):
        ll = yv * np.log(mu) + (1 - yv) * np.log1p(-mu)
    deviance = float(-2.0 * np.nansum(ll))
    return Fit(beta, se, beta / se, float("nan"), float("nan"), deviance)


def _residual_coefficients(G: np.ndarray, k: int) -> np.ndarray:
    """Coefficients ``c`` with ``e_k = D @ c``, the OLS residual of column ``k`` of ``D``
    on the other columns, from the Gram matrix ``G = D'D``."""
    others = [j for j in range(G.shape[0]) if j != k]
    c = np.zeros(G.shape[0])
    c[k] = 1.0
    c[others] = -np.linalg.solve(G[np.ix_(others, others)], G[others, k])
    return c


def ols_nulls(
    stack: np.ndarray,
    D: np.ndarray,
    yv: np.ndarray,
    method: str,
    R: int,
    draw: Callable[[int], np.ndarray],
    *,
    undirected: bool,
    tick: Callable[[int], object],
) -> tuple[np.ndarray, np.ndarray]:
    """Permutation nulls ``(t, estimate)`` ``(R, p)`` of the OLS fit. ``stack`` holds the
    outcome (slice 0) and the predictors (slices 1..p-1) as ``n x n`` matrices;
    ``draw(b)`` gives ``b`` node permutations."""
    N, p = D.shape
    null_t = np.empty((R, p))
    null_b = np.empty((R, p))
    df = N - p
    sums = D.sum(axis=0)  # the sum of a matrix's dyads is the same after a permutation
    if method == "y":
        XtX_inv = np.linalg.inv(D.T @ D)
        cross = CrossProducts(stack, [0], range(1, p), undirected=undirected)
        yy = float(yv @ yv)
        for start in range(0, R, PERM_BATCH):
            b = min(PERM_BATCH, R - start)
            xty = np.empty((b, p))
            xty[:, 0] = yv.sum()
            xty[:, 1:] = cross(draw(b))[:, 0, :]
            bp = xty @ XtX_inv
            sig = np.maximum(yy - np.einsum("ij,ij->i", bp, xty), 0) / df
            with np.errstate(divide="ignore", invalid="ignore"):
                null_t[start : start + b] = bp / np.sqrt(sig[:, None] * np.diag(XtX_inv))
            null_b[start : start + b] = bp
            tick(b)
        return null_t, null_b
    # DSP. Columns of the cross-product table: d_0 = 1, d_1..d_{p-1}, then y. Every
    # fixed quantity of a term comes from the Gram matrix (no pass over the dyads).
    cross = CrossProducts(stack, range(1, p), [*range(1, p), 0], undirected=undirected)
    G = D.T @ D
    Dy = D.T @ yv
    yy = float(yv @ yv)
    terms = []
    for k in range(p):
        others = [j for j in range(p) if j != k]
        c = _residual_coefficients(G, k)
        ZtZ_inv = np.linalg.inv(G[np.ix_(others, others)])
        delta = ZtZ_inv @ Dy[others]
        s = np.zeros(p + 1)  # r_k = y - Z delta, over (d_0..d_{p-1}, y)
        s[p] = 1.0
        s[others] = -delta
        terms.append((c, s, ZtZ_inv, float(c @ G @ c), yy - float(Dy[others] @ delta)))
    for start in range(0, R, PERM_BATCH):
        b = min(PERM_BATCH, R - start)
        H = np.empty((b, p, p + 1))
        H[:, 0, :p] = sums
        H[:, 0, p] = yv.sum()
        H[:, 1:, 0] = sums[1:]
        H[:, 1:, 1:] = cross(draw(b))
        for k, (c, s, ZtZ_inv, ee, ryry) in enumerate(terms):
            proj = np.einsum("bjl,j->bl", H, c)  # pi(e_k) . d_l for every l
            zte = np.delete(proj[:, :p], k, axis=1)
            den = ee - np.einsum("ij,jk,ik->i", zte, ZtZ_inv, zte)
            with np.errstate(divide="ignore", invalid="ignore"):
                bk = (proj @ s) / den
                sig = np.maximum(ryry - bk**2 * den, 0) / df
                null_t[start : start + b, k] = bk / np.sqrt(sig / den)
            null_b[start : start + b, k] = bk
            tick(b)
    return null_t, null_b


def logit_nulls(
    stack: np.ndarray,
    D: np.ndarray,
    yv: np.ndarray,
    rows: np.ndarray,
    cols: np.ndarray,
    beta0: np.ndarray,
    method: str,
    R: int,
    draw: Callable[[int], np.ndarray],
    *,
    tick: Callable[[int], object],
) -> tuple[np.ndarray, np.ndarray]:
    """Permutation nulls ``(z, estimate)`` of the logistic fit, by batched refits (as
    R sna ``netlogit``: DSP permutes the OLS residual of each predictor on the others and
    refits with it as the last column)."""
    N, p = D.shape
    null_z = np.empty((R, p))
    null_b = np.empty((R, p))
    batch = max(1, min(R, _LOGIT_CELLS // (N * p)))
    if method == "y":
        for start in range(0, R, batch):
            b = min(batch, R - start)
            perms = draw(b)
            yp = stack[0][perms[:, rows], perms[:, cols]]
            X = np.broadcast_to(D, (b, N, p))
            est, inv_info = _newton(X, yp, np.broadcast_to(beta0, (b, p)).copy())
            null_b[start : start + b] = est
            with np.errstate(invalid="ignore", divide="ignore"):
                null_z[start : start + b] = est / np.sqrt(np.diagonal(inv_info, 0, 1, 2))
            tick(b)
        return null_z, null_b
    G = D.T @ D
    for k in range(p):
        c = _residual_coefficients(G, k)
        Z = np.delete(D, k, axis=1)
        start_beta = np.append(np.delete(beta0, k), 0.0)
        for start in range(0, R, batch):
            b = min(batch, R - start)
            perms = draw(b)
            ep = np.full((b, N), c[0])
            for j in range(1, p):
                ep += c[j] * stack[j][perms[:, rows], perms[:, cols]]
            X = np.concatenate([np.broadcast_to(Z, (b, N, p - 1)), ep[:, :, None]], axis=2)
            est, inv_info = _newton(
                X, np.broadcast_to(yv, (b, N)), np.broadcast_to(start_beta, (b, p)).copy()
            )
            null_b[start : start + b, k] = est[:, -1]
            with np.errstate(invalid="ignore", divide="ignore"):
                null_z[start : start + b, k] = est[:, -1] / np.sqrt(inv_info[:, -1, -1])
            tick(b)
    return null_z, null_b
