"""Writing output files so that a failure leaves nothing half-written.

>>> import tempfile, pathlib
>>> folder = pathlib.Path(tempfile.mkdtemp())
>>> write_atomically(folder / "a.txt", "hello")
>>> (folder / "a.txt").read_text()
'hello'
"""

from __future__ import annotations

from pathlib import Path

from derive.errors import InputError

SUFFIXES = (".md", ".markdown", ".tex")
"""The documents ``derive check`` reads: Markdown and LaTeX."""


def is_document(argument: str) -> bool:
    """True for a Markdown or LaTeX file or a folder (what ``derive check`` reads as documents)."""
    path = Path(argument)
    return path.suffix in SUFFIXES or path.is_dir()


def is_file_argument(text: str) -> bool:
    """True for what names a Python file of derivations rather than a registered derivation.

    >>> is_file_argument("notes/derivations.py"), is_file_argument("kl-nonnegative-3")
    (True, False)
    """
    return text.endswith(".py") or "/" in text or "\\" in text


def document_files(path: str | Path) -> list[Path]:
    """The document itself, or every Markdown and LaTeX file under a folder, sorted."""
    path = Path(path)
    if path.is_dir():
        return sorted(p for p in path.rglob("*") if p.suffix in SUFFIXES and p.is_file())
    return [path]


def write_atomically(path: str | Path, content: str) -> None:
    """Write ``content`` to a temporary file beside ``path``, then rename it over ``path``."""
    target = Path(path)
    temporary = target.with_name(f".{target.name}.tmp")
    try:
        temporary.write_text(content, encoding="utf-8")
        temporary.replace(target)
    except OSError as exc:
        temporary.unlink(missing_ok=True)
        raise InputError(f"cannot write {path}: {exc.strerror}") from None
