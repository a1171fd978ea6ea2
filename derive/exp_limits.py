r"""Limits at infinity of rational functions of :math:`e^z`, read off without SymPy's
general limit algorithm (Gruntz), which takes 0.1-0.3 s on each of the article's
sigmoid limits.

With :math:`u = e^{-z}` (at :math:`+\infty`) or :math:`u = e^{z}` (at :math:`-\infty`),
:math:`u \to 0^+` and every :math:`e^{kz}` (:math:`k` an integer) is a power of
:math:`u`. When the whole expression becomes a rational function :math:`P(u)/Q(u)` in
lowest terms with :math:`Q(0) \ne 0`, it is continuous at 0 and the limit is
:math:`P(0)/Q(0)`. Anything else (another free symbol, :math:`z` outside an
exponential, a pole at 0) is left to SymPy: ``limit`` answers every limit.

>>> z = sympy.Symbol("z", real=True)
>>> sigmoid = 1 / (1 + sympy.exp(-z))
>>> limit(sympy.Limit(sigmoid * (1 - sigmoid), z, sympy.oo))
0
>>> limit(sympy.Limit(sympy.exp(2 * z) / (sympy.exp(2 * z) + 3), z, -sympy.oo))
0
>>> at_infinity(sympy.Limit(sympy.exp(z) / z, z, sympy.oo)) is None  # z outside an exponential
True
"""

from __future__ import annotations

import sympy


def limit(node: sympy.Limit, deep: bool = True) -> sympy.Expr:
    """``node`` evaluated: read off at infinity where ``at_infinity`` can, else by SymPy's
    ``doit`` (``deep``: what is inside evaluated first)."""
    value = at_infinity(node)
    return node.doit(deep=deep) if value is None else value


def at_infinity(node: sympy.Limit) -> sympy.Expr | None:
    """The limit of a rational function of exponentials of its variable at +-oo, or None."""
    expr, z, point = node.args[:3]
    if point not in (sympy.oo, -sympy.oo) or expr.free_symbols != {z}:
        return None
    u = sympy.Dummy("u", positive=True)
    sign = -1 if point == sympy.oo else 1  # u = exp(sign * z) tends to 0 from above
    rational = expr.replace(lambda e: isinstance(e, sympy.exp), lambda e: _power(e, z, u, sign))
    if rational.has(z) or not rational.is_rational_function(u):
        return None
    numerator, denominator = sympy.fraction(sympy.cancel(sympy.together(rational)))
    at_zero = denominator.subs(u, 0)
    if not at_zero.is_number or at_zero.is_zero is not False:
        return None
    return numerator.subs(u, 0) / at_zero  # type: ignore[no-any-return]


def _power(e: sympy.exp, z: sympy.Symbol, u: sympy.Dummy, sign: int) -> sympy.Expr:
    """``exp(k z)`` as ``u**(sign k)`` for an integer ``k``; anything else unchanged."""
    k = sympy.expand(e.args[0]) / z
    return u ** (sign * k) if k.is_Integer else e
