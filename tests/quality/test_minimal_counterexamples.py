"""Deliberately wrong steps, each refuted with a counterexample shrunk to simple values."""

import pytest

from derive import check, parse_claim
from derive.verdict import Status

WRONG_STEPS = [
    # a base-2 log derivative with ln 2 where 1/ln 2 belongs
    ("diff(log(x, 2), x) == log(2)/x", ["x > 0"], {"x": "1"}),
    # a sigmoid derivative with 1 + sigma for 1 - sigma
    ("diff(sigmoid(z), z) == sigmoid(z)*(1 + sigmoid(z))", [], {"z": "0"}),
    # a derivative with the sign flipped
    ("diff(-log(sigmoid(w*x)), w) == x*(1 - sigmoid(w*x))", [], {"w": "0", "x": "1"}),
    # log of a product without positivity
    ("log(x*y) == log(x) + log(y)", [], {"x": "-1", "y": "-1"}),
    # Jensen the wrong way for a concave function
    ("p*log(x) + (1 - p)*log(y) >= log(p*x + (1 - p)*y)", ["0 < p < 1", "x > 0", "y > 0"], None),
    # a mini-batch loss missing its 1/m
    ("((a1 - y1)**2 + (a2 - y2)**2)/2 == ((a1 - y1)**2 + (a2 - y2)**2)/4", [], None),
    # a dropped term
    ("(x + y)**2 == x**2 + y**2", [], {"x": "1", "y": "1"}),
    # bits against nats
    ("log(x, 2) == log(x)*log(2)", ["x > 0"], {"x": "1/2"}),
    # a binary entropy bound that is too tight (max is log 2 nats)
    ("-(p*log(p) + (1 - p)*log(1 - p)) <= 1/2", ["0 < p < 1"], {"p": "1/2"}),
]


@pytest.mark.parametrize(("text", "assume", "point"), WRONG_STEPS, ids=[w[0] for w in WRONG_STEPS])
def test_wrong_step_is_refuted_minimally(text, assume, point):
    verdict = check(parse_claim(text, assume))
    assert verdict.status is Status.REFUTED, str(verdict)
    ce = verdict.counterexample
    assert ce is not None
    if point is not None:
        assert ce.as_dict() == point
    for value in ce.as_dict().values():
        # minimal: small numerators and denominators
        assert len(value.replace("-", "").replace("/", "")) <= 4, value
