"""Safe parsing of claims and assumptions written in Python-style math.

Text is read with Python's ``ast`` and an allow-list of node types, names and
functions; nothing is evaluated, so ``__import__('os')`` is a parse error, not a
call. Sizes are checked before SymPy builds anything that it would evaluate
eagerly (huge powers, factorials).

>>> parse_expr_text("log(x*y, 2) + x^2")
x**2 + log(x*y)/log(2)
>>> parse_claim("exp(x) >= 1 + x").relation
<Relation.GE: '>='>
>>> parse_assumption("0 < p < 1")
(('p',), Interval(lo=0, hi=1, lo_open=True, hi_open=True, integer=False))
>>> parse_expr_text("__import__('os').system('id')")  # doctest: +ELLIPSIS
Traceback (most recent call last):
...
derive.errors.ParseError: only named functions can be called, not attribute access (a.b) at column 1 in: ...
"""

from __future__ import annotations

import ast
import math
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import sympy

from derive.claim import AnyDomain, Claim, DataSet, Domain, Family, IndexRange, Interval, Relation, Simplex, reals
from derive.definitions import Defined, Definition, define, expand_definitions
from derive.errors import DomainError, InputError, ParseError
from derive.functions import KL, CrossEntropy, Entropy, Vector, sigmoid
from derive.sizes import is_general, shape

MAX_LENGTH = 4000
MAX_DEPTH = 60
MAX_NODES = 1500
MAX_INTEGER_BITS = 20_000
MAX_SYMBOLIC_EXPONENT = 1000
MAX_FACTORIAL = 1000
MAX_DERIVATIVE_ORDER = 10
MAX_NAME = 32

_NAME = re.compile(r"[A-Za-z][A-Za-z0-9_]*\Z")


def _log(*args: sympy.Expr) -> sympy.Expr:
    return sympy.log(*args)


def _diff(f: sympy.Expr, var: sympy.Expr, order: sympy.Expr = sympy.S.One) -> sympy.Expr:
    if not isinstance(var, (sympy.Symbol, sympy.Indexed)):
        raise ValueError("diff(f, x[, n]) differentiates with respect to a variable name or an entry x[k]")
    if not (order.is_Integer and 1 <= int(order) <= MAX_DERIVATIVE_ORDER):
        raise ValueError(f"derivative order must be an integer from 1 to {MAX_DERIVATIVE_ORDER}")
    return sympy.Derivative(f, (var, int(order)))  # evaluated by the checker, inside the time budget


@dataclass(frozen=True)
class Function:
    """One allowed function: how to build it and how many arguments it takes."""

    build: Callable[..., sympy.Expr]
    arities: tuple[int, ...]
    bounded: bool = False


FUNCTIONS: dict[str, Function] = {
    "log": Function(_log, (1, 2)),
    "ln": Function(sympy.log, (1,)),
    "log2": Function(lambda x: sympy.log(x, 2), (1,)),
    "log10": Function(lambda x: sympy.log(x, 10), (1,)),
    "exp": Function(sympy.exp, (1,)),
    "sqrt": Function(sympy.sqrt, (1,)),
    "sin": Function(sympy.sin, (1,)),
    "cos": Function(sympy.cos, (1,)),
    "tan": Function(sympy.tan, (1,)),
    "asin": Function(sympy.asin, (1,)),
    "acos": Function(sympy.acos, (1,)),
    "atan": Function(sympy.atan, (1,)),
    "sinh": Function(sympy.sinh, (1,)),
    "cosh": Function(sympy.cosh, (1,)),
    "tanh": Function(sympy.tanh, (1,)),
    "abs": Function(sympy.Abs, (1,)),
    "Abs": Function(sympy.Abs, (1,)),
    "sigmoid": Function(sigmoid, (1,)),
    "erf": Function(sympy.erf, (1,)),
    "min": Function(sympy.Min, (2, 3, 4)),
    "max": Function(sympy.Max, (2, 3, 4)),
    "factorial": Function(sympy.factorial, (1,), bounded=True),
    "gamma": Function(sympy.gamma, (1,), bounded=True),
    "diff": Function(_diff, (2, 3)),
}

CONSTANTS: dict[str, sympy.Expr] = {"pi": sympy.pi, "E": sympy.E}

_SUMS: dict[str, type[sympy.Sum] | type[sympy.Product]] = {"Sum": sympy.Sum, "Product": sympy.Product}
_INFORMATION: dict[str, tuple[tuple[type, ...], tuple[int, ...]]] = {
    "H": ((Entropy, CrossEntropy), (1, 2)),
    "KL": ((KL, KL), (2,)),
    "D_KL": ((KL, KL), (2,)),
}
MAX_INDICES = 2
MAX_LITERAL_INDEX = 1000

RESERVED: dict[str, str] = {
    "e": "'e' is ambiguous: write E or exp(1) for Euler's number, or rename the variable",
    "I": "'I' is the imaginary unit in SymPy; derive works over the reals: rename the variable",
    "oo": "'oo' (infinity) is not a number a claim can be evaluated at",
    "nan": "'nan' is not a number",
    "inf": "'inf' is not a number a claim can be evaluated at",
}

_COMPARE: dict[type, Relation] = {
    ast.Eq: Relation.EQ,
    ast.LtE: Relation.LE,
    ast.GtE: Relation.GE,
    ast.Lt: Relation.LT,
    ast.Gt: Relation.GT,
}

_BINARY: dict[type, Callable[[sympy.Expr, sympy.Expr], sympy.Expr]] = {
    ast.Add: lambda a, b: a + b,
    ast.Sub: lambda a, b: a - b,
    ast.Mult: lambda a, b: a * b,
    ast.Div: lambda a, b: a / b,
}


def _prepare(text: str) -> str:
    if not isinstance(text, str):
        raise ParseError(f"expected text, got {type(text).__name__}")
    if len(text) > MAX_LENGTH:
        raise ParseError(f"input is {len(text)} characters long; the limit is {MAX_LENGTH}")
    for column, char in enumerate(text):
        if not (char.isascii() and (char.isprintable() or char in " \t")):
            raise ParseError(
                f"character {char!r} (U+{ord(char):04X}) is not allowed; write Greek letters "
                "by name (theta) and use ASCII operators",
                text,
                column,
            )
    return text.strip()


def _ast(text: str) -> ast.expr:
    source = re.sub(r"(?<![<>=!])=(?!=)", "==", text.replace("^", "**"))
    try:
        tree = ast.parse(source, mode="eval")
    except SyntaxError as exc:
        column = (exc.offset - 1) if exc.offset else None
        raise ParseError(f"not a formula ({exc.msg})", text, column) from None
    except (ValueError, RecursionError, MemoryError) as exc:
        raise ParseError(f"cannot read the input ({type(exc).__name__}: {exc})", text) from None
    nodes = 0
    stack: list[tuple[ast.AST, int]] = [(tree.body, 1)]
    while stack:
        node, depth = stack.pop()
        nodes += 1
        if depth > MAX_DEPTH:
            raise ParseError(f"expression nested deeper than {MAX_DEPTH} levels", text)
        stack.extend((child, depth + 1) for child in ast.iter_child_nodes(node))
    if nodes > MAX_NODES:
        raise ParseError(f"expression has {nodes} parts; the limit is {MAX_NODES}", text)
    return tree.body


class _Builder:
    """Turns an allow-listed ``ast`` tree into a SymPy expression."""

    def __init__(self, text: str, domain: Domain | None = None, definitions: dict[str, Known] | None = None):
        self.text = text
        self.domain = domain or Domain()
        self.definitions = definitions or {}

    def fail(self, node: ast.AST, message: str) -> ParseError:
        return ParseError(message, self.text, getattr(node, "col_offset", None))

    def failure_at(self, node: ast.AST) -> Callable[[str], ParseError]:
        return lambda message: self.fail(node, message)

    def build(self, node: ast.AST) -> sympy.Expr:
        method = getattr(self, f"_build_{type(node).__name__}", None)
        if method is None:
            raise self.fail(node, f"unsupported syntax: {_describe(node)}")
        result: sympy.Expr = method(node)
        return result

    def _build_Constant(self, node: ast.Constant) -> sympy.Expr:
        value = node.value
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise self.fail(node, f"unsupported literal {value!r}: only numbers are allowed")
        if isinstance(value, int):
            if value.bit_length() > MAX_INTEGER_BITS:
                raise self.fail(node, "integer literal too large")
            return sympy.Integer(value)
        if not math.isfinite(value):
            raise self.fail(node, "number too large")
        segment = ast.get_source_segment(self.text, node) or repr(value)
        return sympy.Rational(segment.replace("_", ""))

    def _build_Name(self, node: ast.Name) -> sympy.Expr:
        name = node.id
        if name in CONSTANTS:
            return CONSTANTS[name]
        if name in RESERVED:
            raise self.fail(node, RESERVED[name])
        if name in FUNCTIONS:
            raise self.fail(node, f"{name} is a function: call it as {name}(...)")
        if name in self.definitions:
            known = self.definitions[name]
            if isinstance(known, Definition):
                raise self.fail(node, f"{name} takes arguments: write {_call_form(known)}")
            return known
        return make_symbol(name, self.failure_at(node))

    def _build_UnaryOp(self, node: ast.UnaryOp) -> sympy.Expr:
        operand = self.build(node.operand)
        if isinstance(node.op, ast.USub):
            return -operand
        if isinstance(node.op, ast.UAdd):
            return operand
        raise self.fail(node, f"unsupported operator {_describe(node.op)}")

    def _build_BinOp(self, node: ast.BinOp) -> sympy.Expr:
        left, right = self.build(node.left), self.build(node.right)
        if isinstance(node.op, (ast.Pow, ast.BitXor)):
            self._check_power(node, left, right)
            return sympy.Pow(left, right)
        op = _BINARY.get(type(node.op))
        if op is None:
            raise self.fail(node, f"unsupported operator {_describe(node.op)}")
        if isinstance(node.op, ast.Div) and right == 0:
            raise self.fail(node, "division by zero")
        result = op(left, right)
        if result.is_Rational and _bits(result) > 4 * MAX_INTEGER_BITS:
            raise self.fail(node, "number too large")
        return result

    def _check_power(self, node: ast.AST, base: sympy.Expr, exponent: sympy.Expr) -> None:
        problem = power_problem(base, exponent)
        if problem:
            raise self.fail(node, problem)

    def _build_Call(self, node: ast.Call) -> sympy.Expr:
        if not isinstance(node.func, ast.Name):
            raise self.fail(node, f"only named functions can be called, not {_describe(node.func)}")
        name = node.func.id
        if node.keywords or any(isinstance(a, ast.Starred) for a in node.args):
            raise self.fail(node, f"{name}(...) takes plain positional arguments")
        if name.startswith("_"):
            raise self.fail(node, f"names may not start with an underscore: {name!r}")
        if isinstance(self.definitions.get(name), Definition):
            return self._build_defined(node, self.definitions[name], [])  # type: ignore[arg-type]
        if name in _SUMS:
            return self._build_sum(node, _SUMS[name])
        if name in _INFORMATION:
            return self._build_information(node, name)
        function = FUNCTIONS.get(name)
        if function is None:
            allowed = ", ".join(sorted([*FUNCTIONS, *_SUMS, *_INFORMATION]))
            raise self.fail(node, f"unknown function {name!r}; allowed: {allowed}")
        if len(node.args) not in function.arities:
            counts = " or ".join(str(a) for a in function.arities)
            raise self.fail(node, f"{name} takes {counts} argument(s), got {len(node.args)}")
        args = [self.build(a) for a in node.args]
        if function.bounded:
            (arg,) = args
            if arg.is_number and arg.is_real and abs(arg) > MAX_FACTORIAL:
                raise self.fail(node, f"{name}({_short(arg)}) is too large to evaluate (limit {MAX_FACTORIAL})")
        try:
            return function.build(*args)
        except ValueError as exc:
            raise self.fail(node, str(exc)) from None

    def _build_Compare(self, node: ast.Compare) -> sympy.Expr:
        raise self.fail(node, "a comparison can only stand at the top of a claim")

    def _build_defined(self, node: ast.Call, definition: Definition, indices: Sequence[ast.AST]) -> sympy.Expr:
        """``L(w, b)``, ``softmax(z)[k]``: a definition with parameters, applied."""
        if definition.indices and not indices:
            raise self.fail(node, f"{definition.name}(...) takes an index: write {_call_form(definition)}")
        args = [self.build(a) for a in node.args]
        try:
            return definition.apply(args, [self.build(i) for i in indices])
        except InputError as exc:
            raise self.fail(node, str(exc)) from None

    def _build_Subscript(self, node: ast.Subscript) -> sympy.Expr:
        """``x[i]``, ``x[k]``, ``x[1]``, ``x[i, j]``: an entry of the family ``x``; ``softmax(z)[k]``."""
        call = node.value
        if isinstance(call, ast.Call) and isinstance(call.func, ast.Name):
            definition = self.definitions.get(call.func.id)
            if isinstance(definition, Definition):
                if not definition.indices:
                    raise self.fail(node, f"{definition.name}(...) takes no index: write {_call_form(definition)}")
                parts = node.slice.elts if isinstance(node.slice, ast.Tuple) else [node.slice]
                return self._build_defined(call, definition, parts)
        if not isinstance(node.value, ast.Name):
            raise self.fail(node, "only a named family can be subscripted, as in x[i]")
        base = make_symbol(node.value.id, self.failure_at(node.value))
        if base.name in FUNCTIONS or base.name in CONSTANTS or base.name in _SUMS:
            raise self.fail(node, f"{base.name} is not a family of variables")
        parts = node.slice.elts if isinstance(node.slice, ast.Tuple) else [node.slice]
        if not 1 <= len(parts) <= MAX_INDICES:
            raise self.fail(node, f"a family takes 1 to {MAX_INDICES} indices")
        indices = [self.build(p) for p in parts]
        for part, index in zip(parts, indices, strict=True):
            if not (index.is_Integer or (index.free_symbols and all(s.is_Symbol for s in index.free_symbols))):
                raise self.fail(part, f"an index must be an integer or an index variable, not {index}")
            if index.is_Integer and not 0 <= int(index) <= MAX_LITERAL_INDEX:
                raise self.fail(part, f"index {index} is out of range (0 to {MAX_LITERAL_INDEX})")
        return sympy.IndexedBase(base)[tuple(indices)]

    def _build_information(self, node: ast.Call, name: str) -> sympy.Expr:
        """``H(p)``, ``H(p, q)``, ``KL(p, q)`` for probability vectors ``p in simplex(n)``."""
        kinds, arities = _INFORMATION[name]
        if len(node.args) not in arities or node.keywords:
            raise self.fail(node, f"{name} takes {' or '.join(str(a) for a in arities)} probability vector(s)")
        vectors = []
        for arg in node.args:
            family = self.domain.family(arg.id) if isinstance(arg, ast.Name) else None
            if family is None or family.joint != "simplex":
                shown = arg.id if isinstance(arg, ast.Name) else "its argument"
                raise self.fail(arg, f"{name} needs a probability vector: assume {shown} in simplex(n)")
            assert isinstance(arg, ast.Name)
            length = family.length if isinstance(family.length, int) else sympy.Symbol(str(family.length))
            vectors.append(Vector(sympy.Symbol(arg.id), length))
        return kinds[len(vectors) - 1](*vectors)

    def _build_sum(self, node: ast.Call, kind: type[sympy.Sum] | type[sympy.Product]) -> sympy.Expr:
        name = kind.__name__
        if len(node.args) < 2 or node.keywords:
            raise self.fail(node, f"write {name}(body, (i, 1, n)), with one (index, low, high) per index")
        limits = []
        for arg in node.args[1:]:
            if not (isinstance(arg, ast.Tuple) and len(arg.elts) == 3 and isinstance(arg.elts[0], ast.Name)):
                raise self.fail(arg, f"{name} limits are (index, low, high), as in (i, 1, n)")
            index = make_symbol(arg.elts[0].id, self.failure_at(arg.elts[0]))
            low, high = self.build(arg.elts[1]), self.build(arg.elts[2])
            for bound, part in ((low, arg.elts[1]), (high, arg.elts[2])):
                if index in bound.free_symbols:
                    raise self.fail(part, f"the bounds of {index} cannot contain {index}")
                if bound.is_number and not bound.is_Integer:
                    raise self.fail(part, f"{name} bounds must be integers or lengths such as n, not {bound}")
            limits.append((index, low, high))
        body = self.build(node.args[0])
        return kind(body, *limits)


def power_problem(base: sympy.Expr, exponent: sympy.Expr) -> str | None:
    """Why ``base ** exponent`` is too large to build, or None.

    >>> power_problem(sympy.Integer(9), sympy.Integer(10**6))
    'power 9**1000000 is too large to evaluate (about 4e+06 bits; the limit is 20000)'
    """
    if not (exponent.is_number and exponent.is_Rational):
        return None
    size = abs(exponent)
    if base.is_number:
        if base in (0, 1, -1) or not base.is_Rational:
            if not base.is_Rational and size > MAX_SYMBOLIC_EXPONENT:
                return f"exponent {_short(exponent)} is too large to evaluate"
            return None
        bits = float(size) * max(_bits(base), 1)
        if bits > MAX_INTEGER_BITS:
            return (
                f"power {_short(base)}**{_short(exponent)} is too large to evaluate "
                f"(about {bits:.3g} bits; the limit is {MAX_INTEGER_BITS})"
            )
    elif size > MAX_SYMBOLIC_EXPONENT:
        return f"exponent {_short(exponent)} is too large (limit {MAX_SYMBOLIC_EXPONENT})"
    return None


def make_symbol(name: str, fail: Callable[[str], Exception] = ParseError) -> sympy.Symbol:
    """A plain SymPy symbol for a user-supplied variable name, validated.

    >>> make_symbol("theta")
    theta
    >>> make_symbol(r"\\input{x}")
    Traceback (most recent call last):
    ...
    derive.errors.ParseError: invalid variable name '\\\\input{x}': use letters, digits and _, starting with a letter
    """
    if name.startswith("_"):
        raise fail(f"names may not start with an underscore: {name!r}")
    if not _NAME.match(name):
        raise fail(f"invalid variable name {name!r}: use letters, digits and _, starting with a letter")
    if len(name) > MAX_NAME:
        raise fail(f"variable name {name[:20]!r}... is longer than {MAX_NAME} characters")
    if name in RESERVED:
        raise fail(RESERVED[name])
    return sympy.Symbol(name)


def _bits(value: sympy.Expr) -> int:
    p, q = sympy.fraction(value)
    return max(int(abs(p)).bit_length(), int(abs(q)).bit_length())


def _short(value: sympy.Expr) -> str:
    text = str(value)
    return text if len(text) <= 20 else f"{text[:8]}...({len(text)} digits)"


def _describe(node: ast.AST) -> str:
    names = {
        "Attribute": "attribute access (a.b)",
        "Subscript": "subscripts (a[b])",
        "Lambda": "lambda",
        "ListComp": "comprehensions",
        "GeneratorExp": "comprehensions",
        "JoinedStr": "strings",
        "BoolOp": "and/or",
        "Mod": "%",
        "FloorDiv": "//",
        "MatMult": "@",
        "IfExp": "conditional expressions",
    }
    return names.get(type(node).__name__, type(node).__name__)


def parse_expr_text(text: str) -> sympy.Expr:
    """One expression (no comparison) from Python-style math text."""
    text = _prepare(text)
    tree = _ast(text)
    return _Builder(text).build(tree)


def parse_claim(text: str, assumptions: tuple[str, ...] | list[str] = ()) -> Claim:
    """A claim ``lhs REL rhs`` with its domain from assumption texts.

    ``argmax(f, theta) == argmax(g, theta)`` states a same-maximiser claim.

    >>> str(parse_claim("log(x*y) == log(x) + log(y)", ["x > 0", "y > 0"]).domain.describe())
    'x in (0, oo); y in (0, oo)'
    """
    text = _prepare(text)
    if not text:
        raise ParseError("empty claim")
    tree = _ast(text)
    builder = _Builder(text)
    if not isinstance(tree, ast.Compare) or len(tree.ops) != 1:
        raise ParseError("a claim is one comparison: lhs == rhs, <=, >=, < or >", text)
    relation = _COMPARE.get(type(tree.ops[0]))
    if relation is None:
        raise builder.fail(tree, f"unsupported comparison {_describe(tree.ops[0])}")
    left, right = tree.left, tree.comparators[0]
    over: tuple[str, ...] = ()
    if _is_argmax(left) or _is_argmax(right):
        if not (_is_argmax(left) and _is_argmax(right)) or relation is not Relation.EQ:
            raise builder.fail(tree, "write a same-maximiser claim as argmax(f, v) == argmax(g, v)")
        over = _argmax_vars(builder, left)
        if over != _argmax_vars(builder, right):
            raise builder.fail(right, "both sides of an argmax claim must maximise over the same variables")
        relation = Relation.ARGMAX
        assert isinstance(left, ast.Call) and isinstance(right, ast.Call)
        left, right = left.args[0], right.args[0]
    domain = Domain()
    for assumption in assumptions:
        if _LET.match(assumption):
            name, definition = parse_definition(assumption, builder.definitions)
            builder.definitions[name] = definition
            continue
        names, dom = parse_assumption(assumption)
        domain = domain.bind(names, dom)
    taken = sorted(set(builder.definitions) & set(domain.names()))
    if taken:
        raise ParseError(f"{taken[0]} is defined with let, so it is not a variable to assume anything about", text)
    builder.domain = domain
    lhs, rhs = builder.build(left), builder.build(right)
    lhs, rhs = expand_definitions(lhs), expand_definitions(rhs)
    claim = Claim(lhs, relation, rhs, domain, over, text)
    try:
        if is_general(claim):
            shape(claim)
    except InputError as exc:
        raise ParseError(str(exc), text) from None
    return claim


_LET = re.compile(r"\s*let\s+(?P<name>[^=\s(\[]+)\s*(?P<head>\([^=]*?\)(?:\s*\[[^=]*?\])?)?\s*=(?!=)\s*(?P<body>.*)\Z",
                  re.S)  # fmt: skip
_HEAD = re.compile(r"\((?P<params>[^()]*)\)\s*(?:\[(?P<indices>[^\[\]]*)\])?\Z")

Known = Defined | Definition
"""What a name may stand for: a definition, or a definition with parameters."""


def parse_definition(text: str, known: dict[str, Known] | None = None) -> tuple[str, Known]:
    """``let NAME = EXPR``, ``let NAME(a, b) = EXPR`` or ``let NAME(z)[k] = EXPR``: a named
    definition, with parameters and indices (``EXPR`` may use the ``known`` ones).

    >>> name, xbar = parse_definition("let xbar = Sum(x[i], (i, 1, n))/n")
    >>> name, xbar.body
    ('xbar', Sum(x[i], (i, 1, n))/n)
    >>> _, softmax = parse_definition("let softmax(z)[k] = exp(z[k])/Sum(exp(z[j]), (j, 1, n))")
    >>> softmax.params, softmax.indices
    ((z,), (k,))
    >>> parse_definition("let s = s**2 + 1")
    Traceback (most recent call last):
    ...
    derive.errors.ParseError: definition s refers to itself (s occurs in s**2 + 1) in: let s = s**2 + 1
    """
    known = known or {}
    match = _LET.match(text)
    if match is None:
        raise ParseError("a definition reads let NAME = EXPR or let NAME(a, b) = EXPR", text)
    name = make_symbol(match["name"], lambda m: ParseError(m, text)).name
    if name in CONSTANTS or name in FUNCTIONS or name in RESERVED or name in _SUMS or name in _INFORMATION:
        raise ParseError(f"{name} is a built-in name: define another", text)
    if name in known:
        raise ParseError(f"{name} is defined twice", text)
    params, indices = _head(match["head"], text) if match["head"] else (None, ())
    body_text = _prepare(match["body"])
    if not body_text:
        raise ParseError(f"the definition of {name} has no expression", text)
    tree = _ast(body_text)
    if any(isinstance(node, ast.Name) and node.id == name for node in ast.walk(tree)):
        raise ParseError(f"definition {name} refers to itself ({name} occurs in {body_text})", text)
    body = _Builder(body_text, definitions=dict(known)).build(tree)
    try:
        if params is None:
            return name, define(name, body)
        return name, define(name, body, of=params, index=indices)
    except InputError as exc:
        raise ParseError(str(exc), text) from None


def _head(head: str, text: str) -> tuple[tuple[sympy.Symbol, ...], tuple[sympy.Symbol, ...]]:
    """The parameters and indices of ``(a, b)`` or ``(z)[k]``: names, each once."""
    match = _HEAD.match(head.strip())
    if match is None:
        raise ParseError("a definition with parameters reads let NAME(a, b) = EXPR or let NAME(z)[k] = EXPR", text)

    def names(part: str | None) -> tuple[sympy.Symbol, ...]:
        words = [w.strip() for w in part.split(",")] if part and part.strip() else []
        return tuple(make_symbol(w, lambda m: ParseError(m, text)) for w in words)

    params, indices = names(match["params"]), names(match["indices"])
    if not params:
        raise ParseError("a definition with parameters names at least one: let NAME(a) = EXPR", text)
    return params, indices


def _call_form(definition: Definition) -> str:
    """How a definition with parameters is called: ``L(w, b)``, ``softmax(z)[k]``."""
    text = f"{definition.name}({', '.join(str(p) for p in definition.params)})"
    return text + (f"[{', '.join(map(str, definition.indices))}]" if definition.indices else "")


def _is_argmax(node: ast.AST) -> bool:
    return isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "argmax"


def _argmax_vars(builder: _Builder, node: ast.AST) -> tuple[str, ...]:
    assert isinstance(node, ast.Call)
    if len(node.args) < 2 or node.keywords:
        raise builder.fail(node, "argmax(f, v1, v2, ...) needs a function and its variables")
    names = []
    for arg in node.args[1:]:
        if not isinstance(arg, ast.Name):
            raise builder.fail(arg, "argmax variables must be names")
        names.append(make_symbol(arg.id, builder.failure_at(arg)).name)
    return tuple(sorted(names))


_KINDS: dict[str, Callable[[], Interval]] = {
    "real": lambda: reals(),
    "positive": lambda: Interval(sympy.Integer(0), sympy.oo, True, True),
    "nonnegative": lambda: Interval(sympy.Integer(0), sympy.oo, False, True),
    "negative": lambda: Interval(-sympy.oo, sympy.Integer(0), True, True),
    "integer": lambda: Interval(integer=True),
}
_VECTOR_KINDS: dict[str, Callable[[int], Simplex | DataSet]] = {"simplex": Simplex, "data": DataSet}
_WORDS = re.compile(r"\s*([A-Za-z][A-Za-z0-9_]*(?:\s*,\s*[A-Za-z][A-Za-z0-9_]*)*)\s+([a-z]+)\s*\Z")
_ENTRY_WORDS = re.compile(r"\s*([A-Za-z][A-Za-z0-9_]*)\[\s*[A-Za-z][A-Za-z0-9_]*\s*\]\s+([a-z]+)\s*\Z")


def parse_assumption(text: str) -> tuple[tuple[str, ...], AnyDomain]:
    """One assumption: ``x > 0``, ``0 < p < 1``, ``-1 <= t <= 1``, ``n integer``,
    ``x positive``, ``p1, p2, p3 simplex`` or ``x1, x2 data``; for general size,
    ``x[i] > 0``, ``0 <= y[i] <= 1``, ``p in simplex(n)``, ``x in data(m)`` and an
    index variable ``1 <= k <= n``.

    >>> parse_assumption("p1, p2, p3 simplex")
    (('p1', 'p2', 'p3'), Simplex(size=3))
    >>> parse_assumption("p in simplex(n)")[1].describe(("p",))
    'p on the n-simplex'
    >>> parse_assumption("1 <= k <= n")
    (('k',), IndexRange(lo=1, hi=n))
    >>> parse_assumption("x[i] > 0")[1].describe(("x",))
    'x[i] > 0'
    """
    text = _prepare(text)
    entry_words = _ENTRY_WORDS.match(text)
    if entry_words:
        name, kind = make_symbol(entry_words.group(1), lambda m: ParseError(m, text)).name, entry_words.group(2)
        if kind not in _KINDS:
            known = ", ".join(_KINDS)
            raise ParseError(f"unknown assumption {kind!r} on the entries of {name}; expected one of: {known}", text)
        return (name,), Family(_KINDS[kind]())
    words = _WORDS.match(text)
    if words:
        names = tuple(n.strip() for n in words.group(1).split(","))
        kind = words.group(2)
        for name in names:
            make_symbol(name, lambda m: ParseError(m, text))
        if kind in _VECTOR_KINDS:
            if len(names) < 2:
                raise ParseError(f"a {kind} of one named entry: list its entries (p1, p2 {kind}), "
                                 f"or write {names[0]} in {kind}(n) for a vector of length n", text)  # fmt: skip
            return names, _VECTOR_KINDS[kind](len(names))
        if kind in _KINDS and len(names) == 1:
            return names, _KINDS[kind]()
        kinds = ", ".join([*_KINDS, *_VECTOR_KINDS])
        raise ParseError(f"unknown assumption {kind!r}; expected a comparison or one of: {kinds}", text)
    tree = _ast(text)
    if isinstance(tree, ast.Compare) and len(tree.ops) == 1 and isinstance(tree.ops[0], ast.In):
        return _membership(tree, text)
    if not isinstance(tree, ast.Compare) or not 1 <= len(tree.ops) <= 2:
        raise ParseError("an assumption is a bound such as x > 0 or 0 < p < 1, or 'n integer'", text)
    builder = _Builder(text)
    parts = [tree.left, *tree.comparators]
    subject = parts[1] if len(parts) == 3 else next((p for p in parts if _is_variable(p)), None)
    if subject is None or not _is_variable(subject):
        raise ParseError("an assumption bounds one variable (x, or an entry x[i] of a family)", text)
    entry = isinstance(subject, ast.Subscript)
    name = _subject_name(subject, text)
    lo: sympy.Expr | None = None
    hi: sympy.Expr | None = None
    domain = reals()
    for left, op, right in zip(parts[:-1], tree.ops, parts[1:], strict=True):
        relation = _COMPARE.get(type(op))
        if relation is None or relation is Relation.EQ:
            raise builder.fail(tree, "assumption bounds use <, <=, > or >=")
        if right is subject:
            left, right, relation = right, left, relation.flipped
        if left is not subject:
            raise ParseError("each comparison in an assumption must involve the variable", text)
        bound = builder.build(right)
        if bound.free_symbols and not entry and len(parts) == 3 and relation in (Relation.LE, Relation.GE):
            strict = relation in (Relation.LT, Relation.GT)
            if relation in (Relation.GT, Relation.GE):
                lo = bound + 1 if strict else bound
            else:
                hi = bound - 1 if strict else bound
            continue
        if not (bound.is_number and bound.is_real and bound.is_finite):
            raise builder.fail(
                right, "an assumption's bound must be a finite real number (or a length, as in 1 <= k <= n)"
            )
        try:
            domain = domain.intersect(_half_line(bound, relation))
        except DomainError:
            raise ParseError(f"no value of {name} satisfies this assumption", text) from None
        if relation in (Relation.GT, Relation.GE):
            lo = bound + 1 if relation is Relation.GT and bound.is_Integer else bound
        else:
            hi = bound - 1 if relation is Relation.LT and bound.is_Integer else bound
    if lo is not None and hi is not None and (lo.free_symbols or hi.free_symbols):
        if not (lo.is_Integer or lo.free_symbols) or not (hi.is_Integer or hi.free_symbols):
            raise ParseError("an index variable's bounds are integers or lengths, as in 1 <= k <= n", text)
        return (name,), IndexRange(lo, hi)
    if entry:
        return (name,), Family(domain)
    return (name,), domain


def _is_variable(node: ast.AST) -> bool:
    """A name, or an entry of a family with index placeholders: ``x[i]``, ``a[i, j]``."""
    if isinstance(node, ast.Name):
        return node.id not in CONSTANTS
    if not (isinstance(node, ast.Subscript) and isinstance(node.value, ast.Name)):
        return False
    parts = node.slice.elts if isinstance(node.slice, ast.Tuple) else [node.slice]
    return 1 <= len(parts) <= MAX_INDICES and all(isinstance(p, ast.Name) for p in parts)


def _subject_name(node: ast.AST, text: str) -> str:
    target = node.value if isinstance(node, ast.Subscript) else node
    assert isinstance(target, ast.Name)
    return make_symbol(target.id, lambda m: ParseError(m, text)).name


def _membership(tree: ast.Compare, text: str) -> tuple[tuple[str, ...], Family]:
    """``p in simplex(n)`` (a probability vector of length n) or ``x in data(m)``."""
    target, kind = tree.left, tree.comparators[0]
    if not (
        isinstance(target, ast.Name)
        and isinstance(kind, ast.Call)
        and isinstance(kind.func, ast.Name)
        and kind.func.id in _VECTOR_KINDS
        and len(kind.args) == 1
        and not kind.keywords
    ):
        raise ParseError("write a vector assumption as p in simplex(n) or x in data(m)", text)
    name = make_symbol(target.id, lambda m: ParseError(m, text)).name
    size = _Builder(text).build(kind.args[0])
    if size.is_Integer and int(size) >= 1:
        length: str | int = int(size)
    elif isinstance(size, sympy.Symbol):
        length = size.name
    else:
        raise ParseError(f"the length of {name} must be a positive integer or a length variable such as n", text)
    return (name,), Family(joint=kind.func.id, length=length)


def _half_line(bound: sympy.Expr, relation: Relation) -> Interval:
    strict = relation in (Relation.LT, Relation.GT)
    if relation in (Relation.GT, Relation.GE):
        return Interval(bound, sympy.oo, strict, True)
    return Interval(-sympy.oo, bound, True, strict)
