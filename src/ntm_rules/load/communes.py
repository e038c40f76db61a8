"""Commune data files: one commune, or a list under `communes:`."""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import InvalidFileError, raise_if
from . import checks as schema
from .measures import Measures
from .regions import Regions
from .source import Document, PathKey, read_yaml
from .values import Observed, parse_value

COMMUNE_KEYS = ("name", "year", "measures")
COMMUNE_OPTIONAL = (
    "kind",
    "code",
    "province",
    "district",
    "region",
    "categories",
    "recognized",
    "recognition",
    "note",
    "data_status",
)
TIERS = ("standard", "advanced", "model")


@dataclass(frozen=True)
class Recognized:
    """A recognition the commune already holds."""

    set: str
    year: int
    tier: str = "standard"

    def to_dict(self) -> dict[str, Any]:
        return {"set": self.set, "year": self.year, "tier": self.tier}


@dataclass(frozen=True)
class Commune:
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
    file: str = ""

    @property
    def label(self) -> str:
        parts = [self.name, self.district, self.province]
        return ", ".join(p for p in parts if p)

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
            "file": self.file,
        }


def _measure_values(
    doc: Document, raw: Any, path: PathKey, measures: Measures
) -> dict[str, Observed]:
    out: dict[str, Observed] = {}
    table = schema.mapping(doc, raw, path, what="the measures table")
    if table is None:
        return out
    for key, value in table.items():
        if key not in measures:
            doc.issue(
                "unknown-measure", f"unknown measure {key!r}", (*path, key), measures.hint(key)
            )
            continue
        observed, problem = parse_value(measures[key], value)
        if problem is not None:
            doc.issue(problem.code, problem.message, (*path, key), problem.hint)
            continue
        if observed is not None:
            out[key] = observed
    return out


def parse_commune(
    doc: Document,
    raw: Any,
    path: PathKey,
    measures: Measures,
    regions: Regions,
    known_sets: Collection[str] | None = None,
) -> Commune | None:
    data = schema.mapping(
        doc,
        raw,
        path,
        required=COMMUNE_KEYS,
        optional=COMMUNE_OPTIONAL,
        what="a commune",
        partial_ok=True,
    )
    if data is None:
        return None
    if "kind" in data and data["kind"] != "commune":
        doc.issue("wrong-kind", f"expected kind: commune, found {data['kind']!r}", (*path, "kind"))
    name = schema.text(doc, data.get("name"), (*path, "name"), what="the commune name")
    year = schema.integer(doc, data.get("year"), (*path, "year"), what="a year")
    if year and not 2000 <= year <= 2100:
        doc.issue("bad-year", f"{year} is not a plausible data year", (*path, "year"))
    province = str(data.get("province", "") or "")
    region = ""
    basis = "file"
    verified = True
    if data.get("region") is not None:
        code = regions.region_code(str(data["region"]))
        if code is None:
            doc.issue(
                "bad-region",
                f"unknown region {data['region']!r}",
                (*path, "region"),
                regions.region_hint(str(data["region"])),
            )
        else:
            region = code
    elif province:
        mapped = regions.province(province)
        if mapped is None:
            doc.issue(
                "missing-region",
                f"province {province!r} is not in the province map",
                (*path, "province"),
                "add `region:` (e.g. TN) to the commune, or check the province name",
            )
        else:
            region, basis, verified = mapped.region, "province", mapped.verified
    else:
        doc.issue(
            "missing-region",
            "the commune gives neither `region` nor `province`",
            path,
            "add `region:` with a code such as TN or the region's Vietnamese name",
        )
    categories: list[str] = []
    for i, cat in enumerate(
        schema.str_list(doc, data.get("categories", []), (*path, "categories"))
    ):
        key = regions.category_key(cat)
        if key is None:
            doc.issue(
                "unknown-category",
                f"unknown commune category {cat!r}",
                (*path, "categories", i),
                f"known: {', '.join(regions.categories)}",
            )
        elif key not in categories:
            categories.append(key)
    recognized = None
    if data.get("recognized") is not None:
        rpath = (*path, "recognized")
        spec = schema.mapping(
            doc, data["recognized"], rpath, required=("set", "year"), optional=("tier",)
        )
        if spec is not None:
            tier = spec.get("tier", "standard")
            if tier not in TIERS:
                doc.issue(
                    "bad-tier",
                    f"unknown tier {tier!r}",
                    (*rpath, "tier"),
                    f"one of: {', '.join(TIERS)}",
                )
            if known_sets is not None and str(spec.get("set")) not in known_sets:
                doc.issue(
                    "unknown-set",
                    f"recognized under unknown set {spec.get('set')!r}",
                    (*rpath, "set"),
                    schema.suggest(str(spec.get("set")), known_sets)
                    or f"known sets: {', '.join(sorted(known_sets))}",
                )
            recognized = Recognized(
                str(spec.get("set")),
                schema.integer(doc, spec.get("year"), (*rpath, "year")),
                str(tier),
            )
    recognition: dict[str, Observed] = {}
    if data.get("recognition") is not None:
        recognition = _measure_values(doc, data["recognition"], (*path, "recognition"), measures)
    return Commune(
        name=name,
        year=year,
        region=region,
        region_basis=basis,
        region_verified=verified,
        measures=_measure_values(doc, data.get("measures"), (*path, "measures"), measures),
        province=province,
        district=str(data.get("district", "") or ""),
        code=str(data.get("code", "") or ""),
        categories=tuple(categories),
        recognized=recognized,
        recognition=recognition,
        note=str(data.get("note", "") or ""),
        data_status=str(data.get("data_status", "") or ""),
        file=doc.file,
    )


def parse_communes(
    doc: Document, measures: Measures, regions: Regions, known_sets: Collection[str] | None = None
) -> list[Commune]:
    data = doc.data
    if isinstance(data, dict) and "communes" in data:
        schema.mapping(doc, data, (), required=("communes",), optional=("kind", "note"))
        items = data["communes"]
        if not isinstance(items, list) or not items:
            doc.issue("wrong-type", "communes must be a non-empty list", ("communes",))
            return []
        found = [
            parse_commune(doc, item, ("communes", i), measures, regions, known_sets)
            for i, item in enumerate(items)
        ]
        return [c for c in found if c is not None]
    one = parse_commune(doc, data, (), measures, regions, known_sets)
    return [one] if one is not None else []


def load_communes(
    path: Path | str,
    measures: Measures | None = None,
    regions: Regions | None = None,
    known_sets: Collection[str] | None = None,
) -> list[Commune]:
    """Read a commune YAML file (one commune or `communes:`); raise on any problem.

    With `known_sets`, a recognition under a set not among them is a problem too."""
    if measures is None or regions is None:
        from .catalog import default_catalog

        catalog = default_catalog()
        measures = measures or catalog.measures
        regions = regions or catalog.regions
    doc = read_yaml(path)
    if doc.fatal:
        raise_if(doc.issues)
    communes = parse_communes(doc, measures, regions, known_sets)
    raise_if(doc.issues)
    if not communes:
        raise InvalidFileError(doc.issues)
    return communes
