"""A commune's plan to reach the standard: what to raise, by how much, in which order.

Read off an already decided :class:`~ntm_rules.model.results.Evaluation` (nothing here decides
a status); :func:`communes_within` and :func:`within_reach` list the communes a few failing
indicators away from the standard, from evaluations or straight from the kernel's arrays.

The rules (stated in every plan, :data:`~ntm_rules.model.plan.ORDER_RULE` and
:data:`~ntm_rules.model.plan.STRICT_RULE`):

* one step per failing check of a failing indicator, and per failing recognition condition; an
  indicator failed by a recorded appraisal (its data could not decide it) is one step:
  meet it and have it appraised again;
* the target: ``>=``, ``<=`` and ``==`` the threshold itself; ``>`` / ``<`` one smallest step
  beyond it, 1 for a count (a measure in `whole`: the next whole number), otherwise one unit of
  the threshold's last decimal, at least 0.1 (``> 90`` -> 90.1, ``> 7.25`` -> 7.26);
  ``is true``: make it true;
* the order: criteria (the recognition conditions as one more group) by failing indicators
  ascending, then by their largest relative shortfall ascending, then the set's order; inside a
  group, by relative shortfall ascending, then the set's order. The relative shortfall is
  ``|target - value| / max(|target|, |value|)``; a yes/no step or one without a value counts 1;
* a criterion is closed by its last step: met, or still undecided when some of its indicators
  are (missing data, unknown threshold); the plan reaches the standard only when nothing stays
  undecided, else "if the undecided indicators pass" with the list
  (:attr:`Evaluation.conditions` of the commune once every step is done).
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from ..model.commune import Commune
from ..model.plan import RECOGNITION, Action, CommunePlan, PlanStep, Reach
from ..model.reach import ReachRow, WithinReach
from ..model.requirements import Requirement, requirements
from ..model.results import (
    CheckResult,
    CriterionResult,
    CriterionStatus,
    Evaluation,
    IndicatorResult,
    Status,
    Verdict,
)
from ..model.vocab import Measures
from ..words import Text, t
from .reach import within_reach

__all__ = ["communes_within", "count_measures", "plan_for", "target_of", "within_reach"]

UNDECIDED = (Status.MISSING, Status.UNKNOWN)
_ACTION = {">=": Action.RAISE, ">": Action.RAISE, "<=": Action.LOWER, "<": Action.LOWER}


def count_measures(measures: Measures) -> frozenset[str]:
    """The measures counted in whole units (`whole` of :func:`plan_for`)."""
    return frozenset(key for key, m in measures.items() if m.type == "count")


# --- one step ---------------------------------------------------------------------------------


def _decimals(value: float) -> int:
    exponent = Decimal(str(value)).normalize().as_tuple().exponent
    return -exponent if isinstance(exponent, int) and exponent < 0 else 0


def _beyond(operator: str, threshold: float, whole: bool) -> float:
    """The smallest value strictly beyond `threshold` on the passing side (``>`` or ``<``)."""
    if whole:
        return math.floor(threshold) + 1 if operator == ">" else math.ceil(threshold) - 1
    digits = max(1, _decimals(threshold))
    step = 10.0**-digits
    return round(threshold + step if operator == ">" else threshold - step, digits)


def _number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def target_of(check: CheckResult, whole: Collection[str] = ()) -> Any:
    """The value that passes `check` with the least change (see the module's rules); None when
    the threshold is unknown."""
    if check.operator == "is true":
        return True
    threshold = check.threshold
    if threshold is None:
        return None
    if check.operator in (">", "<") and _number(threshold):
        return _beyond(check.operator, float(threshold), check.measure in whole)
    return threshold


def _shortfall(value: Any, target: Any) -> tuple[float | None, float]:
    """(change, relative shortfall) from `value` to `target`."""
    if not (_number(value) and _number(target)):
        return None, 1.0
    change = round(float(target) - float(value), 9) + 0.0
    scale = max(abs(float(target)), abs(float(value)))
    return change, (abs(change) / scale if scale else 0.0)


@dataclass(frozen=True)
class _Group:
    """The failing indicators of one criterion (or of the recognition conditions)."""

    position: int
    criterion: str
    name: Text
    failing: tuple[IndicatorResult, ...]


def _step(
    group: _Group, ind: IndicatorResult, check: CheckResult, whole: Collection[str]
) -> PlanStep:
    if ind.appraised:
        action = Action.REAPPRAISE
    elif check.operator == "is true":
        action = Action.ACHIEVE
    else:
        action = _ACTION.get(check.operator, Action.SET)
    target = target_of(check, whole)
    change, shortfall = _shortfall(check.value, target)
    return PlanStep(
        rank=0,
        criterion=group.criterion,
        criterion_name=group.name,
        indicator=ind.id,
        indicator_text=ind.text,
        measure=check.measure,
        action=action,
        value=check.value,
        operator=check.operator,
        threshold=check.threshold,
        target=target,
        change=change,
        shortfall=shortfall,
        unit=check.unit,
        verified=check.verified,
    )


def _steps_of(group: _Group, whole: Collection[str]) -> list[PlanStep]:
    """The group's steps, smallest relative shortfall first (then the set's order)."""
    found: list[PlanStep] = []
    for ind in group.failing:
        if ind.appraised:
            found.append(_step(group, ind, ind.primary, whole))
            continue
        found += [_step(group, ind, c, whole) for c in ind.checks if c.status == Status.FAIL]
    order = {id(s): k for k, s in enumerate(found)}
    return sorted(found, key=lambda s: (s.shortfall, order[id(s)]))


# --- the commune once every step is done ------------------------------------------------------


def _fixed(ind: IndicatorResult) -> IndicatorResult:
    """The indicator with its failing checks passed (an appraised failure passed whole)."""
    if ind.status != Status.FAIL:
        return ind
    if ind.appraised:
        return dataclasses.replace(ind, status=Status.PASS)
    checks = tuple(
        dataclasses.replace(c, status=Status.PASS) if c.status == Status.FAIL else c
        for c in ind.checks
    )
    statuses = [c.status for c in checks]
    for worst in (Status.MISSING, Status.UNKNOWN):  # the kernel's order, worst first
        if worst in statuses:
            return dataclasses.replace(
                ind, status=worst, checks=checks, primary_index=statuses.index(worst)
            )
    return dataclasses.replace(ind, status=Status.PASS, checks=checks, primary_index=0)


def _criterion_after(crit: CriterionResult) -> CriterionResult:
    indicators = tuple(_fixed(i) for i in crit.indicators)
    statuses = {i.status for i in indicators} - {Status.NOT_APPLICABLE}
    if not statuses:
        status = CriterionStatus.NOT_APPLICABLE
    elif statuses & set(UNDECIDED):
        status = CriterionStatus.INDETERMINATE
    else:
        status = CriterionStatus.PASS
    return dataclasses.replace(crit, status=status, indicators=indicators)


def _after(ev: Evaluation) -> Evaluation:
    """`ev` with every failing check passed: what stays undecided is what the plan leaves."""
    conditions = tuple(_fixed(c) for c in ev.recognition.conditions)
    return dataclasses.replace(
        ev,
        verdict=Verdict.INDETERMINATE,  # so that requirements() lists what is undecided
        criteria=tuple(_criterion_after(c) for c in ev.criteria),
        recognition=dataclasses.replace(ev.recognition, conditions=conditions),
    )


# --- the plan ---------------------------------------------------------------------------------


def _groups(ev: Evaluation) -> list[_Group]:
    out = [
        _Group(k, c.id, c.name, tuple(i for i in c.indicators if i.status == Status.FAIL))
        for k, c in enumerate(ev.criteria)
    ]
    name = Text(t("plan_recognition", "vi"), t("plan_recognition", "en"))
    conditions = tuple(c for c in ev.recognition.conditions if c.status == Status.FAIL)
    out.append(_Group(len(out), RECOGNITION, name, conditions))
    return [g for g in out if g.failing]


def _ranked(ev: Evaluation, after: Evaluation, whole: Collection[str]) -> tuple[PlanStep, ...]:
    """Every step, ranked, each group's last step closing it; cumulative criteria met."""
    drafted = [(g, _steps_of(g, whole)) for g in _groups(ev)]
    # fewest failing indicators first, then the smallest largest shortfall, then the set's order
    drafted.sort(key=lambda d: (len(d[0].failing), max(s.shortfall for s in d[1]), d[0].position))
    closed_as = {c.id: c.status for c in after.criteria}
    closed_as[RECOGNITION] = (
        CriterionStatus.INDETERMINATE
        if any(c.status in UNDECIDED for c in after.recognition.conditions)
        else CriterionStatus.PASS
    )
    out: list[PlanStep] = []
    met = ev.criteria_met
    for group, steps in drafted:
        for k, step in enumerate(steps):
            closes = group.criterion if k == len(steps) - 1 else ""
            status = closed_as[group.criterion] if closes else None
            if status == CriterionStatus.PASS and closes != RECOGNITION:
                met += 1
            out.append(
                dataclasses.replace(
                    step,
                    rank=len(out) + 1,
                    closes=closes,
                    closed_as=str(status) if status is not None else "",
                    criteria_met=met,
                )
            )
    return tuple(out)


def plan_for(evaluation: Evaluation, *, whole: Collection[str] = ()) -> CommunePlan:
    """The plan of one commune under one set (pure: reads `evaluation` only). `whole`: the
    measures counted in whole units (:func:`count_measures`), for ``>`` / ``<`` targets."""
    ev = evaluation
    blocked = tuple(s for s, v in ev.prerequisites if v == Verdict.NOT_CERTIFIED)
    if ev.verdict == Verdict.CERTIFIED:
        steps: tuple[PlanStep, ...] = ()
        undecided: tuple[Requirement, ...] = ()
    else:
        after = _after(ev)
        steps = _ranked(ev, after, whole)
        undecided = ev.conditions if ev.verdict == Verdict.INDETERMINATE else requirements(after)
    if ev.verdict == Verdict.CERTIFIED:
        reach = Reach.CERTIFIED
    elif blocked:
        reach = Reach.NEEDS_PREREQUISITE
    elif undecided:
        reach = Reach.IF_UNDECIDED_PASS
    else:
        reach = Reach.REACHES
    return CommunePlan(
        set_id=ev.set_id,
        tier=ev.tier,
        region_applied=ev.region_applied,
        year=ev.year,
        verdict=ev.verdict,
        criteria_met=ev.criteria_met,
        criteria_total=ev.criteria_total,
        steps=steps,
        undecided=undecided,
        prerequisites=blocked,
        reach=reach,
    )


# --- communes within reach --------------------------------------------------------------------


def _sorted(within: int, rows: list[ReachRow]) -> WithinReach:
    kept = [r for r in rows if r.verdict != Verdict.CERTIFIED and r.failing <= within]
    kept.sort(key=lambda r: (r.failing, r.undecided, r.index))
    return WithinReach(within, tuple(kept))


def _row(index: int, commune: Commune | None, ev: Evaluation) -> ReachRow:
    indicators = [*ev.indicators(), *ev.recognition.conditions]
    return ReachRow(
        index=index,
        name=commune.name if commune is not None else "",
        set_id=ev.set_id,
        verdict=ev.verdict,
        failing=sum(1 for i in indicators if i.status == Status.FAIL),
        criteria_failing=sum(1 for c in ev.criteria if c.status == CriterionStatus.FAIL),
        undecided=sum(1 for i in indicators if i.status in UNDECIDED),
        criteria_met=ev.criteria_met,
        criteria_total=ev.criteria_total,
        code=commune.code if commune is not None else "",
        district=commune.district if commune is not None else "",
    )


def communes_within(
    evaluations: Sequence[Evaluation], within: int, communes: Sequence[Commune] = ()
) -> WithinReach:
    """The communes not certified with at most `within` failing indicators (recognition
    conditions included), fewest first (then fewest undecided, then input order). `communes`:
    the evaluated communes, in the order of `evaluations` (for their names)."""
    rows = [
        _row(k, communes[k] if k < len(communes) else None, ev) for k, ev in enumerate(evaluations)
    ]
    return _sorted(within, rows)
