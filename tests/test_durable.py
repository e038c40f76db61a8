"""The durable_rules backend against the core kernel (the oracle).

The backend makes only the pass/fail comparisons, plugged into the kernel
(``decide(plan, commune, region, year)``); it is chosen with ``engine="durable"`` in
:func:`ntm_rules.evaluate`, :func:`ntm_rules.score_province` and :func:`ntm_rules.api.assess_many`.
Both engines must give identical results on every example and on generated communes, against
every shipped set.

Skipped as a whole when durable_rules cannot be imported (it is the optional extra
``ntm-rules[durable]`` and builds only on Python ≤ 3.12).
"""

from __future__ import annotations

import json
import math
import random
import sys
import threading
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip(
    "durable.engine",
    reason="durable_rules is not installed (optional: pip install ntm-rules[durable], "
    "Python ≤ 3.12)",
)

from hypothesis import given, settings
from hypothesis import strategies as st

from ntm_rules import (
    Catalog,
    Commune,
    CriteriaSet,
    EvaluationError,
    InvalidFileError,
    NtmRulesError,
    Recognized,
    assess,
    evaluate,
    load_communes,
    score_province,
)
from ntm_rules.api import assess_many
from ntm_rules.model.criteria import Cell, Check, RegionValues, Source, Threshold
from ntm_rules.score import durable as db

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = sorted(
    p for p in (ROOT / "examples").glob("**/*") if p.suffix in (".yaml", ".csv", ".xlsx")
)
SEED = 20_250_611
GENERATED = 300

CATALOG = Catalog()
SETS = CATALOG.all_sets()
STANDARD_PAIR = [CATALOG.load("ntm-2016-2020"), CATALOG.load("ntm-2021-2025")]
REGION_CODES = CATALOG.regions.codes


def _core(commune: Commune, criteria_set: CriteriaSet) -> dict[str, Any]:
    out = evaluate(commune, criteria_set, CATALOG).to_dict()
    assert out.pop("engine") == "core"
    return out


def _durable(commune: Commune, criteria_set: CriteriaSet) -> dict[str, Any]:
    out = evaluate(commune, criteria_set, CATALOG, engine="durable").to_dict()
    assert out.pop("engine") == "durable"
    return out


def _statuses(result: dict[str, Any]) -> list[tuple[str, str]]:
    rows = [(i["id"], i["status"]) for c in result["criteria"] for i in c["indicators"]]
    rows += [(i["id"], i["status"]) for i in result["recognition"]["conditions"]]
    return rows


def assert_same(commune: Commune, criteria_set: CriteriaSet) -> None:
    core, durable = _core(commune, criteria_set), _durable(commune, criteria_set)
    if core != durable:
        diff = [(a, b) for a, b in zip(_statuses(core), _statuses(durable), strict=True) if a != b]
        pytest.fail(
            f"{commune.name} / {criteria_set.id} ({commune.region}, {commune.year}): "
            f"core and durable disagree; indicator (core, durable): {diff}; "
            f"verdict {core['verdict']} vs {durable['verdict']}"
        )


def _without_engine(report: dict[str, Any], engine: str) -> dict[str, Any]:
    """A CommuneReport's JSON with every evaluation's "engine" checked and removed."""
    evaluations = []
    for ev in report["evaluations"]:
        ev = dict(ev)
        assert ev.pop("engine") == engine
        evaluations.append(ev)
    return {**report, "evaluations": evaluations}


# --- generated communes -----------------------------------------------------------------------


def _thresholds() -> dict[str, list[Any]]:
    """Every known threshold value of every shipped set, by measure."""
    out: dict[str, list[Any]] = {}
    for s in SETS:
        for ind in [*s.indicators, *s.recognition]:
            for check in ind.checks:
                for cell in check.threshold.cells():
                    if cell.value is not None and not isinstance(cell.value, bool):
                        out.setdefault(check.measure, []).append(cell.value)
    return out


def _passing() -> dict[str, Any]:
    """Values that pass most checks, so that certified and near-certified communes occur."""
    out: dict[str, Any] = {}
    for key, measure in CATALOG.measures.items():
        out[key] = True if measure.type == "boolean" else None
    for s in SETS:
        for ind in [*s.indicators, *s.recognition]:
            for check in ind.checks:
                values = [
                    c.value
                    for c in check.threshold.cells()
                    if c.value is not None and not isinstance(c.value, bool)
                ]
                if check.operator in (">=", ">") and values:
                    best = max(values) + (1 if check.operator == ">" else 0)
                    now = out[check.measure]
                    out[check.measure] = best if now is None else max(best, now)
                elif check.operator in ("<=", "<") and values:
                    best = min(values) - (1 if check.operator == "<" else 0)
                    now = out[check.measure]
                    out[check.measure] = best if now is None else min(best, now)
    return {k: v for k, v in out.items() if v is not None}


def _number(rng: random.Random, key: str, bounds: dict[str, list[Any]]) -> Any:
    measure = CATALOG.measures[key]
    low = measure.min if measure.min is not None else 0
    high = measure.max if measure.max is not None else 1000
    pick = rng.random()
    if key in bounds and pick < 0.45:  # on, or just either side of, a threshold
        t = rng.choice(bounds[key])
        value = rng.choice(
            [
                t,
                float(t),
                int(t) if float(t).is_integer() else t,
                math.nextafter(t, math.inf),
                math.nextafter(t, -math.inf),
                t + 0.01,
                t - 0.01,
                round(t - 0.01, 2),
                t + 1,
                t - 1,
            ]
        )
    elif pick < 0.55:
        value = rng.choice([0, 0.0, 1e-05, 1e-07, 0.5, high, low, 99.99999999, 5e-324])
    else:
        value = rng.uniform(low, high)
        value = round(value, rng.choice([0, 1, 2, 3, 15]))
    value = min(max(value, low), high)
    if measure.type == "count":
        value = int(value)
    return value


def _commune(
    rng: random.Random, n: int, bounds: dict[str, list[Any]], passing: dict[str, Any]
) -> Commune:
    measures: dict[str, Any] = {}
    mostly_passing = rng.random() < 0.5
    for key, measure in CATALOG.measures.items():
        if mostly_passing and key in passing and rng.random() > 0.08:
            measures[key] = passing[key]
        elif rng.random() < 0.12:
            continue  # missing
        elif measure.type == "boolean":
            measures[key] = rng.random() < 0.75
        else:
            measures[key] = _number(rng, key, bounds)
    recognition: dict[str, Any] = {}
    for key in (
        "registered_in_plan",
        "no_outstanding_debt",
        "residents_satisfied",
        "security_safe",
    ):
        if key in measures and rng.random() < 0.4:
            recognition[key] = measures.pop(key)
    categories = tuple(c for c in CATALOG.regions.categories if rng.random() < 0.1)
    region = rng.choice([*REGION_CODES, ""]) if rng.random() < 0.97 else ""
    recognized = (
        Recognized(rng.choice([s.id for s in SETS]), rng.randint(2016, 2025))
        if rng.random() < 0.3
        else None
    )
    return Commune(
        name=f"gen-{n}",
        year=rng.randint(2016, 2026),
        region=region,
        region_basis=rng.choice(["file", "province"]),
        region_verified=rng.random() < 0.9,
        measures=measures,
        code=f"{n:05d}",
        categories=categories,
        recognized=recognized,
        recognition=recognition,
    )


def generated(count: int = GENERATED, seed: int = SEED) -> Iterator[Commune]:
    rng = random.Random(seed)
    bounds, passing = _thresholds(), _passing()
    for n in range(count):
        yield _commune(rng, n, bounds, passing)


# --- the differential tests ------------------------------------------------------------------


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: str(p.relative_to(ROOT)))
def test_examples_agree_with_core(path: Path) -> None:
    try:
        communes = load_communes(path, CATALOG)
    except InvalidFileError as exc:
        pytest.skip(f"{path.name} is not a valid commune file (yet): {exc.summary()}")
    assert communes
    for commune in communes:
        for criteria_set in SETS:
            assert_same(commune, criteria_set)


def test_generated_communes_agree_with_core() -> None:
    verdicts: set[str] = set()
    statuses: set[str] = set()
    for commune in generated():
        for criteria_set in SETS:
            assert_same(commune, criteria_set)
            result = _core(commune, criteria_set)
            verdicts.add(result["verdict"])
            statuses.update(s for _, s in _statuses(result))
    # the generator reaches the outcomes, so the comparison above means something ("certified"
    # needs every threshold of a set known, which the data does not guarantee)
    assert {"not_certified", "indeterminate"} <= verdicts
    assert {"pass", "fail", "missing"} <= statuses


def test_province_agrees_with_core() -> None:
    """A whole province through each engine (one scorer, durable deciding commune by commune):
    the batch JSON is identical, with every set, with the transition and with the tiers."""
    communes = list(generated())
    for sets, tiers in ((SETS, False), (STANDARD_PAIR, True)):
        core = score_province(communes, sets, CATALOG, tiers=tiers).to_dict()
        durable = score_province(communes, sets, CATALOG, tiers=tiers, engine="durable")
        assert durable.to_dict() == core
    # the transition is exercised: some communes lose certification, some never hold it
    assert core["transitions"]["lost"] > 0 and core["transitions"]["never"] > 0


def test_assess_many_agrees_with_core() -> None:
    """Many communes at once through assess_many: per commune the sets in force, the
    transition of the standard pair, and the tiers; every evaluation says which engine made it
    and is otherwise identical."""
    communes = list(generated(120, seed=17))
    for sets, tiers in (((), False), (STANDARD_PAIR, False), ((), True)):
        core = assess_many(communes, CATALOG, sets, tiers=tiers).reports
        durable = assess_many(communes, CATALOG, sets, tiers=tiers, engine="durable").reports
        assert len(durable) == len(core) == len(communes)
        for a, b in zip(core, durable, strict=True):
            assert _without_engine(b.to_dict(), "durable") == _without_engine(a.to_dict(), "core")


def test_generation_is_deterministic() -> None:
    first = [c.to_dict() | {"m": dict(c.measures)} for c in generated(20)]
    again = [c.to_dict() | {"m": dict(c.measures)} for c in generated(20)]
    assert first == again


@pytest.mark.parametrize(
    "value", [80, 80.0, 79.99, 80.01, math.nextafter(80, 0), math.nextafter(80, 100), 1e-05, 0]
)
@pytest.mark.parametrize("operator", [">=", ">", "<=", "<", "=="])
def test_boundaries_are_exact(value: float, operator: str) -> None:
    criteria_set = _with_threshold(SETS[0], operator, 80)
    commune = _commune_with(criteria_set, value)
    assert_same(commune, criteria_set)


def test_booleans_are_not_numbers() -> None:
    """`is true` passes only on True: 1 and 1.0 fail, as in the core (no True == 1 trap)."""
    criteria_set = SETS[0]
    ind = next(
        i
        for i in criteria_set.indicators
        if i.checks[0].operator == "is true" and i.applies_if is None
    )
    for value, expected in ((True, "pass"), (False, "fail"), (1, "fail"), (1.0, "fail")):
        commune = Commune(
            name="b",
            year=2018,
            region="TN",
            region_basis="file",
            region_verified=True,
            measures={ind.measure: value},
        )
        result = _durable(commune, criteria_set)
        assert dict(_statuses(result))[ind.id] == expected, value
        assert_same(commune, criteria_set)


@settings(max_examples=300, derandomize=True, deadline=None)
@given(
    value=st.one_of(st.floats(-1e9, 1e9, allow_nan=False), st.integers(-(10**9), 10**9)),
    threshold=st.one_of(
        st.integers(-(10**6), 10**6), st.decimals(-(10**6), 10**6, places=6).map(float)
    ),
)
def test_encoding_preserves_every_comparison(value: float, threshold: float) -> None:
    v, t = db.encode_value(value, "v"), db.encode_threshold(threshold, "t")
    assert "e" not in json.dumps(v).lower() and "e" not in json.dumps(t).lower()
    assert float(v) == v and abs(v) < 2**53  # exact as a double, as durable parses it
    assert (v >= t, v > t, v <= t, v < t, v == t) == (
        value >= threshold,
        value > threshold,
        value <= threshold,
        value < threshold,
        value == threshold,
    )


# --- engine hygiene ------------------------------------------------------------------------


def test_many_communes_one_ruleset_no_session_cap() -> None:
    """> 1,024 communes through one ruleset: every session is deleted, so no MemoryError."""
    criteria_set = SETS[-1]
    assert not criteria_set.required_sets  # one set scored, so one ruleset
    backend = db._backend()
    base = next(iter(generated(1, seed=7)))
    rulesets_before = len(backend._host._ruleset_list)
    communes = []
    for n in range(1_100):
        measures = dict(base.measures)
        measures["commune_roads_paved_pct"] = n % 101
        communes.append(
            replace(base, name=f"cap-{n}", region="TN", categories=(), year=2023, measures=measures)
        )
    durable = score_province(communes, [criteria_set], CATALOG, engine="durable")
    assert len(backend._host._ruleset_list) - rulesets_before <= 1  # one ruleset, reused
    assert durable.to_dict() == score_province(communes, [criteria_set], CATALOG).to_dict()
    # and one commune after the 1,100 sessions still goes through
    assert_same(communes[-1], criteria_set)


def test_no_background_threads(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(db, "_BACKEND", [])  # a fresh host, created inside the window
    before = threading.active_count()
    for commune in generated(5, seed=3):
        for criteria_set in SETS:
            evaluate(commune, criteria_set, CATALOG, engine="durable")
    assert len(db._BACKEND) == 1
    assert threading.active_count() == before


def test_rulesets_are_cached_per_set_region_year() -> None:
    backend = db._backend()
    criteria_set = SETS[0]
    first = backend.ruleset(criteria_set, "DBSH", 2019)
    assert backend.ruleset(criteria_set, "DBSH", 2019) is first
    names = [r._name for r in backend._host._ruleset_list]
    assert len(names) == len(set(names))
    assert all(name.isascii() for name in first.rules)


def test_swallowed_action_exception_is_raised(monkeypatch: pytest.MonkeyPatch) -> None:
    backend = db._backend()
    commune = next(iter(generated(1, seed=11)))

    def broken(rule_name: str, closure: Any) -> None:
        raise ValueError("boom")

    monkeypatch.setattr(backend, "record", broken)
    with pytest.raises(db.DurableEngineError, match="boom"):
        evaluate(commune, SETS[0], CATALOG, engine="durable")
    monkeypatch.undo()
    assert_same(commune, SETS[0])  # the failed session was deleted; the host still works


# --- documented errors ---------------------------------------------------------------------


@pytest.mark.parametrize("bad", [math.nan, math.inf, -math.inf, "80", 2e9, None])
def test_invalid_values_raise_documented_error(bad: Any) -> None:
    criteria_set = SETS[0]
    ind = next(i for i in criteria_set.indicators if i.checks[0].operator == ">=")
    commune = Commune(
        name="bad",
        year=2018,
        region="TN",
        region_basis="file",
        region_verified=True,
        measures={ind.measure: bad},
    )
    if bad is None:  # None means "no data": missing, not an error
        assert_same(commune, criteria_set)
        return
    with pytest.raises(db.DurableValueError, match=ind.measure) as info:
        evaluate(commune, criteria_set, CATALOG, engine="durable")
    assert isinstance(info.value, EvaluationError)
    with pytest.raises(db.DurableValueError, match=ind.measure):
        score_province([commune], [criteria_set], CATALOG, engine="durable")


def test_unrepresentable_threshold_raises() -> None:
    criteria_set = _with_threshold(SETS[0], ">=", 12.3456789)
    commune = _commune_with(criteria_set, 50)
    with pytest.raises(db.DurableValueError, match="more than 6 decimals"):
        evaluate(commune, criteria_set, CATALOG, engine="durable")


def test_missing_durable_raises_install_hint(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(db, "_BACKEND", [])
    monkeypatch.setitem(sys.modules, "durable", None)
    monkeypatch.setitem(sys.modules, "durable.engine", None)
    commune = next(iter(generated(1)))
    with pytest.raises(db.DurableUnavailableError) as info:
        evaluate(commune, SETS[0], CATALOG, engine="durable")
    assert isinstance(info.value, NtmRulesError)
    assert "pip install ntm-rules[durable]` (Python ≤ 3.12)" in str(info.value)


def test_assess_with_durable_engine() -> None:
    commune = next(iter(generated(1, seed=5)))
    report = assess(commune, SETS[:2], CATALOG, engine="durable")
    assert [e.engine for e in report.evaluations] == ["durable", "durable"]
    assert report.transition is not None
    core = assess(commune, SETS[:2], CATALOG)
    assert _without_engine(report.to_dict(), "durable") == _without_engine(core.to_dict(), "core")


# --- helpers -------------------------------------------------------------------------------


def _with_threshold(criteria_set: CriteriaSet, operator: str, value: float) -> CriteriaSet:
    """`criteria_set` with its first numeric indicator replaced by `measure OP value`."""
    source = Source("test", "test")
    for c_index, crit in enumerate(criteria_set.criteria):
        for i_index, ind in enumerate(crit.indicators):
            if ind.checks[0].operator in (">=", "<=") and ind.applies_if is None:
                check = Check(
                    ind.checks[0].measure,
                    operator,
                    Threshold(RegionValues(all_regions=Cell(value, True, source))),
                )
                indicators = list(crit.indicators)
                indicators[i_index] = replace(ind, checks=(check,))
                criteria = list(criteria_set.criteria)
                criteria[c_index] = replace(crit, indicators=tuple(indicators))
                return replace(
                    criteria_set,
                    id=f"{criteria_set.id}-t{operator}{value}",
                    criteria=tuple(criteria),
                )
    raise AssertionError("no numeric indicator")


def _commune_with(criteria_set: CriteriaSet, value: float) -> Commune:
    measure = next(
        i
        for i in criteria_set.indicators
        if i.checks[0].operator in (">=", "<=", ">", "<", "==") and i.applies_if is None
    ).measure
    return Commune(
        name="edge",
        year=2018,
        region="TN",
        region_basis="file",
        region_verified=True,
        measures={measure: value},
    )
