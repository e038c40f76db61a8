"""A naive reference evaluator: one commune at a time, plain Python, written to be read.

It restates every decision rule of the kernel (:mod:`ntm_rules.score.kernel`) the obvious way
— the per-commune engine the project started with — so that the property test in
``test_kernel_oracle.py`` can compare the kernel with it on random communes, field by field.
It shares no decision code with the kernel: only the data model, the operator registry's
comparisons and gap arithmetic, and the indicator pairing (which old indicator a new one
continues — a fact about the sets, not a decision about a commune).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ntm_rules.model.commune import Commune
from ntm_rules.model.criteria import Check, CriteriaSet, Indicator
from ntm_rules.operators import OPERATORS, gap
from ntm_rules.score.pairing import pair

PASS, FAIL, MISSING, UNKNOWN, NA = "pass", "fail", "missing", "unknown", "not_applicable"


@dataclass
class CheckOut:
    measure: str
    status: str
    threshold: Any
    verified: bool | None  # the cell's flag (None: no cell)
    gap: float | None


@dataclass
class IndicatorOut:
    id: str
    status: str
    checks: list[CheckOut]
    decider: int  # position of the deciding check; -1: the applies_if condition
    verified: bool | None
    doubt: bool

    @property
    def head(self) -> tuple[str, Any]:
        """(measure, threshold) of what decided it."""
        return self._head

    _head: tuple[str, Any] = ("", None)


@dataclass
class SetOut:
    set_id: str
    region_applied: str
    criteria: dict[str, str]
    indicators: dict[str, IndicatorOut]
    recognition: str
    own_verdict: str
    verdict: str
    met: int
    total: int
    provisional: bool
    unverified_used: list[str] = field(default_factory=list)


def region_applied(commune: Commune, cset: CriteriaSet) -> tuple[str, bool]:
    """(region, whether an unverified rule put the commune there)."""
    for rule in cset.region_rules:
        first = [c for c in commune.categories if c in rule.categories]
        if not first:
            continue
        if rule.and_categories and not [c for c in commune.categories if c in rule.and_categories]:
            continue
        return rule.use_region, not rule.verified
    return commune.region, False


def check_one(check: Check, commune: Commune, region: str) -> CheckOut:
    cell = check.threshold.resolve(region, commune.year).cell
    value = commune.value(check.measure)
    threshold = cell.value if cell is not None else None
    verified = cell.verified if cell is not None else None
    if value is None:
        return CheckOut(check.measure, MISSING, threshold, verified, None)
    if threshold is None:
        return CheckOut(check.measure, UNKNOWN, threshold, verified, None)
    if check.operator == "is true":
        passed = value is True
    else:
        passed = OPERATORS[check.operator].compare(value, threshold)
    return CheckOut(
        check.measure,
        PASS if passed else FAIL,
        threshold,
        verified,
        gap(check.operator, value, threshold),
    )


def evaluate_indicator(ind: Indicator, commune: Commune, region: str) -> IndicatorOut:
    checks = [check_one(c, commune, region) for c in ind.checks]
    statuses = [c.status for c in checks]
    status = PASS
    for worst in (FAIL, MISSING, UNKNOWN):
        if worst in statuses:
            status = worst
            break
    decider = statuses.index(status)
    if status == PASS:
        verified: bool | None = all(c.verified is True for c in checks)
    elif status == FAIL:
        verified = any(c.status == FAIL and c.verified is True for c in checks)
    else:
        verified = checks[decider].verified
    head = (checks[decider].measure, checks[decider].threshold)
    if ind.applies_if is not None:
        cond = ind.applies_if
        seen = commune.value(cond.measure)
        if seen is None:
            status, decider, verified = MISSING, -1, None
            head = (cond.measure, cond.value)
        else:
            holds = (
                seen is True
                if cond.operator == "is true"
                else OPERATORS[cond.operator].compare(seen, cond.value)
            )
            if not holds:
                status, verified = NA, None
    out = IndicatorOut(ind.id, status, checks, decider, verified, bool(ind.doubt))
    out._head = head
    return out


def criterion_status(statuses: list[str]) -> str:
    applicable = [s for s in statuses if s != NA]
    if not applicable:
        return NA
    if FAIL in applicable:
        return FAIL
    if MISSING in applicable or UNKNOWN in applicable:
        return "indeterminate"
    return PASS


def evaluate(commune: Commune, cset: CriteriaSet) -> SetOut:
    region, rule_unverified = region_applied(commune, cset)
    indicators: dict[str, IndicatorOut] = {}
    criteria: dict[str, str] = {}
    for crit in cset.criteria:
        results = [evaluate_indicator(i, commune, region) for i in crit.indicators]
        for r in results:
            indicators[r.id] = r
        criteria[crit.id] = criterion_status([r.status for r in results])
    conditions = [evaluate_indicator(c, commune, region) for c in cset.recognition]
    for r in conditions:
        indicators[r.id] = r
    recognition = criterion_status([r.status for r in conditions]) if conditions else NA
    statuses = [*criteria.values(), recognition]
    if FAIL in statuses:
        verdict = "not_certified"
    elif "indeterminate" in statuses:
        verdict = "indeterminate"
    else:
        verdict = "certified"
    unverified = [
        r.id for r in indicators.values() if r.status in (PASS, FAIL) and r.verified is False
    ]
    provisional = bool(unverified) or not commune.region_verified or rule_unverified
    own = verdict
    for req in cset.required_sets:
        other = evaluate(commune, req)
        if other.verdict == "not_certified" or verdict == "not_certified":
            verdict = "not_certified"
        elif other.verdict == "indeterminate" or verdict == "indeterminate":
            verdict = "indeterminate"
        provisional = provisional or other.provisional
    return SetOut(
        cset.id,
        region,
        criteria,
        indicators,
        recognition,
        own,
        verdict,
        sum(1 for s in criteria.values() if s == PASS),
        sum(1 for s in criteria.values() if s != NA),
        provisional,
        unverified,
    )


# --- transition -------------------------------------------------------------------------------


def recorded(commune: Commune, old: CriteriaSet) -> bool:
    rec = commune.recognized
    return rec is not None and rec.set in (old.id, old.base_id) and rec.tier == old.tier


def outcome(before: str, after: str) -> str:
    return {
        ("certified", "certified"): "kept",
        ("certified", "not_certified"): "lost",
        ("not_certified", "certified"): "gained",
        ("not_certified", "not_certified"): "never",
    }.get((before, after), "indeterminate")


def culprits(
    commune: Commune, old: CriteriaSet, new: CriteriaSet, a: SetOut, b: SetOut
) -> list[dict[str, Any]]:
    failing_only = b.verdict == "not_certified"
    continues = {n.id: o.id for o, n, _how in pair(old, new).pairs}
    out = []
    items = [(c.id, i) for c in new.criteria for i in c.indicators]
    items += [("recognition", c) for c in new.recognition]
    for crit_id, ind in items:
        res = b.indicators[ind.id]
        if res.status in (PASS, NA) or (failing_only and res.status != FAIL):
            continue
        measure, threshold = res.head
        if crit_id == "recognition":
            cause, before = "recognition", None
        else:
            before_id = continues.get(ind.id)
            before = a.indicators[before_id] if before_id is not None else None
            if res.status == MISSING:
                cause = "missing_data"
            elif res.status == UNKNOWN:
                cause = "unknown_threshold"
            elif before is None:
                cause = "new_indicator"
            else:
                cause = "tightened" if before.status == PASS else "fails"
        out.append(
            {
                "criterion": crit_id,
                "indicator": ind.id,
                "measure": measure,
                "status": res.status,
                "cause": cause,
                "value": commune.value(measure),
                "threshold_from": before.head[1] if before is not None else None,
                "threshold_to": threshold,
                "verified": res.verified,
                "doubt": res.doubt,
            }
        )
    return out


def definite_failure(ev: SetOut) -> bool:
    return any(
        r.status == FAIL and r.verified is True and not r.doubt for r in ev.indicators.values()
    )


def transition(commune: Commune, old: CriteriaSet, new: CriteriaSet) -> dict[str, Any]:
    a, b = evaluate(commune, old), evaluate(commune, new)
    held = recorded(commune, old)
    before = "certified" if held else a.verdict
    result = outcome(before, b.verdict)
    found = culprits(commune, old, new, a, b) if result != "kept" else []
    definite = any(c["status"] == FAIL and c["verified"] is True and not c["doubt"] for c in found)
    old_side = not held
    if result == "lost":
        provisional = not definite or (old_side and a.provisional)
    elif result == "never":
        provisional = not definite or (old_side and not definite_failure(a))
    elif result == "kept":
        provisional = b.provisional or (old_side and a.provisional)
    elif result == "gained":
        provisional = b.provisional or (old_side and not definite_failure(a))
    else:
        provisional = False
    return {"outcome": result, "culprits": found, "provisional": provisional}
