"""A table's rows read into communes: the header, every measure column at once, and each
row's identity through the one commune builder. Used by the CSV and XLSX readers of
:mod:`ntm_rules.load.table`, whose docstring states the rules."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from ..errors import InvalidFileError, Issue, Location
from ..model.appraisal import Appraisal
from ..model.columns import Columns, FloatArray
from ..model.commune import Commune
from ..model.vocab import Vocab
from . import limits
from .appraisals import cell_appraisal
from .communes import build_commune
from .csv_split import SplitRows
from .header import (
    RECOGNITION_MEASURES,
    cell_text,
    header_index,
    resolve_header,
)
from .row_values import RowValues, Values
from .table_body import Body, ListedRows, Row, SplitBody
from .table_build import CleanRows
from .table_sheet import Identity, TableFields, TableSheet

# clean rows made communes without the per-row builder (load/table_build.py); the tests turn it
# off to check that both ways read every table alike
FAST = True


@dataclass(frozen=True)
class TableRead:
    """What :func:`read_table` found: the readable rows, and the problems of the others.

    `rows` counts the non-empty data rows (read or skipped); `columns` holds the communes'
    measure values as arrays, ready for the kernel.
    """

    communes: tuple[Commune, ...]
    issues: tuple[Issue, ...]
    rows: int
    columns: Columns | None = None


def _blank(values: Sequence[object]) -> bool:
    return all(v is None or (type(v) is str and not v.strip()) for v in values)


def _header(file: str, rows: Iterator[Row], vocab: Vocab, sheet: str) -> tuple[TableSheet, int]:
    index = header_index(vocab.measures)
    for row, values, _pre in rows:
        if _blank(values):
            continue
        if len(values) > limits.max_columns():
            raise InvalidFileError(
                [
                    Issue(
                        "too-many-columns",
                        f"the header has {len(values):,} cells; at most "
                        f"{limits.max_columns():,} columns are read",
                        Location(file, row, 1, "", True, sheet),
                        "remove the extra columns (or set NTM_RULES_MAX_COLUMNS)",
                    )
                ]
            )
        columns, problems = resolve_header(values, file, row, vocab.measures, index)
        for i, p in enumerate(problems):
            problems[i] = Issue(
                p.code,
                p.message,
                Location(file, p.location.line, p.location.column, p.location.path, True, sheet),
                p.hint,
            )
        if len(problems) > limits.HEADER_ISSUES:
            more = len(problems) - limits.HEADER_ISSUES
            last = problems[limits.HEADER_ISSUES - 1].location
            note = Issue("too-many-errors", f"{more:,} more header problems are not listed", last)
            problems = [*problems[: limits.HEADER_ISSUES], note]
        if problems:
            raise InvalidFileError(problems)
        return TableSheet(file, columns, sheet), row
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


def _measure_columns(
    sheet: TableSheet, body: Body, issues: list[list[Issue]]
) -> dict[str, FloatArray]:
    """Every measure column parsed at once; each cell's problem goes to its row's issues."""
    arrays: dict[str, FloatArray] = {}
    for column in sheet.columns:
        if column.measure is None:
            continue
        j = column.index
        parsed = body.parse(column.measure, j)
        for k, problem in parsed.problems.items():
            issues[k].append(
                sheet.issue(problem.code, problem.message, body.numbers[k], j, problem.hint)
            )
        arrays[column.key] = parsed.values
    _fraction_warnings(sheet, body.numbers, arrays, issues)
    return arrays


def _fraction_warnings(
    sheet: TableSheet, numbers: list[int], arrays: dict[str, FloatArray], issues: list[list[Issue]]
) -> None:
    """Shares typed as fractions (0,92 for 92%): a row whose percentages are all at most 1
    (three or more) is warned about — read as typed (0.92%), never guessed. A lone small value
    is not: some shares are small (multidimensional poverty 0.5%)."""
    percent = [c for c in sheet.columns if c.measure is not None and c.measure.type == "percent"]
    if not percent or not numbers:
        return
    table = np.vstack([arrays[c.key] for c in percent])  # (columns, rows)
    known = ~np.isnan(table)
    small = known & (table > 0) & (table <= 1)
    whole_row = (known.sum(axis=0) >= 3) & (small.sum(axis=0) == known.sum(axis=0))
    for k in np.flatnonzero(whole_row).tolist():
        first = int(np.flatnonzero(known[:, k])[0])
        issues[k].append(_fraction(sheet, numbers[k], percent[first].index))


def _fraction(sheet: TableSheet, row: int, index: int) -> Issue:
    message = "every percentage in this row is at most 1: were shares typed as fractions?"
    found = sheet.issue("fraction-percent", message, row, index, "type 92 for 92%, not 0,92")
    return dataclasses.replace(found, severity="warning")


def _data_rows(
    sheet: TableSheet, stream: Iterator[Row], header_line: int, text: bool = False
) -> list[Row]:
    """The non-empty rows below the header, with their located cell issues; in a CSV, a row
    with fewer cells than the header is an error (a broken line, not missing data)."""
    data: list[Row] = []
    most = limits.max_rows()
    width, blank = sheet.width, sheet.blank
    for row, values, pre in stream:
        cell_issues = sheet.locate(pre) if pre else []
        if not cell_issues and _blank(values):
            continue
        if len(data) >= most:
            raise InvalidFileError(
                [
                    sheet.issue(
                        "too-many-rows",
                        f"more than {most:,} data rows",
                        row,
                        0,
                        "split the file (or set NTM_RULES_MAX_ROWS)",
                    )
                ]
            )
        if text and len(values) < sheet.width and max(sheet.named, default=-1) >= len(values):
            cell_issues = [
                *cell_issues,
                sheet.issue(
                    "short-row",
                    f"the row has {len(values)} cells, the header {sheet.width}: a line broken "
                    "or a cell missing",
                    row,
                    len(values),
                    "check the quotes and separators of this line",
                ),
            ]
        if blank or len(values) > width:
            sheet.check_unnamed(row, values)
        data.append((row, values, cell_issues))
    if sheet.unnamed:
        raise InvalidFileError(
            [
                Issue(
                    "unnamed-column",
                    f"column {i + 1} has no header but row {row} has data in it",
                    Location(sheet.file, header_line, i + 1, "", True, sheet.sheet),
                    "name the column or delete its data",
                )
                for i, row in sorted(sheet.unnamed.items())
            ]
        )
    return data


def _appraisals(
    sheet: TableSheet, row: int, values: Sequence[object], issues: list[Issue]
) -> tuple[Appraisal, ...]:
    """The row's ``appraisal:ID`` cells (``đạt; 123/QĐ-UBND; 2024-11-20``)."""
    out = []
    for column in sheet.appraisal_columns:
        if column.index >= len(values):
            continue
        text = cell_text(values[column.index])
        if not text:
            continue
        found, problem = cell_appraisal(column.key.split(":", 1)[1], text)
        if found is None:
            issues.append(sheet.issue("bad-appraisal", problem, row, column.index))
        else:
            out.append(dataclasses.replace(found, location=sheet.location(row, column.index)))
    return tuple(out)


def read_rows(
    file: str,
    rows: Iterable[Row],
    vocab: Vocab,
    warnings: Sequence[Issue] = (),
    sheet_name: str = "",
    text: bool = False,
    split: Callable[[TableSheet, int], SplitRows | None] | None = None,
) -> TableRead:
    """The common part: header, then rows. `rows` yields (row number, cells, cell issues);
    `text`: every cell is text (a CSV); `split(sheet, header row)`: the data rows cut at once
    (:mod:`ntm_rules.load.csv_split`), or None to read them from `rows`."""
    stream = iter(rows)
    sheet, header_line = _header(file, stream, vocab, sheet_name)
    found = split(sheet, header_line) if split is not None and FAST else None
    body: Body
    if found is not None:
        body = SplitBody(found, sheet.width)
    else:
        body = ListedRows(_data_rows(sheet, stream, header_line, text), text)
    table = _read_body(sheet, body, vocab, warnings)
    if not body.numbers:
        note = Issue(
            "no-rows",
            "the table has a header but no data rows",
            Location(file, header_line, 1, "", True, sheet_name),
            severity="warning",
        )
        table = TableRead(table.communes, (*table.issues, note), 0, table.columns)
    return table


def _read_body(sheet: TableSheet, body: Body, vocab: Vocab, warnings: Sequence[Issue]) -> TableRead:
    """The communes of the data rows, and the problems of the rows left out."""
    per_row = body.pre
    arrays = _measure_columns(sheet, body, per_row)
    n = len(body.numbers)
    identity = Identity(sheet, body.columns, n)
    values_m = Values({k: v for k, v in arrays.items() if k not in RECOGNITION_MEASURES}, vocab)
    values_r = Values({k: v for k, v in arrays.items() if k in RECOGNITION_MEASURES}, vocab)
    memo: dict[tuple[object, ...], Any] = {}
    issues: list[Issue] = list(warnings)

    def slow(k: int, row: int) -> Commune | None:
        """Row `k` through the one commune builder; None when a problem leaves it out."""
        found = per_row[k]
        values = body.values(k)
        fields = TableFields(sheet, row, values, found, identity, k)
        appraisals = _appraisals(sheet, row, values, found) if sheet.appraisal_columns else ()
        commune = build_commune(
            fields, vocab, RowValues(values_m, k), RowValues(values_r, k), appraisals, memo
        )
        if found:
            name = (
                cell_text(values[sheet.at["name"]])
                if 0 <= sheet.at.get("name", -1) < len(values)
                else ""
            )
            found = [dataclasses.replace(i, subject=name) if name else i for i in found]
            issues.extend(found)
            if any(i.severity == "error" for i in found):
                return None
        return commune

    if FAST and not sheet.appraisal_columns:
        clean = CleanRows(sheet, identity, n)
        communes, keep = clean.read(body.numbers, per_row, memo, values_m, values_r, slow)
    else:
        communes, keep = [], []
        for k, row in enumerate(body.numbers):
            commune = slow(k, row)
            if commune is not None:
                communes.append(commune)
                keep.append(k)
    if len(keep) == n:  # every row read: the arrays as they are
        kept = arrays
    else:
        picked = np.asarray(keep, dtype=np.intp)
        kept = {k: v[picked] for k, v in arrays.items()}
    truth = {k: v == 1.0 for k, v in kept.items() if vocab.measures[k].type == "boolean"}
    columns = Columns(communes, kept, truth=truth, complete=True)
    return TableRead(tuple(communes), tuple(issues), n, columns)
