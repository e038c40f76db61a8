"""A commune's plan to reach the standard of a set, and the communes within reach of it.

A plan is read off an already decided :class:`~ntm_rules.model.results.Evaluation` by
:func:`ntm_rules.score.steps.plan_for`; these are only its frozen types. Each step names the
measure to change, its current value, the target (in the measure's unit) and which criterion it
closes; the steps come in the order stated by :data:`ORDER_RULE`.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from ..words import Text, t
from .requirements import Requirement
from .status import Verdict, num
from .views import CheckRun

RECOGNITION = "recognition"  # the group of the recognition conditions (not a criterion)
ORDER_RULE = "plan_order_rule"  # word keys of the rules, stated in every plan
STRICT_RULE = "plan_strict_rule"


def _text(key: str) -> Text:
    return Text(t(key, "vi"), t(key, "en"))


class Action(StrEnum):
    """What a step asks for."""

    RAISE = "raise"  # >=, >: raise the value to the target
    LOWER = "lower"  # <=, <: lower the value to the target
    SET = "set"  # ==: make the value equal to the target
    ACHIEVE = "achieve"  # is true: make it true
    REAPPRAISE = "reappraise"  # a recorded appraisal found it not met: meet it, appraise again


class Reach(StrEnum):
    """Whether the plan, every step done, reaches the standard."""

    CERTIFIED = "certified"  # already certified: nothing to do
    REACHES = "reaches"  # certified once every step is done
    IF_UNDECIDED_PASS = "if_undecided_pass"  # ... if the undecided indicators pass too
    NEEDS_PREREQUISITE = "needs_prerequisite"  # a set this tier requires is not certified


@dataclass(frozen=True)
class PlanStep:
    """One failing check (or recognition condition) and what closes it.

    `change` is ``target - value`` in the measure's unit (None for yes/no values or no value);
    `shortfall` the relative shortfall ``|target - value| / max(|target|, |value|)``, from 0 to
    1 (a yes/no step, or one without a value, counts 1). `closes` is the criterion (or
    ``recognition``) whose last failure this step removes, `closed_as` what the criterion then
    is (``pass``, or ``indeterminate`` while some of its indicators are undecided), and
    `criteria_met` the criteria met once this step and every earlier one are done.
    """

    rank: int
    criterion: str
    criterion_name: Text
    indicator: str
    indicator_text: Text
    measure: str
    action: Action
    value: Any
    operator: str
    threshold: Any
    target: Any
    change: float | None
    shortfall: float
    unit: Text
    verified: bool | None
    closes: str = ""
    closed_as: str = ""
    criteria_met: int = 0

    def to_dict(self) -> dict[str, Any]:
        return {
            "rank": self.rank,
            "criterion": self.criterion,
            "criterion_name": self.criterion_name.to_dict(),
            "indicator": self.indicator,
            "indicator_text": self.indicator_text.to_dict(),
            "measure": self.measure,
            "action": str(self.action),
            "value": num(self.value),
            "operator": self.operator,
            "threshold": num(self.threshold),
            "target": num(self.target),
            "change": num(self.change),
            "shortfall": round(self.shortfall, 4),
            "unit": self.unit.to_dict(),
            "verified": self.verified,
            "closes": self.closes or None,
            "closed_as": self.closed_as or None,
            "criteria_met": self.criteria_met,
        }


@dataclass(frozen=True)
class CommunePlan:
    """What a commune must raise (or lower, or achieve) to reach the standard of one set.

    `undecided` lists what stays undecided once every step is done (missing data, unknown
    thresholds, undecided prerequisite sets): with any, the plan reaches the standard only if
    they pass. `prerequisites` are the sets this tier requires that are not certified.
    """

    set_id: str
    tier: str
    region_applied: str
    year: int
    verdict: Verdict
    criteria_met: int
    criteria_total: int
    steps: tuple[PlanStep, ...]
    undecided: tuple[Requirement, ...]
    prerequisites: tuple[str, ...]
    reach: Reach

    @property
    def failing(self) -> int:
        """Failing indicators (recognition conditions included) the plan fixes."""
        return len({(s.criterion, s.indicator) for s in self.steps})

    @property
    def criteria_after(self) -> int:
        """Criteria met once every step is done."""
        return self.steps[-1].criteria_met if self.steps else self.criteria_met

    @property
    def closed(self) -> tuple[str, ...]:
        """The criteria (and ``recognition``) the steps close, in plan order."""
        return tuple(s.closes for s in self.steps if s.closes)

    def targets(self) -> dict[str, Any]:
        """Measure -> value once every step is done (a measure read twice keeps the most
        demanding target); steps without a target (re-appraisals) are left out."""
        out: dict[str, Any] = {}
        for s in self.steps:
            if s.target is None:
                continue
            before = out.get(s.measure)
            if before is not None and s.action == Action.RAISE:
                out[s.measure] = max(before, s.target)
            elif before is not None and s.action == Action.LOWER:
                out[s.measure] = min(before, s.target)
            else:
                out[s.measure] = s.target
        return out

    def to_dict(self) -> dict[str, Any]:
        return {
            "set": self.set_id,
            "tier": self.tier,
            "region_applied": self.region_applied,
            "year": self.year,
            "verdict": str(self.verdict),
            "criteria_met": self.criteria_met,
            "criteria_total": self.criteria_total,
            "criteria_after": self.criteria_after,
            "failing": self.failing,
            "reach": str(self.reach),
            "order": _text(ORDER_RULE).to_dict(),
            "strict_rule": _text(STRICT_RULE).to_dict(),
            "steps": [s.to_dict() for s in self.steps],
            "undecided": [r.to_dict() for r in self.undecided],
            "prerequisites": list(self.prerequisites),
        }


@dataclass(frozen=True)
class PlanRun:
    """``check --plan``: the check run and, for each of its reports, one plan per evaluation
    (in the order of the report's evaluations)."""

    run: CheckRun
    plans: tuple[tuple[CommunePlan, ...], ...]

    @property
    def certified(self) -> bool:
        return self.run.certified

    def to_dict(self) -> dict[str, Any]:
        """The check JSON, each report with its ``plans``."""
        out = self.run.to_dict()
        for report, plans in zip(out["reports"], self.plans, strict=True):
            report["plans"] = [p.to_dict() for p in plans]
        return out
