"""Commune YAML files: one commune, or a list under ``communes:``; each mapping goes through
the one commune builder (:func:`ntm_rules.load.communes.build_commune`)."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from ..errors import InvalidFileError, Issue, Location, raise_if
from ..model.commune import Commune, Observed
from ..model.vocab import Measures, Vocab
from . import checks
from .appraisals import yaml_appraisals
from .communes import COMMUNE_KEYS, COMMUNE_OPTIONAL, SHARED, build_commune
from .source import Document, PathKey, read_yaml
from .values import parse_value
from .vocab import measure_hint


class YamlFields:
    """A commune mapping of a YAML document, located by its dotted path."""

    PATHS: Mapping[str, PathKey] = {
        "recognized_set": ("recognized", "set"),
        "recognized_year": ("recognized", "year"),
        "recognized_tier": ("recognized", "tier"),
    }

    typed = True

    def __init__(self, doc: Document, data: dict[str, Any], path: PathKey) -> None:
        self.doc, self.data, self.path = doc, data, path
        rec = data.get("recognized")
        self.recognized = rec if isinstance(rec, dict) else {}

    def has(self, key: str) -> bool:
        if key in self.PATHS:
            return self.PATHS[key][1] in self.recognized
        return key in self.data

    def _path(self, key: str) -> PathKey:
        return (*self.path, *self.PATHS.get(key, (key,) if key else ()))

    def raw(self, key: str) -> object:
        if key in self.PATHS:
            return self.recognized.get(self.PATHS[key][1])
        value = self.data.get(key)
        if key == "categories" and isinstance(value, str):
            return [value]  # YAML lists categories; a bare word is one category
        return value

    def text(self, key: str) -> str | None:
        return None  # typed values: read and checked by the commune builder

    def shared(self) -> tuple[object, ...]:
        return tuple(self.raw(k) for k in SHARED)

    def issue(
        self, code: str, message: str, key: str, hint: str = "", index: int | None = None
    ) -> None:
        path = self._path(key)
        if index is not None and isinstance(self.data.get(key), list):
            path = (*path, index)
        self.doc.issue(code, message, path, hint)

    def location(self) -> Location:
        return self.doc.loc(self.path)

    def problems(self) -> int:
        return len(self.doc.issues)

    def warn(self, code: str, message: str, key: str, hint: str = "") -> None:
        self.doc.issue(code, message, self._path(key), hint, severity="warning")


def _measure_values(
    doc: Document, raw: Any, path: PathKey, measures: Measures
) -> dict[str, Observed]:
    out: dict[str, Observed] = {}
    table = checks.mapping(doc, raw, path, what="the measures table")
    if table is None:
        return out
    for key, value in table.items():
        if key not in measures:
            doc.issue(
                "unknown-measure",
                f"unknown measure {key!r}",
                (*path, key),
                measure_hint(measures, key),
            )
            continue
        observed, problem = parse_value(measures[key], value)
        if problem is not None:
            doc.issue(problem.code, problem.message, (*path, key), problem.hint)
            continue
        if observed is not None:
            out[key] = observed
    return out


class _YearFields(YamlFields):
    """One year of a commune's ``years:`` block: the year is the block's key, located there."""

    def __init__(self, doc: Document, data: dict[str, Any], path: PathKey, year: Any) -> None:
        super().__init__(doc, data, path)
        self.year = year

    def has(self, key: str) -> bool:
        return True if key == "year" else super().has(key)

    def raw(self, key: str) -> object:
        if key != "year":
            return super().raw(key)
        text = str(self.year)
        return int(text) if text.isdigit() and len(text) <= 6 else self.year

    def _path(self, key: str) -> PathKey:
        return (*self.path, "years", self.year) if key == "year" else super()._path(key)

    def location(self) -> Location:
        return self.doc.loc((*self.path, "years", self.year))


def _required(raw: Any) -> tuple[str, ...]:
    """With a ``years:`` block, the year and the measures come from it."""
    if isinstance(raw, dict) and "years" in raw:
        return ("name", "years")
    return COMMUNE_KEYS


def parse_commune(doc: Document, raw: Any, path: PathKey, vocab: Vocab) -> list[Commune]:
    """The commune of one mapping: one commune, or one per year of its ``years:`` block."""
    data = checks.mapping(
        doc,
        raw,
        path,
        required=_required(raw),
        optional=(*COMMUNE_OPTIONAL, "years", *(("measures",) if "years" in (raw or {}) else ())),
        what="a commune",
        partial_ok=True,
    )
    if data is None:
        return []
    if "kind" in data and data["kind"] != "commune":
        doc.issue("wrong-kind", f"expected kind: commune, found {data['kind']!r}", (*path, "kind"))
    if data.get("recognized") is not None:
        checks.mapping(
            doc,
            data["recognized"],
            (*path, "recognized"),
            required=("set", "year"),
            optional=("tier",),
        )
    recognition: dict[str, Observed] = {}
    if data.get("recognition") is not None:
        recognition = _measure_values(
            doc, data["recognition"], (*path, "recognition"), vocab.measures
        )
    shared: dict[str, Observed] = {}
    if "measures" in data or "years" not in data:
        shared = _measure_values(doc, data.get("measures"), (*path, "measures"), vocab.measures)
    appraisals = yaml_appraisals(doc, data.get("appraisals"), (*path, "appraisals"), vocab)
    if "years" not in data:
        fields = YamlFields(doc, data, path)
        return [build_commune(fields, vocab, shared, recognition, appraisals)]
    if "year" in data:
        doc.issue(
            "conflicting-keys",
            "a commune gives either year (one data year) or years (several), not both",
            (*path, "year"),
            "move this year's values under years:",
        )
    years = checks.mapping(doc, data["years"], (*path, "years"), what="the years table")
    if years is not None and not years:
        doc.issue("wrong-type", "years must list at least one year", (*path, "years"))
    out = []
    for year, raw_values in (years or {}).items():
        where = (*path, "years", year)
        own = _measure_values(doc, raw_values, where, vocab.measures)
        fields = _YearFields(doc, data, path, year)
        merged = {**shared, **own}
        out.append(build_commune(fields, vocab, merged, recognition, appraisals))
    return out


def parse_communes(doc: Document, vocab: Vocab) -> list[Commune]:
    """The communes of a commune document; its issues end up in the order of the file."""
    try:
        return _parse_communes(doc, vocab)
    finally:
        _in_order(doc)


def _parse_communes(doc: Document, vocab: Vocab) -> list[Commune]:
    data = doc.data
    if isinstance(data, dict) and "communes" in data:
        checks.mapping(doc, data, (), required=("communes",), optional=("kind", "note"))
        items = data["communes"]
        if not isinstance(items, list) or not items:
            doc.issue("wrong-type", "communes must be a non-empty list", ("communes",))
            return []
        return [
            c
            for i, item in enumerate(items)
            for c in parse_commune(doc, item, ("communes", i), vocab)
        ]
    return parse_commune(doc, data, (), vocab)


def _in_order(doc: Document) -> None:
    """A document's issues in the order of the file (a commune's measures are read before its
    identity)."""
    doc.issues.sort(key=lambda i: (i.location.line, i.location.column))


def read_yaml_communes(
    path: Path | str, vocab: Vocab, warnings: list[Issue] | None = None
) -> list[Commune]:
    """Read a commune YAML file (one commune or `communes:`); raise on any error (warnings go to
    `warnings` when given)."""
    doc = read_yaml(path)
    if doc.fatal:
        raise_if(doc.issues)
    communes = parse_communes(doc, vocab)
    raise_if(doc.issues)
    if not communes:
        raise InvalidFileError(doc.issues)
    if warnings is not None:
        warnings.extend(i for i in doc.issues if i.severity != "error")
    return communes
