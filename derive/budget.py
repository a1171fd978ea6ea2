"""Time budgets that work from any thread: work runs in a worker process that is
killed when its wall-clock budget is spent, with CPU and memory limits of its own.

Workers are separate Python processes, started once and reused; a worker that
overran is killed and a fresh one started at once, so it is warm by the next call.
Where it is safe, ``derive check`` forks its workers instead (``fork``): they start
with SymPy loaded and the claims built, and a task names a claim instead of sending
it. The task reports progress as it goes, so a budget that runs out still returns
what was learned.

>>> run(_example, (2,), seconds=10).messages
[('square', 4)]
>>> r = run(_example, (-1,), seconds=0.5)
>>> r.finished, r.messages
(False, [('square', 1)])
"""

from __future__ import annotations

import contextlib
import gc
import io
import multiprocessing
import os
import pickle
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


def _serve(conn: Connection, shared: _Shared | None = None) -> None:
    _limit_memory()
    collect_less()
    while True:
        try:
            task = _loads(conn.recv_bytes(), shared)
        except EOFError:
            return
        except Exception:  # a task that cannot be unpickled here: say so and wait for the next
            conn.send_bytes(_dumps(("error", None, traceback.format_exc(limit=-4)), None))
            continue
        if task is None:
            return
        function, args, seconds = task
        _limit_cpu(seconds)

        def report(kind: str, payload: Any) -> None:
            conn.send_bytes(_dumps(("progress", kind, payload), shared))

        try:
            function(*args, report)
            conn.send_bytes(_dumps(("done", None, None), None))
        except BaseException:
            conn.send_bytes(_dumps(("error", None, traceback.format_exc(limit=-8)), None))


class _Shared:
    """Objects that a forked worker holds from birth, as this process does: a message
    names them by their place here instead of copying them (SymPy rebuilds, and so
    re-evaluates, every expression it unpickles)."""

    def __init__(self, objects: list[Any]) -> None:
        self.objects = objects
        self.places = {id(o): i for i, o in enumerate(objects)}


class _Pickler(pickle.Pickler):
    def __init__(self, file: io.BytesIO, shared: _Shared) -> None:
        super().__init__(file, pickle.HIGHEST_PROTOCOL)
        self.shared = shared

    def persistent_id(self, obj: Any) -> int | None:
        place = self.shared.places.get(id(obj))
        return place if place is not None and self.shared.objects[place] is obj else None


class _Unpickler(pickle.Unpickler):
    def __init__(self, file: io.BytesIO, shared: _Shared) -> None:
        super().__init__(file)
        self.shared = shared

    def persistent_load(self, pid: Any) -> Any:
        return self.shared.objects[pid]


def _dumps(message: Any, shared: _Shared | None) -> bytes:
    if shared is None:
        return pickle.dumps(message, pickle.HIGHEST_PROTOCOL)
    buffer = io.BytesIO()
    _Pickler(buffer, shared).dump(message)
    return buffer.getvalue()


def _loads(data: bytes, shared: _Shared | None) -> Any:
    if shared is None:
        return pickle.loads(data)
    return _Unpickler(io.BytesIO(data), shared).load()


class _Worker:
    """A separate Python process that serves tasks over a socket pair: started afresh
    (not a multiprocessing child, so the user's main module is never re-imported), or
    forked from this process (``fork``) with SymPy and derive already loaded."""

    def __init__(self, preload: str = "", shared: _Shared | None = None) -> None:
        self.conn, child = multiprocessing.Pipe()
        self.shared = shared
        self.process: subprocess.Popen[bytes] | multiprocessing.process.BaseProcess
        if shared is not None:
            context = multiprocessing.get_context("fork")
            others = [w.conn for w in _IDLE]
            ends = [self.conn, *others]
            self.process = context.Process(target=_serve_forked, args=(child, shared, ends), daemon=True)
            self.process.start()
            child.close()
            return
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
        if isinstance(self.process, subprocess.Popen):
            return self.process.poll() is None
        return self.process.is_alive()

    def exit_code(self) -> int | None:
        if isinstance(self.process, subprocess.Popen):
            return self.process.returncode
        return self.process.exitcode

    def kill(self) -> None:
        self.process.kill()
        if isinstance(self.process, subprocess.Popen):
            with contextlib.suppress(subprocess.TimeoutExpired):  # the kernel has it
                self.process.wait(_KILL_GRACE * 10)
        else:
            self.process.join(_KILL_GRACE * 10)
        self.conn.close()

    def send(self, message: Any) -> None:
        self.conn.send_bytes(_dumps(message, self.shared))

    def receive(self) -> Any:
        return _loads(self.conn.recv_bytes(), self.shared)


def _serve_forked(conn: Connection, shared: _Shared, parent_ends: list[Connection]) -> None:
    global _WORKER
    _WORKER = True
    for end in parent_ends:  # this process's copies: the parent's exit must reach every worker as EOF
        end.close()
    _IDLE.clear()
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 1)
    _serve(conn, shared)


def serve(fd: int) -> None:
    """The worker's loop (the entry point of a started worker process)."""
    from derive import faster_sympy

    global _WORKER
    _WORKER = True
    faster_sympy.install()
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


def fork(count: int, shared: list[Any]) -> bool:
    """Replace the idle workers by ``count`` forked from this process, which hold
    ``shared`` (a message names those objects instead of copying them). Only where
    forking is safe: on Linux, outside a worker, with no other thread running; else
    nothing changes and False is returned.

    >>> table = [("a", "large", "object")]
    >>> forked = fork(1, table)
    >>> run(_echo_identity, (table[0],), seconds=10).messages[0][1] is table[0] or not forked
    True
    """
    if not can_fork():
        return False
    table = _Shared(shared)
    with _LOCK:
        stale = list(_IDLE)
        _IDLE.clear()
    for worker in stale:
        worker.kill()
    gc.freeze()  # what this process holds now is never collected in a worker (nor copied by collecting it)
    try:
        for _ in range(count):
            _release(_Worker(shared=table))
    finally:
        gc.unfreeze()
    return True


def collect_less() -> None:
    """Run Python's cycle collector less often: SymPy allocates millions of small
    objects that live to the end of a check, and the default thresholds had the
    collector traverse them again and again (about a tenth of a check's time)."""
    gc.set_threshold(100_000, 50, 100)


def can_fork() -> bool:
    """Whether ``fork`` would fork: on Linux, outside a worker, with no other thread running."""
    return sys.platform.startswith("linux") and not _WORKER and threading.active_count() == 1


def _echo_identity(obj: Any, report: Report) -> None:
    report("echo", obj)


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
        worker.send((function, args, seconds))
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0 or not worker.conn.poll(remaining):
                worker.kill()
                _release(_Worker())
                return Outcome(messages, False, None, time.monotonic() - start)
            kind, name, payload = worker.receive()
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
        code = worker.exit_code()
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
