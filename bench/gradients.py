"""Gradient agreement: the engine's symbolic gradients of the article's losses against
complex-step differentiation and central differences.

Run by hand: ``python -m bench.gradients``. For each derivative step of the article
(a ``Derivative`` in the start expression), the derivative SymPy computes is compared
at 1,000 seeded points (unbounded variables drawn from N(0, 1.5^2), where the losses
are representable in float64; bounded ones from the domain's sampler) with
complex-step differentiation (``Im f(x + ih) / h``, h = 1e-30, no subtractive
cancellation) in float64 and in mpmath at 50 digits, and with central differences.
Target: max relative disagreement with complex step <= 1e-12.
"""

from __future__ import annotations

import mpmath
import numpy as np
import sympy

from derive import registry
from derive.functions import expand_functions
from derive.numeric import _matrix

POINTS = 1000
MP_POINTS = 100


def _pairs():
    for d in registry.derivations():
        start = d.start
        if isinstance(start, sympy.Derivative) and len(start.variables) == 1:
            yield d, start.expr, start.variables[0]


def main() -> None:
    worst_cs, worst_cd, worst_mp = 0.0, 0.0, 0.0
    rows = []
    for d, f, v in _pairs():
        names = sorted(s.name for s in f.free_symbols)
        symbols = [sympy.Symbol(n) for n in names]
        domain = d.domain.complete(tuple(names))
        rng = np.random.default_rng(0)
        points = _matrix(domain, rng, POINTS)
        order = list(domain.names())
        columns = [points[:, order.index(n)] for n in names]
        for i, n in enumerate(names):  # moderate values, where the loss itself is representable in float64
            interval = domain.scalar(n) if domain.is_scalar(n) else None
            if interval is not None and interval.hi == sympy.oo:
                columns[i] = rng.normal(0.0, 1.5, POINTS) if interval.lo == -sympy.oo else rng.lognormal(0, 0.5, POINTS)
        exact = sympy.lambdify(symbols, expand_functions(sympy.diff(f, v)), "numpy")
        func = sympy.lambdify(symbols, expand_functions(f), "numpy")
        k = names.index(v.name)
        with np.errstate(all="ignore"):
            want = np.asarray(exact(*columns), dtype=complex).real * np.ones(POINTS)
            shifted = [c.astype(complex) for c in columns]
            shifted[k] = shifted[k] + 1e-30j
            complex_step = np.asarray(func(*shifted)).imag / 1e-30
            up = list(columns)
            down = list(columns)
            up[k], down[k] = columns[k] + 1e-6, columns[k] - 1e-6
            central = (np.asarray(func(*up)) - np.asarray(func(*down))).real / 2e-6
            scale = np.maximum(1.0, np.abs(want))
            ok = np.isfinite(want) & np.isfinite(complex_step) & np.isfinite(central)
            cs = float(np.max(np.abs(complex_step - want)[ok] / scale[ok])) if ok.any() else float("nan")
            cd = float(np.max(np.abs(central - want)[ok] / scale[ok])) if ok.any() else float("nan")
        mp = _mpmath_complex_step(f, v, symbols, [c[:MP_POINTS] for c in columns])
        worst_cs, worst_cd, worst_mp = max(worst_cs, cs), max(worst_cd, cd), max(worst_mp, mp)
        rows.append((d.name, int(ok.sum()), cs, cd, mp))
    for name, n, cs, cd, mp in rows:
        print(f"{name:36} {n:5} points  complex step {cs:9.2e}  central {cd:9.2e}  mpmath complex step {mp:9.2e}")
    print(
        f"max relative disagreement: complex step {worst_cs:.2e} (float64), {worst_mp:.2e} (mpmath, "
        f"50 digits; target <= 1e-12), central differences {worst_cd:.2e}"
    )


def _mpmath_complex_step(f: sympy.Expr, v: sympy.Symbol, symbols: list, columns: list) -> float:
    """The engine's derivative against complex-step differentiation in mpmath at 50 digits,
    where float64 round-off in the loss (1 - sigma(z) for large z) cannot spoil the reference."""
    exact = sympy.lambdify(symbols, expand_functions(sympy.diff(f, v)), "mpmath")
    func = sympy.lambdify(symbols, expand_functions(f), "mpmath")
    k = symbols.index(v)
    worst = 0.0
    with mpmath.workdps(50):
        for row in zip(*columns, strict=True):
            args = [mpmath.mpf(float(a)) for a in row]
            try:
                want = mpmath.re(exact(*args))
                shifted = list(args)
                shifted[k] = mpmath.mpc(args[k], mpmath.mpf("1e-40"))
                got = mpmath.im(func(*shifted)) / mpmath.mpf("1e-40")
            except (ZeroDivisionError, ValueError):
                continue
            if mpmath.isfinite(want) and mpmath.isfinite(got):
                worst = max(worst, float(abs(got - want) / max(1, abs(want))))
    return worst


if __name__ == "__main__":
    main()
