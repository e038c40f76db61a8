"""The decisive unknowns in the HTML report: one bar chart per set (communes waiting on each
unknown threshold, those it alone would decide, and the cumulative share decided), then the
table the terminal shows."""

from __future__ import annotations

from typing import Any

from .decisive import HEAD, TOP, cell_row, headline
from .html_base import Ctx, e, table


def _chart(c: Ctx, sid: str, info: dict[str, Any]) -> str:
    cells = info["cells"][:TOP]
    label_w, bar_w, right_w, row_h, top = 150, 420, 230, 22, 8
    width, height = label_w + bar_w + right_w, top + row_h * len(cells) + 8
    most = max(cell["communes"] for cell in cells) or 1
    indet = info["indeterminate"] or 1
    parts = [
        f'<svg class="bars" role="img" viewBox="0 0 {width} {height}" width="{width}" '
        f'height="{height}" aria-label="{e(c.w("decisive_title", set=sid))}">'
    ]
    for k, cell in enumerate(cells):
        y = top + k * row_h
        label = f"{cell['indicator']} · {cell['region']}" + (
            f" {cell['year']}" if cell["year"] is not None else ""
        )
        waiting = bar_w * cell["communes"] / most
        sole = bar_w * cell["sole"] / most
        done = 100.0 * cell["decided_if_filled"] / indet
        parts.append(
            f'<text x="{label_w - 6}" y="{y + 15}" text-anchor="end">{e(label)}</text>'
            f'<rect x="{label_w}" y="{y + 3}" width="{waiting:.1f}" height="{row_h - 6}" '
            f'fill="#c9d3df"><title>{e(c.w("dec_waiting"))}: '
            f"{e(c.num(cell['communes']))}</title></rect>"
            f'<rect x="{label_w}" y="{y + 3}" width="{sole:.1f}" height="{row_h - 6}" '
            f'fill="#2f6fb0"><title>{e(c.w("dec_sole"))}: {e(c.num(cell["sole"]))}</title></rect>'
            f'<text x="{label_w + bar_w + 8}" y="{y + 15}">'
            f"{e(c.num(cell['decided_if_filled']))} ({e(c.num(round(done)))}%)</text>"
        )
    parts.append("</svg>")
    return "".join(parts)


def decisive(c: Ctx) -> str:
    found: dict[str, Any] = c.batch.get("decisive_unknowns") or {}
    out = [f'<section id="decisive"><h2>{e(c.w("decisive_section"))}</h2>']
    shown = False
    for sid, info in found.items():
        if not info.get("cells"):
            continue
        shown = True
        out.append(f"<h3>{e(c.w('decisive_title', set=c.set_name(sid)))}</h3>")
        out.append(
            '<div class="legend"><span class="key"><i class="sw" style="background:#c9d3df">'
            f'</i>{e(c.w("dec_waiting"))}</span><span class="key"><i class="sw" '
            f'style="background:#2f6fb0"></i>{e(c.w("dec_sole"))}</span>'
            f'<span class="key">{e(c.w("dec_cumulative"))} →</span></div>'
        )
        out.append(f'<div class="scroll-x">{_chart(c, sid, info)}</div>')
        out.append(f'<p class="sentence">{e(headline(info, c.lang))}</p>')
        head = [e(c.w(k)) for k in HEAD]
        rows = [[e(v) for v in cell_row(cell, c.lang)] for cell in info["cells"][:TOP]]
        out.append(f'<div class="scroll-x">{table(head, rows, cls="decisive")}</div>')
        out.append(f'<p class="muted">{e(c.w("decisive_legend"))}</p>')
    if not shown:
        out.append(f'<p class="muted">{e(c.w("no_decisive"))}</p>')
    out.append("</section>")
    return "".join(out)
