"""Shared pieces of the article's derivations.

>>> probability_vector("p", 3)
(p1, p2, p3)
>>> gaussian(sympy.Symbol("x"), 0, 1)
sqrt(2)*exp(-x**2/2)/(2*sqrt(pi))
"""

from __future__ import annotations

import sympy

from derive.claim import Domain, Simplex
from derive.functions import KL, CrossEntropy, Entropy

ARTICLE = "000_b9c4bc7c919eb28a.txt"


def probability_vector(prefix: str, n: int) -> tuple[sympy.Symbol, ...]:
    """Symbols ``prefix1 .. prefixn`` (bind them with ``on_simplex``)."""
    return tuple(sympy.Symbol(f"{prefix}{i}") for i in range(1, n + 1))


def on_simplex(domain: Domain, *vectors: tuple[sympy.Symbol, ...]) -> Domain:
    for vector in vectors:
        domain = domain.bind(tuple(s.name for s in vector), Simplex(len(vector)))
    return domain


def gaussian(x: sympy.Expr, mu: sympy.Expr, sigma: sympy.Expr) -> sympy.Expr:
    """The normal density with mean ``mu`` and standard deviation ``sigma``."""
    return sympy.exp(-((x - mu) ** 2) / (2 * sigma**2)) / sympy.sqrt(2 * sympy.pi * sigma**2)


def entropy(p: tuple[sympy.Expr, ...]) -> sympy.Expr:
    """``H(p) = -sum p_i log p_i`` (natural log), kept by name: printed ``H(p)``."""
    return Entropy(sympy.Tuple(*p))


def cross_entropy(p: tuple[sympy.Expr, ...], q: tuple[sympy.Expr, ...]) -> sympy.Expr:
    """``H(p, q) = -sum p_i log q_i``."""
    return CrossEntropy(sympy.Tuple(*p), sympy.Tuple(*q))


def kl(p: tuple[sympy.Expr, ...], q: tuple[sympy.Expr, ...]) -> sympy.Expr:
    """``D_KL(p || q) = sum p_i log(p_i / q_i)``."""
    return KL(sympy.Tuple(*p), sympy.Tuple(*q))
