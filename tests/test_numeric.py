from fractions import Fraction

import mpmath
import numpy as np
import pytest

from derive.claim import DataSet, Interval, Simplex, integers, interval, positive, reals
from derive.numeric import _Evaluator, _largest, confirm
from derive.parsing import parse_claim


def outcome(text, **point):
    claim = parse_claim(text)
    names = tuple(sorted(point))
    evaluator = _Evaluator(claim, names)
    return confirm(evaluator, claim.relation, tuple((n, Fraction(point[n])) for n in names)).kind


@pytest.mark.parametrize(
    ("text", "point", "kind"),
    [
        # a real gap, visible only once precision exceeds the cancellation
        ("(10**80 + x)**2 - 10**160 - 2*10**80*x == 0", {"x": Fraction(1, 3)}, "fails"),
        # an identity whose terms cancel beyond 1000 digits: round-off, not a failure
        ("(10**1200 + x)**2/10**2400 - 1 - 2*x/10**1200 == x**2/10**2400", {"x": Fraction(1, 3)}, "agrees"),
        # an exact tie fails a strict inequality ...
        ("exp(x) > 1 + x", {"x": 0}, "fails"),
        # ... a tie at 60 and 120 digits that is not exact does not
        ("log(1 + exp(x)) > x", {"x": 408}, "agrees"),
        # tiny but real values are not round-off
        ("sigmoid(z) > 0", {"z": -706}, "agrees"),
        ("x + 1/10**20 == x", {"x": 1}, "fails"),
        ("log(x) <= 0", {"x": -1}, "invalid"),
        ("1/x == 1/x", {"x": 0}, "invalid"),
    ],
)
def test_confirm(text, point, kind):
    assert outcome(text, **point) == kind


class _StablyWrong(_Evaluator):
    """An evaluator whose fixed-precision arithmetic is consistently wrong by 1."""

    def exact(self, point, dps):
        return mpmath.mpc(1), mpmath.mpc(0)


@pytest.mark.parametrize(("text", "kind"), [("x**2 == x*x", "ambiguous"), ("x**2 == x", "fails")])
def test_a_stable_gap_is_confirmed_by_exact_evaluation(text, kind):
    claim = parse_claim(text)
    evaluator = _StablyWrong(claim, ("x",))
    assert confirm(evaluator, claim.relation, (("x", Fraction(3)),)).kind == kind


@pytest.mark.parametrize(
    "domain",
    [reals(), positive(), interval(0, 1), interval(-1, 1, False, False), integers(), integers(1, 5),
     Interval(hi=positive().lo), Simplex(4), DataSet(3)],
)  # fmt: skip
def test_samplers_stay_inside_their_domain(domain):
    rng = np.random.default_rng(0)
    rows = domain.sample(rng, 2000)
    assert rows.shape == (2000, domain.width())
    assert np.all(np.isfinite(rows))
    for row in rows[:300]:
        values = tuple(Fraction(float(v)) for v in row)
        if isinstance(domain, Simplex):
            head = [v.limit_denominator(10**12) for v in values[:-1]]
            values = (*head, 1 - sum(head))
        assert domain.contains(values), (domain, row)


def test_sampling_is_seeded():
    a = reals().sample(np.random.default_rng(3), 10)
    b = reals().sample(np.random.default_rng(3), 10)
    assert np.array_equal(a, b)


def _domains():
    """Every domain the article's claims are sampled on (fixed-size claims and the
    smallest instances of general ones), and one without variables."""
    from derive import registry
    from derive.claim import Domain
    from derive.sizes import _Program, assignments, is_general

    found = [Domain()]
    for derivation in registry.derivations():
        for claim in derivation.claims():
            if is_general(claim):
                program = _Program.of(claim)
                found += [program.domain(values) for values in list(assignments(claim, 0))[:2]]
            else:
                found.append(claim.domain.complete(claim.names()))
    return found


def test_the_float_grid_is_the_exact_grid_converted_row_by_row():
    from derive.numeric import _grid_combos, _grid_matrix

    domains = _domains()
    assert len(domains) > 100 and any(len(d.bindings) > 3 for d in domains)
    for domain in domains:
        for limit in (400, 7):
            rows = [[float(v) for _, point in combo for v in point] for combo in _grid_combos(domain, limit)]
            matrix = _grid_matrix(domain, limit)
            assert matrix.shape == (len(rows), len(domain.names())), domain
            assert matrix.tolist() == rows, domain


def test_the_points_looked_at_are_those_a_full_stable_sort_picks() -> None:
    """``_largest`` (a partial selection) picks the same points, in the same order, as
    sorting every score: ties (equal scores, 0.0 and -0.0) in index order."""
    rng = np.random.default_rng(1)
    for trial in range(2000):
        n, k = int(rng.integers(0, 300)), int(rng.integers(0, 20))
        score = np.round(rng.normal(size=n), int(rng.integers(0, 3)))
        if trial % 7 == 0 and n:
            score[rng.integers(0, n, size=n // 3)] = -0.0
        indices = np.sort(rng.choice(n, size=int(rng.integers(0, n + 1)), replace=False)) if n else np.arange(0)
        expected = indices[np.argsort(-score[indices], kind="stable")][:k]
        assert _largest(indices, score, k).tolist() == expected.tolist()
