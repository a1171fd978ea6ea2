"""Errors that derive raises, each with the mistake that usually causes it.

>>> from derive.errors import ParseError
>>> str(ParseError("unknown function 'foo'", "foo(x) == x", 0))
"unknown function 'foo' at column 1 in: foo(x) == x"
"""

from __future__ import annotations


class DeriveError(Exception):
    """Base class of every error derive raises on purpose."""


class InputError(DeriveError):
    """The user's input is wrong: a claim, an assumption, a name, a file.

    The CLI prints it as one line and exits with code 2.
    """


class ParseError(InputError):
    """Claim or assumption text that derive does not accept.

    Common causes: a function that is not in the allow-list (see
    ``derive.parsing.FUNCTIONS``), Python syntax other than arithmetic and
    comparisons (attributes, subscripts, strings, lambdas), a number or exponent
    too large to evaluate, or input too long or too deeply nested.
    """

    def __init__(self, message: str, text: str = "", column: int | None = None):
        self.message = message
        self.text = text
        self.column = column
        where = f" at column {column + 1}" if column is not None else ""
        shown = text if len(text) <= 80 else text[:77] + "..."
        suffix = f"{where} in: {shown}" if text else where
        super().__init__(f"{message}{suffix}")


class DomainError(InputError):
    """A domain that is empty or inconsistent (``x > 1`` and ``x < 0``), or a
    variable bound to two domains."""


class DerivationError(InputError):
    """A derivation that cannot be checked as written: relations that go both
    up and down in one chain, an erratum naming a step that does not exist."""


class SoundnessError(DeriveError):
    """The symbolic and numeric stages disagree: SymPy proved a claim for which
    a high-precision counterexample exists. This is a bug in derive or SymPy, or
    a domain mistake; it is never turned into a verdict."""


class DefinitionError(ParseError):
    """A definition with arguments used against its own ``let``: the wrong number of
    arguments, an index it does not take or one it lacks, an expression where a vector
    belongs. A document reports it as an error at its line (exit 2), not as a display it
    cannot read: the author's definition says what is meant."""
