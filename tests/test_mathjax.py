"""Every formula derive writes for Markdown (docs/) or Jupyter (``_repr_latex_``)
typesets in MathJax 3, the renderer of GitHub and Jupyter: no TeX error, and no
literal backslash set as text (MathJax reads ``\\text{p\\_i}`` as the characters
``p\\_i``). The real renderer runs: mathjax-full from npm under Node
(``npm ci --prefix tests/mathjax``), one process for all formulas. Without Node or
mathjax-full the tests skip on a laptop and fail under ``CI=true``.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from collections.abc import Iterable, Sequence
from pathlib import Path

import pytest
from markdown_it import MarkdownIt
from mdit_py_plugins.dollarmath import dollarmath_plugin

from derive import docs, proofs, registry

HERE = Path(__file__).resolve().parent
SCRIPT = HERE / "mathjax" / "typeset.js"
DOCS = HERE.parent / "docs"

Formula = tuple[str, str, bool]
"""Where it comes from, its TeX, and whether it is a display."""


def _renderer() -> list[str]:
    """The command that typesets formulas, or a skip (a failure under CI=true) saying what is missing."""
    node = shutil.which("node")
    missing = ""
    if node is None:
        missing = "node is not installed (apt-get install nodejs npm)"
    elif not (SCRIPT.parent / "node_modules" / "mathjax-full").is_dir():
        missing = "mathjax-full is not installed (npm ci --prefix tests/mathjax)"
    if missing:
        if os.environ.get("CI") == "true":
            pytest.fail(f"{missing}: required in CI")
        pytest.skip(missing)
    return [str(node), str(SCRIPT)]


def typeset_problems(formulas: Sequence[Formula]) -> list[str]:
    """``WHERE: problem`` for each formula MathJax cannot typeset or sets with a backslash in its text."""
    payload = json.dumps([{"tex": tex, "display": display} for _, tex, display in formulas])
    done = subprocess.run(_renderer(), input=payload, capture_output=True, text=True, timeout=600, check=False)
    assert done.returncode == 0, done.stderr[-2000:]
    answers = json.loads(done.stdout)
    assert len(answers) == len(formulas)
    problems = []
    for (where, tex, _), answer in zip(formulas, answers, strict=True):
        if answer["error"]:
            problems.append(f"{where}: MathJax error {answer['error']!r} in {tex[:300]!r}")
        bad = [t for t in answer["texts"] if "\\" in t]
        if bad:
            problems.append(f"{where}: a backslash set as text {bad[:3]!r}")
    return problems


def markdown_formulas(path: Path, text: str) -> list[Formula]:
    """The math of a Markdown page as GitHub reads it: ``$...$``, ``$$...$$`` and ```` ```math ```` blocks
    (code spans and other code blocks are not math)."""
    parser = MarkdownIt("commonmark").use(dollarmath_plugin, double_inline=True)
    out: list[Formula] = []

    def walk(tokens: Iterable, line: int) -> None:
        for token in tokens:
            here = token.map[0] + 1 if token.map else line
            if token.type in ("math_inline", "math_inline_double", "math_block"):
                out.append((f"{path}:{here}", token.content, token.type != "math_inline"))
            elif token.type == "fence" and token.info.strip() == "math":
                out.append((f"{path}:{here}", token.content, True))
            if token.children:
                walk(token.children, here)

    walk(parser.parse(text), 1)
    return out


def test_every_docs_formula_typesets() -> None:
    pages = sorted(DOCS.rglob("*.md"))
    formulas = [f for page in pages for f in markdown_formulas(page.relative_to(DOCS.parent), page.read_text("utf-8"))]
    assert len(pages) > 60 and len(formulas) >= 60, (len(pages), len(formulas))
    problems = typeset_problems(formulas)
    assert not problems, f"{len(problems)} formulas of docs/ do not typeset cleanly:\n" + "\n".join(problems[:20])


def test_every_registered_derivation_step_and_claim_typesets_in_jupyter() -> None:
    formulas: list[Formula] = []
    for d in registry.derivations():
        formulas.append((d.name, d._repr_latex_(), True))
        formulas += [(f"{d.name} step {i}", s._repr_latex_(), True) for i, s in enumerate(d.steps, 1)]
        formulas += [(f"{d.name} claim {i}", c._repr_latex_(), True) for i, c in enumerate(d.claims(), 1)]
    problems = typeset_problems(formulas)
    assert not problems, f"{len(problems)} _repr_latex_ do not typeset cleanly:\n" + "\n".join(problems[:20])


@pytest.mark.slow
@pytest.mark.xdist_group("registry")
def test_every_result_and_verdict_typesets_in_jupyter(registry_results: list) -> None:
    formulas: list[Formula] = []
    for r in registry_results:
        name = r.derivation.name
        formulas.append((f"{name} result", r._repr_latex_(), True))
        for s in r.steps:
            formulas.append((f"{name} step {s.index} verdict", s.verdict._repr_latex_(), True))
            formulas += [(f"{name} step {s.index} {label}", v._repr_latex_(), True) for label, v in s.conditions]
    problems = typeset_problems(formulas)
    assert not problems, f"{len(problems)} _repr_latex_ do not typeset cleanly:\n" + "\n".join(problems[:20])


def test_diagnoses_and_counterexamples_typeset_in_markdown_and_latex_rows() -> None:
    """The formulas of a diagnosis (a factor with a log, a sum) and of a counterexample
    (entries ``x_{1}``), on a Markdown page and in the rows of a display."""
    from derive.derivation import Derivation, check_derivation, eq
    from derive.parsing import parse_expr_text

    sums = Derivation(
        "sum-step", "A step over a sum", parse_expr_text("log(Sum(x[i]**2, (i, 1, n))) + Sum(x[i], (i, 1, n))"),
        (eq(parse_expr_text("Sum(x[i], (i, 1, n))")),),
    )  # fmt: skip
    formulas: list[Formula] = []
    for derivation in (registry.get("log2-derivative-erratum"), sums):
        result = check_derivation(derivation, budget=10)
        page = docs.derivation_page(result)
        verdicts = page[page.index("## Verdicts") :]
        formulas += markdown_formulas(Path(f"{derivation.name}.md"), verdicts)
        formulas.append((f"{derivation.name} rows", proofs.block(result), True))
    problems = typeset_problems(formulas)
    assert not problems, "\n".join(problems)
    inline = [tex for _, tex, display in formulas if not display]
    assert any(r"\log{\left(2 \right)}^{2}" in tex for tex in inline), inline
    assert any(r"\sum_{i=1}^{n}" in tex for tex in inline) and "x_{1} = \\frac{1}{2}" in inline, inline


@pytest.mark.parametrize(
    ("tex", "expected"),
    [
        (r"\text{p\_i q\_i}", "a backslash set as text"),
        (r"\frac{1}{", "MathJax error"),
        (r"\write18{id}", "MathJax error"),
        (r"\text{for $p_{i} \ge 0$}", ""),
    ],
)
def test_the_check_itself_sees_what_goes_wrong(tex: str, expected: str) -> None:
    problems = typeset_problems([("here", tex, True)])
    assert (expected in problems[0]) if expected else not problems, problems
