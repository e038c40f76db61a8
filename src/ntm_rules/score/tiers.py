"""Tiers: standard (đạt chuẩn), advanced (nâng cao), model (kiểu mẫu).

A tier is a criteria set whose `requires` names the sets a commune must already be certified
under; that rule is data, applied here the same way for every tier. The model tier's income rule
(110% of the advanced level) is a derived threshold in the data, not code.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Sequence
from typing import Any

from ..errors import UnknownSetError
from ..load.catalog import Catalog
from ..load.checks import Text
from ..load.communes import Commune
from ..model.criteria import CriteriaSet
from ..model.results import CriterionStatus, Evaluation, Status, TierSummary, Verdict
from ..words import t
from .engine import evaluate

TIER_ORDER = ("standard", "advanced", "model")


def combine_prerequisites(own: Verdict, required: Sequence[Verdict]) -> Verdict:
    """A tier is certified only when every required tier is; a failed one decides."""
    if own == Verdict.NOT_CERTIFIED or Verdict.NOT_CERTIFIED in required:
        return Verdict.NOT_CERTIFIED
    if own == Verdict.INDETERMINATE or Verdict.INDETERMINATE in required:
        return Verdict.INDETERMINATE
    return Verdict.CERTIFIED


class TierEvaluator:
    """Evaluates sets with their prerequisites, caching each set's evaluation."""

    def __init__(
        self,
        catalog: Catalog,
        units: dict[str, str],
        evaluate_fn: Callable[[Commune, CriteriaSet, dict[str, str]], Evaluation] = evaluate,
    ) -> None:
        self.catalog = catalog
        self.units = units
        self.evaluate_fn = evaluate_fn
        self._cache: dict[tuple[int, str], Evaluation] = {}

    def evaluate(self, commune: Commune, cset: CriteriaSet, _depth: int = 0) -> Evaluation:
        key = (id(commune), cset.id)
        if key in self._cache:
            return self._cache[key]
        if _depth > 5:
            raise UnknownSetError(f"tier prerequisites of {cset.id} are nested too deeply")
        own = self.evaluate_fn(commune, cset, self.units)
        if not cset.requires:
            self._cache[key] = own
            return own
        required = [
            self.evaluate(commune, self.catalog.load(ref), _depth + 1) for ref in cset.requires
        ]
        verdict = combine_prerequisites(own.verdict, [r.verdict for r in required])
        notes = list(own.notes)
        for req in required:
            if req.verdict != Verdict.CERTIFIED:
                notes.append(
                    Text(
                        f"Điều kiện tiên quyết: xã phải đạt chuẩn theo {req.set_id} "
                        f"(hiện: {t(str(req.verdict), 'vi')}).",
                        f"Prerequisite: the commune must be certified under {req.set_id} "
                        f"(now: {t(str(req.verdict), 'en')}).",
                    )
                )
        result = dataclasses.replace(
            own,
            verdict=verdict,
            notes=tuple(notes),
            prerequisites=tuple((r.set_id, str(r.verdict)) for r in required),
            provisional=own.provisional or any(r.provisional for r in required),
        )
        self._cache[key] = result
        return result


def tier_sets(commune: Commune, catalog: Catalog) -> list[CriteriaSet]:
    """The national set of each tier in force for the commune's data year (else the latest)."""
    found = (catalog.in_force(tier, commune.year) for tier in TIER_ORDER)
    return [s for s in found if s is not None]


def _gaps(ev: Evaluation) -> tuple[dict[str, Any], ...]:
    out: list[dict[str, Any]] = []
    for crit in ev.criteria:
        if crit.status in (CriterionStatus.PASS, CriterionStatus.NOT_APPLICABLE):
            continue
        inds = []
        for ind in crit.indicators:
            if ind.status in (Status.PASS, Status.NOT_APPLICABLE):
                continue
            head = ind.primary
            inds.append(
                {
                    "id": ind.id,
                    "measure": head.measure,
                    "status": str(ind.status),
                    "value": head.value,
                    "operator": head.operator,
                    "threshold": head.threshold,
                    "gap": head.gap,
                    "unit": head.unit,
                    "verified": ind.verified,
                }
            )
        out.append(
            {
                "criterion": crit.id,
                "name": crit.name.to_dict(),
                "status": str(crit.status),
                "indicators": inds,
            }
        )
    for cond in ev.recognition.conditions:
        if cond.status not in (Status.PASS, Status.NOT_APPLICABLE):
            out.append(
                {
                    "criterion": "recognition",
                    "name": cond.text.to_dict(),
                    "status": str(cond.status),
                    "indicators": [
                        {
                            "id": cond.id,
                            "measure": cond.primary.measure,
                            "status": str(cond.status),
                            "value": cond.primary.value,
                            "operator": cond.primary.operator,
                            "threshold": cond.primary.threshold,
                            "gap": None,
                            "unit": "",
                            "verified": cond.verified,
                        }
                    ],
                }
            )
    return tuple(out)


def summarize(evaluations: Sequence[Evaluation]) -> TierSummary:
    """Highest tier certified, and the gaps of the first tier not (yet) certified."""
    by_tier = {ev.tier: ev for ev in evaluations}
    highest: str | None = None
    for tier in TIER_ORDER:
        ev = by_tier.get(tier)
        if ev is None:
            break
        if ev.verdict != Verdict.CERTIFIED:
            return TierSummary(highest, tier, ev.set_id, str(ev.verdict), _gaps(ev))
        highest = tier
    return TierSummary(highest, None, None, None, ())
