"""derive.gaussian_moments: whole-line integrals of Gaussian moments in closed form, only
where the closed form holds; SymPy's integrate and mpmath's quadrature are the oracles."""

from __future__ import annotations

import random

import mpmath
import pytest
import sympy

from derive import gaussian_moments, registry, symbolic

x = sympy.Symbol("x", real=True)
s = sympy.Symbol("s", positive=True)
c = sympy.Symbol("c", real=True)
r = sympy.Symbol("r", real=True)


def _corpus() -> list[sympy.Expr]:
    rng = random.Random(5)
    found = []
    for _ in range(12):
        a = rng.choice([sympy.Rational(1, 2), 2, 1 / (2 * s**2), s, 3 / s])
        terms = [
            rng.randint(-3, 3) * c ** rng.randint(0, 1) * x**k * sympy.exp(-a * x**2 + rng.choice([0, 1, c]))
            for k in rng.sample(range(7), 3)
        ]
        found.append(sympy.expand(sympy.Add(*terms)))
    return found


@pytest.mark.parametrize("integrand", _corpus(), ids=str)
def test_the_closed_form_is_sympys_integral_and_the_quadratures(integrand: sympy.Expr) -> None:
    ours = gaussian_moments.whole_line(integrand, x)
    assert ours is not None
    assert sympy.simplify(ours - sympy.integrate(integrand, (x, -sympy.oo, sympy.oo))) == 0
    at = {s: sympy.Rational(3, 4), c: sympy.Rational(-2, 3)}
    with mpmath.workdps(30):
        f = sympy.lambdify(x, integrand.subs(at), "mpmath")
        quadrature = mpmath.quad(f, [-mpmath.inf, 0, mpmath.inf])
        assert abs(quadrature - sympy.N(ours.subs(at), 30)) < mpmath.mpf(10) ** -20


@pytest.mark.parametrize(
    "integrand",
    [
        sympy.exp(-(x**2) + x),  # not centred
        sympy.exp(-r * x**2),  # r may be negative: the integral may diverge
        sympy.exp(x**2),
        x**2 * sympy.exp(-(x**3)),
        sympy.log(1 + x**2) * sympy.exp(-(x**2)),
        sympy.exp(-(x**2)) * sympy.cos(x),
        sympy.exp(-(x**2)) + x,  # one term diverges
    ],
    ids=str,
)
def test_anything_else_is_left_to_sympy(integrand: sympy.Expr) -> None:
    assert gaussian_moments.whole_line(integrand, x) is None


def test_an_odd_moment_is_zero() -> None:
    assert gaussian_moments.whole_line(x**3 * sympy.exp(-(x**2) / s), x) == 0


def test_the_articles_integrals_need_no_sympy_integrate(monkeypatch) -> None:
    sides = {
        side
        for derivation in registry.derivations()
        for claim in derivation.claims()
        for side in (claim.lhs, claim.rhs)
        if side.has(sympy.Integral)
    }
    assert len(sides) >= 2
    claims = [
        (side, claim.domain)
        for d in registry.derivations()
        for claim in d.claims()
        for side in (claim.lhs, claim.rhs)
        if side in sides
    ]
    symbolic._prepare.cache_clear()
    expected = [symbolic.integrals(side, domain) for side, domain in claims]

    def refused(*args: object, **hints: object) -> None:
        raise AssertionError("SymPy's integrate was called")

    symbolic._prepare.cache_clear()
    monkeypatch.setattr(sympy, "integrate", refused)
    try:
        assert [symbolic.integrals(side, domain) for side, domain in claims] == expected
    finally:
        symbolic._prepare.cache_clear()
