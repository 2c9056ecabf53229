"""Stochastic actor-oriented models (SAOMs) for two or more network waves, as RSiena fits them.

Modules: ``_data`` (preparation: arrays, missing ties, covariate centring), ``effects``
(the effect registry), ``_simulate`` (ministeps), ``_estimate`` (Robbins–Monro),
``result`` (:class:`SAOMResult`) and ``fit`` (:func:`fit_saom`).
"""

from connectnet.saom.fit import fit_saom
from connectnet.saom.result import SAOMResult

__all__ = ["SAOMResult", "fit_saom"]
