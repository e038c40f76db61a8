"""The criteria side: sets, criteria, indicators, thresholds and their provenance."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from ..errors import Location
from ..words import Text

Value = float | int | bool | None


@dataclass(frozen=True)
class Source:
    """Where a value was read: a citation, its URL and the kind of source."""

    key: str
    citation: str
    url: str = ""
    kind: str = "secondary"  # official | secondary | provincial | reconstruction

    def to_dict(self) -> dict[str, Any]:
        return {"key": self.key, "citation": self.citation, "url": self.url, "kind": self.kind}


@dataclass(frozen=True)
class Cell:
    """One legal value with its provenance. ``value is None`` means unknown (a gap)."""

    value: Value
    verified: bool
    source: Source
    note: str = ""
    origin: str = ""  # the id of the set or overlay the value came from

    @property
    def known(self) -> bool:
        return self.value is not None

    def to_dict(self) -> dict[str, Any]:
        return {
            "value": self.value,
            "verified": self.verified,
            "source": self.source.to_dict(),
            "note": self.note,
            "origin": self.origin,
        }


@dataclass(frozen=True)
class RegionValues:
    """The values of one threshold (for one year, if it changes by year)."""

    general: Cell | None = None
    all_regions: Cell | None = None
    by_region: Mapping[str, Cell] = field(default_factory=dict)

    def for_region(self, region: str) -> tuple[Cell | None, str]:
        """The cell that applies in `region` and how it was found."""
        if region in self.by_region:
            return self.by_region[region], "by_region"
        if self.all_regions is not None:
            return self.all_regions, "all_regions"
        return None, "none"

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        if self.general is not None:
            out["general"] = self.general.to_dict()
        if self.all_regions is not None:
            out["all_regions"] = self.all_regions.to_dict()
        if self.by_region:
            out["by_region"] = {r: c.to_dict() for r, c in self.by_region.items()}
        return out


@dataclass(frozen=True)
class Resolved:
    """The threshold cell chosen for one region and year."""

    cell: Cell | None
    basis: str  # by_region | all_regions | none | before-first-year
    year: int | None = None


@dataclass(frozen=True)
class Derivation:
    """A threshold defined as `factor` times another set's indicator threshold (e.g. 110%)."""

    set_id: str
    indicator: str
    factor: float
    verified: bool
    source: Source
    note: str = ""


@dataclass(frozen=True)
class Threshold:
    base: RegionValues = field(default_factory=RegionValues)
    by_year: tuple[tuple[int, RegionValues], ...] = ()
    derive: Derivation | None = None  # resolved into base/by_year when the set is loaded

    def values_for_year(self, year: int | None) -> tuple[RegionValues | None, int | None]:
        if not self.by_year:
            return self.base, None
        if year is None:
            return None, None
        chosen: tuple[int, RegionValues] | None = None
        for y, values in self.by_year:
            if y <= year:
                chosen = (y, values)
        if chosen is None:
            return None, None
        return chosen[1], chosen[0]

    def resolve(self, region: str, year: int | None) -> Resolved:
        values, used_year = self.values_for_year(year)
        if values is None:
            return Resolved(None, "before-first-year" if year is not None else "no-year", None)
        cell, basis = values.for_region(region)
        return Resolved(cell, basis, used_year)

    def cells(self) -> list[Cell]:
        out: list[Cell] = []
        for values in [self.base, *(v for _, v in self.by_year)]:
            if values.general is not None:
                out.append(values.general)
            if values.all_regions is not None:
                out.append(values.all_regions)
            out.extend(values.by_region.values())
        return out

    def to_dict(self) -> dict[str, Any]:
        out = self.base.to_dict()
        if self.derive is not None:
            out["derived_from"] = {
                "set": self.derive.set_id,
                "indicator": self.derive.indicator,
                "factor": self.derive.factor,
            }
        if self.by_year:
            out["by_year"] = {str(y): v.to_dict() for y, v in self.by_year}
        return out


@dataclass(frozen=True)
class Check:
    """One comparison: measure OPERATOR threshold."""

    measure: str
    operator: str
    threshold: Threshold


@dataclass(frozen=True)
class Condition:
    """`applies_if`: the indicator applies only when this holds."""

    measure: str
    operator: str
    value: Value = True

    def to_dict(self) -> dict[str, Any]:
        return {"measure": self.measure, "operator": self.operator, "value": self.value}


@dataclass(frozen=True)
class Indicator:
    id: str
    text: Text
    checks: tuple[Check, ...]
    applies_if: Condition | None = None
    note: str = ""
    doubt: str = ""
    continues: str = ""  # id of the superseded set's indicator it continues, when stated
    origin: str = ""
    location: Location | None = None

    @property
    def measure(self) -> str:
        return self.checks[0].measure

    @property
    def measures(self) -> tuple[str, ...]:
        return tuple(c.measure for c in self.checks)


@dataclass(frozen=True)
class Criterion:
    id: str
    name: Text
    group: str
    indicators: tuple[Indicator, ...]


@dataclass(frozen=True)
class RegionRule:
    """Communes in any of `categories` (and, when given, also in any of `and_categories`) are
    assessed at `use_region`'s levels."""

    id: str
    categories: tuple[str, ...]
    use_region: str
    verified: bool
    source: Source
    note: str = ""
    and_categories: tuple[str, ...] = ()

    def matches(self, categories: tuple[str, ...]) -> tuple[str, ...]:
        """The commune's categories that trigger the rule (empty when it does not apply)."""
        first = tuple(c for c in categories if c in self.categories)
        if not first:
            return ()
        if self.and_categories:
            second = tuple(c for c in categories if c in self.and_categories)
            return first + second if second else ()
        return first

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "categories": list(self.categories),
            "and_categories": list(self.and_categories),
            "use_region": self.use_region,
            "verified": self.verified,
            "source": self.source.to_dict(),
            "note": self.note,
        }


@dataclass(frozen=True)
class RevocationRule:
    """Decision 18/2022/QĐ-TTg: when a recognised commune falls into the revocation frame.

    Case (a): the failing share is at least `partial_from_pct` and below `full_from_pct`, and a
    key criterion fails. Case (b): the failing share is at least `full_from_pct`.
    """

    partial_from_pct: float
    full_from_pct: float
    rule: Text
    verified: bool
    source: Source


@dataclass(frozen=True)
class OverlayInfo:
    id: str
    title: Text
    province: str
    decision: str
    issued: str
    partial: bool
    path: str = ""
    loosens: str = ""  # why the overlay makes the national set easier to meet, as it states
    loosened: tuple[str, ...] = ()  # the indicators it loosens or removes

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "title": self.title.to_dict(),
            "province": self.province,
            "decision": self.decision,
            "issued": self.issued,
            "partial": self.partial,
            "loosens": self.loosens,
            "loosened": list(self.loosened),
        }


@dataclass(frozen=True)
class CriteriaSet:
    id: str
    title: Text
    decision: str
    issued: str
    period: tuple[int, int]
    tier: str
    criteria: tuple[Criterion, ...]
    sources: Mapping[str, Source] = field(default_factory=dict)
    groups: Mapping[str, Text] = field(default_factory=dict)
    region_rules: tuple[RegionRule, ...] = ()
    key_criteria: tuple[str, ...] = ()
    supersedes: str = ""
    path: str = ""
    overlay: OverlayInfo | None = None  # set when this is an overlay resolved on a base set
    base_id: str = ""
    recognition: tuple[Indicator, ...] = ()
    recognition_source: Source | None = None
    revocation: RevocationRule | None = None
    requires: tuple[str, ...] = ()  # tiers: sets whose certification this one presupposes
    # the sets named by `requires`, resolved when the catalog loads this set (never at scoring)
    required_sets: tuple[CriteriaSet, ...] = field(default=(), compare=False, repr=False)

    @property
    def indicators(self) -> list[Indicator]:
        return [i for c in self.criteria for i in c.indicators]

    def indicator(self, indicator_id: str) -> Indicator | None:
        for ind in self.indicators:
            if ind.id == indicator_id:
                return ind
        return None

    def criterion(self, criterion_id: str) -> Criterion | None:
        for crit in self.criteria:
            if crit.id == criterion_id:
                return crit
        return None

    def cell_counts(self) -> dict[str, int]:
        """How many threshold cells are verified, unverified, or unknown (null)."""
        counts = {"verified": 0, "unverified": 0, "unknown": 0}
        for ind in self.indicators:
            for check in ind.checks:
                for cell in check.threshold.cells():
                    if cell.value is None:
                        counts["unknown"] += 1
                    elif cell.verified:
                        counts["verified"] += 1
                    else:
                        counts["unverified"] += 1
        return counts

    def covers_year(self, year: int) -> bool:
        return self.period[0] <= year <= self.period[1]
