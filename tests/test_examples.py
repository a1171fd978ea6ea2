"""examples/article.md, the article as a document: derive check passes on it, with
the article's wrong steps refuted where they stand and nothing left unread; the
README shows what it prints."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from derive.cli import main

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.slow
def test_the_article_document_checks(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    assert main(["check", "examples/article.md", "-j", "2", "--budget", "30"]) == 0
    out = capsys.readouterr().out.splitlines()
    summary = out[-1]
    assert re.fullmatch(r"\d+ displays in 1 file: \d+ ok, 0 failed, 0 not checked(; \d+ steps? tested, not proved)?",
                        summary), summary  # fmt: skip
    tested = [line for line in out if ": tested, not proved: " in line]
    assert len(tested) == int(summary.split("; ")[1].split()[0]) if "; " in summary else not tested
    expected = [line for line in out if ": refuted (expected): " in line]
    assert len(expected) >= 8, expected
    readme = (ROOT / "README.md").read_text("utf-8")
    assert summary in readme
    for line in expected[:2]:
        head = line.split(" at ")[0]
        assert head in readme, head
