r"""Derivations where authors write them: the display math of Markdown and LaTeX
documents, read as chains of steps and checked in place.

A document is a list of regions with positions (math displays and ``derive:``
declarations in comments). Each display with a top-level relation is a chain:
``A = B \le C`` is two steps, each reported at the line and column of the relation
sign that begins it. Markdown is read with markdown-it-py (``$$`` blocks,
```` ```math ```` fences, ``\[ \]``, amsmath environments), LaTeX with pylatexenc
(``equation``, ``align``, ``gather``, ``multline``, ``\[ \]``, ``$$``, with
``aligned``/``split`` inside): both give the positions without hand-written
regular expressions over the document.

>>> displays = read_text("notes.md", "<!-- derive: assume x > 0 -->\n\n$$\n\\log(x^2) = 2 \\log x\n$$\n")
>>> d = displays[0]
>>> d.label, d.derivation.domain.describe(), [str(p) for p in d.positions]
('notes.md:4', 'x in (0, oo)', ['notes.md:4:11'])
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import sympy

from derive.claim import AnyDomain, Domain, Relation
from derive.definitions import define, used_definitions, vector_arguments, with_definitions
from derive.derivation import Derivation, Step
from derive.errors import DefinitionError, InputError, ParseError
from derive.files import document_files
from derive.latex_reader import names_in, parse_definition_head, parse_latex
from derive.parsing import Known, parse_assumption
from derive.reasons import rule_named
from derive.writing import as_written, written

MAX_DOCUMENT = 1_000_000
"""Bytes: a larger document is refused (one clear line, nothing checked)."""
FORBIDDEN = ("input", "include", "write", "write18", "immediate", "openout", "openin", "read", "catcode", "def",
             "edef", "gdef", "newcommand", "renewcommand", "csname", "usepackage")  # fmt: skip
"""Commands that have no place in a formula: a display with one is an error, not a warning."""


@dataclass(frozen=True)
class Position:
    """A place in a document, 1-based, printed ``FILE:LINE:COL``."""

    path: str
    line: int
    column: int = 0

    def __str__(self) -> str:
        return f"{self.path}:{self.line}" + (f":{self.column}" if self.column else "")


@dataclass(frozen=True)
class Display:
    """One chain of a document: its derivation (None when it could not be read),
    the position of each step's relation sign, and what was not checked and why."""

    label: str
    start: Position
    derivation: Derivation | None
    positions: tuple[Position, ...] = ()
    problem: str = ""
    sources: tuple[str, ...] = ()
    texts: tuple[str, ...] = ()

    def step_text(self, index: int) -> str:
        """Step ``index`` (1-based) as the author wrote it: ``A = B``."""
        assert self.derivation is not None
        relation = self.derivation.steps[index - 1].relation.value
        return f"{self.texts[index - 1]} {relation} {self.texts[index]}"

    @property
    def checked(self) -> bool:
        return self.derivation is not None


@dataclass
class _Region:
    """Display math with a map from offsets in ``content`` to file positions."""

    content: str
    where: Callable[[int], Position]
    kind: str = "math"


@dataclass
class _Directive:
    text: str
    position: Position


@dataclass
class _Stray:
    """A line of prose that reads like a directive (``derive: assume x > 0``) outside a
    comment: it declares nothing, and the reader is told so."""

    text: str
    position: Position


@dataclass
class _Settings:
    """What the declarations so far say: assumptions in force, and what applies to
    the next display only."""

    assumptions: list[tuple[tuple[str, ...], AnyDomain, str, int]] = field(default_factory=list)
    directives: int = 0
    skip: bool = False
    expect: str = "holds"
    name: str = ""
    definitions: dict[str, Known] = field(default_factory=dict)

    def read(
        self, latex: str, domain: Domain, indices: tuple[str, ...] = (), entries: frozenset[str] = frozenset()
    ) -> sympy.Expr:
        """A formula of the document as written (printed as read, checked evaluated), its
        defined names standing for their definitions (``indices`` those of a definition's body,
        ``entries`` vectors whose ``z_1`` is an entry)."""
        expr = parse_latex(latex, domain, self.definitions, as_read=True, indices=indices, entries=entries)
        with written():
            expr = with_definitions(expr, self.definitions)
        return as_written(expr)

    def domain(self) -> Domain:
        domain = Domain()
        for names, dom, _, _ in self.assumptions:
            domain = domain.bind(names, dom)
        return domain

    def next_display(self) -> tuple[bool, str, str]:
        taken = (self.skip, self.expect, self.name)
        self.skip, self.expect, self.name = False, "holds", ""
        return taken


def read_path(path: str | Path) -> list[Display]:
    """The displays of a document, or of every ``.md`` and ``.tex`` file under a
    folder (sorted), in file order."""
    return [d for f in document_files(path) for d in read_file(f)]


def read_file(path: str | Path) -> list[Display]:
    shown = str(path)
    try:
        data = Path(path).read_bytes()
    except OSError as exc:
        raise InputError(f"{shown}: cannot read ({exc.strerror or exc})") from None
    if len(data) > MAX_DOCUMENT:
        raise InputError(f"{shown}:1: the document is {len(data):,} bytes; the limit is {MAX_DOCUMENT:,}")
    if b"\0" in data:
        line = data[: data.index(b"\0")].count(b"\n") + 1
        raise InputError(f"{shown}:{line}: a NUL byte: not a text document")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise InputError(f"{shown}:{line}: not UTF-8 text ({exc.reason})") from None
    return read_text(shown, text)


def read_text(path: str, text: str) -> list[Display]:
    """The displays of ``text``, a Markdown document or (``.tex``) a LaTeX one."""
    lines = _LineIndex(text, path)
    regions = _latex_regions(text, lines) if path.endswith(".tex") else _markdown_regions(text, lines)
    settings = _Settings()
    displays: list[Display] = []
    for region in regions:
        if isinstance(region, _Directive):
            _apply(region, settings)
            continue
        if isinstance(region, _Stray):
            comment = "<!-- derive: ... -->" if not path.endswith(".tex") else "% derive: ..."
            problem = f"'{region.text}' is prose, not a directive: write it as a comment, {comment}"
            displays.append(Display(str(region.position), region.position, None, problem=problem))
            continue
        skip, expect, name = settings.next_display()
        if skip:
            continue
        displays += _displays(region, settings, expect, name, len(displays))
    return displays


class _LineIndex:
    def __init__(self, text: str, path: str):
        self.path = path
        self.starts = [0] + [m.end() for m in re.finditer("\n", text)]
        self.lines = text.split("\n")

    def position(self, offset: int) -> Position:
        import bisect

        line = bisect.bisect_right(self.starts, offset) - 1
        return Position(self.path, line + 1, offset - self.starts[line] + 1)


# --- Markdown -----------------------------------------------------------------

_DIRECTIVE_MD = re.compile(r"<!--\s*derive:(.*?)-->", re.S)


def _markdown_regions(text: str, lines: _LineIndex) -> list[_Region | _Directive | _Stray]:
    from markdown_it import MarkdownIt
    from mdit_py_plugins.amsmath import amsmath_plugin
    from mdit_py_plugins.dollarmath import dollarmath_plugin

    md = MarkdownIt("commonmark").use(dollarmath_plugin, double_inline=True).use(amsmath_plugin)
    out: list[_Region | _Directive | _Stray] = []
    for token in md.parse(text):
        first, last = token.map or (0, 0)
        if token.type == "math_block":
            _check_closed(lines, first, last, "$$")
            out.append(_block(token.content, lines, first, last))
        elif token.type == "fence" and token.info.strip() == "math":
            out.append(_block(token.content, lines, first + 1, last))
        elif token.type == "amsmath":
            out.append(_environment(token.content, lines, first, last))
        elif token.type == "html_block":
            block = "\n".join(lines.lines[first:last])
            base = lines.starts[first] if first < len(lines.starts) else 0
            for match in _DIRECTIVE_MD.finditer(block):
                out.append(_Directive(match.group(1), lines.position(base + match.start())))
        elif token.type == "inline":
            out += _paragraph(lines, first, last)
    return out


_CODE_SPAN = re.compile(r"(`+)(.+?)\1", re.S)
_STRAY = re.compile(r"^[ \t]*derive:[ \t]*(?:assume|let|skip|expect|name)\b[^\n]*", re.M)
_IN_PARAGRAPH = re.compile(
    r"<!--\s*derive:(?P<directive>.*?)-->|\$\$(?P<dollars>.+?)\$\$|\\\[(?P<brackets>.*?)\\\]", re.S
)
_OPEN_ENVIRONMENT = re.compile(r"\\begin\s*\{(" + "|".join(re.escape(e) for e in (
    "equation", "equation*", "align", "align*", "gather", "gather*", "multline", "multline*")) + r")\}")  # fmt: skip


def _paragraph(lines: _LineIndex, first: int, last: int) -> list[_Region | _Directive | _Stray]:
    """A paragraph's directives and displays (``$$ ... $$`` and ``\\[ ... \\]`` within
    it), in the order they stand, with code spans left out; a ``$$`` or an environment
    left open is an error at its line."""
    block = "\n".join(lines.lines[first:last])
    base = lines.starts[first] if first < len(lines.starts) else 0
    visible = _CODE_SPAN.sub(lambda m: re.sub(r"[^\n]", " ", m.group(0)), block)
    out: list[_Region | _Directive | _Stray] = []
    for match in _IN_PARAGRAPH.finditer(visible):
        if match.group("directive") is not None:
            out.append(_Directive(match.group("directive"), lines.position(base + match.start())))
            continue
        group = "dollars" if match.group("dollars") is not None else "brackets"
        out.append(_Region(match.group(group), _shifted(lines, base + match.start(group))))
    rest = _IN_PARAGRAPH.sub(lambda m: re.sub(r"[^\n]", " ", m.group(0)), visible)
    for stray in _STRAY.finditer(rest):
        shown = stray.group(0).strip()
        out.append(
            _Stray(
                shown if len(shown) <= 60 else shown[:57] + "...",
                Position(lines.path, first + 1 + rest[: stray.start()].count("\n")),
            )
        )
    for pattern, what in (
        (re.compile(r"\$\$"), "$$ is never closed"),
        (_OPEN_ENVIRONMENT, "an environment without its \\end"),
    ):
        left = pattern.search(rest)
        if left is not None:
            raise InputError(
                f"{lines.position(base + left.start()).path}:{lines.position(base + left.start()).line}: {what}"
            )
    return out


def _check_closed(lines: _LineIndex, first: int, last: int, fence: str) -> None:
    if "\n".join(lines.lines[first:last]).count(fence) < 2:
        raise InputError(f"{lines.path}:{first + 1}: {fence} is never closed")


def _block(content: str, lines: _LineIndex, first: int, last: int) -> _Region:
    """A region whose content lines are found, in order, among the lines first..last."""
    spots: list[tuple[int, int]] = []
    cursor = first
    for piece in content.split("\n"):
        found = piece.strip()
        place = (cursor, 0)
        for number in range(cursor, max(last, cursor + 1)):
            if number < len(lines.lines) and found and found in lines.lines[number]:
                column = (
                    lines.lines[number].find(piece)
                    if piece in lines.lines[number]
                    else lines.lines[number].find(found) - (len(piece) - len(piece.lstrip()))
                )
                place = (number, max(column, 0))
                cursor = number + 1
                break
        spots.append(place)
    starts = [0]
    for piece in content.split("\n")[:-1]:
        starts.append(starts[-1] + len(piece) + 1)

    def where(offset: int) -> Position:
        import bisect

        k = bisect.bisect_right(starts, offset) - 1
        line, column = spots[k]
        return Position(lines.path, line + 1, column + offset - starts[k] + 1)

    return _Region(content, where)


def _environment(content: str, lines: _LineIndex, first: int, last: int) -> _Region:
    """An amsmath environment of a Markdown document, without its begin and end."""
    begin = re.match(r"\s*\\begin\s*\{[^}]*\}", content)
    end = re.search(r"\\end\s*\{[^}]*\}\s*\Z", content)
    if begin is None or end is None:
        raise InputError(f"{lines.path}:{first + 1}: an environment without its \\end")
    region = _block(content, lines, first, last)
    inner, skip = content[begin.end() : end.start()], begin.end()

    def where(offset: int) -> Position:
        return region.where(skip + offset)

    return _Region(inner, where)


def _shifted(lines: _LineIndex, start: int) -> Callable[[int], Position]:
    def where(offset: int) -> Position:
        return lines.position(start + offset)

    return where


# --- LaTeX --------------------------------------------------------------------

DISPLAY_ENVIRONMENTS = ("equation", "equation*", "align", "align*", "gather", "gather*", "multline", "multline*",
                        "flalign", "flalign*", "eqnarray", "eqnarray*", "displaymath")  # fmt: skip
_DIRECTIVE_TEX = re.compile(r"\s*derive:(.*)")


def _latex_regions(text: str, lines: _LineIndex) -> list[_Region | _Directive]:
    from pylatexenc.latexwalker import LatexWalker, LatexWalkerError

    try:
        nodes, _, _ = LatexWalker(text, tolerant_parsing=False).get_latex_nodes()
    except LatexWalkerError as exc:
        where = getattr(exc, "pos", None)
        line = lines.position(where).line if isinstance(where, int) else 1
        message = str(exc).strip().splitlines()[0]
        raise InputError(f"{lines.path}:{line}: cannot read the LaTeX: {message}") from None
    except RecursionError:
        raise InputError(f"{lines.path}:1: the LaTeX is nested too deeply to read") from None
    out: list[_Region | _Directive] = []
    _walk(nodes, text, lines, out)
    return out


def _walk(nodes: list, text: str, lines: _LineIndex, out: list[_Region | _Directive]) -> None:
    for node in nodes or []:
        kind = type(node).__name__
        if kind == "LatexCommentNode":
            match = _DIRECTIVE_TEX.match(node.comment)
            if match:
                out.append(_Directive(match.group(1), lines.position(node.pos)))
        elif kind == "LatexEnvironmentNode" and node.environmentname in DISPLAY_ENVIRONMENTS:
            raw = text[node.pos : node.pos + node.len]
            begin = re.match(r"\\begin\s*\{[^}]*\}", raw)
            end = re.search(r"\\end\s*\{[^}]*\}\s*\Z", raw)
            assert begin is not None and end is not None
            start = node.pos + begin.end()
            out.append(_Region(raw[begin.end() : end.start()], _shifted(lines, start)))
        elif kind == "LatexMathNode" and node.displaytype == "display":
            raw = text[node.pos : node.pos + node.len]
            width = 2
            start = node.pos + width
            out.append(_Region(raw[width:-width], _shifted(lines, start)))
        elif kind in ("LatexEnvironmentNode", "LatexGroupNode"):
            _walk(node.nodelist, text, lines, out)
        elif kind == "LatexMacroNode" and node.nodeargd is not None:
            for arg in node.nodeargd.argnlist or []:
                if arg is not None and type(arg).__name__ == "LatexGroupNode":
                    _walk(arg.nodelist, text, lines, out)


# --- declarations ---------------------------------------------------------------


def _apply(directive: _Directive, settings: _Settings) -> None:
    text = directive.text.strip()
    word, _, rest = text.partition(" ")
    rest = rest.strip()
    where = directive.position
    if word == "assume":
        settings.directives += 1
        for part in (p.strip() for p in rest.split(";")):
            if not part:
                continue
            try:
                names, dom = parse_assumption(part)
            except InputError as exc:
                raise InputError(f"{Position(where.path, where.line)}: assume {part}: {exc}") from None
            # a later declaration of a variable replaces the earlier ones; parts of one declaration combine;
            # a probability vector p1, p2 and a family p are the same vector p
            taken = _vector_names(names)
            settings.assumptions = [
                a for a in settings.assumptions if a[3] == settings.directives or not _vector_names(a[0]) & taken
            ]
            settings.assumptions.append((names, dom, part, settings.directives))
        try:
            settings.domain()
        except InputError as exc:
            raise InputError(f"{Position(where.path, where.line)}: {exc}") from None
    elif word == "let":
        _define(rest, settings, Position(where.path, where.line))
    elif text == "skip":
        settings.skip = True
    elif text == "expect refuted":
        settings.expect = "refuted"
    elif word == "name" and rest:
        if not re.fullmatch(r"[a-z0-9][a-z0-9_-]*", rest):
            raise InputError(
                f"{Position(where.path, where.line)}: name {rest!r}: use lowercase letters, digits, - and _"
            )
        settings.name = rest
    else:
        known = "assume A; B, let NAME = EXPR, skip, expect refuted, name NAME"
        raise InputError(f"{Position(where.path, where.line)}: unknown derive directive {text!r} (known: {known})")


def _define(text: str, settings: _Settings, where: Position) -> None:
    """``let \\bar{x} = \\frac{1}{n} \\sum_{i=1}^{n} x_i``, ``let L(w, b) = ...``,
    ``let \\mathrm{softmax}(z)_k = ...``: from here on, the name stands for its definition
    (folded when printed, expanded when checked), applied to arguments where it has them."""
    name_text, equals, body_text = text.partition("=")
    domain = settings.domain()
    try:
        if not (equals and body_text.strip() and name_text.strip()):
            raise InputError(r"a definition reads let NAME = EXPR or let NAME(a, b) = EXPR, NAME such as \bar{x} or S")
        name, params, indices = parse_definition_head(name_text)
        if name in names_in(body_text):
            raise InputError(f"definition {name_text.strip()} refers to itself")
        if name in domain.names():
            raise InputError(f"{name_text.strip()} redefines a variable already in use (assumed above)")
        settings.definitions.pop(name, None)  # a later let replaces an earlier one, as a later assume does
        body = settings.read(body_text, domain, indices)
        definition = define(name, body) if params is None else define(
            name, body, of=tuple(sympy.Symbol(p) for p in params), index=tuple(sympy.Symbol(i) for i in indices)
        )  # fmt: skip
        settings.definitions[name] = definition
    except InputError as exc:
        raise InputError(f"{where}: let {text.strip()}: {exc}") from None


def _vector_names(names: tuple[str, ...]) -> set[str]:
    """The names a declaration binds, with ``p`` for the entries ``p1, ..., pn``."""
    found = set(names)
    stem = re.fullmatch(r"([A-Za-z]+)1", names[0]) if len(names) > 1 else None
    if stem is not None and list(names) == [f"{stem.group(1)}{i}" for i in range(1, len(names) + 1)]:
        found.add(stem.group(1))
    return found


# --- chains -------------------------------------------------------------------

_RELATIONS = {
    "=": Relation.EQ, "<": Relation.LT, ">": Relation.GT, r"\lt": Relation.LT, r"\gt": Relation.GT,
    r"\le": Relation.LE, r"\leq": Relation.LE, r"\leqslant": Relation.LE,
    r"\ge": Relation.GE, r"\geq": Relation.GE, r"\geqslant": Relation.GE,
}  # fmt: skip
_UNCHECKED = (r"\ne", r"\neq", r"\approx", r"\sim", r"\simeq", r"\propto", r"\to", r"\mapsto", r"\in", r"\notin",
              r"\subset", r"\subseteq", r"\ll", r"\gg", r"\cong", r"\iff", r"\implies", r"\Rightarrow")  # fmt: skip
_DEFINITIONS = (":=", r"\coloneqq", r"\triangleq", r"\equiv", r"\stackrel", r"\overset", r"\eqqcolon")
_DROPPED = (r"\nonumber", r"\notag", r"\displaystyle", r"\textstyle", r"\left.", r"\right.")
_SPACES = (r"\,", r"\;", r"\:", r"\!", r"\ ", r"\quad", r"\qquad", "~")
_WRAPPERS = re.compile(
    r"\\(begin|end)\s*\{(aligned|split|gathered|alignedat|align\*?|gather\*?|equation\*?|multline\*?)\}(\{[0-9]+\})?"
)
"""Environments inside a display (``$$ \\begin{align} ... $$`` is common in Markdown): their rows are the display's."""
_ARGMAX = r"\overset{\arg\max}{\equiv}"
_SIZED = {
    **{rf"\{size}l": r"\left" for size in ("big", "Big", "bigg", "Bigg")},
    **{rf"\{size}r": r"\right" for size in ("big", "Big", "bigg", "Bigg")},
    **{rf"\{size}": "" for size in ("big", "Big", "bigg", "Bigg")},
}
"""Sized delimiters: a big left bracket is read as ``left(`` (a line may break inside it)."""
_REASONS = (r"\text", r"\tag", r"\tag*", r"\mbox", r"\textrm", r"\textnormal", r"\intertext")


@dataclass
class _Piece:
    relation: Relation | None
    offset: int
    text: list[tuple[str, int]] = field(default_factory=list)

    def expression(self) -> str:
        return "".join(t for t, _ in self.text).strip()


@dataclass
class _Row:
    pieces: list[_Piece]
    reason: str = ""
    unchecked: str = ""
    definition: bool = False
    annotation: bool = False
    """A row of prose (it starts with ``\text{...}``): a remark, not part of a formula."""
    tabs: int = 0
    math: str = ""
    """Formulas of the reason column (after ``&&`` or inside the reason), pending."""

    def in_reason(self) -> bool:
        """Whether what follows belongs to the reason: after a ``\text{...}`` that follows
        the expression, or after a second ``&`` (the column ``&&`` opens)."""
        return bool(self.reason) or self.tabs >= 2

    def add_reason(self, words: str) -> None:
        self.flush()
        self.reason = (self.reason + " " + words).strip()

    def flush(self) -> None:
        math = self.math.strip().rstrip(".,;").strip()  # not the full stop ending the row
        if math:
            self.reason = (self.reason + f" ${math}$").strip()
        self.math = ""


def _rows(content: str) -> Iterator[_Row]:
    """Rows of a display (split at ``\\``), each cut at its top-level relations."""
    for name in FORBIDDEN:
        found = re.search(r"\\" + name + r"(?![A-Za-z0-9])", content)
        if found:
            raise _ForbiddenError("\\" + name, found.start())
    content = _WRAPPERS.sub(lambda m: " " * len(m.group(0)), content)
    row = _Row([_Piece(None, 0)])
    depth = 0
    k = 0
    while k < len(content):
        char = content[k]
        command = re.match(r"\\(?:[A-Za-z]+\*?|.)", content[k:])
        token = command.group(0) if command else char
        if token == "\\\\" and depth > 0:  # a line broken inside \biggl( ... \biggr): one expression
            row.pieces[-1].text.append((" ", k))
            k += 2
            continue
        if token == "\\\\":
            yield _finish(row)
            skip = re.match(r"\*?\s*(\[[^\]]*\])?", content[k + 2 :])  # \\[4pt], \\*: a row break with spacing
            k += 2 + (skip.end() if skip else 0)
            row = _Row([_Piece(None, k)])
            continue
        if row.in_reason() and not (token in _REASONS or token in _RELATIONS or token in (r"\label", "&", "%")):
            row.math += _SIZED.get(token, token) or " "  # a formula in the reason column: not the step's
            k += len(token)
            continue
        if token in _SIZED:
            token_text = _SIZED[token]
            if token_text == r"\left":
                depth += 1
            elif token_text == r"\right":
                depth -= 1
            row.pieces[-1].text.append((token_text + " " if token_text else " ", k))
            k += len(token)
            continue
        if content.startswith(_ARGMAX, k):  # a step of the chain, but one a document cannot state
            row.unchecked = row.unchecked or "a same-maximiser step (" + _ARGMAX + ")"
            row.pieces.append(_Piece(Relation.EQ, k))
            k += len(_ARGMAX)
            continue
        if token == "%":
            k = content.find("\n", k) if "\n" in content[k:] else len(content)
            continue
        if token == "&":
            row.tabs += depth == 0  # not the & of a line broken inside \biggl( ... \biggr)
            k += 1
            continue
        if token == r"\phantom" and not any(p.expression() for p in row.pieces) and len(row.pieces) == 1:
            row.annotation = True  # an indented line of prose (derive's own counterexample rows)
        if token in (r"\label", r"\phantom") or token in _REASONS:
            group, after = _braced(content, k + len(token))
            if token in _REASONS:
                starts = not any(p.expression() for p in row.pieces) and len(row.pieces) == 1
                row.annotation = row.annotation or (starts and token in (r"\text", r"\intertext", r"\mbox"))
                row.add_reason(group)
            k = after
            continue
        if token in _DROPPED:
            k += len(token)
            continue
        if token in _SPACES:
            row.pieces[-1].text.append((" ", k))
            k += len(token)
            continue
        if token in ("{", r"\left"):
            depth += 1
        elif token in ("}", r"\right"):
            depth -= 1
        if depth == 0 and (token in _DEFINITIONS or content.startswith(":=", k)):
            row.definition = True
        elif depth == 0 and token in _UNCHECKED:
            row.unchecked = row.unchecked or token
        elif depth == 0 and token in _RELATIONS:
            if row.in_reason():  # a relation after a reason: the reason was not at the end
                row.unchecked = row.unchecked or r"\text{...} inside a row"
            row.pieces.append(_Piece(_RELATIONS[token], k))
            k += len(token)
            continue
        row.pieces[-1].text.append((token, k))
        k += len(token)
    yield _finish(row)


class _ForbiddenError(Exception):
    pass


def _braced(content: str, k: int) -> tuple[str, int]:
    while k < len(content) and content[k] in " *":
        k += 1
    if k >= len(content) or content[k] != "{":
        return "", k
    depth = 0
    for end in range(k, len(content)):
        depth += {"{": 1, "}": -1}.get(content[end], 0)
        if depth == 0:
            return content[k + 1 : end].strip(), end + 1
    return content[k + 1 :].strip(), len(content)


def _finish(row: _Row) -> _Row:
    row.flush()
    last = row.pieces[-1]
    while last.text and last.text[-1][0].strip() in ("", ".", ","):
        last.text.pop()
    return row


def _displays(region: _Region, settings: _Settings, expect: str, name: str, count: int) -> list[Display]:
    try:
        rows = list(_rows(region.content))
    except _ForbiddenError as exc:
        where = region.where(exc.args[1])
        raise InputError(f"{Position(where.path, where.line)}: {exc.args[0]} is not allowed in a formula") from None
    if any(r.definition for r in rows):
        return []
    chains: list[list[_Row]] = []
    for row in rows:
        related = any(p.relation for p in row.pieces)
        if row.annotation or (not related and not row.pieces[0].expression() and not row.unchecked):
            continue
        if not related and chains and not row.unchecked:  # the previous expression, broken across lines
            last = chains[-1][-1].pieces[-1]
            last.text += [(" ", 0), *row.pieces[0].text]
            chains[-1][-1].reason = (chains[-1][-1].reason + " " + row.reason).strip()
            continue
        if row.pieces[0].expression() or not chains:
            chains.append([row])
        else:
            chains[-1].append(row)
    out = []
    for number, chain in enumerate(chains, 1):
        if not any(p.relation for row in chain for p in row.pieces) and not any(r.unchecked for r in chain):
            continue
        label_name = name if len(chains) == 1 or not name else f"{name}-{number}"
        out.append(_display(chain, region, settings, expect, label_name, number))
    return out


def _display(chain: list[_Row], region: _Region, settings: _Settings, expect: str, name: str, number: int) -> Display:
    start_piece = chain[0].pieces[0]
    visible = [offset for text, offset in start_piece.text if text.strip()]
    start = region.where(visible[0] if visible else 0)
    head = Position(start.path, start.line)
    label = name or str(head)
    unchecked = next((row.unchecked for row in chain if row.unchecked), "")
    if unchecked:
        return Display(label, head, None, problem=f"not checked: {unchecked}")
    domain = settings.domain()
    sources = tuple(part for _, _, part, _ in settings.assumptions)

    def read(entries: frozenset[str] = frozenset()) -> list[tuple[Relation, int, sympy.Expr, str]]:
        out = [(Relation.EQ, 0, settings.read(start_piece.expression(), domain, entries=entries), "")]
        for row in chain:
            pieces = row.pieces[1:]
            for k, piece in enumerate(pieces):
                reason = row.reason if k == len(pieces) - 1 else ""
                expr = settings.read(piece.expression(), domain, entries=entries)
                out.append((piece.relation or Relation.EQ, piece.offset, expr, reason))
        return out

    try:
        expressions = read()
        vectors = vector_arguments(e for _, _, e, _ in expressions) - set(domain.names())
        if vectors:  # softmax(z)_1 = sigma(z_1 - z_2): z_1 is z's first entry there, not a variable z1
            expressions = read(frozenset(vectors))
    except DefinitionError as exc:  # the author's own definition says what is meant: an error
        raise InputError(f"{head}: {exc}") from None
    except ParseError as exc:
        return Display(label, head, None, problem=f"not checked: {_reason(exc)}")
    steps = tuple(
        Step(rel, expr, rule_named(reason) or reason or "algebra") for rel, _, expr, reason in expressions[1:]
    )
    positions = tuple(region.where(offset) for _, offset, _, _ in expressions[1:])
    try:
        derivation = Derivation(
            name=name or _slug(head, number),
            title=label,
            start=expressions[0][2],
            steps=steps,
            domain=domain,
            expect=expect,
            section="documents",
        )
    except InputError as exc:
        return Display(label, head, None, problem=f"not checked: {exc}")
    texts = tuple(
        " ".join(t.split()) for t in [start_piece.expression()] + [p.expression() for r in chain for p in r.pieces[1:]]
    )
    return Display(label, head, derivation, positions, sources=sources, texts=texts)


def _reason(exc: ParseError) -> str:
    return str(exc).splitlines()[0]


def _slug(position: Position, number: int) -> str:
    """``notes-md-12``: the file's name and the display's line (a derivation name)."""
    stem = re.sub(r"[^a-z0-9]+", "-", Path(position.path).name.lower()).strip("-") or "document"
    return f"{stem}-{position.line}" + (f"-{number}" if number > 1 else "")


def _lets(derivation: Derivation) -> list[str]:
    """``let \\bar{x} = ...`` for each named definition of ``derivation``, those it uses first."""
    from derive.latex import definition_latex

    return [f"let {definition_latex(d)}" for d in used_definitions(derivation.expressions())]


def declarations(derivation: Derivation) -> list[str]:
    """The ``derive:`` directives a document needs before ``derivation`` so that
    ``derive check`` reads it back as it is: its name, every variable's domain
    (``x real`` for the unbound ones, replacing what an earlier display assumed),
    and ``expect refuted`` for an erratum.

    >>> from derive.claim import positive
    >>> x, y = sympy.symbols("x y")
    >>> d = Derivation("demo", "Demo", sympy.exp(sympy.log(x)) + y, (Step(Relation.EQ, x + y),),
    ...                Domain.of(x=positive()))
    >>> declarations(d)
    ['name demo', 'assume x > 0; y real']
    """
    from derive.claim import Family, Interval, free_names
    from derive.sizes import is_general, shape

    names = set(free_names(*derivation.expressions()))
    families: set[str] = set()
    structural: set[str] = set()
    for expr in derivation.expressions():
        families |= {str(e.base.label) for e in expr.atoms(sympy.Indexed)}
    for claim in derivation.claims():
        if is_general(claim):
            form = shape(claim)
            structural |= set(form.lengths)
    parts = list(derivation.domain.assumptions_text())
    for name in sorted(names - structural - set(derivation.domain.names())):
        if name in families:
            parts += Family().assumption((name,))
        else:
            parts += Interval().assumption((name,))
    out = [f"name {derivation.name}"]
    if parts:
        out.append("assume " + "; ".join(parts))
    out += _lets(derivation)
    if derivation.expect in ("erratum", "refuted"):
        out.append("expect refuted")
    return out
