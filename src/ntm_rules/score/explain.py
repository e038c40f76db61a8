"""One commune's :class:`~ntm_rules.model.results.Evaluation`, built from kernel output.

Every status, verdict, flag and deciding check comes from :class:`~ntm_rules.score.kernel.
SetScores`; this module only looks up what explains them (values, threshold cells, sources,
units) and words it (:mod:`ntm_rules.score.reasons`). It decides nothing.
"""

from __future__ import annotations

import dataclasses
import math

from ..model.criteria import Resolved
from ..model.results import (
    CheckResult,
    CriterionResult,
    Evaluation,
    IndicatorResult,
    RecognitionResult,
    RevocationResult,
    Status,
)
from ..model.vocab import Measures
from ..words import Text, t
from . import revocation
from .appraisals import appraisal_for
from .kernel import CONDITION, CRITERION, STATUS, VERDICT, SetScores
from .plan import PlanIndicator, RegionChoice
from .reasons import indicator_reason
from .units import unit_of


def _flag(value: int) -> bool | None:
    return None if value < 0 else bool(value)


def _float(value: float) -> float | None:
    return None if math.isnan(value) else float(value)


class _Explainer:
    def __init__(self, scores: SetScores, i: int, measures: Measures) -> None:
        self.scores, self.i, self.measures = scores, i, measures
        self.commune = scores.columns.communes[i]
        self.choice: RegionChoice = scores.region(i)
        region, year = scores.groups[scores.group[i]]
        self.region, self.year = region, year
        self.cells: tuple[Resolved, ...] = scores.plan.cells(region, year)

    def check(self, c: int) -> CheckResult:
        spec = self.scores.plan.checks[c]
        resolved = self.cells[c]
        cell = resolved.cell
        status = STATUS[int(self.scores.check_status[c, self.i])]
        gap = None
        if status in (Status.PASS, Status.FAIL):
            gap = _float(self.scores.gap(c)[self.i])
        return CheckResult(
            measure=spec.measure,
            status=status,
            value=self.commune.value(spec.measure),
            operator=spec.operator,
            threshold=cell.value if cell is not None else None,
            gap=gap,
            unit=unit_of(self.measures, spec.measure),
            verified=cell.verified if cell is not None else None,
            source=cell.source if cell is not None else None,
            basis=resolved.basis,
            year_used=resolved.year,
            origin=cell.origin if cell is not None else "",
            note=cell.note if cell is not None else "",
        )

    def indicator(self, p: PlanIndicator) -> IndicatorResult:
        k, i = p.index, self.i
        status = STATUS[int(self.scores.status[k, i])]
        decider = int(self.scores.decider[k, i])
        checks = tuple(self.check(c) for c in p.checks)
        primary = decider
        if decider == CONDITION and p.condition is not None:
            cond = p.condition
            pseudo = CheckResult(
                cond.measure,
                Status.MISSING,
                None,
                cond.operator,
                cond.value,
                None,
                unit_of(self.measures, cond.measure),
                None,
                None,
                "applies_if",
                None,
            )
            checks = (pseudo, *checks)
            primary = 0
        result = IndicatorResult(
            p.id,
            p.indicator.text,
            status,
            checks,
            Text("", ""),
            p.indicator.doubt,
            primary,
            _flag(int(self.scores.verified[k, i])),
        )
        appraisal = appraisal_for(self.scores.plan, self.commune, k)
        appraised = bool(self.scores.appraised[k, i])
        conflict = bool(self.scores.conflict[k, i])
        result = dataclasses.replace(
            result, appraisal=appraisal, appraised=appraised, conflict=conflict
        )
        reason = indicator_reason(result, self.choice.region, self.commune.year)
        return dataclasses.replace(result, reason=reason)

    def region_reason(self) -> Text:
        choice, commune = self.choice, self.commune
        if choice.rule is not None:
            rule = choice.rule
            mark = ("", "") if rule.verified else (" " + t("rule_unverified", "vi"),
                                                   " " + t("rule_unverified", "en"))  # fmt: skip
            cats = ", ".join(choice.matched)
            return Text(
                t("region_by_rule", "vi", cats=cats, region=rule.use_region,
                  source=rule.source.citation) + mark[0],
                t("region_by_rule", "en", cats=cats, region=rule.use_region,
                  source=rule.source.citation) + mark[1],
            )  # fmt: skip
        basis = "region_stated" if commune.region_basis == "file" else "region_from_province"
        vi, en = t(basis, "vi"), t(basis, "en")
        for rule, half in choice.half_rules:
            cats = ", ".join(half)
            vi += t("region_half_rule", "vi", cats=cats, rule=rule.id, region=rule.use_region)
            en += t("region_half_rule", "en", cats=cats, rule=rule.id, region=rule.use_region)
        return Text(vi, en)

    def notes(self) -> list[Text]:
        cset, commune = self.scores.criteria_set, self.commune
        notes: list[Text] = []
        if not cset.covers_year(commune.year):
            start, end = cset.period
            notes.append(
                Text(
                    t("note_outside_period", "vi", year=commune.year, start=start, end=end),
                    t("note_outside_period", "en", year=commune.year, start=start, end=end),
                )
            )
        rule = self.choice.rule
        if rule is not None and not rule.verified:
            notes.append(
                Text(
                    t("note_rule_unverified", "vi", rule=rule.id, note=rule.note),
                    t("note_rule_unverified", "en", rule=rule.id, note=rule.note),
                )
            )
        if not commune.region_verified:
            notes.append(Text(t("note_region_map", "vi"), t("note_region_map", "en")))
        overlay = cset.overlay
        if overlay is not None and overlay.loosened:
            ids = ", ".join(overlay.loosened)
            notes.append(
                Text(
                    t("note_loosens", "vi", set=overlay.id, ids=ids, why=overlay.loosens),
                    t("note_loosens", "en", set=overlay.id, ids=ids, why=overlay.loosens),
                )
            )
        for req in self.scores.prerequisites:
            verdict = VERDICT[int(req.verdict[self.i])]
            if verdict.value != "certified":
                notes.append(
                    Text(
                        t("note_prerequisite", "vi", set=req.criteria_set.id,
                          verdict=t(str(verdict), "vi")),
                        t("note_prerequisite", "en", set=req.criteria_set.id,
                          verdict=t(str(verdict), "en")),
                    )
                )  # fmt: skip
        return notes

    def revocation(self) -> RevocationResult | None:
        found = revocation.frame(self.scores)
        if found is None:
            return None
        i, rule = self.i, found.rule
        rec = self.commune.recognized
        in_frame = int(found.in_frame[i])
        return RevocationResult(
            failing=int(found.failing[i]),
            indeterminate=int(found.undecided[i]),
            total=int(found.total[i]),
            key_failing=tuple(
                k for r, k in enumerate(found.key_ids) if bool(found.key_failing[r, i])
            ),
            in_frame=None if in_frame == revocation.UNDECIDED else bool(in_frame),
            case=str(found.case[i]),
            rule=rule.rule,
            source=rule.source,
            verified=rule.verified,
            applies=rec is not None and rec.tier == self.scores.criteria_set.tier,
            provisional=bool(found.provisional[i]),
        )

    def evaluation(self, engine: str = "core") -> Evaluation:
        scores, i = self.scores, self.i
        cset, plan = scores.criteria_set, scores.plan
        results = [self.indicator(p) for p in plan.indicators]
        criteria = tuple(
            CriterionResult(
                crit.id,
                crit.name,
                CRITERION[int(scores.criteria[c, i])],
                tuple(r for p, r in zip(plan.indicators, results, strict=True) if p.criterion == c),
                crit.id in cset.key_criteria,
            )
            for c, crit in enumerate(cset.criteria)
        )
        conditions = tuple(results[plan.n_scored :])
        unverified = tuple(
            p.id for p in plan.indicators if bool(scores.unverified_used[p.index, i])
        )
        return Evaluation(
            set_id=cset.id,
            set_title=cset.title,
            decision=cset.decision,
            tier=cset.tier,
            region=self.commune.region,
            region_applied=self.choice.region,
            region_reason=self.region_reason(),
            year=self.commune.year,
            verdict=VERDICT[int(scores.verdict[i])],
            provisional=bool(scores.provisional[i]),
            criteria_met=int(scores.met[i]),
            criteria_total=int(scores.total[i]),
            criteria=criteria,
            recognition=RecognitionResult(
                CRITERION[int(scores.recognition[i])], conditions, cset.recognition_source
            ),
            revocation=self.revocation(),
            unverified_thresholds=unverified,
            notes=tuple(self.notes()),
            overlay=cset.overlay,
            engine=engine,
            prerequisites=tuple(
                (req.criteria_set.id, VERDICT[int(req.verdict[i])]) for req in scores.prerequisites
            ),
        )


def evaluation(scores: SetScores, i: int, measures: Measures, engine: str = "core") -> Evaluation:
    """The evaluation of commune `i` of `scores`, with units from `measures`."""
    return _Explainer(scores, i, measures).evaluation(engine)
