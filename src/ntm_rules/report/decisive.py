"""The decisive unknowns of a batch as a reader sees them: which unknown thresholds hold up the
most verdicts, what filling them would decide, and the range of outcomes as each varies."""

from __future__ import annotations

from typing import Any

from rich.console import Console
from rich.table import Table

from ..words import num, region, t
from . import plain

TOP = 10


def _range(rows: list[dict[str, Any]], key: str, lang: str) -> str:
    values = [r[key] for r in rows if key in r]
    if not values:
        return "—"
    low, high = min(values), max(values)
    return num(low, lang) if low == high else f"{num(low, lang)}–{num(high, lang)}"


def _year(cell: dict[str, Any]) -> str:
    return "" if cell["year"] is None else str(cell["year"])


def cell_row(cell: dict[str, Any], lang: str) -> list[str]:
    """Indicator, region, year, communes waiting, decided at once, cumulative, outcome ranges."""
    sweep = cell.get("sweep") or []
    ranges = t(
        "sweep_ranges",
        lang,
        cert=_range(sweep, "certified", lang),
        not_=_range(sweep, "not_certified", lang),
    )
    if any("lost" in r for r in sweep):
        ranges += "; " + t("sweep_lost", lang, lost=_range(sweep, "lost", lang))
    return [
        cell["indicator"],
        region(cell["region"]),
        _year(cell),
        num(cell["communes"], lang),
        num(cell["sole"], lang),
        num(cell["decided_if_filled"], lang),
        ranges if sweep else "",
    ]


def headline(info: dict[str, Any], lang: str) -> str:
    """``Điền 15 ngưỡng đầu: xác định được 2/2 xã chưa xác định (100%); 0 xã còn thiếu số liệu.``"""
    cells = info["cells"]
    best = info["decidable_by_thresholds"]
    k = next((i + 1 for i, c in enumerate(cells) if c["decided_if_filled"] >= best), len(cells))
    indet = info["indeterminate"]
    pct = num(round(100 * best / indet), lang) + "%" if indet else "—"
    return t(
        "decisive_headline",
        lang,
        k=num(k, lang),
        decided=num(best, lang),
        indet=num(indet, lang),
        pct=pct,
        missing=num(info["with_missing_data"], lang),
    )


HEAD = ("indicator", "region", "year", "dec_waiting", "dec_sole", "dec_cumulative", "dec_sweep")


def render(data: dict[str, Any], lang: str, console: Console) -> None:
    for set_id, info in (data.get("decisive_unknowns") or {}).items():
        if not info["cells"]:
            continue
        title = t("decisive_title", lang, set=set_id)
        table = Table(title=title, header_style="bold", title_justify="left")
        for col in HEAD:
            table.add_column(t(col, lang), overflow="fold")
        for cell in info["cells"][:TOP]:
            table.add_row(*(plain(v) for v in cell_row(cell, lang)))
        console.print(table)
        console.print(plain(headline(info, lang)))
        console.print(plain(t("decisive_legend", lang), "dim"))


def markdown(data: dict[str, Any], lang: str) -> list[str]:
    from . import md

    out: list[str] = []
    for set_id, info in (data.get("decisive_unknowns") or {}).items():
        if not info["cells"]:
            continue
        out += ["", f"## {md(t('decisive_title', lang, set=set_id))}", ""]
        out.append("| " + " | ".join(md(t(c, lang)) for c in HEAD) + " |")
        out.append("|---" * len(HEAD) + "|")
        for cell in info["cells"][:TOP]:
            out.append("| " + " | ".join(md(v) for v in cell_row(cell, lang)) + " |")
        out += ["", md(headline(info, lang))]
    return out
