"""The decision kernel: the one place that decides, for one commune or 100,000.

Everything a verdict rests on is decided here, column by column with numpy, and nowhere else:

* a check: ``missing`` when the commune has no value, else ``unknown`` when the threshold for
  its region (applied) and year is not known, else ``pass`` / ``fail`` by the operator;
* an indicator: the worst of its checks (fail > missing > unknown > pass), unless its
  ``applies_if`` condition has no value (``missing``) or does not hold (``not applicable``); the
  *deciding check* is the first check with that status (the condition when it is missing);
* whether the decision rests on a verified threshold: a pass needs every check's threshold
  verified, a fail one failing check with a verified threshold; an undecided indicator takes the
  flag of its deciding check;
* a criterion: ``fail`` if an indicator fails, else ``indeterminate`` if one is missing or
  unknown, else ``pass`` (not-applicable indicators ignored; all of them: not applicable);
* the verdict: ``not certified`` if a criterion or a recognition condition fails, else
  ``indeterminate`` if one is undecided, else ``certified``; then the sets it requires
  (tiers) are folded in: a set is certified only when every required set is;
* provisional: a pass or fail decided on an unverified threshold, a region taken from the
  unverified province map, or an unverified region rule applied.

Statuses are small integers ordered so that "the worst" is a maximum; the enums of
:mod:`ntm_rules.model.results` are attached at the edge (:data:`STATUS`, :data:`CRITERION`,
:data:`VERDICT`). Everything that explains a result (reasons, sources, gaps in words) is built
from these arrays by :mod:`ntm_rules.score.explain` and decides nothing.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

import numpy as np

from ..model.assumptions import ASSUMED
from ..model.columns import Columns, FloatArray
from ..model.commune import Commune
from ..model.criteria import CriteriaSet
from ..model.status import CriterionStatus, Status, Verdict
from ..operators import gap_array
from .appraisals import apply_appraisals
from .plan import CONDITION, Plan, RegionChoice

__all__ = ["CONDITION", "Plan", "Scorer", "SetScores", "score_set"]

PASS, UNKNOWN, MISSING, FAIL, NA = 0, 1, 2, 3, -1
C_NA, C_PASS, C_INDET, C_FAIL = -1, 0, 1, 2
V_CERTIFIED, V_INDETERMINATE, V_NOT_CERTIFIED = 0, 1, 2
STATUS = {
    PASS: Status.PASS,
    UNKNOWN: Status.UNKNOWN,
    MISSING: Status.MISSING,
    FAIL: Status.FAIL,
    NA: Status.NOT_APPLICABLE,
}
CRITERION = {
    C_NA: CriterionStatus.NOT_APPLICABLE,
    C_PASS: CriterionStatus.PASS,
    C_INDET: CriterionStatus.INDETERMINATE,
    C_FAIL: CriterionStatus.FAIL,
}
VERDICT = {
    V_CERTIFIED: Verdict.CERTIFIED,
    V_INDETERMINATE: Verdict.INDETERMINATE,
    V_NOT_CERTIFIED: Verdict.NOT_CERTIFIED,
}
_COMPARE: dict[str, Any] = {
    ">=": np.greater_equal,
    ">": np.greater,
    "<=": np.less_equal,
    "<": np.less,
    "==": np.equal,
}
# indicator status (+1 as index) -> criterion status
_TO_CRITERION = np.array([C_NA, C_PASS, C_INDET, C_INDET, C_FAIL], dtype=np.int8)

Int8 = np.ndarray[Any, np.dtype[np.int8]]
IntArray = np.ndarray[Any, np.dtype[np.intp]]
BoolArray = np.ndarray[Any, np.dtype[np.bool_]]
CheckKey = tuple[str, int]
# Pass/fail decided elsewhere (the durable_rules backend) for one commune: (indicator id, check
# position) -> passed, for every check whose value and threshold are both known.
Decide = Callable[[Plan, Commune, str, int], Mapping[CheckKey, bool]]


class MissingDecisionError(RuntimeError):
    """An external backend gave no decision for a check the kernel could decide."""


def compare(operator: str, values: FloatArray, threshold: FloatArray | float) -> BoolArray:
    """`values OPERATOR threshold`, element-wise (False where either is NaN). For ``is true``,
    pass :meth:`Columns.truth` as `values` (the number 1 is not true)."""
    if operator == "is true":
        result = np.equal(values, 1.0)
    elif operator in _COMPARE:
        result = _COMPARE[operator](values, threshold)
    else:
        raise ValueError(f"unknown operator {operator!r}")
    return np.asarray(result, dtype=np.bool_)


def holds(
    columns: Columns, measure: str, operator: str, threshold: FloatArray | float
) -> BoolArray:
    """Where `measure OPERATOR threshold` holds for the communes of `columns`."""
    if operator == "is true":
        return np.asarray(columns.truth(measure), dtype=np.bool_)
    return compare(operator, columns.value(measure), threshold)


def _number(value: object) -> float:
    if value is None:
        return float("nan")
    return float(value)  # type: ignore[arg-type]


@dataclass(eq=False)
class SetScores:
    """One set scored over `columns.n` communes (in input order)."""

    plan: Plan
    columns: Columns
    choices: tuple[RegionChoice, ...]  # distinct region choices
    choice: IntArray  # commune -> index into choices
    groups: tuple[tuple[str, int], ...]  # distinct (applied region, year)
    group: IntArray  # commune -> index into groups
    thresholds: FloatArray  # (checks, groups): NaN = unknown
    cell_verified: Int8  # (checks, groups): 1, 0, or -1 (no cell)
    check_status: Int8  # (checks, n)
    status: Int8  # (indicators, n), recognition conditions last
    decider: Int8  # (indicators, n): deciding check's position, or CONDITION
    verified: Int8  # (indicators, n): 1, 0, or -1 (none)
    criteria: Int8  # (criteria, n)
    recognition: Int8  # (n,), a criterion status; C_NA without conditions
    own_verdict: Int8  # (n,), before prerequisites
    verdict: Int8  # (n,)
    met: IntArray
    total: IntArray
    provisional: BoolArray
    appraised: BoolArray  # (indicators, n): decided by a recorded appraisal
    conflict: BoolArray  # (indicators, n): an appraisal disagrees with the computed result
    prerequisites: tuple[SetScores, ...] = ()
    _gaps: dict[int, FloatArray] = field(default_factory=dict)

    @property
    def criteria_set(self) -> CriteriaSet:
        return self.plan.criteria_set

    @property
    def n(self) -> int:
        return self.columns.n

    def threshold(self, check: int) -> FloatArray:
        """The threshold of a check for every commune (NaN: unknown)."""
        return np.asarray(self.thresholds[check][self.group], dtype=np.float64)

    def gap(self, check: int) -> FloatArray:
        """Signed distance to the threshold (operators.gap), NaN where the check is undecided
        or compares yes/no values."""
        found = self._gaps.get(check)
        if found is None:
            spec = self.plan.checks[check]
            if spec.boolean:
                found = np.full(self.n, np.nan)
            else:
                found = gap_array(
                    spec.operator, self.columns.value(spec.measure), self.threshold(check)
                )
            self._gaps[check] = found
        return found

    @cached_property
    def unverified_used(self) -> BoolArray:
        """(indicators, n): decided (pass or fail) on an unverified threshold."""
        decided = (self.status == PASS) | (self.status == FAIL)
        return np.asarray(decided & (self.verified == 0), dtype=np.bool_)

    @cached_property
    def assumed_used(self) -> BoolArray:
        """(indicators, n): decided on an assumed threshold (``--assume``)."""
        plan, n_groups = self.plan, len(self.groups)
        cells = np.zeros((len(plan.checks), n_groups), dtype=bool)
        for g, (region, year) in enumerate(self.groups):
            for c, resolved in enumerate(plan.cells(region, year)):
                cell = resolved.cell
                cells[c, g] = cell is not None and cell.source.kind == ASSUMED
        if not cells.any():
            return np.zeros(self.status.shape, dtype=np.bool_)
        per_indicator = np.array(
            [cells[list(p.checks)].any(axis=0) for p in plan.indicators], dtype=bool
        ).reshape(len(plan.indicators), n_groups)
        decided = (self.status == PASS) | (self.status == FAIL)
        return np.asarray(decided & per_indicator[:, self.group], dtype=np.bool_)

    def region(self, i: int) -> RegionChoice:
        return self.choices[int(self.choice[i])]


def _region_choices(plan: Plan, columns: Columns) -> tuple[tuple[RegionChoice, ...], IntArray]:
    keys, index = columns.region_keys()
    return tuple(plan.region_for(*key) for key in keys), index


def _groups(
    choices: Sequence[RegionChoice], choice: IntArray, years: np.ndarray[Any, Any]
) -> tuple[tuple[tuple[str, int], ...], IntArray]:
    regions = sorted({ch.region for ch in choices})
    region_of_choice = np.array([regions.index(ch.region) for ch in choices], dtype=np.int64)
    if not len(choice):
        return (), np.zeros(0, dtype=np.intp)
    combo = region_of_choice[choice] * (1 << 40) + (years.astype(np.int64) + (1 << 39))
    unique, inverse = np.unique(combo, return_inverse=True)
    groups = tuple(
        (regions[int(u) >> 40], int((int(u) & ((1 << 40) - 1)) - (1 << 39))) for u in unique
    )
    return groups, inverse.astype(np.intp)


def _tables(plan: Plan, groups: Sequence[tuple[str, int]]) -> tuple[FloatArray, Int8]:
    values = np.full((len(plan.checks), len(groups)), np.nan)
    verified = np.full((len(plan.checks), len(groups)), -1, dtype=np.int8)
    for g, (region, year) in enumerate(groups):
        for c, resolved in enumerate(plan.cells(region, year)):
            cell = resolved.cell
            if cell is not None:
                values[c, g] = _number(cell.value)
                verified[c, g] = 1 if cell.verified else 0
    return values, verified


def _decided(
    plan: Plan, columns: Columns, choices: Sequence[RegionChoice], choice: IntArray, decide: Decide
) -> tuple[BoolArray, BoolArray]:
    """Pass/fail of every check from an external backend, commune by commune, and which
    checks it decided."""
    where = {(plan.indicators[c.indicator].id, c.position): c.index for c in plan.checks}
    passed = np.zeros((len(plan.checks), columns.n), dtype=bool)
    given = np.zeros((len(plan.checks), columns.n), dtype=bool)
    for i, commune in enumerate(columns.communes):
        region = choices[choice[i]].region
        for key, ok in decide(plan, commune, region, commune.year).items():
            passed[where[key], i] = ok
            given[where[key], i] = True
    return passed, given


def _check_status(
    plan: Plan,
    columns: Columns,
    thresholds: FloatArray,
    group: IntArray,
    decided: tuple[BoolArray, BoolArray] | None,
) -> Int8:
    out = np.empty((len(plan.checks), columns.n), dtype=np.int8)
    for spec in plan.checks:
        values = columns.value(spec.measure)
        limit = thresholds[spec.index][group]
        if decided is None:
            ok = holds(columns, spec.measure, spec.operator, limit)
        else:
            ok = decided[0][spec.index]
        row = np.where(ok, PASS, FAIL).astype(np.int8)
        row[np.isnan(limit)] = UNKNOWN
        row[np.isnan(values)] = MISSING
        if decided is not None:
            lacking = (row <= FAIL) & (row != UNKNOWN) & (row != MISSING) & ~decided[1][spec.index]
            if lacking.any():
                ind = plan.indicators[spec.indicator].id
                raise MissingDecisionError(f"no decision for indicator {ind} check {spec.position}")
        out[spec.index] = row
    return out


def _indicators(
    plan: Plan,
    columns: Columns,
    check_status: Int8,
    cell_verified: Int8,
    group: IntArray,
) -> tuple[Int8, Int8, Int8]:
    n_ind = len(plan.indicators)
    status = np.empty((n_ind, columns.n), dtype=np.int8)
    decider = np.zeros((n_ind, columns.n), dtype=np.int8)
    verified = np.empty((n_ind, columns.n), dtype=np.int8)
    for p in plan.indicators:
        rows = check_status[list(p.checks)]
        worst = rows.max(axis=0)
        first = np.zeros(columns.n, dtype=np.int8)
        for pos in range(len(p.checks) - 1, 0, -1):
            first[rows[pos] == worst] = pos
        first[rows[0] == worst] = 0
        ver = cell_verified[list(p.checks)][:, group]  # (k, n)
        all_verified = ver.min(axis=0) == 1
        fail_verified = ((rows == FAIL) & (ver == 1)).any(axis=0)
        deciding = np.take_along_axis(ver, first[None, :].astype(np.intp), axis=0)[0]
        flag = np.where(
            worst == PASS,
            all_verified.astype(np.int8),
            np.where(worst == FAIL, fail_verified.astype(np.int8), deciding),
        ).astype(np.int8)
        if p.condition is not None:
            cond = p.condition
            absent = np.isnan(columns.value(cond.measure))
            true = holds(columns, cond.measure, cond.operator, _number(cond.value))
            worst = np.where(absent, MISSING, np.where(true, worst, NA)).astype(np.int8)
            first = np.where(absent, CONDITION, first).astype(np.int8)
            flag = np.where(absent | ~true, -1, flag).astype(np.int8)
        status[p.index] = worst
        decider[p.index] = first
        verified[p.index] = flag
    return status, decider, verified


def _worst_criterion(rows: Int8, n: int) -> Int8:
    """Criterion status from indicator statuses (rows: indicators × n)."""
    if not len(rows):
        return np.full(n, C_NA, dtype=np.int8)
    return np.asarray(_TO_CRITERION[rows.max(axis=0).astype(np.intp) + 1], dtype=np.int8)


def score_set(plan: Plan, columns: Columns, decide: Decide | None = None) -> SetScores:
    """Score every commune of `columns` against the plan's set (prerequisites not applied)."""
    n = columns.n
    choices, choice = _region_choices(plan, columns)
    groups, group = _groups(choices, choice, columns.years)
    thresholds, cell_verified = _tables(plan, groups)
    decided = _decided(plan, columns, choices, choice, decide) if decide is not None else None
    check_status = _check_status(plan, columns, thresholds, group, decided)
    status, decider, verified = _indicators(plan, columns, check_status, cell_verified, group)
    appraised, conflict = apply_appraisals(plan, columns, status, verified)
    scored = plan.n_scored
    criteria = np.empty((plan.n_criteria, n), dtype=np.int8)
    for c in range(plan.n_criteria):
        rows = [p.index for p in plan.indicators[:scored] if p.criterion == c]
        criteria[c] = _worst_criterion(status[rows], n)
    recognition = _worst_criterion(status[scored:], n)
    verdict = np.maximum(recognition, 0).astype(np.int8)
    if plan.n_criteria:
        verdict = np.maximum(verdict, np.maximum(criteria, 0).max(axis=0)).astype(np.int8)
    met = (criteria == C_PASS).sum(axis=0).astype(np.intp)
    total = (criteria != C_NA).sum(axis=0).astype(np.intp)
    decided = (status == PASS) | (status == FAIL)
    unverified = (decided & (verified == 0)).any(axis=0)
    region_unverified = columns.region_unverified
    rule_unverified = (
        np.array([ch.unverified for ch in choices], dtype=bool)[choice]
        if n
        else (np.zeros(0, dtype=bool))
    )
    provisional = unverified | region_unverified | rule_unverified
    return SetScores(
        plan=plan,
        columns=columns,
        choices=choices,
        choice=choice,
        groups=groups,
        group=group,
        thresholds=thresholds,
        cell_verified=cell_verified,
        check_status=check_status,
        status=status,
        decider=decider,
        verified=verified,
        criteria=criteria,
        recognition=recognition,
        own_verdict=verdict,
        verdict=verdict.copy(),
        met=met,
        total=total,
        provisional=provisional,
        appraised=appraised,
        conflict=conflict,
    )


def with_prerequisites(own: SetScores, required: Sequence[SetScores]) -> SetScores:
    """A set is certified only when every set it requires is (a failed one decides), and is
    provisional when any of them is."""
    verdict = own.own_verdict.copy()
    provisional = own.provisional.copy()
    for req in required:
        verdict = np.maximum(verdict, req.verdict).astype(np.int8)
        provisional |= req.provisional
    own.verdict = verdict
    own.provisional = provisional
    own.prerequisites = tuple(required)
    return own


class Scorer:
    """Scores sets over one set of columns, each set once, with its prerequisites applied."""

    def __init__(self, communes: Sequence[Commune] | Columns, decide: Decide | None = None) -> None:
        self.columns = Columns.of(communes)
        self.decide = decide
        self._plans: dict[int, Plan] = {}
        self._done: dict[int, SetScores] = {}

    def plan(self, criteria_set: CriteriaSet) -> Plan:
        key = id(criteria_set)
        found = self._plans.get(key)
        if found is None or found.criteria_set is not criteria_set:
            found = Plan.compile(criteria_set)
            self._plans[key] = found
        return found

    def score(self, criteria_set: CriteriaSet, _depth: int = 0) -> SetScores:
        key = id(criteria_set)
        found = self._done.get(key)
        if found is not None and found.criteria_set is criteria_set:
            return found
        if _depth > 8:
            raise RecursionError(f"tier prerequisites of {criteria_set.id} nest too deeply")
        own = score_set(self.plan(criteria_set), self.columns, self.decide)
        required = [self.score(s, _depth + 1) for s in criteria_set.required_sets]
        result = with_prerequisites(own, required) if required else own
        self._done[key] = result
        return result
