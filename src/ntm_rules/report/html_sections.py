"""The sections of the HTML report after the summary: lost certifications, hard criteria,
data gaps, row errors and the provenance of the thresholds."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ..province import NEAR_MISS_SHARE
from ..words import fmt, gap_text, t
from .figures import band_rows, target_lines, target_title
from .html_base import Cell, Ctx, badge, cell_state, e, safe_url, table
from .html_charts import bar_chart, stack_bar


def _value(c: Ctx, value: Any, measure: Any) -> str:
    return fmt(value, _unit(c, measure), c.lang)


def _culprit(c: Ctx, cu: Mapping[str, Any], to_set: str) -> str:
    status = str(cu.get("status") or "")
    cid = str(cu.get("criterion") or "")
    cname = c.criterion_name(to_set, cid)
    measure = cu.get("measure")
    thr = (
        f"{e(c.w('threshold'))} {e(_value(c, cu.get('threshold_from'), measure))} → "
        f"{e(_value(c, cu.get('threshold_to'), measure))}"
    )
    notes = ""
    if not cu.get("verified"):
        notes += f' <span class="muted">({e(t("unverified_short", c.lang))})</span>'
    if cu.get("doubt"):
        notes += f' <span class="muted">({e(t("doubt", c.lang))})</span>'
    return (
        f'<li><span class="pill s-{e(status)}">{e(c.status_word(status))}</span> '
        f"<b>{e(c.w('criterion'))} {e(cid)}</b>"
        + (f' <span class="muted">{e(cname)}</span>' if cname else "")
        + f" · {e(c.w('indicator'))} <b>{e(cu.get('indicator'))}</b> "
        f"<code>{e(measure)}</code> · <i>{e(t(str(cu.get('cause') or ''), c.lang))}</i>"
        f" · {e(c.w('value'))} <b>{e(_value(c, cu.get('value'), measure))}</b>, {thr}{notes}</li>"
    )


def _lost_row(c: Ctx, item: Mapping[str, Any], to_set: str, k: int) -> str:
    where = c.district_of(item)
    code = f' <span class="muted">({e(item.get("code"))})</span>' if item.get("code") else ""
    if item.get("provisional"):
        code += f' <span class="pill s-indeterminate">{e(t("provisional_short", c.lang))}</span>'
    recorded = item.get("recorded")
    if recorded:
        code += f' <span class="muted">[{e(t("recognized_in", c.lang, year=recorded.get("year")))}]'
        code += "</span>"
    culprits = "".join(_culprit(c, cu, to_set) for cu in item.get("culprits") or [])
    district = c.districts.index(where) if where in c.districts else -1
    return (
        f'<tr data-district="{district}" data-status="lost" data-order="{k}" '
        f'data-name="{e(item.get("commune"))}"><td><b>{e(item.get("commune"))}</b>{code}</td>'
        f'<td>{e(where)}</td><td><ul class="culprits">{culprits}</ul></td></tr>'
    )


def lost(c: Ctx) -> str:
    if not c.batch.get("transitions") and not c.batch.get("lost"):
        return ""
    a, b = c.batch.get("from") or "", c.batch.get("to") or ""
    items = c.batch.get("lost") or []
    out = [
        f'<section id="lost"><h2>{e(c.w("html_lost"))} '
        f'<span class="count">{e(c.num(len(items)))}</span></h2>'
    ]
    if not items:
        out.append(f'<p class="muted">{e(c.w("none_lost"))}</p></section>')
        return "".join(out)
    intro = c.w("lost_intro", a=c.set_name(a), b=c.set_name(b))
    out.append(f'<p class="muted">{e(intro)}</p>')
    out.append(f'<p class="muted small sort-hint needs-script" hidden>{e(c.w("hp_sort"))}</p>')
    head = (
        f'<tr><th data-sort="name">{e(c.w("commune"))}</th>'
        f'<th data-sort="district">{e(c.w("district"))}, {e(c.w("province"))}</th>'
        f"<th>{e(c.w('html_culprits'))}</th></tr>"
    )
    rows = "".join(_lost_row(c, item, b, k) for k, item in enumerate(items))
    out.append(
        f'<table class="lost-table" data-communes><thead>{head}</thead><tbody>{rows}</tbody>'
        "</table>"
    )
    if any(item.get("recorded") for item in items):
        out.append(f'<p class="muted small">{e(t("recorded_legend", c.lang))}</p>')
    out.append("</section>")
    return "".join(out)


_IND_COLUMNS = ("criterion", "indicator", "measure", "fail_rate", "failing", "with_data",
                "hp_median_gap_unit", "hp_near_col")  # fmt: skip


def _unit(c: Ctx, measure: Any, fallback: Any = "") -> str:
    found = (c.batch.get("units") or {}).get(str(measure))
    return c.text(found) if found else str(fallback or "")


def _share(c: Ctx) -> str:
    """The near-miss cut-off as the reader writes it: ``10%``."""
    share = c.batch.get("near_miss_share", NEAR_MISS_SHARE)
    return c.pct(share, fraction=True)


def _ranking(c: Ctx, sid: str, mine: list[Mapping[str, Any]]) -> str:
    """The criteria of one set ranked by fail rate: a table that says every figure in words."""
    rows: list[list[Cell]] = []
    for rank, h in enumerate(mine, 1):
        cid = str(h.get("criterion") or "")
        gap = h.get("median_gap_pct")
        rows.append(
            [
                e(c.num(rank)),
                (f"<b>{e(cid)}</b> {e(c.text(h.get('name')))}", "left"),
                e(c.pct(h.get("fail_rate"), fraction=True)),
                e(f"{c.num(h.get('failing'))} / {c.num(h.get('with_data'))}"),
                e("—" if gap is None else c.pct(abs(float(gap)))),
                e(c.num(h.get("near_miss"))),
            ]
        )
    head = ["#", e(c.w("criterion")), e(c.w("html_fail_rate")), e(c.w("hp_failing_of")),
            e(c.w("hp_median_gap_pct")), e(c.w("hp_near_col", pct=_share(c)))]  # fmt: skip
    return f'<div class="scroll-x">{table(head, rows, cls="num ranking")}</div>'


def _indicator_rows(c: Ctx, mine: list[Mapping[str, Any]]) -> list[list[Cell]]:
    rows: list[list[Cell]] = []
    for h in mine:
        for ind in h.get("indicators") or []:
            unit = _unit(c, ind.get("measure"), ind.get("unit"))
            gap = ind.get("median_gap")
            rows.append(
                [
                    e(h.get("criterion")),
                    e(ind.get("id")),
                    f"<code>{e(ind.get('measure'))}</code>",
                    e(c.pct(ind.get("fail_rate"), fraction=True)),
                    e(c.num(ind.get("failing"))),
                    e(c.num(ind.get("with_data"))),
                    e("—" if gap is None else gap_text(float(gap), unit, c.lang)),
                    e(c.num(ind.get("near_miss"))),
                ]
            )
    return rows


def _hard_set(c: Ctx, sid: str, mine: list[Mapping[str, Any]], idx: int) -> list[str]:
    out = [f"<h3>{c.set_html(sid, 'span')}</h3>"]
    failing = [h for h in mine if int(h.get("failing") or 0) > 0]
    if failing:
        out.append(f'<div class="scroll-x">{bar_chart(c, sid, failing, idx)}</div>')
        out.append(f"<h4>{e(c.w('hp_ranking'))}</h4>" + _ranking(c, sid, failing))
    else:
        out.append(f'<p class="muted">{e(c.w("no_hard"))}</p>')
    no_fail = [
        str(h.get("criterion"))
        for h in mine
        if not int(h.get("failing") or 0) and int(h.get("with_data") or 0)
    ]
    no_data = [str(h.get("criterion")) for h in mine if not int(h.get("with_data") or 0)]
    hidden = [c.w("hidden_no_fail", ids=", ".join(no_fail))] if no_fail else []
    if no_data:
        hidden.append(c.w("hidden_no_data", ids=", ".join(no_data)))
    if hidden:
        out.append(f'<p class="muted small">{e("; ".join(hidden))}.</p>')
    rows = _indicator_rows(c, mine)
    if rows:
        head = [e(c.w(k, pct=_share(c))) for k in _IND_COLUMNS]
        out.append(
            f"<details><summary>{e(c.w('indicators_detail'))} ({e(c.set_name(sid))})</summary>"
            f'<p class="muted small">{e(c.w("hp_explain_ind", pct=_share(c)))}</p>'
            f'<div class="scroll-x">{table(head, rows, cls="num")}</div></details>'
        )
    return out


def hard(c: Ctx) -> str:
    """One ranking per set (never mixed), each figure explained."""
    items = list(c.batch.get("hard_criteria") or [])
    out = [
        f'<section id="hard-criteria"><h2>{e(c.w("hard"))}</h2>',
        f'<p class="muted">{e(c.w("hard_intro"))}</p>',
    ]
    if not items:
        out.append(f'<p class="muted">{e(c.w("no_hard"))}</p></section>')
        return "".join(out)
    out.append(
        '<dl class="explain">'
        f"<dt>{e(c.w('hp_median_gap_pct'))}</dt><dd>{e(c.w('hp_explain_gap'))}</dd>"
        f"<dt>{e(c.w('near_miss'))}</dt><dd>{e(c.w('hp_explain_near', pct=_share(c)))}</dd>"
        "</dl>"
    )
    out.append(
        f'<div class="legend"><span class="key"><i class="sw s-fail"></i>'
        f'{e(c.w("html_fail_rate"))}</span><span class="key"><i class="sw hatch"></i>'
        f"{e(c.w('near_miss'))}</span></div>"
    )
    set_ids = [s for s in c.set_ids if any(h.get("set") == s for h in items)]
    set_ids += [s for s in dict.fromkeys(str(h.get("set")) for h in items) if s not in set_ids]
    for idx, sid in enumerate(set_ids):
        mine = [h for h in items if h.get("set") == sid]
        if mine:
            mine.sort(key=lambda h: (-float(h.get("fail_rate") or 0), -int(h.get("failing") or 0)))
            out += _hard_set(c, sid, mine, idx)
    out.append("</section>")
    return "".join(out)


def gaps(c: Ctx) -> str:
    missing: Mapping[str, Any] = c.batch.get("missing_measures") or {}
    out = [f'<section id="data-gaps"><h2>{e(c.w("gaps"))}</h2>']
    if not missing:
        out.append(f'<p class="muted">{e(c.w("no_gaps"))}</p></section>')
        return "".join(out)
    out.append(f'<p class="muted">{e(c.w("gaps_intro"))}</p>')
    total = int(c.batch.get("communes") or len(c.results) or 0)
    rows = []
    for measure, n in sorted(missing.items(), key=lambda kv: (-int(kv[1] or 0), kv[0])):
        count = int(n or 0)
        share = (100.0 * count / total) if total else 0.0
        bar = (
            f'<span class="mini"><span style="width:{min(100.0, share):.1f}%"></span></span>'
            f" {e(c.pct(round(share, 1)))}"
        )
        rows.append([f"<code>{e(measure)}</code>", e(c.num(count)), bar])
    out.append(table([e(c.w("measure")), e(c.w("missing_communes")), "%"], rows, cls="gaps"))
    out.append("</section>")
    return "".join(out)


def row_errors(c: Ctx) -> str:
    errors = c.batch.get("row_errors") or []
    out = [
        f'<section id="row-errors"><h2>{e(c.w("row_errors"))} '
        f'<span class="count">{e(c.num(len(errors)))}</span></h2>'
    ]
    if not errors:
        out.append(f'<p class="muted">{e(c.w("no_row_errors"))}</p></section>')
        return "".join(out)
    out.append(f'<p class="muted">{e(c.w("row_errors_intro"))}</p>')
    rows = [
        [
            e(err.get("file")),
            e(c.num(err.get("row"))),
            f"<b>{e(err.get('cell'))}</b>" if err.get("cell") else "",
            e(err.get("commune")),
            f"<code>{e(err.get('column'))}</code>",
            f"<code>{e(err.get('code'))}</code>",
            e(c.text(err.get("text")) or err.get("message")),
            e(c.text(err.get("hint_text")) or err.get("hint")),
        ]
        for err in errors
    ]
    head = ("file", "row", "cell", "commune", "column", "code", "message", "hint")
    out.append(
        f'<div class="scroll-x">{table([e(c.w(k)) for k in head], rows, cls="errors")}</div>'
        "</section>"
    )
    return "".join(out)


def _cells(c: Ctx, cells: Mapping[str, Any]) -> str:
    """The threshold cells of a set: a bar, a legend, and what they allow the reader to say."""
    state, ver, unv, unk, total = cell_state(cells)
    parts = [("verified", ver), ("unverified", unv), ("unknown", unk)]
    bar = stack_bar([(f"c-{k}", n, c.w("cells_" + k)) for k, n in parts], total)
    legend = "".join(
        f'<span class="key"><i class="sw c-{k}"></i>{e(c.w("cells_" + k))} '
        f"<b>{e(c.num(n))}</b></span>"
        for k, n in parts
    )
    words = {
        "ver": c.num(ver),
        "unk": c.num(unk),
        "total": c.num(total),
        "pct": c.pct(100 * (unk if state == "mostly_unknown" else ver) / total if total else 0),
    }
    cls = {"mostly_unknown": "state-bad", "partial": "state-warn"}.get(state, "state-ok")
    line = f'<p class="cell-state {cls}">{e(c.w("hp_state_" + state, **words))}</p>'
    return f'{line}{bar}<div class="legend">{legend}</div>'


def _sources(c: Ctx, info: Mapping[str, Any]) -> str:
    srcs = []
    for s in info.get("sources") or []:
        url = safe_url(s.get("url"))
        link = f'<br><a href="{e(url)}" rel="noopener noreferrer">{e(url)}</a>' if url else ""
        kind = badge(s, c.lang)
        srcs.append(f"<li>{kind} <code>{e(s.get('key'))}</code> {e(s.get('citation'))}{link}</li>")
    body = (
        f'<ol class="sources">{"".join(srcs)}</ol>'
        if srcs
        else f'<p class="muted">{e(c.w("no_sources"))}</p>'
    )
    return (
        f"<details open><summary>{e(c.w('sources'))} ({e(c.num(len(srcs)))})</summary>"
        f"{body}</details>"
    )


def provenance(c: Ctx) -> str:
    out = [
        f'<section id="provenance"><h2>{e(c.w("provenance"))}</h2>',
        f'<p class="muted">{e(c.w("prov_intro"))}</p>',
    ]
    for sid in c.set_ids:
        info = c.sets[sid]
        used = [str(x) for x in info.get("unverified_used") or []]
        used_html = " ".join(f"<code>{e(u)}</code>" for u in used) if used else e(c.w("none"))
        ov = info.get("overlay")
        ov_html = ""
        if ov:
            ov_text = c.w(
                "overlay_text", province=ov.get("province") or "", decision=ov.get("decision") or ""
            )
            if ov.get("partial"):
                ov_text += f" — {c.w('overlay_partial')}"
            ov_html = f"<p><b>{e(c.w('overlay'))}:</b> {e(ov_text)}</p>"
        out.append(
            f'<div class="prov"><h3>{c.set_html(sid, "span")}</h3>'
            f"<p><b>{e(c.w('decision'))}:</b> {e(info.get('decision'))}</p>"
            f"{_cells(c, info.get('cells') or {})}"
            f"<p><b>{e(c.w('unverified_used'))}:</b> {used_html}</p>{ov_html}"
            f"{_sources(c, info)}</div>"
        )
    out.append(f'<p class="muted small">{e(c.w("hp_gap_badge"))}</p></section>')
    return "".join(out)


def figures(c: Ctx, info: dict[str, Any]) -> str:
    """Bands of criteria met and progress against the programme targets, for one set's card."""
    out = []
    rows = band_rows(info, c.lang)
    if rows:
        head = [e(c.w(k)) for k in ("band", "band_definite", "band_possible")]
        body: list[list[Cell]] = [[(e(a), "left"), e(b), e(p)] for a, b, p in rows]
        out.append(f"<h4>{e(c.w('bands_title'))}</h4>" + table(head, body, cls="num bands"))
    lines = target_lines(info, c.lang)
    if lines:
        items = "".join(
            f'<li class="target-{e(state)}">{e(text)}: <b>{e(c.w("state_" + state))}</b></li>'
            for text, state in lines
        )
        out.append(f"<h4>{e(target_title(info, c.lang))}</h4><ul class='targets'>{items}</ul>")
    return "".join(out)
