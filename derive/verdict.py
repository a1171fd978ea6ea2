"""Verdicts: four-valued, with the method that settled them and the evidence.

>>> v = Verdict(Status.TESTED, "numeric", seed=0, claim="x = x", samples=10000,
...             worst_residual=0.0, detail="10000 points agree")
>>> v.holds, str(v)
(True, 'tested: x = x [numeric, seed 0] 10000 points agree')
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field


class Status(enum.Enum):
    """``proved`` and ``tested`` hold; ``refuted`` fails; ``undecided`` is neither."""

    PROVED = "proved"
    TESTED = "tested"
    REFUTED = "refuted"
    UNDECIDED = "undecided"


@dataclass(frozen=True)
class Counterexample:
    """A point of the domain where the claim fails, confirmed in high precision.

    ``point`` maps each variable to its exact value (a rational, as text);
    ``lhs``/``rhs`` are both sides there, to 15 significant digits.
    """

    point: tuple[tuple[str, str], ...]
    lhs: str
    rhs: str
    digits: int = 50

    def as_dict(self) -> dict[str, str]:
        return dict(self.point)

    def __str__(self) -> str:
        where = ", ".join(f"{k} = {v}" for k, v in self.point) or "every point"
        return f"at {where}: lhs = {self.lhs}, rhs = {self.rhs}"


@dataclass(frozen=True)
class Diagnosis:
    r"""Why a refuted claim fails: a ``kind`` (constant factor, length factor, constant
    offset, direction, one term, missing assumption), a sentence, the corrected claim that
    was checked, that check's status (``proved`` or ``tested``), and the sentence
    as LaTeX prose for documents (each formula as ``$...$``).

    >>> d = Diagnosis("missing assumption", "missing assumption: it holds for x > 0", "x = x", "proved",
    ...               "missing assumption: it holds for $x > 0$")
    >>> d.as_json()["latex"]
    'missing assumption: it holds for $x > 0$'
    """

    kind: str
    sentence: str
    claim: str
    status: str
    latex: str = ""

    def as_json(self) -> dict[str, str]:
        return {
            "kind": self.kind,
            "sentence": self.sentence,
            "claim": self.claim,
            "status": self.status,
            "latex": self.latex,
        }


@dataclass(frozen=True)
class Verdict:
    """The outcome of checking one claim.

    ``samples`` counts the valid numeric sample points (both sides finite and,
    for order relations, real); ``worst_residual`` is the largest float64
    relative residual among them (for ``=``) or the largest violation (orders).
    ``steps`` records the intermediate results that settled it, for ``why()``.
    """

    status: Status
    method: str
    seed: int
    claim: str = ""
    detail: str = ""
    counterexample: Counterexample | None = None
    samples: int = 0
    worst_residual: float | None = None
    steps: tuple[str, ...] = field(default=(), compare=False)
    diagnosis: Diagnosis | None = None

    @property
    def holds(self) -> bool:
        return self.status in (Status.PROVED, Status.TESTED)

    def why(self) -> str:
        """The method and the intermediate results that settled the verdict."""
        lines = [f"{self.status.value} by {self.method}: {self.detail}"]
        lines += [f"  - {s}" for s in self.steps]
        if self.counterexample is not None:
            lines.append(f"  counterexample {self.counterexample}")
        return "\n".join(lines)

    def as_json(self) -> dict[str, object]:
        """The JSON contract of DESIGN.md, plus evidence fields."""
        ce = self.counterexample
        return {
            "claim": self.claim,
            "status": self.status.value,
            "method": self.method,
            "seed": self.seed,
            "counterexample": ce.as_dict() if ce else None,
            "detail": self.detail,
            "values": {"lhs": ce.lhs, "rhs": ce.rhs} if ce else None,
            "samples": self.samples,
            "worst_residual": _fmt(self.worst_residual),
            "diagnosis": self.diagnosis.as_json() if self.diagnosis else None,
        }

    def __repr__(self) -> str:
        where = f" at {dict(self.counterexample.point)}" if self.counterexample else ""
        return f"<Verdict {self.status.value} by {self.method}{where}>"

    def _repr_latex_(self) -> str:
        from derive.proofs import verdict_summary

        return verdict_summary(self)

    def __str__(self) -> str:
        text = f"{self.status.value}: {self.claim} [{self.method}, seed {self.seed}] {self.detail}"
        if self.counterexample is not None:
            text += f"\n  counterexample {self.counterexample}"
        if self.status is Status.REFUTED:
            text += f"\n  diagnosis: {self.diagnosis.sentence if self.diagnosis else 'no simple diagnosis'}"
        return text.rstrip()


def _fmt(value: float | None) -> str | None:
    return None if value is None else f"{value:.3e}"
