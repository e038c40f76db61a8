"""The scoring core on the shipped sets: exact values at threshold boundaries, per operator and
region, income by year, the special-category region rule, and missing vs unknown vs fail."""

from __future__ import annotations

import pytest

from ntm_rules import Catalog, CriterionStatus, Status, Verdict, evaluate
from ntm_rules.score.engine import criterion_status

from .conftest import make_commune


def status_of(catalog: Catalog, set_id: str, indicator: str, measures: dict, **kw) -> Status:
    ev = evaluate(make_commune(measures, **kw), catalog.load(set_id))
    for crit in ev.criteria:
        for ind in crit.indicators:
            if ind.id == indicator:
                return ind.status
    raise AssertionError(f"no indicator {indicator}")


def result_of(catalog: Catalog, set_id: str, indicator: str, measures: dict, **kw):
    ev = evaluate(make_commune(measures, **kw), catalog.load(set_id))
    return next(i for c in ev.criteria for i in c.indicators if i.id == indicator)


# --- ">=" : 2016-2020 income (criterion 10), 2020 level, verified per region ----------------
@pytest.mark.parametrize(
    ("region", "level"),
    [
        ("TN", 41),
        ("TDMNPB", 36),
        ("DBSH", 50),
        ("BTB", 36),
        ("DHNTB", 41),
        ("DNB", 59),
        ("DBSCL", 50),
    ],
)
def test_income_2020_boundary_per_region(catalog, region, level):
    at = result_of(
        catalog, "ntm-2016-2020", "10", {"income_per_capita": level}, region=region, year=2020
    )
    assert at.status == Status.PASS
    assert at.primary.gap == 0
    assert at.primary.threshold == level
    assert at.verified is True
    above = status_of(
        catalog,
        "ntm-2016-2020",
        "10",
        {"income_per_capita": level + 0.01},
        region=region,
        year=2020,
    )
    below = result_of(
        catalog,
        "ntm-2016-2020",
        "10",
        {"income_per_capita": level - 0.01},
        region=region,
        year=2020,
    )
    assert above == Status.PASS
    assert below.status == Status.FAIL
    assert below.primary.gap == pytest.approx(-0.01)


def test_income_year_before_known_levels_is_unknown(catalog):
    # 2016-2019 income levels are gaps in the sources: never a pass or a fail.
    for year in (2016, 2017, 2018, 2019):
        res = result_of(
            catalog, "ntm-2016-2020", "10", {"income_per_capita": 100}, region="TN", year=year
        )
        assert res.status == Status.UNKNOWN, year
        assert res.primary.threshold is None


def test_income_after_period_uses_last_year(catalog):
    res = result_of(
        catalog, "ntm-2016-2020", "10", {"income_per_capita": 41}, region="TN", year=2024
    )
    assert res.status == Status.PASS
    assert res.primary.year_used == 2020


def test_income_year_before_first_entry_is_unknown(catalog):
    res = result_of(
        catalog, "ntm-2016-2020", "10", {"income_per_capita": 99}, region="TN", year=2015
    )
    assert res.status == Status.UNKNOWN


# --- "<=" : 2016-2020 poverty (criterion 11) and stunting (15.3) -----------------------------
@pytest.mark.parametrize(
    ("region", "ceiling"),
    [
        ("TDMNPB", 12),
        ("DBSH", 2),
        ("BTB", 5),
        ("DHNTB", 5),
        ("TN", 7),
        ("DNB", 1),
        ("DBSCL", 4),
    ],
)
def test_poverty_ceiling_boundary(catalog, region, ceiling):
    at = result_of(
        catalog, "ntm-2016-2020", "11", {"multidimensional_poverty_pct": ceiling}, region=region
    )
    assert at.status == Status.PASS and at.primary.gap == 0
    over = result_of(
        catalog,
        "ntm-2016-2020",
        "11",
        {"multidimensional_poverty_pct": ceiling + 0.1},
        region=region,
    )
    assert over.status == Status.FAIL
    assert over.primary.gap == pytest.approx(-0.1)
    under = result_of(
        catalog,
        "ntm-2016-2020",
        "11",
        {"multidimensional_poverty_pct": ceiling - 0.1},
        region=region,
    )
    assert under.status == Status.PASS
    assert under.primary.gap == pytest.approx(0.1)


@pytest.mark.parametrize(("region", "ceiling"), [("TN", 31.4), ("DBSH", 13.9), ("DNB", 14.3)])
def test_stunting_is_a_ceiling(catalog, region, ceiling):
    assert (
        status_of(catalog, "ntm-2016-2020", "15.3", {"stunting_under5_pct": ceiling}, region=region)
        == Status.PASS
    )
    assert (
        status_of(
            catalog, "ntm-2016-2020", "15.3", {"stunting_under5_pct": ceiling + 0.05}, region=region
        )
        == Status.FAIL
    )


# --- regional ">=" with values differing by region: 14.2 -----------------------------------
@pytest.mark.parametrize(("region", "level"), [("TDMNPB", 70), ("DBSH", 90), ("DBSCL", 80)])
def test_lower_secondary_continuing_per_region(catalog, region, level):
    assert (
        status_of(
            catalog,
            "ntm-2016-2020",
            "14.2",
            {"lower_secondary_continuing_pct": level},
            region=region,
        )
        == Status.PASS
    )
    assert (
        status_of(
            catalog,
            "ntm-2016-2020",
            "14.2",
            {"lower_secondary_continuing_pct": level - 0.5},
            region=region,
        )
        == Status.FAIL
    )


# --- "is true" ---------------------------------------------------------------------------
def test_boolean_indicator(catalog):
    ok = result_of(catalog, "ntm-2016-2020", "1.1", {"construction_plan_approved": True})
    assert ok.status == Status.PASS and ok.primary.gap is None
    assert (
        status_of(catalog, "ntm-2016-2020", "1.1", {"construction_plan_approved": False})
        == Status.FAIL
    )


def test_temporary_houses_zero_allowed(catalog):
    assert status_of(catalog, "ntm-2016-2020", "9.1", {"temporary_houses": 0}) == Status.PASS
    res = result_of(catalog, "ntm-2016-2020", "9.1", {"temporary_houses": 1})
    assert res.status == Status.FAIL and res.primary.gap == -1


# --- missing vs unknown vs fail -----------------------------------------------------------
def test_missing_is_neither_pass_nor_fail(catalog):
    res = result_of(catalog, "ntm-2016-2020", "10", {}, region="TN", year=2020)
    assert res.status == Status.MISSING
    assert res.primary.value is None and res.primary.gap is None


def test_missing_wins_over_unknown_threshold(catalog):
    res = result_of(catalog, "ntm-2016-2020", "10", {}, region="TN", year=2017)
    assert res.status == Status.MISSING


def test_unknown_threshold_in_2021_2025_income(catalog):
    res = result_of(
        catalog, "ntm-2021-2025", "10", {"income_per_capita": 500}, region="DBSH", year=2024
    )
    assert res.status == Status.UNKNOWN
    assert "not known" in res.reason.en


def test_two_checks_fail_if_either_fails(catalog):
    ind = catalog.load("ntm-2016-2020").indicator("17.1")
    assert ind is not None and len(ind.checks) == 2
    res = result_of(
        catalog,
        "ntm-2016-2020",
        "17.1",
        {"hygienic_water_pct": 99, "clean_water_pct": 10},
        region="DBSH",
    )
    assert res.status == Status.FAIL
    assert res.primary.measure == "clean_water_pct"


def test_criterion_status_rules():
    assert criterion_status([Status.PASS, Status.FAIL, Status.MISSING]) == CriterionStatus.FAIL
    assert criterion_status([Status.PASS, Status.MISSING]) == CriterionStatus.INDETERMINATE
    assert criterion_status([Status.PASS, Status.UNKNOWN]) == CriterionStatus.INDETERMINATE
    assert criterion_status([Status.PASS, Status.NOT_APPLICABLE]) == CriterionStatus.PASS
    assert criterion_status([Status.NOT_APPLICABLE]) == CriterionStatus.NOT_APPLICABLE


def test_verdict_indeterminate_when_only_data_missing(catalog):
    ev = evaluate(make_commune({}, year=2020), catalog.load("ntm-2016-2020"))
    assert ev.verdict == Verdict.INDETERMINATE
    assert ev.criteria_met == 0


# --- special-category region rule (2021-2025) -------------------------------------------------
@pytest.mark.parametrize(
    ("categories", "applied"),
    [
        ((), "TN"),
        (("dbkk",), "TN"),  # the district clause is not met
        (("poor_district",), "TN"),  # nor the commune clause
        (("dbkk", "poor_district"), "TDMNPB"),
        (("atk", "district_escaped_poverty_2018_2020"), "TDMNPB"),
    ],
)
def test_special_communes_are_assessed_at_tdmnpb_levels(catalog, categories, applied):
    ev = evaluate(
        make_commune({}, region="TN", year=2022, categories=categories),
        catalog.load("ntm-2021-2025"),
    )
    assert ev.region_applied == applied
    if applied == "TDMNPB":
        assert "TDMNPB" in ev.region_reason.en
        assert ev.provisional is True  # the reading of the rule is unverified


def test_overlay_can_replace_region_rules(catalog, criteria_copy):
    overlay = criteria_copy / "overlays" / "my-reading.yaml"
    overlay.write_text(
        """kind: overlay
id: my-reading
extends: ntm-2021-2025
title: {vi: Thử, en: Test}
province: Kon Tum
decision: "1/QĐ-UBND"
issued: "2023-01-01"
partial: true
sources:
  kt-1: {citation: "Kon Tum test decision", kind: provincial}
region_rules:
  - id: dbkk-alone
    categories: [dbkk]
    use_region: TDMNPB
    verified: true
    source: kt-1
""",
        encoding="utf-8",
    )
    from ntm_rules import Catalog

    s = Catalog(criteria_copy).load("my-reading")
    ev = evaluate(make_commune({}, region="TN", year=2022, categories=("dbkk",)), s)
    assert ev.region_applied == "TDMNPB"


def test_region_rule_does_not_exist_in_2016_2020(catalog):
    ev = evaluate(
        make_commune({}, region="TN", categories=("dbkk",)), catalog.load("ntm-2016-2020")
    )
    assert ev.region_applied == "TN"


def test_provisional_when_unverified_threshold_decides(catalog):
    # 3.1 irrigation: national 80% applied to every region is unverified.
    ev = evaluate(make_commune({"irrigated_farmland_pct": 85}), catalog.load("ntm-2016-2020"))
    assert "3.1" in ev.unverified_thresholds
    assert ev.provisional is True
