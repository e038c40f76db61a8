"""Reading the vocabulary files: ``measures.yaml`` and ``regions.yaml``."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ..errors import raise_if
from ..model.vocab import (
    COMBINE_RULES,
    MEASURE_TYPES,
    Combine,
    Measure,
    Measures,
    ProvinceRegion,
    Region,
    Regions,
    fold,
)
from . import checks
from .source import Document, PathKey, read_yaml

MEASURE_KEYS = ("type", "label")
MEASURE_OPTIONAL = ("unit", "unit_label", "min", "max", "description", "combine")


def measure_hint(measures: Measures, key: str) -> str:
    return checks.suggest(key, measures) or "see criteria/measures.yaml or `ntm-check template`"


def region_hint(regions: Regions, text: str) -> str:
    guess = checks.suggest(fold(text), regions.region_index)
    codes = ", ".join(regions.codes)
    if guess:
        close = regions.region_index[guess.split("'")[1]]
        return f"did you mean {close}? Regions: {codes}"
    return f"use one of {codes} or the region's Vietnamese name"


def _combine(doc: Document, raw: object, path: PathKey, kind: str) -> Combine | None:
    spec = checks.mapping(doc, raw, path, required=("rule",), optional=("weight", "note"))
    if spec is None:
        return None
    rule = spec.get("rule")
    if rule not in COMBINE_RULES:
        doc.issue(
            "bad-combine",
            f"unknown combine rule {rule!r}",
            (*path, "rule"),
            f"one of: {', '.join(COMBINE_RULES)}",
        )
        return None
    weight = str(spec.get("weight", "") or "")
    if rule == "weighted" and not weight:
        doc.issue("missing-key", "a weighted combine needs `weight` (a measure key)", path)
    if rule in ("all", "any") and kind != "boolean":
        doc.issue("bad-combine", f"{rule!r} combines yes/no measures only", (*path, "rule"))
    note = checks.label(doc, spec["note"], (*path, "note")) if "note" in spec else None
    return Combine(str(rule), weight, note)


def _measure(doc: Document, key: str, spec: Any, path: PathKey) -> Measure | None:
    if not checks.ID_RE.match(key.replace("_", "-")) or key != key.lower():
        doc.issue("bad-id", f"measure key {key!r} must be snake_case ASCII", path)
    if checks.mapping(doc, spec, path, required=MEASURE_KEYS, optional=MEASURE_OPTIONAL) is None:
        return None
    kind = spec.get("type")
    if kind not in MEASURE_TYPES:
        doc.issue(
            "bad-type",
            f"unknown measure type {kind!r}",
            (*path, "type"),
            f"one of: {', '.join(MEASURE_TYPES)}",
        )
        return None
    low: float | None = {"percent": 0, "count": 0}.get(kind)
    high: float | None = 100 if kind == "percent" else None
    if "min" in spec:
        low = checks.number(doc, spec["min"], (*path, "min"))
    if "max" in spec:
        high = checks.number(doc, spec["max"], (*path, "max"))
    unit_label = None
    if kind in ("number", "count"):
        if "unit" not in spec or "unit_label" not in spec:
            doc.issue("missing-key", f"a {kind} measure needs `unit` and `unit_label`", path)
        else:
            unit_label = checks.label(doc, spec["unit_label"], (*path, "unit_label"))
    combine = None
    if "combine" in spec:
        combine = _combine(doc, spec["combine"], (*path, "combine"), kind)
    return Measure(
        key=key,
        type=kind,
        label=checks.label(doc, spec["label"], (*path, "label")),
        unit="%" if kind == "percent" else str(spec.get("unit", "")),
        unit_label=unit_label,
        min=low,
        max=high,
        combine=combine,
    )


def parse_measures(doc: Document) -> Measures:
    data = checks.mapping(doc, doc.data, (), required=("kind", "measures"), partial_ok=True)
    items: dict[str, Measure] = {}
    if data is None:
        return Measures(items, doc.file)
    if data.get("kind") != "measures":
        doc.issue("wrong-kind", f"expected kind: measures, found {data.get('kind')!r}", ("kind",))
    raw = checks.mapping(doc, data.get("measures"), ("measures",)) or {}
    for key, spec in raw.items():
        found = _measure(doc, key, spec, ("measures", key))
        if found is not None:
            items[key] = found
    for key, measure in items.items():
        weight = measure.combine.weight if measure.combine else ""
        if weight and weight not in items:
            doc.issue(
                "unknown-measure",
                f"combine weight {weight!r} is not a measure",
                ("measures", key, "combine", "weight"),
                checks.suggest(weight, items),
            )
    return Measures(items, doc.file)


def load_measures(path: Path | str) -> Measures:
    doc = read_yaml(path)
    measures = parse_measures(doc) if not doc.issues else Measures({}, doc.file)
    raise_if(doc.issues)
    return measures


def _aliases(doc: Document, spec: dict[str, object], path: PathKey) -> list[str]:
    return checks.str_list(doc, spec.get("aliases", []), (*path, "aliases"))


def parse_regions(doc: Document) -> Regions:
    data = (
        checks.mapping(
            doc,
            doc.data,
            (),
            required=("kind", "regions"),
            optional=("categories", "provinces"),
            partial_ok=True,
        )
        or {}
    )
    regions: dict[str, Region] = {}
    region_index: dict[str, str] = {}
    for code, spec in (checks.mapping(doc, data.get("regions"), ("regions",)) or {}).items():
        path: PathKey = ("regions", code)
        if not code.isascii() or not code.isupper() or not code.isalnum():
            doc.issue("bad-id", f"region code {code!r} must be upper-case ASCII", path)
        if (
            checks.mapping(doc, spec, path, required=("name",), optional=("aliases", "display"))
            is None
        ):
            continue
        label = checks.label(doc, spec["name"], (*path, "name"))
        display = str(spec.get("display", "") or "")
        regions[code] = Region(code, label, display)
        for alias in [code, display, label.vi, label.en, *_aliases(doc, spec, path)]:
            if alias:
                region_index[fold(alias)] = code
    categories = {}
    category_index: dict[str, str] = {}
    table = checks.mapping(doc, data.get("categories", {}), ("categories",)) or {}
    for key, spec in table.items():
        path = ("categories", key)
        if checks.mapping(doc, spec, path, required=("name",), optional=("aliases",)) is None:
            continue
        categories[key] = checks.label(doc, spec["name"], (*path, "name"))
        for alias in [key, categories[key].vi, categories[key].en, *_aliases(doc, spec, path)]:
            category_index[fold(alias)] = key
    provinces: dict[str, ProvinceRegion] = {}
    province_index: dict[str, str] = {}
    table = checks.mapping(doc, data.get("provinces", {}), ("provinces",)) or {}
    for name, spec in table.items():
        path = ("provinces", name)
        if (
            checks.mapping(doc, spec, path, required=("region", "verified"), optional=("source",))
            is None
        ):
            continue
        region = spec["region"]
        if region not in regions:
            doc.issue("bad-region", f"unknown region code {region!r}", (*path, "region"))
        verified = checks.boolean(doc, spec["verified"], (*path, "verified"))
        if verified and not spec.get("source"):
            doc.issue("missing-source", "a verified mapping needs a `source`", path)
        provinces[name] = ProvinceRegion(name, str(region), verified, str(spec.get("source", "")))
        province_index[fold(name)] = name
    return Regions(regions, categories, provinces, region_index, category_index, province_index)


def load_regions(path: Path | str) -> Regions:
    doc = read_yaml(path)
    regions = parse_regions(doc) if not doc.issues else Regions({}, {}, {})
    raise_if(doc.issues)
    return regions
