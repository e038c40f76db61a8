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
from ..model.results import Cause, Culprit, Outcome, Status, Transition, Verdict
from ..model.vocab import Measures
from ..words import Text
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


class _Deciding:
    """Per indicator of a scored set: the deciding check's measure, operator and threshold,
    for any commune (thresholds looked up per (region, year) group, once)."""

    def __init__(self, scores: SetScores) -> None:
        self.scores = scores
        plan = scores.plan
        self.cells = [plan.cells(region, year) for region, year in scores.groups]

    def __call__(self, k: int, i: int) -> tuple[str, str, object]:
        scores = self.scores
        p = scores.plan.indicators[k]
        decider = int(scores.decider[k, i])
        if decider == CONDITION and p.condition is not None:
            return p.condition.measure, p.condition.operator, p.condition.value
        check = p.checks[decider]
        cell = self.cells[int(scores.group[i])][check].cell
        spec = scores.plan.checks[check]
        return spec.measure, spec.operator, cell.value if cell is not None else None


class _Observed:
    """Observed values and units by measure, read once per measure for many communes."""

    def __init__(self, scores: SetScores, measures: Measures) -> None:
        self.columns, self.measures = scores.columns, measures
        self.values: dict[str, list[Any]] = {}
        self.units: dict[str, Text] = {}

    def value(self, measure: str, i: int) -> Any:
        found = self.values.get(measure)
        if found is None:
            numbers = self.columns.value(measure).tolist()
            kind = self.measures.get(measure)
            if kind is not None and kind.type == "boolean":
                found = [None if x != x else x == 1.0 for x in numbers]
            else:
                found = [None if x != x else x for x in numbers]
            self.values[measure] = found
        return found[i]

    def unit(self, measure: str) -> Text:
        found = self.units.get(measure)
        if found is None:
            found = self.units[measure] = unit_of(self.measures, measure)
        return found


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


def culprits_of(
    old: SetScores, new: SetScores, indices: Sequence[int], measures: Measures
) -> dict[int, tuple[Culprit, ...]]:
    """The culprits of the communes at `indices` (see the module docstring), column by column:
    criteria first in the set's order, recognition conditions after."""
    picked = np.asarray(indices, dtype=np.intp)
    found: dict[int, list[Culprit]] = {int(i): [] for i in picked}
    if not len(picked):
        return {}
    failing_only = new.verdict[picked] == V_NOT_CERTIFIED
    old_index = _old_index(old.plan, new.plan)
    deciding_new, deciding_old = _Deciding(new), _Deciding(old)
    observed = _Observed(new, measures)
    order = [p for p in new.plan.indicators if not p.recognition]
    order += [p for p in new.plan.indicators if p.recognition]
    criteria_ids = [c.id for c in new.criteria_set.criteria]
    for p in order:
        codes = new.status[p.index, picked]
        wanted = (codes != PASS) & (codes != NA) & (~failing_only | (codes == FAIL))
        hits = np.flatnonzero(wanted)
        if not len(hits):
            continue
        before = None if p.recognition else old_index.get(p.index)
        where = picked[hits]
        statuses = codes[hits].tolist()
        flags = new.verified[p.index, where].tolist()
        old_statuses = old.status[before, where].tolist() if before is not None else []
        criterion = "recognition" if p.recognition else criteria_ids[p.criterion]
        from_id = old.plan.indicators[before].id if before is not None else ""
        doubt = bool(p.indicator.doubt)
        for n, i in enumerate(where.tolist()):
            status = STATUS[statuses[n]]
            measure, operator, threshold = deciding_new(p.index, i)
            cause = Cause.RECOGNITION
            if not p.recognition:
                passed = before is not None and old_statuses[n] == PASS
                cause = culprit_cause(status, before is not None, passed)
            flag = flags[n]
            found[i].append(
                Culprit(
                    criterion,
                    p.id,
                    measure,
                    status,
                    cause,
                    observed.value(measure, i),
                    deciding_old(before, i)[2] if before is not None else None,
                    threshold,
                    None if flag < 0 else bool(flag),
                    doubt,
                    operator,
                    observed.unit(measure),
                    from_id,
                )
            )
    return {i: tuple(items) for i, items in found.items()}


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
    "culprits_of",
    "definite_failure",
    "outcome",
    "outcomes",
    "recorded",
    "transition",
]
