"""The conditions under which an indeterminate commune is certified, as sentences."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from ..model.requirements import Requirement
from ..words import fmt, region, t

SYMBOL = {">=": "≥", "<=": "≤", ">": ">", "<": "<", "==": "="}


def _where(req: Requirement, lang: str) -> str:
    text = t("region_word", lang) + " " + region(req.region)
    if req.year:
        text += ", " + t("level_of_year", lang, year=req.year)
    return text


def requirement_text(req: Requirement, lang: str) -> str:
    """``10: ngưỡng (vùng TN, mức năm 2024) ≤ 44,8 triệu đồng/người/năm`` and the like."""
    unit = req.unit.get(lang)
    if req.kind == "prerequisite":
        return t("cond_prerequisite", lang, set=req.indicator)
    words: dict[str, Any] = {"ind": req.indicator, "measure": req.measure}
    if req.kind == "threshold":
        words |= {"where": _where(req, lang), "value": fmt(req.value, unit, lang)}
        return t("cond_threshold_" + req.operator, lang, **words)
    if req.kind == "data":
        required = f"{SYMBOL.get(req.operator, req.operator)} {fmt(req.threshold, unit, lang)}"
        if req.operator == "is true":
            return t("cond_data_true", lang, **words)
        return t("cond_data", lang, required=required, **words)
    return t("cond_" + req.kind, lang, **words)


def conditions_title(set_id: str, lang: str) -> str:
    return t("cond_title", lang, set=set_id)


def assumptions_line(items: Iterable[dict[str, Any]], lang: str) -> str:
    """``Ngưỡng giả định (--assume), …: ntm-2021-2025 10@TN:2024=45`` (empty without any)."""
    texts = [f"{a['set']} {a['text'].split('/', 1)[-1]}" for a in items]
    return f"{t('assumed_title', lang)}: {'; '.join(texts)}" if texts else ""
