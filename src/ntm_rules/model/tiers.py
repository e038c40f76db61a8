"""What stands between a commune and the next tier (``check --tiers``)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ..words import Text
from .status import Status, Verdict, num


@dataclass(frozen=True)
class GapItem:
    """An indicator not met (or undecided) on the way to a tier."""

    id: str
    measure: str
    status: Status
    value: Any
    operator: str
    threshold: Any
    gap: float | None
    unit: Text
    verified: bool | None

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "measure": self.measure,
            "status": str(self.status),
            "value": num(self.value),
            "operator": self.operator,
            "threshold": num(self.threshold),
            "gap": num(self.gap),
            "unit": self.unit.to_dict(),
            "verified": self.verified,
        }


@dataclass(frozen=True)
class TierGap:
    """A criterion (or "recognition") standing between the commune and the next tier."""

    criterion: str
    name: Text
    status: str
    indicators: tuple[GapItem, ...]

    def to_dict(self) -> dict[str, Any]:
        return {
            "criterion": self.criterion,
            "name": self.name.to_dict(),
            "status": self.status,
            "indicators": [i.to_dict() for i in self.indicators],
        }


@dataclass(frozen=True)
class TierSummary:
    """The highest tier a commune reaches and what stands between it and the next one."""

    highest_tier: str | None  # standard | advanced | model | None
    next_tier: str | None
    next_tier_set: str | None
    next_tier_verdict: Verdict | None
    next_tier_gaps: tuple[TierGap, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {
            "highest_tier": self.highest_tier,
            "next_tier": self.next_tier,
            "next_tier_set": self.next_tier_set,
            "next_tier_verdict": str(self.next_tier_verdict) if self.next_tier_verdict else None,
            "next_tier_gaps": [g.to_dict() for g in self.next_tier_gaps],
        }
