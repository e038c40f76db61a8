"""The province figures as a reader sees them: a mean with its undecided range, communes under
the line (definite, and how many more are possible), bands, progress against targets."""

from __future__ import annotations

from typing import Any

from ..words import num, t


def mean_text(summary: dict[str, Any], lang: str) -> str:
    """``16,4`` when every criterion is decided, else the range ``9,9–16,1`` (criteria met for
    sure – met if every undecided criterion passed)."""
    low = num(round(summary["criteria_met_mean"], 1), lang, 1)
    high = summary.get("criteria_met_mean_max", summary["criteria_met_mean"])
    if round(high, 1) == round(summary["criteria_met_mean"], 1):
        return low
    return f"{low}–{num(round(high, 1), lang, 1)}"


def below_text(summary: dict[str, Any], lang: str) -> str:
    """``4`` communes under the line for sure, ``4 (+5?)`` when 5 more might be."""
    below = summary.get("below")
    if not below:
        return "—"
    text = num(below["definite"], lang)
    if below["possible"]:
        text += " " + t("possible_more", lang, n=num(below["possible"], lang))
    return text


def below_header(summary: dict[str, Any], lang: str) -> str:
    below = summary.get("below")
    return t("lt_n", lang, n=below["criteria"] if below else 15)


def band_rows(summary: dict[str, Any], lang: str) -> list[tuple[str, str, str]]:
    """(band, definite, possible) per band of criteria met."""
    total = len(summary.get("criteria") or []) or 19
    rows = []
    for band in summary.get("bands") or []:
        low, high = band["from"], band["to"]
        label = f"{low}/{total}" if low == high else f"{low}–{high}"
        rows.append((label, num(band["definite"], lang), num(band["possible"], lang)))
    return rows


def _pct(value: float | None, lang: str) -> str:
    return "—" if value is None else num(round(value, 1), lang, 1) + "%"


def target_lines(summary: dict[str, Any], lang: str) -> list[tuple[str, str]]:
    """(text, state) per programme target: state is ``met``, ``not_met`` or ``undecided``."""
    found = summary.get("targets")
    if not found:
        return []
    below = summary.get("below") or {}
    out = []
    for item in found["items"]:
        what = item["what"]
        if what == "below":
            label = t("target_below", lang, n=below.get("criteria", 15))
            value = num(item["value"], lang)
            if item["value_max"] != item["value"]:
                value += f"–{num(item['value_max'], lang)}"
            goal = t("target_at_most", lang, n=num(item["target"], lang))
        else:
            label = t("target_" + what, lang)
            value = _pct(item["value"], lang)
            if item["value_max"] is not None and item["value_max"] != item["value"]:
                value += f"–{_pct(item['value_max'], lang)}"
            goal = t("target_at_least", lang, n=_pct(item["target"], lang))
        state = "undecided" if not item["decided"] else ("met" if item["met"] else "not_met")
        out.append((f"{label}: {value} ({goal})", state))
    return out


def target_title(summary: dict[str, Any], lang: str) -> str:
    found = summary.get("targets") or {}
    first, last = (found.get("period") or [0, 0])[:2]
    return t("target_title", lang, a=first, b=last)


def rows_banner(data: dict[str, Any], lang: str, most: int = 10) -> str:
    """``8 dòng đọc, 4 dòng lỗi bị bỏ qua: Hà Mòn (J4), …`` (empty when no row was left out)."""
    rows = data.get("rows") or {}
    if not rows.get("skipped"):
        return ""
    seen: dict[tuple[str, int], str] = {}
    for error in data.get("row_errors") or []:
        key = (error.get("file", ""), error.get("row", 0))
        if key not in seen:
            name = error.get("commune") or ""
            cell = error.get("cell") or str(error.get("row", ""))
            seen[key] = f"{name} ({cell})" if name else cell
    listed = list(seen.values())
    text = ", ".join(listed[:most]) + (", …" if len(listed) > most else "")
    return t(
        "rows_banner",
        lang,
        read=num(rows.get("read", 0), lang),
        skipped=num(rows["skipped"], lang),
        rows=text,
    )
