"""A table's header and rows as the commune builder reads them: where each identity key's cell
is (:class:`TableSheet`), one row's identity fields (:class:`TableFields`), and the identity columns
read whole (:class:`Identity`). Used by :mod:`ntm_rules.load.table_rows`."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Sequence

from ..errors import Issue, Location
from .communes import SHARED, normal_texts
from .header import IDENTITY_COLUMNS, Column, cell_text

# where to point when a problem concerns a key whose column the table does not have
_FALLBACK = {
    "": ("region", "province", "name"),
    "region": ("region", "province", "name"),
    "province": ("province", "region", "name"),
    "recognized_set": ("recognized_set", "recognized_year", "recognized_tier", "name"),
    "recognized_year": ("recognized_year", "recognized_set", "recognized_tier", "name"),
    "recognized_tier": ("recognized_tier", "recognized_set", "name"),
}


class TableSheet:
    """A table's header, columns and where its cells are."""

    def __init__(self, file: str, columns: list[Column], sheet: str) -> None:
        self.file, self.columns, self.sheet = file, columns, sheet
        self.width = len(columns)
        self.at = {key: -1 for key in IDENTITY_COLUMNS}
        self.at.update({c.key: c.index for c in columns if c.key and c.measure is None})
        self.named = {c.index for c in columns if c.key}
        self.appraisal_columns = [c for c in columns if c.key.startswith("appraisal:")]
        self.blank = [c.index for c in columns if not c.key and not c.header]
        self.unnamed: dict[int, int] = {}  # 0-based column -> first row with data under it

    def location(self, row: int, index: int = -1) -> Location:
        header = self.columns[index].header if 0 <= index < self.width else ""
        column = index + 1 if index >= 0 else 0
        return Location(self.file, row, column, header, table=True, sheet=self.sheet)

    def row_location(self, row: int) -> Location:
        """Where a row's commune is: its name cell (A4 when the name is in column A)."""
        return self.location(row, max(self.at.get("name", 0), 0))

    def issue(self, code: str, message: str, row: int, index: int, hint: str = "") -> Issue:
        return Issue(code, message, self.location(row, index), hint)

    def locate(self, pre: Iterable[Issue]) -> list[Issue]:
        """Cell issues found while reading the file, in named columns only, one per message
        and row, located with the column's header."""
        out: list[Issue] = []
        seen: set[tuple[str, str]] = set()
        for p in pre:
            i = p.location.column - 1
            if i not in self.named or (p.code, p.message) in seen:
                continue
            seen.add((p.code, p.message))
            out.append(self.issue(p.code, p.message, p.location.line, i, p.hint))
        return out

    def check_unnamed(self, row: int, values: Sequence[object]) -> None:
        for i in self.blank:
            if i < len(values) and cell_text(values[i]) and i not in self.unnamed:
                self.unnamed[i] = row
        for i in range(self.width, len(values)):
            if cell_text(values[i]) and i not in self.unnamed:
                self.unnamed[i] = row


class TableFields:
    """One spreadsheet row as :class:`~ntm_rules.load.communes.Fields`."""

    typed = False

    def __init__(
        self,
        sheet: TableSheet,
        row: int,
        values: Sequence[object],
        issues: list[Issue],
        read: Identity,
        k: int,
    ) -> None:
        self.sheet, self.row, self.values, self.issues = sheet, row, values, issues
        self.read, self.k = read, k
        self.at_name: Location | None = None

    def text(self, key: str) -> str | None:
        column = self.read.texts.get(key)
        if column is None:
            return "" if key in self.read.absent else None
        return column[self.k]

    def shared(self) -> tuple[object, ...]:
        return self.read.shared[self.k]

    def has(self, key: str) -> bool:
        return self.sheet.at.get(key, -1) >= 0

    def raw(self, key: str) -> object:
        i = self.sheet.at.get(key, -1)
        value = self.values[i] if 0 <= i < len(self.values) else None
        if isinstance(value, str) and not value.strip():
            return None
        return value

    def issue(
        self, code: str, message: str, key: str, hint: str = "", index: int | None = None
    ) -> None:
        at = self.sheet.at
        column = next((at[k] for k in _FALLBACK.get(key, (key,)) if at.get(k, -1) >= 0), -1)
        if column < 0:
            column = next((i for i in at.values() if i >= 0), 0)
        self.issues.append(self.sheet.issue(code, message, self.row, column, hint))

    def problems(self) -> int:
        return len(self.issues)

    def warn(self, code: str, message: str, key: str, hint: str = "") -> None:
        column = self.sheet.at.get(key, -1)
        found = self.sheet.issue(code, message, self.row, max(column, 0), hint)
        self.issues.append(dataclasses.replace(found, severity="warning"))

    def location(self) -> Location:
        """The row, at its name cell (A4 when the name is in column A); made once per row."""
        if self.at_name is None:
            self.at_name = self.sheet.row_location(self.row)
        return self.at_name


# identity columns whose text cells are read once per distinct text
TEXT_KEYS = ("name", "district", "code", "note", "data_status")


class Identity:
    """A table's identity columns read whole: the normal text of each text cell (None for a
    cell that is not text: the builder reads it) and each row's memo key."""

    def __init__(self, sheet: TableSheet, by_column: Sequence[Sequence[object]], n: int) -> None:
        def cells(key: str) -> Sequence[object]:
            j = sheet.at.get(key, -1)
            return by_column[j] if 0 <= j < len(by_column) else (None,) * n

        self.texts: dict[str, list[str | None]] = {}
        self.absent = {key for key in TEXT_KEYS if sheet.at.get(key, -1) < 0}  # read as ""
        for key in TEXT_KEYS:
            if key in self.absent:
                continue
            self.texts[key] = normal_texts(cells(key))
        self.shared = list(zip(*(cells(k) for k in SHARED), strict=True))
