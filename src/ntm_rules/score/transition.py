"""Old set -> new set, over kernel output: one copy for a commune and for a province.

A recognition under the old set recorded in the commune file is a legal fact: it stands for
"certified" under the old set whatever re-scoring today's figures against it would give
(``from_basis: recorded_recognition``). The culprits are the indicators that stand between the
commune and certification under the new set: when the new verdict is "not certified", what
fails; when it is undecided, the missing data and unknown thresholds that leave it undecided.
A culprit's cause compares it with the old set's indicator that reads the same measure.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from ..model.commune import Commune
from ..model.criteria import CriteriaSet
from ..model.results import Cause, Culprit, Outcome, Status, Transition, Verdict
from ..model.vocab import Measures
from .explain import unit_of
from .kernel import (
    CONDITION,
    FAIL,
    NA,
    PASS,
    STATUS,
    V_CERTIFIED,
    V_INDETERMINATE,
    V_NOT_CERTIFIED,
    VERDICT,
    Int8,
    SetScores,
)
from .pairing import pair
from .plan import Plan

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


def outcomes(old: SetScores, new: SetScores) -> list[Outcome]:
    """The outcome of every commune, in input order."""
    before = before_verdicts(old)
    return [outcome(int(b), int(a)) for b, a in zip(before, new.verdict, strict=True)]


def culprit_cause(status: Status, had_old: bool, old_passed: bool) -> Cause:
    """Why an indicator stands between a commune and certification under the new set."""
    if status == Status.MISSING:
        return Cause.MISSING_DATA
    if status == Status.UNKNOWN:
        return Cause.UNKNOWN_THRESHOLD
    if not had_old:
        return Cause.NEW_INDICATOR
    return Cause.TIGHTENED if old_passed else Cause.FAILS


def _deciding(scores: SetScores, k: int, i: int) -> tuple[str, str, object]:
    """(measure, operator, threshold) of indicator `k`'s deciding check for commune `i`."""
    p = scores.plan.indicators[k]
    decider = int(scores.decider[k, i])
    if decider == CONDITION and p.condition is not None:
        return p.condition.measure, p.condition.operator, p.condition.value
    check = p.checks[decider]
    region, year = scores.groups[scores.group[i]]
    cell = scores.plan.cells(region, year)[check].cell
    spec = scores.plan.checks[check]
    return spec.measure, spec.operator, cell.value if cell is not None else None


_PAIRS: dict[tuple[int, int], tuple[CriteriaSet, CriteriaSet, dict[int, int]]] = {}


def _old_index(old: Plan, new: Plan) -> dict[int, int]:
    """New plan indicator -> the old plan indicator it continues (see :mod:`.pairing`)."""
    key = (id(old.criteria_set), id(new.criteria_set))
    hit = _PAIRS.get(key)
    if hit is not None and hit[0] is old.criteria_set and hit[1] is new.criteria_set:
        return hit[2]
    old_pos = {p.id: p.index for p in old.indicators[: old.n_scored]}
    new_pos = {p.id: p.index for p in new.indicators[: new.n_scored]}
    found = {
        new_pos[n.id]: old_pos[o.id]
        for o, n, _how in pair(old.criteria_set, new.criteria_set).pairs
    }
    _PAIRS[key] = (old.criteria_set, new.criteria_set, found)
    return found


def culprits(old: SetScores, new: SetScores, i: int, measures: Measures) -> tuple[Culprit, ...]:
    """The culprits of commune `i` (see the module docstring)."""
    failing_only = int(new.verdict[i]) == V_NOT_CERTIFIED
    plan = new.plan
    old_index = _old_index(old.plan, new.plan)
    commune = new.columns.communes[i]
    out: list[Culprit] = []
    for p in plan.indicators:
        code = int(new.status[p.index, i])
        if code in (PASS, NA) or (failing_only and code != FAIL):
            continue
        status = STATUS[code]
        measure, operator, threshold = _deciding(new, p.index, i)
        flag = int(new.verified[p.index, i])
        criterion, cause, before = "recognition", Cause.RECOGNITION, None
        if not p.recognition:
            criterion = new.criteria_set.criteria[p.criterion].id
            before = old_index.get(p.index)
            cause = culprit_cause(
                status,
                before is not None,
                before is not None and int(old.status[before, i]) == PASS,
            )
        out.append(
            Culprit(
                criterion,
                p.id,
                measure,
                status,
                cause,
                value=commune.value(measure),
                threshold_from=_deciding(old, before, i)[2] if before is not None else None,
                threshold_to=threshold,
                verified=None if flag < 0 else bool(flag),
                doubt=bool(p.indicator.doubt),
                operator=operator,
                unit=unit_of(measures, measure),
                from_indicator=old.plan.indicators[before].id if before is not None else "",
            )
        )
    # criteria first, in the set's order; recognition conditions after
    return tuple(c for c in out if c.criterion != "recognition") + tuple(
        c for c in out if c.criterion == "recognition"
    )


def definite_failure(scores: SetScores, i: int) -> bool:
    """Something fails on a verified threshold of an indicator not in doubt."""
    for p in scores.plan.indicators:
        k = p.index
        decided = int(scores.status[k, i]) == FAIL and int(scores.verified[k, i]) == 1
        if decided and not p.indicator.doubt:
            return True
    return False


def transition(old: SetScores, new: SetScores, i: int, measures: Measures) -> Transition:
    """Commune `i`'s standing under `old` and `new`; `provisional` when the outcome rests on
    unverified values or doubtful indicators."""
    commune = old.columns.communes[i]
    held = recorded(commune, old.criteria_set)
    evaluated = int(old.verdict[i])
    before = V_CERTIFIED if held else evaluated
    after = int(new.verdict[i])
    result = outcome(before, after)
    found = culprits(old, new, i, measures) if result != Outcome.KEPT else ()
    old_side = not held
    definite: Callable[[], bool] = lambda: any(c.definite for c in found)  # noqa: E731
    if result == Outcome.LOST:
        provisional = not definite() or (old_side and bool(old.provisional[i]))
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
    "culprits",
    "definite_failure",
    "outcome",
    "outcomes",
    "recorded",
    "transition",
]
