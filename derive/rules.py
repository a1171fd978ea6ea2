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

from derive.claim import Claim, Domain, Interval, Relation, positive, reals


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

    Side conditions: the step has that shape, the weights are nonnegative and sum
    to 1, the points lie in ``on``, and ``f''`` has the right sign there.
    """

    f: sympy.Lambda
    weights: tuple[sympy.Expr, ...]
    points: tuple[sympy.Expr, ...]
    concave: bool = False
    on: Interval = field(default_factory=reals)

    @property
    def name(self) -> str:
        return f"Jensen, f {'concave' if self.concave else 'convex'}"

    def conditions(self, prev: sympy.Expr, rel: Relation, expr: sympy.Expr, domain: Domain,
                   over: tuple[str, ...]) -> list[Condition] | Inapplicable:  # fmt: skip
        if len(self.weights) != len(self.points) or not self.weights:
            return Inapplicable("Jensen needs as many weights as points, at least one")
        mean_of_f = sum(w * self.f(x) for w, x in zip(self.weights, self.points, strict=True))
        f_of_mean = self.f(sum(w * x for w, x in zip(self.weights, self.points, strict=True)))
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
        conditions = [
            Condition("the larger side is the Jensen side", Claim(upper, Relation.EQ, big_side, domain)),
            Condition("the smaller side is the Jensen side", Claim(lower, Relation.EQ, small_side, domain)),
            Condition("weights sum to 1", Claim(sum(self.weights), Relation.EQ, sympy.Integer(1), domain)),
            Condition(
                f"f'' {'<=' if self.concave else '>='} 0 on {self.on.describe((t_name,))}",
                Claim(second.xreplace({t: t_plain}), curvature, sympy.Integer(0), Domain.of(t_jensen=self.on)),
            ),
        ]
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
