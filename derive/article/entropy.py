"""Section 2 of the article: self-information and entropy (C1-C5).

Entropy, its expectation form, its sign and its maximum are derived for a
distribution on n outcomes (``p`` on the n-simplex); the binary entropy of a coin
is the article's concrete case.

>>> sorted(d.name for d in DERIVATIONS)[:2]
['entropy-binary-bounds', 'entropy-binary-increasing']
"""

from __future__ import annotations

import sympy

from derive.article.common import P, entry_index, gaussian, i, k, n, on_simplex, total, vector
from derive.claim import Domain, interval, positive, reals
from derive.derivation import Derivation, eq, ge, gt, le, lt
from derive.functions import Entropy, Expectation
from derive.registry import register, register_section
from derive.rules import Differentiation, Jensen
from derive.writing import written

SECTION = "entropy"
register_section(SECTION, "Self-information and entropy", rank=2)
p, q, lam, sigma = sympy.symbols("p q lambda sigma")
x = sympy.Symbol("x", real=True)
pvec = vector("p")
SIMPLEX = on_simplex(Domain(), "p")
unit = interval(0, 1)
t = sympy.Symbol("t")
minus_log = sympy.Lambda(t, -sympy.log(t))


def information(prob: sympy.Expr) -> sympy.Expr:
    """Self-information ``I = -log p`` (C1)."""
    return -sympy.log(prob)


half = sympy.Rational(1, 2)
with written():  # the article's forms, as it writes them (checked evaluated)
    LOG_ONE = information(sympy.Integer(1))
    LAGRANGE = -sympy.log(P[k]) - 1 + lam
    LAGRANGE_AT = -sympy.log(sympy.exp(lam - 1)) - 1 + lam
    UNIFORM = -total(1 / n * sympy.log(1 / n))
    COLLECTED = total(P[i] * -sympy.log(1 / (n * P[i])))
    JENSEN_UNIFORM = -sympy.log(total(P[i] * (1 / (n * P[i]))))
    TERMS_UNIFORM = -sympy.log(total(1 / n))
    BINARY_SLOPE = sympy.log(1 - p) - sympy.log(p)
    DIFFERENTIAL_ENTROPY = sympy.Integral(
        -gaussian(x, 0, sigma) * sympy.log(gaussian(x, 0, sigma)), (x, -sympy.oo, sympy.oo)
    )
    DIFFERENTIAL_ENTROPY_CLOSED = sympy.Rational(1, 2) * sympy.log(2 * sympy.pi * sympy.E * sigma**2)
    BINARY_AT_HALF = -half * sympy.log(half) - (1 - half) * sympy.log(1 - half)


DERIVATIONS = [
    Derivation(
        name="self-information-decreasing",
        title=r"Self-information $-\log p$ decreases as p grows: rarer events carry more information",
        source=("C1",),
        section=SECTION,
        start=sympy.Derivative(information(p), p),
        steps=(eq(-1 / p, Differentiation()), lt(0, "p > 0")),
        domain=Domain.of(p=unit),
    ),
    Derivation(
        name="self-information-additive",
        title="Self-information of two independent events adds up",
        source=("C1",),
        section=SECTION,
        start=information(p * q),
        steps=(eq(information(p) + information(q), "log of a product, p, q > 0"),),
        domain=Domain.of(p=unit, q=unit),
    ),
    Derivation(
        name="self-information-certain-event",
        title="A certain event carries no information, and every other event some",
        source=("C1",),
        section=SECTION,
        start=information(p),
        steps=(gt(0, r"$-\log p > 0$ for $p < 1$"),),
        domain=Domain.of(p=unit),
        note=r"At $p = 1$, $I = -\log 1 = 0$ exactly; for $0 < p < 1$ it is positive.",
    ),
    Derivation(
        name="self-information-zero-for-certain-event",
        title="A certain event (p = 1) carries zero information",
        source=("C1",),
        section=SECTION,
        start=LOG_ONE,
        steps=(eq(0, r"$\log 1 = 0$"),),
    ),
    Derivation(
        name="entropy-expected-self-information",
        title="Entropy is the expectation of self-information (n outcomes)",
        source=("C2", "C4"),
        section=SECTION,
        start=Entropy(pvec),
        steps=(
            eq(Expectation(pvec, sympy.Lambda(i, information(P[i]))), r"$H = E[I(X)]$"),
            eq(total(P[i] * information(P[i])), r"$E_p[f] = \sum_i p_i f_i$"),
        ),
        domain=SIMPLEX,
    ),
    Derivation(
        name="entropy-positive-continuous",
        title="'Entropy is always greater than 0', for the article's continuous definition (an erratum)",
        source=("C2", "C3"),
        section=SECTION,
        start=DIFFERENTIAL_ENTROPY,
        steps=(
            eq(DIFFERENTIAL_ENTROPY_CLOSED, "integrate the Gaussian"),
            gt(0, "the article: entropy is always > 0"),
        ),
        domain=Domain.of(sigma=positive()),
        expect="erratum",
        erratum_steps=(2,),
        corrected_by=("entropy-nonnegative-discrete",),
        note=r"Differential entropy can be negative: a Gaussian narrower than $1/\sqrt{2 \pi e}$ has $h < 0$. "
        "Only discrete entropy is nonnegative (entropy-nonnegative-discrete).",
    ),
    Derivation(
        name="entropy-nonnegative-discrete",
        title="Discrete entropy is nonnegative (n outcomes); it is 0 only for a certain outcome",
        source=("C2", "C3"),
        section=SECTION,
        start=Entropy(pvec),
        steps=(
            eq(-total(P[i] * sympy.log(P[i])), r"$H(p) = -\sum_i p_i \log p_i$"),
            ge(0, r"each $-p_i \log p_i \ge 0$ for $0 < p_i \le 1$"),
        ),
        domain=SIMPLEX,
        note=r"The corrected C3: $H \ge 0$, not $H > 0$; on the open simplex $H > 0$, and $H \to 0$ as p tends "
        r"to a vertex.",
    ),
    Derivation(
        name="entropy-lagrange-stationary-point",
        title=r"Maximising entropy under $\sum_i p_i = 1$: the Lagrange condition for $p_k$ is the same for every k",
        source=("C5",),
        section=SECTION,
        start=sympy.Derivative(Entropy(pvec) + lam * (total(P[i]) - 1), P[k]),
        steps=(eq(LAGRANGE, Differentiation()),),
        domain=entry_index(SIMPLEX).bind(("lambda",), reals()),
        note=r"Setting the derivative to 0 gives $p_k = e^{\lambda - 1}$, the same for every k, so $p_k = 1/n$.",
    ),
    Derivation(
        name="entropy-lagrange-solution",
        title=r"The Lagrange condition $-\log p_k - 1 + \lambda = 0$ holds at $p_k = e^{\lambda - 1}$ for every k",
        source=("C5",),
        section=SECTION,
        start=LAGRANGE_AT,
        steps=(eq(0, "log exp"),),
        domain=Domain.of(**{"lambda": reals()}),
    ),
    Derivation(
        name="entropy-concave",
        title="The entropy's Hessian is negative definite: the stationary point is a maximum (n outcomes)",
        source=("C5",),
        section=SECTION,
        start=sympy.Derivative(Entropy(pvec), P[k], 2),
        steps=(eq(-1 / P[k], Differentiation()), lt(0, "p_k > 0")),
        domain=entry_index(SIMPLEX),
        note=r"Mixed second derivatives vanish ($\partial/\partial p_j$ of $-\log p_k - 1$ is 0 for $j \ne k$), "
        r"so the Hessian is "
        r"$\mathrm{diag}(-1/p_k)$.",
    ),
    Derivation(
        name="entropy-uniform-value",
        title=r"The uniform distribution on n outcomes has entropy $\log n$",
        source=("C5",),
        section=SECTION,
        start=UNIFORM,
        steps=(eq(sympy.log(n), "n equal terms"),),
    ),
    Derivation(
        name="entropy-maximum-at-uniform",
        title=r"No distribution on n outcomes beats the uniform one: $\log n - H(p) = D_{KL}(p \| u) \ge 0$",
        source=("C5",),
        section=SECTION,
        start=sympy.log(n) - Entropy(pvec),
        steps=(
            eq(sympy.log(n) * total(P[i]) - Entropy(pvec), r"$\sum_i p_i = 1$"),
            eq(COLLECTED, "collect each p_i"),
            ge(
                JENSEN_UNIFORM,
                Jensen(minus_log, sympy.Lambda(i, P[i]), sympy.Lambda(i, 1 / (n * P[i])), on=positive(), length=n),
            ),
            eq(TERMS_UNIFORM, r"$p_i / (n p_i) = 1/n$"),
            eq(0, r"$n$ terms $1/n$ sum to 1"),
        ),
        domain=SIMPLEX,
    ),
    Derivation(
        name="entropy-binary-increasing",
        title="Binary entropy grows as p moves from a certain outcome toward 1/2",
        source=("C5",),
        section=SECTION,
        start=sympy.Derivative(-p * sympy.log(p) - (1 - p) * sympy.log(1 - p), p),
        steps=(eq(BINARY_SLOPE, Differentiation()), gt(0, "1 - p > p")),
        domain=Domain.of(p=interval(0, sympy.Rational(1, 2))),
    ),
    Derivation(
        name="entropy-binary-bounds",
        title=r"Binary entropy lies between 0 and $\log 2$",
        source=("C3", "C5"),
        section=SECTION,
        start=sympy.Integer(0),
        steps=(
            le(-p * sympy.log(p) - (1 - p) * sympy.log(1 - p), "concave, 0 at both ends"),
            le(BINARY_AT_HALF, "maximum at p = 1/2"),
            eq(sympy.log(2), r"$-\log \frac{1}{2} = \log 2$"),
        ),
        domain=Domain.of(p=unit),
    ),
]

for _derivation in DERIVATIONS:
    register(_derivation)
