"""Old set -> new set: does a commune keep, lose or gain certification, and why."""

from __future__ import annotations

from ..load.communes import Commune
from ..model.criteria import CriteriaSet, Indicator
from ..model.results import CriterionStatus, Culprit, Evaluation, Status, Transition, Verdict
from .engine import evaluate

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


def culprit_cause(status: str, had_old: bool, old_passed: bool) -> str:
    """Why an indicator stands between a commune and certification under the new set."""
    if status == "missing":
        return "missing_data"
    if status == "unknown":
        return "unknown_threshold"
    if not had_old:
        return "new_indicator"
    return "tightened" if old_passed else "fails"


def culprits(
    old_eval: Evaluation, new_eval: Evaluation, old: CriteriaSet, new: CriteriaSet
) -> tuple[Culprit, ...]:
    """The indicators that stand between the commune and certification under the new set.

    When the new verdict is "not certified", only what fails is a culprit; when it is undecided,
    the missing data and unknown thresholds that leave it undecided are the culprits.
    """
    failing_only = new_eval.verdict == Verdict.NOT_CERTIFIED
    old_by_measure: dict[str, Indicator] = {}
    for ind in old.indicators:  # first indicator reading a measure wins, in any of its checks
        for measure in ind.measures:
            old_by_measure.setdefault(measure, ind)
    old_results = {i.id: i for c in old_eval.criteria for i in c.indicators}
    out: list[Culprit] = []
    for crit in new_eval.criteria:
        if crit.status in (CriterionStatus.PASS, CriterionStatus.NOT_APPLICABLE):
            continue
        for res in crit.indicators:
            if res.status in (Status.PASS, Status.NOT_APPLICABLE) or (
                failing_only and res.status != Status.FAIL
            ):
                continue
            head = res.primary
            before = old_by_measure.get(head.measure)
            before_result = old_results.get(before.id) if before is not None else None
            old_threshold = before_result.primary.threshold if before_result else None
            cause = culprit_cause(
                str(res.status),
                before is not None,
                before_result is not None and before_result.status == Status.PASS,
            )
            out.append(
                Culprit(
                    crit.id,
                    res.id,
                    head.measure,
                    str(res.status),
                    cause,
                    head.value,
                    old_threshold,
                    head.threshold,
                    res.verified,
                    bool(res.doubt),
                )
            )
    for cond in new_eval.recognition.conditions:
        if cond.status not in (Status.PASS, Status.NOT_APPLICABLE) and (
            not failing_only or cond.status == Status.FAIL
        ):
            out.append(
                Culprit(
                    "recognition",
                    cond.id,
                    cond.primary.measure,
                    str(cond.status),
                    "recognition",
                    cond.primary.value,
                    None,
                    cond.primary.threshold,
                    cond.verified,
                    bool(cond.doubt),
                )
            )
    return tuple(out)


def transition(
    commune: Commune,
    old: CriteriaSet,
    new: CriteriaSet,
    old_eval: Evaluation | None = None,
    new_eval: Evaluation | None = None,
) -> Transition:
    """Compare the commune's standing under `old` and `new`.

    A recognition under the old set recorded in the commune file is a legal fact: it stands for
    "certified" under the old set whatever re-scoring today's figures against it would give.
    `provisional` is set when the outcome rests on unverified values or doubtful indicators.
    """
    old_eval = old_eval or evaluate(commune, old)
    new_eval = new_eval or evaluate(commune, new)
    before = old_eval.verdict
    basis = "evaluated"
    if recorded(commune, old):
        before = CERTIFIED
        basis = "recorded_recognition"
    result = outcome(before, new_eval.verdict)
    found = culprits(old_eval, new_eval, old, new) if result != "kept" else ()
    old_side = basis == "evaluated"
    if result == "lost":
        provisional = not any(c.definite for c in found) or (old_side and old_eval.provisional)
    elif result == "never":
        provisional = not any(c.definite for c in found) or (
            old_side and not definite_failure(old_eval)
        )
    elif result == "kept":
        provisional = new_eval.provisional or (old_side and old_eval.provisional)
    elif result == "gained":
        provisional = new_eval.provisional or (old_side and not definite_failure(old_eval))
    else:
        provisional = False
    return Transition(
        old.id, new.id, result, str(before), str(new_eval.verdict), basis, found, provisional
    )


def recorded(commune: Commune, old: CriteriaSet) -> bool:
    """The commune file records a recognition under `old` at its tier."""
    rec = commune.recognized
    return rec is not None and rec.set in (old.id, old.base_id) and rec.tier == old.tier


def definite_failure(ev: Evaluation) -> bool:
    """Something fails on a verified threshold of an indicator not in doubt."""
    results = [i for c in ev.criteria for i in c.indicators] + list(ev.recognition.conditions)
    return any(r.status == Status.FAIL and r.verified is True and not r.doubt for r in results)
