"""`compare`: the transition of many communes from one set to another."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Any

from rich.console import Console
from rich.table import Table

from .model.results import CommuneReport
from .words import t

OUTCOMES = ("kept", "lost", "gained", "never", "indeterminate")


@dataclass(frozen=True)
class CompareView:
    from_set: str
    to_set: str
    reports: tuple[CommuneReport, ...]

    def counts(self) -> dict[str, int]:
        found = Counter(r.transition.outcome for r in self.reports if r.transition)
        return {o: found.get(o, 0) for o in OUTCOMES}

    def to_dict(self) -> dict[str, Any]:
        return {
            "from": self.from_set,
            "to": self.to_set,
            "transitions": self.counts(),
            "communes": [r.to_dict() for r in self.reports],
        }


def render_compare(view: CompareView, lang: str, console: Console, markdown: bool = False) -> None:
    rows = []
    for r in view.reports:
        tr = r.transition
        assert tr is not None
        old, new = r.evaluations
        crits = sorted({c.criterion for c in tr.culprits}, key=lambda x: (len(x), x))
        rows.append(
            (
                r.commune["name"],
                r.commune.get("district", ""),
                f"{t(str(old.verdict), lang)} ({old.criteria_met}/{old.criteria_total})",
                f"{t(str(new.verdict), lang)} ({new.criteria_met}/{new.criteria_total})",
                (t(tr.outcome, lang) if tr.outcome != "indeterminate" else t("indeterminate", lang))
                + (f" ({t('provisional_short', lang)})" if tr.provisional else ""),
                ", ".join(crits),
            )
        )
    head = [
        "Xã/Commune",
        "Huyện/District",
        view.from_set,
        view.to_set,
        t("transition", lang),
        t("culprits", lang),
    ]
    if markdown:
        console.file.write("| " + " | ".join(head) + " |\n" + "|---" * len(head) + "|\n")
        for row in rows:
            console.file.write("| " + " | ".join(row) + " |\n")
        console.file.write(
            "\n" + ", ".join(f"{t(k, lang)}: {v}" for k, v in view.counts().items()) + "\n"
        )
        return
    table = Table(header_style="bold")
    for col in head:
        table.add_column(col, overflow="fold")
    for row in rows:
        table.add_row(*row)
    console.print(table)
    console.print(", ".join(f"{t(k, lang)}: {v}" for k, v in view.counts().items()))
