"""General size: claims over families ``x[1..n]`` whose lengths are variables.

A claim with ``Sum(x[i], (i, 1, n))`` or an entry ``x[k]`` is checked numerically
by instantiating it: the lengths take their smallest values (1, 2, 3) and several
seeded larger ones, the index variables their ends and a middle, and each
instance (sums unrolled, entries named ``x[1]``, ``x[2]``, ...) is sampled as a
fixed-size claim. A counterexample names the lengths and every entry, and comes
from the smallest instance that fails. Instances never prove anything: a proof
for all lengths is the symbolic stage's (``derive.sums``).

>>> from derive.parsing import parse_claim
>>> c = parse_claim("Sum(x[i], (i, 1, n))**2 <= n * Sum(x[i]**2, (i, 1, n))")
>>> shape(c)
Shape(lengths=('n',), indices=(), families=('x',))
>>> [a for a in assignments(c, seed=0)][:4]
[{'n': 1}, {'n': 2}, {'n': 3}, {'n': 4}]
>>> str(instantiate(c, {"n": 2}))
'(x[1] + x[2])**2 <= 2*x[1]**2 + 2*x[2]**2'
"""

from __future__ import annotations

import functools
import itertools
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from typing import Any

import mpmath
import numpy as np
import sympy

from derive.claim import Claim, Domain, Family, IndexRange, Relation, free_names
from derive.compiled import Compiled, ReversedRangeError
from derive.errors import InputError
from derive.functions import expand_functions, expand_information
from derive.numeric import Looks, NumericResult, Point, _Evaluator, _prepared, find_point, order_search, search
from derive.symbolic import prepare, prepare_general
from derive.verdict import Counterexample

SMALL = 3
"""The smallest lengths, always instantiated: lo, lo + 1, ..., lo + SMALL - 1."""
LARGE = 5
"""How many seeded larger instances."""
LARGEST = 40
"""Larger lengths are drawn up to lo + LARGEST."""
MIN_SAMPLES = 600
GAP_FILL = 40
"""After a failure at length L, at most this many untried smaller lengths are tried."""


@dataclass(frozen=True)
class Shape:
    """The structure of a general-size claim: its length variables (``n``), free
    index variables (``k`` of ``x[k]``) and families (``x``)."""

    lengths: tuple[str, ...]
    indices: tuple[str, ...]
    families: tuple[str, ...]

    @property
    def sized(self) -> bool:
        """True when a length or an index is a variable: a proof must hold for all of them."""
        return bool(self.lengths or self.indices)

    @property
    def general(self) -> bool:
        return bool(self.lengths or self.indices or self.families)


def _sides(claim: Claim) -> tuple[sympy.Expr, sympy.Expr]:
    return expand_information(claim.lhs), expand_information(claim.rhs)


@functools.lru_cache(maxsize=256)
def shape(claim: Claim) -> Shape:
    """The lengths, free indices and families of ``claim``; an index variable
    without a declared range is an input error. (Remembered: every stage asks.)"""
    sides = _sides(claim)
    free = set(free_names(*sides))
    for side in sides:  # SymPy does not count d/dw[k]'s k as free: it is
        free |= {s.name for d in side.atoms(sympy.Derivative) for v in d.variables for s in v.free_symbols}
    lengths: set[str] = set()
    families: set[str] = set()
    indices: set[str] = set()
    for side in sides:
        for node in side.atoms(sympy.Sum, sympy.Product):
            for _, low, high in node.limits:
                lengths |= {s.name for s in (low.free_symbols | high.free_symbols) if s.name in free}
        for entry in side.atoms(sympy.Indexed):
            families.add(str(entry.base.label))
            for index in entry.indices:
                indices |= {s.name for s in index.free_symbols if s.name in free}
    domain = claim.domain
    for binding in domain.bindings:
        (name,) = binding.names if len(binding.names) == 1 else ("",)
        dom = binding.domain
        if isinstance(dom, Family) and name in families and isinstance(dom.length, str):
            lengths.add(dom.length)
        if isinstance(dom, IndexRange) and name in free:
            indices.add(name)
    indices -= lengths
    for name in sorted(indices):
        rng = domain.index(name)
        if rng is None:
            raise InputError(f"{name} indexes a family but has no range: assume 1 <= {name} <= n (or sum over it)")
        lengths |= {s.name for s in (rng.lo.free_symbols | rng.hi.free_symbols)}
    bare = set().union(*(_bare_names(side) for side in sides)) if families else set()
    for name in sorted(families & bare):
        raise InputError(f"{name} is used both as a family ({name}[...]) and as a variable")
    clash = sorted(families & (lengths | indices))
    if clash:
        raise InputError(f"{clash[0]} is used both as a family and as a length or index")
    return Shape(tuple(sorted(lengths)), tuple(sorted(indices)), tuple(sorted(families)))


def _bare_names(expr: sympy.Basic) -> set[str]:
    """The names of the symbols in ``expr`` outside a family's label (``x`` in ``x[i]``).

    >>> x = sympy.IndexedBase("x")
    >>> sorted(_bare_names(x[sympy.Symbol("i")] + sympy.Symbol("y")))
    ['i', 'y']
    """
    names: set[str] = set()
    stack = [expr]
    while stack:
        node = stack.pop()
        if isinstance(node, sympy.IndexedBase):
            continue
        if isinstance(node, sympy.Symbol):
            names.add(node.name)
        stack.extend(node.args)
    return names


def length_range(domain: Domain, name: str) -> tuple[int, int | None]:
    """The values a length variable takes: from its declared lower bound (1 when
    none is declared) to its declared upper bound, if any."""
    lo, hi = 1, None
    if domain.declared(name) and domain.is_scalar(name):
        dom = domain.scalar(name)
        if dom.lo.is_finite:
            low = sympy.floor(dom.lo) + 1 if (dom.lo_open and dom.lo.is_Integer) else sympy.ceiling(dom.lo)
            lo = int(low)
        if dom.hi.is_finite:
            high = sympy.ceiling(dom.hi) - 1 if (dom.hi_open and dom.hi.is_Integer) else sympy.floor(dom.hi)
            hi = int(high)
    if lo < 0:
        raise InputError(f"the length {name} must be at least 0, not {lo}")
    if hi is not None and hi < lo:
        raise InputError(f"the length {name} has no possible value ({lo} to {hi})")
    return lo, hi


def assignments(claim: Claim, seed: int) -> Iterator[dict[str, int]]:
    """Values for the lengths and index variables: every combination of the
    smallest lengths first, then seeded larger ones; each with the index
    variables at their ends and a seeded middle. Ordered by total size."""
    form = shape(claim)
    rng = np.random.default_rng(seed)
    ranges = {name: length_range(claim.domain, name) for name in form.lengths}
    small = [[v for v in range(lo, lo + SMALL) if hi is None or v <= hi] for lo, hi in ranges.values()]
    combos = [dict(zip(ranges, values, strict=True)) for values in itertools.product(*small)]
    combos.sort(key=lambda c: (sum(c.values()), tuple(c.values())))
    combos = combos[: 4 * SMALL]
    reach = LARGEST if len(ranges) <= 1 else max(SMALL + 2, round(LARGEST ** (1 / len(ranges))))
    wanted = len(combos) + LARGE
    for _ in range(4 * LARGE if ranges else 0):
        if len(combos) >= wanted:
            break
        draw = {}
        for name, (lo, hi) in ranges.items():
            top = lo + reach if hi is None else min(hi, lo + reach)
            first = min(lo + SMALL, top)
            value = int(np.exp(rng.uniform(np.log(max(first, 1)), np.log(top + 1))))
            draw[name] = min(max(value, first), top)
        if draw not in combos:
            combos.append(draw)
    combos.sort(key=lambda c: (sum(c.values()), tuple(c.values())))
    for combo in combos or [{}]:
        yield from _with_indices(claim.domain, form, combo, rng)


def _with_indices(domain: Domain, form: Shape, lengths: dict[str, int], rng: np.random.Generator) -> Iterator[dict]:
    choices = []
    subs = {sympy.Symbol(k): v for k, v in lengths.items()}
    for name in form.indices:
        rng_k = domain.index(name)
        assert rng_k is not None
        lo, hi = int(rng_k.lo.xreplace(subs)), int(rng_k.hi.xreplace(subs))
        if hi < lo:
            return
        middle = int(rng.integers(lo, hi + 1))
        choices.append(sorted({lo, hi, middle}))
    for values in itertools.product(*choices):
        yield {**lengths, **dict(zip(form.indices, values, strict=True))}


_ENTRY = re.compile(r"(?P<base>[A-Za-z][A-Za-z0-9_]*)\[(?P<index>-?[0-9]+(?:,-?[0-9]+)*)\]\Z")


def entry_name(base: str, indices: tuple[int, ...]) -> str:
    """The name of one entry of a family in an instance: ``x[3]``, ``x[1,2]``."""
    return f"{base}[{','.join(str(i) for i in indices)}]"


def instantiate(claim: Claim, values: dict[str, int]) -> Claim:
    """``claim`` at the given lengths and indices: sums and products unrolled,
    entries as scalar variables ``x[1]``, ``x[2]``, ..., bound to their domains."""
    subs = {sympy.Symbol(k): sympy.Integer(v) for k, v in values.items()}
    sides = []
    for side in _sides(claim):
        fixed = side.xreplace(subs)
        fixed = fixed.replace(lambda e: isinstance(e, (sympy.Sum, sympy.Product)), lambda e: e.doit())
        sides.append(fixed)
    entries: dict[sympy.Indexed, sympy.Symbol] = {}
    for side in sides:
        for entry in side.atoms(sympy.Indexed):
            if not all(i.is_Integer for i in entry.indices):
                continue
            entries[entry] = sympy.Symbol(entry_name(str(entry.base.label), tuple(int(i) for i in entry.indices)))
    lhs, rhs = (side.xreplace(entries) for side in sides)
    left = [e for side in (lhs, rhs) for e in side.atoms(sympy.Indexed)]
    if left:
        raise InputError(f"{left[0]} is not an entry once the lengths are fixed ({_values_text(values)})")
    domain = _instance_domain(claim.domain, values, sorted(entries.values(), key=_natural))
    return Claim(lhs, claim.relation, rhs, domain, claim.over, "")


def _instance_domain(domain: Domain, values: dict[str, int], entries: list[sympy.Symbol]) -> Domain:
    by_family: dict[str, list[sympy.Symbol]] = {}
    for symbol in entries:
        match = _ENTRY.match(symbol.name)
        assert match is not None
        by_family.setdefault(match.group("base"), []).append(symbol)
    result = Domain()
    for binding in domain.bindings:
        name = binding.names[0]
        dom = binding.domain
        if name in values or isinstance(dom, IndexRange):
            continue
        if isinstance(dom, Family):
            continue
        result = result.bind(binding.names, dom)
    for base, symbols in by_family.items():
        family = domain.family(base) or Family()
        if not family.joint:
            for symbol in symbols:
                result = result.bind((symbol.name,), family.entry)
            continue
        size = family.length if isinstance(family.length, int) else values.get(str(family.length))
        assert size is not None
        names = tuple(entry_name(base, (i,)) for i in range(1, size + 1))
        outside = [s.name for s in symbols if s.name not in names]
        if outside:
            length = "" if isinstance(family.length, int) else f" ({family.length} = {size} here)"
            raise InputError(f"{outside[0]} is outside {base}, which has {size} entries{length}: "
                             f"{base}'s length, as assumed, does not fit the range of its index")  # fmt: skip
        result = result.bind(names, family.instance(size))
    return result


def _natural(symbol: sympy.Symbol) -> tuple:
    return tuple(int(part) if part.isdigit() else part for part in re.split(r"(\d+)", symbol.name))


def _values_text(values: dict[str, int]) -> str:
    return ", ".join(f"{k} = {v}" for k, v in values.items())


def sized_counterexample(values: dict[str, int], found: Counterexample) -> Counterexample:
    """The lengths and indices first, then the entries in their natural order."""
    point = sorted(found.point, key=lambda item: _natural(sympy.Symbol(item[0])))
    head = tuple((k, str(v)) for k, v in values.items())
    return replace(found, point=head + tuple(point))


@dataclass(frozen=True)
class SizedResult:
    """The numeric evidence of a general-size claim: the pooled result, and the
    lengths that were sampled (as text for the verdict's detail)."""

    numeric: NumericResult
    sizes: str
    instances: tuple[dict[str, int], ...]
    rest: Callable[[], SizedResult] | None = None


class _InstanceEvaluator(_Evaluator):
    """One instance of a general-size claim, evaluated through the claim's
    compiled pieces (shared by all its instances); the unrolled SymPy instance
    is built only when an exact check needs it."""

    def __init__(self, program: _Program, values: dict[str, int], names: tuple[str, ...]):
        self.claim = program.claim
        self.names = names
        self.program = program
        self.values = values
        self._sides: tuple[sympy.Expr, sympy.Expr] | None = None

    def _split(self, names: tuple[str, ...], row: list[Any]) -> tuple[dict[str, Any], dict[tuple, Any]]:
        scalars: dict[str, Any] = {}
        entries: dict[tuple, Any] = {}
        for name, value in zip(names, row, strict=True):
            match = _ENTRY.match(name)
            if match is None:
                scalars[name] = value
            else:
                entries[(match.group("base"), tuple(int(i) for i in match.group("index").split(",")))] = value
        return scalars, entries

    def floats(self, columns: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        scalars, entries = self._split(self.names, [columns[:, i].astype(complex) for i in range(columns.shape[1])])
        out = []
        for program in self.program.numpy:
            with np.errstate(all="ignore"):
                try:
                    value = np.asarray(program.evaluate(self.values, scalars, entries), dtype=complex)
                except (ZeroDivisionError, OverflowError, ValueError, TypeError, KeyError):
                    value = np.full(columns.shape[0], np.nan, dtype=complex)
            out.append(np.broadcast_to(value, (columns.shape[0],)).astype(complex))
        return out[0], out[1]

    def exact(self, point: Point, dps: int) -> tuple[mpmath.mpc, mpmath.mpc] | None:
        values = dict(point)
        with mpmath.workdps(dps):
            row = [mpmath.mpf(values[n].numerator) / values[n].denominator for n in self.names]
            scalars, entries = self._split(self.names, row)
            try:
                return tuple(mpmath.mpc(p.evaluate(self.values, scalars, entries)) for p in self.program.mpmath)  # type: ignore[return-value]
            except (ZeroDivisionError, ValueError, OverflowError, TypeError, KeyError):
                return None

    def _unrolled(self) -> tuple[sympy.Expr, sympy.Expr]:
        if self._sides is None:
            instance = prepared_instance(self.claim, self.values)
            self._sides = (_prepared(instance.lhs), _prepared(instance.rhs))
        return self._sides

    @property  # type: ignore[override]
    def lhs(self) -> sympy.Expr:
        return self._unrolled()[0]

    @property  # type: ignore[override]
    def rhs(self) -> sympy.Expr:
        return self._unrolled()[1]


@dataclass(frozen=True)
class _Program:
    """A general-size claim's sides compiled once for numpy and for mpmath."""

    claim: Claim
    numpy: tuple[Compiled, Compiled]
    mpmath: tuple[Compiled, Compiled]
    integers: frozenset[str]

    @classmethod
    def of(cls, claim: Claim) -> _Program:
        form = shape(claim)
        integers = frozenset(form.lengths + form.indices)
        lhs, rhs = (_compiled_side(side, integers) for side in (claim.lhs, claim.rhs))
        return cls(claim, (lhs[0], rhs[0]), (lhs[1], rhs[1]), integers)

    def domain(self, values: dict[str, int]) -> Domain:
        """The instance's domain: every entry read, and the claim's scalars."""
        read = set().union(*(p.entries(values) for p in self.mpmath))  # numpy's are the same
        symbols = [sympy.Symbol(entry_name(base, idx)) for base, idx in read]
        domain = _instance_domain(self.claim.domain, values, sorted(symbols, key=_natural))
        structural = set(shape(self.claim).families) | set(values)
        scalars = tuple(n for n in free_names(self.claim.lhs, self.claim.rhs) if n not in structural)
        entries = tuple(s.name for s in symbols)
        return domain.complete(tuple(sorted(entries, key=lambda n: _natural(sympy.Symbol(n)))) + scalars)


@functools.lru_cache(maxsize=512)
def _compiled_side(side: sympy.Expr, integers: frozenset[str]) -> tuple[Compiled, Compiled]:
    """One side compiled for numpy and for mpmath (remembered: a derivation's steps
    share sides, and a diagnosis' candidates share them with the claim)."""
    ready = expand_functions(prepare_general(side, {}))
    return Compiled(ready, "numpy", integers), Compiled(ready, "mpmath", integers)


FULL_LOOKS = 3
"""The first instances (the smallest lengths, where a wrong claim of general size
fails first and a high-precision look is cheap) re-check as many float64 points
in high precision as a claim of fixed size does; larger instances re-check fewer."""

FEWER_LOOKS = {"look_closer": 8, "spot_checks": 4}


def sized_search(claim: Claim, seed: int, samples: int, screen: bool = False, lazy: bool = False) -> SizedResult:
    """Sample every instance (smallest first) and pool the evidence; the first
    instance that fails gives the counterexample, after the untried smaller
    lengths below it were tried too (``screen``: see ``numeric.Looks``).

    ``lazy``: only the smaller half of the instances (at least ``NOW_INSTANCES``
    with valid points) are sampled, with fewer quiet points looked at in high precision (see
    ``numeric.search``); the result's ``rest()`` does the rest, for a claim that no
    proof for every length settles."""
    plan = list(assignments(claim, seed))
    now = max(NOW_INSTANCES, len(plan) // 2)
    pool = _Pool(_Program.of(claim), seed, max(MIN_SAMPLES, samples // max(1, len(plan))), screen, lazy, now)
    return pool.run(plan)


NOW_INSTANCES = 4
"""At least this many instances of a general-size claim (the smaller half) are
sampled before its symbolic stage (``lazy``); the larger ones only when no proof
for every length settles it."""


@dataclass
class _Pool:
    """The instances of one claim searched so far, and their pooled evidence."""

    program: _Program
    seed: int
    per: int
    screen: bool
    lazy: bool
    now: int
    results: list[NumericResult] = field(default_factory=list)
    tried: list[dict[str, int]] = field(default_factory=list)
    postponed: list[tuple[int, Looks]] = field(default_factory=list)
    failure: Counterexample | None = None

    def run(self, plan: list[dict[str, int]]) -> SizedResult:
        for rank, values in enumerate(plan):
            if self.lazy and len(self.results) >= self.now and any(r.valid for r in self.results):
                return self.pooled(functools.partial(self._rest, plan[rank:]))
            found = self._instance(values, len(self.tried) >= FULL_LOOKS)
            if found is not None:
                self.failure = self._smallest(values, found)
                break
        return self.pooled(self._rest if self.postponed else None)

    def _rest(self, plan: list[dict[str, int]] | None = None) -> SizedResult:
        """The postponed looks, then the instances not yet sampled (all looks taken)."""
        self.lazy = False
        for k, looks in self.postponed:
            looked, ambiguous, found = looks.run()
            r = self.results[k]
            self.results[k] = replace(r, looked_at=r.looked_at + looked, ambiguous=r.ambiguous + ambiguous)
            if found is not None:
                self.failure = self._smallest(self.tried[k], sized_counterexample(self.tried[k], found))
                return self.pooled(None)
        self.postponed = []
        return self.run(plan or [])

    def _instance(self, values: dict[str, int], fewer_looks: bool) -> Counterexample | None:
        later: list[Looks] | None = [] if self.lazy else None
        spots = None if not self.results else 0  # the quiet points looked at now: the first instance's
        found = _search_instance(self.program, values, self.seed, self.per, self.results, self.tried, fewer_looks,
                                 self.screen, later, spots)  # fmt: skip
        self.postponed += [(len(self.results) - 1, looks) for looks in later or []]
        return found

    def _smallest(self, values: dict[str, int], found: Counterexample) -> Counterexample:
        """A failure at ``values``, or at an untried smaller length that fails too."""
        claim, form = self.program.claim, shape(self.program.claim)
        if len(form.lengths) != 1 or form.indices:
            return found
        (name,) = form.lengths
        lo = length_range(claim.domain, name)[0]
        done = {v[name] for v in self.tried}
        for smaller in [v for v in range(lo, values[name]) if v not in done][:GAP_FILL]:
            earlier = _search_instance(self.program, {name: smaller}, self.seed, self.per, self.results, self.tried,
                                       False, self.screen)  # fmt: skip
            if earlier is not None:
                return earlier
        return found

    def pooled(self, rest: Callable[[], SizedResult] | None) -> SizedResult:
        results = self.results
        pooled = NumericResult(
            drawn=sum(r.drawn for r in results),
            valid=sum(r.valid for r in results),
            worst_residual=max((r.worst_residual for r in results if r.worst_residual is not None), default=None),
            suspicious=sum(r.suspicious for r in results),
            looked_at=sum(r.looked_at for r in results),
            ambiguous=sum(r.ambiguous for r in results),
            failure=self.failure,
        )
        return SizedResult(pooled, describe_sizes(self.tried, shape(self.program.claim)), tuple(self.tried), rest)


def sized_order_search(claim: Claim, seed: int, limit: int = 4) -> SizedResult:
    """A same-maximiser claim of general size: the order of both sides compared on
    the smallest instances (a maximised family ``q`` means all its entries)."""
    form = shape(claim)
    results: list[NumericResult] = []
    tried: list[dict[str, int]] = []
    failure: Counterexample | None = None
    sides = Claim(claim.lhs, Relation.EQ, claim.rhs, claim.domain)  # an instance maximises over entries, not q
    for values in itertools.islice((v for v in assignments(claim, seed) if not _reversed(claim, v)), limit):
        evaluator, domain = instance_evaluator(sides, values)
        names = domain.names()
        over = tuple(n for n in names if n in claim.over or (_ENTRY.match(n) and n.split("[")[0] in claim.over))
        if not over:
            continue
        result = order_search(sides, seed, evaluator=evaluator, domain=domain, over=over)
        results.append(result)
        tried.append(values)
        if result.failure is not None:
            failure = sized_counterexample(values, result.failure)
            break
    pooled = NumericResult(
        drawn=sum(r.drawn for r in results),
        valid=sum(r.valid for r in results),
        worst_residual=None,
        suspicious=sum(r.suspicious for r in results),
        looked_at=sum(r.looked_at for r in results),
        ambiguous=0,
        failure=failure,
    )
    return SizedResult(pooled, describe_sizes(tried, form), tuple(tried))


def _search_instance(
    program: _Program,
    values: dict[str, int],
    seed: int,
    samples: int,
    results: list[NumericResult],
    tried: list[dict[str, int]],
    fewer_looks: bool,
    screen: bool = False,
    later: list[Looks] | None = None,
    spots_now: int | None = None,
) -> Counterexample | None:
    try:
        domain = program.domain(values)
    except ReversedRangeError:  # not a point of the claim (a sum runs backwards): no evidence either way
        return None
    evaluator = _InstanceEvaluator(program, values, domain.names())
    looks = FEWER_LOOKS if fewer_looks else {}
    result = search(program.claim, seed, samples, evaluator=evaluator, domain=domain, later=later, screen=screen,
                    spots_now=spots_now, **looks)  # fmt: skip
    results.append(result)
    tried.append(values)
    if result.failure is None:
        return None
    return sized_counterexample(values, result.failure)


def instance_evaluator(claim: Claim, values: dict[str, int]) -> tuple[_Evaluator, Domain]:
    """The instance of ``claim`` at ``values`` as an evaluator over its compiled
    sides (nothing unrolled), and the instance's domain; a sum that runs backwards
    raises ``ReversedRangeError``.

    >>> from fractions import Fraction
    >>> from derive.parsing import parse_claim
    >>> evaluator, domain = instance_evaluator(parse_claim("Sum(x[i], (i, 1, n)) == n"), {"n": 2})
    >>> domain.names()
    ('x[1]', 'x[2]')
    >>> [float(v.real) for v in evaluator.exact((("x[1]", Fraction(1)), ("x[2]", Fraction(3))), 30)]
    [4.0, 2.0]
    """
    program = _Program.of(claim)
    domain = program.domain(values)
    return _InstanceEvaluator(program, values, domain.names()), domain


def prepared_instance(claim: Claim, values: dict[str, int]) -> Claim:
    """The instance at ``values`` with derivatives and limits evaluated (``prepare``)."""
    instance = instantiate(claim, values)
    ready = [prepare(side, instance.domain) for side in (instance.lhs, instance.rhs)]
    return Claim(ready[0], instance.relation, ready[1], instance.domain, instance.over)


def sized_point(claim: Claim, seed: int, limit: int = 3) -> Counterexample | None:
    """An exact failing point of one of the smallest instances, or None."""
    for values in itertools.islice((v for v in assignments(claim, seed) if not _reversed(claim, v)), limit):
        found = find_point(prepared_instance(claim, values))
        if found is not None:
            return sized_counterexample(values, found)
    return None


def _reversed(claim: Claim, values: dict[str, int]) -> bool:
    """True when a sum or product of the instance runs from lo to hi < lo - 1."""
    subs = {sympy.Symbol(k): sympy.Integer(v) for k, v in values.items()}
    for side in _sides(claim):
        for node in side.atoms(sympy.Sum, sympy.Product):
            for _, lo, hi in node.limits:
                gap = (hi - lo + 1).xreplace(subs)
                if gap.is_Integer and gap < 0:
                    return True
    return False


def describe_sizes(tried: list[dict[str, int]], form: Shape) -> str:
    """``n = 1, 2, 3, 7, 12`` (one length) or ``(m, n) = (1, 1), (1, 2)``."""
    names = [*form.lengths, *form.indices]
    if not names:
        return ""
    if len(names) == 1:
        values = sorted({v[names[0]] for v in tried})
        return f"{names[0]} = {', '.join(str(v) for v in values)}"
    rows = sorted({tuple(v[n] for n in names) for v in tried})
    return f"({', '.join(names)}) = " + ", ".join("(" + ", ".join(str(x) for x in r) + ")" for r in rows)


@functools.lru_cache(maxsize=1024)
def is_general(claim: Claim) -> bool:
    """True when ``claim`` has families, lengths or index variables. (Remembered: the
    engine, the stages and a diagnosis' candidates ask.)"""
    from derive.functions import Expectation, _Information

    kinds = (sympy.Indexed, sympy.Sum, sympy.Product, _Information, Expectation)
    if not any(side.has(*kinds) for side in (claim.lhs, claim.rhs)):
        return False
    sides = _sides(claim)
    return any(side.has(sympy.Indexed, sympy.Sum, sympy.Product) for side in sides) and shape(claim).general
