"""Preparing SAOM data as RSiena does: arrays, missing tie variables, covariate centring.

* Waves become an ``(M, n, n)`` float array with ``nan`` for missing tie variables (the
  outgoing ties of non-respondents from ``G.graph["respondents"]``, or ``nan`` cells).
* **Imputation for simulation** (RSiena's ``initializeFRAN``): a missing tie variable in
  the first wave is 0; in a later wave it takes its (imputed) value in the wave before.
  Each period's simulation starts from the imputed start wave.
* **Targets** (RSiena's ``StatisticCalculator``): statistics are computed on the network
  at the end of the period with every tie variable missing at *either* end of the period
  set to 0 — in the observed and in each simulated network alike, so missing variables
  never contribute to observed-minus-simulated differences. The observed number of
  changes (the conditional target) counts only variables observed at both ends.
* **Covariates**: a constant actor covariate is centred by its mean; a changing one
  (RSiena's varCovar, the value at the start of each period) by its mean over actors and
  periods; a missing value becomes the mean (0 after centring). ``simX`` uses the range
  and the mean similarity over ordered pairs ``i != j`` (pooled over periods). Dyadic
  covariates are centred by the mean of their off-diagonal cells.
* **Composition change**: ``present`` is a ``(periods, n)`` boolean mask of the actors
  taking part in each period (all ``True`` without a roster). With a roster,
  :mod:`connectnet.saom._composition` fills absent actors' tie variables (0 before
  joining, carried forward after leaving, never missing) and the mask; the simulation
  never chooses an absent actor as ego or alter.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

import networkx as nx
import numpy as np
import pandas as pd

from connectnet.data import DataError
from connectnet.saom._composition import apply_composition, period_mask, roster_mask
from connectnet.saom.effects import EFFECTS, Effect

__all__: list[str] = []


@dataclass(frozen=True)
class ModelTerm:
    """One requested effect: the registry entry, its covariate and its label."""

    effect: Effect
    covariate: str | None
    label: str


@dataclass(frozen=True)
class Prepared:
    """Everything the simulation and estimation need, as arrays (never mutated)."""

    nodes: list[Hashable]
    observed: np.ndarray  # (M, n, n) float, nan = missing, diagonal 0
    imputed: np.ndarray  # (M, n, n) int8: missing carried forward (0 in wave 1)
    miss_either: np.ndarray  # (P, n, n) bool: missing at the start or end of period p
    present: np.ndarray  # (P, n) bool: actors taking part in each period (composition)
    distance: np.ndarray  # (P,) int: observed changes among variables observed both ends
    terms: list[ModelTerm]
    weights: np.ndarray  # (P, C, n, n) float: dyadic weights of the C covariate terms
    target_weights: np.ndarray  # (P, C, n, n): the same, ties with missing covariates 0
    weight_index: np.ndarray  # (K,) int64: term k's slot in `weights`, -1 if structural
    codes: np.ndarray  # (K,) int64 kernel codes
    covariate_info: dict[str, dict[str, Any]] = field(default_factory=dict)

    @property
    def n(self) -> int:
        return len(self.nodes)

    @property
    def n_periods(self) -> int:
        return self.observed.shape[0] - 1

    def term_weights(self, period: int, k: int, *, target: bool = False) -> np.ndarray | None:
        """Dyadic weights of term ``k`` in ``period`` (``None`` for a structural effect)."""
        slot = int(self.weight_index[k])
        if slot < 0:
            return None
        return (self.target_weights if target else self.weights)[period, slot]

    def end_network(self, x: np.ndarray, period: int) -> np.ndarray:
        """``x`` with the tie variables missing at either end of ``period`` set to 0."""
        out = np.array(x, dtype=np.int8, copy=True)
        out[self.miss_either[period]] = 0
        return out


# -------------------------------------------------------------------------------- waves


def _wave_arrays(waves: list[Any]) -> tuple[list[Hashable], np.ndarray]:
    if len(waves) < 2:
        msg = f"`waves` needs two or more networks (observations); got {len(waves)}."
        raise ValueError(msg)
    if all(isinstance(g, nx.Graph) for g in waves):
        return _graph_arrays(waves)
    if any(isinstance(g, nx.Graph) for g in waves):
        msg = "`waves` must be all graphs or all n×n arrays, not a mixture."
        raise TypeError(msg)
    arrays = [np.asarray(a, dtype=np.float64) for a in waves]
    n = arrays[0].shape[0]
    problems = [
        f"wave {m + 1} has shape {a.shape}"
        for m, a in enumerate(arrays)
        if a.ndim != 2 or a.shape != (n, n)
    ]
    if problems:
        msg = f"every wave must be an n×n array with the same n ({n}): " + "; ".join(problems)
        raise DataError(msg + ".")
    obs = np.stack(arrays)
    bad = ~np.isnan(obs) & (obs != 0) & (obs != 1)
    if bad.any():
        m, i, j = (int(v) for v in np.argwhere(bad)[0])
        msg = (
            f"tie variables must be 0, 1 or nan (missing); wave {m + 1} row {i} "
            f"column {j} (0-based, as numpy indexes) is {float(obs[m, i, j]):g} "
            f"({int(bad.sum())} such cells). Dichotomise valued ties first."
        )
        raise DataError(msg)
    return list(range(n)), obs


def _graph_arrays(graphs: list[nx.Graph]) -> tuple[list[Hashable], np.ndarray]:
    nodes = list(graphs[0].nodes)
    node_set = set(nodes)
    problems = []
    for m, g in enumerate(graphs):
        if not g.is_directed():
            problems.append(f"wave {m + 1} is undirected (SAOMs model directed ties)")
        if set(g.nodes) != node_set:
            extra = len(set(g.nodes) - node_set)
            lacking = len(node_set - set(g.nodes))
            problems.append(f"wave {m + 1} has {extra} node(s) not in wave 1 and lacks {lacking}")
    if problems:
        msg = (
            "`waves` must be directed graphs on one node set (e.g. "
            "`cn.snapshots(data, kind='contact', by='wave')`): " + "; ".join(problems) + "."
        )
        raise DataError(msg)
    index = {v: k for k, v in enumerate(nodes)}
    n = len(nodes)
    obs = np.zeros((len(graphs), n, n))
    for m, g in enumerate(graphs):
        rows = [index[u] for u, v in g.edges if u != v]
        cols = [index[v] for u, v in g.edges if u != v]
        obs[m, rows, cols] = 1.0
        if "respondents" in g.graph:
            answered = {index[v] for v in g.graph["respondents"] if v in index}
            silent = [k for k in range(n) if k not in answered]
            obs[m, silent, :] = np.nan
    return nodes, obs


def _impute(obs: np.ndarray) -> np.ndarray:
    out = np.zeros(obs.shape, dtype=np.int8)
    for m in range(obs.shape[0]):
        miss = np.isnan(obs[m])
        prev = out[m - 1] if m else np.zeros_like(out[0])
        out[m] = np.where(miss, prev, np.nan_to_num(obs[m])).astype(np.int8)
        np.fill_diagonal(out[m], 0)
    return out


# --------------------------------------------------------------------------- covariates


def _actor_values(name: str, spec: Any, nodes: list, graphs: list | None, n_periods: int):
    """(P, n) raw values (float, nan missing) and whether they were categorical."""
    if isinstance(spec, str):
        if graphs is None:
            msg = f"covariate `{name}`: a node attribute name needs `waves` given as graphs."
            raise TypeError(msg)
        attrs = graphs[0].nodes(data=spec, default=None)
        spec = pd.Series(dict(attrs), dtype=object).reindex(nodes)
    if isinstance(spec, pd.DataFrame | pd.Series):
        if isinstance(spec.index, pd.RangeIndex) and len(spec) == len(nodes):
            spec = spec.set_axis(nodes, axis=0)
        missing = [v for v in nodes if v not in spec.index]
        if missing:
            msg = (
                f"covariate `{name}` has no value for {len(missing)} actor(s), e.g. "
                f"{missing[0]!r}; index it by node (missing values may be NaN)."
            )
            raise DataError(msg)
        spec = spec.loc[nodes]
    arr = np.asarray(spec.to_numpy() if hasattr(spec, "to_numpy") else spec, dtype=object)
    if arr.ndim == 1:
        arr = np.repeat(arr[:, None], n_periods, axis=1)
    if (
        arr.ndim != 2
        or arr.shape[0] != len(nodes)
        or arr.shape[1] not in (n_periods, n_periods + 1)
    ):
        msg = (
            f"covariate `{name}` must have one value per actor ({len(nodes)}) or be an "
            f"actors × periods array ({len(nodes)} × {n_periods}, or × {n_periods + 1} "
            f"waves, the last ignored); got shape {arr.shape}."
        )
        raise DataError(msg)
    arr = arr[:, :n_periods]
    flat = pd.Series(arr.ravel())
    numeric = pd.to_numeric(flat, errors="coerce")
    categorical = bool((numeric.isna() & flat.notna()).any())
    if categorical:
        codes, _ = pd.factorize(flat, use_na_sentinel=True)
        values = np.where(codes < 0, np.nan, codes).astype(np.float64)
    else:
        values = numeric.to_numpy(dtype=np.float64)
    return values.reshape(arr.shape).T.copy(), categorical


def _actor_info(raw: np.ndarray, categorical: bool) -> dict[str, Any]:
    """RSiena's centring, range and mean similarity for a (P, n) covariate."""
    mean = float(np.nanmean(raw)) if np.isfinite(raw).any() else 0.0
    centred = np.nan_to_num(raw - mean, nan=0.0)
    lo, hi = (np.nanmin(raw), np.nanmax(raw)) if np.isfinite(raw).any() else (0.0, 0.0)
    rng = float(hi - lo) if hi > lo else 1.0
    total, count = 0.0, 0
    if hi > lo:
        for v in raw:
            ok = ~np.isnan(v)
            d = np.abs(v[ok][:, None] - v[ok][None, :])
            k = int(ok.sum())
            total += float((1.0 - d / rng).sum() - k)  # drop the diagonal (similarity 1)
            count += k * (k - 1)
    sim_mean = total / count if count else 0.0
    return {
        "kind": "actor",
        "raw": raw,
        "centred": centred,
        "mean": mean,
        "range": rng,
        "sim_mean": sim_mean,
        "categorical": categorical,
        "changing": bool(
            (np.nan_to_num(raw, nan=-np.inf) != np.nan_to_num(raw[:1], nan=-np.inf)).any()
        ),
    }


def _dyadic_values(name: str, spec: Any, nodes: list) -> np.ndarray:
    n = len(nodes)
    if isinstance(spec, nx.Graph):
        # pairs without an edge (and actors the graph lacks) have value 0
        index = {v: k for k, v in enumerate(nodes)}
        w = np.zeros((n, n))
        for u, v, val in spec.edges(data="weight", default=1.0):
            if u in index and v in index:
                w[index[u], index[v]] = val
                if not spec.is_directed():
                    w[index[v], index[u]] = val
    elif isinstance(spec, pd.DataFrame):
        try:
            w = spec.reindex(index=nodes, columns=nodes).to_numpy(dtype=np.float64)
        except (TypeError, ValueError) as exc:
            msg = f"dyadic covariate `{name}` must be numeric: {exc}."
            raise DataError(msg) from exc
    else:
        w = np.asarray(spec, dtype=np.float64)
    if w.shape != (n, n):
        msg = f"dyadic covariate `{name}` must be {n}×{n} (actors × actors); got {w.shape}."
        raise DataError(msg)
    return w


def _dyadic_info(w: np.ndarray) -> dict[str, Any]:
    off = w.copy()
    np.fill_diagonal(off, np.nan)
    mean = float(np.nanmean(off)) if np.isfinite(off).any() else 0.0
    centred = np.nan_to_num(w - mean, nan=0.0)
    np.fill_diagonal(centred, 0.0)
    return {"kind": "dyadic", "raw": w, "centred": centred, "mean": mean}


# ------------------------------------------------------------------------------ effects


def _terms(effects: Sequence[Any], actor: dict, dyadic: dict) -> list[ModelTerm]:
    terms, problems = [], []
    for spec in effects:
        name, cov = (spec, None) if isinstance(spec, str) else tuple(spec)
        effect = EFFECTS.get(name)
        if effect is None:
            problems.append(f"unknown effect {name!r} (known: {', '.join(EFFECTS)})")
            continue
        if effect.covariate is None:
            if cov is not None:
                problems.append(f"`{name}` takes no covariate (got {cov!r})")
                continue
            terms.append(ModelTerm(effect, None, name))
            continue
        pool = actor if effect.covariate == "actor" else dyadic
        where = "covariates" if effect.covariate == "actor" else "dyadic"
        if cov not in pool:
            problems.append(
                f"`{name}` needs the name of one of `{where}` "
                f"({', '.join(map(str, pool)) or 'none given'}); got {cov!r}"
            )
            continue
        if effect.covariate == "actor" and pool[cov]["categorical"] and name != "sameX":
            problems.append(
                f"covariate `{cov}` is categorical (text), so only `sameX` applies, not `{name}`"
            )
            continue
        terms.append(ModelTerm(effect, cov, f"{name} {cov}"))
    labels = [t.label for t in terms]
    dup = sorted({lab for lab in labels if labels.count(lab) > 1})
    if dup:
        problems.append(f"effects listed twice: {', '.join(dup)}")
    if "density" not in labels:
        problems.append("`density` (outdegree) must be in the model, as in RSiena")
    if problems:
        msg = "`effects` cannot be used: " + "; ".join(problems) + "."
        raise ValueError(msg)
    return terms


def prepare(
    waves: Sequence[Any] | Mapping[Any, Any],
    effects: Sequence[Any],
    *,
    covariates: Mapping[str, Any] | None = None,
    dyadic: Mapping[str, Any] | None = None,
    present: Any = None,
) -> Prepared:
    """Arrays for :func:`~connectnet.fit_saom` (see the module docstring for the rules;
    ``present``: a roster, see :mod:`connectnet.saom._composition`)."""
    wave_keys = list(waves) if isinstance(waves, Mapping) else list(range(len(waves)))
    waves = list(waves.values()) if isinstance(waves, Mapping) else list(waves)
    graphs = list(waves) if all(isinstance(g, nx.Graph) for g in waves) else None
    nodes, obs = _wave_arrays(waves)
    n_periods = obs.shape[0] - 1
    n = len(nodes)
    idx = np.arange(n)
    obs[:, idx, idx] = 0.0
    taking_part = np.ones((n_periods, n), dtype=bool)
    if present is not None:
        members = roster_mask(present, wave_keys, nodes)
        obs = apply_composition(obs, members)
        taking_part = period_mask(members)
    missing = np.isnan(obs)
    imputed = _impute(obs)
    miss_either = missing[:-1] | missing[1:]
    distance = np.array(
        [int(((imputed[p] != imputed[p + 1]) & ~miss_either[p]).sum()) for p in range(n_periods)]
    )
    actor = {
        name: _actor_info(*_actor_values(name, spec, nodes, graphs, n_periods))
        for name, spec in (covariates or {}).items()
    }
    dyads = {
        name: _dyadic_info(_dyadic_values(name, spec, nodes))
        for name, spec in (dyadic or {}).items()
    }
    terms = _terms(effects, actor, dyads)
    weights, target_w, weight_index = _term_weights(terms, {**actor, **dyads}, n_periods, n)
    return Prepared(
        nodes=nodes,
        observed=obs,
        imputed=imputed,
        miss_either=miss_either,
        present=taking_part,
        distance=distance,
        terms=terms,
        weights=weights,
        target_weights=target_w,
        weight_index=weight_index,
        codes=np.array([t.effect.code for t in terms], dtype=np.int64),
        covariate_info={**actor, **dyads},
    )


def _term_weights(
    terms: list[ModelTerm], info: Mapping[str, dict[str, Any]], n_periods: int, n: int
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Dyadic weights of the covariate terms per period, for simulation and for the
    targets, and each term's slot in them (-1 for structural terms)."""
    covariate_terms = [k for k, t in enumerate(terms) if t.covariate is not None]
    weight_index = np.full(len(terms), -1, dtype=np.int64)
    weight_index[covariate_terms] = np.arange(len(covariate_terms))
    weights = np.zeros((n_periods, max(len(covariate_terms), 1), n, n))
    target_w = np.zeros_like(weights)
    for slot, k in enumerate(covariate_terms):
        term = terms[k]
        cov = str(term.covariate)
        values = info[cov]
        if term.effect.covariate == "dyadic":
            for p in range(n_periods):
                weights[p, slot] = term.effect.weights(values["centred"], values)
            target_w[:, slot] = weights[:, slot]
        else:
            for p in range(n_periods):
                period_info = {**values, "raw": values["raw"][p]}
                weights[p, slot] = term.effect.weights(values["centred"][p], period_info)
                missing = np.isnan(values["raw"][p])
                target_w[p, slot] = term.effect.target_weights(weights[p, slot], missing)
        if not weights[:, slot].any():
            why = (
                "no two actors share a value"
                if term.effect.name == "sameX"
                else f"covariate `{cov}` has the same value for every actor"
            )
            msg = (
                f"`{term.label}` cannot be estimated: {why}, so its statistic is always 0; "
                "leave it out of `effects`."
            )
            raise ValueError(msg)
    return weights, target_w, weight_index


def with_effects(prep: Prepared, effects: Sequence[Any]) -> Prepared:
    """``prep`` with ``effects`` added after its own terms (same data and covariates)."""
    actor = {k: v for k, v in prep.covariate_info.items() if v["kind"] == "actor"}
    dyads = {k: v for k, v in prep.covariate_info.items() if v["kind"] == "dyadic"}
    own = [t.label if t.covariate is None else (t.effect.name, t.covariate) for t in prep.terms]
    terms = _terms([*own, *effects], actor, dyads)
    weights, target_w, weight_index = _term_weights(
        terms, prep.covariate_info, prep.n_periods, prep.n
    )
    return replace(
        prep,
        terms=terms,
        weights=weights,
        target_weights=target_w,
        weight_index=weight_index,
        codes=np.array([t.effect.code for t in terms], dtype=np.int64),
    )


def target_statistics(prep: Prepared) -> np.ndarray:
    """Observed statistics per period, ``(P, K)``: end wave with missing-either zeroed."""
    out = np.zeros((prep.n_periods, len(prep.terms)))
    for p in range(prep.n_periods):
        x = prep.end_network(np.nan_to_num(prep.observed[p + 1]), p)
        for k, term in enumerate(prep.terms):
            out[p, k] = term.effect.statistic(x, prep.term_weights(p, k, target=True))
    return out
