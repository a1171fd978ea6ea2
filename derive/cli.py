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
import json
import os
import sys
import xml.etree.ElementTree as ET
from collections.abc import Sequence
from pathlib import Path
from typing import NoReturn

import sympy

from derive import docs, documents, loading, proofs, registry, reports
from derive.check import DEFAULT_BUDGET, DEFAULT_SEED, check
from derive.derivation import Derivation, DerivationResult, check_derivation, check_many
from derive.errors import InputError, SoundnessError
from derive.files import write_atomically
from derive.latex_reader import parse_latex_claim
from derive.parsing import parse_claim
from derive.proofs import mark
from derive.prose import plain
from derive.verdict import Status

EXIT_OK, EXIT_FAIL, EXIT_USAGE, EXIT_UNDECIDED, EXIT_INTERNAL = 0, 1, 2, 3, 4
DOCS_BUDGET = 60.0  # generated docs are committed: a slow machine must not change a verdict


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        raise InputError(message)


def _parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="derive", description="Verify mathematical derivations step by step.")
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)

    chk = sub.add_parser("check", help="check registered derivations (all by default), files and documents")
    chk.add_argument("names", nargs="*", metavar="SOURCE",
                     help="derivation names, Python files of derivations (then NAMEs among them), "
                     "Markdown or LaTeX documents, or folders of documents")  # fmt: skip
    chk.add_argument("-m", "--module", action="append", default=[], metavar="MODULE",
                     help="check the derivations of an importable module")  # fmt: skip
    chk.add_argument("-j", "--jobs", type=int, default=1, metavar="N", help="check N derivations at a time")
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
    tex.add_argument("-j", "--jobs", type=int, default=1, metavar="N", help="check N derivations at a time")
    _budget_options(tex)

    doc = sub.add_parser("docs", help="generate docs/ from the registered derivations")
    doc.add_argument("-o", "--output", default="docs", metavar="DIR", help="the docs folder (default: docs)")
    doc.add_argument("-j", "--jobs", type=int, default=2, metavar="N", help="check N derivations at a time")
    doc.add_argument("--no-figures", action="store_true", help="skip the PNG figures (their CSV data is kept)")
    _budget_options(doc, budget=DOCS_BUDGET)
    doc.set_defaults(names=[], module=[])

    lst = sub.add_parser("list", help="list the registered derivations (or those of files and documents)")
    lst.add_argument("names", nargs="*", metavar="SOURCE", help="Python files, Markdown or LaTeX documents")
    show = sub.add_parser("show", help="one derivation, step by step, with verdicts")
    show.add_argument("names", nargs="+", metavar="NAME", help="a derivation's name, or a file then a name in it")
    _budget_options(show)
    return parser


def _budget_options(parser: argparse.ArgumentParser, budget: float = DEFAULT_BUDGET) -> None:
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED, help="sampling seed")
    parser.add_argument("--budget", type=float, default=budget, help=f"seconds per claim (default {budget:g})")


def main(argv: Sequence[str] | None = None) -> int:
    try:
        args = _parser().parse_args(argv)
        if args.command != "list" and not 0 < args.budget <= 3600:
            raise InputError(f"--budget must be between 0 and 3600 seconds, got {args.budget:g}")
        return int(_COMMANDS[args.command](args))
    except InputError as exc:
        print(f"derive: error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except SoundnessError as exc:
        print(f"derive: INTERNAL SOUNDNESS ERROR, please report: {exc}", file=sys.stderr)
        return EXIT_INTERNAL
    except BrokenPipeError:  # derive list | head: the reader has all it wanted
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_OK


def _verify(args: argparse.Namespace) -> int:
    claim = (parse_latex_claim if args.latex else parse_claim)(args.claim, args.assume)
    verdict = check(claim, budget=args.budget, seed=args.seed)
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
        if documents.is_document(name) or loading.is_file_argument(name):
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
    if not 1 <= args.jobs <= 64:
        raise InputError(f"-j takes 1 to 64 jobs, got {args.jobs}")
    chosen = _selected(args.names, args.module)
    return check_many(chosen, budget=args.budget, seed=args.seed, jobs=args.jobs)


def _latex(args: argparse.Namespace) -> int:
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
        print(f"wrote {args.output}: {len(results)} derivations")
    else:
        for r in results:
            print(f"% {r.derivation.name}: {r.derivation.title}")
            print(proofs.block(r))
    return EXIT_OK if all(r.ok for r in results) else EXIT_FAIL


def _docs(args: argparse.Namespace) -> int:
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
    if not 1 <= args.jobs <= 64:
        raise InputError(f"-j takes 1 to 64 jobs, got {args.jobs}")
    sources = [n for n in args.names if documents.is_document(n)]
    others = [n for n in args.names if n not in sources]
    displays = [d for source in sources for d in documents.read_path(source)]
    chosen = _selected(others, args.module) if (others or args.module or not sources) else []
    readable = [d.derivation for d in displays if d.derivation is not None]
    checked = check_many(chosen + readable, budget=args.budget, seed=args.seed, jobs=args.jobs)
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
        lines = (reports.github_lines if args.format == "github" else reports.plain_lines)(items, args.strict)
        for line in lines:
            print(line)
        if results:
            failed = sum(not r.ok for r in results)
            print(f"{len(results)} derivations: {len(results) - failed} ok, {failed} failed")
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
    if documents.is_document(name):
        return [d.derivation for d in documents.read_path(name) if d.derivation is not None]
    return loading.from_file(name)


def _list(args: argparse.Namespace) -> int:
    for section, members in registry.by_section(_selected(args.names, []), lambda d: d.section).items():
        print(f"{registry.section_title(section)} [{section}]")
        for d in members:
            ids = ",".join(d.source) or "-"
            print(f"  {d.name:36} {ids:12} {d.expect:8} {plain(d.title)}")
    return EXIT_OK


def _show(args: argparse.Namespace) -> int:
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
    result = check_derivation(d, budget=args.budget, seed=args.seed)
    print()
    print(_indent(sympy.pretty(d.start, use_unicode=unicode), "      "))
    for s in result.steps:
        relation = f"{s.step.relation.symbol:>4}  "
        print(_indent(sympy.pretty(s.step.expr, use_unicode=unicode), relation, "      "))
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


_COMMANDS = {"check": _check, "verify": _verify, "latex": _latex, "docs": _docs, "list": _list, "show": _show}


if __name__ == "__main__":
    raise SystemExit(main())
