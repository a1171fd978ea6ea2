"""Mutants of the registered derivations' steps, for the mutation suite.

Every step that holds is mutated the ways authors get ML derivations wrong: a term's
sign flipped, a term dropped, ``log(2)`` swapped with ``1/log(2)``, a constant factor
2 made 1/2, a tiny constant ``1/10**9`` added, an inequality flipped, two variables
exchanged. A mutant whose new expression is provably the same as the original's is
discarded; every other mutant states something false and must not be ``proved`` or
``tested``.

Run by hand: ``python -m bench.mutants`` prints the kill rate beside the acceptance
rate of the unmutated steps (tests/quality/test_mutants.py runs the same in CI).
"""

from __future__ import annotations

import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass

import sympy

from derive import registry
from derive.claim import Claim, Relation
from derive.derivation import Derivation, check_many
from derive.engine import check
from derive.sizes import is_general
from derive.sums import prove_general
from derive.symbolic import assumed_symbols, prepare, simplex_substitutions
from derive.verdict import Status

TINY = sympy.Rational(1, 10**9)
FLIPPED = {Relation.GE: Relation.LT, Relation.LE: Relation.GT, Relation.GT: Relation.LE, Relation.LT: Relation.GE}
MAX_TERMS = 3


@dataclass(frozen=True)
class Mutant:
    derivation: str
    step: int
    kind: str
    claim: Claim

    @property
    def label(self) -> str:
        return f"{self.derivation}:{self.step}:{self.kind}"


def _variants(expr: sympy.Expr) -> Iterator[tuple[str, sympy.Expr]]:
    terms = sympy.Add.make_args(expr)
    for k, term in enumerate(terms[:MAX_TERMS]):
        yield f"flip sign of term {k + 1}", expr - 2 * term
        if len(terms) > 1:
            yield f"drop term {k + 1}", expr - term
    if expr.has(sympy.log(2)):
        swapped = expr.xreplace({sympy.log(2): 1 / sympy.log(2)})
        yield "swap log(2) and 1/log(2)", swapped
    twos = expr.xreplace({sympy.Integer(2): sympy.Rational(1, 2)})
    yield ("factor 2 -> 1/2", twos) if twos != expr else ("times 2", 2 * expr)
    yield "add 1/10**9", expr + TINY
    structural = {b.label for b in expr.atoms(sympy.IndexedBase)}  # families, lengths, indices are not variables
    structural |= {s for node in expr.atoms(sympy.Sum, sympy.Product) for lim in node.limits for s in lim[1:]}
    structural |= {s for e in expr.atoms(sympy.Indexed) for i in e.indices for s in i.free_symbols}
    names = sorted((s for s in expr.free_symbols if isinstance(s, sympy.Symbol) and s not in structural),
                   key=lambda s: s.name)  # fmt: skip
    if len(names) >= 2:
        a, b = names[0], names[1]
        yield f"exchange {a} and {b}", expr.xreplace({a: b, b: a})


def _same(original: sympy.Expr, mutated: sympy.Expr, claim: Claim) -> bool:
    """The mutated expression is provably the original on the domain (cheap forms only)."""
    if mutated == original:
        return True
    same = Claim(original, Relation.EQ, mutated, claim.domain)
    if is_general(same):  # sums of symbolic length: the same only if proved so for every length
        return prove_general(same, time.monotonic() + 5).status == "proved"
    difference = prepare(mutated, claim.domain) - prepare(original, claim.domain)
    symbols = assumed_symbols(claim.domain, tuple(sorted(s.name for s in difference.free_symbols)))
    difference = difference.xreplace(symbols)
    difference = difference.xreplace(simplex_substitutions(claim.domain, symbols))  # e.g. q1 + q2 = 1
    for form in (sympy.expand, lambda e: sympy.cancel(sympy.together(e))):
        try:
            if form(difference) == 0:
                return True
        except (TypeError, ValueError, sympy.PolynomialError):
            continue
    return False


def mutants(derivation: Derivation) -> Iterator[Mutant]:
    """The mutants of every step of ``derivation`` that is expected to hold."""
    for index, claim in enumerate(derivation.claims(), 1):
        if index in derivation.erratum_steps or claim.relation is Relation.ARGMAX:
            continue
        if claim.relation is Relation.EQ:
            for kind, mutated in _variants(claim.rhs):
                if mutated.has(sympy.zoo, sympy.nan) or _same(claim.rhs, mutated, claim):
                    continue
                yield Mutant(derivation.name, index, kind, Claim(claim.lhs, claim.relation, mutated, claim.domain))
        else:
            flipped = Claim(claim.lhs, FLIPPED[claim.relation], claim.rhs, claim.domain)
            yield Mutant(derivation.name, index, f"flip {claim.relation.value}", flipped)


def all_mutants() -> list[Mutant]:
    return [m for d in registry.derivations() for m in mutants(d)]


def main() -> int:
    start = time.monotonic()
    results = check_many(registry.derivations(), jobs=2)
    held = [s for r in results for s in r.steps if s.index not in r.derivation.erratum_steps]
    accepted = sum(s.verdict.holds for s in held)
    found = all_mutants()
    verdicts = [(m, check(m.claim, budget=10, diagnose=False)) for m in found]
    killed = sum(v.status is Status.REFUTED for _, v in verdicts)
    undecided = [m.label for m, v in verdicts if v.status is Status.UNDECIDED]
    survived = [f"{m.label} ({v.status.value})" for m, v in verdicts if v.holds]
    print(f"steps expected to hold: {len(held)}, accepted (proved or tested): {accepted} ({accepted / len(held):.1%})")
    print(f"mutants: {len(found)}, killed (refuted): {killed} ({killed / len(found):.1%}), "
          f"undecided: {len(undecided)}, survived (proved or tested): {len(survived)}")  # fmt: skip
    for label in undecided:
        print(f"  undecided: {label}")
    for label in survived:
        print(f"  SURVIVED: {label}")
    print(f"{time.monotonic() - start:.0f} s")
    return 1 if survived or accepted < len(held) else 0


if __name__ == "__main__":
    sys.exit(main())
