"""Communes within reach of the standard: the list a province chooses next year's
registrations from (re-exported by :mod:`ntm_rules.model.plan`)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ..words import Text, t
from .status import Verdict

WITHIN_ORDER_RULE = "plan_within_order_rule"  # word key of the ordering rule, stated in the list


@dataclass(frozen=True)
class ReachRow:
    """One commune within reach: failing and undecided indicators (recognition conditions
    included) under one set."""

    index: int  # position in the input
    name: str
    set_id: str
    verdict: Verdict
    failing: int
    criteria_failing: int
    undecided: int
    criteria_met: int
    criteria_total: int
    code: str = ""
    district: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {
            "index": self.index,
            "commune": self.name,
            "code": self.code,
            "district": self.district,
            "set": self.set_id,
            "verdict": str(self.verdict),
            "failing": self.failing,
            "criteria_failing": self.criteria_failing,
            "undecided": self.undecided,
            "criteria_met": self.criteria_met,
            "criteria_total": self.criteria_total,
        }


@dataclass(frozen=True)
class WithinReach:
    """The communes not certified with at most `within` failing indicators, in the order of
    :data:`WITHIN_ORDER_RULE`: the list a province chooses next year's registrations from."""

    within: int
    rows: tuple[ReachRow, ...]

    def to_dict(self) -> dict[str, Any]:
        return {
            "within": self.within,
            "order": Text(t(WITHIN_ORDER_RULE, "vi"), t(WITHIN_ORDER_RULE, "en")).to_dict(),
            "count": len(self.rows),
            "communes": [r.to_dict() for r in self.rows],
        }
