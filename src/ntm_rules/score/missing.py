"""Missing data, province-wide: how many communes lack each measure an applicable indicator
reads (from the kernel's arrays)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from ..model.columns import Columns
from .kernel import SetScores, holds


def missing_measures(scores: Sequence[SetScores], columns: Columns) -> dict[str, int]:
    """Measure -> communes without a value, counting a commune only where some indicator
    reading the measure applies to it (a craft-village plan is not missing where there is
    no craft village)."""
    readers: dict[str, list[Any]] = {}  # measure -> conditions (None: unconditional)
    for sc in scores:
        for p in sc.plan.indicators:
            for c in p.checks:
                readers.setdefault(sc.plan.checks[c].measure, []).append(p.condition)
            if p.condition is not None:
                readers.setdefault(p.condition.measure, []).append(None)
    counts: dict[str, int] = {}
    for measure, conditions in readers.items():
        absent = np.isnan(columns.value(measure))
        if all(cond is not None for cond in conditions):
            applies = np.zeros(columns.n, dtype=bool)
            for cond in conditions:
                values = columns.value(cond.measure)
                applies |= np.isnan(values) | holds(
                    columns, cond.measure, cond.operator, float(cond.value)
                )
            absent &= applies
        count = int(absent.sum())
        if count:
            counts[measure] = count
    return dict(sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])))
