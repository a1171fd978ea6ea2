"""mpmath's ``iv`` (what derive uses) against python-flint's ``arb`` (ball
arithmetic), on the enclosures branch and bound needs: every inequality of the
corpus (tests/quality/inequalities.py, fixed size), ``lhs - rhs`` enclosed over
64 sub-boxes of its domain (unbounded sides cut at 10). Times both, and counts the
boxes each decides (the enclosure's lower end >= 0).

Run by hand: ``python -m bench.interval_backends`` (needs ``pip install python-flint``).
"""

from __future__ import annotations

import itertools
import time
from fractions import Fraction
from typing import Any

import flint
import sympy

from derive.claim import Interval
from derive.functions import expand_functions
from derive.intervals import UnsupportedError, enclose
from derive.parsing import parse_claim
from derive.sizes import is_general
from derive.symbolic import prepare
from tests.quality.inequalities import FALSE, HELD_BACK_TRUE, TRUE

PIECES = 64


def _arb(expr: sympy.Expr, box: dict[sympy.Symbol, Any]) -> Any:
    if expr.is_Symbol:
        return box[expr]
    if expr.is_Rational:
        return flint.arb(flint.fmpq(int(expr.p), int(expr.q)))
    if expr is sympy.pi:
        return flint.arb.pi()
    if expr is sympy.E:
        return flint.arb.const_e()
    if expr.is_Add or expr.is_Mul:
        values = [_arb(a, box) for a in expr.args]
        total = values[0]
        for v in values[1:]:
            total = total + v if expr.is_Add else total * v
        return total
    if expr.is_Pow:
        base = _arb(expr.base, box)
        if expr.exp.is_Integer:
            return base ** int(expr.exp)
        return (_arb(expr.exp, box) * base.log()).exp()
    function = {sympy.exp: "exp", sympy.log: "log", sympy.sin: "sin", sympy.cos: "cos"}.get(type(expr))
    if function is None:
        raise UnsupportedError(type(expr).__name__)
    return getattr(_arb(expr.args[0], box), function)()


def _boxes(variables: list[sympy.Symbol], domain: Any) -> list[dict[sympy.Symbol, tuple[Fraction, Fraction]]]:
    sides = []
    for v in variables:
        dom = domain.scalar(v.name) if domain.is_scalar(v.name) else Interval(sympy.Integer(-10), sympy.Integer(10))
        lo, hi = _end(dom.lo, -10), _end(dom.hi, 10)
        cuts = max(1, round(PIECES ** (1 / len(variables))))
        step = (hi - lo) / cuts
        sides.append([(lo + k * step, lo + (k + 1) * step) for k in range(cuts)])
    return [dict(zip(variables, combo, strict=True)) for combo in itertools.product(*sides)]


def _end(value: sympy.Expr, cut: int) -> Fraction:
    if not value.is_finite:
        return Fraction(cut)
    return Fraction(str(sympy.nsimplify(value.evalf(8), rational=True)))


def main() -> None:
    timings = {"iv": 0.0, "arb": 0.0}
    decided = {"iv": 0, "arb": 0}
    total = 0
    for text, assumptions, _ in [*TRUE, *HELD_BACK_TRUE, *FALSE]:
        claim = parse_claim(text, assumptions)
        if is_general(claim) or claim.relation.value == "=":
            continue
        d = expand_functions(prepare(claim.lhs - claim.rhs, claim.domain))
        d = d if claim.relation.value in (">=", ">") else -d
        variables = sorted(d.free_symbols, key=str)
        if not variables:
            continue
        boxes = _boxes(variables, claim.domain.complete(tuple(v.name for v in variables)))
        try:
            start = time.perf_counter()
            low = [enclose(d, box).a for box in boxes]
            timings["iv"] += time.perf_counter() - start
            start = time.perf_counter()
            balls = [
                _arb(d, {v: flint.arb(flint.fmpq(lo.numerator, lo.denominator)).union(
                    flint.arb(flint.fmpq(hi.numerator, hi.denominator))) for v, (lo, hi) in box.items()})
                for box in boxes
            ]  # fmt: skip
            timings["arb"] += time.perf_counter() - start
        except (UnsupportedError, ZeroDivisionError, ValueError):
            continue
        total += len(boxes)
        decided["iv"] += sum(bool(a >= 0) for a in low)
        decided["arb"] += sum(bool(b.is_finite() and b.lower() >= 0) for b in balls)
    for name in ("iv", "arb"):
        print(f"{name:4} {timings[name]:7.3f} s for {total} boxes ({timings[name] / total * 1e6:6.0f} us a box), "
              f"{decided[name]} decided")  # fmt: skip
    print(f"arb is {timings['iv'] / timings['arb']:.1f}x faster than iv")


if __name__ == "__main__":
    main()
