"""derive.limits: SymPy's value of a limit is checked by evaluating the expression close
to the point, so that a wrong ``limit`` cannot be agreed with by both stages."""

from __future__ import annotations

import sympy

from derive import registry, symbolic
from derive.claim import Claim, Domain, Relation
from derive.engine import check
from derive.limits import check as check_limits
from derive.verdict import Status

z, a = sympy.symbols("z a")


def test_the_articles_limits_agree() -> None:
    for name in ("sigmoid-derivative-limit-plus", "sigmoid-derivative-limit-minus", "ce-gradient-persists"):
        step = registry.get(name).check_step(1)
        assert step.verdict.status is Status.PROVED
        assert (
            "SymPy's value of the limit agrees with the expression evaluated near it at 1 point" in step.verdict.detail
        )


def test_a_wrong_limit_leaves_the_claim_undecided(monkeypatch) -> None:
    """A wrong value would be agreed with by both stages: the true claim refuted, the false one proved."""
    right = sympy.Limit.doit
    monkeypatch.setattr(sympy.Limit, "doit", lambda self, **hints: right(self, **hints) + 1)
    symbolic._prepare.cache_clear()
    try:
        limit = sympy.Limit(sympy.sin(z) / z, z, 0)
        for rhs in (sympy.Integer(1), sympy.Integer(2)):
            verdict = check(Claim(limit, Relation.EQ, rhs), isolate=False)
            assert verdict.status is Status.UNDECIDED, verdict
            assert verdict.detail == (
                "SymPy's value of Limit(sin(z)/z, z, 0, dir='+') is 2, but the expression near it is 1.0: "
                "the claim is not checked on that value"
            )
    finally:
        symbolic._prepare.cache_clear()


def test_each_side_of_a_two_sided_limit_and_both_infinities() -> None:
    domain = Domain()
    step = sympy.Limit(sympy.Abs(z) / z, z, 0, dir="+-")
    assert check_limits([(step, sympy.Integer(1))], domain).disagreement.endswith("the expression near it is -1.0")
    falling = sympy.Limit(sympy.exp(a * z) / (1 + sympy.exp(a * z)), z, -sympy.oo)
    assert check_limits([(falling, sympy.Integer(0))], Domain().complete(("a",)).bind(("a",), _positive())).agreed == 2
    cancelling = sympy.Limit(sympy.exp(z) * (1 - 1 / (1 + sympy.exp(-z))), z, sympy.oo)  # exactly 0 at z = 1e15
    assert check_limits([(cancelling, sympy.Integer(1))], domain).agreed == 1


def test_what_does_not_settle_is_not_confirmed() -> None:
    domain = Domain()
    slow = check_limits([(sympy.Limit(1 / sympy.log(z), z, sympy.oo), sympy.Integer(1))], domain)
    assert (slow.agreed, slow.unchecked, slow.disagreement) == (0, 1, "")
    assert slow.note == "SymPy's value of the limit not confirmed: the expression does not settle near it"
    infinite = check_limits([(sympy.Limit(1 / z, z, 0), sympy.oo)], domain)
    assert infinite.unchecked == 1


def _positive():
    from derive.claim import Interval

    return Interval(sympy.Integer(0), sympy.oo, True, True)
