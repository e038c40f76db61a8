"""Per-commune results as a table: the columns, the rows, and the CSV export.

One row per commune, in input order:

* identity: commune, code, district, province, region, year, source (``file:A2``);
* per criteria set (the ``from`` set first, then ``to``, then any other): verdict, criteria met,
  criteria total, region applied, provisional, then one status column per criterion named
  ``SET:ID`` (e.g. ``ntm-2021-2025:10``);
* transition, when two sets are compared.

The CSV holds the stable codes of the JSON (``pass``, ``not_certified``, ``lost``) and, by
default, the stable keys as headers: a file for scripts. ``lang`` gives readable headers; the
``excel-vi`` dialect writes what Excel expects under Vietnamese regional settings (``;``
between cells, the decimal comma). Every text cell is quoted, so no separator inside a cell can
split it (whichever separator the spreadsheet uses), and a cell that a spreadsheet would read as
a formula (starting ``=``, ``+``, ``-``, ``@``, tab or CR) is neutralised with a leading ``'``.
The XLSX workbook is :mod:`ntm_rules.report.sheets_xlsx`.
"""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path
from typing import Any

from ..words import num, t

__all__ = [
    "IDENTITY",
    "PER_SET",
    "criterion_ids",
    "header_label",
    "results_columns",
    "results_csv",
    "results_rows",
    "set_order",
    "source_text",
    "write_results_xlsx",
]

IDENTITY = ("commune", "code", "district", "province", "region", "year", "source")
PER_SET = ("verdict", "criteria_met", "criteria_total", "region_applied", "provisional")
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_AFTER_SEPARATOR = re.compile(r"([,;]\s*)([=+\-@\t\r])")
DIALECTS = ("standard", "excel-vi")
# column key -> the word-table key of its header (where the key itself is not one)
_KEYS: dict[str, str] = {
    "code": "sheet_code",
    "source": "sheet_source",
    "verdict": "sheet_verdict",
    "region_applied": "sheet_region_applied",
    "provisional": "provisional_short",
    "set": "sheet_set",
    "title": "sheet_title",
    "certified": "v_certified",
    "not_certified": "sheet_not_certified",
    "indeterminate": "v_indeterminate",
    "missing": "sheet_missing",
    "unknown": "sheet_unknown",
    "unverified_used": "sheet_unverified_used",
    "fail_rate": "html_fail_rate",
    "failing": "sheet_failing",
    "with_data": "sheet_with_data",
    "near_miss": "sheet_near_miss",
    "median_gap": "sheet_median_gap",
}


def header_label(key: str, label: str, lang: str) -> str:
    """A column header in `lang`: ``SET:ID`` columns keep their key, per-set columns their
    set prefix."""
    if not label:
        return key
    text = t(_KEYS.get(label, label), lang)
    return f"{key.rsplit(':', 1)[0]}:{text}" if ":" in key else text


def set_order(batch: dict[str, Any]) -> list[str]:
    """The batch's set ids: ``from``, then ``to``, then any other set in the JSON's order."""
    sets = list((batch.get("sets") or {}).keys())
    first = [s for s in (batch.get("from"), batch.get("to")) if s and s in sets]
    return list(dict.fromkeys(first + sets))


def criterion_ids(batch: dict[str, Any], set_id: str) -> list[str]:
    info = (batch.get("sets") or {}).get(set_id) or {}
    ids = [str(c["id"]) for c in info.get("criteria") or []]
    if ids:
        return ids
    seen: dict[str, None] = {}  # no criteria list: the ids seen in the results
    for row in batch.get("results") or []:
        for cid in ((row.get("sets") or {}).get(set_id) or {}).get("criteria") or {}:
            seen.setdefault(str(cid), None)
    return list(seen)


def _has_transition(batch: dict[str, Any]) -> bool:
    if batch.get("transitions") or (batch.get("from") and batch.get("to")):
        return True
    return any(r.get("transition") for r in batch.get("results") or [])


def results_columns(batch: dict[str, Any]) -> list[tuple[str, str]]:
    """The results table's columns as ``(key, label_key)``; keys are the default CSV headers."""
    cols: list[tuple[str, str]] = [(k, k) for k in IDENTITY]
    for sid in set_order(batch):
        cols += [(f"{sid}:{k}", k) for k in PER_SET]
        cols += [(f"{sid}:{cid}", "") for cid in criterion_ids(batch, sid)]
    if _has_transition(batch):
        cols.append(("transition", "transition"))
    return cols


def source_text(source: Any) -> str:
    """Where a commune was read, for a cell: ``file:A2`` (a table) or ``file:12`` (YAML)."""
    if not isinstance(source, dict):
        return "" if source is None else str(source)
    place = source.get("cell") or (str(source["line"]) if source.get("line") else "")
    return f"{source.get('file', '')}:{place}" if place else str(source.get("file", ""))


def results_rows(batch: dict[str, Any]) -> list[list[Any]]:
    """One list of raw values per commune, aligned with :func:`results_columns`."""
    rows: list[list[Any]] = []
    sets = set_order(batch)
    crit = {sid: criterion_ids(batch, sid) for sid in sets}
    trans = _has_transition(batch)
    for r in batch.get("results") or []:
        row: list[Any] = [r.get(k) for k in IDENTITY[:-1]] + [source_text(r.get("source"))]
        for sid in sets:
            ev = (r.get("sets") or {}).get(sid) or {}
            row += [ev.get(k) for k in PER_SET]
            statuses = ev.get("criteria") or {}
            row += [statuses.get(cid) for cid in crit[sid]]
        if trans:
            row.append(r.get("transition"))
        rows.append(row)
    return rows


def _csv_cell(value: Any, dialect: str) -> Any:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return num(value, "vi", 12).replace(".", "") if dialect == "excel-vi" else value
    text = str(value)
    if text.startswith(_FORMULA_START):
        text = "'" + text
    # a spreadsheet with the other list separator (',' or ';', e.g. Excel under Vietnamese
    # settings) splits the cell there: what follows a separator must not start a formula either
    return _AFTER_SEPARATOR.sub(r"\1'\2", text) if ";" in text or "," in text else text


def results_csv(batch: dict[str, Any], lang: str | None = None, dialect: str = "standard") -> str:
    """The results table as CSV text, **starting with a UTF-8 byte-order mark** (U+FEFF).

    The BOM makes Excel read the file as UTF-8, so Vietnamese names display right; Python
    readers open it with ``encoding="utf-8-sig"``. Rows end with CRLF (RFC 4180). Booleans are
    ``true``/``false``, missing values are empty. Headers: the stable keys by default,
    readable labels with ``lang``. ``dialect="excel-vi"``: ``;`` between cells and the
    decimal comma, for Excel under Vietnamese regional settings.
    """
    if dialect not in DIALECTS:
        raise ValueError(f"dialect must be one of {DIALECTS}, not {dialect!r}")
    if lang is None:
        headers = [key for key, _ in results_columns(batch)]
    else:
        if lang not in ("vi", "en"):
            raise ValueError(f"lang must be 'vi' or 'en', not {lang!r}")
        headers = [header_label(key, label, lang) for key, label in results_columns(batch)]
    buf = io.StringIO()
    delimiter = ";" if dialect == "excel-vi" else ","
    w = csv.writer(buf, lineterminator="\r\n", delimiter=delimiter, quoting=csv.QUOTE_NONNUMERIC)
    w.writerow(headers)
    for row in results_rows(batch):
        w.writerow([_csv_cell(v, dialect) for v in row])
    return "\ufeff" + buf.getvalue()


def write_results_xlsx(batch: dict[str, Any], path: Path | str, lang: str = "en") -> None:
    """The workbook (see :mod:`ntm_rules.report.sheets_xlsx`)."""
    from .sheets_xlsx import write_results_xlsx as write

    write(batch, path, lang)
