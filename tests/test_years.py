"""Progress over years: a commune file or table with several data years; verdict changes,
indicator trends, the income growth check and the revocation watch, hand-checked."""

from __future__ import annotations

import dataclasses
import json
import re
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

import ntm_rules
from ntm_rules import Catalog
from ntm_rules.cli import app
from ntm_rules.errors import InvalidFileError

EXAMPLES = Path(__file__).resolve().parent.parent / "examples" / "years"
TABLE = EXAMPLES / "communes.csv"
YAML = EXAMPLES / "hoa-thuan.yaml"


def _run(*args: str) -> Any:
    result = CliRunner().invoke(app, [*args])
    assert result.exit_code == 0, result.output
    return result


# ------------------------------------------------------------------------------ reading years


def test_years_block_gives_one_commune_per_year_located_at_its_year(catalog: Catalog) -> None:
    communes = ntm_rules.load_communes(YAML, catalog)
    assert [c.year for c in communes] == [2017, 2018, 2019]
    assert [c.value("income_per_capita") for c in communes] == [36, 38.5, 41.2]
    # shared measures apply to every year
    assert {c.value("construction_plan_approved") for c in communes} == {True}
    text = YAML.read_text(encoding="utf-8").splitlines()
    for c in communes:
        assert c.source is not None and text[c.source.line - 1].strip() == f"{c.year}:"


@pytest.mark.parametrize(
    ("extra", "code", "where"),
    [
        ("year: 2019\n", "conflicting-keys", "year"),
        ("years:\n  nineteen:\n    income_per_capita: 3\n", "wrong-type", "years.nineteen"),
        ("years:\n  2019:\n    income_per_capitaa: 3\n", "unknown-measure", "years.2019"),
    ],
)
def test_bad_years_are_located(
    tmp_path: Path, catalog: Catalog, extra: str, code: str, where: str
) -> None:
    base = "name: A\nprovince: Kon Tum\nmeasures: {}\n"
    if code == "conflicting-keys":
        extra += "years:\n  2019:\n    income_per_capita: 3\n"
    path = tmp_path / "a.yaml"
    path.write_text(base + extra, encoding="utf-8")
    with pytest.raises(InvalidFileError) as info:
        ntm_rules.load_communes(path, catalog)
    found = [i for i in info.value.issues if i.code == code]
    assert found and found[0].location.path.startswith(where), info.value.issues


def test_the_same_year_twice_is_still_a_duplicate(tmp_path: Path, catalog: Catalog) -> None:
    lines = TABLE.read_text(encoding="utf-8").splitlines()
    path = tmp_path / "twice.csv"
    path.write_text("\n".join([*lines, lines[1]]) + "\n", encoding="utf-8")
    inputs = ntm_rules.read_communes(path, catalog, strict=False)
    assert [i.code for i in inputs.errors] == ["duplicate-commune"]


# ------------------------------------------------------------------ one commune over years


@pytest.fixture(scope="module")
def thuan() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(_run("check", str(YAML), "--format", "json").output)
    (series,) = data["years"]
    return series


def test_trends_per_indicator(thuan: dict[str, Any]) -> None:
    assert thuan["set"] == "ntm-2016-2020" and thuan["years"] == [2017, 2018, 2019]
    trends = {t["indicator"]: t for t in thuan["trends"]}
    poverty = trends["11"]
    assert poverty["values"] == [6.2, 5.0, 4.1] and poverty["operator"] == "<="
    assert poverty["change"] == -0.9 and poverty["direction"] == "better"  # a ceiling: down
    income = trends["10"]
    assert income["values"] == [36, 38.5, 41.2] and income["change"] == 2.7
    assert income["direction"] == "better" and income["statuses"] == ["unknown"] * 3
    assert trends["1.1"]["direction"] == "" and trends["1.1"]["values"] == [True] * 3


def test_income_growth_reaches_next_years_level(thuan: dict[str, Any]) -> None:
    (g,) = thuan["growth"]
    # (41.2 / 36) ** (1/2) = 1.06979…: 6.98% a year; 41.2 × 1.06979 = 44.075 ≥ 41 (TN, 2020)
    assert g["first_year"] == 2017 and g["last_year"] == 2019 and g["next_year"] == 2020
    assert g["growth"] == 0.0698 and g["projected"] == 44.08
    assert g["next_threshold"] == 41 and g["reaches"] is True and g["reason"] == ""


def test_income_growth_when_next_year_is_unknown_or_outside_the_set(catalog: Catalog) -> None:
    run = ntm_rules.assess_many(ntm_rules.load_communes(TABLE, catalog), catalog)
    by_name = {cy.commune: cy for cy in run.years}
    (g,) = by_name["Tân Tiến"].growth
    # 30 → 36 over 2022–2024: (36/30) ** (1/2) = 1.0954…; 36 × 1.0954 = 39.44; 2025 unknown
    assert (g.next_year, round(g.projected, 2), g.reason, g.reaches) == (
        2025,
        39.44,
        "unknown",
        None,
    )
    later = [
        dataclasses.replace(c, year=c.year + 1)
        for c in ntm_rules.load_communes(TABLE, catalog)
        if c.name == "Tân Tiến"
    ]
    (cy,) = ntm_rules.assess_many(later, catalog).years
    assert cy.growth[0].next_year == 2026 and cy.growth[0].reason == "outside_period"


def test_check_prints_the_progress_in_both_languages() -> None:
    vi = _run("check", str(YAML)).output
    assert "Diễn biến qua các năm — Hòa Thuận (theo ntm-2016-2020)" in vi
    assert "2017 → 2018: không đổi (CHƯA XÁC ĐỊNH)" in vi
    assert "−0,9 điểm %" in vi and "tốt lên" in vi
    assert "năm 2020 ước đạt 44,08 triệu đồng/người/năm" in vi and ": đủ" in vi
    en = _run("check", str(YAML), "--lang", "en").output
    assert "Progress over years — Hòa Thuận (ntm-2016-2020)" in en
    assert "−0.9 points" in en and "2020 projected at 44.08" in en and "enough" in en
    md = _run("check", str(YAML), "--format", "markdown").output
    assert "## Diễn biến qua các năm" in md and "| 11 | 6,2% ✓ | 5% ✓ | 4,1% ✓ |" in md


# ----------------------------------------------------------------------------- a province


@pytest.fixture(scope="module")
def batch() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(_run("batch", str(TABLE), "--format", "json").output)
    return data


def test_headline_counts_each_commune_once_in_its_latest_year(batch: dict[str, Any]) -> None:
    assert batch["communes"] == 3
    assert {r["commune"]: r["year"] for r in batch["results"]} == {
        "Tân Tiến": 2024,
        "Hòa Bình": 2024,
        "Quyết Thắng": 2024,
    }
    years = batch["years"]
    assert years["set"] == "ntm-2021-2025" and years["communes"] == 3
    assert years["earlier_rows"] == 6


def test_status_change_between_years(batch: dict[str, Any]) -> None:
    (changed,) = batch["years"]["changed"]
    assert changed["commune"] == "Hòa Bình"
    assert changed["verdicts"] == ["not_certified", "not_certified", "indeterminate"]
    first, second = changed["changes"]
    # 2022: traceability not done (13 fails); 2023 done; 2024 stunting 23.8 ≤ 24 (15 passes)
    assert first["criteria_gained"] == ["13"] and first["changed"] is False
    # income passes 2022 at the (TDMNPB) level of 39 and is undecided in 2023 (level unknown):
    # undecided, never "lost"
    assert first["criteria_lost"] == [] and first["criteria_undecided"] == ["10"]
    assert second["criteria_gained"] == ["15"] and second["changed"] is True
    assert (second["from"], second["to"]) == ("not_certified", "indeterminate")


def test_revocation_watch(batch: dict[str, Any]) -> None:
    watch = {s["commune"]: s["revocation_watch"] for s in batch["years"]["revocation_watch"]}
    assert set(watch) == {"Tân Tiến", "Quyết Thắng"}
    # Tân Tiến fails 2, 5, 9, 13, 15, 17 in 2022 and 2023: 6/19 = 31.6% ≥ 30% with key criterion
    # 17 among them → case (a) twice in a row; in 2024 roads pass and 5/19 = 26.3% fail, but
    # the undecided criteria could still put it back in the frame
    tan = watch["Tân Tiến"]
    assert tan["in_frame"] == [True, True, None] and tan["cases"] == ["a", "a", ""]
    assert tan["watch"] is True and tan["recognized"]["year"] == 2019
    # Quyết Thắng fails nothing decided: its place is undecided each year → possibly
    assert watch["Quyết Thắng"]["watch"] is None
    # Hòa Bình holds no recognition: no watch at all
    (hoa,) = [s for s in batch["years"]["changed"] if s["commune"] == "Hòa Bình"]
    assert hoa["revocation_watch"] is None


def test_indicator_counts_per_year(batch: dict[str, Any]) -> None:
    rows = {i["indicator"]: i for i in batch["years"]["indicators"]}
    assert rows["15.3"]["passing"] == [1, 1, 2] and rows["15.3"]["decided"] == [3, 3, 3]
    assert rows["2.1"]["passing"] == [2, 2, 3]


def test_batch_prints_the_progress_in_both_languages() -> None:
    vi = _run("batch", str(TABLE)).output
    assert "3 xã có số liệu nhiều năm" in vi and "6 dòng của các năm trước" in vi
    assert "CHƯA ĐẠT CHUẨN → CHƯA ĐẠT CHUẨN → CHƯA XÁC ĐỊNH" in vi
    assert "có (2022: a, 2023: a, 2024: ?)" in vi and "có thể (2022: ?" in vi
    assert "Chỉ tiêu thay đổi nhiều nhất" in vi
    # 15.3: 1 of 3 communes passes in 2022 and 2023, 2 in 2024 (Hòa Bình's stunting 23.8)
    assert re.search(r"│ 15\.3 +│ +1/3 │ +1/3 │ +2/3 │ +\+1 │", vi)
    en = _run("batch", str(TABLE), "--lang", "en").output
    assert "yes (2022: a, 2023: a, 2024: ?)" in en and "Revocation watch" in en


def test_library_json_equals_cli_json(batch: dict[str, Any], catalog: Catalog) -> None:
    inputs = ntm_rules.read_communes(TABLE, catalog)
    lib = json.loads(json.dumps(ntm_rules.score_province(inputs, catalog=catalog).to_dict()))
    assert lib["years"] == batch["years"]


def test_xlsx_has_a_years_sheet(tmp_path: Path) -> None:
    import openpyxl

    out = tmp_path / "r.xlsx"
    _run("batch", str(TABLE), "--xlsx", str(out))
    wb = openpyxl.load_workbook(out, read_only=True)
    assert wb.sheetnames[-1] == "Qua các năm"
    rows = list(wb["Qua các năm"].iter_rows(values_only=True))
    by_name = {r[0]: r for r in rows[1:4]}
    assert by_name["Hòa Bình"][5] == "Chưa đạt chuẩn → Chưa đạt chuẩn → Chưa xác định"
    assert by_name["Hòa Bình"][7] == "có" and by_name["Tân Tiến"][8] == "có"
    assert by_name["Quyết Thắng"][8] == "có thể"
    # the results sheet writes verdicts as verdicts: one capitalisation for all three
    results = list(wb["Kết quả từng xã"].iter_rows(values_only=True))
    head = results[0]
    cols = [k for k, h in enumerate(head) if h and ("Kết luận" in str(h) or "Chuyển" in str(h))]
    words = {results[r][k] for r in range(1, len(results)) for k in cols}
    assert words and all(str(w)[:1].isupper() for w in words), words
    wb.close()
