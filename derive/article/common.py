"""Shared pieces of the article's derivations.

The article states its claims for ``n`` outcomes, ``m`` samples and ``n`` outputs;
its derivations are written over families of that symbolic length: entries
``p[i]``, sums ``Sum(body, (i, 1, n))``, vectors ``Vector(p, n)`` for ``H(p)`` and
``D_KL(p || q)``.

>>> total(P[i], n)
Sum(p[i], (i, 1, n))
>>> on_simplex(Domain(), "p", "q").describe()
'p on the n-simplex; q on the n-simplex'
>>> probability_vector("p", 3)
(p1, p2, p3)
>>> from derive.writing import evaluated
>>> evaluated(gaussian(sympy.Symbol("x"), 0, 1))
sqrt(2)*exp(-x**2/2)/(2*sqrt(pi))
"""

from __future__ import annotations

import sympy

from derive.claim import Domain, Family, IndexRange, Simplex, integers
from derive.functions import Vector
from derive.writing import written

ARTICLE = "000_b9c4bc7c919eb28a.txt"

i, j, k, ell = sympy.symbols("i j k l")
"""Index variables: ``i`` over samples or outcomes, ``j`` over outputs, ``k`` a chosen entry,
``l`` (``ell``) an inner sum's."""
n, m = sympy.symbols("n m")
"""Lengths: ``n`` outcomes (or samples in section 5), ``m`` samples of a mini-batch."""
P, Q = sympy.IndexedBase("p"), sympy.IndexedBase("q")


def vector(name: str, length: sympy.Expr = n) -> Vector:
    """The probability vector ``name`` of ``length`` entries, as ``H`` and ``D_KL`` take it."""
    return Vector(sympy.Symbol(name), length)


def total(body: sympy.Expr, length: sympy.Expr = n, index: sympy.Symbol = i) -> sympy.Expr:
    """``sum_{index=1}^{length} body``."""
    return sympy.Sum(body, (index, 1, length))


def on_simplex(domain: Domain, *names: str, length: str = "n") -> Domain:
    """``domain`` with each of ``names`` a probability vector on the ``length``-simplex."""
    for name in names:
        domain = domain.bind((name,), Family(joint="simplex", length=length))
    return domain


def entry_index(domain: Domain, name: str = "k", length: sympy.Expr = n) -> Domain:
    """``domain`` with ``1 <= name <= length``: "the k-th entry"."""
    return domain.bind((name,), IndexRange(sympy.Integer(1), length))


def length_at_least_one(domain: Domain, name: str = "n") -> Domain:
    """``domain`` with the length ``name`` declared an integer >= 1, for steps where it
    appears outside a sum (``-n / sigma^2``, a factor ``1/n``)."""
    return domain.bind((name,), integers(1))


def probability_vector(prefix: str, size: int) -> tuple[sympy.Symbol, ...]:
    """Symbols ``prefix1 .. prefix<size>`` for a fixed size (bind them with ``on_fixed_simplex``)."""
    return tuple(sympy.Symbol(f"{prefix}{s}") for s in range(1, size + 1))


def on_fixed_simplex(domain: Domain, *vectors: tuple[sympy.Symbol, ...]) -> Domain:
    for entries in vectors:
        domain = domain.bind(tuple(s.name for s in entries), Simplex(len(entries)))
    return domain


def gaussian(x: sympy.Expr, mu: sympy.Expr, sigma: sympy.Expr) -> sympy.Expr:
    """The normal density with mean ``mu`` and standard deviation ``sigma``, as the
    article writes it: ``1/sqrt(2 pi sigma^2) exp(-(x - mu)^2 / (2 sigma^2))``."""
    with written():
        return gaussian_of_variance(x, mu, sigma**2)


def gaussian_of_variance(x: sympy.Expr, mu: sympy.Expr, variance: sympy.Expr) -> sympy.Expr:
    """The normal density with mean ``mu`` and variance ``variance``, as written."""
    with written():
        deviation = x - mu if mu != 0 else x
        return 1 / sympy.sqrt(2 * sympy.pi * variance) * sympy.exp(-(deviation**2 / (2 * variance)))
