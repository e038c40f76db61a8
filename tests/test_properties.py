"""Properties of the scoring engine and the batch scorer over generated communes.

Generated communes draw a value for each measure of the measures dictionary within its type and
range, biased towards the thresholds of the shipped sets (each known threshold exactly, +-0.01
and +-1), with random regions, categories, data years (2015-2027), missing measures, recognition
outcomes and recorded recognitions. Three in four start from values passing every known
threshold (so that certified and near-certified communes are common) and change or drop a few.

Properties: (a) improving a measure never turns a pass into a fail; (b) removing a measure makes
what reads it missing (precisely defined below); (c) results do not depend on the order of
criteria, indicators, conditions or of communes in a batch; (d) evaluation is deterministic and
ignores the key order of measures; (e) every to_dict() round-trips through JSON; (f) the batch
scorer agrees with evaluate() / transition() / assess(); plus facts about the shipped data the
case files rely on, and the gap and reason at the threshold (exhaustive, not generated).

Every test is deterministic (``derandomize=True``, no example database).
"""

from __future__ import annotations

import contextlib
import dataclasses
import json
import random
import re
import warnings
from collections.abc import Iterable
from typing import Any

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from ntm_rules import Commune, CriteriaSet, Evaluation, Status, Verdict, evaluate, transition
from ntm_rules.api import assess, assess_tiers
from ntm_rules.load.catalog import default_catalog
from ntm_rules.load.communes import TIERS, Recognized
from ntm_rules.load.measures import Measure
from ntm_rules.model.criteria import Indicator
from ntm_rules.operators import OPERATORS
from ntm_rules.province import run_batch
from ntm_rules.score.kernel import STATUS_NAMES

from .helpers import RECOGNITION_OK, passing_measures

# When a hypothesis test fails, its pytest plugin imports hypothesis.extra._patching (libcst ->
# mypy_extensions), which emits a DeprecationWarning that the project's "error" warning filter
# turns into an INTERNALERROR hiding the real failure. Import it once here, quietly.
with warnings.catch_warnings():
    warnings.simplefilter("ignore", DeprecationWarning)
    with contextlib.suppress(ImportError):
        import hypothesis.extra._patching  # noqa: F401

CATALOG = default_catalog()
SETS: tuple[CriteriaSet, ...] = tuple(CATALOG.all_sets())
SET_IDS = tuple(s.id for s in SETS)
STANDARD_PAIR = (CATALOG.load("ntm-2016-2020"), CATALOG.load("ntm-2021-2025"))
MEASURES = CATALOG.measures
# 2020 first: the simplest example (what hypothesis draws most) is a year with known levels
YEARS = (2020, 2022, 2015, 2016, 2017, 2018, 2019, 2021, 2023, 2024, 2025, 2026, 2027)
REGIONS = ("TDMNPB", "DBSH", "BTB", "DHNTB", "TN", "DNB", "DBSCL")
CATEGORIES = tuple(CATALOG.regions.categories)
VERDICT_RANK = {Verdict.NOT_CERTIFIED: 0, Verdict.INDETERMINATE: 1, Verdict.CERTIFIED: 2}

PROFILE = settings(
    derandomize=True,
    database=None,
    deadline=None,
    max_examples=80,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
BATCH_PROFILE = settings(PROFILE, max_examples=30)  # each example scores a list of communes


def all_indicators(s: CriteriaSet) -> list[Indicator]:
    return [*s.indicators, *s.recognition]


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


def statuses(ev: Evaluation) -> dict[str, Status]:
    out = {i.id: i.status for c in ev.criteria for i in c.indicators}
    out.update({f"recognition:{r.id}": r.status for r in ev.recognition.conditions})
    return out


def indicator_key(s: CriteriaSet, ind: Indicator) -> str:
    return f"recognition:{ind.id}" if ind in s.recognition else ind.id


def summary(ev: Evaluation) -> dict[str, Any]:
    """Everything about an evaluation that must not depend on the order of the set's parts."""
    rv = ev.revocation
    return {
        "verdict": ev.verdict,
        "met": ev.criteria_met,
        "total": ev.criteria_total,
        "provisional": ev.provisional,
        "region": ev.region_applied,
        "criteria": {c.id: c.status for c in ev.criteria},
        "statuses": statuses(ev),
        "recognition": ev.recognition.status,
        "unverified": sorted(ev.unverified_thresholds),
        "revocation": None
        if rv is None
        else (
            rv.failing,
            rv.indeterminate,
            rv.total,
            sorted(rv.key_failing),
            rv.in_frame,
            rv.case,
            rv.applies,
        ),
    }


# --- (a) improving a measure never turns a pass into a fail ---------------------------------
def _improve(key: str, value: float, step: float) -> float:
    lo, hi = bounds(MEASURES[key])
    moved = value + step if MONOTONE[key] > 0 else value - step
    moved = min(hi, max(lo, moved))
    return round(moved) if MEASURES[key].type == "count" else moved


@PROFILE
@given(commune=communes(), data=st.data())
def test_improving_a_measure_never_turns_pass_into_fail(
    commune: Commune, data: st.DataObject
) -> None:
    """Raising a measure read only with >= (lowering one read only with <=) never turns an
    indicator from pass to fail, in any shipped set.

    Precisely, for each indicator reading the measure: pass stays pass; missing, unknown and
    not_applicable stay as they are; fail may become anything. Indicators not reading it do not
    change, and neither the verdict nor the number of criteria met gets worse.
    """
    candidates = sorted(k for k in commune.measures if k in MONOTONE)
    if not candidates:
        return
    key = data.draw(st.sampled_from(candidates), label="measure")
    step = data.draw(
        st.one_of(st.sampled_from((0.01, 1.0, 5.0)), st.floats(0, 2000, allow_nan=False)),
        label="step",
    )
    if MEASURES[key].type == "count":
        step = float(max(1, round(step)))
    improved = dataclasses.replace(
        commune, measures={**commune.measures, key: _improve(key, commune.measures[key], step)}
    )
    for s in SETS:
        before, after = evaluate(commune, s), evaluate(improved, s)
        sb, sa = statuses(before), statuses(after)
        for ind in all_indicators(s):
            k = indicator_key(s, ind)
            if key in ind.measures and sb[k] == Status.FAIL:
                continue
            assert sa[k] == sb[k], (
                s.id,
                k,
                key,
                commune.measures[key],
                improved.measures[key],
                sb[k],
                sa[k],
            )
        assert VERDICT_RANK[after.verdict] >= VERDICT_RANK[before.verdict], s.id
        assert after.criteria_met >= before.criteria_met, s.id


# --- (b) removing a measure makes what reads it missing ------------------------------------
@PROFILE
@given(commune=communes(), data=st.data())
def test_removing_a_measure_makes_it_missing(commune: Commune, data: st.DataObject) -> None:
    """Remove one observed measure (from `measures` and `recognition`). For every indicator or
    recognition condition of every shipped set:

    * its ``applies_if`` reads the measure -> ``missing``;
    * it reads the measure and has an ``applies_if`` on another measure that is observed and does
      not hold -> ``not_applicable``; whose measure is unobserved -> ``missing``;
    * otherwise, when it reads the measure: the check reading it is ``missing``; the indicator is
      never ``pass`` or ``unknown``; it is ``fail`` exactly when another of its checks fails (a
      multi-check indicator fails when any check fails, e.g. 17.1), else ``missing``;
    * an indicator that does not read the measure in any way is unchanged.
    """
    present = sorted(set(commune.measures) | set(commune.recognition))
    if not present:
        return
    focus = [k for k in present if k in SHARED]
    key = data.draw(
        st.sampled_from(focus)
        if focus and data.draw(st.booleans(), label="focus")
        else st.sampled_from(present),
        label="measure",
    )
    stripped = dataclasses.replace(
        commune,
        measures={k: v for k, v in commune.measures.items() if k != key},
        recognition={k: v for k, v in commune.recognition.items() if k != key},
    )
    for s in SETS:
        before, after = evaluate(commune, s), evaluate(stripped, s)
        sb = statuses(before)
        results = {f"recognition:{r.id}": r for r in after.recognition.conditions}
        results.update({i.id: i for c in after.criteria for i in c.indicators})
        for ind in all_indicators(s):
            k = indicator_key(s, ind)
            res = results[k]
            cond = ind.applies_if
            if cond is not None and cond.measure == key:
                assert res.status == Status.MISSING, (s.id, k)
                continue
            if key not in ind.measures:
                assert res.status == sb[k], (s.id, k)
                continue
            observed = (
                None
                if cond is None
                else (stripped.measures.get(cond.measure, stripped.recognition.get(cond.measure)))
            )
            if cond is not None and observed is None:
                assert res.status == Status.MISSING, (s.id, k)
            elif cond is not None and not OPERATORS[cond.operator].compare(observed, cond.value):
                assert res.status == Status.NOT_APPLICABLE, (s.id, k)
            else:
                own = [c for c in res.checks if c.measure == key]
                others = [c for c in res.checks if c.measure != key]
                assert own and all(c.status == Status.MISSING for c in own), (s.id, k)
                expected = (
                    Status.FAIL if any(c.status == Status.FAIL for c in others) else Status.MISSING
                )
                assert res.status == expected, (s.id, k, res.status)


# --- (c) order independence -----------------------------------------------------------------
def shuffled_set(s: CriteriaSet, rnd: random.Random) -> CriteriaSet:
    crits = [
        dataclasses.replace(c, indicators=tuple(rnd.sample(c.indicators, len(c.indicators))))
        for c in s.criteria
    ]
    rnd.shuffle(crits)
    return dataclasses.replace(
        s, criteria=tuple(crits), recognition=tuple(rnd.sample(s.recognition, len(s.recognition)))
    )


@PROFILE
@given(commune=communes(), seed=st.integers(0, 2**32 - 1))
def test_results_do_not_depend_on_the_order_of_criteria(commune: Commune, seed: int) -> None:
    rnd = random.Random(seed)
    """Shuffling the criteria of a set (and the indicators inside each criterion, and the
    recognition conditions) changes no status, count, verdict or revocation frame."""
    for s in SETS:
        assert summary(evaluate(commune, shuffled_set(s, rnd))) == summary(evaluate(commune, s))


def batch_rows(communes_: list[Commune], sets: Iterable[CriteriaSet]) -> list[dict[str, Any]]:
    result = run_batch(communes_, list(sets))
    return [result.row(i) for i in range(len(communes_))]


@BATCH_PROFILE
@given(items=st.lists(communes(), min_size=1, max_size=6), seed=st.integers(0, 2**32 - 1))
def test_batch_results_do_not_depend_on_the_order_of_communes(
    items: list[Commune], seed: int
) -> None:
    rnd = random.Random(seed)
    """run_batch on a shuffled list gives every commune the same row (verdicts, counts,
    criteria, transition) and the same aggregate summaries."""
    order = list(range(len(items)))
    rnd.shuffle(order)
    moved = [items[p] for p in order]
    for sets in (STANDARD_PAIR, SETS):
        first = run_batch(items, list(sets))
        second = run_batch(moved, list(sets))
        for j, p in enumerate(order):
            assert second.row(j) == first.row(p)
        a, b = first.to_dict(), second.to_dict()
        for d in (a, b):
            d.pop("results")
            d["lost"] = sorted(d.get("lost", []), key=lambda x: json.dumps(x, sort_keys=True))
        assert a == b


# --- (d) determinism and key order of measures ------------------------------------------------
@PROFILE
@given(commune=communes(), seed=st.integers(0, 2**32 - 1))
def test_evaluation_is_deterministic_and_ignores_measure_order(commune: Commune, seed: int) -> None:
    rnd = random.Random(seed)
    keys = list(commune.measures)
    rnd.shuffle(keys)
    reordered = dataclasses.replace(
        commune,
        measures={k: commune.measures[k] for k in keys},
        recognition=dict(reversed(list(commune.recognition.items()))),
    )
    for s in SETS:
        once = evaluate(commune, s).to_dict()
        assert evaluate(commune, s).to_dict() == once
        assert evaluate(reordered, s).to_dict() == once
    pair = assess(commune, list(STANDARD_PAIR)).to_dict()
    assert assess(reordered, list(STANDARD_PAIR)).to_dict() == pair


# --- (e) JSON round trip ---------------------------------------------------------------------
def roundtrip(data: dict[str, Any]) -> None:
    text = json.dumps(data, allow_nan=False, ensure_ascii=False)
    assert json.loads(text) == data


@PROFILE
@given(commune=communes())
def test_to_dict_round_trips_through_json(commune: Commune) -> None:
    for s in SETS:
        roundtrip(evaluate(commune, s).to_dict())
    roundtrip(assess(commune, list(STANDARD_PAIR)).to_dict())
    roundtrip(assess_tiers(commune).to_dict())


@BATCH_PROFILE
@given(items=st.lists(communes(), min_size=1, max_size=4))
def test_batch_to_dict_round_trips_through_json(items: list[Commune]) -> None:
    roundtrip(run_batch(items, list(STANDARD_PAIR)).to_dict())


# --- (f) batch agrees with evaluate ---------------------------------------------------------
_LOSES = Commune(
    "Loses",
    2022,
    "TN",
    "file",
    True,
    {**PASSING, "key_products_traceability": False},
    recognition=dict(RECOGNITION_OK),
)
_RECORDED = dataclasses.replace(
    _LOSES,
    name="Recorded",
    recognized=Recognized("ntm-2016-2020", 2019),
    measures={k: v for k, v in _LOSES.measures.items() if k != "irrigated_farmland_pct"},
)


@BATCH_PROFILE
@given(items=st.lists(communes(), min_size=1, max_size=6))
@example(items=[_LOSES, _RECORDED, dataclasses.replace(_LOSES, categories=("dbkk", "atk"))])
def test_batch_agrees_with_evaluate(items: list[Commune]) -> None:
    """Per commune and set, the column-wise batch gives evaluate()'s verdict, counts, region,
    provisional flag, criterion and indicator statuses; with two sets, transition()'s outcome
    and, for lost communes, its culprits. (For a tier set with `requires`, the verdict and the
    provisional flag also depend on the prerequisites: see the next test.)"""
    for sets in (STANDARD_PAIR, SETS):
        result = run_batch(items, list(sets))
        data = result.to_dict()
        lost = iter(data.get("lost", []))
        for i, commune in enumerate(items):
            row = data["results"][i]
            for k, s in enumerate(sets):
                ev = evaluate(commune, s)
                got = row["sets"][s.id]
                if not s.requires:
                    assert got["verdict"] == str(ev.verdict), (s.id, i)
                    assert got["provisional"] == ev.provisional, (s.id, i)
                assert got["criteria_met"] == ev.criteria_met
                assert got["criteria_total"] == ev.criteria_total
                assert got["region_applied"] == ev.region_applied
                assert got["criteria"] == {c.id: str(c.status) for c in ev.criteria}
                fast = result.scored[k].result(i)
                assert [STATUS_NAMES[x] for x in fast.indicators] == list(
                    ev.indicator_statuses().values()
                )
            if len(sets) == 2:
                tr = transition(commune, sets[0], sets[1])
                assert row["transition"] == tr.outcome, i
                if tr.outcome == "lost":
                    entry = next(lost)
                    assert entry["culprits"] == [c.to_dict() for c in tr.culprits], i


TIER_SETS = [s for s in SETS if s.requires]
_NOT_STANDARD = dataclasses.replace(
    _LOSES,
    name="Not standard",
    year=2023,
    measures={**PASSING, "construction_plan_approved": False},
)


@BATCH_PROFILE
@given(items=st.lists(communes(), min_size=1, max_size=4))
@example(items=[_NOT_STANDARD])
def test_batch_applies_tier_prerequisites_like_assess(items: list[Commune]) -> None:
    """README: `requires:` is data in each set, applied the same way for every tier. So the batch
    verdict (and provisional flag) of a commune under a tier set that requires another equals
    what `assess` (the single-commune path, with prerequisites) reports; e.g. a commune not
    certified under ntm-2021-2025 is not certified under ntm-advanced-2021-2025."""
    result = run_batch(items, TIER_SETS)
    for i, commune in enumerate(items):
        row = result.row(i)
        for s in TIER_SETS:
            ref = assess(commune, [s]).evaluations[0]
            got = row["sets"][s.id]
            assert (got["verdict"], got["provisional"]) == (str(ref.verdict), ref.provisional), (
                s.id,
                commune.name,
                dict(ref.prerequisites),
            )


# --- data-derived facts the case files rely on ----------------------------------------------
def never_passable(s: CriteriaSet) -> list[str]:
    """Criteria with an unconditional indicator whose every threshold cell is unknown."""
    out = []
    for crit in s.criteria:
        for ind in crit.indicators:
            if ind.applies_if is None and any(
                all(cell.value is None for cell in check.threshold.cells()) for check in ind.checks
            ):
                out.append(crit.id)
                break
    return out


def test_ntm_2021_2025_has_a_criterion_that_can_never_pass() -> None:
    # Why the case files cover no "kept"/"gained" transition: criterion 11 is all GAPs.
    assert "11" in never_passable(CATALOG.load("ntm-2021-2025"))


@PROFILE
@given(commune=communes())
def test_a_set_with_an_unpassable_criterion_never_certifies(commune: Commune) -> None:
    for s in SETS:
        ev = evaluate(commune, s)
        if never_passable(s):
            assert ev.verdict != Verdict.CERTIFIED, s.id
    outcome = transition(commune, *STANDARD_PAIR).outcome
    assert outcome not in ("kept", "gained")


# --- the gap agrees with the status -----------------------------------------------------------
def single_numeric_checks(s: CriteriaSet) -> list[Indicator]:
    return [
        i
        for i in s.indicators
        if len(i.checks) == 1 and i.applies_if is None and MEASURES[i.measure].numeric
    ]


def probe_at_thresholds(offset: float) -> Iterable[tuple[str, str, int, Any, Any]]:
    """For every shipped set, region and a year with known levels (2020, 2022), one commune
    whose every single-check numeric measure sits at its threshold + offset; yields
    (set id, region, year, observed value, indicator result) for those indicators."""
    for s in SETS:
        for region in REGIONS:
            for year in (2020, 2022):
                values: dict[str, Any] = {}
                for ind in single_numeric_checks(s):
                    cell = ind.checks[0].threshold.resolve(region, year).cell
                    if cell is None or cell.value is None:
                        continue
                    lo, hi = bounds(MEASURES[ind.measure])
                    value = cell.value + offset
                    if MEASURES[ind.measure].type != "count" and lo <= value <= hi:
                        values[ind.measure] = value
                probe = Commune("probe", year, region, "file", True, values)
                for res in (i for c in evaluate(probe, s).criteria for i in c.indicators):
                    if len(res.checks) == 1 and res.primary.measure in values:
                        yield s.id, region, year, values[res.primary.measure], res


@pytest.mark.parametrize("offset", [0.0, 1e-10, -1e-10, 1e-7, -1e-7, 0.01, -0.01])
def test_gap_sign_agrees_with_status(offset: float) -> None:
    """README: the gap is "negative = short by that much, 0 = exactly at the boundary". So a
    single-check numeric indicator that passes has gap >= 0 and one that fails has gap < 0 --
    also for values a hair's breadth from the threshold, as spreadsheet arithmetic produces
    (e.g. 40.9999999999 for 41). Exhaustive over the shipped sets, every region and the years
    where known levels apply."""
    wrong = []
    for set_id, region, year, value, res in probe_at_thresholds(offset):
        g = res.primary.gap
        if (res.status == Status.PASS and not (g is not None and g >= 0)) or (
            res.status == Status.FAIL and not (g is not None and g < 0)
        ):
            wrong.append((set_id, region, year, res.id, value, str(res.status), g))
    assert not wrong, f"{len(wrong)} results whose gap contradicts the status, e.g. {wrong[:3]}"


SHORT_BY = re.compile(r"short by (\d+(?:\.\d+)?)")


@pytest.mark.parametrize("offset", [-1e-10, 1e-10, -0.001, 0.004, -0.004])
def test_a_failing_reason_never_says_short_by_zero(offset: float) -> None:
    """The reason of a fail must not read "Not met: 41, required >= 41, short by 0": when the
    shortfall is below the display precision it still has to show a non-zero shortfall (or
    enough digits for the value and the threshold to differ)."""
    wrong = []
    for set_id, region, year, value, res in probe_at_thresholds(offset):
        if res.status != Status.FAIL:
            continue
        found = SHORT_BY.search(res.reason.en)
        if found is None or float(found.group(1)) == 0:
            wrong.append((set_id, region, year, res.id, value, res.reason.en))
    assert not wrong, f"{len(wrong)} failing reasons say 'short by 0', e.g. {wrong[:2]}"


@pytest.mark.parametrize("set_id", SET_IDS)
def test_generator_covers_every_measure_a_set_reads(set_id: str) -> None:
    s = CATALOG.load(set_id)
    read = {m for ind in all_indicators(s) for m in ind.measures}
    read |= {ind.applies_if.measure for ind in all_indicators(s) if ind.applies_if}
    assert read <= set(MEASURE_KEYS) | RECOGNITION_MEASURES
    assert set(RECOGNITION_OK) <= RECOGNITION_MEASURES | set(MEASURES)
