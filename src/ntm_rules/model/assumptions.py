"""A what-if threshold (``--assume``): see :mod:`ntm_rules.load.assume` for the text form."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

ASSUMED = "assumed"  # the source kind and origin of an assumed threshold cell


@dataclass(frozen=True)
class Assumption:
    text: str
    indicator: str
    value: float | bool
    set_id: str = ""  # "" = the newest national set
    measure: str = ""  # "" = the indicator's only check
    region: str = ""  # "" = every region
    year: int | None = None  # None = every year
    where: str = ""  # where it was written (command line or file:line)

    def to_dict(self) -> dict[str, Any]:
        return {
            "text": self.text,
            "set": self.set_id,
            "indicator": self.indicator,
            "measure": self.measure,
            "region": self.region,
            "year": self.year,
            "value": self.value,
        }
