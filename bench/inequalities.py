"""Proof power on real inequalities with log, exp, sqrt and friends.

Checks every item of the corpus in tests/quality/inequalities.py (TRUE,
HELD_BACK_TRUE and FALSE) with ``check(parse_claim(text, assume), budget=10)`` and
prints, for each list, how many were proved / tested / refuted / undecided, how many
verdicts are settled (no deadline cut a search short: they are cached, and the same on
every machine), the mean and max seconds per claim, the TRUE items that are only
tested, and anything wrong (a true item refuted, a false one not refuted).

Run by hand: ``python -m bench.inequalities [-j N] [LIST...]`` (LIST: true, held,
false; all by default). tests/quality/test_inequalities.py asserts a floor on the
proved fraction of TRUE.
"""

from __future__ import annotations

import argparse
import sys
import time
from concurrent.futures import ThreadPoolExecutor

from derive.engine import Options, checked
from derive.parsing import parse_claim
from derive.verdict import Status, Verdict
from tests.quality.inequalities import FALSE, HELD_BACK_TRUE, TRUE, Item

BUDGET = 10
LISTS: dict[str, tuple[str, list[Item]]] = {
    "true": ("TRUE", TRUE),
    "held": ("HELD_BACK_TRUE", HELD_BACK_TRUE),
    "false": ("FALSE", FALSE),
}


def _timed(item: Item) -> tuple[Verdict, float, bool]:
    text, assume, _ = item
    start = time.monotonic()
    result = checked(parse_claim(text, assume), Options(budget=BUDGET))
    return result.verdict, time.monotonic() - start, result.settled


def _report(label: str, items: list[Item], timed: list[tuple[Verdict, float, bool]]) -> list[str]:
    results = [(verdict, seconds) for verdict, seconds, _ in timed]
    counts = {s: sum(v.status is s for v, _ in results) for s in Status}
    seconds = [t for _, t in results]
    settled = sum(done for *_, done in timed)
    goal = Status.REFUTED if label == "FALSE" else Status.PROVED
    summary = ", ".join(f"{s.value} {counts[s]}" for s in Status)
    slowest = max(range(len(items)), key=lambda k: seconds[k])
    print(f"{label:15} {len(items):3} claims: {summary}; {goal.value} {counts[goal] / len(items):.1%}; "
          f"{settled} settled; {sum(seconds) / len(seconds):.2f} s mean, {seconds[slowest]:.2f} s max per claim "
          f"({items[slowest][0]})")  # fmt: skip
    problems = []
    for (text, assume, note), (verdict, _) in zip(items, results, strict=True):
        where = f"{text}  [{'; '.join(assume)}]"
        if label != "FALSE" and verdict.status is Status.REFUTED:
            problems.append(f"  {label} REFUTED: {where}: {verdict.counterexample} ({note})")
        if label == "FALSE" and verdict.status is not Status.REFUTED:
            problems.append(f"  FALSE NOT REFUTED ({verdict.status.value}): {where} (fails at {note})")
    if label == "TRUE":
        for (text, assume, _), (verdict, _) in zip(items, results, strict=True):
            if verdict.status is Status.TESTED:
                print(f"  only tested: {text}  [{'; '.join(assume)}]")
    for (text, assume, _), (verdict, _) in zip(items, results, strict=True):
        if verdict.status is Status.UNDECIDED:
            print(f"  undecided: {text}  [{'; '.join(assume)}]: {verdict.detail}")
    return problems


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.inequalities", description=__doc__.splitlines()[0])
    parser.add_argument("lists", nargs="*", metavar="LIST", help="true, held or false (default: all)")
    parser.add_argument("-j", "--jobs", type=int, default=1, help="claims checked at once (default 1)")
    args = parser.parse_args(argv)
    unknown = [name for name in args.lists if name not in LISTS]
    if unknown:
        parser.error(f"unknown list {unknown[0]!r}; expected one of: {', '.join(LISTS)}")
    start = time.monotonic()
    problems = []
    with ThreadPoolExecutor(max_workers=max(1, args.jobs)) as pool:
        for key in args.lists or list(LISTS):
            label, items = LISTS[key]
            results = list(pool.map(_timed, items))
            problems += _report(label, items, results)
    for line in problems:
        print(line)
    print(f"{time.monotonic() - start:.0f} s")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
