"""The culprits of many communes at once, as columns (see :mod:`.transition` for what a
culprit is).

Each indicator's culprits are found with array operations; the deciding check, threshold and
cause are looked up once per distinct (deciding check, region-and-year group) and status, never
per cell. Culprits are kept as rows of plain values, grouped by commune in the set's order
(criteria first, recognition conditions after); :class:`Culprit` objects and their JSON are
made from the same rows, so the two cannot disagree.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property
from itertools import repeat
from typing import Any

import numpy as np

from ..model.criteria import CriteriaSet
from ..model.status import Cause, Status
from ..model.transitions import Culprit, is_definite
from ..model.vocab import Measures
from ..words import Text
from .kernel import CONDITION, FAIL, NA, PASS, STATUS, V_NOT_CERTIFIED, SetScores
from .pairing import pair
from .plan import Plan
from .units import unit_of

# one culprit: Culprit's fields, in its order
Row = tuple[str, str, str, Status, Cause, Any, Any, Any, bool | None, bool, str, Text, str]


def culprit_cause(status: Status, had_old: bool, old_passed: bool) -> Cause:
    """Why an indicator stands between a commune and certification under the new set."""
    if status == Status.MISSING:
        return Cause.MISSING_DATA
    if status == Status.UNKNOWN:
        return Cause.UNKNOWN_THRESHOLD
    if not had_old:
        return Cause.NEW_INDICATOR
    return Cause.TIGHTENED if old_passed else Cause.FAILS


_TEXT: dict[str, str] = {m: m.value for m in (*Status, *Cause)}  # plain str for the JSON


class _Deciding:
    """Per indicator of a scored set: the deciding check's measure, operator and threshold,
    looked up once per (deciding check, region-and-year group)."""

    def __init__(self, scores: SetScores) -> None:
        self.scores = scores
        plan = scores.plan
        self.cells = [plan.cells(region, year) for region, year in scores.groups]
        self.found: dict[tuple[int, int, int], tuple[str, str, object]] = {}

    def at(self, k: int, decider: int, group: int) -> tuple[str, str, object]:
        key = (k, decider, group)
        hit = self.found.get(key)
        if hit is None:
            plan = self.scores.plan
            p = plan.indicators[k]
            if decider == CONDITION and p.condition is not None:
                hit = (p.condition.measure, p.condition.operator, p.condition.value)
            else:
                check = p.checks[decider]
                cell = self.cells[group][check].cell
                spec = plan.checks[check]
                hit = (spec.measure, spec.operator, cell.value if cell is not None else None)
            self.found[key] = hit
        return hit

    def column(self, k: int, where: np.ndarray[Any, Any]) -> list[tuple[str, str, object]]:
        """The deciding (measure, operator, threshold) of indicator `k` for each commune."""
        scores = self.scores
        deciders = scores.decider[k, where].astype(np.int64)
        keys = deciders * len(scores.groups) + scores.group[where]
        distinct, back = np.unique(keys, return_inverse=True)
        size = len(scores.groups)
        found = [self.at(k, int(key // size), int(key % size)) for key in distinct.tolist()]
        return [found[j] for j in back.ravel().tolist()]


class _Observed:
    """Observed values and units of the communes asked for (None where no value)."""

    def __init__(self, scores: SetScores, measures: Measures) -> None:
        self.columns, self.measures = scores.columns, measures
        self.units: dict[str, Text] = {}

    def at(self, measures: list[str], where: np.ndarray[Any, Any]) -> list[Any]:
        """The value of ``measures[n]`` for commune ``where[n]``."""
        out: list[Any] = [None] * len(measures)
        for measure in dict.fromkeys(measures):
            picked = [n for n, m in enumerate(measures) if m == measure]
            numbers = self.columns.value(measure)[where[picked]].tolist()
            kind = self.measures.get(measure)
            boolean = kind is not None and kind.type == "boolean"
            for n, x in zip(picked, numbers, strict=True):
                out[n] = None if x != x else (x == 1.0 if boolean else x)
        return out

    def unit(self, measure: str) -> Text:
        found = self.units.get(measure)
        if found is None:
            found = self.units[measure] = unit_of(self.measures, measure)
        return found


_PAIRS: dict[tuple[int, int], tuple[CriteriaSet, CriteriaSet, dict[int, int]]] = {}


def old_index(old: Plan, new: Plan) -> dict[int, int]:
    """New plan indicator -> the old plan indicator it continues (see :mod:`.pairing`)."""
    key = (id(old.criteria_set), id(new.criteria_set))
    hit = _PAIRS.get(key)
    if hit is not None and hit[0] is old.criteria_set and hit[1] is new.criteria_set:
        return hit[2]
    old_pos = {p.id: p.index for p in old.indicators[: old.n_scored]}
    new_pos = {p.id: p.index for p in new.indicators[: new.n_scored]}
    found = {
        new_pos[n.id]: old_pos[o.id]
        for o, n, _how in pair(old.criteria_set, new.criteria_set).pairs
    }
    _PAIRS[key] = (old.criteria_set, new.criteria_set, found)
    return found


@dataclass(frozen=True, eq=False)
class CulpritTable:
    """The culprits of some communes: `rows` grouped by commune, `spans` commune -> (start,
    end) in `rows`."""

    rows: tuple[Row, ...]
    spans: dict[int, tuple[int, int]]

    def culprits(self, i: int) -> tuple[Culprit, ...]:
        """Commune `i`'s culprits (none when it has none or was not asked for)."""
        start, end = self.spans.get(i, (0, 0))
        return tuple(Culprit(*row) for row in self.rows[start:end])

    def definite(self, i: int) -> bool:
        """Some culprit of commune `i` fails on a verified threshold of an indicator not in
        doubt (:attr:`Culprit.definite`)."""
        return self._definite.get(i, False)

    @cached_property
    def _definite(self) -> dict[int, bool]:
        rows = self.rows
        return {
            i: any(is_definite(r[3], r[8], r[9]) for r in rows[start:end])
            for i, (start, end) in self.spans.items()
        }

    def dicts(self, i: int) -> list[dict[str, Any]]:
        """Commune `i`'s culprits as JSON, equal to ``[c.to_dict() for c in culprits(i)]``."""
        start, end = self.spans.get(i, (0, 0))
        text = _TEXT
        # num(x), written out: three per culprit, ~25,000 culprits in a province
        return [
            {
                "criterion": criterion,
                "indicator": indicator,
                "measure": measure,
                "status": text[status],
                "cause": text[cause],
                "value": int(value) if isinstance(value, float) and value.is_integer() else value,
                "operator": operator,
                "threshold_from": int(old) if isinstance(old, float) and old.is_integer() else old,
                "threshold_to": int(new) if isinstance(new, float) and new.is_integer() else new,
                "from_indicator": from_id or None,
                "verified": verified,
                "doubt": doubt,
            }
            for (
                criterion,
                indicator,
                measure,
                status,
                cause,
                value,
                old,
                new,
                verified,
                doubt,
                operator,
                _unit,
                from_id,
            ) in self.rows[start:end]
        ]


def _cause(
    seen: dict[tuple[int, bool, bool], Cause], recognition: bool, code: int, had: bool, ok: bool
) -> Cause:
    """:func:`culprit_cause`, worked out once per distinct (status, had old, old passed)."""
    if recognition:
        return Cause.RECOGNITION
    key = (code, had, ok)
    found = seen.get(key)
    if found is None:
        found = seen[key] = culprit_cause(STATUS[code], had, ok)
    return found


def _old_side(
    old: SetScores, before: int | None, where: np.ndarray[Any, Any], deciding: _Deciding
) -> tuple[list[bool], list[object]]:
    """Per commune at `where`: whether the old set's indicator `before` passed, and its
    deciding threshold (False and None without one)."""
    if before is None:
        return [False] * len(where), [None] * len(where)
    passed: list[bool] = (old.status[before, where] == PASS).tolist()
    return passed, [t for _m, _o, t in deciding.column(before, where)]


def culprit_table(
    old: SetScores, new: SetScores, indices: Sequence[int], measures: Measures
) -> CulpritTable:
    """The culprits of the communes at `indices`, column by column: when the new verdict is
    "not certified", what fails; otherwise what is missing or unknown as well."""
    picked = np.asarray(indices, dtype=np.intp)
    if not len(picked):
        return CulpritTable((), {})
    failing_only = new.verdict[picked] == V_NOT_CERTIFIED
    before_of = old_index(old.plan, new.plan)
    deciding_new, deciding_old = _Deciding(new), _Deciding(old)
    observed = _Observed(new, measures)
    order = [p for p in new.plan.indicators if not p.recognition]
    order += [p for p in new.plan.indicators if p.recognition]
    criteria_ids = [c.id for c in new.criteria_set.criteria]
    communes: list[int] = []
    rows: list[Row] = []
    causes: dict[tuple[int, bool, bool], Cause] = {}
    for p in order:
        codes = new.status[p.index, picked]
        wanted = (codes != PASS) & (codes != NA) & (~failing_only | (codes == FAIL))
        hits = np.flatnonzero(wanted)
        if not len(hits):
            continue
        before = None if p.recognition else before_of.get(p.index)
        where = picked[hits]
        at = where.tolist()
        statuses = codes[hits].tolist()
        flags = [None if f < 0 else bool(f) for f in new.verified[p.index, where].tolist()]
        passed, thresholds_old = _old_side(old, before, where, deciding_old)
        criterion = "recognition" if p.recognition else criteria_ids[p.criterion]
        from_id = old.plan.indicators[before].id if before is not None else ""
        doubt = bool(p.indicator.doubt)
        decided = deciding_new.column(p.index, where)
        measures_ = [m for m, _o, _t in decided]
        had = before is not None
        rows.extend(
            zip(
                repeat(criterion),
                repeat(p.id),
                measures_,
                [STATUS[code] for code in statuses],
                [
                    _cause(causes, p.recognition, code, had, ok)
                    for code, ok in zip(statuses, passed, strict=True)
                ],
                observed.at(measures_, where),
                thresholds_old,
                [t for _m, _o, t in decided],
                flags,
                repeat(doubt),
                [o for _m, o, _t in decided],
                [observed.unit(m) for m in measures_],
                repeat(from_id),
            )
        )
        communes.extend(at)
    return _grouped(communes, rows)


def _grouped(communes: list[int], rows: list[Row]) -> CulpritTable:
    """`rows` (found indicator by indicator) grouped by commune, keeping their order."""
    order_by = np.argsort(np.asarray(communes, dtype=np.intp), kind="stable")
    grouped = tuple(rows[j] for j in order_by.tolist())
    sorted_communes = np.asarray(communes, dtype=np.intp)[order_by]
    spans: dict[int, tuple[int, int]] = {}
    if len(sorted_communes):
        starts = np.flatnonzero(np.r_[True, sorted_communes[1:] != sorted_communes[:-1]])
        ends = np.r_[starts[1:], len(sorted_communes)]
        for s, e in zip(starts.tolist(), ends.tolist(), strict=True):
            spans[int(sorted_communes[s])] = (s, e)
    return CulpritTable(grouped, spans)
