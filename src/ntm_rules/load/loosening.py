"""Where an overlay makes the national set easier to meet: a threshold moved to the lenient side
(a lower floor, a higher ceiling) or an indicator removed. Provinces may set stricter levels as a
rule; an overlay that loosens must say so (``loosens: "why"``) and every result using it says it
too. A value marked ``verified: true`` in an overlay must name a source with an address."""

from __future__ import annotations

from ..model.criteria import Cell, CriteriaSet, Indicator, RegionValues
from ..operators import OPERATORS
from .source import Document


def _pairs(new: RegionValues, old: RegionValues) -> list[tuple[str, Cell, Cell | None]]:
    out: list[tuple[str, Cell, Cell | None]] = []
    if new.all_regions is not None:
        out.append(("all_regions", new.all_regions, old.all_regions))
    for region, cell in new.by_region.items():
        out.append((region, cell, old.for_region(region)[0]))
    return out


def _looser(operator: str, new: object, old: object) -> bool:
    direction = OPERATORS[operator].direction
    if direction == 0 or not isinstance(new, (int, float)) or not isinstance(old, (int, float)):
        return False
    if isinstance(new, bool) or isinstance(old, bool):
        return False
    return bool(new < old) if direction > 0 else bool(new > old)


def loosened(overlay: CriteriaSet, base: CriteriaSet, origin: str) -> list[tuple[str, str]]:
    """(indicator id, what) for every cell the overlay set more leniently, and every indicator
    it removed."""
    found: list[tuple[str, str]] = []
    for old in base.indicators:
        new = overlay.indicator(old.id)
        if new is None:
            found.append((old.id, "removed"))
            continue
        found += _cells(new, old, origin)
    return found


def _cells(new: Indicator, old: Indicator, origin: str) -> list[tuple[str, str]]:
    out: list[tuple[str, str]] = []
    for k, check in enumerate(new.checks):
        if k >= len(old.checks) or check.operator != old.checks[k].operator:
            continue
        before = old.checks[k].threshold
        years = [(None, check.threshold.base), *check.threshold.by_year]
        for year, values in years:
            old_values = before.values_for_year(year)[0] if year is not None else before.base
            if old_values is None:
                continue
            for where, cell, prior in _pairs(values, old_values):
                if cell.origin != origin or prior is None or prior.value is None:
                    continue
                if cell.value is not None and _looser(check.operator, cell.value, prior.value):
                    when = f" {year}" if year is not None else ""
                    out.append((new.id, f"{where}{when}: {prior.value} → {cell.value}"))
    return out


def check_sources(doc: Document, overlay: CriteriaSet, origin: str) -> None:
    """A verified value of the overlay needs a source with an address (url)."""
    for ind in overlay.indicators:
        for check in ind.checks:
            for cell in check.threshold.cells():
                if cell.origin == origin and cell.verified and not cell.source.url:
                    doc.issue(
                        "unlocatable-source",
                        f"indicator {ind.id}: a value marked verified needs a source with a url "
                        f"(source {cell.source.key!r} has none)",
                        ("replace", ind.id),
                        "add the url of the decision, or mark the value verified: false",
                    )
                    return
