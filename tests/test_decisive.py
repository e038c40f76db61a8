"""Decisive unknowns on a 20-commune province, computed by hand.

Every unknown threshold of the 2021–2025 set in regions TN and ĐBSH is filled by an assumption
that everyone passes, except two: the 2024 income level in TN and the poverty ceiling in ĐBSH.
"""

from __future__ import annotations

from typing import Any

import pytest

from ntm_rules import Catalog
from ntm_rules.load.assume import parse_assumption
from ntm_rules.province import score_province
from tests.conftest import make_commune
from tests.helpers import RECOGNITION_OK, passing_measures

NEW = "ntm-2021-2025"
LEFT_OPEN = {("10", "TN"), ("11", "DBSH")}


def _fill_all_but_two(catalog: Catalog) -> Catalog:
    cset = catalog.load(NEW)
    texts = []
    for region in ("TN", "DBSH"):
        for ind in cset.indicators:
            for check in ind.checks:
                resolved = check.threshold.resolve(region, 2024)
                known = resolved.cell is not None and resolved.cell.value is not None
                if known or check.operator == "is true" or (ind.id, region) in LEFT_OPEN:
                    continue
                value = 0 if check.operator in (">=", ">") else 10**6
                measure = f"[{check.measure}]" if len(ind.checks) > 1 else ""
                year = ":2024" if check.threshold.by_year else ""
                texts.append(f"{ind.id}{measure}@{region}{year}={value}")
    return catalog.assuming([parse_assumption(t, catalog.regions) for t in texts])


@pytest.fixture(scope="module")
def unknowns() -> dict[str, Any]:
    catalog = _fill_all_but_two(Catalog())
    cset = catalog.load(NEW)
    ok = passing_measures(cset)
    communes = []

    def add(region: str, **changes: Any) -> None:
        measures = {**ok, **changes}
        for key in [k for k, v in changes.items() if v is None]:
            measures.pop(key)
        communes.append(
            make_commune(
                measures,
                region=region,
                year=2024,
                recognition=RECOGNITION_OK,
                name=f"X{len(communes)}",
            )
        )

    for income in range(40, 48):  # 8 in TN waiting only on the 2024 income level
        add("TN", income_per_capita=income)
    for poverty in (1, 2, 3, 4, 5):  # 5 in ĐBSH waiting only on the poverty ceiling
        add("DBSH", multidimensional_poverty_pct=poverty)
    for income in (40, 44, 50):  # 3 in TN on the income level, but with missing data
        add("TN", income_per_capita=income, trained_workers_pct=None)
    for _ in range(4):  # 4 that fail a known threshold: decided, nothing hangs on them
        add("TN", income_per_capita=45, key_products_traceability=False)
    assert len(communes) == 20
    result = score_province(communes, [cset], catalog.measures)
    data: dict[str, Any] = result.decisive_unknowns()[NEW]
    return data


def test_counts(unknowns: dict[str, Any]) -> None:
    assert unknowns["indeterminate"] == 16
    assert unknowns["decidable_by_thresholds"] == 13
    assert unknowns["with_missing_data"] == 3


def test_cells_ranked_with_cumulative_decisions(unknowns: dict[str, Any]) -> None:
    head = [
        {k: c[k] for k in ("indicator", "region", "year", "communes", "sole", "decided_if_filled")}
        for c in unknowns["cells"]
    ]
    assert head == [
        # fill the TN income level: 8 communes decided
        {
            "indicator": "10",
            "region": "TN",
            "year": 2024,
            "communes": 11,
            "sole": 8,
            "decided_if_filled": 8,
        },
        # then the ĐBSH poverty ceiling: 13 of the 16 undecided communes are decided
        {
            "indicator": "11",
            "region": "DBSH",
            "year": None,
            "communes": 5,
            "sole": 5,
            "decided_if_filled": 13,
        },
    ]


def test_sweep_over_the_observed_values(unknowns: dict[str, Any]) -> None:
    income = unknowns["cells"][0]["sweep"]
    assert [row["threshold"] for row in income] == [40, 41, 42, 43, 44, 45, 46, 47, 50]
    at = {row["threshold"]: row for row in income}
    # at 44: the sole communes with 44..47 pass (4 certified); those with 40..43 and the
    # missing-data commune at 40 fail (5); the missing-data ones at 44 and 50 stay undecided
    assert {k: at[44][k] for k in ("certified", "not_certified", "indeterminate")} == {
        "certified": 4,
        "not_certified": 5,
        "indeterminate": 2,
    }
    assert (at[40]["certified"], at[40]["not_certified"]) == (8, 0)  # passes exactly at it
    assert (at[50]["certified"], at[50]["not_certified"]) == (0, 10)
    assert "lost" not in at[44]  # one set: no transition
    poverty = {row["threshold"]: row for row in unknowns["cells"][1]["sweep"]}
    # a ceiling: with poverty ≤ 3 allowed, the communes at 1, 2, 3 pass
    assert (poverty[3]["certified"], poverty[3]["not_certified"]) == (3, 2)
