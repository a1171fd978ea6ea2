"""``check(claim) -> Verdict``: the stages in order, under a time budget.

The work runs in a worker process (see ``derive.budget``): the numeric stage
first (seeded float64 sampling, confirmed in high precision), then the symbolic
stages, cheapest first. Each stage reports as it finishes, so a budget that runs
out still yields what was learned: ``tested`` when the numeric stage completed,
``undecided`` otherwise.

>>> from derive.parsing import parse_claim
>>> v = check(parse_claim("log(x*y) == log(x) + log(y)"))
>>> v.status.value, v.counterexample.as_dict()
('refuted', {'x': '-1', 'y': '-1'})
>>> check(parse_claim("(x - 1)**2 >= 0")).status.value
'proved'
"""

from __future__ import annotations

import dataclasses
import re
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from derive import budget as budgets
from derive import limits as limit_check
from derive import quadrature
from derive.cache import Cache
from derive.cache import key as cache_key
from derive.claim import Claim, Relation
from derive.defaults import DEFAULT_BUDGET, DEFAULT_SEED
from derive.errors import InputError, SoundnessError
from derive.numeric import SAMPLES, Looks, NumericResult, corroborate, find_point, look_again, order_search, search
from derive.sizes import (
    is_general,
    length_range,
    prepared_instance,
    shape,
    sized_order_search,
    sized_point,
    sized_search,
)
from derive.sums import prove_general
from derive.symbolic import SymbolicResult, integrals, limits, prepare, prove
from derive.verdict import Counterexample, Status, Verdict


@dataclass(frozen=True)
class Options:
    """How to check: seconds of wall clock, the sampling seed and sample count;
    ``search=False`` leaves out the generic symbolic search (a step whose rule
    proved it needs only the numeric stage's corroboration); ``screen=True`` only
    rules a claim out (a diagnosis' candidate): a failure found in high precision
    is neither confirmed by SymPy's adaptive evaluation nor shrunk."""

    budget: float = DEFAULT_BUDGET
    seed: int = DEFAULT_SEED
    samples: int = SAMPLES
    search: bool = True
    screen: bool = False


@dataclass(frozen=True)
class Checked:
    """A verdict, and whether it is ``settled``: no time budget cut any stage
    short, so the same inputs give the same verdict on any machine (only settled
    verdicts are cached)."""

    verdict: Verdict
    settled: bool


def check(
    claim: Claim,
    *,
    budget: float = DEFAULT_BUDGET,
    seed: int = DEFAULT_SEED,
    samples: int = SAMPLES,
    isolate: bool = True,
    diagnose: bool = True,
    cache: Cache | None = None,
) -> Verdict:
    """Check ``claim`` within ``budget`` seconds; ``isolate=False`` runs in this
    process with only cooperative deadlines (no kill, no memory limit). A refuted
    claim gets a diagnosis (``derive.diagnosis``) within what is left of ``budget``.
    With a ``cache`` (``derive.cache``), a settled verdict of the same claim and
    options is read from it, and a new settled verdict written to it."""
    return checked(claim, Options(budget, seed, samples), isolate=isolate, diagnose=diagnose, cache=cache).verdict


def checked(
    claim: Claim, options: Options, *, isolate: bool = True, diagnose: bool = True, cache: Cache | None = None
) -> Checked:
    """``check`` with its options as one value, saying whether the verdict is settled. The
    budget counts from here: what this process does before the worker starts is in it."""
    started = time.monotonic()
    seed, budget = options.seed, options.budget
    if not (isinstance(seed, int) and 0 <= seed < 2**63):
        raise InputError(f"the seed must be an integer from 0 to 2**63 - 1, got {seed!r}")
    if not budget > 0:
        raise InputError(f"the budget must be a positive number of seconds, got {budget!r}")
    if is_general(claim):
        for name in shape(claim).lengths:  # the user's mistakes, said here rather than in the worker
            length_range(claim.domain, name)
    entry = cache_key("check", claim, options, diagnose) if cache is not None else ""
    if cache is not None:
        hit = cache.get(entry)
        if hit is not None:
            return Checked(hit, True)
    result = _run(claim, options, isolate, diagnose, started)
    if cache is not None and result.settled:
        cache.put(entry, result.verdict)
    elif cache is not None:
        cache.note_unsettled(entry)
    return result


def _run(claim: Claim, options: Options, isolate: bool, diagnose: bool, started: float) -> Checked:
    if isolate and not budget_inside_worker():
        left = max(options.budget - (time.monotonic() - started), MIN_WORKER_BUDGET)
        outcome = budgets.run(run_stages, (claim, dataclasses.replace(options, budget=left)), left)
        messages, finished, error = outcome.messages, outcome.finished, outcome.error
    else:
        messages = []
        error = None
        finished = True

        def report(kind: str, payload: Any) -> None:
            messages.append((kind, payload))

        run_stages(claim, options, report)
    stages = dict(messages)
    verdict = decide(claim, options, stages, finished, error)
    settled = finished and error is None and stages.get("settled") is True
    remaining = options.budget - (time.monotonic() - started)
    if diagnose and verdict.status is Status.REFUTED:
        if remaining <= MIN_DIAGNOSIS_BUDGET:
            return Checked(verdict, False)
        from derive.diagnosis import diagnose_settled

        diagnosis, complete = diagnose_settled(claim, budget=remaining, seed=options.seed, known=verdict.counterexample)
        verdict = dataclasses.replace(verdict, diagnosis=diagnosis)
        settled = settled and complete
    return Checked(verdict, settled)


MIN_WORKER_BUDGET = 0.001
"""What a worker is given when this process has spent the whole budget before starting it."""
MIN_DIAGNOSIS_BUDGET = 0.5
"""A refuted claim is diagnosed within what is left of its budget, when at least this much is."""


def budget_inside_worker() -> bool:
    """True inside a derive worker, where budgets are already enforced."""
    return budgets.in_worker()


def run_stages(claim: Claim, options: Options, report: Callable[[str, Any], None]) -> None:
    """The stages, each reporting its result (runs inside a worker)."""
    budgets.started()
    try:
        _stages(claim, options, report)
    finally:
        report("settled", not budgets.ran_out())


def _stages(claim: Claim, options: Options, report: Callable[[str, Any], None]) -> None:
    deadline = time.monotonic() + options.budget * 0.9
    if is_general(claim):
        _general_stages(claim, options, report, deadline)
        return
    lhs, rhs = (prepare(side, claim.domain) for side in (claim.lhs, claim.rhs))
    prepared = Claim(lhs, claim.relation, rhs, claim.domain, claim.over, claim.text)
    report("prepared", True)
    for kind, found, second_opinion in _SECOND_OPINIONS:  # both stages work on SymPy's values: checked first
        evaluated = found(claim.lhs, claim.domain) + found(claim.rhs, claim.domain)
        if evaluated:
            opinion = second_opinion(evaluated, claim.domain, options.seed, deadline)
            report(kind, opinion)
            if opinion.disagreement:
                return
    later: list[Looks] = []
    started = time.monotonic()
    if claim.relation is Relation.ARGMAX:
        numeric = order_search(prepared, options.seed)
    else:
        numeric = search(prepared, options.seed, options.samples, later=later, screen=options.screen)
    report("numeric", numeric)
    if numeric.failure is not None or not options.search:
        return
    report("pending", "quiet points not re-checked in high precision" if later else "")
    symbolic = prove(prepared, _reserving(deadline, started, options.budget) if later else deadline)
    report("symbolic", symbolic)
    if symbolic.status == "proved" and numeric.valid == 0:
        report("exact", corroborate(prepared))
    if symbolic.status != "proved" and _looked_again(numeric, later, report):
        return
    if symbolic.status != "proved" and claim.relation is not Relation.ARGMAX:
        report("point", find_point(prepared))


_SECOND_OPINIONS: tuple[tuple[str, Callable[..., tuple], Callable[..., Any]], ...] = (
    ("quadrature", integrals, quadrature.check),
    ("limits", limits, limit_check.check),
)
"""What ``prepare`` evaluated with SymPy, and its independent check: the stage's name,
the evaluations of a side, and the check of them."""


def _reserving(deadline: float, started: float, budget: float) -> float:
    """The symbolic stage's deadline, leaving time for the numeric work that waits
    for it (about twice what the numeric stage took so far, at most 30% of the budget)."""
    return deadline - min(2 * (time.monotonic() - started), 0.3 * budget)


def _looked_again(numeric: NumericResult, later: list[Looks], report: Callable[[str, Any], None]) -> bool:
    """The postponed high-precision looks of a claim no proof settled (reported as
    the numeric stage's evidence); True when one of them refutes it."""
    if not later:
        return False
    numeric = look_again(numeric, later)
    report("numeric", numeric)
    report("pending", "")
    return numeric.failure is not None


def _general_stages(claim: Claim, options: Options, report: Callable[[str, Any], None], deadline: float) -> None:
    """A claim over families: instances sampled, then a proof for every length
    (``derive.sums``); a claim whose lengths are all numbers is its one instance."""
    form = shape(claim)
    report("prepared", True)
    started = time.monotonic()
    if claim.relation is Relation.ARGMAX:
        sized = sized_order_search(claim, options.seed)
    else:
        sized = sized_search(claim, options.seed, options.samples, options.screen, lazy=True)
    report("numeric", sized.numeric)
    report("sizes", sized.sizes)
    if sized.numeric.failure is not None or not options.search:
        return
    report("pending", "the larger lengths not sampled" if sized.rest is not None else "")
    if sized.rest is not None:
        deadline = _reserving(deadline, started, options.budget)
    instance = None if form.sized else prepared_instance(claim, {})
    symbolic = prove_general(claim, deadline) if instance is None else prove(instance, deadline)
    report("symbolic", symbolic)
    if symbolic.status == "proved" and sized.numeric.valid == 0:
        report("exact", corroborate(prepared_instance(claim, sized.instances[0])))
    if symbolic.status != "proved" and sized.rest is not None:
        sized = sized.rest()
        report("numeric", sized.numeric)
        report("sizes", sized.sizes)
        report("pending", "")
        if sized.numeric.failure is not None:
            return
    if symbolic.status != "proved" and claim.relation is not Relation.ARGMAX:
        report("point", sized_point(claim, options.seed))


_INPUT = re.compile(r"derive\.errors\.(?:InputError|ParseError|DomainError|DefinitionError): (?P<message>.*)")


def _said(last: str) -> str:
    """The worker's error as a reason: the user's input problem in its own words
    (``cannot be evaluated: y[2] is outside y, ...``), anything else as it came.

    >>> _said("derive.errors.InputError: y[2] is outside y, which has 1 entries here")
    'cannot be evaluated: y[2] is outside y, which has 1 entries here'
    >>> _said("ZeroDivisionError: division by zero")
    'error: ZeroDivisionError: division by zero'
    """
    match = _INPUT.fullmatch(last)
    return f"cannot be evaluated: {match['message']}" if match else f"error: {last}"


def decide(claim: Claim, options: Options, stages: dict[str, Any], finished: bool, error: str | None) -> Verdict:
    """The verdict from whatever stages completed."""
    numeric: NumericResult | None = stages.get("numeric")
    symbolic: SymbolicResult | None = stages.get("symbolic")
    point: Counterexample | None = stages.get("point")
    text = str(claim)

    def verdict(status: Status, method: str, detail: str, counterexample: Counterexample | None = None) -> Verdict:
        return Verdict(
            status,
            method,
            options.seed,
            text,
            detail,
            counterexample,
            numeric.valid if numeric else 0,
            numeric.worst_residual if numeric else None,
            symbolic.steps if symbolic else (),
        )

    opinions = [stages[kind] for kind, *_ in _SECOND_OPINIONS if kind in stages]
    wrong = next((o.disagreement for o in opinions if o.disagreement), "")
    if wrong:
        return verdict(Status.UNDECIDED, "none", f"{wrong}: the claim is not checked on that value")
    sampled = _sampled(numeric)
    sizes: str = stages.get("sizes", "")
    if sizes:
        sampled = f"{sampled}; lengths sampled: {sizes}"
    sampled = "; ".join([sampled, *(o.note for o in opinions)])
    if numeric is not None and numeric.failure is not None:
        if symbolic is not None and symbolic.status == "proved":
            raise SoundnessError(f"{text}: proved by {symbolic.method} but fails {numeric.failure}")
        method = "numeric: counterexample confirmed in adaptive precision"
        if options.screen:
            method = "numeric: fails in high precision (screened, not confirmed adaptively)"
        return verdict(Status.REFUTED, method, sampled, numeric.failure)
    if symbolic is not None and symbolic.status == "proved":
        exact = stages.get("exact", 0)
        if numeric is not None and numeric.valid == 0 and exact > 0:
            return verdict(Status.PROVED, symbolic.method, f"{sampled}; {exact} simple points agree in high precision")
        if numeric is None or numeric.valid == 0:
            why = "no sample point could be evaluated" if numeric is not None else "numeric stage did not complete"
            detail = f"{symbolic.method} closed it, but {why}: a proof no valid point corroborates is not reported"
            return verdict(Status.UNDECIDED, "none", detail)
        return verdict(Status.PROVED, symbolic.method, sampled)
    if point is not None:
        method = "exact evaluation at a simple point"
        if symbolic is not None and symbolic.status == "refuted":
            method = f"{symbolic.method}; {method}"
        residue = f"lhs - rhs = {symbolic.residue}; " if symbolic is not None else ""
        return verdict(Status.REFUTED, method, residue + sampled, point)
    reasons = []
    if error is not None:
        reasons.append(_said(error.strip().splitlines()[-1]))
    if not finished:
        reasons.append(f"time budget of {options.budget:g}s spent")
    elif symbolic is not None and not symbolic.complete:
        reasons.append("symbolic stage ran out of time")
    if symbolic is not None and symbolic.status == "refuted":
        reasons.append(f"symbolic stage found lhs - rhs = {symbolic.residue} but no confirmable point")
    if sizes and symbolic is not None and symbolic.complete:
        reasons.append("no symbolic argument closes it for every length")
    if stages.get("pending"):  # what waits for the symbolic stage was not reached: say so
        reasons.append(f"{stages['pending']} (they wait for the symbolic stage)")
    if numeric is not None and numeric.enough and numeric.ambiguous == 0:
        return verdict(Status.TESTED, "numeric", "; ".join([sampled, *reasons]))
    if numeric is None:
        reasons.append("numeric stage did not complete")
    elif not numeric.enough:
        reasons.append(f"only {numeric.valid} of {numeric.drawn} sample points are valid")
    elif numeric.ambiguous:
        reasons.append(f"{numeric.ambiguous} point(s) not settled even at 1000 digits")
    return verdict(Status.UNDECIDED, "none", "; ".join(reasons))


def _sampled(numeric: NumericResult | None) -> str:
    """The numeric evidence in words; the residual is float64's, relative to the sides' size
    (``|lhs - rhs| / max(1, |lhs|, |rhs|)``), and points it flags are re-checked in high precision
    (a failure there is reported; a point that stays undecided is counted). How many points
    float64 flags is not said: where float64's error is near the flag's
    threshold, that count depends on the machine (numpy's exp and log differ in their last
    bits with the processor's vector instructions), and the same claim must read the same
    everywhere."""
    if numeric is None:
        return "no numeric evidence"
    text = f"{numeric.valid} of {numeric.drawn} sample points valid, "
    worst = "" if numeric.worst_residual is None else f"{numeric.worst_residual:.1e} of the sides' size"
    if numeric.failure is not None:
        return text + "a failure confirmed in high precision" + (f" (float64 residual up to {worst})" if worst else "")
    text += "none fails" + (f" (float64 residual at most {worst})" if worst else "")
    return text + (f"; {numeric.ambiguous} point(s) undecided in high precision" if numeric.ambiguous else "")
