"""What was missing in a SAOM's data and how it was handled (RSiena's rules).

* **Tie variables** of non-respondents (actors present at a wave who did not answer) are
  missing: imputed for the simulation (0 at the first wave, else the value at the wave
  before) and left out of the target statistics.
* **Covariate values** that are missing are imputed by the covariate's mean (0 after
  centring), as RSiena does; covariate effects' targets leave those actors out.
* **Absent actors** (composition change, see ``fit_saom(present=)``) are not missing.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

if TYPE_CHECKING:  # pragma: no cover
    from connectnet.saom.result import SAOMResult

__all__ = ["saom_missing"]


def saom_missing(result: SAOMResult) -> pd.DataFrame:
    """Missing data of a fitted SAOM, per wave or period, and how each was handled.

    Parameters
    ----------
    result
        A fitted model from :func:`~connectnet.fit_saom`.

    Returns
    -------
    pandas.DataFrame
        One row per wave for the tie variables (``variable`` ``"ties"``) and per period
        for each actor covariate given to the fit, then one row per dyadic covariate
        (``when`` ``"all"``); columns ``variable``, ``when`` (wave number, period
        ``"1-2"`` or ``"all"``), ``actors`` (actors present, or cells for a dyadic
        covariate), ``missing`` (non-respondents; actors or cells without a value),
        ``share`` (missing / actors) and ``handling`` (what the model did with them).

    Raises
    ------
    ValueError
        ``result`` holds no fitted model.

    Examples
    --------
    >>> import numpy as np, connectnet as cn
    >>> rng = np.random.default_rng(1)
    >>> w1 = (rng.random((20, 20)) < 0.15).astype(float)
    >>> w2 = np.where(rng.random((20, 20)) < 0.2, 1 - w1, w1)
    >>> np.fill_diagonal(w2, 0)
    >>> w2[3] = np.nan  # actor 3 did not answer at wave 2
    >>> res = cn.fit_saom([w1, w2], ["density"], n_phase3=50, seed=1)
    >>> cn.saom_missing(res)[["variable", "when", "missing"]].values.tolist()
    [['ties', 1, 0], ['ties', 2, 1]]
    """
    model = getattr(result, "_model", None)
    if model is None:
        msg = "`result` holds no fitted model; pass what `cn.fit_saom` returned."
        raise ValueError(msg)
    data = model.data
    members = np.vstack([data.present[:1], data.present])  # wave 1 as period 1's actors
    rows = []
    for m, obs in enumerate(data.observed):
        silent = np.isnan(obs).any(axis=1) & members[m]
        rows.append(
            _row("ties", m + 1, int(members[m].sum()), int(silent.sum()),
                 "non-respondents: imputed for simulation (carried forward), left out "
                 "of the targets")
        )  # fmt: skip
    for name, info in data.covariate_info.items():
        raw = info["raw"]
        if info["kind"] == "dyadic":
            off = ~np.eye(raw.shape[0], dtype=bool)
            n_miss = int(np.isnan(raw[off]).sum())
            rows.append(_row(name, "all", int(off.sum()), n_miss, _imputed(info["mean"])))
            continue
        for p in range(data.n_periods):
            n_miss = int(np.isnan(raw[p]).sum())
            rows.append(
                _row(name, f"{p + 1}-{p + 2}", raw.shape[1], n_miss, _imputed(info["mean"]))
            )
    return pd.DataFrame(rows)


def _row(variable: str, when: object, actors: int, missing: int, handling: str) -> dict:
    share = missing / actors if actors else float("nan")
    return {
        "variable": variable,
        "when": when,
        "actors": actors,
        "missing": missing,
        "share": share,
        "handling": handling if missing else "-",
    }


def _imputed(mean: float) -> str:
    return f"imputed by the mean ({mean:.4g}), as RSiena does"
