"""Interval enclosures: mpmath ``iv`` (what derive.intervals uses) against
python-flint's ``arb`` balls, timed on the corpus.

For every TRUE item of tests/quality/inequalities.py in one variable whose
``lhs - rhs`` both back ends can evaluate, the box is the item's interval (an
unbounded side cut at 10 from the other end) split into 64 equal pieces; each back
end encloses ``lhs - rhs`` on every piece. Prints, per back end, the total time, how
many pieces were decided (the enclosure >= 0), and how many enclosures were not
finite; then the ratio of the times.

Run by hand: ``python -m bench.interval_backends`` (needs python-flint).
"""

from __future__ import annotations

import time
from fractions import Fraction
from typing import Any

import flint
import sympy

from derive.functions import expand_functions
from derive.intervals import UnsupportedError, enclose
from derive.parsing import parse_claim
from tests.quality.inequalities import TRUE

PIECES = 64
_ARB_FUNCTIONS = {sympy.exp: "exp", sympy.log: "log", sympy.sin: "sin", sympy.cos: "cos", sympy.tan: "tan"}


def _arb(expr: sympy.Expr, x: sympy.Symbol, ball: Any) -> Any:
    """``expr`` in arb ball arithmetic (exact rationals as balls of their value)."""
    if expr == x:
        return ball
    if expr.is_Rational:
        return flint.arb(flint.fmpq(int(expr.p), int(expr.q)))
    if expr is sympy.pi:
        return flint.arb.pi()
    if expr is sympy.E:
        return flint.arb(1).exp()
    if expr.is_Add:
        return sum((_arb(a, x, ball) for a in expr.args), flint.arb(0))
    if expr.is_Mul:
        out = flint.arb(1)
        for a in expr.args:
            out *= _arb(a, x, ball)
        return out
    if expr.is_Pow:
        base = _arb(expr.base, x, ball)
        if expr.exp.is_Integer:
            return base ** int(expr.exp)
        if expr.exp == sympy.Rational(1, 2):
            return base.sqrt()
        return base ** _arb(expr.exp, x, ball)
    name = _ARB_FUNCTIONS.get(type(expr))
    if name is None:
        raise UnsupportedError(type(expr).__name__)
    return getattr(_arb(expr.args[0], x, ball), name)()


def _items() -> list[tuple[str, sympy.Expr, sympy.Symbol, Fraction, Fraction]]:
    out = []
    for text, assume, _ in TRUE:
        claim = parse_claim(text, assume)
        if len(claim.lhs.free_symbols | claim.rhs.free_symbols) != 1 or claim.relation.value not in (">=", "<="):
            continue
        (x,) = claim.lhs.free_symbols | claim.rhs.free_symbols
        d = expand_functions(claim.lhs - claim.rhs if claim.relation.value == ">=" else claim.rhs - claim.lhs)
        dom = claim.domain.scalar(x.name)
        lo = Fraction(str(dom.lo)) if dom.lo.is_Rational else None
        hi = Fraction(str(dom.hi)) if dom.hi.is_Rational else None
        lo = lo if lo is not None else (hi - 10 if hi is not None else Fraction(-10))
        hi = hi if hi is not None else lo + 10
        out.append((text, d, x, lo, hi))
    return out


def main() -> None:
    totals = {"iv": 0.0, "arb": 0.0}
    decided = {"iv": 0, "arb": 0}
    infinite = {"iv": 0, "arb": 0}
    used = 0
    for _text, d, x, lo, hi in _items():
        width = (hi - lo) / PIECES
        pieces = [(lo + k * width, lo + (k + 1) * width) for k in range(PIECES)]
        try:
            enclose(d, {x: pieces[0]})
            _arb(d, x, flint.arb(float(lo)))
        except (UnsupportedError, TypeError, ValueError, ZeroDivisionError):
            continue
        used += 1
        start = time.perf_counter()
        for a, b in pieces:
            value = enclose(d, {x: (a, b)})
            decided["iv"] += bool(value.a >= 0)
            infinite["iv"] += not (abs(value.a) < float("inf") and abs(value.b) < float("inf"))
        totals["iv"] += time.perf_counter() - start
        start = time.perf_counter()
        for a, b in pieces:
            mid, rad = (a + b) / 2, (b - a) / 2
            ball = flint.arb(flint.fmpq(mid.numerator, mid.denominator), float(rad))
            value = _arb(d, x, ball)
            decided["arb"] += bool(value >= 0)
            infinite["arb"] += not value.is_finite()
        totals["arb"] += time.perf_counter() - start
    print(f"{used} one-variable items, {used * PIECES} enclosures each")
    for name in totals:
        print(f"{name:4} {totals[name]:7.3f} s  decided {decided[name]:5}  not finite {infinite[name]:5}")
    print(f"iv / arb time ratio {totals['iv'] / totals['arb']:.1f}")


if __name__ == "__main__":
    main()
