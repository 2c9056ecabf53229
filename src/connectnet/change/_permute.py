"""Node permutations for QAP, applied without copying any ``n x n`` matrix.

A QAP permutation relabels the rows and columns of a matrix ``A`` by one node
permutation ``p``: the permuted dyad ``(i, j)`` holds ``A[p[i], p[j]]``. Every linear QAP
statistic (graph correlation, and OLS under either null) is a function of the *cross
products* of permuted and fixed matrices over the dyads,

.. math:: H_{ab}(p) = \\sum_{i \\ne j} A_a[p_i, p_j] \\, B_b[i, j],

so the kernels here compute those numbers directly. Since
:math:`H_{ab}(p) = \\sum_{(r, c):\\, A_a[r, c] \\ne 0} A_a[r, c] B_b[q_r, q_c]` with
:math:`q = p^{-1}`, each product is summed over the non-zero cells of whichever matrix
is sparser (ties of a network usually fill a few per cent of the cells); only two dense
matrices need a pass over every dyad. Memory per permutation is ``O(n)`` (the
permutation itself); each fixed matrix is read once per batch of permutations.

The kernels are compiled with numba (``parallel=True``: rows are split between threads,
each with its own partial sums, added at the end).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numba
import numpy as np

# Permutations handled per kernel call: the matrices are read once per batch.
PERM_BATCH = 32
# A matrix is summed over its non-zero cells when at most this share of cells is non-zero.
SPARSE_SHARE = 0.5


def permutations(rng: np.random.Generator, b: int, n: int) -> np.ndarray:
    """``b`` random node permutations of ``0..n-1`` as a ``(b, n)`` int64 array.

    Drawn as ``argsort`` of uniform numbers row by row, so the stream of permutations does
    not depend on how the ``R`` permutations are split into batches.
    """
    return np.argsort(rng.random((b, n)), axis=1).astype(np.int64)


def inverse(perms: np.ndarray) -> np.ndarray:
    """Row-wise inverse permutations."""
    inv = np.empty_like(perms)
    rows = np.arange(perms.shape[0])[:, None]
    inv[rows, perms] = np.arange(perms.shape[1])
    return inv


@numba.njit(parallel=True, cache=True, fastmath=True)
def _sparse_kernel(
    indptr: np.ndarray,
    indices: np.ndarray,
    data: np.ndarray,
    perms: np.ndarray,
    invs: np.ndarray,
    T: np.ndarray,
    sel: np.ndarray,
) -> np.ndarray:  # pragma: no cover - compiled; exercised through CrossProducts
    """``out[b, t] = sum over non-zero (i, j) of S: S[i, j] * T[sel[t], p_b[i], p_b[j]]``
    with ``S`` in CSR form (diagonal left out) and ``invs`` the inverse permutations.

    Rows of ``T`` are visited in order (row ``r`` takes the cells of row ``invs[r]`` of
    ``S``), so ``T`` is streamed through memory rather than read at random rows; each
    thread owns a contiguous block of rows."""
    B, n = perms.shape
    q = sel.size
    chunks = min(n, 64)
    partial = np.zeros((chunks, B, q))
    for c in numba.prange(chunks):
        first = c * n // chunks
        last = (c + 1) * n // chunks
        acc = np.zeros(q)
        for b in range(B):
            p = perms[b]
            inv = invs[b]
            acc[:] = 0.0
            for r in range(first, last):
                i = inv[r]
                for k in range(indptr[i], indptr[i + 1]):
                    j = p[indices[k]]
                    v = data[k]
                    for t in range(q):
                        acc[t] += v * T[sel[t], r, j]
            partial[c, b] = acc
    return partial.sum(axis=0)


@numba.njit(parallel=True, cache=True, fastmath=True)
def _dense_kernel(
    A: np.ndarray, perms: np.ndarray, T: np.ndarray, sel: np.ndarray
) -> np.ndarray:  # pragma: no cover - compiled; exercised through CrossProducts
    """``out[b, t] = sum over i != j of A[p_b[i], p_b[j]] * T[sel[t], i, j]``."""
    B, n = perms.shape
    q = sel.size
    chunks = min(n, 64)
    partial = np.zeros((chunks, B, q))
    for c in numba.prange(chunks):
        g = np.empty(n)
        for i in range(c, n, chunks):
            for b in range(B):
                p = perms[b]
                row = A[p[i]]
                for j in range(n):
                    g[j] = row[p[j]]
                g[i] = 0.0  # the diagonal is never a dyad
                for t in range(q):
                    fixed = T[sel[t], i]
                    s = 0.0
                    for j in range(n):
                        s += g[j] * fixed[j]
                    partial[c, b, t] += s
    return partial.sum(axis=0)


@dataclass(frozen=True, eq=False)
class _CSR:
    indptr: np.ndarray
    indices: np.ndarray
    data: np.ndarray


def _csr(M: np.ndarray) -> _CSR:
    r, c = np.nonzero(M)  # row-major, so rows are sorted
    keep = r != c
    r, c = r[keep], c[keep]
    indptr = np.zeros(M.shape[0] + 1, dtype=np.int64)
    np.cumsum(np.bincount(r, minlength=M.shape[0]), out=indptr[1:])
    return _CSR(indptr, c.astype(np.int64), M[r, c].astype(np.float64))


class CrossProducts:
    """Cross products :math:`H_{ab}(p)` of permuted and fixed matrices of one stack.

    Parameters
    ----------
    stack
        C-contiguous float64 array ``(K, n, n)`` of the matrices (diagonals are ignored;
        for undirected data each matrix must be symmetric). Not copied.
    permuted, fixed
        Slices of ``stack`` that are permuted (``a``) and held fixed (``b``).
    undirected
        Sum over unordered dyads (one triangle): half the off-diagonal sum.
    """

    def __init__(
        self,
        stack: np.ndarray,
        permuted: Sequence[int],
        fixed: Sequence[int],
        *,
        undirected: bool,
    ) -> None:
        self.stack = stack
        self.permuted = list(permuted)
        self.fixed = list(fixed)
        self.scale = 0.5 if undirected else 1.0
        n = stack.shape[1]
        cells = max(n * (n - 1), 1)
        used = set(self.permuted) | set(self.fixed)
        share = {
            k: (np.count_nonzero(stack[k]) - np.count_nonzero(np.diag(stack[k]))) / cells
            for k in used
        }
        self.csr = {k: _csr(stack[k]) for k in used if share[k] <= SPARSE_SHARE}
        # plan: (kind, index of the sparse or dense matrix, [(a_pos, b_pos, slice)])
        self.plan: list[tuple[str, int, list[tuple[int, int, int]]]] = []
        by_a: dict[int, list[tuple[int, int, int]]] = {}
        by_b: dict[int, list[tuple[int, int, int]]] = {}
        dense: dict[int, list[tuple[int, int, int]]] = {}
        for ia, a in enumerate(self.permuted):
            for ib, b in enumerate(self.fixed):
                sparse_a, sparse_b = a in self.csr, b in self.csr
                if sparse_a and (not sparse_b or share[a] <= share[b]):
                    by_a.setdefault(a, []).append((ia, ib, b))  # sum over A's cells
                elif sparse_b:
                    by_b.setdefault(b, []).append((ia, ib, a))  # sum over B's cells
                else:
                    dense.setdefault(a, []).append((ia, ib, b))
        self.plan += [("sparse_a", k, v) for k, v in by_a.items()]
        self.plan += [("sparse_b", k, v) for k, v in by_b.items()]
        self.plan += [("dense", k, v) for k, v in dense.items()]

    def __call__(self, perms: np.ndarray) -> np.ndarray:
        """``(B, len(permuted), len(fixed))`` cross products for the permutations."""
        perms = np.ascontiguousarray(perms, dtype=np.int64)
        out = np.zeros((perms.shape[0], len(self.permuted), len(self.fixed)))
        inv = inverse(perms)
        for kind, k, jobs in self.plan:
            sel = np.array([s for _, _, s in jobs], dtype=np.int64)
            if kind == "dense":
                vals = _dense_kernel(self.stack[k], perms, self.stack, sel)
            else:
                m = self.csr[k]
                # sum over A's cells gathers B at the inverse permutation
                use, back = (inv, perms) if kind == "sparse_a" else (perms, inv)
                vals = _sparse_kernel(m.indptr, m.indices, m.data, use, back, self.stack, sel)
            for col, (ia, ib, _) in enumerate(jobs):
                out[:, ia, ib] = vals[:, col]
        return out * self.scale
