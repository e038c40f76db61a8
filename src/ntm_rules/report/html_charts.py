"""The charts of the HTML report: stacked bars, the hard-criteria bar chart and the heat map
of communes × criteria, as inline SVG and CSS (no script)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from ..words import t
from .html_base import ORDER, STATUSES, SYMBOL, Ctx, e


def stack_bar(parts: Sequence[tuple[str, int, str]], total: int) -> str:
    """A horizontal stacked bar from (css class, count, label); pure CSS, no script."""
    if total <= 0:
        return ""
    segs = []
    for cls, count, label in parts:
        if count <= 0:
            continue
        width = 100.0 * count / total
        segs.append(
            f'<span class="seg {cls}" style="width:{width:.2f}%" '
            f'title="{e(label)}: {count}"></span>'
        )
    return '<div class="stack">' + "".join(segs) + "</div>"


def bar_chart(c: Ctx, sid: str, items: Sequence[Mapping[str, Any]], idx: int) -> str:
    label_w, bar_w, right_w, row_h, top = 300, 440, 190, 24, 22
    width = label_w + bar_w + right_w
    height = top + row_h * len(items) + 8
    parts = [
        f'<svg class="bars" role="img" viewBox="0 0 {width} {height}" width="{width}" '
        f'height="{height}" aria-label="{e(c.w("hard"))} {e(c.set_name(sid))}">',
        f'<defs><pattern id="hatch-{idx}" width="6" height="6" '
        'patternUnits="userSpaceOnUse" patternTransform="rotate(45)">'
        '<rect width="6" height="6" fill="#f4a3a3"/>'
        '<line x1="0" y1="0" x2="0" y2="6" stroke="#b42318" stroke-width="2.5"/>'
        "</pattern></defs>",
    ]
    for tick in (0, 25, 50, 75, 100):
        x = label_w + bar_w * tick / 100
        parts.append(
            f'<line x1="{x:.1f}" y1="{top - 6}" x2="{x:.1f}" y2="{height - 6}" '
            'class="grid"/>'
            f'<text x="{x:.1f}" y="{top - 9}" class="tick">{tick}%</text>'
        )
    for i, h in enumerate(items):
        y = top + i * row_h
        rate = max(0.0, min(1.0, float(h.get("fail_rate") or 0)))
        with_data = int(h.get("with_data") or 0)
        failing = int(h.get("failing") or 0)
        near = int(h.get("near_miss") or 0)
        near_w = bar_w * (near / with_data) if with_data else 0.0
        fail_w = bar_w * rate
        near_w = min(near_w, fail_w)
        cid = str(h.get("criterion") or "")
        name = c.text(h.get("name"))
        label = f"{cid} · {name}"
        if len(label) > 42:
            label = label[:41] + "…"
        share = f"{c.pct(rate, fraction=True)} ({c.num(failing)}/{c.num(with_data)})"
        tip = f"{c.set_name(sid)} · {c.w('criterion')} {cid} {name}: {share}"
        tip += f"; {c.w('near_miss')}: {c.num(near)}"
        value = f"{c.pct(rate, fraction=True)} · {c.num(failing)}/{c.num(with_data)}"
        if near:
            value += f" · {c.num(near)} {c.w('near_miss')}"
        parts.append(
            f'<g class="bar-row"><title>{e(tip)}</title>'
            f'<text x="{label_w - 8}" y="{y + 16}" class="lab">{e(label)}</text>'
            f'<rect x="{label_w}" y="{y + 4}" width="{bar_w}" height="{row_h - 8}" class="track"/>'
            f'<rect x="{label_w}" y="{y + 4}" width="{fail_w:.1f}" height="{row_h - 8}" '
            'class="fail"/>'
            + (
                f'<rect x="{label_w + fail_w - near_w:.1f}" y="{y + 4}" width="{near_w:.1f}" '
                f'height="{row_h - 8}" fill="url(#hatch-{idx})"/>'
                if near_w > 0
                else ""
            )
            + f'<text x="{label_w + bar_w + 8}" y="{y + 16}" class="val">{e(value)}</text></g>'
        )
    parts.append("</svg>")
    return "".join(parts)


def _heat_head(c: Ctx, crit: Mapping[str, list[str]], has_tr: bool) -> str:
    """The set group row and the criterion row."""
    g = ['<tr><th rowspan="2" class="hm-name" data-sort="name">' + e(c.w("commune")) + "</th>"]
    for sid in c.set_ids:
        g.append(
            f'<th colspan="{len(crit[sid]) + 1}" class="hm-set" title="{e(sid)}">'
            f"{e(c.set_name(sid))}</th>"
        )
    if has_tr:
        tr = e(t("transition", c.lang))
        g.append(f'<th rowspan="2" class="hm-tr" data-sort="rank">{tr}</th>')
    g.append("</tr><tr>")
    met = e(c.w("reason_met_flag"))
    for k, sid in enumerate(c.set_ids):
        g.append(f'<th class="hm-met gstart" title="{met}" data-sort="met{k}">{met}</th>')
        for cid in crit[sid]:
            tip = f"{c.w('criterion')} {cid}: {c.criterion_name(sid, cid)}"
            g.append(f'<th class="hm-c" title="{e(tip)}">{e(cid)}</th>')
    g.append("</tr>")
    return "".join(g)


def _heat_row(
    c: Ctx, r: Mapping[str, Any], crit: Mapping[str, list[str]], has_tr: bool, k: int
) -> str:
    name = str(r.get("commune") or "")
    where = c.district_of(r)
    attrs = c.row_attrs(r, k) + f' data-rank="{ORDER.get(c.row_status(r), 5)}"'
    for j, sid in enumerate(c.set_ids):
        met_n = ((r.get("sets") or {}).get(sid) or {}).get("criteria_met")
        attrs += f' data-met{j}="{e(met_n if met_n is not None else "")}"'
    row = [
        f'<tr{attrs}><th class="hm-name" scope="row" title="{e(name)} — {e(where)}">'
        f"{e(name)}<small>{e(r.get('district') or '')}</small></th>"
    ]
    for sid in c.set_ids:
        ev = (r.get("sets") or {}).get(sid) or {}
        verdict = str(ev.get("verdict") or "")
        met = f"{c.num(ev.get('criteria_met'))}/{c.num(ev.get('criteria_total'))}"
        vtip = f"{c.set_name(sid)}: {c.verdict_word(verdict)} ({met})"
        if ev.get("provisional"):
            vtip += f"; {c.w('provisional').lower()}"
        mark = "*" if ev.get("provisional") else ""
        row.append(
            f'<td class="hm-met gstart v-{e(verdict)}" title="{e(vtip)}">'
            f"{e(c.num(ev.get('criteria_met')))}{mark}</td>"
        )
        statuses = ev.get("criteria") or {}
        for cid in crit[sid]:
            s = str(statuses.get(cid) or "")
            tip = f"{name} — {sid} · {c.w('criterion')} {cid} {c.criterion_name(sid, cid)}: "
            tip += c.status_word(s)
            row.append(f'<td class="s-{e(s) or "none"}" title="{e(tip)}">{SYMBOL.get(s, "")}</td>')
    if has_tr:
        tr = str(r.get("transition") or "")
        row.append(
            f'<td class="hm-tr"><span class="pill t-{e(tr)}">{e(c.transition_word(tr))}</span></td>'
        )
    return "".join(row) + "</tr>"


def _heat_foot(c: Ctx, crit: Mapping[str, list[str]], has_tr: bool) -> str:
    fails = {sid: dict.fromkeys(crit[sid], 0) for sid in c.set_ids}
    for r in c.results:
        for sid in c.set_ids:
            statuses = ((r.get("sets") or {}).get(sid) or {}).get("criteria") or {}
            for cid in crit[sid]:
                if statuses.get(cid) == "fail":
                    fails[sid][cid] += 1
    foot = [f'<tr><th class="hm-name">{e(c.w("fail_count"))}</th>']
    for sid in c.set_ids:
        foot.append('<td class="gstart"></td>')
        foot += [
            f'<td class="hm-foot">{e(c.num(n)) if n else ""}</td>' for n in fails[sid].values()
        ]
    if has_tr:
        foot.append("<td></td>")
    return "".join(foot) + "</tr>"


def heatmap(c: Ctx, max_rows: int) -> str:
    out = [
        f'<section id="heatmap"><h2>{e(c.w("heatmap"))}</h2>',
        f'<p class="muted">{e(c.w("hp_heat_intro"))}</p>',
        f'<p class="muted small sort-hint needs-script" hidden>{e(c.w("hp_sort"))}</p>',
    ]
    legend = "".join(
        f'<span class="key"><i class="sw s-{s}">{SYMBOL[s]}</i>{e(c.status_word(s))}</span>'
        for s in STATUSES
    )
    out.append(f'<div class="legend">{legend}</div>')
    results = c.results
    if not results or not c.set_ids:
        out.append(f'<p class="muted">{e(c.w("no_data"))}</p></section>')
        return "".join(out)
    shown = c.ordered()[:max_rows]
    if len(results) > len(shown):
        cap = c.w("heat_cap", shown=c.num(len(shown)), total=c.num(len(results)))
        out.append(f'<p class="note">{e(cap)}</p>')
    crit = {sid: c.criterion_ids(sid) for sid in c.set_ids}
    has_tr = any(r.get("transition") for r in results) or bool(c.batch.get("transitions"))
    body = "".join(_heat_row(c, r, crit, has_tr, k) for k, r in enumerate(shown))
    out.append(
        '<div class="hm-wrap"><table class="heatmap" data-communes data-count><thead>'
        f"{_heat_head(c, crit, has_tr)}"
        f"</thead><tbody>{body}</tbody><tfoot>{_heat_foot(c, crit, has_tr)}</tfoot></table></div>"
    )
    out.append(f'<p class="muted small">{e(c.w("heat_star"))}</p>')
    out.append("</section>")
    return "".join(out)
