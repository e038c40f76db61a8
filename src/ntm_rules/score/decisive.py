"""Decisive unknowns, province-wide: which unknown threshold cells hold up the most verdicts,
and what each would decide as its value varies over the values that matter.

A *cell* is one unknown threshold of one set: (indicator, check, applied region, year level).
For each cell, among the indeterminate communes:

- ``communes``: those with a check waiting on this cell (their verdict hangs partly on it);
- ``sole``: those for which it is the only thing undecided (fill it and they are decided);
- ``sweep``: at each distinct observed value taken as the threshold, how many of them would be
  certified, not certified, still indeterminate, and (with an old set) lose or keep
  certification. A commune passes a ``>=`` check at a threshold equal to its value.

Cells are ranked by ``sole``, then ``communes``; ``decided_if_filled`` is cumulative: filling
the cells up to this one (and no other) decides that many communes. Computed from the kernel's
arrays; a commune with missing data can never be decided by thresholds alone.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ..model.columns import FloatArray
from .kernel import MISSING, UNKNOWN, V_CERTIFIED, V_INDETERMINATE, SetScores, compare

SWEEP_POINTS = 40  # at most this many thresholds per cell (quantiles of the observed values)
TOP = 25  # cells listed with their sweep in the JSON


def _cell_keys(sc: SetScores) -> tuple[np.ndarray[Any, Any], list[tuple[int, str, int | None]]]:
    """(checks, groups) -> cell id (-1: known threshold), and each cell's (check, region, year)."""
    plan = sc.plan
    ids = np.full((len(plan.checks), len(sc.groups)), -1, dtype=np.int32)  # (checks, n) later
    keys: dict[tuple[int, str, int | None], int] = {}
    for g, (region, year) in enumerate(sc.groups):
        for c, resolved in enumerate(plan.cells(region, year)):
            if not np.isnan(sc.thresholds[c, g]) or plan.checks[c].boolean:
                continue
            key = (c, region, resolved.year)
            ids[c, g] = keys.setdefault(key, len(keys))
    return ids, list(keys)


def _thresholds(values: FloatArray) -> FloatArray:
    found = np.unique(values[~np.isnan(values)])
    if len(found) > SWEEP_POINTS:
        found = np.unique(np.quantile(found, np.linspace(0, 1, SWEEP_POINTS), method="nearest"))
    return np.asarray(found, dtype=np.float64)


def _sweep(
    sc: SetScores, check: int, members: np.ndarray[Any, Any], sole: Any, old_cert: Any
) -> list[dict[str, Any]]:
    """Every threshold of the sweep at once: one row of the comparison per threshold."""
    pc = sc.plan.checks[check]
    values = sc.columns.value(pc.measure)[members]
    thresholds = _thresholds(values)
    shape = (len(thresholds), len(values))
    passes = np.broadcast_to(compare(pc.operator, values[None, :], thresholds[:, None]), shape)
    certified = passes & sole
    failed = ~passes
    n_certified = certified.sum(axis=1)
    n_failed = failed.sum(axis=1)
    columns = {
        "threshold": thresholds.tolist(),
        "certified": n_certified.tolist(),
        "not_certified": n_failed.tolist(),
        "indeterminate": (len(members) - n_certified - n_failed).tolist(),
    }
    if old_cert is not None:
        columns["lost"] = (failed & old_cert).sum(axis=1).tolist()
        columns["kept"] = (certified & old_cert).sum(axis=1).tolist()
    return [dict(zip(columns, row, strict=True)) for row in zip(*columns.values(), strict=True)]


def decisive_unknowns(
    sc: SetScores, old_certified: np.ndarray[Any, Any] | None = None, top: int = TOP
) -> dict[str, Any]:
    """The ranked unknown cells of one scored set (see the module docstring)."""
    plan, n = sc.plan, sc.n
    ids, keys = _cell_keys(sc)
    indet = sc.own_verdict == V_INDETERMINATE
    waiting = np.zeros((len(plan.checks), n), dtype=bool)
    for p in plan.indicators:
        open_ind = (sc.status[p.index] == UNKNOWN) | (sc.status[p.index] == MISSING)
        for c in p.checks:
            waiting[c] = (sc.check_status[c] == UNKNOWN) & open_ind & indet
    cell = np.where(waiting, ids[:, sc.group], -1)
    waiting &= cell >= 0
    has_missing = ((sc.status == MISSING) & indet).any(axis=0)
    per_commune = waiting.sum(axis=0)
    sole_commune = indet & ~has_missing & (per_commune == 1)
    counts = np.bincount(cell[waiting], minlength=len(keys))
    sole_counts = np.bincount(cell[waiting & sole_commune], minlength=len(keys))
    order = sorted(
        (k for k in range(len(keys)) if counts[k]), key=lambda k: (-sole_counts[k], -counts[k], k)
    )
    decidable = indet & ~has_missing & (per_commune > 0)
    cumulative = np.zeros(len(keys), dtype=np.intp)
    if keys:
        rank = np.full(len(keys), len(keys), dtype=np.int32)
        rank[order] = np.arange(len(order))
        # a commune is decided once every cell it waits on is filled (never with missing data)
        last = np.where(waiting, rank[np.maximum(cell, 0)], -1).max(axis=0)
        cumulative = np.cumsum(np.bincount(last[decidable], minlength=len(keys)))
    cells = []
    for pos, k in enumerate(order):
        c, region, year = keys[k]
        entry: dict[str, Any] = {
            "set": sc.criteria_set.id,
            "indicator": plan.indicators[plan.checks[c].indicator].id,
            "measure": plan.checks[c].measure,
            "operator": plan.checks[c].operator,
            "region": region,
            "year": year,
            "communes": int(counts[k]),
            "sole": int(sole_counts[k]),
            "decided_if_filled": int(cumulative[pos]),
        }
        if pos < top:
            members = np.flatnonzero(cell[c] == k)
            old = old_certified[members] if old_certified is not None else None
            entry["sweep"] = _sweep(sc, c, members, sole_commune[members], old)
        cells.append(entry)
    return {
        "set": sc.criteria_set.id,
        "indeterminate": int(indet.sum()),
        "decidable_by_thresholds": int(decidable.sum()),
        "with_missing_data": int((indet & has_missing).sum()),
        "cells": cells,
    }


def old_certified(before: np.ndarray[Any, Any]) -> np.ndarray[Any, Any]:
    """Communes certified under the old set (evaluated, or by a recorded recognition)."""
    return np.asarray(before == V_CERTIFIED, dtype=bool)
