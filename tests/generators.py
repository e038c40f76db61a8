"""Random communes for property tests, drawn from the criteria data itself.

Each measure gets a value within its type and range, biased towards the thresholds of the
shipped sets (each known threshold exactly, +-0.01 and +-1); regions, categories, data years
(2015-2027), missing measures, recognition outcomes and recorded recognitions vary. Three in
four communes start from values passing every known threshold (so that certified and
near-certified communes are common) and change or drop a few.
"""

from __future__ import annotations

from typing import Any

from hypothesis import strategies as st

from ntm_rules import Commune, CriteriaSet, Recognized
from ntm_rules.load.catalog import default_catalog
from ntm_rules.model.commune import TIERS
from ntm_rules.model.criteria import Indicator
from ntm_rules.model.vocab import Measure
from ntm_rules.operators import OPERATORS

from .helpers import passing_measures


def all_indicators(s: CriteriaSet) -> list[Indicator]:
    return [*s.indicators, *s.recognition]


CATALOG = default_catalog()
SETS: tuple[CriteriaSet, ...] = tuple(CATALOG.all_sets())
SET_IDS = tuple(s.id for s in SETS)
STANDARD_PAIR = (CATALOG.load("ntm-2016-2020"), CATALOG.load("ntm-2021-2025"))
MEASURES = CATALOG.measures
# 2020 first: the simplest example (what hypothesis draws most) is a year with known levels
YEARS = (2020, 2022, 2015, 2016, 2017, 2018, 2019, 2021, 2023, 2024, 2025, 2026, 2027)
REGIONS = ("TDMNPB", "DBSH", "BTB", "DHNTB", "TN", "DNB", "DBSCL")
CATEGORIES = tuple(CATALOG.regions.categories)


# --- the data the generator draws on -------------------------------------------------------
def _collect() -> tuple[dict[str, set[float]], dict[str, set[int]], set[str]]:
    thresholds: dict[str, set[float]] = {}
    directions: dict[str, set[int]] = {}
    recognition: set[str] = set()
    for s in SETS:
        for ind in all_indicators(s):
            for check in ind.checks:
                directions.setdefault(check.measure, set()).add(OPERATORS[check.operator].direction)
                for cell in check.threshold.cells():
                    if isinstance(cell.value, (int, float)) and not isinstance(cell.value, bool):
                        thresholds.setdefault(check.measure, set()).add(cell.value)
        for cond in s.recognition:
            recognition.update(cond.measures)
    return thresholds, directions, recognition


THRESHOLDS, DIRECTIONS, RECOGNITION_MEASURES = _collect()
# measures read by a multi-check indicator or by an applies_if condition: removing one of them
# exercises the precedence rules, so the removal property picks them half of the time
SHARED = sorted(
    {m for s in SETS for ind in all_indicators(s) if len(ind.checks) > 1 for m in ind.measures}
    | {
        ind.applies_if.measure
        for s in SETS
        for ind in all_indicators(s)
        if ind.applies_if is not None
    }
)
MEASURE_KEYS = tuple(k for k in MEASURES if k not in RECOGNITION_MEASURES)
PASSING = {k: v for k, v in passing_measures(*SETS).items() if k not in RECOGNITION_MEASURES}
# measures every set reads only with ">="/">" (+1) or only with "<="/"<" (-1)
MONOTONE = {
    m: next(iter(d)) for m, d in DIRECTIONS.items() if d in ({1}, {-1}) and MEASURES[m].numeric
}


def bounds(m: Measure) -> tuple[float, float]:
    lo = m.min if m.min is not None else 0.0
    hi = m.max if m.max is not None else 1e6
    return lo, hi


def value_strategy(key: str) -> st.SearchStrategy[Any]:
    m = MEASURES[key]
    if m.type == "boolean":
        return st.booleans()
    lo, hi = bounds(m)
    near = sorted(
        {
            v
            for t in THRESHOLDS.get(key, ())
            for v in (t, t - 0.01, t + 0.01, t - 1, t + 1)
            if lo <= v <= hi
        }
    )
    if m.type == "count":
        near = sorted({int(v) for v in near if float(v).is_integer()})
        anywhere: st.SearchStrategy[Any] = st.integers(int(lo), int(min(hi, 1000)))
    else:
        anywhere = st.one_of(
            st.integers(int(lo), int(min(hi, 200))),
            st.floats(lo, hi, allow_nan=False, allow_infinity=False),
        )
    return st.one_of(st.sampled_from(near), anywhere) if near else anywhere


VALUE = {k: value_strategy(k) for k in MEASURES}


@st.composite
def communes(draw: st.DrawFn) -> Commune:
    passing_profile = draw(st.sampled_from((True, True, True, False)))
    measures: dict[str, Any] = {}
    recognition: dict[str, Any] = {}
    if passing_profile:
        # every known threshold met, then a few measures changed or dropped
        measures = dict(PASSING)
        recognition = dict.fromkeys(sorted(RECOGNITION_MEASURES), True)
        changes = draw(st.sampled_from((0, 0, 1, 2, 4)))
        for key in draw(
            st.lists(st.sampled_from(MEASURE_KEYS), unique=True, min_size=changes, max_size=changes)
        ):
            if draw(st.booleans()):
                measures[key] = draw(VALUE[key])
            else:
                measures.pop(key, None)
        flips = draw(st.sampled_from((0, 0, 0, 1)))
        for key in draw(
            st.lists(
                st.sampled_from(sorted(RECOGNITION_MEASURES)),
                unique=True,
                min_size=flips,
                max_size=flips,
            )
        ):
            choice = draw(st.sampled_from((False, None)))
            if choice is None:
                recognition.pop(key)
            else:
                recognition[key] = choice
    else:
        for key in MEASURE_KEYS:
            if draw(st.sampled_from(("value", "value", "drop"))) == "value":
                measures[key] = draw(VALUE[key])
        for key in sorted(RECOGNITION_MEASURES):
            choice = draw(st.sampled_from((True, False, None)))
            if choice is not None:
                recognition[key] = choice
    recognized = None
    if draw(st.booleans()):
        recognized = Recognized(
            draw(st.sampled_from(("ntm-2016-2020", "ntm-2021-2025", "ntm-advanced-2021-2025"))),
            draw(st.integers(2015, 2025)),
            draw(st.sampled_from(TIERS)),
        )
    region_verified = draw(st.booleans())
    return Commune(
        name=draw(st.sampled_from(("A", "B", "Pờ Ê", "Xã Đắk"))),
        year=draw(st.sampled_from(YEARS)),
        region=draw(st.sampled_from(REGIONS)),
        region_basis="file" if region_verified else "province",
        region_verified=region_verified,
        measures=measures,
        categories=tuple(draw(st.lists(st.sampled_from(CATEGORIES), unique=True, max_size=4))),
        recognized=recognized,
        recognition=recognition,
        code=draw(st.sampled_from(("", "00001", "23456"))),
        district=draw(st.sampled_from(("", "Kon Plông", "Bù Gia Mập"))),
    )
