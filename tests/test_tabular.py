"""Spreadsheet input (load/table.py) and the data-collection workbook (report/template_xlsx.py).

A table row's commune is built by the one commune builder (load/communes.py:build_commune) through
the `_TableFields` adapter of load/table.py: identity problems are located at the cell of the
column concerned, as they always were.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import math
import zipfile
from pathlib import Path
from typing import Any

import openpyxl
import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from ntm_rules import Catalog, Commune, InvalidFileError, Location, load_communes, read_communes
from ntm_rules.load.catalog import default_catalog
from ntm_rules.load.cells import parse_column, read_cell
from ntm_rules.load.table import TableRead, read_table, read_text_value, sniff_delimiter
from ntm_rules.load.values import parse_value
from ntm_rules.report.template_xlsx import MEASURES_SHEET, SHEET, template_columns, write_template


@pytest.fixture(autouse=True)
def _english(monkeypatch: pytest.MonkeyPatch) -> None:
    """These tests read the English messages (the default language is Vietnamese)."""
    monkeypatch.setenv("NTM_RULES_LANG", "en")


DATA = Path(__file__).resolve().parent / "data" / "tabular"
ROOT = Path(__file__).resolve().parent.parent
SEMICOLON = DATA / "communes-semicolon.csv"

# the fixture's headers, by column, as the keys they name
SEMICOLON_KEYS = [
    "name",
    "province",
    "district",
    "region",
    "year",
    "categories",
    "commune_roads_paved_pct",
    "commune_roads_standard_met",
    "temporary_houses",
    "income_per_capita",
    "health_insurance_pct",
    "no_outstanding_debt",
    "satisfaction_pct",
]
RECOGNITION = {
    "no_outstanding_debt",
    "satisfaction_pct",
    "registered_in_plan",
    "residents_satisfied",
    "security_safe",
}


def read(catalog: Catalog, path: Path | str) -> TableRead:
    return read_table(path, catalog.vocab)


def row_source(path: Path, row: int, sheet: str = "", header: str = "name") -> Location:
    """Where a table row's commune was read: the row's name cell (column A in these files)."""
    return Location(str(path), row, 1, header, table=True, sheet=sheet)


def file_issues(catalog: Catalog, path: Path) -> list[Any]:
    with pytest.raises(InvalidFileError) as caught:
        read(catalog, path)
    return caught.value.issues


def yaml_commune(cells: dict[str, str]) -> dict[str, Any]:
    """The YAML commune of one CSV row: the same raw text, under the YAML schema."""
    out: dict[str, Any] = {"name": cells["name"], "year": int(cells["year"]), "measures": {}}
    for key in ("province", "district", "region", "code"):
        if cells.get(key):
            out[key] = cells[key]
    if cells.get("categories"):
        out["categories"] = [
            c.strip() for c in cells["categories"].replace(";", ",").split(",") if c.strip()
        ]
    for key, value in cells.items():
        if key in ("name", "year", "province", "district", "region", "code", "categories"):
            continue
        out.setdefault("recognition" if key in RECOGNITION else "measures", {})[key] = value
    return out


def assert_same(table: Commune, loaded: Commune) -> None:
    assert dict(table.measures) == dict(loaded.measures)
    assert {k: type(v) for k, v in table.measures.items()} == {
        k: type(v) for k, v in loaded.measures.items()
    }
    assert dict(table.recognition) == dict(loaded.recognition)
    assert (table.region, table.region_basis, table.year, table.categories) == (
        loaded.region,
        loaded.region_basis,
        loaded.year,
        loaded.categories,
    )
    assert (table.name, table.province, table.district) == (
        loaded.name,
        loaded.province,
        loaded.district,
    )


# --- CSV -----------------------------------------------------------------------------------


def test_semicolon_csv_with_decimal_commas_and_vietnamese_headers(catalog: Catalog) -> None:
    result = read(catalog, SEMICOLON)
    assert [c.name for c in result.communes] == ["Pờ Ê", "Xã Hiếu", "Xã Đạ Tông"]
    assert result.rows == 4  # the empty rows are not rows
    po_e, hieu, da_tong = result.communes
    assert dict(po_e.measures) == {
        "commune_roads_paved_pct": 41.5,
        "commune_roads_standard_met": True,
        "temporary_houses": 3,
        "income_per_capita": 38.2,
        "health_insurance_pct": 85,
    }
    assert dict(po_e.recognition) == {"no_outstanding_debt": True, "satisfaction_pct": 90}
    assert (po_e.region, po_e.region_basis, po_e.categories) == (
        "TN",
        "province",
        ("dbkk", "poor_district"),
    )
    assert hieu.region == "TN" and hieu.region_basis == "file"  # "Tây Nguyên" read as TN
    assert hieu.recognition == {"no_outstanding_debt": False}  # "-": no data
    assert da_tong.year == 2023 and da_tong.categories == ("dbkk",)
    assert "temporary_houses" not in da_tong.measures  # empty cell: no data
    assert po_e.file == str(SEMICOLON) and da_tong.file == str(SEMICOLON)
    assert [(c.source.line, c.source.table) for c in result.communes if c.source] == [
        (2, True),
        (3, True),
        (6, True),
    ]


def test_bad_row_is_reported_and_skipped(catalog: Catalog) -> None:
    result = read(catalog, SEMICOLON)
    assert "Xã Lỗi" not in [c.name for c in result.communes]
    assert len(result.issues) == 1
    issue = result.issues[0]
    assert issue.code == "out-of-range"
    assert (issue.location.line, issue.location.column) == (4, 7)
    assert issue.location.path.startswith("Tỷ lệ km đường xã")
    assert issue.location.file == str(SEMICOLON)
    assert "0..100" in issue.message


def test_row_commune_source_is_its_row(catalog: Catalog, tmp_path: Path) -> None:
    """A table row's commune is located at its name cell: Location(file, row, column of the
    name, its header, table=True, sheet)."""
    assert [c.source for c in read(catalog, SEMICOLON).communes] == [
        row_source(SEMICOLON, 2, header="Tên xã"),
        row_source(SEMICOLON, 3, header="Tên xã"),
        row_source(SEMICOLON, 6, header="Tên xã"),
    ]
    assert read(catalog, SEMICOLON).communes[0].source.cell == "A2"  # type: ignore[union-attr]
    sep = tmp_path / "sep.csv"
    sep.write_text("sep=;\nname;year;region\nA;2024;TN\n", encoding="utf-8")
    assert [c.source for c in read(catalog, sep).communes] == [row_source(sep, 2)]
    book = _workbook(tmp_path)
    by_name = {c.name: c for c in read(catalog, book).communes}
    assert by_name["Numbers"].source == row_source(book, 2, "communes")
    assert by_name["Percent"].source == row_source(book, 8, "communes")


def test_bad_row_location_reads_as_its_cell(catalog: Catalog) -> None:
    (issue,) = read(catalog, SEMICOLON).issues
    with SEMICOLON.open(encoding="utf-8", newline="") as handle:
        header = next(csv.reader(handle, delimiter=";"))[6]  # column G
    assert header.startswith("Tỷ lệ km đường xã")
    assert issue.location == Location(str(SEMICOLON), 4, 7, header, table=True)
    assert issue.location.cell == "G4"
    assert str(issue.location) == f"{SEMICOLON}:G4 ({header})"


def test_read_communes_strict_and_lenient(catalog: Catalog) -> None:
    """load_communes and read_communes(strict=True) refuse a table with a bad row;
    strict=False leaves the row out and returns its issue."""
    with pytest.raises(InvalidFileError) as caught:
        load_communes(SEMICOLON, catalog)
    assert [(i.code, i.location.line, i.location.column) for i in caught.value.issues] == [
        ("out-of-range", 4, 7)
    ]
    with pytest.raises(InvalidFileError):
        read_communes(SEMICOLON, catalog)
    inputs = read_communes(SEMICOLON, catalog, strict=False)
    assert [c.name for c in inputs.communes] == ["Pờ Ê", "Xã Hiếu", "Xã Đạ Tông"]
    assert [(i.code, i.location.cell) for i in inputs.issues] == [("out-of-range", "G4")]
    assert inputs.errors == inputs.issues and inputs.warnings == ()
    assert (inputs.files, inputs.rows) == ((str(SEMICOLON),), 4)


def test_csv_row_equals_the_same_commune_in_yaml(catalog: Catalog, tmp_path: Path) -> None:
    table = read(catalog, SEMICOLON)
    with SEMICOLON.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle, delimiter=";"))[1:]
    good = [
        dict(zip(SEMICOLON_KEYS, row, strict=False))
        for row in rows
        if row and row[0] and row[0] != "Xã Lỗi"
    ]
    doc = tmp_path / "same.yaml"
    doc.write_text(
        yaml.safe_dump({"communes": [yaml_commune(c) for c in good]}, allow_unicode=True),
        encoding="utf-8",
    )
    loaded = load_communes(doc, catalog)
    assert len(loaded) == len(table.communes) == 3
    for from_table, from_yaml in zip(table.communes, loaded, strict=True):
        assert_same(from_table, from_yaml)


def test_example_communes_round_trip_through_csv(catalog: Catalog, tmp_path: Path) -> None:
    """Every shipped example written as a `;` CSV with decimal commas reads back the same."""
    paths = sorted((ROOT / "examples" / "kon-tum").glob("*.yaml"))
    communes = [c for p in paths for c in load_communes(p, catalog)]
    keys = sorted({k for c in communes for k in (*c.measures, *c.recognition)})
    head = ["Tên xã", "Tỉnh", "Huyện", "Vùng", "Năm", "Nhóm", *keys]

    def cell(value: Any) -> str:
        if value is None:
            return ""
        if isinstance(value, bool):
            return "có" if value else "không"
        return str(value).replace(".", ",")

    out = io.StringIO()
    writer = csv.writer(out, delimiter=";")
    writer.writerow(head)
    for c in communes:
        values = {**c.measures, **c.recognition}
        writer.writerow(
            [
                c.name,
                c.province,
                c.district,
                c.region,
                c.year,
                ", ".join(c.categories),
                *[cell(values.get(k)) for k in keys],
            ]
        )
    path = tmp_path / "examples.csv"
    path.write_text(out.getvalue(), encoding="utf-8-sig")  # with a BOM, as Excel writes
    result = read(catalog, path)
    assert result.issues == ()
    assert len(result.communes) == len(communes) > 5
    for from_table, from_yaml in zip(result.communes, communes, strict=True):
        assert_same(from_table, from_yaml)


def test_unknown_header_is_a_file_error_with_position_and_hint(catalog: Catalog) -> None:
    issues = file_issues(catalog, DATA / "unknown-header.csv")
    assert [i.code for i in issues] == ["unknown-column"]
    where = issues[0].location
    assert (where.line, where.column, where.path) == (1, 4, "comune_roads_paved_pct")
    assert "did you mean 'commune_roads_paved_pct'" in issues[0].hint


def test_header_matching_ignores_case_diacritics_and_spacing(
    catalog: Catalog, tmp_path: Path
) -> None:
    path = tmp_path / "loose.csv"
    path.write_text(
        "TEN XA , nam,vung,  ty le nguoi dan tham gia bao hiem y te ,"
        "Share of households using hygienic water,Commune-Roads-Paved-Pct\n"
        'Xã A,2024,tn,90,"80,5",70\n',
        encoding="utf-8",
    )
    result = read(catalog, path)
    assert result.issues == ()
    (commune,) = result.communes
    assert dict(commune.measures) == {
        "health_insurance_pct": 90,
        "hygienic_water_pct": 80.5,
        "commune_roads_paved_pct": 70,
    }


def test_duplicate_and_missing_columns(catalog: Catalog, tmp_path: Path) -> None:
    path = tmp_path / "dup.csv"
    path.write_text(
        "name,region,health_insurance_pct,Tỷ lệ người dân tham gia bảo hiểm y tế\nA,TN,1,2\n",
        encoding="utf-8",
    )
    issues = file_issues(catalog, path)
    assert [(i.code, i.location.column) for i in issues] == [
        ("duplicate-column", 4),
        ("missing-column", 1),
    ]
    assert "'year'" in issues[1].message


def test_data_under_a_blank_header_is_an_error(catalog: Catalog, tmp_path: Path) -> None:
    path = tmp_path / "blank.csv"
    path.write_text("name,year,,region\nA,2024,oops,TN\n", encoding="utf-8")
    issues = file_issues(catalog, path)
    assert [(i.code, i.location.line, i.location.column) for i in issues] == [
        ("unnamed-column", 1, 3)
    ]


def test_row_problems_are_all_reported_and_other_rows_kept(
    catalog: Catalog, tmp_path: Path
) -> None:
    path = tmp_path / "rows.csv"
    path.write_text(
        "name,year,region,categories,health_insurance_pct,postal_point,temporary_houses\n"
        "Good,2024,TN,,90,có,2\n"
        "Bad,24,XYZ,dbk,abc,maybe,2.5\n"
        ",2024,TN,,,,\n"
        'Mixed,2024,TN,,"1.234,5",x,3\n'
        "Province only,2024,,,,,\n",
        encoding="utf-8",
    )
    result = read(catalog, path)
    assert [c.name for c in result.communes] == ["Good"]
    found = [(i.location.line, i.location.column, i.code) for i in result.issues]
    assert (3, 2, "bad-year") in found
    assert (3, 3, "bad-region") in found
    assert (3, 4, "unknown-category") in found
    assert (3, 5, "bad-number") in found
    assert (3, 6, "wrong-type") in found
    assert (3, 7, "wrong-type") in found
    assert (4, 1, "missing-value") in found
    assert (5, 5, "ambiguous-number") in found
    assert (6, 3, "missing-region") in found
    region = next(i for i in result.issues if i.code == "bad-region")
    assert region.location.path == "region" and "TN" in region.hint


def test_comma_csv_with_quoted_decimal_commas(catalog: Catalog, tmp_path: Path) -> None:
    path = tmp_path / "comma.csv"
    path.write_text(
        'name,year,region,health_insurance_pct,income_per_capita\nA,2024,TN,"41,5",38.2\n',
        encoding="utf-8",
    )
    (commune,) = read(catalog, path).communes
    assert dict(commune.measures) == {"health_insurance_pct": 41.5, "income_per_capita": 38.2}


def test_delimiter_sniffing_and_excel_sep_line(catalog: Catalog, tmp_path: Path) -> None:
    index = {"name": "name", "year": "year", "so nha tam  nha dot nat": "temporary_houses"}
    assert sniff_delimiter("name;year;Số nhà tạm, nhà dột nát\n", index) == ";"
    assert sniff_delimiter('name,year,"a;b"\n', index) == ","
    path = tmp_path / "sep.csv"
    path.write_text("sep=;\nname;year;region\nA;2024;TN\n", encoding="utf-8")
    result = read(catalog, path)
    assert [(c.file, c.source and c.source.line) for c in result.communes] == [(str(path), 2)]


def test_recognized_columns(catalog: Catalog, tmp_path: Path) -> None:
    path = tmp_path / "rec.csv"
    path.write_text(
        "name,year,region,recognized_set,recognized_year,recognized_tier\n"
        "A,2024,TN,ntm-2016-2020,2019,\n"
        "B,2024,TN,,2019,\n"
        "C,2024,TN,ntm-2016-2020,2019,gold\n",
        encoding="utf-8",
    )
    result = read(catalog, path)
    (a,) = result.communes
    assert a.recognized is not None and a.recognized.to_dict() == {
        "set": "ntm-2016-2020",
        "year": 2019,
        "tier": "standard",
    }
    assert [(i.location.line, i.code) for i in result.issues] == [
        (3, "missing-value"),
        (4, "bad-tier"),
    ]


def test_recorded_recognition_is_checked_at_its_cells(catalog: Catalog, tmp_path: Path) -> None:
    """The set must be known, the tier must be the set's, the year within the set's period
    (+2 years of grace); tier words are read; each problem sits in its own column."""
    path = tmp_path / "rec-checks.csv"
    path.write_text(
        "name,year,region,recognized_set,recognized_year,recognized_tier\n"
        "Unknown set,2024,TN,ntm-2016-2021,2019,\n"
        "Too late,2024,TN,ntm-2016-2020,2023,\n"
        "Grace,2024,TN,ntm-2016-2020,2022,\n"
        "Advanced,2024,TN,ntm-advanced-2021-2025,2023,nâng cao\n"
        "Standard word,2024,TN,ntm-2021-2025,2022,chuẩn\n"
        "Contradicts,2024,TN,ntm-2021-2025,2023,kiểu mẫu\n"
        "Too early,2024,TN,ntm-2021-2025,2020,\n",
        encoding="utf-8",
    )
    result = read(catalog, path)
    assert [(i.location.line, i.location.column, i.code) for i in result.issues] == [
        (2, 4, "unknown-set"),
        (3, 5, "bad-year"),
        (7, 6, "bad-tier"),
        (8, 5, "bad-year"),
    ]
    assert result.issues[0].hint == "did you mean 'ntm-2016-2020'?"
    assert {c.name: c.recognized.to_dict() for c in result.communes if c.recognized} == {
        "Grace": {"set": "ntm-2016-2020", "year": 2022, "tier": "standard"},
        "Advanced": {"set": "ntm-advanced-2021-2025", "year": 2023, "tier": "advanced"},
        "Standard word": {"set": "ntm-2021-2025", "year": 2022, "tier": "standard"},
    }


def test_utf16_csv_is_rejected_with_a_located_issue(catalog: Catalog) -> None:
    issues = file_issues(catalog, DATA / "utf16.csv")
    assert [(i.code, i.location.line, i.location.column) for i in issues] == [
        ("bad-encoding", 1, 1)
    ]
    assert "UTF-8" in issues[0].hint


def test_invalid_utf8_is_located(catalog: Catalog, tmp_path: Path) -> None:
    path = tmp_path / "cp1258.csv"
    path.write_bytes(b"name,year,region\nX\xe3 A,2024,TN\n")
    issues = file_issues(catalog, path)
    assert [(i.code, i.location.line) for i in issues] == [("bad-encoding", 2)]


@pytest.mark.parametrize("name", ["data.xls", "data.xlsm", "data.ods", "data.txt"])
def test_other_formats_are_refused(catalog: Catalog, tmp_path: Path, name: str) -> None:
    path = tmp_path / name
    path.write_bytes(b"x")
    issues = file_issues(catalog, path)
    assert [i.code for i in issues] == ["unsupported-format"]


def test_header_only_and_empty_files(catalog: Catalog, tmp_path: Path) -> None:
    path = tmp_path / "head.csv"
    path.write_text("name,year,region\n\n", encoding="utf-8")
    result = read(catalog, path)
    assert result.communes == () and result.rows == 0
    assert [(i.code, i.severity) for i in result.issues] == [("no-rows", "warning")]
    empty = tmp_path / "empty.csv"
    empty.write_text("\n\n", encoding="utf-8")
    assert [i.code for i in file_issues(catalog, empty)] == ["empty-table"]


# the fast path for plain decimals must read exactly what parse_value reads
_TEXTS = st.one_of(
    st.from_regex(r"\A-?[0-9]{1,4}([.,][0-9]{1,3})?\Z"),
    st.from_regex(r"\A ?[0-9]{1,3}[.,]?[0-9]{0,2}%? ?\Z"),
    st.sampled_from(["", "-", "n/a", "1.234,5", "0", "-0", "007", "1e3", "٣", "inf"]),
)


@settings(derandomize=True, database=None)
@given(text=_TEXTS)
def test_fast_path_reads_as_parse_value(text: str) -> None:
    measures = default_catalog().measures
    for key in (
        "health_insurance_pct",
        "temporary_houses",
        "income_per_capita",
        "public_green_space_m2_per_person",
        "postal_point",
    ):
        measure = measures[key]
        fast, problem = read_text_value(measure, text)
        slow, expected = parse_value(measure, text)
        assert (fast, type(fast)) == (slow, type(slow))
        assert (problem is None) == (expected is None)


# whole text columns (a CSV's) read as each cell alone would be: the few-texts path (cells told
# apart by length), the distinct-texts path and the plain-decimals path
_CELLS = st.sampled_from(
    ["", "có", "không", "Có", " có", "đạt", "x", "n/a", "1", "0", "12", "85%", "a\nb", "có\n"]
)


@settings(derandomize=True, database=None, max_examples=300)
@given(
    head=st.lists(_CELLS, max_size=4, unique=True),
    cells=st.lists(_CELLS, min_size=0, max_size=90),
)
def test_text_columns_read_as_each_cell_alone(head: list[str], cells: list[str]) -> None:
    measures = default_catalog().measures
    column = [*head, *cells]
    for key in ("postal_point", "health_insurance_pct", "temporary_houses"):
        measure = measures[key]
        parsed = parse_column(measure, tuple(column), text=True)
        for i, cell in enumerate(column):
            value, problem = read_cell(measure, cell)
            got = parsed.values[i]
            assert math.isnan(got) if value is None else got == float(value), (key, cell)
            assert (parsed.problems.get(i) is None) == (problem is None), (key, cell)
            if problem is not None:
                assert parsed.problems[i].message == problem.message


# --- XLSX ----------------------------------------------------------------------------------


def _set_cached_value(path: Path, part: str, cell: str, value: str) -> None:
    """Give a formula cell the cached value a spreadsheet program would have saved."""
    with zipfile.ZipFile(path) as archive:
        parts = {name: archive.read(name) for name in archive.namelist()}
    sheet = parts[part].decode()
    start = sheet.index(f'<c r="{cell}"')
    end = sheet.index("</c>", start)
    parts[part] = (
        sheet[:start] + sheet[start:end].replace("<v />", f"<v>{value}</v>") + sheet[end:]
    ).encode()
    with zipfile.ZipFile(path, "w") as archive:
        for name, data in parts.items():
            archive.writestr(name, data)


def _workbook(tmp_path: Path) -> Path:
    book = openpyxl.Workbook()
    other = book.active
    assert other is not None
    other.title = "notes"
    other["A1"] = "this sheet is not read"
    ws = book.create_sheet("communes")
    ws.append(
        [
            "name",
            "year",
            "region",
            "health_insurance_pct",
            "postal_point",
            "temporary_houses",
            "income_per_capita",
            "Tỉnh",
        ]
    )
    ws.append(["Numbers", 2024, "TN", 85, True, 3, 38.2, "Kon Tum"])  # row 2
    ws.append(["Text", "2024", "Tây Nguyên", "41,5", "có", "3", "38,2", ""])  # row 3
    ws.append(["Formula", 2024, "TN", "=40+45", False, 0, 12, ""])  # row 4
    ws.append(["Cached", 2024, "TN", "=40+50", False, 0, 12, ""])  # row 5
    ws.append(["Merged", 2024, "TN", 70, True, 1, 20, ""])  # row 6
    ws.append(["Merged too", 2024, "TN", None, True, 1, 20, ""])  # row 7
    ws.merge_cells("D6:D7")
    ws.append(["Percent", 2024, "TN", 0.855, None, None, None, ""])  # row 8
    ws["D8"].number_format = "0.0%"
    ws.append(["Date year", dt.datetime(2024, 1, 1), "TN", 1, None, None, None, ""])  # row 9
    ws.append(["Error", 2024, "TN", "#DIV/0!", None, None, None, ""])  # row 10
    ws.append([None] * 8)  # row 11
    ws.append(["Boolean number", 2024, "TN", True, 1, 2.0, None, ""])  # row 12
    path = tmp_path / "communes.xlsx"
    book.save(path)
    _set_cached_value(path, "xl/worksheets/sheet2.xml", "D5", "90")
    return path


def test_xlsx_values_and_problems(catalog: Catalog, tmp_path: Path) -> None:
    path = _workbook(tmp_path)
    result = read(catalog, path)
    by_name = {c.name: c for c in result.communes}
    assert set(by_name) == {"Numbers", "Text", "Cached", "Merged", "Percent"}
    numbers, text = by_name["Numbers"], by_name["Text"]
    assert dict(numbers.measures) == {
        "health_insurance_pct": 85,
        "postal_point": True,
        "temporary_houses": 3,
        "income_per_capita": 38.2,
    }
    assert numbers.province == "Kon Tum"
    assert dict(text.measures) == {
        "health_insurance_pct": 41.5,
        "postal_point": True,
        "temporary_houses": 3,
        "income_per_capita": 38.2,
    }
    assert by_name["Cached"].measures["health_insurance_pct"] == 90
    assert by_name["Merged"].measures["health_insurance_pct"] == 70
    assert by_name["Percent"].measures["health_insurance_pct"] == 85.5  # shown as 85.5%
    found = {(i.location.line, i.location.column, i.code) for i in result.issues}
    assert found == {
        (4, 4, "formula-without-value"),
        (7, 4, "merged-cell"),
        (9, 2, "wrong-type"),
        (10, 4, "cell-error"),
        (12, 4, "wrong-type"),
    }
    formula = next(i for i in result.issues if i.code == "formula-without-value")
    assert formula.location.path == "health_insurance_pct"
    assert "D6:D7" in next(i for i in result.issues if i.code == "merged-cell").message
    assert "date" in next(i for i in result.issues if i.location.line == 9).message
    assert result.rows == 10  # rows 2-10 and 12
    numbers_at = by_name["Numbers"].source
    assert numbers_at is not None
    assert (numbers_at.file, numbers_at.line, numbers_at.sheet) == (str(path), 2, "communes")
    assert formula.location.sheet == "communes" and formula.location.cell == "D4"


def test_xlsx_equals_csv(catalog: Catalog, tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    ws = book.active
    assert ws is not None
    with SEMICOLON.open(encoding="utf-8", newline="") as handle:
        for row in csv.reader(handle, delimiter=";"):
            ws.append([v or None for v in row])
    path = tmp_path / "same.xlsx"
    book.save(path)
    from_xlsx, from_csv = read(catalog, path), read(catalog, SEMICOLON)
    assert [(i.code, i.location.line, i.location.column) for i in from_xlsx.issues] == [
        (i.code, i.location.line, i.location.column) for i in from_csv.issues
    ]
    for a, b in zip(from_xlsx.communes, from_csv.communes, strict=True):
        assert_same(a, b)


def test_broken_xlsx(catalog: Catalog, tmp_path: Path) -> None:
    path = tmp_path / "broken.xlsx"
    path.write_bytes(b"PK not really a zip")
    assert [i.code for i in file_issues(catalog, path)] == ["bad-xlsx"]


# --- template ------------------------------------------------------------------------------


def test_template_round_trip(catalog: Catalog, tmp_path: Path) -> None:
    criteria_set = catalog.load("ntm-2021-2025")
    path = write_template(criteria_set, catalog.vocab, tmp_path / "blank.xlsx", "en")
    blank = read(catalog, path)
    assert blank.communes == () and blank.rows == 0
    book = openpyxl.load_workbook(path)
    ws = book[SHEET]
    keys = [c.value for c in ws[1]]
    assert keys[:6] == ["name", "code", "province", "district", "region", "year"]
    column = {key: i + 1 for i, key in enumerate(keys)}
    values: dict[str, str | int | float | bool] = {
        "name": "Măng Bút",
        "code": "23305",
        "province": "Kon Tum",
        "region": "TN",
        "year": 2024,
        "categories": "dbkk",
        "health_insurance_pct": 91.5,
        "postal_point": "có",
        "construction_plan_approved": True,
        "income_per_capita": 41,
        "no_outstanding_debt": "không",
    }
    for key, value in values.items():
        ws.cell(row=2, column=column[key], value=value)
    ws.cell(row=3, column=column["name"], value="Second")
    ws.cell(row=3, column=column["year"], value=2024)
    ws.cell(row=3, column=column["province"], value="Kon Tum")
    book.save(path)
    result = read(catalog, path)
    assert result.issues == ()
    first, second = result.communes
    assert (first.name, first.code, first.year, first.region, first.categories) == (
        "Măng Bút",
        "23305",
        2024,
        "TN",
        ("dbkk",),
    )
    assert dict(first.measures) == {
        "health_insurance_pct": 91.5,
        "postal_point": True,
        "construction_plan_approved": True,
        "income_per_capita": 41,
    }
    assert dict(first.recognition) == {"no_outstanding_debt": False}
    assert second.region == "TN" and second.region_basis == "province"


def test_template_layout(catalog: Catalog, tmp_path: Path) -> None:
    criteria_set = catalog.load("ntm-2021-2025")
    path = write_template(criteria_set, catalog.vocab, tmp_path / "en.xlsx", "en", rows=50)
    book = openpyxl.load_workbook(path)
    ws = book[SHEET]
    assert book.sheetnames[0] == SHEET and MEASURES_SHEET in book.sheetnames
    assert ws.freeze_panes == "B2"
    keys = [c.value for c in ws[1]]
    columns = template_columns(criteria_set, catalog.measures)
    assert keys == [c.key for c in columns]
    used = {m for ind in criteria_set.indicators for m in ind.measures}
    assert used <= set(keys)
    assert {"no_outstanding_debt", "residents_satisfied", "security_safe"} <= set(keys)
    assert ws.cell(row=1, column=keys.index("health_insurance_pct") + 1).comment is not None
    rules = {}
    for dv in ws.data_validations.dataValidation:
        for ref in str(dv.sqref).split():
            rules[ref.split(":")[0].rstrip("0123456789")] = dv
    letter = {k: openpyxl.utils.get_column_letter(i + 1) for i, k in enumerate(keys)}
    pct = rules[letter["health_insurance_pct"]]
    assert (pct.type, pct.operator, pct.formula1, pct.formula2) == (
        "decimal",
        "between",
        "0",
        "100",
    )
    flag = rules[letter["postal_point"]]
    assert (flag.type, flag.formula1, flag.errorStyle) == ("list", '"có,không"', "warning")
    assert "TRUE/FALSE" in (flag.prompt or "")
    count = rules[letter["temporary_houses"]]
    assert count.type == "whole" and count.formula1 == "0"
    region = rules[letter["region"]]
    assert region.type == "list" and "DBSCL" in (region.formula1 or "")
    assert str(pct.sqref) == f"{letter['health_insurance_pct']}2:{letter['health_insurance_pct']}51"
    sheet = book[MEASURES_SHEET]
    rows = list(sheet.iter_rows(min_row=2, values_only=True))
    listed = {row[1]: row for row in rows}
    assert set(listed) == set(keys)
    pct_row = listed["health_insurance_pct"]
    assert pct_row[2] == catalog.measures["health_insurance_pct"].label.en
    assert pct_row[3] == catalog.measures["health_insurance_pct"].label.vi
    assert (pct_row[4], pct_row[6]) == ("percent", "0..100")


def test_xlsx_horizontal_merge_and_skipped_scan(
    catalog: Catalog, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    book = openpyxl.Workbook()
    ws = book.active
    assert ws is not None
    ws.append(["name", "year", "region", "health_insurance_pct", "hygienic_water_pct"])
    ws.append(["Wide", 2024, "TN", 80, None])
    ws.append(["Empty merge", 2024, "TN", None, None])
    ws.merge_cells("D2:E2")
    ws.merge_cells("D3:E3")  # nothing in it: nothing lost, nothing reported
    path = tmp_path / "wide.xlsx"
    book.save(path)
    result = read(catalog, path)
    assert [(i.location.line, i.location.column, i.code) for i in result.issues] == [
        (2, 5, "merged-cell")
    ]
    assert [c.name for c in result.communes] == ["Empty merge"]
    monkeypatch.setattr("ntm_rules.load.xlsx_rows.SCAN_LIMIT", 10)
    result = read(catalog, path)
    assert [(i.code, i.severity) for i in result.issues] == [("checks-skipped", "warning")]
    assert len(result.communes) == 2


def test_spreadsheet_error_text_in_csv(catalog: Catalog, tmp_path: Path) -> None:
    path = tmp_path / "errors.csv"
    path.write_text("name,year,region,health_insurance_pct\nA,2024,TN,#DIV/0!\n", encoding="utf-8")
    result = read(catalog, path)
    assert [(i.location.line, i.location.column, i.code) for i in result.issues] == [
        (2, 4, "cell-error")
    ]


def test_template_language_is_checked(catalog: Catalog, tmp_path: Path) -> None:
    with pytest.raises(ValueError):
        write_template(catalog.load("ntm-2016-2020"), catalog.vocab, tmp_path / "x.xlsx", "fr")
