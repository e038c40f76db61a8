"""The operator registry: the words used in YAML and what they compute.

The loader and the engine share this table, so an operator the loader accepts is always one the
engine can evaluate.
"""

from __future__ import annotations

import operator as op
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Operator:
    name: str
    compare: Callable[[Any, Any], bool]
    numeric: bool  # works on number/percent/count measures
    boolean: bool  # works on boolean measures
    direction: int  # +1: larger observed is better (>=, >); -1: smaller is better; 0: none
    vi: str
    en: str


def _is_true(observed: Any, _threshold: Any) -> bool:
    return observed is True


OPERATORS: dict[str, Operator] = {
    ">=": Operator(">=", op.ge, True, False, +1, "từ … trở lên", "at least"),
    ">": Operator(">", op.gt, True, False, +1, "lớn hơn", "more than"),
    "<=": Operator("<=", op.le, True, False, -1, "không quá", "at most"),
    "<": Operator("<", op.lt, True, False, -1, "nhỏ hơn", "less than"),
    "==": Operator("==", op.eq, True, True, 0, "bằng", "equal to"),
    "is true": Operator("is true", _is_true, False, True, 0, "đạt", "achieved"),
}


def gap(operator: str, observed: Any, threshold: Any) -> float | None:
    """Signed distance from the threshold, in the measure's unit.

    Positive means the commune is on the passing side by that much, negative means it falls
    short by that much, 0 is exactly at the boundary. ``None`` for booleans.
    """
    if isinstance(observed, bool) or isinstance(threshold, bool):
        return None
    if not isinstance(observed, (int, float)) or not isinstance(threshold, (int, float)):
        return None
    direction = OPERATORS[operator].direction
    diff = -abs(observed - threshold) if direction == 0 else (observed - threshold) * direction
    # round away float noise (85.1 - 85 = 0.0999999…), but never to 0 unless exactly at it
    rounded = round(diff, 9) + 0.0
    return rounded if rounded != 0 or diff == 0 else float(diff)
