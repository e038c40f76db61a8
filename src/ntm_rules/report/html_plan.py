"""The plan of a commune (``check --plan --html``) as a section of its printable sheet: the
steps in order, whether they reach the standard, what stays undecided and the rules followed.
Built from the same cells as the terminal and Markdown plans; every piece of text is escaped."""

from __future__ import annotations

from ..model.plan import CommunePlan, Reach
from ..words import t
from .html_base import e
from .plan import STEP_COLUMNS, plan_rules, reach_lines, step_cells


def plan_section(plan: CommunePlan, lang: str) -> str:
    """One plan: a heading, the steps as a table, the reach, the undecided and the rules."""
    out = [f"<h3>{e(t('plan_title', lang, set=plan.set_id))}</h3>"]
    if plan.steps:
        right = {"rank", "now", "target", "change", "met"}
        head = "".join(
            f"<th{' class=num' if k in right else ''}>{e(t('plan_col_' + k, lang))}</th>"
            for k in STEP_COLUMNS
        )
        rows = "".join(
            "<tr>"
            + "".join(
                f"<td{' class=num' if k in right else ''}>{e(cell)}</td>"
                for k, cell in zip(STEP_COLUMNS, step_cells(step, plan, lang), strict=True)
            )
            + "</tr>"
            for step in plan.steps
        )
        out.append(
            f'<table class="plan"><thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table>'
        )
    lines = reach_lines(plan, lang)
    good = plan.reach in (Reach.CERTIFIED, Reach.REACHES)
    out.append(f'<p class="{"ok" if good else "warn"}"><b>{e(lines[0])}</b></p>')
    if len(lines) > 1:
        items = "".join(f"<li>{e(line.removeprefix('  • '))}</li>" for line in lines[1:])
        out.append(f"<ul>{items}</ul>")
    out += [f'<p class="muted">{e(rule)}</p>' for rule in plan_rules(plan, lang)]
    return f'<section class="plan">{"".join(out)}</section>'
