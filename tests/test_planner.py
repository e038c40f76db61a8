"""What a provincial planner meets with a workbook: fractions warned about, rows left out named
at their cell with their commune, problems in Vietnamese."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from typer.testing import CliRunner

from ntm_rules.cli import app


def _run(*args: Any) -> Any:
    return CliRunner().invoke(app, [str(a) for a in args])


FRACTIONS = (
    "name,year,province,schools_standard_pct,health_insurance_pct,hygienic_water_pct,"
    "clean_water_pct\n"
    "A,2024,Kon Tum,0.8,0.92,0.95,0.5\n"
    "B,2024,Kon Tum,80,92,95,50\n"
    "C,2024,Kon Tum,80,0.9,95,50\n"
    "D,2024,Kon Tum,85,93,96,60\n"
    "E,2024,Kon Tum,85,93,96,60\n"
)


def test_shares_typed_as_fractions_are_warned_about_and_read_as_typed(tmp_path: Path) -> None:
    path = tmp_path / "frac.csv"
    path.write_text(FRACTIONS, encoding="utf-8")
    done = _run("batch", path, "--format", "json")
    assert done.exit_code == 0
    lines = [x for x in done.stderr.splitlines() if "fraction-percent" in x]
    # the row of fractions is warned about; C's lone 0,9 is not (some shares are small)
    assert len(lines) == 1
    assert lines[0].startswith(f"{path}:D2 (schools_standard_pct) [A]: cảnh báo[fraction-percent]")
    data = json.loads(done.stdout)
    assert data["communes"] == 5  # warnings do not drop a row


def test_rows_left_out_are_named_first(tmp_path: Path) -> None:
    path = tmp_path / "bad.csv"
    path.write_text(
        "name,year,province,income_per_capita\n"
        "Hà Mòn,2024,Kon Tum,38 tr\n"
        "Pờ Ê,2024,Kon Tum,40\n"
        "Hiếu,năm nay,Kon Tum,41\n",
        encoding="utf-8",
    )
    done = _run("batch", path)
    assert done.exit_code == 0
    first = done.stdout.splitlines()[0]
    assert first == "3 dòng đọc, 2 dòng lỗi bị bỏ qua: Hà Mòn (D2), Hiếu (B4)"
    en = _run("batch", path, "--lang", "en").stdout.splitlines()[0]
    assert en == "3 rows read, 2 rows with errors left out: Hà Mòn (D2), Hiếu (B4)"
    assert f"{path}:D2 (income_per_capita) [Hà Mòn]: lỗi[bad-number]" in done.stderr
    data = json.loads(_run("batch", path, "--format", "json").stdout)
    assert data["rows"] == {"read": 3, "skipped": 2}
    assert [e["commune"] for e in data["row_errors"]] == ["Hà Mòn", "Hiếu"]
    assert data["row_errors"][0]["text"]["vi"] == "'38 tr' không phải là số"


def test_explain_one_commune_of_a_province_file_and_one_indicator() -> None:
    table = "examples/province/communes.csv"
    by_name = _run("explain", table, "15", "--commune", "dak tang", "--format", "json")
    assert by_name.exit_code == 0, by_name.output
    data = json.loads(by_name.stdout)
    assert data["commune"]["name"] == "Đắk Tăng" and data["criterion"]["id"] == "15"
    row = data["commune"]["source"]["line"]
    by_row = json.loads(_run("explain", table, "15", "--row", row, "--format", "json").stdout)
    assert by_row["commune"]["name"] == "Đắk Tăng"
    one = json.loads(
        _run("explain", "examples/kon-tum/ngok-tem.yaml", "13.3", "--format", "json").stdout
    )
    assert one["indicator"] == "13.3"
    assert [i["id"] for i in one["criterion"]["indicators"]] == ["13.3"]
    many = _run("explain", table, "15")
    assert many.exit_code == 2 and "--commune" in many.stderr
    assert _run("explain", table, "15", "--commune", "Không Có").exit_code == 2
