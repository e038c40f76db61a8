"""The input side: one commune's identity, recognition and observed values."""

from __future__ import annotations

from collections.abc import Mapping, MutableMapping
from dataclasses import dataclass, field, fields
from types import MappingProxyType
from typing import Any

from ..errors import Location
from .appraisal import Appraisal

Observed = float | int | bool | None
TIERS = ("standard", "advanced", "model")


@dataclass(frozen=True)
class Recognized:
    """A recognition the commune already holds (set, year, tier), as its file records it."""

    set: str
    year: int
    tier: str = "standard"
    location: Location | None = field(default=None, compare=False)

    def to_dict(self) -> dict[str, Any]:
        return {"set": self.set, "year": self.year, "tier": self.tier}


def _frozen(values: Mapping[str, Observed]) -> Mapping[str, Observed]:
    """A read-only view: a dict is copied behind a proxy; a read-only mapping is kept."""
    if isinstance(values, MutableMapping):
        return MappingProxyType(dict(values))
    return values


@dataclass(frozen=True)
class Commune:
    """One commune in one data year.

    `measures` and `recognition` are read-only mappings of measure key -> value (a number or
    true/false); a measure without a value is simply absent. `source` says where the commune was
    read (file and line, or spreadsheet row).
    """

    name: str
    year: int
    region: str
    region_basis: str  # "file" (stated) or "province" (from the province map)
    region_verified: bool
    measures: Mapping[str, Observed]
    province: str = ""
    district: str = ""
    code: str = ""
    categories: tuple[str, ...] = ()
    recognized: Recognized | None = None
    recognition: Mapping[str, Observed] = field(default_factory=dict)
    note: str = ""
    data_status: str = ""
    source: Location | None = None
    appraisals: tuple[Appraisal, ...] = ()

    def __post_init__(self) -> None:
        for name in ("measures", "recognition"):
            value = getattr(self, name)
            if type(value) is not MappingProxyType and isinstance(value, MutableMapping):
                object.__setattr__(self, name, _frozen(value))
        if type(self.categories) is not tuple:
            object.__setattr__(self, "categories", tuple(self.categories))

    @classmethod
    def from_read(cls, values: tuple[object, ...]) -> Commune:
        """A commune from its field values in declaration order, as a reader already made them:
        `measures` and `recognition` read-only mappings that are not dicts, `categories` a
        tuple (what ``__post_init__`` would otherwise make them). Equal to ``Commune(*values)``
        (tested), at less than half the cost: a table makes one per row."""
        commune = object.__new__(cls)
        commune.__dict__.update(zip(_FIELD_NAMES, values, strict=True))
        return commune

    def value(self, measure: str) -> Observed:
        """The observed value of `measure`: under `measures`, else under `recognition`."""
        found = self.measures.get(measure)
        if found is None:
            found = self.recognition.get(measure)
        return found

    @property
    def label(self) -> str:
        parts = [self.name, self.district, self.province]
        return ", ".join(p for p in parts if p)

    @property
    def file(self) -> str:
        return self.source.file if self.source is not None else ""

    def where(self) -> str:
        """Where the commune was read, for people: ``file:12`` or ``file row 4``."""
        if self.source is None:
            return ""
        if self.source.table:
            return f"{self.source.file}:{self.source.line}"
        return f"{self.source.file}:{self.source.line}" if self.source.line else self.source.file

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "code": self.code,
            "province": self.province,
            "district": self.district,
            "region": self.region,
            "region_basis": self.region_basis,
            "year": self.year,
            "categories": list(self.categories),
            "recognized": self.recognized.to_dict() if self.recognized else None,
            "recognition": dict(self.recognition),
            "data_status": self.data_status,
            "source": self.source.to_dict() if self.source else None,
            "appraisals": [a.to_dict() for a in self.appraisals],
        }


_FIELD_NAMES = tuple(f.name for f in fields(Commune))
