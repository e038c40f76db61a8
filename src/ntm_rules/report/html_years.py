"""The batch page's "progress over years" section (``id="years"``), from the batch JSON's
``years``: the communes whose verdict changed, the revocation watch and the indicators that
moved most. Every piece of text is escaped; commune names come from user files."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from .html_base import Cell, Ctx, e, table


def _series_row(c: Ctx, s: Mapping[str, Any], watch: bool) -> list[Cell]:
    verdicts = " → ".join(c.verdict_word(str(v)) for v in s.get("verdicts") or [])
    met = " → ".join(
        f"{m}/{n}"
        for m, n in zip(s.get("criteria_met") or [], s.get("criteria_total") or [], strict=False)
    )
    row: list[Cell] = [
        e(s.get("commune")),
        e(", ".join(str(y) for y in s.get("years") or [])),
        e(verdicts),
        (e(met), "num"),
    ]
    if watch:
        rv = s.get("revocation_watch") or {}
        word = c.w("yr_watch_word_yes" if rv.get("watch") else "yr_watch_word_maybe")
        frames = ", ".join(
            f"{y}: {'?' if f is None else (k or '—') if f else '—'}"
            for y, f, k in zip(
                rv.get("years") or [], rv.get("in_frame") or [], rv.get("cases") or [], strict=False
            )
        )
        row.append(e(f"{word} ({frames})"))
    return row


def _series_table(c: Ctx, rows: Sequence[Mapping[str, Any]], watch: bool) -> str:
    keys = ["yr_col_commune", "yr_col_years", "yr_col_verdicts", "yr_col_criteria"]
    if watch:
        keys.append("yr_col_watch")
    return table([e(c.w(k)) for k in keys], (_series_row(c, s, watch) for s in rows))


def _moving(c: Ctx, indicators: Sequence[Mapping[str, Any]], top: int = 10) -> str:
    moved = [
        i
        for i in indicators
        if len(i.get("passing") or []) > 1 and i["passing"][-1] != i["passing"][0]
    ]
    moved.sort(key=lambda i: -abs(int(i["passing"][-1]) - int(i["passing"][0])))
    if not moved:
        return ""
    years = [str(y) for y in moved[0].get("years") or []]
    head = [e(c.w("yr_col_indicator")), *map(e, years), e(c.w("yr_col_change_total"))]
    rows = []
    for i in moved[:top]:
        change = int(i["passing"][-1]) - int(i["passing"][0])
        cells: list[Cell] = [e(i.get("indicator"))]
        cells += [(e(f"{p}/{d}"), "num") for p, d in zip(i["passing"], i["decided"], strict=False)]
        cells.append((e(f"{'+' if change > 0 else '−'}{abs(change)}"), "num"))
        rows.append(cells)
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
