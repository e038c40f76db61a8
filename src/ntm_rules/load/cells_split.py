"""A measure column of a CSV cut by :mod:`ntm_rules.load.csv_split`, read from its bytes.

The same reading as :func:`ntm_rules.load.cells.parse_column` on the column's text cells, with
no Python string per cell where the column allows it:

* a column of plain decimals and blanks (``41``, ``-3``, ``41,5``, ``41.5``; at most 15
  digits) is read with array operations: the digits make a whole number, divided by the power
  of ten of its decimals, which rounds as reading the text does (both numbers are exact in
  binary, and a division rounds correctly); cells out of range go to parse_value, as there;
* a column of short cells (``có``, ``không``, ``85%``...) reads each distinct cell once
  (:func:`ntm_rules.load.cells.read_cell`) and gives every cell the reading of its text;
* any other column is cut into text cells and read by parse_column itself.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ..model.vocab import Measure
from .cells import ParsedColumn, checked, parse_column, read_cell
from .csv_split import IntMatrix, SplitRows

_KEY = 8  # a cell of at most this many bytes is told apart by one 64-bit number
_MASKS = np.array([(1 << 8 * k) - 1 for k in range(_KEY + 1)], dtype=np.uint64)
_SAMPLE, _FEW = 256, 16  # a column whose first 256 cells hold at most 16 texts: few texts
_DIGITS = 15  # a plain decimal of at most this many digits is exact in binary
_POW_FLOAT = 10.0 ** np.arange(_DIGITS + 1)
_MINUS, _ZERO, _NINE, _COMMA, _POINT = 45, 48, 57, 44, 46

Bytes = np.ndarray[Any, np.dtype[np.uint8]]


def _grid(b: Bytes, start: IntMatrix, width: int) -> Bytes:
    """The `width` bytes from each cell's start, one row per cell (past a cell's end: the bytes
    that follow it; `b` ends with at least `width` bytes of padding)."""
    grid: Bytes = np.lib.stride_tricks.sliding_window_view(b, width)[start]
    return grid


def _count(flags: np.ndarray[Any, Any]) -> np.ndarray[Any, Any]:
    """The true flags of each row (added column by column: faster than a sum along rows)."""
    total = flags[:, 0].astype(np.int64)
    for k in range(1, flags.shape[1]):
        total += flags[:, k]
    return total


def _plain(grid: Bytes, size: IntMatrix) -> np.ndarray[Any, np.dtype[np.float64]] | None:
    """The values of a column whose every cell is blank or a plain decimal (``-?\\d+([.,]\\d+)?``,
    at most 15 digits in all); None when it is not such a column. Row k of `grid` holds cell k's
    bytes, then whatever follows them."""
    cell = np.arange(grid.shape[1]) < size[:, None]  # the bytes of the cell itself
    minus = (grid[:, 0] == _MINUS) & (size > 0)
    digit = (grid >= _ZERO) & (grid <= _NINE) & cell
    point = ((grid == _COMMA) | (grid == _POINT)) & cell
    digits = _count(digit)
    points = _count(point)
    at = point.argmax(axis=1)
    whole = np.where(points == 1, at - minus, digits)
    decimals = np.where(points == 1, size - at - 1, 0)
    plain = (minus + digits + points == size) & (points <= 1) & (whole >= 1)
    plain &= (points == 0) | (decimals >= 1)
    blank = size == 0
    if not (plain | blank).all() or int(digits.max()) > _DIGITS:
        return None
    number = np.zeros(len(grid), dtype=np.int64)
    for w in range(grid.shape[1]):  # the digits, left to right, make a whole number
        number = np.where(digit[:, w], number * 10 + (grid[:, w].astype(np.int64) - _ZERO), number)
    values = number.astype(np.float64) / _POW_FLOAT[decimals]
    signed: np.ndarray[Any, np.dtype[np.float64]] = np.where(minus, -values, values)
    signed[blank] = np.nan
    return signed


def _keys(rows: SplitRows, start: IntMatrix, size: IntMatrix) -> np.ndarray[Any, Any]:
    """Each cell (of at most 8 bytes) as one number: its bytes, little-endian, zero-padded."""
    windows = np.lib.stride_tricks.sliding_window_view(rows.padded, _KEY)
    keys: np.ndarray[Any, Any] = windows[start].view("<u8").ravel() & _MASKS[size]
    return keys


def _distinct(keys: np.ndarray[Any, Any]) -> tuple[list[int], np.ndarray[Any, Any]]:
    """(the first cell of each distinct key, each cell's distinct key): a column whose first
    cells hold all its few keys is matched against them, without sorting the whole column."""
    sample = np.unique(keys[:_SAMPLE])
    if len(sample) <= _FEW:
        at = np.searchsorted(sample, keys)
        at[at == len(sample)] = 0
        if (sample[at] == keys).all():
            return [int(np.argmax(at == u)) for u in range(len(sample))], at
    _found, first, inverse = np.unique(keys, return_index=True, return_inverse=True)
    return first.tolist(), inverse.ravel()


def _by_key(measure: Measure, rows: SplitRows, j: int) -> ParsedColumn:
    """Each distinct cell (of at most 8 bytes) read once; every cell gets its text's reading."""
    start, end = rows.start[:, j], rows.end[:, j]
    first, inverse = _distinct(_keys(rows, start, end - start))
    table = np.empty(len(first))
    problems = {}
    for u, i in enumerate(first):
        value, problem = read_cell(measure, rows.data[start[i] : end[i]].decode("utf-8"))
        table[u] = np.nan if value is None or problem is not None else float(value)
        if problem is not None:
            problems[u] = problem
    out = ParsedColumn(table[inverse])
    for u, problem in problems.items():
        for i in np.flatnonzero(inverse == u).tolist():
            out.problems[i] = problem
    return out


def parse_split(measure: Measure, rows: SplitRows, j: int) -> ParsedColumn:
    """Column `j` of `rows` read as measure `measure` (see the module's docstring)."""
    start, end = rows.start[:, j], rows.end[:, j]
    size = end - start
    width = int(size.max()) if len(size) else 0
    if 0 < width <= _DIGITS + 2 and measure.type != "boolean":
        plain = _plain(_grid(rows.padded, start, width), size)
        if plain is not None:
            data = rows.data
            return checked(measure, plain, lambda i: data[start[i] : end[i]].decode("utf-8"))
    if 0 < width <= _KEY:
        return _by_key(measure, rows, j)
    return parse_column(measure, rows.column(j), text=True)
