"""Section 5 of the article: maximum likelihood as minimum cross entropy (C18-C22).

>>> len(DERIVATIONS) >= 8
True
"""

from __future__ import annotations

import sympy

from derive.article.common import gaussian, on_simplex, probability_vector
from derive.claim import DataSet, Domain, integers, positive, reals
from derive.derivation import Derivation, eq, lt, same_argmax
from derive.registry import register, register_section
from derive.rules import Differentiation, Scaling, log_increasing

SECTION = "likelihood"
register_section(SECTION, "Maximum likelihood as minimum cross entropy", rank=5)
n = 3
mu, sigma, v, theta = sympy.symbols("mu sigma v theta")
XS = sympy.symbols(f"x1:{n + 1}")
DATA = Domain().bind(tuple(str(s) for s in XS), DataSet(n))
GAUSS = DATA.bind(("mu",), reals()).bind(("sigma",), positive())
Q = probability_vector("q", 3)
COUNTS = sympy.symbols("c1:4")


def f(xi: sympy.Expr) -> sympy.Expr:
    """The model density f(x | mu, sigma): a normal distribution (C22)."""
    return gaussian(xi, mu, sigma)


LIKELIHOOD = sympy.Mul(*[f(xi) for xi in XS])
LOG_LIKELIHOOD = sum(sympy.log(f(xi)) for xi in XS)
SQUARES = sum((xi - mu) ** 2 for xi in XS)
MEAN = sum(XS) / n
CROSS_ENTROPY = -sum(sympy.Rational(1, n) * sympy.log(f(xi)) for xi in XS)  # H(p_data, f)
CATEGORICAL_CROSS_ENTROPY = -sum(ck / sum(COUNTS) * sympy.log(qk) for qk, ck in zip(Q, COUNTS, strict=True))

DERIVATIONS = [
    Derivation(
        name="likelihood-iid-factorises",
        title=f"The joint density of {n} i.i.d. normal samples is the product of the marginals",
        source=("C18", "C22"),
        section=SECTION,
        start=(2 * sympy.pi * sigma**2) ** sympy.Rational(-n, 2) * sympy.exp(-SQUARES / (2 * sigma**2)),
        steps=(eq(LIKELIHOOD, "independence"),),
        domain=GAUSS,
    ),
    Derivation(
        name="likelihood-to-cross-entropy",
        title="Maximising the likelihood = maximising the mean log-likelihood = minimising the cross entropy "
        "with the empirical distribution",
        source=("C19", "C20", "C21"),
        section=SECTION,
        start=LIKELIHOOD,
        steps=(
            same_argmax(LOG_LIKELIHOOD, log_increasing()),
            same_argmax(LOG_LIKELIHOOD / n, Scaling(sympy.Rational(1, n))),
            eq(sum(sympy.Rational(1, n) * sympy.log(f(xi)) for xi in XS), "E over the empirical distribution"),
            eq(-CROSS_ENTROPY, "minus the cross entropy H(p_data, f)"),
        ),
        domain=GAUSS,
        over=("mu", "sigma"),
    ),
    Derivation(
        name="categorical-likelihood-to-cross-entropy",
        title="For a categorical model the log-likelihood is n times minus the cross entropy H(p_hat, q)",
        source=("C19", "C20", "C21"),
        section=SECTION,
        start=sympy.Mul(*[qk**ck for qk, ck in zip(Q, COUNTS, strict=True)]),
        steps=(
            same_argmax(sum(ck * sympy.log(qk) for qk, ck in zip(Q, COUNTS, strict=True)), log_increasing()),
            same_argmax(
                sum(ck * sympy.log(qk) for qk, ck in zip(Q, COUNTS, strict=True)) / sum(COUNTS),
                Scaling(1 / sum(COUNTS)),
            ),
            eq(
                -CATEGORICAL_CROSS_ENTROPY,
                "p_hat_k = c_k / n: minus the cross entropy",
            ),
        ),
        domain=on_simplex(Domain.of(**{str(c): integers(1, 50) for c in COUNTS}), Q),
        over=tuple(str(s) for s in Q),
    ),
    Derivation(
        name="gaussian-mle-mean-score",
        title="The score for the mean: d/dmu log L = sum (x_i - mu) / sigma^2",
        source=("C22",),
        section=SECTION,
        start=sympy.Derivative(LOG_LIKELIHOOD, mu),
        steps=(eq(sum(xi - mu for xi in XS) / sigma**2, Differentiation()),),
        domain=GAUSS,
    ),
    Derivation(
        name="gaussian-mle-mean",
        title="The score vanishes at the sample mean",
        source=("C22",),
        section=SECTION,
        start=sum(xi - MEAN for xi in XS) / sigma**2,
        steps=(eq(0, "mu = mean of the x_i"),),
        domain=GAUSS,
    ),
    Derivation(
        name="gaussian-mle-mean-is-maximum",
        title="The log-likelihood is strictly concave in mu: the stationary point is the maximum",
        source=("C22",),
        section=SECTION,
        start=sympy.Derivative(LOG_LIKELIHOOD, mu, 2),
        steps=(eq(-n / sigma**2, Differentiation()), lt(0, "sigma > 0")),
        domain=GAUSS,
    ),
    Derivation(
        name="gaussian-mle-variance-score",
        title="The score for the variance v = sigma^2: -n/(2v) + sum (x_i - mu)^2 / (2 v^2)",
        source=("C22",),
        section=SECTION,
        start=sympy.Derivative(sum(sympy.log(gaussian(xi, mu, sympy.sqrt(v))) for xi in XS), v),
        steps=(eq(-sympy.Rational(n, 2) / v + SQUARES / (2 * v**2), Differentiation()),),
        domain=DATA.bind(("mu",), reals()).bind(("v",), positive()),
    ),
    Derivation(
        name="gaussian-mle-variance",
        title="It vanishes at v = (1/n) sum (x_i - mu)^2, the maximum-likelihood variance",
        source=("C22",),
        section=SECTION,
        start=(-sympy.Rational(n, 2) / v + SQUARES / (2 * v**2)).subs(v, SQUARES / n),
        steps=(eq(0, "v = mean squared deviation"),),
        domain=DATA.bind(("mu",), reals()),
    ),
    Derivation(
        name="bernoulli-mle",
        title="Bernoulli model: the score vanishes at theta = the fraction of ones",
        source=("C22",),
        section=SECTION,
        start=sympy.Derivative(sum(xi * sympy.log(theta) + (1 - xi) * sympy.log(1 - theta) for xi in XS), theta).subs(
            theta, MEAN
        ),
        steps=(eq(0, "theta = mean"),),
        domain=Domain.of(x1=integers(0, 1), x2=integers(0, 1), x3=integers(1, 1)),
        note="Some x_i must be 1 and some 0 for the mean to lie in (0, 1); here x3 = 1.",
    ),
    Derivation(
        name="categorical-mle",
        title="Categorical model: the Lagrange condition c_k / q_k = n holds at q_k = c_k / n",
        source=("C21", "C22"),
        section=SECTION,
        start=sympy.Derivative(
            sum(ck * sympy.log(qk) for qk, ck in zip(Q, COUNTS, strict=True)) + theta * (1 - sum(Q)), Q[0]
        ),
        steps=(eq(COUNTS[0] / Q[0] - theta, Differentiation()),),
        domain=on_simplex(Domain.of(**{str(c): integers(1, 50) for c in COUNTS}), Q).bind(("theta",), reals()),
        note="With theta = n = sum c_k the condition gives q_k = c_k / n.",
    ),
]

for _derivation in DERIVATIONS:
    register(_derivation)
