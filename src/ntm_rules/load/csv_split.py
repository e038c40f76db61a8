"""A CSV's data rows cut into cells with array operations, for the common, regular file.

:func:`split_rows` finds where every cell of every data row starts and ends in the file's
UTF-8 bytes, without making a Python string per cell: the delimiters and line ends outside
quotes are found by the parity of the quotes before them. It takes only files that read the
same this way as through :mod:`csv` (``strict``): the header on the first line, every other
line empty or holding exactly the header's number of cells, quotes only around a whole cell
and never inside one (no ``""`` escapes), no line break inside a quoted cell, line ends
``\\n`` or ``\\r\\n``, no NUL byte, no column without a header. For any other file it returns
None and the general reader reads it (and locates its problems) as before; both read every
table alike (tested on random files).
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from typing import Any

import numpy as np

from . import limits

IntMatrix = np.ndarray[Any, np.dtype[np.int64]]
_QUOTE, _NEWLINE = 34, 10
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

    def column(self, j: int) -> list[str]:
        """Every cell of column `j`, as text."""
        data = self.data
        pairs = zip(self.start[:, j].tolist(), self.end[:, j].tolist(), strict=True)
        pieces = [data[a:b] for a, b in pairs]
        if not pieces:
            return []
        return b"\x00".join(pieces).decode("utf-8").split("\x00")

    def row(self, k: int) -> list[str]:
        """Every cell of row `k`, as text."""
        data = self.data
        pairs = zip(self.start[k].tolist(), self.end[k].tolist(), strict=True)
        return [data[a:b].decode("utf-8") for a, b in pairs]


def _bounds(b: np.ndarray[Any, Any], delimiter: int) -> tuple[IntMatrix, IntMatrix] | None:
    """The line ends and the delimiters outside quotes; None when a line break is quoted."""
    quote = b == _QUOTE
    newline = b == _NEWLINE
    separator = b == delimiter
    if quote.any():
        inside = (np.cumsum(quote, dtype=np.int64) & 1).astype(bool)
        if (newline & inside).any():
            return None
        separator &= ~inside
    return np.flatnonzero(newline), np.flatnonzero(separator)


def _cells(
    b: np.ndarray[Any, Any], lines: IntMatrix, seps: IntMatrix, width: int
) -> tuple[IntMatrix, IntMatrix, IntMatrix] | None:
    """(indices of the non-empty lines, cell starts, cell ends), quotes included; None unless
    every non-empty line has `width` cells."""
    starts = np.empty(len(lines), dtype=np.int64)
    starts[0] = 0
    starts[1:] = lines[:-1] + 1
    counts = np.searchsorted(seps, lines) - np.searchsorted(seps, starts)
    full = np.flatnonzero(lines > starts)
    if not np.array_equal(counts[full], np.full(len(full), width - 1)):
        return None
    inner = seps.reshape(len(full), width - 1)  # every delimiter is on a non-empty line
    start = np.concatenate([starts[full, None], inner + 1], axis=1)
    end = np.concatenate([inner, lines[full, None]], axis=1)
    return full, start, end


def _unquoted(
    b: np.ndarray[Any, Any], start: IntMatrix, end: IntMatrix
) -> tuple[IntMatrix, IntMatrix] | None:
    """Cell contents without their quotes; None when a quote is anywhere but around a cell."""
    quotes = int(np.count_nonzero(b == _QUOTE))
    if not quotes:
        return start, end
    size = len(b)
    opens = (end > start) & (b[np.minimum(start, size - 1)] == _QUOTE)
    closes = opens & (end - start >= 2) & (b[np.maximum(end - 1, 0)] == _QUOTE)
    if not np.array_equal(opens, closes) or 2 * int(np.count_nonzero(closes)) != quotes:
        return None
    shift = closes.astype(np.int64)
    return start + shift, end - shift


def split_rows(text: str, delimiter: str, width: int) -> SplitRows | None:
    """The data rows of `text` (a CSV whose first line is its header of `width` cells), or
    None when the file must be read by the general reader."""
    head_end = text.find("\n")
    if head_end < 0 or width < 1 or text.count('"', 0, head_end) % 2:
        return None
    try:
        data = text[head_end + 1 :].encode("utf-8")
    except UnicodeEncodeError:
        return None
    if not data or b"\x00" in data:
        return None
    if b"\r" in data:
        if data.count(b"\r") != data.count(b"\r\n"):
            return None
        data = data.replace(b"\r\n", b"\n")
    if not data.endswith(b"\n"):
        data += b"\n"
    b = np.frombuffer(data, dtype=np.uint8)
    bounds = _bounds(b, ord(delimiter))
    if bounds is None:
        return None
    found = _cells(b, *bounds, width)
    if found is None or len(found[0]) > limits.max_rows():
        return None
    full, start, end = found
    content = _unquoted(b, start, end)
    if content is None:
        return None
    start, end = content
    if len(start) and int((end - start).max()) > csv.field_size_limit():
        return None  # the csv module refuses such a cell: the general reader says where
    numbers = (full + 2).tolist()
    rows = SplitRows(data, numbers, start, end)
    return _without_blank_rows(rows, b)


def _without_blank_rows(rows: SplitRows, b: np.ndarray[Any, Any]) -> SplitRows:
    """The rows whose every cell is blank (empty or spaces) left out, as the general reader
    leaves them out."""
    size = len(b)
    first = b[np.minimum(rows.start, size - 1)]
    maybe = ((rows.end == rows.start) | _BLANK_START[first]).all(axis=1)
    if not maybe.any():
        return rows
    blank = [k for k in np.flatnonzero(maybe).tolist() if not any(c.strip() for c in rows.row(k))]
    if not blank:
        return rows
    keep = np.setdiff1d(np.arange(len(rows.numbers)), blank)
    numbers = [rows.numbers[k] for k in keep.tolist()]
    return SplitRows(rows.data, numbers, rows.start[keep], rows.end[keep])
