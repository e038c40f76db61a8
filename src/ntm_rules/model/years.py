"""Progress over years: one commune assessed in several data years against one set.

A series is the data years of one commune (same code, or same province, district and name),
all scored against the same set, so a change of verdict is a change of the commune, not of the
law. The revocation watch follows Decision 18/2022/QĐ-TTg: a recognised commune in the
revocation frame in two consecutive assessments of the series.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ..words import Text
from .commune import Recognized
from .status import num


@dataclass(frozen=True)
class IndicatorTrend:
    """One indicator's values and statuses, year by year (oldest first).

    `direction` compares the last two years that have a value: ``better`` when the value moved
    toward passing (up for a floor, down for a ceiling), ``worse`` the other way, ``same``
    when equal, ``""`` when fewer than two years have a number."""

    criterion: str
    indicator: str
    measure: str
    operator: str
    unit: Text
    values: tuple[Any, ...]
    statuses: tuple[str, ...]
    thresholds: tuple[Any, ...]
    change: float | None
    direction: str

    @property
    def status_changed(self) -> bool:
        return len(set(self.statuses)) > 1

    def to_dict(self) -> dict[str, Any]:
        return {
            "criterion": self.criterion,
            "indicator": self.indicator,
            "measure": self.measure,
            "operator": self.operator,
            "unit": self.unit.to_dict(),
            "values": [num(v) for v in self.values],
            "statuses": list(self.statuses),
            "thresholds": [num(v) for v in self.thresholds],
            "change": None if self.change is None else num(round(self.change, 6)),
            "direction": self.direction,
        }


@dataclass(frozen=True)
class VerdictChange:
    """From one assessment of the series to the next: the verdicts and the criteria that
    changed status (gained: now pass; lost: passed, now fail; undecided: passed, now undecided —
    a missing value or an unknown threshold, never counted as lost)."""

    from_year: int
    to_year: int
    from_verdict: str
    to_verdict: str
    gained: tuple[str, ...]
    lost: tuple[str, ...]
    undecided: tuple[str, ...] = ()

    @property
    def changed(self) -> bool:
        return self.from_verdict != self.to_verdict

    def to_dict(self) -> dict[str, Any]:
        return {
            "from_year": self.from_year,
            "to_year": self.to_year,
            "from": self.from_verdict,
            "to": self.to_verdict,
            "changed": self.changed,
            "criteria_gained": list(self.gained),
            "criteria_lost": list(self.lost),
            "criteria_undecided": list(self.undecided),
        }


@dataclass(frozen=True)
class GrowthCheck:
    """For an indicator whose threshold rises by year (income): does the current growth reach
    next year's level? `growth` is the mean annual rate over the series (compounded);
    `projected` the last value grown one more year. `reaches` is None when next year's level is
    unknown or outside the set's period (`reason` says which); then `needs` is the level at or
    below which the projection passes."""

    indicator: str
    measure: str
    unit: Text
    first_year: int
    last_year: int
    last_value: float
    growth: float
    next_year: int
    projected: float
    next_threshold: float | None
    verified: bool | None
    reaches: bool | None
    reason: str  # "" | "unknown" | "outside_period"

    def to_dict(self) -> dict[str, Any]:
        return {
            "indicator": self.indicator,
            "measure": self.measure,
            "unit": self.unit.to_dict(),
            "first_year": self.first_year,
            "last_year": self.last_year,
            "last_value": num(self.last_value),
            "growth": round(self.growth, 4),
            "next_year": self.next_year,
            "projected": num(round(self.projected, 2)),
            "next_threshold": num(self.next_threshold),
            "threshold_verified": self.verified,
            "reaches": self.reaches,
            "reason": self.reason,
        }


@dataclass(frozen=True)
class RevocationWatch:
    """A recognised commune in the revocation frame in two consecutive assessments (`watch`
    True), possibly so (None: its place in the frame is undecided in one of them), or not."""

    years: tuple[int, ...]
    in_frame: tuple[bool | None, ...]
    cases: tuple[str, ...]
    watch: bool | None
    recognized: Recognized | None

    def to_dict(self) -> dict[str, Any]:
        return {
            "years": list(self.years),
            "in_frame": list(self.in_frame),
            "cases": list(self.cases),
            "watch": self.watch,
            "recognized": self.recognized.to_dict() if self.recognized else None,
        }


@dataclass(frozen=True)
class CommuneYears:
    """One commune over its data years, against one set."""

    commune: str
    district: str
    province: str
    code: str
    set_id: str
    years: tuple[int, ...]
    verdicts: tuple[str, ...]
    criteria_met: tuple[int, ...]
    criteria_total: tuple[int, ...]
    changes: tuple[VerdictChange, ...]
    trends: tuple[IndicatorTrend, ...] = ()
    growth: tuple[GrowthCheck, ...] = ()
    revocation: RevocationWatch | None = None

    @property
    def status_changed(self) -> bool:
        return any(c.changed for c in self.changes)

    def to_dict(self) -> dict[str, Any]:
        return {
            "commune": self.commune,
            "district": self.district,
            "province": self.province,
            "code": self.code,
            "set": self.set_id,
            "years": list(self.years),
            "verdicts": list(self.verdicts),
            "criteria_met": list(self.criteria_met),
            "criteria_total": list(self.criteria_total),
            "status_changed": self.status_changed,
            "changes": [c.to_dict() for c in self.changes],
            "trends": [t.to_dict() for t in self.trends],
            "growth": [g.to_dict() for g in self.growth],
            "revocation_watch": self.revocation.to_dict() if self.revocation else None,
        }


@dataclass(frozen=True)
class IndicatorYears:
    """Province level: per year, how many communes pass one indicator, of those decided."""

    indicator: str
    years: tuple[int, ...]
    passing: tuple[int, ...]
    decided: tuple[int, ...]

    def to_dict(self) -> dict[str, Any]:
        return {
            "indicator": self.indicator,
            "years": list(self.years),
            "passing": list(self.passing),
            "decided": list(self.decided),
        }


@dataclass(frozen=True)
class ProvinceYears:
    """`batch` over several data years: the headline counts each commune once, in its latest
    year; this section holds the series (communes with two or more years)."""

    set_id: str
    communes: int  # communes with a series
    earlier_rows: int  # rows of earlier years, left out of the headline
    series: tuple[CommuneYears, ...]
    indicators: tuple[IndicatorYears, ...]

    @property
    def changed(self) -> tuple[CommuneYears, ...]:
        return tuple(s for s in self.series if s.status_changed)

    @property
    def watch(self) -> tuple[CommuneYears, ...]:
        return tuple(s for s in self.series if s.revocation and s.revocation.watch is not False)

    def to_dict(self) -> dict[str, Any]:
        return {
            "set": self.set_id,
            "communes": self.communes,
            "earlier_rows": self.earlier_rows,
            "changed": [s.to_dict() for s in self.changed],
            "revocation_watch": [s.to_dict() for s in self.watch],
            "indicators": [i.to_dict() for i in self.indicators],
        }
