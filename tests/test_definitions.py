"""Named definitions: printed folded, expanded for checking; a definition that refers to
itself or redefines a variable in use is an input error."""

from __future__ import annotations

import re
from pathlib import Path

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
        ("<!-- derive: let S = x -->\n<!-- derive: let S = S + 1 -->\n", "definition S refers to itself"),
        ("<!-- derive: let x + 1 = y -->\n", "a definition reads let NAME = EXPR"),
        ("<!-- derive: let S = -->\n", "a definition reads let NAME = EXPR"),
    ],
)
def test_bad_let_directives_are_input_errors(document: str, message: str) -> None:
    from derive.documents import read_text

    with pytest.raises(InputError, match=re.escape(message)):
        read_text("notes.md", document)


def test_a_later_let_replaces_an_earlier_one_from_there_on() -> None:
    """As a later assume does: lecture notes use L for the MSE in one section and for the
    cross entropy in the next, and derive's own LaTeX document does the same."""
    from derive.documents import read_text

    text = "<!-- derive: let S = x -->\n$$\nS = x\n$$\n<!-- derive: let S = 2 x -->\n$$\nS = x\n$$\n"
    first, second = read_text("notes.md", text)
    assert first.derivation is not None and second.derivation is not None
    verdicts = [d.derivation.check(budget=5).steps[0].verdict.status.value for d in (first, second)]  # type: ignore[union-attr]
    assert verdicts == ["proved", "refuted"]


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


# --- definitions with arguments: L(w, b), softmax(z)_k ---------------------------------

w, b, j, k, m = sympy.symbols("w b j k m")
y, z = sympy.IndexedBase("y"), sympy.IndexedBase("z")
LOSS = define("L", sympy.Sum((w * x[i] + b - y[i]) ** 2, (i, 1, m)) / (2 * m), of=(w, b))
SOFTMAX = define("softmax", sympy.exp(z[k]) / sympy.Sum(sympy.exp(z[j]), (j, 1, n)), of=z, index=k)
LENGTHS = (
    Domain()
    .bind(("m",), Interval(sympy.Integer(1), sympy.oo, False, True, True))
    .bind(("n",), Interval(sympy.Integer(1), sympy.oo, False, True, True))
)


def _gradient(last: sympy.Expr) -> Derivation:
    return Derivation(
        name="loss-gradient",
        title="The gradient of $L(w, b)$",
        start=sympy.Derivative(LOSS(w, b), w),
        steps=(eq(last, "differentiate"),),
        domain=LENGTHS,
    )


def test_a_definition_with_arguments_prints_applied_and_is_checked_expanded() -> None:
    right = sympy.Sum((w * x[i] + b - y[i]) * x[i], (i, 1, m)) / m
    d = _gradient(right)
    assert proofs.block(d).splitlines()[1] == r"  & \frac{\partial}{\partial w} L(w, b)\\"
    assert [s.verdict.status.value for s in d.check(budget=10).steps] == ["proved"]
    assert _gradient(2 * right).check(budget=10).steps[0].verdict.status.value == "refuted"


def test_a_definition_with_an_index_prints_folded() -> None:
    d = Derivation(
        name="softmax-sums-to-one",
        title="Softmax sums to one",
        start=sympy.Sum(SOFTMAX(z)[i], (i, 1, n)),
        steps=(eq(sympy.Integer(1), "cancel"),),
        domain=LENGTHS,
    )
    assert proofs.block(d).splitlines()[1] == r"  & \sum_{i=1}^{n} \mathrm{softmax}(z)_{i}\\"
    assert [s.verdict.status.value for s in d.check(budget=10).steps] == ["proved"]


def test_applying_renames_the_bodys_sum_index_apart_from_the_arguments() -> None:
    """softmax(z)_j: the body's own sum over j must not capture the argument j."""
    assert SOFTMAX(z)[j].body == sympy.exp(z[j]) / sympy.Sum(sympy.exp(z[sympy.Symbol("l")]), (sympy.Symbol("l"), 1, n))
    assert LOSS(x[i], 0).body.has(sympy.Sum) and LOSS(x[i], 0).body.free_symbols >= {i}


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda: LOSS(w), "L takes 2 arguments (w, b), not 1"),
        (lambda: SOFTMAX(z)[k, j], "softmax(...) takes 1 index, not 2"),
        (lambda: sympy.Sum(SOFTMAX(z), (i, 1, n)), "softmax(...) takes an index: write softmax(z)[k]"),
        (lambda: list(SOFTMAX(z)), "softmax(...) takes an index"),  # iterating it once never ended
        (lambda: 2 * SOFTMAX(z) + 1, "softmax(...) takes an index"),
        (lambda: SOFTMAX(z + 1)[k], "z is a vector, so its argument is a vector's name"),
        (lambda: LOSS(z, b), "w is a number, so its argument is an expression"),
        (lambda: define("L", w + b, of=(w, w)), "its parameters and indices are distinct names"),
        (lambda: define("L", w + b, of=(w, b), index=w), "its parameters and indices are distinct names"),
        (lambda: define("f", z[k] + sympy.Symbol("z"), of=sympy.Symbol("z"), index=k), "used both as a number"),
        (lambda: define("L", w + sympy.Symbol("L"), of=(w,)), "definition L refers to itself"),
        (lambda: define("g", w + b, of=(w * b,)), "a parameter is a variable or a vector's name"),
        (
            lambda: Derivation("d", "t", LOSS(w, b), (eq(define("L", w, of=(w, b))(w, b)),)),
            "d: L is defined twice",
        ),
    ],
)
def test_bad_definitions_with_arguments_are_input_errors(make, message: str) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(InputError, match=re.escape(message)):
        make()


LOSS_TEXT = "let L(w, b) = Sum((w*x[i] + b - y[i])**2, (i, 1, m))/(2*m)"
SOFTMAX_TEXT = "let softmax(z)[k] = exp(z[k])/Sum(exp(z[j]), (j, 1, n))"
LENGTH_TEXT = ["m >= 1", "m integer", "n >= 1", "n integer"]


@pytest.mark.parametrize(
    ("claim", "code", "said"),
    [
        ("diff(L(w, b), w) == Sum((w*x[i] + b - y[i])*x[i], (i, 1, m))/m", 0, "proved"),
        ("diff(L(w, b), w) == Sum((w*x[i] + b - y[i])*x[i], (i, 1, m))", 1, "refuted"),
        ("L(0, 0) == Sum(y[i]**2, (i, 1, m))/(2*m)", 0, "proved"),
        ("Sum(softmax(z)[i], (i, 1, n)) == 1", 0, "proved"),
        ("Sum(softmax(z)[i], (i, 1, n)) == n", 1, "refuted"),
        ("L(w) == 1", 2, "L takes 2 arguments (w, b), not 1"),
        ("L == 1", 2, "L takes arguments: write L(w, b)"),
        ("L(w, b)[k] == 1", 2, "L(...) takes no index"),
        ("softmax(z) == 1", 2, "softmax(...) takes an index: write softmax(z)[k]"),
        ("softmax(z + 1)[k] == 1", 2, "z is a vector"),
    ],
)
def test_let_with_arguments_in_assumption_text(claim: str, code: int, said: str, capsys) -> None:  # type: ignore[no-untyped-def]
    from derive.cli import main

    args = ["verify", claim]
    for a in [LOSS_TEXT, SOFTMAX_TEXT, *LENGTH_TEXT]:
        args += ["--assume", a]
    assert main(args) == code
    out = capsys.readouterr()
    assert said in out.out + out.err


@pytest.mark.parametrize(
    ("assume", "said"),
    [
        ("let L(w, w) = w", "its parameters and indices are distinct names"),
        ("let L(w) = L(w) + 1", "definition L refers to itself"),
        ("let L() = 1", "names at least one"),
        ("let L(w + 1) = w", "invalid variable name 'w + 1'"),
        ("let Sum(x) = x", "Sum is a built-in name"),
        ("let L(w)[k, k] = w", "its parameters and indices are distinct names"),
    ],
)
def test_bad_let_with_arguments_in_text(assume: str, said: str, capsys) -> None:  # type: ignore[no-untyped-def]
    from derive.cli import main

    assert main(["verify", "x == x", "--assume", assume]) == 2
    assert said in capsys.readouterr().err


@pytest.mark.parametrize(
    ("claim", "code", "said"),
    [
        (r"\frac{\partial}{\partial w} L(w, b) = \frac{1}{m} \sum_{i=1}^{m} (w x_i + b - y_i) x_i", 0, "proved"),
        (r"\sum_{i=1}^{n} \mathrm{softmax}\left(z\right)_{i} = 1", 0, "proved"),
        (r"\sum_{i=1}^{n} \mathrm{softmax}(z)_i = n", 1, "refuted"),
        (r"L(w) = 1", 2, "L takes 2 arguments (w, b), not 1"),
        (r"L(w, b)_k = 1", 2, "L(...) takes no subscript"),
        (r"\mathrm{softmax}(z) = 1", 2, r"\mathrm{softmax}(...) takes an index: write \mathrm{softmax}(z)_{k}"),
        (r"\mathrm{softmax}(z)_q = 1", 2, "q is not an index"),
    ],
)
def test_let_with_arguments_in_latex_claims(claim: str, code: int, said: str, capsys) -> None:  # type: ignore[no-untyped-def]
    from derive.cli import main

    args = ["verify", "--latex", claim]
    for a in [LOSS_TEXT, SOFTMAX_TEXT, *LENGTH_TEXT]:
        args += ["--assume", a]
    assert main(args) == code
    out = capsys.readouterr()
    assert said in out.out + out.err


LECTURE = r"""# Linear regression and softmax

<!-- derive: assume x in data(m); y in data(m); m >= 1; m integer -->
<!-- derive: let L(w, b) = \frac{1}{2m} \sum_{i=1}^{m} (w x_i + b - y_i)^2 -->

$$
\frac{\partial}{\partial w} L(w, b) = \frac{1}{m} \sum_{i=1}^{m} (w x_i + b - y_i) x_i
$$

<!-- derive: assume z[i] real; n >= 1; n integer -->
<!-- derive: let \mathrm{softmax}(z)_k = \frac{e^{z_k}}{\sum_{j=1}^{n} e^{z_j}} -->

$$
\sum_{i=1}^{n} \mathrm{softmax}(z)_i = 1
$$

<!-- derive: expect refuted -->
$$
L(0, b) = \frac{1}{m} \sum_{i=1}^{m} (b - y_i)^2
$$
"""


def test_a_document_defines_functions_with_let() -> None:
    from derive.documents import read_text

    displays = read_text("lecture.md", LECTURE)
    verdicts = [[s.verdict.status.value for s in d.derivation.check(budget=10).steps] for d in displays]  # type: ignore[union-attr]
    assert verdicts == [["proved"], ["proved"], ["refuted"]]
    assert "L(w, b)" in proofs.block(displays[0].derivation)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("document", "message"),
    [
        (
            "<!-- derive: let L(w) = L(w) + 1 -->\n",
            "lecture.md:1: let L(w) = L(w) + 1: definition L(w) refers to itself",
        ),
        ("<!-- derive: let \\bar{x} = \\bar{x} + 1 -->\n", "definition \\bar{x} refers to itself"),
        ("<!-- derive: let L(w, w) = w -->\n", "its parameters and indices are distinct names"),
        ("<!-- derive: let L(w + 1) = w -->\n", "a definition's parameters are names such as w, b or z, not w + 1"),
        ("<!-- derive: let \\mathrm{f}(z)_{12} = z_1 -->\n", "a definition's index is one letter"),
        ("<!-- derive: assume w > 0 -->\n<!-- derive: let w(x) = x -->\n", "w(x) redefines a variable already in use"),
        ("<!-- derive: let L(w) = w -->\n$$\nL(w, 1) = 1\n$$\n", "L takes 1 argument (w), not 2"),
    ],
)
def test_bad_let_with_arguments_directives(document: str, message: str) -> None:
    from derive.documents import read_text

    with pytest.raises(InputError, match=re.escape(message)):
        for display in read_text("lecture.md", document):
            if display.problem:
                raise InputError(display.problem)


def test_the_latex_document_declares_definitions_with_arguments_and_reads_them_back() -> None:
    from derive.documents import declarations, read_text

    d = _gradient(sympy.Sum((w * x[i] + b - y[i]) * x[i], (i, 1, m)) / m)
    assert declarations(d)[-1].startswith(
        r"let L(w, b) = \frac{\sum_{i=1}^{m} \left(b + w x_{i} - y_{i}\right)^{2}}{2 m}"
    )
    (display,) = read_text("back.tex", proofs.section_of(d.check(budget=10)))
    assert display.derivation is not None
    assert [s.verdict.status.value for s in display.derivation.check(budget=10).steps] == ["proved"]


def test_a_vector_argument_makes_its_numbered_subscripts_entries() -> None:
    r"""softmax(z)_1 = sigma(z_1 - z_2): z_1 is z's first entry, as z is softmax's vector
    (a new user's true claim was refuted with z_1 read as a variable z1)."""
    from derive.documents import read_text

    text = (
        "<!-- derive: let \\mathrm{softmax}(z)_k = \\frac{e^{z_k}}{\\sum_{j=1}^{n} e^{z_j}} -->\n"
        "<!-- derive: assume 2 <= n <= 2; n integer -->\n$$\n\\mathrm{softmax}(z)_1 = \\sigma(z_1 - z_2)\n$$\n"
    )
    (display,) = read_text("two.md", text)
    assert display.derivation is not None
    assert display.derivation.check(budget=10).steps[0].verdict.status.value in ("proved", "tested")
    from derive.latex_reader import parse_latex_claim

    claim = parse_latex_claim(r"\mathrm{softmax}(z)_1 = \sigma(z_1 - z_2)", [SOFTMAX_TEXT, "2 <= n <= 2", "n integer"])
    assert z[1] in claim.rhs.atoms(sympy.Indexed)


@pytest.mark.parametrize(
    ("formula", "message"),
    [
        ("L(w) = 1", "lecture.md:4: L takes 2 arguments (w, b), not 1"),
        (r"\mathrm{softmax}(z) = 1", r"lecture.md:4: \mathrm{softmax}(...) takes an index"),
        (r"\mathrm{softmax}(z + c)_k = 1", "z is a vector, so its argument is a vector's name"),
    ],
)
def test_a_definition_used_against_its_let_is_an_error_in_a_document(formula: str, message: str, capsys) -> None:  # type: ignore[no-untyped-def]
    """Not a display derive cannot read (a warning, exit 0): the author's own let says what is meant (exit 2)."""
    from derive.cli import main

    lets = (
        "<!-- derive: let L(w, b) = w + b -->\n"
        "<!-- derive: let \\mathrm{softmax}(z)_k = \\frac{e^{z_k}}{\\sum_{j=1}^{n} e^{z_j}} -->\n"
        "<!-- derive: assume 1 <= k <= n -->\n"
    )
    with pytest.MonkeyPatch.context() as mp:
        import tempfile

        folder = tempfile.mkdtemp()
        mp.chdir(folder)
        (Path(folder) / "lecture.md").write_text(lets + f"$$ {formula} $$\n", encoding="utf-8")
        assert main(["check", "lecture.md", "--no-cache"]) == 2
    assert message in capsys.readouterr().err


def test_a_folded_definition_in_a_written_product_takes_no_brackets() -> None:
    """A new user's 2 \\bar{x} \\frac{1}{m} \\sum x_i printed as 2 \\left(\\bar{x}\\right) ...:
    SymPy brackets a factor that holds a sum, and a definition's body does."""
    from derive.documents import read_text

    text = "<!-- derive: let \\bar{x} = \\frac{1}{n} \\sum_{i=1}^{n} x_i -->\n$$\n2 \\bar{x} \\frac{1}{n} x_1 = 0\n$$\n"
    (display,) = read_text("notes.md", text)
    assert display.derivation is not None
    assert proofs.block(display.derivation).splitlines()[1] == r"  & 2 \bar{x} \frac{1}{n} x_{1}\\"


def test_a_vector_whose_length_does_not_fit_its_index_is_said_in_words() -> None:
    """y in simplex(n), summed to m inside L: undecided, saying why, with no internal exception name."""
    from derive.documents import read_text

    text = (
        "<!-- derive: let L(w, b) = \\frac{1}{2m} \\sum_{i=1}^{m} (w x_i + b - y_i)^2 -->\n"
        "<!-- derive: assume y in simplex(n) -->\n"
        "$$\n\\frac{\\partial}{\\partial b} L(w, b) = \\frac{1}{m} \\sum_{i=1}^{m} (w x_i + b - y_i)\n$$\n"
    )
    (display,) = read_text("clash.md", text)
    verdict = display.derivation.check(budget=10).steps[0].verdict  # type: ignore[union-attr]
    assert verdict.status.value == "undecided"
    assert "cannot be evaluated: y[2] is outside y, which has 1 entries (n = 1 here)" in verdict.detail
    assert "derive.errors" not in verdict.detail
