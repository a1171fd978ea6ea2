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

import random
import time
from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction

import mpmath
import sympy

from derive.claim import Domain
from derive.defaults import DEFAULT_SEED
from derive.numeric import Point, _compiled, _grid, _show

POINTS = 2
"""The points of the domain at which each integral is compared."""
GRID = 256
"""The grid of simple values the points are drawn from."""
CANDIDATES = 8
"""The points drawn, in order, to find ``POINTS`` at which both values can be computed."""
DPS, CONFIRM_DPS = 15, 30
AGREE = mpmath.mpf(10) ** -8
"""Relative to ``max(1, |value|)``: how close the two values must be to agree."""
TRUSTED_ERROR = mpmath.mpf(10) ** -10
"""Relative to ``max(1, |value|)``: quadrature whose own error estimate is larger says nothing."""


@dataclass(frozen=True)
class QuadratureCheck:
    """What quadrature said of a claim's ``integrals``: at how many points every one
    agreed with SymPy's value, and the first confirmed ``disagreement`` (empty if none);
    ``unchecked`` integrals had no point where quadrature converged."""

    integrals: int
    agreed: int
    unchecked: int
    disagreement: str = ""

    @property
    def note(self) -> str:
        """The evidence in words, for a verdict's detail."""
        if self.disagreement:
            return self.disagreement
        what = "the integral" if self.integrals == 1 else f"its {self.integrals} integrals"
        points = "1 point" if self.agreed == 1 else f"{self.agreed} points"
        if self.unchecked == self.integrals:
            return f"SymPy's value of {what} not confirmed by mpmath's quadrature at any simple point"
        if self.unchecked:
            what = f"{self.integrals - self.unchecked} of its {self.integrals} integrals"
            return f"SymPy's value of {what} agrees with mpmath's quadrature at {points}; the others not confirmed"
        return f"SymPy's value of {what} agrees with mpmath's quadrature at {points}"


def check(
    evaluated: Sequence[tuple[sympy.Integral, sympy.Expr]],
    domain: Domain,
    seed: int = DEFAULT_SEED,
    deadline: float = float("inf"),
) -> QuadratureCheck:
    """Each integral of ``evaluated`` (as ``symbolic.integrals`` gives them) against
    its value, at the simplest points of ``domain`` where both can be computed."""
    unique = list(dict.fromkeys(evaluated))
    agreed_everywhere = POINTS
    unchecked = 0
    for integral, value in unique:
        outcome = _compare(integral, value, domain, seed, deadline)
        if isinstance(outcome, str):
            return QuadratureCheck(len(unique), 0, 0, outcome)
        if outcome == 0:
            unchecked += 1
        else:
            agreed_everywhere = min(agreed_everywhere, outcome)
    return QuadratureCheck(len(unique), agreed_everywhere if unchecked < len(unique) else 0, unchecked)


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
        if found:
            agreed += 1
            continue
        again = _at(integrand, bounds, closed, args, CONFIRM_DPS)
        if again is False:
            return _disagreement(integral, value, integrand, bounds, args, point)
    return agreed


def points(domain: Domain, names: tuple[str, ...], seed: int) -> list[Point]:
    """``CANDIDATES`` points of ``domain`` (completed by ``names``), drawn in a seeded
    order from the grid of its simple values.

    >>> [dict(p)["a"] for p in points(Domain(), ("a",), 0)][:3]
    [Fraction(3, 4), Fraction(-1, 3), Fraction(1, 1)]
    """
    grid = _grid(domain.complete(names), GRID)
    return random.Random(seed).sample(grid, min(CANDIDATES, len(grid)))


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


def _at(integrand, bounds, closed, args: list[Fraction], dps: int) -> bool | None:
    """Whether quadrature and SymPy's value agree at ``args``; None when either
    cannot be computed there or quadrature's own error estimate is too large."""
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
        return bool(abs(estimate - value) <= AGREE * scale)


def _disagreement(integral, value, integrand, bounds, args: list[Fraction], point) -> str:
    found = _quad(integrand, bounds, args, CONFIRM_DPS)
    at = ", ".join(f"{n} = {_fraction(v)}" for n, v in point)
    gives = _show(mpmath.mpc(found[0])) if found is not None else "another value"
    return f"SymPy's value of {integral} is {value}, but mpmath's quadrature gives {gives}" + (
        f" at {at}" if at else ""
    )


def _fraction(value: Fraction) -> str:
    return str(value.numerator) if value.denominator == 1 else f"{value.numerator}/{value.denominator}"
