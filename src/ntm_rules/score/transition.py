"""Old set -> new set, over kernel output: one copy for a commune and for a province.

A recognition under the old set recorded in the commune file is a legal fact: it stands for
"certified" under the old set whatever re-scoring today's figures against it would give
(``from_basis: recorded_recognition``). The culprits are the indicators that stand between the
commune and certification under the new set: when the new verdict is "not certified", what
fails; when it is undecided, the missing data and unknown thresholds that leave it undecided.
A culprit's cause compares it with the old set's indicator that reads the same measure.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from ..model.commune import Commune
from ..model.criteria import CriteriaSet
from ..model.status import Outcome, Verdict
from ..model.transitions import Culprit, Transition
from ..model.vocab import Measures
from .culprits import CulpritTable, culprit_cause, culprit_table
from .kernel import (
    FAIL,
    V_CERTIFIED,
    V_INDETERMINATE,
    V_NOT_CERTIFIED,
    VERDICT,
    Int8,
    SetScores,
)

# outcome of (before, after) verdict codes
_OUTCOME = {
    (V_CERTIFIED, V_CERTIFIED): Outcome.KEPT,
    (V_CERTIFIED, V_NOT_CERTIFIED): Outcome.LOST,
    (V_NOT_CERTIFIED, V_CERTIFIED): Outcome.GAINED,
    (V_NOT_CERTIFIED, V_NOT_CERTIFIED): Outcome.NEVER,
}


def recorded(commune: Commune, old: CriteriaSet) -> bool:
    """The commune file records a recognition under `old` (or the set it overlays) at its tier."""
    rec = commune.recognized
    return rec is not None and rec.set in (old.id, old.base_id) and rec.tier == old.tier


def before_verdicts(old: SetScores) -> Int8:
    """The old standing of every commune: certified where a recognition is recorded."""
    cset = old.criteria_set
    held = np.fromiter((recorded(c, cset) for c in old.columns.communes), dtype=bool, count=old.n)
    return np.where(held, V_CERTIFIED, old.verdict).astype(np.int8)


def outcome(before: int, after: int) -> Outcome:
    return _OUTCOME.get((before, after), Outcome.INDETERMINATE)


def outcomes(old: SetScores, new: SetScores, before: Int8 | None = None) -> list[Outcome]:
    """The outcome of every commune, in input order (`before`: :func:`before_verdicts`, when
    already worked out)."""
    standing = before_verdicts(old) if before is None else before
    pairs = zip(standing.tolist(), new.verdict.tolist(), strict=True)
    return [_OUTCOME.get(pair, Outcome.INDETERMINATE) for pair in pairs]


def culprits_of(
    old: SetScores, new: SetScores, indices: Sequence[int], measures: Measures
) -> dict[int, tuple[Culprit, ...]]:
    """The culprits of the communes at `indices` (see the module docstring): criteria first
    in the set's order, recognition conditions after."""
    table = culprit_table(old, new, indices, measures)
    return {int(i): table.culprits(int(i)) for i in indices}


def culprits(old: SetScores, new: SetScores, i: int, measures: Measures) -> tuple[Culprit, ...]:
    """The culprits of commune `i`."""
    return culprits_of(old, new, [i], measures)[i]


def definite_failure(scores: SetScores, i: int) -> bool:
    """Something fails on a verified threshold of an indicator not in doubt."""
    for p in scores.plan.indicators:
        k = p.index
        decided = int(scores.status[k, i]) == FAIL and int(scores.verified[k, i]) == 1
        if decided and not p.indicator.doubt:
            return True
    return False


def lost_provisional(definite: bool, held: bool, old_provisional: bool) -> bool:
    """A lost certification is provisional unless a culprit fails definitely (a verified
    threshold, an indicator not in doubt) and, when the old status is evaluated rather than
    recorded, the old verdict is not provisional itself."""
    return not definite or (not held and old_provisional)


def lost_entries(
    old: SetScores, indices: Sequence[int], table: CulpritTable
) -> list[dict[str, Any]]:
    """The JSON of the lost certifications of the communes at `indices` (their culprits in
    `table`): field for field what :func:`transition` gives (tested), without a Culprit object
    per cell."""
    old_set, communes = old.criteria_set, old.columns.communes
    words = {code: str(word) for code, word in VERDICT.items()}
    evaluated = old.verdict.tolist()
    old_provisional = old.provisional.tolist()
    out = []
    for i in indices:
        c = communes[i]
        held = recorded(c, old_set)
        out.append(
            {
                "commune": c.name,
                "code": c.code,
                "district": c.district,
                "province": c.province,
                "source": c.source.to_dict() if c.source else None,
                "provisional": lost_provisional(table.definite(i), held, old_provisional[i]),
                "from_basis": "recorded_recognition" if held else "evaluated",
                "recorded": c.recognized.to_dict() if held and c.recognized else None,
                "from_evaluated": words[evaluated[i]],
                "culprits": table.dicts(i),
            }
        )
    return out


def lost_provisional_count(old: SetScores, indices: Sequence[int], table: CulpritTable) -> int:
    """How many of :func:`lost_entries` are provisional, without making them."""
    old_set, communes = old.criteria_set, old.columns.communes
    old_provisional = old.provisional.tolist()
    return sum(
        lost_provisional(table.definite(i), recorded(communes[i], old_set), old_provisional[i])
        for i in indices
    )


def transition(
    old: SetScores,
    new: SetScores,
    i: int,
    measures: Measures,
    found: tuple[Culprit, ...] | None = None,
) -> Transition:
    """Commune `i`'s standing under `old` and `new`; `provisional` when the outcome rests on
    unverified values or doubtful indicators. `found`: its culprits, when already known."""
    commune = old.columns.communes[i]
    held = recorded(commune, old.criteria_set)
    evaluated = int(old.verdict[i])
    before = V_CERTIFIED if held else evaluated
    after = int(new.verdict[i])
    result = outcome(before, after)
    if result == Outcome.KEPT:
        found = ()
    elif found is None:
        found = culprits(old, new, i, measures)
    old_side = not held
    definite: Callable[[], bool] = lambda: any(c.definite for c in found)  # noqa: E731
    if result == Outcome.LOST:
        provisional = lost_provisional(definite(), held, bool(old.provisional[i]))
    elif result == Outcome.NEVER:
        provisional = not definite() or (old_side and not definite_failure(old, i))
    elif result == Outcome.KEPT:
        provisional = bool(new.provisional[i]) or (old_side and bool(old.provisional[i]))
    elif result == Outcome.GAINED:
        provisional = bool(new.provisional[i]) or (old_side and not definite_failure(old, i))
    else:
        provisional = False
    return Transition(
        old.criteria_set.id,
        new.criteria_set.id,
        result,
        VERDICT[before],
        VERDICT[after],
        "recorded_recognition" if held else "evaluated",
        found,
        provisional,
        commune.recognized if held else None,
        VERDICT[evaluated],
    )


__all__ = [
    "V_INDETERMINATE",
    "Verdict",
    "before_verdicts",
    "culprit_cause",
    "culprit_table",
    "culprits",
    "culprits_of",
    "definite_failure",
    "lost_entries",
    "lost_provisional",
    "outcome",
    "outcomes",
    "recorded",
    "transition",
]
