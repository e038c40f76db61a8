"""Threshold cells and their provenance: values, sources, regions, years, derived values."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from ..errors import NtmRulesError
from ..model.criteria import (
    Cell,
    Check,
    CriteriaSet,
    Criterion,
    Derivation,
    Indicator,
    RegionValues,
    Source,
    Threshold,
    Value,
)
from ..model.vocab import Measure, Measures, Regions
from . import checks as schema
from .source import Document, PathKey
from .vocab import region_hint

SOURCE_KINDS = ("official", "secondary", "provincial", "reconstruction")
THRESHOLD_KEYS = (
    "general",
    "all_regions",
    "by_region",
    "by_year",
    "derive",
    "verified",
    "source",
    "note",
)
CELL_KEYS = ("value", "verified")


@dataclass
class Context:
    doc: Document
    measures: Measures
    regions: Regions
    sources: dict[str, Source]
    origin: str


def parse_sources(ctx: Context, raw: Any, path: PathKey) -> dict[str, Source]:
    out: dict[str, Source] = {}
    table = schema.mapping(ctx.doc, raw, path, what="the sources table") or {}
    for key, spec in table.items():
        spath = (*path, key)
        if (
            schema.mapping(ctx.doc, spec, spath, required=("citation",), optional=("url", "kind"))
            is None
        ):
            continue
        kind = spec.get("kind", "secondary")
        if kind not in SOURCE_KINDS:
            ctx.doc.issue(
                "bad-source",
                f"unknown source kind {kind!r}",
                (*spath, "kind"),
                f"one of: {', '.join(SOURCE_KINDS)}",
            )
        url = spec.get("url", "")
        if url and not (isinstance(url, str) and url.startswith(("http://", "https://"))):
            ctx.doc.issue("bad-source", f"url {url!r} is not an http(s) address", (*spath, "url"))
        out[key] = Source(
            key,
            schema.text(ctx.doc, spec["citation"], (*spath, "citation"), what="the citation"),
            str(url or ""),
            str(kind),
        )
    return out


def source_ref(ctx: Context, raw: Any, path: PathKey) -> Source:
    if raw is None or raw == "":
        ctx.doc.issue(
            "missing-source",
            "every value needs a `source`",
            path,
            "name a key of the `sources:` table",
        )
        return Source("?", "missing")
    if not isinstance(raw, str) or raw not in ctx.sources:
        ctx.doc.issue(
            "unknown-source",
            f"source {raw!r} is not in the `sources:` table",
            (*path, "source"),
            schema.suggest(str(raw), ctx.sources),
        )
        return Source(str(raw), "unknown")
    return ctx.sources[raw]


def parse_cell_value(
    ctx: Context, raw: Any, path: PathKey, operator: str, measure: Measure | None
) -> Value:
    if raw is None:
        return None
    if operator == "is true":
        if raw is not True:
            ctx.doc.issue(
                "bad-threshold",
                f"operator 'is true' takes the value true, found {raw!r}",
                path,
                "write value: true (Đạt)",
            )
        return True
    if isinstance(raw, bool):
        if measure is not None and measure.type != "boolean":
            ctx.doc.issue(
                "wrong-type", f"expected a number for measure {measure.key!r}, found {raw!r}", path
            )
        return raw
    number = schema.number(ctx.doc, raw, path)
    if number is None:
        return None
    if measure is not None:
        if measure.type == "boolean":
            ctx.doc.issue("wrong-type", f"measure {measure.key!r} is boolean; found a number", path)
        elif not measure.in_range(number):
            ctx.doc.issue(
                "out-of-range",
                f"threshold {raw} is outside the range "
                f"{measure.range_text()} of measure {measure.key!r}",
                path,
            )
    return number


def parse_cell(
    ctx: Context, raw: Any, path: PathKey, operator: str, measure: Measure | None
) -> Cell:
    if (
        schema.mapping(
            ctx.doc,
            raw,
            path,
            required=CELL_KEYS,
            optional=("note", "source"),
            what="a value cell {value, verified, source}",
            partial_ok=True,
        )
        is None
    ):
        return Cell(None, False, Source("?", "invalid"), origin=ctx.origin)
    value = parse_cell_value(ctx, raw.get("value"), (*path, "value"), operator, measure)
    verified = schema.boolean(ctx.doc, raw.get("verified", False), (*path, "verified"))
    source = source_ref(ctx, raw.get("source"), path)
    if verified and source.kind == "reconstruction":
        ctx.doc.issue(
            "verified-reconstruction",
            "a value whose source is a reconstruction cannot be verified",
            path,
            "set verified: false, or cite the source that confirms it",
        )
    note = raw.get("note", "")
    if not isinstance(note, str):
        ctx.doc.issue("wrong-type", "note must be text", (*path, "note"))
        note = ""
    return Cell(value, verified, source, note, ctx.origin)


def parse_region_values(
    ctx: Context, raw: dict[str, Any], path: PathKey, operator: str, measure: Measure | None
) -> RegionValues:
    general = all_regions = None
    if "general" in raw:
        general = parse_cell(ctx, raw["general"], (*path, "general"), operator, measure)
    if "all_regions" in raw:
        all_regions = parse_cell(ctx, raw["all_regions"], (*path, "all_regions"), operator, measure)
    by_region: dict[str, Cell] = {}
    if "by_region" in raw:
        table = schema.mapping(ctx.doc, raw["by_region"], (*path, "by_region")) or {}
        for code, spec in table.items():
            rpath = (*path, "by_region", code)
            if code not in ctx.regions.regions:
                ctx.doc.issue(
                    "bad-region",
                    f"unknown region code {code!r}",
                    rpath,
                    region_hint(ctx.regions, code),
                )
                continue
            by_region[code] = parse_cell(ctx, spec, rpath, operator, measure)
    return RegionValues(general, all_regions, by_region)


def parse_threshold(
    ctx: Context, raw: Any, path: PathKey, operator: str, measure: Measure | None
) -> Threshold:
    data = schema.mapping(ctx.doc, raw, path, optional=THRESHOLD_KEYS, what="a threshold")
    if data is None:
        return Threshold()
    if not data:
        ctx.doc.issue(
            "empty-threshold",
            "the threshold gives no value",
            path,
            "add all_regions, by_region or by_year (use value: null for a gap)",
        )
        return Threshold()
    if "derive" in data:
        return Threshold(derive=parse_derivation(ctx, data, path))
    for key in ("verified", "source", "note"):
        if key in data:
            ctx.doc.issue(
                "unknown-key",
                f"{key!r} belongs in a value cell, or next to `derive`",
                (*path, key),
                "write {value: ..., verified: ..., source: ...}",
            )
    if "by_year" in data and ("all_regions" in data or "by_region" in data):
        ctx.doc.issue(
            "bad-threshold",
            "a threshold with by_year puts its regional values inside each year",
            path,
        )
    base = parse_region_values(ctx, data, path, operator, measure)
    years: list[tuple[int, RegionValues]] = []
    if "by_year" in data:
        table = schema.mapping(ctx.doc, data["by_year"], (*path, "by_year")) or {}
        for year_text, spec in table.items():
            ypath = (*path, "by_year", year_text)
            if not year_text.isdigit() or not 1990 <= int(year_text) <= 2100:
                ctx.doc.issue("bad-year", f"{year_text!r} is not a year", ypath)
                continue
            entry = schema.mapping(
                ctx.doc, spec, ypath, optional=("general", "all_regions", "by_region")
            )
            if entry is None:
                continue
            years.append(
                (int(year_text), parse_region_values(ctx, entry, ypath, operator, measure))
            )
    return Threshold(base, tuple(sorted(years, key=lambda item: item[0])))


def parse_derivation(ctx: Context, data: dict[str, Any], path: PathKey) -> Derivation | None:
    for key in ("general", "all_regions", "by_region", "by_year"):
        if key in data:
            ctx.doc.issue(
                "bad-threshold", "a derived threshold cannot also give values", (*path, key)
            )
    for key in ("verified", "source"):
        if key not in data:
            ctx.doc.issue("missing-key", f"a derived threshold needs `{key}`", path)
    spec = schema.mapping(
        ctx.doc, data["derive"], (*path, "derive"), required=("set", "indicator", "factor")
    )
    if spec is None:
        return None
    factor = schema.number(ctx.doc, spec["factor"], (*path, "derive", "factor"))
    if factor is not None and factor <= 0:
        ctx.doc.issue("bad-threshold", "factor must be positive", (*path, "derive", "factor"))
    return Derivation(
        str(spec["set"]),
        str(spec["indicator"]),
        float(factor or 1),
        schema.boolean(ctx.doc, data.get("verified", False), (*path, "verified")),
        source_ref(ctx, data.get("source"), path),
        str(data.get("note", "")),
    )


def _derived_cell(cell: Cell, rule: Derivation, origin: str, ref_name: str) -> Cell:
    value = cell.value
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        value = round(value * rule.factor, 6)
    note = f"{rule.factor:g} × {ref_name} ({cell.source.citation})"
    if cell.note:
        note += f"; base note: {cell.note}"
    return Cell(value, cell.verified and rule.verified, rule.source, note, origin)


def _derived_values(
    values: RegionValues, rule: Derivation, origin: str, ref_name: str
) -> RegionValues:
    def conv(cell: Cell | None) -> Cell | None:
        return _derived_cell(cell, rule, origin, ref_name) if cell is not None else None

    return RegionValues(
        conv(values.general),
        conv(values.all_regions),
        {r: _derived_cell(c, rule, origin, ref_name) for r, c in values.by_region.items()},
    )


def resolve_derived(
    result: CriteriaSet, doc: Document, load: Callable[[str], CriteriaSet]
) -> CriteriaSet:
    """Replace `derive:` thresholds by the referenced set's values times the factor."""
    changed = False
    new_criteria: list[Criterion] = []
    for c_index, crit in enumerate(result.criteria):
        inds: list[Indicator] = []
        for i_index, ind in enumerate(crit.indicators):
            checks: list[Check] = []
            for check in ind.checks:
                rule = check.threshold.derive
                if rule is None:
                    checks.append(check)
                    continue
                changed = True
                path: PathKey = ("criteria", c_index, "indicators", i_index, "threshold")
                try:
                    ref_set = load(rule.set_id)
                except NtmRulesError as exc:
                    doc.issue("unknown-set", f"derived threshold: {exc}", path)
                    checks.append(check)
                    continue
                ref = ref_set.indicator(rule.indicator)
                if ref is None:
                    doc.issue(
                        "unknown-indicator",
                        f"{rule.set_id} has no indicator {rule.indicator!r}",
                        path,
                    )
                    checks.append(check)
                    continue
                base = ref.checks[0].threshold
                name = f"{rule.set_id} {rule.indicator}"
                checks.append(
                    dataclasses.replace(
                        check,
                        threshold=Threshold(
                            _derived_values(base.base, rule, result.id, name),
                            tuple(
                                (y, _derived_values(v, rule, result.id, name))
                                for y, v in base.by_year
                            ),
                            rule,
                        ),
                    )
                )
            inds.append(dataclasses.replace(ind, checks=tuple(checks)))
        new_criteria.append(dataclasses.replace(crit, indicators=tuple(inds)))
    return dataclasses.replace(result, criteria=tuple(new_criteria)) if changed else result
