"""The criteria that are hard to meet: per criterion of every set, the fail rate among communes
with data, the median relative shortfall and the near misses (short of a non-zero threshold by at
most 10% of it), with the same per indicator; all from the kernel's arrays."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from ..model.vocab import Measures
from .kernel import C_FAIL, C_PASS, FAIL, PASS, SetScores

NEAR_MISS_SHARE = 0.10


def _median(values: np.ndarray[Any, Any]) -> float | None:
    return round(float(np.median(values)), 4) if len(values) else None


def _id_key(text: str) -> tuple[int, ...]:
    try:
        return tuple(int(p) for p in text.split("."))
    except ValueError:
        return (10**6,)


def _near(gap: np.ndarray[Any, Any], threshold: np.ndarray[Any, Any], share: float) -> Any:
    """A near miss: short of a non-zero threshold by at most `share` of it."""
    return (gap < 0) & (threshold != 0) & (-gap <= share * np.abs(threshold))


def _indicator_gaps(sc: SetScores, k: int) -> tuple[Any, Any, Any]:
    """For commune positions failing indicator `k` with a numeric gap: (positions, gap,
    threshold) of the deciding check."""
    p = sc.plan.indicators[k]
    failing = sc.status[k] == FAIL
    positions, gaps, limits = [], [], []
    for pos, check in enumerate(p.checks):
        if sc.plan.checks[check].boolean:
            continue
        here = failing & (sc.decider[k] == pos)
        where = np.flatnonzero(here)
        positions.append(where)
        gaps.append(sc.gap(check)[where])
        limits.append(sc.threshold(check)[where])
    if not positions:
        empty = np.zeros(0)
        return empty.astype(np.intp), empty, empty
    return np.concatenate(positions), np.concatenate(gaps), np.concatenate(limits)


def _hard_criterion(
    sc: SetScores, c_index: int, measures: Measures, share: float
) -> dict[str, Any]:
    """One criterion's fail rate, median gap and near misses, with its indicators'."""
    n = sc.n
    crit = sc.criteria_set.criteria[c_index]
    statuses = sc.criteria[c_index]
    failing = int((statuses == C_FAIL).sum())
    with_data = failing + int((statuses == C_PASS).sum())
    indicators = []
    worst = np.full(n, np.inf)  # each failing commune's worst relative shortfall (%)
    all_near = np.ones(n, dtype=bool)  # every failing indicator of it is a near miss
    for p in sc.plan.indicators[: sc.plan.n_scored]:
        if p.criterion != c_index:
            continue
        row = sc.status[p.index]
        ind_fail = int((row == FAIL).sum())
        ind_with = ind_fail + int((row == PASS).sum())
        where, gaps, limits = _indicator_gaps(sc, p.index)
        near = _near(gaps, limits, share)
        indicators.append(
            {
                "id": p.id,
                "measure": p.indicator.measure,
                "unit": measures.unit(p.indicator.measure, "en"),
                "fail_rate": round(ind_fail / ind_with, 4) if ind_with else None,
                "failing": ind_fail,
                "with_data": ind_with,
                "median_gap": _median(gaps),
                "near_miss": int(near.sum()),
            }
        )
        no_gap = row == FAIL
        no_gap[where] = False
        all_near &= ~no_gap
        numeric = limits != 0
        rel = np.full(len(gaps), np.inf)
        rel[numeric] = 100.0 * gaps[numeric] / np.abs(limits[numeric])
        np.minimum.at(worst, where[numeric], rel[numeric])
        all_near[where[~numeric]] = False
        all_near[where[numeric & ~near]] = False
    has_gap = np.isfinite(worst)
    return {
        "set": sc.criteria_set.id,
        "criterion": crit.id,
        "name": crit.name.to_dict(),
        "fail_rate": round(failing / with_data, 4) if with_data else None,
        "failing": failing,
        "with_data": with_data,
        "median_gap_pct": _median(worst[has_gap]),
        "near_miss": int((has_gap & all_near).sum()),
        "indicators": indicators,
    }


def hard_criteria(
    scores: Sequence[SetScores], measures: Measures, share: float = NEAR_MISS_SHARE
) -> list[dict[str, Any]]:
    """Every criterion of every set, ranked by fail rate (then failing count)."""
    out = [
        _hard_criterion(sc, c, measures, share)
        for sc in scores
        for c in range(len(sc.criteria_set.criteria))
    ]
    out.sort(
        key=lambda h: (-(h["fail_rate"] or 0), -h["failing"], h["set"], _id_key(h["criterion"]))
    )
    return out
