"""General size: claims over families of symbolic length are proved for every
length or only tested, never proved from instances; a false one is refuted at the
smallest length that fails, with the length and every entry in the counterexample."""

from __future__ import annotations

import json

import pytest
import sympy

from derive import Claim, Domain, Relation, check
from derive.claim import Family, positive
from derive.cli import main
from derive.errors import InputError
from derive.parsing import parse_claim
from derive.sizes import assignments, instantiate, shape

SIMPLEX = ["p in simplex(n)", "q in simplex(n)"]

PROVED = [
    ("Sum(a*x[i] + y[i], (i, 1, n)) == a*Sum(x[i], (i, 1, n)) + Sum(y[i], (i, 1, n))", []),
    ("Sum(x[i] - Sum(x[j], (j, 1, n))/n, (i, 1, n)) == 0", []),
    (
        "Sum((x[i] - Sum(x[j], (j, 1, n))/n)**2, (i, 1, n)) == Sum(x[i]**2, (i, 1, n)) - Sum(x[i], (i, 1, n))**2/n",
        [],
    ),
    ("Sum(c*p[i], (i, 1, n)) == c", ["p in simplex(n)"]),
    ("Sum(p[i] - q[i], (i, 1, n)) == 0", SIMPLEX),
    ("log(Product(x[i], (i, 1, n))) == Sum(log(x[i]), (i, 1, n))", ["x[i] > 0"]),
    ("log(Product(2*x[i], (i, 1, n))) == n*log(2) + Sum(log(x[i]), (i, 1, n))", ["x[i] > 0"]),
    ("diff(Sum((x[i] - t)**2, (i, 1, n)), t) == 2*n*t - 2*Sum(x[i], (i, 1, n))", []),
    ("diff(Sum(x[i]**2, (i, 1, n)), x[k]) == 2*x[k]", ["1 <= k <= n"]),
    ("diff(Sum(w[i]*x[i], (i, 1, n)), w[k]) == x[k]", ["1 <= k <= n"]),
    ("Sum(exp(z[i])/Sum(exp(z[j]), (j, 1, n)), (i, 1, n)) == 1", []),
    ("Sum(Sum(x[i]*y[j], (j, 1, m)), (i, 1, n)) == Sum(x[i], (i, 1, n))*Sum(y[j], (j, 1, m))", []),
    ("Sum(i, (i, 1, n)) == n*(n + 1)/2", []),
    ("Sum(x[i], (i, 1, n)) == x[n] + Sum(x[i], (i, 1, n - 1))", ["n >= 2"]),
    ("Sum(p[i]*log(p[i]/q[i]), (i, 1, n)) >= 0", SIMPLEX),
    ("-Sum(p[i]*log(p[i]), (i, 1, n)) >= 0", ["p in simplex(n)"]),
    ("Sum(x[i]**2, (i, 1, n)) >= 0", []),
    # binary cross-entropy is nonnegative: each term's logs are below 0, the 1/(2n) of the mean positive
    ("-Sum(y[i]*log(a[i]) + (1 - y[i])*log(1 - a[i]), (i, 1, n))/(2*n) >= 0", ["0 < a[i] < 1", "0 <= y[i] <= 1"]),
]

REFUTED = [
    # holds for n = 1, fails from n = 2 on
    ("Sum(x[i], (i, 1, n))**2 == Sum(x[i]**2, (i, 1, n))", [], "2"),
    ("Sum(p[i]*log(p[i]/q[i]), (i, 1, n)) <= 0", SIMPLEX, "2"),
    ("Sum(x[i], (i, 1, n)) == n*x[1]", [], "2"),
    ("diff(Sum(x[i]**2, (i, 1, n)), x[k]) == x[k]", ["1 <= k <= n"], "1"),
    ("Sum(i, (i, 1, n)) == n**2/2", [], "1"),
    ("Product(x[i], (i, 1, n)) <= Sum(x[i], (i, 1, n))", ["x[i] > 0"], "2"),
    # holds for n = 1, 2, 3 (the uniform vector is the tight point at n = 3)
    ("Sum(p[i]**2, (i, 1, n)) >= 1/3", ["p in simplex(n)"], "4"),
    ("Sum(exp(z[i])/Sum(exp(z[j]), (j, 1, n)), (i, 1, n)) == n", [], "2"),
]

TESTED = [  # (Cauchy-Schwarz, (sum x_i)^2 <= n sum x_i^2, is proved by its lemma: derive.lemmas)
    ("log(Sum(exp(x[i]), (i, 1, n))) >= Sum(x[i], (i, 1, n))/n", []),
]


@pytest.mark.parametrize(("text", "assume"), PROVED)
def test_general_claims_proved_for_every_length(text: str, assume: list[str]) -> None:
    verdict = check(parse_claim(text, assume), budget=20)
    assert verdict.status.value == "proved", verdict.why()
    assert verdict.method.endswith(("(all n)", "(all m, n)")) or not shape(parse_claim(text, assume)).sized
    assert "lengths sampled:" in verdict.detail


@pytest.mark.parametrize(("text", "assume", "smallest"), REFUTED)
def test_false_general_claims_refuted_at_the_smallest_length(text: str, assume: list[str], smallest: str) -> None:
    claim = parse_claim(text, assume)
    verdict = check(claim, budget=20)
    assert verdict.status.value == "refuted", verdict.why()
    point = verdict.counterexample.as_dict()
    name = shape(claim).lengths[0]
    assert point[name] == smallest
    families = shape(claim).families
    assert all(k.split("[")[0] in families for k in point if "[" in k)
    assert not families or any("[" in k for k in point) or "exp(z" in text  # softmax cancels to a number


@pytest.mark.parametrize(("text", "assume"), TESTED)
def test_general_claims_without_a_proof_are_tested_with_their_lengths(text: str, assume: list[str]) -> None:
    verdict = check(parse_claim(text, assume), budget=10)
    assert verdict.status.value == "tested"
    assert "lengths sampled: n = 1, 2, 3," in verdict.detail
    assert "no symbolic argument closes it for every length" in verdict.detail


def test_instances_never_prove_a_general_claim() -> None:
    """The instance at n = 1 of log-sum-exp above the mean is proved; the general
    claim stays tested."""
    claim = parse_claim(*TESTED[0])
    assert check(instantiate(claim, {"n": 1})).status.value == "proved"
    assert check(claim).status.value == "tested"


@pytest.mark.parametrize(("text", "assume"), [*PROVED[:6], *TESTED])
def test_a_general_claim_and_its_instances_agree(text: str, assume: list[str]) -> None:
    claim = parse_claim(text, assume)
    for values in list(assignments(claim, seed=0))[:4]:
        assert check(instantiate(claim, values), budget=10).holds, values


@pytest.mark.parametrize(("text", "assume", "smallest"), REFUTED[:4])
def test_the_failing_instance_is_refuted_too(text: str, assume: list[str], smallest: str) -> None:
    claim = parse_claim(text, assume)
    (name,) = shape(claim).lengths
    values = next(v for v in assignments(claim, seed=0) if v[name] == int(smallest))
    assert check(instantiate(claim, values), budget=10).status.value == "refuted"


def test_json_counterexample_names_the_length_and_every_entry(capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["verify", "Sum(p[i]*log(p[i]/q[i]), (i, 1, n)) <= 0", "--json",
                 "--assume", "p in simplex(n)", "--assume", "q in simplex(n)"])  # fmt: skip
    assert code == 1
    out = json.loads(capsys.readouterr().out)
    assert out["counterexample"] == {"n": "2", "p[1]": "1/2", "p[2]": "1/2", "q[1]": "1/3", "q[2]": "2/3"}


def test_done_when_gibbs_holds_from_the_command_line() -> None:
    code = main(["verify", "Sum(p[i]*log(p[i]/q[i]), (i, 1, n)) >= 0",
                 "--assume", "p in simplex(n)", "--assume", "q in simplex(n)"])  # fmt: skip
    assert code == 0


def test_python_api_sum_over_indexed_base() -> None:
    """Once 'proved with 0 of 20064 sample points valid'; a wrong one was undecided."""
    i, n = sympy.symbols("i n")
    x = sympy.IndexedBase("x")
    good = Claim(sympy.Sum(2 * x[i], (i, 1, n)), Relation.EQ, 2 * sympy.Sum(x[i], (i, 1, n)))
    bad = Claim(sympy.Sum(2 * x[i], (i, 1, n)), Relation.EQ, sympy.Sum(x[i], (i, 1, n)))
    assert check(good).status.value == "proved"
    assert check(good).samples > 1000
    verdict = check(bad)
    assert verdict.status.value == "refuted"
    assert verdict.counterexample.as_dict()["n"] == "1"


def test_python_api_family_domain_and_assumptions_on_the_base() -> None:
    i, n = sympy.symbols("i n")
    x = sympy.IndexedBase("x", positive=True)
    claim = Claim(sympy.log(sympy.Product(x[i], (i, 1, n))), Relation.EQ, sympy.Sum(sympy.log(x[i]), (i, 1, n)))
    assert claim.domain.describe() == "x[i] > 0"
    assert check(claim).status.value == "proved"
    y = sympy.IndexedBase("y")
    declared = Claim(
        sympy.log(sympy.Product(y[i], (i, 1, n))),
        Relation.EQ,
        sympy.Sum(sympy.log(y[i]), (i, 1, n)),
        Domain().bind(("y",), Family(positive())),
    )
    assert check(declared).status.value == "proved"


def test_a_proof_that_no_sample_point_corroborates_is_undecided() -> None:
    claim = parse_claim("(x**2 - 1)/(x - 1) == x + 1", ["1 <= x <= 1"])
    verdict = check(claim)
    assert verdict.status.value == "undecided"
    assert "no sample point could be evaluated" in verdict.detail


@pytest.mark.parametrize(
    ("text", "assume", "message"),
    [
        ("x[k] == x[k]", [], "k indexes a family but has no range: assume 1 <= k <= n"),
        ("Sum(n[i], (i, 1, n)) == 0", [], "n is used both as a family"),
        ("Sum(x[i], (i, 1, n)) + x == 0", [], r"x is used both as a family \(x\[...\]\) and as a variable"),
        ("Sum(x[i]*y, (i, 1, n)) == Sum(y[j], (j, 1, n))", [], "y is used both as a family"),
        ("Sum(x[i], (i, 1, n)) == 0", ["n <= 0"], "the length n has no possible value"),
    ],
)
def test_general_input_errors(text: str, assume: list[str], message: str) -> None:
    with pytest.raises(InputError, match=message):
        check(parse_claim(text, assume))


@pytest.mark.parametrize(
    ("symbol", "claim_of", "expected"),
    [
        (sympy.Symbol("x", positive=True), lambda x: (x**2, Relation.EQ, 2 * x), "refuted"),
        (sympy.Symbol("x", positive=True), lambda x: (sympy.sqrt(x) ** 2, Relation.EQ, x), "proved"),
        (sympy.Symbol("x", negative=True), lambda x: (sympy.sqrt(x**2), Relation.EQ, -x), "proved"),
        (sympy.Symbol("x", integer=True), lambda x: (x**2, Relation.GE, x), "tested"),
    ],
)
def test_a_symbols_own_assumptions_are_its_domain(symbol: sympy.Symbol, claim_of, expected: str) -> None:
    lhs, relation, rhs = claim_of(symbol)
    claim = Claim(lhs, relation, rhs)
    assert claim.domain.describe().startswith("x ")
    assert check(claim).status.value == expected


def test_symbol_assumptions_narrow_and_contradictions_are_errors() -> None:
    x = sympy.Symbol("x", positive=True)
    narrowed = Claim(x, Relation.LE, 1, Domain.of(x=sympy_interval(-1, 1)))
    assert narrowed.domain.describe() == "x in (0, 1)"
    with pytest.raises(InputError, match="x is declared positive but its domain is x in \\(-2, -1\\)"):
        Claim(x, Relation.LE, 1, Domain.of(x=sympy_interval(-2, -1)))


def sympy_interval(lo: int, hi: int):
    from derive.claim import interval

    return interval(lo, hi)


def test_two_indices_batch_logistic_gradient() -> None:
    """dL/dw_k = (1/m) sum_i (sigma(sum_j w_j x[i, j] + b) - y_i) x[i, k], for every m and d."""
    claim = parse_claim(
        "diff(-Sum(y[i]*log(sigmoid(Sum(w[j]*x[i, j], (j, 1, d)) + b))"
        " + (1 - y[i])*log(1 - sigmoid(Sum(w[j]*x[i, j], (j, 1, d)) + b)), (i, 1, m))/m, w[k])"
        " == Sum((sigmoid(Sum(w[j]*x[i, j], (j, 1, d)) + b) - y[i])*x[i, k], (i, 1, m))/m",
        ["0 <= y[i] <= 1", "1 <= k <= d"],
    )
    verdict = check(claim, budget=60)
    assert verdict.status.value == "proved", verdict.why()
    assert "(d, m, k) = (1, 1, 1)" in verdict.detail
    wrong = parse_claim(str(claim).replace("- y[i])*x[i, k]", "- y[i])*x[i, 1]"), ["0 <= y[i] <= 1", "1 <= k <= d"])
    refuted = check(wrong, budget=60)
    assert refuted.status.value == "refuted"
    assert refuted.counterexample.as_dict()["d"] == "2"


@pytest.mark.parametrize(
    ("tex", "assume", "status"),
    [
        (r"\sum_{i=1}^{n} p_i \log \frac{p_i}{q_i} \ge 0", SIMPLEX, "proved"),
        (r"\sum_{i=1}^{n} p_i \log \frac{p_i}{q_i} \le 0", SIMPLEX, "refuted"),
        (r"\frac{\partial}{\partial w_k} \sum_{i=1}^{n} w_i x_i = x_k", ["1 <= k <= n"], "proved"),
        (r"\log \prod_{i=1}^{n} x_i = \sum_{i=1}^{n} \log x_i", ["x[i] > 0"], "proved"),
    ],
)
def test_latex_claims_of_general_size(tex: str, assume: list[str], status: str) -> None:
    from derive.latex_reader import parse_latex_claim

    assert check(parse_latex_claim(tex, assume), budget=20).status.value == status


def test_the_perspective_reduction_needs_homogeneity() -> None:
    """g(p, q) = q g(p/q, 1) only for g homogeneous of degree 1: p log(p/q) - p + q**2
    is not, so its slice u log u - u + 1 >= 0 proves nothing about it."""
    from derive.sums import _Context, _perspective

    p, q = sympy.symbols("p_i q_i")
    unit = Domain.of(p_i=interval_open(0, 1), q_i=interval_open(0, 1))
    ctx = _Context({}, {}, {}, None)
    assert _perspective(p * sympy.log(p / q) - p + q, unit, ctx) == "proved"
    assert _perspective(p * sympy.log(p / q) - p + q**2, unit, ctx) is None


def interval_open(lo: int, hi: int):
    from derive.claim import interval

    return interval(lo, hi)


def test_a_range_that_runs_backwards_is_not_an_instance() -> None:
    """SymPy reads sum_{i=1}^{-2} as minus a sum, a reader as empty: such instances
    are left out, never evidence (once refuted at n = 1, x[-1] = 1)."""
    verdict = check(parse_claim("Sum(x[i]**2, (i, 1, n - 3)) >= 0"))
    assert verdict.status.value == "tested"
    assert "lengths sampled: n = 3, 4, " in verdict.detail  # n = 3 is the empty sum


@pytest.mark.parametrize(
    ("text", "status"),
    [
        ("KL(p, q) == H(p, q) - H(p)", "proved"),
        ("KL(p, q) >= 0", "proved"),
        ("KL(p, p) == 0", "proved"),
        ("H(p) >= 0", "proved"),
        ("H(p, q) >= H(p)", "proved"),
        ("KL(p, q) == KL(q, p)", "refuted"),
        ("H(p, q) <= H(p)", "refuted"),
    ],
)
def test_information_quantities_of_symbolic_length(text: str, status: str) -> None:
    verdict = check(parse_claim(text, SIMPLEX), budget=20)
    assert verdict.status.value == status
    if status == "refuted":
        assert verdict.counterexample.as_dict()["n"] == "2"


@pytest.mark.parametrize(
    ("tex", "text"),
    [
        (r"D_{KL}(p \| q) = H(p, q) - H(p)", "KL(p, q) == H(p, q) - H(p)"),
        (
            r"D_{KL}(p \| q) = \mathbb{E}_{p}\left[\log \frac{p_i}{q_i}\right]",
            "KL(p, q) == Sum(p[i]*log(p[i]/q[i]), (i, 1, n))",
        ),
    ],
)
def test_information_quantities_read_from_latex(tex: str, text: str) -> None:
    from derive.latex_reader import parse_latex_claim

    claim = parse_latex_claim(tex, SIMPLEX)
    assert check(claim).status.value == "proved"
    assert check(parse_claim(text, SIMPLEX)).status.value == "proved"


def test_information_quantities_need_declared_vectors() -> None:
    with pytest.raises(InputError, match="H needs a probability vector: assume x in simplex"):
        parse_claim("H(x) >= 0")


def _argmax_claim(rhs_sign: int) -> Claim:
    i, n = sympy.symbols("i n")
    q, c = sympy.IndexedBase("q"), sympy.IndexedBase("c")
    total = sympy.Sum(c[i] * sympy.log(q[i]), (i, 1, n))
    domain = Domain.of(q=Family(positive(), "simplex", "n"), c=Family(positive(), "", "n"))
    return Claim(sympy.Product(q[i] ** c[i], (i, 1, n)), Relation.ARGMAX, rhs_sign * total, domain, ("q",))


def test_a_same_maximiser_claim_of_general_size_is_sampled_over_the_entries():
    verdict = check(_argmax_claim(1))
    assert verdict.holds and verdict.samples > 0, verdict.why()
    assert "lengths sampled" in verdict.detail


def test_a_wrong_same_maximiser_claim_of_general_size_is_refuted():
    verdict = check(_argmax_claim(-1), diagnose=False)
    assert verdict.status.value == "refuted", verdict.why()
    assert verdict.counterexample.as_dict()["n"] == "2"


def test_compiled_pieces_are_shared_across_claims_and_each_evaluates_its_own() -> None:
    import numpy as np

    from derive.compiled import Compiled

    i, n = sympy.symbols("i n")
    x = sympy.IndexedBase("x")
    squares = Compiled(sympy.Sum(x[i] ** 2, (i, 1, n)) - sympy.Sum(x[i], (i, 1, n)), "numpy")
    cubes = Compiled(sympy.Sum(x[i] ** 3, (i, 1, n)) - sympy.Sum(x[i], (i, 1, n)), "numpy")
    entries = {("x", (1,)): np.array([2.0]), ("x", (2,)): np.array([3.0])}
    assert squares.evaluate({"n": 2}, {}, entries)[0] == 13 - 5
    assert cubes.evaluate({"n": 2}, {}, entries)[0] == 35 - 5
    assert squares.root.function is cubes.root.function  # the part around the sums: _h0_ - _h1_
    shared = {id(loop.body) for loop in squares.root.loops} & {id(loop.body) for loop in cubes.root.loops}
    assert len(shared) == 1  # the sum of x[i], compiled once; x[i]**2 and x[i]**3 each their own
