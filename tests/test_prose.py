"""Titles, notes and reasons with math: ``$...$`` is math, ``>=`` is ``\\ge``, ``p_i`` is a
subscript, and nothing an author writes reaches LaTeX as a command derive did not allow."""

from __future__ import annotations

import dataclasses
import re

import pytest

from derive import proofs, registry
from derive.docs import derivation_page
from derive.prose import in_math, latex_text, markdown, segments


@pytest.mark.parametrize(
    ("prose", "expected"),
    [
        ("p_i * q_i/p_i = q_i", "$p_{i}$ * $q_{i}$/$p_{i}$ = $q_{i}$"),
        ("KL >= 0, x <= 1, p != q, z -> oo", r"KL $\ge$ 0, x $\le$ 1, p $\ne$ q, z $\to$ $\infty$"),
        ("the basis vector e_1", "the basis vector $e_{1}$"),
        ("D_KL(p || q)", r"$D_{\mathrm{KL}}$(p $\Vert$ q)"),
        ("p_hat_j = c_j / N", r"$\hat{p}_{j}$ = $c_{j}$ / N"),
        ("sigma^2 and (1 - p)^2", r"$\sigma^{2}$ and (1 - p)${}^{2}$"),
        ("d/dp_j of log_2 x", r"d/$dp_{j}$ of $\log_{2}$ x"),
        (r"for $p \ne q$ on the simplex", r"for $p \ne q$ on the simplex"),
        (r"$\bar{x} = \frac{1}{n} \sum_{i=1}^{n} x_i$", r"$\bar{x} = \frac{1}{n} \sum_{i=1}^{n} x_i$"),
        ("50% & #1 costs $5", r"50$\%$ $\&$ $\#$1 costs \$5"),
        ("a {b} ~ c\\d", r"a \{b\} $\sim$ c$\backslash$d"),
        ("snake_case_name stays readable", r"$\mathrm{snake}_{\mathrm{case,name}}$ stays readable"),
        ("café", "caf?"),
    ],
)
def test_latex_text(prose: str, expected: str) -> None:
    assert latex_text(prose) == expected


@pytest.mark.parametrize(
    "prose",
    [r"$\input{/etc/passwd}$", r"$\immediate\write18{id}$", "$x^^5c$", "$}{$", r"$\def\x{1}$", "$a & b$", "$%$"],
)
def test_math_that_could_inject_latex_is_text(prose: str) -> None:
    assert not any(is_math and "\\" in piece and "input" in piece for is_math, piece in segments(prose))
    out = latex_text(prose)
    assert r"\input" not in out and r"\write" not in out and r"\def" not in out and "^^" not in out, out
    assert not re.search(r"(?<!\\)\$\$", out), out


def test_adjacent_formulas_never_make_a_display() -> None:
    assert segments("||a_i||^2") == [(True, r"\Vert a_{i} \Vert {}^{2}")]
    assert "$$" not in latex_text("x_i$y$") and "$$" not in markdown("x_i$y$")


def test_math_in_a_display_row_and_in_markdown() -> None:
    assert in_math("holds (lhs >= rhs)") == r"\text{holds (lhs $\ge$ rhs)}"
    assert markdown("p_i * q_i [*]") == r"$p_{i}$ \* $q_{i}$ \[\*\]"
    assert markdown("KL(p || q)", table=True) == r"KL(p $\Vert$ q)"
    assert markdown(r"$|x|$ and a|b", table=True) == r"$\vert x\vert $ and a$\vert$b"


def test_no_claims_line_without_claim_ids() -> None:
    derivation = registry.get("log-of-product")
    bare = dataclasses.replace(derivation, source=())
    assert "claims" not in proofs.heading(bare)
    assert "claims: C2" in proofs.heading(dataclasses.replace(derivation, source=("C2",)))
    result = bare.check(budget=5)
    assert "claims" not in derivation_page(result) and "claims" not in proofs.section_of(result)
