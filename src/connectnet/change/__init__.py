"""Did the network change? Wave comparison, tie changes, permutation tests, QAP, exposure.

One module per family: :mod:`~connectnet.change.comparison` (``compare``,
``tie_changes``), :mod:`~connectnet.change.permutation` (``ei_change_test``,
``group_ei_change_test``, ``change_trend_test``),
:mod:`~connectnet.change.qap` (``qap_correlation``, ``qap_regression``,
``dyadic_covariate``), :mod:`~connectnet.change.exposure` (``exposure_effect``),
:mod:`~connectnet.change.cug` (``cug_test``) and :mod:`~connectnet.change.bootstrap`
(``bootstrap_ci``), :mod:`~connectnet.change.sensitivity` (``nonresponse_sensitivity``);
shared helpers live in ``_common`` and ``_alignment``. Import the public names from
``connectnet`` or ``connectnet.change``.

Every function that takes two or more waves first *aligns* them on one explicit node set
(see "Alignment of waves" below) and reports who was left out, so that people who joined,
left or did not answer a survey wave never masquerade as lost or new ties.

Alignment of waves
------------------
``nodes="both"`` (default)
    Compare only people who took part in **every** wave. For a contact survey stored as a
    ``DiGraph`` (``source`` reported ``target``) a person took part in a wave if the graph
    lists them in ``G.graph["respondents"]`` or, failing that, if they reported at least one
    contact (out-degree > 0). For an undirected graph every node of the graph takes part.
``nodes="union"``
    Every node of any wave; a node missing from a wave has no ties in it.
a list of node ids
    Exactly these people, in this order; a listed node missing from a wave has no ties in it.

``respondents=`` overrides the inference: a collection of the people who answered every
wave, or a pair ``(before_ids, after_ids)`` of per-wave collections. A symmetrised graph
from :func:`connectnet.contact_graph` no longer shows who answered, so with
``nodes="both"`` and no ``respondents`` a ``UserWarning`` says so.
"""

from __future__ import annotations

from connectnet.change.bootstrap import BootstrapResult, bootstrap_ci
from connectnet.change.comparison import compare, tie_changes
from connectnet.change.cug import CUGResult, cug_test
from connectnet.change.exposure import ExposureResult, exposure_effect
from connectnet.change.permutation import (
    ChangeTestResult,
    TrendTestResult,
    change_trend_test,
    ei_change_test,
    group_ei_change_test,
)
from connectnet.change.qap import (
    QAPCorrelationResult,
    QAPRegressionResult,
    dyadic_covariate,
    qap_correlation,
    qap_regression,
)
from connectnet.change.sensitivity import nonresponse_sensitivity

__all__ = [
    "BootstrapResult",
    "CUGResult",
    "ChangeTestResult",
    "ExposureResult",
    "QAPCorrelationResult",
    "QAPRegressionResult",
    "TrendTestResult",
    "bootstrap_ci",
    "change_trend_test",
    "compare",
    "cug_test",
    "dyadic_covariate",
    "ei_change_test",
    "exposure_effect",
    "group_ei_change_test",
    "nonresponse_sensitivity",
    "qap_correlation",
    "qap_regression",
    "tie_changes",
]
