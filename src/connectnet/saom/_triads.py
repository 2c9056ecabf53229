"""Compiled triad census kernel (numba), imported only when a census is computed."""

from __future__ import annotations

import numpy as np
from numba import njit

__all__: list[str] = []


@njit(cache=True)
def census(a: np.ndarray, type_of: np.ndarray) -> np.ndarray:
    """Counts of the 16 triad types; ``type_of[code]`` maps the 6-arc code of a triple
    (bits ij, ji, ik, ki, jk, kj) to its type."""
    n = a.shape[0]
    counts = np.zeros(16, dtype=np.int64)
    for i in range(n):
        for j in range(i + 1, n):
            ij = a[i, j] | (a[j, i] << 1)
            for k in range(j + 1, n):
                code = ij | (a[i, k] << 2) | (a[k, i] << 3) | (a[j, k] << 4) | (a[k, j] << 5)
                counts[type_of[code]] += 1
    return counts
