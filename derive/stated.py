r"""A derivation's domain stated on the page, in words and symbols (prose with ``$...$``,
printed by ``derive.prose``), as ``derive show`` states it in the terminal.

>>> import sympy
>>> from derive.claim import Domain, Family, positive
>>> x, n, i = sympy.symbols("x n i")
>>> p, q = sympy.IndexedBase("p"), sympy.IndexedBase("q")
>>> domain = Domain.of(x=positive()).bind(("p",), Family(joint="simplex", length="n"))
>>> domain = domain.bind(("q",), Family(joint="simplex", length="n"))
>>> print(domain_clause(domain, [x * sympy.Sum(p[i] * sympy.log(p[i] / q[i]), (i, 1, n))]))
$x > 0$, $p, q$ on the $n$-simplex and integers $n \ge 1$
>>> print(domain_clause(Domain(), [sympy.Symbol("b") + sympy.Symbol("w")]))
real $b, w$
"""

from __future__ import annotations

from collections.abc import Sequence

import sympy

from derive.claim import Binding, DataSet, Domain, Family, IndexRange, Interval, Simplex, free_names
from derive.latex import latex, symbol_latex


def _names(names: Sequence[str]) -> str:
    return ", ".join(symbol_latex(n) for n in names)


def _interval(names: str, dom: Interval) -> str:
    """``$0 < p < 1$``, ``$x > 0$``, ``integers $n \\ge 1$``, ``real $b$``."""
    kind = "integers " if dom.integer else ""
    lo_finite, hi_finite = dom.lo.is_finite, dom.hi.is_finite
    if not lo_finite and not hi_finite:
        return f"{kind or 'real '}${names}$"
    low = "<" if dom.lo_open else r"\le"
    high = "<" if dom.hi_open else r"\le"
    if lo_finite and hi_finite:
        return f"{kind}${latex(dom.lo)} {low} {names} {high} {latex(dom.hi)}$"
    if lo_finite:
        above = ">" if dom.lo_open else r"\ge"
        return f"{kind}${names} {above} {latex(dom.lo)}$"
    return f"{kind}${names} {high} {latex(dom.hi)}$"


def _length(length: str | int | None) -> str:
    return symbol_latex(length) if isinstance(length, str) else str(length)


def _phrase(names: tuple[str, ...], dom: object) -> tuple[object, str, str]:
    """A key that groups alike bindings, the name as printed, and the phrase template ``{}``."""
    if isinstance(dom, Interval):
        return ("interval", dom), _names(names), ""
    if isinstance(dom, Simplex):
        return ("simplex", len(names)), f"({_names(names)})", "${}$ on the probability simplex"
    if isinstance(dom, DataSet):
        return ("data", names), f"({_names(names)})", f"${{}}$ a data set of {dom.size} real points"
    if isinstance(dom, Family) and dom.joint == "simplex":
        return ("family-simplex", dom.length), _names(names), f"${{}}$ on the ${_length(dom.length)}$-simplex"
    if isinstance(dom, Family) and dom.joint == "data":
        return ("family-data", dom.length), _names(names), f"${{}}$ a data set of ${_length(dom.length)}$ real points"
    if isinstance(dom, Family):
        return ("interval", dom.entry), f"{_names(names)}_{{i}}", ""
    if isinstance(dom, IndexRange):
        return ("index", dom.lo, dom.hi), _names(names), f"${latex(dom.lo)} \\le {{}} \\le {latex(dom.hi)}$"
    return ("other", names), _names(names), "${}$ in " + type(dom).__name__.lower()


def _used(domain: Domain, names: set[str]) -> list[Binding]:
    """The bindings of ``names``, and of the lengths and bounds those bindings name."""
    names = set(names)
    while True:
        kept = [b for b in domain.bindings if set(b.names) & names]
        more = set(names)
        for binding in kept:
            dom = binding.domain
            if isinstance(dom, Family) and isinstance(dom.length, str):
                more.add(dom.length)
            if isinstance(dom, IndexRange):
                more |= {s.name for s in dom.hi.free_symbols | dom.lo.free_symbols}
        if more == names:
            return kept
        names = more


def domain_clause(domain: Domain, exprs: Sequence[sympy.Expr]) -> str:
    """What the variables of ``exprs`` range over: ``domain``'s bindings of the variables
    they use, the lengths of sums (integers from 1 unless declared) and, last, the
    variables left real. A binding of a variable ``exprs`` do not use (an assumption of a
    document that holds for a later display) is not stated."""
    free = set(free_names(*exprs))
    lengths: set[str] = set()
    families: set[str] = set()
    for expr in exprs:
        for node in expr.atoms(sympy.Sum, sympy.Product):
            for limit in node.limits:
                lengths |= {s.name for bound in limit[1:] for s in bound.free_symbols if s.name in free}
        families |= {str(e.base.label) for e in expr.atoms(sympy.Indexed)}
    groups: dict[object, tuple[list[str], str]] = {}
    for binding in _used(domain, free | lengths | families):
        key, name, template = _phrase(binding.names, binding.domain)
        groups.setdefault(key, ([], template))[0].append(name)
        if isinstance(binding.domain, Family) and isinstance(binding.domain.length, str):
            lengths.add(binding.domain.length)
        if isinstance(binding.domain, IndexRange):
            lengths |= {s.name for s in binding.domain.hi.free_symbols | binding.domain.lo.free_symbols}
    bound = set(domain.names())
    for name in sorted(lengths - bound):
        key, printed, _ = _phrase((name,), Interval(sympy.Integer(1), sympy.oo, False, True, True))
        groups.setdefault(key, ([], ""))[0].append(printed)
    for name in sorted(free - bound - lengths):
        groups.setdefault(("interval", Interval()), ([], ""))[0].append(
            symbol_latex(name) + "_{i}" * (name in families)
        )
    parts = []
    for key, (names, template) in groups.items():
        joined = ", ".join(names)
        if isinstance(key, tuple) and key[0] == "interval":
            parts.append(_interval(joined, key[1]))
        else:
            parts.append(template.format(joined))
    if len(parts) <= 1:
        return "".join(parts)
    return ", ".join(parts[:-1]) + " and " + parts[-1]
