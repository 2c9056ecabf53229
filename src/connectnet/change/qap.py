"""QAP: graph correlation and multiple regression of networks with node-permutation
tests, and dyadic covariate matrices."""

from __future__ import annotations

import warnings
from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import networkx as nx
import numpy as np
import pandas as pd

from connectnet._arrays import _object_index, object_array
from connectnet._stats import check_permutations, permutation_pvalues
from connectnet.change._alignment import _edges_on, _given_respondents, _warn_symmetrised
from connectnet.change._common import (
    _check_alternative,
    _fmt,
    _pick,
    _progress,
    _Result,
    _rng,
)
from connectnet.change._mrqap import full_rank, logit_fit, logit_nulls, ols_fit, ols_nulls
from connectnet.change._permute import PERM_BATCH, CrossProducts
from connectnet.change._permute import permutations as _permutations


@dataclass(frozen=True, eq=False, repr=False)
class QAPCorrelationResult(_Result):
    """Result of :func:`qap_correlation`.

    Attributes
    ----------
    observed
        Pearson correlation of the off-diagonal cells (R sna ``gcor``).
    expected
        Mean correlation over the node permutations.
    p_value, alternative, p_greater, p_less, p_two_sided
        As in :class:`ChangeTestResult`.
    null_sd
        SD of the permutation distribution.
    n_permutations, n_nodes, n_dyads
        Permutations, nodes and off-diagonal cells used.
    n_excluded
        Nodes of the inputs left out by the alignment.
    excluded
        Those nodes.
    non_respondents
        The excluded nodes left out because they did not answer the survey (only when
        ``respondents=`` is given or the graphs record ``G.graph["respondents"]``; a
        ``UserWarning`` says so).
    null_distribution
        The permuted correlations.
    """

    observed: float
    expected: float
    p_value: float
    alternative: str
    p_greater: float
    p_less: float
    p_two_sided: float
    null_sd: float
    n_permutations: int
    n_nodes: int
    n_dyads: int
    n_excluded: int
    excluded: tuple[Hashable, ...]
    non_respondents: tuple[Hashable, ...]
    null_distribution: np.ndarray = field(compare=False)

    def __repr__(self) -> str:
        return (
            f"QAPCorrelationResult(r = {_fmt(self.observed)}, expected "
            f"{_fmt(self.expected)} (null SD {_fmt(self.null_sd)})\n"
            f"  p = {_fmt(self.p_value)} ({self.alternative}); greater "
            f"{_fmt(self.p_greater)}, less {_fmt(self.p_less)}, two-sided "
            f"{_fmt(self.p_two_sided)}\n"
            f"  {self.n_permutations} node permutations, {self.n_nodes} nodes, "
            f"{self.n_dyads} dyads, {self.n_excluded} excluded, "
            f"{len(self.non_respondents)} of them non-respondents)"
        )

    def to_frame(self) -> pd.DataFrame:
        """One-row DataFrame of the scalar fields."""
        return pd.DataFrame([self._scalars()], index=pd.Index(["r"], name="statistic"))


@dataclass(frozen=True, eq=False, repr=False)
class QAPRegressionResult(_Result):
    r"""Result of :func:`qap_regression`.

    Attributes
    ----------
    coefficients
        Table by term (``"(intercept)"`` then the predictors): ``estimate``, ``std_error``
        (OLS, or the logistic fit's information matrix), ``t`` (t statistic; for
        ``family="logit"`` the z value), permutation p-values ``p_greater``, ``p_less``,
        ``p_two_sided`` (from the t/z statistics, as R sna ``netlm``/``netlogit`` do) and
        ``null_mean`` (mean permuted estimate).
    observed
        Estimates by term (Series).
    expected
        Mean permuted estimate by term (Series).
    p_value
        p-value for the chosen ``alternative`` by term (Series).
    alternative
        ``"two-sided"``, ``"greater"`` or ``"less"``.
    family
        ``"linear"`` (OLS, sna ``netlm``) or ``"logit"`` (logistic, sna ``netlogit``).
    r_squared, adj_r_squared
        (Adjusted) coefficient of determination (``nan`` for ``"logit"``).
    deviance
        Residual deviance: the residual sum of squares (linear) or
        :math:`-2 \log L` (logit).
    method
        ``"dsp"`` (Dekker double semi-partialling) or ``"y"`` (permute the outcome).
    n_permutations, n_nodes, n_dyads
        Permutations, nodes and dyads (observations) used.
    directed
        Whether ordered dyads (both cells) or unordered ones (one cell) were used.
    dyads
        Which dyads were used and why, e.g. ``"one triangle (every input is undirected
        or symmetric)"``.
    n_excluded, excluded
        Nodes left out by the alignment.
    non_respondents
        As in :class:`QAPCorrelationResult`.
    """

    coefficients: pd.DataFrame = field(compare=False)
    observed: pd.Series = field(compare=False)
    expected: pd.Series = field(compare=False)
    p_value: pd.Series = field(compare=False)
    alternative: str
    family: str
    r_squared: float
    adj_r_squared: float
    deviance: float
    method: str
    n_permutations: int
    n_nodes: int
    n_dyads: int
    directed: bool
    dyads: str
    n_excluded: int
    excluded: tuple[Hashable, ...]
    non_respondents: tuple[Hashable, ...]

    def __repr__(self) -> str:
        table = self.coefficients.to_string(float_format=lambda v: f"{v:.4g}")
        return (
            f"QAPRegressionResult(family={self.family!r}, method={self.method!r}, "
            f"{self.n_permutations} permutations, {self.n_dyads} dyads on {self.n_nodes} "
            f"nodes: {self.dyads}, "
            + (
                f"R² = {_fmt(self.r_squared)} (adjusted {_fmt(self.adj_r_squared)}), "
                if self.family == "linear"
                else f"deviance {_fmt(self.deviance)}, "
            )
            + f"{self.n_excluded} excluded ({len(self.non_respondents)} non-respondents)"
            f"\n{table})"
        )

    def to_frame(self) -> pd.DataFrame:
        """The coefficient table (a copy)."""
        return self.coefficients.copy()


# --------------------------------------------------------------------------------------
# Matrices for QAP
# --------------------------------------------------------------------------------------
@dataclass(frozen=True, eq=False)
class _MatrixNodes:
    """The node set of QAP inputs: kept nodes (in order), those left out, and which of
    those were left out as non-respondents."""

    keep: list[Hashable]
    excluded: tuple[Hashable, ...]
    non_respondents: tuple[Hashable, ...]


def _resolve_matrix_nodes(objs: Mapping[str, Any], nodes: Any, respondents: Any) -> _MatrixNodes:
    graphs = [o for o in objs.values() if isinstance(o, nx.Graph)]
    frames = [o for o in objs.values() if isinstance(o, pd.DataFrame)]
    arrays = [k for k, o in objs.items() if not isinstance(o, (nx.Graph, pd.DataFrame))]
    for k in arrays:
        a = objs[k]
        if not isinstance(a, np.ndarray) or a.ndim != 2 or a.shape[0] != a.shape[1]:
            msg = (
                f"`{k}` must be a networkx graph, a square DataFrame indexed by node, or a "
                f"square numpy array; got {type(a).__name__}"
                + (f" of shape {a.shape}" if isinstance(a, np.ndarray) else "")
                + "."
            )
            raise TypeError(msg)
    if not isinstance(nodes, str):
        keep = list(nodes)
        if len(set(keep)) != len(keep):
            msg = "`nodes` lists some node more than once; give each node once."
            raise ValueError(msg)
        return _MatrixNodes(keep, (), ())
    if arrays and (graphs or frames):
        msg = (
            f"{arrays} are numpy arrays with no node labels while other inputs are graphs "
            "or DataFrames; pass `nodes=` as the list of node ids in the arrays' order."
        )
        raise ValueError(msg)
    if arrays:
        sizes = {objs[k].shape[0] for k in arrays}
        if len(sizes) != 1:
            msg = f"the matrices have different sizes {sorted(sizes)}; they must match."
            raise ValueError(msg)
        return _MatrixNodes(list(range(sizes.pop())), (), ())
    non_respondents: tuple[Hashable, ...] = ()
    if graphs:
        keep, excluded, non_respondents = _graph_nodes(graphs, nodes, respondents)
    else:
        keep, excluded = list(frames[0].index), []
    for f in frames:
        labels = set(f.index) & set(f.columns)
        if nodes == "union" and not set(keep) <= labels:
            miss = [v for v in keep if v not in labels]
            msg = (
                f"a DataFrame covers only {len(labels)} of the {len(keep)} nodes (missing, "
                f"first: {miss[:5]}); use nodes='both' or complete it."
            )
            raise ValueError(msg)
        excluded += [v for v in keep if v not in labels]
        keep = [v for v in keep if v in labels]
    return _MatrixNodes(keep, tuple(dict.fromkeys(excluded)), non_respondents)


def _graph_nodes(
    graphs: list[nx.Graph], nodes: str, respondents: Any
) -> tuple[list[Hashable], list[Hashable], tuple[Hashable, ...]]:
    """QAP node set of graph inputs: every node (``"both"``: of every graph; ``"union"``:
    of any), less the non-respondents when ``respondents=`` is given or the graphs record
    ``G.graph["respondents"]`` — a drop that is warned about."""
    all_nodes = list(dict.fromkeys(v for G in graphs for v in G))
    if nodes == "both":
        keep = [v for v in all_nodes if all(v in G for G in graphs)]
    elif nodes == "union":
        keep = all_nodes
    else:
        msg = f'`nodes` must be "both", "union" or a list of node ids, got {nodes!r}.'
        raise ValueError(msg)
    if respondents is not None:
        answered: set[Hashable] | None = set.intersection(*_given_respondents(graphs, respondents))
        source = "`respondents=`"
    else:
        recorded = [G.graph["respondents"] for G in graphs if G.graph.get("respondents")]
        answered = set.intersection(*map(set, recorded)) if recorded else None
        source = "G.graph['respondents']"
        if answered is None and nodes == "both":
            _warn_symmetrised(graphs, stacklevel=6)
    dropped = tuple(v for v in keep if answered is not None and v not in answered)
    if dropped:
        first = ", ".join(repr(v) for v in dropped[:5])
        msg = (
            f"{len(dropped)} node(s) did not answer the survey (per {source}) and are left "
            f"out of the QAP (first: {first}); the result lists them in `non_respondents`. "
            "Pass `nodes=` (a list of node ids) to choose the nodes yourself."
        )
        warnings.warn(msg, UserWarning, stacklevel=5)
        gone = set(dropped)
        keep = [v for v in keep if v not in gone]
    kept = set(keep)
    return keep, [v for v in all_nodes if v not in kept], dropped


def _as_matrix(obj: Any, name: str, nodes: list[Hashable], weight: str | None) -> np.ndarray:
    """Dense ``n x n`` float matrix of ``obj`` in ``nodes`` order."""
    n = len(nodes)
    if isinstance(obj, nx.Graph):
        index = _object_index(nodes)
        u, v, w = _edges_on(obj, index, weight=weight)
        M = np.zeros((n, n))
        if weight is None:  # binary: parallel edges of a multigraph are one tie
            M[u, v] = 1.0
            if not obj.is_directed():
                M[v, u] = 1.0
            return M
        np.add.at(M, (u, v), w)  # valued: parallel edges' weights add up
        if not obj.is_directed():
            np.add.at(M, (v, u), w)
        return M
    if isinstance(obj, pd.DataFrame):
        labels = object_array(nodes)
        missing = [x for x in nodes if x not in obj.index or x not in obj.columns]
        if missing:
            msg = (
                f"DataFrame `{name}` has no row/column for {len(missing)} node(s), "
                f"e.g. {missing[:5]}."
            )
            raise ValueError(msg)
        M = obj.loc[labels, labels].to_numpy(dtype=np.float64, copy=True)
    else:
        M = np.array(obj, dtype=np.float64, copy=True)
        if M.shape != (n, n):
            msg = f"`{name}` has shape {M.shape} but there are {n} nodes; expected ({n}, {n})."
            raise ValueError(msg)
    if not np.isfinite(M[~np.eye(n, dtype=bool)]).all():
        msg = f"`{name}` has missing or infinite off-diagonal values; fill or drop them."
        raise ValueError(msg)
    return M


def _full(values: np.ndarray, rows: np.ndarray, cols: np.ndarray, out: np.ndarray) -> None:
    """Write the cell vector ``values`` into the ``n x n`` matrix ``out`` on the dyads
    used (mirrored across the diagonal when the dyads are one triangle), zero elsewhere."""
    out[...] = 0.0
    out[rows, cols] = values
    if not (rows > cols).any():  # one triangle: an undirected matrix
        out[cols, rows] = values


def _compact_dtype(vectors: list[np.ndarray]) -> type:
    """The smallest dtype holding every value exactly: ``uint8`` for 0..255 integers (ties,
    counts, same-group indicators), ``float32`` when exact, else ``float64``. The kernels
    add in float64 either way, so results do not change; a smaller stack is read faster.
    """
    if all(
        v.size == 0 or (v.min() >= 0 and v.max() <= 255 and (v == np.round(v)).all())
        for v in vectors
    ):
        return np.uint8
    if all(np.array_equal(v.astype(np.float32), v) for v in vectors):
        return np.float32
    return np.float64


def _cells(n: int, directed: bool) -> tuple[np.ndarray, np.ndarray]:
    """Row/column indices of the cells used: off-diagonal, or the upper triangle."""
    if directed:
        r, c = np.nonzero(~np.eye(n, dtype=bool))
    else:
        r, c = np.triu_indices(n, k=1)
    return r.astype(np.int64), c.astype(np.int64)


# --------------------------------------------------------------------------------------
# QAP correlation
# --------------------------------------------------------------------------------------
def qap_correlation(
    g1: Any,
    g2: Any,
    *,
    nodes: str | Sequence[Hashable] = "both",
    respondents: Any = None,
    weight: str | None = None,
    alternative: str = "two-sided",
    n_permutations: int = 1000,
    seed: int | np.random.Generator | None = None,
    progress: bool | None = None,
) -> QAPCorrelationResult:
    """Graph correlation with a QAP (node-permutation) test.

    Parameters
    ----------
    g1, g2
        Graphs, square DataFrames indexed by node, or square numpy arrays (then in the
        same node order; with graphs or DataFrames pass ``nodes=`` as that order).
    nodes
        Node set of graph inputs: ``"both"`` (default) every node of every graph input,
        ``"union"`` every node of any (missing ones as isolates), or a list of node ids
        (also the row order of numpy array inputs). Unlike the change tests, QAP keeps
        people who sent no ties: a node with an empty row is a node with no ties.
        DataFrames are restricted to these nodes (``"both"`` also drops nodes a
        DataFrame lacks).
    respondents
        Who answered the survey: a collection of node ids, or a pair (one per graph).
        Only when it is given, or the graphs record ``G.graph["respondents"]`` (as
        :func:`connectnet.contact_graph` does), are the other nodes left out — listed in
        the result's ``non_respondents`` and announced by a ``UserWarning``.
    weight
        Edge attribute used as the cell value of graph inputs; ``None``: 1 per tie (a
        multigraph's parallel edges count once; with ``weight`` their values add up).
    alternative
        Which p-value is ``p_value``.
    n_permutations, seed, progress
        Number of permutations, seed, progress bar (see :func:`ei_change_test`).

    Returns
    -------
    QAPCorrelationResult
        ``observed`` r, equal to R sna ``gcor(g1, g2)``; permutation p-values.

    Raises
    ------
    TypeError
        If an input is not a graph, DataFrame or square array.
    ValueError
        If the inputs do not cover the nodes, sizes differ, a matrix has missing values,
        or either has no variation off the diagonal (r undefined).

    Examples
    --------
    >>> import networkx as nx
    >>> import connectnet as cn
    >>> g1 = nx.DiGraph([(0, 1), (1, 2), (2, 0), (0, 2)])
    >>> g2 = nx.DiGraph([(0, 1), (1, 2), (2, 0)])
    >>> res = cn.qap_correlation(g1, g2, n_permutations=99, seed=1)
    >>> round(res.observed, 4)
    0.7071

    Notes
    -----
    :math:`r` is the Pearson correlation of the two matrices' off-diagonal cells (for
    symmetric matrices, the same as over one triangle). In each permutation the rows and
    columns of ``g2`` are relabelled by one random node permutation, which keeps each
    network's structure (degrees, clustering) and breaks only the alignment between the
    two — the QAP null (Krackhardt 1987). An empty or complete graph has no variation, so
    r is undefined and a ``ValueError`` is raised; isolates are rows and columns of zeros.
    Because a permutation only moves cells, the
    means and SDs stay fixed and each permuted r is one dot product over the non-zero
    cells of the sparser matrix (which is held fixed while the other is permuted — the
    same null distribution); permutations are batched as index arrays.

    References
    ----------
    Krackhardt, D. (1987). QAP partialling as a test of spuriousness. *Social Networks* 9,
    171-186. Butts, C. T. (2008). Social network analysis with sna. *Journal of
    Statistical Software* 24(6).
    """
    R = check_permutations(n_permutations)
    _check_alternative(alternative)
    mn = _resolve_matrix_nodes({"g1": g1, "g2": g2}, nodes, respondents)
    keep = mn.keep
    n = len(keep)
    if n < 3:
        msg = f"QAP needs at least 3 nodes, found {n}."
        raise ValueError(msg)
    X = _as_matrix(g1, "g1", keep, weight)
    Y = _as_matrix(g2, "g2", keep, weight)
    rows, cols = _cells(n, True)
    x = X[rows, cols]
    y = Y[rows, cols]
    xc = x - x.mean()
    yc = y - y.mean()
    denom = float(np.sqrt((xc @ xc) * (yc @ yc)))
    if denom == 0:
        which = "g1" if xc @ xc == 0 else "g2"
        msg = f"`{which}` has the same value in every off-diagonal cell, so r is undefined."
        raise ValueError(msg)
    observed = float(xc @ yc / denom)
    # Permuting g2 by pi has the same distribution as permuting g1 by pi's inverse, so
    # keep the sparser matrix F fixed and sum only over its non-zero cells:
    #   sum_ij (F_ij - mean F) P[pi_i, pi_j] = sum_{F_ij != 0} F_ij P[pi_i, pi_j] - const.
    # r of a permuted g2 with g1 needs only the cross product sum_ij g2[pi_i, pi_j] g1_ij
    # (means and SDs do not change when cells move); see _permute.
    stack: np.ndarray = np.empty((2, n, n), dtype=_compact_dtype([x, y]))
    _full(x, rows, cols, stack[0])
    _full(y, rows, cols, stack[1])
    cross = CrossProducts(stack, [1], [0], undirected=False)
    const = x.mean() * y.sum()
    rng = _rng(seed)
    null = np.empty(R)
    with _progress(R, progress, "QAP permutations") as bar:
        for start in range(0, R, PERM_BATCH):
            b = min(PERM_BATCH, R - start)
            dots = cross(_permutations(rng, b, n))[:, 0, 0]
            null[start : start + b] = (dots - const) / denom
            bar.update(b)
    pg, pl, p2 = permutation_pvalues(null, observed)
    return QAPCorrelationResult(
        observed=observed,
        expected=float(null.mean()),
        p_value=float(_pick(alternative, pg, pl, p2)),
        alternative=alternative,
        p_greater=float(pg),
        p_less=float(pl),
        p_two_sided=float(p2),
        null_sd=float(null.std(ddof=1)) if R > 1 else float("nan"),
        n_permutations=R,
        n_nodes=n,
        n_dyads=int(rows.size),
        n_excluded=len(mn.excluded),
        excluded=mn.excluded,
        non_respondents=mn.non_respondents,
        null_distribution=null,
    )


# --------------------------------------------------------------------------------------
# QAP regression
# --------------------------------------------------------------------------------------
def qap_regression(
    y: Any,
    X: Mapping[str, Any],
    *,
    nodes: str | Sequence[Hashable] = "both",
    respondents: Any = None,
    method: str = "dsp",
    family: str = "linear",
    directed: bool | None = None,
    weight: str | None = None,
    alternative: str = "two-sided",
    n_permutations: int = 1000,
    seed: int | np.random.Generator | None = None,
    progress: bool | None = None,
) -> QAPRegressionResult:
    """Multiple regression of one network on others (MRQAP), with permutation p-values.

    Parameters
    ----------
    y
        Outcome: a graph, square DataFrame indexed by node, or square numpy array.
    X
        Predictors: a mapping from a name to a graph, DataFrame (e.g. from
        :func:`dyadic_covariate`) or array. An intercept is always added.
    nodes, respondents
        Node set of graph inputs and who answered the survey; as in
        :func:`qap_correlation` (every node kept unless respondents are known).
    method
        ``"dsp"`` (default): Dekker et al.'s double semi-partialling — for each term,
        permute the residuals of that predictor regressed on the others. ``"y"``:
        permute the outcome's rows and columns (simpler; anti-conservative when
        predictors are correlated and structured).
    family
        ``"linear"`` (default): OLS, as R sna ``netlm``. ``"logit"``: logistic regression
        for a 0/1 outcome (tie or no tie), as R sna ``netlogit``; the permutation nulls
        refit the model (slower than the linear ones, which never refit).
    directed
        Use ordered dyads (both off-diagonal cells, sna ``mode="digraph"``) or unordered
        ones (one triangle, ``mode="graph"``). Default: one triangle when every input is
        an undirected graph or a symmetric matrix, else both cells (any directed graph or
        asymmetric matrix). The result's ``dyads`` says which was used and why. For
        symmetric data both give the same estimates, but both cells count every dyad
        twice, which inflates t statistics by about √2.
    weight
        Edge attribute used as the cell value of graph inputs; ``None``: 1 per tie (a
        multigraph's parallel edges count once; with ``weight`` their values add up).
    alternative
        Which p-value is ``p_value``.
    n_permutations, seed, progress
        See :func:`ei_change_test`.

    Returns
    -------
    QAPRegressionResult
        Coefficient table (estimate, OLS standard error, t, permutation p-values from
        the t statistics, null mean), R², adjusted R², dyads used.

    Raises
    ------
    TypeError
        If an input is not a graph, DataFrame or square array, or ``X`` is not a mapping.
    ValueError
        If ``X`` is empty, the design is rank deficient (a constant or collinear
        predictor), inputs do not cover the nodes, or ``method`` is unknown.

    Examples
    --------
    >>> import numpy as np
    >>> import connectnet as cn
    >>> rng = np.random.default_rng(0)
    >>> x = rng.integers(0, 2, size=(8, 8)).astype(float)
    >>> y = 2.0 * x + rng.normal(size=(8, 8))
    >>> res = cn.qap_regression(y, {"x": x}, n_permutations=99, seed=1)
    >>> res.coefficients.index.tolist()
    ['(intercept)', 'x']
    >>> bool(res.coefficients.loc["x", "p_greater"] < 0.05)
    True

    Notes
    -----
    Estimates are ordinary least squares on the vectorised dyads (diagonal left out), so
    they equal R sna ``netlm`` coefficients and any OLS on those cells. Dyads are not
    independent observations (people appear in many dyads), so the OLS standard errors
    and classical p-values are not valid; use the permutation p-values, which compare
    each t statistic with its distribution over permutations (t is more nearly pivotal
    than the raw estimate; Dekker et al. 2007). Like sna, DSP is applied to every term
    including the intercept; with one predictor, the intercept's DSP null permutes that
    predictor itself. A predictor with no variation (e.g. an empty graph, or "same
    sector" with one sector) makes the design rank deficient and raises ``ValueError``.

    ``family="logit"`` fits by Newton–Raphson (equal to R ``glm(family=binomial)`` and
    sna ``netlogit``); its statistic is the z value, and DSP permutes the OLS residual of
    each predictor on the others and refits with it as the last column, as sna does. A
    predictor that separates ties from non-ties perfectly has no finite estimate and
    raises ``ValueError``.

    The linear nulls are computed in closed form (no refitting): every statistic is a
    function of the cross products of the permuted and fixed input matrices, which
    compiled kernels sum over the non-zero cells of the sparser matrix without copying
    any ``n x n`` matrix per permutation (``"y"``: one ``(X'X)^{-1}`` for every permuted
    outcome; ``"dsp"``: the Frisch–Waugh–Lovell theorem with the permuted residual as the
    only changing column, one set of permutations shared by every term). With three
    binary predictors on 2,000 nodes, 1,000 DSP permutations take well under a minute
    (benchmarks/bench_change.py).

    References
    ----------
    Dekker, D., Krackhardt, D. & Snijders, T. A. B. (2007). Sensitivity of MRQAP tests to
    collinearity and autocorrelation conditions. *Psychometrika* 72(4), 563-581.
    Krackhardt, D. (1988). Predicting with networks: nonparametric multiple regression
    analysis of dyadic data. *Social Networks* 10, 359-381.
    """
    R = check_permutations(n_permutations)
    _check_alternative(alternative)
    if method not in ("dsp", "y"):
        msg = f'`method` must be "dsp" or "y", got {method!r}.'
        raise ValueError(msg)
    if family not in ("linear", "logit"):
        msg = f'`family` must be "linear" or "logit", got {family!r}.'
        raise ValueError(msg)
    if not isinstance(X, Mapping):
        msg = (
            f"`X` must map predictor names to graphs/DataFrames/arrays, got "
            f"{type(X).__name__}; e.g. X={{'before': G_before}}."
        )
        raise TypeError(msg)
    if len(X) == 0:
        msg = "`X` is empty; give at least one predictor."
        raise ValueError(msg)
    names = [str(k) for k in X]
    if "(intercept)" in names or len(set(names)) != len(names):
        msg = "predictor names must be unique and not '(intercept)'."
        raise ValueError(msg)
    objs = {"y": y, **{f"X[{k!r}]": v for k, v in X.items()}}
    mn = _resolve_matrix_nodes(objs, nodes, respondents)
    keep = mn.keep
    n = len(keep)
    if n < 3:
        msg = f"QAP needs at least 3 nodes, found {n}."
        raise ValueError(msg)
    mats = [_as_matrix(o, k, keep, weight) for k, o in objs.items()]
    directed, triangle = _dyad_mode(directed, list(objs.values()), mats)
    rows, cols = _cells(n, directed)
    N = rows.size
    yv = mats[0][rows, cols]
    D = np.column_stack([np.ones(N)] + [M[rows, cols] for M in mats[1:]])
    p = D.shape[1]
    terms = ["(intercept)", *names]
    if p >= N:
        msg = f"{N} dyads are too few for {p} coefficients."
        raise ValueError(msg)
    if not full_rank(D):
        msg = (
            "the predictors are collinear or constant (the design matrix has rank "
            f"below its {p} terms: {terms}); drop or combine them."
        )
        raise ValueError(msg)
    if family == "logit" and not np.isin(yv, (0.0, 1.0)).all():
        msg = (
            "family='logit' needs a 0/1 outcome (tie or no tie), but `y` has other values "
            f"on the dyads (e.g. {sorted(set(yv[~np.isin(yv, (0.0, 1.0))]))[:3]}); pass "
            "weight=None for graphs, binarise the matrix, or use family='linear'."
        )
        raise ValueError(msg)
    fit = logit_fit(D, yv) if family == "logit" else ols_fit(D, yv)
    # One stack of n x n matrices on the dyads used (mirrored for one triangle): the
    # outcome then the predictors; the permutation kernels read it without copying.
    stack: np.ndarray = np.empty((p, n, n), dtype=_compact_dtype([yv, *D[:, 1:].T]))
    for j, v in enumerate([yv, *D[:, 1:].T]):
        _full(v, rows, cols, stack[j])
    del mats
    rng = _rng(seed)

    def draw(b: int) -> np.ndarray:
        return _permutations(rng, b, n)

    with _progress(R * (1 if method == "y" else p), progress, "QAP permutations") as bar:
        if family == "logit":
            null_t, null_b = logit_nulls(
                stack, D, yv, rows, cols, fit.beta, method, R, draw, tick=bar.update
            )
        else:
            null_t, null_b = ols_nulls(
                stack, D, yv, method, R, draw, undirected=not directed, tick=bar.update
            )
    pvals = np.array([permutation_pvalues(null_t[:, k], float(fit.stat[k])) for k in range(p)])
    table = pd.DataFrame(
        {
            "estimate": fit.beta,
            "std_error": fit.se,
            "t": fit.stat,
            "p_greater": pvals[:, 0],
            "p_less": pvals[:, 1],
            "p_two_sided": pvals[:, 2],
            "null_mean": np.nanmean(null_b, axis=0),
        },
        index=pd.Index(terms, name="term"),
    )
    col = {"greater": "p_greater", "less": "p_less", "two-sided": "p_two_sided"}[alternative]
    return QAPRegressionResult(
        coefficients=table,
        observed=table["estimate"].rename("estimate"),
        expected=table["null_mean"].rename("expected"),
        p_value=table[col].rename("p_value"),
        alternative=alternative,
        family=family,
        r_squared=fit.r_squared,
        adj_r_squared=fit.adj_r_squared,
        deviance=fit.deviance,
        method=method,
        n_permutations=R,
        n_nodes=n,
        n_dyads=int(N),
        directed=bool(directed),
        dyads=triangle,
        n_excluded=len(mn.excluded),
        excluded=mn.excluded,
        non_respondents=mn.non_respondents,
    )


def _is_symmetric(obj: Any, M: np.ndarray) -> bool:
    if isinstance(obj, nx.Graph):
        return not obj.is_directed()
    off = ~np.eye(M.shape[0], dtype=bool)
    return bool(np.array_equal(M[off], M.T[off]))


def _dyad_mode(directed: bool | None, objs: list[Any], mats: list[np.ndarray]) -> tuple[bool, str]:
    """Ordered dyads (both cells) or unordered ones (one triangle), and how it was chosen."""
    if directed is True:
        return True, "both cells (directed=True)"
    if directed is False:
        return False, "one triangle (directed=False)"
    if any(isinstance(o, nx.Graph) and o.is_directed() for o in objs):
        return True, "both cells (a directed graph input)"
    if all(_is_symmetric(o, M) for o, M in zip(objs, mats, strict=True)):
        return False, "one triangle (every input is undirected or symmetric)"
    return True, "both cells (an asymmetric matrix input)"


# --------------------------------------------------------------------------------------
# dyadic_covariate
# --------------------------------------------------------------------------------------
def dyadic_covariate(
    people: pd.DataFrame | pd.Series | nx.Graph,
    attr: str | None = None,
    kind: str = "same",
    pair: tuple[Hashable, Hashable] | None = None,
    *,
    directed: bool = False,
    nodes: Sequence[Hashable] | None = None,
) -> pd.DataFrame:
    """A node × node covariate matrix from a person attribute, for :func:`qap_regression`.

    Parameters
    ----------
    people
        A people table indexed by ``person_id`` (e.g. ``Dataset.people``), a Series of
        attribute values indexed by person, or a graph (node attributes).
    attr
        Column / node attribute to use (ignored for a Series).
    kind
        ``"same"``: 1 where both people have the same value (same sector, same region).
        ``"pair"``: 1 where one person is in ``pair[0]`` and the other in ``pair[1]``
        (e.g. ``("prison", "NHS")``).
    pair
        The two values for ``kind="pair"``.
    directed
        For ``kind="pair"``: only cells from ``pair[0]`` (row) to ``pair[1]`` (column).
    nodes
        Row/column order (default: the table's index or the graph's node order).

    Returns
    -------
    pandas.DataFrame
        Square float matrix of 0/1 indexed and labelled by person, diagonal 0.

    Raises
    ------
    TypeError
        If ``people`` is not a DataFrame, Series or graph.
    ValueError
        If ``attr`` is missing, ``kind`` unknown, ``pair`` not given for ``kind="pair"``
        or naming a value nobody has, or ``nodes`` names unknown people.

    Examples
    --------
    >>> import pandas as pd
    >>> import connectnet as cn
    >>> people = pd.DataFrame({"sector": ["prison", "NHS", "prison"]}, index=["a", "b", "c"])
    >>> cn.dyadic_covariate(people, "sector")
         a    b    c
    a  0.0  0.0  1.0
    b  0.0  0.0  0.0
    c  1.0  0.0  0.0
    >>> cn.dyadic_covariate(people, "sector", "pair", ("prison", "NHS")).loc["a", "b"]
    np.float64(1.0)

    Notes
    -----
    A missing value never matches (a person with no region is "not in the same region" as
    anyone), and a person with a missing value is in neither side of a ``pair``.
    """
    if isinstance(people, nx.Graph):
        if attr is None:
            msg = "`attr` is required when `people` is a graph."
            raise ValueError(msg)
        order = list(people) if nodes is None else list(nodes)
        unknown = [v for v in order if v not in people]
        if unknown:
            msg = f"{len(unknown)} of `nodes` are not in the graph, e.g. {unknown[:5]}."
            raise ValueError(msg)
        values = pd.Series(
            [people.nodes[v].get(attr) for v in order], index=_object_index(order), dtype=object
        )
    elif isinstance(people, pd.Series):
        values = people.astype(object)
    elif isinstance(people, pd.DataFrame):
        if attr is None or attr not in people.columns:
            msg = f"`attr`={attr!r} is not a column of `people`; columns: {list(people.columns)}."
            raise ValueError(msg)
        values = people[attr].astype(object)
    else:
        msg = f"`people` must be a DataFrame, Series or graph, got {type(people).__name__}."
        raise TypeError(msg)
    if nodes is not None and not isinstance(people, nx.Graph):
        unknown = [v for v in nodes if v not in values.index]
        if unknown:
            msg = f"{len(unknown)} of `nodes` are not in `people`, e.g. {unknown[:5]}."
            raise ValueError(msg)
        values = values.loc[object_array(nodes)]
    codes, uniques = pd.factorize(values, use_na_sentinel=True)
    labels = list(uniques)
    if kind == "same":
        M = (codes[:, None] == codes[None, :]) & (codes[:, None] >= 0)
    elif kind == "pair":
        if pair is None or len(pair) != 2:
            msg = '`pair` must be two values, e.g. ("prison", "NHS"), for kind="pair".'
            raise ValueError(msg)
        absent = [x for x in pair if x not in labels]
        if absent:
            where = "`people`" if isinstance(people, pd.Series) else f"`{attr}`"
            msg = (
                f"`pair` value(s) {absent} are not values of {where}; values found: "
                f"{labels}. Check the spelling and case (e.g. 'nhs' vs 'NHS')."
            )
            raise ValueError(msg)
        a = np.isin(codes, [labels.index(x) for x in labels if x == pair[0]])
        b = np.isin(codes, [labels.index(x) for x in labels if x == pair[1]])
        M = a[:, None] & b[None, :]
        if not directed:
            M = M | M.T
    else:
        msg = f'`kind` must be "same" or "pair", got {kind!r}.'
        raise ValueError(msg)
    M = M.astype(np.float64)
    np.fill_diagonal(M, 0.0)
    index = _object_index(list(values.index))
    return pd.DataFrame(M, index=index, columns=index.copy())
