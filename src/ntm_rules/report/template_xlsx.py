"""The blank data-collection workbook for a criteria set (``.xlsx``).

Planners send it to communes, communes fill one row each, and :func:`ntm_rules.load.table.
read_table` reads it back unchanged. The layout:

* sheet ``communes``: row 1 is the header, one column per key (identity columns first, then
  every measure the set uses, in criteria order, then the recognition measures); data starts on
  row 2. There is deliberately no label row: the header row holds keys only, so a filled file is
  a plain table. The labels are in a comment on each header cell (both languages, unit, valid
  range, the indicators that use the measure) and in the second sheet;
* sheet ``measures``: one row per column of ``communes``: column letter, key, labels in both
  languages (`lang` first), type, unit, valid range, criterion and indicators;
* sheet ``guide`` (``huong-dan`` in Vietnamese): how to fill the workbook.

Data validation on the data rows: boolean columns offer the list ``có,không`` (a warning, not a
refusal, for other entries: TRUE/FALSE, đạt/không đạt and x are accepted too); percent columns
take a decimal 0..100; counts a whole number >= 0 (within the measure's range); numbers the
measure's min..max; ``region`` the seven region codes; the years 2000..2100;
``recognized_tier`` standard/advanced/model. Empty cells are always allowed (no data). The
header row and the name column are frozen; ``code`` is formatted as text so that leading zeros
survive.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from ..model.commune import TIERS
from ..model.criteria import CriteriaSet
from ..model.vocab import Measure, Measures, Vocab
from .template_text import _TEXT, _Words

RECOGNITION_MEASURES = (
    "registered_in_plan",
    "no_outstanding_debt",
    "residents_satisfied",
    "satisfaction_pct",
    "security_safe",
)

SHEET = "communes"
MEASURES_SHEET = "measures"
DEFAULT_ROWS = 500
IDENTITY = (
    "name",
    "code",
    "province",
    "district",
    "region",
    "year",
    "categories",
    "recognized_set",
    "recognized_year",
    "recognized_tier",
    "data_status",
    "note",
)

# the Vietnamese header of each identity column: one the reader knows (load/header.py aliases)
_VI_HEADER = {
    "name": "Tên xã",
    "code": "Mã xã",
    "province": "Tỉnh",
    "district": "Huyện",
    "region": "Vùng",
    "year": "Năm",
    "categories": "Nhóm xã",
    "recognized_set": "Bộ tiêu chí đã công nhận",
    "recognized_year": "Năm công nhận",
    "recognized_tier": "Mức công nhận",
    "data_status": "Tình trạng số liệu",
    "note": "Ghi chú",
}
_VI_TIERS = ("chuẩn", "nâng cao", "kiểu mẫu")

# identity column -> (vi label, en label, width)
_IDENTITY_INFO: dict[str, tuple[str, str, int]] = {
    "name": ("Tên xã (bắt buộc)", "Commune name (required)", 24),
    "code": ("Mã xã", "Commune code", 10),
    "province": ("Tỉnh", "Province", 16),
    "district": ("Huyện", "District", 16),
    "region": ("Vùng (mã); để trống thì suy từ tỉnh", "Region code; empty = from the province", 10),
    "year": ("Năm của số liệu (bắt buộc)", "Year the figures describe (required)", 8),
    "categories": (
        "Nhóm xã đặc biệt, cách nhau bởi dấu phẩy",
        "Special commune categories, separated by commas",
        14,
    ),
    "recognized_set": ("Bộ tiêu chí xã đã được công nhận", "Criteria set already recognised", 16),
    "recognized_year": ("Năm được công nhận", "Year of recognition", 10),
    "recognized_tier": ("Mức công nhận", "Recognition tier", 12),
    "data_status": ("Tình trạng số liệu", "Data status", 12),
    "note": ("Ghi chú", "Note", 24),
}


@dataclass(frozen=True)
class TemplateColumn:
    key: str
    labels: tuple[str, str]  # vi, en
    kind: str  # a measure type, or "identity"
    unit: str = ""
    range_text: str = ""
    criterion: str = ""
    indicators: tuple[str, ...] = ()
    width: int = 12


def template_columns(
    criteria_sets: CriteriaSet | Sequence[CriteriaSet], measures: Measures
) -> list[TemplateColumn]:
    """The columns of the ``communes`` sheet, in order: every measure the sets read (their
    union, first set first)."""
    sets = [criteria_sets] if isinstance(criteria_sets, CriteriaSet) else list(criteria_sets)
    out = [
        TemplateColumn(key, (vi, en), "identity", width=width)
        for key, (vi, en, width) in ((k, _IDENTITY_INFO[k]) for k in IDENTITY)
    ]
    used: dict[str, tuple[str, list[str]]] = {}
    for crit in (c for cset in sets for c in cset.criteria):
        for ind in crit.indicators:
            keys = list(ind.measures)
            if ind.applies_if is not None:
                keys.insert(0, ind.applies_if.measure)
            for key in keys:
                entry = used.setdefault(key, (crit.id, []))
                if ind.id not in entry[1]:
                    entry[1].append(ind.id)
    recognition = [key for cset in sets for cond in cset.recognition for key in cond.measures]
    recognition += [key for key in RECOGNITION_MEASURES if key in measures]
    for key in recognition:
        used.setdefault(key, ("recognition", []))
    for key, (crit_id, inds) in used.items():
        measure = measures[key]
        out.append(
            TemplateColumn(
                key,
                (measure.label.vi, measure.label.en),
                measure.type,
                measure.unit_text("en") or ("" if measure.type == "boolean" else measure.unit),
                measure.range_text() if measure.numeric else "",
                crit_id,
                tuple(inds),
                max(12, min(30, len(key) + 2)),
            )
        )
    return out


_Kind = Literal["whole", "decimal", "list"]
_Operator = Literal["between", "greaterThanOrEqual", "lessThanOrEqual"] | None
_Style = Literal["stop", "warning"]


@dataclass(frozen=True)
class _Rule:
    kind: _Kind
    prompt: str
    operator: _Operator = None
    formula1: str | None = None
    formula2: str | None = None
    style: _Style = "stop"

    def make(self, label: str, words: _Words) -> DataValidation:
        return DataValidation(
            type=self.kind,
            operator=self.operator,
            formula1=self.formula1,
            formula2=self.formula2,
            allow_blank=True,
            showInputMessage=True,
            showErrorMessage=True,
            errorStyle=self.style,
            promptTitle=words.title[:32],
            prompt=f"{label[:120]}: {self.prompt}"[:255],
            errorTitle=words.bad[:32],
            error=self.prompt[:225],
        )


def _numeric(column: TemplateColumn, measure: Measure, words: _Words) -> _Rule:
    low, high = measure.min, measure.max
    kind: _Kind = "whole" if measure.type == "count" else "decimal"
    about = words.kind(measure.type)
    if column.unit and measure.type != "percent":
        about += f" ({column.unit})"
    if low is not None and high is not None:
        text = f"{about}; {words.range} {measure.range_text()}"
        return _Rule(kind, text, "between", _num(low), _num(high))
    if low is not None:
        return _Rule(kind, f"{about}; ≥ {_num(low)}", "greaterThanOrEqual", _num(low))
    if high is not None:
        return _Rule(kind, f"{about}; ≤ {_num(high)}", "lessThanOrEqual", _num(high))
    return _Rule(kind, about, "between", "-1E+300", "1E+300")


def _validation(
    column: TemplateColumn,
    measure: Measure | None,
    words: _Words,
    lang: str,
    codes: tuple[str, ...],
    categories: tuple[str, ...] = (),
) -> DataValidation | None:
    """The data validation of one column's data cells (None: free input)."""
    label = column.labels[0] if lang == "vi" else column.labels[1]
    rule: _Rule | None = None
    if column.key == "region":
        text = words.region.format(codes=", ".join(codes))
        rule = _Rule("list", text, formula1='"' + ",".join(codes) + '"')
    elif column.key in ("year", "recognized_year"):
        rule = _Rule("whole", words.year, "between", "2000", "2100")
    elif column.key == "recognized_tier":
        tiers = _VI_TIERS if lang == "vi" else TIERS
        rule = _Rule("list", words.tier, formula1='"' + ",".join(tiers) + '"')
    elif column.key == "categories" and categories:
        # one category from the list; several, separated by commas, are accepted (a warning)
        rule = _Rule(
            "list",
            words.region.format(codes=", ".join(categories)),
            formula1='"' + ",".join(categories) + '"',
            style="warning",
        )
    elif measure is not None and measure.type == "boolean":
        rule = _Rule("list", words.boolean, formula1='"có,không"', style="warning")
    elif measure is not None:
        rule = _numeric(column, measure, words)
    return rule.make(label, words) if rule is not None else None


def _num(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else repr(float(value))


def _comment(column: TemplateColumn, lang: str) -> Comment:
    first, second = column.labels if lang == "vi" else column.labels[::-1]
    lines = [first, second]
    if column.kind != "identity":
        detail = column.kind + (f", {column.unit}" if column.unit else "")
        if column.range_text:
            detail += f", {column.range_text}"
        lines.append(detail)
        if column.indicators:
            lines.append(" ".join(column.indicators))
    comment = Comment("\n".join(lines), "ntm-check")
    comment.width = 320
    comment.height = 40 + 18 * (len(lines) + sum(len(line) // 45 for line in lines))
    return comment


_HEAD_FONT = Font(bold=True)
_HEAD_FILL = PatternFill("solid", fgColor="DDEBF7")


def header_text(column: TemplateColumn, lang: str) -> str:
    """The header the reader reads back: in Vietnamese, the column's Vietnamese name (an
    identity alias or the measure's label); in English, its key."""
    if lang != "vi":
        return column.key
    return _VI_HEADER.get(column.key, column.labels[0])


def _fill_communes(
    ws: Worksheet,
    columns: list[TemplateColumn],
    measures: Measures,
    lang: str,
    rows: int,
    vocab: Vocab,
) -> None:
    words = _TEXT[lang]
    codes = vocab.regions.codes
    rules: dict[tuple[object, ...], tuple[DataValidation, list[str]]] = {}
    for i, column in enumerate(columns, start=1):
        letter = get_column_letter(i)
        cell = ws.cell(row=1, column=i, value=header_text(column, lang))
        cell.font = _HEAD_FONT
        cell.fill = _HEAD_FILL
        cell.alignment = Alignment(vertical="top")
        cell.comment = _comment(column, lang)
        ws.column_dimensions[letter].width = column.width
        dv = _validation(
            column, measures.get(column.key), words, lang, codes, tuple(vocab.regions.categories)
        )
        if dv is not None:
            key = (dv.type, dv.operator, dv.formula1, dv.formula2, dv.prompt, dv.errorStyle)
            rules.setdefault(key, (dv, []))[1].append(f"{letter}2:{letter}{rows + 1}")
    for dv, ranges in rules.values():
        for ref in ranges:
            dv.add(ref)
        ws.add_data_validation(dv)
    code = IDENTITY.index("code") + 1
    for row in range(2, rows + 2):
        ws.cell(row=row, column=code).number_format = "@"
    ws.freeze_panes = "B2"


def _fill_measures(ws: Worksheet, columns: list[TemplateColumn], lang: str) -> None:
    ws.append(list(_TEXT[lang].measures_head))
    for cell in ws[1]:
        cell.font = _HEAD_FONT
        cell.fill = _HEAD_FILL
    for i, column in enumerate(columns, start=1):
        first, second = column.labels if lang == "vi" else column.labels[::-1]
        ws.append(
            [
                get_column_letter(i),
                column.key,
                first,
                second,
                column.kind,
                column.unit,
                column.range_text,
                column.criterion,
                " ".join(column.indicators),
            ]
        )
    for letter, width in zip("ABCDEFGHI", (7, 30, 60, 60, 9, 12, 12, 12, 24), strict=True):
        ws.column_dimensions[letter].width = width
    for row in ws.iter_rows(min_row=2, min_col=3, max_col=4):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    ws.freeze_panes = "C2"


def write_template(
    criteria_sets: CriteriaSet | Sequence[CriteriaSet],
    vocab: Vocab,
    path: Path | str,
    lang: str = "vi",
    rows: int = DEFAULT_ROWS,
) -> Path:
    """Write the blank workbook for `criteria_set` to `path` (``.xlsx``); return the path.

    `lang` (``vi`` or ``en``) chooses the language shown first; `rows` how many data rows get
    data validation.
    """
    if lang not in _TEXT:
        raise ValueError(f"lang must be 'vi' or 'en', not {lang!r}")
    path = Path(path)
    measures = vocab.measures
    sets = [criteria_sets] if isinstance(criteria_sets, CriteriaSet) else list(criteria_sets)
    columns = template_columns(sets, measures)
    book = Workbook()
    communes = book.active
    assert communes is not None
    communes.title = SHEET
    _fill_communes(communes, columns, measures, lang, rows, vocab)
    _fill_measures(book.create_sheet(MEASURES_SHEET), columns, lang)
    words = _TEXT[lang]
    guide = book.create_sheet(words.guide_sheet)
    for line in words.guide:
        ids = ", ".join(c.id for c in sets)
        guide.append([line.format(set=ids, decision=", ".join(c.decision for c in sets))])
    guide.column_dimensions["A"].width = 110
    book.active = 0
    book.save(path)
    return path
