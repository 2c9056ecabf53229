"""Compiled graph kernels (numba) on CSR adjacency arrays, imported only when used:
Brandes' betweenness with path lengths, triangles per node and k-core numbers.

**Brandes.** A batch of ``b`` sources runs together, level by level, on ``(n, b)`` matrices (one
column per source): path counts ``sigma``, hop distances ``dist`` and dependencies
``delta``. Each level visits only the nodes that are on it for at least one source of the
batch (and their arcs), adding ``b``-wide rows, so the adjacency is read a few times per
batch rather than twice per level, and the rows of a level are shared between threads.

The arithmetic is the sparse-times-dense formulation it replaces (the forward sweep
``sigma_next = A^T sigma_frontier``, the backward sweep ``delta_u = sigma_u
\\sum_v A_{uv} (1 + delta_v) / sigma_v`` over the next level), with every sum taken in
the same order (a node's successors in increasing node order; path counts are whole
numbers, exact in any order); skipped terms are zeros. The results are equal to the last
bit, and do not depend on the number of threads.
"""

from __future__ import annotations

import numba
import numpy as np

__all__: list[str] = []


@numba.njit(parallel=True, cache=True)
def _on_level(dist: np.ndarray, level: int) -> np.ndarray:  # pragma: no cover - compiled
    """Nodes at ``level`` for at least one source (column)."""
    n, b = dist.shape
    out = np.zeros(n, dtype=np.bool_)
    for v in numba.prange(n):
        for c in range(b):
            if dist[v, c] == level:
                out[v] = True
                break
    return out


@numba.njit(parallel=True, cache=True)
def brandes_batch(
    indptr: np.ndarray,
    indices: np.ndarray,
    t_indptr: np.ndarray,
    t_indices: np.ndarray,
    batch: np.ndarray,
) -> tuple[np.ndarray, np.ndarray]:  # pragma: no cover - compiled; tested through _brandes
    """Dependencies ``delta[v, c]`` of source ``batch[c]`` on every node ``v`` (not yet
    zeroed at the source itself) and hop distances ``dist[v, c]`` (``-1``: unreachable),
    both ``(n, b)``. ``indptr, indices`` are the CSR rows of the adjacency (out-arcs),
    ``t_indptr, t_indices`` those of its transpose (in-arcs)."""
    n = indptr.size - 1
    b = batch.size
    sigma = np.zeros((n, b))
    dist = np.full((n, b), -1, dtype=np.int32)
    nxt = np.zeros((n, b))
    active = np.zeros(n, dtype=np.bool_)  # on the current level for some source
    for c in range(b):
        sigma[batch[c], c] = 1.0
        dist[batch[c], c] = 0
        active[batch[c]] = True
    open_ = np.ones(n, dtype=np.bool_)  # not yet reached from every source
    depth = 0
    while True:
        # pull: path counts arriving at each open node from the current level
        for v in numba.prange(n):
            if not open_[v]:
                continue
            row = nxt[v]
            row[:] = 0.0
            for p in range(t_indptr[v], t_indptr[v + 1]):
                u = t_indices[p]
                if active[u]:
                    for c in range(b):  # branch-free: adds 0.0 off the level
                        row[c] += sigma[u, c] * (dist[u, c] == depth)
        found = np.zeros(n, dtype=np.bool_)
        for v in numba.prange(n):
            if not open_[v]:
                continue
            still = False
            for c in range(b):
                if dist[v, c] < 0:
                    if nxt[v, c] > 0.0:
                        dist[v, c] = depth + 1
                        sigma[v, c] = nxt[v, c]
                        found[v] = True
                    else:
                        still = True
            open_[v] = still
        if not found.any():
            break
        depth += 1
        active = found
    delta = np.zeros((n, b))
    coef = np.zeros((n, b))
    upper = _on_level(dist, depth)
    for d in range(depth, 0, -1):
        for v in numba.prange(n):
            if upper[v]:
                for c in range(b):
                    if dist[v, c] == d:
                        coef[v, c] = (1.0 + delta[v, c]) / sigma[v, c]
                    else:
                        coef[v, c] = 0.0
        lower = _on_level(dist, d - 1)
        for u in numba.prange(n):
            if not lower[u]:
                continue
            acc = nxt[u]  # scratch row
            acc[:] = 0.0
            for p in range(indptr[u], indptr[u + 1]):
                v = indices[p]
                if upper[v]:
                    for c in range(b):
                        acc[c] += coef[v, c]
            for c in range(b):
                if dist[u, c] == d - 1:
                    delta[u, c] += sigma[u, c] * acc[c]
        upper = lower
    return delta, dist


@numba.njit(parallel=True, cache=True)
def triangles_per_node(
    indptr: np.ndarray, indices: np.ndarray, n_chunks: int
) -> np.ndarray:  # pragma: no cover - compiled; tested through cohesion._triangle_rows
    """Triangles through each node, from the *oriented* CSR rows (each tie kept once, from
    the lower- to the higher-ranked end, so each triangle is found once, from its
    lowest-ranked corner). Nodes are split between ``n_chunks`` threads by stride, each
    with its own marks and counts (whole numbers: the total is exact)."""
    n = indptr.size - 1
    counts = np.zeros((n_chunks, n), dtype=np.int64)
    for c in numba.prange(n_chunks):
        mark = np.zeros(n, dtype=np.bool_)
        t = counts[c]
        for u in range(c, n, n_chunks):
            for p in range(indptr[u], indptr[u + 1]):
                mark[indices[p]] = True
            for p in range(indptr[u], indptr[u + 1]):
                v = indices[p]
                for q in range(indptr[v], indptr[v + 1]):
                    w = indices[q]
                    if mark[w]:
                        t[u] += 1
                        t[v] += 1
                        t[w] += 1
            for p in range(indptr[u], indptr[u + 1]):
                mark[indices[p]] = False
    return counts.sum(axis=0)


@numba.njit(cache=True)
def core_numbers(
    indptr: np.ndarray, indices: np.ndarray
) -> np.ndarray:  # pragma: no cover - compiled; tested through cohesion._core_numbers
    """k-core number of every node of a simple undirected graph (symmetric CSR rows):
    Batagelj and Zaversnik's bucket peeling, :math:`O(n + m)`."""
    n = indptr.size - 1
    deg = np.empty(n, dtype=np.int64)
    for v in range(n):
        deg[v] = indptr[v + 1] - indptr[v]
    top = deg.max() if n else 0
    start = np.zeros(top + 2, dtype=np.int64)  # first position of each degree bucket
    for v in range(n):
        start[deg[v] + 1] += 1
    for d in range(1, top + 2):
        start[d] += start[d - 1]
    pos = np.empty(n, dtype=np.int64)
    vert = np.empty(n, dtype=np.int64)
    fill = start.copy()
    for v in range(n):
        pos[v] = fill[deg[v]]
        vert[pos[v]] = v
        fill[deg[v]] += 1
    for i in range(n):  # nodes in increasing current degree
        v = vert[i]
        for p in range(indptr[v], indptr[v + 1]):
            u = indices[p]
            if deg[u] > deg[v]:
                du = deg[u]
                pu = pos[u]
                pw = start[du]
                w = vert[pw]
                if u != w:  # move u to the front of its bucket, then shrink the bucket
                    pos[u], pos[w] = pw, pu
                    vert[pu], vert[pw] = w, u
                start[du] += 1
                deg[u] -= 1
    return deg
