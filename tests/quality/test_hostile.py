"""Hostile input: code injection, LaTeX injection, Unicode look-alikes and reserved
names, as claim text, as LaTeX, and as symbol names that reach LaTeX. Each is a clear
error or a documented reading, and a canary file proves that nothing ran."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
import sympy

from derive.errors import InputError, ParseError
from derive.latex import latex
from derive.latex_reader import parse_latex_claim
from derive.parsing import parse_claim

CANARY = "derive_canary"

TEXT = [
    f"__import__('os').system('touch {CANARY}') == 0",
    f"__import__('pathlib').Path('{CANARY}').touch() == x",
    "().__class__.__bases__[0].__subclasses__() == x",
    "x.__class__ == x",
    "getattr(x, '__class__') == x",
    "(lambda: 1)() == 1",
    "[x for x in (1, 2)] == x",
    "{x: 1 for x in (1, 2)} == x",
    "'a' + 'b' == x",
    f"open('{CANARY}', 'w') == x",
    "exec('1') == x",
    "eval('1') == x",
    "sympify('x') == x",
    "S('x') == x",
    "globals() == x",
    "x if x else y == x",
    "f'{x}' == x",
    "x == 1; import os",
    "import os",
    "(y := 1) == x",
    "_ == x",
    "__builtins__ == x",
    "x[0] == x",
    "x @ y == x",
    "х == x",  # Cyrillic x
    "ｘ == x",  # fullwidth x
    "log(x)\u200b == 1",  # zero-width space
    "I == x",
    "e == x",
    "gamma == x",
    "x == oo",
    "lambda == 1",
]

LATEX = [
    rf"\input{{{CANARY}}} = 1",
    rf"\immediate\write18{{touch {CANARY}}} = 1",
    r"\def\x{1} \x = 1",
    r"\newcommand{\x}{1} = 1",
    r"\csname input\endcsname = 1",
    r"\catcode`\^^5c=12 = 1",
    r"^^5cinput = 1",
    r"\mathrm{\_\_import\_\_} = 1",
    r"\operatorname{eval}(x) = 1",
    r"\text{os.system} = 1",
    r"x $ y = 1",
    r"x % comment",
    "\\sigma(х) = 1",  # Cyrillic x
    r"E[x] = 1",
    r"\mathrm{I} = 1",
]

NAMES = [r"\input{/etc/passwd}", r"}\immediate\write18{id}{", "x$", "a%b", "x\ny", "x{}", "ß", "__class__"]


@pytest.fixture
def in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    return tmp_path


@pytest.mark.parametrize("text", TEXT)
def test_text_injection_is_a_clear_error(text: str, in_tmp: Path) -> None:
    with pytest.raises(InputError) as caught:
        parse_claim(text)
    assert str(caught.value) and "\n" not in str(caught.value)
    assert not (in_tmp / CANARY).exists()


@pytest.mark.parametrize("tex", LATEX)
def test_latex_injection_is_a_clear_error(tex: str, in_tmp: Path) -> None:
    with pytest.raises(ParseError) as caught:
        parse_latex_claim(tex)
    assert "\n" not in str(caught.value)
    assert not (in_tmp / CANARY).exists()


@pytest.mark.parametrize("name", NAMES)
def test_names_that_reach_latex_are_rejected(name: str) -> None:
    with pytest.raises(InputError, match="cannot be typeset"):
        latex(sympy.Symbol(name) + 1)


def test_corpus_size() -> None:
    assert len(TEXT) + len(LATEX) + len(NAMES) >= 30


def test_cli_runs_nothing_and_exits_2(in_tmp: Path) -> None:
    for argv in (["verify", TEXT[0]], ["verify", "--latex", LATEX[1]], ["verify", TEXT[9]]):
        run = subprocess.run([sys.executable, "-m", "derive", *argv], capture_output=True, text=True, check=False)
        assert run.returncode == 2, run
        assert run.stderr.count("\n") == 1 and "Traceback" not in run.stderr
    assert not (in_tmp / CANARY).exists()
