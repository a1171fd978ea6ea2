"""SymPy's value of a limit, checked by evaluating the expression close to the point.

``prepare`` replaces each limit of a claim by SymPy's ``limit``, and both stages work
on that value (as with integrals, ``derive.quadrature``). So the expression under the
limit is also evaluated with mpmath (100 digits) at two points ever closer to where the
limit goes: 1e-15 and 1e-30 away from a finite point, on the side the limit comes
from, or at ±1e15 and ±1e30 (at ±50 and ±100 where those cannot be computed). When
the two agree with each other (the expression has settled) and not with SymPy's value,
the limit is wrong: the step is left ``undecided``, never refuted (an expression may
settle early and turn later). When they do not agree with each other, or one cannot be
computed, the value is not confirmed.
Other symbols take two simple values of the claim's domain, drawn as quadrature's are.

>>> import sympy
>>> from derive.claim import Domain
>>> z, a = sympy.symbols("z a")
>>> check(((sympy.Limit(sympy.sin(a * z) / z, z, 0), a),), Domain()).note
"SymPy's value of the limit agrees with the expression evaluated near it at 2 points"
>>> print(check(((sympy.Limit(sympy.sin(a * z) / z, z, 0), sympy.Integer(1)),), Domain()).disagreement)
SymPy's value of Limit(sin(a*z)/z, z, 0, dir='+') is 1, but the expression near it is 0.75 at a = 3/4
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from fractions import Fraction

import mpmath
import sympy

from derive.claim import Domain
from derive.defaults import DEFAULT_SEED
from derive.numeric import _compiled, _show
from derive.second_opinion import POINTS, SecondOpinion, gather, points, where

DPS = 100
NEAR = (15, 30)
"""How close the two evaluations are to a finite point: 10**-k."""
FAR = ((10**15, 10**30), (50, 100))
"""Where the two evaluations are for an infinite one, the second pair where the first
cannot be computed (an expression of exp(-x) that cancels)."""
SETTLED = mpmath.mpf(10) ** -12
"""Relative to ``max(1, |value|)``: how close the two evaluations must be for the expression to have settled."""
AGREE = mpmath.mpf(10) ** -8
"""Relative to ``max(1, |value|)``: how close the settled value and SymPy's must be."""


WORDS = ("limit", "the expression evaluated near it", ": the expression does not settle near it")


def check(
    evaluated: Sequence[tuple[sympy.Limit, sympy.Expr]],
    domain: Domain,
    seed: int = DEFAULT_SEED,
    deadline: float = float("inf"),
) -> SecondOpinion:
    """Each limit of ``evaluated`` (as ``symbolic.limits`` gives them) against its value."""
    return gather(evaluated, _compare, WORDS, domain, seed, deadline)


def _compare(limit: sympy.Limit, value: sympy.Expr, domain: Domain, seed: int, deadline: float) -> int | str:
    """How many points agree, or the disagreement in words."""
    expr, variable, target, direction = limit.args
    if value.has(sympy.Limit, sympy.AccumBounds) or value.is_finite is False:  # nothing a number settles on
        return 0
    names = tuple(sorted(s.name for s in (limit.free_symbols | value.free_symbols) - {variable}))
    symbols = tuple(sympy.Symbol(n) for n in names)
    inner = _compiled((variable, *symbols), expr, "mpmath")
    closed = _compiled(symbols, value, "mpmath")
    centre = None if target.is_infinite else _compiled(symbols, target, "mpmath")
    sides = (1, -1) if str(direction) == "+-" else (-1,) if str(direction) == "-" else (1,)
    agreed = 0
    for point in points(domain, names, seed):
        if agreed == POINTS or time.monotonic() > deadline:
            break
        args = [dict(point)[n] for n in names]
        found = [_near(inner, closed, centre, target, side, args) for side in sides]
        if any(f is None for f in found):
            continue
        wrong = next((near for near, ok in found if not ok), None)  # type: ignore[misc]
        if wrong is None:
            agreed += 1
            continue
        return f"SymPy's value of {limit} is {value}, but the expression near it is {_show(wrong)}{where(point)}"
    return agreed


def _near(
    inner: Callable[..., object],
    closed: Callable[..., object],
    centre: Callable[..., object] | None,
    target: sympy.Expr,
    side: int,
    args: list[Fraction],
) -> tuple[mpmath.mpc, bool] | None:
    """The settled value near ``target`` from ``side`` and whether it agrees with
    SymPy's; None when either cannot be computed or the expression has not settled."""
    with mpmath.workdps(DPS):
        exact = [mpmath.mpf(a.numerator) / a.denominator for a in args]
        try:
            value = mpmath.mpc(closed(*exact))  # type: ignore[arg-type]
            if centre is None:
                sign = 1 if target == sympy.oo else -1
                ladder = [[sign * mpmath.mpf(x) for x in pair] for pair in FAR]
            else:
                here = mpmath.mpf(centre(*exact))  # type: ignore[arg-type]
                ladder = [[here + side * mpmath.mpf(10) ** -k for k in NEAR]]
        except (ZeroDivisionError, ValueError, OverflowError, TypeError):
            return None
        near = next((n for n in (_values(inner, at, exact) for at in ladder) if n is not None), None)
        if near is None or not mpmath.isfinite(value):
            return None
        if abs(near[0] - near[1]) > SETTLED * max(mpmath.mpf(1), abs(near[1])):
            return None
        return near[1], bool(abs(near[1] - value) <= AGREE * max(mpmath.mpf(1), abs(value)))


def _values(inner: Callable[..., object], at: list[mpmath.mpf], exact: list[mpmath.mpf]) -> list[mpmath.mpc] | None:
    """The expression at each of ``at``, or None where it cannot be computed in ``DPS``
    digits: ``1 - 1/(1 + exp(-x))`` is exactly 0 at x = 1e15, so an exact 0 is taken
    for cancellation, not for a value."""
    try:
        values = [mpmath.mpc(inner(x, *exact)) for x in at]  # type: ignore[arg-type]
    except (ZeroDivisionError, ValueError, OverflowError, TypeError):
        return None
    return values if all(mpmath.isfinite(v) and v != 0 for v in values) else None
