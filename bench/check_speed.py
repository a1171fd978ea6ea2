"""`derive check` over every registered derivation, cold, against bare `import sympy`.

Run by hand: ``python -m bench.check_speed``. Prints seconds and the ratio to the
baseline measured in the same run (target: <= 3x; see docs/performance.md).
"""

from __future__ import annotations

import subprocess
import sys
import time


def _seconds(argv: list[str], repeat: int = 3) -> float:
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        subprocess.run(argv, check=False, capture_output=True)
        best = min(best, time.perf_counter() - start)
    return best


def main() -> None:
    baseline = _seconds([sys.executable, "-c", "import sympy"])
    print(f"python -c 'import sympy'        {baseline:7.2f} s   1.0x (baseline)")
    for label, extra in (("derive check", []), ("derive check -j 2", ["-j", "2"])):
        seconds = _seconds([sys.executable, "-m", "derive", "check", *extra], repeat=1)
        print(f"{label:31} {seconds:7.2f} s  {seconds / baseline:5.1f}x")
    seconds = _seconds([sys.executable, "-m", "derive", "list"], repeat=3)
    print(f"{'derive list (imports only)':31} {seconds:7.2f} s  {seconds / baseline:5.1f}x")


if __name__ == "__main__":
    main()
