"""QAP (issue 16): every node kept, one triangle for symmetric data, logistic QAP against
R sna netlogit, and the permutation kernels against the direct (copying) computation."""

from __future__ import annotations

import json
from pathlib import Path

import networkx as nx
import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import connectnet as cn
from connectnet.change import _permute, qap

FIXTURES = Path(__file__).parent / "fixtures"


def rigour() -> dict:
    return json.loads((FIXTURES / "rigour_sna.json").read_text())


def old_fixture() -> dict:
    return json.loads((FIXTURES / "qap_sna.json").read_text())


def arr(x) -> np.ndarray:
    return np.array(x, dtype=float)


# ---------------------------------------------------------------------------
# item 1: QAP keeps every node
# ---------------------------------------------------------------------------
def test_gcor_and_netlm_keep_non_senders_as_sna_does():
    """30-node digraph, six people named nobody (rows of zeros): sna keeps them."""
    fx = rigour()["iso"]
    g, cov, cov2 = arr(fx["g"]), arr(fx["cov"]), arr(fx["cov2"])
    G = nx.from_numpy_array(g, create_using=nx.DiGraph)
    assert sum(1 for _, d in G.out_degree() if d == 0) >= 6
    labels = list(range(30))
    frame = pd.DataFrame(cov, index=labels, columns=labels)
    res = cn.qap_correlation(G, frame, n_permutations=20, seed=1)
    assert res.n_nodes == 30
    assert res.excluded == ()
    assert res.non_respondents == ()
    assert res.observed == pytest.approx(fx["gcor"], abs=1e-12)
    reg = cn.qap_regression(
        G, {"cov": frame, "cov2": pd.DataFrame(cov2)}, n_permutations=10, seed=1
    )
    assert reg.n_dyads == fx["netlm"]["n"] == 870
    np.testing.assert_allclose(
        reg.coefficients["estimate"], fx["netlm"]["coefficients"], atol=1e-10
    )
    np.testing.assert_allclose(reg.coefficients["t"], fx["netlm"]["tstat"], rtol=1e-8)


def test_recorded_respondents_drop_and_warn():
    fx = rigour()["iso"]
    G = nx.from_numpy_array(arr(fx["g"]), create_using=nx.DiGraph)
    G.graph["respondents"] = list(range(6, 30))  # 0..5 did not answer
    with pytest.warns(UserWarning, match=r"6 node\(s\) did not answer.*G.graph\['respondents'\]"):
        res = cn.qap_correlation(G, G, n_permutations=5, seed=1)
    assert res.non_respondents == tuple(range(6))
    assert res.n_nodes == 24
    assert "6 of them non-respondents" in repr(res)


# ---------------------------------------------------------------------------
# item 3: symmetric matrices use one triangle
# ---------------------------------------------------------------------------
def test_symmetric_arrays_use_one_triangle_like_sna_mode_graph():
    fx = old_fixture()
    uy, u1, u2 = arr(fx["uy"]), arr(fx["u1"]), arr(fx["u2"])
    res = cn.qap_regression(uy, {"u1": u1, "u2": u2}, n_permutations=10, seed=1)
    assert not res.directed
    assert res.dyads == "one triangle (every input is undirected or symmetric)"
    assert res.n_dyads == fx["netlm_graph"]["n"] == 66
    np.testing.assert_allclose(res.coefficients["t"], fx["netlm_graph"]["tstat"], rtol=1e-8)
    both = cn.qap_regression(uy, {"u1": u1, "u2": u2}, directed=True, n_permutations=10, seed=1)
    assert both.dyads == "both cells (directed=True)"
    # the same estimates, but counting every dyad twice inflates t by about sqrt(2):
    # t_both / t_one = sqrt((2N - p) / (N - p)) exactly, with N = 66 dyads, p = 3
    np.testing.assert_allclose(both.coefficients["estimate"], res.coefficients["estimate"])
    np.testing.assert_allclose(
        both.coefficients["t"] / res.coefficients["t"], np.sqrt((132 - 3) / (66 - 3))
    )
    # one asymmetric input: both cells, and the result says why
    skew = u2.copy()
    skew[0, 1] += 1
    assert cn.qap_regression(uy, {"u1": u1, "u2": skew}, n_permutations=5, seed=1).dyads == (
        "both cells (an asymmetric matrix input)"
    )


# ---------------------------------------------------------------------------
# item 5: logistic QAP
# ---------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("keys", "mode"), [(("yb", "x1", "x2"), "directed"), (("uy", "u1", "u2"), "graph")]
)
def test_logit_equals_sna_netlogit(keys, mode):
    fx = rigour()["logit"]
    y, x1, x2 = (arr(fx[k]) for k in keys)
    ref = fx[mode]
    for method in ("dsp", "y"):
        res = cn.qap_regression(
            y, {"x1": x1, "x2": x2}, family="logit", method=method, n_permutations=20, seed=2
        )
        assert res.family == "logit"
        assert res.directed == (mode == "directed")
        assert res.n_dyads == ref["n"]
        np.testing.assert_allclose(res.coefficients["estimate"], ref["coefficients"], atol=1e-6)
        np.testing.assert_allclose(res.coefficients["std_error"], ref["se"], rtol=1e-6)
        assert res.deviance == pytest.approx(ref["deviance"], rel=1e-8)
        assert np.isnan(res.r_squared)
        assert "deviance" in repr(res)


def test_logit_dsp_identity_permutation_gives_observed_z(monkeypatch):
    """Refitting with the unpermuted residual spans the same model, so z is unchanged."""
    fx = rigour()["logit"]
    y, x1, x2 = (arr(fx[k]) for k in ("yb", "x1", "x2"))
    monkeypatch.setattr(qap, "_permutations", lambda rng, b, n: np.tile(np.arange(n), (b, 1)))
    res = cn.qap_regression(y, {"x1": x1, "x2": x2}, family="logit", n_permutations=3, seed=1)
    assert (res.coefficients["p_greater"] == 1).all()
    assert (res.coefficients["p_less"] == 1).all()
    np.testing.assert_allclose(
        res.coefficients["null_mean"], res.coefficients["estimate"], rtol=1e-8
    )


def test_logit_errors():
    fx = old_fixture()
    y = arr(fx["y"])
    with pytest.raises(ValueError, match="0/1 outcome"):
        cn.qap_regression(y, {"x1": arr(fx["x1"])}, family="logit")
    yb = arr(fx["yb"])
    with pytest.raises(ValueError, match="does not converge"):
        cn.qap_regression(yb, {"same": yb}, family="logit", n_permutations=2)
    with pytest.raises(ValueError, match="`family`"):
        cn.qap_regression(yb, {"x1": arr(fx["x1"])}, family="probit")


def test_logit_dsp_calibrated_under_the_null():
    """y independent of x (both random 0/1 graphs, n = 12): the DSP p-value of x rejects
    about 10 % of the time at the 10 % level (60 replications; a 3-SD band)."""
    rng = np.random.default_rng(5)
    rejections = 0
    reps = 60
    for _ in range(reps):
        x = (rng.random((12, 12)) < 0.4).astype(float)
        y = (rng.random((12, 12)) < 0.3).astype(float)
        res = cn.qap_regression(y, {"x": x}, family="logit", n_permutations=49, seed=rng)
        rejections += res.coefficients.loc["x", "p_two_sided"] <= 0.1
    assert abs(rejections / reps - 0.1) <= 3 * np.sqrt(0.1 * 0.9 / reps)


# ---------------------------------------------------------------------------
# QAP at scale: the kernels equal the direct computation with copied matrices
# ---------------------------------------------------------------------------
@settings(deadline=None, max_examples=25)
@given(
    st.integers(3, 9),
    st.floats(0.0, 1.0),
    st.floats(0.0, 1.0),
    st.booleans(),
    st.integers(0, 10_000),
)
def test_cross_products_equal_copied_permuted_matrices(n, da, db, undirected, seed):
    rng = np.random.default_rng(seed)
    A = (rng.random((n, n)) < da) * rng.integers(1, 4, (n, n)).astype(float)
    B = (rng.random((n, n)) < db) * rng.normal(size=(n, n))
    if undirected:
        A, B = np.triu(A, 1) + np.triu(A, 1).T, np.triu(B, 1) + np.triu(B, 1).T
    stack = np.ascontiguousarray(np.stack([A, B]))
    perms = _permute.permutations(rng, 5, n)
    got = _permute.CrossProducts(stack, [0, 1], [0, 1], undirected=undirected)(perms)
    if undirected:
        r, c = np.triu_indices(n, 1)
    else:
        r, c = np.nonzero(~np.eye(n, dtype=bool))
    for b, p in enumerate(perms):
        for ia, M in enumerate((A, B)):
            Mp = M[np.ix_(p, p)]  # the copying way
            for ib, F in enumerate((A, B)):
                assert got[b, ia, ib] == pytest.approx(Mp[r, c] @ F[r, c], abs=1e-9)


@pytest.mark.parametrize("directed", [True, False])
def test_regression_nulls_equal_direct_refits_on_recorded_permutations(monkeypatch, directed):
    """The closed-form DSP and "y" nulls equal explicit OLS refits on the same random
    permutations, computed the old way (each permuted matrix copied)."""
    fx = old_fixture()
    keys = ("y", "x1", "x2") if directed else ("uy", "u1", "u2")
    y, x1, x2 = (arr(fx[k]) for k in keys)
    n = y.shape[0]
    drawn: list[np.ndarray] = []

    def recording(rng, b, n_):
        perms = _permute.permutations(rng, b, n_)
        drawn.append(perms)
        return perms

    monkeypatch.setattr(qap, "_permutations", recording)
    if directed:
        r, c = np.nonzero(~np.eye(n, dtype=bool))
    else:
        r, c = np.triu_indices(n, 1)
    D = np.column_stack([np.ones(r.size), x1[r, c], x2[r, c]])
    yv = y[r, c]

    def t_last(design, outcome):
        beta = np.linalg.lstsq(design, outcome, rcond=None)[0]
        res = outcome - design @ beta
        s2 = res @ res / (design.shape[0] - design.shape[1])
        return beta / np.sqrt(s2 * np.diag(np.linalg.inv(design.T @ design)))

    for method in ("dsp", "y"):
        drawn.clear()
        out = cn.qap_regression(
            y, {"x1": x1, "x2": x2}, method=method, n_permutations=6, seed=3, directed=directed
        )
        perms = np.concatenate(drawn)
        assert perms.shape == (6, n)
        t_obs = out.coefficients["t"].to_numpy()
        for k in range(3):
            nulls = []
            for p in perms:
                if method == "y":
                    nulls.append(t_last(D, y[np.ix_(p, p)][r, c])[k])
                    continue
                Z = np.delete(D, k, axis=1)
                e = D[:, k] - Z @ np.linalg.lstsq(Z, D[:, k], rcond=None)[0]
                E = np.zeros((n, n))
                E[r, c] = e
                if not directed:
                    E[c, r] = e
                nulls.append(t_last(np.column_stack([Z, E[np.ix_(p, p)][r, c]]), yv)[-1])
            nulls = np.array(nulls)
            expect = (np.count_nonzero(nulls >= t_obs[k] - 1e-9 * max(1, abs(t_obs[k]))) + 1) / 7
            assert out.coefficients["p_greater"].iloc[k] == pytest.approx(expect)


def test_compact_stack_does_not_change_results(monkeypatch):
    """0/1 inputs are stored as uint8: the same statistics as a float64 stack."""
    fx = old_fixture()
    y, x1 = arr(fx["yb"]), arr(fx["x1"])
    assert qap._compact_dtype([y.ravel(), x1.ravel()]) is np.uint8
    assert qap._compact_dtype([y.ravel() + 0.5]) is np.float32
    assert qap._compact_dtype([y.ravel() + 0.1]) is np.float64
    for method in ("dsp", "y"):
        a = cn.qap_regression(y, {"x1": x1}, method=method, n_permutations=40, seed=9)
        with monkeypatch.context() as m:
            m.setattr(qap, "_compact_dtype", lambda vectors: np.float64)
            b = cn.qap_regression(y, {"x1": x1}, method=method, n_permutations=40, seed=9)
        pd.testing.assert_frame_equal(a.coefficients, b.coefficients, rtol=1e-12)
