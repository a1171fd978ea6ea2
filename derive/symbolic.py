"""The symbolic stage: simplification, sign certificates and convexity, under the
domain's assumptions, cheapest first.

Each stage either settles the claim (``proved`` or ``refuted``) or passes on; the
residue and the forms tried are kept as evidence.

>>> import sympy
>>> from derive.claim import Claim, Domain, Relation, positive
>>> x, y = sympy.symbols("x y")
>>> claim = Claim(sympy.log(x * y), Relation.EQ, sympy.log(x) + sympy.log(y),
...               Domain.of(x=positive(), y=positive()))
>>> prove(claim).status, prove(claim).method
('proved', 'symbolic: expand')
>>> prove(Claim(sympy.exp(x), Relation.GE, 1 + x)).method
'symbolic: convexity'
"""

from __future__ import annotations

import functools
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from fractions import Fraction

import sympy

from derive.budget import past
from derive.claim import Claim, Domain, Interval, Relation, Simplex
from derive.exp_limits import limit
from derive.functions import expand_functions, expand_information
from derive.gaussian_moments import whole_line


@dataclass(frozen=True)
class SymbolicResult:
    """``status`` is ``proved``, ``refuted`` or ``unknown``; ``steps`` lists the
    forms tried and what they gave."""

    status: str
    method: str
    steps: tuple[str, ...] = ()
    residue: str = ""
    complete: bool = True


class _Clock:
    def __init__(self, deadline: float | None):
        self.deadline = deadline

    def expired(self) -> bool:
        return past(self.deadline)


def assumed_symbols(domain: Domain, names: tuple[str, ...]) -> dict[sympy.Symbol, sympy.Symbol]:
    """Plain symbol -> symbol carrying the SymPy assumptions of its domain."""
    facts = domain.assumptions()
    return {sympy.Symbol(n): sympy.Symbol(n, **facts.get(n, {"real": True})) for n in names}


def prepare(expr: sympy.Expr, domain: Domain | None = None) -> sympy.Expr:
    """Evaluate derivatives, finite sums and products, limits and integrals under
    the domain's assumptions: a derivative step is checked by differentiating,
    never trusted. Free symbols come back plain. (Remembered: a derivation's
    steps share sides, and a diagnosis' candidates share the claim's.)

    >>> z = sympy.Symbol("z")
    >>> prepare(sympy.Derivative(z**3, z))
    3*z**2
    """
    return _prepare(expr, domain or Domain())[0]


def integrals(expr: sympy.Expr, domain: Domain | None = None) -> tuple[tuple[sympy.Integral, sympy.Expr], ...]:
    """The integrals ``prepare`` evaluated in ``expr``, each with the value SymPy gave it
    (innermost first; an outer integral holds its inner ones' values), free symbols plain.

    >>> z, t = sympy.symbols("z t")
    >>> integrals(sympy.Integral(z * t, (t, 0, 1)) + 1)
    ((Integral(t*z, (t, 0, 1)), z/2),)
    """
    return tuple(pair for pair in _prepare(expr, domain or Domain())[1] if isinstance(pair[0], sympy.Integral))


def limits(expr: sympy.Expr, domain: Domain | None = None) -> tuple[tuple[sympy.Limit, sympy.Expr], ...]:
    """The limits ``prepare`` evaluated in ``expr``, each with the value SymPy gave it
    (what is inside a limit evaluated first), free symbols plain.

    >>> z = sympy.Symbol("z")
    >>> limits(sympy.Limit(sympy.sin(z) / z, z, 0))
    ((Limit(sin(z)/z, z, 0, dir='+'), 1),)
    """
    return tuple(pair for pair in _prepare(expr, domain or Domain())[1] if isinstance(pair[0], sympy.Limit))


@functools.lru_cache(maxsize=512)
def _prepare(expr: sympy.Expr, domain: Domain) -> tuple[sympy.Expr, tuple[tuple[sympy.Expr, sympy.Expr], ...]]:
    names = tuple(sorted(s.name for s in expr.free_symbols))
    symbols = assumed_symbols(domain, names)
    plain = {v: k for k, v in symbols.items()}
    evaluated: list[tuple[sympy.Expr, sympy.Expr]] = []

    def recorded(node: sympy.Expr, value: sympy.Expr) -> sympy.Expr:
        evaluated.append((node.xreplace(plain), value.xreplace(plain)))
        return value

    done = expand_information(expr).xreplace(symbols)
    if done.has(sympy.Sum, sympy.Product, sympy.Derivative, sympy.Subs, sympy.Limit):  # else nothing to replace
        done = done.replace(_evaluable, lambda e: recorded(e, limit(e)) if isinstance(e, sympy.Limit) else e.doit())
    if done.has(sympy.Integral):
        done = done.replace(lambda e: isinstance(e, sympy.Integral), lambda e: recorded(e, _integrate(e)))
    return done.xreplace(plain), tuple(evaluated)


def prepare_general(expr: sympy.Expr, replace: dict) -> sympy.Expr:
    """Information quantities written out, derivatives and limits evaluated (sums
    and products stay symbolic), then the symbols of ``replace`` put in (they carry the
    assumptions of the symbolic stage, and SymPy re-evaluates what they touch). (Remembered,
    and evaluated once for both stages: the numeric and symbolic stages and a diagnosis'
    candidates prepare the same sides.)"""
    return _prepare_general(expr, tuple(replace.items()))


@functools.lru_cache(maxsize=512)
def _prepare_general(expr: sympy.Expr, replace: tuple[tuple[sympy.Basic, sympy.Basic], ...]) -> sympy.Expr:
    if replace:
        return _prepare_general(expr, ()).xreplace(dict(replace))  # type: ignore[no-any-return]
    expr = expand_information(expr)
    kinds = (sympy.Derivative, sympy.Subs, sympy.Limit)
    if not expr.has(*kinds):
        return expr
    return expr.replace(lambda e: isinstance(e, kinds), _evaluated)  # type: ignore[no-any-return]


def _evaluated(e: sympy.Basic) -> sympy.Basic:
    """A derivative or limit evaluated at its own level; a substitution made
    (SymPy's ``Subs.doit`` would also sum every sum inside it, at length).

    >>> x, n = sympy.symbols("x n")
    >>> _evaluated(sympy.Subs(x**2, x, n + 1))
    (n + 1)**2
    """
    if isinstance(e, sympy.Subs):
        return e.expr.subs(list(zip(e.variables, e.point, strict=True)), simultaneous=True)
    if isinstance(e, sympy.Limit):
        return limit(e, deep=False)
    return e.doit(deep=False)


def _evaluable(e: sympy.Basic) -> bool:
    """Derivatives, substitutions, limits, and sums and products of a known length
    (one of symbolic length stays a sum: ``derive.sums`` proves it for every length)."""
    if isinstance(e, (sympy.Sum, sympy.Product)):
        return all(bound.is_number for _, low, high in e.limits for bound in (low, high))
    return isinstance(e, (sympy.Derivative, sympy.Subs, sympy.Limit))


def _integrate(integral: sympy.Integral) -> sympy.Expr:
    """``integral`` evaluated: over the whole line, centred on its Gaussian factor (the
    line is translation invariant) and, when it is a sum of Gaussian moments, in closed
    form (``derive.gaussian_moments``); anything else by SymPy's ``integrate``."""
    function = integral.function
    line = None
    if len(integral.limits) == 1 and len(integral.limits[0]) == 3:
        x, low, high = integral.limits[0]
        if (low, high) == (-sympy.oo, sympy.oo):
            line = x
            shift = _gaussian_centre(function, x)
            if shift != 0:
                function = function.xreplace({x: x + shift})
    integrand = sympy.expand(sympy.expand_log(function, force=False))
    moments = None if line is None else whole_line(integrand, line)
    return sympy.integrate(integrand, *integral.limits) if moments is None else moments


def _gaussian_centre(integrand: sympy.Expr, x: sympy.Symbol) -> sympy.Expr:
    """The centre ``-b/(2a)`` of a Gaussian factor ``exp(a x^2 + b x + c)`` (a < 0) of
    the integrand, or 0.

    >>> x, m = sympy.symbols("x m")
    >>> _gaussian_centre(sympy.exp(-(x - m)**2 / 2) * sympy.log(x**2 + 1), x)
    m
    """
    for factor in sympy.Mul.make_args(integrand):
        if not isinstance(factor, sympy.exp):
            continue
        exponent = sympy.expand(factor.args[0])
        if exponent.is_polynomial(x) and sympy.degree(exponent, x) == 2:
            a, b, _ = sympy.Poly(exponent, x).all_coeffs()
            if a.is_negative:
                return sympy.simplify(-b / (2 * a))
    return sympy.Integer(0)


def _constant(expr: sympy.Expr) -> Callable[[], sympy.Expr]:
    return lambda: expr


def _forms(expr: sympy.Expr) -> Iterator[tuple[str, Callable[[], sympy.Expr]]]:
    """An equality's forms: the cheap ones, derive's functions written out and
    cancelled (``sigmoid(z)`` is a rational function of ``exp(-z)``), the costly ones."""
    yield from _cheap_forms(expr)
    exp_form = expand_functions(expr)
    if exp_form != expr:
        yield "exp form", lambda: sympy.cancel(sympy.together(exp_form))
    yield from _costly_forms(expr, exp_form)


def _cheap_forms(expr: sympy.Expr) -> Iterator[tuple[str, Callable[[], sympy.Expr]]]:
    yield "expand", lambda: sympy.expand(expr)
    yield "cancel", lambda: sympy.cancel(sympy.together(expr))
    yield "expand_log", lambda: sympy.expand(sympy.expand_log(expr, force=False))
    if expr.is_rational_function():
        yield "factor", lambda: sympy.factor(expr)


def _sign_forms(expr: sympy.Expr) -> Iterator[tuple[str, Callable[[], sympy.Expr]]]:
    """Forms that only show a sign (an inequality's): each logarithm as ``log(1 + a)``
    or ``-log(1 + a)`` with ``a`` positive (``logs_from_one``), over one denominator."""
    if expr.has(sympy.log):
        yield "logs from 1, cancelled", lambda: _cancelled(logs_from_one(expr), expr)


def _cancelled(rewritten: sympy.Expr, expr: sympy.Expr) -> sympy.Expr:
    """``rewritten`` over one denominator, or ``expr`` itself when nothing was rewritten
    (the cheap forms have tried it)."""
    return expr if rewritten is expr else sympy.cancel(sympy.together(rewritten))


def logs_from_one(expr: sympy.Expr) -> sympy.Expr:
    """``expr`` with each ``log(r)`` whose argument is plainly above 1 written
    ``log(1 + (r - 1))``, and plainly in (0, 1) written ``-log(1 + (1 - r)/r)``, the
    parts cancelled: the same value, with a sign SymPy's assumptions can see (it does
    not know that ``u/(u + 1) < 1`` for ``u > 0``).

    >>> u = sympy.Symbol("u", positive=True)
    >>> logs_from_one(sympy.log(u / (u + 1))), logs_from_one(sympy.log(u / (u + 1))).is_negative
    (-log(1 + 1/u), True)
    >>> logs_from_one(sympy.log(u))
    log(u)
    """
    rewritten = {}
    for node in expr.atoms(sympy.log):
        r = node.args[0]
        if not r.is_positive:
            continue
        above = sympy.cancel(r - 1)
        if above.is_positive:
            rewritten[node] = sympy.log(1 + above)
            continue
        below = sympy.cancel((1 - r) / r)
        if sympy.cancel(1 - r).is_positive and below.is_positive:
            rewritten[node] = -sympy.log(1 + below)
    return expr.xreplace(rewritten) if rewritten else expr


def _costly_forms(
    expr: sympy.Expr, exp_form: sympy.Expr | None = None
) -> Iterator[tuple[str, Callable[[], sympy.Expr]]]:
    """``exp_form``: ``expr`` with derive's functions written out, when the caller has it.
    (``simplify(expr)`` is computed once: the last form starts from it.)"""
    if not expr.is_rational_function():  # factoring through logs and exponentials can take seconds
        yield "factor", lambda: sympy.factor(expr)
    simplified = functools.cache(lambda: sympy.simplify(expr))
    yield "simplify", simplified
    exp_form = expand_functions(expr) if exp_form is None else exp_form
    if exp_form != expr:
        yield "exp form", lambda: sympy.simplify(exp_form)
    if expr.has(sympy.tanh, sympy.sinh, sympy.cosh, sympy.tan):
        yield "rewrite in exp", lambda: sympy.simplify(exp_form.rewrite(sympy.exp))
    yield "simplify(expand_log)", lambda: sympy.simplify(sympy.expand_log(simplified(), force=False))


def simplex_substitutions(domain: Domain, symbols: dict[sympy.Symbol, sympy.Symbol]) -> dict:
    subs = {}
    by_name = {s.name: s for s in symbols.values()}
    for binding in domain.bindings:
        if isinstance(binding.domain, Simplex) and all(n in by_name for n in binding.names):
            *head, last = (by_name[n] for n in binding.names)
            subs[last] = 1 - sum(head)
    return subs


def _sign_substitutions(domain: Domain, symbols: dict[sympy.Symbol, sympy.Symbol]) -> dict:
    """Rewrite each bounded interval variable through a positive parameter, so that
    SymPy's assumptions see both bounds: (a, b) ∋ (a + b*u)/(1 + u), u > 0."""
    subs = {}
    for plain, assumed in symbols.items():
        if not domain.is_scalar(plain.name):
            if any(plain.name in b.names and isinstance(b.domain, Simplex) for b in domain.bindings):
                u = sympy.Symbol(f"_u_{plain.name}", positive=True)
                subs[assumed] = u / (1 + u)  # each entry of a probability vector is in (0, 1)
            continue
        dom = domain.scalar(plain.name)
        if dom is None or dom.integer:
            continue
        u = sympy.Symbol(f"_u_{plain.name}", positive=True)
        lo, hi = dom.lo, dom.hi
        if lo.is_finite and hi.is_finite:
            subs[assumed] = (lo + hi * u) / (1 + u)
        elif lo.is_finite and lo != 0:
            subs[assumed] = lo + u
        elif hi.is_finite and hi != 0:
            subs[assumed] = hi - u
    return subs


def prove(claim: Claim, deadline: float | None = None) -> SymbolicResult:
    """Try to prove or refute ``claim`` symbolically before ``deadline`` (monotonic)."""
    clock = _Clock(deadline)
    names = tuple(sorted({s.name for s in (claim.lhs.free_symbols | claim.rhs.free_symbols)}))
    symbols = assumed_symbols(claim.domain, names)
    lhs = prepare(claim.lhs, claim.domain).xreplace(symbols)
    rhs = prepare(claim.rhs, claim.domain).xreplace(symbols)
    if claim.relation is Relation.ARGMAX:
        over = {symbols[sympy.Symbol(n)] for n in claim.over}
        return _same_maximiser(lhs, rhs, over, clock)
    if claim.relation is Relation.EQ:
        return _equality(lhs - rhs, claim.domain, symbols, clock)
    difference = lhs - rhs if claim.relation in (Relation.GE, Relation.GT) else rhs - lhs
    strict = claim.relation in (Relation.GT, Relation.LT)
    result = _inequality(difference, strict, claim.domain, symbols, clock)
    if result.status == "unknown" and result.complete:
        from derive.lemmas import prove_by_lemma  # the classical lemmas, last

        lemma = prove_by_lemma(claim, deadline)
        if lemma is not None:
            return SymbolicResult("proved", lemma.method, (*result.steps, *lemma.steps), lemma.residue)
    return result


def _equality(d: sympy.Expr, domain: Domain, symbols: dict, clock: _Clock) -> SymbolicResult:
    steps: list[str] = []
    candidates = [("as written", d)]
    simplex = simplex_substitutions(domain, symbols)
    if simplex:
        candidates.append(("on the simplex", d.xreplace(simplex)))
    residue = d
    for label, start in candidates:
        if start == 0:
            return SymbolicResult("proved", "symbolic: identical", (f"{label}: lhs - rhs is 0",), "0")
        for name, form in _forms(start):
            if clock.expired():
                return SymbolicResult("unknown", "symbolic", tuple(steps), str(residue), complete=False)
            value = form()
            steps.append(f"{name} ({label}): {_short(value)}")
            if value == 0:
                method = name if label == "as written" else f"{name} on the simplex"
                return SymbolicResult("proved", f"symbolic: {method}", tuple(steps), "0")
            if sympy.count_ops(value) < sympy.count_ops(residue):
                residue = value
            constant = _nonzero_constant(value)
            if constant is not None:
                steps.append(f"lhs - rhs is the nonzero constant {constant}")
                return SymbolicResult("refuted", "symbolic: constant difference", tuple(steps), constant)
    if residue.is_zero is False:
        steps.append(f"lhs - rhs = {_short(residue)} is never zero under the assumptions")
        return SymbolicResult("refuted", "symbolic: nonzero under assumptions", tuple(steps), str(residue))
    return SymbolicResult("unknown", "symbolic", tuple(steps), str(residue))


def _nonzero_constant(value: sympy.Expr) -> str | None:
    if value.free_symbols or not value.is_number:
        return None
    if value.is_zero is False:
        return str(value)
    approx = value.evalf(60)
    if approx.is_Number and abs(approx) > sympy.Float("1e-40"):
        return str(value)
    return None


def _inequality(
    d: sympy.Expr,
    strict: bool,
    domain: Domain,
    symbols: dict,
    clock: _Clock,
    tight_sets: bool = True,
    boxes: bool = True,
) -> SymbolicResult:
    """Certificates that ``d >= 0`` (``d > 0`` when strict) on the domain; inside a
    tight-set certificate (``tight_sets=False``) only the cheap forms are tried, and
    ``boxes=False`` leaves out interval branch and bound (the slowest)."""
    steps: list[str] = []
    reparam = _sign_substitutions(domain, symbols)
    variants = [("as written", d)]
    if reparam:
        variants.append(("bounds as parameters", d.xreplace(reparam)))
    simplex = simplex_substitutions(domain, symbols)
    if simplex:
        variants.insert(1, ("on the simplex", d.xreplace(simplex)))
    want = "positive" if strict else "nonnegative"
    phases = ("cheap", "tight set", "costly") if tight_sets else ("cheap",)
    for phase in phases:  # cheap forms everywhere before any simplify
        for label, expr in variants:
            if clock.expired():
                return SymbolicResult("unknown", "symbolic", tuple(steps), str(d), complete=False)
            if phase == "tight set":
                if label == "bounds as parameters" or not tight_sets:
                    continue
                tight = _tight_set(expr, strict, domain, symbols, clock)
                if tight is not None:
                    method = "symbolic: monotone toward a tight set"
                    return SymbolicResult("proved", method, (*steps, *tight), _short(d))
                continue
            cheap = phase == "cheap"
            forms = (
                [("as is", _constant(expr)), *_cheap_forms(expr)]
                if cheap
                else [*_sign_forms(expr), *_costly_forms(expr)]
            )
            for name, form in forms:
                if clock.expired():
                    return SymbolicResult("unknown", "symbolic", tuple(steps), str(d), complete=False)
                value = form()
                good = value.is_positive if strict else value.is_nonnegative
                if good:
                    steps.append(f"{name} ({label}): {_short(value)} is {want}")
                    return SymbolicResult("proved", "symbolic: sign", tuple(steps), _short(value))
                bad = value.is_nonpositive if strict else value.is_negative
                if bad:
                    steps.append(f"{name} ({label}): {_short(value)} is never {want}")
                    return SymbolicResult("refuted", "symbolic: sign", tuple(steps), _short(value))
            if not cheap:
                steps.append(f"no sign certificate ({label})")
    single = list(symbols.values())
    if len(single) == 1 and domain.is_scalar(single[0].name):
        result = _convexity(d, single[0], domain.scalar(single[0].name), strict, reparam, clock)
        if result is not None:
            return SymbolicResult(result[0], "symbolic: convexity", (*steps, *result[1]), _short(d))
        if tight_sets and not clock.expired():
            from derive.derivatives import prove_by_derivatives

            chain = prove_by_derivatives(
                expand_functions(d), single[0], domain.scalar(single[0].name), strict, clock.deadline
            )
            if chain is not None:
                head = f"lhs - rhs = {_short(d)}, g0 unless said otherwise"
                return SymbolicResult("proved", "symbolic: derivative certificate", (*steps, head, *chain), _short(d))
    if tight_sets and boxes:
        for label, expr in variants:
            if label == "bounds as parameters" or clock.expired():
                continue
            boxed = _interval_stage(expr, strict, domain, clock)
            if boxed is not None:
                return SymbolicResult("proved", boxed[0], (*steps, *boxed[1]), _short(d))
    return SymbolicResult("unknown", "symbolic", tuple(steps), _short(d))


INTERVAL_WORK = 150_000
"""How much one claim's interval branch and bound may evaluate, nested searches included
(after every other method; about 1 s here): a count, not a time, so that the verdict does
not depend on the machine's speed (see ``derive.intervals.WORK``)."""
INTERVAL_SECONDS = 6.0
"""A safety net, not the bound of the search (SymPy's limits at an unbounded side can
take minutes): a search that reaches it gives up, and the verdict is then not settled.
Several times what the work takes here alone, so that a loaded machine does not reach it."""


def _interval_stage(d: sympy.Expr, strict: bool, domain: Domain, clock: _Clock) -> tuple[str, list[str]] | None:
    """Rigorous interval branch and bound over the box of the variables' bounded
    intervals (an entry of a two-outcome simplex lies in (0, 1)); the method names
    the number of boxes and the detail how to reproduce it."""
    from derive.intervals import INF, PRECISION, branch_and_bound

    box = {}
    for variable in d.free_symbols:
        bounds = _interval_of(domain, variable.name)
        ends = None if bounds is None else [_box_end(bounds.lo), _box_end(bounds.hi)]
        if ends is None or ends[0] is None or ends[1] is None:
            return None
        if not domain.is_scalar(variable.name):
            size = next(b.domain.width() for b in domain.bindings if variable.name in b.names)
            if size > 2:  # the box (0, 1)^(n-1) would hold points off the simplex
                return None
        box[variable] = (ends[0], ends[1])
    if not box or len(box) > 3:
        return None
    limit = time.monotonic() + INTERVAL_SECONDS
    deadline = limit if clock.deadline is None else min(limit, clock.deadline)
    result = branch_and_bound(d, box, strict, deadline, work=INTERVAL_WORK)
    if result.status != "proved":
        return None
    where = ", ".join(
        f"{v} in {'(-oo' if lo == -INF else f'[{lo}'}, {'oo)' if hi == INF else f'{hi}]'}"
        for v, (lo, hi) in sorted(box.items(), key=lambda item: item[0].name)
    )
    detail = (
        f"{'lhs - rhs > 0' if strict else 'lhs - rhs >= 0'} on the box {where}: bisection of the widest "
        f"side, mpmath interval arithmetic at {PRECISION} bits with outward rounding; near an equality point, "
        f"monotonicity from an enclosure of the derivative; {result.boxes} boxes, every one decided"
    )
    if any(INF in (abs(lo), abs(hi)) for lo, hi in box.values()):
        detail += "; an unbounded side split at 0, 1, 2, 4, ..., its tail decided by monotonicity and SymPy's limit"
    return f"interval arithmetic, {result.boxes} boxes", [detail]


def _box_end(value: sympy.Expr) -> Fraction | float | None:
    """A side of an interval-arithmetic box: a rational, an unbounded end (limits
    decide there), or None (an irrational end)."""
    from derive.intervals import INF

    if value is sympy.oo or value is sympy.S.NegativeInfinity:
        return INF if value is sympy.oo else -INF
    return Fraction(int(value.p), int(value.q)) if value.is_Rational else None


def _tight_set(d: sympy.Expr, strict: bool, domain: Domain, symbols: dict, clock: _Clock) -> list[str] | None:
    """``d >= 0`` when ``d`` vanishes on ``v = u`` and ``dd/dv = (v - u) h`` with
    ``h >= 0``: for fixed other variables ``d`` decreases in ``v`` up to ``u`` and
    increases after it, so its least value is ``d(v = u) = 0``. Both variables have
    the same interval (so ``u`` is a value ``v`` takes); Pinsker's inequality on
    two outcomes is this, with ``v = q``, ``u = p``.

    >>> p, q = sympy.symbols("p q", positive=True)
    >>> from derive.claim import interval
    >>> dom = Domain.of(p=interval(0, 1), q=interval(0, 1))
    >>> kl = p * sympy.log(p / q) + (1 - p) * sympy.log((1 - p) / (1 - q))
    >>> _tight_set(kl - 2 * (p - q) ** 2, False, dom, {sympy.Symbol("p"): p, sympy.Symbol("q"): q}, _Clock(None))[0]
    'd vanishes on q = p'
    """
    if strict:
        return None
    variables = sorted(d.free_symbols, key=lambda s: s.name)
    if not 2 <= len(variables) <= 4:
        return None
    scalar = {v: _interval_of(domain, v.name) for v in variables}
    for v in variables:
        for u in variables:
            if u == v or scalar[v] is None or scalar[v] != scalar[u] or clock.expired():
                continue
            if not _vanishes(d.xreplace({v: u})):
                continue
            h = sympy.factor(sympy.cancel(sympy.together(sympy.diff(d, v) / (v - u))))
            if h.has(sympy.zoo, sympy.nan) or h.has(sympy.Derivative):
                continue
            if not _smooth(d, domain, symbols, clock):  # a pole or a log of 0 inside would break the argument
                return None
            inner = _inequality(h, False, domain, symbols, clock, tight_sets=False)
            if inner.status == "proved":
                return [
                    f"d vanishes on {v} = {u}",
                    f"dd/d{v} = ({v} - {u}) * h with h = {_short(h)}",
                    f"h >= 0 ({inner.method}): d is least at {v} = {u}, where it is 0",
                ]
    return None


def _smooth(expr: sympy.Expr, domain: Domain, symbols: dict, clock: _Clock) -> bool:
    """Differentiable on the whole domain, by certificates: every denominator is
    nonzero, every logarithm's argument positive, every root's argument positive,
    and only elementary functions occur."""
    allowed = (sympy.Add, sympy.Mul, sympy.Pow, sympy.log, sympy.exp, sympy.Symbol, sympy.Number)
    if any(not isinstance(node, allowed) and not node.is_number for node in sympy.preorder_traversal(expr)):
        return False
    positive: list[sympy.Expr] = [node.args[0] for node in expr.atoms(sympy.log)]
    for power in expr.atoms(sympy.Pow):
        if not (power.exp.is_Integer and power.exp > 0):
            positive.append(power.base)
    for candidate in positive:
        if candidate.is_positive:
            continue
        if _inequality(candidate, True, domain, symbols, clock, tight_sets=False).status != "proved":
            return False
    return True


def _vanishes(expr: sympy.Expr) -> bool:
    """``expr == 0`` identically: a cheap numeric look first (most candidates fail
    it), then cheap rewrites, then ``simplify``."""
    free = sorted(expr.free_symbols, key=lambda s: s.name)
    for k in range(3):
        point = {s: sympy.Rational(2 * j + k + 2, 7 * j + 3 * k + 11) for j, s in enumerate(free)}
        value = expr.xreplace(point).evalf(30)
        if value.is_number and value.is_finite and abs(value) > sympy.Float("1e-20"):
            return False
    for form in (sympy.expand(sympy.expand_log(expr, force=False)), sympy.cancel(sympy.together(expr))):
        if form == 0:
            return True
    return bool(sympy.simplify(expr) == 0)


def _interval_of(domain: Domain, name: str) -> Interval | None:
    """The interval of a scalar variable, or (0, 1) for an entry of a fixed simplex."""
    if domain.is_scalar(name):
        return domain.scalar(name)
    if any(name in b.names and isinstance(b.domain, Simplex) for b in domain.bindings):
        return Interval(sympy.Integer(0), sympy.Integer(1), True, True)
    return None


def _sign(expr: sympy.Expr, reparam: dict) -> tuple[bool | None, bool | None]:
    """(is_nonnegative, is_positive) of expr, trying the bound-aware rewrite too."""
    forms = (lambda: expr, lambda: sympy.simplify(expr), lambda: sympy.simplify(expr.xreplace(reparam)))
    for form in forms:  # each simplified only when the one before had no known sign
        candidate = form()
        if candidate.is_nonnegative is not None or candidate.is_positive is not None:
            return candidate.is_nonnegative, candidate.is_positive
    return None, None


def _convexity(
    d: sympy.Expr, t: sympy.Symbol, dom: Interval, strict: bool, reparam: dict, clock: _Clock
) -> tuple[str, list[str]] | None:
    """A convex ``d`` is minimal at its unique critical point (or, with none, at an
    end of the interval); a concave one at an end. Compare that minimum with 0."""
    region = sympy.Interval(dom.lo, dom.hi, dom.lo_open, dom.hi_open)
    d1 = sympy.diff(d, t)
    d2 = sympy.simplify(sympy.diff(d1, t))
    nonneg2, pos2 = _sign(d2, reparam)
    nonneg_neg2, pos_neg2 = _sign(-d2, reparam)
    steps = [f"d/d{t} = {_short(d1)}", f"d2/d{t}2 = {_short(d2)}"]
    if clock.expired():
        return None
    if nonneg2:
        steps.append(f"convex on {region}: second derivative is nonnegative")
        critical = sympy.solveset(d1, t, region)
        if not isinstance(critical, sympy.FiniteSet):
            return None
        if len(critical) == 1:
            (t0,) = critical
            minimum = sympy.simplify(d.subs(t, t0))
            steps.append(f"unique critical point {t} = {t0}, minimum {minimum}")
            return _compare_minimum(minimum, strict, steps, exact_at_point=True, strictly_convex=bool(pos2))
        if len(critical) == 0:
            return _ends(d, t, dom, strict, steps)
        return None
    if nonneg_neg2:
        steps.append(f"concave on {region}: the minimum is at an end")
        result = _ends(d, t, dom, strict and bool(pos_neg2), steps)
        if result is not None and strict and not pos_neg2:
            return None
        return result
    return None


def _ends(d: sympy.Expr, t: sympy.Symbol, dom: Interval, strict: bool, steps: list[str]) -> tuple | None:
    values = []
    for end, direction, is_open in ((dom.lo, "+", dom.lo_open), (dom.hi, "-", dom.hi_open)):
        value = sympy.limit(d, t, end, direction) if (is_open or not end.is_finite) else d.subs(t, end)
        steps.append(f"at {t} -> {end}: {value}")
        values.append((value, is_open or not end.is_finite))
    if any(v.is_nonnegative is None and v is not sympy.oo for v, _ in values):
        return None
    if all(v is sympy.oo or v.is_nonnegative for v, _ in values):
        if strict and not all(v is sympy.oo or v.is_positive or open_end for v, open_end in values):
            return None
        return "proved", steps
    return None


def _compare_minimum(
    minimum: sympy.Expr, strict: bool, steps: list[str], exact_at_point: bool, strictly_convex: bool
) -> tuple[str, list[str]] | None:
    if minimum.is_positive or (minimum.is_nonnegative and not strict):
        return "proved", steps
    if minimum.is_negative or (strict and minimum.is_zero):
        return "refuted", steps
    return None


def _same_maximiser(f: sympy.Expr, g: sympy.Expr, over: set, clock: _Clock) -> SymbolicResult:
    """``g = T(f) + c`` or ``g = k*T(f)`` with ``T`` the identity or log, ``k > 0``
    and ``c``, ``k`` free of the maximised variables: ``g`` is a strictly increasing
    function of ``f`` for each value of the other variables."""
    steps: list[str] = []
    transforms: list[tuple[str, Callable[[sympy.Expr], sympy.Expr]]] = [
        ("identity", lambda e: e),
        ("log", sympy.log),
    ]
    for a, b, label in ((f, g, "rhs"), (g, f, "lhs")):
        for name, transform in transforms:
            if clock.expired():
                return SymbolicResult("unknown", "symbolic", tuple(steps), complete=False)
            if name == "log" and not a.is_positive:
                steps.append(f"log transform needs {_short(a)} > 0, not proved")
                continue
            ta = transform(a)
            shift = sympy.simplify(sympy.expand_log(b - ta, force=False))
            if not (shift.free_symbols & over):
                steps.append(f"{label} = {name}(other side) + {_short(shift)}")
                return SymbolicResult("proved", f"symbolic: increasing transform ({name}, shift)", tuple(steps))
            ratio = sympy.simplify(sympy.expand_log(b, force=False) / sympy.expand_log(ta, force=False))
            if not (ratio.free_symbols & over) and ratio.is_positive:
                steps.append(f"{label} = {_short(ratio)} * {name}(other side), a positive factor")
                return SymbolicResult("proved", f"symbolic: increasing transform ({name}, scale)", tuple(steps))
            affine = _affine(b, ta, over)
            if affine is not None:
                steps.append(f"{label} = {_short(affine[0])} * {name}(other side) + {_short(affine[1])}")
                return SymbolicResult("proved", f"symbolic: increasing transform ({name}, affine)", tuple(steps))
            steps.append(f"{label} vs {name}(other side): differ by {_short(shift)}")
    return SymbolicResult("unknown", "symbolic", tuple(steps))


def _affine(b: sympy.Expr, a: sympy.Expr, over: set) -> tuple[sympy.Expr, sympy.Expr] | None:
    """``b = k*a + c`` with ``k > 0`` and ``k``, ``c`` free of the ``over`` variables."""
    for theta in sorted(over, key=str):
        da = sympy.diff(a, theta)
        if da == 0:
            continue
        k = sympy.simplify(sympy.diff(b, theta) / da)
        if k.free_symbols & over or not k.is_positive:
            return None
        c = sympy.simplify(b - k * a)
        return (k, c) if not (c.free_symbols & over) else None
    return None


def _short(value: sympy.Expr, limit: int = 160) -> str:
    text = str(value)
    return text if len(text) <= limit else text[: limit - 3] + "..."
