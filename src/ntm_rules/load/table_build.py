"""A table's clean rows made communes without the per-row builder.

:func:`ntm_rules.load.communes.build_commune` reads the year, province, region, categories and
recognition of a table row once per distinct set of raw cells (its `memo`) and every text
field from the identity columns read whole (:class:`~ntm_rules.load.table_sheet.Identity`). A
row whose cells raised no problem, whose shared cells are already in the memo and whose text
cells are all text therefore holds nothing the builder would still check: :class:`CleanRows`
makes its commune straight from those pieces. Every other row (the first of each distinct set
of shared cells, a row with a problem, a workbook cell that is not text, a table with appraisal
columns) goes through the builder. Both ways give equal communes (tested on random tables).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any, cast

from ..model.commune import Commune, Recognized
from .row_values import RowValues, Values
from .table_sheet import TEXT_KEYS, Identity, TableSheet


class CleanRows:
    """What the clean rows of one table share; the communes of all its rows (:meth:`read`)."""

    def __init__(self, sheet: TableSheet, identity: Identity, n: int) -> None:
        self.locate = sheet.row_location
        self.needs_name = sheet.at.get("name", -1) >= 0
        blank: list[str | None] = [""] * n
        columns = [identity.texts.get(key, blank) for key in TEXT_KEYS]
        self.texts: list[tuple[str | None, ...]] = list(zip(*columns, strict=True))
        self.shared = identity.shared

    def read(
        self,
        numbers: Sequence[int],
        per_row: Sequence[Sequence[object]],
        memo: Mapping[tuple[object, ...], Any],
        measures: Values,
        recognition: Values,
        slow: Callable[[int, int], Commune | None],
    ) -> tuple[list[Commune], list[int]]:
        """The communes of the rows (spreadsheet row numbers `numbers`), in order, and the
        positions of the rows they come from: a clean row's made here, any other row's by
        `slow(k, row)` (None when the row is left out). `memo` is the builder's, filled by
        the rows it reads; a row with problems of its own (`per_row`) is never clean."""
        communes: list[Commune] = []
        keep: list[int] = []
        shared, texts, get, locate = self.shared, self.texts, memo.get, self.locate
        needs_name = self.needs_name
        for k, row in enumerate(numbers):
            found = None if per_row[k] else get(shared[k])
            text = texts[k]
            if found is None or None in text or (needs_name and not text[0]):
                made = slow(k, row)
                if made is not None:
                    communes.append(made)
                    keep.append(k)
                continue
            name, district, code, note, data_status = cast("tuple[str, str, str, str, str]", text)
            year, province, region, basis, verified, categories, recognized = found
            source = locate(row)
            if recognized is not None:  # the row's own recognition, located at this row
                recognized = Recognized(recognized.set, recognized.year, recognized.tier, source)
            fields = (name, year, region, basis, verified, RowValues(measures, k), province,
                      district, code, categories, recognized, RowValues(recognition, k), note,
                      data_status, source, ())  # fmt: skip
            communes.append(Commune.from_read(fields))
            keep.append(k)
        return communes, keep
