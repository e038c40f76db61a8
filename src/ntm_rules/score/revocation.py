"""The revocation frame (Decision 18/2022/QĐ-TTg), over kernel output, for every commune.

Case (b): the share of failing criteria (of those that apply) is at least ``full_from_pct``.
Case (a): it is at least ``partial_from_pct`` and a key criterion fails. The share is compared
exactly, without rounding. When the criteria still undecided could change the answer, the
commune's place in the frame is undecided. The answer is provisional when it would change if
the failures that rest on unverified thresholds or doubtful indicators were set aside, or when
the rule itself is not verified.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from ..model.criteria import RevocationRule
from .kernel import C_FAIL, C_INDET, C_NA, FAIL, BoolArray, Int8, IntArray, SetScores

UNDECIDED = -1


@dataclass(frozen=True)
class Frame:
    """Per commune: counts, whether it is in the frame (1, 0, or UNDECIDED), the case (b, a,
    or ""), and whether the answer is provisional."""

    rule: RevocationRule
    failing: IntArray
    undecided: IntArray
    total: IntArray
    key_failing: BoolArray  # (key criteria, n)
    key_ids: tuple[str, ...]
    in_frame: Int8
    case: np.ndarray[Any, np.dtype[np.str_]]
    provisional: BoolArray


def _any(rows: BoolArray) -> BoolArray:
    return np.asarray(rows.any(axis=0), dtype=np.bool_)


def _case(failing: IntArray, total: IntArray, key: BoolArray, rule: RevocationRule) -> Int8:
    """2 for case (b), 1 for case (a), 0 outside the frame."""
    share = np.divide(100.0 * failing, total, out=np.zeros(len(total)), where=total > 0)
    full = (share >= rule.full_from_pct) & (total > 0)
    partial = (share >= rule.partial_from_pct) & key & (total > 0)
    return np.where(full, 2, np.where(partial, 1, 0)).astype(np.int8)


def frame(scores: SetScores) -> Frame | None:
    """The frame of every commune, or None when the set has no revocation rule."""
    cset = scores.criteria_set
    rule = cset.revocation
    if rule is None:
        return None
    crit = scores.criteria
    n = scores.n
    ids = [c.id for c in cset.criteria]
    key_rows = [ids.index(k) for k in cset.key_criteria if k in ids]
    failing_mask = crit == C_FAIL
    undecided_mask = crit == C_INDET
    failing = failing_mask.sum(axis=0).astype(np.intp)
    undecided = undecided_mask.sum(axis=0).astype(np.intp)
    total = (crit != C_NA).sum(axis=0).astype(np.intp)
    key_fail = failing_mask[key_rows] if key_rows else np.zeros((0, n), dtype=bool)
    key_open = (failing_mask | undecided_mask)[key_rows] if key_rows else key_fail
    low = _case(failing, total, _any(key_fail), rule)
    high = _case(failing + undecided, total, _any(key_open), rule)
    in_frame = np.where((low > 0) == (high > 0), (low > 0).astype(np.int8), UNDECIDED)
    # failures that would stand with unverified thresholds and doubtful indicators set aside
    definite = np.zeros_like(failing_mask)
    doubt = np.array([bool(p.indicator.doubt) for p in scores.plan.indicators], dtype=bool)
    sure = (scores.status == FAIL) & (scores.verified == 1) & ~doubt[:, None]
    for p in scores.plan.indicators[: scores.plan.n_scored]:
        definite[p.criterion] |= sure[p.index]
    key_sure = definite[key_rows] if key_rows else np.zeros((0, n), dtype=bool)
    sure_case = _case(definite.sum(axis=0).astype(np.intp), total, _any(key_sure), rule)
    provisional = ((low > 0) != (sure_case > 0)) | (not rule.verified)
    case = np.where(in_frame == 1, np.where(low == 2, "b", np.where(low == 1, "a", "")), "")
    return Frame(
        rule=rule,
        failing=failing,
        undecided=undecided,
        total=total,
        key_failing=key_fail,
        key_ids=tuple(ids[r] for r in key_rows),
        in_frame=in_frame.astype(np.int8),
        case=case,
        provisional=provisional,
    )
