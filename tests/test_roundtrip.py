"""Everything derive writes, derive reads back: the LaTeX document of `derive latex -o`
and the pages of `derive docs` are documents that `derive check` checks, with the
declarations derive wrote into them, and the verdicts come back the same."""

from __future__ import annotations

from pathlib import Path

import pytest

from derive import docs, documents, proofs, registry
from derive.cli import DOCS_BUDGET
from derive.derivation import DerivationResult, check_many
from derive.latex import latex
from derive.verdict import Status
from derive.writing import evaluated

ROOT = Path(__file__).resolve().parent.parent


def _read_back(displays: list[documents.Display], results: list[DerivationResult]) -> dict[str, list[Status]]:
    readable = [d for d in displays if d.derivation is not None]
    checked = check_many([d.derivation for d in readable], budget=DOCS_BUDGET, seed=0, jobs=2)  # type: ignore[misc]
    assert all(r.ok for r in checked), [str(r) for r in checked if not r.ok]
    return {r.derivation.name: [s.verdict.status for s in r.steps] for r in checked}


def _compare(original: list[DerivationResult], back: dict[str, list[Status]], displays: list) -> None:
    by_name = {r.derivation.name: r for r in original}
    unread = {d.label: d.problem for d in displays if d.derivation is None}
    # a same-maximiser chain is the one construct a document cannot state (it needs the variables maximised over)
    assert all("same-maximiser" in problem for problem in unread.values()), unread
    for name, statuses in back.items():
        steps = by_name[name].steps
        assert len(statuses) == len(steps), name
        for status, step in zip(statuses, steps, strict=True):
            refuted = step.verdict.status is Status.REFUTED
            assert (status is Status.REFUTED) == refuted, (name, step.index, status, step.verdict.status)


@pytest.mark.slow
@pytest.mark.xdist_group("registry")
def test_the_latex_document_reads_back(registry_results: list, tmp_path: Path) -> None:
    path = tmp_path / "proofs.tex"
    path.write_text(proofs.document(registry_results, seed=0, budget=DOCS_BUDGET), "utf-8")
    displays = documents.read_path(path)
    names = {d.derivation.name for d in displays if d.derivation is not None}
    assert len(names) + sum(d.derivation is None for d in displays) == len(registry_results)
    _compare(registry_results, _read_back(displays, registry_results), displays)


@pytest.mark.slow
@pytest.mark.xdist_group("registry")
def test_the_docs_pages_read_back(registry_results: list, tmp_path: Path) -> None:
    pages = docs.pages(registry_results, seed=0, budget=DOCS_BUDGET)
    for relative, text in pages.items():
        (tmp_path / relative).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / relative).write_text(text, "utf-8")
    displays = documents.read_path(tmp_path / "derivations")
    _compare(registry_results, _read_back(displays, registry_results), displays)


def test_the_committed_docs_folder_is_a_document_derive_reads() -> None:
    """`derive check docs/` reads every page: hand-written pages have no display it
    cannot read, and every generated page declares what its display needs."""
    displays = documents.read_path(ROOT / "docs")
    unread = [(d.label, d.problem) for d in displays if d.derivation is None]
    assert all("same-maximiser" in problem for _, problem in unread), unread
    assert len(displays) >= len(list((ROOT / "docs" / "derivations").glob("*.md")))


def test_every_registered_step_keeps_its_structure_through_a_document(tmp_path: Path) -> None:
    """LaTeX -> reader -> printer keeps the author's structure: each registered
    derivation's block, written into a document with its declarations, reads back
    (as `derive check` reads it) to starts and steps that print character for character
    as before, and that are the same expressions once evaluated (what is checked)."""
    chains = [d for d in registry.derivations() if d.over == ()]  # a same-maximiser chain is not stated in LaTeX
    parts: list[str] = []
    for d in chains:
        parts += [f"% derive: {line}\n" for line in documents.declarations(d)]
        parts.append(proofs.block(d) + "\n\n")
    path = tmp_path / "all.tex"
    path.write_text("".join(parts), "utf-8")
    read = {d.derivation.name: d.derivation for d in documents.read_path(path) if d.derivation is not None}
    assert set(read) == {d.name for d in chains}
    changed = []
    for d in chains:
        back = read[d.name]
        printed = [latex(e) for e in d.expressions()]
        printed_back = [latex(e) for e in back.expressions()]
        if printed_back != printed:
            changed.append((d.name, [(a, b) for a, b in zip(printed, printed_back, strict=True) if a != b][:1]))
        sides = [(evaluated(c.lhs), evaluated(c.rhs)) for c in back.claims()]
        assert sides == [(evaluated(c.lhs), evaluated(c.rhs)) for c in d.claims()], d.name
    assert changed == []
    assert sum(s.written for d in read.values() for s in d.steps) >= sum(len(d.steps) for d in chains) // 2
