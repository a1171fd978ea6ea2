"""LaTeX out: golden blocks, escaping and name validation, determinism, and the full
document compiled by pdflatex (which cannot skip under CI=true)."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
import sympy

from derive import proofs, registry
from derive.cli import main
from derive.derivation import Derivation, check_derivation, eq
from derive.errors import InputError
from derive.latex import latex, symbol_latex, text
from derive.parsing import parse_expr_text
from tests.conftest import require_tool

GOLDEN = Path(__file__).parent / "golden"
GOLDEN_NAMES = (
    "sigmoid-derivative",
    "log2-derivative-erratum",
    "kl-jensen-as-written",
    "ce-base2-gradient-w",
    # steps as written (derive.writing): the article's forms, checked evaluated
    "kl-nonnegative",
    "mse-batch-gradient-w",
    "sigmoid-derivative-at-zero",
    "likelihood-to-cross-entropy",
)


@pytest.mark.parametrize("name", GOLDEN_NAMES)
def test_block_matches_golden_file(name: str) -> None:
    produced = proofs.block(check_derivation(registry.get(name))) + "\n"
    path = GOLDEN / f"{name}.tex"
    if os.environ.get("DERIVE_UPDATE_GOLDEN") == "1":
        path.write_text(produced, encoding="utf-8")
    assert produced == path.read_text(encoding="utf-8"), f"regenerate with DERIVE_UPDATE_GOLDEN=1 if intended: {name}"


@pytest.mark.parametrize(
    ("expr", "expected"),
    [
        (sympy.log(sympy.Symbol("x"), 2), r"\log_{2}{\left(x \right)}"),
        (sympy.Symbol("sigma") * (sympy.Symbol("x") + 1), r"\sigma \cdot \left(x + 1\right)"),
        (sympy.exp(-sympy.Symbol("z")), "e^{- z}"),
        (sympy.Symbol("mu2") ** 2, r"\mu_{2}^{2}"),
        (sympy.Symbol("xy"), r"\mathrm{xy}"),
        (sympy.Symbol("x") / sympy.log(2), r"\frac{x}{\log{\left(2 \right)}}"),
    ],
)
def test_notation(expr: sympy.Expr, expected: str) -> None:
    assert latex(expr) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Sum(p[i]*log(p[i]), (i, 1, n))", r"\sum_{i=1}^{n} p_{i} \log{\left(p_{i} \right)}"),
        ("-Sum(p[i]*log(q[i]), (i, 1, n))", r"- \sum_{i=1}^{n} p_{i} \log{\left(q_{i} \right)}"),
        ("Sum(-p[i]*log(q[i]), (i, 1, n))", r"\sum_{i=1}^{n} \left(- p_{i} \log{\left(q_{i} \right)}\right)"),
        ("Sum(x[i]**2, (i, 1, n))", r"\sum_{i=1}^{n} x_{i}^{2}"),
        ("Sum((x[i] - mu)**2, (i, 1, n))", r"\sum_{i=1}^{n} \left(- \mu + x_{i}\right)^{2}"),
        ("Sum(x[i] - mu, (i, 1, n - 1))", r"\sum_{i=1}^{n - 1} \left(- \mu + x_{i}\right)"),
        ("Sum((y[i] - a[i])**2, (i, 1, m))/m", r"\frac{\sum_{i=1}^{m} \left(- a_{i} + y_{i}\right)^{2}}{m}"),
        ("Sum(Sum(w[j]*x[i, j], (j, 1, d)), (i, 1, m))", r"\sum_{i=1}^{m} \sum_{j=1}^{d} w_{j} x_{i,j}"),
        ("Sum(x[i + 1] - x[i], (i, 2, n))", r"\sum_{i=2}^{n} \left(x_{i + 1} - x_{i}\right)"),
        ("Product(theta[k], (k, 1, n))", r"\prod_{k=1}^{n} \theta_{k}"),
        ("Sum(x[i], (i, 1, n))*y", r"y \sum_{i=1}^{n} x_{i}"),
        ("Sum(x[i], (i, 1, n))*Sum(y[j], (j, 1, n))", r"\left(\sum_{i=1}^{n} x_{i}\right) \sum_{j=1}^{n} y_{j}"),
        ("Sum(x[i], (i, 1, n))**2", r"\left(\sum_{i=1}^{n} x_{i}\right)^{2}"),
        ("x[1] + x[k] + w_out[k]", r"{w_{\mathrm{out}}}_{k} + x_{1} + x_{k}"),
    ],
)
def test_general_size_notation(text: str, expected: str) -> None:
    assert latex(parse_expr_text(text)) == expected


@pytest.mark.parametrize(
    "name",
    [r"\input{/etc/passwd}", r"}\immediate\write18{id}{", "x$", "a b", "x_1_2", "_x", "x1_y", "é", "x" * 40, ""],
)
def test_names_that_could_inject_latex_are_rejected(name: str) -> None:
    with pytest.raises(InputError, match="cannot be typeset"):
        symbol_latex(name)


def test_text_is_escaped() -> None:
    escaped = text(r"\input{/etc/passwd} \write18{rm -rf ~} 100% $x$ #1 a_b ^")
    assert "\\input" not in escaped and "\\write18" not in escaped
    assert re.fullmatch(r"([^\\{}$#%^_~&]|\\[a-zA-Z]+\{\}|\\[{}$#%_&]|\\[\^~]\{\}|\$[<>|]\$)*", escaped)


def test_bad_name_fails_before_anything_is_written(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    source = tmp_path / "evil.py"
    source.write_text(
        "import sympy\nfrom derive import Derivation, eq\n"
        "x = sympy.Symbol(r'\\input{/etc/passwd}')\n"
        "DERIVATIONS = [Derivation(name='evil', title='t', start=x + x, steps=(eq(2 * x),))]\n",
        encoding="utf-8",
    )
    output = tmp_path / "out.tex"
    assert main(["latex", str(source), "-o", str(output)]) == 2
    assert "cannot be typeset" in capsys.readouterr().err
    assert not output.exists() and not list(tmp_path.glob(".*.tmp"))


def test_title_and_note_are_text_not_latex() -> None:
    x = sympy.Symbol("x")
    d = Derivation(name="t", title=r"\input{/etc/passwd}", note=r"\write18{id}", start=x + x, steps=(eq(2 * x),))
    section = proofs.section_of(check_derivation(d, budget=5))
    assert r"\input" not in section and r"\write18" not in section


def test_latex_output_is_byte_identical_across_processes() -> None:
    names = ["log2-derivative-erratum", "bce-one-sample-as-written", "entropy-binary-bounds"]
    outputs = []
    for hash_seed in ("1", "2"):
        env = {**os.environ, "PYTHONHASHSEED": hash_seed}
        run = subprocess.run(
            [sys.executable, "-m", "derive", "latex", *names], capture_output=True, text=True, env=env, check=False
        )
        assert run.returncode == 0, run.stderr
        outputs.append(run.stdout)
    assert outputs[0] == outputs[1]
    assert outputs[0].count(r"\begin{align*}") == 3


def test_latex_command_writes_a_document(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    output = tmp_path / "two.tex"
    assert main(["latex", "log2-derivative-erratum", "log2-derivative", "-o", str(output)]) == 0
    tex = output.read_text(encoding="utf-8")
    assert tex.startswith(r"\documentclass") and tex.rstrip().endswith(r"\end{document}")
    assert r"\section{Errata}" in tex and r"\section{Examples}" in tex
    assert "wrote" in capsys.readouterr().out


@pytest.mark.slow
@pytest.mark.xdist_group("registry")
def test_full_document_compiles_with_pdflatex(tmp_path: Path, registry_results: list) -> None:
    pdflatex = require_tool("pdflatex")
    failed = [str(r) for r in registry_results if not r.ok]
    assert not failed, failed
    tex = proofs.document(registry_results, seed=0, budget=60)
    (tmp_path / "proofs.tex").write_text(tex, encoding="utf-8")
    assert r"\section{Errata}" in tex and tex.count(r"\begin{align*}") >= len(registry.derivations())
    for _ in range(2):
        run = subprocess.run(
            [pdflatex, "-interaction=nonstopmode", "-halt-on-error", "proofs.tex"],
            cwd=tmp_path, capture_output=True, text=True, timeout=300, check=False,
        )  # fmt: skip
        assert run.returncode == 0, run.stdout[-3000:]
    log = (tmp_path / "proofs.log").read_text(encoding="latin-1")
    assert (tmp_path / "proofs.pdf").stat().st_size > 10_000
    assert "Overfull \\hbox" not in log, re.findall(r"Overfull \\hbox.*", log)
    assert "LaTeX Warning" not in log, re.findall(r"LaTeX Warning.*", log)


def test_a_word_ending_in_an_accent_is_a_word() -> None:
    """``that`` is a variable named that, not t with a hat; ``\\hat{t}`` is not read as it."""
    from derive.errors import ParseError
    from derive.latex_reader import parse_latex

    assert symbol_latex("that") == r"\mathrm{that}" and symbol_latex("what") == r"\mathrm{what}"
    assert symbol_latex("xhat") == r"\hat{x}"
    assert parse_latex(latex(sympy.Symbol("that"))) == sympy.Symbol("that")
    with pytest.raises(ParseError, match="a word"):
        parse_latex(r"\hat{t}")


def test_a_diagnosis_row_sets_its_formulas_as_math() -> None:
    from derive import check, parse_claim

    summary = proofs.verdict_summary(check(parse_claim("diff(log(x, 2), x) == log(2)/x", ["x > 0"])))
    row = r"\text{diagnosis: constant factor: $\textstyle \mathrm{lhs} = \frac{\mathrm{rhs}}{\log{\left(2 \right)}^{2}}"
    assert row in summary
    assert "log(2)**2" not in summary


def test_a_long_diagnosis_wraps_between_its_formulas() -> None:
    """Each row of a wrapped diagnosis is one ``\\text{...}`` whose ``$...$`` are whole."""
    from derive.verdict import Counterexample, Diagnosis, Status, Verdict

    formula = r"\log{\left(\sum_{i=1}^{n} \frac{p_{i}^{2}}{q_{i}} \right)}"
    sentence = f"one term: dropping ${formula}$ on the lhs makes it hold, and so does ${formula}$ on the rhs"
    diagnosis = Diagnosis("one term", "(text)", "claim", "proved", sentence)
    verdict = Verdict(Status.REFUTED, "numeric", 0, counterexample=Counterexample((("x[1]", "0"),), "1", "2"),
                      diagnosis=diagnosis)  # fmt: skip
    rows = [row for row in proofs.verdict_summary(verdict).splitlines() if "diagnosis" in row or formula in row]
    assert len(rows) >= 2
    assert all(row.count("$") % 2 == 0 for row in rows)
    assert sum(row.count(f"$\\textstyle {formula}$") for row in rows) == 2
    assert r"x_{1} = 0" in proofs.verdict_summary(verdict)


def test_a_wrong_step_kept_on_purpose_says_so_in_its_heading() -> None:
    """A student reading a document's PDF sees why a step is REFUTED (expect refuted)."""
    from derive.documents import read_text

    (display,) = read_text("a.md", "<!-- derive: expect refuted -->\n$$ 1 = 2 $$\n")
    assert display.derivation is not None
    assert proofs.heading(display.derivation).endswith(r"\quad (a wrong step, kept on purpose)")
