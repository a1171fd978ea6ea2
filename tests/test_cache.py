"""The verdict cache: faster, never different (issue 13)."""

import json
import os
import shutil
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
import sympy

from derive import cache as caches
from derive import engine as checks
from derive.cache import Cache, key, verdict_from_record, verdict_record
from derive.claim import Claim, Domain, Relation, positive
from derive.cli import main
from derive.derivation import check_derivation
from derive.engine import Checked, Options, check, checked
from derive.parsing import parse_claim
from derive.registry import get
from derive.verdict import Status

CLAIM = "log(x*y) == log(x) + log(y)"  # refuted, with a counterexample and a diagnosis


@pytest.fixture
def cache(tmp_path):
    return Cache(tmp_path / "cache")


def entries(cache):
    return sorted(cache.root.glob("v*/*/*.json"))


def test_a_hit_returns_the_same_verdict(cache):
    first = check(parse_claim(CLAIM), cache=cache)
    assert first.status is Status.REFUTED and first.diagnosis is not None
    assert len(entries(cache)) == 1
    again = check(parse_claim(CLAIM), cache=cache)
    assert again == first
    assert again.steps == first.steps and again.worst_residual == first.worst_residual
    assert again.as_json() == first.as_json()


def test_a_record_keeps_every_field():
    verdict = check(parse_claim(CLAIM))
    assert verdict_from_record(json.loads(json.dumps(verdict_record(verdict)))) == verdict


def test_a_hit_runs_nothing(cache, monkeypatch):
    claim = parse_claim("exp(x) >= 1 + x")
    first = check(claim, cache=cache)
    monkeypatch.setattr(checks, "_run", lambda *a: pytest.fail("a cached verdict was computed again"))
    assert check(claim, cache=cache) == first


@pytest.mark.parametrize(
    "change",
    [
        {"claim": "exp(x) >= 1 + x/2"},
        {"seed": 1},
        {"budget": 9.0},
        {"samples": 2000},
    ],
)
def test_a_changed_claim_seed_budget_or_sample_count_misses(change):
    base = {"claim": "exp(x) >= 1 + x", "seed": 0, "budget": 10.0, "samples": 20000}
    changed = {**base, **change}

    def entry(values):
        options = Options(values["budget"], values["seed"], values["samples"])
        return key("check", parse_claim(values["claim"]), options, True)

    assert entry(base) == entry(dict(base))
    assert entry(changed) != entry(base)


def test_a_changed_domain_or_relation_misses():
    x = sympy.Symbol("x")
    base = Claim(sympy.exp(x), Relation.GE, 1 + x)
    assert key(base) != key(Claim(sympy.exp(x), Relation.GT, 1 + x))
    assert key(base) != key(Claim(sympy.exp(x), Relation.GE, 1 + x, Domain.of(x=positive())))


def test_another_version_misses(cache, monkeypatch):
    claim = parse_claim("exp(x) >= 1 + x")
    check(claim, cache=cache)
    calls = []
    real = checks._run
    monkeypatch.setattr(checks, "_run", lambda *a: calls.append(1) or real(*a))
    monkeypatch.setattr(caches, "fingerprint", lambda: "another version of derive or SymPy")
    check(claim, cache=cache)
    assert calls == [1]


def test_the_fingerprint_covers_derives_own_source(tmp_path):
    from derive.fingerprint import digest, fingerprint

    package = Path(caches.__file__).parent
    copy = tmp_path / "derive"
    shutil.copytree(package, copy, ignore=shutil.ignore_patterns("__pycache__"))
    assert digest(copy) == fingerprint()
    source = copy / "article" / "common.py"
    source.write_bytes(source.read_bytes() + b"\n# an edit\n")
    assert digest(copy) != fingerprint()


@pytest.mark.parametrize(
    "damage",
    [
        lambda text: text[: len(text) // 2],  # truncated
        lambda text: "\x00garbage",
        lambda text: "[]",
        lambda text: text.replace('"proved"', '"certainly"'),  # no such status
        lambda text: text.replace('"samples": ', '"samples": "many", "x": '),
        lambda text: json.dumps({**json.loads(text), "key": "0" * 64}),  # another claim's entry
    ],
)
def test_a_damaged_or_foreign_entry_is_ignored_and_rewritten(cache, damage):
    claim = parse_claim("exp(x) >= 1 + x")
    first = check(claim, cache=cache)
    (path,) = entries(cache)
    path.write_text(damage(path.read_text()))
    assert cache.get(path.stem) is None
    assert check(claim, cache=cache) == first
    assert cache.get(path.stem) == first


def test_a_verdict_a_budget_cut_short_is_not_cached(cache, monkeypatch):
    real = checks._run
    monkeypatch.setattr(checks, "_run", lambda *a: Checked(real(*a).verdict, False))
    check(parse_claim("exp(x) >= 1 + x"), cache=cache)
    assert entries(cache) == []


def test_a_deadline_that_passes_unsettles_the_verdict(monkeypatch):
    from derive.budget import past
    from derive.symbolic import SymbolicResult

    def slow_prove(claim, deadline):
        assert past(time.monotonic() - 1)  # as a proof search that ran out of time
        return SymbolicResult("unknown", "symbolic")

    monkeypatch.setattr(checks, "prove", slow_prove)
    result = checked(parse_claim("cos(x) >= 1 - x**2/2"), Options(), isolate=False)
    assert result.verdict.status is Status.TESTED
    assert not result.settled


def test_a_worker_that_runs_out_of_budget_unsettles_the_verdict():
    result = checked(parse_claim("cos(x) >= 1 - x**2/2"), Options(budget=0.05))
    assert result.verdict.status is not Status.PROVED
    assert not result.settled


def test_a_quick_verdict_is_settled():
    assert checked(parse_claim("exp(x) >= 1 + x"), Options()).settled


def test_rule_first_skips_the_generic_search(cache):
    result = check_derivation(get("kl-nonnegative"), cache=cache)
    step = result.steps[1]
    assert step.verdict.status is Status.PROVED and step.verdict.method.startswith("rule: Jensen")
    assert step.verdict.steps == ()  # no symbolic form was tried
    assert step.verdict.samples > 0  # the numeric stage still corroborates


def test_two_processes_writing_at_once_leave_a_readable_cache(tmp_path):
    root = tmp_path / "shared"
    script = textwrap.dedent(
        f"""
        from derive.cache import Cache
        from derive.engine import check
        from derive.parsing import parse_claim
        cache = Cache({str(root)!r})
        verdict = check(parse_claim("exp(x) >= 1 + x"), budget=10)
        for i in range(200):
            cache.put("ab" + "0" * 62, verdict)
            assert cache.get("ab" + "0" * 62) == verdict, i
        """
    )
    procs = [subprocess.Popen([sys.executable, "-c", script], stderr=subprocess.PIPE, text=True) for _ in range(2)]
    for proc in procs:
        _, err = proc.communicate(timeout=120)
        assert proc.returncode == 0, err
    assert Cache(root).info().entries == 1
    assert list(root.rglob("*.tmp")) == []


def run_cli(*args, cache_dir):
    env = dict(os.environ, DERIVE_CACHE_DIR=str(cache_dir))
    return subprocess.run([sys.executable, "-m", "derive", *args], capture_output=True, text=True, timeout=300, env=env)


NAMES = ("log2-derivative-erratum", "kl-nonnegative", "exp-tangent-line")


def test_cached_uncached_and_damaged_runs_print_the_same_json(tmp_path):
    folder = tmp_path / "c"
    # a budget no busy test machine spends: an uncached run's diagnosis must not run out of time
    uncached = run_cli("check", *NAMES, "--json", "--no-cache", "--budget", "60", cache_dir=folder)
    assert uncached.returncode == 0, uncached.stderr
    assert not folder.exists()  # --no-cache writes nothing
    cold = run_cli("check", *NAMES, "--json", "--budget", "60", cache_dir=folder)
    assert Cache(folder).info().entries > 0
    assert (folder / ".gitignore").read_text().splitlines()[-1] == "*"
    warm = run_cli("check", *NAMES, "--json", "--budget", "60", cache_dir=folder)
    for path in sorted(folder.glob("v*/*/*.json"))[::2]:
        path.write_text(path.read_text()[:40])
    damaged = run_cli("check", *NAMES, "--json", "--budget", "60", cache_dir=folder)
    assert uncached.stdout == cold.stdout == warm.stdout == damaged.stdout


def test_cache_info_and_clear(tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("DERIVE_CACHE_DIR", str(tmp_path / "c"))
    assert main(["verify", "exp(x) >= 1 + x"]) == 0
    capsys.readouterr()
    assert main(["cache", "info"]) == 0
    assert "1 cached verdicts" in capsys.readouterr().out
    assert main(["cache", "clear"]) == 0
    assert "removed 1 cached verdicts" in capsys.readouterr().out
    assert Cache(tmp_path / "c").info().entries == 0


def test_a_cache_location_that_is_a_file_is_an_input_error(tmp_path, capsys, monkeypatch):
    (tmp_path / "file").write_text("")
    monkeypatch.setenv("DERIVE_CACHE_DIR", str(tmp_path / "file"))
    assert main(["verify", "exp(x) >= 1 + x"]) == 2
    assert "is not a folder" in capsys.readouterr().err


DOCUMENT = """\
# Notes

$$
\\frac{{d}}{{dx}} x^2 = 2x
$$

$$
(a + b)^2 = a^2 + 2ab + b^2 {second}
$$
"""


def test_an_edited_document_rechecks_only_the_display_that_changed(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("DERIVE_CACHE_DIR", str(tmp_path / "c"))
    notes = tmp_path / "notes.md"
    notes.write_text(DOCUMENT.format(second=""))
    assert main(["check", str(notes), "-j", "1"]) == 0
    claims = []
    real = checks._run
    monkeypatch.setattr(checks, "_run", lambda claim, *a: claims.append(str(claim)) or real(claim, *a))
    assert main(["check", str(notes), "-j", "1"]) == 0
    assert claims == []
    notes.write_text(DOCUMENT.format(second="= b^2 + 2ab + a^2"))
    assert main(["check", str(notes), "-j", "1"]) == 0
    assert len(claims) == 1  # the new step; the display's first step is cached
    capsys.readouterr()


def test_jobs_auto_and_bad_jobs(capsys):
    assert main(["check", "exp-tangent-line", "-j", "auto"]) == 0
    assert main(["check", "exp-tangent-line", "-j", "0"]) == 2
    assert main(["check", "exp-tangent-line", "-j", "many"]) == 2
    assert "-j takes" in capsys.readouterr().err


NO_SYMPY = (
    "import sys; from derive.cli import main; code = main(sys.argv[1:]); "
    "assert 'sympy' not in sys.modules, 'sympy was loaded'; raise SystemExit(code)"
)


def run_fast(*args, cache_dir):
    env = dict(os.environ, DERIVE_CACHE_DIR=str(cache_dir))
    return subprocess.run([sys.executable, "-c", NO_SYMPY, *args], capture_output=True, text=True, timeout=300, env=env)


def test_an_unchanged_run_is_replayed_without_loading_sympy(tmp_path):
    folder = tmp_path / "c"
    notes = tmp_path / "notes.md"
    notes.write_text(DOCUMENT.format(second=""))
    junit = tmp_path / "junit.xml"
    args = ("check", "exp-tangent-line", "log2-derivative-erratum", str(notes), "--junit", str(junit))
    first = run_cli(*args, cache_dir=folder)
    assert first.returncode == 0, first.stderr
    assert Cache(folder).info().runs == 1
    first_junit = junit.read_text()
    junit.unlink()
    again = run_fast(*args, cache_dir=folder)
    assert again.returncode == 0, again.stderr
    assert again.stdout == first.stdout and junit.read_text() == first_junit


def test_a_changed_document_or_option_is_not_replayed(tmp_path):
    folder = tmp_path / "c"
    notes = tmp_path / "notes.md"
    notes.write_text(DOCUMENT.format(second=""))
    assert run_cli("check", str(notes), cache_dir=folder).returncode == 0
    notes.write_text(DOCUMENT.format(second="= b^2 + 2ab + a^2"))
    assert "sympy was loaded" in run_fast("check", str(notes), cache_dir=folder).stderr
    assert "sympy was loaded" in run_fast("check", str(notes), "--json", cache_dir=folder).stderr
    assert "sympy was loaded" in run_fast("check", str(notes), "--no-cache", cache_dir=folder).stderr


def test_a_damaged_run_record_is_ignored(tmp_path):
    folder = tmp_path / "c"
    first = run_cli("check", "exp-tangent-line", "--json", cache_dir=folder)
    (record,) = folder.glob("runs/*.json")
    record.write_text(record.read_text().replace('"code": 0', '"code": "zero"'))
    again = run_cli("check", "exp-tangent-line", "--json", cache_dir=folder)
    assert again.returncode == 0 and again.stdout == first.stdout


def test_a_python_file_is_never_replayed(tmp_path):
    folder = tmp_path / "c"
    mine = tmp_path / "mine.py"
    mine.write_text(
        "import sympy\nfrom derive import Derivation, eq\nx = sympy.Symbol('x')\n"
        "d = Derivation('mine', 'Mine', (x + 1)**2, (eq(x**2 + 2*x + 1),))\n"
    )
    assert run_cli("check", str(mine), cache_dir=folder).returncode == 0
    assert Cache(folder).info().runs == 0
    assert Cache(folder).info().entries == 1


def test_a_run_with_a_verdict_cut_short_is_not_recorded(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("DERIVE_CACHE_DIR", str(tmp_path / "c"))
    real = checks._run
    monkeypatch.setattr(checks, "_run", lambda *a: Checked(real(*a).verdict, False))
    assert main(["check", "exp-tangent-line"]) == 0
    assert Cache(tmp_path / "c").info().runs == 0
    monkeypatch.setattr(checks, "_run", real)
    assert main(["check", "exp-tangent-line"]) == 0
    assert Cache(tmp_path / "c").info().runs == 1
    capsys.readouterr()


def test_results_keep_their_order_whatever_runs_first():
    from derive.derivation import check_many

    names = ["exp-tangent-line", "log2-derivative-erratum", "log-of-product", "kl-jensen-as-written"]
    results = check_many([get(n) for n in names], jobs=2)
    assert [r.derivation.name for r in results] == names


def test_an_entry_from_before_diagnoses_had_latex_is_ignored_and_rewritten(cache):
    """An entry whose diagnosis lacks a field read today (written by an older derive)
    is a miss, never a crash, and the next check stores it whole."""
    first = check(parse_claim(CLAIM), cache=cache)
    [path] = entries(cache)
    record = json.loads(path.read_text("utf-8"))
    del record["verdict"]["diagnosis"]["latex"]
    path.write_text(json.dumps(record), "utf-8")
    assert check(parse_claim(CLAIM), cache=cache) == first
    assert "latex" in json.loads(path.read_text("utf-8"))["verdict"]["diagnosis"]
