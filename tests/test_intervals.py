"""Interval branch and bound on unbounded boxes: a tail [X, oo) is decided by its
enclosure or by monotonicity toward the infinite end, where SymPy's limit must
have the right sign; a claim that fails far out is never proved."""

from fractions import Fraction

import pytest
import sympy

from derive.engine import check
from derive.intervals import INF, branch_and_bound
from derive.parsing import parse_claim
from derive.verdict import Status

x = sympy.Symbol("x")
ZERO, ONE = Fraction(0), Fraction(1)

# (f, box of x, strict, status)
TABLE = [
    (sympy.exp(x) - 1 - x, (-INF, INF), False, "proved"),
    (sympy.exp(x) - 1 - x - x**2 / 2, (ZERO, INF), False, "proved"),
    (x - 1 - sympy.log(x), (ONE, INF), False, "proved"),
    (1 / (1 + x), (ZERO, INF), False, "proved"),
    (sympy.exp(-x) + 1, (-INF, ZERO), True, "proved"),
    # the enclosure of a tail straddles 0 ([-1, oo)); decreasing toward oo, where the limit is 0
    ((1 + x) / x - 1, (ONE, INF), False, "proved"),
    (sympy.log(1 + 1 / x) - 1 / (1 + x), (ONE, INF), False, "proved"),
    # false far out: decreasing toward oo, where the limit is -1/1000
    (1 / (1 + x) - sympy.Rational(1, 1000), (ZERO, INF), False, "unknown"),
    # false on the negative half-line (exp(-1) < 1/2)
    (sympy.exp(x) - 1 - x - x**2 / 2, (-INF, INF), False, "unknown"),
    # true but tight at oo: a limit of 0 does not make it strictly positive
    (1 / (1 + x), (ZERO, INF), True, "unknown"),
]


@pytest.mark.parametrize(("f", "side", "strict", "status"), TABLE, ids=[f"{row[0]} on {row[1]}" for row in TABLE])
def test_branch_and_bound_on_unbounded_boxes(f, side, strict, status):
    result = branch_and_bound(f, {x: side}, strict, max_boxes=2000)
    assert result.status == status, result.detail


def test_a_claim_on_a_half_line_is_proved():
    """Proved by interval arithmetic until the derivative certificate (tried first) took it."""
    verdict = check(parse_claim("exp(x) >= 1 + x + x**2/2", ["x >= 0"]))
    assert verdict.status is Status.PROVED
    assert verdict.method == "symbolic: derivative certificate"
