"""Progress over years, from the kernel's output: verdict changes, criteria gained and lost,
the revocation watch (two consecutive assessments in the frame), indicator trends and, for a
threshold that rises by year (income), whether the current growth reaches next year's level.

Every year of a series is scored against the same set; nothing here decides a status anew.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from typing import Any

import numpy as np

from ..model.commune import Commune
from ..model.criteria import CriteriaSet
from ..model.identity import commune_keys, latest, series
from ..model.results import Evaluation
from ..model.years import (
    CommuneYears,
    GrowthCheck,
    IndicatorTrend,
    IndicatorYears,
    ProvinceYears,
    RevocationWatch,
    VerdictChange,
)
from . import revocation
from .kernel import C_FAIL, C_INDET, C_PASS, FAIL, PASS, VERDICT, SetScores


def _changes(scores: SetScores, idx: Sequence[int]) -> tuple[VerdictChange, ...]:
    ids = [c.id for c in scores.criteria_set.criteria]
    years = scores.columns.years
    out = []
    for a, b in itertools.pairwise(idx):
        was, now = scores.criteria[:, a] == C_PASS, scores.criteria[:, b] == C_PASS
        fails, open_ = scores.criteria[:, b] == C_FAIL, scores.criteria[:, b] == C_INDET
        out.append(
            VerdictChange(
                int(years[a]),
                int(years[b]),
                str(VERDICT[int(scores.verdict[a])]),
                str(VERDICT[int(scores.verdict[b])]),
                tuple(ids[r] for r in np.flatnonzero(now & ~was)),
                tuple(ids[r] for r in np.flatnonzero(was & fails)),
                tuple(ids[r] for r in np.flatnonzero(was & open_)),
            )
        )
    return tuple(out)


def _watch(
    scores: SetScores, frame: revocation.Frame | None, idx: Sequence[int], communes: Any
) -> RevocationWatch | None:
    """Two consecutive assessments in the frame of a commune recognised at the set's tier."""
    if frame is None:
        return None
    rec = communes[idx[-1]].recognized
    if rec is None or rec.tier != scores.criteria_set.tier:
        return None
    states: list[bool | None] = []
    for i in idx:
        v = int(frame.in_frame[i])
        states.append(None if v == revocation.UNDECIDED else bool(v))
    watch: bool | None = False
    for a, b in itertools.pairwise(states):
        if a is True and b is True:
            watch = True
            break
        if a is not False and b is not False:
            watch = None
    years = scores.columns.years
    return RevocationWatch(
        tuple(int(years[i]) for i in idx),
        tuple(states),
        tuple(str(frame.case[i]) for i in idx),
        watch,
        rec,
    )


def commune_years(
    scores: SetScores,
    idx: Sequence[int],
    frame: revocation.Frame | None,
    evaluations: Sequence[Evaluation] = (),
) -> CommuneYears:
    """One series (`idx`, oldest first) of `scores`; with the series' `evaluations`, also
    every indicator's trend and the growth checks."""
    communes = scores.columns.communes
    last = communes[idx[-1]]
    trends: tuple[IndicatorTrend, ...] = ()
    growth: tuple[GrowthCheck, ...] = ()
    if evaluations:
        trends = _trends(evaluations)
        growth = _growth(scores.criteria_set, evaluations, [communes[i] for i in idx])
    return CommuneYears(
        commune=last.name,
        district=last.district,
        province=last.province,
        code=last.code,
        set_id=scores.criteria_set.id,
        years=tuple(int(scores.columns.years[i]) for i in idx),
        verdicts=tuple(str(VERDICT[int(scores.verdict[i])]) for i in idx),
        criteria_met=tuple(int(scores.met[i]) for i in idx),
        criteria_total=tuple(int(scores.total[i]) for i in idx),
        changes=_changes(scores, idx),
        trends=trends,
        growth=growth,
        revocation=_watch(scores, frame, idx, communes),
    )


def _number(value: Any) -> float | None:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    return float(value)


def _direction(operator: str, values: Sequence[Any]) -> tuple[float | None, str]:
    numbers = [v for v in (_number(x) for x in values) if v is not None]
    if len(numbers) < 2:
        return None, ""
    change = numbers[-1] - numbers[-2]
    if change == 0:
        return 0.0, "same"
    up = operator in (">=", ">")
    down = operator in ("<=", "<")
    if not (up or down):
        return change, ""
    return change, "better" if (change > 0) == up else "worse"


def _trends(evaluations: Sequence[Evaluation]) -> tuple[IndicatorTrend, ...]:
    per_year = [{i.id: (c.id, i) for c in ev.criteria for i in c.indicators} for ev in evaluations]
    out = []
    for crit in evaluations[-1].criteria:
        for ind in crit.indicators:
            rows = [found.get(ind.id) for found in per_year]
            heads = [r[1].primary if r else None for r in rows]
            values = tuple(h.value if h else None for h in heads)
            change, direction = _direction(ind.primary.operator, values)
            out.append(
                IndicatorTrend(
                    criterion=crit.id,
                    indicator=ind.id,
                    measure=ind.primary.measure,
                    operator=ind.primary.operator,
                    unit=ind.primary.unit,
                    values=values,
                    statuses=tuple(str(r[1].status) if r else "" for r in rows),
                    thresholds=tuple(h.threshold if h else None for h in heads),
                    change=change,
                    direction=direction,
                )
            )
    return tuple(out)


def _growth(
    cset: CriteriaSet, evaluations: Sequence[Evaluation], communes: Sequence[Commune]
) -> tuple[GrowthCheck, ...]:
    """For each indicator whose threshold is set per year with a floor (income), the growth
    the series shows carried one year forward, against next year's level."""
    out = []
    last_ev = evaluations[-1]
    for ind in cset.indicators:
        check = ind.checks[0]
        if not check.threshold.by_year or check.operator not in (">=", ">"):
            continue
        numbers = [(c.year, _number(c.value(check.measure))) for c in communes]
        points = [(y, v) for y, v in numbers if v is not None and v > 0]
        if len(points) < 2 or points[0][0] == points[-1][0]:
            continue
        (y0, v0), (y1, v1) = points[0], points[-1]
        rate = (v1 / v0) ** (1.0 / (y1 - y0)) - 1.0
        projected = v1 * (1.0 + rate)
        nxt = y1 + 1
        level: float | None = None
        verified: bool | None = None
        reason = ""
        if not cset.covers_year(nxt):
            reason = "outside_period"
        else:
            cell = check.threshold.resolve(last_ev.region_applied, nxt).cell
            level = None if cell is None or cell.value is None else float(cell.value)
            verified = None if cell is None else cell.verified
            reason = "" if level is not None else "unknown"
        reaches = None
        if level is not None:
            reaches = projected >= level if check.operator == ">=" else projected > level
        found = last_ev.indicators()
        unit = next((i.primary.unit for i in found if i.id == ind.id), None)
        if unit is None:
            continue
        out.append(
            GrowthCheck(
                ind.id,
                check.measure,
                unit,
                y0,
                y1,
                v1,
                rate,
                nxt,
                projected,
                level,
                verified,
                reaches,
                reason,
            )
        )
    return tuple(out)


def province_years(
    scores: SetScores, groups: Sequence[Sequence[int]], earlier_rows: int
) -> ProvinceYears:
    """The series of a province file, against one set: every commune's verdicts and changes,
    the revocation watch, and per indicator the communes passing it in each year."""
    frame = revocation.frame(scores)
    found = tuple(commune_years(scores, idx, frame) for idx in groups)
    years = scores.columns.years
    in_series = np.zeros(scores.n, dtype=bool)
    for idx in groups:
        in_series[list(idx)] = True
    distinct = sorted({int(y) for y in years[in_series]})
    rows = []
    for p in scores.plan.indicators[: scores.plan.n_scored]:
        st = scores.status[p.index]
        passing, decided = [], []
        for y in distinct:
            m = in_series & (years == y)
            passing.append(int(((st == PASS) & m).sum()))
            decided.append(int((((st == PASS) | (st == FAIL)) & m).sum()))
        rows.append(IndicatorYears(p.indicator.id, tuple(distinct), tuple(passing), tuple(decided)))
    return ProvinceYears(scores.criteria_set.id, len(groups), earlier_rows, found, tuple(rows))


__all__ = ["commune_keys", "commune_years", "latest", "province_years", "series"]
