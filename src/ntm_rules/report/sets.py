"""Rendering `sets`, `show`, `diff` and `validate` results as rich tables."""

from __future__ import annotations

from typing import Any

from rich.console import Console
from rich.table import Table
from rich.text import Text as RichText

from ..issue_text import issue_text
from ..model.views import ValidationReport
from ..sets import SetDiff, SetList, SetView, closed_unknowns
from ..words import fmt, num, region, t
from . import plain, reporter

SYMBOL = {">=": "≥", "<=": "≤", ">": ">", "<": "<", "==": "="}


def _pct(share: float, lang: str) -> str:
    return num(round(100 * share), lang) + "%"


@reporter(SetList, "table", "markdown")
def render_sets(result: SetList, lang: str, console: Console) -> None:
    table = Table(header_style="bold")
    for key in ("set", "decision", "period", "criteria", "indicators", "verified_share"):
        table.add_column(t(key, lang))
    table.add_column(t("cells_head", lang))
    for s in result.sets:
        d = s.to_dict()
        name = RichText()
        name.append(d["id"], style="bold")
        name.append("\n" + d["title"][lang])
        if d["overlay"]:
            extra = t("overlay_of", lang, base=s.criteria_set.base_id)
            if d["overlay"]["partial"]:
                extra += ", " + t("partial", lang)
            if d.get("closes_unknowns") is not None:
                extra += "; " + t(
                    "closes_unknowns", lang, n=d["closes_unknowns"], base=s.criteria_set.base_id
                )
            name.append("\n" + extra, style="dim")
        cells = d["cells"]
        table.add_row(
            name,
            plain(d["decision"]),
            f"{d['period']['from']}–{d['period']['to']} ({t('tier_' + d['tier'], lang)})",
            str(d["criteria"]),
            str(d["indicators"]),
            f"{_pct(d['verified_share'], lang)} "
            f"({t('known', lang)} {_pct(d['known_share'], lang)})",
            f"{cells['verified']} / {cells['unverified']} / {cells['unknown']}",
        )
    console.print(table)
    if result.not_encoded:
        console.print(RichText(t("not_encoded_title", lang) + ":", style="bold"))
    for k in result.not_encoded:
        day = k.in_force if lang != "vi" else f"{k.in_force[8:]}/{k.in_force[5:7]}/{k.in_force[:4]}"
        line = t(
            "not_encoded_line",
            lang,
            decision=k.decision,
            first=k.period[0],
            last=k.period[1],
            in_force=day,
            criteria=k.criteria,
            indicators=k.indicators,
            groups=k.commune_groups,
            why=k.why.get(lang),
            fallback=k.fallback,
        )
        console.print(plain(f"  • {k.id}: {line}"))


def _thr(op: str, value: Any, unit: str, lang: str) -> str:
    if value is None:
        return "?"
    if op == "is true":
        return t("achieved", lang) if value is True else fmt(value, "", lang)
    return f"{SYMBOL.get(op, op)} {fmt(value, unit, lang)}"


def _show_head(view: SetView, lang: str, console: Console) -> None:
    s = view.criteria_set
    console.rule(plain(f"{s.id} — {s.title.get(lang)} ({s.decision})"))
    scope = []
    if view.region:
        scope.append(f"{t('region', lang)} {region(view.region)}")
    if view.year:
        scope.append(f"{t('year', lang)} {view.year}")
    if scope:
        console.print(", ".join(scope))
    if view.base is not None:
        closes = closed_unknowns(s, view.base)
        console.print(plain(t("closes_unknowns", lang, n=closes, base=view.base.id), "bold"))
    for rule in s.region_rules:
        who = " | ".join(rule.categories)
        if rule.and_categories:
            who = f"({who}) + ({' | '.join(rule.and_categories)})"
        mark = "" if rule.verified else " *"
        console.print(
            plain(
                f"{rule.id}: {who} → {region(rule.use_region)} ({rule.source.citation}){mark}",
                "dim",
            )
        )


def _show_row(view: SetView, ind: dict[str, Any], lang: str, used: dict[str, bool]) -> list[Any]:
    s = view.criteria_set
    verified = "✓" if ind["verified"] else ("*" if ind["verified"] is False else "")
    used["unverified"] |= ind["verified"] is False
    thr = _thr(ind["operator"], ind["threshold"], ind["unit"][lang], lang)
    used["unknown"] |= ind["threshold"] is None
    if ind["threshold_year"]:
        thr += f" ({ind['threshold_year']})"
    if len(ind["measures"]) > 1:
        thr += " " + t("more_checks", lang, n=len(ind["measures"]) - 1)
    used["doubt"] |= bool(ind["doubt"])
    src = ind["source"]["citation"] if ind["source"] else ""
    if s.overlay is not None and ind["origin"] == s.overlay.id:
        src = f"({s.overlay.province}) {src}"
    text = RichText(ind["text"][lang])
    text.append("\n" + ind["measure"], style="dim")
    row: list[Any] = [plain(ind["id"] + (" ?" if ind["doubt"] else "")), text, plain(thr)]
    if not view.region:
        regions = ind["thresholds_by_region"].items()
        row.append(
            " ".join(f"{region(r)}:{'?' if v is None else num(v, lang)}" for r, v in regions)
        )
    return [*row, verified, plain(src)]


@reporter(SetView, "table", "markdown")
def render_show(view: SetView, lang: str, console: Console) -> None:
    _show_head(view, lang, console)
    table = Table(header_style="bold", show_lines=False)
    table.add_column(t("indicator", lang))
    table.add_column(t("measure", lang), overflow="fold")
    table.add_column(t("threshold", lang))
    if not view.region:
        table.add_column(t("by_region", lang), overflow="fold")
    table.add_column(t("verified", lang))
    table.add_column(t("source", lang), overflow="fold")
    used = {"doubt": False, "unverified": False, "unknown": False}
    for crit in view.to_dict()["criteria"]:
        head = [RichText(crit["id"], style="bold"), RichText(crit["name"][lang], style="bold")]
        table.add_row(*head, "", *([""] if not view.region else []), "", "")
        for ind in crit["indicators"]:
            table.add_row(*_show_row(view, ind, lang, used))
    console.print(table)
    legend = ["✓ " + t("verified_word", lang)]
    if used["unverified"]:
        legend.append("* " + t("unverified_short", lang))
    if used["unknown"] or used["doubt"]:
        legend.append("? " + t("unknown_or_doubt", lang))
    console.print(plain("  ".join(legend), "dim"))


@reporter(SetDiff, "table", "markdown")
def render_diff(result: SetDiff, lang: str, console: Console) -> None:
    console.rule(
        plain(
            f"{result.from_id} ({result.indicators_from}) → {result.to_id} "
            f"({result.indicators_to}): "
            + t("diff_counts", lang, added=len(result.added), removed=len(result.removed))
        )
    )
    if result.criteria_renamed:
        console.print(RichText(t("renamed", lang), style="bold"))
        for r in result.criteria_renamed:
            console.print(plain(f"  {r['id']}: {r['from'][lang]} → {r['to'][lang]}"))
    for key, rows in (("added", result.added), ("removed", result.removed)):
        if rows:
            table = Table(
                title=f"{t(key, lang)} ({len(rows)})", header_style="bold", title_justify="left"
            )
            for col in ("indicator", "criterion", "measure"):
                table.add_column(t(col, lang))
            table.add_column(t("text", lang), overflow="fold")
            for row in rows:
                table.add_row(
                    plain(row["id"]),
                    plain(row["criterion"]),
                    plain(row["measure"]),
                    plain(row["text"][lang]),
                )
            console.print(table)
    groups = (
        ("remeasured", result.remeasured),
        ("moved", result.moved),
        ("changed", tuple(c for c in result.changed if c.how == "same")),
    )
    for key, changes in groups:
        if not changes:
            continue
        table = Table(
            title=f"{t(key, lang)} ({len(changes)})", header_style="bold", title_justify="left"
        )
        for col in ("indicator", "measure"):
            table.add_column(t(col, lang))
        table.add_column(t("summary", lang))
        table.add_column(t("per_region_change", lang), overflow="fold")
        for ch in changes:
            ids = ch.from_id if ch.from_id == ch.to_id else f"{ch.from_id} → {ch.to_id}"
            measure = (
                ch.measure if ch.measure == ch.measure_to else f"{ch.measure} → {ch.measure_to}"
            )
            parts = [
                f"{region(code)}: {num(r['from'], lang)}→{num(r['to'], lang)}"
                for code, r in ch.regions.items()
                if r["direction"] not in ("unchanged", "unknown", "remeasured")
            ]
            summary = ", ".join(t("change_" + k, lang) for k in ch.kinds)
            table.add_row(plain(ids), plain(measure), summary, "; ".join(parts))
        console.print(table)
    console.print(f"{t('unchanged', lang)}: {len(result.unchanged)}")


@reporter(ValidationReport, "table", "markdown")
def render_validation(report: ValidationReport, lang: str, console: Console) -> None:
    for f in report.files:
        line = plain(f"{f.file}: {t('kind_' + f.kind, lang)} — ")
        line.append(t("ok", lang) if f.ok else t("problems", lang), "green" if f.ok else "red")
        if f.summary:
            line.append(plain(f" ({f.summary_text(lang)})"))
        console.print(line)
        for issue in f.issues:
            console.print(plain(f"  {issue_text(issue, lang)}"), soft_wrap=True)
