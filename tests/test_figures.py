"""Province figures with undecided criteria, hand-checked: under 15 (definite / possible), the
mean's range, bands, and progress against the programme targets."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from ntm_rules.model.criteria import Source
from ntm_rules.model.programme import Band, Target
from ntm_rules.score.figures import bands, counts, criteria_tally, progress
from ntm_rules.score.kernel import C_FAIL, C_INDET, C_NA, C_PASS, V_INDETERMINATE
from ntm_rules.score.kernel import V_NOT_CERTIFIED as V_NOT

KON_TUM_BANDS = (Band(19, 19), Band(15, 18), Band(10, 14), Band(5, 9), Band(0, 4))


def _criteria(*communes: tuple[int, int, int]) -> np.ndarray:
    """A (19, n) status array from (met, failed, undecided) per commune (the rest n/a)."""
    cols = []
    for met, failed, undecided in communes:
        rest = 19 - met - failed - undecided
        cols.append([C_PASS] * met + [C_FAIL] * failed + [C_INDET] * undecided + [C_NA] * rest)
    return np.array(cols, dtype=np.int8).T


def test_under_15_counts_only_what_undecided_criteria_cannot_lift() -> None:
    # Pờ Ê-like: 14 met, 5 undecided, none failed -> possibly under 15, not definitely
    # 11 met + 3 undecided = 14 at best -> definitely under 15
    # 12 met + 3 undecided = 15 at best -> possibly
    # exactly 15 met, 4 failed -> not under 15 at all
    criteria = _criteria((14, 0, 5), (11, 5, 3), (12, 4, 3), (15, 4, 0))
    met, failed, undecided = criteria_tally(criteria)
    assert met.tolist() == [14, 11, 12, 15] and undecided.tolist() == [5, 3, 3, 0]
    verdict = np.array([V_INDETERMINATE, V_NOT, V_NOT, V_NOT])
    out = counts(verdict, met, failed, undecided, 15)
    assert out["below"] == {"criteria": 15, "definite": 1, "possible": 2}
    assert out["criteria_met_mean"] == 13.0  # (14 + 11 + 12 + 15) / 4
    assert out["criteria_met_mean_max"] == 15.75  # (19 + 14 + 15 + 15) / 4
    assert out["criteria_failed_mean"] == 3.25
    assert (out["certified"], out["not_certified"], out["indeterminate"]) == (0, 3, 1)
    assert counts(verdict, met, failed, undecided, None)["below"] is None


def test_bands_definite_and_possible() -> None:
    met = np.array([19, 17, 14, 9, 15, 3])
    undecided = np.array([0, 0, 0, 0, 4, 1])
    found = {
        b["label"]: (b["definite"], b["possible"]) for b in bands(KON_TUM_BANDS, met, undecided)
    }
    # 15 + 4 undecided spans 15–18 and 19; 3 + 1 stays in 0–4
    assert found == {"19": (1, 1), "15–18": (1, 1), "10–14": (1, 0), "5–9": (1, 0), "0–4": (1, 0)}


def test_progress_against_targets() -> None:
    target = Target((2021, 2025), Source("p", "test"), 80, 40, 10, None, 0)
    below = {"criteria": 15, "definite": 1, "possible": 2}
    out = progress(target, 10, 7, 2, {"standard": 3, "advanced": 3, "model": 1}, below)
    assert out is not None
    items = {i["what"]: i for i in out["items"]}
    # 7 of 10 certified now, 9 at most: the 80% target is undecided
    assert items["certified"] | {} == {
        "what": "certified",
        "target": 80,
        "value": 70.0,
        "value_max": 90.0,
        "met": False,
        "decided": False,
    }
    assert (items["advanced"]["value"], items["advanced"]["met"]) == (40.0, True)  # 3 + 1 model
    assert (items["model"]["value"], items["model"]["met"]) == (10.0, True)
    assert items["below"] == {
        "what": "below",
        "target": 0,
        "value": 1,
        "value_max": 3,
        "met": False,
        "decided": True,
    }
    # 8 certified of 10 meets the 80% target at the boundary
    exactly = progress(target, 10, 8, 0, None, None)
    assert exactly is not None and exactly["items"] == [
        {
            "what": "certified",
            "target": 80,
            "value": 80.0,
            "value_max": 80.0,
            "met": True,
            "decided": True,
        }
    ]
    assert progress(None, 10, 8, 0, None, None) is None


def test_kon_plong_communes_failing_no_criterion_are_not_under_15() -> None:
    """The planners' report: Pờ Ê and Măng Cành fail no 2021–2025 criterion, so they cannot be
    "under 15"; only communes that fail enough criteria are."""
    import ntm_rules

    root = Path(__file__).resolve().parent.parent / "examples" / "kon-tum"
    result = ntm_rules.score_province(ntm_rules.read_communes([root]))
    data = result.to_dict()
    rows = {r["commune"]: r["sets"]["ntm-2021-2025"] for r in data["results"]}
    for name in ("Pờ Ê", "Măng Cành"):
        crit = rows[name]["criteria"]
        assert "fail" not in crit.values(), name
        assert rows[name]["verdict"] == "indeterminate"
    new = data["sets"]["ntm-2021-2025"]
    definite = [
        n
        for n, r in rows.items()
        if sum(v == "pass" for v in r["criteria"].values())
        + sum(
            v in ("missing_data", "unknown_threshold", "indeterminate")
            for v in r["criteria"].values()
        )
        < 15
    ]
    assert new["below"]["definite"] == len(definite)
    assert new["below"]["definite"] + new["below"]["possible"] <= 9
    assert "Pờ Ê" not in definite and "Măng Cành" not in definite
