"""A whole province at once: what planners report, aggregated from kernel output.

Headline counts per set, region and district; transitions old -> new with the culprits of every
lost certification (:mod:`ntm_rules.score.transition`, the same code as for one commune);
criteria ranked by fail rate with median gap and near misses; missing data. Every figure is
computed from the kernel's arrays; nothing here decides a status.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING, Any

import numpy as np

from . import issue_text
from .errors import Issue
from .model.assumptions import Assumption
from .model.columns import Columns
from .model.commune import TIERS, Commune
from .model.criteria import CriteriaSet
from .model.programme import Programme, fallback_note
from .model.status import Outcome
from .model.transitions import Transition
from .model.vocab import Measures
from .province_rows import OUTCOMES, commune_rows
from .score.appraisals import appraisal_for
from .score.culprits import CulpritTable, culprit_table
from .score.decisive import decisive_unknowns, old_certified
from .score.figures import bands, below_line, counts, criteria_tally
from .score.figures import progress as target_progress
from .score.hard import NEAR_MISS_SHARE, hard_criteria
from .score.kernel import (
    C_INDET,
    C_NA,
    STATUS,
    V_CERTIFIED,
    Decide,
    Scorer,
    SetScores,
)
from .score.missing import missing_measures
from .score.reach import within_reach_json
from .score.transition import (
    before_verdicts,
    lost_entries,
    lost_provisional_count,
    outcomes,
    transition,
)

if TYPE_CHECKING:
    from .model.years import ProvinceYears

WITHIN_REACH = 3  # failing indicators
Progress = Callable[[str], None]


@dataclass(frozen=True, eq=False)
class ProvinceResult:
    """Every commune scored against every set; `to_dict()` is the batch JSON.

    With two sets, the first is the old one and the second the new one (transition).
    """

    sets: tuple[CriteriaSet, ...]
    scores: tuple[SetScores, ...]
    measures: Measures
    row_errors: tuple[Issue, ...] = ()
    tier_scores: tuple[SetScores, ...] = ()
    near_miss_share: float = NEAR_MISS_SHARE
    transitions: dict[int, Transition] = field(default_factory=dict)
    programme: Programme = field(default_factory=Programme)
    assumptions: tuple[Assumption, ...] = ()
    rows_read: int = 0  # table rows and YAML communes offered, read or left out
    within: int = WITHIN_REACH  # "within reach": at most this many failing indicators
    years: ProvinceYears | None = None  # communes given for several data years

    @property
    def communes(self) -> tuple[Commune, ...]:
        return self.scores[0].columns.communes if self.scores else ()

    @property
    def columns(self) -> Columns:
        return self.scores[0].columns

    @cached_property
    def _before(self) -> np.ndarray[Any, Any]:
        """The old standing of every commune (:func:`before_verdicts`), worked out once."""
        return before_verdicts(self.scores[0])

    @cached_property
    def outcomes(self) -> list[Outcome]:
        if len(self.scores) != 2:
            return []
        return outcomes(self.scores[0], self.scores[1], self._before)

    def transition(self, i: int) -> Transition:
        """The full transition of commune `i` (culprits included), computed once."""
        found = self.transitions.get(i)
        if found is None:
            old, new = self.scores
            _indices, table = self._lost
            culprits = table.culprits(i) if i in table.spans else None
            found = transition(old, new, i, self.measures, culprits)
            self.transitions[i] = found
        return found

    @cached_property
    def _lost(self) -> tuple[list[int], CulpritTable]:
        indices = [i for i, o in enumerate(self.outcomes) if o == Outcome.LOST]
        old, new = self.scores
        return indices, culprit_table(old, new, indices, self.measures)

    def lost(self) -> list[int]:
        """The communes that lose certification (their culprits are found together)."""
        return self._lost[0]

    @cached_property
    def highest_tiers(self) -> list[str | None]:
        """Highest tier certified per commune (tiers include their prerequisites)."""
        if not self.tier_scores:
            return []
        best = np.full(len(self.communes), -1)
        order = {t: k for k, t in enumerate(TIERS)}
        for sc in self.tier_scores:
            rank = order.get(sc.criteria_set.tier, -1)
            best = np.where((sc.verdict == V_CERTIFIED) & (rank > best), rank, best)
        return [TIERS[int(b)] if b >= 0 else None for b in best]

    def set_summary(self, index: int) -> dict[str, Any]:
        s, sc = self.sets[index], self.scores[index]
        met, failed, undecided = criteria_tally(sc.criteria)
        line = below_line(self.programme, s.tier)
        out = counts(sc.verdict, met, failed, undecided, line)

        def grouped(groups: dict[str, list[int]]) -> dict[str, Any]:
            out = {}
            for key in sorted(groups):
                m = np.asarray(groups[key], dtype=np.intp)
                out[key] = counts(sc.verdict[m], met[m], failed[m], undecided[m], line)
            return out

        ids = [p.id for p in sc.plan.indicators]
        used = np.asarray(sc.unverified_used.any(axis=1), dtype=bool)
        out.update(
            {
                "title": s.title.to_dict(),
                "decision": s.decision,
                "tier": s.tier,
                "bands": bands(self.programme.bands, met, undecided) if line else [],
                "not_in_force": self._not_in_force(s) if s is self.sets[-1] else None,
                "targets": self._progress(s, out) if s.tier == "standard" else None,
                "by_region": grouped(self._groups[0]),
                "by_district": grouped(self._groups[1]),
                "criteria": [{"id": c.id, "name": c.name.to_dict()} for c in s.criteria],
                "cells": s.cell_counts(),
                "unverified_used": [ids[k] for k in range(len(ids)) if bool(used[k])],
                "assumed_used": [
                    ids[k] for k in np.flatnonzero(sc.assumed_used.any(axis=1)).tolist()
                ],
                "overlay": s.overlay.to_dict() if s.overlay else None,
                "sources": [src.to_dict() for src in s.sources.values()],
            }
        )
        return out

    @cached_property
    def _groups(self) -> tuple[dict[str, list[int]], dict[str, list[int]]]:
        """The communes of each region and of each district (named with its province)."""
        regions: dict[str, list[int]] = {}
        pairs: dict[tuple[str, str], list[int]] = {}
        for i, c in enumerate(self.communes):
            regions.setdefault(c.region, []).append(i)
            pairs.setdefault((c.district, c.province), []).append(i)
        districts: dict[str, list[int]] = {}
        for (district, province), found in pairs.items():  # in order of first appearance
            name = district or "—"
            key = f"{name} ({province})" if province else name
            # two ways of writing one name ("" and "—"): one group, in input order
            districts[key] = sorted(districts[key] + found) if key in districts else found
        return regions, districts

    def _not_in_force(self, s: CriteriaSet) -> dict[str, Any] | None:
        """Data years after the set's period that belong to a known, not encoded set."""
        years = sorted({int(y) for y in np.unique(self.columns.years) if int(y) > s.period[1]})
        for year in years:
            known = self.programme.known_for(year)
            if known is not None and known.tier == s.tier:
                later = [y for y in years if known.period[0] <= y <= known.period[1]]
                count = int(np.isin(self.columns.years, later).sum())
                note = fallback_note(known, s, year)
                return {"years": later, "communes": count, "set": known.to_dict(),
                        "note": note.to_dict()}  # fmt: skip
        return None

    def _progress(self, s: CriteriaSet, out: dict[str, Any]) -> dict[str, Any] | None:
        tiers = None
        if self.tier_scores:
            found = Counter(self.highest_tiers)
            tiers = {str(t): n for t, n in found.items() if t is not None}
        return target_progress(
            self.programme.target_for(s.period),
            out["total"],
            out["certified"],
            out["indeterminate"],
            tiers,
            out["below"],
        )

    def hard_criteria(self) -> list[dict[str, Any]]:
        """Every criterion of every set, ranked by fail rate (then failing count)."""
        return hard_criteria(self.scores, self.measures, self.near_miss_share)

    def appraised(self, set_id: str, i: int) -> list[str]:
        """The indicators of set `set_id` whose status for commune `i` is an appraisal's."""
        sc = next(x for x in self.scores if x.criteria_set.id == set_id)
        return [sc.plan.indicators[k].id for k in np.flatnonzero(sc.appraised[:, i]).tolist()]

    def appraisal_conflicts(self) -> list[dict[str, Any]]:
        """Every recorded appraisal that disagrees with a computed result (which stands)."""
        out = []
        for sc in self.scores:
            for k, i in zip(*np.nonzero(sc.conflict), strict=True):
                c = self.communes[int(i)]
                p = sc.plan.indicators[int(k)]
                found = appraisal_for(sc.plan, c, int(k))
                out.append(
                    {
                        "commune": c.name,
                        "source": c.source.to_dict() if c.source else None,
                        "set": sc.criteria_set.id,
                        "indicator": p.id,
                        "computed": str(STATUS[int(sc.status[k, i])]),
                        "appraisal": found.to_dict() if found else None,
                    }
                )
        return out

    def within_reach(self) -> dict[str, Any]:
        """Per set: the communes not certified within `within` failing indicators of the
        standard (the list a province chooses next year's registrations from)."""
        return {sc.criteria_set.id: within_reach_json(sc, self.within) for sc in self.scores}

    def decisive_unknowns(self) -> dict[str, Any]:
        """Per set: the unknown threshold cells ranked by how many verdicts hang on them."""
        out = {}
        for k, sc in enumerate(self.scores):
            old = None
            if len(self.scores) == 2 and k == 1:
                old = old_certified(self._before)
            out[sc.criteria_set.id] = decisive_unknowns(sc, old)
        return out

    def missing_measures(self) -> dict[str, int]:
        """Measure -> communes without a value where an indicator reading it applies."""
        return missing_measures(self.scores, self.columns)

    def units(self) -> dict[str, dict[str, str]]:
        """The unit, in both languages, of every measure the sets read (culprits, gaps)."""
        out: dict[str, dict[str, str]] = {}
        for sc in self.scores:
            for measure in sc.plan.measures:
                found = self.measures.get(measure)
                if found is not None:
                    out[measure] = {"vi": found.unit_text("vi"), "en": found.unit_text("en")}
        return dict(sorted(out.items()))

    def rows(self, lo: int = 0, hi: int | None = None) -> list[dict[str, Any]]:
        """One summary row per commune (of communes lo..hi-1), in input order."""
        return commune_rows(self, lo, hi)

    def row_chunks(self, size: int = 1000) -> Iterator[list[dict[str, Any]]]:
        """:meth:`rows`, `size` communes at a time."""
        for lo in range(0, len(self.communes), size):
            yield self.rows(lo, lo + size)

    def to_dict(self) -> dict[str, Any]:
        """The batch JSON (computed once)."""
        return self._data

    @cached_property
    def _data(self) -> dict[str, Any]:
        out = dict(self._head)
        if "lost" in out:
            out["lost"] = [entry for chunk in self.lost_chunks() for entry in chunk]
        out["results"] = self.rows()
        return out

    def lost_chunks(self, size: int = 1000) -> Iterator[list[dict[str, Any]]]:
        """The JSON of the lost certifications, `size` communes at a time."""
        indices, table = self._lost
        for lo in range(0, len(indices), size):
            yield lost_entries(self.scores[0], indices[lo : lo + size], table)

    def json_stream(self) -> tuple[dict[str, Any], dict[str, Iterator[list[dict[str, Any]]]]]:
        """The batch JSON in parts, for a writer that streams it: every key, the long lists
        (``lost``, ``results``) None in their place; and those lists by the thousand."""
        streamed = {"lost": self.lost_chunks(), "results": self.row_chunks()}
        return self._head, {k: v for k, v in streamed.items() if k in self._head}

    @cached_property
    def _head(self) -> dict[str, Any]:
        """The batch JSON, with None for its long lists (``lost``, ``results``), in their
        place."""
        two = len(self.sets) == 2
        out: dict[str, Any] = {
            "communes": len(self.communes),
            "from": self.sets[0].id if two else None,
            "to": self.sets[1].id if two else None,
            "sets": {s.id: self.set_summary(i) for i, s in enumerate(self.sets)},
        }
        if two:
            found = Counter(self.outcomes)
            out["transitions"] = {str(o): found.get(o, 0) for o in OUTCOMES}
            out["lost"] = None
            out["lost_provisional"] = lost_provisional_count(self.scores[0], *self._lost)
        out["units"] = self.units()
        out["assumptions"] = [a.to_dict() for a in self.assumptions]
        if self.tier_scores:
            found_tiers = Counter(self.highest_tiers)
            out["tiers"] = {
                "sets": {sc.criteria_set.tier: sc.criteria_set.id for sc in self.tier_scores},
                "highest": {t: found_tiers.get(t, 0) for t in reversed(TIERS)}
                | {"none": found_tiers.get(None, 0)},
            }
        out["hard_criteria"] = self.hard_criteria()
        out["near_miss_share"] = self.near_miss_share
        out["decisive_unknowns"] = self.decisive_unknowns()
        out["within_reach"] = self.within_reach()
        out["appraisal_conflicts"] = self.appraisal_conflicts()
        out["missing_measures"] = self.missing_measures()
        out["years"] = self.years.to_dict() if self.years is not None else None
        out["results"] = None
        out["rows"] = {
            "read": self.rows_read or len(self.communes) + len(self._skipped()),
            "skipped": len(self._skipped()),
        }
        out["row_errors"] = [issue_text.row_error(i) for i in self.row_errors]
        return out

    def _skipped(self) -> set[tuple[str, int]]:
        """The table rows left out (one per row, however many problems it had)."""
        return {(i.location.file, i.location.line) for i in self.row_errors if i.location.table}


def score_province(
    communes: Sequence[Commune] | Columns,
    sets: Sequence[CriteriaSet],
    measures: Measures,
    *,
    row_errors: Sequence[Issue] = (),
    tier_sets: Sequence[CriteriaSet] = (),
    decide: Decide | None = None,
    progress: Progress | None = None,
    programme: Programme | None = None,
    assumptions: Sequence[Assumption] = (),
    rows_read: int = 0,
) -> ProvinceResult:
    """Score every commune against every set (with two sets: first = old, second = new).

    `tier_sets` (standard, advanced, model) adds the count of communes per highest tier."""
    scorer = Scorer(communes, decide)
    scored = []
    for s in sets:
        if progress is not None:
            progress(s.id)
        scored.append(scorer.score(s))
    tiers = []
    if tier_sets:
        if progress is not None:
            progress("tiers")
        tiers = [scorer.score(s) for s in tier_sets]
    return ProvinceResult(
        tuple(sets),
        tuple(scored),
        measures,
        tuple(row_errors),
        tuple(tiers),
        programme=programme or Programme(),
        assumptions=tuple(assumptions),
        rows_read=rows_read,
    )


__all__ = ["C_INDET", "C_NA", "NEAR_MISS_SHARE", "ProvinceResult", "score_province"]
