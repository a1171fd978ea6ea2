"""Property tests: identities SymPy can rewrite are never refuted; a claim off by a
nonzero constant never holds."""

import sympy
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from derive import Claim, Domain, Relation, check, positive
from derive.verdict import Status

x, y = sympy.symbols("x y")
LEAVES = st.sampled_from([x, y, sympy.Integer(1), sympy.Integer(2), sympy.Rational(1, 3), sympy.Integer(-3)])


def _combine(children):
    return st.one_of(
        st.tuples(children, children).map(lambda t: t[0] + t[1]),
        st.tuples(children, children).map(lambda t: t[0] * t[1]),
        st.tuples(children, children).map(lambda t: t[0] - t[1]),
        children.map(lambda e: e**2),
        children.map(sympy.exp),
        children.map(lambda e: sympy.log(1 + e**2)),
        children.map(sympy.sin),
    )


EXPRESSIONS = st.recursive(LEAVES, _combine, max_leaves=6)
DOMAIN = Domain.of(x=positive())
SETTINGS = settings(max_examples=50, deadline=None, derandomize=True,
                    suppress_health_check=[HealthCheck.too_slow])  # fmt: skip


@SETTINGS
@given(EXPRESSIONS)
def test_an_expression_equals_its_expansion(e):
    for rewritten in (sympy.expand(e), sympy.expand_trig(e), sympy.factor(e)):
        verdict = check(Claim(e, Relation.EQ, rewritten, DOMAIN), budget=5)
        assert verdict.status is not Status.REFUTED, str(verdict)


@SETTINGS
@given(EXPRESSIONS, st.sampled_from([sympy.Integer(1), sympy.Rational(1, 10**9), -sympy.pi, sympy.Rational(10**12)]))
def test_an_expression_never_equals_itself_plus_a_constant(e, c):
    verdict = check(
        Claim(e, Relation.EQ, e + c, DOMAIN),
        budget=5,
    )
    assert verdict.status in (Status.REFUTED, Status.UNDECIDED), str(verdict)
