"""Test helpers: communes built from the criteria data itself."""

from __future__ import annotations

from typing import Any

from ntm_rules import CriteriaSet


def passing_measures(*sets: CriteriaSet) -> dict[str, Any]:
    """Values that pass every known threshold of every given set, in every region and year."""
    out: dict[str, Any] = {}
    for s in sets:
        for ind in s.indicators:
            if ind.applies_if is not None:
                out.setdefault(ind.applies_if.measure, True)
            for check in ind.checks:
                values = [c.value for c in check.threshold.cells() if c.value is not None]
                if check.operator == "is true":
                    value: Any = True
                elif check.operator in (">=", ">"):
                    value = max([v for v in values if not isinstance(v, bool)] or [0])
                    value = value + 1 if check.operator == ">" else value
                    if check.measure.endswith("_pct"):
                        value = min(value, 100)
                elif check.operator in ("<=", "<"):
                    value = 0
                else:
                    value = values[0] if values else 0
                out[check.measure] = (
                    max(out.get(check.measure, value), value)
                    if check.operator in (">=", ">")
                    else value
                )
    return out


RECOGNITION_OK = {
    "registered_in_plan": True,
    "no_outstanding_debt": True,
    "residents_satisfied": True,
    "security_safe": True,
}
