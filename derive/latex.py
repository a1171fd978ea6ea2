"""LaTeX out: expressions in the article's notation, and derivations as ``align*``.

>>> import sympy
>>> from derive.functions import KL, CrossEntropy, Entropy, Expectation, Vector, _Information, sigmoid
>>> x, w, b, p1 = sympy.symbols("x w b p1")
>>> latex(-x * sympy.log(sigmoid(w * x + b), 2))
'- x \\\\log_{2}{\\\\left(\\\\sigma\\\\left(b + w x\\\\right) \\\\right)}'
>>> latex(p1 * sympy.exp(x))
'p_{1} e^{x}'
>>> latex(sympy.Symbol(r"\\write18{id}"))  # doctest: +ELLIPSIS
Traceback (most recent call last):
...
derive.errors.InputError: symbol name '\\\\write18{id}' cannot be typeset: use letters, digits and _, ...
"""

from __future__ import annotations

import re
from collections.abc import Mapping

import sympy
from sympy.printing.latex import LatexPrinter

from derive.definitions import Defined
from derive.errors import InputError
from derive.functions import KL, CrossEntropy, Entropy, Expectation, Vector, _Information, sigmoid
from derive.writing import Written, canonical

GREEK = frozenset(
    (
        "alpha", "beta", "gamma", "delta", "epsilon", "zeta", "eta", "theta", "iota", "kappa", "lambda", "mu",
        "nu", "xi", "rho", "sigma", "tau", "upsilon", "phi", "chi", "psi", "omega",
        "Gamma", "Delta", "Theta", "Lambda", "Xi", "Pi", "Sigma", "Upsilon", "Phi", "Psi", "Omega",
    )
)  # fmt: skip
"""Symbol names typeset as Greek letters (``theta`` -> ``\\theta``)."""

_SYMBOL = re.compile(r"(?P<base>[A-Za-z]+)(?P<digits>[0-9]*)(?:_(?P<sub>[A-Za-z0-9]+))?\Z")
_LOG2 = sympy.Pow(sympy.log(2), -1)


class _Log2(sympy.Function):
    """``log(x) / log(2)`` while it is printed (never leaves this module)."""

    nargs = 1


class _Entry(sympy.Symbol):
    """An entry ``x[i]`` while it is printed (never leaves this module): a variable to
    SymPy's ordering, so that ``p[i]*log(p[i])`` prints ``p_{i} \\log ...`` as ``p1*log(p1)``
    prints ``p_{1} \\log ...``."""

    @classmethod
    def class_key(cls) -> tuple[int, int, str]:
        return tuple(sympy.Symbol.class_key())  # type: ignore[return-value]


_ACCENTS = ("bar", "hat", "tilde")


ACCENT_WORDS = frozenset(("that", "what", "chat", "phat"))
"""Names that end in an accent's word but are words: ``that`` is not t with a hat."""


def _accented(stem: str, name: str) -> bool:
    return (len(stem) == 1 or stem in GREEK) and name not in ACCENT_WORDS


def symbol_latex(name: str) -> str:
    """The LaTeX of a variable name, or InputError when the name could inject LaTeX;
    ``xbar``, ``muhat`` are a letter with an accent.

    >>> [symbol_latex(n) for n in ("x", "x1", "sigma2", "lambda", "xy", "t_jensen")]
    ['x', 'x_{1}', '\\\\sigma_{2}', '\\\\lambda', '\\\\mathrm{xy}', 't_{\\\\mathrm{jensen}}']
    >>> [symbol_latex(n) for n in ("xbar", "muhat", "that", "what")]
    ['\\\\bar{x}', '\\\\hat{\\\\mu}', '\\\\mathrm{that}', '\\\\mathrm{what}']
    """
    match = _SYMBOL.match(name)
    if match is None or len(name) > 32:
        raise InputError(f"symbol name {name!r} cannot be typeset: use letters, digits and _, starting with a letter")
    base, digits, sub = match["base"], match["digits"], match["sub"]
    accent = next((a for a in _ACCENTS if base.endswith(a) and _accented(base[: -len(a)], base)), "")
    stem = base[: -len(accent)] if accent else base
    if stem in GREEK:
        text = "\\" + stem
    elif len(stem) == 1:
        text = stem
    else:
        text = rf"\mathrm{{{stem}}}"
    if accent:
        text = rf"\{accent}{{{text}}}"
    if digits and sub:
        raise InputError(f"symbol name {name!r} cannot be typeset: use either digits or _suffix, not both")
    if digits:
        text += f"_{{{digits}}}"
    elif sub:
        text += f"_{{{sub}}}" if sub.isdigit() or len(sub) == 1 else rf"_{{\mathrm{{{sub}}}}}"
    return text


def definition_latex(definition: Defined) -> str:
    r"""``\bar{x} = \frac{...}{n}``, ``L(w, b) = ...``: a definition as its ``let``
    line and the sentence stating it write it (as ``used_definitions`` gives it).

    >>> from derive.definitions import define
    >>> w, b = sympy.symbols("w b")
    >>> definition_latex(define("L", (w - b) ** 2, of=(w, b)).head())
    'L(w, b) = \\left(- b + w\\right)^{2}'
    """
    head = latex(definition) if definition.definition else symbol_latex(definition.name)
    return f"{head} = {latex(definition.body)}"


def vector_name(vector: sympy.Basic) -> str | None:
    """``p`` for the entries ``(p1, ..., pn)`` or a ``Vector(p, n)``, else None.

    >>> vector_name(sympy.Tuple(*sympy.symbols("q1:4"))), vector_name(sympy.Tuple(*sympy.symbols("a b")))
    ('q', None)
    >>> vector_name(Vector(sympy.Symbol("p"), sympy.Symbol("n")))
    'p'
    """
    if isinstance(vector, Vector):
        return str(vector.base.label)
    names = [getattr(v, "name", "") for v in vector.args]
    base = names[0][:-1] if names and names[0].endswith("1") else ""
    if base.isalpha() and names == [f"{base}{i}" for i in range(1, len(names) + 1)]:
        return base
    return None


INDEX = "i"


def indexed_pattern(values: sympy.Tuple, n: int) -> sympy.Expr | None:
    """The one expression in ``p_i``, ``q_i``, ... whose i-th instance is ``values[i]``,
    or None.

    >>> p1, p2, q1, q2 = sympy.symbols("p1 p2 q1 q2")
    >>> indexed_pattern(sympy.Tuple(sympy.log(p1 / q1), sympy.log(p2 / q2)), 2)
    log(p_i/q_i)
    """
    first = values.args[0]
    bases = {s.name[:-1] for s in first.free_symbols if s.name.endswith("1") and s.name[:-1].isalpha()}
    general = {sympy.Symbol(f"{b}1"): sympy.Symbol(f"{b}_{INDEX}") for b in bases}
    pattern = first.xreplace(general)
    for k, value in enumerate(values.args, 1):
        instance = pattern.xreplace({sympy.Symbol(f"{b}_{INDEX}"): sympy.Symbol(f"{b}{k}") for b in bases})
        if instance != value:
            return None
    return pattern if len(values.args) == n else None


class DerivePrinter(LatexPrinter):
    """SymPy's LaTeX printer in the article's notation: ``\\sigma(z)``, ``\\log_2``,
    validated symbol names, and a sigma symbol kept apart from the sigmoid."""

    def __init__(self, settings: Mapping[str, object] | None = None):
        super().__init__(dict(settings) if settings is not None else None)
        self._entries: dict[str, sympy.Indexed] = {}
        self._written: set[sympy.Basic] = set()
        self._as_written = 0

    def doprint(self, expr: sympy.Basic) -> str:
        return str(super().doprint(self.entries_as_variables(expr)))

    def entries_as_variables(self, expr: sympy.Basic) -> sympy.Basic:
        """``expr`` with each entry ``x[i]`` replaced by an ``_Entry`` that prints as it;
        the sums and products held as written (``derive.writing``) are remembered, to be
        printed in the author's order."""
        if not isinstance(expr, sympy.Basic):
            return expr
        held = {
            node
            for node in sympy.preorder_traversal(expr)
            if isinstance(node, (sympy.Add, sympy.Mul)) and not canonical(node)
        }
        entries = expr.atoms(sympy.Indexed)
        replace = {}
        for entry in entries:
            name = f"{entry.base.label}[{', '.join(map(str, entry.indices))}]"
            self._entries[name] = entry
            replace[entry] = _Entry(name)
        if not held:
            return expr.xreplace(replace) if replace else expr
        with sympy.evaluate(False):  # rebuilding a written node must not evaluate it
            self._written |= {node.xreplace(replace) for node in held}
            return expr.xreplace(replace)

    def _print_Symbol(self, expr: sympy.Symbol, style: str = "plain") -> str:
        return symbol_latex(expr.name)

    def _print__Entry(self, expr: _Entry, style: str = "plain") -> str:
        return self._print_Indexed(self._entries[expr.name])

    def _print_Indexed(self, expr: sympy.Indexed) -> str:
        """``x_{i}``, ``x_{i,j}``, ``x_{i + 1}``, ``\\theta_{k}`` (SymPy writes ``{x}_{i}``)."""
        label = str(expr.base.label)
        base = symbol_latex(label)
        if not label.isalpha():
            base = f"{{{base}}}"
        return f"{base}_{{{','.join(self._print(i) for i in expr.indices)}}}"

    def _print_Sum(self, expr: sympy.Sum) -> str:
        return self._big_operator(expr, r"\sum")

    def _print_Product(self, expr: sympy.Product) -> str:
        return self._big_operator(expr, r"\prod")

    def _big_operator(self, expr: sympy.Sum | sympy.Product, command: str) -> str:
        """``\\sum_{i=1}^{n} body``, one operator per limit, the outermost first; the body
        in brackets when it is a sum or starts with a minus (as the reader reads it back)."""
        if any(len(limit) != 3 for limit in expr.limits):
            return str(getattr(super(), f"_print_{type(expr).__name__}")(expr))
        tex = "".join(
            rf"{command}_{{{self._print(i)}={self._print(lo)}}}^{{{self._print(hi)}}} "
            for i, lo, hi in reversed(expr.limits)
        )
        function = expr.function
        if isinstance(function, sympy.Mul) and len(function.args) == 2 and function.args[0] is sympy.S.One:
            function = function.args[1]  # a sum rebuilt without evaluation multiplies its body by 1
        body = self._print(function)
        if isinstance(function, sympy.Add) or body.startswith("-"):
            body = rf"\left({body}\right)"
        return tex + body

    def _print_Defined(self, expr: Defined, exp: str | None = None) -> str:
        """A named definition, folded: its name (``\\bar{x}``, ``S``), with its arguments and
        indices when it takes them (``L(w, b)``, ``\\mathrm{softmax}(z)_{k}``)."""
        tex = symbol_latex(expr.name)
        if expr.definition is None:
            return f"{tex}^{{{exp}}}" if exp is not None else tex
        tex += f"({', '.join(self._print(a) for a in expr.arguments)})"  # no \left: no space after the name
        if expr.indices:
            tex += f"_{{{', '.join(self._print(i) for i in expr.indices)}}}"
        return rf"\left({tex}\right)^{{{exp}}}" if exp is not None else tex

    def _print_sigmoid(self, expr: sigmoid, exp: str | None = None) -> str:
        tex = rf"\sigma\left({self._print(expr.args[0])}\right)"
        return f"{tex}^{{{exp}}}" if exp is not None else tex

    def _print_Entropy(self, expr: Entropy) -> str:
        return self._information(expr, "H({})", ", ")

    def _print_CrossEntropy(self, expr: CrossEntropy) -> str:
        return self._information(expr, "H({})", ", ")

    def _print_KL(self, expr: KL) -> str:
        return self._information(expr, r"D_{{KL}}({})", r" \| ")

    def _print_Expectation(self, expr: Expectation) -> str:
        vector, values = expr.args
        name = vector_name(vector)
        if isinstance(vector, Vector):
            (index,) = values.variables
            body = values.expr.xreplace({index: sympy.Symbol(INDEX)})
            return rf"\mathbb{{E}}_{{{symbol_latex(name or '')}}}\left[{self._print(body)}\right]"
        pattern = indexed_pattern(values, len(vector)) if name else None
        if pattern is None:
            return self._print(expr.expanded())
        return rf"\mathbb{{E}}_{{{symbol_latex(name or '')}}}\left[{self._print(pattern)}\right]"

    def _information(self, expr: _Information, template: str, separator: str) -> str:
        names = [vector_name(v) for v in expr.args]
        if None in names:  # not vectors p1..pn: the sum itself
            return self._print(expr.expanded())
        return template.format(separator.join(symbol_latex(n) for n in names if n))

    def _print_Limit(self, expr: sympy.Limit) -> str:
        body, z, z0, direction = expr.args
        tex = rf"\lim_{{{self._print(z)} \to {self._print(z0)}"
        if str(direction) != "+-" and z0 not in (sympy.oo, -sympy.oo):
            tex += f"^{{{direction}}}"
        if isinstance(body, (sympy.Add, sympy.Mul)):
            return rf"{tex}}}\left({self._print(body)}\right)"
        return f"{tex}}} {self._print(body)}"

    def _needs_mul_brackets(self, expr: sympy.Expr, first: bool = False, last: bool = False) -> bool:
        if not last and expr.has(sympy.Derivative, sympy.Limit, sympy.Subs):
            return True
        return bool(super()._needs_mul_brackets(expr, first, last))

    def _print__Log2(self, expr: _Log2, exp: str | None = None) -> str:
        tex = rf"\log_{{2}}{{\left({self._print(expr.args[0])} \right)}}"
        return f"{tex}^{{{exp}}}" if exp is not None else tex

    def _print_Written(self, expr: Written) -> str:
        """A start or step held as written: every sum and product inside in its author's
        order and form."""
        self._as_written += 1
        try:
            return str(self._print(expr.args[0]))
        finally:
            self._as_written -= 1

    def held(self, expr: sympy.Basic) -> bool:
        """Whether ``expr`` (a sum or product) prints as written."""
        return bool(self._as_written) or expr in self._written

    def _print_Add(self, expr: sympy.Add, order: str | None = None) -> str:
        if not self.held(expr):
            return str(super()._print_Add(expr, order))
        tex = ""
        for i, term in enumerate(written_terms(expr)):
            negative = _negated(term)
            if i:
                tex += " - " if negative is not None else " + "
                term = negative if negative is not None else term
            term_tex = self._print(term)
            tex += rf"\left({term_tex}\right)" if self._needs_add_brackets(term) else term_tex
        return tex

    def parenthesize(self, item: sympy.Basic, level: int, is_neg: bool = False, strict: bool = False) -> str:
        if strict and isinstance(item, sympy.Mul) and self.held(item):  # as printed, not as SymPy would
            is_neg = self._print(item).startswith("-")
        return str(super().parenthesize(item, level, is_neg, strict))

    def _print_written_Mul(self, expr: sympy.Mul) -> str:
        """A product held as written: its factors in the author's order, a leading
        ``1/b`` as ``\\frac{1}{b}`` in front, factors followed by ``1/b`` as one fraction."""
        factors = _with_log2(list(expr.args))
        if len(factors) == 2 and factors[0] is sympy.S.One:  # the body of a sum built without evaluation
            factors = factors[1:]
        if len(factors) == 1:
            return str(self._print(factors[0]))
        sign = ""
        if factors[0] is sympy.S.NegativeOne and len(factors) > 1:
            sign, factors = "- ", factors[1:]
        elif factors[0].is_Number and factors[0].is_negative and len(factors) > 1:
            sign, factors = "- ", [-factors[0], *factors[1:]]
        split = len(factors)
        while split > 0 and _reciprocal(factors[split - 1]):
            split -= 1
        if 0 < split < len(factors) and not any(_reciprocal(f) for f in factors[:split]):
            numerator = self._product(factors[:split], alone=split == 1)
            if numerator.startswith("- "):  # -n/2 as - n/2
                sign, numerator = ("" if sign else "- "), numerator[2:]
            bases = [f.base for f in factors[split:]]  # type: ignore[attr-defined]
            return rf"{sign}\frac{{{numerator}}}{{{self._product(bases, alone=len(bases) == 1)}}}"
        text = self._product(factors, alone=False)
        if sign and text.startswith("-"):
            text = rf"\left({text}\right)"
        return sign + text

    def _product(self, factors: list[sympy.Basic], alone: bool) -> str:
        """Factors side by side (``\\cdot`` between two numbers), a sum or a negative factor
        after the first in brackets; ``alone``: a single factor needs none."""
        tex = ""
        for i, factor in enumerate(factors):
            text = rf"\frac{{1}}{{{self._print(factor.base)}}}" if _reciprocal(factor) else self._print(factor)
            if (not alone and (isinstance(factor, sympy.Add) or (i and text.startswith("-")))) or (
                not alone
                and i
                and self._needs_mul_brackets(factor, last=i == len(factors) - 1)
                and not isinstance(factor, Defined)  # SymPy brackets what holds a sum: a definition's body does
            ):
                text = rf"\left({text}\right)"
            if i:
                numbers = tex[-1:].isdigit() and text[:1].isdigit()
                tex += r" \cdot " if numbers else " "
            tex += text
        return tex

    def _print_Mul(self, expr: sympy.Mul) -> str:
        held = self.held(expr) or (len(expr.args) == 2 and expr.args[0] is sympy.S.One)
        if held and isinstance(expr, sympy.Mul):  # SymPy prints 1/x through here too
            return self._print_written_Mul(expr)
        factors = list(expr.args)
        if _LOG2 in factors:
            logs = [f for f in factors if isinstance(f, sympy.log) and f.args[0] != 2]
            if logs:
                factors.remove(_LOG2)
                factors[factors.index(logs[0])] = _Log2(logs[0].args[0])
                expr = sympy.Mul(*factors)
        text = super()._print_Mul(expr)
        return text.replace(r"\sigma \left(", r"\sigma \cdot \left(")


_PRINTER_SETTINGS = {"mul_symbol": None, "long_frac_ratio": None}


def latex(expr: sympy.Expr) -> str:
    """One expression in derive's notation (deterministic)."""
    return DerivePrinter(_PRINTER_SETTINGS).doprint(expr)


def text(value: str) -> str:
    r"""Plain text made safe for LaTeX text mode; a full stop inside a sentence (``i.i.d. normal``)
    is followed by a word space, not the wider space that ends a sentence.

    >>> text(r"50% of \input{x} & $1_2")
    '50\\% of \\textbackslash{}input\\{x\\} \\& \\$1\\_2'
    >>> text("n i.i.d. samples. Then")
    'n i.i.d.\\ samples. Then'
    """
    out = []
    for char in value:
        out.append(_TEXT_ESCAPES.get(char, char) if char.isascii() and char.isprintable() else "?")
    return _INSIDE_SENTENCE.sub(r".\\ ", "".join(out))


_INSIDE_SENTENCE = re.compile(r"\. (?=[a-z])")


_TEXT_ESCAPES = {
    "\\": r"\textbackslash{}",
    "{": r"\{",
    "}": r"\}",
    "$": r"\$",
    "&": r"\&",
    "#": r"\#",
    "^": r"\^{}",
    "_": r"\_",
    "%": r"\%",
    "~": r"\~{}",
    "<": "$<$",
    ">": "$>$",
    "|": "$|$",
}

LINE_WIDTH = 48
"""Roughly how many visible characters of math fit on one line beside a margin mark."""


def visible_length(tex: str) -> int:
    """An estimate of the printed width of ``tex`` in characters.

    >>> visible_length(r"\\frac{1}{2} \\log{\\left(x \\right)}")
    6
    """
    tex = re.sub(r"\\(left|right)\b|\\[,;:! ]|[{} ]", "", tex)
    tex = re.sub(r"\\frac", "", tex)
    return len(re.sub(r"\\[A-Za-z]+", "x", tex))


def lines(expr: sympy.Expr, width: int = LINE_WIDTH) -> list[str]:
    """``expr`` broken before top-level ``+``/``-`` (also inside a bracketed sum under a
    derivative, limit or product) so that each line fits ``width``.

    >>> x = sympy.Symbol("x")
    >>> lines(sum(x**k for k in range(1, 13)), width=30)
    ['x^{12} + x^{11} + x^{10} + x^{9} + x^{8} + x^{7} + x^{6}', '+ x^{5} + x^{4} + x^{3} + x^{2} + x']
    >>> lines(sympy.Derivative(sum(x**k for k in range(1, 13)), x), width=30)[0]
    '\\\\frac{d}{d x} \\\\biggl(x^{12} + x^{11} + x^{10} + x^{9} + x^{8} + x^{7} + x^{6}'
    """
    whole = latex(expr)
    if visible_length(whole) <= width:
        return [whole]
    if isinstance(expr, Written):
        inner = expr.args[0]
        if isinstance(inner, sympy.Add):
            return _pack(_terms(inner, as_written=True), width)
        return _split_inside(expr, whole, width)
    if isinstance(expr, sympy.Add):
        return _pack(_terms(expr), width)
    return _split_inside(expr, whole, width)


def _split_inside(expr: sympy.Expr, whole: str, width: int) -> list[str]:
    """``whole`` (the LaTeX of ``expr``) broken inside the one bracketed sum that is an argument."""
    if isinstance(expr, Written):
        expr = expr.args[0]
        wrap = as_written_expr
    else:
        wrap = _same
    for arg in expr.args:
        if not isinstance(arg, sympy.Expr) or not arg.has(sympy.Add):
            continue
        arg = wrap(arg)
        inner = latex(arg)
        for opening, closing in ((r"\left(", r"\right)"), ("", "")):
            bracketed = f"{opening}{inner}{closing}"
            if whole.count(bracketed) != 1:
                continue
            parts = lines(arg, width)
            if len(parts) == 1:
                break
            prefix, suffix = whole.split(bracketed)
            left, right = (r"\biggl(", r"\biggr)") if opening else ("", "")
            if prefix.startswith(r"\left. ") and suffix.startswith(r" \right|"):
                prefix, suffix = prefix[len(r"\left. ") :], r" \biggr|" + suffix[len(r" \right|") :]
            return [prefix + left + parts[0], *parts[1:-1], parts[-1] + right + suffix]
    return [whole]


def as_written_expr(expr: sympy.Expr) -> sympy.Expr:
    return Written(expr) if expr.args else expr


def _same(expr: sympy.Expr) -> sympy.Expr:
    return expr


def _terms(expr: sympy.Add, as_written: bool = False) -> list[str]:
    printer = DerivePrinter(_PRINTER_SETTINGS)
    printer._as_written += as_written
    pieces = []
    shown = printer.entries_as_variables(expr)
    if printer.held(shown):
        for i, term in enumerate(written_terms(shown)):
            negative = _negated(term)
            shown_term = negative if negative is not None else term
            text = printer._print(shown_term)
            if printer._needs_add_brackets(shown_term):
                text = rf"\left({text}\right)"
            pieces.append(("- " if negative is not None else "+ " if i else "") + text)
        return pieces
    for i, term in enumerate(printer._as_ordered_terms(shown)):
        if term.could_extract_minus_sign():
            pieces.append("- " + printer.parenthesize(-term, 40))
        else:
            pieces.append(("+ " if i else "") + printer.parenthesize(term, 40))
    return pieces


def written_terms(expr: sympy.Add) -> list[sympy.Expr]:
    """The terms of a sum held as written, in the author's order: ``a + b + c``, which
    Python builds as ``(a + b) + c``, has the three terms ``a, b, c``.

    >>> a, b, c = sympy.symbols("a b c")
    >>> with sympy.evaluate(False):
    ...     written_terms(c + a - b)
    [c, a, -b]
    """
    first, *rest = expr.args
    head = written_terms(first) if isinstance(first, sympy.Add) else [first]
    return head + list(rest)


def _negated(term: sympy.Expr) -> sympy.Expr | None:
    """``-term`` when ``term`` is written with a leading minus, else None; a written
    ``-1 * x`` loses its ``-1`` without being evaluated."""
    if isinstance(term, sympy.Mul) and term.args[0].is_Number and term.args[0].is_negative:
        rest = term.args[1:] if term.args[0] is sympy.S.NegativeOne else (-term.args[0], *term.args[1:])
        if len(rest) == 1:
            return rest[0]  # type: ignore[no-any-return]
        with sympy.evaluate(False):
            return sympy.Mul(*rest)
    if (term.is_Number and term.is_negative) or (not isinstance(term, sympy.Mul) and term.could_extract_minus_sign()):
        return -term
    if isinstance(term, sympy.Mul) and term.could_extract_minus_sign() and canonical(term):
        return -term
    return None


def _with_log2(factors: list[sympy.Basic]) -> list[sympy.Basic]:
    """``log(x)`` followed by ``1/log(2)`` as one factor ``log_2(x)``."""
    out: list[sympy.Basic] = []
    for factor in factors:
        if factor == _LOG2 and out and isinstance(out[-1], sympy.log) and out[-1].args[0] != 2:
            out[-1] = _Log2(out[-1].args[0])
        else:
            out.append(factor)
    return out


def _reciprocal(factor: sympy.Basic) -> bool:
    return isinstance(factor, sympy.Pow) and factor.exp is sympy.S.NegativeOne


def _pack(pieces: list[str], width: int) -> list[str]:
    out: list[str] = []
    for piece in pieces:
        if out and visible_length(out[-1] + piece) <= width:
            out[-1] += " " + piece
        else:
            out.append(piece)
    return out
