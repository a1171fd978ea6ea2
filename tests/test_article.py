"""The article's derivations: coverage of C1-C22, each derivation's expectation, and
independent oracles (SciPy, complex-step differentiation, a numeric optimiser)
that share no code with the engine."""

import re
from pathlib import Path

import numpy as np
import pytest
import sympy
from scipy import optimize, special, stats

from derive import Status, check_derivation
from derive.article import divergence, entropy, likelihood
from derive.registry import derivations

ARTICLE = [d for d in derivations() if d.section != "examples"]
CLAIMS = Path(__file__).resolve().parents[2] / "shared" / "article" / "CLAIMS.md"


def test_every_claim_is_cited():
    cited = {cid for d in ARTICLE for cid in d.source}
    assert cited >= {f"C{i}" for i in range(1, 23)}
    assert all(re.fullmatch(r"C([1-9]|1[0-9]|2[0-2])", c) for c in cited)


@pytest.mark.skipif(not CLAIMS.exists(), reason="../shared/article is not beside this checkout")
def test_claim_ids_match_claims_md():
    ids = set(re.findall(r"\*\*(C\d+)\*\*", CLAIMS.read_text(encoding="utf-8")))
    assert ids == {f"C{i}" for i in range(1, 23)}


@pytest.mark.parametrize("derivation", ARTICLE, ids=[d.name for d in ARTICLE])
def test_derivation_meets_its_expectation(derivation):
    result = check_derivation(derivation)
    assert result.ok, str(result)
    for step in result.steps:
        if step.index in derivation.erratum_steps:
            assert step.verdict.status is Status.REFUTED and step.verdict.counterexample is not None
        else:
            assert step.verdict.status in (Status.PROVED, Status.TESTED)


def test_the_errata_are_found_where_expected():
    errata = {d.name: d.erratum_steps for d in ARTICLE if d.expect == "erratum"}
    assert errata == {
        "entropy-positive-continuous": (2,),
        "kl-jensen-as-written": (2, 3),
        "bce-one-sample-as-written": (1,),
        "ce-base2-gradient-w-as-written": (1, 2),
        "ce-base2-gradient-b-as-written": (1, 2),
    }


def _numeric(expr, names):
    from derive.functions import expand_information

    return sympy.lambdify([sympy.Symbol(n) for n in names], expand_information(expr), modules="numpy")


def _expand_sigmoid(expr):
    from derive.functions import expand_functions

    return expand_functions(expr)


RNG = np.random.default_rng(20261123)


@pytest.mark.parametrize("n", [2, 3, 5])
def test_entropy_and_kl_against_scipy(n):
    p = sympy.symbols(f"p1:{n + 1}")
    q = sympy.symbols(f"q1:{n + 1}")
    names = [s.name for s in (*p, *q)]
    h = _numeric(entropy.entropy(p), names)
    d = _numeric(divergence.kl(p, q), names)
    for _ in range(50):
        pv, qv = RNG.dirichlet(np.ones(n)), RNG.dirichlet(np.ones(n))
        args = [*pv, *qv]
        assert h(*args) == pytest.approx(stats.entropy(pv), rel=1e-12)
        assert d(*args) == pytest.approx(special.rel_entr(pv, qv).sum(), rel=1e-10, abs=1e-14)


def _last(derivation_name):
    return next(x for x in ARTICLE if x.name == derivation_name).steps[-1].expr


def _loss_base2(w, b, xs, ys):
    a = 1 / (1 + np.exp(-(w * xs + b)))
    return -np.sum(ys * np.log(a) + (1 - ys) * np.log(1 - a)) / np.log(2)


@pytest.mark.parametrize(("name", "variable"), [("ce-base2-gradient-w", "w"), ("ce-base2-gradient-b", "b")])
def test_base2_gradients_against_complex_step_and_central_differences(name, variable):
    expr = _last(name)
    names = ["w", "b", "x1", "x2", "y1", "y2"]
    grad = _numeric(_expand_sigmoid(expr), names)
    h = 1e-30
    for _ in range(50):
        w, b = RNG.normal(size=2)
        xs, ys = RNG.normal(size=2), RNG.random(2)
        point = {"w": w, "b": b}
        shifted = dict(point)
        shifted[variable] = point[variable] + 1j * h
        complex_step = np.imag(_loss_base2(shifted["w"], shifted["b"], xs, ys)) / h
        e = 1e-6
        plus, minus = dict(point), dict(point)
        plus[variable] += e
        minus[variable] -= e
        central = (_loss_base2(plus["w"], plus["b"], xs, ys) - _loss_base2(minus["w"], minus["b"], xs, ys)) / (2 * e)
        value = grad(w, b, *xs, *ys)
        assert value == pytest.approx(complex_step, rel=1e-12, abs=1e-15)
        assert value == pytest.approx(central, rel=1e-6, abs=1e-8)


def test_article_base2_gradient_disagrees_with_complex_step():
    expr = _last("ce-base2-gradient-w-as-written")
    grad = _numeric(_expand_sigmoid(expr), ["w", "b", "x1", "x2", "y1", "y2"])
    w, b, xs, ys = 0.3, -0.2, np.array([1.0, 2.0]), np.array([1.0, 0.0])
    complex_step = np.imag(_loss_base2(w + 1e-30j, b, xs, ys)) / 1e-30
    assert grad(w, b, *xs, *ys) == pytest.approx(-(np.log(2) ** 2) * complex_step, rel=1e-12)


def test_gaussian_mle_against_a_numeric_optimiser():
    data = RNG.normal(3.0, 2.0, size=likelihood.n)
    mean = data.mean()
    variance = ((data - mean) ** 2).mean()

    def negative_log_likelihood(params):
        mu, log_sigma = params
        return -stats.norm.logpdf(data, mu, np.exp(log_sigma)).sum()

    found = optimize.minimize(negative_log_likelihood, x0=[0.0, 0.0], method="Nelder-Mead",
                              options={"xatol": 1e-10, "fatol": 1e-12, "maxiter": 10_000})  # fmt: skip
    assert found.x[0] == pytest.approx(mean, abs=1e-6)
    assert np.exp(found.x[1]) ** 2 == pytest.approx(variance, rel=1e-6)
    # the engine's derivations say the scores vanish exactly there
    score_mu = _numeric(likelihood.SQUARES.diff(likelihood.mu), ["mu", "x1", "x2", "x3"])
    assert score_mu(mean, *data) == pytest.approx(0, abs=1e-9)


def test_bernoulli_and_categorical_mle_against_optimiser():
    bits = RNG.integers(0, 2, size=40)
    found = optimize.minimize_scalar(
        lambda t: -(bits * np.log(t) + (1 - bits) * np.log(1 - t)).sum(), bounds=(1e-9, 1 - 1e-9), method="bounded",
        options={"xatol": 1e-12},
    )  # fmt: skip
    assert found.x == pytest.approx(bits.mean(), abs=1e-6)
    counts = np.array([3.0, 7.0, 10.0])

    def negative(v):
        q = np.exp(v) / np.exp(v).sum()
        return -(counts * np.log(q)).sum()

    found = optimize.minimize(negative, x0=np.zeros(3), method="BFGS", options={"gtol": 1e-10})
    q = np.exp(found.x) / np.exp(found.x).sum()
    assert q == pytest.approx(counts / counts.sum(), abs=1e-6)


def test_softmax_gradient_against_complex_step():
    expr = _last("softmax-ce-gradient")
    grad = _numeric(expr, ["z1", "z2", "z3", "t1", "t2", "t3"])
    for _ in range(20):
        z, t = RNG.normal(size=3), RNG.dirichlet(np.ones(3))

        zz = z.astype(complex)
        zz[0] += 1e-30j
        complex_step = np.imag(-(t * (zz - np.log(np.exp(zz).sum()))).sum()) / 1e-30
        assert grad(*z, *t) == pytest.approx(complex_step, rel=1e-12, abs=1e-15)
