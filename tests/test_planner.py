"""What a provincial planner meets with a workbook: fractions warned about, rows left out named
at their cell with their commune, problems in Vietnamese."""

from __future__ import annotations

import json
import re
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


def _fill_template(tmp_path: Path) -> tuple[Path, dict[str, str]]:
    """The Vietnamese workbook template filled as a planner would, with a few mistakes."""
    import openpyxl
    from openpyxl.utils import get_column_letter

    template = tmp_path / "thu-thap.xlsx"
    done = _run("template", "ntm-2016-2020", "ntm-2021-2025", "-f", "xlsx", "-o", template)
    assert done.exit_code == 0, done.output
    book = openpyxl.load_workbook(template)
    sheet = book["communes"]
    head = [c.value for c in sheet[1]]
    col = {name: get_column_letter(head.index(name) + 1) for name in head}
    income = "Thu nhập bình quân đầu người khu vực nông thôn"
    income = next(h for h in head if h.startswith(income))
    insurance = next(h for h in head if "bảo hiểm y tế" in h)
    water = next(h for h in head if "nước hợp vệ sinh" in h)
    schools = next(h for h in head if h.startswith("Tỷ lệ trường học") and "chuẩn quốc gia" in h)
    rows = [
        {"Tên xã": "Pờ Ê", "Tỉnh": "Kon Tum", "Năm": 2024, income: "44,8"},
        {"Tên xã": "Hà Mòn", "Tỉnh": "Kon Tum", "Năm": 2024, income: "44,8 tr"},  # a typo
        {"Tên xã": "Hiếu", "Tỉnh": "Kon Tum", "Năm": 2024, income: None},  # a blank
        {"Tên xã": "Đắk Ring", "Tỉnh": "Kon Tum", "Năm": 2024,  # shares typed as fractions
         insurance: 0.92, water: 0.95, schools: 0.8},
    ]  # fmt: skip
    for r, row in enumerate(rows, start=2):
        for name, value in row.items():
            sheet[f"{col[name]}{r}"] = value
    filled = tmp_path / "tinh.xlsx"
    book.save(filled)
    return filled, {"income": col[income], "insurance": col[insurance]}


def test_the_excel_loop_closes(tmp_path: Path) -> None:
    import openpyxl

    filled, col = _fill_template(tmp_path)
    marked = tmp_path / "tinh-danh-dau.xlsx"
    done = _run("batch", filled, "--annotate", marked)
    assert done.exit_code == 0, done.output
    assert (
        done.stdout.splitlines()[0]
        == f"4 dòng đọc, 1 dòng lỗi bị bỏ qua: Hà Mòn ({col['income']}3)"
    )
    assert f"{filled} [communes]:{col['income']}3 (" in done.stderr
    assert "[Hà Mòn]: lỗi[bad-number] '44,8 tr' không phải là số" in done.stderr
    assert "cảnh báo[fraction-percent]" in done.stderr and "[Đắk Ring]" in done.stderr
    data = json.loads(_run("batch", filled, "--format", "json").stdout)
    assert data["communes"] == 3 and data["rows"] == {"read": 4, "skipped": 1}
    pờ_ê = next(r for r in data["results"] if r["commune"] == "Pờ Ê")
    assert pờ_ê["sets"]["ntm-2016-2020"]["criteria"]["10"] == "pass"  # 44,8 ≥ 41 (TN 2020)
    book = openpyxl.load_workbook(marked)
    cell = book["communes"][f"{col['income']}3"]
    assert cell.comment is not None and "không phải là số" in cell.comment.text
    assert cell.fill.fgColor.rgb == "FFF4B4B4"
    row5 = [c for c in book["communes"][5] if c.comment is not None]
    assert len(row5) == 1 and "phân số" in row5[0].comment.text  # the fraction warning
    assert row5[0].fill.fgColor.rgb == "FFFFE08A"
    assert filled.read_bytes() != marked.read_bytes()  # the input itself is not changed
    refused = _run("batch", "examples/province/communes.csv", "--annotate", tmp_path / "x.xlsx")
    assert refused.exit_code == 2


# ------------------------------------------------------- problems a planner reads, in Vietnamese

DATA = Path(__file__).resolve().parent / "data"
ENGLISH = re.compile(
    r"\b(the|is|are|expected|found|must|cannot|allowed|should|write|remove|unknown|missing|"
    r"houses|not|one of|did you mean)\b"
)


def _english_left(line: str) -> list[str]:
    """English words in the message and hint of one problem line (quoted values, identifiers
    in backticks and the location are the reader's own text)."""
    text = line.split("] ", 1)[1] if "] " in line else ""
    text = re.sub(r"'[^']*'|`[^`]*`|\([^)]*\.(?:yaml|csv|xlsx)[^)]*\)", "", text)
    return ENGLISH.findall(text)


def test_commune_file_problems_are_all_in_vietnamese() -> None:
    files = sorted(DATA.glob("invalid/commune-*")) + sorted(DATA.glob("tabular/*"))
    files += [DATA / "golden-bad.yaml"]
    lines = []
    for path in files:
        out = _run("validate", str(path), "--lang", "vi").output
        lines += [ln for ln in out.splitlines() if "lỗi[" in ln or "cảnh báo[" in ln]
    assert len(lines) > 40
    left = {ln.strip(): _english_left(ln) for ln in lines if _english_left(ln)}
    assert not left, left
