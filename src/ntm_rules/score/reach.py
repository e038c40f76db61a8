"""Communes within reach of the standard, column-wise from the kernel's arrays (a whole
province); :func:`ntm_rules.score.steps.communes_within` gives the same list from
evaluations."""

from __future__ import annotations

from typing import Any

import numpy as np

from ..model.reach import ReachRow, WithinReach
from .kernel import C_FAIL, FAIL, MISSING, UNKNOWN, V_CERTIFIED, VERDICT, SetScores


def _picked(scores: SetScores, within: int) -> tuple[list[list[Any]], list[int]]:
    """The columns of the rows within reach, in their order (see :func:`within_reach`)."""
    status = scores.status
    failing = (status == FAIL).sum(axis=0)
    undecided = ((status == MISSING) | (status == UNKNOWN)).sum(axis=0)
    criteria_failing = (scores.criteria == C_FAIL).sum(axis=0)
    picked = np.flatnonzero((scores.verdict != V_CERTIFIED) & (failing <= within))
    picked = picked[np.lexsort((picked, undecided[picked], failing[picked]))]
    columns = [
        scores.verdict[picked].tolist(),
        failing[picked].tolist(),
        criteria_failing[picked].tolist(),
        undecided[picked].tolist(),
        scores.met[picked].tolist(),
        scores.total[picked].tolist(),
    ]
    return columns, picked.tolist()


def within_reach(scores: SetScores, within: int) -> WithinReach:
    """:func:`communes_within`, column-wise from the kernel's arrays (a whole province): the
    same rows in the same order (fewest failing, then fewest undecided, then input order)."""
    columns, picked = _picked(scores, within)
    set_id, communes = scores.criteria_set.id, scores.columns.communes
    rows = [
        ReachRow(
            i,
            communes[i].name,
            set_id,
            VERDICT[verdict],
            fails,
            criteria,
            open_,
            met,
            total,
            communes[i].code,
            communes[i].district,
        )
        for i, verdict, fails, criteria, open_, met, total in zip(picked, *columns, strict=True)
    ]
    return WithinReach(within, tuple(rows))


def within_reach_json(scores: SetScores, within: int) -> dict[str, Any]:
    """``within_reach(scores, within).to_dict()`` (tested), without an object per row."""
    columns, picked = _picked(scores, within)
    set_id, communes = scores.criteria_set.id, scores.columns.communes
    words = {code: str(word) for code, word in VERDICT.items()}
    rows = []
    for i, verdict, fails, criteria, open_, met, total in zip(picked, *columns, strict=True):
        c = communes[i]
        rows.append(
            {
                "index": i,
                "commune": c.name,
                "code": c.code,
                "district": c.district,
                "set": set_id,
                "verdict": words[verdict],
                "failing": fails,
                "criteria_failing": criteria,
                "undecided": open_,
                "criteria_met": met,
                "criteria_total": total,
            }
        )
    return WithinReach(within, ()).to_dict() | {"count": len(rows), "communes": rows}
