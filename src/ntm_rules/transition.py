"""Old set -> new set: does a commune keep, lose or gain certification, and why."""

from __future__ import annotations

from .commune import Commune
from .engine import evaluate
from .model import CriteriaSet
from .results import CriterionStatus, Culprit, Evaluation, Status, Transition, Verdict

CERTIFIED = Verdict.CERTIFIED
NOT_CERTIFIED = Verdict.NOT_CERTIFIED


def outcome(before: Verdict, after: Verdict) -> str:
    if before == CERTIFIED and after == CERTIFIED:
        return "kept"
    if before == CERTIFIED and after == NOT_CERTIFIED:
        return "lost"
    if before == NOT_CERTIFIED and after == CERTIFIED:
        return "gained"
    if before == NOT_CERTIFIED and after == NOT_CERTIFIED:
        return "never"
    return "indeterminate"


def culprits(old_eval: Evaluation, new_eval: Evaluation, old: CriteriaSet,
             new: CriteriaSet) -> tuple[Culprit, ...]:
    """The indicators that stand between the commune and certification under the new set.

    When the new verdict is "not certified", only what fails is a culprit; when it is undecided,
    the missing data and unknown thresholds that leave it undecided are the culprits.
    """
    failing_only = new_eval.verdict == Verdict.NOT_CERTIFIED
    old_by_measure = {ind.measure: ind for ind in old.indicators}
    old_results = {i.id: i for c in old_eval.criteria for i in c.indicators}
    out: list[Culprit] = []
    for crit in new_eval.criteria:
        if crit.status in (CriterionStatus.PASS, CriterionStatus.NOT_APPLICABLE):
            continue
        for res in crit.indicators:
            if res.status in (Status.PASS, Status.NOT_APPLICABLE) or (
                    failing_only and res.status != Status.FAIL):
                continue
            head = res.primary
            before = old_by_measure.get(head.measure)
            before_result = old_results.get(before.id) if before is not None else None
            old_threshold = before_result.primary.threshold if before_result else None
            if res.status == Status.MISSING:
                cause = "missing_data"
            elif res.status == Status.UNKNOWN:
                cause = "unknown_threshold"
            elif before is None:
                cause = "new_indicator"
            elif before_result is not None and before_result.status == Status.PASS:
                cause = "tightened"
            else:
                cause = "fails"
            out.append(Culprit(crit.id, res.id, head.measure, str(res.status), cause, head.value,
                               old_threshold, head.threshold))
    for cond in new_eval.recognition.conditions:
        if cond.status not in (Status.PASS, Status.NOT_APPLICABLE) and (
                not failing_only or cond.status == Status.FAIL):
            out.append(Culprit("recognition", cond.id, cond.primary.measure, str(cond.status),
                               "recognition", cond.primary.value, None, cond.primary.threshold))
    return tuple(out)


def transition(commune: Commune, old: CriteriaSet, new: CriteriaSet,
               old_eval: Evaluation | None = None,
               new_eval: Evaluation | None = None) -> Transition:
    """Compare the commune's standing under `old` and `new`.

    When the old evaluation is undecided (a gap in the old set or in the data) but the commune
    file records a recognition under the old set, that recognition stands for "certified".
    """
    old_eval = old_eval or evaluate(commune, old)
    new_eval = new_eval or evaluate(commune, new)
    before = old_eval.verdict
    basis = "evaluated"
    rec = commune.recognized
    if before == Verdict.INDETERMINATE and rec is not None and rec.set in (old.id, old.base_id) \
            and rec.tier == old.tier:
        before = CERTIFIED
        basis = "recorded_recognition"
    result = outcome(before, new_eval.verdict)
    found = culprits(old_eval, new_eval, old, new) if result != "kept" else ()
    return Transition(old.id, new.id, result, str(before), str(new_eval.verdict), basis, found)
