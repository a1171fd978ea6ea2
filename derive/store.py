"""Where the cache lives and how its entries are written and read: JSON files
written atomically (a reader sees the old entry or the whole new one), read
back only when whole and under the key asked for. Loads no SymPy.

>>> import tempfile, pathlib
>>> root = pathlib.Path(tempfile.mkdtemp())
>>> write_entry(root, root / "v1" / "ab.json", {"key": "ab", "value": 1})
>>> read_entry(root / "v1" / "ab.json", "ab"), read_entry(root / "v1" / "ab.json", "cd")
({'key': 'ab', 'value': 1}, None)
>>> (root / ".gitignore").read_text().splitlines()[-1]
'*'
"""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path
from typing import Any

ENVIRONMENT = "DERIVE_CACHE_DIR"
DEFAULT_FOLDER = ".derive_cache"
RUNS = "runs"
"""The folder of recorded runs (``derive.replay``) inside the cache."""


def default_root() -> Path:
    """``$DERIVE_CACHE_DIR`` when set, else ``.derive_cache`` in the current directory
    (as pytest, mypy and ruff keep theirs)."""
    configured = os.environ.get(ENVIRONMENT, "").strip()
    return Path(configured) if configured else Path(DEFAULT_FOLDER)


def has_entries(root: Path) -> bool:
    """Whether the cache at ``root`` holds any verdict (without reading one).

    >>> import tempfile, pathlib
    >>> has_entries(pathlib.Path(tempfile.mkdtemp()) / "none")
    False
    """
    try:
        return any(folder.is_dir() and folder.name != RUNS and any(folder.iterdir()) for folder in root.iterdir())
    except OSError:
        return False


def read_entry(path: Path, key: str) -> dict[str, Any] | None:
    """The JSON object at ``path`` when it is whole and stored under ``key``."""
    try:
        record = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(record, dict) or record.get("key") != key:
        return None
    return record


def write_entry(root: Path, path: Path, record: dict[str, Any]) -> None:
    """Write ``record`` to ``path`` under ``root`` atomically; a cache that cannot
    be written (read-only folder, full disk) is skipped."""
    text = json.dumps(record, sort_keys=True)
    try:
        _prepare(root)
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


def _prepare(root: Path) -> None:
    if (root / ".gitignore").exists():
        return
    root.mkdir(parents=True, exist_ok=True)
    (root / ".gitignore").write_text("# created by derive: the verdict cache\n*\n", encoding="utf-8")
    (root / "CACHEDIR.TAG").write_text(
        "Signature: 8a477f597d28d172789f06886806bc55\n# derive's verdict cache (derive cache clear)\n",
        encoding="utf-8",
    )
