"""derive.quadrature: SymPy's value of an integral is checked against mpmath's
quadrature of the integral as written, so that a wrong ``integrate`` cannot be agreed
with by both stages."""

from __future__ import annotations

import sympy

from derive import registry, symbolic
from derive.claim import Claim, Domain, Relation
from derive.engine import check
from derive.quadrature import check as check_integrals
from derive.verdict import Status

x, a, t = sympy.symbols("x a t")
GAUSS = sympy.Integral(sympy.exp(-(x**2)), (x, -sympy.oo, sympy.oo))


def test_the_articles_integrals_agree_with_quadrature() -> None:
    for name in ("kl-gaussians", "entropy-positive-continuous"):
        step = registry.get(name).check_step(1)
        assert step.verdict.status is Status.PROVED
        assert "SymPy's value of the integral agrees with mpmath's quadrature at 2 points" in step.verdict.detail


def test_a_wrong_integrate_leaves_the_claim_undecided(monkeypatch) -> None:
    """Both stages would agree with a wrong value: with it, the true claim would be
    refuted and the false one proved."""
    right = symbolic._integrate
    monkeypatch.setattr(symbolic, "_integrate", lambda integral: right(integral) + sympy.Rational(1, 7))
    symbolic._prepare.cache_clear()
    try:
        for rhs in (sympy.sqrt(sympy.pi), sympy.sqrt(sympy.pi) + sympy.Rational(1, 7)):
            verdict = check(Claim(GAUSS, Relation.EQ, rhs), isolate=False)
            assert verdict.status is Status.UNDECIDED, verdict
            assert verdict.detail.startswith("SymPy's value of Integral(exp(-x**2), (x, -oo, oo)) is 1/7 + sqrt(pi)")
            assert "mpmath's quadrature gives 1.77245385090552" in verdict.detail
    finally:
        symbolic._prepare.cache_clear()


def test_a_parameter_in_the_bounds_and_two_variables() -> None:
    y = sympy.Symbol("y")
    domain = Domain().complete(("a",))
    square = sympy.Integral(x * y, (x, 0, a), (y, 0, 1))
    assert check_integrals([(square, a**2 / 4)], domain).agreed == 2
    wrong = check_integrals([(square, a**2 / 2)], domain)
    assert wrong.disagreement == (
        "SymPy's value of Integral(x*y, (x, 0, a), (y, 0, 1)) is a**2/2, "
        "but mpmath's quadrature gives 0.140625 at a = 3/4"
    )


def test_what_quadrature_cannot_confirm_is_said() -> None:
    domain = Domain()
    indefinite = check_integrals([(sympy.Integral(x, x), x**2 / 2)], domain)
    assert (indefinite.agreed, indefinite.unchecked, indefinite.disagreement) == (0, 1, "")
    assert indefinite.note == "SymPy's value of the integral not confirmed by mpmath's quadrature at any simple point"
    held = sympy.Integral(sympy.exp(-(x**4)) * sympy.log(1 + x**2), (x, 0, 1))
    unevaluated = check_integrals([(held, held)], domain)  # SymPy gave the integral back: nothing to compare
    assert unevaluated.unchecked == 1
    both = check_integrals(
        [(sympy.Integral(t, (t, 0, 1)), sympy.Rational(1, 2)), (sympy.Integral(x, x), x**2 / 2)], domain
    )
    assert both.note == (
        "SymPy's value of 1 of its 2 integrals agrees with mpmath's quadrature at 1 point; the others not confirmed"
    )


def test_a_value_right_at_the_simplest_point_only_is_caught() -> None:
    """The Gaussian KL with ``log(sigma1)`` left out is right wherever sigma1 = 1,
    as at the simplest point of the domain (mu1 = mu2 = 0, sigma1 = sigma2 = 1)."""
    claim = registry.get("kl-gaussians").claims()[0]
    ((integral, value),) = symbolic.integrals(claim.lhs, claim.domain) + symbolic.integrals(claim.rhs, claim.domain)
    assert check_integrals([(integral, value)], claim.domain).agreed == 2
    sigma1 = sympy.Symbol("sigma1")
    wrong = check_integrals([(integral, value + sympy.log(sigma1))], claim.domain)
    assert wrong.disagreement.endswith("at mu1 = 1/2, mu2 = 0, sigma1 = 1/2, sigma2 = 1/2")
