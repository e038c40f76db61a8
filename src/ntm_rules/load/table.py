"""Communes from a spreadsheet: one commune per row, in a CSV or an Excel (.xlsx) file.

This is the form planners actually keep their data in. The rules, in full:

**Files.** ``.csv`` and ``.xlsx`` only; ``.xls``, ``.xlsm``, ``.ods`` and the rest are refused
(``unsupported-format``: save as .xlsx or as "CSV UTF-8"). A CSV must be UTF-8 (a leading BOM is
fine; UTF-16 and legacy code pages are refused with a located ``bad-encoding`` issue, as for
YAML). Its delimiter is ``,`` or ``;`` (Excel in Vietnamese locales writes ``;``): the header
row is split both ways and the delimiter that yields more recognised column names wins; on a
tie, the one giving more columns; then ``,``. An Excel ``sep=;`` (or ``sep=,``) first line
decides instead and is not counted as a row (Excel does not show it). A value containing the
delimiter must be quoted, as every spreadsheet program does (``"41,5"`` in a comma CSV). In an
.xlsx file the sheet named ``communes`` or ``xa``/``Xã`` is read, else the first worksheet.

**Header.** The first non-empty row is the header (normally row 1). A column is named by

* an identity key: ``name`` and ``year`` (both required), ``province``, ``district``, ``code``,
  ``region``, ``categories`` (several, separated by ``,`` or ``;``), ``recognized_set``,
  ``recognized_year``, ``recognized_tier``, ``data_status``, ``note``; or a Vietnamese alias:
  Tên xã / Xã / Tên, Tỉnh, Huyện, Vùng, Năm, Mã xã, Nhóm / Phân loại, Ghi chú;
* a measure: its key, its Vietnamese label or its English label (criteria/measures.yaml).
  The recognition measures (:data:`RECOGNITION_MEASURES`) go to ``Commune.recognition``, the
  others to ``Commune.measures``, exactly as under ``recognition:`` / ``measures:`` in YAML.

Names are compared folded (:func:`ntm_rules.model.vocab.fold`): case, diacritics, punctuation such
as ``_ - , .`` and extra spaces do not matter. Header problems make the whole file unreadable:
:class:`~ntm_rules.errors.InvalidFileError` is raised with every one of them, located at
``Location(file, line=header row, column=1-based column, path=header text)``:
``unknown-column`` (with a did-you-mean hint over keys and labels), ``duplicate-column`` (two
headers naming the same key), ``missing-column`` (no ``name`` or ``year``; column 1), and
``unnamed-column`` (data under a column without a header, found while reading the rows).
Columns without a header and without data, and empty rows, are ignored wherever they are.

**Rows.** Each measure cell is read by :func:`ntm_rules.load.values.parse_value`, the same lenient
rules as YAML (``41,5``, ``85%``, ``có``/``đạt``/``x``; empty, ``-``, ``n/a`` = no data), a whole
column at a time (:mod:`ntm_rules.load.cells`); the identity of each row goes through the one
commune builder (:func:`ntm_rules.load.communes.build_commune`). The
year is a whole number 2000..2100, as a number or as text (a date is refused). ``region`` may
be a code or a region's name; when it is empty the region comes from ``province``. A row with
any problem is skipped, and every problem in it is reported as an
:class:`~ntm_rules.errors.Issue` located at ``Location(file, line=row as the spreadsheet
numbers it (header = row 1), column=1-based column, path=the column's header text)``; the
other rows are still read. Each commune's ``source`` is its name cell (``A4``).
:attr:`TableRead.rows` counts the non-empty data rows, read or skipped. Besides row errors,
:attr:`TableRead.issues` may hold warnings (``severity="warning"``): ``no-rows`` (a header
and nothing else) and ``checks-skipped`` (below).

**Excel specifics.** Cells are read with openpyxl (``read_only=True, data_only=True``). A
formula is read as the value the spreadsheet program saved with it; a formula with no saved
value (the file was written by a program and never calculated) is ``formula-without-value``.
A cell showing an error (``#DIV/0!``, ``#N/A``…; also as text in a CSV) is ``cell-error``.
Numbers arrive as numbers and TRUE/FALSE as booleans; a number formatted as a percentage in a
percent measure is read as it is shown (0.855 formatted ``85.5%`` is 85.5). A merged range
keeps its value only in its top-left cell, so every other cell of a merged range that has a
value, in a named column below the header, is reported as ``merged-cell`` for its row (for a
horizontal merge, on the same row). Formulas without values and merged ranges are found by a
byte scan of the sheet's XML (no second openpyxl load); when that part is larger than
:data:`SCAN_LIMIT` bytes uncompressed the scan is skipped with a ``checks-skipped`` warning.
Leading zeros of codes typed as numbers are lost by Excel itself: format such columns as text
(the template does).
"""

from __future__ import annotations

import csv
import io
import math
import re
import zipfile
import zlib
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from itertools import zip_longest
from pathlib import Path

import numpy as np

from ..errors import InvalidFileError, Issue, Location
from ..model.columns import Columns, FloatArray
from ..model.commune import Commune, Observed
from ..model.vocab import Measure, Vocab, fold
from .cells import parse_column, read_text_value
from .communes import build_commune
from .header import (
    IDENTITY_COLUMNS,
    RECOGNITION_MEASURES,
    Column,
    cell_text,
    header_index,
    resolve_header,
)
from .source import MAX_BYTES, read_text
from .xlsx_rows import open_sheet, xlsx_rows

SUFFIXES = (".csv", ".xlsx")
_SEP_LINE = re.compile(r"sep=([,;])\r?\n")
Row = tuple[int, Sequence[object], list[Issue]]


@dataclass(frozen=True)
class TableRead:
    """What :func:`read_table` found: the readable rows, and the problems of the others.

    `rows` counts the non-empty data rows (read or skipped); `columns` holds the communes'
    measure values as arrays, ready for the kernel.
    """

    communes: tuple[Commune, ...]
    issues: tuple[Issue, ...]
    rows: int
    columns: Columns | None = None


class RowValues(Mapping[str, Observed]):
    """One row's measure values, read from the table's columns (read-only)."""

    __slots__ = ("_row", "_table")

    def __init__(self, table: _Values, row: int) -> None:
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


class _Values:
    """The parsed measure columns of a table, split as YAML splits them."""

    def __init__(self, arrays: dict[str, FloatArray], measures: Mapping[str, Measure]) -> None:
        self.arrays = arrays
        self.kinds = {k: measures[k].type for k in arrays}


# where to point when a problem concerns a key whose column the table does not have
_FALLBACK = {
    "": ("region", "province", "name"),
    "region": ("region", "province", "name"),
    "province": ("province", "region", "name"),
    "recognized_set": ("recognized_set", "recognized_year", "recognized_tier", "name"),
    "recognized_year": ("recognized_year", "recognized_set", "recognized_tier", "name"),
    "recognized_tier": ("recognized_tier", "recognized_set", "name"),
}


class _Sheet:
    """A table's header, columns and where its cells are."""

    def __init__(self, file: str, columns: list[Column], sheet: str) -> None:
        self.file, self.columns, self.sheet = file, columns, sheet
        self.width = len(columns)
        self.at = {key: -1 for key in IDENTITY_COLUMNS}
        self.at.update({c.key: c.index for c in columns if c.key and c.measure is None})
        self.named = {c.index for c in columns if c.key}
        self.blank = [c.index for c in columns if not c.key and not c.header]
        self.unnamed: dict[int, int] = {}  # 0-based column -> first row with data under it

    def location(self, row: int, index: int = -1) -> Location:
        header = self.columns[index].header if 0 <= index < self.width else ""
        column = index + 1 if index >= 0 else 0
        return Location(self.file, row, column, header, table=True, sheet=self.sheet)

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


class _TableFields:
    """One spreadsheet row as :class:`~ntm_rules.load.communes.Fields`."""

    typed = False

    def __init__(
        self, sheet: _Sheet, row: int, values: Sequence[object], issues: list[Issue]
    ) -> None:
        self.sheet, self.row, self.values, self.issues = sheet, row, values, issues

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

    def location(self) -> Location:
        """The row, at its name cell (A4 when the name is in column A)."""
        return self.sheet.location(self.row, max(self.sheet.at.get("name", 0), 0))


def _blank(values: Sequence[object]) -> bool:
    return all(v is None or (type(v) is str and not v.strip()) for v in values)


def _header(file: str, rows: Iterator[Row], vocab: Vocab, sheet: str) -> tuple[_Sheet, int]:
    index = header_index(vocab.measures)
    for row, values, _pre in rows:
        if _blank(values):
            continue
        columns, problems = resolve_header(values, file, row, vocab.measures, index)
        for i, p in enumerate(problems):
            problems[i] = Issue(
                p.code,
                p.message,
                Location(file, p.location.line, p.location.column, p.location.path, True, sheet),
                p.hint,
            )
        if problems:
            raise InvalidFileError(problems)
        return _Sheet(file, columns, sheet), row
    raise InvalidFileError(
        [
            Issue(
                "empty-table",
                "the file has no header row",
                Location(file),
                "the first row names the columns: name, year, region, then measure keys",
            )
        ]
    )


def _measure_columns(
    sheet: _Sheet, data: list[Row], vocab: Vocab, issues: list[list[Issue]], text: bool
) -> dict[str, FloatArray]:
    """Every measure column parsed at once; each cell's problem goes to its row's issues."""
    arrays: dict[str, FloatArray] = {}
    # the table transposed in C: one tuple of cells per column, short rows padded with None
    by_column = list(zip_longest(*(values for _row, values, _pre in data)))
    for column in sheet.columns:
        if column.measure is None:
            continue
        j = column.index
        cells = by_column[j] if j < len(by_column) else (None,) * len(data)
        parsed = parse_column(column.measure, cells, text)
        for k, problem in parsed.problems.items():
            issues[k].append(
                sheet.issue(problem.code, problem.message, data[k][0], j, problem.hint)
            )
        arrays[column.key] = parsed.values
    return arrays


def _read_rows(
    file: str,
    rows: Iterable[Row],
    vocab: Vocab,
    warnings: Sequence[Issue] = (),
    sheet_name: str = "",
    text: bool = False,
) -> TableRead:
    """The common part: header, then rows. `rows` yields (row number, cells, cell issues);
    `text`: every cell is text (a CSV)."""
    stream = iter(rows)
    sheet, header_line = _header(file, stream, vocab, sheet_name)
    data: list[Row] = []
    for row, values, pre in stream:
        cell_issues = sheet.locate(pre) if pre else []
        if not cell_issues and _blank(values):
            continue
        sheet.check_unnamed(row, values)
        data.append((row, values, cell_issues))
    if sheet.unnamed:
        raise InvalidFileError(
            [
                Issue(
                    "unnamed-column",
                    f"column {i + 1} has no header but row {row} has data in it",
                    Location(file, header_line, i + 1, "", True, sheet_name),
                    "name the column or delete its data",
                )
                for i, row in sorted(sheet.unnamed.items())
            ]
        )
    per_row: list[list[Issue]] = [list(pre) for _row, _values, pre in data]
    arrays = _measure_columns(sheet, data, vocab, per_row, text)
    recognition = {k: v for k, v in arrays.items() if k in RECOGNITION_MEASURES}
    measures = {k: v for k, v in arrays.items() if k not in RECOGNITION_MEASURES}
    values_m = _Values(measures, vocab.measures)
    values_r = _Values(recognition, vocab.measures)
    communes: list[Commune] = []
    keep: list[int] = []
    issues: list[Issue] = list(warnings)
    for k, (row, values, _pre) in enumerate(data):
        found = per_row[k]
        fields = _TableFields(sheet, row, values, found)
        commune = build_commune(fields, vocab, RowValues(values_m, k), RowValues(values_r, k))
        issues.extend(found)
        if not found:
            communes.append(commune)
            keep.append(k)
    if not data:
        issues.append(
            Issue(
                "no-rows",
                "the table has a header but no data rows",
                Location(file, header_line, 1, "", True, sheet_name),
                severity="warning",
            )
        )
    picked = np.asarray(keep, dtype=np.intp)
    kept = {k: v[picked] for k, v in arrays.items()}
    truth = {k: v == 1.0 for k, v in kept.items() if vocab.measures[k].type == "boolean"}
    columns = Columns(communes, kept, truth=truth, complete=True)
    return TableRead(tuple(communes), tuple(issues), len(data), columns)


# --- CSV -----------------------------------------------------------------------------------


def sniff_delimiter(text: str, index: dict[str, str]) -> str:
    """``,`` or ``;``: whichever splits the header row into more known column names."""
    best, score = ",", (-1, -1)
    for delimiter in (",", ";"):
        try:
            header = next(csv.reader(io.StringIO(text), delimiter=delimiter), [])
        except csv.Error:
            continue
        known = sum(1 for h in header if fold(h) in index or h.strip() in index)
        if (known, len(header)) > score:
            best, score = delimiter, (known, len(header))
    return best


def _csv_rows(
    text: str, delimiter: str, file: str
) -> Iterator[tuple[int, Sequence[object], list[Issue]]]:
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    row = 0
    try:
        for row, cells in enumerate(reader, start=1):
            yield row, cells, []
    except csv.Error as exc:
        raise InvalidFileError(
            [
                Issue(
                    "csv-syntax",
                    f"CSV error: {exc}",
                    Location(file, row + 1, 1),
                    'check the quotes (") in that row',
                )
            ]
        ) from None


def read_csv(path: Path, vocab: Vocab) -> TableRead:
    file = str(path)
    text, problem = read_text(path)
    if problem is not None:
        raise InvalidFileError([problem])
    assert text is not None
    hint = _SEP_LINE.match(text)
    if hint is not None:  # Excel's "sep=;" first line: it is not shown as a row
        text = text[hint.end() :]
        delimiter = hint.group(1)
    else:
        delimiter = sniff_delimiter(text, header_index(vocab.measures))
    return _read_rows(file, _csv_rows(text, delimiter, file), vocab, text=True)


# --- XLSX ----------------------------------------------------------------------------------


def read_xlsx(path: Path, vocab: Vocab) -> TableRead:
    file = str(path)
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise InvalidFileError(
            [
                Issue(
                    "file-not-found",
                    f"cannot read the file: {exc.strerror}",
                    Location(file),
                    "check the path",
                )
            ]
        ) from None
    if size > MAX_BYTES:
        raise InvalidFileError(
            [
                Issue(
                    "file-too-large",
                    f"the file is {size:,} bytes; the limit is {MAX_BYTES:,}",
                    Location(file),
                    "split the data into several files",
                )
            ]
        )
    found = open_sheet(path, file)
    warnings = (
        [
            Issue(
                "checks-skipped",
                "the sheet is too large to check for merged cells and "
                "formulas without saved values",
                Location(file),
                severity="warning",
            )
        ]
        if found.scan.skipped
        else []
    )
    try:
        return _read_rows(file, xlsx_rows(found, file), vocab, warnings, found.sheet.title)
    except (SyntaxError, zipfile.BadZipFile, zlib.error, EOFError) as exc:  # a damaged part
        raise InvalidFileError(
            [
                Issue(
                    "bad-xlsx",
                    f"cannot read the sheet: {exc}",
                    Location(file),
                    "open it in Excel or LibreOffice and save it again as .xlsx",
                )
            ]
        ) from None
    finally:
        found.book.close()


# --- entry point ---------------------------------------------------------------------------


MAX_ISSUES = 1000


def _capped(table: TableRead) -> TableRead:
    """At most MAX_ISSUES issues per table, then one that says how many more there were."""
    if len(table.issues) <= MAX_ISSUES:
        return table
    more = len(table.issues) - MAX_ISSUES
    last = table.issues[MAX_ISSUES - 1].location
    note = Issue(
        "too-many-errors",
        f"{more:,} more problems are not listed",
        Location(last.file, last.line, last.column, "", last.table, last.sheet),
        "fix the problems above (often one wrong column) and run again",
    )
    return TableRead(table.communes, (*table.issues[:MAX_ISSUES], note), table.rows, table.columns)


def read_table(path: Path | str, vocab: Vocab) -> TableRead:
    """Read communes from a .csv or .xlsx file, one per row.

    Header problems raise :class:`~ntm_rules.errors.InvalidFileError`; row problems are
    returned in :attr:`TableRead.issues` with the rows they concern left out.
    """
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in SUFFIXES:
        raise InvalidFileError(
            [
                Issue(
                    "unsupported-format",
                    f"cannot read {suffix or 'a file without extension'} files as a table",
                    Location(str(path)),
                    "save the sheet as .xlsx (Excel workbook) or as 'CSV UTF-8'",
                )
            ]
        )
    if suffix == ".csv":
        return _capped(read_csv(path, vocab))
    try:
        return _capped(read_xlsx(path, vocab))
    except InvalidFileError:
        raise
    except Exception as exc:
        # openpyxl and zipfile raise many kinds of error on a damaged or hostile workbook
        # (BadZipFile, zlib.error, KeyError, NotImplementedError...): all mean "unreadable".
        raise InvalidFileError(
            [
                Issue(
                    "bad-xlsx",
                    f"cannot read the workbook: {type(exc).__name__}: {exc}",
                    Location(str(path), 1, 1),
                    "open it in Excel and save it again as .xlsx",
                )
            ]
        ) from None


__all__ = [
    "RECOGNITION_MEASURES",
    "Column",
    "TableRead",
    "header_index",
    "read_csv",
    "read_table",
    "read_text_value",
    "read_xlsx",
    "resolve_header",
    "sniff_delimiter",
]
