"""Numeric agreement: valid sample points per second for every article step.

Run by hand: ``python -m bench.numeric_rate``. Each step's claim is prepared (derivatives
evaluated) once, then sampled at 100,000 seeded points; the rate counts valid points
(both sides finite) per second of the numeric stage. Baseline in the same run: numpy
evaluating ``exp(x) * sin(x)`` at the same number of points. Target: >= 10^5 points/s.
"""

from __future__ import annotations

import time

import numpy as np

from derive import registry
from derive.claim import Claim, Relation
from derive.numeric import search
from derive.symbolic import prepare

SAMPLES = 100_000


def main() -> None:
    grid = np.random.default_rng(0).normal(size=SAMPLES)
    start = time.perf_counter()
    np.exp(grid) * np.sin(grid)
    baseline = SAMPLES / (time.perf_counter() - start)
    print(f"baseline numpy exp*sin: {baseline:,.0f} points/s")
    rates = []
    for d in registry.derivations():
        if d.section == "examples":
            continue
        for i, claim in enumerate(d.claims(), 1):
            if claim.relation is Relation.ARGMAX:
                continue
            lhs, rhs = prepare(claim.lhs, claim.domain), prepare(claim.rhs, claim.domain)
            prepared = Claim(lhs, claim.relation, rhs, claim.domain)
            start = time.perf_counter()
            result = search(prepared, seed=0, samples=SAMPLES)
            seconds = time.perf_counter() - start
            rates.append((result.valid / seconds, f"{d.name}:{i}"))
    rates.sort()
    values = np.array([r for r, _ in rates])
    print(f"steps: {len(rates)}; valid points/s: min {values.min():,.0f} ({rates[0][1]}), "
          f"median {np.median(values):,.0f}, max {values.max():,.0f}")  # fmt: skip
    below = [name for rate, name in rates if rate < 1e5]
    print(f"below 10^5/s: {len(below)} {below}")
    print(f"median / baseline: {np.median(values) / baseline:.4f}")


if __name__ == "__main__":
    main()
