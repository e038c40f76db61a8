"""One table row's measure values, read from the table's parsed columns (a read-only mapping
per row, as a YAML commune's ``measures:``), used by :mod:`ntm_rules.load.table_rows` and
:mod:`ntm_rules.load.table_build`."""

from __future__ import annotations

import math
from collections.abc import Iterator, Mapping

from ..model.columns import FloatArray
from ..model.commune import Observed
from ..model.vocab import Vocab


class RowValues(Mapping[str, Observed]):
    """One row's measure values, read from the table's columns (read-only)."""

    __slots__ = ("_row", "_table")

    def __init__(self, table: Values, row: int) -> None:
        self._table, self._row = table, row

    def __getitem__(self, key: str) -> Observed:
        column = self._table.arrays.get(key)
        if column is None:
            raise KeyError(key)
        value = float(column[self._row])
        if math.isnan(value):
            raise KeyError(key)
        kind = self._table.kinds[key]
        if kind == "boolean":
            return value == 1.0
        if kind == "count" or value.is_integer():
            return int(value)
        return value

    def __iter__(self) -> Iterator[str]:
        row = self._row
        return (k for k, col in self._table.arrays.items() if not math.isnan(col[row]))

    def __len__(self) -> int:
        return sum(1 for _ in self)


class Values:
    """The parsed measure columns of a table, split as YAML splits them."""

    def __init__(self, arrays: dict[str, FloatArray], vocab: Vocab) -> None:
        self.arrays = arrays
        self.kinds = {k: vocab.measures[k].type for k in arrays}
