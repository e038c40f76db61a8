"""Reading criteria sets from YAML, with every problem located: indicators, criteria,
region rules, recognition conditions, the revocation rule."""

from __future__ import annotations

from typing import Any

from ..model.criteria import (
    Check,
    Condition,
    CriteriaSet,
    Criterion,
    Indicator,
    RegionRule,
    RevocationRule,
    Source,
)
from ..model.vocab import Measure, Measures, Regions
from ..operators import OPERATORS
from ..words import Text
from . import checks as schema
from .source import Document, PathKey
from .thresholds import Context, parse_cell_value, parse_sources, parse_threshold, source_ref
from .vocab import measure_hint, region_hint

TIERS = ("standard", "advanced", "model")
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
INDICATOR_OPTIONAL = (
    "measure",
    "operator",
    "threshold",
    "checks",
    "applies_if",
    "note",
    "doubt",
    "continues",
)


def measure_of(ctx: Context, raw: Any, path: PathKey) -> Measure | None:
    if not isinstance(raw, str):
        ctx.doc.issue("wrong-type", f"expected a measure key, found {schema.type_name(raw)}", path)
        return None
    if raw not in ctx.measures:
        ctx.doc.issue(
            "unknown-measure", f"unknown measure {raw!r}", path, measure_hint(ctx.measures, raw)
        )
        return None
    return ctx.measures[raw]


def operator_of(ctx: Context, raw: Any, path: PathKey, measure: Measure | None) -> str:
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


def _check(ctx: Context, raw: dict[str, Any], path: PathKey) -> Check:
    measure = measure_of(ctx, raw.get("measure"), (*path, "measure"))
    operator = operator_of(ctx, raw.get("operator"), (*path, "operator"), measure)
    threshold = parse_threshold(ctx, raw.get("threshold"), (*path, "threshold"), operator, measure)
    return Check(measure.key if measure else str(raw.get("measure")), operator, threshold)


def parse_condition(ctx: Context, raw: Any, path: PathKey) -> Condition | None:
    if (
        schema.mapping(ctx.doc, raw, path, required=("measure", "operator"), optional=("value",))
        is None
    ):
        return None
    measure = measure_of(ctx, raw.get("measure"), (*path, "measure"))
    operator = operator_of(ctx, raw.get("operator"), (*path, "operator"), measure)
    value = parse_cell_value(ctx, raw.get("value", True), (*path, "value"), operator, measure)
    return Condition(measure.key if measure else "?", operator, value)


def parse_indicator(ctx: Context, raw: Any, path: PathKey) -> Indicator | None:
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
        parse_condition(ctx, data["applies_if"], (*path, "applies_if"))
        if "applies_if" in data
        else None
    )
    return Indicator(
        id=ind_id,
        text=schema.label(ctx.doc, data.get("text"), (*path, "text")),
        checks=tuple(checks),
        applies_if=applies_if,
        note=str(data.get("note", "")),
        doubt=str(data.get("doubt", "")),
        continues=_continues(ctx, data, path),
        origin=ctx.origin,
        location=ctx.doc.loc(path),
    )


def _continues(ctx: Context, data: dict[str, Any], path: PathKey) -> str:
    """The id of the indicator of the superseded set this one continues (`continues:`)."""
    if "continues" not in data:
        return ""
    return schema.id_text(
        ctx.doc, data["continues"], (*path, "continues"), what="continued indicator id"
    )


def _criteria(ctx: Context, raw: Any, path: PathKey, groups: dict[str, Text]) -> list[Criterion]:
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


def parse_region_rules(ctx: Context, raw: Any, path: PathKey) -> list[RegionRule]:
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
                source_ref(ctx, item["source"], rpath),
                str(item.get("note", "")),
                tuple(also),
            )
        )
    return out


def _recognition(ctx: Context, raw: Any, path: PathKey) -> tuple[list[Indicator], Source | None]:
    if schema.mapping(ctx.doc, raw, path, required=("source", "conditions")) is None:
        return [], None
    source = source_ref(ctx, raw["source"], path)
    conditions: list[Indicator] = []
    if not isinstance(raw["conditions"], list):
        ctx.doc.issue("wrong-type", "conditions must be a list", (*path, "conditions"))
        return [], source
    for i, item in enumerate(raw["conditions"]):
        ind = parse_indicator(ctx, item, (*path, "conditions", i))
        if ind is not None:
            conditions.append(ind)
    return conditions, source


def _revocation(ctx: Context, raw: Any, path: PathKey) -> RevocationRule | None:
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
        source_ref(ctx, raw["source"], path),
    )


def _period(doc: Document, raw: Any, path: PathKey) -> tuple[int, int]:
    if schema.mapping(doc, raw, path, required=("from", "to")) is None:
        return (0, 0)
    start = schema.integer(doc, raw["from"], (*path, "from"), what="a year")
    end = schema.integer(doc, raw["to"], (*path, "to"), what="a year")
    if start > end:
        doc.issue("bad-period", f"period runs backwards ({start} > {end})", path)
    return (start, end)


def _key_criteria(doc: Document, data: dict[str, Any], ids: set[str]) -> list[str]:
    found = schema.str_list(doc, data.get("key_criteria", []), ("key_criteria",))
    for i, key in enumerate(found):
        if key not in ids:
            doc.issue(
                "unknown-criterion",
                f"key criterion {key!r} is not a criterion of the set",
                ("key_criteria", i),
            )
    return found


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
    ctx = Context(doc, measures, regions, {}, set_id)
    ctx.sources = parse_sources(ctx, data.get("sources"), ("sources",))
    groups = {
        str(k): schema.label(doc, v, ("groups", k))
        for k, v in (schema.mapping(doc, data.get("groups", {}), ("groups",)) or {}).items()
    }
    tier = data.get("tier")
    if tier not in TIERS:
        doc.issue("bad-tier", f"unknown tier {tier!r}", ("tier",), f"one of: {', '.join(TIERS)}")
    criteria = _criteria(ctx, data.get("criteria"), ("criteria",), groups)
    key_criteria = _key_criteria(doc, data, {c.id for c in criteria})
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
        region_rules=tuple(
            parse_region_rules(ctx, data.get("region_rules", []), ("region_rules",))
        ),
        key_criteria=tuple(key_criteria),
        supersedes=str(data.get("supersedes", "")),
        path=doc.file,
        recognition=tuple(recognition),
        recognition_source=recognition_source,
        revocation=revocation,
        requires=tuple(requires),
    )
