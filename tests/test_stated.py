"""Assumptions on the page: every derivation states its domain in words and symbols in
the LaTeX document, the docs pages and ``_repr_latex_`` (golden files in tests/golden)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from derive import docs, proofs, registry
from derive.derivation import check_derivation
from derive.stated import domain_clause

GOLDEN = Path(__file__).parent / "golden"


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("log-of-product", "$x, y > 0$"),
        ("kl-nonnegative", r"$p, q$ on the $n$-simplex and integers $n \ge 1$"),
        ("kl-positive-for-different-distributions", r"$(p_{1}, p_{2}), (q_{1}, q_{2})$ on the probability simplex"),
        ("kl-gaussians", r"real $\mu_{1}, \mu_{2}$ and $\sigma_{1}, \sigma_{2} > 0$"),
        ("entropy-binary-increasing", r"$0 < p < \frac{1}{2}$"),
        ("mse-batch-gradient-w", r"$0 \le y_{i} \le 1$, integers $m \ge 1$ and real $b, w, x_{i}$"),
        ("softmax-ce-gradient", r"$y$ on the $n$-simplex, $1 \le k \le n$, integers $n \ge 1$ and real $z_{i}$"),
        ("gaussian-mle-mean", r"$x$ a data set of $n$ real points, integers $n \ge 1$ and $\sigma > 0$"),
        ("bernoulli-mle", r"integers $0 \le x_{i} \le 1$ and integers $n \ge 1$"),
        ("sigmoid-derivative-limit-plus", ""),
    ],
)
def test_domain_clause(name: str, expected: str) -> None:
    d = registry.get(name)
    assert domain_clause(d.domain, d.expressions()) == expected


def test_every_registered_derivation_states_its_variables() -> None:
    for d in registry.derivations():
        names = {s.name for e in d.expressions() for s in e.free_symbols}
        assert bool(proofs.domain_sentence(d)) == bool(names), d.name
        assert proofs.domain_sentence(d) in d._repr_latex_() or not names, d.name


def _golden(name: str, produced: str) -> None:
    path = GOLDEN / name
    if os.environ.get("DERIVE_UPDATE_GOLDEN") == "1":
        path.write_text(produced, encoding="utf-8")
    assert produced == path.read_text(encoding="utf-8"), f"regenerate with DERIVE_UPDATE_GOLDEN=1 if intended: {name}"


def test_jupyter_derivation_golden() -> None:
    _golden("repr-kl-nonnegative.tex", registry.get("kl-nonnegative")._repr_latex_() + "\n")
    _golden("repr-claim-kl-gaussians.tex", registry.get("kl-gaussians").claims()[0]._repr_latex_() + "\n")


def test_document_section_and_docs_page_golden() -> None:
    result = check_derivation(registry.get("log2-derivative-erratum"), budget=5)
    _golden("section-log2-derivative-erratum.tex", proofs.section_of(result))
    _golden("page-log2-derivative-erratum.md", docs.derivation_page(result))


def test_a_named_definition_is_stated_with_the_domain() -> None:
    assert proofs.domain_sentence(registry.get("gaussian-mle-mean")) == (
        r"For $x$ a data set of $n$ real points, integers $n \ge 1$ and $\sigma > 0$, "
        r"where $\bar{x} = \frac{\sum_{j=1}^{n} x_{j}}{n}$."
    )
    assert r"\bar{x}" in registry.get("gaussian-mle-mean")._repr_latex_()


def test_only_the_variables_a_display_uses_are_stated() -> None:
    """A document's assumptions hold to its end; a display is stated over its own variables
    (a new user's variance display said "for y on the n-simplex, 1 <= k <= n")."""
    from derive.documents import read_text
    from derive.proofs import domain_sentence

    text = (
        "<!-- derive: assume y in simplex(n); 1 <= k <= n; x in data(m); m >= 1; m integer -->\n"
        "$$\n\\sum_{i=1}^{m} x_i = \\sum_{i=1}^{m} x_i\n$$\n"
    )
    (display,) = read_text("notes.md", text)
    assert display.derivation is not None
    assert domain_sentence(display.derivation) == "For $x$ a data set of $m$ real points and integers $m \\ge 1$."
