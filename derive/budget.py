"""Time budgets that work from any thread: work runs in a worker process that is
killed when its wall-clock budget is spent, with CPU and memory limits of its own.

Workers are separate Python processes, started once and reused; a worker that
overran is killed and a fresh one started at once, so it is warm by the next call. The task reports progress as it goes,
so a budget that runs out still returns what was learned.

>>> run(_example, (2,), seconds=10).messages
[('square', 4)]
>>> r = run(_example, (-1,), seconds=0.5)
>>> r.finished, r.messages
(False, [('square', 1)])
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import signal
import subprocess
import sys
import threading
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from multiprocessing.connection import Connection
from typing import Any

from derive.errors import InputError

MEMORY_LIMIT = 6 * 2**30
_KILL_GRACE = 0.2

Report = Callable[[str, Any], None]


@dataclass(frozen=True)
class Outcome:
    """Progress ``messages`` in order; ``finished`` is False when the budget ran out;
    ``error`` is the worker's traceback text when the task raised."""

    messages: list[tuple[str, Any]]
    finished: bool
    error: str | None = None
    seconds: float = 0.0


def _example(n: int, report: Report) -> None:
    report("square", n * n)
    if n < 0:
        time.sleep(60)


_TIMING = threading.local()


def past(deadline: float | None) -> bool:
    """Whether ``deadline`` (monotonic seconds) has passed; a True answer is
    remembered (``ran_out``): a result that a deadline cut short depends on the
    machine's speed, so it is never cached.

    >>> started()
    >>> past(None), past(time.monotonic() + 60), ran_out()
    (False, False, False)
    >>> past(time.monotonic() - 1), ran_out()
    (True, True)
    """
    if deadline is None or time.monotonic() <= deadline:
        return False
    _TIMING.ran_out = True
    return True


def started() -> None:
    """Forget earlier deadlines of this thread (a new task starts)."""
    _TIMING.ran_out = False


def ran_out() -> bool:
    """Whether a deadline passed in this thread since ``started()``."""
    return bool(getattr(_TIMING, "ran_out", False))


def _limit_memory() -> None:
    try:
        import resource

        resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))
    except (ImportError, ValueError, OSError):  # not on this platform: wall clock still applies
        pass


def _limit_cpu(seconds: float) -> None:
    try:
        import resource

        used = resource.getrusage(resource.RUSAGE_SELF)
        total = used.ru_utime + used.ru_stime
        soft = int(total + seconds + 2)
        _, hard = resource.getrlimit(resource.RLIMIT_CPU)
        resource.setrlimit(resource.RLIMIT_CPU, (soft, hard))
    except (ImportError, ValueError, OSError):
        pass


def _serve(conn: Connection) -> None:
    _limit_memory()
    while True:
        try:
            task = conn.recv()
        except EOFError:
            return
        except Exception:  # a task that cannot be unpickled here: say so and wait for the next
            conn.send(("error", None, traceback.format_exc(limit=-4)))
            continue
        if task is None:
            return
        function, args, seconds = task
        _limit_cpu(seconds)

        def report(kind: str, payload: Any) -> None:
            conn.send(("progress", kind, payload))

        try:
            function(*args, report)
            conn.send(("done", None, None))
        except BaseException:
            conn.send(("error", None, traceback.format_exc(limit=-8)))


class _Worker:
    """A separate Python process (not a multiprocessing child, so the user's main
    module is never re-imported) that serves tasks over a socket pair."""

    def __init__(self, preload: str = "") -> None:
        self.conn, child = multiprocessing.Pipe()
        env = dict(os.environ, PYTHONPATH=os.pathsep.join(p for p in sys.path if p))
        fd = child.fileno()
        first = f"import {preload}; " if preload else ""
        self.process = subprocess.Popen(
            [sys.executable, "-c", f"{first}from derive.budget import serve; serve({fd})"],
            pass_fds=(fd,),
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            env=env,
            close_fds=True,
        )
        child.close()

    def alive(self) -> bool:
        return self.process.poll() is None

    def kill(self) -> None:
        self.process.kill()
        with contextlib.suppress(subprocess.TimeoutExpired):  # the kernel has it
            self.process.wait(_KILL_GRACE * 10)
        self.conn.close()


def serve(fd: int) -> None:
    """The worker's loop (the entry point of the worker process)."""
    global _WORKER
    _WORKER = True
    _serve(Connection(fd))


_WORKER = False


def in_worker() -> bool:
    """True inside a worker process (where a task's budget is already enforced)."""
    return _WORKER


_IDLE: list[_Worker] = []
_LOCK = threading.Lock()


def _acquire() -> _Worker:
    with _LOCK:
        while _IDLE:
            worker = _IDLE.pop()
            if worker.alive():
                return worker
            worker.kill()
    return _Worker()


def _release(worker: _Worker) -> None:
    with _LOCK:
        _IDLE.append(worker)


def prewarm(count: int, preload: str) -> None:
    """Start ``count`` workers now, each importing module ``preload`` while the
    caller gets ready (a cold ``derive check`` overlaps their start with its own).

    >>> prewarm(1, "json"); run(_example, (3,), seconds=10).messages
    [('square', 9)]
    """
    with _LOCK:
        missing = count - len(_IDLE)
    for _ in range(missing):
        _release(_Worker(preload))


def job_count(jobs: int | str) -> int:
    """``jobs`` as a number: ``"auto"`` is the number of cores this process may use.

    >>> job_count(3), job_count("auto") >= 1
    (3, True)
    """
    if jobs == "auto":
        cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1
        return max(1, min(64, cores))
    if not isinstance(jobs, int) or not 1 <= jobs <= 64:
        raise InputError(f"jobs must be 1 to 64 or 'auto', got {jobs!r}")
    return jobs


def run(function: Callable[..., None], args: tuple, seconds: float) -> Outcome:
    """Run ``function(*args, report)`` in a worker for at most ``seconds`` of wall
    clock. ``function`` must be importable (pickled by reference)."""
    start = time.monotonic()
    deadline = start + seconds
    worker = _acquire()
    messages: list[tuple[str, Any]] = []
    try:
        worker.conn.send((function, args, seconds))
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0 or not worker.conn.poll(remaining):
                worker.kill()
                _release(_Worker())
                return Outcome(messages, False, None, time.monotonic() - start)
            kind, name, payload = worker.conn.recv()
            if kind == "progress":
                messages.append((name, payload))
            elif kind == "done":
                _release(worker)
                return Outcome(messages, True, None, time.monotonic() - start)
            else:
                _release(worker)
                return Outcome(messages, True, payload, time.monotonic() - start)
    except (EOFError, OSError, BrokenPipeError) as exc:
        worker.kill()
        code = worker.process.returncode
        if code is not None and -code in (signal.SIGXCPU, signal.SIGKILL):
            return Outcome(messages, False, None, time.monotonic() - start)
        reason = f"worker died ({type(exc).__name__}, exit code {code})"
        return Outcome(messages, True, reason, time.monotonic() - start)
    except BaseException:
        worker.kill()
        raise


def shutdown() -> None:
    """Stop idle workers (they are daemons and also end with the process)."""
    with _LOCK:
        while _IDLE:
            _IDLE.pop().kill()
