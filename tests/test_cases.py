"""Scenario cases in YAML (OpenFisca style): ``tests/cases/*.yaml``.

Each case file is a YAML list of cases; a comment at the top says what the file covers. A case:

.. code-block:: yaml

    - name: income exactly at the 2020 TN level passes     # unique within the file
      set: ntm-2016-2020              # one set id (or overlay id) ...
      # sets: [ntm-2016-2020, ntm-2021-2025]   # ... or several: with two, the first is "old"
      base: passing                   # optional, see "Commune" below
      commune:                        # a commune exactly as in a commune YAML file
        name: A                       # optional here (defaults to the case name)
        region: TN                    # code, Vietnamese name or alias; or `province:`
        year: 2020
        categories: [dbkk, poor_district]
        recognized: {set: ntm-2016-2020, year: 2019}
        recognition: {no_outstanding_debt: true}
        measures: {income_per_capita: 41}            # optional here (defaults to {})
      expect:                         # only the keys given are checked
        indicators: {"10": pass}      # indicator id -> pass|fail|missing|unknown|not_applicable
        criteria: {"10": pass}        # criterion id -> pass|fail|indeterminate|not_applicable
        gaps: {"10": 0}               # signed gap of the deciding check (null for booleans)
        thresholds: {"10": 41}        # threshold value of the deciding check (null = unknown)
        threshold_years: {"10": 2020} # which by_year entry was used (null when none)
        bases: {"10": by_region}      # by_region | all_regions | none | before-first-year
        measures: {"17.1": clean_water_pct}   # measure of the deciding check
        verified: {"10": true}        # IndicatorResult.verified
        region_applied: TN
        verdict: indeterminate        # certified | not_certified | indeterminate
        provisional: false
        criteria_met: 18
        criteria_total: 19
        recognition: fail             # status of the recognition conditions
        recognition_conditions: {R3: fail}
        revocation: {in_frame: true, case: b, failing: 10, indeterminate: 5, total: 19,
                     key_failing: [], applies: true}     # any subset; `revocation: null` too
        prerequisites: {ntm-2021-2025: not_certified}    # tiers: required set -> its verdict
        overlay: binh-phuoc-2022      # id of the overlay the evaluation was resolved from
        notes_include: ["outside the set's period"]      # substrings of the English notes
        # transition keys (only with two sets):
        transition: lost              # kept | lost | gained | never | indeterminate
        from_verdict: certified
        to_verdict: not_certified
        from_basis: recorded_recognition
        culprits: ["13.3"]            # exactly these culprit indicator ids (any order)
        culprits_include: ["10"]      # at least these
        culprit_details: {"15.1": {cause: tightened, threshold_from: 85, threshold_to: 90}}
        by_set:                       # with several sets: evaluation keys per set id
          ntm-2021-2025: {verdict: indeterminate}

With one set, the evaluation keys apply to that set; with several, they must sit under
``by_set``. Numbers are compared with a tolerance of 1e-9.

Commune: the ``commune`` mapping is parsed by :func:`ntm_rules.load.communes.parse_commune` (the
commune-file reader, so "85%", "đạt", "n/a" and region names are read as in a real file) and
must parse without any issue. ``base: passing`` first fills ``measures`` with values that pass
every known threshold of the case's sets and of the sets they require
(``tests/helpers.passing_measures``) and ``recognition`` with every recognition condition met;
the case's own ``measures``/``recognition`` then override key by key, and a ``null`` value
removes the measure (it becomes missing).

Evaluation: :func:`ntm_rules.api.assess` on the case's sets, which applies tier prerequisites
(``requires``) and, with two sets, computes the transition old -> new.
"""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest
import yaml

from ntm_rules.api import assess
from ntm_rules.load.catalog import default_catalog
from ntm_rules.load.source import Document
from ntm_rules.load.yaml_communes import parse_commune
from ntm_rules.model.commune import Commune
from ntm_rules.model.criteria import CriteriaSet
from ntm_rules.model.results import CommuneReport, Evaluation, IndicatorResult

from .helpers import RECOGNITION_OK, passing_measures

CASES_DIR = Path(__file__).resolve().parent / "cases"

CASE_KEYS = {"name", "set", "sets", "base", "commune", "expect"}
EVAL_KEYS = {
    "indicators",
    "criteria",
    "gaps",
    "thresholds",
    "threshold_years",
    "bases",
    "measures",
    "verified",
    "region_applied",
    "verdict",
    "provisional",
    "criteria_met",
    "criteria_total",
    "recognition",
    "recognition_conditions",
    "revocation",
    "prerequisites",
    "overlay",
    "notes_include",
}
TRANSITION_KEYS = {
    "transition",
    "from_verdict",
    "to_verdict",
    "from_basis",
    "culprits",
    "culprits_include",
    "culprit_details",
}
REVOCATION_KEYS = {
    "in_frame",
    "case",
    "failing",
    "indeterminate",
    "total",
    "key_failing",
    "applies",
}
CULPRIT_KEYS = {
    "criterion",
    "measure",
    "status",
    "cause",
    "value",
    "threshold_from",
    "threshold_to",
}


def load_cases() -> list[Any]:
    params = []
    seen: set[str] = set()
    for path in sorted(CASES_DIR.glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        assert isinstance(data, list) and data, f"{path.name}: expected a non-empty list of cases"
        for case in data:
            assert isinstance(case, dict) and "name" in case, f"{path.name}: bad case {case!r}"
            case_id = f"{path.name}::{case['name']}"
            assert case_id not in seen, f"duplicate case {case_id}"
            seen.add(case_id)
            params.append(pytest.param(path.name, case, id=case_id))
    return params


CASES = load_cases()


# --- building and evaluating a case --------------------------------------------------------
def case_sets(case: dict[str, Any]) -> list[CriteriaSet]:
    assert ("set" in case) != ("sets" in case), "give exactly one of `set` and `sets`"
    ids = [case["set"]] if "set" in case else list(case["sets"])
    assert ids, "`sets` is empty"
    catalog = default_catalog()
    return [catalog.load(i) for i in ids]


def with_required(sets: list[CriteriaSet]) -> list[CriteriaSet]:
    """The sets and, transitively, every set they require."""
    catalog = default_catalog()
    out: list[CriteriaSet] = []
    todo = list(sets)
    while todo:
        s = todo.pop(0)
        if all(s.id != o.id for o in out):
            out.append(s)
            todo.extend(catalog.load(r) for r in s.requires)
    return out


def build_commune(file: str, case: dict[str, Any], sets: list[CriteriaSet]) -> Commune:
    raw = copy.deepcopy(case.get("commune") or {})
    assert isinstance(raw, dict), "`commune` must be a mapping"
    raw.setdefault("name", case["name"])
    raw.setdefault("measures", {})
    base = case.get("base")
    if base is not None:
        assert base == "passing", f"unknown base {base!r}"
        raw["measures"] = {**passing_measures(*with_required(sets)), **(raw["measures"] or {})}
        raw["recognition"] = {**RECOGNITION_OK, **(raw.get("recognition") or {})}
    catalog = default_catalog()
    doc = Document(f"{file}::{case['name']}", data=raw)
    found = parse_commune(doc, raw, (), catalog.vocab)
    errors = [i for i in doc.issues if i.severity == "error"]
    assert not errors, "the case's commune does not parse: " + "; ".join(
        f"{i.location.path}: {i.message}" for i in doc.issues
    )
    (commune,) = found  # a case gives one data year
    return commune


def run_case(file: str, case: dict[str, Any]) -> CommuneReport:
    sets = case_sets(case)
    commune = build_commune(file, case, sets)
    return assess(commune, sets, default_catalog())


# --- comparing ----------------------------------------------------------------------------
def same(actual: Any, expected: Any) -> bool:
    if expected is None or isinstance(expected, bool) or isinstance(actual, bool):
        return actual is expected
    if isinstance(expected, (int, float)) and isinstance(actual, (int, float)):
        return actual == pytest.approx(expected, abs=1e-9, rel=0)
    return actual == expected


def indicator_map(ev: Evaluation) -> dict[str, IndicatorResult]:
    return {i.id: i for c in ev.criteria for i in c.indicators}


def check_per_id(
    errors: list[str], what: str, expected: dict[Any, Any], actual_of: Any, known: dict[str, Any]
) -> None:
    assert isinstance(expected, dict), f"`{what}` must be a mapping"
    for key, want in expected.items():
        key = str(key)
        if key not in known:
            errors.append(f"{what}[{key}]: no such id (known: {', '.join(known)})")
            continue
        got = actual_of(known[key])
        if not same(got, want):
            errors.append(f"{what}[{key}]: expected {want!r}, got {got!r}")


def check_evaluation(ev: Evaluation, expect: dict[str, Any], where: str) -> list[str]:
    unknown = set(expect) - EVAL_KEYS
    assert not unknown, f"{where}: unknown expect keys {sorted(unknown)}"
    errors: list[str] = []
    inds = indicator_map(ev)
    crits = {c.id: c for c in ev.criteria}
    per_indicator = {
        "indicators": lambda r: str(r.status),
        "gaps": lambda r: r.primary.gap,
        "thresholds": lambda r: r.primary.threshold,
        "threshold_years": lambda r: r.primary.year_used,
        "bases": lambda r: r.primary.basis,
        "measures": lambda r: r.primary.measure,
        "verified": lambda r: r.verified,
    }
    for key, get in per_indicator.items():
        if key in expect:
            check_per_id(errors, key, expect[key], get, inds)
    if "criteria" in expect:
        check_per_id(errors, "criteria", expect["criteria"], lambda c: str(c.status), crits)
    if "recognition_conditions" in expect:
        conds = {c.id: c for c in ev.recognition.conditions}
        check_per_id(
            errors,
            "recognition_conditions",
            expect["recognition_conditions"],
            lambda r: str(r.status),
            conds,
        )
    scalars = {
        "region_applied": ev.region_applied,
        "verdict": str(ev.verdict),
        "provisional": ev.provisional,
        "criteria_met": ev.criteria_met,
        "criteria_total": ev.criteria_total,
        "recognition": str(ev.recognition.status),
        "overlay": ev.overlay.id if ev.overlay else None,
    }
    for key, got in scalars.items():
        if key in expect and not same(got, expect[key]):
            errors.append(f"{key}: expected {expect[key]!r}, got {got!r}")
    if "revocation" in expect:
        want = expect["revocation"]
        if want is None or ev.revocation is None:
            if not (want is None and ev.revocation is None):
                errors.append(f"revocation: expected {want!r}, got {ev.revocation!r}")
        else:
            unknown = set(want) - REVOCATION_KEYS
            assert not unknown, f"{where}: unknown revocation keys {sorted(unknown)}"
            for key, value in want.items():
                got = getattr(ev.revocation, key)
                if key == "key_failing":
                    got, value = sorted(got), sorted(str(v) for v in value)
                if not same(got, value):
                    errors.append(f"revocation.{key}: expected {value!r}, got {got!r}")
    if "prerequisites" in expect:
        got_pre = {k: str(v) for k, v in ev.prerequisites}
        want_pre = {str(k): str(v) for k, v in (expect["prerequisites"] or {}).items()}
        if got_pre != want_pre:
            errors.append(f"prerequisites: expected {want_pre!r}, got {got_pre!r}")
    for text in expect.get("notes_include", []):
        if not any(text in n.en for n in ev.notes):
            errors.append(f"notes: no English note contains {text!r}: {[n.en for n in ev.notes]!r}")
    return [f"{where}: {e}" for e in errors]


def check_transition(report: CommuneReport, expect: dict[str, Any]) -> list[str]:
    wanted = {k: expect[k] for k in TRANSITION_KEYS if k in expect}
    if not wanted:
        return []
    tr = report.transition
    assert tr is not None, "transition keys need exactly two sets"
    errors: list[str] = []
    scalars = {
        "transition": tr.outcome,
        "from_verdict": tr.from_verdict,
        "to_verdict": tr.to_verdict,
        "from_basis": tr.from_basis,
    }
    for key, got in scalars.items():
        if key in wanted and got != wanted[key]:
            errors.append(f"{key}: expected {wanted[key]!r}, got {got!r}")
    ids = [c.indicator for c in tr.culprits]
    if "culprits" in wanted and sorted(ids) != sorted(str(i) for i in wanted["culprits"]):
        errors.append(f"culprits: expected {sorted(wanted['culprits'])}, got {sorted(ids)}")
    if "culprits_include" in wanted:
        absent = [str(i) for i in wanted["culprits_include"] if str(i) not in ids]
        if absent:
            errors.append(f"culprits_include: {absent} not among {sorted(ids)}")
    for ind, details in (wanted.get("culprit_details") or {}).items():
        unknown = set(details) - CULPRIT_KEYS
        assert not unknown, f"unknown culprit keys {sorted(unknown)}"
        found = [c for c in tr.culprits if c.indicator == str(ind)]
        if len(found) != 1:
            errors.append(f"culprit {ind}: expected one culprit, found {len(found)}")
            continue
        for key, value in details.items():
            got = getattr(found[0], key)
            if not same(got, value):
                errors.append(f"culprit {ind}.{key}: expected {value!r}, got {got!r}")
    return [f"transition: {e}" for e in errors]


@pytest.mark.parametrize(("file", "case"), CASES)
def test_case(file: str, case: dict[str, Any]) -> None:
    unknown = set(case) - CASE_KEYS
    assert not unknown, f"unknown case keys {sorted(unknown)}"
    expect = case.get("expect")
    assert isinstance(expect, dict) and expect, "a case needs a non-empty `expect`"
    stray = set(expect) - EVAL_KEYS - TRANSITION_KEYS - {"by_set"}
    assert not stray, f"unknown expect keys {sorted(stray)}"
    report = run_case(file, case)
    evaluations = {ev.set_id: ev for ev in report.evaluations}
    errors: list[str] = []
    own = {k: v for k, v in expect.items() if k in EVAL_KEYS}
    if own:
        assert len(report.evaluations) == 1, "with several sets, put evaluation keys under `by_set`"
        errors += check_evaluation(report.evaluations[0], own, report.evaluations[0].set_id)
    for set_id, sub in (expect.get("by_set") or {}).items():
        assert set_id in evaluations, f"by_set: {set_id} is not one of the case's sets"
        errors += check_evaluation(evaluations[set_id], sub, set_id)
    errors += check_transition(report, expect)
    assert not errors, "\n".join(errors)


def test_case_corpus_size() -> None:
    files = {param.values[0] for param in CASES}
    assert len(files) >= 12
    assert len(CASES) >= 40
