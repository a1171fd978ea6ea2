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

from dataclasses import dataclass, field

import sympy

from derive.claim import Claim, Domain, IndexRange, Interval, Relation, positive, reals


@dataclass(frozen=True)
class Condition:
    """One side condition: what it says and the claim that says it."""

    label: str
    claim: Claim


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
    if on.lo.is_finite:
        rel = Relation.GT if on.lo_open else Relation.GE
        out.append(Condition(f"{label} > {on.lo}", Claim(expr, rel, on.lo, domain)))
    if on.hi.is_finite:
        rel = Relation.LT if on.hi_open else Relation.LE
        out.append(Condition(f"{label} < {on.hi}", Claim(expr, rel, on.hi, domain)))
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
        conditions = [
            Condition(f"the larger side is {side}", Claim(upper, Relation.EQ, big_side, domain)),
            Condition(
                f"the smaller side is {'the mean of f' if self.concave else 'f(mean)'}",
                Claim(lower, Relation.EQ, small_side, domain),
            ),
            Condition("weights sum to 1", Claim(total, Relation.EQ, sympy.Integer(1), domain)),
            Condition(
                f"f'' {'<=' if self.concave else '>='} 0 on {self.on.describe((t_name,))}",
                Claim(second.xreplace({t: t_plain}), curvature, sympy.Integer(0), Domain.of(t_jensen=self.on)),
            ),
        ]
        if self.length is not None:
            assert isinstance(self.weights, sympy.Lambda) and isinstance(self.points, sympy.Lambda)
            k = _variable("k" if "k" not in {s.name for s in (prev.free_symbols | expr.free_symbols)} else "k_jensen")
            ranged = domain.without((k.name,)).bind((k.name,), IndexRange(sympy.Integer(1), self.length))
            conditions.append(
                Condition(f"weight {k} >= 0", Claim(self.weights(k), Relation.GE, sympy.Integer(0), ranged))
            )
            conditions += _interval_claims(self.points(k), self.on, ranged, f"point {k}")
            return conditions
        for i, w in enumerate(self.weights, 1):
            conditions.append(Condition(f"weight {i} >= 0", Claim(w, Relation.GE, sympy.Integer(0), domain)))
        for i, x in enumerate(self.points, 1):
            conditions += _interval_claims(x, self.on, domain, f"point {i}")
        return conditions


@dataclass(frozen=True)
class Monotone:
    """A strictly increasing ``h`` keeps the maximiser: ``argmax g = argmax h(g)``.

    Side conditions: the new expression is ``h`` of the old one, ``h' > 0`` on
    ``on``, and the old expression lies in ``on``.
    """

    h: sympy.Lambda
    on: Interval = field(default_factory=reals)
    label: str = ""

    @property
    def name(self) -> str:
        return self.label or f"{self.h.expr.func.__name__} is strictly increasing"

    def conditions(self, prev: sympy.Expr, rel: Relation, expr: sympy.Expr, domain: Domain,
                   over: tuple[str, ...]) -> list[Condition] | Inapplicable:  # fmt: skip
        if rel is not Relation.ARGMAX:
            return Inapplicable("a monotone transform justifies a same-maximiser step")
        t = sympy.Dummy("t", real=True)
        u = _variable("u_monotone")
        slope = sympy.diff(self.h(t), t).xreplace({t: u})
        return [
            Condition("new = h(old)", Claim(expr, Relation.EQ, self.h(prev), domain)),
            Condition("h' > 0", Claim(slope, Relation.GT, sympy.Integer(0), Domain.of(u_monotone=self.on))),
            *_interval_claims(prev, self.on, domain, "old expression"),
        ]


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


Rule = Algebra | Jensen | Monotone | Scaling | Differentiation


def log_increasing() -> Monotone:
    """``log`` on the positive reals."""
    t = sympy.Symbol("t")
    return Monotone(sympy.Lambda(t, sympy.log(t)), positive(), "log is strictly increasing")
