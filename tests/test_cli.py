"""The command line: exit codes, default command, and JSON equal to the library's to_dict()."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from ntm_rules import (
    __version__,
    assess_many,
    compare_many,
    diff,
    explain,
    list_sets,
    read_communes,
    show,
    validate,
)
from ntm_rules.cli import app
from ntm_rules.load.catalog import default_criteria_dir

from .helpers import RECOGNITION_OK, passing_measures

runner = CliRunner()
EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
OLD, NEW = "ntm-2016-2020", "ntm-2021-2025"


@pytest.fixture
def commune_file(tmp_path: Path, catalog) -> Path:
    import yaml

    old = catalog.load(OLD)
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


def run(*args: Any):
    return runner.invoke(app, [str(a) for a in args])


def as_json(result: Any) -> Any:
    """The JSON a command printed: one compact line on standard output."""
    assert result.stdout.endswith("\n") and result.stdout.count("\n") == 1, result.output
    return json.loads(result.stdout)


def lib(result: Any) -> Any:
    """A library result as the CLI prints it (through JSON)."""
    return json.loads(json.dumps(result.to_dict()))


def test_default_command_scores_a_commune(commune_file):
    result = run(commune_file)
    assert result.exit_code == 0, result.output
    assert OLD in result.output  # the set in force for the data year 2020
    assert "ĐẠT CHUẨN" in result.output
    assert "đạt 19/19 tiêu chí" in result.output


def test_lang_en(commune_file):
    result = run(commune_file, "--lang", "en")
    assert result.exit_code == 0, result.output
    assert "CERTIFIED" in result.output and "19/19 criteria met" in result.output
    assert "ĐẠT CHUẨN" not in result.output


def test_check_json_equals_library(commune_file, catalog):
    result = run("check", commune_file, "--set", OLD, "--set", NEW, "--format", "json")
    assert result.exit_code == 0, result.output
    communes = read_communes(commune_file, catalog).communes
    expected = assess_many(communes, catalog, [catalog.load(OLD), catalog.load(NEW)])
    data = as_json(result)
    assert data == lib(expected)
    (report,) = data["reports"]
    assert set(report) == {"commune", "evaluations", "transition", "tiers"}
    assert report["commune"]["name"] == "Pờ Ê"
    assert report["commune"]["source"]["file"] == str(commune_file)
    assert report["tiers"] is None
    assert [ev["set"] for ev in report["evaluations"]] == [OLD, NEW]
    ev = report["evaluations"][0]
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
    assert set(report["transition"]) >= {"from", "to", "outcome", "culprits"}


def test_check_json_lists_every_commune(catalog):
    folder = EXAMPLES / "kon-tum"
    result = run(folder, "--format", "json")
    assert result.exit_code == 0, result.output
    expected = assess_many(read_communes(folder, catalog).communes, catalog)
    data = as_json(result)
    assert data == lib(expected)
    assert len(data["reports"]) == 9
    assert all(r["transition"] is None and r["tiers"] is None for r in data["reports"])


def test_check_tiers_json_equals_library(commune_file, catalog):
    result = run("check", commune_file, "--tiers", "--format", "json")
    assert result.exit_code == 0, result.output
    communes = read_communes(commune_file, catalog).communes
    expected = assess_many(communes, catalog, tiers=True)
    data = as_json(result)
    assert data == lib(expected)
    (report,) = data["reports"]
    assert report["tiers"] is not None and report["transition"] is None
    assert [ev["tier"] for ev in report["evaluations"]] == ["standard", "advanced", "model"]
    both = run("check", commune_file, "--tiers", "--set", OLD)
    assert both.exit_code == 2 and "--tiers" in both.output


def test_strict_exit_code(commune_file):
    assert run(commune_file, "--strict").exit_code == 0
    result = run(commune_file, "--set", NEW, "--strict")
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
    result = run(commune_file, "--set", "ntm-2021", "--lang", "en")
    assert result.exit_code == 2
    assert "unknown criteria set" in result.output
    assert "Traceback" not in result.output


def test_compare_json_equals_library(catalog):
    folder = EXAMPLES / "kon-tum"
    result = run("compare", folder, "--format", "json")
    assert result.exit_code == 0, result.output
    expected = compare_many(read_communes(folder, catalog).communes, catalog)
    data = as_json(result)
    assert data == lib(expected)
    assert (data["from"], data["to"]) == (OLD, NEW)
    assert data["transitions"] == {
        "kept": 0,
        "lost": 2,
        "gained": 0,
        "never": 5,
        "indeterminate": 2,
    }
    named = run("compare", folder, "--from", OLD, "--to", NEW, "--format", "json")
    assert named.exit_code == 0 and as_json(named) == data
    assert run("compare", folder, "--to", "ntm-2021").exit_code == 2


def test_compare_table_in_both_languages():
    folder = EXAMPLES / "kon-tum"
    vi = run("compare", folder)
    assert vi.exit_code == 0, vi.output
    assert "MẤT CHUẨN: 2" in vi.output and "Đắk Tăng" in vi.output
    en = run("compare", folder, "--lang", "en")
    assert en.exit_code == 0 and "MẤT CHUẨN" not in en.output and "Đắk Tăng" in en.output


def test_sets_json(catalog):
    result = run("sets", "--format", "json")
    assert result.exit_code == 0
    data = as_json(result)
    assert data == lib(list_sets(catalog))
    ids = {s["id"]: s for s in data["sets"]}
    assert ids[OLD]["indicators"] == 49
    assert ids[OLD]["decision"] == "1980/QĐ-TTg"
    assert 0 < ids[OLD]["verified_share"] <= 1


def test_show_json_equals_library(catalog):
    result = run("show", NEW, "--region", "Tây Nguyên", "--year", "2022", "--format", "json")
    assert result.exit_code == 0, result.output
    expected = show(catalog.load(NEW), catalog, "Tây Nguyên", 2022)
    data = as_json(result)
    assert data == lib(expected)
    assert (data["region"], data["year"]) == ("TN", 2022)
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
    assert list(ind["thresholds_by_region"]) == list(catalog.regions.codes)


def test_show_region_without_diacritics():
    assert run("show", OLD, "--region", "tay nguyen").exit_code == 0
    bad = run("show", OLD, "--region", "Tay Nguyn")
    assert bad.exit_code == 2 and "TN" in bad.output
    assert run("show", "ntm-1999").exit_code == 2


def test_diff_json_equals_library(catalog):
    result = run("diff", OLD, NEW, "--format", "json")
    assert result.exit_code == 0
    expected = diff(catalog.load(OLD), catalog.load(NEW), catalog)
    data = as_json(result)
    assert data == lib(expected)
    assert (data["year_from"], data["year_to"]) == (2020, 2025)
    assert "moved" not in data
    at = run("diff", OLD, NEW, "--year-from", "2018", "--year-to", "2022", "--format", "json")
    assert at.exit_code == 0
    expected_at = diff(catalog.load(OLD), catalog.load(NEW), catalog, 2018, 2022)
    data_at = as_json(at)
    assert data_at == lib(expected_at)
    assert (data_at["year_from"], data_at["year_to"]) == (2018, 2022)
    assert run("diff", OLD, "ntm-2021").exit_code == 2


def test_validate_exit_codes(tmp_path, catalog):
    ok = run("validate", default_criteria_dir() / "ntm-2021-2025.yaml")
    assert ok.exit_code == 0
    bad = tmp_path / "set.yaml"
    bad.write_text("kind: criteria-set\nid: x\nid: y\n", encoding="utf-8")
    result = run("validate", bad)
    assert result.exit_code == 2
    assert f"{bad}:3:1" in result.output and "duplicate-key" in result.output


def test_validate_json_equals_library(tmp_path, catalog):
    bad = tmp_path / "set.yaml"
    bad.write_text("kind: criteria-set\nid: x\nid: y\n", encoding="utf-8")
    table = EXAMPLES / "province" / "communes.csv"
    result = run("validate", table, bad, "--format", "json")
    assert result.exit_code == 2
    data = as_json(result)
    assert data == lib(validate([table, bad], catalog))
    assert data["ok"] is False
    first, second = data["files"]
    assert (first["kind"], first["ok"], first["summary"]) == ("table", True, "18 rows, 18 communes")
    assert first["counts"] == {"rows": 18, "communes": 18}
    assert second["ok"] is False
    duplicate = second["issues"][0]
    assert duplicate["code"] == "duplicate-key"
    assert duplicate["location"] == {"file": str(bad), "line": 3, "column": 1, "path": "id"}
    good = run("validate", table, "--format", "json")
    assert good.exit_code == 0 and as_json(good)["ok"] is True


def test_validate_overlay_against_set_given_on_command_line(tmp_path):
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
  kt-1: {citation: "test", url: "https://example.org/kt-1", kind: provincial}
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
    result = run("template", OLD)
    assert result.exit_code == 0
    for ind in catalog.load(OLD).indicators:
        for measure in ind.measures:
            assert f"  {measure}:" in result.output
    assert run("template", "ntm-1999").exit_code == 2


def test_explain(commune_file):
    result = run("explain", commune_file, "10", "--lang", "en")
    assert result.exit_code == 0
    assert "income_per_capita" in result.output
    assert "http" in result.output  # the source URL is shown
    assert run("explain", commune_file, "99").exit_code == 2


def test_explain_json_equals_library(commune_file, catalog):
    commune = read_communes(commune_file, catalog).communes[0]
    result = run("explain", commune_file, "10", "--format", "json")
    assert result.exit_code == 0, result.output
    data = as_json(result)
    assert data == lib(explain(commune, "10", catalog))
    assert data["set"] == OLD and data["criterion"]["id"] == "10"
    named = run("explain", commune_file, "10", "--set", NEW, "--format", "json")
    assert named.exit_code == 0
    data_new = as_json(named)
    assert data_new == lib(explain(commune, "10", catalog, catalog.load(NEW)))
    assert data_new["set"] == NEW
    many = run("explain", EXAMPLES / "province" / "communes.csv", "10")
    assert many.exit_code == 2 and "--commune" in many.output


def test_version():
    result = run("version")
    assert result.exit_code == 0 and result.stdout == f"{__version__}\n"
    assert __version__ == "0.2.0"


@pytest.mark.parametrize(
    ("args", "code", "printed"),
    [
        (["version"], 0, "out"),
        (["examples/loses-certification.yaml", "--strict", "--format", "json"], 1, "out"),
        (["no-such-file.yaml"], 2, "err"),
        (["batch", "--no-such-option"], 2, "err"),
    ],
)
def test_the_process_exits_with_its_code_output_flushed_and_exit_handlers_run(
    tmp_path: Path, args: list[str], code: int, printed: str
) -> None:
    """The command line leaves without interpreter teardown (for speed): the exit code, what
    was printed and the exit handlers (coverage, logging) must all survive that."""
    marker = tmp_path / "ran"
    script = (
        "import atexit, pathlib, sys\n"
        f"atexit.register(pathlib.Path({str(marker)!r}).write_text, 'yes')\n"
        f"sys.argv = ['ntm-check', *{args!r}]\n"
        "from ntm_rules.cli import main\n"
        "main()\n"
    )
    root = Path(__file__).resolve().parent.parent
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, cwd=root, check=False
    )
    assert done.returncode == code, done.stderr
    assert (done.stdout if printed == "out" else done.stderr).strip()
    assert marker.read_text() == "yes"


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
        assert done.returncode == 0
        assert json.loads(done.stdout)["reports"][0]["commune"]["name"] == "Pờ Ê"


def test_template_xlsx_round_trip(tmp_path, catalog):
    from ntm_rules.load.table import read_table

    out = tmp_path / "sheet.xlsx"
    assert run("template", NEW, "--format", "xlsx", "-o", out, "--lang", "en").exit_code == 0
    assert run("template", NEW, "--format", "xlsx", "-o", out).exit_code == 2
    assert run("template", NEW, "-f", "xlsx", "-o", out, "--force", "--lang", "en").exit_code == 0
    assert run("template", NEW, "--format", "xlsx").exit_code == 2
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
    table = read_table(out, catalog.vocab)
    assert [c.name for c in table.communes] == ["Pờ Ê"]
    assert table.communes[0].measures["income_per_capita"] == 41.5


def test_unknown_recognized_set_is_an_error_with_its_line(tmp_path):
    src = EXAMPLES / "kon-tum" / "po-e.yaml"
    text = src.read_text(encoding="utf-8").replace("set: ntm-2016-2020", "set: ntm-2016-2O20")
    bad = tmp_path / "po-e.yaml"
    bad.write_text(text, encoding="utf-8")
    line = next(i for i, ln in enumerate(text.splitlines(), 1) if "ntm-2016-2O20" in ln)
    result = run(bad)
    assert result.exit_code == 2
    assert f"{bad}:{line}:" in result.output and "unknown-set" in result.output
