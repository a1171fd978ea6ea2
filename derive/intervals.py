"""Rigorous interval branch and bound: ``f >= 0`` (or ``> 0``) on a box, proved by
evaluating ``f`` in interval arithmetic with outward rounding and splitting the boxes
it cannot decide.

Every box of the domain must be decided: on each, the enclosure of ``f`` lies above
0, or (at an equality point) ``f`` is monotone on the box with its lesser end a point
where ``f`` is exactly 0 or above. Bounded domains only: an unbounded variable (or an
open end at which ``f`` is undefined) leaves the claim to the other methods.

>>> x = sympy.Symbol("x")
>>> r = branch_and_bound(sympy.log(1 + x) - x / (1 + x), {x: (Fraction(0), Fraction(1))}, strict=False)
>>> r.status, r.boxes > 0
('proved', True)
>>> branch_and_bound(x - 1 - sympy.log(x), {x: (Fraction(1, 2), Fraction(2))}, strict=False).status
'proved'
"""

from __future__ import annotations

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
DEFAULT_SECONDS = 5.0
"""Without a deadline, a search still ends: nested monotonicity searches multiply the work."""
PRECISION = 53
"""Bits of the interval endpoints: mpmath's iv at its default precision, rounding every
operation outward (an exact rational bound becomes the interval of the doubles around it)."""

Box = dict[sympy.Symbol, tuple[Fraction, Fraction]]


@dataclass(frozen=True)
class IntervalResult:
    """``proved`` when every box was decided; ``unknown`` otherwise, with why."""

    status: str
    boxes: int
    detail: str


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
    values = {v: iv.mpf([iv.mpf(lo.numerator) / lo.denominator, iv.mpf(hi.numerator) / hi.denominator])
              for v, (lo, hi) in box.items()}  # fmt: skip
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
    depth: int = 0,
) -> IntervalResult:
    """Prove ``f >= 0`` (``> 0`` when strict) on the closed box, bisecting the
    widest side of every box the enclosure cannot decide. A box the enclosure
    cannot decide may still be decided by monotonicity: ``f`` is monotone in one
    variable (its derivative's sign shown by an enclosure, or by branch and bound
    itself) and decided on the face where it is least (by an enclosure, by being
    exactly 0 at a point, or by branch and bound on the face)."""
    if depth == 0:
        deadline = deadline if deadline is not None else time.monotonic() + DEFAULT_SECONDS
        f = expand_functions(f)
        f = f.replace(lambda e: isinstance(e, (sympy.sinh, sympy.cosh, sympy.tanh)), lambda e: e.rewrite(sympy.exp))
    variables = [v for v in box if box[v][0] != box[v][1]]
    derivatives = {v: sympy.diff(f, v) for v in variables}
    stack = [dict(box)]
    count = 0
    try:
        while stack:
            if count >= max_boxes:
                return IntervalResult("unknown", count, f"{max_boxes} boxes were not enough")
            if past(deadline):
                return IntervalResult("unknown", count, "the time budget ran out")
            current = stack.pop()
            count += 1
            value = enclose(f, current)
            if _decided(value, strict):
                continue
            if _refuted(value, strict):
                return IntervalResult("unknown", count, "a box where it fails (left to the numeric stage)")
            narrow = all(current[v][1] - current[v][0] <= (box[v][1] - box[v][0]) / NARROW for v in variables)
            if _monotone(f, derivatives, current, strict, depth if narrow else MAX_DEPTH, deadline):
                continue
            if not variables:
                return IntervalResult("unknown", count, "a point it cannot decide")
            widest = max(variables, key=lambda v: current[v][1] - current[v][0])
            lo, hi = current[widest]
            if hi - lo < Fraction(1, 2**40):
                return IntervalResult("unknown", count, f"a box narrower than 2^-40 around {widest} = {float(lo):.6g}")
            middle = _split_point(f, widest, current)
            stack.append({**current, widest: (lo, middle)})
            stack.append({**current, widest: (middle, hi)})
    except UnsupportedError as exc:
        return IntervalResult("unknown", count, f"no interval enclosure for {exc}")
    return IntervalResult("proved", count, "every box decided")


def _split_point(f: sympy.Expr, v: sympy.Symbol, box: Box) -> Fraction:
    """The midpoint, or a simple rational inside the box where ``f`` may touch 0
    (an equality point such as x = 1 of x - 1 - log x), so that it becomes an end."""
    lo, hi = box[v]
    for candidate in (Fraction(1), Fraction(0), Fraction(1, 2), Fraction(-1), Fraction(2)):
        if lo < candidate < hi and (hi - lo) < 4 * max(abs(candidate), Fraction(1)):
            point = {**box, v: (candidate, candidate)}
            value = enclose(f, point)
            if value.a <= 0 <= value.b:
                return candidate
    return lo + (hi - lo) / 2


def _monotone(f: sympy.Expr, derivatives: dict, box: Box, strict: bool, depth: int, deadline: float | None) -> bool:
    """``f`` is monotone in one variable over the box and decided on the face where
    it is least: then the whole box is decided."""
    for v, derivative in derivatives.items():
        slope = enclose(derivative, box)
        if slope.a >= 0:
            rising = True
        elif slope.b <= 0:
            rising = False
        elif depth < MAX_DEPTH and _sign_by_search(derivative, box, deadline, depth):
            rising = True
        elif depth < MAX_DEPTH and _sign_by_search(-derivative, box, deadline, depth):
            rising = False
        else:
            continue
        end = box[v][0] if rising else box[v][1]
        face = {**box, v: (end, end)}
        if _decided(enclose(f, face), strict):
            return True
        if all(lo == hi for lo, hi in face.values()):
            if not strict and _exactly_zero(f, face):
                return True
            continue
        if depth < MAX_DEPTH:
            on_face = branch_and_bound(f, face, strict, deadline, SUB_BOXES, depth + 1)
            if on_face.status == "proved":
                return True
    return False


def _sign_by_search(g: sympy.Expr, box: Box, deadline: float | None, depth: int) -> bool:
    """``g >= 0`` on the box, by branch and bound one level deeper."""
    return branch_and_bound(g, box, False, deadline, SUB_BOXES, depth + 1).status == "proved"


def _exactly_zero(f: sympy.Expr, point: Box) -> bool:
    value = f.xreplace({v: sympy.Rational(lo.numerator, lo.denominator) for v, (lo, _) in point.items()})
    return bool(sympy.simplify(value) == 0)
