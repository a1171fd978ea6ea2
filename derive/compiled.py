"""General-size expressions compiled once, evaluated at any length.

An expression with sums of symbolic length is cut at its sums: the part outside
them is compiled (``lambdify``) once, with a placeholder for each sum, each entry
``x[k]`` and each Kronecker delta; each sum's body is compiled the same way,
recursively. Evaluating at an instance (the lengths and indices fixed) loops over
the index values and calls the compiled pieces, vectorised over the sample points,
so the cost of compiling does not grow with the length: the instances of one
claim share it. A sum from lo to lo - 1 is empty; a range reversed further is not evaluated (SymPy and
a reader disagree on it), so such an instance has no valid sample point.

>>> import numpy as np
>>> i, n = sympy.symbols("i n")
>>> x = sympy.IndexedBase("x")
>>> f = Compiled(sympy.Sum(x[i] ** 2, (i, 1, n)), "numpy")
>>> sorted(f.entries({"n": 3}))
[('x', (1,)), ('x', (2,)), ('x', (3,))]
>>> f.evaluate({"n": 3}, {}, {("x", (1,)): np.array([1.0]), ("x", (2,)): np.array([2.0]),
...                           ("x", (3,)): np.array([3.0])})
array([14.])
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import mpmath
import sympy

Entry = tuple[str, tuple[int, ...]]


def _outermost(expr: sympy.Basic) -> list[sympy.Basic]:
    if isinstance(expr, (sympy.Sum, sympy.Product)):
        return [expr]
    return [found for arg in expr.args for found in _outermost(arg)]


def _outside(expr: sympy.Basic, kind: type) -> set[sympy.Basic]:
    """The nodes of ``kind`` in ``expr`` that are not inside a sum or product."""
    if isinstance(expr, (sympy.Sum, sympy.Product)):
        return set()
    found = {expr} if isinstance(expr, kind) else set()
    for arg in expr.args:
        found |= _outside(arg, kind)
    return found


@dataclass
class _Loop:
    """One sum or product: ``kind`` over ``index`` from ``lo`` to ``hi``."""

    product: bool
    index: sympy.Symbol
    lo: sympy.Expr
    hi: sympy.Expr
    body: _Piece


class _Piece:
    """A compiled expression with placeholders for its loops, entries and deltas (made
    by ``_piece``: claims share their pieces, and a sum's body recurs across claims)."""

    def __init__(self, expr: sympy.Expr, module: str, integers: frozenset[str]):
        loops = list(dict.fromkeys(_outermost(expr)))
        entries = sorted(_outside(expr, sympy.Indexed), key=str)
        deltas = sorted(_outside(expr, sympy.KroneckerDelta), key=str)
        taken = {s.name for s in expr.free_symbols}
        holders = {node: _holder(k, taken) for k, node in enumerate([*loops, *entries, *deltas])}
        body = expr.xreplace(holders)
        self.loops = [_loop(node, module, integers) for node in loops]
        self.entries = [(str(e.base.label), e.indices) for e in entries]
        self.deltas = [d.args for d in deltas]
        names = sorted(
            {s.name for s in body.free_symbols if isinstance(s, sympy.Symbol)} - {h.name for h in holders.values()}
        )
        self.scalars = [n for n in names if n not in integers]
        self.integers = [n for n in names if n in integers]
        arguments = tuple(sympy.Symbol(n) for n in self.scalars + self.integers) + tuple(holders.values())
        self.function = _lambdified(arguments, body, module)


@functools.lru_cache(maxsize=2048)
def _lambdified(arguments: tuple[sympy.Symbol, ...], body: sympy.Expr, module: str) -> Callable[..., Any]:
    """``body`` compiled, remembered: the parts around placeholders are alike across
    claims (``_h0_ - _h1_``), and so are many sums' bodies."""
    return sympy.lambdify(arguments, body, modules=module, docstring_limit=0)  # type: ignore[no-any-return]


@functools.lru_cache(maxsize=2048)
def _piece(expr: sympy.Expr, module: str, integers: frozenset[str]) -> _Piece:
    """``expr`` cut and compiled, remembered: a sum recurs across claims and sides."""
    return _Piece(expr, module, integers)


def _holder(k: int, taken: set[str]) -> sympy.Symbol:
    """A placeholder symbol whose name is a Python identifier (lambdify then takes
    it as it is; a Dummy makes it rewrite the whole expression, at a cost)."""
    name = f"_h{k}_"
    return sympy.Dummy(name) if name in taken else sympy.Symbol(name)


def _loop(node: sympy.Basic, module: str, integers: frozenset[str]) -> _Loop:
    *inner, (index, lo, hi) = node.limits
    function = node.function if not inner else node.func(node.function, *inner)
    body = _piece(function, module, integers | {index.name})
    return _Loop(isinstance(node, sympy.Product), index, lo, hi, body)


def _integer(expr: sympy.Expr, ints: dict[str, int]) -> int:
    """An index or bound expression at integer values (the common shapes without SymPy)."""
    if expr.is_Integer:
        return int(expr)
    if expr.is_Symbol:
        return ints[expr.name]
    names, function = _integer_function(expr)
    value = function(*(ints[n] for n in names))
    if value != int(value):
        raise ValueError(f"{expr} is not an integer at {ints}")
    return int(value)


@functools.cache
def _integer_function(expr: sympy.Expr) -> tuple[tuple[str, ...], Callable[..., Any]]:
    names = tuple(sorted(s.name for s in expr.free_symbols))
    return names, sympy.lambdify([sympy.Symbol(n) for n in names], expr, modules="math", docstring_limit=0)


class ReversedRangeError(ValueError):
    """A sum from ``lo`` to ``hi < lo - 1``: SymPy reads it as minus the sum over
    ``hi + 1 .. lo - 1``, a reader as empty. Such an instance is not evaluated."""


def _range(lo: int, hi: int) -> range:
    """The index values of a sum from ``lo`` to ``hi``; ``hi = lo - 1`` is empty."""
    if hi >= lo - 1:
        return range(lo, hi + 1)
    raise ReversedRangeError(f"a sum from {lo} to {hi}")


class Compiled:
    """``expr`` compiled for ``module`` (``"numpy"`` or ``"mpmath"``); ``integers``
    names the lengths and index variables (passed as Python ints). It is compiled
    when first used: a diagnosis that only looks at one point in high precision
    never needs the numpy form."""

    def __init__(self, expr: sympy.Expr, module: str, integers: frozenset[str] = frozenset()):
        self._expr, self._integers = expr, integers
        self.module = module
        # a length inside the formula (1/n) is a number of the module's kind: a Python int
        # would make mpmath's 1/n a float64 and cap the precision of every confirmation
        self._lift: Callable[[int], Any] = mpmath.mpf if module == "mpmath" else float

    @functools.cached_property
    def root(self) -> _Piece:
        expr = self._expr
        free = {s.name for s in expr.free_symbols if isinstance(s, sympy.Symbol)}
        bounds = {
            s.name
            for node in expr.atoms(sympy.Sum, sympy.Product)
            for lim in node.limits
            for s in lim[1].free_symbols | lim[2].free_symbols
        }
        indexing = {s.name for e in expr.atoms(sympy.Indexed) for i in e.indices for s in i.free_symbols}
        return _piece(expr, self.module, frozenset(self._integers | (free & (bounds | indexing))))

    def entries(self, ints: dict[str, int]) -> set[Entry]:
        """Every entry ``(family, indices)`` the expression reads at these lengths."""
        return set(self._entries(self.root, dict(ints)))

    def _entries(self, piece: _Piece, ints: dict[str, int]) -> Iterator[Entry]:
        for base, indices in piece.entries:
            yield base, tuple(_integer(i, ints) for i in indices)
        for loop in piece.loops:
            values = _range(_integer(loop.lo, ints), _integer(loop.hi, ints))
            for v in values:
                yield from self._entries(loop.body, {**ints, loop.index.name: v})

    def evaluate(self, ints: dict[str, int], scalars: dict[str, Any], entries: dict[Entry, Any]) -> Any:
        """The value at ``ints`` (lengths, indices), ``scalars`` and ``entries``
        (arrays for numpy, mpmath numbers for mpmath); a missing entry raises KeyError."""
        return self._evaluate(self.root, dict(ints), scalars, entries)

    def _evaluate(self, piece: _Piece, ints: dict[str, int], scalars: dict[str, Any], entries: dict[Entry, Any]) -> Any:
        lift = self._lift
        args: list[Any] = [scalars[n] for n in piece.scalars] + [lift(ints[n]) for n in piece.integers]
        for loop in piece.loops:
            values = _range(_integer(loop.lo, ints), _integer(loop.hi, ints))
            total: Any = 1 if loop.product else 0
            for v in values:
                term = self._evaluate(loop.body, {**ints, loop.index.name: v}, scalars, entries)
                total = total * term if loop.product else total + term
            args.append(total)
        for base, indices in piece.entries:
            args.append(entries[(base, tuple(_integer(i, ints) for i in indices))])
        for a, b in piece.deltas:
            args.append(1 if _integer(a, ints) == _integer(b, ints) else 0)
        return piece.function(*args)
