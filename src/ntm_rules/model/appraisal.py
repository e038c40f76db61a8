"""An official appraisal recorded in a commune file: the competent body's finding on an
indicator or a criterion (đạt / không đạt, by which decision, when), for what the tool cannot
compute. It decides an undecided indicator (shown as *appraised*, apart from computed results)
and never overrides a computed one: a disagreement is reported as a conflict."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ..errors import Location


@dataclass(frozen=True)
class Appraisal:
    target: str  # an indicator id ("10", "17.1") or, with `criterion`, a criterion id
    passed: bool
    decision: str
    criterion: bool = False  # the target is a whole criterion
    set_id: str = ""  # "" = the standard set in force for the commune's data year
    date: str = ""
    note: str = ""
    location: Location | None = field(default=None, compare=False)

    def applies_to(self, set_id: str, base_id: str, tier: str, covers_year: bool) -> bool:
        if self.set_id:
            return self.set_id in (set_id, base_id)
        return tier == "standard" and covers_year

    def to_dict(self) -> dict[str, Any]:
        return {
            "criterion" if self.criterion else "indicator": self.target,
            "result": "pass" if self.passed else "fail",
            "set": self.set_id,
            "decision": self.decision,
            "date": self.date,
            "note": self.note,
        }
