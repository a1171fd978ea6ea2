"""Section 4 of the article: MSE and cross entropy through a sigmoid, their
gradients, and vanishing gradients (C10-C17).

>>> sorted(d.name for d in DERIVATIONS if d.expect == "erratum")
['bce-one-sample-as-written', 'ce-base2-gradient-b-as-written', 'ce-base2-gradient-w-as-written']
"""

from __future__ import annotations

import sympy

from derive.claim import Domain, Simplex, interval, reals
from derive.derivation import Derivation, eq, le
from derive.functions import expand_functions, sigmoid
from derive.registry import register, register_section
from derive.rules import Differentiation

SECTION = "gradients"
register_section(SECTION, "MSE and cross entropy through a sigmoid: gradients", rank=4)
w, b, x, y, z = sympy.symbols("w b x y z")
M = 3  # mini-batch size
N = 2  # outputs of the multi-target classifier
XS = sympy.symbols(f"x1:{M + 1}")
YS = sympy.symbols(f"y1:{M + 1}")
LN2 = sympy.log(2)
label = interval(0, 1, False, False)


def a(xi: sympy.Expr) -> sympy.Expr:
    """The sigmoid unit's output for input ``xi``."""
    return sigmoid(w * xi + b)


def dsigma(xi: sympy.Expr) -> sympy.Expr:
    """sigma'(z) written through sigma: sigma(z) (1 - sigma(z))."""
    return a(xi) * (1 - a(xi))


def bce(ai: sympy.Expr, yi: sympy.Expr, base: sympy.Expr | None = None) -> sympy.Expr:
    """``-(y log a + (1 - y) log(1 - a))``, natural log or ``base``."""
    logs = (sympy.log(ai), sympy.log(1 - ai)) if base is None else (sympy.log(ai, base), sympy.log(1 - ai, base))
    return -(yi * logs[0] + (1 - yi) * logs[1])


ONE = Domain.of(y=label)
BATCH = Domain.of(**{str(s): label for s in YS})
MULTI = Domain.of(**{str(s): label for s in YS[:N]})

MSE_ONE = (a(x) - y) ** 2 / 2
MSE_BATCH = sum((a(xi) - yi) ** 2 for xi, yi in zip(XS, YS, strict=True)) / (2 * M)
BCE_BATCH_ARTICLE = sum(bce(a(xi), yi) for xi, yi in zip(XS, YS, strict=True)) / (2 * M)
MULTI_BASE2 = sum(bce(a(xi), yi, 2) for xi, yi in zip(XS[:N], YS[:N], strict=True))
PAIRS = tuple(zip(XS[:N], YS[:N], strict=True))

DERIVATIONS = [
    Derivation(
        name="mse-one-sample",
        title="The mini-batch MSE with m = 1 is the one-sample loss (sigma(wx + b) - y)^2 / 2",
        source=("C10",),
        section=SECTION,
        start=sympy.Sum((a(x) - y) ** 2, (sympy.Symbol("i"), 1, 1)) / (2 * 1),
        steps=(eq(MSE_ONE, "one term"),),
        domain=ONE,
    ),
    Derivation(
        name="mse-gradient-w",
        title="dL/dw = (a - y) sigma'(z) x for the one-sample MSE",
        source=("C11",),
        section=SECTION,
        start=sympy.Derivative(MSE_ONE, w),
        steps=(eq((a(x) - y) * dsigma(x) * x, Differentiation()),),
        domain=ONE,
    ),
    Derivation(
        name="mse-gradient-b",
        title="dL/db = (a - y) sigma'(z) for the one-sample MSE",
        source=("C11",),
        section=SECTION,
        start=sympy.Derivative(MSE_ONE, b),
        steps=(eq((a(x) - y) * dsigma(x), Differentiation()),),
        domain=ONE,
    ),
    Derivation(
        name="mse-batch-gradient-w",
        title=f"The mini-batch MSE with the article's 1/(2m), m = {M}: dL/dw = (1/m) sum (a_i - y_i) sigma'(z_i) x_i",
        source=("C10", "C11"),
        section=SECTION,
        start=sympy.Derivative(MSE_BATCH, w),
        steps=(eq(sum((a(xi) - yi) * dsigma(xi) * xi for xi, yi in zip(XS, YS, strict=True)) / M, Differentiation()),),
        domain=BATCH,
    ),
    Derivation(
        name="mse-batch-gradient-b",
        title=f"The mini-batch MSE, m = {M}: dL/db = (1/m) sum (a_i - y_i) sigma'(z_i)",
        source=("C10", "C11"),
        section=SECTION,
        start=sympy.Derivative(MSE_BATCH, b),
        steps=(eq(sum((a(xi) - yi) * dsigma(xi) for xi, yi in zip(XS, YS, strict=True)) / M, Differentiation()),),
        domain=BATCH,
    ),
    Derivation(
        name="sigmoid-derivative-bounded",
        title="sigma'(z) = sigma(z)(1 - sigma(z)) is at most 1/4, reached at z = 0",
        source=("C12",),
        section=SECTION,
        start=sympy.Derivative(sigmoid(z), z),
        steps=(eq(sigmoid(z) * (1 - sigmoid(z)), Differentiation()), le(sympy.Rational(1, 4), "(sigma - 1/2)^2 >= 0")),
    ),
    Derivation(
        name="sigmoid-derivative-at-zero",
        title="sigma'(0) = 1/4",
        source=("C12",),
        section=SECTION,
        start=sympy.Rational(1, 2) * (1 - sympy.Rational(1, 2)),
        steps=(eq(sympy.Rational(1, 4), "sigma(0) = 1/2"),),
    ),
    *(
        Derivation(
            name=f"sigmoid-derivative-limit-{side}",
            title=f"sigma'(z) -> 0 as z -> {'+' if sign > 0 else '-'}oo: the MSE gradient vanishes for large |z|",
            source=("C12",),
            section=SECTION,
            start=sympy.Limit(expand_functions(sigmoid(z) * (1 - sigmoid(z))), z, sign * sympy.oo),
            steps=(eq(0, "limit"),),
        )
        for side, sign in (("plus", 1), ("minus", -1))
    ),
    Derivation(
        name="mse-gradient-vanishes",
        title="For a wrong prediction (y = 0, z -> +oo) the MSE gradient dL/dz tends to 0",
        source=("C12",),
        section=SECTION,
        start=sympy.Limit(expand_functions((sigmoid(z) - 0) * sigmoid(z) * (1 - sigmoid(z))), z, sympy.oo),
        steps=(eq(0, "limit"),),
    ),
    Derivation(
        name="ce-gradient-persists",
        title="For the same wrong prediction the cross-entropy gradient dL/dz tends to 1",
        source=("C17",),
        section=SECTION,
        start=sympy.Limit(sympy.diff(expand_functions(-sympy.log(1 - sigmoid(z))), z), z, sympy.oo),
        steps=(eq(1, "limit"),),
    ),
    Derivation(
        name="bce-batch-gradient-w",
        title=f"Binary cross entropy with the article's 1/(2m), m = {M}: dL/dw = (1/(2m)) sum (a_i - y_i) x_i",
        source=("C13",),
        section=SECTION,
        start=sympy.Derivative(BCE_BATCH_ARTICLE, w),
        steps=(eq(sum((a(xi) - yi) * xi for xi, yi in zip(XS, YS, strict=True)) / (2 * M), Differentiation()),),
        domain=BATCH,
    ),
    Derivation(
        name="bce-batch-gradient-b",
        title=f"Binary cross entropy with the article's 1/(2m), m = {M}: dL/db = (1/(2m)) sum (a_i - y_i)",
        source=("C13",),
        section=SECTION,
        start=sympy.Derivative(BCE_BATCH_ARTICLE, b),
        steps=(eq(sum(a(xi) - yi for xi, yi in zip(XS, YS, strict=True)) / (2 * M), Differentiation()),),
        domain=BATCH,
    ),
    Derivation(
        name="bce-one-sample-as-written",
        title="The article's multi-target loss with m = 1 against its one-sample loss (an erratum)",
        source=("C14",),
        section=SECTION,
        start=sum(bce(a(xi), yi) for xi, yi in PAIRS) / (2 * 1),
        steps=(eq(sum(bce(a(xi), yi) for xi, yi in PAIRS), "one sample"),),
        domain=MULTI,
        expect="erratum",
        erratum_steps=(1,),
        corrected_by=("bce-one-sample",),
        note="The batch formula carries 1/(2m), which at m = 1 is 1/2, but the one-sample loss has no 1/2. "
        "With the usual 1/m both agree (bce-one-sample).",
    ),
    Derivation(
        name="bce-one-sample",
        title="With 1/m the multi-target loss at m = 1 is the one-sample loss",
        source=("C14",),
        section=SECTION,
        start=sum(bce(a(xi), yi) for xi, yi in PAIRS) / 1,
        steps=(eq(sum(bce(a(xi), yi) for xi, yi in PAIRS), "one sample"),),
        domain=MULTI,
    ),
    Derivation(
        name="ce-base2-gradient-w-as-written",
        title=f"The article's dL/dw for cross entropy in base 2 ({N} outputs; an erratum)",
        source=("C15",),
        section=SECTION,
        start=sympy.Derivative(MULTI_BASE2, w),
        steps=(
            eq(
                -sum(
                    yi * dsigma(xi) / a(xi) * xi * LN2 + (1 - yi) * dsigma(xi) / (1 - a(xi)) * (-xi) * LN2
                    for xi, yi in PAIRS
                ),
                Differentiation(),
            ),
            eq(-LN2 * sum((a(xi) - yi) * xi for xi, yi in PAIRS), "simplify"),
        ),
        domain=MULTI,
        expect="erratum",
        erratum_steps=(1, 2),
        corrected_by=("ce-base2-gradient-w",),
        note="d/da log2(a) = 1/(a ln 2), so each ln 2 should be 1/ln 2 (step 1), and the sum simplifies to "
        "+ln 2 sum (a_j - y_j) x_j, not -ln 2 ... (step 2). See ce-base2-gradient-w.",
    ),
    Derivation(
        name="ce-base2-gradient-w",
        title=f"dL/dw for cross entropy in base 2, corrected: (1/ln 2) sum (a_j - y_j) x_j ({N} outputs)",
        source=("C15", "C17"),
        section=SECTION,
        start=sympy.Derivative(MULTI_BASE2, w),
        steps=(
            eq(
                -sum(
                    yi * dsigma(xi) / a(xi) * xi / LN2 + (1 - yi) * dsigma(xi) / (1 - a(xi)) * (-xi) / LN2
                    for xi, yi in PAIRS
                ),
                Differentiation(),
            ),
            eq(sum((a(xi) - yi) * xi for xi, yi in PAIRS) / LN2, "sigma' = sigma (1 - sigma)"),
        ),
        domain=MULTI,
    ),
    Derivation(
        name="ce-base2-gradient-b-as-written",
        title=f"The article's dL/db for cross entropy in base 2 ({N} outputs; an erratum)",
        source=("C16",),
        section=SECTION,
        start=sympy.Derivative(MULTI_BASE2, b),
        steps=(
            eq(
                -sum(yi * dsigma(xi) / a(xi) * LN2 + (1 - yi) * dsigma(xi) / (1 - a(xi)) * LN2 for xi, yi in PAIRS),
                Differentiation(),
            ),
            eq(-LN2 * sum(a(xi) - yi for xi, yi in PAIRS), "simplify"),
        ),
        domain=MULTI,
        expect="erratum",
        erratum_steps=(1, 2),
        corrected_by=("ce-base2-gradient-b",),
        note="The second term's derivative is -sigma'/(1 - sigma) (a minus sign the article drops) and the "
        "factor is 1/ln 2; the correct result is (1/ln 2) sum (a_j - y_j). See ce-base2-gradient-b.",
    ),
    Derivation(
        name="ce-base2-gradient-b",
        title=f"dL/db for cross entropy in base 2, corrected: (1/ln 2) sum (a_j - y_j) ({N} outputs)",
        source=("C16", "C17"),
        section=SECTION,
        start=sympy.Derivative(MULTI_BASE2, b),
        steps=(
            eq(
                -sum(yi * dsigma(xi) / a(xi) / LN2 - (1 - yi) * dsigma(xi) / (1 - a(xi)) / LN2 for xi, yi in PAIRS),
                Differentiation(),
            ),
            eq(sum(a(xi) - yi for xi, yi in PAIRS) / LN2, "sigma' = sigma (1 - sigma)"),
        ),
        domain=MULTI,
    ),
    Derivation(
        name="ce-gradient-natural-log",
        title="In natural log the cross-entropy gradient is sum (a_j - y_j) x_j: no sigma' factor",
        source=("C17",),
        section=SECTION,
        start=sympy.Derivative(sum(bce(a(xi), yi) for xi, yi in PAIRS), w),
        steps=(eq(sum((a(xi) - yi) * xi for xi, yi in PAIRS), Differentiation()),),
        domain=MULTI,
    ),
    Derivation(
        name="ce-gradient-natural-log-b",
        title="In natural log dL/db = sum (a_j - y_j): no sigma' factor",
        source=("C16", "C17"),
        section=SECTION,
        start=sympy.Derivative(sum(bce(a(xi), yi) for xi, yi in PAIRS), b),
        steps=(eq(sum(a(xi) - yi for xi, yi in PAIRS), Differentiation()),),
        domain=MULTI,
    ),
    Derivation(
        name="mse-to-ce-gradient-ratio",
        title="The MSE gradient is the cross-entropy gradient times sigma'(z) <= 1/4 (one output, natural log)",
        source=("C12", "C17"),
        section=SECTION,
        start=sympy.Derivative(MSE_ONE, w) / sympy.Derivative(bce(a(x), y), w),
        steps=(eq(dsigma(x), Differentiation()), le(sympy.Rational(1, 4), "sigma'(z) <= 1/4")),
        domain=ONE,
    ),
    Derivation(
        name="softmax-ce-gradient",
        title="Softmax cross entropy: dL/dz_1 = softmax(z)_1 - y_1 (3 classes, y a probability vector)",
        source=("C14", "C17"),
        section=SECTION,
        start=sympy.Derivative(
            -sum(
                yk * sympy.log(sympy.exp(zk) / sum(sympy.exp(zj) for zj in sympy.symbols("z1:4")))
                for yk, zk in zip(sympy.symbols("t1:4"), sympy.symbols("z1:4"), strict=True)
            ),
            sympy.Symbol("z1"),
        ),
        steps=(
            eq(
                sympy.exp(sympy.Symbol("z1")) / sum(sympy.exp(zj) for zj in sympy.symbols("z1:4")) - sympy.Symbol("t1"),
                Differentiation(),
            ),
        ),
        domain=Domain.of(z1=reals()).bind(("t1", "t2", "t3"), Simplex(3)),
        note="The labels t form a probability vector (one-hot in the limit); the derivation needs sum t = 1.",
    ),
]

for _derivation in DERIVATIONS:
    register(_derivation)
