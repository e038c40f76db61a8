"""Reading criteria sets and province overlays from YAML, with every problem located."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from ..errors import NtmRulesError
from ..model.criteria import (
    Cell,
    Check,
    Condition,
    CriteriaSet,
    Criterion,
    Derivation,
    Indicator,
    OverlayInfo,
    RegionRule,
    RegionValues,
    RevocationRule,
    Source,
    Threshold,
    Value,
)
from ..model.vocab import Measure, Measures, Regions
from ..operators import OPERATORS
from ..words import Text
from . import checks as schema
from .source import Document, PathKey
from .vocab import measure_hint, region_hint

TIERS = ("standard", "advanced", "model")
SOURCE_KINDS = ("official", "secondary", "provincial", "reconstruction")
SET_KEYS = ("kind", "id", "title", "decision", "issued", "period", "tier", "criteria", "sources")
SET_OPTIONAL = (
    "supersedes",
    "groups",
    "region_rules",
    "key_criteria",
    "note",
    "recognition",
    "revocation",
    "requires",
)
INDICATOR_KEYS = ("id", "text")
INDICATOR_OPTIONAL = ("measure", "operator", "threshold", "checks", "applies_if", "note", "doubt")
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
class _Context:
    doc: Document
    measures: Measures
    regions: Regions
    sources: dict[str, Source]
    origin: str


def _sources(ctx: _Context, raw: Any, path: PathKey) -> dict[str, Source]:
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


def _source_ref(ctx: _Context, raw: Any, path: PathKey) -> Source:
    if raw is None:
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


def _value(ctx: _Context, raw: Any, path: PathKey, operator: str, measure: Measure | None) -> Value:
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


def _cell(ctx: _Context, raw: Any, path: PathKey, operator: str, measure: Measure | None) -> Cell:
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
    value = _value(ctx, raw.get("value"), (*path, "value"), operator, measure)
    verified = schema.boolean(ctx.doc, raw.get("verified", False), (*path, "verified"))
    source = _source_ref(ctx, raw.get("source"), path)
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


def _region_values(
    ctx: _Context, raw: dict[str, Any], path: PathKey, operator: str, measure: Measure | None
) -> RegionValues:
    general = all_regions = None
    if "general" in raw:
        general = _cell(ctx, raw["general"], (*path, "general"), operator, measure)
    if "all_regions" in raw:
        all_regions = _cell(ctx, raw["all_regions"], (*path, "all_regions"), operator, measure)
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
            by_region[code] = _cell(ctx, spec, rpath, operator, measure)
    return RegionValues(general, all_regions, by_region)


def _threshold(
    ctx: _Context, raw: Any, path: PathKey, operator: str, measure: Measure | None
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
        return Threshold(derive=_derivation(ctx, data, path))
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
    base = _region_values(ctx, data, path, operator, measure)
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
            years.append((int(year_text), _region_values(ctx, entry, ypath, operator, measure)))
    return Threshold(base, tuple(sorted(years, key=lambda item: item[0])))


def _derivation(ctx: _Context, data: dict[str, Any], path: PathKey) -> Derivation | None:
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
        _source_ref(ctx, data.get("source"), path),
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


def _measure(ctx: _Context, raw: Any, path: PathKey) -> Measure | None:
    if not isinstance(raw, str):
        ctx.doc.issue("wrong-type", f"expected a measure key, found {schema.type_name(raw)}", path)
        return None
    if raw not in ctx.measures:
        ctx.doc.issue(
            "unknown-measure", f"unknown measure {raw!r}", path, measure_hint(ctx.measures, raw)
        )
        return None
    return ctx.measures[raw]


def _operator(ctx: _Context, raw: Any, path: PathKey, measure: Measure | None) -> str:
    if raw not in OPERATORS:
        ctx.doc.issue(
            "unknown-operator",
            f"unknown operator {raw!r}",
            path,
            f"one of: {', '.join(repr(o) for o in OPERATORS)}",
        )
        return "=="
    oper = OPERATORS[raw]
    if measure is not None:
        if measure.type == "boolean" and not oper.boolean:
            ctx.doc.issue(
                "operator-mismatch",
                f"operator {raw!r} does not apply to the boolean measure {measure.key!r}",
                path,
                "use 'is true'",
            )
        if measure.type != "boolean" and not oper.numeric:
            ctx.doc.issue(
                "operator-mismatch",
                f"operator {raw!r} does not apply to the {measure.type} measure {measure.key!r}",
                path,
                "use >=, <=, > or <",
            )
    return str(raw)


def _check(ctx: _Context, raw: dict[str, Any], path: PathKey) -> Check:
    measure = _measure(ctx, raw.get("measure"), (*path, "measure"))
    operator = _operator(ctx, raw.get("operator"), (*path, "operator"), measure)
    threshold = _threshold(ctx, raw.get("threshold"), (*path, "threshold"), operator, measure)
    return Check(measure.key if measure else str(raw.get("measure")), operator, threshold)


def _condition(ctx: _Context, raw: Any, path: PathKey) -> Condition | None:
    if (
        schema.mapping(ctx.doc, raw, path, required=("measure", "operator"), optional=("value",))
        is None
    ):
        return None
    measure = _measure(ctx, raw.get("measure"), (*path, "measure"))
    operator = _operator(ctx, raw.get("operator"), (*path, "operator"), measure)
    value = _value(ctx, raw.get("value", True), (*path, "value"), operator, measure)
    return Condition(measure.key if measure else "?", operator, value)


def parse_indicator(ctx: _Context, raw: Any, path: PathKey) -> Indicator | None:
    data = schema.mapping(
        ctx.doc,
        raw,
        path,
        required=INDICATOR_KEYS,
        optional=INDICATOR_OPTIONAL,
        what="an indicator",
        partial_ok=True,
    )
    if data is None:
        return None
    ind_id = schema.id_text(ctx.doc, data.get("id", "?"), (*path, "id"), what="indicator id")
    checks: list[Check] = []
    if "checks" in data:
        if any(k in data for k in ("measure", "operator", "threshold")):
            ctx.doc.issue(
                "bad-indicator", "use either `checks` or measure/operator/threshold", path
            )
        raw_checks = data["checks"]
        if not isinstance(raw_checks, list) or not raw_checks:
            ctx.doc.issue("wrong-type", "checks must be a non-empty list", (*path, "checks"))
        else:
            for i, item in enumerate(raw_checks):
                cpath = (*path, "checks", i)
                if (
                    schema.mapping(
                        ctx.doc, item, cpath, required=("measure", "operator", "threshold")
                    )
                    is not None
                ):
                    checks.append(_check(ctx, item, cpath))
    else:
        for key in ("measure", "operator", "threshold"):
            if key not in data:
                ctx.doc.issue("missing-key", f"required key {key!r} is missing", path)
        checks.append(_check(ctx, data, path))
    if not checks:
        return None
    applies_if = (
        _condition(ctx, data["applies_if"], (*path, "applies_if")) if "applies_if" in data else None
    )
    return Indicator(
        id=ind_id,
        text=schema.label(ctx.doc, data.get("text"), (*path, "text")),
        checks=tuple(checks),
        applies_if=applies_if,
        note=str(data.get("note", "")),
        doubt=str(data.get("doubt", "")),
        origin=ctx.origin,
        location=ctx.doc.loc(path),
    )


def _criteria(ctx: _Context, raw: Any, path: PathKey, groups: dict[str, Text]) -> list[Criterion]:
    out: list[Criterion] = []
    if not isinstance(raw, list) or not raw:
        ctx.doc.issue("wrong-type", "criteria must be a non-empty list", path)
        return out
    seen_crit: set[str] = set()
    seen_ind: set[str] = set()
    for i, item in enumerate(raw):
        cpath = (*path, i)
        if (
            schema.mapping(
                ctx.doc,
                item,
                cpath,
                required=("id", "name", "indicators"),
                optional=("group", "note"),
            )
            is None
        ):
            continue
        crit_id = schema.id_text(ctx.doc, item["id"], (*cpath, "id"), what="criterion id")
        if crit_id in seen_crit:
            ctx.doc.issue("duplicate-id", f"criterion id {crit_id!r} is used twice", (*cpath, "id"))
        seen_crit.add(crit_id)
        group = str(item.get("group", ""))
        if groups and group not in groups:
            ctx.doc.issue(
                "unknown-group",
                f"group {group!r} is not in `groups:`",
                (*cpath, "group"),
                schema.suggest(group, groups),
            )
        indicators: list[Indicator] = []
        raw_inds = item["indicators"]
        if not isinstance(raw_inds, list) or not raw_inds:
            ctx.doc.issue(
                "wrong-type", "indicators must be a non-empty list", (*cpath, "indicators")
            )
            raw_inds = []
        for j, raw_ind in enumerate(raw_inds):
            ind = parse_indicator(ctx, raw_ind, (*cpath, "indicators", j))
            if ind is None:
                continue
            if ind.id in seen_ind:
                ctx.doc.issue(
                    "duplicate-id",
                    f"indicator id {ind.id!r} is used twice",
                    (*cpath, "indicators", j, "id"),
                )
            seen_ind.add(ind.id)
            indicators.append(ind)
        out.append(
            Criterion(
                crit_id,
                schema.label(ctx.doc, item["name"], (*cpath, "name")),
                group,
                tuple(indicators),
            )
        )
    return out


def _region_rules(ctx: _Context, raw: Any, path: PathKey) -> list[RegionRule]:
    out: list[RegionRule] = []
    if not isinstance(raw, list):
        ctx.doc.issue("wrong-type", "region_rules must be a list", path)
        return out
    for i, item in enumerate(raw):
        rpath = (*path, i)
        if (
            schema.mapping(
                ctx.doc,
                item,
                rpath,
                required=("id", "categories", "use_region", "verified", "source"),
                optional=("note", "and_categories"),
            )
            is None
        ):
            continue
        cats = schema.str_list(ctx.doc, item["categories"], (*rpath, "categories"))
        also = schema.str_list(ctx.doc, item.get("and_categories", []), (*rpath, "and_categories"))
        for key, group in (("categories", cats), ("and_categories", also)):
            for j, cat in enumerate(group):
                if cat not in ctx.regions.categories:
                    ctx.doc.issue(
                        "unknown-category",
                        f"unknown commune category {cat!r}",
                        (*rpath, key, j),
                        schema.suggest(cat, ctx.regions.categories),
                    )
        region = item["use_region"]
        if region not in ctx.regions.regions:
            ctx.doc.issue(
                "bad-region",
                f"unknown region code {region!r}",
                (*rpath, "use_region"),
                region_hint(ctx.regions, str(region)),
            )
        out.append(
            RegionRule(
                str(item["id"]),
                tuple(cats),
                str(region),
                schema.boolean(ctx.doc, item["verified"], (*rpath, "verified")),
                _source_ref(ctx, item["source"], rpath),
                str(item.get("note", "")),
                tuple(also),
            )
        )
    return out


def _recognition(ctx: _Context, raw: Any, path: PathKey) -> tuple[list[Indicator], Source | None]:
    if schema.mapping(ctx.doc, raw, path, required=("source", "conditions")) is None:
        return [], None
    source = _source_ref(ctx, raw["source"], path)
    conditions: list[Indicator] = []
    if not isinstance(raw["conditions"], list):
        ctx.doc.issue("wrong-type", "conditions must be a list", (*path, "conditions"))
        return [], source
    for i, item in enumerate(raw["conditions"]):
        ind = parse_indicator(ctx, item, (*path, "conditions", i))
        if ind is not None:
            conditions.append(ind)
    return conditions, source


def _revocation(ctx: _Context, raw: Any, path: PathKey) -> RevocationRule | None:
    if (
        schema.mapping(
            ctx.doc,
            raw,
            path,
            required=("partial_from_pct", "full_from_pct", "rule", "verified", "source"),
        )
        is None
    ):
        return None
    low = schema.number(ctx.doc, raw["partial_from_pct"], (*path, "partial_from_pct")) or 0
    high = schema.number(ctx.doc, raw["full_from_pct"], (*path, "full_from_pct")) or 0
    if not 0 < low <= high <= 100:
        ctx.doc.issue(
            "bad-threshold", "expected 0 < partial_from_pct <= full_from_pct <= 100", path
        )
    return RevocationRule(
        float(low),
        float(high),
        schema.label(ctx.doc, raw["rule"], (*path, "rule")),
        schema.boolean(ctx.doc, raw["verified"], (*path, "verified")),
        _source_ref(ctx, raw["source"], path),
    )


def _period(doc: Document, raw: Any, path: PathKey) -> tuple[int, int]:
    if schema.mapping(doc, raw, path, required=("from", "to")) is None:
        return (0, 0)
    start = schema.integer(doc, raw["from"], (*path, "from"), what="a year")
    end = schema.integer(doc, raw["to"], (*path, "to"), what="a year")
    if start > end:
        doc.issue("bad-period", f"period runs backwards ({start} > {end})", path)
    return (start, end)


def parse_set(doc: Document, measures: Measures, regions: Regions) -> CriteriaSet | None:
    data = schema.mapping(
        doc,
        doc.data,
        (),
        required=SET_KEYS,
        optional=SET_OPTIONAL,
        what="a criteria set",
        partial_ok=True,
    )
    if data is None:
        return None
    if data.get("kind") != "criteria-set":
        doc.issue(
            "wrong-kind", f"expected kind: criteria-set, found {data.get('kind')!r}", ("kind",)
        )
        return None
    set_id = schema.ident(doc, data.get("id"), ("id",))
    ctx = _Context(doc, measures, regions, {}, set_id)
    ctx.sources = _sources(ctx, data.get("sources"), ("sources",))
    groups = {
        str(k): schema.label(doc, v, ("groups", k))
        for k, v in (schema.mapping(doc, data.get("groups", {}), ("groups",)) or {}).items()
    }
    tier = data.get("tier")
    if tier not in TIERS:
        doc.issue("bad-tier", f"unknown tier {tier!r}", ("tier",), f"one of: {', '.join(TIERS)}")
    criteria = _criteria(ctx, data.get("criteria"), ("criteria",), groups)
    key_criteria = schema.str_list(doc, data.get("key_criteria", []), ("key_criteria",))
    ids = {c.id for c in criteria}
    for i, key in enumerate(key_criteria):
        if key not in ids:
            doc.issue(
                "unknown-criterion",
                f"key criterion {key!r} is not a criterion of the set",
                ("key_criteria", i),
            )
    recognition, recognition_source = (
        _recognition(ctx, data["recognition"], ("recognition",))
        if "recognition" in data
        else ([], None)
    )
    revocation = (
        _revocation(ctx, data["revocation"], ("revocation",)) if "revocation" in data else None
    )
    requires = schema.str_list(doc, data.get("requires", []), ("requires",))
    return CriteriaSet(
        id=set_id,
        title=schema.label(doc, data.get("title"), ("title",)),
        decision=schema.text(doc, data.get("decision"), ("decision",), what="the decision"),
        issued=schema.date(doc, data.get("issued"), ("issued",)),
        period=_period(doc, data.get("period"), ("period",)),
        tier=str(tier),
        criteria=tuple(criteria),
        sources=ctx.sources,
        groups=groups,
        region_rules=tuple(_region_rules(ctx, data.get("region_rules", []), ("region_rules",))),
        key_criteria=tuple(key_criteria),
        supersedes=str(data.get("supersedes", "")),
        path=doc.file,
        recognition=tuple(recognition),
        recognition_source=recognition_source,
        revocation=revocation,
        requires=tuple(requires),
    )


# --- overlays ------------------------------------------------------------------------------

OVERLAY_KEYS = (
    "kind",
    "id",
    "extends",
    "title",
    "province",
    "decision",
    "issued",
    "partial",
    "sources",
)
OVERLAY_OPTIONAL = ("replace", "add", "remove", "note", "region_rules")


def overlay_base(doc: Document) -> str | None:
    """The id of the set an overlay file extends (None when it is not an overlay)."""
    data = doc.data
    if isinstance(data, dict) and data.get("kind") == "overlay":
        base = data.get("extends")
        return base if isinstance(base, str) else None
    return None


def _merge_values(old: RegionValues, new: RegionValues) -> RegionValues:
    return RegionValues(
        general=new.general or old.general,
        all_regions=new.all_regions or old.all_regions,
        by_region={**old.by_region, **new.by_region},
    )


def _merge_threshold(old: Threshold, new: Threshold) -> Threshold:
    years = dict(old.by_year)
    for year, values in new.by_year:
        years[year] = _merge_values(years[year], values) if year in years else values
    return Threshold(_merge_values(old.base, new.base), tuple(sorted(years.items())))


def parse_overlay(
    doc: Document, measures: Measures, regions: Regions, base: CriteriaSet
) -> CriteriaSet | None:
    data = schema.mapping(
        doc,
        doc.data,
        (),
        required=OVERLAY_KEYS,
        optional=OVERLAY_OPTIONAL,
        what="an overlay",
        partial_ok=True,
    )
    if data is None:
        return None
    overlay_id = schema.ident(doc, data.get("id"), ("id",))
    ctx = _Context(doc, measures, regions, {}, overlay_id)
    own_sources = _sources(ctx, data.get("sources"), ("sources",))
    for key in own_sources:
        if key in base.sources:
            doc.issue(
                "source-clash",
                f"source key {key!r} is already used by {base.id}",
                ("sources", key),
                "prefix the overlay's source keys",
            )
    ctx.sources = {**base.sources, **own_sources}
    info = OverlayInfo(
        id=overlay_id,
        title=schema.label(doc, data.get("title"), ("title",)),
        province=schema.text(doc, data.get("province"), ("province",), what="the province"),
        decision=schema.text(doc, data.get("decision"), ("decision",), what="the decision"),
        issued=schema.date(doc, data.get("issued"), ("issued",)),
        partial=schema.boolean(doc, data.get("partial"), ("partial",)),
        path=doc.file,
    )
    criteria = {c.id: list(c.indicators) for c in base.criteria}
    where = {ind.id: crit_id for crit_id, inds in criteria.items() for ind in inds}

    def replace_indicator(ind_id: str, new: Indicator) -> None:
        inds = criteria[where[ind_id]]
        inds[[i.id for i in inds].index(ind_id)] = new

    replace = schema.mapping(doc, data.get("replace", {}), ("replace",)) or {}
    rpath: PathKey
    for ind_id, spec in replace.items():
        rpath = ("replace", ind_id)
        if ind_id not in where:
            doc.issue(
                "unknown-indicator",
                f"indicator {ind_id!r} is not in {base.id}",
                rpath,
                schema.suggest(ind_id, where),
            )
            continue
        if (
            schema.mapping(
                doc, spec, rpath, optional=("text", "threshold", "applies_if", "note", "doubt")
            )
            is None
        ):
            continue
        old = next(i for i in criteria[where[ind_id]] if i.id == ind_id)
        changes: dict[str, Any] = {"origin": overlay_id}
        if "text" in spec:
            changes["text"] = schema.label(doc, spec["text"], (*rpath, "text"))
        if "note" in spec:
            changes["note"] = str(spec["note"])
        if "doubt" in spec:
            changes["doubt"] = str(spec["doubt"])
        if "applies_if" in spec:
            changes["applies_if"] = _condition(ctx, spec["applies_if"], (*rpath, "applies_if"))
        if "threshold" in spec:
            if len(old.checks) != 1:
                doc.issue(
                    "bad-overlay",
                    f"indicator {ind_id!r} has several checks; replace it with remove + add",
                    (*rpath, "threshold"),
                )
            else:
                check = old.checks[0]
                measure = measures.get(check.measure)
                new_thr = _threshold(
                    ctx, spec["threshold"], (*rpath, "threshold"), check.operator, measure
                )
                merged = (
                    new_thr
                    if new_thr.derive is not None
                    else _merge_threshold(check.threshold, new_thr)
                )
                changes["checks"] = (dataclasses.replace(check, threshold=merged),)
        replace_indicator(ind_id, dataclasses.replace(old, **changes))

    raw_remove = data.get("remove", [])
    if not isinstance(raw_remove, list):
        doc.issue("wrong-type", "remove must be a list", ("remove",))
        raw_remove = []
    for i, item in enumerate(raw_remove):
        rpath = ("remove", i)
        if schema.mapping(doc, item, rpath, required=("indicator", "reason", "source")) is None:
            continue
        _source_ref(ctx, item["source"], rpath)
        ind_id = str(item["indicator"])
        if ind_id not in where:
            doc.issue(
                "unknown-indicator",
                f"indicator {ind_id!r} is not in {base.id}",
                (*rpath, "indicator"),
                schema.suggest(ind_id, where),
            )
            continue
        criteria[where[ind_id]] = [x for x in criteria[where[ind_id]] if x.id != ind_id]

    raw_add = data.get("add", [])
    if not isinstance(raw_add, list):
        doc.issue("wrong-type", "add must be a list", ("add",))
        raw_add = []
    for i, item in enumerate(raw_add):
        apath: PathKey = ("add", i)
        if schema.mapping(doc, item, apath, required=("criterion", "indicator")) is None:
            continue
        crit_id = str(item["criterion"])
        if crit_id not in criteria:
            doc.issue(
                "unknown-criterion",
                f"criterion {crit_id!r} is not in {base.id}",
                (*apath, "criterion"),
                schema.suggest(crit_id, criteria),
            )
            continue
        ind = parse_indicator(ctx, item["indicator"], (*apath, "indicator"))
        if ind is None:
            continue
        if ind.id in where:
            doc.issue(
                "duplicate-id",
                f"indicator {ind.id!r} already exists in {base.id}",
                (*apath, "indicator", "id"),
                "use `replace` to change it",
            )
            continue
        criteria[crit_id].append(ind)
        where[ind.id] = crit_id

    region_rules = base.region_rules
    if "region_rules" in data:
        region_rules = tuple(_region_rules(ctx, data["region_rules"], ("region_rules",)))
    extends = data.get("extends")
    if extends != base.id:
        doc.issue(
            "bad-overlay",
            f"overlay extends {extends!r} but was resolved on {base.id!r}",
            ("extends",),
        )
    new_criteria = tuple(
        dataclasses.replace(c, indicators=tuple(criteria[c.id])) for c in base.criteria
    )
    return dataclasses.replace(
        base,
        id=overlay_id,
        title=info.title,
        decision=f"{base.decision} + {info.decision}",
        criteria=new_criteria,
        sources=ctx.sources,
        path=doc.file,
        overlay=info,
        base_id=base.id,
        region_rules=region_rules,
    )
