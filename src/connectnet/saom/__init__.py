"""Stochastic actor-oriented models (SAOMs) for two or more network waves, as RSiena fits them.

Modules: ``_data`` (preparation: arrays, missing ties, covariate centring),
``_composition`` (joiners and leavers), ``effects`` (the effect registry), ``_simulate``
(ministeps), ``_estimate`` (Robbins–Monro), ``result`` (:class:`SAOMResult`), ``fit``
(:func:`fit_saom`), ``gof`` (:func:`saom_gof`), ``score`` (score-type and time
heterogeneity tests) and ``missing`` (:func:`saom_missing`).
"""

from connectnet.saom.fit import fit_saom
from connectnet.saom.gof import SAOMGOF, saom_gof
from connectnet.saom.missing import saom_missing
from connectnet.saom.result import SAOMResult
from connectnet.saom.score import SAOMScoreTest, SAOMTimeTest, saom_score_test, saom_time_test

__all__ = [
    "SAOMGOF",
    "SAOMResult",
    "SAOMScoreTest",
    "SAOMTimeTest",
    "fit_saom",
    "saom_gof",
    "saom_missing",
    "saom_score_test",
    "saom_time_test",
]
