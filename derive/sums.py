"""The symbolic stage for general size: sums and products of symbolic length,
proved for every length at once, never from instances.

A sum is brought to a normal form by rules that hold for all lengths: linearity
(terms split, factors free of the index taken out, a body free of the index
counted ``hi - lo + 1`` times), ``sum p_i = 1`` for a probability vector,
``log prod f_i = sum log f_i`` for positive factors, differentiation under the sum
(by a scalar, or by one entry ``x_k``: the Kronecker delta collapses to the
``k``-th term when ``k`` lies in the range), and closed forms of sums free of
families (``sum i = n(n + 1)/2``). Two sums over the same range compare
termwise: an inequality holds when the summand of the difference does, for
every entry value (a weaker claim with one scalar per family).

>>> from derive.parsing import parse_claim
>>> c = parse_claim("Sum(x[i] - Sum(x[j], (j, 1, n))/n, (i, 1, n)) == 0")
>>> prove_general(c).method
'symbolic: sum algebra (all n)'
>>> c = parse_claim("Sum(p[i]*log(p[i]/q[i]), (i, 1, n)) >= 0", ["p in simplex(n)", "q in simplex(n)"])
>>> prove_general(c).method
'symbolic: termwise (all n)'
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import sympy

from derive.budget import past
from derive.claim import Claim, Domain, Family, Interval, Relation, reals
from derive.sizes import length_range, shape
from derive.symbolic import SymbolicResult, _Clock, _forms, _inequality, _short, assumed_symbols, prepare_general


def _general(claim: Claim) -> str:
    """`` (all n)``, ``(all m, n)``: the lengths a proof holds for."""
    form = shape(claim)
    return f" (all {', '.join(form.lengths or form.indices)})"


@dataclass(frozen=True)
class _Context:
    """What the normal form may use: the simplex families and their lengths, the
    ranges of index variables, and the entry domains of families."""

    simplex: dict[sympy.IndexedBase, sympy.Expr]
    ranges: dict[sympy.Symbol, tuple[sympy.Expr, sympy.Expr]]
    entries: dict[sympy.IndexedBase, Interval]
    deadline: float | None

    def expired(self) -> bool:
        return past(self.deadline)


class _ExpiredError(Exception):
    pass


def _symbols(claim: Claim) -> tuple[dict[sympy.Basic, sympy.Basic], _Context]:
    """Plain -> assumed symbols (lengths integer and positive, indices integer,
    families' entries with their domain's assumptions), and the context."""
    form = shape(claim)
    domain = claim.domain
    replace: dict[sympy.Basic, sympy.Basic] = {}
    for name in form.lengths:
        lo, _ = length_range(domain, name)
        facts = {"integer": True, "positive": True} if lo >= 1 else {"integer": True, "nonnegative": True}
        replace[sympy.Symbol(name)] = sympy.Symbol(name, **facts)
    ranges = {}
    for name in form.indices:
        rng = domain.index(name)
        assert rng is not None
        symbol = sympy.Symbol(name, integer=True, positive=bool(rng.lo.is_number and rng.lo >= 1))
        replace[sympy.Symbol(name)] = symbol
        ranges[symbol] = (rng.lo, rng.hi)
    simplex: dict[sympy.IndexedBase, sympy.Expr] = {}
    entries: dict[sympy.IndexedBase, Interval] = {}
    for name in form.families:
        family = domain.family(name) or Family()
        base = sympy.IndexedBase(sympy.Symbol(name), **family.assumptions())
        replace[sympy.IndexedBase(sympy.Symbol(name))] = base
        if family.joint == "simplex":
            simplex[base] = sympy.Symbol(family.length) if isinstance(family.length, str) else family.length
            entries[base] = Interval(sympy.Integer(0), sympy.Integer(1), True, True)
        else:
            entries[base] = family.entry if not family.joint else reals()
    others = tuple(
        n
        for n in sorted({s.name for s in (claim.lhs.free_symbols | claim.rhs.free_symbols) if s.is_Symbol})
        if sympy.Symbol(n) not in replace and n not in form.families
    )
    for plain, assumed in assumed_symbols(domain, others).items():
        replace[plain] = assumed
    for base in list(simplex):
        simplex[base] = simplex[base].xreplace(replace) if isinstance(simplex[base], sympy.Basic) else simplex[base]
    ranges = {k: (lo.xreplace(replace), hi.xreplace(replace)) for k, (lo, hi) in ranges.items()}
    return replace, _Context(simplex, ranges, entries, None)


def normal(expr: sympy.Expr, ctx: _Context, depth: int = 0) -> sympy.Expr:
    """The normal form of ``expr``: every sum linear and canonical (see the module)."""
    if ctx.expired():
        raise _ExpiredError
    if not expr.has(sympy.Sum, sympy.Product):
        return expr
    if isinstance(expr, sympy.Sum):
        return _sum(expr, ctx, depth)
    if isinstance(expr, sympy.log) and isinstance(expr.args[0], sympy.Product):
        product = expr.args[0]
        if product.function.is_positive:
            return _sum(sympy.Sum(sympy.log(product.function), *product.limits), ctx, depth)
    if isinstance(expr, sympy.Product):
        return _product(expr, ctx, depth)
    args = [normal(a, ctx, depth) for a in expr.args]
    rebuilt = expr.func(*args)
    if isinstance(rebuilt, sympy.log):
        rebuilt = sympy.expand_log(rebuilt, force=False)
    return rebuilt


def _canonical_index(depth: int) -> sympy.Symbol:
    return sympy.Symbol(f"_i{depth}", integer=True)


def _sum(expr: sympy.Sum, ctx: _Context, depth: int) -> sympy.Expr:
    """A sum over one or more ranges (innermost first, as SymPy keeps them), each
    index renamed by its depth, the body normalised, then the ranges summed from
    the innermost out, term by term."""
    count = len(expr.limits)
    renames = {index: _canonical_index(depth + count - 1 - k) for k, (index, _, _) in enumerate(expr.limits)}
    body = normal(expr.function.xreplace(renames), ctx, depth + count)
    for index, lo, hi in expr.limits:
        i = renames[index]
        body = _expand(sympy.expand_log(body, force=False))
        lo, hi = lo.xreplace(renames), hi.xreplace(renames)
        body = sympy.Add(*(_sum_term(term, i, lo, hi, ctx) for term in sympy.Add.make_args(body)))
    return body


def _outermost(expr: sympy.Basic) -> list[sympy.Basic]:
    """The sums and products of ``expr`` that are not inside another one."""
    if isinstance(expr, (sympy.Sum, sympy.Product)):
        return [expr]
    return [found for arg in expr.args for found in _outermost(arg)]


def _expand(expr: sympy.Expr) -> sympy.Expr:
    """``expand`` that treats each sum and product as an opaque atom (SymPy would
    otherwise push factors into the sums)."""
    atoms = {s: sympy.Dummy("s") for s in _outermost(expr)}
    back = {v: k for k, v in atoms.items()}
    return sympy.expand(expr.xreplace(atoms)).xreplace(back)  # type: ignore[no-any-return]


def relabel(expr: sympy.Expr, depth: int = 0) -> sympy.Expr:
    """Every sum's index renamed by its nesting depth, so that equal sums are equal trees."""
    mapping = {}
    for found in dict.fromkeys(_outermost(expr)):  # each distinct sum once (a sum recurs in an expanded side)
        if len(found.limits) != 1:
            continue
        ((index, lo, hi),) = found.limits
        temporary = sympy.Dummy("k")
        body = relabel(found.function.xreplace({index: temporary}), depth + 1)
        canonical = _canonical_index(depth)
        mapping[found] = found.func(body.xreplace({temporary: canonical}), (canonical, lo, hi))
    return expr.xreplace(mapping) if mapping else expr


def _sum_term(term: sympy.Expr, i: sympy.Symbol, lo: sympy.Expr, hi: sympy.Expr, ctx: _Context) -> sympy.Expr:
    outside: list[sympy.Expr] = []
    inside: list[sympy.Expr] = []
    for factor in sympy.Mul.make_args(term):
        (inside if i in factor.free_symbols else outside).append(factor)
    coefficient = sympy.Mul(*outside)
    body = sympy.Mul(*inside)
    if body == 1:
        return coefficient * (hi - lo + 1)
    deltas = [f for f in inside if isinstance(f, sympy.KroneckerDelta) and i in f.free_symbols]
    for delta in deltas:
        other = delta.args[1] if delta.args[0] == i else delta.args[0]
        if i not in other.free_symbols and _within(other, lo, hi, ctx):
            return coefficient * (body / delta).xreplace({i: other})
    simplex = isinstance(body, sympy.Indexed) and body.base in ctx.simplex and body.indices == (i,)
    if simplex and lo == 1 and sympy.simplify(hi - ctx.simplex[body.base]) == 0:
        return coefficient
    if not body.has(sympy.Indexed) and body.is_polynomial(i):
        return coefficient * sympy.expand(sympy.Sum(body, (i, lo, hi)).doit())
    return coefficient * sympy.Sum(body, (i, lo, hi))


def _within(k: sympy.Expr, lo: sympy.Expr, hi: sympy.Expr, ctx: _Context) -> bool:
    """``lo <= k <= hi`` for every value the index variable ``k`` may take."""
    if k.is_Integer:
        return bool(sympy.simplify(k - lo).is_nonnegative and sympy.simplify(hi - k).is_nonnegative)
    if k not in ctx.ranges:
        return False
    k_lo, k_hi = ctx.ranges[k]
    return bool(sympy.simplify(k_lo - lo).is_nonnegative and sympy.simplify(hi - k_hi).is_nonnegative)


def _product(expr: sympy.Product, ctx: _Context, depth: int) -> sympy.Expr:
    """A product's constant factors come out as powers, a product of exponentials is
    the exponential of the sum; the rest stays a product."""
    if len(expr.limits) > 1:
        return expr
    ((index, lo, hi),) = expr.limits
    canonical = _canonical_index(depth)
    body = normal(expr.function.xreplace({index: canonical}), ctx, depth + 1)
    outside: list[sympy.Expr] = []
    inside: list[sympy.Expr] = []
    exponents: list[sympy.Expr] = []
    for factor in sympy.Mul.make_args(sympy.powsimp(body)):
        if canonical not in factor.free_symbols:
            outside.append(factor)
        elif isinstance(factor, sympy.exp):
            exponents.append(factor.args[0])
        else:
            inside.append(factor)
    result = sympy.Mul(*outside) ** (hi - lo + 1)
    if exponents:
        result *= sympy.exp(_sum(sympy.Sum(sympy.Add(*exponents), (canonical, lo, hi)), ctx, depth))
    if inside:
        result *= sympy.Product(sympy.Mul(*inside), (canonical, lo, hi))
    return result


MAX_PEEL = 4


def _align(expr: sympy.Expr) -> sympy.Expr:
    """Sums whose ranges differ by a few terms at either end are brought to a
    common range: ``sum_{1}^{n} f = sum_{1}^{n-1} f + f(n)`` (true for every n
    under SymPy's summation convention, which the instances use too). Each distinct
    sum once, and each distinct range once against it (an expanded difference holds
    the same sum many times: 72 occurrences of 9 sums once took 10,000 ``simplify``).

    >>> i, n = sympy.symbols("i n", integer=True)
    >>> x = sympy.IndexedBase("x")
    >>> _align(sympy.Sum(x[i], (i, 1, n)) - sympy.Sum(x[i], (i, 1, n - 1)))
    x[n]
    """
    sums = list(dict.fromkeys(s for s in _outermost(expr) if isinstance(s, sympy.Sum) and len(s.limits) == 1))
    if len(sums) < 2:
        return expr
    ranges = list(dict.fromkeys((s.limits[0][1], s.limits[0][2]) for s in sums))
    mapping = {}
    for s in sums:
        (i, lo, hi) = s.limits[0]
        for lo2, hi2 in ranges:
            top, bottom = sympy.simplify(hi - hi2), sympy.simplify(lo2 - lo)
            if not (top.is_Integer and bottom.is_Integer and 0 <= top <= MAX_PEEL and 0 <= bottom <= MAX_PEEL):
                continue
            if top == 0 and bottom == 0:
                continue
            ends = [s.function.xreplace({i: hi - t}) for t in range(int(top))]
            ends += [s.function.xreplace({i: lo + t}) for t in range(int(bottom))]
            mapping[s] = sympy.Sum(s.function, (i, lo2, hi2)) + sympy.Add(*ends)
            break
    return _expand(expr.xreplace(mapping)) if mapping else expr


def _groups(expr: sympy.Expr) -> tuple[dict[tuple, sympy.Expr], sympy.Expr]:
    """``expr`` as sums over ranges plus a rest: each term ``c * Sum(f, range)``
    with ``c`` free of the index joins that range's summand as ``c * f``."""
    groups: dict[tuple, sympy.Expr] = {}
    rest = sympy.Integer(0)
    for term in sympy.Add.make_args(_expand(expr)):
        sums = [f for f in sympy.Mul.make_args(term) if isinstance(f, sympy.Sum)]
        if len(sums) != 1 or len(sums[0].limits) != 1:
            rest += term
            continue
        (s,) = sums
        coefficient = term / s
        if coefficient.has(sympy.Sum):
            rest += term
            continue
        key = tuple(s.limits[0])
        groups[key] = groups.get(key, sympy.Integer(0)) + coefficient * s.function
    return groups, rest


def prove_general(claim: Claim, deadline: float | None = None) -> SymbolicResult:
    """Prove ``claim`` for every length, or say what is left (``unknown``)."""
    replace, ctx = _symbols(claim)
    ctx = _Context(ctx.simplex, ctx.ranges, ctx.entries, deadline)
    steps: list[str] = []
    try:
        lhs, rhs = (relabel(normal(prepare_general(side, replace), ctx)) for side in (claim.lhs, claim.rhs))
        if claim.relation is Relation.ARGMAX:
            return SymbolicResult("unknown", "symbolic", ("same-maximiser claims of general size are sampled",))
        if claim.relation is Relation.EQ:
            return _equal(_align(_expand(lhs - rhs)), ctx, steps, _general(claim))
        d = lhs - rhs if claim.relation in (Relation.GE, Relation.GT) else rhs - lhs
        strict = claim.relation in (Relation.GT, Relation.LT)
        result = _order(_align(_expand(d)), strict, ctx, claim.domain, steps, _general(claim))
        if result.status == "unknown" and result.complete:
            from derive.lemmas import prove_by_lemma  # the classical lemmas, last

            lemma = prove_by_lemma(claim, deadline)
            if lemma is not None:
                method = lemma.method + _general(claim)
                return SymbolicResult("proved", method, (*result.steps, *lemma.steps), lemma.residue)
        return result
    except _ExpiredError:
        return SymbolicResult("unknown", "symbolic", tuple(steps), complete=False)


def _safely(form: Callable[[], sympy.Expr]) -> sympy.Expr | None:
    """A SymPy form, or None when SymPy itself fails on it (``sum_combine`` raises
    StopIteration on some nested sums): that form proves nothing."""
    try:
        return form()
    except (StopIteration, RecursionError, NotImplementedError, TypeError, ValueError, AttributeError):
        return None


def _equal(d: sympy.Expr, ctx: _Context, steps: list[str], suffix: str) -> SymbolicResult:
    steps.append(f"sum algebra: lhs - rhs = {_short(d)}")
    if d == 0:
        return SymbolicResult("proved", "symbolic: sum algebra" + suffix, tuple(steps), "0")
    groups, rest = _groups(d)
    merged = rest + sum((sympy.Sum(f, key) for key, f in groups.items()), sympy.Integer(0))
    for key, summand in groups.items():
        for name, form in _forms(summand):
            if ctx.expired():
                raise _ExpiredError
            if _safely(form) == 0:
                steps.append(f"summand over {key[0]} = {key[1]}..{key[2]}: {name} gives 0")
                groups = {k: v for k, v in groups.items() if k != key}
                break
    remaining = rest + sum((sympy.Sum(f, key) for key, f in groups.items()), sympy.Integer(0))
    if remaining == 0:
        return SymbolicResult("proved", "symbolic: sum algebra, summand simplified" + suffix, tuple(steps), "0")
    for name, form in _forms(merged):
        if ctx.expired():
            raise _ExpiredError
        value = _safely(form)
        if value == 0:
            steps.append(f"{name}: 0")
            return SymbolicResult("proved", f"symbolic: sum algebra, {name}" + suffix, tuple(steps), "0")
    return SymbolicResult("unknown", "symbolic", tuple(steps), _short(remaining))


def _order(d: sympy.Expr, strict: bool, ctx: _Context, domain: Domain, steps: list[str], suffix: str) -> SymbolicResult:
    steps.append(f"sum algebra: the larger side minus the smaller = {_short(d)}")
    want = "positive" if strict else "nonnegative"
    for label, form in (("as is", lambda: d), ("simplify", lambda: sympy.simplify(d))):
        if ctx.expired():
            raise _ExpiredError
        candidate = form()
        if (candidate.is_positive if strict else candidate.is_nonnegative) is True:
            steps.append(f"{label}: {_short(candidate)} is {want}")
            return SymbolicResult("proved", "symbolic: sign" + suffix, tuple(steps), _short(candidate))
    if strict:
        return SymbolicResult("unknown", "symbolic", tuple(steps), _short(d))
    if not d.has(sympy.Sum, sympy.Product) and len(ctx.ranges) == 1:  # a term at an index (a rule's side condition)
        ((k, (lo, hi)),) = ctx.ranges.items()
        if sympy.simplify(hi - lo + 1).is_positive:
            result = _termwise(d, k, ctx, domain)
            steps.append(f"every entry at {k} a scalar in its family's domain: {result}")
            if result == "proved":
                return SymbolicResult("proved", "symbolic: entries as scalars" + suffix, tuple(steps), _short(d))
    groups, rest = _groups(d)
    if len(groups) != 1 or rest != 0:
        steps.append("no single sum to compare termwise")
        return SymbolicResult("unknown", "symbolic", tuple(steps), _short(d))
    ((key, summand),) = groups.items()
    count = sympy.simplify(key[2] - key[1] + 1)
    if not count.is_nonnegative:  # a reversed range (SymPy's convention) would flip the comparison
        steps.append(f"the range {key[1]}..{key[2]} is not known to be in order")
        return SymbolicResult("unknown", "symbolic", tuple(steps), _short(d))
    for label, body in _termwise_candidates(summand, key, ctx):
        result = _termwise(body, key[0], ctx, domain)
        steps.append(f"termwise ({label}): {_short(body)} >= 0: {result}")
        if result == "proved":
            return SymbolicResult("proved", "symbolic: termwise" + suffix, tuple(steps), _short(d))
    return SymbolicResult("unknown", "symbolic", tuple(steps), _short(d))


def _termwise_candidates(summand: sympy.Expr, key: tuple, ctx: _Context) -> list[tuple[str, sympy.Expr]]:
    """The summand, and the summand plus ``q_i - p_i`` for probability vectors p, q
    over the same range (their sums are both 1, so the total is unchanged)."""
    i, lo, hi = key
    out = [("as is", summand)]
    bases = [b for b, n in ctx.simplex.items() if lo == 1 and sympy.simplify(hi - n) == 0 and summand.has(b)]
    for p in bases:
        for q in bases:
            if p != q:
                out.append((f"adding {q.label}_i - {p.label}_i, which sums to 0", summand + q[i] - p[i]))
    return out


def _termwise(body: sympy.Expr, i: sympy.Symbol, ctx: _Context, domain: Domain) -> str:
    """Prove ``body >= 0`` with each entry ``x[i]`` a scalar in its family's domain."""
    entries = {e for e in body.atoms(sympy.Indexed) if e.indices == (i,)}
    if any(i in e.free_symbols for e in body.atoms(sympy.Indexed) - entries) or body.has(sympy.Sum):
        return "the summand involves other terms of the sum"
    scalars = {e: sympy.Symbol(f"{e.base.label}_i") for e in entries}
    scalar_body = body.xreplace(scalars)
    if i in scalar_body.free_symbols:
        return "the summand depends on the index itself"
    term_domain = Domain()
    for entry, symbol in scalars.items():
        term_domain = term_domain.bind((symbol.name,), ctx.entries.get(entry.base, reals()))
    names = {s.name for s in scalar_body.free_symbols}
    for binding in domain.bindings:
        if binding.names[0] in names and domain.is_scalar(binding.names[0]):
            term_domain = term_domain.bind(binding.names, binding.domain)
    bound = set(term_domain.names())
    lengths = [s for s in scalar_body.free_symbols if s.name not in bound and s.is_integer and s.is_positive]
    for length in sorted(lengths, key=lambda s: s.name):  # a length outside the sum (the 1/m of a mean) is >= 1
        term_domain = term_domain.bind((length.name,), Interval(sympy.Integer(1), sympy.oo, False, True, True))
    plain = {s: sympy.Symbol(s.name) for s in scalar_body.free_symbols}
    expr = scalar_body.xreplace(plain)
    symbols = assumed_symbols(term_domain, tuple(sorted(names)))
    result = _inequality(expr.xreplace(symbols), False, term_domain, symbols, _Clock(ctx.deadline), boxes=False)
    if result.status == "proved":
        return "proved"
    perspective = _perspective(expr, term_domain, ctx)
    return perspective or result.status


def _perspective(expr: sympy.Expr, domain: Domain, ctx: _Context) -> str | None:
    """``g(p, q) >= 0`` for a ``g`` positively homogeneous of degree 1 in two
    positive variables: ``g(p, q) = q g(p/q, 1)``, so it suffices that
    ``g(u, 1) >= 0`` for every ``u > 0``."""
    free = sorted(expr.free_symbols, key=lambda s: s.name)
    if len(free) != 2:
        return None
    for p, q in (free, free[::-1]):
        if not all(domain.is_scalar(v.name) and domain.scalar(v.name).lo >= 0 for v in (p, q)):
            return None
        t = sympy.Symbol("t", positive=True)
        pos = {p: sympy.Symbol(p.name, positive=True), q: sympy.Symbol(q.name, positive=True)}
        g = expr.xreplace(pos)
        scaled = g.xreplace({pos[p]: t * pos[p], pos[q]: t * pos[q]})
        if sympy.simplify(sympy.expand_log(scaled - t * g, force=False)) != 0:
            continue
        u = sympy.Symbol("u", positive=True)
        reduced = sympy.expand_log(g.xreplace({pos[p]: u, pos[q]: sympy.Integer(1)}), force=False)
        u_domain = Domain.of(u=Interval(sympy.Integer(0), sympy.oo, True, True))
        result = _inequality(reduced, False, u_domain, {sympy.Symbol("u"): u}, _Clock(ctx.deadline), boxes=False)
        if result.status == "proved":
            return "proved"
    return None
