"""Reasons that are checked, not just printed.

A rule turns a step's reason into side conditions, each a claim that the engine
checks. A step is ``proved`` by its rule only when every side condition is
proved; a side condition that fails means the reason does not apply, which the
derivation reports even when the step itself holds.

>>> import sympy
>>> t = sympy.Symbol("t")
>>> rule = Monotone(sympy.Lambda(t, sympy.log(t)), positive())
>>> rule.name
'log is strictly increasing'
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Protocol

import sympy

from derive.claim import Claim, Domain, IndexRange, Interval, Relation, positive, reals


@dataclass(frozen=True)
class Condition:
    """One side condition: what it says, the claim that says it, the sentence
    that explains what a refutation of it means for the step (``failure``), and
    whether it states the step's shape (an equality found by matching) rather than
    a fact about the domain."""

    label: str
    claim: Claim
    failure: str = ""
    shape: bool = False

    @property
    def sentence(self) -> str:
        """What is wrong when the condition is refuted.

        >>> Condition("x > 0", Claim(sympy.Symbol("x"), Relation.GT, sympy.Integer(0))).sentence
        'x > 0 fails'
        """
        return self.failure or f"{self.label} fails"


@dataclass(frozen=True)
class Inapplicable:
    """Why a rule cannot be applied to a step at all (wrong shape)."""

    reason: str


@dataclass(frozen=True)
class Algebra:
    """Plain algebra or a definition: the step is the claim, nothing more."""

    name: str = "algebra"

    def conditions(self, prev: sympy.Expr, rel: Relation, expr: sympy.Expr, domain: Domain,
                   over: tuple[str, ...]) -> list[Condition] | Inapplicable:  # fmt: skip
        return []


def _variable(name: str) -> sympy.Symbol:
    return sympy.Symbol(name)


def _interval_claims(expr: sympy.Expr, on: Interval, domain: Domain, label: str) -> list[Condition]:
    out = []
    leaves = f"{label} ({sympy.sstr(expr)}) can leave {on.describe(('t',)).removeprefix('t in ')}"
    if on.lo.is_finite:
        rel = Relation.GT if on.lo_open else Relation.GE
        out.append(Condition(f"{label} > {on.lo}", Claim(expr, rel, on.lo, domain), leaves))
    if on.hi.is_finite:
        rel = Relation.LT if on.hi_open else Relation.LE
        out.append(Condition(f"{label} < {on.hi}", Claim(expr, rel, on.hi, domain), leaves))
    return out


@dataclass(frozen=True)
class Jensen:
    """Jensen's inequality: for ``f`` convex on ``on`` and weights ``w_i >= 0``
    summing to 1, ``sum w_i f(x_i) >= f(sum w_i x_i)`` (reversed for concave).

    The weights and points are tuples (a fixed number of terms), or, for ``length``
    terms of symbolic length, ``Lambda``s of the index: ``Jensen(f, Lambda(i, p[i]),
    Lambda(i, q[i]/p[i]), length=n)``; the side conditions are then claims of
    general size, proved for every length or not at all.

    Side conditions: the step has that shape, the weights are nonnegative and sum
    to 1, the points lie in ``on``, and ``f''`` has the right sign there.
    """

    f: sympy.Lambda
    weights: tuple[sympy.Expr, ...] | sympy.Lambda
    points: tuple[sympy.Expr, ...] | sympy.Lambda
    concave: bool = False
    on: Interval = field(default_factory=reals)
    length: sympy.Expr | None = None

    @property
    def name(self) -> str:
        return f"Jensen, f {'concave' if self.concave else 'convex'}"

    def _sides(self) -> tuple[sympy.Expr, sympy.Expr, sympy.Expr] | Inapplicable:
        """(sum of w f(x), f(sum of w x), sum of w)."""
        if self.length is not None:
            if not (isinstance(self.weights, sympy.Lambda) and isinstance(self.points, sympy.Lambda)):
                return Inapplicable("Jensen of symbolic length takes the weight and the point as Lambdas of the index")
            i = sympy.Symbol("i")
            limits = (i, 1, self.length)
            w, x = self.weights(i), self.points(i)
            return sympy.Sum(w * self.f(x), limits), self.f(sympy.Sum(w * x, limits)), sympy.Sum(w, limits)
        if isinstance(self.weights, sympy.Lambda) or isinstance(self.points, sympy.Lambda):
            return Inapplicable("Lambdas for the weights and points need the length")
        if len(self.weights) != len(self.points) or not self.weights:
            return Inapplicable("Jensen needs as many weights as points, at least one")
        pairs = list(zip(self.weights, self.points, strict=True))
        return sum(w * self.f(x) for w, x in pairs), self.f(sum(w * x for w, x in pairs)), sum(self.weights)

    def conditions(self, prev: sympy.Expr, rel: Relation, expr: sympy.Expr, domain: Domain,
                   over: tuple[str, ...]) -> list[Condition] | Inapplicable:  # fmt: skip
        sides = self._sides()
        if isinstance(sides, Inapplicable):
            return sides
        mean_of_f, f_of_mean, total = sides
        big_side = f_of_mean if self.concave else mean_of_f
        small_side = mean_of_f if self.concave else f_of_mean
        if rel in (Relation.GE, Relation.GT):
            upper, lower = prev, expr
        elif rel in (Relation.LE, Relation.LT):
            upper, lower = expr, prev
        else:
            return Inapplicable(f"Jensen gives an inequality, not {rel.symbol}")
        t = sympy.Dummy("t", real=True)
        second = sympy.diff(self.f(t), t, 2)
        curvature = Relation.LE if self.concave else Relation.GE
        t_name = "t_jensen"
        t_plain = _variable(t_name)
        side = "f(mean)" if self.concave else "the mean of f"
        f_text = f"f(t) = {sympy.sstr(self.f(sympy.Symbol('t')))}"
        kind = "concave" if self.concave else "convex"
        larger = "f of the weighted mean" if self.concave else "the weighted sum of f"
        order = f"{f_text} is {kind}, so {larger} is the larger side"
        conditions = [
            Condition(f"the larger side is {side}", Claim(upper, Relation.EQ, big_side, domain), order, True),
            Condition(
                f"the smaller side is {'the mean of f' if self.concave else 'f(mean)'}",
                Claim(lower, Relation.EQ, small_side, domain),
                order,
                True,
            ),
            Condition(
                "weights sum to 1",
                Claim(total, Relation.EQ, sympy.Integer(1), domain),
                f"the weights {sympy.sstr(total)} do not sum to 1",
            ),
            Condition(
                f"f'' {'<=' if self.concave else '>='} 0 on {self.on.describe((t_name,))}",
                Claim(second.xreplace({t: t_plain}), curvature, sympy.Integer(0), Domain.of(t_jensen=self.on)),
                f"{f_text} is not {kind} for {self.on.describe(('t',))}",
            ),
        ]
        if self.length is not None:
            assert isinstance(self.weights, sympy.Lambda) and isinstance(self.points, sympy.Lambda)
            k = _variable("k" if "k" not in {s.name for s in (prev.free_symbols | expr.free_symbols)} else "k_jensen")
            ranged = domain.without((k.name,)).bind((k.name,), IndexRange(sympy.Integer(1), self.length))
            conditions.append(
                Condition(
                    f"weight {k} >= 0",
                    Claim(self.weights(k), Relation.GE, sympy.Integer(0), ranged),
                    f"a weight can be negative ({sympy.sstr(self.weights(k))})",
                )
            )
            conditions += _interval_claims(self.points(k), self.on, ranged, f"point {k}")
            return conditions
        for i, w in enumerate(self.weights, 1):
            conditions.append(
                Condition(
                    f"weight {i} >= 0",
                    Claim(w, Relation.GE, sympy.Integer(0), domain),
                    f"weight {i} ({sympy.sstr(w)}) can be negative",
                )
            )
        for i, x in enumerate(self.points, 1):
            conditions += _interval_claims(x, self.on, domain, f"point {i}")
        return conditions


@dataclass(frozen=True)
class Monotone:
    """A strictly monotone ``h`` applied to both sides.

    For a same-maximiser step, an increasing ``h`` keeps the maximiser:
    ``argmax g = argmax h(g)``; side conditions: the new expression is ``h`` of the
    old one, ``h' > 0`` on ``on``, and the old expression lies in ``on``.

    For an order step ``h(a) <= h(b)``, the step follows from ``a <= b`` (``a >= b``
    when ``h`` is ``decreasing``); side conditions: the sides are ``h(a)`` and
    ``h(b)``, ``a <= b``, ``h' > 0`` (``< 0``) on ``on``, and ``a``, ``b`` lie in ``on``.

    >>> t, x = sympy.symbols("t x")
    >>> rule = Monotone(sympy.Lambda(t, sympy.log(t)), positive())
    >>> [c.label for c in rule.conditions(sympy.log(x), Relation.LE, sympy.log(x + 1), Domain.of(x=positive()), ())]
    ['the sides are h(x) and h(x + 1)', 'x <= x + 1', "h' > 0", 'x > 0', 'x + 1 > 0']
    """

    h: sympy.Lambda
    on: Interval = field(default_factory=reals)
    label: str = ""
    decreasing: bool = False

    @property
    def name(self) -> str:
        way = "decreasing" if self.decreasing else "increasing"
        return self.label or f"{self.h.expr.func.__name__} is strictly {way}"

    def conditions(self, prev: sympy.Expr, rel: Relation, expr: sympy.Expr, domain: Domain,
                   over: tuple[str, ...]) -> list[Condition] | Inapplicable:  # fmt: skip
        t = sympy.Dummy("t", real=True)
        u = _variable("u_monotone")
        slope = sympy.diff(self.h(t), t).xreplace({t: u})
        way = Relation.LT if self.decreasing else Relation.GT
        slope_condition = Condition(
            f"h' {way.symbol} 0",
            Claim(slope, way, sympy.Integer(0), Domain.of(u_monotone=self.on)),
            f"h(t) = {sympy.sstr(self.h(sympy.Symbol('t')))} is not strictly "
            f"{'decreasing' if self.decreasing else 'increasing'} on {self.on.describe(('t',)).removeprefix('t in ')}",
        )
        if rel is Relation.ARGMAX:
            if self.decreasing:
                return Inapplicable("a decreasing transform turns a maximiser into a minimiser")
            h_text = sympy.sstr(self.h(sympy.Symbol("t")))
            return [
                Condition(
                    "new = h(old)",
                    Claim(expr, Relation.EQ, self.h(prev), domain),
                    f"the new expression is not h of the old one, h(t) = {h_text}",
                ),
                slope_condition,
                *_interval_claims(prev, self.on, domain, "old expression"),
            ]
        if rel is Relation.EQ:
            return Inapplicable("a monotone transform justifies an inequality or a same-maximiser step, not =")
        inner = [self._inverse(side) for side in (prev, expr)]
        if inner[0] is None or inner[1] is None:
            return Inapplicable(f"the sides are not both h(...) with h(t) = {sympy.sstr(self.h(sympy.Symbol('t')))}")
        a, b = inner
        premise = rel.flipped if self.decreasing else rel
        return [
            Condition(
                f"the sides are h({sympy.sstr(a)}) and h({sympy.sstr(b)})",
                Claim(prev - expr, Relation.EQ, self.h(a) - self.h(b), domain),
                "the sides are not h applied to two expressions",
                shape=True,
            ),
            Condition(
                f"{sympy.sstr(a)} {premise.symbol} {sympy.sstr(b)}",
                Claim(a, premise, b, domain),
                f"{sympy.sstr(a)} {premise.symbol} {sympy.sstr(b)} fails, so h of them is not ordered so either",
            ),
            slope_condition,
            *_interval_claims(a, self.on, domain, sympy.sstr(a)),
            *_interval_claims(b, self.on, domain, sympy.sstr(b)),
        ]

    def _inverse(self, side: sympy.Expr) -> sympy.Expr | None:
        """``a`` with ``side == h(a)`` found by matching (then checked as a claim)."""
        w = sympy.Wild("w")
        found = side.match(self.h(w))
        return None if found is None or w not in found else found[w]


@dataclass(frozen=True)
class Scaling:
    """Multiplying by a positive factor free of the maximised variables keeps the
    maximiser."""

    factor: sympy.Expr
    name: str = "positive scaling"

    def conditions(self, prev: sympy.Expr, rel: Relation, expr: sympy.Expr, domain: Domain,
                   over: tuple[str, ...]) -> list[Condition] | Inapplicable:  # fmt: skip
        if rel is not Relation.ARGMAX:
            return Inapplicable("scaling justifies a same-maximiser step")
        clash = sorted(s.name for s in self.factor.free_symbols if s.name in over)
        if clash:
            return Inapplicable(f"the factor depends on the maximised variable(s) {', '.join(clash)}")
        return [
            Condition("new = factor * old", Claim(expr, Relation.EQ, self.factor * prev, domain)),
            Condition("factor > 0", Claim(self.factor, Relation.GT, sympy.Integer(0), domain)),
        ]


@dataclass(frozen=True)
class Differentiation:
    """A derivative step: SymPy differentiates (``Derivative(...).doit()``) and the
    result is compared; the author's derivative is never trusted."""

    name: str = "differentiation"

    def conditions(self, prev: sympy.Expr, rel: Relation, expr: sympy.Expr, domain: Domain,
                   over: tuple[str, ...]) -> list[Condition] | Inapplicable:  # fmt: skip
        if not (prev.has(sympy.Derivative) or expr.has(sympy.Derivative)):
            return Inapplicable("neither side contains a derivative")
        return []


@dataclass(frozen=True)
class Termwise:
    """Sums over one range compare term by term: ``sum a_i <= sum b_i`` when
    ``a_i <= b_i`` for every index value (a strict step also needs a term).

    Each side is read as one sum by linearity (``c * Sum(f) + Sum(g)`` is
    ``Sum(c*f + g)``, checked as an equality); ``by`` is the rule that justifies
    the summand's step (``Termwise(LogBound())``), else the summand's claim is
    checked as it stands.

    >>> i, n = sympy.symbols("i n")
    >>> x = sympy.IndexedBase("x")
    >>> step = (sympy.Sum(x[i]**2, (i, 1, n)), Relation.GE, 2*sympy.Sum(x[i], (i, 1, n)) - n)
    >>> [c.label for c in Termwise().conditions(*step, Domain(), ())][2]
    'x[i]**2 >= 2*x[i] - 1 for 1 <= i <= n'
    """

    by: Rule | None = None

    @property
    def name(self) -> str:
        return "termwise" if self.by is None else f"termwise ({self.by.name} for each term)"

    def conditions(self, prev: sympy.Expr, rel: Relation, expr: sympy.Expr, domain: Domain,
                   over: tuple[str, ...]) -> list[Condition] | Inapplicable:  # fmt: skip
        if not rel.is_order:
            return Inapplicable(f"a termwise comparison gives an inequality, not {rel.symbol}")
        sides = _one_sum(prev, expr)
        if isinstance(sides, Inapplicable):
            return sides
        a, b, (i, lo, hi) = sides
        if not _in_order(lo, hi, domain):  # SymPy reads a range that runs backwards as minus a sum
            return Inapplicable(f"the range {lo}..{hi} may run backwards, and SymPy reads such a sum as minus a sum")
        if rel in (Relation.LT, Relation.GT) and not _in_order(lo + 1, hi, domain):
            return Inapplicable(f"the sum over {lo}..{hi} may be empty, so a strict inequality can fail")
        taken = {s.name for e in (prev, expr) for s in e.free_symbols if isinstance(s, sympy.Symbol)}
        if i.name in taken or domain.declared(i.name):
            fresh = next(sympy.Symbol(f"{i.name}{j}") for j in range(1, 99) if f"{i.name}{j}" not in taken)
            a, b, i = a.xreplace({i: fresh}), b.xreplace({i: fresh}), fresh
        ranged = domain.without((i.name,)).bind((i.name,), IndexRange(lo, hi))
        limits = (i, lo, hi)
        conditions = [
            Condition(
                f"{sympy.sstr(prev)} = {sympy.sstr(sympy.Sum(a, limits))}",
                Claim(prev, Relation.EQ, sympy.Sum(a, limits), domain),
                f"{sympy.sstr(prev)} is not the sum of {sympy.sstr(a)}",
                shape=True,
            ),
            Condition(
                f"{sympy.sstr(expr)} = {sympy.sstr(sympy.Sum(b, limits))}",
                Claim(expr, Relation.EQ, sympy.Sum(b, limits), domain),
                f"{sympy.sstr(expr)} is not the sum of {sympy.sstr(b)}",
                shape=True,
            ),
        ]
        where = f"for {lo} <= {i} <= {hi}"
        if self.by is None:
            conditions.append(
                Condition(
                    f"{sympy.sstr(a)} {rel.symbol} {sympy.sstr(b)} {where}",
                    Claim(a, rel, b, ranged),
                    f"a term breaks it: {sympy.sstr(a)} {rel.symbol} {sympy.sstr(b)} fails for some {i}",
                )
            )
        else:
            inner = self.by.conditions(a, rel, b, ranged, over)
            if isinstance(inner, Inapplicable):
                return Inapplicable(f"for each term, {inner.reason}")
            conditions += [
                Condition(f"each term: {c.label}", c.claim, f"for a term, {c.sentence}", c.shape) for c in inner
            ]
        return conditions


def _in_order(lo: sympy.Expr, hi: sympy.Expr, domain: Domain) -> bool:
    """``hi >= lo - 1`` for every value of the lengths in the bounds (a symbol used as
    a bound is a length, at least its declared lower bound, else 1).

    >>> n = sympy.Symbol("n")
    >>> _in_order(sympy.Integer(1), n, Domain()), _in_order(sympy.Integer(1), n - 3, Domain())
    (True, False)
    """
    from derive.sizes import length_range

    shifted = {
        s: length_range(domain, s.name)[0] + sympy.Symbol(f"{s.name}_extra", nonnegative=True, integer=True)
        for s in (lo.free_symbols | hi.free_symbols)
        if isinstance(s, sympy.Symbol)
    }
    return bool((hi - lo + 1).xreplace(shifted).is_nonnegative)


def _one_sum(
    prev: sympy.Expr, expr: sympy.Expr
) -> tuple[sympy.Expr, sympy.Expr, tuple[sympy.Symbol, sympy.Expr, sympy.Expr]] | Inapplicable:
    """Both sides as summands over one range, by linearity; 0 is the empty summand."""
    read = [_summands(side) for side in (prev, expr)]
    ranges = {r[1][1:] for r in read if r is not None and r[1] is not None}
    if any(r is None for r in read) or len(ranges) != 1:
        return Inapplicable("the two sides are not sums over one common range")
    limits = next(r[1] for r in read if r is not None and r[1] is not None)
    assert limits is not None
    i = limits[0]
    out = []
    for r in read:
        assert r is not None
        summand, own = r
        out.append(summand if own is None else summand.xreplace({own[0]: i}))
    return out[0], out[1], limits


def _summands(
    side: sympy.Expr,
) -> tuple[sympy.Expr, tuple[sympy.Symbol, sympy.Expr, sympy.Expr] | None] | None:
    """(summand, limits) with ``side = Sum(summand, limits)`` by linearity; (0, None)
    for 0; a term without a sum is spread evenly over the range (``-n`` is ``Sum(-1)``)."""
    if side == 0:
        return sympy.Integer(0), None
    limits: tuple[sympy.Symbol, sympy.Expr, sympy.Expr] | None = None
    parts = []
    loose = []
    for term in sympy.Add.make_args(side):
        sums = [f for f in sympy.Mul.make_args(term) if isinstance(f, sympy.Sum)]
        if not sums and not term.has(sympy.Sum):
            loose.append(term)
            continue
        if len(sums) != 1 or len(sums[0].limits) != 1:
            return None
        i, lo, hi = sums[0].limits[0]
        coefficient = term / sums[0]
        if limits is None:
            limits = (i, lo, hi)
        elif (lo, hi) != limits[1:]:
            return None
        if limits[0] in coefficient.free_symbols:
            return None
        parts.append(coefficient * sums[0].function.xreplace({i: limits[0]}))
    if loose:
        if limits is None or any(limits[0] in t.free_symbols for t in loose):
            return None
        parts.append(sympy.Add(*loose) / (limits[2] - limits[1] + 1))
    return sympy.Add(*parts), limits


class Rule(Protocol):
    """What a step's reason provides: a name and the side conditions of a step."""

    @property
    def name(self) -> str: ...

    def conditions(self, prev: sympy.Expr, rel: Relation, expr: sympy.Expr, domain: Domain,
                   over: tuple[str, ...]) -> list[Condition] | Inapplicable: ...  # fmt: skip


def does_not_apply(rule: Rule, reasons: Sequence[str]) -> str:
    """One sentence: which rule, and why it does not apply (repeated reasons once).

    >>> s = sympy.Symbol("s")
    >>> does_not_apply(Jensen(sympy.Lambda(s, -sympy.log(s)), (1,), (2,)), ["a", "b", "a"])
    'Jensen does not apply: a; b'
    """
    short = rule.name.removesuffix(", f convex").removesuffix(", f concave")
    return f"{short} does not apply: {'; '.join(dict.fromkeys(reasons))}"


def log_increasing() -> Monotone:
    """``log`` on the positive reals."""
    t = sympy.Symbol("t")
    return Monotone(sympy.Lambda(t, sympy.log(t)), positive(), "log is strictly increasing")
