"""Derivations as LaTeX proofs: one ``align*`` block each, and a standalone document.

>>> import sympy
>>> from derive.claim import Domain, positive
>>> from derive.derivation import Derivation, eq, ge
>>> x = sympy.Symbol("x")
>>> d = Derivation(name="demo", title="A tiny chain", start=sympy.exp(sympy.log(x)),
...                steps=(eq(x, "exp and log are inverse"),), domain=Domain.of(x=positive()))
>>> print(block(d))
\\begin{align*}
  & x\\\\
  &= x \\tag*{exp and log are inverse}
\\end{align*}
>>> print(block(d.check()))
\\begin{align*}
  & x\\\\
  &= x \\tag*{exp and log are inverse; proved}
\\end{align*}
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from importlib import metadata

import sympy

from derive import registry
from derive.claim import Claim, Relation
from derive.definitions import used_definitions
from derive.derivation import Derivation, DerivationResult, Step, StepResult, status_counts
from derive.documents import declarations
from derive.latex import definition_latex, latex, lines, symbol_latex, text, visible_length
from derive.prose import in_math, latex_text
from derive.stated import domain_clause
from derive.verdict import Counterexample, Status, Verdict

RELATIONS = {
    Relation.EQ: "=",
    Relation.LE: r"\le",
    Relation.GE: r"\ge",
    Relation.LT: "<",
    Relation.GT: ">",
    Relation.ARGMAX: r"\overset{\arg\max}{\equiv}",
}

NOTE_WIDTH = 60
POINTS_PER_ROW = 4
_FLOAT = re.compile(r"(?P<mantissa>-?[0-9]+(?:\.[0-9]+)?)(?:e(?P<exponent>[+-]?[0-9]+))?\Z")


def mark(verdict: Verdict) -> str:
    """The margin mark of a verdict.

    >>> mark(Verdict(Status.TESTED, "numeric", 0, samples=20000))
    'tested, 20000 points'
    """
    if verdict.status is Status.TESTED:
        return f"tested, {verdict.samples} points"
    if verdict.status is Status.REFUTED:
        return "REFUTED"
    return verdict.status.value


def counterexample_latex(ce: Counterexample) -> str:
    """``x = 1/2, ...: lhs = ..., rhs = ...`` in math mode.

    >>> counterexample_latex(Counterexample((("p1", "1/2"),), "0.5", "-1e-3"))
    'p_{1} = \\\\frac{1}{2};\\\\ \\\\text{lhs} = 0.5,\\\\ \\\\text{rhs} = -1 \\\\cdot 10^{-3}'
    """
    where = r",\; ".join(assignment_latex(k, v) for k, v in ce.point) or r"\text{every point}"
    return rf"{where};\ \text{{lhs}} = {_number(ce.lhs)},\ \text{{rhs}} = {_number(ce.rhs)}"


def _value(value: str) -> str:
    try:
        return latex(sympy.Rational(value))
    except (TypeError, ValueError):
        return rf"\text{{{text(value)}}}"


def _number(value: str) -> str:
    match = _FLOAT.match(value)
    if match is None:
        return rf"\text{{{text(value)}}}"
    mantissa, exponent = match["mantissa"], match["exponent"]
    return mantissa + (rf" \cdot 10^{{{int(exponent)}}}" if exponent else "")


_WORD = re.compile(r"(?:\$[^$]*\$|\S)+")
"""A word of prose; an author's ``$...$`` is one word however many spaces it holds."""
_MATH = re.compile(r"\$([^$]*)\$")


def _wrap(sentence: str, width: int = NOTE_WIDTH) -> list[str]:
    r"""``sentence`` in lines of about ``width`` printed characters, never breaking a ``$...$``.

    >>> _wrap(r"one term: dropping $\log{\left(\sum_{i=1}^{n} \frac{p_{i}^{2}}{q_{i}} \right)}$ on the lhs", 30)
    ['one term: dropping', '$\\log{\\left(\\sum_{i=1}^{n} \\frac{p_{i}^{2}}{q_{i}} \\right)}$ on the lhs']
    """
    out: list[str] = []
    for word in _WORD.findall(sentence):
        if out and _printed(out[-1]) + 1 + _printed(word) <= width:
            out[-1] += " " + word
        else:
            out.append(word)
    return out


def _printed(prose: str) -> int:
    """The printed width of ``prose``: its math by ``visible_length``, the rest by its characters."""
    return len(_MATH.sub("", prose)) + sum(visible_length(m) for m in _MATH.findall(prose))


def _start_rows(expr: sympy.Expr) -> list[str]:
    first, *rest = lines(expr)
    return [f"& {first}"] + [rf"&\qquad {row}" for row in rest]


def _step_rows(relation: Relation, expr: sympy.Expr, annotation: str, tags: bool = True) -> list[str]:
    parts = lines(expr)
    rows = [f"&{RELATIONS[relation]} {parts[0]}"] + [rf"&\qquad {p}" for p in parts[1:]]
    rows[-1] += rf" \tag*{{{latex_text(annotation)}}}" if tags else rf" && {in_math(annotation)}"
    return rows


_ENTRY_NAME = re.compile(r"(?P<base>[A-Za-z][A-Za-z0-9_]*)\[(?P<index>-?[0-9]+(?:,-?[0-9]+)*)\]\Z")


def point_latex(name: str) -> str:
    """A counterexample's variable: ``x`` as a symbol, an entry ``p[1]`` as ``p_{1}``.

    >>> print(point_latex("p[1]"), point_latex("x[1,2]"), point_latex("sigma"))
    p_{1} x_{1,2} \\sigma
    """
    entry = _ENTRY_NAME.match(name)
    if entry is None:
        return symbol_latex(name)
    return f"{symbol_latex(entry.group('base'))}_{{{entry.group('index')}}}"


def assignment_latex(name: str, value: str) -> str:
    """One coordinate of a counterexample, ``x[1] = 1/2``, as math.

    >>> print(assignment_latex("x[1]", "1/2"))
    x_{1} = \\frac{1}{2}
    """
    return f"{point_latex(name)} = {_value(value)}"


def _verdict_rows(verdict: Verdict) -> list[str]:
    """The counterexample (a few variables per row) and the diagnosis beneath a refuted step."""
    rows = []
    ce = verdict.counterexample
    if ce is not None:
        points = [assignment_latex(k, v) for k, v in ce.point] or [r"\text{every point}"]
        for i in range(0, len(points), POINTS_PER_ROW):
            label = r"\text{counterexample: }" if i == 0 else r"\phantom{\text{counterexample: }}"
            rows.append(rf"&\qquad {label}" + r",\; ".join(points[i : i + POINTS_PER_ROW]))
        rows.append(rf"&\qquad \text{{where lhs}} = {_number(ce.lhs)},\ \text{{rhs}} = {_number(ce.rhs)}")
    if verdict.status is Status.REFUTED:
        d = verdict.diagnosis
        explained = _with_status(_text_style(d.latex) if d.latex else d.sentence, d.status) if d else ""
        sentence = "diagnosis: " + (explained or "no simple diagnosis")
        rows += [rf"&\qquad {text_in_math(chunk)}" for chunk in _wrap(sentence)]
    return rows


def _text_style(prose: str) -> str:
    r"""Each formula of ``prose`` in text style: inside a display's ``\text`` it would be
    set as a display (a fraction full size, a sum's limits above and below).

    >>> print(_text_style(r"dropping $\sum_{i=1}^{n} x_{i}$ on the lhs"))
    dropping $\textstyle \sum_{i=1}^{n} x_{i}$ on the lhs
    """
    return _MATH.sub(lambda m: rf"$\textstyle {m.group(1)}$", prose)


def text_in_math(value: str) -> str:
    r"""Text for a row of a math display: one ``\text{...}`` with its formulas (``<=``,
    ``p_i``, ``$...$``) set as math inside it, which pdflatex and MathJax both read.

    >>> text_in_math("holds (lhs <= rhs)")
    '\\text{holds (lhs $\\le$ rhs)}'
    """
    return in_math(value)


def _with_status(sentence: str, status: str) -> str:
    return sentence if status in sentence else f"{sentence} ({status})"


def _evidence_rows(result: StepResult) -> list[str]:
    verdict = result.verdict
    rows = _verdict_rows(verdict)
    if result.rule_problem:
        rows += [rf"&\qquad {text_in_math(chunk)}" for chunk in _wrap(result.rule_problem)]
    return rows


def domain_sentence(derivation: Derivation) -> str:
    """``For $p, q$ on the $n$-simplex and $x > 0$.`` (prose), or "" without variables.

    >>> from derive import registry
    >>> domain_sentence(registry.get("log-of-product"))
    'For $x, y > 0$.'
    """
    clause = domain_clause(derivation.domain, derivation.expressions())
    named = [f"${definition_latex(d)}$" for d in used_definitions(derivation.expressions())]
    where = f", where {' and '.join(named)}" if named else ""
    return f"For {clause}{where}." if clause else (f"Here {' and '.join(named)}." if named else "")


def block(item: Derivation | DerivationResult, environment: str = "align*", domain: bool = False) -> str:
    """The chain as ``align*``: one row per step, its reason (and verdict) in the margin,
    and with ``domain`` a first row that states the domain (for Jupyter, where no
    paragraph around the display states it).

    With ``environment="aligned"`` (for Markdown math, where tags are not allowed) the
    reason and verdict stand in a second column instead."""
    tags = environment == "align*"
    result = item if isinstance(item, DerivationResult) else None
    derivation = item.derivation if isinstance(item, DerivationResult) else item
    stated = domain_sentence(derivation) if domain else ""
    rows = ([f"&{in_math(stated)}"] if stated else []) + _start_rows(derivation.start)
    for i, step in enumerate(derivation.steps):
        annotation = step.reason_text
        if result is not None:
            annotation += "; " + mark(result.steps[i].verdict)
        rows += _step_rows(step.relation, step.expr, annotation, tags)
        if result is not None:
            rows += _evidence_rows(result.steps[i])
    return _align(rows, environment)


def _align(rows: Sequence[str], environment: str = "align*") -> str:
    body = "\\\\\n".join(f"  {row}" for row in rows)
    return f"\\begin{{{environment}}}\n{body}\n\\end{{{environment}}}"


def claim_block(claim: Claim) -> str:
    """A claim as ``align*`` (its ``_repr_latex_``), its domain in the margin."""
    clause = domain_clause(claim.domain, [claim.lhs, claim.rhs])
    return _align(_start_rows(claim.lhs) + _step_rows(claim.relation, claim.rhs, f"for {clause}" if clause else ""))


def step_block(step: Step) -> str:
    """One step, without the expression it starts from."""
    return _align(_step_rows(step.relation, step.expr, step.reason_text))


def verdict_summary(verdict: Verdict) -> str:
    """A verdict (its ``_repr_latex_``): the mark, method and detail, and beneath a
    refutation its counterexample and diagnosis."""
    rows = [f"&{text_in_math(chunk)}" for chunk in _wrap(f"{mark(verdict)} by {verdict.method}: {verdict.detail}")]
    return _align(rows + _verdict_rows(verdict))


def heading(derivation: Derivation) -> str:
    """The derivation's title, name and claim ids (when it has any), as a starred subsection."""
    ids = f" \\quad claims: {text(', '.join(derivation.source))}" if derivation.source else ""
    kept = {"erratum": " \\quad (the article's step as written)", "refuted": " \\quad (a wrong step, kept on purpose)"}
    return f"\\subsection*{{{latex_text(derivation.title)}}}\n\\texttt{{{text(derivation.name)}}}{ids}" + kept.get(
        derivation.expect, ""
    )


def section_of(result: DerivationResult) -> str:
    """Heading, note, the proof block, and the problems when the check failed."""
    d = result.derivation
    parts = [heading(d)]
    stated = domain_sentence(d)
    if stated:
        parts.append(f"\n{latex_text(stated)}")
    if d.note:
        parts.append(f"\n{latex_text(d.note)}")
    parts += [f"% derive: {line}" for line in declarations(d)]
    parts.append(block(result))
    if not result.ok:
        parts.append("\\textbf{This derivation did not meet its expectation:} " + text("; ".join(result.problems)))
    return "\n".join(parts) + "\n"


PREAMBLE = r"""\documentclass[11pt]{article}
\usepackage[margin=2.2cm]{geometry}
\usepackage{amsmath,amssymb}
\allowdisplaybreaks
\sloppy
\title{%(title)s}
\author{checked by derive %(version)s}
\date{}
\begin{document}
\maketitle
"""


def _intro(results: Sequence[DerivationResult], seed: int, budget: float) -> str:
    summary = ", ".join(f"{n} {status.value}" for status, n in status_counts(results).items())
    failed = sum(not r.ok for r in results)
    ok = len(results) - failed
    return (
        "Each derivation is a chain of steps. Every step is a claim that derive checked: "
        "\\emph{proved} means a symbolic proof (or a rule whose side conditions were proved), "
        "\\emph{tested} means agreement at the stated number of seeded sample points without a proof, "
        "\\emph{REFUTED} means a counterexample confirmed in high precision at an exact point, shown beneath "
        "the step. The margin gives the author's reason, then the verdict. $\\log$ is the natural logarithm; "
        "$\\sigma(z) = 1/(1 + e^{-z})$.\n\n"
        f"{_count(len(results), 'derivation')}, {_count(sum(len(r.steps) for r in results), 'step')}: {summary}. "
        f"{_count(ok, 'derivation')} {'meets its' if ok == 1 else 'meet their'} expectation, "
        f"{failed} {'does' if failed == 1 else 'do'} not. "
        f"Seed {seed}, budget {budget:g} s per claim.\n"
    )


def _count(n: int, noun: str) -> str:
    """``1 step``, ``2 steps``."""
    return f"{n} {noun}{'s' * (n != 1)}"


def document(
    results: Sequence[DerivationResult], *, title: str = "Derivations, checked step by step", seed: int = 0,
    budget: float = 10.0,
) -> str:  # fmt: skip
    """A standalone LaTeX document: one section per derivation section, then the errata."""
    out = [PREAMBLE % {"title": text(title), "version": text(_version())}, _intro(results, seed, budget)]
    by_name = {r.derivation.name: r for r in results}
    errata = [r for r in results if r.derivation.expect == "erratum"]
    kept = (r for r in results if r.derivation.expect != "erratum")
    for section, members in registry.by_section(kept, lambda r: r.derivation.section).items():
        out.append(f"\\section{{{text(registry.section_title(section))}}}\n")
        out += [section_of(r) for r in members]
    if errata:
        out.append("\\section{Errata}\n")
        out.append(
            "Each erratum is the article's step as written, checked: the refuted step, its counterexample and "
            "diagnosis, then the corrected derivation.\n"
        )
        for r in errata:
            out.append(section_of(r))
            for name in r.derivation.corrected_by:
                corrected = by_name.get(name)
                if corrected is not None:
                    heading = f"\\paragraph{{Corrected.}} {latex_text(corrected.derivation.title)}"
                    # shown again beside its erratum; checked where it first stands
                    out.append(f"{heading}\n% derive: skip\n{block(corrected)}\n")
    out.append("\\end{document}\n")
    return "\n".join(out)


def _version() -> str:
    try:
        return metadata.version("derive")
    except metadata.PackageNotFoundError:
        return "(development)"
