"""Reports on checked documents that an editor and a CI page can point at:
``FILE:LINE:COL: refuted: ...`` lines (as ruff and mypy print them), GitHub Actions
workflow commands, and the JSON of each display.

>>> from derive.documents import Position
>>> github_line("error", Position("notes.md", 8, 11), "refuted: a = b")
'::error file=notes.md,line=8,col=11::refuted: a = b'
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

from derive.derivation import DerivationResult
from derive.verdict import Status

if TYPE_CHECKING:  # the types only: a check that reads no document does not import the reader
    from derive.documents import Display, Position


@dataclass(frozen=True)
class DisplayResult:
    """A display and, when it could be read, its checked derivation."""

    display: Display
    result: DerivationResult | None

    @property
    def ok(self) -> bool:
        """Meets its expectation; a display that could not be read is a warning, not a failure."""
        return self.result is None or self.result.ok


@dataclass(frozen=True)
class Finding:
    """One report line: ``level`` is error, warning or notice."""

    level: str
    position: Position
    message: str
    detail: str = ""


def findings(item: DisplayResult, strict: bool = False) -> Iterator[Finding]:
    """What to say about one display, in order (with ``strict``, a display that
    cannot be read is an error, not a warning)."""
    display, result = item.display, item.result
    if result is None:
        yield Finding("error" if strict else "warning", display.start, display.problem)
        return
    expected = result.derivation.expect == "refuted"
    tested = {s.index for s in result.tested_steps}
    for step in result.steps:
        position = display.positions[step.index - 1]
        verdict = step.verdict
        if verdict.status is Status.REFUTED:
            where = f" {verdict.counterexample}" if verdict.counterexample else ""
            diagnosis = verdict.diagnosis.sentence if verdict.diagnosis else "no simple diagnosis"
            label = "refuted (expected)" if expected else "refuted"
            level = "notice" if expected and result.ok else "error"
            yield Finding(
                level, position, f"{label}: {display.step_text(step.index)}{where}", f"diagnosis: {diagnosis}"
            )
        elif verdict.status is Status.UNDECIDED and not expected:
            yield Finding("error", position, f"undecided: {display.step_text(step.index)} ({verdict.detail})")
        elif step.index in tested:
            yield Finding("notice", position, f"tested, not proved: {display.step_text(step.index)}", verdict.detail)
    if expected and not result.ok:
        yield Finding("error", display.start, "; ".join(result.problems))


def plain_lines(items: list[DisplayResult], strict: bool = False) -> Iterator[str]:
    for item in items:
        for finding in findings(item, strict):
            if finding.level == "warning":
                yield f"{finding.position}: warning: {finding.message}"
            elif finding.level == "error" and item.result is None:
                yield f"{finding.position}: error: {finding.message}"
            else:
                yield f"{finding.position}: {finding.message}"
            if finding.detail:
                yield f"    {finding.detail}"


def github_line(level: str, position: Position, message: str) -> str:
    """A GitHub Actions workflow command (``::error file=...,line=...,col=...::message``)."""
    where = f"file={position.path},line={position.line}" + (f",col={position.column}" if position.column else "")
    text = message.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    return f"::{level} {where}::{text}"


def github_lines(items: list[DisplayResult], strict: bool = False) -> Iterator[str]:
    for item in items:
        for finding in findings(item, strict):
            message = finding.message + (f" ({finding.detail})" if finding.detail else "")
            yield github_line(finding.level, finding.position, message)


def summary(items: list[DisplayResult], strict: bool = False) -> str:
    files = len({item.display.start.path for item in items})
    checked = [i for i in items if i.result is not None]
    failed = sum(not i.ok for i in checked)
    unread = len(items) - len(checked)
    counted = f"{unread} not checked" + (" (failures: --strict)" if strict and unread else "")
    return (
        f"{len(items)} display{'s' * (len(items) != 1)} in {files} file{'s' * (files != 1)}: "
        f"{len(checked) - failed} ok, {failed} failed, {counted}" + only_tested(i.result for i in checked)
    )


def only_tested(results: Iterable[DerivationResult | None]) -> str:
    """``; N steps tested, not proved``, or nothing when no step holds only by sampling."""
    count = sum(len(r.tested_steps) for r in results if r is not None)
    return f"; {count} step{'s' * (count != 1)} tested, not proved" if count else ""


def display_json(item: DisplayResult, derivation_json: dict[str, object] | None) -> dict[str, object]:
    """The JSON of a derivation (``derive check --json``) with where it stands."""
    display = item.display
    out: dict[str, object] = {"file": display.start.path, "line": display.start.line, "label": display.label}
    if derivation_json is None:
        out.update({"name": None, "ok": True, "checked": False, "problem": display.problem, "steps": []})
        return out
    out.update(derivation_json)
    out["checked"] = True
    for step, position in zip(out["steps"], display.positions, strict=True):  # type: ignore[call-overload]
        step["line"], step["column"] = position.line, position.column
    return out
