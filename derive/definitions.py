r"""Named definitions: a name that prints folded (``\bar{x}``, ``S``) and is expanded
for checking, as ``H(p)`` and ``D_{KL}`` are.

>>> import sympy
>>> from derive.latex import latex
>>> i, n = sympy.symbols("i n")
>>> x = sympy.IndexedBase("x")
>>> xbar = define("xbar", sympy.Sum(x[i], (i, 1, n)) / n)
>>> spread = sympy.Sum((x[i] - xbar) ** 2, (i, 1, n))
>>> latex(spread)
'\\sum_{i=1}^{n} \\left(x_{i} - \\bar{x}\\right)^{2}'
>>> expand_definitions(xbar)
Sum(x[i], (i, 1, n))/n

A definition that refers to itself, or whose name is a variable of its own body, is an
input error:

>>> define("x", x[1] + 1)
Traceback (most recent call last):
...
derive.errors.InputError: definition x refers to itself (x occurs in x[1] + 1)
"""

from __future__ import annotations

import functools
from collections.abc import Iterable

import sympy
from sympy.core.symbol import Str

from derive.errors import InputError


class Defined(sympy.Expr):
    """A name standing for ``body``: ``Defined("xbar", Sum(x[i], (i, 1, n))/n)``.

    Its free symbols are the body's; SymPy keeps it as one atom-like node, so a
    printer shows the name and the checker sees the body (``expand_definitions``)."""

    is_commutative = True

    def __new__(cls, name: str | Str, body: sympy.Expr) -> Defined:
        name = name if isinstance(name, Str) else Str(name)
        return sympy.Expr.__new__(cls, name, body)  # type: ignore[no-any-return]

    @property
    def name(self) -> str:
        return str(self.args[0].name)  # type: ignore[attr-defined]

    @property
    def body(self) -> sympy.Expr:
        return self.args[1]  # type: ignore[return-value]

    def _eval_derivative(self, symbol: sympy.Symbol) -> sympy.Expr:
        return sympy.diff(self.body, symbol)

    def _eval_is_real(self) -> bool | None:
        return self.body.is_real  # type: ignore[no-any-return]

    def _sympystr(self, printer: object) -> str:
        return self.name


def _names(expr: sympy.Basic) -> set[str]:
    names = {s.name for s in expr.free_symbols if isinstance(s, sympy.Symbol)}
    return names | {str(b.label) for b in expr.atoms(sympy.IndexedBase)}


def define(name: str, body: sympy.Expr) -> Defined:
    """The definition ``name = body``; InputError when ``body`` refers to ``name``."""
    from derive.latex import symbol_latex

    symbol_latex(name)  # the name must be printable (and cannot inject LaTeX)
    if name in _names(expand_definitions(body)) or any(d.name == name for d in body.atoms(Defined)):
        raise InputError(f"definition {name} refers to itself ({name} occurs in {body})")
    return Defined(name, body)


def expand_definitions(expr: sympy.Expr) -> sympy.Expr:
    """``expr`` with every definition replaced by its body (definitions inside bodies too);
    a body's summation indices are renamed apart from the names around it, so that
    ``Sum(x[i] - xbar, (i, 1, n))`` does not capture the ``i`` of ``xbar``'s own sum.

    >>> i, n = sympy.symbols("i n")
    >>> x = sympy.IndexedBase("x")
    >>> expand_definitions(sympy.Sum(x[i] - define("xbar", sympy.Sum(x[i], (i, 1, n)) / n), (i, 1, n)))
    Sum(x[i] - Sum(x[j], (j, 1, n))/n, (i, 1, n))
    """
    while expr.has(Defined):
        outside = expr.xreplace({d: sympy.Integer(0) for d in expr.atoms(Defined)})
        taken = {s.name for s in outside.atoms(sympy.Symbol)}
        expr = expr.replace(lambda e: isinstance(e, Defined), functools.partial(_apart, taken=taken))
    return expr


_FRESH = ("j", "l", "r", "s", "t", "u", "v", *(f"i{k}" for k in range(1, 99)))


def _apart(definition: Defined, taken: set[str]) -> sympy.Expr:
    body = definition.body
    fresh = (n for n in _FRESH if n not in taken)
    renames = {}
    for node in body.atoms(sympy.Sum, sympy.Product):
        for limit in node.limits:
            if limit[0].name in taken and limit[0] not in renames:
                renames[limit[0]] = sympy.Symbol(next(fresh))
    return body.xreplace(renames) if renames else body


def used_definitions(exprs: Iterable[sympy.Expr]) -> list[Defined]:
    """The definitions ``exprs`` use, each once, those a body uses before it."""
    found: dict[str, Defined] = {}
    pending = [d for e in exprs for d in sorted(e.atoms(Defined), key=str)]
    while pending:
        definition = pending.pop()
        if definition.name not in found:
            found[definition.name] = definition
            pending += sorted(definition.body.atoms(Defined), key=str)
    return list(reversed(found.values()))


def check_definitions(exprs: Iterable[sympy.Expr], where: str) -> None:
    """InputError when a definition of ``exprs`` redefines a variable they use, or one
    name has two bodies."""
    exprs = list(exprs)
    bodies: dict[str, sympy.Expr] = {}
    for expr in exprs:
        for d in expr.atoms(Defined):
            if bodies.setdefault(d.name, d.body) != d.body:
                raise InputError(f"{where}: {d.name} is defined twice, as {bodies[d.name]} and as {d.body}")
    used = set().union(*(_names(e) for e in exprs)) if exprs else set()
    clash = sorted(set(bodies) & used)
    if clash:
        raise InputError(f"{where}: definition {clash[0]} redefines a variable already in use")
