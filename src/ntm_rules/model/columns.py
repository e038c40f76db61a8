"""Communes as columns: what the scoring kernel reads.

One float64 array per measure (``NaN`` = no value; yes/no values are 1.0 / 0.0), built once
and shared by every set scored in a run. Table readers hand over the arrays they parsed; for
communes read from YAML (or built in code) the arrays are filled from
:meth:`~ntm_rules.model.commune.Commune.value` on first use.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np

from ..errors import NtmRulesError
from .commune import Commune

FloatArray = np.ndarray[Any, np.dtype[np.float64]]


def _number(value: object) -> float:
    if value is None:
        return float("nan")
    if not isinstance(value, (bool, int, float)):
        raise TypeError(value)
    return float(value)


def _bad_value(communes: Sequence[Commune], measure: str) -> NtmRulesError:
    """A clear error for a commune built in code with a value that is not a number."""
    for c in communes:
        v = c.value(measure)
        if v is not None and not isinstance(v, (bool, int, float)):
            return NtmRulesError(
                f"commune {c.name!r}: measure {measure!r} holds {v!r} "
                f"({type(v).__name__}), not a number or true/false; build communes from "
                "text with ntm_rules.commune_from_mapping, which reads values as a file would "
                "('27,3', '85%', 'có')"
            )
    return NtmRulesError(f"measure {measure!r}: a value is not a number")


class Columns:
    """`n` communes, their identity as objects and their values as arrays."""

    def __init__(
        self,
        communes: Sequence[Commune],
        values: Mapping[str, FloatArray] | None = None,
        *,
        truth: Mapping[str, np.ndarray[Any, np.dtype[np.bool_]]] | None = None,
        complete: bool = False,
    ) -> None:
        """`values` (and, for yes/no measures, `truth`) already read; with `complete`, a
        measure not among `values` has no value in any commune."""
        self.communes = tuple(communes)
        self.n = len(self.communes)
        self._values: dict[str, FloatArray] = dict(values or {})
        self._truth: dict[str, np.ndarray[Any, np.dtype[np.bool_]]] = dict(truth or {})
        self._complete = complete
        self._years: np.ndarray[Any, np.dtype[np.int64]] | None = None
        self._region_keys: tuple[list[tuple[str, tuple[str, ...]]], np.ndarray[Any, Any]] | None
        self._region_keys = None
        self._region_unverified: np.ndarray[Any, np.dtype[np.bool_]] | None = None
        # what identifies each commune across years, when the reader computed it
        self.keys: Sequence[tuple[str, ...]] | None = None

    @classmethod
    def of(cls, communes: Sequence[Commune] | Columns) -> Columns:
        return communes if isinstance(communes, Columns) else cls(communes)

    def value(self, measure: str) -> FloatArray:
        """The observed values of `measure` (NaN where a commune has none)."""
        found = self._values.get(measure)
        if found is None and self._complete:
            found = np.full(self.n, np.nan)
            found.setflags(write=False)
            self._values[measure] = found
        if found is None:
            try:
                found = np.fromiter(
                    (_number(c.value(measure)) for c in self.communes), np.float64, self.n
                )
            except (TypeError, ValueError):
                raise _bad_value(self.communes, measure) from None
            found.setflags(write=False)
            self._values[measure] = found
        return found

    def truth(self, measure: str) -> np.ndarray[Any, np.dtype[np.bool_]]:
        """Where the value of `measure` *is* true (the boolean, not the number 1)."""
        found = self._truth.get(measure)
        if found is None and self._complete:
            found = self.value(measure) == 1.0  # a table's yes/no columns hold booleans only
        if found is None:
            if self.communes and all(c.value(measure) is None or type(c.value(measure)) is bool
                                     for c in self.communes):  # fmt: skip
                found = self.value(measure) == 1.0
            else:
                found = np.fromiter((c.value(measure) is True for c in self.communes), bool, self.n)
            self._truth[measure] = found
        return found

    def region_keys(self) -> tuple[list[tuple[str, tuple[str, ...]]], np.ndarray[Any, Any]]:
        """The distinct (region, categories) of the communes, in order of first appearance,
        and each commune's position among them (worked out once for every set scored)."""
        if self._region_keys is None:
            keys: dict[tuple[str, tuple[str, ...]], int] = {}
            index = np.fromiter(
                (keys.setdefault((c.region, c.categories), len(keys)) for c in self.communes),
                np.intp,
                self.n,
            )
            self._region_keys = (list(keys), index)
        return self._region_keys

    @property
    def region_unverified(self) -> np.ndarray[Any, np.dtype[np.bool_]]:
        """Where a commune's region comes from a province map entry not verified."""
        if self._region_unverified is None:
            self._region_unverified = np.fromiter(
                (not c.region_verified for c in self.communes), bool, self.n
            )
        return self._region_unverified

    @property
    def years(self) -> np.ndarray[Any, np.dtype[np.int64]]:
        if self._years is None:
            self._years = np.fromiter((c.year for c in self.communes), np.int64, self.n)
        return self._years

    @classmethod
    def concat(cls, parts: Sequence[Columns]) -> Columns:
        """The communes of every part, in order; arrays a part has are kept, the others are
        filled from the communes when first asked for."""
        if len(parts) == 1:
            return parts[0]
        communes = [c for part in parts for c in part.communes]
        if all(p._complete for p in parts):
            keys = set().union(*(set(p._values) for p in parts))
            values = {k: np.concatenate([p.value(k) for p in parts]) for k in keys}
            truth = {k: np.concatenate([p.truth(k) for p in parts]) for k in set().union(
                *(set(p._truth) for p in parts))}  # fmt: skip
            return cls(communes, values, truth=truth, complete=True)
        shared = set.intersection(*(set(p._values) for p in parts)) if parts else set()
        return cls(communes, {k: np.concatenate([p._values[k] for p in parts]) for k in shared})

    def take(self, index: Sequence[int]) -> Columns:
        """The communes at `index`, in that order (their arrays too)."""
        picked = np.asarray(index, dtype=np.int64)
        return Columns(
            [self.communes[i] for i in index],
            {k: v[picked] for k, v in self._values.items()},
            truth={k: v[picked] for k, v in self._truth.items()},
            complete=self._complete,
        )
