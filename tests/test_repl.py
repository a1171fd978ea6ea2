"""A derivation, a step, a claim and a verdict render themselves in Jupyter
(``_repr_latex_``, the same LaTeX as ``derive latex``) and read well in a REPL."""

from __future__ import annotations

import pytest

from derive import get, proofs
from derive.derivation import check_derivation
from derive.parsing import parse_claim
from derive.verdict import Status


def test_derivation_and_result_render_as_derive_latex_does() -> None:
    d = get("log2-derivative-erratum")
    assert d._repr_latex_() == proofs.block(d, domain=True)
    assert d._repr_latex_().startswith("\\begin{align*}\n  &\\text{For $x > 0$.}\\\\\n")  # the domain, stated
    result = check_derivation(d)
    assert result._repr_latex_() == proofs.block(result, domain=True)
    assert r"\tag*{differentiation; REFUTED}" in result._repr_latex_()
    assert "counterexample" in result._repr_latex_() and "diagnosis: constant factor" in result._repr_latex_()


def test_one_step_can_be_rechecked_with_another_seed_and_asked_why() -> None:
    d = get("kl-jensen-as-written")
    step = d.check_step(2, seed=7, budget=5)
    assert step.verdict.status is Status.REFUTED and step.verdict.seed == 7
    why = step.why()
    assert why.startswith("step 2 (Jensen, f convex): refuted by numeric")
    assert "side condition f'' >= 0" in why and "does not apply" in why
    assert str(d.steps[1]).startswith(">= log(")
    assert d.steps[1]._repr_latex_().startswith(r"\begin{align*}")


def test_claim_and_verdict_render() -> None:
    claim = parse_claim("log(x*y) == log(x) + log(y)")
    assert r"\log{\left(x y \right)}" in claim._repr_latex_()
    from derive import check

    verdict = check(claim, budget=5)
    latex = verdict._repr_latex_()
    assert latex.startswith(r"\begin{align*}") and "REFUTED by numeric" in latex
    assert r"x = -1" in latex or "x = " in latex
    assert str(verdict).startswith("refuted: log(x*y) == log(x) + log(y)")


def test_check_step_rejects_a_step_that_does_not_exist() -> None:
    from derive.errors import DerivationError

    with pytest.raises(DerivationError, match=r"has steps 1\.\.1"):
        get("log2-derivative").check_step(2)


def test_reprs_are_short_and_readable() -> None:
    d = get("log2-derivative-erratum")
    result = check_derivation(d)
    assert repr(d) == "<Derivation log2-derivative-erratum: 1 steps, expect erratum>"
    assert repr(result) == "<DerivationResult log2-derivative-erratum: ok (refuted)>"
    assert repr(result.steps[0]).startswith("<StepResult 1: refuted by numeric")
    assert repr(result.steps[0].verdict).endswith("at {'x': '1'}>")
