"""The sections of the HTML report after the summary: lost certifications, hard criteria,
data gaps, row errors and the provenance of the thresholds."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ..words import t
from .figures import band_rows, target_lines, target_title
from .html_base import Cell, Ctx, e, safe_url, table
from .html_charts import bar_chart, stack_bar


def _fmt_value(c: Ctx, value: Any) -> str:
    if isinstance(value, bool):
        return c.w("yes") if value else c.w("no")
    if isinstance(value, float):
        return c.num(value, 2)
    return c.num(value)


def _culprit(c: Ctx, cu: Mapping[str, Any], to_set: str) -> str:
    status = str(cu.get("status") or "")
    cid = str(cu.get("criterion") or "")
    cname = c.criterion_name(to_set, cid)
    thr = (
        f"{e(c.w('threshold'))} {e(_fmt_value(c, cu.get('threshold_from')))} → "
        f"{e(_fmt_value(c, cu.get('threshold_to')))}"
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
        f"<code>{e(cu.get('measure'))}</code> · <i>{e(t(str(cu.get('cause') or ''), c.lang))}</i>"
        f" · {e(c.w('value'))} <b>{e(_fmt_value(c, cu.get('value')))}</b>, {thr}{notes}</li>"
    )


def _lost_row(c: Ctx, item: Mapping[str, Any], to_set: str) -> list[Any]:
    where = ", ".join(str(x) for x in (item.get("district"), item.get("province")) if x)
    code = f' <span class="muted">({e(item.get("code"))})</span>' if item.get("code") else ""
    if item.get("provisional"):
        code += f' <span class="pill s-indeterminate">{e(t("provisional_short", c.lang))}</span>'
    recorded = item.get("recorded")
    if recorded:
        code += f' <span class="muted">[{e(t("recognized_in", c.lang, year=recorded.get("year")))}]'
        code += "</span>"
    culprits = "".join(_culprit(c, cu, to_set) for cu in item.get("culprits") or [])
    return [
        f"<b>{e(item.get('commune'))}</b>{code}",
        e(where),
        f'<ul class="culprits">{culprits}</ul>',
    ]


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
    out.append(f'<p class="muted">{e(c.w("lost_intro", a=a, b=b))}</p>')
    head = [e(c.w("commune")), f"{e(c.w('district'))}, {e(c.w('province'))}"]
    rows = [_lost_row(c, item, b) for item in items]
    out.append(table([*head, e(c.w("html_culprits"))], rows, cls="lost-table"))
    if any(item.get("recorded") for item in items):
        out.append(f'<p class="muted small">{e(t("recorded_legend", c.lang))}</p>')
    out.append("</section>")
    return "".join(out)


_HARD_COLUMNS = ("criterion", "indicator", "measure", "unit", "fail_rate", "failing",
                 "with_data", "median_gap", "near_miss")  # fmt: skip


def _hard_set(c: Ctx, sid: str, mine: list[Mapping[str, Any]], idx: int) -> list[str]:
    out = [
        f'<h3>{e(sid)} <span class="muted">'
        f"{e(c.text((c.sets.get(sid) or {}).get('title')))}</span></h3>"
    ]
    failing = [h for h in mine if int(h.get("failing") or 0) > 0]
    if failing:
        out.append(f'<div class="scroll-x">{bar_chart(c, sid, failing, idx)}</div>')
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
    rows = [
        [
            e(h.get("criterion")),
            e(ind.get("id")),
            f"<code>{e(ind.get('measure'))}</code>",
            e(ind.get("unit")),
            e(c.pct(ind.get("fail_rate"), fraction=True)),
            e(c.num(ind.get("failing"))),
            e(c.num(ind.get("with_data"))),
            e(_fmt_value(c, ind.get("median_gap"))),
            e(c.num(ind.get("near_miss"))),
        ]
        for h in mine
        for ind in h.get("indicators") or []
    ]
    if rows:
        out.append(
            f"<details><summary>{e(c.w('indicators_detail'))} ({e(sid)})</summary>"
            + table([e(c.w(k)) for k in _HARD_COLUMNS], rows, cls="num")
            + "</details>"
        )
    return out


def hard(c: Ctx) -> str:
    items = list(c.batch.get("hard_criteria") or [])
    out = [
        f'<section id="hard-criteria"><h2>{e(c.w("hard"))}</h2>',
        f'<p class="muted">{e(c.w("hard_intro"))}</p>',
    ]
    if not items:
        out.append(f'<p class="muted">{e(c.w("no_hard"))}</p></section>')
        return "".join(out)
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
            mine.sort(key=lambda h: -float(h.get("fail_rate") or 0))
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
            e(err.get("row")),
            f"<code>{e(err.get('column'))}</code>",
            f"<code>{e(err.get('code'))}</code>",
            e(err.get("message")),
            e(err.get("hint")),
        ]
        for err in errors
    ]
    out.append(
        '<div class="scroll-x">'
        + table(
            [e(c.w(k)) for k in ("file", "row", "column", "code", "message", "hint")],
            rows,
            cls="errors",
        )
        + "</div></section>"
    )
    return "".join(out)


def provenance(c: Ctx) -> str:
    out = [
        f'<section id="provenance"><h2>{e(c.w("provenance"))}</h2>',
        f'<p class="muted">{e(c.w("prov_intro"))}</p>',
    ]
    for sid in c.set_ids:
        info = c.sets[sid]
        cells = info.get("cells") or {}
        ver, unv, unk = (int(cells.get(k) or 0) for k in ("verified", "unverified", "unknown"))
        bar = stack_bar(
            [
                ("c-verified", ver, c.w("cells_verified")),
                ("c-unverified", unv, c.w("cells_unverified")),
                ("c-unknown", unk, c.w("cells_unknown")),
            ],
            ver + unv + unk,
        )
        legend = "".join(
            f'<span class="key"><i class="sw c-{k}"></i>{e(c.w("cells_" + k))} '
            f"<b>{e(c.num(n))}</b></span>"
            for k, n in (("verified", ver), ("unverified", unv), ("unknown", unk))
        )
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
        srcs = []
        for s in info.get("sources") or []:
            url = safe_url(s.get("url"))
            link = f'<br><a href="{e(url)}" rel="noopener noreferrer">{e(url)}</a>' if url else ""
            kind = f'<span class="kind">{e(s.get("kind"))}</span> ' if s.get("kind") else ""
            srcs.append(
                f"<li>{kind}<code>{e(s.get('key'))}</code> {e(s.get('citation'))}{link}</li>"
            )
        src_html = (
            f'<ol class="sources">{"".join(srcs)}</ol>'
            if srcs
            else f'<p class="muted">{e(c.w("no_sources"))}</p>'
        )
        out.append(
            f'<div class="prov"><h3>{e(sid)} <span class="muted">'
            f"{e(c.text(info.get('title')))}</span></h3>"
            f"<p><b>{e(c.w('decision'))}:</b> {e(info.get('decision'))}</p>"
            f'{bar}<div class="legend">{legend}</div>'
            f"<p><b>{e(c.w('unverified_used'))}:</b> {used_html}</p>{ov_html}"
            f"<details open><summary>{e(c.w('sources'))} ({e(c.num(len(srcs)))})</summary>"
            f"{src_html}</details></div>"
        )
    out.append("</section>")
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
