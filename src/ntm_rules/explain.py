"""`explain`: everything behind one criterion's result for one commune."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from rich.console import Console
from rich.table import Table

from .api import units_of
from .errors import NtmRulesError
from .load.catalog import Catalog
from .load.communes import Commune
from .model.criteria import CriteriaSet
from .model.results import CriterionResult, Evaluation
from .score.engine import evaluate
from .score.reasons import fmt
from .words import t


@dataclass(frozen=True)
class Explanation:
    commune: dict[str, Any]
    evaluation: Evaluation
    criterion: CriterionResult

    def to_dict(self) -> dict[str, Any]:
        ev = self.evaluation
        return {
            "commune": self.commune,
            "set": ev.set_id,
            "decision": ev.decision,
            "region_applied": ev.region_applied,
            "region_reason": ev.region_reason.to_dict(),
            "year": ev.year,
            "criterion": self.criterion.to_dict(),
        }


def explain_criterion(
    commune: Commune, criteria_set: CriteriaSet, criterion_id: str, catalog: Catalog
) -> Explanation:
    evaluation = evaluate(commune, criteria_set, units_of(catalog))
    crit = evaluation.criterion(criterion_id)
    if crit is None:
        known = ", ".join(c.id for c in criteria_set.criteria)
        raise NtmRulesError(
            f"criterion {criterion_id!r} is not in {criteria_set.id} (criteria: {known})"
        )
    return Explanation(commune.to_dict(), evaluation, crit)


def render_explanation(exp: Explanation, lang: str, console: Console) -> None:
    ev, crit = exp.evaluation, exp.criterion
    console.rule(
        f"{exp.commune['name']} — {ev.set_id} — {t('criterion', lang)} {crit.id}: "
        f"{crit.name.get(lang)}"
    )
    console.print(
        f"{t('region_applied', lang)}: {ev.region_applied} — "
        f"{ev.region_reason.get(lang)}; {t('year', lang)} {ev.year}"
    )
    console.print(f"{t('status', lang)}: [bold]{t(str(crit.status), lang)}[/bold]")
    for ind in crit.indicators:
        table = Table(
            title=f"{ind.id} — {ind.text.get(lang)}",
            title_justify="left",
            header_style="bold",
            show_header=True,
        )
        for key in ("measure", "value", "threshold", "gap", "verified", "source"):
            table.add_column(t(key, lang), overflow="fold")
        for check in ind.checks:
            thr = (
                "?"
                if check.threshold is None
                else (
                    f"{check.operator} {fmt(check.threshold, check.unit)}"
                    if check.operator != "is true"
                    else "đạt"
                )
            )
            if check.year_used:
                thr += f" ({check.year_used})"
            source = ""
            if check.source is not None:
                source = check.source.citation + (
                    f"\n{check.source.url}" if check.source.url else ""
                )
            verified = {True: "✓", False: "✗ (unverified)", None: ""}[check.verified]
            table.add_row(
                check.measure,
                fmt(check.value, check.unit),
                thr,
                fmt(check.gap, check.unit) if check.gap is not None else "",
                verified,
                source,
            )
        console.print(table)
        console.print(f"→ [bold]{t(str(ind.status), lang)}[/bold]: {ind.reason.get(lang)}")
        if ind.doubt:
            console.print(f"[yellow]{t('doubt', lang)}: {ind.doubt}[/yellow]")
