"""The registry: derivation name -> Derivation.

Built-in derivations register themselves when their modules are imported;
``derivations()`` imports them on first use.

>>> "exp-tangent-line" in names()
True
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterable
from typing import TypeVar

from derive.derivation import Derivation
from derive.errors import InputError

BUILTIN_MODULES = ("derive.examples", "derive.article")

_REGISTRY: dict[str, Derivation] = {}
_SECTIONS: dict[str, tuple[int, str]] = {"examples": (0, "Examples")}
_UNRANKED = 1000
_loaded = False


def register(derivation: Derivation) -> Derivation:
    """Add ``derivation``; a second derivation with the same name is an error."""
    existing = _REGISTRY.get(derivation.name)
    if existing is not None and existing != derivation:
        raise InputError(f"two derivations are named {derivation.name!r}")
    _REGISTRY[derivation.name] = derivation
    return derivation


def _load_builtins() -> None:
    global _loaded
    if not _loaded:
        _loaded = True
        for module in BUILTIN_MODULES:
            importlib.import_module(module)


def derivations() -> list[Derivation]:
    """Every registered derivation: sections in their rank order (then sections without
    a rank), derivations in registration order within a section. The order does not
    depend on which module happened to be imported first."""
    _load_builtins()
    ordered = list(_REGISTRY.values())
    return sorted(ordered, key=lambda d: _SECTIONS.get(d.section, (_UNRANKED, ""))[0])


def names() -> list[str]:
    return [d.name for d in derivations()]


def get(name: str) -> Derivation:
    _load_builtins()
    try:
        return _REGISTRY[name]
    except KeyError:
        known = ", ".join(sorted(_REGISTRY)) or "none"
        raise InputError(f"no derivation named {name!r}; known: {known}") from None


def corrections(derivation: Derivation) -> list[Derivation]:
    """The derivations an erratum names as its corrections (each must exist)."""
    return [get(name) for name in derivation.corrected_by]


def register_section(name: str, title: str, rank: int = _UNRANKED) -> None:
    """Give section ``name`` a human title and a place in the order (used by ``derive
    list``, ``latex`` and ``docs``); the article's sections rank by their number."""
    _SECTIONS[name] = (rank, title)


def section_title(name: str) -> str:
    """The human title of a section.

    >>> section_title("entropy")
    'Self-information and entropy'
    """
    _load_builtins()
    if name in _SECTIONS:
        return _SECTIONS[name][1]
    return name.replace("-", " ").replace("_", " ").capitalize()


T = TypeVar("T")


def by_section(items: Iterable[T], section: Callable[[T], str]) -> dict[str, list[T]]:
    """``items`` grouped by their section, sections and items in the order given.

    >>> by_section(["entropy:a", "gradients:b", "entropy:c"], lambda t: t.split(":")[0])
    {'entropy': ['entropy:a', 'entropy:c'], 'gradients': ['gradients:b']}
    """
    grouped: dict[str, list[T]] = {}
    for item in items:
        grouped.setdefault(section(item), []).append(item)
    return grouped
