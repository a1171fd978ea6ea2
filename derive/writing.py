r"""Steps as written: an expression kept in the form its author wrote, and the same
expression evaluated, which is what derive checks.

SymPy evaluates as it builds: ``q * p / q`` is ``p`` before derive sees it. Inside
``with written():`` nothing is evaluated, so a step prints as the author wrote it;
``evaluated`` gives what is checked, the same expression with SymPy's evaluation done.

>>> import sympy
>>> from derive.latex import latex
>>> p, q = sympy.symbols("p q", positive=True)
>>> with written():
...     step = q * p / q
>>> latex(step), evaluated(step)
('\\frac{q p}{q}', p)
>>> is_written(step), is_written(p)
(True, False)

A derivation's start and steps built this way are kept as ``Written`` expressions,
printed in the author's order and form everywhere (``as_written`` marks one by hand,
e.g. a form SymPy happens to build the same way but prints differently):

>>> n = sympy.Symbol("n")
>>> latex(sympy.log(n) / n), latex(as_written(1 / n * sympy.log(n)))
('\\frac{\\log{\\left(n \\right)}}{n}', '\\frac{1}{n} \\log{\\left(n \\right)}')

``sympy.UnevaluatedExpr`` holds one part the same way, and is evaluated away for the check:

>>> evaluated(2 * sympy.UnevaluatedExpr(p + q))
2*p + 2*q
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

import sympy
from sympy.concrete.expr_with_limits import ExprWithLimits


@contextlib.contextmanager
def written() -> Iterator[None]:
    """Build expressions as written: SymPy's automatic evaluation is off inside the block
    (``sympy.evaluate(False)``). Build only the step's expression inside it: the check
    evaluates it (``evaluated``), the printers show it as built."""
    with sympy.evaluate(False):
        yield


class Written(sympy.Expr):
    """An expression held as its author wrote it: printers show ``args[0]`` in the order
    and form it was built; ``evaluated`` (what is checked) replaces it by its evaluation."""

    def __new__(cls, expr: sympy.Expr) -> Written:
        return sympy.Expr.__new__(cls, expr)  # type: ignore[no-any-return]

    @property
    def expr(self) -> sympy.Expr:
        return self.args[0]  # type: ignore[return-value]

    def doit(self, **hints: object) -> sympy.Basic:
        return evaluated(self).doit(**hints)

    def _eval_is_real(self) -> bool | None:
        return self.expr.is_real  # type: ignore[no-any-return]

    def _sympystr(self, printer: object) -> str:
        return printer._print(self.expr)  # type: ignore[attr-defined,no-any-return]

    def _pretty(self, printer: object) -> object:
        return printer._print(self.expr)  # type: ignore[attr-defined]


def as_written(expr: sympy.Expr) -> sympy.Expr:
    """``expr`` marked to be printed as built (its sums and products in the order of their
    arguments, a factor ``1/n`` in front); already marked, or a number or variable, as is."""
    if isinstance(expr, Written) or not isinstance(expr, sympy.Expr) or not expr.args:
        return expr
    tidied = tidy(expr)
    known = _EVALUATED.get(id(expr))
    if tidied is not expr and known is not None and known[0] is expr:  # tidy drops factors 1 only
        _remember(tidied, known[1])
    return Written(tidied)


def written_form(expr: sympy.Expr) -> sympy.Expr:
    """What a derivation keeps of a start or step: ``expr`` marked ``Written`` when it was
    built inside ``written()`` or holds an unevaluated part, else ``expr`` itself."""
    if not sympy.core.parameters.global_parameters.evaluate or is_written(expr):
        return as_written(expr)
    return expr


def evaluated(expr: sympy.Basic) -> sympy.Basic:
    """``expr`` with SymPy's evaluation done on every node (an ``UnevaluatedExpr`` is
    replaced by what it holds); an expression built with evaluation on comes back equal.
    Derivatives, sums, integrals and limits stay unevaluated, as SymPy builds them.

    >>> x = sympy.Symbol("x")
    >>> with written():
    ...     e = x + x - sympy.log(1)
    >>> e.args, evaluated(e)
    ((x + x, -log(1)), 2*x)
    """
    if not isinstance(expr, sympy.Basic) or not expr.args:
        return expr
    known = _EVALUATED.get(id(expr))
    if known is not None and known[0] is expr:
        return known[1]
    if isinstance(expr, (sympy.UnevaluatedExpr, Written)):
        value = evaluated(expr.args[0])
    else:
        args = [evaluated(a) for a in expr.args]
        with sympy.evaluate(True):
            value = expr.func(*args)
    _remember(expr, value)
    return value


def _remember(expr: sympy.Basic, value: sympy.Basic) -> None:
    if len(_EVALUATED) >= 4096:
        _EVALUATED.clear()
    _EVALUATED[id(expr)] = (expr, value)


_EVALUATED: dict[int, tuple[sympy.Basic, sympy.Basic]] = {}
"""Evaluations remembered by the identity of the node (kept alive with it). An
``lru_cache``, keyed by SymPy's equality, made what a document read back depend on
what the process had evaluated before (tests/test_roundtrip.py failed after
tests/test_latex_reader.py in one process, and passed alone)."""


def is_written(expr: sympy.Basic) -> bool:
    """Whether some part of ``expr`` is held as written (evaluating it changes it)."""
    return isinstance(expr, sympy.Basic) and evaluated(expr) != expr


def canonical(node: sympy.Basic) -> bool:
    """Whether SymPy would build ``node`` from its arguments as it stands (its own
    arguments left as they are): false for a sum or product held as written.

    >>> a, b = sympy.symbols("a b")
    >>> canonical(a + b), canonical(sympy.Add(b, a, evaluate=False))
    (True, False)
    """
    if not node.args:
        return True
    with sympy.evaluate(True):
        return bool(node.func(*node.args) == node)


def tidy(expr: sympy.Basic) -> sympy.Basic:
    """A written expression without the factors 1 SymPy inserts when it builds a sum or
    integral unevaluated (``Sum(1*f, ...)``); evaluated parts are left as they are.

    >>> x, n = sympy.symbols("x n")
    >>> with written():
    ...     s = sympy.Sum(x**2, (x, 1, n))
    >>> s.function.args, tidy(s).function
    ((1, x**2), x**2)
    >>> with written():
    ...     tidy(sympy.Mul(2, sympy.Integer(1))).args
    (2, 1)
    """
    if not isinstance(expr, sympy.Basic) or not expr.args:
        return expr
    args = [tidy(a) for a in expr.args]
    if isinstance(expr, ExprWithLimits) and _times_one(args[0]):
        args[0] = args[0].args[1]
    if all(a is b for a, b in zip(args, expr.args, strict=True)):
        return expr
    if isinstance(expr, ExprWithLimits):  # its constructor would multiply the body by 1 again
        obj = sympy.Basic.__new__(type(expr), *args)
        obj.is_commutative = args[0].is_commutative
        return obj
    with sympy.evaluate(False):
        return expr.func(*args)


def _times_one(expr: sympy.Basic) -> bool:
    """``1*f`` held unevaluated, as SymPy builds the body of a sum or integral without evaluation."""
    return isinstance(expr, sympy.Mul) and len(expr.args) == 2 and expr.args[0] is sympy.S.One
