"""Issue 13's targets: `derive check` over every registered derivation, cold (empty
cache) and warm (nothing changed), against bare `import sympy` and against plain
SymPy `simplify(lhs - rhs)` over the same steps, all measured in this run; and the
`--json` of uncached, cold, warm and damaged-cache runs compared byte for byte.

Run by hand on an idle machine: ``python -m bench.check_speed`` (``--skip-plain``
leaves out plain SymPy, which takes minutes; ``--cold N`` takes the best of N cold
runs, each with an empty cache, and measures ``import sympy`` again before each, taking
its best too: on a virtual machine whose speed drifts from minute to minute, a baseline
measured only at the start biased the ratio either way). Each cold run is also divided
by the ``import sympy`` measured just before it, and the median of those ratios printed:
the two halves of a pair see the same drift.

Every command runs with Python's bytecode cache, as after any install (SymPy's
is in site-packages): ``PYTHONDONTWRITEBYTECODE`` is dropped from the environment
and derive's modules are compiled once before timing. "Cold" means derive's
verdict cache is empty.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def _seconds(argv: list[str], env: dict[str, str] | None = None, repeat: int = 1) -> tuple[float, str]:
    best, out = float("inf"), ""
    for _ in range(repeat):
        start = time.perf_counter()
        proc = subprocess.run(argv, check=False, capture_output=True, text=True, env=env)
        best = min(best, time.perf_counter() - start)
        out = proc.stdout
    return best, out


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.check_speed", description=__doc__.splitlines()[0])
    parser.add_argument("--skip-plain", action="store_true", help="leave out plain SymPy (minutes)")
    parser.add_argument("--cold", type=int, default=1, metavar="N", help="best of N cold runs (default 1)")
    options = parser.parse_args(argv)
    derive = [sys.executable, "-m", "derive", "check", "--json"]
    os.environ.pop("PYTHONDONTWRITEBYTECODE", None)
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(Path(__file__).parents[1] / "derive")], check=True)
    bare = [sys.executable, "-c", "import sympy"]
    baseline, _ = _seconds(bare, repeat=5)
    plain, plain_text = float("nan"), "plain SymPy: skipped"
    if not options.skip_plain:
        plain, plain_text = _seconds([sys.executable, "-m", "bench.plain_sympy"])
    cold, colds, ratios = float("inf"), [], []
    for _ in range(options.cold - 1):  # the baseline measured between cold runs too: the machine's speed drifts
        before = _seconds(bare, repeat=2)[0]
        baseline = min(baseline, before)
        with tempfile.TemporaryDirectory() as folder:
            colds.append(_seconds(derive, dict(os.environ, DERIVE_CACHE_DIR=folder))[0])
            cold = min(cold, colds[-1])
            ratios.append(colds[-1] / before)
    with tempfile.TemporaryDirectory() as folder:
        env = dict(os.environ, DERIVE_CACHE_DIR=folder)
        uncached, uncached_json = _seconds([*derive, "--no-cache"], env)
        before = _seconds(bare, repeat=2)[0]
        baseline = min(baseline, before)
        last, cold_json = _seconds(derive, env)
        colds.append(last)
        cold = min(cold, last)
        ratios.append(last / before)
        warm, warm_json = _seconds(derive, env, repeat=3)
        verdicts = dict(os.environ, DERIVE_CACHE_DIR=folder)
        for run in Path(folder).glob("runs/*.json"):
            run.unlink()  # the verdicts are cached, the run is not: warm through the verdict cache
        verdict_warm, verdict_json = _seconds(derive, verdicts)
        for i, entry in enumerate(sorted(Path(folder).rglob("*.json"))):
            if i % 2 == 0:
                entry.write_text(entry.read_text()[: len(entry.read_text()) // 2])
        damaged, damaged_json = _seconds(derive, env)
    print(f"python -c 'import sympy'                {baseline:7.2f} s   1.0x (baseline)")
    print(f"{plain_text.strip()}  ({plain / baseline:.1f}x)")
    rows = [
        ("derive check --no-cache (cold)", uncached),
        ("derive check, empty cache (cold)", cold),
        ("derive check, nothing changed (warm)", warm),
        ("derive check, verdicts cached, run not", verdict_warm),
        ("derive check, half the cache damaged", damaged),
    ]
    for label, seconds in rows:
        print(f"{label:39} {seconds:7.2f} s  {seconds / baseline:5.1f}x import sympy  {seconds / plain:5.2f}x plain")
    print(f"cold runs: {', '.join(f'{c:.2f}' for c in colds)} s (the table gives the best, against the best baseline)")
    paired = ", ".join(f"{r:.1f}" for r in ratios)
    print(f"each cold run against the import sympy just before it: {paired}x (median {statistics.median(ratios):.1f}x)")
    same = uncached_json == cold_json == warm_json == verdict_json == damaged_json
    print(f"--json byte-identical across the five runs: {same}")


if __name__ == "__main__":
    main()
