"""derive: verify mathematical derivations step by step.

>>> from derive import check, parse_claim
>>> check(parse_claim("sigmoid(-z) == 1 - sigmoid(z)")).status.value
'proved'
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from derive.claim import (
        Claim,
        DataSet,
        Domain,
        Interval,
        Relation,
        Simplex,
        integers,
        interval,
        positive,
        reals,
    )
    from derive.definitions import Defined, Definition, define
    from derive.derivation import (
        Derivation,
        DerivationResult,
        Step,
        StepResult,
        check_derivation,
        check_many,
        eq,
        ge,
        gt,
        le,
        lt,
        same_argmax,
    )
    from derive.engine import check
    from derive.errors import DeriveError, DomainError, InputError, ParseError, SoundnessError
    from derive.functions import sigmoid
    from derive.latex_reader import parse_latex, parse_latex_claim
    from derive.lemmas import AMGM, CauchySchwarz, ExpBound, Gibbs, LogBound, LogJensen, LogSum
    from derive.parsing import parse_assumption, parse_claim, parse_expr_text
    from derive.registry import derivations, get, register
    from derive.rules import Algebra, Differentiation, Jensen, Monotone, Scaling, Termwise, log_increasing
    from derive.verdict import Counterexample, Status, Verdict
    from derive.writing import as_written, evaluated, written

__version__ = "0.1.0"

_EXPORTS = {
    "AMGM": "derive.lemmas",
    "CauchySchwarz": "derive.lemmas",
    "ExpBound": "derive.lemmas",
    "Gibbs": "derive.lemmas",
    "LogBound": "derive.lemmas",
    "LogJensen": "derive.lemmas",
    "LogSum": "derive.lemmas",
    "Termwise": "derive.rules",
    "Defined": "derive.definitions",
    "Definition": "derive.definitions",
    "define": "derive.definitions",
    "Algebra": "derive.rules",
    "check": "derive.engine",
    "check_derivation": "derive.derivation",
    "check_many": "derive.derivation",
    "Claim": "derive.claim",
    "Counterexample": "derive.verdict",
    "DataSet": "derive.claim",
    "Derivation": "derive.derivation",
    "DerivationResult": "derive.derivation",
    "derivations": "derive.registry",
    "DeriveError": "derive.errors",
    "Differentiation": "derive.rules",
    "Domain": "derive.claim",
    "DomainError": "derive.errors",
    "eq": "derive.derivation",
    "ge": "derive.derivation",
    "get": "derive.registry",
    "gt": "derive.derivation",
    "InputError": "derive.errors",
    "integers": "derive.claim",
    "Interval": "derive.claim",
    "interval": "derive.claim",
    "Jensen": "derive.rules",
    "le": "derive.derivation",
    "log_increasing": "derive.rules",
    "lt": "derive.derivation",
    "Monotone": "derive.rules",
    "parse_assumption": "derive.parsing",
    "parse_claim": "derive.parsing",
    "parse_expr_text": "derive.parsing",
    "parse_latex": "derive.latex_reader",
    "parse_latex_claim": "derive.latex_reader",
    "ParseError": "derive.errors",
    "positive": "derive.claim",
    "reals": "derive.claim",
    "register": "derive.registry",
    "Relation": "derive.claim",
    "same_argmax": "derive.derivation",
    "Scaling": "derive.rules",
    "sigmoid": "derive.functions",
    "Simplex": "derive.claim",
    "SoundnessError": "derive.errors",
    "Status": "derive.verdict",
    "Step": "derive.derivation",
    "StepResult": "derive.derivation",
    "Verdict": "derive.verdict",
    "as_written": "derive.writing",
    "evaluated": "derive.writing",
    "written": "derive.writing",
}
"""Each public name and the module that holds it: imported on first use, so the
command line can answer from its cache without loading SymPy."""


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'derive' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *_EXPORTS})


__all__ = [
    "AMGM",
    "Algebra",
    "CauchySchwarz",
    "Claim",
    "Counterexample",
    "DataSet",
    "Defined",
    "Definition",
    "Derivation",
    "DerivationResult",
    "DeriveError",
    "Differentiation",
    "Domain",
    "DomainError",
    "ExpBound",
    "Gibbs",
    "InputError",
    "Interval",
    "Jensen",
    "LogBound",
    "LogJensen",
    "LogSum",
    "Monotone",
    "ParseError",
    "Relation",
    "Scaling",
    "Simplex",
    "SoundnessError",
    "Status",
    "Step",
    "StepResult",
    "Termwise",
    "Verdict",
    "as_written",
    "check",
    "check_derivation",
    "check_many",
    "define",
    "derivations",
    "eq",
    "evaluated",
    "ge",
    "get",
    "gt",
    "integers",
    "interval",
    "le",
    "log_increasing",
    "lt",
    "parse_assumption",
    "parse_claim",
    "parse_expr_text",
    "parse_latex",
    "parse_latex_claim",
    "positive",
    "reals",
    "register",
    "same_argmax",
    "sigmoid",
    "written",
]
