"""SymPy made faster for a check without changing an answer, installed by ``derive
check``, ``latex`` and ``docs`` in their own process and by every worker process derive
starts (never by ``import derive``: a user's own SymPy stays as it is).

SymPy's ``free_symbols`` of a sum, product or integral (``ExprWithLimits``) rebuilds the
summand on every call: it replaces each index by itself, which rebuilds, and so
re-evaluates, every node above it. SymPy's assumptions ask for it again and again
(``log(Sum(...))`` asks whether the sum is a number), and building the article's claims
spent a quarter of its time there. The answer depends only on the expression and on
SymPy's global evaluation flags (the rebuild evaluates, or not, as they say), so it is
remembered under those.

SymPy's assumption system, asked a fact it does not know, queues the related facts
that might decide it and shuffles them (``sympy.core.assumptions._ask``), from a
generator seeded anew in every process: a way to expose handlers that disagree with its
inference rules, at about 7% of a check's CPU. Installed, the queue is sorted
instead: the same order in every run, so a check asks SymPy the same questions in the
same order each time (``tests/test_faster_sympy.py`` compares the answers over every
node of the article's claims).

SymPy's ``lambdify`` for numpy runs ``from numpy import *`` once per process, which
imports every submodule numpy loads lazily (``f2py``, ``testing``, ``ma``, ...: 0.15-0.2 s
in each worker). Installed, its namespace is filled with numpy's names as that import
would, numpy's submodules left out: lambdified code names functions, never those modules.

>>> import sympy
>>> i, n = sympy.symbols("i n")
>>> total = sympy.Sum(sympy.IndexedBase("x")[i], (i, 1, n))
>>> sorted(map(str, free_symbols(total))) == sorted(map(str, total.free_symbols))
True
"""

from __future__ import annotations

import functools
import importlib
from types import ModuleType

import sympy
from sympy.concrete.expr_with_limits import ExprWithLimits
from sympy.core.parameters import global_parameters

_ASSUMPTIONS = importlib.import_module("sympy.core.assumptions")  # the name alone is its function
_SHUFFLE = _ASSUMPTIONS.shuffle
"""SymPy's shuffle of the facts its assumptions queue."""
_SYMPYS = ExprWithLimits.free_symbols
"""SymPy's own property (the answer remembered)."""
_LAMBDIFY = importlib.import_module("sympy.utilities.lambdify")


def free_symbols(expr: ExprWithLimits) -> set[sympy.Basic]:
    """SymPy's ``expr.free_symbols``, remembered (a new set each time: callers change it)."""
    flags = (global_parameters.evaluate, global_parameters.distribute, global_parameters.exp_is_pow)
    return set(_remembered(expr, flags))


@functools.lru_cache(maxsize=8192)
def _remembered(expr: ExprWithLimits, flags: tuple[bool, bool, bool]) -> frozenset[sympy.Basic]:
    return frozenset(_SYMPYS.fget(expr))  # type: ignore[attr-defined]


def install() -> None:
    """Remember the free symbols of sums, products and integrals, queue the facts
    SymPy's assumptions try in sorted order, and give ``lambdify`` numpy's names, in
    this process."""
    ExprWithLimits.free_symbols = property(free_symbols)  # type: ignore[method-assign,assignment]
    _ASSUMPTIONS.shuffle = list.sort  # type: ignore[attr-defined]
    namespace, default, translations, _ = _LAMBDIFY.MODULES["numpy"]
    if namespace == default:  # SymPy has not imported numpy's names yet
        namespace.update(numpy_namespace(translations))


def numpy_namespace(translations: dict[str, str]) -> dict[str, object]:
    """The names ``lambdify`` imports for numpy (``import numpy; from numpy import *;
    from numpy.linalg import *``, then SymPy's ``translations``), except numpy's
    submodules, which lambdified code reaches as ``numpy.linalg...``: those numpy loads
    only when asked are not imported (the same names whatever was imported before).

    >>> namespace = numpy_namespace({"Heaviside": "heaviside"})
    >>> namespace["exp"] is namespace["numpy"].exp, "f2py" in namespace
    (True, False)
    """
    import numpy
    import numpy.linalg

    loaded = vars(numpy)  # a submodule numpy loads only when asked is not in it yet
    namespace: dict[str, object] = {"numpy": numpy}
    namespace.update(
        (name, loaded[name]) for name in numpy.__all__ if name in loaded and not isinstance(loaded[name], ModuleType)
    )
    namespace.update((name, getattr(numpy.linalg, name)) for name in numpy.linalg.__all__)
    namespace.update((name, namespace[translated]) for name, translated in translations.items())
    namespace.setdefault("Abs", abs)
    return namespace


def uninstall() -> None:
    """SymPy's own property and shuffle again."""
    ExprWithLimits.free_symbols = _SYMPYS  # type: ignore[method-assign]
    _ASSUMPTIONS.shuffle = _SHUFFLE  # type: ignore[attr-defined]
    namespace, default, *_ = _LAMBDIFY.MODULES["numpy"]
    namespace.clear()
    namespace.update(default)
