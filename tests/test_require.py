"""--require proved: a CI job that wants proofs fails a derivation with a step that
is only tested, in the CLI, in JUnit and in the pytest helper."""

from __future__ import annotations

from pathlib import Path

import pytest

from derive.cli import main

NOTES = """
import sympy
from derive import Derivation, ge, eq

x = sympy.Symbol("x")
t = sympy.Symbol("t", positive=True)
TESTED = Derivation("gamma-above-half", "Gamma above 1/2", sympy.gamma(t), (ge(sympy.Rational(1, 2), "minimum"),))
PROVED = Derivation("square", "a square", (x + 1) ** 2, (eq(x**2 + 2 * x + 1, "expand"),))
"""


@pytest.fixture
def notes(tmp_path: Path) -> Path:
    path = tmp_path / "notes.py"
    path.write_text(NOTES)
    return path


def test_tested_steps_pass_by_default(notes: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", str(notes)]) == 0


def test_require_proved_fails_a_tested_step(notes: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    junit = tmp_path / "derive.xml"
    assert main(["check", str(notes), "--require", "proved", "--junit", str(junit)]) == 1
    out = capsys.readouterr().out
    assert "problem: step 1 is tested, not proved (required: proved)" in out
    assert "2 derivations: 1 ok, 1 failed" in out
    xml = junit.read_text()
    assert 'failures="1"' in xml
    assert 'message="step 1 is tested, not proved (required: proved)"' in xml


def test_require_proved_in_pytest(notes: Path, tmp_path: Path) -> None:
    import subprocess
    import sys

    test = tmp_path / "test_notes.py"
    test.write_text(
        "from derive.testing import derivation_tests\n"
        f"test_strict = derivation_tests({str(notes)!r}, require='proved')\n"
        f"test_loose = derivation_tests({str(notes)!r})\n"
    )
    command = [sys.executable, "-m", "pytest", "-q", "-n", "0", "-p", "no:cacheprovider"]
    command += ["--rootdir", str(tmp_path), str(test)]
    run = subprocess.run(command, capture_output=True, text=True, cwd=tmp_path, timeout=300)
    assert "1 failed, 3 passed" in run.stdout, run.stdout[-2000:]
    assert "tested, not proved (required: proved)" in run.stdout
