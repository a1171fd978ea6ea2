r"""Say what is wrong with a refuted claim: the simplest explanation the engine can
confirm. Each candidate explanation is itself a claim, checked by the same engine;
it is reported only when that check proves it (or tests it, and says so).

>>> from derive.parsing import parse_claim
>>> from derive.engine import check
>>> diagnosis = check(parse_claim("diff(log(x, 2), x) == log(2)/x", ["x > 0"])).diagnosis
>>> diagnosis.sentence
'constant factor: lhs = rhs / log(2)**2 (ln 2 written where 1/ln 2 belongs)'

The same sentence as LaTeX prose, each formula as ``$...$`` (for documents):

>>> print(diagnosis.latex.removeprefix("constant factor: "))
$\mathrm{lhs} = \frac{\mathrm{rhs}}{\log{\left(2 \right)}^{2}}$ ($\ln 2$ written where $1/\ln 2$ belongs)
"""

from __future__ import annotations

import math
import re
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from fractions import Fraction
from typing import Any

import mpmath
import numpy as np
import sympy

from derive import budget as budgets
from derive.claim import Claim, Domain, Family, Interval, Relation, Simplex, free_names, interval, positive
from derive.errors import DomainError, InputError
from derive.functions import expand_functions
from derive.latex import latex
from derive.numeric import _Evaluator, confirm
from derive.prose import valid_math
from derive.sizes import assignments, instance_evaluator, is_general, shape
from derive.symbolic import prepare, prepare_general
from derive.verdict import Counterexample, Diagnosis, Status

_NAMED_FACTORS = {
    sympy.Integer(-1): ("a sign error", "a sign error"),
    sympy.Integer(2): ("a stray factor 2", "a stray factor 2"),
    sympy.Rational(1, 2): ("a stray factor 1/2", "a stray factor $1/2$"),
    sympy.log(2) ** 2: ("1/ln 2 written where ln 2 belongs", r"$1/\ln 2$ written where $\ln 2$ belongs"),
    sympy.log(2) ** -2: ("ln 2 written where 1/ln 2 belongs", r"$\ln 2$ written where $1/\ln 2$ belongs"),
}
"""Each named factor as text and as LaTeX prose."""

LHS, RHS = sympy.Symbol("lhs"), sympy.Symbol("rhs")
"""The sides, as they appear in a sentence's formulas."""


@dataclass(frozen=True)
class _Formula:
    """A formula of a sentence: as the text sentence has always written it, and the
    expression derive's LaTeX printer sets."""

    text: str
    expr: sympy.Basic


@dataclass(frozen=True)
class _Prose:
    """Words that read differently as text and as LaTeX prose (``ln 2``, ``$\\ln 2$``)."""

    text: str
    latex: str


_Part = str | _Formula | _Prose


@dataclass(frozen=True)
class _Candidate:
    """An explanation: its kind, its sentence as parts (words and formulas) and the
    corrected claim that is checked."""

    kind: str
    parts: tuple[_Part, ...]
    claim: Claim

    @property
    def sentence(self) -> str:
        """The sentence as text (the CLI's and JSON's ``sentence``)."""
        return "".join(p if isinstance(p, str) else p.text for p in self.parts)

    @property
    def latex(self) -> str:
        """The sentence as LaTeX prose: each formula as ``$...$`` from derive's printer
        (or as text, should the printer give a command prose does not allow).

        >>> from derive.parsing import parse_claim
        >>> first = next(c for c in candidates(parse_claim("Sum(x[i], (i, 1, n)) >= 0")) if c.kind != "direction")
        >>> first.sentence, first.latex
        ('missing assumption: it holds for x[i] > 0', 'missing assumption: it holds for $x_{i} > 0$')
        """
        out = []
        for part in self.parts:
            if isinstance(part, _Formula):
                try:
                    tex = latex(_entries(part.expr))
                except InputError:  # a name the printer cannot set: the text says it
                    tex = ""
                out.append(f"${tex}$" if tex and valid_math(tex) else part.text)
            else:
                out.append(part if isinstance(part, str) else part.latex)
        return "".join(out)


_ENTRY = re.compile(r"(?P<base>[A-Za-z]\w*)\[(?P<index>\d+(?:, ?\d+)*)\]\Z")


def _entries(expr: sympy.Basic) -> sympy.Basic:
    """``expr`` with the variables an instance names ``x[1]`` as the entries ``x_{1}`` they stand for.

    >>> _entries(sympy.Symbol("x[1]") + sympy.Symbol("y[2, 3]"))
    x[1] + y[2, 3]
    >>> latex(_entries(sympy.Symbol("x[1]")))
    'x_{1}'
    """
    named = {}
    for s in expr.free_symbols:
        match = _ENTRY.match(getattr(s, "name", ""))
        if match:
            index = tuple(sympy.Integer(int(k)) for k in match["index"].split(","))
            named[s] = sympy.IndexedBase(match["base"])[index]
    return expr.xreplace(named) if named else expr


def _constant(expr: sympy.Expr, claim: Claim) -> sympy.Expr | None:
    """The constant ``expr`` is, if it is one: by ``simplify``, or for a claim of
    general size (where ``simplify`` labours over sums) a value read off at
    simple points of one instance (a proposal only: the candidate is then checked)."""
    value = _sampled_constant(expr, claim) if is_general(claim) else sympy.simplify(expr)
    if value is None or value.free_symbols or not value.is_number or value.is_zero:
        return None
    return None if value.has(sympy.nan, sympy.zoo) else value


def _sampled_constant(expr: sympy.Expr, claim: Claim) -> sympy.Expr | None:
    plain = Claim(expr, Relation.EQ, sympy.Integer(0), claim.domain)
    try:
        lengths = shape(plain).lengths
        values = next((v for v in assignments(plain, 0) if all(v[k] >= 2 for k in lengths)), None)
        if values is None:
            return None
        evaluator, domain = instance_evaluator(plain, values)
    except (InputError, ValueError):
        return None
    found: list[sympy.Expr] = []
    for combo in _point_combos(domain):
        sides = evaluator.exact(tuple(zip(domain.names(), (v for p in combo for v in p), strict=True)), 30)
        if sides is None or not mpmath.isfinite(sides[0]):
            return None
        value = sympy.Float(sides[0].real, 30)
        found.append(value + sympy.I * sympy.Float(sides[0].imag, 30) if sides[0].imag else value)
    if len(found) < 2 or any(abs(v - found[0]) > 1e-20 * (1 + abs(found[0])) for v in found):
        return None
    guess = sympy.nsimplify(found[0], [sympy.log(2)], tolerance=1e-20)
    return guess if sympy.count_ops(guess) <= 6 else None


def _point_combos(domain: Domain) -> list[tuple[tuple[Fraction, ...], ...]]:
    """Three points of ``domain`` from its bindings' simple points (each binding's
    k-th simple point in turn, so that the points differ)."""
    choices = [b.domain.simple_points() for b in domain.bindings]
    return [tuple(c[(k + i) % len(c)] for i, c in enumerate(choices)) for k in range(3) if all(choices)]


def _on_simplex(expr: sympy.Expr, domain: Domain) -> sympy.Expr:
    """``expr`` with the last entry of every probability vector written as one
    minus the others, so that a ratio or a difference that is constant only on
    the simplex is seen to be constant.

    >>> y1, y2 = sympy.symbols("y1 y2")
    >>> _on_simplex(y1 + y2 - 1, Domain().bind(("y1", "y2"), Simplex(2)))
    0
    """
    subs = {}
    for binding in domain.bindings:
        if isinstance(binding.domain, Simplex) and len(binding.names) >= 2:
            *rest, last = binding.names
            subs[sympy.Symbol(last)] = 1 - sympy.Add(*(sympy.Symbol(n) for n in rest))
    return expr.xreplace(subs) if subs else expr


def _factor_candidates(claim: Claim, lhs: sympy.Expr, rhs: sympy.Expr) -> Iterator[_Candidate]:
    if rhs == 0 or lhs == 0:
        return
    c = _constant(expand_functions(lhs) / expand_functions(rhs), claim)
    if c is None:  # constant only where the domain's constraints hold (a probability vector sums to 1)
        sides = [expand_functions(side) for side in (lhs, rhs)]
        reduced = [_on_simplex(side, claim.domain) for side in sides]
        c = _constant(reduced[0] / reduced[1], claim) if reduced != sides and reduced[1] != 0 else None
    if c is not None and c != 1:
        named = _NAMED_FACTORS.get(c) or _NAMED_FACTORS.get(sympy.nsimplify(c))
        how = f"rhs / {sympy.sstr(1 / c)}" if c.is_Pow and c.exp.is_negative else f"{sympy.sstr(c)} * rhs"
        equation = _Formula(f"lhs = {how}", sympy.Eq(LHS, sympy.Mul(c, RHS), evaluate=False))
        aside = ("", _Prose(f" ({named[0]})", f" ({named[1]})")) if named else ()
        parts = ("constant factor: ", equation, *aside)
        yield _Candidate("constant factor", parts, replace(claim, rhs=c * claim.rhs, text=""))


def _length_factor_candidates(claim: Claim) -> Iterator[_Candidate]:
    """``lhs = rhs / m`` for a claim of general size: a factor of its length dropped or
    stray, as a mini-batch average's 1/m is (a proposal: each is checked)."""
    if claim.rhs == 0 or claim.lhs == 0 or not is_general(claim):
        return
    for name in shape(claim).lengths:
        m = sympy.Symbol(name)
        for c in (1 / m, m, 1 / (2 * m), 2 * m):
            below = sympy.sstr(1 / c)
            text = (
                f"rhs / {below if (1 / c).is_Symbol else f'({below})'}" if c.as_numer_denom()[0] == 1 else f"{c} * rhs"
            )
            equation = _Formula(f"lhs = {text}", sympy.Eq(LHS, sympy.Mul(c, RHS), evaluate=False))
            missing = _Formula(sympy.sstr(c), c)
            parts = ("length factor: ", equation, " (a factor ", missing, " missing on the rhs)")
            yield _Candidate("length factor", parts, replace(claim, rhs=c * claim.rhs, text=""))


def _offset_candidates(claim: Claim, lhs: sympy.Expr, rhs: sympy.Expr) -> Iterator[_Candidate]:
    c = _constant(expand_functions(lhs) - expand_functions(rhs), claim)
    if c is None:
        difference = expand_functions(lhs) - expand_functions(rhs)
        reduced = _on_simplex(difference, claim.domain)
        c = _constant(reduced, claim) if reduced != difference else None
    if c is not None:
        equation = _Formula(f"lhs = rhs + {sympy.sstr(c)}", sympy.Eq(LHS, RHS + c, evaluate=False))
        yield _Candidate("constant offset", ("constant offset: ", equation), replace(claim, rhs=claim.rhs + c, text=""))


_LARGEST_OFFSET = 100
"""An order claim short by more than this is not "off by a constant"."""


def _order_offset_candidates(claim: Claim, lhs: sympy.Expr, rhs: sympy.Expr, seed: int) -> Iterator[_Candidate]:
    """``lhs - rhs >= -c`` for the simplest constant ``c`` at least the largest
    shortfall seen on the samples (a claim off by a constant, e.g. a KL formula
    whose constant is 1 where 1/2 belongs)."""
    shortfall = _shortfall(replace(claim, lhs=lhs, rhs=rhs, text=""), seed)
    if shortfall is None or not 0 < shortfall <= _LARGEST_OFFSET:
        return
    c = _simplest_above(shortfall)
    off = (" holds (the claim is off by ", _Formula(sympy.sstr(c), c), ")")
    if claim.relation in (Relation.GE, Relation.GT):
        bound = _Formula(f"lhs - rhs >= -{sympy.sstr(c)}", sympy.Ge(LHS - RHS, -c, evaluate=False))
        yield _Candidate("offset", ("offset: ", bound, *off),
                         replace(claim, relation=Relation.GE, rhs=claim.rhs - c, text=""))  # fmt: skip
    else:
        bound = _Formula(f"lhs - rhs <= {sympy.sstr(c)}", sympy.Le(LHS - RHS, c, evaluate=False))
        yield _Candidate("offset", ("offset: ", bound, *off),
                         replace(claim, relation=Relation.LE, rhs=claim.rhs + c, text=""))  # fmt: skip


def _shortfall(claim: Claim, seed: int, samples: int = 4000) -> float | None:
    """The largest amount by which the order claim fails on seeded samples of its
    domain and its simple points (``None`` when it cannot be evaluated)."""
    from derive.numeric import _Evaluator, _grid, _matrix, _real

    domain = claim.domain.complete(free_names(claim.lhs, claim.rhs))
    names = domain.names()
    evaluator = _Evaluator(claim, names)
    grid = _grid(domain, 400)
    rows = np.array([[float(v) for _, v in p] for p in grid], dtype=float).reshape(len(grid), len(names))
    matrix = np.concatenate([rows, _matrix(domain, np.random.default_rng(seed), samples)], axis=0)
    left, right = evaluator.floats(matrix)
    valid = np.isfinite(left) & np.isfinite(right) & _real(left) & _real(right)
    if not valid.any():
        return None
    short = right.real[valid] - left.real[valid]
    if claim.relation in (Relation.LE, Relation.LT):
        short = -short
    return float(short.max())


def _simplest_above(value: float) -> sympy.Rational:
    """The rational of smallest denominator in ``[value, value * 1.02]``.

    >>> _simplest_above(0.4993), _simplest_above(1.0), _simplest_above(0.3329)
    (1/2, 1, 1/3)
    """
    for q in range(1, 1001):
        p = math.ceil(value * q - 1e-12)
        if Fraction(p, q) <= value * 1.02 + 1e-12:
            return sympy.Rational(p, q)
    return sympy.Rational(math.ceil(value * 1000), 1000)


def _direction_candidates(claim: Claim) -> Iterator[_Candidate]:
    if claim.relation.is_order:
        reverse = {Relation.GE: Relation.LE, Relation.LE: Relation.GE, Relation.GT: Relation.LE,
                   Relation.LT: Relation.GE}[claim.relation]  # fmt: skip
        order = sympy.Le if reverse is Relation.LE else sympy.Ge
        formula = _Formula(f"lhs {reverse.value} rhs", order(LHS, RHS, evaluate=False))
        parts = ("direction: the inequality holds the other way round (", formula, ")")
        yield _Candidate("direction", parts, replace(claim, relation=reverse, text=""))


def _term_candidates(claim: Claim) -> Iterator[_Candidate]:
    for side in ("rhs", "lhs"):
        expr = getattr(claim, side)
        terms = sympy.Add.make_args(sympy.expand(expr))
        if len(terms) > 12:
            continue
        for term in terms:
            for label, new in (("dropping", expr - term), ("negating", expr - 2 * term)):
                parts = (f"one term: {label} ", _Formula(sympy.sstr(term), term), f" on the {side} makes it hold")
                yield _Candidate("one term", parts, replace(claim, **{side: new}, text=""))


def _assumption_candidates(claim: Claim) -> Iterator[_Candidate]:
    structural: set[str] = set()
    if is_general(claim):
        form = shape(claim)
        structural = {*form.lengths, *form.indices, *form.families}
        yield from _entry_candidates(claim, form.families)
    names = tuple(n for n in claim.names() if n not in structural)
    for name in names:
        if not claim.domain.is_scalar(name):
            continue
        current = claim.domain.scalar(name)
        for label, extra in _NARROWER:
            try:
                narrowed = current.intersect(extra)
            except DomainError:  # empty: no candidate
                continue
            if narrowed == current:
                continue
            domain = Domain(tuple(b for b in claim.domain.bindings if name not in b.names)).bind((name,), narrowed)
            assumption = _Formula(f"{name} {label}", _narrowed(sympy.Symbol(name), label))
            yield _Candidate("missing assumption", ("missing assumption: it holds for ", assumption),
                             replace(claim, domain=domain, text=""))  # fmt: skip
    if len(names) >= 2 and claim.domain.is_scalar(names[0]):
        first = claim.domain.scalar(names[0])
        joint = [n for n in names if claim.domain.is_scalar(n) and claim.domain.scalar(n) == first]
        if len(joint) == 2:
            a, b = (sympy.Symbol(n) for n in joint)
            sub = {b: a}
            yield _Candidate(
                "missing assumption",
                ("missing assumption: it holds when ", _Formula(f"{a} = {b}", sympy.Eq(a, b, evaluate=False))),
                replace(claim, lhs=claim.lhs.xreplace(sub), rhs=claim.rhs.xreplace(sub), text=""),
            )


_NARROWER = (
    ("> 0", positive()),
    ("< 0", Interval(hi=sympy.Integer(0))),
    ("in (0, 1)", interval(0, 1)),
)


def _narrowed(variable: sympy.Expr, label: str) -> sympy.Basic:
    """The assumption ``variable label`` (one of ``_NARROWER``'s) as a formula.

    >>> print(latex(_narrowed(sympy.Symbol("x"), "in (0, 1)")))
    x \\in \\left(0, 1\\right)
    """
    zero = sympy.Integer(0)
    if label == "> 0":
        return sympy.Gt(variable, zero, evaluate=False)
    if label == "< 0":
        return sympy.Lt(variable, zero, evaluate=False)
    return sympy.Contains(variable, sympy.Interval.open(zero, 1), evaluate=False)


def _entry_candidates(claim: Claim, families: tuple[str, ...]) -> Iterator[_Candidate]:
    """A missing assumption on every entry of a family: ``x[i] > 0``."""
    for name in families:
        family = claim.domain.family(name) or Family()
        if family.joint:
            continue
        for label, extra in _NARROWER:
            try:
                narrowed = family.entry.intersect(extra)
            except DomainError:
                continue
            if narrowed == family.entry:
                continue
            domain = claim.domain.without((name,)).bind((name,), Family(narrowed, "", family.length))
            entry = sympy.IndexedBase(name)[sympy.Symbol("i")]
            assumption = _Formula(f"{name}[i] {label}", _narrowed(entry, label))
            yield _Candidate("missing assumption", ("missing assumption: it holds for ", assumption),
                             replace(claim, domain=domain, text=""))  # fmt: skip


def candidates(claim: Claim, seed: int = 0) -> Iterator[_Candidate]:
    """Explanations in the order of the issue: factor, offset, direction, one term,
    assumption; an order claim's offset comes last (a missing assumption says more)."""
    general = is_general(claim)  # a sum of symbolic length stays a sum (SymPy's doit would labour over it)
    lhs, rhs = (
        prepare_general(side, {}) if general else prepare(side, claim.domain) for side in (claim.lhs, claim.rhs)
    )
    if claim.relation is Relation.EQ:
        yield from _factor_candidates(claim, lhs, rhs)
        yield from _offset_candidates(claim, lhs, rhs)
        yield from _length_factor_candidates(claim)
    yield from _direction_candidates(claim)
    if claim.relation is Relation.EQ:
        yield from _term_candidates(replace(claim, lhs=lhs, rhs=rhs, text=""))
    yield from _assumption_candidates(claim)
    if claim.relation.is_order and not is_general(claim):
        yield from _order_offset_candidates(claim, lhs, rhs, seed)


def fails_at(claim: Claim, point: dict[str, Fraction]) -> bool:
    """Whether ``claim`` fails in high precision at ``point`` (values of its
    variables, lengths and entries), which must lie in its domain; False when that
    cannot be told.

    >>> from derive.parsing import parse_claim
    >>> fails_at(parse_claim("x**2 == x"), {"x": Fraction(2)}), fails_at(parse_claim("x**2 == x"), {"x": Fraction(1)})
    (True, False)
    >>> fails_at(parse_claim("Sum(x[i], (i, 1, n)) == 2"), {"n": Fraction(1), "x[1]": Fraction(1)})
    True
    """
    try:
        if is_general(claim):
            form = shape(claim)
            evaluator, domain = instance_evaluator(claim, {n: int(point[n]) for n in form.lengths + form.indices})
        else:
            sides = [prepare(side, claim.domain) for side in (claim.lhs, claim.rhs)]
            domain = claim.domain.complete(free_names(*sides))
            evaluator = _Evaluator(Claim(sides[0], claim.relation, sides[1], claim.domain), domain.names())
        if not all(n in point for n in domain.names()):
            return False
        if not all(b.domain.contains(tuple(point[n] for n in b.names)) for b in domain.bindings):
            return False
        exact = tuple((n, point[n]) for n in domain.names())
        return confirm(evaluator, claim.relation, exact, adaptive=False).kind == "fails"
    except (InputError, DomainError, ValueError, TypeError, KeyError, ZeroDivisionError):
        return False


def diagnose(claim: Claim, *, budget: float, seed: int, known: Counterexample | None = None) -> Diagnosis | None:
    """The first candidate explanation whose own check holds, within ``budget`` (a
    candidate that fails at the ``known`` counterexample is not checked)."""
    return diagnose_settled(claim, budget=budget, seed=seed, known=known)[0]


def diagnose_settled(
    claim: Claim, *, budget: float, seed: int, known: Counterexample | None = None
) -> tuple[Diagnosis | None, bool]:
    """``diagnose``, and whether no deadline decided the answer (the same claim
    then gets the same diagnosis on any machine). The candidates are built and checked
    in one worker task, each as it is reached: they never cross between processes
    (SymPy evaluates every expression it unpickles again), and the worker keeps what it
    prepared and compiled for the claim, which its candidates share."""
    if claim.relation is Relation.ARGMAX:
        return None, True
    if budgets.in_worker():
        return _diagnosed(claim, seed, known, time.monotonic() + budget)
    outcome = budgets.run(_diagnose_task, (claim, seed, known, budget), budget)
    reported = dict(outcome.messages).get("diagnosis")
    if reported is None or not outcome.finished or outcome.error is not None:
        return None, False
    return reported  # type: ignore[no-any-return]


def _diagnose_task(
    claim: Claim, seed: int, known: Counterexample | None, budget: float, report: Callable[[str, Any], None]
) -> None:
    """Worker task: the diagnosis and whether it is settled."""
    report("diagnosis", _diagnosed(claim, seed, known, time.monotonic() + budget))


CANDIDATE_SECONDS = 8.0
"""The most one candidate's check may take (within what is left of the claim's budget). A
candidate that runs out makes the diagnosis unsettled (not cached) or leaves it unfound,
so this is several times what a candidate proved by a long search takes here alone
(``sin(x) <= 1`` for ``sin(x) <= 1/2``: 1.4 s, its derivative certificate after twelve
interval searches, each ending by its counted work, whatever the load); at 3 s and at 5 s
the clean-clone CI (pytest -n 2) ran it out."""


def _diagnosed(claim: Claim, seed: int, known: Counterexample | None, deadline: float) -> tuple[Diagnosis | None, bool]:
    """Candidates in order, each checked (screened, at most ``CANDIDATE_SECONDS``) as soon as it is built,
    leaving out those that fail where the claim is ``known`` to fail."""
    from derive.engine import Options, checked

    point = {name: Fraction(value) for name, value in known.point} if known else {}
    built = candidates(claim, seed)
    while True:
        if time.monotonic() > deadline:
            return None, False
        try:
            candidate = next(built, None)
        except Exception:  # SymPy failing on one explanation leaves the claim undiagnosed, never wrong
            return None, False
        if candidate is None:
            return None, True
        if point and fails_at(candidate.claim, point):
            continue
        remaining = deadline - time.monotonic()
        if remaining <= 0.2:
            return None, False
        result = checked(candidate.claim, Options(min(remaining, CANDIDATE_SECONDS), seed, screen=True), diagnose=False)
        verdict = result.verdict
        if verdict.status in (Status.PROVED, Status.TESTED):
            tested = "" if verdict.status is Status.PROVED else " (tested, not proved)"
            diagnosis = Diagnosis(
                candidate.kind, candidate.sentence + tested, str(candidate.claim), verdict.status.value,
                candidate.latex + tested,
            )  # fmt: skip
            return diagnosis, result.settled
        if not result.settled:
            return None, False
