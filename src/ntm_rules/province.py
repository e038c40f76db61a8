"""A whole province at once: score many communes, aggregate what planners report.

Headline counts per set, region and district; transitions old -> new with the culprits of every
lost certification; criteria ranked by fail rate with median gap and near misses; missing data.
Scoring is column-wise (:mod:`fast`); only the lost communes are re-explained with the full
engine to name their culprits.
"""

from __future__ import annotations

import statistics
from collections import Counter, defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from .errors import EvaluationError, Issue
from .load.communes import Commune
from .model.criteria import CriteriaSet
from .model.results import Culprit, Verdict
from .operators import OPERATORS
from .score.kernel import C_FAIL, C_NA, C_PASS, FAIL, PASS, FastScorer, ScoredSet, fast_culprits
from .score.transition import outcome, recorded

NEAR_MISS_SHARE = 0.10
OUTCOMES = ("kept", "lost", "gained", "never", "indeterminate")


def _counts(verdicts: list[str], met: list[int]) -> dict[str, Any]:
    found = Counter(verdicts)
    total = len(verdicts)
    return {
        "total": total,
        "certified": found.get("certified", 0),
        "not_certified": found.get("not_certified", 0),
        "indeterminate": found.get("indeterminate", 0),
        "certified_pct": round(100.0 * found.get("certified", 0) / total, 2) if total else 0.0,
        "criteria_met_mean": round(statistics.fmean(met), 2) if met else 0.0,
        "below_15": sum(1 for m in met if m < 15),
    }


def _median(values: list[float]) -> float | None:
    return round(statistics.median(values), 4) if values else None


def _near(g: float, threshold: Any, share: float) -> bool:
    """A near miss: short of a numeric, non-zero threshold by at most `share` of it."""
    if isinstance(threshold, bool) or not isinstance(threshold, (int, float)) or not threshold:
        return False
    return g < 0 and -g <= share * abs(threshold)


def _id_key(text: str) -> tuple[int, ...]:
    try:
        return tuple(int(p) for p in text.split("."))
    except ValueError:
        return (10**6,)


@dataclass(frozen=True)
class BatchResult:
    """Every commune scored against every set; `to_dict()` is the batch JSON."""

    sets: tuple[CriteriaSet, ...]
    communes: tuple[Commune, ...]
    scored: tuple[ScoredSet, ...]
    transitions: tuple[str | None, ...] = ()
    culprits: dict[int, tuple[Culprit, ...]] = field(default_factory=dict)
    row_errors: tuple[Issue, ...] = ()
    units: dict[str, str] = field(default_factory=dict)
    near_miss_share: float = NEAR_MISS_SHARE
    tier_sets: tuple[CriteriaSet, ...] = ()
    highest_tiers: tuple[str | None, ...] = ()
    columns: dict[str, Any] = field(default_factory=dict, repr=False, compare=False)

    def set_summary(self, index: int) -> dict[str, Any]:
        s, sc = self.sets[index], self.scored[index]
        out = _counts(sc.verdict, sc.criteria_met)
        by_region: dict[str, list[int]] = defaultdict(list)
        by_district: dict[str, list[int]] = defaultdict(list)
        for i, commune in enumerate(self.communes):
            p = sc.pos_of[i]
            by_region[commune.region].append(p)
            district = commune.district or "—"
            by_district[
                f"{district} ({commune.province})" if commune.province else district
            ].append(p)

        def group(positions: list[int]) -> dict[str, Any]:
            return _counts(
                [sc.verdict[p] for p in positions], [sc.criteria_met[p] for p in positions]
            )

        ids = [i.id for i in s.indicators]
        out.update(
            {
                "title": s.title.to_dict(),
                "decision": s.decision,
                "tier": s.tier,
                "by_region": {k: group(v) for k, v in sorted(by_region.items())},
                "by_district": {k: group(v) for k, v in sorted(by_district.items())},
                "criteria": [{"id": c.id, "name": c.name.to_dict()} for c in s.criteria],
                "cells": s.cell_counts(),
                "unverified_used": [
                    ids[k] for k, used in enumerate(sc.ind_unverified_used) if used
                ],
                "overlay": s.overlay.to_dict() if s.overlay else None,
                "sources": [src.to_dict() for src in s.sources.values()],
            }
        )
        return out

    def hard_criteria(self) -> list[dict[str, Any]]:
        out: list[dict[str, Any]] = []
        share = self.near_miss_share
        for s, sc in zip(self.sets, self.scored, strict=True):
            offset = 0
            for c_index, crit in enumerate(s.criteria):
                statuses = sc.crit_status[c_index]
                failing_pos = [p for p, st in enumerate(statuses) if st == C_FAIL]
                with_data = len(failing_pos) + statuses.count(C_PASS)
                indicators = []
                for k, ind in enumerate(crit.indicators):
                    i = offset + k
                    col = sc.ind_status[i]
                    fails = sc.ind_gap[i]
                    thresholds = sc.ind_threshold[i]
                    ind_fail = col.count(FAIL)
                    ind_with = ind_fail + col.count(PASS)
                    gaps = list(fails.values())
                    near = sum(1 for p, g in fails.items() if _near(g, thresholds[p], share))
                    indicators.append(
                        {
                            "id": ind.id,
                            "measure": ind.measure,
                            "unit": self.units.get(ind.measure, ""),
                            "fail_rate": round(ind_fail / ind_with, 4) if ind_with else None,
                            "failing": ind_fail,
                            "with_data": ind_with,
                            "median_gap": _median(gaps),
                            "near_miss": near,
                        }
                    )
                # criterion level: the worst relative shortfall of each failing commune, and
                # whether every failing indicator of it is a near miss
                worst: dict[int, float] = {}
                all_near: dict[int, bool] = {}
                for k in range(len(crit.indicators)):
                    i = offset + k
                    fails = sc.ind_gap[i]
                    thresholds = sc.ind_threshold[i]
                    col = sc.ind_status[i]
                    if col.count(FAIL) > len(fails):  # failing without a numeric gap
                        for p in (p for p, st in enumerate(col) if st == FAIL and p not in fails):
                            all_near[p] = False
                    for p, g in fails.items():
                        thr = thresholds[p]
                        if isinstance(thr, bool) or not thr:
                            all_near[p] = False
                            continue
                        rel = 100.0 * g / abs(thr)
                        if rel < worst.get(p, rel + 1):
                            worst[p] = rel
                        if not _near(g, thr, share):
                            all_near[p] = False
                crit_gaps = list(worst.values())
                crit_near = sum(1 for p in worst if all_near.get(p, True))
                out.append(
                    {
                        "set": s.id,
                        "criterion": crit.id,
                        "name": crit.name.to_dict(),
                        "fail_rate": round(len(failing_pos) / with_data, 4) if with_data else None,
                        "failing": len(failing_pos),
                        "with_data": with_data,
                        "median_gap_pct": _median(crit_gaps),
                        "near_miss": crit_near,
                        "indicators": indicators,
                    }
                )
                offset += len(crit.indicators)
        out.sort(
            key=lambda h: (-(h["fail_rate"] or 0), -h["failing"], h["set"], _id_key(h["criterion"]))
        )
        return out

    def missing_measures(self) -> dict[str, int]:
        """Measure -> communes without a value, counting a commune only where some indicator
        reading the measure applies to it (a craft-village plan is not missing where there is
        no craft village)."""
        conditions: dict[str, list[Any]] = {}  # measure -> conditions (None: unconditional)
        for s in self.sets:
            for ind in [*s.indicators, *s.recognition]:
                for m in ind.measures:
                    conditions.setdefault(m, []).append(ind.applies_if)
                if ind.applies_if is not None:
                    conditions.setdefault(ind.applies_if.measure, []).append(None)
        counts: dict[str, int] = {}
        for m, conds in conditions.items():
            col = self.columns.get(m)
            if col is None:
                col = [c.measures.get(m, c.recognition.get(m)) for c in self.communes]
            if any(cond is None for cond in conds):
                count = col.count(None)
            else:
                count = 0
                for i, value in enumerate(col):
                    if value is not None:
                        continue
                    c = self.communes[i]
                    for cond in conds:
                        seen = c.measures.get(cond.measure, c.recognition.get(cond.measure))
                        if seen is None or OPERATORS[cond.operator].compare(seen, cond.value):
                            count += 1
                            break
            if count:
                counts[m] = count
        return dict(sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])))

    def lost_provisional(self, i: int) -> bool:
        """As Transition.provisional for a lost commune: no definite failure under the new set,
        or an old certification that itself rests on unverified values."""
        if not any(c.definite for c in self.culprits.get(i, ())):
            return True
        if recorded(self.communes[i], self.sets[0]):
            return False
        sc = self.scored[0]
        return sc.provisional[sc.pos_of[i]]

    @cached_property
    def _by_position(self) -> list[tuple[str, ScoredSet, list[str], list[tuple[str, ...]]]]:
        """Per set: criterion ids and the criterion statuses transposed to one tuple per
        position (computed once, C-level)."""
        out = []
        for s, sc in zip(self.sets, self.scored, strict=True):
            ids = [c.id for c in s.criteria]
            out.append((s.id, sc, ids, list(zip(*sc.crit_status, strict=True)) if ids else []))
        return out

    def row(self, i: int) -> dict[str, Any]:
        """The summary row of commune `i` (input order)."""
        c = self.communes[i]
        sets: dict[str, Any] = {}
        for set_id, sc, ids, by_position in self._by_position:
            p = sc.pos_of[i]
            sets[set_id] = {
                "verdict": sc.verdict[p],
                "criteria_met": sc.criteria_met[p],
                "criteria_total": sc.criteria_total[p],
                "region_applied": sc.region_applied[p],
                "provisional": sc.provisional[p],
                "criteria": dict(zip(ids, by_position[p], strict=True)) if ids else {},
            }
        out = {
            "commune": c.name,
            "code": c.code,
            "district": c.district,
            "province": c.province,
            "region": c.region,
            "year": c.year,
            "source": c.file,
            "sets": sets,
            "transition": self.transitions[i] if self.transitions else None,
        }
        if self.tier_sets:
            out["highest_tier"] = self.highest_tiers[i]
        return out

    def rows(self) -> list[dict[str, Any]]:
        """One summary row per commune, in input order."""
        return [self.row(i) for i in range(len(self.communes))]

    def to_dict(self) -> dict[str, Any]:
        two = len(self.sets) == 2
        out: dict[str, Any] = {
            "communes": len(self.communes),
            "from": self.sets[0].id if two else None,
            "to": self.sets[1].id if two else None,
            "sets": {s.id: self.set_summary(i) for i, s in enumerate(self.sets)},
        }
        if two:
            found = Counter(self.transitions)
            out["transitions"] = {o: found.get(o, 0) for o in OUTCOMES}
            out["lost"] = [
                {
                    "commune": c.name,
                    "code": c.code,
                    "district": c.district,
                    "province": c.province,
                    "source": c.file,
                    "provisional": self.lost_provisional(i),
                    "culprits": [x.to_dict() for x in self.culprits.get(i, ())],
                }
                for i, c in enumerate(self.communes)
                if self.transitions[i] == "lost"
            ]
            out["lost_provisional"] = sum(1 for item in out["lost"] if item["provisional"])
        if self.tier_sets:
            found = Counter(self.highest_tiers)
            out["tiers"] = {
                "sets": {s.tier: s.id for s in self.tier_sets},
                "highest": {tier: found.get(tier, 0) for tier in ("model", "advanced", "standard")}
                | {"none": found.get(None, 0)},
            }
        out["hard_criteria"] = self.hard_criteria()
        out["missing_measures"] = self.missing_measures()
        out["results"] = self.rows()
        out["row_errors"] = [
            {
                "file": i.location.file,
                "row": i.location.line,
                "column": i.location.path,
                "code": i.code,
                "message": i.message,
                "hint": i.hint,
            }
            for i in self.row_errors
        ]
        return out


def highest_tiers(
    communes: Sequence[Commune], tier_sets: Sequence[CriteriaSet], columns: dict[str, Any]
) -> list[str | None]:
    """Highest tier certified per commune, tiers ordered standard -> advanced -> model.

    A tier counts only when every tier before it is certified too (the `requires` chain)."""
    verdicts = []
    for s in tier_sets:
        sc = FastScorer(s).score_many(communes, columns)  # the chain itself orders the tiers
        verdicts.append([sc.verdict[sc.pos_of[i]] for i in range(len(communes))])
    out: list[str | None] = []
    for i in range(len(communes)):
        best: str | None = None
        for s, column in zip(tier_sets, verdicts, strict=True):
            if column[i] != "certified":
                break
            best = s.tier
        out.append(best)
    return out


def _default_loader() -> Callable[[str], CriteriaSet]:
    from .load.catalog import default_catalog

    return default_catalog().load


def _apply_prerequisites(
    s: CriteriaSet,
    sc: ScoredSet,
    communes: Sequence[Commune],
    columns: dict[str, Any],
    load: Callable[[str], CriteriaSet],
    cache: dict[str, ScoredSet],
    depth: int,
) -> None:
    """Fold the verdicts of the sets `s` requires into `sc` (as tiers.combine_prerequisites)."""
    if not s.requires or sc.prerequisites_applied:
        return
    if depth > 5:
        raise EvaluationError(f"tier prerequisites of {s.id} are nested too deeply")
    from .score.tiers import combine_prerequisites

    required: list[ScoredSet] = []
    for ref in s.requires:
        req_set = load(ref)
        req = cache.get(req_set.id)
        if req is None:
            req = FastScorer(req_set).score_many(communes, columns)
            cache[req_set.id] = req
        _apply_prerequisites(req_set, req, communes, columns, load, cache, depth + 1)
        required.append(req)
    for i in range(len(communes)):
        p = sc.pos_of[i]
        others = [r.verdict[r.pos_of[i]] for r in required]
        sc.verdict[p] = str(
            combine_prerequisites(Verdict(sc.verdict[p]), [Verdict(v) for v in others])
        )
        sc.provisional[p] = sc.provisional[p] or any(r.provisional[r.pos_of[i]] for r in required)
    sc.prerequisites_applied = True


def run_batch(
    communes: Sequence[Commune],
    sets: Sequence[CriteriaSet],
    units: dict[str, str] | None = None,
    row_errors: Sequence[Issue] = (),
    progress: Callable[[str], None] | None = None,
    tier_sets: Sequence[CriteriaSet] = (),
    load: Callable[[str], CriteriaSet] | None = None,
) -> BatchResult:
    """Score every commune against every set (with two sets: first = old, second = new).

    `tier_sets` (standard, advanced, model) adds the count of communes per highest tier."""
    columns: dict[str, Any] = {}
    scored: list[ScoredSet] = []
    for s in sets:
        if progress is not None:
            progress(s.id)
        scored.append(FastScorer(s).score_many(communes, columns))
    if any(s.requires for s in sets):
        resolve = load or _default_loader()
        cache: dict[str, ScoredSet] = {s.id: sc for s, sc in zip(sets, scored, strict=True)}
        for s, sc in zip(sets, scored, strict=True):
            _apply_prerequisites(s, sc, communes, columns, resolve, cache, 0)
    transitions: list[str | None] = []
    culprits: dict[int, tuple[Culprit, ...]] = {}
    if len(sets) == 2:
        old = sets[0]
        for i, commune in enumerate(communes):
            before = scored[0].verdict[scored[0].pos_of[i]]
            after = scored[1].verdict[scored[1].pos_of[i]]
            if recorded(commune, old):
                before = "certified"
            result = outcome(Verdict(before), Verdict(after))
            transitions.append(result)
            if result == "lost":
                merged = columns[""][i]
                culprits[i] = tuple(
                    Culprit(*row)
                    for row in fast_culprits(scored[0], scored[1], i, merged, commune.year)
                )
    tiers: list[str | None] = []
    if tier_sets:
        if progress is not None:
            progress("tiers")
        tiers = highest_tiers(communes, tier_sets, columns)
    return BatchResult(
        tuple(sets),
        tuple(communes),
        tuple(scored),
        tuple(transitions),
        culprits,
        tuple(row_errors),
        dict(units or {}),
        NEAR_MISS_SHARE,
        tuple(tier_sets),
        tuple(tiers),
        columns,
    )


__all__ = ["C_NA", "BatchResult", "run_batch"]
