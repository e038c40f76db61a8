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
    mirror: str = ""  # the check passes iff  threshold <mirror> observed  (break-even side)


def _is_true(observed: Any, _threshold: Any) -> bool:
    return observed is True


OPERATORS: dict[str, Operator] = {
    ">=": Operator(">=", op.ge, True, False, +1, "từ … trở lên", "at least", "<="),
    ">": Operator(">", op.gt, True, False, +1, "lớn hơn", "more than", "<"),
    "<=": Operator("<=", op.le, True, False, -1, "không quá", "at most", ">="),
    "<": Operator("<", op.lt, True, False, -1, "nhỏ hơn", "less than", ">"),
    "==": Operator("==", op.eq, True, True, 0, "bằng", "equal to", "=="),
    "is true": Operator("is true", _is_true, False, True, 0, "đạt", "achieved"),
}


def gap_array(operator: str, observed: Any, threshold: Any) -> Any:
    """Signed distance from the threshold, in the measure's unit, element-wise (numpy).

    Positive: the commune is on the passing side by that much; negative: it falls short (or, for
    a ceiling, exceeds it) by that much; 0: exactly at the boundary. Float noise is rounded away
    at 9 decimals (85.1 - 85 = 0.0999999… gives 0.1), but a difference is never rounded to 0
    unless it is exactly 0. NaN where a value or the threshold is unknown.
    """
    import numpy as np

    diff = np.subtract(observed, threshold, dtype=np.float64)
    direction = OPERATORS[operator].direction
    diff = -np.abs(diff) if direction == 0 else diff * direction
    rounded = np.round(diff, 9) + 0.0
    return np.where((rounded != 0) | (diff == 0), rounded, diff)


def gap(operator: str, observed: Any, threshold: Any) -> float | None:
    """:func:`gap_array` for one value; ``None`` for yes/no values or a missing number."""
    if isinstance(observed, bool) or isinstance(threshold, bool):
        return None
    if not isinstance(observed, (int, float)) or not isinstance(threshold, (int, float)):
        return None
    return float(gap_array(operator, observed, threshold))


def break_even(operator: str, observed: Any) -> tuple[str, float] | None:
    """The thresholds at which a check on `observed` passes, as ``(operator, value)``: a commune
    with 44.8 against an unknown floor (``>=``) passes if the threshold is ``<=`` 44.8. None for
    yes/no checks or a missing value."""
    found = OPERATORS.get(operator)
    if found is None or not found.mirror or observed is None or isinstance(observed, bool):
        return None
    if not isinstance(observed, (int, float)):
        return None
    return found.mirror, observed
