"""What computes a verdict, as one hash: derive's own source files, the Python
version, and the files that state the versions of SymPy, mpmath and numpy (found
without importing them: loading SymPy is what a cached run saves).

>>> len(fingerprint()), fingerprint() == fingerprint()
(64, True)
"""

from __future__ import annotations

import functools
import hashlib
import sys
from importlib import util
from pathlib import Path

LIBRARIES = ("sympy", "mpmath", "numpy")


@functools.lru_cache(maxsize=1)
def fingerprint() -> str:
    return digest(Path(__file__).resolve().parent)


def digest(package: Path) -> str:
    """The fingerprint of the Python files under ``package`` with today's versions."""
    digest = hashlib.sha256()
    for path in sorted(package.rglob("*.py")):
        digest.update(path.relative_to(package).as_posix().encode())
        digest.update(b"\0" + path.read_bytes() + b"\0")
    digest.update(sys.version.encode())
    for name in LIBRARIES:
        for path in _version_files(name):
            digest.update(b"\0" + path.read_bytes())
    return digest.hexdigest()


VERSION_FILES = ("__init__.py", "release.py", "version.py", "_version.py")


def _version_files(name: str) -> list[Path]:
    spec = util.find_spec(name)
    if spec is None or spec.origin is None:
        return []
    folder = Path(spec.origin).parent
    return [folder / file for file in VERSION_FILES if (folder / file).is_file()]
