"""The printable one-commune sheet (phiếu đánh giá xã) of a `check` run, as one self-contained
HTML page: the commune's identity; for each evaluation every criterion and indicator with its
value, threshold, gap, status, whether the threshold is verified, its source (a numbered note
with the citation and a link), the reason sentence; the notes, the verdict and, for an
indeterminate commune, the conditions of its certification. A4 print CSS, no navigation, no
script; a Content-Security-Policy ``default-src 'none'`` forbids loading anything. Every piece
of text is HTML-escaped: names come from user files.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from .._version import __version__
from ..model.commune import Commune
from ..model.criteria import Source
from ..model.plan import CommunePlan, PlanRun
from ..model.results import (
    CheckResult,
    CommuneReport,
    CriterionResult,
    Evaluation,
    IndicatorResult,
    Status,
    Transition,
)
from ..model.views import CheckRun
from ..score.reasons import threshold_text
from ..words import category, fmt, fmt_value, gap_text, region, t
from .commune import recorded_note, revocation_line, tier_lines
from .conditions import assumptions_line, requirement_text
from .html_base import badge, e, safe_url
from .html_plan import plan_section

MARK = {"pass": "✓", "fail": "✗", "indeterminate": "?", "not_applicable": "–"}
MARK |= {"missing": "?", "unknown": "?"}
HEAD = ("indicator", "hs_content", "value", "threshold", "gap", "status", "verified", "source")


class _Sources:
    """The sources an evaluation cites, numbered in order of first citation."""

    def __init__(self, prefix: str) -> None:
        self.prefix = prefix
        self.found: dict[tuple[str, str, str], tuple[int, Source, bool]] = {}

    def cite(self, check: CheckResult) -> int | None:
        """The note number of the check's source (None without one)."""
        src = check.source
        if src is None:
            return None
        key = (src.key, src.citation, src.url)
        known = check.threshold is not None
        number, _, was_known = self.found.get(key, (len(self.found) + 1, src, False))
        self.found[key] = (number, src, was_known or known)
        return number

    def link(self, number: int | None) -> str:
        if number is None:
            return ""
        return f'<a class="ref" href="#{self.prefix}-{number}">[{number}]</a>'

    def notes(self, lang: str) -> str:
        """The numbered list: badge, citation, URL as a link. A source that only ever stood for
        an unknown threshold is a GAP, whatever kind it declares."""
        if not self.found:
            return ""
        items = []
        for number, src, known in sorted(self.found.values(), key=lambda x: x[0]):
            url = safe_url(src.url)
            link = f' <a href="{e(url)}" rel="noopener noreferrer">{e(url)}</a>' if url else ""
            items.append(
                f'<li id="{self.prefix}-{number}"><span class="n">[{number}]</span> '
                f"{badge(src.to_dict(), lang, gap=not known)} {e(src.citation)}{link}</li>"
            )
        return f'<h3>{e(t("sources", lang))}</h3><ol class="sources">{"".join(items)}</ol>'


def _status_word(status: str, lang: str) -> str:
    return t("st_indeterminate" if status == "indeterminate" else status, lang)


def _verified(check: CheckResult, lang: str) -> str:
    if check.threshold is None and check.basis != "applies_if":
        return t("hs_ver_unknown", lang)
    if check.source is not None and check.source.kind == "assumed":
        return t("hs_ver_assumed", lang)
    return {True: t("hs_ver_yes", lang), False: t("hs_ver_no", lang), None: ""}[check.verified]


def _gap(check: CheckResult, lang: str) -> str:
    if check.gap is None:
        return ""
    text = gap_text(check.gap, check.unit.get(lang), lang)
    if check.gap > 0:
        return "+" + text
    return "−" + text if check.gap < 0 else text


def _check_cells(check: CheckResult, status: str, lang: str, sources: _Sources) -> str:
    unit = check.unit.get(lang)
    number = sources.cite(check)
    return (
        f'<td class="num">{e(fmt_value(check.value, check.threshold, unit, lang))}</td>'
        f'<td class="num">{e(threshold_text(check, lang))}</td>'
        f'<td class="num">{e(_gap(check, lang))}</td>'
        f'<td class="st s-{e(status)}">{e(MARK.get(status, ""))} '
        f"{e(_status_word(status, lang))}</td>"
        f'<td class="ver">{e(_verified(check, lang))}</td>'
        f"<td>{sources.link(number)}</td>"
    )


def _indicator_rows(ind: IndicatorResult, lang: str, sources: _Sources) -> str:
    notes = [f'<div class="why">{e(ind.reason.get(lang))}</div>']
    if ind.doubt:
        notes.append(f'<div class="flag">{e(t("doubt", lang))}: {e(ind.doubt)}</div>')
    if ind.appraised:
        notes.append(f'<div class="flag">{e(t("appraised_line", lang))}</div>')
    if ind.conflict:
        notes.append(f'<div class="flag bad">{e(t("conflict_line", lang))}</div>')
    status = str(ind.status)
    out = [
        f'<tr class="ind"><td class="id">{e(ind.id)}</td>'
        f"<td><b>{e(ind.text.get(lang))}</b>{''.join(notes)}</td>"
        + _check_cells(ind.primary, status, lang, sources)
        + "</tr>"
    ]
    for k, check in enumerate(ind.checks):
        if k == ind.primary_index:
            continue
        out.append(
            f'<tr class="sub"><td></td><td>{e(t("hs_other_check", lang))}: '
            f"<code>{e(check.measure)}</code></td>"
            + _check_cells(check, str(check.status), lang, sources)
            + "</tr>"
        )
    return "".join(out)


def _criterion_rows(crit: CriterionResult, lang: str, sources: _Sources) -> str:
    status = str(crit.status)
    applicable = [i for i in crit.indicators if i.status != Status.NOT_APPLICABLE]
    met = sum(1 for i in applicable if i.status == Status.PASS)
    name = t("hs_criterion", lang, id=crit.id, name=crit.name.get(lang)) + (
        " ★" if crit.key else ""
    )
    count = t("hs_indicators_met", lang, met=met, total=len(applicable))
    head = (
        f'<tr class="crit s-{e(status)}"><th colspan="{len(HEAD)}">{e(name)} — '
        f"{e(MARK.get(status, ''))} {e(_status_word(status, lang))} · {e(count)}</th></tr>"
    )
    return head + "".join(_indicator_rows(i, lang, sources) for i in crit.indicators)


def _verdict(ev: Evaluation, lang: str) -> str:
    verdict = str(ev.verdict)
    line = t("met_count", lang, met=ev.criteria_met, total=ev.criteria_total)
    if ev.provisional:
        line += f" ({t('provisional', lang)})"
    return (
        f'<div class="verdict v-{e(verdict)}"><span>{e(t("verdict", lang))}:</span> '
        f"<b>{e(t(verdict, lang))}</b> — {e(line)}</div>"
    )


def _where(ev: Evaluation, lang: str) -> str:
    parts = [
        f"{t('region_applied', lang)}: {region(ev.region_applied)} — "
        f"{ev.region_reason.get(lang)}; {t('year', lang)} {ev.year}"
    ]
    if ev.overlay is not None:
        ov = ev.overlay
        partial = f", {t('partial', lang)}" if ov.partial else ""
        parts.append(f"{t('overlay', lang)}: {ov.title.get(lang)} ({ov.decision}{partial})")
        if ov.loosened:
            ids = ", ".join(ov.loosened)
            parts.append(t("note_loosens", lang, set=ov.id, ids=ids, why=ov.loosens))
    return "".join(f"<p>{e(p)}</p>" for p in parts)


def _after(ev: Evaluation, lang: str) -> str:
    """Recognition conditions, revocation, prerequisites, notes, appraisals, assumptions."""
    out = []
    if ev.recognition.conditions:
        items = "".join(
            f"<li>{e(c.text.get(lang))}: <b>{e(_status_word(str(c.status), lang))}</b></li>"
            for c in ev.recognition.conditions
        )
        out.append(f"<h3>{e(t('recognition', lang))}</h3><ul>{items}</ul>")
    lines = [revocation_line(ev, lang)]
    lines += [f"{t('prerequisite', lang)}: {s} — {t(str(v), lang)}" for s, v in ev.prerequisites]
    lines += [f"{t('notes', lang)}: {n.get(lang)}" for n in ev.notes]
    if ev.appraised:
        lines.append(f"{t('appraised_line', lang)}: {', '.join(ev.appraised)}")
    if ev.appraisal_conflicts:
        lines.append(f"{t('conflict_line', lang)}: {', '.join(ev.appraisal_conflicts)}")
    if ev.assumed_thresholds:
        lines.append(f"{t('hs_assumed', lang)}: {', '.join(ev.assumed_thresholds)}")
    out += [f'<p class="line">{e(line)}</p>' for line in lines if line]
    return "".join(out)


def _conditions(ev: Evaluation, lang: str) -> str:
    found = ev.conditions
    if not found:
        return ""
    items = "".join(f"<li>{e(requirement_text(req, lang))}</li>" for req in found)
    title = t("cond_title", lang, set=ev.set_title.get(lang) or ev.set_id)
    return f'<div class="conditions"><h3>{e(title)}</h3><ul>{items}</ul></div>'


def _evaluation(ev: Evaluation, lang: str, prefix: str) -> str:
    sources = _Sources(prefix)
    rows = "".join(_criterion_rows(c, lang, sources) for c in ev.criteria)
    head = "".join(f"<th>{e(t(k, lang))}</th>" for k in HEAD)
    legend = t("hs_gap_legend", lang)
    return (
        f'<section class="ev"><h2>{e(ev.set_title.get(lang) or ev.set_id)} '
        f'<span class="set-id">{e(ev.set_id)} · {e(ev.decision)}</span></h2>'
        f"{_verdict(ev, lang)}{_where(ev, lang)}{_conditions(ev, lang)}"
        f'<table class="sheet-table"><thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table>'
        f'<p class="legend">{e(legend)}</p>'
        f"{_after(ev, lang)}{sources.notes(lang)}</section>"
    )


def _identity(c: Commune, lang: str) -> str:
    basis = {"file": "hs_region_file", "province": "hs_region_province"}.get(c.region_basis)
    fields: list[tuple[str, Any]] = [
        (t("district", lang), c.district),
        (t("province", lang), c.province),
        (t("sheet_code", lang), c.code),
        (t("region", lang), region(c.region) + (f" ({t(basis, lang)})" if basis else "")),
        (t("hs_data_year", lang), c.year),
        (t("hs_categories", lang), ", ".join(category(x, lang) for x in c.categories)),
    ]
    if c.recognized is not None:
        rec = t("hs_recognized_text", lang, set=c.recognized.set, year=c.recognized.year)
        fields.append((t("hs_recognized", lang), rec))
    fields += [
        (t("hs_data_file", lang), c.where()),
        (t("hs_data_status", lang), c.data_status),
        (t("notes", lang), c.note),
    ]
    body = "".join(
        f"<div><dt>{e(k)}</dt><dd>{e(v)}</dd></div>" for k, v in fields if v not in ("", None)
    )
    return (
        f'<header class="head"><div class="kicker">{e(t("hs_heading", lang))}</div>'
        f'<h1>{e(c.name)}</h1><dl class="ident">{body}</dl></header>'
    )


def _transition(tr: Transition, lang: str) -> str:
    out = [
        f"<h2>{e(t('transition', lang))}: {e(tr.from_set)} → {e(tr.to_set)}</h2>"
        f'<p class="verdict t-{e(str(tr.outcome))}"><b>{e(t(str(tr.outcome), lang))}</b>'
        + (f" ({e(t('provisional_short', lang))})" if tr.provisional else "")
        + "</p>"
    ]
    note = recorded_note(tr, lang)
    if note:
        out.append(f'<p class="line">{e(note)}</p>')
    items = []
    for cu in tr.culprits:
        unit = cu.unit.get(lang)
        thr = fmt(cu.threshold_to, unit, lang)
        if cu.threshold_from is not None and str(cu.cause) == "tightened":
            thr = f"{fmt(cu.threshold_from, unit, lang)} → {thr}"
        text = (
            f"{t('criterion', lang)} {cu.criterion}, {t('indicator', lang)} {cu.indicator}: "
            f"{t(str(cu.cause), lang)}; {t('value', lang)} {fmt(cu.value, unit, lang)}, "
            f"{t('threshold', lang)} {thr}"
        )
        if cu.verified is False:
            text += " " + t("unverified_paren", lang)
        items.append(f"<li>{e(text)}</li>")
    if items:
        out.append(f"<h3>{e(t('culprits', lang))}</h3><ul>{''.join(items)}</ul>")
    return f'<section class="tr">{"".join(out)}</section>'


def _report(report: CommuneReport, lang: str, k: int, plans: Sequence[CommunePlan] = ()) -> str:
    parts = [_identity(report.commune, lang)]
    for j, ev in enumerate(report.evaluations):
        parts.append(_evaluation(ev, lang, f"s{k}-{j}"))
        if j < len(plans):
            parts.append(plan_section(plans[j], lang))
    if report.transition is not None:
        parts.append(_transition(report.transition, lang))
    tiers = tier_lines(report, lang)
    if tiers:
        parts.append("<section>" + "".join(f"<p><b>{e(x)}</b></p>" for x in tiers) + "</section>")
    parts.append(_signature(lang))
    return f'<article class="sheet">{"".join(parts)}</article>'


def _signature(lang: str) -> str:
    cells = "".join(
        f'<div><b>{e(t(who, lang))}</b><br><span class="muted">{e(t("hs_sign", lang))}</span>'
        f'<div class="blank"></div><span class="muted">{e(t("hs_date", lang))}</span></div>'
        for who in ("hs_prepared", "hs_checked")
    )
    return f'<footer class="sign">{cells}</footer>'


def render_commune_html(result: CheckRun | PlanRun, lang: str) -> str:
    """The `check` run as printable sheets (one per commune) in one self-contained HTML page;
    with ``--plan`` (a :class:`PlanRun`) each evaluation is followed by its plan."""
    if lang not in ("vi", "en"):
        raise ValueError(f"lang must be 'vi' or 'en', not {lang!r}")
    run = result.run if isinstance(result, PlanRun) else result
    plans = result.plans if isinstance(result, PlanRun) else ()
    reports: Sequence[CommuneReport] = run.reports
    assumed = assumptions_line((a.to_dict() for a in run.assumptions), lang)
    banner = f'<p class="assumed">{e(assumed)}</p>' if assumed else ""
    body = "".join(
        _report(r, lang, k, plans[k] if k < len(plans) else ()) for k, r in enumerate(reports)
    )
    if not body:
        body = f"<p>{e(t('hs_no_report', lang))}</p>"
    title = t("hs_heading", lang)
    if reports:
        title += " — " + ", ".join(r.commune.name for r in reports[:3])
    return (
        "<!DOCTYPE html>\n"
        f'<html lang="{e(lang)}"><head><meta charset="utf-8">'
        '<meta http-equiv="Content-Security-Policy" content="default-src \'none\'; '
        "style-src 'unsafe-inline'; img-src data:\">"
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        '<meta name="referrer" content="no-referrer">'
        f"<title>{e(title)}</title><style>{SHEET_CSS}</style></head><body>"
        f'<p class="noprint">{e(t("hs_print", lang))}</p>{banner}{body}'
        f'<p class="gen">{e(t("hs_generated", lang, v=__version__))}</p></body></html>\n'
    )


def _status_css() -> str:
    colours = {"pass": "#1a7f37", "fail": "#b42318", "missing": "#9a6700"}
    colours |= {"unknown": "#9a6700", "indeterminate": "#9a6700", "not_applicable": "#616e7c"}
    return "".join(f".st.s-{k}{{color:{v}}}" for k, v in colours.items())


SHEET_CSS = (
    "@page{size:A4;margin:14mm 12mm}*{box-sizing:border-box}"
    'body{margin:0 auto;max-width:210mm;padding:10mm;font:10.5pt/1.4 "Noto Sans",'
    '"Segoe UI",Arial,sans-serif;color:#1f2933;background:#fff}'
    "h1{font-size:20pt;margin:2px 0 6px}h2{font-size:13pt;margin:14px 0 6px}"
    "h3{font-size:11pt;margin:10px 0 4px}.kicker{text-transform:uppercase;letter-spacing:.06em;"
    "font-size:9pt;color:#616e7c}.set-id,.muted{color:#616e7c;font-weight:400;font-size:9pt}"
    "dl.ident{display:grid;grid-template-columns:repeat(3,1fr);gap:2px 14px;margin:0 0 8px}"
    "dl.ident dt{font-size:8.5pt;color:#616e7c}dl.ident dd{margin:0;font-weight:600}"
    ".verdict{border:2px solid #c8cdd4;border-radius:6px;padding:6px 10px;margin:6px 0;"
    "font-size:11.5pt}.v-certified,.t-kept,.t-gained{border-color:#1a7f37}"
    ".v-not_certified,.t-lost,.t-never{border-color:#b42318}"
    ".v-indeterminate,.t-indeterminate{border-color:#e0a800}"
    "table{border-collapse:collapse;width:100%;font-size:9pt}thead{display:table-header-group}"
    "th,td{border:1px solid #d5dae0;padding:3px 5px;text-align:left;vertical-align:top}"
    "thead th{background:#eef2f6}tr{break-inside:avoid}td.num{white-space:nowrap;"
    "text-align:right}td.id{white-space:nowrap;font-weight:600}tr.crit th{background:#f6f8fa;"
    "font-size:9.5pt}tr.sub td{font-size:8.5pt;color:#3e4c59}.why{color:#3e4c59;"
    "font-size:8.5pt}.flag{color:#9a6700;font-size:8.5pt}.flag.bad{color:#b42318}"
    ".st{white-space:nowrap;font-weight:600}.ver{font-size:8.5pt}" + _status_css() + ""
    ".legend,.line,.gen,.noprint{font-size:8.5pt;color:#616e7c}"
    ".conditions{border-left:4px solid #e0a800;background:#fffbea;padding:4px 10px;margin:8px 0}"
    "ol.sources{font-size:8.5pt;padding-left:0;list-style:none}ol.sources li{margin:2px 0;"
    "word-break:break-word}.kind{font-size:7.5pt;text-transform:uppercase;background:#e6eef5;"
    "border-radius:3px;padding:0 4px}.kind.k-gap{background:#fdecea;color:#8a1c12}"
    "a{color:#1f6f8b}code{font-size:8.5pt}.assumed{color:#8a1c5a;font-weight:600}"
    "footer.sign{display:grid;grid-template-columns:1fr 1fr;gap:20mm;margin-top:10mm;"
    "text-align:center;break-inside:avoid}.blank{height:22mm}"
    ".sheet+.sheet{break-before:page;margin-top:12mm}"
    "@media print{body{padding:0;max-width:none}.noprint{display:none}a{color:inherit;"
    "text-decoration:none}*{-webkit-print-color-adjust:exact;print-color-adjust:exact}}"
)
