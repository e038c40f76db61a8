"""An .xlsx workbook as raw rows with the issues of their cells.

openpyxl reads the cached values (``read_only=True, data_only=True``); a byte scan of the sheet's
XML finds formulas without a saved value and merged ranges (no second openpyxl load). A number
shown with a percent format comes as :class:`Percent` (0.855 shown as 85.5%).
"""

from __future__ import annotations

import io
import posixpath
import re
import zipfile
import zlib
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

from ..errors import InvalidFileError, Issue, Location
from ..model.vocab import fold
from . import limits
from .values import Percent

SHEET_NAMES = ("communes", "xa")
SCAN_LIMIT = 64 * 1024 * 1024


@dataclass(frozen=True)
class Merged:
    min_row: int
    min_col: int
    max_row: int
    max_col: int

    @property
    def ref(self) -> str:
        from openpyxl.utils import get_column_letter

        return (
            f"{get_column_letter(self.min_col)}{self.min_row}:"
            f"{get_column_letter(self.max_col)}{self.max_row}"
        )


@dataclass(frozen=True)
class SheetScan:
    formulas_without_value: frozenset[tuple[int, int]]  # (row, column), 1-based
    merged: tuple[Merged, ...]
    skipped: bool = False


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _rel_id(element: ElementTree.Element) -> str:
    for name, value in element.attrib.items():
        if _local(name) == "id" and name.startswith("{"):
            return value
    return ""


def _package_parts(archive: zipfile.ZipFile, title: str) -> tuple[str | None, str | None]:
    """The zip members of the worksheet called `title` and of the styles (OOXML package
    relationships)."""

    def targets(rels_name: str, base: str) -> dict[str, tuple[str, str]]:
        out: dict[str, tuple[str, str]] = {}
        root = ElementTree.fromstring(archive.read(rels_name))
        for rel in root:
            target = rel.get("Target", "")
            full = (
                target.lstrip("/")
                if target.startswith("/")
                else posixpath.normpath(posixpath.join(base, target))
            )
            out[rel.get("Id", "")] = (rel.get("Type", ""), full)
        return out

    book = next(
        (t for kind, t in targets("_rels/.rels", "").values() if kind.endswith("/officeDocument")),
        None,
    )
    if book is None:
        return None, None
    folder, name = posixpath.split(book)
    rels = targets(posixpath.join(folder, "_rels", name + ".rels"), folder)
    styles = next((t for kind, t in rels.values() if kind.endswith("/styles")), None)
    for element in ElementTree.fromstring(archive.read(book)).iter():
        if _local(element.tag) == "sheet" and element.get("name") == title:
            return rels.get(_rel_id(element), ("", ""))[1] or None, styles
    return None, styles


def _has_percent_style(archive: zipfile.ZipFile, part: str | None) -> bool:
    """Whether any cell style shows numbers as percentages (built-in 9, 10 or a custom %)."""
    if part is None or part not in archive.namelist():
        return False
    root = ElementTree.fromstring(archive.read(part))
    custom = {
        el.get("numFmtId", ""): el.get("formatCode", "")
        for el in root.iter()
        if _local(el.tag) == "numFmt"
    }
    for group in root:
        if _local(group.tag) == "cellXfs":
            for xf in group:
                fmt = xf.get("numFmtId", "0")
                if fmt in ("9", "10") or shows_percent(custom.get(fmt, "")):
                    return True
    return False


_LITERALS = re.compile(r'"[^"]*"|\\.|\[[^\]]*\]|_.|\*.')


def shows_percent(number_format: str) -> bool:
    """Whether a number format multiplies by 100: a ``%`` outside quoted text (``0.0" %"``
    shows the number as it is, followed by a percent sign), escapes and [colour] sections."""
    return "%" in _LITERALS.sub("", number_format or "")


_CELL_REF = re.compile(rb'\sr="([A-Z]{1,3})(\d{1,7})"')
_MERGE = re.compile(
    rb'<(?:\w+:)?mergeCell\s[^>]*?\bref="([A-Z]{1,3})(\d{1,7})'
    rb'(?::([A-Z]{1,3})(\d{1,7}))?"'
)


def _scan_sheet(archive: zipfile.ZipFile, part: str) -> SheetScan:
    """Formula cells without a saved value, and merged ranges, from the sheet's XML.

    A plain byte scan: '<' only starts tags in XML, so the patterns cannot match cell text.
    """
    from openpyxl.utils import column_index_from_string as col_index

    if archive.getinfo(part).file_size > SCAN_LIMIT:
        return SheetScan(frozenset(), (), skipped=True)
    data = archive.read(part)
    start = re.search(rb"<(\w+:)?sheetData[\s>/]", data)
    missing: set[tuple[int, int]] = set()
    if start is not None:
        prefix = start.group(1) or b""
        closing = re.compile(rb"</" + re.escape(prefix) + rb"sheetData>")
        end_match = closing.search(data, start.end())
        end = end_match.start() if end_match else len(data)
        formula = re.compile(rb"<" + re.escape(prefix) + rb"f[\s>/]")
        value = re.compile(rb"<" + re.escape(prefix) + rb"(?:v>[^<]|is>)")
        open_tag, close_tag = b"<" + prefix + b"c ", b"</" + prefix + b"c>"
        pos = start.end()
        while True:
            hit = formula.search(data, pos, end)
            if hit is None:
                break
            cell_start = data.rfind(open_tag, 0, hit.start())
            cell_end = data.find(close_tag, hit.end(), end)
            cell_end = end if cell_end < 0 else cell_end
            pos = cell_end
            head = data[cell_start : data.find(b">", cell_start) + 1]
            ref = _CELL_REF.search(head)
            if ref is None or cell_start < 0:
                continue
            if value.search(data, hit.end(), cell_end) is None:
                missing.add((int(ref.group(2)), col_index(ref.group(1).decode())))
    merged = []
    for m in _MERGE.finditer(data):
        first_col, first_row = col_index(m.group(1).decode()), int(m.group(2))
        if m.group(3) is None:
            continue
        merged.append(Merged(first_row, first_col, int(m.group(4)), col_index(m.group(3).decode())))
    merged.sort(key=lambda r: r.min_row)
    return SheetScan(frozenset(missing), tuple(merged))


_NAME_HEADERS = {"name", "ten xa", "xa", "ten"}
_YEAR_HEADERS = {"year", "nam"}


def _communes_like(sheet: Any) -> bool:
    """A sheet whose first row names communes and years (as a commune table's header does) and
    which has a row below it."""
    try:
        rows = sheet.iter_rows(max_row=2, values_only=True)
        head = next(rows, ())
        has_row = next(rows, None) is not None
    except Exception:  # a damaged sheet that is not read anyway
        return False
    words = {fold(c) for c in head if isinstance(c, str)}
    return has_row and bool(words & _NAME_HEADERS) and bool(words & _YEAR_HEADERS)


def _pick_sheet(titles: Sequence[str], visible: Sequence[bool], active: int) -> int:
    """The sheet named for communes, else the active sheet, else the first; visible ones only
    (a hidden sheet is never read in place of the one the planner sees)."""
    folded = [fold(t) for t in titles]
    for wanted in SHEET_NAMES:
        if wanted in folded and visible[folded.index(wanted)]:
            return folded.index(wanted)
    if 0 <= active < len(titles) and visible[active]:
        return active
    return next((i for i, shown in enumerate(visible) if shown), -1)


@dataclass
class Sheet:
    book: Any
    sheet: Any
    scan: SheetScan
    percent_styles: bool
    others: tuple[str, ...] = ()  # other visible sheets that hold rows: not read


def _check_unpacked_size(path: Path, file: str) -> None:
    """Refuse a workbook whose parts unpack to more than the limit (a zip bomb), before any
    part is read."""
    try:
        with zipfile.ZipFile(io.BytesIO(path.read_bytes())) as archive:
            total = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, OSError, ValueError):
        return  # openpyxl reports the damage in its own words
    if total > limits.max_xlsx_bytes():
        raise InvalidFileError(
            [
                Issue(
                    "xlsx-too-large",
                    f"the workbook unpacks to {total:,} bytes; at most "
                    f"{limits.max_xlsx_bytes():,} are read",
                    Location(file),
                    "save only the communes sheet, as values (or set NTM_RULES_MAX_XLSX_MB)",
                )
            ]
        )


def open_sheet(path: Path, file: str) -> Sheet:
    """The workbook (read-only, cached values), the sheet to read, and what the scans found."""
    import openpyxl
    from openpyxl.utils.exceptions import InvalidFileException

    _check_unpacked_size(path, file)
    try:
        # from memory (the file is at most MAX_BYTES): a damaged workbook cannot leave an OS
        # file handle open behind openpyxl's back
        book = openpyxl.load_workbook(io.BytesIO(path.read_bytes()), read_only=True, data_only=True)
    except (
        zipfile.BadZipFile,
        KeyError,
        OSError,
        ValueError,
        TypeError,
        SyntaxError,
        InvalidFileException,
    ) as exc:
        raise InvalidFileError(
            [
                Issue(
                    "bad-xlsx",
                    f"cannot read the workbook: {exc}",
                    Location(file),
                    "open it in Excel or LibreOffice and save it again as .xlsx",
                )
            ]
        ) from None
    sheets = book.worksheets
    if not sheets:
        book.close()
        raise InvalidFileError([Issue("bad-xlsx", "the workbook has no worksheet", Location(file))])
    visible = [getattr(s, "sheet_state", "visible") == "visible" for s in sheets]
    try:
        active = book.worksheets.index(book.active) if book.active is not None else 0
    except ValueError:
        active = 0
    pick = _pick_sheet([s.title for s in sheets], visible, active)
    if pick < 0:
        book.close()
        raise InvalidFileError(
            [Issue("bad-xlsx", "every worksheet of the workbook is hidden", Location(file))]
        )
    sheet = sheets[pick]
    others = tuple(
        s.title for k, s in enumerate(sheets) if k != pick and visible[k] and _communes_like(s)
    )
    try:
        with zipfile.ZipFile(io.BytesIO(path.read_bytes())) as archive:
            part, styles = _package_parts(archive, sheet.title)
            scan = _scan_sheet(archive, part) if part else SheetScan(frozenset(), ())
            percent = _has_percent_style(archive, styles)
    except (KeyError, SyntaxError, zipfile.BadZipFile, zlib.error) as exc:
        book.close()
        raise InvalidFileError(
            [Issue("bad-xlsx", f"cannot read the workbook: {exc}", Location(file))]
        ) from None
    return Sheet(book, sheet, scan, percent, others)


def _xlsx_values(found: Sheet) -> Iterator[Sequence[object]]:
    """Cached values row by row; a number shown as a percentage comes as :class:`Percent`."""
    found.sheet.reset_dimensions()  # a wrong stored dimension must not cut rows short
    if not found.percent_styles:
        yield from found.sheet.iter_rows(values_only=True)
        return
    for cells in found.sheet.iter_rows():
        values: list[object] = []
        for cell in cells:
            value = cell.value
            if type(value) is float or type(value) is int:
                fmt = cell.number_format
                if fmt and shows_percent(fmt):
                    value = Percent(value)
            values.append(value)
        yield values


def xlsx_rows(found: Sheet, file: str) -> Iterator[tuple[int, Sequence[object], list[Issue]]]:
    """Rows with the issues of their cells: formulas without values, merged cells."""
    by_row: dict[int, list[int]] = {}
    for r, c in found.scan.formulas_without_value:
        by_row.setdefault(r, []).append(c)
    pending = list(found.scan.merged)
    active: list[Merged] = []
    for row, values in enumerate(_xlsx_values(found), start=1):
        pre: list[Issue] = []
        for c in sorted(by_row.get(row, ())):
            pre.append(
                Issue(
                    "formula-without-value",
                    "the formula in this cell has no saved value (the file was never calculated)",
                    Location(file, row, c),
                    "open the file in Excel or LibreOffice and save it, or type the value",
                )
            )
        while pending and pending[0].min_row <= row:
            m = pending.pop(0)
            first = values[m.min_col - 1] if m.min_row == row and m.min_col <= len(values) else None
            if first is not None and first != "":  # an empty merged range loses nothing
                active.append(m)
        if active:
            active = [m for m in active if m.max_row >= row]
            for m in active:
                for c in range(m.min_col, m.max_col + 1):
                    if (row, c) != (m.min_row, m.min_col):
                        pre.append(
                            Issue(
                                "merged-cell",
                                f"this cell is part of the merged range {m.ref}, "
                                "whose value is kept only in its first cell",
                                Location(file, row, c),
                                "unmerge the cells and fill in the value on every row",
                            )
                        )
        yield row, values, pre
