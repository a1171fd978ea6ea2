import json
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from derive.cli import main


def run(*args):
    return subprocess.run(
        [sys.executable, "-m", "derive", *args],
        capture_output=True,
        text=True,
        timeout=120,
        stdin=subprocess.DEVNULL,
    )


@pytest.mark.parametrize(
    ("args", "code"),
    [
        (["verify", "exp(x) >= 1 + x"], 0),
        (["verify", "log(x*y) == log(x) + log(y)", "--assume", "x > 0", "--assume", "y > 0"], 0),
        (["verify", "log(x*y) == log(x) + log(y)"], 1),
        (["verify", "log(-exp(x)) <= 0"], 3),
        (["verify", "__import__('os').system('id') == 0"], 2),
        (["verify", "x == x", "--assume", "x maybe"], 2),
        (["verify", "x == x", "--budget", "-1"], 2),
        (["check", "no-such-derivation"], 2),
        (["frobnicate"], 2),
        (["check", "log-of-product"], 0),
        (["list"], 0),
    ],
)
def test_exit_codes(args, code, capsys):
    assert main(args) == code


def test_bad_input_is_one_line_without_traceback():
    proc = run("verify", "x +* 2 == 1")
    assert proc.returncode == 2
    assert proc.stdout == ""
    assert proc.stderr.count("\n") == 1
    assert proc.stderr.startswith("derive: error: not a formula")
    assert "Traceback" not in proc.stderr


def test_verify_json_contract(capsys):
    assert main(["verify", "x**2 >= x", "--json", "--seed", "3"]) == 1
    data = json.loads(capsys.readouterr().out)
    assert list(data)[:6] == ["claim", "status", "method", "seed", "counterexample", "detail"]
    assert data["status"] == "refuted"
    assert data["seed"] == 3
    assert data["counterexample"] == {"x": "1/2"}


def test_check_json_contract(capsys):
    assert main(["check", "--json", "log2-derivative-erratum", "exp-tangent-line"]) == 0
    data = json.loads(capsys.readouterr().out)
    first = data["derivations"][0]
    assert set(first) >= {"name", "title", "source", "expect", "ok", "steps"}
    assert first["expect"] == "erratum" and first["ok"] is True
    step = first["steps"][0]
    assert set(step) >= {"index", "relation", "status", "method", "reason", "counterexample"}
    assert step["status"] == "refuted" and step["counterexample"] == {"x": "1"}


EXAMPLES = ["log-of-product", "exp-tangent-line", "sigmoid-derivative", "log2-derivative-erratum", "log2-derivative"]


def test_check_json_is_byte_identical_across_runs():
    first = run("check", "--json", *EXAMPLES)
    second = run("check", "--json", *EXAMPLES)
    assert first.returncode == 0
    assert first.stdout == second.stdout


def test_junit_file(tmp_path, capsys):
    path = tmp_path / "report.xml"
    assert main(["check", "--junit", str(path), *EXAMPLES]) == 0
    root = ET.parse(path).getroot()
    assert root.tag == "testsuite"
    assert int(root.get("tests")) == len(root.findall("testcase")) >= 5
    assert root.get("failures") == "0"


def test_show_prints_each_step(capsys):
    assert main(["show", "sigmoid-derivative"]) == 0
    out = capsys.readouterr().out
    assert "step 1: proved" in out and "step 2: proved" in out


def test_console_script_and_module_agree():
    proc = run("verify", "sigmoid(0) == 1/2", "--json")
    assert proc.returncode == 0
    assert json.loads(proc.stdout)["status"] == "proved"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["verify", "log(0) == 1"], "undefined or infinite"),
        (["verify", "x/0*0 + zoo == 1"], ""),
        (["verify", "x == x", "--seed", "-1"], "seed"),
        (["verify", "x == x", "--assume", "x > 1", "--assume", "x < 0"], "have no point in common"),
    ],
)
def test_more_bad_input_is_exit_2(args, message, capsys):
    assert main(args) == 2
    assert message in capsys.readouterr().err


def test_list_groups_by_section_with_claim_ids(capsys):
    assert main(["list"]) == 0
    out = capsys.readouterr().out.splitlines()
    headers = [line for line in out if not line.startswith("  ")]
    assert "Self-information and entropy [entropy]" in headers
    assert len(headers) == len(set(headers)) == 5
    assert any(line.split()[:2] == ["kl-jensen-as-written", "C8"] for line in out)


def test_show_pretty_prints_the_chain(capsys):
    assert main(["show", "log2-derivative-erratum"]) == 0  # an erratum that is refuted meets its expectation
    out = capsys.readouterr().out
    assert "step 1: REFUTED" in out and "diagnosis: constant factor" in out
    assert "log(2)" in out and "\x1b[" not in out  # no colour when not a terminal


def test_colour_only_on_a_terminal():
    import os
    import pty

    code = "from derive.cli import main; main(['check', 'log2-derivative'])"
    env = {k: v for k, v in os.environ.items() if k != "NO_COLOR"}
    leader, follower = pty.openpty()
    run = subprocess.run([sys.executable, "-c", code], stdout=follower, stderr=subprocess.PIPE, env=env, check=False)
    os.close(follower)
    shown = os.read(leader, 65536).decode()
    os.close(leader)
    assert run.returncode == 0
    assert "\x1b[32mok" in shown
    piped = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, check=False)
    assert "\x1b[" not in piped.stdout and piped.stdout.startswith("ok")


def test_version(capsys) -> None:  # type: ignore[no-untyped-def]
    from derive import __version__
    from derive.cli import main

    with pytest.raises(SystemExit) as exit_:
        main(["--version"])
    assert exit_.value.code == 0 and capsys.readouterr().out == f"derive {__version__}\n"


def test_check_names_the_steps_that_hold_only_by_sampling(tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("DERIVE_CACHE_DIR", str(tmp_path / "cache"))
    notes = tmp_path / "notes.py"
    notes.write_text(
        "import sympy\n"
        "from derive import Derivation, ge\n"
        "x = sympy.Symbol('x', positive=True)\n"
        "bound = Derivation('gamma-bound', 'Gamma is at least 1/2', sympy.gamma(x), (ge(sympy.Rational(1, 2)),))\n"
    )
    assert main(["check", str(notes)]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[1] == "     step 1: tested, not proved [numeric]"
    assert out[-1] == "1 derivation: 1 ok, 0 failed; 1 step tested, not proved"


def _script(before: str, *args: str) -> subprocess.CompletedProcess:
    """``derive ARGS`` as the installed command runs it (``cli.script``), after ``before``."""
    code = f"import sys\n{before}\nsys.argv = ['derive', *{list(args)!r}]\nfrom derive.cli import script\nscript()\n"
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120, check=False)


def test_the_command_ends_without_freeing_what_it_built() -> None:
    """Python's own exit frees every object one at a time (0.25-0.3 s after a check);
    the command ends once its output is flushed and its exit handlers have run."""
    before = (
        "import atexit\n"
        "class Held:\n"
        "    def __del__(self): print('freed', flush=True)\n"
        "held = Held()\n"
        "atexit.register(lambda: print('exit handler ran', flush=True))"
    )
    done = _script(before, "verify", "log(x*y) == log(x) + log(y)")
    assert done.returncode == 1
    assert done.stdout.startswith("refuted: ") and "exit handler ran" in done.stdout
    assert "freed" not in done.stdout


def test_checking_registered_derivations_loads_no_reader_of_documents() -> None:
    """``derive check NAME`` imports neither the Markdown/LaTeX document readers nor
    ``docs``, ``proofs`` or an XML library: every import before the workers start is
    time no core can share."""
    unwanted = ("derive.documents", "derive.latex_reader", "derive.parsing", "derive.docs", "derive.proofs", "xml")
    before = (
        "import atexit\n"
        f"atexit.register(lambda: print('loaded:', sorted(m for m in sys.modules if m in {unwanted!r}), flush=True))"
    )
    done = _script(before, "check", "log-of-product", "--no-cache")
    assert done.returncode == 0, done.stderr
    assert "loaded: []" in done.stdout


def test_the_command_waits_for_a_running_thread() -> None:
    """A thread still running when the command is done (a library user's) is waited for."""
    before = (
        "import threading, time\n"
        "threading.Thread(target=lambda: (time.sleep(5), print('thread done', flush=True))).start()"
    )
    done = _script(before, "list")
    assert done.returncode == 0 and done.stdout.rstrip().endswith("thread done")


def test_the_command_without_standard_output_ends_as_python_does() -> None:
    """Started with standard output closed (Python then has none), the command exits as
    Python's own exit would, with no traceback."""
    done = _script("sys.stdout = None", "list")
    assert done.returncode == 0 and done.stderr == ""


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="/dev/full is a Linux device")
@pytest.mark.parametrize("args", [["list"], ["check", "exp-tangent-line", "--no-cache"]])
def test_a_full_disk_is_one_line_and_exit_2(args: list[str]) -> None:
    """Output to a device with no room left: one line saying so, exit 2, no traceback."""
    with open("/dev/full", "w") as full:
        done = subprocess.run([sys.executable, "-m", "derive", *args], stdout=full, stderr=subprocess.PIPE,
                              text=True, timeout=120, check=False)  # fmt: skip
    assert done.returncode == 2
    assert done.stderr == "derive: error: the output could not be written: No space left on device\n"


def test_a_full_disk_inside_a_process_whose_output_is_no_file(monkeypatch, capsys) -> None:
    """Called as a library (standard output captured, no file behind it), the same one line and 2."""
    import errno

    from derive import commands

    def full(args):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setitem(commands.COMMANDS, "list", full)
    assert main(["list"]) == 2
    assert capsys.readouterr().err == "derive: error: the output could not be written: No space left on device\n"
