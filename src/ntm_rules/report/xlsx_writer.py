"""A small streaming writer of .xlsx workbooks (SpreadsheetML), for large result tables.

openpyxl spends about ten microseconds on every cell it writes; a province's results have close
to a million. This writer produces the same kind of file directly: text as inline strings,
numbers and booleans as values, a bold style for header rows, a percent style, frozen panes,
an autofilter, column widths and conditional fills. Each sheet's XML is written to the zip
file as it is produced. Text is XML-escaped, characters XML 1.0 cannot hold become U+FFFD,
and text that looks like a formula is never a formula here (every text cell is a string).
"""

from __future__ import annotations

import math
import re
import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

from ..errors import column_letters

_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")
MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PLAIN, BOLD, PERCENT = 0, 1, 2  # style indexes (cellXfs)
_LETTERS = [column_letters(k) for k in range(1, 16385)]  # the widest sheet Excel opens


def _text(value: str) -> str:
    return escape(_ILLEGAL.sub("\ufffd", value), {'"': "&quot;"})


def _cell(ref: str, value: Any, style: int) -> str:
    s = f' s="{style}"' if style else ""
    if value is None or value == "":
        return f'<c r="{ref}"{s}/>' if style else ""
    if isinstance(value, bool):
        return f'<c r="{ref}"{s} t="b"><v>{int(value)}</v></c>'
    if isinstance(value, (int, float)):
        if isinstance(value, float) and not math.isfinite(value):
            return f'<c r="{ref}"{s} t="inlineStr"><is><t>{value}</t></is></c>'
        return f'<c r="{ref}"{s}><v>{value!r}</v></c>'
    text = _text(str(value))
    space = ' xml:space="preserve"' if text != text.strip() else ""
    return f'<c r="{ref}"{s} t="inlineStr"><is><t{space}>{text}</t></is></c>'


@dataclass
class Sheet:
    """One worksheet being written: rows are turned into XML as they come."""

    title: str
    widths: Sequence[float] = ()
    freeze: str = ""  # top-left cell of the scrolling pane, e.g. "B2"
    autofilter: bool = False
    fills: dict[str, str] = field(default_factory=dict)  # cell text -> ARGB fill
    fill_from: int = 1  # first column (1-based) the fills apply to
    rows: list[str] = field(default_factory=list)
    width: int = 0

    def row(self, values: Sequence[Any], style: int = PLAIN, percent: Iterable[int] = ()) -> None:
        n = len(self.rows) + 1
        pct = set(percent)
        cells = "".join(
            _cell(
                f"{column_letters(k + 1)}{n}", v, PERCENT if k in pct and v is not None else style
            )
            for k, v in enumerate(values)
        )
        if len(values) > len(_LETTERS):
            raise ValueError(f"a sheet holds at most {len(_LETTERS)} columns")
        self.rows.append(f'<row r="{n}">{cells}</row>')
        self.width = max(self.width, len(values))

    def blank(self) -> None:
        self.rows.append(f'<row r="{len(self.rows) + 1}"/>')

    def xml(self, dxf: dict[str, int]) -> Iterable[str]:
        yield f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<worksheet xmlns="{MAIN}">'
        if self.freeze:
            yield f'<sheetViews><sheetView workbookViewId="0">{_pane(self.freeze)}</sheetView>'
            yield "</sheetViews>"
        if self.widths:
            cols = "".join(
                f'<col min="{k}" max="{k}" width="{w}" customWidth="1"/>'
                for k, w in enumerate(self.widths, start=1)
            )
            yield f"<cols>{cols}</cols>"
        yield "<sheetData>"
        yield from self.rows
        yield "</sheetData>"
        last = f"{column_letters(max(self.width, 1))}{max(len(self.rows), 2)}"
        if self.autofilter:
            yield f'<autoFilter ref="A1:{last}"/>'
        if self.fills:
            area = f"{column_letters(self.fill_from)}2:{last}"
            rules = "".join(
                f'<cfRule type="cellIs" dxfId="{dxf[argb]}" priority="{k}" operator="equal">'
                f'<formula>"{_text(text).replace("&quot;", "&quot;&quot;")}"</formula></cfRule>'
                for k, (text, argb) in enumerate(self.fills.items(), start=1)
            )
            yield f'<conditionalFormatting sqref="{area}">{rules}</conditionalFormatting>'
        yield "</worksheet>"


def _pane(cell: str) -> str:
    """A frozen pane whose scrolling part starts at `cell` (``B2``: first row and column)."""
    letters = cell.rstrip("0123456789")
    x = 0
    for ch in letters:
        x = x * 26 + ord(ch) - 64
    x, y = x - 1, int(cell[len(letters) :]) - 1
    active = "bottomRight" if x and y else ("bottomLeft" if y else "topRight")
    split = (f' xSplit="{x}"' if x else "") + (f' ySplit="{y}"' if y else "")
    return f'<pane{split} topLeftCell="{cell}" activePane="{active}" state="frozen"/>'


def _styles(fills: Sequence[str]) -> str:
    dxfs = "".join(
        f'<dxf><fill><patternFill patternType="solid"><fgColor rgb="{c}"/><bgColor rgb="{c}"/>'
        "</patternFill></fill></dxf>"
        for c in fills
    )
    return (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<styleSheet xmlns="{MAIN}">'
        '<numFmts count="1"><numFmt numFmtId="164" formatCode="0.0%"/></numFmts>'
        '<fonts count="2"><font><sz val="11"/><name val="Calibri"/></font>'
        '<font><b/><sz val="11"/><name val="Calibri"/></font></fonts>'
        '<fills count="2"><fill><patternFill patternType="none"/></fill>'
        '<fill><patternFill patternType="gray125"/></fill></fills>'
        '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
        '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/>'
        "</cellStyleXfs>"
        '<cellXfs count="3"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
        '<xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/>'
        '<xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'
        "</cellXfs>"
        '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>'
        f'<dxfs count="{len(fills)}">{dxfs}</dxfs></styleSheet>'
    )


def save(sheets: Sequence[Sheet], path: Path | str) -> None:
    """Write the workbook: the sheets in order, the first one active."""
    fills = sorted({argb for s in sheets for argb in s.fills.values()})
    dxf = {argb: k for k, argb in enumerate(fills)}
    titles = [re.sub(r"[\[\]:*?/\\]", " ", s.title)[:31] for s in sheets]
    overrides = "".join(
        f'<Override PartName="/xl/worksheets/sheet{k}.xml" ContentType="application/'
        'vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
        for k in range(1, len(sheets) + 1)
    )
    types = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Types xmlns="http://schemas.'
        'openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="'
        'application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" '
        'ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="'
        'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
        '<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-'
        f'officedocument.spreadsheetml.styles+xml"/>{overrides}</Types>'
    )
    root_rels = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships xmlns="http://'
        'schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="'
        'http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" '
        'Target="xl/workbook.xml"/></Relationships>'
    )
    sheet_list = "".join(
        f'<sheet name="{_text(t)}" sheetId="{k}" r:id="rId{k}"/>'
        for k, t in enumerate(titles, start=1)
    )
    workbook = (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<workbook xmlns="{MAIN}" '
        f'xmlns:r="{REL}"><sheets>{sheet_list}</sheets></workbook>'
    )
    rels = "".join(
        f'<Relationship Id="rId{k}" Type="{REL}/worksheet" Target="worksheets/sheet{k}.xml"/>'
        for k in range(1, len(sheets) + 1)
    )
    rels += f'<Relationship Id="rId{len(sheets) + 1}" Type="{REL}/styles" Target="styles.xml"/>'
    book_rels = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships xmlns="http://'
        f'schemas.openxmlformats.org/package/2006/relationships">{rels}</Relationships>'
    )
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as z:
        z.writestr("[Content_Types].xml", types)
        z.writestr("_rels/.rels", root_rels)
        z.writestr("xl/workbook.xml", workbook)
        z.writestr("xl/_rels/workbook.xml.rels", book_rels)
        z.writestr("xl/styles.xml", _styles(fills))
        for k, sheet in enumerate(sheets, start=1):
            with z.open(f"xl/worksheets/sheet{k}.xml", "w", force_zip64=True) as out:
                for part in sheet.xml(dxf):
                    out.write(part.encode("utf-8"))
