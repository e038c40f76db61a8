"""The optional durable_rules backend (``--engine durable``).

durable_rules (``pip install ntm-rules[durable]``, Python ≤ 3.12) makes only the pass/fail
comparisons, plugged into the decision kernel (:func:`ntm_rules.score.kernel.score_set`'s
`decide`); the kernel does everything else: region, threshold lookup, missing/unknown,
aggregation, recognition and revocation. The kernel's own comparisons stay the reference; the
tests compare the two on every example and on generated communes.

How it is used (the safe-usage checklist of the durable_rules 2.0.28 evaluation, §9):

* one :class:`SyncHost` per process whose ``_run`` is a no-op, so durable starts no threads;
* one ruleset per (criteria set, applied region, data year), compiled once and cached; rulesets
  with identical rules are shared and every ruleset name is unique in the process;
* one *pass* and one *fail* rule per check whose threshold is known, each guarded by
  ``{"t": "commune"}`` (the state message lacks it); ASCII rule names map back to
  ``(indicator id, check index)``;
* one fact per commune, in its own session: ``assert_fact`` (never ``post``),
  ``MessageNotHandledException`` caught, the swallowed-exception slot ``state["exception"]``
  checked, and ``delete_state`` always run, so the 1,024-live-session cap is never reached.

Values are encoded so that durable's comparisons are exact and its JSON parser never sees an
exponent: a number *x* becomes ``round-trip-decimal(x) × 10⁶`` when that is a whole number, else
the half-integer just above its floor. Thresholds must be whole multiples of 10⁻⁶, so comparing
the encodings gives exactly Python's comparison of the floats. Booleans are never compared as
numbers for ``is true``: the fact carries ``"T"`` when the observed value *is* ``True`` and
``"F"`` otherwise, and ``is true`` rules test those strings. Numeric operators see a boolean as
0/1, as Python does.
"""

from __future__ import annotations

import copy
import itertools
import json
import math
import re
import threading
import warnings
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from decimal import ROUND_FLOOR, Context, Decimal
from typing import Any

from ..errors import EvaluationError, NtmRulesError
from ..model.commune import Commune
from ..model.criteria import CriteriaSet, Indicator
from .plan import Plan

__all__ = [
    "DurableEngineError",
    "DurableUnavailableError",
    "DurableValueError",
    "decide",
]

INSTALL_HINT = "the durable engine needs `pip install ntm-rules[durable]` (Python ≤ 3.12)"
SCALE_DIGITS = 6
SCALE: int = 10**SCALE_DIGITS
# |value| <= LIMIT keeps every encoding below 2**53 (exact as a double) and below 1e16 (json
# writes no exponent).
LIMIT: int = 10**9
MAX_PROPERTIES = 250  # durable takes 252 user properties; "t" and "sid" use two of them
GUARD = {"t": "commune"}
_EXACT = Context(prec=40)  # ample for 17 significant digits; independent of the caller's context

_PASS_FAIL: dict[str, tuple[str, str]] = {
    ">=": ("$gte", "$lt"),
    ">": ("$gt", "$lte"),
    "<=": ("$lte", "$gt"),
    "<": ("$lt", "$gte"),
}


class DurableUnavailableError(NtmRulesError):
    """durable_rules is not installed, or cannot be imported on this Python."""


class DurableValueError(EvaluationError):
    """An observed value or a threshold that the durable backend cannot represent exactly."""


class DurableEngineError(NtmRulesError):
    """durable_rules failed, or returned decisions that do not add up."""


CheckKey = tuple[str, int]


def _load_engine() -> Any:
    try:
        from durable import engine as durable_engine
    except (ImportError, OSError) as exc:  # 3.13: ImportError (undefined symbol)
        raise DurableUnavailableError(f"{INSTALL_HINT}: {exc}") from exc
    return durable_engine


# --- encoding -------------------------------------------------------------------------------


def _scaled(value: object, what: str) -> Decimal:
    """``value × 10⁶``, exactly, as Python compares `value` (floats via their round-trip decimal).

    repr() is the shortest decimal that reads back as the same float, and it is strictly
    increasing in the float, so comparing these decimals is comparing the floats.
    """
    if isinstance(value, bool):
        number = Decimal(int(value))
    elif isinstance(value, int):
        number = Decimal(value)
    elif isinstance(value, float):
        if math.isnan(value) or math.isinf(value):
            raise DurableValueError(f"{what}: {value!r} cannot be compared (NaN or infinity)")
        number = Decimal(repr(value))
    else:
        raise DurableValueError(
            f"{what}: expected a number or true/false, found {type(value).__name__} {value!r}"
        )
    if number.copy_abs() > LIMIT:
        raise DurableValueError(
            f"{what}: {value!r} is outside the range ±{LIMIT:,} that the "
            "durable engine represents exactly"
        )
    return number.scaleb(SCALE_DIGITS, context=_EXACT)  # exact: ≤ 17 significant digits


def encode_threshold(value: object, what: str) -> int:
    """A threshold as an exact integer count of 10⁻⁶ units."""
    scaled = _scaled(value, what)
    if scaled != scaled.to_integral_value(context=_EXACT):
        raise DurableValueError(
            f"{what}: threshold {value!r} has more than {SCALE_DIGITS} "
            "decimals; the durable engine cannot compare it exactly"
        )
    return int(scaled)


def encode_value(value: object, what: str) -> int | float:
    """An observed number in 10⁻⁶ units: exact when whole, else ``floor + 0.5``.

    Against any whole-number threshold T the half-integer compares exactly as the true value
    does (it is never equal to T, and lies on the same side of it).
    """
    scaled = _scaled(value, what)
    floor = scaled.to_integral_value(rounding=ROUND_FLOOR, context=_EXACT)
    if scaled == floor:
        return int(scaled)
    return int(floor) + 0.5


# --- compiling ------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Rule:
    key: CheckKey
    measure: str
    passed: bool
    condition: dict[str, Any]


@dataclass
class _Compiled:
    """One registered ruleset and how to read its results."""

    name: str
    rules: dict[str, _Rule]  # rule name -> (check, pass/fail)
    numeric: dict[str, str]  # measure -> fact key holding its encoded number
    truth: dict[str, str]  # measure -> fact key holding "T"/"F"
    checks: dict[CheckKey, str]  # every compiled check -> its measure


def _items(criteria_set: CriteriaSet) -> list[Indicator]:
    return [*criteria_set.indicators, *criteria_set.recognition]


def _compile(criteria_set: CriteriaSet, region: str, year: int) -> tuple[str, _Compiled]:
    """The rules for one (set, region, year), and a signature identifying them."""
    numeric: dict[str, str] = {}
    truth: dict[str, str] = {}
    rules: dict[str, _Rule] = {}
    checks: dict[CheckKey, str] = {}
    seen: dict[CheckKey, tuple[str, str, object]] = {}
    number = itertools.count()
    for indicator in _items(criteria_set):
        for index, check in enumerate(indicator.checks):
            key = (indicator.id, index)
            cell = check.threshold.resolve(region, year).cell
            if cell is None or cell.value is None:
                continue  # unknown threshold: the core reports it, no decision needed
            spec = (check.measure, check.operator, cell.value)
            if key in seen:
                if seen[key] != spec:
                    raise DurableEngineError(
                        f"{criteria_set.id}: indicator id {indicator.id!r} is used twice with "
                        "different checks; the durable backend keys decisions by id"
                    )
                continue
            seen[key] = spec
            what = f"{criteria_set.id} {indicator.id}"
            if check.operator == "is true":
                field = truth.setdefault(check.measure, f"b{len(truth)}")
                pass_cond: dict[str, Any] = {field: "T"}
                fail_cond: dict[str, Any] = {field: "F"}
            else:
                field = numeric.setdefault(check.measure, f"n{len(numeric)}")
                threshold = encode_threshold(cell.value, what)
                if check.operator == "==":
                    pass_cond = {field: threshold}
                    fail_cond = {"$neq": {field: threshold}}
                elif check.operator in _PASS_FAIL:
                    yes, no = _PASS_FAIL[check.operator]
                    pass_cond = {yes: {field: threshold}}
                    fail_cond = {no: {field: threshold}}
                else:
                    raise DurableEngineError(
                        f"{what}: operator {check.operator!r} has no durable rule"
                    )
            n = next(number)
            rules[f"r{n}_p"] = _Rule(key, check.measure, True, pass_cond)
            rules[f"r{n}_f"] = _Rule(key, check.measure, False, fail_cond)
            checks[key] = check.measure
    if len(numeric) + len(truth) > MAX_PROPERTIES:
        raise DurableEngineError(
            f"{criteria_set.id}: {len(numeric) + len(truth)} fact "
            f"properties exceed durable's limit of {MAX_PROPERTIES}"
        )
    signature = json.dumps(
        [[name, rule.key, rule.passed, rule.condition] for name, rule in rules.items()],
        sort_keys=True,
    )
    return signature, _Compiled("", rules, numeric, truth, checks)


def _safe(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9]+", "_", text).strip("_")[:40] or "set"


# --- running --------------------------------------------------------------------------------


def _no_dispatch(self: Any) -> None:
    """Replaces ``Host._run``, which would start two never-ending dispatcher timers."""


class _Backend:
    """The process's one durable host, its rulesets, and the session counter."""

    def __init__(self) -> None:
        durable_engine = _load_engine()

        # A Host without the self-rearming dispatcher timers: no background threads.
        sync_host: Any = type("SyncHost", (durable_engine.Host,), {"_run": _no_dispatch})
        self._engine = durable_engine
        self._host = sync_host()
        self._lock = threading.RLock()
        self._by_signature: dict[str, _Compiled] = {}
        self._by_object: dict[tuple[int, str, int], tuple[CriteriaSet, _Compiled]] = {}
        self._names = itertools.count(1)
        self._sessions = itertools.count(1)
        self._fired: list[tuple[str, str]] = []

    # The action of every rule; looked up at call time so that tests can replace it.
    def record(self, rule_name: str, closure: Any) -> None:
        self._fired.append((str(closure.s.sid), rule_name))

    def _action(self, rule_name: str) -> Callable[[Any], None]:
        return lambda c: self.record(rule_name, c)

    def ruleset(self, criteria_set: CriteriaSet, region: str, year: int) -> _Compiled:
        """The ruleset of (set, region, year): compiled once; identical rule lists shared."""
        fast = (id(criteria_set), region, year)
        hit = self._by_object.get(fast)
        if hit is not None and hit[0] is criteria_set:
            return hit[1]
        signature, compiled = _compile(criteria_set, region, year)
        found = self._by_signature.get(signature)
        if found is None:
            if compiled.rules:  # no known threshold: nothing to compare, nothing to register
                compiled.name = (
                    f"ntm{next(self._names)}_{_safe(criteria_set.id)}_{_safe(region)}_{year}"
                )
                definition = {
                    name: {
                        "all": [{"m": {"$and": [dict(GUARD), rule.condition]}}],
                        "run": self._action(name),
                    }
                    for name, rule in compiled.rules.items()
                }
                try:
                    # deepcopy: durable deletes "run" from (and keeps) the dict it is given
                    self._host.set_rulesets(copy.deepcopy({compiled.name: definition}))
                except Exception as exc:
                    raise DurableEngineError(
                        f"durable_rules rejected the ruleset for {criteria_set.id} ({region}, "
                        f"{year}): {exc}"
                    ) from exc
            self._by_signature[signature] = found = compiled
        self._by_object[fast] = (criteria_set, found)
        return found

    def fire(self, compiled: _Compiled, fact: dict[str, Any]) -> list[str]:
        """Assert `fact` in a fresh session; the names of the rules that fired."""
        sid = f"s{next(self._sessions)}"
        message = {"t": "commune", "sid": sid, **fact}
        start = len(self._fired)
        state: Any = None
        ok = False
        try:
            with warnings.catch_warnings():
                # Python 3.12+: durable calls datetime.utcfromtimestamp in every action
                warnings.filterwarnings(
                    "ignore", message=r".*utcfromtimestamp", category=DeprecationWarning
                )
                try:
                    state = self._host.assert_fact(compiled.name, message)
                except self._engine.MessageNotHandledException:
                    state = None  # no rule matched: no value of this commune is compared
            ok = True
        except Exception as exc:
            raise DurableEngineError(
                f"durable_rules failed on ruleset {compiled.name}: {exc}"
            ) from exc
        finally:
            fired = [name for s, name in self._fired[start:] if s == sid]
            del self._fired[start:]
            try:
                self._host.delete_state(compiled.name, sid)
            except Exception as exc:
                if ok:  # otherwise keep the error that is already on its way
                    raise DurableEngineError(
                        f"durable_rules could not delete session {sid} of {compiled.name}: {exc}"
                    ) from exc
        if isinstance(state, Mapping) and state.get("exception"):
            raise DurableEngineError(f"a durable_rules action failed: {state['exception']}")
        return fired


_BACKEND: list[_Backend] = []
_CREATE_LOCK = threading.Lock()


def _backend() -> _Backend:
    if not _BACKEND:
        with _CREATE_LOCK:
            if not _BACKEND:
                _BACKEND.append(_Backend())
    return _BACKEND[0]


def _fact(compiled: _Compiled, commune: Commune) -> dict[str, Any]:
    fact: dict[str, Any] = {}
    for measure, field in compiled.numeric.items():
        value = commune.value(measure)
        if value is not None:
            fact[field] = encode_value(value, f"{commune.name or 'commune'}: {measure}")
    for measure, field in compiled.truth.items():
        value = commune.value(measure)
        if value is not None:
            fact[field] = "T" if value is True else "F"
    return fact


def decide(plan: Plan, commune: Commune, region: str, year: int) -> dict[CheckKey, bool]:
    """Pass/fail for every check whose value and threshold are both known, from durable;
    `region` is the region applied (the kernel resolves region rules)."""
    backend = _backend()
    criteria_set = plan.criteria_set
    with backend._lock:
        compiled = backend.ruleset(criteria_set, region, year)
        fact = _fact(compiled, commune)
        fired = backend.fire(compiled, fact) if fact else []
    decisions: dict[CheckKey, bool] = {}
    for name in fired:
        rule = compiled.rules.get(name)
        if rule is None:
            raise DurableEngineError(f"durable_rules fired an unknown rule {name!r}")
        if rule.key in decisions and decisions[rule.key] != rule.passed:
            raise DurableEngineError(f"durable_rules both passed and failed check {rule.key}")
        decisions[rule.key] = rule.passed
    for key, measure in compiled.checks.items():
        present = commune.value(measure) is not None
        if present and key not in decisions:
            raise DurableEngineError(
                f"durable_rules decided nothing for indicator {key[0]} check {key[1]} ({measure})"
            )
        if not present and key in decisions:
            raise DurableEngineError(
                f"durable_rules decided indicator {key[0]} check "
                f"{key[1]} without a value for {measure}"
            )
    return decisions
