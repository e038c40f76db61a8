"""Province overlays: a national set with a province's own values, indicators and rules."""

from __future__ import annotations

import dataclasses
from typing import Any

from ..model.criteria import (
    CriteriaSet,
    Criterion,
    OverlayInfo,
    RegionValues,
    Threshold,
)
from ..model.vocab import Measures, Regions
from . import checks as schema
from .criteria import parse_condition, parse_indicator, parse_region_rules
from .loosening import check_sources, loosened
from .source import Document, PathKey
from .thresholds import Context, parse_sources, parse_threshold, source_ref

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
OVERLAY_OPTIONAL = ("replace", "add", "remove", "note", "region_rules", "loosens")


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


def _placeholder(cell: Any) -> bool:
    """A cell left to fill (``value: null`` with no source): it changes nothing."""
    return isinstance(cell, dict) and cell.get("value") is None and cell.get("source") in (None, "")


def _without_placeholders(raw: Any) -> Any:
    """The threshold mapping without placeholder cells (None when nothing is left)."""
    if not isinstance(raw, dict):
        return raw
    if "value" in raw:
        return None if _placeholder(raw) else raw
    out = {}
    for key, item in raw.items():
        kept = _without_placeholders(item) if isinstance(item, dict) else item
        if kept is not None and kept != {}:
            out[key] = kept
    return out or None


def _merge_threshold(old: Threshold, new: Threshold) -> Threshold:
    years = dict(old.by_year)
    for year, values in new.by_year:
        years[year] = _merge_values(years[year], values) if year in years else values
    return Threshold(_merge_values(old.base, new.base), tuple(sorted(years.items())))


class _Edit:
    """The base set's criteria being edited by an overlay: indicator id -> criterion id."""

    def __init__(self, ctx: Context, base: CriteriaSet) -> None:
        self.ctx, self.base, self.doc = ctx, base, ctx.doc
        self.criteria = {c.id: list(c.indicators) for c in base.criteria}
        self.where = {i.id: cid for cid, inds in self.criteria.items() for i in inds}

    def _known(self, ind_id: str, path: PathKey) -> bool:
        if ind_id in self.where:
            return True
        self.doc.issue(
            "unknown-indicator",
            f"indicator {ind_id!r} is not in {self.base.id}",
            path,
            schema.suggest(ind_id, self.where),
        )
        return False

    def _list(self, data: dict[str, Any], key: str) -> list[Any]:
        raw = data.get(key, [])
        if not isinstance(raw, list):
            self.doc.issue("wrong-type", f"{key} must be a list", (key,))
            return []
        return raw

    def replace(self, ind_id: str, spec: Any) -> None:
        rpath: PathKey = ("replace", ind_id)
        if not self._known(ind_id, rpath):
            return
        allowed = ("text", "threshold", "applies_if", "note", "doubt")
        if schema.mapping(self.doc, spec, rpath, optional=allowed) is None:
            return
        inds = self.criteria[self.where[ind_id]]
        k = [i.id for i in inds].index(ind_id)
        old = inds[k]
        changes: dict[str, Any] = {"origin": self.ctx.origin}
        if "text" in spec:
            changes["text"] = schema.label(self.doc, spec["text"], (*rpath, "text"))
        for key in ("note", "doubt"):
            if key in spec:
                changes[key] = str(spec[key])
        if "applies_if" in spec:
            changes["applies_if"] = parse_condition(
                self.ctx, spec["applies_if"], (*rpath, "applies_if")
            )
        raw_threshold = _without_placeholders(spec.get("threshold"))
        if "threshold" in spec and raw_threshold is not None:
            spec = {**spec, "threshold": raw_threshold}
            if len(old.checks) != 1:
                self.doc.issue(
                    "bad-overlay",
                    f"indicator {ind_id!r} has several checks; replace it with remove + add",
                    (*rpath, "threshold"),
                )
            else:
                check = old.checks[0]
                measure = self.ctx.measures.get(check.measure)
                new = parse_threshold(
                    self.ctx, spec["threshold"], (*rpath, "threshold"), check.operator, measure
                )
                merged = new if new.derive is not None else _merge_threshold(check.threshold, new)
                changes["checks"] = (dataclasses.replace(check, threshold=merged),)
        inds[k] = dataclasses.replace(old, **changes)

    def remove(self, data: dict[str, Any]) -> None:
        for i, item in enumerate(self._list(data, "remove")):
            rpath: PathKey = ("remove", i)
            spec = schema.mapping(self.doc, item, rpath, required=("indicator", "reason", "source"))
            if spec is None:
                continue
            source_ref(self.ctx, spec["source"], rpath)
            ind_id = str(spec["indicator"])
            if self._known(ind_id, (*rpath, "indicator")):
                crit = self.where.pop(ind_id)
                self.criteria[crit] = [x for x in self.criteria[crit] if x.id != ind_id]

    def add(self, data: dict[str, Any]) -> None:
        for i, item in enumerate(self._list(data, "add")):
            apath: PathKey = ("add", i)
            spec = schema.mapping(self.doc, item, apath, required=("criterion", "indicator"))
            if spec is None:
                continue
            crit_id = str(spec["criterion"])
            if crit_id not in self.criteria:
                self.doc.issue(
                    "unknown-criterion",
                    f"criterion {crit_id!r} is not in {self.base.id}",
                    (*apath, "criterion"),
                    schema.suggest(crit_id, self.criteria),
                )
                continue
            ind = parse_indicator(self.ctx, spec["indicator"], (*apath, "indicator"))
            if ind is None:
                continue
            if ind.id in self.where:
                self.doc.issue(
                    "duplicate-id",
                    f"indicator {ind.id!r} already exists in {self.base.id}",
                    (*apath, "indicator", "id"),
                    "use `replace` to change it",
                )
                continue
            self.criteria[crit_id].append(ind)
            self.where[ind.id] = crit_id

    def result(self) -> tuple[Criterion, ...]:
        return tuple(
            dataclasses.replace(c, indicators=tuple(self.criteria[c.id]))
            for c in self.base.criteria
        )


def _info(doc: Document, data: dict[str, Any], overlay_id: str) -> OverlayInfo:
    return OverlayInfo(
        id=overlay_id,
        title=schema.label(doc, data.get("title"), ("title",)),
        province=schema.text(doc, data.get("province"), ("province",), what="the province"),
        decision=schema.text(doc, data.get("decision"), ("decision",), what="the decision"),
        issued=schema.date(doc, data.get("issued"), ("issued",)),
        partial=schema.boolean(doc, data.get("partial"), ("partial",)),
        path=doc.file,
    )


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
    ctx = Context(doc, measures, regions, {}, overlay_id)
    own_sources = parse_sources(ctx, data.get("sources"), ("sources",))
    for key in own_sources:
        if key in base.sources:
            doc.issue(
                "source-clash",
                f"source key {key!r} is already used by {base.id}",
                ("sources", key),
                "prefix the overlay's source keys",
            )
    ctx.sources = {**base.sources, **own_sources}
    info = _info(doc, data, overlay_id)
    edit = _Edit(ctx, base)
    for ind_id, spec in (schema.mapping(doc, data.get("replace", {}), ("replace",)) or {}).items():
        edit.replace(ind_id, spec)
    edit.remove(data)
    edit.add(data)
    region_rules = base.region_rules
    if "region_rules" in data:
        region_rules = tuple(parse_region_rules(ctx, data["region_rules"], ("region_rules",)))
    if data.get("extends") != base.id:
        doc.issue(
            "bad-overlay",
            f"overlay extends {data.get('extends')!r} but was resolved on {base.id!r}",
            ("extends",),
        )
    result = dataclasses.replace(
        base,
        id=overlay_id,
        title=info.title,
        decision=f"{base.decision} + {info.decision}",
        criteria=edit.result(),
        sources=ctx.sources,
        path=doc.file,
        overlay=info,
        base_id=base.id,
        region_rules=region_rules,
    )
    return _checked_loosening(doc, data, result, base, overlay_id)


def _checked_loosening(
    doc: Document, data: dict[str, Any], result: CriteriaSet, base: CriteriaSet, overlay_id: str
) -> CriteriaSet:
    """An overlay that loosens the national set must say so (``loosens:``); it is recorded."""
    check_sources(doc, result, overlay_id)
    found = loosened(result, base, overlay_id)
    reason = data.get("loosens")
    if found and not (isinstance(reason, str) and reason.strip()):
        for ind_id, what in found:
            doc.issue(
                "overlay-loosens",
                f"indicator {ind_id} is easier to meet than in {base.id} ({what})",
                ("remove",) if what == "removed" else ("replace", ind_id),
                "provinces set stricter levels as a rule; if the decision really loosens the "
                'national set, say why with `loosens: "…"`',
            )
        return result
    if not found or result.overlay is None:
        return result
    info = dataclasses.replace(
        result.overlay, loosens=str(reason), loosened=tuple(dict.fromkeys(i for i, _ in found))
    )
    return dataclasses.replace(result, overlay=info)
