r"""A document step's reason that names a classical lemma (``\text{by AM-GM}``) is
checked with that rule: its side conditions are claims the engine checks, and the
verdict's method says ``rule: ...``; a reason naming no known rule stays prose."""

from __future__ import annotations

import pytest

from derive.derivation import check_derivation
from derive.documents import read_text
from derive.lemmas import AMGM, CauchySchwarz, ExpBound, Gibbs, LogBound, LogSum
from derive.reasons import rule_named
from derive.rules import Termwise
from derive.verdict import Status


@pytest.mark.parametrize(
    ("reason", "rule"),
    [
        ("by AM-GM", AMGM()),
        ("by AM\u2013GM", AMGM()),
        ("By Cauchy\u2013Schwarz", CauchySchwarz()),
        ("by the log-sum inequality", LogSum()),
        ("by Gibbs' inequality", Gibbs()),
        (r"by $\log x \le x - 1$", LogBound()),
        ("by log(x) <= x - 1", LogBound()),
        (r"by $e^x \ge 1 + x$", ExpBound()),
        ("termwise", Termwise()),
        (r"by $\log x \leq x - 1$, termwise", Termwise(by=LogBound())),
        ("termwise by AM-GM", Termwise(by=AMGM())),
    ],
)
def test_a_named_rule_is_read(reason, rule):
    assert rule_named(reason) == rule


@pytest.mark.parametrize("reason", ["by definition", "by the chain rule", "by Jensen", "algebra", "by AM-GM twice", ""])
def test_other_reasons_stay_prose(reason):
    assert rule_named(reason) is None


def _steps(text: str, budget: float = 10):
    (display,) = read_text("notes.md", text)
    assert display.derivation is not None, display.problem
    return check_derivation(display.derivation, budget=budget).steps


def test_a_document_step_by_am_gm_is_checked_with_the_rule():
    text = "<!-- derive: assume a > 0; b > 0 -->\n$$ \\frac{a + b}{2} \\ge \\sqrt{a b} \\text{by AM-GM} $$\n"
    (step,) = _steps(text)
    assert step.step.reason == AMGM()
    assert step.verdict.status is Status.PROVED
    assert step.verdict.method == "rule: AM-GM"
    assert step.conditions and all(v.status is Status.PROVED for _, v in step.conditions)


def test_a_document_step_by_am_gm_whose_side_condition_fails():
    """a, b may be negative here: AM-GM needs a, b >= 0, side conditions that are refuted."""
    text = "<!-- derive: assume a real; b real -->\n$$ \\frac{a + b}{2} \\ge \\sqrt{a b} \\text{by AM-GM} $$\n"
    (step,) = _steps(text)
    assert step.verdict.status is Status.REFUTED
    assert any(v.status is Status.REFUTED for _, v in step.conditions)
    assert step.rule_problem.startswith("AM-GM does not apply")


def test_a_document_step_whose_named_rule_does_not_apply_says_so():
    text = "<!-- derive: assume x > 0 -->\n$$ x - 1 \\ge \\log x \\text{by $e^x \\ge 1 + x$} $$\n"
    (step,) = _steps(text)
    assert step.verdict.method != "rule: exp(x) >= 1 + x"
    assert step.rule_problem.startswith("exp(x) >= 1 + x does not apply")


def test_prose_reasons_are_checked_as_before():
    text = "<!-- derive: assume x > 0 -->\n$$ x - 1 \\ge \\log x \\text{by the tangent line} $$\n"
    (step,) = _steps(text)
    assert step.step.reason == "by the tangent line"
    assert not step.verdict.method.startswith("rule:")
