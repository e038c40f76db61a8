"""Rendering `sets`, `show`, `diff` and `validate` results as rich tables."""

from __future__ import annotations

from typing import Any

from rich.console import Console
from rich.table import Table

from ..diff import SetDiff
from ..load.validate import ValidationReport
from ..score.reasons import fmt
from ..sets_info import SetSummary, SetView
from ..words import t

OPS = {"is true": "đạt/achieved"}


def render_sets(summaries: list[SetSummary], lang: str, console: Console) -> None:
    table = Table(header_style="bold")
    for key in ("set", "decision", "period", "criteria", "indicators", "verified_share"):
        table.add_column(t(key, lang))
    table.add_column(t("cells_head", lang))
    for s in summaries:
        d = s.to_dict()
        title = d["title"]["en" if lang == "en" else "vi"]
        name = f"[bold]{d['id']}[/bold]\n{title}"
        if d["overlay"]:
            name += (
                f"\n[dim]overlay of {s.criteria_set.base_id}"
                f"{', partial' if d['overlay']['partial'] else ''}[/dim]"
            )
        cells = d["cells"]
        table.add_row(
            name,
            d["decision"],
            f"{d['period']['from']}–{d['period']['to']} ({d['tier']})",
            str(d["criteria"]),
            str(d["indicators"]),
            f"{d['verified_share']:.0%}",
            f"{cells['verified']} / {cells['unverified']} / {cells['unknown']}",
        )
    console.print(table)


def _thr(op: str, value: Any, unit: str, lang: str = "vi") -> str:
    if value is None:
        return "?"
    if op == "is true":
        return ("đạt" if lang == "vi" else "achieved") if value is True else fmt(value)
    return f"{op} {fmt(value, unit)}"


def render_show(view: SetView, lang: str, console: Console) -> None:
    d = view.to_dict()
    s = view.criteria_set
    console.rule(f"{s.id} — {s.title.get(lang)} ({s.decision})")
    scope = []
    if view.region:
        scope.append(f"{t('region', lang)} {view.region}")
    if view.year:
        scope.append(f"{t('year', lang)} {view.year}")
    if scope:
        console.print(", ".join(scope))
    for rule in s.region_rules:
        who = " | ".join(rule.categories)
        if rule.and_categories:
            who = f"({who}) + ({' | '.join(rule.and_categories)})"
        console.print(
            f"{rule.id}: {who} → {rule.use_region} "
            f"({rule.source.citation}){'' if rule.verified else ' *'}",
            markup=False,
            highlight=False,
            style="dim",
        )
    table = Table(header_style="bold", show_lines=False)
    table.add_column(t("indicator", lang))
    table.add_column(t("measure", lang), overflow="fold")
    table.add_column(t("threshold", lang))
    if not view.region:
        table.add_column(t("by_region", lang), overflow="fold")
    table.add_column(t("verified", lang))
    table.add_column(t("source", lang), overflow="fold")
    for crit in d["criteria"]:
        table.add_row(
            f"[bold]{crit['id']}[/bold]",
            f"[bold]{crit['name'][lang]}[/bold]",
            "",
            *([""] if not view.region else []),
            "",
            "",
        )
        for ind in crit["indicators"]:
            verified = "✓" if ind["verified"] else ("*" if ind["verified"] is False else "")
            thr = _thr(ind["operator"], ind["threshold"], ind["unit"], lang)
            if ind["threshold_year"]:
                thr += f" ({ind['threshold_year']})"
            if len(ind["measures"]) > 1:
                thr += f" +{len(ind['measures']) - 1} check(s)"
            label = ind["id"] + (" ?" if ind["doubt"] else "")
            src = ind["source"]["citation"] if ind["source"] else ""
            if s.overlay is not None and ind["origin"] == s.overlay.id:
                src = f"[{s.overlay.province}] {src}"
            row = [label, f"{ind['text'][lang]}\n[dim]{ind['measure']}[/dim]", thr]
            if not view.region:
                regions = ind["thresholds_by_region"]
                row.append(
                    " ".join(f"{r}:{'?' if v is None else fmt(v)}" for r, v in regions.items())
                )
            row += [verified, src]
            table.add_row(*row)
    console.print(table)
    console.print("[dim]✓ verified  * unverified  ? unknown value / indicator in doubt[/dim]")


def render_diff(result: SetDiff, lang: str, console: Console) -> None:
    console.rule(
        f"{result.from_id} ({result.indicators_from}) → {result.to_id} ({result.indicators_to})"
    )
    if result.criteria_renamed:
        console.print(f"[bold]{t('renamed', lang)}[/bold]")
        for r in result.criteria_renamed:
            console.print(f"  {r['id']}: {r['from'][lang]} → {r['to'][lang]}")
    for key, rows in (("added", result.added), ("removed", result.removed)):
        if rows:
            table = Table(
                title=f"{t(key, lang)} ({len(rows)})", header_style="bold", title_justify="left"
            )
            for col in ("indicator", "criterion", "measure"):
                table.add_column(t(col, lang))
            table.add_column(t("text", lang), overflow="fold")
            for row in rows:
                table.add_row(row["id"], row["criterion"], row["measure"], row["text"][lang])
            console.print(table)
    for key, changes in (("moved", result.moved), ("changed", result.changed)):
        if changes:
            table = Table(
                title=f"{t(key, lang)} ({len(changes)})", header_style="bold", title_justify="left"
            )
            for col in ("indicator", "measure"):
                table.add_column(t(col, lang))
            table.add_column(t("summary", lang))
            table.add_column(t("per_region_change", lang), overflow="fold")
            for ch in changes:
                ids = ch.from_id if ch.from_id == ch.to_id else f"{ch.from_id} → {ch.to_id}"
                parts = []
                for code, r in ch.regions.items():
                    if r["direction"] not in ("unchanged", "unknown"):
                        parts.append(f"{code}: {fmt(r['from'])}→{fmt(r['to'])}")
                table.add_row(ids, ch.measure, ch.summary, "; ".join(parts))
            console.print(table)
    console.print(f"{t('unchanged', lang)}: {len(result.unchanged)}")


def render_validation(report: ValidationReport, lang: str, console: Console) -> None:
    for f in report.files:
        state = f"[green]{t('ok', lang)}[/green]" if f.ok else f"[red]{t('problems', lang)}[/red]"
        console.print(f"{f.file}: {f.kind} — {state}" + (f" ({f.summary})" if f.summary else ""))
        for issue in f.issues:
            console.print(f"  {issue}", markup=False, highlight=False, soft_wrap=True)
