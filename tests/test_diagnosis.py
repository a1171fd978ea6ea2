import pytest

from derive import check, parse_claim
from derive.verdict import Status

TABLE = [
    # (wrong step, assumptions, kind, sentence fragment)
    ("diff(log(x, 2), x) == log(2)/x", ["x > 0"], "constant factor", "ln 2 written where 1/ln 2 belongs"),
    ("diff(log(x, 2), x) == 1/(x*log(2)**3)", ["x > 0"], "constant factor", "1/ln 2 written where ln 2 belongs"),
    ("diff(x**2 - 3*x, x) == 3 - 2*x", [], "constant factor", "a sign error"),
    ("diff(sigmoid(z), z) == sigmoid(z)*(1 + sigmoid(z))", [], "one term", "sigmoid(z)**2"),
    ("log(x*y) == log(x) + log(y)", [], "missing assumption", "x > 0"),
    ("p*log(x) + (1 - p)*log(y) >= log(p*x + (1 - p)*y)", ["0 < p < 1", "x > 0", "y > 0"], "direction", "other way"),
    ("((a1 - y1)**2 + (a2 - y2)**2)/2 == (a1 - y1)**2 + (a2 - y2)**2", [], "constant factor", "a stray factor 1/2"),
    ("(x + 1)**2 == x**2 + 1", [], "one term", "2*x"),
    ("exp(x) == exp(x) + 1/10**9", [], "constant offset", "rhs + -1/1000000000"),
    ("sqrt(x**2) == x", [], "missing assumption", "x > 0"),
    # a softmax cross-entropy gradient with its sign flipped: -1 only where y sums to 1
    ("diff(-y1*log(exp(z1)/(exp(z1) + exp(z2))) - y2*log(exp(z2)/(exp(z1) + exp(z2))), z1)"
     " == y1 - exp(z1)/(exp(z1) + exp(z2))", ["y1, y2 simplex"], "constant factor", "lhs = -1 * rhs (a sign error)"),
    ("y1 + y2 + x == x", ["y1, y2 simplex"], "constant offset", "lhs = rhs + 1"),
    # the KL of two Gaussians with -1 where -1/2 belongs
    ("log(s2/s1) + (s1**2 + (m1 - m2)**2)/(2*s2**2) - 1 >= 0", ["s1 > 0", "s2 > 0"], "offset",
     "offset: lhs - rhs >= -1/2 holds (the claim is off by 1/2)"),
    ("sin(x) <= 1/2", [], "offset", "offset: lhs - rhs <= 1/2 holds (the claim is off by 1/2)"),
    # a mini-batch average's 1/m dropped, and a stray 1/(2n)
    ("diff(Sum((w*x[i] - y[i])**2, (i, 1, m))/(2*m), w) == Sum((w*x[i] - y[i])*x[i], (i, 1, m))",
     ["m >= 1", "m integer"], "length factor", "length factor: lhs = rhs / m (a factor 1/m missing on the rhs)"),
    ("Sum(x[i], (i, 1, n)) == Sum(x[i], (i, 1, n))/(2*n)", ["n >= 1", "n integer"], "length factor",
     "lhs = 2*n * rhs"),
]  # fmt: skip


@pytest.mark.parametrize(("text", "assume", "kind", "fragment"), TABLE, ids=[row[0] for row in TABLE])
def test_diagnosis(text, assume, kind, fragment):
    verdict = check(parse_claim(text, assume))
    assert verdict.status is Status.REFUTED
    assert verdict.diagnosis is not None, str(verdict)
    assert verdict.diagnosis.kind == kind
    assert fragment in verdict.diagnosis.sentence
    assert verdict.diagnosis.status in ("proved", "tested")


@pytest.mark.parametrize("text", ["sin(x) == x", "exp(x) == 1 + x + x**2", "x**3 == 2**x", "x**3 - x >= 1"])
def test_no_simple_diagnosis_rather_than_a_wrong_one(text):
    verdict = check(parse_claim(text))
    assert verdict.status is Status.REFUTED
    assert verdict.diagnosis is None
    assert "no simple diagnosis" in str(verdict)


def test_diagnosis_in_json():
    data = check(parse_claim("diff(x**2, x) == -2*x")).as_json()
    assert data["diagnosis"]["kind"] == "constant factor"
    assert check(parse_claim("x == x")).as_json()["diagnosis"] is None


@pytest.mark.parametrize(("text", "assume", "kind", "fragment"), TABLE[:8], ids=[row[0] for row in TABLE[:8]])
def test_candidates_left_out_at_the_known_counterexample_are_false(text, assume, kind, fragment):
    """A candidate that fails where the claim is known to fail is not checked (it
    is false there); each one left out is refuted by a full check, and the
    diagnosis is found among those kept."""
    from fractions import Fraction

    from derive.diagnosis import candidates, fails_at

    claim = parse_claim(text, assume)
    known = check(claim, diagnose=False).counterexample
    point = {name: Fraction(value) for name, value in known.point}
    built = list(candidates(claim))
    left_out = [c for c in built if fails_at(c.claim, point)]
    for candidate in left_out:
        assert check(candidate.claim, diagnose=False).status is Status.REFUTED, candidate.sentence
    kept = [c for c in built if c not in left_out]
    assert any(c.kind == kind and fragment in c.sentence for c in kept)


LATEX = [
    # (wrong step, assumptions, the sentence as LaTeX prose)
    ("diff(log(x, 2), x) == log(2)/x", ["x > 0"],
     r"constant factor: $\mathrm{lhs} = \frac{\mathrm{rhs}}{\log{\left(2 \right)}^{2}}$ ($\ln 2$ written where"
     r" $1/\ln 2$ belongs)"),
    ("log(Sum(x[i]**2, (i, 1, n))) + Sum(x[i], (i, 1, n)) == Sum(x[i], (i, 1, n))", [],
     r"one term: dropping $\log{\left(\sum_{i=1}^{n} x_{i}^{2} \right)}$ on the lhs makes it hold"),
    ("Sum(sqrt(x[i]**2), (i, 1, n)) == Sum(x[i], (i, 1, n))", [], r"missing assumption: it holds for $x_{i} > 0$"),
    ("sin(x) <= 1/2", [],
     r"offset: $\mathrm{lhs} - \mathrm{rhs} \leq \frac{1}{2}$ holds (the claim is off by $\frac{1}{2}$)"),
]  # fmt: skip


@pytest.mark.parametrize(("text", "assume", "expected"), LATEX, ids=[row[0] for row in LATEX])
def test_a_diagnosis_keeps_its_formulas_as_latex(text, assume, expected):
    """The same sentence with each formula set by derive's printer, for documents;
    the text sentence stays as it was (the CLI and JSON print it)."""
    from derive.prose import plain, valid_math

    diagnosis = check(parse_claim(text, assume)).diagnosis
    assert diagnosis.latex == expected
    assert diagnosis.as_json()["latex"] == expected
    assert all(valid_math(formula) for formula in expected.split("$")[1::2])
    assert "$" not in diagnosis.sentence and "\\" not in diagnosis.sentence
    assert "\\" not in plain(expected)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("log(x*y) == log(x) + log(y)", "missing assumption: it holds when $x = y$"),
        ("log(x*y) == log(x) + log(y)", r"missing assumption: it holds for $x \in \left(0, 1\right)$"),
        ("exp(x) == exp(x) + 1/10**9", r"constant offset: $\mathrm{lhs} = \mathrm{rhs} - \frac{1}{1000000000}$"),
        ("x >= x + 1", r"direction: the inequality holds the other way round ($\mathrm{lhs} \leq \mathrm{rhs}$)"),
        ("diff(x**2, x) == -2*x", r"constant factor: $\mathrm{lhs} = - \mathrm{rhs}$ (a sign error)"),
    ],
)
def test_every_kind_of_candidate_has_a_latex_sentence(text, expected):
    from derive.diagnosis import candidates

    assert expected in [c.latex for c in candidates(parse_claim(text))]


def test_a_formula_prose_math_does_not_allow_stays_text(monkeypatch):
    """Should the printer ever give a command outside prose's allow-list, the formula
    is printed as the text sentence has it, never as LaTeX."""
    from derive import diagnosis

    monkeypatch.setattr(diagnosis, "latex", lambda expr: r"\input{x}")
    built = list(diagnosis.candidates(parse_claim("log(x*y) == log(x) + log(y)")))
    assert built and all(c.latex == c.sentence for c in built)


def _then_broken(candidates):
    """``candidates``, then SymPy failing on the next explanation."""

    def built(claim, seed=0):
        yield from candidates(claim, seed)
        raise RuntimeError("SymPy failed on an explanation")

    return built


def test_candidates_are_checked_as_they_are_built_and_a_failure_to_build_is_unsettled(monkeypatch):
    from derive import diagnosis

    checked_claims = []
    engine_checked = __import__("derive.engine", fromlist=["checked"]).checked

    def counting(claim, *args, **kwargs):
        checked_claims.append(claim)
        return engine_checked(claim, *args, **kwargs)

    monkeypatch.setattr("derive.engine.checked", counting)
    monkeypatch.setattr(diagnosis, "candidates", _then_broken(diagnosis.candidates))
    wrong = parse_claim("diff(x**2 - 3*x, x) == 3 - 2*x")  # its first candidate (a sign error) holds
    found, settled = diagnosis._diagnosed(wrong, 0, None, float("inf"))
    assert found is not None and found.kind == "constant factor" and settled
    assert len(checked_claims) == 1  # the first that holds ends it: the rest are never built
    hopeless = parse_claim("sin(x) == x")  # no candidate holds, and building the next one fails
    assert diagnosis._diagnosed(hopeless, 0, None, float("inf")) == (None, False)
    assert diagnosis._diagnosed(wrong, 0, None, 0.0) == (None, False)  # the deadline passed


def test_a_diagnosis_is_one_worker_task(monkeypatch):
    """Candidates are built and checked where they are made: none is sent between
    processes (SymPy would evaluate each again as it unpickles it)."""
    from derive import budget, diagnosis

    tasks = []
    run = budget.run

    def counting(function, args, seconds):
        tasks.append(function.__name__)
        return run(function, args, seconds)

    monkeypatch.setattr(budget, "run", counting)
    found, settled = diagnosis.diagnose_settled(parse_claim("(x + 1)**2 == x**2 + 1"), budget=60, seed=0)
    assert found is not None and found.kind == "one term" and settled
    assert tasks == ["_diagnose_task"]
