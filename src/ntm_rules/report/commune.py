"""Rendering a commune's evaluation: rich table and Markdown."""

from __future__ import annotations

from rich.console import Console
from rich.table import Table
from rich.text import Text as RichText

from ..model.results import (
    CommuneReport,
    CriterionResult,
    CriterionStatus,
    Evaluation,
    IndicatorResult,
    Status,
    Transition,
)
from ..score.reasons import fmt, fmt_value, unit_in
from ..words import t

MARK = {
    CriterionStatus.PASS: ("✓", "green"),
    CriterionStatus.FAIL: ("✗", "red"),
    CriterionStatus.INDETERMINATE: ("?", "yellow"),
    CriterionStatus.NOT_APPLICABLE: ("–", "dim"),
}
VERDICT_STYLE = {
    "certified": "bold green",
    "not_certified": "bold red",
    "indeterminate": "bold yellow",
}
OUTCOME_STYLE = {
    "kept": "green",
    "lost": "bold red",
    "gained": "green",
    "never": "red",
    "indeterminate": "yellow",
}


def _met(crit: CriterionResult) -> str:
    applicable = [i for i in crit.indicators if i.status != Status.NOT_APPLICABLE]
    met = sum(1 for i in applicable if i.status == Status.PASS)
    return f"{met}/{len(applicable)}"


def _problems(ev: Evaluation) -> list[tuple[CriterionResult, IndicatorResult]]:
    return [
        (c, i)
        for c in ev.criteria
        for i in c.indicators
        if i.status in (Status.FAIL, Status.MISSING, Status.UNKNOWN)
    ]


def _threshold_text(ind: IndicatorResult, lang: str) -> str:
    head = ind.primary
    if head.threshold is None:
        return "?"
    if head.operator == "is true":
        text = "đạt" if lang == "vi" else "achieved"
    else:
        text = f"{head.operator} {fmt(head.threshold, unit_in(head.unit, lang))}"
    return text + ("" if head.verified else " *")


def _verdict_line(ev: Evaluation, lang: str) -> RichText:
    line = RichText(f"{t('verdict', lang)}: ")
    line.append(t(str(ev.verdict), lang), style=VERDICT_STYLE[str(ev.verdict)])
    line.append(" — " + t("met_count", lang, met=ev.criteria_met, total=ev.criteria_total))
    if ev.provisional:
        line.append(f" ({t('provisional', lang)})", style="yellow")
    return line


def render_evaluation(ev: Evaluation, commune_label: str, lang: str, console: Console) -> None:
    console.rule(f"{commune_label} — {ev.set_id} ({ev.decision})")
    console.print(
        f"{t('region_applied', lang)}: [bold]{ev.region_applied}[/bold] — "
        f"{ev.region_reason.get(lang)}; {t('year', lang)} {ev.year}"
    )
    if ev.overlay:
        console.print(
            f"{t('overlay', lang)}: {ev.overlay['id']} ({ev.overlay['decision']}"
            + (f", {t('partial', lang)}" if ev.overlay["partial"] else "")
            + ")"
        )
    table = Table(show_lines=False, header_style="bold")
    table.add_column("#", justify="right")
    table.add_column(t("criterion", lang))
    table.add_column("", justify="center")
    table.add_column(t("indicators_met", lang), justify="right")
    for crit in ev.criteria:
        mark, style = MARK[crit.status]
        name = crit.name.get(lang) + (" ★" if crit.key else "")
        table.add_row(crit.id, name, RichText(mark, style=style), _met(crit))
    console.print(table)
    problems = _problems(ev)
    if problems:
        detail = Table(title=t("not_met_detail", lang), header_style="bold", title_justify="left")
        for key in ("indicator", "status", "value", "threshold", "region", "gap", "reason"):
            detail.add_column(t(key, lang), overflow="fold")
        for _crit, ind in problems:
            head = ind.primary
            gap = fmt(head.gap, unit_in(head.unit, lang)) if head.gap is not None else ""
            region = ev.region_applied + (f" {head.year_used}" if head.year_used else "")
            detail.add_row(
                ind.id,
                t(str(ind.status), lang),
                fmt_value(head.value, head.threshold, unit_in(head.unit, lang)),
                _threshold_text(ind, lang),
                region,
                gap,
                ind.reason.get(lang),
            )
        console.print(detail)
        console.print(f"[dim]{t('unverified_mark', lang)}[/dim]")
    if ev.recognition.conditions:
        parts = [f"{c.id} {t(str(c.status), lang)}" for c in ev.recognition.conditions]
        console.print(f"{t('recognition', lang)}: {'; '.join(parts)}")
    if ev.revocation is not None and ev.revocation.applies:
        rv = ev.revocation
        share = t("failing_share", lang, failing=rv.failing, total=rv.total)
        if rv.in_frame is None:
            state = t("frame_undecided", lang)
        elif rv.in_frame:
            state = t("in_frame", lang, case=rv.case)
        else:
            state = t("not_in_frame", lang)
        mark = f" ({t('provisional_short', lang)})" if rv.provisional and rv.in_frame else ""
        console.print(f"{t('revocation', lang)}: {share}; {state}{mark}")
    for note in ev.notes:
        console.print(f"[dim]{t('notes', lang)}: {note.get(lang)}[/dim]")
    console.print(_verdict_line(ev, lang))


def render_transition(tr: Transition, lang: str, console: Console) -> None:
    line = RichText(f"{t('transition', lang)} {tr.from_set} → {tr.to_set}: ")
    line.append(
        t(tr.outcome, lang) if tr.outcome != "indeterminate" else t("indeterminate", lang),
        style=OUTCOME_STYLE[tr.outcome],
    )
    if tr.provisional:
        line.append(f" ({t('provisional_short', lang)})", style="yellow")
    if tr.from_basis == "recorded_recognition":
        line.append(f" ({tr.from_set}: {t('from_recorded', lang)})")
    console.print(line)
    if tr.culprits:
        table = Table(title=t("culprits", lang), header_style="bold", title_justify="left")
        for key in ("criterion", "indicator", "measure", "cause", "value", "threshold"):
            table.add_column(t(key, lang))
        for c in tr.culprits:
            thr = fmt(c.threshold_to)
            if c.threshold_from is not None and c.cause == "tightened":
                thr = f"{fmt(c.threshold_from)} → {fmt(c.threshold_to)}"
            if not c.verified:
                thr += " *"
            table.add_row(c.criterion, c.indicator, c.measure, t(c.cause, lang), fmt(c.value), thr)
        console.print(table)


def tier_lines(report: CommuneReport, lang: str) -> list[str]:
    tiers = report.tiers
    if tiers is None:
        return []
    top = t(f"tier_{tiers.highest_tier}", lang) if tiers.highest_tier else t("tier_none", lang)
    lines = [f"{t('highest_tier', lang)}: {top}"]
    if tiers.next_tier:
        missing = ", ".join(
            g["criterion"] + (f" ({len(g['indicators'])})" if g["indicators"] else "")
            for g in tiers.next_tier_gaps
        )
        lines.append(
            f"{t('next_tier', lang)}: {t('tier_' + tiers.next_tier, lang)} "
            f"({tiers.next_tier_set}: {t(tiers.next_tier_verdict or '', lang)})"
            + (f" — {t('still_missing', lang)}: {missing}" if missing else "")
        )
    return lines


def render_table(report: CommuneReport, lang: str, console: Console) -> None:
    c = report.commune
    label = ", ".join(p for p in (c["name"], c["district"], c["province"]) if p)
    for ev in report.evaluations:
        render_evaluation(ev, label, lang, console)
        for set_id, verdict in ev.prerequisites:
            console.print(f"{t('prerequisite', lang)}: {set_id} — {t(verdict, lang)}")
    if report.transition is not None:
        render_transition(report.transition, lang, console)
    for line in tier_lines(report, lang):
        console.print(f"[bold]{line}[/bold]")


def render_markdown(report: CommuneReport, lang: str) -> str:
    c = report.commune
    label = ", ".join(p for p in (c["name"], c["district"], c["province"]) if p)
    out = [f"# {label}", ""]
    for ev in report.evaluations:
        out += [
            f"## {ev.set_id} — {ev.set_title.get(lang)} ({ev.decision})",
            "",
            f"- {t('region_applied', lang)}: **{ev.region_applied}** "
            f"({ev.region_reason.get(lang)})",
            f"- {t('year', lang)}: {ev.year}",
            f"- {t('verdict', lang)}: **{t(str(ev.verdict), lang)}** — "
            + t("met_count", lang, met=ev.criteria_met, total=ev.criteria_total)
            + (f" ({t('provisional', lang)})" if ev.provisional else ""),
            "",
            f"| # | {t('criterion', lang)} | {t('status', lang)} | {t('indicators_met', lang)} |",
            "|---|---|---|---|",
        ]
        for crit in ev.criteria:
            out.append(
                f"| {crit.id} | {crit.name.get(lang)} | {MARK[crit.status][0]} | {_met(crit)} |"
            )
        problems = _problems(ev)
        if problems:
            out += [
                "",
                f"### {t('not_met_detail', lang)}",
                "",
                f"| {t('indicator', lang)} | {t('status', lang)} | {t('value', lang)} | "
                f"{t('threshold', lang)} | {t('gap', lang)} | {t('reason', lang)} |",
                "|---|---|---|---|---|---|",
            ]
            for _crit, ind in problems:
                head = ind.primary
                gap = fmt(head.gap, unit_in(head.unit, lang)) if head.gap is not None else ""
                out.append(
                    f"| {ind.id} | {t(str(ind.status), lang)} | "
                    f"{fmt(head.value, unit_in(head.unit, lang))} | "
                    f"{_threshold_text(ind, lang)} | {gap} | "
                    f"{ind.reason.get(lang)} |"
                )
            out += ["", t("unverified_mark", lang)]
        out.append("")
    lines = tier_lines(report, lang)
    if lines:
        out += [f"## {t('highest_tier', lang)}", ""] + [f"- {line}" for line in lines] + [""]
    tr = report.transition
    if tr is not None:
        out += [
            f"## {t('transition', lang)}: {tr.from_set} → {tr.to_set}",
            "",
            f"**{t(tr.outcome, lang)}**",
            "",
        ]
        for cu in tr.culprits:
            out.append(f"- {cu.criterion} / {cu.indicator} ({cu.measure}): {t(cu.cause, lang)}")
        out.append("")
    return "\n".join(out)
