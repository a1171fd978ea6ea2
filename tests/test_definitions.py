"""Named definitions: printed folded, expanded for checking; a definition that refers to
itself or redefines a variable in use is an input error."""

from __future__ import annotations

import re

import pytest
import sympy

from derive import proofs
from derive.claim import Domain, Interval
from derive.definitions import define
from derive.derivation import Derivation, eq
from derive.errors import InputError

i, n = sympy.symbols("i n")
x = sympy.IndexedBase("x")
XBAR = define("xbar", sympy.Sum(x[i], (i, 1, n)) / n)
SIZES = Domain().bind(("n",), Interval(sympy.Integer(1), sympy.oo, False, True, True))


def _deviations(last: sympy.Expr) -> Derivation:
    return Derivation(
        name="deviations",
        title=r"Deviations from $\bar{x}$ sum to 0",
        start=sympy.Sum(x[i] - XBAR, (i, 1, n)),
        steps=(eq(sympy.Sum(x[i], (i, 1, n)) - n * XBAR, "split the sum"), eq(last, r"definition of $\bar{x}$")),
        domain=SIZES,
    )


def test_a_definition_prints_folded_and_is_checked_expanded() -> None:
    d = _deviations(sympy.Integer(0))
    assert proofs.block(d) == (
        "\\begin{align*}\n"
        "  & \\sum_{i=1}^{n} \\left(x_{i} - \\bar{x}\\right)\\\\\n"
        "  &= - n \\bar{x} + \\sum_{i=1}^{n} x_{i} \\tag*{split the sum}\\\\\n"
        "  &= 0 \\tag*{definition of $\\bar{x}$}\n"
        "\\end{align*}"
    )
    result = d.check(budget=10)
    assert [s.verdict.status.value for s in result.steps] == ["proved", "proved"], result


def test_a_wrong_step_through_a_definition_is_refuted() -> None:
    result = _deviations(sympy.Integer(1)).check(budget=10)
    assert result.steps[1].verdict.status.value == "refuted"


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda: define("x", x[1] + 1), "definition x refers to itself"),
        (lambda: define("s", sympy.Symbol("s") ** 2), "definition s refers to itself"),
        (lambda: define("t", define("s", sympy.Symbol("t")) + 1), "definition t refers to itself"),
        (lambda: define(r"\input", sympy.Integer(1)), "cannot be typeset"),
        (
            lambda: Derivation("d", "t", XBAR + sympy.Symbol("xbar"), (eq(XBAR + sympy.Symbol("xbar")),)),
            "d: definition xbar redefines a variable already in use",
        ),
        (
            lambda: Derivation("d", "t", XBAR, (eq(define("xbar", sympy.Integer(2))),)),
            "d: xbar is defined twice",
        ),
    ],
)
def test_bad_definitions_are_input_errors(make, message: str) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(InputError, match=message.replace("\\", "\\\\")):
        make()


XBAR_TEXT = "let xbar = Sum(x[i], (i, 1, n))/n"
SIZE = ["n >= 1", "n integer"]


@pytest.mark.parametrize(
    ("claim", "assume", "code", "said"),
    [
        ("Sum((x[i] - xbar)**2, (i, 1, n)) == Sum(x[i]**2, (i, 1, n)) - n*xbar**2", [XBAR_TEXT, *SIZE], 0, "proved"),
        ("Sum((x[i] - xbar)**2, (i, 1, n)) == Sum(x[i]**2, (i, 1, n)) - xbar**2", [XBAR_TEXT, *SIZE], 1, "refuted"),
        ("S == 2*x", ["let S = x + x"], 0, "proved"),
        ("T == 4*x", ["let S = x + x", "let T = S + S"], 0, "proved"),
        ("xbar == 1", ["let xbar = xbar + 1"], 2, "definition xbar refers to itself"),
        ("xbar == 1", ["let xbar = y", "xbar > 0"], 2, "xbar is defined with let"),
        ("xbar == 1", ["let xbar = y", "let xbar = 2"], 2, "xbar is defined twice"),
        ("pi == 1", ["let pi = 3"], 2, "pi is a built-in name"),
        ("y == 1", ["let y = __import__('os')"], 2, "names may not start with an underscore"),
        ("y == 1", ["let y = "], 2, "the definition of y has no expression"),
    ],
)
def test_let_in_assumption_text(claim: str, assume: list[str], code: int, said: str, capsys) -> None:  # type: ignore[no-untyped-def]
    from derive.cli import main

    args = ["verify", claim]
    for a in assume:
        args += ["--assume", a]
    assert main(args) == code
    out = capsys.readouterr()
    assert said in out.out + out.err


@pytest.mark.parametrize(
    ("claim", "assume", "code", "said"),
    [
        (r"\sum_{i=1}^{n} (x_i - \bar{x})^2 = \sum_{i=1}^{n} x_i^2 - n \bar{x}^2", [XBAR_TEXT, *SIZE], 0, "proved"),
        (r"\sum_{i=1}^{n} (x_i - \bar{x})^2 = \sum_{i=1}^{n} x_i^2 - \bar{x}^2", [XBAR_TEXT, *SIZE], 1, "refuted"),
        (r"\bar{x} = 1", ["let xbar = y", "xbar > 0"], 2, "xbar is defined with let"),
        (r"\bar{x} = 1", ["let xbar = xbar + 1"], 2, "definition xbar refers to itself"),
        (r"\hat{y} = 1", ["let xbar = y"], 2, r"\hat{y}"),
    ],
)
def test_let_in_latex_claims(claim: str, assume: list[str], code: int, said: str, capsys) -> None:  # type: ignore[no-untyped-def]
    """`derive verify --latex` takes `let` among its assumptions, as the text syntax does."""
    from derive.cli import main

    args = ["verify", "--latex", claim]
    for a in assume:
        args += ["--assume", a]
    assert main(args) == code
    out = capsys.readouterr()
    assert said in out.out + out.err


NOTES = r"""# Sample variance

<!-- derive: assume x in data(n); n >= 1; n integer -->
<!-- derive: let \bar{x} = \frac{1}{n} \sum_{i=1}^{n} x_i -->

$$
\sum_{i=1}^{n} (x_i - \bar{x})^2 = \sum_{i=1}^{n} x_i^2 - n \bar{x}^2
$$

<!-- derive: expect refuted -->
$$
\sum_{i=1}^{n} (x_i - \bar{x})^2 = \sum_{i=1}^{n} x_i^2 - \bar{x}^2
$$
"""


def test_a_document_defines_a_name_with_let() -> None:
    from derive.documents import read_text

    first, second = read_text("notes.md", NOTES)
    assert first.derivation is not None and second.derivation is not None
    assert [s.verdict.status.value for s in first.derivation.check(budget=10).steps] == ["proved"]
    assert [s.verdict.status.value for s in second.derivation.check(budget=10).steps] == ["refuted"]


@pytest.mark.parametrize(
    ("document", "message"),
    [
        ("<!-- derive: let S = S + 1 -->\n", "notes.md:1: let S = S + 1: definition S refers to itself"),
        ("<!-- derive: assume S > 0 -->\n<!-- derive: let S = x -->\n", "S redefines a variable already in use"),
        ("<!-- derive: let S = x -->\n<!-- derive: let S = y -->\n", "notes.md:2: let S = y: S is defined twice"),
        ("<!-- derive: let S = x -->\n<!-- derive: let S = S + 1 -->\n", "definition S refers to itself"),
        ("<!-- derive: let x + 1 = y -->\n", "a definition reads let NAME = EXPR"),
        ("<!-- derive: let S = -->\n", "a definition reads let NAME = EXPR"),
    ],
)
def test_bad_let_directives_are_input_errors(document: str, message: str) -> None:
    from derive.documents import read_text

    with pytest.raises(InputError, match=re.escape(message)):
        read_text("notes.md", document)


def test_the_same_definition_again_is_harmless() -> None:
    from derive.documents import read_text

    (display,) = read_text("notes.md", "<!-- derive: let S = x -->\n<!-- derive: let S = x -->\n$$\nS = x\n$$\n")
    assert display.derivation is not None and display.derivation.check(budget=5).ok


def test_the_latex_document_declares_the_definitions_it_prints() -> None:
    from derive.documents import declarations, read_text

    d = _deviations(sympy.Integer(0))
    assert declarations(d)[-1] == r"let \bar{x} = \frac{\sum_{i=1}^{n} x_{i}}{n}"
    (display,) = read_text("back.tex", proofs.section_of(d.check(budget=10)))
    assert display.derivation is not None
    assert [s.verdict.status.value for s in display.derivation.check(budget=10).steps] == ["proved", "proved"]
