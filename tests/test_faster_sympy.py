"""derive.faster_sympy: the remembered free symbols are SymPy's, for every sum, product
and integral the article builds, written or evaluated, under either evaluation flag."""

from __future__ import annotations

import pickle
import subprocess
import sys

import sympy
from sympy.concrete.expr_with_limits import ExprWithLimits

from derive import faster_sympy, registry

i, j, n, m, x_ = sympy.symbols("i j n m x")
x = sympy.IndexedBase("x")
p = sympy.IndexedBase("p")

EDGES = [
    sympy.Sum(sympy.Add(x[i], -x[i], evaluate=False), (i, 1, n)),  # the rebuild evaluates it to 0
    sympy.Sum(sympy.Mul(p[i], 1 / p[i], evaluate=False), (i, 1, n)),
    sympy.Sum(x[i] * x[j], (j, 1, i), (i, 1, n)),
    sympy.Product(sympy.exp(x[i]), (i, 1, m)),
    sympy.Integral(sympy.exp(-(x_**2)), (x_, -sympy.oo, sympy.oo)),
    sympy.Integral(x_ * n, x_),
    sympy.Sum(x[i + 1], (i, 0, n - 1)),
    sympy.Sum(i, (i, 1, x[1])),
]


def _nodes() -> list[ExprWithLimits]:
    found = list(EDGES)
    for derivation in registry.derivations():
        for expr in [*derivation.expressions(), *(side for c in derivation.claims() for side in (c.lhs, c.rhs))]:
            found += [node for node in sympy.preorder_traversal(expr) if isinstance(node, ExprWithLimits)]
    return found


def test_the_remembered_free_symbols_are_sympys() -> None:
    nodes = _nodes()
    assert len(nodes) > 100
    for evaluate in (True, False, True):
        with sympy.evaluate(evaluate):
            for node in nodes:
                assert faster_sympy.free_symbols(node) == faster_sympy._SYMPYS.fget(node), (node, evaluate)


def test_each_evaluation_flag_has_its_own_answer() -> None:
    held = EDGES[0]
    with sympy.evaluate(False):
        unevaluated = faster_sympy.free_symbols(held)
    assert faster_sympy.free_symbols(held) == {n}
    assert unevaluated == {n, x[i], x_}  # SymPy counts the entry, and its family's label


def test_a_caller_may_change_the_set_it_gets() -> None:
    faster_sympy.free_symbols(EDGES[3]).clear()
    assert faster_sympy.free_symbols(EDGES[3]) == {m, x[i], x_}


def test_installed_it_answers_as_sympy_does_and_uninstalls() -> None:
    expected = {node: node.free_symbols for node in EDGES}
    faster_sympy.install()
    try:
        assert isinstance(ExprWithLimits.free_symbols, property)
        assert ExprWithLimits.free_symbols is not faster_sympy._SYMPYS
        assert {node: node.free_symbols for node in EDGES} == expected
    finally:
        faster_sympy.uninstall()
    assert ExprWithLimits.free_symbols is faster_sympy._SYMPYS


def test_derive_check_installs_it_and_import_derive_does_not(capsys) -> None:
    from derive.cli import main

    assert ExprWithLimits.free_symbols is faster_sympy._SYMPYS
    try:
        assert main(["check", "log-of-product", "--no-cache", "-j", "1"]) == 0
        assert ExprWithLimits.free_symbols is not faster_sympy._SYMPYS
    finally:
        faster_sympy.uninstall()
    assert "log-of-product" in capsys.readouterr().out


FACTS = ("zero", "positive", "negative", "nonnegative", "real", "finite", "integer", "extended_real")


def _answers(nodes: list[sympy.Basic]) -> list[tuple[bool | None, ...]]:
    """Each node rebuilt afresh (nothing SymPy remembered of it), and asked each fact."""
    sympy.core.cache.clear_cache()
    fresh = [pickle.loads(pickle.dumps(node)) for node in nodes]
    return [tuple(getattr(node, f"is_{fact}") for fact in FACTS) for node in fresh]


def test_facts_queued_in_sorted_order_give_sympys_answers() -> None:
    nodes = sorted(
        {
            node
            for derivation in registry.derivations()
            for side in [*derivation.expressions(), *(s for c in derivation.claims() for s in (c.lhs, c.rhs))]
            for node in sympy.preorder_traversal(side)
            if isinstance(node, sympy.Expr) and node.args
        },
        key=sympy.default_sort_key,
    )
    assert len(nodes) > 400
    shuffled = _answers(nodes)
    faster_sympy.install()
    try:
        assert faster_sympy._ASSUMPTIONS.shuffle is list.sort
        queued = ["real", "finite", "complex"]
        faster_sympy._ASSUMPTIONS.shuffle(queued)
        assert queued == ["complex", "finite", "real"]
        assert _answers(nodes) == shuffled
    finally:
        faster_sympy.uninstall()
    assert faster_sympy._ASSUMPTIONS.shuffle is faster_sympy._SHUFFLE


def test_lambdifys_numpy_names_are_sympys_without_numpys_lazy_submodules() -> None:
    import numpy

    _, default, translations, _ = faster_sympy._LAMBDIFY.MODULES["numpy"]
    ours = {**default, **faster_sympy.numpy_namespace(translations)}  # as install() fills it
    theirs = dict(default)
    for command in faster_sympy._LAMBDIFY.MODULES["numpy"][3]:
        exec(command, {}, theirs)  # what SymPy's lambdify runs
    theirs.update((name, theirs[translated]) for name, translated in translations.items())
    theirs.setdefault("Abs", abs)
    left_out = set(theirs) - set(ours)
    assert {"linalg", "f2py", "testing"} <= left_out, left_out  # loaded or not before
    assert all(isinstance(theirs[name], type(numpy)) for name in left_out), left_out
    assert set(ours) <= set(theirs)
    assert [name for name in ours if ours[name] is not theirs[name]] == []


def test_installed_lambdify_imports_no_lazy_submodule_and_uninstalls() -> None:
    import subprocess
    import sys

    code = (
        "import sympy, sys; from derive import faster_sympy; faster_sympy.install(); "
        "x = sympy.Symbol('x'); f = sympy.lambdify([x], sympy.Heaviside(x) + sympy.exp(x), 'numpy'); "
        "print(f(0.5), 'numpy.f2py' in sys.modules, 'numpy.testing' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.split() == ["2.648721270700128", "False", "False"]
    faster_sympy.install()
    faster_sympy.uninstall()
    namespace, default, *_ = faster_sympy._LAMBDIFY.MODULES["numpy"]
    assert namespace == default


def test_installed_a_switch_of_the_evaluation_flag_clears_no_cache_and_each_flag_keeps_its_answers() -> None:
    """SymPy clears its caches on every switch so that a result cached with evaluation on
    is never returned with it off; installed, each flag has a cache of its own."""
    a = sympy.Symbol("a")
    faster_sympy.install()
    try:
        twice = a + a
        assert twice == 2 * a
        with sympy.evaluate(False):
            written = a + a
            assert written.args == (a, a)
            assert sympy.Add(a, a).args == (a, a)  # cached now, with evaluation off
        assert sympy.Add(a, a) == 2 * a
        assert sympy.Add(a, a) is twice  # the switches cleared nothing
        with sympy.evaluate(False):
            assert (a + a).args == (a, a)
    finally:
        faster_sympy.uninstall()


def _dispatchers() -> int:
    cells = [dict(zip(w.__code__.co_freevars, w.__closure__ or (), strict=True)) for w in sympy.core.cache.CACHE]
    return sum(isinstance(c["cfunc"].cell_contents, faster_sympy._PerFlag) for c in cells if "cfunc" in c)


def test_settled_each_cache_is_the_flags_in_force_and_the_next_switch_splits_them_again() -> None:
    """A process about to be forked keeps only the caches of the flag in force (no choice
    on each call); a later switch gives each flag its own cache again, with its answers."""
    c = sympy.Symbol("c")
    faster_sympy.install()
    try:
        with sympy.evaluate(False):
            assert sympy.Add(c, c).args == (c, c)  # cached with evaluation off
        twice = sympy.Add(c, c)
        assert twice == 2 * c and _dispatchers() > 0
        faster_sympy.settle()
        assert _dispatchers() == 0
        assert sympy.Add(c, c) is twice  # the cache of the flag in force, kept
        with sympy.evaluate(False):
            assert _dispatchers() > 0
            assert sympy.Add(c, c).args == (c, c)
        assert sympy.Add(c, c) is twice
    finally:
        faster_sympy.uninstall()


def test_installed_a_function_cached_after_it_gets_a_cache_per_flag_too() -> None:
    """A SymPy module imported later caches with one cache until the next switch splits it."""
    b = sympy.Symbol("b")
    faster_sympy.install()
    try:

        @sympy.cacheit
        def double(e: sympy.Expr) -> sympy.Expr:
            return sympy.Add(e, e)

        assert double(b) == 2 * b
        with sympy.evaluate(False):
            assert double(b).args == (b, b)
        assert double(b) == 2 * b
    finally:
        faster_sympy.uninstall()
        sympy.core.cache.CACHE.remove(next(w for w in sympy.core.cache.CACHE if w.__name__ == "double"))


def test_installed_the_article_is_built_as_with_sympys_own_caches() -> None:
    """The article's derivations, their LaTeX and their claims, built in a fresh process
    with SymPy's caches cleared on every switch and with them kept per flag."""
    code = (
        "import hashlib, sys\n"
        "from derive import faster_sympy\n"
        "if sys.argv[1] == 'installed':\n"
        "    faster_sympy.install()\n"
        "from derive import registry\n"
        "from derive.latex import latex\n"
        "built = [(str(d), [latex(e) for e in d.expressions()], [str(c) for c in d.claims()])\n"
        "         for d in registry.derivations()]\n"
        "print(hashlib.sha256(repr(built).encode()).hexdigest())\n"
    )
    runs = [subprocess.run([sys.executable, "-c", code, how], capture_output=True, text=True, check=True, timeout=120)
            for how in ("plain", "installed")]  # fmt: skip
    digests = [run.stdout for run in runs]
    assert digests[0] == digests[1] and len(digests[0]) == 65
