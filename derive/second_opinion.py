"""A second opinion on what SymPy evaluated: each integral or limit compared with an
independent numeric value at a few points (``derive.quadrature``, ``derive.limits``),
and the outcome in words for a verdict's detail.

>>> SecondOpinion("integral", "mpmath's quadrature", "", 2, 2, 1).note
"SymPy's value of 1 of its 2 integrals agrees with mpmath's quadrature at 2 points; the others not confirmed"
"""

from __future__ import annotations

import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import sympy

from derive.claim import Domain
from derive.numeric import Point, _grid

POINTS = 2
"""The points of the domain at which each evaluation is compared."""
GRID = 256
"""The grid of simple values the points are drawn from."""
CANDIDATES = 8
"""The points drawn, in order, to find ``POINTS`` at which both values can be computed."""

Compare = Callable[[sympy.Expr, sympy.Expr, Domain, int, float], "int | str"]
"""One evaluation and SymPy's value, the domain, seed and deadline: how many points
agree, or the confirmed disagreement in words."""


@dataclass(frozen=True)
class SecondOpinion:
    """What the independent values said of a claim's ``count`` evaluations (``noun``s,
    compared ``by`` something): at how many points every one agreed with SymPy's, the
    first ``disagreement`` (empty if none), and how many are ``unchecked`` (no point
    gave a value to compare; ``unconfirmed`` says why)."""

    noun: str
    by: str
    unconfirmed: str
    count: int
    agreed: int
    unchecked: int
    disagreement: str = ""

    @property
    def note(self) -> str:
        """The evidence in words, for a verdict's detail."""
        if self.disagreement:
            return self.disagreement
        what = f"the {self.noun}" if self.count == 1 else f"its {self.count} {self.noun}s"
        at = "1 point" if self.agreed == 1 else f"{self.agreed} points"
        if self.unchecked == self.count:
            return f"SymPy's value of {what} not confirmed{self.unconfirmed}"
        if self.unchecked:
            what = f"{self.count - self.unchecked} of its {self.count} {self.noun}s"
            return f"SymPy's value of {what} agrees with {self.by} at {at}; the others not confirmed"
        return f"SymPy's value of {what} agrees with {self.by} at {at}"


def gather(
    evaluated: Sequence[tuple[sympy.Expr, sympy.Expr]],
    compare: Compare,
    words: tuple[str, str, str],
    domain: Domain,
    seed: int,
    deadline: float,
) -> SecondOpinion:
    """Each evaluation (once) compared; the first disagreement ends it."""
    unique = list(dict.fromkeys(evaluated))
    agreed, unchecked = POINTS, 0
    for node, value in unique:
        outcome = compare(node, value, domain, seed, deadline)
        if isinstance(outcome, str):
            return SecondOpinion(*words, len(unique), 0, 0, outcome)
        if outcome == 0:
            unchecked += 1
        else:
            agreed = min(agreed, outcome)
    return SecondOpinion(*words, len(unique), agreed if unchecked < len(unique) else 0, unchecked)


def points(domain: Domain, names: tuple[str, ...], seed: int) -> list[Point]:
    """``CANDIDATES`` points of ``domain`` (completed by ``names``), drawn in a seeded
    order from the grid of its simple values, so that no parameter is held at a value
    where a wrong formula may happen to agree (such as sigma = 1).

    >>> [dict(p)["a"] for p in points(Domain(), ("a",), 0)][:3]
    [Fraction(3, 4), Fraction(-1, 3), Fraction(1, 1)]
    """
    grid = _grid(domain.complete(names), GRID)
    return random.Random(seed).sample(grid, min(CANDIDATES, len(grid)))


def where(point: Point) -> str:
    """`` at a = 3/4, b = 1``, or nothing for a point of no coordinates."""
    text = ", ".join(
        f"{n} = {v.numerator if v.denominator == 1 else f'{v.numerator}/{v.denominator}'}" for n, v in point
    )
    return f" at {text}" if text else ""
