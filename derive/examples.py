"""Small example derivations, so that ``derive check`` has something to check.

>>> [d.name for d in EXAMPLES]
['log-of-product', 'exp-tangent-line', 'sigmoid-derivative', 'log2-derivative-erratum', 'log2-derivative']
"""

from __future__ import annotations

import sympy

from derive.claim import Domain, positive
from derive.derivation import Derivation, eq, ge
from derive.functions import sigmoid
from derive.registry import register
from derive.rules import Differentiation

x, y, z = sympy.symbols("x y z")

EXAMPLES = [
    Derivation(
        name="log-of-product",
        title="The log of a product is the sum of the logs",
        start=sympy.log(x * y),
        steps=(eq(sympy.log(x) + sympy.log(y), "log rule, both arguments positive"),),
        domain=Domain.of(x=positive(), y=positive()),
    ),
    Derivation(
        name="exp-tangent-line",
        title=r"$e^x$ lies above its tangent line at 0",
        start=sympy.exp(x),
        steps=(ge(1 + x, "convexity of exp"),),
    ),
    Derivation(
        name="sigmoid-derivative",
        title="The sigmoid's derivative in terms of itself",
        start=sympy.Derivative(sigmoid(z), z),
        steps=(
            eq(sympy.exp(-z) / (1 + sympy.exp(-z)) ** 2, Differentiation()),
            eq(sigmoid(z) * (1 - sigmoid(z)), "algebra"),
        ),
    ),
    Derivation(
        name="log2-derivative-erratum",
        title=r"The derivative of $\log_2 x$: $\ln 2$ written where $1/\ln 2$ belongs (an erratum)",
        start=sympy.Derivative(sympy.log(x, 2), x),
        steps=(eq(sympy.log(2) / x, Differentiation()),),
        domain=Domain.of(x=positive()),
        expect="erratum",
        erratum_steps=(1,),
        note=r"$\log_2 x = \ln x / \ln 2$, so its derivative is $1/(x \ln 2)$; see log2-derivative.",
    ),
    Derivation(
        name="log2-derivative",
        title=r"The derivative of $\log_2 x$, corrected",
        start=sympy.Derivative(sympy.log(x, 2), x),
        steps=(eq(1 / (x * sympy.log(2)), Differentiation()),),
        domain=Domain.of(x=positive()),
    ),
]

for _derivation in EXAMPLES:
    register(_derivation)
