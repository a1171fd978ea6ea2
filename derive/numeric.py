"""The numeric stage: seeded float64 sampling, high-precision confirmation, shrinking.

Values are computed with SymPy's semantics (principal branches, complex
arithmetic), so ``sqrt(-1)*sqrt(-1)`` is ``-1`` rather than NaN. A sample point
is valid when both sides are finite there; for an order relation both sides
must also be real. A float64 disagreement is only a suspicion: it counts once
mpmath re-evaluates it at exact rational coordinates (60 to 1000 digits) and
SymPy's adaptive-precision evaluation confirms it.

>>> import sympy
>>> from derive.claim import Claim, Relation
>>> x = sympy.Symbol("x")
>>> r = search(Claim(x + sympy.Rational(1, 10**20), Relation.EQ, x), seed=0)
>>> r.failure is not None, r.failure.point
(True, (('x', '0'),))
"""

from __future__ import annotations

import contextlib
import dataclasses
import functools
import itertools
import math
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from fractions import Fraction

import mpmath
import numpy as np
import sympy

from derive.claim import _SIMPLE, Binding, Claim, DataSet, Domain, Interval, Relation, Simplex, free_names
from derive.functions import expand_functions
from derive.verdict import Counterexample

SAMPLES = 20_000
MIN_VALID = 200
SUSPICIOUS = 1e-9
LOOK_CLOSER = 24
SPOT_CHECKS = 12
SPOTS_NOW = 2
_LOW, _HIGH = 60, 120
_LADDER = (60, 120, 300, 1000)

Point = tuple[tuple[str, Fraction], ...]
_SIMPLE_RANK = {v: i for i, v in enumerate(_SIMPLE)}


@dataclass(frozen=True)
class Outcome:
    """What high precision says at one exact point."""

    kind: str  # "fails", "agrees", "invalid" or "ambiguous"
    lhs: str = ""
    rhs: str = ""


@dataclass(frozen=True)
class NumericResult:
    """The evidence of the numeric stage.

    ``failure`` is a confirmed counterexample (already shrunk); ``valid`` counts
    valid float64 points; ``suspicious`` those that looked wrong in float64, of
    which ``looked_at`` were re-evaluated in high precision; ``ambiguous``
    counts points high precision could not settle.
    """

    drawn: int
    valid: int
    worst_residual: float | None
    suspicious: int
    looked_at: int
    ambiguous: int
    failure: Counterexample | None

    @property
    def enough(self) -> bool:
        return self.valid >= MIN_VALID


def _prepared(expr: sympy.Expr) -> sympy.Expr:
    return expand_functions(expr)


@dataclass
class _Evaluator:
    """Both sides compiled for float64 (complex) and for mpmath."""

    claim: Claim
    names: tuple[str, ...]

    def __post_init__(self) -> None:
        symbols = [sympy.Symbol(n) for n in self.names]
        self.lhs = _prepared(self.claim.lhs)
        self.rhs = _prepared(self.claim.rhs)
        self._float = [_lambdify(symbols, e, "numpy") for e in (self.lhs, self.rhs)]
        self._mp = [_lambdify(symbols, e, "mpmath") for e in (self.lhs, self.rhs)]

    def floats(self, columns: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        args = [columns[:, i].astype(complex) for i in range(columns.shape[1])]
        out = []
        for f in self._float:
            with np.errstate(all="ignore"):
                try:
                    value = np.asarray(f(*args), dtype=complex)
                except Exception:  # an unsupported function: fall back to mpmath point by point
                    value = self._mp_column(f, columns)
            out.append(np.broadcast_to(value, (columns.shape[0],)).astype(complex))
        return out[0], out[1]

    def _mp_column(self, f: Callable[..., object], columns: np.ndarray) -> np.ndarray:
        index = self._float.index(f)
        g = self._mp[index]
        values = np.full(columns.shape[0], np.nan, dtype=complex)
        with mpmath.workdps(15):
            for i, row in enumerate(columns[:2000]):
                with contextlib.suppress(Exception):  # undefined here: stays NaN, an invalid sample
                    values[i] = complex(g(*[mpmath.mpf(float(v)) for v in row]))  # type: ignore[call-overload]
        return values

    @property
    def relation_sign(self) -> int:
        return 1 if self.claim.relation in (Relation.GE, Relation.GT) else -1

    def _difference(self, point: Point) -> sympy.Expr:
        subs = {sympy.Symbol(n): sympy.Rational(v.numerator, v.denominator) for n, v in point}
        return (self.lhs - self.rhs).xreplace(subs)

    def _exact_sign(self, difference: sympy.Expr) -> str:
        """``agrees``/``fails`` from the adaptive value of a provably nonzero difference."""
        try:
            value = difference.evalf(20, maxn=4000, strict=True)
        except (sympy.core.evalf.PrecisionExhausted, TypeError, ValueError, ZeroDivisionError):
            return "ambiguous"
        if value == 0 or not value.is_number or not value.is_finite:
            return "ambiguous"
        if self.claim.relation is Relation.EQ:
            return "fails"
        if not value.is_real:
            return "ambiguous"
        return "agrees" if (value > 0) == (self.relation_sign > 0) else "fails"

    def exact_values(self, point: Point) -> Outcome:
        subs = {sympy.Symbol(n): sympy.Rational(v.numerator, v.denominator) for n, v in point}
        sides = [side.xreplace(subs) for side in (self.lhs, self.rhs)]
        for digits in (15, 30, 60, 120, 250):
            shown = [sympy.sstr(side.evalf(digits)) for side in sides]
            if shown[0] != shown[1]:
                break
        return Outcome("fails", shown[0], shown[1])

    def exact_check(self, point: Point) -> str:
        """Confirm a numeric failure with SymPy's adaptive-precision evaluation."""
        return self._exact_sign(self._difference(point))

    def exact_tie(self, point: Point) -> str:
        """``fails`` if SymPy shows ``lhs - rhs`` is exactly 0 at ``point`` (a strict
        inequality fails there), ``agrees`` if it is provably nonzero with the right
        sign, else ``ambiguous``."""
        difference = self._difference(point)
        if difference.is_zero or sympy.simplify(difference) == 0:
            return "fails"
        return self._exact_sign(difference)

    def exact(self, point: Point, dps: int) -> tuple[mpmath.mpc, mpmath.mpc] | None:
        values = dict(point)
        with mpmath.workdps(dps):
            args = [mpmath.mpf(values[n].numerator) / values[n].denominator for n in self.names]
            try:
                return tuple(mpmath.mpc(g(*args)) for g in self._mp)  # type: ignore[return-value]
            except (ZeroDivisionError, ValueError, OverflowError, TypeError):
                return None


def _lambdify(symbols: list[sympy.Symbol], expr: sympy.Expr, module: str) -> Callable[..., object]:
    return _compiled(tuple(symbols), expr, module)


@functools.lru_cache(maxsize=512)
def _compiled(symbols: tuple[sympy.Symbol, ...], expr: sympy.Expr, module: str) -> Callable[..., object]:
    """Remembered: the steps of a derivation share sides, a diagnosis' candidates share the claim's."""
    return sympy.lambdify(symbols, expr, modules=module, docstring_limit=0)  # type: ignore[no-any-return]


def _residual_eq(lhs: np.ndarray, rhs: np.ndarray) -> np.ndarray:
    with np.errstate(all="ignore"):
        scale = np.maximum(1.0, np.maximum(np.abs(lhs), np.abs(rhs)))
        return np.abs(lhs - rhs) / scale


def _real(values: np.ndarray) -> np.ndarray:
    return np.abs(values.imag) <= 1e-12 * np.maximum(1.0, np.abs(values.real))


def _violation(relation: Relation, lhs: np.ndarray, rhs: np.ndarray) -> np.ndarray:
    """Scaled amount by which an order relation fails (positive: fails)."""
    with np.errstate(all="ignore"):
        scale = np.maximum(1.0, np.maximum(np.abs(lhs), np.abs(rhs)))
        gap = (lhs - rhs) / scale
    return {
        Relation.GE: -gap,
        Relation.GT: -gap,
        Relation.LE: gap,
        Relation.LT: gap,
    }[relation]


def _gap(relation: Relation, lhs: mpmath.mpc, rhs: mpmath.mpc, dps: int) -> mpmath.mpc | None:
    """``lhs - rhs`` (its real part for an order relation), or None where the point
    is invalid: a side is not finite or, for an order, not real."""
    if not (mpmath.isfinite(lhs) and mpmath.isfinite(rhs)):
        return None
    if relation is Relation.EQ:
        return lhs - rhs
    noise = mpmath.mpf(10) ** (-(dps * 2) // 3)
    if abs(lhs.imag) > noise * max(abs(lhs), 1) or abs(rhs.imag) > noise * max(abs(rhs), 1):
        return None
    return mpmath.mpc(lhs.real - rhs.real)


def _stable(a: mpmath.mpc, b: mpmath.mpc) -> bool:
    return bool(b != 0 and abs(a - b) <= mpmath.mpf(10) ** -6 * abs(b))


def _noise(gap: mpmath.mpc, lhs: mpmath.mpc, rhs: mpmath.mpc, dps: int) -> bool:
    """Round-off level at ``dps`` digits, relative to the sides or, when both are
    near 0 (a sum that cancels to 0), to 1."""
    return bool(abs(gap) <= mpmath.mpf(10) ** (-(dps * 2) // 3) * max(1, abs(lhs), abs(rhs)))


def _classify(relation: Relation, gap: mpmath.mpc) -> str:
    if gap == 0:
        return "tie"
    if relation is Relation.EQ:
        return "fails"
    holds = gap.real > 0 if relation in (Relation.GE, Relation.GT) else gap.real < 0
    return "agrees" if holds else "fails"


def _tie_outcome(relation: Relation) -> str:
    return "agrees"


def confirm(evaluator: _Evaluator, relation: Relation, point: Point, adaptive: bool = True) -> Outcome:
    """What high precision says at ``point``.

    The gap ``lhs - rhs`` is computed at 60, 120, 300 and 1000 digits, stopping
    when two precisions give the same gap (it is real and its sign decides) or two
    in a row (or the last) put it at the round-off level of their precision (the
    sides agree numerically; one such level alone can be a coincidence of rounding).
    A failure is then confirmed by SymPy's adaptive evaluation of the exact
    difference (``evalf(strict=True)``, which raises precision until the digits are
    right), so cancellation beyond any fixed precision cannot fake it. A numeric tie
    in a strict inequality is a failure only when SymPy shows the difference is 0.
    ``adaptive=False`` leaves out the adaptive confirmation of a failure (a
    diagnosis' candidate is only ruled out by it, never reported refuted).
    """
    previous: mpmath.mpc | None = None
    previous_noise = False
    kind = "ambiguous"
    values = None
    for dps in _LADDER:
        values = evaluator.exact(point, dps)
        if values is None:
            return Outcome("invalid")
        with mpmath.workdps(dps):
            gap = _gap(relation, values[0], values[1], dps)
            if gap is None:
                return Outcome("invalid")
            if previous is not None and _stable(previous, gap):
                kind = _classify(relation, gap)
                break
            noise = _noise(gap, values[0], values[1], dps)
            if noise and (previous_noise or dps == _LADDER[-1]):
                kind = "tie"
                break
            previous, previous_noise = gap, noise
    assert values is not None
    if kind == "fails" and adaptive:
        kind = evaluator.exact_check(point)
    elif kind == "tie":
        kind = evaluator.exact_tie(point) if relation in (Relation.GT, Relation.LT) else "agrees"
    with mpmath.workdps(_HIGH):
        lhs, rhs = (_show(v) for v in values)
    return Outcome(kind, lhs, rhs)


def _show(value: mpmath.mpc) -> str:
    if abs(value.imag) <= mpmath.mpf(10) ** -40 * max(1, abs(value.real)):
        return str(mpmath.nstr(value.real, 15))
    return str(mpmath.nstr(value, 15))


def _exact_row(domain: Domain, row: np.ndarray) -> Point | None:
    point: list[tuple[str, Fraction]] = []
    column = 0
    for binding in domain.bindings:
        width = binding.domain.width()
        values = [Fraction(float(v)) for v in row[column : column + width]]
        column += width
        if isinstance(binding.domain, Simplex):
            values = [v.limit_denominator(10**12) for v in values[:-1]]
            values.append(Fraction(1) - sum(values, Fraction(0)))
        if not binding.domain.contains(tuple(values)):
            return None
        point.extend(zip(binding.names, values, strict=True))
    return tuple(point)


def _grid(domain: Domain, limit: int) -> list[Point]:
    """Combinations of the domain's simple points, at most ``limit`` of them."""
    return [_grid_point(combo) for combo in _grid_combos(domain, limit)]


def _grid_combos(domain: Domain, limit: int) -> list[tuple[tuple[Binding, tuple[Fraction, ...]], ...]]:
    bindings = zip(domain.bindings, _grid_choices(domain, limit), strict=True)
    choices = [[(b, p) for p in points] for b, points in bindings]
    return list(itertools.islice(itertools.product(*choices), limit))


def _grid_choices(domain: Domain, limit: int) -> list[list[tuple[Fraction, ...]]]:
    """Each binding's simple points that the grid combines."""
    per_binding = max(2, int(limit ** (1 / max(1, len(domain.bindings)))))
    return [b.domain.simple_points()[:per_binding] for b in domain.bindings]


def _grid_point(combo: tuple[tuple[Binding, tuple[Fraction, ...]], ...]) -> Point:
    return tuple((n, v) for b, p in combo for n, v in zip(b.names, p, strict=True))


def _grid_matrix(domain: Domain, limit: int) -> np.ndarray:
    """The rows of ``_grid_combos(domain, limit)`` in float64, in its order (the last
    binding's points vary fastest, as in ``itertools.product``), built from each
    binding's simple points converted once.

    >>> from derive.parsing import parse_claim
    >>> domain = parse_claim("a + b >= 0", ["0 < a < 1", "1 <= b <= 2"]).domain.complete(("a", "b"))
    >>> combos = _grid_combos(domain, 5)
    >>> _grid_matrix(domain, 5).tolist() == [[float(v) for _, p in c for v in p] for c in combos]
    True
    """
    blocks = [
        np.array([[float(v) for v in p] for p in points], dtype=float).reshape(len(points), b.domain.width())
        for b, points in zip(domain.bindings, _grid_choices(domain, limit), strict=True)
    ]
    count = min(limit, math.prod(len(block) for block in blocks))
    if not blocks:
        return np.zeros((count, 0))
    index, columns = np.arange(count), []
    for block in reversed(blocks):
        columns.append(block[index % len(block)])
        index = index // len(block)
    return np.concatenate(columns[::-1], axis=1)


def _matrix(domain: Domain, rng: np.random.Generator, n: int) -> np.ndarray:
    blocks = [b.domain.sample(rng, n) for b in domain.bindings]
    return np.concatenate(blocks, axis=1) if blocks else np.zeros((n, 0))


def _largest(indices: np.ndarray, score: np.ndarray, k: int) -> np.ndarray:
    """The ``k`` of ``indices`` with the largest ``score``, largest first, ties in index
    order: ``indices[np.argsort(-score[indices], kind="stable")][:k]``, without sorting
    all of them (the quiet points of a claim are most of its 20,000).

    >>> score = np.array([0.5, 2.0, 1.0, 2.0, -1.0, 1.0])
    >>> _largest(np.arange(6), score, 3).tolist(), _largest(np.array([0, 2, 4, 5]), score, 2).tolist()
    ([1, 3, 2], [2, 5])
    """
    values = score[indices]
    if k <= 0 or values.size <= 4 * k or np.isnan(values).any():
        return indices[np.argsort(-values, kind="stable")][: max(k, 0)]
    kth = np.partition(values, values.size - k)[values.size - k]  # the k-th largest
    above = np.flatnonzero(values > kth)
    chosen = np.concatenate([above, np.flatnonzero(values == kth)[: k - above.size]])
    return indices[chosen[np.argsort(-values[chosen], kind="stable")]]


def search(
    claim: Claim,
    seed: int,
    samples: int = SAMPLES,
    evaluator: _Evaluator | None = None,
    domain: Domain | None = None,
    look_closer: int = LOOK_CLOSER,
    spot_checks: int = SPOT_CHECKS,
    later: list[Looks] | None = None,
    screen: bool = False,
    spots_now: int | None = None,
) -> NumericResult:
    """Look for a counterexample to an ``=`` or order claim and measure agreement
    (``evaluator`` and ``domain``: an instance of a general-size claim, see
    ``derive.sizes``): the ``look_closer`` points that look worst in float64 and
    ``spot_checks`` that look fine are evaluated in high precision. With a list
    ``later``, only the ``spots_now`` (default ``SPOTS_NOW``) quiet points nearest
    to failing are looked at now; the others are appended to it, as ``Looks`` to
    run (``look_again``) if no proof settles the claim. ``screen``: see ``Looks``."""
    if domain is None:
        domain = claim.domain.complete(free_names(claim.lhs, claim.rhs))
    names = domain.names()
    if evaluator is None:
        evaluator = _Evaluator(claim, names)
    rng = np.random.default_rng(seed)
    grid = _grid_combos(domain, 400)
    grid_matrix = _grid_matrix(domain, 400)
    matrix = np.concatenate([grid_matrix, _matrix(domain, rng, samples)], axis=0)
    lhs, rhs = evaluator.floats(matrix)
    finite = np.isfinite(lhs) & np.isfinite(rhs)
    relation = claim.relation
    if relation is Relation.EQ:
        valid = finite
        score = np.where(valid, _residual_eq(np.nan_to_num(lhs), np.nan_to_num(rhs)), -np.inf)
        threshold = SUSPICIOUS
    else:
        valid = finite & _real(lhs) & _real(rhs)
        score = np.where(valid, _violation(relation, lhs.real, rhs.real), -np.inf)
        threshold = -1e-12 if relation in (Relation.GT, Relation.LT) else 1e-12
    suspicious = np.flatnonzero(valid & (score > threshold))
    candidates = list(_largest(suspicious, score, look_closer))
    quiet = np.flatnonzero(valid & (score <= threshold))
    closest = _largest(quiet, score, spot_checks // 2)
    spread: list[int] = list(rng.choice(quiet, size=min(spot_checks // 2, quiet.size), replace=False))
    spots = [i for i in [*closest, *spread] if i not in candidates]
    if later is not None:  # the nearest quiet points now, the rest once no proof has made them moot
        now = SPOTS_NOW if spots_now is None else spots_now
        spots, postponed = spots[:now], spots[now:]
        later.append(Looks(evaluator, relation, domain, _Rows.of(grid, matrix, postponed), screen))
    candidates += spots
    looks = Looks(evaluator, relation, domain, _Rows.of(grid, matrix, candidates), screen)
    looked, ambiguous, failure = looks.run()
    valid_scores = score[valid]
    worst = float(valid_scores.max()) if valid_scores.size else None
    if worst is not None and relation is not Relation.EQ:
        worst = max(0.0, worst)
    return NumericResult(
        drawn=len(matrix),
        valid=int(valid.sum()),
        worst_residual=worst,
        suspicious=int(suspicious.size),
        looked_at=looked,
        ambiguous=ambiguous,
        failure=failure,
    )


@dataclass(frozen=True)
class _Rows:
    """Sampled rows to look at: a combination of the grid (a tuple) or a copy of a
    float64 row (not the whole sample). Each becomes an exact point only when it is
    reached: most looks of a proved claim never are."""

    rows: tuple[tuple | np.ndarray, ...]

    @classmethod
    def of(cls, grid: list, matrix: np.ndarray, indices: list[int]) -> _Rows:
        return cls(tuple(grid[i] if i < len(grid) else matrix[i].copy() for i in indices))

    def points(self, domain: Domain) -> Iterator[Point]:
        """The exact points of the rows, in order (rows off the domain once exact are left out)."""
        for row in self.rows:
            point = _grid_point(row) if isinstance(row, tuple) else _exact_row(domain, row)
            if point is not None:
                yield point


@dataclass(frozen=True)
class Looks:
    """High-precision looks at exact points of one claim or instance: the first
    that fails is shrunk into the counterexample, and the looks stop there."""

    evaluator: _Evaluator
    relation: Relation
    domain: Domain
    rows: _Rows
    screen: bool = False

    def run(self) -> tuple[int, int, Counterexample | None]:
        """``(looked, ambiguous, failure)``; when screening, a failure in high
        precision is neither confirmed adaptively nor shrunk."""
        looked = ambiguous = 0
        for point in self.rows.points(self.domain):
            looked += 1
            outcome = confirm(self.evaluator, self.relation, point, adaptive=not self.screen)
            ambiguous += outcome.kind == "ambiguous"
            if outcome.kind == "fails":
                if self.screen:
                    return looked, ambiguous, counterexample(point, outcome)
                return looked, ambiguous, shrink(self.evaluator, self.relation, self.domain, point, outcome)
        return looked, ambiguous, None


def look_again(result: NumericResult, later: list[Looks]) -> NumericResult:
    """``result`` with the postponed looks of ``later`` taken, in order, until one fails.

    >>> x = sympy.Symbol("x", positive=True)
    >>> later: list[Looks] = []
    >>> first = search(Claim(sympy.log(x), Relation.LE, x - 1), seed=0, later=later)
    >>> first.looked_at < look_again(first, later).looked_at
    True
    """
    looked, ambiguous, failure = result.looked_at, result.ambiguous, result.failure
    for looks in later:
        if failure is not None:
            break
        more, unsettled, failure = looks.run()
        looked, ambiguous = looked + more, ambiguous + unsettled
    return dataclasses.replace(result, looked_at=looked, ambiguous=ambiguous, failure=failure)


def _complexity(value: Fraction) -> int:
    """Simple values first, in the order of the domain's simple points, then short ones."""
    if value in _SIMPLE_RANK:
        return _SIMPLE_RANK[value]
    return len(_SIMPLE_RANK) + len(str(abs(value.numerator))) + len(str(value.denominator)) + (value < 0)


def _scalar_candidates(binding_domain: Interval, value: Fraction) -> list[Fraction]:
    rounded = [
        Fraction(round(value)),
        Fraction(round(value * 2), 2),
        Fraction(round(value * 10), 10),
        value.limit_denominator(10),
        value.limit_denominator(1000),
        Fraction(round(value * 1000), 1000),
    ]
    options = [p[0] for p in binding_domain.simple_points()] + rounded
    seen: list[Fraction] = []
    for v in options:
        if v not in seen and _complexity(v) < _complexity(value) and binding_domain.contains((v,)):
            seen.append(v)
    return seen


def _binding_candidates(binding: object, values: tuple[Fraction, ...]) -> list[tuple[Fraction, ...]]:
    dom = binding.domain  # type: ignore[attr-defined]
    if isinstance(dom, Interval):
        return [(v,) for v in _scalar_candidates(dom, values[0])]
    options = list(dom.simple_points())
    if isinstance(dom, Simplex):
        for limit in (10, 100, 1000):
            head = [v.limit_denominator(limit) for v in values[:-1]]
            options.append((*head, 1 - sum(head)))
    if isinstance(dom, DataSet):
        options.append(tuple(Fraction(round(v)) for v in values))
    cost = sum(_complexity(v) for v in values)
    return [o for o in options if dom.contains(o) and sum(_complexity(v) for v in o) < cost]


def shrink(
    evaluator: _Evaluator, relation: Relation, domain: Domain, point: Point, outcome: Outcome, rounds: int = 3
) -> Counterexample:
    """Move a confirmed failing point toward simple values while it keeps failing."""
    current = dict(point)
    for _ in range(rounds):
        improved = False
        for binding in domain.bindings:
            values = tuple(current[n] for n in binding.names)
            for option in _binding_candidates(binding, values):
                trial = {**current, **dict(zip(binding.names, option, strict=True))}
                attempt = confirm(evaluator, relation, _as_point(domain, trial))
                if attempt.kind == "fails":
                    current, outcome, improved = trial, attempt, True
                    break
        if not improved:
            break
    return counterexample(_as_point(domain, current), outcome)


def _as_point(domain: Domain, values: dict[str, Fraction]) -> Point:
    return tuple((n, values[n]) for n in domain.names())


def counterexample(point: Point, outcome: Outcome) -> Counterexample:
    shown = tuple((name, _fraction_text(v)) for name, v in sorted(point))
    return Counterexample(shown, outcome.lhs, outcome.rhs)


def _fraction_text(value: Fraction) -> str:
    return str(value.numerator) if value.denominator == 1 else f"{value.numerator}/{value.denominator}"


def find_point(claim: Claim, limit: int = 40) -> Counterexample | None:
    """A failing point among the simplest points of the domain, by SymPy's exact
    and adaptive-precision evaluation alone: it finds differences far below any
    fixed precision, such as ``(10**100 + x)*(10**100 - x) == 10**200`` at x = 1."""
    names = free_names(claim.lhs, claim.rhs)
    domain = claim.domain.complete(names)
    evaluator = _Evaluator(claim, domain.names())
    for point in _grid(domain, limit) + kinks(claim, domain):
        if evaluator.exact_check(point) == "fails":
            return counterexample(point, evaluator.exact_values(point))
    return None


MAX_KINKS = 20


def kinks(claim: Claim, domain: Domain) -> list[Point]:
    """For a claim in one scalar variable: the points where an ``Abs``, ``Max`` or
    ``Min`` switches branch (to 30 digits, as exact rationals), where a difference
    confined to a narrow region is most likely to show.

    >>> x = sympy.Symbol("x")
    >>> c = Claim(x, Relation.EQ, x + sympy.Max(0, sympy.Rational(1, 10**7) - abs(x - sympy.Rational(1, 7))))
    >>> [str(v) for ((_, v),) in kinks(c, c.domain.complete(("x",)))][:1]
    ['1/7']
    """
    if len(domain.bindings) != 1 or not isinstance(domain.bindings[0].domain, Interval):
        return []
    (name,) = domain.bindings[0].names
    x = sympy.Symbol(name)
    switches: list[sympy.Expr] = []
    for node in sympy.preorder_traversal(sympy.Add(claim.lhs, claim.rhs, evaluate=False)):
        if isinstance(node, sympy.Abs):
            switches.append(node.args[0])
        elif isinstance(node, (sympy.Max, sympy.Min)):
            switches += [a - b for a, b in itertools.combinations(node.args, 2)]
    points: list[Point] = []
    for switch in switches[:MAX_KINKS]:
        if switch.free_symbols != {x}:
            continue
        try:
            roots = sympy.solve(switch, x)
        except (NotImplementedError, ValueError, TypeError):
            continue
        for root in roots[:MAX_KINKS]:
            value = sympy.Rational(root) if root.is_Rational else sympy.nsimplify(root.evalf(30), rational=True)
            if not value.is_Rational:
                continue
            fraction = Fraction(int(value.p), int(value.q))
            if domain.bindings[0].domain.contains((fraction,)):
                points.append(((name, fraction),))
    return points[:MAX_KINKS]


def order_search(
    claim: Claim,
    seed: int,
    samples: int = 4000,
    evaluator: _Evaluator | None = None,
    domain: Domain | None = None,
    over: tuple[str, ...] = (),
) -> NumericResult:
    """Order-equivalence of two functions in ``claim.over``: sample pairs of points
    that differ only in those variables and compare the orders of both sides
    (``evaluator``, ``domain`` and ``over``: an instance of a general-size claim,
    maximised over the entries ``over``)."""
    over = over or claim.over
    if domain is None:
        domain = claim.domain.complete(free_names(claim.lhs, claim.rhs))
    all_names = domain.names()
    if evaluator is None:
        evaluator = _Evaluator(claim, all_names)
    rng = np.random.default_rng(seed)
    first = _matrix(domain, rng, samples)
    second = _matrix(domain, rng, samples)
    moved = [i for i, n in enumerate(all_names) if n in over]
    other = first.copy()
    other[:, moved] = second[:, moved]
    f1, g1 = evaluator.floats(first)
    f2, g2 = evaluator.floats(other)
    values = [f1, g1, f2, g2]
    with np.errstate(all="ignore"):
        valid = np.all([np.isfinite(v) & _real(v) for v in values], axis=0)
        df = np.where(valid, (f1 - f2).real, 0.0)
        dg = np.where(valid, (g1 - g2).real, 0.0)
        scale_f = np.maximum(1.0, np.maximum(abs(f1), abs(f2)))
        scale_g = np.maximum(1.0, np.maximum(abs(g1), abs(g2)))
        sf = np.where(np.abs(df) / scale_f > 1e-9, np.sign(df), 0)
        sg = np.where(np.abs(dg) / scale_g > 1e-9, np.sign(dg), 0)
    bad = np.flatnonzero(valid & (sf * sg < 0))
    failure = None
    looked = 0
    for index in bad[:LOOK_CLOSER]:
        a = _exact_row(domain, first[index])
        b = _exact_row(domain, other[index])
        if a is None or b is None:
            continue
        looked += 1
        fa = evaluator.exact(a, _HIGH)
        fb = evaluator.exact(b, _HIGH)
        if fa is None or fb is None:
            continue
        with mpmath.workdps(_HIGH):
            d_f = (fa[0] - fb[0]).real
            d_g = (fa[1] - fb[1]).real
            if d_f * d_g < 0 and min(abs(d_f), abs(d_g)) > mpmath.mpf(10) ** -60:
                point = tuple((n, v) for n, v in a) + tuple((n + "'", v) for n, v in b if n in over)
                lhs = f"{_show(fa[0])} vs {_show(fb[0])}"
                rhs = f"{_show(fa[1])} vs {_show(fb[1])}"
                failure = counterexample(point, Outcome("fails", lhs, rhs))
                break
    return NumericResult(
        drawn=samples,
        valid=int(valid.sum()),
        worst_residual=None,
        suspicious=int(bad.size),
        looked_at=looked,
        ambiguous=0,
        failure=failure,
    )


def evaluate(expr: sympy.Expr, point: dict[str, Fraction], dps: int = 30) -> mpmath.mpc | None:
    """``expr`` at an exact point with mpmath (used by rules and tests).

    >>> float(evaluate(sympy.Symbol("x") ** 2, {"x": Fraction(1, 2)}).real)
    0.25
    """
    names = tuple(sorted(point))
    claim = Claim(expr, Relation.EQ, expr)
    values = _Evaluator(claim, names).exact(tuple((n, point[n]) for n in names), dps)
    return None if values is None else values[0]


def corroborate(claim: Claim, limit: int = 20) -> int:
    """How many of the simplest points of the domain agree in high precision: the
    evidence for a proved claim that float64 cannot evaluate anywhere (every
    sample overflows, say), so that a proof is still seen to hold somewhere."""
    names = free_names(claim.lhs, claim.rhs)
    domain = claim.domain.complete(names)
    evaluator = _Evaluator(claim, domain.names())
    return sum(1 for point in _grid(domain, limit) if confirm(evaluator, claim.relation, point).kind == "agrees")
