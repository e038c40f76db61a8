"""The figures provincial reports give upward, from the kernel's criterion statuses: criteria
met, failed and undecided; "under 15 criteria" (definite, and possible when undecided criteria
could lift a commune over the line); the mean number of criteria met with its undecided range;
bands of criteria met; progress against the programme's targets.

An undecided criterion (missing data, unknown threshold) is never counted as failed: a figure
that depends on one is given as a range, or counted apart as *possible*.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ..model.programme import Band, Programme, Target
from .kernel import C_FAIL, C_INDET, C_PASS, V_CERTIFIED, V_INDETERMINATE, V_NOT_CERTIFIED

IntArray = np.ndarray[Any, np.dtype[np.intp]]


def criteria_tally(criteria: np.ndarray[Any, Any]) -> tuple[IntArray, IntArray, IntArray]:
    """Per commune: criteria met, failed and undecided (from a (criteria, n) status array)."""
    met = (criteria == C_PASS).sum(axis=0).astype(np.intp)
    failed = (criteria == C_FAIL).sum(axis=0).astype(np.intp)
    undecided = (criteria == C_INDET).sum(axis=0).astype(np.intp)
    return met, failed, undecided


def _mean(values: IntArray) -> float:
    return round(float(values.mean()), 2) if len(values) else 0.0


def counts(
    verdict: np.ndarray[Any, Any],
    met: IntArray,
    failed: IntArray,
    undecided: IntArray,
    below: int | None,
) -> dict[str, Any]:
    """Headline figures of a group of communes (a province, a region, a district)."""
    total = len(verdict)
    certified = int((verdict == V_CERTIFIED).sum())
    out: dict[str, Any] = {
        "total": total,
        "certified": certified,
        "not_certified": int((verdict == V_NOT_CERTIFIED).sum()),
        "indeterminate": int((verdict == V_INDETERMINATE).sum()),
        "certified_pct": round(100.0 * certified / total, 2) if total else 0.0,
        "criteria_met_mean": _mean(met),
        "criteria_met_mean_max": _mean(met + undecided),
        "criteria_failed_mean": _mean(failed),
        "criteria_undecided_mean": _mean(undecided),
        "below": None,
    }
    if below is not None:
        out["below"] = {
            "criteria": below,
            "definite": int((met + undecided < below).sum()),
            "possible": int(((met < below) & (met + undecided >= below)).sum()),
        }
    return out


def bands(bands: tuple[Band, ...], met: IntArray, undecided: IntArray) -> list[dict[str, Any]]:
    """Communes per band of criteria met: *definite* when every way the undecided criteria
    could go keeps the commune in the band, *possible* when only some ways do."""
    top = met + undecided
    out = []
    for band in bands:
        inside = (met >= band.low) & (top <= band.high)
        touches = (met <= band.high) & (top >= band.low)
        out.append(
            band.to_dict()
            | {"definite": int(inside.sum()), "possible": int((touches & ~inside).sum())}
        )
    return out


def progress(
    target: Target | None,
    total: int,
    certified: int,
    possible: int,
    tiers: dict[str, int] | None,
    below: dict[str, Any] | None,
) -> dict[str, Any] | None:
    """Progress against the programme's targets: the share certified now (decided) and at most
    (if every indeterminate commune were certified), and, with tiers, the advanced and model
    shares; communes under the line against the target of none."""
    if target is None or not total:
        return None

    def share(n: int) -> float:
        return round(100.0 * n / total, 2)

    items = []
    if target.certified_pct is not None:
        items.append(
            _item("certified", target.certified_pct, share(certified), share(certified + possible))
        )
    for tier, goal in (("advanced", target.advanced_pct), ("model", target.model_pct)):
        if goal is not None and tiers is not None:
            reached = tiers.get(tier, 0) + (tiers.get("model", 0) if tier == "advanced" else 0)
            items.append(_item(tier, goal, share(reached), None))
    if target.below_max is not None and below is not None:
        items.append(
            {
                "what": "below",
                "target": target.below_max,
                "value": below["definite"],
                "value_max": below["definite"] + below["possible"],
                "met": below["definite"] + below["possible"] <= target.below_max,
                "decided": below["possible"] == 0 or below["definite"] > target.below_max,
            }
        )
    return {"period": list(target.period), "source": target.source.to_dict(), "items": items}


def _item(what: str, goal: float, value: float, value_max: float | None) -> dict[str, Any]:
    top = value if value_max is None else value_max
    return {
        "what": what,
        "target": goal,
        "value": value,
        "value_max": value_max,
        "met": value >= goal,
        "decided": value >= goal or top < goal,
    }


def below_line(programme: Programme, tier: str) -> int | None:
    """The "under N criteria" line for sets of this tier (None: reports do not use one)."""
    return programme.below_criteria if tier == programme.below_tier else None
