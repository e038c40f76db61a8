"""Every word and number a person reads, in Vietnamese and English: the one word table.

`t(key, lang)` looks a word up in :data:`WORDS`; :func:`num` and :func:`fmt` write numbers the
way each language does (Vietnamese: ``44,8`` and ``1.234``; English: ``44.8`` and ``1,234``).
Renderers never choose words or number formats themselves.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from . import (
    words_export,
    words_html,
    words_merge,
    words_outputs,
    words_plan,
    words_province,
    words_years,
)
from .words_table import WORDS as _BASE

# one table: the base words and each feature's words (a key defined twice is an error)
WORDS: dict[str, tuple[str, str]] = dict(_BASE)
for _more in (
    words_province,
    words_outputs,
    words_merge,
    words_plan,
    words_export,
    words_html,
    words_years,
):
    _twice = set(WORDS) & set(_more.WORDS)
    if _twice:
        raise RuntimeError(f"words defined twice: {sorted(_twice)}")
    WORDS.update(_more.WORDS)


@dataclass(frozen=True)
class Text:
    """A label in Vietnamese and English."""

    vi: str
    en: str

    def get(self, lang: str) -> str:
        return self.en if lang == "en" else self.vi

    def to_dict(self) -> dict[str, str]:
        return {"vi": self.vi, "en": self.en}


LANGS = ("vi", "en")

# how region codes are written for people (DBSH -> ĐBSH), from the loaded regions file
_REGIONS_SHOWN: dict[str, str] = {}


def register_regions(shown: dict[str, str]) -> None:
    """Record how each region code is written (called when a regions file is loaded)."""
    _REGIONS_SHOWN.update(shown)


# the names of commune categories (poor_district -> Xã thuộc huyện nghèo), from the regions file
_CATEGORY_NAMES: dict[str, Text] = {}


def register_categories(names: dict[str, Text]) -> None:
    """Record the name of each commune category (called when a regions file is loaded)."""
    _CATEGORY_NAMES.update(names)


def category(code: str, lang: str) -> str:
    """A commune category by its name in `lang`; unknown codes as they are."""
    found = _CATEGORY_NAMES.get(code)
    return found.get(lang) if found is not None else code


def region(code: str) -> str:
    """A region code as people write it: ``ĐBSH`` for ``DBSH``; unknown codes as they are."""
    return _REGIONS_SHOWN.get(code, code)


def t(key: str, lang: str, **kwargs: object) -> str:
    """The word `key` in `lang`, placeholders filled; a count ``n`` of 1 takes the entry
    ``key + "_one"`` when there is one (English singulars)."""
    if kwargs.get("n") == 1 and key + "_one" in WORDS:
        key += "_one"
    vi, en = WORDS.get(key, (key, key))
    text = en if lang == "en" else vi
    return text.format(**kwargs) if kwargs else text


# --- numbers ---------------------------------------------------------------------------------


def num(value: Any, lang: str, digits: int = 4) -> str:
    """A number as the reader writes it: at most `digits` decimals, no trailing zeros, the
    decimal comma and a dot between thousands in Vietnamese (``1.234,5``), the other way round
    in English (``1,234.5``). A tiny non-zero value keeps three significant digits."""
    if value is None:
        return "—"
    if isinstance(value, bool):
        return t("yes" if value else "no", lang)
    if not isinstance(value, (int, float)):
        return str(value)
    if isinstance(value, float) and not math.isfinite(value):
        return "—"
    if isinstance(value, float) and not value.is_integer():
        text = f"{value:,.{digits}f}".rstrip("0").rstrip(".")
        if text in ("0", "-0"):
            text = f"{value:.3g}"
    else:
        text = f"{int(value):,}"
    if lang == "vi":
        text = text.replace(",", "\x00").replace(".", ",").replace("\x00", ".")
    return text


def unit_suffix(unit: str, lang: str, points: bool = False) -> str:
    """How a unit follows a number: ``%`` glued, percentage points as "điểm %" / "points"."""
    if unit == "%":
        return " " + t("points", lang) if points else "%"
    return f" {unit}" if unit else ""


def fmt(value: Any, unit: str = "", lang: str = "vi", points: bool = False) -> str:
    """A value with its unit: ``44,8 triệu đồng/người/năm``, ``85%``, ``có``, ``—``."""
    if value is None or isinstance(value, bool):
        return num(value, lang)
    return num(value, lang) + unit_suffix(unit, lang, points)


def fmt_value(value: Any, threshold: Any, unit: str = "", lang: str = "vi") -> str:
    """:func:`fmt`, with enough digits that a value just off the threshold does not print as
    the threshold itself (89.9999999 against 90)."""
    text = fmt(value, unit, lang)
    if (
        isinstance(value, float)
        and isinstance(threshold, (int, float))
        and not isinstance(threshold, bool)
        and value != threshold
        and text == fmt(threshold, unit, lang)
    ):
        return num(value, lang, 12) + unit_suffix(unit, lang)
    return text


def gap_text(gap: float | None, unit: str, lang: str) -> str:
    """The size of a gap (always positive), percentage points as points."""
    if gap is None:
        return ""
    return fmt(abs(gap), unit, lang, points=True)
