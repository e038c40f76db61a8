"""Tiers: standard (đạt chuẩn), advanced (nâng cao), model (kiểu mẫu).

A tier is a criteria set whose `requires` names the sets a commune must already be certified
under; the catalog resolves that chain when it loads the set and the kernel folds the required
verdicts in (:func:`ntm_rules.score.kernel.with_prerequisites`), the same way for every tier
and for one commune or a province. This module only reads the result: the highest tier reached
and what stands between the commune and the next one.
"""

from __future__ import annotations

from collections.abc import Sequence

from ..model.commune import TIERS
from ..model.results import (
    CriterionStatus,
    Evaluation,
    IndicatorResult,
    Status,
    Verdict,
)
from ..model.tiers import GapItem, TierGap, TierSummary

OPEN = (Status.FAIL, Status.MISSING, Status.UNKNOWN)


def _item(ind: IndicatorResult) -> GapItem:
    head = ind.primary
    return GapItem(
        ind.id,
        head.measure,
        ind.status,
        head.value,
        head.operator,
        head.threshold,
        head.gap,
        head.unit,
        ind.verified,
    )


def gaps(ev: Evaluation) -> tuple[TierGap, ...]:
    """The criteria (and recognition conditions) not met or undecided, with their indicators."""
    out: list[TierGap] = []
    for crit in ev.criteria:
        if crit.status in (CriterionStatus.PASS, CriterionStatus.NOT_APPLICABLE):
            continue
        items = tuple(_item(i) for i in crit.indicators if i.status in OPEN)
        out.append(TierGap(crit.id, crit.name, str(crit.status), items))
    for cond in ev.recognition.conditions:
        if cond.status in OPEN:
            out.append(TierGap("recognition", cond.text, str(cond.status), (_item(cond),)))
    return tuple(out)


def summarize(evaluations: Sequence[Evaluation]) -> TierSummary:
    """Highest tier certified, and the gaps of the first tier not (yet) certified."""
    by_tier = {ev.tier: ev for ev in evaluations}
    highest: str | None = None
    for tier in TIERS:
        ev = by_tier.get(tier)
        if ev is None:
            break
        if ev.verdict != Verdict.CERTIFIED:
            return TierSummary(highest, tier, ev.set_id, ev.verdict, gaps(ev))
        highest = tier
    return TierSummary(highest, None, None, None, ())
