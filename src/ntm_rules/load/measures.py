"""The measures dictionary: the one vocabulary every commune file and criteria set speaks."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import raise_if
from . import checks as schema
from .checks import Text
from .source import Document, read_yaml

TYPES = ("number", "percent", "boolean", "count")
PERCENT_LABEL = Text("%", "%")


@dataclass(frozen=True)
class Measure:
    key: str
    type: str
    label: Text
    unit: str = ""
    unit_label: Text | None = None
    min: float | None = None
    max: float | None = None

    @property
    def numeric(self) -> bool:
        return self.type != "boolean"

    def unit_text(self, lang: str = "vi") -> str:
        if self.type == "percent":
            return "%"
        return self.unit_label.get(lang) if self.unit_label else ""

    def in_range(self, value: float) -> bool:
        return (self.min is None or value >= self.min) and (self.max is None or value <= self.max)

    def range_text(self) -> str:
        return f"{_fmt(self.min)}..{_fmt(self.max)}"

    def to_dict(self) -> dict[str, Any]:
        return {
            "key": self.key,
            "type": self.type,
            "unit": self.unit_text("en"),
            "label": self.label.to_dict(),
            "min": self.min,
            "max": self.max,
        }


def _fmt(value: float | None) -> str:
    if value is None:
        return ""
    return str(int(value)) if float(value).is_integer() else str(value)


class Measures(Mapping[str, Measure]):
    """Read-only mapping of measure key -> :class:`Measure`."""

    def __init__(self, items: dict[str, Measure], path: str = "") -> None:
        self._items = items
        self.path = path

    def __getitem__(self, key: str) -> Measure:
        return self._items[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._items)

    def __len__(self) -> int:
        return len(self._items)

    def hint(self, key: str) -> str:
        return (
            schema.suggest(key, self._items) or "see criteria/measures.yaml or `ntm-check template`"
        )


def parse_measures(doc: Document) -> Measures:
    data = schema.mapping(doc, doc.data, (), required=("kind", "measures"), partial_ok=True)
    items: dict[str, Measure] = {}
    if data is None:
        return Measures(items, doc.file)
    if data.get("kind") != "measures":
        doc.issue("wrong-kind", f"expected kind: measures, found {data.get('kind')!r}", ("kind",))
    raw = schema.mapping(doc, data.get("measures"), ("measures",)) or {}
    for key, spec in raw.items():
        path = ("measures", key)
        if not schema.ID_RE.match(key.replace("_", "-")) or key != key.lower():
            doc.issue("bad-id", f"measure key {key!r} must be snake_case ASCII", path)
        if (
            schema.mapping(
                doc,
                spec,
                path,
                required=("type", "label"),
                optional=("unit", "unit_label", "min", "max", "description"),
            )
            is None
        ):
            continue
        kind = spec.get("type")
        if kind not in TYPES:
            doc.issue(
                "bad-type",
                f"unknown measure type {kind!r}",
                (*path, "type"),
                f"one of: {', '.join(TYPES)}",
            )
            continue
        low: float | None = None
        high: float | None = None
        if kind == "percent":
            low, high = 0, 100
        elif kind == "count":
            low = 0
        if "min" in spec:
            low = schema.number(doc, spec["min"], (*path, "min"))
        if "max" in spec:
            high = schema.number(doc, spec["max"], (*path, "max"))
        unit_label = None
        if kind in ("number", "count"):
            if "unit" not in spec or "unit_label" not in spec:
                doc.issue("missing-key", f"a {kind} measure needs `unit` and `unit_label`", path)
            else:
                unit_label = schema.label(doc, spec["unit_label"], (*path, "unit_label"))
        items[key] = Measure(
            key=key,
            type=kind,
            label=schema.label(doc, spec["label"], (*path, "label")),
            unit="%" if kind == "percent" else str(spec.get("unit", "")),
            unit_label=unit_label,
            min=low,
            max=high,
        )
    return Measures(items, doc.file)


def load_measures(path: Path | str) -> Measures:
    doc = read_yaml(path)
    measures = parse_measures(doc) if not doc.issues else Measures({}, doc.file)
    raise_if(doc.issues)
    return measures
