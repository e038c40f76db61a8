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

import codecs
import csv
import io
import re
from collections.abc import Iterator
from itertools import count, repeat
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import InvalidFileError, Issue, Location
from ..model.vocab import Vocab, fold
from .cells import read_text_value
from .csv_split import SplitRows, split_rows
from .header import (
    RECOGNITION_MEASURES,
    Column,
    header_index,
    resolve_header,
)
from .source import MAX_BYTES, read_utf8, special_file
from .table_body import Row
from .table_rows import TableRead, read_rows
from .table_sheet import TableSheet

if TYPE_CHECKING:  # the workbook reader is imported when a workbook is read
    from .xlsx_rows import Sheet

SUFFIXES = (".csv", ".xlsx")
_SEP_LINE = re.compile(rb"sep=([,;])\r?\n")


# --- CSV -----------------------------------------------------------------------------------


_HEAD = 1 << 16  # characters that hold the header row (longer: the whole text is used)


def sniff_delimiter(text: str, index: dict[str, str]) -> str:
    """``,`` or ``;``: whichever splits the header row into more known column names."""
    best, score = ",", (-1, -1)
    # the first lines (the header row), not the whole file per guess
    head = text[:_HEAD]
    if "\n" not in head:
        head = text
    for delimiter in (",", ";"):
        try:
            header = next(csv.reader(io.StringIO(head), delimiter=delimiter), [])
        except csv.Error:
            continue
        known = sum(1 for h in header if fold(h) in index or h.strip() in index)
        if (known, len(header)) > score:
            best, score = delimiter, (known, len(header))
    return best


def _csv_rows(data: bytes, delimiter: str, counter: Iterator[int]) -> Iterator[Row]:
    """(row number, cells, no cell issues) for each record of the UTF-8 `data`, numbered by
    `counter` (after a syntax error, its next number is one past the record at fault); read in
    C. A first line that is one whole record is read alone first: when the rows below it are
    cut at once (:mod:`.csv_split`), the whole text is never decoded nor copied."""
    end = data.find(b"\n") + 1
    line = data[:end].decode("utf-8")
    body = line[:-2] if line.endswith("\r\n") else line[:-1]
    if end and line.strip() and "\r" not in body and not line.count('"') % 2:
        number = next(counter)
        yield number, next(_reader(line, delimiter)), ()
        rest = _reader(data.decode("utf-8"), delimiter)
        next(rest)  # the first line, already given
        yield from zip(counter, rest, repeat(()))
        return
    yield from zip(counter, _reader(data.decode("utf-8"), delimiter), repeat(()))


def _reader(text: str, delimiter: str) -> Iterator[list[str]]:
    return csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)


def _head(data: bytes) -> str:
    """The text of the first lines (as many as :func:`sniff_delimiter` reads): the first
    _HEAD characters, or the whole text when they hold no line end."""
    head = codecs.getincrementaldecoder("utf-8")().decode(data[: 4 * _HEAD])[:_HEAD]
    return head if "\n" in head else data.decode("utf-8")


def read_csv(path: Path, vocab: Vocab) -> TableRead:
    file = str(path)
    data, problem = read_utf8(path)
    if problem is not None:
        raise InvalidFileError([problem])
    assert data is not None
    hint = _SEP_LINE.match(data)
    if hint is not None:  # Excel's "sep=;" first line: it is not shown as a row
        data = data[hint.end() :]
        delimiter = hint.group(1).decode("ascii")
    else:
        delimiter = sniff_delimiter(_head(data), header_index(vocab.measures))
    counter = count(1)

    def split(sheet: TableSheet, header_line: int) -> SplitRows | None:
        if header_line != 1 or sheet.blank:  # rows above the header, columns without one
            return None
        return split_rows(data, delimiter, sheet.width)

    try:
        rows = _csv_rows(data, delimiter, counter)
        return read_rows(file, rows, vocab, text=True, split=split)
    except csv.Error as exc:
        raise InvalidFileError(
            [
                Issue(
                    "csv-syntax",
                    f"CSV error: {exc}",
                    Location(file, next(counter) - 1, 1),
                    'check the quotes (") in that row',
                )
            ]
        ) from None


# --- XLSX ----------------------------------------------------------------------------------


def _sheet_warnings(found: Sheet, file: str) -> list[Issue]:
    warnings = []
    if found.scan.skipped:
        warnings.append(
            Issue(
                "checks-skipped",
                "the sheet is too large to check for merged cells and "
                "formulas without saved values",
                Location(file),
                severity="warning",
            )
        )
    if found.others:
        names = ", ".join(repr(n) for n in found.others)
        warnings.append(
            Issue(
                "sheets-not-read",
                f"only the sheet {found.sheet.title!r} is read; not read: {names}",
                Location(file, sheet=found.sheet.title),
                "put every commune on one sheet, or name the sheet to read 'communes' or 'Xã'",
                severity="warning",
            )
        )
    return warnings


def read_xlsx(path: Path, vocab: Vocab) -> TableRead:
    import zipfile
    import zlib

    from .xlsx_rows import open_sheet, xlsx_rows

    file = str(path)
    special = special_file(path)
    if special is not None:
        raise InvalidFileError([special])
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
    warnings = _sheet_warnings(found, file)
    try:
        return read_rows(file, xlsx_rows(found, file), vocab, warnings, found.sheet.title)
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
