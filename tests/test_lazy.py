"""What waits for the symbolic stage (issue 13): the quiet points' high-precision
looks and the larger lengths of a claim of general size run only when no proof
settles the claim; everything that can refute a claim runs before it."""

from typing import Any

import pytest

from derive import engine, numeric
from derive.engine import Options, check, run_stages
from derive.parsing import parse_claim
from derive.symbolic import SymbolicResult
from derive.verdict import Status

UNKNOWN = SymbolicResult("unknown", "symbolic")


def _stages(text: str, assume: list[str]) -> dict[str, Any]:
    messages: list[tuple[str, Any]] = []
    run_stages(parse_claim(text, assume), Options(), lambda kind, payload: messages.append((kind, payload)))
    return dict(messages)


@pytest.fixture
def no_proof(monkeypatch: pytest.MonkeyPatch) -> None:
    """The symbolic stages find nothing (so the claim is only as good as its samples)."""
    monkeypatch.setattr(engine, "prove", lambda claim, deadline: UNKNOWN)
    monkeypatch.setattr(engine, "prove_general", lambda claim, deadline: UNKNOWN)


def test_a_proved_claim_looks_at_fewer_quiet_points() -> None:
    stages = _stages("log(x) <= x - 1", ["x > 0"])
    assert stages["symbolic"].status == "proved"
    assert stages["numeric"].looked_at == numeric.SPOTS_NOW


def test_a_postponed_look_makes_its_exact_point_only_when_it_is_taken(monkeypatch: pytest.MonkeyPatch) -> None:
    """Turning a float64 row into an exact point costs (every entry made a fraction, a
    simplex's limited to small denominators); a proved claim never takes its postponed
    looks, so it never pays for their points."""
    made: list[object] = []
    exact_row = numeric._exact_row
    monkeypatch.setattr(numeric, "_exact_row", lambda domain, row: made.append(row) or exact_row(domain, row))
    later: list[numeric.Looks] = []
    claim = parse_claim("log(x) <= x - 1", ["x > 0"])
    first = numeric.search(claim, seed=0, later=later)
    assert later and len(made) <= first.looked_at
    assert numeric.look_again(first, later).looked_at > first.looked_at and len(made) > first.looked_at


def test_an_unproved_claim_looks_at_every_quiet_point(no_proof: None) -> None:
    stages = _stages("log(x) <= x - 1", ["x > 0"])
    assert stages["numeric"].looked_at == numeric.SPOT_CHECKS


def test_a_postponed_look_refutes(no_proof: None, monkeypatch: pytest.MonkeyPatch) -> None:
    """Float64 sees nothing wrong (every point is quiet); with no quiet point looked
    at before the symbolic stage, the postponed looks must still find the failure."""
    monkeypatch.setattr(numeric, "SPOTS_NOW", 0)
    verdict = check(parse_claim("x + 10**-20 == x"), isolate=False, diagnose=False)
    assert verdict.status is Status.REFUTED
    assert verdict.method == "numeric: counterexample confirmed in adaptive precision"


def test_a_proved_claim_of_general_size_samples_the_smallest_lengths() -> None:
    stages = _stages("Sum(x[i]**2, (i, 1, n)) >= 0", [])
    assert stages["symbolic"].status == "proved"
    assert stages["sizes"] == "n = 1, 2, 3, 4"


def test_an_unproved_claim_of_general_size_samples_every_length(no_proof: None) -> None:
    stages = _stages("Sum(x[i]**2, (i, 1, n)) >= 0", [])
    lengths = [int(v) for v in stages["sizes"].removeprefix("n = ").split(", ")]
    assert lengths[:4] == [1, 2, 3, 4] and len(lengths) > 4 and max(lengths) > 10


def test_a_claim_false_only_beyond_the_first_lengths_is_refuted() -> None:
    verdict = check(parse_claim("Sum(x[i], (i, 1, n)) <= 5", ["0 < x[i] < 1"]), isolate=False, diagnose=False)
    assert verdict.status is Status.REFUTED
    assert int(verdict.counterexample.as_dict()["n"]) > 5


def test_a_screened_claim_is_ruled_out_without_shrinking() -> None:
    """A diagnosis' candidate (``Options(screen=True)``) only needs to be ruled out:
    its failing point is neither shrunk toward simple values nor confirmed by
    SymPy's adaptive evaluation, and its method says so."""
    claim = parse_claim("x**2 <= 100", ["x > 0"])
    full = engine.checked(claim, Options(), isolate=False, diagnose=False).verdict
    screened = engine.checked(claim, Options(screen=True), isolate=False, diagnose=False).verdict
    assert full.status is screened.status is Status.REFUTED
    assert full.method == "numeric: counterexample confirmed in adaptive precision"
    assert screened.method == "numeric: fails in high precision (screened, not confirmed adaptively)"
    assert full.counterexample.as_dict() == {"x": "100"}
    assert screened.counterexample.as_dict() != full.counterexample.as_dict()


def test_a_budget_spent_in_the_symbolic_stage_says_what_was_not_reached(monkeypatch: pytest.MonkeyPatch) -> None:
    """A worker killed during the symbolic stage has reported the numeric stage and what
    waits for the symbolic stage: the verdict says what was not reached. (Killing a real
    worker there depended on the machine's speed: a symbolic stage that stops at its own
    deadline leaves time for the looks, which then are taken.)"""

    class KilledError(Exception):
        pass

    def killed(claim: object, deadline: object) -> None:
        raise KilledError

    monkeypatch.setattr(engine, "prove", killed)
    claim = parse_claim("x**2 >= -1")
    messages: list[tuple[str, Any]] = []
    with pytest.raises(KilledError):
        run_stages(claim, Options(3.0), lambda kind, payload: messages.append((kind, payload)))
    verdict = engine.decide(claim, Options(3.0), dict(messages), False, None)
    assert verdict.status is Status.TESTED
    assert "time budget of 3s spent" in verdict.detail
    assert "quiet points not re-checked in high precision (they wait for the symbolic stage)" in verdict.detail
