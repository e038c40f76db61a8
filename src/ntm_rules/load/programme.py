"""Reading ``criteria/programme.yaml`` (see :mod:`ntm_rules.model.programme`)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ..errors import raise_if
from ..model.criteria import Source
from ..model.programme import Band, KnownSet, Programme, Target
from . import checks
from .source import Document, PathKey, read_yaml

TARGET_KEYS = ("certified_pct", "advanced_pct", "model_pct", "modern_pct", "below_max")
KNOWN_KEYS = (
    "id",
    "decision",
    "issued",
    "in_force",
    "period",
    "tier",
    "criteria",
    "indicators",
    "title",
    "why",
    "fallback",
    "source",
)


def load_programme(path: Path | str) -> Programme:
    """The programme file; a directory without one gets the defaults (no bands, no targets)."""
    if not Path(path).is_file():
        return Programme()
    doc = read_yaml(path)
    found = parse_programme(doc) if not doc.issues else Programme()
    raise_if(doc.issues)
    return found


def parse_programme(doc: Document) -> Programme:
    data = checks.mapping(
        doc,
        doc.data,
        (),
        required=("kind",),
        optional=("below", "bands", "targets", "not_encoded"),
    )
    if data is None:
        return Programme()
    if data.get("kind") != "programme":
        doc.issue("bad-kind", "expected `kind: programme`", ("kind",))
    below = checks.mapping(
        doc, data.get("below", {}), ("below",), optional=("criteria", "tier", "source")
    )
    below = below or {}
    return Programme(
        below_criteria=checks.integer(doc, below.get("criteria", 15), ("below", "criteria")),
        below_tier=str(below.get("tier", "standard")),
        below_source=_source(doc, below["source"], ("below", "source"))
        if "source" in below
        else None,
        bands=_bands(doc, data.get("bands", []), ("bands",)),
        targets=tuple(
            t
            for i, raw in enumerate(_list(doc, data.get("targets", []), ("targets",)))
            if (t := _target(doc, raw, ("targets", i))) is not None
        ),
        not_encoded=tuple(
            k
            for i, raw in enumerate(_list(doc, data.get("not_encoded", []), ("not_encoded",)))
            if (k := _known(doc, raw, ("not_encoded", i))) is not None
        ),
    )


def _list(doc: Document, raw: Any, path: PathKey) -> list[Any]:
    if not isinstance(raw, list):
        doc.issue("wrong-type", f"expected a list, found {checks.type_name(raw)}", path)
        return []
    return raw


def _source(doc: Document, raw: Any, path: PathKey) -> Source:
    spec = checks.mapping(doc, raw, path, required=("citation",), optional=("url", "kind"))
    if spec is None:
        return Source("?", "missing")
    url = str(spec.get("url") or "")
    if url and not url.startswith(("http://", "https://")):
        doc.issue("bad-source", f"url {url!r} is not an http(s) address", (*path, "url"))
    citation = checks.text(doc, spec["citation"], (*path, "citation"), what="the citation")
    return Source("programme", citation, url, str(spec.get("kind", "secondary")))


def _period(doc: Document, raw: Any, path: PathKey) -> tuple[int, int]:
    if (
        not isinstance(raw, list)
        or len(raw) != 2
        or not all(isinstance(y, int) and not isinstance(y, bool) for y in raw)
        or raw[0] > raw[1]
    ):
        doc.issue("bad-period", "expected [first year, last year]", path)
        return (0, 0)
    return (raw[0], raw[1])


def _bands(doc: Document, raw: Any, path: PathKey) -> tuple[Band, ...]:
    bands = []
    for i, item in enumerate(_list(doc, raw, path)):
        spec = checks.mapping(doc, item, (*path, i), required=("from", "to"))
        if spec is None:
            continue
        low = checks.integer(doc, spec["from"], (*path, i, "from"))
        high = checks.integer(doc, spec["to"], (*path, i, "to"))
        if low > high or low < 0:
            doc.issue("bad-band", f"band {low}–{high} is empty or negative", (*path, i))
        bands.append(Band(low, high))
    covered = sorted(n for b in bands for n in range(b.low, b.high + 1))
    if bands and covered != list(range(covered[0], covered[-1] + 1)):
        doc.issue("bad-band", "bands overlap or leave a gap", path)
    return tuple(bands)


def _target(doc: Document, raw: Any, path: PathKey) -> Target | None:
    spec = checks.mapping(doc, raw, path, required=("period", "source"), optional=TARGET_KEYS)
    if spec is None:
        return None
    values: dict[str, Any] = {}
    for key in TARGET_KEYS:
        if key in spec:
            value = checks.number(doc, spec[key], (*path, key))
            values[key] = int(value) if key == "below_max" and value is not None else value
    return Target(
        _period(doc, spec["period"], (*path, "period")),
        _source(doc, spec["source"], (*path, "source")),
        **values,
    )


def _known(doc: Document, raw: Any, path: PathKey) -> KnownSet | None:
    spec = checks.mapping(doc, raw, path, required=KNOWN_KEYS, optional=("commune_groups",))
    if spec is None:
        return None
    return KnownSet(
        id=checks.ident(doc, spec["id"], (*path, "id")),
        decision=checks.text(doc, spec["decision"], (*path, "decision")),
        issued=checks.date(doc, spec["issued"], (*path, "issued")),
        in_force=checks.date(doc, spec["in_force"], (*path, "in_force")),
        period=_period(doc, spec["period"], (*path, "period")),
        tier=checks.text(doc, spec["tier"], (*path, "tier")),
        criteria=checks.integer(doc, spec["criteria"], (*path, "criteria")),
        indicators=checks.integer(doc, spec["indicators"], (*path, "indicators")),
        commune_groups=checks.integer(
            doc, spec.get("commune_groups", 0), (*path, "commune_groups")
        ),
        title=checks.label(doc, spec["title"], (*path, "title")),
        why=checks.label(doc, spec["why"], (*path, "why")),
        fallback=checks.ident(doc, spec["fallback"], (*path, "fallback")),
        source=_source(doc, spec["source"], (*path, "source")),
    )
