"""The batch page's "progress over years" section (``id="years"``), from the batch JSON's
``years``: the communes whose verdict changed, the revocation watch and the indicators that
moved most. Every piece of text is escaped; commune names come from user files."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from .html_base import Cell, Ctx, e, table
from .years import moving, moving_cells, series_cells


def _series_table(c: Ctx, rows: Sequence[Mapping[str, Any]], watch: bool) -> str:
    keys = ["yr_col_commune", "yr_col_years", "yr_col_verdicts", "yr_col_criteria"]
    if watch:
        keys.append("yr_col_watch")
    body: list[list[Cell]] = []
    for s in rows:
        texts = [e(x) for x in series_cells(s, c.lang, c.verdict_word, watch)]
        body.append([*texts[:3], (texts[3], "num"), *texts[4:]])
    return table([e(c.w(k)) for k in keys], body)


def _moving(c: Ctx, indicators: Sequence[Mapping[str, Any]]) -> str:
    moved = moving(indicators)
    if not moved:
        return ""
    head = [e(c.w("yr_col_indicator")), *(e(y) for y in moved[0]["years"])]
    head.append(e(c.w("yr_col_change_total")))
    rows: list[list[Cell]] = []
    for i in moved:
        cells = moving_cells(i)
        rows.append([e(cells[0]), *((e(x), "num") for x in cells[1:])])
    return (
        f"<h3>{e(c.w('yr_batch_moving'))}</h3>{table(head, rows)}"
        f'<p class="muted small">{e(c.w("yr_moving_legend"))}</p>'
    )


def _note(c: Ctx, data: Mapping[str, Any]) -> str:
    n = c.num(int(data.get("communes") or 0))
    return c.w("yr_batch_note", n=n, rows=c.num(int(data.get("earlier_rows") or 0)))


def years(c: Ctx) -> str:
    """The section, or "" when no commune is given for several years."""
    data = c.batch.get("years")
    if not data:
        return ""
    sid = str(data.get("set") or "")
    out = [
        f'<section id="years"><h2>{e(c.w("yr_batch_title", set=c.set_name(sid)))}</h2>',
        f'<p class="muted">{e(_note(c, data))}</p>',
    ]
    for key, rows, none, watch in (
        ("yr_batch_changed", data.get("changed") or [], "yr_batch_none_changed", False),
        ("yr_batch_watch", data.get("revocation_watch") or [], "yr_batch_none_watch", True),
    ):
        out.append(f"<h3>{e(c.w(key))}</h3>")
        out.append(
            _series_table(c, rows, watch) if rows else f'<p class="muted">{e(c.w(none))}</p>'
        )
        if watch and rows:
            out.append(f'<p class="muted small">{e(c.w("yr_watch_legend"))}</p>')
    out.append(_moving(c, data.get("indicators") or []))
    out.append("</section>")
    return "".join(out)
