"""A CSV's data rows cut into cells with array operations, for the common, regular file.

:func:`split_rows` finds where every cell of every data row starts and ends in the file's
UTF-8 bytes, without making a Python string per cell: the delimiters and line ends outside
quotes are found from the spans between pairs of quotes. It takes only files that read the
same this way as through :mod:`csv` (``strict``): the header on the first line, every other
line empty or holding exactly the header's number of cells, quotes only around a whole cell
and never inside one (no ``""`` escapes), no line break inside a quoted cell, line ends
``\\n`` or ``\\r\\n`` (no other ``\\r``), no NUL byte, no column without a header. For any
other file it returns None and the general reader reads it (and locates its problems) as
before; both read every table alike (tested on random files).
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import cached_property
from typing import Any

import numpy as np

from . import limits

IntMatrix = np.ndarray[Any, np.dtype[np.int32]]
_QUOTE, _NEWLINE, _RETURN = 34, 10, 13
_PAD = 32  # zero bytes after the data: the widest cell read as a window
# a cell whose first byte is one of these (or not ASCII) may be all blank: checked as text
_BLANK_START = np.zeros(256, dtype=bool)
_BLANK_START[[9, 10, 11, 12, 13, 28, 29, 30, 31, 32]] = True
_BLANK_START[128:] = True


@dataclass(frozen=True)
class SplitRows:
    """The non-empty data rows of a CSV: row numbers as the spreadsheet shows them, and the
    byte offsets of each cell's content (quotes left out) in `data`: row k, column j is
    ``data[start[k, j]:end[k, j]]``."""

    data: bytes
    numbers: list[int]
    start: IntMatrix
    end: IntMatrix

    @cached_property
    def padded(self) -> np.ndarray[Any, np.dtype[np.uint8]]:
        """`data` as bytes, with 32 zero bytes after it (so that short cells can be read as
        windows of a fixed width)."""
        return np.frombuffer(self.data + bytes(_PAD), dtype=np.uint8)

    def column(self, j: int) -> list[str]:
        """Every cell of column `j`, as text: the cells' bytes gathered at once, NUL between
        them (no cell holds one), decoded together."""
        start, end = self.start[:, j], self.end[:, j]
        if not len(start):
            return []
        size = (end - start).astype(np.int64) + 1  # each cell and the NUL after it
        at = np.cumsum(size) - size  # where each cell begins in the gathered bytes
        gathered = self.padded[np.repeat(start - at, size) + np.arange(int(size.sum()))]
        gathered[at + size - 1] = 0
        return gathered[:-1].tobytes().decode("utf-8").split("\x00")

    def row(self, k: int) -> list[str]:
        """Every cell of row `k`, as text."""
        data = self.data
        pairs = zip(self.start[k].tolist(), self.end[k].tolist(), strict=True)
        return [data[a:b].decode("utf-8") for a, b in pairs]


def _where(b: np.ndarray[Any, Any], byte: int) -> IntMatrix:
    """The positions of `byte` in `b`, as 32-bit numbers (a file is at most 20 MB)."""
    return np.flatnonzero(b == byte).astype(np.int32)


def _bounds(b: np.ndarray[Any, Any], delimiter: int) -> tuple[IntMatrix, IntMatrix] | None:
    """The line ends and the delimiters outside quotes; None when a line break is quoted.

    A byte is inside quotes when an odd number of quotes come before it: between the quote
    numbered 2k and the one numbered 2k+1 (counting from 0). The delimiters inside such spans
    are found by a search of each span's ends among the delimiters."""
    lines = _where(b, _NEWLINE)
    seps = _where(b, delimiter)
    quotes = _where(b, _QUOTE)
    if len(quotes):
        if len(quotes) % 2:  # the last span runs to the end, over the last line end
            return None
        opens, closes = quotes[0::2], quotes[1::2]
        if (np.searchsorted(lines, opens) != np.searchsorted(lines, closes)).any():
            return None
        first, last = np.searchsorted(seps, opens), np.searchsorted(seps, closes)
        count = last - first  # delimiters inside each span
        if count.any():
            begins = np.cumsum(count) - count
            inside = np.repeat(first - begins, count) + np.arange(int(count.sum()))
            keep = np.ones(len(seps), dtype=bool)
            keep[inside] = False
            seps = seps[keep]
    return lines, seps


def _cells(
    lines: IntMatrix, seps: IntMatrix, width: int, ends: IntMatrix
) -> tuple[np.ndarray[Any, Any], IntMatrix, IntMatrix] | None:
    """(indices of the non-empty lines, cell starts, cell ends), quotes included; None unless
    every non-empty line has `width` cells. `lines`: where each line's ``\n`` is; `ends`:
    where its text ends (before a ``\r\n``)."""
    starts = np.empty(len(lines), dtype=lines.dtype)
    starts[0] = 0
    starts[1:] = lines[:-1] + 1
    counts = np.searchsorted(seps, lines) - np.searchsorted(seps, starts)
    full = np.flatnonzero(ends > starts)
    if not (counts[full] == width - 1).all():
        return None
    inner = seps.reshape(len(full), width - 1)  # every delimiter is on a non-empty line
    start = np.empty((len(full), width), dtype=lines.dtype)
    start[:, 0] = starts[full]
    start[:, 1:] = inner
    start[:, 1:] += 1
    end = np.empty_like(start)
    end[:, :-1] = inner
    end[:, -1] = ends[full]
    return full, start, end


def _unquoted(b: np.ndarray[Any, Any], start: IntMatrix, end: IntMatrix) -> bool:
    """Leave the quotes around cells out of `start` and `end` (in place); False when a quote
    is anywhere but around a cell. A cell starts before the line end that follows it, so
    ``b[start]`` is always a byte of the file (the cell's first, or the byte ending it)."""
    quotes = int(np.count_nonzero(b == _QUOTE))
    if not quotes:
        return True
    opens = b[start] == _QUOTE
    closes = opens & (end - start >= 2) & (b[end - 1] == _QUOTE)
    if not np.array_equal(opens, closes) or 2 * int(np.count_nonzero(closes)) != quotes:
        return False
    start += closes
    end -= closes
    return True


def split_rows(data: bytes, delimiter: str, width: int) -> SplitRows | None:
    """The data rows of the UTF-8 `data` (a CSV whose first line is its header of `width`
    cells), or None when the file must be read by the general reader."""
    head_end = data.find(b"\n")
    if head_end < 0 or width < 1 or data.count(b'"', 0, head_end) % 2:
        return None
    if b"\x00" in data:
        return None
    crlf = b"\r" in data
    if crlf and data.count(b"\r") != data.count(b"\r\n"):  # only as part of a line end
        return None
    if not data.endswith(b"\n"):
        data += b"\n"
    b = np.frombuffer(data, dtype=np.uint8)
    bounds = _bounds(b, ord(delimiter))
    if bounds is None:
        return None
    lines, seps = bounds
    ends = lines - (b[lines - 1] == _RETURN) if crlf else lines  # a line's text ends before \r
    found = _cells(lines, seps, width, ends)  # the header is the first of the rows
    if found is None or len(found[0]) > limits.max_rows() + 1 or len(found[0]) < 2:
        return None
    full, start, end = found
    if not _unquoted(b, start, end):
        return None
    start, end = start[1:], end[1:]
    if int((end - start).max()) > csv.field_size_limit():
        return None  # the csv module refuses such a cell: the general reader says where
    numbers = (full[1:] + 1).tolist()
    rows = SplitRows(data, numbers, start, end)
    return _without_blank_rows(rows, b)


def _without_blank_rows(rows: SplitRows, b: np.ndarray[Any, Any]) -> SplitRows:
    """The rows whose every cell is blank (empty or spaces) left out, as the general reader
    leaves them out."""
    first = b[rows.start]
    maybe = ((rows.end == rows.start) | _BLANK_START[first]).all(axis=1)
    if not maybe.any():
        return rows
    blank = [k for k in np.flatnonzero(maybe).tolist() if not any(c.strip() for c in rows.row(k))]
    if not blank:
        return rows
    keep = np.setdiff1d(np.arange(len(rows.numbers)), blank)
    numbers = [rows.numbers[k] for k in keep.tolist()]
    return SplitRows(rows.data, numbers, rows.start[keep], rows.end[keep])
