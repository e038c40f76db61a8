"""`validate`: check criteria, overlay, measures, regions and commune files; report every issue."""

from __future__ import annotations

from pathlib import Path

from ..errors import InvalidFileError, NtmRulesError
from ..model.criteria import CriteriaSet
from ..model.views import FileReport, ValidationReport
from .catalog import Catalog
from .overlay import overlay_base
from .programme import parse_programme
from .source import Document, read_yaml
from .vocab import parse_measures, parse_regions
from .yaml_communes import parse_communes

KINDS = ("criteria-set", "overlay", "measures", "regions", "programme", "commune", "communes")


def detect_kind(doc: Document) -> str:
    data = doc.data
    if not isinstance(data, dict):
        return "unknown"
    kind = data.get("kind")
    if isinstance(kind, str) and kind in KINDS:
        return "commune" if kind == "communes" else kind
    if "kind" in data:
        return "bad-kind"
    if "measures" in data or "communes" in data:
        return "commune"
    return "unknown"


def _validate_table(path: Path, catalog: Catalog) -> FileReport:
    from .table import read_table

    try:
        table = read_table(path, catalog.vocab)
    except InvalidFileError as exc:
        return FileReport(str(path), "table", tuple(exc.issues))
    return FileReport(
        str(path),
        "table",
        table.issues,
        (("rows", table.rows), ("communes", len(table.communes))),
    )


def validate_files(paths: list[Path], catalog: Catalog) -> ValidationReport:
    """Validate each file, reporting in the order given. CSV and XLSX files are read as commune
    tables; criteria sets on the list are read first, so overlays anywhere on it can use them
    as their base."""
    results: dict[int, FileReport] = {}
    docs: dict[int, Document] = {}
    for i, path in enumerate(paths):
        if path.suffix.lower() in (".csv", ".xlsx"):
            results[i] = _validate_table(path, catalog)
        else:
            docs[i] = read_yaml(path)
    bases: dict[str, CriteriaSet] = {}
    for i in sorted(docs, key=lambda i: detect_kind(docs[i]) != "criteria-set"):
        results[i] = _validate_one(paths[i], docs[i], catalog, bases)
    return ValidationReport(tuple(results[i] for i in range(len(paths))))


def _validate_one(
    path: Path, doc: Document, catalog: Catalog, bases: dict[str, CriteriaSet]
) -> FileReport:
    if doc.fatal:
        return FileReport(str(path), "unreadable", tuple(doc.issues))
    kind = detect_kind(doc)
    summary: tuple[tuple[str, int], ...] = ()
    try:
        if kind == "measures":
            summary = (("measures", len(parse_measures(doc))),)
        elif kind == "programme":
            programme = parse_programme(doc)
            summary = (("bands", len(programme.bands)), ("targets", len(programme.targets)))
        elif kind == "regions":
            regions = parse_regions(doc)
            summary = (("regions", len(regions.regions)), ("provinces", len(regions.provinces)))
        elif kind == "commune":
            communes = parse_communes(doc, catalog.vocab)
            summary = (("communes", len(communes)),)
        elif kind in ("criteria-set", "overlay"):
            if kind == "overlay" and overlay_base(doc) is None:
                doc.issue("missing-key", "an overlay needs `extends:` naming its base set", ())
            else:
                result = catalog.parse_document(doc, bases)
                if kind == "criteria-set":
                    bases[result.id] = result
                summary = (
                    ("criteria", len(result.criteria)),
                    ("indicators", len(result.indicators)),
                )
        elif kind == "bad-kind":
            doc.issue(
                "wrong-kind",
                f"unknown kind {doc.data.get('kind')!r}",
                ("kind",),
                f"one of: {', '.join(KINDS)}",
            )
        else:
            doc.issue(
                "unknown-kind",
                "cannot tell what kind of file this is",
                (),
                "criteria files start with `kind: criteria-set` or `kind: overlay`; "
                "commune files have `name`, `year` and `measures`",
            )
    except InvalidFileError as exc:
        extra = [i for i in exc.issues if i not in doc.issues]
        return FileReport(str(path), kind, tuple(doc.issues + extra), summary)
    except NtmRulesError as exc:
        doc.issue("invalid", str(exc), ())
    return FileReport(str(path), kind, tuple(doc.issues), summary)
