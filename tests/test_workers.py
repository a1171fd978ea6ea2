"""Workers forked from the checking process (``derive.budget.fork``): they hold the
claims from birth, are used like started ones, and never outlive the process."""

import subprocess
import sys
import textwrap
import threading
import time

import pytest

from derive import budget

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="derive forks its workers on Linux only")


def _python(code: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code)], capture_output=True, text=True, timeout=120, check=False
    )


def test_a_forked_worker_names_shared_objects_instead_of_copying_them():
    proc = _python(
        """
        from derive import budget
        table = [("a", "large", "object"), {"another": 1}]
        assert budget.fork(2, table)
        for _ in range(4):  # both workers, each more than once
            echoed = budget.run(budget._echo_identity, (table[0],), seconds=10).messages[0][1]
            assert echoed is table[0], echoed
            copied = budget.run(budget._echo_identity, (("not", "shared"),), seconds=10).messages[0][1]
            assert copied == ("not", "shared")
        print("ok")
        """
    )
    assert proc.stdout.strip() == "ok", proc.stderr


def test_a_forked_worker_that_overran_is_replaced():
    proc = _python(
        """
        from derive import budget
        assert budget.fork(1, [])
        assert not budget.run(budget._example, (-1,), seconds=0.5).finished
        assert budget.run(budget._example, (3,), seconds=10).messages == [("square", 9)]
        print("ok")
        """
    )
    assert proc.stdout.strip() == "ok", proc.stderr


def test_a_check_gives_the_same_verdict_from_forked_and_started_workers():
    proc = _python(
        """
        import json
        from derive import budget, registry
        from derive.derivation import check_many
        from derive.commands import result_json
        chosen = [registry.get("log2-derivative-erratum"), registry.get("kl-nonnegative")]
        started = [result_json(r) for r in check_many(chosen, jobs=2)]
        assert budget.fork(2, [])  # check_many forks again, with its claims
        forked = [result_json(r) for r in check_many(chosen, jobs=2)]
        assert forked == started, (forked, started)
        print("ok")
        """
    )
    assert proc.stdout.strip() == "ok", proc.stderr


def test_no_fork_while_another_thread_runs():
    stop = threading.Event()
    other = threading.Thread(target=stop.wait)
    other.start()
    try:
        assert not budget.can_fork()
        assert not budget.fork(1, [])
    finally:
        stop.set()
        other.join()


def test_forked_workers_end_with_the_process():
    proc = _python(
        """
        import os
        from derive import budget
        assert budget.fork(2, [])
        print(" ".join(str(w.process.pid) for w in budget._IDLE))
        os._exit(0)  # no clean-up: the workers must see the parent's end close
        """
    )
    pids = [int(p) for p in proc.stdout.split()]
    assert len(pids) == 2, proc.stderr
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and any(_running(p) for p in pids):
        time.sleep(0.1)
    assert not any(_running(p) for p in pids)


def _running(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as stat:
            return stat.read().split(") ")[1][0] != "Z"
    except FileNotFoundError:
        return False
