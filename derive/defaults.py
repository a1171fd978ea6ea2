"""The defaults of a check, importable without loading SymPy (the command line
reads them before it knows whether it needs the engine).

>>> DEFAULT_BUDGET, DEFAULT_SEED
(10.0, 0)
"""

DEFAULT_BUDGET = 10.0
"""Seconds of wall clock per claim."""

DEFAULT_SEED = 0

DOCS_BUDGET = 60.0
"""Generated docs are committed: a slow machine must not change a verdict."""
