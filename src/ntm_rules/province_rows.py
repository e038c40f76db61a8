"""The batch JSON's ``results``: one summary row per commune, made from the kernel's arrays for
a slice of the communes at a time (the CLI writes a province's rows a thousand at a time, so
that neither every row nor the whole text is held at once). Nothing here decides a status."""

from __future__ import annotations

from itertools import repeat
from typing import TYPE_CHECKING, Any

import numpy as np

from .model.criteria import CriteriaSet
from .model.status import Outcome
from .score.kernel import CRITERION, VERDICT, SetScores

if TYPE_CHECKING:
    from .province import ProvinceResult

OUTCOMES = tuple(Outcome)
_LOWEST = min(CRITERION)  # criterion status codes start below 0 (not applicable)
_WORDS = np.array([str(CRITERION[c]) for c in range(_LOWEST, max(CRITERION) + 1)], dtype=object)
_VERDICT = {code: str(word) for code, word in VERDICT.items()}
_OUTCOME = {o: str(o) for o in OUTCOMES}


def _set_rows(
    result: ProvinceResult, s: CriteriaSet, sc: SetScores, lo: int, hi: int
) -> list[dict[str, Any]]:
    """The part of the rows of communes lo..hi-1 about set `s` (built column by column)."""
    ids = [c.id for c in s.criteria]
    # each commune's criterion statuses as words, made into dicts in C
    words = list(
        map(dict, map(zip, repeat(ids), _WORDS[sc.criteria[:, lo:hi].T - _LOWEST].tolist()))
    )
    regions = [ch.region for ch in sc.choices]
    rows = [
        {
            "verdict": _VERDICT[verdict],
            "criteria_met": met,
            "criteria_total": total,
            "region_applied": regions[choice],
            "provisional": provisional,
            "criteria": criteria,
        }
        for verdict, met, total, choice, provisional, criteria in zip(
            sc.verdict[lo:hi].tolist(),
            sc.met[lo:hi].tolist(),
            sc.total[lo:hi].tolist(),
            sc.choice[lo:hi].tolist(),
            sc.provisional[lo:hi].tolist(),
            words,
            strict=True,
        )
    ]
    if result.assumptions:
        flags = np.asarray(sc.assumed_used[:, lo:hi].any(axis=0), dtype=bool).tolist()
        for row, flag in zip(rows, flags, strict=True):
            row["assumed"] = flag
    for k, c in enumerate(result.communes[lo:hi]):
        if c.appraisals:
            rows[k]["appraised"] = result.appraised(s.id, lo + k)
    return rows


def commune_rows(
    result: ProvinceResult, lo: int = 0, hi: int | None = None
) -> list[dict[str, Any]]:
    """One summary row per commune of `result`, for the communes lo..hi-1, in input order."""
    communes = result.communes[lo:hi]
    hi = lo + len(communes)
    per_set = [
        (s.id, _set_rows(result, s, sc, lo, hi))
        for s, sc in zip(result.sets, result.scores, strict=True)
    ]
    outcomes = [_OUTCOME[o] for o in result.outcomes[lo:hi]] if result.outcomes else None
    tiers = result.highest_tiers[lo:hi] if result.tier_scores else None
    out = []
    for k, c in enumerate(communes):
        row = {
            "commune": c.name,
            "code": c.code,
            "district": c.district,
            "province": c.province,
            "region": c.region,
            "year": c.year,
            "source": c.source.to_dict() if c.source else None,
            "sets": {set_id: rows[k] for set_id, rows in per_set},
            "transition": outcomes[k] if outcomes else None,
        }
        if tiers:
            row["highest_tier"] = tiers[k]
        out.append(row)
    return out
