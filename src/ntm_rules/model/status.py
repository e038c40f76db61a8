"""The words of an outcome: statuses of indicators and criteria, verdicts, transitions, causes."""

from __future__ import annotations

from enum import StrEnum
from typing import Any


class Status(StrEnum):
    """Outcome of one indicator (or one check)."""

    PASS = "pass"
    FAIL = "fail"
    MISSING = "missing"  # no observed value
    UNKNOWN = "unknown"  # the threshold for this region/year is not encoded
    NOT_APPLICABLE = "not_applicable"


class CriterionStatus(StrEnum):
    PASS = "pass"
    FAIL = "fail"
    INDETERMINATE = "indeterminate"
    NOT_APPLICABLE = "not_applicable"


class Verdict(StrEnum):
    CERTIFIED = "certified"
    NOT_CERTIFIED = "not_certified"
    INDETERMINATE = "indeterminate"


class Outcome(StrEnum):
    """A commune's standing from an old set to a new one."""

    KEPT = "kept"
    LOST = "lost"
    GAINED = "gained"
    NEVER = "never"
    INDETERMINATE = "indeterminate"


class Cause(StrEnum):
    """Why an indicator stands between a commune and certification under the new set."""

    NEW_INDICATOR = "new_indicator"
    TIGHTENED = "tightened"
    FAILS = "fails"
    MISSING_DATA = "missing_data"
    UNKNOWN_THRESHOLD = "unknown_threshold"
    RECOGNITION = "recognition"


def num(value: Any) -> Any:
    """A float with no fractional part as an int (JSON shows 90, not 90.0)."""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value
