"""The results of the use cases that gather several results: `check` (one report per
commune), `compare` (transitions of many communes), `explain` (one criterion of one commune)
and `validate` (one report per file)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from ..errors import Issue
from ..words import t
from .assumptions import Assumption
from .commune import Commune
from .results import CommuneReport, Evaluation, Outcome

if TYPE_CHECKING:  # imported for the annotation only: one commune has no series
    from .years import CommuneYears


@dataclass(frozen=True)
class CheckRun:
    """`ntm-check check`: one report per commune (always a list, however many)."""

    reports: tuple[CommuneReport, ...]
    assumptions: tuple[Assumption, ...] = ()
    years: tuple[CommuneYears, ...] = ()  # communes given for several data years

    @property
    def certified(self) -> bool:
        return all(str(ev.verdict) == "certified" for r in self.reports for ev in r.evaluations)

    def to_dict(self) -> dict[str, Any]:
        return {
            "reports": [r.to_dict() for r in self.reports],
            "assumptions": [a.to_dict() for a in self.assumptions],
            "years": [y.to_dict() for y in self.years],
        }


@dataclass(frozen=True)
class CompareView:
    """`ntm-check compare`: the transition of many communes from one set to another."""

    from_set: str
    to_set: str
    reports: tuple[CommuneReport, ...]
    assumptions: tuple[Assumption, ...] = ()

    def counts(self) -> dict[str, int]:
        found = [r.transition.outcome for r in self.reports if r.transition]
        return {str(o): found.count(o) for o in Outcome}

    def to_dict(self) -> dict[str, Any]:
        return {
            "from": self.from_set,
            "to": self.to_set,
            "transitions": self.counts(),
            "communes": [r.to_dict() for r in self.reports],
            "assumptions": [a.to_dict() for a in self.assumptions],
        }


@dataclass(frozen=True)
class Explanation:
    """`ntm-check explain`: everything behind one criterion's result for one commune."""

    commune: Commune
    evaluation: Evaluation
    criterion: str
    indicator: str = ""  # when one indicator was asked for (``explain FILE 13.3``)

    def to_dict(self) -> dict[str, Any]:
        ev = self.evaluation
        crit = ev.criterion(self.criterion)
        shown = crit.to_dict() if crit else None
        if shown is not None and self.indicator:
            shown["indicators"] = [i for i in shown["indicators"] if i["id"] == self.indicator]
        return {
            "commune": self.commune.to_dict(),
            "set": ev.set_id,
            "decision": ev.decision,
            "region_applied": ev.region_applied,
            "region_reason": ev.region_reason.to_dict(),
            "year": ev.year,
            "criterion": shown,
            "indicator": self.indicator or None,
        }


@dataclass(frozen=True)
class FileReport:
    file: str
    kind: str
    issues: tuple[Issue, ...] = ()
    counts: tuple[tuple[str, int], ...] = ()  # what was read: ("communes", 3), ("rows", 4)...

    @property
    def ok(self) -> bool:
        return not any(i.severity == "error" for i in self.issues)

    @property
    def summary(self) -> str:
        return self.summary_text("en")

    def summary_text(self, lang: str) -> str:
        return ", ".join(t("count_" + what, lang, n=n) for what, n in self.counts)

    def to_dict(self) -> dict[str, Any]:
        return {
            "file": self.file,
            "kind": self.kind,
            "ok": self.ok,
            "summary": self.summary,
            "counts": dict(self.counts),
            "issues": [i.to_dict() for i in self.issues],
        }


@dataclass(frozen=True)
class ValidationReport:
    files: tuple[FileReport, ...] = field(default_factory=tuple)

    @property
    def ok(self) -> bool:
        return all(f.ok for f in self.files)

    def to_dict(self) -> dict[str, Any]:
        return {"ok": self.ok, "files": [f.to_dict() for f in self.files]}
