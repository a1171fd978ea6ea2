"""Assertions for users' pytest suites.

>>> assert_holds("exp(x) >= 1 + x").status.value
'proved'
>>> assert_refuted("log(x*y) == log(x) + log(y)").counterexample.as_dict()
{'x': '-1', 'y': '-1'}
>>> assert_holds("x**2 >= x")
Traceback (most recent call last):
...
AssertionError: expected x**2 >= x to hold, but it is refuted (seed 0)
  method: numeric: counterexample confirmed in adaptive precision
  counterexample at x = 1/2: lhs = 0.25, rhs = 0.5
  diagnosis: missing assumption: it holds for x < 0
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from derive.claim import Claim
from derive.derivation import Derivation, DerivationResult, check_derivation
from derive.engine import DEFAULT_BUDGET, DEFAULT_SEED, check
from derive.parsing import parse_claim
from derive.verdict import Status, Verdict


def _claim(claim: Claim | str, assume: Sequence[str]) -> Claim:
    return parse_claim(claim, list(assume)) if isinstance(claim, str) else claim


def _message(expected: str, verdict: Verdict) -> str:
    lines = [f"expected {verdict.claim} to {expected}, but it is {verdict.status.value} (seed {verdict.seed})"]
    lines.append(f"  method: {verdict.method}")
    if verdict.counterexample is not None:
        lines.append(f"  counterexample {verdict.counterexample}")
    if verdict.diagnosis is not None:
        lines.append(f"  diagnosis: {verdict.diagnosis.sentence}")
    elif verdict.detail:
        lines.append(f"  detail: {verdict.detail}")
    return "\n".join(lines)


def assert_holds(
    claim: Claim | str,
    assume: Sequence[str] = (),
    *,
    proved: bool = False,
    budget: float = DEFAULT_BUDGET,
    seed: int = DEFAULT_SEED,
) -> Verdict:
    """Fail unless ``claim`` is proved or tested (only proved with ``proved=True``)."""
    verdict = check(_claim(claim, assume), budget=budget, seed=seed)
    wanted = (Status.PROVED,) if proved else (Status.PROVED, Status.TESTED)
    if verdict.status not in wanted:
        raise AssertionError(_message("be proved" if proved else "hold", verdict))
    return verdict


def assert_refuted(
    claim: Claim | str,
    assume: Sequence[str] = (),
    *,
    budget: float = DEFAULT_BUDGET,
    seed: int = DEFAULT_SEED,
) -> Verdict:
    """Fail unless ``claim`` is refuted with a confirmed counterexample."""
    verdict = check(_claim(claim, assume), budget=budget, seed=seed)
    if verdict.status is not Status.REFUTED or verdict.counterexample is None:
        raise AssertionError(_message("be refuted", verdict))
    return verdict


def assert_derivation(
    derivation: Derivation, *, budget: float = DEFAULT_BUDGET, seed: int = DEFAULT_SEED, require: str = "holds"
) -> DerivationResult:
    """Fail unless ``derivation`` meets its expectation (with ``require="proved"``,
    every step that should hold is proved); the message lists each failing step
    with its verdict and counterexample."""
    __tracebackhide__ = True  # pytest shows the failing step, not derive's frames
    if require not in ("holds", "proved"):
        raise ValueError(f"require is 'holds' or 'proved', not {require!r}")
    result = check_derivation(derivation, budget=budget, seed=seed)
    if require == "proved":
        result = result.requiring_proof()
    if not result.ok:
        raise AssertionError(f"derivation {derivation.name} (seed {seed}) does not meet its expectation:\n{result}")
    return result


def derivation_tests(*sources: str, strict: bool = False, require: str = "holds") -> Callable[..., None]:
    """One line in a test file turns every derivation of some Python files or
    modules, and every display of Markdown and LaTeX documents (or folders of
    them), into its own pytest item: ``test_notes = derivation_tests("notes.py",
    "notes.md")``. Each failing item shows the failing steps, their counterexamples
    and diagnoses; a display derive cannot read is skipped, saying why (a failure
    with ``strict=True``); ``require="proved"`` fails a derivation with a step that
    is only tested."""
    import pytest

    from derive import documents, loading
    from derive.files import is_document, is_file_argument

    items: list[object] = []
    ids: list[str] = []
    for source in sources:
        if is_document(source):
            for display in documents.read_path(source):
                items.append(display)
                ids.append(display.label)
            continue
        found = loading.from_file(source) if is_file_argument(source) else loading.from_module(source)
        items += found
        ids += [d.name for d in found]

    @pytest.mark.parametrize("derivation", items, ids=ids)
    def test_derivation(derivation: object) -> None:
        __tracebackhide__ = True
        if isinstance(derivation, documents.Display):
            if derivation.derivation is None:
                message = f"{derivation.start}: {derivation.problem}"
                if strict:
                    raise AssertionError(message)
                pytest.skip(message)
            derivation = derivation.derivation
        assert isinstance(derivation, Derivation)
        assert_derivation(derivation, require=require)

    return test_derivation
