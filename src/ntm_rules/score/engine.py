"""The scoring core: plain, compiled Python; pure and free of I/O.

``evaluate(commune, criteria_set)`` resolves the region and year, then checks every indicator
against the threshold cell that applies, keeping the five outcomes apart: pass, fail, missing
(no data), unknown (threshold not encoded) and not applicable.
"""

from __future__ import annotations

from collections.abc import Mapping

from ..load.checks import Text
from ..load.communes import Commune
from ..load.values import Observed
from ..model.criteria import Check, Condition, CriteriaSet, Indicator
from ..model.results import (
    CheckResult,
    CriterionResult,
    CriterionStatus,
    Evaluation,
    IndicatorResult,
    RecognitionResult,
    RevocationResult,
    Status,
    Verdict,
)
from ..operators import OPERATORS, gap
from .reasons import indicator_reason

UnitLookup = Mapping[str, str]
# Pass/fail decisions made elsewhere (the durable_rules backend), keyed by
# (indicator id, check index). The core computes them itself when this is None.
Decisions = Mapping[tuple[str, int], bool]


class MissingDecisionError(RuntimeError):
    """An external backend gave no decision for a check the core could decide."""


def region_applied(commune: Commune, criteria_set: CriteriaSet) -> tuple[str, Text]:
    """The region whose thresholds apply, and why."""
    for rule in criteria_set.region_rules:
        hit = rule.matches(commune.categories)
        if hit:
            mark = "" if rule.verified else " (quy tắc chưa kiểm chứng / rule unverified)"
            return rule.use_region, Text(
                f"Xã thuộc nhóm {', '.join(hit)}: áp dụng mức của vùng {rule.use_region} "
                f"theo {rule.source.citation}{mark}",
                f"Commune category {', '.join(hit)}: assessed at {rule.use_region} levels under "
                f"{rule.source.citation}{mark}",
            )
    basis_vi = "khai báo trong tệp" if commune.region_basis == "file" else "suy từ tỉnh"
    basis_en = "stated in the file" if commune.region_basis == "file" else "from the province"
    vi, en = f"Vùng của xã ({basis_vi})", f"The commune's region ({basis_en})"
    for rule in criteria_set.region_rules:
        half = [c for c in commune.categories if c in rule.categories]
        if half and rule.and_categories and not rule.verified:
            vi += (
                f"; lưu ý: nhóm {', '.join(half)} khớp vế đầu của quy tắc {rule.id} nhưng "
                f"không khớp vế sau — theo cách đọc khác, xã được áp dụng mức vùng "
                f"{rule.use_region}"
            )
            en += (
                f"; note: category {', '.join(half)} matches the first clause of rule "
                f"{rule.id} but not its second — under another reading the commune would be "
                f"assessed at {rule.use_region} levels"
            )
    return commune.region, Text(vi, en)


def _observed(commune: Commune, measure: str) -> Observed:
    value = commune.measures.get(measure)
    if value is None:
        value = commune.recognition.get(measure)
    return value


def _condition_holds(condition: Condition, commune: Commune) -> bool | None:
    value = _observed(commune, condition.measure)
    if value is None:
        return None
    return bool(OPERATORS[condition.operator].compare(value, condition.value))


def check_one(
    check: Check,
    commune: Commune,
    region: str,
    units: UnitLookup,
    key: tuple[str, int] = ("", 0),
    decisions: Decisions | None = None,
) -> CheckResult:
    resolved = check.threshold.resolve(region, commune.year)
    cell = resolved.cell
    value = _observed(commune, check.measure)
    threshold = cell.value if cell is not None else None

    def result(status: Status, gap_value: float | None) -> CheckResult:
        return CheckResult(
            measure=check.measure,
            status=status,
            value=value,
            operator=check.operator,
            threshold=threshold,
            gap=gap_value,
            unit=units.get(check.measure, ""),
            verified=cell.verified if cell is not None else None,
            source=cell.source if cell is not None else None,
            basis=resolved.basis,
            year_used=resolved.year,
            origin=cell.origin if cell is not None else "",
            note=cell.note if cell is not None else "",
        )

    if value is None:
        return result(Status.MISSING, None)
    if threshold is None:
        return result(Status.UNKNOWN, None)
    if decisions is None:
        passed = OPERATORS[check.operator].compare(value, threshold)
    elif key in decisions:
        passed = decisions[key]
    else:
        raise MissingDecisionError(f"no decision for indicator {key[0]} check {key[1]}")
    return result(Status.PASS if passed else Status.FAIL, gap(check.operator, value, threshold))


def combine(statuses: list[Status]) -> Status:
    for wanted in (Status.FAIL, Status.MISSING, Status.UNKNOWN):
        if wanted in statuses:
            return wanted
    return Status.PASS


def evaluate_indicator(
    indicator: Indicator,
    commune: Commune,
    region: str,
    units: UnitLookup,
    decisions: Decisions | None = None,
) -> IndicatorResult:
    checks = tuple(
        check_one(c, commune, region, units, (indicator.id, n), decisions)
        for n, c in enumerate(indicator.checks)
    )
    if indicator.applies_if is not None:
        holds = _condition_holds(indicator.applies_if, commune)
        if holds is None:
            status = Status.MISSING
            checks = (
                tuple(
                    CheckResult(
                        indicator.applies_if.measure,
                        Status.MISSING,
                        None,
                        indicator.applies_if.operator,
                        indicator.applies_if.value,
                        None,
                        "",
                        None,
                        None,
                        "applies_if",
                        None,
                    )
                    for _ in (0,)
                )
                + checks
            )
        elif not holds:
            status = Status.NOT_APPLICABLE
        else:
            status = combine([c.status for c in checks])
    else:
        status = combine([c.status for c in checks])
    result = IndicatorResult(
        indicator.id, indicator.text, status, checks, Text("", ""), indicator.doubt
    )
    return IndicatorResult(
        indicator.id,
        indicator.text,
        status,
        checks,
        indicator_reason(result, region, commune.year),
        indicator.doubt,
    )


def criterion_status(statuses: list[Status]) -> CriterionStatus:
    applicable = [s for s in statuses if s != Status.NOT_APPLICABLE]
    if not applicable:
        return CriterionStatus.NOT_APPLICABLE
    if Status.FAIL in applicable:
        return CriterionStatus.FAIL
    if Status.MISSING in applicable or Status.UNKNOWN in applicable:
        return CriterionStatus.INDETERMINATE
    return CriterionStatus.PASS


def revocation_frame(
    criteria: tuple[CriterionResult, ...], criteria_set: CriteriaSet, commune: Commune
) -> RevocationResult | None:
    """Place the commune in the revocation frame; ``in_frame`` is None when undecidable."""
    rule = criteria_set.revocation
    if rule is None:
        return None
    counted = [c for c in criteria if c.status != CriterionStatus.NOT_APPLICABLE]
    total = len(counted)
    failing = [c for c in counted if c.status == CriterionStatus.FAIL]
    undecided = [c for c in counted if c.status == CriterionStatus.INDETERMINATE]
    key_ids = set(criteria_set.key_criteria)

    def frame(fail_ids: set[str]) -> str:
        if not total:
            return ""
        share = 100.0 * len(fail_ids) / total
        if share >= rule.full_from_pct:
            return "b"
        if share >= rule.partial_from_pct and fail_ids & key_ids:
            return "a"
        return ""

    low = frame({c.id for c in failing})
    high = frame({c.id for c in failing} | {c.id for c in undecided})
    in_frame: bool | None = bool(low) if (bool(low) == bool(high)) else None
    definite = {
        c.id
        for c in failing
        if any(i.status == Status.FAIL and i.verified is True and not i.doubt for i in c.indicators)
    }
    provisional = bool(low) != bool(frame(definite)) or not rule.verified
    return RevocationResult(
        failing=len(failing),
        indeterminate=len(undecided),
        total=total,
        key_failing=tuple(c.id for c in failing if c.id in key_ids),
        in_frame=in_frame,
        case=low if in_frame else "",
        rule=rule.rule,
        source=rule.source,
        verified=rule.verified,
        applies=commune.recognized is not None and commune.recognized.tier == criteria_set.tier,
        provisional=provisional,
    )


def evaluate(
    commune: Commune,
    criteria_set: CriteriaSet,
    units: UnitLookup | None = None,
    engine: str = "core",
    decisions: Decisions | None = None,
) -> Evaluation:
    """Score one commune against one criteria set.

    `decisions`, when given, supplies every pass/fail comparison (see the durable backend);
    everything else (region, thresholds, missing/unknown, aggregation) is always done here.
    """
    if units is None:
        from ..load.catalog import default_catalog

        units = {k: m.unit_text("en") for k, m in default_catalog().measures.items()}
    region, why = region_applied(commune, criteria_set)
    key_ids = set(criteria_set.key_criteria)
    criteria: list[CriterionResult] = []
    unverified: list[str] = []
    for crit in criteria_set.criteria:
        results = tuple(
            evaluate_indicator(ind, commune, region, units, decisions) for ind in crit.indicators
        )
        for res in results:
            if res.status in (Status.PASS, Status.FAIL) and res.verified is False:
                unverified.append(res.id)
        criteria.append(
            CriterionResult(
                crit.id,
                crit.name,
                criterion_status([r.status for r in results]),
                results,
                crit.id in key_ids,
            )
        )
    conditions = tuple(
        evaluate_indicator(c, commune, region, units, decisions) for c in criteria_set.recognition
    )
    for res in conditions:
        if res.status in (Status.PASS, Status.FAIL) and res.verified is False:
            unverified.append(res.id)
    recognition = RecognitionResult(
        criterion_status([c.status for c in conditions])
        if conditions
        else CriterionStatus.NOT_APPLICABLE,
        conditions,
        criteria_set.recognition_source,
    )
    statuses = [c.status for c in criteria]
    if CriterionStatus.FAIL in statuses or recognition.status == CriterionStatus.FAIL:
        verdict = Verdict.NOT_CERTIFIED
    elif (
        CriterionStatus.INDETERMINATE in statuses
        or recognition.status == CriterionStatus.INDETERMINATE
    ):
        verdict = Verdict.INDETERMINATE
    else:
        verdict = Verdict.CERTIFIED
    crit_tuple = tuple(criteria)
    notes: list[Text] = []
    if not criteria_set.covers_year(commune.year):
        notes.append(
            Text(
                f"Số liệu năm {commune.year} nằm ngoài giai đoạn {criteria_set.period[0]}–"
                f"{criteria_set.period[1]} của bộ tiêu chí; mức theo năm lấy theo năm gần nhất.",
                f"Data year {commune.year} is outside the set's period {criteria_set.period[0]}–"
                f"{criteria_set.period[1]}; year-dependent values use the nearest earlier year.",
            )
        )
    rule_used = next((r for r in criteria_set.region_rules if r.matches(commune.categories)), None)
    if rule_used is not None and not rule_used.verified:
        notes.append(
            Text(
                f"Quy tắc vùng {rule_used.id} chưa được kiểm chứng: {rule_used.note}",
                f"Region rule {rule_used.id} is not verified: {rule_used.note}",
            )
        )
    provisional = (
        bool(unverified)
        or not commune.region_verified
        or (rule_used is not None and not rule_used.verified)
    )
    if not commune.region_verified:
        notes.append(
            Text(
                "Vùng suy từ tỉnh theo bảng chưa kiểm chứng.",
                "The region was derived from the province by an unverified mapping.",
            )
        )
    return Evaluation(
        set_id=criteria_set.id,
        set_title=criteria_set.title,
        decision=criteria_set.decision,
        tier=criteria_set.tier,
        region=commune.region,
        region_applied=region,
        region_reason=why,
        year=commune.year,
        verdict=verdict,
        provisional=provisional,
        criteria_met=sum(1 for s in statuses if s == CriterionStatus.PASS),
        criteria_total=sum(1 for s in statuses if s != CriterionStatus.NOT_APPLICABLE),
        criteria=crit_tuple,
        recognition=recognition,
        revocation=revocation_frame(crit_tuple, criteria_set, commune),
        unverified_thresholds=tuple(unverified),
        notes=tuple(notes),
        overlay=criteria_set.overlay.to_dict() if criteria_set.overlay else None,
        engine=engine,
    )
