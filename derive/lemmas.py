"""The classical inequalities as rules: a step's reason that is checked, not trusted.

A lemma says ``small <= large`` at an instantiation (which sub-expression is
``x``, which terms are averaged) under conditions (``x > 0``). A step
``upper >= lower`` (or ``lower <= upper``) follows from it when

    upper - lower = c * (large - small)    with c >= 0,

so the lemma may be used inside a larger expression (the same terms added on
both sides) and scaled by a nonnegative factor (``p * log(q/p) <= q - p`` is
``log x <= x - 1`` at ``x = q/p`` times ``p``). The instantiation and ``c`` are
found by matching the step; both equalities and every condition are side
conditions, claims the engine checks, so a wrong match can only make the rule
fail, never prove a false step.

>>> import sympy
>>> from derive.claim import Domain, Relation, positive
>>> x = sympy.Symbol("x")
>>> [c.label for c in LogBound().conditions(1 + sympy.log(x), Relation.LE, x, Domain.of(x=positive()), ())]
['x - (log(x) + 1) = x - log(x) - 1', 'x > 0']
>>> LogBound().conditions(x - 1, Relation.LE, sympy.log(x), Domain.of(x=positive()), ())[1].failure
'it makes log(x) the smaller side, and the step makes it the larger one'

A lemma over a family of symbolic length takes Lambdas of the index and a
``length`` (as the Jensen rule does); its conditions are then general-size claims
(``x[k] >= 0`` for ``1 <= k <= n``), proved for every length or not at all.
"""

from __future__ import annotations

import contextvars
import itertools
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import TypeAlias

import sympy

from derive.claim import Claim, Domain, IndexRange, Relation
from derive.functions import expand_functions
from derive.rules import Condition, Inapplicable, Rule, Termwise, _in_order, _summands
from derive.symbolic import SymbolicResult

Terms: TypeAlias = tuple[sympy.Expr, ...] | sympy.Lambda
_ZERO = sympy.Integer(0)
_ONE = sympy.Integer(1)
_MAX_NODES = 400
"""Matching runs outside any worker: expressions larger than this are not cancelled."""


@dataclass(frozen=True)
class Instance:
    """The lemma at one instantiation: ``small <= large`` when ``conditions`` hold.

    ``what`` says the instantiation in words (``x = q/p``); ``opaque`` are the
    sub-expressions a factor ``c`` must not contain (a factor with ``log x`` in it
    is not a factor, it is the whole difference)."""

    small: sympy.Expr
    large: sympy.Expr
    conditions: tuple[Condition, ...]
    what: str
    opaque: tuple[sympy.Expr, ...] = ()


# -- families of terms: a tuple (fixed size) or Lambdas of the index with a length


@dataclass(frozen=True)
class _Terms:
    """Several term sequences of one size: tuples of equal length, or Lambdas of
    the index with a symbolic ``length``."""

    specs: tuple[Terms, ...]
    length: sympy.Expr | None

    def check(self, domain: Domain) -> str:
        """Why the terms cannot be used ('' when they can)."""
        lambdas = [isinstance(s, sympy.Lambda) for s in self.specs]
        if self.length is not None:
            if not all(lambdas):
                return "terms of symbolic length are Lambdas of the index"
            if not _in_order(_ONE, self.length, domain):
                return f"the range 1..{self.length} may run backwards (SymPy reads such a sum as minus a sum)"
            return ""
        if any(lambdas):
            return "Lambdas of the index need the length"
        sizes = {len(s) for s in self.specs if isinstance(s, tuple)}
        if len(sizes) != 1 or 0 in sizes:
            return "the term sequences need one common, nonzero number of terms"
        return ""

    @property
    def index(self) -> sympy.Symbol:
        first = self.specs[0]
        assert isinstance(first, sympy.Lambda)
        var = first.variables[0]
        assert isinstance(var, sympy.Symbol)
        return var

    def at(self, position: sympy.Expr | int) -> tuple[sympy.Expr, ...]:
        if self.length is None:
            return tuple(s[position] for s in self.specs if isinstance(s, tuple))  # type: ignore[index]
        return tuple(s(position) for s in self.specs if isinstance(s, sympy.Lambda))

    @property
    def count(self) -> sympy.Expr:
        if self.length is not None:
            return self.length
        first = self.specs[0]
        assert isinstance(first, tuple)
        return sympy.Integer(len(first))

    def total(self, body: Callable[..., sympy.Expr]) -> sympy.Expr:
        """``sum over the index of body(terms at the index)``."""
        if self.length is None:
            return sympy.Add(*(body(*self.at(j)) for j in range(int(self.count))))
        i = self.index
        summand = body(*self.at(i))
        if i not in summand.free_symbols:  # sum of 1 is the length
            return summand * self.length
        return sympy.Sum(summand, (i, 1, self.length))

    def product(self, body: Callable[..., sympy.Expr]) -> sympy.Expr:
        if self.length is None:
            return sympy.Mul(*(body(*self.at(j)) for j in range(int(self.count))))
        i = self.index
        return sympy.Product(body(*self.at(i)), (i, 1, self.length))

    def each(
        self, domain: Domain, taken: set[str], make: Callable[[tuple[sympy.Expr, ...], str, Domain], list[Condition]]
    ) -> list[Condition]:
        """Conditions on every term: one per position for tuples, one at an index
        ``k`` with ``1 <= k <= length`` for Lambdas."""
        if self.length is None:
            return [c for j in range(int(self.count)) for c in make(self.at(j), f"term {j + 1}", domain)]
        k = next(sympy.Symbol(n) for n in ("k", "k_lemma", "k_lemma2") if n not in taken)
        ranged = domain.without((k.name,)).bind((k.name,), IndexRange(_ONE, self.length))
        return make(self.at(k), f"every term ({k} = 1..{self.length})", ranged)


def _names(*exprs: sympy.Expr) -> set[str]:
    return {s.name for e in exprs for s in e.free_symbols if isinstance(s, sympy.Symbol)}


def _text(expr: sympy.Expr) -> str:
    return sympy.sstr(expr)


# -- applying an instance to a step


def _sides(rel: Relation, prev: sympy.Expr, expr: sympy.Expr) -> tuple[sympy.Expr, sympy.Expr] | None:
    """(upper, lower) of an order step, or None for any other relation."""
    if rel is Relation.GE:
        return prev, expr
    if rel is Relation.LE:
        return expr, prev
    return None


def _opaque_form(exprs: Sequence[sympy.Expr]) -> tuple[list[sympy.Expr], dict[sympy.Basic, sympy.Symbol]]:
    """``exprs`` with every non-rational piece (functions, sums, roots) replaced by
    one symbol each, so that ``cancel`` can find a common factor."""
    pieces: dict[sympy.Basic, sympy.Symbol] = {}

    def visit(e: sympy.Basic) -> sympy.Basic:
        if e.is_Atom:
            return e
        opaque = isinstance(e, (sympy.Function, sympy.Sum, sympy.Product, sympy.Indexed)) or (
            e.is_Pow and not (e.exp.is_Integer)
        )
        if opaque:
            if e not in pieces:
                pieces[e] = sympy.Dummy(f"a{len(pieces)}")
            return pieces[e]
        return e.func(*(visit(a) for a in e.args))

    return [visit(e) for e in exprs], pieces  # type: ignore[misc]


def _nodes(expr: sympy.Expr) -> int:
    return sum(1 for _ in sympy.preorder_traversal(expr))


def _factor(diff: sympy.Expr, gap: sympy.Expr, opaque: tuple[sympy.Expr, ...]) -> sympy.Expr | None:
    """``c`` with ``diff = c * gap``, free of the instance's own pieces, or None."""
    if _nodes(diff) + _nodes(gap) > _MAX_NODES:
        return None
    (d, g), pieces = _opaque_form([diff, gap])
    if g == 0:
        return None
    c = sympy.cancel(d / g)
    own = {pieces[p] for p in opaque if p in pieces}
    if c.has(sympy.nan, sympy.zoo, sympy.oo) or c.free_symbols & own:
        return None
    back = {v: k for k, v in pieces.items()}
    c = c.xreplace(back)
    return None if c.has(*(p for p in opaque)) else c


def _known_sums(expr: sympy.Expr, domain: Domain | None) -> sympy.Expr:
    """``expr`` with the sum of every probability vector's entries written as 1.

    >>> from derive.claim import Family
    >>> i, n, p = sympy.Symbol("i"), sympy.Symbol("n"), sympy.IndexedBase("p")
    >>> _known_sums(sympy.Sum(p[i], (i, 1, n))**2, Domain().bind(("p",), Family(joint="simplex", length="n")))
    1
    """
    if domain is None:
        return expr
    vectors = {}
    for binding in domain.bindings:
        family = domain.family(binding.names[0])
        if family is not None and family.joint == "simplex":
            length = (
                sympy.Symbol(family.length) if isinstance(family.length, str) else sympy.Integer(family.length or 0)
            )
            vectors[binding.names[0]] = length

    def known(e: sympy.Basic) -> bool:
        if not isinstance(e, sympy.Sum) or len(e.limits) != 1:
            return False
        i, lo, hi = e.limits[0]
        f = e.function
        return (
            isinstance(f, sympy.Indexed) and f.indices == (i,) and str(f.base) in vectors and lo == 1
            and hi == vectors[str(f.base)]
        )  # fmt: skip

    return expr.replace(known, lambda e: sympy.Integer(1)) if vectors else expr


def _cheap_zero(expr: sympy.Expr, domain: Domain | None = None) -> bool:
    """True when ``expr`` is plainly 0 (sums over one range read as one sum, logs
    and roots of products expanded as if every argument were positive): a choice
    among instances, never a proof (the shape condition is checked by the engine)."""
    if _nodes(expr) > _MAX_NODES:
        return False
    expr = _known_sums(expr, domain)
    one = _summands(expr)
    if one is not None:
        expr = one[0]
    plain = sympy.expand_power_base(sympy.expand_log(expr, force=True), force=True)
    (e,), _ = _opaque_form([sympy.expand(plain)])
    return sympy.cancel(e) == 0


def _choose(
    instances: Sequence[Instance], diff: sympy.Expr, factor: sympy.Expr | None, domain: Domain
) -> tuple[Instance, sympy.Expr]:
    """The instance whose gap divides the step's difference most plainly: one
    whose factor is found and checks cheaply, else one with a factor, else the first
    (a probability vector's entries summing to 1 where that helps)."""
    found: list[tuple[Instance, sympy.Expr]] = []
    known = _known_sums(diff, domain)
    for inst in instances:
        gap = inst.large - inst.small
        tries = [factor] if factor is not None else [_factor(known, _known_sums(gap, domain), inst.opaque), _ONE]
        for c in tries:
            if c is None:
                continue
            if _cheap_zero(diff - c * gap, domain):
                return inst, c
            found.append((inst, c))
    return found[0]


def apply_lemma(
    name: str,
    instances: Sequence[Instance] | Inapplicable,
    prev: sympy.Expr,
    rel: Relation,
    expr: sympy.Expr,
    domain: Domain,
    factor: sympy.Expr | None = None,
) -> list[Condition] | Inapplicable:
    """The side conditions of ``prev REL expr`` by the lemma ``small <= large``:
    ``upper - lower = c * (large - small)``, ``c >= 0`` (unless ``c`` is 1), and
    the instance's own conditions."""
    if isinstance(instances, Inapplicable):
        return instances
    sides = _sides(rel, prev, expr)
    if sides is None:
        strict = rel in (Relation.GT, Relation.LT)
        return Inapplicable(
            f"it gives <= or >=, not {rel.symbol}" + (" (it holds with equality somewhere)" if strict else "")
        )
    if not instances:
        return Inapplicable(f"no instance of {name} is found in the step")
    undefined = (sympy.zoo, sympy.nan, sympy.oo, -sympy.oo)
    instances = [i for i in instances if not (i.small.has(*undefined) or i.large.has(*undefined))]
    if not instances:  # matched on a part that is 0 (min(p, 1 - p) read as a weight): no lemma there
        return Inapplicable(f"every instance of {name} found in the step is undefined")
    upper, lower = sides
    diff = upper - lower
    inst, c = _choose(instances, diff, factor, domain)
    gap = inst.large - inst.small
    shape = Condition(
        f"{_text(upper)} - ({_text(lower)}) = " + (_text(gap) if c == 1 else f"{_text(c)} * ({_text(gap)})"),
        Claim(diff, Relation.EQ, c * gap, domain),
        f"the step is not {name} with {inst.what}: the larger side minus the smaller is not "
        f"{'' if c == 1 else _text(c) + ' times '}({_text(gap)})",
        shape=True,
    )
    conditions = [shape]
    if c != 1:
        negative = c.is_number and c.is_negative
        conditions.append(
            Condition(
                f"{_text(c)} >= 0",
                Claim(c, Relation.GE, _ZERO, domain),
                f"it makes {_text(inst.small)} the smaller side, and the step makes it the larger one"
                if c == -1
                else (
                    f"the step runs the other way: {name} times {_text(c)} reverses it"
                    if negative
                    else f"the factor {_text(c)} can be negative (then the step runs the other way)"
                ),
            )
        )
    return conditions + list(inst.conditions)


def _positive(expr: sympy.Expr, domain: Domain, what: str, strict: bool = True) -> Condition:
    rel = Relation.GT if strict else Relation.GE
    return Condition(
        f"{_text(expr)} {rel.symbol} 0",
        Claim(expr, rel, _ZERO, domain),
        f"{what} = {_text(expr)} can be {'<= 0' if strict else 'negative'}",
    )


def _atoms_args(func: type, *exprs: sympy.Expr) -> list[sympy.Expr]:
    """The arguments of ``func`` in ``exprs``, in a stable order, without bound indices."""
    free = set().union(*(e.free_symbols for e in exprs))
    args = {a.args[0] for e in exprs for a in e.atoms(func)}
    usable = [a for a in args if a.free_symbols <= free]
    return sorted(usable, key=sympy.default_sort_key)


def _bound_hint(func: type, name: str, *exprs: sympy.Expr) -> Inapplicable:
    inside = any(e.atoms(func) for e in exprs)
    if inside:
        return Inapplicable(f"every {func.__name__} of the step sits inside a sum: use Termwise({name}) for a sum")
    return Inapplicable(f"the step has no {func.__name__}(...) to apply it to")


@dataclass(frozen=True)
class LogBound:
    """``log x <= x - 1`` for ``x > 0`` (equality at ``x = 1``).

    ``x`` is found among the step's logarithms unless given; ``factor`` is the
    ``c`` of ``upper - lower = c * (x - 1 - log x)`` when matching cannot find it.
    """

    x: sympy.Expr | None = None
    factor: sympy.Expr | None = None
    name: str = "log x <= x - 1"

    def instances(self, prev: sympy.Expr, expr: sympy.Expr, domain: Domain) -> list[Instance] | Inapplicable:
        xs = [self.x] if self.x is not None else _atoms_args(sympy.log, prev, expr)
        if not xs:
            return _bound_hint(sympy.log, "LogBound()", prev, expr)
        return [
            Instance(sympy.log(x), x - 1, (_positive(x, domain, "x"),), f"x = {_text(x)}", (sympy.log(x),)) for x in xs
        ]

    def conditions(self, prev: sympy.Expr, rel: Relation, expr: sympy.Expr, domain: Domain,
                   over: tuple[str, ...]) -> list[Condition] | Inapplicable:  # fmt: skip
        return apply_lemma(self.name, self.instances(prev, expr, domain), prev, rel, expr, domain, self.factor)


@dataclass(frozen=True)
class ExpBound:
    """``exp(x) >= 1 + x`` for every real ``x`` (equality at ``x = 0``)."""

    x: sympy.Expr | None = None
    factor: sympy.Expr | None = None
    name: str = "exp(x) >= 1 + x"

    def conditions(self, prev: sympy.Expr, rel: Relation, expr: sympy.Expr, domain: Domain,
                   over: tuple[str, ...]) -> list[Condition] | Inapplicable:  # fmt: skip
        xs = [self.x] if self.x is not None else _atoms_args(sympy.exp, prev, expr)
        if not xs:
            return _bound_hint(sympy.exp, "ExpBound()", prev, expr)
        instances = [Instance(1 + x, sympy.exp(x), (), f"x = {_text(x)}", (sympy.exp(x),)) for x in xs]
        return apply_lemma(self.name, instances, prev, rel, expr, domain, self.factor)


# -- lemmas over families of terms


def _sum_candidates(*exprs: sympy.Expr) -> Iterator[tuple[sympy.Expr, sympy.Symbol, sympy.Expr]]:
    """(summand, index, length) of every ``Sum(f, (i, 1, n))`` in ``exprs``."""
    seen = set()
    for e in exprs:
        for s in sorted(e.atoms(sympy.Sum), key=sympy.default_sort_key):
            if len(s.limits) != 1 or s in seen:
                continue
            seen.add(s)
            i, lo, hi = s.limits[0]
            if lo == 1:
                yield s.function, i, hi


def _family_instances(
    terms: _Terms | None,
    matched: Callable[[], Iterator[_Terms]],
    build: Callable[[_Terms], Instance],
    name: str,
    domain: Domain,
) -> list[Instance] | Inapplicable:
    if terms is not None:
        why = terms.check(domain)
        return Inapplicable(f"{name}: {why}") if why else [build(terms)]
    found = list(itertools.islice((t for t in matched() if not t.check(domain)), 12))
    return [build(t) for t in found] if found else Inapplicable(f"no instance of {name} is found in the step")


def _split_factors(summand: sympy.Expr) -> Iterator[tuple[sympy.Expr, sympy.Expr]]:
    """Every way of writing ``summand`` as ``a * b`` from its factors (``b = 1`` last)."""
    factors = sympy.Mul.make_args(summand)
    if len(factors) > 6:
        return
    seen = set()
    for r in range(1, len(factors)):
        for part in itertools.combinations(range(len(factors)), r):
            a = sympy.Mul(*(factors[j] for j in part))
            b = sympy.Mul(*(factors[j] for j in range(len(factors)) if j not in part))
            key = frozenset((a, b))
            if key not in seen:
                seen.add(key)
                yield a, b
    yield summand, _ONE


@dataclass(frozen=True)
class AMGM:
    """The arithmetic mean is at least the geometric mean:
    ``(a_1 + ... + a_n)/n >= (a_1 ... a_n)^(1/n)`` for ``a_i >= 0``.

    ``terms`` is a tuple (two or more terms) or a Lambda of the index with a
    ``length``; without terms, the step's ``sqrt(a*b)``, ``(a*b*c)^(1/3)`` or
    ``Product(a[i], (i, 1, n))^(1/n)`` names them.
    """

    terms: Terms | None = None
    length: sympy.Expr | None = None
    factor: sympy.Expr | None = None
    name: str = "AM-GM"

    def _build(self, t: _Terms, domain: Domain, taken: set[str]) -> Instance:
        mean = t.total(lambda a: a) / t.count
        geometric = t.product(lambda a: a) ** (1 / t.count)
        conditions = t.each(domain, taken, lambda a, where, d: [_positive(a[0], d, where, strict=False)])
        shown = _text(t.specs[0]) if t.length is None else f"{_text(t.at(t.index)[0])}, {t.index} = 1..{t.length}"
        return Instance(geometric, mean, tuple(conditions), f"the terms {shown}", (geometric,))

    def _matched(self, prev: sympy.Expr, expr: sympy.Expr) -> Iterator[_Terms]:
        for e in (prev, expr):
            for p in sorted(e.atoms(sympy.Pow), key=sympy.default_sort_key):
                base, exp = p.args
                if isinstance(base, sympy.Product) and len(base.limits) == 1:
                    i, lo, hi = base.limits[0]
                    if lo == 1 and sympy.simplify(exp * hi - 1) == 0:
                        yield _Terms((sympy.Lambda(i, base.function),), hi)
                elif exp.is_Rational and exp.p == 1 and base.is_Mul and len(base.args) == exp.q:
                    yield _Terms((tuple(base.args),), None)
            for m in sorted(e.atoms(sympy.Mul), key=sympy.default_sort_key):  # sqrt(a)*sqrt(b) of positive symbols
                roots = [f for f in m.args if f.is_Pow and f.exp.is_Rational and f.exp.p == 1]
                if len(roots) >= 2 and len({f.exp for f in roots}) == 1 and roots[0].exp.q == len(roots):
                    yield _Terms((tuple(f.base for f in roots),), None)

    def conditions(self, prev: sympy.Expr, rel: Relation, expr: sympy.Expr, domain: Domain,
                   over: tuple[str, ...]) -> list[Condition] | Inapplicable:  # fmt: skip
        taken = _names(prev, expr)
        given = None if self.terms is None else _Terms((self.terms,), self.length)
        instances = _family_instances(
            given, lambda: self._matched(prev, expr), lambda t: self._build(t, domain, taken), self.name, domain
        )
        return apply_lemma(self.name, instances, prev, rel, expr, domain, self.factor)


@dataclass(frozen=True)
class CauchySchwarz:
    """``(sum a_i b_i)^2 <= (sum a_i^2)(sum b_i^2)``, and its root form
    ``sum a_i b_i <= sqrt(sum a_i^2) sqrt(sum b_i^2)``, for real terms.

    ``a`` and ``b`` are tuples or Lambdas of the index with a ``length``; without
    them, the factors of the summand of a squared ``Sum(a[i]*b[i], (i, 1, n))``
    name them (``b = 1`` too: ``(sum a_i)^2 <= n sum a_i^2``).
    """

    a: Terms | None = None
    b: Terms | None = None
    length: sympy.Expr | None = None
    factor: sympy.Expr | None = None
    name: str = "Cauchy-Schwarz"

    def _build(self, t: _Terms) -> list[Instance]:
        inner = t.total(lambda a, b: a * b)
        aa, bb = t.total(lambda a, b: a**2), t.total(lambda a, b: b**2)
        what = f"a = {_text(t.at(t.index)[0] if t.length is not None else t.specs[0])}, " + (
            f"b = {_text(t.at(t.index)[1] if t.length is not None else t.specs[1])}"
        )
        return [
            Instance(inner**2, aa * bb, (), what, (aa, bb, inner)),
            Instance(inner, sympy.sqrt(aa) * sympy.sqrt(bb), (), what, (aa, bb, inner)),
        ]

    def _matched(self, prev: sympy.Expr, expr: sympy.Expr) -> Iterator[_Terms]:
        for summand, i, n in _sum_candidates(prev, expr):
            for a, b in _split_factors(summand):
                yield _Terms((sympy.Lambda(i, a), sympy.Lambda(i, b)), n)
        for e in (prev, expr):  # (a1 b1 + ... + ak bk)^2 of a fixed number of terms: a_j the first factor
            for p in sorted(e.atoms(sympy.Pow), key=sympy.default_sort_key):
                if p.exp == 2 and p.base.is_Add and all(t.is_Mul for t in p.base.args):
                    pairs = [sympy.Mul.make_args(t) for t in p.base.args]
                    yield _Terms((tuple(f[0] for f in pairs), tuple(sympy.Mul(*f[1:]) for f in pairs)), None)

    def conditions(self, prev: sympy.Expr, rel: Relation, expr: sympy.Expr, domain: Domain,
                   over: tuple[str, ...]) -> list[Condition] | Inapplicable:  # fmt: skip
        if (self.a is None) != (self.b is None):
            return Inapplicable("Cauchy-Schwarz takes both a and b, or neither")
        if self.a is not None and self.b is not None:
            t = _Terms((self.a, self.b), self.length)
            why = t.check(domain)
            instances: list[Instance] | Inapplicable = Inapplicable(f"{self.name}: {why}") if why else self._build(t)
        else:
            found = list(itertools.islice((t for t in self._matched(prev, expr) if not t.check(domain)), 12))
            instances = [i for t in found for i in self._build(t)]
        return apply_lemma(self.name, instances, prev, rel, expr, domain, self.factor)


def _log_summands(
    prev: sympy.Expr, expr: sympy.Expr
) -> Iterator[tuple[sympy.Expr, sympy.Expr, sympy.Symbol, sympy.Expr]]:
    """(coefficient, log argument, index, length) of every ``Sum(c * log(r), (i, 1, n))``."""
    for summand, i, n in _sum_candidates(prev, expr):
        logs = [f for f in sympy.Mul.make_args(summand) if isinstance(f, sympy.log)]
        if len(logs) == 1:
            coefficient = summand / logs[0]
            sign, rest = coefficient.as_coeff_Mul()
            yield (rest if sign.is_negative and sign == -1 else coefficient), logs[0].args[0], i, n


def _log_terms(prev: sympy.Expr, expr: sympy.Expr) -> Iterator[list[tuple[sympy.Expr, sympy.Expr]]]:
    """For each side that is a sum of two or more ``c * log(r)`` terms (a fixed
    number of terms), the (coefficient without its sign, r) of every term."""
    for side in (prev, expr):
        found = []
        for term in sympy.Add.make_args(sympy.expand(side) if side.is_Mul else side):
            logs = [f for f in sympy.Mul.make_args(term) if isinstance(f, sympy.log)]
            if len(logs) != 1:
                continue
            coefficient = term / logs[0]
            sign, rest = coefficient.as_coeff_Mul()
            found.append((rest if sign == -1 else coefficient, logs[0].args[0]))
        if len(found) >= 2:
            yield found


@dataclass(frozen=True)
class LogSum:
    """The log-sum inequality: ``sum a_i log(a_i/b_i) >= (sum a_i) log(sum a_i / sum b_i)``
    for ``a_i, b_i > 0``."""

    a: Terms | None = None
    b: Terms | None = None
    length: sympy.Expr | None = None
    factor: sympy.Expr | None = None
    name: str = "the log-sum inequality"

    @property
    def given(self) -> tuple[Terms | None, Terms | None]:
        return self.a, self.b

    def _build(self, t: _Terms, domain: Domain, taken: set[str]) -> Instance:
        large = t.total(lambda a, b: a * sympy.log(a / b))
        sa, sb = t.total(lambda a, b: a), t.total(lambda a, b: b)
        small = sa * sympy.log(sa / sb)
        conditions = t.each(
            domain,
            taken,
            lambda ab, where, d: [_positive(ab[0], d, f"a at {where}"), _positive(ab[1], d, f"b at {where}")],
        )
        return Instance(small, large, tuple(conditions), "a, b = " + ", ".join(map(_text, t.specs)), (large, sa, sb))

    def _matched(self, prev: sympy.Expr, expr: sympy.Expr) -> Iterator[_Terms]:
        for c, r, i, n in _log_summands(prev, expr):
            yield _Terms((sympy.Lambda(i, c), sympy.Lambda(i, sympy.cancel(c / r))), n)
        for terms in _log_terms(prev, expr):
            yield _Terms((tuple(c for c, _ in terms), tuple(sympy.cancel(c / r) for c, r in terms)), None)

    def conditions(self, prev: sympy.Expr, rel: Relation, expr: sympy.Expr, domain: Domain,
                   over: tuple[str, ...]) -> list[Condition] | Inapplicable:  # fmt: skip
        return _pair_lemma(self, prev, rel, expr, domain)


@dataclass(frozen=True)
class Gibbs:
    """Gibbs' inequality: ``-sum p_i log p_i <= -sum p_i log q_i`` for ``p_i, q_i > 0``
    with ``sum p_i = 1`` and ``sum q_i <= 1`` (so ``KL(p || q) >= 0``)."""

    p: Terms | None = None
    q: Terms | None = None
    length: sympy.Expr | None = None
    factor: sympy.Expr | None = None
    name: str = "Gibbs' inequality"

    @property
    def given(self) -> tuple[Terms | None, Terms | None]:
        return self.p, self.q

    def _build(self, t: _Terms, domain: Domain, taken: set[str]) -> Instance:
        small = -t.total(lambda p, q: p * sympy.log(p))
        large = -t.total(lambda p, q: p * sympy.log(q))
        sp, sq = t.total(lambda p, q: p), t.total(lambda p, q: q)
        conditions = [
            Condition(f"{_text(sp)} = 1", Claim(sp, Relation.EQ, _ONE, domain), f"p does not sum to 1 ({_text(sp)})"),
            Condition(
                f"{_text(sq)} <= 1", Claim(sq, Relation.LE, _ONE, domain), f"q sums to more than 1 ({_text(sq)})"
            ),
            *t.each(
                domain,
                taken,
                lambda pq, where, d: [_positive(pq[0], d, f"p at {where}"), _positive(pq[1], d, f"q at {where}")],
            ),
        ]
        pieces = tuple(sorted((small + large).atoms(sympy.Sum, sympy.log), key=sympy.default_sort_key))
        return Instance(small, large, tuple(conditions), "p, q = " + ", ".join(map(_text, t.specs)), pieces)

    def _matched(self, prev: sympy.Expr, expr: sympy.Expr) -> Iterator[_Terms]:
        for c, r, i, n in _log_summands(prev, expr):
            yield _Terms((sympy.Lambda(i, c), sympy.Lambda(i, r)), n)
            yield _Terms((sympy.Lambda(i, c), sympy.Lambda(i, sympy.cancel(c / r))), n)
        for terms in _log_terms(prev, expr):
            ps = tuple(c for c, _ in terms)
            yield _Terms((ps, tuple(r for _, r in terms)), None)
            yield _Terms((ps, tuple(sympy.cancel(c / r) for c, r in terms)), None)

    def conditions(self, prev: sympy.Expr, rel: Relation, expr: sympy.Expr, domain: Domain,
                   over: tuple[str, ...]) -> list[Condition] | Inapplicable:  # fmt: skip
        return _pair_lemma(self, prev, rel, expr, domain)


@dataclass(frozen=True)
class LogJensen:
    """Jensen's inequality for the concave logarithm: ``sum w_i log x_i <= log(sum w_i x_i)``
    for weights ``w_i >= 0`` summing to 1 and points ``x_i > 0``.

    Without ``w`` and ``x``, every ``Sum(w * log(x), (i, 1, n))`` of the step names
    them, derive's functions written out (``Expectation(p, Lambda(i, log(x[i])))`` is
    such a sum):

    >>> from derive.claim import Family, interval
    >>> i, n = sympy.symbols("i n")
    >>> p, x = sympy.IndexedBase("p"), sympy.IndexedBase("x")
    >>> domain = Domain().bind(("p",), Family(joint="simplex", length="n")).bind(("x",), Family(interval(0, sympy.oo)))
    >>> mean_of_log = sympy.Sum(p[i] * sympy.log(x[i]), (i, 1, n))
    >>> log_of_mean = sympy.log(sympy.Sum(p[i] * x[i], (i, 1, n)))
    >>> conditions = LogJensen().conditions(mean_of_log, Relation.LE, log_of_mean, domain, ())
    >>> [c.label for c in conditions if not c.shape]
    ['Sum(p[i], (i, 1, n)) = 1', 'p[k] >= 0', 'x[k] > 0']
    """

    w: Terms | None = None
    x: Terms | None = None
    length: sympy.Expr | None = None
    factor: sympy.Expr | None = None
    name: str = "Jensen's inequality for log"

    @property
    def given(self) -> tuple[Terms | None, Terms | None]:
        return self.w, self.x

    def _build(self, t: _Terms, domain: Domain, taken: set[str]) -> Instance:
        small = t.total(lambda w, x: w * sympy.log(x))
        large = sympy.log(t.total(lambda w, x: w * x))
        total = t.total(lambda w, x: w)
        conditions = [
            Condition(
                f"{_text(total)} = 1", Claim(total, Relation.EQ, _ONE, domain), f"the weights sum to {_text(total)}"
            ),
            *t.each(
                domain,
                taken,
                lambda wx, where, d: [
                    _positive(wx[0], d, f"the weight at {where}", strict=False),
                    _positive(wx[1], d, f"the point at {where}"),
                ],
            ),
        ]
        return Instance(small, large, tuple(conditions), "w, x = " + ", ".join(map(_text, t.specs)), (large, small))

    def _matched(self, prev: sympy.Expr, expr: sympy.Expr) -> Iterator[_Terms]:
        for c, r, i, n in _log_summands(prev, expr):  # w log x, and -w log r as w log(1/r) (entropy)
            yield _Terms((sympy.Lambda(i, c), sympy.Lambda(i, r)), n)
            yield _Terms((sympy.Lambda(i, c), sympy.Lambda(i, 1 / r)), n)
        for terms in _log_terms(prev, expr):
            weights = tuple(c for c, _ in terms)
            yield _Terms((weights, tuple(r for _, r in terms)), None)
            yield _Terms((weights, tuple(1 / r for _, r in terms)), None)

    def conditions(self, prev: sympy.Expr, rel: Relation, expr: sympy.Expr, domain: Domain,
                   over: tuple[str, ...]) -> list[Condition] | Inapplicable:  # fmt: skip
        return _pair_lemma(self, expand_functions(prev), rel, expand_functions(expr), domain)


def _pair_lemma(
    lemma: LogSum | Gibbs | LogJensen, prev: sympy.Expr, rel: Relation, expr: sympy.Expr, domain: Domain
) -> list[Condition] | Inapplicable:
    first, second = lemma.given
    if (first is None) != (second is None):
        return Inapplicable(f"{lemma.name} takes both term sequences, or neither")
    taken = _names(prev, expr)
    given = None if first is None or second is None else _Terms((first, second), lemma.length)
    instances = _family_instances(
        given, lambda: lemma._matched(prev, expr), lambda t: lemma._build(t, domain, taken), lemma.name, domain
    )
    return apply_lemma(lemma.name, instances, prev, rel, expr, domain, lemma.factor)


def automatic() -> tuple[Rule, ...]:
    """The lemmas derive tries on its own for a step that gives no checkable
    reason and is only tested (each with matching, as a user's ``LogBound()``)."""
    return (
        LogBound(),
        ExpBound(),
        AMGM(),
        CauchySchwarz(),
        LogSum(),
        Gibbs(),
        LogJensen(),
        Termwise(LogBound()),
        Termwise(ExpBound()),
        Termwise(),
    )


def plausible(claim: Claim) -> Iterator[tuple[Rule, list[Condition]]]:
    """The automatic lemmas whose shape plainly fits ``claim``: every equality
    among their side conditions is 0 by cheap algebra (a filter, not a proof: the
    conditions are still checked)."""
    for rule in automatic():
        conditions = rule.conditions(claim.lhs, claim.relation, claim.rhs, claim.domain, claim.over)
        if isinstance(conditions, Inapplicable):
            continue
        shapes = [c.claim for c in conditions if c.shape]
        if shapes and all(_cheap_zero(s.lhs - s.rhs, s.domain) for s in shapes):
            yield rule, conditions


_INSIDE: contextvars.ContextVar[bool] = contextvars.ContextVar("derive_lemmas_inside", default=False)


def prove_by_lemma(claim: Claim, deadline: float | None = None) -> SymbolicResult | None:
    """The symbolic stage's last resort for an order claim: a plausible lemma whose
    side conditions the symbolic stage proves (none when none does; the lemmas are
    not tried again on the side conditions themselves).

    >>> from derive.parsing import parse_claim
    >>> prove_by_lemma(parse_claim("(a + b)/2 >= sqrt(a*b)", ["a > 0", "b > 0"])).method
    'symbolic: AM-GM, a classical lemma'
    """
    if _INSIDE.get() or not claim.relation.is_order:
        return None
    token = _INSIDE.set(True)
    try:
        for rule, conditions in itertools.islice(plausible(claim), 3):
            steps = [f"{rule.name}: its side conditions"]
            for condition in conditions:
                if deadline is not None and time.monotonic() > deadline:
                    return None
                result = _prove(condition.claim, deadline)
                if result.status != "proved":
                    break
                steps.append(f"{condition.label}: {result.method}")
            else:
                return SymbolicResult("proved", f"symbolic: {rule.name}, a classical lemma", tuple(steps), "0")
        return None
    finally:
        _INSIDE.reset(token)


def _prove(claim: Claim, deadline: float | None) -> SymbolicResult:
    from derive.sizes import is_general
    from derive.sums import prove_general
    from derive.symbolic import prove

    return prove_general(claim, deadline) if is_general(claim) else prove(claim, deadline)
