"""Province aggregates on a hand-checked small province; batch equals evaluate per commune."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import pytest

from ntm_rules import evaluate, load_communes
from ntm_rules.cli import app
from ntm_rules.province import run_batch

from .conftest import make_commune
from .helpers import RECOGNITION_OK, passing_measures

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"


@pytest.fixture
def province(catalog):
    old = catalog.load("ntm-2016-2020")
    ok = passing_measures(old)
    fails_six = {
        **ok,
        "construction_plan_approved": False,
        "commune_roads_standard_met": False,
        "irrigated_farmland_pct": 50,
        "power_system_standard": False,
        "schools_standard_pct": 10,
        "commune_cultural_house": False,
    }
    no_income = {k: v for k, v in ok.items() if k != "income_per_capita"}
    communes = [
        make_commune(ok, name="A", region="TN", year=2020, recognition=RECOGNITION_OK),
        make_commune(
            {**ok, "multidimensional_poverty_pct": 8},
            name="B",
            region="TN",
            year=2020,
            recognition=RECOGNITION_OK,
        ),
        make_commune(no_income, name="C", region="TN", year=2020, recognition=RECOGNITION_OK),
        make_commune(fails_six, name="D", region="DBSH", year=2020, recognition=RECOGNITION_OK),
    ]
    districts = ["X", "X", "Y", "Y"]
    communes = [
        dataclasses.replace(c, district=d) for c, d in zip(communes, districts, strict=True)
    ]
    return old, communes


def test_hand_checked_aggregates(province):
    old, communes = province
    data = run_batch(communes, [old]).to_dict()
    s = data["sets"]["ntm-2016-2020"]
    assert data["communes"] == 4
    assert (s["certified"], s["not_certified"], s["indeterminate"]) == (1, 2, 1)
    assert s["certified_pct"] == 25.0
    assert s["criteria_met_mean"] == (19 + 18 + 18 + 13) / 4
    assert s["below_15"] == 1
    assert s["by_district"]["X"]["certified"] == 1 and s["by_district"]["X"]["total"] == 2
    assert s["by_region"]["DBSH"]["below_15"] == 1
    hard = {h["criterion"]: h for h in data["hard_criteria"]}
    poverty = hard["11"]
    assert (poverty["failing"], poverty["with_data"], poverty["fail_rate"]) == (1, 4, 0.25)
    assert poverty["median_gap_pct"] == pytest.approx(-100 / 7, rel=1e-3)
    assert poverty["near_miss"] == 0
    assert poverty["indicators"][0]["median_gap"] == -1
    income = hard["10"]
    assert (income["failing"], income["with_data"]) == (0, 3)  # C has no income data
    assert data["missing_measures"] == {"income_per_capita": 1}
    assert [r["commune"] for r in data["results"]] == ["A", "B", "C", "D"]
    assert data["results"][1]["sets"]["ntm-2016-2020"]["criteria"]["11"] == "fail"
    assert "transitions" not in data


def test_near_miss_counts_within_ten_percent(province):
    old, communes = province
    near = dataclasses.replace(
        communes[0],
        name="E",
        measures={**communes[0].measures, "multidimensional_poverty_pct": 7.7},
    )
    data = run_batch([near], [old]).to_dict()
    poverty = next(h for h in data["hard_criteria"] if h["criterion"] == "11")
    assert poverty["near_miss"] == 1  # 0.7 over a ceiling of 7 is exactly 10%


def test_batch_equals_evaluate_on_every_example(catalog):
    communes = [c for p in sorted(EXAMPLES.rglob("*.yaml")) for c in load_communes(p)]
    sets = [catalog.load("ntm-2016-2020"), catalog.load("ntm-2021-2025")]
    data = run_batch(communes, sets).to_dict()
    for commune, row in zip(communes, data["results"], strict=True):
        for s in sets:
            ev = evaluate(commune, s)
            got = row["sets"][s.id]
            assert got["verdict"] == str(ev.verdict), commune.name
            assert got["criteria_met"] == ev.criteria_met
            assert got["provisional"] == ev.provisional
            assert got["region_applied"] == ev.region_applied
            assert got["criteria"] == {c.id: str(c.status) for c in ev.criteria}
    lost = {row["commune"] for row in data["lost"]}
    assert {"Đắk Tăng", "Ngọk Tem"} <= lost


def test_batch_cli_json_equals_library(catalog):
    result = (
        __import__("typer.testing", fromlist=["CliRunner"])
        .CliRunner()
        .invoke(app, ["batch", str(EXAMPLES / "kon-tum"), "--format", "json"])
    )
    assert result.exit_code == 0, result.output
    communes = [c for p in sorted((EXAMPLES / "kon-tum").glob("*.yaml")) for c in load_communes(p)]
    from ntm_rules.api import units_of

    expected = run_batch(
        communes, [catalog.load("ntm-2016-2020"), catalog.load("ntm-2021-2025")], units_of(catalog)
    )
    assert json.loads(result.output) == json.loads(json.dumps(expected.to_dict()))
    assert json.loads(result.output)["transitions"]["lost"] == 2


def test_batch_counts_communes_per_highest_tier(province, catalog):
    old, communes = province
    adv = catalog.load("ntm-advanced-2021-2025")
    data = run_batch(communes, [old], tier_sets=[old, adv]).to_dict()
    assert data["tiers"]["highest"] == {"model": 0, "advanced": 0, "standard": 1, "none": 3}
    assert [r["highest_tier"] for r in data["results"]] == ["standard", None, None, None]


def test_province_example_gives_the_same_answer_in_every_input_form(catalog):
    from ntm_rules.cli import _read_inputs

    results = []
    for name in ("communes.csv", "communes.xlsx", "communes.yaml"):
        communes, issues = _read_inputs([EXAMPLES / "province" / name], catalog)
        assert not issues
        data = run_batch(
            communes, [catalog.load("ntm-2016-2020"), catalog.load("ntm-2021-2025")]
        ).to_dict()
        for row in data["results"]:
            row.pop("source")
        for row in data["lost"]:
            row.pop("source")
        results.append(data)
    assert results[0] == results[1] == results[2]
    assert results[0]["communes"] == 18
    assert results[0]["transitions"]["lost"] == 5


def test_batch_cli_writes_every_output_form(tmp_path):
    from typer.testing import CliRunner

    out = {k: tmp_path / f"r.{k}" for k in ("html", "xlsx", "csv")}
    result = CliRunner().invoke(
        app,
        [
            "batch",
            str(EXAMPLES / "province" / "communes.xlsx"),
            "--html",
            str(out["html"]),
            "--xlsx",
            str(out["xlsx"]),
            "--csv",
            str(out["csv"]),
            "--format",
            "markdown",
        ],
    )
    assert result.exit_code == 0, result.output
    assert all(p.stat().st_size > 0 for p in out.values())
    assert out["csv"].read_bytes().startswith(b"\xef\xbb\xbf")
    assert 'id="heatmap"' in out["html"].read_text(encoding="utf-8")
    again = CliRunner().invoke(
        app, ["batch", str(EXAMPLES / "province" / "communes.xlsx"), "--html", str(out["html"])]
    )
    assert again.exit_code == 2  # exists: needs --force
