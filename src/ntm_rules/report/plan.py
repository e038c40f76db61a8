"""Rendering plans (``check --plan``) and the communes within reach, as rich tables and
Markdown. Every word comes from the word table; numbers are written per language."""

from __future__ import annotations

from typing import Any

from rich.console import Console
from rich.table import Table

from ..model.plan import (
    ORDER_RULE,
    RECOGNITION,
    STRICT_RULE,
    Action,
    CommunePlan,
    PlanRun,
    PlanStep,
    Reach,
)
from ..model.reach import WITHIN_ORDER_RULE, WithinReach
from ..words import fmt, fmt_value, t
from . import md, plain, reporter
from .commune import render_check, report_markdown
from .conditions import requirement_text

STEP_COLUMNS = ("rank", "criterion", "indicator", "measure", "action", "now", "target",
                "change", "closes", "met")  # fmt: skip
WITHIN_COLUMNS = ("commune", "set", "verdict", "failing", "criteria_failing", "undecided", "met")


def _target(step: PlanStep, lang: str) -> str:
    if step.action == Action.ACHIEVE and step.target is True:
        text = t("plan_achieved", lang)
    elif step.target is None:
        text = "?"
    else:
        text = fmt(step.target, step.unit.get(lang), lang)
    return text + (" *" if step.verified is False else "")


def _change(step: PlanStep, lang: str) -> str:
    if step.change is None:
        return ""
    sign = "+" if step.change > 0 else "−" if step.change < 0 else ""
    return sign + fmt(abs(step.change), step.unit.get(lang), lang, points=True)


def _closes(step: PlanStep, lang: str) -> str:
    if not step.closes:
        return ""
    crit = t("plan_recognition", lang) if step.closes == RECOGNITION else step.closes
    key = "plan_closed_pass" if step.closed_as == "pass" else "plan_closed_indeterminate"
    return t(key, lang, crit=crit)


def step_cells(step: PlanStep, plan: CommunePlan, lang: str) -> tuple[str, ...]:
    """The cells of one step, in the order of :data:`STEP_COLUMNS`."""
    unit = step.unit.get(lang)
    now = (
        t("plan_no_value", lang)
        if step.value is None
        else fmt_value(step.value, step.threshold, unit, lang)
    )
    crit = t("plan_recognition", lang) if step.criterion == RECOGNITION else step.criterion
    return (
        str(step.rank),
        crit,
        step.indicator,
        step.measure,
        t("plan_action_" + str(step.action), lang),
        now,
        _target(step, lang),
        _change(step, lang),
        _closes(step, lang),
        f"{step.criteria_met}/{plan.criteria_total}",
    )


def _now_line(plan: CommunePlan, lang: str) -> str:
    return t(
        "plan_now_line",
        lang,
        verdict=t(str(plan.verdict), lang),
        met=plan.criteria_met,
        total=plan.criteria_total,
        n=plan.failing,
    )


def reach_lines(plan: CommunePlan, lang: str) -> list[str]:
    """Whether the plan reaches the standard, then what stays undecided (one line each)."""
    words: dict[str, Any] = {"set": plan.set_id, "met": plan.criteria_after}
    words["total"] = plan.criteria_total
    if plan.reach == Reach.NEEDS_PREREQUISITE:
        words["sets"] = ", ".join(plan.prerequisites)
    key = "plan_reach_" + str(plan.reach)
    if plan.reach == Reach.IF_UNDECIDED_PASS and not plan.steps:
        key = "plan_reach_undecided_only"
    lines = [t(key, lang, **words)]
    if plan.reach != Reach.CERTIFIED:
        lines += ["  • " + requirement_text(req, lang) for req in plan.undecided]
    return lines


def plan_rules(plan: CommunePlan, lang: str) -> list[str]:
    """The order rule of the steps and what their marks mean (only the marks used)."""
    if not plan.steps:
        return []
    rules = [t(ORDER_RULE, lang)]
    if any(s.operator in (">", "<") for s in plan.steps):
        rules.append(t(STRICT_RULE, lang))
    if any(s.verified is False for s in plan.steps):
        rules.append(t("plan_unverified_mark", lang))
    return rules


def render_plan(plan: CommunePlan, lang: str, console: Console, label: str = "") -> None:
    """A plan as a rich table, its reach, what stays undecided and the rules it follows."""
    title = t("plan_title", lang, set=plan.set_id)
    console.rule(plain(f"{label} — {title}" if label else title))
    if plan.reach != Reach.CERTIFIED:
        console.print(plain(_now_line(plan, lang)))
    if plan.steps:
        table = Table(header_style="bold")
        for key in STEP_COLUMNS:
            right = key in ("rank", "now", "target", "change", "met")
            table.add_column(
                t("plan_col_" + key, lang),
                justify="right" if right else "left",
                overflow="fold",
            )
        for step in plan.steps:
            table.add_row(*(plain(cell) for cell in step_cells(step, plan, lang)))
        console.print(table)
    style = "bold green" if plan.reach in (Reach.CERTIFIED, Reach.REACHES) else "bold yellow"
    for k, line in enumerate(reach_lines(plan, lang)):
        console.print(plain(line, style if k == 0 else ""))
    for rule in plan_rules(plan, lang):
        console.print(plain(rule, "dim"))


def plan_markdown(plan: CommunePlan, lang: str, label: str = "") -> str:
    """A plan as Markdown (a heading, the steps as a table, the reach and the rules)."""
    title = t("plan_title", lang, set=plan.set_id)
    out = [f"### {md(f'{label} — {title}' if label else title)}", ""]
    if plan.reach != Reach.CERTIFIED:
        out += [md(_now_line(plan, lang)), ""]
    if plan.steps:
        out.append("| " + " | ".join(t("plan_col_" + k, lang) for k in STEP_COLUMNS) + " |")
        out.append("|---" * len(STEP_COLUMNS) + "|")
        for step in plan.steps:
            out.append("| " + " | ".join(md(c) for c in step_cells(step, plan, lang)) + " |")
        out.append("")
    lines = reach_lines(plan, lang)
    out.append(f"**{md(lines[0])}**")
    out += [f"- {md(line.removeprefix('  • '))}" for line in lines[1:]]
    rules = plan_rules(plan, lang)
    if rules:
        out += ["", *(f"_{md(rule)}_" for rule in rules)]
    return "\n".join([*out, ""])


def within_cells(reach: WithinReach, lang: str) -> list[tuple[str, ...]]:
    """One row of cells per commune, in the order of :data:`WITHIN_COLUMNS`."""
    return [
        (
            r.name,
            r.set_id,
            t(str(r.verdict), lang),
            str(r.failing),
            str(r.criteria_failing),
            str(r.undecided),
            f"{r.criteria_met}/{r.criteria_total}",
        )
        for r in reach.rows
    ]


def render_within(reach: WithinReach, lang: str, console: Console) -> None:
    """The communes within reach of the standard, as a rich table with its order rule."""
    title = t("plan_within_title", lang, n=reach.within)
    if not reach.rows:
        console.print(plain(f"{title}: {t('plan_within_none', lang)}"))
        return
    table = Table(title=plain(title), title_justify="left", header_style="bold")
    for key in WITHIN_COLUMNS:
        head = t("plan_col_" + key, lang)
        table.add_column(head, justify="left" if key in ("commune", "set", "verdict") else "right")
    for cells in within_cells(reach, lang):
        table.add_row(*(plain(c) for c in cells))
    console.print(table)
    console.print(plain(t(WITHIN_ORDER_RULE, lang), "dim"))


def within_markdown(reach: WithinReach, lang: str) -> str:
    """The communes within reach of the standard, as Markdown."""
    out = [f"### {md(t('plan_within_title', lang, n=reach.within))}", ""]
    if not reach.rows:
        return "\n".join([*out, t("plan_within_none", lang), ""])
    out.append("| " + " | ".join(t("plan_col_" + k, lang) for k in WITHIN_COLUMNS) + " |")
    out.append("|---" * len(WITHIN_COLUMNS) + "|")
    out += ["| " + " | ".join(md(c) for c in cells) + " |" for cells in within_cells(reach, lang)]
    return "\n".join([*out, "", f"_{md(t(WITHIN_ORDER_RULE, lang))}_", ""])


@reporter(PlanRun, "table")
def render_plan_run(result: PlanRun, lang: str, console: Console) -> None:
    """``check --plan``: the check report, then each commune's plans."""
    render_check(result.run, lang, console)
    for report, plans in zip(result.run.reports, result.plans, strict=True):
        for plan in plans:
            render_plan(plan, lang, console, report.commune.label)


@reporter(PlanRun, "markdown")
def render_plan_run_markdown(result: PlanRun, lang: str, console: Console) -> None:
    parts = []
    for report, plans in zip(result.run.reports, result.plans, strict=True):
        parts.append(report_markdown(report, lang))
        parts += [plan_markdown(plan, lang, report.commune.label) for plan in plans]
    console.file.write("\n".join(parts) + "\n")
