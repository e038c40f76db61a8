"""`diff` of the two national sets, asserted against the encoded data."""

from __future__ import annotations

from ntm_rules import diff_sets


def _ids(entries):
    return {e["id"] for e in entries}


def test_diff_national_sets(catalog):
    old, new = catalog.load("ntm-2016-2020"), catalog.load("ntm-2021-2025")
    d = diff_sets(old, new)
    # 57 = 49 + 8, as the sources say: 10 indicators added, 2 removed
    assert (d.indicators_from, d.indicators_to) == (49, 57)
    assert sorted(_ids(d.added)) == sorted(
        ["12.2", "13.3", "13.4", "13.5", "15.4", "17.4", "17.7", "17.11", "17.12", "18.6"]
    )
    assert _ids(d.removed) == {"12", "18.2"}  # employment rate; the old 18.2
    moved = {(m.from_id, m.to_id): m.measure for m in d.moved}
    assert moved == {
        ("14.3", "12.1"): "trained_workers_pct",  # stated by `continues: "14.3"`
        ("17.4", "17.5"): "burial_per_plan",
        ("17.5", "17.6"): "waste_collected_treated",
        ("17.6", "17.8"): "sanitary_facilities_3sach_pct",
        ("17.8", "17.10"): "food_safety_compliance_pct",
        ("18.5", "18.4"): "access_to_law_met",
        ("18.6", "18.5"): "gender_equality_met",
    }
    # indicators that kept their legal place under another measure key are paired, not listed
    # as both removed and added; 17.7 -> 17.9 and 18.3/18.4 -> 18.2/18.3 are stated in the data
    remeasured = {c.from_id: c.to_id for c in d.remeasured}
    assert remeasured == {
        **{k: k for k in ("2.1", "2.2", "2.3", "2.4", "3.2", "5", "13.1", "17.1")},
        "17.7": "17.9",
        "18.3": "18.2",
        "18.4": "18.3",
    }
    # every indicator is accounted for exactly once
    old_ids = _ids(d.removed) | {c.from_id for c in d.changed} | set(d.unchanged)
    assert len(old_ids) == len(old.indicators)
    assert old_ids == {i.id for i in old.indicators}
    new_ids = _ids(d.added) | {c.to_id for c in d.changed} | set(d.unchanged)
    assert new_ids == {i.id for i in new.indicators}
    renamed = {r["id"] for r in d.criteria_renamed}
    assert {"11", "12", "13"} <= renamed


def test_diff_health_insurance_tightened(catalog):
    d = diff_sets(catalog.load("ntm-2016-2020"), catalog.load("ntm-2021-2025"))
    bhyt = next(c for c in d.changed if c.from_id == "15.1")
    tn = bhyt.regions["TN"]
    assert (tn["from"], tn["to"], tn["delta"], tn["direction"]) == (85, 90, 5, "tightened")


def test_diff_income_by_year(catalog):
    d = diff_sets(catalog.load("ntm-2016-2020"), catalog.load("ntm-2021-2025"), 2020, 2022)
    income = next(c for c in d.changed if c.from_id == "10")
    assert income.regions["TDMNPB"]["from"] == 36
    assert income.regions["TDMNPB"]["to"] == 39
    assert income.regions["TDMNPB"]["direction"] == "tightened"
    assert income.regions["TN"]["direction"] == "became_unknown"
    # at the new set's last year (2025) nothing is known
    d25 = diff_sets(catalog.load("ntm-2016-2020"), catalog.load("ntm-2021-2025"))
    assert next(c for c in d25.changed if c.from_id == "10").regions["TDMNPB"]["to"] is None


def test_diff_of_a_set_with_itself_is_empty(catalog):
    s = catalog.load("ntm-2021-2025")
    d = diff_sets(s, s)
    assert not (d.added or d.removed or d.changed or d.moved)
    assert len(d.unchanged) == 57
