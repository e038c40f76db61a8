"""Reading a table's measure cells, one whole column at a time.

Every cell is read by the rules of :func:`ntm_rules.load.values.parse_value` (``41,5``,
``85%``, ``có``/``đạt``, empty or ``n/a`` for no data...). Most columns are clean — plain
decimals and blanks — and are read in one vectorised pass; a column with anything else reads
its plain cells the same way and each distinct other text once (through parse_value, which
also words the problem). The result is identical either way (tested).
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from ..model.columns import FloatArray
from ..model.commune import Observed
from ..model.vocab import Measure
from .values import Percent, Problem, parse_value

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
_PLAIN = re.compile(r"-?\d{1,15}(?:[.,]\d{1,15})?")
# a whole column of plain decimals and blanks, one cell per line
# possessive quantifiers: the same matches (one way to read a plain decimal), no backtracking
_PLAIN_COLUMN = re.compile(r"(?:(?:-?+\d{1,15}+(?:[.,]\d{1,15}+)?+)?+\n)*+")
_CACHE_LIMIT = 4096  # distinct texts read per column
_SAMPLE, _FEW = 64, 8  # a column of few texts: its first rows hold at most this many

Parsed = tuple[Observed, Problem | None]


@dataclass
class ParsedColumn:
    """A measure column: values (NaN = no data, or a problem), and the problems by row."""

    values: FloatArray
    problems: dict[int, Problem] = field(default_factory=dict)


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


def _limits(measure: Measure) -> tuple[float, float]:
    low = -math.inf if measure.min is None else measure.min
    high = math.inf if measure.max is None else measure.max
    return low, high


def read_text_value(measure: Measure, raw: str) -> Parsed:
    """:func:`parse_value` for a text cell, with a fast path for plain decimals."""
    if measure.type != "boolean":
        value = _plain_number(raw.strip(), measure.type, *_limits(measure))
        if value is not None:
            return value, None
    return parse_value(measure, raw)


def read_cell(measure: Measure, raw: object) -> Parsed:
    """One cell of any kind a reader hands over (text, number, boolean, date...)."""
    if raw is None:
        return None, None
    kind = measure.type
    if (type(raw) is float or type(raw) is int) and kind != "boolean":
        number = float(raw)
        low, high = _limits(measure)
        if low <= number <= high and math.isfinite(number):
            if kind != "count":
                return number, None
            if float(number).is_integer():
                return int(number), None
    if type(raw) is Percent:
        return parse_value(measure, raw.shown() if kind == "percent" else float(raw))
    if type(raw) is str and raw.strip() in EXCEL_ERRORS:
        return None, Problem(
            "cell-error",
            f"the cell shows the spreadsheet error {raw.strip()}",
            "correct the formula or type the value",
        )
    if type(raw) is str:
        return read_text_value(measure, raw)
    return parse_value(measure, raw)


def _number(value: Observed) -> float:
    return math.nan if value is None else float(value)


def _fast(measure: Measure, cells: Sequence[Any]) -> FloatArray | None:
    """A column of plain decimals and blanks, read at once; None when it is not one."""
    if measure.type == "boolean":
        return None
    try:
        joined = "\n".join(cells) + "\n"
    except TypeError:  # not all text (a workbook's numbers)
        return None
    if not _PLAIN_COLUMN.fullmatch(joined):
        return None
    lines = joined[:-1].replace(",", ".").split("\n")
    values = np.array([line or "nan" for line in lines], dtype=np.float64)
    return values


def checked(measure: Measure, plain: FloatArray, cell: Callable[[int], Any]) -> ParsedColumn:
    """A column of plain decimals read at once (`plain`), its cells out of the measure's range
    (or not whole, for a count) read by parse_value, which words the problem; `cell(i)` is
    cell i's text."""
    low, high = _limits(measure)
    bad = (plain < low) | (plain > high)
    if measure.type == "count":
        bad |= ~np.isnan(plain) & (plain != np.floor(plain))
    out = ParsedColumn(plain)
    for i in np.flatnonzero(bad).tolist():
        value, problem = parse_value(measure, cell(i))
        plain[i] = _number(value)
        if problem is not None:
            out.problems[i] = problem
    return out


def parse_column(measure: Measure, cells: Sequence[Any], text: bool = False) -> ParsedColumn:
    """Every cell of one measure column (None for a cell past the end of a short row);
    `text`: every cell is text (a CSV's, a short row's missing cells given as "")."""
    fast = _fast(measure, cells)
    if fast is not None:
        return checked(measure, fast, cells.__getitem__)
    if text:
        return _by_length(measure, cells) or _by_distinct_text(measure, cells)
    if all(type(c) is str or c is None for c in cells):
        return _by_distinct_text(measure, cells)
    values = np.full(len(cells), math.nan)
    out = ParsedColumn(values)
    cache: dict[str, Parsed] = {}
    for i, raw in enumerate(cells):
        if type(raw) is str:
            found = cache.get(raw)
            if found is None:
                found = read_cell(measure, raw)
                if len(cache) < _CACHE_LIMIT:
                    cache[raw] = found
        else:
            found = read_cell(measure, raw)
        value, problem = found
        if problem is not None:
            out.problems[i] = problem
        elif value is not None:
            values[i] = float(value)
    return out


def _by_distinct_text(measure: Measure, cells: Sequence[Any]) -> ParsedColumn:
    """A column of text (a CSV's): each distinct text read once, then mapped back."""
    read = {text: read_cell(measure, text) for text in set(cells)}
    number = {text: _number(value) for text, (value, _problem) in read.items()}
    values = np.fromiter(map(number.__getitem__, cells), dtype=np.float64, count=len(cells))
    out = ParsedColumn(values)
    bad = {text: problem for text, (_value, problem) in read.items() if problem is not None}
    if bad:
        for i, text in enumerate(cells):
            problem = bad.get(text)
            if problem is not None:
                out.problems[i] = problem
                values[i] = math.nan
    return out


def _by_length(measure: Measure, cells: Sequence[Any]) -> ParsedColumn | None:
    """A text column of a few distinct texts of different lengths (``có`` / ``không`` / blank),
    read without hashing every cell: once the whole column is known to hold only the texts of
    its first rows (one regular expression over the joined column, one line per cell), each
    cell is told apart by its length. None when the column is not such a column."""
    sample = set(cells[:_SAMPLE])
    lengths = {len(text) for text in sample}
    if len(sample) > _FEW or len(lengths) < len(sample) or any("\n" in t for t in sample):
        return None
    joined = "\n".join(cells) + "\n"
    if joined.count("\n") != len(cells):  # a cell holds a line break: not one line per cell
        return None
    tokens = "|".join(re.escape(t) for t in sorted(sample, key=len, reverse=True))
    if not re.fullmatch(f"(?:(?:{tokens})\n)*+", joined):
        return None
    read = {text: read_cell(measure, text) for text in sample}
    table = np.full(max(lengths) + 1, math.nan)
    for text, (value, _problem) in read.items():
        table[len(text)] = _number(value)
    size = np.fromiter(map(len, cells), dtype=np.intp, count=len(cells))
    out = ParsedColumn(table[size])
    for text, (_value, problem) in read.items():
        if problem is not None:
            for i in np.flatnonzero(size == len(text)).tolist():
                out.problems[i] = problem
    return out
