"""A one-page, self-contained HTML report of a batch run (from ``BatchResult.to_dict()``).

The page needs no network when viewed: CSS is inline, charts are inline SVG, there is no
JavaScript, and a Content-Security-Policy ``default-src 'none'`` forbids loading anything. The
only URLs in the page are the source links of the provenance section (plain ``<a href>`` text
links, shown, never fetched). Every piece of text is HTML-escaped: commune names come from user
files.

Sections (with stable ids): ``summary``, ``transitions``, ``lost``, ``hard-criteria``,
``heatmap``, ``data-gaps``, ``row-errors``, ``provenance``.
"""

from __future__ import annotations

from collections.abc import Mapping
from importlib import resources
from typing import Any

from .._version import __version__
from ..words import t
from .html_base import TRANSITIONS, Cell, Ctx, e, safe_url, table
from .html_charts import bar_chart, heatmap, stack_bar


def _summary(c: Ctx) -> str:
    out = [f'<section id="summary"><h2>{e(c.w("html_summary"))}</h2><div class="cards">']
    for sid in c.set_ids:
        info = c.sets[sid]
        total = int(info.get("total") or 0)
        cert = int(info.get("certified") or 0)
        notc = int(info.get("not_certified") or 0)
        ind = int(info.get("indeterminate") or 0)
        ncrit = len(info.get("criteria") or []) or 19
        prov = sum(
            1 for r in c.results if ((r.get("sets") or {}).get(sid) or {}).get("provisional")
        )
        sentence = c.w(
            "sentence",
            total=e(c.num(total)),
            cert=e(c.num(cert)),
            pct=e(c.pct(info.get("certified_pct"))),
            set=f"<b>{e(sid)}</b>",
            mean=e(c.num(info.get("criteria_met_mean"))),
            ncrit=e(ncrit),
            below=e(c.num(info.get("below_15"))),
        )
        notes = []
        if ind:
            notes.append(e(c.w("undecided_note", n=c.num(ind))))
        if prov:
            notes.append(e(c.w("provisional_note", n=c.num(prov), total=c.num(total))))
        bar = stack_bar(
            [
                ("v-certified", cert, c.verdict_word("certified")),
                ("v-not_certified", notc, c.verdict_word("not_certified")),
                ("v-indeterminate", ind, c.verdict_word("indeterminate")),
            ],
            total,
        )
        legend = "".join(
            f'<span class="key"><i class="sw v-{v}"></i>{e(c.verdict_word(v))} '
            f"<b>{e(c.num(n))}</b></span>"
            for v, n in (("certified", cert), ("not_certified", notc), ("indeterminate", ind))
        )
        out.append(
            '<div class="card">'
            f'<div class="card-head"><span class="set-id">{e(sid)}</span>'
            f'<span class="muted">{e(info.get("decision"))}</span></div>'
            f'<div class="set-title">{e(c.text(info.get("title")))}</div>'
            f'<div class="big"><span class="big-num">{e(c.num(cert))}</span>'
            f'<span class="big-of">/ {e(c.num(total))} {e(c.w("certified_of"))}</span>'
            f'<span class="big-pct">{e(c.pct(info.get("certified_pct")))}</span></div>'
            f'{bar}<div class="legend">{legend}</div>'
            '<dl class="metrics">'
            f"<div><dt>{e(c.w('mean_met'))}</dt><dd>{e(c.num(info.get('criteria_met_mean')))}"
            f" / {e(ncrit)}</dd></div>"
            f"<div><dt>{e(c.w('below_15'))}</dt><dd>{e(c.num(info.get('below_15')))}</dd></div>"
            f"<div><dt>{e(c.w('provisional'))}</dt><dd>{e(c.num(prov))}</dd></div>"
            "</dl>"
            f'<p class="sentence">{sentence}</p>'
            + "".join(f'<p class="note">{n}</p>' for n in notes)
            + "</div>"
        )
    out.append("</div>")
    for key, title, col, namer in (
        ("by_region", "by_region", "region", c.region),
        ("by_district", "by_district", "district", str),
    ):
        out.append(_breakdown(c, key, c.w(title), c.w(col), namer))
    out.append("</section>")
    return "".join(out)


def _breakdown(c: Ctx, key: str, title: str, col_label: str, namer: Any) -> str:
    names: dict[str, None] = {}
    for sid in c.set_ids:
        for name in c.sets[sid].get(key) or {}:
            names.setdefault(str(name), None)
    if not names:
        return ""
    cols = (
        "certified",
        "not_certified",
        "indeterminate",
        "certified_pct",
        "criteria_met_mean",
        "below_15",
    )
    short = ("cert_short", "not_short", "ind_short", "pct", "mean", "lt15")
    group = (
        '<tr><th rowspan="2" class="left">' + e(col_label) + "</th>"
        f'<th rowspan="2">{e(c.w("communes"))}</th>'
        + "".join(f'<th colspan="{len(cols)}" class="group">{e(sid)}</th>' for sid in c.set_ids)
        + "</tr>"
    )
    head = [e(c.w(s)) for _ in c.set_ids for s in short]
    rows = []
    for name in names:
        total = None
        cells: list[Cell] = []
        for sid in c.set_ids:
            st = (c.sets[sid].get(key) or {}).get(name) or {}
            total = total if total is not None else st.get("total")
            for i, col in enumerate(cols):
                v = st.get(col)
                text = c.pct(v) if col == "certified_pct" else c.num(v)
                cells.append((e(text), "gstart") if i == 0 else e(text))
        row: list[Cell] = [(e(namer(name)), "left"), e(c.num(total))]
        rows.append(row + cells)
    body = table(head, rows, cls="num breakdown", head_html=group)
    return f'<h3>{e(title)}</h3><div class="scroll-x">{body}</div>'


def _transitions(c: Ctx) -> str:
    tr = c.batch.get("transitions")
    if not tr:
        return ""
    a, b = c.batch.get("from") or "", c.batch.get("to") or ""
    total = sum(int(tr.get(k) or 0) for k in TRANSITIONS)
    chips = "".join(
        f'<div class="chip t-{k}"><span class="chip-n">{e(c.num(int(tr.get(k) or 0)))}</span>'
        f'<span class="chip-l">{e(c.transition_word(k))}</span></div>'
        for k in TRANSITIONS
    )
    bar = stack_bar(
        [(f"t-{k}", int(tr.get(k) or 0), c.transition_word(k)) for k in TRANSITIONS], total
    )
    return (
        f'<section id="transitions"><h2>{e(c.w("transitions"))}</h2>'
        f'<p class="muted">{e(c.w("transition_from_to", a=a, b=b))}</p>'
        f'<div class="chips">{chips}</div>{bar}</section>'
    )


def _fmt_value(c: Ctx, value: Any) -> str:
    if isinstance(value, bool):
        return c.w("yes") if value else c.w("no")
    if isinstance(value, float):
        return c.num(value, 2)
    return c.num(value)


def _lost(c: Ctx) -> str:
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
    rows = []
    for item in items:
        culprits = []
        for cu in item.get("culprits") or []:
            status = str(cu.get("status") or "")
            cid = str(cu.get("criterion") or "")
            cname = c.criterion_name(b, cid)
            cause = str(cu.get("cause") or "")
            thr = (
                f"{e(c.w('threshold'))} {e(_fmt_value(c, cu.get('threshold_from')))} → "
                f"{e(_fmt_value(c, cu.get('threshold_to')))}"
            )
            culprits.append(
                f'<li><span class="pill s-{e(status)}">{e(c.status_word(status))}</span> '
                f"<b>{e(c.w('criterion'))} {e(cid)}</b>"
                + (f' <span class="muted">{e(cname)}</span>' if cname else "")
                + f" · {e(c.w('indicator'))} <b>{e(cu.get('indicator'))}</b> "
                f"<code>{e(cu.get('measure'))}</code> · <i>{e(t(cause, c.lang))}</i> · "
                f"{e(c.w('value'))} <b>{e(_fmt_value(c, cu.get('value')))}</b>, {thr}"
                + (
                    ""
                    if cu.get("verified")
                    else f' <span class="muted">({e(t("unverified_short", c.lang))})</span>'
                )
                + (
                    f' <span class="muted">({e(t("doubt", c.lang))})</span>'
                    if cu.get("doubt")
                    else ""
                )
                + "</li>"
            )
        where = ", ".join(str(x) for x in (item.get("district"), item.get("province")) if x)
        code = f' <span class="muted">({e(item.get("code"))})</span>' if item.get("code") else ""
        if item.get("provisional"):
            code += (
                f' <span class="pill s-indeterminate">{e(t("provisional_short", c.lang))}</span>'
            )

        rows.append(
            [
                f"<b>{e(item.get('commune'))}</b>{code}",
                e(where),
                '<ul class="culprits">' + "".join(culprits) + "</ul>",
            ]
        )
    out.append(
        table(
            [
                e(c.w("commune")),
                f"{e(c.w('district'))}, {e(c.w('province'))}",
                e(c.w("html_culprits")),
            ],
            rows,
            cls="lost-table",
        )
    )
    out.append("</section>")
    return "".join(out)


def _hard(c: Ctx) -> str:
    items = list(c.batch.get("hard_criteria") or [])
    out = [
        f'<section id="hard-criteria"><h2>{e(c.w("hard"))}</h2>',
        f'<p class="muted">{e(c.w("hard_intro"))}</p>',
    ]
    if not items:
        out.append(f'<p class="muted">{e(c.w("no_hard"))}</p></section>')
        return "".join(out)
    legend = (
        f'<div class="legend"><span class="key"><i class="sw s-fail"></i>'
        f'{e(c.w("html_fail_rate"))}</span><span class="key"><i class="sw hatch"></i>'
        f"{e(c.w('near_miss'))}</span></div>"
    )
    out.append(legend)
    set_ids = [s for s in c.set_ids if any(h.get("set") == s for h in items)]
    set_ids += [s for s in dict.fromkeys(str(h.get("set")) for h in items) if s not in set_ids]
    for idx, sid in enumerate(set_ids):
        mine = sorted(
            (h for h in items if h.get("set") == sid), key=lambda h: -float(h.get("fail_rate") or 0)
        )
        if not mine:
            continue
        out.append(
            f'<h3>{e(sid)} <span class="muted">'
            f"{e(c.text((c.sets.get(sid) or {}).get('title')))}</span></h3>"
        )
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
        hidden = []
        if no_fail:
            hidden.append(c.w("hidden_no_fail", ids=", ".join(no_fail)))
        if no_data:
            hidden.append(c.w("hidden_no_data", ids=", ".join(no_data)))
        if hidden:
            out.append(f'<p class="muted small">{e("; ".join(hidden))}.</p>')
        rows = []
        for h in mine:
            for ind in h.get("indicators") or []:
                rows.append(
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
                )
        if rows:
            out.append(
                f"<details><summary>{e(c.w('indicators_detail'))} ({e(sid)})</summary>"
                + table(
                    [
                        e(c.w(k))
                        for k in (
                            "criterion",
                            "indicator",
                            "measure",
                            "unit",
                            "fail_rate",
                            "failing",
                            "with_data",
                            "median_gap",
                            "near_miss",
                        )
                    ],
                    rows,
                    cls="num",
                )
                + "</details>"
            )
    out.append("</section>")
    return "".join(out)


def _gaps(c: Ctx) -> str:
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


def _row_errors(c: Ctx) -> str:
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


def _provenance(c: Ctx) -> str:
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


def render_html(
    batch: Mapping[str, Any],
    lang: str = "en",
    *,
    max_heatmap_rows: int = 500,
    region_names: Mapping[str, str] | None = None,
) -> str:
    """The batch report as one self-contained HTML page (UTF-8 text).

    `lang` ("vi" or "en") picks the labels. The heat map shows at most `max_heatmap_rows`
    communes (with a note saying so). `region_names` maps region codes to display names; by
    default regions are shown by code.
    """
    if lang not in ("vi", "en"):
        raise ValueError(f"lang must be 'vi' or 'en', not {lang!r}")
    names = dict(region_names or {})
    c = Ctx(batch, lang, names)
    n = int(batch.get("communes") or len(c.results))
    if batch.get("from") and batch.get("to"):
        sub = c.w("subtitle_two", n=c.num(n), a=batch["from"], b=batch["to"])
    else:
        sub = c.w("subtitle_one", n=c.num(n), set=", ".join(c.set_ids) or "—")
    sections = [
        ("summary", c.w("html_summary"), _summary(c)),
        ("transitions", c.w("transitions"), _transitions(c)),
        ("lost", c.w("html_lost"), _lost(c)),
        ("hard-criteria", c.w("hard"), _hard(c)),
        ("heatmap", c.w("heatmap"), heatmap(c, max(0, max_heatmap_rows))),
        ("data-gaps", c.w("gaps"), _gaps(c)),
        ("row-errors", c.w("row_errors"), _row_errors(c)),
        ("provenance", c.w("provenance"), _provenance(c)),
    ]
    toc = "".join(f'<a href="#{sid}">{e(label)}</a>' for sid, label, body in sections if body)
    any_prov = any(
        ev.get("provisional")
        for r in c.results
        for ev in (r.get("sets") or {}).values()
        if isinstance(ev, Mapping)
    )
    banner = f'<div class="banner">{e(c.w("provisional_banner"))}</div>' if any_prov else ""
    title = c.w("title")
    return (
        "<!DOCTYPE html>\n"
        f'<html lang="{e(lang)}"><head><meta charset="utf-8">'
        '<meta http-equiv="Content-Security-Policy" content="default-src \'none\'; '
        "style-src 'unsafe-inline'; img-src data:\">"
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        '<meta name="referrer" content="no-referrer">'
        f"<title>{e(title)} — {e(sub)}</title><style>{_css()}</style></head><body>"
        f'<header class="top"><h1>{e(title)}</h1><div class="sub">{e(sub)}</div>'
        f'<div class="gen">{e(c.w("generated", v=__version__))}</div></header>'
        f'<nav class="toc" aria-label="{e(c.w("contents"))}">{toc}</nav>'
        f"<main>{banner}{''.join(body for _, _, body in sections)}</main>"
        f"<footer>ntm_rules {e(__version__)}</footer></body></html>\n"
    )


def _css() -> str:
    return resources.files(__package__).joinpath("report.css").read_text(encoding="utf-8")
