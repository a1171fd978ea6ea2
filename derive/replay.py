"""A whole ``derive check`` answered from its record, without loading SymPy.

A run is recorded when everything that decides its output can be named: the
software (``derive.fingerprint``), the options, the registered derivations it
names (part of derive's source) and the bytes of every document it reads. A run
of Python files or modules (which may import anything) is never recorded; nor is
one with ``--no-cache``, one that failed on bad input, or one in which a deadline
cut any verdict short. Replaying prints the recorded output and writes the
recorded JUnit file; each verdict in it came from (and is in) the verdict cache.

>>> import argparse
>>> args = argparse.Namespace(command="check", names=["notes.py"], module=[], no_cache=False)
>>> Run.of(args) is None  # a Python file may import anything: never recorded
True
"""

from __future__ import annotations

import argparse
import contextlib
import hashlib
import io
import json
import os
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TextIO

from derive.files import document_files, is_document, is_file_argument, write_atomically
from derive.fingerprint import fingerprint
from derive.store import RUNS, default_root, read_entry, write_entry

FORMAT = 1
OPTIONS = ("json", "junit", "format", "strict", "require", "seed", "budget")
"""What of ``derive check``'s options decides its output (``-j`` does not: results keep their order)."""


@dataclass(frozen=True)
class Run:
    """One ``derive check`` as a key, and where its record lives."""

    key: str
    root: Path

    @staticmethod
    def of(args: argparse.Namespace) -> Run | None:
        """The run of ``args``, or None when it cannot be recorded."""
        if args.command != "check" or args.no_cache or args.module:
            return None
        sources: list[Any] = []
        for name in args.names:
            if is_document(name):
                try:
                    sources.append([name, [(str(p), _digest(p.read_bytes())) for p in document_files(name)]])
                except OSError:
                    return None  # the command says what is wrong with it
            elif is_file_argument(name):
                return None
            else:
                sources.append(name)
        options = {name: getattr(args, name) for name in OPTIONS}
        options["junit"] = bool(options["junit"])
        colour = sys.stdout.isatty() and not os.environ.get("NO_COLOR")
        material = json.dumps([FORMAT, fingerprint(), sources, options, colour], sort_keys=True)
        return Run(_digest(material.encode()), default_root())

    @property
    def path(self) -> Path:
        return self.root / RUNS / f"{self.key}.json"

    def replay(self, args: argparse.Namespace) -> int | None:
        """Print the recorded output and write the recorded JUnit file; None when
        there is no whole record of this run."""
        record = read_entry(self.path, self.key)
        if record is None:
            return None
        output, junit, code = record.get("output"), record.get("junit"), record.get("code")
        if not (isinstance(output, str) and isinstance(code, int) and (junit is None or isinstance(junit, str))):
            return None
        if args.junit:
            if junit is None:
                return None
            write_atomically(args.junit, junit)
        sys.stdout.write(output)
        return code

    def record(self, output: str, junit: str | None, code: int) -> None:
        write_entry(self.root, self.path, {"key": self.key, "output": output, "junit": junit, "code": code})


def run(args: argparse.Namespace, command: Callable[[argparse.Namespace], int]) -> int:
    """``command(args)``, or its recorded output when this exact run was recorded."""
    this = Run.of(args)
    if this is None:
        return command(args)
    replayed = this.replay(args)
    if replayed is not None:
        return replayed
    tee = _Tee(sys.stdout)
    with contextlib.redirect_stdout(tee):
        code = command(args)
    cache = getattr(args, "cache", None)
    if code in (0, 1) and cache is not None and cache.unsettled == 0:
        junit = Path(args.junit).read_text(encoding="utf-8") if args.junit else None
        this.record(tee.copy.getvalue(), junit, code)
    return code


def _digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


class _Tee(io.TextIOBase):
    """Standard output that also keeps a copy of what was written."""

    def __init__(self, out: TextIO) -> None:
        self.out = out
        self.copy = io.StringIO()

    def write(self, text: str) -> int:
        self.copy.write(text)
        return self.out.write(text)

    def flush(self) -> None:
        self.out.flush()

    def isatty(self) -> bool:
        return self.out.isatty()

    def fileno(self) -> int:
        return self.out.fileno()

    @property
    def encoding(self) -> str:  # type: ignore[override]
        return self.out.encoding
