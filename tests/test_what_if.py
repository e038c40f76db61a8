"""Partial law turned into decisions: break-even thresholds, the conditions of an indeterminate
commune, and what-if thresholds (``--assume``) marked as assumed wherever they are used."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from ntm_rules.cli import app

ROOT = Path(__file__).resolve().parent.parent
PO_E = str(ROOT / "examples" / "kon-tum" / "po-e.yaml")  # TN, data year 2024, income 44.8


def _json(*args: str) -> dict[str, Any]:
    done = CliRunner().invoke(app, [*args, "--format", "json"])
    assert done.exit_code == 0, done.output
    data: dict[str, Any] = json.loads(done.stdout)
    return data


def _indicator(report: dict[str, Any], ind_id: str) -> dict[str, Any]:
    ev = report["reports"][0]["evaluations"][0]
    return next(i for c in ev["criteria"] for i in c["indicators"] if i["id"] == ind_id)


def test_unknown_threshold_carries_its_break_even() -> None:
    data = _json("check", PO_E)
    income = _indicator(data, "10")
    assert (income["status"], income["value"]) == ("unknown", 44.8)
    assert income["break_even"] == [
        {"measure": "income_per_capita", "operator": "<=", "value": 44.8}
    ]
    poverty = _indicator(data, "11")  # a ceiling: passes if the threshold is at least the value
    assert poverty["break_even"] == [
        {"measure": "multidimensional_poverty_pct", "operator": ">=", "value": 5.1}
    ]
    assert "đạt nếu ngưỡng ≤ 44,8 triệu đồng/người/năm" in income["reason"]["vi"]
    assert (
        "passes if the threshold is at most 44.8 million VND/person/year" in income["reason"]["en"]
    )


@pytest.mark.parametrize(
    ("assume", "ind", "status"),
    [
        ("10@TN:2024=44.8", "10", "pass"),  # exactly at the break-even: passes
        ("10@TN:2024=44.81", "10", "fail"),
        ("11@TN=5.1", "11", "pass"),  # a ceiling exactly at the value: passes
        ("11@TN=5.09", "11", "fail"),
    ],
)
def test_the_break_even_is_the_boundary(assume: str, ind: str, status: str) -> None:
    found = _indicator(_json("check", PO_E, "--assume", assume), ind)
    assert found["status"] == status
    assert found["verified"] is False
    assert found["source"]["kind"] == "assumed"


def test_conditions_list_every_undecided_check_of_an_indeterminate_commune() -> None:
    data = _json("check", PO_E)
    ev = data["reports"][0]["evaluations"][0]
    assert ev["verdict"] == "indeterminate"
    undecided = [
        (i["id"], c["measure"])
        for crit in ev["criteria"]
        for i in crit["indicators"]
        for c in (i.get("checks") or [i])
        if c["status"] in ("unknown", "missing")
    ]
    assert [(r["indicator"], r["measure"]) for r in ev["conditions"]] == undecided
    income = next(r for r in ev["conditions"] if r["indicator"] == "10")
    assert income == {
        "kind": "threshold",
        "criterion": "10",
        "indicator": "10",
        "measure": "income_per_capita",
        "operator": "<=",
        "value": 44.8,
        "threshold": None,
        "unit": {"vi": "triệu đồng/người/năm", "en": "million VND/person/year"},
        "region": "TN",
        "year": 2024,
    }
    kinds = {r["kind"] for r in ev["conditions"]}
    assert kinds <= {"threshold", "data", "data_and_threshold", "condition", "prerequisite"}
    # a decided commune lists none
    decided = _json("check", str(ROOT / "examples" / "loses-certification.yaml"))
    assert decided["reports"][0]["evaluations"][0]["conditions"] == []


def test_conditions_are_printed_in_both_languages() -> None:
    vi = CliRunner().invoke(app, ["check", PO_E])
    assert "Xã đạt chuẩn theo ntm-2021-2025 khi và chỉ khi" in vi.stdout
    assert "10: ngưỡng (vùng TN, mức năm 2024) không quá 44,8 triệu đồng/người/năm" in vi.stdout
    en = CliRunner().invoke(app, ["check", PO_E, "--lang", "en"])
    assert "Certified under ntm-2021-2025 if and only if" in en.stdout
    assert "10: the threshold (region TN, 2024 level) is at most 44.8 million" in en.stdout


def test_assumed_results_are_marked_everywhere() -> None:
    data = _json("check", PO_E, "--assume", "10@TN:2024=40")
    assert data["assumptions"] == [
        {
            "text": "10@TN:2024=40",
            "set": "ntm-2021-2025",
            "indicator": "10",
            "measure": "",
            "region": "TN",
            "year": 2024,
            "value": 40.0,
        }
    ]
    ev = data["reports"][0]["evaluations"][0]
    assert ev["assumed_thresholds"] == ["10"] and ev["provisional"] is True
    assert "giả định" in _indicator(data, "10")["reason"]["vi"]
    text = CliRunner().invoke(app, ["check", PO_E, "--assume", "10@TN:2024=40"]).stdout
    assert "Ngưỡng giả định (--assume)" in text
    batch = _json("batch", str(ROOT / "examples" / "kon-tum"), "--assume", "10@TN:2024=40")
    assert batch["assumptions"][0]["text"] == "10@TN:2024=40"
    assert batch["sets"]["ntm-2021-2025"]["assumed_used"] == ["10"]
    rows = {r["commune"]: r["sets"]["ntm-2021-2025"] for r in batch["results"]}
    assert rows["Pờ Ê"]["assumed"] is True
    # Đắk Long is assessed at TDMNPB levels (special commune): the TN assumption is not used
    assert rows["Đắk Long"]["assumed"] is False


def test_an_assumption_for_one_year_leaves_the_next_unknown(tmp_path: Path) -> None:
    text = Path(PO_E).read_text(encoding="utf-8").replace("year: 2024", "year: 2025")
    later = tmp_path / "po-e-2025.yaml"
    later.write_text(text, encoding="utf-8")
    assert (
        _indicator(_json("check", str(later), "--assume", "10@TN:2024=40"), "10")["status"]
        == "unknown"
    )
    assert _indicator(_json("check", str(later), "--assume", "10@TN=40"), "10")["status"] == "pass"


@pytest.mark.parametrize(
    ("assume", "message"),
    [
        ("10@TN:2024", "cannot read the assumption"),
        ("10@XX=4", "unknown region 'XX'"),
        ("10@TN=abc", "is not a number"),
        ("99@TN=4", "has no indicator '99'"),
        ("11@TN:2024=4", "does not change by year"),
        ("17.1@TN=40", "has several checks"),
        ("nope/10@TN=4", "unknown criteria set 'nope'"),
    ],
)
def test_bad_assumptions_exit_2_with_a_message(assume: str, message: str) -> None:
    done = CliRunner().invoke(app, ["check", PO_E, "--assume", assume, "--lang", "en"])
    assert done.exit_code == 2
    assert message in done.stderr
    assert "Traceback" not in done.output


def test_assumptions_from_a_file(tmp_path: Path) -> None:
    good = tmp_path / "what-if.txt"
    good.write_text("# Kon Tum, provisional\n10@TN:2024=40   # income\n11@TN=6\n", encoding="utf-8")
    data = _json("check", PO_E, "--assume", f"@{good}")
    assert [a["text"] for a in data["assumptions"]] == ["10@TN:2024=40", "11@TN=6"]
    bad = tmp_path / "bad.txt"
    bad.write_text("10@TN:2024=40\n  11@QQ=6\n", encoding="utf-8")
    done = CliRunner().invoke(app, ["check", PO_E, "--assume", f"@{bad}", "--lang", "en"])
    assert done.exit_code == 2
    assert f"{bad}:2:3" in done.stderr and "unknown region 'QQ'" in done.stderr
