"""Recorded appraisals: an official finding decides what the tool cannot compute, is shown as
appraised (never as computed), and never hides a computed result: a disagreement is reported."""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Any

from typer.testing import CliRunner

from ntm_rules.cli import app

ROOT = Path(__file__).resolve().parent.parent
PO_E = ROOT / "examples" / "kon-tum" / "po-e.yaml"  # 2024, TN; 13.1 computed pass


def _with(tmp_path: Path, appraisals: str) -> Path:
    path = tmp_path / "po-e.yaml"
    path.write_text(PO_E.read_text(encoding="utf-8") + appraisals, encoding="utf-8")
    return path


def _evaluation(path: Path, *args: str) -> dict[str, Any]:
    done = CliRunner().invoke(app, ["check", str(path), "--format", "json", *args])
    assert done.exit_code == 0, done.output
    ev: dict[str, Any] = json.loads(done.stdout)["reports"][0]["evaluations"][0]
    return ev


def _ind(ev: dict[str, Any], ind_id: str) -> dict[str, Any]:
    return next(i for c in ev["criteria"] for i in c["indicators"] if i["id"] == ind_id)


APPRAISALS = """appraisals:
  - indicator: "10"
    result: đạt
    decision: "45/QĐ-UBND"
    date: "2024-12-01"
  - criterion: "2"
    result: đạt
    decision: "45/QĐ-UBND"
  - indicator: "13.1"
    result: không đạt
    decision: "45/QĐ-UBND"
"""


def test_an_appraisal_decides_an_unknown_indicator(tmp_path: Path) -> None:
    before = _evaluation(PO_E)
    assert _ind(before, "10")["status"] == "unknown"
    ev = _evaluation(_with(tmp_path, APPRAISALS))
    income = _ind(ev, "10")
    assert (income["status"], income["appraised"], income["conflict"]) == ("pass", True, False)
    assert income["appraisal"]["decision"] == "45/QĐ-UBND"
    assert income["reason"]["vi"].startswith("Theo thẩm định: đạt (45/QĐ-UBND, 2024-12-01)")
    # the criterion appraisal fills every undecided indicator of criterion 2
    assert sorted(ev["appraised"]) == ["10", "2.2", "2.3", "2.4"]
    crit = {c["id"]: c["status"] for c in ev["criteria"]}
    assert crit["10"] == "pass" and crit["2"] == "pass"
    assert "10" not in [r["indicator"] for r in ev["conditions"]]
    assert ev["criteria_met"] == before["criteria_met"] + 2


def test_an_appraisal_never_hides_a_computed_result(tmp_path: Path) -> None:
    ev = _evaluation(_with(tmp_path, APPRAISALS))
    coop = _ind(ev, "13.1")
    assert (coop["status"], coop["appraised"], coop["conflict"]) == ("pass", False, True)
    assert ev["appraisal_conflicts"] == ["13.1"]
    assert "MÂU THUẪN" in coop["reason"]["vi"] and "CONFLICT" in coop["reason"]["en"]
    text = CliRunner().invoke(app, ["check", str(_with(tmp_path, APPRAISALS))]).stdout
    assert "Mâu thuẫn giữa thẩm định và kết quả tính: 13.1" in text


def test_an_appraisal_for_another_set_does_not_apply(tmp_path: Path) -> None:
    other = APPRAISALS.replace(
        'decision: "45/QĐ-UBND"\n    date',
        'set: ntm-2016-2020\n    decision: "45/QĐ-UBND"\n    date',
    )
    ev = _evaluation(_with(tmp_path, other))
    assert _ind(ev, "10")["status"] == "unknown"


def test_bad_appraisals_are_located(tmp_path: Path) -> None:
    bad = 'appraisals:\n  - indicator: "10"\n    result: có lẽ\n    decision: "45/QĐ-UBND"\n'
    path = _with(tmp_path, bad)
    done = CliRunner().invoke(app, ["check", str(path)])
    assert done.exit_code == 2
    line = len(PO_E.read_text(encoding="utf-8").splitlines()) + 3
    assert f"{path}:{line}:" in done.stderr and "bad-appraisal" in done.stderr
    no_decision = 'appraisals:\n  - indicator: "10"\n    result: đạt\n'
    done = CliRunner().invoke(app, ["check", str(_with(tmp_path, no_decision))])
    assert done.exit_code == 2 and "thiếu khóa bắt buộc 'decision'" in done.stderr


def test_appraisal_columns_in_a_table(tmp_path: Path) -> None:
    with (ROOT / "examples" / "province" / "communes.csv").open(encoding="utf-8-sig") as fh:
        rows = list(csv.reader(fh))
    rows[0] += ["Thẩm định: 10", "appraisal:TC2"]
    for row in rows[1:]:
        row += ["", ""]
    k = next(i for i, r in enumerate(rows) if r[0] == "Pờ Ê")
    rows[k][-2:] = ["đạt; 45/QĐ-UBND; 2024-12-01", "đạt; 45/QĐ-UBND"]
    table = tmp_path / "communes.csv"
    with table.open("w", encoding="utf-8", newline="") as fh:
        csv.writer(fh).writerows(rows)
    done = CliRunner().invoke(app, ["batch", str(table), "--format", "json"])
    assert done.exit_code == 0, done.output
    data = json.loads(done.stdout)
    row = next(r for r in data["results"] if r["commune"] == "Pờ Ê")["sets"]["ntm-2021-2025"]
    assert sorted(row["appraised"]) == ["10", "2.2", "2.3", "2.4"]
    assert row["criteria"]["10"] == "pass"
    assert "appraised" not in data["results"][0]["sets"]["ntm-2021-2025"]  # no appraisal there
    assert data["appraisal_conflicts"] == []
    rows[k][-2] = "đạt"  # no decision
    with table.open("w", encoding="utf-8", newline="") as fh:
        csv.writer(fh).writerows(rows)
    done = CliRunner().invoke(app, ["batch", str(table), "--strict"])
    assert done.exit_code == 2
    column = len(rows[0]) - 1  # 1-based index of the first appraisal column
    letters = ""
    while column:
        column, rest = divmod(column - 1, 26)
        letters = chr(65 + rest) + letters
    assert f"{table}:{letters}{k + 1} (Thẩm định: 10)" in done.stderr
