"""The table corpus (issue #6): broken CSV files and XLSX workbooks, and what must come of them.

CSV files are in ``tests/data/invalid/table-*.csv``; XLSX workbooks are built here by
:func:`build_xlsx` (openpyxl, into a temporary directory: a formula without a saved value,
merged cells, a date in the year column, booleans, text numbers, Excel errors, damaged zip
containers). :data:`TABLES` states the expected outcome of each: the issues that make the whole
file unreadable (``raises``), or the skipped rows' issues and what the other rows read.
Expectations use the ``code LINE[:COL] [hint: text]`` syntax of the ``# expect:`` lines of
``tests/data/invalid`` (LINE = the spreadsheet row, header = 1; COL = 1-based column).

Then: ``ntm-check batch`` on each fixture (exit codes, located messages, ``--strict``), other
spreadsheet formats, and arbitrary CSV text and bytes (hypothesis).

Run ``python -m tests.test_table_corpus DIR`` to write the XLSX fixtures into DIR.
"""

from __future__ import annotations

import datetime as dt
import gc
import io
import json
import struct
import sys
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from typer.testing import CliRunner

from ntm_rules import InvalidFileError, load_communes, read_communes
from ntm_rules.cli import app
from ntm_rules.errors import column_letters
from ntm_rules.load.table import TableRead, read_table
from ntm_rules.province import score_province

from .hostile_inputs import (
    BOOL,
    BOUNDED,
    CATALOG,
    COUNT,
    INCOME,
    INVALID,
    MEASURES,
    NEW,
    OLD,
    PCT,
    Expect,
    as_json,
    assert_reported,
    assert_valid,
    codes,
    csv_text,
    encodings,
    expect,
    show,
)


@pytest.fixture(autouse=True)
def _english(monkeypatch: pytest.MonkeyPatch) -> None:
    """These tests read the English messages (the default language is Vietnamese)."""
    monkeypatch.setenv("NTM_RULES_LANG", "en")


VOCAB = CATALOG.vocab


def read(path: Path) -> TableRead:
    return read_table(path, VOCAB)


@dataclass(frozen=True)
class Table:
    """The expected outcome of reading one table fixture.

    `raises`: read_table raises InvalidFileError with (at least) these issues. Otherwise
    `issues` are exactly the rows skipped (every expected issue is reported and no other row has
    an issue); `read` gives, per row, the measure values read (None: no data, the key is absent);
    `attrs` per row the Commune attributes read.
    """

    raises: tuple[str, ...] = ()
    issues: tuple[str, ...] = ()
    read: dict[int, dict[str, Any]] = field(default_factory=dict)
    attrs: dict[int, dict[str, Any]] = field(default_factory=dict)
    note: str = ""


TABLES: dict[str, Table] = {
    # --- encodings --------------------------------------------------------------------------
    "table-utf16-bom.csv": Table(
        raises=("bad-encoding 1:1 hint: CSV UTF-8",),
        note="Excel's 'Unicode Text' export; refused, never guessed",
    ),
    "table-windows-1258.csv": Table(
        raises=("bad-encoding 2:1 hint: Windows-1258",),
        note="legacy Vietnamese code page; the first bad byte's row",
    ),
    "table-nul-bytes.csv": Table(raises=("bad-encoding 3:1 hint: binary",)),
    "table-empty.csv": Table(raises=("empty-table",)),
    # --- headers ----------------------------------------------------------------------------
    "table-unknown-headers.csv": Table(
        raises=(
            "unknown-column 1:4 hint: did you mean 'commune_roads_paved_pct'",
            "unknown-column 1:5 hint: did you mean 'province'",
            "unknown-column 1:6 hint: name a measure by its key",
        )
    ),
    "table-data-as-header.csv": Table(
        raises=(
            "unknown-column 1:1",
            "unknown-column 1:2",
            "unknown-column 1:4",
            "missing-column 1 hint: 'name'",
            "missing-column 1 hint: 'year'",
        ),
        note="a sheet pasted without its header row",
    ),
    "table-duplicate-header.csv": Table(
        raises=(
            "duplicate-column 1:5 hint: keep one",
            "duplicate-column 1:6 hint: keep one",
        ),
        note="a measure named by its key and by its Vietnamese label; `name` twice",
    ),
    "table-tab-separated.csv": Table(
        raises=("unknown-column 1:1", "missing-column 1"),
        note="TSV is not read: only ',' and ';' delimiters",
    ),
    "table-too-many-cells.csv": Table(
        raises=("unnamed-column 1:5 hint: name the column",),
        note="a row with more cells than the header",
    ),
    "table-unclosed-quote.csv": Table(raises=("csv-syntax 3:1 hint: quotes",)),
    "table-header-only.csv": Table(issues=("no-rows 1:1",), note="a warning, not an error"),
    # --- cells ------------------------------------------------------------------------------
    "table-percent-cells.csv": Table(
        issues=(
            "ambiguous-number 4:4 hint: without thousands separators",
            "bad-number 8:4",
            "bad-number 9:4",
            "out-of-range 10:4 hint: 0..100",
            "out-of-range 11:4 hint: 0..100",
            "bad-number 12:4",
        ),
        read={
            2: {PCT: 85},
            3: {PCT: 85.5},
            5: {PCT: None},
            6: {PCT: None},
            7: {PCT: None},
            13: {PCT: 85},
            14: {PCT: 100},
            15: {PCT: 0},
            16: {PCT: None},
            17: {PCT: 85.5},
        },
        note="85% -> 85; 85,5 -> 85.5; '', n/a, -, 'không có số liệu' -> no data; "
        "1.234,5 ambiguous; NaN, inf, 1e3 not numbers; -5 and 120 out of range",
    ),
    "table-boolean-cells.csv": Table(
        issues=("wrong-type 14:4 hint: có/không", "wrong-type 15:4", "wrong-type 16:4"),
        read={
            2: {BOOL: True},
            3: {BOOL: False},
            4: {BOOL: True},
            5: {BOOL: True},
            6: {BOOL: True},
            7: {BOOL: False},
            8: {BOOL: False},
            9: {BOOL: True},
            10: {BOOL: False},
            11: {BOOL: True},
            12: {BOOL: False},
            13: {BOOL: None},
        },
        note="có/đạt/x/1/TRUE -> true; không/không đạt/chưa đạt/0/false -> false; "
        "'có thể', 2, v refused",
    ),
    "table-semicolon-decimal-comma.csv": Table(
        issues=("ambiguous-number 3:5", "wrong-type 4:6"),
        read={2: {PCT: 85.5, INCOME: 45.2, COUNT: 0}},
        attrs={2: {"name": "Pờ Ê", "region": "TN", "region_basis": "province"}},
        note="Excel (vi-VN) export: UTF-8 BOM, ';' delimiter, decimal comma, Vietnamese headers",
    ),
    "table-year-cells.csv": Table(
        issues=(
            "wrong-type 2:2",
            "wrong-type|bad-year 3:2",
            "missing-value 4:2",
            "wrong-type 6:2",
            "bad-year 7:2",
            "missing-value 9:1",
        ),
        attrs={5: {"year": 2023}, 8: {"year": 2024}},
        note="2023.0 and ' 2024 ' are years; a date, '23', 'năm 2023', 1999 and empty are not",
    ),
    "table-region-problems.csv": Table(
        issues=(
            "bad-region 2:4 hint: TN",
            "missing-region 3:3 hint: check the province",
            "missing-region 4:4",
            "unknown-category 5:5 hint: known: dbkk",
        ),
        attrs={6: {"region": "TN", "categories": ("dbkk",)}},
    ),
    # --- XLSX (built by build_xlsx) ---------------------------------------------------------
    "table-formula-without-value.xlsx": Table(
        issues=("formula-without-value 3:4 hint: save it", "formula-without-value 4:7"),
        read={2: {PCT: 85, INCOME: 45}},
        note="openpyxl and other programs write formulas without a cached value",
    ),
    "table-merged-cells.xlsx": Table(
        issues=("merged-cell 4:3 hint: unmerge", "merged-cell 5:5"),
        read={2: {PCT: 85}, 3: {PCT: 80}, 6: {PCT: 75}},
        attrs={3: {"region": "TN"}},
        note="a merged range keeps its value in its first cell only",
    ),
    "table-date-in-year.xlsx": Table(
        issues=("wrong-type 3:2 hint: not a date", "wrong-type 4:2"),
        attrs={2: {"year": 2023}, 5: {"year": 2023}, 6: {"year": 2024}},
        note="a date cell in the year column is refused; 2023.0 and text '2024' are years",
    ),
    "table-booleans-text-numbers.xlsx": Table(
        issues=("wrong-type 5:4", "wrong-type 8:5", "bad-number|wrong-type 10:6"),
        read={
            2: {PCT: 85, BOOL: True, COUNT: 3, INCOME: 45.5},
            3: {PCT: 85.5, BOOL: False, COUNT: 3, INCOME: 45.5},
            4: {PCT: 85.5, BOOL: True, COUNT: 0, INCOME: 45.5},
            6: {PCT: 85, BOOL: False, COUNT: 1, INCOME: 45},
            7: {PCT: 85, BOOL: True, COUNT: 2, INCOME: 45},
            9: {PCT: 0.5, BOOL: True, COUNT: 0, INCOME: 45},
        },
        note="Excel booleans and 1/0; text '85,5' and '3'; 0.855 formatted 85.5% -> 85.5; "
        "a bare 0.5 in a percent column is 0.5 (%), NOT 50%",
    ),
    "table-cell-error.xlsx": Table(
        issues=("cell-error 3:4 hint: correct the formula", "cell-error 4:5"),
        read={2: {PCT: 85, BOOL: True}},
    ),
    "table-zip-encrypted-member.xlsx": Table(
        raises=("bad-xlsx hint: save it again",), note="a zip member flagged as encrypted"
    ),
    "table-zip-unsupported-compression.xlsx": Table(
        raises=("bad-xlsx",), note="zip compression method 99"
    ),
    "table-zip-corrupt-deflate.xlsx": Table(
        raises=("bad-xlsx",), note="damaged deflate data in the sheet"
    ),
    "table-zip-truncated.xlsx": Table(raises=("bad-xlsx",), note="the first half of a workbook"),
    "table-zip-sizes-past-the-end.xlsx": Table(
        raises=("bad-xlsx",), note="member sizes larger than the file"
    ),
}


# --- XLSX builders ----------------------------------------------------------------------------

HEAD = ["name", "year", "region", PCT, BOOL, COUNT, INCOME]
SHEET = "communes"


def _workbook(rows: list[list[Any]]) -> Any:
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = SHEET
    sheet.append(HEAD)
    for row in rows:
        sheet.append(row)
    return book


def _xlsx_formula(path: Path) -> None:
    book = _workbook(
        [
            ["A", 2023, "TN", 85, True, 0, 45],
            ["B", 2023, "TN", "=40+45", True, 0, 45],
            ["C", 2023, "TN", 85, True, 0, "=SUM(40,5)"],
        ]
    )
    book.save(path)


def _xlsx_merged(path: Path) -> None:
    book = _workbook(
        [
            ["A", 2023, "TN", 85, True, 0, 45],
            ["B", 2023, "TN", 80, True, 0, 45],
            ["C", 2023, None, 80, True, 0, 45],  # C3:C4 merged: no region here
            ["D", 2023, "TN", 80, True, 0, 45],  # D5:E5 merged: E5 is empty
            ["E", 2023, "TN", 75, True, 0, 45],
        ]
    )
    sheet = book.active
    sheet.merge_cells("C3:C4")
    sheet.merge_cells("D5:E5")
    book.save(path)


def _xlsx_date_year(path: Path) -> None:
    book = _workbook(
        [
            ["A", 2023, "TN", 85, True, 0, 45],
            ["B", dt.datetime(2023, 1, 1), "TN", 85, True, 0, 45],
            ["C", dt.date(2024, 6, 30), "TN", 85, True, 0, 45],
            ["D", 2023.0, "TN", 85, True, 0, 45],
            ["E", "2024", "TN", 85, True, 0, 45],
        ]
    )
    book.save(path)


def _xlsx_booleans_text_numbers(path: Path) -> None:
    book = _workbook(
        [
            ["A", 2023, "TN", 85, True, 3, 45.5],
            ["B", 2023, "TN", "85,5", False, "3", "45,5"],
            ["C", 2023, "TN", 0.855, "có", 0, "45.5"],
            ["D", 2023, "TN", True, True, 0, 45],
            ["E", 2023, "TN", 85, "không đạt", 1, 45],
            ["F", 2023, "TN", 85, 1, 2.0, 45],
            ["G", 2023, "TN", 85, "maybe", 0, 45],
            ["H", 2023, "TN", 0.5, "x", 0, 45],
            ["I", 2023, "TN", 85, True, "3 nhà", 45],
        ]
    )
    book.active["D4"].number_format = "0.0%"
    book.save(path)


def _xlsx_cell_error(path: Path) -> None:
    book = _workbook(
        [
            ["A", 2023, "TN", 85, True, 0, 45],
            ["B", 2023, "TN", "#DIV/0!", True, 0, 45],
            ["C", 2023, "TN", 85, "#N/A", 0, 45],
        ]
    )
    book.save(path)


def _valid_xlsx_bytes(tmp: Path) -> bytes:
    path = tmp / "valid.xlsx"
    _workbook([["A", 2023, "TN", 85, True, 0, 45]]).save(path)
    return path.read_bytes()


def _patch_central_directory(data: bytes, *, flags: int = 0, method: int | None = None) -> bytes:
    """Set general-purpose flag bits and/or the compression method of every zip member."""
    out = bytearray(data)
    at = out.find(b"PK\x01\x02")
    while at >= 0:
        old = struct.unpack_from("<H", out, at + 8)[0]
        struct.pack_into("<H", out, at + 8, old | flags)
        if method is not None:
            struct.pack_into("<H", out, at + 10, method)
        at = out.find(b"PK\x01\x02", at + 4)
    return bytes(out)


def _corrupt_member(data: bytes, member: str) -> bytes:
    info = zipfile.ZipFile(io.BytesIO(data)).getinfo(member)
    out = bytearray(data)
    name_len, extra_len = struct.unpack_from("<HH", out, info.header_offset + 26)
    start = info.header_offset + 30 + name_len + extra_len + info.compress_size // 3
    for k in range(start, start + 8):
        out[k] ^= 0x5A
    return bytes(out)


def _xlsx_encrypted(path: Path) -> None:
    path.write_bytes(_patch_central_directory(_valid_xlsx_bytes(path.parent), flags=0x1))


def _xlsx_compression(path: Path) -> None:
    path.write_bytes(_patch_central_directory(_valid_xlsx_bytes(path.parent), method=99))


def _xlsx_corrupt(path: Path) -> None:
    path.write_bytes(_corrupt_member(_valid_xlsx_bytes(path.parent), "xl/worksheets/sheet1.xml"))


def _xlsx_overlong(path: Path) -> None:
    """Stored (uncompressed) members whose stated sizes run past the end of the file."""
    packed = zipfile.ZipFile(io.BytesIO(_valid_xlsx_bytes(path.parent)))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_STORED) as archive:
        for info in packed.infolist():
            archive.writestr(info.filename, packed.read(info.filename))
    data = bytearray(out.getvalue())
    at = data.find(b"PK\x01\x02")
    while at >= 0:
        for offset in (20, 24):  # compressed and uncompressed size
            size = struct.unpack_from("<I", data, at + offset)[0]
            struct.pack_into("<I", data, at + offset, size + 100_000)
        at = data.find(b"PK\x01\x02", at + 4)
    path.write_bytes(bytes(data))


def _xlsx_truncated(path: Path) -> None:
    data = _valid_xlsx_bytes(path.parent)
    path.write_bytes(data[: len(data) // 2])


XLSX_BUILDERS: dict[str, Callable[[Path], None]] = {
    "table-formula-without-value.xlsx": _xlsx_formula,
    "table-merged-cells.xlsx": _xlsx_merged,
    "table-date-in-year.xlsx": _xlsx_date_year,
    "table-booleans-text-numbers.xlsx": _xlsx_booleans_text_numbers,
    "table-cell-error.xlsx": _xlsx_cell_error,
    "table-zip-encrypted-member.xlsx": _xlsx_encrypted,
    "table-zip-unsupported-compression.xlsx": _xlsx_compression,
    "table-zip-corrupt-deflate.xlsx": _xlsx_corrupt,
    "table-zip-truncated.xlsx": _xlsx_truncated,
    "table-zip-sizes-past-the-end.xlsx": _xlsx_overlong,
}


def build_xlsx(folder: Path) -> dict[str, Path]:
    """Write every XLSX fixture into `folder` (run this module to write them into the corpus)."""
    folder.mkdir(parents=True, exist_ok=True)
    out = {}
    for name, build in XLSX_BUILDERS.items():
        build(folder / name)
        out[name] = folder / name
    return out


@pytest.fixture(scope="module")
def xlsx_files(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    return build_xlsx(tmp_path_factory.mktemp("xlsx"))


def _table_path(name: str, xlsx_files: dict[str, Path]) -> Path:
    return xlsx_files[name] if name in XLSX_BUILDERS else INVALID / name


# problems of the whole file (its bytes, its CSV quoting, its zip container), found before any
# cell is read: located in the file's text, not at a cell
FILE_LEVEL = frozenset({"bad-encoding", "csv-syntax", "bad-xlsx", "empty-table"})


def _printed(path: Path, e: Expect) -> str:
    """Where `ntm-check` says an expected issue is: a cell (header or row) as Excel names it
    (``file:D4``, ``file [communes]:D4`` in a workbook); a problem of the file's text as
    ``file:line:column``."""
    assert e.column is not None
    if set(e.codes) <= FILE_LEVEL:
        return f"{path}:{e.line}:{e.column}"
    sheet = f" [{SHEET}]" if path.suffix == ".xlsx" else ""
    return f"{path}{sheet}:{column_letters(e.column)}{e.line}"


CSV_FILES = sorted(p.name for p in INVALID.glob("*.csv"))
TABLE_NAMES = sorted(TABLES)


def test_table_corpus_is_complete() -> None:
    """Every CSV fixture has an expected outcome; the corpus spans YAML, CSV and XLSX."""
    assert set(CSV_FILES) <= set(TABLES), set(CSV_FILES) - set(TABLES)
    missing = [n for n in TABLES if n not in XLSX_BUILDERS and n not in CSV_FILES]
    assert not missing, missing
    yaml_files = list(INVALID.glob("*.yaml")) + list(INVALID.glob("*.yml"))
    assert len(CSV_FILES) >= 12 and len(XLSX_BUILDERS) >= 5
    assert len(yaml_files) + len(CSV_FILES) + len(XLSX_BUILDERS) > 80


@pytest.mark.parametrize("name", TABLE_NAMES)
def test_table_fixture(name: str, xlsx_files: dict[str, Path]) -> None:
    case = TABLES[name]
    path = _table_path(name, xlsx_files)
    if case.raises:
        with pytest.raises(InvalidFileError) as caught:
            read(path)
        issues = caught.value.issues
        del caught  # its traceback would keep the failed read's objects alive
        assert_reported(name, case.raises, issues)
        assert all(i.location.file == str(path) for i in issues)
        for issue in issues:  # a header cell is a cell: `file:D1 (header)`
            if issue.code not in FILE_LEVEL and issue.location.line:
                assert issue.location.table and issue.location.column >= 1, str(issue)
        # a file handle left open by the failed read shows up now, in this test, as a
        # ResourceWarning (an error under the project's warning filter), not in a later test
        gc.collect()
        return
    try:
        table = read(path)
    except InvalidFileError as exc:
        pytest.fail(f"{name} was rejected as a whole:\n{show(exc.issues)}")
    assert_reported(name, case.issues, table.issues)
    wanted_rows = {e.line for e in map(expect, case.issues) if isinstance(e, Expect)}
    errors = [i for i in table.issues if i.severity == "error"]
    assert {i.location.line for i in errors} <= wanted_rows, (
        f"{name}: unexpected issues:\n{show(errors)}"
    )
    sheet = SHEET if path.suffix == ".xlsx" else ""
    for issue in errors:  # every row issue names its row, its cell and the column's header
        where = issue.location
        assert where.line > 1 and where.column >= 1 and where.path, str(issue)
        assert where.file == str(path)
        assert (where.table, where.sheet) == (True, sheet), str(issue)
        assert where.cell == f"{column_letters(where.column)}{where.line}"
    read_rows = {c.source.line: c for c in table.communes if c.source is not None}
    assert len(read_rows) == len(table.communes)
    for commune in table.communes:
        assert commune.file == str(path)
        assert commune.source is not None and commune.source.table
        assert commune.source.sheet == sheet
    assert not set(read_rows) & {i.location.line for i in errors}, "a row with an issue was read"
    assert len(read_rows) + len({i.location.line for i in errors}) == table.rows
    for row, values in case.read.items():
        assert row in read_rows, f"{name}: row {row} was not read:\n{show(table.issues)}"
        got = {**read_rows[row].measures, **read_rows[row].recognition}
        for key, want in values.items():
            if want is None:
                assert key not in got, f"row {row}: {key} should be no data, read {got[key]!r}"
            else:
                assert key in got, f"row {row}: {key} missing; read {got}"
                assert (
                    type(got[key]) is bool
                    if isinstance(want, bool)
                    else not isinstance(got[key], bool)
                ), f"row {row}: {key} = {got[key]!r}"
                assert got[key] == pytest.approx(want), f"row {row}: {key} = {got[key]!r}"
    for row, attrs in case.attrs.items():
        assert row in read_rows, f"{name}: row {row} was not read:\n{show(table.issues)}"
        for attr, want in attrs.items():
            assert getattr(read_rows[row], attr) == want, (row, attr)


def test_table_header_only_is_a_warning() -> None:
    table = read(INVALID / "table-header-only.csv")
    assert (table.rows, table.communes, codes(table.issues)) == (0, (), ["no-rows"])
    assert table.issues[0].severity == "warning"


def test_bad_rows_are_errors_of_load_communes_and_skipped_by_read_communes() -> None:
    """The library's two ways of reading a table with bad rows: strictly (every bad row is an
    error) or leniently (bad rows left out, their issues returned)."""
    path = INVALID / "table-percent-cells.csv"
    case = TABLES[path.name]
    with pytest.raises(InvalidFileError) as caught:
        load_communes(path, CATALOG)
    assert_reported(path.name, case.issues, caught.value.issues)
    inputs = read_communes(path, CATALOG, strict=False)
    assert_reported(path.name, case.issues, inputs.errors)
    assert len(inputs.errors) == len(case.issues) and inputs.warnings == ()
    assert sorted(c.source.line for c in inputs.communes if c.source) == sorted(case.read)
    assert (inputs.files, inputs.rows) == ((str(path),), len(case.read) + len(case.issues))


@pytest.mark.parametrize("name", TABLE_NAMES)
def test_cli_batch_on_table_fixture(name: str, xlsx_files: dict[str, Path]) -> None:
    """A rejected table exits 2 with the file and place of each problem; skipped rows are
    listed and the rest scored (exit 0), unless --strict (exit 2)."""
    runner = CliRunner()
    case = TABLES[name]
    path = _table_path(name, xlsx_files)
    result = runner.invoke(app, ["batch", str(path), "--format", "json"])
    assert result.exception is None or isinstance(result.exception, SystemExit), (
        f"{name}: {result.exception!r}"
    )
    if case.raises or (not case.read and not case.attrs):
        assert result.exit_code == 2, f"{name}: exit {result.exit_code}\n{result.output}"
    else:
        assert result.exit_code == 0, f"{name}: exit {result.exit_code}\n{result.output}"
        batch = json.loads(result.stdout)
        assert_valid("batch.schema.json", batch)
        wanted = [e for e in map(expect, case.issues) if isinstance(e, Expect)]
        rows = {(r["row"], r["cell"], r["code"]) for r in batch["row_errors"]}
        assert {r for r, _, _ in rows} == {e.line for e in wanted}, rows
        for want in wanted:
            at = f"{column_letters(want.column or 0)}{want.line}"
            assert any(r == want.line and cell == at and c in want.codes for r, cell, c in rows), (
                want,
                rows,
            )
        strict = runner.invoke(app, ["batch", str(path), "--strict", "--format", "json"])
        assert strict.exit_code == (2 if case.issues else 0), strict.output
    for e in map(expect, case.raises or case.issues):
        if isinstance(e, Expect) and e.column:
            where = _printed(path, e)
            assert where in result.stderr, (name, where, result.stderr)
    gc.collect()  # see test_table_fixture: leaked file handles fail this test, not a later one


@pytest.mark.parametrize("name", ["communes.xls", "communes.ods", "communes.xlsm"])
def test_cli_batch_refuses_other_spreadsheet_formats(
    name: str, tmp_path: Path, xlsx_files: dict[str, Path]
) -> None:
    """An Excel 97 / OpenDocument / macro workbook is `unsupported-format` with the hint to save
    as .xlsx or CSV UTF-8, not a YAML or encoding error."""
    path = tmp_path / name
    path.write_bytes(xlsx_files["table-cell-error.xlsx"].read_bytes())
    with pytest.raises(InvalidFileError) as caught:
        read(path)
    assert codes(caught.value.issues) == ["unsupported-format"]
    assert "CSV UTF-8" in caught.value.issues[0].hint
    with pytest.raises(InvalidFileError) as caught:
        load_communes(path, CATALOG)
    assert codes(caught.value.issues) == ["unsupported-format"]
    result = CliRunner().invoke(app, ["batch", str(path)])
    assert result.exit_code == 2, result.output
    assert "unsupported-format" in result.stderr, result.stderr


# =================================================================================================
# Properties: arbitrary CSV raises nothing but InvalidFileError; what is read scores and is valid
# =================================================================================================


@pytest.fixture(scope="module")
def scratch(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("tables")


@BOUNDED
@given(
    data=st.one_of(
        csv_text().map(lambda t: t.encode("utf-8")),
        csv_text().flatmap(encodings),
        st.binary(max_size=300),
    )
)
def test_read_table_raises_only_documented_errors(data: bytes, scratch: Path) -> None:
    path = scratch / "fuzz.csv"
    path.write_bytes(data)
    try:
        table = read(path)
    except InvalidFileError as exc:
        assert exc.issues
        return
    for issue in table.issues:
        if issue.severity == "error":
            assert issue.location.line > 1 and issue.location.column >= 1, str(issue)
    if table.communes:
        errors = [i for i in table.issues if i.severity == "error"]
        data_json = score_province(list(table.communes), [OLD, NEW], MEASURES, row_errors=errors)
        assert_valid("batch.schema.json", as_json(data_json.to_dict()))


if __name__ == "__main__":  # pragma: no cover - `python -m tests.test_table_corpus DIR`
    target = Path(sys.argv[1]) if len(sys.argv) > 1 else Path("xlsx-fixtures")
    for written in build_xlsx(target).values():
        print(written)
