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

from collections.abc import Mapping
from typing import Any, cast

from ..errors import Location
from ..model.commune import Commune, Observed, Recognized
from .table_sheet import TEXT_KEYS, Identity, TableSheet


class CleanRows:
    """What the clean rows of one table share, and each row's commune."""

    def __init__(self, sheet: TableSheet, identity: Identity, n: int) -> None:
        self.file, self.sheet_name = sheet.file, sheet.sheet
        self.name_at = max(sheet.at.get("name", 0), 0)
        self.header = sheet.columns[self.name_at].header if self.name_at < sheet.width else ""
        self.column = self.name_at + 1
        self.needs_name = sheet.at.get("name", -1) >= 0
        blank: list[str | None] = [""] * n
        columns = [identity.texts.get(key, blank) for key in TEXT_KEYS]
        self.texts: list[tuple[str | None, ...]] = list(zip(*columns, strict=True))
        self.shared = identity.shared

    def commune(
        self,
        k: int,
        row: int,
        memo: Mapping[tuple[object, ...], Any],
        measures: Mapping[str, Observed],
        recognition: Mapping[str, Observed],
    ) -> Commune | None:
        """Row `k`'s commune (spreadsheet row `row`), or None when the builder must read it."""
        found = memo.get(self.shared[k])
        texts = self.texts[k]
        if found is None or None in texts:
            return None
        name, district, code, note, data_status = cast("tuple[str, str, str, str, str]", texts)
        if not name and self.needs_name:  # the builder reports the empty name
            return None
        year, province, region, basis, verified, categories, recognized = found
        source = Location(self.file, row, self.column, self.header, True, self.sheet_name)
        if recognized is not None:  # the row's own recognition, located at this row
            recognized = Recognized(recognized.set, recognized.year, recognized.tier, source)
        return Commune.from_read(
            (
                name,
                year,
                region,
                basis,
                verified,
                measures,
                province,
                district,
                code,
                categories,
                recognized,
                recognition,
                note,
                data_status,
                source,
                (),
            )
        )
