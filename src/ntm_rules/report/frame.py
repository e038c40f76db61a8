"""The batch result as a pandas DataFrame (pandas is optional: ``pip install ntm-rules[frame]``).

``kind="results"``: one row per commune × set (:data:`RESULT_COLUMNS`); ``kind="long"``: one
row per commune × set × indicator check (:data:`~ntm_rules.report.long.LONG_COLUMNS`). Both
are documented in ``docs/exports.md``. Columns are built with numpy and handed to pandas whole:
numbers as ``float64`` (NaN: no value), counts and years as ``int64``, flags as ``bool``
(``verified``: pandas' nullable ``boolean``, missing where there is no threshold cell).
"""

from __future__ import annotations

import importlib
from typing import Any

import numpy as np

from ..errors import NtmRulesError
from ..province import ProvinceResult
from ..words import t
from .long import LONG_COLUMNS, VERDICT_WORDS, long_columns, long_plan

__all__ = ["KINDS", "RESULT_COLUMNS", "result_columns", "to_frame"]

KINDS = ("results", "long")
RESULT_COLUMNS: tuple[str, ...] = (
    "commune_id",
    "commune",
    "code",
    "province",
    "district",
    "region",
    "year",
    "source",
    "set_id",
    "verdict",
    "criteria_met",
    "criteria_total",
    "region_applied",
    "provisional",
    "transition",
)
Array = np.ndarray[Any, Any]


def _objects(values: list[Any]) -> Array:
    out = np.empty(len(values), dtype=object)
    out[:] = values
    return out


def result_columns(result: ProvinceResult) -> dict[str, Array]:
    """One row per commune × set (commune-major, sets in the result's order), one numpy array
    per column of :data:`RESULT_COLUMNS`; ``transition`` is None unless two sets are compared."""
    fixed = long_plan(result).communes
    n, k = len(result.communes), len(result.scores)
    commune = np.repeat(np.arange(n, dtype=np.int64), k)
    per_set = np.tile(np.arange(k), n)

    def stacked(arrays: list[Array]) -> Array:
        """Per set arrays over the communes -> one value per (commune, set) row."""
        return np.stack(arrays, axis=1).ravel() if arrays else np.empty(0)

    verdicts = _objects(list(VERDICT_WORDS))
    outcomes: list[str | None] = [str(o) for o in result.outcomes] or [None] * n
    out: dict[str, Array] = {
        "commune_id": commune,
        "region": _objects([c.region for c in result.communes])[commune],
        **{key: values[commune] for key, values in fixed.items()},
        "set_id": _objects([s.id for s in result.sets])[per_set],
        "verdict": stacked([verdicts[sc.verdict.astype(np.intp)] for sc in result.scores]),
        "criteria_met": stacked([sc.met.astype(np.int64) for sc in result.scores]),
        "criteria_total": stacked([sc.total.astype(np.int64) for sc in result.scores]),
        "region_applied": stacked(
            [_objects([ch.region for ch in sc.choices])[sc.choice] for sc in result.scores]
        ),
        "provisional": stacked([sc.provisional.astype(bool) for sc in result.scores]),
        "transition": _objects(outcomes)[commune],
    }
    return {key: out[key] for key in RESULT_COLUMNS}


def _pandas() -> Any:
    try:
        return importlib.import_module("pandas")
    except ImportError as exc:
        raise NtmRulesError(t("export_no_pandas", "en")) from exc


def to_frame(result: ProvinceResult, kind: str = "results") -> Any:
    """`result` as a ``pandas.DataFrame`` of the given `kind` (``results`` or ``long``).

    Raises :class:`~ntm_rules.errors.NtmRulesError` when pandas is not installed."""
    if kind not in KINDS:
        raise ValueError(t("export_frame_kind", "en", kind=kind))
    pd = _pandas()
    if kind == "long":
        columns = long_columns(result)
        frame = pd.DataFrame({k: columns[k] for k in LONG_COLUMNS})
        frame["verified"] = frame["verified"].astype("boolean")
        frame["appraised"] = frame["appraised"].astype(bool)
        return frame
    return pd.DataFrame(result_columns(result))
