"""Communes within reach of the standard, column-wise from the kernel's arrays (a whole
province); :func:`ntm_rules.score.steps.communes_within` gives the same list from
evaluations."""

from __future__ import annotations

import numpy as np

from ..model.reach import ReachRow, WithinReach
from ..model.status import Verdict
from .kernel import C_FAIL, FAIL, MISSING, UNKNOWN, V_CERTIFIED, VERDICT, SetScores


def sorted_reach(within: int, rows: list[ReachRow]) -> WithinReach:
    kept = [r for r in rows if r.verdict != Verdict.CERTIFIED and r.failing <= within]
    kept.sort(key=lambda r: (r.failing, r.undecided, r.index))
    return WithinReach(within, tuple(kept))


def within_reach(scores: SetScores, within: int) -> WithinReach:
    """:func:`communes_within`, column-wise from the kernel's arrays (a whole province)."""
    status = scores.status
    failing = (status == FAIL).sum(axis=0)
    undecided = ((status == MISSING) | (status == UNKNOWN)).sum(axis=0)
    criteria_failing = (scores.criteria == C_FAIL).sum(axis=0)
    picked = np.flatnonzero((scores.verdict != V_CERTIFIED) & (failing <= within))
    set_id = scores.criteria_set.id
    rows = []
    for i in picked.tolist():
        c = scores.columns.communes[i]
        rows.append(
            ReachRow(
                index=i,
                name=c.name,
                set_id=set_id,
                verdict=VERDICT[int(scores.verdict[i])],
                failing=int(failing[i]),
                criteria_failing=int(criteria_failing[i]),
                undecided=int(undecided[i]),
                criteria_met=int(scores.met[i]),
                criteria_total=int(scores.total[i]),
                code=c.code,
                district=c.district,
            )
        )
    return sorted_reach(within, rows)
