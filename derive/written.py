r"""Steps as written: an expression kept in the form its author wrote, and the same
expression evaluated, which is what derive checks.

SymPy evaluates as it builds: ``q * p / q`` is ``p`` before derive sees it. Inside
``with written():`` nothing is evaluated, so a step prints as the author wrote it;
``evaluated`` gives what is checked, the same expression with SymPy's evaluation done.

>>> import sympy
>>> p, q = sympy.symbols("p q", positive=True)
>>> with written():
...     step = q * p / q
>>> from derive.latex import latex
>>> latex(step), evaluated(step)
('\\frac{q p}{q}', p)
>>> is_written(step), is_written(p)
(True, False)

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


def evaluated(expr: sympy.Basic) -> sympy.Basic:
    """``expr`` with SymPy's evaluation done on every node (an ``UnevaluatedExpr`` is
    replaced by what it holds); an expression built with evaluation on comes back equal.
    Derivatives, sums, integrals and limits stay unevaluated, as SymPy builds them.

    >>> x = sympy.Symbol("x")
    >>> with written():
    ...     e = -sympy.log(1) + x + x
    >>> e, evaluated(e)
    (x + x - log(1), 2*x)
    """
    if not isinstance(expr, sympy.Basic) or not expr.args:
        return expr
    if isinstance(expr, sympy.UnevaluatedExpr):
        return evaluated(expr.args[0])
    args = [evaluated(a) for a in expr.args]
    with sympy.evaluate(True):
        return expr.func(*args)


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
    """
    if not isinstance(expr, sympy.Basic) or not expr.args:
        return expr
    args = [tidy(a) for a in expr.args]
    if isinstance(expr, sympy.Mul) and sympy.S.One in args and len(args) > 1:
        args.remove(sympy.S.One)
        if len(args) == 1:
            return args[0]
    if all(a is b for a, b in zip(args, expr.args, strict=True)):
        return expr
    if isinstance(expr, ExprWithLimits):  # its constructor would multiply the body by 1 again
        obj = sympy.Basic.__new__(type(expr), *args)
        obj.is_commutative = args[0].is_commutative
        return obj
    with sympy.evaluate(False):
        return expr.func(*args)
