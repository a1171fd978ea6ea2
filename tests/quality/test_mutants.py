"""The mutation suite (bench/mutants.py): every mutant of every step that holds
states something false, so none may be proved or tested; the unmutated steps are the
acceptance side (tests/test_article.py)."""

from __future__ import annotations

import pytest

from bench.mutants import Mutant, all_mutants
from derive.engine import check
from derive.verdict import Status

MUTANTS = all_mutants()
BY_DERIVATION: dict[str, list[Mutant]] = {}
for _m in MUTANTS:
    BY_DERIVATION.setdefault(_m.derivation, []).append(_m)


def test_enough_mutants_of_every_kind() -> None:
    assert len(MUTANTS) >= 200
    kinds = {m.kind.split()[0] for m in MUTANTS}
    assert kinds >= {"flip", "drop", "swap", "factor", "times", "add", "exchange"}


@pytest.mark.slow
@pytest.mark.parametrize("name", sorted(BY_DERIVATION))
def test_no_mutant_holds(name: str) -> None:
    survivors = []
    for mutant in BY_DERIVATION[name]:
        verdict = check(mutant.claim, budget=10, diagnose=False)
        if verdict.status in (Status.PROVED, Status.TESTED):
            survivors.append(f"{mutant.label}: {verdict.status.value} by {verdict.method}")
    assert not survivors, survivors
