"""Frozen result types of an evaluation, each with a JSON-ready ``to_dict()``."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from ..load.checks import Text
from .criteria import Source


class Status(StrEnum):
    """Outcome of one indicator (or one check)."""

    PASS = "pass"
    FAIL = "fail"
    MISSING = "missing"  # no observed value
    UNKNOWN = "unknown"  # the threshold for this region/year is not encoded
    NOT_APPLICABLE = "not_applicable"


class CriterionStatus(StrEnum):
    PASS = "pass"
    FAIL = "fail"
    INDETERMINATE = "indeterminate"
    NOT_APPLICABLE = "not_applicable"


class Verdict(StrEnum):
    CERTIFIED = "certified"
    NOT_CERTIFIED = "not_certified"
    INDETERMINATE = "indeterminate"


def _num(value: Any) -> Any:
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


@dataclass(frozen=True)
class CheckResult:
    measure: str
    status: Status
    value: Any
    operator: str
    threshold: Any
    gap: float | None
    unit: str
    verified: bool | None
    source: Source | None
    basis: str  # by_region | all_regions | none | before-first-year
    year_used: int | None
    origin: str = ""
    note: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {
            "measure": self.measure,
            "status": str(self.status),
            "value": _num(self.value),
            "operator": self.operator,
            "threshold": _num(self.threshold),
            "gap": _num(self.gap),
            "unit": self.unit,
            "verified": self.verified,
            "source": self.source.to_dict() if self.source else None,
            "threshold_basis": self.basis,
            "threshold_year": self.year_used,
            "origin": self.origin,
            "note": self.note,
        }


@dataclass(frozen=True)
class IndicatorResult:
    id: str
    text: Text
    status: Status
    checks: tuple[CheckResult, ...]
    reason: Text
    doubt: str = ""

    @property
    def primary(self) -> CheckResult:
        """The check that decides the reported value: the first failing, else the first."""
        for wanted in (Status.FAIL, Status.MISSING, Status.UNKNOWN):
            for check in self.checks:
                if check.status == wanted:
                    return check
        return self.checks[0]

    @property
    def verified(self) -> bool | None:
        used = [c.verified for c in self.checks if c.verified is not None]
        return all(used) if used else None

    def to_dict(self) -> dict[str, Any]:
        head = self.primary
        out = {
            "id": self.id,
            "text": self.text.to_dict(),
            "measure": head.measure,
            "status": str(self.status),
            "value": _num(head.value),
            "operator": head.operator,
            "threshold": _num(head.threshold),
            "gap": _num(head.gap),
            "unit": head.unit,
            "verified": self.verified,
            "source": head.source.to_dict() if head.source else None,
            "threshold_basis": head.basis,
            "threshold_year": head.year_used,
            "reason": self.reason.to_dict(),
            "doubt": self.doubt,
        }
        if len(self.checks) > 1:
            out["checks"] = [c.to_dict() for c in self.checks]
        return out


@dataclass(frozen=True)
class CriterionResult:
    id: str
    name: Text
    status: CriterionStatus
    indicators: tuple[IndicatorResult, ...]
    key: bool = False

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "name": self.name.to_dict(),
            "status": str(self.status),
            "key": self.key,
            "indicators": [i.to_dict() for i in self.indicators],
        }


@dataclass(frozen=True)
class RecognitionResult:
    """The recognition conditions beyond the criteria (debt, satisfaction, security...)."""

    status: CriterionStatus
    conditions: tuple[IndicatorResult, ...]
    source: Source | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "status": str(self.status),
            "conditions": [c.to_dict() for c in self.conditions],
            "source": self.source.to_dict() if self.source else None,
        }


@dataclass(frozen=True)
class RevocationResult:
    """Where the commune stands in the revocation frame (Decision 18/2022/QĐ-TTg)."""

    failing: int
    indeterminate: int
    total: int
    key_failing: tuple[str, ...]
    in_frame: bool | None  # None when undecided because some criteria are indeterminate
    case: str  # "a", "b" or ""
    rule: Text
    source: Source | None
    verified: bool
    applies: bool  # the commune holds a recognition at this tier
    provisional: bool = False  # the answer depends on unverified values or doubtful indicators

    def to_dict(self) -> dict[str, Any]:
        return {
            "applies": self.applies,
            "failing": self.failing,
            "indeterminate": self.indeterminate,
            "total": self.total,
            "share_failing": round(self.failing / self.total, 4) if self.total else None,
            "key_failing": list(self.key_failing),
            "in_frame": self.in_frame,
            "case": self.case,
            "rule": self.rule.to_dict(),
            "verified": self.verified,
            "provisional": self.provisional,
            "source": self.source.to_dict() if self.source else None,
        }


@dataclass(frozen=True)
class Evaluation:
    set_id: str
    set_title: Text
    decision: str
    tier: str
    region: str
    region_applied: str
    region_reason: Text
    year: int
    verdict: Verdict
    provisional: bool
    criteria_met: int
    criteria_total: int
    criteria: tuple[CriterionResult, ...]
    recognition: RecognitionResult
    revocation: RevocationResult | None
    unverified_thresholds: tuple[str, ...] = ()
    notes: tuple[Text, ...] = ()
    overlay: dict[str, Any] | None = None
    engine: str = "core"
    prerequisites: tuple[tuple[str, str], ...] = ()  # (set id, verdict) of required tiers

    def criterion(self, criterion_id: str) -> CriterionResult | None:
        return next((c for c in self.criteria if c.id == criterion_id), None)

    def indicator_statuses(self) -> dict[str, str]:
        return {i.id: str(i.status) for c in self.criteria for i in c.indicators}

    def to_dict(self) -> dict[str, Any]:
        return {
            "set": self.set_id,
            "title": self.set_title.to_dict(),
            "decision": self.decision,
            "tier": self.tier,
            "region": self.region,
            "region_applied": self.region_applied,
            "region_reason": self.region_reason.to_dict(),
            "year": self.year,
            "verdict": str(self.verdict),
            "provisional": self.provisional,
            "unverified_thresholds": list(self.unverified_thresholds),
            "criteria_met": self.criteria_met,
            "criteria_total": self.criteria_total,
            "criteria": [c.to_dict() for c in self.criteria],
            "recognition": self.recognition.to_dict(),
            "revocation": self.revocation.to_dict() if self.revocation else None,
            "notes": [n.to_dict() for n in self.notes],
            "overlay": self.overlay,
            "engine": self.engine,
            "prerequisites": [{"set": s, "verdict": v} for s, v in self.prerequisites],
        }


@dataclass(frozen=True)
class Culprit:
    criterion: str
    indicator: str
    measure: str
    status: str
    cause: str  # new_indicator | tightened | fails | missing_data | unknown_threshold | recognition
    value: Any = None
    threshold_from: Any = None
    threshold_to: Any = None
    verified: bool | None = None  # the new threshold that decides it
    doubt: bool = False  # the indicator itself is marked in doubt in the data

    @property
    def definite(self) -> bool:
        """A failure on a verified threshold of an indicator not in doubt."""
        return self.status == "fail" and self.verified is True and not self.doubt

    def to_dict(self) -> dict[str, Any]:
        return {
            "criterion": self.criterion,
            "indicator": self.indicator,
            "measure": self.measure,
            "status": self.status,
            "cause": self.cause,
            "value": _num(self.value),
            "threshold_from": _num(self.threshold_from),
            "threshold_to": _num(self.threshold_to),
            "verified": self.verified,
            "doubt": self.doubt,
        }


@dataclass(frozen=True)
class Transition:
    from_set: str
    to_set: str
    outcome: str  # kept | lost | gained | never | indeterminate
    from_verdict: str
    to_verdict: str
    from_basis: str  # evaluated | recorded_recognition
    culprits: tuple[Culprit, ...] = field(default_factory=tuple)
    provisional: bool = False  # the outcome rests on unverified values or doubtful indicators

    def to_dict(self) -> dict[str, Any]:
        return {
            "from": self.from_set,
            "to": self.to_set,
            "outcome": self.outcome,
            "from_verdict": self.from_verdict,
            "to_verdict": self.to_verdict,
            "from_basis": self.from_basis,
            "provisional": self.provisional,
            "culprits": [c.to_dict() for c in self.culprits],
        }


@dataclass(frozen=True)
class TierSummary:
    """The highest tier a commune reaches and what stands between it and the next one."""

    highest_tier: str | None  # standard | advanced | model | None
    next_tier: str | None
    next_tier_set: str | None
    next_tier_verdict: str | None
    next_tier_gaps: tuple[dict[str, Any], ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {
            "highest_tier": self.highest_tier,
            "next_tier": self.next_tier,
            "next_tier_set": self.next_tier_set,
            "next_tier_verdict": self.next_tier_verdict,
            "next_tier_gaps": list(self.next_tier_gaps),
        }


@dataclass(frozen=True)
class CommuneReport:
    """Everything `ntm-check COMMUNE.yaml` reports for one commune."""

    commune: dict[str, Any]
    evaluations: tuple[Evaluation, ...]
    transition: Transition | None = None
    tiers: TierSummary | None = None

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "commune": self.commune,
            "evaluations": [e.to_dict() for e in self.evaluations],
        }
        if self.transition is not None:
            out["transition"] = self.transition.to_dict()
        if self.tiers is not None:
            out.update(self.tiers.to_dict())
        return out
