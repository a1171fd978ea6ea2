"""SymPy's value of an integral, checked against mpmath's quadrature of the integral
as written.

``prepare`` replaces each integral of a claim by SymPy's ``integrate``, and both the
numeric and the symbolic stage work on that value: a wrong ``integrate`` would be
agreed with by both. So the integral as written is also integrated numerically
(tanh-sinh, ``mpmath.quad``, 15 digits) at two simple points of the claim's domain
(drawn, seeded, from the grid of its simple values, so that no parameter is held at a
value where a wrong formula may happen to agree), and compared with SymPy's value
there. A disagreement is confirmed at 30 digits before it is reported; it leaves the
step ``undecided`` (the claim was checked on a value that is not the integral's).

>>> import sympy
>>> from derive.claim import Domain
>>> t, a = sympy.symbols("t a")
>>> check(((sympy.Integral(a * t, (t, 0, 1)), a / 2),), Domain()).note
"SymPy's value of the integral agrees with mpmath's quadrature at 2 points"
>>> print(check(((sympy.Integral(a * t, (t, 0, 1)), a),), Domain()).disagreement)
SymPy's value of Integral(a*t, (t, 0, 1)) is a, but mpmath's quadrature gives 0.375 at a = 3/4
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from fractions import Fraction

import mpmath
import sympy

from derive.claim import Domain
from derive.defaults import DEFAULT_SEED
from derive.numeric import _compiled, _show
from derive.second_opinion import POINTS, SecondOpinion, gather, points, where

DPS, CONFIRM_DPS = 15, 30
AGREE = mpmath.mpf(10) ** -8
"""Relative to ``max(1, |value|)``: how close the two values must be to agree."""
TRUSTED_ERROR = mpmath.mpf(10) ** -10
"""Relative to ``max(1, |value|)``: quadrature whose own error estimate is larger says nothing."""
WORDS = ("integral", "mpmath's quadrature", " by mpmath's quadrature at any simple point")


def check(
    evaluated: Sequence[tuple[sympy.Integral, sympy.Expr]],
    domain: Domain,
    seed: int = DEFAULT_SEED,
    deadline: float = float("inf"),
) -> SecondOpinion:
    """Each integral of ``evaluated`` (as ``symbolic.integrals`` gives them) against
    its value, at simple points of ``domain`` where both can be computed."""
    return gather(evaluated, _compare, WORDS, domain, seed, deadline)


def _compare(integral: sympy.Integral, value: sympy.Expr, domain: Domain, seed: int, deadline: float) -> int | str:
    """How many points agree, or the confirmed disagreement in words."""
    if not _definite(integral) or value.has(sympy.Integral):  # SymPy's value may be the integral itself
        return 0
    names = tuple(sorted(s.name for s in integral.free_symbols | value.free_symbols))
    symbols = tuple(sympy.Symbol(n) for n in names)
    variables = tuple(limit[0] for limit in integral.limits)
    integrand = _compiled((*variables, *symbols), integral.function, "mpmath")
    bounds = [(_compiled(symbols, lo, "mpmath"), _compiled(symbols, hi, "mpmath")) for _, lo, hi in integral.limits]
    closed = _compiled(symbols, value, "mpmath")
    agreed = 0
    for point in points(domain, names, seed):
        if agreed == POINTS or time.monotonic() > deadline:
            break
        values = dict(point)
        args = [values[n] for n in names]
        found = _at(integrand, bounds, closed, args, DPS)
        if found is None:
            continue
        if found[0]:
            agreed += 1
            continue
        again = _at(integrand, bounds, closed, args, CONFIRM_DPS)
        if again is not None and not again[0]:
            gives = _show(again[1])
            return f"SymPy's value of {integral} is {value}, but mpmath's quadrature gives {gives}{where(point)}"
    return agreed


def _definite(integral: sympy.Integral) -> bool:
    """Every limit has both bounds, and no bound holds a variable of integration."""
    variables = {limit[0] for limit in integral.limits}
    return all(len(limit) == 3 and not (limit[1].free_symbols | limit[2].free_symbols) & variables
               for limit in integral.limits)  # fmt: skip


def _quad(integrand, bounds, args: list[Fraction], dps: int) -> tuple[mpmath.mpc, mpmath.mpf] | None:
    with mpmath.workdps(dps):
        exact = [mpmath.mpf(a.numerator) / a.denominator for a in args]
        try:
            intervals = [[lo(*exact), hi(*exact)] for lo, hi in bounds]
            return mpmath.quad(lambda *xs: integrand(*xs, *exact), *intervals, error=True)  # type: ignore[no-any-return]
        except (ZeroDivisionError, ValueError, OverflowError, TypeError):
            return None


def _at(integrand, bounds, closed, args: list[Fraction], dps: int) -> tuple[bool, mpmath.mpc] | None:
    """Whether quadrature and SymPy's value agree at ``args``, and quadrature's value;
    None when either cannot be computed there or quadrature's own error estimate is too large."""
    found = _quad(integrand, bounds, args, dps)
    with mpmath.workdps(dps):
        try:
            value = mpmath.mpc(closed(*[mpmath.mpf(a.numerator) / a.denominator for a in args]))
        except (ZeroDivisionError, ValueError, OverflowError, TypeError):
            return None
        if found is None or not mpmath.isfinite(value):
            return None
        estimate, error = mpmath.mpc(found[0]), found[1]
        scale = max(mpmath.mpf(1), abs(value))
        if not mpmath.isfinite(estimate) or error > TRUSTED_ERROR * scale:
            return None
        return bool(abs(estimate - value) <= AGREE * scale), estimate
