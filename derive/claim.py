"""Claims (``lhs REL rhs``), their relations, and the domains of their variables.

>>> import sympy
>>> x = sympy.Symbol("x")
>>> c = Claim(sympy.exp(x), Relation.GE, 1 + x)
>>> str(c)
'exp(x) >= x + 1'
>>> Domain.of(x=positive()).scalar("x")
Interval(lo=0, hi=oo, lo_open=True, hi_open=True, integer=False)
"""

from __future__ import annotations

import enum
import functools
import itertools
import math
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Protocol

import numpy as np
import sympy

from derive.errors import DomainError, InputError


class Relation(enum.Enum):
    """The relation between the two sides of a claim.

    ``ARGMAX`` ("same maximiser") is order-equivalence in the claim's ``over``
    variables: for every value of the other variables, ``lhs`` and ``rhs`` rank
    any two points the same way, so they have the same maximisers.

    >>> Relation.parse("<=").flipped
    <Relation.GE: '>='>
    """

    EQ = "="
    LE = "<="
    GE = ">="
    LT = "<"
    GT = ">"
    ARGMAX = "argmax"

    @classmethod
    def parse(cls, text: str) -> Relation:
        table = {"==": cls.EQ, "=": cls.EQ, "≤": cls.LE, "≥": cls.GE}
        if text in table:
            return table[text]
        try:
            return cls(text)
        except ValueError:
            raise InputError(f"unknown relation {text!r}") from None

    @property
    def flipped(self) -> Relation:
        return _FLIPPED.get(self, self)

    @property
    def is_order(self) -> bool:
        return self in (Relation.LE, Relation.GE, Relation.LT, Relation.GT)

    @property
    def symbol(self) -> str:
        return "≅argmax" if self is Relation.ARGMAX else self.value

    def compose(self, other: Relation) -> Relation | None:
        """The relation of ``a R1 b R2 c`` between ``a`` and ``c``, or None.

        >>> Relation.EQ.compose(Relation.GE), Relation.GE.compose(Relation.GT)
        (<Relation.GE: '>='>, <Relation.GT: '>'>)
        >>> Relation.LE.compose(Relation.GE) is None
        True
        """
        if self is Relation.EQ:
            return other
        if other is Relation.EQ:
            return self
        if self is other:
            return self
        pair = {self, other}
        if pair == {Relation.GE, Relation.GT}:
            return Relation.GT
        if pair == {Relation.LE, Relation.LT}:
            return Relation.LT
        return None


_FLIPPED = {
    Relation.LE: Relation.GE,
    Relation.GE: Relation.LE,
    Relation.LT: Relation.GT,
    Relation.GT: Relation.LT,
}


class VarDomain(Protocol):
    """What one binding of variables ranges over (see Interval, Simplex, DataSet)."""

    def width(self) -> int: ...

    def assumptions(self) -> dict[str, bool]: ...

    def sample(self, rng: np.random.Generator, n: int) -> np.ndarray: ...

    def contains(self, point: tuple[Fraction, ...]) -> bool: ...

    def simple_points(self) -> list[tuple[Fraction, ...]]: ...

    def describe(self, names: tuple[str, ...]) -> str: ...

    def assumption(self, names: tuple[str, ...]) -> list[str]: ...


_INF = sympy.oo
_SIMPLE = [
    Fraction(v)
    for v in (
        "0", "1", "-1", "1/2", "-1/2", "2", "-2", "3", "-3", "1/3", "2/3", "1/4", "3/4", "-1/3",
        "3/2", "5/2", "-3/2", "10", "-10", "1/10", "9/10", "1/100", "99/100", "100", "-100",
    )
]  # fmt: skip


@dataclass(frozen=True)
class Interval:
    """A scalar variable in an interval of the reals, optionally integers only.

    Bounds are SymPy numbers (``sympy.oo`` for none). The sampler draws strictly
    inside open ends and mixes scales, so both tiny and large magnitudes occur.

    >>> Interval(sympy.Integer(0), sympy.Integer(1)).contains((Fraction(1, 2),))
    True
    >>> interval(0, 1).contains((Fraction(1),))
    False
    """

    lo: sympy.Expr = -_INF
    hi: sympy.Expr = _INF
    lo_open: bool = True
    hi_open: bool = True
    integer: bool = False

    def __post_init__(self) -> None:
        if self.lo > self.hi or (self.lo == self.hi and (self.lo_open or self.hi_open)):
            left, right = "(" if self.lo_open else "[", ")" if self.hi_open else "]"
            raise DomainError(f"empty interval {left}{self.lo}, {self.hi}{right}")

    def width(self) -> int:
        return 1

    def assumptions(self) -> dict[str, bool]:
        facts: dict[str, bool] = {"real": True}
        if self.integer:
            facts["integer"] = True
        if self.lo >= 0:
            facts["positive" if (self.lo > 0 or self.lo_open) else "nonnegative"] = True
        elif self.hi <= 0:
            facts["negative" if (self.hi < 0 or self.hi_open) else "nonpositive"] = True
        return facts

    def intersect(self, other: Interval) -> Interval:
        lo, lo_open = max((self.lo, self.lo_open), (other.lo, other.lo_open))
        hi, hi_closed = min((self.hi, not self.hi_open), (other.hi, not other.hi_open))
        return Interval(lo, hi, lo_open, not hi_closed, self.integer or other.integer)

    def _bounds(self) -> tuple[float, float]:
        return float(self.lo), float(self.hi)

    def sample(self, rng: np.random.Generator, n: int) -> np.ndarray:
        lo, hi = self._bounds()
        if self.integer:
            a = -60 if math.isinf(lo) else math.floor(lo) + 1 if self.lo_open else math.ceil(lo)
            b = 60 if math.isinf(hi) else math.ceil(hi) - 1 if self.hi_open else math.floor(hi)
            if math.isinf(lo) and not math.isinf(hi):
                a = b - 120
            b = min(b, a + 120)
            return rng.integers(a, b + 1, size=(n, 1)).astype(float)
        magnitude = 10.0 ** rng.uniform(-3, 3, size=n)
        if math.isinf(lo) and math.isinf(hi):
            kind = rng.integers(0, 3, size=n)
            values = np.where(
                kind == 0,
                rng.normal(0, 1, n),
                np.where(kind == 1, rng.normal(0, 10, n), magnitude * rng.choice([-1, 1], n)),
            )
        elif math.isinf(hi):
            values = lo + np.where(rng.random(n) < 0.5, rng.exponential(1.0, n), magnitude)
        elif math.isinf(lo):
            values = hi - np.where(rng.random(n) < 0.5, rng.exponential(1.0, n), magnitude)
        else:
            u = rng.random(n)
            shape = rng.integers(0, 3, size=n)
            u = np.where(shape == 1, u**4, np.where(shape == 2, 1 - u**4, u))
            values = lo + (hi - lo) * u
        inside = self._inside_float(values)
        fallback = self._midpoint()
        return np.where(inside, values, fallback).reshape(n, 1)

    def _midpoint(self) -> float:
        lo, hi = self._bounds()
        if math.isinf(lo) and math.isinf(hi):
            return 0.5
        if math.isinf(hi):
            return lo + 1.0
        if math.isinf(lo):
            return hi - 1.0
        return (lo + hi) / 2

    def _inside_float(self, v: np.ndarray) -> np.ndarray:
        lo, hi = self._bounds()
        ok = (v > lo) if self.lo_open else (v >= lo)
        return ok & ((v < hi) if self.hi_open else (v <= hi))

    def contains(self, point: tuple[Fraction, ...]) -> bool:
        (v,) = point
        if self.integer and v.denominator != 1:
            return False
        bounds = _rational_bounds(self)
        if bounds is not None:
            lo, hi = bounds
            above = lo is None or (v > lo if self.lo_open else v >= lo)
            return above and (hi is None or (v < hi if self.hi_open else v <= hi))
        r = sympy.Rational(v.numerator, v.denominator)
        above = r > self.lo if self.lo_open else r >= self.lo
        below = r < self.hi if self.hi_open else r <= self.hi
        return bool(above and below)

    def simple_points(self) -> list[tuple[Fraction, ...]]:
        return list(_interval_simple_points(self))

    def assumption(self, names: tuple[str, ...]) -> list[str]:
        """The assumptions (``--assume`` text) that declare this domain.

        >>> Interval(sympy.Integer(0), sympy.Integer(1), True, False).assumption(("p",))
        ['0 < p <= 1']
        >>> integers(1).assumption(("n",))
        ['n integer', 'n >= 1']
        """
        (name,) = names
        out = [f"{name} integer"] if self.integer else []
        low = f"{self.lo} {'<' if self.lo_open else '<='} " if self.lo.is_finite else ""
        high = f" {'<' if self.hi_open else '<='} {self.hi}" if self.hi.is_finite else ""
        if low and high:
            out.append(f"{low}{name}{high}")
        elif low:
            out.append(f"{name} {'>' if self.lo_open else '>='} {self.lo}")
        elif high:
            out.append(f"{name}{high}")
        return out or [f"{name} real"]

    def describe(self, names: tuple[str, ...]) -> str:
        (name,) = names
        kind = "integer" if self.integer else "real"
        if self.lo == -_INF and self.hi == _INF:
            return f"{name} {kind}"
        left = "(" if self.lo_open else "["
        right = ")" if self.hi_open else "]"
        return f"{name} in {left}{self.lo}, {self.hi}{right}" + (" integer" if self.integer else "")


@functools.cache
@functools.lru_cache(maxsize=128)
def _simplex_points(n: int) -> tuple[tuple[Fraction, ...], ...]:
    points = [tuple(Fraction(1, n) for _ in range(n))]
    for total in range(n + 1, n + 7):
        for cut in itertools.combinations(range(1, total), n - 1):
            parts = [b - a for a, b in zip((0, *cut), (*cut, total), strict=True)]
            points.append(tuple(Fraction(k, total) for k in parts))
            if len(points) >= 120:
                return tuple(points)
    return tuple(points)


def _rational_bounds(interval: Interval) -> tuple[Fraction | None, Fraction | None] | None:
    """The bounds as fractions (None for an infinite end), or None when one is irrational."""
    ends: list[Fraction | None] = []
    for end in (interval.lo, interval.hi):
        if end.is_infinite:
            ends.append(None)
        elif end.is_Rational:
            ends.append(Fraction(int(end.p), int(end.q)))
        else:
            return None
    return ends[0], ends[1]


@functools.cache
def _interval_simple_points(interval: Interval) -> tuple[tuple[Fraction, ...], ...]:
    return tuple((v,) for v in _SIMPLE if interval.contains((v,)))


def reals() -> Interval:
    """Every real number (the default domain of a variable)."""
    return Interval()


def positive() -> Interval:
    """The positive reals, ``x > 0``."""
    return Interval(sympy.Integer(0), _INF, True, True)


def interval(lo: object, hi: object, lo_open: bool = True, hi_open: bool = True) -> Interval:
    """An interval with SymPy-convertible numeric bounds, open by default."""
    return Interval(_number(lo), _number(hi), lo_open, hi_open)


def integers(lo: object = None, hi: object = None) -> Interval:
    """Integers, optionally bounded (closed bounds)."""
    low = -_INF if lo is None else _number(lo)
    high = _INF if hi is None else _number(hi)
    return Interval(low, high, lo is None, hi is None, integer=True)


def _number(value: object) -> sympy.Expr:
    if isinstance(value, sympy.Expr) and value.is_number:
        return value
    if isinstance(value, (int, Fraction)):
        return sympy.Rational(value)
    if isinstance(value, float) and math.isinf(value):
        return _INF if value > 0 else -_INF
    raise DomainError(f"interval bound must be an int, Fraction or SymPy number, got {value!r}")


@dataclass(frozen=True)
class Simplex:
    """A probability vector of ``size`` positive entries summing to 1.

    Sampled from Dirichlet distributions (flat, peaked at corners, near uniform).

    >>> Simplex(3).contains((Fraction(1, 2), Fraction(1, 4), Fraction(1, 4)))
    True
    """

    size: int

    def __post_init__(self) -> None:
        if self.size < 1:
            raise DomainError(f"a simplex needs at least 1 entry, got {self.size}")

    def width(self) -> int:
        return self.size

    def assumptions(self) -> dict[str, bool]:
        return {"positive": True}

    def sample(self, rng: np.random.Generator, n: int) -> np.ndarray:
        alphas = np.array([1.0, 0.3, 5.0])[rng.integers(0, 3, size=n)]
        g = rng.gamma(np.repeat(alphas[:, None], self.size, axis=1))
        g = np.maximum(g, 1e-12)
        return g / g.sum(axis=1, keepdims=True)

    def contains(self, point: tuple[Fraction, ...]) -> bool:
        return len(point) == self.size and all(v > 0 for v in point) and sum(point) == 1

    def simple_points(self) -> list[tuple[Fraction, ...]]:
        """The uniform vector, then vectors k/d with small denominators d."""
        return list(_simplex_points(self.size))

    def assumption(self, names: tuple[str, ...]) -> list[str]:
        return [f"{', '.join(names)} simplex"]

    def describe(self, names: tuple[str, ...]) -> str:
        return f"({', '.join(names)}) on the probability simplex"


@dataclass(frozen=True)
class DataSet:
    """A data set of ``size`` real observations (each sample row is one data set).

    >>> DataSet(3).contains((Fraction(1), Fraction(-2), Fraction(0)))
    True
    """

    size: int

    def width(self) -> int:
        return self.size

    def assumptions(self) -> dict[str, bool]:
        return {"real": True}

    def sample(self, rng: np.random.Generator, n: int) -> np.ndarray:
        centre = rng.normal(0, 5, size=(n, 1))
        scale = 10.0 ** rng.uniform(-1, 1, size=(n, 1))
        return centre + scale * rng.normal(0, 1, size=(n, self.size))

    def contains(self, point: tuple[Fraction, ...]) -> bool:
        return len(point) == self.size

    def simple_points(self) -> list[tuple[Fraction, ...]]:
        return [tuple(Fraction(i) for i in range(self.size))]

    def assumption(self, names: tuple[str, ...]) -> list[str]:
        return [f"{', '.join(names)} data"]

    def describe(self, names: tuple[str, ...]) -> str:
        return f"({', '.join(names)}) a data set of {self.size} real points"


Length = "str | int"


@dataclass(frozen=True)
class Family:
    """An indexed family ``x[1], x[2], ...`` of general size: entries each in
    ``entry`` (independent), or jointly a probability vector (``joint="simplex"``)
    or a data set (``joint="data"``) of ``length`` entries, a length variable's name
    or a number. A family is never sampled as such: the numeric stage instantiates
    the lengths first (``derive.sizes``) and samples the entries of each instance.

    >>> Family(positive()).describe(("x",))
    'x[i] > 0'
    >>> Family(joint="simplex", length="n").describe(("p",))
    'p on the n-simplex'
    """

    entry: Interval = field(default_factory=lambda: Interval())
    joint: str = ""
    length: str | int | None = None

    def __post_init__(self) -> None:
        if self.joint not in ("", "simplex", "data"):
            raise DomainError(f"a family is independent, 'simplex' or 'data', not {self.joint!r}")
        if self.joint and self.length is None:
            raise DomainError(f"a {self.joint} family needs a length")

    def width(self) -> int:
        return 1

    def assumptions(self) -> dict[str, bool]:
        if self.joint == "simplex":
            return {"positive": True}
        return self.entry.assumptions()

    def instance(self, size: int) -> Interval | Simplex | DataSet:
        """The joint domain of ``size`` entries (an entry's domain when independent)."""
        if self.joint == "simplex":
            return Simplex(size)
        if self.joint == "data":
            return DataSet(size)
        return self.entry

    def sample(self, rng: np.random.Generator, n: int) -> np.ndarray:
        raise DomainError("a family is sampled through its instances (derive.sizes)")

    def contains(self, point: tuple[Fraction, ...]) -> bool:
        raise DomainError("a family is checked through its instances (derive.sizes)")

    def simple_points(self) -> list[tuple[Fraction, ...]]:
        return []

    def assumption(self, names: tuple[str, ...]) -> list[str]:
        (name,) = names
        if self.joint:
            return [f"{name} in {self.joint}({self.length})"]
        return self.entry.assumption((f"{name}[i]",))

    def describe(self, names: tuple[str, ...]) -> str:
        (name,) = names
        if self.joint == "simplex":
            return f"{name} on the {self.length}-simplex"
        if self.joint == "data":
            return f"{name} a data set of {self.length} real points"
        entry = self.entry.describe((f"{name}[i]",)).replace(" in (0, oo)", " > 0")
        return entry + (f", i = 1..{self.length}" if self.length is not None else "")


@dataclass(frozen=True)
class IndexRange:
    """An index variable ``lo <= k <= hi`` whose bounds may be lengths (``1 <= k <= n``).

    >>> IndexRange(sympy.Integer(1), sympy.Symbol("n")).describe(("k",))
    '1 <= k <= n'
    """

    lo: sympy.Expr
    hi: sympy.Expr

    def width(self) -> int:
        return 1

    def assumptions(self) -> dict[str, bool]:
        facts = {"integer": True}
        if self.lo.is_number and self.lo >= 1:
            facts["positive"] = True
        return facts

    def sample(self, rng: np.random.Generator, n: int) -> np.ndarray:
        raise DomainError("an index variable is chosen when the lengths are instantiated (derive.sizes)")

    def contains(self, point: tuple[Fraction, ...]) -> bool:
        raise DomainError("an index variable is checked through its instances (derive.sizes)")

    def simple_points(self) -> list[tuple[Fraction, ...]]:
        return []

    def assumption(self, names: tuple[str, ...]) -> list[str]:
        return [self.describe(names)]

    def describe(self, names: tuple[str, ...]) -> str:
        (name,) = names
        return f"{self.lo} <= {name} <= {self.hi}"


AnyDomain = Interval | Simplex | DataSet | Family | IndexRange


@dataclass(frozen=True)
class Binding:
    """Names bound together to one domain (one name for a scalar domain)."""

    names: tuple[str, ...]
    domain: AnyDomain

    def __post_init__(self) -> None:
        if not all(isinstance(n, str) for n in self.names):
            raise DomainError(f"a binding names its variables as strings, not {self.names!r}")
        if len(self.names) != self.domain.width():
            raise DomainError(
                f"{type(self.domain).__name__} takes {self.domain.width()} names, "
                f"got {len(self.names)}: {', '.join(self.names)}"
            )


@dataclass(frozen=True)
class Domain:
    """What every variable of a claim ranges over; unnamed variables are real.

    >>> d = Domain.of(x=positive()).bind(("p", "q"), Simplex(2))
    >>> [b.names for b in d.bindings]
    [('x',), ('p', 'q')]
    >>> d.describe()
    'x in (0, oo); (p, q) on the probability simplex'
    """

    bindings: tuple[Binding, ...] = ()

    @classmethod
    def of(cls, **scalars: Interval) -> Domain:
        domain = cls()
        for name, dom in scalars.items():
            domain = domain.bind((name,), dom)
        return domain

    def bind(self, names: tuple[str, ...], domain: AnyDomain) -> Domain:
        """This domain with ``names`` bound to ``domain``; intervals on one name intersect."""
        if len(names) == 1 and isinstance(domain, Interval):
            existing = self._binding(names[0])
            if existing is not None:
                if not isinstance(existing.domain, Interval):
                    raise DomainError(f"{names[0]} is already bound to {existing.domain}")
                try:
                    merged = Binding(names, existing.domain.intersect(domain))
                except DomainError:
                    raise DomainError(
                        f"{existing.domain.describe(names)} and {domain.describe(names)} have no point in common"
                    ) from None
                return Domain(tuple(merged if b is existing else b for b in self.bindings))
        if len(names) == 1 and isinstance(domain, Family) and not domain.joint:
            existing = self._binding(names[0])
            if existing is not None and isinstance(existing.domain, Family) and not existing.domain.joint:
                length = existing.domain.length if existing.domain.length is not None else domain.length
                entry = existing.domain.entry.intersect(domain.entry)
                merged = Binding(names, Family(entry, "", length))
                return Domain(tuple(merged if b is existing else b for b in self.bindings))
        for name in names:
            if self._binding(name) is not None:
                raise DomainError(f"variable {name} is bound to two domains")
        return Domain((*self.bindings, Binding(names, domain)))

    def _binding(self, name: str) -> Binding | None:
        return next((b for b in self.bindings if name in b.names), None)

    def is_scalar(self, name: str) -> bool:
        """True unless ``name`` is part of a vector binding (a simplex or a data set),
        a family or an index variable."""
        binding = self._binding(name)
        return binding is None or isinstance(binding.domain, Interval)

    def family(self, name: str) -> Family | None:
        """The declared family ``name`` (``x`` of ``x[i] > 0``), or None."""
        binding = self._binding(name)
        return binding.domain if binding is not None and isinstance(binding.domain, Family) else None

    def index(self, name: str) -> IndexRange | None:
        """The declared range of the index variable ``name`` (``1 <= k <= n``), or None."""
        binding = self._binding(name)
        return binding.domain if binding is not None and isinstance(binding.domain, IndexRange) else None

    def declared(self, name: str) -> bool:
        return self._binding(name) is not None

    def without(self, names: tuple[str, ...]) -> Domain:
        """This domain with the bindings of ``names`` removed."""
        return Domain(tuple(b for b in self.bindings if not any(n in names for n in b.names)))

    def scalar(self, name: str) -> Interval:
        binding = self._binding(name)
        if binding is None:
            return reals()
        if not isinstance(binding.domain, Interval):
            raise DomainError(f"{name} is part of {binding.domain}, not a scalar")
        return binding.domain

    def complete(self, names: tuple[str, ...]) -> Domain:
        """The bindings that matter for ``names``, with reals for unbound ones, in order."""
        bound = [b for b in self.bindings if any(n in names for n in b.names)]
        covered = {n for b in bound for n in b.names}
        extra = [Binding((n,), reals()) for n in names if n not in covered]
        return Domain(tuple(bound + extra))

    def assumptions(self) -> dict[str, dict[str, bool]]:
        return {n: b.domain.assumptions() for b in self.bindings for n in b.names}

    def names(self) -> tuple[str, ...]:
        return tuple(n for b in self.bindings for n in b.names)

    def describe(self) -> str:
        return "; ".join(b.domain.describe(b.names) for b in self.bindings) or "all reals"

    def assumptions_text(self) -> list[str]:
        """The ``--assume`` texts that declare this domain (parse them back with
        ``derive.parsing.parse_assumption``).

        >>> Domain.of(x=positive()).bind(("p",), Family(joint="simplex", length="n")).assumptions_text()
        ['x > 0', 'p in simplex(n)']
        """
        return [text for b in self.bindings for text in b.domain.assumption(b.names)]


def as_expr(value: object) -> sympy.Expr:
    """A SymPy expression from a SymPy object or a Python number; text is refused
    (it would go through ``sympify``, which evaluates it): parse it with
    ``derive.parse_expr_text``.

    >>> as_expr(2), as_expr(Fraction(1, 3))
    (2, 1/3)
    >>> as_expr("x + 1")
    Traceback (most recent call last):
    ...
    derive.errors.InputError: a claim needs a SymPy expression or a number, not str; parse text with parse_expr_text
    """
    if isinstance(value, sympy.Expr):
        return value
    if isinstance(value, bool) or not isinstance(value, (int, Fraction, float)):
        raise InputError(
            f"a claim needs a SymPy expression or a number, not {type(value).__name__}; parse text with parse_expr_text"
        )
    return sympy.Float(value) if isinstance(value, float) else sympy.Rational(value)


def free_names(*exprs: sympy.Basic) -> tuple[str, ...]:
    """The sorted names of the free symbols of ``exprs``; a family ``x[i]`` counts
    as ``x`` and a bound summation index not at all.

    >>> i, n = sympy.symbols("i n")
    >>> free_names(sympy.Sum(sympy.IndexedBase("x")[i], (i, 1, n)))
    ('n', 'x')
    """
    return tuple(sorted({s.name for e in exprs for s in e.free_symbols if isinstance(s, sympy.Symbol)}))


_ASSUMPTION_DOMAINS: tuple[tuple[str, Interval], ...] = (
    ("positive", Interval(sympy.Integer(0), _INF, True, True)),
    ("nonnegative", Interval(sympy.Integer(0), _INF, False, True)),
    ("negative", Interval(-_INF, sympy.Integer(0), True, True)),
    ("nonpositive", Interval(-_INF, sympy.Integer(0), True, False)),
    ("integer", Interval(integer=True)),
)


def _own_assumptions(symbol: sympy.Symbol) -> Interval | None:
    """The interval a SymPy symbol's own assumptions (``positive=True``, ...) put it in."""
    found = None
    for fact, dom in _ASSUMPTION_DOMAINS:
        if symbol.assumptions0.get(fact):
            found = dom if found is None else found.intersect(dom)
    return found


def plain_symbols(exprs: tuple[sympy.Expr, ...], domain: Domain) -> tuple[tuple[sympy.Expr, ...], Domain]:
    """``exprs`` with symbols made plain, and ``domain`` narrowed by what those
    symbols assumed: ``Symbol("x", positive=True)`` is a variable in (0, oo).
    An explicit domain that contradicts a symbol's assumptions is an error.

    >>> x = sympy.Symbol("x", positive=True)
    >>> (e,), d = plain_symbols((x**2,), Domain())
    >>> e.free_symbols == {sympy.Symbol("x")}, d.describe()
    (True, 'x in (0, oo)')
    """
    if not any(_assumes(s) for e in exprs for s in e.free_symbols):  # the common case, without a full walk
        return exprs, domain
    replace: dict[sympy.Basic, sympy.Basic] = {}
    bound = _bound_names(exprs)
    labels = {str(b.label) for e in exprs for b in e.atoms(sympy.IndexedBase)}
    for expr in exprs:
        for atom in sorted(
            expr.atoms(sympy.Symbol, sympy.IndexedBase), key=lambda a: not isinstance(a, sympy.IndexedBase)
        ):
            if not isinstance(atom, sympy.IndexedBase) and atom.name in labels:
                if _assumes(atom):
                    replace[atom] = sympy.Symbol(atom.name)
                continue
            if isinstance(atom, sympy.IndexedBase):
                if _assumes(atom) or _assumes(atom.label):
                    name = str(atom.label)
                    replace[atom] = sympy.IndexedBase(sympy.Symbol(name))
                    own = _own_assumptions(atom)
                    if own is not None and not domain.declared(name):
                        domain = domain.bind((name,), Family(own))
                continue
            if isinstance(atom, sympy.Dummy) or not _assumes(atom):
                continue
            replace[atom] = sympy.Symbol(atom.name)
            own = _own_assumptions(atom)
            if own is None or atom.name in bound:
                continue
            if domain.declared(atom.name) and not domain.is_scalar(atom.name):
                continue
            try:
                domain = domain.bind((atom.name,), own)
            except DomainError:
                raise InputError(
                    f"{atom.name} is declared {_assumption_words(atom)} but its domain is "
                    f"{domain.scalar(atom.name).describe((atom.name,))}: they contradict each other"
                ) from None
    if not replace:
        return exprs, domain
    return tuple(e.xreplace(replace) for e in exprs), domain


def _assumes(atom: sympy.Basic) -> bool:
    return any(k != "commutative" for k in getattr(atom, "assumptions0", {}))


def _bound_names(exprs: tuple[sympy.Expr, ...]) -> set[str]:
    return {str(v) for e in exprs for s in e.atoms(sympy.Sum, sympy.Product) for v in s.variables}


def _assumption_words(symbol: sympy.Symbol) -> str:
    facts = {f for f, _ in _ASSUMPTION_DOMAINS if symbol.assumptions0.get(f)}
    facts -= {"nonnegative"} if "positive" in facts else set()
    facts -= {"nonpositive"} if "negative" in facts else set()
    return " and ".join(f for f, _ in _ASSUMPTION_DOMAINS if f in facts) or "with assumptions"


@dataclass(frozen=True)
class Claim:
    """``lhs REL rhs`` for every point of ``domain``; ``over`` names the variables
    an ``ARGMAX`` claim maximises over.

    Symbols are plain (no SymPy assumptions): what they range over is the domain.
    """

    lhs: sympy.Expr
    relation: Relation
    rhs: sympy.Expr
    domain: Domain = field(default_factory=Domain)
    over: tuple[str, ...] = ()
    text: str = ""

    def __post_init__(self) -> None:
        sides, domain = plain_symbols((as_expr(self.lhs), as_expr(self.rhs)), self.domain)
        object.__setattr__(self, "lhs", sides[0])
        object.__setattr__(self, "rhs", sides[1])
        object.__setattr__(self, "domain", domain)
        for side in (self.lhs, self.rhs):
            if side.has(sympy.zoo, sympy.nan):
                raise InputError(f"{side} contains an undefined or infinite value (such as log(0) or 1/0)")
        if self.relation is Relation.ARGMAX and not self.over:
            raise InputError("a same-maximiser claim must name the variables it maximises over")
        missing = [n for n in self.over if n not in self.names()]
        if missing:
            raise InputError(f"maximised variable(s) {', '.join(missing)} do not occur in the claim")

    def names(self) -> tuple[str, ...]:
        return free_names(self.lhs, self.rhs)

    def _repr_latex_(self) -> str:
        from derive.proofs import claim_block

        return claim_block(self)

    def __str__(self) -> str:
        if self.text:
            return self.text
        lhs, rhs = expr_text(self.lhs), expr_text(self.rhs)
        if self.relation is Relation.ARGMAX:
            return f"argmax_{{{', '.join(self.over)}}} {lhs} = argmax {rhs}"
        return f"{lhs} {self.relation.value} {rhs}"


LARGE = 2000
"""Expressions with more nodes than this are printed unsorted and cut short: sorting
the terms of a 20,000-term sum for a message takes seconds."""


@functools.lru_cache(maxsize=1024)
def expr_text(expr: sympy.Expr) -> str:
    """``str(expr)``, bounded in time and length for very large expressions.
    (Remembered: a derivation's claims share their sides, one step's right side
    the next one's left, and equal expressions print the same.)

    >>> x = sympy.Symbol("x")
    >>> expr_text(x + 1)
    'x + 1'
    >>> expr_text(sympy.Add(*(x**k for k in range(3000))))
    'Add of 3000 terms (over 2000 nodes): 1 + x + x**2 + x**3 + ...'
    """
    if _nodes(expr) <= LARGE:
        return str(expr)
    shown = [str(a) for a in expr.args[:4] if _nodes(a) <= 50]
    return f"{type(expr).__name__} of {len(expr.args)} terms (over {LARGE} nodes): {' + '.join(shown)} + ..."


def _nodes(expr: sympy.Basic) -> int:
    return sum(1 for _ in itertools.islice(sympy.preorder_traversal(expr), LARGE + 1))
