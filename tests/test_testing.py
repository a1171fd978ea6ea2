import pytest
import sympy

from derive import Derivation, eq
from derive.testing import assert_derivation, assert_holds, assert_refuted

x = sympy.Symbol("x")


def test_assert_holds_passes_and_fails_with_counterexample_and_seed():
    assert_holds("exp(x) >= 1 + x", proved=True)
    with pytest.raises(AssertionError) as info:
        assert_holds("x**2 >= x", seed=5)
    message = str(info.value)
    assert "refuted (seed 5)" in message
    assert "counterexample at x = 1/2" in message


def test_assert_refuted():
    verdict = assert_refuted("log(x*y) == log(x) + log(y)")
    assert verdict.counterexample.as_dict() == {"x": "-1", "y": "-1"}
    with pytest.raises(AssertionError, match="to be refuted, but it is proved"):
        assert_refuted("exp(x) >= 1 + x")


def test_assert_derivation_message_shows_the_step():
    bad = Derivation("bad", "bad", sympy.Derivative(x**2, x), (eq(x),))
    with pytest.raises(AssertionError) as info:
        assert_derivation(bad)
    assert "step 1 is refuted at x = " in str(info.value)
    good = Derivation("good", "good", sympy.Derivative(x**2, x), (eq(2 * x),))
    assert assert_derivation(good).ok
