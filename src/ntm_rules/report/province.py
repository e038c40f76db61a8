"""Rendering a whole province (`batch`) in the terminal or as Markdown, from its JSON."""

from __future__ import annotations

from typing import Any

from rich.console import Console
from rich.table import Table
from rich.text import Text as RichText

from ..province import ProvinceResult
from ..words import num, t
from ..words import region as region_name
from . import decisive, md, plain, reporter
from .conditions import assumptions_line
from .figures import (
    band_rows,
    below_header,
    below_text,
    mean_text,
    rows_banner,
    target_lines,
    target_title,
)

HEAD = ("communes", "v_certified", "sheet_not_certified", "v_indeterminate", "mean_met")
STATE_STYLE = {"met": "green", "not_met": "red", "undecided": "yellow"}


def _pct(value: float | None, lang: str) -> str:
    return "—" if value is None else num(round(100 * value), lang) + "%"


def _headline(summary: dict[str, Any], lang: str) -> list[str]:
    pct = num(round(summary["certified_pct"], 1), lang, 1)
    return [
        num(summary["total"], lang),
        f"{num(summary['certified'], lang)} ({pct}%)",
        num(summary["not_certified"], lang),
        num(summary["indeterminate"], lang),
        mean_text(summary, lang),
        below_text(summary, lang),
    ]


def _culprit_text(row: dict[str, Any], lang: str) -> str:
    crits: dict[str, list[str]] = {}
    for c in row["culprits"]:
        crits.setdefault(c["criterion"], []).append(f"{c['indicator']} {t(c['cause'], lang)}")
    return "; ".join(f"{t('criterion_short', lang)} {k}: {', '.join(v)}" for k, v in crits.items())


def _lost_name(row: dict[str, Any], lang: str) -> str:
    name = row["commune"]
    if row.get("provisional"):
        name += f" ({t('provisional_short', lang)})"
    if row.get("recorded"):
        name += f" [{t('recognized_in', lang, year=row['recorded']['year'])}]"
    return str(name)


def _sets(data: dict[str, Any], lang: str, console: Console) -> None:
    banner = rows_banner(data, lang)
    if banner:
        console.print(plain(banner, "bold red"))
    line = assumptions_line(data.get("assumptions") or [], lang)
    if line:
        console.print(plain(line, "bold magenta"))
    for set_id, summary in data["sets"].items():
        console.rule(plain(f"{set_id} — {summary['title'][lang]} ({summary['decision']})"))
        overlay = summary.get("overlay") or {}
        if overlay.get("loosened"):
            ids = ", ".join(overlay["loosened"])
            line = t("note_loosens", lang, set=overlay["id"], ids=ids, why=overlay["loosens"])
            console.print(plain(line, "bold red"))
        if summary.get("not_in_force"):
            console.print(plain(summary["not_in_force"]["note"][lang], "bold yellow"))
        table = Table(header_style="bold")
        table.add_column(t("region", lang) + " / " + t("district", lang))
        for col in HEAD:
            table.add_column(t(col, lang), justify="right")
        table.add_column(below_header(summary, lang), justify="right")
        table.add_row(RichText(t("total_all", lang), style="bold"), *_headline(summary, lang))
        table.add_section()
        for code, row in summary["by_region"].items():
            table.add_row(plain(region_name(code)), *_headline(row, lang))
        table.add_section()
        table.add_row(RichText(t("district", lang), style="bold"), *([""] * (len(HEAD) + 1)))
        for district, row in summary["by_district"].items():
            table.add_row(plain(district), *_headline(row, lang))
        console.print(table)
        console.print(plain(t("figures_legend", lang), "dim"))
        if summary["unverified_used"]:
            used = ", ".join(summary["unverified_used"])
            console.print(plain(f"{t('unverified_mark', lang)}: {used}", "yellow"))
        if summary.get("assumed_used"):
            used = ", ".join(summary["assumed_used"])
            console.print(plain(f"{t('assumed_used', lang)}: {used}", "magenta"))
        _bands(summary, lang, console)
        _targets(summary, lang, console)


def _bands(summary: dict[str, Any], lang: str, console: Console) -> None:
    rows = band_rows(summary, lang)
    if not rows:
        return
    table = Table(title=t("bands_title", lang), header_style="bold", title_justify="left")
    table.add_column(t("band", lang))
    table.add_column(t("band_definite", lang), justify="right")
    table.add_column(t("band_possible", lang), justify="right")
    for row in rows:
        table.add_row(*row)
    console.print(table)


def _targets(summary: dict[str, Any], lang: str, console: Console) -> None:
    lines = target_lines(summary, lang)
    if not lines:
        return
    console.print(RichText(target_title(summary, lang), style="bold"))
    for text, state in lines:
        line = RichText(f"  {text}: ")
        line.append(t("state_" + state, lang), style=STATE_STYLE[state])
        console.print(line)


def _transitions(data: dict[str, Any], lang: str, console: Console) -> None:
    if "transitions" not in data:
        return
    counts = ", ".join(f"{t(k, lang)}: {v}" for k, v in data["transitions"].items())
    if data.get("lost_provisional"):
        counts += f" ({t('lost', lang)}: {data['lost_provisional']} {t('provisional_short', lang)})"
    line = RichText(f"{t('transition', lang)} {data['from']} → {data['to']}: ", style="bold")
    line.append(counts, style="")
    console.print(line)


def _lost(data: dict[str, Any], lang: str, console: Console) -> None:
    if not data.get("lost"):
        return
    table = Table(title=t("lost", lang), header_style="bold", title_justify="left")
    for col in ("commune", "district", "culprits"):
        table.add_column(t(col, lang), overflow="fold")
    for row in data["lost"]:
        table.add_row(
            plain(_lost_name(row, lang)), plain(row["district"]), _culprit_text(row, lang)
        )
    console.print(table)
    if any(row.get("recorded") for row in data["lost"]):
        console.print(plain(t("recorded_legend", lang), "dim"))


def _tiers(data: dict[str, Any], lang: str, console: Console) -> None:
    if "tiers" in data:
        highest = data["tiers"]["highest"].items()
        counts = ", ".join(f"{t('tier_' + k, lang)}: {v}" for k, v in highest)
        console.print(RichText(f"{t('highest_tier', lang)}: ", style="bold") + counts)


def _gap_pct(h: dict[str, Any], lang: str) -> str:
    gap = h["median_gap_pct"]
    return "—" if gap is None else num(round(gap, 1), lang, 1) + "%"


HARD_COLS = ("hard_col_criterion", "hard_col_rate", "hard_col_count", "hard_col_gap",
             "hard_col_near")  # fmt: skip


def _hard_rows(data: dict[str, Any], lang: str, top: int) -> list[tuple[str, list[list[str]]]]:
    """Per set (in the order of the run), its failing criteria ranked by fail rate."""
    out = []
    for sid in data["sets"]:
        rows = [h for h in data["hard_criteria"] if h["set"] == sid and h["fail_rate"]][:top]
        cells = [
            [
                f"{h['criterion']} {h['name'][lang]}",
                _pct(h["fail_rate"], lang),
                f"{h['failing']} / {h['with_data']}",
                _gap_pct(h, lang),
                str(h["near_miss"]),
            ]
            for h in rows
        ]
        if cells:
            out.append((sid, cells))
    return out


def _hard_legend(data: dict[str, Any], lang: str) -> str:
    return t("hard_legend", lang, share=num(round(100 * float(data["near_miss_share"])), lang))


def _hard(data: dict[str, Any], lang: str, console: Console, top: int = 10) -> None:
    found = _hard_rows(data, lang, top)
    for sid, rows in found:
        title = f"{t('hard', lang)} — {sid}"
        table = Table(title=plain(title), header_style="bold", title_justify="left")
        for k, col in enumerate(HARD_COLS):
            table.add_column(t(col, lang), justify="left" if k == 0 else "right")
        for row in rows:
            table.add_row(*(plain(c) for c in row))
        console.print(table)
    if found:
        console.print(plain(_hard_legend(data, lang), "dim"))


def _gaps(data: dict[str, Any], lang: str, console: Console, top: int = 10) -> None:
    missing = list(data["missing_measures"].items())[:top]
    if missing:
        listed = ", ".join(f"{k} ({v})" for k, v in missing)
        console.print(plain(t("missing_data_list", lang) + listed))
    if data["row_errors"]:
        console.print(plain(t("rows_skipped", lang, n=len(data["row_errors"])), "red"))


def _conflicts(data: dict[str, Any], lang: str, console: Console) -> None:
    found = data.get("appraisal_conflicts") or []
    if not found:
        return
    table = Table(title=t("conflict_line", lang), header_style="bold", title_justify="left")
    for col in ("commune", "set", "indicator", "computed", "appraisal"):
        table.add_column(t(col, lang), overflow="fold")
    for row in found:
        a = row["appraisal"] or {}
        said = t("achieved" if a.get("result") == "pass" else "not_achieved", lang)
        table.add_row(
            plain(row["commune"]),
            plain(row["set"]),
            plain(row["indicator"]),
            t(row["computed"], lang),
            plain(f"{said} ({a.get('decision', '')})"),
        )
    console.print(table)


SECTIONS = (_sets, _transitions, _lost, _conflicts, _tiers, _hard, decisive.render, _gaps)


def render_data(data: dict[str, Any], lang: str, console: Console) -> None:
    for section in SECTIONS:
        section(data, lang, console)


@reporter(ProvinceResult, "table")
def render_province(result: ProvinceResult, lang: str, console: Console) -> None:
    render_data(result.to_dict(), lang, console)
    if result.years is not None:
        from .years import render_province_years

        render_province_years(result.years, lang, console)


def markdown(data: dict[str, Any], lang: str) -> str:
    out = [
        f"# {t('report_title', lang)} — {num(data['communes'], lang)} {t('communes_word', lang)}",
        "",
    ]
    banner = rows_banner(data, lang)
    if banner:
        out += [f"**{md(banner)}**", ""]
    for set_id, summary in data["sets"].items():
        names = [*(t(k, lang) for k in HEAD), below_header(summary, lang)]
        head = "| | " + " | ".join(names) + " |"
        out += [
            f"## {md(set_id)} — {md(summary['title'][lang])}",
            "",
            head,
            "|---" * (len(names) + 1) + "|",
            f"| **{t('total_all', lang)}** | " + " | ".join(_headline(summary, lang)) + " |",
        ]
        for code, row in summary["by_region"].items():
            out.append(f"| {md(region_name(code))} | " + " | ".join(_headline(row, lang)) + " |")
        for district, row in summary["by_district"].items():
            out.append(f"| {md(district)} | " + " | ".join(_headline(row, lang)) + " |")
        out += ["", md(t("figures_legend", lang)), ""]
        out += _markdown_figures(summary, lang)
    if "transitions" in data:
        out += [
            f"## {t('transition', lang)} {md(data['from'])} → {md(data['to'])}",
            "",
            ", ".join(f"{t(k, lang)}: {v}" for k, v in data["transitions"].items()),
            "",
        ]
        for row in data.get("lost", []):
            crits = sorted({c["criterion"] for c in row["culprits"]})
            out.append(f"- {md(_lost_name(row, lang))} ({md(row['district'])}): {', '.join(crits)}")
        out.append("")
    for sid, rows in _hard_rows(data, lang, 15):
        out += [
            f"## {t('hard', lang)} — {md(sid)}",
            "",
            "| " + " | ".join(t(k, lang) for k in HARD_COLS) + " |",
            "|---" * len(HARD_COLS) + "|",
        ]
        out += ["| " + " | ".join(md(c) for c in row) + " |" for row in rows]
        out.append("")
    if data["hard_criteria"]:
        out += [f"_{md(_hard_legend(data, lang))}_", ""]
    out += decisive.markdown(data, lang)
    return "\n".join(out) + "\n"


def _markdown_figures(summary: dict[str, Any], lang: str) -> list[str]:
    out: list[str] = []
    rows = band_rows(summary, lang)
    if rows:
        heads = [t(k, lang) for k in ("band", "band_definite", "band_possible")]
        out += [f"**{md(t('bands_title', lang))}**", "", "| " + " | ".join(heads) + " |"]
        out.append("|---" * 3 + "|")
        out += [f"| {a} | {b} | {p} |" for a, b, p in rows]
        out.append("")
    lines = target_lines(summary, lang)
    if lines:
        out += [f"**{md(target_title(summary, lang))}**", ""]
        out += [f"- {md(text)}: {t('state_' + state, lang)}" for text, state in lines]
        out.append("")
    return out


@reporter(ProvinceResult, "markdown")
def render_province_markdown(result: ProvinceResult, lang: str, console: Console) -> None:
    text = markdown(result.to_dict(), lang)
    if result.years is not None:
        from .years import province_years_markdown

        text += "\n" + province_years_markdown(result.years, lang)
    console.file.write(text)
