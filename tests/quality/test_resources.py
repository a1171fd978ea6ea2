"""Resource attacks end inside their budget plus one second, from the main thread and
from a worker thread, and the checking process's memory stays bounded (the work runs
in a worker process with an address-space limit)."""

from __future__ import annotations

import resource
import threading
import time

import pytest
import sympy

from derive.claim import Claim, Relation
from derive.engine import check
from derive.errors import InputError
from derive.parsing import parse_claim

BUDGET = 2.0
x = sympy.Symbol("x")
HUGE_SUM = sympy.Add(*(x**k for k in range(20_000)))
HUGE_CLAIM = Claim(HUGE_SUM, Relation.EQ, HUGE_SUM + 1)
"""Built once: building it (0.6 s) is the caller's work, not the check's."""

# each: a name and a zero-argument function that checks the attack
ATTACKS = {
    "10**10**10": lambda: check(parse_claim("10**10**10 == x"), budget=BUDGET),
    "9**9**9**9": lambda: check(parse_claim("9**9**9**9 == x"), budget=BUDGET),
    "factorial(10**7)": lambda: check(parse_claim("factorial(10**7) == x"), budget=BUDGET),
    "gamma(10**10)": lambda: check(parse_claim("gamma(10**10) == x"), budget=BUDGET),
    "300-deep nesting": lambda: check(parse_claim("(" * 300 + "x" + ")" * 300 + " == x"), budget=BUDGET),
    "20,000-term sum": lambda: check(HUGE_CLAIM, budget=BUDGET),
    "1 MB of input": lambda: check(parse_claim("x" * 1_000_000 + " == x"), budget=BUDGET),
    "slow simplify": lambda: check(parse_claim("sin(x)**20*cos(x)**20 == (sin(2*x)/2)**20"), budget=BUDGET),
    "exp(exp(exp(x)))": lambda: check(parse_claim("exp(exp(exp(exp(x)))) >= exp(exp(exp(x)))"), budget=BUDGET),
    "huge derivative": lambda: check(parse_claim("diff(exp(x**2)*sin(x)**5, x, 10) == 0"), budget=BUDGET),
}


def _timed(attack) -> tuple[float, str]:
    start = time.monotonic()
    try:
        outcome = attack().status.value
    except InputError as exc:
        outcome = f"input error: {exc}"
    return time.monotonic() - start, outcome


@pytest.mark.slow
@pytest.mark.parametrize("name", sorted(ATTACKS))
def test_attack_ends_within_budget_from_main_thread(name: str) -> None:
    elapsed, outcome = _timed(ATTACKS[name])
    assert elapsed <= BUDGET + 1, f"{name}: {elapsed:.2f}s ({outcome})"
    assert outcome in ("proved", "tested", "refuted", "undecided") or outcome.startswith("input error")


@pytest.mark.slow
@pytest.mark.parametrize("name", ["20,000-term sum", "slow simplify", "exp(exp(exp(x)))"])
def test_attack_ends_within_budget_from_a_worker_thread(name: str) -> None:
    result: list[tuple[float, str]] = []
    thread = threading.Thread(target=lambda: result.append(_timed(ATTACKS[name])))
    thread.start()
    thread.join(timeout=BUDGET + 10)
    assert not thread.is_alive() and result, f"{name}: still running"
    elapsed, outcome = result[0]
    assert elapsed <= BUDGET + 1, f"{name}: {elapsed:.2f}s ({outcome})"


@pytest.mark.slow
def test_memory_of_the_checking_process_stays_bounded() -> None:
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    for name in ("slow simplify", "huge derivative", "exp(exp(exp(x)))"):
        _timed(ATTACKS[name])
    grown_mb = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before) / 1024
    assert grown_mb < 200, f"the checking process grew by {grown_mb:.0f} MB"
