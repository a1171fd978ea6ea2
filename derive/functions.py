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
    expr = expand_information(expr)
    return expr.replace(lambda e: isinstance(e, sigmoid), lambda e: 1 / (1 + sympy.exp(-e.args[0])))


class _Information(sympy.Function):
    """An information quantity of probability vectors, kept by name for printing
    (``H(p)``, ``H(p, q)``, ``D_{KL}(p \\| q)``) and expanded to its sum by the checker."""

    @classmethod
    def eval(cls, *vectors: sympy.Basic) -> None:
        if not all(isinstance(v, sympy.Tuple) and len(v) == len(vectors[0]) > 0 for v in vectors):
            raise TypeError(f"{cls.__name__} takes probability vectors of one length, as tuples")
        return None

    def expanded(self) -> sympy.Expr:
        raise NotImplementedError


class Entropy(_Information):
    """``H(p) = -sum p_i log p_i``."""

    nargs = 1

    def expanded(self) -> sympy.Expr:
        (p,) = self.args
        return -sympy.Add(*(pi * sympy.log(pi) for pi in p))


class CrossEntropy(_Information):
    """``H(p, q) = -sum p_i log q_i``."""

    nargs = 2

    def expanded(self) -> sympy.Expr:
        p, q = self.args
        return -sympy.Add(*(pi * sympy.log(qi) for pi, qi in zip(p, q, strict=True)))


class KL(_Information):
    """``D_KL(p || q) = sum p_i log(p_i / q_i)``."""

    nargs = 2

    def expanded(self) -> sympy.Expr:
        p, q = self.args
        return sympy.Add(*(pi * sympy.log(pi / qi) for pi, qi in zip(p, q, strict=True)))


class Expectation(_Information):
    """``E_p[f] = sum p_i f_i``: the expectation under ``p`` of the values ``f``."""

    nargs = 2

    def expanded(self) -> sympy.Expr:
        p, values = self.args
        return sympy.Add(*(pi * fi for pi, fi in zip(p, values, strict=True)))


def expand_information(expr: sympy.Expr) -> sympy.Expr:
    """``expr`` with ``H``, ``H(p, q)`` and ``D_KL`` written as their sums.

    >>> p1, p2, q1, q2 = sympy.symbols("p1 p2 q1 q2")
    >>> expand_information(KL(sympy.Tuple(p1, p2), sympy.Tuple(q1, q2)))
    p1*log(p1/q1) + p2*log(p2/q2)
    """
    return expr.replace(lambda e: isinstance(e, _Information), lambda e: e.expanded())
