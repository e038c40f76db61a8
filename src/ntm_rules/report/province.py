"""Rendering a batch (a whole province) in the terminal or as Markdown."""

from __future__ import annotations

from typing import Any

from rich.console import Console
from rich.table import Table

from ..words import t


def _pct(value: float | None) -> str:
    return "—" if value is None else f"{100 * value:.0f}%"


def _headline_rows(summary: dict[str, Any]) -> list[str]:
    return [
        str(summary["total"]),
        f"{summary['certified']} ({summary['certified_pct']:.1f}%)",
        str(summary["not_certified"]),
        str(summary["indeterminate"]),
        f"{summary['criteria_met_mean']:.1f}",
        str(summary["below_15"]),
    ]


HEAD = {
    "vi": ["Số xã", "Đạt chuẩn", "Chưa đạt", "Chưa xác định", "TB tiêu chí đạt", "Dưới 15 TC"],
    "en": [
        "Communes",
        "Certified",
        "Not certified",
        "Undetermined",
        "Mean criteria met",
        "Below 15",
    ],
}


def render_batch(data: dict[str, Any], lang: str, console: Console, top: int = 10) -> None:
    for set_id, summary in data["sets"].items():
        console.rule(f"{set_id} — {summary['title'][lang]} ({summary['decision']})")
        table = Table(header_style="bold")
        table.add_column(t("region", lang) + " / " + ("Huyện" if lang == "vi" else "District"))
        for col in HEAD[lang]:
            table.add_column(col, justify="right")
        table.add_row(
            "[bold]" + ("Tổng" if lang == "vi" else "All") + "[/bold]", *_headline_rows(summary)
        )
        table.add_section()
        for region, row in summary["by_region"].items():
            table.add_row(region, *_headline_rows(row))
        table.add_section()
        table.add_row(
            "[bold]" + ("Huyện" if lang == "vi" else "District") + "[/bold]",
            *([""] * len(HEAD[lang])),
        )
        for district, row in summary["by_district"].items():
            table.add_row(district, *_headline_rows(row))
        console.print(table)
        if summary["unverified_used"]:
            console.print(
                f"[yellow]{t('unverified_mark', lang)}: "
                f"{', '.join(summary['unverified_used'])}[/yellow]"
            )
    if "transitions" in data:
        counts = ", ".join(f"{t(k, lang)}: {v}" for k, v in data["transitions"].items())
        if data.get("lost_provisional"):
            counts += (
                f" ({t('lost', lang)}: {data['lost_provisional']} {t('provisional_short', lang)})"
            )
        console.print(
            f"[bold]{t('transition', lang)} {data['from']} → {data['to']}:[/bold] {counts}"
        )
    if data.get("lost"):
        table = Table(title=t("lost", lang), header_style="bold", title_justify="left")
        for col in ("Xã/Commune", "Huyện/District", t("culprits", lang)):
            table.add_column(col, overflow="fold")
        for row in data["lost"]:
            crits: dict[str, list[str]] = {}
            for c in row["culprits"]:
                crits.setdefault(c["criterion"], []).append(
                    f"{c['indicator']} {t(c['cause'], lang)}"
                )
            name = row["commune"] + (
                f" ({t('provisional_short', lang)})" if row.get("provisional") else ""
            )
            table.add_row(
                name,
                row["district"],
                "; ".join(f"TC {k}: {', '.join(v)}" for k, v in crits.items()),
            )
        console.print(table)
    if "tiers" in data:
        counts = ", ".join(
            f"{t('tier_' + k, lang)}: {v}" for k, v in data["tiers"]["highest"].items()
        )
        console.print(f"[bold]{t('highest_tier', lang)}:[/bold] {counts}")
    hard = [h for h in data["hard_criteria"] if h["fail_rate"]][:top]
    if hard:
        table = Table(
            title=("Tiêu chí khó đạt" if lang == "vi" else "Hardest criteria"),
            header_style="bold",
            title_justify="left",
        )
        for col in (
            t("set", lang),
            t("criterion", lang),
            t("fail_rate", lang),
            t("failing_with_data", lang),
            t("median_gap", lang),
            t("near_miss", lang),
        ):
            table.add_column(col)
        for h in hard:
            gap = "—" if h["median_gap_pct"] is None else f"{h['median_gap_pct']:.1f}%"
            table.add_row(
                h["set"],
                f"{h['criterion']} {h['name'][lang]}",
                _pct(h["fail_rate"]),
                f"{h['failing']} / {h['with_data']}",
                gap,
                str(h["near_miss"]),
            )
        console.print(table)
    missing = list(data["missing_measures"].items())[:top]
    if missing:
        console.print(
            ("Thiếu số liệu: " if lang == "vi" else "Missing data: ")
            + ", ".join(f"{k} ({v})" for k, v in missing)
        )
    if data["row_errors"]:
        console.print(
            f"[red]{len(data['row_errors'])} "
            + ("dòng lỗi bị bỏ qua" if lang == "vi" else "rows skipped with errors")
            + "[/red]"
        )


def render_batch_markdown(data: dict[str, Any], lang: str) -> str:
    out = [f"# NTM — {data['communes']} " + ("xã" if lang == "vi" else "communes"), ""]
    for set_id, summary in data["sets"].items():
        out += [
            f"## {set_id} — {summary['title'][lang]}",
            "",
            "| | " + " | ".join(HEAD[lang]) + " |",
            "|---" * 7 + "|",
            "| **"
            + ("Tổng" if lang == "vi" else "All")
            + "** | "
            + " | ".join(_headline_rows(summary))
            + " |",
        ]
        for region, row in summary["by_region"].items():
            out.append(f"| {region} | " + " | ".join(_headline_rows(row)) + " |")
        for district, row in summary["by_district"].items():
            out.append(f"| {district} | " + " | ".join(_headline_rows(row)) + " |")
        out.append("")
    if "transitions" in data:
        out += [
            f"## {t('transition', lang)} {data['from']} → {data['to']}",
            "",
            ", ".join(f"{t(k, lang)}: {v}" for k, v in data["transitions"].items()),
            "",
        ]
        for row in data.get("lost", []):
            crits = sorted({c["criterion"] for c in row["culprits"]})
            out.append(f"- {row['commune']} ({row['district']}): {', '.join(crits)}")
        out.append("")
    out += [
        "## " + ("Tiêu chí khó đạt" if lang == "vi" else "Hardest criteria"),
        "",
        "| set | criterion | fail rate | failing / with data | median gap | near miss |",
        "|---|---|---|---|---|---|",
    ]
    for h in [h for h in data["hard_criteria"] if h["fail_rate"]][:15]:
        gap = "—" if h["median_gap_pct"] is None else f"{h['median_gap_pct']:.1f}%"
        out.append(
            f"| {h['set']} | {h['criterion']} {h['name'][lang]} | {_pct(h['fail_rate'])}"
            f" | {h['failing']} / {h['with_data']} | {gap} | {h['near_miss']} |"
        )
    return "\n".join(out) + "\n"
