"""Static diff of two criteria sets: which indicators were added, removed, moved or changed.

Indicators are matched by the measure they read (the shared vocabulary), not only by id, so an
indicator renumbered between decisions is reported as moved rather than removed and re-added.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from .load.regions import REGION_CODES
from .model.criteria import CriteriaSet, Indicator, Threshold
from .model.results import _num
from .operators import OPERATORS


def _at(threshold: Threshold, region: str, year: int) -> tuple[Any, bool | None]:
    cell = threshold.resolve(region, year).cell
    if cell is None:
        return None, None
    return cell.value, cell.verified


def _direction(operator: str, old: Any, new: Any) -> str:
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
    from_id: str
    to_id: str
    measure: str
    operator_from: str
    operator_to: str
    regions: dict[str, dict[str, Any]]
    text_changed: bool

    @property
    def changed(self) -> bool:
        return (
            self.operator_from != self.operator_to
            or self.text_changed
            or any(
                r["direction"] != "unchanged" and r["direction"] != "unknown"
                for r in self.regions.values()
            )
        )

    @property
    def summary(self) -> str:
        kinds = {r["direction"] for r in self.regions.values()} - {"unchanged", "unknown"}
        return ", ".join(sorted(kinds)) or ("reworded" if self.text_changed else "unchanged")

    def to_dict(self) -> dict[str, Any]:
        return {
            "from_id": self.from_id,
            "to_id": self.to_id,
            "measure": self.measure,
            "operator_from": self.operator_from,
            "operator_to": self.operator_to,
            "text_changed": self.text_changed,
            "summary": self.summary,
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
    moved: tuple[IndicatorChange, ...] = ()
    unchanged: tuple[str, ...] = ()
    criteria_renamed: tuple[dict[str, Any], ...] = field(default_factory=tuple)

    def to_dict(self) -> dict[str, Any]:
        return {
            "from": self.from_id,
            "to": self.to_id,
            "indicators_from": self.indicators_from,
            "indicators_to": self.indicators_to,
            "year_from": self.year_from,
            "year_to": self.year_to,
            "added": list(self.added),
            "removed": list(self.removed),
            "changed": [c.to_dict() for c in self.changed],
            "moved": [m.to_dict() for m in self.moved],
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


def _compare(old: Indicator, new: Indicator, year_from: int, year_to: int) -> IndicatorChange:
    regions: dict[str, dict[str, Any]] = {}
    old_check, new_check = old.checks[0], new.checks[0]
    for code in REGION_CODES:
        before, v_before = _at(old_check.threshold, code, year_from)
        after, v_after = _at(new_check.threshold, code, year_to)
        delta = None
        if (
            isinstance(before, (int, float))
            and isinstance(after, (int, float))
            and not isinstance(before, bool)
            and not isinstance(after, bool)
        ):
            delta = _num(round(after - before, 6))
        regions[code] = {
            "from": _num(before),
            "to": _num(after),
            "delta": delta,
            "direction": _direction(new_check.operator, before, after),
            "verified_from": v_before,
            "verified_to": v_after,
        }
    return IndicatorChange(
        old.id,
        new.id,
        old.measure,
        old_check.operator,
        new_check.operator,
        regions,
        old.text.vi != new.text.vi,
    )


def diff_sets(
    old: CriteriaSet, new: CriteriaSet, year_from: int | None = None, year_to: int | None = None
) -> SetDiff:
    """Compare `old` with `new`; year-dependent values are read at each set's last year."""
    y_from = year_from if year_from is not None else old.period[1]
    y_to = year_to if year_to is not None else new.period[1]
    old_crit = {i.id: c.id for c in old.criteria for i in c.indicators}
    new_crit = {i.id: c.id for c in new.criteria for i in c.indicators}
    new_by_measure: dict[str, list[Indicator]] = {}
    for ind in new.indicators:
        new_by_measure.setdefault(ind.measure, []).append(ind)
    paired_new: set[str] = set()
    changed: list[IndicatorChange] = []
    moved: list[IndicatorChange] = []
    unchanged: list[str] = []
    removed: list[dict[str, Any]] = []
    pending: list[Indicator] = []
    for ind in old.indicators:
        same = new.indicator(ind.id)
        if same is not None and same.measure == ind.measure:
            paired_new.add(same.id)
            change = _compare(ind, same, y_from, y_to)
            (changed.append(change) if change.changed else unchanged.append(ind.id))
        else:
            pending.append(ind)
    for ind in pending:
        candidates = [n for n in new_by_measure.get(ind.measure, []) if n.id not in paired_new]
        if candidates:
            paired_new.add(candidates[0].id)
            moved.append(_compare(ind, candidates[0], y_from, y_to))
        else:
            removed.append(_entry(ind, old_crit[ind.id]))
    added = [_entry(ind, new_crit[ind.id]) for ind in new.indicators if ind.id not in paired_new]
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
        y_from,
        y_to,
        tuple(added),
        tuple(removed),
        tuple(changed),
        tuple(moved),
        tuple(unchanged),
        tuple(renamed),
    )
