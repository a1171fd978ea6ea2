"""A verdict cache on disk: content-addressed, so it can make derive faster but
never change a verdict.

The key of a check is a hash of a canonical form of the claim (expressions,
relation, domain, ``over``, text), the options (seed, sample count, budget,
whether a refutation is diagnosed) and a fingerprint of the software (derive's
own source files, and the versions of Python, SymPy, mpmath and numpy). An entry
is a JSON file that repeats its key; one that cannot be read, is truncated, or
holds another key is ignored (and rewritten by the next check). Only verdicts
that no time budget cut short are stored (see ``derive.engine``).

>>> import tempfile
>>> from derive.parsing import parse_claim
>>> from derive.engine import check
>>> cache = Cache(tempfile.mkdtemp())
>>> first = check(parse_claim("(x - 1)**2 >= 0"), cache=cache)
>>> cache.info().entries
1
>>> check(parse_claim("(x - 1)**2 >= 0"), cache=cache) == first
True
"""

from __future__ import annotations

import dataclasses
import enum
import hashlib
import re
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path
from typing import Any

import sympy

from derive.errors import InputError
from derive.fingerprint import fingerprint
from derive.store import ENVIRONMENT, RUNS, default_root, read_entry, write_entry
from derive.verdict import Counterexample, Diagnosis, Status, Verdict

FORMAT = 2
"""The layout of an entry; part of every key, so a new layout never reads an old one."""


@dataclass(frozen=True)
class CacheInfo:
    """What ``derive cache info`` prints: where the cache is, its entries and bytes."""

    root: Path
    entries: int
    size: int
    runs: int = 0


class Cache:
    """Verdicts under ``root`` (created on the first write, with a ``.gitignore``
    that keeps it out of version control, as pytest's and mypy's caches do)."""

    def __init__(self, root: str | Path) -> None:
        self.root = Path(root)
        self._unsettled: list[str] = []  # appended to from several threads (atomic)

    @property
    def unsettled(self) -> int:
        """How many verdicts computed through this cache a deadline cut short (not stored)."""
        return len(self._unsettled)

    def note_unsettled(self, key: str) -> None:
        self._unsettled.append(key)

    def __repr__(self) -> str:
        return f"Cache({str(self.root)!r})"

    def _path(self, key: str) -> Path:
        return self.root / f"v{FORMAT}" / key[:2] / f"{key}.json"

    def get(self, key: str) -> Verdict | None:
        """The verdict stored under ``key``, or None (missing, damaged or foreign)."""
        record = read_entry(self._path(key), key)
        if record is None:
            return None
        try:
            return verdict_from_record(record["verdict"])
        except (ValueError, KeyError, TypeError, AttributeError):
            return None

    def put(self, key: str, verdict: Verdict) -> None:
        """Store ``verdict`` atomically (see ``derive.store``)."""
        write_entry(self.root, self._path(key), {"key": key, "verdict": verdict_record(verdict)})

    def info(self) -> CacheInfo:
        files = [p for p in self.root.glob("v*/*/*.json") if p.is_file()]
        runs = [p for p in (self.root / RUNS).glob("*.json") if p.is_file()]
        return CacheInfo(self.root, len(files), sum(p.stat().st_size for p in files + runs), len(runs))

    def clear(self) -> int:
        """Remove every entry and run record (the folder stays, with its
        ``.gitignore``); how many verdicts were removed."""
        count = self.info().entries
        for folder in [*self.root.glob("v*"), self.root / RUNS]:
            if folder.is_dir():
                shutil.rmtree(folder, ignore_errors=True)
        return count


def default_cache() -> Cache:
    root = default_root()
    if root.exists() and not root.is_dir():
        raise InputError(f"the cache location {root} is not a folder (set {ENVIRONMENT} to another)")
    return Cache(root)


def key(*parts: object) -> str:
    """The hash of a canonical form of ``parts`` and the software's fingerprint.

    >>> x = sympy.Symbol("x")
    >>> key(x + 1, 0.5) == key(1 + x, 0.5), key(x + 1, 0.5) == key(x + 1, 0.25)
    (True, False)
    """
    text = canonical((fingerprint(), FORMAT, *parts))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


_DUMMY = re.compile(r"Dummy\('((?:[^'\\]|\\.)*)', dummy_index=(\d+)")


def _sympy(value: sympy.Basic) -> str:
    """``srepr`` with each Dummy numbered by its first appearance (their indices
    differ from process to process; the numbering keeps which ones are the same).
    Terms and factors in the order of their arguments: SymPy orders a built sum's
    arguments the same way in every process, and two expressions are equal exactly
    when their arguments are (sorting the terms, as ``str`` does, was three quarters
    of a key's cost, and could give two sums written in different orders one key).

    >>> x = sympy.Symbol("x")
    >>> written = sympy.Add(x, 1, evaluate=False), sympy.Add(1, x, evaluate=False)
    >>> _sympy(x + 1) == _sympy(1 + x), _sympy(written[0]) == _sympy(written[1])
    (True, False)
    """
    text = sympy.srepr(value, order="none")
    seen: dict[str, int] = {}

    def number(match: re.Match[str]) -> str:
        index = seen.setdefault(match.group(2), len(seen))
        return f"Dummy('{match.group(1)}', dummy_index=#{index}"

    return _DUMMY.sub(number, text)


def canonical(value: object) -> str:
    """A text that two values share exactly when they are the same claim data.

    >>> canonical((1, "1", Fraction(1), sympy.Integer(1)))
    "(int:1,str:'1',Fraction:Fraction(1, 1),Integer(1))"
    """
    for kind, encode in _ENCODERS:
        if isinstance(value, kind):
            return encode(value)
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        fields = ",".join(f"{f.name}={canonical(getattr(value, f.name))}" for f in dataclasses.fields(value))
        return f"{type(value).__module__}.{type(value).__qualname__}({fields})"
    raise TypeError(f"no canonical form for {type(value).__name__}")


def _sequence(value: tuple | list) -> str:
    return "(" + ",".join(canonical(v) for v in value) + ")"


def _mapping(value: dict) -> str:
    items = sorted((canonical(k), canonical(v)) for k, v in value.items())
    return "{" + ",".join(f"{k}:{v}" for k, v in items) + "}"


_ENCODERS: tuple[tuple[type | tuple[type, ...], Callable[[Any], str]], ...] = (
    (sympy.Basic, _sympy),
    (enum.Enum, lambda e: f"{type(e).__qualname__}.{e.name}"),
    ((bool, int, float, str, Fraction, type(None)), lambda v: f"{type(v).__name__}:{v!r}"),
    ((tuple, list), _sequence),
    ((frozenset, set), lambda s: "{" + ",".join(sorted(canonical(v) for v in s)) + "}"),
    (dict, _mapping),
)


def verdict_record(verdict: Verdict) -> dict[str, Any]:
    """Every field of ``verdict`` as JSON (floats exactly, as hex)."""
    return {
        "status": verdict.status.value,
        "method": verdict.method,
        "seed": verdict.seed,
        "claim": verdict.claim,
        "detail": verdict.detail,
        "counterexample": _counterexample_record(verdict.counterexample),
        "samples": verdict.samples,
        "worst_residual": None if verdict.worst_residual is None else float.hex(verdict.worst_residual),
        "steps": list(verdict.steps),
        "diagnosis": None if verdict.diagnosis is None else dataclasses.asdict(verdict.diagnosis),
    }


def _counterexample_record(ce: Counterexample | None) -> dict[str, Any] | None:
    if ce is None:
        return None
    return {"point": [list(pair) for pair in ce.point], "lhs": ce.lhs, "rhs": ce.rhs, "digits": ce.digits}


def verdict_from_record(record: dict[str, Any]) -> Verdict:
    """The inverse of ``verdict_record``; raises on anything malformed."""
    ce = record["counterexample"]
    counterexample = None
    if ce is not None:
        point = tuple((_text(name), _text(value)) for name, value in ce["point"])
        counterexample = Counterexample(point, _text(ce["lhs"]), _text(ce["rhs"]), int(ce["digits"]))
    diagnosis = record["diagnosis"]
    worst = record["worst_residual"]
    return Verdict(
        Status(record["status"]),
        _text(record["method"]),
        int(record["seed"]),
        _text(record["claim"]),
        _text(record["detail"]),
        counterexample,
        int(record["samples"]),
        None if worst is None else float.fromhex(worst),
        tuple(_text(s) for s in record["steps"]),
        None if diagnosis is None else Diagnosis(*(_text(diagnosis[k]) for k in _DIAGNOSIS_FIELDS)),
    )


_DIAGNOSIS_FIELDS = tuple(f.name for f in dataclasses.fields(Diagnosis))


def _text(value: object) -> str:
    if not isinstance(value, str):
        raise TypeError(f"expected text, got {type(value).__name__}")
    return value
