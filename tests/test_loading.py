import textwrap

import pytest

from derive.cli import main

USER_FILE = textwrap.dedent(
    """
    import sympy
    from derive import Derivation, Domain, eq, positive

    x = sympy.Symbol("x")
    DERIVATIONS = [
        Derivation("user-good", "log of a square", sympy.log(x**2), (eq(2 * sympy.log(x), "power rule"),),
                   Domain.of(x=positive())),
        Derivation("user-bad", "a wrong derivative", sympy.Derivative(x**3, x),
                   (eq(3 * x**2, "power rule"), eq(3 * x**3, "oops"))),
    ]
    """
)


@pytest.fixture
def user_file(tmp_path):
    path = tmp_path / "notes.py"
    path.write_text(USER_FILE)
    return path


def test_a_wrong_step_in_a_user_file_fails_the_check_and_is_named(user_file, capsys):
    assert main(["check", str(user_file)]) == 1
    out = capsys.readouterr().out
    assert "ok   user-good" in out
    assert "FAIL user-bad" in out
    assert "step 2 is refuted at x = " in out
    assert "2 derivations: 1 ok, 1 failed" in out


def test_parallel_check_keeps_the_order(user_file, capsys):
    assert main(["check", "-j", "2", "--json", "-m", "derive.examples", str(user_file)]) == 1
    import json

    names = [d["name"] for d in json.loads(capsys.readouterr().out)["derivations"]]
    assert names[:5] == ["log-of-product", "exp-tangent-line", "sigmoid-derivative", "log2-derivative-erratum",
                         "log2-derivative"]  # fmt: skip
    assert names[5:] == ["user-good", "user-bad"]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("raise RuntimeError('boom')", "cannot import .*RuntimeError: boom"),
        ("def f(:\n", "syntax error at line 1"),
        ("x = 1\n", "defines no derivations"),
    ],
)
def test_bad_user_files_are_one_line_errors(tmp_path, capsys, content, message):
    path = tmp_path / "bad.py"
    path.write_text(content)
    assert main(["check", str(path)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert pytest.importorskip("re").search(message, err)


@pytest.mark.parametrize(
    "args", [["check", "/no/such/file.py"], ["check", "-m", "no_such_module_xyz"], ["check", "-j", "0"]]
)
def test_bad_check_usage(args, capsys):
    assert main(args) == 2


def test_one_line_turns_a_user_file_into_pytest_items(user_file, tmp_path):
    import subprocess
    import sys

    test_file = tmp_path / "test_notes.py"
    test_file.write_text(
        f"from derive.testing import derivation_tests\ntest_notes = derivation_tests({str(user_file)!r})\n"
    )
    proc = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", str(test_file)],
        capture_output=True, text=True, timeout=300, cwd=tmp_path, stdin=subprocess.DEVNULL,
    )  # fmt: skip
    assert proc.returncode == 1, proc.stdout
    assert "1 failed, 1 passed" in proc.stdout
    assert "test_notes[user-bad]" in proc.stdout
    assert "step 2 is refuted at x = " in proc.stdout
