"""The command line: exit codes, default command, and JSON equal to the library's to_dict()."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from ntm_rules import assess, load_communes
from ntm_rules.cli import app
from ntm_rules.diff import diff_sets
from ntm_rules.sets_info import SetView

from .helpers import RECOGNITION_OK, passing_measures

runner = CliRunner()


@pytest.fixture
def commune_file(tmp_path: Path, catalog) -> Path:
    import yaml

    old = catalog.load("ntm-2016-2020")
    data = {
        "name": "Pờ Ê",
        "province": "Kon Tum",
        "district": "Kon Plông",
        "region": "TN",
        "year": 2020,
        "recognition": RECOGNITION_OK,
        "measures": passing_measures(old),
    }
    path = tmp_path / "po-e.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


def run(*args: str):
    return runner.invoke(app, [str(a) for a in args])


def test_default_command_scores_a_commune(commune_file):
    result = run(commune_file)
    assert result.exit_code == 0, result.output
    assert "ntm-2016-2020" in result.output
    assert "ĐẠT CHUẨN" in result.output
    assert "đạt 19/19 tiêu chí" in result.output


def test_lang_en(commune_file):
    result = run(commune_file, "--lang", "en")
    assert "CERTIFIED" in result.output and "19/19 criteria met" in result.output


def test_check_json_equals_library(commune_file, catalog):
    result = run(
        "check",
        commune_file,
        "--set",
        "ntm-2016-2020",
        "--set",
        "ntm-2021-2025",
        "--format",
        "json",
    )
    assert result.exit_code == 0
    commune = load_communes(commune_file)[0]
    expected = assess(commune, [catalog.load("ntm-2016-2020"), catalog.load("ntm-2021-2025")])
    assert json.loads(result.output) == json.loads(json.dumps(expected.to_dict()))
    data = json.loads(result.output)
    ev = data["evaluations"][0]
    for key in (
        "set",
        "tier",
        "region_applied",
        "year",
        "verdict",
        "provisional",
        "criteria_met",
        "criteria_total",
        "criteria",
        "recognition",
        "revocation",
    ):
        assert key in ev
    ind = ev["criteria"][0]["indicators"][0]
    for key in (
        "id",
        "measure",
        "status",
        "value",
        "operator",
        "threshold",
        "gap",
        "verified",
        "source",
    ):
        assert key in ind
    assert set(data["transition"]) >= {"from", "to", "outcome", "culprits"}


def test_strict_exit_code(commune_file):
    assert run(commune_file, "--strict").exit_code == 0
    result = run(commune_file, "--set", "ntm-2021-2025", "--strict")
    assert result.exit_code == 1  # indeterminate under 2021-2025 is not "certified"


def test_markdown(commune_file):
    result = run(commune_file, "--format", "markdown")
    assert result.exit_code == 0
    assert result.output.startswith("# Pờ Ê")
    assert "| 10 |" in result.output


def test_bad_input_exit_2_with_location(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text(
        "name: X\nyear: 2024\nregion: TN\nmeasures:\n  income_per_capita: 12\n"
        "  incme_per_capita: 3\n",
        encoding="utf-8",
    )
    result = run(bad)
    assert result.exit_code == 2
    assert f"{bad}:6:3" in result.output
    assert "income_per_capita" in result.output  # the did-you-mean hint
    assert "Traceback" not in result.output


def test_unknown_set(commune_file):
    result = run(commune_file, "--set", "ntm-2021")
    assert result.exit_code == 2
    assert "unknown criteria set" in result.output


def test_sets_json(catalog):
    result = run("sets", "--format", "json")
    assert result.exit_code == 0
    data = json.loads(result.output)
    ids = {s["id"]: s for s in data["sets"]}
    assert ids["ntm-2016-2020"]["indicators"] == 49
    assert ids["ntm-2016-2020"]["decision"] == "1980/QĐ-TTg"
    assert 0 < ids["ntm-2016-2020"]["verified_share"] <= 1


def test_show_json_equals_library(catalog):
    result = run(
        "show", "ntm-2021-2025", "--region", "Tây Nguyên", "--year", "2022", "--format", "json"
    )
    assert result.exit_code == 0, result.output
    view = SetView(catalog.load("ntm-2021-2025"), catalog.measures, "TN", 2022)
    assert json.loads(result.output) == json.loads(json.dumps(view.to_dict()))
    data = json.loads(result.output)
    ind = data["criteria"][0]["indicators"][0]
    for key in (
        "id",
        "measure",
        "operator",
        "threshold",
        "thresholds_by_region",
        "unit",
        "verified",
        "source",
        "applies_if",
    ):
        assert key in ind


def test_show_region_without_diacritics():
    assert run("show", "ntm-2016-2020", "--region", "tay nguyen").exit_code == 0
    bad = run("show", "ntm-2016-2020", "--region", "Tay Nguyn")
    assert bad.exit_code == 2 and "TN" in bad.output


def test_diff_json_equals_library(catalog):
    result = run("diff", "ntm-2016-2020", "ntm-2021-2025", "--format", "json")
    assert result.exit_code == 0
    expected = diff_sets(catalog.load("ntm-2016-2020"), catalog.load("ntm-2021-2025"))
    assert json.loads(result.output) == json.loads(json.dumps(expected.to_dict()))


def test_validate_exit_codes(tmp_path, catalog):
    from ntm_rules.load.catalog import default_criteria_dir

    ok = run("validate", default_criteria_dir() / "ntm-2021-2025.yaml")
    assert ok.exit_code == 0
    bad = tmp_path / "set.yaml"
    bad.write_text("kind: criteria-set\nid: x\nid: y\n", encoding="utf-8")
    result = run("validate", bad)
    assert result.exit_code == 2
    assert f"{bad}:3:1" in result.output and "duplicate-key" in result.output


def test_validate_overlay_against_set_given_on_command_line(tmp_path):
    from ntm_rules.load.catalog import default_criteria_dir

    overlay = tmp_path / "kt.yaml"
    overlay.write_text(
        """kind: overlay
id: kt
extends: ntm-2021-2025
title: {vi: Kon Tum, en: Kon Tum}
province: Kon Tum
decision: "1/QĐ-UBND"
issued: "2022-01-01"
partial: true
sources:
  kt-1: {citation: "test", kind: provincial}
replace:
  "15.1":
    threshold:
      all_regions: {value: 95, verified: true, source: kt-1}
""",
        encoding="utf-8",
    )
    result = run("validate", default_criteria_dir() / "ntm-2021-2025.yaml", overlay)
    assert result.exit_code == 0, result.output


def test_template_lists_every_measure(catalog):
    result = run("template", "ntm-2016-2020")
    assert result.exit_code == 0
    for ind in catalog.load("ntm-2016-2020").indicators:
        for measure in ind.measures:
            assert f"  {measure}:" in result.output


def test_explain(commune_file):
    result = run("explain", commune_file, "10", "--lang", "en")
    assert result.exit_code == 0
    assert "income_per_capita" in result.output
    assert "http" in result.output  # the source URL is shown
    assert run("explain", commune_file, "99").exit_code == 2


def test_python_m_and_installed_script(commune_file):
    out = subprocess.run(
        [sys.executable, "-m", "ntm_rules", "sets"], capture_output=True, text=True, check=True
    )
    assert "ntm-2021-2025" in out.stdout
    script = Path(sys.executable).with_name("ntm-check")
    if script.exists():
        done = subprocess.run(
            [str(script), str(commune_file), "--format", "json"], capture_output=True, text=True
        )
        assert done.returncode == 0 and json.loads(done.stdout)["commune"]["name"] == "Pờ Ê"


def test_template_xlsx_round_trip(tmp_path, catalog):
    from ntm_rules.load.table import read_table

    out = tmp_path / "sheet.xlsx"
    assert run("template", "ntm-2021-2025", "--format", "xlsx", "-o", out).exit_code == 0
    assert run("template", "ntm-2021-2025", "--format", "xlsx", "-o", out).exit_code == 2
    assert run("template", "ntm-2021-2025", "--format", "xlsx", "-o", out, "--force").exit_code == 0
    assert run("template", "ntm-2021-2025", "--format", "xlsx").exit_code == 2
    import openpyxl

    wb = openpyxl.load_workbook(out)
    ws = wb["communes"]
    header = [c.value for c in ws[1]]
    assert "income_per_capita" in header and "name" in header
    ws.cell(row=2, column=header.index("name") + 1, value="Pờ Ê")
    ws.cell(row=2, column=header.index("year") + 1, value=2024)
    ws.cell(row=2, column=header.index("region") + 1, value="TN")
    ws.cell(row=2, column=header.index("income_per_capita") + 1, value=41.5)
    wb.save(out)
    table = read_table(out, catalog.measures, catalog.regions)
    assert [c.name for c in table.communes] == ["Pờ Ê"]
    assert table.communes[0].measures["income_per_capita"] == 41.5


def test_unknown_recognized_set_is_an_error_with_its_line(tmp_path):
    src = Path(__file__).resolve().parent.parent / "examples" / "kon-tum" / "po-e.yaml"
    text = src.read_text(encoding="utf-8").replace("set: ntm-2016-2020", "set: ntm-2016-2O20")
    bad = tmp_path / "po-e.yaml"
    bad.write_text(text, encoding="utf-8")
    line = next(i for i, ln in enumerate(text.splitlines(), 1) if "ntm-2016-2O20" in ln)
    result = run(bad)
    assert result.exit_code == 2
    assert f"{bad}:{line}:" in result.output and "unknown-set" in result.output
