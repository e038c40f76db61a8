"""A plan per commune: steps that exactly close the gaps, in the stated order, and the communes
within a few failing indicators of the standard."""

from __future__ import annotations

import dataclasses
import io
import json
from pathlib import Path
from typing import Any

import pytest
from rich.console import Console

import ntm_rules
from ntm_rules import Catalog, Commune
from ntm_rules.model.plan import Action, CommunePlan, Reach
from ntm_rules.model.requirements import Requirement
from ntm_rules.model.results import CheckResult, Evaluation, Status, Verdict
from ntm_rules.report.plan import plan_markdown, render_plan, render_within, within_markdown
from ntm_rules.score.kernel import Scorer
from ntm_rules.score.reach import within_reach_json
from ntm_rules.score.steps import (
    communes_within,
    count_measures,
    plan_for,
    target_of,
    within_reach,
)
from ntm_rules.words import Text

ROOT = Path(__file__).resolve().parent.parent
KON_TUM = ROOT / "examples" / "kon-tum"
OLD = "ntm-2016-2020"
MEASURES = ("schools_standard_pct", "multidimensional_poverty_pct")  # made ">" and "<" below

# Đắk Long under 2016–2020 (region TN): (rank, indicator, measure, value, target, change,
# closes, criteria met after the step). Groups: 5, 10, 11 and the recognition conditions have
# one failing indicator each (largest relative shortfall 12.9/70, 11.4/41, 24.2/31.2, 1);
# 2, 9, 13 two each (all with a yes/no step: 1, then the set's order); 17 six.
DAK_LONG = [
    (1, "5", "schools_standard_pct", 57.1, 70, 12.9, "5", 13),
    (2, "10", "income_per_capita", 29.6, 41, 11.4, "10", 14),
    (3, "11", "multidimensional_poverty_pct", 31.2, 7, -24.2, "11", 15),
    (4, "R1", "registered_in_plan", False, True, None, "recognition", 15),
    (5, "2.2", "village_roads_standard_met", False, True, None, "", 15),
    (6, "2.4", "field_roads_standard_met", False, True, None, "2", 16),
    (7, "9.2", "standard_housing_pct", 62, 75, 13.0, "", 16),
    (8, "9.1", "temporary_houses", 22, 0, -22.0, "9", 17),
    (9, "13.1", "cooperative_per_law", False, True, None, "", 17),
    (10, "13.2", "production_linkage_model", False, True, None, "13", 18),
    (11, "17.1", "hygienic_water_pct", 86, 95, 9.0, "", 18),
    (12, "17.8", "food_safety_compliance_pct", 90, 100, 10.0, "", 18),
    (13, "17.2", "establishments_env_compliant_pct", 85, 100, 15.0, "", 18),
    (14, "17.1", "clean_water_pct", 35, 50, 15.0, "", 18),
    (15, "17.6", "sanitary_facilities_3sach_pct", 48, 70, 22.0, "", 18),
    (16, "17.7", "hygienic_livestock_pens_pct", 35, 60, 25.0, "", 18),
    (17, "17.5", "waste_collected_treated", False, True, None, "17", 19),
]


def _commune(name: str) -> Commune:
    path = KON_TUM / f"{name}.yaml" if "/" not in name else ROOT / name
    return ntm_rules.read_communes(path).communes[0]


def _evaluate(commune: Commune, set_id: str = OLD, catalog: Catalog | None = None) -> Evaluation:
    cat = catalog or Catalog()
    return ntm_rules.evaluate(commune, cat.load(set_id), cat)


def _applied(commune: Commune, plan: CommunePlan, **changed: Any) -> Commune:
    """The commune with every target of the plan reached (`changed` overrides some)."""
    return dataclasses.replace(commune, measures={**commune.measures, **plan.targets(), **changed})


@pytest.fixture(scope="module")
def dak_long() -> tuple[Commune, CommunePlan]:
    commune = _commune("dak-long")
    return commune, plan_for(_evaluate(commune))


def test_the_plan_of_dak_long_step_by_step(dak_long: tuple[Commune, CommunePlan]) -> None:
    _, plan = dak_long
    found = [
        (s.rank, s.indicator, s.measure, s.value, s.target, s.change, s.closes, s.criteria_met)
        for s in plan.steps
    ]
    assert found == DAK_LONG
    assert plan.verdict == Verdict.NOT_CERTIFIED
    assert (plan.criteria_met, plan.criteria_after, plan.criteria_total) == (12, 19, 19)
    assert plan.failing == 16  # 15 indicators and the recognition condition R1
    assert plan.closed == ("5", "10", "11", "recognition", "2", "9", "13", "17")
    assert plan.reach == Reach.REACHES
    assert plan.undecided == ()
    first = plan.steps[0]
    assert first.action == Action.RAISE
    assert (first.operator, first.threshold, first.verified) == (">=", 70, False)
    assert first.shortfall == pytest.approx(12.9 / 70)
    assert first.closed_as == "pass"
    assert [s.action for s in plan.steps[2:4]] == [Action.LOWER, Action.ACHIEVE]
    assert plan.steps[7].shortfall == 1.0  # 22 temporary houses down to 0: the whole way


def test_the_stated_order_holds(dak_long: tuple[Commune, CommunePlan]) -> None:
    _, plan = dak_long
    groups: list[str] = []
    for s in plan.steps:
        if not groups or groups[-1] != s.criterion:
            groups.append(s.criterion)
    assert groups == ["5", "10", "11", "recognition", "2", "9", "13", "17"]
    failing = {g: len({s.indicator for s in plan.steps if s.criterion == g}) for g in groups}
    largest = {g: max(s.shortfall for s in plan.steps if s.criterion == g) for g in groups}
    keys = [(failing[g], largest[g]) for g in groups]
    assert keys == sorted(keys)  # fewest failing indicators, then smallest largest shortfall
    for g in groups:  # inside a criterion: smallest relative shortfall first
        inside = [s.shortfall for s in plan.steps if s.criterion == g]
        assert inside == sorted(inside)
    assert plan.to_dict()["order"]["en"].startswith(
        "Order: the criterion with the fewest failing indicators first"
    )


def test_the_steps_exactly_close_the_gaps(dak_long: tuple[Commune, CommunePlan]) -> None:
    commune, plan = dak_long
    after = _evaluate(_applied(commune, plan))
    assert after.verdict == Verdict.CERTIFIED
    assert (after.criteria_met, after.criteria_total) == (19, 19)
    gaps = {c.measure: c.gap for i in after.indicators() for c in i.checks}
    for step in plan.steps:  # every numeric step passes exactly at the threshold
        if step.change is not None:
            assert gaps[step.measure] == 0.0
    # a tenth short on one step, and the commune is not certified: the targets are minimal
    short = _evaluate(_applied(commune, plan, schools_standard_pct=69.9))
    assert short.verdict == Verdict.NOT_CERTIFIED
    assert [c.id for c in short.criteria if str(c.status) == "fail"] == ["5"]
    over = _evaluate(_applied(commune, plan, multidimensional_poverty_pct=7.1))
    assert [c.id for c in over.criteria if str(c.status) == "fail"] == ["11"]


def test_one_step_away() -> None:
    commune = _commune("mang-but")
    plan = plan_for(_evaluate(commune))
    assert [(s.measure, s.value, s.target, s.change) for s in plan.steps] == [
        ("multidimensional_poverty_pct", 8.4, 7, -1.4)
    ]
    assert plan.steps[0].shortfall == pytest.approx(1.4 / 8.4)
    assert plan.steps[0].criteria_met == 19
    assert _evaluate(_applied(commune, plan)).verdict == Verdict.CERTIFIED


def test_strict_operators_move_one_smallest_step(criteria_copy: Path) -> None:
    path = criteria_copy / "ntm-2016-2020.yaml"
    text = path.read_text(encoding="utf-8")
    for measure, old, new in (
        ("schools_standard_pct", '">="', '">"'),
        ("multidimensional_poverty_pct", '"<="', '"<"'),
    ):
        head = f"measure: {measure}\n        operator: "
        assert head + old in text
        text = text.replace(head + old, head + new)
    path.write_text(text, encoding="utf-8")
    catalog = Catalog(criteria_copy)
    commune = _commune("dak-long")
    plan = plan_for(_evaluate(commune, catalog=catalog), whole=count_measures(catalog.measures))
    schools, poverty = (next(s for s in plan.steps if s.measure == m) for m in MEASURES)
    assert (schools.operator, schools.target, schools.change) == (">", 70.1, 13.0)
    assert (poverty.operator, poverty.target, poverty.change) == ("<", 6.9, -24.3)
    assert _evaluate(_applied(commune, plan), catalog=catalog).verdict == Verdict.CERTIFIED
    at = _evaluate(_applied(commune, plan, schools_standard_pct=70), catalog=catalog)
    assert at.verdict == Verdict.NOT_CERTIFIED  # "> 70" fails at exactly 70
    assert "temporary_houses" in count_measures(catalog.measures)


def _check(operator: str, threshold: Any, measure: str = "m") -> CheckResult:
    return CheckResult(measure, Status.FAIL, 1, operator, threshold, None, Text("", ""),
                       True, None, "by_region", None)  # fmt: skip


@pytest.mark.parametrize(
    ("operator", "threshold", "whole", "target"),
    [
        (">=", 90, False, 90),
        ("<=", 7.5, False, 7.5),
        ("==", 3, False, 3),
        (">", 90, False, 90.1),
        (">", 7.25, False, 7.26),
        ("<", 5, False, 4.9),
        ("<", 0.05, False, 0.04),
        (">", 3, True, 4),
        (">", 2.5, True, 3),
        ("<", 2.5, True, 2),
        ("<", 1, True, 0),
        ("is true", True, False, True),
        (">=", None, False, None),
    ],
)
def test_target_rule(operator: str, threshold: Any, whole: bool, target: Any) -> None:
    found = target_of(_check(operator, threshold), {"m"} if whole else ())
    assert found == target
    assert type(found) is type(target)


def test_undecided_checks_left_after_the_steps() -> None:
    base = _commune("dak-long")
    commune = dataclasses.replace(
        base, measures={k: v for k, v in base.measures.items() if k != "clean_water_pct"}
    )
    plan = plan_for(_evaluate(commune))
    assert "clean_water_pct" not in {s.measure for s in plan.steps}
    last = plan.steps[-1]
    assert (last.closes, last.closed_as, last.criteria_met) == ("17", "indeterminate", 18)
    assert plan.criteria_after == 18
    assert plan.reach == Reach.IF_UNDECIDED_PASS
    assert plan.undecided == (
        Requirement("data", "17", "17.1", "clean_water_pct", ">=", None, 50, Text("%", "%"),
                    "TN", None),
    )  # fmt: skip
    after = _evaluate(_applied(commune, plan))
    assert after.verdict == Verdict.INDETERMINATE
    assert after.conditions == plan.undecided
    assert _evaluate(_applied(commune, plan, clean_water_pct=50)).verdict == Verdict.CERTIFIED


def test_an_indeterminate_commune_has_only_conditions() -> None:
    ev = _evaluate(_commune("examples/missing-data.yaml"))
    plan = plan_for(ev)
    assert plan.steps == ()
    assert plan.reach == Reach.IF_UNDECIDED_PASS
    assert plan.undecided == ev.conditions
    assert len(plan.undecided) == 10


def test_certified_and_blocked_communes() -> None:
    plan = plan_for(_evaluate(_commune("ngok-tem")))
    assert (plan.reach, plan.steps, plan.undecided) == (Reach.CERTIFIED, (), ())
    advanced = plan_for(_evaluate(_commune("mang-but"), "ntm-advanced-2021-2025"))
    assert advanced.reach == Reach.NEEDS_PREREQUISITE
    assert advanced.prerequisites == ("ntm-2021-2025",)


COMMUNES = ["dak-long", "dak-nen", "dak-ring", "dak-tang", "hieu", "mang-but", "ngok-tem"]


def test_communes_within_reach() -> None:
    communes = [_commune(n) for n in COMMUNES] + [_commune("examples/missing-data.yaml")]
    cat = Catalog()
    evaluations = [_evaluate(c, catalog=cat) for c in communes]
    # hand-counted failing indicators (recognition R1 included): Đắk Long 16, Đắk Nên 14,
    # Đắk Ring 20, Hiếu 16, Măng Bút 1; Đắk Tăng and Ngọk Tem certified; Hà Mòn 0 failing and
    # 10 undecided (indeterminate)
    near = communes_within(evaluations, 14, communes)
    assert [(r.name, r.failing, r.undecided, r.criteria_failing) for r in near.rows] == [
        ("Hà Mòn", 0, 10, 0),
        ("Măng Bút", 1, 0, 1),
        ("Đắk Nên", 14, 0, 6),
    ]
    wider = communes_within(evaluations, 16, communes)
    assert [(r.name, r.failing, r.index) for r in wider.rows][3:] == [
        ("Đắk Long", 16, 0),
        ("Hiếu", 16, 4),
    ]
    assert communes_within(evaluations, 0, communes).to_dict()["count"] == 1
    assert len(communes_within(evaluations, 99, communes).rows) == 6
    # the same rows column-wise, from the kernel's arrays
    scores = Scorer(communes).score(cat.load(OLD))
    assert within_reach(scores, 16) == wider
    for k in (0, 1, 14, 16, 99):  # the batch JSON's list, built without an object per row
        assert within_reach_json(scores, k) == within_reach(scores, k).to_dict()
    assert json.loads(json.dumps(wider.to_dict()))["communes"][0]["commune"] == "Hà Mòn"


def _text(plan: CommunePlan, lang: str) -> str:
    console = Console(record=True, width=220, color_system=None)
    render_plan(plan, lang, console, "Đắk Long")
    return console.export_text()


def test_rendering_in_both_languages(dak_long: tuple[Commune, CommunePlan]) -> None:
    _, plan = dak_long
    vi, en = _text(plan, "vi"), _text(plan, "en")
    assert "Kế hoạch đạt chuẩn ntm-2016-2020" in vi
    assert "57,1%" in vi and "+12,9 điểm %" in vi and "−24,2 điểm %" in vi
    assert "29,6 triệu đồng/người/năm" in vi
    assert "Làm đủ các bước trên, xã đạt chuẩn (19/19 tiêu chí)." in vi
    assert "57.1%" in en and "+12.9 points" in en and "−24.2 points" in en
    assert "the commune reaches the standard (19/19 criteria)" in en
    assert "Order: the criterion with the fewest failing indicators first" in en
    md_vi = plan_markdown(plan, "vi", "Đắk Long")
    assert (
        "| 1 | 5 | 5 | schools_standard_pct | nâng lên | 57,1% | 70% * | +12,9 điểm % "
        "| 5 ✓ | 13/19 |" in md_vi.splitlines()
    )
    md_en = plan_markdown(plan, "en")
    assert (
        "| 4 | Recognition conditions | R1 | registered_in_plan | achieve | no | achieved |  "
        "| Recognition conditions ✓ | 15/19 |" in md_en.splitlines()
    )


def test_rendering_undecided_and_within() -> None:
    plan = plan_for(_evaluate(_commune("examples/missing-data.yaml")))
    text = _text(plan, "en")
    assert "No indicator fails: the commune reaches the standard if the undecided" in text
    assert "≥ 41 million VND/person/year" in text
    communes = [_commune("mang-but"), _commune("dak-nen")]
    near = communes_within([_evaluate(c) for c in communes], 14, communes)
    console = Console(record=True, width=200, color_system=None)
    render_within(near, "vi", console)
    out = console.export_text()
    assert "Các xã chưa đạt chuẩn còn không quá 14 chỉ tiêu không đạt" in out
    assert "Măng Bút" in out and "Đắk Nên" in out
    md = within_markdown(near, "en").splitlines()
    assert md[0] == "### Communes not certified within 14 failing indicators of the standard"
    assert "| Măng Bút | ntm-2016-2020 | NOT CERTIFIED | 1 | 1 | 0 | 18/19 |" in md
    assert within_markdown(communes_within([], 3), "en").splitlines()[2] == "No commune."


def test_plan_json(dak_long: tuple[Commune, CommunePlan]) -> None:
    _, plan = dak_long
    data = json.loads(json.dumps(plan.to_dict(), ensure_ascii=False))
    assert data["reach"] == "reaches"
    assert (data["failing"], data["criteria_after"]) == (16, 19)
    assert data["steps"][1] == {
        "rank": 2,
        "criterion": "10",
        "criterion_name": data["steps"][1]["criterion_name"],
        "indicator": "10",
        "indicator_text": data["steps"][1]["indicator_text"],
        "measure": "income_per_capita",
        "action": "raise",
        "value": 29.6,
        "operator": ">=",
        "threshold": 41,
        "target": 41,
        "change": 11.4,
        "shortfall": 0.278,
        "unit": {"vi": "triệu đồng/người/năm", "en": "million VND/person/year"},
        "verified": True,
        "closes": "10",
        "closed_as": "pass",
        "criteria_met": 14,
    }


def test_check_with_plans() -> None:
    from ntm_rules import api
    from ntm_rules.model.plan import PlanRun
    from ntm_rules.report import render

    cat = Catalog()
    communes = [_commune("mang-but"), _commune("ngok-tem")]
    run = api.assess_many(communes, cat, [cat.load(OLD)])
    result = PlanRun(run, tuple(tuple(plan_for(ev) for ev in r.evaluations) for r in run.reports))
    data = result.to_dict()
    assert [[p["reach"] for p in r["plans"]] for r in data["reports"]] == [
        ["reaches"],
        ["certified"],
    ]
    assert data["reports"][0]["plans"][0]["steps"][0]["target"] == 7
    assert not result.certified
    console = Console(record=True, width=200, color_system=None)
    render(result, "table", "vi", console)
    text = console.export_text()
    assert "Măng Bút, Kon Plông, Kon Tum — Kế hoạch đạt chuẩn ntm-2016-2020" in text
    assert "Xã đã đạt chuẩn theo ntm-2016-2020: không cần bước nào." in text
    out = io.StringIO()
    render(result, "markdown", "en", Console(file=out, width=200))
    assert "### Măng Bút, Kon Plông, Kon Tum — Plan to reach the standard of ntm-2016-2020" in (
        out.getvalue().splitlines()
    )


def test_check_plan_from_the_command_line() -> None:
    from typer.testing import CliRunner

    from ntm_rules.cli import app

    path = "examples/regions/tn-gia-lai.yaml"
    done = CliRunner().invoke(app, ["check", path, "--plan", "--format", "json"])
    assert done.exit_code == 0, done.output
    report = json.loads(done.stdout)["reports"][0]
    assert report["plans"] and report["plans"][0]["steps"]
    text = CliRunner().invoke(app, ["check", path, "--plan", "--lang", "en"]).stdout
    assert "Plan to reach the standard" in text
