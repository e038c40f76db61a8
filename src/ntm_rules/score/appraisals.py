"""Recorded appraisals applied to the kernel's indicator statuses (see
:mod:`ntm_rules.model.appraisal`): an appraisal decides an undecided indicator (missing data or
unknown threshold) and never a decided one; a disagreement with a computed pass or fail is a
conflict. An indicator's own appraisal takes precedence over its criterion's."""

from __future__ import annotations

from typing import Any

import numpy as np

from ..model.appraisal import Appraisal
from ..model.columns import Columns
from ..model.commune import Commune
from .plan import Plan

PASS, UNKNOWN, MISSING, FAIL = 0, 1, 2, 3

BoolArray = np.ndarray[Any, np.dtype[np.bool_]]


def _targets(plan: Plan, target: str, criterion: bool) -> list[int]:
    """Scored indicator rows an appraisal speaks for."""
    if criterion:
        crits = [k for k, c in enumerate(plan.criteria_set.criteria) if c.id == target]
        return [p.index for p in plan.indicators if crits and p.criterion == crits[0]]
    return [p.index for p in plan.indicators if p.id == target and p.criterion >= 0]


def apply_appraisals(
    plan: Plan, columns: Columns, status: np.ndarray[Any, Any], verified: np.ndarray[Any, Any]
) -> tuple[BoolArray, BoolArray]:
    """Set appraised statuses in place (their threshold provenance no longer applies:
    `verified` -1); return (appraised, conflict), both (indicators, n)."""
    appraised = np.zeros(status.shape, dtype=np.bool_)
    conflict = np.zeros(status.shape, dtype=np.bool_)
    cset = plan.criteria_set
    for i, commune in enumerate(columns.communes):
        if not commune.appraisals:
            continue
        covers = cset.covers_year(commune.year)
        mine = [
            a for a in commune.appraisals if a.applies_to(cset.id, cset.base_id, cset.tier, covers)
        ]
        # indicator appraisals first: a criterion's appraisal fills what is still undecided
        for a in sorted(mine, key=lambda a: a.criterion):
            wanted = PASS if a.passed else FAIL
            for k in _targets(plan, a.target, a.criterion):
                now = int(status[k, i])
                if now in (UNKNOWN, MISSING) and not appraised[k, i]:
                    status[k, i] = wanted
                    verified[k, i] = -1
                    appraised[k, i] = True
                elif now in (PASS, FAIL) and not appraised[k, i] and now != wanted:
                    conflict[k, i] = True
    return appraised, conflict


def matched(plan: Plan, target: str, criterion: bool) -> bool:
    """Whether the set has the indicator or criterion an appraisal names."""
    return bool(_targets(plan, target, criterion))


def appraisal_for(plan: Plan, commune: Commune, k: int) -> Appraisal | None:
    """The appraisal indicator row `k` falls under for `commune` (its own, else its
    criterion's), or None."""
    cset, p = plan.criteria_set, plan.indicators[k]
    if p.criterion < 0:
        return None
    crit = cset.criteria[p.criterion].id
    covers = cset.covers_year(commune.year)
    mine = [a for a in commune.appraisals if a.applies_to(cset.id, cset.base_id, cset.tier, covers)]
    own = [a for a in mine if not a.criterion and a.target == p.id]
    whole = [a for a in mine if a.criterion and a.target == crit]
    found = own or whole
    return found[0] if found else None
