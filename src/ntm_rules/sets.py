"""Criteria sets as people look at them: `sets` (summaries), `show` (effective thresholds)
and `diff` (what changed from one set to another).

`diff` pairs indicators with the same rule as the culprits of a lost certification
(:mod:`ntm_rules.score.pairing`): same id and measure, renumbered (same measure), or the same
legal place measured another way; only what is left in the new set is *added*.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from .model.criteria import CriteriaSet, Indicator, RegionValues, Threshold
from .model.programme import KnownSet
from .model.status import num
from .model.vocab import Measures
from .operators import OPERATORS
from .score.pairing import MOVED, REMEASURED, SAME, pair

# --- sets ------------------------------------------------------------------------------------


def closed_unknowns(overlay: CriteriaSet, base: CriteriaSet) -> int:
    """How many threshold cells unknown in `base` the overlay fills (by region and year)."""
    regions = region_codes(base, overlay)
    closed = 0
    for ind in overlay.indicators:
        old = base.indicator(ind.id)
        if old is None:
            continue
        for k, check in enumerate(ind.checks):
            if k >= len(old.checks):
                break
            years: list[int | None] = [y for y, _ in check.threshold.by_year] or [None]
            for year in years:
                for region in regions:
                    new_cell = check.threshold.resolve(region, year).cell
                    before = old.checks[k].threshold.resolve(region, year).cell
                    known = new_cell is not None and new_cell.value is not None
                    if known and (before is None or before.value is None):
                        closed += 1
    return closed


@dataclass(frozen=True)
class SetSummary:
    """A set for `ntm-check sets`: decision, period, counts and how much of it is known;
    for an overlay, how many of its base's unknown cells it fills."""

    criteria_set: CriteriaSet
    base: CriteriaSet | None = None

    def to_dict(self) -> dict[str, Any]:
        s = self.criteria_set
        counts = s.cell_counts()
        known = counts["verified"] + counts["unverified"]
        cells = known + counts["unknown"]
        return {
            "id": s.id,
            "title": s.title.to_dict(),
            "decision": s.decision,
            "issued": s.issued,
            "period": {"from": s.period[0], "to": s.period[1]},
            "tier": s.tier,
            "criteria": len(s.criteria),
            "indicators": len(s.indicators),
            "doubtful_indicators": [i.id for i in s.indicators if i.doubt],
            "cells": counts,
            "verified_share": round(counts["verified"] / cells, 4) if cells else 0.0,
            "known_share": round(known / cells, 4) if cells else 0.0,
            "overlay": s.overlay.to_dict() if s.overlay else None,
            "closes_unknowns": closed_unknowns(s, self.base) if self.base else None,
            "path": s.path,
        }


@dataclass(frozen=True)
class SetList:
    sets: tuple[SetSummary, ...]
    not_encoded: tuple[KnownSet, ...] = ()  # issued sets whose tables could not be read

    def to_dict(self) -> dict[str, Any]:
        return {
            "sets": [s.to_dict() for s in self.sets],
            "not_encoded": [k.to_dict() for k in self.not_encoded],
        }


def region_codes(*sets: CriteriaSet) -> tuple[str, ...]:
    """The region codes the sets' thresholds name, in order of first appearance."""
    seen: dict[str, None] = {}
    for cset in sets:
        for ind in [*cset.indicators, *cset.recognition]:
            for check in ind.checks:
                for values in [check.threshold.base, *(v for _, v in check.threshold.by_year)]:
                    for code in values.by_region:
                        seen.setdefault(code, None)
    return tuple(seen)


def indicator_view(
    ind: Indicator,
    measures: Measures,
    region: str | None,
    year: int | None,
    regions: Sequence[str],
) -> dict[str, Any]:
    check = ind.checks[0]
    values: RegionValues | None
    if check.threshold.by_year and year is None:
        used_year: int | None = check.threshold.by_year[-1][0]
        values = check.threshold.by_year[-1][1]
    else:
        values, used_year = check.threshold.values_for_year(year)
    cell = None
    if values is not None:
        cell = values.for_region(region)[0] if region else (values.all_regions or values.general)
    by_region: dict[str, Any] = {}
    if values is not None:
        for code in regions:
            found, _ = values.for_region(code)
            by_region[code] = num(found.value) if found is not None else None
    measure = measures.get(check.measure)
    return {
        "id": ind.id,
        "text": ind.text.to_dict(),
        "measure": check.measure,
        "measures": list(ind.measures),
        "operator": check.operator,
        "threshold": num(cell.value) if cell is not None else None,
        "thresholds_by_region": by_region,
        "threshold_year": used_year,
        "unit": {"vi": measure.unit_text("vi"), "en": measure.unit_text("en")}
        if measure
        else {"vi": "", "en": ""},
        "verified": cell.verified if cell is not None else None,
        "source": cell.source.to_dict() if cell is not None else None,
        "note": cell.note if cell is not None else "",
        "origin": cell.origin if cell is not None else "",
        "applies_if": ind.applies_if.to_dict() if ind.applies_if else None,
        "doubt": ind.doubt,
        "checks": [
            {"measure": c.measure, "operator": c.operator, "threshold": c.threshold.to_dict()}
            for c in ind.checks
        ],
    }


@dataclass(frozen=True)
class SetView:
    """The effective thresholds of a set for `show`, optionally for one region and year."""

    criteria_set: CriteriaSet
    measures: Measures
    region: str | None = None
    year: int | None = None
    regions: tuple[str, ...] = ()
    base: CriteriaSet | None = None

    def to_dict(self) -> dict[str, Any]:
        s = self.criteria_set
        codes = self.regions or region_codes(s)
        return {
            "id": s.id,
            "title": s.title.to_dict(),
            "decision": s.decision,
            "period": {"from": s.period[0], "to": s.period[1]},
            "tier": s.tier,
            "region": self.region,
            "year": self.year,
            "overlay": s.overlay.to_dict() if s.overlay else None,
            "closes_unknowns": closed_unknowns(s, self.base) if self.base else None,
            "region_rules": [r.to_dict() for r in s.region_rules],
            "key_criteria": list(s.key_criteria),
            "criteria": [
                {
                    "id": c.id,
                    "name": c.name.to_dict(),
                    "group": c.group,
                    "indicators": [
                        indicator_view(i, self.measures, self.region, self.year, codes)
                        for i in c.indicators
                    ],
                }
                for c in s.criteria
            ],
        }


# --- diff ------------------------------------------------------------------------------------


def _at(threshold: Threshold, region: str, year: int) -> tuple[Any, bool | None]:
    cell = threshold.resolve(region, year).cell
    if cell is None:
        return None, None
    return cell.value, cell.verified


def direction(operator: str, old: Any, new: Any) -> str:
    """How a threshold moved: tightened (stricter), loosened, changed, unchanged, or
    became_known / became_unknown / unknown."""
    if old is None and new is None:
        return "unknown"
    if old is None:
        return "became_known"
    if new is None:
        return "became_unknown"
    if old == new:
        return "unchanged"
    sense = OPERATORS[operator].direction
    if sense == 0 or isinstance(old, bool) or isinstance(new, bool):
        return "changed"
    stricter = (new > old) if sense > 0 else (new < old)
    return "tightened" if stricter else "loosened"


@dataclass(frozen=True)
class IndicatorChange:
    """An old indicator and the new one that continues it (`how`: same, moved, remeasured)."""

    from_id: str
    to_id: str
    measure: str
    measure_to: str
    operator_from: str
    operator_to: str
    regions: dict[str, dict[str, Any]]
    text_changed: bool
    how: str = SAME
    criterion_to: str = ""

    @property
    def changed(self) -> bool:
        return (
            self.how != SAME
            or self.operator_from != self.operator_to
            or self.text_changed
            or any(r["direction"] not in ("unchanged", "unknown") for r in self.regions.values())
        )

    @property
    def kinds(self) -> tuple[str, ...]:
        """What changed, as codes: the threshold directions, then reworded / remeasured."""
        skip = {"unchanged", "unknown", "remeasured"}
        found = sorted({r["direction"] for r in self.regions.values()} - skip)
        if self.how == REMEASURED:
            found.append("remeasured")
        if self.text_changed:
            found.append("reworded")
        return tuple(found)

    def to_dict(self) -> dict[str, Any]:
        return {
            "from_id": self.from_id,
            "to_id": self.to_id,
            "how": self.how,
            "criterion": self.criterion_to,
            "measure": self.measure,
            "measure_to": self.measure_to,
            "operator_from": self.operator_from,
            "operator_to": self.operator_to,
            "text_changed": self.text_changed,
            "summary": list(self.kinds),
            "regions": self.regions,
        }


@dataclass(frozen=True)
class SetDiff:
    from_id: str
    to_id: str
    indicators_from: int
    indicators_to: int
    year_from: int
    year_to: int
    added: tuple[dict[str, Any], ...] = ()
    removed: tuple[dict[str, Any], ...] = ()
    changed: tuple[IndicatorChange, ...] = ()
    unchanged: tuple[str, ...] = ()
    criteria_renamed: tuple[dict[str, Any], ...] = ()

    @property
    def moved(self) -> tuple[IndicatorChange, ...]:
        return tuple(c for c in self.changed if c.how == MOVED)

    @property
    def remeasured(self) -> tuple[IndicatorChange, ...]:
        return tuple(c for c in self.changed if c.how == REMEASURED)

    def to_dict(self) -> dict[str, Any]:
        return {
            "from": self.from_id,
            "to": self.to_id,
            "indicators_from": self.indicators_from,
            "indicators_to": self.indicators_to,
            "net_change": self.indicators_to - self.indicators_from,
            "year_from": self.year_from,
            "year_to": self.year_to,
            "added": list(self.added),
            "removed": list(self.removed),
            "changed": [c.to_dict() for c in self.changed],
            "unchanged": list(self.unchanged),
            "criteria_renamed": list(self.criteria_renamed),
        }


def _entry(ind: Indicator, criterion: str) -> dict[str, Any]:
    return {
        "id": ind.id,
        "criterion": criterion,
        "measure": ind.measure,
        "measures": list(ind.measures),
        "text": ind.text.to_dict(),
        "doubt": ind.doubt,
    }


def _change(
    old: Indicator,
    new: Indicator,
    how: str,
    criterion: str,
    years: tuple[int, int],
    regions: Sequence[str],
) -> IndicatorChange:
    by_region: dict[str, dict[str, Any]] = {}
    old_check, new_check = old.checks[0], new.checks[0]
    comparable = how != REMEASURED
    for code in regions:
        before, v_before = _at(old_check.threshold, code, years[0])
        after, v_after = _at(new_check.threshold, code, years[1])
        delta = None
        numbers = all(
            isinstance(x, (int, float)) and not isinstance(x, bool) for x in (before, after)
        )
        if numbers and comparable:
            delta = num(round(after - before, 6))
        by_region[code] = {
            "from": num(before),
            "to": num(after),
            "delta": delta,
            "direction": direction(new_check.operator, before, after)
            if comparable
            else "remeasured",
            "verified_from": v_before,
            "verified_to": v_after,
        }
    return IndicatorChange(
        old.id,
        new.id,
        old.measure,
        new.measure,
        old_check.operator,
        new_check.operator,
        by_region,
        old.text.vi != new.text.vi,
        how,
        criterion,
    )


def diff_sets(
    old: CriteriaSet,
    new: CriteriaSet,
    year_from: int | None = None,
    year_to: int | None = None,
    regions: Sequence[str] = (),
) -> SetDiff:
    """Compare `old` with `new`; year-dependent values are read at each set's last year unless
    a year is given; thresholds are compared region by region (`regions`, else every region the
    sets name)."""
    years = (
        year_from if year_from is not None else old.period[1],
        year_to if year_to is not None else new.period[1],
    )
    codes = tuple(regions) or region_codes(new, old)
    old_crit = {i.id: c.id for c in old.criteria for i in c.indicators}
    new_crit = {i.id: c.id for c in new.criteria for i in c.indicators}
    pairing = pair(old, new)
    changed: list[IndicatorChange] = []
    unchanged: list[str] = []
    for before, after, how in pairing.pairs:
        change = _change(before, after, how, new_crit[after.id], years, codes)
        if change.changed:
            changed.append(change)
        else:
            unchanged.append(after.id)
    renamed = [
        {"id": c.id, "from": c.name.to_dict(), "to": nc.name.to_dict()}
        for c in old.criteria
        if (nc := new.criterion(c.id)) is not None and nc.name.vi != c.name.vi
    ]
    return SetDiff(
        old.id,
        new.id,
        len(old.indicators),
        len(new.indicators),
        years[0],
        years[1],
        tuple(_entry(i, new_crit[i.id]) for i in pairing.added),
        tuple(_entry(i, old_crit[i.id]) for i in pairing.removed),
        tuple(changed),
        tuple(unchanged),
        tuple(renamed),
    )
