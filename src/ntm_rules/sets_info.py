"""Summaries of criteria sets for `sets` and `show`: plain data with ``to_dict()``."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .load.measures import Measures
from .model.criteria import CriteriaSet, Indicator, RegionValues
from .model.results import _num


@dataclass(frozen=True)
class SetSummary:
    criteria_set: CriteriaSet

    def to_dict(self) -> dict[str, Any]:
        s = self.criteria_set
        counts = s.cell_counts()
        known = counts["verified"] + counts["unverified"]
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
            "verified_share": round(counts["verified"] / known, 4) if known else 0.0,
            "overlay": s.overlay.to_dict() if s.overlay else None,
            "path": s.path,
        }


def _cell_value(values: RegionValues | None, region: str | None) -> Any:
    if values is None:
        return None
    if region is None:
        cell = values.all_regions or values.general
    else:
        cell, _ = values.for_region(region)
    return _num(cell.value) if cell is not None else None


def indicator_view(
    ind: Indicator, measures: Measures, region: str | None, year: int | None
) -> dict[str, Any]:
    check = ind.checks[0]
    values, used_year = (
        check.threshold.values_for_year(year)
        if (year is not None or not check.threshold.by_year)
        else (None, None)
    )
    if check.threshold.by_year and year is None:
        values = check.threshold.by_year[-1][1]
        used_year = check.threshold.by_year[-1][0]
    cell = None
    if values is not None:
        if region is not None:
            cell, _ = values.for_region(region)
        else:
            cell = values.all_regions or values.general
    by_region: dict[str, Any] = {}
    if values is not None:
        from .load.regions import REGION_CODES

        for code in REGION_CODES:
            rc, _ = values.for_region(code)
            by_region[code] = _num(rc.value) if rc is not None else None
    measure = measures.get(check.measure)
    return {
        "id": ind.id,
        "text": ind.text.to_dict(),
        "measure": check.measure,
        "measures": list(ind.measures),
        "operator": check.operator,
        "threshold": _num(cell.value) if cell is not None else None,
        "thresholds_by_region": by_region,
        "threshold_year": used_year,
        "unit": measure.unit_text("en") if measure else "",
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

    def to_dict(self) -> dict[str, Any]:
        s = self.criteria_set
        return {
            "id": s.id,
            "title": s.title.to_dict(),
            "decision": s.decision,
            "period": {"from": s.period[0], "to": s.period[1]},
            "tier": s.tier,
            "region": self.region,
            "year": self.year,
            "overlay": s.overlay.to_dict() if s.overlay else None,
            "region_rules": [r.to_dict() for r in s.region_rules],
            "key_criteria": list(s.key_criteria),
            "criteria": [
                {
                    "id": c.id,
                    "name": c.name.to_dict(),
                    "group": c.group,
                    "indicators": [
                        indicator_view(i, self.measures, self.region, self.year)
                        for i in c.indicators
                    ],
                }
                for c in s.criteria
            ],
        }
