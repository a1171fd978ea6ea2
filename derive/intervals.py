"""Rigorous interval branch and bound: ``f >= 0`` (or ``> 0``) on a box, proved by
evaluating ``f`` in interval arithmetic with outward rounding and splitting the boxes
it cannot decide.

Every box of the domain must be decided: on each, the enclosure of ``f`` lies above
0, or (at an equality point) ``f`` is monotone on the box with its lesser end a point
where ``f`` is exactly 0 or above. A side may be unbounded (``INF``): it is split
at 0, 1, 2, 4, ... so that the last box is a tail ``[X, oo)``, decided by its
enclosure or by monotonicity toward the infinite end, where the limit that SymPy
computes must be >= 0 (> 0 when strict). An open end at which ``f`` is undefined
leaves the claim to the other methods.

>>> x = sympy.Symbol("x")
>>> r = branch_and_bound(sympy.log(1 + x) - x / (1 + x), {x: (Fraction(0), Fraction(1))}, strict=False)
>>> r.status, r.boxes > 0
('proved', True)
>>> branch_and_bound(x - 1 - sympy.log(x), {x: (Fraction(1, 2), Fraction(2))}, strict=False).status
'proved'
>>> branch_and_bound(sympy.exp(x) - 1 - x, {x: (-INF, INF)}, strict=False).status
'proved'
"""

from __future__ import annotations

import dataclasses
import functools
import time
from collections.abc import Callable
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

import sympy
from mpmath import iv

from derive.budget import past
from derive.functions import expand_functions

MAX_BOXES = 20_000
WORK = 250_000
"""How much one search may evaluate in all, its nested monotonicity searches included
(they multiply the work: the boxes of one level may each start a search of
``SUB_BOXES``), counted in nodes of the expressions enclosed (an enclosure's cost is its
size: about 8 microseconds a node here) and ``LIMIT_WORK`` for each limit asked of
SymPy. A search ends by this count, not by a clock, so where it gives up is the same
on every machine: its verdict is settled and can be cached. (A deadline that passes
still ends it, and the verdict is then not settled.)"""
LIMIT_WORK = 500
DEFAULT_SECONDS = 5.0
"""A search given no deadline still stops by this time (a safety net: SymPy's limits at an
unbounded side can take minutes)."""
PRECISION = 53
"""Bits of the interval endpoints: mpmath's iv at its default precision, rounding every
operation outward (an exact rational bound becomes the interval of the doubles around it)."""

INF = float("inf")
"""An unbounded side of a box: ``(Fraction(0), INF)`` is ``[0, oo)``."""
Bound = Fraction | float
Box = dict[sympy.Symbol, tuple[Bound, Bound]]


def _iv(value: Bound) -> Any:
    if isinstance(value, float):
        return iv.mpf(value)
    return iv.mpf(value.numerator) / value.denominator


def _split(lo: Bound, hi: Bound) -> Fraction:
    """Where to cut ``[lo, hi]``: the middle of a bounded side; 0, then 1, 2, 4, ...
    (and their negatives) on an unbounded one.

    >>> _split(Fraction(0), INF), _split(Fraction(3), INF), _split(-INF, Fraction(-1)), _split(-INF, INF)
    (Fraction(1, 1), Fraction(6, 1), Fraction(-2, 1), Fraction(0, 1))
    """
    if isinstance(lo, float) and isinstance(hi, float):
        return Fraction(0)
    if isinstance(hi, float):
        return Fraction(0) if lo < 0 else max(2 * Fraction(lo), Fraction(1))
    if isinstance(lo, float):
        return -_split(-hi, INF)
    return lo + (hi - lo) / 2


@dataclass
class _Work:
    """What a search and its nested searches have evaluated, and how much they may (``WORK``)."""

    limit: int
    used: int = 0

    def enclose(self, expr: sympy.Expr, box: Box) -> Any:
        self.used += _size(expr)
        return enclose(expr, box)


@functools.lru_cache(maxsize=4096)
def _size(expr: sympy.Expr) -> int:
    """The nodes of ``expr``: what enclosing it evaluates, as work.

    >>> _size(sympy.exp(sympy.Symbol("x")) + 1)
    4
    """
    return 1 + sum(_size(arg) for arg in expr.args)


@dataclass(frozen=True)
class IntervalResult:
    """``proved`` when every box was decided; ``unknown`` otherwise, with why;
    ``boxes`` of the box itself; ``work``: what it evaluated in all (see ``WORK``)."""

    status: str
    boxes: int
    detail: str
    work: int = 0


class UnsupportedError(Exception):
    """A function this evaluator has no rigorous enclosure for."""


def _pow(base: Any, exponent: sympy.Expr) -> Any:
    if exponent.is_Integer:
        return base ** int(exponent)
    if exponent == sympy.Rational(1, 2):
        return iv.sqrt(base)
    if exponent == sympy.Rational(-1, 2):
        return 1 / iv.sqrt(base)
    if base.a <= 0:
        return iv.mpf([-iv.inf, iv.inf])  # undefined or not real somewhere: undecided
    return iv.exp(_evaluate(exponent, {}) * iv.log(base))


def _log(value: Any) -> Any:
    if value.a <= 0:
        return iv.mpf([-iv.inf, iv.inf])  # log of a value that may be <= 0: undecided
    return iv.log(value)


def _sqrt(value: Any) -> Any:
    if value.a < 0:
        return iv.mpf([-iv.inf, iv.inf])
    return iv.sqrt(value)


_FUNCTIONS: dict[type, Callable[[Any], Any]] = {
    sympy.exp: iv.exp,
    sympy.log: _log,
    sympy.sin: iv.sin,
    sympy.cos: iv.cos,
    sympy.tan: iv.tan,
}


def _evaluate(expr: sympy.Expr, box: dict[sympy.Symbol, Any]) -> Any:
    """The interval enclosure of ``expr`` over ``box`` (variable -> iv interval)."""
    if expr.is_Symbol:
        return box[expr]
    if expr.is_Rational:
        return iv.mpf(int(expr.p)) / int(expr.q)
    if expr is sympy.pi:
        return iv.pi
    if expr is sympy.E:
        return iv.e
    if expr.is_Add:
        total = iv.mpf(0)
        for arg in expr.args:
            total += _evaluate(arg, box)
        return total
    if expr.is_Mul:
        product = iv.mpf(1)
        for arg in expr.args:
            product *= _evaluate(arg, box)
        return product
    if expr.is_Pow:
        base = _evaluate(expr.base, box)
        if expr.exp.is_number:
            return _pow(base, expr.exp)
        if base.a <= 0:
            return iv.mpf([-iv.inf, iv.inf])
        return iv.exp(_evaluate(expr.exp, box) * iv.log(base))
    if isinstance(expr, sympy.Abs):
        value = _evaluate(expr.args[0], box)
        low = 0 if value.a <= 0 <= value.b else min(abs(value.a), abs(value.b))
        return iv.mpf([low, max(abs(value.a), abs(value.b))])
    if isinstance(expr, sympy.Float):
        raise UnsupportedError("a float")
    function = _FUNCTIONS.get(type(expr))
    if function is None or len(expr.args) != 1:
        raise UnsupportedError(type(expr).__name__)
    return function(_evaluate(expr.args[0], box))


def enclose(expr: sympy.Expr, box: Box) -> Any:
    """``expr`` over the box of exact rational bounds, as an mpmath interval.

    >>> x = sympy.Symbol("x")
    >>> enclose(x**2 - x, {x: (Fraction(0), Fraction(1))})
    mpi('-1.0', '1.0')
    """
    values = {v: iv.mpf([_iv(lo).a, _iv(hi).b]) for v, (lo, hi) in box.items()}
    return _evaluate(expr, values)


def _decided(value: Any, strict: bool) -> bool:
    return bool(value.a > 0 if strict else value.a >= 0)


def _refuted(value: Any, strict: bool) -> bool:
    return bool(value.b < 0 if not strict else value.b <= 0)


MAX_DEPTH = 2
"""How deep a monotonicity argument may recurse (a derivative's sign proved by branch
and bound, then its own derivative's)."""
SUB_BOXES = 300
NARROW = 64
"""Monotonicity shown by a deeper search is tried only on boxes this many times
narrower than the domain (near an equality point), where plain bisection stalls."""


def branch_and_bound(
    f: sympy.Expr,
    box: Box,
    strict: bool,
    deadline: float | None = None,
    max_boxes: int = MAX_BOXES,
    work: int = WORK,
) -> IntervalResult:
    """Prove ``f >= 0`` (``> 0`` when strict) on the closed box, bisecting the
    widest side of every box the enclosure cannot decide. A box the enclosure
    cannot decide may still be decided by monotonicity: ``f`` is monotone in one
    variable (its derivative's sign shown by an enclosure, or by branch and bound
    itself) and decided on the face where it is least (by an enclosure, by being
    exactly 0 at a point, or by branch and bound on the face). At most ``max_boxes``
    boxes of the box itself, and ``work`` in all (see ``WORK``).

    >>> t = sympy.Symbol("t")
    >>> branch_and_bound(sympy.exp(t) - 1 - t, {t: (-INF, INF)}, strict=False, work=100).detail
    'its work of 100 (nested searches included) was not enough'
    """
    deadline = deadline if deadline is not None else time.monotonic() + DEFAULT_SECONDS
    f = expand_functions(f)
    f = f.replace(lambda e: isinstance(e, (sympy.sinh, sympy.cosh, sympy.tanh)), lambda e: e.rewrite(sympy.exp))
    done = _Work(work)
    return dataclasses.replace(_search(f, box, strict, deadline, max_boxes, 0, done), work=done.used)


def _search(
    f: sympy.Expr, box: Box, strict: bool, deadline: float | None, max_boxes: int, depth: int, work: _Work
) -> IntervalResult:
    variables = [v for v in box if box[v][0] != box[v][1]]
    derivatives = {v: _derivative(f, v) for v in variables}
    stack = [dict(box)]
    count = 0
    try:
        while stack:
            if count >= max_boxes:
                return IntervalResult("unknown", count, f"{max_boxes} boxes were not enough")
            if work.used >= work.limit:
                return IntervalResult(
                    "unknown", count, f"its work of {work.limit} (nested searches included) was not enough"
                )
            if past(deadline):
                return IntervalResult("unknown", count, "the time budget ran out")
            current = stack.pop()
            count += 1
            value = work.enclose(f, current)
            if _decided(value, strict):
                continue
            if _refuted(value, strict):
                return IntervalResult("unknown", count, "a box where it fails (left to the numeric stage)")
            narrow = all(
                _width(current[v]) <= min(_width(box[v]), 1) / NARROW or (_width(current[v]) == INF and depth == 0)
                for v in variables
            )  # near an equality point, or a tail (at the top level): a deeper search may decide it
            if _monotone(f, derivatives, current, strict, depth if narrow else MAX_DEPTH, deadline, work):
                continue
            if not variables:
                return IntervalResult("unknown", count, "a point it cannot decide")
            widest = max(variables, key=lambda v: _width(current[v]))
            lo, hi = current[widest]
            if _width((lo, hi)) < 2**-40:
                return IntervalResult("unknown", count, f"a box narrower than 2^-40 around {widest} = {float(lo):.6g}")
            middle = _split_point(f, widest, current, work)
            stack.append({**current, widest: (lo, middle)})
            stack.append({**current, widest: (middle, hi)})
    except UnsupportedError as exc:
        return IntervalResult("unknown", count, f"no interval enclosure for {exc}")
    return IntervalResult("proved", count, "every box decided")


def _derivative(f: sympy.Expr, v: sympy.Symbol) -> sympy.Expr:
    """``df/dv``, over one denominator when it is a rational function (a tighter
    enclosure: ``1/x - (x + 1)/x**2`` straddles 0 on ``[1, oo)``, ``-1/x**2`` does not).

    >>> x = sympy.Symbol("x")
    >>> _derivative((1 + x) / x - 1, x)
    -1/x**2
    """
    d = sympy.diff(f, v)
    if d.is_rational_function(*d.free_symbols) and sympy.count_ops(d) <= 60:
        return sympy.cancel(d)
    return d


def _split_point(f: sympy.Expr, v: sympy.Symbol, box: Box, work: _Work) -> Fraction:
    """The midpoint, or a simple rational inside the box where ``f`` may touch 0
    (an equality point such as x = 1 of x - 1 - log x), so that it becomes an end."""
    lo, hi = box[v]
    for candidate in (Fraction(1), Fraction(0), Fraction(1, 2), Fraction(-1), Fraction(2)):
        if lo < candidate < hi and _width((lo, hi)) < 4 * max(abs(candidate), Fraction(1)):
            point: Box = {**box, v: (candidate, candidate)}
            value = work.enclose(f, point)
            if value.a <= 0 <= value.b:
                return candidate
    return _split(lo, hi)


def _width(side: tuple[Bound, Bound]) -> float:
    return float(side[1] - side[0]) if not isinstance(side[0], float) and not isinstance(side[1], float) else INF


def _monotone(
    f: sympy.Expr, derivatives: dict, box: Box, strict: bool, depth: int, deadline: float | None, work: _Work
) -> bool:
    """``f`` is monotone in one variable over the box and decided on the face where
    it is least: then the whole box is decided."""
    for v, derivative in derivatives.items():
        slope = work.enclose(derivative, box)
        if slope.a >= 0:
            rising = True
        elif slope.b <= 0:
            rising = False
        elif depth < MAX_DEPTH and _sign_by_search(derivative, box, deadline, depth, work):
            rising = True
        elif depth < MAX_DEPTH and _sign_by_search(-derivative, box, deadline, depth, work):
            rising = False
        else:
            continue
        end = box[v][0] if rising else box[v][1]
        if isinstance(end, float):  # least toward an unbounded end: its limit decides
            work.used += LIMIT_WORK  # counted whether SymPy computes it or it is remembered
            if _limit_decided(f, v, end, box, strict):
                return True
            continue
        face: Box = {**box, v: (end, end)}
        if _decided(work.enclose(f, face), strict):
            return True
        if all(lo == hi for lo, hi in face.values()):
            if not strict and _exactly_zero(f, face, work):
                return True
            continue
        if depth < MAX_DEPTH:
            on_face = _search(f, face, strict, deadline, SUB_BOXES, depth + 1, work)
            if on_face.status == "proved":
                return True
    return False


_LIMITS: dict[tuple[sympy.Expr, sympy.Symbol, float], sympy.Expr | None] = {}


def _limit_decided(f: sympy.Expr, v: sympy.Symbol, end: float, box: Box, strict: bool) -> bool:
    """``lim f`` as ``v`` goes to the unbounded ``end`` is >= 0 (> 0 when strict), by
    SymPy, with every other variable of the box fixed at a point (else undecided)."""
    others = {u: side for u, side in box.items() if u != v}
    if any(lo != hi or isinstance(lo, float) for lo, hi in others.values()):
        return False
    g = f.xreplace({u: sympy.Rational(lo.numerator, lo.denominator) for u, (lo, _) in others.items()})  # type: ignore[union-attr]
    key = (g, v, end)
    if key not in _LIMITS:
        try:
            value = sympy.limit(g, v, sympy.oo if end > 0 else -sympy.oo)
        except (NotImplementedError, ValueError, TypeError, RecursionError):
            value = None
        _LIMITS[key] = value if value is not None and (value.is_extended_real is True) else None
    value = _LIMITS[key]
    if value is None:
        return False
    return bool(value.is_extended_positive if strict else value.is_extended_nonnegative)


def _sign_by_search(g: sympy.Expr, box: Box, deadline: float | None, depth: int, work: _Work) -> bool:
    """``g >= 0`` on the box, by branch and bound one level deeper."""
    return _search(g, box, False, deadline, SUB_BOXES, depth + 1, work).status == "proved"


def _exactly_zero(f: sympy.Expr, point: Box, work: _Work) -> bool:
    if any(isinstance(lo, float) for lo, _ in point.values()):
        return False
    if any(lo.denominator > 2**20 or abs(lo.numerator) > 2**40 for lo, _ in point.values()):  # type: ignore[union-attr]
        return False  # a deep bisection point, not a simple equality point; SymPy factors x**x there for minutes
    around = work.enclose(f, point)
    if not around.a <= 0 <= around.b:
        return False
    if any(not p.exp.is_number for p in f.atoms(sympy.Pow)):
        return False  # x**x at a rational: SymPy looks for an exact root of a large integer, for minutes
    value = f.xreplace({v: sympy.Rational(lo.numerator, lo.denominator) for v, (lo, _) in point.items()})  # type: ignore[union-attr]
    if value == 0:
        return True
    approx = value.evalf(30)
    if not approx.is_number or not approx.is_finite or abs(approx) > sympy.Float("1e-20"):
        return False  # not 0 (or not a number): "no" is always safe, and SymPy's simplify can take minutes
    return bool(sympy.simplify(value) == 0)
