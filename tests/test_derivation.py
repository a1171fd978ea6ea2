import pytest
import sympy

from derive import (
    Derivation,
    Domain,
    Jensen,
    Monotone,
    Relation,
    Scaling,
    Simplex,
    Status,
    eq,
    ge,
    le,
    positive,
    same_argmax,
)
from derive.errors import DerivationError
from derive.rules import Differentiation, log_increasing

x, y, t, mu = sympy.symbols("x y t mu")
p1, p2, q1, q2 = sympy.symbols("p1 p2 q1 q2")


@pytest.mark.parametrize(
    ("relations", "expected"),
    [
        ((Relation.EQ, Relation.EQ), Relation.EQ),
        ((Relation.EQ, Relation.GE), Relation.GE),
        ((Relation.GE, Relation.GT), Relation.GT),
        ((Relation.LE, Relation.EQ, Relation.LT), Relation.LT),
        ((Relation.ARGMAX, Relation.EQ), Relation.ARGMAX),
    ],
)
def test_chain_composition(relations, expected):
    from derive.derivation import Step

    d = Derivation("c", "c", x, tuple(Step(r, x) for r in relations), over=("x",))
    assert d.relation is expected


@pytest.mark.parametrize(
    "relations",
    [(Relation.LE, Relation.GE), (Relation.GE, Relation.ARGMAX), (Relation.LT, Relation.GT)],
)
def test_chains_that_go_both_ways_are_rejected(relations):
    from derive.derivation import Step

    with pytest.raises(DerivationError, match="both up and down"):
        Derivation("c", "c", x, tuple(Step(r, x) for r in relations), over=("x",))


def test_erratum_must_name_existing_steps():
    with pytest.raises(DerivationError, match="do not exist"):
        Derivation("e", "e", x, (eq(x),), expect="erratum", erratum_steps=(2,))
    with pytest.raises(DerivationError, match="names its refuted steps"):
        Derivation("e", "e", x, (eq(x),), expect="erratum")


def _wrong_chain(expect="holds", erratum=()):
    return Derivation(
        "wrong",
        "one wrong step",
        sympy.log(x * y),
        (eq(sympy.log(x) + sympy.log(y)), eq(sympy.log(x) * sympy.log(y))),
        Domain.of(x=positive(), y=positive()),
        expect=expect,
        erratum_steps=erratum,
    )


def test_a_wrong_step_fails_a_derivation_that_should_hold():
    result = _wrong_chain().check()
    assert not result.ok
    assert [s.verdict.status for s in result.steps] == [Status.PROVED, Status.REFUTED]
    assert result.problems[0].startswith("step 2 is refuted at x = ")


def test_an_erratum_passes_exactly_when_its_step_is_refuted():
    assert _wrong_chain("erratum", (2,)).check().ok
    result = _wrong_chain("erratum", (1,)).check()
    assert not result.ok
    assert "step 1 is an expected erratum but is proved" in result.problems


def _kl2(relation_step):
    """Gibbs for two outcomes through Jensen with -log convex."""
    s = sympy.Symbol("s")
    rule = Jensen(sympy.Lambda(s, -sympy.log(s)), (p1, p2), (q1 / p1, q2 / p2), on=positive())
    domain = Domain().bind(("p1", "p2"), Simplex(2)).bind(("q1", "q2"), Simplex(2))
    start = p1 * sympy.log(p1 / q1) + p2 * sympy.log(p2 / q2)
    steps = (
        eq(p1 * -sympy.log(q1 / p1) + p2 * -sympy.log(q2 / p2), "log(a/b) = -log(b/a)"),
        relation_step(-sympy.log(p1 * (q1 / p1) + p2 * (q2 / p2)), rule),
        eq(-sympy.log(q1 + q2), "cancel"),
        eq(0, "q sums to 1"),
    )
    return Derivation("gibbs2", "Gibbs", start, steps, domain)


def test_jensen_rule_proves_gibbs_inequality():
    result = _kl2(ge).check()
    assert result.ok, str(result)
    assert result.steps[1].verdict.status is Status.PROVED
    assert result.steps[1].verdict.method == "rule: Jensen, f convex"
    labels = [label for label, _ in result.steps[1].conditions]
    assert "weights sum to 1" in labels
    assert all(v.status is Status.PROVED for _, v in result.steps[1].conditions)


def test_jensen_in_the_wrong_direction_is_refuted():
    result = _kl2(le).check()
    assert not result.ok
    assert result.steps[1].verdict.status is Status.REFUTED


def test_jensen_with_a_concave_function_claimed_convex_does_not_apply():
    s = sympy.Symbol("s")
    rule = Jensen(sympy.Lambda(s, sympy.log(s)), (p1, p2), (x, y), on=positive())
    d = Derivation(
        "bad-jensen",
        "log is not convex",
        p1 * sympy.log(x) + p2 * sympy.log(y),
        (ge(sympy.log(p1 * x + p2 * y), rule),),
        Domain.of(x=positive(), y=positive()).bind(("p1", "p2"), Simplex(2)),
    )
    result = d.check()
    assert not result.ok
    assert result.steps[0].verdict.status is Status.REFUTED


def test_monotone_and_scaling_rules_for_argmax_steps():
    data = sympy.symbols("x1 x2 x3")
    likelihood = sympy.Mul(*[sympy.exp(-((xi - mu) ** 2) / 2) for xi in data])
    log_likelihood = sympy.log(likelihood)
    mean = sum(-((xi - mu) ** 2) / 2 for xi in data) / 3
    d = Derivation(
        "mle",
        "likelihood to average log-likelihood",
        likelihood,
        (
            same_argmax(log_likelihood, log_increasing()),
            eq(sum(-((xi - mu) ** 2) / 2 for xi in data), "log of a product"),
            same_argmax(mean, Scaling(sympy.Rational(1, 3))),
        ),
        over=("mu",),
    )
    result = d.check()
    assert result.ok, str(result)
    assert result.steps[0].verdict.method == "rule: log is strictly increasing"
    assert result.steps[2].verdict.method == "rule: positive scaling"


def test_scaling_by_a_factor_that_depends_on_the_variable_does_not_apply():
    d = Derivation(
        "bad-scale",
        "scale by mu",
        -((x - mu) ** 2),
        (same_argmax(-mu * (x - mu) ** 2, Scaling(mu)),),
        over=("mu",),
    )
    result = d.check()
    assert not result.ok
    assert any("depends on the maximised variable" in p for p in result.problems)


def test_monotone_rule_needs_its_shape():
    d = Derivation(
        "bad-monotone",
        "not log of the previous",
        sympy.exp(-((x - mu) ** 2)),
        (same_argmax(-((x - mu) ** 4), log_increasing()),),
        over=("mu",),
    )
    result = d.check()
    assert not result.ok


def test_differentiation_rule_recomputes_the_derivative():
    good = Derivation("d", "d", sympy.Derivative(x**3, x), (eq(3 * x**2, Differentiation()),))
    bad = Derivation("d", "d", sympy.Derivative(x**3, x), (eq(3 * x**3, Differentiation()),))
    assert good.check().ok
    assert bad.check().steps[0].verdict.status is Status.REFUTED
    misplaced = Derivation("d", "d", x, (eq(x, Differentiation()),))
    assert "neither side contains a derivative" in misplaced.check().problems[0]


def test_monotone_rule_name():
    s = sympy.Symbol("s")
    assert Monotone(sympy.Lambda(s, sympy.exp(s))).name == "exp is strictly increasing"


def test_a_rule_whose_conditions_hold_cannot_rescue_a_false_step():
    from dataclasses import dataclass

    from derive.claim import Claim
    from derive.rules import Condition

    @dataclass(frozen=True)
    class Trivial:
        name: str = "trivially true"

        def conditions(self, prev, rel, expr, domain, over):
            return [Condition("1 = 1", Claim(sympy.Integer(1), Relation.EQ, sympy.Integer(1)))]

    d = Derivation("rescue", "rescue", x**2, (eq(x**3, Trivial()),))
    result = d.check()
    assert result.steps[0].verdict.status is Status.REFUTED
    assert not result.ok


@pytest.mark.parametrize("text", ["__import__('os').system('touch CANARY')", "x + 1"])
def test_text_is_never_sympified(text, tmp_path, monkeypatch):
    from derive.claim import Claim
    from derive.errors import InputError

    monkeypatch.chdir(tmp_path)
    with pytest.raises(InputError, match="parse text with parse_expr_text"):
        eq(text)
    with pytest.raises(InputError):
        Derivation("s", "s", text, (eq(x),))
    with pytest.raises(InputError):
        Claim(text, Relation.EQ, x)
    assert not (tmp_path / "CANARY").exists()
