"""docs/ is generated from the derivations by `derive docs`; the committed copy must
match what the derivations give now."""

from __future__ import annotations

import difflib
from pathlib import Path

import pytest

from derive import docs, registry
from derive.cli import DOCS_BUDGET
from derive.derivation import Derivation, check_derivation, eq
from derive.parsing import parse_expr_text

ROOT = Path(__file__).resolve().parent.parent / "docs"


@pytest.mark.slow
@pytest.mark.xdist_group("registry")
def test_committed_docs_are_up_to_date(registry_results: list) -> None:
    expected = docs.pages(registry_results, seed=0, budget=DOCS_BUDGET)
    stale = [p for p, text in expected.items() if not (ROOT / p).is_file() or (ROOT / p).read_text("utf-8") != text]
    extra = [p.name for p in (ROOT / "derivations").glob("*.md") if f"derivations/{p.name}" not in expected]
    first = ""
    if stale and (ROOT / stale[0]).is_file():
        old = (ROOT / stale[0]).read_text("utf-8").splitlines()
        first = "\n".join(list(difflib.unified_diff(old, expected[stale[0]].splitlines(), lineterm=""))[:40])
    assert not stale and not extra, f"run `derive docs` and commit docs/: stale {stale[:5]}, extra {extra[:5]}\n{first}"
    for figure in docs.FIGURES:
        assert (ROOT / "figures" / f"{figure.name}.png").is_file(), figure.name
    for page in docs.HANDWRITTEN:
        assert (ROOT / page).is_file(), page


def test_pages_escape_author_text_and_write_replaces_stale_pages(tmp_path: Path) -> None:
    result = check_derivation(registry.get("log2-derivative-erratum"), budget=5)
    page = docs.derivation_page(result)
    assert "**REFUTED**" in page and "*Counterexample:* $x = 1$" in page and "*Diagnosis:* constant factor" in page
    assert "$$\n\\begin{aligned}" in page and "\\tag" not in page
    (tmp_path / "derivations").mkdir()
    (tmp_path / "derivations" / "gone.md").write_text("old", encoding="utf-8")
    docs.write(tmp_path, {"derivations/log2-derivative-erratum.md": page}, figures=False)
    assert [p.name for p in (tmp_path / "derivations").iterdir()] == ["log2-derivative-erratum.md"]
    assert docs.markdown_text("<script>x</script> [a](b)") == "&lt;script&gt;x&lt;/script&gt; \\[a\\](b)"


def test_figure_data_comes_from_the_article_expressions() -> None:
    rows = {f.name: docs.figure_csv(f).splitlines() for f in docs.FIGURES}
    gradients = dict(zip(rows["gradients"][0].split(","), rows["gradients"][-1].split(","), strict=True))
    assert float(gradients["|dL/dz| cross entropy (y = 0)"]) == pytest.approx(1, abs=1e-4)  # z = 10
    assert float(gradients["|dL/dz| MSE (y = 0)"]) < 1e-3
    entropy = [line.split(",") for line in rows["binary-entropy"][1:]]
    assert max(float(h) for _, h in entropy) == pytest.approx(1, abs=1e-4)
    kl = rows["kl-gaussians"][1].split(",")
    assert float(kl[1]) == 0.0  # equal Gaussians


def test_a_diagnosis_on_a_page_is_math() -> None:
    page = docs.derivation_page(check_derivation(registry.get("log2-derivative-erratum"), budget=5))
    assert (
        r"*Diagnosis:* constant factor: $\mathrm{lhs} = \frac{\mathrm{rhs}}{\log{\left(2 \right)}^{2}}$"
        r" ($\ln 2$ written where $1/\ln 2$ belongs)." in page
    )


@pytest.mark.parametrize(
    ("start", "step", "counterexample", "diagnosis"),
    [
        ("Sum(x[i] + 1, (i, 1, n))", "Sum(x[i], (i, 1, n))", "$n = 1$, $x_{1} = 0$",
         r"one term: dropping $\sum_{i=1}^{n} 1$ on the lhs makes it hold"),
        ("log(Sum(x[i]**2, (i, 1, n))) + Sum(x[i], (i, 1, n))", "Sum(x[i], (i, 1, n))",
         r"$n = 1$, $x_{1} = \frac{1}{2}$",
         r"one term: dropping $\log{\left(\sum_{i=1}^{n} x_{i}^{2} \right)}$ on the lhs makes it hold"),
    ],
)  # fmt: skip
def test_a_counterexample_and_a_sum_in_a_diagnosis_are_math_in_markdown(
    start: str, step: str, counterexample: str, diagnosis: str
) -> None:
    r"""Markdown's escaping leaves the ``$...$`` alone: ``x_{1}``, not ``x\[1\]``."""
    derivation = Derivation("sum-step", "A step over a sum", parse_expr_text(start), (eq(parse_expr_text(step)),))
    line = docs._step_line(check_derivation(derivation, budget=10), 0)
    assert f"*Counterexample:* {counterexample};" in line
    assert f"*Diagnosis:* {diagnosis}." in line


def test_one_derivation_is_counted_in_the_singular() -> None:
    from derive import registry
    from derive.docs import index_page
    from derive.proofs import _intro

    results = [registry.get("log-of-product").check()]
    assert "1 derivation, 1 step: 1 proved" in index_page(results, 0, 60)
    assert "1 of 1 meets its expectation" in index_page(results, 0, 60)
    intro = _intro(results, 0, 60)
    assert "1 derivation, 1 step: 1 proved" in intro
    assert "1 derivation meets its expectation, 0 do not." in intro
