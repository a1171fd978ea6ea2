"""Derivative certificates in one variable: ``g >= 0`` on an interval because
``g`` is at least 0 at one end and moves away from 0 toward the other.

>>> x = sympy.Symbol("x", positive=True)
>>> steps = prove_by_derivatives(sympy.exp(-x) - 1 + x - x**2 / 2 + x**3 / 6, x, interval(0, sympy.oo, False), False)
>>> steps[0]
"g0(0) = 0 and g0' >= 0 on (0, oo), as g1 = g0' >= 0"

The argument, for ``g`` continuous on the closure of ``(a, b)`` within the domain and
differentiable inside (checked once: every function is elementary, every
denominator nonzero, every logarithm's and root's argument positive, on the whole
domain, by the symbolic sign certificates):

- **from the left end**: ``lim g`` at ``a`` is ``>= 0`` and ``g' >= 0`` on ``(a, b)``,
  so ``g`` is nondecreasing there and never below its limit at ``a`` (mean value
  theorem);
- **from the right end**: the same with ``lim g`` at ``b`` and ``g' <= 0``;
- **split at a point** ``c`` inside where ``g(c)`` is exactly ``>= 0`` (an equality
  point: ``x = 1`` of ``x - 1 - log x``): each side separately, with ``c`` as an end.

The sign of ``g'`` (of ``-g'``) is a claim of the same kind, proved by a sign
certificate (SymPy's assumptions with the interval written through a positive
parameter), by interval branch and bound on the interval, or by this argument
again, a few derivatives deep. A value at an end is exact (SymPy evaluates
``g(a)``, or its one-sided limit at an open or infinite end) and its sign is decided
by SymPy, never from a float. Strict claims need the end value ``> 0``, or ``>= 0``
at an end with ``g'`` strictly of the right sign.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from dataclasses import dataclass
from fractions import Fraction

import sympy

from derive.budget import past
from derive.claim import Interval, interval

MAX_DEPTH = 4
"""Derivatives deep: a Taylor bound of order 3 (``e^-x >= 1 - x + x^2/2 - x^3/6``)
needs four."""
MAX_OPS = 80
SECONDS = 6.0
"""A safety net, not the bound of the search: a form whose certificate takes longer is
given up (SymPy's assumptions on a large derivative can run for minutes), and the verdict
is then not settled; what the search does is bounded by counted work (``PIECE_WORK``).
Several times what a form takes here alone, so that a loaded machine does not reach it."""
PIECE_WORK = 30_000
"""Interval branch and bound on one piece evaluates at most this much (about 0.25 s
here), nested searches included, and the pieces of one form ``FORM_WORK`` together:
counted, not timed, so that whether a certificate is found does not depend on the
machine's speed (see ``derive.intervals.WORK``); only the claim's own budget is a time."""
FORM_WORK = 120_000
_ENTIRE = (sympy.exp, sympy.sin, sympy.cos, sympy.atan, sympy.sinh, sympy.cosh, sympy.tanh, sympy.erf)
_POINTS = tuple(
    sympy.Integer(p) if isinstance(p, int) else p
    for p in (0, 1, -1, sympy.Rational(1, 2), 2, -2, sympy.E, sympy.exp(-1), sympy.pi / 2, sympy.pi, -sympy.pi / 2)
)
"""Where a split is tried: simple points, kept only when ``g`` is exactly ``>= 0`` there."""


@dataclass(frozen=True)
class _Piece:
    """The open interval ``(lo, hi)`` of the variable; ``closed_lo``/``closed_hi``: the
    end is a point where ``g`` is continuous (its value is ``g`` there, not a limit)."""

    lo: sympy.Expr
    hi: sympy.Expr
    closed_lo: bool
    closed_hi: bool

    def text(self) -> str:
        return f"({self.lo}, {self.hi})"


class _Search:
    def __init__(self, t: sympy.Symbol, deadline: float):
        self.t = t
        self.deadline = deadline
        self.memo: dict[tuple, list[str] | None] = {}
        self.boxes = False
        """Interval branch and bound on pieces: the second pass, once the cheap
        certificates alone have failed."""
        self.work = FORM_WORK
        """What the pieces' branch and bound may still evaluate (``FORM_WORK`` in all)."""

    def expired(self) -> bool:
        return past(self.deadline)


def prove_by_derivatives(
    g: sympy.Expr, t: sympy.Symbol, dom: Interval, strict: bool, deadline: float | None = None
) -> list[str] | None:
    """The steps of a derivative certificate that ``g >= 0`` (``> 0`` when strict)
    on ``dom``, or None. ``g`` as written is tried first, then forms with the same
    sign (``_forms``).

    >>> x = sympy.Symbol("x", positive=True)
    >>> prove_by_derivatives(x - 1 - sympy.log(x), x, interval(0, sympy.oo), False)[0]
    'split at x = 1, where g0 = 0'
    >>> prove_by_derivatives(x - 1 - sympy.log(x) - sympy.Rational(1, 100), x, interval(0, sympy.oo), False) is None
    True
    """
    limit = time.monotonic() + 2 * SECONDS
    overall = limit if deadline is None else min(limit, deadline)
    if g.free_symbols != {t} or not _smooth(g, t, dom, _Search(t, overall)):
        return None  # g itself defined and continuous on the domain: every form below then has its sign
    for label, h, s, d in _forms(g, t, dom, _Search(t, overall)):
        if past(overall):
            return None
        steps = _certify(h, s, d, strict, min(overall, time.monotonic() + SECONDS))
        if steps is not None:
            return ([label] if label else []) + steps
    return None


def _forms(
    g: sympy.Expr, t: sympy.Symbol, dom: Interval, search: _Search
) -> Iterator[tuple[str, sympy.Expr, sympy.Symbol, Interval]]:
    """``g`` and forms of the same sign on the domain: times a denominator proved
    positive, times ``exp(-a)`` for an ``exp(a)`` in it, and with ``t = s**2``
    (``s >= 0``, an increasing bijection of ``[0, oo)``) when ``t >= 0`` appears under
    a square root.

    >>> x = sympy.Symbol("x", positive=True)
    >>> [label for label, *_ in _forms(1 / (1 + x) - sympy.exp(-x), x, interval(0, sympy.oo), _Search(x, 1e18))]
    ['', 'g0 = (lhs - rhs) * ((x + 1)*exp(x)) (a positive factor)', 'g0 = (lhs - rhs) * exp(x) (a positive factor)']
    """
    yield "", g, t, dom
    numerator, denominator = sympy.fraction(sympy.together(g))
    factors = [] if denominator.free_symbols != {t} else [denominator]
    if factors and not _positive_on(denominator, t, dom, search):
        factors = []
    exps = sorted(g.atoms(sympy.exp), key=sympy.default_sort_key)
    if factors:
        yield f"g0 = (lhs - rhs) * ({denominator}) (a positive factor)", sympy.expand(numerator), t, dom
    for power in exps[:1]:
        h = sympy.powsimp(sympy.expand(g / power))
        yield f"g0 = (lhs - rhs) * exp({-power.args[0]}) (a positive factor)", h, t, dom
    if dom.lo.is_nonnegative and any(p.base == t and p.exp.is_Rational and p.exp.q == 2 for p in g.atoms(sympy.Pow)):
        s = sympy.Symbol(f"{t.name}_s", positive=True)
        h = sympy.expand_log(g.xreplace({t: s**2}), force=False)
        root = interval(sympy.sqrt(dom.lo), sympy.sqrt(dom.hi), dom.lo_open, dom.hi_open)
        yield f"g0 = lhs - rhs at {t} = {s}**2, {s} in {_shown(root)} (an increasing bijection)", h, s, root


def _shown(dom: Interval) -> str:
    return f"{'(' if dom.lo_open else '['}{dom.lo}, {dom.hi}{')' if dom.hi_open else ']'}"


def _positive_on(expr: sympy.Expr, t: sympy.Symbol, dom: Interval, search: _Search) -> bool:
    """``expr > 0`` on the domain, closed ends included."""
    if expr.is_positive:
        return True
    steps = _nonnegative(expr, _Piece(dom.lo, dom.hi, False, False), True, MAX_DEPTH - 1, search)
    if steps is None:
        return False
    for end, closed in ((dom.lo, not dom.lo_open and dom.lo.is_finite), (dom.hi, not dom.hi_open and dom.hi.is_finite)):
        if closed:
            value = _exact(expr.xreplace({t: end}))
            if value is None or value.is_positive is not True:
                return False
    return True


def _certify(g: sympy.Expr, t: sympy.Symbol, dom: Interval, strict: bool, deadline: float) -> list[str] | None:
    search = _Search(t, deadline)
    if g.free_symbols != {t} or not _smooth(g, t, dom, search):
        return None
    piece = _Piece(dom.lo, dom.hi, not dom.lo_open and dom.lo.is_finite, not dom.hi_open and dom.hi.is_finite)
    steps = _nonnegative(g, piece, strict, 0, search)
    if steps is None and not search.expired():
        search.boxes, search.memo = True, {}
        steps = _nonnegative(g, piece, strict, 0, search)
    if steps is None:
        return None
    for end, closed in ((dom.lo, piece.closed_lo), (dom.hi, piece.closed_hi)):
        if closed:  # the argument covers the open interval; a closed end by its exact value
            value = _exact(g.xreplace({t: end}))
            if value is None or not _sign_ok(value, strict):
                return None
            steps.append(f"at {t} = {end}: g0 = {value}")
    return steps


def _nonnegative(g: sympy.Expr, piece: _Piece, strict: bool, depth: int, search: _Search) -> list[str] | None:
    """``g >= 0`` (``> 0``) on the open piece, or None."""
    key = (g, piece, strict)
    if sympy.count_ops(g) > MAX_OPS:  # derivatives grow; SymPy's sign queries on large ones can take minutes
        return None
    if key in search.memo:
        return search.memo[key]
    search.memo[key] = None  # a cycle (the same claim met again below) proves nothing
    steps = _attempt(g, piece, strict, depth, search)
    search.memo[key] = steps
    return steps


def _attempt(g: sympy.Expr, piece: _Piece, strict: bool, depth: int, search: _Search) -> list[str] | None:
    t = search.t
    if search.expired():
        return None
    signed = _sign_certificate(g, t, piece, strict)
    if signed is not None:
        return [signed]
    if search.boxes and depth > 0:
        boxed = _boxes(g, t, piece, strict, search)
        if boxed is not None:
            return [boxed]
    if depth >= MAX_DEPTH:
        return None
    points = [(c, value) for c, value in _points(g, t, piece) if _sign_ok(value, strict)]
    zeros = [(c, value) for c, value in points if value.is_zero is True]
    if zeros:  # a zero inside is a minimum: g is not monotone across it
        return _split(g, piece, zeros[:1], strict, depth, search)
    anchored = _anchored(g, piece, strict, depth, search)
    if anchored is not None or depth > 0:
        return anchored
    return _split(g, piece, points[:2], strict, depth + 1, search)


def _anchored(g: sympy.Expr, piece: _Piece, strict: bool, depth: int, search: _Search) -> list[str] | None:
    """From the left end (``g`` there ``>= 0``, ``g' >= 0``) or the right (``g' <= 0``)."""
    t = search.t
    dg = _derivative(g, t)
    for end, direction in ((piece.lo, "left"), (piece.hi, "right")):
        if search.expired():
            return None
        value = _end_value(g, t, piece, direction)
        if value is None or value.is_extended_nonnegative is not True or value.is_finite is not True:
            continue  # (g -> oo at an end: g cannot move away from it toward the other)
        slope = dg if direction == "left" else -dg
        word = ">=" if direction == "left" else "<="
        # g > 0 needs a positive end value, or g' strictly of the right sign
        slope_strict = strict and value.is_extended_positive is not True
        inner = _nonnegative(slope, piece, slope_strict, depth + 1, search)
        if inner is not None:
            relation = word.replace("=", "") if slope_strict else word
            name, sign = f"g{depth}", "" if direction == "left" else "-"
            head = f"{name}({end}) = {value}" if _closed(piece, direction) else f"{name} -> {value} at {end}"
            slope_word = ">" if slope_strict else ">="
            derivative = f"{name}' {relation} 0 on {piece.text()}, as g{depth + 1} = {sign}{name}' {slope_word} 0"
            return [f"{head} and {derivative}", *_indent(inner)]
    return None


def _split(
    g: sympy.Expr, piece: _Piece, points: list[tuple[sympy.Expr, sympy.Expr]], strict: bool, depth: int, search: _Search
) -> list[str] | None:
    """Each side of a point where ``g`` is exactly ``>= 0`` (``> 0``), with that point
    as an end (where ``g`` is continuous: it is inside the domain)."""
    t = search.t
    for c, value in points:
        if search.expired():
            return None
        left = _nonnegative(g, _Piece(piece.lo, c, piece.closed_lo, True), strict, depth, search)
        if left is None:
            continue
        right = _nonnegative(g, _Piece(c, piece.hi, True, piece.closed_hi), strict, depth, search)
        if right is None:
            continue
        return [f"split at {t} = {c}, where g{depth} = {value}", *_indent(left), *_indent(right)]
    return None


def _points(g: sympy.Expr, t: sympy.Symbol, piece: _Piece) -> list[tuple[sympy.Expr, sympy.Expr]]:
    """Simple points strictly inside the piece with ``g``'s exact value there, those
    where ``g`` is nearest 0 first."""
    found = []
    for c in _POINTS:
        if not _inside(c, piece):
            continue
        value = _exact(g.xreplace({t: c}))
        if value is not None:
            try:
                found.append((abs(float(value.evalf(20))), c, value))
            except (TypeError, ValueError):
                continue
    return [(c, value) for _, c, value in sorted(found, key=lambda item: item[0])]


def _inside(c: sympy.Expr, piece: _Piece) -> bool:
    return bool((piece.lo < c) is sympy.true and (c < piece.hi) is sympy.true)


def _closed(piece: _Piece, direction: str) -> bool:
    return piece.closed_lo if direction == "left" else piece.closed_hi


def _end_value(g: sympy.Expr, t: sympy.Symbol, piece: _Piece, direction: str) -> sympy.Expr | None:
    """``g`` at the end (continuous there), or its one-sided limit (open or infinite end)."""
    end = piece.lo if direction == "left" else piece.hi
    if _closed(piece, direction):
        return _exact(g.xreplace({t: end}))
    try:
        value = sympy.limit(g, t, end, "+" if direction == "left" else "-")
    except (NotImplementedError, ValueError, TypeError, RecursionError, ZeroDivisionError):
        return None
    if value.has(sympy.AccumBounds, sympy.nan, sympy.zoo) or value.is_extended_real is not True:
        return None
    return value  # type: ignore[no-any-return]


def _exact(value: sympy.Expr) -> sympy.Expr | None:
    """A real number, simplified when its sign is not evident; None if undefined."""
    if value.has(sympy.nan, sympy.zoo, sympy.oo, -sympy.oo) or value.free_symbols:
        return None
    if value.is_extended_real is not True:
        value = sympy.simplify(value)
        if value.is_extended_real is not True:
            return None
    if value.is_nonnegative is None and value.is_negative is None:
        value = sympy.simplify(value)
    return value  # type: ignore[no-any-return]


def _sign_ok(value: sympy.Expr, strict: bool) -> bool:
    return bool(value.is_positive if strict else value.is_nonnegative)


def _derivative(g: sympy.Expr, t: sympy.Symbol) -> sympy.Expr:
    d = sympy.diff(g, t)
    if d.is_rational_function(t) and sympy.count_ops(d) <= 80:
        return sympy.factor(sympy.cancel(d))
    return d


def _sign_certificate(g: sympy.Expr, t: sympy.Symbol, piece: _Piece, strict: bool) -> str | None:
    """SymPy's assumptions on ``g`` with ``t`` written through a positive parameter
    ranging over the open piece (``(a + b u)/(1 + u)``, ``a + u``, ``b - u``)."""
    u = sympy.Symbol("_u", positive=True)
    lo, hi = (
        _outward(piece.lo, sympy.floor),
        _outward(piece.hi, sympy.ceiling),
    )  # SymPy's evalf loops on exp(-exp(-1)*u)
    if lo.is_finite and hi.is_finite:
        through = (lo + hi * u) / (1 + u)
    elif lo.is_finite:
        through = lo + u
    elif hi.is_finite:
        through = hi - u
    else:
        through = sympy.Symbol("_r", real=True)
    expr = g.xreplace({t: through})
    forms = [expr, sympy.factor(sympy.cancel(expr)) if expr.is_rational_function() else sympy.expand(expr)]
    for form in forms:
        good = form.is_positive if strict else form.is_nonnegative
        if good:
            return f"{'positive' if strict else 'nonnegative'} on {piece.text()} (SymPy's assumptions)"
    return None


def _boxes(g: sympy.Expr, t: sympy.Symbol, piece: _Piece, strict: bool, search: _Search) -> str | None:
    """Interval branch and bound on the closure of the piece (rational or infinite
    ends; an irrational end is widened outward to a rational, which only makes the
    claim stronger)."""
    from derive.intervals import INF, UnsupportedError, branch_and_bound

    ends: list[Fraction | float] = []
    for end in (_outward(piece.lo, sympy.floor), _outward(piece.hi, sympy.ceiling)):
        if end is sympy.oo or end is -sympy.oo:
            ends.append(INF if end is sympy.oo else -INF)
        else:
            ends.append(Fraction(int(end.p), int(end.q)))
    work = min(PIECE_WORK, search.work)
    if work <= 0:
        return None
    try:
        result = branch_and_bound(g, {t: (ends[0], ends[1])}, strict, search.deadline, 600, work)
    except (UnsupportedError, RecursionError):
        return None
    search.work -= result.work
    if result.status != "proved":
        return None
    sign = "positive" if strict else "nonnegative"
    return f"{sign} on [{ends[0]}, {ends[1]}] by interval arithmetic, {result.boxes} boxes"


def _outward(end: sympy.Expr, round_end: type) -> sympy.Expr:
    """A rational end (or an infinite one) at or beyond ``end``: the exact floor (for
    a left end) or ceiling of 2^20 times it, over 2^20. The certificates then cover
    a piece containing the given one, which only makes the claim stronger.

    >>> _outward(sympy.pi, sympy.ceiling)
    3294199/1048576
    """
    if end.is_Rational or end.is_infinite:
        return end
    return sympy.Rational(int(round_end(end * 2**20)), 2**20)


def _smooth(g: sympy.Expr, t: sympy.Symbol, dom: Interval, search: _Search) -> bool:
    """Continuous on the domain and differentiable inside: elementary functions
    only, denominators nonzero, logarithms' and roots' arguments positive (each by
    this module's own argument, without splits: on the whole domain)."""
    allowed = (sympy.Add, sympy.Mul, sympy.Pow, sympy.log, sympy.Symbol, *_ENTIRE)
    conditions: list[sympy.Expr] = []
    for node in sympy.preorder_traversal(g):
        if node.is_number:
            continue
        if isinstance(node, sympy.tan):
            conditions.append(sympy.cos(node.args[0]) ** 2)  # cos != 0: no pole of tan
            continue
        if not isinstance(node, allowed):
            return False
        if isinstance(node, sympy.log):
            conditions.append(node.args[0])
        if isinstance(node, sympy.Pow) and not (node.exp.is_Integer and node.exp > 0):
            conditions.append(node.base)
    return all(_positive_on(condition, t, dom, search) for condition in conditions)


def _indent(steps: list[str]) -> list[str]:
    return [f"  {step}" for step in steps]


__all__ = ["interval", "prove_by_derivatives"]
