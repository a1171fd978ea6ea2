"""Derivations from users' Python files and modules, for ``derive check``.

A file or module contributes every ``Derivation`` it defines at module level
(directly, or in a list or tuple) and every one it registers while importing.

>>> import tempfile, pathlib
>>> path = pathlib.Path(tempfile.mkdtemp()) / "mine.py"
>>> _ = path.write_text("from derive import Derivation, eq; d = Derivation('mine', 'Mine', 1, (eq(1),))")
>>> [d.name for d in from_file(str(path))]
['mine']
"""

from __future__ import annotations

import importlib
import importlib.util
import sys
from pathlib import Path
from types import ModuleType

from derive import registry
from derive.derivation import Derivation
from derive.errors import InputError


def _collect(module: ModuleType, before: set[str], label: str) -> list[Derivation]:
    found: dict[str, Derivation] = {}
    for value in vars(module).values():
        items = value if isinstance(value, (list, tuple)) else [value]
        for item in items:
            if isinstance(item, Derivation):
                found.setdefault(item.name, item)
    for derivation in registry.derivations():
        if derivation.name not in before:
            found.setdefault(derivation.name, derivation)
    if not found:
        raise InputError(f"{label} defines no derivations")
    return list(found.values())


def _import(label: str, load: object) -> ModuleType:
    try:
        return load()  # type: ignore[operator, no-any-return]
    except InputError:
        raise
    except SyntaxError as exc:
        raise InputError(f"cannot import {label}: syntax error at line {exc.lineno}: {exc.msg}") from None
    except Exception as exc:
        raise InputError(f"cannot import {label}: {type(exc).__name__}: {exc}") from None


def from_file(path_text: str) -> list[Derivation]:
    """The derivations of a Python file."""
    path = Path(path_text)
    if not path.is_file():
        raise InputError(f"no such file: {path_text}")
    before = set(registry.names())
    name = f"derive_user_{abs(hash(str(path.resolve())))}"
    spec = importlib.util.spec_from_file_location(name, path)
    if spec is None or spec.loader is None:
        raise InputError(f"cannot import {path_text}: not a Python file")

    def load() -> ModuleType:
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module
        spec.loader.exec_module(module)  # type: ignore[union-attr]
        return module

    return _collect(_import(path_text, load), before, path_text)


def from_module(module_name: str) -> list[Derivation]:
    """The derivations of an importable module (``derive check -m pkg.mod``)."""
    before = set(registry.names())
    module = _import(module_name, lambda: importlib.import_module(module_name))
    return _collect(module, before, module_name)
