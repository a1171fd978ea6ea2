"""Derivative certificates in one variable (derive/derivatives.py): true claims with an
equality point proved from an end value and the sign of a derivative; claims false
somewhere, or with a pole or a log of a negative number inside, never proved."""

from __future__ import annotations

import pytest
import sympy

from derive.claim import interval
from derive.derivatives import prove_by_derivatives
from derive.engine import check
from derive.parsing import parse_claim
from derive.verdict import Status

x = sympy.Symbol("x", positive=True)
r = sympy.Symbol("x", real=True)
oo = sympy.oo
HALF_LINE = interval(0, oo, lo_open=False)
POSITIVE = interval(0, oo)
REALS = interval(-oo, oo)

TRUE = [
    (sympy.exp(-x) - 1 + x - x**2 / 2 + x**3 / 6, x, HALF_LINE),  # four derivatives deep from 0
    (x - 1 - sympy.log(x), x, POSITIVE),  # split at the equality point 1
    (sympy.log(1 + r) - r / (1 + r), r, interval(-1, oo)),  # an open end where g is undefined
    (sympy.exp(-1) - r * sympy.exp(-r), r, REALS),  # maximum at 1, all reals
    (x**x - sympy.exp(-sympy.exp(-1)), x, POSITIVE),  # an equality point at 1/E
    (sympy.atan(x) - x / (1 + x**2), x, HALF_LINE),
    (sympy.sin(x) - x + x**3 / 6, x, HALF_LINE),
    (sympy.log(x) - 2 * (x - 1) / (x + 1), x, interval(1, oo, lo_open=False)),
    (1 / (1 + x) - sympy.exp(-x), x, HALF_LINE),  # times (1 + x) e^x: e^x - 1 - x
    (2 * (sympy.sqrt(x) - 1) - sympy.log(x), x, POSITIVE),  # x = s**2: 2 (s - 1) - 2 log s
]

FALSE = [
    # an end value below 0 (-1/1000) with the derivative of the right sign
    (sympy.exp(-x) - 1 + x - x**2 / 2 + x**3 / 6 - sympy.Rational(1, 1000), x, HALF_LINE),
    (x - 1 - sympy.log(x) - sympy.Rational(1, 100), x, POSITIVE),
    # g' = 1/x**2 >= 0 and g -> 0 at -oo, but g has a pole at 0 and is negative after it
    (-1 / r, r, REALS),
    # false far out: decreasing toward oo, where the limit is -1/1000
    (1 / (1 + x) - sympy.Rational(1, 1000), x, HALF_LINE),
    # not real for x < 0 (log of a negative number); g' = 2 log(x)/x
    (sympy.log(r) ** 2, r, interval(-1, 1)),
    # negative: its numerator x is positive, but the denominator x - 2 is negative on (0, 1)
    (x / (x - 2), x, interval(0, 1)),
    # false near x = 1/4 (sqrt(x) -> 1/2); with x = s**2 the domain of s is (0, 1/2), not (0, 1/4)
    (sympy.Rational(1, 3) - sympy.sqrt(x), x, interval(0, sympy.Rational(1, 4))),
]


@pytest.mark.parametrize(("g", "t", "dom"), TRUE, ids=[str(row[0]) for row in TRUE])
def test_true_claims_are_proved(g, t, dom):
    assert prove_by_derivatives(g, t, dom, False) is not None


@pytest.mark.parametrize(("g", "t", "dom"), FALSE, ids=[str(row[0]) for row in FALSE])
def test_false_claims_are_never_proved(g, t, dom):
    assert prove_by_derivatives(g, t, dom, False) is None


def test_strict_needs_a_positive_end_value_or_a_strict_slope():
    assert prove_by_derivatives(sympy.exp(x) - 1, x, POSITIVE, True) is not None  # e^x - 1 -> 0 at 0, slope > 0
    assert prove_by_derivatives(sympy.exp(x) - 1, x, HALF_LINE, True) is None  # g(0) = 0 is in the domain


def test_forms_of_the_same_sign_say_what_they_multiply_or_substitute():
    steps = prove_by_derivatives(1 / (1 + x) - sympy.exp(-x), x, HALF_LINE, False)
    assert steps[0] == "g0 = (lhs - rhs) * ((x + 1)*exp(x)) (a positive factor)"
    steps = prove_by_derivatives(2 * (sympy.sqrt(x) - 1) - sympy.log(x), x, POSITIVE, False)
    assert steps[0] == "g0 = lhs - rhs at x = x_s**2, x_s in (0, oo) (an increasing bijection)"


def test_the_engine_names_the_method_and_its_steps():
    verdict = check(parse_claim("x/(1 + x) <= log(1 + x)", ["x > -1"]), budget=20)
    assert verdict.status is Status.PROVED
    assert verdict.method == "symbolic: derivative certificate"
    assert any(step.startswith("split at x = 0, where g0 = 0") for step in verdict.steps)


def _one_variable(items):
    from derive.claim import Relation
    from derive.functions import expand_functions
    from derive.symbolic import assumed_symbols, prepare
    from tests.quality.inequalities import FALSE as CORPUS_FALSE

    del items
    out = []
    for text, assume, _ in CORPUS_FALSE:
        claim = parse_claim(text, assume)
        names = tuple(sorted({s.name for s in claim.lhs.free_symbols | claim.rhs.free_symbols}))
        if len(names) != 1 or not claim.domain.is_scalar(names[0]):
            continue
        symbols = assumed_symbols(claim.domain, names)
        lhs, rhs = (prepare(side, claim.domain).xreplace(symbols) for side in (claim.lhs, claim.rhs))
        d = lhs - rhs if claim.relation in (Relation.GE, Relation.GT) else rhs - lhs
        strict = claim.relation in (Relation.GT, Relation.LT)
        out.append((text, expand_functions(d), next(iter(symbols.values())), claim.domain.scalar(names[0]), strict))
    return out


@pytest.mark.parametrize(
    ("text", "g", "t", "dom", "strict"), _one_variable(None), ids=lambda v: v if isinstance(v, str) else ""
)
def test_no_false_item_of_the_corpus_gets_a_certificate(text, g, t, dom, strict):
    """The numeric stage refutes these before any certificate runs in the engine; here
    the certificate meets them alone (a wrong certificate would show here only)."""
    assert prove_by_derivatives(g, t, dom, strict) is None, text
