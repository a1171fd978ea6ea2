r"""LaTeX in: a documented subset of LaTeX, read by a small recursive-descent parser
into SymPy (no ``eval``, no ``sympify``, no SymPy LaTeX parser).

>>> parse_latex(r"\frac{\partial}{\partial w} \log_2 \sigma(w x + b)")
Derivative(log(sigmoid(b + w*x))/log(2), w)
>>> parse_latex(r"\sum_{j=1}^{3} y_j \log q_j")
y1*log(q1) + y2*log(q2) + y3*log(q3)
>>> parse_latex(r"\sum_{i=1}^{n} p_i \log p_i")
Sum(log(p[i])*p[i], (i, 1, n))
>>> claim = parse_latex_claim(r"e^{x} \ge 1 + x")
>>> claim.lhs, claim.relation.value, claim.rhs
(exp(x), '>=', x + 1)
>>> parse_latex(r"2 \sin b \cos a + \frac13 \sqrt2 + \tan^2(y)")
2*sin(b)*cos(a) + tan(y)**2 + sqrt(2)/3
>>> parse_latex(r"\ln x \cdot \ln 2")
log(2)*log(x)
>>> parse_latex(r"\sin^{-1} x")  # doctest: +ELLIPSIS
Traceback (most recent call last):
...
derive.errors.ParseError: \sin^{-1} is ambiguous (\arcsin or 1/\sin?): write \arcsin x or (\sin x)^{-1} at ...

How it reads (see docs/latex-input.md):

- ``e`` is Euler's number and ``e^{x}`` the exponential; ``E`` is rejected.
- One letter is one variable: ``xy`` is ``x*y``; longer names are ``\mathrm{name}``;
  ``x_1``/``x_{12}`` are ``x1``/``x12``, ``\sigma_{2}`` is ``sigma2``.
- ``\sigma`` directly followed by a parenthesis is the logistic sigmoid; otherwise it
  is the variable ``sigma`` (write ``\sigma \cdot (x + 1)`` for a product). ``\Gamma(``
  is the gamma function.
- A letter followed by a bracket is a product (``p(1 - p)``) only where the letter also
  stands alone in the formula; ``f(x + y) = f(x) + f(y)`` is rejected as ambiguous.
- A function's argument without brackets is the factors written side by side after it,
  up to ``+``, ``-``, a relation, a closing bracket, an explicit ``\cdot``/``\times`` or
  the next function (``\cos``, ``\sigma(``, ``\sum``, ...): ``\sin 2x`` is ``sin(2x)``,
  ``\log x^2`` is ``log(x^2)``, ``\sin b \cos a`` is ``sin(b) cos(a)``, ``\ln x \cdot
  \ln 2`` is ``ln(x) ln(2)``. A ``/`` after it is rejected (inside or after?).
- A power on a function's name raises its value: ``\sin^2 x`` is ``(sin x)^2``;
  ``\sin^{-1}`` (arcsin or 1/sin?) and other negative powers are rejected.
- ``\frac`` and ``\sqrt`` without braces take one token each, as TeX does: ``\frac13``
  is 1/3, ``\frac94\pi`` is 9/4 pi, ``\sqrt2`` and ``\sqrt x``; ``\frac123`` is
  rejected. ``\dfrac``, ``\tfrac``, ``\cfrac`` are ``\frac``.
- Decimals are exact: ``0.4`` and ``.4`` are 2/5.
- ``\sum``, ``\prod``, ``\lim`` and ``\frac{d}{dx}`` apply to the rest of the product
  they start; ``\int`` to everything up to its ``dx``.
- A letter subscripted by an index is an entry of a family, as ``x[i]`` in the text
  syntax: ``\sum_{i=1}^{n} x_i`` is ``Sum(x[i], (i, 1, n))``; ``x_{i+1}``, ``x_{i,j}`` and
  ``x_{ij}`` (i, j both indices) too. Indices are those of the enclosing sums and the
  variables assumed ``1 <= k <= n`` or ``n integer``; ``x_1`` is ``x[1]`` for a family
  declared in the assumptions (``x[i] > 0``) and the variable ``x1`` otherwise. Any
  other letter subscript is rejected, naming it; a name suffix is ``w_{\mathrm{out}}``.
- A sum with integer bounds whose entries are undeclared vectors is expanded:
  ``\sum_{j=1}^{3} x_j`` is ``x1 + x2 + x3``, matching how derive names the entries
  of a vector (``\prod`` likewise).
- ``/`` divides by the next factor only: ``a / b c`` is ``(a/b) c``.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable, Collection, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass

import sympy

from derive.claim import Claim, Domain, Family, IndexRange, Interval, Relation, Simplex
from derive.definitions import Definition, expand_definitions, vector_arguments, with_definitions
from derive.errors import DefinitionError, InputError, ParseError
from derive.functions import KL, CrossEntropy, Entropy, Expectation, Vector, sigmoid
from derive.latex import ACCENT_WORDS, GREEK, INDEX, vector_name
from derive.parsing import (
    MAX_DEPTH,
    MAX_DERIVATIVE_ORDER,
    MAX_INDICES,
    MAX_LENGTH,
    MAX_LITERAL_INDEX,
    Known,
    make_symbol,
    parse_assumption,
    parse_definition,
    power_problem,
)
from derive.writing import evaluated, tidy, written

MAX_TOKENS = 3000
MAX_UNROLLED_TERMS = 100

FUNCTIONS: dict[str, Callable[[sympy.Expr], sympy.Expr]] = {
    "log": sympy.log,
    "ln": sympy.log,
    "exp": sympy.exp,
    "sin": sympy.sin,
    "cos": sympy.cos,
    "tan": sympy.tan,
    "sec": sympy.sec,
    "csc": sympy.csc,
    "cot": sympy.cot,
    "arcsin": sympy.asin,
    "arccos": sympy.acos,
    "arctan": sympy.atan,
    "sinh": sympy.sinh,
    "cosh": sympy.cosh,
    "tanh": sympy.tanh,
    "coth": sympy.coth,
    "sech": sympy.sech,
    "csch": sympy.csch,
}

OPERATOR_NAMES: dict[str, str] = {
    "asin": "arcsin",
    "acos": "arccos",
    "atan": "arctan",
    "arcsin": "arcsin",
    "arccos": "arccos",
    "arctan": "arctan",
    "sech": "sech",
    "csch": "csch",
}
"""``\\operatorname{NAME}``: the names read, each the key of its function in FUNCTIONS
(derive's printer writes ``asin`` as ``\\operatorname{asin}``); any other is rejected."""

INVERSES = {"sin": r"\arcsin", "cos": r"\arccos", "tan": r"\arctan"}
FRACTIONS = {r"\frac", r"\dfrac", r"\tfrac", r"\cfrac"}
_OPERATORS = {r"\sum", r"\prod", r"\int", r"\lim", r"\mathbb", r"\operatorname"}

RELATIONS = {
    "=": Relation.EQ,
    "<": Relation.LT,
    ">": Relation.GT,
    r"\le": Relation.LE,
    r"\leq": Relation.LE,
    r"\leqslant": Relation.LE,
    r"\ge": Relation.GE,
    r"\geq": Relation.GE,
    r"\geqslant": Relation.GE,
    r"\lt": Relation.LT,
    r"\gt": Relation.GT,
}

SPACING = {r"\,", r"\;", r"\:", r"\!", "\\ ", r"\quad", r"\qquad", r"\displaystyle", r"\limits", "~"}
_TOKEN = re.compile(r"\\[A-Za-z]+|\\.|[0-9]+(?:\.[0-9]+)?|\.[0-9]+|[A-Za-z]|\s+|.", re.S)
_CLOSERS = {")", "]", "}", r"\right", r"\rvert", ","}


@dataclass(frozen=True)
class Token:
    text: str
    column: int

    @property
    def is_number(self) -> bool:
        return self.text[0].isdigit() or (self.text[0] == "." and len(self.text) > 1)

    @property
    def is_letter(self) -> bool:
        return len(self.text) == 1 and self.text.isalpha()


def tokens(source: str) -> list[Token]:
    r"""The tokens of ``source``, spacing dropped.

    >>> [t.text for t in tokens(r"\frac{1}{2}\, x_{1}")]
    ['\\frac', '{', '1', '}', '{', '2', '}', 'x', '_', '{', '1', '}']
    """
    if not isinstance(source, str):
        raise ParseError(f"expected text, got {type(source).__name__}")
    if len(source) > MAX_LENGTH:
        raise ParseError(f"input is {len(source)} characters long; the limit is {MAX_LENGTH}")
    out = []
    for match in _TOKEN.finditer(source):
        text = match.group()
        if not (text.isascii() and (text.isprintable() or text.isspace())):
            raise ParseError(
                f"character {text[0]!r} (U+{ord(text[0]):04X}) is not allowed; write Greek letters as \\theta",
                source,
                match.start(),
            )
        if text.isspace() or text in SPACING:
            continue
        if text in ("%", "&", r"\\", "$", "#"):
            raise ParseError(f"{text!r} is not part of a claim: give one formula without $, & or \\\\", source,
                             match.start())  # fmt: skip
        out.append(Token(text, match.start()))
        if len(out) > MAX_TOKENS:
            raise ParseError(f"input has more than {MAX_TOKENS} tokens")
    return out


class _Reader:
    def __init__(
        self, source: str, vectors: dict[str, sympy.Basic] | None = None, domain: Domain | None = None,
        defined: Collection[str] | Mapping[str, Known] | None = None, indices: Collection[str] = (),
        entries: Collection[str] = (),
    ) -> None:  # fmt: skip
        self.vectors = vectors or {}
        self.entries = set(entries)
        self.domain = domain or Domain()
        self.defined = defined
        self.applied = (
            {k: v for k, v in defined.items() if isinstance(v, Definition)} if isinstance(defined, Mapping) else {}
        )
        self.source = source
        self.tokens = tokens(source)
        self.position = 0
        self.depth = 0
        self.indices: dict[str, sympy.Symbol] = {i: sympy.Symbol(i) for i in indices}
        self.group_level = 0
        self.integral_levels: list[int] = []
        self.token_arguments: set[int] = set()  # positions of \frac's and \sqrt's braceless arguments

    # --- token helpers -------------------------------------------------------------
    def peek(self, ahead: int = 0) -> str:
        i = self.position + ahead
        return self.tokens[i].text if i < len(self.tokens) else ""

    def column(self) -> int:
        if self.position < len(self.tokens):
            return self.tokens[self.position].column
        return len(self.source)

    def fail(self, message: str, column: int | None = None) -> ParseError:
        return ParseError(message, self.source, self.column() if column is None else column)

    def take(self) -> Token:
        if self.position >= len(self.tokens):
            raise self.fail("unexpected end of input")
        token = self.tokens[self.position]
        self.position += 1
        return token

    def expect(self, text: str, what: str = "") -> None:
        if self.peek() != text:
            found = repr(self.peek()) if self.peek() else "the end"
            raise self.fail(f"expected {text!r}{what}, found {found}")
        self.position += 1

    @contextmanager
    def nested(self) -> Iterator[None]:
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise self.fail(f"nesting deeper than {MAX_DEPTH} levels")
        try:
            yield
        finally:
            self.depth -= 1

    @contextmanager
    def group(self) -> Iterator[None]:
        self.group_level += 1
        try:
            yield
        finally:
            self.group_level -= 1

    # --- grammar -------------------------------------------------------------------
    def expression(self) -> sympy.Expr:
        with self.nested():
            sign = 1
            if self.peek() in ("+", "-"):
                sign = -1 if self.take().text == "-" else 1
            total = self.signed(sign, self.term())
            while self.peek() in ("+", "-"):
                sign = -1 if self.take().text == "-" else 1
                total = total + self.signed(sign, self.term())
            return total

    @staticmethod
    def signed(sign: int, term: sympy.Expr) -> sympy.Expr:
        """``-term`` as read (``-1`` times it, not evaluated), or ``term``."""
        return term if sign == 1 else -term if term.is_Number else sympy.Mul(-1, term)

    def term(self) -> sympy.Expr:
        if self.at_term_end():
            found = repr(self.peek()) if self.peek() else "the end"
            raise self.fail(f"expected a term, found {found}")
        factors = [self.factor()]
        while True:
            nxt = self.peek()
            if nxt in (r"\cdot", r"\times", "*"):
                self.take()
                factors.append(self.factor())
            elif nxt == "/":
                self.take()
                factors.append(1 / self.factor())
            elif not self.at_term_end():
                if self.numbers_side_by_side():
                    raise self.fail("two numbers side by side: write 2 \\cdot 3 or 23")
                factors.append(self.factor())
            else:
                return factors[0] if len(factors) == 1 else sympy.Mul(*factors)

    def numbers_side_by_side(self) -> bool:
        r"""Whether a number follows a number here (``2 3``, rejected); a number after the
        braceless argument of ``\frac`` or ``\sqrt`` (``\frac12 3``) does not count."""
        i = self.position
        return self.tokens[i].is_number and self.tokens[i - 1].is_number and i - 1 not in self.token_arguments

    def at_term_end(self) -> bool:
        nxt = self.peek()
        return (
            nxt in ("", "+", "-", "^", "_", "!", "'", "=", "<", ">")
            or nxt in _CLOSERS
            or nxt in RELATIONS
            or nxt in (r"\to", r"\rightarrow")
            or self.at_differential()
        )

    def at_differential(self) -> bool:
        if not self.integral_levels or self.integral_levels[-1] != self.group_level or self.peek() != "d":
            return False
        after = self.peek(1)
        return (len(after) == 1 and after.isalpha()) or after[1:] in GREEK or after == r"\mathrm"

    def factor(self) -> sympy.Expr:
        with self.nested():
            if self.peek() == "-":
                self.take()
                return -self.factor()
            base = self.primary()
            while self.peek() == "^":
                column = self.column()
                self.take()
                exponent = self.script()
                if self.peek() == "^":
                    raise self.fail("double superscript: write {x^{a}}^{b}")
                problem = power_problem(evaluated(base), evaluated(exponent))  # type: ignore[arg-type]
                if problem:
                    raise self.fail(problem, column)
                base = sympy.Pow(base, exponent)
            if self.peek() in ("!", "'"):
                raise self.fail(f"{self.peek()!r} (factorial or prime) is not supported in LaTeX input")
            return base

    def script(self) -> sympy.Expr:
        """The argument of ``^`` or ``_``: a braced group or one character."""
        nxt = self.peek()
        if nxt == "{":
            return self.braced()
        token = self.take()
        if token.is_number:
            if len(token.text) > 1:
                raise self.fail(f"write ^{{{token.text}}}: without braces only the first digit is raised",
                                token.column)  # fmt: skip
            return sympy.Integer(token.text)
        if token.is_letter:
            return self.letter(token)
        if token.text[1:] in GREEK or token.text in (r"\pi", r"\infty"):
            return self.command(token)
        raise self.fail(f"write the script in braces: ^{{...}} (found {token.text!r})", token.column)

    def braced(self) -> sympy.Expr:
        self.expect("{")
        with self.group():
            value = self.expression()
        self.expect("}")
        return value

    def primary(self) -> sympy.Expr:
        token = self.take()
        text = token.text
        if token.is_number:
            return sympy.Rational(text)
        if token.is_letter:
            return self.letter(token)
        if text in ("(", "["):
            with self.group():
                value = self.expression()
            self.expect(")" if text == "(" else "]")
            return value
        if text == "{":
            self.position -= 1
            return self.braced()
        if text == "|":
            raise self.fail("write |x| as \\left| x \\right|", token.column)
        if text.startswith("\\"):
            return self.command(token)
        raise self.fail(f"unexpected {text!r}", token.column)

    def letter(self, token: Token) -> sympy.Expr:
        if token.text == "e":
            if self.peek() == "^":
                self.take()
                return sympy.exp(self.script())
            if self.peek() == "_":
                raise self.fail("e is Euler's number; it cannot take a subscript", token.column)
            return sympy.E
        if token.text == "E":
            raise self.fail("E is ambiguous (expectation? Euler's number?): write e for Euler's number",
                            token.column)  # fmt: skip
        if token.text == "H" and self.peek() == "(" and self.peek(1) in self.vectors:
            return self.information(token)
        if token.text == "D" and [self.peek(i) for i in range(5)] == ["_", "{", "K", "L", "}"]:
            self.position += 5
            return self.information(token)
        if token.text in self.applied:
            return self.applied_definition(self.applied[token.text], token.column)
        if token.text == "H" and self.called(token):
            raise self.fail("H(...) is entropy, of a probability vector declared first (assume e.g. 'p1, p2, p3 "
                            "simplex'); write H \\cdot (...) for a product", token.column)  # fmt: skip
        if self.called(token):
            raise self.fail(
                f"{token.text}(...) is ambiguous: a function {token.text} is not defined, and a letter is a variable, "
                f"so this would be {token.text} times (...); write {token.text} \\cdot (...) for a product, or "
                f"define it first: derive: let {token.text}(x) = ...",
                token.column,
            )
        return self.variable(token.text, token.column)

    def called(self, token: Token) -> bool:
        """Whether a letter is written as a function's name: followed by a bracket and
        nowhere in the formula on its own (``f(x + y) = f(x) + f(y)``, ``p(x)``), where
        ``p(1 - p)`` and ``a(b + c) = ab + ac`` are products."""
        if not self.bracket_follows(self.position):
            return False
        if self.defined is not None and token.text in self.defined:
            return False
        uses = [i for i, t in enumerate(self.tokens) if t.text == token.text]
        return all(self.bracket_follows(i + 1) for i in uses)

    def bracket_follows(self, position: int) -> bool:
        after = [t.text for t in self.tokens[position : position + 2]]
        return after[:1] == ["("] or after == [r"\left", "("]

    def applied_definition(self, definition: Definition, column: int) -> sympy.Expr:
        """``L(w, b)``, ``\\mathrm{softmax}(z)_k``: a definition with parameters, applied to
        the arguments in brackets (and its indices, in its subscript)."""
        shown = self.source[column : self.column()].strip()
        if self.peek() not in ("(", r"\left"):
            raise self.misuse(f"{shown} takes arguments: write {_head_form(definition)}", column)
        args = self.arguments()
        indices: list[sympy.Expr] = []
        if self.peek() == "_":
            self.take()
            start = self.column()
            if not definition.indices:
                raise self.misuse(f"{shown}(...) takes no subscript: write {_head_form(definition)}", start)
            indices = self.index_expressions() if self.peek() == "{" else [self.script()]
            active = self.active_indices()
            for index in indices:
                stray = sorted(s.name for s in index.free_symbols if s.name not in active)
                if stray:
                    raise self.misuse(f"{stray[0]} is not an index; sum over it (\\sum_{{{stray[0]}=1}}^{{n}}) or "
                                    f"assume '1 <= {stray[0]} <= n'", start)  # fmt: skip
        elif definition.indices:
            raise self.misuse(f"{shown}(...) takes an index: write {_head_form(definition)}", column)
        try:
            return definition.apply(args, indices)
        except InputError as exc:
            raise self.misuse(str(exc), column) from None

    def misuse(self, message: str, column: int | None = None) -> DefinitionError:
        return DefinitionError(message, self.source, self.column() if column is None else column)

    def arguments(self) -> list[sympy.Expr]:
        """``(a, b)`` or ``\\left(a, b\\right)``: expressions separated by commas."""
        left = self.take().text == r"\left"
        if left:
            self.expect("(", " after \\left")
        values = []
        with self.group():
            values.append(self.expression())
            while self.peek() == ",":
                self.take()
                values.append(self.expression())
        if left:
            self.expect(r"\right", " to close \\left(")
        self.expect(")")
        return values

    def information(self, token: Token) -> sympy.Expr:
        """``H(p)``, ``H(p, q)``, ``D_{KL}(p \\| q)`` for probability vectors named in the domain."""
        self.expect("(")
        separator = "," if token.text == "H" else r"\|"
        names = [self.take()]
        if self.peek() == separator:
            self.take()
            names.append(self.take())
        self.expect(")")
        vectors = []
        for name in names:
            if name.text not in self.vectors:
                raise self.fail(f"{name.text} is not a probability vector: assume e.g. '{name.text}1, "
                                f"{name.text}2 simplex'", name.column)  # fmt: skip
            vectors.append(self.vectors[name.text])
        if token.text == "D":
            if len(vectors) != 2:
                raise self.fail("write D_{KL}(p \\| q)", token.column)
            return KL(*vectors)
        return Entropy(*vectors) if len(vectors) == 1 else CrossEntropy(*vectors)

    def variable(self, base: str, column: int) -> sympy.Expr:
        """``x``, ``x_1`` (the variable ``x1``), ``w_{\\mathrm{out}}`` (``w_out``), or an
        entry: ``x_i``, ``x_{i+1}``, ``x_{i,j}``/``x_{ij}`` subscripted by indices
        (``x[i]``, ...), ``x_1`` of a declared family (``x[1]``)."""
        symbol = make_symbol(base, self.fail_at(column))
        if self.peek() != "_":
            return symbol
        self.take()
        start = self.column()
        if self.peek() == "{" and self.is_index_expression():
            return self.entry_of(symbol, self.index_expressions(), start)
        sub, named = self.subscript_name()
        if named or not sub.isalpha():
            if sub.isdigit() and (self.domain.family(base) is not None or base in self.entries):
                return self.entry_of(symbol, [sympy.Integer(sub)], start)
            if named or sub.isdigit():
                return make_symbol(base + sub if sub.isdigit() else f"{base}_{sub}", self.fail_at(column))
            raise self.fail(f"write {base}_{{{sub[0]}, {sub[1:]}}} for an entry or "
                            f"{base}_{{\\mathrm{{{sub}}}}} for a name", start)  # fmt: skip
        return self.entry_of(symbol, [sympy.Symbol(letter) for letter in sub], start)

    def active_indices(self) -> set[str]:
        """The letters that may subscript here: the indices of the enclosing sums and the
        index variables of the assumptions (``1 <= k <= n``) and integer lengths (``n integer``)."""
        names = set(self.indices)
        for binding in self.domain.bindings:
            dom = binding.domain
            if isinstance(dom, IndexRange) or (isinstance(dom, Interval) and dom.integer):
                names.update(binding.names)
        return names

    def entry_of(self, base: sympy.Symbol, indices: list[sympy.Expr], column: int) -> sympy.Indexed:
        """The entry ``base[indices]``, or ParseError naming a subscript that is not an index."""
        text = f"{base}_{{{','.join(map(str, indices))}}}"
        if len(indices) > MAX_INDICES:
            raise self.fail(f"{text}: an entry takes at most {MAX_INDICES} indices", column)
        active = self.active_indices()
        declared = self.domain.family(base.name) is not None or base.name in self.entries
        for index in indices:
            if index.is_Integer:
                if not 0 <= int(index) <= MAX_LITERAL_INDEX:
                    raise self.fail(f"{text}: index {index} is out of range (0 to {MAX_LITERAL_INDEX})", column)
                continue
            stray = sorted(s.name for s in index.free_symbols if s.name not in active)
            if stray:
                name = stray[0]
                raise self.fail(f"{text}: {name} is not an index; sum over it (\\sum_{{{name}=1}}^{{n}}) or "
                                f"assume '1 <= {name} <= n'; a name is written {base}_{{\\mathrm{{...}}}}",
                                column)  # fmt: skip
            if (
                not index.free_symbols
                or index.atoms(sympy.Function)
                or any(not a.is_Integer for a in index.atoms(sympy.Number))
            ):
                raise self.fail(f"{text}: an index is an integer or an index variable plus integers", column)
        if not declared and all(index.is_Integer for index in indices):
            raise self.fail(f"{text}: entries by number belong to a declared family (assume e.g. "
                            f"'{base}[i] > 0'), or write {base}_{{{''.join(map(str, indices))}}}", column)  # fmt: skip
        return sympy.IndexedBase(base)[tuple(indices)]

    def is_index_expression(self) -> bool:
        """Whether the braced subscript ahead is an index expression (``{i+1}``, ``{i,j}``,
        ``{2i}``) rather than a name (``{12}``, ``{ij}``, ``{\\mathrm{out}}``)."""
        end = self.closing(self.position)
        inside = self.tokens[self.position + 1 : end]
        if any(t.text == r"\mathrm" or t.text[1:] in GREEK for t in inside):
            return False
        if any(a.is_letter and b.is_number for a, b in itertools.pairwise(inside)):
            return False  # x_{a1}: a name or two indices? (rejected as a name)
        letters = any(t.is_letter for t in inside)
        numbers = any(t.is_number for t in inside)
        return (letters and numbers) or any(not (t.is_letter or t.is_number) for t in inside)

    def index_expressions(self) -> list[sympy.Expr]:
        """``{i + 1}``, ``{i, j}``: comma-separated index expressions in braces."""
        self.expect("{")
        indices = []
        with self.group():
            while True:
                indices.append(evaluated(self.expression()))  # an index as SymPy reads it: i + 1
                if self.peek() != ",":
                    break
                self.take()
        self.expect("}")
        return indices

    def subscript_name(self) -> tuple[str, bool]:
        """A subscript that is part of a name: its text, and whether it used ``\\mathrm``."""
        named = self.peek() == "{" and any(
            self.peek_at(i) == r"\mathrm" for i in range(self.position, self.closing(self.position))
        )
        return self.subscript(), named

    def fail_at(self, column: int) -> Callable[[str], ParseError]:
        return lambda message: ParseError(message, self.source, column)

    def subscript(self) -> str:
        """A subscript that is part of a name: digits, letters or ``\\mathrm{...}``."""
        if self.peek() != "{":
            token = self.take()
            if token.is_letter or (token.is_number and len(token.text) == 1):
                return token.text
            raise self.fail("write the subscript in braces: x_{12}", token.column)
        self.take()
        parts = []
        while self.peek() not in ("}", ""):
            token = self.take()
            if token.text == r"\mathrm":
                parts.append(self.name_in_braces())
            elif token.is_letter or (token.is_number and "." not in token.text):
                parts.append(token.text)
            else:
                raise self.fail(f"a subscript is letters or digits, not {token.text!r}", token.column)
        self.expect("}")
        if not parts:
            raise self.fail("empty subscript")
        return "".join(parts)

    def name_in_braces(self) -> str:
        self.expect("{")
        parts = []
        while self.peek() not in ("}", ""):
            token = self.take()
            if not (token.is_letter or token.text.isdigit()):
                raise self.fail(f"a name is letters and digits, not {token.text!r}", token.column)
            parts.append(token.text)
        self.expect("}")
        return "".join(parts)

    def command(self, token: Token) -> sympy.Expr:
        name = token.text[1:]
        handler = _COMMANDS.get(name)
        if handler is not None:
            return handler(self, token)
        if name in FUNCTIONS:
            return self.function(name, token)
        if name in GREEK:
            if name == "sigma" and self.bracket_follows(self.position):
                return sigmoid(self.primary())
            if name == "Gamma" and self.bracket_follows(self.position):
                return sympy.gamma(self.primary())
            return self.variable(name, token.column)
        raise self.fail(f"unsupported LaTeX command {token.text}; see docs/latex-input.md", token.column)

    def function(self, name: str, token: Token) -> sympy.Expr:
        r"""``\sin x``, ``\log_2(x)``, ``\sin^2 x``: a named function applied to a bracketed
        group or, without brackets, to the factors written side by side after it (see
        ``braceless_argument``); a power on the name raises the function's value."""
        base: sympy.Expr | None = None
        power: sympy.Expr | None = None
        while self.peek() in ("_", "^"):
            if self.peek() == "_" and (name != "log" or base is not None):
                raise self.fail(f"\\{name} takes no subscript" if name != "log" else "double subscript")
            if self.peek() == "_":
                self.take()
                base = self.script()
            elif power is not None:
                raise self.fail(f"double superscript: write (\\{name}^{{a}} x)^{{b}}")
            else:
                power = self.function_power(name)
        bracketed = self.peek() in ("(", "[", "{", r"\left")
        argument = self.primary() if bracketed else self.braceless_argument(name)
        value = FUNCTIONS[name](argument)
        if base is not None:
            value = value / sympy.log(base)
        if power is None:
            return value
        if self.peek() == "^":
            raise self.fail(f"double superscript: write (\\{name}^{{a}}(x))^{{b}}")
        problem = power_problem(evaluated(value), evaluated(power))  # type: ignore[arg-type]
        if problem:
            raise self.fail(problem, token.column)
        return sympy.Pow(value, power)

    def function_power(self, name: str) -> sympy.Expr:
        r"""The power in ``\sin^{2} x``, which raises the value (``(\sin x)^2``); a negative
        one is rejected: ``\sin^{-1}`` is the inverse function to some, ``1/\sin`` to others."""
        column = self.column()
        self.take()
        power = self.script()
        if power.could_extract_minus_sign():
            inverse = INVERSES.get(name)
            if power == -1:
                meaning = f"{inverse} or 1/\\{name}" if inverse else f"the inverse of \\{name} or 1/\\{name}"
                instead = f"{inverse} x or " if inverse else ""
                raise self.fail(f"\\{name}^{{-1}} is ambiguous ({meaning}?): write {instead}(\\{name} x)^{{-1}}",
                                column)  # fmt: skip
            raise self.fail(f"a negative power on \\{name} is ambiguous (an inverse function?): "
                            f"write (\\{name} x)^{{{power}}}", column)  # fmt: skip
        return power

    def braceless_argument(self, name: str) -> sympy.Expr:
        r"""The argument of ``\sin`` without brackets: the factors written side by side, up to
        ``+``, ``-``, a relation, a closing bracket, an explicit ``\cdot``/``\times`` or the next
        function or operator: ``\sin 2x`` is ``sin(2x)``, ``\sin b \cos a`` is
        ``sin(b) cos(a)``, ``\ln x \cdot \ln 2`` is ``ln(x) ln(2)``. A ``/`` is rejected:
        ``\sin x / 2`` is ``sin(x/2)`` to some readers, ``sin(x)/2`` to others."""
        if self.at_term_end() and self.peek() != "-":
            raise self.fail(f"\\{name} needs an argument")
        factors = [self.factor()]  # \sin -x is sin(-x)
        while not self.at_term_end():
            if self.peek() in (r"\cdot", r"\times", "*") or self.at_function():
                break
            if self.peek() == "/":
                raise self.fail(f"ambiguous argument of \\{name}: does / divide inside it or after it? "
                                f"write \\{name}(...) or \\{name}{{...}}")  # fmt: skip
            if self.numbers_side_by_side():
                raise self.fail("two numbers side by side: write 2 \\cdot 3 or 23")
            factors.append(self.factor())
        return sympy.Mul(*factors)

    def at_function(self) -> bool:
        r"""Whether a function or an operator starts here: ``\cos``, ``\sigma(``, ``\sum``,
        ``\frac{d}{dx}``, ``H(p)``, ... (each ends a braceless argument)."""
        nxt, after = self.peek(), self.peek(1)
        if (nxt.startswith("\\") and nxt[1:] in FUNCTIONS) or nxt in _OPERATORS:
            return True
        if nxt == r"\sigma":
            return after == "(" or (after == r"\left" and self.peek(2) == "(")
        if nxt == "H":
            return after == "(" and self.peek(2) in self.vectors
        if nxt == "D":
            return [self.peek(i) for i in range(1, 5)] == ["_", "{", "K", "L"]
        if nxt in FRACTIONS and after == "{" and self.peek(2) in ("d", r"\partial"):
            saved = self.position
            self.position += 1
            try:
                return self.derivative_operator() is not None
            except ParseError:
                return False
            finally:
                self.position = saved
        return False

    def operatorname(self, token: Token) -> sympy.Expr:
        r"""``\operatorname{asin}`` (as derive's printer writes it), ``\operatorname{sech}``, ..."""
        name = self.name_in_braces()
        function = OPERATOR_NAMES.get(name)
        if function is None and name in self.applied:
            return self.applied_definition(self.applied[name], token.column)
        if function is None:
            known = ", ".join(sorted(OPERATOR_NAMES))
            raise self.fail(f"\\operatorname{{{name}}} is not read; the names read are {known}", token.column)
        return self.function(function, token)

    # --- commands --------------------------------------------------------------------
    def frac(self, token: Token) -> sympy.Expr:
        r"""``\frac{a}{b}`` (``\dfrac``, ``\tfrac``, ``\cfrac`` likewise), ``\frac{d}{dx} f``,
        and without braces as TeX reads it, one digit or letter each: ``\frac13``, ``\frac\pi2``."""
        if token.text == r"\cfrac" and self.peek() == "[":
            self.take()
            if self.take().text not in ("l", "c", "r"):
                raise self.fail("\\cfrac[...] aligns its numerator: l, c or r")
            self.expect("]")
        if self.peek() == "{" and self.peek(1) in ("d", r"\partial"):
            operator = self.derivative_operator()
            if operator is not None:
                variables = operator
                if self.at_term_end():
                    raise self.fail("a derivative of what? write \\frac{d}{dx} f")
                return sympy.Derivative(self.term(), *variables)
        if self.position < len(self.tokens):
            digits = self.tokens[self.position]
            if digits.text.isdigit() and len(digits.text) == 2:  # \frac13: TeX takes one digit each
                self.tokens[self.position : self.position + 1] = [
                    Token(digits.text[0], digits.column),
                    Token(digits.text[1], digits.column + 1),
                ]
        numerator = self.one_token(token.text, last=False)
        denominator = self.one_token(token.text, last=True)
        return numerator / denominator

    def one_token(self, command: str, last: bool) -> sympy.Expr:
        r"""An argument of ``\frac`` or ``\sqrt``: a braced group or, as TeX takes it, one
        token: a digit, a letter, a Greek letter or ``\pi``."""
        if self.peek() == "{":
            return self.braced()
        self.token_arguments.add(self.position)
        token = self.take()
        value: sympy.Expr | None = None
        if token.is_number and len(token.text) == 1:
            value = sympy.Integer(token.text)
        elif token.is_number:
            braces = "{...}{...}" if command in FRACTIONS else "{...}"
            raise self.fail(f"ambiguous {token.text} after {command}: without braces TeX takes one digit of it; "
                            f"write {command}{braces}", token.column)  # fmt: skip
        elif token.text == "E":
            value = self.letter(token)
        elif token.is_letter:
            value = sympy.E if token.text == "e" else make_symbol(token.text, self.fail_at(token.column))
        elif token.text == r"\pi":
            value = sympy.pi
        elif token.text[1:] in GREEK:
            value = make_symbol(token.text[1:], self.fail_at(token.column))
        if value is None:
            raise self.fail(f"write the argument of {command} in braces: {command}{{...}} (found {token.text!r})",
                            token.column)  # fmt: skip
        if self.peek() == "_" or (self.peek() == "^" and not last):
            raise self.fail(f"write {command}{{...}} with braces: a script after its argument {token.text} is "
                            "not part of it", self.column())  # fmt: skip
        return value

    def derivative_operator(self) -> list[tuple[sympy.Expr, int]] | None:
        """``{d}{dx}``, ``{\\partial^2}{\\partial x \\partial y}``: the variables and orders,
        or None (nothing consumed) when the fraction is an ordinary one such as ``{d}{2}``."""
        start = self.position
        numerator_end = self.closing(start)
        over_differentials = self.peek_at(numerator_end + 1) == "{" and self.peek_at(numerator_end + 2) in (
            "d",
            r"\partial",
        )
        self.take()
        mark = self.take().text
        order = self.order()
        if self.peek() != "}" or not over_differentials:
            if over_differentials:
                raise self.fail("write a derivative as \\frac{d}{dx} f, not \\frac{df}{dx}")
            self.position = start
            return None
        self.take()
        self.expect("{")
        variables: list[tuple[sympy.Expr, int]] = []
        while self.peek() == mark:
            self.take()
            variable = self.primary()
            if not isinstance(variable, (sympy.Symbol, sympy.Indexed)):
                raise self.fail(f"differentiate with respect to a variable or an entry, not {variable}")
            variables.append((variable, self.order()))
        self.expect("}", " closing the derivative's denominator")
        if not variables:
            raise self.fail(f"the denominator of a derivative is {mark}x")
        total = sum(n for _, n in variables)
        if total != order:
            raise self.fail(f"the derivative's orders disagree: {order} above, {total} below")
        if total > MAX_DERIVATIVE_ORDER:
            raise self.fail(f"derivative of order {total}; the limit is {MAX_DERIVATIVE_ORDER}")
        return variables

    def order(self) -> int:
        if self.peek() != "^":
            return 1
        self.take()
        value = self.script()
        if not (value.is_Integer and 1 <= value <= MAX_DERIVATIVE_ORDER):
            raise self.fail(f"a derivative's order is an integer from 1 to {MAX_DERIVATIVE_ORDER}")
        return int(value)

    def closing(self, start: int) -> int:
        """The index of the brace that closes the one at ``start``."""
        level = 0
        for i in range(start, len(self.tokens)):
            level += {"{": 1, "}": -1}.get(self.tokens[i].text, 0)
            if level == 0:
                return i
        raise self.fail("unbalanced braces", self.tokens[start].column)

    def peek_at(self, index: int) -> str:
        return self.tokens[index].text if index < len(self.tokens) else ""

    def sqrt(self, token: Token) -> sympy.Expr:
        r"""``\sqrt{x}``, ``\sqrt[3]{x}``, and as TeX reads them ``\sqrt2``, ``\sqrt x``."""
        degree: sympy.Expr = sympy.Integer(2)
        if self.peek() == "[":
            self.take()
            with self.group():
                degree = self.expression()
            self.expect("]")
        radicand = self.one_token(r"\sqrt", last=True)
        with sympy.evaluate(True):
            exponent = 1 / evaluated(degree)
        return sympy.Pow(radicand, exponent)

    def left(self, token: Token) -> sympy.Expr:
        opening = self.take().text
        closing = {"(": ")", "[": "]", "|": "|", ".": "|"}.get(opening)
        if closing is None:
            raise self.fail(f"unsupported delimiter \\left{opening}", token.column)
        with self.group():
            value = self.expression()
        self.expect(r"\right", f" to close \\left{opening}")
        self.expect(closing, f" after \\right (matching \\left{opening})")
        if opening == "|":
            return sympy.Abs(value)
        if opening == ".":
            return self.substitution(value)
        return value

    def substitution(self, value: sympy.Expr) -> sympy.Expr:
        self.expect("_", " after \\right| (the substitution)")
        self.expect("{")
        stacked = self.peek() == r"\substack"
        if stacked:
            self.take()
            self.expect("{")
        old, new = [], []
        while True:
            token = self.take()
            target = self.letter(token) if token.is_letter else self.command(token)
            if not isinstance(target, sympy.Symbol):
                raise self.fail("substitute for a variable", token.column)
            self.expect("=")
            with self.group():
                new.append(self.expression())
            old.append(target)
            if not (stacked and self.peek() == r"\\"):
                break
        self.expect("}")
        if stacked:
            self.expect("}")
        return sympy.Subs(value, tuple(old), tuple(new))

    def expectation(self, token: Token) -> sympy.Expr:
        """``\\mathbb{E}_{p}[f(p_i, q_i, ...)]``: the sum over i of p_i f, for a declared vector p."""
        if self.name_in_braces() != "E":
            raise self.fail("\\mathbb is read only as \\mathbb{E}_{p}[...]", token.column)
        self.expect("_", " (write \\mathbb{E}_{p}[...] with a probability vector p)")
        name = self.subscript()
        vector = self.vectors.get(name)
        if vector is None:
            raise self.fail(f"{name} is not a probability vector: assume e.g. '{name}1, {name}2 simplex'")
        if INDEX in self.indices:
            raise self.fail(f"the index {INDEX} of \\mathbb{{E}} is already in use")
        left = self.peek() == r"\left"
        if left:
            self.take()
        self.expect("[")
        index = sympy.Symbol(INDEX)
        self.indices[INDEX] = index
        try:
            with self.group():
                body = self.expression()
        finally:
            del self.indices[INDEX]
        if left:
            self.expect(r"\right")
        self.expect("]")
        if isinstance(vector, Vector):
            return Expectation(vector, sympy.Lambda(index, body))
        values = sympy.Tuple(*(self.entry(body, index, k) for k in range(1, len(vector) + 1)))
        return Expectation(vector, values)

    def abs_bars(self, token: Token) -> sympy.Expr:
        with self.group():
            value = self.expression()
        self.expect(r"\rvert")
        return sympy.Abs(value)

    def accent(self, token: Token) -> sympy.Expr:
        """``\\bar{x}``, ``\\hat{\\mu}``: the variable ``xbar``, ``muhat`` (a named definition's name)."""
        self.expect("{")
        inner = self.take()
        stem = inner.text[1:] if inner.text[1:] in GREEK else inner.text
        if not (inner.is_letter or inner.text[1:] in GREEK) or inner.text == "e":
            raise self.fail(f"{token.text} goes on one letter, as in {token.text}{{x}}", inner.column)
        self.expect("}")
        name = stem + token.text[1:]
        if name in ACCENT_WORDS:
            raise self.fail(f"{token.text}{{{inner.text}}} would be the variable {name}, a word: use another letter",
                            token.column)  # fmt: skip
        if self.defined is not None and name not in self.defined and not self.domain.declared(name):
            tex = f"{token.text}{{{inner.text}}}"
            raise self.fail(f"{tex} is not defined: declare it first with derive: let {tex} = ...", token.column)
        return self.variable(name, token.column)

    def mathrm(self, token: Token) -> sympy.Expr:
        name = self.name_in_braces()
        if name == "e":
            return self.letter(Token("e", token.column))
        if name in self.applied:
            return self.applied_definition(self.applied[name], token.column)
        return self.variable(name, token.column)

    def sum(self, token: Token) -> sympy.Expr:
        """``\\sum_{i=1}^{n} body`` and ``\\prod_{i=1}^{n} body``: a SymPy ``Sum``/``Product``
        whose body is the rest of the product, with entries ``x[i]``; with integer bounds
        over undeclared vectors, unrolled into their named entries ``x1``, ``x2``, ..."""
        command = token.text
        kind: type[sympy.Sum] | type[sympy.Product] = sympy.Sum if command == r"\sum" else sympy.Product
        self.expect("_", f" after {command} (write {command}_{{i=1}}^{{n}})")
        if self.peek() != "{":
            name = self.peek() or "i"
            raise self.fail(f"{command}_{name} has no range: write {command}_{{{name}=1}}^{{n}}")
        self.expect("{")
        index = self.take()
        if not index.is_letter or index.text == "e":
            raise self.fail("the summation index is one letter", index.column)
        if index.text in self.indices:
            raise self.fail(f"the index {index.text} is already in use by an outer sum", index.column)
        if self.peek() != "=":
            inside = index.text if self.peek() == "}" else f"{index.text} {self.peek()} ..."
            raise self.fail(f"{command}_{{{inside}}} has no range: write {command}_{{{index.text}=1}}^{{n}}")
        self.expect("=")
        with self.group():
            low = evaluated(self.expression())
        self.expect("}")
        self.expect("^", " (the upper bound)")
        high = evaluated(self.script())
        symbol = make_symbol(index.text, self.fail_at(index.column))
        for bound in (low, high):
            if symbol in bound.free_symbols:
                raise self.fail(f"the bounds of {symbol} cannot contain {symbol}", token.column)
            if bound.is_number and not (bound.is_Integer or bound in (sympy.oo, -sympy.oo)):
                raise self.fail(f"{command} bounds are integers or lengths such as n, not {bound}", token.column)
        self.indices[index.text] = symbol
        try:
            if self.at_term_end():
                raise self.fail("a sum of what?")
            body = self.term()
        finally:
            del self.indices[index.text]
        if not self.unrolls(body, symbol, low, high, token):
            return kind(body, (symbol, low, high))
        terms = [self.entry(body, symbol, k) for k in range(int(low), int(high) + 1)]
        return sympy.Add(*terms) if kind is sympy.Sum else sympy.Mul(*terms)

    def unrolls(self, body: sympy.Expr, index: sympy.Symbol, low: sympy.Expr, high: sympy.Expr,
                token: Token) -> bool:  # fmt: skip
        """Whether a sum over ``index`` is written out term by term: when its bounds are
        integers and every entry it subscripts is one of a vector of named variables
        (``x_j`` -> ``x1, x2, ...``: not a declared family, one index, the sum's own)."""
        entries = [e for e in body.atoms(sympy.Indexed) if any(index in i.free_symbols for i in e.indices)]
        if not entries or not (low.is_Integer and high.is_Integer):
            return False
        for entry in entries:
            if self.domain.family(str(entry.base.label)) is not None or len(entry.indices) != 1:
                return False
            if entry.indices[0].free_symbols != {index}:
                return False
        if not 0 <= int(high) - int(low) < MAX_UNROLLED_TERMS:
            raise self.fail(f"a sum over vector entries has at most {MAX_UNROLLED_TERMS} terms", token.column)
        return True

    def entry(self, body: sympy.Expr, index: sympy.Symbol, number: int) -> sympy.Expr:
        k = sympy.Integer(number)

        def name(indexed: sympy.Indexed) -> sympy.Symbol:
            subscript = evaluated(indexed.indices[0].xreplace({index: k}))
            if not subscript.is_Integer or subscript < 0:
                raise self.fail(f"entry {indexed.base}_{subscript} is not a vector entry")
            return make_symbol(f"{indexed.base}{subscript}", self.fail)

        entries = [e for e in body.atoms(sympy.Indexed) if any(index in i.free_symbols for i in e.indices)]
        return body.xreplace({e: name(e) for e in entries}).xreplace({index: k})

    def integral(self, token: Token) -> sympy.Expr:
        bounds: tuple[sympy.Expr, ...] = ()
        if self.peek() == "_":
            self.take()
            low = self.script()
            self.expect("^", " (a definite integral has both bounds)")
            bounds = (low, self.script())
        self.integral_levels.append(self.group_level)
        try:
            body = self.expression()
            if not self.at_differential():
                raise self.fail("an integral ends with its differential, e.g. \\, dx")
            self.take()
            variable_token = self.take()
            variable = self.letter(variable_token) if variable_token.is_letter else self.command(variable_token)
        finally:
            self.integral_levels.pop()
        if not isinstance(variable, sympy.Symbol):
            raise self.fail("integrate with respect to a variable", variable_token.column)
        bound = sympy.Symbol(variable.name, real=True)  # the variable of integration ranges over reals
        return sympy.Integral(body.xreplace({variable: bound}), (bound, *bounds))

    def limit(self, token: Token) -> sympy.Expr:
        self.expect("_", " after \\lim (write \\lim_{x \\to 0})")
        self.expect("{")
        variable_token = self.take()
        variable = self.letter(variable_token) if variable_token.is_letter else self.command(variable_token)
        if not isinstance(variable, sympy.Symbol):
            raise self.fail("a limit is taken in a variable", variable_token.column)
        if self.peek() not in (r"\to", r"\rightarrow"):
            raise self.fail("write the limit as \\lim_{x \\to a}")
        self.take()
        negative = self.peek() == "-"
        if negative:
            self.take()
        point = self.primary()
        point = -point if negative else point
        direction = "+-"
        if self.peek() == "^":
            self.take()
            braced = self.peek() == "{"
            if braced:
                self.take()
            sign = self.take().text
            if sign not in ("+", "-"):
                raise self.fail("a one-sided limit is written a^{+} or a^{-}")
            if braced:
                self.expect("}")
            direction = sign
        self.expect("}")
        if self.at_term_end():
            raise self.fail("a limit of what?")
        body = self.term()
        if point in (sympy.oo, -sympy.oo):
            return sympy.Limit(body, variable, point)
        return sympy.Limit(body, variable, point, direction)


def _constant(value: sympy.Expr) -> Callable[[_Reader, Token], sympy.Expr]:
    return lambda reader, token: value


_COMMANDS: dict[str, Callable[[_Reader, Token], sympy.Expr]] = {
    "frac": _Reader.frac,
    "dfrac": _Reader.frac,
    "tfrac": _Reader.frac,
    "cfrac": _Reader.frac,
    "operatorname": _Reader.operatorname,
    "sqrt": _Reader.sqrt,
    "left": _Reader.left,
    "lvert": _Reader.abs_bars,
    "mathrm": _Reader.mathrm,
    "bar": _Reader.accent,
    "hat": _Reader.accent,
    "tilde": _Reader.accent,
    "mathbb": _Reader.expectation,
    "sum": _Reader.sum,
    "prod": _Reader.sum,
    "int": _Reader.integral,
    "lim": _Reader.limit,
    "pi": _constant(sympy.pi),
    "infty": _constant(sympy.oo),
}


def _vectors(domain: Domain | None) -> dict[str, sympy.Basic]:
    """The probability vectors of ``domain`` by name: a tuple of entries for a fixed
    simplex (``p1, p2 simplex``), a ``Vector`` for ``p in simplex(n)``."""
    out: dict[str, sympy.Basic] = {}
    for binding in domain.bindings if domain else ():
        family = binding.domain
        if isinstance(family, Family) and family.joint == "simplex":
            length = family.length if isinstance(family.length, int) else sympy.Symbol(str(family.length))
            out[binding.names[0]] = Vector(sympy.Symbol(binding.names[0]), length)
            continue
        if isinstance(binding.domain, Simplex):
            vector = sympy.Tuple(*(sympy.Symbol(n) for n in binding.names))
            name = vector_name(vector)
            if name:
                out[name] = vector
    return out


def parse_latex(
    source: str, domain: Domain | None = None, defined: Collection[str] | Mapping[str, Known] | None = None,
    *, as_read: bool = False, indices: Collection[str] = (), entries: Collection[str] = (),
) -> sympy.Expr:  # fmt: skip
    """One expression (no relation) from LaTeX; ``H(p)`` and ``D_{KL}(p \\| q)`` need the
    probability vectors ``p``, ``q`` to be bound in ``domain``; an accented name
    (``\\bar{x}``) must be one of ``defined`` (any, when None), and a definition with
    parameters among them is read applied (``L(w, b)``); ``indices`` may subscript
    entries as a sum's index does (a definition's own, in its body).

    The reader keeps the structure it read (nothing is evaluated: a factor ``\\frac{1}{m}``
    stays in front of its sum, terms keep their order); the result is that expression
    evaluated, or with ``as_read`` the structure itself, as documents keep it to print it
    (``derive.writing``):

    >>> m, n = sympy.symbols("m n")
    >>> read = parse_latex(r"\\frac{1}{m} \\sum_{i=1}^{n} (x_i - 1)", as_read=True)
    >>> read.args[0], evaluated(read) == parse_latex(r"\\frac{1}{m} \\sum_{i=1}^{n} (x_i - 1)")
    (1/m, True)
    """
    reader = _Reader(source, _vectors(domain), domain, defined, indices, entries)
    if not reader.tokens:
        raise ParseError("empty formula")
    with written():  # the structure as read
        value = reader.expression()
    if reader.peek():
        raise reader.fail(f"unexpected {reader.peek()!r}")
    return tidy(value) if as_read else evaluated(value)  # type: ignore[return-value]


def parse_latex_claim(source: str, assumptions: tuple[str, ...] | list[str] = ()) -> Claim:
    r"""A claim ``lhs REL rhs`` in LaTeX, with assumptions in derive's text syntax; a
    ``let NAME = EXPR`` among them names a definition the claim may use (``\bar{x}`` for
    ``xbar``), expanded for checking.

    >>> claim = parse_latex_claim(r"n \bar{x} = \sum_{i=1}^{n} x_i", ["let xbar = Sum(x[i], (i, 1, n))/n"])
    >>> claim.lhs
    Sum(x[i], (i, 1, n))
    """
    domain = Domain()
    definitions: dict[str, Known] = {}
    for assumption in assumptions:
        if assumption.lstrip().startswith("let "):
            name, definition = parse_definition(assumption, definitions)
            definitions[name] = definition
            continue
        names, dom = parse_assumption(assumption)
        domain = domain.bind(names, dom)
    taken = sorted(set(definitions) & set(domain.names()))
    if taken:
        raise ParseError(f"{taken[0]} is defined with let, so it is not a variable to assume anything about")
    lhs, relation, rhs = _read_claim(source, domain, definitions)
    vectors = vector_arguments([lhs, rhs]) - set(domain.names())
    if vectors:  # softmax(z)_1 = sigma(z_1 - z_2): z_1 is z's first entry there, not a variable z1
        lhs, relation, rhs = _read_claim(source, domain, definitions, vectors)
    sides = [_defined(evaluated(side), definitions) for side in (lhs, rhs)]  # type: ignore[arg-type]
    return Claim(sides[0], relation, sides[1], domain, (), source.strip())


def _read_claim(
    source: str, domain: Domain, definitions: dict[str, Known], entries: Collection[str] = ()
) -> tuple[sympy.Expr, Relation, sympy.Expr]:
    reader = _Reader(source, _vectors(domain), domain, definitions or None, (), entries)
    if not reader.tokens:
        raise ParseError("empty claim")
    with written():
        lhs = reader.expression()
    relation_text = reader.peek()
    relation = RELATIONS.get(relation_text)
    if relation is None:
        found = repr(relation_text) if relation_text else "the end"
        raise reader.fail(f"expected a relation (=, \\le, \\ge, <, >), found {found}")
    reader.take()
    with written():
        rhs = reader.expression()
    if reader.peek():
        extra = reader.peek()
        raise reader.fail("a claim has one relation" if extra in RELATIONS else f"unexpected {extra!r}")
    return lhs, relation, rhs


def _defined(expr: sympy.Expr, definitions: dict[str, Known]) -> sympy.Expr:
    """``expr`` with each defined name replaced by its definition, expanded."""
    return expand_definitions(with_definitions(expr, definitions))


def _head_form(definition: Definition) -> str:
    """``L(w, b)``, ``\\mathrm{softmax}(z)_{k}``: how a definition with parameters is written."""
    from derive.latex import latex

    return latex(definition.head()).replace(r"\left(", "(").replace(r"\right)", ")")


def parse_definition_head(source: str) -> tuple[str, tuple[str, ...] | None, tuple[str, ...]]:
    r"""The left side of ``let``: a name (``S``, ``\bar{x}``, ``\mathrm{softmax}``), with its
    parameters in brackets and its indices in a subscript, if it has them; ``None`` for
    parameters when it has no brackets.

    >>> parse_definition_head(r"\mathrm{softmax}(z)_k"), parse_definition_head(r"L\left(w, b\right)")
    (('softmax', ('z',), ('k',)), ('L', ('w', 'b'), ()))
    >>> parse_definition_head(r"\bar{x}")
    ('xbar', None, ())
    """
    reader = _Reader(source)
    if not reader.tokens:
        raise ParseError("a definition needs a name")
    token = reader.take()
    if token.text in (r"\mathrm", r"\operatorname"):
        name = reader.name_in_braces()
    elif token.text[1:] in ("bar", "hat", "tilde"):
        reader.position -= 1
        name = str(reader.primary())
    elif token.is_letter or token.text[1:] in GREEK:
        name = token.text.lstrip("\\")
    else:
        raise reader.fail(f"a definition's name is a letter or \\mathrm{{name}}, not {token.text!r}", token.column)
    if not reader.peek():
        return name, None, ()
    if reader.peek() not in ("(", r"\left"):
        raise reader.fail(
            f"a definition reads let NAME = EXPR or let NAME(a, b) = EXPR, not {reader.peek()!r} after NAME"
        )
    params = tuple(_plain_name(reader, a) for a in reader.arguments())
    indices: tuple[str, ...] = ()
    if reader.peek() == "_":
        reader.take()
        if reader.peek() == "{":
            reader.take()
            indices = (reader.take().text,)
            while reader.peek() == ",":
                reader.take()
                indices += (reader.take().text,)
            reader.expect("}")
        else:
            indices = (reader.take().text,)
        if not all(len(i) == 1 and i.isalpha() and i != "e" for i in indices):
            raise ParseError(f"a definition's index is one letter, as in _k (found {', '.join(indices)})", source)
    if reader.peek():
        raise reader.fail(f"unexpected {reader.peek()!r} after the definition's parameters")
    return name, params, indices


def _plain_name(reader: _Reader, value: sympy.Basic) -> str:
    if not isinstance(value, sympy.Symbol):
        raise reader.fail(f"a definition's parameters are names such as w, b or z, not {value}")
    return value.name


def names_in(source: str) -> set[str]:
    r"""The names ``source`` writes: letters, ``\mathrm{...}``, Greek and accented letters.

    >>> sorted(names_in(r"\bar{x} + \mathrm{softmax}(z)_k + \mu"))
    ['k', 'mu', 'softmax', 'xbar', 'z']
    """
    found: set[str] = set()
    toks = [t.text for t in tokens(source)]
    i = 0
    while i < len(toks):
        token, after = toks[i], toks[i + 1 : i + 40]
        if token in (r"\mathrm", r"\operatorname") and after[:1] == ["{"] and "}" in after:
            found.add("".join(after[1 : after.index("}")]))
            i += after.index("}") + 2
            continue
        if token[1:] in ("bar", "hat", "tilde") and after[:1] == ["{"] and after[2:3] == ["}"]:
            found.add(after[1].lstrip("\\") + token[1:])
            i += 4
            continue
        if (len(token) == 1 and token.isalpha()) or token[1:] in GREEK:
            found.add(token.lstrip("\\"))
        i += 1
    return found
