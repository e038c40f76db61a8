"""Hostile and broken input (issue #6): what the loaders must survive, and what they must say.

Four parts:

* **The table corpus.** CSV files in ``tests/data/invalid/table-*.csv`` and XLSX workbooks built
  here by :func:`build_xlsx` (openpyxl, into a temporary directory: a formula without a saved
  value, merged cells, a date in the year column, booleans, text numbers, Excel errors, damaged
  zip containers). :data:`TABLES` states the expected outcome of each: the issues that make the
  whole file unreadable (``raises``), or the skipped rows' issues and what the other rows read.
  Expectations use the ``code LINE[:COL] [hint: text]`` syntax of ``tests/test_invalid_files.py``
  (LINE = the spreadsheet row, header = 1; COL = 1-based column).
* **Bombs.** Billion-laughs aliases, deep nesting, a 50 MB file, a YAML file with more than
  500,000 nodes and ``!!python/object/apply`` tags. Resource-hungry cases run in a subprocess, so a
  crash or a memory blow-up fails one test instead of taking pytest down.
* **Properties** (hypothesis, bounded and derandomized): arbitrary text and bytes through every
  loader raise nothing but :class:`~ntm_rules.errors.NtmRulesError` subclasses; the JSON of
  generated valid communes and batches matches the published schemas in
  ``src/ntm_rules/schemas/``; evaluation is deterministic and does not depend on key order.
* **Outputs.** ``--html``/``--xlsx`` never overwrite an input, need ``--force`` over an existing
  file, replace atomically and leave no temporary file behind.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import gc
import hashlib
import io
import json
import os
import random
import struct
import subprocess
import sys
import time
import unicodedata
import warnings
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ntm_rules import Catalog, InvalidFileError, NtmRulesError, diff_sets, load_communes
from ntm_rules.api import assess, assess_tiers, set_in_force, units_of
from ntm_rules.errors import Issue
from ntm_rules.load.catalog import default_catalog
from ntm_rules.load.source import MAX_BYTES, MAX_DEPTH, MAX_NODES, parse_yaml, read_yaml
from ntm_rules.load.table import read_table
from ntm_rules.load.validate import validate_files
from ntm_rules.province import run_batch

from .test_invalid_files import Expect

# See tests/test_properties.py: keep hypothesis' failure reporting from tripping the project's
# "error" warning filter.
with warnings.catch_warnings():
    warnings.simplefilter("ignore", DeprecationWarning)
    with contextlib.suppress(ImportError):
        import hypothesis.extra._patching  # noqa: F401

ROOT = Path(__file__).resolve().parent.parent
DATA = Path(__file__).resolve().parent / "data"
INVALID = DATA / "invalid"
SCHEMAS = ROOT / "src" / "ntm_rules" / "schemas"
EXAMPLES = sorted((ROOT / "examples").rglob("*.yaml"))

CATALOG = default_catalog()
MEASURES = CATALOG.measures
REGIONS = CATALOG.regions
OLD, NEW = CATALOG.load("ntm-2016-2020"), CATALOG.load("ntm-2021-2025")
ALL_SETS = tuple(CATALOG.all_sets())
REGION_CODES = ("TDMNPB", "DBSH", "BTB", "DHNTB", "TN", "DNB", "DBSCL")

BOUNDED = settings(
    derandomize=True,
    database=None,
    deadline=None,
    max_examples=60,
    suppress_health_check=[
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
        HealthCheck.filter_too_much,
    ],
)


def _show(issues: Any) -> str:
    return "\n".join(f"  {i}" for i in issues) or "  (no issues)"


def _codes(issues: Any) -> list[str]:
    return [i.code for i in issues]


def _ntm_check(
    *args: str, cwd: Path | None = None, timeout: float = 120
) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in ("COLUMNS", "LINES")}
    env.update(PYTHONIOENCODING="utf-8", NO_COLOR="1")
    return subprocess.run(
        [sys.executable, "-m", "ntm_rules", *args],
        capture_output=True,
        text=True,
        encoding="utf-8",
        errors="replace",
        timeout=timeout,
        env=env,
        cwd=cwd,
    )


# =================================================================================================
# The published JSON Schemas
# =================================================================================================


@cache
def validator(name: str) -> Any:
    import jsonschema

    schema = json.loads((SCHEMAS / name).read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema)


def assert_valid(name: str, data: Any) -> None:
    errors = sorted(validator(name).iter_errors(data), key=lambda e: list(e.absolute_path))
    assert not errors, f"{name}:\n" + "\n".join(
        f"  at {'/'.join(map(str, e.absolute_path)) or '(top)'}: {e.message[:300]}"
        for e in errors[:10]
    )


SCHEMA_FILES = ("commune-report.schema.json", "batch.schema.json", "set-diff.schema.json")


@pytest.mark.parametrize("name", SCHEMA_FILES)
def test_schemas_are_draft_2020_12(name: str) -> None:
    schema = json.loads((SCHEMAS / name).read_text(encoding="utf-8"))
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert schema["type"] == "object" and schema["required"]
    validator(name)  # check_schema


def test_schema_files_are_exactly_the_published_ones() -> None:
    assert sorted(p.name for p in SCHEMAS.glob("*.json")) == sorted(SCHEMA_FILES)


@pytest.fixture(scope="module")
def example_communes() -> list[Any]:
    return [
        c
        for path in EXAMPLES
        if path.name != "README.md"
        for c in load_communes(path, MEASURES, REGIONS)
    ]


def test_commune_reports_of_examples_match_schema(example_communes: list[Any]) -> None:
    overlay = CATALOG.load("binh-phuoc-2022")
    for i, commune in enumerate(example_communes):
        reports = [
            assess(commune, [OLD, NEW], CATALOG),  # adds `transition`
            assess_tiers(commune, CATALOG),  # adds the tier keys
        ]
        if i < 4:
            reports += [
                assess(commune, [set_in_force(commune, CATALOG)], CATALOG),
                assess(commune, [overlay], CATALOG),
                assess(commune, [CATALOG.load("ntm-model-2021-2025")], CATALOG),
            ]
        for report in reports:
            assert_valid("commune-report.schema.json", json.loads(json.dumps(report.to_dict())))


def test_cli_json_matches_schemas(tmp_path: Path) -> None:
    """What the command prints, not only what the library returns."""
    one = str(ROOT / "examples" / "loses-certification.yaml")
    run = _ntm_check(one, "--format", "json", "--tiers")
    assert run.returncode == 0, run.stderr
    assert_valid("commune-report.schema.json", json.loads(run.stdout))
    run = _ntm_check(
        one,
        str(ROOT / "examples" / "missing-data.yaml"),
        "--format",
        "json",
        "--set",
        "ntm-2016-2020",
        "--set",
        "ntm-2021-2025",
    )
    assert run.returncode == 0, run.stderr
    many = json.loads(run.stdout)
    schema = json.loads((SCHEMAS / "commune-report.schema.json").read_text(encoding="utf-8"))
    assert set(many) == set(schema["$defs"]["many"]["required"])
    for report in many["reports"]:
        assert_valid("commune-report.schema.json", report)
    run = _ntm_check("batch", str(INVALID / "table-percent-cells.csv"), "--format", "json")
    assert run.returncode == 0, run.stderr
    batch = json.loads(run.stdout)
    assert batch["row_errors"]
    assert_valid("batch.schema.json", batch)
    run = _ntm_check("diff", "ntm-2016-2020", "ntm-2021-2025", "--format", "json")
    assert run.returncode == 0, run.stderr
    assert_valid("set-diff.schema.json", json.loads(run.stdout))


def test_batch_of_examples_matches_schema(example_communes: list[Any]) -> None:
    units = units_of(CATALOG)
    table = read_table(INVALID / "table-percent-cells.csv", MEASURES, REGIONS)
    communes = [*example_communes, *table.communes]
    for sets in (
        [OLD, NEW],
        [NEW],
        [NEW, CATALOG.load("binh-phuoc-2022"), CATALOG.load("ntm-model-2021-2025")],
    ):
        data = run_batch(communes, sets, units, table.issues).to_dict()
        assert_valid("batch.schema.json", json.loads(json.dumps(data)))


def test_every_set_diff_matches_schema() -> None:
    for old in ALL_SETS:
        for new in ALL_SETS:
            if old.id != new.id:
                assert_valid("set-diff.schema.json", diff_sets(old, new).to_dict())


def _invalid(name: str, data: Any) -> bool:
    return any(True for _ in validator(name).iter_errors(data))


def test_schemas_are_tight(example_communes: list[Any]) -> None:
    """Wrong enums, types, missing and unknown keys are caught, not waved through."""
    commune = example_communes[0]
    report = json.loads(json.dumps(assess(commune, [OLD, NEW], CATALOG).to_dict()))
    name = "commune-report.schema.json"
    assert not _invalid(name, report)
    breakages: list[Callable[[dict[str, Any]], None]] = [
        lambda r: r["evaluations"][0].update(verdict="maybe"),
        lambda r: r["evaluations"][0]["criteria"][0].update(status="passed"),
        lambda r: r["evaluations"][0]["criteria"][0]["indicators"][0].update(value="85"),
        lambda r: r["evaluations"][0]["criteria"][0]["indicators"][0].update(operator="=>"),
        lambda r: r["evaluations"][0].pop("criteria_met"),
        lambda r: r["evaluations"][0].update(extra=1),
        lambda r: r["transition"].update(outcome="won"),
        lambda r: r["commune"].update(region="Tây Nguyên"),
        lambda r: r.update(highest_tier="standard"),  # tier keys come all together
        lambda r: r.update(evaluations=[]),
    ]
    for i, breakage in enumerate(breakages):
        broken = json.loads(json.dumps(report))
        breakage(broken)
        assert _invalid(name, broken), f"breakage {i} was accepted"
    batch = json.loads(json.dumps(run_batch([commune], [OLD, NEW], units_of(CATALOG)).to_dict()))
    assert not _invalid("batch.schema.json", batch)
    for breakage in [
        lambda b: b.pop("transitions"),  # two sets: transitions and lost are required
        lambda b: b["results"][0].update(transition="won"),
        lambda b: b["sets"][OLD.id].update(certified_pct=120),
        lambda b: b["row_errors"].append(
            {"file": "x", "row": 2, "column": "", "code": "Bad Code", "message": "", "hint": ""}
        ),
    ]:
        broken = json.loads(json.dumps(batch))
        breakage(broken)
        assert _invalid("batch.schema.json", broken)


# =================================================================================================
# The table corpus
# =================================================================================================


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


PCT, BOOL, COUNT, INCOME = (
    "commune_roads_paved_pct",
    "construction_plan_approved",
    "temporary_houses",
    "income_per_capita",
)

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


class _FileExpect:
    """An expectation for a whole-file issue without a line (``empty-table``, ``bad-xlsx``)."""

    def __init__(self, text: str) -> None:
        code, _, hint = text.partition(" hint: ")
        self.codes = tuple(code.strip().split("|"))
        self.hint = hint.strip()

    def matches(self, issue: Issue) -> bool:
        return issue.code in self.codes and self.hint in issue.hint

    def __str__(self) -> str:
        return "|".join(self.codes) + (f" (hint ~ {self.hint!r})" if self.hint else "")


def expect(text: str) -> Expect | _FileExpect:
    head = text.split(" hint:")[0].split()
    return Expect.parse(text) if len(head) > 1 else _FileExpect(text)


def _assert_reported(name: str, wanted: tuple[str, ...], issues: Any) -> None:
    missing = [str(e) for e in map(expect, wanted) if not any(e.matches(i) for i in issues)]
    assert not missing, (
        f"{name}: not reported:\n"
        + "\n".join(f"  {m}" for m in missing)
        + f"\nreported:\n{_show(issues)}"
    )


# --- XLSX builders ----------------------------------------------------------------------------

HEAD = ["name", "year", "region", PCT, BOOL, COUNT, INCOME]


def _workbook(rows: list[list[Any]]) -> Any:
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "communes"
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
            read_table(path, MEASURES, REGIONS)
        issues = caught.value.issues
        del caught  # its traceback would keep the failed read's objects alive
        _assert_reported(name, case.raises, issues)
        assert all(i.location.file == str(path) for i in issues)
        # a file handle left open by the failed read shows up now, in this test, as a
        # ResourceWarning (an error under the project's warning filter), not in a later test
        gc.collect()
        return
    try:
        table = read_table(path, MEASURES, REGIONS)
    except InvalidFileError as exc:
        pytest.fail(f"{name} was rejected as a whole:\n{_show(exc.issues)}")
    _assert_reported(name, case.issues, table.issues)
    wanted_rows = {e.line for e in map(expect, case.issues) if isinstance(e, Expect)}
    errors = [i for i in table.issues if i.severity == "error"]
    assert {i.location.line for i in errors} <= wanted_rows, (
        f"{name}: unexpected issues:\n{_show(errors)}"
    )
    for issue in errors:  # every row issue names its row, its column and the column's header
        assert issue.location.line > 1 and issue.location.column >= 1, str(issue)
        assert issue.location.file == str(path)
    read = {int(c.file.rsplit("#row", 1)[1]): c for c in table.communes}
    assert not set(read) & {i.location.line for i in errors}, "a row with an issue was read"
    assert len(read) + len({i.location.line for i in errors}) == table.rows
    for row, values in case.read.items():
        assert row in read, f"{name}: row {row} was not read:\n{_show(table.issues)}"
        got = {**read[row].measures, **read[row].recognition}
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
        assert row in read, f"{name}: row {row} was not read:\n{_show(table.issues)}"
        for attr, want in attrs.items():
            assert getattr(read[row], attr) == want, (row, attr)


def test_table_header_only_is_a_warning() -> None:
    table = read_table(INVALID / "table-header-only.csv", MEASURES, REGIONS)
    assert (table.rows, table.communes, _codes(table.issues)) == (0, (), ["no-rows"])
    assert table.issues[0].severity == "warning"


@pytest.mark.parametrize("name", TABLE_NAMES)
def test_cli_batch_on_table_fixture(name: str, xlsx_files: dict[str, Path]) -> None:
    """A rejected table exits 2 with file:row:col; skipped rows are listed and the rest scored
    (exit 0), unless --strict (exit 2)."""
    from typer.testing import CliRunner

    from ntm_rules.cli import app

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
        assert_valid("batch.schema.json", json.loads(result.stdout))
        strict = runner.invoke(app, ["batch", str(path), "--strict", "--format", "json"])
        assert strict.exit_code == (2 if case.issues else 0), strict.output
    for e in map(expect, case.raises or case.issues):
        if isinstance(e, Expect) and e.column:
            assert f"{path}:{e.line}:{e.column}" in result.stderr, (name, result.stderr)
    gc.collect()  # see test_table_fixture: leaked file handles fail this test, not a later one


@pytest.mark.parametrize("name", ["communes.xls", "communes.ods", "communes.xlsm"])
def test_cli_batch_refuses_other_spreadsheet_formats(
    name: str, tmp_path: Path, xlsx_files: dict[str, Path]
) -> None:
    """An Excel 97 / OpenDocument / macro workbook is `unsupported-format` with the hint to save
    as .xlsx or CSV UTF-8, not a YAML or encoding error."""
    from typer.testing import CliRunner

    from ntm_rules.cli import app

    path = tmp_path / name
    path.write_bytes(xlsx_files["table-cell-error.xlsx"].read_bytes())
    with pytest.raises(InvalidFileError) as caught:
        read_table(path, MEASURES, REGIONS)
    assert _codes(caught.value.issues) == ["unsupported-format"]
    result = CliRunner().invoke(app, ["batch", str(path)])
    assert result.exit_code == 2, result.output
    assert "unsupported-format" in result.stderr, result.stderr


# =================================================================================================
# Bombs
# =================================================================================================


def billion_laughs(levels: int = 9, width: int = 9) -> str:
    lines = [
        "kind: commune",
        "name: lol",
        "year: 2023",
        "region: TN",
        "measures: {}",
        "a0: &a0 {" + ", ".join(f'k{i}: "lol"' for i in range(width)) + "}",
    ]
    for level in range(1, levels):
        lines.append(
            f"a{level}: &a{level} {{"
            + ", ".join(f"k{i}: *a{level - 1}" for i in range(width))
            + "}"
        )
    return "\n".join(lines) + "\n"


def test_billion_laughs_is_refused_fast(tmp_path: Path) -> None:
    text = billion_laughs()  # 9**9 = 387 million "lol" once expanded
    start = time.perf_counter()
    doc = parse_yaml(text, "laughs.yaml")
    assert "yaml-alias" in _codes(doc.issues)
    path = tmp_path / "laughs.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(InvalidFileError) as caught:
        load_communes(path, MEASURES, REGIONS)
    assert any(i.code == "yaml-alias" and i.location.line == 7 for i in caught.value.issues)
    report = validate_files([path], CATALOG)
    assert "yaml-alias" in _codes(report.files[0].issues)
    assert time.perf_counter() - start < 1.0


def test_billion_laughs_fixture_is_the_real_thing() -> None:
    text = (INVALID / "commune-billion-laughs.yaml").read_text(encoding="utf-8")
    assert text.count("*") >= 60 and text.count("&") >= 8


def test_moderately_deep_nesting_is_too_deep() -> None:
    for text in (
        "note: " + "[" * 200 + "]" * 200,
        "".join(" " * i + "k:\n" for i in range(300)),
        "note: " + "{a: " * 200 + "1" + "}" * 200,
    ):
        start = time.perf_counter()
        doc = parse_yaml(text, "deep.yaml")
        assert "too-deep" in _codes(doc.issues)
        assert all(i.location.line >= 1 for i in doc.issues)
        assert time.perf_counter() - start < 1.0


def test_yaml_tags_are_refused_and_never_executed(tmp_path: Path) -> None:
    marker = tmp_path / "executed"
    texts = [
        f"kind: commune\nname: X\nyear: 2023\nregion: TN\nmeasures:\n  commune_roads_paved_pct: "
        f'!!python/object/apply:os.system ["touch {marker}"]\n',
        f'kind: commune\nname: !!python/object/apply:os.system ["touch {marker}"]\nyear: 2023\n'
        f"region: TN\nmeasures: {{}}\n",
        f'kind: criteria-set\nid: x\ndecision: !!python/object/new:os.system ["touch {marker}"]\n',
        f'!!python/object/apply:os.system ["touch {marker}"]\n',
    ]
    for i, text in enumerate(texts):
        path = tmp_path / f"tag{i}.yaml"
        path.write_text(text, encoding="utf-8")
        assert "yaml-tag" in _codes(read_yaml(path).issues), text
        with pytest.raises(InvalidFileError):
            load_communes(path, MEASURES, REGIONS)
        assert not validate_files([path], CATALOG).ok
    run = _ntm_check("validate", *(str(p) for p in sorted(tmp_path.glob("tag*.yaml"))))
    assert run.returncode == 2 and "yaml-tag" in run.stdout + run.stderr
    assert "Traceback" not in run.stdout + run.stderr
    assert not marker.exists(), "a YAML tag was executed"


_PROBE = r"""
import json, resource, sys, time
from pathlib import Path
from ntm_rules import Catalog, NtmRulesError, load_communes
from ntm_rules.load.table import read_table
from ntm_rules.load.validate import validate_files
catalog = Catalog(); catalog.measures; catalog.regions
def rss():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
out = []
for how, name in zip(sys.argv[1::2], sys.argv[2::2]):
    path = Path(name)
    base, start = rss(), time.perf_counter()
    issues = []
    try:
        if how == "commune":
            load_communes(path, catalog.measures, catalog.regions)
        elif how == "validate":
            issues = [i for f in validate_files([path], catalog).files for i in f.issues]
        else:
            issues = list(read_table(path, catalog.measures, catalog.regions).issues)
    except NtmRulesError as exc:
        issues = list(getattr(exc, "issues", []))
        if not issues:
            issues = [type(exc).__name__]
    codes = [getattr(i, "code", i) for i in issues]
    lines = [i.location.line for i in issues if hasattr(i, "location")]
    out.append({"file": path.name, "how": how, "codes": codes, "lines": lines,
                "seconds": time.perf_counter() - start, "rss_mb": rss() - base})
print(json.dumps(out))
"""


def _probe(*pairs: tuple[str, Path], timeout: float = 120) -> list[dict[str, Any]]:
    """Run the loaders on `pairs` ((how, path)...) in a fresh interpreter; time and peak RSS."""
    args = [a for how, path in pairs for a in (how, str(path))]
    run = subprocess.run(
        [sys.executable, "-c", _PROBE, *args], capture_output=True, text=True, timeout=timeout
    )
    assert run.returncode == 0, f"the loader process died with {run.returncode}:\n{run.stderr}"
    results: list[dict[str, Any]] = json.loads(run.stdout)
    return results


def _sparse(path: Path, head: bytes, size: int) -> Path:
    with open(path, "wb") as fh:
        fh.write(head)
        fh.truncate(size)
    return path


def test_50_mb_files_are_refused_without_reading_them(tmp_path: Path) -> None:
    size = 50 * 1024 * 1024
    assert size > MAX_BYTES
    commune = _sparse(tmp_path / "big.yaml", b"kind: commune\nname: X\n", size)
    table = _sparse(tmp_path / "big.csv", b"name,year,region\n", size)
    book = _sparse(tmp_path / "big.xlsx", b"PK\x03\x04", size)
    for result in _probe(
        ("commune", commune), ("validate", commune), ("table", table), ("table", book)
    ):
        assert result["codes"] == ["file-too-large"], result
        assert result["seconds"] < 2.0, result
        assert result["rss_mb"] < 25, f"the file was read into memory: {result}"


def test_too_many_yaml_nodes_are_refused_cheaply(tmp_path: Path) -> None:
    """600,000 list items (2.4 MB, far under the 20 MB limit) must be refused as too-large
    without building every node first (the cost grows with the file: ~24 s and 1.7 GB at 20 MB).
    """
    path = tmp_path / "many.yaml"
    path.write_text("- 1\n" * (MAX_NODES + 100_000), encoding="utf-8")
    [result] = _probe(("validate", path))
    assert "too-large" in result["codes"], result
    assert result["seconds"] < 2.0, result
    assert result["rss_mb"] < 150, result


DEEP_FIXTURE = INVALID / "set-deep-flow-nesting.yml"


def test_very_deep_flow_nesting_does_not_crash_the_process() -> None:
    """30,000 nested ``[`` (60 kB) made PyYAML's C composer overflow the C stack (SIGSEGV).

    The fixture is named ``.yml`` so that tests/test_invalid_files.py, which loads every
    ``*.yaml`` in-process, is not killed by it; it is read here in a subprocess.
    """
    text = DEEP_FIXTURE.read_text(encoding="utf-8")
    assert text.count("[") >= 30_000
    [expected] = [
        Expect.parse(line.split(":", 1)[1])
        for line in text.splitlines()
        if line.startswith("# expect:")
    ]
    start = time.perf_counter()
    [result] = _probe(("validate", DEEP_FIXTURE))
    # A safe, located refusal is what matters, not which layer refuses first: the project's
    # pre-scan says too-deep, and PyYAML >= 6.0.2 (libyaml) may stop the nesting itself first.
    assert expected.codes[0] == "too-deep"
    assert set(result["codes"]) & {"too-deep", "yaml-syntax"}, result
    assert result["lines"] and all(line == expected.line for line in result["lines"]), result
    assert time.perf_counter() - start < 5.0


def test_deep_nesting_limit_is_what_the_docs_say() -> None:
    ok = "note: " + "[" * (MAX_DEPTH - 1) + "]" * (MAX_DEPTH - 1)
    assert "too-deep" not in _codes(parse_yaml(ok, "x").issues)
    deep = "note: " + "[" * (MAX_DEPTH + 1) + "]" * (MAX_DEPTH + 1)
    assert "too-deep" in _codes(parse_yaml(deep, "x").issues)


# =================================================================================================
# Properties: nothing but NtmRulesError escapes
# =================================================================================================

KEYS = [
    "kind",
    "name",
    "year",
    "region",
    "province",
    "district",
    "measures",
    "communes",
    "categories",
    "recognized",
    "recognition",
    "criteria",
    "id",
    "title",
    "indicators",
    "threshold",
    "all_regions",
    "by_region",
    "by_year",
    "value",
    "verified",
    "source",
    "sources",
    "citation",
    "period",
    "from",
    "to",
    "extends",
    "replace",
    "add",
    "remove",
    "label",
    "type",
    "regions",
    "provinces",
    "derive",
    "applies_if",
    "checks",
    "operator",
    "measure",
    "tier",
    "set",
    "conditions",
    "revocation",
    "region_rules",
    "TN",
    "2022",
    PCT,
    BOOL,
    COUNT,
    INCOME,
    "vi",
    "en",
    "text",
    "aliases",
    "? x",
]
VALUES = [
    "commune",
    "criteria-set",
    "overlay",
    "measures",
    "regions",
    "communes",
    "ntm-2021-2025",
    "ntm-2016-2020",
    "2023",
    "85",
    "85%",
    "85,5",
    "1.234,5",
    "-5",
    "1e999",
    ".nan",
    "-.inf",
    "~",
    "null",
    "yes",
    "no",
    "có",
    "không",
    "đạt",
    "x",
    "true",
    "''",
    '""',
    "[]",
    "{}",
    "[1, 2",
    "{a: 1",
    "&a x",
    "*a",
    "&b [1]",
    "*b",
    "!!python/object/apply:os.system ['true']",
    "!!int ''",
    "!!bool maybe",
    "!!float x",
    "!foo bar",
    "!!binary x",
    "!!set {a}",
    "!!omap [a: 1]",
    "2022-03-08",
    "2022-02-30",
    "0x1F",
    "0o17",
    "1_000",
    "|",
    ">-",
    "Xã Pờ Ê",
    "'unterminated",
    "<<: *a",
    "TN",
    "Tây Nguyên",
    "Kon Tum",
    "official",
    "is true",
    '">="',
    "[TN, DBSH]",
    "{value: 80, verified: true, source: src}",
    "{vi: a, en: b}",
    "\t",
    ": :",
    "- -",
    "\ufeff",
    "\x00",
    "\x85",
    "\u2028",
]


@st.composite
def yaml_ish(draw: st.DrawFn) -> str:
    """Text that looks like the project's YAML: keys, values, indents, anchors, tags, junk."""
    lines = []
    for _ in range(draw(st.integers(0, 25))):
        kind = draw(st.integers(0, 9))
        indent = " " * draw(st.sampled_from([0, 0, 2, 4, 6, 8, 1, 3]))
        if kind <= 5:
            key = draw(st.sampled_from(KEYS))
            dash = draw(st.sampled_from(["", "", "- "]))
            value = draw(st.sampled_from([*VALUES, ""]))
            lines.append(f"{indent}{dash}{key}: {value}".rstrip())
        elif kind == 6:
            lines.append(f"{indent}- {draw(st.sampled_from(VALUES))}")
        elif kind == 7:
            lines.append(
                draw(
                    st.sampled_from(
                        [
                            "---",
                            "...",
                            "# comment",
                            "",
                            "%YAML 1.1",
                            "%TAG ! tag:x,2000:",
                            "? [a, b]",
                            ": 1",
                        ]
                    )
                )
            )
        else:
            lines.append(indent + draw(st.text(max_size=20)))
    return "\n".join(lines)


SCALARS = [v for v in VALUES if "\n" not in v and v not in ("|", ">-", "- -", ": :")]


def _render(node: Any, indent: int) -> list[str]:
    """Block-style YAML for a tree of dicts, lists and raw scalar tokens."""
    pad = " " * indent
    lines: list[str] = []
    items = node.items() if isinstance(node, dict) else (("-", v) for v in node)
    for key, value in items:
        head = f"{pad}- " if key == "-" else f"{pad}{key}:"
        if isinstance(value, (dict, list)) and value:
            lines.append(head.rstrip())
            lines.extend(_render(value, indent + 2))
        else:
            token = value if isinstance(value, str) else ("{}" if isinstance(value, dict) else "[]")
            lines.append(f"{head} {token}".rstrip() if key != "-" else f"{head}{token}")
    return lines


TREES = st.recursive(
    st.sampled_from(SCALARS),
    lambda children: st.one_of(
        st.lists(children, max_size=4), st.dictionaries(st.sampled_from(KEYS), children, max_size=5)
    ),
    max_leaves=25,
)


@st.composite
def yaml_tree(draw: st.DrawFn) -> str:
    """Well-formed block YAML built from the project's keys, odd values at any depth."""
    top = draw(st.dictionaries(st.sampled_from(KEYS), TREES, max_size=6))
    kind = draw(
        st.sampled_from(
            ["commune", "criteria-set", "overlay", "measures", "regions", "communes", None]
        )
    )
    doc = {"kind": kind, **top} if kind else top
    return "\n".join(_render(doc, 0)) + "\n"


def _only_documented(call: Callable[[], Any]) -> Any:
    try:
        return call()
    except NtmRulesError:
        return None


@pytest.fixture(scope="module")
def scratch(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("hostile")


def _check_document_issues(doc: Any) -> None:
    for issue in doc.issues:
        assert issue.location.line >= 1 and issue.location.column >= 1, str(issue)
        assert issue.code and issue.code == issue.code.lower(), str(issue)


@BOUNDED
@given(text=st.one_of(yaml_ish(), yaml_tree(), st.text(max_size=300)))
def test_parse_yaml_never_raises(text: str) -> None:
    doc = parse_yaml(text, "fuzz.yaml")
    _check_document_issues(doc)
    if doc.fatal:
        assert doc.issues


def _encodings(text: str) -> st.SearchStrategy[bytes]:
    return st.sampled_from(
        [
            text.encode("utf-8"),
            b"\xef\xbb\xbf" + text.encode("utf-8"),
            text.encode("utf-16"),
            text.encode("utf-8", "surrogatepass"),
            unicodedata.normalize("NFD", text).encode("cp1258", "replace"),
        ]
    )


@BOUNDED
@given(
    data=st.one_of(
        st.binary(max_size=400), yaml_ish().flatmap(_encodings), yaml_tree().map(str.encode)
    )
)
def test_yaml_loaders_raise_only_documented_errors(data: bytes, scratch: Path) -> None:
    path = scratch / "fuzz.yaml"
    path.write_bytes(data)
    doc = read_yaml(path)
    _check_document_issues(doc)
    _only_documented(lambda: load_communes(path, MEASURES, REGIONS))
    report = validate_files([path], CATALOG)
    assert len(report.files) == 1
    if not doc.fatal:
        _only_documented(lambda: CATALOG.parse_document(doc, {}))


SET_HEAD = (
    "kind: criteria-set\nid: fuzz-set\ntitle: {vi: a, en: b}\ndecision: '1/QĐ-TTg'\n"
    "issued: '2022-03-08'\nperiod: {from: 2021, to: 2025}\ntier: standard\n"
    "sources:\n  src: {citation: c, kind: official}\n"
)
OVERLAY_HEAD = (
    "kind: overlay\nid: fuzz-overlay\nextends: ntm-2021-2025\ntitle: {vi: a, en: b}\n"
    "province: Kon Tum\ndecision: '1/QĐ-UBND'\nissued: '2022-07-28'\npartial: true\n"
    "sources:\n  src: {citation: c, kind: provincial}\n"
)


@BOUNDED
@given(
    head=st.sampled_from(
        [
            SET_HEAD,
            OVERLAY_HEAD,
            "kind: measures\n",
            "kind: regions\n",
            "kind: commune\nname: X\nyear: 2023\nregion: TN\n",
        ]
    ),
    body=st.one_of(yaml_ish(), yaml_tree().map(lambda t: t.split("\n", 1)[1])),
)
def test_criteria_loader_raises_only_documented_errors(head: str, body: str, scratch: Path) -> None:
    path = scratch / "fuzz-set.yaml"
    path.write_text(head + body, encoding="utf-8")
    report = validate_files([path], CATALOG)
    for issue in report.files[0].issues:
        assert issue.location.line >= 1, str(issue)
    doc = read_yaml(path)
    if not doc.fatal:
        _only_documented(lambda: Catalog(CATALOG.root).parse_document(doc, {}))


SHIPPED = {
    path.name: yaml.safe_load(path.read_text(encoding="utf-8"))
    for path in [
        *sorted(CATALOG.root.glob("*.yaml")),
        *sorted(CATALOG.root.glob("*/*.yaml")),
        ROOT / "examples" / "loses-certification.yaml",
        ROOT / "examples" / "kon-tum" / "po-e.yaml",
    ]
}
ODD = [
    None,
    "",
    "x",
    0,
    -1,
    1.5,
    True,
    [],
    {},
    ["x"],
    {"x": 1},
    "ntm-2021-2025",
    "TN",
    "2022-02-30",
    float("nan"),
]


def _paths(node: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    out = [prefix]
    if isinstance(node, dict):
        for key, value in node.items():
            out += _paths(value, (*prefix, key))
    elif isinstance(node, list):
        for i, value in enumerate(node):
            out += _paths(value, (*prefix, i))
    return out


@st.composite
def mutated_shipped(draw: st.DrawFn) -> tuple[str, str]:
    """A shipped criteria/measures/regions/commune file, parsed, changed structurally 1-3 times
    (a key dropped or renamed, a value replaced by an odd one, a list item dropped), dumped."""
    name = draw(st.sampled_from(sorted(SHIPPED)))
    rnd = draw(st.randoms(use_true_random=False))  # uniform over the (many) places to damage
    data = json.loads(json.dumps(SHIPPED[name], default=str))
    for _ in range(draw(st.integers(1, 3))):
        paths = [p for p in _paths(data) if p]
        keyed = [p for p in paths if isinstance(p[-1], str)]
        action = draw(st.sampled_from(["drop", "drop", "odd", "rename"]))
        path = rnd.choice(keyed if action != "odd" and keyed else paths)
        parent = data
        for part in path[:-1]:
            parent = parent[part]
        last = path[-1]
        if action == "drop":
            del parent[last]
        elif action == "odd":
            parent[last] = draw(st.sampled_from(ODD))
        else:
            parent[draw(st.sampled_from(KEYS))] = parent.pop(last)
    return name, yaml.safe_dump(data, allow_unicode=True, sort_keys=False)


@settings(BOUNDED, max_examples=30)
@given(case=mutated_shipped())
def test_structurally_damaged_shipped_files_raise_only_documented_errors(
    case: tuple[str, str], scratch: Path
) -> None:
    name, text = case
    path = scratch / f"damaged-{name}"
    path.write_text(text, encoding="utf-8")
    report = validate_files([path], CATALOG)
    for issue in report.files[0].issues:
        assert issue.location.line >= 1, str(issue)
    _only_documented(lambda: load_communes(path, MEASURES, REGIONS))
    doc = read_yaml(path)
    if not doc.fatal:
        _only_documented(lambda: Catalog(CATALOG.root).parse_document(doc, {}))


HEADERS = [
    "name",
    "year",
    "region",
    "province",
    "district",
    "code",
    "categories",
    "note",
    "recognized_set",
    "recognized_year",
    "recognized_tier",
    "data_status",
    "Tên xã",
    "Năm",
    "Tỉnh",
    "Vùng",
    PCT,
    BOOL,
    COUNT,
    INCOME,
    "satisfaction_pct",
    "registered_in_plan",
    MEASURES[PCT].label.vi,
    MEASURES[INCOME].label.en,
    "",
    "unknown",
    "Name ",
    "NAME",
]
CELLS = [
    "",
    " ",
    "Xã A",
    "2023",
    "2023.0",
    "23",
    "2023-01-01",
    "TN",
    "Tây Nguyên",
    "Kon Tum",
    "dbkk",
    "dbkk;atk",
    "85",
    "85%",
    "85,5",
    "1.234,5",
    "n/a",
    "-",
    "NaN",
    "inf",
    "-5",
    "120",
    "có",
    "không",
    "đạt",
    "x",
    "1",
    "0",
    "ntm-2016-2020",
    "advanced",
    "gold",
    '"',
    "a\nb",
    "=1+1",
    "\ufeff",
    "0.5",
    "1e3",
    "１２",
    "\x85",
]


@st.composite
def csv_text(draw: st.DrawFn) -> str:
    delimiter = draw(st.sampled_from([",", ";", ",", "\t"]))
    header = draw(st.lists(st.sampled_from(HEADERS), min_size=0, max_size=8))
    if draw(st.booleans()):
        header = ["name", "year", "region", *header]
    body = draw(st.lists(st.lists(st.sampled_from(CELLS), max_size=len(header) + 2), max_size=8))
    rows = [header, *body]

    def cell(text: str) -> str:
        if any(ch in text for ch in (delimiter, '"', "\n", "\r")) and draw(st.booleans()):
            return '"' + text.replace('"', '""') + '"'
        return text

    newline = draw(st.sampled_from(["\r\n", "\n", "\r"]))
    return newline.join(delimiter.join(cell(c) for c in row) for row in rows) + newline


@BOUNDED
@given(
    data=st.one_of(
        csv_text().map(lambda t: t.encode("utf-8")),
        csv_text().flatmap(_encodings),
        st.binary(max_size=300),
    )
)
def test_read_table_raises_only_documented_errors(data: bytes, scratch: Path) -> None:
    path = scratch / "fuzz.csv"
    path.write_bytes(data)
    try:
        table = read_table(path, MEASURES, REGIONS)
    except InvalidFileError as exc:
        assert exc.issues
        return
    for issue in table.issues:
        if issue.severity == "error":
            assert issue.location.line > 1 and issue.location.column >= 1, str(issue)
    if table.communes:
        data_json = run_batch(
            list(table.communes), [OLD, NEW], units_of(CATALOG), table.issues
        ).to_dict()
        assert_valid("batch.schema.json", json.loads(json.dumps(data_json)))


@settings(BOUNDED, max_examples=12)
@given(
    data=st.one_of(
        yaml_ish().map(lambda t: ("x.yaml", t.encode("utf-8"))),
        csv_text().map(lambda t: ("x.csv", t.encode("utf-8"))),
        st.binary(max_size=200).map(lambda b: ("x.yaml", b)),
    ),
    verb=st.sampled_from(["check", "validate", "batch"]),
)
def test_cli_exits_0_or_2(data: tuple[str, bytes], verb: str, scratch: Path) -> None:
    from typer.testing import CliRunner

    from ntm_rules.cli import app

    name, payload = data
    path = scratch / f"cli-{name}"
    path.write_bytes(payload)
    args = [str(path)] if verb == "check" else [verb, str(path)]
    result = CliRunner().invoke(app, args)
    assert result.exception is None or isinstance(result.exception, SystemExit), (
        f"{verb} {name}: {result.exception!r}\n{payload[:300]!r}"
    )
    assert result.exit_code in (0, 2), (result.exit_code, result.output)


def test_cli_never_prints_a_traceback(tmp_path: Path) -> None:
    """A fixed sample through the real process: garbage bytes, YAML-ish junk, CSV junk."""
    rnd = random.Random(6)
    samples = {
        "bytes.yaml": bytes(rnd.randrange(256) for _ in range(500)),
        "junk.yaml": b"kind: commune\nname: [\nyear: *a\n  - !!int ''\n\t- x\n",
        "junk.csv": b'name;year;region\n"A;2023;TN\n\xff\xfe;;\n',
        "tags.yaml": b"kind: commune\nname: X\nyear: 2023\nregion: TN\nmeasures:\n  !!int x: 1\n",
    }
    for name, payload in samples.items():
        (tmp_path / name).write_bytes(payload)
    for args in (
        ["validate", "bytes.yaml", "junk.yaml", "tags.yaml"],
        ["batch", "junk.csv", "junk.yaml"],
        ["tags.yaml"],
    ):
        run = _ntm_check(*args, cwd=tmp_path)
        out = run.stdout + run.stderr
        assert run.returncode in (0, 2), f"{args}: exit {run.returncode}\n{out}"
        assert "Traceback" not in out, out


# =================================================================================================
# Properties: valid communes produce schema-valid, deterministic, order-independent JSON
# =================================================================================================

NAME_CHARS = (
    "aăâbcdđeêghiklmnoôơpqrstuưvxyàảãáạằẳẵắặầẩẫấậèẻẽéẹềểễếệìỉĩíịòỏõóọồổỗốộờởỡớợ"
    "ùủũúụừửữứựỳỷỹýỵXĐ -'0123456789"
)
PROVINCES = sorted(REGIONS.provinces)
CATEGORY_KEYS = sorted(REGIONS.categories)
RECOGNITION = (
    "registered_in_plan",
    "no_outstanding_debt",
    "residents_satisfied",
    "satisfaction_pct",
    "security_safe",
)


def _raw_value(measure: Any) -> st.SearchStrategy[Any]:
    if measure.type == "boolean":
        return st.sampled_from([True, False, "có", "không", "đạt", "không đạt", "x", "-"])
    low = 0 if measure.min is None else measure.min
    high = 1000 if measure.max is None else min(measure.max, 1000)
    if measure.type == "count":
        return st.integers(int(low), min(int(high), 50))
    numbers = st.floats(low, high, allow_nan=False).map(lambda x: round(x, 2))
    texts = numbers.map(lambda x: str(x).replace(".", ","))
    if measure.type == "percent":
        return st.one_of(
            numbers,
            st.integers(int(low), int(high)),
            texts,
            st.integers(0, 100).map(lambda n: f"{n}%"),
        )
    return st.one_of(numbers, texts)


@st.composite
def commune_doc(draw: st.DrawFn) -> dict[str, Any]:
    """The mapping of a valid commune YAML file."""
    doc: dict[str, Any] = {
        "kind": "commune",
        "name": draw(st.text(NAME_CHARS, min_size=1, max_size=20).filter(str.strip)),
        "year": draw(st.integers(2016, 2026)),
    }
    where = draw(st.integers(0, 2))
    if where == 0:
        doc["region"] = draw(st.sampled_from(REGION_CODES))
    elif where == 1:
        doc["region"] = draw(st.sampled_from([r.name.vi for r in REGIONS.regions.values()]))
    doc["province"] = draw(st.sampled_from(PROVINCES))
    if draw(st.booleans()):
        doc["district"] = draw(st.text(NAME_CHARS, max_size=10))
    if draw(st.booleans()):
        doc["categories"] = draw(st.lists(st.sampled_from(CATEGORY_KEYS), unique=True, max_size=3))
    if draw(st.booleans()):
        doc["recognized"] = {
            "set": draw(st.sampled_from(["ntm-2016-2020", "ntm-2021-2025"])),
            "year": draw(st.integers(2016, 2025)),
            "tier": draw(st.sampled_from(["standard", "advanced"])),
        }
    keys = [k for k in MEASURES if k not in RECOGNITION]
    chosen = draw(st.lists(st.sampled_from(keys), unique=True, max_size=40))
    doc["measures"] = {k: draw(_raw_value(MEASURES[k])) for k in chosen}
    if draw(st.booleans()):
        rec = draw(st.lists(st.sampled_from(RECOGNITION), unique=True, max_size=5))
        doc["recognition"] = {k: draw(_raw_value(MEASURES[k])) for k in rec}
    return doc


def _dump(doc: dict[str, Any]) -> str:
    return yaml.safe_dump(doc, allow_unicode=True, sort_keys=False)


def _shuffled(doc: dict[str, Any], rnd: random.Random) -> dict[str, Any]:
    def mix(mapping: dict[str, Any]) -> dict[str, Any]:
        items = list(mapping.items())
        rnd.shuffle(items)
        return {k: mix(v) if isinstance(v, dict) else v for k, v in items}

    return mix(doc)


def _load(text: str, path: Path) -> Any:
    path.write_text(text, encoding="utf-8")
    [commune] = load_communes(path, MEASURES, REGIONS)
    return commune


@settings(BOUNDED, max_examples=15)
@given(doc=commune_doc(), seed=st.integers(0, 2**16))
def test_generated_communes_give_schema_valid_deterministic_reports(
    doc: dict[str, Any], seed: int, scratch: Path
) -> None:
    path = scratch / "generated.yaml"
    commune = _load(_dump(doc), path)
    reports = {
        "in force": assess(commune, [set_in_force(commune, CATALOG)], CATALOG).to_dict(),
        "old->new": assess(commune, [OLD, NEW], CATALOG).to_dict(),
        "tiers": assess_tiers(commune, CATALOG).to_dict(),
    }
    for label, report in reports.items():
        text = json.dumps(report, ensure_ascii=False, allow_nan=False)
        assert_valid("commune-report.schema.json", json.loads(text))
        assert report["commune"]["name"] == doc["name"], label
    again = _load(_dump(_shuffled(doc, random.Random(seed))), path)
    assert assess(again, [OLD, NEW], CATALOG).to_dict() == reports["old->new"]
    assert assess_tiers(again, CATALOG).to_dict() == reports["tiers"]
    assert assess(commune, [OLD, NEW], CATALOG).to_dict() == reports["old->new"]


@settings(BOUNDED, max_examples=10)
@given(docs=st.lists(commune_doc(), min_size=1, max_size=5), seed=st.integers(0, 2**16))
def test_generated_batches_match_schema_and_ignore_key_order(
    docs: list[dict[str, Any]], seed: int, scratch: Path
) -> None:
    units = units_of(CATALOG)
    path = scratch / "batch.yaml"
    rnd = random.Random(seed)
    communes = [_load(_dump(d), path) for d in docs]
    shuffled = [_load(_dump(_shuffled(d, rnd)), path) for d in docs]
    for sets in ([OLD, NEW], [NEW]):
        data = run_batch(communes, sets, units).to_dict()
        assert_valid("batch.schema.json", json.loads(json.dumps(data, allow_nan=False)))
        assert run_batch(shuffled, sets, units).to_dict() == data


# =================================================================================================
# Outputs: never over an input, never over a file without --force, atomic, no temporary files
# =================================================================================================


def _state(path: Path) -> tuple[str, int]:
    return hashlib.sha256(path.read_bytes()).hexdigest(), path.stat().st_ino


def _temp_files(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if ".tmp" in p.name)


@pytest.fixture
def batch_dir(tmp_path: Path) -> Path:
    table = tmp_path / "communes.csv"
    table.write_bytes((INVALID / "table-semicolon-decimal-comma.csv").read_bytes())
    return tmp_path


def test_outputs_never_overwrite_an_input(batch_dir: Path) -> None:
    table = batch_dir / "communes.csv"
    before = _state(table)
    for option in ("--html", "--xlsx", "--csv"):
        run = _ntm_check("batch", "communes.csv", option, "communes.csv", "--force", cwd=batch_dir)
        assert run.returncode == 2, run.stdout + run.stderr
        assert "input" in run.stderr and "Traceback" not in run.stderr, run.stderr
        assert _state(table) == before
    assert sorted(p.name for p in batch_dir.iterdir()) == ["communes.csv"]


def test_outputs_never_overwrite_a_file_inside_an_input_directory(tmp_path: Path) -> None:
    folder = tmp_path / "communes"
    folder.mkdir()
    for name in ("po-e.yaml", "hieu.yaml"):
        (folder / name).write_bytes((ROOT / "examples" / "kon-tum" / name).read_bytes())
    before = _state(folder / "po-e.yaml")
    run = _ntm_check("batch", str(folder), "--html", str(folder / "po-e.yaml"), "--force")
    assert _state(folder / "po-e.yaml") == before, (
        "`batch DIR --html DIR/commune.yaml --force` replaced an input commune file"
    )
    assert run.returncode == 2, run.stdout + run.stderr


def test_existing_outputs_need_force_and_are_replaced_atomically(batch_dir: Path) -> None:
    html, book = batch_dir / "report.html", batch_dir / "results.xlsx"
    html.write_text("old report", encoding="utf-8")
    book.write_bytes(b"old workbook")
    before = {html: _state(html), book: _state(book)}
    run = _ntm_check(
        "batch", "communes.csv", "--html", "report.html", "--xlsx", "results.xlsx", cwd=batch_dir
    )
    assert run.returncode == 2, run.stdout + run.stderr
    assert "--force" in run.stderr and "Traceback" not in run.stderr
    assert {p: _state(p) for p in before} == before
    run = _ntm_check(
        "batch",
        "communes.csv",
        "--html",
        "report.html",
        "--xlsx",
        "results.xlsx",
        "--force",
        cwd=batch_dir,
    )
    assert run.returncode == 0, run.stdout + run.stderr
    for path, (digest, inode) in before.items():
        new_digest, new_inode = _state(path)
        assert new_digest != digest
        assert new_inode != inode, f"{path.name} was rewritten in place, not replaced"
    assert html.read_text(encoding="utf-8").lstrip().lower().startswith("<!doctype html")
    import openpyxl

    openpyxl.load_workbook(book, read_only=True).close()
    assert _temp_files(batch_dir) == []


def test_a_refused_output_writes_nothing(batch_dir: Path) -> None:
    """exit 2 means nothing was written: a refused --xlsx must not leave a new --html behind."""
    (batch_dir / "results.xlsx").write_bytes(b"old workbook")
    run = _ntm_check(
        "batch", "communes.csv", "--html", "new.html", "--xlsx", "results.xlsx", cwd=batch_dir
    )
    assert run.returncode == 2, run.stdout + run.stderr
    assert sorted(p.name for p in batch_dir.iterdir()) == ["communes.csv", "results.xlsx"]


def test_a_failing_writer_leaves_no_temporary_file(
    batch_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from typer.testing import CliRunner

    from ntm_rules.report import sheets as export
    from ntm_rules.cli import app

    def broken(data: Any, path: Path, lang: str = "vi") -> None:
        Path(path).write_bytes(b"half a workbook")
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(export, "write_results_xlsx", broken)
    book = batch_dir / "results.xlsx"
    book.write_bytes(b"old workbook")
    result = CliRunner().invoke(
        app, ["batch", str(batch_dir / "communes.csv"), "--xlsx", str(book), "--force"]
    )
    assert result.exit_code == 2, (result.exception, result.output)
    assert book.read_bytes() == b"old workbook"
    assert _temp_files(batch_dir) == []


# =================================================================================================


if __name__ == "__main__":  # pragma: no cover - `python -m tests.test_hostile DIR`
    target = Path(sys.argv[1]) if len(sys.argv) > 1 else Path("xlsx-fixtures")
    for written in build_xlsx(target).values():
        print(written)
