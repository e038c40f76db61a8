"""A table's data rows as the row reader uses them, whichever way they were cut: row numbers,
each row's cells, each column's cells, and each measure column read whole.

:class:`ListedRows` holds rows cut one by one (the :mod:`csv` module, a workbook);
:class:`SplitBody` holds a regular CSV cut at once (:mod:`ntm_rules.load.csv_split`), whose
cells become text only where text is needed (identity columns, rows with a problem).
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache
from itertools import zip_longest
from typing import TYPE_CHECKING

from ..errors import Issue
from ..model.vocab import Measure
from .cells import ParsedColumn, parse_column
from .cells_split import parse_split
from .csv_split import SplitRows

if TYPE_CHECKING:
    from collections.abc import Iterator

Row = tuple[int, Sequence[object], Sequence[Issue]]


class ListedRows:
    """Rows cut one by one: (row number, cells, the cells' own problems) each. Cells past the
    end of a short row are None, or "" when every cell is text (`text`, a CSV)."""

    def __init__(self, data: list[Row], text: bool) -> None:
        self.data, self.text = data, text
        self.numbers = [row for row, _values, _pre in data]
        self.pre = [list(pre) for _row, _values, pre in data]
        # the table transposed in C: one tuple of cells per column
        columns: list[Sequence[object]] = list(zip_longest(*(v for _r, v, _p in data)))
        if text and len({len(values) for _row, values, _pre in data}) > 1:
            columns = [tuple("" if c is None else c for c in cells) for cells in columns]
        self.columns = columns

    def values(self, k: int) -> Sequence[object]:
        return self.data[k][1]

    def parse(self, measure: Measure, j: int) -> ParsedColumn:
        missing = ("" if self.text else None,) * len(self.data)
        cells = self.columns[j] if j < len(self.columns) else missing
        return parse_column(measure, cells, self.text)


class _TextColumns(Sequence[Sequence[object]]):
    """The columns of split rows, each made text when first asked for."""

    def __init__(self, rows: SplitRows, width: int) -> None:
        self.rows, self.width = rows, width
        self.get = cache(rows.column)

    def __len__(self) -> int:
        return self.width

    def __getitem__(self, j: int) -> Sequence[object]:  # type: ignore[override]
        if not 0 <= j < self.width:
            raise IndexError(j)
        return self.get(j)

    def __iter__(self) -> Iterator[Sequence[object]]:
        return (self[j] for j in range(self.width))


class SplitBody:
    """A regular CSV's rows, cut at once (no row has problems of its own)."""

    def __init__(self, rows: SplitRows, width: int) -> None:
        self.rows = rows
        self.numbers = rows.numbers
        self.pre: list[list[Issue]] = [[] for _ in rows.numbers]
        self.columns = _TextColumns(rows, width)

    def values(self, k: int) -> Sequence[object]:
        return self.rows.row(k)

    def parse(self, measure: Measure, j: int) -> ParsedColumn:
        return parse_split(measure, self.rows, j)


Body = ListedRows | SplitBody
