"""Progress over years as lines and tables (terminal and Markdown): verdicts year by year, the
criteria gained and lost, each indicator's trend, the growth check of income and the revocation
watch. Built from :mod:`ntm_rules.model.years`; every word comes from the word table."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

from rich.console import Console
from rich.table import Table

from ..model.years import CommuneYears, GrowthCheck, IndicatorTrend, ProvinceYears
from ..words import fmt, num, t
from . import md, plain


def _verdict(v: str, lang: str) -> str:
    return t(v, lang)


def verdict_lines(cy: CommuneYears, lang: str) -> list[str]:
    """One line per year, then one per change between consecutive assessments."""
    out = [
        t("yr_verdict_line", lang, year=y, verdict=_verdict(v, lang), met=m, total=n)
        for y, v, m, n in zip(
            cy.years, cy.verdicts, cy.criteria_met, cy.criteria_total, strict=True
        )
    ]
    for ch in cy.changes:
        a, b, was = ch.from_year, ch.to_year, _verdict(ch.from_verdict, lang)
        if ch.changed:
            head = t("yr_change", lang, a=a, b=b, from_v=was, to_v=_verdict(ch.to_verdict, lang))
        else:
            head = t("yr_unchanged", lang, a=a, b=b, v=was)
        more = []
        if ch.gained:
            more.append(t("yr_gained", lang, ids=", ".join(ch.gained)))
        if ch.lost:
            more.append(t("yr_lost", lang, ids=", ".join(ch.lost)))
        if ch.undecided:
            more.append(t("yr_undecided", lang, ids=", ".join(ch.undecided)))
        out.append(head + ("; " + "; ".join(more) if more else ""))
    return out


def growth_line(g: GrowthCheck, lang: str, set_id: str) -> str:
    unit = g.unit.get(lang)
    head = t(
        "yr_growth",
        lang,
        ind=g.indicator,
        measure=g.measure,
        rate=num(round(100 * g.growth, 1), lang) + "%",
        y0=g.first_year,
        y1=g.last_year,
        next=g.next_year,
        projected=fmt(round(g.projected, 2), unit, lang),
    )
    if g.reason == "outside_period":
        tail = t("yr_growth_outside", lang, next=g.next_year, set=set_id)
    elif g.reason == "unknown":
        projected = fmt(round(g.projected, 2), unit, lang)
        tail = t("yr_growth_unknown", lang, next=g.next_year, projected=projected)
    else:
        key = "yr_growth_reaches" if g.reaches else "yr_growth_short"
        level = fmt(g.next_threshold, unit, lang) + ("" if g.verified else " *")
        tail = t(key, lang, next=g.next_year, level=level)
    return f"{head}; {tail}"


def watch_line(cy: CommuneYears, lang: str) -> str:
    rv = cy.revocation
    if rv is None:
        return ""
    years = ", ".join(str(y) for y in rv.years)
    rec = ""
    if rv.recognized is not None:
        rec = f"{rv.recognized.set}, {rv.recognized.year}"
    key = {True: "yr_watch_yes", None: "yr_watch_maybe"}.get(rv.watch, "yr_watch_no")
    return t(key, lang, rec=rec, years=years)


def _trend_cells(tr: IndicatorTrend, lang: str) -> list[str]:
    unit = tr.unit.get(lang)
    cells = [tr.indicator]
    for value, status in zip(tr.values, tr.statuses, strict=True):
        mark = {"pass": "✓", "fail": "✗"}.get(status, "?" if status else "")
        cells.append(f"{fmt(value, unit, lang)} {mark}".strip() if value is not None else "—")
    change = ""
    if tr.change is not None:
        sign = "+" if tr.change > 0 else "−" if tr.change < 0 else ""
        change = sign + fmt(abs(round(tr.change, 4)), unit, lang, points=True)
    cells.append(change)
    cells.append(t("yr_" + tr.direction, lang) if tr.direction else "")
    return cells


def _shown(cy: CommuneYears) -> list[IndicatorTrend]:
    """The indicators whose value or status changed over the years."""
    return [tr for tr in cy.trends if len(set(tr.values)) > 1 or tr.status_changed]


def render_years(cy: CommuneYears, lang: str, console: Console) -> None:
    console.rule(plain(t("yr_title", lang, name=cy.commune, set=cy.set_id)))
    console.print(plain(t("yr_same_set", lang), "dim"))
    for line in verdict_lines(cy, lang):
        console.print(plain(line))
    shown = _shown(cy)
    if shown:
        table = Table(header_style="bold")
        table.add_column(t("yr_col_indicator", lang))
        for y in cy.years:
            table.add_column(str(y), justify="right")
        table.add_column(t("yr_col_change", lang), justify="right")
        table.add_column(t("yr_col_direction", lang))
        for tr in shown:
            table.add_row(*(plain(c) for c in _trend_cells(tr, lang)))
        console.print(table)
        console.print(plain(t("yr_marks", lang), "dim"))
    hidden = len(cy.trends) - len(shown)
    if hidden:
        console.print(plain(t("yr_hidden", lang, n=hidden), "dim"))
    for g in cy.growth:
        console.print(plain(growth_line(g, lang, cy.set_id), "bold"))
    line = watch_line(cy, lang)
    if line:
        style = "bold red" if cy.revocation and cy.revocation.watch else ""
        console.print(plain(line, style))


def years_markdown(cy: CommuneYears, lang: str) -> str:
    out = [f"## {md(t('yr_title', lang, name=cy.commune, set=cy.set_id))}", ""]
    out += [f"_{md(t('yr_same_set', lang))}_", ""]
    out += [f"- {md(line)}" for line in verdict_lines(cy, lang)]
    shown = _shown(cy)
    if shown:
        heads = [t("yr_col_indicator", lang), *map(str, cy.years)]
        heads += [t("yr_col_change", lang), t("yr_col_direction", lang)]
        out += ["", "| " + " | ".join(heads) + " |", "|---" * len(heads) + "|"]
        out += ["| " + " | ".join(md(c) for c in _trend_cells(tr, lang)) + " |" for tr in shown]
        out += ["", f"_{md(t('yr_marks', lang))}_"]
    out.append("")
    out += [f"- {md(growth_line(g, lang, cy.set_id))}" for g in cy.growth]
    line = watch_line(cy, lang)
    if line:
        out.append(f"- **{md(line)}**")
    return "\n".join([*out, ""])


# --- batch ----------------------------------------------------------------------------------


def watch_text(rv: Mapping[str, Any] | None, lang: str, frames: bool = True) -> str:
    """The revocation watch of a series (its JSON): ``có (2022: a, 2023: a, 2024: ?)``, or ""
    when it is not watched; without `frames`, the word alone."""
    if not rv or rv.get("watch") is False:
        return ""
    word = t("yr_watch_word_yes" if rv.get("watch") else "yr_watch_word_maybe", lang)
    if not frames:
        return word
    years, states, cases = rv.get("years") or [], rv.get("in_frame") or [], rv.get("cases") or []
    shown = ", ".join(
        f"{y}: {'?' if f is None else (c or '—') if f else '—'}"
        for y, f, c in zip(years, states, cases, strict=False)
    )
    return f"{word} ({shown})"


def series_cells(
    s: Mapping[str, Any], lang: str, verdict: Callable[[str], str], watch: bool = False
) -> list[str]:
    """One commune's series (its JSON) as cells: name, years, verdicts, criteria met (and the
    watch); `verdict` writes a verdict code as the medium does."""
    pairs = zip(s.get("criteria_met") or [], s.get("criteria_total") or [], strict=False)
    cells = [
        str(s.get("commune") or ""),
        ", ".join(str(y) for y in s.get("years") or []),
        " → ".join(verdict(str(v)) for v in s.get("verdicts") or []),
        " → ".join(f"{m}/{n}" for m, n in pairs),
    ]
    return [*cells, watch_text(s.get("revocation_watch"), lang)] if watch else cells


_KEYS = ("commune", "years", "verdicts", "criteria")


def moving(indicators: Sequence[Mapping[str, Any]], top: int = 10) -> list[Mapping[str, Any]]:
    """The indicators (their JSON) whose count of passing communes moved most between the
    first and the last year (largest change first; equal changes in the set's order)."""
    moved = [i for i in indicators if len(i["passing"]) > 1 and i["passing"][-1] != i["passing"][0]]
    return sorted(moved, key=lambda i: -abs(int(i["passing"][-1]) - int(i["passing"][0])))[:top]


def moving_cells(ind: Mapping[str, Any]) -> list[str]:
    """Indicator, passing / decided per year, change (last − first)."""
    cells = [str(ind["indicator"])]
    cells += [f"{p}/{d}" for p, d in zip(ind["passing"], ind["decided"], strict=False)]
    change = int(ind["passing"][-1]) - int(ind["passing"][0])
    return [*cells, f"{'+' if change > 0 else '−'}{abs(change)}"]


def render_province_years(py: ProvinceYears, lang: str, console: Console) -> None:
    console.print(plain(t("yr_batch_title", lang, set=py.set_id), "bold"))
    console.print(plain(t("yr_batch_note", lang, n=py.communes, rows=py.earlier_rows)))
    for title, rows, none in (
        ("yr_batch_changed", py.changed, "yr_batch_none_changed"),
        ("yr_batch_watch", py.watch, "yr_batch_none_watch"),
    ):
        if not rows:
            console.print(plain(t(none, lang)))
            continue
        watch = title == "yr_batch_watch"
        table = Table(title=plain(t(title, lang)), title_justify="left", header_style="bold")
        for key in (*_KEYS, *(("watch",) if watch else ())):
            table.add_column(t("yr_col_" + key, lang))
        for cy in rows:
            cells = series_cells(cy.to_dict(), lang, lambda v: t(v, lang), watch)
            table.add_row(*(plain(c) for c in cells))
        console.print(table)
    if py.watch:
        console.print(plain(t("yr_watch_legend", lang), "dim"))
    moved = moving([i.to_dict() for i in py.indicators])
    if moved:
        years = moved[0]["years"]
        heading = plain(t("yr_batch_moving", lang))
        table = Table(title=heading, title_justify="left", header_style="bold")
        table.add_column(t("yr_col_indicator", lang))
        for y in years:
            table.add_column(str(y), justify="right")
        table.add_column(t("yr_col_change_total", lang), justify="right")
        for ind in moved:
            table.add_row(*(plain(c) for c in moving_cells(ind)))
        console.print(table)
        console.print(plain(t("yr_moving_legend", lang), "dim"))


def province_years_markdown(py: ProvinceYears, lang: str) -> str:
    out = [f"## {md(t('yr_batch_title', lang, set=py.set_id))}", ""]
    out += [md(t("yr_batch_note", lang, n=py.communes, rows=py.earlier_rows)), ""]
    for title, rows, none in (
        ("yr_batch_changed", py.changed, "yr_batch_none_changed"),
        ("yr_batch_watch", py.watch, "yr_batch_none_watch"),
    ):
        out += [f"### {md(t(title, lang))}", ""]
        if not rows:
            out += [md(t(none, lang)), ""]
            continue
        watch = title == "yr_batch_watch"
        heads = [t("yr_col_" + k, lang) for k in (*_KEYS, *(("watch",) if watch else ()))]
        out += ["| " + " | ".join(heads) + " |", "|---" * len(heads) + "|"]
        for cy in rows:
            cells = series_cells(cy.to_dict(), lang, lambda v: t(v, lang), watch)
            out.append("| " + " | ".join(md(c) for c in cells) + " |")
        out.append("")
    if py.watch:
        out += [f"_{md(t('yr_watch_legend', lang))}_", ""]
    moved = moving([i.to_dict() for i in py.indicators])
    if moved:
        heads = [t("yr_col_indicator", lang), *map(str, moved[0]["years"])]
        heads.append(t("yr_col_change_total", lang))
        out += [f"### {md(t('yr_batch_moving', lang))}", ""]
        out += ["| " + " | ".join(heads) + " |", "|---" * len(heads) + "|"]
        out += ["| " + " | ".join(md(c) for c in moving_cells(i)) + " |" for i in moved]
        out += ["", f"_{md(t('yr_moving_legend', lang))}_", ""]
    return "\n".join(out)
