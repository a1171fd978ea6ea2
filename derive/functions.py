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
    if not expr.has(sigmoid):  # replace would rebuild nothing, after visiting every node
        return expr
    return expr.replace(lambda e: isinstance(e, sigmoid), lambda e: 1 / (1 + sympy.exp(-e.args[0])))


class Vector(sympy.Basic):
    """A family of symbolic length as one argument: ``Vector(p, n)`` is
    ``(p[1], ..., p[n])``, printed as ``p``.

    >>> v = Vector(sympy.Symbol("p"), sympy.Symbol("n"))
    >>> v.entry(sympy.Symbol("i")), v.length
    (p[i], n)
    """

    def __new__(cls, base: sympy.Basic, length: sympy.Basic) -> Vector:
        if isinstance(base, sympy.Symbol):
            base = sympy.IndexedBase(base)
        if not isinstance(base, sympy.IndexedBase):
            raise TypeError("a Vector's base is a name or an IndexedBase")
        if isinstance(length, int) and not isinstance(length, bool):
            length = sympy.Integer(length)
        if not isinstance(length, sympy.Expr):  # text would go through sympify, which evaluates it
            raise TypeError(f"a Vector's length is an int or a SymPy symbol, not {type(length).__name__}")
        return sympy.Basic.__new__(cls, base, length)  # type: ignore[no-any-return]

    @property
    def base(self) -> sympy.IndexedBase:
        return self.args[0]  # type: ignore[return-value]

    @property
    def length(self) -> sympy.Expr:
        return self.args[1]  # type: ignore[return-value]

    def entry(self, index: sympy.Expr) -> sympy.Expr:
        return self.base[index]  # type: ignore[no-any-return]

    def _sympystr(self, printer: object) -> str:
        return str(self.base.label)


def _free_index(*args: sympy.Basic) -> sympy.Symbol:
    taken = {str(s) for a in args for s in a.free_symbols}
    return next(sympy.Symbol(n) for n in ("i", "j", "l", "r", "s") if n not in taken)


class _Information(sympy.Function):
    """An information quantity of probability vectors, kept by name for printing
    (``H(p)``, ``H(p, q)``, ``D_{KL}(p \\| q)``) and expanded to its sum by the checker.
    The vectors are tuples of entries (a fixed size) or ``Vector``s of a symbolic
    length (then the sum is a ``Sum``)."""

    @classmethod
    def eval(cls, *vectors: sympy.Basic) -> None:
        if all(isinstance(v, Vector) for v in vectors):
            if any(v.length != vectors[0].length for v in vectors):
                raise TypeError(f"{cls.__name__} takes vectors of one length")
            return None
        if not all(isinstance(v, sympy.Tuple) and len(v) == len(vectors[0]) > 0 for v in vectors):
            raise TypeError(f"{cls.__name__} takes probability vectors of one length, as tuples or Vectors")
        return None

    def expanded(self) -> sympy.Expr:
        if isinstance(self.args[0], Vector):
            i = _free_index(*self.args)
            term = self.term(*(v.entry(i) for v in self.args))
            return sympy.Sum(term, (i, 1, self.args[0].length))
        return sympy.Add(*(self.term(*entries) for entries in zip(*self.args, strict=True)))

    def term(self, *entries: sympy.Expr) -> sympy.Expr:
        raise NotImplementedError


class Entropy(_Information):
    """``H(p) = -sum p_i log p_i``."""

    nargs = 1

    def term(self, *entries: sympy.Expr) -> sympy.Expr:
        (pi,) = entries
        return -pi * sympy.log(pi)


class CrossEntropy(_Information):
    """``H(p, q) = -sum p_i log q_i``."""

    nargs = 2

    def term(self, *entries: sympy.Expr) -> sympy.Expr:
        pi, qi = entries
        return -pi * sympy.log(qi)


class KL(_Information):
    """``D_KL(p || q) = sum p_i log(p_i / q_i)``."""

    nargs = 2

    def term(self, *entries: sympy.Expr) -> sympy.Expr:
        pi, qi = entries
        return pi * sympy.log(pi / qi)


class Expectation(sympy.Function):
    """``E_p[f] = sum p_i f_i``: the expectation under ``p`` of the values ``f``, a
    tuple of values (fixed size) or, for a ``Vector`` p, a ``Lambda`` of the index."""

    nargs = 2

    @classmethod
    def eval(cls, p: sympy.Basic, values: sympy.Basic) -> None:
        if isinstance(p, Vector) and isinstance(values, sympy.Lambda) and len(values.variables) == 1:
            return None
        if isinstance(p, sympy.Tuple) and isinstance(values, sympy.Tuple) and len(p) == len(values) > 0:
            return None
        raise TypeError("Expectation takes (tuple, tuple of values) or (Vector, Lambda of the index)")

    def expanded(self) -> sympy.Expr:
        p, values = self.args
        if isinstance(p, Vector):
            i = _free_index(*self.args)
            return sympy.Sum(p.entry(i) * values(i), (i, 1, p.length))
        return sympy.Add(*(pi * fi for pi, fi in zip(p, values, strict=True)))


def expand_information(expr: sympy.Expr) -> sympy.Expr:
    """``expr`` with ``H``, ``H(p, q)`` and ``D_KL`` written as their sums.

    >>> p1, p2, q1, q2 = sympy.symbols("p1 p2 q1 q2")
    >>> expand_information(KL(sympy.Tuple(p1, p2), sympy.Tuple(q1, q2)))
    p1*log(p1/q1) + p2*log(p2/q2)
    """
    if not expr.has(_Information, Expectation):
        return expr
    return expr.replace(lambda e: isinstance(e, (_Information, Expectation)), lambda e: e.expanded())
