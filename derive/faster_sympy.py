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

SymPy clears every one of its caches whenever its global evaluation flag changes (a
result cached with evaluation on must not be returned with it off, nor the other way
round): every step an author writes inside ``derive.writing.written()`` switches it off
and on, and building the article's derivations cleared them 162 times: about 40% of
the registry's time went to computing again what had been cached. Installed, each cached
SymPy function keeps one cache per flag, and a switch clears nothing: each result is
still only ever returned under the flag it was computed with.

SymPy's ``lambdify`` for numpy runs ``from numpy import *`` once per process, which
imports every submodule numpy loads lazily (``f2py``, ``testing``, ``ma``, ...: 0.15-0.2 s
in each worker). Installed, its namespace is filled with numpy's names as that import
would, numpy's submodules left out: lambdified code names functions, never those modules.

SymPy's ``simplify`` imports SymPy's units on its first call (0.08 s in each worker,
for a question whose answer in a check is always no): installed, they load when
first used (``derive.lazy_units``).

>>> import sympy
>>> i, n = sympy.symbols("i n")
>>> total = sympy.Sum(sympy.IndexedBase("x")[i], (i, 1, n))
>>> sorted(map(str, free_symbols(total))) == sorted(map(str, total.free_symbols))
True
"""

from __future__ import annotations

import functools
import importlib
import threading
from collections.abc import Callable
from types import ModuleType
from typing import Any

import sympy
from sympy.concrete.expr_with_limits import ExprWithLimits
from sympy.core.cache import CACHE
from sympy.core.parameters import global_parameters

from derive import lazy_units

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


class _PerFlag:
    """A cached SymPy function's two caches, one for each value of the evaluation flag
    (``evaluate``, read in the calling thread, as SymPy reads it)."""

    __slots__ = ("off", "on")

    def __init__(self, on: Callable[..., Any], off: Callable[..., Any]) -> None:
        self.on, self.off = on, off

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        return (self.on if global_parameters.evaluate else self.off)(*args, **kwargs)

    def cache_clear(self) -> None:
        self.on.cache_clear()  # type: ignore[attr-defined]
        self.off.cache_clear()  # type: ignore[attr-defined]


_PARAMETERS = type(global_parameters)
_SET_PARAMETER: Callable[[Any, str, object], None] = _PARAMETERS.__setattr__  # type: ignore[assignment]
"""SymPy's: any change of a global parameter clears every cache."""
_SPLIT = threading.Lock()


def _cells(wrapper: Callable[..., Any]) -> dict[str, Any]:
    """The closure cells of a SymPy cache wrapper, by name (``cfunc``: its lru cache; ``func``: the function)."""
    return dict(zip(wrapper.__code__.co_freevars, wrapper.__closure__ or (), strict=True))


def _caches_per_flag(evaluate: bool) -> None:
    """Give every cached SymPy function not yet split its second cache. What it cached
    so far was computed under ``evaluate`` (no switch has happened since it was made:
    each switch splits the new ones first)."""
    with _SPLIT:
        for wrapper in CACHE:
            cells = _cells(wrapper)
            if "cfunc" not in cells or "func" not in cells or isinstance(cells["cfunc"].cell_contents, _PerFlag):
                continue
            cached = cells["cfunc"].cell_contents
            fresh = functools.lru_cache(cached.cache_parameters()["maxsize"], typed=True)(cells["func"].cell_contents)
            split = _PerFlag(cached, fresh) if evaluate else _PerFlag(fresh, cached)
            cells["cfunc"].cell_contents = split
            wrapper.cache_clear = split.cache_clear


def _set_parameter(parameters: threading.local, name: str, value: object) -> None:
    """SymPy's global parameters, except that switching evaluation clears nothing."""
    if name != "evaluate":
        _SET_PARAMETER(parameters, name, value)
        return
    if getattr(parameters, name) != value:
        _caches_per_flag(bool(getattr(parameters, name)))
    threading.local.__setattr__(parameters, name, value)


def settle() -> None:
    """Keep only the caches of the evaluation flag now in force: every cached call
    pays for choosing a cache, and a process that will not switch the flag (a worker
    about to be forked: checking a claim never switches it) should not pay. The next
    switch splits them again (``_set_parameter``), so no answer changes.

    >>> x = sympy.Symbol("x")
    >>> install(); settle(); (x + x, sympy.Add(x, x, evaluate=False).args)
    (2*x, (x, x))
    >>> uninstall()
    """
    with _SPLIT:
        for wrapper in CACHE:
            cells = _cells(wrapper)
            split = cells["cfunc"].cell_contents if "cfunc" in cells else None
            if isinstance(split, _PerFlag):
                kept = split.on if global_parameters.evaluate else split.off
                cells["cfunc"].cell_contents = kept
                wrapper.cache_clear = kept.cache_clear  # type: ignore[attr-defined]


def install() -> None:
    """Remember the free symbols of sums, products and integrals, queue the facts
    SymPy's assumptions try in sorted order, keep SymPy's caches per evaluation flag,
    give ``lambdify`` numpy's names, and load SymPy's units on first use, in this process."""
    lazy_units.install()
    ExprWithLimits.free_symbols = property(free_symbols)  # type: ignore[method-assign,assignment]
    _ASSUMPTIONS.shuffle = list.sort  # type: ignore[attr-defined]
    _caches_per_flag(bool(global_parameters.evaluate))
    _PARAMETERS.__setattr__ = _set_parameter  # type: ignore[method-assign,assignment]
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
    """SymPy's own property, shuffle and parameters again (every cache cleared: its
    caches stay split, which is as right as one cache cleared on each switch), and its
    units loaded in full."""
    lazy_units.load()
    ExprWithLimits.free_symbols = _SYMPYS  # type: ignore[method-assign]
    _ASSUMPTIONS.shuffle = _SHUFFLE  # type: ignore[attr-defined]
    _PARAMETERS.__setattr__ = _SET_PARAMETER  # type: ignore[method-assign,assignment]
    sympy.core.cache.clear_cache()
    namespace, default, *_ = _LAMBDIFY.MODULES["numpy"]
    namespace.clear()
    namespace.update(default)
