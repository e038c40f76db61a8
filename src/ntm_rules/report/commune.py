"""Rendering communes: `check` reports, `compare` views and `explain`, as rich tables and
Markdown."""

from __future__ import annotations

from collections.abc import Sequence

from rich.console import Console
from rich.table import Table
from rich.text import Text as RichText

from ..model.assumptions import Assumption
from ..model.results import (
    CommuneReport,
    CriterionResult,
    CriterionStatus,
    Evaluation,
    IndicatorResult,
    Status,
    Transition,
)
from ..model.views import CheckRun, Explanation
from ..score.reasons import threshold_text
from ..words import fmt, fmt_value, gap_text, region, t
from . import md, plain, reporter
from .conditions import assumptions_line, conditions_title, requirement_text

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
OPEN = (Status.FAIL, Status.MISSING, Status.UNKNOWN)


def _met(crit: CriterionResult) -> str:
    applicable = [i for i in crit.indicators if i.status != Status.NOT_APPLICABLE]
    met = sum(1 for i in applicable if i.status == Status.PASS)
    return f"{met}/{len(applicable)}"


def _problems(ev: Evaluation) -> list[IndicatorResult]:
    return [i for c in ev.criteria for i in c.indicators if i.status in OPEN]


def _threshold(ind: IndicatorResult, lang: str) -> str:
    text = threshold_text(ind.primary, lang)
    return text if ind.primary.threshold is None or ind.verified else text + " *"


def _verdict_line(ev: Evaluation, lang: str) -> RichText:
    line = RichText(f"{t('verdict', lang)}: ")
    line.append(t(str(ev.verdict), lang), style=VERDICT_STYLE[str(ev.verdict)])
    line.append(" — " + t("met_count", lang, met=ev.criteria_met, total=ev.criteria_total))
    if ev.provisional:
        line.append(f" ({t('provisional', lang)})", style="yellow")
    return line


def _label(report: CommuneReport) -> str:
    return report.commune.label


def recorded_note(tr: Transition, lang: str) -> str:
    """Why the old status holds although re-scoring today's figures may fail it."""
    if tr.recorded is None:
        return ""
    return t(
        "from_recorded_detail",
        lang,
        set=tr.recorded.set,
        year=tr.recorded.year,
        evaluated=t(str(tr.from_evaluated or ""), lang).lower(),
    )


def _head(ev: Evaluation, label: str, lang: str, console: Console) -> None:
    console.rule(plain(f"{label} — {ev.set_id} ({ev.decision})"))
    head = RichText(f"{t('region_applied', lang)}: ")
    head.append(region(ev.region_applied), style="bold")
    head.append(" — ")
    head.append(plain(ev.region_reason.get(lang)))
    head.append(f"; {t('year', lang)} {ev.year}")
    console.print(head)
    if ev.overlay:
        ov = ev.overlay
        partial = f", {t('partial', lang)}" if ov.partial else ""
        console.print(plain(f"{t('overlay', lang)}: {ov.id} ({ov.decision}{partial})"))


def _criteria_table(ev: Evaluation, lang: str, console: Console) -> None:
    table = Table(show_lines=False, header_style="bold")
    table.add_column("#", justify="right")
    table.add_column(t("criterion", lang))
    table.add_column("", justify="center")
    table.add_column(t("indicators_met", lang), justify="right")
    for crit in ev.criteria:
        mark, style = MARK[crit.status]
        name = crit.name.get(lang) + (" ★" if crit.key else "")
        table.add_row(plain(crit.id), plain(name), RichText(mark, style=style), _met(crit))
    console.print(table)
    legend = [t("legend_marks", lang)]
    if any(c.key for c in ev.criteria):
        legend.append(t("legend_key", lang))
    console.print(plain("; ".join(legend), "dim"))


def _problems_table(ev: Evaluation, lang: str, console: Console) -> None:
    problems = _problems(ev)
    if not problems:
        return
    detail = Table(title=t("not_met_detail", lang), header_style="bold", title_justify="left")
    for key in ("indicator", "status", "value", "threshold", "region", "gap", "reason"):
        detail.add_column(t(key, lang), overflow="fold")
    for ind in problems:
        head = ind.primary
        unit = head.unit.get(lang)
        where = region(ev.region_applied) + (f" {head.year_used}" if head.year_used else "")
        detail.add_row(
            plain(ind.id),
            t(str(ind.status), lang),
            plain(fmt_value(head.value, head.threshold, unit, lang)),
            plain(_threshold(ind, lang)),
            where,
            gap_text(head.gap, unit, lang),
            plain(ind.reason.get(lang)),
        )
    console.print(detail)
    if any(i.primary.threshold is not None and not i.verified for i in problems):
        console.print(plain(t("unverified_mark", lang), "dim"))


def revocation_line(ev: Evaluation, lang: str) -> str:
    rv = ev.revocation
    if rv is None or not rv.applies:
        return ""
    share = t("failing_share", lang, failing=rv.failing, total=rv.total)
    if rv.in_frame is None:
        state = t("frame_undecided", lang)
    elif rv.in_frame:
        state = t("in_frame", lang, case=rv.case)
    else:
        state = t("not_in_frame", lang)
    mark = f" ({t('provisional_short', lang)})" if rv.provisional and rv.in_frame else ""
    return f"{t('revocation', lang)}: {share}; {state}{mark}"


def _footer(ev: Evaluation, lang: str, console: Console) -> None:
    if ev.recognition.conditions:
        console.print(t("recognition", lang) + ":")
        for cond in ev.recognition.conditions:
            console.print(plain(f"  • {cond.text.get(lang)}: {t(str(cond.status), lang)}"))
    line = revocation_line(ev, lang)
    if line:
        console.print(plain(line))
    for set_id, verdict in ev.prerequisites:
        console.print(plain(f"{t('prerequisite', lang)}: {set_id} — {t(str(verdict), lang)}"))
    for note in ev.notes:
        console.print(plain(f"{t('notes', lang)}: {note.get(lang)}", "dim"))
    if ev.appraised:
        console.print(plain(f"{t('appraised_line', lang)}: {', '.join(ev.appraised)}", "cyan"))
    if ev.appraisal_conflicts:
        found = ", ".join(ev.appraisal_conflicts)
        console.print(plain(f"{t('conflict_line', lang)}: {found}", "bold red"))
    console.print(_verdict_line(ev, lang))
    if ev.conditions:
        console.print(plain(conditions_title(ev.set_id, lang), "bold"))
        for req in ev.conditions:
            console.print(plain(f"  • {requirement_text(req, lang)}"))


def render_evaluation(ev: Evaluation, label: str, lang: str, console: Console) -> None:
    _head(ev, label, lang, console)
    _criteria_table(ev, lang, console)
    _problems_table(ev, lang, console)
    _footer(ev, lang, console)


def render_transition(tr: Transition, lang: str, console: Console) -> None:
    line = RichText(f"{t('transition', lang)} {tr.from_set} → {tr.to_set}: ")
    line.append(t(str(tr.outcome), lang), style=OUTCOME_STYLE[str(tr.outcome)])
    if tr.provisional:
        line.append(f" ({t('provisional_short', lang)})", style="yellow")
    console.print(line)
    note = recorded_note(tr, lang)
    if note:
        console.print(plain(note, "dim"))
    if tr.culprits:
        table = Table(title=t("culprits", lang), header_style="bold", title_justify="left")
        for key in ("criterion", "indicator", "measure", "cause", "value", "threshold"):
            table.add_column(t(key, lang))
        for c in tr.culprits:
            unit = c.unit.get(lang)
            thr = fmt(c.threshold_to, unit, lang)
            if c.threshold_from is not None and str(c.cause) == "tightened":
                thr = f"{fmt(c.threshold_from, unit, lang)} → {thr}"
            if c.verified is False:
                thr += " *"
            table.add_row(
                plain(c.criterion),
                plain(c.indicator),
                plain(c.measure),
                t(str(c.cause), lang),
                plain(fmt(c.value, unit, lang)),
                plain(thr),
            )
        console.print(table)


def tier_lines(report: CommuneReport, lang: str) -> list[str]:
    tiers = report.tiers
    if tiers is None:
        return []
    top = t(f"tier_{tiers.highest_tier}", lang) if tiers.highest_tier else t("tier_none", lang)
    lines = [f"{t('highest_tier', lang)}: {top}"]
    if tiers.next_tier:
        missing = ", ".join(
            g.criterion + (f" ({len(g.indicators)})" if g.indicators else "")
            for g in tiers.next_tier_gaps
        )
        verdict = t(str(tiers.next_tier_verdict or ""), lang)
        lines.append(
            f"{t('next_tier', lang)}: {t('tier_' + tiers.next_tier, lang)} "
            f"({tiers.next_tier_set}: {verdict})"
            + (f" — {t('still_missing', lang)}: {missing}" if missing else "")
        )
    return lines


def render_report(report: CommuneReport, lang: str, console: Console) -> None:
    for ev in report.evaluations:
        render_evaluation(ev, _label(report), lang, console)
    if report.transition is not None:
        render_transition(report.transition, lang, console)
    for line in tier_lines(report, lang):
        console.print(plain(line, "bold"))


def assumed_line(assumptions: Sequence[Assumption], lang: str, console: Console) -> None:
    line = assumptions_line((a.to_dict() for a in assumptions), lang)
    if line:
        console.print(plain(line, "bold magenta"))


@reporter(CheckRun, "table")
def render_check(run: CheckRun, lang: str, console: Console) -> None:
    assumed_line(run.assumptions, lang, console)
    for report in run.reports:
        render_report(report, lang, console)
    if run.years:
        from .years import render_years

        for cy in run.years:
            render_years(cy, lang, console)


def _evaluation_markdown(ev: Evaluation, lang: str) -> list[str]:
    out = [
        f"## {md(ev.set_id)} — {md(ev.set_title.get(lang))} ({md(ev.decision)})",
        "",
        f"- {t('region_applied', lang)}: **{md(region(ev.region_applied))}** "
        f"({md(ev.region_reason.get(lang))})",
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
            f"| {md(crit.id)} | {md(crit.name.get(lang))} | {MARK[crit.status][0]} | {_met(crit)} |"
        )
    problems = _problems(ev)
    if problems:
        heads = ("indicator", "status", "value", "threshold", "gap", "reason")
        out += ["", f"### {t('not_met_detail', lang)}", ""]
        out += ["| " + " | ".join(t(k, lang) for k in heads) + " |", "|---" * len(heads) + "|"]
        for ind in problems:
            head = ind.primary
            unit = head.unit.get(lang)
            cells = (
                ind.id,
                t(str(ind.status), lang),
                fmt_value(head.value, head.threshold, unit, lang),
                _threshold(ind, lang),
                gap_text(head.gap, unit, lang),
                ind.reason.get(lang),
            )
            out.append("| " + " | ".join(md(c) for c in cells) + " |")
        out += ["", t("unverified_mark", lang)]
    if ev.conditions:
        out += ["", f"**{md(conditions_title(ev.set_id, lang))}**", ""]
        out += [f"- {md(requirement_text(req, lang))}" for req in ev.conditions]
    return [*out, ""]


def report_markdown(report: CommuneReport, lang: str) -> str:
    out = [f"# {md(_label(report))}", ""]
    for ev in report.evaluations:
        out += _evaluation_markdown(ev, lang)
    lines = tier_lines(report, lang)
    if lines:
        out += [f"## {t('highest_tier', lang)}", ""] + [f"- {md(line)}" for line in lines] + [""]
    tr = report.transition
    if tr is not None:
        out += [
            f"## {t('transition', lang)}: {md(tr.from_set)} → {md(tr.to_set)}",
            "",
            f"**{t(str(tr.outcome), lang)}**",
            "",
        ]
        note = recorded_note(tr, lang)
        if note:
            out += [md(note), ""]
        for cu in tr.culprits:
            out.append(
                f"- {md(cu.criterion)} / {md(cu.indicator)} ({md(cu.measure)}): "
                f"{t(str(cu.cause), lang)}"
            )
        out.append("")
    return "\n".join(out)


@reporter(CheckRun, "markdown")
def render_check_markdown(run: CheckRun, lang: str, console: Console) -> None:
    from .years import years_markdown

    parts = [report_markdown(r, lang) for r in run.reports]
    parts += [years_markdown(cy, lang) for cy in run.years]
    console.file.write("\n".join(parts) + "\n")


# --- compare --------------------------------------------------------------------------------


@reporter(Explanation, "table", "markdown")
def render_explanation(exp: Explanation, lang: str, console: Console) -> None:
    ev = exp.evaluation
    crit = ev.criterion(exp.criterion)
    assert crit is not None
    console.rule(
        plain(
            f"{exp.commune.name} — {ev.set_id} — {t('criterion', lang)} {crit.id}: "
            f"{crit.name.get(lang)}"
        )
    )
    console.print(
        plain(
            f"{t('region_applied', lang)}: {region(ev.region_applied)} — "
            f"{ev.region_reason.get(lang)}; {t('year', lang)} {ev.year}"
        )
    )
    status = RichText(f"{t('status', lang)}: ")
    status.append(t(str(crit.status), lang), style="bold")
    console.print(status)
    for ind in (i for i in crit.indicators if not exp.indicator or i.id == exp.indicator):
        table = Table(
            title=plain(f"{ind.id} — {ind.text.get(lang)}"),
            title_justify="left",
            header_style="bold",
        )
        for key in ("measure", "value", "threshold", "gap", "verified", "source"):
            table.add_column(t(key, lang), overflow="fold")
        for check in ind.checks:
            unit = check.unit.get(lang)
            thr = threshold_text(check, lang)
            if check.year_used:
                thr += f" ({check.year_used})"
            source = ""
            if check.source is not None:
                source = check.source.citation + (
                    f"\n{check.source.url}" if check.source.url else ""
                )
            verified = {True: "✓", False: "✗ " + t("unverified_paren", lang), None: ""}[
                check.verified
            ]
            table.add_row(
                plain(check.measure),
                plain(fmt(check.value, unit, lang)),
                plain(thr),
                gap_text(check.gap, unit, lang),
                verified,
                plain(source),
            )
        console.print(table)
        line = RichText("→ ")
        line.append(t(str(ind.status), lang), style="bold")
        line.append(": ")
        line.append(plain(ind.reason.get(lang)))
        console.print(line)
        if ind.doubt:
            console.print(plain(f"{t('doubt', lang)}: {ind.doubt}", "yellow"))
