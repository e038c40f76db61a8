"""The decision kernel: exact values at threshold boundaries on the shipped sets, per operator and
region, income by year, the special-category region rule, missing vs unknown vs fail; and each
rule of the kernel on small sets built here (status precedence, deciding check, verification,
criterion status, verdict, prerequisites, provisional)."""

from __future__ import annotations

import pytest

from ntm_rules import Catalog, Status, Verdict, evaluate
from ntm_rules.model.criteria import (
    Cell,
    Check,
    Condition,
    CriteriaSet,
    Criterion,
    Indicator,
    RegionValues,
    Source,
    Threshold,
)
from ntm_rules.score.kernel import Scorer
from ntm_rules.words import Text

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


SRC = Source("t", "test")


def _threshold(value: object, verified: bool = True) -> Threshold:
    return Threshold(RegionValues(all_regions=Cell(value, verified, SRC)))  # type: ignore[arg-type]


def _indicator(
    ind_id: str, *checks: tuple[str, str, object, bool], applies_if: Condition | None = None
) -> Indicator:
    return Indicator(
        ind_id,
        Text(ind_id, ind_id),
        tuple(Check(m, op, _threshold(v, ver)) for m, op, v, ver in checks),
        applies_if,
    )


def _set(*criteria: tuple[Indicator, ...], requires: tuple[CriteriaSet, ...] = ()) -> CriteriaSet:
    return CriteriaSet(
        id="t",
        title=Text("t", "t"),
        decision="test",
        issued="2020-01-01",
        period=(2020, 2025),
        tier="standard",
        criteria=tuple(
            Criterion(str(k), Text(str(k), str(k)), "", inds) for k, inds in enumerate(criteria, 1)
        ),
        required_sets=requires,
    )


A = ("a", ">=", 10, True)  # a >= 10, verified
B = ("b", "<=", 5, False)  # b <= 5, unverified
U = ("u", ">=", None, False)  # threshold unknown


def _score(cset: CriteriaSet, **measures: object):  # type: ignore[no-untyped-def]
    scores = Scorer([make_commune(dict(measures))]).score(cset)
    return scores


@pytest.mark.parametrize(
    ("measures", "status", "decider"),
    [
        ({"a": 10, "b": 5}, "pass", 0),  # both pass; the first check is the deciding one
        ({"a": 9.99, "b": 5}, "fail", 0),
        ({"a": 10, "b": 5.01}, "fail", 1),
        ({"b": 9}, "fail", 1),  # a fail beats a missing value
        ({"b": 1}, "missing", 0),
        ({"a": 11}, "missing", 1),
    ],
)
def test_an_indicator_is_its_worst_check(measures, status, decider):
    cset = _set((_indicator("1", A, B),))
    scores = _score(cset, **measures)
    assert str(Status(_status(scores))) == status
    assert int(scores.decider[0, 0]) == decider


def _status(scores) -> str:  # type: ignore[no-untyped-def]
    from ntm_rules.score.kernel import STATUS

    return str(STATUS[int(scores.status[0, 0])])


def test_missing_beats_unknown_and_unknown_beats_pass():
    cset = _set((_indicator("1", A, U),))
    assert _status(_score(cset, a=10, u=1)) == "unknown"
    assert _status(_score(cset, a=10)) == "missing"
    assert _status(_score(cset, u=1)) == "missing"


def test_verification_of_a_decision():
    cset = _set((_indicator("1", A, B),))
    # a pass rests on every check's threshold: b's is unverified
    assert int(_score(cset, a=10, b=5).verified[0, 0]) == 0
    # a fail on the verified check is a verified failure, even though b's threshold is not
    assert int(_score(cset, a=1, b=5).verified[0, 0]) == 1
    # a fail only on the unverified check is not
    assert int(_score(cset, a=10, b=6).verified[0, 0]) == 0
    assert bool(_score(cset, a=10, b=6).provisional[0]) is True
    assert bool(_score(cset, a=1, b=5).provisional[0]) is False


def test_applies_if():
    cond = Condition("c", "is true", True)
    cset = _set((_indicator("1", A, applies_if=cond),))
    assert _status(_score(cset, a=1, c=False)) == "not_applicable"
    assert _status(_score(cset, a=1, c=True)) == "fail"
    scores = _score(cset, a=1)  # the condition has no value: missing, decided by the condition
    assert _status(scores) == "missing"
    assert int(scores.decider[0, 0]) == -1


@pytest.mark.parametrize(
    ("measures", "first", "second", "verdict"),
    [
        ({"a": 10, "b": 5}, "pass", "indeterminate", "indeterminate"),  # u has no value
        ({"a": 10, "b": 5, "u": 3}, "pass", "indeterminate", "indeterminate"),  # unknown level
        ({"a": 10}, "indeterminate", "indeterminate", "indeterminate"),
        ({"a": 1}, "fail", "indeterminate", "not_certified"),  # a fail decides the verdict
    ],
)
def test_criterion_status_and_verdict(measures, first, second, verdict):
    from ntm_rules.score.kernel import CRITERION, VERDICT

    cset = _set((_indicator("1", A), _indicator("2", B)), (_indicator("3", U),))
    scores = _score(cset, **measures)
    assert str(CRITERION[int(scores.criteria[0, 0])]) == first
    assert str(CRITERION[int(scores.criteria[1, 0])]) == second
    assert int(scores.met[0]) == (1 if first == "pass" else 0)
    assert int(scores.total[0]) == 2
    assert str(VERDICT[int(scores.verdict[0])]) == verdict


def test_a_criterion_whose_indicators_do_not_apply_is_not_counted():
    from ntm_rules.score.kernel import CRITERION

    cond = Condition("c", "is true", True)
    cset = _set((_indicator("1", A),), (_indicator("2", B, applies_if=cond),))
    scores = _score(cset, a=10, c=False)
    assert str(CRITERION[int(scores.criteria[1, 0])]) == "not_applicable"
    assert (int(scores.met[0]), int(scores.total[0])) == (1, 1)
    assert int(scores.verdict[0]) == 0  # certified


def test_a_tier_is_certified_only_when_its_prerequisite_is():
    from ntm_rules.score.kernel import VERDICT

    base = _set((_indicator("1", A),))
    tier = _set((_indicator("2", B),), requires=(base,))
    assert str(VERDICT[int(_score(tier, a=10, b=5).verdict[0])]) == "certified"
    assert str(VERDICT[int(_score(tier, a=9, b=5).verdict[0])]) == "not_certified"
    assert str(VERDICT[int(_score(tier, b=5).verdict[0])]) == "indeterminate"
    scores = _score(tier, a=9, b=5)
    assert str(VERDICT[int(scores.own_verdict[0])]) == "certified"  # on its own criteria


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
