"""Steps as written: the Python API keeps the author's form for printing and checks the
same expression evaluated; the printer never simplifies a written step."""

from __future__ import annotations

import sympy

from derive import registry
from derive.claim import Domain, Family, positive
from derive.derivation import Derivation, eq
from derive.latex import latex
from derive.proofs import block, domain_sentence
from derive.verdict import Status
from derive.writing import Written, as_written, evaluated, written

i, n = sympy.symbols("i n")
P, Q = sympy.IndexedBase("p"), sympy.IndexedBase("q")


def _elbo() -> Derivation:
    """The ELBO's "multiply and divide by q": log sum_i p_i = log sum_i q_i p_i / q_i."""
    with written():
        multiplied = sympy.log(sympy.Sum(Q[i] * P[i] / Q[i], (i, 1, n)))
    return Derivation(
        name="elbo-multiply-divide",
        title="Multiply and divide by q",
        start=sympy.log(sympy.Sum(P[i], (i, 1, n))),
        steps=(eq(multiplied, "multiply and divide by $q_i$"),),
        domain=Domain().bind(("p",), Family(positive())).bind(("q",), Family(positive())),
    )


def test_a_written_step_prints_as_written_and_is_checked_evaluated() -> None:
    d = _elbo()
    step = d.steps[0]
    assert step.written and isinstance(step.expr, Written)
    assert r"\frac{q_{i} p_{i}}{q_{i}}" in block(d)
    claim = d.claims()[0]
    assert claim.rhs == claim.lhs == sympy.log(sympy.Sum(P[i], (i, 1, n)))  # what is checked: evaluated
    result = d.check()
    assert result.ok and result.steps[0].verdict.status is Status.PROVED


def test_evaluation_is_off_only_inside_the_block() -> None:
    half = sympy.Rational(1, 2)
    with written():
        binary = -half * sympy.log(half) - (1 - half) * sympy.log(1 - half)
    assert evaluated(binary) == sympy.log(2)
    assert latex(as_written(binary)) == (
        r"- \frac{1}{2} \log{\left(\frac{1}{2} \right)}"
        r" - \left(1 - \frac{1}{2}\right) \log{\left(1 - \frac{1}{2} \right)}"
    )
    assert sympy.Integer(1) + 1 == 2  # outside the block SymPy evaluates as ever


def test_a_factor_in_front_stays_in_front() -> None:
    m = sympy.Symbol("m")
    with written():
        loss = 1 / (2 * m) * sympy.Sum((P[i] - Q[i]) ** 2, (i, 1, m))
    assert latex(as_written(loss)) == r"\frac{1}{2 m} \sum_{i=1}^{m} \left(p_{i} - q_{i}\right)^{2}"
    assert latex(evaluated(loss)) == r"\frac{\sum_{i=1}^{m} \left(p_{i} - q_{i}\right)^{2}}{2 m}"


def test_the_authors_term_order_is_kept() -> None:
    y, z = sympy.symbols("y z")
    with written():
        step = sympy.exp(z) - y + 1
    assert latex(as_written(step)) == "e^{z} - y + 1"
    assert latex(step.doit()) == "- y + e^{z} + 1"  # SymPy's order, for contrast


def test_an_evaluated_step_is_not_marked() -> None:
    x = sympy.Symbol("x")
    d = Derivation("plain", "Plain", sympy.exp(sympy.log(x)), (eq(x, "exp and log"),), Domain.of(x=positive()))
    assert not d.steps[0].written and not isinstance(d.start, Written)


def test_the_articles_written_steps_print_as_the_article_writes_them() -> None:
    def rows(name: str) -> str:
        return block(registry.get(name))

    assert r"- \log{\left(\sum_{i=1}^{n} p_{i} \frac{q_{i}}{p_{i}} \right)}" in rows("kl-nonnegative")
    assert r"\frac{\partial}{\partial w} L(w, b)" in rows("mse-batch-gradient-w")
    stated = domain_sentence(registry.get("mse-batch-gradient-w"))
    assert (
        r"where $L(w, b) = \frac{1}{2 m} \sum_{i=1}^{m} \left(\sigma\left(w x_{i} + b\right) - y_{i}\right)^{2}$"
        in stated
    )
    assert r"& \sigma\left(0\right) \left(1 - \sigma\left(0\right)\right)" in rows("sigmoid-derivative-at-zero")
    assert r"& - \log{\left(1 \right)}" in rows("self-information-zero-for-certain-event")
    assert r"\frac{1}{\sqrt{2 \pi \sigma^{2}}} e^{- \frac{\left(x_{i} - \mu\right)^{2}}{2 \sigma^{2}}}" in rows(
        "likelihood-iid-factorises"
    )


def test_a_step_held_as_written_is_evaluated_once() -> None:
    """Deciding that a step is held as written evaluates it; its tidied copy (SymPy's
    factor 1 dropped from the sum's body) is known to evaluate the same, not evaluated again."""
    from derive.writing import written_form

    x, n = sympy.symbols("x n")
    with written():
        held = sympy.Sum(x**2, (x, 1, n)) + sympy.Sum(x**2, (x, 1, n))
    kept = written_form(held)
    assert isinstance(kept, Written) and kept.expr is not held  # tidied: a new expression
    assert evaluated(kept) is evaluated(held)
    assert evaluated(kept) == 2 * sympy.Sum(x**2, (x, 1, n))
