"""Reading one observed value for a measure, deliberately.

Planners' numbers arrive typed by hand, through Excel and e-mail. These rules are the whole of
what is read leniently; everything else is rejected with a message:

* numbers: ``41.5``, ``41,5`` (Vietnamese decimal comma), ``85%`` (percent measures only);
  a value with both ``.`` and ``,`` (``1.234,5``) is ambiguous and rejected;
* empty text, ``-``, ``n/a``, ``NA``, ``không có số liệu`` mean "no data" (the measure is missing,
  which is never a pass and never a fail);
* booleans: ``true/false``, ``có/không``, ``đạt/không đạt/chưa đạt``, ``x`` (a tick), ``1/0``.
"""

from __future__ import annotations

import math
import re
import unicodedata
from dataclasses import dataclass

from ..model.commune import Observed
from ..model.vocab import Measure, fold

MISSING_WORDS = {"", "-", "--", "n/a", "na", "khong co so lieu", "chua co so lieu", "null", "none"}
# yes/no words: with their own diacritics, or typed without any ("Đất" and "cố" are other words)
TRUE_WORDS = {"true", "yes", "có", "đạt", "x", "1", "đã đạt"}
FALSE_WORDS = {"false", "no", "không", "không đạt", "chưa đạt", "0"}
_TRUE_ASCII = {fold(w) for w in TRUE_WORDS}
_FALSE_ASCII = {fold(w) for w in FALSE_WORDS}
_NUMBER = re.compile(r"^[+-]?(\d+([.,]\d+)?|[.,]\d+)$")


@dataclass(frozen=True)
class Problem:
    code: str
    message: str
    hint: str = ""


def parse_value(measure: Measure, raw: object) -> tuple[Observed, Problem | None]:
    """Return the value read for `measure` (None = no data) or a problem."""
    if raw is None:
        return None, None
    if measure.type == "boolean":
        return _boolean(raw)
    value, problem = _number(measure, raw)
    if problem is not None or value is None:
        return None, problem
    if math.isnan(value) or math.isinf(value):
        return None, Problem("bad-number", "NaN and infinity are not values", "leave it empty")
    if measure.type == "count" and not float(value).is_integer():
        return None, Problem(
            "wrong-type", f"{measure.key} counts {measure.unit}; {value} is not a whole number"
        )
    if not measure.in_range(value):
        hint = (
            "percentages are written 0..100 (85 means 85%)"
            if measure.type == "percent"
            else f"the valid range is {measure.range_text()}"
        )
        return None, Problem(
            "out-of-range",
            f"{_show(value)} is outside the range {measure.range_text()} of {measure.key}",
            hint,
        )
    if measure.type == "count":
        return int(value), None
    return value, None


def _show(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else str(value)


def _boolean(raw: object) -> tuple[Observed, Problem | None]:
    if isinstance(raw, bool):
        return raw, None
    if isinstance(raw, (int, float)) and raw in (0, 1):
        return bool(raw), None
    if isinstance(raw, str):
        if fold(raw) in MISSING_WORDS:
            return None, None
        word = " ".join(unicodedata.normalize("NFC", raw).lower().split())
        plain = word.isascii()
        if word in TRUE_WORDS or (plain and word in _TRUE_ASCII):
            return True, None
        if word in FALSE_WORDS or (plain and word in _FALSE_ASCII):
            return False, None
    return None, Problem(
        "wrong-type",
        f"expected true/false, found {raw!r}",
        "write true/false, có/không or đạt/không đạt",
    )


def _number(measure: Measure, raw: object) -> tuple[float | int | None, Problem | None]:
    if isinstance(raw, bool):
        return None, Problem("wrong-type", f"expected a number for {measure.key}, found {raw}")
    if isinstance(raw, int) and abs(raw) > 10**15:
        return None, Problem(
            "out-of-range", f"{str(raw)[:12]}… ({len(str(raw))} digits) is not a plausible value"
        )
    if isinstance(raw, (int, float)):
        return raw, None
    if not isinstance(raw, str):
        return None, Problem(
            "wrong-type", f"expected a number for {measure.key}, found {type(raw).__name__}"
        )
    if fold(raw) in MISSING_WORDS:
        return None, None
    text = raw.strip().replace("\u00a0", " ")
    if text.endswith("%"):
        text = text[:-1].rstrip() + "%"
    if any(c.isspace() for c in text) and _NUMBER.match("".join(text.rstrip("%").split())):
        return None, Problem(
            "ambiguous-number",
            f"{raw!r} has a space between its digits",
            "write the number without spaces or thousands separators, e.g. 1234.5",
        )
    if text.endswith("%"):
        if measure.type != "percent":
            return None, Problem(
                "bad-number",
                f"{raw!r}: a % sign on {measure.key}, which is not a percentage",
                f"write the number in {measure.unit}",
            )
        text = text[:-1]
    if "." in text and "," in text:
        return None, Problem(
            "ambiguous-number",
            f"{raw!r} mixes '.' and ',' separators",
            "write the number without thousands separators, e.g. 1234.5",
        )
    if not _NUMBER.match(text):
        return None, Problem(
            "bad-number",
            f"{raw!r} is not a number",
            "write digits with one '.' or ',' as the decimal mark",
        )
    if text.count(",") == 1:
        text = text.replace(",", ".")
    number = float(text)
    return (int(number) if number.is_integer() and "." not in text else number), None


class Percent(float):
    """An Excel number shown with a % format (0.85 shown as 85%); percent measures read 85."""

    __slots__ = ()

    def shown(self) -> float | int:
        value = round(float(self) * 100, 9)
        return int(value) if value.is_integer() else value
