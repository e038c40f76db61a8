"""The programme around the criteria sets (``criteria/programme.yaml``): the figures provincial
reports give upward (communes under 15 criteria, bands of criteria met), the targets of each
period, and national sets known to exist but not encoded. Context, never a decision."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ..words import Text, t
from .criteria import CriteriaSet, Source


@dataclass(frozen=True)
class Band:
    """Communes meeting from `low` to `high` criteria (inclusive)."""

    low: int
    high: int

    @property
    def label(self) -> str:
        return str(self.low) if self.low == self.high else f"{self.low}–{self.high}"

    def to_dict(self) -> dict[str, Any]:
        return {"from": self.low, "to": self.high, "label": self.label}


@dataclass(frozen=True)
class Target:
    """The programme's targets for a period, in % of communes (None: no target stated)."""

    period: tuple[int, int]
    source: Source
    certified_pct: float | None = None
    advanced_pct: float | None = None
    model_pct: float | None = None
    modern_pct: float | None = None
    below_max: int | None = None

    def covers(self, year: int) -> bool:
        return self.period[0] <= year <= self.period[1]

    def to_dict(self) -> dict[str, Any]:
        return {
            "period": list(self.period),
            "certified_pct": self.certified_pct,
            "advanced_pct": self.advanced_pct,
            "model_pct": self.model_pct,
            "modern_pct": self.modern_pct,
            "below_max": self.below_max,
            "source": self.source.to_dict(),
        }


@dataclass(frozen=True)
class KnownSet:
    """A national set known to exist (and maybe in force) that is not encoded, and why."""

    id: str
    decision: str
    issued: str
    in_force: str
    period: tuple[int, int]
    tier: str
    criteria: int
    indicators: int
    title: Text
    why: Text
    fallback: str
    source: Source
    commune_groups: int = 0

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "decision": self.decision,
            "issued": self.issued,
            "in_force": self.in_force,
            "period": list(self.period),
            "tier": self.tier,
            "criteria": self.criteria,
            "indicators": self.indicators,
            "commune_groups": self.commune_groups,
            "title": self.title.to_dict(),
            "why": self.why.to_dict(),
            "fallback": self.fallback,
            "encoded": False,
            "source": self.source.to_dict(),
        }


@dataclass(frozen=True)
class Programme:
    below_criteria: int = 15
    below_tier: str = "standard"
    below_source: Source | None = None
    bands: tuple[Band, ...] = ()
    targets: tuple[Target, ...] = ()
    not_encoded: tuple[KnownSet, ...] = field(default=())

    def target_for(self, period: tuple[int, int]) -> Target | None:
        """The targets of the period a set covers (by its last year)."""
        return next((t for t in self.targets if t.covers(period[1])), None)

    def known_for(self, year: int) -> KnownSet | None:
        """A not-encoded national set whose period covers `year`."""
        return next((k for k in self.not_encoded if k.period[0] <= year <= k.period[1]), None)


def fallback_note(known: KnownSet, used: CriteriaSet, year: int) -> Text:
    """Why data of `year` is scored on `used` although `known` is the set of that year."""

    def say(lang: str) -> str:
        day = known.in_force
        if lang == "vi" and len(day) == 10:
            day = f"{day[8:10]}/{day[5:7]}/{day[0:4]}"
        return t(
            "fallback_note",
            lang,
            year=year,
            decision=known.decision,
            first=known.period[0],
            last=known.period[1],
            in_force=day,
            why=known.why.get(lang),
            set=used.id,
            used=used.decision,
        )

    return Text(say("vi"), say("en"))
