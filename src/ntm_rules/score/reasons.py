"""One-sentence explanations of an indicator's outcome, in Vietnamese and English.

Built from an already decided :class:`~ntm_rules.model.results.IndicatorResult` (its status and
deciding check): nothing here decides anything. Numbers are written the reader's way
(:mod:`ntm_rules.words`): ``44,8`` in Vietnamese, ``44.8`` in English; percentage-point gaps as
points; a value over a ceiling "exceeds" it, a value under a floor "falls short".
"""

from __future__ import annotations

from collections.abc import Callable

from ..model.assumptions import ASSUMED
from ..model.results import CheckResult, IndicatorResult, Status
from ..operators import OPERATORS
from ..words import Text, fmt, fmt_value, gap_text, t
from ..words import region as shown_region

SYMBOL = {">=": "≥", "<=": "≤", ">": ">", "<": "<", "==": "="}


def _both(make: Callable[[str], str]) -> Text:
    return Text(make("vi"), make("en"))


def threshold_text(check: CheckResult, lang: str) -> str:
    """``≥ 44,8 triệu đồng/người/năm``, ``đạt`` or ``?`` (unknown)."""
    if check.threshold is None:
        return "?"
    if check.operator == "is true":
        return t("achieved", lang)
    unit = check.unit.get(lang)
    return f"{SYMBOL.get(check.operator, check.operator)} {fmt(check.threshold, unit, lang)}"


def break_even_text(check: CheckResult, lang: str) -> str:
    """``; đạt nếu ngưỡng ≤ 44,8 triệu đồng/người/năm`` (empty when there is no break-even)."""
    even = check.break_even
    if even is None:
        return ""
    value = fmt(even["value"], check.unit.get(lang), lang)
    return "; " + t("break_even_" + even["operator"], lang, value=value)


def _where(head: CheckResult, region: str, lang: str) -> str:
    text = t("region_word", lang) + " " + shown_region(region)
    if head.year_used:
        text += ", " + t("level_of_year", lang, year=head.year_used)
    return text


def _appraisal_words(result: IndicatorResult, lang: str) -> dict[str, str]:
    a = result.appraisal
    assert a is not None
    when = f", {a.date}" if a.date else ""
    return {
        "result": t("achieved" if a.passed else "not_achieved", lang),
        "decision": a.decision + when,
    }


def indicator_reason(result: IndicatorResult, region: str, year: int) -> Text:
    if result.appraised and result.appraisal is not None:
        return _both(lambda lang: t("reason_appraised", lang, **_appraisal_words(result, lang)))
    found = _computed_reason(result, region, year)
    if result.conflict and result.appraisal is not None:
        return _both(
            lambda lang: (
                found.get(lang) + " " + t("reason_conflict", lang, **_appraisal_words(result, lang))
            )
        )
    return found


def _computed_reason(result: IndicatorResult, region: str, year: int) -> Text:
    head = result.primary
    status = result.status
    mark = {True: "", False: "unverified_paren", None: "unverified_paren"}[result.verified]
    if any(c.source is not None and c.source.kind == ASSUMED for c in result.checks):
        mark = "assumed_paren"

    def unverified(lang: str) -> str:
        return " " + t(mark, lang) if mark else ""

    if status == Status.NOT_APPLICABLE:
        return _both(lambda lang: t("reason_not_applicable", lang))
    if status == Status.MISSING:
        key = "reason_missing_condition" if head.basis == "applies_if" else "reason_missing"
        return _both(lambda lang: t(key, lang, measure=head.measure))
    if status == Status.UNKNOWN:
        if head.basis in ("before-first-year", "no-year"):
            return _both(lambda lang: t("reason_no_year", lang, year=year))
        return _both(
            lambda lang: (
                t("reason_unknown", lang, where=_where(head, region, lang))
                + break_even_text(head, lang)
                + "."
            )
        )
    if head.operator == "is true":
        key = "reason_met_flag" if status == Status.PASS else "reason_not_met_flag"
        return _both(lambda lang: t(key, lang) + unverified(lang) + ".")

    def sentence(lang: str) -> str:
        unit = head.unit.get(lang)
        value = fmt_value(head.value, head.threshold, unit, lang)
        where = _where(head, region, lang)
        required = threshold_text(head, lang)
        if status == Status.PASS:
            return t("reason_met", lang, value=value, required=required, where=where) + (
                unverified(lang) + "."
            )
        direction = OPERATORS[head.operator].direction
        key = {1: "reason_short", -1: "reason_over", 0: "reason_differs"}[direction]
        size = gap_text(head.gap, unit, lang)
        return t(key, lang, value=value, required=required, where=where, gap=size) + (
            unverified(lang) + "."
        )

    return _both(sentence)
