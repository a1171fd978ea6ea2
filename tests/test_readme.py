import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _blocks():
    return re.findall(r"```bash\n(.*?)```", (ROOT / "README.md").read_text(), re.S)


def test_readme_opens_with_the_two_commands():
    first, second = _blocks()[:2]
    assert first.strip().endswith("derive check")
    assert 'pip install -e ".[test]"' in second


def test_ci_runs_exactly_the_readme_test_command():
    readme_command = _blocks()[1].strip().split(" && ")[-1]
    ci = (ROOT / ".ci" / "run").read_text()
    assert f"\n{readme_command}\n" in ci
    assert '"$status" -eq 5' in ci
