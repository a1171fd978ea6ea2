"""The baseline of issue 13: plain SymPy, ``simplify(lhs - rhs)`` over every step of
the registered derivations, with no sampling, no confirmation and no rules.

Run by hand: ``python -m bench.plain_sympy``; prints the seconds (imports
included, as for ``derive check``) and how many steps it closes.
"""

from __future__ import annotations

import contextlib
import time

START = time.perf_counter()

import sympy  # noqa: E402

from derive import registry  # noqa: E402
from derive.claim import Relation  # noqa: E402
from derive.functions import expand_functions, expand_information  # noqa: E402

_SIGN = {
    Relation.EQ: lambda d: d == 0,
    Relation.GE: lambda d: d.is_nonnegative,
    Relation.GT: lambda d: d.is_positive,
    Relation.LE: lambda d: d.is_nonpositive,
    Relation.LT: lambda d: d.is_negative,
}


def main() -> None:
    steps = closed = 0
    for derivation in registry.derivations():
        for claim in derivation.claims():
            if claim.relation is Relation.ARGMAX:
                continue
            steps += 1
            plain = expand_functions(expand_information(claim.lhs - claim.rhs))  # derive's notation as SymPy
            with contextlib.suppress(Exception):  # a step plain SymPy cannot take is a step it does not close
                closed += bool(_SIGN[claim.relation](sympy.simplify(plain.doit())))
    print(f"plain SymPy simplify(lhs - rhs): {time.perf_counter() - START:.2f} s, closes {closed} of {steps} steps")


if __name__ == "__main__":
    main()
