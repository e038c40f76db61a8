"""What an indeterminate commune needs to be certified: every undecided indicator, read off an
already decided :class:`~ntm_rules.model.results.Evaluation` (nothing here decides).

A commune with no failing criterion is certified exactly when every requirement holds:

- ``threshold``: the threshold is unknown, the value is known; it passes if the threshold is
  on the commune's side of its value (the break-even: "passes if the threshold is at most 44.8");
- ``data``: the value is missing and the threshold is known: the value must reach it;
- ``data_and_threshold``: both are missing;
- ``condition``: whether the indicator applies is unknown (its condition's data is missing);
- ``prerequisite``: a lower tier the set presupposes is itself undecided.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ..words import Text
from .results import CheckResult, Evaluation, IndicatorResult, Status, Verdict, num


@dataclass(frozen=True)
class Requirement:
    kind: str
    criterion: str  # a criterion id, "recognition" or "prerequisite"
    indicator: str  # an indicator id, or the presupposed set's id
    measure: str = ""
    operator: str = ""  # the break-even side for ``threshold``, the check's operator otherwise
    value: Any = None  # the break-even value (``threshold``) or the commune's value
    threshold: Any = None  # the known threshold (``data``)
    unit: Text = field(default_factory=lambda: Text("", ""))
    region: str = ""
    year: int | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "criterion": self.criterion,
            "indicator": self.indicator,
            "measure": self.measure,
            "operator": self.operator,
            "value": num(self.value),
            "threshold": num(self.threshold),
            "unit": self.unit.to_dict(),
            "region": self.region,
            "year": self.year,
        }


def _of_check(criterion: str, ind_id: str, check: CheckResult, region: str) -> Requirement | None:
    def req(kind: str, operator: str, value: Any = None, threshold: Any = None) -> Requirement:
        return Requirement(
            kind,
            criterion,
            ind_id,
            check.measure,
            operator,
            value,
            threshold,
            check.unit,
            region,
            check.year_used,
        )

    if check.basis == "applies_if" and check.status == Status.MISSING:
        return req("condition", check.operator)
    if check.status == Status.UNKNOWN:
        even = check.break_even
        if even is None:
            return req("data_and_threshold", check.operator)
        return req("threshold", even["operator"], even["value"])
    if check.status == Status.MISSING:
        kind = "data" if check.threshold is not None else "data_and_threshold"
        return req(kind, check.operator, threshold=check.threshold)
    return None


def _of_indicator(criterion: str, ind: IndicatorResult, region: str) -> list[Requirement]:
    found = (_of_check(criterion, ind.id, check, region) for check in ind.checks)
    return [r for r in found if r is not None]


def requirements(ev: Evaluation) -> tuple[Requirement, ...]:
    """Every requirement of an indeterminate evaluation (none for a decided one)."""
    if ev.verdict != Verdict.INDETERMINATE:
        return ()
    out: list[Requirement] = []
    undecided = (Status.MISSING, Status.UNKNOWN)
    for crit in ev.criteria:
        for ind in crit.indicators:
            if ind.status in undecided:
                out += _of_indicator(crit.id, ind, ev.region_applied)
    for cond in ev.recognition.conditions:
        if cond.status in undecided:
            out += _of_indicator("recognition", cond, ev.region_applied)
    for set_id, verdict in ev.prerequisites:
        if verdict == Verdict.INDETERMINATE:
            out.append(Requirement("prerequisite", "prerequisite", set_id))
    return tuple(out)
