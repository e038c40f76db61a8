"""One-sentence explanations, in Vietnamese and English, for indicator outcomes."""

from __future__ import annotations

from typing import Any

from ..load.checks import Text
from ..model.results import IndicatorResult, Status

_OPS_VI = {">=": "≥", "<=": "≤", ">": ">", "<": "<", "==": "=", "is true": "đạt"}


def fmt(value: Any, unit: str = "") -> str:
    """Numbers as planners write them: no trailing .0; % glued to the number."""
    if value is None:
        return "—"
    if value is True:
        return "có/yes"
    if value is False:
        return "không/no"
    if isinstance(value, float):
        text = f"{value:.4f}".rstrip("0").rstrip(".") if not value.is_integer() else str(int(value))
        if text in ("0", "-0") and value:
            text = f"{value:.3g}"
    else:
        text = str(value)
    if unit == "%":
        return text + "%"
    return f"{text} {unit}".strip()


_VI_UNITS: dict[str, str] = {}


def unit_in(unit: str, lang: str) -> str:
    """A unit as stored in results (English) in the reader's language."""
    if lang != "vi" or not unit or unit == "%":
        return unit
    if not _VI_UNITS:
        from ..load.catalog import default_catalog

        for m in default_catalog().measures.values():
            _VI_UNITS[m.unit_text("en")] = m.unit_text("vi")
    return _VI_UNITS.get(unit, unit)


def fmt_value(value: Any, threshold: Any, unit: str = "") -> str:
    """`fmt(value)`, with enough digits that a value just off the threshold does not print
    as the threshold itself (89.9999999 against 90)."""
    text = fmt(value, unit)
    if (
        isinstance(value, float)
        and isinstance(threshold, (int, float))
        and not isinstance(threshold, bool)
        and value != threshold
        and text == fmt(threshold, unit)
    ):
        return fmt(float(f"{value:.12g}"), unit) if unit != "%" else f"{value:.12g}%"
    return text


def indicator_reason(result: IndicatorResult, region: str, year: int) -> Text:
    head = result.primary
    where_vi = f"vùng {region}" + (f", mức năm {head.year_used}" if head.year_used else "")
    where_en = f"region {region}" + (f", {head.year_used} level" if head.year_used else "")
    value = fmt_value(head.value, head.threshold, head.unit)
    thr = fmt(head.threshold, head.unit)
    unit_vi = unit_in(head.unit, "vi")
    value_vi = fmt_value(head.value, head.threshold, unit_vi)
    thr_vi = fmt(head.threshold, unit_vi)
    op = _OPS_VI.get(head.operator, head.operator)
    if result.status == Status.NOT_APPLICABLE:
        return Text(
            "Không áp dụng: điều kiện áp dụng của chỉ tiêu không thỏa.",
            "Not applicable: the indicator's condition does not hold for this commune.",
        )
    if result.status == Status.MISSING:
        return Text(
            f"Thiếu số liệu '{head.measure}': không tính là đạt hay không đạt.",
            f"No data for '{head.measure}': counted neither as met nor as not met.",
        )
    if result.status == Status.UNKNOWN:
        if head.basis in ("before-first-year", "no-year"):
            return Text(
                f"Chưa có mức cho năm {year} trong bộ tiêu chí.",
                f"The set gives no level for year {year}.",
            )
        return Text(
            f"Chưa xác định được ngưỡng ({where_vi}): nguồn văn bản chưa đọc được.",
            f"The threshold ({where_en}) is not known: a gap in the readable sources.",
        )
    mark_vi = "" if head.verified else " (ngưỡng chưa kiểm chứng)"
    mark_en = "" if head.verified else " (unverified threshold)"
    if head.operator == "is true":
        if result.status == Status.PASS:
            return Text(f"Đạt{mark_vi}.", f"Met{mark_en}.")
        return Text(
            f"Không đạt: yêu cầu 'đạt'{mark_vi}.", f"Not met: required 'achieved'{mark_en}."
        )
    if result.status == Status.PASS:
        return Text(
            f"Đạt: {value_vi} {op} {thr_vi} ({where_vi}){mark_vi}.",
            f"Met: {value} {head.operator} {thr} ({where_en}){mark_en}.",
        )
    short = fmt(abs(head.gap), head.unit) if head.gap is not None else ""
    short_vi = fmt(abs(head.gap), unit_vi) if head.gap is not None else ""
    return Text(
        f"Không đạt: {value_vi}, yêu cầu {op} {thr_vi} ({where_vi}), còn thiếu "
        f"{short_vi}{mark_vi}.",
        f"Not met: {value}, required {head.operator} {thr} ({where_en}), short by "
        f"{short}{mark_en}.",
    )
