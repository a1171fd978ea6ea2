"""Readable evidence: the worst float64 residual is reported relative to the sides' size,
a claim that holds never reads as a failure (once: "worst residual 9.7e-01 ... none
fails" on a proved claim), and nothing that depends on the machine's float64 functions
is said (how many points float64 flagged: 37 on one machine, 38 on another)."""

from __future__ import annotations

import pytest

from derive.engine import _sampled
from derive.numeric import NumericResult
from derive.verdict import Counterexample

FAILURE = Counterexample((("x", "1"),), "1.44", "0.69")


@pytest.mark.parametrize(
    ("numeric", "expected"),
    [
        (
            NumericResult(20256, 20256, 8.9e-16, 0, 12, 0, None),
            "20256 of 20256 sample points valid, none fails (float64 residual at most 8.9e-16 of the sides' size)",
        ),
        (
            NumericResult(22438, 20111, 9.7e-01, 32, 36, 0, None),
            "20111 of 22438 sample points valid, none fails (float64 residual at most 9.7e-01 of the sides' size)",
        ),
        (
            NumericResult(100, 90, 1e-3, 5, 17, 2, None),
            "90 of 100 sample points valid, none fails (float64 residual at most 1.0e-03 of the sides' size); "
            "2 point(s) undecided in high precision",
        ),
        (
            NumericResult(20016, 20016, 5.2e-01, 20016, 1, 0, FAILURE),
            "20016 of 20016 sample points valid, a failure confirmed in high precision (float64 residual up to "
            "5.2e-01 of the sides' size)",
        ),
        (NumericResult(10, 0, None, 0, 0, 0, None), "0 of 10 sample points valid, none fails"),
        (None, "no numeric evidence"),
    ],
)
def test_evidence_in_words(numeric: NumericResult | None, expected: str) -> None:
    assert _sampled(numeric) == expected


def test_evidence_that_holds_never_reads_as_a_failure() -> None:
    text = _sampled(NumericResult(22438, 20111, 9.7e-01, 32, 36, 0, None))
    assert "worst" not in text and "wrong" not in text and "sides' size" in text


def test_how_many_points_float64_flagged_is_not_said() -> None:
    """Two machines whose float64 exp and log differ in the last bits flag different
    numbers of points near the threshold; the evidence reads the same on both."""
    here, there = (
        NumericResult(10064, 10064, 2.3e-08, 37, 31, 0, None),
        NumericResult(10064, 10064, 2.3e-08, 38, 32, 0, None),
    )
    assert _sampled(here) == _sampled(there)
