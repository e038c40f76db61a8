"""A compiled, column-wise scorer for whole provinces.

It gives the same statuses, counts and verdicts as :func:`engine.evaluate` (checked by
`tests/test_batch.py` on generated communes) without building explanation objects. Communes are
grouped by the (region applied, year) that fixes their thresholds; each indicator is then
evaluated for a whole group in one list comprehension. Work is linear in communes × indicators.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from operator import itemgetter
from typing import Any

from ..load.communes import Commune
from ..model.criteria import CriteriaSet, Indicator
from ..operators import OPERATORS, gap
from .transition import culprit_cause

PASS, FAIL, MISSING, UNKNOWN, NA = 0, 1, 2, 3, 4
STATUS_NAMES = ("pass", "fail", "missing", "unknown", "not_applicable")
C_PASS, C_FAIL, C_INDET, C_NA = "pass", "fail", "indeterminate", "not_applicable"

# (measure, operator, threshold value or None, cell verified or None)
_Check = tuple[str, str, Any, bool | None]
_Cond = tuple[str, str, Any]


@dataclass(frozen=True)
class FastResult:
    """One commune × one set, as a batch keeps it."""

    verdict: str
    criteria_met: int
    criteria_total: int
    criteria: tuple[str, ...]
    indicators: tuple[int, ...]
    gaps: tuple[float | None, ...]
    thresholds: tuple[Any, ...]
    region_applied: str
    provisional: bool
    recognition: str


def _column(op: str, thr: Any, vals: list[Any]) -> list[int]:
    """Statuses of one check over a column of observed values."""
    if thr is None:
        return [MISSING if v is None else UNKNOWN for v in vals]
    if op == ">=":
        return [MISSING if v is None else (PASS if v >= thr else FAIL) for v in vals]
    if op == "<=":
        return [MISSING if v is None else (PASS if v <= thr else FAIL) for v in vals]
    if op == "is true":
        return [MISSING if v is None else (PASS if v is True else FAIL) for v in vals]
    compare = OPERATORS[op].compare
    return [MISSING if v is None else (PASS if compare(v, thr) else FAIL) for v in vals]


def _combine(columns: list[list[int]]) -> list[int]:
    """Indicator status from several checks: fail > missing > unknown > pass."""
    out = []
    for t in zip(*columns, strict=True):
        if FAIL in t:
            out.append(FAIL)
        elif MISSING in t:
            out.append(MISSING)
        elif UNKNOWN in t:
            out.append(UNKNOWN)
        else:
            out.append(PASS)
    return out


@dataclass
class ScoredSet:
    """Column-wise results of one set over many communes, in `order` (grouped) positions."""

    criteria_set: CriteriaSet
    order: list[int]  # position -> commune index
    pos_of: list[int]  # commune index -> position
    ind_status: list[list[int]]  # indicator -> positions
    ind_gap: list[dict[int, float]]  # indicator -> {position: gap} for failing positions
    ind_threshold: list[list[Any]]  # indicator -> positions
    ind_unverified_used: list[bool]
    crit_status: list[list[str]]  # criterion -> positions
    verdict: list[str]
    criteria_met: list[int]
    criteria_total: list[int]
    provisional: list[bool]
    region_applied: list[str]
    recognition: list[str]
    rec_status: list[list[int]]  # recognition condition -> positions
    rec_threshold: list[list[Any]]
    prerequisites_applied: bool = False

    def result(self, commune_index: int) -> FastResult:
        p = self.pos_of[commune_index]
        return FastResult(
            self.verdict[p],
            self.criteria_met[p],
            self.criteria_total[p],
            tuple(col[p] for col in self.crit_status),
            tuple(col[p] for col in self.ind_status),
            tuple(g.get(p) for g in self.ind_gap),
            tuple(col[p] for col in self.ind_threshold),
            self.region_applied[p],
            self.provisional[p],
            self.recognition[p],
        )


def _plan_indicator(ind: Indicator, region: str, year: int) -> tuple[_Cond | None, list[_Check]]:
    checks: list[_Check] = []
    for check in ind.checks:
        cell = check.threshold.resolve(region, year).cell
        checks.append(
            (
                check.measure,
                check.operator,
                cell.value if cell is not None else None,
                cell.verified if cell is not None else None,
            )
        )
    cond = None
    if ind.applies_if is not None:
        cond = (ind.applies_if.measure, ind.applies_if.operator, ind.applies_if.value)
    return cond, checks


class FastScorer:
    """Scores many communes against one set."""

    def __init__(self, criteria_set: CriteriaSet) -> None:
        self.criteria_set = criteria_set
        self._regions: dict[tuple[str, tuple[str, ...]], tuple[str, bool]] = {}

    def _region(self, commune: Commune) -> tuple[str, bool]:
        """(region applied, whether an unverified region rule put it there)."""
        key = (commune.region, commune.categories)
        hit = self._regions.get(key)
        if hit is None:
            hit = (commune.region, False)
            for rule in self.criteria_set.region_rules:
                if rule.matches(commune.categories):
                    hit = (rule.use_region, not rule.verified)
                    break
            self._regions[key] = hit
        return hit

    def score_many(
        self, communes: Sequence[Commune], columns: dict[str, Any] | None = None
    ) -> ScoredSet:
        """Score communes; `columns` caches measure -> values across sets (key "" holds the
        merged value dicts)."""
        s = self.criteria_set
        n = len(communes)
        columns = columns if columns is not None else {}
        merged: list[Any] = columns.get("", [])
        if len(merged) != n:
            merged = [{**c.recognition, **c.measures} for c in communes]
            columns[""] = merged
        regions = [self._region(c) for c in communes]
        keys = [(regions[i][0], communes[i].year) for i in range(n)]
        order = sorted(range(n), key=keys.__getitem__)
        pos_of = [0] * n
        for p, i in enumerate(order):
            pos_of[i] = p
        groups: list[tuple[tuple[str, int], int, int]] = []
        start = 0
        for p in range(1, n + 1):
            if p == n or keys[order[p]] != keys[order[start]]:
                groups.append((keys[order[start]], start, p))
                start = p

        # Measure columns: every needed measure read from every commune in one C-level pass
        # (itemgetter over dicts padded with None), then permuted into grouped order with
        # another itemgetter. Both are shared with the next set through `columns`.
        needed = sorted(
            {m for ind in [*s.indicators, *s.recognition] for m in ind.measures}
            | {
                ind.applies_if.measure
                for ind in [*s.indicators, *s.recognition]
                if ind.applies_if is not None
            }
        )
        todo = [m for m in needed if m not in columns]
        if todo and n:
            pad = dict.fromkeys(todo)
            rows = list(map(itemgetter(*todo), ({**pad, **d} for d in merged)))
            if len(todo) == 1:
                columns[todo[0]] = rows
            else:
                for m, col in zip(todo, zip(*rows, strict=True), strict=True):
                    columns[m] = col
        permute = itemgetter(*order) if n > 1 else None
        if columns.get("#order") == order:
            ordered: dict[str, list[Any]] = columns["#ordered"]
        else:
            ordered = {}
            columns["#order"] = order
            columns["#ordered"] = ordered

        def ordered_values(measure: str) -> list[Any]:
            col = ordered.get(measure)
            if col is None:
                base = columns.get(measure)
                if base is None:
                    base = [d.get(measure) for d in merged]
                    columns[measure] = base
                col = list(permute(base)) if permute is not None else list(base)
                ordered[measure] = col
            return col

        provisional = [not communes[i].region_verified or regions[i][1] for i in order]

        def score_indicators(
            inds: Sequence[Indicator],
        ) -> tuple[list[list[int]], list[dict[int, float]], list[list[Any]], list[bool]]:
            statuses: list[list[int]] = []
            gaps: list[dict[int, float]] = []
            thresholds: list[list[Any]] = []
            used_unverified: list[bool] = []
            for ind in inds:
                col = [0] * n
                thr_col: list[Any] = [None] * n
                fails: dict[int, float] = {}
                unverified_any = False
                for (region, year), a, b in groups:
                    cond, checks = _plan_indicator(ind, region, year)
                    parts = []
                    for measure, op, thr, _ver in checks:
                        parts.append(_column(op, thr, ordered_values(measure)[a:b]))
                    part = parts[0] if len(parts) == 1 else _combine(parts)
                    if cond is not None:
                        cvals = ordered_values(cond[0])[a:b]
                        ccmp = OPERATORS[cond[1]].compare
                        part = [
                            MISSING if cv is None else (st if ccmp(cv, cond[2]) else NA)
                            for cv, st in zip(cvals, part, strict=True)
                        ]
                    col[a:b] = part
                    # the deciding check: first failing, else missing, else unknown, else first
                    if len(parts) == 1:
                        thr_col[a:b] = [checks[0][2]] * (b - a)
                    else:
                        for j, st in enumerate(part):
                            k = next((k for k, pc in enumerate(parts) if pc[j] == st), 0)
                            thr_col[a + j] = checks[k][2]
                    verified = [v for _m, _o, _t, v in checks if v is not None]
                    unverified = bool(verified) and not all(verified)
                    if FAIL in part:
                        failing = [j for j, st in enumerate(part) if st == FAIL]
                        if len(parts) == 1 and checks[0][1] in (">=", "<="):
                            measure, op, thr, _v = checks[0]
                            vals = ordered_values(measure)
                            sign = 1 if op == ">=" else -1
                            for j in failing:
                                raw = (vals[a + j] - thr) * sign
                                g = round(raw, 9) + 0.0  # as operators.gap, inlined for speed
                                fails[a + j] = g if g != 0 or raw == 0 else float(raw)
                        else:
                            for j in failing:
                                k = next(k for k, pc in enumerate(parts) if pc[j] == FAIL)
                                measure, op, thr, _v = checks[k]
                                g = gap(op, ordered_values(measure)[a + j], thr)
                                if g is not None:
                                    fails[a + j] = g
                    if unverified and (PASS in part or FAIL in part):
                        unverified_any = True
                        provisional[a:b] = [
                            pr or st <= FAIL for pr, st in zip(provisional[a:b], part, strict=True)
                        ]
                    if cond is not None:
                        for j, st in enumerate(part):
                            if st in (MISSING, NA) and ordered_values(cond[0])[a + j] is None:
                                thr_col[a + j] = cond[2]
                statuses.append(col)
                gaps.append(fails)
                thresholds.append(thr_col)
                used_unverified.append(unverified_any)
            return statuses, gaps, thresholds, used_unverified

        ind_status, ind_gap, ind_thr, ind_unv = score_indicators(s.indicators)
        crit_status: list[list[str]] = []
        pos = 0
        for crit in s.criteria:
            cols = ind_status[pos : pos + len(crit.indicators)]
            pos += len(crit.indicators)
            crit_status.append(
                [
                    C_FAIL
                    if FAIL in t
                    else (
                        C_INDET
                        if (MISSING in t or UNKNOWN in t)
                        else (C_PASS if PASS in t else C_NA)
                    )
                    for t in zip(*cols, strict=True)
                ]
            )
        rec_status: list[list[int]] = []
        rec_thr: list[list[Any]] = []
        if s.recognition:
            rec_status, _g, rec_thr, _u = score_indicators(s.recognition)
            recognition = [
                C_FAIL
                if FAIL in t
                else (
                    C_INDET if (MISSING in t or UNKNOWN in t) else (C_PASS if PASS in t else C_NA)
                )
                for t in zip(*rec_status, strict=True)
            ]
        else:
            recognition = [C_NA] * n
        verdict: list[str] = []
        met: list[int] = []
        total: list[int] = []
        for t, rec in zip(zip(*crit_status, strict=True), recognition, strict=True):
            if C_FAIL in t or rec == C_FAIL:
                verdict.append("not_certified")
            elif C_INDET in t or rec == C_INDET:
                verdict.append("indeterminate")
            else:
                verdict.append("certified")
            met.append(t.count(C_PASS))
            total.append(len(t) - t.count(C_NA))
        region_applied = [regions[i][0] for i in order]
        return ScoredSet(
            s,
            order,
            pos_of,
            ind_status,
            ind_gap,
            ind_thr,
            ind_unv,
            crit_status,
            verdict,
            met,
            total,
            provisional,
            region_applied,
            recognition,
            rec_status,
            rec_thr,
        )


def fast_culprits(
    old: ScoredSet, new: ScoredSet, commune_index: int, values: dict[str, Any], year: int
) -> list[tuple[Any, ...]]:
    """The culprits of :func:`transition.culprits`, from column results.

    Returns (criterion, indicator, measure, status, cause, value, threshold_from, threshold_to,
    verified, doubt).
    """
    po, pn = old.pos_of[commune_index], new.pos_of[commune_index]
    region = new.region_applied[pn]
    failing_only = new.verdict[pn] == "not_certified"
    old_inds = old.criteria_set.indicators
    old_by_measure: dict[str, int] = {}
    for k, ind in enumerate(old_inds):
        for m in ind.measures:
            old_by_measure.setdefault(m, k)
    out = []
    k = 0
    for c_index, crit in enumerate(new.criteria_set.criteria):
        if new.crit_status[c_index][pn] in (C_PASS, C_NA):
            k += len(crit.indicators)
            continue
        for ind in crit.indicators:
            st = new.ind_status[k][pn]
            k_here = k
            k += 1
            if st in (PASS, NA) or (failing_only and st != FAIL):
                continue
            measure, verified = _deciding_check(ind, st, values, region, year)
            before = old_by_measure.get(measure)
            thr_from = old.ind_threshold[before][po] if before is not None else None
            cause = culprit_cause(
                STATUS_NAMES[st],
                before is not None,
                before is not None and old.ind_status[before][po] == PASS,
            )
            out.append(
                (
                    crit.id,
                    ind.id,
                    measure,
                    STATUS_NAMES[st],
                    cause,
                    values.get(measure),
                    thr_from,
                    new.ind_threshold[k_here][pn],
                    verified,
                    bool(ind.doubt),
                )
            )
    for r_index, cond in enumerate(new.criteria_set.recognition):
        st = new.rec_status[r_index][pn]
        if st not in (PASS, NA) and (not failing_only or st == FAIL):
            measure, verified = _deciding_check(cond, st, values, region, year)
            out.append(
                (
                    "recognition",
                    cond.id,
                    measure,
                    STATUS_NAMES[st],
                    "recognition",
                    values.get(measure),
                    None,
                    new.rec_threshold[r_index][pn],
                    verified,
                    bool(cond.doubt),
                )
            )
    return out


def _deciding_check(
    ind: Indicator, status: int, values: dict[str, Any], region: str, year: int
) -> tuple[str, bool | None]:
    """Measure and threshold verification of the check that decided `status` (as
    IndicatorResult.primary does); `verified` as IndicatorResult.verified (all checks)."""
    cells = [c.threshold.resolve(region, year).cell for c in ind.checks]
    flags = [c.verified for c in cells if c is not None]
    verified = all(flags) if flags else None
    if ind.applies_if is not None and values.get(ind.applies_if.measure) is None:
        return ind.applies_if.measure, verified
    if len(ind.checks) == 1:
        return ind.checks[0].measure, verified
    for check, cell in zip(ind.checks, cells, strict=True):
        value = values.get(check.measure)
        if value is None:
            st = MISSING
        elif cell is None or cell.value is None:
            st = UNKNOWN
        else:
            st = PASS if OPERATORS[check.operator].compare(value, cell.value) else FAIL
        if st == status:
            return check.measure, verified
    return ind.checks[0].measure, verified
