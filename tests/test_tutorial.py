"""docs/tutorial.md runs as written: its files are written, its console sessions run
(each shown output line must appear, `echo $?` checks the exit code), and its Python
session is a doctest."""

from __future__ import annotations

import doctest
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

TUTORIAL = Path(__file__).resolve().parent.parent / "docs" / "tutorial.md"
_FENCE = re.compile(r"^```(\w+)([^\n]*)\n(.*?)^```", re.S | re.M)


def _blocks() -> list[tuple[str, str, str]]:
    return [(m[1], m[2].strip(), m[3]) for m in _FENCE.finditer(TUTORIAL.read_text(encoding="utf-8"))]


def _console(block: str, cwd: Path, env: dict[str, str]) -> None:
    commands: list[tuple[str, list[str]]] = []
    for line in block.splitlines():
        if line.startswith("$ "):
            commands.append((line[2:], []))
        else:
            commands[-1][1].append(line.rstrip())
    last = None
    for command, expected in commands:
        if command == "echo $?":
            assert last is not None and [str(last.returncode)] == expected, (last.args, last.stdout, last.stderr)
            continue
        last = subprocess.run(command, shell=True, cwd=cwd, env=env, capture_output=True, text=True, check=False)
        shown = [line.strip() for line in (last.stdout + last.stderr).splitlines()]
        missing = [line for line in expected if line.strip() not in shown]
        assert not missing, f"$ {command}\nmissing {missing}\ngot:\n" + "\n".join(shown)


@pytest.mark.slow
def test_tutorial_runs_as_written(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    env = {**os.environ, "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}", "NO_COLOR": "1"}
    monkeypatch.chdir(tmp_path)
    kinds = []
    for kind, info, body in _blocks():
        kinds.append(kind)
        if kind == "python":
            name = info.removeprefix("file=")
            assert info.startswith("file="), "python blocks on the tutorial page are files"
            (tmp_path / name).write_text(body, encoding="utf-8")
        elif kind == "console":
            _console(body, tmp_path, env)
        elif kind == "pycon":
            test = doctest.DocTestParser().get_doctest(body, {}, "tutorial", str(TUTORIAL), 0)
            runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS)
            runner.run(test)
            assert runner.summarize(verbose=False).failed == 0
    assert kinds.count("console") >= 3 and "pycon" in kinds
    assert (tmp_path / "notes.tex").read_text(encoding="utf-8").startswith(r"\documentclass")
