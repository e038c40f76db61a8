"""A whole province at once: what planners report, aggregated from kernel output.

Headline counts per set, region and district; transitions old -> new with the culprits of every
lost certification (:mod:`ntm_rules.score.transition`, the same code as for one commune);
criteria ranked by fail rate with median gap and near misses; missing data. Every figure is
computed from the kernel's arrays; nothing here decides a status.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

import numpy as np

from .errors import Issue
from .model.columns import Columns
from .model.commune import TIERS, Commune
from .model.criteria import CriteriaSet
from .model.results import Outcome, Transition
from .model.vocab import Measures
from .score.kernel import (
    C_FAIL,
    C_INDET,
    C_NA,
    C_PASS,
    CRITERION,
    FAIL,
    PASS,
    V_CERTIFIED,
    V_INDETERMINATE,
    V_NOT_CERTIFIED,
    VERDICT,
    Decide,
    Scorer,
    SetScores,
    holds,
)
from .score.transition import culprits_of, outcomes, transition

NEAR_MISS_SHARE = 0.10
OUTCOMES = tuple(Outcome)
Progress = Callable[[str], None]


def _median(values: np.ndarray[Any, Any]) -> float | None:
    return round(float(np.median(values)), 4) if len(values) else None


def _counts(verdict: np.ndarray[Any, Any], met: np.ndarray[Any, Any]) -> dict[str, Any]:
    total = len(verdict)
    certified = int((verdict == V_CERTIFIED).sum())
    return {
        "total": total,
        "certified": certified,
        "not_certified": int((verdict == V_NOT_CERTIFIED).sum()),
        "indeterminate": int((verdict == V_INDETERMINATE).sum()),
        "certified_pct": round(100.0 * certified / total, 2) if total else 0.0,
        "criteria_met_mean": round(float(met.mean()), 2) if total else 0.0,
        "below_15": int((met < 15).sum()),
    }


def _id_key(text: str) -> tuple[int, ...]:
    try:
        return tuple(int(p) for p in text.split("."))
    except ValueError:
        return (10**6,)


def _near(gap: np.ndarray[Any, Any], threshold: np.ndarray[Any, Any], share: float) -> Any:
    """A near miss: short of a non-zero threshold by at most `share` of it."""
    return (gap < 0) & (threshold != 0) & (-gap <= share * np.abs(threshold))


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

    @property
    def communes(self) -> tuple[Commune, ...]:
        return self.scores[0].columns.communes if self.scores else ()

    @property
    def columns(self) -> Columns:
        return self.scores[0].columns

    @cached_property
    def outcomes(self) -> list[Outcome]:
        if len(self.scores) != 2:
            return []
        return outcomes(self.scores[0], self.scores[1])

    def transition(self, i: int) -> Transition:
        """The full transition of commune `i` (culprits included), computed once."""
        found = self.transitions.get(i)
        if found is None:
            found = transition(self.scores[0], self.scores[1], i, self.measures)
            self.transitions[i] = found
        return found

    def lost(self) -> list[int]:
        """The communes that lose certification, with their transitions computed together."""
        indices = [i for i, o in enumerate(self.outcomes) if o == Outcome.LOST]
        missing = [i for i in indices if i not in self.transitions]
        if missing:
            old, new = self.scores
            found = culprits_of(old, new, missing, self.measures)
            for i in missing:
                self.transitions[i] = transition(old, new, i, self.measures, found[i])
        return indices

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
        out = _counts(sc.verdict, sc.met)
        regions = np.array([c.region for c in self.communes], dtype=object)
        districts = np.array(
            [
                f"{c.district or '—'} ({c.province})" if c.province else (c.district or "—")
                for c in self.communes
            ],
            dtype=object,
        )

        def grouped(keys: np.ndarray[Any, Any]) -> dict[str, Any]:
            return {
                str(k): _counts(sc.verdict[keys == k], sc.met[keys == k])
                for k in sorted(set(keys.tolist()))
            }

        ids = [p.id for p in sc.plan.indicators]
        used = np.asarray(sc.unverified_used.any(axis=1), dtype=bool)
        out.update(
            {
                "title": s.title.to_dict(),
                "decision": s.decision,
                "tier": s.tier,
                "by_region": grouped(regions),
                "by_district": grouped(districts),
                "criteria": [{"id": c.id, "name": c.name.to_dict()} for c in s.criteria],
                "cells": s.cell_counts(),
                "unverified_used": [ids[k] for k in range(len(ids)) if bool(used[k])],
                "overlay": s.overlay.to_dict() if s.overlay else None,
                "sources": [src.to_dict() for src in s.sources.values()],
            }
        )
        return out

    def _indicator_gaps(self, sc: SetScores, k: int) -> tuple[Any, Any, Any]:
        """For commune positions failing indicator `k` with a numeric gap: (positions, gap,
        threshold) of the deciding check."""
        p = sc.plan.indicators[k]
        failing = sc.status[k] == FAIL
        positions, gaps, limits = [], [], []
        for pos, check in enumerate(p.checks):
            if sc.plan.checks[check].boolean:
                continue
            here = failing & (sc.decider[k] == pos)
            where = np.flatnonzero(here)
            positions.append(where)
            gaps.append(sc.gap(check)[where])
            limits.append(sc.threshold(check)[where])
        if not positions:
            empty = np.zeros(0)
            return empty.astype(np.intp), empty, empty
        return np.concatenate(positions), np.concatenate(gaps), np.concatenate(limits)

    def _hard_criterion(self, sc: SetScores, c_index: int) -> dict[str, Any]:
        """One criterion's fail rate, median gap and near misses, with its indicators'."""
        share, n = self.near_miss_share, sc.n
        crit = sc.criteria_set.criteria[c_index]
        statuses = sc.criteria[c_index]
        failing = int((statuses == C_FAIL).sum())
        with_data = failing + int((statuses == C_PASS).sum())
        indicators = []
        worst = np.full(n, np.inf)  # each failing commune's worst relative shortfall (%)
        all_near = np.ones(n, dtype=bool)  # every failing indicator of it is a near miss
        for p in sc.plan.indicators[: sc.plan.n_scored]:
            if p.criterion != c_index:
                continue
            row = sc.status[p.index]
            ind_fail = int((row == FAIL).sum())
            ind_with = ind_fail + int((row == PASS).sum())
            where, gaps, limits = self._indicator_gaps(sc, p.index)
            near = _near(gaps, limits, share)
            indicators.append(
                {
                    "id": p.id,
                    "measure": p.indicator.measure,
                    "unit": self.measures.unit(p.indicator.measure, "en"),
                    "fail_rate": round(ind_fail / ind_with, 4) if ind_with else None,
                    "failing": ind_fail,
                    "with_data": ind_with,
                    "median_gap": _median(gaps),
                    "near_miss": int(near.sum()),
                }
            )
            no_gap = row == FAIL
            no_gap[where] = False
            all_near &= ~no_gap
            numeric = limits != 0
            rel = np.full(len(gaps), np.inf)
            rel[numeric] = 100.0 * gaps[numeric] / np.abs(limits[numeric])
            np.minimum.at(worst, where[numeric], rel[numeric])
            all_near[where[~numeric]] = False
            all_near[where[numeric & ~near]] = False
        has_gap = np.isfinite(worst)
        return {
            "set": sc.criteria_set.id,
            "criterion": crit.id,
            "name": crit.name.to_dict(),
            "fail_rate": round(failing / with_data, 4) if with_data else None,
            "failing": failing,
            "with_data": with_data,
            "median_gap_pct": _median(worst[has_gap]),
            "near_miss": int((has_gap & all_near).sum()),
            "indicators": indicators,
        }

    def hard_criteria(self) -> list[dict[str, Any]]:
        """Every criterion of every set, ranked by fail rate (then failing count)."""
        out = [
            self._hard_criterion(sc, c)
            for sc in self.scores
            for c in range(len(sc.criteria_set.criteria))
        ]
        out.sort(
            key=lambda h: (-(h["fail_rate"] or 0), -h["failing"], h["set"], _id_key(h["criterion"]))
        )
        return out

    def missing_measures(self) -> dict[str, int]:
        """Measure -> communes without a value, counting a commune only where some indicator
        reading the measure applies to it (a craft-village plan is not missing where there is
        no craft village)."""
        readers: dict[str, list[Any]] = {}  # measure -> conditions (None: unconditional)
        for sc in self.scores:
            for p in sc.plan.indicators:
                for c in p.checks:
                    readers.setdefault(sc.plan.checks[c].measure, []).append(p.condition)
                if p.condition is not None:
                    readers.setdefault(p.condition.measure, []).append(None)
        counts: dict[str, int] = {}
        columns = self.columns
        for measure, conditions in readers.items():
            absent = np.isnan(columns.value(measure))
            if all(cond is not None for cond in conditions):
                applies = np.zeros(columns.n, dtype=bool)
                for cond in conditions:
                    values = columns.value(cond.measure)
                    applies |= np.isnan(values) | holds(
                        columns, cond.measure, cond.operator, float(cond.value)
                    )
                absent &= applies
            count = int(absent.sum())
            if count:
                counts[measure] = count
        return dict(sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])))

    def units(self) -> dict[str, dict[str, str]]:
        """The unit, in both languages, of every measure the sets read (culprits, gaps)."""
        out: dict[str, dict[str, str]] = {}
        for sc in self.scores:
            for measure in sc.plan.measures:
                found = self.measures.get(measure)
                if found is not None:
                    out[measure] = {"vi": found.unit_text("vi"), "en": found.unit_text("en")}
        return dict(sorted(out.items()))

    def rows(self) -> list[dict[str, Any]]:
        """One summary row per commune, in input order."""
        per_set = []
        names = {code: str(word) for code, word in CRITERION.items()}
        for s, sc in zip(self.sets, self.scores, strict=True):
            ids = [c.id for c in s.criteria]
            # one dict per distinct pattern of criterion statuses, shared by the rows that have it
            patterns: dict[tuple[int, ...], dict[str, str]] = {}
            words = []
            for col in map(tuple, sc.criteria.T.tolist()):
                found = patterns.get(col)
                if found is None:
                    found = patterns[col] = {k: names[v] for k, v in zip(ids, col, strict=True)}
                words.append(found)
            regions = [ch.region for ch in sc.choices]
            per_set.append(
                (
                    s.id,
                    ids,
                    [str(VERDICT[v]) for v in sc.verdict.tolist()],
                    sc.met.tolist(),
                    sc.total.tolist(),
                    [regions[k] for k in sc.choice.tolist()],
                    sc.provisional.tolist(),
                    words,
                )
            )
        outcomes = self.outcomes
        tiers = self.highest_tiers
        out = []
        for i, c in enumerate(self.communes):
            sets = {
                set_id: {
                    "verdict": verdicts[i],
                    "criteria_met": met[i],
                    "criteria_total": total[i],
                    "region_applied": applied[i],
                    "provisional": provisional[i],
                    "criteria": words[i],
                }
                for set_id, ids, verdicts, met, total, applied, provisional, words in per_set
            }
            row = {
                "commune": c.name,
                "code": c.code,
                "district": c.district,
                "province": c.province,
                "region": c.region,
                "year": c.year,
                "source": c.source.to_dict() if c.source else None,
                "sets": sets,
                "transition": str(outcomes[i]) if outcomes else None,
            }
            if tiers:
                row["highest_tier"] = tiers[i]
            out.append(row)
        return out

    def to_dict(self) -> dict[str, Any]:
        """The batch JSON (computed once)."""
        return self._data

    @cached_property
    def _data(self) -> dict[str, Any]:
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
            lost = []
            for i in self.lost():
                c = self.communes[i]
                tr = self.transition(i)
                lost.append(
                    {
                        "commune": c.name,
                        "code": c.code,
                        "district": c.district,
                        "province": c.province,
                        "source": c.source.to_dict() if c.source else None,
                        "provisional": tr.provisional,
                        "from_basis": tr.from_basis,
                        "recorded": tr.recorded.to_dict() if tr.recorded else None,
                        "from_evaluated": str(tr.from_evaluated) if tr.from_evaluated else None,
                        "culprits": [x.to_dict() for x in tr.culprits],
                    }
                )
            out["lost"] = lost
            out["lost_provisional"] = sum(1 for item in lost if item["provisional"])
        out["units"] = self.units()
        if self.tier_scores:
            found_tiers = Counter(self.highest_tiers)
            out["tiers"] = {
                "sets": {sc.criteria_set.tier: sc.criteria_set.id for sc in self.tier_scores},
                "highest": {t: found_tiers.get(t, 0) for t in reversed(TIERS)}
                | {"none": found_tiers.get(None, 0)},
            }
        out["hard_criteria"] = self.hard_criteria()
        out["missing_measures"] = self.missing_measures()
        out["results"] = self.rows()
        out["row_errors"] = [
            {
                "file": i.location.file,
                "row": i.location.line,
                "column": i.location.path,
                "cell": i.location.cell,
                "code": i.code,
                "message": i.message,
                "hint": i.hint,
            }
            for i in self.row_errors
        ]
        return out


def score_province(
    communes: Sequence[Commune] | Columns,
    sets: Sequence[CriteriaSet],
    measures: Measures,
    *,
    row_errors: Sequence[Issue] = (),
    tier_sets: Sequence[CriteriaSet] = (),
    decide: Decide | None = None,
    progress: Progress | None = None,
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
    return ProvinceResult(tuple(sets), tuple(scored), measures, tuple(row_errors), tuple(tiers))


__all__ = ["C_INDET", "C_NA", "NEAR_MISS_SHARE", "ProvinceResult", "score_province"]
