"""A table's header row: which identity key or measure each column names.

A column is named by an identity key (``name``, ``year``, ``province``…) or a Vietnamese alias
(Tên xã, Năm, Tỉnh…), or by a measure's key, Vietnamese or English label. Names are compared
folded (:func:`ntm_rules.model.vocab.fold`). Every problem of the header is reported with its
cell: ``unknown-column`` (with a did-you-mean hint), ``duplicate-column``, ``missing-column``.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Sequence
from dataclasses import dataclass

from ..errors import Issue, Location
from ..model.vocab import Measure, Measures, fold
from .communes import IDENTITY

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
    "Nhóm xã": "categories",
    "Bộ tiêu chí đã công nhận": "recognized_set",
    "Năm công nhận": "recognized_year",
    "Mức công nhận": "recognized_tier",
    "Tình trạng số liệu": "data_status",
}
RECOGNITION_MEASURES = (
    "registered_in_plan",
    "no_outstanding_debt",
    "residents_satisfied",
    "satisfaction_pct",
    "security_safe",
)


@dataclass(frozen=True)
class Column:
    """One header cell resolved: a 0-based index, the header text, and what it names."""

    index: int
    header: str
    key: str  # identity key or measure key; "" for a blank header
    measure: Measure | None = None
    recognition: bool = False


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


APPRAISAL_RE = re.compile(r"^(?:appraisal|tham dinh)\s*:\s*(tc\s*)?(\d+(?:\.\d+)*)$")


def appraisal_key(header: str) -> str:
    """``appraisal:10`` / ``Thẩm định: 10`` (an indicator) or ``appraisal:TC17`` (a criterion)
    -> ``appraisal:10`` / ``appraisal:TC17``; "" for any other header."""
    found = APPRAISAL_RE.match(fold(header).strip())
    if found is None:
        return ""
    return "appraisal:" + ("TC" if found.group(1) else "") + found.group(2)


def cell_text(value: object) -> str:
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


def _column(
    i: int, raw: object, where: Location, measures: Measures, index: dict[str, str],
    first: dict[str, Column], issues: list[Issue],
) -> Column:  # fmt: skip
    """One header cell resolved (a problem is appended to `issues`)."""
    header = cell_text(raw)
    if not header:
        return Column(i, "", "")
    direct = header in measures or header in IDENTITY_COLUMNS
    key = header if direct else index.get(fold(header), "") or appraisal_key(header)
    if not key:
        hint = _column_hint(header, index, measures)
        issues.append(Issue("unknown-column", f"unknown column {header!r}", where, hint))
        return Column(i, header, "")
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
        return Column(i, header, "")
    measure = measures.get(key)
    first[key] = Column(
        i, header, key, measure, measure is not None and key in RECOGNITION_MEASURES
    )
    return first[key]


def resolve_header(
    cells: Sequence[object],
    file: str,
    line: int,
    measures: Measures,
    index: dict[str, str] | None = None,
) -> tuple[list[Column], list[Issue]]:
    """Map header cells to columns; the issues are file-level (unknown/duplicate/missing)."""
    index = header_index(measures) if index is None else index
    issues: list[Issue] = []
    first: dict[str, Column] = {}
    columns = [
        _column(
            i,
            raw,
            Location(file, line, i + 1, cell_text(raw), table=True),
            measures,
            index,
            first,
            issues,
        )
        for i, raw in enumerate(cells)
    ]
    for key in REQUIRED_COLUMNS:
        if key not in first:
            issues.append(
                Issue(
                    "missing-column",
                    f"the required column {key!r} is missing",
                    Location(file, line, 1, table=True),
                    f"add a column headed {key!r}"
                    + (" (or 'Tên xã')" if key == "name" else " (or 'Năm')"),
                )
            )
    return columns, issues
