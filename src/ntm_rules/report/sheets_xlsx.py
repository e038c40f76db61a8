"""The batch results as an Excel workbook, written streaming (openpyxl write-only mode).

Sheets (names in the reader's language): results (one row per commune, the columns of
:func:`ntm_rules.report.sheets.results_columns`), summary (per set: overall, by region, by
district; provenance; transitions; missing measures), hard criteria (one row per indicator),
lost (one row per culprit) and row errors. Status words, verdicts, transitions and causes are
written in the reader's language; numbers are numbers (Excel shows them with the reader's
decimal mark). Text that a spreadsheet would read as a formula is stored as text, and
characters XML cannot hold are replaced. Memory and time grow linearly with the communes.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from ..words import region, t
from .figures import rows_banner
from .sheets import (
    IDENTITY,
    PER_SET,
    criterion_ids,
    header_label,
    results_columns,
    results_rows,
    set_order,
)
from .xlsx_writer import BOLD, Sheet, save
from .years import moving_cells, series_cells, watch_text

_XML_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_FORMULA_START = ("=", "+", "-", "@")
# stable code -> fill (ARGB), for the status columns
_FILLS = {
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
# JSON code -> word-table key, for the cells that hold a code
_WORD = {
    "pass": "pass",
    "fail": "fail",
    "missing": "missing",
    "unknown": "unknown",
    "indeterminate": "st_indeterminate",
    "not_applicable": "not_applicable",
    "certified": "v_certified",
    "not_certified": "v_not_certified",
    "kept": "t_kept",
    "lost": "t_lost",
    "gained": "t_gained",
    "never": "t_never",
}


def word(code: Any, lang: str) -> Any:
    """A status, verdict, transition or cause code in the reader's language."""
    if isinstance(code, str) and code in _WORD:
        return t(_WORD[code], lang)
    if isinstance(code, str) and code in (
        "new_indicator",
        "tightened",
        "fails",
        "missing_data",
        "unknown_threshold",
        "recognition",
    ):
        return t(code, lang)
    return code


def _results(batch: dict[str, Any], lang: str) -> Sheet:
    columns = results_columns(batch)
    widths = [24] + [14 if label else 9 for _key, label in columns[1:]]
    fills = {str(word(code, lang)): argb for code, argb in _FILLS.items()}
    for code in ("certified", "not_certified", "indeterminate"):
        fills[str(verdict_word(code, lang))] = _FILLS[code]
    fills[t("t_indeterminate", lang)] = _FILLS["indeterminate"]
    out = Sheet(t("sheet_results", lang), widths, "B2", True, fills, len(IDENTITY) + 1)
    out.row([header_label(key, label, lang) for key, label in columns], BOLD)
    # a verdict is written as a verdict (Chưa xác định), a criterion status as a status
    verdicts = {i for i, (key, _label) in enumerate(columns) if key.endswith(":verdict")}
    outcome = next((i for i, (key, _label) in enumerate(columns) if key == "transition"), -1)
    for values in results_rows(batch):
        out.row([_cell_word(v, lang, i in verdicts, i == outcome) for i, v in enumerate(values)])
    return out


def _cell_word(code: Any, lang: str, verdict: bool, outcome: bool) -> Any:
    if verdict:
        return verdict_word(code, lang)
    if outcome and isinstance(code, str):
        return t("t_" + code, lang)
    return word(code, lang)


def verdict_word(code: Any, lang: str) -> Any:
    """A verdict code in the reader's language, capitalised as the other verdicts."""
    return t("v_" + code, lang) if code in ("certified", "not_certified", "indeterminate") else code


_STATS = (
    "total",
    "certified",
    "not_certified",
    "indeterminate",
    "certified_pct",
    "criteria_met_mean",
    "criteria_met_mean_max",
    "below_definite",
    "below_possible",
)


def _stat(st: dict[str, Any], key: str) -> Any:
    if key.startswith("below_"):
        below = st.get("below")
        return below.get(key.removeprefix("below_")) if below else None
    return st.get(key)


def _title(text: Any, lang: str) -> str:
    if isinstance(text, dict):
        return str(text.get(lang) or text.get("en") or text.get("vi") or "")
    return "" if text is None else str(text)


def _banner(out: Sheet, batch: dict[str, Any], lang: str) -> None:
    banner = rows_banner(batch, lang)
    if banner:  # the rows left out come first: they change every figure below
        out.row([banner], BOLD)
        out.blank()


def _unit(batch: dict[str, Any], measure: Any, lang: str) -> str:
    """A measure's unit in the reader's language (from the batch JSON's units table)."""
    found = (batch.get("units") or {}).get(measure) or {}
    return str(found.get(lang) or "")


def _provenance(out: Sheet, batch: dict[str, Any], lang: str) -> None:
    """Per set: how many threshold cells are verified, unverified or unknown, and which
    unverified ones the results used."""
    out.blank()
    prov = (
        "set",
        "decision",
        "sheet_verified",
        "unverified",
        "sheet_unknown",
        "unverified_used",
        "overlay",
    )
    out.row(
        [t(k, lang) if k.startswith("sheet_") else header_label(k, k, lang) for k in prov], BOLD
    )
    for sid in set_order(batch):
        info = batch["sets"][sid]
        cells = info.get("cells") or {}
        ov = info.get("overlay")
        ov_text = (
            " ".join(str(x) for x in (ov.get("province"), ov.get("decision")) if x) if ov else ""
        )
        if ov and ov.get("partial"):
            ov_text += f" ({t('partial', lang)})"
        used = ", ".join(str(x) for x in info.get("unverified_used") or [])
        out.row(
            [
                sid,
                info.get("decision"),
                cells.get("verified"),
                cells.get("unverified"),
                cells.get("unknown"),
                used,
                ov_text,
            ]
        )


def _summary(batch: dict[str, Any], lang: str) -> Sheet:
    out = Sheet(t("sheet_summary", lang), [18, 40, 20, 12, 28, 10, 10, 10, 10, 12, 12, 12])
    head = ("set", "title", "decision", "scope", "name", *_STATS)
    _banner(out, batch, lang)
    out.row([header_label(k, k, lang) for k in head], BOLD)
    for sid in set_order(batch):
        info = batch["sets"][sid]
        base = [sid, _title(info.get("title"), lang), info.get("decision")]
        out.row(base + [t("all", lang), ""] + [_stat(info, k) for k in _STATS])
        for scope, key in (("region", "by_region"), ("district", "by_district")):
            for name, st in (info.get(key) or {}).items():
                shown = region(name) if key == "by_region" else name
                out.row(
                    base
                    + [header_label(scope, scope, lang), shown]
                    + [_stat(st, k) for k in _STATS]
                )
    _provenance(out, batch, lang)
    if batch.get("transitions"):
        out.blank()
        out.row([t("transition", lang), t("communes", lang)], BOLD)
        for code, count in batch["transitions"].items():
            out.row([word(code, lang), count])
    if batch.get("missing_measures"):
        out.blank()
        out.row([t("measure", lang), t("sheet_missing", lang)], BOLD)
        for measure, count in batch["missing_measures"].items():
            out.row([measure, count])
    return out


def _hard(batch: dict[str, Any], lang: str) -> Sheet:
    widths = [16, 8, 36, 10, 10, 10, 12, 10, 10, 30, 10, 10, 10, 10, 12, 10]
    out = Sheet(t("sheet_hard", lang), widths, "A2")
    head = (
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
    out.row([header_label(k, k, lang) for k in head], BOLD)
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
        for ind in h.get("indicators") or [{}]:
            out.row(
                [
                    *base,
                    ind.get("id"),
                    ind.get("measure"),
                    _unit(batch, ind.get("measure"), lang) or ind.get("unit"),
                    ind.get("fail_rate"),
                    ind.get("failing"),
                    ind.get("with_data"),
                    ind.get("median_gap"),
                    ind.get("near_miss"),
                ],
                percent=(3, 11),
            )
    return out


def _lost(batch: dict[str, Any], lang: str) -> Sheet:
    out = Sheet(t("sheet_lost", lang), [24, 10, 18, 18, 8, 8, 30, 12, 16, 10, 10, 10], "B2")
    head = (
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
    out.row([header_label(k, k, lang) for k in head], BOLD)
    for item in batch.get("lost") or []:
        base = [item.get("commune"), item.get("code"), item.get("district"), item.get("province")]
        for c in item.get("culprits") or [{}]:
            out.row(
                [
                    *base,
                    c.get("criterion"),
                    c.get("indicator"),
                    c.get("measure"),
                    word(c.get("status"), lang),
                    word(c.get("cause"), lang),
                    c.get("value"),
                    c.get("threshold_from"),
                    c.get("threshold_to"),
                ]
            )
    return out


def _errors(batch: dict[str, Any], lang: str) -> Sheet:
    out = Sheet(t("sheet_row_errors", lang), [30, 8, 8, 20, 18, 60, 50], "A2")
    head = ("file", "row", "cell", "column", "error_code", "message", "hint")
    out.row([header_label(k, k, lang) for k in head], BOLD)
    for err in batch.get("row_errors") or []:
        out.row(
            [
                err.get("file"),
                err.get("row"),
                err.get("cell"),
                err.get("column"),
                err.get("code"),
                err.get("message"),
                err.get("hint"),
            ]
        )
    return out


def _series_cells(s: dict[str, Any], lang: str) -> list[Any]:
    _name, years, verdicts, criteria = series_cells(s, lang, lambda v: verdict_word(v, lang))
    return [
        s.get("commune"),
        s.get("code"),
        s.get("district"),
        s.get("province"),
        years,
        verdicts,
        criteria,
        t("yes" if s.get("status_changed") else "no", lang),
        watch_text(s.get("revocation_watch"), lang, frames=False),
    ]


def _years(batch: dict[str, Any], lang: str) -> Sheet:
    """Progress over years: the communes whose verdict changed and those on the revocation
    watch (one row each), then per indicator the communes passing / decided each year."""
    data = batch.get("years") or {}
    out = Sheet(t("yr_progress_short", lang), [24, 10, 18, 18, 18, 44, 20, 14, 30], "A2")
    head = ("yr_col_commune", "sheet_code", "district", "province", "yr_col_years",
            "yr_col_verdicts", "yr_col_criteria", "yr_batch_changed", "yr_col_watch")  # fmt: skip
    out.row([t(k, lang) for k in head], BOLD)
    seen: set[tuple[str, ...]] = set()
    for s in [*(data.get("changed") or []), *(data.get("revocation_watch") or [])]:
        key = (str(s.get("commune")), str(s.get("code")), str(s.get("district")))
        if key not in seen:
            seen.add(key)
            out.row(_series_cells(s, lang))
    indicators = data.get("indicators") or []
    if indicators:
        out.blank()
        years = [str(y) for y in indicators[0].get("years") or []]
        out.row([t("yr_col_indicator", lang), *years], BOLD)
        for i in indicators:
            out.row(moving_cells(i)[:-1])
    return out


def write_results_xlsx(batch: dict[str, Any], path: Path | str, lang: str = "en") -> None:
    """Save the batch as an Excel workbook at `path` (a plain save: write it through
    :func:`ntm_rules.report.write.write_all` to get the safety checks)."""
    if lang not in ("vi", "en"):
        raise ValueError(f"lang must be 'vi' or 'en', not {lang!r}")
    builders = [_results, _summary, _hard, _lost, _errors]
    if batch.get("years"):
        builders.append(_years)
    save([build(batch, lang) for build in builders], path)


__all__ = ["PER_SET", "criterion_ids", "word", "write_results_xlsx"]
