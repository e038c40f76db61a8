"""Rendering `compare` (many communes' transitions old -> new) in the terminal or as Markdown."""

from __future__ import annotations

from rich.console import Console
from rich.table import Table

from ..model.results import Outcome
from ..model.views import CompareView
from ..words import t
from . import md, plain, reporter
from .commune import assumed_line

ORDER = {
    Outcome.LOST: 0,
    Outcome.INDETERMINATE: 1,
    Outcome.NEVER: 2,
    Outcome.GAINED: 3,
    Outcome.KEPT: 4,
}


def _compare_rows(view: CompareView, lang: str) -> list[tuple[str, ...]]:
    rows: list[tuple[str, ...]] = []
    reports = sorted(
        view.reports,
        key=lambda r: ORDER[r.transition.outcome] if r.transition else 9,
    )
    for r in reports:
        tr = r.transition
        assert tr is not None
        old, new = r.evaluations
        crits = sorted({c.criterion for c in tr.culprits}, key=lambda x: (len(x), x))
        before = f"{t(str(old.verdict), lang)} ({old.criteria_met}/{old.criteria_total})"
        if tr.recorded is not None:
            before = f"{t('recognized_in', lang, year=tr.recorded.year)} ({before})"
        rows.append(
            (
                r.commune.name,
                r.commune.district,
                before,
                f"{t(str(new.verdict), lang)} ({new.criteria_met}/{new.criteria_total})",
                t(str(tr.outcome), lang)
                + (f" ({t('provisional_short', lang)})" if tr.provisional else ""),
                ", ".join(crits),
            )
        )
    return rows


def _compare_head(view: CompareView, lang: str) -> list[str]:
    return [
        t("commune", lang),
        t("district", lang),
        view.from_set,
        view.to_set,
        t("transition", lang),
        t("culprits", lang),
    ]


def _counts(view: CompareView, lang: str) -> str:
    return ", ".join(f"{t(k, lang)}: {v}" for k, v in view.counts().items())


@reporter(CompareView, "table")
def render_compare(view: CompareView, lang: str, console: Console) -> None:
    assumed_line(view.assumptions, lang, console)
    table = Table(header_style="bold")
    for col in _compare_head(view, lang):
        table.add_column(col, overflow="fold")
    for row in _compare_rows(view, lang):
        table.add_row(*(plain(cell) for cell in row))
    console.print(table)
    console.print(_counts(view, lang))


@reporter(CompareView, "markdown")
def render_compare_markdown(view: CompareView, lang: str, console: Console) -> None:
    head = _compare_head(view, lang)
    console.file.write("| " + " | ".join(md(h) for h in head) + " |\n" + "|---" * len(head) + "|\n")
    for row in _compare_rows(view, lang):
        console.file.write("| " + " | ".join(md(cell) for cell in row) + " |\n")
    console.file.write("\n" + _counts(view, lang) + "\n")


# --- explain --------------------------------------------------------------------------------
