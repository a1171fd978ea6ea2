"""Functions derive adds to SymPy: the logistic sigmoid.

>>> import sympy
>>> z = sympy.Symbol("z", real=True)
>>> sympy.diff(sigmoid(z), z)
(1 - sigmoid(z))*sigmoid(z)
>>> sigmoid(0), sigmoid(sympy.oo), expand_functions(sigmoid(z))
(1/2, 1, 1/(1 + exp(-z)))
"""

from __future__ import annotations

import sympy


class sigmoid(sympy.Function):  # noqa: N801 - named as written in formulas
    """The logistic function ``1 / (1 + exp(-z))``, printed as ``\\sigma(z)``."""

    nargs = 1

    @classmethod
    def eval(cls, z: sympy.Expr) -> sympy.Expr | None:
        if z.is_zero:
            return sympy.Rational(1, 2)
        if z is sympy.oo:
            return sympy.Integer(1)
        if z is -sympy.oo:
            return sympy.Integer(0)
        return None

    def fdiff(self, argindex: int = 1) -> sympy.Expr:
        s = sigmoid(self.args[0])
        return s * (1 - s)

    def _eval_rewrite_as_exp(self, z: sympy.Expr, **kwargs: object) -> sympy.Expr:
        return 1 / (1 + sympy.exp(-z))

    def _eval_is_real(self) -> bool | None:
        return self.args[0].is_real

    def _eval_is_positive(self) -> bool | None:
        return True if self.args[0].is_real else None


def expand_functions(expr: sympy.Expr) -> sympy.Expr:
    """``expr`` with derive's own functions written in SymPy's built-ins."""
    return expr.replace(lambda e: isinstance(e, sigmoid), lambda e: 1 / (1 + sympy.exp(-e.args[0])))
