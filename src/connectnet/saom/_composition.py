"""Composition change: actors who join or leave the network between waves.

Being absent (not yet, or no longer, a member) is not the same as not answering: a
non-respondent's ties exist but are unobserved (missing), while an absent actor has no
ties to choose. Following Huisman & Snijders (2003) as RSiena implements it (its default
``sienaCompositionChange`` option 1), with the wave-level information a roster gives:

* An actor **takes part in period m** (from wave m to wave m + 1) when it is on the
  roster at wave m + 1: a joiner joins at the start of the period in which it appears, a
  leaver leaves at the start of the period after its last wave (RSiena's joining time
  ``m + 0.001`` and leaving time ``m + 0.001``). Only actors taking part make ministeps or can be
  chosen as alters, and the rate is per actor taking part. While a period runs, actors
  not taking part have no ties (RSiena clears a leaver's ties); their start-of-period
  values are put back at the end, so they add nothing to the statistics.
* The tie variables of an actor absent at a wave (its row and column) are never missing:
  **before it first joins** they are 0; **after it has left** they keep their value at
  the wave before (carried forward, so they cannot change and add nothing to the
  observed-minus-simulated differences). Any values the data hold for absent actors are
  replaced by these rules.
* RSiena estimates models with composition change unconditionally (the rates by their own
  moment equations); :func:`~connectnet.fit_saom` does the same.

References
----------
Huisman, M. & Snijders, T. A. B. (2003). Statistical analysis of longitudinal network
data with changing composition. *Sociological Methods & Research* 32, 253–287.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd

from connectnet.data import DataError

__all__: list[str] = []


def roster_mask(
    present: Any, wave_keys: Sequence[Hashable], nodes: Sequence[Hashable]
) -> np.ndarray:
    """``(waves, n)`` boolean: who belongs to the network at each wave.

    ``present`` is a roster table (columns ``person_id`` and ``wave``, as
    :attr:`connectnet.Dataset.roster`) or a mapping wave → ids. Wave labels are matched to
    ``wave_keys`` (the keys of the ``waves`` mapping, compared as text); when the waves
    were given as a list, the roster's waves are taken in order and must be as many.
    """
    if isinstance(present, pd.DataFrame):
        missing_cols = [c for c in ("person_id", "wave") if c not in present.columns]
        if missing_cols:
            msg = (
                f"`present` as a table needs columns 'person_id' and 'wave' (a roster); "
                f"it lacks {missing_cols}."
            )
            raise DataError(msg)
        groups = present.groupby(present["wave"].astype(str), sort=False)["person_id"]
        mapping: dict[str, list] = {str(w): list(ids) for w, ids in groups}
    elif isinstance(present, Mapping):
        mapping = {str(w): list(ids) for w, ids in present.items()}
    else:
        msg = (
            "`present` must be a roster table (person_id, wave) or a mapping wave → ids; "
            f"got {type(present).__name__}."
        )
        raise TypeError(msg)
    keys = [str(k) for k in wave_keys]
    if set(mapping) <= set(keys):
        ordered = [mapping.get(k, []) for k in keys]
    elif len(mapping) == len(keys) and not set(mapping) & set(keys):
        ordered = list(mapping.values())
    else:
        unknown = sorted(set(mapping) - set(keys))
        msg = (
            f"`present` names wave(s) {unknown} that are not among the waves {keys}; "
            "use the same wave labels as the networks."
        )
        raise DataError(msg)
    index = {str(v): k for k, v in enumerate(nodes)}
    mask = np.zeros((len(keys), len(nodes)), dtype=bool)
    unknown_ids: list[str] = []
    for m, ids in enumerate(ordered):
        for v in ids:
            k = index.get(str(v))
            if k is None:
                unknown_ids.append(str(v))
            else:
                mask[m, k] = True
    if unknown_ids:
        msg = (
            f"`present` names {len(unknown_ids)} id(s) that are not actors of the networks, "
            f"e.g. {unknown_ids[0]!r}; the roster must use the networks' node ids."
        )
        raise DataError(msg)
    empty = [keys[m] for m in range(len(keys)) if mask[m].sum() < 2]
    if empty:
        msg = f"fewer than two actors are present at wave(s) {empty}; check the roster."
        raise DataError(msg)
    return mask


def apply_composition(obs: np.ndarray, members: np.ndarray) -> np.ndarray:
    """Observed ``(M, n, n)`` tie variables with absent actors' rows and columns filled
    by RSiena's joiner/leaver rule (see the module docstring); a new array."""
    out = np.array(obs, dtype=np.float64, copy=True)
    joined = np.zeros(members.shape[1], dtype=bool)
    previous = np.zeros(out.shape[1:])  # the wave before, missing values carried forward
    for m in range(out.shape[0]):
        joined |= members[m]
        absent = ~members[m]
        cells = absent[:, None] | absent[None, :]
        # Before first joining: 0. After leaving: the value at the wave before.
        before = ~joined[:, None] | ~joined[None, :]
        out[m] = np.where(cells, np.where(before, 0.0, previous), out[m])
        np.fill_diagonal(out[m], 0.0)
        previous = np.where(np.isnan(out[m]), previous, out[m])
    return out


def period_mask(members: np.ndarray) -> np.ndarray:
    """``(periods, n)``: an actor takes part in period m when present at wave m + 1."""
    return members[1:].copy()
