"""Hostile inputs, round 2: each class ends in a located error or a documented reading, without
a traceback, without hanging, and without counting anything twice."""

from __future__ import annotations

import json
import os
import unicodedata
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from typer.testing import CliRunner

from ntm_rules import Catalog
from ntm_rules.cli import app
from ntm_rules.load.values import parse_value

ROOT = Path(__file__).resolve().parent.parent
PO_E = ROOT / "examples" / "kon-tum" / "po-e.yaml"
MEASURES = Catalog().measures


def _run(*args: Any) -> Any:
    return CliRunner().invoke(app, [str(a) for a in args])


def _po_e(tmp_path: Path, name: str, change: tuple[str, str] | None = None) -> Path:
    text = PO_E.read_text(encoding="utf-8")
    if change:
        assert change[0] in text
        text = text.replace(*change)
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


# --- special input files ---------------------------------------------------------------------


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs here")
@pytest.mark.parametrize("command", ["check", "batch", "validate"])
def test_a_fifo_input_is_refused_not_waited_on(tmp_path: Path, command: str) -> None:
    fifo = tmp_path / "communes.csv"
    os.mkfifo(fifo)
    done = _run(command, fifo)
    assert done.exit_code == 2
    assert "not-a-regular-file" in done.output and "FIFO" in done.output


def test_a_link_to_a_device_is_refused(tmp_path: Path) -> None:
    if not Path("/dev/zero").exists():
        pytest.skip("no /dev/zero")
    link = tmp_path / "commune.yaml"
    link.symlink_to("/dev/zero")
    done = _run("check", link)
    assert done.exit_code == 2 and "not-a-regular-file" in done.output


# --- duplicates ------------------------------------------------------------------------------


def test_copies_of_a_commune_are_counted_once(tmp_path: Path) -> None:
    folder = tmp_path / "d"
    folder.mkdir()
    for name in ("x.yaml", "x (copy).yaml", "x.yml"):
        _po_e(folder, name)
    done = _run("batch", folder, "--format", "json")
    assert done.exit_code == 0
    data = json.loads(done.stdout)
    assert data["communes"] == 1
    assert data["sets"]["ntm-2016-2020"]["certified_pct"] == 100.0  # not 3 of 3 counted
    assert done.stderr.count("duplicate-commune") == 2
    assert _run("check", folder).exit_code == 2  # check reads strictly


def test_the_same_name_in_nfd_or_with_invisible_characters_is_the_same_commune(
    tmp_path: Path,
) -> None:
    nfd = unicodedata.normalize("NFD", "Pờ Ê")
    _po_e(tmp_path, "a.yaml")
    _po_e(tmp_path, "b.yaml", ("name: Pờ Ê", f"name: {nfd}\u200b"))
    done = _run("batch", tmp_path, "--format", "json")
    data = json.loads(done.stdout)
    assert data["communes"] == 1 and "duplicate-commune" in done.stderr
    assert data["results"][0]["commune"] == "Pờ Ê"


# --- values ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("measure", "raw", "value", "code"),
    [
        ("income_per_capita", "2 6", None, "ambiguous-number"),
        ("income_per_capita", "1 234,5", None, "ambiguous-number"),
        ("income_per_capita", "38,5 tr", None, "bad-number"),
        ("schools_standard_pct", "85 %", 85, None),
        ("construction_plan_approved", "Đất", None, "wrong-type"),
        ("construction_plan_approved", "cố", None, "wrong-type"),
        ("construction_plan_approved", "Có", True, None),
        ("construction_plan_approved", "co", True, None),
        ("construction_plan_approved", "KHÔNG ĐẠT", False, None),
        ("construction_plan_approved", "chua dat", False, None),
        ("income_per_capita", 10**320, None, "out-of-range"),
    ],
)
def test_value_readings(measure: str, raw: object, value: object, code: str | None) -> None:
    found, problem = parse_value(MEASURES[measure], raw)
    assert found == value
    assert (problem.code if problem else None) == code


def test_a_308_digit_number_in_yaml_is_a_located_error(tmp_path: Path) -> None:
    path = _po_e(
        tmp_path, "big.yaml", ("income_per_capita: 44.8", "income_per_capita: 1" + "0" * 320)
    )
    done = _run("check", path)
    assert done.exit_code == 2 and "out-of-range" in done.output and "Traceback" not in done.output


# --- sets ------------------------------------------------------------------------------------


def test_a_file_cannot_take_a_shipped_set_id(tmp_path: Path) -> None:
    copy = tmp_path / "ntm-2021-2025.yaml"
    copy.write_text((ROOT / "criteria" / "ntm-2021-2025.yaml").read_text("utf-8"), "utf-8")
    done = _run("check", PO_E, "--set", copy)
    assert done.exit_code == 2 and "reserved-id" in done.output


LOOSE = """kind: overlay
id: loose
extends: ntm-2021-2025
title: {vi: "Tỉnh thử", en: "Test province"}
province: Kon Tum
decision: "1/QĐ-UBND"
issued: "2023-01-01"
partial: true
sources:
  t1: {citation: "Test decision", url: "https://example.org/qd", kind: provincial}
replace:
  "15.3":
    threshold:
      by_region:
        TN: {value: 99, verified: true, source: t1}
"""


def test_an_overlay_that_loosens_the_law_must_say_so(tmp_path: Path) -> None:
    path = tmp_path / "loose.yaml"
    path.write_text(LOOSE, "utf-8")
    done = _run("validate", path)
    assert done.exit_code == 2
    assert "overlay-loosens" in done.output and "26.5 → 99" in done.output
    path.write_text(LOOSE.replace("partial: true", 'partial: true\nloosens: "test"'), "utf-8")
    assert _run("validate", path).exit_code == 0
    text = _run("check", PO_E, "--set", path, "--lang", "en").stdout
    assert "The provincial set loose LOOSENS the national levels of 15.3 (test)." in text


def test_a_verified_overlay_value_needs_a_source_with_an_address(tmp_path: Path) -> None:
    path = tmp_path / "loose.yaml"
    text = LOOSE.replace(', url: "https://example.org/qd"', "").replace("value: 99", "value: 20")
    path.write_text(text, "utf-8")
    done = _run("validate", path)
    assert done.exit_code == 2 and "unlocatable-source" in done.output


# --- spreadsheets ------------------------------------------------------------------------------


def test_a_hidden_sheet_is_never_read_and_other_tables_are_named(tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    hidden = book.active
    hidden.title = "cũ"
    hidden.append(["name", "year", "province"])
    hidden.append(["Giả", 2024, "Kon Tum"])
    hidden.sheet_state = "veryHidden"
    data = book.create_sheet("Dữ liệu")
    data.append(["name", "year", "province", "income_per_capita"])
    data.append(["Thật", 2024, "Kon Tum", 40])
    other = book.create_sheet("Khác")
    other.append(["Tên xã", "Năm"])
    other.append(["X", 2024])
    book.active = 1
    path = tmp_path / "book.xlsx"
    book.save(path)
    done = _run("batch", path, "--format", "json")
    assert [r["commune"] for r in json.loads(done.stdout)["results"]] == ["Thật"]
    assert "sheets-not-read" in done.stderr and "'Khác'" in done.stderr


def test_a_literal_percent_sign_in_a_number_format_is_not_a_percentage(tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["name", "year", "province", "schools_standard_pct"])
    sheet.append(["A", 2024, "Kon Tum", 0.9])
    sheet["D2"].number_format = '0.0" %"'
    sheet.append(["B", 2024, "Kon Tum", 0.9])
    sheet["D3"].number_format = "0.0%"
    path = tmp_path / "pct.xlsx"
    book.save(path)
    from ntm_rules import read_communes

    communes = read_communes([path]).communes
    assert [c.measures["schools_standard_pct"] for c in communes] == [0.9, 90]


def test_a_region_contradicting_the_province_is_used_with_a_warning(tmp_path: Path) -> None:
    path = _po_e(tmp_path, "c.yaml", ("region: TN", "region: TDMNPB"))
    done = _run("check", path, "--format", "json")
    assert done.exit_code == 0
    assert "region-contradicts-province" in done.stderr and "Kon Tum thuộc vùng TN" in done.stderr
    ev = json.loads(done.stdout)["reports"][0]["evaluations"][0]
    assert ev["region_applied"] == "TDMNPB"


# --- bounds ------------------------------------------------------------------------------------


def test_a_header_of_a_hundred_thousand_columns_is_refused_at_once(tmp_path: Path) -> None:
    path = tmp_path / "wide.csv"
    head = ",".join(["name", "year", "province", *(f"zz{i}" for i in range(100_000))])
    path.write_text(head + "\nA,2024,Kon Tum\n", "utf-8")
    done = _run("batch", path)
    assert done.exit_code == 2 and "too-many-columns" in done.output


def test_header_problems_are_capped(tmp_path: Path) -> None:
    path = tmp_path / "wide.csv"
    head = ",".join(["name", "year", "province", *(f"zz{i}" for i in range(500))])
    path.write_text(head + "\nA,2024,Kon Tum\n", "utf-8")
    done = _run("batch", path)
    lines = done.output.strip().splitlines()
    assert done.exit_code == 2 and len(lines) == 51
    assert "còn 450 lỗi khác không liệt kê" in lines[-1]


def test_rows_beyond_the_limit_are_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NTM_RULES_MAX_ROWS", "3")
    path = tmp_path / "many.csv"
    rows = "".join(f"X{i},2024,Kon Tum\n" for i in range(5))
    path.write_text("name,year,province\n" + rows, "utf-8")
    done = _run("batch", path)
    assert done.exit_code == 2 and "too-many-rows" in done.output and "many.csv:A5" in done.output


def test_a_short_csv_row_is_an_error_not_missing_data(tmp_path: Path) -> None:
    path = tmp_path / "short.csv"
    path.write_text(
        "name,year,province,income_per_capita\nA,2024,Kon Tum,40\nB,2024\n", encoding="utf-8"
    )
    done = _run("batch", path, "--format", "json")
    assert done.exit_code == 0 and json.loads(done.stdout)["communes"] == 1
    assert "short.csv:C3 (province) [B]: lỗi[short-row]" in done.stderr
    assert _run("batch", path, "--strict").exit_code == 2


def test_an_xlsx_zip_bomb_is_refused_before_it_is_unpacked(tmp_path: Path) -> None:
    import zipfile

    base = tmp_path / "base.xlsx"
    book = openpyxl.Workbook()
    book.active.append(["name", "year"])
    book.save(base)
    bomb = tmp_path / "bomb.xlsx"
    with zipfile.ZipFile(base) as src, zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as out:
        for info in src.infolist():
            out.writestr(info, src.read(info.filename))
        out.writestr("xl/media/pad.bin", b"\0" * (210 * 1024 * 1024))
    assert bomb.stat().st_size < 2 * 1024 * 1024
    done = _run("batch", bomb)
    assert done.exit_code == 2 and "xlsx-too-large" in done.output


def test_one_discovery_rule_and_what_was_not_read_is_said(tmp_path: Path) -> None:
    (tmp_path / "sub").mkdir()
    _po_e(tmp_path, "A.YAML")
    (tmp_path / "sub" / "h.Yml").write_text(
        (ROOT / "examples" / "kon-tum" / "hieu.yaml").read_text("utf-8"), "utf-8"
    )
    (tmp_path / "notes.txt").write_text("hi", "utf-8")
    done = _run("batch", tmp_path, "--format", "json")
    assert json.loads(done.stdout)["communes"] == 2
    assert "notes.txt: ghi chú[not-read] không phải tệp số liệu xã (.txt)" in done.stderr
    assert _run("validate", tmp_path).exit_code == 0


def test_a_noncharacter_in_a_name_still_makes_a_valid_workbook(tmp_path: Path) -> None:
    path = _po_e(tmp_path, "odd.yaml", ("name: Pờ Ê", 'name: "Pờ\\uFFFEÊ"'))
    out = tmp_path / "out.xlsx"
    done = _run("batch", path, "--xlsx", out)
    assert done.exit_code == 0, done.output
    book = openpyxl.load_workbook(out)
    assert any("Pờ" in str(c.value) for row in book.worksheets[0].iter_rows() for c in row)


@pytest.mark.skipif(not hasattr(os, "getuid"), reason="POSIX resource limits")
def test_resource_cases_stay_within_a_memory_limit(tmp_path: Path) -> None:
    """The wide header and the over-long table, in a process limited to 2 GB of address space
    and 60 s of CPU: refused with their codes, not killed."""
    import resource
    import subprocess
    import sys

    wide = tmp_path / "wide.csv"
    wide.write_text(
        ",".join(["name", "year", *(f"zz{i}" for i in range(300_000))]) + "\nA,2024\n", "utf-8"
    )
    long = tmp_path / "long.csv"
    long.write_text("name,year,province\n" + "X,2024,Kon Tum\n" * 250_000, "utf-8")

    def limit() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (2 * 1024**3, 2 * 1024**3))
        resource.setrlimit(resource.RLIMIT_CPU, (60, 60))

    for path, code in ((wide, "too-many-columns"), (long, "too-many-rows")):
        done = subprocess.run(
            [sys.executable, "-m", "ntm_rules", "batch", str(path)],
            capture_output=True,
            text=True,
            preexec_fn=limit,
            timeout=120,
            check=False,
        )
        assert done.returncode == 2, done.stderr[-500:]
        assert code in done.stderr


@pytest.mark.parametrize("style", ["standard", "excel-vi"])
def test_formula_protection_holds_for_either_list_separator(tmp_path: Path, style: str) -> None:
    """A spreadsheet that splits on the other separator (',' or ';') must not find a formula
    after the split either."""
    import re

    evil = 'Xã A;=HYPERLINK("http://x";"y"), +cmd'
    path = _po_e(tmp_path, "a.yaml", ("name: Pờ Ê", f"name: '{evil}'"))
    out, long_out = tmp_path / "r.csv", tmp_path / "l.csv"
    done = _run("batch", path, "--csv", out, "--long", long_out, "--csv-style", style)
    assert done.exit_code == 0, done.output
    for written in (out, long_out):
        text = written.read_text(encoding="utf-8-sig")
        assert "'=HYPERLINK" in text and "'+cmd" in text
        assert not re.search(r'[;,]\s*"*[=+@]', text.replace("'=", "").replace("'+", ""))
