"""Section 4 of the article: MSE and cross entropy through a sigmoid, their
gradients, and vanishing gradients (C10-C17).

The losses are written as the article writes them, over a mini-batch of ``m``
samples (``\\frac{1}{2m}\\sum_{i=1}^{m}``) and ``n`` outputs (``\\sum_{j=1}^{n}``),
and their gradients are derived for every m and n; the one-sample forms and the
sigmoid's own behaviour are scalar.

>>> sorted(d.name for d in DERIVATIONS if d.expect == "erratum")
['bce-one-sample-as-written', 'ce-base2-gradient-b-as-written', 'ce-base2-gradient-w-as-written']
"""

from __future__ import annotations

import sympy

from derive.article.common import ell, entry_index, i, j, k, m, n, on_simplex, total
from derive.claim import Domain, Family, interval
from derive.definitions import define
from derive.derivation import Derivation, eq, le
from derive.functions import expand_functions, sigmoid
from derive.registry import register, register_section
from derive.rules import Differentiation
from derive.writing import as_written, written

SECTION = "gradients"
register_section(SECTION, "MSE and cross entropy through a sigmoid: gradients", rank=4)
w, b, x, y, z = sympy.symbols("w b x y z")
X, Y, Z = sympy.IndexedBase("x"), sympy.IndexedBase("y"), sympy.IndexedBase("z")
LN2 = sympy.log(2)
label = interval(0, 1, False, False)


def a(xi: sympy.Expr) -> sympy.Expr:
    """The sigmoid unit's output for input ``xi``."""
    return sigmoid(w * xi + b)


def dsigma(xi: sympy.Expr) -> sympy.Expr:
    """sigma'(z) written through sigma: sigma(z) (1 - sigma(z))."""
    return a(xi) * (1 - a(xi))


def dsigma_of(zi: sympy.Expr) -> sympy.Expr:
    """sigma'(z) at ``zi``: sigma(zi) (1 - sigma(zi))."""
    return sigmoid(zi) * (1 - sigmoid(zi))


def bce(ai: sympy.Expr, yi: sympy.Expr, base: sympy.Expr | None = None) -> sympy.Expr:
    """``-(y log a + (1 - y) log(1 - a))``, natural log or ``base``."""
    logs = (sympy.log(ai), sympy.log(1 - ai)) if base is None else (sympy.log(ai, base), sympy.log(1 - ai, base))
    return -(yi * logs[0] + (1 - yi) * logs[1])


def over_samples(body: sympy.Expr) -> sympy.Expr:
    """``sum_{i=1}^{m} body``: a mini-batch of m samples."""
    return total(body, m, i)


def over_outputs(body: sympy.Expr) -> sympy.Expr:
    """``sum_{j=1}^{n} body``: n outputs (targets) of one sample."""
    return total(body, n, j)


ONE = Domain.of(y=label)
LABELS = Domain().bind(("y",), Family(label))
"""Every label y_i (or y_ij) in [0, 1]."""

MULTI_BASE2 = over_outputs(bce(a(X[j]), Y[j], 2))
SOFTMAX = define("softmax", sympy.exp(Z[j]) / total(sympy.exp(Z[ell]), n, ell), of=Z, index=j)
SOFTMAX_CE = -over_outputs(Y[j] * sympy.log(SOFTMAX(Z)[j]))
M_ONE = sympy.Integer(1)
"""m = 1, kept as written in the article's batch formulas."""
with written():  # as the article writes them (checked evaluated)
    MSE_ONE = (a(x) - y) ** 2 / 2
    MSE_ONE_OF_BATCH = 1 / sympy.Mul(2, M_ONE) * sympy.Sum((a(x) - y) ** 2, (sympy.Symbol("i"), 1, 1))
    MSE_BATCH = 1 / (2 * m) * over_samples((a(X[i]) - Y[i]) ** 2)
    LOSS = define("L", as_written(MSE_BATCH), of=(w, b))
    SOFTMAX_GRADIENT = SOFTMAX(Z)[k] - Y[k]
    """The article's mini-batch MSE, L(w, b), folded where the article writes dL/dw."""
    BCE_BATCH_ARTICLE = 1 / (2 * m) * over_samples(bce(a(X[i]), Y[i]))
    MULTI_TARGET_ARTICLE = 1 / (2 * m) * total(over_outputs(bce(a(X[i, j]), Y[i, j])), m, i)
    MULTI = over_outputs(bce(a(X[j]), Y[j]))
    """The multi-target loss of one sample over n outputs (its sample index dropped): -sum_{j=1}^{n} [...]."""
    ONE_SAMPLE = MULTI
    ONE_SAMPLE_HALVED = 1 / sympy.Mul(2, M_ONE) * ONE_SAMPLE
    ONE_SAMPLE_MEAN = 1 / M_ONE * ONE_SAMPLE
    SOFTMAX_CE_LSE = -over_outputs(Y[j] * Z[j]) + sympy.log(total(sympy.exp(Z[ell]), n, ell))
    MSE_GRAD_W = (a(x) - y) * dsigma(x) * x
    MSE_GRAD_B = (a(x) - y) * dsigma(x)
    MSE_BATCH_GRAD_W = 1 / m * over_samples((a(X[i]) - Y[i]) * dsigma(X[i]) * X[i])
    MSE_BATCH_GRAD_B = 1 / m * over_samples((a(X[i]) - Y[i]) * dsigma(X[i]))
    SIGMOID_PRIME = dsigma_of(z)
    SIGMOID_PRIME_AT_ZERO = dsigma_of(sympy.Integer(0))
    HALF = sympy.Rational(1, 2) * (1 - sympy.Rational(1, 2))
    BCE_BATCH_GRAD_W = 1 / (2 * m) * over_samples((a(X[i]) - Y[i]) * X[i])
    BCE_BATCH_GRAD_B = 1 / (2 * m) * over_samples(a(X[i]) - Y[i])
    MULTI_GRAD_W = 1 / (2 * m) * total(over_outputs((a(X[i, j]) - Y[i, j]) * X[i, j]), m, i)
    BASE2_GRAD_W_AS_WRITTEN = -over_outputs(
        Y[j] / a(X[j]) * dsigma(X[j]) * X[j] * LN2 + (1 - Y[j]) / (1 - a(X[j])) * dsigma(X[j]) * (-X[j]) * LN2
    )
    BASE2_SUM_W_AS_WRITTEN = -LN2 * over_outputs((a(X[j]) - Y[j]) * X[j])
    BASE2_GRAD_W = -over_outputs(
        Y[j] / (a(X[j]) * LN2) * dsigma(X[j]) * X[j] + (1 - Y[j]) / ((1 - a(X[j])) * LN2) * dsigma(X[j]) * (-X[j])
    )
    BASE2_SUM_W = 1 / LN2 * over_outputs((a(X[j]) - Y[j]) * X[j])
    BASE2_GRAD_B_AS_WRITTEN = -over_outputs(
        Y[j] / a(X[j]) * dsigma(X[j]) * LN2 + (1 - Y[j]) / (1 - a(X[j])) * dsigma(X[j]) * LN2
    )
    BASE2_SUM_B_AS_WRITTEN = -LN2 * over_outputs(a(X[j]) - Y[j])
    BASE2_GRAD_B = -over_outputs(
        Y[j] / (a(X[j]) * LN2) * dsigma(X[j]) - (1 - Y[j]) / ((1 - a(X[j])) * LN2) * dsigma(X[j])
    )
    BASE2_SUM_B = 1 / LN2 * over_outputs(a(X[j]) - Y[j])
    NATURAL_GRAD_W = over_outputs((a(X[j]) - Y[j]) * X[j])
    NATURAL_GRAD_B = over_outputs(a(X[j]) - Y[j])
    RATIO = dsigma(x)
    GRADIENT_RATIO = sympy.Derivative(MSE_ONE, w) / sympy.Derivative(bce(a(x), y), w)

DERIVATIONS = [
    Derivation(
        name="mse-one-sample",
        title=r"The mini-batch MSE with $m = 1$ is the one-sample loss $(\sigma(wx + b) - y)^2 / 2$",
        source=("C10",),
        section=SECTION,
        start=MSE_ONE_OF_BATCH,
        steps=(eq(MSE_ONE, "one term"),),
        domain=ONE,
    ),
    Derivation(
        name="mse-gradient-w",
        title=r"$\partial L/\partial w = (a - y) \sigma'(z) x$ for the one-sample MSE",
        source=("C11",),
        section=SECTION,
        start=sympy.Derivative(MSE_ONE, w),
        steps=(eq(MSE_GRAD_W, Differentiation()),),
        domain=ONE,
    ),
    Derivation(
        name="mse-gradient-b",
        title=r"$\partial L/\partial b = (a - y) \sigma'(z)$ for the one-sample MSE",
        source=("C11",),
        section=SECTION,
        start=sympy.Derivative(MSE_ONE, b),
        steps=(eq(MSE_GRAD_B, Differentiation()),),
        domain=ONE,
    ),
    Derivation(
        name="mse-batch-gradient-w",
        title=r"The mini-batch MSE $\frac{1}{2m} \sum_i \|a_i - y_i\|^2$: "
        r"$\partial L/\partial w = \frac{1}{m} \sum_i (a_i - y_i) \sigma'(z_i) x_i$ (m samples)",
        source=("C10", "C11"),
        section=SECTION,
        start=sympy.Derivative(LOSS(w, b), w),
        steps=(eq(MSE_BATCH_GRAD_W, Differentiation()),),
        domain=LABELS,
    ),
    Derivation(
        name="mse-batch-gradient-b",
        title=r"The mini-batch MSE: $\partial L/\partial b = \frac{1}{m} \sum_i (a_i - y_i) \sigma'(z_i)$ (m samples)",
        source=("C10", "C11"),
        section=SECTION,
        start=sympy.Derivative(LOSS(w, b), b),
        steps=(eq(MSE_BATCH_GRAD_B, Differentiation()),),
        domain=LABELS,
    ),
    Derivation(
        name="sigmoid-derivative-bounded",
        title=r"$\sigma'(z) = \sigma(z)(1 - \sigma(z))$ is at most $1/4$, reached at $z = 0$",
        source=("C12",),
        section=SECTION,
        start=sympy.Derivative(sigmoid(z), z),
        steps=(
            eq(SIGMOID_PRIME, Differentiation()),
            le(sympy.Rational(1, 4), r"$(\sigma - 1/2)^2 \ge 0$"),
        ),
    ),
    Derivation(
        name="sigmoid-derivative-at-zero",
        title=r"$\sigma'(0) = 1/4$",
        source=("C12",),
        section=SECTION,
        start=SIGMOID_PRIME_AT_ZERO,
        steps=(eq(HALF, r"$\sigma(0) = 1/2$"), eq(sympy.Rational(1, 4), "arithmetic")),
    ),
    *(
        Derivation(
            name=f"sigmoid-derivative-limit-{side}",
            title=rf"$\sigma'(z) \to 0$ as $z \to {'+' if sign > 0 else '-'}\infty$: the MSE gradient vanishes "
            rf"for large $|z|$",
            source=("C12",),
            section=SECTION,
            start=sympy.Limit(expand_functions(sigmoid(z) * (1 - sigmoid(z))), z, sign * sympy.oo),
            steps=(eq(0, "limit"),),
        )
        for side, sign in (("plus", 1), ("minus", -1))
    ),
    Derivation(
        name="mse-gradient-vanishes",
        title=r"For a wrong prediction ($y = 0$, $z \to +\infty$) the MSE gradient $\partial L/\partial z$ tends to 0",
        source=("C12",),
        section=SECTION,
        start=sympy.Limit(expand_functions((sigmoid(z) - 0) * sigmoid(z) * (1 - sigmoid(z))), z, sympy.oo),
        steps=(eq(0, "limit"),),
    ),
    Derivation(
        name="ce-gradient-persists",
        title=r"For the same wrong prediction the cross-entropy gradient $\partial L/\partial z$ tends to 1",
        source=("C17",),
        section=SECTION,
        start=sympy.Limit(sympy.diff(expand_functions(-sympy.log(1 - sigmoid(z))), z), z, sympy.oo),
        steps=(eq(1, "limit"),),
    ),
    Derivation(
        name="bce-batch-gradient-w",
        title=r"Binary cross entropy with the article's $1/(2m)$: "
        r"$\partial L/\partial w = \frac{1}{2m} \sum_i (a_i - y_i) x_i$ (m samples)",
        source=("C13",),
        section=SECTION,
        start=sympy.Derivative(BCE_BATCH_ARTICLE, w),
        steps=(eq(BCE_BATCH_GRAD_W, Differentiation()),),
        domain=LABELS,
    ),
    Derivation(
        name="bce-batch-gradient-b",
        title=r"Binary cross entropy with the article's $1/(2m)$: "
        r"$\partial L/\partial b = \frac{1}{2m} \sum_i (a_i - y_i)$ (m samples)",
        source=("C13",),
        section=SECTION,
        start=sympy.Derivative(BCE_BATCH_ARTICLE, b),
        steps=(eq(BCE_BATCH_GRAD_B, Differentiation()),),
        domain=LABELS,
    ),
    Derivation(
        name="bce-multi-target-gradient-w",
        title="The article's multi-target loss over m samples and n outputs: "
        r"$\partial L/\partial w = \frac{1}{2m} \sum_i \sum_j (a_{ij} - y_{ij}) x_{ij}$",
        source=("C14", "C17"),
        section=SECTION,
        start=sympy.Derivative(MULTI_TARGET_ARTICLE, w),
        steps=(eq(MULTI_GRAD_W, Differentiation()),),
        domain=LABELS,
    ),
    Derivation(
        name="bce-one-sample-as-written",
        title=r"The article's multi-target loss with $m = 1$ against its one-sample loss (n outputs; an erratum)",
        source=("C14",),
        section=SECTION,
        start=ONE_SAMPLE_HALVED,
        steps=(eq(ONE_SAMPLE, "one sample"),),
        domain=LABELS,
        expect="erratum",
        erratum_steps=(1,),
        corrected_by=("bce-one-sample",),
        note=r"The batch formula carries $1/(2m)$, which at $m = 1$ is $1/2$, but the one-sample loss has no $1/2$. "
        r"With the usual $1/m$ both agree (bce-one-sample).",
    ),
    Derivation(
        name="bce-one-sample",
        title=r"With $1/m$ the multi-target loss at $m = 1$ is the one-sample loss (n outputs)",
        source=("C14",),
        section=SECTION,
        start=ONE_SAMPLE_MEAN,
        steps=(eq(ONE_SAMPLE, "one sample"),),
        domain=LABELS,
    ),
    Derivation(
        name="ce-base2-gradient-w-as-written",
        title=r"The article's $\partial L/\partial w$ for cross entropy in base 2 (n outputs; an erratum)",
        source=("C15",),
        section=SECTION,
        start=sympy.Derivative(MULTI_BASE2, w),
        steps=(
            eq(BASE2_GRAD_W_AS_WRITTEN, Differentiation()),
            eq(BASE2_SUM_W_AS_WRITTEN, "simplify"),
        ),
        domain=LABELS,
        expect="erratum",
        erratum_steps=(1, 2),
        corrected_by=("ce-base2-gradient-w",),
        note=r"$\frac{d}{da} \log_2 a = 1/(a \ln 2)$, so each $\ln 2$ should be $1/\ln 2$ (step 1), and the sum "
        r"simplifies to "
        r"$+\ln 2 \sum_j (a_j - y_j) x_j$, not $-\ln 2 \ldots$ (step 2). See ce-base2-gradient-w.",
    ),
    Derivation(
        name="ce-base2-gradient-w",
        title=r"$\partial L/\partial w$ for cross entropy in base 2, corrected: "
        r"$\frac{1}{\ln 2} \sum_j (a_j - y_j) x_j$ (n outputs)",
        source=("C15", "C17"),
        section=SECTION,
        start=sympy.Derivative(MULTI_BASE2, w),
        steps=(
            eq(BASE2_GRAD_W, Differentiation()),
            eq(BASE2_SUM_W, r"$\sigma' = \sigma (1 - \sigma)$"),
        ),
        domain=LABELS,
    ),
    Derivation(
        name="ce-base2-gradient-b-as-written",
        title=r"The article's $\partial L/\partial b$ for cross entropy in base 2 (n outputs; an erratum)",
        source=("C16",),
        section=SECTION,
        start=sympy.Derivative(MULTI_BASE2, b),
        steps=(
            eq(BASE2_GRAD_B_AS_WRITTEN, Differentiation()),
            eq(BASE2_SUM_B_AS_WRITTEN, "simplify"),
        ),
        domain=LABELS,
        expect="erratum",
        erratum_steps=(1, 2),
        corrected_by=("ce-base2-gradient-b",),
        note=r"The second term's derivative is $-\sigma'/(1 - \sigma)$ (a minus sign the article drops) and the "
        r"factor is $1/\ln 2$; the correct result is $\frac{1}{\ln 2} \sum_j (a_j - y_j)$. See ce-base2-gradient-b.",
    ),
    Derivation(
        name="ce-base2-gradient-b",
        title=r"$\partial L/\partial b$ for cross entropy in base 2, corrected: "
        r"$\frac{1}{\ln 2} \sum_j (a_j - y_j)$ (n outputs)",
        source=("C16", "C17"),
        section=SECTION,
        start=sympy.Derivative(MULTI_BASE2, b),
        steps=(
            eq(BASE2_GRAD_B, Differentiation()),
            eq(BASE2_SUM_B, r"$\sigma' = \sigma (1 - \sigma)$"),
        ),
        domain=LABELS,
    ),
    Derivation(
        name="ce-gradient-natural-log",
        title=r"In natural log the cross-entropy gradient is $\sum_j (a_j - y_j) x_j$: no $\sigma'$ factor (n outputs)",
        source=("C17",),
        section=SECTION,
        start=sympy.Derivative(MULTI, w),
        steps=(eq(NATURAL_GRAD_W, Differentiation()),),
        domain=LABELS,
    ),
    Derivation(
        name="ce-gradient-natural-log-b",
        title=r"In natural log $\partial L/\partial b = \sum_j (a_j - y_j)$: no $\sigma'$ factor (n outputs)",
        source=("C16", "C17"),
        section=SECTION,
        start=sympy.Derivative(MULTI, b),
        steps=(eq(NATURAL_GRAD_B, Differentiation()),),
        domain=LABELS,
    ),
    Derivation(
        name="mse-to-ce-gradient-ratio",
        title=r"The MSE gradient is the cross-entropy gradient times $\sigma'(z) \le 1/4$ (one output, natural log)",
        source=("C12", "C17"),
        section=SECTION,
        start=GRADIENT_RATIO,
        steps=(eq(RATIO, Differentiation()), le(sympy.Rational(1, 4), r"$\sigma'(z) \le 1/4$")),
        domain=ONE,
    ),
    Derivation(
        name="softmax-ce-log-sum-exp",
        title=r"Softmax cross entropy over n classes is $-\sum_j y_j z_j + \log \sum_l e^{z_l}$ (y a "
        r"probability vector)",
        source=("C14", "C17"),
        section=SECTION,
        start=SOFTMAX_CE,
        steps=(eq(SOFTMAX_CE_LSE, r"$\log \mathrm{softmax}(z)_j = z_j - \log \sum_l e^{z_l}$; $\sum_j y_j = 1$"),),
        domain=on_simplex(Domain(), "y"),
        note=r"The labels y form a probability vector (one-hot in the limit); the step needs $\sum_j y_j = 1$.",
    ),
    Derivation(
        name="softmax-ce-gradient",
        title=r"Softmax cross entropy: $\partial L/\partial z_k = \mathrm{softmax}(z)_k - y_k$ (n classes)",
        source=("C14", "C17"),
        section=SECTION,
        start=sympy.Derivative(SOFTMAX_CE_LSE, Z[k]),
        steps=(eq(SOFTMAX_GRADIENT, Differentiation()),),
        domain=entry_index(on_simplex(Domain(), "y")),
        note=r"Differentiates the form of softmax-ce-log-sum-exp: no $\sigma'$-like factor is left.",
    ),
]

for _derivation in DERIVATIONS:
    register(_derivation)
