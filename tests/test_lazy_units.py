"""derive.lazy_units: SymPy's units wait until used, and whoever uses them gets the whole
package, whichever way it is imported. Each case runs in a fresh process (installing
changes ``sys.modules``), with derive's speed-ups installed as ``derive check`` installs them."""

from __future__ import annotations

import subprocess
import sys

import pytest

WHOLE = "meter, kilometer, convert_to, Quantity"
PRELUDE = "import sys, sympy\nfrom derive import faster_sympy, lazy_units\nfaster_sympy.install()\n"


def _run(code: str) -> str:
    done = subprocess.run([sys.executable, "-c", PRELUDE + code], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    return done.stdout.strip()


def test_simplify_gets_sympys_quantity_without_loading_the_unit_systems() -> None:
    out = _run(
        "x = sympy.Symbol('x')\n"
        "print(sympy.simplify(x * 2 / 2), lazy_units.waiting(), 'sympy.physics.units.systems' in sys.modules)\n"
        "from sympy.physics.units.quantities import Quantity\n"
        "print(sympy.physics.units.__dict__['Quantity'] is Quantity)\n"
    )
    assert out.splitlines() == ["x True False", "True"]


@pytest.mark.parametrize(
    "imports",
    [
        f"from sympy.physics.units import {WHOLE}",
        f"import sympy.physics.units as u\n{WHOLE} = u.meter, u.kilometer, u.convert_to, u.Quantity",
        f"import sympy.physics.units.systems.si as si\nfrom sympy.physics.units import {WHOLE}",
        "from sympy.physics.units.definitions import meter, kilometer\n"
        "from sympy.physics.units import convert_to, Quantity",
        "from sympy.physics.units.quantities import Quantity\n"
        "from sympy.physics.units import meter, kilometer, convert_to",
    ],
)
def test_every_way_of_importing_units_gets_the_whole_package(imports: str) -> None:
    out = _run(
        "sympy.simplify(sympy.Symbol('x') + 1)\n"  # simplify has asked for Quantity first
        + imports
        + "\nunits = sys.modules['sympy.physics.units']\n"
        "si = sys.modules['sympy.physics.units.systems.si']\n"
        "print(convert_to(kilometer, meter), isinstance(meter, Quantity), units.si is si, units.si.SI is si.SI)\n"
        "print(sympy.simplify(3 * kilometer / meter), sympy.physics.units is units, type(units) is type(sys))\n"
        "print(lazy_units.waiting(), units.find_unit('ampere'))\n"
    )
    assert out.splitlines() == ["1000*meter True True True", "3000 True True", "False ['ampere', 'amperes']"]


def test_a_quantity_is_simplified_as_sympy_simplifies_it() -> None:
    code = (
        "from sympy.physics.units import meter, second, kilometer\n"
        "print(sympy.simplify((kilometer / second) / (meter / second)))\n"
    )
    plain = subprocess.run([sys.executable, "-c", "import sympy\n" + code], capture_output=True, text=True, check=True)
    assert _run(code) == plain.stdout.strip() == "1000"


def test_uninstalling_loads_the_units() -> None:
    out = _run("faster_sympy.uninstall()\nprint(lazy_units.waiting(), sys.modules['sympy.physics.units'].si.__name__)")
    assert out == "False sympy.physics.units.systems.si"
