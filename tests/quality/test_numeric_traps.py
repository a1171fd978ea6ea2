"""Numeric traps, each with the verdict it must get: catastrophic cancellation,
overflow, NaN regions, branch cuts, a difference confined to a narrow region, and a
difference below float64 resolution. (tests/test_check.py holds more.)"""

from __future__ import annotations

import pytest

from derive.engine import check
from derive.parsing import parse_claim
from derive.verdict import Status

P, T, R = Status.PROVED, Status.TESTED, Status.REFUTED

TRAPS = [
    # overflow: exp(1000) is inf in float64
    ("overflow", "exp(x + 1000) == exp(x)*exp(1000)", [], {P}),
    ("overflow", "log(exp(1000)*x) == 1000 + log(x)", ["x > 0"], {P}),
    ("overflow", "exp(1000)*x - exp(1000)*x + 1 == 1", [], {P}),
    # catastrophic cancellation
    ("cancellation", "(exp(x) - exp(-x))/2 == sinh(x)", [], {P}),
    ("cancellation", "1 + x - 1 == x + 10**(-30)", [], {R}),
    ("cancellation", "(10**100 + x)*(10**100 - x) == 10**200", [], {R}),
    # NaN regions and branch cuts (principal branches, as SymPy defines them)
    ("NaN region", "sqrt(x - 1)*sqrt(x - 1) == x - 1", [], {P}),
    ("branch cut", "sqrt(x**2 - 1) == sqrt(x - 1)*sqrt(x + 1)", [], {R}),
    ("branch cut", "log(x*y) == log(x) + log(y)", [], {R}),
    ("branch cut", "atan(x) + atan(1/x) == pi/2", [], {R}),
    # a difference confined to a narrow region
    ("narrow region", "x == x + max(0, 1/10**3 - abs(x - 1234/10**4))", [], {R}),
    ("narrow region", "x == x + max(0, 1/10**7 - abs(x - 1234567/10**7))", [], {R}),
    ("narrow region", "abs(x - 1/3) >= 1/10**6", [], {R}),
    # below float64 resolution
    ("below float64", "atan(x) == atan(x) + 10**(-16)*x", [], {R}),
    ("below float64", "sqrt(x**2 + 10**(-40)) == abs(x)", [], {R}),
    ("below float64", "sqrt(x**2 + 10**(-40)) > abs(x)", [], {P, T}),
    ("below float64", "x + 1/10**20 == x", [], {R}),
    # a truncated series: wrong, by little
    ("truncation", "log(1 + x) - x == -x**2/2 + x**3/3 - x**4/4", ["-1/2 < x < 1/2"], {R}),
]


@pytest.mark.parametrize(("kind", "text", "assume", "statuses"), TRAPS, ids=[f"{t[0]}: {t[1]}" for t in TRAPS])
def test_trap(kind: str, text: str, assume: list[str], statuses: set[Status]) -> None:
    verdict = check(parse_claim(text, assume), diagnose=False)
    assert verdict.status in statuses, str(verdict)
    if verdict.status is R:
        assert verdict.counterexample is not None
