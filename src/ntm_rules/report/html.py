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

import html
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from .._version import __version__
from ..words import WORDS, t

# label -> the word-table key it reads (where the page's name differs)
_KEYS: dict[str, str] = {
    "summary": "html_summary",
    "lost": "html_lost",
    "provisional": "html_provisional",
    "by_region": "html_by_region",
    "culprits": "html_culprits",
    "value": "html_value",
    "threshold": "html_threshold",
    "fail_rate": "html_fail_rate",
    "median_gap": "html_median_gap",
    "met": "reason_met_flag",
    "overlay": "html_overlay",
    "na": "not_applicable",
    "st_pass": "pass",
    "st_fail": "fail",
    "st_not_applicable": "not_applicable",
    "t_indeterminate": "v_indeterminate",
}

__all__ = ["render_html"]

_STATUSES = ("pass", "fail", "indeterminate", "not_applicable")
_VERDICTS = ("certified", "not_certified", "indeterminate")
_TRANSITIONS = ("kept", "lost", "gained", "never", "indeterminate")
_SYMBOL = {"pass": "", "fail": "✕", "indeterminate": "?", "not_applicable": "–"}


# ------------------------------------------------------------------------------------ helpers


def _e(value: Any) -> str:
    return html.escape("" if value is None else str(value), quote=True)


class _Ctx:
    """Language, formatting and look-ups shared by the section renderers."""

    def __init__(
        self, batch: Mapping[str, Any], lang: str, region_names: Mapping[str, str]
    ) -> None:
        self.batch = batch
        self.lang = lang
        self.region_names = region_names
        self.sets: dict[str, Any] = dict(batch.get("sets") or {})
        ordered = [s for s in (batch.get("from"), batch.get("to")) if s and s in self.sets]
        self.set_ids: list[str] = list(dict.fromkeys([*ordered, *self.sets]))
        self.results: list[Mapping[str, Any]] = list(batch.get("results") or [])

    def w(self, key: str, **kwargs: Any) -> str:
        """A label of this module (escaped kwargs are the caller's job)."""
        return t(_KEYS.get(key, key), self.lang, **kwargs)

    def text(self, value: Any) -> str:
        """A ``{"vi","en"}`` text in the page's language (or a plain string)."""
        if isinstance(value, Mapping):
            return str(value.get(self.lang) or value.get("en") or value.get("vi") or "")
        return "" if value is None else str(value)

    def num(self, value: Any, digits: int = 1) -> str:
        if value is None:
            return "—"
        if isinstance(value, bool):
            return self.w("yes") if value else self.w("no")
        if isinstance(value, int):
            text = f"{value:,}"
            return text.replace(",", ".") if self.lang == "vi" else text
        if isinstance(value, float):
            text = f"{value:,.{digits}f}"
            if digits and "." in text:
                text = text.rstrip("0").rstrip(".")
            if self.lang == "vi":
                text = text.replace(",", "\x00").replace(".", ",").replace("\x00", ".")
            return text
        return str(value)

    def pct(self, value: Any, *, fraction: bool = False) -> str:
        if value is None:
            return "—"
        number = float(value) * (100 if fraction else 1)
        return self.num(round(number, 1), 1) + "%"

    def region(self, code: str) -> str:
        name = self.region_names.get(code)
        return f"{code} — {name}" if name else code

    def criterion_name(self, set_id: str, cid: str) -> str:
        for c in (self.sets.get(set_id) or {}).get("criteria") or []:
            if str(c.get("id")) == cid:
                return self.text(c.get("name"))
        return ""

    def criterion_ids(self, set_id: str) -> list[str]:
        ids = [str(c.get("id")) for c in (self.sets.get(set_id) or {}).get("criteria") or []]
        if ids:
            return ids
        seen: dict[str, None] = {}
        for r in self.results:
            for cid in ((r.get("sets") or {}).get(set_id) or {}).get("criteria") or {}:
                seen.setdefault(str(cid), None)
        return list(seen)

    def status_word(self, status: str) -> str:
        """pass / fail / indeterminate / not_applicable, in words."""
        return (
            self.w("st_" + status)
            if ("st_" + status) in _KEYS or ("st_" + status) in WORDS
            else (status or "—")
        )

    def verdict_word(self, verdict: str) -> str:
        return self.w("v_" + verdict) if ("v_" + verdict) in WORDS else (verdict or "—")

    def transition_word(self, outcome: str) -> str:
        return (
            self.w("t_" + outcome)
            if ("t_" + outcome) in _KEYS or ("t_" + outcome) in WORDS
            else (outcome or "—")
        )


Cell = str | tuple[str, str]


def _td(cell: Cell) -> str:
    if isinstance(cell, tuple):
        return f'<td class="{_e(cell[1])}">{cell[0]}</td>'
    return f"<td>{cell}</td>"


def _table(
    head: Sequence[str], rows: Iterable[Sequence[Cell]], *, cls: str = "", head_html: str = ""
) -> str:
    """A table; `head` and cells are already HTML (escape before calling).

    A cell is HTML text or ``(html, css class)``.
    """
    parts = [f'<table class="{_e(cls)}">' if cls else "<table>", "<thead>"]
    if head_html:
        parts.append(head_html)
    parts.append("<tr>" + "".join(f"<th>{h}</th>" for h in head) + "</tr></thead><tbody>")
    for row in rows:
        parts.append("<tr>" + "".join(_td(c) for c in row) + "</tr>")
    parts.append("</tbody></table>")
    return "".join(parts)


def _safe_url(url: Any) -> str | None:
    text = str(url or "").strip()
    return text if text.lower().startswith(("http://", "https://")) else None


def _stack_bar(parts: Sequence[tuple[str, int, str]], total: int) -> str:
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
            f'title="{_e(label)}: {count}"></span>'
        )
    return '<div class="stack">' + "".join(segs) + "</div>"


# ----------------------------------------------------------------------------------- sections


def _summary(c: _Ctx) -> str:
    out = [f'<section id="summary"><h2>{_e(c.w("html_summary"))}</h2><div class="cards">']
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
            total=_e(c.num(total)),
            cert=_e(c.num(cert)),
            pct=_e(c.pct(info.get("certified_pct"))),
            set=f"<b>{_e(sid)}</b>",
            mean=_e(c.num(info.get("criteria_met_mean"))),
            ncrit=_e(ncrit),
            below=_e(c.num(info.get("below_15"))),
        )
        notes = []
        if ind:
            notes.append(_e(c.w("undecided_note", n=c.num(ind))))
        if prov:
            notes.append(_e(c.w("provisional_note", n=c.num(prov), total=c.num(total))))
        bar = _stack_bar(
            [
                ("v-certified", cert, c.verdict_word("certified")),
                ("v-not_certified", notc, c.verdict_word("not_certified")),
                ("v-indeterminate", ind, c.verdict_word("indeterminate")),
            ],
            total,
        )
        legend = "".join(
            f'<span class="key"><i class="sw v-{v}"></i>{_e(c.verdict_word(v))} '
            f"<b>{_e(c.num(n))}</b></span>"
            for v, n in (("certified", cert), ("not_certified", notc), ("indeterminate", ind))
        )
        out.append(
            '<div class="card">'
            f'<div class="card-head"><span class="set-id">{_e(sid)}</span>'
            f'<span class="muted">{_e(info.get("decision"))}</span></div>'
            f'<div class="set-title">{_e(c.text(info.get("title")))}</div>'
            f'<div class="big"><span class="big-num">{_e(c.num(cert))}</span>'
            f'<span class="big-of">/ {_e(c.num(total))} {_e(c.w("certified_of"))}</span>'
            f'<span class="big-pct">{_e(c.pct(info.get("certified_pct")))}</span></div>'
            f'{bar}<div class="legend">{legend}</div>'
            '<dl class="metrics">'
            f"<div><dt>{_e(c.w('mean_met'))}</dt><dd>{_e(c.num(info.get('criteria_met_mean')))}"
            f" / {_e(ncrit)}</dd></div>"
            f"<div><dt>{_e(c.w('below_15'))}</dt><dd>{_e(c.num(info.get('below_15')))}</dd></div>"
            f"<div><dt>{_e(c.w('provisional'))}</dt><dd>{_e(c.num(prov))}</dd></div>"
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


def _breakdown(c: _Ctx, key: str, title: str, col_label: str, namer: Any) -> str:
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
        '<tr><th rowspan="2" class="left">' + _e(col_label) + "</th>"
        f'<th rowspan="2">{_e(c.w("communes"))}</th>'
        + "".join(f'<th colspan="{len(cols)}" class="group">{_e(sid)}</th>' for sid in c.set_ids)
        + "</tr>"
    )
    head = [_e(c.w(s)) for _ in c.set_ids for s in short]
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
                cells.append((_e(text), "gstart") if i == 0 else _e(text))
        row: list[Cell] = [(_e(namer(name)), "left"), _e(c.num(total))]
        rows.append(row + cells)
    table = _table(head, rows, cls="num breakdown", head_html=group)
    return f'<h3>{_e(title)}</h3><div class="scroll-x">{table}</div>'


def _transitions(c: _Ctx) -> str:
    tr = c.batch.get("transitions")
    if not tr:
        return ""
    a, b = c.batch.get("from") or "", c.batch.get("to") or ""
    total = sum(int(tr.get(k) or 0) for k in _TRANSITIONS)
    chips = "".join(
        f'<div class="chip t-{k}"><span class="chip-n">{_e(c.num(int(tr.get(k) or 0)))}</span>'
        f'<span class="chip-l">{_e(c.transition_word(k))}</span></div>'
        for k in _TRANSITIONS
    )
    bar = _stack_bar(
        [(f"t-{k}", int(tr.get(k) or 0), c.transition_word(k)) for k in _TRANSITIONS], total
    )
    return (
        f'<section id="transitions"><h2>{_e(c.w("transitions"))}</h2>'
        f'<p class="muted">{_e(c.w("transition_from_to", a=a, b=b))}</p>'
        f'<div class="chips">{chips}</div>{bar}</section>'
    )


def _fmt_value(c: _Ctx, value: Any) -> str:
    if isinstance(value, bool):
        return c.w("yes") if value else c.w("no")
    if isinstance(value, float):
        return c.num(value, 2)
    return c.num(value)


def _lost(c: _Ctx) -> str:
    if not c.batch.get("transitions") and not c.batch.get("lost"):
        return ""
    a, b = c.batch.get("from") or "", c.batch.get("to") or ""
    items = c.batch.get("lost") or []
    out = [
        f'<section id="lost"><h2>{_e(c.w("html_lost"))} '
        f'<span class="count">{_e(c.num(len(items)))}</span></h2>'
    ]
    if not items:
        out.append(f'<p class="muted">{_e(c.w("none_lost"))}</p></section>')
        return "".join(out)
    out.append(f'<p class="muted">{_e(c.w("lost_intro", a=a, b=b))}</p>')
    rows = []
    for item in items:
        culprits = []
        for cu in item.get("culprits") or []:
            status = str(cu.get("status") or "")
            cid = str(cu.get("criterion") or "")
            cname = c.criterion_name(b, cid)
            cause = str(cu.get("cause") or "")
            thr = (
                f"{_e(c.w('threshold'))} {_e(_fmt_value(c, cu.get('threshold_from')))} → "
                f"{_e(_fmt_value(c, cu.get('threshold_to')))}"
            )
            culprits.append(
                f'<li><span class="pill s-{_e(status)}">{_e(c.status_word(status))}</span> '
                f"<b>{_e(c.w('criterion'))} {_e(cid)}</b>"
                + (f' <span class="muted">{_e(cname)}</span>' if cname else "")
                + f" · {_e(c.w('indicator'))} <b>{_e(cu.get('indicator'))}</b> "
                f"<code>{_e(cu.get('measure'))}</code> · <i>{_e(t(cause, c.lang))}</i> · "
                f"{_e(c.w('value'))} <b>{_e(_fmt_value(c, cu.get('value')))}</b>, {thr}"
                + (
                    ""
                    if cu.get("verified")
                    else f' <span class="muted">({_e(t("unverified_short", c.lang))})</span>'
                )
                + (
                    f' <span class="muted">({_e(t("doubt", c.lang))})</span>'
                    if cu.get("doubt")
                    else ""
                )
                + "</li>"
            )
        where = ", ".join(str(x) for x in (item.get("district"), item.get("province")) if x)
        code = f' <span class="muted">({_e(item.get("code"))})</span>' if item.get("code") else ""
        if item.get("provisional"):
            code += (
                f' <span class="pill s-indeterminate">{_e(t("provisional_short", c.lang))}</span>'
            )

        rows.append(
            [
                f"<b>{_e(item.get('commune'))}</b>{code}",
                _e(where),
                '<ul class="culprits">' + "".join(culprits) + "</ul>",
            ]
        )
    out.append(
        _table(
            [
                _e(c.w("commune")),
                f"{_e(c.w('district'))}, {_e(c.w('province'))}",
                _e(c.w("html_culprits")),
            ],
            rows,
            cls="lost-table",
        )
    )
    out.append("</section>")
    return "".join(out)


def _bar_chart(c: _Ctx, sid: str, items: Sequence[Mapping[str, Any]], idx: int) -> str:
    label_w, bar_w, right_w, row_h, top = 300, 440, 190, 24, 22
    width = label_w + bar_w + right_w
    height = top + row_h * len(items) + 8
    parts = [
        f'<svg class="bars" role="img" viewBox="0 0 {width} {height}" width="{width}" '
        f'height="{height}" aria-label="{_e(c.w("hard"))} {_e(sid)}">',
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
        tip = (
            f"{sid} · {c.w('criterion')} {cid} {name}: {c.pct(rate, fraction=True)} "
            f"({failing}/{with_data}); {c.w('near_miss')}: {near}"
        )
        value = f"{c.pct(rate, fraction=True)} · {failing}/{with_data}"
        if near:
            value += f" · {near} {c.w('near_miss')}"
        parts.append(
            f'<g class="bar-row"><title>{_e(tip)}</title>'
            f'<text x="{label_w - 8}" y="{y + 16}" class="lab">{_e(label)}</text>'
            f'<rect x="{label_w}" y="{y + 4}" width="{bar_w}" height="{row_h - 8}" class="track"/>'
            f'<rect x="{label_w}" y="{y + 4}" width="{fail_w:.1f}" height="{row_h - 8}" '
            'class="fail"/>'
            + (
                f'<rect x="{label_w + fail_w - near_w:.1f}" y="{y + 4}" width="{near_w:.1f}" '
                f'height="{row_h - 8}" fill="url(#hatch-{idx})"/>'
                if near_w > 0
                else ""
            )
            + f'<text x="{label_w + bar_w + 8}" y="{y + 16}" class="val">{_e(value)}</text></g>'
        )
    parts.append("</svg>")
    return "".join(parts)


def _hard(c: _Ctx) -> str:
    items = list(c.batch.get("hard_criteria") or [])
    out = [
        f'<section id="hard-criteria"><h2>{_e(c.w("hard"))}</h2>',
        f'<p class="muted">{_e(c.w("hard_intro"))}</p>',
    ]
    if not items:
        out.append(f'<p class="muted">{_e(c.w("no_hard"))}</p></section>')
        return "".join(out)
    legend = (
        f'<div class="legend"><span class="key"><i class="sw s-fail"></i>'
        f'{_e(c.w("html_fail_rate"))}</span><span class="key"><i class="sw hatch"></i>'
        f"{_e(c.w('near_miss'))}</span></div>"
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
            f'<h3>{_e(sid)} <span class="muted">'
            f"{_e(c.text((c.sets.get(sid) or {}).get('title')))}</span></h3>"
        )
        failing = [h for h in mine if int(h.get("failing") or 0) > 0]
        if failing:
            out.append(f'<div class="scroll-x">{_bar_chart(c, sid, failing, idx)}</div>')
        else:
            out.append(f'<p class="muted">{_e(c.w("no_hard"))}</p>')
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
            out.append(f'<p class="muted small">{_e("; ".join(hidden))}.</p>')
        rows = []
        for h in mine:
            for ind in h.get("indicators") or []:
                rows.append(
                    [
                        _e(h.get("criterion")),
                        _e(ind.get("id")),
                        f"<code>{_e(ind.get('measure'))}</code>",
                        _e(ind.get("unit")),
                        _e(c.pct(ind.get("fail_rate"), fraction=True)),
                        _e(c.num(ind.get("failing"))),
                        _e(c.num(ind.get("with_data"))),
                        _e(_fmt_value(c, ind.get("median_gap"))),
                        _e(c.num(ind.get("near_miss"))),
                    ]
                )
        if rows:
            out.append(
                f"<details><summary>{_e(c.w('indicators_detail'))} ({_e(sid)})</summary>"
                + _table(
                    [
                        _e(c.w(k))
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


def _heatmap(c: _Ctx, max_rows: int) -> str:
    out = [
        f'<section id="heatmap"><h2>{_e(c.w("heatmap"))}</h2>',
        f'<p class="muted">{_e(c.w("heat_intro"))}</p>',
    ]
    legend = "".join(
        f'<span class="key"><i class="sw s-{s}">{_SYMBOL[s]}</i>{_e(c.status_word(s))}</span>'
        for s in _STATUSES
    )
    out.append(f'<div class="legend">{legend}</div>')
    results = c.results
    if not results or not c.set_ids:
        out.append(f'<p class="muted">{_e(c.w("no_data"))}</p></section>')
        return "".join(out)
    shown = results[:max_rows]
    if len(results) > len(shown):
        cap = c.w("heat_cap", shown=c.num(len(shown)), total=c.num(len(results)))
        out.append(f'<p class="note">{_e(cap)}</p>')
    crit = {sid: c.criterion_ids(sid) for sid in c.set_ids}
    has_tr = any(r.get("transition") for r in results) or bool(c.batch.get("transitions"))
    # header: set group row + criterion row
    g = ['<tr><th rowspan="2" class="hm-name">' + _e(c.w("commune")) + "</th>"]
    for sid in c.set_ids:
        g.append(f'<th colspan="{len(crit[sid]) + 1}" class="hm-set">{_e(sid)}</th>')
    if has_tr:
        g.append(f'<th rowspan="2" class="hm-tr">{_e(t("transition", c.lang))}</th>')
    g.append("</tr><tr>")
    for sid in c.set_ids:
        g.append(
            f'<th class="hm-met gstart" title="{_e(c.w("reason_met_flag"))}">'
            f"{_e(c.w('reason_met_flag'))}</th>"
        )
        for cid in crit[sid]:
            tip = f"{c.w('criterion')} {cid}: {c.criterion_name(sid, cid)}"
            g.append(f'<th class="hm-c" title="{_e(tip)}">{_e(cid)}</th>')
    g.append("</tr>")
    body = []
    fails = {sid: dict.fromkeys(crit[sid], 0) for sid in c.set_ids}
    for r in results:
        for sid in c.set_ids:
            statuses = ((r.get("sets") or {}).get(sid) or {}).get("criteria") or {}
            for cid in crit[sid]:
                if statuses.get(cid) == "fail":
                    fails[sid][cid] += 1
    for r in shown:
        name = str(r.get("commune") or "")
        where = ", ".join(str(x) for x in (r.get("district"), r.get("province")) if x)
        row = [
            f'<tr><th class="hm-name" scope="row" title="{_e(name)} — {_e(where)}">'
            f"{_e(name)}<small>{_e(r.get('district') or '')}</small></th>"
        ]
        for sid in c.set_ids:
            ev = (r.get("sets") or {}).get(sid) or {}
            verdict = str(ev.get("verdict") or "")
            met = f"{c.num(ev.get('criteria_met'))}/{c.num(ev.get('criteria_total'))}"
            vtip = f"{sid}: {c.verdict_word(verdict)} ({met})"
            if ev.get("provisional"):
                vtip += f"; {c.w('provisional').lower()}"
            mark = "*" if ev.get("provisional") else ""
            row.append(
                f'<td class="hm-met gstart v-{_e(verdict)}" title="{_e(vtip)}">'
                f"{_e(c.num(ev.get('criteria_met')))}{mark}</td>"
            )
            statuses = ev.get("criteria") or {}
            for cid in crit[sid]:
                s = str(statuses.get(cid) or "")
                tip = (
                    f"{name} — {sid} · {c.w('criterion')} {cid} "
                    f"{c.criterion_name(sid, cid)}: {c.status_word(s)}"
                )
                row.append(
                    f'<td class="s-{_e(s) or "none"}" title="{_e(tip)}">{_SYMBOL.get(s, "")}</td>'
                )
        if has_tr:
            tr = str(r.get("transition") or "")
            row.append(
                f'<td class="hm-tr"><span class="pill t-{_e(tr)}">'
                f"{_e(c.transition_word(tr))}</span></td>"
            )
        row.append("</tr>")
        body.append("".join(row))
    foot = [f'<tr><th class="hm-name">{_e(c.w("fail_count"))}</th>']
    for sid in c.set_ids:
        foot.append('<td class="gstart"></td>')
        for cid in crit[sid]:
            n = fails[sid][cid]
            foot.append(f'<td class="hm-foot">{n if n else ""}</td>')
    if has_tr:
        foot.append("<td></td>")
    foot.append("</tr>")
    out.append(
        '<div class="hm-wrap"><table class="heatmap"><thead>' + "".join(g) + "</thead>"
        "<tbody>" + "".join(body) + "</tbody><tfoot>" + "".join(foot) + "</tfoot></table></div>"
    )
    out.append(f'<p class="muted small">{_e(c.w("heat_star"))}</p>')
    out.append("</section>")
    return "".join(out)


def _gaps(c: _Ctx) -> str:
    missing: Mapping[str, Any] = c.batch.get("missing_measures") or {}
    out = [f'<section id="data-gaps"><h2>{_e(c.w("gaps"))}</h2>']
    if not missing:
        out.append(f'<p class="muted">{_e(c.w("no_gaps"))}</p></section>')
        return "".join(out)
    out.append(f'<p class="muted">{_e(c.w("gaps_intro"))}</p>')
    total = int(c.batch.get("communes") or len(c.results) or 0)
    rows = []
    for measure, n in sorted(missing.items(), key=lambda kv: (-int(kv[1] or 0), kv[0])):
        count = int(n or 0)
        share = (100.0 * count / total) if total else 0.0
        bar = (
            f'<span class="mini"><span style="width:{min(100.0, share):.1f}%"></span></span>'
            f" {_e(c.pct(round(share, 1)))}"
        )
        rows.append([f"<code>{_e(measure)}</code>", _e(c.num(count)), bar])
    out.append(_table([_e(c.w("measure")), _e(c.w("missing_communes")), "%"], rows, cls="gaps"))
    out.append("</section>")
    return "".join(out)


def _row_errors(c: _Ctx) -> str:
    errors = c.batch.get("row_errors") or []
    out = [
        f'<section id="row-errors"><h2>{_e(c.w("row_errors"))} '
        f'<span class="count">{_e(c.num(len(errors)))}</span></h2>'
    ]
    if not errors:
        out.append(f'<p class="muted">{_e(c.w("no_row_errors"))}</p></section>')
        return "".join(out)
    out.append(f'<p class="muted">{_e(c.w("row_errors_intro"))}</p>')
    rows = [
        [
            _e(e.get("file")),
            _e(e.get("row")),
            f"<code>{_e(e.get('column'))}</code>",
            f"<code>{_e(e.get('code'))}</code>",
            _e(e.get("message")),
            _e(e.get("hint")),
        ]
        for e in errors
    ]
    out.append(
        '<div class="scroll-x">'
        + _table(
            [_e(c.w(k)) for k in ("file", "row", "column", "code", "message", "hint")],
            rows,
            cls="errors",
        )
        + "</div></section>"
    )
    return "".join(out)


def _provenance(c: _Ctx) -> str:
    out = [
        f'<section id="provenance"><h2>{_e(c.w("provenance"))}</h2>',
        f'<p class="muted">{_e(c.w("prov_intro"))}</p>',
    ]
    for sid in c.set_ids:
        info = c.sets[sid]
        cells = info.get("cells") or {}
        ver, unv, unk = (int(cells.get(k) or 0) for k in ("verified", "unverified", "unknown"))
        bar = _stack_bar(
            [
                ("c-verified", ver, c.w("cells_verified")),
                ("c-unverified", unv, c.w("cells_unverified")),
                ("c-unknown", unk, c.w("cells_unknown")),
            ],
            ver + unv + unk,
        )
        legend = "".join(
            f'<span class="key"><i class="sw c-{k}"></i>{_e(c.w("cells_" + k))} '
            f"<b>{_e(c.num(n))}</b></span>"
            for k, n in (("verified", ver), ("unverified", unv), ("unknown", unk))
        )
        used = [str(x) for x in info.get("unverified_used") or []]
        used_html = " ".join(f"<code>{_e(u)}</code>" for u in used) if used else _e(c.w("none"))
        ov = info.get("overlay")
        ov_html = ""
        if ov:
            ov_text = c.w(
                "overlay_text", province=ov.get("province") or "", decision=ov.get("decision") or ""
            )
            if ov.get("partial"):
                ov_text += f" — {c.w('overlay_partial')}"
            ov_html = f"<p><b>{_e(c.w('overlay'))}:</b> {_e(ov_text)}</p>"
        srcs = []
        for s in info.get("sources") or []:
            url = _safe_url(s.get("url"))
            link = f'<br><a href="{_e(url)}" rel="noopener noreferrer">{_e(url)}</a>' if url else ""
            kind = f'<span class="kind">{_e(s.get("kind"))}</span> ' if s.get("kind") else ""
            srcs.append(
                f"<li>{kind}<code>{_e(s.get('key'))}</code> {_e(s.get('citation'))}{link}</li>"
            )
        src_html = (
            f'<ol class="sources">{"".join(srcs)}</ol>'
            if srcs
            else f'<p class="muted">{_e(c.w("no_sources"))}</p>'
        )
        out.append(
            f'<div class="prov"><h3>{_e(sid)} <span class="muted">'
            f"{_e(c.text(info.get('title')))}</span></h3>"
            f"<p><b>{_e(c.w('decision'))}:</b> {_e(info.get('decision'))}</p>"
            f'{bar}<div class="legend">{legend}</div>'
            f"<p><b>{_e(c.w('unverified_used'))}:</b> {used_html}</p>{ov_html}"
            f"<details open><summary>{_e(c.w('sources'))} ({_e(c.num(len(srcs)))})</summary>"
            f"{src_html}</details></div>"
        )
    out.append("</section>")
    return "".join(out)


_CSS = """
:root{--pass:#6cc08b;--fail:#d9534f;--ind:#f0c24b;--na:#c8cdd4;--ink:#1f2933;--muted:#616e7c;
--line:#e4e7eb;--bg:#f5f7fa;--card:#fff;--accent:#1f6f8b}
*{box-sizing:border-box}
body{margin:0;font:14px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,"Noto Sans",Arial,
sans-serif;color:var(--ink);background:var(--bg)}
header.top{background:#17324d;color:#fff;padding:22px 32px 18px}
header.top h1{margin:0 0 4px;font-size:24px;font-weight:650}
header.top .sub{font-size:15px;opacity:.92}
header.top .gen{font-size:12px;opacity:.7;margin-top:6px}
nav.toc{background:#fff;border-bottom:1px solid var(--line);padding:8px 32px;position:sticky;
top:0;z-index:5;font-size:13px}
nav.toc a{color:var(--accent);text-decoration:none;margin-right:16px;white-space:nowrap}
main{max-width:1240px;margin:0 auto;padding:8px 24px 48px}
section{background:var(--card);border:1px solid var(--line);border-radius:10px;
padding:18px 22px;margin:18px 0}
h2{font-size:19px;margin:0 0 10px}
h3{font-size:15px;margin:18px 0 8px}
.muted{color:var(--muted);font-weight:400}
.small{font-size:12px}
.count{display:inline-block;min-width:24px;padding:0 8px;border-radius:12px;background:#eef2f6;
color:var(--ink);font-size:13px;text-align:center;vertical-align:middle}
.banner{background:#fff8e1;border:1px solid #f3d27a;border-left:5px solid #e0a800;
border-radius:8px;padding:10px 14px;margin:18px 0 0}
.cards{display:grid;grid-template-columns:repeat(auto-fit,minmax(340px,1fr));gap:16px}
.card{border:1px solid var(--line);border-radius:10px;padding:14px 16px;background:#fcfdfe}
.card-head{display:flex;justify-content:space-between;gap:8px}
.set-id{font-weight:650;color:var(--accent)}
.set-title{font-size:13px;color:var(--muted);margin-bottom:6px}
.big{display:flex;align-items:baseline;gap:8px;margin:6px 0}
.big-num{font-size:34px;font-weight:700;color:#237a4b}
.big-of{color:var(--muted)}
.big-pct{margin-left:auto;font-size:20px;font-weight:650}
.stack{display:flex;height:14px;border-radius:7px;overflow:hidden;background:#eef2f6;
margin:6px 0}
.stack .seg{display:block;height:100%}
.legend{display:flex;flex-wrap:wrap;gap:4px 14px;font-size:12px;color:var(--muted);margin:4px 0}
.key{display:inline-flex;align-items:center;gap:5px}
.sw{display:inline-block;width:14px;height:14px;border-radius:3px;font-style:normal;
font-size:10px;line-height:14px;text-align:center;color:#fff;font-weight:700}
.metrics{display:grid;grid-template-columns:repeat(3,1fr);gap:8px;margin:10px 0 6px}
.metrics div{background:#f3f6f9;border-radius:8px;padding:6px 8px}
.metrics dt{font-size:11px;color:var(--muted)}
.metrics dd{margin:0;font-size:17px;font-weight:650}
.sentence{margin:8px 0 4px}
.note{margin:2px 0;font-size:13px;color:#8a5a00}
.v-certified,.s-pass,.t-kept,.t-gained,.c-verified{background:var(--pass)}
.v-not_certified,.s-fail,.t-lost{background:var(--fail)}
.v-indeterminate,.s-indeterminate,.t-indeterminate,.c-unverified{background:var(--ind)}
.s-not_applicable,.t-never,.c-unknown,.s-none{background:var(--na)}
.t-gained{background:#2b7bb9}
.sw.hatch{background:repeating-linear-gradient(45deg,#f4a3a3 0 3px,#b42318 3px 5px)}
table{border-collapse:collapse;width:100%;font-size:13px}
th,td{padding:5px 8px;border-bottom:1px solid var(--line);text-align:left;vertical-align:top}
thead th{background:#f3f6f9;font-weight:600}
table.num td,table.num th{text-align:right}
table.num td:first-child,table.num th.left,table.num .left{text-align:left}
th.group{text-align:center!important;border-left:2px solid #cfd6de;color:var(--accent)}
.breakdown td.gstart{border-left:2px solid #cfd6de}
.scroll-x{overflow-x:auto}
.chips{display:flex;flex-wrap:wrap;gap:10px;margin:8px 0}
.chip{border-radius:10px;padding:8px 14px;min-width:110px;color:#fff}
.chip.t-indeterminate,.chip.t-never{color:var(--ink)}
.chip-n{display:block;font-size:24px;font-weight:700;line-height:1.1}
.chip-l{font-size:12px;letter-spacing:.02em}
.pill{display:inline-block;padding:0 7px;border-radius:9px;font-size:11px;color:#fff;
white-space:nowrap}
.pill.s-indeterminate,.pill.t-indeterminate,.pill.t-never,.pill.s-not_applicable{color:var(--ink)}
.lost-table td:first-child{white-space:nowrap}
ul.culprits{margin:0;padding-left:16px}
ul.culprits li{margin:2px 0}
code{font:12px ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;background:#f1f3f5;
padding:0 4px;border-radius:3px}
svg.bars{max-width:100%;height:auto;font-size:12px}
svg.bars .lab{text-anchor:end;fill:var(--ink)}
svg.bars .val{fill:var(--muted)}
svg.bars .tick{text-anchor:middle;fill:var(--muted);font-size:10px}
svg.bars .grid{stroke:#e4e7eb;stroke-width:1}
svg.bars .track{fill:#f1f3f5}
svg.bars .fail{fill:var(--fail)}
svg.bars .bar-row:hover .lab{font-weight:700}
details{margin:8px 0}
summary{cursor:pointer;color:var(--accent)}
.hm-wrap{overflow:auto;max-height:78vh;border:1px solid var(--line);border-radius:8px}
table.heatmap{width:auto;border-collapse:separate;border-spacing:0;font-size:11px}
table.heatmap th,table.heatmap td{padding:0;border-bottom:1px solid #fff;
border-right:1px solid #fff;text-align:center;vertical-align:middle}
table.heatmap td{width:20px;min-width:20px;height:22px;color:#fff;font-weight:700}
table.heatmap thead th{position:sticky;top:0;z-index:2;background:#f3f6f9;padding:3px 2px}
table.heatmap thead tr:nth-child(2) th{top:24px}
table.heatmap .hm-set{color:var(--accent);font-size:12px;border-left:3px solid #fff}
table.heatmap .hm-name{position:sticky;left:0;z-index:1;background:#fff;text-align:left;
padding:2px 10px 2px 8px;min-width:170px;max-width:230px;white-space:nowrap;overflow:hidden;
text-overflow:ellipsis;font-weight:600;font-size:12px;border-bottom:1px solid var(--line)}
table.heatmap thead .hm-name{z-index:3;background:#f3f6f9}
table.heatmap .hm-name small{font-weight:400;color:var(--muted);margin-left:6px}
table.heatmap td.hm-met{min-width:34px;color:#fff;font-size:11px}
table.heatmap .gstart{border-left:3px solid #fff}
table.heatmap td.s-indeterminate{color:#6b4e00}
table.heatmap td.s-not_applicable{color:#5c6670}
table.heatmap td.v-indeterminate{color:#4d3800}
table.heatmap td.hm-tr{padding:0 6px;background:#fff;border-bottom:1px solid var(--line)}
table.heatmap tbody tr:hover th,table.heatmap tbody tr:hover td.hm-tr{background:#eef5fb}
table.heatmap tfoot td,table.heatmap tfoot th{background:#f3f6f9;color:var(--fail);
position:sticky;bottom:0;height:22px}
table.heatmap tfoot th{color:var(--ink);font-weight:600}
.mini{display:inline-block;width:120px;height:8px;background:#eef2f6;border-radius:4px;
vertical-align:middle;overflow:hidden}
.mini span{display:block;height:100%;background:var(--ind)}
table.gaps{width:auto;min-width:60%}
table.errors td:nth-child(2){text-align:right}
.prov{border-top:1px solid var(--line);padding-top:4px;margin-top:10px}
.prov:first-of-type{border-top:0}
ol.sources{padding-left:22px;font-size:12.5px}
ol.sources li{margin:4px 0;word-break:break-word}
.kind{display:inline-block;font-size:10.5px;text-transform:uppercase;letter-spacing:.04em;
background:#e6eef5;color:#274c6b;border-radius:4px;padding:0 5px}
a{color:var(--accent)}
footer{color:var(--muted);font-size:12px;text-align:center;margin:24px 0}
@media print{nav.toc{display:none}body{background:#fff}section{break-inside:avoid;
border:0;padding:6px 0}.hm-wrap{max-height:none;overflow:visible}
*{-webkit-print-color-adjust:exact;print-color-adjust:exact}}
"""


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
    c = _Ctx(batch, lang, names)
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
        ("heatmap", c.w("heatmap"), _heatmap(c, max(0, max_heatmap_rows))),
        ("data-gaps", c.w("gaps"), _gaps(c)),
        ("row-errors", c.w("row_errors"), _row_errors(c)),
        ("provenance", c.w("provenance"), _provenance(c)),
    ]
    toc = "".join(f'<a href="#{sid}">{_e(label)}</a>' for sid, label, body in sections if body)
    any_prov = any(
        ev.get("provisional")
        for r in c.results
        for ev in (r.get("sets") or {}).values()
        if isinstance(ev, Mapping)
    )
    banner = f'<div class="banner">{_e(c.w("provisional_banner"))}</div>' if any_prov else ""
    title = c.w("title")
    return (
        "<!DOCTYPE html>\n"
        f'<html lang="{_e(lang)}"><head><meta charset="utf-8">'
        '<meta http-equiv="Content-Security-Policy" content="default-src \'none\'; '
        "style-src 'unsafe-inline'; img-src data:\">"
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        '<meta name="referrer" content="no-referrer">'
        f"<title>{_e(title)} — {_e(sub)}</title><style>{_CSS}</style></head><body>"
        f'<header class="top"><h1>{_e(title)}</h1><div class="sub">{_e(sub)}</div>'
        f'<div class="gen">{_e(c.w("generated", v=__version__))}</div></header>'
        f'<nav class="toc" aria-label="{_e(c.w("contents"))}">{toc}</nav>'
        f"<main>{banner}{''.join(body for _, _, body in sections)}</main>"
        f"<footer>ntm_rules {_e(__version__)}</footer></body></html>\n"
    )
