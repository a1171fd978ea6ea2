"""derive.exp_limits: a limit at +-oo of a rational function of exp(k z) is read off at
u = exp(-+z) = 0 only where that is its value; SymPy's own limit is the oracle."""

from __future__ import annotations

import random

import pytest
import sympy

from derive import exp_limits, registry, symbolic

z = sympy.Symbol("z", real=True)
w = sympy.Symbol("w", positive=True)


def _polynomial(rng: random.Random) -> sympy.Expr:
    """A small polynomial in exp(z) and exp(-z), integer coefficients."""
    terms = [rng.randint(-3, 3) * sympy.exp(k * z) for k in rng.sample([-2, -1, 0, 1, 2], rng.randint(1, 3))]
    return sympy.Add(*terms)


def _corpus() -> list[sympy.Expr]:
    rng = random.Random(13)
    found: list[sympy.Expr] = []
    while len(found) < 24:
        expr = _polynomial(rng) / _polynomial(rng)
        if expr.is_finite is not False and expr.has(z) and not expr.has(sympy.nan, sympy.zoo):
            found.append(expr)
    return found


@pytest.mark.parametrize("point", [sympy.oo, -sympy.oo])
def test_what_is_read_off_is_sympys_limit(point: sympy.Expr) -> None:
    read = 0
    for expr in _corpus():
        node = sympy.Limit(expr, z, point)
        value = exp_limits.at_infinity(node)
        if value is not None:
            read += 1
            assert sympy.simplify(value - node.doit()) == 0, (expr, point, value)
    assert read >= 8, read  # the corpus exercises the reader, not only the fallback


def test_a_pole_at_u_zero_is_left_to_sympy() -> None:
    growing = sympy.exp(z) / (1 + sympy.exp(-z))  # 1 / (u (1 + u)) at u = exp(-z)
    assert exp_limits.at_infinity(sympy.Limit(growing, z, sympy.oo)) is None
    assert exp_limits.limit(sympy.Limit(growing, z, sympy.oo)) == sympy.oo
    cancelled = (sympy.exp(z) - sympy.exp(-z)) / (sympy.exp(z) + 1)  # u cancels: (1 - u**2) / (1 + u)
    assert exp_limits.at_infinity(sympy.Limit(cancelled, z, sympy.oo)) == 1


@pytest.mark.parametrize(
    "node",
    [
        sympy.Limit(z * sympy.exp(-z), z, sympy.oo),  # z outside an exponential
        sympy.Limit(sympy.exp(-w * z), z, sympy.oo),  # another symbol
        sympy.Limit(sympy.exp(-z / 2), z, sympy.oo),  # not an integer power of u
        sympy.Limit(sympy.log(1 + sympy.exp(-z)), z, sympy.oo),
        sympy.Limit(1 / (1 + sympy.exp(-z)), z, 0),  # a finite point
    ],
)
def test_anything_else_is_left_to_sympy(node: sympy.Limit) -> None:
    assert exp_limits.at_infinity(node) is None
    assert exp_limits.limit(node) == node.doit()


def test_the_articles_limits_need_no_general_algorithm(monkeypatch) -> None:
    nodes = {
        node
        for derivation in registry.derivations()
        for claim in derivation.claims()
        for side in (claim.lhs, claim.rhs)
        for node in sympy.preorder_traversal(side)
        if isinstance(node, sympy.Limit)
    }
    assert len(nodes) >= 4
    expected = {node: symbolic.limits(node) for node in nodes}

    def refused(*args: object, **hints: object) -> None:
        raise AssertionError("SymPy's limit algorithm was called")

    symbolic._prepare.cache_clear()
    monkeypatch.setattr(sympy.Limit, "doit", refused)
    try:
        assert {node: symbolic.limits(node) for node in nodes} == expected
    finally:
        symbolic._prepare.cache_clear()
