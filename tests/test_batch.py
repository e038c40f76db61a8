"""Province aggregates on a hand-checked small province; batch equals evaluate per commune."""

from __future__ import annotations

import csv
import dataclasses
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

import ntm_rules
from ntm_rules import evaluate, load_communes, read_communes
from ntm_rules.cli import app
from ntm_rules.province import score_province

from .conftest import make_commune
from .helpers import RECOGNITION_OK, passing_measures

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
OLD, NEW = "ntm-2016-2020", "ntm-2021-2025"


@pytest.fixture
def province(catalog):
    old = catalog.load(OLD)
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


def test_hand_checked_aggregates(province, catalog):
    old, communes = province
    data = score_province(communes, [old], catalog.measures, programme=catalog.programme).to_dict()
    s = data["sets"][OLD]
    assert data["communes"] == 4
    assert data["from"] is None and data["to"] is None
    assert (s["certified"], s["not_certified"], s["indeterminate"]) == (1, 2, 1)
    assert s["certified_pct"] == 25.0
    # A meets 19; B 18 (fails poverty); C 18 with income undecided; D 13 (fails six)
    assert s["criteria_met_mean"] == (19 + 18 + 18 + 13) / 4
    assert s["criteria_met_mean_max"] == (19 + 18 + 19 + 13) / 4  # C's income passing
    assert s["criteria_failed_mean"] == (0 + 1 + 0 + 6) / 4
    assert s["criteria_undecided_mean"] == 0.25
    assert s["below"] == {"criteria": 15, "definite": 1, "possible": 0}
    assert s["by_district"]["X"]["certified"] == 1 and s["by_district"]["X"]["total"] == 2
    assert s["by_region"]["DBSH"]["below"]["definite"] == 1
    bands = {b["label"]: (b["definite"], b["possible"]) for b in s["bands"]}
    # C (18 or 19) is possible in two bands, definite in none
    assert bands == {"19": (1, 1), "15–18": (1, 1), "10–14": (1, 0), "5–9": (0, 0), "0–4": (0, 0)}
    assert s["targets"] is None  # the programme states no target for 2016–2020
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
    assert data["results"][1]["sets"][OLD]["criteria"]["11"] == "fail"
    assert [r["source"] for r in data["results"]] == [None] * 4  # built in code: no file
    assert [r["transition"] for r in data["results"]] == [None] * 4
    assert "transitions" not in data and "lost" not in data and "tiers" not in data
    assert data["row_errors"] == []


def test_use_case_equals_the_province_scorer(province, catalog):
    old, communes = province
    direct = score_province(
        communes, [old], catalog.measures, programme=catalog.programme
    ).to_dict()
    assert ntm_rules.score_province(communes, [old], catalog).to_dict() == direct
    with pytest.raises(ntm_rules.NtmRulesError, match="no commune"):
        ntm_rules.score_province([], [old], catalog)


def test_near_miss_counts_within_ten_percent(province, catalog):
    old, communes = province
    near = dataclasses.replace(
        communes[0],
        name="E",
        measures={**communes[0].measures, "multidimensional_poverty_pct": 7.7},
    )
    data = score_province([near], [old], catalog.measures).to_dict()
    poverty = next(h for h in data["hard_criteria"] if h["criterion"] == "11")
    assert poverty["near_miss"] == 1  # 0.7 over a ceiling of 7 is exactly 10%


def test_batch_equals_evaluate_on_every_example(catalog):
    communes = [c for p in sorted(EXAMPLES.rglob("*.yaml")) for c in load_communes(p)]
    sets = [catalog.load(OLD), catalog.load(NEW)]
    data = score_province(communes, sets, catalog.measures).to_dict()
    for commune, row in zip(communes, data["results"], strict=True):
        assert row["source"] == commune.source.to_dict()
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


def test_lost_entries_equal_each_communes_transition(catalog):
    """The batch JSON's lost certifications (built column-wise) equal, field for field, the
    transition of each commune on its own, on every example commune file and table."""
    communes = [
        *(c for p in sorted(EXAMPLES.rglob("*.yaml")) for c in load_communes(p)),
        *read_communes(EXAMPLES / "province" / "communes.csv", catalog).communes,
    ]
    old, new = catalog.load(OLD), catalog.load(NEW)
    result = score_province(communes, [old, new], catalog.measures)
    lost = result.to_dict()["lost"]
    assert len(lost) >= 5
    assert sum(len(row["culprits"]) for row in lost) >= 10
    for row, i in zip(lost, result.lost(), strict=True):
        tr = ntm_rules.transition_of(communes[i], old, new)
        assert row["commune"] == communes[i].name
        assert row["culprits"] == [c.to_dict() for c in tr.culprits]
        assert (row["provisional"], row["from_basis"]) == (tr.provisional, tr.from_basis)
        assert row["recorded"] == (tr.recorded.to_dict() if tr.recorded else None)
        assert row["from_evaluated"] == str(tr.from_evaluated)
        assert result.transition(i) == tr


def test_batch_lost_entries_explain_the_loss(catalog):
    """Each lost certification names its basis and culprits (hand-checked on Đắk Tăng)."""
    path = EXAMPLES / "kon-tum" / "dak-tang.yaml"
    sets = [catalog.load(OLD), catalog.load(NEW)]
    data = score_province(load_communes(path), sets, catalog.measures).to_dict()
    assert data["transitions"] == {
        "kept": 0,
        "lost": 1,
        "gained": 0,
        "never": 0,
        "indeterminate": 0,
    }
    (lost,) = data["lost"]
    assert lost["commune"] == "Đắk Tăng"
    assert lost["source"] == {"file": str(path), "line": 24, "column": 1, "path": ""}
    assert lost["from_basis"] == "recorded_recognition"
    assert lost["recorded"] == {"set": OLD, "year": 2020, "tier": "standard"}
    assert lost["from_evaluated"] == "certified"
    insurance, stunting = lost["culprits"]
    assert insurance["indicator"] == "15.1" and insurance["from_indicator"] == "15.1"
    assert insurance["measure"] == "health_insurance_pct" and insurance["cause"] == "tightened"
    assert insurance["value"] == 87.2 and insurance["operator"] == ">="
    assert (insurance["threshold_from"], insurance["threshold_to"]) == (85, 90)
    assert data["units"]["health_insurance_pct"] == {"vi": "%", "en": "%"}
    assert stunting["indicator"] == "15.3" and stunting["operator"] == "<="
    assert (stunting["value"], stunting["threshold_from"], stunting["threshold_to"]) == (
        27.3,
        31.4,
        26.5,
    )


def test_batch_cli_json_equals_library(catalog):
    folder = str(EXAMPLES / "kon-tum")
    result = CliRunner().invoke(app, ["batch", folder, "--format", "json"])
    assert result.exit_code == 0, result.output
    expected = ntm_rules.score_province(read_communes(folder, catalog), catalog=catalog)
    assert [s.id for s in expected.sets] == [OLD, NEW]  # the default transition
    assert json.loads(result.stdout) == json.loads(json.dumps(expected.to_dict()))
    assert json.loads(result.stdout)["transitions"]["lost"] == 2


def test_batch_counts_communes_per_highest_tier(province, catalog):
    old, communes = province
    adv = catalog.load("ntm-advanced-2021-2025")
    data = score_province(communes, [old], catalog.measures, tier_sets=[old, adv]).to_dict()
    assert data["tiers"]["sets"] == {"standard": OLD, "advanced": "ntm-advanced-2021-2025"}
    assert data["tiers"]["highest"] == {"model": 0, "advanced": 0, "standard": 1, "none": 3}
    assert [r["highest_tier"] for r in data["results"]] == ["standard", None, None, None]
    # the use case: every tier in force at the end of the sets' period
    used = ntm_rules.score_province(communes, [old], catalog, tiers=True).to_dict()
    assert used["tiers"]["sets"] == {
        "standard": OLD,
        "advanced": "ntm-advanced-2021-2025",
        "model": "ntm-model-2021-2025",
    }
    assert used["tiers"]["highest"] == {"model": 0, "advanced": 0, "standard": 1, "none": 3}


def test_province_example_gives_the_same_answer_in_every_input_form(catalog):
    sets = [catalog.load(OLD), catalog.load(NEW)]
    results = []
    for name in ("communes.csv", "communes.xlsx", "communes.yaml"):
        path = EXAMPLES / "province" / name
        inputs = read_communes([path], catalog)
        assert inputs.issues == () and inputs.rows == 18
        data = score_province(inputs.communes, sets, catalog.measures).to_dict()
        sources = [row.pop("source") for row in data["results"]]
        assert {s["file"] for s in sources} == {str(path)}
        if name != "communes.yaml":  # one commune per spreadsheet row, after the header
            assert [s["line"] for s in sources] == list(range(2, 20))
        for row in data["lost"]:
            row.pop("source")
        results.append(data)
    assert results[0] == results[1] == results[2]
    assert results[0]["communes"] == 18
    assert results[0]["transitions"]["lost"] == 5


def test_batch_reports_skipped_rows_with_their_cell(tmp_path, catalog):
    with (EXAMPLES / "province" / "communes.csv").open(encoding="utf-8", newline="") as fh:
        rows = list(csv.reader(fh))
    column = rows[0].index("income_per_capita")
    rows[1][column] = "38,5 tr"
    bad = tmp_path / "communes.csv"
    with bad.open("w", encoding="utf-8", newline="") as fh:
        csv.writer(fh).writerows(rows)
    with pytest.raises(ntm_rules.InvalidFileError, match="bad-number"):
        read_communes(bad, catalog)
    inputs = read_communes(bad, catalog, strict=False)
    assert len(inputs.communes) == 17 and inputs.rows == 18
    data = ntm_rules.score_province(inputs, catalog=catalog).to_dict()
    assert data["communes"] == 17
    (error,) = data["row_errors"]
    assert error["file"] == str(bad) and error["row"] == 2
    assert error["column"] == "income_per_capita"
    assert column == 38 and error["cell"] == "AM2"  # the 39th column, as Excel names it
    assert error["code"] == "bad-number"
    # the command: the row is skipped and reported (stderr, JSON, report files); --strict stops
    page = tmp_path / "report.html"
    done = CliRunner().invoke(app, ["batch", str(bad), "--format", "json", "--html", str(page)])
    assert done.exit_code == 0, done.output
    assert f"{bad}:AM2 (income_per_capita)" in done.stderr and "bad-number" in done.stderr
    assert json.loads(done.stdout) == json.loads(json.dumps(data))
    assert "38,5 tr" in page.read_text(encoding="utf-8")
    strict = CliRunner().invoke(app, ["batch", str(bad), "--strict"])
    assert strict.exit_code == 2 and "bad-number" in strict.output


def test_batch_cli_writes_every_output_form(tmp_path):
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
    page = out["html"].read_text(encoding="utf-8")
    assert 'id="heatmap"' in page
    assert "TN — Tây Nguyên" in page  # region names from the catalog, in the report's language
    again = CliRunner().invoke(
        app, ["batch", str(EXAMPLES / "province" / "communes.xlsx"), "--html", str(out["html"])]
    )
    assert again.exit_code == 2  # exists: needs --force


def test_streamed_json_equals_the_whole(catalog):
    """The CLI writes a province's JSON in pieces (rows a thousand at a time): joined, they are
    byte for byte the JSON of the library's to_dict(); the rows in chunks are the rows."""
    from ntm_rules.report import json_bytes, json_pieces

    communes = [c for p in sorted(EXAMPLES.rglob("*.yaml")) for c in load_communes(p)]
    many = communes * (2100 // len(communes) + 1)  # three chunks of rows
    sets = [catalog.load(OLD), catalog.load(NEW)]
    tiers = [catalog.load(s) for s in ("ntm-2021-2025", "ntm-advanced-2021-2025")]
    result = score_province(many, sets, catalog.measures, tier_sets=tiers)
    pieces = list(json_pieces(result))
    assert len(pieces) > 10 and max(map(len, pieces)) < len(b"".join(pieces)) // 2
    assert b"".join(pieces) == json_bytes(result)
    assert json.loads(b"".join(pieces))["results"][2099]["commune"] == many[2099].name
    assert [row for chunk in result.row_chunks(7) for row in chunk] == result.rows()
    lost = result.to_dict()["lost"]
    assert len(lost) > 100
    assert [entry for chunk in result.lost_chunks(7) for entry in chunk] == lost
    assert result.to_dict()["lost_provisional"] == sum(e["provisional"] for e in lost)


def test_districts_written_two_ways_make_one_group(catalog):
    """A commune without a district and one whose district is "—" fall in one group, in input
    order; a district named with its province stays apart from the same name elsewhere."""
    base = make_commune(passing_measures(catalog.load("ntm-2021-2025")), recognition=RECOGNITION_OK)
    communes = [
        dataclasses.replace(base, name="A", district="", province="P"),
        dataclasses.replace(base, name="B", district="X", province="P"),
        dataclasses.replace(base, name="C", district="—", province="P"),
        dataclasses.replace(base, name="D", district="X", province="Q"),
        dataclasses.replace(base, name="E", district="", province=""),
    ]
    result = score_province(communes, [catalog.load("ntm-2021-2025")], catalog.measures)
    regions, districts = result._groups
    assert regions == {"TN": [0, 1, 2, 3, 4]}
    assert districts == {"— (P)": [0, 2], "X (P)": [1], "X (Q)": [3], "—": [4]}
    by_district = result.to_dict()["sets"]["ntm-2021-2025"]["by_district"]
    assert {k: v["total"] for k, v in by_district.items()} == {
        "— (P)": 2,
        "X (P)": 1,
        "X (Q)": 1,
        "—": 1,
    }
