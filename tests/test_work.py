"""Proof searches end by counted work, not by a clock: where interval branch and bound
and the derivative certificates give up is the same on every machine, so a verdict they
reach (proved, or only tested) is settled: cached, and a document holding it is
replayed unchanged. Only the claim's own budget is a time."""

from __future__ import annotations

import time
from fractions import Fraction

import pytest
import sympy

from derive.cache import Cache
from derive.engine import Options, checked
from derive.intervals import INF, branch_and_bound
from derive.parsing import parse_claim
from derive.verdict import Status
from tests.test_cache import run_cli, run_fast

x = sympy.Symbol("x")
SOFTPLUS_GAP = sympy.log(1 + sympy.exp(x)) - x
"""Positive on the whole line, but no enclosure or monotone face decides the tails."""


def test_a_search_gives_up_after_its_work_whatever_the_clock():
    results = [
        branch_and_bound(SOFTPLUS_GAP, {x: (-INF, INF)}, strict=False, deadline=deadline, work=20_000)
        for deadline in (None, time.monotonic() + 600)
    ]
    first, second = results
    assert first.status == "unknown"
    assert first.detail == "its work of 20000 (nested searches included) was not enough"
    assert 20_000 <= first.work < 21_000
    assert (second.status, second.boxes, second.work, second.detail) == (
        first.status,
        first.boxes,
        first.work,
        first.detail,
    )


def test_a_proof_reports_the_work_it_took():
    result = branch_and_bound(sympy.exp(x) - 1 - x, {x: (Fraction(-1), Fraction(1))}, strict=False)
    assert result.status == "proved"
    assert 0 < result.work < 20_000


# (claim, assumptions, status): each searched long before it was decided, and was not
# settled while a clock ended its searches
SEARCHED = [
    ("log(x) <= 2*(sqrt(x) - 1)", ["x > 0"], Status.PROVED),
    ("log(exp(a) + exp(b)) >= b", [], Status.TESTED),
]


@pytest.mark.parametrize(("text", "assume", "status"), SEARCHED, ids=[row[0] for row in SEARCHED])
def test_a_verdict_reached_after_a_long_search_is_settled(text, assume, status):
    result = checked(parse_claim(text, assume), Options())
    assert result.verdict.status is status
    assert result.settled


NOTES = """\
# Notes

$$
\\log\\left(e^{a} + e^{b}\\right) \\ge b
$$
"""


def test_a_document_whose_claim_is_only_tested_after_a_long_search_is_replayed(tmp_path):
    folder = tmp_path / "c"
    notes = tmp_path / "notes.md"
    notes.write_text(NOTES)
    first = run_cli("check", str(notes), cache_dir=folder)
    assert first.returncode == 0, first.stderr
    assert "tested, not proved" in first.stdout
    assert Cache(folder).info().runs == 1
    again = run_fast("check", str(notes), cache_dir=folder)
    assert again.returncode == 0, again.stderr
    assert again.stdout == first.stdout
