"""Section 5 of the article: maximum likelihood as minimum cross entropy (C18-C22).

Everything is derived for n i.i.d. samples ``x_1 .. x_n`` (a data set of symbolic
size n): the likelihood as a product, its log, the average, the expectation under
the empirical distribution, the cross entropy, and the Gaussian maximum-likelihood
estimates of the mean and the variance.

>>> len(DERIVATIONS) >= 10
True
>>> from derive.writing import evaluated
>>> evaluated(LIKELIHOOD)
Product(sqrt(2)*exp(-(-mu + x[i])**2/(2*sigma**2))/(2*sqrt(pi)*sqrt(sigma**2)), (i, 1, n))
"""

from __future__ import annotations

import sympy

from derive.article.common import (
    Q,
    ell,
    entry_index,
    gaussian,
    gaussian_of_variance,
    i,
    j,
    k,
    length_at_least_one,
    n,
    on_simplex,
    total,
)
from derive.claim import Domain, Family, integers, positive, reals
from derive.definitions import define
from derive.derivation import Derivation, eq, lt, same_argmax
from derive.registry import register, register_section
from derive.rules import Differentiation, Scaling, log_increasing
from derive.writing import written

SECTION = "likelihood"
register_section(SECTION, "Maximum likelihood as minimum cross entropy", rank=5)
mu, sigma, v, theta = sympy.symbols("mu sigma v theta")
X, C = sympy.IndexedBase("x"), sympy.IndexedBase("c")
DATA = length_at_least_one(Domain().bind(("x",), Family(joint="data", length="n")))
"""x_1 .. x_n: a data set of n >= 1 real points."""
GAUSS = DATA.bind(("mu",), reals()).bind(("sigma",), positive())
COUNTS = Domain().bind(("c",), Family(integers(1, 50)))
"""c_j: how many of the samples fell in category j (at least one each)."""


def f(xi: sympy.Expr) -> sympy.Expr:
    """The model density f(x | mu, sigma): a normal distribution (C22)."""
    return gaussian(xi, mu, sigma)


with written():  # as the article writes them (checked evaluated)
    LIKELIHOOD = sympy.Product(f(X[i]), (i, 1, n))
    LOG_LIKELIHOOD = total(sympy.log(f(X[i])))
    SQUARES = total((X[i] - mu) ** 2)
    MEAN_LOG_LIKELIHOOD = 1 / n * LOG_LIKELIHOOD
    EMPIRICAL_MEAN = total(1 / n * sympy.log(f(X[i])))
    CROSS_ENTROPY = -total(1 / n * sympy.log(f(X[i])))
    """H(p_data, f) = -sum_i (1/n) log f(x_i): the empirical distribution puts 1/n on each sample."""
    MINUS_CROSS_ENTROPY = sympy.Mul(-1, CROSS_ENTROPY)  # -(-x) as written (a Mul's own minus would drop both)
    VARIANCE_LOG_LIKELIHOOD = total(sympy.log(gaussian_of_variance(X[i], mu, v)))
    CATEGORICAL_LOG_LIKELIHOOD = total(C[j] * sympy.log(Q[j]), n, j)
    SAMPLES = total(C[ell], n, ell)
    """N = sum_j c_j, the number of samples."""
    CATEGORICAL_MEAN = 1 / SAMPLES * CATEGORICAL_LOG_LIKELIHOOD
    CATEGORICAL_CROSS_ENTROPY = -total(C[j] / SAMPLES * sympy.log(Q[j]), n, j)
    """H(p_hat, q) with p_hat_j = c_j / N."""
    MINUS_CATEGORICAL_CROSS_ENTROPY = sympy.Mul(-1, CATEGORICAL_CROSS_ENTROPY)
    FACTORED = (2 * sympy.pi * sigma**2) ** (-n / 2) * sympy.Product(
        sympy.exp(-((X[i] - mu) ** 2 / (2 * sigma**2))), (i, 1, n)
    )
    EXPONENTIAL_OF_SUM = (2 * sympy.pi * sigma**2) ** (-n / 2) * sympy.exp(-(SQUARES / (2 * sigma**2)))
    LOG_DENSITIES = -n / 2 * sympy.log(2 * sympy.pi * sigma**2) - 1 / (2 * sigma**2) * SQUARES
    MEAN_SCORE = 1 / sigma**2 * total(X[i] - mu)
    VARIANCE_SCORE = -n / (2 * v) + 1 / (2 * v**2) * SQUARES
MEAN = define("xbar", total(X[j], n, j) / n)
"""The sample mean, a named definition: printed folded as ``\\bar{x}``, expanded when checked."""

DERIVATIONS = [
    Derivation(
        name="likelihood-iid-factorises",
        title="The likelihood of n i.i.d. normal samples, the product of their densities, "
        r"is $(2 \pi \sigma^2)^{-n/2} \exp(-\sum_i (x_i - \mu)^2 / (2 \sigma^2))$",
        source=("C18", "C22"),
        section=SECTION,
        start=LIKELIHOOD,
        steps=(
            eq(FACTORED, r"the factor $1/\sqrt{2 \pi \sigma^2}$, n times"),
            eq(EXPONENTIAL_OF_SUM, "a product of exponentials is the exponential of the sum"),
        ),
        domain=GAUSS,
    ),
    Derivation(
        name="log-likelihood-gaussian",
        title="The log-likelihood of n i.i.d. normal samples is the sum of the log-densities",
        source=("C19", "C22"),
        section=SECTION,
        start=sympy.log(LIKELIHOOD),
        steps=(
            eq(LOG_LIKELIHOOD, "the log of a product is the sum of the logs"),
            eq(LOG_DENSITIES, "log of the normal density"),
        ),
        domain=GAUSS,
    ),
    Derivation(
        name="likelihood-to-cross-entropy",
        title="Maximising the likelihood = maximising the mean log-likelihood = minimising the cross entropy "
        "with the empirical distribution (n samples)",
        source=("C19", "C20", "C21"),
        section=SECTION,
        start=LIKELIHOOD,
        steps=(
            same_argmax(LOG_LIKELIHOOD, log_increasing()),
            same_argmax(MEAN_LOG_LIKELIHOOD, Scaling(1 / n)),
            eq(EMPIRICAL_MEAN, r"$E$ over the empirical distribution, $1/n$ on each $x_i$"),
            eq(MINUS_CROSS_ENTROPY, r"minus the cross entropy $H(p_{\mathrm{data}}, f)$"),
        ),
        domain=GAUSS,
        over=("mu", "sigma"),
    ),
    Derivation(
        name="categorical-likelihood-to-cross-entropy",
        title="For a categorical model on n categories the log-likelihood is N times minus the cross entropy "
        r"$H(\hat{p}, q)$, $N = \sum_j c_j$",
        source=("C19", "C20", "C21"),
        section=SECTION,
        start=sympy.Product(Q[j] ** C[j], (j, 1, n)),
        steps=(
            same_argmax(CATEGORICAL_LOG_LIKELIHOOD, log_increasing()),
            same_argmax(CATEGORICAL_MEAN, Scaling(1 / SAMPLES)),
            eq(MINUS_CATEGORICAL_CROSS_ENTROPY, r"$\hat{p}_j = c_j / N$: minus the cross entropy"),
        ),
        domain=on_simplex(COUNTS, "q"),
        over=("q",),
    ),
    Derivation(
        name="gaussian-mle-mean-score",
        title=r"The score for the mean: $\partial \log L / \partial \mu = \sum_i (x_i - \mu) / \sigma^2$",
        source=("C22",),
        section=SECTION,
        start=sympy.Derivative(LOG_LIKELIHOOD, mu),
        steps=(eq(MEAN_SCORE, Differentiation()),),
        domain=GAUSS,
    ),
    Derivation(
        name="gaussian-mle-mean",
        title="The score vanishes at the sample mean",
        source=("C22",),
        section=SECTION,
        start=sympy.Subs(sympy.Derivative(LOG_LIKELIHOOD, mu), mu, MEAN),
        steps=(
            eq(total(X[i] - MEAN) / sigma**2, Differentiation()),
            eq(0, "the deviations from the mean sum to 0"),
        ),
        domain=GAUSS,
    ),
    Derivation(
        name="gaussian-mle-mean-is-maximum",
        title=r"The log-likelihood is strictly concave in $\mu$: the stationary point is the maximum",
        source=("C22",),
        section=SECTION,
        start=sympy.Derivative(LOG_LIKELIHOOD, mu, 2),
        steps=(eq(-n / sigma**2, Differentiation()), lt(0, r"$n \ge 1$, $\sigma > 0$")),
        domain=GAUSS,
    ),
    Derivation(
        name="gaussian-mle-variance-score",
        title=r"The score for the variance $v = \sigma^2$: $-n/(2v) + \sum_i (x_i - \mu)^2 / (2 v^2)$",
        source=("C22",),
        section=SECTION,
        start=sympy.Derivative(VARIANCE_LOG_LIKELIHOOD, v),
        steps=(eq(VARIANCE_SCORE, Differentiation()),),
        domain=DATA.bind(("mu",), reals()).bind(("v",), positive()),
    ),
    Derivation(
        name="gaussian-mle-variance",
        title=r"The score for the variance vanishes at $v = \frac{1}{n} \sum_i (x_i - \mu)^2$, the "
        r"maximum-likelihood variance",
        source=("C22",),
        section=SECTION,
        start=sympy.Subs(sympy.Derivative(VARIANCE_LOG_LIKELIHOOD, v), v, SQUARES / n),
        steps=(eq(0, "v = mean squared deviation"),),
        domain=DATA.bind(("mu",), reals()),
    ),
    Derivation(
        name="bernoulli-mle",
        title=r"Bernoulli model: the score vanishes at $\theta$ = the fraction of ones (n samples)",
        source=("C22",),
        section=SECTION,
        start=sympy.Subs(
            sympy.Derivative(total(X[i] * sympy.log(theta) + (1 - X[i]) * sympy.log(1 - theta)), theta), theta, MEAN
        ),
        steps=(
            eq(total(X[i]) / MEAN - total(1 - X[i]) / (1 - MEAN), Differentiation()),
            eq(0, r"$\theta$ = mean"),
        ),
        domain=Domain().bind(("x",), Family(integers(0, 1))),
        note="Each $x_i$ is 0 or 1; samples that are all 0 or all 1 put the mean on the boundary, "
        "where the log-likelihood has no stationary point (those points are not in the claim's domain).",
    ),
    Derivation(
        name="categorical-mle",
        title=r"Categorical model: the Lagrange condition $c_k / q_k = \theta$ holds at $q_k = c_k / N$ for every k",
        source=("C21", "C22"),
        section=SECTION,
        start=sympy.Derivative(CATEGORICAL_LOG_LIKELIHOOD + theta * (1 - total(Q[j], n, j)), Q[k]),
        steps=(eq(C[k] / Q[k] - theta, Differentiation()),),
        domain=entry_index(on_simplex(COUNTS, "q")).bind(("theta",), reals()),
        note=r"With $\theta = N = \sum_j c_j$ the condition gives $q_k = c_k / N$.",
    ),
]

for _derivation in DERIVATIONS:
    register(_derivation)
