"""Frozen result types of an evaluation, each with a JSON-ready ``to_dict()``.

Statuses, verdicts, transition outcomes and culprit causes are string enums: their value is
what the JSON carries (``"pass"``, ``"not_certified"``, ``"lost"``, ``"tightened"``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ..operators import break_even
from ..words import Text
from .appraisal import Appraisal
from .commune import Commune, Recognized
from .criteria import OverlayInfo, Source
from .status import Cause, CriterionStatus, Outcome, Status, Verdict, num
from .tiers import TierSummary


@dataclass(frozen=True)
class CheckResult:
    """One comparison of an observed value with a threshold.

    `gap` is the signed distance to the threshold in the measure's unit (negative: short of it,
    or over a ceiling, by that much). `basis` says how the threshold was found
    (``by_region``, ``all_regions``, ``none``, ``before-first-year``, ``applies_if``).
    """

    measure: str
    status: Status
    value: Any
    operator: str
    threshold: Any
    gap: float | None
    unit: Text
    verified: bool | None
    source: Source | None
    basis: str
    year_used: int | None
    origin: str = ""
    note: str = ""

    @property
    def break_even(self) -> dict[str, Any] | None:
        """For an unknown threshold: the thresholds at which this check would pass
        (``{"operator": "<=", "value": 44.8}``: passes if the threshold is at most 44.8)."""
        if self.status != Status.UNKNOWN:
            return None
        found = break_even(self.operator, self.value)
        return None if found is None else {"operator": found[0], "value": num(found[1])}

    def to_dict(self) -> dict[str, Any]:
        return {
            "measure": self.measure,
            "status": str(self.status),
            "value": num(self.value),
            "operator": self.operator,
            "threshold": num(self.threshold),
            "gap": num(self.gap),
            "unit": self.unit.to_dict(),
            "verified": self.verified,
            "source": self.source.to_dict() if self.source else None,
            "threshold_basis": self.basis,
            "threshold_year": self.year_used,
            "origin": self.origin,
            "note": self.note,
            "break_even": self.break_even,
        }


@dataclass(frozen=True)
class IndicatorResult:
    """One indicator: its status, every check, and the check that decided it (`primary`).

    `verified` says whether the decision rests on verified thresholds (a pass: all of them; a
    fail: a failing one); for an undecided indicator, whether the deciding check's threshold is
    verified; None when there is none.
    """

    id: str
    text: Text
    status: Status
    checks: tuple[CheckResult, ...]
    reason: Text
    doubt: str = ""
    primary_index: int = 0
    verified: bool | None = None
    appraisal: Appraisal | None = None  # the recorded appraisal this indicator falls under
    appraised: bool = False  # decided by that appraisal (the data could not decide it)
    conflict: bool = False  # the appraisal disagrees with the computed result (which stands)

    @property
    def primary(self) -> CheckResult:
        """The check that decided the status (the applies-if condition when it is missing)."""
        return self.checks[self.primary_index]

    def to_dict(self) -> dict[str, Any]:
        head = self.primary
        out = {
            "id": self.id,
            "text": self.text.to_dict(),
            "measure": head.measure,
            "status": str(self.status),
            "value": num(head.value),
            "operator": head.operator,
            "threshold": num(head.threshold),
            "gap": num(head.gap),
            "unit": head.unit.to_dict(),
            "verified": self.verified,
            "source": head.source.to_dict() if head.source else None,
            "threshold_basis": head.basis,
            "threshold_year": head.year_used,
            "reason": self.reason.to_dict(),
            "doubt": self.doubt,
            "appraisal": self.appraisal.to_dict() if self.appraisal else None,
            "appraised": self.appraised,
            "conflict": self.conflict,
            "break_even": [
                {"measure": c.measure, **c.break_even} for c in self.checks if c.break_even
            ],
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
    """One commune scored against one criteria set."""

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
    overlay: OverlayInfo | None = None
    engine: str = "core"
    prerequisites: tuple[tuple[str, Verdict], ...] = ()  # (set id, verdict) of required tiers

    def criterion(self, criterion_id: str) -> CriterionResult | None:
        return next((c for c in self.criteria if c.id == criterion_id), None)

    def indicators(self) -> list[IndicatorResult]:
        return [i for c in self.criteria for i in c.indicators]

    def indicator_statuses(self) -> dict[str, str]:
        return {i.id: str(i.status) for i in self.indicators()}

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
            "overlay": self.overlay.to_dict() if self.overlay else None,
            "engine": self.engine,
            "prerequisites": [{"set": s, "verdict": str(v)} for s, v in self.prerequisites],
            "conditions": [r.to_dict() for r in self.conditions],
            "assumed_thresholds": list(self.assumed_thresholds),
            "appraised": list(self.appraised),
            "appraisal_conflicts": list(self.appraisal_conflicts),
        }

    @property
    def appraised(self) -> tuple[str, ...]:
        """Indicators decided by a recorded appraisal, not computed."""
        return tuple(i.id for i in self.indicators() if i.appraised)

    @property
    def appraisal_conflicts(self) -> tuple[str, ...]:
        """Indicators whose recorded appraisal disagrees with the computed result."""
        return tuple(i.id for i in self.indicators() if i.conflict)

    @property
    def assumed_thresholds(self) -> tuple[str, ...]:
        """Indicators whose threshold here is an assumption (``--assume``), not the law."""
        return tuple(
            i.id
            for i in self.indicators()
            if any(c.source is not None and c.source.kind == "assumed" for c in i.checks)
        )

    @property
    def conditions(self) -> tuple[Any, ...]:
        """For an indeterminate verdict: every requirement for certification
        (:func:`~ntm_rules.model.requirements.requirements`); none otherwise."""
        from .requirements import requirements

        return requirements(self)


@dataclass(frozen=True)
class Culprit:
    """An indicator that stands between a commune and certification under the new set."""

    criterion: str
    indicator: str
    measure: str
    status: Status
    cause: Cause
    value: Any = None
    threshold_from: Any = None
    threshold_to: Any = None
    verified: bool | None = None  # the new threshold that decides it
    doubt: bool = False  # the indicator itself is marked in doubt in the data
    operator: str = ""
    unit: Text = field(default_factory=lambda: Text("", ""))
    from_indicator: str = ""  # the old set's indicator reading the same measure

    @property
    def definite(self) -> bool:
        """A failure on a verified threshold of an indicator not in doubt."""
        return self.status == Status.FAIL and self.verified is True and not self.doubt

    def to_dict(self) -> dict[str, Any]:
        """The culprit as JSON; its unit is the measure's (the report's ``units`` table)."""
        return {
            "criterion": self.criterion,
            "indicator": self.indicator,
            "measure": self.measure,
            "status": str(self.status),
            "cause": str(self.cause),
            "value": num(self.value),
            "operator": self.operator,
            "threshold_from": num(self.threshold_from),
            "threshold_to": num(self.threshold_to),
            "from_indicator": self.from_indicator or None,
            "verified": self.verified,
            "doubt": self.doubt,
        }


@dataclass(frozen=True)
class Transition:
    """Old set -> new set. `recorded` is the recognition in the commune file that stands for
    the old status (`from_basis` ``recorded_recognition``)."""

    from_set: str
    to_set: str
    outcome: Outcome
    from_verdict: Verdict
    to_verdict: Verdict
    from_basis: str  # evaluated | recorded_recognition
    culprits: tuple[Culprit, ...] = ()
    provisional: bool = False  # the outcome rests on unverified values or doubtful indicators
    recorded: Recognized | None = None
    from_evaluated: Verdict | None = None  # what scoring today's figures on the old set gives

    def to_dict(self) -> dict[str, Any]:
        return {
            "from": self.from_set,
            "to": self.to_set,
            "outcome": str(self.outcome),
            "from_verdict": str(self.from_verdict),
            "to_verdict": str(self.to_verdict),
            "from_basis": self.from_basis,
            "from_evaluated": str(self.from_evaluated) if self.from_evaluated else None,
            "recorded": self.recorded.to_dict() if self.recorded else None,
            "provisional": self.provisional,
            "culprits": [c.to_dict() for c in self.culprits],
            "units": {c.measure: c.unit.to_dict() for c in self.culprits},
        }


@dataclass(frozen=True)
class CommuneReport:
    """Everything `ntm-check COMMUNE.yaml` reports for one commune."""

    commune: Commune
    evaluations: tuple[Evaluation, ...]
    transition: Transition | None = None
    tiers: TierSummary | None = None

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "commune": self.commune.to_dict(),
            "evaluations": [e.to_dict() for e in self.evaluations],
            "transition": self.transition.to_dict() if self.transition else None,
            "tiers": self.tiers.to_dict() if self.tiers else None,
        }
        return out


__all__ = [
    "Cause",
    "CheckResult",
    "CommuneReport",
    "CriterionResult",
    "CriterionStatus",
    "Culprit",
    "Evaluation",
    "IndicatorResult",
    "Outcome",
    "RecognitionResult",
    "RevocationResult",
    "Status",
    "TierSummary",
    "Transition",
    "Verdict",
    "num",
]
