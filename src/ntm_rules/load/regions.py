"""The seven NTM regions, special commune categories, and the province -> region map."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import raise_if
from . import checks as schema
from .checks import Text
from .source import Document, read_yaml

REGION_CODES = ("TDMNPB", "DBSH", "BTB", "DHNTB", "TN", "DNB", "DBSCL")


def fold(name: str) -> str:
    """Lower-case, strip diacritics (đ -> d) and punctuation, squash spaces: for name matching."""
    text = unicodedata.normalize("NFD", name.replace("đ", "d").replace("Đ", "D"))
    text = "".join(ch for ch in text if unicodedata.category(ch) != "Mn").lower()
    for ch in "-–—_.,()":
        text = text.replace(ch, " ")
    words = text.split()
    for prefix in (["tinh"], ["thanh", "pho"], ["tp"]):
        if words[: len(prefix)] == prefix and len(words) > len(prefix):
            words = words[len(prefix) :]
    return " ".join(words)


@dataclass(frozen=True)
class Region:
    code: str
    name: Text


@dataclass(frozen=True)
class ProvinceRegion:
    province: str
    region: str
    verified: bool
    source: str = ""


@dataclass(frozen=True)
class Regions:
    regions: dict[str, Region]
    categories: dict[str, Text]
    provinces: dict[str, ProvinceRegion]
    _region_index: dict[str, str] = field(default_factory=dict)
    _category_index: dict[str, str] = field(default_factory=dict)
    _province_index: dict[str, str] = field(default_factory=dict)
    _memo: dict[tuple[str, str], object] = field(default_factory=dict, compare=False, repr=False)

    def _folded(self, kind: str, text: str, index: dict[str, str]) -> str | None:
        key = (kind, text)
        if key not in self._memo:  # rows repeat the same few names: fold each once
            self._memo[key] = index.get(fold(text))
        return self._memo[key]  # type: ignore[return-value]

    def region_code(self, text: str) -> str | None:
        """Code for a region code, Vietnamese name or alias (diacritics optional)."""
        return self._folded("r", text, self._region_index)

    def category_key(self, text: str) -> str | None:
        return self._folded("c", text, self._category_index)

    def province(self, name: str) -> ProvinceRegion | None:
        key = self._folded("p", name, self._province_index)
        return self.provinces.get(key) if key else None

    def region_hint(self, text: str) -> str:
        guess = schema.suggest(fold(text), self._region_index)
        codes = ", ".join(REGION_CODES)
        if guess:
            close = self._region_index[guess.split("'")[1]]
            return f"did you mean {close}? Regions: {codes}"
        return f"use one of {codes} or the region's Vietnamese name"


def parse_regions(doc: Document) -> Regions:
    data = (
        schema.mapping(
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
    for code, spec in (schema.mapping(doc, data.get("regions"), ("regions",)) or {}).items():
        path = ("regions", code)
        if code not in REGION_CODES:
            doc.issue(
                "bad-region",
                f"unknown region code {code!r}",
                path,
                f"one of {', '.join(REGION_CODES)}",
            )
        if schema.mapping(doc, spec, path, required=("name",), optional=("aliases",)) is None:
            continue
        label = schema.label(doc, spec["name"], (*path, "name"))
        regions[code] = Region(code, label)
        for alias in [
            code,
            label.vi,
            label.en,
            *schema.str_list(doc, spec.get("aliases", []), (*path, "aliases")),
        ]:
            region_index[fold(alias)] = code
    categories: dict[str, Text] = {}
    category_index: dict[str, str] = {}
    table = schema.mapping(doc, data.get("categories", {}), ("categories",)) or {}
    for key, spec in table.items():
        path = ("categories", key)
        if schema.mapping(doc, spec, path, required=("name",), optional=("aliases",)) is None:
            continue
        categories[key] = schema.label(doc, spec["name"], (*path, "name"))
        for alias in [
            key,
            categories[key].vi,
            categories[key].en,
            *schema.str_list(doc, spec.get("aliases", []), (*path, "aliases")),
        ]:
            category_index[fold(alias)] = key
    provinces: dict[str, ProvinceRegion] = {}
    province_index: dict[str, str] = {}
    table = schema.mapping(doc, data.get("provinces", {}), ("provinces",)) or {}
    for name, spec in table.items():
        path = ("provinces", name)
        if (
            schema.mapping(doc, spec, path, required=("region", "verified"), optional=("source",))
            is None
        ):
            continue
        region = spec["region"]
        if region not in REGION_CODES:
            doc.issue("bad-region", f"unknown region code {region!r}", (*path, "region"))
        verified = schema.boolean(doc, spec["verified"], (*path, "verified"))
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
