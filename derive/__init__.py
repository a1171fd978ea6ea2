"""derive: verify mathematical derivations step by step.

>>> from derive import check, parse_claim
>>> check(parse_claim("sigmoid(-z) == 1 - sigmoid(z)")).status.value
'proved'
"""

from derive.check import check
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
from derive.errors import DeriveError, DomainError, InputError, ParseError, SoundnessError
from derive.functions import sigmoid
from derive.latex_reader import parse_latex, parse_latex_claim
from derive.lemmas import AMGM, CauchySchwarz, ExpBound, Gibbs, LogBound, LogSum
from derive.parsing import parse_assumption, parse_claim, parse_expr_text
from derive.registry import derivations, get, register
from derive.rules import Algebra, Differentiation, Jensen, Monotone, Scaling, Termwise, log_increasing
from derive.verdict import Counterexample, Status, Verdict

__version__ = "0.1.0"

__all__ = [
    "AMGM",
    "Algebra",
    "CauchySchwarz",
    "Claim",
    "Counterexample",
    "DataSet",
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
    "check",
    "check_derivation",
    "check_many",
    "derivations",
    "eq",
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
]
