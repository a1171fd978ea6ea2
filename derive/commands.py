"""The commands of ``derive`` (``derive.cli`` parses the command line and calls
one of these; they load SymPy, the parser does not).

>>> import argparse
>>> COMMANDS["list"](argparse.Namespace(names=["log-of-product"]))  # doctest: +ELLIPSIS
Examples [examples]
  log-of-product ...
0
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import sympy

from derive import loading, registry
from derive.cache import Cache, default_cache
from derive.cli import EXIT_FAIL, EXIT_OK, EXIT_UNDECIDED
from derive.derivation import Derivation, DerivationResult, check_derivation, check_many
from derive.engine import check
from derive.errors import InputError
from derive.files import is_document, is_file_argument, write_atomically
from derive.prose import plain
from derive.verdict import Status

if TYPE_CHECKING:
    from derive import documents


def _cache(args: argparse.Namespace) -> Cache | None:
    """The run's one cache (its tally of unsettled verdicts decides whether the run
    is recorded, see ``derive.replay``), or None with ``--no-cache``."""
    if args.no_cache:
        return None
    if getattr(args, "cache", None) is None:
        args.cache = default_cache()
    return args.cache


def _verify(args: argparse.Namespace) -> int:
    from derive.latex_reader import parse_latex_claim
    from derive.parsing import parse_claim

    claim = (parse_latex_claim if args.latex else parse_claim)(args.claim, args.assume)
    verdict = check(claim, budget=args.budget, seed=args.seed, cache=_cache(args))
    if args.json:
        print(json.dumps(verdict.as_json(), indent=2, sort_keys=False))
    else:
        print(verdict)
    return {
        Status.PROVED: EXIT_OK,
        Status.TESTED: EXIT_OK,
        Status.REFUTED: EXIT_FAIL,
        Status.UNDECIDED: EXIT_UNDECIDED,
    }[verdict.status]


def _selected(names: Sequence[str], modules: Sequence[str]) -> list[Derivation]:
    """The derivations named: a file or module contributes all of its own, unless
    names follow it (``notes.py NAME``), which are then looked up among them first."""
    chosen: list[Derivation] = []
    for module in modules:
        chosen += loading.from_module(module)
    local: list[Derivation] = []
    picked = False
    for name in names:
        if is_document(name) or is_file_argument(name):
            if local and not picked:
                chosen += local
            local, picked = _from_source(name), False
            continue
        match = [d for d in local if d.name == name]
        chosen += match or [registry.get(name)]
        picked = picked or bool(match)
    if local and not picked:
        chosen += local
    return chosen if (names or modules) else registry.derivations()


def _check_all(args: argparse.Namespace) -> list[DerivationResult]:
    chosen = _selected(args.names, args.module)
    return check_many(chosen, budget=args.budget, seed=args.seed, jobs=args.jobs, cache=_cache(args))


def _latex(args: argparse.Namespace) -> int:
    from derive import proofs

    chosen = _selected(args.names, args.module)
    for d in chosen:  # names that cannot be typeset fail before anything is checked or written
        proofs.block(d)
    results = _check_all(args)
    for r in results:
        if not r.ok:
            print(r, file=sys.stderr)
    if args.output:
        document = proofs.document(results, seed=args.seed, budget=args.budget)
        write_atomically(args.output, document)
        print(f"wrote {args.output}: {len(results)} derivation{'s' * (len(results) != 1)}")
    else:
        for r in results:
            print(f"% {r.derivation.name}: {r.derivation.title}")
            print(proofs.block(r))
    return EXIT_OK if all(r.ok for r in results) else EXIT_FAIL


def _docs(args: argparse.Namespace) -> int:
    from derive import docs

    figures = not args.no_figures
    if figures and not docs.figures_available():
        raise InputError("figures need matplotlib: pip install -e '.[figures]' (or pass --no-figures)")
    results = _check_all(args)
    written = docs.write(Path(args.output), docs.pages(results, args.seed, args.budget), figures)
    print(f"wrote {len(written)} files under {args.output}" + (" and the figures" if figures else ""))
    failed = [r for r in results if not r.ok]
    for r in failed:
        print(r, file=sys.stderr)
    return EXIT_FAIL if failed else EXIT_OK


def _check(args: argparse.Namespace) -> int:
    from derive import reports

    sources = [n for n in args.names if is_document(n)]
    others = [n for n in args.names if n not in sources]
    displays = [d for source in sources for d in _read_document(source)]
    chosen = _selected(others, args.module) if (others or args.module or not sources) else []
    readable = [d.derivation for d in displays if d.derivation is not None]
    checked = check_many(chosen + readable, budget=args.budget, seed=args.seed, jobs=args.jobs, cache=_cache(args))
    if args.require == "proved":
        checked = [r.requiring_proof() for r in checked]
    results, found = checked[: len(chosen)], iter(checked[len(chosen) :])
    items = [reports.DisplayResult(d, next(found) if d.derivation is not None else None) for d in displays]
    if args.junit:
        unreadable = [i.display for i in items if i.result is None]
        read_back: list[DerivationResult] = [i.result for i in items if i.result is not None]
        write_junit([*results, *read_back], args.junit, unreadable, args.strict)
    if args.json:
        out: dict[str, object] = {"derivations": [result_json(r) for r in results]}
        if sources:
            out["displays"] = [reports.display_json(i, result_json(i.result) if i.result else None) for i in items]
        print(json.dumps(out, indent=2))
    else:
        for r in results:
            print(_colour(str(r), False) if not r.ok else _colour(str(r).splitlines()[0], True))
            for step in r.tested_steps if r.ok else ():
                print(f"     step {step.index}: tested, not proved [{step.verdict.method}]")
        lines = (reports.github_lines if args.format == "github" else reports.plain_lines)(items, args.strict)
        for line in lines:
            print(line)
        if results:
            failed = sum(not r.ok for r in results)
            tested = reports.only_tested(results)
            counted = f"{len(results)} derivation{'s' * (len(results) != 1)}"
            print(f"{counted}: {len(results) - failed} ok, {failed} failed{tested}")
        if sources:
            print(reports.summary(items, args.strict))
    unread = any(i.result is None for i in items)
    ok = all(r.ok for r in results) and all(i.ok for i in items) and not (args.strict and unread)
    return EXIT_OK if ok else EXIT_FAIL


def result_json(result: DerivationResult) -> dict[str, object]:
    """The JSON contract of one checked derivation (see DESIGN.md)."""
    d = result.derivation
    return {
        "name": d.name,
        "title": d.title,
        "source": list(d.source),
        "expect": d.expect,
        "ok": result.ok,
        "steps": [
            {
                "index": s.index,
                "relation": s.step.relation.value,
                "status": s.verdict.status.value,
                "method": s.verdict.method,
                "reason": s.step.reason_text,
                "counterexample": s.verdict.counterexample.as_dict() if s.verdict.counterexample else None,
                "diagnosis": s.verdict.diagnosis.as_json() if s.verdict.diagnosis else None,
            }
            for s in result.steps
        ],
        "problems": list(result.problems),
    }


def write_junit(
    results: Sequence[DerivationResult], path: str, unread: Sequence[documents.Display] = (), strict: bool = False
) -> None:
    """JUnit XML: one test case per derivation (and per display of a document), one
    failure message per problem; a display derive cannot read is skipped, or a
    failure with ``--strict``."""
    import xml.etree.ElementTree as ET

    failures = sum(not r.ok for r in results) + (len(unread) if strict else 0)
    total = len(results) + len(unread)
    suite = ET.Element("testsuite", name="derive", tests=str(total), failures=str(failures))
    for r in results:
        case = ET.SubElement(suite, "testcase", classname=f"derive.{r.derivation.section}", name=r.derivation.name)
        for problem in r.problems:
            failure = ET.SubElement(case, "failure", message=problem)
            failure.text = str(r)
    for display in unread:
        case = ET.SubElement(suite, "testcase", classname="derive.documents", name=display.label)
        ET.SubElement(case, "failure" if strict else "skipped", message=f"{display.start}: {display.problem}")
    tree = ET.ElementTree(suite)
    ET.indent(tree)
    write_atomically(path, ET.tostring(suite, encoding="unicode", xml_declaration=True) + "\n")


def _from_source(name: str) -> list[Derivation]:
    """A Python file's derivations, or a document's readable displays."""
    if is_document(name):
        return [d.derivation for d in _read_document(name) if d.derivation is not None]
    return loading.from_file(name)


def _read_document(path: str) -> list[documents.Display]:
    """The displays of a Markdown or LaTeX document (its reader is imported only for one)."""
    from derive import documents

    return documents.read_path(path)


def _list(args: argparse.Namespace) -> int:
    for section, members in registry.by_section(_selected(args.names, []), lambda d: d.section).items():
        print(f"{registry.section_title(section)} [{section}]")
        for d in members:
            ids = ",".join(d.source) or "-"
            print(f"  {d.name:36} {ids:12} {d.expect:8} {plain(d.title)}")
    return EXIT_OK


def _show(args: argparse.Namespace) -> int:
    from derive.proofs import mark

    found = _selected(args.names, [])
    if len(found) != 1:
        names = ", ".join(d.name for d in found[:12])
        raise InputError(f"{' '.join(args.names)} names {len(found)} derivations, not one: add a name ({names})")
    (d,) = found
    unicode = (sys.stdout.encoding or "").lower().replace("-", "") == "utf8"
    print(f"{d.name}: {plain(d.title)}")
    print(f"claims {', '.join(d.source) or 'none'}; expect {d.expect}; over {d.domain.describe() or 'the reals'}")
    if d.note:
        print(f"note: {plain(d.note)}")
    result = check_derivation(d, budget=args.budget, seed=args.seed, cache=_cache(args))
    print()
    print(_indent(_pretty(d.start, unicode), "      "))
    for s in result.steps:
        relation = f"{s.step.relation.symbol:>4}  "
        print(_indent(_pretty(s.step.expr, unicode), relation, "      "))
        print(_colour(f"      step {s.index}: {mark(s.verdict)} [{s.verdict.method}]", s.verdict.holds))
        for line in s.why().splitlines()[1:]:
            print(f"        {line.strip()}")
        if s.verdict.status is Status.REFUTED:
            diagnosis = s.verdict.diagnosis
            print(f"        diagnosis: {diagnosis.sentence if diagnosis else 'no simple diagnosis'}")
        print()
    print(_colour("ok", True) if result.ok else _colour("FAIL: " + "; ".join(result.problems), False))
    return EXIT_OK if result.ok else EXIT_FAIL


def _indent(block: str, first: str, rest: str | None = None) -> str:
    rows = block.splitlines()
    baseline = len(rows) // 2
    pad = rest if rest is not None else first
    return "\n".join((first if i == baseline else pad) + row for i, row in enumerate(rows))


def _colour(line: str, good: bool) -> str:
    """``line`` in green or red when standard output is a terminal (and NO_COLOR is unset)."""
    if not sys.stdout.isatty() or os.environ.get("NO_COLOR"):
        return line
    return f"\033[{32 if good else 31}m{line}\033[0m"


def _cache_command(args: argparse.Namespace) -> int:
    cache = default_cache()
    if args.action == "clear":
        print(f"removed {cache.clear()} cached verdicts from {cache.root}")
        return EXIT_OK
    info = cache.info()
    print(f"{info.root}: {info.entries} cached verdicts, {info.runs} recorded runs, {info.size / 1024:.1f} KiB")
    return EXIT_OK


COMMANDS = {
    "check": _check,
    "verify": _verify,
    "latex": _latex,
    "docs": _docs,
    "list": _list,
    "show": _show,
    "cache": _cache_command,
}


def _pretty(expr: sympy.Expr, unicode: bool) -> str:
    """``expr`` for the terminal; held as written (``derive.writing``), in its author's order."""
    from derive.writing import Written

    order = "none" if isinstance(expr, Written) else None
    return str(sympy.pretty(expr, use_unicode=unicode, order=order))
