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

A definition may take arguments (``of``) and indices (``index``), as a loss ``L(w, b)``
or ``\mathrm{softmax}(z)_k`` do; applying it gives the folded name with its arguments:

>>> w, b, k, j = sympy.symbols("w b k j")
>>> z, y = sympy.IndexedBase("z"), sympy.IndexedBase("y")
>>> L = define("L", sympy.Sum((w * x[i] + b - y[i]) ** 2, (i, 1, n)) / (2 * n), of=(w, b))
>>> latex(sympy.Derivative(L(w, b), w))
'\\frac{\\partial}{\\partial w} L(w, b)'
>>> expand_definitions(L(0, b))
Sum((b - y[i])**2, (i, 1, n))/(2*n)
>>> softmax = define("softmax", sympy.exp(z[k]) / sympy.Sum(sympy.exp(z[j]), (j, 1, n)), of=z, index=k)
>>> latex(softmax(z)[i])
'\\mathrm{softmax}(z)_{i}'
>>> expand_definitions(softmax(z)[i])
exp(z[i])/Sum(exp(z[j]), (j, 1, n))
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, overload

import sympy
from sympy.core.parameters import global_parameters
from sympy.core.symbol import Str

from derive.errors import InputError


class Defined(sympy.Expr):
    """A name standing for ``body``: ``Defined("xbar", Sum(x[i], (i, 1, n))/n)``; a
    definition with arguments also holds them, its indices and the ``Definition``
    applied (``L(w, b)``: the body with ``w``, ``b`` put in).

    Its free symbols are the body's; SymPy keeps it as one atom-like node, so a
    printer shows the name and the checker sees the body (``expand_definitions``)."""

    is_commutative = True

    def __new__(cls, name: str | Str, body: sympy.Expr, *applied: sympy.Basic) -> Defined:
        name = name if isinstance(name, Str) else Str(name)
        return sympy.Expr.__new__(cls, name, body, *applied)  # type: ignore[no-any-return]

    @property
    def name(self) -> str:
        return str(self.args[0].name)  # type: ignore[attr-defined]

    @property
    def body(self) -> sympy.Expr:
        return self.args[1]  # type: ignore[return-value]

    @property
    def arguments(self) -> tuple[sympy.Basic, ...]:
        return tuple(self.args[2]) if len(self.args) > 2 else ()

    @property
    def indices(self) -> tuple[sympy.Basic, ...]:
        return tuple(self.args[3]) if len(self.args) > 2 else ()

    @property
    def definition(self) -> Definition | None:
        """The definition with parameters this applies, or None for a plain name."""
        return self.args[4].definition if len(self.args) > 2 else None  # type: ignore[attr-defined]

    def _eval_derivative(self, symbol: sympy.Symbol) -> sympy.Expr:
        from derive.writing import evaluated

        return sympy.diff(evaluated(self.body), symbol)

    def _eval_is_real(self) -> bool | None:
        return self.body.is_real  # type: ignore[no-any-return]

    def _sympystr(self, printer: Any) -> str:
        if self.definition is None:
            return self.name
        text = f"{self.name}({', '.join(printer._print(a) for a in self.arguments)})"
        return text + (f"[{', '.join(printer._print(i) for i in self.indices)}]" if self.indices else "")


class _Template(sympy.Atom):
    """The ``Definition`` an applied ``Defined`` came from, held as an atom (substitutions
    and rebuilding pass it by; it compares as its definition)."""

    definition: Definition

    def __new__(cls, definition: Definition) -> _Template:
        obj = sympy.Atom.__new__(cls)
        obj.definition = definition
        return obj  # type: ignore[no-any-return]

    def __getnewargs__(self) -> tuple[Definition]:
        return (self.definition,)

    def _hashable_content(self) -> tuple[Definition]:
        return (self.definition,)

    def _sympystr(self, printer: object) -> str:
        return f"<definition of {self.definition.name}>"


@dataclass(frozen=True)
class Definition:
    """``L(w, b) = body`` or ``softmax(z)_k = body``: a definition with parameters
    (variables, or vectors such as ``z``) and indices; calling it applies it.

    >>> w, b, c = sympy.symbols("w b c")
    >>> L = define("L", (w - b) ** 2, of=(w, b))
    >>> L(c, 1), L(c, 1).body
    (L(c, 1), (c - 1)**2)
    >>> L(c)
    Traceback (most recent call last):
    ...
    derive.errors.InputError: L takes 2 arguments (w, b), not 1
    """

    name: str
    params: tuple[sympy.Basic, ...]
    indices: tuple[sympy.Symbol, ...]
    body: sympy.Expr

    def __call__(self, *args: object) -> Any:
        if self.indices:
            return _Unindexed(self, args)
        return self.apply(args)

    def apply(self, args: Sequence[object], indices: Sequence[object] = ()) -> Defined:
        """The definition at ``args`` (and ``indices``): its body with them put in."""
        if len(args) != len(self.params):
            raise InputError(f"{self.name} takes {_count(len(self.params), 'argument')} "
                             f"({', '.join(map(str, self.params))}), not {len(args)}")  # fmt: skip
        if len(indices) != len(self.indices):
            raise InputError(
                f"{self.name}(...) takes {_count(len(self.indices), 'index', 'indices')}, not {len(indices)}"
            )
        from derive.writing import tidy

        values = [self._argument(p, a) for p, a in zip(self.params, args, strict=True)]
        at = list(sympy.Tuple(*indices))
        taken = set().union(*(_names(v) for v in (*values, *at)))
        put_in = {k: v for k, v in zip((*self.params, *self.indices), (*values, *at), strict=True) if k != v}
        if not put_in:
            applied = self.body
        elif global_parameters.evaluate:
            applied = _renamed_apart(self.body, taken).xreplace(put_in)
        else:  # inside written(): the body as its author wrote it (evaluated when checked)
            applied = tidy(_renamed_apart(self.body, taken).xreplace(put_in))
        return Defined(self.name, applied, sympy.Tuple(*values), sympy.Tuple(*at), _Template(self))

    def head(self) -> Defined:
        """The definition applied to its own parameters: what a ``let`` line defines."""
        return self.apply(self.params, self.indices)

    def _argument(self, param: sympy.Basic, arg: object) -> sympy.Basic:
        if isinstance(param, sympy.IndexedBase):
            if isinstance(arg, sympy.Symbol):
                return sympy.IndexedBase(arg)
            if isinstance(arg, sympy.IndexedBase):
                return arg
            raise InputError(f"{self.name}: {param} is a vector, so its argument is a vector's name, not {arg}")
        (value,) = sympy.Tuple(arg)
        if isinstance(value, sympy.IndexedBase) or not isinstance(value, sympy.Expr):
            raise InputError(f"{self.name}: {param} is a number, so its argument is an expression, not {value}")
        return value


@dataclass(frozen=True)
class _Unindexed:
    """``softmax(z)`` waiting for its index: ``softmax(z)[k]``."""

    definition: Definition
    args: tuple[object, ...]

    def __getitem__(self, indices: object) -> Defined:
        return self.definition.apply(self.args, indices if isinstance(indices, tuple) else (indices,))

    def _missing(self, *_: object) -> Any:
        d = self.definition
        raise InputError(f"{d.name}(...) takes an index: write {d.name}({', '.join(map(str, d.params))})"
                         f"[{', '.join(map(str, d.indices))}]")  # fmt: skip

    _sympy_ = __iter__ = __add__ = __radd__ = __sub__ = __rsub__ = __mul__ = __rmul__ = _missing
    __truediv__ = __rtruediv__ = __pow__ = __rpow__ = __neg__ = _missing


def _count(n: int, one: str, many: str = "") -> str:
    return f"{n} {one if n == 1 else (many or one + 's')}"


def _names(expr: sympy.Basic) -> set[str]:
    names = {s.name for s in expr.free_symbols if isinstance(s, sympy.Symbol)}
    return names | {str(b.label) for b in expr.atoms(sympy.IndexedBase)}


@overload
def define(name: str, body: sympy.Expr) -> Defined: ...
@overload
def define(name: str, body: sympy.Expr, *, of: object, index: object = ()) -> Definition: ...
def define(name: str, body: sympy.Expr, *, of: object = None, index: object = ()) -> Defined | Definition:
    """The definition ``name = body``, or with ``of`` (its parameters: variables, vectors
    as ``IndexedBase`` or names) and ``index`` the definition ``name(of)_index = body``;
    InputError when ``body`` refers to ``name`` or the parameters are not distinct names."""
    from derive.latex import symbol_latex

    symbol_latex(name)  # the name must be printable (and cannot inject LaTeX)
    if name in _names(expand_definitions(body)) or any(d.name == name for d in body.atoms(Defined)):
        raise InputError(f"definition {name} refers to itself ({name} occurs in {body})")
    if of is None and not index:
        return Defined(name, body)
    params = tuple(_parameter(name, p, body) for p in (of if isinstance(of, (tuple, list)) else (of,)))
    indices = tuple(index) if isinstance(index, (tuple, list)) else (index,)
    every = [str(p) for p in params] + [str(i) for i in indices]
    if not all(isinstance(i, sympy.Symbol) for i in indices):
        raise InputError(f"definition {name}: an index is a letter such as k, not {indices}")
    if len(set(every)) != len(every) or name in every:
        raise InputError(f"definition {name}: its parameters and indices are distinct names ({', '.join(every)})")
    return Definition(name, params, indices, body)  # type: ignore[arg-type]


def _parameter(name: str, param: object, body: sympy.Expr) -> sympy.Basic:
    """A parameter as the body uses it: ``z`` is the vector ``IndexedBase(z)`` when the body
    has entries ``z[k]``."""
    if isinstance(param, sympy.IndexedBase):
        return param
    if not isinstance(param, sympy.Symbol) or isinstance(param, sympy.Dummy):
        raise InputError(f"definition {name}: a parameter is a variable or a vector's name, not {param}")
    vector = any(str(b.label) == param.name for b in body.atoms(sympy.IndexedBase))
    outside_entries = body.replace(lambda e: isinstance(e, sympy.Indexed), lambda e: sympy.Integer(0))
    if vector and param in outside_entries.free_symbols:
        raise InputError(f"definition {name}: {param} is used both as a number and as a vector")
    return sympy.IndexedBase(param) if vector else param


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
    return _renamed_apart(definition.body, taken)


def _renamed_apart(body: sympy.Expr, taken: set[str]) -> sympy.Expr:
    """``body`` with the indices of its sums and products that are ``taken`` renamed."""
    used = (
        taken | _names(body) | {str(limit[0]) for node in body.atoms(sympy.Sum, sympy.Product) for limit in node.limits}
    )
    fresh = (n for n in _FRESH if n not in used)
    renames = {}
    for node in body.atoms(sympy.Sum, sympy.Product):
        for limit in node.limits:
            if limit[0].name in taken and limit[0] not in renames:
                renames[limit[0]] = sympy.Symbol(next(fresh))
    return body.xreplace(renames) if renames else body


def with_definitions(expr: sympy.Expr, definitions: Mapping[str, object]) -> sympy.Expr:
    """``expr`` with each variable named as a plain definition of ``definitions`` replaced
    by it (a reader reads ``\\bar{x}`` as the variable ``xbar``; those with arguments it
    applies itself).

    >>> x = sympy.Symbol("x")
    >>> folded = with_definitions(sympy.Symbol("S") + x, {"S": define("S", 2 * x)})
    >>> folded.atoms(Defined), expand_definitions(folded)
    ({S}, 3*x)
    """
    named = {s: d for s in expr.free_symbols if isinstance(d := definitions.get(getattr(s, "name", "")), Defined)}
    return expr.xreplace(named) if named else expr


def vector_arguments(exprs: Iterable[sympy.Basic]) -> set[str]:
    """The vectors that definitions are applied to in ``exprs`` (``z`` of ``softmax(z)_k``)."""
    return {
        str(a.label) for e in exprs for d in e.atoms(Defined) for a in d.arguments if isinstance(a, sympy.IndexedBase)
    }


def used_definitions(exprs: Iterable[sympy.Expr]) -> list[Defined]:
    """The definitions ``exprs`` use, each once, those a body uses before it (a definition
    with parameters applied to its own parameters, as its ``let`` line reads)."""
    found: dict[str, Defined] = {}
    pending = [d for e in exprs for d in sorted(e.atoms(Defined), key=str)]
    while pending:
        definition = pending.pop()
        if definition.name not in found:
            head = definition.definition.head() if definition.definition else definition
            found[definition.name] = head
            pending += sorted(head.body.atoms(Defined), key=str)
    return list(reversed(found.values()))


def _shown(meaning: object) -> str:
    if isinstance(meaning, Definition):
        return f"{meaning.head()} = {meaning.body}"
    return str(meaning)


def check_definitions(exprs: Iterable[sympy.Expr], where: str) -> None:
    """InputError when a definition of ``exprs`` redefines a variable they use, or one
    name has two bodies."""
    exprs = list(exprs)
    bodies: dict[str, object] = {}
    for expr in exprs:
        for d in expr.atoms(Defined):
            meaning = d.definition or d.body
            if bodies.setdefault(d.name, meaning) != meaning:
                raise InputError(
                    f"{where}: {d.name} is defined twice, as {_shown(bodies[d.name])} and as {_shown(meaning)}"
                )
    used = set().union(*(_names(e) for e in exprs)) if exprs else set()
    clash = sorted(set(bodies) & used)
    if clash:
        raise InputError(f"{where}: definition {clash[0]} redefines a variable already in use")
