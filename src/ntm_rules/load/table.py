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
rules as YAML (``41,5``, ``85%``, ``có``/``đạt``/``x``; empty, ``-``, ``n/a`` = no data); plain
decimals take an equivalent fast path and each column remembers the texts it has read. The
year is a whole number 2000..2100, as a number or as text (a date is refused). ``region`` may
be a code or a region's name; when it is empty the region comes from ``province``. A row with
any problem is skipped, and every problem in it is reported as an
:class:`~ntm_rules.errors.Issue` located at ``Location(file, line=row as the spreadsheet
numbers it (header = row 1), column=1-based column, path=the column's header text)``; the
other rows are still read. Each commune's ``file`` is ``"<path>#row<n>"``.
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
import difflib
import io
import math
import operator
import re
import zipfile
import zlib
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from itertools import compress, repeat
from operator import is_not
from pathlib import Path
from typing import cast

from ..errors import InvalidFileError, Issue, Location
from ..model.commune import Commune, Observed
from ..model.vocab import Measure, Measures, Vocab, fold
from .communes import IDENTITY, build_commune
from .source import MAX_BYTES, read_text
from .values import Problem, parse_value
from .xlsx_rows import Percent, open_sheet, xlsx_rows

IDENTITY_COLUMNS = IDENTITY
REQUIRED_COLUMNS = ("name", "year")
IDENTITY_ALIASES = {
    "Tên xã": "name",
    "Xã": "name",
    "Tên": "name",
    "Tỉnh": "province",
    "Huyện": "district",
    "Vùng": "region",
    "Năm": "year",
    "Mã xã": "code",
    "Nhóm": "categories",
    "Phân loại": "categories",
    "Ghi chú": "note",
}
RECOGNITION_MEASURES = (
    "registered_in_plan",
    "no_outstanding_debt",
    "residents_satisfied",
    "satisfaction_pct",
    "security_safe",
)
SUFFIXES = (".csv", ".xlsx")
EXCEL_ERRORS = frozenset(
    (
        "#NULL!",
        "#DIV/0!",
        "#VALUE!",
        "#REF!",
        "#NAME?",
        "#NUM!",
        "#N/A",
        "#GETTING_DATA",
        "#SPILL!",
        "#CALC!",
    )
)
_CACHE_LIMIT = 4096  # distinct texts remembered per column
_PLAIN = re.compile(r"-?\d{1,15}(?:[.,]\d{1,15})?")
_YEAR = re.compile(r"[0-9]{1,6}(?:\.0+)?")
_CATEGORY_SPLIT = re.compile(r"[,;]")
_SEP_LINE = re.compile(r"sep=([,;])\r?\n")


@dataclass(frozen=True)
class TableRead:
    """What :func:`read_table` found: the readable rows, and the problems of the others.

    `rows` counts the non-empty data rows (read or skipped).
    """

    communes: tuple[Commune, ...]
    issues: tuple[Issue, ...]
    rows: int


@dataclass(frozen=True)
class Column:
    """One header cell resolved: a 0-based index, the header text, and what it names."""

    index: int
    header: str
    key: str  # identity key or measure key; "" for a blank header
    measure: Measure | None = None
    recognition: bool = False


# --- header --------------------------------------------------------------------------------


def header_index(measures: Measures) -> dict[str, str]:
    """Folded column name -> identity or measure key. Names that fold alike are left out."""
    index: dict[str, str] = {}
    clash: set[str] = set()

    def add(name: str, key: str) -> None:
        folded = fold(name)
        if not folded:
            return
        if index.get(folded, key) != key:
            clash.add(folded)
        index[folded] = key

    for key in IDENTITY_COLUMNS:
        add(key, key)
    for alias, key in IDENTITY_ALIASES.items():
        add(alias, key)
    for key, measure in measures.items():
        add(key, key)
        add(measure.label.vi, key)
        add(measure.label.en, key)
    for folded in clash:
        del index[folded]
    return index


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _column_hint(header: str, index: dict[str, str], measures: Measures) -> str:
    close = difflib.get_close_matches(fold(header), list(index), n=1, cutoff=0.6)
    if not close:
        return (
            "name a measure by its key, Vietnamese or English label (see `ntm-check "
            "template`), or an identity column: " + ", ".join(IDENTITY_COLUMNS)
        )
    key = index[close[0]]
    if key in measures:
        return f"did you mean {key!r} ({measures[key].label.vi})?"
    return f"did you mean {key!r}?"


def resolve_header(
    cells: Sequence[object],
    file: str,
    line: int,
    measures: Measures,
    index: dict[str, str] | None = None,
) -> tuple[list[Column], list[Issue]]:
    """Map header cells to columns; the issues are file-level (unknown/duplicate/missing)."""
    index = header_index(measures) if index is None else index
    columns: list[Column] = []
    issues: list[Issue] = []
    first: dict[str, Column] = {}
    for i, raw in enumerate(cells):
        header = _cell_text(raw)
        if not header:
            columns.append(Column(i, "", ""))
            continue
        where = Location(file, line, i + 1, header)
        key = (
            header
            if header in measures or header in IDENTITY_COLUMNS
            else index.get(fold(header), "")
        )
        if not key:
            issues.append(
                Issue(
                    "unknown-column",
                    f"unknown column {header!r}",
                    where,
                    _column_hint(header, index, measures),
                )
            )
            columns.append(Column(i, header, ""))
            continue
        if key in first:
            other = first[key]
            issues.append(
                Issue(
                    "duplicate-column",
                    f"column {header!r} names {key!r}, as column {other.index + 1}"
                    f" ({other.header!r}) already does",
                    where,
                    "keep one of the two columns",
                )
            )
            columns.append(Column(i, header, ""))
            continue
        measure = measures.get(key)
        column = Column(
            i, header, key, measure, measure is not None and key in RECOGNITION_MEASURES
        )
        first[key] = column
        columns.append(column)
    for key in REQUIRED_COLUMNS:
        if key not in first:
            issues.append(
                Issue(
                    "missing-column",
                    f"the required column {key!r} is missing",
                    Location(file, line, 1),
                    f"add a column headed {key!r}"
                    + (" (or 'Tên xã')" if key == "name" else " (or 'Năm')"),
                )
            )
    return columns, issues


# --- rows ----------------------------------------------------------------------------------


_Parsed = tuple[Observed, Problem | None]
_NO_DATA = object()  # a cell read as "no data", in the caches below
# per measure column: index, key, measure, goes to recognition, type, min, max, and the cache
# of its text cells read so far (text -> value or _NO_DATA; never a text with a problem)
_Plan = tuple[int, str, Measure, bool, str, float, float, dict[object, object]]


def _plain_number(text: str, kind: str, low: float, high: float) -> Observed:
    """A plain decimal (``41``, ``41.5``, ``41,5``) in range, read as parse_value reads it;
    None when parse_value must decide (anything else, or out of range)."""
    if not _PLAIN.fullmatch(text):
        return None
    decimal = "," in text or "." in text
    number = float(text.replace(",", ".")) if decimal else float(text)
    if not low <= number <= high:
        return None
    if kind == "count":
        return int(number) if number.is_integer() else None
    return number if decimal else int(number)


def read_text_value(measure: Measure, raw: str) -> _Parsed:
    """:func:`parse_value` for a text cell, with a fast path for plain decimals.

    Gives exactly what parse_value gives (tested); anything unusual or out of range goes to
    parse_value, which also words the problem.
    """
    if measure.type != "boolean":
        low = -math.inf if measure.min is None else measure.min
        high = math.inf if measure.max is None else measure.max
        value = _plain_number(raw.strip(), measure.type, low, high)
        if value is not None:
            return value, None
    return parse_value(measure, raw)


class _RowReader:
    """Turns the cells of one row into a commune, or into issues."""

    def __init__(self, file: str, columns: list[Column], vocab: Vocab, sheet: str = "") -> None:
        self.file = file
        self.sheet = sheet
        self.vocab = vocab
        self.columns = columns
        self.width = len(columns)
        self.plan: list[_Plan] = [
            (
                c.index,
                c.measure.key,
                c.measure,
                c.recognition,
                c.measure.type,
                -math.inf if c.measure.min is None else c.measure.min,
                math.inf if c.measure.max is None else c.measure.max,
                {},
            )
            for c in columns
            if c.measure is not None
        ]
        self.keys = [p[1] for p in self.plan]
        self.caches = [p[7] for p in self.plan]
        for cache in self.caches:
            cache.update({"": _NO_DATA, None: _NO_DATA})
        indexes = [p[0] for p in self.plan]
        self.cells: Callable[[Sequence[object]], tuple[object, ...]] = (
            operator.itemgetter(*indexes)
            if len(indexes) > 1
            else (lambda v: tuple(v[i] for i in indexes))
        )
        self.recognition_keys = [p[1] for p in self.plan if p[3]]
        identity = {c.key: c.index for c in columns if c.key and c.measure is None}
        self.at = {key: identity.get(key, -1) for key in IDENTITY_COLUMNS}
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
            if i < len(values) and _cell_text(values[i]) and i not in self.unnamed:
                self.unnamed[i] = row
        for i in range(self.width, len(values)):
            if _cell_text(values[i]) and i not in self.unnamed:
                self.unnamed[i] = row

    def _miss(self, j: int, raw: object, row: int, issues: list[Issue]) -> object:
        """A measure cell not in its column's cache: read it (and remember text)."""
        i, _, measure, _, kind, low, high, cache = self.plan[j]
        value: Observed
        problem: Problem | None = None
        if (type(raw) is float or type(raw) is int) and kind != "boolean":
            # a number from a workbook: what parse_value returns for it, without the detour
            number = cast(float, raw)
            if low <= number <= high and math.isfinite(number):
                if kind != "count":
                    return number
                if float(number).is_integer():
                    return int(number)
        if type(raw) is Percent:
            value, problem = parse_value(measure, raw.shown() if kind == "percent" else float(raw))
        elif type(raw) is str and raw in EXCEL_ERRORS:
            value, problem = (
                None,
                Problem(
                    "cell-error",
                    f"the cell shows the spreadsheet error {raw}",
                    "correct the formula or type the value",
                ),
            )
        elif type(raw) is str:
            value, problem = read_text_value(measure, raw)
            if problem is None and len(cache) < _CACHE_LIMIT:
                cache[raw] = _NO_DATA if value is None else value
        else:
            value, problem = parse_value(measure, raw)
        if problem is not None:
            issues.append(self.issue(problem.code, problem.message, row, i, problem.hint))
        return _NO_DATA if value is None else value

    def read(self, row: int, values: Sequence[object], issues: list[Issue]) -> Commune | None:
        """The commune of one row; problems are appended to `issues` (None if any)."""
        found = len(issues)
        if len(values) < self.width:
            values = [*values, *([None] * (self.width - len(values)))]
        raws = self.cells(values)
        # text cells hit their column's cache of readable values; a miss (None) is read
        hits = list(map(dict.get, self.caches, raws))
        if None in hits:
            for j, hit in enumerate(hits):
                if hit is None:
                    hits[j] = self._miss(j, raws[j], row, issues)
        # keep the cells that hold data (all in C: compress over an "is not _NO_DATA" mask)
        measures = cast(
            dict[str, Observed],
            dict(compress(zip(self.keys, hits, strict=True), map(is_not, hits, repeat(_NO_DATA)))),
        )
        recognition: dict[str, Observed] = {}
        for key in self.recognition_keys:
            if key in measures:
                recognition[key] = measures.pop(key)
        fields = _TableFields(self, row, values, issues)
        commune = build_commune(fields, self.vocab, measures, recognition)
        return commune if len(issues) == found else None


# where to point when a problem concerns a key whose column the table does not have
_FALLBACK = {
    "": ("region", "province", "name"),
    "region": ("region", "province", "name"),
    "province": ("province", "region", "name"),
    "recognized_set": ("recognized_set", "recognized_year", "recognized_tier", "name"),
    "recognized_year": ("recognized_year", "recognized_set", "recognized_tier", "name"),
    "recognized_tier": ("recognized_tier", "recognized_set", "name"),
}


class _TableFields:
    """One spreadsheet row as :class:`~ntm_rules.load.communes.Fields`."""

    typed = False

    def has(self, key: str) -> bool:
        return self.reader.at.get(key, -1) >= 0

    def __init__(
        self, reader: _RowReader, row: int, values: Sequence[object], issues: list[Issue]
    ) -> None:
        self.reader, self.row, self.values, self.issues = reader, row, values, issues

    def raw(self, key: str) -> object:
        i = self.reader.at.get(key, -1)
        value = self.values[i] if i >= 0 else None
        if isinstance(value, str) and not value.strip():
            return None
        return value

    def issue(
        self, code: str, message: str, key: str, hint: str = "", index: int | None = None
    ) -> None:
        at = self.reader.at
        column = next((at[k] for k in _FALLBACK.get(key, (key,)) if at.get(k, -1) >= 0), -1)
        if column < 0:
            column = next((i for i in at.values() if i >= 0), 0)
        self.issues.append(self.reader.issue(code, message, self.row, column, hint))

    def location(self) -> Location:
        """The row, at its name cell (A4 when the name is in column A)."""
        return self.reader.location(self.row, max(self.reader.at.get("name", 0), 0))


def _read_rows(
    file: str,
    rows: Iterable[tuple[int, Sequence[object], list[Issue]]],
    vocab: Vocab,
    warnings: Sequence[Issue] = (),
    sheet: str = "",
) -> TableRead:
    """The common part: header, then rows. `rows` yields (row number, cells, cell issues)."""
    measures = vocab.measures
    index = header_index(measures)
    reader: _RowReader | None = None
    header_line = 0
    communes: list[Commune] = []
    issues: list[Issue] = list(warnings)
    count = 0
    for row, values, pre in rows:
        if reader is None:
            if _blank(values):
                continue
            columns, problems = resolve_header(values, file, row, measures, index)
            if problems:
                raise InvalidFileError(problems)
            reader = _RowReader(file, columns, vocab, sheet)
            header_line = row
            continue
        cell_issues = reader.locate(pre) if pre else []
        if not cell_issues and _blank(values):
            continue
        count += 1
        reader.check_unnamed(row, values)
        issues.extend(cell_issues)
        commune = reader.read(row, values, issues)  # the row's other problems are reported too
        if commune is not None and not cell_issues:
            communes.append(commune)
    if reader is None:
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
    if reader.unnamed:
        raise InvalidFileError(
            [
                Issue(
                    "unnamed-column",
                    f"column {i + 1} has no header but row {row} has data in it",
                    Location(file, header_line, i + 1),
                    "name the column or delete its data",
                )
                for i, row in sorted(reader.unnamed.items())
            ]
        )
    if count == 0:
        issues.append(
            Issue(
                "no-rows",
                "the table has a header but no data rows",
                Location(file, header_line, 1),
                severity="warning",
            )
        )
    return TableRead(tuple(communes), tuple(issues), count)


def _blank(values: Sequence[object]) -> bool:
    return all(v is None or (type(v) is str and not v.strip()) for v in values)


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
    return _read_rows(file, _csv_rows(text, delimiter, file), vocab)


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
        Location(last.file, last.line, last.column),
        "fix the problems above (often one wrong column) and run again",
    )
    return TableRead(table.communes, (*table.issues[:MAX_ISSUES], note), table.rows)


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
