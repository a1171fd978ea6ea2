"""Derivations: a start expression and a chain of steps, each checked, the chain
composed, the result compared with what is expected of it.

>>> import sympy
>>> from derive.claim import Domain, positive
>>> x = sympy.Symbol("x")
>>> d = Derivation(
...     name="demo", title="A tiny chain", start=sympy.exp(sympy.log(x)),
...     steps=(eq(x, "exp and log are inverse"), ge(sympy.log(x) + 1, "x - 1 >= log x")),
...     domain=Domain.of(x=positive()))
>>> d.relation
<Relation.GE: '>='>
>>> result = d.check()
>>> [s.verdict.status.value for s in result.steps], result.ok
(['proved', 'proved'], True)
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

import sympy

from derive import faster_sympy
from derive.budget import fork, job_count
from derive.cache import Cache
from derive.claim import Claim, Domain, Relation, as_expr
from derive.definitions import check_definitions, expand_definitions
from derive.engine import DEFAULT_BUDGET, DEFAULT_SEED, Options, checked
from derive.errors import DerivationError
from derive.prose import plain
from derive.rules import Algebra, Inapplicable, Rule, does_not_apply
from derive.verdict import Status, Verdict
from derive.writing import Written, evaluated, written_form

_NAME = re.compile(r"[a-z0-9][a-z0-9_-]*\Z")


@dataclass(frozen=True)
class Step:
    """``REL expr``, justified by ``reason`` (text for plain algebra, or a Rule)."""

    relation: Relation
    expr: sympy.Expr
    reason: str | Rule = "algebra"

    def __post_init__(self) -> None:
        object.__setattr__(self, "expr", written_form(as_expr(self.expr)))

    @property
    def written(self) -> bool:
        """Whether the step is held as written (``derive.writing``): it prints as built,
        and its claim is the same expression evaluated."""
        return isinstance(self.expr, Written)

    @property
    def rule(self) -> Rule:
        return Algebra(self.reason) if isinstance(self.reason, str) else self.reason

    @property
    def reason_text(self) -> str:
        return self.reason if isinstance(self.reason, str) else self.reason.name

    def __str__(self) -> str:
        return f"{self.relation.symbol} {self.expr}    ({plain(self.reason_text)})"

    def _repr_latex_(self) -> str:
        from derive.proofs import step_block

        return step_block(self)


def eq(expr: sympy.Expr, reason: str | Rule = "algebra") -> Step:
    """A step ``= expr``."""
    return Step(Relation.EQ, as_expr(expr), reason)


def le(expr: sympy.Expr, reason: str | Rule = "algebra") -> Step:
    return Step(Relation.LE, as_expr(expr), reason)


def ge(expr: sympy.Expr, reason: str | Rule = "algebra") -> Step:
    return Step(Relation.GE, as_expr(expr), reason)


def lt(expr: sympy.Expr, reason: str | Rule = "algebra") -> Step:
    return Step(Relation.LT, as_expr(expr), reason)


def gt(expr: sympy.Expr, reason: str | Rule = "algebra") -> Step:
    return Step(Relation.GT, as_expr(expr), reason)


def same_argmax(expr: sympy.Expr, reason: str | Rule = "algebra") -> Step:
    """A step ``≅argmax expr``: the same maximiser over the derivation's ``over``."""
    return Step(Relation.ARGMAX, as_expr(expr), reason)


@dataclass(frozen=True)
class Derivation:
    """A named chain ``start REL1 e1 REL2 e2 ...`` over ``domain``.

    ``expect`` is ``"holds"``, ``"erratum"`` or ``"refuted"`` (some step, whichever, is
    refuted: a known wrong display of a document); an erratum names in ``erratum_steps``
    the (1-based) steps expected to be refuted: its check passes exactly when those
    steps are refuted with a counterexample and every other step holds. An erratum
    names in ``corrected_by`` the derivations that state the corrected result.
    """

    name: str
    title: str
    start: sympy.Expr
    steps: tuple[Step, ...]
    domain: Domain = field(default_factory=Domain)
    source: tuple[str, ...] = ()
    expect: str = "holds"
    erratum_steps: tuple[int, ...] = ()
    over: tuple[str, ...] = ()
    section: str = "examples"
    note: str = ""
    corrected_by: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        if not _NAME.match(self.name):
            raise DerivationError(f"derivation name {self.name!r}: use lowercase letters, digits, - and _")
        if not self.steps:
            raise DerivationError(f"derivation {self.name} has no steps")
        object.__setattr__(self, "start", written_form(as_expr(self.start)))
        object.__setattr__(self, "steps", tuple(self.steps))
        object.__setattr__(self, "source", tuple(self.source))
        object.__setattr__(self, "erratum_steps", tuple(self.erratum_steps))
        object.__setattr__(self, "over", tuple(sorted(self.over)))
        object.__setattr__(self, "corrected_by", tuple(self.corrected_by))
        if self.expect not in ("holds", "erratum", "refuted"):
            raise DerivationError(f"{self.name}: expect must be 'holds', 'erratum' or 'refuted', not {self.expect!r}")
        if (self.expect == "erratum") != bool(self.erratum_steps):
            raise DerivationError(f"{self.name}: an erratum names its refuted steps, and only an erratum does")
        if self.corrected_by and self.expect != "erratum":
            raise DerivationError(f"{self.name}: only an erratum names the derivations that correct it")
        bad = [i for i in self.erratum_steps if not 1 <= i <= len(self.steps)]
        if bad:
            raise DerivationError(f"{self.name}: erratum step(s) {bad} do not exist (1..{len(self.steps)})")
        if self.relation is None:
            raise DerivationError(f"{self.name}: the chain goes both up and down, so it proves nothing")
        check_definitions([evaluated(e) for e in self.expressions()], self.name)

    @property
    def relation(self) -> Relation | None:
        """What the chain says about ``start`` and its last expression."""
        composed: Relation | None = Relation.EQ
        for step in self.steps:
            if composed is None:
                return None
            if step.relation is Relation.ARGMAX or composed is Relation.ARGMAX:
                ok = {step.relation, composed} <= {Relation.EQ, Relation.ARGMAX}
                composed = Relation.ARGMAX if ok else None
                continue
            composed = composed.compose(step.relation)
        return composed

    def expressions(self) -> list[sympy.Expr]:
        return [self.start, *(s.expr for s in self.steps)]

    def claims(self) -> list[Claim]:
        """Step i (from 1) is ``expressions[i-1] REL_i expressions[i]``, evaluated (a step
        held as written is checked as SymPy evaluates it), definitions expanded."""
        exprs = [expand_definitions(evaluated(e)) for e in self.expressions()]
        over = self.over if any(s.relation is Relation.ARGMAX for s in self.steps) else ()
        return [
            Claim(exprs[i], s.relation, exprs[i + 1], self.domain, over if s.relation is Relation.ARGMAX else ())
            for i, s in enumerate(self.steps)
        ]

    def check(
        self, *, budget: float = DEFAULT_BUDGET, seed: int = DEFAULT_SEED, cache: Cache | None = None
    ) -> DerivationResult:
        return check_derivation(self, budget=budget, seed=seed, cache=cache)

    def check_step(
        self, index: int, *, budget: float = DEFAULT_BUDGET, seed: int = DEFAULT_SEED, cache: Cache | None = None
    ) -> StepResult:
        """Check step ``index`` (1-based) alone, e.g. again with another seed or budget."""
        claim = self.step_claim(index)
        return _check_step(index, self.steps[index - 1], claim, self.over, Options(budget, seed), cache)

    def _repr_latex_(self) -> str:
        from derive.proofs import block

        return block(self, domain=True)

    def __repr__(self) -> str:
        return f"<Derivation {self.name}: {len(self.steps)} steps, expect {self.expect}>"

    def step_claim(self, index: int) -> Claim:
        """The claim of step ``index`` (1-based)."""
        if not 1 <= index <= len(self.steps):
            raise DerivationError(f"{self.name} has steps 1..{len(self.steps)}, not {index}")
        return self.claims()[index - 1]

    def __str__(self) -> str:
        lines = [
            f"{self.name}: {plain(self.title)}  [{', '.join(self.source) or 'no claim ids'}; expect {self.expect}]"
        ]
        lines.append(f"      {self.start}")
        for i, s in enumerate(self.steps, 1):
            lines.append(f"  {i:>2}. {s.relation.symbol} {s.expr}    ({plain(s.reason_text)})")
        return "\n".join(lines)


@dataclass(frozen=True)
class StepResult:
    """One step's verdict, and the side conditions of its rule with their verdicts."""

    index: int
    step: Step
    verdict: Verdict
    conditions: tuple[tuple[str, Verdict], ...] = ()
    rule_problem: str = ""

    def why(self) -> str:
        """The verdict's method and evidence, then each side condition of the step's rule."""
        lines = [f"step {self.index} ({plain(self.step.reason_text)}): {self.verdict.why()}"]
        lines += [f"  side condition {label}: {v.status.value} [{v.method}] {v.detail}" for label, v in self.conditions]
        if self.rule_problem:
            lines.append(f"  {self.rule_problem}")
        return "\n".join(line.rstrip() for line in lines)

    def __str__(self) -> str:
        return self.why()

    def __repr__(self) -> str:
        return f"<StepResult {self.index}: {self.verdict.status.value} by {self.verdict.method}>"


@dataclass(frozen=True)
class DerivationResult:
    derivation: Derivation
    steps: tuple[StepResult, ...]
    problems: tuple[str, ...]

    @property
    def ok(self) -> bool:
        return not self.problems

    def requiring_proof(self) -> DerivationResult:
        """This result with every step that holds only by testing named as a problem
        (``derive check --require proved``): a CI job that wants proofs, not evidence.

        >>> import sympy
        >>> x = sympy.Symbol("x", positive=True)
        >>> d = Derivation("t", "T", sympy.gamma(x), (Step(Relation.GE, sympy.Rational(1, 2)),))
        >>> d.check().requiring_proof().problems
        ('step 1 is tested, not proved (required: proved)',)
        """
        extra = tuple(f"step {s.index} is tested, not proved (required: proved)" for s in self.tested_steps)
        return DerivationResult(self.derivation, self.steps, self.problems + extra)

    @property
    def tested_steps(self) -> tuple[StepResult, ...]:
        """The steps that hold only by sampling (expected refutations aside)."""
        if self.derivation.expect == "refuted":
            return ()
        erratum = self.derivation.erratum_steps
        return tuple(s for s in self.steps if s.verdict.status is Status.TESTED and s.index not in erratum)

    def _repr_latex_(self) -> str:
        from derive.proofs import block

        return block(self, domain=True)

    def __repr__(self) -> str:
        statuses = ", ".join(s.verdict.status.value for s in self.steps)
        return f"<DerivationResult {self.derivation.name}: {'ok' if self.ok else 'FAIL'} ({statuses})>"

    def __str__(self) -> str:
        d = self.derivation
        mark = "ok" if self.ok else "FAIL"
        lines = [f"{mark:4} {d.name} ({d.expect}): {plain(d.title)}"]
        for s in self.steps:
            lines.append(f"     step {s.index}: {s.verdict.status.value} [{s.verdict.method}]")
            if s.verdict.counterexample is not None:
                lines.append(f"       counterexample {s.verdict.counterexample}")
            if s.verdict.status is Status.REFUTED:
                diagnosis = s.verdict.diagnosis
                lines.append(f"       diagnosis: {diagnosis.sentence if diagnosis else 'no simple diagnosis'}")
        lines += [f"     problem: {p}" for p in self.problems]
        return "\n".join(lines)


def _check_step(
    index: int, step: Step, claim: Claim, over: tuple[str, ...], options: Options, cache: Cache | None
) -> StepResult:
    """The rule first: when its side conditions are all proved, the step needs
    only the numeric stage (a counterexample still refutes it); otherwise the
    generic symbolic search runs as well."""
    rule = step.rule
    conditions = rule.conditions(claim.lhs, claim.relation, claim.rhs, claim.domain, over)
    if isinstance(conditions, Inapplicable):
        verdict = checked(claim, options, cache=cache).verdict
        return StepResult(index, step, verdict, (), does_not_apply(rule, [conditions.reason]))
    results = tuple((c.label, checked(c.claim, options, diagnose=False, cache=cache).verdict) for c in conditions)
    by_rule = bool(results) and all(v.status is Status.PROVED for _, v in results)
    verdict = checked(claim, dataclasses.replace(options, search=not by_rule), cache=cache).verdict
    failed = [c.sentence for c, (_, v) in zip(conditions, results, strict=True) if v.status is Status.REFUTED]
    problem = does_not_apply(rule, failed) if failed else ""
    if by_rule and verdict.holds:  # a rule's proof that no sample corroborates stays undecided
        verdict = Verdict(
            Status.PROVED,
            f"rule: {rule.name}",
            verdict.seed,
            verdict.claim,
            "side conditions proved: " + "; ".join(label for label, _ in results),
            None,
            verdict.samples,
            verdict.worst_residual,
            verdict.steps,
        )
    return StepResult(index, step, verdict, results, problem)


def check_derivation(
    derivation: Derivation,
    *,
    budget: float = DEFAULT_BUDGET,
    seed: int = DEFAULT_SEED,
    cache: Cache | None = None,
) -> DerivationResult:
    """Check every step and compare with the derivation's expectation (with a
    ``cache``, see ``derive.cache``, verdicts already settled are read from it)."""
    options = Options(budget, seed)
    results = tuple(
        _check_step(i, step, claim, derivation.over, options, cache)
        for i, (step, claim) in enumerate(zip(derivation.steps, derivation.claims(), strict=True), 1)
    )
    return DerivationResult(derivation, results, tuple(_problems(derivation, results)))


def check_many(
    derivations: Sequence[Derivation],
    *,
    budget: float = DEFAULT_BUDGET,
    seed: int = DEFAULT_SEED,
    jobs: int | str = 1,
    cache: Cache | None = None,
) -> list[DerivationResult]:
    """Check ``derivations``, ``jobs`` steps at a time (each check runs in a worker
    process; ``"auto"``: one per core); the results come back in the order given.
    The steps of all derivations share the jobs, the costliest first (a refuted
    step is diagnosed, a rule adds side conditions), so that one long derivation
    does not keep a single job busy alone at the end."""
    workers = job_count(jobs)
    options = Options(budget, seed)
    units = [
        (d, k, step, claim)
        for d in derivations
        for k, (step, claim) in enumerate(zip(d.steps, d.claims(), strict=True), 1)
    ]
    order = sorted(range(len(units)), key=lambda u: -_expected_cost(*units[u]))
    if units:  # workers forked now hold the claims: a task names its claim rather than sending it
        faster_sympy.settle()
        fork(workers, [options, *(claim for *_, claim in units)])
    futures = {}
    with ThreadPoolExecutor(max_workers=workers) as pool:
        for u in order:
            d, k, step, claim = units[u]
            futures[u] = pool.submit(_check_step, k, step, claim, d.over, options, cache)
        done = iter([futures[u].result() for u in range(len(units))])
    results = []
    for d in derivations:
        steps = tuple(next(done) for _ in d.steps)
        results.append(DerivationResult(d, steps, tuple(_problems(d, steps))))
    return results


def _expected_cost(derivation: Derivation, index: int, step: Step, claim: Claim) -> int:
    """A step's expected cost: a refuted step is diagnosed, a rule adds side conditions,
    an inequality has more certificates to try than an equality, and an integral, a
    substitution or a limit is evaluated first. (The costliest start first, so that
    none of them is left to run alone at the end.)

    >>> x = sympy.Symbol("x")
    >>> d = Derivation("costs", "", sympy.exp(x), [Step(Relation.GE, x + 1, "tangent"), Step(Relation.EQ, x + 1)])
    >>> [_expected_cost(d, k, s, c) for k, (s, c) in enumerate(zip(d.steps, d.claims()), 1)]
    [3, 1]
    """
    refuted = index in derivation.erratum_steps or derivation.expect == "refuted"
    rule = not isinstance(step.reason, str)
    inequality = claim.relation not in (Relation.EQ, Relation.ARGMAX)
    evaluated = any(side.has(sympy.Integral, sympy.Subs, sympy.Limit) for side in (claim.lhs, claim.rhs))
    return 4 * refuted + 2 * rule + 2 * inequality + 2 * evaluated + 1


def status_counts(results: Iterable[DerivationResult]) -> dict[Status, int]:
    """How many steps of ``results`` have each status (every status listed, in order)."""
    counts = {status: 0 for status in Status}
    for result in results:
        for step in result.steps:
            counts[step.verdict.status] += 1
    return counts


def _problems(derivation: Derivation, results: Sequence[StepResult]) -> Iterable[str]:
    if derivation.expect == "refuted":  # a known wrong display: some step must be refuted, with a point
        if not any(r.verdict.status is Status.REFUTED and r.verdict.counterexample for r in results):
            statuses = ", ".join(r.verdict.status.value for r in results)
            yield f"expected a refuted step, but none is refuted ({statuses})"
        return
    for r in results:
        status = r.verdict.status
        expected_refuted = r.index in derivation.erratum_steps
        if expected_refuted:
            if status is not Status.REFUTED or r.verdict.counterexample is None:
                yield f"step {r.index} is an expected erratum but is {status.value}"
        elif status is Status.REFUTED:
            yield f"step {r.index} is refuted {r.verdict.counterexample}"
        elif status is Status.UNDECIDED:
            yield f"step {r.index} is undecided: {r.verdict.detail}"
        if r.rule_problem and not expected_refuted:
            yield f"step {r.index}: {r.rule_problem}"
