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
_DIGITS = 15  # a plain decimal of at most this many digits is exact in binary
_POW_FLOAT = 10.0 ** np.arange(_DIGITS + 1)
_MINUS, _ZERO, _NINE, _COMMA, _POINT = 45, 48, 57, 44, 46

Bytes = np.ndarray[Any, np.dtype[np.uint8]]


def _grid(b: Bytes, start: IntMatrix, size: IntMatrix, width: int) -> Bytes:
    """The cells' bytes, one row per cell, padded with zeros to `width` (`b` ends with at
    least `width` bytes of padding)."""
    windows = np.lib.stride_tricks.sliding_window_view(b, width)
    grid: Bytes = windows[start]
    grid[np.arange(width) >= size[:, None]] = 0
    return grid


def _plain(grid: Bytes, size: IntMatrix) -> np.ndarray[Any, np.dtype[np.float64]] | None:
    """The values of a column whose every cell is blank or a plain decimal (``-?\\d+([.,]\\d+)?``,
    at most 15 digits in all); None when it is not such a column."""
    minus = grid[:, 0] == _MINUS
    digit = (grid >= _ZERO) & (grid <= _NINE)
    point = (grid == _COMMA) | (grid == _POINT)
    digits = digit.sum(axis=1)
    points = point.sum(axis=1)
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


def _by_key(measure: Measure, grid: Bytes, rows: SplitRows, j: int) -> ParsedColumn:
    """Each distinct cell (of at most 8 bytes) read once; every cell gets its text's reading."""
    padded = np.zeros((len(grid), _KEY), dtype=np.uint8)
    padded[:, : grid.shape[1]] = grid
    keys = padded.view(np.uint64).ravel()
    _distinct, first, inverse = np.unique(keys, return_index=True, return_inverse=True)
    start, end = rows.start[:, j], rows.end[:, j]
    table = np.empty(len(first))
    problems = {}
    for u, i in enumerate(first.tolist()):
        value, problem = read_cell(measure, rows.data[start[i] : end[i]].decode("utf-8"))
        table[u] = np.nan if value is None or problem is not None else float(value)
        if problem is not None:
            problems[u] = problem
    out = ParsedColumn(table[inverse.ravel()])
    for u, problem in problems.items():
        for i in np.flatnonzero(inverse.ravel() == u).tolist():
            out.problems[i] = problem
    return out


def parse_split(measure: Measure, rows: SplitRows, j: int) -> ParsedColumn:
    """Column `j` of `rows` read as measure `measure` (see the module's docstring)."""
    start, end = rows.start[:, j], rows.end[:, j]
    size = end - start
    width = int(size.max()) if len(size) else 0
    if 0 < width <= _DIGITS + 2:
        grid = _grid(rows.padded, start, size, width)
        if measure.type != "boolean":
            plain = _plain(grid, size)
            if plain is not None:
                data = rows.data
                return checked(measure, plain, lambda i: data[start[i] : end[i]].decode("utf-8"))
        if width <= _KEY:
            return _by_key(measure, grid, rows, j)
    return parse_column(measure, rows.column(j), text=True)
