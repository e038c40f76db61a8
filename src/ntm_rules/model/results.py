"""Frozen result types of an evaluation, each with a JSON-ready ``to_dict()``.

Statuses, verdicts, transition outcomes and culprit causes are string enums: their value is
what the JSON carries (``"pass"``, ``"not_certified"``, ``"lost"``, ``"tightened"``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ..operators import break_even
from ..words import Text
from .appraisal import Appraisal
from .commune import Commune
from .criteria import OverlayInfo, Source
from .status import Cause, CriterionStatus, Outcome, Status, Verdict, num
from .tiers import TierSummary
from .transitions import Culprit, Transition


@dataclass(frozen=True)
class CheckResult:
    """One comparison of an observed value with a threshold.

    Attributes:
        measure: the measure key compared (``income_per_capita``).
        status: pass, fail, missing (no value), unknown (no threshold) or not_applicable.
        value: the commune's value (a number or True/False), None when missing.
        operator: ``>=``, ``>``, ``<=``, ``<``, ``==`` or ``is true``.
        threshold: the threshold applied (region and year resolved), None when unknown.
        gap: the signed distance to the threshold in the measure's unit (negative: short of a
            floor, or over a ceiling, by that much); None without a number on both sides.
        unit: the measure's unit in Vietnamese and English.
        verified: whether the threshold cell is verified against a readable source; None when
            there is no cell.
        source: the legal source of the threshold (citation, URL, kind).
        basis: how the threshold was found (``by_region``, ``all_regions``, ``none``,
            ``before-first-year``, ``applies_if``).
        year_used: the year bucket of a threshold set per year (income), else None.
        origin: where the threshold comes from when not the national set (an overlay,
            ``assumed`` for ``--assume``).
        note: the note of the threshold cell (why a value is unknown or inferred).
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

    Attributes:
        id: the indicator's number in the set (``13.3``; ``R1``… for recognition conditions).
        text: its wording in Vietnamese and English.
        status: pass, fail, missing, unknown or not_applicable (precedence: a fail decides,
            then missing data, then an unknown threshold).
        checks: every comparison the indicator makes (most make one).
        reason: the one-sentence explanation shown to a planner, in both languages.
        doubt: why the indicator itself is in doubt in the data ("" when it is not).
        primary_index: the position in `checks` of the deciding check.
        verified: whether the decision rests on verified thresholds (a pass: all of them; a
            fail: a failing one); for an undecided indicator, whether the deciding check's
            threshold is verified; None when there is none.
        appraisal: the official appraisal recorded in the commune file for it, if any.
        appraised: True when that appraisal decided it (the data could not).
        conflict: True when the appraisal disagrees with the computed result (which stands).
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
    """One criterion: its status and its indicators.

    Attributes:
        id: the criterion number (``15``).
        name: its name in Vietnamese and English.
        status: pass (every indicator that applies passes), fail (one fails), indeterminate
            (none fails, one is undecided) or not_applicable.
        indicators: the indicator results, in the set's order.
        key: a key criterion of the revocation rule (Decision 18/2022/QĐ-TTg).
    """

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
    """One commune scored against one criteria set.

    Attributes:
        set_id, set_title, decision, tier: the set scored (id, title, legal decision, tier).
        region: the commune's own region; region_applied: the region whose thresholds were
            used (a region rule can assess a special commune at another region's levels);
            region_reason: why, in both languages.
        year: the data year (it picks per-year thresholds such as income).
        verdict: certified, not_certified or indeterminate (undecided is never failed).
        provisional: True when the verdict rests on an unverified threshold or reading.
        criteria_met, criteria_total: criteria passed, of those that apply.
        criteria: every criterion result.
        recognition: the recognition conditions beyond the criteria.
        revocation: where a recognised commune stands in the revocation frame (None when the
            set has no revocation rule).
        unverified_thresholds: indicators whose deciding threshold is not verified.
        notes: notes on the evaluation (e.g. the set scored is not the one in force).
        overlay: the provincial overlay applied, if any.
        engine: the engine that decided the comparisons (``core`` or ``durable``).
        prerequisites: for a higher tier, the verdict of each set it requires.
    Properties: ``conditions`` (for an indeterminate verdict, every requirement of
    certification), ``assumed_thresholds``, ``appraised``, ``appraisal_conflicts``.
    """

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
class CommuneReport:
    """Everything `ntm-check COMMUNE.yaml` reports for one commune.

    Attributes:
        commune: the commune as read (identity, values, where it was read).
        evaluations: one per set scored.
        transition: old -> new when two sets were scored, else None.
        tiers: the highest tier reached and the gaps to the next (``--tiers``), else None.
    """

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
