"""LaTeX in: the documented subset reads as the text syntax does, ambiguous or
unsupported input is rejected with a message naming the part, and every step of
every registered derivation survives a round trip through derive's own LaTeX."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import sympy

from derive import check, registry
from derive.claim import Domain
from derive.cli import main
from derive.definitions import Defined, used_definitions
from derive.errors import ParseError
from derive.latex import latex
from derive.latex_reader import parse_latex, parse_latex_claim
from derive.parsing import parse_assumption, parse_claim, parse_expr_text
from derive.writing import as_written, evaluated


def _all_expressions() -> list[tuple[str, int, sympy.Expr, Domain]]:
    return [(d.name, i, e, d.domain) for d in registry.derivations() for i, e in enumerate(d.expressions())]


def _folded(expr: sympy.Expr) -> sympy.Expr:
    """A plain definition as the variable a reader without its let reads (one with
    arguments is read applied, as the document's let makes it)."""
    return expr.replace(lambda e: isinstance(e, Defined) and e.definition is None, lambda e: sympy.Symbol(e.name))


def test_every_registered_step_round_trips() -> None:
    """LaTeX -> reader -> printer keeps the author's structure: what derive prints of
    every start and step reads back (as a document reads it, held as written) to an
    expression that prints the same, character for character, and that is the same
    expression once evaluated (what is checked)."""
    for name, i, defined, domain in _all_expressions():
        tex = latex(defined)
        functions = {d.name: d.definition for d in used_definitions([defined]) if d.definition}
        back = parse_latex(tex, domain, functions or None, as_read=True)
        assert latex(as_written(back)) == tex, (name, i)
        # a definition prints as its name, and a reader without its let reads a variable
        assert evaluated(back) == _folded(evaluated(defined)), (name, i)
    assert len(_all_expressions()) > 150


@pytest.mark.parametrize(
    ("tex", "text"),
    [
        (r"\frac{1}{2} x^{2}", "x**2/2"),
        (r"\sqrt{x} + \sqrt[3]{y}", "sqrt(x) + y**(1/3)"),
        (r"\log_2 x", "log(x, 2)"),
        (r"\log_{2}(x)", "log2(x)"),
        (r"\ln x + \log(y)", "log(x) + log(y)"),
        (r"e^{x} + e", "exp(x) + E"),
        (r"\exp(-z) \cdot 2", "2*exp(-z)"),
        (r"\sigma(z) (1 - \sigma(z))", "sigmoid(z)*(1 - sigmoid(z))"),
        (r"\sigma \cdot (x + 1)", "sigma*(x + 1)"),
        (r"\sigma_{1}^{2}", "sigma1**2"),
        (r"2xy", "2*x*y"),
        (r"\mathrm{lr} \cdot \theta", "lr*theta"),
        (r"x_1 + x_{12} + w_{\mathrm{out}}", "x1 + x12 + w_out"),
        (r"\left( a + b \right)^{2}", "(a + b)**2"),
        (r"\left[ a \right] / b c", "a/b*c"),
        (r"\frac{\partial}{\partial w} (w x + b)^2", "diff((w*x + b)**2, w)"),
        (r"\frac{d}{dz} \sigma(z)", "diff(sigmoid(z), z)"),
        (r"\frac{d^{2}}{dx^{2}} x^{3}", "diff(x**3, x, 2)"),
        (r"\frac{d}{2}", "d/2"),
        (r"\sum_{j=1}^{3} y_j \log a_j", "y1*log(a1) + y2*log(a2) + y3*log(a3)"),
        (r"\left| x \right| + \lvert y \rvert", "abs(x) + abs(y)"),
        (r"\tanh x - \cos(x) \sin x", "tanh(x) - cos(x)*sin(x)"),
        (r"0.25 x", "x/4"),
        (r"\pi r^2", "pi*r**2"),
        (r"- \frac{1}{m} \cdot y", "-y/m"),
    ],
)
def test_reads_as_the_text_syntax_does(tex: str, text: str) -> None:
    assert parse_latex(tex).doit() == parse_expr_text(text).doit()


DOC = Path(__file__).resolve().parent.parent / "docs" / "latex-input.md"


def _doc_table(heading: str) -> list[tuple[str, str]]:
    text = DOC.read_text(encoding="utf-8").split(heading, 1)[1]
    rows = []
    for line in text.splitlines():
        if line.startswith("| `"):
            cells = [c.strip() for c in re.split(r"(?<!\\)\|", line.strip("|"))]
            rows.append((cells[0].strip("`").replace("\\|", "|"), cells[1].strip("`").replace("\\|", "|")))
        elif rows and not line.startswith("|"):
            break
    return rows


def test_documented_readings() -> None:
    rows = _doc_table("## What is read, and how")
    assert len(rows) >= 20
    for tex, text in rows:
        assert parse_latex(tex).doit() == parse_expr_text(text).doit(), tex


def test_documented_rejections() -> None:
    rows = _doc_table("## What is rejected, and why")
    assert len(rows) >= 15
    for tex, message in rows:
        with pytest.raises(ParseError) as caught:
            parse_latex(tex)
        assert message in str(caught.value), (tex, str(caught.value))


def test_big_operators() -> None:
    n, i, x, z = sympy.symbols("n i x z")
    assert parse_latex(r"\sum_{i=1}^{n} i") == sympy.Sum(i, (i, 1, n))
    assert parse_latex(r"\lim_{z \to 0^{+}} \frac{1}{z}") == sympy.Limit(1 / z, z, 0, "+")
    assert parse_latex(r"\lim_{z \to 0} z") == sympy.Limit(z, z, 0, "+-")
    xr = sympy.Symbol("x", real=True)
    assert parse_latex(r"\int_{0}^{1} x^2 + 1 \, dx") == sympy.Integral(xr**2 + 1, (xr, 0, 1))
    assert parse_latex(r"\left. x^{2} \right|_{x=3}") == sympy.Subs(x**2, x, 3)


@pytest.mark.parametrize(
    ("tex", "message"),
    [
        (r"\log x / y", r"ambiguous argument of \\log: does / divide inside it or after it\?"),
        (r"x^23", r"write \^\{23\}"),
        (r"x^{2}^{3}", "double superscript"),
        (r"\frac{dy}{dx}", r"not \\frac\{df\}\{dx\}"),
        (r"\frac{d}{dx}", "derivative of what"),
        (r"E[x]", "E is ambiguous"),
        (r"e_1", "Euler's number"),
        (r"|x|", r"\\left\| x \\right\|"),
        (r"\input{/etc/passwd}", r"unsupported LaTeX command \\input"),
        (r"\immediate\write18{id}", r"unsupported LaTeX command \\immediate"),
        (r"\mathbb{E}[x]", r"write \\mathbb\{E\}_\{p\}"),
        (r"2 3", "two numbers side by side"),
        (r"n!", "factorial"),
        (r"\sum_{i=1}^{n} x_j", "j is not an index"),
        (r"\int_0^1 x", "ends with its differential"),
        (r"x & y", "not part of a claim"),
        (r"\left( x", r"to close \\left\("),
        (r"x_{1.5}", "letters or digits"),
        (r"\theta_{\alpha}", "letters or digits"),
        ("α + 1", "not allowed"),
        (r"\frac{1}{2", "expected '}'"),
        ("(" * 80 + "x" + ")" * 80, "nesting deeper"),
        ("x+" * 2500 + "x", "characters long"),
        (r"10^{10^{10}}", "too large"),
        (r"\frac{d^{50}}{dx^{50}} x", "from 1 to 10"),
        (r"\mathrm{\_\_import\_\_}", "letters and digits"),
        (r"\mathrm{I}", "imaginary unit"),
    ],
)
def test_rejected_with_a_message_naming_the_part(tex: str, message: str) -> None:
    with pytest.raises(ParseError, match=message):
        parse_latex(tex)


# Notation as authors write it (issue item 9): each reads to exactly the tree of its
# text form (no .doit()), and that tree prints to LaTeX that reads back to it.
AUTHORS = [
    # \frac and \sqrt without braces take one token each, as TeX does
    (r"\frac13", "1/3"),
    (r"\frac 13", "1/3"),
    (r"\frac94\pi", "9*pi/4"),
    (r"\frac{1}2", "1/2"),
    (r"\frac1{2} x", "x/2"),
    (r"\frac x2", "x/2"),
    (r"\frac\pi2", "pi/2"),
    (r"\frac e2", "E/2"),
    (r"\frac12^2", "1/4"),
    (r"\frac13 4 x", "4*x/3"),
    (r"\frac12 3", "3/2"),
    (r"\sqrt2 3", "3*sqrt(2)"),
    (r"\sqrt2", "sqrt(2)"),
    (r"\sqrt 2", "sqrt(2)"),
    (r"\sqrt x", "sqrt(x)"),
    (r"\sqrt\theta", "sqrt(theta)"),
    (r"\sqrt2 x", "sqrt(2)*x"),
    (r"\sqrt x^3", "x**(3/2)"),
    (r"\sqrt[3]8", "2"),
    (r"\cfrac{a}{b}", "a/b"),
    (r"\cfrac[l]{1}{1 + x}", "1/(1 + x)"),
    (r"\dfrac{a}{b} + \tfrac12", "a/b + 1/2"),
    (r"\cfrac{d}{dx} x^2", "diff(x**2, x)"),
    # a braceless argument: the factors side by side, up to + - relation \cdot or a function
    (r"2 \sin b \cos a", "2*sin(b)*cos(a)"),
    (r"\sin 2x", "sin(2*x)"),
    (r"\log 2 x", "log(2*x)"),
    (r"\log x y", "log(x*y)"),
    (r"\log x^2", "log(x**2)"),
    (r"\sin \pi x + 1", "sin(pi*x) + 1"),
    (r"\sin \frac{\pi}{2} x", "sin(pi*x/2)"),
    (r"\sin 2(x + 1)", "sin(2*(x + 1))"),
    (r"\ln x \cdot \ln 2", "log(x)*log(2)"),
    (r"\log 2 \cdot x", "log(2)*x"),
    (r"\log 2 \times x", "log(2)*x"),
    (r"\log x \log y", "log(x)*log(y)"),
    (r"\log \log x", "log(log(x))"),
    (r"\log \sin x \cos y", "log(sin(x))*cos(y)"),
    (r"\sin x \sigma(z)", "sin(x)*sigmoid(z)"),
    (r"\log x \sum_{i=1}^{n} y_i", "log(x)*Sum(y[i], (i, 1, n))"),
    (r"\log x \frac{d}{dx} x^2", "log(x)*diff(x**2, x)"),
    (r"\sin(x) y", "sin(x)*y"),
    (r"\sin -x + 1", "sin(-x) + 1"),
    (r"\log x \, y", "log(x*y)"),
    (r"\log_2 2x", "log(2*x, 2)"),
    # a power on a function's name raises its value
    (r"\tan^2(y)", "tan(y)**2"),
    (r"\sin^2 x", "sin(x)**2"),
    (r"\sin^{2} x", "sin(x)**2"),
    (r"\sin^{2}{\left(x \right)}", "sin(x)**2"),
    (r"\sin^2 2x", "sin(2*x)**2"),
    (r"\cos^{n} x", "cos(x)**n"),
    (r"\log^2 x", "log(x)**2"),
    (r"\log_2^2 x", "log(x, 2)**2"),
    (r"\log^2_2 x", "log(x, 2)**2"),
    (r"\sinh^2 x - \cosh^2 x", "sinh(x)**2 - cosh(x)**2"),
    # inverse trigonometric functions (\operatorname{asin} is how derive's printer writes asin)
    (r"\arcsin x + \arccos x + \arctan x", "asin(x) + acos(x) + atan(x)"),
    (r"\operatorname{asin}^{2}{\left(x \right)}", "asin(x)**2"),
    (r"\operatorname{acos}(x) + \operatorname{atan} y", "acos(x) + atan(y)"),
    # decimals, exact
    (r".4", "2/5"),
    (r"0.4", "2/5"),
    (r".25 x", "x/4"),
    (r"1.5", "3/2"),
]


@pytest.mark.parametrize(("tex", "text"), AUTHORS)
def test_reads_notation_as_authors_write_it(tex: str, text: str) -> None:
    assert parse_latex(tex) == parse_expr_text(text)


@pytest.mark.parametrize(("tex", "text"), AUTHORS)
def test_notation_round_trips_through_the_printer(tex: str, text: str) -> None:
    expr = parse_expr_text(text)
    assert parse_latex(latex(expr)) == expr


def test_claim_ends_a_braceless_argument() -> None:
    claim = parse_latex_claim(r"\sin x - \cos x = \log 2 x")
    x = sympy.Symbol("x")
    assert (claim.lhs, claim.rhs) == (sympy.sin(x) - sympy.cos(x), sympy.log(2 * x))


x_, y_ = sympy.symbols("x y")

# Functions outside the text syntax: compared with SymPy's own.
OTHER_FUNCTIONS = [
    (r"\sec x", sympy.sec(x_)),
    (r"\csc x", sympy.csc(x_)),
    (r"\cot x", sympy.cot(x_)),
    (r"\sec^2 x - \tan^2 x", sympy.sec(x_) ** 2 - sympy.tan(x_) ** 2),
    (r"\cot 2x \csc y", sympy.cot(2 * x_) * sympy.csc(y_)),
    (r"\coth x", sympy.coth(x_)),
    (r"\sech x + \csch x", sympy.sech(x_) + sympy.csch(x_)),
    (r"\operatorname{sech}^{2}{\left(x \right)}", sympy.sech(x_) ** 2),
]


@pytest.mark.parametrize(("tex", "expected"), OTHER_FUNCTIONS)
def test_reads_more_functions(tex: str, expected: sympy.Expr) -> None:
    assert parse_latex(tex) == expected
    assert parse_latex(latex(expected)) == expected


@pytest.mark.parametrize(
    ("tex", "message"),
    [
        (r"\log x / y", r"ambiguous argument of \log: does / divide inside it or after it? write \log(...) or "
                        r"\log{...} at column 8"),
        (r"\sin x/2", r"ambiguous argument of \sin"),
        (r"\sin 2 3", "two numbers side by side"),
        (r"x^2 3", "two numbers side by side"),
        (r"\sin", r"\sin needs an argument"),
        (r"\sin + x", r"\sin needs an argument"),
        (r"\sin^{-1} x", r"\sin^{-1} is ambiguous (\arcsin or 1/\sin?): write \arcsin x or (\sin x)^{-1} at column 5"),
        (r"\tan^{-1}(x)", r"\tan^{-1} is ambiguous (\arctan or 1/\tan?)"),
        (r"\log^{-1} x", r"\log^{-1} is ambiguous (the inverse of \log or 1/\log?): write (\log x)^{-1}"),
        (r"\cos^{-2} x", r"a negative power on \cos is ambiguous (an inverse function?): write (\cos x)^{-2}"),
        (r"\sin^{-n} x", r"a negative power on \sin is ambiguous"),
        (r"\sin^2^3 x", "double superscript"),
        (r"\sin^2(x)^3", "double superscript"),
        (r"\sin_2 x", r"\sin takes no subscript"),
        (r"\log_2_3 x", "double subscript"),
        (r"\sin^{10^{10}} x", "too large"),
        (r"\frac123", r"ambiguous 123 after \frac: without braces TeX takes one digit of it; write \frac{...}{...}"),
        (r"\frac{1}23", r"ambiguous 23 after \frac"),
        (r"\frac1.5", r"ambiguous 1.5 after \frac"),
        (r"\sqrt23", r"ambiguous 23 after \sqrt: without braces TeX takes one digit of it; write \sqrt{...}"),
        (r"\sqrt x_1", "a script after its argument x is not part of it"),
        (r"\frac x^2 y", "a script after its argument x is not part of it"),
        (r"\frac\sum2", r"write the argument of \frac in braces"),
        (r"\frac1", "unexpected end of input"),
        (r"\frac E2", "E is ambiguous"),
        (r"\cfrac[x]{1}{2}", r"\cfrac[...] aligns its numerator"),
        (r"\operatorname{foo}(x)", r"\operatorname{foo} is not read; the names read are acos"),
        (r"\operatorname{sin}", r"\operatorname{sin} is not read"),
        (r"\mathrm{a.4}", "a name is letters and digits"),
        (r"\sum_i x_i", r"\sum_i has no range: write \sum_{i=1}^{n} at column 6"),
        (r"\sum_{i} x_i", r"\sum_{i} has no range: write \sum_{i=1}^{n}"),
        (r"\prod_{j \ne k} x_j", r"\prod_{j \ne ...} has no range: write \prod_{j=1}^{n}"),
        (r"f(x + y) - f(x) - f(y)", r"f(...) is ambiguous: a function f is not defined, and a letter is a variable"),
        (r"g\left(2x\right) - 2 g(x)", r"write g \cdot (...) for a product, or define it first: derive: let g(x) ="),
    ],
)  # fmt: skip
def test_notation_rejections(tex: str, message: str) -> None:
    with pytest.raises(ParseError, match=re.escape(message)):
        parse_latex(tex)


@pytest.mark.parametrize(
    ("tex", "text", "assume"),
    [
        (r"\log(x y) = \log x + \log y", "log(x*y) == log(x) + log(y)", ["x > 0", "y > 0"]),
        (r"\log(x y) = \log x + \log y", "log(x*y) == log(x) + log(y)", []),
        (r"\frac{d}{dx} \log_2 x = \frac{\ln 2}{x}", "diff(log(x, 2), x) == log(2)/x", ["x > 0"]),
        (r"e^{x} \ge 1 + x", "exp(x) >= 1 + x", []),
        (r"\sigma(z) (1 - \sigma(z)) \le \frac{1}{4}", "sigmoid(z)*(1 - sigmoid(z)) <= 1/4", []),
        (r"\sum_{j=1}^{2} p_j \log \frac{p_j}{q_j} \geq 0", "p1*log(p1/q1) + p2*log(p2/q2) >= 0",
         ["p1, p2 simplex", "q1, q2 simplex"]),
        (r"2 \sin b \cos a = \sin(a + b) - \sin(a - b)", "2*sin(b)*cos(a) == sin(a + b) - sin(a - b)", []),
        (r"\tan^2(y) + 1 = \frac1{\cos^2 y}", "tan(y)**2 + 1 == 1/cos(y)**2", []),
        (r"\ln x \cdot \ln 2 = \ln 2x", "log(x)*log(2) == log(2*x)", ["x > 0"]),
        (r"\frac13 + .4 = \frac{11}{15}", "1/3 + 2/5 == 11/15", []),
    ],
)  # fmt: skip
def test_same_verdict_as_text_input(tex: str, text: str, assume: list[str]) -> None:
    from_latex, from_text = parse_latex_claim(tex, assume), parse_claim(text, assume)
    sides = (from_latex.lhs.doit(), from_latex.relation, from_latex.rhs.doit())
    assert sides == (from_text.lhs.doit(), from_text.relation, from_text.rhs.doit())
    a, b = check(from_latex, budget=5), check(from_text, budget=5)
    assert (a.status, a.counterexample) == (b.status, b.counterexample)


def test_information_quantities_of_declared_vectors() -> None:
    simplex = ["p1, p2, p3 simplex", "q1, q2, q3 simplex"]
    claim = parse_latex_claim(r"D_{KL}(p \| q) = H(p, q) - H(p)", simplex)
    assert str(claim.lhs) == "KL((p1, p2, p3), (q1, q2, q3))"
    assert check(claim, budget=5).status.value == "proved"
    assert check(parse_latex_claim(r"D_{KL}(p \| q) = H(p) - H(p, q)", simplex), budget=5).status.value == "refuted"
    with pytest.raises(ParseError, match="not a probability vector"):
        parse_latex_claim(r"D_{KL}(p \| r) = 0", simplex)
    with pytest.raises(ParseError, match=re.escape("H(...) is entropy, of a probability vector declared first")):
        parse_latex(r"H(p)")  # not H times p
    expected = parse_latex_claim(r"H(p) = \mathbb{E}_{p}\left[- \log p_i \right]", simplex)
    assert check(expected, budget=5).status.value == "proved"
    with pytest.raises(ParseError, match="not a probability vector"):
        parse_latex(r"\mathbb{E}_{r}[x]")


def test_claim_errors() -> None:
    with pytest.raises(ParseError, match="expected a relation"):
        parse_latex_claim("x + 1")
    with pytest.raises(ParseError, match="one relation"):
        parse_latex_claim("x < y < z")


def test_cli_verify_latex(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["verify", "--latex", r"\frac{d}{dx} \log_2 x = \frac{\ln 2}{x}", "--assume", "x > 0"]) == 1
    out = capsys.readouterr().out
    assert "refuted" in out and "ln 2 written where 1/ln 2 belongs" in out
    assert main(["verify", "--latex", r"\log x / 2 = 1"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "ambiguous argument of \\log" in err
    assert main(["verify", "--latex", r"\sin^{-1} x = 1"]) == 2
    assert r"\sin^{-1} is ambiguous (\arcsin or 1/\sin?)" in capsys.readouterr().err
    assert main(["verify", "--latex", r"\sin^2 x + \cos^2 x = 1"]) == 0
    assert "proved" in capsys.readouterr().out


def _domain(assumptions: tuple[str, ...]) -> Domain:
    domain = Domain()
    for assumption in assumptions:
        domain = domain.bind(*parse_assumption(assumption))
    return domain


FAMILY = ("x[i] > 0",)
INDEX_K = ("1 <= k <= n",)

# General size: each LaTeX reads to exactly the tree of the text syntax (no .doit()).
GENERAL_SIZE = [
    (r"\sum_{i=1}^{n} x_i", "Sum(x[i], (i, 1, n))", ()),
    (r"\sum_{i=1}^{n} x_{i}", "Sum(x[i], (i, 1, n))", ()),
    (r"\sum_{i=1}^{n} x_i^2", "Sum(x[i]**2, (i, 1, n))", ()),
    (r"\sum_{i=1}^{n} p_i \log p_i", "Sum(p[i]*log(p[i]), (i, 1, n))", ()),
    (r"- \sum_{i=1}^{n} p_{i} \log{\left(p_{i} \right)}", "-Sum(p[i]*log(p[i]), (i, 1, n))", ()),
    (r"\frac{1}{m}\sum_{i=1}^{m} (y_i - a_i)^2", "Sum((y[i] - a[i])**2, (i, 1, m))/m", ()),
    (r"\sum_{i=1}^{n} (x_i - \mu)^2 + 1", "Sum((x[i] - mu)**2, (i, 1, n)) + 1", ()),
    (r"\sum_{i=1}^{n} x_i \cdot \sum_{j=1}^{n} y_j", "Sum(x[i]*Sum(y[j], (j, 1, n)), (i, 1, n))", ()),
    (r"\left(\sum_{i=1}^{n} x_i\right) y", "Sum(x[i], (i, 1, n))*y", ()),
    (r"\prod_{i=1}^{n} f_i", "Product(f[i], (i, 1, n))", ()),
    (r"\prod_{j=1}^{3} f_j", "f1*f2*f3", ()),
    (r"\prod_{i=1}^{n} \theta_i", "Product(theta[i], (i, 1, n))", ()),
    (r"\sum_{i=1}^{m} \sum_{j=1}^{d} w_j x_{i,j}", "Sum(Sum(w[j]*x[i, j], (j, 1, d)), (i, 1, m))", ()),
    (r"\sum_{i=1}^{m} \sum_{j=1}^{d} w_j x_{ij}", "Sum(Sum(w[j]*x[i, j], (j, 1, d)), (i, 1, m))", ()),
    (r"\sum_{i=1}^{n} \sum_{j=1}^{3} x_{i,j}", "Sum(Sum(x[i, j], (j, 1, 3)), (i, 1, n))", ()),
    (r"\sum_{i=1}^{n} \sum_{j=1}^{2} x_{i+j}", "Sum(Sum(x[i + j], (j, 1, 2)), (i, 1, n))", ()),
    (r"\sum_{i=1}^{n-1} x_i", "Sum(x[i], (i, 1, n - 1))", ()),
    (r"\sum_{i=2}^{n} x_i", "Sum(x[i], (i, 2, n))", ()),
    (r"\sum_{i=1}^{n-1} (x_{i+1} - x_{i})", "Sum(x[i + 1] - x[i], (i, 1, n - 1))", ()),
    (r"\sum_{i=1}^{n} x_{2 i}", "Sum(x[2*i], (i, 1, n))", ()),
    (r"\sum_{i=1}^{n} i x_i", "Sum(i*x[i], (i, 1, n))", ()),
    (r"\sum_{j=1}^{3} y_j \log a_j", "y1*log(a1) + y2*log(a2) + y3*log(a3)", ()),
    (r"\sum_{j=1}^{2} x_{j+1}", "x2 + x3", ()),
    (r"x_1 + x_{12}", "x1 + x12", ()),
    (r"x_k + \theta_k", "x[k] + theta[k]", INDEX_K),
    (r"\sum_{i=1}^{n} w_i x_{i,k}", "Sum(w[i]*x[i, k], (i, 1, n))", INDEX_K),
    (r"x_{k+1} - x_{k}", "x[k + 1] - x[k]", INDEX_K),
    (r"x_n", "x[n]", ("n integer",)),
    (r"x_1 + x_{12}", "x[1] + x[12]", FAMILY),
    (r"x_{1,2}", "x[1, 2]", FAMILY),
    (r"\sum_{j=1}^{3} x_j", "Sum(x[j], (j, 1, 3))", FAMILY),
    (r"\sum_{j=1}^{3} p_j", "Sum(p[j], (j, 1, 3))", ("p in simplex(n)",)),
    (r"x_1 + y_1", "x[1] + y1", FAMILY),
]


@pytest.mark.parametrize(("tex", "text", "assume"), GENERAL_SIZE)
def test_general_size_reads_as_the_text_syntax_does(tex: str, text: str, assume: tuple[str, ...]) -> None:
    assert parse_latex(tex, _domain(assume)) == parse_expr_text(text)


@pytest.mark.parametrize(("tex", "text", "assume"), GENERAL_SIZE)
def test_general_size_round_trips_through_the_printer(tex: str, text: str, assume: tuple[str, ...]) -> None:
    expr = parse_expr_text(text)
    assert parse_latex(latex(expr), _domain(assume)) == expr


def test_derivative_by_an_entry() -> None:
    w, x = sympy.IndexedBase(sympy.Symbol("w")), sympy.IndexedBase(sympy.Symbol("x"))
    i, k, n = sympy.symbols("i k n")
    expected = sympy.Derivative(sympy.Sum(w[i] * x[i], (i, 1, n)), w[k])
    tex = r"\frac{\partial}{\partial w_k} \sum_{i=1}^{n} w_i x_i"
    assert parse_latex(tex, _domain(INDEX_K)) == expected
    assert latex(expected) == r"\frac{\partial}{\partial w_{k}} \sum_{i=1}^{n} w_{i} x_{i}"
    assert parse_latex(latex(expected), _domain(INDEX_K)) == expected
    claim = parse_latex_claim(tex + " = x_k", ["1 <= k <= n"])
    assert (claim.lhs, claim.rhs) == (expected, x[k])


@pytest.mark.parametrize(
    ("tex", "assume", "message"),
    [
        (r"x_j", (), "x_{j}: j is not an index; sum over it"),
        (r"\sum_{i=1}^{n} x_i + x_j", (), "x_{j}: j is not an index"),
        (r"x_k", (), "x_{k}: k is not an index"),
        (r"x_k", FAMILY, "x_{k}: k is not an index"),
        (r"\frac{\partial}{\partial w_k} w_k", (), "w_{k}: k is not an index"),
        (r"x_{ij}", ("1 <= i <= n",), "x_{i,j}: j is not an index"),
        (r"\sum_{i=1}^{n} x_{i+j}", (), "x_{i + j}: j is not an index"),
        (r"x_{ijk}", ("1 <= i <= n", "1 <= j <= n", "1 <= k <= n"), "at most 2 indices"),
        (r"\sum_{i=1}^{n} x_{i/2}", (), "an index is an integer or an index variable"),
        (r"\sum_{i=1}^{n} x_{\log i}", (), "an index is an integer or an index variable"),
        (r"x_{1,2}", (), "entries by number belong to a declared family"),
        (r"x_{2000}", FAMILY, "out of range"),
        (r"x_{a1}", (), r"x_{\mathrm{a1}} for a name"),
        (r"\sum_{i=1}^{n} \sum_{i=1}^{n} x_i", (), "already in use by an outer sum"),
        (r"\sum_{i=1}^{i} x_i", (), "the bounds of i cannot contain i"),
        (r"\prod_{i=1}^{2.5} x_i", (), r"\prod bounds are integers or lengths"),
        (r"\sum_{j=1}^{200} x_j", (), "at most 100 terms"),
        (r"\prod_{i=1}^{n}", (), "a sum of what"),
    ],
)
def test_general_size_rejections(tex: str, assume: tuple[str, ...], message: str) -> None:
    with pytest.raises(ParseError, match=re.escape(message)):
        parse_latex(tex, _domain(assume))


@pytest.mark.parametrize(
    "tex",
    [
        r"\frac{1}{m} \sum_{i=1}^{m} \left(y_{i} - a_{i}\right)^{2}",
        r"\frac{q p}{q}",
        r"\log{\left(\sum_{i=1}^{n} q_{i} \frac{p_{i}}{q_{i}} \right)}",
        r"e^{z} - y + 1",
        r"- \log{\left(1 \right)}",
        r"\frac{1}{2} \left(1 - \frac{1}{2}\right)",
    ],
)
def test_the_reader_keeps_the_structure_it_read(tex: str) -> None:
    """Nothing is evaluated away: a factor 1/m stays in front, q p / q is not p, the terms
    keep their order; the same expression evaluated is what a claim checks."""
    read = parse_latex(tex, as_read=True)
    assert latex(as_written(read)) == tex
    assert evaluated(read) == parse_latex(tex)


@pytest.mark.parametrize(
    ("tex", "expected"),
    [
        (r"p(1 - p)", "p*(1 - p)"),  # p stands alone too: a product
        (r"a(b + c) - a b", "-a*b + a*(b + c)"),
        (r"x \left(x + 1\right)", "x*(x + 1)"),
        (r"\Gamma(x + 1)", "gamma(x + 1)"),  # the gamma function, as \sigma( is the sigmoid
        (r"\Gamma\left(x\right) - \Gamma x", "-Gamma*x + gamma(x)"),
    ],
)
def test_a_letter_before_a_bracket_is_a_product_only_where_it_also_stands_alone(tex: str, expected: str) -> None:
    assert str(parse_latex(tex)) == expected


def test_an_undefined_function_is_refused_not_proved() -> None:
    # read as f times (x + y), this "additivity" would be proved
    with pytest.raises(ParseError, match=re.escape("f(...) is ambiguous")):
        parse_latex_claim(r"f(x + y) = f(x) + f(y)")
