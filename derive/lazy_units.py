"""SymPy's units (``sympy.physics.units``) loaded when they are first used, not when
``simplify`` asks whether an expression holds one.

Every call of SymPy's ``simplify`` runs ``from sympy.physics.units import Quantity``.
The first one imports the whole package, which builds every unit system SymPy
defines (SI, MKS, CGS, ...): about 0.08 s, paid again by each worker of a check,
while no expression of a check holds a unit. Installed (by ``derive.faster_sympy``),
the package is a module whose ``Quantity`` is SymPy's own class, taken from its small
``quantities`` module; any other name, and the import of any other submodule, loads
the package in full, into the same module. So ``simplify`` gets the class it asks
for, and code that uses units gets the whole package, the same objects either way.

>>> install()
>>> from sympy.physics.units import Quantity, convert_to, kilometer, meter
>>> isinstance(meter, Quantity), convert_to(kilometer, meter)
(True, 1000*meter)
"""

from __future__ import annotations

import importlib
import importlib.abc
import importlib.machinery
import importlib.util
import sys
import threading
from pathlib import Path
from types import ModuleType
from typing import Any

import sympy

NAME = "sympy.physics.units"
LIGHT = frozenset({f"{NAME}.quantities", f"{NAME}.dimensions", f"{NAME}.prefixes"})
"""The submodules that ``Quantity`` needs, imported without the package's ``__init__``."""
_LOCK = threading.RLock()
_LOADING: list[bool] = []
"""Not empty once the package's own ``__init__`` has started to run."""


class _Package(ModuleType):
    """The package before its ``__init__`` has run: a name it does not hold yet runs it."""

    def __getattr__(self, name: str) -> Any:
        load()
        try:
            return self.__dict__[name]
        except KeyError:
            raise AttributeError(f"module {NAME!r} has no attribute {name!r}") from None


class _Loaded(importlib.abc.Loader):
    """A submodule that loading the package in full has imported already."""

    def __init__(self, module: ModuleType) -> None:
        self.module = module

    def create_module(self, spec: importlib.machinery.ModuleSpec) -> ModuleType:
        return self.module

    def exec_module(self, module: ModuleType) -> None:
        return None


class _Finder(importlib.abc.MetaPathFinder):
    """Loads the package in full before any submodule but ``LIGHT`` is imported (its
    ``__init__`` imports them in the order they need)."""

    def find_spec(self, fullname: str, path: Any, target: Any = None) -> importlib.machinery.ModuleSpec | None:
        if not fullname.startswith(NAME + ".") or fullname in LIGHT or _LOADING:
            return None
        load()
        module = sys.modules.get(fullname)
        return None if module is None else importlib.util.spec_from_loader(fullname, _Loaded(module))


_FINDER = _Finder()


def install() -> None:
    """Make ``sympy.physics.units`` load on first use (nothing changes once it is loaded)."""
    with _LOCK:
        if NAME in sys.modules or "sympy.physics" in sys.modules:
            return
        folder = Path(sympy.__file__).parent / "physics" / "units"
        spec = importlib.util.spec_from_file_location(
            NAME, folder / "__init__.py", submodule_search_locations=[str(folder)]
        )
        if spec is None or spec.loader is None or not (folder / "quantities.py").is_file():
            return  # another layout of SymPy: its own import stays
        module = importlib.util.module_from_spec(spec)
        module.__class__ = _Package
        sys.modules[NAME] = module
        sys.meta_path.insert(0, _FINDER)
        try:
            importlib.import_module("sympy.physics")  # the parent package, which takes this module as its units
            quantities = importlib.import_module(f"{NAME}.quantities")
        except Exception:
            load()
            return
        module.__dict__["Quantity"] = quantities.Quantity


def load() -> None:
    """Run the package's ``__init__`` now (if it waits), into the module already imported."""
    with _LOCK:
        module = sys.modules.get(NAME)
        if not isinstance(module, _Package) or _LOADING:
            return
        _LOADING.append(True)
        if _FINDER in sys.meta_path:
            sys.meta_path.remove(_FINDER)
        assert module.__spec__ is not None and module.__spec__.loader is not None
        module.__spec__.loader.exec_module(module)
        module.__class__ = ModuleType  # type: ignore[assignment]  # a plain module again


def waiting() -> bool:
    """Whether the package is installed and has not been loaded in full."""
    return isinstance(sys.modules.get(NAME), _Package) and not _LOADING
