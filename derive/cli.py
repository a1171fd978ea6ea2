"""The command line: ``derive check | verify | latex | docs | list | show``.

Exit codes: 0 everything holds / meets its expectation; 1 refuted / a derivation
missed its expectation; 2 bad usage or input; 3 undecided (``verify``);
4 internal soundness error (symbolic and numeric stages disagree).

>>> main(["verify", "exp(x) >= 1 + x", "--json"])  # doctest: +ELLIPSIS
{
  "claim": "exp(x) >= 1 + x",
  "status": "proved",
  "method": "symbolic: convexity",
  ...
0
"""

from __future__ import annotations

import argparse
import atexit
import contextlib
import errno
import os
import sys
import threading
from collections.abc import Sequence
from typing import NoReturn, TextIO

from derive import __version__, budget, replay, store
from derive.defaults import DEFAULT_BUDGET, DEFAULT_SEED, DOCS_BUDGET
from derive.errors import InputError, SoundnessError

EXIT_OK, EXIT_FAIL, EXIT_USAGE, EXIT_UNDECIDED, EXIT_INTERNAL = 0, 1, 2, 3, 4


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        raise InputError(message)


def _parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="derive", description="Verify mathematical derivations step by step.")
    parser.add_argument("--version", action="version", version=f"derive {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)

    chk = sub.add_parser("check", help="check registered derivations (all by default), files and documents")
    chk.add_argument("names", nargs="*", metavar="SOURCE",
                     help="derivation names, Python files of derivations (then NAMEs among them), "
                     "Markdown or LaTeX documents, or folders of documents")  # fmt: skip
    chk.add_argument("-m", "--module", action="append", default=[], metavar="MODULE",
                     help="check the derivations of an importable module")  # fmt: skip
    _jobs_option(chk)
    chk.add_argument("--json", action="store_true", help="print one JSON document")
    chk.add_argument("--junit", metavar="FILE", help="also write JUnit XML to FILE")
    chk.add_argument("--format", choices=("text", "github"), default="text",
                     help="github: GitHub Actions workflow commands for documents")  # fmt: skip
    chk.add_argument("--strict", action="store_true", help="a display that cannot be read fails the check")
    chk.add_argument("--require", choices=("holds", "proved"), default="holds",
                     help="proved: a step that is only tested fails its derivation")  # fmt: skip
    _budget_options(chk)

    ver = sub.add_parser("verify", help="verify one claim typed in Python-style math (or LaTeX with --latex)")
    ver.add_argument("claim")
    ver.add_argument("--assume", action="append", default=[], metavar="A", help="e.g. 'x > 0', 'n integer'")
    ver.add_argument("--latex", action="store_true", help="read CLAIM as LaTeX (see docs/latex-input.md)")
    ver.add_argument("--json", action="store_true")
    _budget_options(ver)

    tex = sub.add_parser("latex", help="the derivations as LaTeX proofs (align* blocks, or a document with -o)")
    tex.add_argument("names", nargs="*", metavar="NAME", help="derivation names or Python files of derivations")
    tex.add_argument("-m", "--module", action="append", default=[], metavar="MODULE",
                     help="the derivations of an importable module")  # fmt: skip
    tex.add_argument("-o", "--output", metavar="FILE", help="write a standalone document to FILE")
    _jobs_option(tex)
    _budget_options(tex)

    doc = sub.add_parser("docs", help="generate docs/ from the registered derivations")
    doc.add_argument("-o", "--output", default="docs", metavar="DIR", help="the docs folder (default: docs)")
    _jobs_option(doc)
    doc.add_argument("--no-figures", action="store_true", help="skip the PNG figures (their CSV data is kept)")
    _budget_options(doc, budget=DOCS_BUDGET)
    doc.set_defaults(names=[], module=[])

    lst = sub.add_parser("list", help="list the registered derivations (or those of files and documents)")
    lst.add_argument("names", nargs="*", metavar="SOURCE", help="Python files, Markdown or LaTeX documents")
    show = sub.add_parser("show", help="one derivation, step by step, with verdicts")
    show.add_argument("names", nargs="+", metavar="NAME", help="a derivation's name, or a file then a name in it")
    _budget_options(show)

    cache = sub.add_parser("cache", help="the verdict cache ($DERIVE_CACHE_DIR, else .derive_cache here)")
    cache.add_argument("action", choices=("info", "clear"), help="info: where, entries, size; clear: remove entries")
    return parser


def _jobs(text: str) -> int | str:
    if text == "auto":
        return text
    try:
        jobs = int(text)
    except ValueError:
        jobs = 0
    if not 1 <= jobs <= 64:
        raise InputError(f"-j takes a number of jobs (1 to 64) or 'auto', got {text!r}")
    return jobs


def _jobs_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("-j", "--jobs", type=_jobs, default="auto", metavar="N",
                        help="check N derivations at a time (default auto: one per core)")  # fmt: skip


def _budget_options(parser: argparse.ArgumentParser, budget: float = DEFAULT_BUDGET) -> None:
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED, help="sampling seed")
    parser.add_argument("--budget", type=float, default=budget, help=f"seconds per claim (default {budget:g})")
    parser.add_argument("--no-cache", action="store_true", help="read and write no cached verdicts")


def main(argv: Sequence[str] | None = None) -> int:
    try:
        args = _parser().parse_args(argv)
        if args.command not in ("list", "cache") and not 0 < args.budget <= 3600:
            raise InputError(f"--budget must be between 0 and 3600 seconds, got {args.budget:g}")
        return replay.run(args, _command)
    except InputError as exc:
        print(f"derive: error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except SoundnessError as exc:
        print(f"derive: INTERNAL SOUNDNESS ERROR, please report: {exc}", file=sys.stderr)
        return EXIT_INTERNAL
    except BrokenPipeError:  # derive list | head: the reader has all it wanted
        _to_nowhere(sys.stdout)
        return EXIT_OK
    except OSError as exc:
        if exc.errno not in _NO_ROOM:
            raise
        with contextlib.suppress(OSError, ValueError, AttributeError):  # standard output may be no file at all
            _to_nowhere(sys.stdout)  # what is still buffered cannot be written either
        print(f"derive: error: the output could not be written: {exc.strerror}", file=sys.stderr)
        return EXIT_USAGE


_NO_ROOM = (errno.ENOSPC, errno.EDQUOT, errno.EFBIG)
"""A full disk, a quota or a file-size limit: the output (standard output or a file)
could not be written, said in one line like bad usage (exit 2)."""


def script() -> NoReturn:
    """The ``derive`` command and ``python -m derive``: ``main`` on the process's arguments,
    then the process ends without freeing what it built, one object at a time. A check
    holds millions of SymPy objects; Python's own exit took 0.25-0.3 s to free them after
    the answer was printed. Standard output and error are flushed and the exit handlers
    run first; a thread still running, or a stream that cannot be flushed, gets Python's
    own exit (which waits for the thread, or says what failed and exits 120)."""
    code = main()
    running = any(t.is_alive() and not t.daemon for t in threading.enumerate() if t is not threading.main_thread())
    if running or not _flushed():
        sys.exit(code)
    atexit._run_exitfuncs()
    os._exit(code)


def _flushed() -> bool:
    """Whether standard output and error are flushed (a reader that has gone counts:
    nothing more can reach it, as ``main`` treats it)."""
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except BrokenPipeError:
            _to_nowhere(stream)
        except (AttributeError, OSError, ValueError):  # closed, missing, or a full disk
            return False
    return True


def _to_nowhere(stream: TextIO) -> None:
    """Send what is still buffered for ``stream`` to the null device: its reader has
    gone, or the disk has no room for it."""
    os.dup2(os.open(os.devnull, os.O_WRONLY), stream.fileno())


def _command(args: argparse.Namespace) -> int:
    checking = args.command in _CHECKING
    if checking:
        budget.collect_less()
    cold = checking and (args.no_cache or not store.has_entries(store.default_root()))
    if cold and not budget.can_fork():
        budget.prewarm(budget.job_count(args.jobs), "derive.engine")  # cold: workers start while SymPy loads here
    if checking:  # after the workers are started: this imports SymPy
        from derive import faster_sympy

        faster_sympy.install()
    from derive.commands import COMMANDS

    return int(COMMANDS[args.command](args))


_CHECKING = ("check", "latex", "docs")


if __name__ == "__main__":
    script()
