"""A criteria set compiled for scoring: flat checks, the region rule, and resolved thresholds.

The plan is built once per set. Indicators come in the set's order followed by the recognition
conditions; every check gets a flat index. Which region's levels a commune is assessed at
depends only on its stated region and categories (:meth:`Plan.region_for`), and the threshold
cells only on that region and the data year (:meth:`Plan.cells`); both are resolved once per
distinct key and cached.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property

from ..model.criteria import Cell, Condition, CriteriaSet, Indicator, RegionRule, Resolved

CONDITION = -1  # the deciding "check" is the indicator's applies_if condition


@dataclass(frozen=True)
class PlanCheck:
    index: int  # position in Plan.checks
    indicator: int  # position in Plan.indicators
    position: int  # position among its indicator's checks
    measure: str
    operator: str
    boolean: bool  # compares yes/no values: no numeric gap


@dataclass(frozen=True)
class PlanIndicator:
    index: int
    indicator: Indicator
    criterion: int  # position in the set's criteria; -1 for a recognition condition
    checks: tuple[int, ...]  # flat check indices
    condition: Condition | None

    @property
    def id(self) -> str:
        return self.indicator.id

    @property
    def recognition(self) -> bool:
        return self.criterion < 0


@dataclass(frozen=True)
class RegionChoice:
    """The region whose levels apply, the rule that moved the commune there (if any), and the
    rules whose first clause alone matched (another reading would apply them)."""

    region: str
    rule: RegionRule | None
    matched: tuple[str, ...] = ()
    half_rules: tuple[tuple[RegionRule, tuple[str, ...]], ...] = ()

    @property
    def unverified(self) -> bool:
        return self.rule is not None and not self.rule.verified


@dataclass
class Plan:
    criteria_set: CriteriaSet
    indicators: tuple[PlanIndicator, ...] = ()
    checks: tuple[PlanCheck, ...] = ()
    _regions: dict[tuple[str, tuple[str, ...]], RegionChoice] = field(default_factory=dict)
    _cells: dict[tuple[str, int], tuple[Resolved, ...]] = field(default_factory=dict)

    @classmethod
    def compile(cls, criteria_set: CriteriaSet) -> Plan:
        indicators: list[PlanIndicator] = []
        checks: list[PlanCheck] = []
        items = [
            (c, ind) for c, crit in enumerate(criteria_set.criteria) for ind in crit.indicators
        ]
        items += [(-1, ind) for ind in criteria_set.recognition]
        for k, (criterion, ind) in enumerate(items):
            flat = []
            for pos, check in enumerate(ind.checks):
                boolean = check.operator == "is true" or any(
                    isinstance(cell.value, bool) for cell in check.threshold.cells()
                )
                checks.append(
                    PlanCheck(len(checks), k, pos, check.measure, check.operator, boolean)
                )
                flat.append(len(checks) - 1)
            indicators.append(PlanIndicator(k, ind, criterion, tuple(flat), ind.applies_if))
        return cls(criteria_set, tuple(indicators), tuple(checks))

    @cached_property
    def n_criteria(self) -> int:
        return len(self.criteria_set.criteria)

    @cached_property
    def n_scored(self) -> int:
        """Indicators of the criteria (the recognition conditions follow them)."""
        return sum(1 for p in self.indicators if not p.recognition)

    @cached_property
    def measures(self) -> tuple[str, ...]:
        """Every measure a check or a condition reads, once."""
        seen: dict[str, None] = {}
        for p in self.indicators:
            if p.condition is not None:
                seen.setdefault(p.condition.measure, None)
            for c in p.checks:
                seen.setdefault(self.checks[c].measure, None)
        return tuple(seen)

    def region_for(self, region: str, categories: tuple[str, ...]) -> RegionChoice:
        key = (region, categories)
        found = self._regions.get(key)
        if found is None:
            found = RegionChoice(region, None)
            for rule in self.criteria_set.region_rules:
                hit = rule.matches(categories)
                if hit:
                    found = RegionChoice(rule.use_region, rule, hit)
                    break
            else:
                half = tuple(
                    (rule, tuple(c for c in categories if c in rule.categories))
                    for rule in self.criteria_set.region_rules
                    if rule.and_categories
                    and not rule.verified
                    and any(c in rule.categories for c in categories)
                )
                found = RegionChoice(region, None, (), half)
            self._regions[key] = found
        return found

    def cells(self, region: str, year: int) -> tuple[Resolved, ...]:
        """The threshold cell of every check for `region` (applied) and data `year`."""
        key = (region, year)
        found = self._cells.get(key)
        if found is None:
            found = tuple(
                self.indicators[c.indicator]
                .indicator.checks[c.position]
                .threshold.resolve(region, year)
                for c in self.checks
            )
            self._cells[key] = found
        return found


def cell_value(resolved: Resolved) -> object:
    cell: Cell | None = resolved.cell
    return cell.value if cell is not None else None
