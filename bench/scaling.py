"""How checking time grows with the number of steps and with expression size.

Run by hand: ``python -m bench.scaling``. Baseline in the same run: one check of
``x == x`` (the fixed cost of a claim: a round trip to the worker process).
"""

from __future__ import annotations

import time

import sympy

from derive.claim import Claim, Relation
from derive.derivation import Derivation, eq
from derive.engine import check

x = sympy.Symbol("x")


def _chain(n: int) -> Derivation:
    forms = [(x + 1) ** 2, x**2 + 2 * x + 1, x * (x + 2) + 1]
    steps = tuple(eq(forms[(k + 1) % 3], "algebra") for k in range(n))
    return Derivation(name=f"chain-{n}", title=f"{n} steps", start=forms[0], steps=steps)


def _sized(k: int) -> Claim:
    lhs = sum(sympy.sin(i * x) ** 2 + sympy.cos(i * x) ** 2 for i in range(1, k + 1))
    return Claim(lhs, Relation.EQ, sympy.Integer(k))


def main() -> None:
    check(Claim(x, Relation.EQ, x))  # start the worker
    start = time.perf_counter()
    check(Claim(x, Relation.EQ, x))
    baseline = time.perf_counter() - start
    print(f"baseline: one check of x == x: {baseline * 1000:.0f} ms")
    for n in (10, 100, 1000):
        derivation = _chain(n)
        start = time.perf_counter()
        result = derivation.check()
        seconds = time.perf_counter() - start
        per_step = seconds / n
        print(f"{n:5} steps: {seconds:7.2f} s  ({per_step * 1000:.0f} ms/step, {per_step / baseline:.1f}x baseline)"
              f"  ok={result.ok}")  # fmt: skip
    for k in (1, 4, 16, 64):
        claim = _sized(k)
        nodes = sum(1 for _ in sympy.preorder_traversal(claim.lhs))
        start = time.perf_counter()
        verdict = check(claim)
        seconds = time.perf_counter() - start
        print(f"{nodes:5} nodes: {seconds:7.2f} s  ({seconds / baseline:.1f}x baseline)  {verdict.status.value}"
              f" [{verdict.method}]")  # fmt: skip


if __name__ == "__main__":
    main()
