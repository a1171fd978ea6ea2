r"""Author prose with math: titles, notes and reasons as LaTeX and Markdown.

``$...$`` in prose is math (LaTeX, checked against an allow-list of commands); in the
rest, ``>=``, ``<=``, ``!=``, ``->``, ``||`` and identifiers with a subscript
(``p_i``, ``e_1``, ``D_KL``, ``p_hat_j``) and superscripts (``sigma^2``) are set as
math too, so that no formula of a title reads as raw ASCII.

>>> segments("KL >= 0 for $p \\ne q$, each p_i")
[(False, 'KL '), (True, '\\ge'), (False, ' 0 for '), (True, 'p \\ne q'), (False, ', each '), (True, 'p_{i}')]

The same segments print for pdflatex and MathJax alike: text mode with math in ``$``
(the body of a document, ``\tag*{...}``), inside a math display (``\text{...}``, which
MathJax 3 reads with its ``$`` math), and Markdown (GitHub's ``$...$``):

>>> print(latex_text("p_i q_i / p_i = q_i; proved"))
$p_{i}$ $q_{i}$ / $p_{i}$ = $q_{i}$; proved
>>> print(in_math("lhs <= rhs"))
\text{lhs $\le$ rhs}
>>> print(markdown("a_ij >= 0 (*all*)"))
$a_{ij}$ $\ge$ 0 (\*all\*)
"""

from __future__ import annotations

import re

from derive.latex import GREEK, symbol_latex

_COMMANDS = frozenset(
    {*GREEK, "varepsilon", "vartheta", "varphi", "varrho", "varsigma", "ell", "pi", "Pi"}
    | {"le", "ge", "leq", "geq", "ne", "neq", "lt", "gt", "approx", "sim", "simeq", "equiv", "propto", "to",
       "mapsto", "in", "notin", "subset", "subseteq", "ll", "gg", "mid", "parallel", "perp", "iff", "implies",
       "Rightarrow", "Leftarrow", "rightarrow", "leftarrow", "coloneqq"}
    | {"cdot", "times", "div", "pm", "mp", "ast", "circ", "bullet", "oplus", "otimes", "cup", "cap", "setminus",
       "star", "dagger", "top", "intercal", "prime"}
    | {"log", "ln", "exp", "sin", "cos", "tan", "sinh", "cosh", "tanh", "arg", "max", "min", "sup", "inf", "lim",
       "det", "sum", "prod", "int", "frac", "dfrac", "tfrac", "sqrt", "binom", "operatorname"}
    | {"bar", "hat", "tilde", "vec", "dot", "ddot", "overline", "underline", "widehat", "widetilde", "mathrm",
       "mathbf", "mathit", "mathcal", "mathbb", "mathsf", "boldsymbol", "text", "textstyle"}
    | {"left", "right", "big", "Big", "bigg", "Bigg", "bigl", "bigr", "Bigl", "Bigr", "langle", "rangle",
       "lvert", "rvert", "lVert", "rVert", "vert", "Vert", "lfloor", "rfloor", "lceil", "rceil"}
    | {"infty", "partial", "nabla", "ldots", "cdots", "dots", "quad", "qquad", "forall", "exists", "emptyset",
       "mathbb"}
)  # fmt: skip
"""The commands allowed inside ``$...$``: math, never ``\\input``, ``\\write`` or ``\\def``."""

_MATH_CHARS = re.compile(r"[A-Za-z0-9 +\-*/=<>()\[\],.;:!'|^_{}]")
_COMMAND = re.compile(r"\\([A-Za-z]+|[{}|,;! ])")


def valid_math(tex: str) -> bool:
    r"""Whether ``tex`` (an author's ``$...$``) is math derive may print: allowed commands,
    balanced braces, no TeX escapes (``^^``).

    >>> valid_math(r"\bar{x} = \frac{1}{n} \sum_{i=1}^{n} x_i"), valid_math(r"\input{x}"), valid_math("x^^5c")
    (True, False, False)
    """
    depth = 0
    k = 0
    while k < len(tex):
        command = _COMMAND.match(tex, k)
        if command is not None:
            name = command.group(1)
            if name.isalpha() and name not in _COMMANDS:
                return False
            k = command.end()
            continue
        char = tex[k]
        if not _MATH_CHARS.fullmatch(char) or tex.startswith("^^", k):
            return False
        depth += {"{": 1, "}": -1}.get(char, 0)
        if depth < 0:
            return False
        k += 1
    return depth == 0 and bool(tex.strip())


_SIGNS = {">=": r"\ge", "<=": r"\le", "!=": r"\ne", "->": r"\to", "||": r"\Vert", "<": "<", ">": ">", "|": r"\vert"}
_FUNCTIONS = {name: "\\" + name for name in ("log", "ln", "exp", "sin", "cos", "tan", "max", "min", "arg", "lim")}
_FUNCTIONS.update(sum=r"\sum", prod=r"\prod")
_ACCENTS = frozenset({"hat", "bar", "tilde"})
_ARG = r"-?[A-Za-z0-9]+|\([^()]*\)"
_AUTO = re.compile(
    r"(?P<sign>>=|<=|!=|->|\|\||[<>|])"
    rf"|(?<![\w\\])(?P<ident>[A-Za-z]+(?:_[A-Za-z0-9]+)*)(?:\^(?P<power>{_ARG}))?(?![\w])"
    rf"|(?<=[)\]|])(?P<script>[_^])(?P<arg>{_ARG})"
)


def _identifier(name: str) -> str:
    """``p_i`` -> ``p_{i}``, ``p_hat_j`` -> ``\\hat{p}_{j}``, ``D_KL`` -> ``D_{\\mathrm{KL}}``,
    ``log_2`` -> ``\\log_{2}``."""
    base, *subs = name.split("_")
    tex = _FUNCTIONS.get(base) or (symbol_latex(base) if len(base) <= 32 else rf"\mathrm{{{base}}}")
    while subs and subs[0] in _ACCENTS:
        tex = rf"\{subs.pop(0)}{{{tex}}}"
    if subs:
        sub = ",".join(subs)
        if len(sub) > 2 or (len(sub) == 2 and sub.isupper()):
            sub = rf"\mathrm{{{sub}}}"
        tex += f"_{{{sub}}}"
    return tex


def _script(arg: str) -> str | None:
    """The TeX of a sub- or superscript written ``2``, ``-n`` or ``(-n/2)``, or None."""
    inner = arg[1:-1] if arg.startswith("(") else arg
    return inner if valid_math(inner) else None


def _auto(value: str) -> list[tuple[bool, str]]:
    out: list[tuple[bool, str]] = []
    last = 0
    for match in _AUTO.finditer(value):
        if match["ident"] == "oo" and not match["power"]:
            out += [(False, value[last : match.start()]), (True, r"\infty")]
            last = match.end()
            continue
        if match["ident"] and "_" not in match["ident"] and not match["power"]:
            continue  # a plain word
        if match.start() > last:
            out.append((False, value[last : match.start()]))
        last = match.end()
        if match["sign"]:
            out.append((True, _SIGNS[match["sign"]]))
            continue
        script = _script(match["power"] or match["arg"] or "")
        if match["ident"]:
            ident = match["ident"]
            differential = value[max(0, match.start() - 1) : match.start()] == "/" and ident.startswith("d")
            tex = "d" + _identifier(ident[1:]) if differential and ident[1:2].isalpha() else _identifier(ident)
            out.append((True, tex + (f"^{{{script}}}" if script is not None else "")))
            if match["power"] and script is None:
                out.append((False, "^" + match["power"]))
        elif script is not None:
            out.append((True, f"{{}}{match['script']}{{{script}}}"))
        else:
            out.append((False, match.group(0)))
    if last < len(value):
        out.append((False, value[last:]))
    return out


def segments(value: str) -> list[tuple[bool, str]]:
    """``value`` as (is math, text or LaTeX) pieces; a ``$...$`` that is not valid math stays text."""
    out: list[tuple[bool, str]] = []
    pieces = value.split("$")
    if len(pieces) % 2 == 0:  # an unmatched $: the last one is a dollar sign
        pieces[-2:] = ["$".join(pieces[-2:])]
    for k, piece in enumerate(pieces):
        if k % 2 and valid_math(piece):
            out.append((True, piece.strip()))
        elif k % 2:
            out += _auto(f"${piece}$")
        elif piece:
            out += _auto(piece)
    merged: list[tuple[bool, str]] = []
    for is_math, piece in out:  # $a$$b$ would open a display
        if merged and merged[-1][0] == is_math:
            merged[-1] = (is_math, merged[-1][1] + (" " if is_math else "") + piece)
        else:
            merged.append((is_math, piece))
    return merged


_TEXT = {"{": r"\{", "}": r"\}", "$": r"\$"}
"""Escapes pdflatex and MathJax's ``\\text`` both read; every other special character is set as math."""
_AS_MATH = {"\\": r"\backslash", "_": r"\_", "%": r"\%", "&": r"\&", "#": r"\#", "^": r"\hat{}", "~": r"\sim"}


_DOUBLE = re.compile(r"(?<!\\)\$\$")


def _plain(text: str) -> str:
    out = []
    for char in text:
        if not (char.isascii() and char.isprintable()):
            out.append("?")
        elif char in _AS_MATH:
            out.append(f"${_AS_MATH[char]}$")
        else:
            out.append(_TEXT.get(char, char))
    return _DOUBLE.sub(" ", "".join(out))  # neighbouring signs: one formula, never a display


def latex_text(value: str) -> str:
    """Prose for LaTeX text mode, readable by pdflatex and by MathJax inside ``\\text``."""
    return _DOUBLE.sub(" ", "".join(f"${piece}$" if is_math else _plain(piece) for is_math, piece in segments(value)))


def in_math(value: str) -> str:
    """Prose as one ``\\text{...}`` for a row of a math display."""
    return rf"\text{{{latex_text(value)}}}"


def markdown(value: str, table: bool = False) -> str:
    """Prose for a Markdown page: text made inert, math as GitHub's ``$...$`` (in a
    table cell without ``|``, which would end the cell)."""
    from derive.docs import markdown_text

    out = []
    for is_math, piece in segments(value):
        if is_math and table:
            piece = piece.replace(r"\|", r"\Vert ").replace("|", r"\vert ")
        out.append(f"${piece}$" if is_math else markdown_text(piece))
    return "".join(out)


_PLAIN = {
    "ge": ">=", "geq": ">=", "le": "<=", "leq": "<=", "ne": "!=", "neq": "!=", "to": "->", "infty": "oo",
    "partial": "d", "cdot": "*", "times": "*", "ldots": "...", "cdots": "...", "dots": "...", "|": "||",
    "Vert": "||", "vert": "|", ",": " ", ";": " ", "!": "", " ": " ", "quad": " ", "qquad": " ",
    "textstyle": "",
}  # fmt: skip
_FRACTION = re.compile(r"\\[dt]?frac\{([^{}]*)\}\{([^{}]*)\}")
_WRAPPED = re.compile(r"\\(?:sqrt|mathrm|mathbf|mathit|mathbb|operatorname|text|hat|bar|tilde)\{([^{}]*)\}")
_PLAIN_COMMAND = re.compile(r"\\([A-Za-z]+|[|,;! ])")


def _grouped(tex: str) -> str:
    return tex if re.fullmatch(r"[A-Za-z]|[0-9]+", tex) else f"({tex})"


def _unwrapped(match: re.Match[str]) -> str:
    command = match.group(0)[1 : match.group(0).index("{")]
    inner = match.group(1)
    if command == "sqrt":
        return f"sqrt({inner})"
    return f"{inner}_{command}" if command in _ACCENTS else inner


def plain(value: str) -> str:
    r"""Prose for a terminal: ``$...$`` math read back as ASCII, roughly as an author types it.

    >>> plain(r"$\partial L/\partial w = \frac{1}{m} \sum_i (a_i - y_i) \sigma'(z_i)$ (m samples)")
    "dL/dw = 1/m sum_i (a_i - y_i) sigma'(z_i) (m samples)"
    >>> plain(r"$D_{KL}(p \| q) \ge 0$ for $p, q$ on the $n$-simplex, $\hat{p}_j$, $1/\sqrt{2 \pi e}$")
    'D_KL(p || q) >= 0 for p, q on the n-simplex, p_hat_j, 1/sqrt(2 pi e)'
    """
    out = []
    for is_math, piece in segments(value):
        if not is_math:
            out.append(piece)
            continue
        previous = None
        while previous != piece:
            previous = piece
            piece = _FRACTION.sub(lambda m: f"{_grouped(m.group(1))}/{_grouped(m.group(2))}", piece)
            piece = _WRAPPED.sub(_unwrapped, piece)
        piece = re.sub(r"\\partial\s+", "d", piece)
        piece = re.sub(r"([_^])\{([^{}]*[ +\-][^{}]*)\}", r"\1(\2)", piece)
        piece = _PLAIN_COMMAND.sub(lambda m: _PLAIN.get(m.group(1), m.group(1)), piece)
        out.append(piece.replace("{", "").replace("}", ""))
    return "".join(out)
