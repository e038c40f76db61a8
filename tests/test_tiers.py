"""Tiers: prerequisites as data, the model tier's 110% income rule, highest tier and gaps."""

from __future__ import annotations

import dataclasses

import pytest

from ntm_rules import Catalog, Verdict
from ntm_rules.api import assess, assess_tiers
from ntm_rules.score.tiers import summarize

from .conftest import make_commune
from .helpers import RECOGNITION_OK, passing_measures


def test_advanced_pass_without_standard_is_not_advanced(catalog):
    adv = catalog.load("ntm-advanced-2021-2025")
    assert adv.requires == ("ntm-2021-2025",)
    measures = {**passing_measures(adv), "key_products_traceability": False}
    commune = make_commune(measures, region="TN", year=2024, recognition=RECOGNITION_OK)
    report = assess(commune, [adv], catalog)
    ev = report.evaluations[0]
    assert ev.prerequisites == (("ntm-2021-2025", "not_certified"),)
    assert ev.verdict == Verdict.NOT_CERTIFIED


def _with_advanced_income(criteria_copy, level: float) -> Catalog:
    """A criteria copy whose advanced set knows the TN 2024 income level."""
    path = criteria_copy / "ntm-advanced-2021-2025.yaml"
    text = path.read_text(encoding="utf-8")
    overlay = criteria_copy / "overlays" / "test-adv-income.yaml"
    overlay.write_text(
        f"""kind: overlay
id: test-adv-income
extends: ntm-advanced-2021-2025
title: {{vi: Thử, en: Test}}
province: Kon Tum
decision: "1/QĐ-UBND"
issued: "2024-01-01"
partial: true
sources:
  t-1: {{citation: "test level", url: "https://example.org/t-1", kind: provincial}}
replace:
  "10":
    threshold:
      by_year:
        2024:
          by_region:
            TN: {{value: {level}, verified: true, source: t-1}}
""",
        encoding="utf-8",
    )
    assert "ntm-advanced-2021-2025" in text
    return Catalog(criteria_copy)


@pytest.mark.parametrize(("income", "status"), [(55, "pass"), (54.99, "fail"), (56, "pass")])
def test_model_income_is_110_percent_of_the_advanced_level(criteria_copy, income, status):
    model_path = criteria_copy / "ntm-model-2021-2025.yaml"
    text = model_path.read_text(encoding="utf-8")
    model_path.write_text(
        text.replace("set: ntm-advanced-2021-2025", "set: test-adv-income"), encoding="utf-8"
    )
    catalog = _with_advanced_income(criteria_copy, 50)
    model = catalog.load("ntm-model-2021-2025")
    indicator = next(i for i in model.indicators if i.measure == "income_per_capita")
    cell = indicator.checks[0].threshold.resolve("TN", 2024).cell
    assert cell is not None and cell.value == pytest.approx(55)
    assert cell.verified is True  # base verified (test overlay) and rule verified (319)
    commune = make_commune({"income_per_capita": income}, region="TN", year=2024)
    from ntm_rules import evaluate

    ev = evaluate(commune, model)
    res = next(i for c in ev.criteria for i in c.indicators if i.id == indicator.id)
    assert str(res.status) == status
    if status == "fail":
        assert res.primary.gap == pytest.approx(-0.01)


def test_model_income_unknown_while_advanced_level_is_a_gap(catalog):
    model = catalog.load("ntm-model-2021-2025")
    income = next(i for i in model.indicators if i.measure == "income_per_capita")
    cell = income.checks[0].threshold.resolve("TN", 2024).cell
    assert cell is not None and cell.value is None


def test_tier_summary_on_examples(catalog):
    from ntm_rules import load_communes

    po_e = load_communes("examples/kon-tum/po-e.yaml")[0]
    report = assess_tiers(po_e, catalog)
    assert [e.tier for e in report.evaluations] == ["standard", "advanced", "model"]
    data = report.to_dict()
    tiers = data["tiers"]
    assert tiers["highest_tier"] is None  # 2021-2025 standard is undetermined (gaps)
    assert tiers["next_tier"] == "standard"
    assert tiers["next_tier_set"] == "ntm-2021-2025"
    assert tiers["next_tier_gaps"]
    assert all(g["status"] != "pass" for g in tiers["next_tier_gaps"])
    ngok_tem = load_communes("examples/kon-tum/ngok-tem.yaml")[0]
    gaps = assess_tiers(ngok_tem, catalog).to_dict()["tiers"]["next_tier_gaps"]
    c13 = next(g for g in gaps if g["criterion"] == "13")
    assert c13["status"] == "fail"
    assert [i["id"] for i in c13["indicators"]] == ["13.3"]


def test_summary_highest_tier():
    from ntm_rules.model.results import CriterionStatus, Evaluation, RecognitionResult
    from ntm_rules.words import Text

    def ev(tier: str, verdict: Verdict) -> Evaluation:
        return Evaluation(
            f"s-{tier}",
            Text("", ""),
            "",
            tier,
            "TN",
            "TN",
            Text("", ""),
            2024,
            verdict,
            False,
            0,
            0,
            (),
            RecognitionResult(CriterionStatus.NOT_APPLICABLE, ()),
            None,
        )

    s = summarize(
        [
            ev("standard", Verdict.CERTIFIED),
            ev("advanced", Verdict.INDETERMINATE),
            ev("model", Verdict.NOT_CERTIFIED),
        ]
    )
    assert (s.highest_tier, s.next_tier, s.next_tier_verdict) == (
        "standard",
        "advanced",
        "indeterminate",
    )
    s2 = summarize(
        [
            ev("standard", Verdict.CERTIFIED),
            ev("advanced", Verdict.CERTIFIED),
            ev("model", Verdict.CERTIFIED),
        ]
    )
    assert (s2.highest_tier, s2.next_tier) == ("model", None)
    assert dataclasses.asdict(s2)["next_tier_gaps"] == ()
