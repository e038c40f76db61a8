"""`ntm-check overlay init SET --province P`: an overlay skeleton listing every unknown and
unverified threshold cell of the province's region (every year of a threshold that changes by
year), each with its national context, a `value: null` to fill and an empty `source:`.

A cell left as it is (``value: null``, empty source) is a placeholder: it changes nothing. A
filled value must name a source of the overlay's `sources:` table (`validate` refuses it
otherwise), so every value a province adds carries its decision.
"""

from __future__ import annotations

import json
import re
import unicodedata
from typing import Any

from ..model.criteria import Cell, Check, CriteriaSet, Indicator, Threshold
from ..model.vocab import Measures
from ..words import fmt, t

SYMBOL = {">=": "≥", "<=": "≤", ">": ">", "<": "<", "==": "="}


def _q(text: Any) -> str:
    """A YAML scalar: JSON strings are valid YAML and escape everything."""
    return json.dumps(str(text), ensure_ascii=False)


def slug(text: str) -> str:
    """``Kon Tum`` -> ``kon-tum`` (ASCII, for ids and file names)."""
    plain = unicodedata.normalize("NFKD", text.replace("đ", "d").replace("Đ", "D"))
    ascii_text = plain.encode("ascii", "ignore").decode().lower()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text).strip("-") or "province"


def _context(cell: Cell | None, check: Check, measures: Measures, lang: str) -> str:
    unit = measures.unit(check.measure, lang)
    if cell is None or cell.value is None:
        state = t("ov_unknown", lang)
    else:
        value = fmt(cell.value, unit, lang)
        state = f"{SYMBOL.get(check.operator, check.operator)} {value} ({t('ov_unverified', lang)})"
    where = f"; {cell.source.citation}" if cell is not None and cell.source.citation else ""
    return f"{t('ov_national', lang)}: {state}{where}"


def _open(cell: Cell | None) -> bool:
    return cell is None or cell.value is None or not cell.verified


def _years(threshold: Threshold, cset: CriteriaSet) -> list[int | None]:
    if not threshold.by_year:
        return [None]
    first = threshold.by_year[0][0]
    return list(range(max(first, cset.period[0]), cset.period[1] + 1))


def _cells(
    ind: Indicator, check: Check, cset: CriteriaSet, region: str, measures: Measures, lang: str
) -> list[str]:
    lines: list[str] = []
    for year in _years(check.threshold, cset):
        resolved = check.threshold.resolve(region, year)
        if check.operator == "is true" or not _open(resolved.cell):
            continue
        note = _context(resolved.cell, check, measures, lang)
        cell = f'{{value: null, verified: false, source: "", note: {_q(note)}}}'
        if year is None:
            lines += ["      by_region:", f"        {region}: {cell}"]
        else:
            lines += [f"        {year}:", "          by_region:", f"            {region}: {cell}"]
    if lines and check.threshold.by_year:
        lines.insert(0, "      by_year:")
    return lines


def render_overlay_skeleton(
    cset: CriteriaSet, province: str, region: str, measures: Measures, lang: str
) -> str:
    """The overlay skeleton's YAML text (see the module docstring)."""
    ident = f"{slug(province)}-{cset.period[0]}-{cset.period[1]}"
    out = [
        f"# {t('ov_head', lang, province=province, region=region, set=cset.id)}",
        f"# {t('ov_fill', lang)}",
        f"# {t('ov_placeholder', lang)}",
        "kind: overlay",
        f"id: {ident}",
        f"extends: {cset.id}",
        "title:",
        f"  vi: {_q(t('ov_title', 'vi', province=province, period=_period(cset)))}",
        f"  en: {_q(t('ov_title', 'en', province=province, period=_period(cset)))}",
        f"province: {_q(province)}",
        f'decision: ""   # {t("ov_decision", lang)}',
        f'issued: ""   # {t("ov_issued", lang)}',
        "partial: true",
        "",
        f"# {t('ov_sources', lang)}",
        "sources: {}",
        "#   qd-tinh:",
        '#     citation: "Quyết định …/QĐ-UBND (dd/mm/yyyy) của UBND tỉnh …, Phụ lục …"',
        '#     url: "https://…"',
        "#     kind: provincial",
        "",
        "replace:",
    ]
    count, several = 0, []
    for ind in cset.indicators:
        if len(ind.checks) != 1:
            if any(_cells(ind, c, cset, region, measures, lang) for c in ind.checks):
                several.append(ind.id)
            continue
        check = ind.checks[0]
        lines = _cells(ind, check, cset, region, measures, lang)
        if not lines:
            continue
        count += 1
        out += [f"  {_q(ind.id)}:", f"    # {ind.text.get(lang)}", "    threshold:", *lines]
    if not count:
        out[-1] = "replace: {}"
    if several:
        out.append(f"# {t('ov_several', lang, ids=', '.join(several))}")
    return "\n".join(out) + "\n"


def _period(cset: CriteriaSet) -> str:
    return f"{cset.period[0]}–{cset.period[1]}"
