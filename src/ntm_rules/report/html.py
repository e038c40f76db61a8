"""A one-page, self-contained HTML report of a batch run (from ``BatchResult.to_dict()``).

The page needs no network when viewed: CSS is inline, charts are inline SVG, and a
Content-Security-Policy ``default-src 'none'`` forbids loading anything; the one inline script
(filters and sorting of the commune tables) runs only because the policy names its hash, and the
page reads the same without it. The only URLs in the page are the source links of the provenance
section (plain ``<a href>`` text links, shown, never fetched). Every piece of text is
HTML-escaped: commune names come from user files.

Sections (with stable ids): ``at-a-glance``, ``summary``, ``transitions``, ``lost``,
``hard-criteria``, ``decisive``, ``heatmap``, ``years``, ``data-gaps``, ``row-errors``,
``provenance``.
"""

from __future__ import annotations

import base64
import hashlib
from collections.abc import Mapping
from importlib import resources
from typing import Any

from .._version import __version__
from .conditions import assumptions_line
from .figures import below_text, mean_text, rows_banner
from .html_base import SCRIPT, TRANSITIONS, Cell, Ctx, cell_state, e, filter_bar, table
from .html_charts import heatmap, stack_bar
from .html_decisive import decisive
from .html_sections import figures, gaps, hard, lost, provenance, row_errors
from .html_years import years


def _hardest(c: Ctx, sid: str, most: int = 3) -> list[str]:
    """The criteria of `sid` that fail most, in the ranking of the batch JSON."""
    items = c.batch.get("hard_criteria") or []
    return [
        str(h.get("criterion"))
        for h in items
        if h.get("set") == sid and int(h.get("failing") or 0) > 0
    ][:most]


def summary_line(c: Ctx) -> str:
    """``7/16 đạt chuẩn cũ → 0/16 mới; 4 mất chuẩn; khó nhất: 17, 15, 2`` (plain text)."""
    if not c.set_ids:
        return ""
    new = str(c.batch.get("to") or c.set_ids[-1])
    info = c.sets.get(new) or {}
    total = c.num(int(info.get("total") or 0))
    old = c.batch.get("from")
    if old and old in c.sets and c.batch.get("transitions") is not None:
        lost_n = int((c.batch.get("transitions") or {}).get("lost") or 0)
        text = c.w(
            "hp_line_two",
            a=c.num(int(c.sets[old].get("certified") or 0)),
            b=c.num(int(info.get("certified") or 0)),
            total=total,
            lost=c.num(lost_n),
        )
    else:
        text = c.w("hp_line_one", cert=c.num(int(info.get("certified") or 0)), total=total)
    hardest = _hardest(c, new)
    if hardest:
        text += "; " + c.w("hp_hardest", ids=", ".join(hardest))
    return text


def _glance(c: Ctx) -> str:
    """The page in one screen: the summary line, the sets by name, what is undecided."""
    line = summary_line(c)
    if not line:
        return ""
    notes = []
    old, new = c.batch.get("from"), c.batch.get("to")
    if old and new and old in c.sets and new in c.sets:
        notes.append(c.w("hp_old_new", a=c.set_name(old), b=c.set_name(new)))
    last = c.sets.get(str(new or c.set_ids[-1])) or {}
    if int(last.get("indeterminate") or 0):
        notes.append(c.w("undecided_note", n=c.num(int(last["indeterminate"]))))
    hardest = _hardest(c, str(new or c.set_ids[-1]))
    if hardest:
        names = [f"{h} {c.criterion_name(str(new or c.set_ids[-1]), h)}" for h in hardest]
        notes.append(c.w("hp_hardest_names", names="; ".join(names)))
    items = "".join(f"<li>{e(n)}</li>" for n in notes)
    return (
        f'<section id="at-a-glance" class="glance"><h2>{e(c.w("hp_glance"))}</h2>'
        f'<p class="headline" id="headline">{e(line)}</p><ul class="glance-notes">{items}</ul>'
        "</section>"
    )


def _banners(c: Ctx) -> str:
    out = []
    rows = rows_banner(dict(c.batch), c.lang)
    if rows:
        out.append(
            f'<div class="banner error" id="rows-banner" role="alert">{e(rows)} '
            f'<a href="#row-errors">{e(c.w("hp_see_errors"))}</a></div>'
        )
    assumed = assumptions_line(c.batch.get("assumptions") or [], c.lang)
    if assumed:
        out.append(f'<div class="banner">{e(assumed)}</div>')
    any_prov = any(
        ev.get("provisional")
        for r in c.results
        for ev in (r.get("sets") or {}).values()
        if isinstance(ev, Mapping)
    )
    if any_prov:
        out.append(f'<div class="banner">{e(c.w("provisional_banner"))}</div>')
    return "".join(out)


def _card(c: Ctx, sid: str) -> str:
    """One set's summary card: certified count and share, verdict bar, key figures."""
    info = c.sets[sid]
    total = int(info.get("total") or 0)
    counts = {v: int(info.get(v) or 0) for v in ("certified", "not_certified", "indeterminate")}
    ncrit = len(info.get("criteria") or []) or 19
    prov = sum(1 for r in c.results if ((r.get("sets") or {}).get(sid) or {}).get("provisional"))
    sentence = c.w(
        "sentence",
        total=e(c.num(total)),
        cert=e(c.num(counts["certified"])),
        pct=e(c.pct(info.get("certified_pct"))),
        set=f"<b>{e(c.set_name(sid))}</b>",
        mean=e(mean_text(info, c.lang)),
        ncrit=e(c.num(ncrit)),
        below=e(below_text(info, c.lang)),
    )
    notes = []
    if info.get("not_in_force"):
        notes.append(e(c.text(info["not_in_force"]["note"])))
    if counts["indeterminate"]:
        notes.append(e(c.w("undecided_note", n=c.num(counts["indeterminate"]))))
    if prov:
        notes.append(e(c.w("provisional_note", n=c.num(prov), total=c.num(total))))
    state, ver, unv, unk, _ = cell_state(info.get("cells") or {})
    if state == "mostly_unknown":
        notes.append(e(c.w("hp_card_unknown", unk=c.num(unk), total=c.num(ver + unv + unk))))
    bar = stack_bar([(f"v-{v}", n, c.verdict_word(v)) for v, n in counts.items()], total)
    legend = "".join(
        f'<span class="key"><i class="sw v-{v}"></i>{e(c.verdict_word(v))} '
        f"<b>{e(c.num(n))}</b></span>"
        for v, n in counts.items()
    )
    metrics = (
        ("mean_met", f"{e(mean_text(info, c.lang))} / {e(c.num(ncrit))}"),
        ("below_15", e(below_text(info, c.lang))),
        ("provisional", e(c.num(prov))),
    )
    return (
        '<div class="card">'
        f'<div class="card-head"><span class="set-name">{e(c.set_name(sid))}</span></div>'
        f'<div class="set-title"><span class="set-id">{e(sid)}</span> · '
        f"{e(info.get('decision'))}</div>"
        f'<div class="big"><span class="big-num">{e(c.num(counts["certified"]))}</span>'
        f'<span class="big-of">/ {e(c.num(total))} {e(c.w("certified_of"))}</span>'
        f'<span class="big-pct">{e(c.pct(info.get("certified_pct")))}</span></div>'
        f'{bar}<div class="legend">{legend}</div><dl class="metrics">'
        + "".join(f"<div><dt>{e(c.w(k))}</dt><dd>{v}</dd></div>" for k, v in metrics)
        + f'</dl><p class="sentence">{sentence}</p>'
        + "".join(f'<p class="note">{n}</p>' for n in notes)
        + figures(c, info)
        + "</div>"
    )


def _summary(c: Ctx) -> str:
    out = [f'<section id="summary"><h2>{e(c.w("html_summary"))}</h2><div class="cards">']
    out += [_card(c, sid) for sid in c.set_ids]
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
    cols = ("certified", "not_certified", "indeterminate", "certified_pct",
            "criteria_met_mean", "below_15")  # fmt: skip
    short = ("cert_short", "not_short", "ind_short", "pct", "mean", "lt15")
    group = (
        '<tr><th rowspan="2" class="left">' + e(col_label) + "</th>"
        f'<th rowspan="2">{e(c.w("communes"))}</th>'
        + "".join(
            f'<th colspan="{len(cols)}" class="group">{c.set_html(sid, "span")}</th>'
            for sid in c.set_ids
        )
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
                if st and col == "criteria_met_mean":
                    text = mean_text(st, c.lang)
                elif col == "below_15":
                    text = below_text(st, c.lang) if st else "—"
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
        f'<p class="muted">{e(c.w("transition_from_to", a=c.set_name(a), b=c.set_name(b)))}</p>'
        f'<div class="chips">{chips}</div>{bar}</section>'
    )


def script_hash() -> str:
    """The Content-Security-Policy source that lets the page's own script run, and no other."""
    digest = hashlib.sha256(SCRIPT.encode("utf-8")).digest()
    return "'sha256-" + base64.b64encode(digest).decode("ascii") + "'"


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
    c = Ctx(batch, lang, dict(region_names or {}))
    n = int(batch.get("communes") or len(c.results))
    if batch.get("from") and batch.get("to"):
        a, b = c.set_name(str(batch["from"])), c.set_name(str(batch["to"]))
        sub = c.w("subtitle_two", n=c.num(n), a=a, b=b)
    else:
        sub = c.w("subtitle_one", n=c.num(n), set=", ".join(map(c.set_name, c.set_ids)) or "—")
    sections = [
        ("at-a-glance", c.w("hp_glance"), _glance(c)),
        ("summary", c.w("html_summary"), _summary(c)),
        ("transitions", c.w("transitions"), _transitions(c)),
        ("lost", c.w("html_lost"), lost(c)),
        ("hard-criteria", c.w("hard"), hard(c)),
        ("decisive", c.w("decisive_section"), decisive(c)),
        ("heatmap", c.w("heatmap"), heatmap(c, max(0, max_heatmap_rows))),
        ("years", c.w("yr_progress_short"), years(c)),
        ("data-gaps", c.w("gaps"), gaps(c)),
        ("row-errors", c.w("row_errors"), row_errors(c)),
        ("provenance", c.w("provenance"), provenance(c)),
    ]
    toc = "".join(f'<a href="#{sid}">{e(label)}</a>' for sid, label, body in sections if body)
    glance, rest = sections[0][2], "".join(body for _, _, body in sections[1:])
    title = c.w("title")
    return (
        "<!DOCTYPE html>\n"
        f'<html lang="{e(lang)}"><head><meta charset="utf-8">'
        '<meta http-equiv="Content-Security-Policy" content="default-src \'none\'; '
        f"style-src 'unsafe-inline'; img-src data:; script-src {script_hash()}\">"
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        '<meta name="referrer" content="no-referrer">'
        f"<title>{e(title)} — {e(sub)}</title><style>{_css()}</style></head><body>"
        f'<header class="top"><h1>{e(title)}</h1><div class="sub">{e(sub)}</div>'
        f'<div class="gen">{e(c.w("generated", v=__version__))}</div></header>'
        f'<nav class="toc" aria-label="{e(c.w("contents"))}">{toc}{filter_bar(c)}</nav>'
        f"<main>{glance}{_banners(c)}{rest}</main>"
        f"<footer>ntm_rules {e(__version__)}</footer>"
        f"<script>{SCRIPT}</script></body></html>\n"
    )


def _css() -> str:
    return resources.files(__package__).joinpath("report.css").read_text(encoding="utf-8")
