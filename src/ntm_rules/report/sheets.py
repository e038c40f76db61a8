"""CSV and XLSX exports of a batch run, from the batch JSON (``BatchResult.to_dict()``).

Both exports have one row per commune, in input order:

* identity: commune, code, district, province, region, year, source;
* per criteria set (the ``from`` set first, then ``to``, then any other): verdict, criteria met,
  criteria total, region applied, provisional, then one status column per criterion named
  ``SET:ID`` (e.g. ``ntm-2021-2025:10``) holding ``pass``, ``fail``, ``indeterminate`` or
  ``not_applicable``;
* transition (``kept``, ``lost``, ``gained``, ``never``, ``indeterminate``) when two sets are
  compared.

Cell values are the stable codes of the JSON whatever the language; `lang` ("vi" or "en") only
picks the header labels (the CSV defaults to the stable keys as headers). Text that a
spreadsheet would read as a formula (a commune name starting with ``=``, ``+``, ``-``, ``@``) is
neutralised: quoted with ``'`` in CSV, stored as plain text in XLSX.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from ..words import t

__all__ = ["results_columns", "results_csv", "results_rows", "set_order", "write_results_xlsx"]

_IDENTITY = ("commune", "code", "district", "province", "region", "year", "source")
_PER_SET = ("verdict", "criteria_met", "criteria_total", "region_applied", "provisional")
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


# column label -> the word-table key it reads (where the sheet's name differs)
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
    "count": "communes",
    "missing": "sheet_missing",
    "verified": "sheet_verified",
    "unknown": "sheet_unknown",
    "unverified_used": "sheet_unverified_used",
    "overlay": "html_overlay",
    "fail_rate": "html_fail_rate",
    "failing": "sheet_failing",
    "with_data": "sheet_with_data",
    "near_miss": "sheet_near_miss",
    "median_gap": "sheet_median_gap",
}


def _label(key: str, lang: str) -> str:
    return t(_KEYS.get(key, key), lang)


def _check_lang(lang: str) -> None:
    if lang not in ("vi", "en"):
        raise ValueError(f"lang must be 'vi' or 'en', not {lang!r}")


def set_order(batch: dict[str, Any]) -> list[str]:
    """The batch's set ids: ``from``, then ``to``, then any other set in the JSON's order."""
    sets = list((batch.get("sets") or {}).keys())
    first = [s for s in (batch.get("from"), batch.get("to")) if s and s in sets]
    return list(dict.fromkeys(first + sets))


def _criterion_ids(batch: dict[str, Any], set_id: str) -> list[str]:
    info = (batch.get("sets") or {}).get(set_id) or {}
    ids = [str(c["id"]) for c in info.get("criteria") or []]
    if ids:
        return ids
    # no criteria list: the ids seen in the results, in first-seen order
    seen: dict[str, None] = {}
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
    cols: list[tuple[str, str]] = [(k, k) for k in _IDENTITY]
    for sid in set_order(batch):
        cols += [(f"{sid}:{k}", k) for k in _PER_SET]
        cols += [(f"{sid}:{cid}", "") for cid in _criterion_ids(batch, sid)]
    if _has_transition(batch):
        cols.append(("transition", "transition"))
    return cols


def _headers(batch: dict[str, Any], lang: str) -> list[str]:
    out = []
    for key, label in results_columns(batch):
        if not label:
            out.append(key)  # "SET:ID" is the same in both languages
        elif ":" in key:
            out.append(f"{key.rsplit(':', 1)[0]}:{_label(label, lang)}")
        else:
            out.append(_label(label, lang))
    return out


def results_rows(batch: dict[str, Any]) -> list[list[Any]]:
    """One list of raw values per commune, aligned with :func:`results_columns`."""
    rows: list[list[Any]] = []
    sets = set_order(batch)
    crit = {sid: _criterion_ids(batch, sid) for sid in sets}
    trans = _has_transition(batch)
    for r in batch.get("results") or []:
        row: list[Any] = [r.get(k) for k in _IDENTITY]
        for sid in sets:
            ev = (r.get("sets") or {}).get(sid) or {}
            row += [ev.get(k) for k in _PER_SET]
            statuses = ev.get("criteria") or {}
            row += [statuses.get(cid) for cid in crit[sid]]
        if trans:
            row.append(r.get("transition"))
        rows.append(row)
    return rows


def _csv_cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (dict, list)):
        return json.dumps(value, ensure_ascii=False)
    text = str(value)
    if isinstance(value, str) and text.startswith(_FORMULA_START):
        return "'" + text
    return text


def results_csv(batch: dict[str, Any], lang: str | None = None) -> str:
    """The results table as CSV text, **starting with a UTF-8 byte-order mark** (U+FEFF).

    The BOM makes Excel read the file as UTF-8, so Vietnamese names (Pờ Ê, Đắk Hà) display
    right; Python readers should open it with ``encoding="utf-8-sig"``. Rows end with CRLF
    (RFC 4180). Booleans are ``true``/``false``, missing values are empty. By default the
    headers are the stable keys (``commune``, ``ntm-2021-2025:verdict``, ``ntm-2021-2025:10``,
    ``transition``), best for scripts; ``lang="vi"`` or ``"en"`` gives readable labels instead.
    """
    if lang is None:
        headers = [key for key, _ in results_columns(batch)]
    else:
        _check_lang(lang)
        headers = _headers(batch, lang)
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n")
    w.writerow(headers)
    for row in results_rows(batch):
        w.writerow([_csv_cell(v) for v in row])
    return "\ufeff" + buf.getvalue()


# --------------------------------------------------------------------------------------- XLSX

_FILLS = {  # value -> ARGB background
    "pass": "FFC6EFCE",
    "certified": "FFC6EFCE",
    "kept": "FFC6EFCE",
    "gained": "FFC6EFCE",
    "fail": "FFFFC7CE",
    "not_certified": "FFFFC7CE",
    "lost": "FFFFC7CE",
    "indeterminate": "FFFFEB9C",
    "not_applicable": "FFE7E6E6",
    "never": "FFE7E6E6",
}


_XML_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def _xlsx_value(value: Any) -> Any:
    if isinstance(value, (dict, list)):
        value = json.dumps(value, ensure_ascii=False)
    if isinstance(value, str):
        return _XML_ILLEGAL.sub("\ufffd", value)  # XML 1.0 cannot hold these
    return value


def _append(ws: Any, values: Sequence[Any]) -> None:
    """Append a row; text that looks like a formula is kept as plain text."""
    ws.append([_xlsx_value(v) for v in values])
    for cell in ws[ws.max_row]:
        if isinstance(cell.value, str) and cell.value.startswith("="):
            cell.data_type = "s"


def _table(
    ws: Any,
    headers: Sequence[str],
    rows: Iterable[Sequence[Any]],
    *,
    bold: Any,
    start_blank: bool = False,
) -> tuple[int, int]:
    """Write a header + rows block; return (header row, last row)."""
    if start_blank and ws.max_row > 1:
        ws.append([])
    _append(ws, headers)
    head = ws.max_row
    for cell in ws[head]:
        cell.font = bold
    for row in rows:
        _append(ws, row)
    return head, ws.max_row


def _widths(ws: Any, cap: int = 60) -> None:
    from openpyxl.utils import get_column_letter

    widths: dict[int, int] = {}
    for row in ws.iter_rows():
        for cell in row:
            if cell.value is not None:
                n = len(str(cell.value))
                widths[cell.column] = max(widths.get(cell.column, 0), n)
    for col, n in widths.items():
        ws.column_dimensions[get_column_letter(col)].width = min(cap, max(6, n + 2))


def _title(text: Any, lang: str) -> str:
    if isinstance(text, dict):
        return str(text.get(lang) or text.get("en") or text.get("vi") or "")
    return "" if text is None else str(text)


def _build_workbook(batch: dict[str, Any], lang: str) -> Any:
    from openpyxl import Workbook
    from openpyxl.formatting.rule import CellIsRule
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    bold = Font(bold=True)
    wb = Workbook()

    # results ------------------------------------------------------------------------------
    ws: Any = wb.active
    ws.title = "results"
    headers = _headers(batch, lang)
    rows = results_rows(batch)
    _table(ws, headers, rows, bold=bold)
    for cell in ws[1]:
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    ws.freeze_panes = "B2"
    last_col = get_column_letter(len(headers))
    last_row = max(2, len(rows) + 1)
    ws.auto_filter.ref = f"A1:{last_col}{last_row}"
    first_status = len(_IDENTITY) + 1
    rng = f"{get_column_letter(first_status)}2:{last_col}{last_row}"
    for value, argb in _FILLS.items():
        ws.conditional_formatting.add(
            rng,
            CellIsRule(  # type: ignore[no-untyped-call]
                operator="equal",
                formula=[f'"{value}"'],
                fill=PatternFill(start_color=argb, end_color=argb, fill_type="solid"),
            ),
        )
    _widths(ws, cap=30)
    for idx, (_key, label) in enumerate(results_columns(batch), start=1):
        if not label:  # criterion status columns: narrow
            ws.column_dimensions[get_column_letter(idx)].width = 9

    # summary ------------------------------------------------------------------------------
    ss = wb.create_sheet("summary")
    stat_keys = (
        "total",
        "certified",
        "not_certified",
        "indeterminate",
        "certified_pct",
        "criteria_met_mean",
        "below_15",
    )
    sum_rows: list[list[Any]] = []
    for sid in set_order(batch):
        info = batch["sets"][sid]
        base = [sid, _title(info.get("title"), lang), info.get("decision")]
        sum_rows.append(base + [_label("all", lang), ""] + [info.get(k) for k in stat_keys])
        for scope, key in (("region", "by_region"), ("district", "by_district")):
            for name, st in (info.get(key) or {}).items():
                sum_rows.append(base + [_label(scope, lang), name] + [st.get(k) for k in stat_keys])
    _table(
        ss,
        [_label(k, lang) for k in ("set", "title", "decision", "scope", "name", *stat_keys)],
        sum_rows,
        bold=bold,
    )
    ss.freeze_panes = "A2"

    prov_rows = []
    for sid in set_order(batch):
        info = batch["sets"][sid]
        cells = info.get("cells") or {}
        ov = info.get("overlay")
        ov_text = ""
        if ov:
            ov_text = " ".join(str(x) for x in (ov.get("province"), ov.get("decision")) if x)
            if ov.get("partial"):
                ov_text += " (partial)" if lang == "en" else " (một phần)"
        prov_rows.append(
            [
                sid,
                info.get("decision"),
                cells.get("verified"),
                cells.get("unverified"),
                cells.get("unknown"),
                ", ".join(str(x) for x in info.get("unverified_used") or []),
                ov_text,
            ]
        )
    _table(
        ss,
        [
            _label(k, lang)
            for k in (
                "set",
                "decision",
                "verified",
                "unverified",
                "unknown",
                "unverified_used",
                "overlay",
            )
        ],
        prov_rows,
        bold=bold,
        start_blank=True,
    )

    if batch.get("transitions"):
        _table(
            ss,
            [_label("transition", lang), _label("communes", lang)],
            [[k, v] for k, v in batch["transitions"].items()],
            bold=bold,
            start_blank=True,
        )
    if batch.get("missing_measures"):
        _table(
            ss,
            [_label("measure", lang), _label("sheet_missing", lang)],
            [[k, v] for k, v in batch["missing_measures"].items()],
            bold=bold,
            start_blank=True,
        )
    _widths(ss, cap=50)

    # hard_criteria ------------------------------------------------------------------------
    hs = wb.create_sheet("hard_criteria")
    hc_rows: list[list[Any]] = []
    for h in batch.get("hard_criteria") or []:
        base = [
            h.get("set"),
            h.get("criterion"),
            _title(h.get("name"), lang),
            h.get("fail_rate"),
            h.get("failing"),
            h.get("with_data"),
            h.get("median_gap_pct"),
            h.get("near_miss"),
        ]
        inds = h.get("indicators") or [{}]
        for ind in inds:
            hc_rows.append(
                [
                    *base,
                    ind.get("id"),
                    ind.get("measure"),
                    ind.get("unit"),
                    ind.get("fail_rate"),
                    ind.get("failing"),
                    ind.get("with_data"),
                    ind.get("median_gap"),
                    ind.get("near_miss"),
                ]
            )
    _table(
        hs,
        [
            _label(k, lang)
            for k in (
                "set",
                "criterion",
                "criterion_name",
                "fail_rate",
                "failing",
                "with_data",
                "median_gap_pct",
                "near_miss",
                "indicator",
                "measure",
                "unit",
                "ind_fail_rate",
                "ind_failing",
                "ind_with_data",
                "median_gap",
                "ind_near_miss",
            )
        ],
        hc_rows,
        bold=bold,
    )
    for row in hs.iter_rows(min_row=2):
        for idx in (3, 11):  # fail rates as percentages
            row[idx].number_format = "0.0%"
    hs.freeze_panes = "A2"
    _widths(hs, cap=40)

    # lost ---------------------------------------------------------------------------------
    ls = wb.create_sheet("lost")
    lost_rows: list[list[Any]] = []
    for item in batch.get("lost") or []:
        base = [item.get("commune"), item.get("code"), item.get("district"), item.get("province")]
        for c in item.get("culprits") or [{}]:
            lost_rows.append(
                [
                    *base,
                    c.get("criterion"),
                    c.get("indicator"),
                    c.get("measure"),
                    c.get("status"),
                    c.get("cause"),
                    c.get("value"),
                    c.get("threshold_from"),
                    c.get("threshold_to"),
                ]
            )
    _table(
        ls,
        [
            _label(k, lang)
            for k in (
                "commune",
                "code",
                "district",
                "province",
                "criterion",
                "indicator",
                "measure",
                "status",
                "cause",
                "value",
                "threshold_from",
                "threshold_to",
            )
        ],
        lost_rows,
        bold=bold,
    )
    ls.freeze_panes = "B2"
    _widths(ls, cap=40)

    # row_errors ---------------------------------------------------------------------------
    es = wb.create_sheet("row_errors")
    _table(
        es,
        [_label(k, lang) for k in ("file", "row", "column", "error_code", "message", "hint")],
        [
            [
                e.get("file"),
                e.get("row"),
                e.get("column"),
                e.get("code"),
                e.get("message"),
                e.get("hint"),
            ]
            for e in batch.get("row_errors") or []
        ],
        bold=bold,
    )
    es.freeze_panes = "A2"
    _widths(es, cap=80)
    return wb


def write_results_xlsx(batch: dict[str, Any], path: Path | str, lang: str = "en") -> None:
    """Save the batch as an Excel workbook at `path` (plain save: no overwrite checks).

    Sheets: ``results`` (the columns of :func:`results_csv`; bold header, frozen header row and
    commune column, autofilter, fills: pass/certified/kept green, fail/not certified/lost red,
    indeterminate yellow, n/a and never grey), ``summary`` (per set: overall, by region, by
    district; provenance counts; transitions; missing measures), ``hard_criteria`` (one row per
    indicator of each hard criterion), ``lost`` (one row per culprit) and ``row_errors``.
    Needs ``openpyxl``.

    To write a user-chosen path safely, wrap it, as the CLI does::

        write_atomic_with(out, lambda tmp: write_results_xlsx(batch, tmp, lang),
                          force=force, inputs=inputs)
    """
    _check_lang(lang)
    _build_workbook(batch, lang).save(path)
