"""`fit_saom`: estimate a stochastic actor-oriented model from two or more waves."""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd

from connectnet.saom.result import SAOMResult

__all__ = ["fit_saom"]

logger = logging.getLogger(__name__)


def fit_saom(
    waves: Sequence[Any] | Mapping[Any, Any],
    effects: Sequence[str | tuple[str, str]],
    *,
    covariates: Mapping[str, Any] | None = None,
    dyadic: Mapping[str, Any] | None = None,
    present: Any = None,
    conditional: bool = True,
    n_phase3: int = 1000,
    seed: int | np.random.Generator | None = None,
    progress: bool | None = None,
) -> SAOMResult:
    """Estimate a stochastic actor-oriented model (SAOM) as RSiena does.

    The network changes between waves by *ministeps*: at random moments one actor
    reconsiders one outgoing tie, choosing the change (or none) that most improves its
    *evaluation function* ``f_i(x) = sum_k beta_k s_ik(x)`` plus a random Gumbel term.
    The parameters ``beta_k`` are estimated by the method of moments with Robbins–Monro
    stochastic approximation (phases 1–3 as in RSiena's ``siena07``); by default the
    simulation of each period is conditional on the observed number of tie changes.

    Parameters
    ----------
    waves
        Two or more ``nx.DiGraph`` on a common node set (e.g. the values of
        ``cn.snapshots(data, kind="contact", by="wave")``; people not in
        ``G.graph["respondents"]`` have their outgoing ties treated as missing), or
        n×n 0/1 arrays with ``nan`` for missing tie variables.
    effects
        RSiena short names: ``"density"`` (required), ``"recip"``, ``"transTrip"``,
        ``"transTies"``, ``"cycle3"``, ``"inPop"``, ``"outPop"``, ``"outAct"``,
        ``"inAct"``; covariate effects as tuples ``("egoX", cov)``, ``("altX", cov)``,
        ``("simX", cov)``, ``("sameX", cov)``, ``("egoXaltX", cov)`` for actor covariates
        and ``("X", name)`` for a dyadic covariate. One rate per period is always added.
    covariates
        Actor covariates: name → per-node values (a Series indexed by node, an array in
        node order, or the name of a node attribute of the first wave) for a constant
        covariate, or an actors × periods array (the value at the start of each period,
        RSiena's ``varCovar``; an actors × waves array has its last column ignored).
        Numeric covariates are centred by their mean as RSiena does; text (sector,
        region) is coded as categories and allows only ``sameX``. Missing values
        (``nan``) count as the mean.
    dyadic
        Constant dyadic covariates: name → n×n array, a DataFrame indexed by node on
        both axes, or a graph whose ``weight`` attributes give the values (e.g.
        ``cn.coattendance_graph`` of the programme's events); centred by the mean of the
        off-diagonal cells.
    present
        Who belongs to the network at each wave, when people join or leave (composition
        change): a roster table with columns ``person_id`` and ``wave`` (e.g.
        ``data.roster``) or a mapping wave → ids, with the waves' labels (or, when
        ``waves`` is a list, as many waves in order). Absent actors are handled as in
        Huisman & Snijders (2003): an actor takes part in a period when it is present at
        the period's end wave; its ties are 0 before it joins and frozen after it leaves,
        never missing. ``None`` (default): everyone belongs at every wave. With a roster
        the model is estimated unconditionally, as RSiena does.
    conditional
        Condition each period's simulation on the observed number of changes (RSiena's
        default). ``False`` estimates the rates by their own moment equations. Ignored
        (``False``) when ``present`` changes between waves.
    n_phase3
        Phase-3 simulations for standard errors and convergence t-ratios (RSiena: 1000).
    seed
        Seed or generator; the same seed gives the same result.
    progress
        Show a progress bar over the phases (default: only when stderr is a terminal).

    Returns
    -------
    SAOMResult
        Estimates, standard errors, convergence t-ratios and Wald p-values
        (:meth:`SAOMResult.to_frame`), the rates, the targets and the overall maximum
        convergence ratio.

    Raises
    ------
    ValueError
        Unknown effect names, a covariate effect without its covariate or on a covariate
        without variation, no ``density``, a period without any tie change, or
        ``n_phase3 < 10``.
    RuntimeError
        Estimation that diverges (an estimate beyond RSiena's bound of 50, or a period
        whose simulation cannot reach the observed change in 1,000,000 ministeps): the
        message names the effects to drop.
    connectnet.DataError
        Waves that are not on one node set, tie values other than 0/1/nan, covariates
        of the wrong shape.

    Examples
    --------
    >>> import numpy as np, connectnet as cn
    >>> rng = np.random.default_rng(1)
    >>> w1 = (rng.random((20, 20)) < 0.15).astype(float)
    >>> w2 = np.where(rng.random((20, 20)) < 0.2, 1 - w1, w1)
    >>> np.fill_diagonal(w2, 0)
    >>> res = cn.fit_saom([w1, w2], ["density", "recip"], n_phase3=100, seed=1)
    >>> list(res.to_frame().columns)
    ['estimate', 'se', 't_conv', 'p']

    References
    ----------
    Snijders, T. A. B. (2001). The statistical evaluation of social network dynamics.
    *Sociological Methodology* 31, 361–395.

    Huisman, M. & Snijders, T. A. B. (2003). Statistical analysis of longitudinal
    network data with changing composition. *Sociological Methods & Research* 32,
    253–287.

    Snijders, T. A. B., van de Bunt, G. G. & Steglich, C. E. G. (2010). Introduction to
    stochastic actor-based models for network dynamics. *Social Networks* 32, 44–60.

    Ripley, R. M., Snijders, T. A. B. et al. *Manual for RSiena*.
    """
    # numba (compiled ministeps) is imported here, not with `import connectnet`
    from connectnet.saom._data import prepare, target_statistics
    from connectnet.saom._estimate import robbins_monro
    from connectnet.saom._simulate import SimulationModel

    if int(n_phase3) < 10:
        msg = f"`n_phase3` must be at least 10 (RSiena uses 1000); got {n_phase3}."
        raise ValueError(msg)
    data = prepare(waves, effects, covariates=covariates, dyadic=dyadic, present=present)
    if conditional and not data.present.all():
        logger.info("composition change: estimating unconditionally, as RSiena does")
        conditional = False
    if not (data.distance > 0).all():
        still = [m + 1 for m in range(data.n_periods) if data.distance[m] == 0]
        msg = (
            f"no tie changed between waves in period(s) {still}; a SAOM needs change "
            "in every period (drop the identical wave)."
        )
        raise ValueError(msg)
    by_period = target_statistics(data)
    rng = np.random.default_rng(seed)
    est = robbins_monro(
        data,
        by_period,
        conditional=conditional,
        n_phase3=int(n_phase3),
        rng=rng,
        progress=progress,
    )
    labels = [t.label for t in data.terms]
    P = data.n_periods
    n_rates = 0 if conditional else P
    periods = [f"{m + 1}-{m + 2}" for m in range(P)]
    all_labels = [f"rate {p}" for p in periods][:n_rates] + labels
    se_all = np.sqrt(np.maximum(np.diag(est.cov), 0))
    model = SimulationModel(data=data, theta=est.theta, rates=est.rates, conditional=conditional)
    return SAOMResult(
        effects=tuple(labels),
        estimate=est.theta,
        se=se_all[n_rates:],
        t_conv=est.t_conv[n_rates:],
        rates=pd.DataFrame(
            {
                "rate": est.rates,
                "se": est.rate_se,
                # unconditional fits estimate the rates by moments too (conditional: none)
                "t_conv": est.t_conv[:n_rates] if n_rates else np.full(P, np.nan),
            },
            index=pd.Index(periods, name="period"),
        ),
        targets=pd.Series(by_period.sum(axis=0), index=labels, name="target"),
        max_convergence=est.max_convergence,
        conditional=conditional,
        n_actors=data.n,
        n_waves=P + 1,
        n_iterations=est.n_iterations,
        ministeps=est.ministeps,
        cov=pd.DataFrame(est.cov, index=all_labels, columns=all_labels),
        nodes=list(data.nodes),
        descriptions=tuple(t.effect.description.format(cov=t.covariate) for t in data.terms),
        meanings=tuple(t.effect.meaning.format(cov=t.covariate) for t in data.terms),
        _model=model,
    )
