"""Certification verdicts, the transition old -> new, and the revocation frame."""

from __future__ import annotations

import dataclasses

import pytest

from ntm_rules import Verdict, evaluate
from ntm_rules import transition_of as transition
from ntm_rules.model.commune import Recognized
from ntm_rules.model.criteria import (
    Cell,
    Check,
    CriteriaSet,
    Criterion,
    Indicator,
    RegionValues,
    Source,
    Threshold,
)
from ntm_rules.words import Text

from .conftest import make_commune
from .helpers import RECOGNITION_OK, passing_measures


@pytest.fixture
def sets(catalog):
    return catalog.load("ntm-2016-2020"), catalog.load("ntm-2021-2025")


def test_perfect_commune_is_certified_under_2016_2020(sets):
    old, _new = sets
    c = make_commune(passing_measures(old), region="TN", year=2020, recognition=RECOGNITION_OK)
    ev = evaluate(c, old)
    assert ev.verdict == Verdict.CERTIFIED
    assert (ev.criteria_met, ev.criteria_total) == (19, 19)
    assert ev.provisional is True  # some thresholds used are unverified


def test_missing_recognition_condition_makes_verdict_indeterminate(sets):
    old, _ = sets
    c = make_commune(passing_measures(old), region="TN", year=2020)
    ev = evaluate(c, old)
    assert ev.verdict == Verdict.INDETERMINATE
    failed = make_commune(
        passing_measures(old),
        region="TN",
        year=2020,
        recognition={**RECOGNITION_OK, "no_outstanding_debt": False},
    )
    assert evaluate(failed, old).verdict == Verdict.NOT_CERTIFIED


def test_one_failing_indicator_means_not_certified(sets):
    old, _ = sets
    measures = {**passing_measures(old), "multidimensional_poverty_pct": 7.01}
    ev = evaluate(make_commune(measures, region="TN", year=2020, recognition=RECOGNITION_OK), old)
    assert ev.verdict == Verdict.NOT_CERTIFIED
    assert ev.criteria_met == 18


@pytest.mark.parametrize(
    ("new_value", "outcome"),
    [
        (False, "lost"),  # a new indicator (13.3 traceability) with a known threshold fails
        (True, "indeterminate"),  # passes, but 2021-2025 has gaps -> undecided
    ],
)
def test_transition_outcomes(sets, new_value, outcome):
    old, new = sets
    measures = {**passing_measures(old, new), "key_products_traceability": new_value}
    c = make_commune(measures, region="TN", year=2022, recognition=RECOGNITION_OK)
    tr = transition(c, old, new)
    assert tr.outcome == outcome
    if outcome == "lost":
        culprit = next(x for x in tr.culprits if x.indicator == "13.3")
        assert culprit.cause == "new_indicator"
        assert culprit.criterion == "13"


def test_transition_never(sets):
    old, new = sets
    measures = {
        **passing_measures(old, new),
        "cooperative_effective": False,
        "construction_plan_approved": False,
    }
    tr = transition(make_commune(measures, recognition=RECOGNITION_OK, year=2022), old, new)
    assert tr.outcome == "never"
    assert {c.indicator for c in tr.culprits} >= {"1.1", "13.1"}


def test_transition_uses_recorded_recognition_when_old_is_undecided(sets):
    old, new = sets
    measures = {**passing_measures(old, new), "key_products_traceability": False}
    measures.pop("irrigated_farmland_pct")  # old evaluation now undecided
    c = make_commune(measures, region="TN", year=2022, recognition=RECOGNITION_OK)
    assert transition(c, old, new).outcome == "indeterminate"
    c2 = dataclasses.replace(c, recognized=Recognized("ntm-2016-2020", 2019))
    tr = transition(c2, old, new)
    assert tr.outcome == "lost"
    assert tr.from_basis == "recorded_recognition"


def test_tightened_threshold_culprit(sets):
    old, new = sets
    # 15.1 health insurance: 85% in 2016-2020, 90% (unverified) in 2021-2025
    measures = {**passing_measures(old, new), "health_insurance_pct": 87}
    tr = transition(make_commune(measures, recognition=RECOGNITION_OK, year=2022), old, new)
    assert tr.outcome == "lost"
    culprit = next(x for x in tr.culprits if x.indicator == "15.1")
    assert culprit.cause == "tightened"
    assert (culprit.threshold_from, culprit.threshold_to) == (85, 90)


def _one(src: Source) -> Threshold:
    return Threshold(RegionValues(all_regions=Cell(1, True, src)))


def _frame_set(new: CriteriaSet) -> CriteriaSet:
    """19 criteria of one indicator each (m1 >= 1 ... m19 >= 1), with the shipped revocation
    rule and key criteria of 2021-2025 (10 is income)."""
    src = Source("t", "test")
    criteria = tuple(
        Criterion(
            str(k),
            Text(str(k), str(k)),
            "",
            (
                Indicator(
                    str(k),
                    Text("", ""),
                    (
                        Check(
                            f"m{k}", ">=", Threshold(RegionValues(all_regions=Cell(1, True, src)))
                        ),
                    ),
                ),
            ),
        )
        for k in range(1, 20)
    )
    return dataclasses.replace(new, criteria=criteria, recognition=(), region_rules=())


def _frame(new: CriteriaSet, statuses: list[str]):  # type: ignore[no-untyped-def]
    """The revocation result of a commune whose criteria have these statuses."""
    values = {"pass": 1, "fail": 0, "indeterminate": None}
    measures = {f"m{k}": values[st] for k, st in enumerate(statuses, 1) if st in values}
    measures = {k: v for k, v in measures.items() if v is not None}
    applies = [k for k, st in enumerate(statuses, 1) if st == "not_applicable"]
    cset = _frame_set(new)
    if applies:
        cset = dataclasses.replace(
            cset, criteria=tuple(c for c in cset.criteria if int(c.id) not in applies)
        )
    ev = evaluate(make_commune(measures, year=2022), cset)
    return ev.revocation


@pytest.mark.parametrize(
    ("failing", "key", "in_frame", "case"),
    [
        (5, True, False, ""),  # 26.3% < 30%
        (6, False, False, ""),  # 31.6%, no key criterion
        (6, True, True, "a"),  # 31.6% with income failing
        (9, True, True, "a"),  # 47.4%
        (9, False, False, ""),
        (10, False, True, "b"),  # 52.6% >= 50%
    ],
)
def test_revocation_frame_boundaries(sets, failing, key, in_frame, case):
    _, new = sets
    statuses = ["pass"] * 19
    fail_ids = ([9] if key else []) + [i for i in (0, 1, 2, 3, 4, 5, 6, 7, 8, 11) if i != 9]
    for i in fail_ids[:failing]:
        statuses[i] = "fail"
    rv = _frame(new, statuses)
    assert rv is not None
    assert rv.failing == failing and rv.total == 19
    assert rv.in_frame is in_frame
    assert rv.case == case
    assert ("10" in rv.key_failing) is key


def test_revocation_undecided_when_indeterminate_could_tip_it(sets):
    _, new = sets
    statuses = ["pass"] * 19
    for i in range(5):
        statuses[i] = "fail"
    statuses[9] = "indeterminate"  # income undecided
    rv = _frame(new, statuses)
    assert rv is not None and rv.in_frame is None


def test_revocation_frame_exactly_half(sets):
    # With 18 applicable criteria, 9 failing is exactly 50%: case (b).
    _, new = sets
    statuses = ["pass"] * 18 + ["not_applicable"]
    for i in range(9):
        statuses[i] = "fail"
    rv = _frame(new, statuses)
    assert rv is not None and rv.total == 18 and rv.case == "b"
