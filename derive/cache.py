"""A verdict cache on disk: content-addressed, so it can make derive faster but
never change a verdict.

The key of a check is a hash of a canonical form of the claim (expressions,
relation, domain, ``over``, text), the options (seed, sample count, budget,
whether a refutation is diagnosed) and a fingerprint of the software (derive's
own source files, and the versions of Python, SymPy, mpmath and numpy). An entry
is a JSON file that repeats its key; one that cannot be read, is truncated, or
holds another key is ignored (and rewritten by the next check). Only verdicts
that no time budget cut short are stored (see ``derive.check``).

>>> import tempfile
>>> from derive.parsing import parse_claim
>>> from derive.check import check
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
import functools
import hashlib
import json
import os
import re
import shutil
import sys
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path
from typing import Any

import sympy

from derive.errors import InputError
from derive.verdict import Counterexample, Diagnosis, Status, Verdict

ENVIRONMENT = "DERIVE_CACHE_DIR"
DEFAULT_FOLDER = ".derive_cache"
FORMAT = 1
"""The layout of an entry; part of every key, so a new layout never reads an old one."""


@dataclass(frozen=True)
class CacheInfo:
    """What ``derive cache info`` prints: where the cache is, its entries and bytes."""

    root: Path
    entries: int
    size: int


class Cache:
    """Verdicts under ``root`` (created on the first write, with a ``.gitignore``
    that keeps it out of version control, as pytest's and mypy's caches do)."""

    def __init__(self, root: str | Path) -> None:
        self.root = Path(root)

    def __repr__(self) -> str:
        return f"Cache({str(self.root)!r})"

    def _path(self, key: str) -> Path:
        return self.root / f"v{FORMAT}" / key[:2] / f"{key}.json"

    def get(self, key: str) -> Verdict | None:
        """The verdict stored under ``key``, or None (missing, damaged or foreign)."""
        try:
            record = json.loads(self._path(key).read_text(encoding="utf-8"))
            if record["key"] != key:
                return None
            return verdict_from_record(record["verdict"])
        except (OSError, ValueError, KeyError, TypeError, AttributeError):
            return None

    def put(self, key: str, verdict: Verdict) -> None:
        """Store ``verdict`` atomically: a reader sees the old entry or the whole new one.
        A cache that cannot be written (read-only folder, full disk) is skipped."""
        path = self._path(key)
        text = json.dumps({"key": key, "verdict": verdict_record(verdict)}, sort_keys=True)
        try:
            self._prepare()
            path.parent.mkdir(parents=True, exist_ok=True)
            handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".", suffix=".tmp")
            try:
                with os.fdopen(handle, "w", encoding="utf-8") as out:
                    out.write(text)
                os.replace(temporary, path)
            except BaseException:
                Path(temporary).unlink(missing_ok=True)
                raise
        except OSError:
            pass

    def _prepare(self) -> None:
        if (self.root / ".gitignore").exists():
            return
        self.root.mkdir(parents=True, exist_ok=True)
        (self.root / ".gitignore").write_text("# created by derive: the verdict cache\n*\n", encoding="utf-8")
        (self.root / "CACHEDIR.TAG").write_text(
            "Signature: 8a477f597d28d172789f06886806bc55\n# derive's verdict cache (derive cache clear)\n",
            encoding="utf-8",
        )

    def info(self) -> CacheInfo:
        files = [p for p in self.root.glob("v*/*/*.json") if p.is_file()]
        return CacheInfo(self.root, len(files), sum(p.stat().st_size for p in files))

    def clear(self) -> int:
        """Remove every entry (the folder stays, with its ``.gitignore``); how many were removed."""
        count = self.info().entries
        for folder in self.root.glob("v*"):
            if folder.is_dir():
                shutil.rmtree(folder, ignore_errors=True)
        return count


def default_root() -> Path:
    """``$DERIVE_CACHE_DIR`` when set, else ``.derive_cache`` in the current directory."""
    configured = os.environ.get(ENVIRONMENT, "").strip()
    return Path(configured) if configured else Path(DEFAULT_FOLDER)


def default_cache() -> Cache:
    root = default_root()
    if root.exists() and not root.is_dir():
        raise InputError(f"the cache location {root} is not a folder (set {ENVIRONMENT} to another)")
    return Cache(root)


@functools.lru_cache(maxsize=1)
def fingerprint() -> str:
    """derive's source files and the versions of what computes a verdict."""
    import mpmath
    import numpy

    digest = hashlib.sha256()
    package = Path(__file__).resolve().parent
    for path in sorted(package.rglob("*.py")):
        digest.update(path.relative_to(package).as_posix().encode())
        digest.update(b"\0" + path.read_bytes() + b"\0")
    versions = (sys.version, sympy.__version__, mpmath.__version__, numpy.__version__, FORMAT)
    digest.update(repr(versions).encode())
    return digest.hexdigest()


def key(*parts: object) -> str:
    """The hash of a canonical form of ``parts`` and the software's fingerprint.

    >>> x = sympy.Symbol("x")
    >>> key(x + 1, 0.5) == key(1 + x, 0.5), key(x + 1, 0.5) == key(x + 1, 0.25)
    (True, False)
    """
    text = canonical((fingerprint(), *parts))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


_DUMMY = re.compile(r"Dummy\('((?:[^'\\]|\\.)*)', dummy_index=(\d+)")


def _sympy(value: sympy.Basic) -> str:
    """``srepr`` with each Dummy numbered by its first appearance (their indices
    differ from process to process; the numbering keeps which ones are the same)."""
    text = sympy.srepr(value)
    seen: dict[str, int] = {}

    def number(match: re.Match[str]) -> str:
        index = seen.setdefault(match.group(2), len(seen))
        return f"Dummy('{match.group(1)}', dummy_index=#{index}"

    return _DUMMY.sub(number, text)


def canonical(value: object) -> str:
    """A text that two values share exactly when they are the same claim data.

    >>> canonical((1, "1", Fraction(1), sympy.Integer(1)))
    "(int:1,str:'1',Fraction:1,Integer(1))"
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
